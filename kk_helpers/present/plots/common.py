"""Style, palette, fonts and the shared helpers of all figures (and the generic
:func:`plot_bars`); see :mod:`kk_helpers.present.plots` for the conventions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.ticker import MaxNLocator

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import (
    format_compact_many,
    format_number,
    format_pct,
    money_formatter,
    number_formatter,
    pct_formatter,
)
from kk_helpers.core.i18n import check_language, t, translations
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.present.plots.layout import use_constrained_layout, wrap_label

# --- palette --------------------------------------------------------------------------

#: Customer classes, A (most valuable, dark) to D (light).
CLASS_COLORS: dict[str, str] = {
    "A": "#0b3d6b",
    "B": "#2f76b5",
    "C": "#7fb0dc",
    "D": "#c6dbef",
}
#: Sales channels (Okabe-Ito colours): personal channels blue, digital green/purple.
CHANNEL_COLORS: dict[str, str] = {
    "field_sales": "#0072b2",
    "inside_sales": "#56b4e9",
    "webshop": "#009e73",
    "edi": "#cc79a7",
    "dealer": "#e69f00",
}
#: The colour that marks what the chart is about (peak, break-even, lost customers).
HIGHLIGHT = "#d55e00"
#: Main colour of single-series charts.
PRIMARY = "#1f5f99"
#: Secondary series: positive flows (new customers).
POSITIVE = "#009e73"
#: Reference lines and neutral series.
GREY = "#8c8c8c"
LIGHT_GREY = "#e3e3e3"
TEXT = "#222222"
MUTED = "#555555"
#: Colours for further categories (unmapped channels, classes beyond D).
OTHER_COLORS = ("#999999", "#666666", "#bbbbbb", "#444444", "#d0d0d0")

# --- sizes ----------------------------------------------------------------------------

FIGSIZE = (9.0, 5.0)
TITLE_SIZE = 14
LABEL_SIZE = 11
TICK_SIZE = 10
NOTE_SIZE = 9
_FONT_SCALE = [1.0]  # set by set_style


def style_rc(font_scale: float | None = None) -> dict[str, Any]:
    """The matplotlib rcParams of the workbook style (for ``plt.rc_context``);
    ``font_scale`` defaults to the one of the last :func:`set_style` call."""
    s = _FONT_SCALE[0] if font_scale is None else float(font_scale)
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "savefig.facecolor": "white",
        "font.size": 11 * s,
        "axes.titlesize": TITLE_SIZE * s,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlepad": 12,
        "axes.labelsize": LABEL_SIZE * s,
        "axes.labelcolor": MUTED,
        "axes.edgecolor": "#9a9a9a",
        "axes.linewidth": 0.8,
        "axes.facecolor": "white",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.prop_cycle": mpl.cycler(color=[PRIMARY, HIGHLIGHT, POSITIVE, *OTHER_COLORS]),
        "grid.color": LIGHT_GREY,
        "grid.linewidth": 0.8,
        "xtick.labelsize": TICK_SIZE * s,
        "ytick.labelsize": TICK_SIZE * s,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "text.color": TEXT,
        "legend.fontsize": TICK_SIZE * s,
        "legend.frameon": False,
        "legend.title_fontsize": TICK_SIZE * s,
    }


def set_style(font_scale: float = 1.0) -> None:
    """Apply the workbook style to all figures (call once at the top of a notebook).

    The ``plot_*`` functions set their own fonts, spines and grids, so they look the
    same with or without this call; it makes other figures match them and scales the
    fonts of all later ``plot_*`` figures.

    Args:
        font_scale: factor for all font sizes (e.g. 1.2 for a projector).
    """
    _FONT_SCALE[0] = float(font_scale)
    sns.set_theme(style="ticks", rc=style_rc(font_scale))
    mpl.rcParams.update(style_rc(font_scale))


def _fs(size: float) -> float:
    """A font size scaled by the ``font_scale`` of :func:`set_style`."""
    return size * _FONT_SCALE[0]


def _palette(names: Iterable[object], known: dict[str, str]) -> dict[str, str]:
    """Colour per name: the ``known`` colour, else the next of :data:`OTHER_COLORS`."""
    out: dict[str, str] = {}
    extra = iter(OTHER_COLORS * 10)
    for c in names:
        out[str(c)] = known.get(str(c)) or next(extra)
    return out


def class_palette(classes: Iterable[object]) -> dict[str, str]:
    """Colour per class label: A-D from :data:`CLASS_COLORS`, others grey."""
    return _palette(classes, CLASS_COLORS)


def channel_palette(channels: Iterable[object]) -> dict[str, str]:
    """Colour per channel: canonical channels from :data:`CHANNEL_COLORS`, others grey."""
    return _palette(channels, CHANNEL_COLORS)


#: translation-key namespaces of figure labels, searched before ``col.`` and ``metric.``
LABEL_SCOPES = ("plot.label", "channel", "activity")

#: measures whose share ``<measure>_share`` a chart labels with the measure's own name
#: (the axis already says "share")
SHARE_BASES = ("customers", "revenue", "margin", "orders", "activities", "visits", "cost_to_serve")


def plot_label(name: object, lang: str) -> str:
    """Label of a code in a chart: :func:`kk_helpers.core.i18n.label` with
    :data:`LABEL_SCOPES`; a share of a :data:`SHARE_BASES` measure gets the measure's name.

    >>> plot_label("revenue_share", "en"), plot_label("field_sales", "en")
    ('Revenue', 'Field sales')
    """
    base = str(name).removesuffix("_share")
    if base in SHARE_BASES and str(name) != base:
        name = base
    return i18n_label(name, lang, scopes=LABEL_SCOPES)


# --- shared helpers -------------------------------------------------------------------


def _axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """``ax`` itself, or a new figure with one Axes in the workbook style.

    A figure made elsewhere without a layout engine (a bare ``plt.subplots`` in a
    notebook) gets the constrained layout, so neighbouring panels' texts do not collide
    and nothing leaves the figure."""
    if ax is not None:
        use_constrained_layout(ax)
        return ax
    with plt.rc_context(style_rc()):
        _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _title(ax: Axes, text: str, pad: float = 12) -> None:
    """Bold left-aligned title, wrapped at word boundaries when wider than the Axes."""
    size = _fs(TITLE_SIZE)
    fig = ax.get_figure(root=True)
    width_in = ax.get_position().width * fig.get_figwidth() if fig is not None else 8.0
    chars = max(16, int(width_in * 72.0 / (0.62 * size)))
    if len(text) > chars:
        text = wrap_label(text, chars)
    ax.set_title(text, loc="left", fontsize=size, fontweight="bold", color=TEXT, pad=pad)


def _finish(ax: Axes, grid: str | None = "y") -> Axes:
    """Clean look: no top/right spines, light grid on the value axis, readable ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#9a9a9a")
        ax.spines[side].set_linewidth(0.8)
    ax.tick_params(labelsize=_fs(TICK_SIZE), colors=MUTED)
    ax.xaxis.label.set_size(_fs(LABEL_SIZE))
    ax.yaxis.label.set_size(_fs(LABEL_SIZE))
    ax.xaxis.label.set_color(MUTED)
    ax.yaxis.label.set_color(MUTED)
    ax.set_axisbelow(True)
    if grid:
        ax.grid(axis=grid, color=LIGHT_GREY, linewidth=0.8)
    return ax


def _legend(
    ax: Axes,
    handles: Sequence[Any] | None = None,
    labels: Sequence[str] | None = None,
    where: str = "right",
    ncol: int | None = None,
    title: str | None = None,
) -> None:
    """Legend outside the data area: at the right, or in one row above the plot."""
    kwargs: dict[str, Any] = {"frameon": False, "fontsize": _fs(TICK_SIZE), "title": title}
    if title:
        kwargs["title_fontsize"] = _fs(TICK_SIZE)
        kwargs["alignment"] = "left"
    if handles is not None:
        kwargs["handles"] = list(handles)
    if labels is not None:
        kwargs["labels"] = list(labels)
    if where == "top":
        n = ncol or (len(handles) if handles is not None else 5)
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncol=n,
            borderaxespad=0.2,
            handlelength=1.2,
            columnspacing=1.2,
            **kwargs,
        )
    elif where == "inside":
        ax.legend(loc="best", **kwargs)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs)


def _text_color(fill: str) -> str:
    """White or dark text, whichever reads better on ``fill``."""
    r, g, b = to_rgb(fill)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.55 else TEXT


def _no_data(ax: Axes, lang: str, title: str | None = None, text: str | None = None) -> Axes:
    """Say "no data" (or ``text``) in the middle of ``ax`` instead of drawing an empty chart."""
    ax.text(
        0.5,
        0.5,
        t("plot.no_data", lang) if text is None else text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=_fs(LABEL_SIZE),
        color=MUTED,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        _title(ax, title)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


def _require(frame: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise KeyError(f"{what}: missing columns {missing}; got {list(frame.columns)}")


def _sorted_xy(curve: pd.DataFrame, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """x and y as float arrays sorted by x (the input frame is not touched)."""
    data = curve[[x, y]].apply(pd.to_numeric, errors="coerce").dropna()
    data = data.sort_values(x, kind="mergesort")
    return data[x].to_numpy(dtype="float64"), data[y].to_numpy(dtype="float64")


def _count_axis(axis: Any, lang: str, *, nbins: int | str = "auto") -> None:
    """A count axis (customers, orders): whole-number ticks in ``lang``'s format."""
    axis.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(number_formatter(lang))


def _share_axes(ax: Axes, lang: str, x: bool = True, y: bool = True) -> None:
    if x:
        ax.xaxis.set_major_formatter(pct_formatter(lang))
    if y:
        ax.yaxis.set_major_formatter(pct_formatter(lang))


def _order_classes(labels: Iterable[object]) -> list[str]:
    """A, B, C, D first (in that order), then other labels in order of appearance."""
    seen = [str(x) for x in dict.fromkeys(labels) if pd.notna(x)]
    known = [c for c in C.CLASSES if c in seen]
    return known + [c for c in seen if c not in known]


def _order_channels(labels: Iterable[object]) -> list[str]:
    seen = [str(x) for x in labels]
    known = [c for c in C.CHANNELS if c in seen]
    return known + [c for c in seen if c not in known]


# --- generic --------------------------------------------------------------------------


def plot_bars(
    series: pd.Series,
    *,
    ax: Axes | None = None,
    lang: str = "de",
    title: str | None = None,
    money: bool = False,
    currency: str = "EUR",
    pct: bool = False,
    horizontal: bool = True,
    top: int | None = None,
    sort: bool | None = None,
) -> Axes:
    """Ranked bar chart for structure tables (customers by industry, revenue by region, …).

    Bars are sorted by value (largest first: at the top when horizontal), each bar
    carries its value; category names are translated where the table has them
    (channels, activity types, ``plot.label.*``).

    Args:
        series: value per category (index = categories).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        title: translation key of the title (text that is not a key is shown as it is);
            default the translated series name.
        money: values are money (``currency``).
        currency: ISO code for money values.
        pct: values are shares 0–1.
        horizontal: horizontal bars (default); vertical when False.
        top: show only the first ``top`` categories and sum the rest into "other".
        sort: sort by value, largest first; default True, except for an ordered
            categorical index (e.g. size bands), which keeps its order.

    Returns:
        The Axes.
    """
    check_language(lang)
    if money and pct:
        raise ValueError("plot_bars: money and pct exclude each other")
    if sort is None:
        index_dtype = series.index.dtype
        sort = not (isinstance(index_dtype, pd.CategoricalDtype) and index_dtype.ordered)
    values = pd.to_numeric(series, errors="coerce").dropna()
    values = values.set_axis([str(plot_label(i, lang)) for i in values.index])
    if sort:
        values = values.sort_values(ascending=False, kind="mergesort")
    if top is not None and len(values) > top:
        rest = values.iloc[top:]
        values = values.iloc[:top]
        other = pd.Series([rest.sum()], index=[t("plot.other_n", lang, n=len(rest))])
        values = pd.concat([values, other])
    n = len(values)
    size = (9.0, 1.2 + 0.42 * max(n, 3)) if horizontal else (max(6.0, 0.8 * n + 2), 5.0)
    ax = _axes(ax, figsize=size)
    if title is not None:
        heading = t(title, lang) if title in translations() else title
    else:
        heading = plot_label(series.name, lang) if series.name is not None else ""
    if n == 0:
        return _no_data(ax, lang, heading or None)

    positions = np.arange(n)
    heights = values.to_numpy(dtype="float64")
    if money:
        texts = format_compact_many(heights, lang, currency=currency)
    elif pct:
        texts = [format_pct(v, lang) for v in heights]
    else:
        texts = [format_number(v, lang) for v in heights]
    if horizontal:
        ax.barh(positions[::-1], heights, height=0.68, color=PRIMARY, linewidth=0)
        for pos, v, text in zip(positions[::-1], heights, texts, strict=True):
            ax.annotate(
                text,
                xy=(v, pos),
                xytext=(4 if v >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if v >= 0 else "right",
                va="center",
                fontsize=_fs(NOTE_SIZE),
                color=TEXT,
            )
        ax.set_yticks(positions[::-1], list(values.index))
        ax.tick_params(axis="y", length=0)
        value_axis = ax.xaxis
        ax.set_xlim(
            min(0.0, float(heights.min(initial=0.0)) * 1.15),
            max(float(heights.max(initial=0.0)), 1e-9) * 1.15,
        )
    else:
        ax.bar(positions, heights, width=0.68, color=PRIMARY, linewidth=0)
        for pos, v, text in zip(positions, heights, texts, strict=True):
            ax.annotate(
                text,
                xy=(pos, v),
                xytext=(0, 3 if v >= 0 else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=_fs(NOTE_SIZE),
                color=TEXT,
            )
        ax.set_xticks(
            positions,
            list(values.index),
            rotation=30 if n > 6 else 0,
            ha="right" if n > 6 else "center",
        )
        ax.tick_params(axis="x", length=0)
        value_axis = ax.yaxis
        ax.set_ylim(
            min(0.0, float(heights.min(initial=0.0)) * 1.15),
            max(float(heights.max(initial=0.0)), 1e-9) * 1.12,
        )
    # few ticks: bars carry their own value labels, and money ticks are wide
    value_axis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    if money:
        value_axis.set_major_formatter(money_formatter(lang, currency))
    elif pct:
        value_axis.set_major_formatter(pct_formatter(lang))
    elif np.allclose(heights, np.round(heights)):
        _count_axis(value_axis, lang, nbins=4)  # counts: whole-number ticks
    else:
        value_axis.set_major_formatter(number_formatter(lang))

    if heading:
        _title(ax, heading)
    return _finish(ax, grid="x" if horizontal else "y")
