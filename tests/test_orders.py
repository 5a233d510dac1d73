"""Order table, break-even order value, small orders, order sizes and frequency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.metrics import orders as O


def _lines() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.Categorical(["a", "a", "a", "b", "b", "c"]),
            "order_id": ["1", "1", "2", "3", None, "4"],
            "date": pd.to_datetime(
                ["2025-01-02", "2025-01-03", "2025-02-01", "2024-05-05", "2024-06-06", "2025-03-03"]
            ),
            "revenue": [100.0, 50.0, 20.0, 300.0, 10.0, -40.0],
            "margin": [30.0, np.nan, 5.0, 90.0, np.nan, -10.0],
            "channel": pd.Categorical(
                ["field_sales", "webshop", "webshop", "edi", "inside_sales", "webshop"]
            ),
            "year": np.array([2025, 2025, 2025, 2024, 2024, 2025], dtype="int16"),
        }
    )


def test_order_table_with_order_ids_and_fallback():
    lines = _lines()
    before = lines.copy()
    o = O.order_table(lines)
    pd.testing.assert_frame_equal(lines, before)
    assert list(o.columns) == [
        "customer_id",
        "order_id",
        "date",
        "year",
        "channel",
        "value",
        "margin",
        "lines",
    ]
    assert len(o) == 5
    first = o.iloc[0]
    assert (first["customer_id"], first["order_id"], first["value"], first["lines"]) == (
        "a",
        "1",
        150.0,
        2,
    )
    assert first["margin"] == 30.0  # NaN line margin ignored
    assert first["channel"] == "field_sales"  # first line's channel
    assert first["date"] == pd.Timestamp("2025-01-02") and first["year"] == 2025
    fallback = o[(o["customer_id"] == "b") & (o["order_id"] != "3")].iloc[0]
    assert fallback["order_id"] == "2024-06-06|inside_sales"
    assert np.isnan(fallback["margin"])
    assert o["value"].sum() == pytest.approx(lines["revenue"].sum())
    assert isinstance(o["customer_id"].dtype, pd.CategoricalDtype)


def test_order_table_without_order_id_groups_customer_date_channel():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a"],
            "date": pd.to_datetime(["2025-01-02", "2025-01-02", "2025-01-02", "2025-01-05"]),
            "revenue": [10.0, 20.0, 5.0, 7.0],
            "channel": ["edi", "edi", "webshop", "edi"],
        }
    )
    o = O.order_table(tx)
    assert o["value"].tolist() == [30.0, 5.0, 7.0]
    assert o["lines"].tolist() == [2, 1, 1]
    assert o["margin"].isna().all()


def test_break_even_order_value():
    assert O.break_even_order_value(20.0, 0.25) == 80.0
    with pytest.raises(ValueError):
        O.break_even_order_value(20.0, 25)


def test_orders_below_thresholds_ten_orders():
    orders = pd.DataFrame(
        {
            "value": [20.0, 40.0, 60.0, 90.0, 100.0, 150.0, 240.0, 300.0, 1000.0, -50.0],
            "channel": ["webshop"] * 4 + ["field_sales"] * 5 + ["webshop"],
        }
    )
    costs = {"webshop": 5.0, "field_sales": 40.0, "default": 20.0}
    r = O.orders_below_thresholds(orders, [250.0, 100.0], costs)
    # credit note (-50) left out: 9 orders, total value 2000, total cost 4·5 + 5·40 = 220
    assert r["threshold"].tolist() == [100.0, 250.0]
    # < 100: 20, 40, 60, 90 (value 210, cost 20)
    assert r.loc[0, "orders"] == 4
    assert r.loc[0, "orders_share"] == pytest.approx(4 / 9)
    assert r.loc[0, "revenue"] == pytest.approx(210.0)
    assert r.loc[0, "revenue_share"] == pytest.approx(210 / 2000)
    assert r.loc[0, "processing_cost"] == pytest.approx(20.0)
    assert r.loc[0, "processing_cost_share"] == pytest.approx(20 / 220)
    # < 250: + 100, 150, 240 (value 700, cost 20 + 120 = 140); 100 is not < 100
    assert r.loc[1, "orders"] == 7
    assert r.loc[1, "revenue"] == pytest.approx(700.0)
    assert r.loc[1, "processing_cost"] == pytest.approx(140.0)
    with_credit = O.orders_below_thresholds(orders, [100.0], costs, positive_only=False)
    assert with_credit.loc[0, "orders"] == 5


def test_order_sizes_and_frequency_by_class():
    orders = O.order_table(_lines())
    classes = pd.Series(["A", "C"], index=["a", "b"])  # c has no class
    sizes = O.order_sizes_by_class(orders, classes)
    assert list(sizes.columns) == ["customer_id", "class", "value"]
    assert sorted(sizes["class"].tolist()) == ["A", "A", "C", "C"]
    f = O.order_frequency(orders, classes, [2024, 2025])
    assert list(f.index) == ["A", "B", "C", "D"]
    # A: customer a, 2 orders (150, 20) in 2 years -> 1 order per customer-year
    assert f.loc["A", "orders"] == 2
    assert f.loc["A", "orders_per_customer_year"] == pytest.approx(1.0)
    assert f.loc["A", "median_order_value"] == pytest.approx(85.0)
    assert f.loc["C", "orders"] == 2 and f.loc["C", "mean_order_value"] == pytest.approx(155.0)
    assert f.loc["B", "customers"] == 0 and f.loc["B", "orders"] == 0
    only_2025 = O.order_frequency(orders, classes, [2025])
    assert only_2025.loc["C", "orders"] == 0 and only_2025.loc["C", "customers_ordering"] == 0
