"""Tests of kk_helpers.metrics.trend.revenue_trend on hand-checked yearly revenue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core import columns as C
from kk_helpers.metrics.trend import revenue_trend

YEARS = [2023, 2024, 2025]


def _trend(rows: list[list[float]], years: list[int] = YEARS) -> pd.DataFrame:
    return revenue_trend(
        pd.DataFrame(rows, columns=years, index=[f"K{i}" for i in range(len(rows))])
    )


def test_cagr_100_to_121_over_three_years_is_ten_percent() -> None:
    out = _trend([[100.0, 105.0, 121.0]])
    assert out.loc["K0", C.CAGR] == pytest.approx(0.10)
    assert out.loc["K0", C.TREND] == pytest.approx(0.10)
    assert out.loc["K0", C.TREND_METHOD] == "cagr"
    # slope is reported too: slope of (100, 105, 121) = (121 - 100) / 2 = 10.5; mean 108.667
    assert out.loc["K0", C.TREND_SLOPE] == pytest.approx(10.5 / (326 / 3))


def test_zero_first_year_uses_relative_slope() -> None:
    # slope of (0, 100, 200) = 100 per year, mean 100 -> +100 % of mean per year
    out = _trend([[0.0, 100.0, 200.0]])
    assert np.isnan(out.loc["K0", C.CAGR])
    assert out.loc["K0", C.TREND_SLOPE] == pytest.approx(1.0)
    assert out.loc["K0", C.TREND] == pytest.approx(1.0)
    assert out.loc["K0", C.TREND_METHOD] == "slope"


def test_zero_last_year_uses_negative_slope() -> None:
    # (100, 50, 0): slope -50, mean 50 -> -1.0
    out = _trend([[100.0, 50.0, 0.0]])
    assert out.loc["K0", C.TREND] == pytest.approx(-1.0)
    assert out.loc["K0", C.TREND_METHOD] == "slope"


def test_gap_in_between_keeps_cagr() -> None:
    out = _trend([[100.0, 0.0, 121.0]])
    assert out.loc["K0", C.TREND] == pytest.approx(0.10)
    assert out.loc["K0", C.TREND_METHOD] == "cagr"


def test_none_cases() -> None:
    # all zero; net negative mean (credit notes); NaN only (treated as 0)
    out = _trend([[0.0, 0.0, 0.0], [0.0, -30.0, 10.0], [np.nan, np.nan, np.nan]])
    assert out[C.TREND_METHOD].tolist() == ["none", "none", "none"]
    assert out[C.TREND].isna().all()
    assert out[C.CAGR].isna().all()


def test_fewer_than_two_years_is_none() -> None:
    out = _trend([[100.0], [0.0]], years=[2025])
    assert out[C.TREND_METHOD].tolist() == ["none", "none"]
    assert out[C.TREND].isna().all()


def test_two_years_and_nan_as_zero() -> None:
    # 2 years: CAGR exponent 1 -> 80 -> 100 = +25 %; NaN first year counts as 0 -> slope
    out = _trend([[80.0, 100.0], [np.nan, 50.0]], years=[2024, 2025])
    assert out.loc["K0", C.TREND] == pytest.approx(0.25)
    # (0, 50): slope 50, mean 25 -> 2.0
    assert out.loc["K1", C.TREND] == pytest.approx(2.0)
    assert out.loc["K1", C.TREND_METHOD] == "slope"


def test_index_and_columns_and_input_unchanged() -> None:
    yearly = pd.DataFrame(
        {2023: [100.0, 5.0], 2024: [110.0, 5.0], 2025: [121.0, 5.0]}, index=["a", "b"]
    )
    before = yearly.copy()
    out = revenue_trend(yearly)
    pd.testing.assert_frame_equal(yearly, before)
    assert list(out.index) == ["a", "b"]
    assert list(out.columns) == [C.CAGR, C.TREND_SLOPE, C.TREND, C.TREND_METHOD]
    assert out.loc["b", C.TREND] == pytest.approx(0.0)
