"""The customer table: one row per customer of the master with all KPIs.

:func:`build_customer_table` turns the canonical frames of ``loading.load_client``
(see docs/architecture.md, "Canonical frames after load_client") into one row per
customer. The line-level sums, counts and distinct counts run on the data engine
(:mod:`kk_helpers.metrics.line_aggregates`, Ibis on DuckDB by default or on Spark); only
customers x years frames come back and are finished here with numpy. There are no
Python loops over customers or lines.

Definitions (amounts in the client's currency; "period" = the analysis years of the
config; lines and activities outside them, or of customers missing from the master,
are ignored and counted in ``table.attrs["lines_ignored"]`` / ``["activities_ignored"]``):

* **revenue**: sum of net line revenue (credit notes negative).
* **margin** = CM I: sum of line ``margin`` (or revenue - ``cost`` when only cost is
  given). Lines with unknown margin are skipped; a cell (customer, year) with lines but
  no known margin is NaN; when the transactions carry no margin at all, every margin and
  CM column is NaN (never 0).
* **orders**: the orders of :func:`kk_helpers.metrics.orders.order_table` (the one
  definition: an ``order_id`` of a customer; without one, a (customer, date, channel)),
  counted in the year of the order's first line; an order's channel is the first channel
  named on its lines. ``orders_total`` = sum over the years.
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
import pyarrow as pa

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig
from kk_helpers.core.engine import Engine
from kk_helpers.metrics.cost_to_serve import (
    _activity_cost_parts,
    _costs_by_channel_code,
    _type_codes,
    _unpriced_names,
    cm_ladder,
)
from kk_helpers.metrics.line_aggregates import LineAggregates, aggregate_lines
from kk_helpers.metrics.orders import order_table
from kk_helpers.metrics.partial_years import PartialYears, comparable_revenue, partial_year_columns
from kk_helpers.metrics.trend import revenue_trend

YEAR = C.YEAR  # year column of the canonical transactions / activities frames

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


@dataclass
class _Lines:
    """The valid transaction lines (analysis years, known customer) as engine input.

    ``table`` holds the columns of :mod:`kk_helpers.metrics.line_aggregates` (a
    ``pyarrow.Table``: numeric codes, no copies of the texts)."""

    table: pa.Table
    date_dtype: np.dtype
    channel_names: list[str]
    has_margin: bool
    has_channel: bool
    ignored: int


def _arrow(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return (
        pa.array(values, mask=missing)
        if missing is not None and missing.any()
        else pa.array(values)
    )


def _line_arrays(
    tx: pd.DataFrame, master_ids: pd.Index, first_year: int, n_years: int, *, months: bool
) -> _Lines:
    pos = customer_positions(tx[C.CUSTOMER_ID], master_ids)
    yidx = _year_index(tx, first_year)
    valid = (pos >= 0) & (yidx >= 0) & (yidx < n_years)
    ignored = int(len(valid) - np.count_nonzero(valid))
    sel = slice(None) if not ignored else valid

    revenue = tx[C.REVENUE].to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(revenue).any():  # unknown revenue counts 0 (also for margin = revenue - cost)
        revenue = np.where(np.isnan(revenue), 0.0, revenue)
    margin: np.ndarray | None = None
    if C.MARGIN in tx.columns:
        margin = tx[C.MARGIN].to_numpy(dtype=float, na_value=np.nan)
    elif C.COST in tx.columns:
        margin = revenue - tx[C.COST].to_numpy(dtype=float, na_value=np.nan)
    if margin is not None and len(margin) and np.isnan(margin).all():
        margin = None
    revenue = revenue[sel]

    dates = _dates(tx)
    date_values = dates.to_numpy()
    date_dtype = date_values.dtype
    date = date_values.view(np.int64)[sel]
    undated = date == _NAT
    cols: dict[str, pa.Array] = {
        "pos": pa.array(pos[sel].astype(np.int32)),  # narrow types: less memory
        "yidx": pa.array(yidx[sel].astype(np.int16)),
        "revenue": pa.array(revenue),
        "date_i8": _arrow(date, undated),
    }
    if margin is not None:
        m = margin[sel]
        cols["margin"] = _arrow(m, np.isnan(m))
    channel_names: list[str] = []
    if C.CHANNEL in tx.columns:
        codes, channel_names = _codes(tx[C.CHANNEL])
        cols["channel"] = pa.array(codes[sel].astype(np.int16))
    if C.PRODUCT_GROUP in tx.columns:
        cols["product_group"] = pa.array(_codes(tx[C.PRODUCT_GROUP])[0][sel].astype(np.int32))
    if months:
        cols["month"] = pa.array(dates.dt.month.to_numpy(dtype=np.int8, na_value=0)[sel])
    return _Lines(
        table=pa.table(cols),
        date_dtype=date_dtype,
        channel_names=channel_names,
        has_margin=margin is not None,
        has_channel=C.CHANNEL in tx.columns,
        ignored=ignored,
    )


def _order_counts(
    orders: pd.DataFrame, master_ids: pd.Index, first_year: int, n_years: int
) -> tuple[pd.DataFrame, list[str]]:
    """Orders per (pos, yidx, channel code) of the master customers in the analysis years,
    and the names of the channel codes (-1 = no channel)."""
    pos = customer_positions(orders[C.CUSTOMER_ID], master_ids)
    yidx = orders[C.YEAR].to_numpy(dtype=np.int64) - first_year
    if C.CHANNEL in orders.columns:
        channel, names = _codes(orders[C.CHANNEL])
    else:
        channel, names = np.full(len(orders), -1, dtype=np.int64), []
    keep = (pos >= 0) & (yidx >= 0) & (yidx < n_years)
    width = len(names) + 1  # code -1 -> slot 0
    key = (pos[keep] * n_years + yidx[keep]) * width + (channel[keep] + 1)
    size = len(master_ids) * n_years * width
    if size <= 4 * len(key) + 1_000_000:  # a dense count is cheaper than sorting the keys
        counts = np.bincount(key, minlength=size)
        uniq = np.flatnonzero(counts)
        n = counts[uniq]
    else:
        uniq, n = np.unique(key, return_counts=True)
    out = pd.DataFrame(
        {
            "pos": uniq // (n_years * width),
            "yidx": (uniq // width) % n_years,
            "channel": uniq % width - 1,
            "n": n,
        }
    )
    return out, names


def _matrix(frame: pd.DataFrame, col: str, n: int, n_years: int, fill: float = 0.0) -> np.ndarray:
    """(pos, yidx, value) rows -> an n x n_years array (``fill`` where no row)."""
    out = np.full(n * n_years, fill, dtype=float)
    if len(frame):
        key = frame["pos"].to_numpy(dtype=np.int64) * n_years + frame["yidx"].to_numpy(
            dtype=np.int64
        )
        out[key] = frame[col].to_numpy(dtype=float, na_value=np.nan)
    return out.reshape(n, n_years)


def _main_channel(agg: LineAggregates, names: list[str], n: int) -> pd.Categorical:
    cats = pd.Index(names, dtype="str")
    if agg.channels is None or not names:
        return pd.Categorical.from_codes(np.full(n, -1), categories=cats)
    k = len(names)
    rev = np.full(n * k, -np.inf)
    ch = agg.channels
    key = ch["pos"].to_numpy(dtype=np.int64) * k + ch["channel"].to_numpy(dtype=np.int64)
    rev[key] = ch["revenue"].to_numpy(dtype=float)
    rev = rev.reshape(n, k)
    seen = np.zeros(n, dtype=bool)
    seen[ch["pos"].to_numpy(dtype=np.int64)] = True
    best = np.where(seen, rev.argmax(axis=1), -1)  # ties: first in category order
    return pd.Categorical.from_codes(best, categories=cats)


def _i8_or_nat(cells: pd.DataFrame, col: str, n: int, reduce: np.ufunc) -> np.ndarray:
    """Per customer the min/max (``reduce``) of an int64 date column over its cells;
    NaT (int64 min) where the customer has none. Stays int64 (no float rounding)."""
    start = _I8_MAX if reduce is np.minimum else _NAT + 1
    out = np.full(n, start, dtype=np.int64)
    values = cells[col]
    known = values.notna().to_numpy()
    if known.any():
        pos = cells["pos"].to_numpy(dtype=np.int64)[known]
        reduce.at(out, pos, values[known].to_numpy(dtype=np.int64))
    out[out == start] = _NAT
    return out


def _tail_lines(tail: pd.DataFrame | None) -> tuple[np.ndarray, ...]:
    """Revenue per (customer, year, month) as the line tuple of ``partial_year_columns``
    (one pseudo line per month, dated on the 1st of that month)."""
    if tail is None or not len(tail):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype("datetime64[M]"), empty.astype(float)
    month = tail["month"].to_numpy(dtype=np.int64)
    return (
        tail["pos"].to_numpy(dtype=np.int64),
        tail["yidx"].to_numpy(dtype=np.int64),
        (month - 1).astype("datetime64[M]"),  # only the month of the year is read
        tail["revenue"].to_numpy(dtype=float),
    )


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
    engine: Engine | None = None,
    orders: pd.DataFrame | None = None,
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
    engine:
        where the line aggregation runs (:func:`kk_helpers.core.engine.connect`);
        default: the process's embedded DuckDB.
    orders:
        :func:`kk_helpers.metrics.orders.order_table` of ``transactions`` when the caller
        has it already (``prepare_client`` computes it once per client); None: computed
        here. The orders are counted per customer in the year of the order's first line.

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

    # --- transaction lines: aggregated on the engine, small frames back -------
    partial = {y: m for y, m in (partial_years or {}).items() if y in years and m}
    lines = _line_arrays(transactions, master_ids, first_year, n_years, months=bool(partial))
    agg = aggregate_lines(lines.table, engine=engine, with_tail=bool(partial))
    cells = agg.cells

    def per_cell(col: str, fill: float = 0.0) -> np.ndarray:
        return _matrix(cells, col, n, n_years, fill)

    lines_cy = per_cell("lines")
    revenue_cy = per_cell("revenue")
    lines_total = lines_cy.sum(axis=1)
    revenue_total = revenue_cy.sum(axis=1)

    if not lines.has_margin:
        margin_cy = np.full((n, n_years), np.nan)
        margin_total = np.full(n, np.nan)
    else:
        known_cy = per_cell("margin_known")
        margin_cy = np.nan_to_num(per_cell("margin"), nan=0.0)
        margin_total = margin_cy.sum(axis=1)
        margin_total[(lines_total > 0) & (known_cy.sum(axis=1) == 0)] = np.nan
        margin_cy[(lines_cy > 0) & (known_cy == 0)] = np.nan

    # orders: the one order definition (metrics.orders.order_table), counted in the year of
    # the order's first line; its channel (first line that names one) sets its processing cost
    if orders is None:
        orders = order_table(transactions)
    orders, order_channel_names = _order_counts(orders, master_ids, first_year, n_years)
    order_channel = orders["channel"].to_numpy(dtype=np.int64)
    rate = _costs_by_channel_code(
        order_channel if lines.has_channel else None,
        order_channel_names,
        rates.order_processing,
        len(orders),
    )
    orders = orders.assign(cost=orders["n"].to_numpy(dtype=float) * rate)
    by_cell = orders.groupby(["pos", "yidx"], sort=False)[["n", "cost"]].sum().reset_index()
    orders_cy = _matrix(by_cell, "n", n, n_years)
    order_cost_cy = _matrix(by_cell, "cost", n, n_years)
    orders_total = orders_cy.sum(axis=1)
    order_cost_total = order_cost_cy.sum(axis=1)

    credit_notes = per_cell("credit").sum(axis=1)
    active_years = (per_cell("positive") > 0).sum(axis=1)

    # first / last purchase: lines with revenue > 0 and a date
    first_i8 = _i8_or_nat(cells, "first_buy", n, np.minimum)
    last_i8 = _i8_or_nat(cells, "last_buy", n, np.maximum)

    if agg.groups is not None:
        pg = np.zeros(n, dtype=np.int64)
        pg[agg.groups["pos"].to_numpy(dtype=np.int64)] = agg.groups["n"].to_numpy(dtype=np.int64)
        pg_n = pd.array(pg, dtype="Int64")
    else:
        pg_n = pd.array([pd.NA] * n, dtype="Int64")

    main_channel = _main_channel(agg, lines.channel_names, n)

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

    partial_cols = partial_year_columns(
        revenue_cy, _tail_lines(agg.tail), years, partial=partial
    ) if partial else {}  # fmt: skip
    out.update(partial_cols)
    by_year = pd.DataFrame(revenue_cy, columns=years)
    if partial_cols:  # annualised revenue of partial years
        named = {C.year_col("revenue", y): revenue_cy[:, j] for j, y in enumerate(years)}
        by_year = comparable_revenue(pd.DataFrame({**named, **partial_cols}), years)
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
        "margin_available": lines.has_margin,
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
