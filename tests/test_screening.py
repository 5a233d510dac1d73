"""Screening: classes, service levels, capacity, portfolio, smart accounts, comparison,
sensitivity, "why" texts and the whole run on the sample client."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core.config import (
    PortfolioSettings,
    ScreeningClassSettings,
    ServiceLevelSettings,
    SmartAccountSettings,
)
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import analysis as SC
from kk_helpers.stages.screening import findings as SCF
from kk_helpers.stages.screening import tables as SCT


@pytest.fixture(scope="module")
def prep(tmp_path_factory):
    return prepare_client(sample_client_dir(), tmp_path_factory.mktemp("scr"), lang="en")


@pytest.fixture(scope="module")
def inputs(prep):
    return SC.prepare_screening(prep.customer_table, prep.config)


@pytest.fixture(scope="module")
def result(inputs):
    return SC.score_customers(inputs, lang="en")


# --- classes -------------------------------------------------------------------------------


def test_classes_by_shares_exact_counts_best_first():
    score = pd.Series(np.arange(20, dtype=float), index=[f"k{i:02d}" for i in range(20)])
    cls = SC.assign_priority_classes(score, ScreeningClassSettings())  # 10/20/35/35 %
    assert cls.value_counts().to_dict() == {"D": 7, "C": 7, "B": 4, "A": 2}
    assert cls["k19"] == "A" and cls["k18"] == "A" and cls["k17"] == "B" and cls["k00"] == "D"


def test_classes_by_shares_ties_keep_table_order_and_nan_last():
    score = pd.Series([5.0, np.nan, 5.0, 1.0])
    cls = SC.classes_by_shares(score, {"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25})
    assert cls.tolist() == ["A", "D", "B", "C"]


def test_classes_by_thresholds():
    cs = ScreeningClassSettings(method="thresholds", thresholds={"A": 70, "B": 50, "C": 30})
    score = pd.Series([70.0, 69.9, 50.0, 30.0, 29.9, np.nan])
    assert SC.assign_priority_classes(score, cs).tolist() == ["A", "B", "B", "C", "D", "D"]


def test_class_settings_validated():
    with pytest.raises(ValueError):
        ScreeningClassSettings(shares={"A": 0.5, "B": 0.5, "C": 0.5, "D": 0.0})
    with pytest.raises(ValueError):
        ScreeningClassSettings(thresholds={"A": 30, "B": 50, "C": 10})


# --- service levels and capacity --------------------------------------------------------


def test_service_levels_by_shares_20_70_10():
    score = pd.Series(np.arange(100, dtype=float))
    lv = SC.assign_service_levels(score, pd.Series(["C"] * 100), ServiceLevelSettings())
    assert lv.value_counts().to_dict() == {"sales": 70, "strategic": 20, "service": 10}
    assert (lv.iloc[80:] == "strategic").all() and (lv.iloc[:10] == "service").all()


def test_service_levels_by_class():
    s = ServiceLevelSettings(method="classes")
    lv = SC.assign_service_levels(pd.Series([1.0, 2.0, 3.0]), pd.Series(["A", "C", "D"]), s)
    assert lv.tolist() == ["strategic", "sales", "service"]


def test_level_hours_are_nested():
    s = ServiceLevelSettings(
        hours={
            "service": {"inside_sales": 1},
            "sales": {"inside_sales": 2, "field_sales": 3},
            "strategic": {"management": 4},
        }
    )
    h = SC.level_hours(s)
    assert h.loc["service"].tolist() == [1.0, 0.0, 0.0]
    assert h.loc["sales"].tolist() == [3.0, 3.0, 0.0]
    assert h.loc["strategic"].tolist() == [3.0, 3.0, 4.0]  # includes sales and service care


def test_capacity_check_hand_checked():
    s = ServiceLevelSettings(
        hours={
            "service": {"inside_sales": 1},
            "sales": {"inside_sales": 2, "field_sales": 3},
            "strategic": {"management": 4},
        }
    )
    levels = pd.Series(["strategic"] * 2 + ["sales"] * 5 + ["service"] * 3)
    cap = SC.capacity_check(levels, s, {"inside_sales": 30, "field_sales": 15, "marketing": 10})
    # inside: 2*3 + 5*3 + 3*1 = 24; field: 2*3 + 5*3 = 21; management: 2*4 = 8
    assert cap.loc["inside_sales", "required"] == 24.0
    assert cap.loc["field_sales", "required"] == 21.0
    assert cap.loc["management", "required"] == 8.0
    assert cap.loc["inside_sales", "utilisation"] == pytest.approx(0.8)
    assert cap.loc["field_sales", "utilisation"] == pytest.approx(1.4)
    assert np.isnan(cap.loc["management", "available"])
    assert cap.loc["marketing", "required"] == 0.0
    assert cap.loc["inside_sales", "hours_strategic"] == 6.0


# --- portfolio, smart accounts ----------------------------------------------------------


def test_portfolio_quadrants_and_median_default():
    x = pd.Series([90.0, 90.0, 10.0, 10.0, 50.0])
    y = pd.Series([0.8, 0.1, 0.8, 0.1, np.nan])
    q = SC.portfolio_quadrants(
        x, y, PortfolioSettings(attractiveness_threshold=50, position_threshold=0.5)
    )
    assert q.tolist() == ["star", "question_mark", "cash", "opportunistic", "none"]
    q2 = SC.portfolio_quadrants(x, y)
    assert q2.attrs["thresholds"] == (50.0, pytest.approx(0.45))


def test_smart_account_rule_each_condition():
    f = pd.DataFrame(
        {
            "priority_class": ["C", "D", "A", "C", "C", "C"],
            "revenue_last_year": [100.0, 100.0, 100.0, 100.0, 100.0, 900.0],
            "trend": [0.2, 0.1, 0.2, -0.1, 0.2, 0.2],
            "margin_pct": [0.30, 0.30, 0.30, 0.30, 0.10, 0.30],
            "potential": [1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0],
        }
    )
    out = SC.smart_accounts(f, SmartAccountSettings())
    # not small (A), shrinking, margin below median (0.30), headroom 10 % < 25 %
    assert out["smart_account"].tolist() == [True, True, False, False, False, False]
    assert out.attrs["min_margin_pct"] == pytest.approx(0.30)
    assert out["potential_headroom"].tolist()[0] == 900.0
    # the result holds codes (headroom 1000 - 100 = 900); the text is made for display
    assert out["smart_account_reason"].iloc[0] == "trend=0.2;margin=0.3;limit=0.3;headroom=900.0"
    assert out["smart_account_reason"].iloc[2] == ""
    shown = SCT.translate_values(out[["smart_account_reason"]], "de", "EUR")
    assert shown["smart_account_reason"].iloc[0] == (
        "Trend +20 %, DB-I-Marge 30 % (Grenze 30 %), ungenutztes Potenzial 900 €"
    )
    en = SCT.translate_values(out[["smart_account_reason"]], "en", "EUR")
    assert en["smart_account_reason"].iloc[1] == (
        "trend +10%, CM I margin 30% (limit 30%), unused potential €900"
    )
    big = SC.smart_accounts(f.assign(priority_class="A"), SmartAccountSettings(max_revenue=500))
    assert big["smart_account"].tolist()[:2] == [True, True]


# --- why, comparison, sensitivity -------------------------------------------------------


def test_why_is_stored_as_codes_and_translated_for_display():
    c = pd.DataFrame({"trend": [5.0, -3.0], "potential": [2.5, 0.2], "margin": [-2.0, 1.0]})
    codes = SC.why_codes(c)
    # row 2: potential +0.2 is below the 0.5 points that count
    assert codes["why_up"].tolist() == ["trend=+5.0;potential=+2.5", "margin=+1.0"]
    assert codes["why_down"].tolist() == ["margin=-2.0", "trend=-3.0"]
    shown = SCT.translate_values(codes, "de")
    assert shown["why_down"].tolist() == ["DB I p.a. −2,0", "Umsatztrend −3,0"]
    assert shown["why_up"].tolist() == ["Umsatztrend +5,0, Potenzial p.a. +2,5", "DB I p.a. +1,0"]


def test_why_texts_top_two_each_direction():
    c = pd.DataFrame({"trend": [5.0, -3.0], "margin": [-2.0, 1.0], "potential": [0.2, 2.5]})
    w = SCT.why_texts(c, "de")
    assert w["why_up"].tolist() == ["Umsatztrend +5,0", "Potenzial p.a. +2,5, DB I p.a. +1,0"]
    assert w["why_down"].tolist() == ["DB I p.a. −2,0", "Umsatztrend −3,0"]


def test_priority_changes_and_crosstab():
    tb = pd.DataFrame(
        {
            "abc_class": ["A", "C", "B", "D"],
            "priority_class": ["A", "A", "D", "C"],
            "revenue_last_year": [9.0, 5.0, 7.0, 1.0],
        }
    )
    ch = SC.priority_changes(tb)
    assert ch["class_change"].tolist() == [-2, 2, 1]
    x = SC.class_crosstab(
        tb["abc_class"], tb["priority_class"], row_name="abc_class", col_name="priority_class"
    )
    assert x.loc["C", "A"] == 1 and x.to_numpy().sum() == 4
    assert list(x.columns) == ["A", "B", "C", "D"]


def test_sensitivity_hand_checked():
    s = pd.DataFrame({"a": [0.0, 0.5, 1.0, 0.3], "b": [0.9, 0.35, 0.0, 0.8]}, index=list("wxyz"))
    cs = ScreeningClassSettings(shares={"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25})
    sens = SC.sensitivity(s, pd.Series({"a": 1.0, "b": 1.0}), cs)
    # base: z A, y B, w C, x D; a x0.8 -> z A, w B, y C, x D (2 of 4 change)
    assert sens.loc["a", "minus"] == 0.5
    assert sens.loc["a", "plus"] == 1.0
    assert sens.loc["b", "plus"] == 0.5
    unweighted = SC.sensitivity(s, pd.Series({"a": 1.0, "b": 0.0}), cs)
    assert list(unweighted.index) == ["a"]


# --- the whole screening on the sample ---------------------------------------------------


def test_sample_screening_rows_shares_and_flags(prep, result):
    tb = result.table
    assert len(tb) == len(prep.customer_table)
    assert tb["customer_id"].is_unique
    shares = tb["priority_class"].value_counts(normalize=True)
    for k, v in prep.config.screening.classes.shares.items():
        assert shares[k] == pytest.approx(v, abs=1 / len(tb))
    lv = tb["service_level"].value_counts(normalize=True)
    for k, v in prep.config.screening.service_levels.shares.items():
        assert lv[k] == pytest.approx(v, abs=1 / len(tb))
    assert tb["score"].between(0, 100).all()
    assert set(tb["portfolio_quadrant"]) <= {*SC.QUADRANTS, "none"}
    assert tb["smart_account"].any()
    assert set(tb.loc[tb["smart_account"], "priority_class"]) <= {"C", "D"}
    assert (tb["why_up"].str.len() > 0).mean() > 0.9
    assert tb["potential_estimated"].sum() > 0
    # soft criteria rated for part of the customers only: counted, not zero
    assert (tb["n_missing"] > 0).sum() >= result.criteria.loc["loyalty", "n_missing"] > 0
    assert np.isnan(tb["loyalty"]).sum() == result.criteria.loc["loyalty", "n_missing"]


def test_input_not_mutated(prep):
    before = prep.customer_table.copy()
    SC.run_screening(prep.customer_table, prep.config, "de")
    pd.testing.assert_frame_equal(prep.customer_table, before)


def test_weights_change_classes_and_summaries(inputs, result):
    other = SC.score_customers(inputs, weights={"trend": 0.0, "revenue_last_year": 50.0}, lang="en")
    assert (other.table["priority_class"] != result.table["priority_class"]).any()
    assert other.criteria.loc["trend", "weight"] == 0.0
    summ = other.class_summary()
    assert summ["customers"].sum() == len(other.table)
    assert summ["revenue_share"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown criteria"):
        SC.score_customers(inputs, weights={"nope": 1.0})


def test_findings_and_tables_in_both_languages(inputs, result):
    sens = SCT.result_sensitivity(inputs, result)
    for lang in ("de", "en"):
        f = SCF.screening_findings(result, lang, sens)
        assert len(f) >= 5 and all(isinstance(x, str) and x for x in f)
        assert SCT.styled(result.class_summary(), lang).to_html()
        assert len(SCT.comparison_tables(result, lang)) == 2


def test_rescoring_scales_to_many_customers(prep):
    """Correctness on a 40x copy of the sample; the speed is measured in benchmarks/."""
    ct = prep.customer_table
    big = pd.concat(
        [ct.assign(customer_id=ct["customer_id"] + f"-{i}") for i in range(40)], ignore_index=True
    )
    inputs = SC.prepare_screening(big, prep.config)
    res = SC.score_customers(inputs, weights={"trend": 25.0}, explain=False)
    assert len(res.table) == 100_000
    assert res.table["customer_id"].is_unique


# --- clients with missing optional data -------------------------------------------------


def _partial_client(folder, drop_activities=False, drop_margin=False):
    """The sample client copied to ``folder`` with its activities and/or margin removed
    (without activities the default criteria catalog is used: it weights the service
    effort from the activities)."""
    import shutil

    import yaml

    shutil.copytree(sample_client_dir(), folder)
    cfg = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    if drop_activities:
        del cfg["files"]["activities"]
        del cfg["screening"]["criteria"]
    if drop_margin:
        del cfg["files"]["transactions"]["columns"]["margin"]
    (folder / "client.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    import nbrun

    client = nbrun.make_minimal_client(tmp_path_factory.mktemp("minimal") / "client")
    prep = prepare_client(client, tmp_path_factory.mktemp("minimal_out"), lang="en")
    inputs = SC.prepare_screening(prep.customer_table, prep.config)
    return prep, inputs, SC.score_customers(inputs, lang="en")


def test_minimal_client_drops_criteria_without_data(minimal):
    prep, inputs, result = minimal
    tb = result.table
    assert len(tb) == len(prep.customer_table)
    dropped = set(result.dropped.index)
    assert {"margin", "margin_pct", "product_breadth", "activity_effort", "potential"} <= dropped
    assert not dropped & set(result.criteria.index)
    assert result.criteria["weight_share"].sum() == pytest.approx(1.0)
    assert tb["score"].between(0, 100).all()
    # only the criteria in use count as missing: no customer lacks the dropped ones
    assert (tb["n_missing"] > 0).mean() < 0.1
    assert not tb["missing_criteria"].str.contains("margin").any()  # codes, not text
    shown = SCT.translate_values(tb[["missing_criteria"]], "en")["missing_criteria"]
    assert shown[tb["n_missing"] > 0].str.len().gt(0).all()
    assert not shown.str.contains("_").any()  # display names, not codes
    # classes still by the configured shares
    for k, v in prep.config.screening.classes.shares.items():
        assert (tb["priority_class"] == k).mean() == pytest.approx(v, abs=1 / len(tb))


def test_minimal_client_sections_say_why(minimal):
    _, inputs, result = minimal
    for lang in ("de", "en"):
        findings = SCF.screening_findings(result, lang, SCT.result_sensitivity(inputs, result))
        first = findings[0]
        for name in ("margin", "margin_pct", "potential", "product_breadth", "activity_effort"):
            assert SC.criterion_label(name, lang) in first
        notes = SCF.data_notes(result, lang)
        assert set(notes) == set(SCF.NOTE_SECTIONS)
        assert all(notes[k] for k in ("criteria", "classes", "portfolio", "smart", "comparison"))
        over = SCF.dropped_overview(result, lang)
        assert SC.criterion_label("margin", lang) in over.index
        assert over["dropped_reason"].str.len().gt(0).all()
        assert SCT.styled(over, lang).to_html()
        assert SCF.notes_markdown(notes["portfolio"], lang).startswith("> **")
    assert not SC.portfolio_available(result)
    assert (result.table["portfolio_quadrant"] == "none").all()
    assert not result.table["smart_account"].any()
    assert result.extras["smart_available"] is False


def test_minimal_client_outputs_written(minimal, tmp_path):
    import openpyxl

    from kk_helpers.stages.screening.export import sheet_names, write_screening

    _, _, result = minimal
    files = write_screening(result, tmp_path, "en")
    assert len(pd.read_parquet(files["parquet"])) == len(result.table)
    wb = openpyxl.load_workbook(files["xlsx"], read_only=True)
    ws = wb[sheet_names("en")["weights"]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    status = {r[0]: r[-1] for r in rows}
    assert status[SC.criterion_label("margin", "en")].startswith("not used")
    assert status[SC.criterion_label("revenue_last_year", "en")] == "used"
    headers = [c.value for c in next(wb[sheet_names("en")["customers"]].iter_rows(max_row=1))]
    assert SCT.column_label("margin_pct", "en") not in headers  # empty column left out
    assert SCT.column_label("priority_class", "en") in headers


def test_weights_of_dropped_criteria_are_ignored(minimal):
    _, inputs, result = minimal
    other = SC.score_customers(inputs, weights={"margin": 30.0, "trend": 0.0}, lang="en")
    assert "margin" not in other.criteria.index
    assert other.criteria.loc["trend", "weight"] == 0.0
    with pytest.raises(ValueError, match="unknown criteria"):
        SC.score_customers(inputs, weights={"nope": 1.0})


def test_minimal_client_widgets_work(minimal):
    from kk_helpers.present.screening_widgets import screening_widgets

    _, inputs, _ = minimal
    ui = screening_widgets(inputs, "en")
    assert "margin" not in ui.weight_sliders
    ui.weight_sliders["trend"].value = 0.0
    assert ui.result.criteria.loc["trend", "weight"] == 0.0
    assert ui.top_html.value


@pytest.mark.parametrize(
    ("drop_activities", "drop_margin"), [(True, False), (False, True)], ids=["no_act", "no_margin"]
)
def test_partial_sample_client(tmp_path, drop_activities, drop_margin):
    from kk_helpers.stages.screening.export import write_screening

    client = _partial_client(tmp_path / "client", drop_activities, drop_margin)
    prep = prepare_client(client, tmp_path / "out", lang="de")
    inputs = SC.prepare_screening(prep.customer_table, prep.config)
    result = SC.score_customers(inputs, lang="de")
    findings = SCF.screening_findings(result, "de", SCT.result_sensitivity(inputs, result))
    notes = SCF.data_notes(result, "de")
    dropped = set(result.dropped.index)
    if drop_activities:
        assert dropped == {"activity_effort"}
        assert SC.criterion_label("activity_effort", "de") in findings[0]
        assert "Aktivitätendatei" in findings[0]
        assert "activity_effort" not in result.contributions.columns
        assert result.table["smart_account"].any()
    if drop_margin:
        assert {"margin", "margin_pct"} <= dropped
        assert SC.criterion_label("margin_pct", "de") in findings[0]
        assert notes["classes"] and notes["smart"]
        assert "margin" in result.extras["smart_skipped"]
        assert result.table["smart_account"].any()  # rule applied without the margin
        reason = result.table.loc[result.table["smart_account"], "smart_account_reason"].iloc[0]
        assert "margin=" not in reason and "headroom=" in reason  # codes, not text
    assert SC.portfolio_available(result)  # the sample has potentials
    files = write_screening(result, tmp_path / "out", "de")
    assert len(pd.read_parquet(files["parquet"])) == len(prep.customer_table)
