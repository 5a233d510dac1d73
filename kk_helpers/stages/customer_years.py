"""The three-year view of each customer for the customer lists of the Excel files.

Revenue, CM I, CM II and CM III per analysis year (columns of the customer table,
:mod:`kk_helpers.metrics.customer_table`: ``revenue_<y>``, ``margin_<y>`` = CM I,
``cm2_<y>``, ``cm3_<y>``) and the trend of each per customer, by the one trend method of
:mod:`kk_helpers.metrics.trend` (CAGR where the first and last year are > 0, else the
least-squares slope relative to the mean; none where the mean is <= 0). Partial years are
annualised for the trend by the factor of their revenue (``revenue_annualised_<y>``).
Results hold canonical column names and numbers, no text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.metrics.partial_years import ANNUALISED
from kk_helpers.metrics.trend import revenue_trend

#: the metrics of the view: output name -> customer-table metric of the per-year columns
METRICS: dict[str, str] = {"revenue": "revenue", C.CM1: "margin", C.CM2: C.CM2, C.CM3: C.CM3}
#: trend column of each metric (revenue keeps the customer table's ``trend``)
TREND_COLUMNS: dict[str, str] = {
    "revenue": C.TREND,
    C.CM1: "cm1_trend",
    C.CM2: "cm2_trend",
    C.CM3: "cm3_trend",
}


def _annualisation(ct: pd.DataFrame, years: Sequence[int]) -> dict[int, float]:
    """Factor per partial year (annualised revenue / revenue), 1 for full years."""
    out = {}
    for y in years:
        ann, rev = C.year_col(ANNUALISED, y), C.year_col("revenue", y)
        factor = 1.0
        if ann in ct.columns and rev in ct.columns:
            total = float(pd.to_numeric(ct[rev], errors="coerce").sum())
            if total:
                factor = float(pd.to_numeric(ct[ann], errors="coerce").sum()) / total
        out[int(y)] = factor
    return out


def yearly_view(ct: pd.DataFrame, years: Sequence[int]) -> tuple[pd.DataFrame, list[str]]:
    """Revenue, CM I, CM II, CM III per year and their trends, one row per customer.

    Args:
        ct: the customer table (any index; kept).
        years: the analysis years, ascending.

    Returns:
        ``(frame, missing)``: the frame has, per metric in :data:`METRICS`, the columns
        ``<metric>_<year>`` (currency; NaN where not computable, never 0 for "unknown")
        followed by its trend column (:data:`TREND_COLUMNS`, share per year, 0.1 =
        +10 %/year; NaN where the trend is not defined); ``missing`` lists the metrics
        (``cm1``, ``cm2``, ``cm3``) whose per-year values are not in ``ct`` at all or are
        empty for every customer (no margin data).

    >>> ct = pd.DataFrame({"revenue_2024": [100.0], "revenue_2025": [121.0],
    ...     "margin_2024": [30.0], "margin_2025": [36.0], "cm2_2024": [20.0],
    ...     "cm2_2025": [24.0], "cm3_2024": [10.0], "cm3_2025": [5.0], "trend": [0.21]})
    >>> view, missing = yearly_view(ct, [2024, 2025])
    >>> view[["cm1_2025", "cm1_trend", "cm3_trend"]].round(2).values.tolist(), missing
    ([[36.0, 0.2, -0.5]], [])
    """
    factors = _annualisation(ct, years)
    parts: dict[str, pd.Series] = {}
    missing: list[str] = []
    for out_name, metric in METRICS.items():
        cols = [C.year_col(metric, y) for y in years]
        if not all(c in ct.columns for c in cols):
            missing.append(out_name)
            continue
        values = ct[cols].apply(pd.to_numeric, errors="coerce").astype("float64")
        if out_name != "revenue" and values.isna().all().all():
            missing.append(out_name)
        for y, c in zip(years, cols, strict=True):
            parts[C.year_col(out_name, y)] = values[c]
        trend_col = TREND_COLUMNS[out_name]
        if out_name == "revenue" and C.TREND in ct.columns:
            parts[trend_col] = pd.to_numeric(ct[C.TREND], errors="coerce")
            continue
        comparable = pd.DataFrame(
            {int(y): values[c] * factors[int(y)] for y, c in zip(years, cols, strict=True)},
            index=ct.index,
        )
        trend = revenue_trend(comparable.fillna(0.0))[C.TREND]
        # a customer without any known value in a year has no trend (not a trend from 0)
        trend[comparable.isna().any(axis=1).to_numpy()] = np.nan
        parts[trend_col] = trend
    return pd.DataFrame(parts, index=ct.index), missing
