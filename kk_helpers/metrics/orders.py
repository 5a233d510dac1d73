"""Orders: one row per order, small-order analysis, order sizes and frequency by class.

An order is one ``order_id`` of a customer; lines without an order id (or frames without
the column) form one order per (customer, date, channel) (docs/architecture.md).
Orders with a value ≤ 0 are credit notes or returns; the small-order views leave them
out by default. Money is in the client's currency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import CostRates
from kk_helpers.metrics.classes import class_of_rows, class_order
from kk_helpers.metrics.cost_to_serve import order_costs

ORDER_COLUMNS = [C.CUSTOMER_ID, C.ORDER_ID, C.DATE, C.YEAR, C.CHANNEL, C.VALUE, C.MARGIN, C.LINES]


def _aggregate(lines: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum lines per order key (vectorised groupby; groups in order of appearance)."""
    g = lines.groupby(keys, observed=True, sort=False, dropna=False)
    aggs = {
        C.DATE: (C.DATE, "min"),
        C.CHANNEL: (C.CHANNEL, "first"),
        C.VALUE: (C.REVENUE, "sum"),
        C.MARGIN: (C.MARGIN, "sum"),
        "_margin_n": (C.MARGIN, "count"),
        C.LINES: (C.REVENUE, "size"),
    }
    out = g.agg(**{k: v for k, v in aggs.items() if k not in keys})
    out[C.MARGIN] = out[C.MARGIN].where(out["_margin_n"] > 0)
    return out.drop(columns="_margin_n").reset_index()


def order_table(transactions: pd.DataFrame) -> pd.DataFrame:
    """One row per order from the canonical transaction lines.

    Args:
        transactions: lines with ``customer_id``, ``date``, ``revenue`` and optional
            ``order_id``, ``margin``, ``channel``.

    Returns:
        DataFrame sorted by customer, date and first appearance in the lines, with
        ``customer_id`` (Categorical), ``order_id`` (str; for orders formed from
        (customer, date, channel) it is ``"<YYYY-MM-DD>|<channel>"``, or the date
        alone without a channel), ``date`` (earliest line date), ``year`` (int),
        ``channel`` (first line's channel that has one; NA without), ``value`` (sum
        of revenue, currency), ``margin`` (sum of CM I, NaN without margin data) and
        ``lines`` (number of lines).

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2025-01-02", "2025-01-02", "2025-02-01", "2025-01-02"]),
    ...     "revenue": [10.0, 5.0, 7.0, 3.0], "channel": ["edi", "edi", "edi", "webshop"]})
    >>> order_table(tx)[["customer_id", "value", "lines"]].to_numpy().tolist()
    [['a', 15.0, 2], ['a', 7.0, 1], ['b', 3.0, 1]]
    """
    n = len(transactions)
    cust = transactions[C.CUSTOMER_ID]
    if not isinstance(cust.dtype, pd.CategoricalDtype):
        cust = cust.astype("category")  # categories sorted: output sorted by customer id
    cols = {
        C.CUSTOMER_ID: cust,
        C.DATE: transactions[C.DATE],
        C.REVENUE: pd.to_numeric(transactions[C.REVENUE], errors="coerce").astype("float64"),
        C.MARGIN: (
            pd.to_numeric(transactions[C.MARGIN], errors="coerce").astype("float64")
            if C.MARGIN in transactions.columns
            else pd.Series(np.nan, index=transactions.index)
        ),
        C.CHANNEL: (
            transactions[C.CHANNEL]
            if C.CHANNEL in transactions.columns
            else pd.Series(pd.NA, index=transactions.index, dtype="str")
        ),
    }
    if C.ORDER_ID in transactions.columns:
        cols[C.ORDER_ID] = transactions[C.ORDER_ID]
    lines = pd.DataFrame(cols)
    has_id = (
        lines[C.ORDER_ID].notna().to_numpy()
        if C.ORDER_ID in lines.columns
        else np.zeros(n, dtype=bool)
    )
    parts = []
    if has_id.all() and n:
        parts.append(_aggregate(lines, [C.CUSTOMER_ID, C.ORDER_ID]))
    elif has_id.any():
        parts.append(_aggregate(lines[has_id], [C.CUSTOMER_ID, C.ORDER_ID]))
    if not has_id.all() or n == 0:
        no_id = lines if n and not has_id.any() else lines[~has_id]
        agg = _aggregate(no_id, [C.CUSTOMER_ID, C.DATE, C.CHANNEL])
        channel = agg[C.CHANNEL].astype("str").fillna("")
        day = agg[C.DATE].dt.strftime("%Y-%m-%d")
        agg[C.ORDER_ID] = (day + "|" + channel).where(channel != "", day)
        parts.append(agg)
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out[C.CUSTOMER_ID] = out[C.CUSTOMER_ID].astype(cust.dtype)
    out[C.ORDER_ID] = out[C.ORDER_ID].astype("str")
    out[C.YEAR] = out[C.DATE].dt.year.astype("int64")
    out[C.VALUE] = out[C.VALUE].astype("float64")
    out[C.LINES] = out[C.LINES].astype("int64")
    # sort on integer keys (fast): customer code, date, order of appearance
    order = np.lexsort(
        (
            np.arange(len(out)),
            out[C.DATE].to_numpy().astype("int64"),
            out[C.CUSTOMER_ID].cat.codes.to_numpy(),
        )
    )
    return out[ORDER_COLUMNS].take(order).reset_index(drop=True)


def last_year_orders(orders: pd.DataFrame, year: int) -> pd.DataFrame:
    """The orders of ``year`` with value > 0 that the scenarios and the lever indicators
    use (``customer_id``, ``year``, ``channel``, ``value``, ``margin``): the rows of the
    client's order table (:func:`kk_helpers.metrics.orders.order_table`, the one order
    definition; an order belongs to the year of its first line) in ``year``. Computed once
    per client by ``prepare_client`` (``PreparedClient.orders_last_year``) for the scenarios and
    the lever indicators.

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-05-01", "2025-01-02", "2025-01-02"]),
    ...     "revenue": [10.0, 5.0, -7.0]})
    >>> last_year_orders(order_table(tx), 2025)["value"].tolist()
    [5.0]
    """
    sel = orders[(orders[C.YEAR] == year) & (orders[C.VALUE] > 0)]
    return sel[[C.CUSTOMER_ID, C.YEAR, C.CHANNEL, C.VALUE, C.MARGIN]].reset_index(drop=True)


def break_even_order_value(order_cost_per_order: float, margin_pct: float) -> float:
    """Order value at which the margin of an order just pays its processing cost.

    Args:
        order_cost_per_order: order-processing cost per order (currency).
        margin_pct: CM I as a share of revenue, 0-1 (0.25 = 25 %).

    Returns:
        Break-even order value (currency) = cost / margin share; a minimum order value
        is usually set some 20-30 % above it.

    >>> break_even_order_value(20.0, 0.25)
    80.0
    """
    if not 0 < margin_pct <= 1:
        raise ValueError(f"margin_pct is a share between 0 and 1 (0.25 = 25 %), got {margin_pct}")
    return float(order_cost_per_order) / float(margin_pct)


#: Reason codes of :class:`OrderEconomics` (translation keys ``orders.reason.<code>``).
ECONOMICS_REASONS: tuple[str, ...] = ("no_orders", "no_margin", "no_cost_rates", "margin_range")


@dataclass(frozen=True)
class OrderEconomics:
    """Order economics of one year (see :func:`order_economics`).

    ``orders``: orders with value > 0 in ``year``; ``cost_per_order``: Σ order-processing
    cost / orders (currency); ``margin_pct``: Σ CM I / Σ value of those orders with a
    margin (share, 0-1 when sane); ``break_even``: cost_per_order / margin_pct
    (currency). A figure that cannot be computed is NaN and ``reason`` says why (one of
    :data:`ECONOMICS_REASONS`, None when everything is there).
    """

    year: int
    orders: int
    cost_per_order: float
    margin_pct: float
    break_even: float
    reason: str | None = None

    @property
    def available(self) -> bool:
        """True when the break-even order value could be computed."""
        return self.reason is None


def order_economics(
    orders: pd.DataFrame,
    *,
    year: int,
    order_processing: CostRates | Mapping[str, float],
) -> OrderEconomics:
    """Cost per order, CM I margin and break-even order value of ONE year.

    The one definition used by notebook 01 (status quo) and notebook 04 (minimum order
    value). Basis: the orders with value > 0 of ``year`` (the last analysis year;
    credit notes are not orders).

    Args:
        orders: one row per order (:func:`order_table`): ``year``, ``value``, ``margin``
            (CM I, NaN without margin data), ``channel``.
        year: the year to compute (normally ``config.last_year``).
        order_processing: ``config.cost_rates.order_processing`` (channel -> cost per
            order) or the :class:`CostRates` holding it.

    Returns:
        :class:`OrderEconomics`. ``reason``: ``no_orders`` (no order in the year: all
        NaN), ``no_cost_rates`` (every order costs 0: cost per order 0, break-even NaN),
        ``no_margin`` (no margin data: margin % and break-even NaN), ``margin_range``
        (margin % not in (0, 1): break-even NaN).

    >>> o = pd.DataFrame({"year": [2024, 2025, 2025, 2025], "value": [10.0, 100.0, 300.0, -50.0],
    ...     "margin": [5.0, 30.0, 70.0, -10.0], "channel": ["edi", "webshop", "edi", "edi"]})
    >>> e = order_economics(o, year=2025, order_processing={"webshop": 10.0, "default": 30.0})
    >>> e.orders, e.cost_per_order, e.margin_pct, e.break_even, e.reason
    (2, 20.0, 0.25, 80.0, None)
    """
    used = [c for c in (C.YEAR, C.VALUE, C.MARGIN, C.CHANNEL) if c in orders.columns]
    o = orders[used]  # not the order ids: millions of texts copied for nothing
    sel = o[(o[C.YEAR] == year) & (pd.to_numeric(o[C.VALUE], errors="coerce") > 0)]
    n = len(sel)
    nan = float("nan")
    if n == 0:
        return OrderEconomics(year, 0, nan, nan, nan, "no_orders")
    cost = float(order_costs(sel, order_processing).sum())
    cost_per_order = cost / n
    value = pd.to_numeric(sel[C.VALUE], errors="coerce").to_numpy(dtype="float64")
    margin = (
        pd.to_numeric(sel[C.MARGIN], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        if C.MARGIN in sel.columns
        else np.full(n, np.nan)
    )
    known = ~np.isnan(margin)
    margin_pct = (
        float(margin[known].sum() / value[known].sum())
        if known.any() and value[known].sum() > 0
        else nan
    )
    reason = None
    if not np.isfinite(margin_pct):
        reason = "no_margin"
    elif not cost_per_order > 0:
        reason = "no_cost_rates"
    elif not 0 < margin_pct < 1:
        reason = "margin_range"
    be = break_even_order_value(cost_per_order, margin_pct) if reason is None else nan
    return OrderEconomics(year, n, cost_per_order, margin_pct, be, reason)


def orders_below_thresholds(
    orders: pd.DataFrame,
    thresholds: Sequence[float],
    order_processing_costs: Mapping[str, float] | CostRates,
    *,
    positive_only: bool = True,
) -> pd.DataFrame:
    """How many orders are small, what they bring and what they cost to process.

    Args:
        orders: one row per order (:func:`order_table`) with ``value`` and ``channel``.
        thresholds: order values (currency), e.g. ``OrderSettings.value_thresholds``.
        order_processing_costs: channel -> cost per order, key ``"default"`` for the
            rest (``config.cost_rates.order_processing``).
        positive_only: leave out orders with value ≤ 0 (credit notes, returns).

    Returns:
        One row per threshold T (ascending): ``threshold``, ``orders`` (count with
        value < T), ``orders_share`` (0-1 of all orders), ``revenue`` (their value),
        ``revenue_share`` (0-1 of total order value), ``processing_cost`` (their
        processing cost, currency) and ``processing_cost_share`` (0-1).

    >>> o = pd.DataFrame({"value": [50.0, 150.0, 800.0], "channel": ["webshop", "edi", "edi"]})
    >>> r = orders_below_thresholds(o, [100.0], {"default": 10.0})
    >>> r[["orders", "revenue_share", "processing_cost"]].to_numpy().tolist()
    [[1.0, 0.05, 10.0]]
    """
    value = pd.to_numeric(orders[C.VALUE], errors="coerce").fillna(0.0)
    keep = value > 0 if positive_only else pd.Series(True, index=orders.index)
    v = value[keep].to_numpy()
    channels = orders[[C.CHANNEL]] if C.CHANNEL in orders.columns else orders.iloc[:, :0]
    cost = order_costs(channels[keep.to_numpy()], order_processing_costs).to_numpy()
    ts = np.sort(np.asarray(list(thresholds), dtype="float64"))
    n, total_v, total_c = len(v), v.sum(), cost.sum()
    n_below = np.zeros(len(ts), dtype="int64")
    v_below, c_below = np.zeros(len(ts)), np.zeros(len(ts))
    for i, t in enumerate(ts):  # one threshold at a time: no thresholds × orders matrix
        below = v < t
        n_below[i] = int(below.sum())
        v_below[i] = np.where(below, v, 0.0).sum()
        c_below[i] = np.where(below, cost, 0.0).sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame(
            {
                "threshold": ts,
                C.ORDERS: n_below,
                "orders_share": n_below / n if n else np.nan,
                "revenue": v_below,
                "revenue_share": v_below / total_v if total_v > 0 else np.nan,
                "processing_cost": c_below,
                "processing_cost_share": c_below / total_c if total_c > 0 else np.nan,
            }
        )


def order_sizes_by_class(orders: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Order values with the class of the ordering customer (for box/violin plots).

    Args:
        orders: one row per order (:func:`order_table`).
        classes: class per customer, indexed by customer id; orders of customers
            without a class are left out.

    Returns:
        DataFrame ``customer_id``, ``class`` (str), ``value`` (order value, currency),
        one row per order.

    >>> o = pd.DataFrame({"customer_id": ["a", "b", "x"], "value": [10.0, 20.0, 5.0]})
    >>> order_sizes_by_class(o, pd.Series(["A", "C"], index=["a", "b"]))["class"].tolist()
    ['A', 'C']
    """
    cls = class_of_rows(orders[C.CUSTOMER_ID], classes)
    out = pd.DataFrame(
        {
            C.CUSTOMER_ID: orders[C.CUSTOMER_ID].to_numpy(),
            C.CLASS: pd.array(cls, dtype="str"),
            C.VALUE: pd.to_numeric(orders[C.VALUE], errors="coerce").to_numpy(),
        }
    )
    return out[out[C.CLASS].notna()].reset_index(drop=True)


def order_frequency(orders: pd.DataFrame, classes: pd.Series, years: Sequence[int]) -> pd.DataFrame:
    """Order frequency and order value per class over the analysis years.

    Args:
        orders: one row per order (:func:`order_table`) with ``customer_id``, ``year``,
            ``value``. Only orders with value > 0 in ``years`` count (credit notes
            are not orders).
        classes: class per customer, indexed by customer id.
        years: analysis years (the per-year figures divide by their number).

    Returns:
        DataFrame, index ``class`` (A, B, C, D, ...), columns ``customers`` (customers
        of the class), ``customers_ordering`` (with ≥ 1 order), ``orders``,
        ``orders_per_customer_year`` (orders / customers / years),
        ``median_order_value``, ``mean_order_value`` (currency).

    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "year": [2024, 2025, 2025],
    ...                   "value": [100.0, 300.0, 50.0]})
    >>> f = order_frequency(o, pd.Series(["A", "C"], index=["a", "b"]), [2024, 2025])
    >>> f.loc["A", ["orders_per_customer_year", "median_order_value"]].tolist()
    [1.0, 200.0]
    """
    value = pd.to_numeric(orders[C.VALUE], errors="coerce")
    keep = (value > 0) & orders[C.YEAR].isin(list(years))
    sel = orders[keep]
    cust = sel[C.CUSTOMER_ID]
    frame = pd.DataFrame(
        {
            C.CLASS: class_of_rows(cust, classes),
            # distinct customers counted on integer codes, not on 6 million id texts
            C.CUSTOMER_ID: (
                cust.cat.codes.to_numpy()
                if isinstance(cust.dtype, pd.CategoricalDtype)
                else cust.astype("str").to_numpy()
            ),
            C.VALUE: value[keep].to_numpy(),
        }
    )
    g = frame.groupby(C.CLASS)
    stats = pd.DataFrame(
        {
            "customers_ordering": g[C.CUSTOMER_ID].nunique(),
            C.ORDERS: g.size(),
            "median_order_value": g[C.VALUE].median(),
            "mean_order_value": g[C.VALUE].mean(),
        }
    )
    cls = classes.astype("str")
    counts = cls.value_counts()
    out = stats.reindex(class_order(cls.dropna().unique()))
    out.insert(0, C.CUSTOMERS, counts.reindex(out.index).fillna(0).astype("int64"))
    out["customers_ordering"] = out["customers_ordering"].fillna(0).astype("int64")
    out[C.ORDERS] = out[C.ORDERS].fillna(0).astype("int64")
    n_years = max(len(years), 1)
    per = out[C.ORDERS] / out[C.CUSTOMERS].where(out[C.CUSTOMERS] > 0) / n_years
    out.insert(3, "orders_per_customer_year", per)
    return out.rename_axis(C.CLASS)
