"""Yearly revenue by class and the customer flow (new / lost) on hand-checked data."""

from __future__ import annotations

import pandas as pd
import pytest

from kk_helpers.metrics import development as D


def _table() -> pd.DataFrame:
    # a: active all years; b: lost in 2025; c: new in 2024; d: active 2023, gone 2024,
    # back 2025 (reactivated)
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_2023": [100.0, 50.0, 0.0, 10.0],
            "revenue_2024": [120.0, 40.0, 30.0, 0.0],
            "revenue_2025": [130.0, 0.0, 35.0, 5.0],
        }
    )


def test_customer_flow_four_customers():
    ct = _table()
    before = ct.copy()
    f = D.customer_flow(ct, [2023, 2024, 2025]).set_index("year")
    pd.testing.assert_frame_equal(ct, before)
    assert f["active"].tolist() == [3, 3, 3]
    assert f["revenue"].tolist() == [160.0, 190.0, 170.0]
    # first year: no previous year in the data
    assert pd.isna(f.loc[2023, "new"]) and pd.isna(f.loc[2023, "lost"])
    # 2024: c new (30), d lost (2023 revenue 10)
    assert (f.loc[2024, "new"], f.loc[2024, "lost"]) == (1, 1)
    assert f.loc[2024, "revenue_new"] == 30.0 and f.loc[2024, "revenue_lost"] == 10.0
    assert f.loc[2024, "retained"] == 2
    # 2025: b lost (2024 revenue 40), d reactivated, nobody new
    assert (f.loc[2025, "new"], f.loc[2025, "lost"], f.loc[2025, "reactivated"]) == (0, 1, 1)
    assert f.loc[2025, "revenue_lost"] == 40.0 and f.loc[2025, "revenue_new"] == 0.0
    # stock reconciles: active(y) = retained + new + reactivated
    for y in (2024, 2025):
        assert (
            f.loc[y, "active"] == f.loc[y, "retained"] + f.loc[y, "new"] + f.loc[y, "reactivated"]
        )


def test_customer_flow_missing_year_column():
    with pytest.raises(KeyError):
        D.customer_flow(_table(), [2022, 2023])


def test_yearly_by_class_long():
    classes = pd.Series(["A", "B", "C", "D"], index=["a", "b", "c", "d"])
    yb = D.yearly_by_class(_table(), classes, [2023, 2024, 2025])
    assert list(yb.columns) == ["year", "class", "revenue", "customers", "revenue_share"]
    assert len(yb) == 12
    row = yb[(yb["year"] == 2025) & (yb["class"] == "B")].iloc[0]
    assert row["revenue"] == 0.0 and row["customers"] == 0
    row = yb[(yb["year"] == 2024) & (yb["class"] == "C")].iloc[0]
    assert row["revenue"] == 30.0 and row["customers"] == 1
    assert row["revenue_share"] == pytest.approx(30 / 190)
    assert yb.groupby("year")["revenue"].sum().tolist() == [160.0, 190.0, 170.0]
