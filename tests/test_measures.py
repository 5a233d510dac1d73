"""Measures catalog, ranking, quick-win rule, selection and roadmap."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kk_helpers.core.config import MeasureSpec, QuickWinRule, TargetSettings
from kk_helpers.core.i18n import ROLE_SCOPES, translations
from kk_helpers.stages.levers.catalog import LEVERS
from kk_helpers.stages.target import measures as M


def test_catalog_covers_all_levers_with_texts_in_both_languages():
    assert len(M.CATALOG) >= 20
    assert {m.lever for m in M.CATALOG} == set(LEVERS)
    assert len({m.id for m in M.CATALOG}) == len(M.CATALOG)
    table = translations()
    for m in M.CATALOG:
        for lang in ("de", "en"):
            assert m.name(lang) and m.kpi(lang)
        assert 1 <= m.impact <= 5 and 1 <= m.effort <= 5 and m.months >= 1
        assert any(f"{scope}.{m.owner}" in table for scope in ROLE_SCOPES)


def test_config_overrides_and_new_measures():
    cat = M.build_catalog(
        {
            "cond_list_prices": MeasureSpec(impact=5, owner="management"),
            "coop_win_back": MeasureSpec(enabled=False),
            "own": MeasureSpec(lever="it", de="Eigene", en="Own", effort=1, kpi_en="K"),
        }
    )
    ids = [m.id for m in cat]
    assert "coop_win_back" not in ids and ids[-1] == "own"
    lp = next(m for m in cat if m.id == "cond_list_prices")
    assert (lp.impact, lp.owner, lp.effort) == (5, "management", 2)
    assert cat[-1].name("de") == "Eigene" and cat[-1].kpi("en") == "K"
    with pytest.raises(ValueError, match="lever, de and en"):
        M.build_catalog({"x": MeasureSpec(lever="it")})


def _m(i, impact, effort, months, lever="it", scen=None):
    return M.Measure(i, lever, impact, effort, "it", months, scen, de=i, en=i)


def test_ranking_score_priority_and_quick_win_rule():
    cat = [
        _m("qw", 4, 2, 3),  # quick win: 4 × 4 = 16, high
        _m("long", 4, 2, 4),  # same score, too long for a quick win
        _m("hard", 5, 4, 2),  # 5 × 2 = 10, medium
        _m("small", 2, 3, 1),  # 2 × 3 = 6, low
        _m("weak", 3, 2, 1),  # impact 3 < 4: no quick win, 12 medium
    ]
    r = M.rank_measures(cat, "en").set_index("measure_id")
    assert r.loc["qw", "score"] == 16 and r.loc["qw", "priority"] == "high"
    assert r.loc["qw", "quick_win"] and not r.loc["long", "quick_win"]
    assert not r.loc["weak", "quick_win"] and r.loc["weak", "priority"] == "medium"
    assert r.loc["small", "priority"] == "low"
    # equal scores: the shorter measure first
    assert r["rank"].to_dict() == {"qw": 1, "long": 2, "weak": 3, "hard": 4, "small": 5}
    strict = M.rank_measures(cat, "en", quick_win=QuickWinRule(min_impact=5)).set_index(
        "measure_id"
    )
    assert not strict["quick_win"].any()


def test_lever_weights_and_scenario_impact_change_the_order():
    cat = [
        _m("a", 3, 3, 2, lever="it"),
        _m("b", 3, 3, 2, lever="conditions", scen="minimum_order_value"),
    ]
    levers = pd.DataFrame({"lever": ["it", "conditions"], "priority": [2.0, 8.0]})
    r = M.rank_measures(cat, "en", levers=levers)
    assert r["measure_id"].tolist() == ["b", "a"]
    assert r.set_index("measure_id")["lever_weight"].to_dict() == {"b": 1.25, "a": 0.75}
    # the scenario's profit effect sets the impact of the measure that carries it
    r = M.rank_measures(cat, "en", scenario_profits={"minimum_order_value": -10.0, "dealer": 50.0})
    b = r.set_index("measure_id").loc["b"]
    assert b["impact"] == 1 and b["impact_basis"] == "scenario"
    r = M.rank_measures(cat, "en", scenario_profits={"minimum_order_value": 50.0, "dealer": 50.0})
    assert r.set_index("measure_id").loc["b", "impact"] == 5


def test_selection_keeps_quick_wins_and_schedule():
    ranked = pd.DataFrame(
        {"rank": [1, 2, 3, 4], "quick_win": [False, False, False, True],
         "priority": ["high", "medium", "low", "high"], "months": [6, 4, 30, 2]}
    )  # fmt: skip
    sel = M.select_measures(ranked, 2)
    assert sel["rank"].tolist() == [1, 4]
    plan = M.schedule(ranked, dt.date(2026, 1, 1), 18)
    assert plan["start_month"].tolist() == [1, 3, 6, 0]
    assert plan["end_month"].tolist() == [7, 7, 18, 2]
    assert plan["start"].tolist()[0] == dt.date(2026, 2, 1)
    assert plan["end"].tolist()[2] == dt.date(2027, 6, 30)


def test_measures_plan_from_settings():
    target = TargetSettings(max_measures=6, plan_start=dt.date(2026, 3, 1))
    plan = M.measures_plan(target, "de", scenario_profits={"channel_shift": 100.0})
    assert len(plan) >= 6 or plan["quick_win"].sum() > 6
    assert plan["rank"].is_monotonic_increasing
    assert (plan["status"] == "open").all()
    assert plan["start"].min() == dt.date(2026, 3, 1)
    assert plan.loc[plan["quick_win"], "start_month"].eq(0).all()
    assert M.default_plan_start(dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)


def test_roadmap_starts_at_the_configured_month_with_calendar_labels():
    target = TargetSettings(roadmap_start="2027-01")
    assert target.roadmap_start == dt.date(2027, 1, 1)
    plan = M.measures_plan(target, "de", today=dt.date(2026, 11, 29))
    assert plan["start"].min() == dt.date(2027, 1, 1)  # the setting wins over the run date
    # month 0 = Jan 2027; ticks every 3 months up to the 18-month horizon
    ticks = list(range(0, 19, 3))
    assert M.roadmap_tick_labels(plan, ticks, "de") == [
        "Jan. 2027", "Apr. 2027", "Juli 2027", "Okt. 2027", "Jan. 2028", "Apr. 2028", "Juli 2028"]  # fmt: skip
    assert M.roadmap_tick_labels(plan, [0, 18], "en") == ["Jan 2027", "Jul 2028"]
    # a full date counts as its month; a bad month is refused
    assert TargetSettings(roadmap_start=dt.date(2027, 5, 17)).roadmap_start == dt.date(2027, 5, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        TargetSettings(roadmap_start="2027-13")


def test_roadmap_default_is_the_month_after_the_run_date():
    # report made on 29.11.2026: the plan starts in December 2026, whatever the data's date
    plan = M.measures_plan(TargetSettings(), "en", today=dt.date(2026, 11, 29))
    assert plan["start"].min() == dt.date(2026, 12, 1)
    assert M.month_label(dt.date(2026, 12, 1), "en") == "Dec 2026"
    assert M.roadmap_start(TargetSettings(), dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)


def test_without_interviews_or_computable_scenarios_the_catalog_ranks():
    """No lever table, no/all-empty priorities, scenarios left out: catalog impact, weight 1."""
    cat = M.build_catalog()
    empty = pd.DataFrame({"lever": list(LEVERS), "priority": [float("nan")] * len(LEVERS)})
    assert set(M.lever_weights(empty).values()) == {1.0}
    assert M.lever_weights(None) == {} and M.lever_weights(pd.DataFrame()) == {}
    base = M.rank_measures(cat, "en", None, scenario_profits=None)
    assert set(base["impact_basis"]) == {"catalog"} and set(base["lever_weight"]) == {1.0}
    # only the surcharge could be computed: the other scenario measures keep the catalog
    r = M.rank_measures(cat, "en", empty, scenario_profits={"surcharge": 100.0}).set_index(
        "measure_id"
    )
    by_scen = r[r["scenario"] != ""]
    assert set(by_scen.loc[by_scen["scenario"] == "surcharge", "impact_basis"]) == {"scenario"}
    assert set(by_scen.loc[by_scen["scenario"] != "surcharge", "impact_basis"]) <= {"catalog"}
