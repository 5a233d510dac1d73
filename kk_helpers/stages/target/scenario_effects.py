"""The four scenarios of the target picture (per-customer deltas + a summary each):
channel shift, minimum order value, small-order surcharge, dealer delegation.

See :mod:`kk_helpers.stages.target.scenarios` for the assumptions and how they combine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from kk_helpers.core.config import ScenarioSettings
from kk_helpers.stages.target.order_sums import OrderSums
from kk_helpers.stages.target.scenario_inputs import (
    DELTA_COLUMNS,
    ScenarioInputs,
)


@dataclass(frozen=True)
class ScenarioEffect:
    """One scenario's result.

    ``columns``: per customer (rows = base rows, ``index`` = base index) the change of
    each of :data:`DELTA_COLUMNS` (currency / hours / expected customers lost; cost
    decreases are negative): an array per customer, or one number for every customer
    (absent: 0). :attr:`values` (customers × columns) and :attr:`deltas` (DataFrame)
    are made from them on first use; :attr:`totals` and :attr:`profit` need neither
    (the tornado's runs read only the profit). ``summary``: scenario-specific figures
    (see each function).
    """

    name: str
    columns: Mapping[str, np.ndarray | float]
    index: pd.Index
    summary: dict[str, float]
    missing: tuple[str, ...] = ()  # data without which the scenario was left out

    @property
    def available(self) -> bool:
        """False when the scenario could not be computed (see :func:`scenario_gaps`)."""
        return not self.missing

    @cached_property
    def values(self) -> np.ndarray:
        """Customers × :data:`DELTA_COLUMNS` (column-major, float64)."""
        out = np.empty((len(self.index), len(DELTA_COLUMNS)), dtype="float64", order="F")
        for j, c in enumerate(DELTA_COLUMNS):
            out[:, j] = self.columns.get(c, 0.0)
        return out

    @cached_property
    def deltas(self) -> pd.DataFrame:
        """The per-customer changes as a DataFrame (index = base index, :data:`DELTA_COLUMNS`)."""
        return pd.DataFrame(self.values, index=self.index, columns=list(DELTA_COLUMNS))

    @cached_property
    def totals(self) -> dict[str, float]:
        """Sum over the customers of each of :data:`DELTA_COLUMNS`."""
        n = len(self.index)
        out = {}
        for c in DELTA_COLUMNS:
            v = self.columns.get(c, 0.0)
            out[c] = float(np.sum(v)) if np.ndim(v) else float(v) * n
        return out

    @property
    def profit(self) -> float:
        """Profit effect (CM III): Δmargin − Δorder cost − Δactivity cost."""
        t = self.totals
        return float(t["margin"] - t["order_cost"] - t["activity_cost"])


def _deltas(index: pd.Index, **cols: np.ndarray | float) -> dict[str, np.ndarray | float]:
    """The per-customer changes of :class:`ScenarioEffect` (``columns``)."""
    unknown = set(cols) - set(DELTA_COLUMNS)
    if unknown:
        raise ValueError(f"not a delta column: {sorted(unknown)}")
    return cols


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

    >>> from kk_helpers.stages.target.scenario_inputs import Rates, build_inputs_from_frames
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
    small, shift = _order_shift(inputs, s, exclude)
    f_in, f_dig = float(s.shift_to_inside), float(s.shift_to_digital)
    moved = (f_in + f_dig) * small
    visits = b["visits"].to_numpy()
    calls_added = f_in * small * visits * float(s.calls_per_visit)
    d_field = -moved * b["visit_hours"].to_numpy()
    d_inside = calls_added * inputs.rates.call_minutes / 60.0
    visit_saved = moved * b["visit_cost"].to_numpy()
    call_added = calls_added * inputs.rates.call_cost
    totals = _sums(inputs).total
    order_saved = shift * totals["saving"]
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
    effect = ScenarioEffect("channel_shift", deltas, b.index, {})
    freed = float(-d_field.sum())
    effect.summary.update(
        customers=float((small & (visits > 0)).sum()),
        visits_moved=float((moved * visits).sum()),
        field_hours_freed=freed,
        inside_hours_added=float(d_inside.sum()),
        fte_freed=freed / float(s.hours_per_fte),
        orders_moved=float((shift * totals["personal"]).sum()),
        order_cost_saved=float(order_saved.sum()),
        visit_cost_saved=float(visit_saved.sum()),
        call_cost_added=float(call_added.sum()),
        margin_lost=float(-d_margin.sum()),
        customers_lost=float(churn.sum()),
        profit=effect.profit,
    )
    return effect


def _sums(inputs: ScenarioInputs) -> OrderSums:
    if inputs.sums is None:  # inputs made by hand without build_inputs_from_frames
        raise ValueError("ScenarioInputs without order sums: use build_inputs_from_frames")
    return inputs.sums


def _order_shift(
    inputs: ScenarioInputs, s: ScenarioSettings, exclude: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The order shift to the webshop: small customers (bool per base row, without
    ``exclude``) and per customer the share of its field/inside-sales orders moved
    (``order_shift_digital`` for the small customers, else 0)."""
    small = _small(inputs, s.small_classes)
    if exclude is not None:
        small = small & ~exclude
    return small, float(s.order_shift_digital) * small


def order_shift(
    inputs: ScenarioInputs, s: ScenarioSettings, exclude: np.ndarray | None = None
) -> np.ndarray:
    """Per customer (base row) the share of its field/inside-sales orders that
    :func:`channel_shift` moves to the webshop. Given as ``shift`` to the small-order
    scenarios, each such order's processing cost counts as its expected value after the
    shift: own cost − share × (own cost − webshop rate, at least 0)."""
    return _order_shift(inputs, s, exclude)[1]


def minimum_order_value(
    inputs: ScenarioInputs,
    threshold: float,
    *,
    consolidation_rate: float,
    loss_rate: float,
    classes: Sequence[str] | None = None,
    exclude: np.ndarray | None = None,
    shift: np.ndarray | None = None,
) -> ScenarioEffect:
    """Minimum order value T on the orders of ``classes`` (None: all customers).

    Of the orders with value < T: ``consolidation_rate`` combined (processing cost
    saved), ``loss_rate`` lost (revenue and CM I lost, processing cost saved), the rest
    topped up to T (extra revenue T − value at the order's CM I %). ``exclude``:
    customers left out (bool per base row); ``shift``: per customer the share of its
    field/inside-sales orders moved to the webshop (:func:`order_shift`), whose
    processing cost then counts at the webshop rate.

    Summary: ``threshold``, ``orders`` (below T), ``orders_share`` (of all orders of
    the year), ``customers`` (with ≥ 1 order below T), ``customers_share`` (of
    customers with orders), ``customers_at_risk`` (all their orders below T),
    ``revenue_below``, ``margin_below``, ``revenue_at_risk`` (= loss_rate × revenue
    below), ``margin_at_risk``, ``cost_saved`` (processing), ``topup_revenue``,
    ``topup_margin``, ``profit``.

    >>> from kk_helpers.stages.target.scenario_inputs import Rates, build_inputs_from_frames
    >>> base = pd.DataFrame({"class": ["C"]}, index=["c"])
    >>> v = [20.0, 40, 60, 80, 99, 100, 150, 200, 500, 1000]
    >>> o = pd.DataFrame({"customer_id": ["c"] * 10, "value": v, "margin": [x / 4 for x in v],
    ...                   "cost": [10.0] * 10})
    >>> e = minimum_order_value(build_inputs_from_frames(base, o, Rates()), 100,
    ...                         consolidation_rate=0.6, loss_rate=0.2)
    >>> e.summary["orders"], e.summary["cost_saved"], round(e.summary["margin_at_risk"], 2)
    (5.0, 40.0, 14.95)
    """
    return _small_orders(
        "minimum_order_value", inputs, 0.0, threshold, 0.0, 0.0, consolidation_rate, loss_rate,
        classes, True, exclude, shift,
    )  # fmt: skip


def small_order_surcharge(
    inputs: ScenarioInputs,
    lower: float,
    threshold: float,
    *,
    surcharge: float,
    acceptance_rate: float,
    loss_rate: float,
    classes: Sequence[str] | None = None,
    exclude: np.ndarray | None = None,
    shift: np.ndarray | None = None,
) -> ScenarioEffect:
    """Small-order surcharge S on orders with lower ≤ value < threshold.

    ``acceptance_rate`` of them pay S (extra revenue and margin), ``loss_rate`` are
    lost (CM I lost, processing cost saved), the rest is consolidated (processing cost
    saved). ``lower`` is the minimum order value (orders below it are handled there);
    ``exclude`` and ``shift`` as for :func:`minimum_order_value`.

    Summary as :func:`minimum_order_value` plus ``surcharge_revenue`` and
    ``orders_paying``.

    >>> from kk_helpers.stages.target.scenario_inputs import Rates, build_inputs_from_frames
    >>> base = pd.DataFrame({"class": ["C"]}, index=["c"])
    >>> o = pd.DataFrame({"customer_id": ["c"] * 4, "value": [50.0, 120, 180, 400],
    ...                   "margin": [10.0, 30, 45, 100], "cost": [10.0] * 4})
    >>> e = small_order_surcharge(build_inputs_from_frames(base, o, Rates()), 100, 250,
    ...                           surcharge=5, acceptance_rate=0.8, loss_rate=0.1)
    >>> e.summary["orders"], e.summary["surcharge_revenue"], round(e.profit, 2)
    (2.0, 8.0, 4.5)
    """
    return _small_orders(
        "surcharge", inputs, lower, threshold, surcharge, acceptance_rate,
        1.0 - acceptance_rate - loss_rate, loss_rate, classes, False, exclude, shift,
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
    shift: np.ndarray | None = None,
) -> ScenarioEffect:
    """The orders with ``lower ≤ value < threshold`` of the chosen customers, summed per
    customer from :class:`~kk_helpers.stages.target.order_sums.OrderSums` (O(customers)):
    consolidated and lost orders save their processing cost, lost ones lose value and
    CM I, topped-up ones add (threshold − value) at the order's CM I %, paying ones add
    the surcharge."""
    b = inputs.base
    n = len(b)
    sums = _sums(inputs)
    chosen = np.ones(n, dtype=bool)
    if classes is not None:
        chosen &= _small(inputs, classes)
    if exclude is not None:
        chosen &= ~exclude
    t = float(threshold)
    w = sums.window(
        lower, t, chosen, names=("value", "margin", "cost", "pct"),
        shift=None if shift is None else (shift, "cost", "saving"),
    )  # fmt: skip
    m = w["count"]  # orders per customer
    value, margin, cost, pct = w["value"], w["margin"], w["cost"], w["pct"]
    hit = m > 0
    c_rate = max(float(consolidation_rate), 0.0)
    l_rate = max(float(loss_rate), 0.0)
    p_rate = max(float(pay_rate), 0.0)
    rest = max(1.0 - c_rate - l_rate, 0.0) if topup else 0.0
    saved = (c_rate + l_rate) * cost
    lost_rev = l_rate * value
    lost_margin = l_rate * margin
    with np.errstate(invalid="ignore"):  # threshold ∞ and no order: no top-up
        topup_rev = np.where(hit, rest * (t * m - value), 0.0)
        topup_margin = np.where(hit, rest * (t * pct - margin), 0.0)
    extra = p_rate * m * float(surcharge)
    at_risk = hit & (inputs.all_small_below < t)  # every order of the customer is below
    lost_customers = l_rate * at_risk
    deltas = _deltas(
        b.index,
        revenue=topup_rev + extra - lost_rev,
        margin=topup_margin + extra - lost_margin,
        order_cost=-saved,
        customers_lost=lost_customers,
    )
    effect = ScenarioEffect(name, deltas, b.index, {})
    n_orders = len(inputs.orders)
    n_with_orders = float((sums.end > sums.start).sum())
    below = float(m.sum())
    customers = float(hit.sum())
    effect.summary.update(
        threshold=t,
        orders=below,
        orders_share=below / n_orders if n_orders else float("nan"),
        customers=customers,
        customers_share=customers / n_with_orders if n_with_orders else float("nan"),
        customers_at_risk=float(at_risk.sum()),
        revenue_below=float(value.sum()),
        margin_below=float(margin.sum()),
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
    order = inputs.cm3_order  # customers by CM III, lowest first (ranks are unique)
    if len(order) != len(cand):
        order = np.argsort(inputs.cm3_rank, kind="stable")
    chosen = np.zeros(len(inputs.base), dtype=bool)
    chosen[order[cand[order]][:k]] = True
    return chosen


def dealer_delegation(
    inputs: ScenarioInputs,
    classes: Sequence[str],
    share: float,
    *,
    discount: float,
    chosen: np.ndarray | None = None,
) -> ScenarioEffect:
    """Hand ``share`` of the customers of ``classes`` (lowest CM III first) to dealers.

    Delegated customers: CM I falls by ``discount`` × revenue (the dealer's margin),
    their activity cost (and hours) is saved, their orders cost the dealer rate.
    ``chosen``: ``delegated(inputs, classes, share)`` when already computed.

    Summary: ``customers`` (delegated), ``revenue`` (their revenue), ``margin_given_up``,
    ``cost_saved`` (activity + order cost), ``hours_freed``, ``profit``.

    >>> from kk_helpers.stages.target.scenario_inputs import Rates, build_inputs_from_frames
    >>> base = pd.DataFrame({"class": ["D", "D", "C"], "revenue": [1000.0, 500.0, 100.0],
    ...     "margin": [300.0, 150.0, 30.0], "activity_cost": [400.0, 50.0, 400.0],
    ...     "order_cost": [100.0, 20.0, 100.0], "orders": [4.0, 2.0, 4.0]}, index=list("xyz"))
    >>> e = dealer_delegation(build_inputs_from_frames(base, pd.DataFrame({"value": []}),
    ...     Rates(dealer_cost=10.0)), ["D"], 0.5, discount=0.2)
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
    effect = ScenarioEffect("dealer", deltas, b.index, {})
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
