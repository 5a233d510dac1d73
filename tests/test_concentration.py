"""Concentration measures on hand-checked data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.metrics import concentration as conc


def test_gini_formula_hand_checked():
    # x ascending = [0, 0, 0, 10], n = 4: Σ i·x = 4·10 = 40
    # G = 2·40 / (4·10) − 5/4 = 2 − 1.25 = 0.75
    assert conc.gini(pd.Series([10.0, 0.0, 0.0, 0.0])) == pytest.approx(0.75)


def test_gini_equal_values_is_zero():
    assert conc.gini(pd.Series([7.0, 7.0, 7.0, 7.0, 7.0])) == 0.0


def test_gini_clips_negatives_and_counts_them():
    values = pd.Series([10.0, -5.0, 0.0, 0.0])
    assert conc.gini(values) == pytest.approx(0.75)  # -5 counted as 0
    assert conc.clipped_count(values) == 1


def test_gini_zero_total_is_nan():
    assert np.isnan(conc.gini(pd.Series([0.0, -1.0])))
    assert np.isnan(conc.gini(pd.Series([], dtype=float)))


def test_hhi_hand_checked():
    # 0.5² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04 = 0.38
    assert conc.hhi(pd.Series([50.0, 30.0, 20.0])) == pytest.approx(0.38)
    # normalised: (0.38 − 1/3) / (1 − 1/3) = 0.07
    assert conc.hhi_normalised(pd.Series([50.0, 30.0, 20.0])) == pytest.approx(0.07)
    assert conc.hhi_normalised(pd.Series([5.0, 5.0])) == pytest.approx(0.0)
    assert conc.hhi_normalised(pd.Series([5.0, 0.0])) == pytest.approx(1.0)


def test_top_shares():
    v = pd.Series([1.0] * 8 + [10.0, 82.0])  # total 100
    assert conc.top_k_share(v, 1) == pytest.approx(0.82)
    assert conc.top_k_share(v, 2) == pytest.approx(0.92)
    assert conc.top_k_share(v, 50) == pytest.approx(1.0)
    assert conc.top_pct_share(v, 0.1) == pytest.approx(0.82)  # 1 of 10 customers
    assert conc.top_pct_share(v, 0.2) == pytest.approx(0.92)
    assert conc.top_pct_share(v, 0.25) == pytest.approx(0.93)  # ceil(2.5) = 3 customers
    with pytest.raises(ValueError):
        conc.top_pct_share(v, 20)


def test_customers_for_share():
    v = pd.Series([50.0, 30.0, 20.0])
    assert conc.customers_for_share(v, 0.8) == 2  # 50 + 30 = exactly 80 %
    assert conc.customers_for_share(v, 0.81) == 3
    assert conc.customers_for_share(v, 0.5) == 1


def test_pareto_curve_descending_from_origin():
    curve = conc.pareto_curve(pd.Series([20.0, 50.0, 30.0]))
    assert list(curve.columns) == ["customer_share", "value_share"]
    assert curve.iloc[0].tolist() == [0.0, 0.0]
    assert curve["value_share"].tolist() == pytest.approx([0.0, 0.5, 0.8, 1.0])
    assert curve["customer_share"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])


def test_lorenz_curve_ascending_from_origin():
    curve = conc.lorenz_curve(pd.Series([20.0, 50.0, 30.0]))
    assert list(curve.columns) == ["population_share", "value_share"]
    assert curve["value_share"].tolist() == pytest.approx([0.0, 0.2, 0.5, 1.0])


def test_input_not_mutated():
    v = pd.Series([3.0, -1.0, np.nan])
    before = v.copy()
    conc.concentration_summary(v)
    conc.pareto_curve(v)
    pd.testing.assert_series_equal(v, before)


def test_concentration_summary_rows():
    s = conc.concentration_summary(pd.Series([50.0, 30.0, 20.0, -4.0]))
    d = dict(zip(s["metric"], s["value"], strict=True))
    assert list(s["metric"]) == list(conc.SUMMARY_METRICS)
    assert d["customers"] == 4
    assert d["total"] == 100
    assert d["clipped_negative"] == 1
    assert d["hhi"] == pytest.approx(0.38)
    assert d["top1_share"] == pytest.approx(0.5)
    assert d["top5_share"] == pytest.approx(1.0)
    assert d["top20pct_share"] == pytest.approx(0.5)  # ceil(0.8) = 1 customer
    assert d["customers_for_80pct"] == 2
    assert d["customers_for_80pct_share"] == pytest.approx(0.5)
