"""Checks over the accepted transactions as a whole (after the per-line rules):

* partial years (:func:`partial_years`): an analysis year whose data cover only part of
  the months the other years cover (an export cut in June, a first year with only
  December) -> warning ``partial_year``; figures comparing years annualise them
  (:mod:`kk_helpers.metrics.partial_years`);
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

#: month presence is computed over every k-th line above this many lines (at most
#: about SAMPLE_LINES lines looked at)
SAMPLE_ABOVE = 2_000_000
SAMPLE_LINES = 1_000_000
_SHIFT = 46
_DAY_NS = 86_400_000_000_000

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_presence(dates: np.ndarray, years: list[int]) -> np.ndarray:
    """bool array (n_years, 12): months with at least one line, per analysis year.

    >>> d = np.array(["2024-01-05", "2024-03-01", "2025-12-31"], dtype="datetime64[ns]")
    >>> month_presence(d, [2024, 2025]).sum(axis=1).tolist()
    [2, 1]
    """
    if len(dates) > SAMPLE_ABOVE:  # every k-th line: months of big files hold thousands
        dates = dates[:: len(dates) // SAMPLE_LINES]
    # lines are counted per 2**46 ns (19.5 h) bin: a shift instead of a calendar
    # conversion of every line; each bin holds at most one midnight, its day
    start = np.datetime64(f"{years[0]}-01-01", "ns")
    end = np.datetime64(f"{years[-1] + 1}-01-01", "ns")
    ns = dates.astype("datetime64[ns]").view(np.int64)
    ns = ns[(ns >= start.astype(np.int64)) & (ns < end.astype(np.int64))]  # NaT is below
    lo = int(start.astype(np.int64)) >> _SHIFT
    bins = np.flatnonzero(np.bincount((ns >> _SHIFT) - lo)) + lo
    day_ns = -((-(bins << _SHIFT)) // _DAY_NS) * _DAY_NS  # first midnight in the bin
    months = day_ns.astype("datetime64[ns]").astype("datetime64[M]").astype(np.int64)
    slot = months - np.datetime64(f"{years[0]}-01", "M").astype(np.int64)
    out = np.zeros(12 * len(years), dtype=bool)
    out[slot] = True
    return out.reshape(len(years), 12)


def partial_years(present: np.ndarray, years: list[int]) -> dict[int, tuple[int, ...]]:
    """Years whose data cover only part of the months the other years cover.

    Input: :func:`month_presence`. For each year with data, the reference months are
    those with data in any other year that has data in at least
    :data:`MIN_REFERENCE_MONTHS` months (so a first year with only December and a last
    year with only January-June are both found against one full year in between); when
    :data:`MIN_MISSING_MONTHS` or more of them lie before the year's first or after its
    last month with data, the year is partial.
    Output: year -> its months with data (1-12). Seasonal gaps inside a year and
    small data sets (few months anywhere) are not flagged.

    >>> p = np.ones((3, 12), dtype=bool); p[2, 6:] = False  # last year: Jan-Jun
    >>> partial_years(p, [2023, 2024, 2025])
    {2025: (1, 2, 3, 4, 5, 6)}
    >>> p[0, :11] = False  # and a first year with only December
    >>> partial_years(p, [2023, 2024, 2025])
    {2023: (12,), 2025: (1, 2, 3, 4, 5, 6)}
    """
    out: dict[int, tuple[int, ...]] = {}
    has = present.any(axis=1)
    covering = present.sum(axis=1) >= MIN_REFERENCE_MONTHS
    for i, year in enumerate(years):
        others = [j for j in range(len(years)) if j != i and covering[j]]
        if not has[i] or not others:
            continue
        ref = present[others].any(axis=0)
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
            "figures that compare years annualise it (x 12 / months with data)",
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

    if len(frame) > FULL_ORDER_CHECK_LINES:
        _shared_adjacent(w, frame)
        return
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
    _warn_shared(w, frame, other)


#: up to this many lines every order id is checked; above, lines next to each other
#: (exports list an order's lines together; hashing 10 million ids would cost seconds)
FULL_ORDER_CHECK_LINES = 2_000_000


def _shared_adjacent(w: _Work, frame: pd.DataFrame) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = frame[C.ORDER_ID].array
    arr = ids._pa_array if hasattr(ids, "_pa_array") else pa.array(np.asarray(ids, dtype=object))
    n = len(arr)
    eq = pc.fill_null(pc.equal(arr.slice(1), arr.slice(0, n - 1)), False)
    eq = np.asarray(eq.combine_chunks() if isinstance(eq, pa.ChunkedArray) else eq, dtype=bool)
    codes = frame[C.CUSTOMER_ID].cat.codes.to_numpy()
    other = np.concatenate(([False], eq & (codes[1:] != codes[:-1])))
    if other.any():
        _warn_shared(w, frame, other)


def _warn_shared(w: _Work, frame: pd.DataFrame, other: np.ndarray) -> None:
    orders = pd.unique(frame[C.ORDER_ID].iloc[np.flatnonzero(other)].to_numpy(dtype=object))
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
