"""All figures of the workbook: one style, one palette, seaborn-style functions.

Every ``plot_*`` function

* takes ``ax=None`` and draws only into that Axes (a new figure and Axes is made
  only when ``ax`` is None), so figures can be combined with ``plt.subplots``;
* labels everything in ``lang`` through the translation table (keys ``plot.*``);
* formats money, counts and shares on its axes with :mod:`kk_helpers.core.formatting`;
* returns the Axes and never calls ``plt.show()``;
* leaves its input frame unchanged.

The class palette runs from dark (A) to light (D) in one blue hue, readable with
colour-vision deficiencies and in greyscale; channels use the Okabe-Ito colours;
:data:`HIGHLIGHT` (vermillion) marks the one thing a chart is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, LogLocator, MaxNLocator, NullFormatter, NullLocator

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import (
    format_compact_many,
    format_money,
    format_number,
    format_pct,
    money_formatter,
    number_formatter,
    pct_formatter,
)
from kk_helpers.core.i18n import check_language, label_map, t, translations
from kk_helpers.core.i18n import label as i18n_label

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
#: Class-profile metrics: value in blues, effort in oranges, customers in grey.
METRIC_COLORS: dict[str, str] = {
    "customers_share": "#9a9a9a",
    "revenue_share": "#1f5f99",
    "margin_share": "#7fb0dc",
    "orders_share": "#f3c26b",
    "activities_share": "#f0a04b",
    "visits_share": "#e69f00",
    "cost_to_serve_share": HIGHLIGHT,
}

# --- sizes ----------------------------------------------------------------------------

FIGSIZE = (9.0, 5.0)
TITLE_SIZE = 14
LABEL_SIZE = 11
TICK_SIZE = 10
NOTE_SIZE = 9
_FONT_SCALE = [1.0]  # set by set_style

# Flow columns produced by the development metrics (not yet in ``columns.py``).
ACTIVE = "active"
NEW = "new"
LOST = "lost"

# profile metrics shown by default
PROFILE_METRICS = (
    "customers_share",
    "revenue_share",
    "margin_share",
    "visits_share",
    "cost_to_serve_share",
)
# count-like values of ``plot_yearly_by_class`` (all other values are money)
_COUNT_VALUES = frozenset({C.CUSTOMERS, C.ORDERS, C.LINES, "activities"})


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


# --- shared helpers -------------------------------------------------------------------


def _axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """``ax`` itself, or a new figure with one Axes in the workbook style."""
    if ax is not None:
        return ax
    with plt.rc_context(style_rc()):
        _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _label(name: object, lang: str) -> str:
    """Display name of a column, metric or category (``plot.label.``, ``col.``,
    ``channel.``, ``activity.``); names without an entry are shown as they are."""
    table = translations()
    for prefix in ("plot.label.", "col.", "channel.", "activity."):
        key = f"{prefix}{name}"
        if key in table:
            return table[key][lang]
    return str(name)


def _title(ax: Axes, text: str, pad: float = 12) -> None:
    ax.set_title(text, loc="left", fontsize=_fs(TITLE_SIZE), fontweight="bold", color=TEXT, pad=pad)


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


# --- concentration --------------------------------------------------------------------


def plot_pareto(
    curve: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    value_key: str = "plot.value.revenue",
) -> Axes:
    """Pareto curve: cumulative share of the value by share of customers (largest first).

    Marks how much of the value the top 20 % of customers bring and which share of
    customers brings 80 % of the value.

    Args:
        curve: ``customer_share``, ``value_share`` (0–1, from (0, 0)), e.g. from
            ``concentration.pareto_curve``.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        value_key: translation key of the value (``plot.value.revenue``,
            ``plot.value.margin``, ``plot.value.cm3``).

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(curve, (C.CUSTOMER_SHARE, C.VALUE_SHARE), "plot_pareto")
    ax = _axes(ax)
    value = t(value_key, lang)
    x, y = _sorted_xy(curve, C.CUSTOMER_SHARE, C.VALUE_SHARE)
    if len(x) < 2:
        return _no_data(ax, lang, t("plot.pareto.title", lang, value=value))

    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", linewidth=1.0, label=t("plot.equal", lang))
    ax.plot(x, y, color=PRIMARY, linewidth=2.5, label=t("plot.pareto.curve", lang), zorder=3)

    facts = []
    # share of value of the top 20 % of customers
    y20 = float(np.interp(0.2, x, y))
    ax.plot([0.2, 0.2, 0.0], [0.0, y20, y20], color=HIGHLIGHT, linestyle=":", linewidth=1.3)
    ax.scatter([0.2], [y20], color=HIGHLIGHT, s=50, zorder=5, edgecolor="white")
    facts.append(
        (HIGHLIGHT, t("plot.pareto.top20", lang, value=value, share=format_pct(y20, lang)))
    )
    # share of customers that bring 80 % of the value
    reached = np.flatnonzero(y >= 0.8 - 1e-12)
    if reached.size and reached[0] > 0:
        i = int(reached[0])
        x80 = float(np.interp(0.8, [y[i - 1], y[i]], [x[i - 1], x[i]]))
        ax.plot([0.0, x80, x80], [0.8, 0.8, 0.0], color=PRIMARY, linestyle=":", linewidth=1.3)
        ax.scatter([x80], [0.8], color=PRIMARY, s=50, zorder=4, edgecolor="white")
        facts.append(
            (PRIMARY, t("plot.pareto.for80", lang, value=value, share=format_pct(x80, lang)))
        )
    # the key facts join the legend, each with its coloured point
    handles, labels = ax.get_legend_handles_labels()
    for color, text in facts:
        handles.append(
            Line2D(
                [],
                [],
                color=color,
                marker="o",
                linestyle=":",
                markersize=7,
                markeredgecolor="white",
            )
        )
        labels.append(text)

    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    _share_axes(ax, lang)
    ax.set_xlabel(t("plot.pareto.xlabel", lang, value=value))
    ax.set_ylabel(t("plot.pareto.ylabel", lang, value=value))
    _title(ax, t("plot.pareto.title", lang, value=value))
    _legend(ax, handles=handles, labels=labels, where="inside")
    ax.get_legend().set_loc("lower right")
    return _finish(ax, grid="both")


def plot_lorenz(
    curve: pd.DataFrame,
    gini: float | None = None,
    ax: Axes | None = None,
    lang: str = "de",
    value_key: str = "plot.value.revenue",
) -> Axes:
    """Lorenz curve with the line of equality; the Gini coefficient in title and legend.

    Args:
        curve: ``population_share``, ``value_share`` (0–1, customers sorted ascending),
            e.g. from ``concentration.lorenz_curve``.
        gini: Gini coefficient to show (0–1); not shown when None or NaN.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        value_key: translation key of the value, see :func:`plot_pareto`.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(curve, (C.POPULATION_SHARE, C.VALUE_SHARE), "plot_lorenz")
    ax = _axes(ax)
    value = t(value_key, lang)
    x, y = _sorted_xy(curve, C.POPULATION_SHARE, C.VALUE_SHARE)
    if len(x) < 2:
        return _no_data(ax, lang, t("plot.lorenz.title", lang, value=value))

    has_gini = gini is not None and bool(np.isfinite(gini))
    curve_label = t("plot.lorenz.curve", lang)
    ax.fill_between(x, x, y, color=PRIMARY, alpha=0.12, linewidth=0, label="_nolegend_")
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", linewidth=1.0, label=t("plot.equal", lang))
    ax.plot(x, y, color=PRIMARY, linewidth=2.5, label=curve_label, zorder=3)

    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    _share_axes(ax, lang)
    ax.set_xlabel(t("plot.lorenz.xlabel", lang, value=value))
    ax.set_ylabel(t("plot.lorenz.ylabel", lang, value=value))
    title = t("plot.lorenz.title", lang, value=value)
    if has_gini:
        title += " – " + t("plot.lorenz.gini", lang, gini=format_number(gini, lang, decimals=2))
    _title(ax, title)
    _legend(ax, where="inside")
    ax.get_legend().set_loc("upper left")
    return _finish(ax, grid="both")


def plot_whale(curve: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Whale curve: cumulative CM III (% of total) by share of customers, most profitable
    first. The 100 % line is the total profit; the peak is annotated.

    Args:
        curve: ``customer_share`` (0–1) and ``cum_profit_pct`` (cumulative CM III as
            percent of the total, e.g. 250 for 250 %; shares such as 2.5 are
            recognised too: a curve whose values all lie within ±5 is read as shares).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(curve, (C.CUSTOMER_SHARE, C.CUM_PROFIT_PCT), "plot_whale")
    ax = _axes(ax)
    x, y = _sorted_xy(curve, C.CUSTOMER_SHARE, C.CUM_PROFIT_PCT)
    if len(x) < 2:  # e.g. total CM III <= 0: the percentages have no meaning
        return _no_data(ax, lang, t("plot.whale.title", lang))
    # percent (0-300) or share (0-3)? The curve ends at 100 % of the total.
    full = 1.0 if np.nanmax(np.abs(y)) <= 5 else 100.0

    ax.axhline(full, color=GREY, linestyle="--", linewidth=1.0, label=t("plot.whale.total", lang))
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    ax.plot(x, y, color=PRIMARY, linewidth=2.5, label=t("plot.whale.curve", lang), zorder=3)
    ax.fill_between(x, full, y, where=y > full, color=PRIMARY, alpha=0.10, linewidth=0)
    i = int(np.nanargmax(y))
    peak_x, peak_y = float(x[i]), float(y[i])
    ax.scatter([peak_x], [peak_y], color=HIGHLIGHT, s=55, zorder=4)
    ax.annotate(
        t(
            "plot.whale.peak",
            lang,
            peak=format_pct(peak_y / full, lang),
            share=format_pct(peak_x, lang),
        ),
        xy=(peak_x, peak_y),
        xytext=(12, 8),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=_fs(LABEL_SIZE),
        color=TEXT,
    )
    top = max(float(np.nanmax(y)), full)
    bottom = min(float(np.nanmin(y)), 0.0)
    ax.set_ylim(bottom - 0.05 * (top - bottom), top + 0.15 * (top - bottom))

    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.yaxis.set_major_formatter(pct_formatter(lang, xmax=full))
    ax.set_xlabel(t("plot.whale.xlabel", lang))
    ax.set_ylabel(t("plot.whale.ylabel", lang))
    _title(ax, t("plot.whale.title", lang))
    _legend(ax, where="inside")
    ax.get_legend().set_loc("lower right")
    return _finish(ax, grid="y")


# --- classes --------------------------------------------------------------------------


def plot_class_profile(
    profile: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    metrics: Sequence[str] = PROFILE_METRICS,
) -> Axes:
    """What each class brings and what it takes: shares of customers, revenue, margin,
    visits and cost-to-serve per class, as grouped bars.

    Value metrics are blue, effort metrics orange, the customer count grey, so the
    mismatch of small customers (many customers, little revenue, much effort) shows.

    Args:
        profile: indexed by class (A, B, C, D), with the ``*_share`` columns (0–1),
            e.g. from ``classes.class_profile``.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        metrics: share columns to show, in this order; columns that are missing or
            all NaN are left out.

    Returns:
        The Axes.
    """
    check_language(lang)
    shown = [m for m in metrics if m in profile.columns and profile[m].notna().any()]
    if not shown:
        raise KeyError(f"plot_class_profile: none of {list(metrics)} in {list(profile.columns)}")
    ax = _axes(ax)
    classes = _order_classes(profile.index)
    data = profile.set_axis([str(i) for i in profile.index])[shown].reindex(classes)
    data = data.apply(pd.to_numeric, errors="coerce")
    if data.empty:
        return _no_data(ax, lang, t("plot.class_profile.title", lang))

    n = len(shown)
    width = 0.8 / n
    centers = np.arange(len(classes), dtype="float64")
    palette = _palette(shown, METRIC_COLORS)
    handles = []
    for j, metric in enumerate(shown):
        color = palette[metric]
        pos = centers - 0.4 + width * (j + 0.5)
        values = data[metric].to_numpy(dtype="float64")
        bars = ax.bar(pos, np.nan_to_num(values), width=width * 0.92, color=color, linewidth=0)
        handles.append(Patch(color=color, label=_label(metric, lang)))
        for rect, v in zip(bars, values, strict=True):
            if np.isfinite(v):
                ax.text(
                    rect.get_x() + rect.get_width() / 2,
                    rect.get_height(),
                    format_pct(v, lang),
                    ha="center",
                    va="bottom",
                    fontsize=_fs(NOTE_SIZE) - (1 if n > 4 else 0),
                    color=MUTED,
                )

    ax.set_xticks(centers, [t("plot.class_n", lang, cls=c) for c in classes])
    ax.tick_params(axis="x", length=0)
    top = float(np.nanmax(data.to_numpy(dtype="float64"))) if data.size else 1.0
    ax.set_ylim(0, max(top, 0.05) * 1.12)
    ax.yaxis.set_major_formatter(pct_formatter(lang))
    ax.set_ylabel(t("plot.class_profile.ylabel", lang))
    _title(ax, t("plot.class_profile.title", lang), pad=30)
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    return _finish(ax, grid="y")


def plot_matrix(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    fmt: str = "d",
    title_key: str | None = None,
    cmap: Any = None,
) -> Axes:
    """Heatmap of a crosstab (ABC × XYZ counts, class migration) with the values written in.

    Args:
        matrix: the crosstab; index and column names (e.g. ``class``/``xyz``,
            ``from``/``to``) become translated axis labels, labels such as ``new`` and
            ``lost`` are translated too.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        fmt: ``"d"`` counts with thousands separators; ``"pct"`` (or ``".1%"``) shares
            0–1; ``"money"``; ``".2f"`` numbers with that many decimals; any other
            Python format spec is applied as is.
        title_key: translation key of the title; no title when None.
        cmap: matplotlib colormap; default a light-to-dark blue.

    Returns:
        The Axes.
    """
    check_language(lang)
    ax = _axes(ax, figsize=(7.0, 5.0))
    if matrix.empty:
        return _no_data(ax, lang, t(title_key, lang) if title_key else None)
    values = matrix.apply(pd.to_numeric, errors="coerce").astype("float64")
    annot = np.array(
        [[_format_cell(v, fmt, lang) for v in row] for row in values.to_numpy()], dtype=object
    )
    if cmap is None:
        cmap = LinearSegmentedColormap.from_list("kk_blues", ["#f3f7fb", "#9fc3e3", PRIMARY])
    sns.heatmap(
        values,
        ax=ax,
        annot=annot,
        fmt="",
        cmap=cmap,
        cbar=False,
        linewidths=1.5,
        linecolor="white",
        annot_kws={"fontsize": _fs(LABEL_SIZE)},
        xticklabels=[_label(c, lang) for c in matrix.columns],
        yticklabels=[_label(i, lang) for i in matrix.index],
    )
    ax.set_xlabel(_label(matrix.columns.name, lang) if matrix.columns.name is not None else "")
    ax.set_ylabel(_label(matrix.index.name, lang) if matrix.index.name is not None else "")
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.tick_params(axis="both", length=0, labelsize=_fs(LABEL_SIZE), colors=TEXT)
    ax.tick_params(axis="y", rotation=0)
    ax.xaxis.label.set_size(_fs(LABEL_SIZE))
    ax.yaxis.label.set_size(_fs(LABEL_SIZE))
    ax.xaxis.label.set_color(MUTED)
    ax.yaxis.label.set_color(MUTED)
    if title_key:
        _title(ax, t(title_key, lang), pad=12)
    return ax


def _format_cell(v: float, fmt: str, lang: str) -> str:
    """One heatmap annotation in the language's number format."""
    if not np.isfinite(v):
        return ""
    if fmt in ("d", "n", ",d", ",", ",.0f"):
        return format_number(v, lang, 0)
    if fmt in ("pct", "%"):
        return format_pct(v, lang, 0)
    if fmt == "money":
        return format_money(v, lang)
    if fmt.startswith(".") and fmt[1:-1].isdigit() and fmt[-1] in "f%":
        digits = int(fmt[1:-1])
        return format_pct(v, lang, digits) if fmt.endswith("%") else format_number(v, lang, digits)
    return format(v, fmt)


# --- orders ---------------------------------------------------------------------------


def plot_order_sizes(
    sizes: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    currency: str = "EUR",
    thresholds: Sequence[float] = (),
    break_even: float | None = None,
) -> Axes:
    """Order values by class on a log scale: box = middle half of the orders, whiskers =
    5th to 95th percentile, line = median; threshold and break-even lines labelled.

    With a break-even value, the share of each class's orders below it is written at
    the right. Orders with a value ≤ 0 (credit notes) cannot be shown on a log scale;
    their number is stated in a note under the chart.

    Args:
        sizes: ``customer_id``, ``class``, ``value`` (one row per order, value in the
            currency).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code for the money axis.
        thresholds: order values to mark (e.g. candidate minimum order values).
        break_even: break-even order value (marked in the highlight colour).

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(sizes, (C.CLASS, C.VALUE), "plot_order_sizes")
    classes = _order_classes(sizes[C.CLASS].dropna().unique())
    ax = _axes(ax, figsize=(9.0, 1.2 + 0.9 * max(len(classes), 2)))
    value = pd.to_numeric(sizes[C.VALUE], errors="coerce")
    cls = sizes[C.CLASS].astype("string")
    positive = value > 0
    hidden = int((value.notna() & ~positive).sum())
    v = value[positive]
    c = cls[positive]
    if v.empty:
        return _no_data(ax, lang, t("plot.order_sizes.title", lang))

    # box statistics per class, vectorised
    q = v.groupby(c, observed=True).quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    counts = v.groupby(c, observed=True).size()
    stats = []
    shown = [k for k in classes if k in q.index]
    for k in shown:
        row = q.loc[k]
        stats.append(
            {
                "label": k,
                "whislo": row[0.05],
                "q1": row[0.25],
                "med": row[0.5],
                "q3": row[0.75],
                "whishi": row[0.95],
                "fliers": [],
            }
        )
    palette = class_palette(shown)
    positions = np.arange(len(shown))[::-1]  # A at the top
    if stats:
        boxes = ax.bxp(
            stats,
            positions=positions,
            orientation="horizontal",
            widths=0.55,
            patch_artist=True,
            showfliers=False,
            medianprops={"color": "white", "linewidth": 2.0},
            whiskerprops={"color": MUTED, "linewidth": 1.0},
            capprops={"color": MUTED, "linewidth": 1.0},
            boxprops={"linewidth": 0},
        )
        for patch, k in zip(boxes["boxes"], shown, strict=True):
            patch.set_facecolor(palette[k])
        for med, k in zip(boxes["medians"], shown, strict=True):
            med.set_color("white" if _text_color(palette[k]) == "white" else TEXT)

    ax.set_xscale("log")
    ax.set_yticks(
        positions,
        [
            t("plot.order_sizes.class_n", lang, cls=k, n=format_number(counts.get(k, 0), lang))
            for k in shown
        ],
    )
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.6, len(shown) - 0.4)

    # reference lines, labelled above the plot area (labels staggered when close)
    lines = [(x, t("plot.order_sizes.threshold", lang), MUTED, "--") for x in thresholds]
    if break_even is not None and np.isfinite(break_even) and break_even > 0:
        lines.append((break_even, t("plot.order_sizes.break_even", lang), HIGHLIGHT, "-"))
    lines = sorted((ln for ln in lines if np.isfinite(ln[0]) and ln[0] > 0), key=lambda ln: ln[0])
    ends = [s["whislo"] for s in stats] + [s["whishi"] for s in stats] + [ln[0] for ln in lines]
    if ends:
        lo, hi = min(ends), max(ends)
        ax.set_xlim(lo / 1.6, hi * 1.6)
    log_lo, log_hi = np.log10(ax.get_xlim())
    row_ends: list[float] = []
    top = ax.get_xaxis_transform()
    for x, name, color, style in lines:
        ax.axvline(x, color=color, linestyle=style, linewidth=1.4, zorder=1)
        frac = (np.log10(x) - log_lo) / (log_hi - log_lo)
        row = next((r for r, end in enumerate(row_ends) if frac - end > 0.2), len(row_ends))
        if row == len(row_ends):
            row_ends.append(frac)
        row_ends[row] = frac
        ax.annotate(
            f"{name} {format_money(x, lang, currency)}",
            xy=(x, 1.0),
            xycoords=top,
            xytext=(0, 4 + 13 * row),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_fs(NOTE_SIZE),
            color=color,
        )
    if break_even is not None and np.isfinite(break_even) and break_even > 0 and len(v):
        below = (v < break_even).groupby(c, observed=True).mean()
        right = ax.get_yaxis_transform()
        for pos, k in zip(positions, shown, strict=True):
            ax.text(
                1.01,
                pos,
                t("plot.order_sizes.below", lang, share=format_pct(below.get(k, np.nan), lang)),
                transform=right,
                ha="left",
                va="center",
                fontsize=_fs(NOTE_SIZE),
                color=HIGHLIGHT,
            )

    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(money_formatter(lang, currency))
    ax.set_xlabel(t("plot.order_sizes.xlabel", lang, currency=currency))
    note = t("plot.order_sizes.note", lang)
    if hidden:
        note += "\n" + t("plot.order_sizes.hidden", lang, n=format_number(hidden, lang))
    ax.annotate(
        note,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -38),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=_fs(NOTE_SIZE),
        color=MUTED,
    )
    _title(ax, t("plot.order_sizes.title", lang), pad=12 + 13 * len(row_ends) + (4 if lines else 0))
    return _finish(ax, grid="x")


# --- channels -------------------------------------------------------------------------


def plot_channel_mix(
    mix: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    value_label_key: str = "plot.channel_mix.xlabel",
) -> Axes:
    """Channel mix per class as 100 % stacked horizontal bars (A at the top).

    Args:
        mix: index class, one column per channel (``columns.CHANNELS``; other channel
            names are shown as they are), shares 0–1 summing to 1 per row.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        value_label_key: translation key of the value axis label
            (default "share of revenue").

    Returns:
        The Axes.
    """
    check_language(lang)
    classes = _order_classes(mix.index)
    ax = _axes(ax, figsize=(9.0, 1.6 + 0.7 * max(len(classes), 2)))
    channels = _order_channels(mix.columns)
    data = (
        mix.set_axis([str(i) for i in mix.index])
        .set_axis([str(cname) for cname in mix.columns], axis=1)[channels]
        .reindex(classes)
        .apply(pd.to_numeric, errors="coerce")
        .fillna(0.0)
    )
    if data.empty or not channels:
        return _no_data(ax, lang, t("plot.channel_mix.title", lang))
    palette = channel_palette(channels)
    positions = np.arange(len(classes))[::-1]
    left = np.zeros(len(classes))
    handles = []
    for ch in channels:
        widths = data[ch].to_numpy(dtype="float64")
        color = palette[ch]
        ax.barh(
            positions, widths, left=left, height=0.62, color=color, linewidth=0.6, edgecolor="white"
        )
        for pos, x0, w in zip(positions, left, widths, strict=True):
            if w >= 0.06:
                ax.text(
                    x0 + w / 2,
                    pos,
                    format_pct(w, lang),
                    ha="center",
                    va="center",
                    fontsize=_fs(NOTE_SIZE),
                    color=_text_color(color),
                )
        left = left + widths
        handles.append(Patch(color=color, label=_label(ch, lang)))

    ax.set_yticks(positions, [t("plot.class_n", lang, cls=k) for k in classes])
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, max(1.0, float(left.max()) if len(left) else 1.0))
    ax.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(t(value_label_key, lang))
    _title(ax, t("plot.channel_mix.title", lang), pad=30)
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    _finish(ax, grid=None)
    ax.spines["left"].set_visible(False)
    return ax


# --- development ----------------------------------------------------------------------


def plot_yearly_by_class(
    long: pd.DataFrame,
    value: str = "revenue",
    ax: Axes | None = None,
    lang: str = "de",
    currency: str = "EUR",
) -> Axes:
    """Stacked bars per year by class (A at the bottom), with the year's total on top.

    Args:
        long: ``year``, ``class`` and the value column (``revenue``, ``customers``, …).
        value: column to show; ``customers``, ``orders``, ``lines`` and ``activities``
            are counts, every other value is money.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code for money values.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(long, (C.YEAR, C.CLASS, value), "plot_yearly_by_class")
    ax = _axes(ax)
    frame = pd.DataFrame(
        {
            C.YEAR: pd.to_numeric(long[C.YEAR], errors="coerce"),
            C.CLASS: long[C.CLASS].astype("string"),
            value: pd.to_numeric(long[value], errors="coerce"),
        }
    ).dropna(subset=[C.YEAR, C.CLASS])
    table = frame.pivot_table(index=C.YEAR, columns=C.CLASS, values=value, aggfunc="sum")
    classes = _order_classes(table.columns)
    table = table.reindex(columns=classes).fillna(0.0).sort_index()
    label = _label(value, lang)
    if table.empty:
        return _no_data(ax, lang, t("plot.yearly.title", lang, value=label))
    is_money = value not in _COUNT_VALUES
    palette = class_palette(classes)
    years = [str(int(y)) for y in table.index]
    positions = np.arange(len(years))
    bottom_pos = np.zeros(len(years))
    bottom_neg = np.zeros(len(years))
    handles = []
    for k in classes:
        vals = table[k].to_numpy(dtype="float64")
        base = np.where(vals >= 0, bottom_pos, bottom_neg)
        ax.bar(
            positions,
            vals,
            bottom=base,
            width=0.62,
            color=palette[k],
            linewidth=0.6,
            edgecolor="white",
        )
        bottom_pos = bottom_pos + np.clip(vals, 0, None)
        bottom_neg = bottom_neg + np.clip(vals, None, 0)
        handles.append(Patch(color=palette[k], label=t("plot.class_n", lang, cls=k)))

    totals = table.sum(axis=1).to_numpy(dtype="float64")
    texts = (
        format_compact_many(totals, lang, currency)
        if is_money
        else [format_number(v, lang) for v in totals]
    )
    for pos, top, text in zip(positions, bottom_pos, texts, strict=True):
        ax.annotate(
            text,
            xy=(pos, top),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_fs(TICK_SIZE),
            fontweight="bold",
            color=TEXT,
        )
    ax.set_xticks(positions, years)
    ax.tick_params(axis="x", length=0)
    high = float(bottom_pos.max()) if len(bottom_pos) else 1.0
    low = float(bottom_neg.min()) if len(bottom_neg) else 0.0
    ax.set_ylim(low * 1.1, max(high, 1e-9) * 1.12)
    ax.yaxis.set_major_formatter(
        money_formatter(lang, currency) if is_money else number_formatter(lang)
    )
    ax.set_ylabel(label)
    _title(ax, t("plot.yearly.title", lang, value=label))
    _legend(ax, handles=handles[::-1], labels=[h.get_label() for h in handles[::-1]])
    return _finish(ax, grid="y")


def plot_customer_flow(flow: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """New (+) and lost (−) customers per year as bars, active customers as a line.

    The stock of active customers is much larger than the flows, so its line runs in a
    band above the bars, proportional to the count (no second axis; every point carries
    its value).

    Args:
        flow: ``year``, ``active``, ``new``, ``lost`` (counts; ``lost`` positive or
            negative, it is drawn below zero); further columns are ignored. Missing
            flows (e.g. in the first year) are left empty.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(flow, (C.YEAR, ACTIVE, NEW, LOST), "plot_customer_flow")
    ax = _axes(ax)
    data = (
        flow[[C.YEAR, ACTIVE, NEW, LOST]]
        .apply(pd.to_numeric, errors="coerce")
        .astype("float64")
        .dropna(subset=[C.YEAR])
        .sort_values(C.YEAR)
    )
    if data.empty:
        return _no_data(ax, lang, t("plot.flow.title", lang))
    years = [str(int(y)) for y in data[C.YEAR]]
    positions = np.arange(len(years))
    new = data[NEW].to_numpy(dtype="float64")
    lost = -np.abs(data[LOST].to_numpy(dtype="float64"))
    active = data[ACTIVE].to_numpy(dtype="float64")

    ax.bar(
        positions, np.nan_to_num(new), width=0.55, color=POSITIVE, label=t("plot.flow.new", lang)
    )
    ax.bar(
        positions, np.nan_to_num(lost), width=0.55, color=HIGHLIGHT, label=t("plot.flow.lost", lang)
    )
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    for pos, n_new, n_lost in zip(positions, new, lost, strict=True):
        if np.isfinite(n_new) and n_new != 0:
            ax.annotate(
                format_number(n_new, lang, signed=True),
                xy=(pos, n_new),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=_fs(TICK_SIZE),
                color=TEXT,
            )
        if np.isfinite(n_lost) and n_lost != 0:
            ax.annotate(
                format_number(n_lost, lang),
                xy=(pos, n_lost),
                xytext=(0, -3),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=_fs(TICK_SIZE),
                color=TEXT,
            )

    flows_top = float(max(np.nanmax(new, initial=0.0), 1.0))
    flows_bottom = float(min(np.nanmin(lost, initial=0.0), 0.0))
    span = flows_top - flows_bottom
    ax.set_ylim(flows_bottom - 0.15 * span, flows_top + 0.15 * span)
    ax.yaxis.set_major_formatter(number_formatter(lang))
    # left axis: ticks only for the flows
    ax.yaxis.set_major_locator(FixedLocator(_flow_ticks(flows_bottom, flows_top)))

    handles, labels = ax.get_legend_handles_labels()
    finite = active[np.isfinite(active)]
    if finite.size:
        # band above the bars; the line is proportional to the count (0 = bottom of band)
        band_low, band_high = flows_top + 0.2 * span, flows_top + 0.75 * span
        scale = (band_high - band_low) / max(float(finite.max()), 1.0)
        level = band_low + active * scale
        line = ax.plot(
            positions,
            level,
            color=PRIMARY,
            linewidth=2.5,
            marker="o",
            markersize=6,
            label=t("plot.flow.active", lang),
            zorder=3,
        )[0]
        for pos, a, y in zip(positions, active, level, strict=True):
            if np.isfinite(a):
                ax.annotate(
                    format_number(a, lang),
                    xy=(pos, y),
                    xytext=(0, 8),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=_fs(TICK_SIZE),
                    color=PRIMARY,
                    fontweight="bold",
                )
        handles.append(line)
        labels.append(line.get_label())
        ax.set_ylim(flows_bottom - 0.15 * span, band_high + 0.25 * span)
        ax.spines["left"].set_bounds(flows_bottom - 0.15 * span, flows_top + 0.15 * span)

    ax.set_xticks(positions, years)
    ax.set_xlim(-0.6, len(years) - 0.4)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel(t("plot.flow.ylabel", lang))
    low, high = ax.get_ylim()
    middle = (flows_bottom + flows_top) / 2
    ax.yaxis.set_label_coords(-0.07, (middle - low) / (high - low))
    _title(ax, t("plot.flow.title", lang), pad=30)
    _legend(ax, handles=handles, labels=labels, where="top", ncol=len(handles))
    return _finish(ax, grid=None)


def _flow_ticks(low: float, high: float) -> list[float]:
    """A few round ticks from ``low`` (≤ 0) to ``high`` (≥ 0), including 0."""
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    return [float(v) for v in ticks if low - 1e-9 <= v <= high + 1e-9]


# --- generic --------------------------------------------------------------------------


def plot_bars(
    series: pd.Series,
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
    values = values.set_axis([str(_label(i, lang)) for i in values.index])
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
        heading = _label(series.name, lang) if series.name is not None else ""
    if n == 0:
        return _no_data(ax, lang, heading or None)

    positions = np.arange(n)
    heights = values.to_numpy(dtype="float64")
    if money:
        texts = format_compact_many(heights, lang, currency)
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
    else:
        value_axis.set_major_formatter(number_formatter(lang))

    if heading:
        _title(ax, heading)
    return _finish(ax, grid="x" if horizontal else "y")


# --- customer screening (notebook 02) ------------------------------------------------------


def plot_score_distribution(
    table: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    bins: int = 40,
) -> Axes:
    """Histogram of the screening scores (0-100), stacked by priority class.

    Args:
        table: the screening table with ``score`` (0-100) and ``priority_class``.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        bins: number of bins over 0-100.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(table, ("score", "priority_class"), "plot_score_distribution")
    ax = _axes(ax)
    score = pd.to_numeric(table["score"], errors="coerce")
    cls = table["priority_class"].astype("string")
    title = t("screen.plot.score.title", lang)
    if score.notna().sum() == 0:
        return _no_data(ax, lang, title)
    classes = _order_classes(cls.dropna().unique())
    palette = class_palette(classes)
    edges = np.linspace(0.0, 100.0, bins + 1)
    data = [score[(cls == k).to_numpy()].dropna().to_numpy(dtype="float64") for k in classes]
    ax.hist(
        data,
        bins=edges,
        stacked=True,
        color=[palette[k] for k in classes],
        edgecolor="white",
        linewidth=0.4,
        label=[t("screen.plot.class_n", lang, cls=k) for k in classes],
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("screen.plot.score.xlabel", lang))
    ax.set_ylabel(t("screen.plot.score.ylabel", lang))
    ax.yaxis.set_major_formatter(number_formatter(lang))
    _title(ax, title, pad=30)
    _legend(ax, where="top", ncol=len(classes))
    return _finish(ax, grid="y")


def plot_portfolio(
    table: pd.DataFrame,
    thresholds: tuple[float, float],
    position: str = "share_of_wallet",
    ax: Axes | None = None,
    lang: str = "de",
) -> Axes:
    """Portfolio matrix: attractiveness (score) × supplier position, coloured by class.

    The threshold lines split the four quadrants, each labelled with its name and
    what to do (``screen.quadrant.*``). The position axis is clipped at its 99th
    percentile so a few outliers do not squeeze the chart.

    Args:
        table: screening table with ``score``, ``priority_class`` and ``position``.
        thresholds: (score limit, position limit) of the quadrants.
        position: column of the supplier position (a share, e.g. share of wallet).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(table, ("score", "priority_class", position), "plot_portfolio")
    ax = _axes(ax, figsize=(9.0, 6.5))
    title = t("screen.plot.portfolio.title", lang)
    x = pd.to_numeric(table["score"], errors="coerce").to_numpy(dtype="float64")
    y = pd.to_numeric(table[position], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return _no_data(ax, lang, title)
    cls = table["priority_class"].astype("string").to_numpy(dtype=object, na_value="")
    top = float(np.quantile(y[ok], 0.99)) * 1.05 or 1.0
    top = max(top, thresholds[1] * 1.2, 1e-9)
    classes = _order_classes(pd.unique(cls[ok]))
    palette = class_palette(classes)
    n = int(ok.sum())
    size = 18 if n <= 5000 else 4
    for k in classes[::-1]:
        m = ok & (cls == k)
        ax.scatter(
            x[m],
            np.minimum(y[m], top),
            s=size,
            color=palette[k],
            alpha=0.75 if n <= 5000 else 0.35,
            linewidths=0,
            label=t("screen.plot.class_n", lang, cls=k),
        )
    x_thr, y_thr = thresholds
    ax.axvline(x_thr, color=GREY, linewidth=1.0, linestyle="--")
    ax.axhline(y_thr, color=GREY, linewidth=1.0, linestyle="--")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, top)
    corners = {
        "star": (0.99, 0.98, "right", "top"),
        "question_mark": (0.99, 0.02, "right", "bottom"),
        "cash": (0.01, 0.98, "left", "top"),
        "opportunistic": (0.01, 0.02, "left", "bottom"),
    }
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(
            cx,
            cy,
            t(f"screen.quadrant.{q}", lang),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize=_fs(NOTE_SIZE),
            color=HIGHLIGHT if q == "star" else MUTED,
            fontweight="bold",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5},
        )
    ax.set_xlabel(t("screen.plot.portfolio.xlabel", lang))
    ax.set_ylabel(
        _label(position, lang)
        if f"screen.crit.{position}" not in translations()
        else t(f"screen.crit.{position}", lang)
    )
    if position in ("share_of_wallet", "margin_pct", "trend"):
        ax.yaxis.set_major_formatter(pct_formatter(lang))
    _title(ax, title, pad=30)
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=palette[k],
            label=t("screen.plot.class_n", lang, cls=k),
        )
        for k in classes
    ]
    _legend(ax, handles=handles, where="top", ncol=len(classes))
    return _finish(ax, grid=None)


def plot_capacity(capacity: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Utilisation of the available hours by role (bars), 100 % marked.

    Args:
        capacity: output of ``screening.capacity_check`` (index ``role``; ``required``,
            ``available``, ``utilisation``).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes; roles without configured capacity are left out (a note says when
        none is configured).
    """
    check_language(lang)
    _require(capacity, ("required", "available", "utilisation"), "plot_capacity")
    data = capacity.dropna(subset=["utilisation"])
    ax = _axes(ax, figsize=(9.0, 1.4 + 0.6 * max(len(data), 2)))
    title = t("screen.plot.capacity.title", lang)
    if data.empty:
        return _no_data(ax, lang, title, text=t("screen.plot.capacity.none", lang))
    roles = [str(r) for r in data.index]
    role_labels = label_map(roles, lang, "screen.role.")
    labels = [role_labels[r] for r in roles]
    util = data["utilisation"].to_numpy(dtype="float64")
    pos = np.arange(len(roles))[::-1]
    colors = [HIGHLIGHT if u > 1 else PRIMARY for u in util]
    ax.barh(pos, util, height=0.6, color=colors, linewidth=0)
    for p, u, req, avail in zip(pos, util, data["required"], data["available"], strict=True):
        ax.annotate(
            f"{format_pct(u, lang)}  ({format_number(req, lang)} / {format_number(avail, lang)} h)",
            xy=(u, p),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=_fs(NOTE_SIZE),
            color=TEXT,
        )
    ax.axvline(1.0, color=GREY, linewidth=1.0, linestyle="--")
    ax.set_yticks(pos, labels)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, max(1.2, float(np.nanmax(util)) * 1.35))
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(t("screen.plot.capacity.xlabel", lang))
    _title(ax, title)
    return _finish(ax, grid="x")


# --- lever assessment (notebook 03) ---------------------------------------------------

#: Traffic-light colours (Okabe-Ito green, yellow-orange, vermillion; grey = no data).
LIGHT_COLORS: dict[str, str] = {
    "green": "#009e73",
    "amber": "#e6b400",
    "red": HIGHLIGHT,
    "na": LIGHT_GREY,
}


def _lever_short(lever: object, lang: str) -> str:
    """Short lever name for axes (``lever.<id>.short``), else the lever id."""
    key = f"lever.{lever}.short"
    return t(key, lang) if key in translations() else str(lever)


def plot_lever_radar(levers: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Radar chart of the levers: mean current vs. mean target maturity (1-5).

    Args:
        levers: one row per lever with ``lever``, ``current_mean``, ``target_mean``
            (:func:`kk_helpers.stages.levers.analysis.lever_summary`), in the order to draw.
        ax: a *polar* Axes (``subplot_kw={"projection": "polar"}``); new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The (polar) Axes.
    """
    check_language(lang)
    _require(levers, ["lever", "current_mean", "target_mean"], "plot_lever_radar")
    if ax is None:
        with plt.rc_context(style_rc()):
            _, ax = plt.subplots(figsize=(7.5, 7.0), subplot_kw={"projection": "polar"},
                                 layout="constrained")  # fmt: skip
    elif getattr(ax, "name", "") != "polar":
        raise ValueError("plot_lever_radar needs a polar Axes (projection='polar')")
    data = levers.dropna(subset=["current_mean", "target_mean"], how="all")
    title = t("lever.plot.radar.title", lang)
    if data.empty:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0, 0, t("plot.no_data", lang), ha="center", va="center", color=MUTED)
        _title(ax, title)
        return ax
    n = len(data)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    closed = np.append(angles, angles[0])
    series = (("target_mean", GREY, "--", "lever.plot.target"),
              ("current_mean", PRIMARY, "-", "lever.plot.current"))  # fmt: skip
    for col, color, style, key in series:
        vals = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype="float64")
        vals = np.append(vals, vals[0])
        ax.plot(closed, vals, color=color, linestyle=style, linewidth=2, label=t(key, lang))
        if col == "current_mean":
            ax.fill(closed, vals, color=color, alpha=0.18)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, [_lever_short(x, lang) for x in data["lever"]], fontsize=_fs(TICK_SIZE))
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], fontsize=_fs(NOTE_SIZE), color=MUTED)
    ax.grid(color=LIGHT_GREY)
    ax.spines["polar"].set_color(LIGHT_GREY)
    ax.legend(loc="lower right", bbox_to_anchor=(1.12, -0.08), frameon=False,
              fontsize=_fs(TICK_SIZE))  # fmt: skip
    _title(ax, title, pad=24)
    return ax


def plot_lever_priority(levers: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Ranked bars of lever priority = gap × importance, labelled with both factors.

    Args:
        levers: ``lever``, ``gap``, ``importance_mean``, ``priority`` per lever.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes; the highest-priority lever is drawn in the highlight colour.
    """
    check_language(lang)
    _require(levers, ["lever", "gap", "importance_mean", "priority"], "plot_lever_priority")
    data = levers.dropna(subset=["priority"]).sort_values("priority", ascending=False)
    ax = _axes(ax, figsize=(9.0, 1.2 + 0.45 * max(len(data), 3)))
    title = t("lever.plot.priority.title", lang)
    if data.empty:
        return _no_data(ax, lang, title)
    pos = np.arange(len(data))[::-1]
    vals = data["priority"].to_numpy(dtype="float64")
    colors = [HIGHLIGHT if i == 0 else PRIMARY for i in range(len(data))]
    ax.barh(pos, vals, height=0.66, color=colors, linewidth=0)
    for p, v, g, imp in zip(pos, vals, data["gap"], data["importance_mean"], strict=True):
        text = (f"{format_number(v, lang, 1)}  ({format_number(g, lang, 1)} × "
                f"{format_number(imp, lang, 1)})")  # fmt: skip
        ax.annotate(text, xy=(max(v, 0), p), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    ax.set_yticks(pos, [t(f"lever.{x}.name", lang) if f"lever.{x}.name" in translations()
                        else str(x) for x in data["lever"]])  # fmt: skip
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(min(0.0, float(vals.min())) * 1.1, max(float(vals.max()), 1e-9) * 1.3)
    ax.set_xlabel(t("lever.plot.priority.xlabel", lang))
    _title(ax, title)
    return _finish(ax, grid="x")


def plot_lever_bubbles(levers: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Priority map: gap (x) × importance (y), bubble size = disagreement (std).

    Dotted curves are lines of equal priority (gap × importance = 4, 8, 12); levers in
    the upper right are the most urgent.

    Args:
        levers: ``lever``, ``gap``, ``importance_mean``, ``priority`` and optionally
            ``current_std`` per lever.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(levers, ["lever", "gap", "importance_mean", "priority"], "plot_lever_bubbles")
    data = levers.dropna(subset=["gap", "importance_mean"])
    ax = _axes(ax, figsize=(8.5, 6.0))
    title = t("lever.plot.bubble.title", lang)
    if data.empty:
        return _no_data(ax, lang, title)
    x = data["gap"].to_numpy(dtype="float64")
    y = data["importance_mean"].to_numpy(dtype="float64")
    spread = (pd.to_numeric(data["current_std"], errors="coerce").fillna(0.0).to_numpy()
              if "current_std" in data.columns else np.zeros(len(data)))  # fmt: skip
    sizes = 150 + 900 * np.clip(spread, 0, 2) / 2
    top = data["priority"].to_numpy(dtype="float64").argmax()
    colors = [HIGHLIGHT if i == top else PRIMARY for i in range(len(data))]
    ax.scatter(x, y, s=sizes, color=colors, alpha=0.55, edgecolor="white", linewidth=1)
    for xi, yi, lv in zip(x, y, data["lever"], strict=True):
        ax.annotate(_lever_short(lv, lang), xy=(xi, yi), xytext=(0, 14), textcoords="offset points",
                    ha="center", va="bottom", fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    x_hi = max(float(np.nanmax(x)) * 1.2, 1.0)
    grid = np.linspace(0.2, x_hi, 100)
    for level in (4, 8, 12):
        ax.plot(grid, level / grid, linestyle=":", color=GREY, linewidth=1)
        if level / x_hi <= 5:
            ax.annotate(format_number(level, lang), xy=(x_hi, level / x_hi), fontsize=_fs(NOTE_SIZE),
                        color=MUTED, ha="right", va="bottom")  # fmt: skip
    ax.set_xlim(min(0.0, float(np.nanmin(x)) - 0.2), x_hi)
    ax.set_ylim(1, 5.3)
    ax.set_xlabel(t("lever.plot.bubble.xlabel", lang))
    ax.set_ylabel(t("lever.plot.bubble.ylabel", lang))
    _title(ax, title)
    return _finish(ax, grid="both")


def plot_lever_heatmap(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    roles: dict[str, str] | None = None,
) -> Axes:
    """Heatmap respondents × levers of a 1-5 score (default: current maturity).

    Args:
        matrix: respondents (index) × levers (columns), e.g.
            :func:`kk_helpers.stages.levers.analysis.respondent_matrix`; NaN = not rated.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        roles: respondent -> role key, shown next to the name (default
            ``matrix.attrs["roles"]`` when present).

    Returns:
        The Axes (cells annotated with one decimal; empty cells = not rated).
    """
    check_language(lang)
    rows, cols = matrix.shape
    ax = _axes(ax, figsize=(1.6 + 1.05 * max(cols, 3), 1.2 + 0.45 * max(rows, 3)))
    title = t("lever.plot.heatmap.title", lang)
    if rows == 0 or cols == 0:
        return _no_data(ax, lang, title)
    roles = roles if roles is not None else matrix.attrs.get("roles", {})
    table = translations()
    ylabels = []
    for r in matrix.index:
        role = roles.get(r)
        key = f"lever.role.{role}"
        role_text = table[key][lang] if key in table else role
        ylabels.append(f"{r} ({role_text})" if role_text else str(r))
    cmap = LinearSegmentedColormap.from_list("kk_maturity", ["#f4a582", "#f7f7f7", "#4393c3"])
    values = matrix.to_numpy(dtype="float64")
    sns.heatmap(values, ax=ax, cmap=cmap, vmin=1, vmax=5, annot=False, cbar=True, linewidths=0.5,
                linecolor="white", cbar_kws={"label": t("lever.plot.heatmap.cbar", lang)})  # fmt: skip
    for i in range(rows):
        for j in range(cols):
            v = values[i, j]
            if np.isfinite(v):
                ax.text(j + 0.5, i + 0.5, format_number(v, lang, 1), ha="center", va="center",
                        fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    ax.set_xticks(np.arange(cols) + 0.5, [_lever_short(c, lang) for c in matrix.columns],
                  rotation=30, ha="right")  # fmt: skip
    ax.set_yticks(np.arange(rows) + 0.5, ylabels, rotation=0)
    ax.tick_params(length=0, labelsize=_fs(TICK_SIZE), colors=MUTED)
    _title(ax, title)
    return ax


def plot_indicator_lights(
    indicators: pd.DataFrame, ax: Axes | None = None, lang: str = "de"
) -> Axes:
    """Traffic-light table of the data indicators, grouped by lever.

    Args:
        indicators: :func:`kk_helpers.stages.levers.analysis.compute_indicators` output
            (``lever``, ``label``, ``value_text``, ``light``).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes: one line per indicator with a coloured dot (green/amber/red, grey =
        no data), the lever, the indicator label and the formatted value.
    """
    check_language(lang)
    _require(indicators, ["lever", "label", "value_text", "light"], "plot_indicator_lights")
    n = len(indicators)
    ax = _axes(ax, figsize=(11.0, 0.9 + 0.42 * max(n, 3)))
    title = t("lever.plot.lights.title", lang)
    if n == 0:
        return _no_data(ax, lang, title)
    ys = np.arange(n)[::-1]
    prev = None
    for y, lv, label, value, light in zip(ys, indicators["lever"], indicators["label"],
                                          indicators["value_text"], indicators["light"],
                                          strict=True):  # fmt: skip
        ax.scatter([0.02], [y], s=220, color=LIGHT_COLORS.get(str(light), LIGHT_GREY),
                   edgecolor="#9a9a9a", linewidth=0.6, transform=ax.get_yaxis_transform(),
                   clip_on=False)  # fmt: skip
        if lv != prev:
            ax.text(0.05, y, _lever_short(lv, lang), va="center", fontsize=_fs(TICK_SIZE),
                    fontweight="bold", color=TEXT, transform=ax.get_yaxis_transform())  # fmt: skip
            prev = lv
        ax.text(0.27, y, str(label), va="center", fontsize=_fs(TICK_SIZE), color=TEXT,
                transform=ax.get_yaxis_transform())  # fmt: skip
        ax.text(0.98, y, str(value), va="center", ha="right", fontsize=_fs(TICK_SIZE),
                color=TEXT, transform=ax.get_yaxis_transform())  # fmt: skip
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                      markerfacecolor=LIGHT_COLORS[k], markeredgecolor="#9a9a9a",
                      label=t(f"lever.light.{k}", lang)) for k in LIGHT_COLORS]  # fmt: skip
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    _title(ax, title, pad=28)
    return ax


# --- target picture (notebook 04) -----------------------------------------------------

#: Measure priorities: high dark, medium mid, low light (one blue hue); quick wins HIGHLIGHT.
PRIORITY_COLORS: dict[str, str] = {"high": "#0b3d6b", "medium": "#2f76b5", "low": "#9ecae1"}


def _scen_label(name: object, lang: str) -> str:
    """Label of a scenario step (``scen.name.<name>``), else the name."""
    key = f"scen.name.{name}"
    return t(key, lang) if key in translations() else str(name)


def plot_waterfall(
    steps: pd.DataFrame, ax: Axes | None = None, lang: str = "de", currency: str = "EUR"
) -> Axes:
    """Profit bridge from today to the target picture, one bar per measure.

    Args:
        steps: ``step``, ``value``, ``kind`` (``total`` bars stand on zero, ``delta``
            bars float from the running total), e.g. :func:`kk_helpers.stages.target.scenarios.waterfall`.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code for the money axis.

    Returns:
        The Axes: totals in the primary colour, gains green, losses in the highlight colour,
        each bar labelled with its amount.
    """
    check_language(lang)
    _require(steps, ["step", "value", "kind"], "plot_waterfall")
    ax = _axes(ax, figsize=(10.0, 5.0))
    title = t("scen.plot.waterfall.title", lang)
    if steps.empty:
        return _no_data(ax, lang, title)
    values = pd.to_numeric(steps["value"], errors="coerce").fillna(0.0).to_numpy()
    kinds = steps["kind"].astype(str).to_numpy()
    bottoms, heights, colors = [], [], []
    running = 0.0
    for v, k in zip(values, kinds, strict=True):
        if k == "total":
            bottoms.append(0.0)
            heights.append(v)
            colors.append(PRIMARY)
            running = v
        else:
            bottoms.append(running)
            heights.append(v)
            colors.append(POSITIVE if v >= 0 else HIGHLIGHT)
            running += v
    x = np.arange(len(values))
    ax.bar(x, heights, bottom=bottoms, color=colors, width=0.62, linewidth=0)
    span = max(float(np.nanmax(np.abs(np.add(bottoms, heights)))), 1.0)
    for xi, b, h, k in zip(x, bottoms, heights, kinds, strict=True):
        text = format_compact_many([h], lang, currency)[0]
        if k != "total" and h > 0:
            text = "+" + text
        ax.annotate(text, xy=(xi, b + max(h, 0)), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    for i in range(len(x) - 1):
        level = bottoms[i] + heights[i] if kinds[i + 1] != "total" or kinds[i] != "total" else None
        if level is not None:
            ax.plot([x[i] + 0.31, x[i + 1] - 0.31], [level, level], color=GREY, linewidth=0.8)
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    import textwrap

    ax.set_xticks(x, [textwrap.fill(_scen_label(s, lang), 14) for s in steps["step"]])
    ax.set_ylim(min(0.0, float(np.min(np.add(bottoms, np.minimum(heights, 0))))) * 1.1,
                span * 1.15)  # fmt: skip
    ax.yaxis.set_major_formatter(money_formatter(lang, currency))
    ax.set_ylabel(t("scen.plot.waterfall.ylabel", lang))
    _title(ax, title)
    return _finish(ax, grid="y")


def plot_tornado(
    sens: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "de",
    currency: str = "EUR",
    top: int = 8,
) -> Axes:
    """Tornado chart: how much the total profit effect moves with each assumption.

    Args:
        sens: indexed by assumption with ``low``, ``high`` (profit effect at the low and
            high value), ``base`` and ideally ``low_value`` / ``high_value``, e.g.
            :func:`kk_helpers.stages.target.scenarios.tornado`.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code for the money axis.
        top: number of assumptions shown (largest swing first).

    Returns:
        The Axes: bars from the base effect to the low (light) and high (dark) variant.
    """
    check_language(lang)
    _require(sens, ["low", "high", "base"], "plot_tornado")
    data = sens.assign(_s=(sens["high"] - sens["low"]).abs()).sort_values("_s", ascending=False)
    data = data.head(top)
    ax = _axes(ax, figsize=(9.5, 1.2 + 0.5 * max(len(data), 3)))
    title = t("scen.plot.tornado.title", lang)
    if data.empty:
        return _no_data(ax, lang, title)
    base = float(data["base"].iloc[0])
    pos = np.arange(len(data))[::-1]
    low = data["low"].to_numpy(dtype="float64") - base
    high = data["high"].to_numpy(dtype="float64") - base
    ax.barh(pos, low, left=base, height=0.6, color=CLASS_COLORS["C"], linewidth=0,
            label=t("scen.plot.tornado.low", lang))  # fmt: skip
    ax.barh(pos, high, left=base, height=0.6, color=PRIMARY, linewidth=0,
            label=t("scen.plot.tornado.high", lang))  # fmt: skip
    ax.axvline(base, color=TEXT, linewidth=1.0)
    names = [str(name) for name in data.index]
    param_labels = label_map(names, lang, "scen.param.")
    ax.set_yticks(pos, [param_labels[name] for name in names])
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_formatter(money_formatter(lang, currency))
    ax.set_xlabel(t("scen.plot.tornado.xlabel", lang))
    _legend(ax, where="top", ncol=2)
    _title(ax, title, pad=28)
    return _finish(ax, grid="x")


def _measure_colors(frame: pd.DataFrame) -> list[str]:
    """Colour per measure: quick wins :data:`HIGHLIGHT`, others by ``priority``
    (:data:`PRIORITY_COLORS`; medium without the column, :data:`PRIMARY` if unknown)."""
    qw = frame["quick_win"].to_numpy(dtype=bool)
    prio = (frame["priority"].astype(str) if "priority" in frame.columns
            else pd.Series("medium", index=frame.index)).to_numpy()  # fmt: skip
    return [
        HIGHLIGHT if q else PRIORITY_COLORS.get(p, PRIMARY) for q, p in zip(qw, prio, strict=True)
    ]


def _measure_handles(lang: str) -> list[Patch]:
    """Legend handles of :func:`_measure_colors`: quick win, then the priorities."""
    return [Patch(color=HIGHLIGHT, label=t("measure.quick_win", lang))] + [
        Patch(color=PRIORITY_COLORS[p], label=t(f"measure.priority.{p}", lang))
        for p in PRIORITY_COLORS
    ]


def plot_impact_effort(
    measures: pd.DataFrame, ax: Axes | None = None, lang: str = "de", label_top: int = 12
) -> Axes:
    """Impact–effort matrix of the measures (quick wins top left).

    Args:
        measures: ``impact``, ``effort`` (1-5), ``quick_win`` (bool), ``rank`` and
            optionally ``priority`` per measure (:func:`kk_helpers.stages.target.measures.rank_measures`).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        label_top: the best ``label_top`` measures are labelled with their rank.

    Returns:
        The Axes; measures on the same cell are spread around it so all stay visible.
    """
    check_language(lang)
    _require(measures, ["impact", "effort", "quick_win", "rank"], "plot_impact_effort")
    ax = _axes(ax, figsize=(8.0, 6.5))
    title = t("measure.plot.matrix.title", lang)
    if measures.empty:
        return _no_data(ax, lang, title)
    x = measures["effort"].to_numpy(dtype="float64")
    y = measures["impact"].to_numpy(dtype="float64")
    # spread measures sharing a cell on a small circle (deterministic)
    cell = pd.Series(list(zip(x, y, strict=True)))
    k = cell.groupby(cell).cumcount().to_numpy()
    n = cell.map(cell.value_counts()).to_numpy()
    angle = 2 * np.pi * k / np.maximum(n, 1)
    radius = np.where(n > 1, 0.22, 0.0)
    xs, ys = x + radius * np.cos(angle), y + radius * np.sin(angle)
    ax.axvspan(0.5, 2.5, ymin=(3.5 - 0.5) / 5, ymax=1, color=POSITIVE, alpha=0.08, linewidth=0)
    ax.axvline(3, color=GREY, linewidth=0.8, linestyle="--")
    ax.axhline(3, color=GREY, linewidth=0.8, linestyle="--")
    colors = _measure_colors(measures)
    ax.scatter(xs, ys, s=260, color=colors, edgecolor="white", linewidth=1, zorder=3)
    ranks = measures["rank"].to_numpy()
    for xi, yi, r, c in zip(xs, ys, ranks, colors, strict=True):
        if r <= label_top:
            ax.text(xi, yi, str(int(r)), ha="center", va="center", fontsize=_fs(NOTE_SIZE),
                    color=_text_color(c), zorder=4)  # fmt: skip
    ax.text(0.6, 5.45, t("measure.plot.matrix.quick_wins", lang), fontsize=_fs(NOTE_SIZE),
            color=POSITIVE, va="bottom")  # fmt: skip
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.9)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_xlabel(t("measure.plot.matrix.xlabel", lang))
    ax.set_ylabel(t("measure.plot.matrix.ylabel", lang))
    handles = _measure_handles(lang)
    _legend(ax, handles=handles, where="right")
    _title(ax, title)
    return _finish(ax, grid=None)


def plot_roadmap(
    plan: pd.DataFrame, ax: Axes | None = None, lang: str = "de", horizon: int | None = None
) -> Axes:
    """Gantt-style roadmap of the measures plan (months from the plan start).

    Args:
        plan: ``measure``, ``start_month``, ``end_month``, ``quick_win`` and optionally
            ``priority`` and ``start`` (date of month 0) per measure, in the order to show
            (first on top), e.g. :func:`kk_helpers.stages.target.measures.measures_plan`.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        horizon: months on the axis (default: the latest end).

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(plan, ["measure", "start_month", "end_month", "quick_win"], "plot_roadmap")
    ax = _axes(ax, figsize=(11.0, 1.3 + 0.38 * max(len(plan), 4)))
    title = t("measure.plot.roadmap.title", lang)
    if plan.empty:
        return _no_data(ax, lang, title)
    start = plan["start_month"].to_numpy(dtype="float64")
    end = plan["end_month"].to_numpy(dtype="float64")
    pos = np.arange(len(plan))[::-1]
    colors = _measure_colors(plan)
    ax.barh(pos, end - start, left=start, height=0.62, color=colors, linewidth=0)
    labels = [str(m) if len(str(m)) <= 48 else str(m)[:46] + "…" for m in plan["measure"]]
    ax.set_yticks(pos, labels)
    ax.tick_params(axis="y", length=0)
    h = int(horizon or max(float(end.max()), 1.0))
    ax.set_xlim(0, h)
    ticks = list(range(0, h + 1, 3))
    ax.set_xticks(ticks, [t("measure.plot.roadmap.month", lang, m=m) for m in ticks])
    ax.set_xlabel(t("measure.plot.roadmap.xlabel", lang))
    handles = _measure_handles(lang)
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    _title(ax, title, pad=28)
    return _finish(ax, grid="x")


def plot_before_after(
    table: pd.DataFrame,
    metric: str = "profit",
    ax: Axes | None = None,
    lang: str = "de",
    currency: str | None = "EUR",
) -> Axes:
    """Before/after bars per class of one metric of the target picture.

    Args:
        table: indexed by class with ``<metric>_before`` and ``<metric>_after``, e.g.
            :func:`kk_helpers.stages.target.scenarios.before_after` (a ``total`` row is left out).
        metric: ``customers``, ``revenue``, ``margin``, ``cost_to_serve``, ``profit`` or ``fte``.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code for money metrics; None for counts (customers, FTE).

    Returns:
        The Axes: light bars today, dark bars in the target picture, per class.
    """
    check_language(lang)
    cols = [f"{metric}_before", f"{metric}_after"]
    _require(table, cols, "plot_before_after")
    data = table.drop(index=[i for i in table.index if str(i) == "total"])
    ax = _axes(ax, figsize=(8.0, 4.5))
    title = t("scen.plot.before_after.title", lang, metric=t(f"scen.metric.{metric}", lang))
    if data.empty:
        return _no_data(ax, lang, title)
    classes = [str(c) for c in data.index]
    x = np.arange(len(classes))
    w = 0.38
    before = data[cols[0]].to_numpy(dtype="float64")
    after = data[cols[1]].to_numpy(dtype="float64")
    ax.bar(x - w / 2, before, width=w, color=LIGHT_GREY, edgecolor="#9a9a9a", linewidth=0.6,
           label=t("scen.plot.before", lang))  # fmt: skip
    ax.bar(x + w / 2, after, width=w, color=[CLASS_COLORS.get(c, PRIMARY) for c in classes],
           linewidth=0, label=t("scen.plot.after", lang))  # fmt: skip
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    ax.set_xticks(x, [t("scen.plot.class", lang, cls=c) for c in classes])
    money = currency is not None and metric not in ("customers", "fte")
    ax.yaxis.set_major_formatter(
        money_formatter(lang, currency) if money else number_formatter(lang)
    )
    handles = [Patch(facecolor=LIGHT_GREY, edgecolor="#9a9a9a", label=t("scen.plot.before", lang)),
               Patch(color=PRIMARY, label=t("scen.plot.after", lang))]  # fmt: skip
    _legend(ax, handles=handles, where="top", ncol=2)
    _title(ax, title, pad=28)
    return _finish(ax, grid="y")


# --- status quo: structure panels ---------------------------------------------------

#: (dimension, value shown in the bar chart, money?) in display order
STRUCTURE_PANELS = (
    (C.INDUSTRY, "revenue", True),
    (C.SIZE_BAND, "customers", False),
    (C.REGION, "revenue", True),
    (C.MAIN_CHANNEL, "customers", False),
)


def structure_figure(sq):
    """Bar charts of customers/revenue by industry, size band, region and main channel.

    Only dimensions present in the data get a panel (two per row). Returns the
    matplotlib Figure, or None when there is nothing to show. ``sq`` is a
    :class:`kk_helpers.stages.status_quo.analysis.StatusQuo`.
    """
    import matplotlib.pyplot as plt

    panels = [(d, v, m) for d, v, m in STRUCTURE_PANELS if d in sq.structure]
    if not panels:
        return None
    rows = (len(panels) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(13, 4.5 * rows), squeeze=False)
    for ax, (dim, value, money) in zip(axes.flat, panels, strict=False):
        plot_bars(
            sq.structure[dim][value],
            ax=ax,
            lang=sq.lang,
            money=money,
            currency=sq.currency,
            title=i18n_label(dim, sq.lang),
        )
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
