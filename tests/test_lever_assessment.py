"""Lever assessment: aggregation, priority, spread, disagreement, indicators, export."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kk_helpers.core.config import load_config
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.levers import tables
from kk_helpers.stages.levers.analysis import (
    LEVER_TABLE_COLUMNS,
    indicator_verdicts,
    lever_summary,
    lever_verdicts,
    question_summary,
    respondent_matrix,
    role_disagreement,
)
from kk_helpers.stages.levers.assessment import assess_levers
from kk_helpers.stages.levers.catalog import LEVERS, build_catalog, lever_name
from kk_helpers.stages.levers.export import export_lever_assessment
from kk_helpers.stages.levers.findings import (
    comparison_findings,
    disagreement_findings,
    indicator_findings,
    lever_findings,
    questionnaire_hint,
)
from kk_helpers.stages.levers.indicators import compute_indicators, indicator_values
from kk_helpers.stages.prepare import prepare_client


def _responses() -> pd.DataFrame:
    """Three people, two levers. Hand-checked numbers in the tests below.

    ann (field_sales): coverage q1 (4, 5, 5), coverage q2 (2, 4, 3), it q1 (3, 4, 2)
    bob (inside_sales): coverage q1 (1, 4, 5)              it q1 (2, 4, 4)
    cid (inside_sales): coverage q1 (1, 5, 4), coverage q2 (nan, nan, nan)
    """
    rows = [
        ("ann", "field_sales", "coverage", "coverage.q1", 4, 5, 5),
        ("ann", "field_sales", "coverage", "coverage.q2", 2, 4, 3),
        ("ann", "field_sales", "it", "it.q1", 3, 4, 2),
        ("bob", "inside_sales", "coverage", "coverage.q1", 1, 4, 5),
        ("bob", "inside_sales", "it", "it.q1", 2, 4, 4),
        ("cid", "inside_sales", "coverage", "coverage.q1", 1, 5, 4),
        ("cid", "inside_sales", "coverage", "coverage.q2", np.nan, np.nan, np.nan),
    ]
    cols = ["respondent", "role", "lever", "question_id", "current", "target", "importance"]
    df = pd.DataFrame(rows, columns=cols)
    df["comment"] = [None, "zu viele Besuche", None, None, None, None, None]
    return df


def test_question_summary_hand_checked():
    r = _responses()
    before = r.copy()
    q = question_summary(r).set_index("question_id")
    c1 = q.loc["coverage.q1"]
    assert c1["n_respondents"] == 3
    assert c1["current_mean"] == pytest.approx(2.0)
    assert c1["target_mean"] == pytest.approx(14 / 3)
    assert c1["gap"] == pytest.approx(14 / 3 - 2)
    assert c1["importance_mean"] == pytest.approx(14 / 3)
    assert c1["priority"] == pytest.approx((14 / 3 - 2) * 14 / 3)
    assert c1["current_std"] == pytest.approx(math.sqrt(3.0))  # values 4, 1, 1; ddof=1
    assert (c1["current_min"], c1["current_max"]) == (1.0, 4.0)
    assert q.loc["coverage.q2", "n_respondents"] == 1  # cid's empty row does not count
    assert math.isnan(q.loc["coverage.q2", "current_std"])
    assert list(q.index) == ["coverage.q1", "coverage.q2", "it.q1"]  # catalog order
    pd.testing.assert_frame_equal(r, before)  # input not mutated


def test_lever_summary_weighs_every_respondent_equally():
    lv = lever_summary(_responses()).set_index("lever")
    # respondent lever means for coverage: ann 3.0 (4, 2), bob 1.0, cid 1.0
    cov = lv.loc["coverage"]
    assert cov["current_mean"] == pytest.approx(5 / 3)
    assert cov["target_mean"] == pytest.approx((4.5 + 4 + 5) / 3)
    assert cov["importance_mean"] == pytest.approx((4 + 5 + 4) / 3)
    assert cov["priority"] == pytest.approx((13.5 / 3 - 5 / 3) * 13 / 3)
    assert cov["current_std"] == pytest.approx(np.std([3.0, 1.0, 1.0], ddof=1))
    it = lv.loc["it"]
    assert (it["gap"], it["importance_mean"], it["priority"]) == (1.5, 3.0, 4.5)
    assert lv["rank"].to_dict() == {"coverage": 1, "it": 2}
    assert list(lv.index) == ["coverage", "it"]  # method order


def test_by_role_and_matrix():
    by = lever_summary(_responses(), by="role").set_index(["lever", "role"])
    assert by.loc[("coverage", "inside_sales"), "current_mean"] == 1.0
    assert by.loc[("coverage", "field_sales"), "current_mean"] == 3.0
    m = respondent_matrix(_responses())
    assert m.loc["ann", "coverage"] == 3.0 and math.isnan(m.loc["cid", "it"])
    assert m.attrs["roles"]["bob"] == "inside_sales"
    q = question_summary(_responses(), by="role")
    assert len(q[q["question_id"] == "coverage.q1"]) == 2


def test_role_disagreement_flags_range_or_spread():
    d = role_disagreement(_responses(), range_threshold=1.5, std_threshold=5.0).set_index("lever")
    assert d.loc["coverage", "role_range"] == 2.0
    assert d.loc["coverage", "high_role"] == "field_sales"
    assert d.loc["coverage", "low_role"] == "inside_sales"
    assert bool(d.loc["coverage", "disagreement"]) and not bool(d.loc["it", "disagreement"])
    strict = role_disagreement(_responses(), range_threshold=9, std_threshold=1.0)
    assert strict.set_index("lever").loc["coverage", "disagreement"]  # std 1.15 >= 1.0
    text = disagreement_findings(d.reset_index(), "en")[0]
    assert text.startswith("Efficiency of market coverage: Field sales rates the current state 3.0")


def test_verdict_rule_per_row_and_lever():
    # interview lights: coverage 4.2 green (>= 3.5), it 2.0 red, channels 1.4 red,
    # customers 3.0 amber (between 2.5 and 3.5)
    levers = pd.DataFrame({"lever": ["coverage", "it", "channels", "customers"],
                           "current_mean": [4.2, 2.0, 1.4, 3.0]})  # fmt: skip
    ind = pd.DataFrame(
        {"lever": ["coverage", "coverage", "channels", "channels", "customers", "customers"],
         "light": ["red", "amber", "green", "na", "green", "red"]}
    )  # fmt: skip
    rows = indicator_verdicts(levers, ind)
    assert rows["verdict"].tolist() == [
        "contradict",  # green interviews, red data
        "agree",  # green vs amber: neighbours
        "contradict",  # red interviews, green data
        "no_data",  # no value
        "agree",  # amber interviews never contradict
        "agree",
    ]
    c = lever_verdicts(levers, rows).set_index("lever")
    assert list(c.index) == list(LEVERS)
    assert c.loc["coverage", "data_score"] == 0.25 and c.loc["coverage", "indicators_n"] == 2
    assert c.loc["coverage", "interview_score"] == pytest.approx(0.8)  # (4.2 - 1) / 4
    assert c.loc["coverage", "verdict"] == "contradict"
    assert c.loc["coverage", "indicators_contradict"] == 1
    assert c.loc["channels", "verdict"] == "contradict"  # na not counted
    assert c.loc["customers", "verdict"] == "agree"
    assert c.loc["it", "verdict"] == "no_data" and c.loc["offering", "verdict"] == "no_data"
    no_interviews = lever_verdicts(levers.iloc[:0], indicator_verdicts(levers.iloc[:0], ind))
    assert no_interviews.set_index("lever").loc["coverage", "verdict"] == "no_interviews"


def _hand_case(coverage_current: float) -> tuple[SimpleNamespace, pd.DataFrame]:
    """Three levers with data: coverage (cost-to-serve red, visits amber), channels
    (digital share green, rated 3.0 = amber), customers (C/D share amber, rated 2.0 =
    red). Coverage rated ``coverage_current``."""
    levers = pd.DataFrame({"lever": ["customers", "coverage", "channels"],
                           "current_mean": [2.0, coverage_current, 3.0]})  # fmt: skip
    ind = pd.DataFrame(
        {
            "lever": ["customers", "coverage", "coverage", "channels"],
            "indicator": ["abc_small_customer_share", "cts_margin_ratio_small",
                          "visit_share_small", "digital_order_share_small"],
            "value": [0.6, 3.2, 0.3, 0.5],
            "unit": ["share"] * 4,
            "light": ["amber", "red", "amber", "green"],
            "note": [""] * 4,
        }
    )  # fmt: skip
    rows = indicator_verdicts(levers, ind)
    a = SimpleNamespace(indicators=rows, catalog=build_catalog(), lang="en", currency="EUR")
    return a, lever_verdicts(levers, rows)


def test_one_lever_contradicts_table_and_findings_say_the_same():
    a, comp = _hand_case(4.0)  # coverage rated green, its cost-to-serve is red
    table = tables.indicator_display(a)
    contradict = t("lever.verdict.contradict", "en")
    assert table["verdict"].tolist() == [
        t("lever.verdict.agree", "en"),  # customers: red interviews, amber data
        contradict,  # coverage: green interviews, red data
        t("lever.verdict.agree", "en"),  # coverage visits amber
        t("lever.verdict.agree", "en"),  # channels: amber interviews
    ]
    found = comparison_findings(comp, a.indicators, "en")
    cov = lever_name("coverage", "en")
    assert found[0] == (
        f"{cov}: the data contradict the interviews – respondents rate the lever 4.0 of 5, "
        "but red: Cost-to-serve of C/D customers as % of their CM I."
    )
    assert not any("consistent story" in f for f in found)
    assert not any(lever_name("channels", "en") + ":" in f for f in found)


def test_all_levers_agree_table_and_findings_say_the_same():
    a, comp = _hand_case(2.0)  # coverage rated red, like its cost-to-serve
    table = tables.indicator_display(a)
    assert set(table["verdict"]) == {t("lever.verdict.agree", "en")}
    found = comparison_findings(comp, a.indicators, "en")
    assert t("lever.finding.views_agree", "en") in found
    assert not any("contradict" in f for f in found)


def test_dissenting_role_named_only_on_flagged_levers_that_agree():
    levers = pd.DataFrame({"lever": ["coverage"], "current_mean": [2.3]})
    ind = pd.DataFrame({"lever": ["coverage", "coverage"], "light": ["red", "amber"]})
    dis = pd.DataFrame({"lever": ["coverage"], "high_role": ["field_sales"], "high_mean": [3.9],
                        "low_role": ["inside_sales"], "low_mean": [1.3],
                        "disagreement": [True]})  # fmt: skip
    rows = indicator_verdicts(levers, ind)
    c = lever_verdicts(levers, rows, dis).set_index("lever").loc["coverage"]
    assert c["verdict"] == "agree"
    assert (c["dissent_role"], c["dissent_mean"], c["dissent_light"]) == ("field_sales", 3.9, "red")
    found = comparison_findings(lever_verdicts(levers, rows, dis), rows, "en")
    assert found[0].startswith("Efficiency of market coverage: the interviews overall (current "
                               "2.3 of 5) agree with the data, but Field sales rates the lever 3.9")  # fmt: skip
    unflagged = lever_verdicts(levers, rows, dis.assign(disagreement=[False]))
    assert unflagged["dissent_role"].isna().all()


def test_indicators_on_a_tiny_client_hand_checked(make_client):
    # totals: 00123 1334.5 (A), 00456 750 (A), 789 75.5 -> C, inactive 2025 -> D
    cfg = load_config(make_client())
    prep = prepare_client(cfg, cfg.base_dir / "out", use_cache=False)
    values, notes = indicator_values(prep.customer_table, prep.transactions,
                                     prep.activities, cfg, figures=prep.figures)  # fmt: skip
    # headline figures come from the registry (the same value as notebook 01)
    assert values["abc_small_customer_share"] == pytest.approx(1 / 3)
    assert values["top20_revenue_share"] == pytest.approx(1334.5 / 2160.0)
    assert values["top20_revenue_share"] == prep.figures.value("top20_revenue_share")
    assert values["lost_customer_rate"] == pytest.approx(0.5)  # 789 lost of 2 active in 2024
    assert values["new_customer_rate"] == 0.0  # 00456 is reactivated, not new
    assert math.isnan(values["digital_order_share_small"])  # no C/D orders in 2025
    assert notes["standard_revenue_share_small"] == "no_standard_groups"
    assert notes["visit_share_small"] == "no_activities"
    ind = compute_indicators(prep.customer_table, prep.transactions, prep.activities, cfg,
                             figures=prep.figures)  # fmt: skip
    texts = tables.indicator_texts(ind, build_catalog(cfg.levers), "en")
    ind, texts = ind.set_index("indicator"), texts.set_index(ind["indicator"])
    assert ind.loc["abc_small_customer_share", "light"] == "green"  # 33 % <= 50 %
    assert texts.loc["abc_small_customer_share", "value_text"] == "33.3%"  # registry format
    assert ind.loc["lost_customer_rate", "light"] == "red"
    assert ind.loc["visit_share_small", "light"] == "na"
    assert ind.loc["visit_share_small", "note"] == "no_activities"  # a code, no text
    assert texts.loc["visit_share_small", "note_text"] == "no activity data"


@pytest.fixture(scope="module")
def sample_assessment(tmp_path_factory):
    out = tmp_path_factory.mktemp("levers")
    prep = prepare_client(sample_client_dir(), out, lang="de")
    return prep, assess_levers(prep, "de")


def test_sample_assessment_content(sample_assessment):
    _, a = sample_assessment
    assert len(a.levers) == 8 and a.levers["n_respondents"].min() >= 6
    flagged = a.disagreement[a.disagreement["disagreement"]]
    assert "coverage" in set(flagged["lever"])
    ind = a.indicators.set_index("indicator")
    assert ind["light"].isin(["green", "amber", "red"]).sum() >= 10
    assert ind.loc["standard_revenue_share_small", "light"] != "na"  # configured in sample
    assert not a.comments.empty
    assert lever_findings(a.levers, "de")[0].startswith("Höchste Priorität:")


def test_sample_table_verdicts_match_the_findings(sample_assessment):
    """The user's report: the table said "agree" on every row while the findings said
    "contradict" and then "consistent on all levers". Now both read one verdict."""
    _, a = sample_assessment
    lang = a.lang
    table = tables.indicator_display(a)
    contradict = t("lever.verdict.contradict", lang)
    table_levers = set(table.loc[table["verdict"] == contradict, "lever"])
    found = comparison_findings(a.comparison, a.indicators, lang, catalog=a.catalog)
    named = {f.split(":")[0] for f in found if "Die Daten widersprechen den Interviews" in f}
    assert table_levers == named
    # conditions: rated 1.9 of 5 (red, <= 2.5) while the CM I margin gap of C/D
    # customers (+7.0 pp) is green; the only row where the lights are opposite
    assert table_levers == {lever_name("conditions", lang)}
    rows = a.indicators.set_index("indicator")
    assert rows.loc["margin_pct_gap_small", "verdict"] == "contradict"
    assert (a.indicators["verdict"] == "contradict").sum() == 1
    assert t("lever.finding.views_agree", lang) not in found  # no "consistent" claim
    # coverage: cost-to-serve red and interviews 2.3 (red) agree; field sales (3.9)
    # is named as a role that sees it differently, not as a contradiction
    assert rows.loc["cts_margin_ratio_small", "verdict"] == "agree"
    assert any(f.startswith(lever_name("coverage", lang) + ": Interviews insgesamt")
               and "Außendienst" in f for f in found)  # fmt: skip
    lever_table = a.lever_table().set_index("lever")
    assert lever_table["verdict"].to_dict() == a.comparison.set_index("lever")["verdict"].to_dict()
    assert lever_table.loc["conditions", "indicators_contradict"] == 1


def test_export_parquet_and_xlsx(sample_assessment, tmp_path):
    _, a = sample_assessment
    files = export_lever_assessment(a, tmp_path)
    table = pd.read_parquet(files["parquet"])
    assert list(table.columns) == list(LEVER_TABLE_COLUMNS)
    assert table["lever"].tolist() == list(LEVERS)
    lv = a.levers.set_index("lever")
    assert np.allclose(table.set_index("lever").loc[lv.index, "priority"], lv["priority"])
    wb = openpyxl.load_workbook(files["xlsx"], read_only=True)
    assert len(wb.sheetnames) == 8 and wb.sheetnames[0] == "Hebel"
    rows = list(wb["Hebel"].iter_rows(values_only=True))
    assert len(rows) == 9 and rows[1][0] == 1  # ranked, rank 1 first


def test_anonymized_assessment_hides_names(sample_assessment):
    prep, _ = sample_assessment
    a = assess_levers(prep, "en", anonymize=True)
    assert a.responses["respondent"].str.startswith("Respondent ").all()
    assert a.respondents["respondent"].str.startswith("Respondent ").all()
    assert "Sabine Keller" not in a.matrix.index


# --- a client with only the required columns and no questionnaires ------------------------


@pytest.fixture(scope="module")
def minimal_assessment(tmp_path_factory):
    import nbrun

    client = nbrun.make_minimal_client(tmp_path_factory.mktemp("minimal") / "client")
    prep = prepare_client(client, client.parent / "out", lang="en")
    return prep, assess_levers(prep, "en")


def test_minimal_client_indicators_without_data_say_why(minimal_assessment):
    _, a = minimal_assessment
    assert not a.has_responses and a.levers.empty
    ind = a.indicators.set_index("indicator")
    shown = tables.indicator_texts(a.indicators, a.catalog, "en").set_axis(
        a.indicators["indicator"]
    )
    assert "value_text" not in a.indicators.columns  # the assessment holds codes and numbers
    computed = ind["value"].notna()
    assert computed["abc_small_customer_share"] and computed["top20_revenue_share"]
    for i in ("margin_pct_gap_small", "cts_margin_ratio_small", "visit_share_small",
              "digital_order_share_small", "dealer_revenue_share_small"):  # fmt: skip
        assert ind.loc[i, "light"] == "na" and shown.loc[i, "value_text"] == "–"
        assert ind.loc[i, "note"]  # the reason, e.g. "no sales channel in the data"
    found = indicator_findings(a.indicators, "en")
    assert (
        found[0]
        == f"{int(computed.sum())} of {len(ind)} data indicators could be computed from the data."
    )
    assert "no sales channel in the data" in found[1] and "no activity data" in found[1]


def test_minimal_client_comparison_findings_do_not_claim_agreement(minimal_assessment):
    _, a = minimal_assessment
    found = comparison_findings(a.comparison, a.indicators, "en")
    assert found[0].startswith("Without filled questionnaires")
    assert not any("consistent story" in f or "interviews only" in f for f in found)
    assert any(f.startswith("Neither interviews nor data indicators yet for:") for f in found)


def test_minimal_client_questionnaire_hint_and_export(minimal_assessment, tmp_path):
    prep, a = minimal_assessment
    hint = questionnaire_hint(a, prep.config, "en")
    assert hint["state"] == "does not exist"
    assert hint["folder"].endswith("questionnaires") and hint["client"]
    (prep.config.base_dir / "questionnaires").mkdir()
    try:
        b = assess_levers(prep, "en")
        assert questionnaire_hint(b, prep.config, "en")["state"] == "holds no questionnaire files"
    finally:
        (prep.config.base_dir / "questionnaires").rmdir()
    files = export_lever_assessment(a, tmp_path)
    table = pd.read_parquet(files["parquet"])
    assert table["lever"].tolist() == list(LEVERS)
    assert table["priority"].isna().all() and (table["n_respondents"] == 0).all()
    assert table["indicators_n"].sum() > 0
    wb = openpyxl.load_workbook(files["xlsx"], read_only=True)
    assert len(wb.sheetnames) == 8
