"""ABC(+D), XYZ, class profile, migration and comparison on hand-checked data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core.config import ClassSettings
from kk_helpers.metrics import classes as K

IDS = [f"K{i:02d}" for i in range(10)]


def test_abc_ten_customers():
    # total 100; sorted descending, share BEFORE each customer:
    # K00 40 -> 0, K01 20 -> .40, K02 10 -> .60, K03 8 -> .70, K04 7 -> .78  => A (< .80)
    # K05 5 -> .85, K06 4 -> .90, K07 3 -> .94                               => B (< .95)
    # K08 2 -> .97, K09 1 -> .99                                             => C
    values = pd.Series([40, 20, 10, 8, 7, 5, 4, 3, 2, 1], index=IDS, dtype=float)
    shuffled = values.sample(frac=1.0, random_state=3)
    result = K.abc_classes(shuffled)
    assert result.name == "class"
    assert list(result.index) == list(shuffled.index)  # order of the input kept
    assert result[IDS].tolist() == list("AAAAABBBCC")


def test_abc_boundary_exactly_80_percent_is_b():
    # shares before: a 0, b .5, c .8 (exactly) -> c is B, not A
    v = pd.Series([50.0, 30.0, 15.0, 5.0], index=list("abcd"))
    assert K.abc_classes(v).tolist() == ["A", "A", "B", "C"]  # d: before = .95 -> C


def test_abc_ties_broken_by_customer_id():
    # five equal customers (10 each) after one of 50; total 100
    v = pd.Series([10.0] * 5 + [50.0], index=["e", "c", "a", "d", "b", "z"])
    # z 50 -> 0 (A); then a .5 (A), b .6 (A), c .7 (A), d .8 -> B, e .9 -> B
    res = K.abc_classes(v)
    assert res.to_dict() == {"e": "B", "c": "A", "a": "A", "d": "B", "b": "A", "z": "A"}


def test_abc_negative_and_missing_values_and_custom_thresholds():
    # total 100 (NaN and -10 count as 0): a before 0, d before .6; b, c before 1.0
    v = pd.Series([60.0, np.nan, -10.0, 40.0], index=list("abcd"))
    assert K.abc_classes(v).to_dict() == {"a": "A", "b": "C", "c": "C", "d": "A"}
    assert K.abc_classes(v, (0.5, 0.7)).to_dict() == {"a": "A", "b": "C", "c": "C", "d": "B"}
    assert K.abc_classes(v, (0.5, 0.55))["d"] == "C"
    with pytest.raises(ValueError):
        K.abc_classes(v, (0.9, 0.8))


def test_d_rule_inactive_and_min_revenue():
    ct = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_2025": [500.0, 0.0, 50.0, -20.0],  # b inactive, d only credit notes
        }
    )
    abc = pd.Series(["A", "A", "B", "C"], index=["a", "b", "c", "d"])
    assert K.assign_d(abc, ct, last_year=2025).tolist() == ["A", "D", "B", "D"]
    assert K.assign_d(abc, ct, last_year=2025, d_min_revenue=100.0).tolist() == ["A", "D", "D", "D"]
    assert K.assign_d(abc, ct, last_year=2025, d_inactive_last_year=False).tolist() == [
        "A",
        "A",
        "B",
        "C",
    ]
    with pytest.raises(KeyError):
        K.assign_d(abc, ct, last_year=2024)


def test_abc_d_classes_convenience():
    ct = pd.DataFrame(
        {
            "customer_id": list("abcd"),
            "revenue_total": [70.0, 20.0, 8.0, 2.0],
            "margin_total": [10.0, 30.0, 1.0, 1.0],
            "revenue_2025": [30.0, 0.0, 5.0, 1.0],
        }
    )
    got = K.abc_d_classes(ct, ClassSettings(), [2024, 2025])
    assert got.to_dict() == {"a": "A", "b": "D", "c": "B", "d": "C"}
    by_margin = K.abc_d_classes(ct, ClassSettings(basis="margin", d_min_revenue=2.0), [2025])
    # margin 42 total: b 0 (A), a 30/42=.714 (A), c .952 (C), d .976 (C); then D rule
    assert by_margin.to_dict() == {"a": "A", "b": "D", "c": "C", "d": "D"}


def test_monthly_revenue_and_xyz():
    tx = pd.DataFrame(
        {
            "customer_id": pd.Categorical(["a", "a", "b", "c", "c", "b", "a"]),
            "date": pd.to_datetime(
                [
                    "2025-01-05",
                    "2025-01-20",
                    "2025-02-01",
                    "2025-03-01",
                    "2025-04-30",
                    "2024-12-31",
                    "2026-01-01",
                ]  # last two outside the period -> ignored
            ),
            "revenue": [10.0, 5.0, 8.0, 4.0, 4.0, 99.0, 99.0],
        }
    )
    m = K.monthly_revenue(tx, [2025])
    assert m.shape == (3, 12)
    assert str(m.columns[0]) == "2025-01" and str(m.columns[-1]) == "2025-12"
    assert m.loc["a"].sum() == 15.0 and m.loc["a"].iloc[0] == 15.0
    assert m.loc["c"].iloc[2:4].tolist() == [4.0, 4.0]
    with_all = K.monthly_revenue(tx, [2025], customer_ids=["a", "b", "c", "zz"])
    assert with_all.loc["zz"].sum() == 0.0


def test_xyz_cv_on_three_customers():
    months = pd.period_range("2025-01", periods=4, freq="M")
    monthly = pd.DataFrame(
        [
            [10.0, 10.0, 10.0, 10.0],  # mean 10, sd 0 -> cv 0 -> X
            [20.0, 0.0, 20.0, 0.0],  # mean 10, population sd 10 -> cv 1.0 -> Y (≤ 1.0)
            [40.0, 0.0, 0.0, 0.0],  # mean 10, sd sqrt((900 + 3·100)/4) = sqrt(300) -> Z
            [0.0, 0.0, 0.0, 0.0],  # mean 0 -> cv NaN -> Z
        ],
        index=pd.Index(["a", "b", "c", "d"], name="customer_id"),
        columns=months,
    )
    x = K.xyz_classes(monthly)
    assert list(x.columns) == ["cv", "xyz"]
    assert x["cv"].iloc[:3].tolist() == pytest.approx([0.0, 1.0, np.sqrt(300) / 10])
    assert np.isnan(x.loc["d", "cv"])
    assert x["xyz"].tolist() == ["X", "Y", "Z", "Z"]
    assert K.xyz_classes(monthly, (0.2, 0.9))["xyz"].tolist() == ["X", "Z", "Z", "Z"]


def test_abc_xyz_matrix():
    abc = pd.Series(["A", "A", "C", "D"], index=list("abcd"))
    xyz = pd.DataFrame({"cv": [0.1, 0.7, 2.0], "xyz": ["X", "Y", "Z"]}, index=list("abc"))
    m = K.abc_xyz_matrix(abc, xyz)
    assert list(m.index) == ["A", "B", "C", "D"] and list(m.columns) == ["X", "Y", "Z"]
    assert m.to_numpy().tolist() == [[1, 1, 0], [0, 0, 0], [0, 0, 1], [0, 0, 1]]


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_total": [600.0, 300.0, 80.0, 20.0],
            "margin_total": [200.0, 90.0, 30.0, 5.0],
            "orders_total": [10, 10, 15, 5],
            "activities_total": [5, 5, 8, 2],
            "n_visit": [4, 2, 3, 1],
            "cost_to_serve": [100.0, 60.0, 70.0, 30.0],
            "cm3": [100.0, 30.0, -40.0, -25.0],
        }
    )


def test_class_profile_sums_and_shares():
    classes = pd.Series(["A", "B", "C", "C"], index=["a", "b", "c", "d"])
    p = K.class_profile(_table(), classes)
    assert list(p.index) == ["A", "B", "C", "D"]
    assert p.loc["C", "customers"] == 2 and p.loc["D", "customers"] == 0
    assert p.loc["C", "revenue"] == 100.0
    assert p.loc["C", "revenue_share"] == pytest.approx(0.1)
    assert p.loc["C", "visits_share"] == pytest.approx(0.4)  # 4 of 10 visits
    assert p.loc["C", "customers_share"] == pytest.approx(0.5)
    assert p.loc["C", "cost_to_serve_share"] == pytest.approx(100 / 260)
    assert p.loc["C", "cm3"] == -65.0
    for col in (
        "customers",
        "revenue",
        "margin",
        "orders",
        "activities",
        "visits",
        "cost_to_serve",
    ):
        assert p[f"{col}_share"].sum() == pytest.approx(1.0)


def test_class_profile_missing_columns_are_nan():
    ct = _table().drop(columns=["n_visit", "activities_total"])
    p = K.class_profile(ct, pd.Series(["A", "B", "C", "D"], index=list("abcd")))
    assert p["visits"].isna().all() and p["visits_share"].isna().all()


def test_yearly_classes_and_migration():
    ct = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "revenue_2024": [90.0, 10.0, 0.0],  # a A, b B (before .9), c D (inactive)
            "revenue_2025": [0.0, 30.0, 70.0],  # a D (inactive), c A, b A (before .7)
        }
    )
    yc = K.yearly_classes(ct, [2024, 2025], ClassSettings())
    assert list(yc.columns) == [2024, 2025]
    assert yc[2024].tolist() == ["A", "B", "D"]
    assert yc[2025].tolist() == ["D", "A", "A"]
    m = K.migration_matrix(yc[2024], yc[2025])
    assert m.loc["A", "D"] == 1 and m.loc["B", "A"] == 1 and m.loc["D", "A"] == 1
    assert m.to_numpy().sum() == 3
    assert list(m.index) == ["A", "B", "C", "D", "new"]
    assert list(m.columns) == ["A", "B", "C", "D", "lost"]


def test_migration_new_and_lost():
    before = pd.Series(["A", "B", "C"], index=["x", "y", "z"])
    after = pd.Series(["A", "C", "B"], index=["x", "z", "w"])  # y lost, w new
    m = K.migration_matrix(before, after)
    assert m.loc["A", "A"] == 1
    assert m.loc["C", "C"] == 1
    assert m.loc["B", "lost"] == 1
    assert m.loc["new", "B"] == 1
    assert m.to_numpy().sum() == 4


def test_compare_with_current():
    classes = pd.Series(["A", "B", "C", "D"], index=list("abcd"))
    current = pd.Series(["a", " A", "C", None], index=list("abcd"))
    x = K.compare_with_current(classes, current)
    assert list(x.index) == ["A", "C", "a", "none"]
    assert list(x.columns) == ["A", "B", "C", "D"]
    assert x.loc["A", "B"] == 1 and x.loc["a", "A"] == 1 and x.loc["none", "D"] == 1
    # 3 with a current class; a (a=A) and c (C=C) agree -> 2/3
    assert x.attrs["agreement"] == pytest.approx(2 / 3)
    assert K.class_agreement(classes, current) == pytest.approx(2 / 3)


def test_inputs_not_mutated():
    ct = _table()
    before = ct.copy()
    classes = pd.Series(["A", "B", "C", "C"], index=list("abcd"))
    K.class_profile(ct, classes)
    K.yearly_classes(ct.assign(revenue_2025=ct["revenue_total"]), [2025], ClassSettings())
    pd.testing.assert_frame_equal(ct, before)
