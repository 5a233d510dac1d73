"""Customer structure: customers and revenue by industry, region, sales rep, channel
or revenue size band.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.metrics.classes import index_by_customer
from kk_helpers.metrics.concentration import share_basis

MISSING = C.MISSING_VALUE


def plain_number(x: float) -> str:
    """Language-free number text for band labels: ``1000.0`` -> ``"1,000"``."""
    return f"{x:,.0f}"


#: default revenue band edges (currency, total over the analysis period)
DEFAULT_BANDS = (0.0, 1_000.0, 5_000.0, 10_000.0, 50_000.0, 100_000.0)


def size_band_labels(
    bands: Sequence[float], number_format: Callable[[float], str] = plain_number
) -> list[str]:
    """Readable labels of the revenue bands: ``≤ 0``, ``0 – 1,000``, …, ``≥ 100,000``.

    ``number_format`` writes one band edge (the caller passes the report language's
    format; the default is language-free).

    >>> size_band_labels([0, 1000, 5000])
    ['≤ 0', '0 – 1,000', '1,000 – 5,000', '≥ 5,000']
    """
    edges = _edges(bands)
    middle = [
        f"{number_format(lo)} – {number_format(hi)}"
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    return ["≤ 0", *middle, f"≥ {number_format(edges[-1])}"]


def _edges(bands: Sequence[float]) -> np.ndarray:
    edges = np.unique(np.asarray(list(bands), dtype="float64"))
    edges = edges[edges >= 0]
    if len(edges) == 0 or edges[0] != 0:
        edges = np.concatenate([[0.0], edges])
    return edges


def size_band(
    customer_table: pd.DataFrame,
    bands: Sequence[float] = DEFAULT_BANDS,
    *,
    number_format: Callable[[float], str] = plain_number,
    column: str = C.REVENUE_TOTAL,
) -> pd.Series:
    """Revenue size band of every customer.

    Args:
        customer_table: one row per customer with ``column`` (currency).
        bands: band edges (currency), ascending; 0 is added when missing. A band
            holds values from its lower edge (inclusive) to the next edge (exclusive);
            net revenue ≤ 0 (or missing) is the band ``≤ 0``.
        number_format: writes a band edge in the labels (see :func:`size_band_labels`).
        column: the value to band (default ``revenue_total``).

    Returns:
        Ordered Categorical Series ``size_band`` aligned to the table's index
        (all bands as categories, smallest first), to ``assign`` to the table.

    >>> ct = pd.DataFrame({"revenue_total": [-5.0, 500.0, 1000.0, 2e5]})
    >>> size_band(ct, [0, 1000, 5000]).tolist()
    ['≤ 0', '0 – 1,000', '1,000 – 5,000', '≥ 5,000']
    """
    edges = _edges(bands)
    labels = size_band_labels(edges, number_format)
    v = pd.to_numeric(customer_table[column], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    v = np.nan_to_num(v, nan=0.0)
    codes = np.where(v > 0, np.searchsorted(edges, v, side="right"), 0)
    cat = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
    return pd.Series(cat, index=customer_table.index, name=C.SIZE_BAND)


def structure_table(
    customer_table: pd.DataFrame,
    by: str,
    *,
    number_format: Callable[[float], str] = plain_number,
) -> pd.DataFrame:
    """Customers and revenue per value of one attribute.

    Args:
        customer_table: one row per customer with ``revenue_total`` and the column
            ``by``. ``by="size_band"`` works without the column: the bands are
            computed with :func:`size_band` (default bands).
        by: e.g. ``industry``, ``region``, ``sales_rep``, ``main_channel``, ``size_band``.
        number_format: writes a band edge in computed size-band labels.

    Returns:
        DataFrame indexed by the values of ``by`` (missing values shown as ``–``),
        columns ``customers``, ``customers_share`` (0-1 of customers), ``revenue`` (currency),
        ``revenue_share`` (0-1; negative net revenue counts as 0, as for Gini) and
        ``revenue_per_customer`` (currency). Sorted by
        revenue descending (missing last); an ordered Categorical (size bands) keeps its order and
        shows every band.

    >>> ct = pd.DataFrame({"customer_id": list("abc"), "region": ["N", "S", "N"],
    ...                    "revenue_total": [10.0, 50.0, 30.0]})
    >>> structure_table(ct, "region")[["customers", "revenue"]].to_numpy().tolist()
    [[1.0, 50.0], [2.0, 40.0]]
    """
    ct = index_by_customer(customer_table)
    compute_band = by == C.SIZE_BAND and by not in ct.columns
    key = size_band(ct, number_format=number_format) if compute_band else ct[by]
    ordered = isinstance(key.dtype, pd.CategoricalDtype) and key.cat.ordered
    if not ordered:
        key = key.astype("str").fillna(MISSING)
    frame = pd.DataFrame(
        {
            C.CUSTOMERS: np.ones(len(ct), dtype="int64"),
            "revenue": pd.to_numeric(ct[C.REVENUE_TOTAL], errors="coerce").fillna(0.0).to_numpy(),
            by: key.to_numpy() if not ordered else key.array,
        }
    )
    out = frame.groupby(by, observed=not ordered, sort=ordered).sum()
    n, total = out[C.CUSTOMERS].sum(), out["revenue"].sum()
    out["customers_share"] = out[C.CUSTOMERS] / n if n else np.nan
    # revenue shares: negative net revenue counts as 0 (as for Gini)
    clipped = frame.assign(revenue=share_basis(frame["revenue"]))
    positive = clipped.groupby(by, observed=not ordered, sort=ordered)["revenue"].sum()
    total = positive.sum()
    out["revenue_share"] = positive / total if total != 0 else np.nan
    out["revenue_per_customer"] = out["revenue"] / out[C.CUSTOMERS].where(out[C.CUSTOMERS] > 0)
    if not ordered:
        out = out.sort_values(["revenue", C.CUSTOMERS], ascending=False, kind="stable")
        out = pd.concat([out[out.index != MISSING], out[out.index == MISSING]])
    return out[[C.CUSTOMERS, "customers_share", "revenue", "revenue_share", "revenue_per_customer"]]
