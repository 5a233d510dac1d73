"""One service-level assignment, one capacity model, one order economics (stages 2 and 4 agree)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core.config import ServiceLevelSettings
from kk_helpers.metrics import capacity as cap
from kk_helpers.metrics.orders import order_economics
from kk_helpers.stages.target import scenarios as S

# --- service levels and capacity -----------------------------------------------------------


def test_one_assignment_counts_per_level_by_shares_and_by_class():
    score = pd.Series([float(i) for i in range(20)])  # 19 best
    classes = pd.Series(["A"] * 2 + ["B"] * 4 + ["C"] * 6 + ["D"] * 8)
    lv = cap.assign_service_levels(score, classes, ServiceLevelSettings())  # 20/70/10 %
    assert cap.level_counts(lv).to_dict() == {"strategic": 4, "sales": 14, "service": 2}
    assert set(lv.iloc[16:]) == {"strategic"}  # the 4 best scores
    by_class = ServiceLevelSettings(method="classes")  # A strategic, B/C sales, D service
    lv = cap.assign_service_levels(score, classes, by_class)
    assert cap.level_counts(lv).to_dict() == {"strategic": 2, "sales": 10, "service": 8}


def test_capacity_by_role_fte_and_net_equal_sum_of_roles():
    # 2 strategic, 3 sales, 5 service with the default budgets (nested):
    # service 1 inside; sales 3 inside + 3 field; strategic 3 inside + 9 field + 4 mgmt
    levels = pd.Series(["strategic"] * 2 + ["sales"] * 3 + ["service"] * 5)
    before = cap.role_hours_by_levels(levels, ServiceLevelSettings())
    assert before.to_dict() == {"field_sales": 27.0, "inside_sales": 20.0, "management": 8.0}
    care = pd.DataFrame(
        {"field_hours": [5.0, 1.0], "inside_hours": [1.0, 0.5], "management_hours": [2.0, 0.0]},
        index=["A", "C"],
    )
    target = cap.role_hours_by_care_model(pd.Series({"A": 2, "C": 8}), care)
    assert target.to_dict() == {"field_sales": 18.0, "inside_sales": 6.0, "management": 4.0}
    table = cap.capacity_by_role(
        before, target, capacity={"field_sales": 54.0, "management": 4.0}, hours_per_fte=10.0
    )
    assert table.loc["field_sales", "utilisation_before"] == pytest.approx(0.5)
    assert table.loc["management", "utilisation_before"] == pytest.approx(2.0)  # 8 h of 4
    assert np.isnan(table.loc["inside_sales", "utilisation_before"])  # no capacity given
    assert table["fte_freed"].tolist() == pytest.approx([0.9, 1.4, 0.4])
    assert cap.net_fte_freed(table) == pytest.approx(2.7)  # = sum over the roles
    assert cap.net_hours_freed(table) == pytest.approx(27.0)
    # 02's capacity check gives the same "before" hours
    check = cap.capacity_check(levels, ServiceLevelSettings(), {"management": 4.0})
    assert check.loc["management", "utilisation"] == table.loc["management", "utilisation_before"]
    assert check["required"].to_dict() == before.to_dict()


def test_class_shares_priority_classes():
    cust, rev = cap.class_shares(
        pd.Series(["A", "B", "C", "D", "D"]), pd.Series([50.0, 30.0, 12.0, 8.0, 0.0]), ["C", "D"]
    )
    assert cust == pytest.approx(0.6) and rev == pytest.approx(0.2)


# --- order economics -----------------------------------------------------------------------


def _orders():
    return pd.DataFrame(
        {
            "year": [2024, 2024, 2025, 2025, 2025, 2025],
            "value": [1000.0, 10.0, 200.0, 50.0, 150.0, -40.0],
            "margin": [500.0, 1.0, 60.0, 10.0, 30.0, -12.0],
            "channel": ["edi", "edi", "field_sales", "webshop", "webshop", "edi"],
        }
    )


def test_order_economics_last_year_basis():
    rates = {"field_sales": 40.0, "webshop": 4.0, "default": 10.0}
    e = order_economics(_orders(), year=2025, order_processing=rates)
    # 2025, value > 0: 3 orders, cost 40 + 4 + 4 = 48 -> 16 per order;
    # margin 100 / 400 = 25 %; break-even 16 / 0.25 = 64
    assert (e.orders, e.cost_per_order, e.margin_pct, e.break_even, e.reason) == (
        3, 16.0, 0.25, 64.0, None,
    )  # fmt: skip
    e24 = order_economics(_orders(), year=2024, order_processing=rates)
    assert e24.cost_per_order == 10.0 and e24.margin_pct == pytest.approx(501 / 1010)


def test_order_economics_nan_with_reasons():
    o = _orders()
    no_rates = order_economics(o, year=2025, order_processing={"default": 0.0})
    assert no_rates.cost_per_order == 0.0 and math.isnan(no_rates.break_even)
    assert no_rates.reason == "no_cost_rates" and no_rates.margin_pct == pytest.approx(0.25)
    no_margin = order_economics(o.assign(margin=np.nan), year=2025, order_processing={"default": 5})
    assert no_margin.reason == "no_margin" and math.isnan(no_margin.margin_pct)
    odd = order_economics(
        o.assign(margin=o["value"] * 1.5), year=2025, order_processing={"default": 5}
    )
    assert odd.reason == "margin_range" and math.isnan(odd.break_even)
    none = order_economics(o, year=2030, order_processing={"default": 5})
    assert none.reason == "no_orders" and none.orders == 0


def test_recommended_mov_not_available_without_cost_rates():
    base = pd.DataFrame({"class": ["C"], "margin": [30.0], "revenue": [100.0]}, index=["c"])
    orders = pd.DataFrame({"customer_id": ["c"], "value": [100.0], "margin": [30.0]})
    inp = S.build_inputs_from_frames(base, orders, S.Rates())  # no processing cost at all
    assert inp.break_even_reason == "no_cost_rates"
    assert math.isnan(inp.recommended_mov(0.25))  # never 0
    result = S.run_scenarios(inp, S.ScenarioSettings())
    assert math.isnan(result.threshold)
    assert result.effects["minimum_order_value"].summary["orders"] == 0
    with_cost = S.build_inputs_from_frames(base, orders.assign(cost=12.0), S.Rates())
    assert with_cost.break_even == pytest.approx(40.0)  # 12 / 0.3
    assert with_cost.recommended_mov(0.25) == 50.0  # 40 × 1.25, rounded to 5


def test_recommended_mov_text_not_available(sample_picture):
    from dataclasses import replace

    from kk_helpers.metrics.figures import Figure
    from kk_helpers.stages.target import tables

    tp = sample_picture["tp"]
    inp = replace(tp.inputs, break_even=float("nan"), break_even_reason="no_cost_rates")
    no_rates = Figure.missing("break_even_order_value", "no_cost_rates")
    tp2 = replace(tp, inputs=inp, result=replace(tp.result, threshold=float("nan")),
                  base_figures=tp.base_figures.merged([no_rates]))  # fmt: skip
    frame = tables.order_policy_frame(tp2)
    values = frame.iloc[:, 0].tolist()
    assert values[2] == values[3] == "nicht verfügbar (keine Kostensätze je Auftrag angegeben)"


# --- the sample: stages 1, 2 and 4 agree ------------------------------------------------------


@pytest.fixture(scope="module")
def sample_picture(tmp_path_factory):
    from kk_helpers.core.paths import sample_client_dir
    from kk_helpers.stages.prepare import prepare_client
    from kk_helpers.stages.screening.analysis import run_screening
    from kk_helpers.stages.screening.export import write_parquet
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo
    from kk_helpers.stages.target.analysis import build_target_picture

    out = tmp_path_factory.mktemp("sample")
    prep = prepare_client(sample_client_dir(), out, lang="de")
    screening = run_screening(prep.customer_table, prep.config, "de")
    write_parquet(screening, out)
    tp = build_target_picture(prep, "de", with_tornado=False)
    return {"prep": prep, "screening": screening, "tp": tp, "sq": analyse_status_quo(prep, "de")}


def test_sample_strategic_count_and_management_load_agree(sample_picture):
    scr, tp = sample_picture["screening"], sample_picture["tp"]
    n_strategic = int((scr.table["service_level"] == "strategic").sum())
    assert n_strategic == tp.care_levels.loc["strategic", "customers_before"] == 500
    assert tp.care_capacity.loc["management", "utilisation_before"] == pytest.approx(
        scr.capacity.loc["management", "utilisation"]
    )
    assert scr.capacity["required"].reindex(tp.care_capacity.index).tolist() == pytest.approx(
        tp.care_capacity["hours_before"].tolist()
    )


def test_sample_summary_fte_is_the_sum_of_the_roles(sample_picture):
    from kk_helpers.core.formatting import format_number
    from kk_helpers.stages.target import findings

    tp = sample_picture["tp"]
    net = float(tp.care_capacity["fte_freed"].sum())
    assert tp.figures.value("fte_freed") == pytest.approx(net)
    kf = findings.key_figures(tp)
    row = kf.loc["Kapazitätseffekt des Ziel-Betreuungsmodells (VZÄ, netto)"].iloc[0]
    assert row == format_number(net, "de", decimals=1)


def test_sample_break_even_01_equals_04(sample_picture):
    sq, tp = sample_picture["sq"], sample_picture["tp"]
    assert np.isfinite(sq.break_even)
    assert sq.break_even == pytest.approx(tp.inputs.break_even)
    assert sq.processing_cost_per_order == pytest.approx(tp.inputs.cost_per_order)
    assert sq.margin_pct == pytest.approx(tp.inputs.margin_pct)


def test_sample_small_class_shares_02_equal_04(sample_picture):
    from kk_helpers.stages.target.analysis import small_class_shares

    scr, tp = sample_picture["screening"], sample_picture["tp"]
    summ = scr.class_summary()
    assert small_class_shares(tp)[1] == pytest.approx(summ.loc[["C", "D"], "revenue_share"].sum())
