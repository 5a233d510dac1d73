"""The small-order scenarios on per-customer running sums (OrderSums) equal summing the
orders one by one: by hand on a few orders, and against the order-by-order computation
(the engine before the running sums, kept here as the reference) on the sample client for
thresholds on and off the slider grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core.config import ScenarioSettings
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.target import analysis as TP
from kk_helpers.stages.target import scenarios as S
from kk_helpers.stages.target.order_sums import OrderSums

CENT = 0.005


def test_order_sums_by_hand():
    # customer 0: 20, 50, 100, 100, 150; customer 1: 100; customer 2: no order
    pos = np.array([0, 1, 0, 0, 0, 0])
    value = np.array([100.0, 100.0, 20.0, 150.0, 50.0, 100.0])
    s = OrderSums.build(pos, value, 3, value=value, one=np.ones(6))
    assert s.count(0.0, 100.0).tolist() == [2, 0, 0]  # 20, 50
    assert s.count(100.0, 150.0).tolist() == [2, 1, 0]  # both 100s; customer 1's 100
    assert s.count(0.0, 1000.0).tolist() == [5, 1, 0]
    assert s.sum("value", 50.0, 150.0).tolist() == [250.0, 100.0, 0.0]
    assert s.sum("value", 0.0, 99.99).tolist() == [70.0, 0.0, 0.0]
    assert s.sum("one", 0.0, float("inf")).tolist() == [5.0, 1.0, 0.0]
    assert s.count(0.0, float("nan")).tolist() == [0, 0, 0]  # no threshold: no order
    assert s.count(150.0, 100.0).tolist() == [0, 0, 0]  # empty band
    assert s.sum("value", 150.0, 100.0).tolist() == [0.0, 0.0, 0.0]


def test_minimum_order_value_with_order_shift_by_hand():
    # customer c (class C): personal orders 40 and 80 (cost 30), webshop order 60 (cost 5)
    base = pd.DataFrame({"class": ["C", "A"]}, index=["c", "a"])
    orders = pd.DataFrame(
        {
            "customer_id": ["c", "c", "c", "a"],
            "value": [40.0, 80.0, 60.0, 50.0],
            "margin": [10.0, 20.0, 15.0, 12.5],
            "cost": [30.0, 30.0, 5.0, 30.0],
            "personal": [True, True, False, True],
        }
    )
    inp = S.build_inputs_from_frames(base, orders, S.Rates(webshop_cost=5.0))
    s = ScenarioSettings(order_shift_digital=0.5, small_classes=["C", "D"])
    shift = S.order_shift(inp, s)
    assert shift.tolist() == [0.5, 0.0]
    e = S.minimum_order_value(
        inp, 70.0, consolidation_rate=0.5, loss_rate=0.25, classes=["C"], shift=shift
    )
    # below 70 for c: 40 (personal, cost 30 -> 30 - 0.5 x 25 = 17.5) and 60 (cost 5)
    assert e.summary["orders"] == 2
    assert e.summary["cost_saved"] == pytest.approx(0.75 * (17.5 + 5.0))
    assert e.summary["revenue_at_risk"] == pytest.approx(0.25 * 100.0)
    # the rest (25 %) topped up to 70 at 25 % CM I: 0.25 x (30 + 10)
    assert e.summary["topup_revenue"] == pytest.approx(10.0)
    assert e.summary["topup_margin"] == pytest.approx(2.5)
    assert e.summary["customers_at_risk"] == 0  # c has an order of 80
    cs = S.channel_shift(inp, s)
    assert cs.summary["orders_moved"] == pytest.approx(1.0)  # 0.5 x c's 2 personal orders
    assert cs.summary["order_cost_saved"] == pytest.approx(0.5 * 2 * 25.0)


# --- the order-by-order reference ----------------------------------------------------------


def _reference(inputs, lower, threshold, *, surcharge, pay_rate, consolidation_rate,
               loss_rate, classes, topup, exclude=None, shift=None):  # fmt: skip
    """The small-order scenario summed order by order (the engine before OrderSums)."""
    b = inputs.base
    n = len(b)
    o = inputs.orders
    pos = o["pos"].to_numpy()
    value = o["value"].to_numpy()
    margin = o["margin"].to_numpy()
    cost = o["cost"].to_numpy()
    if shift is not None:
        saving = np.clip(cost - inputs.rates.webshop_cost, 0.0, None)
        cost = cost - shift[pos] * o["personal"].to_numpy() * saving
    mask = (value >= lower) & (value < threshold)
    if classes is not None:
        mask &= np.isin(b["class"].to_numpy(), list(classes))[pos]
    if exclude is not None:
        mask &= ~exclude[pos]
    c_rate, l_rate, p_rate = consolidation_rate, loss_rate, pay_rate
    rest = max(1.0 - c_rate - l_rate, 0.0) if topup else 0.0
    m = mask.astype("float64")
    saved = (c_rate + l_rate) * m * cost
    lost_rev = l_rate * m * value
    lost_margin = l_rate * m * margin
    pct = np.where(value > 0, margin / value, 0.0)
    topup_rev = rest * m * np.clip(threshold - value, 0.0, None)
    topup_margin = topup_rev * pct
    extra = p_rate * m * float(surcharge)

    def agg(x):
        return np.bincount(pos, weights=x, minlength=n)

    hit = np.zeros(n, dtype=bool)
    hit[pos[mask]] = True
    at_risk = hit & (inputs.all_small_below < threshold)
    deltas = pd.DataFrame(
        {
            "revenue": agg(topup_rev + extra - lost_rev),
            "margin": agg(topup_margin + extra - lost_margin),
            "order_cost": -agg(saved),
            "customers_lost": l_rate * at_risk,
        },
        index=b.index,
    )
    summary = {
        "orders": float(m.sum()),
        "customers": float(hit.sum()),
        "customers_at_risk": float(at_risk.sum()),
        "revenue_below": float((m * value).sum()),
        "margin_below": float((m * margin).sum()),
        "cost_saved": float(saved.sum()),
        "topup_revenue": float(topup_rev.sum()),
        "topup_margin": float(topup_margin.sum()),
        "surcharge_revenue": float(extra.sum()),
    }
    return deltas, summary


@pytest.fixture(scope="module")
def sample_inputs(tmp_path_factory):
    prep = prepare_client(sample_client_dir(), tmp_path_factory.mktemp("sums"), lang="en")
    tp = TP.build_target_picture(prep, "en", with_tornado=False)
    return tp.inputs, tp.settings


# the slider grid (step 5), the tornado's ±25 % of it and values off any grid
THRESHOLDS = [0.0, 5.0, 35.0, 100.0, 105.0, 250.0, 500.0, 78.75, 131.25, 99.99, 123.4, 1e6]


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_sums_equal_order_by_order_on_the_sample(sample_inputs, threshold):
    inp, s = sample_inputs
    assert len(inp.orders) > 1000
    dealer = S.delegated(inp, s.dealer_classes, 0.3)
    shift = S.order_shift(inp, s.model_copy(update={"order_shift_digital": 0.4}), dealer)
    cases = [
        # minimum order value on the small classes, dealer customers out, after the shift
        dict(lower=0.0, threshold=threshold, surcharge=0.0, pay_rate=0.0,
             consolidation_rate=0.6, loss_rate=0.2, classes=s.small_classes, topup=True,
             exclude=dealer, shift=shift),
        # surcharge band [threshold, threshold + 75) on everyone
        dict(lower=threshold, threshold=threshold + 75.0, surcharge=7.5, pay_rate=0.7,
             consolidation_rate=0.2, loss_rate=0.1, classes=None, topup=False),
    ]  # fmt: skip
    for case in cases:
        ref_deltas, ref = _reference(inp, **case)
        e = S._small_orders(
            "x", inp, case["lower"], case["threshold"], case["surcharge"], case["pay_rate"],
            case["consolidation_rate"], case["loss_rate"], case["classes"], case["topup"],
            case.get("exclude"), case.get("shift"),
        )  # fmt: skip
        for key, want in ref.items():
            assert e.summary[key] == pytest.approx(want, abs=CENT), (key, case)
        got = e.deltas[list(ref_deltas.columns)]
        assert np.abs(got.to_numpy() - ref_deltas.to_numpy()).max() <= CENT


def test_run_scenarios_equal_order_by_order_profit_on_the_sample(sample_inputs):
    """The whole run (4 scenarios) against the reference sums for the small-order parts."""
    inp, s = sample_inputs
    for mov in (45.0, 78.75, 150.0):
        v = s.model_copy(update={"minimum_order_value": mov, "surcharge": 5.0})
        r = S.run_scenarios(inp, v)
        dealer = S.delegated(inp, v.dealer_classes, v.dealer_share)
        shift = S.order_shift(inp, v, dealer)
        _, ref = _reference(
            inp, 0.0, mov, surcharge=0.0, pay_rate=0.0, consolidation_rate=v.consolidation_rate,
            loss_rate=v.loss_rate, classes=v.small_classes, topup=True, exclude=dealer,
            shift=shift,
        )  # fmt: skip
        got = r.effects["minimum_order_value"].summary
        assert got["cost_saved"] == pytest.approx(ref["cost_saved"], abs=CENT)
        assert got["topup_margin"] == pytest.approx(ref["topup_margin"], abs=CENT)
