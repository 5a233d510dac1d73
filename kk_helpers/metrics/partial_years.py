"""Partial years compared like with like: the **annualised** method.

The loader flags analysis years whose data cover only part of the months the other
years cover (``ClientData.partial_years``: year -> months with data, see
:mod:`kk_helpers.input.loading_checks`). Wherever years are compared, such a year is
scaled to a full year (docs/method.md, "Partial years"):

* **revenue**: ``revenue_<y> x 12 / m`` (m = months with data in the year); used for the
  trend / CAGR, the yearly development by class, the customer flow's revenue and the
  D rule's minimum revenue. ABC classes within a year do not change by this scaling.
* **activity** (who counts as active, new, lost, inactive = D): revenue cannot say
  whether a customer will still buy in the missing months, so a year cut off before
  December counts a customer as active when its net revenue in the **12 months up to
  the year's last month with data** is > 0 (for data ending in June: July of the year
  before to June). "Lost" and "inactive in the last year" then mean, as for a full
  year, no purchase for 12 months. A year that only starts late (a first year with only
  December) has no earlier data: its activity is its own.

The customer table carries the result in two columns per partial year,
``revenue_annualised_<y>`` (currency per year) and ``active_<y>`` (bool); full years
have neither, so a client with full years has the same table and figures as before.
:func:`comparable_revenue` and :func:`active_matrix` read them (falling back to
``revenue_<y>`` and ``revenue_<y> > 0``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C

ANNUALISED = "revenue_annualised"  # per-year column prefix, partial years only
ACTIVE = "active"  # per-year column prefix (bool), partial years only

PartialYears = Mapping[int, Sequence[int]]


def annualisation_factor(months: Sequence[int]) -> float:
    """12 / number of months with data.

    >>> annualisation_factor((1, 2, 3, 4, 5, 6)), annualisation_factor((12,))
    (2.0, 12.0)
    """
    return 12.0 / len(months) if len(months) else 1.0


def partial_year_columns(
    revenue_cy: np.ndarray,
    lines: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    years: Sequence[int],
    *,
    partial: PartialYears,
) -> dict[str, np.ndarray]:
    """``revenue_annualised_<y>`` and ``active_<y>`` for every partial year.

    Inputs: ``revenue_cy`` customers x years net revenue (currency); ``lines`` =
    (customer position, year index, date (datetime64), revenue) of the
    valid lines; the analysis ``years``; ``partial`` year -> months with data (1-12).
    Output: column name -> array with one value per customer (see the module docstring).

    >>> rev = np.array([[100.0, 0.0], [50.0, 30.0]])
    >>> d = np.array(["2024-09-01", "2024-03-01", "2025-02-01"], dtype="datetime64[ns]")
    >>> lines = (np.array([0, 1, 1]), np.array([0, 0, 1]), d,
    ...          np.array([100.0, 50.0, 30.0]))
    >>> out = partial_year_columns(rev, lines, [2024, 2025], partial={2025: (1, 2, 3, 4, 5, 6)})
    >>> out["revenue_annualised_2025"].tolist(), out["active_2025"].tolist()
    ([0.0, 60.0], [True, True])
    """
    pos, yidx, date, revenue = lines
    out: dict[str, np.ndarray] = {}
    n = revenue_cy.shape[0]
    for year, months in sorted(partial.items()):
        if year not in years or not months:
            continue
        j = list(years).index(year)
        out[C.year_col(ANNUALISED, year)] = revenue_cy[:, j] * annualisation_factor(months)
        window = revenue_cy[:, j].copy()
        last = int(max(months))
        if last < 12 and j > 0:  # cut off before December: add the year before's tail
            month = date.astype("datetime64[M]").astype(np.int64) % 12
            tail = (yidx == j - 1) & (month + 1 > last)
            window += np.bincount(pos[tail], weights=revenue[tail], minlength=n)
        out[C.year_col(ACTIVE, year)] = window > 0
    return out


def comparable_revenue(ct: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Customers x years revenue, annualised for partial years (missing -> 0).

    >>> ct = pd.DataFrame({"revenue_2024": [10.0], "revenue_2025": [4.0],
    ...                    "revenue_annualised_2025": [8.0]})
    >>> comparable_revenue(ct, [2024, 2025]).to_numpy().tolist()
    [[10.0, 8.0]]
    """
    cols = {}
    for y in years:
        col = C.year_col(ANNUALISED, y)
        if col not in ct.columns:
            col = C.year_col("revenue", y)
        if col not in ct.columns:
            raise KeyError(f"customer table has no column {col!r} (is {y} an analysis year?)")
        cols[int(y)] = pd.to_numeric(ct[col], errors="coerce").fillna(0.0).astype("float64")
    return pd.DataFrame(cols, index=ct.index)


def active_matrix(ct: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Customers x years bool: active (``active_<y>`` for partial years, else revenue > 0).

    >>> ct = pd.DataFrame({"revenue_2024": [10.0, 0.0], "revenue_2025": [0.0, 0.0],
    ...                    "active_2025": [True, False]})
    >>> active_matrix(ct, [2024, 2025]).to_numpy().tolist()
    [[True, True], [False, False]]
    """
    rev = comparable_revenue(ct, years)
    out = rev > 0
    for y in years:
        col = C.year_col(ACTIVE, y)
        if col in ct.columns:
            out[int(y)] = ct[col].fillna(False).astype(bool).to_numpy()
    return out


def partial_years_of(table: pd.DataFrame, years: Sequence[int]) -> list[int]:
    """The years the customer table treats as partial (those with ``active_<y>``)."""
    return [int(y) for y in years if C.year_col(ACTIVE, y) in table.columns]
