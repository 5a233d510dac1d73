"""Compute a client's headline figures once (the registry in :mod:`kk_helpers.metrics.figures`).

Each stage contributes the figures it defines, from its own analysis result:
:func:`status_quo_figures` (stage 1), :func:`screening_figures` (stage 2),
:func:`target_figures` (stage 4). :func:`headline_figures` runs the stages with the
client's config and returns all of them; :func:`client_figures` caches them as
``figures.json`` next to the prepared data, so every notebook and every output of one run
reads the same numbers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.metrics.figures import Figure, HeadlineFigures

FIGURES_FILE = "figures.json"

#: revenue classes that make the "small customers" of stage 1 (revenue ABC/D)
ABC_SMALL_CLASSES = ("C", "D")
#: priority classes of the screening that make its "small customers" (another notion)
PRIORITY_SMALL_CLASSES = ("C", "D")


def sum_over_classes(profile: pd.DataFrame, column: str, classes: tuple[str, ...]) -> float:
    """Sum of a class-profile column over ``classes`` (rows missing: left out); NaN when
    the column or all the classes are missing."""
    if column not in profile.columns:
        return math.nan
    rows = profile.reindex([c for c in classes if c in profile.index])[column]
    return float(rows.sum(min_count=1)) if len(rows) else math.nan


def status_quo_figures(sq: Any) -> list[Figure]:
    """The stage-1 headline figures of a :class:`~kk_helpers.stages.status_quo.analysis.StatusQuo`.

    Concentration on each customer's net revenue over the analysis years (negative totals
    clipped to 0 for Gini/HHI); revenue classes C/D from the ABC/D classification; whale
    peak and unprofitable share on CM III (not available without margin data); cost per
    order, margin % and break-even order value of the last analysis year.

    Returns:
        list of :class:`~kk_helpers.metrics.figures.Figure`.
    """
    s = sq.concentration.set_index(C.METRIC)[C.VALUE]
    n = s.get("customers", math.nan)
    out = [
        Figure.of("customers", n, "no_customers"),
        Figure.of("revenue_total", s.get("total"), "no_customers"),
        Figure.of("top20_revenue_share", s.get("top20pct_share"), "no_positive_revenue"),
        Figure.of(
            "customers_for_80pct_revenue", s.get("customers_for_80pct_share"), "no_positive_revenue"
        ),
        Figure.of("gini", s.get("gini"), "no_positive_revenue"),
        Figure.of("hhi", s.get("hhi"), "no_positive_revenue"),
        Figure.of(
            "abc_small_customer_share",
            sum_over_classes(sq.profile, "customers_share", ABC_SMALL_CLASSES),
            "no_customers",
        ),
        Figure.of(
            "abc_small_revenue_share",
            sum_over_classes(sq.profile, "revenue_share", ABC_SMALL_CLASSES),
            "no_positive_revenue",
        ),
    ]
    w = sq.whale_summary
    if not sq.has_margin:
        out += [Figure.missing("whale_peak", "no_margin"),
                Figure.missing("unprofitable_customer_share", "no_margin")]  # fmt: skip
    else:
        peak = w.get("peak_pct", math.nan) / 100.0 if w.get("total_profit", 0) > 0 else math.nan
        out += [Figure.of("whale_peak", peak, "cm3_total_not_positive"),
                Figure.of("unprofitable_customer_share", w.get("unprofitable_share"))]  # fmt: skip
    econ = sq.order_economics
    reason = econ.reason or "not_computable"
    # a cost of 0 per order means "no cost rates", a margin of nothing "no margin": never 0
    cost_missing = econ.reason in ("no_orders", "no_cost_rates")
    margin_missing = econ.reason in ("no_orders", "no_margin")
    out += [
        Figure.missing("cost_per_order", reason) if cost_missing
        else Figure.of("cost_per_order", econ.cost_per_order, reason),
        Figure.missing("margin_pct", reason) if margin_missing
        else Figure.of("margin_pct", econ.margin_pct, reason),
        Figure.of("break_even_order_value", econ.break_even, reason),
    ]  # fmt: skip
    return out


def screening_figures(table: pd.DataFrame) -> list[Figure]:
    """The stage-2 headline figures of a screening table (``screening.parquet``).

    Args:
        table: one row per customer with ``priority_class``, ``revenue_total``,
            ``service_level`` and ``smart_account`` (the last three where available).

    Returns:
        Priority classes C/D shares of customers and of the analysis period's revenue
        (:func:`kk_helpers.metrics.capacity.class_shares`), customers per service level
        (:func:`kk_helpers.metrics.capacity.level_counts`) and the smart accounts.
    """
    from kk_helpers.metrics.capacity import SERVICE_LEVEL, class_shares, level_counts

    revenue = table[C.REVENUE_TOTAL] if C.REVENUE_TOTAL in table.columns else None
    cust, rev = class_shares(
        table["priority_class"],
        revenue if revenue is not None else pd.Series(np.nan, index=table.index),
        PRIORITY_SMALL_CLASSES,
    )
    out = [
        Figure.of("priority_small_customer_share", cust, "no_customers"),
        Figure.of("priority_small_revenue_share", rev, "no_positive_revenue"),
    ]
    if SERVICE_LEVEL in table.columns:
        counts = level_counts(table[SERVICE_LEVEL])
        out += [Figure.of(f"{level}_customers", counts[level]) for level in counts.index]
    else:
        out += [Figure.missing(f"{level}_customers", "not_computable")
                for level in ("strategic", "sales", "service")]  # fmt: skip
    potential = table["potential"] if "potential" in table.columns else None
    if potential is not None and not pd.to_numeric(potential, errors="coerce").notna().any():
        # unused potential defines a smart account: without potential data none can be found
        out.append(Figure.missing("smart_accounts", "no_potential"))
    elif "smart_account" in table.columns:
        out.append(Figure.of("smart_accounts", int(table["smart_account"].astype(bool).sum())))
    else:
        out.append(Figure.missing("smart_accounts", "not_computable"))
    return out


def target_figures(tp: Any) -> list[Figure]:
    """The stage-4 headline figures of a :class:`~kk_helpers.stages.target.analysis.TargetPicture`.

    Recommended minimum order value (break-even × (1 + markup); not available with the
    break-even's reason), FTE before/target/freed of the one capacity model
    (:func:`kk_helpers.metrics.capacity.capacity_by_role`, net over the roles) and the
    profit effect of all scenarios (CM III: not available without margin data, where the
    scenarios' result is only an upper bound).
    """
    from kk_helpers.metrics.capacity import net_fte_freed

    inputs, cap = tp.inputs, tp.care_capacity
    mov_reason = inputs.break_even_reason or "no_break_even"
    out = [Figure.of("recommended_minimum_order_value",
                     inputs.recommended_mov(tp.settings.mov_markup), mov_reason)]  # fmt: skip
    if len(cap):
        out += [
            Figure.of("fte_today", float(cap["fte_before"].sum())),
            Figure.of("fte_target", float(cap["fte_target"].sum())),
            Figure.of("fte_freed", net_fte_freed(cap)),
        ]
    else:
        out += [
            Figure.missing(c, "not_computable") for c in ("fte_today", "fte_target", "fte_freed")
        ]
    if tp.has("margin"):
        out.append(Figure.of("profit_effect", tp.result.profit))
    else:  # the lost orders' CM I is unknown: the CM III change cannot be computed
        out.append(Figure.missing("profit_effect", "no_margin"))
    return out


def headline_figures(prep: Any, *, lang: str = "de") -> HeadlineFigures:
    """Compute every headline figure of a prepared client, with the config's settings.

    Args:
        prep: a :class:`~kk_helpers.stages.prepare.PreparedClient` (its ``figures`` are
            ignored; this is what fills them).
        lang: report language (used only for labels inside the stage results; the figures
            themselves are language-free).

    Returns:
        :class:`~kk_helpers.metrics.figures.HeadlineFigures` with the figures of stages 1,
        2 and 4 (2 and 4 need the screening; figures that cannot be computed are present and
        not available, with their reason).
    """
    from kk_helpers.stages.screening.analysis import run_screening
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo
    from kk_helpers.stages.target.analysis import StageOutputs, build_target_picture

    figures = status_quo_figures(analyse_status_quo(prep, lang))
    screening = run_screening(prep.customer_table, prep.config, lang).table
    figures += screening_figures(screening)
    # the target picture of the config's assumptions on this very screening (not on a
    # screening.parquet left in the report folder by an earlier run)
    stage = StageOutputs(screening=screening, levers=None)
    tp = build_target_picture(prep, lang, stage=stage, with_tornado=False)
    figures += target_figures(tp)
    return HeadlineFigures(figures)


def load_figures(folder: str | Path) -> HeadlineFigures | None:
    """The figures stored in ``folder/figures.json``, or None when there are none."""
    path = Path(folder) / FIGURES_FILE
    if not path.is_file():
        return None
    return HeadlineFigures.from_dict(json.loads(path.read_text(encoding="utf-8")))


def save_figures(figures: HeadlineFigures, folder: str | Path) -> Path:
    """Write ``figures.json`` into ``folder`` atomically (temporary file, then rename)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FIGURES_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(figures.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path
