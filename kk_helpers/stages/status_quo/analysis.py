"""Stage 1, status quo: every table and figure input of notebook 01 in one call.

:func:`analyse_status_quo` composes the metric modules (concentration, classes,
profitability, orders, development, structure) on a prepared client, so the notebook
only displays results. The result is language-free (codes and numbers); text is made in
:mod:`~kk_helpers.stages.status_quo.findings` and :mod:`~kk_helpers.stages.status_quo.tables`,
the Excel workbook in :mod:`~kk_helpers.stages.status_quo.export`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import format_number
from kk_helpers.metrics import classes as cls
from kk_helpers.metrics import concentration as conc
from kk_helpers.metrics import development as dev
from kk_helpers.metrics import orders as ords
from kk_helpers.metrics import profitability as prof
from kk_helpers.metrics import structure as struct
from kk_helpers.stages.prepare import PreparedClient

STRUCTURE_DIMENSIONS = (C.INDUSTRY, C.REGION, C.SIZE_BAND, C.MAIN_CHANNEL, C.SALES_REP)


@dataclass(frozen=True)
class StatusQuo:
    """Results of the status-quo analysis (stage 1) for one client.

    Shares are 0–1, money in the client's currency, ``classes`` A/B/C/D by revenue
    (ABC on the total over the analysis years, D = inactive or small in the last year).
    """

    currency: str
    years: list[int]
    customers: pd.DataFrame  # customer table + class, xyz, cv, size_band (indexed by customer_id)
    classes: pd.Series
    concentration: pd.DataFrame
    pareto: pd.DataFrame
    lorenz: pd.DataFrame
    gini: float
    profile: pd.DataFrame
    current_comparison: pd.DataFrame | None
    current_agreement: float | None
    xyz: pd.DataFrame
    abc_xyz: pd.DataFrame
    profit: pd.DataFrame
    whale: pd.DataFrame
    whale_summary: dict[str, Any]
    yearly: pd.DataFrame
    yearly_classes: pd.DataFrame
    migration: pd.DataFrame
    flow: pd.DataFrame
    structure: dict[str, pd.DataFrame] = field(default_factory=dict)
    has_margin: bool = True  # the transactions carry a contribution margin (or cost)
    has_channel: bool = True  # the transactions carry a sales channel
    #: computes the order part (:class:`OrderAnalysis`) on first use: it reads the client's
    #: order table (millions of rows), which the summary and the deck do not need
    order_part: Callable[[], OrderAnalysis] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def order_analysis(self) -> OrderAnalysis:
        """The order part, computed once on first use."""
        if self.order_part is None:
            raise ValueError("this StatusQuo was made without its order part")
        return self.order_part()

    @property
    def orders(self) -> pd.DataFrame:
        """One row per order (:func:`kk_helpers.metrics.orders.order_table`)."""
        return self.order_analysis.orders

    @property
    def order_economics(self) -> ords.OrderEconomics:
        """Cost per order, margin %, break-even order value of the last analysis year."""
        return self.order_analysis.economics

    @property
    def processing_cost_per_order(self) -> float:
        return self.order_analysis.economics.cost_per_order

    @property
    def margin_pct(self) -> float:
        return self.order_analysis.economics.margin_pct

    @property
    def break_even(self) -> float:
        return self.order_analysis.economics.break_even

    @property
    def below(self) -> pd.DataFrame:
        return self.order_analysis.below

    @property
    def order_sizes(self) -> pd.DataFrame:
        return self.order_analysis.order_sizes

    @property
    def frequency(self) -> pd.DataFrame:
        return self.order_analysis.frequency

    @property
    def channel_orders(self) -> pd.DataFrame:
        return self.order_analysis.channel_orders

    @property
    def channel_revenue(self) -> pd.DataFrame:
        return self.order_analysis.channel_revenue


@dataclass(frozen=True)
class OrderAnalysis:
    """The order part of the status quo (:func:`analyse_orders`): the order table, the
    order economics of the last analysis year, orders below the value thresholds, order
    sizes and frequency by class, channel mixes by number of orders and by revenue."""

    orders: pd.DataFrame
    economics: ords.OrderEconomics
    below: pd.DataFrame
    order_sizes: pd.DataFrame
    frequency: pd.DataFrame
    channel_orders: pd.DataFrame
    channel_revenue: pd.DataFrame


def analyse_orders(prep: PreparedClient, classes: pd.Series) -> OrderAnalysis:
    """The order part of :func:`analyse_status_quo` on the client's order table.

    Args:
        prep: the prepared client (its cached order table and config).
        classes: A-D class per customer id.

    Returns:
        :class:`OrderAnalysis`.
    """
    cfg = prep.config
    orders = prep.orders  # ords.order_table of the lines, once per client (prepare)
    # one definition with notebook 04: last analysis year, orders with value > 0
    econ = ords.order_economics(
        orders, year=cfg.last_year, order_processing=cfg.cost_rates.order_processing
    )
    class_channel = _class_channel_frame(orders, classes)
    return OrderAnalysis(
        orders=orders,
        economics=econ,
        below=ords.orders_below_thresholds(
            orders, cfg.orders.value_thresholds, cfg.cost_rates.order_processing
        ),
        order_sizes=ords.order_sizes_by_class(orders, classes),
        frequency=ords.order_frequency(orders, classes, list(cfg.analysis.years)),
        channel_orders=_mix(class_channel, "orders"),
        channel_revenue=_mix(class_channel, "revenue"),
    )


def channel_mix(orders: pd.DataFrame, classes: pd.Series, weight: str = "orders") -> pd.DataFrame:
    """Share of each channel per class, by number of orders or by revenue.

    Args:
        orders: one row per order (:func:`kk_helpers.metrics.orders.order_table`) with
            ``customer_id``, ``channel`` and ``value``; orders with value ≤ 0 are left out.
        classes: class per customer, indexed by customer id.
        weight: ``"orders"`` (count) or ``"revenue"`` (sum of order values).

    Returns:
        DataFrame indexed by class (A–D order), one column per channel, rows sum to 1.
        Orders without a channel are shown as ``"unknown"``.

    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "channel": ["webshop", "edi", "webshop"],
    ...                   "value": [10.0, 30.0, 5.0]})
    >>> float(channel_mix(o, pd.Series({"a": "A", "b": "C"}), "revenue").loc["A", "edi"])
    0.75
    """
    if weight not in ("orders", "revenue"):
        raise ValueError(f"weight must be 'orders' or 'revenue', got {weight!r}")
    return _mix(_class_channel_frame(orders, classes), weight)


def _class_channel_frame(orders: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Orders with value > 0 of customers with a class, summed per class and channel:
    ``class``, ``channel`` (NA shown as ``"unknown"``) and the weights ``orders`` (number
    of orders) and ``revenue`` (order value); built once for both channel mixes, on
    integer codes (millions of orders, a few dozen rows)."""
    o = orders.loc[orders[C.VALUE] > 0]
    ch = o[C.CHANNEL]
    if not isinstance(ch.dtype, pd.CategoricalDtype):
        ch = ch.astype("category")
    ch_names = np.append(ch.cat.categories.astype("str").to_numpy(dtype=object), "unknown")
    n_ch = len(ch_names)
    ch_codes = ch.cat.codes.to_numpy().astype(np.int64)
    ch_codes[ch_codes < 0] = n_ch - 1
    cust = o[C.CUSTOMER_ID]
    if not isinstance(cust.dtype, pd.CategoricalDtype):
        cust = cust.astype("str").astype("category")
    lookup = classes.astype("str").reindex(cust.cat.categories.astype("str"))
    lab_codes, labels = pd.factorize(lookup)  # no class -> -1 (as cls.class_of_rows)
    codes = np.append(lab_codes, -1)[cust.cat.codes.to_numpy()]
    keep = codes >= 0
    key = codes[keep] * n_ch + ch_codes[keep]
    size = len(labels) * n_ch
    count = np.bincount(key, minlength=size)
    idx = np.flatnonzero(count)
    # summed as pandas sums a group (compensated, in row order): the same shares as before
    value = pd.Series(o[C.VALUE].to_numpy(dtype=float)[keep])
    revenue = value.groupby(key, sort=True).sum().reindex(idx).to_numpy()
    return pd.DataFrame(
        {
            C.CLASS: np.asarray(labels, dtype=object)[idx // n_ch],
            C.CHANNEL: ch_names[idx % n_ch],
            "orders": count[idx].astype("float64"),
            "revenue": revenue,
        }
    )


def _mix(frame: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Channel shares per class from :func:`_class_channel_frame`, weighted by ``weight``."""
    table = frame.pivot_table(
        index=C.CLASS, columns=C.CHANNEL, values=weight, aggfunc="sum", fill_value=0.0
    )
    order = [c for c in C.CHANNELS if c in table.columns] + sorted(
        set(table.columns) - set(C.CHANNELS)
    )
    table = table[order]
    table = table.div(table.sum(axis=1), axis=0)
    table = table.reindex(cls.class_order(table.index))
    table.columns.name = None
    return table


def class_migration(
    customer_table: pd.DataFrame, yearly: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """Customers moving between classes from the first to the last analysis year.

    Customers that only became customers after the first year (``customer_since``
    after it, or else their first purchase) start in the row ``new`` instead of D;
    a ``lost`` column that would be all zero (inactive customers are D) is left out.

    Args:
        customer_table: indexed by customer id, with ``first_purchase`` and optionally
            ``customer_since``.
        yearly: class per customer and year (:func:`kk_helpers.metrics.classes.yearly_classes`).
        years: analysis years.

    Returns:
        Counts, rows = class in the first year, columns = class in the last year.
    """
    first, last = years[0], years[-1]
    start = yearly[first].astype(object)
    since = pd.Series(pd.NaT, index=customer_table.index, dtype="datetime64[ns]")
    if C.CUSTOMER_SINCE in customer_table.columns:
        since = pd.to_datetime(customer_table[C.CUSTOMER_SINCE], errors="coerce")
    since = since.fillna(pd.to_datetime(customer_table[C.FIRST_PURCHASE], errors="coerce"))
    joined_later = (since.dt.year > first) & (start == C.CLASSES[-1])
    start = start.mask(joined_later.reindex(start.index, fill_value=False))
    matrix = cls.migration_matrix(start.dropna(), yearly[last])  # missing start = "new"
    if C.CLASS_LOST in matrix.columns and not matrix[C.CLASS_LOST].any():
        matrix = matrix.drop(columns=C.CLASS_LOST)
    return matrix


def analyse_status_quo(prep: PreparedClient, lang: str) -> StatusQuo:
    """Run every status-quo computation on a prepared client.

    Args:
        prep: output of :func:`kk_helpers.stages.prepare.prepare_client`.
        lang: "de" or "en": the number format of the size-band labels (the only text
            in the result).

    Returns:
        :class:`StatusQuo` with all tables; see its fields. The order part (order
        economics, sizes, frequency, channel mixes) is computed on first use
        (:attr:`StatusQuo.order_analysis`), so a caller that needs only the customer
        figures (summary page, deck) does not read the order table.
    """
    cfg = prep.config
    years = list(cfg.analysis.years)
    settings = cfg.classes
    currency = cfg.client.currency
    ct = cls.index_by_customer(prep.customer_table)

    classes = cls.abc_d_classes(ct, settings, years)
    revenue = ct[C.REVENUE_TOTAL]
    concentration = conc.concentration_summary(revenue)
    profile = cls.class_profile(ct, classes)

    comparison, agreement = None, None
    if C.CURRENT_CLASS in ct.columns and ct[C.CURRENT_CLASS].notna().any():
        comparison = cls.compare_with_current(classes, ct[C.CURRENT_CLASS])
        agreement = comparison.attrs["agreement"]

    monthly = prep.monthly_revenue  # cls.monthly_revenue of the lines, once per client
    xyz = cls.xyz_classes(monthly, tuple(settings.xyz_thresholds))
    abc_xyz = cls.abc_xyz_matrix(classes, xyz)

    profit = prof.profit_by_class(ct, classes)
    whale = prof.whale_curve(ct[C.CM3])
    whale_summary = prof.whale_summary(ct[C.CM3], curve=whale)

    has_margin = prep.has_data(C.MARGIN)

    yearly = dev.yearly_by_class(ct, classes, years)
    yearly_cls = cls.yearly_classes(ct, years, settings)
    migration = class_migration(ct, yearly_cls, years)
    flow = dev.customer_flow(ct, years)

    table = ct.copy()
    table[C.CLASS] = classes
    table[C.CV] = xyz[C.CV]
    table[C.XYZ] = xyz[C.XYZ]
    edge = partial(format_number, lang=lang)
    table[C.SIZE_BAND] = struct.size_band(table, number_format=edge)
    structure = {
        dim: struct.structure_table(table, dim, number_format=edge)
        for dim in STRUCTURE_DIMENSIONS
        if dim in table.columns and table[dim].notna().any()
    }
    return StatusQuo(
        currency=currency,
        years=years,
        customers=table,
        classes=classes,
        concentration=concentration,
        pareto=conc.pareto_curve(revenue),
        lorenz=conc.lorenz_curve(revenue),
        gini=float(concentration.set_index(C.METRIC).loc["gini", C.VALUE]),
        profile=profile,
        current_comparison=comparison,
        current_agreement=agreement,
        xyz=xyz,
        abc_xyz=abc_xyz,
        profit=profit,
        whale=whale,
        whale_summary=whale_summary,
        yearly=yearly,
        yearly_classes=yearly_cls,
        migration=migration,
        flow=flow,
        structure=structure,
        has_margin=has_margin,
        has_channel=prep.has_data(C.CHANNEL),
        order_part=partial(analyse_orders, prep, classes),
    )
