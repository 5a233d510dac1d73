"""Status-quo figures (notebook 01) of orders and development over time: order
sizes, yearly values by class and the customer flow."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
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
)
from kk_helpers.core.i18n import check_language, t
from kk_helpers.present.plots.common import (
    HIGHLIGHT,
    LABEL_SIZE,
    MUTED,
    NOTE_SIZE,
    POSITIVE,
    PRIMARY,
    TEXT,
    TICK_SIZE,
    _axes,
    _count_axis,
    _finish,
    _fs,
    _legend,
    _no_data,
    _order_classes,
    _require,
    _text_color,
    _title,
    class_palette,
    plot_label,
)

# Flow columns produced by the development metrics (not yet in ``columns.py``).
ACTIVE = "active"
NEW = "new"
LOST = "lost"
# count-like values of ``plot_yearly_by_class`` (all other values are money)
_COUNT_VALUES = frozenset({C.CUSTOMERS, C.ORDERS, C.LINES, "activities"})

# --- orders ---------------------------------------------------------------------------


def plot_order_sizes(
    sizes: pd.DataFrame,
    *,
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


# --- development ----------------------------------------------------------------------


def plot_yearly_by_class(
    long: pd.DataFrame,
    *,
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
    label = plot_label(value, lang)
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
        format_compact_many(totals, lang, currency=currency)
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
    if is_money:
        ax.yaxis.set_major_formatter(money_formatter(lang, currency))
    else:
        _count_axis(ax.yaxis, lang)
    ax.set_ylabel(label)
    _title(ax, t("plot.yearly.title", lang, value=label))
    _legend(ax, handles=handles[::-1], labels=[h.get_label() for h in handles[::-1]])
    return _finish(ax, grid="y")


def plot_customer_flow(flow: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """New (+) and lost (−) customers per year as bars, active customers as a line.

    The stock of active customers is much larger than the flows, so its line runs in a
    band above the bars on its own labelled axis at the right (from 0); every point
    carries its value.

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

    ax.bar(positions, np.nan_to_num(new), width=0.55, color=POSITIVE, label=t("metric.new", lang))
    ax.bar(
        positions, np.nan_to_num(lost), width=0.55, color=HIGHLIGHT, label=t("metric.lost", lang)
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
        # a band above the bars with its own axis at the right: active customers, from 0
        band_low, band_high = flows_top + 0.2 * span, flows_top + 0.75 * span
        low, high = flows_bottom - 0.15 * span, band_high + 0.25 * span
        ax.set_ylim(low, high)
        ax.spines["left"].set_bounds(low, flows_top + 0.15 * span)
        f_low, f_high = (band_low - low) / (high - low), (band_high - low) / (high - low)
        a_max = max(float(finite.max()), 1.0)
        per_frac = a_max / (f_high - f_low)
        right = ax.twinx()
        right.set_ylim(-f_low * per_frac, (1 - f_low) * per_frac)
        line = right.plot(
            positions,
            active,
            color=PRIMARY,
            linewidth=2.5,
            marker="o",
            markersize=6,
            label=t("metric.active", lang),
            zorder=3,
        )[0]
        for pos, a in zip(positions, active, strict=True):
            if np.isfinite(a):
                right.annotate(
                    format_number(a, lang),
                    xy=(pos, a),
                    xytext=(0, 8),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=_fs(TICK_SIZE),
                    color=PRIMARY,
                    fontweight="bold",
                )
        right.yaxis.set_major_locator(FixedLocator(_flow_ticks(0.0, a_max)))
        right.yaxis.set_major_formatter(number_formatter(lang))
        right.set_ylabel(t("metric.active", lang), color=PRIMARY)
        right.yaxis.label.set_y((f_low + f_high) / 2)  # beside the band; x stays automatic
        for side in ("top", "left", "bottom"):
            right.spines[side].set_visible(False)
        right.spines["right"].set_bounds(0.0, a_max)
        right.spines["right"].set_color("#9a9a9a")
        right.tick_params(axis="y", labelsize=_fs(TICK_SIZE), colors=PRIMARY)
        right.yaxis.label.set_size(_fs(LABEL_SIZE))
        handles.append(line)
        labels.append(line.get_label())

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
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 5, 10], integer=True).tick_values(low, high)
    return [float(v) for v in ticks if low - 1e-9 <= v <= high + 1e-9]
