"""Scenario engine of the target picture (stage 4): explicit assumptions -> computed effects.

All effects are yearly, on the **last analysis year** of the client, in the client's
currency; hours are hours per year. Every assumption is a field of
:class:`kk_helpers.core.config.ScenarioSettings` (``target.scenario`` in ``client.yml``), so the
batch uses the config's values and the notebook's sliders change the same names.

Scenarios (each returns a :class:`ScenarioEffect`: per-customer deltas + a summary):

* **channel shift** (:func:`channel_shift`) - of the small customers' (C/D) field visits,
  ``shift_to_inside`` are replaced by ``calls_per_visit`` inside-sales calls each and
  ``shift_to_digital`` are dropped for self-service. Field hours and visit cost fall by
  that share of the visits' hours and cost; inside-sales hours and cost rise by the calls.
  ``order_shift_digital`` of the small customers' field/inside-sales orders move to the
  webshop: order-processing cost falls by (channel rate - webshop rate) per moved order.
  ``shift_churn`` of the shifted customers are lost: their CM I (and order cost) times
  churn × shifted share.
* **minimum order value** (:func:`minimum_order_value`) - threshold T (default: the
  break-even order value = order-processing cost per order / CM I %, × (1 + markup)).
  Of the orders with 0 < value < T, ``consolidation_rate`` are combined into larger
  orders (revenue kept, processing cost saved), ``loss_rate`` are lost (revenue and CM I
  lost, processing cost saved) and the rest is topped up to T (extra revenue T - value at
  the order's CM I %). Expected values, no random draws.
* **small-order surcharge** (:func:`small_order_surcharge`) - orders with
  T ≤ value < ``surcharge_threshold`` (T = minimum order value, so no order is counted
  twice): ``acceptance_rate`` pay the surcharge S (pure margin), ``surcharge_loss_rate``
  are lost, the rest is consolidated. Δprofit = S·n_pay + c·n_consolidated − CM II·n_lost
  (DESIGN.md section 6; CM II of an order = CM I − its processing cost).
* **dealer delegation** (:func:`dealer_delegation`) - ``dealer_share`` of the customers
  of ``dealer_classes`` (lowest CM III first) are handed to dealers: the dealer margin
  ``dealer_discount`` × revenue is given up; their activity cost is saved and their
  orders cost the dealer rate instead of their own.

:func:`run_scenarios` computes all four, :func:`before_after` aggregates them per class
(customers, revenue, CM I, cost-to-serve, profit = CM III, hours and FTE),
:func:`waterfall` gives the profit bridge and :func:`tornado` the sensitivities. The
effects are computed independently on the status quo and added (second-order
interactions, e.g. an order that is both moved to the webshop and consolidated, are
ignored). :func:`build_inputs` does the slow part once; updates are vectorised numpy
(100,000 customers: see ``benchmarks/bench_scenarios.py``).

**Missing data** (:attr:`ScenarioInputs.missing`, :data:`DATA_KINDS`): a client export
may hold no margin, no sales channel or no activities. A scenario that cannot be
computed without them (:func:`scenario_gaps`) is left out: its deltas are zero, its
summary figures NaN and :attr:`ScenarioEffect.missing` names the data it needs. Parts
of a scenario that lack data count as zero and are named by :func:`scenario_caveats`
(e.g. the surcharge without margin: lost orders are not valued).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, CostRates, ScenarioSettings
from kk_helpers.metrics.cost_to_serve import activity_costs, channel_rates, order_costs
from kk_helpers.metrics.orders import OrderEconomics, break_even_order_value, order_economics

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
    ``missing``: optional data the client does not have (subset of :data:`DATA_KINDS`).
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
    missing: frozenset[str] = frozenset()
    break_even_reason: str | None = None

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
    rank = np.empty(len(b), dtype=np.int64)
    rank[np.argsort(cm3, kind="stable")] = np.arange(len(b))
    # largest order value per customer: a customer is "all small" below T when max < T
    max_value = np.full(len(b), -np.inf)
    np.maximum.at(max_value, pos, value)
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
        missing=frozenset(missing),
        break_even_reason=reason,
    )


def build_inputs(prep: object, classes: pd.Series) -> ScenarioInputs:
    """Scenario inputs of a prepared client for the last analysis year.

    Args:
        prep: :class:`kk_helpers.stages.prepare.PreparedClient` (transactions, activities,
            customer table, config).
        classes: priority class per customer id (from ``screening.parquet``);
            customers without a class count as D.

    Returns:
        :class:`ScenarioInputs`.
    """
    from kk_helpers.metrics.orders import order_table

    cfg: ClientConfig = prep.config  # type: ignore[attr-defined]
    year = cfg.last_year
    ct = prep.customer_table  # type: ignore[attr-defined]
    ids = ct[C.CUSTOMER_ID].astype("str")
    index = pd.Index(ids.to_numpy(), name=C.CUSTOMER_ID)
    n = len(index)
    rates = rates_from_config(cfg.cost_rates)

    tx = prep.transactions  # type: ignore[attr-defined]
    tx = tx[tx[C.YEAR] == year]
    orders = order_table(tx)
    economics = order_economics(orders, year=year, order_processing=cfg.cost_rates.order_processing)
    orders = orders[orders[C.VALUE] > 0]
    o_cost = order_costs(orders, cfg.cost_rates).to_numpy()
    pos = index.get_indexer(orders[C.CUSTOMER_ID].astype("str"))
    ok = pos >= 0

    def per_customer(weights: np.ndarray, p: np.ndarray = pos, mask: np.ndarray = ok) -> np.ndarray:
        return np.bincount(p[mask], weights=weights[mask], minlength=n)

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

    act = prep.activities  # type: ignore[attr-defined]
    missing = data_missing(prep.transactions, act, ct, year)  # type: ignore[attr-defined]
    if "activities" not in missing:
        act = act[act[C.YEAR] == year] if C.YEAR in act.columns else act
        a_cost = activity_costs(act, cfg.cost_rates).to_numpy()
        types = act[C.ACTIVITY_TYPE].astype("str").to_numpy()
        minutes = pd.to_numeric(act[C.DURATION_MIN], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        ) if C.DURATION_MIN in act.columns else np.full(len(act), np.nan)  # fmt: skip
        std = np.zeros(len(act))
        for kind, rate in cfg.cost_rates.activities.items():  # a handful of types
            if rate.minutes is not None:
                std[types == kind] = float(rate.minutes)
        hours = np.where(np.isnan(minutes), std, minutes) / 60.0
        a_pos = index.get_indexer(act[C.CUSTOMER_ID].astype("str"))
        a_ok = a_pos >= 0
        visit = types == "visit"
        field_type = np.isin(types, FIELD_TYPES)
        base["activity_cost"] = per_customer(a_cost, a_pos, a_ok)
        base["visits"] = per_customer(visit.astype(float), a_pos, a_ok)
        base["visit_hours"] = per_customer(hours * visit, a_pos, a_ok)
        base["visit_cost"] = per_customer(a_cost * visit, a_pos, a_ok)
        base["calls"] = per_customer((types == "call").astype(float), a_pos, a_ok)
        base["field_hours"] = per_customer(hours * field_type, a_pos, a_ok)
        base["inside_hours"] = per_customer(hours * ~field_type, a_pos, a_ok)
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


@dataclass(frozen=True)
class ScenarioEffect:
    """One scenario's result.

    ``deltas``: per customer (index = base index) the change of each of
    :data:`DELTA_COLUMNS` (currency / hours / expected customers lost; cost decreases
    are negative). ``summary``: scenario-specific figures (see each function).
    """

    name: str
    deltas: pd.DataFrame
    summary: dict[str, float]
    missing: tuple[str, ...] = ()  # data without which the scenario was left out

    @property
    def available(self) -> bool:
        """False when the scenario could not be computed (see :func:`scenario_gaps`)."""
        return not self.missing

    @property
    def profit(self) -> float:
        """Profit effect (CM III): Δmargin − Δorder cost − Δactivity cost."""
        d = self.deltas
        return float(d["margin"].sum() - d["order_cost"].sum() - d["activity_cost"].sum())


def _deltas(index: pd.Index, **cols: np.ndarray | float) -> pd.DataFrame:
    n = len(index)
    return pd.DataFrame(
        {c: np.broadcast_to(np.asarray(cols.get(c, 0.0), dtype="float64"), (n,)) for c in DELTA_COLUMNS},
        index=index,
    )  # fmt: skip


def _small(inputs: ScenarioInputs, classes: Sequence[str]) -> np.ndarray:
    labels = np.asarray(inputs.class_labels, dtype=object)
    chosen = np.isin(labels, list(classes)) if len(labels) else np.zeros(0, dtype=bool)
    return chosen[inputs.class_codes] if len(chosen) else np.zeros(len(inputs.base), dtype=bool)


def channel_shift(
    inputs: ScenarioInputs, s: ScenarioSettings, exclude: np.ndarray | None = None
) -> ScenarioEffect:
    """Small customers from field visits to inside sales / digital; orders to the webshop.

    ``exclude``: customers left out (bool per base row, e.g. those delegated to dealers).

    Summary: ``customers`` (small customers with visits), ``visits_moved``,
    ``field_hours_freed``, ``inside_hours_added`` (hours/year), ``fte_freed`` (field
    hours freed / hours_per_fte), ``orders_moved``, ``order_cost_saved``,
    ``visit_cost_saved``, ``call_cost_added``, ``margin_lost`` (churn), ``profit``.

    >>> base = pd.DataFrame({"class": ["C", "A"], "visits": [4.0, 4.0], "visit_hours": [8.0, 8.0],
    ...     "visit_cost": [400.0, 400.0], "margin": [1000.0, 5000.0]}, index=["c", "a"])
    >>> orders = pd.DataFrame({"customer_id": ["c"], "value": [50.0], "cost": [30.0],
    ...     "personal": [True]})
    >>> inp = build_inputs_from_frames(base, orders, Rates(call_minutes=6, call_cost=5, webshop_cost=5))
    >>> e = channel_shift(inp, ScenarioSettings(shift_to_inside=0.5, shift_to_digital=0.25,
    ...     calls_per_visit=2, order_shift_digital=1.0, shift_churn=0.0))
    >>> e.summary["field_hours_freed"], e.summary["inside_hours_added"], e.profit
    (6.0, 0.4, 305.0)
    """
    b = inputs.base
    small, per_order, saving = _order_shift(inputs, s, exclude)
    f_in, f_dig = float(s.shift_to_inside), float(s.shift_to_digital)
    moved = (f_in + f_dig) * small
    visits = b["visits"].to_numpy()
    calls_added = f_in * small * visits * float(s.calls_per_visit)
    d_field = -moved * b["visit_hours"].to_numpy()
    d_inside = calls_added * inputs.rates.call_minutes / 60.0
    visit_saved = moved * b["visit_cost"].to_numpy()
    call_added = calls_added * inputs.rates.call_cost
    pos = inputs.orders["pos"].to_numpy()
    order_saved = np.bincount(pos, weights=per_order * saving, minlength=len(b))
    churn = float(s.shift_churn) * moved * (visits > 0)
    d_margin = -churn * b["margin"].to_numpy()
    d_revenue = -churn * b["revenue"].to_numpy()
    d_order = -order_saved - churn * b["order_cost"].to_numpy()
    deltas = _deltas(
        b.index,
        revenue=d_revenue,
        margin=d_margin,
        order_cost=d_order,
        activity_cost=call_added - visit_saved,
        field_hours=d_field,
        inside_hours=d_inside,
        customers_lost=churn,
    )
    effect = ScenarioEffect("channel_shift", deltas, {})
    freed = float(-d_field.sum())
    effect.summary.update(
        customers=float((small & (visits > 0)).sum()),
        visits_moved=float((moved * visits).sum()),
        field_hours_freed=freed,
        inside_hours_added=float(d_inside.sum()),
        fte_freed=freed / float(s.hours_per_fte),
        orders_moved=float(per_order.sum()),
        order_cost_saved=float(order_saved.sum()),
        visit_cost_saved=float(visit_saved.sum()),
        call_cost_added=float(call_added.sum()),
        margin_lost=float(-d_margin.sum()),
        customers_lost=float(churn.sum()),
        profit=effect.profit,
    )
    return effect


def _order_shift(
    inputs: ScenarioInputs, s: ScenarioSettings, exclude: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order shift to the webshop: small customers (bool per base row, without
    ``exclude``), per order the share moved (``order_shift_digital`` for the small
    customers' personal orders, else 0) and the processing cost it saves per order moved
    (own cost − webshop rate, at least 0)."""
    small = _small(inputs, s.small_classes)
    if exclude is not None:
        small = small & ~exclude
    o = inputs.orders
    moved = float(s.order_shift_digital) * (small[o["pos"].to_numpy()] & o["personal"].to_numpy())
    saving = np.clip(o["cost"].to_numpy() - inputs.rates.webshop_cost, 0.0, None)
    return small, moved, saving


def shifted_order_cost(
    inputs: ScenarioInputs, s: ScenarioSettings, exclude: np.ndarray | None = None
) -> np.ndarray:
    """Processing cost per order after the order shift of :func:`channel_shift`
    (expected value: the moved share costs the webshop rate)."""
    _, moved, saving = _order_shift(inputs, s, exclude)
    return inputs.orders["cost"].to_numpy() - moved * saving


def _customer_counts(
    inputs: ScenarioInputs, mask: np.ndarray, threshold: float
) -> tuple[float, float, np.ndarray]:
    """Customers with ≥ 1 order in ``mask``, and those whose every order is below ``threshold``."""
    n = len(inputs.base)
    pos = inputs.orders["pos"].to_numpy()
    hit = np.zeros(n, dtype=bool)
    hit[pos[mask]] = True
    at_risk = hit & (inputs.all_small_below < threshold)
    return float(hit.sum()), float(at_risk.sum()), at_risk


def minimum_order_value(
    inputs: ScenarioInputs,
    threshold: float,
    consolidation_rate: float,
    loss_rate: float,
    classes: Sequence[str] | None = None,
    exclude: np.ndarray | None = None,
    cost: np.ndarray | None = None,
) -> ScenarioEffect:
    """Minimum order value T on the orders of ``classes`` (None: all customers).

    Of the orders with value < T: ``consolidation_rate`` combined (processing cost
    saved), ``loss_rate`` lost (revenue and CM I lost, processing cost saved), the rest
    topped up to T (extra revenue T − value at the order's CM I %). ``exclude``:
    customers left out (bool per base row); ``cost``: processing cost per order instead
    of the inputs' (e.g. after the order shift, :func:`shifted_order_cost`).

    Summary: ``threshold``, ``orders`` (below T), ``orders_share`` (of all orders of
    the year), ``customers`` (with ≥ 1 order below T), ``customers_share`` (of
    customers with orders), ``customers_at_risk`` (all their orders below T),
    ``revenue_below``, ``margin_below``, ``revenue_at_risk`` (= loss_rate × revenue
    below), ``margin_at_risk``, ``cost_saved`` (processing), ``topup_revenue``,
    ``topup_margin``, ``profit``.

    >>> base = pd.DataFrame({"class": ["C"]}, index=["c"])
    >>> v = [20.0, 40, 60, 80, 99, 100, 150, 200, 500, 1000]
    >>> o = pd.DataFrame({"customer_id": ["c"] * 10, "value": v, "margin": [x / 4 for x in v],
    ...                   "cost": [10.0] * 10})
    >>> e = minimum_order_value(build_inputs_from_frames(base, o, Rates()), 100, 0.6, 0.2)
    >>> e.summary["orders"], e.summary["cost_saved"], round(e.summary["margin_at_risk"], 2)
    (5.0, 40.0, 14.95)
    """
    return _small_orders(
        "minimum_order_value", inputs, 0.0, threshold, 0.0, 0.0, consolidation_rate, loss_rate,
        classes, True, exclude, cost,
    )  # fmt: skip


def small_order_surcharge(
    inputs: ScenarioInputs,
    lower: float,
    threshold: float,
    surcharge: float,
    acceptance_rate: float,
    loss_rate: float,
    classes: Sequence[str] | None = None,
    exclude: np.ndarray | None = None,
    cost: np.ndarray | None = None,
) -> ScenarioEffect:
    """Small-order surcharge S on orders with lower ≤ value < threshold.

    ``acceptance_rate`` of them pay S (extra revenue and margin), ``loss_rate`` are
    lost (CM I lost, processing cost saved), the rest is consolidated (processing cost
    saved). ``lower`` is the minimum order value (orders below it are handled there).

    Summary as :func:`minimum_order_value` plus ``surcharge_revenue`` and
    ``orders_paying``.

    >>> base = pd.DataFrame({"class": ["C"]}, index=["c"])
    >>> o = pd.DataFrame({"customer_id": ["c"] * 4, "value": [50.0, 120, 180, 400],
    ...                   "margin": [10.0, 30, 45, 100], "cost": [10.0] * 4})
    >>> e = small_order_surcharge(build_inputs_from_frames(base, o, Rates()), 100, 250, 5, 0.8, 0.1)
    >>> e.summary["orders"], e.summary["surcharge_revenue"], round(e.profit, 2)
    (2.0, 8.0, 4.5)
    """
    return _small_orders(
        "surcharge", inputs, lower, threshold, surcharge, acceptance_rate,
        1.0 - acceptance_rate - loss_rate, loss_rate, classes, False, exclude, cost,
    )  # fmt: skip


def _small_orders(
    name: str,
    inputs: ScenarioInputs,
    lower: float,
    threshold: float,
    surcharge: float,
    pay_rate: float,
    consolidation_rate: float,
    loss_rate: float,
    classes: Sequence[str] | None,
    topup: bool,
    exclude: np.ndarray | None = None,
    cost_override: np.ndarray | None = None,
) -> ScenarioEffect:
    b = inputs.base
    n = len(b)
    o = inputs.orders
    pos = o["pos"].to_numpy()
    value = o[C.VALUE].to_numpy()
    margin = o[C.MARGIN].to_numpy()
    cost = o["cost"].to_numpy() if cost_override is None else cost_override
    mask = (value >= lower) & (value < threshold)
    if classes is not None:
        mask &= _small(inputs, classes)[pos]
    if exclude is not None:
        mask &= ~exclude[pos]
    c_rate = max(float(consolidation_rate), 0.0)
    l_rate = max(float(loss_rate), 0.0)
    p_rate = max(float(pay_rate), 0.0)
    rest = max(1.0 - c_rate - l_rate, 0.0) if topup else 0.0
    m = mask.astype("float64")
    saved = (c_rate + l_rate) * m * cost
    lost_rev = l_rate * m * value
    lost_margin = l_rate * m * margin
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(value > 0, margin / value, 0.0)
    topup_rev = rest * m * np.clip(threshold - value, 0.0, None)
    topup_margin = topup_rev * pct
    extra = p_rate * m * float(surcharge)

    def agg(x: np.ndarray) -> np.ndarray:
        return np.bincount(pos, weights=x, minlength=n)

    customers, at_risk_n, at_risk = _customer_counts(inputs, mask, threshold)
    lost_customers = l_rate * at_risk
    deltas = _deltas(
        b.index,
        revenue=agg(topup_rev + extra - lost_rev),
        margin=agg(topup_margin + extra - lost_margin),
        order_cost=-agg(saved),
        customers_lost=lost_customers,
    )
    effect = ScenarioEffect(name, deltas, {})
    n_orders = len(value)
    n_with_orders = float((np.bincount(pos, minlength=n) > 0).sum())
    below = float(m.sum())
    effect.summary.update(
        threshold=float(threshold),
        orders=below,
        orders_share=below / n_orders if n_orders else float("nan"),
        customers=customers,
        customers_share=customers / n_with_orders if n_with_orders else float("nan"),
        customers_at_risk=at_risk_n,
        revenue_below=float((m * value).sum()),
        margin_below=float((m * margin).sum()),
        revenue_at_risk=float(lost_rev.sum()),
        margin_at_risk=float(lost_margin.sum()),
        cost_saved=float(saved.sum()),
        topup_revenue=float(topup_rev.sum()),
        topup_margin=float(topup_margin.sum()),
        surcharge_revenue=float(extra.sum()),
        orders_paying=float(p_rate * below),
        customers_lost=float(lost_customers.sum()),
        profit=effect.profit,
    )
    return effect


def delegated(inputs: ScenarioInputs, classes: Sequence[str], share: float) -> np.ndarray:
    """Bool per customer: delegated to a dealer (``share`` of ``classes``, lowest CM III first)."""
    cand = _small(inputs, classes)
    k = int(np.floor(float(share) * int(cand.sum()) + 0.5))
    order = np.argsort(np.where(cand, inputs.cm3_rank, np.iinfo(np.int64).max), kind="stable")
    chosen = np.zeros(len(inputs.base), dtype=bool)
    chosen[order[:k]] = True
    return chosen


def dealer_delegation(
    inputs: ScenarioInputs,
    classes: Sequence[str],
    share: float,
    discount: float,
    chosen: np.ndarray | None = None,
) -> ScenarioEffect:
    """Hand ``share`` of the customers of ``classes`` (lowest CM III first) to dealers.

    Delegated customers: CM I falls by ``discount`` × revenue (the dealer's margin),
    their activity cost (and hours) is saved, their orders cost the dealer rate.
    ``chosen``: ``delegated(inputs, classes, share)`` when already computed.

    Summary: ``customers`` (delegated), ``revenue`` (their revenue), ``margin_given_up``,
    ``cost_saved`` (activity + order cost), ``hours_freed``, ``profit``.

    >>> base = pd.DataFrame({"class": ["D", "D", "C"], "revenue": [1000.0, 500.0, 100.0],
    ...     "margin": [300.0, 150.0, 30.0], "activity_cost": [400.0, 50.0, 400.0],
    ...     "order_cost": [100.0, 20.0, 100.0], "orders": [4.0, 2.0, 4.0]}, index=list("xyz"))
    >>> e = dealer_delegation(build_inputs_from_frames(base, pd.DataFrame({"value": []}),
    ...     Rates(dealer_cost=10.0)), ["D"], 0.5, 0.2)
    >>> e.summary["customers"], e.summary["margin_given_up"], e.summary["cost_saved"], e.profit
    (1.0, 200.0, 460.0, 260.0)
    """
    b = inputs.base
    if chosen is None:
        chosen = delegated(inputs, classes, share)
    n_cand = int(_small(inputs, classes).sum())
    k = int(chosen.sum())
    d = chosen.astype("float64")
    revenue = b["revenue"].to_numpy()
    given_up = d * float(discount) * revenue
    act = d * b["activity_cost"].to_numpy()
    order_saved = d * (
        b["order_cost"].to_numpy() - b["orders"].to_numpy() * inputs.rates.dealer_cost
    )
    deltas = _deltas(
        b.index,
        revenue=-given_up,
        margin=-given_up,
        order_cost=-order_saved,
        activity_cost=-act,
        field_hours=-d * b["field_hours"].to_numpy(),
        inside_hours=-d * b["inside_hours"].to_numpy(),
    )
    effect = ScenarioEffect("dealer", deltas, {})
    effect.summary.update(
        customers=float(k),
        candidates=float(n_cand),
        revenue=float((d * revenue).sum()),
        margin_given_up=float(given_up.sum()),
        cost_saved=float(act.sum() + order_saved.sum()),
        hours_freed=float((d * (b["field_hours"] + b["inside_hours"]).to_numpy()).sum()),
        profit=effect.profit,
    )
    return effect


# --- combination ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResult:
    """All scenarios for one set of assumptions."""

    settings: ScenarioSettings
    threshold: float  # minimum order value used
    effects: dict[str, ScenarioEffect]

    @property
    def profit(self) -> float:
        """Total profit effect (currency per year)."""
        return float(sum(e.profit for e in self.effects.values()))

    def total_deltas(self) -> pd.DataFrame:
        """Sum of the per-customer deltas of all scenarios."""
        frames = list(self.effects.values())
        out = frames[0].deltas.copy()
        for e in frames[1:]:
            out += e.deltas.to_numpy()
        return out


def mov_threshold(inputs: ScenarioInputs, s: ScenarioSettings) -> float:
    """The minimum order value used: ``s.minimum_order_value`` or the recommended one."""
    if s.minimum_order_value is not None:
        return float(s.minimum_order_value)
    return inputs.recommended_mov(s.mov_markup)


def run_scenarios(inputs: ScenarioInputs, s: ScenarioSettings) -> ScenarioResult:
    """All four scenarios with the assumptions ``s`` (see the module docstring).

    Customers delegated to dealers are left out of the other scenarios (their visits
    and orders are gone), and the small-order scenarios use the processing cost after
    the order shift, so no saving is counted twice.
    """
    gaps = scenario_gaps(inputs.missing)
    mov = mov_threshold(inputs, s)
    if gaps["minimum_order_value"] and s.minimum_order_value is None:
        mov = float("nan")  # no break-even without margin
    # no threshold (break-even not available, no margin): the scenario affects no order
    lower = mov if not gaps["minimum_order_value"] and np.isfinite(mov) else 0.0
    dealer = (
        delegated(inputs, s.dealer_classes, s.dealer_share)
        if not gaps["dealer"]
        else np.zeros(len(inputs.base), dtype=bool)
    )
    cost = shifted_order_cost(inputs, s, dealer)
    effects = {
        "channel_shift": channel_shift(inputs, s, dealer),
        "minimum_order_value": minimum_order_value(
            inputs, lower, s.consolidation_rate, s.loss_rate, s.small_classes, dealer, cost
        ),
        "surcharge": small_order_surcharge(
            inputs,
            lower,
            s.surcharge_threshold,
            s.surcharge if s.surcharge > 0 else 0.0,
            s.acceptance_rate if s.surcharge > 0 else 0.0,
            s.surcharge_loss_rate if s.surcharge > 0 else 0.0,
            s.small_classes,
            dealer,
            cost,
        ),
        "dealer": dealer_delegation(
            inputs,
            s.dealer_classes,
            s.dealer_share,
            s.dealer_discount,
            chosen=dealer if not gaps["dealer"] else None,
        ),  # fmt: skip
    }
    if s.surcharge <= 0:  # no surcharge: no orders are affected
        e = effects["surcharge"]
        effects["surcharge"] = ScenarioEffect(
            "surcharge", e.deltas * 0.0, {**e.summary, "orders": 0.0, "customers": 0.0}
        )
    for name, need in gaps.items():
        if need:  # left out: no effect, no figures
            e = effects[name]
            summary = dict.fromkeys(e.summary, float("nan"))
            summary.update(profit=0.0, customers_lost=0.0)
            effects[name] = ScenarioEffect(name, e.deltas * 0.0, summary, missing=need)
    return ScenarioResult(settings=s, threshold=mov, effects=effects)


def _by_class(inputs: ScenarioInputs, values: np.ndarray) -> np.ndarray:
    return np.bincount(inputs.class_codes, weights=values, minlength=len(inputs.class_labels))


def before_after(
    inputs: ScenarioInputs, result: ScenarioResult, hours_per_fte: float | None = None
) -> pd.DataFrame:
    """Per class and in total: today vs. target picture.

    Returns:
        DataFrame indexed by class (A–D, then ``total``) with, for each of
        ``customers``, ``revenue``, ``margin`` (CM I), ``cost_to_serve``, ``profit``
        (CM III), ``fte`` (field + inside-sales hours / hours_per_fte), three columns
        ``<metric>_before``, ``<metric>_after``, ``<metric>_change``.

    >>> base = pd.DataFrame({"class": ["C", "A"], "revenue": [100.0, 900.0], "margin": [30.0, 300.0],
    ...     "activity_cost": [50.0, 60.0]}, index=["c", "a"])
    >>> inp = build_inputs_from_frames(base, pd.DataFrame({"value": []}), Rates())
    >>> ba = before_after(inp, run_scenarios(inp, ScenarioSettings(dealer_share=0)))
    >>> ba.loc["total", ["profit_before", "profit_after"]].tolist()
    [220.0, 220.0]
    """
    b = inputs.base
    hpf = float(hours_per_fte or result.settings.hours_per_fte)
    d = result.total_deltas()
    cts = b["order_cost"].to_numpy() + b["activity_cost"].to_numpy()
    hours = b["field_hours"].to_numpy() + b["inside_hours"].to_numpy()
    before = {
        "customers": np.ones(len(b)),
        "revenue": b["revenue"].to_numpy(),
        "margin": b["margin"].to_numpy(),
        "cost_to_serve": cts,
        "profit": b["margin"].to_numpy() - cts,
        "fte": hours / hpf,
    }
    d_cts = d["order_cost"].to_numpy() + d["activity_cost"].to_numpy()
    change = {
        "customers": -d["customers_lost"].to_numpy(),
        "revenue": d["revenue"].to_numpy(),
        "margin": d["margin"].to_numpy(),
        "cost_to_serve": d_cts,
        "profit": d["margin"].to_numpy() - d_cts,
        "fte": (d["field_hours"].to_numpy() + d["inside_hours"].to_numpy()) / hpf,
    }
    cols = {}
    for k in before:
        bef = _by_class(inputs, before[k])
        chg = _by_class(inputs, change[k])
        cols[f"{k}_before"] = bef
        cols[f"{k}_after"] = bef + chg
        cols[f"{k}_change"] = chg
    out = pd.DataFrame(cols, index=pd.Index(inputs.class_labels, name=C.CLASS))
    out.loc["total"] = out.sum()
    unknown = []  # figures the data cannot show: NaN instead of a misleading 0
    if not inputs.has("margin"):
        unknown += ["margin", "profit"]
    if not inputs.has("activities"):
        unknown += ["fte"]
    for k in unknown:
        out[[f"{k}_before", f"{k}_after", f"{k}_change"]] = np.nan
    return out


def effects_table(result: ScenarioResult) -> pd.DataFrame:
    """One row per scenario: revenue, CM I, order cost, activity cost, profit change,
    field / inside-sales hours and customers lost (expected), plus a ``total`` row."""
    rows = {}
    for name, e in result.effects.items():
        if not e.available:  # left out for missing data
            continue
        d = e.deltas.sum()
        rows[name] = {
            "revenue": d["revenue"],
            "margin": d["margin"],
            "order_cost": d["order_cost"],
            "activity_cost": d["activity_cost"],
            "profit": e.profit,
            "field_hours": d["field_hours"],
            "inside_hours": d["inside_hours"],
            "customers_lost": d["customers_lost"],
        }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(_EFFECT_COLUMNS))
    out.loc["total"] = out.sum()
    out.index.name = "scenario"
    return out


_EFFECT_COLUMNS = ("revenue", "margin", "order_cost", "activity_cost", "profit", "field_hours",
                   "inside_hours", "customers_lost")  # fmt: skip


def waterfall(inputs: ScenarioInputs, result: ScenarioResult) -> pd.DataFrame:
    """Profit bridge: ``today`` (CM III of the year), one step per scenario, ``target``.

    Returns:
        DataFrame with ``step`` (``today``, scenario names, ``target``), ``value``
        (level for today/target, change for the steps) and ``kind`` (``total`` or
        ``delta``). Scenarios left out for missing data have no step; without margin
        data today's CM III is unknown: the bridge starts at zero and ends in
        ``total`` (the sum of the effects).
    """
    b = inputs.base
    steps = [(name, e.profit) for name, e in result.effects.items() if e.available]
    if not inputs.has("margin"):
        rows = [(n, v, "delta") for n, v in steps]
        rows.append(("total", sum(v for _, v in steps), "total"))
        return pd.DataFrame(rows, columns=["step", "value", "kind"])
    today = float((b["margin"] - b["order_cost"] - b["activity_cost"]).sum())
    rows = [("today", today, "total"), *[(n, v, "delta") for n, v in steps]]
    rows.append(("target", today + sum(v for _, v in steps), "total"))
    return pd.DataFrame(rows, columns=["step", "value", "kind"])


def _variant(s: ScenarioSettings, name: str, value: float) -> ScenarioSettings:
    return s.model_copy(update={name: value})


def tornado(
    inputs: ScenarioInputs,
    s: ScenarioSettings,
    names: Sequence[str] | None = None,
    step: float = 0.25,
    base_result: ScenarioResult | None = None,
) -> pd.DataFrame:
    """Sensitivity of the total profit effect to each assumption.

    Each assumption is moved down and up: shares by ± ``step`` × 0.4 (absolute, i.e.
    ±10 points with the default, clipped to 0–1), money and numbers by ± ``step``
    (relative, ±25 %); the others stay at ``s``. ``base_result``:
    ``run_scenarios(inputs, s)`` when already computed (else it is run here).

    Returns:
        DataFrame indexed by assumption: ``low_value``, ``high_value`` (the assumption's
        values), ``low``, ``high`` (total profit effect), ``base`` (at ``s``) and
        ``swing`` (|high − low|), sorted by swing, largest first.
    """
    if base_result is None:
        base_result = run_scenarios(inputs, s)
    base = base_result.profit
    rows = []
    for name in names or list(SENSITIVE):
        if not base_result.effects[PARAM_SCENARIO[name]].available:
            continue  # scenario left out for missing data
        kind = SENSITIVE[name]
        value = getattr(s, name)
        if name == "minimum_order_value" and value is None:
            value = base_result.threshold
        value = float(value)
        if kind == "share":
            lo, hi = max(value - 0.4 * step, 0.0), min(value + 0.4 * step, 1.0)
        else:
            lo, hi = value * (1 - step), value * (1 + step)
        low = run_scenarios(inputs, _variant(s, name, lo)).profit
        high = run_scenarios(inputs, _variant(s, name, hi)).profit
        rows.append((name, lo, hi, low, high, base, abs(high - low)))
    out = pd.DataFrame(
        rows, columns=["assumption", "low_value", "high_value", "low", "high", "base", "swing"]
    ).astype({c: "float64" for c in ("low_value", "high_value", "low", "high", "base", "swing")})
    out = out.set_index("assumption")
    return out.sort_values("swing", ascending=False, kind="stable")
