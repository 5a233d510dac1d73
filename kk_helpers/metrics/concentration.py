"""Revenue concentration: Pareto and Lorenz curves, Gini, HHI, top-k shares.

All functions take one value per customer (a Series, e.g. ``revenue_total`` of the
customer table) and are vectorised. Conventions (docs/method.md, section 3):

* missing values count as 0;
* negative totals (customers with more credit notes than purchases) are clipped to 0
  before any share is computed; :func:`clipped_count` says how many, so the notebook
  can say so;
* shares are fractions 0-1 (format them with ``formatting.format_pct``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C

#: metric names of :func:`concentration_summary` (translation keys ``metric.<name>``)
SUMMARY_METRICS = (
    "customers",
    "total",
    "clipped_negative",
    "gini",
    "hhi",
    "hhi_normalised",
    "top1_share",
    "top5_share",
    "top10_share",
    "top10pct_share",
    "top20pct_share",
    "customers_for_80pct",
    "customers_for_80pct_share",
)


def _clean(values: pd.Series | np.ndarray | list[float]) -> np.ndarray:
    """Values as a float array, missing -> 0, negatives clipped to 0."""
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype="float64", na_value=0.0)
    return np.clip(np.nan_to_num(x, nan=0.0), 0.0, None)


def share_basis(values: pd.Series) -> pd.Series:
    """Values for revenue shares: missing -> 0, negatives clipped to 0 (as for Gini).

    The one rule for every revenue share (class profile, priority classes C/D, structure
    tables, concentration): a customer whose credit notes exceed its purchases adds 0 to
    its group and to the total, so no share is negative and shares add up to 1.

    >>> share_basis(pd.Series([5.0, -1.0, None])).tolist()
    [5.0, 0.0, 0.0]
    """
    return pd.Series(_clean(values), index=values.index, name=values.name)


def clipped_count(values: pd.Series) -> int:
    """Number of negative values that the concentration measures clip to 0.

    Args:
        values: one value per customer (e.g. revenue in the currency).

    Returns:
        Count of values < 0 (missing values are not counted).

    >>> clipped_count(pd.Series([5.0, -1.0, 0.0, -2.0]))
    2
    """
    x = pd.to_numeric(pd.Series(values), errors="coerce")
    return int((x < 0).sum())


def pareto_curve(values: pd.Series) -> pd.DataFrame:
    """Pareto (cumulative concentration) curve, customers sorted by value descending.

    Args:
        values: one value per customer (currency); negatives clipped to 0.

    Returns:
        DataFrame with ``n + 1`` rows and columns ``customer_share`` (0-1, share of
        customers counted so far) and ``value_share`` (0-1, their share of the total),
        starting at (0, 0) and ending at (1, 1). With a total of 0 ``value_share`` is 0.

    >>> pareto_curve(pd.Series([10.0, 30.0, 60.0]))
       customer_share  value_share
    0        0.000000          0.0
    1        0.333333          0.6
    2        0.666667          0.9
    3        1.000000          1.0
    """
    x = np.sort(_clean(values))[::-1]
    return _cumulative(x, C.CUSTOMER_SHARE)


def lorenz_curve(values: pd.Series) -> pd.DataFrame:
    """Lorenz curve, customers sorted by value ascending.

    Args:
        values: one value per customer (currency); negatives clipped to 0.

    Returns:
        DataFrame with ``n + 1`` rows and columns ``population_share`` and
        ``value_share`` (both 0-1), from (0, 0) to (1, 1). The diagonal is equality.

    >>> lorenz_curve(pd.Series([0.0, 0.0, 0.0, 10.0]))["value_share"].tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0]
    """
    x = np.sort(_clean(values))
    return _cumulative(x, C.POPULATION_SHARE)


def _cumulative(x_sorted: np.ndarray, share_name: str) -> pd.DataFrame:
    n = len(x_sorted)
    total = x_sorted.sum()
    cum = np.concatenate([[0.0], np.cumsum(x_sorted)])
    value_share = cum / total if total > 0 else np.zeros(n + 1)
    pop = np.arange(n + 1, dtype="float64") / n if n else np.zeros(1)
    return pd.DataFrame({share_name: pop, C.VALUE_SHARE: value_share})


def gini(values: pd.Series) -> float:
    """Gini coefficient of the values (0 = all equal, -> 1 = one customer has all).

    G = 2·Σ i·x₍ᵢ₎ / (n·Σx) − (n+1)/n with x sorted ascending and i = 1..n
    (negatives clipped to 0, missing = 0).

    Args:
        values: one value per customer.

    Returns:
        Gini coefficient (unitless); NaN when there are no customers or the total is 0.

    >>> gini(pd.Series([0.0, 0.0, 0.0, 10.0]))
    0.75
    >>> gini(pd.Series([3.0, 3.0, 3.0]))
    0.0
    """
    x = np.sort(_clean(values))
    n = len(x)
    total = x.sum()
    if n == 0 or total <= 0:
        return float("nan")
    i = np.arange(1, n + 1, dtype="float64")
    g = 2.0 * float((i * x).sum()) / (n * total) - (n + 1) / n
    return float(round(g, 12)) + 0.0  # round away float noise; +0.0 turns -0.0 into 0.0


def _shares(values: pd.Series) -> np.ndarray:
    x = _clean(values)
    total = x.sum()
    return x / total if total > 0 else np.full(len(x), np.nan)


def hhi(values: pd.Series) -> float:
    """Herfindahl-Hirschman index Σ sᵢ² of the value shares (0-1 scale).

    Args:
        values: one value per customer; negatives clipped to 0.

    Returns:
        HHI between 1/n (all equal) and 1 (one customer); NaN when the total is 0.

    >>> round(hhi(pd.Series([50.0, 30.0, 20.0])), 6)
    0.38
    """
    s = _shares(values)
    if len(s) == 0 or np.isnan(s).all():
        return float("nan")
    return float((s**2).sum())


def hhi_normalised(values: pd.Series) -> float:
    """Normalised HHI (HHI − 1/n) / (1 − 1/n): 0 = all equal, 1 = one customer.

    Args:
        values: one value per customer; negatives clipped to 0.

    Returns:
        Normalised HHI (0-1); NaN for fewer than 2 customers or a total of 0.

    >>> round(hhi_normalised(pd.Series([50.0, 30.0, 20.0])), 4)
    0.07
    """
    n = len(values)
    if n < 2:
        return float("nan")
    h = hhi(values)
    return float((h - 1.0 / n) / (1.0 - 1.0 / n))


def top_k_share(values: pd.Series, k: int) -> float:
    """Share of the total held by the ``k`` largest customers (concentration ratio CRₖ).

    Args:
        values: one value per customer; negatives clipped to 0.
        k: number of customers (k >= 0; more than n means all).

    Returns:
        Share 0-1; NaN when the total is 0.

    >>> top_k_share(pd.Series([50.0, 30.0, 20.0]), 2)
    0.8
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    x = _clean(values)
    total = x.sum()
    if total <= 0:
        return float("nan")
    k = min(int(k), len(x))
    if k == 0:
        return 0.0
    top = np.partition(x, len(x) - k)[len(x) - k :]
    return float(top.sum() / total)


def top_pct_share(values: pd.Series, pct: float) -> float:
    """Share of the total held by the largest ``pct`` of customers.

    Args:
        values: one value per customer; negatives clipped to 0.
        pct: fraction of customers, 0-1 (0.2 = the top 20 %). The number of customers
            is ``ceil(pct · n)``.

    Returns:
        Share 0-1; NaN when the total is 0.

    >>> top_pct_share(pd.Series([1.0] * 8 + [10.0, 82.0]), 0.2)
    0.92
    """
    if not 0 <= pct <= 1:
        raise ValueError(f"pct is a fraction between 0 and 1 (0.2 = 20 %), got {pct}")
    k = math.ceil(round(pct * len(values), 9))
    return top_k_share(values, k)


def customers_for_share(values: pd.Series, share: float = 0.8) -> int:
    """Smallest number of (largest) customers that together reach ``share`` of the total.

    Args:
        values: one value per customer; negatives clipped to 0.
        share: target share 0-1 (0.8 = 80 % of revenue).

    Returns:
        Number of customers; 0 when the total is 0.

    >>> customers_for_share(pd.Series([50.0, 30.0, 20.0]), 0.8)
    2
    """
    x = np.sort(_clean(values))[::-1]
    total = x.sum()
    if total <= 0:
        return 0
    cum = np.cumsum(x) / total
    return int(np.searchsorted(cum, share - 1e-12) + 1)


def concentration_summary(values: pd.Series) -> pd.DataFrame:
    """All concentration figures in one table (rows ``metric``, ``value``).

    Args:
        values: one value per customer (e.g. revenue in the currency).

    Returns:
        DataFrame with columns ``metric`` and ``value`` (float); metrics in this order:
        ``customers`` (n), ``total`` (sum after clipping, currency),
        ``clipped_negative`` (count of negative values clipped to 0), ``gini``, ``hhi``,
        ``hhi_normalised``, ``top1_share``, ``top5_share``, ``top10_share`` (shares of
        the 1/5/10 largest customers), ``top10pct_share``, ``top20pct_share`` (share of
        the largest 10 %/20 % of customers), ``customers_for_80pct`` (count) and
        ``customers_for_80pct_share`` (that count as share of customers). Shares 0-1.
        Translation keys of the metric names: ``metric.<name>``.

    >>> s = concentration_summary(pd.Series([50.0, 30.0, 20.0]))
    >>> s.set_index("metric").loc["customers_for_80pct", "value"]
    np.float64(2.0)
    """
    x = pd.Series(values)
    n = len(x)
    k80 = customers_for_share(x, 0.8)
    vals = [
        float(n),
        float(_clean(x).sum()),
        float(clipped_count(x)),
        gini(x),
        hhi(x),
        hhi_normalised(x),
        top_k_share(x, 1),
        top_k_share(x, 5),
        top_k_share(x, 10),
        top_pct_share(x, 0.10),
        top_pct_share(x, 0.20),
        float(k80),
        k80 / n if n else float("nan"),
    ]
    return pd.DataFrame({C.METRIC: list(SUMMARY_METRICS), C.VALUE: np.array(vals, dtype="float64")})
