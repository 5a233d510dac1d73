"""Customer profitability: whale curve (Cooper & Kaplan) and the CM ladder per class.

The whale curve sorts customers by contribution margin III descending and plots the
cumulative CM III as a percentage of the total. Its peak is often 150-300 %: the most
profitable customers earn more than the total profit, and the unprofitable tail gives
part of it back (docs/method.md, section 6). Missing CM III counts as 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.metrics.classes import _sums_by_class, index_by_customer


def _profit(profit: pd.Series) -> np.ndarray:
    return pd.to_numeric(pd.Series(profit), errors="coerce").to_numpy(dtype="float64", na_value=0.0)


def whale_curve(profit: pd.Series) -> pd.DataFrame:
    """Whale curve: cumulative profit as % of total, customers by profit descending.

    Args:
        profit: CM III per customer (currency); missing = 0.

    Returns:
        DataFrame with ``n + 1`` rows, ``customer_share`` (0-1) and ``cum_profit_pct``
        (cumulative CM III in % of the total CM III, e.g. 180.0 = 180 %), starting at
        (0, 0) and ending at (1, 100). When the total is ≤ 0 the percentage has no
        meaning and ``cum_profit_pct`` is NaN (except the start point).

    >>> whale_curve(pd.Series([-60.0, 100.0, 10.0, 50.0]))["cum_profit_pct"].tolist()
    [0.0, 100.0, 150.0, 160.0, 100.0]
    """
    x = np.sort(np.nan_to_num(_profit(profit)))[::-1]
    n = len(x)
    total = x.sum()
    cum = np.concatenate([[0.0], np.cumsum(x)])
    pct = cum / total * 100.0 if total > 0 else np.concatenate([[0.0], np.full(n, np.nan)])
    share = np.arange(n + 1, dtype="float64") / n if n else np.zeros(1)
    return pd.DataFrame({C.CUSTOMER_SHARE: share, C.CUM_PROFIT_PCT: pct})


def whale_summary(profit: pd.Series, curve: pd.DataFrame | None = None) -> dict[str, Any]:
    """Key figures of the whale curve.

    Args:
        profit: CM III per customer (currency); missing = 0.
        curve: ``whale_curve(profit)`` when the caller already has it (saves
            rebuilding it); default: computed here.

    Returns:
        dict with ``customers`` (n), ``total_profit`` (currency), ``peak_pct`` (peak of
        the whale curve in %, e.g. 160.0), ``peak_customer_share`` (0-1, share of
        customers up to the peak = the profitable ones), ``peak_profit`` (currency,
        profit of those customers), ``unprofitable_customers`` (count with CM III < 0),
        ``unprofitable_share`` (0-1) and ``profit_lost_by_unprofitable`` (currency,
        positive amount: the sum of the negative CM III).

    >>> s = whale_summary(pd.Series([100.0, 50.0, 10.0, -60.0]))
    >>> s["peak_pct"], s["peak_customer_share"], s["profit_lost_by_unprofitable"]
    (160.0, 0.75, 60.0)
    """
    x = np.nan_to_num(_profit(profit))
    n = len(x)
    if curve is None:
        curve = whale_curve(pd.Series(x))
    positive = x[x > 0]
    neg = x[x < 0]
    if n and curve[C.CUM_PROFIT_PCT].iloc[1:].notna().any():
        i = int(curve[C.CUM_PROFIT_PCT].to_numpy()[1:].argmax()) + 1
        peak_pct = float(curve[C.CUM_PROFIT_PCT].iloc[i])
        peak_share = float(curve[C.CUSTOMER_SHARE].iloc[i])
    else:
        peak_pct, peak_share = float("nan"), float("nan")
    return {
        "customers": n,
        "total_profit": float(x.sum()),
        "peak_pct": peak_pct,
        "peak_customer_share": peak_share,
        "peak_profit": float(positive.sum()),
        "unprofitable_customers": int(len(neg)),
        "unprofitable_share": len(neg) / n if n else float("nan"),
        "profit_lost_by_unprofitable": float(-neg.sum()),
    }


#: profit_by_class output column -> customer-table column
LADDER_COLUMNS = {
    "revenue": C.REVENUE_TOTAL,
    C.CM1: C.CM1,
    C.ORDER_COST: C.ORDER_COST,
    C.ACTIVITY_COST_TOTAL: C.ACTIVITY_COST_TOTAL,
    C.COST_TO_SERVE: C.COST_TO_SERVE,
    C.CM2: C.CM2,
    C.CM3: C.CM3,
}


def profit_by_class(customer_table: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Contribution-margin ladder per customer class.

    Args:
        customer_table: one row per customer with ``revenue_total``, ``cm1``,
            ``order_cost``, ``activity_cost``, ``cost_to_serve``, ``cm2``, ``cm3``
            (currency; a missing column gives NaN).
        classes: class per customer, indexed by customer id.

    Returns:
        DataFrame, index ``class`` (A, B, C, D, then others), columns ``customers``,
        ``revenue``, ``cm1``, ``order_cost``, ``activity_cost``, ``cost_to_serve``,
        ``cm2``, ``cm3`` (sums, currency), ``cm3_per_customer`` (currency),
        ``cost_to_serve_share_cm1`` (cost-to-serve / CM I, 0-1 scale, i.e. 0.35 = 35 %;
        NaN where CM I ≤ 0), ``unprofitable`` (customers with CM III < 0) and
        ``unprofitable_share`` (0-1 of the class's customers).

    >>> ct = pd.DataFrame({"customer_id": list("abc"), "cm1": [100.0, 20.0, 10.0],
    ...                    "cost_to_serve": [30.0, 10.0, 20.0], "cm3": [70.0, 10.0, -10.0]})
    >>> p = profit_by_class(ct, pd.Series(["A", "C", "C"], index=list("abc")))
    >>> p.loc["C", ["cm3", "unprofitable"]].tolist()
    [0.0, 1.0]
    """
    ct = index_by_customer(customer_table)
    cm3 = (
        pd.to_numeric(ct[C.CM3], errors="coerce").astype("float64")
        if C.CM3 in ct.columns
        else pd.Series(np.nan, index=ct.index)
    )
    unprofitable = (cm3 < 0).astype("int64")
    sums = _sums_by_class(ct, classes, LADDER_COLUMNS, counts={"unprofitable": unprofitable})
    n = sums[C.CUSTOMERS].where(sums[C.CUSTOMERS] > 0)
    sums["cm3_per_customer"] = sums[C.CM3] / n
    sums["cost_to_serve_share_cm1"] = sums[C.COST_TO_SERVE] / sums[C.CM1].where(sums[C.CM1] > 0)
    sums["unprofitable_share"] = sums["unprofitable"] / n
    cols = [
        C.CUSTOMERS,
        *LADDER_COLUMNS,
        "cm3_per_customer",
        "cost_to_serve_share_cm1",
        "unprofitable",
        "unprofitable_share",
    ]
    return sums[cols].rename_axis(C.CLASS)
