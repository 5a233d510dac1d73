"""Tests of kk_helpers.metrics.customer_table.build_customer_table on a hand-checked client.

Customers K1..K4 (K4 without transactions), analysis years 2023-2025.

K1 (order ids; A1 has lines in two channels; 2025 has a credit note):
  2023 A1 02-01 field_sales 60 (m 20, P1) + inside_sales 40 (m 10, P2) -> 100, m 30
  2024 A2 03-05 webshop 110 (m 33, P1)                                  -> 110, m 33
  2025 A3 06-01 webshop 100 (m 30, P3), A5 06-01 webshop 30 (m 10, P3),
       A4 07-01 field_sales -9 (m -3, P3)                               -> 121, m 37
K2 (no order ids -> order = customer, date, channel):
  2024 04-10 inside_sales 50 (m 10, P1) + 30 (m 15, P1); 04-10 webshop 20 (m 5, NA) -> 100
  2025 01-15 inside_sales 200 (m 60, P2)                                 -> 200
K3 (reuses order number "A1" of K1; +50 and a -50 credit note, both field_sales, 2024)
Order processing: field_sales 40, webshop 5, default 20 (inside_sales).
Activities: visit = 60 min x 90/h; call = flat 10; quote = 60/h without standard minutes;
email has no rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, parse_config
from kk_helpers.metrics.customer_table import build_customer_table, customer_positions

YEARS = [2023, 2024, 2025]


def _config(**cost_rates: object) -> ClientConfig:
    rates = {
        "order_processing": {"field_sales": 40.0, "webshop": 5.0, "default": 20.0},
        "activities": {
            "visit": {"minutes": 60, "hourly_rate": 90},
            "call": {"cost": 10},
            "quote": {"hourly_rate": 60},
        },
    }
    rates.update(cost_rates)
    return parse_config(
        {
            "client": {"name": "Test"},
            "analysis": {"years": YEARS},
            "files": {"customers": {"path": "c.csv"}, "transactions": {"path": "t.csv"}},
            "cost_rates": rates,
        }
    )


def _customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.CUSTOMER_ID: pd.array(["K1", "K2", "K3", "K4"], dtype="str"),
            C.NAME: pd.array(["Alpha", "Beta", "Gamma", "Delta"], dtype="str"),
            C.REGION: ["N", "S", "S", "N"],
        },
        index=[100, 101, 102, 103],  # a non-default index must not leak into the result
    )


def _transactions() -> pd.DataFrame:
    rows = [
        # customer, date, revenue, margin, order_id, channel, product_group
        ("K1", "2023-02-01", 60.0, 20.0, "A1", "field_sales", "P1"),
        ("K1", "2023-02-01", 40.0, 10.0, "A1", "inside_sales", "P2"),
        ("K1", "2024-03-05", 110.0, 33.0, "A2", "webshop", "P1"),
        ("K1", "2025-06-01", 100.0, 30.0, "A3", "webshop", "P3"),
        ("K1", "2025-06-01", 30.0, 10.0, "A5", "webshop", "P3"),
        ("K1", "2025-07-01", -9.0, -3.0, "A4", "field_sales", "P3"),
        ("K2", "2024-04-10", 50.0, 10.0, None, "inside_sales", "P1"),
        ("K2", "2024-04-10", 30.0, 15.0, None, "inside_sales", "P1"),
        ("K2", "2024-04-10", 20.0, 5.0, None, "webshop", None),
        ("K2", "2025-01-15", 200.0, 60.0, None, "inside_sales", "P2"),
        ("K3", "2024-05-05", 50.0, 20.0, "A1", "field_sales", "P1"),
        ("K3", "2024-06-06", -50.0, -20.0, "C2", "field_sales", "P1"),
    ]
    cust, date, rev, margin, order, channel, pg = zip(*rows, strict=True)
    dates = pd.to_datetime(list(date))
    return pd.DataFrame(
        {
            C.CUSTOMER_ID: pd.Categorical(
                cust, categories=pd.Index(["K1", "K2", "K3", "K4"], dtype="str")
            ),
            C.DATE: dates.astype("datetime64[ns]"),
            C.REVENUE: list(rev),
            "year": dates.year.astype("int16"),
            C.ORDER_ID: pd.array(order, dtype="str"),
            C.MARGIN: list(margin),
            C.PRODUCT_GROUP: pd.Categorical(pg),
            C.CHANNEL: pd.Categorical(channel, categories=C.CHANNELS),
        }
    )


def _activities() -> pd.DataFrame:
    rows = [
        # customer, date, type, duration_min, own cost
        ("K1", "2023-03-01", "visit", 30.0, np.nan),  # 30 x 90/60 = 45
        ("K1", "2024-03-01", "visit", np.nan, np.nan),  # standard 60 min -> 90
        ("K1", "2025-03-01", "call", np.nan, 12.5),  # own cost
        ("K2", "2025-03-01", "call", np.nan, np.nan),  # flat 10
        ("K2", "2024-03-01", "email", 5.0, np.nan),  # no rate -> 0, unpriced
        ("K4", "2025-03-01", "quote", 45.0, np.nan),  # 45 x 60/60 = 45
        ("K2", "2025-04-01", "quote", np.nan, np.nan),  # no duration, no minutes -> 0
        ("K1", "2022-12-01", "visit", 60.0, np.nan),  # outside the analysis years
    ]
    cust, date, typ, dur, cost = zip(*rows, strict=True)
    dates = pd.to_datetime(list(date))
    return pd.DataFrame(
        {
            C.CUSTOMER_ID: pd.Categorical(cust),
            C.DATE: dates,
            C.ACTIVITY_TYPE: pd.Categorical(typ),
            C.DURATION_MIN: list(dur),
            C.ACTIVITY_COST: list(cost),
            "year": dates.year.astype("int16"),
        }
    )


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return build_customer_table(
        _customers(), _transactions(), _activities(), config=_config()
    ).set_index(C.CUSTOMER_ID, drop=False)


def _row(table: pd.DataFrame, cid: str) -> pd.Series:
    return table.loc[cid]


def test_shape_master_columns_and_order() -> None:
    out = build_customer_table(_customers(), _transactions(), _activities(), config=_config())
    assert len(out) == 4
    assert list(out.index) == [0, 1, 2, 3]
    assert out[C.CUSTOMER_ID].tolist() == ["K1", "K2", "K3", "K4"]
    assert list(out.columns[:3]) == [C.CUSTOMER_ID, C.NAME, C.REGION]
    assert out[C.NAME].tolist() == ["Alpha", "Beta", "Gamma", "Delta"]
    for metric in C.YEARLY_METRICS:
        for year in YEARS:
            assert C.year_col(metric, year) in out.columns
    for name in (C.REVENUE_TOTAL, C.MARGIN_TOTAL, C.ORDERS_TOTAL, C.LINES_TOTAL, C.CREDIT_NOTES,
                 C.AVG_ORDER_VALUE, C.FIRST_PURCHASE, C.LAST_PURCHASE, C.ACTIVE_YEARS,
                 C.PRODUCT_GROUPS_N, C.MAIN_CHANNEL, C.ORDER_COST, C.ACTIVITY_COST_TOTAL,
                 C.COST_TO_SERVE, C.ACTIVITIES_TOTAL, C.CM1, C.CM2, C.CM3, C.CM1_PCT, C.CAGR,
                 C.TREND_SLOPE, C.TREND, C.TREND_METHOD, C.HAS_TRANSACTIONS):  # fmt: skip
        assert name in out.columns, name
    assert out[C.ORDERS_TOTAL].dtype == np.int64
    assert out[C.LINES_TOTAL].dtype == np.int64
    assert out[C.REVENUE_TOTAL].dtype == np.float64


def test_inputs_not_mutated() -> None:
    cus, tx, act = _customers(), _transactions(), _activities()
    before = (cus.copy(), tx.copy(), act.copy())
    build_customer_table(cus, tx, act, config=_config())
    pd.testing.assert_frame_equal(cus, before[0])
    pd.testing.assert_frame_equal(tx, before[1])
    pd.testing.assert_frame_equal(act, before[2])


def test_revenue_margin_lines_per_year(table: pd.DataFrame) -> None:
    k1, k2, k3 = _row(table, "K1"), _row(table, "K2"), _row(table, "K3")
    assert [k1[f"revenue_{y}"] for y in YEARS] == pytest.approx([100.0, 110.0, 121.0])
    assert [k1[f"margin_{y}"] for y in YEARS] == pytest.approx([30.0, 33.0, 37.0])
    assert [k1[f"lines_{y}"] for y in YEARS] == [2, 1, 3]
    assert k1[C.REVENUE_TOTAL] == pytest.approx(331.0)
    assert k1[C.MARGIN_TOTAL] == pytest.approx(100.0)
    assert k1[C.LINES_TOTAL] == 6
    assert [k2[f"revenue_{y}"] for y in YEARS] == pytest.approx([0.0, 100.0, 200.0])
    assert k2[C.MARGIN_TOTAL] == pytest.approx(90.0)
    assert k3[C.REVENUE_TOTAL] == pytest.approx(0.0)
    assert k3[C.LINES_TOTAL] == 2


def test_orders_with_and_without_order_id(table: pd.DataFrame) -> None:
    k1, k2, k3 = _row(table, "K1"), _row(table, "K2"), _row(table, "K3")
    # K1 with ids: A1 | A2 | A3, A5, A4
    assert [k1[f"orders_{y}"] for y in YEARS] == [1, 1, 3]
    assert k1[C.ORDERS_TOTAL] == 5
    # K2 without ids: 2024 (04-10 inside_sales), (04-10 webshop); 2025 (01-15 inside_sales)
    assert [k2[f"orders_{y}"] for y in YEARS] == [0, 2, 1]
    # K3's "A1" is not K1's "A1"
    assert k3[C.ORDERS_TOTAL] == 2

    tx = _transactions().drop(columns=C.ORDER_ID)
    out = build_customer_table(_customers(), tx, _activities(), config=_config()).set_index(
        C.CUSTOMER_ID
    )
    # K1 without ids: 2023 field_sales / inside_sales split; 2025 06-01 webshop merged
    assert [out.loc["K1", f"orders_{y}"] for y in YEARS] == [2, 1, 2]
    assert out.loc["K1", C.AVG_ORDER_VALUE] == pytest.approx(331.0 / 5)
    # order cost: 40 + 20 | 5 | 5 + 40
    assert out.loc["K1", C.ORDER_COST] == pytest.approx(110.0)
    assert [out.loc["K2", f"orders_{y}"] for y in YEARS] == [0, 2, 1]


def test_average_order_value(table: pd.DataFrame) -> None:
    assert _row(table, "K1")[C.AVG_ORDER_VALUE] == pytest.approx(331.0 / 5)
    assert _row(table, "K2")[C.AVG_ORDER_VALUE] == pytest.approx(300.0 / 3)
    assert _row(table, "K3")[C.AVG_ORDER_VALUE] == pytest.approx(0.0)
    assert np.isnan(_row(table, "K4")[C.AVG_ORDER_VALUE])


def test_credit_notes_dates_active_years(table: pd.DataFrame) -> None:
    k1, k2, k3 = _row(table, "K1"), _row(table, "K2"), _row(table, "K3")
    assert (k1[C.CREDIT_NOTES], k2[C.CREDIT_NOTES], k3[C.CREDIT_NOTES]) == (1, 0, 1)
    # last purchase ignores the credit note of 2025-07-01
    assert k1[C.FIRST_PURCHASE] == pd.Timestamp("2023-02-01")
    assert k1[C.LAST_PURCHASE] == pd.Timestamp("2025-06-01")
    assert k2[C.FIRST_PURCHASE] == pd.Timestamp("2024-04-10")
    assert k2[C.LAST_PURCHASE] == pd.Timestamp("2025-01-15")
    assert k3[C.FIRST_PURCHASE] == k3[C.LAST_PURCHASE] == pd.Timestamp("2024-05-05")
    assert (k1[C.ACTIVE_YEARS], k2[C.ACTIVE_YEARS], k3[C.ACTIVE_YEARS]) == (3, 2, 1)
    assert pd.isna(_row(table, "K4")[C.FIRST_PURCHASE])
    assert table[C.FIRST_PURCHASE].dtype == np.dtype("datetime64[ns]")


def test_product_groups_and_main_channel(table: pd.DataFrame) -> None:
    assert table[C.PRODUCT_GROUPS_N].tolist() == [3, 2, 1, 0]
    # K1: webshop 240 > field_sales 51 > inside_sales 40; K2: inside_sales 280 > webshop 20;
    # K3: field_sales with net 0 is still its only channel
    main = table[C.MAIN_CHANNEL]
    assert main.iloc[:3].tolist() == ["webshop", "inside_sales", "field_sales"]
    assert pd.isna(main.iloc[3])


def test_cost_to_serve_and_cm_ladder(table: pd.DataFrame) -> None:
    k1, k2, k3, k4 = (_row(table, k) for k in ("K1", "K2", "K3", "K4"))
    # K1 orders: A1 first line field_sales 40, A2 5, A3 5, A5 5, A4 40
    assert k1[C.ORDER_COST] == pytest.approx(95.0)
    assert k1[C.ACTIVITY_COST_TOTAL] == pytest.approx(45.0 + 90.0 + 12.5)
    assert k1[C.COST_TO_SERVE] == pytest.approx(242.5)
    assert k1[C.CM1] == pytest.approx(100.0)
    assert k1[C.CM2] == pytest.approx(5.0)
    assert k1[C.CM3] == pytest.approx(-142.5)
    assert k1[C.CM1_PCT] == pytest.approx(100.0 / 331.0)
    assert [k1[f"cost_to_serve_{y}"] for y in YEARS] == pytest.approx([85.0, 95.0, 62.5])
    assert [k1[f"cm3_{y}"] for y in YEARS] == pytest.approx([-55.0, -62.0, -25.5])
    # CM II per year = CM I (30, 33, 37) - order cost (A1 40 | A2 5 | A3 5 + A5 5 + A4 40)
    assert [k1[f"cm2_{y}"] for y in YEARS] == pytest.approx([-10.0, 28.0, -13.0])
    assert sum(k1[f"cm2_{y}"] for y in YEARS) == pytest.approx(k1[C.CM2])
    # K2: orders inside 20 + webshop 5 | inside 20; activities call 10, email 0, quote 0
    assert k2[C.ORDER_COST] == pytest.approx(45.0)
    assert k2[C.ACTIVITY_COST_TOTAL] == pytest.approx(10.0)
    assert (k2[C.CM2], k2[C.CM3]) == pytest.approx((45.0, 35.0))
    # K3: two field_sales orders; revenue 0 -> cm1_pct NaN
    assert (k3[C.ORDER_COST], k3[C.CM3]) == pytest.approx((80.0, -80.0))
    assert np.isnan(k3[C.CM1_PCT])
    # K4: only a quote of 45 min x 60/h
    assert (k4[C.CM1], k4[C.CM2], k4[C.CM3]) == pytest.approx((0.0, 0.0, -45.0))
    assert k4[C.COST_TO_SERVE] == pytest.approx(45.0)


def test_activity_counts(table: pd.DataFrame) -> None:
    for t in C.ACTIVITY_TYPES:
        assert C.activity_count_col(t) in table.columns
    assert table[C.activity_count_col("visit")].tolist() == [2, 0, 0, 0]  # 2022 visit ignored
    assert table[C.activity_count_col("call")].tolist() == [1, 1, 0, 0]
    assert table[C.activity_count_col("email")].tolist() == [0, 1, 0, 0]
    assert table[C.activity_count_col("quote")].tolist() == [0, 1, 0, 1]
    assert table[C.ACTIVITIES_TOTAL].tolist() == [3, 3, 0, 1]
    assert table.attrs["unpriced_activity_types"] == ["email", "quote"]
    assert table.attrs["activities_ignored"] == 1


def test_trend_columns(table: pd.DataFrame) -> None:
    assert _row(table, "K1")[C.CAGR] == pytest.approx(0.10)
    assert _row(table, "K2")[C.TREND] == pytest.approx(1.0)  # (0, 100, 200)
    assert table[C.TREND_METHOD].tolist() == ["cagr", "slope", "none", "none"]


def test_customer_without_transactions(table: pd.DataFrame) -> None:
    assert table[C.HAS_TRANSACTIONS].tolist() == [True, True, True, False]
    k4 = _row(table, "K4")
    assert k4[C.REVENUE_TOTAL] == 0.0
    assert k4[C.MARGIN_TOTAL] == 0.0
    assert k4[C.ORDERS_TOTAL] == 0
    assert k4[C.LINES_TOTAL] == 0
    assert k4[C.ACTIVE_YEARS] == 0
    assert [k4[f"revenue_{y}"] for y in YEARS] == [0.0, 0.0, 0.0]


def test_no_margin_gives_nan_not_zero() -> None:
    tx = _transactions().drop(columns=C.MARGIN)
    out = build_customer_table(_customers(), tx, _activities(), config=_config())
    for col in [C.MARGIN_TOTAL, C.CM1, C.CM2, C.CM3, C.CM1_PCT, "margin_2024", "cm3_2025"]:
        assert out[col].isna().all(), col
    assert out[C.COST_TO_SERVE].tolist() == pytest.approx([242.5, 55.0, 80.0, 45.0])
    assert out.attrs["margin_available"] is False


def test_margin_from_cost_and_partly_missing_margin() -> None:
    tx = _transactions()
    tx_cost = tx.drop(columns=C.MARGIN).assign(**{C.COST: tx[C.REVENUE] - tx[C.MARGIN]})
    out = build_customer_table(_customers(), tx_cost, None, config=_config()).set_index(
        C.CUSTOMER_ID
    )
    assert out.loc["K1", C.MARGIN_TOTAL] == pytest.approx(100.0)

    # K2 margins unknown in 2024 only; K3 margins all unknown
    unknown = (tx[C.CUSTOMER_ID] == "K3") | (
        (tx[C.CUSTOMER_ID] == "K2") & (tx[C.DATE].dt.year == 2024)
    )
    tx_part = tx.assign(**{C.MARGIN: tx[C.MARGIN].where(~unknown)})
    out = build_customer_table(_customers(), tx_part, None, config=_config()).set_index(
        C.CUSTOMER_ID
    )
    assert np.isnan(out.loc["K2", "margin_2024"])
    assert out.loc["K2", "margin_2025"] == pytest.approx(60.0)
    assert out.loc["K2", C.MARGIN_TOTAL] == pytest.approx(60.0)
    assert np.isnan(out.loc["K3", C.MARGIN_TOTAL])
    assert out.loc["K4", C.MARGIN_TOTAL] == 0.0


def test_minimal_transactions_and_empty_activities() -> None:
    tx = _transactions()[[C.CUSTOMER_ID, C.DATE, C.REVENUE]]
    tx = tx.assign(**{C.CUSTOMER_ID: tx[C.CUSTOMER_ID].astype("str")})  # plain str ids, no year
    empty = _activities().iloc[0:0]
    out = build_customer_table(_customers(), tx, empty, config=_config()).set_index(C.CUSTOMER_ID)
    # orders by (customer, date) only: K1 02-01 | 03-05 | 06-01, 07-01
    assert [out.loc["K1", f"orders_{y}"] for y in YEARS] == [1, 1, 2]
    assert out.loc["K1", C.ORDER_COST] == pytest.approx(4 * 20.0)
    assert out[C.PRODUCT_GROUPS_N].isna().all()
    assert out[C.MAIN_CHANNEL].isna().all()
    assert out[C.ACTIVITIES_TOTAL].tolist() == [0, 0, 0, 0]
    assert out[C.MARGIN_TOTAL].isna().all()


def test_lines_of_unknown_customers_or_other_years_are_ignored() -> None:
    extra = pd.DataFrame(
        {
            C.CUSTOMER_ID: ["K9", "K1"],
            C.DATE: pd.to_datetime(["2024-01-01", "2022-12-31"]).astype("datetime64[ns]"),
            C.REVENUE: [999.0, 999.0],
            "year": pd.array([2024, 2022], dtype="int16"),
        }
    )
    tx = pd.concat([_transactions(), extra], ignore_index=True)
    tx[C.CUSTOMER_ID] = tx[C.CUSTOMER_ID].astype("category")
    out = build_customer_table(_customers(), tx, None, config=_config())
    assert out[C.REVENUE_TOTAL].tolist() == pytest.approx([331.0, 300.0, 0.0, 0.0])
    assert out.attrs["lines_ignored"] == 2


def test_customer_positions() -> None:
    master = pd.Index(["a", "b", "c"])
    cat = pd.Series(pd.Categorical(["c", "z", None, "a"]))
    assert customer_positions(cat, master).tolist() == [2, -1, -1, 0]
    assert customer_positions(pd.Series(["b", None, "b"], dtype="str"), master).tolist() == [
        1,
        -1,
        1,
    ]


def test_duplicate_master_ids_raise() -> None:
    cus = pd.DataFrame({C.CUSTOMER_ID: ["K1", "K1"]})
    with pytest.raises(ValueError, match="not unique"):
        build_customer_table(cus, _transactions(), None, config=_config())


def test_customer_table_for_client_matches() -> None:
    from types import SimpleNamespace

    from kk_helpers.metrics.customer_table import customer_table_for_client

    data = SimpleNamespace(
        customers=_customers(),
        transactions=_transactions(),
        activities=_activities(),
        config=_config(),
    )
    expected = build_customer_table(_customers(), _transactions(), _activities(), config=_config())
    pd.testing.assert_frame_equal(customer_table_for_client(data), expected)
