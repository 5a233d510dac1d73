"""Tests of kk_helpers.metrics.cost_to_serve: activity cost precedence, order costs, CM ladder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core import columns as C
from kk_helpers.core.config import ActivityRate, CostRates
from kk_helpers.metrics.cost_to_serve import (
    activity_costs,
    channel_rates,
    cm_ladder,
    order_costs,
    unpriced_activity_types,
)

RATES = CostRates(
    activities={
        "visit": ActivityRate(
            minutes=60, hourly_rate=90, cost=500
        ),  # flat cost only as last resort
        "call": ActivityRate(cost=10),
        "quote": ActivityRate(hourly_rate=60),  # no standard minutes
    },
    order_processing={"field_sales": 40.0, "webshop": 5.0, "default": 20.0},
)


def _acts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.ACTIVITY_TYPE: pd.Categorical(
                ["visit", "visit", "visit", "call", "quote", "quote", "email", None]
            ),
            C.DURATION_MIN: [30.0, np.nan, 20.0, np.nan, 45.0, np.nan, 10.0, np.nan],
            C.ACTIVITY_COST: [np.nan, np.nan, 12.5, np.nan, np.nan, np.nan, np.nan, np.nan],
        },
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )


def test_activity_cost_precedence() -> None:
    acts = _acts()
    before = acts.copy()
    got = activity_costs(acts, RATES)
    expected = [
        45.0,  # visit, 30 min x 90/h
        90.0,  # visit, no duration: standard 60 min x 90/h (beats flat 500)
        12.5,  # own cost wins over duration
        10.0,  # call: flat cost
        45.0,  # quote, 45 min x 60/h
        0.0,  # quote without duration and without standard minutes: unpriced
        0.0,  # email: no rate
        0.0,  # missing type
    ]
    assert got.tolist() == pytest.approx(expected)
    assert list(got.index) == [10, 11, 12, 13, 14, 15, 16, 17]
    pd.testing.assert_frame_equal(acts, before)


def test_flat_cost_when_no_hourly_rate_even_with_duration() -> None:
    acts = pd.DataFrame({C.ACTIVITY_TYPE: ["call"], C.DURATION_MIN: [30.0]})
    assert activity_costs(acts, RATES.activities).tolist() == [10.0]


def test_unpriced_activity_types() -> None:
    assert unpriced_activity_types(_acts(), RATES) == ["<missing>", "email", "quote"]
    priced = pd.DataFrame({C.ACTIVITY_TYPE: ["visit", "call"]})
    assert unpriced_activity_types(priced, RATES) == []


def test_activity_costs_without_optional_columns_and_empty() -> None:
    acts = pd.DataFrame({C.ACTIVITY_TYPE: ["visit", "call", "email"]})
    assert activity_costs(acts, RATES).tolist() == [90.0, 10.0, 0.0]
    empty = pd.DataFrame({C.ACTIVITY_TYPE: pd.Series([], dtype="str")})
    assert activity_costs(empty, RATES).empty
    assert unpriced_activity_types(empty, RATES) == []


def test_order_costs_by_channel_with_default() -> None:
    orders = pd.DataFrame(
        {C.CHANNEL: pd.Categorical(["field_sales", "webshop", "edi", None], categories=C.CHANNELS)},
        index=[5, 6, 7, 8],
    )
    got = order_costs(orders, RATES.order_processing)
    assert got.tolist() == [40.0, 5.0, 20.0, 20.0]
    assert list(got.index) == [5, 6, 7, 8]
    # str channels, CostRates, Series input
    assert order_costs(pd.Series(["webshop", "dealer"]), RATES).tolist() == [5.0, 20.0]
    # no channel column: everything at the default; no default key: 0
    assert order_costs(pd.DataFrame({"x": [1, 2]}), RATES).tolist() == [20.0, 20.0]
    assert order_costs(pd.Series(["edi"]), {"webshop": 5.0}).tolist() == [0.0]


def test_channel_rates() -> None:
    assert channel_rates(["webshop", "edi", None, np.nan], RATES.order_processing).tolist() == [
        5.0,
        20.0,
        20.0,
        20.0,
    ]


def test_cm_ladder() -> None:
    out = cm_ladder(
        pd.Series([100.0, 50.0, np.nan], index=["a", "b", "c"]), 30.0, np.array([50.0, 0.0, 10.0])
    )
    assert list(out.index) == ["a", "b", "c"]
    assert out[C.CM2].tolist()[:2] == [70.0, 20.0]
    assert out[C.CM3].tolist()[:2] == [20.0, 20.0]
    assert np.isnan(out.loc["c", C.CM3])
    assert out[C.COST_TO_SERVE].tolist() == [80.0, 30.0, 40.0]
