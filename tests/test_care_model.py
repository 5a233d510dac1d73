"""Target care model per class vs. today, and the capacity it needs."""

from __future__ import annotations

import pandas as pd
import pytest

from kk_helpers.core.config import CareModelEntry, ServiceLevelSettings, TargetSettings
from kk_helpers.stages.target import care_model as cm
from kk_helpers.stages.target import scenarios as S


def test_target_table_hours_and_cost():
    target = TargetSettings(
        care_model={
            "A": CareModelEntry(served_by="key_account", service_level="strategic", visits=4,
                                calls=10, management_hours=2, order_channel="edi",
                                conditions="individual"),
            "D": CareModelEntry(served_by="webshop", service_level="service", calls=1),
        }
    )  # fmt: skip
    rates = S.Rates(
        visit_minutes=90, visit_cost=150, call_minutes=12, call_cost=10, management_rate=200
    )
    tb = cm.target_care_table(target, rates, {"edi": 3.0, "webshop": 5.0, "default": 20.0})
    assert tb.loc["A", "field_hours"] == 6.0 and tb.loc["A", "inside_hours"] == 2.0
    assert tb.loc["A", "hours"] == 10.0
    assert tb.loc["A", "activity_cost"] == 4 * 150 + 10 * 10 + 2 * 200
    assert tb.loc["A", "order_cost"] == 3.0 and tb.loc["D", "order_cost"] == 5.0
    assert tb.loc["D", "conditions"] == "list"


def test_current_care_and_comparison_and_capacity():
    base = pd.DataFrame(
        {"class": ["C", "C", "A"], "visits": [2.0, 4.0, 10.0], "calls": [1.0, 3.0, 5.0],
         "field_hours": [4.0, 8.0, 20.0], "inside_hours": [0.5, 0.5, 2.0],
         "activity_cost": [300.0, 500.0, 2000.0]},
        index=["c1", "c2", "a"],
    )  # fmt: skip
    orders = pd.DataFrame(
        {"customer_id": ["c1", "c2", "c2", "a"], "value": [10.0] * 4, "cost": [40.0, 6.0, 6.0, 3.0],
         "personal": [True, False, False, False]}
    )  # fmt: skip
    inp = S.build_inputs_from_frames(base, orders, S.Rates())
    cur = cm.current_care(inp)
    assert cur.loc["C", "customers"] == 2 and cur.loc["C", "visits"] == 3.0
    assert cur.loc["C", "personal_order_share"] == pytest.approx(1 / 3)
    assert cur.loc["C", "order_cost"] == pytest.approx(52 / 3)
    tgt = cm.target_care_table(TargetSettings(), S.Rates(visit_minutes=60, call_minutes=6), {})
    comp = cm.care_comparison(cur, tgt)
    assert list(comp.index) == ["A", "B", "C", "D"]  # classes of either table
    assert comp.loc["C", "hours_today"] == 6.5 and comp.loc["C", "hours_target"] == pytest.approx(
        0.4
    )
    assert comp.loc["B", "customers"] == 0
    # before = the service levels of notebook 02 (default time budgets, nested):
    # sales = 3 inside + 3 field, strategic = 3 inside + 9 field + 4 management
    levels = pd.Series(["sales", "sales", "strategic"], index=["c1", "c2", "a"])
    cap = cm.care_capacity(
        cur, tgt, levels=levels, service_levels=ServiceLevelSettings(),
        capacity={"field_sales": 100.0, "inside_sales": 10.0}, hours_per_fte=10.0,
    )  # fmt: skip
    assert cap.loc["field_sales", "hours_measured"] == 32.0  # 2 × 6 h + 20 h (activities)
    assert cap.loc["field_sales", "hours_before"] == 15.0  # 2 × 3 + 9
    assert cap.loc["field_sales", "hours_target"] == 6.0  # A: 6 visits × 1 h
    assert cap.loc["field_sales", "utilisation_before"] == pytest.approx(0.15)
    assert cap.loc["field_sales", "fte_freed"] == pytest.approx(0.9)  # (15 − 6) / 10
    assert cap.loc["inside_sales", "hours_before"] == 9.0  # 2 × 3 + 3
    assert cap.loc["inside_sales", "utilisation_target"] == pytest.approx((1.2 + 2 * 0.4) / 10)
    assert cap.loc["inside_sales", "fte_freed"] == pytest.approx(0.7)  # (9 − 2) / 10
    assert cap.loc["management", "hours_before"] == 4.0
    assert cap.loc["management", "hours_target"] == 4.0 and pd.isna(
        cap.loc["management", "available"]
    )
    assert cap["fte_freed"].sum() == pytest.approx(1.6)  # net = sum over the roles


def test_without_activities_today_is_unknown_not_zero():
    import numpy as np
    import pandas as pd

    from kk_helpers.core.config import ServiceLevelSettings, TargetSettings
    from kk_helpers.stages.target import care_model as cm
    from kk_helpers.stages.target import scenarios as S

    base = pd.DataFrame({"class": ["C", "D"]}, index=["c", "d"])
    orders = pd.DataFrame({"customer_id": ["c", "d"], "value": [50.0, 60.0]})
    inp = S.build_inputs_from_frames(base, orders, S.Rates(), missing=("activities", "channel"))
    cur = cm.current_care(inp)
    assert cur[["visits", "calls", "field_hours", "activity_cost"]].isna().all().all()
    assert cur["personal_order_share"].isna().all()
    assert cur["orders"].tolist() == [1.0, 1.0]  # orders are known
    target = cm.target_care_table(TargetSettings(), inp.rates, {"default": 0.0})
    cap = cm.care_capacity(
        cur, target, levels=pd.Series(["service", "service"]),
        service_levels=ServiceLevelSettings(), capacity={}, hours_per_fte=1600,
    )  # fmt: skip
    assert np.isnan(cap.loc["field_sales", "hours_measured"])  # not measurable, not 0
    assert cap.loc["inside_sales", "hours_before"] == 2.0  # the time budgets need no activities
    assert cap.loc["inside_sales", "hours_target"] > 0
    comp = cm.care_comparison(cur, target)
    assert comp["hours_today"].isna().all() and comp["hours_target"].notna().all()
