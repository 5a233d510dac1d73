"""Revenue trend per customer: 3-year CAGR, else the relative least-squares slope.

Method (docs/method.md, section 7 "Trend"):

* **CAGR** = (R_last / R_first) ** (1 / (last_year - first_year)) - 1, defined only
  where the first *and* the last year's revenue are > 0.
* otherwise the **relative slope**: the least-squares slope of yearly revenue against
  the year (currency per year) divided by the customer's mean yearly revenue, i.e. the
  average change per year as a share of the average level (0.25 = +25 % of mean
  revenue per year). It is defined where the mean revenue is > 0.
* ``trend`` is the CAGR where defined, else the relative slope; ``trend_method`` says
  which (``"cagr"``, ``"slope"`` or ``"none"``). ``"none"`` (trend NaN) when there are
  fewer than 2 years, all years are 0, or the mean revenue is <= 0 (credit notes
  exceed purchases), where a relative figure has no meaning.

Gaps are handled by these definitions: a zero first or last year rules out the CAGR
and the slope is used; a zero year in between enters the slope as 0 and does not
affect the CAGR (which only looks at the end points).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C

METHOD_CAGR = "cagr"
METHOD_SLOPE = "slope"
METHOD_NONE = "none"


def _year_positions(columns: pd.Index) -> np.ndarray:
    """Numeric x values of the year columns: the years if numeric, else 0..n-1."""
    try:
        x = np.asarray(columns, dtype=float)
    except (TypeError, ValueError):
        return np.arange(len(columns), dtype=float)
    if len(x) > 1 and not np.all(np.diff(x) > 0):
        return np.arange(len(columns), dtype=float)
    return x


def revenue_trend(yearly: pd.DataFrame) -> pd.DataFrame:
    """CAGR, relative slope and the trend figure used, for every row of ``yearly``.

    Parameters
    ----------
    yearly:
        customers x years frame of revenue (currency); columns are the years in
        ascending order (ints such as 2023, 2024, 2025; other labels are taken as
        consecutive years). NaN counts as 0. Not modified.

    Returns
    -------
    DataFrame with the index of ``yearly`` and the columns
    ``cagr`` (float, share per year, 0.1 = +10 %/year; NaN where not defined),
    ``trend_slope`` (float, least-squares slope / mean revenue, share of mean revenue
    per year; NaN where the mean is <= 0 or fewer than 2 years),
    ``trend`` (float, ``cagr`` where defined, else ``trend_slope``) and
    ``trend_method`` (str: ``"cagr"``, ``"slope"`` or ``"none"``).

    Example
    -------
    >>> yearly = pd.DataFrame({2023: [100.0, 0.0, 0.0], 2024: [110.0, 100.0, 0.0],
    ...                        2025: [121.0, 200.0, 0.0]})
    >>> out = revenue_trend(yearly)
    >>> out["trend"].round(3).tolist()
    [0.1, 1.0, nan]
    >>> out["trend_method"].tolist()
    ['cagr', 'slope', 'none']
    """
    n_rows, n_years = yearly.shape
    index = yearly.index
    if n_years < 2:
        nan = np.full(n_rows, np.nan)
        return pd.DataFrame(
            {
                C.CAGR: nan,
                C.TREND_SLOPE: nan.copy(),
                C.TREND: nan.copy(),
                C.TREND_METHOD: pd.array([METHOD_NONE] * n_rows, dtype="str"),
            },
            index=index,
        )

    r = yearly.to_numpy(dtype=float, na_value=np.nan)
    r = np.where(np.isnan(r), 0.0, r)
    x = _year_positions(yearly.columns)
    span = x[-1] - x[0]

    first, last = r[:, 0], r[:, -1]
    cagr_ok = (first > 0) & (last > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cagr = np.where(
            cagr_ok, (last / np.where(cagr_ok, first, 1.0)) ** (1.0 / span) - 1.0, np.nan
        )

    xc = x - x.mean()
    slope = r @ xc / float(xc @ xc)  # currency per year
    mean = r.mean(axis=1)
    slope_ok = mean > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_slope = np.where(slope_ok, slope / np.where(slope_ok, mean, 1.0), np.nan)

    trend = np.where(cagr_ok, cagr, rel_slope)
    method = np.where(cagr_ok, METHOD_CAGR, np.where(slope_ok, METHOD_SLOPE, METHOD_NONE))
    return pd.DataFrame(
        {
            C.CAGR: cagr,
            C.TREND_SLOPE: rel_slope,
            C.TREND: trend,
            C.TREND_METHOD: pd.array(method, dtype="str"),
        },
        index=index,
    )
