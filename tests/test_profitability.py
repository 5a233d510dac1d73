"""Whale curve and CM ladder per class on hand-checked data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.metrics import profitability as P


def test_whale_curve_four_customers_one_unprofitable():
    # sorted by CM III: 100, 50, 10, -60; total 100
    # cumulative: 100, 150, 160, 100  -> 100 %, 150 %, 160 % (peak), 100 %
    profit = pd.Series([10.0, -60.0, 100.0, 50.0], index=list("abcd"))
    curve = P.whale_curve(profit)
    assert list(curve.columns) == ["customer_share", "cum_profit_pct"]
    assert curve["customer_share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["cum_profit_pct"].tolist() == pytest.approx([0.0, 100.0, 150.0, 160.0, 100.0])


def test_whale_summary():
    s = P.whale_summary(pd.Series([10.0, -60.0, 100.0, 50.0]))
    assert s["peak_pct"] == pytest.approx(160.0)
    assert s["peak_customer_share"] == pytest.approx(0.75)
    assert s["peak_profit"] == pytest.approx(160.0)
    assert s["total_profit"] == pytest.approx(100.0)
    assert s["unprofitable_customers"] == 1
    assert s["unprofitable_share"] == pytest.approx(0.25)
    assert s["profit_lost_by_unprofitable"] == pytest.approx(60.0)


def test_whale_negative_total_gives_nan_percentages():
    curve = P.whale_curve(pd.Series([10.0, -60.0]))
    assert curve["cum_profit_pct"].iloc[0] == 0.0
    assert curve["cum_profit_pct"].iloc[1:].isna().all()
    s = P.whale_summary(pd.Series([10.0, -60.0]))
    assert np.isnan(s["peak_pct"]) and s["unprofitable_customers"] == 1


def test_profit_by_class():
    ct = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_total": [1000.0, 500.0, 100.0, 50.0],
            "cm1": [300.0, 150.0, 30.0, 10.0],
            "order_cost": [50.0, 40.0, 30.0, 10.0],
            "activity_cost": [50.0, 40.0, 30.0, 20.0],
            "cost_to_serve": [100.0, 80.0, 60.0, 30.0],
            "cm2": [250.0, 110.0, 0.0, 0.0],
            "cm3": [200.0, 70.0, -30.0, -20.0],
        }
    )
    before = ct.copy()
    p = P.profit_by_class(ct, pd.Series(["A", "C", "C", "D"], index=list("abcd")))
    pd.testing.assert_frame_equal(ct, before)
    assert list(p.index) == ["A", "B", "C", "D"]
    assert p.loc["C", "customers"] == 2
    assert p.loc["C", "cm3"] == pytest.approx(40.0)
    assert p.loc["C", "cm3_per_customer"] == pytest.approx(20.0)
    assert p.loc["C", "cost_to_serve_share_cm1"] == pytest.approx(140 / 180)
    assert p.loc["C", "unprofitable"] == 1 and p.loc["C", "unprofitable_share"] == 0.5
    assert p.loc["D", "unprofitable"] == 1
    assert p.loc["D", "cost_to_serve_share_cm1"] == pytest.approx(3.0)
    assert p.loc["B", "customers"] == 0 and np.isnan(p.loc["B", "cm3_per_customer"])
    assert p["revenue"].sum() == pytest.approx(1650.0)
