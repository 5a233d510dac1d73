"""Inputs of the scenario engine (stage 4): unit rates, the per-customer base of the last
analysis year, its orders and order economics, and which optional data the client lacks.

:func:`build_inputs` does the slow part once per client; the scenarios
(:mod:`kk_helpers.stages.target.scenario_effects`) are vectorised updates on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, CostRates
from kk_helpers.metrics.cost_to_serve import activity_costs, channel_rates, order_costs
from kk_helpers.metrics.orders import (
    OrderEconomics,
    break_even_order_value,
    order_economics,
)
from kk_helpers.stages.target.order_sums import OrderSums

#: The scenarios in the order of the waterfall.
SCENARIOS: tuple[str, ...] = ("channel_shift", "minimum_order_value", "surcharge", "dealer")
#: Per-customer delta columns of every scenario (currency, hours, customers).
DELTA_COLUMNS: tuple[str, ...] = (
    "revenue",
    "margin",
    "order_cost",
    "activity_cost",
    "field_hours",
    "inside_hours",
    "customers_lost",
)
#: Personal order channels (the order shift moves these to the webshop).
PERSONAL_CHANNELS: tuple[str, ...] = ("field_sales", "inside_sales")
#: Activity types done by field sales; every other type counts as inside-sales time.
FIELD_TYPES: tuple[str, ...] = ("visit", "event")
#: Standard minutes and hourly rates when the config gives none.
DEFAULT_VISIT_MINUTES = 120.0
DEFAULT_CALL_MINUTES = 10.0
DEFAULT_HOURLY_RATE = 60.0

#: Optional data the scenarios use (``ScenarioInputs.missing`` names the absent ones).
DATA_KINDS: tuple[str, ...] = ("margin", "activities", "channel")
#: Scenario of each assumption (the tornado leaves out those of scenarios left out).
PARAM_SCENARIO: dict[str, str] = {
    "shift_to_inside": "channel_shift",
    "shift_to_digital": "channel_shift",
    "calls_per_visit": "channel_shift",
    "order_shift_digital": "channel_shift",
    "shift_churn": "channel_shift",
    "minimum_order_value": "minimum_order_value",
    "consolidation_rate": "minimum_order_value",
    "loss_rate": "minimum_order_value",
    "surcharge": "surcharge",
    "surcharge_threshold": "surcharge",
    "acceptance_rate": "surcharge",
    "surcharge_loss_rate": "surcharge",
    "dealer_share": "dealer",
    "dealer_discount": "dealer",
}

#: Numeric assumptions varied by :func:`tornado` (name -> kind: share, money, number).
SENSITIVE: dict[str, str] = {
    "shift_to_inside": "share",
    "shift_to_digital": "share",
    "calls_per_visit": "number",
    "order_shift_digital": "share",
    "shift_churn": "share",
    "minimum_order_value": "money",
    "consolidation_rate": "share",
    "loss_rate": "share",
    "surcharge": "money",
    "surcharge_threshold": "money",
    "acceptance_rate": "share",
    "surcharge_loss_rate": "share",
    "dealer_share": "share",
    "dealer_discount": "share",
}

#: Base-frame columns (per customer, last analysis year).
BASE_COLUMNS: tuple[str, ...] = (
    C.CLASS,
    "revenue",
    "margin",
    "order_cost",
    "activity_cost",
    "orders",
    "visits",
    "visit_hours",
    "visit_cost",
    "calls",
    "field_hours",
    "inside_hours",
)


@dataclass(frozen=True)
class Rates:
    """Unit rates the scenarios need (from ``config.cost_rates``).

    ``visit_minutes`` / ``call_minutes``: standard minutes; ``call_cost``: cost of one
    call (currency); ``webshop_cost`` / ``dealer_cost``: order-processing cost per
    order of those channels.
    """

    visit_minutes: float = DEFAULT_VISIT_MINUTES
    visit_cost: float = DEFAULT_VISIT_MINUTES / 60 * DEFAULT_HOURLY_RATE
    call_minutes: float = DEFAULT_CALL_MINUTES
    call_cost: float = DEFAULT_CALL_MINUTES / 60 * DEFAULT_HOURLY_RATE
    management_rate: float = DEFAULT_HOURLY_RATE * 2
    webshop_cost: float = 0.0
    dealer_cost: float = 0.0


def rates_from_config(cost_rates: CostRates) -> Rates:
    """Unit rates from the config's cost rates (defaults where a rate is missing).

    >>> r = rates_from_config(CostRates.model_validate({"activities": {"call": {"minutes": 6,
    ...     "hourly_rate": 50}}, "order_processing": {"webshop": 4, "default": 20}}))
    >>> r.call_minutes, r.call_cost, r.webshop_cost, r.dealer_cost
    (6.0, 5.0, 4.0, 20.0)
    """

    def minutes_cost(kind: str, minutes: float) -> tuple[float, float, float]:
        rate = cost_rates.activities.get(kind)
        if rate is None:
            return minutes, minutes / 60 * DEFAULT_HOURLY_RATE, DEFAULT_HOURLY_RATE
        m = float(rate.minutes) if rate.minutes is not None else minutes
        hourly = float(rate.hourly_rate) if rate.hourly_rate is not None else None
        cost = m / 60 * hourly if hourly is not None else float(rate.cost or 0.0)
        return m, cost, hourly if hourly is not None else DEFAULT_HOURLY_RATE

    vm, vc, vh = minutes_cost("visit", DEFAULT_VISIT_MINUTES)
    cm, cc, _ = minutes_cost("call", DEFAULT_CALL_MINUTES)
    web, dealer = channel_rates(["webshop", "dealer"], cost_rates.order_processing)
    return Rates(vm, vc, cm, cc, 2 * vh, float(web), float(dealer))


@dataclass(frozen=True)
class ScenarioInputs:
    """Everything the scenarios read, computed once per client (the slow part).

    ``base``: one row per customer (index ``customer_id``) with :data:`BASE_COLUMNS`
    for the last analysis year (class = priority class; money in currency, hours per
    year). ``orders``: the last year's orders with value > 0: ``pos`` (row of the
    customer in ``base``), ``value``, ``margin`` (CM I, NaN filled with value × CM I %),
    ``cost`` (processing cost), ``personal`` (bool: field/inside-sales channel).
    ``cost_per_order``, ``margin_pct`` and ``break_even`` (= cost_per_order / margin_pct)
    are :func:`kk_helpers.metrics.orders.order_economics` of the year (the same figures
    as notebook 01); ``break_even_reason`` is its reason code when the break-even is NaN.
    ``sums``: the same orders as :class:`~kk_helpers.stages.target.order_sums.OrderSums`
    (running sums of ``value``, ``margin``, ``cost``, ``pct`` = margin / value,
    ``personal`` and ``saving`` = personal × (cost − webshop rate, ≥ 0) per customer),
    which the scenarios read instead of the orders. ``missing``: optional data the client does not have (subset of :data:`DATA_KINDS`).
    """

    base: pd.DataFrame
    orders: pd.DataFrame
    rates: Rates
    year: int
    cost_per_order: float
    margin_pct: float
    break_even: float
    capacity: Mapping[str, float] = field(default_factory=dict)
    currency: str = "EUR"
    # derived arrays (filled by build_inputs_from_frames)
    class_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    class_labels: tuple[str, ...] = ()
    all_small_below: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cm3_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: customers (base rows) by CM III, lowest first (the inverse of ``cm3_rank``)
    cm3_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    missing: frozenset[str] = frozenset()
    break_even_reason: str | None = None
    #: the orders sorted per customer with running sums (the small-order scenarios' view)
    sums: OrderSums | None = None

    def has(self, kind: str) -> bool:
        """True when the client's data hold ``kind`` (see :data:`DATA_KINDS`)."""
        return kind not in self.missing

    def recommended_mov(self, markup: float) -> float:
        """Recommended minimum order value = break-even × (1 + markup), rounded to 5;
        NaN when the break-even is not available (:attr:`break_even_reason`), never 0.

        >>> ScenarioInputs(pd.DataFrame(), pd.DataFrame(), Rates(), 2025, 0.0, 0.3,
        ...                float("nan"), break_even_reason="no_cost_rates").recommended_mov(0.25)
        nan
        """
        be = self.break_even
        if not np.isfinite(be) or be <= 0:
            return float("nan")
        return float(np.round(be * (1 + markup) / 5.0) * 5.0)


def build_inputs_from_frames(
    base: pd.DataFrame,
    orders: pd.DataFrame,
    rates: Rates,
    *,
    year: int = 0,
    capacity: Mapping[str, float] | None = None,
    currency: str = "EUR",
    missing: Sequence[str] = (),
    economics: OrderEconomics | None = None,
) -> ScenarioInputs:
    """:class:`ScenarioInputs` from a base frame and an order frame (tests, benchmarks).

    Args:
        base: per customer (index = customer id) the :data:`BASE_COLUMNS`; missing
            numeric columns count as 0, a missing ``class`` as "D".
        orders: per order ``customer_id`` (or ``pos``), ``value``, optional ``margin``,
            ``cost`` (processing cost per order) or ``channel``, ``personal``. Orders
            with value ≤ 0 and of customers not in ``base`` are left out.
        rates: unit rates.
        missing: optional data kinds the client does not have (:data:`DATA_KINDS`).
        economics: :func:`kk_helpers.metrics.orders.order_economics` of the year (cost
            per order, margin %, break-even); None: computed from ``orders`` by the same
            rules (Σ cost / orders, Σ CM I / Σ value, break-even only for 0 < margin % < 1
            and cost > 0).

    Returns:
        The inputs; the frames are copied, not changed.
    """
    b = pd.DataFrame(index=base.index.astype("str"))
    b.index.name = C.CUSTOMER_ID
    b[C.CLASS] = (
        base[C.CLASS].astype("str").to_numpy() if C.CLASS in base.columns else np.full(len(b), "D")
    )
    for col in BASE_COLUMNS[1:]:
        b[col] = (
            pd.to_numeric(base[col], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
            if col in base.columns
            else 0.0
        )
    o = orders
    value = pd.to_numeric(o[C.VALUE], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if "pos" in o.columns:
        pos = o["pos"].to_numpy(dtype=np.int64)
    elif C.CUSTOMER_ID in o.columns:
        pos = b.index.get_indexer(o[C.CUSTOMER_ID].astype("str"))
    else:
        pos = np.full(len(o), -1, dtype=np.int64)
    keep = (value > 0) & (pos >= 0)
    margin = (
        pd.to_numeric(o[C.MARGIN], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        if C.MARGIN in o.columns
        else np.full(len(o), np.nan)
    )
    if "cost" in o.columns:
        cost = pd.to_numeric(o["cost"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    else:
        cost = np.zeros(len(o))
    if "personal" in o.columns:
        personal = o["personal"].to_numpy(dtype=bool)
    elif C.CHANNEL in o.columns:
        personal = o[C.CHANNEL].astype("str").isin(PERSONAL_CHANNELS).to_numpy()
    else:
        personal = np.zeros(len(o), dtype=bool)
    value, margin, cost, personal, pos = (
        value[keep],
        margin[keep],
        cost[keep],
        personal[keep],
        pos[keep],
    )
    known = ~np.isnan(margin)
    margin_pct = (
        float(margin[known].sum() / value[known].sum())
        if known.any() and value[known].sum() > 0
        else float("nan")
    )
    margin = np.where(known, margin, value * (margin_pct if np.isfinite(margin_pct) else 0.0))
    if economics is None:
        n_orders = len(value)
        cost_per_order = float(cost.sum() / n_orders) if n_orders else float("nan")
        reason = None
        if not n_orders:
            reason = "no_orders"
        elif not np.isfinite(margin_pct):
            reason = "no_margin"
        elif not cost_per_order > 0:
            reason = "no_cost_rates"
        elif not 0 < margin_pct < 1:
            reason = "margin_range"
        break_even = (
            break_even_order_value(cost_per_order, margin_pct) if reason is None else float("nan")
        )
    else:
        cost_per_order, margin_pct = economics.cost_per_order, economics.margin_pct
        break_even, reason = economics.break_even, economics.reason
    frame = pd.DataFrame(
        {"pos": pos, C.VALUE: value, C.MARGIN: margin, "cost": cost, "personal": personal}
    )
    codes, labels = pd.factorize(b[C.CLASS], sort=True)
    cm3 = (b["margin"] - b["order_cost"] - b["activity_cost"]).to_numpy()
    by_cm3 = np.argsort(cm3, kind="stable")
    rank = np.empty(len(b), dtype=np.int64)
    rank[by_cm3] = np.arange(len(b))
    # largest order value per customer: a customer is "all small" below T when max < T
    max_value = np.full(len(b), -np.inf)
    np.maximum.at(max_value, pos, value)
    saving = personal * np.clip(cost - rates.webshop_cost, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(value > 0, margin / value, 0.0)
    sums = OrderSums.build(
        pos, value, len(b), value=value, margin=margin, cost=cost, pct=pct,
        personal=personal.astype("float64"), saving=saving,
    )  # fmt: skip
    return ScenarioInputs(
        base=b,
        orders=frame,
        rates=rates,
        year=year,
        cost_per_order=cost_per_order,
        margin_pct=margin_pct,
        break_even=break_even,
        capacity=dict(capacity or {}),
        currency=currency,
        class_codes=codes.astype(np.int64),
        class_labels=tuple(str(x) for x in labels),
        all_small_below=max_value,
        cm3_rank=rank,
        cm3_order=by_cm3,
        missing=frozenset(missing),
        break_even_reason=reason,
        sums=sums,
    )


#: per-customer activity columns of the scenario base (:func:`activity_base`)
ACTIVITY_COLUMNS: tuple[str, ...] = ("activity_cost", "visits", "visit_hours", "visit_cost",
                                     "calls", "field_hours", "inside_hours")  # fmt: skip


def activity_base(
    activities: pd.DataFrame | None, index: pd.Index, *, cost_rates: CostRates, year: int
) -> pd.DataFrame:
    """Per customer (``index``: customer ids as str) the activities of ``year``:
    :data:`ACTIVITY_COLUMNS` (cost in currency, counts, hours per year); zeros without an
    activity table. Computed once per client by ``prepare_client``
    (``PreparedClient.scenario_activity``).

    >>> act = pd.DataFrame({"customer_id": ["a", "a"], "year": [2025, 2025],
    ...                     "type": ["visit", "call"], "duration_min": [90.0, 6.0]})
    >>> b = activity_base(act, pd.Index(["a", "b"]), cost_rates=CostRates(), year=2025)
    >>> b.loc["a", ["visits", "calls", "field_hours"]].tolist(), float(b.loc["b", "visits"])
    ([1.0, 1.0, 1.5], 0.0)
    """
    n = len(index)
    base = pd.DataFrame(
        0.0, index=pd.Index(index, name=C.CUSTOMER_ID), columns=list(ACTIVITY_COLUMNS)
    )
    act = activities
    if act is None or act.empty or C.ACTIVITY_TYPE not in act.columns:
        return base
    act = act[act[C.YEAR] == year] if C.YEAR in act.columns else act
    a_cost = activity_costs(act, cost_rates).to_numpy()
    types = act[C.ACTIVITY_TYPE].astype("str").to_numpy()
    minutes = pd.to_numeric(act[C.DURATION_MIN], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    ) if C.DURATION_MIN in act.columns else np.full(len(act), np.nan)  # fmt: skip
    std = np.zeros(len(act))
    for kind, rate in cost_rates.activities.items():  # a handful of types
        if rate.minutes is not None:
            std[types == kind] = float(rate.minutes)
    hours = np.where(np.isnan(minutes), std, minutes) / 60.0
    a_pos = base.index.get_indexer(act[C.CUSTOMER_ID].astype("str"))
    a_ok = a_pos >= 0

    def per_customer(weights: np.ndarray) -> np.ndarray:
        return np.bincount(a_pos[a_ok], weights=weights[a_ok], minlength=n)

    visit = types == "visit"
    field_type = np.isin(types, FIELD_TYPES)
    base["activity_cost"] = per_customer(a_cost)
    base["visits"] = per_customer(visit.astype(float))
    base["visit_hours"] = per_customer(hours * visit)
    base["visit_cost"] = per_customer(a_cost * visit)
    base["calls"] = per_customer((types == "call").astype(float))
    base["field_hours"] = per_customer(hours * field_type)
    base["inside_hours"] = per_customer(hours * ~field_type)
    return base


def build_inputs(prep: object, classes: pd.Series) -> ScenarioInputs:
    """Scenario inputs of a prepared client for the last analysis year.

    Args:
        prep: :class:`kk_helpers.stages.prepare.PreparedClient`: its customer table,
            config and the data computed once per client (``orders_last_year``,
            ``scenario_activity``, ``facts["scenario_missing"]``); the lines are not read.
        classes: priority class per customer id (from ``screening.parquet``);
            customers without a class count as D.

    Returns:
        :class:`ScenarioInputs`.
    """
    cfg: ClientConfig = prep.config  # type: ignore[attr-defined]
    year = cfg.last_year
    ct = prep.customer_table  # type: ignore[attr-defined]
    ids = ct[C.CUSTOMER_ID].astype("str")
    index = pd.Index(ids.to_numpy(), name=C.CUSTOMER_ID)
    n = len(index)
    rates = rates_from_config(cfg.cost_rates)

    orders = prep.orders_last_year  # type: ignore[attr-defined]
    economics = order_economics(orders, year=year, order_processing=cfg.cost_rates.order_processing)
    o_cost = order_costs(orders, cfg.cost_rates).to_numpy()
    pos = index.get_indexer(orders[C.CUSTOMER_ID].astype("str"))
    ok = pos >= 0

    def per_customer(weights: np.ndarray) -> np.ndarray:
        return np.bincount(pos[ok], weights=weights[ok], minlength=n)

    revenue_col = C.year_col("revenue", year)
    margin_col = C.year_col("margin", year)
    base = pd.DataFrame(index=index)
    base[C.CLASS] = classes.reindex(index).fillna("D").astype("str").to_numpy()
    base["revenue"] = pd.to_numeric(ct[revenue_col], errors="coerce").fillna(0.0).to_numpy()
    base["margin"] = (
        pd.to_numeric(ct[margin_col], errors="coerce").fillna(0.0).to_numpy()
        if margin_col in ct.columns
        else 0.0
    )
    base["order_cost"] = per_customer(o_cost)
    base["orders"] = per_customer(np.ones(len(orders)))
    missing = frozenset(prep.facts["scenario_missing"])  # type: ignore[attr-defined]
    if "activities" not in missing:
        act = prep.scenario_activity.reindex(index, fill_value=0.0)  # type: ignore[attr-defined]
        for col in ACTIVITY_COLUMNS:
            base[col] = act[col].to_numpy()
    order_frame = pd.DataFrame(
        {
            C.CUSTOMER_ID: ids.to_numpy()[pos[ok]],
            C.VALUE: orders[C.VALUE].to_numpy()[ok],
            C.MARGIN: orders[C.MARGIN].to_numpy()[ok],
            "cost": o_cost[ok],
            "personal": orders[C.CHANNEL].astype("str").isin(PERSONAL_CHANNELS).to_numpy()[ok],
            "pos": pos[ok],
        }
    )
    return build_inputs_from_frames(
        base,
        order_frame,
        rates,
        year=year,
        capacity=cfg.screening.capacity,
        currency=cfg.client.currency,
        missing=missing,
        economics=economics,
    )


def data_missing(
    transactions: pd.DataFrame,
    activities: pd.DataFrame | None,
    customer_table: pd.DataFrame | None = None,
    *,
    year: int | None = None,
) -> frozenset[str]:
    """Optional data kinds (:data:`DATA_KINDS`) a client's data do not hold.

    ``margin``: no margin column or no margin value at all; ``channel``: no sales
    channel; ``activities``: no activity table (or no activity type).

    >>> tx = pd.DataFrame({"customer_id": ["a"], "revenue": [1.0]})
    >>> sorted(data_missing(tx, pd.DataFrame()))
    ['activities', 'channel', 'margin']
    """
    out = set()
    margin_col = C.year_col("margin", year) if year is not None else None
    has_margin = C.MARGIN in transactions.columns and bool(
        pd.to_numeric(transactions[C.MARGIN], errors="coerce").notna().any()
    )
    if customer_table is not None and margin_col is not None and has_margin:
        has_margin = margin_col in customer_table.columns
    if not has_margin:
        out.add("margin")
    if C.CHANNEL not in transactions.columns or not transactions[C.CHANNEL].notna().any():
        out.add("channel")
    if activities is None or activities.empty or C.ACTIVITY_TYPE not in activities.columns:
        out.add("activities")
    return frozenset(out)


def scenario_gaps(missing: frozenset[str] | Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per scenario the missing data that keep it from being computed (empty: computable).

    * channel shift: needs visits (activities) or the order channel;
    * minimum order value: needs the margin (break-even, margin of lost orders);
    * small-order surcharge: always computable (see :func:`scenario_caveats`);
    * dealer delegation: needs the margin (customers chosen by lowest CM III).

    >>> scenario_gaps({"margin", "activities", "channel"})["channel_shift"]
    ('activities', 'channel')
    >>> scenario_gaps(set())
    {'channel_shift': (), 'minimum_order_value': (), 'surcharge': (), 'dealer': ()}
    """
    m = set(missing)
    no_margin = ("margin",) if "margin" in m else ()
    return {
        "channel_shift": ("activities", "channel") if {"activities", "channel"} <= m else (),
        "minimum_order_value": no_margin,
        "surcharge": (),
        "dealer": no_margin,
    }


def scenario_caveats(missing: frozenset[str] | Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per computable scenario the missing data whose part of it counts as zero.

    Channel shift: without activities the visits part, without channel the order
    shift, without margin the margin of lost customers; surcharge: without margin the
    margin of lost orders (the effect is an upper bound).

    >>> scenario_caveats({"margin"})["surcharge"]
    ('margin',)
    """
    m = set(missing)
    gaps = scenario_gaps(m)
    out: dict[str, tuple[str, ...]] = {name: () for name in SCENARIOS}
    if not gaps["channel_shift"]:
        out["channel_shift"] = tuple(k for k in ("activities", "channel", "margin") if k in m)
    out["surcharge"] = ("margin",) if "margin" in m else ()
    return out


# --- scenario effects -------------------------------------------------------------------------
