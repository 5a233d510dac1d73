"""The customer table: one row per customer of the master with all KPIs.

:func:`build_customer_table` turns the canonical frames of ``loading.load_client``
(see docs/architecture.md, "Canonical frames after load_client") into one row per
customer. Everything is aggregated with numpy ``bincount`` over integer codes
(customer position x analysis year), so 10 million transaction lines take a couple
of seconds; there are no Python loops over customers or lines.

Definitions (amounts in the client's currency; "period" = the analysis years of the
config; lines and activities outside them, or of customers missing from the master,
are ignored and counted in ``table.attrs["lines_ignored"]`` / ``["activities_ignored"]``):

* **revenue**: sum of net line revenue (credit notes negative).
* **margin** = CM I: sum of line ``margin`` (or revenue - ``cost`` when only cost is
  given). Lines with unknown margin are skipped; a cell (customer, year) with lines but
  no known margin is NaN; when the transactions carry no margin at all, every margin and
  CM column is NaN (never 0).
* **orders**: distinct ``order_id`` within (customer, year); where ``order_id`` is
  absent or NA an order is one (customer, date, channel). An order's channel is the
  channel of its first line (file order). ``orders_total`` = sum over the years.
* **lines**: number of transaction lines; ``credit_note_lines``: lines with revenue < 0.
* **avg_order_value** = revenue_total / orders_total (NaN when 0 orders).
* **first_purchase / last_purchase**: first and last date of a line with revenue > 0
  (NaT when none); **active_years**: years with at least one line with revenue > 0.
* **product_groups_n**: distinct product groups bought (NA when not in the data).
* **main_channel**: channel with the highest revenue among the channels the customer
  bought through (ties: first in category order; NA when no channel data).
* **trend**: see :mod:`kk_helpers.metrics.trend` (CAGR, else relative slope) on yearly
  revenue, annualised for partial years (:mod:`kk_helpers.metrics.partial_years`).
* **activities**: count per type (``n_<type>``: canonical types plus any others found),
  ``activities_total`` and their cost by :func:`kk_helpers.metrics.cost_to_serve.activity_costs`.
* **order_cost**: order-processing cost per order by channel
  (``config.cost_rates.order_processing``, key ``default`` for other / missing channels).
* **CM ladder**: cm1 = margin_total; cm2 = cm1 - order_cost; cm3 = cm2 - activity_cost;
  cost_to_serve = order_cost + activity_cost; cm1_pct = cm1 / revenue_total (share,
  NaN where revenue_total <= 0). The same ladder per analysis year gives
  ``cost_to_serve_<y>``, ``cm2_<y>`` and ``cm3_<y>`` (``margin_<y>`` is CM I).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig
from kk_helpers.metrics.cost_to_serve import (
    _activity_cost_parts,
    _costs_by_channel_code,
    _type_codes,
    _unpriced_names,
    cm_ladder,
)
from kk_helpers.metrics.partial_years import PartialYears, comparable_revenue, partial_year_columns
from kk_helpers.metrics.trend import revenue_trend

YEAR = C.YEAR  # year column of the canonical transactions / activities frames

# product-group presence matrix (customers x groups) is used up to this many cells;
# above it the distinct (customer, group) pairs are hashed instead
_PRESENCE_MATRIX_MAX = 50_000_000
_NAT = np.iinfo(np.int64).min  # int64 view of NaT
_I8_MAX = np.iinfo(np.int64).max


# --- helpers ------------------------------------------------------------------
def customer_positions(ids: pd.Series, master_ids: pd.Index) -> np.ndarray:
    """Row position in the master of each id (int64 array; -1 = not in the master).

    ``ids`` may be a Categorical (fast path: only the categories are looked up) or
    any str-like Series. ``master_ids`` must be unique.

    >>> customer_positions(pd.Series(["b", "x", "a"], dtype="category"), pd.Index(["a", "b"]))
    array([ 1, -1,  0])
    """
    if isinstance(ids.dtype, pd.CategoricalDtype):
        cats = pd.Index(ids.cat.categories.astype(str))
        lookup = np.append(master_ids.get_indexer(cats), -1).astype(np.int64)
        return lookup[ids.cat.codes.to_numpy()]
    codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    lookup = np.append(master_ids.get_indexer(pd.Index(uniques).astype(str)), -1)
    return lookup.astype(np.int64)[codes]


def _dates(frame: pd.DataFrame) -> pd.Series:
    dates = frame[C.DATE]
    if not pd.api.types.is_datetime64_dtype(dates.dtype):
        dates = pd.to_datetime(dates)
    return dates


def _year_index(frame: pd.DataFrame, first_year: int) -> np.ndarray:
    if YEAR in frame.columns:
        years = frame[YEAR].to_numpy(dtype=np.int64, na_value=-1)
    else:
        years = _dates(frame).dt.year.to_numpy(dtype=np.int64, na_value=-1)
    return years - first_year


def _bincount(keys: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """``np.bincount`` with float output whenever weights are given (even if empty)."""
    counts = np.bincount(keys, weights=weights, minlength=size)
    return counts if weights is None else counts.astype(float, copy=False)


def _codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, names = _type_codes(series)
    return codes.astype(np.int64), names


def _order_codes(order_id: pd.Series) -> tuple[np.ndarray, int]:
    """Factorized order ids (int64, -1 = NA) and the number of distinct ids."""
    if isinstance(order_id.dtype, pd.CategoricalDtype):
        return order_id.cat.codes.to_numpy().astype(np.int64), len(order_id.cat.categories)
    codes, uniques = pd.factorize(order_id, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), len(uniques)


@dataclass
class _Lines:
    """Numpy arrays of the valid transaction lines (analysis years, known customer)."""

    pos: np.ndarray  # customer position in the master
    yidx: np.ndarray  # year - first analysis year
    revenue: np.ndarray
    margin: np.ndarray | None  # None: no margin information at all
    date: np.ndarray  # int64 view of datetime64
    date_dtype: np.dtype
    channel: np.ndarray | None  # codes, -1 = NA
    channel_names: list[str]
    product_group: np.ndarray | None
    n_product_groups: int
    order: np.ndarray | None  # factorized order_id, -1 = NA
    n_orders: int
    ignored: int


def _line_arrays(tx: pd.DataFrame, master_ids: pd.Index, first_year: int, n_years: int) -> _Lines:
    pos = customer_positions(tx[C.CUSTOMER_ID], master_ids)
    yidx = _year_index(tx, first_year)
    revenue = tx[C.REVENUE].to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(revenue).any():
        revenue = np.where(np.isnan(revenue), 0.0, revenue)

    margin: np.ndarray | None = None
    if C.MARGIN in tx.columns:
        margin = tx[C.MARGIN].to_numpy(dtype=float, na_value=np.nan)
    elif C.COST in tx.columns:
        margin = revenue - tx[C.COST].to_numpy(dtype=float, na_value=np.nan)
    if margin is not None and len(margin) and np.isnan(margin).all():
        margin = None

    date_values = _dates(tx).to_numpy()
    date_dtype = date_values.dtype
    date = date_values.view(np.int64)

    channel, channel_names = (None, [])
    if C.CHANNEL in tx.columns:
        channel, channel_names = _codes(tx[C.CHANNEL])
    product_group, pg_names = (None, [])
    if C.PRODUCT_GROUP in tx.columns:
        product_group, pg_names = _codes(tx[C.PRODUCT_GROUP])
    order, n_orders = None, 0
    if C.ORDER_ID in tx.columns:
        order, n_orders = _order_codes(tx[C.ORDER_ID])
        if n_orders == 0:
            order = None

    valid = (pos >= 0) & (yidx >= 0) & (yidx < n_years)
    ignored = int(len(valid) - np.count_nonzero(valid))
    if ignored:

        def keep(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[valid]

        pos, yidx, revenue, date = pos[valid], yidx[valid], revenue[valid], date[valid]
        margin, channel = keep(margin), keep(channel)
        product_group, order = keep(product_group), keep(order)
    return _Lines(
        pos=pos,
        yidx=yidx,
        revenue=revenue,
        margin=margin,
        date=date,
        date_dtype=date_dtype,
        channel=channel,
        channel_names=channel_names,
        product_group=product_group,
        n_product_groups=len(pg_names),
        order=order,
        n_orders=n_orders,
        ignored=ignored,
    )


def _order_first_lines(lines: _Lines, cell: np.ndarray, n_cells: int) -> np.ndarray:
    """Boolean mask of the first line of every order.

    Order key: (customer-year cell, order_id) where order_id is given; else
    (cell, day, channel), in a separate key range.
    """
    n = len(cell)
    key = np.empty(n, dtype=np.int64)
    fallback = np.ones(n, dtype=bool) if lines.order is None else lines.order < 0
    if lines.order is not None:
        key[:] = cell * lines.n_orders + lines.order
        offset = n_cells * lines.n_orders
    else:
        offset = 0
    if fallback.any():
        idx = np.flatnonzero(fallback) if not fallback.all() else slice(None)
        raw = lines.date[idx]
        days = raw // _ticks_per_day(lines.date_dtype)
        dated = raw != _NAT
        if dated.all():
            days = days - days.min()
        else:  # undated lines (not expected after loading) share a day slot 0
            days = np.where(dated, days - days[dated].min(initial=0), 0)
        n_days = int(days.max()) + 1
        if lines.channel is not None:
            ch = lines.channel[idx] + 1
            n_ch = len(lines.channel_names) + 1
        else:
            ch, n_ch = 0, 1
        key[idx] = offset + (cell[idx] * n_days + days) * n_ch + ch
    return ~pd.Series(key, copy=False).duplicated(keep="first").to_numpy()


def _ticks_per_day(dtype: np.dtype) -> int:
    unit, count = np.datetime_data(dtype)
    return int(np.timedelta64(1, "D") // np.timedelta64(count, unit))


def _distinct_per_customer(pos: np.ndarray, codes: np.ndarray, n_codes: int, n: int) -> np.ndarray:
    """Number of distinct non-missing codes (>= 0) per customer position."""
    if n * (n_codes + 1) <= _PRESENCE_MATRIX_MAX:
        counts = np.bincount(pos * (n_codes + 1) + codes + 1, minlength=n * (n_codes + 1))
        return (counts.reshape(n, n_codes + 1)[:, 1:] > 0).sum(axis=1)
    ok = codes >= 0
    pairs = pd.unique(pos[ok] * n_codes + codes[ok])
    return np.bincount(pairs // n_codes, minlength=n)


def _main_channel(lines: _Lines, n: int) -> pd.Categorical:
    names = lines.channel_names
    if lines.channel is None or not names:
        return pd.Categorical.from_codes(np.full(n, -1), categories=pd.Index(names, dtype="str"))
    k = len(names) + 1  # slot 0: missing channel
    key = lines.pos * k + lines.channel + 1
    rev = _bincount(key, lines.revenue, n * k).reshape(n, k)[:, 1:]
    cnt = np.bincount(key, minlength=n * k).reshape(n, k)[:, 1:]
    rev = np.where(cnt > 0, rev, -np.inf)
    best = np.where(cnt.any(axis=1), rev.argmax(axis=1), -1)
    return pd.Categorical.from_codes(best, categories=pd.Index(names, dtype="str"))


def _datetime_from_i8(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return values.astype(np.int64).view(dtype)


# --- main ---------------------------------------------------------------------
def build_customer_table(
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    activities: pd.DataFrame | None,
    *,
    config: ClientConfig,
    partial_years: PartialYears | None = None,
) -> pd.DataFrame:
    """One row per customer of the master with revenue, margins, orders, trend and costs.

    Parameters
    ----------
    customers:
        canonical customer master (unique ``customer_id``, str). All its columns are
        carried over (in front, same order).
    transactions:
        canonical lines: ``customer_id`` (Categorical of str or str), ``date``
        (datetime64), ``revenue`` (float64), ``year`` (int; derived from ``date`` when
        absent); optional ``order_id``, ``margin`` / ``cost``, ``product_group``,
        ``channel``.
    activities:
        canonical activities (``customer_id``, ``type``, ``year`` or ``date``, optional
        ``duration_min``, ``cost``); may be empty or None.
    config:
        the client config: ``analysis.years`` and ``cost_rates``.
    partial_years:
        year -> months with data for years that cover only part of the period
        (``ClientData.partial_years``); they get ``revenue_annualised_<y>`` and
        ``active_<y>`` and the trend uses annualised revenue
        (:mod:`kk_helpers.metrics.partial_years`). None / empty: full years.

    Returns
    -------
    DataFrame with a RangeIndex, one row per master customer in master order: the
    master columns, ``has_transactions`` (bool), totals ``revenue_total``,
    ``margin_total`` (float, currency), ``orders_total``, ``lines_total``,
    ``credit_note_lines`` (int), ``avg_order_value`` (currency per order),
    ``first_purchase``, ``last_purchase`` (datetime64), ``active_years`` (int),
    ``product_groups_n`` (Int64), ``main_channel`` (Categorical); per analysis year
    ``<metric>_<year>`` for metric in ``columns.YEARLY_METRICS`` (revenue, margin = CM I,
    orders, lines, cost_to_serve, cm2, cm3); ``cagr``, ``trend_slope``, ``trend``,
    ``trend_method``; ``n_<type>`` per activity type and ``activities_total`` (int);
    ``order_cost``, ``activity_cost``, ``cost_to_serve``, ``cm1``, ``cm2``, ``cm3``
    (currency) and ``cm1_pct`` (share). Definitions: see the module docstring.
    ``attrs`` holds ``lines_ignored``, ``activities_ignored``, ``margin_available``
    and ``unpriced_activity_types`` (list of str). Inputs are not modified.

    Example
    -------
    >>> from kk_helpers.core.config import parse_config
    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2024, 2025]},
    ...     "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}},
    ...     "cost_rates": {"order_processing": {"default": 10.0}}})
    >>> cus = pd.DataFrame({"customer_id": ["K1", "K2"]})
    >>> tx = pd.DataFrame({"customer_id": pd.Categorical(["K1", "K1", "K1"]),
    ...     "date": pd.to_datetime(["2024-03-01", "2024-03-01", "2025-05-02"]),
    ...     "revenue": [100.0, 50.0, 200.0], "margin": [30.0, 20.0, 80.0]})
    >>> t = build_customer_table(cus, tx, None, config=cfg)
    >>> t[["customer_id", "revenue_2024", "orders_total", "cm2", "has_transactions"]]
      customer_id  revenue_2024  orders_total    cm2  has_transactions
    0          K1         150.0             2  110.0              True
    1          K2           0.0             0    0.0             False
    """
    years = list(config.analysis.years)
    first_year, n_years = years[0], len(years)
    master_ids = pd.Index(customers[C.CUSTOMER_ID].astype("str"))
    if not master_ids.is_unique:
        dup = master_ids[master_ids.duplicated()].unique()[:5].tolist()
        raise ValueError(f"customer master: customer_id not unique, e.g. {dup}")
    n = len(master_ids)
    n_cells = n * n_years
    rates = config.cost_rates

    # --- transaction lines -------------------------------------------------
    lines = _line_arrays(transactions, master_ids, first_year, n_years)
    cell = lines.pos * n_years + lines.yidx

    def per_cell(idx: np.ndarray | slice | None = None, weights: np.ndarray | None = None):
        k = cell if idx is None else cell[idx]
        return _bincount(k, weights, n_cells).reshape(n, n_years)

    lines_cy = per_cell()
    revenue_cy = per_cell(weights=lines.revenue)
    lines_total = lines_cy.sum(axis=1)
    revenue_total = revenue_cy.sum(axis=1)

    if lines.margin is None:
        margin_cy = np.full((n, n_years), np.nan)
        margin_total = np.full(n, np.nan)
    else:
        unknown = np.isnan(lines.margin)
        if unknown.any():
            margin_cy = per_cell(weights=np.where(unknown, 0.0, lines.margin))
            known_cy = per_cell(idx=~unknown)
            margin_total = margin_cy.sum(axis=1)
            margin_total[(lines_total > 0) & (known_cy.sum(axis=1) == 0)] = np.nan
            margin_cy[(lines_cy > 0) & (known_cy == 0)] = np.nan
        else:
            margin_cy = per_cell(weights=lines.margin)
            margin_total = margin_cy.sum(axis=1)

    # orders: first line of each order carries its channel and its processing cost
    first = _order_first_lines(lines, cell, n_cells)
    orders_cy = per_cell(idx=first)
    first_cost = _costs_by_channel_code(
        None if lines.channel is None else lines.channel[first],
        lines.channel_names,
        rates.order_processing,
        int(first.sum()),
    )
    order_cost_cy = per_cell(idx=first, weights=first_cost)
    orders_total = orders_cy.sum(axis=1)
    order_cost_total = order_cost_cy.sum(axis=1)

    credit_notes = np.bincount(lines.pos[lines.revenue < 0], minlength=n)
    positive = lines.revenue > 0
    active_years = (per_cell(idx=positive) > 0).sum(axis=1)

    # first / last purchase: lines with revenue > 0 and a date
    buy = positive & (lines.date != _NAT)
    first_i8 = np.full(n, _I8_MAX)
    last_i8 = np.full(n, _NAT)
    np.minimum.at(first_i8, lines.pos[buy], lines.date[buy])
    np.maximum.at(last_i8, lines.pos[buy], lines.date[buy])
    first_i8[first_i8 == _I8_MAX] = _NAT

    if lines.product_group is not None:
        pg_n = pd.array(
            _distinct_per_customer(lines.pos, lines.product_group, lines.n_product_groups, n),
            dtype="Int64",
        )
    else:
        pg_n = pd.array([pd.NA] * n, dtype="Int64")

    main_channel = _main_channel(lines, n)

    # --- activities ----------------------------------------------------------
    act = activities if activities is not None else pd.DataFrame()
    type_names: list[str] = []
    activities_ignored = 0
    unpriced: list[str] = []
    if len(act):
        a_cost, a_priced, a_type, type_names = _activity_cost_parts(act, rates)
        a_pos = customer_positions(act[C.CUSTOMER_ID], master_ids)
        a_yidx = _year_index(act, first_year)
        a_valid = (a_pos >= 0) & (a_yidx >= 0) & (a_yidx < n_years)
        activities_ignored = int(len(a_valid) - np.count_nonzero(a_valid))
        a_pos, a_yidx, a_cost = a_pos[a_valid], a_yidx[a_valid], a_cost[a_valid]
        a_type, a_priced = a_type.astype(np.int64)[a_valid], a_priced[a_valid]
        a_cell = a_pos * n_years + a_yidx
        activity_cost_cy = _bincount(a_cell, a_cost, n_cells).reshape(n, n_years)
        n_t = len(type_names) + 1  # slot 0: missing type
        type_counts = np.bincount(a_pos * n_t + a_type + 1, minlength=n * n_t).reshape(n, n_t)
        unpriced = _unpriced_names(a_type, a_priced, type_names)
    else:
        activity_cost_cy = np.zeros((n, n_years))
        type_counts = np.zeros((n, 1), dtype=np.int64)
    activities_total = type_counts.sum(axis=1)
    activity_cost_total = activity_cost_cy.sum(axis=1)

    # --- ladder, trend, assembly -------------------------------------------------
    # the same ladder per (customer, year) cell as for the totals
    ladder_cy = cm_ladder(margin_cy.ravel(), order_cost_cy.ravel(), activity_cost_cy.ravel())
    cost_to_serve_cy = ladder_cy[C.COST_TO_SERVE].to_numpy().reshape(n, n_years)
    cm2_cy = ladder_cy[C.CM2].to_numpy().reshape(n, n_years)
    cm3_cy = ladder_cy[C.CM3].to_numpy().reshape(n, n_years)
    ladder = cm_ladder(margin_total, order_cost_total, activity_cost_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        aov = np.where(orders_total > 0, revenue_total / np.maximum(orders_total, 1), np.nan)
        cm1_pct = np.where(revenue_total > 0, margin_total / revenue_total, np.nan)

    out: dict[str, object] = {
        C.HAS_TRANSACTIONS: lines_total > 0,
        C.REVENUE_TOTAL: revenue_total,
        C.MARGIN_TOTAL: margin_total,
        C.ORDERS_TOTAL: orders_total.astype(np.int64),
        C.LINES_TOTAL: lines_total.astype(np.int64),
        C.CREDIT_NOTES: credit_notes.astype(np.int64),
        C.AVG_ORDER_VALUE: aov,
        C.FIRST_PURCHASE: _datetime_from_i8(first_i8, lines.date_dtype),
        C.LAST_PURCHASE: _datetime_from_i8(last_i8, lines.date_dtype),
        C.ACTIVE_YEARS: active_years.astype(np.int64),
        C.PRODUCT_GROUPS_N: pg_n,
        C.MAIN_CHANNEL: main_channel,
    }
    yearly = {
        "revenue": revenue_cy,
        "margin": margin_cy,
        "orders": orders_cy.astype(np.int64),
        "lines": lines_cy.astype(np.int64),
        "cost_to_serve": cost_to_serve_cy,
        "cm2": cm2_cy,
        "cm3": cm3_cy,
    }
    for metric in C.YEARLY_METRICS:
        for j, year in enumerate(years):
            out[C.year_col(metric, year)] = yearly[metric][:, j]

    partial = partial_year_columns(
        revenue_cy, (lines.pos, lines.yidx, lines.date.view(lines.date_dtype), lines.revenue),
        years, partial=partial_years or {},
    )  # fmt: skip
    out.update(partial)
    by_year = pd.DataFrame(revenue_cy, columns=years)
    if partial:  # annualised revenue of partial years
        named = {C.year_col("revenue", y): revenue_cy[:, j] for j, y in enumerate(years)}
        by_year = comparable_revenue(pd.DataFrame({**named, **partial}), years)
    trend = revenue_trend(by_year)
    for col in trend.columns:
        out[col] = trend[col].to_numpy()

    all_types = list(C.ACTIVITY_TYPES) + [t for t in type_names if t not in C.ACTIVITY_TYPES]
    for t in all_types:
        j = type_names.index(t) + 1 if t in type_names else None
        out[C.activity_count_col(t)] = (
            type_counts[:, j].astype(np.int64) if j is not None else np.zeros(n, dtype=np.int64)
        )
    out[C.ACTIVITIES_TOTAL] = activities_total.astype(np.int64)

    out[C.ORDER_COST] = order_cost_total
    out[C.ACTIVITY_COST_TOTAL] = activity_cost_total
    for col in (C.COST_TO_SERVE, C.CM1, C.CM2, C.CM3):
        out[col] = ladder[col].to_numpy()
    out[C.CM1_PCT] = cm1_pct

    kpis = pd.DataFrame(out)
    master = customers.reset_index(drop=True)
    master = master.drop(columns=[c for c in master.columns if c in kpis.columns])
    table = pd.concat([master, kpis], axis=1)
    table.attrs = {
        "lines_ignored": lines.ignored,
        "activities_ignored": activities_ignored,
        "margin_available": lines.margin is not None,
        "unpriced_activity_types": unpriced,
    }
    return table


class _HasClientFrames(Protocol):
    customers: pd.DataFrame
    transactions: pd.DataFrame
    activities: pd.DataFrame | None
    config: ClientConfig


def customer_table_for_client(data: _HasClientFrames) -> pd.DataFrame:
    """:func:`build_customer_table` for a ``loading.ClientData`` (or anything with the
    attributes ``customers``, ``transactions``, ``activities`` and ``config``).

    >>> from types import SimpleNamespace
    >>> from kk_helpers.core.config import parse_config
    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2025]},
    ...     "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}}})
    >>> data = SimpleNamespace(customers=pd.DataFrame({"customer_id": ["K1"]}),
    ...     transactions=pd.DataFrame({"customer_id": ["K1"], "revenue": [10.0],
    ...         "date": pd.to_datetime(["2025-01-02"])}), activities=None, config=cfg)
    >>> customer_table_for_client(data)["revenue_2025"].tolist()
    [10.0]
    """
    return build_customer_table(
        data.customers, data.transactions, data.activities, config=data.config,
        partial_years=getattr(data, "partial_years", None),
    )  # fmt: skip
