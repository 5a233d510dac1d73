"""Scoring: catalog, potential estimate, normalisation, weighting, missing-value policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core.config import PotentialSettings, parse_config
from kk_helpers.metrics import scoring as S


def _config(**over):
    base = {
        "client": {"name": "X"},
        "analysis": {"years": [2023, 2024, 2025], "reference_date": "2025-12-31"},
        "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}},
        "soft_criteria": ["loyalty", "service_effort"],
    }
    base.update(over)
    return parse_config(base)


# --- normalisation -------------------------------------------------------------------


def test_percentile_rank_ties_and_missing():
    s = S.normalize(pd.Series([10.0, 20.0, 20.0, np.nan, 40.0]))
    assert s.tolist()[:3] == [0.0, 0.5, 0.5]
    assert np.isnan(s.iloc[3]) and s.iloc[4] == 1.0


def test_lower_is_better_inverts():
    assert S.normalize(pd.Series([1.0, 2.0, 3.0]), direction="lower").tolist() == [1.0, 0.5, 0.0]


def test_minmax_and_constant():
    assert S.normalize(pd.Series([0.0, 25.0, 100.0]), method="minmax").tolist() == [0.0, 0.25, 1.0]
    assert S.normalize(pd.Series([7.0, 7.0]), method="minmax").tolist() == [0.5, 0.5]
    assert S.normalize(pd.Series([7.0, 7.0])).tolist() == [0.5, 0.5]
    assert S.normalize(pd.Series([7.0, np.nan])).tolist()[0] == 0.5


def test_zscore_is_winsorised_and_bounded():
    x = pd.Series([1.0, 2.0, 3.0, 4.0, 1000.0])
    z = S.normalize(x, method="zscore", winsor=(0.0, 0.8))
    assert z.between(0, 1).all()
    assert z.is_monotonic_increasing
    # the outlier is clipped at the 80th percentile: it scores like a value of 200.8
    plain = S.normalize(x, method="zscore", winsor=(0.0, 1.0))
    assert z.iloc[3] > plain.iloc[3]


def test_infinite_values_rank_at_the_end():
    s = S.normalize(pd.Series([0.1, np.inf, 0.3]), method="minmax", direction="lower")
    assert s.tolist() == [1.0, 0.0, 0.0]
    assert S.normalize(pd.Series([0.1, np.inf, 0.3]), direction="lower").tolist() == [1.0, 0.0, 0.5]


def test_unknown_method_raises():
    with pytest.raises(ValueError, match="normalization"):
        S.normalize(pd.Series([1.0, 2.0]), method="rank")


# --- weighting and missing values ---------------------------------------------------------


def test_score_is_weighted_mean_times_100():
    s = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5]])
    w = np.array([2.0, 1.0, 1.0])
    assert S.score_matrix(s, w).tolist() == [62.5, 37.5]


def test_reweight_ignores_missing_criteria():
    s = np.array([[np.nan, 1.0], [0.0, 1.0]])
    w = np.array([3.0, 1.0])
    assert S.score_matrix(s, w, "reweight").tolist() == [100.0, 25.0]
    eff = S.effective_weights(s, w, "reweight")
    assert eff.tolist() == [[0.0, 1.0], [0.75, 0.25]]


def test_neutral_counts_missing_as_half():
    s = np.array([[np.nan, 1.0]])
    assert S.score_matrix(s, np.array([3.0, 1.0]), "neutral").tolist() == [62.5]


def test_no_criteria_present_gives_nan_not_zero():
    out = S.score_matrix(np.array([[np.nan, np.nan]]), np.array([1.0, 1.0]))
    assert np.isnan(out[0])


def test_contributions_sum_to_score_minus_average_customer():
    norm = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 0.0, 0.5]})
    w = np.array([3.0, 1.0])
    c = S.contributions(norm, w)
    score = S.score_matrix(norm.to_numpy(), w)
    avg = 100 * (0.75 * 0.5 + 0.25 * 0.5)
    assert np.allclose(c.sum(axis=1).to_numpy(), score - avg)


def test_missing_summary_counts_and_names():
    n, names = S.missing_summary(pd.DataFrame({"a": [np.nan, 1.0], "b": [np.nan, np.nan]}))
    assert n.tolist() == [2, 1]
    assert names.tolist() == ["a, b", "b"]


# --- catalog ---------------------------------------------------------------------------


def test_default_catalog_has_8_hard_and_soft_criteria_weighted():
    crit = S.criteria_table(_config())
    weighted = crit[crit["weight"] > 0]
    assert (weighted["kind"] == "hard").sum() == 8
    assert 2 <= (weighted["kind"] == "soft").sum() <= 3
    assert crit.loc["service_effort", "direction"] == "lower"
    assert crit.loc["recency", "direction"] == "lower"
    assert crit["weight_share"].sum() == pytest.approx(1.0)


def test_configured_criteria_override_and_unknown_names():
    cfg = _config(
        screening={
            "criteria": {
                "trend": {"weight": 1, "normalization": "minmax"},
                "loyalty": {"weight": 3, "direction": "lower"},
            }
        }
    )
    crit = S.criteria_table(cfg)
    assert list(crit.index) == ["trend", "loyalty"]
    assert crit.loc["trend", "normalization"] == "minmax"
    assert crit.loc["loyalty", "direction"] == "lower"
    bad = _config(screening={"criteria": {"turnover": {"weight": 1}}})
    with pytest.raises(ValueError, match="unknown criterion"):
        S.criteria_table(bad)


# --- potential and criterion values -------------------------------------------------------


def test_potential_estimate_from_peers_with_fallbacks():
    ct = pd.DataFrame(
        {
            "revenue_2025": [10.0, 20.0, 30.0, 40.0, 500.0, 5.0],
            "potential": [np.nan, np.nan, 100.0, np.nan, np.nan, np.nan],
            "industry": ["a", "a", "a", "a", "b", "a"],
            "employees": [5.0, 5.0, 5.0, 5.0, 300.0, np.nan],
        }
    )
    p = S.estimate_potential(ct, 2025, PotentialSettings(quantile=0.5, min_peers=3))
    # industry a, band <10: peers 10, 20, 30, 40 -> median 25, at least own revenue
    assert p["potential"].tolist()[:4] == [25.0, 25.0, 100.0, 40.0]
    assert p["potential_basis"].tolist() == [
        "industry_size",
        "industry_size",
        "given",
        "industry_size",
        "all",
        "industry",
    ]
    assert p["potential_estimated"].tolist() == [True, True, False, True, True, True]
    # b has one peer only: falls back to all buyers (median of 5, 10, 20, 30, 40, 500 = 25), >= own 500
    assert p["potential"].iloc[4] == 500.0
    # no employee count: industry a peers 5, 10, 20, 30, 40 -> 20
    assert p["potential"].iloc[5] == 20.0


def test_potential_estimate_off_keeps_missing():
    ct = pd.DataFrame({"revenue_2025": [10.0], "potential": [np.nan]})
    p = S.estimate_potential(ct, 2025, PotentialSettings(estimate=False))
    assert np.isnan(p["potential"].iloc[0]) and p["potential_basis"].iloc[0] == "none"


_FILES_WITH_ACTIVITIES = {
    "customers": {"path": "c"},
    "transactions": {"path": "t"},
    "activities": {"path": "a"},
}


def test_criteria_values_definitions():
    cfg = _config(files=_FILES_WITH_ACTIVITIES)
    ct = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "revenue_2025": [300.0, 0.0],
            "revenue_total": [600.0, 0.0],
            "margin_total": [150.0, np.nan],
            "cm1_pct": [0.25, np.nan],
            "orders_total": [6, 0],
            "avg_order_value": [100.0, np.nan],
            "activity_cost": [60.0, 10.0],
            "potential": [1000.0, 0.0],
            "last_purchase": pd.to_datetime(["2025-12-01", None]),
            "loyalty": [4.0, np.nan],
        }
    )
    v = S.criteria_values(ct, cfg)
    assert v.loc["a", "revenue_avg"] == 200.0
    assert v.loc["a", "margin"] == 50.0
    assert v.loc["a", "order_frequency"] == 2.0
    assert v.loc["a", "share_of_wallet"] == 0.3
    assert v.loc["a", "activity_effort"] == 0.1
    assert v.loc["b", "activity_effort"] == np.inf  # cost without revenue: worst
    assert v.loc["a", "recency"] == 30.0
    assert v.loc["b", "recency"] == 1096.0  # never bought: whole period + 1 day
    assert np.isnan(v.loc["b", "share_of_wallet"])  # potential 0: no share of wallet
    assert np.isnan(v.loc["b", "loyalty"])
    assert v.loc["b", "revenue_last_year"] == 0.0  # no revenue is 0, not missing
    assert ct.columns.tolist()[0] == "customer_id"  # input unchanged


# --- criteria without data: left out, weights re-normalised ---------------------------------


def _minimal_table():
    """Only revenue and dates: no margin, product groups, activities, potential, industry."""
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_2023": [100.0, 50.0, 0.0, 10.0],
            "revenue_2024": [120.0, 40.0, 30.0, 10.0],
            "revenue_2025": [150.0, 30.0, 60.0, 0.0],
            "revenue_total": [370.0, 120.0, 90.0, 20.0],
            "margin_total": np.nan,
            "cm1_pct": np.nan,
            "cm3": np.nan,
            "product_groups_n": pd.array([pd.NA] * 4, dtype="Int64"),
            "orders_total": [9, 6, 3, 1],
            "avg_order_value": [41.1, 20.0, 30.0, 20.0],
            "activity_cost": 0.0,  # built without activities: zeros, not data
            "trend": [0.2, -0.2, np.nan, -1.0],
            "last_purchase": pd.to_datetime(["2025-12-01", "2025-06-01", "2025-11-01", None]),
        }
    )


def test_no_activities_file_means_no_service_effort_not_zero():
    v = S.criteria_values(_minimal_table(), _config())
    assert v["activity_effort"].isna().all()
    with_file = S.criteria_values(_minimal_table(), _config(files=_FILES_WITH_ACTIVITIES))
    assert (with_file["activity_effort"] == 0.0).all()


def test_potential_from_all_customers_alone_is_no_potential():
    """No given potential and no industry / size peers: the estimate would only restate
    revenue, so potential and share of wallet are missing (basis none)."""
    v = S.criteria_values(_minimal_table(), _config())
    assert v["potential"].isna().all() and v["share_of_wallet"].isna().all()
    assert (v["potential_basis"] == "none").all() and not v["potential_estimated"].any()
    # with an industry the peers carry information: estimated and flagged
    ind = _minimal_table().assign(industry=["x", "x", "x", "y"])
    v2 = S.criteria_values(ind, _config(screening={"potential": {"min_peers": 2}}))
    assert v2["potential"].notna().all()
    assert set(v2["potential_basis"]) == {"industry", "all"}


def test_criteria_without_data_are_dropped_and_weights_renormalised():
    cfg = _config()
    values = S.criteria_values(_minimal_table(), cfg)
    crit = S.criteria_table(cfg)
    av = S.available_criteria(crit, values)
    dropped = set(av.dropped.index)
    assert {"margin", "margin_pct", "cm3", "product_breadth", "activity_effort"} <= dropped
    assert {"potential", "share_of_wallet", "loyalty", "service_effort"} <= dropped
    assert not dropped & set(av.used.index)
    assert set(av.used.index) | dropped == set(crit.index)
    assert av.dropped.loc["margin", "source"] == "margin"
    assert av.dropped.loc["activity_effort", "source"] == "activities"
    assert av.dropped.loc["potential", "source"] == "potential"
    assert av.dropped.loc["loyalty", "source"] == "soft"
    # the configured weights are kept for the record, the shares re-normalised over the rest
    assert av.dropped.loc["margin", "weight"] == crit.loc["margin", "weight"]
    assert av.used["weight_share"].sum() == pytest.approx(1.0)
    w = crit.loc[av.used.index, "weight"]
    assert av.used["weight_share"].tolist() == pytest.approx((w / w.sum()).tolist())
    assert av.fallback is None


def test_dropping_keeps_scores_of_the_remaining_criteria():
    """Reweighting over the available criteria = scoring with only those criteria."""
    cfg = _config()
    values = S.criteria_values(_minimal_table(), cfg)
    crit = S.criteria_table(cfg)
    av = S.available_criteria(crit, values)
    norm = S.normalize_criteria(values, av.used)
    score = S.score_matrix(norm.to_numpy(), av.used["weight"].to_numpy())
    assert np.isfinite(score).all() and ((score >= 0) & (score <= 100)).all()


def test_fallback_to_revenue_when_no_weighted_criterion_has_data():
    cfg = _config(screening={"criteria": {"margin": {"weight": 2}, "potential": {"weight": 1}}})
    values = S.criteria_values(_minimal_table(), cfg)
    av = S.available_criteria(S.criteria_table(cfg), values)
    assert av.fallback == "revenue_last_year"
    assert list(av.used.index) == ["revenue_last_year"]
    assert av.used["weight_share"].tolist() == [1.0]
    assert list(av.dropped.index) == ["margin", "potential"]


def test_normalize_options_are_keyword_only():
    with pytest.raises(TypeError):
        S.normalize(pd.Series([1.0, 2.0]), "minmax")  # type: ignore[misc]
    # the catalog names stay reachable through scoring (re-exported from scoring_criteria)
    from kk_helpers.metrics import scoring_criteria

    assert S.HARD_CRITERIA is scoring_criteria.HARD_CRITERIA
    assert S.criteria_values is scoring_criteria.criteria_values


def test_missing_summary_matches_a_plain_loop():
    """The per-pattern texts equal a per-customer loop (0, 1, several criteria; empty)."""
    rng = np.random.default_rng(1)
    for k in (0, 1, 3, 8):
        for n in (0, 1, 50):
            values = np.where(rng.random((n, k)) < 0.4, np.nan, 1.0)
            df = pd.DataFrame(values, columns=[f"c{i}" for i in range(k)])
            count, names = S.missing_summary(df)
            expected = [
                ", ".join(c for c in df.columns if np.isnan(df.loc[i, c])) for i in df.index
            ]
            assert names.tolist() == expected
            assert count.tolist() == df.isna().sum(axis=1).tolist()
