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
  (docs/method.md, section 11; CM II of an order = CM I − its processing cost).
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
over the customers: the small-order scenarios read the orders as per-customer running
sums (:mod:`kk_helpers.stages.target.order_sums`), so a run costs the same for 100,000 or
10 million orders and equals summing them one by one (100,000 customers, 2 million orders:
see ``benchmarks/bench_scenarios.py``).

**Missing data** (:attr:`ScenarioInputs.missing`, :data:`DATA_KINDS`): a client export
may hold no margin, no sales channel or no activities. A scenario that cannot be
computed without them (:func:`scenario_gaps`) is left out: its deltas are zero, its
summary figures NaN and :attr:`ScenarioEffect.missing` names the data it needs. Parts
of a scenario that lack data count as zero and are named by :func:`scenario_caveats`
(e.g. the surcharge without margin: lost orders are not valued).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ScenarioSettings
from kk_helpers.stages.target.scenario_effects import (
    ScenarioEffect,
    _small_orders,
    channel_shift,
    dealer_delegation,
    delegated,
    minimum_order_value,
    order_shift,
    small_order_surcharge,
)
from kk_helpers.stages.target.scenario_inputs import (
    BASE_COLUMNS,
    DATA_KINDS,
    DEFAULT_CALL_MINUTES,
    DEFAULT_HOURLY_RATE,
    DEFAULT_VISIT_MINUTES,
    DELTA_COLUMNS,
    FIELD_TYPES,
    PARAM_SCENARIO,
    PERSONAL_CHANNELS,
    SCENARIOS,
    SENSITIVE,
    Rates,
    ScenarioInputs,
    build_inputs,
    build_inputs_from_frames,
    data_missing,
    rates_from_config,
    scenario_caveats,
    scenario_gaps,
)

#: the scenario API in one place: ``from kk_helpers.stages.target import scenarios as S``
__all__ = [
    "BASE_COLUMNS", "DATA_KINDS", "DEFAULT_CALL_MINUTES", "DEFAULT_HOURLY_RATE",
    "DEFAULT_VISIT_MINUTES", "DELTA_COLUMNS", "FIELD_TYPES", "PARAM_SCENARIO",
    "PERSONAL_CHANNELS", "SCENARIOS", "SENSITIVE", "Rates", "ScenarioEffect", "ScenarioInputs",
    "ScenarioResult", "_small_orders", "before_after", "build_inputs", "build_inputs_from_frames",
    "channel_shift", "data_missing", "dealer_delegation", "delegated", "effects_table",
    "minimum_order_value", "mov_threshold", "order_shift", "rates_from_config", "run_scenarios",
    "scenario_caveats", "scenario_gaps", "small_order_surcharge",
    "tornado", "waterfall",
]  # fmt: skip


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

    def total_values(self) -> np.ndarray:
        """Sum of the per-customer deltas of all scenarios (customers × DELTA_COLUMNS)."""
        effects = list(self.effects.values())
        out = effects[0].values.copy(order="F")
        for e in effects[1:]:
            out += e.values
        return out

    def total_deltas(self) -> pd.DataFrame:
        """Sum of the per-customer deltas of all scenarios."""
        first = next(iter(self.effects.values()))
        return pd.DataFrame(self.total_values(), index=first.index, columns=list(DELTA_COLUMNS))


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
    shift = order_shift(inputs, s, dealer)
    effects = {
        "channel_shift": channel_shift(inputs, s, dealer),
        "minimum_order_value": minimum_order_value(
            inputs,
            lower,
            consolidation_rate=s.consolidation_rate,
            loss_rate=s.loss_rate,
            classes=s.small_classes,
            exclude=dealer,
            shift=shift,
        ),
        "surcharge": small_order_surcharge(
            inputs,
            lower,
            s.surcharge_threshold,
            surcharge=s.surcharge if s.surcharge > 0 else 0.0,
            acceptance_rate=s.acceptance_rate if s.surcharge > 0 else 0.0,
            loss_rate=s.surcharge_loss_rate if s.surcharge > 0 else 0.0,
            classes=s.small_classes,
            exclude=dealer,
            shift=shift,
        ),
        "dealer": dealer_delegation(
            inputs,
            s.dealer_classes,
            s.dealer_share,
            discount=s.dealer_discount,
            chosen=dealer if not gaps["dealer"] else None,
        ),  # fmt: skip
    }
    if s.surcharge <= 0:  # no surcharge: no orders are affected
        e = effects["surcharge"]
        effects["surcharge"] = ScenarioEffect(
            "surcharge", _zero(e), e.index, {**e.summary, "orders": 0.0, "customers": 0.0}
        )
    for name, need in gaps.items():
        if need:  # left out: no effect, no figures
            e = effects[name]
            summary = dict.fromkeys(e.summary, float("nan"))
            summary.update(profit=0.0, customers_lost=0.0)
            effects[name] = ScenarioEffect(name, _zero(e), e.index, summary, missing=need)
    return ScenarioResult(settings=s, threshold=mov, effects=effects)


def _zero(e: ScenarioEffect) -> dict[str, np.ndarray | float]:
    """The effect's columns times 0 (a scenario left out or without surcharge)."""
    return {c: np.asarray(v) * 0.0 for c, v in e.columns.items()}


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
    total = result.total_values()
    d = {c: total[:, j] for j, c in enumerate(DELTA_COLUMNS)}
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
    d_cts = d["order_cost"] + d["activity_cost"]
    change = {
        "customers": -d["customers_lost"],
        "revenue": d["revenue"],
        "margin": d["margin"],
        "cost_to_serve": d_cts,
        "profit": d["margin"] - d_cts,
        "fte": (d["field_hours"] + d["inside_hours"]) / hpf,
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
        d = e.totals
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
    *,
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
