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


def _share_of(profile: pd.DataFrame, column: str, classes: tuple[str, ...]) -> float:
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
            _share_of(sq.profile, "customers_share", ABC_SMALL_CLASSES),
            "no_customers",
        ),
        Figure.of(
            "abc_small_revenue_share",
            _share_of(sq.profile, "revenue_share", ABC_SMALL_CLASSES),
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
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo

    figures = status_quo_figures(analyse_status_quo(prep, lang))
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


def _finite(x: object) -> bool:
    try:
        return bool(np.isfinite(float(x)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
