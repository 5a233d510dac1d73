"""Checks over the accepted transactions as a whole (after the per-line rules):

* partial years (:func:`partial_years`): an analysis year whose data cover only part of
  the months the other years cover (an export cut in June, a first year with only
  December) -> warning ``partial_year``; figures by year then compare unequal periods;
* customers with negative net revenue in a year (credit notes exceed invoices) ->
  warning ``negative_net_revenue`` naming the customers;
* one order id used by several customers -> warning ``order_id_several_customers``.

Everything is vectorised (bincounts over integer codes); nothing is dropped here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.input.loading_file import SOURCE_ROW, _Work

#: a year is assessed only when the other years cover at least this many months
MIN_REFERENCE_MONTHS = 9
#: ... and it is partial when at least this many of those months lie before its first
#: or after its last month with data
MIN_MISSING_MONTHS = 2

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_presence(dates: np.ndarray, years: list[int]) -> np.ndarray:
    """bool array (n_years, 12): months with at least one line, per analysis year.

    >>> d = np.array(["2024-01-05", "2024-03-01", "2025-12-31"], dtype="datetime64[ns]")
    >>> month_presence(d, [2024, 2025]).sum(axis=1).tolist()
    [2, 1]
    """
    months = dates.astype("datetime64[M]").astype(np.int64)
    start = np.datetime64(f"{years[0]}-01", "M").astype(np.int64)
    slot = months - start
    n = 12 * len(years)
    slot = slot[(slot >= 0) & (slot < n)]
    return (np.bincount(slot, minlength=n) > 0).reshape(len(years), 12)


def partial_years(present: np.ndarray, years: list[int]) -> dict[int, tuple[int, ...]]:
    """Years whose data cover only part of the months the other years cover.

    Input: :func:`month_presence`. For each year with data, the reference months are
    those with data in more than half of the other years with data; when there are at
    least :data:`MIN_REFERENCE_MONTHS` of them and :data:`MIN_MISSING_MONTHS` or more
    lie before the year's first or after its last month with data, the year is partial.
    Output: year -> its months with data (1-12). Seasonal gaps inside a year and
    small data sets (few months anywhere) are not flagged.

    >>> p = np.ones((3, 12), dtype=bool); p[2, 6:] = False  # last year: Jan-Jun
    >>> partial_years(p, [2023, 2024, 2025])
    {2025: (1, 2, 3, 4, 5, 6)}
    """
    out: dict[int, tuple[int, ...]] = {}
    has = present.any(axis=1)
    for i, year in enumerate(years):
        others = [j for j in range(len(years)) if j != i and has[j]]
        if not has[i] or not others:
            continue
        ref = present[others].sum(axis=0) * 2 > len(others)
        if ref.sum() < MIN_REFERENCE_MONTHS:
            continue
        months = np.flatnonzero(present[i])
        outside = np.ones(12, dtype=bool)
        outside[months[0] : months[-1] + 1] = False
        if (ref & outside).sum() >= MIN_MISSING_MONTHS:
            out[year] = tuple(int(m) + 1 for m in months)
    return out


def _month_span(months: tuple[int, ...]) -> str:
    return f"{_MONTHS[months[0] - 1]}–{_MONTHS[months[-1] - 1]}"


def check_partial_years(w: _Work, frame: pd.DataFrame) -> dict[int, tuple[int, ...]]:
    """Warn about partial analysis years; return year -> months with data."""
    years = list(w.cfg.analysis.years)
    dates = frame[C.DATE].to_numpy()
    found = partial_years(month_presence(dates, years), years)
    if not found:
        return found
    year_col = frame[C.YEAR].to_numpy()
    rev = frame[C.REVENUE].to_numpy()
    src = frame[SOURCE_ROW].to_numpy()
    for year, months in found.items():
        w.issue(
            year_col == year,
            "partial_year",
            "warning",
            C.DATE,
            detail=f"{year}: data only for {len(months)} months ({_month_span(months)}); "
            "figures by year compare unequal periods (not annualised)",
            revenue=rev,
            source_rows=src,
        )
    return found


def check_negative_customers(w: _Work, frame: pd.DataFrame, customers: pd.DataFrame) -> None:
    """Warn about customers whose net revenue in a year is below 0."""
    years = list(w.cfg.analysis.years)
    codes = frame[C.CUSTOMER_ID].cat.codes.to_numpy().astype(np.int64)
    n_cust = len(frame[C.CUSTOMER_ID].cat.categories)
    if not n_cust or not len(codes):
        return
    yi = frame[C.YEAR].to_numpy().astype(np.int64) - years[0]
    net = np.bincount(
        codes * len(years) + yi,
        weights=frame[C.REVENUE].to_numpy(),
        minlength=n_cust * len(years),
    ).reshape(n_cust, len(years))
    neg = net < -0.005  # below half a cent: rounding noise is not a credit
    if not neg.any():
        return
    bad = np.flatnonzero(neg.any(axis=1))
    cats = frame[C.CUSTOMER_ID].cat.categories
    shown = []
    for c in bad[: w.max_examples]:
        ys = ", ".join(f"{years[j]}: {net[c, j]:.2f}" for j in np.flatnonzero(neg[c]))
        shown.append(f"{cats[c]!r} ({ys})")
    mask = np.zeros(n_cust, dtype=bool)
    mask[bad] = True
    w.issue(
        mask,
        "negative_net_revenue",
        "warning",
        C.REVENUE,
        detail="customer IDs " + ", ".join(shown) + "; credit notes exceed invoices",
        source_rows=customers[SOURCE_ROW].to_numpy(),
    )


def check_shared_order_ids(w: _Work, frame: pd.DataFrame) -> None:
    """Warn when one order id belongs to several customers (counted as separate orders)."""
    if C.ORDER_ID not in frame or not len(frame):
        return
    import pyarrow as pa

    ids = frame[C.ORDER_ID].array
    try:
        arr = pa.array(ids) if not hasattr(ids, "_pa_array") else ids._pa_array
        enc = arr.dictionary_encode()
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.unify_dictionaries().combine_chunks()
        idx = enc.indices.to_numpy(zero_copy_only=False)
        n_orders = len(enc.dictionary)
    except (pa.ArrowException, TypeError):
        idx, uniq = pd.factorize(ids)
        n_orders = len(uniq)
    valid = ~pd.isna(idx) if idx.dtype.kind == "f" else np.ones(len(idx), dtype=bool)
    idx = np.nan_to_num(idx, nan=-1).astype(np.int64) if idx.dtype.kind == "f" else idx
    valid &= idx >= 0
    if not valid.any():
        return
    codes = frame[C.CUSTOMER_ID].cat.codes.to_numpy().astype(np.int64)
    first = np.full(n_orders, -1, dtype=np.int64)
    vi = idx[valid]
    first[vi[::-1]] = codes[valid][::-1]  # the last write wins: the first customer per order
    other = np.zeros(len(frame), dtype=bool)
    other[valid] = first[vi] != codes[valid]
    if not other.any():
        return
    orders = pd.unique(np.asarray(frame[C.ORDER_ID].to_numpy(dtype=object))[other])
    w.issue(
        other,
        "order_id_several_customers",
        "warning",
        C.ORDER_ID,
        detail=f"{len(orders)} order ID(s) used by several customers, e.g. "
        + ", ".join(repr(str(x)) for x in orders[: w.max_examples])
        + "; counted as separate orders per customer",
        revenue=frame[C.REVENUE].to_numpy(),
        source_rows=frame[SOURCE_ROW].to_numpy(),
    )
