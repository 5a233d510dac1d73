"""Lever catalog: 8 levers, questions and indicators in de/en, config overrides, lights."""

from __future__ import annotations

import numpy as np
import pytest

from kk_helpers.core.config import ConfigError, LeverSettings
from kk_helpers.stages.levers.catalog import (
    INDICATORS,
    LEVERS,
    QUESTIONS,
    build_catalog,
    lever_name,
    role_key,
    role_name,
    traffic_light,
)


def test_eight_levers_with_three_to_five_questions_each():
    assert len(LEVERS) == 8
    for lever in LEVERS:
        n = sum(q.lever == lever for q in QUESTIONS)
        assert 3 <= n <= 5, lever


def test_every_text_exists_in_both_languages_and_differs():
    for q in QUESTIONS:
        de, en = q.text("de"), q.text("en")
        assert de and en and de != en, q.id
    for lever in LEVERS:
        assert lever_name(lever, "de") and lever_name(lever, "en")
    for ind in INDICATORS.values():
        assert ind.label("de") != ind.label("en")
        assert ind.lever in LEVERS


def test_indicator_thresholds_point_the_right_way():
    for ind in INDICATORS.values():
        if ind.better == "higher":
            assert ind.green > ind.red, ind.id
        else:
            assert ind.green < ind.red, ind.id


def test_it_lever_is_questionnaire_only_by_default():
    assert not [i for i in INDICATORS.values() if i.lever == "it"]


def test_config_adds_replaces_and_removes_questions():
    settings = LeverSettings.model_validate(
        {
            "questions": [
                {"id": "it.q1", "lever": "it", "de": "Eigener Text", "en": "Own text"},
                {"id": "it.q9", "lever": "it", "de": "ERP-Schnittstelle", "en": "ERP interface"},
            ],
            "remove_questions": ["cooperations.q3"],
        }
    )
    cat = build_catalog(settings)
    assert cat.question("it.q1").text("en") == "Own text"
    assert cat.question("it.q9").text("de") == "ERP-Schnittstelle"
    assert cat.question("cooperations.q3") is None
    ids = [q.id for q in cat.questions]
    # new question sits with its lever, after the built-in ones
    assert ids.index("it.q9") == ids.index("it.q4") + 1
    assert ids.index("it.q1") < ids.index("it.q2")


def test_config_overrides_indicators():
    settings = LeverSettings.model_validate(
        {
            "indicators": {
                "visit_share_small": {"green": 0.1, "red": 0.3},
                "top20_revenue_share": {"enabled": False},
                "crm_usage": {"lever": "it", "de": "CRM-Nutzung", "en": "CRM usage",
                              "unit": "share", "better": "higher", "green": 0.8, "red": 0.5,
                              "value": 0.65},
            }
        }
    )  # fmt: skip
    cat = build_catalog(settings)
    by_id = {i.id: i for i in cat.indicators}
    assert (by_id["visit_share_small"].green, by_id["visit_share_small"].red) == (0.1, 0.3)
    assert "top20_revenue_share" not in by_id
    assert by_id["crm_usage"].value == 0.65 and by_id["crm_usage"].label("de") == "CRM-Nutzung"
    frame = cat.indicators_frame()
    assert frame.loc[frame["indicator"] == "crm_usage", "provided"].iloc[0] == 0.65


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({"questions": [{"id": "x", "lever": "pricing", "de": "a", "en": "b"}]}, "unknown lever"),
        ({"remove_questions": ["it.q99"]}, "unknown question"),
        ({"indicators": {"new_one": {"lever": "it", "green": 1.0}}}, "needs"),
        ({"indicators": {"visit_share_small": {"green": 0.5, "red": 0.2}}}, "green < red"),
    ],
)
def test_bad_overrides_raise_config_errors(settings, match):
    with pytest.raises(ConfigError, match=match):
        build_catalog(LeverSettings.model_validate(settings))


def test_traffic_light_hand_checked_with_boundaries():
    lower = traffic_light([0.2, 0.21, 0.4, 0.39, np.nan], green=0.2, red=0.4, better="lower")
    assert lower.tolist() == ["green", "amber", "red", "amber", "na"]
    higher = traffic_light([0.5, 0.49, 0.25, 0.1], green=0.5, red=0.25, better="higher")
    assert higher.tolist() == ["green", "amber", "red", "red"]
    mixed = traffic_light([0.1, 0.1], green=[0.2, 0.5], red=[0.4, 0.25], better=["lower", "higher"])
    assert mixed.tolist() == ["green", "red"]


def test_roles_are_recognised_in_both_languages():
    assert role_key("Innendienst") == "inside_sales"
    assert role_key("Customer service") == "customer_service"
    assert role_key("") == "unknown"
    assert role_key("Einkauf") == "Einkauf"
    assert role_name("sales_manager", "de") == "Vertriebsleitung"


def test_traffic_light_without_any_value_is_na_everywhere():
    lights = traffic_light(
        [np.nan, np.nan], green=[0.5, 0.2], red=[0.25, 0.4], better=["higher", "lower"]
    )
    assert lights.tolist() == ["na", "na"]
