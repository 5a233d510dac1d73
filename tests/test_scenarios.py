"""Scenario engine on hand-checked data: which orders and customers are affected, what is saved."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core.config import ScenarioSettings
from kk_helpers.stages.target import scenarios as S

VALUES = [20.0, 40.0, 60.0, 80.0, 99.0, 100.0, 150.0, 200.0, 500.0, 1000.0]


def _ten_orders(customers: list[str] | None = None) -> S.ScenarioInputs:
    """10 orders, processing cost 10 each, margin 25 %."""
    cust = customers or ["a", "a", "b", "b", "b", "c", "c", "c", "d", "d"]
    base = pd.DataFrame({"class": ["C", "C", "D", "A"]}, index=["a", "b", "c", "d"])
    orders = pd.DataFrame(
        {"customer_id": cust, "value": VALUES, "margin": [v / 4 for v in VALUES], "cost": 10.0}
    )
    return S.build_inputs_from_frames(base, orders, S.Rates())


def test_minimum_order_value_ten_orders_threshold_100():
    inp = _ten_orders()
    e = S.minimum_order_value(inp, 100.0, consolidation_rate=0.6, loss_rate=0.2)
    s = e.summary
    # exactly the orders 20, 40, 60, 80, 99 are below 100 (100 itself is not)
    assert s["orders"] == 5 and s["orders_share"] == pytest.approx(0.5)
    assert s["revenue_below"] == pytest.approx(299.0)
    # customers a (20, 40) and b (60, 80, 99) are affected; only they have all orders below
    assert s["customers"] == 2 and s["customers_at_risk"] == 2
    assert s["customers_share"] == pytest.approx(0.5)
    # 80 % of the 5 orders disappear (consolidated or lost): 4 × 10 = 40 saved
    assert s["cost_saved"] == pytest.approx(40.0)
    assert s["revenue_at_risk"] == pytest.approx(0.2 * 299.0)
    assert s["margin_at_risk"] == pytest.approx(0.2 * 299.0 / 4)
    # the rest (20 %) is topped up to 100: 0.2 × (80 + 60 + 40 + 20 + 1) at 25 %
    assert s["topup_revenue"] == pytest.approx(0.2 * 201.0)
    assert e.profit == pytest.approx(40.0 - 14.95 + 0.2 * 201.0 / 4)
    d = e.deltas
    assert d.loc["c"].abs().sum() == 0 and d.loc["d"].abs().sum() == 0
    assert d.loc["a", "order_cost"] == pytest.approx(-16.0)  # 2 orders × 0.8 × 10
    assert d.loc["b", "customers_lost"] == pytest.approx(0.2)


def test_minimum_order_value_only_for_the_given_classes_and_input_unchanged():
    inp = _ten_orders()
    before = inp.orders.copy()
    e = S.minimum_order_value(
        inp, 100.0, consolidation_rate=0.6, loss_rate=0.2, classes=["D"]
    )  # customer c only
    assert e.summary["orders"] == 0
    e = S.minimum_order_value(inp, 160.0, consolidation_rate=0.6, loss_rate=0.2, classes=["D"])
    assert e.summary["orders"] == 2  # c's 100 and 150
    pd.testing.assert_frame_equal(inp.orders, before)


def test_surcharge_band_above_the_minimum():
    inp = _ten_orders()
    e = S.small_order_surcharge(
        inp, 100.0, 250.0, surcharge=5.0, acceptance_rate=0.8, loss_rate=0.1
    )
    s = e.summary
    assert s["orders"] == 3  # 100, 150, 200
    assert s["surcharge_revenue"] == pytest.approx(3 * 0.8 * 5.0)
    # docs/method.md, section 11: S·n_pay + c·n_cons − CM II·n_lost
    cm2_lost = 0.1 * sum(v / 4 - 10 for v in (100, 150, 200))
    assert e.profit == pytest.approx(12.0 + 10 * 0.1 * 3 - cm2_lost)
    assert s["customers"] == 1  # only c has orders in the band
    assert s["customers_at_risk"] == 1  # c: all orders below 250


def test_channel_shift_hours_fte_and_cost():
    base = pd.DataFrame(
        {"class": ["C", "A"], "visits": [10.0, 10.0], "visit_hours": [20.0, 20.0],
         "visit_cost": [1000.0, 1000.0], "margin": [500.0, 900.0], "revenue": [2000.0, 3000.0]},
        index=["c", "a"],
    )  # fmt: skip
    orders = pd.DataFrame(
        {"customer_id": ["c", "c", "a"], "value": [50.0] * 3, "cost": [40.0, 6.0, 40.0],
         "personal": [True, False, True]}
    )  # fmt: skip
    inp = S.build_inputs_from_frames(
        base, orders, S.Rates(call_minutes=6, call_cost=5, webshop_cost=6)
    )
    s = ScenarioSettings(shift_to_inside=0.5, shift_to_digital=0.3, calls_per_visit=2,
                         order_shift_digital=0.5, shift_churn=0.1, hours_per_fte=16)  # fmt: skip
    e = S.channel_shift(inp, s)
    m = e.summary
    assert m["customers"] == 1 and m["visits_moved"] == pytest.approx(8.0)
    assert m["field_hours_freed"] == pytest.approx(16.0) and m["fte_freed"] == pytest.approx(1.0)
    assert m["inside_hours_added"] == pytest.approx(10 * 0.5 * 2 * 6 / 60)
    assert m["visit_cost_saved"] == pytest.approx(800.0) and m["call_cost_added"] == pytest.approx(
        50.0
    )
    assert m["order_cost_saved"] == pytest.approx(0.5 * 34.0)  # only c's personal order
    assert m["margin_lost"] == pytest.approx(0.1 * 0.8 * 500.0)
    assert e.deltas.loc["a"].abs().sum() == 0  # A customers keep their care
    assert e.profit == pytest.approx(800 - 50 + 17 - 40)


def test_dealer_delegation_lowest_cm3_first():
    base = pd.DataFrame(
        {"class": ["D", "D", "D", "C"], "revenue": [1000.0, 500.0, 800.0, 100.0],
         "margin": [300.0, 150.0, 240.0, 30.0], "activity_cost": [400.0, 50.0, 300.0, 400.0],
         "order_cost": [100.0, 20.0, 50.0, 100.0], "orders": [4.0, 2.0, 2.0, 4.0],
         "field_hours": [4.0, 0.5, 3.0, 4.0]},
        index=list("xyzw"),
    )  # fmt: skip
    inp = S.build_inputs_from_frames(base, pd.DataFrame({"value": []}), S.Rates(dealer_cost=10.0))
    assert S.delegated(inp, ["D"], 2 / 3).tolist() == [
        True,
        False,
        True,
        False,
    ]  # x, z lowest CM III
    e = S.dealer_delegation(inp, ["D"], 2 / 3, discount=0.2)
    assert e.summary["customers"] == 2 and e.summary["candidates"] == 3
    assert e.summary["margin_given_up"] == pytest.approx(0.2 * 1800)
    assert e.summary["cost_saved"] == pytest.approx(700 + (150 - 60))
    assert e.profit == pytest.approx(790 - 360)
    assert e.summary["hours_freed"] == pytest.approx(7.0)


def test_combination_before_after_per_class_and_no_double_counting():
    base = pd.DataFrame(
        {"class": ["A", "C", "D"], "revenue": [10000.0, 1000.0, 300.0], "margin": [3000.0, 300.0, 90.0],
         "activity_cost": [500.0, 400.0, 300.0], "order_cost": [50.0, 60.0, 40.0],
         "orders": [5.0, 6.0, 4.0], "visits": [4.0, 2.0, 2.0], "visit_hours": [8.0, 4.0, 4.0],
         "visit_cost": [400.0, 300.0, 300.0], "field_hours": [8.0, 4.0, 4.0]},
        index=["a", "c", "d"],
    )  # fmt: skip
    orders = pd.DataFrame(
        {"customer_id": ["a"] * 5 + ["c"] * 6 + ["d"] * 4, "value": [2000.0] * 5 + [50.0] * 6 + [75.0] * 4,
         "cost": 10.0, "personal": True}
    )  # fmt: skip
    inp = S.build_inputs_from_frames(base, orders, S.Rates(dealer_cost=5.0, webshop_cost=2.0))
    s = ScenarioSettings(minimum_order_value=100, dealer_share=1.0, shift_churn=0.0)
    r = S.run_scenarios(inp, s)
    # d is delegated: no channel shift and no small-order effect on d
    for name in ("channel_shift", "minimum_order_value", "surcharge"):
        assert r.effects[name].deltas.loc["d"].abs().sum() == 0, name
    ba = S.before_after(inp, r)
    assert list(ba.index) == ["A", "C", "D", "total"]
    assert ba.loc["A", "profit_change"] == 0
    assert ba.loc["total", "profit_change"] == pytest.approx(r.profit)
    assert ba.loc["total", "profit_before"] == pytest.approx(3390 - 1350)
    assert (ba["cost_to_serve_after"] >= -1e-9).all()
    # d's whole activity cost is saved once, not twice
    assert ba.loc["D", "cost_to_serve_after"] == pytest.approx(4 * 5.0)
    # the MOV saving uses the cost after the order shift (30 % to the webshop at 2)
    mov = r.effects["minimum_order_value"].summary
    assert mov["cost_saved"] == pytest.approx(0.7 * 6 * (10 - 0.3 * 8))
    wf = S.waterfall(inp, r)
    assert wf["step"].tolist() == ["today", *S.SCENARIOS, "target"]
    assert wf["value"].iloc[-1] == pytest.approx(wf["value"].iloc[0] + r.profit)
    eff = S.effects_table(r)
    assert eff.loc["total", "profit"] == pytest.approx(r.profit)


def test_no_surcharge_means_no_effect_and_recommended_mov():
    inp = _ten_orders()
    r = S.run_scenarios(inp, ScenarioSettings(surcharge=0.0, small_classes=["A", "C", "D"]))
    assert r.effects["surcharge"].profit == 0
    # break-even = 10 / 0.25 = 40; +25 % = 50
    assert inp.break_even == pytest.approx(40.0)
    assert r.threshold == pytest.approx(50.0)
    assert r.effects["minimum_order_value"].summary["orders"] == 2  # 20 and 40


def test_tornado_sensitivities():
    inp = _ten_orders()
    s = ScenarioSettings(minimum_order_value=100, small_classes=["A", "C", "D"], surcharge=5)
    tor = S.tornado(inp, s, names=["loss_rate", "surcharge", "dealer_discount"])
    assert list(tor.columns) == ["low_value", "high_value", "low", "high", "base", "swing"]
    assert tor["swing"].is_monotonic_decreasing
    base = S.run_scenarios(inp, s).profit
    assert tor["base"].tolist() == pytest.approx([base] * 3)
    # loss rate 0.1 ± 0.1: more losses -> less profit
    assert tor.loc["loss_rate", ["low_value", "high_value"]].tolist() == pytest.approx([0.0, 0.2])
    assert tor.loc["loss_rate", "high"] < tor.loc["loss_rate", "low"]
    # surcharge ±25 %: 3 orders in [100, 250) × 0.8 paying × 1.25 each
    assert tor.loc["surcharge", "swing"] == pytest.approx(3 * 0.8 * 2.5)
    # no dealer customers among A/C/D? d is class A, c is D: delegation share 0.3 of 1 = 0
    assert tor.loc["dealer_discount", "swing"] == 0


def test_vectorised_on_many_customers_gives_same_totals_as_parts():
    rng = np.random.default_rng(1)
    n = 2000
    base = pd.DataFrame(
        {"class": rng.choice(list("ABCD"), n), "revenue": rng.uniform(0, 1e4, n),
         "margin": rng.uniform(0, 3e3, n), "visits": rng.integers(0, 5, n).astype(float)},
        index=[f"k{i}" for i in range(n)],
    )  # fmt: skip
    base["visit_hours"] = base["visits"] * 2
    base["visit_cost"] = base["visits"] * 200
    orders = pd.DataFrame(
        {"pos": rng.integers(0, n, 20000), "value": rng.lognormal(5, 1, 20000), "cost": 20.0,
         "personal": rng.random(20000) < 0.5}
    )  # fmt: skip
    inp = S.build_inputs_from_frames(base, orders, S.Rates())
    r = S.run_scenarios(inp, ScenarioSettings())
    total = S.effects_table(r).loc["total"]
    assert total["profit"] == pytest.approx(sum(e.profit for e in r.effects.values()))
    assert np.isfinite(S.before_after(inp, r).to_numpy()).all()


# --- missing optional data (client exports with only the required columns) ---------------


def _no_margin_inputs(missing=("margin", "activities", "channel")) -> S.ScenarioInputs:
    base = pd.DataFrame({"class": ["C", "D", "A"], "revenue": [300.0, 100.0, 5000.0]},
                        index=["c", "d", "a"])  # fmt: skip
    orders = pd.DataFrame({"customer_id": ["c", "c", "d", "a"], "value": [50.0, 250.0, 100.0,
                           5000.0], "cost": 0.0})  # fmt: skip
    return S.build_inputs_from_frames(base, orders, S.Rates(), missing=missing)


def test_data_missing_detects_absent_optional_columns():
    tx = pd.DataFrame({"customer_id": ["a"], "revenue": [1.0], "margin": [np.nan]})
    assert S.data_missing(tx, None) == {"margin", "activities", "channel"}
    tx = pd.DataFrame({"customer_id": ["a"], "revenue": [1.0], "margin": [0.2],
                       "channel": ["webshop"]})  # fmt: skip
    act = pd.DataFrame({"customer_id": ["a"], "type": ["visit"]})
    assert S.data_missing(tx, act) == frozenset()


def test_scenarios_needing_margin_are_left_out_not_zero_filled():
    inp = _no_margin_inputs()
    s = ScenarioSettings(surcharge=5.0, surcharge_threshold=200.0, acceptance_rate=1.0,
                         surcharge_loss_rate=0.0)  # fmt: skip
    res = S.run_scenarios(inp, s)
    left_out = {n: e.missing for n, e in res.effects.items() if not e.available}
    assert left_out == {"channel_shift": ("activities", "channel"),
                        "minimum_order_value": ("margin",), "dealer": ("margin",)}  # fmt: skip
    assert np.isnan(res.threshold)  # no break-even without margin
    assert np.isnan(res.effects["minimum_order_value"].summary["orders"])
    # the surcharge is computed: orders below 200 (no minimum order value below it)
    sur = res.effects["surcharge"]
    assert sur.available and sur.summary["orders"] == 2 and res.profit == pytest.approx(10.0)
    assert S.scenario_caveats(inp.missing)["surcharge"] == ("margin",)
    eff = S.effects_table(res)
    assert list(eff.index) == ["surcharge", "total"]
    wf = S.waterfall(inp, res)
    assert wf["step"].tolist() == ["surcharge", "total"]  # no "today" without margin
    ba = S.before_after(inp, res)
    assert ba[["profit_before", "margin_after", "fte_before"]].isna().all().all()
    assert ba.loc["total", "revenue_before"] == pytest.approx(5400.0)
    tor = S.tornado(inp, s)
    assert set(tor.index) <= {"surcharge", "surcharge_threshold", "acceptance_rate",
                              "surcharge_loss_rate"}  # fmt: skip


def test_channel_shift_with_channel_but_without_activities_moves_orders_only():
    base = pd.DataFrame({"class": ["C"], "margin": [100.0]}, index=["c"])
    orders = pd.DataFrame({"customer_id": ["c"], "value": [80.0], "margin": [20.0],
                           "cost": [30.0], "personal": [True]})  # fmt: skip
    inp = S.build_inputs_from_frames(base, orders, S.Rates(webshop_cost=5.0),
                                     missing=("activities",))  # fmt: skip
    res = S.run_scenarios(inp, ScenarioSettings(order_shift_digital=1.0, dealer_share=0.0))
    ch = res.effects["channel_shift"]
    assert ch.available and ch.summary["order_cost_saved"] == pytest.approx(25.0)
    assert S.scenario_caveats(inp.missing)["channel_shift"] == ("activities",)
