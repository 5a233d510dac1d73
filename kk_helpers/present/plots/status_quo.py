"""Status-quo figures (notebook 01): concentration, class profile and matrices,
channel mix and the structure panels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import (
    currency_symbol,
    format_money,
    format_number,
    format_pct,
    pct_formatter,
)
from kk_helpers.core.i18n import check_language, t
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.present.plots.common import (
    GREY,
    HIGHLIGHT,
    LABEL_SIZE,
    MUTED,
    NOTE_SIZE,
    PRIMARY,
    TEXT,
    _axes,
    _finish,
    _fs,
    _legend,
    _no_data,
    _order_channels,
    _order_classes,
    _palette,
    _require,
    _share_axes,
    _sorted_xy,
    _text_color,
    _title,
    channel_palette,
    plot_bars,
    plot_label,
    style_rc,
)

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
# profile metrics shown by default
PROFILE_METRICS = (
    "customers_share",
    "revenue_share",
    "margin_share",
    "visits_share",
    "cost_to_serve_share",
)

# --- concentration --------------------------------------------------------------------


def plot_pareto(
    curve: pd.DataFrame,
    *,
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
            ``plot.value.margin``, ``plot.value.cm3``; lower case in English).

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
    ax.set_ylabel(t("plot.cumulative_share", lang, value=value))
    _title(ax, t("plot.pareto.title", lang, value=value))
    _legend(ax, handles=handles, labels=labels, where="inside")
    ax.get_legend().set_loc("lower right")
    return _finish(ax, grid="both")


def plot_lorenz(
    curve: pd.DataFrame,
    *,
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
    ax.set_ylabel(t("plot.cumulative_share", lang, value=value))
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
    *,
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
        handles.append(Patch(color=color, label=plot_label(metric, lang)))
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
    *,
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
        title_key: translation key of the title; when None the title names the rows
            and columns ("rows × columns", from the index and column names).
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
        xticklabels=[plot_label(c, lang) for c in matrix.columns],
        yticklabels=[plot_label(i, lang) for i in matrix.index],
    )
    ax.set_xlabel(plot_label(matrix.columns.name, lang) if matrix.columns.name is not None else "")
    ax.set_ylabel(plot_label(matrix.index.name, lang) if matrix.index.name is not None else "")
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
    elif matrix.index.name is not None and matrix.columns.name is not None:
        # a panel title of its own (e.g. two comparison heatmaps side by side)
        rows, columns = plot_label(matrix.index.name, lang), plot_label(matrix.columns.name, lang)
        _title(ax, t("plot.matrix.rows_by_columns", lang, rows=rows, columns=columns), pad=12)
    return ax


def _format_cell(v: float, fmt: str, lang: str) -> str:
    """One heatmap annotation in the language's number format."""
    if not np.isfinite(v):
        return ""
    if fmt in ("d", "n", ",d", ",", ",.0f"):
        return format_number(v, lang, decimals=0)
    if fmt in ("pct", "%"):
        return format_pct(v, lang, decimals=0)
    if fmt == "money":
        return format_money(v, lang)
    if fmt.startswith(".") and fmt[1:-1].isdigit() and fmt[-1] in "f%":
        digits = int(fmt[1:-1])
        return (
            format_pct(v, lang, decimals=digits)
            if fmt.endswith("%")
            else format_number(v, lang, decimals=digits)
        )
    return format(v, fmt)


# --- channels -------------------------------------------------------------------------


#: title of the channel mix per value axis: two charts side by side need distinct titles
_CHANNEL_MIX_TITLES = {
    "metric.orders_share": "plot.channel_mix.title_orders",
    "metric.revenue_share": "plot.channel_mix.title_revenue",
}


def plot_channel_mix(
    mix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "de",
    value_label_key: str = "metric.revenue_share",
) -> Axes:
    """Channel mix per class as 100 % stacked horizontal bars (A at the top).

    Args:
        mix: index class, one column per channel (``columns.CHANNELS``; other channel
            names are shown as they are), shares 0–1 summing to 1 per row.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        value_label_key: translation key of the value axis label
            (default "share of revenue"); orders or revenue share also name the title
            ("... by orders" / "... by revenue").

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
        handles.append(Patch(color=color, label=plot_label(ch, lang)))

    ax.set_yticks(positions, [t("plot.class_n", lang, cls=k) for k in classes])
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, max(1.0, float(left.max()) if len(left) else 1.0))
    ax.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(t(value_label_key, lang))
    title_key = _CHANNEL_MIX_TITLES.get(value_label_key, "plot.channel_mix.title")
    _title(ax, t(title_key, lang), pad=30)
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    _finish(ax, grid=None)
    ax.spines["left"].set_visible(False)
    return ax


# --- status quo: structure panels ---------------------------------------------------

#: (dimension, value shown in the bar chart, money?) in display order
STRUCTURE_PANELS = (
    (C.INDUSTRY, "revenue", True),
    (C.SIZE_BAND, "customers", False),
    (C.REGION, "revenue", True),
    (C.MAIN_CHANNEL, "customers", False),
)


def structure_figure(sq, *, lang: str):
    """Bar charts of customers/revenue by industry, size band, region and main channel.

    Only dimensions present in the data get a panel (two per row). Returns the
    matplotlib Figure, or None when there is nothing to show. ``sq`` is a
    :class:`kk_helpers.stages.status_quo.analysis.StatusQuo`.
    """

    panels = [(d, v, m) for d, v, m in STRUCTURE_PANELS if d in sq.structure]
    if not panels:
        return None
    rows = (len(panels) + 1) // 2
    with plt.rc_context(style_rc()):
        fig, axes = plt.subplots(
            rows, 2, figsize=(13, 4.5 * rows), squeeze=False, layout="constrained"
        )
    for ax, (dim, value, money) in zip(axes.flat, panels, strict=False):
        plot_bars(
            sq.structure[dim][value],
            ax=ax,
            lang=lang,
            money=money,
            currency=sq.currency,
            title=(
                t("plot.size_band.title", lang, unit=currency_symbol(sq.currency))
                if dim == C.SIZE_BAND
                else i18n_label(dim, lang)
            ),
        )
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    return fig
