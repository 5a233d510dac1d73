"""Development over the analysis years: revenue by class, new and lost customers.

A customer is **active** in a year when its net revenue that year is > 0 (the same
rule that makes inactive customers D). Only the analysis years are known, so flows
(new, lost, ...) start with the second analysis year; the first year's flow
figures are missing (NA).

Partial years (data for only part of the year) are compared annualised: their revenue
x 12 / months with data, and a customer is active in a year cut off before December
when it bought in the 12 months up to the year's last month with data
(:mod:`kk_helpers.metrics.partial_years`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.metrics.classes import class_order, index_by_customer
from kk_helpers.metrics.partial_years import active_matrix, comparable_revenue


def _yearly_revenue(ct: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Customers × years revenue matrix (missing -> 0), annualised for partial years."""
    return comparable_revenue(ct, years)


def yearly_by_class(
    customer_table: pd.DataFrame, classes: pd.Series, years: Sequence[int]
) -> pd.DataFrame:
    """Revenue and active customers per year and class (long table for line/bar plots).

    Args:
        customer_table: one row per customer with ``revenue_<y>`` for each year.
        classes: class per customer (usually the current classification), indexed
            by customer id; customers without a class are left out.
        years: analysis years.

    Returns:
        Long DataFrame with one row per (year, class): ``year`` (int), ``class``
        (A, B, C, D, ... order), ``revenue`` (currency), ``customers`` (active that
        year: revenue > 0) and ``revenue_share`` (0-1 of the year's revenue).

    >>> ct = pd.DataFrame({"customer_id": ["a", "b"], "revenue_2024": [80.0, 20.0],
    ...                    "revenue_2025": [90.0, 0.0]})
    >>> yb = yearly_by_class(ct, pd.Series(["A", "D"], index=["a", "b"]), [2024, 2025])
    >>> yb[yb["year"] == 2025][["class", "revenue", "customers"]].to_numpy().tolist()[:1]
    [['A', 90.0, 1]]
    """
    ct = index_by_customer(customer_table)
    rev = _yearly_revenue(ct, years)
    cls = classes.astype("str").reindex(ct.index).to_numpy()
    order = class_order(pd.unique(cls[pd.notna(cls)]))
    revenue = rev.groupby(cls).sum().reindex(order, fill_value=0.0)
    active = active_matrix(ct, years).groupby(cls).sum().reindex(order, fill_value=0)
    long = pd.DataFrame(
        {
            C.YEAR: np.repeat([int(y) for y in years], len(order)),
            C.CLASS: pd.array(np.tile(order, len(years)), dtype="str"),
            "revenue": revenue.to_numpy().T.ravel(),
            C.CUSTOMERS: active.to_numpy().T.ravel().astype("int64"),
        }
    )
    totals = long.groupby(C.YEAR)["revenue"].transform("sum")
    long["revenue_share"] = long["revenue"] / totals.where(totals != 0)
    return long


def customer_flow(customer_table: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Active, new, reactivated and lost customers per year, with their revenue.

    Args:
        customer_table: one row per customer with ``revenue_<y>`` for each year.
        years: analysis years (contiguous).

    Returns:
        One row per year: ``year``, ``active`` (revenue > 0 that year), ``revenue``
        (total net revenue of the year), ``new`` (active for the first time in the
        analysis period, i.e. first purchase that year), ``reactivated`` (active,
        not active the previous year, active in an earlier one), ``retained``
        (active this and the previous year), ``lost`` (active the previous year, not
        this year), ``revenue_new`` (this year's revenue of the new ones) and
        ``revenue_lost`` (previous year's revenue of the lost ones), money in the
        currency. Counts are nullable integers; the flow columns of the first year
        are NA (the year before is not in the data).
        active(y) = retained + new + reactivated; active(y-1) = retained + lost.

    >>> ct = pd.DataFrame({"customer_id": list("abcd"), "revenue_2024": [10.0, 5.0, 0.0, 2.0],
    ...                    "revenue_2025": [12.0, 0.0, 7.0, 2.0]})
    >>> f = customer_flow(ct, [2024, 2025]).set_index("year")
    >>> int(f.loc[2025, "new"]), int(f.loc[2025, "lost"]), float(f.loc[2025, "revenue_lost"])
    (1, 1, 5.0)
    """
    ct = index_by_customer(customer_table)
    rev = _yearly_revenue(ct, years).to_numpy()
    active = active_matrix(ct, years).to_numpy()
    seen_before = np.zeros_like(active)
    seen_before[:, 1:] = np.logical_or.accumulate(active, axis=1)[:, :-1]
    prev = np.zeros_like(active)
    prev[:, 1:] = active[:, :-1]
    prev_rev = np.zeros_like(rev)
    prev_rev[:, 1:] = rev[:, :-1]
    new = active & ~seen_before
    reactivated = active & ~prev & seen_before
    retained = active & prev
    lost = prev & ~active
    out = pd.DataFrame(
        {
            C.YEAR: [int(y) for y in years],
            "active": active.sum(axis=0).astype("int64"),
            "revenue": rev.sum(axis=0),
            "new": pd.array(new.sum(axis=0), dtype="Int64"),
            "reactivated": pd.array(reactivated.sum(axis=0), dtype="Int64"),
            "retained": pd.array(retained.sum(axis=0), dtype="Int64"),
            "lost": pd.array(lost.sum(axis=0), dtype="Int64"),
            "revenue_new": (rev * new).sum(axis=0),
            "revenue_lost": (prev_rev * lost).sum(axis=0),
        }
    )
    flow_cols = ["new", "reactivated", "retained", "lost", "revenue_new", "revenue_lost"]
    out.loc[0, flow_cols] = pd.NA
    return out
