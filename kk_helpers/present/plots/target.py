"""Target-picture figures (notebook 04): waterfall, tornado, impact-effort matrix,
roadmap and before/after."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from kk_helpers.core.formatting import (
    format_compact_many,
    money_formatter,
    number_formatter,
)
from kk_helpers.core.i18n import SCENARIO_SCOPES, check_language, label_map, t
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.present.plots.common import (
    CLASS_COLORS,
    GREY,
    HIGHLIGHT,
    LIGHT_GREY,
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
    _require,
    _text_color,
    _title,
)
from kk_helpers.present.plots.layout import (
    category_figwidth,
    set_category_ticks,
    wrap_label,
    wrap_labels,
)
from kk_helpers.stages.target.measures import roadmap_tick_labels

# --- target picture (notebook 04) -----------------------------------------------------

#: Measure priorities: high dark, medium mid, low light (one blue hue); quick wins HIGHLIGHT.
PRIORITY_COLORS: dict[str, str] = {"high": "#0b3d6b", "medium": "#2f76b5", "low": "#9ecae1"}


def _scen_label(name: object, lang: str) -> str:
    """Label of a scenario step (``scen.name.<name>``, else its parameter or stage), else the name."""
    return i18n_label(name, lang, scopes=SCENARIO_SCOPES)


def plot_waterfall(
    steps: pd.DataFrame, *, ax: Axes | None = None, lang: str = "de", currency: str = "EUR"
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
    names = [_scen_label(s, lang) for s in steps["step"]]
    ax = _axes(ax, figsize=(category_figwidth(names, base=10.0, font_pt=_fs(TICK_SIZE)), 5.0))
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
        text = format_compact_many([h], lang, currency=currency)[0]
        if k != "total" and h > 0:
            text = "+" + text
        ax.annotate(text, xy=(xi, b + max(h, 0)), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    for i in range(len(x) - 1):
        level = bottoms[i] + heights[i] if kinds[i + 1] != "total" or kinds[i] != "total" else None
        if level is not None:
            ax.plot([x[i] + 0.31, x[i + 1] - 0.31], [level, level], color=GREY, linewidth=0.8)
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    ax.set_ylim(min(0.0, float(np.min(np.add(bottoms, np.minimum(heights, 0))))) * 1.1,
                span * 1.15)  # fmt: skip
    ax.yaxis.set_major_formatter(money_formatter(lang, currency))
    ax.set_ylabel(t("scen.plot.waterfall.ylabel", lang))
    _title(ax, title)
    _finish(ax, grid="y")
    set_category_ticks(ax, x, names, font_pt=_fs(TICK_SIZE))
    return ax


def plot_tornado(
    sens: pd.DataFrame,
    *,
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
    ax.set_xlabel(t("target.kf.profit_effect", lang))
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
    return [Patch(color=HIGHLIGHT, label=t("col.quick_win", lang))] + [
        Patch(color=PRIORITY_COLORS[p], label=t(f"measure.priority.{p}", lang))
        for p in PRIORITY_COLORS
    ]


def plot_impact_effort(
    measures: pd.DataFrame, *, ax: Axes | None = None, lang: str = "de", label_top: int = 12
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
    plan: pd.DataFrame, *, ax: Axes | None = None, lang: str = "de", horizon: int | None = None
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
    lines = sum(wrap_label(m, 40).count("\n") + 1 for m in plan["measure"])
    ax = _axes(ax, figsize=(11.0, 1.3 + 0.3 * max(lines, 4) + 0.15 * len(plan)))
    title = t("measure.plot.roadmap.title", lang)
    if plan.empty:
        return _no_data(ax, lang, title)
    start = plan["start_month"].to_numpy(dtype="float64")
    end = plan["end_month"].to_numpy(dtype="float64")
    pos = np.arange(len(plan))[::-1]
    colors = _measure_colors(plan)
    ax.barh(pos, end - start, left=start, height=0.62, color=colors, linewidth=0)
    ax.set_yticks(pos, wrap_labels(plan["measure"], 40))
    ax.tick_params(axis="y", length=0)
    h = int(horizon or max(float(end.max()), 1.0))
    ax.set_xlim(0, h)
    ticks = list(range(0, h + 1, 3))
    ax.set_xticks(ticks, roadmap_tick_labels(plan, ticks, lang))  # calendar months
    ax.set_xlabel(t("measure.plot.roadmap.xlabel", lang))
    handles = _measure_handles(lang)
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    _title(ax, title, pad=28)
    return _finish(ax, grid="x")


def plot_before_after(
    table: pd.DataFrame,
    metric: str = "profit",
    *,
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
    title = t(
        "scen.plot.before_after.title",
        lang,
        metric=i18n_label(metric, lang, scopes=("scen.metric", "fig.unit")),
    )
    if data.empty:
        return _no_data(ax, lang, title)
    classes = [str(c) for c in data.index]
    x = np.arange(len(classes))
    w = 0.38
    before = data[cols[0]].to_numpy(dtype="float64")
    after = data[cols[1]].to_numpy(dtype="float64")
    ax.bar(x - w / 2, before, width=w, color=LIGHT_GREY, edgecolor="#9a9a9a", linewidth=0.6,
           label=t("scen.name.today", lang))  # fmt: skip
    ax.bar(x + w / 2, after, width=w, color=[CLASS_COLORS.get(c, PRIMARY) for c in classes],
           linewidth=0, label=t("fig.stage.target", lang))  # fmt: skip
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    ax.set_xticks(x, [t("plot.class", lang, cls=c) for c in classes])
    money = currency is not None and metric not in ("customers", "fte")
    if money:
        ax.yaxis.set_major_formatter(money_formatter(lang, currency))
    elif metric == "customers":
        _count_axis(ax.yaxis, lang)
    else:
        ax.yaxis.set_major_formatter(number_formatter(lang))
    handles = [Patch(facecolor=LIGHT_GREY, edgecolor="#9a9a9a", label=t("scen.name.today", lang)),
               Patch(color=PRIMARY, label=t("fig.stage.target", lang))]  # fmt: skip
    _legend(ax, handles=handles, where="top", ncol=2)
    _title(ax, title, pad=28)
    return _finish(ax, grid="y")
