"""Tests for kk_helpers.input.parsing: numbers, dates and ids from raw values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kk_helpers.input.parsing import detect_decimal, parse_dates, parse_ids, parse_numbers

# --- detect_decimal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1.234,56", "12"], ","),
        (["12,5", None, ""], ","),
        (["1,234.56"], "."),
        (["12.5", "3"], "."),
        (["1.234.567"], ","),
        (["1,234,567"], "."),
        (["€ -1.234,00"], ","),
        (["1.234"], ","),  # ambiguous: thousands grouping assumed
        (["1,234"], "."),
        (["5", "17"], "."),
    ],
)
def test_detect_decimal(values: list[str | None], expected: str) -> None:
    assert detect_decimal(pd.Series(values)) == expected


def test_detect_decimal_numeric_and_object() -> None:
    assert detect_decimal(pd.Series([1.5, 2.0])) == "."
    assert detect_decimal(pd.Series([1.5, "2,5"], dtype=object)) == ","


# --- parse_numbers ---------------------------------------------------------------------------


def test_parse_numbers_decimal_comma() -> None:
    s = pd.Series(["1.234,56", "-12,5", "12,5-", "€ 1.234,00", "1 234,5", "1\u00a0234,5", "+3"])
    assert parse_numbers(s).tolist() == [1234.56, -12.5, -12.5, 1234.0, 1234.5, 1234.5, 3.0]
    assert parse_numbers(s, decimal=",", thousands=".").tolist() == parse_numbers(s).tolist()


def test_parse_numbers_decimal_point() -> None:
    s = pd.Series(["1,234.56", "-12.5", "12.50-", "$1,000", "1,234,567.8", "(7.25)", "3 EUR"])
    assert parse_numbers(s).tolist() == [1234.56, -12.5, -12.5, 1000.0, 1234567.8, -7.25, 3.0]


def test_parse_numbers_other_thousands() -> None:
    s = pd.Series(["1'234.50", "1 234.50", "12"])
    assert parse_numbers(s, decimal=".", thousands="'").tolist() == [1234.5, 1234.5, 12.0]
    assert parse_numbers(pd.Series(["1234,5"]), decimal=",", thousands="").tolist() == [1234.5]


def test_parse_numbers_unparseable_and_empty() -> None:
    s = pd.Series(
        ["12,5", "", None, "abc", "12.5", "1.23,4", "-", "5--", "(5"], index=list("abcdefghi")
    )
    out = parse_numbers(s, decimal=",")
    assert out.index.tolist() == list("abcdefghi")
    assert out.iloc[0] == 12.5
    assert out.iloc[1:].isna().all()  # "12.5" with decimal "," is not 125
    unparseable = s.notna() & out.isna()
    assert unparseable[unparseable].index.tolist() == list("bdefghi")


def test_parse_numbers_numeric_fast_path() -> None:
    s = pd.Series([1, 2, None], dtype="Int64", index=[10, 11, 12], name="x")
    out = parse_numbers(s)
    assert out.dtype == np.float64 and out.name == "x"
    assert out.index.tolist() == [10, 11, 12]
    assert out.iloc[:2].tolist() == [1.0, 2.0] and np.isnan(out.iloc[2])
    f = pd.Series([1.5, -2.0])
    pd.testing.assert_series_equal(parse_numbers(f), f)


def test_parse_numbers_excel_object_mixed() -> None:
    s = pd.Series([1234.5, 7, "1.234,50", None, dt.datetime(2024, 1, 1), " 3,5 "], dtype=object)
    before = s.copy()
    out = parse_numbers(s)
    assert out.iloc[[0, 1, 2, 5]].tolist() == [1234.5, 7.0, 1234.5, 3.5]
    assert out.iloc[[3, 4]].isna().all()
    pd.testing.assert_series_equal(s, before)  # not mutated


def test_parse_numbers_categorical_and_string_dtype() -> None:
    c = pd.Series(["1,5", "2,5", None, "1,5"], dtype="category")
    assert parse_numbers(c).tolist()[:2] == [1.5, 2.5] and parse_numbers(c).iloc[3] == 1.5
    assert np.isnan(parse_numbers(c).iloc[2])
    assert parse_numbers(pd.Series(["1,5", None], dtype="string")).iloc[0] == 1.5


def test_parse_numbers_does_not_mutate() -> None:
    s = pd.Series([" 1.234,5 ", "x"])
    before = s.copy()
    parse_numbers(s)
    pd.testing.assert_series_equal(s, before)


# --- parse_dates -----------------------------------------------------------------------------


def ts(*args: int) -> pd.Timestamp:
    return pd.Timestamp(*args)


def test_parse_dates_auto_formats() -> None:
    s = pd.Series(
        [
            "2024-03-01",
            "2024-03-01 10:15:00",
            "2024-03-01T10:15:00",
            "01.03.2024",
            "1.3.2024",
            " 01.03.2024 08:00 ",
            "31.02.2024",  # invalid day
            "03/01/2024",  # not accepted without fmt
            "",
            None,
            "soon",
        ],
        index=range(100, 111),
    )
    out = parse_dates(s)
    assert out.dtype == "datetime64[ns]"
    assert out.index.tolist() == list(range(100, 111))
    assert out.iloc[:6].tolist() == [ts(2024, 3, 1)] * 6
    assert out.iloc[6:].isna().all()


@pytest.mark.parametrize(
    ("values", "fmt", "expected"),
    [
        (["20240301", "20241301"], "%Y%m%d", [ts(2024, 3, 1), pd.NaT]),
        (["01/03/24", "1/3/24"], "%d/%m/%y", [ts(2024, 3, 1), ts(2024, 3, 1)]),
        (["2024-03-01", "01.03.2024"], "%d.%m.%Y", [pd.NaT, ts(2024, 3, 1)]),  # exactly fmt
    ],
)
def test_parse_dates_with_format(values: list[str], fmt: str, expected: list[object]) -> None:
    out = parse_dates(pd.Series(values), fmt=fmt)
    assert out.tolist() == expected or (
        [x for x in out.tolist() if not pd.isna(x)] == [x for x in expected if not pd.isna(x)]
        and out.isna().tolist() == [pd.isna(x) for x in expected]
    )


def test_parse_dates_integers_with_format() -> None:
    out = parse_dates(pd.Series([20240301, 20231231]), fmt="%Y%m%d")
    assert out.tolist() == [ts(2024, 3, 1), ts(2023, 12, 31)]
    assert parse_dates(pd.Series([20240301])).isna().all()  # numbers need a format


def test_parse_dates_objects_and_datetime64() -> None:
    s = pd.Series(
        [dt.datetime(2024, 3, 1, 13, 5), dt.date(2024, 3, 2), "03.03.2024", None], dtype=object
    )
    before = s.copy()
    assert parse_dates(s).tolist()[:3] == [ts(2024, 3, 1), ts(2024, 3, 2), ts(2024, 3, 3)]
    assert pd.isna(parse_dates(s).iloc[3])
    pd.testing.assert_series_equal(s, before)
    d = pd.Series(pd.to_datetime(["2024-03-01 10:00", None]).as_unit("us"), name="d")
    out = parse_dates(d)
    assert out.dtype == "datetime64[ns]" and out.name == "d"
    assert out.iloc[0] == ts(2024, 3, 1) and pd.isna(out.iloc[1])


def test_parse_dates_out_of_range_and_categorical() -> None:
    assert parse_dates(pd.Series(["31.12.9999", "9999-12-31"])).isna().all()
    c = pd.Series(["2024-03-01", "x", "2024-03-01"], dtype="category")
    assert parse_dates(c).isna().tolist() == [False, True, False]


# --- parse_ids -------------------------------------------------------------------------------


def test_parse_ids_text_and_numbers() -> None:
    s = pd.Series(
        [" 00123 ", 123, 123.0, 45.5, "", None, "A-7"], dtype=object, index=list("abcdefg")
    )
    before = s.copy()
    out = parse_ids(s)
    assert out.dtype == "str"
    assert out.index.tolist() == list("abcdefg")
    assert out.tolist()[:4] == ["00123", "123", "123", "45.5"]
    assert out.iloc[4:6].isna().all() and out.iloc[6] == "A-7"
    pd.testing.assert_series_equal(s, before)


def test_parse_ids_numeric_and_string_dtypes() -> None:
    assert parse_ids(pd.Series([1.0, np.nan, 20.0])).tolist()[::2] == ["1", "20"]
    assert parse_ids(pd.Series([7, 2**62 + 1])).tolist() == ["7", str(2**62 + 1)]
    assert parse_ids(pd.Series(["007", " 8"])).tolist() == ["007", "8"]
    c = parse_ids(pd.Series(["007", None, " 007 "], dtype="category"))
    assert c.dtype == "str" and c.iloc[0] == "007" and c.iloc[2] == "007" and pd.isna(c.iloc[1])


def test_excel_serial_dates() -> None:
    # issue 10, item 15: 44927 = 2023-01-01 (origin 1899-12-30); by hand 45292 = 2024-01-01
    text = parse_dates(pd.Series(["44927", "45292", "45292.75", "123"]))
    assert text.dt.strftime("%Y-%m-%d").tolist() == [
        "2023-01-01",
        "2024-01-01",
        "2024-01-01",
        np.nan,
    ]
    nums = parse_dates(pd.Series([44927, 45292]))
    assert nums.dt.strftime("%Y-%m-%d").tolist() == ["2023-01-01", "2024-01-01"]
    cells = parse_dates(pd.Series([44927.0, "02.01.2023"], dtype=object))
    assert cells.dt.strftime("%Y-%m-%d").tolist() == ["2023-01-01", "2023-01-02"]
    # with a format the digits are read by the format
    assert parse_dates(pd.Series([20240301]), fmt="%Y%m%d").iloc[0] == pd.Timestamp("2024-03-01")


def test_excel_serial_day_among_formatted_dates():
    """A cell that lost its date format in Excel (44927 = 2023-01-01, origin 1899-12-30)
    is read as that day even when the file's dates follow ``date_format``."""
    out = parse_dates(pd.Series(["15.03.2024", "44927", "31.02.2024"]), "%d.%m.%Y")
    assert out.iloc[0] == pd.Timestamp("2024-03-15")
    assert out.iloc[1] == pd.Timestamp("2023-01-01")
    assert pd.isna(out.iloc[2])  # a wrong date stays unreadable
