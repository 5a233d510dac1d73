"""Vectorised parsing of raw values into numbers, dates and ids.

Raw tables (see :mod:`kk_helpers.input.readers`) hold values as found: text from CSV files,
mixed Python objects from Excel cells, native types from Parquet. The functions here
turn one column at a time into a clean typed Series with the **same index**:

* :func:`parse_numbers` -> ``float64`` (``"1.234,56"``, ``"12,5-"``, ``"€ 1.234,00"`` ...)
* :func:`parse_dates` -> ``datetime64[ns]`` at midnight (ISO, ``DD.MM.YYYY`` or a format)
* :func:`parse_ids` -> ``str`` (``123.0`` -> ``"123"``, ``"00123"`` stays)
* :func:`detect_decimal` -> ``","`` or ``"."``

Values that cannot be parsed become NaN/NaT/NA; the caller finds them as
``values.notna() & result.isna()``. The input Series is never changed. All work is
done with pandas/pyarrow string kernels on whole columns; category columns and date
columns are parsed once per distinct value.

>>> s = pd.Series(["1.234,56", "12,5-", "", None, "abc"])
>>> parse_numbers(s).tolist()
[1234.56, -12.5, nan, nan, nan]
>>> s.notna() & parse_numbers(s).isna()  # unparseable: "" counts as empty
0    False
1    False
2     True
3    False
4     True
dtype: bool
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as pdt

__all__ = ["detect_decimal", "parse_numbers", "parse_dates", "parse_ids"]

_SAMPLE = 20_000
_SPACES = "\u00a0\u202f\u2009\u2007 \t\r\n"
_NOISE = rf"[{_SPACES}€$£]|(?i:EUR|CHF|USD|GBP)"  # removed before parsing numbers
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_ISO_RE = rf"\d{{4}}-\d{{2}}-\d{{2}}{_TIME}"
_DMY_RE = rf"\d{{1,2}}\.\d{{1,2}}\.\d{{4}}{_TIME}"
_TS_MIN = pd.Timestamp.min.ceil("D")
_TS_MAX = pd.Timestamp.max.floor("D")


# --- helpers ---------------------------------------------------------------------------


def _str_mask(s: pd.Series) -> np.ndarray:
    """Positions of str elements in an object Series (vectorised via the .str accessor)."""
    try:
        return s.str.len().notna().to_numpy()
    except AttributeError:  # no strings at all
        return np.zeros(len(s), dtype=bool)


def _as_text(s: pd.Series) -> pd.Series:
    """A Series of str (pyarrow-backed ``str`` dtype), NaN for missing; index 0..n-1."""
    if isinstance(s.dtype, pd.StringDtype):
        s = s.reset_index(drop=True)
        return s if s.dtype == "str" else s.astype("str")
    return pd.Series(s.to_numpy(dtype=object), dtype="str")


def _is_plain_numeric(s: pd.Series) -> bool:
    return pdt.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype)


def _by_categories(values: pd.Series, func, fill) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Apply ``func`` to the categories of a categorical Series, expand by codes."""
    cats = pd.Series(values.cat.categories.to_numpy(dtype=object), dtype=object)
    parsed = np.asarray(func(cats))
    codes = values.cat.codes.to_numpy()
    out = parsed[np.where(codes < 0, 0, codes)] if len(parsed) else np.full(len(codes), fill)
    if (codes < 0).any():
        out = out.copy()
        out[codes < 0] = fill
    return out


# --- decimal mark ----------------------------------------------------------------------


def detect_decimal(values: pd.Series) -> str:
    """The decimal mark of text numbers: ``","`` or ``"."``.

    Input: a Series of number texts (str/object/category; numbers are ignored in
    object columns). Looks at up to 20,000 non-empty values. Output: ``","`` or
    ``"."``. Rules per value: with both marks the last one is the decimal mark
    (``"1.234,56"`` -> ``,``); one mark not followed by exactly three digits is the
    decimal mark (``"12,5"`` -> ``,``); a mark used twice is a thousands separator
    (``"1,234,567"`` -> ``.``). Values like ``"1.234"`` are ambiguous and only decide
    when nothing else does (``"1.234"`` -> ``,``, ``"1,234"`` -> ``.``). Numeric
    dtype or no decision -> ``"."``.

    >>> detect_decimal(pd.Series(["1.234,56", "12,5", None]))
    ','
    >>> detect_decimal(pd.Series(["1,234.56", "12.5"]))
    '.'
    >>> detect_decimal(pd.Series([12.5]))
    '.'
    """
    if _is_plain_numeric(values) or pdt.is_datetime64_any_dtype(values.dtype):
        return "."
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = pd.Series(values.cat.categories.to_numpy(dtype=object), dtype=object)
    s = values.head(_SAMPLE * 5).dropna()
    if len(s) < min(values.count(), _SAMPLE):
        s = values.dropna().head(_SAMPLE)
    if s.dtype == object:
        s = s[_str_mask(s)]
    s = _as_text(s.head(_SAMPLE)).str.replace(r"[^0-9.,]", "", regex=True)
    if not len(s):
        return "."
    n_comma = s.str.count(",")
    n_dot = s.str.count(r"\.")
    both = (n_comma > 0) & (n_dot > 0)
    comma_last = s.str.rfind(",") > s.str.rfind(".")
    comma_group = s.str.fullmatch(r"\d{1,3}(,\d{3})+")
    dot_group = s.str.fullmatch(r"\d{1,3}(\.\d{3})+")
    only_comma = (n_comma > 0) & (n_dot == 0)
    only_dot = (n_dot > 0) & (n_comma == 0)
    votes_comma = (
        (both & comma_last)
        | (only_comma & (n_comma == 1) & ~comma_group)
        | (only_dot & (n_dot > 1))
    ).sum()
    votes_dot = (
        (both & ~comma_last) | (only_dot & (n_dot == 1) & ~dot_group) | (only_comma & (n_comma > 1))
    ).sum()
    if votes_comma != votes_dot:
        return "," if votes_comma > votes_dot else "."
    amb_dot = (only_dot & dot_group).sum()
    amb_comma = (only_comma & comma_group).sum()
    return "," if amb_dot > amb_comma else "."


# --- numbers ---------------------------------------------------------------------------


def _replace_if_any(s: pd.Series, pat: str, repl: str, regex: bool) -> pd.Series:
    """``s.str.replace`` skipped when no value contains ``pat``."""
    if s.str.contains(pat, regex=regex).fillna(False).any():
        return s.str.replace(pat, repl, regex=regex)
    return s


def _parse_number_text(s: pd.Series, decimal: str | None, thousands: str | None) -> np.ndarray:
    """Parse a ``str`` Series (index 0..n-1) to a float64 array."""
    if decimal is None:
        decimal = detect_decimal(s)
    if thousands is None:
        thousands = "." if decimal == "," else ","
    # each replace runs only when needed: a contains() scan is much cheaper than a rewrite
    t = _replace_if_any(s, _NOISE, "", regex=True)
    t = _replace_if_any(t, "\u2212", "-", regex=False)
    if thousands in (" ", "'", "\u2019"):
        thousands = ""
    lead_minus = t.str.startswith("-")
    lead_plus = t.str.startswith("+")
    trail_minus = t.str.endswith("-")
    opens = t.str.startswith("(")
    closes = t.str.endswith(")")
    paren = opens & closes
    bad_sign = ((lead_minus | lead_plus | paren) & trail_minus) | (opens != closes)
    core = t.str.replace(r"^[(+-]|[)-]$", "", regex=True)
    d = re.escape(decimal)
    # an apostrophe is never a decimal mark: always a thousands separator (Swiss exports)
    groups = r"|\d{1,3}(?:['\u2019]\d{3})+"
    int_part = (
        rf"(?:\d+|\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+{groups})"
        if thousands
        else rf"(?:\d+{groups})"
    )
    ok = core.str.fullmatch(rf"(?:{int_part}(?:{d}\d*)?|{d}\d+)(?:[eE][+-]?\d+)?") & ~bad_sign
    if thousands:
        core = _replace_if_any(core, thousands, "", regex=False)
    core = _replace_if_any(core, "['\u2019]", "", regex=True)
    if decimal != ".":
        core = _replace_if_any(core, decimal, ".", regex=False)
    ok_arr = ok.fillna(False).to_numpy(dtype=bool)
    valid = core.where(ok_arr)
    try:  # validated text: the pyarrow cast is ~20x faster than pd.to_numeric
        num = np.asarray(
            pc.cast(pa.array(valid.array), pa.float64()).to_numpy(zero_copy_only=False)
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
        num = pd.to_numeric(valid, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    neg = (lead_minus | trail_minus | paren).fillna(False).to_numpy(dtype=bool)
    return np.where(neg, -num, num)


def parse_numbers(
    values: pd.Series, decimal: str | None = None, thousands: str | None = None
) -> pd.Series:
    """Parse numbers written in any usual way; return float64 with the same index.

    Inputs:
        values: str/object/category/numeric Series. Text may carry a currency
            (``€ EUR $ £ CHF USD GBP``), spaces incl. non-breaking ones, a leading
            ``+``/``-``, a trailing ``-`` (SAP) or parentheses for negatives, thousands
            separators (checked to group by three: with decimal ``","``, ``"12.5"`` is
            unparseable, not 125).
        decimal: ``","`` or ``"."``; None -> :func:`detect_decimal` on the text values.
        thousands: separator; None -> the other mark; ``""`` -> none. Apostrophes
            (``4'295.33``, ``5’603.74``) are always read as thousands separators
            (grouped by three); an apostrophe is never a decimal mark.

    Output: float64 Series (same index and name); NaN where empty or unparseable.
    Numeric input passes through as float64; in object columns (Excel) numbers are
    taken as they are and only the text cells are parsed.

    >>> raw = pd.Series(["1.234,56", "-12,5", "12,5-", "€ 1.234,00", "1 234,5", "+3"])
    >>> parse_numbers(raw).tolist()
    [1234.56, -12.5, -12.5, 1234.0, 1234.5, 3.0]
    >>> parse_numbers(pd.Series(["1,234.56", "(7.5)", "x"]), decimal=".").tolist()
    [1234.56, -7.5, nan]
    """
    index, name = values.index, values.name
    is_bool = pdt.is_bool_dtype(values.dtype) and not isinstance(values.dtype, pd.CategoricalDtype)
    if is_bool or _is_plain_numeric(values):
        out = values.to_numpy(dtype="float64", na_value=np.nan)
    elif pdt.is_datetime64_any_dtype(values.dtype) or isinstance(values.dtype, pd.PeriodDtype):
        out = np.full(len(values), np.nan)
    elif isinstance(values.dtype, pd.CategoricalDtype):
        if decimal is None:
            decimal = detect_decimal(values)
        out = _by_categories(
            values, lambda c: parse_numbers(c, decimal, thousands).to_numpy(), np.nan
        ).astype("float64")
    elif values.dtype == object:
        s = values.reset_index(drop=True)
        is_str = _str_mask(s)
        out = np.full(len(s), np.nan)
        if (~is_str).any():
            other = s[~is_str]
            out[~is_str] = pd.to_numeric(other.where(~other.map(type).eq(bool)), errors="coerce")
        if is_str.any():
            out[is_str] = _parse_number_text(_as_text(s[is_str]), decimal, thousands)
    else:
        out = _parse_number_text(_as_text(values), decimal, thousands)
    return pd.Series(out, index=index, name=name, dtype="float64")


# --- dates -----------------------------------------------------------------------------


def _to_ns(parsed: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """datetime-like -> datetime64[ns] array at midnight; out-of-range (e.g. 9999-12-31) -> NaT."""
    if isinstance(parsed.dtype, np.dtype) and parsed.dtype.kind == "M":  # no time zone
        return _naive_to_ns(np.asarray(parsed))
    s = pd.Series(parsed)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    s = s.where((s >= _TS_MIN) & (s <= _TS_MAX))
    return s.dt.normalize().to_numpy(dtype="datetime64[ns]")


_DAY_NS = 86_400_000_000_000
_DAY_MIN = np.datetime64(_TS_MIN.date(), "D")
_DAY_MAX = np.datetime64(_TS_MAX.date(), "D")


_TICKS_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": _DAY_NS}


def _naive_to_ns(a: np.ndarray) -> np.ndarray:
    """:func:`_to_ns` of a datetime64 array without time zone, in integer arithmetic
    (a typed Parquet date column of 10 million lines: a fraction of the pandas way)."""
    ok = (a >= _DAY_MIN) & (a <= _DAY_MAX)  # NaT compares False
    unit, count = np.datetime_data(a.dtype)
    if unit not in _TICKS_PER_DAY or count != 1:
        days = a.astype("datetime64[D]")  # floors the time of day (also before 1970)
        return np.where(ok, days, np.datetime64("NaT", "D")).astype("datetime64[ns]")
    days = a.view(np.int64) // _TICKS_PER_DAY[unit]  # floor: also before 1970
    ns = np.multiply(days, _DAY_NS, out=days)  # in range where ok: no overflow
    return np.where(ok, ns, np.iinfo(np.int64).min).view("datetime64[ns]")


#: Excel serial day numbers read as dates when no format is set: 1954-10-03 .. 2119-01-08
_SERIAL_RANGE = (20_000, 80_000)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")


def _serial_dates(nums: np.ndarray) -> np.ndarray:
    """Excel serial day numbers (``44927`` = 2023-01-01, origin 1899-12-30) -> datetime64[ns].

    Values outside :data:`_SERIAL_RANGE` -> NaT; a fraction (time of day) is dropped.
    """
    f = np.asarray(nums, dtype="float64")
    ok = np.isfinite(f) & (f >= _SERIAL_RANGE[0]) & (f < _SERIAL_RANGE[1])
    days = np.where(ok, np.floor(np.where(ok, f, 0)), 0).astype("int64")
    out = _EXCEL_EPOCH + days.astype("timedelta64[D]")
    return np.where(ok, out, np.datetime64("NaT")).astype("datetime64[ns]")


def _parse_date_text(s: pd.Series, fmt: str | None) -> np.ndarray:
    """Parse a ``str`` Series to datetime64[ns]; each distinct value is parsed once."""
    codes, uniques = pd.factorize(s)
    u = pd.Series(uniques, dtype="str").str.strip()
    if fmt:
        parsed = _to_ns(pd.to_datetime(u, format=fmt, errors="coerce"))
        # an Excel day number among formatted dates (a cell that lost its date format)
        serial = np.isnat(parsed) & u.str.fullmatch(r"\d{5}(?:[.,]\d+)?").fillna(False).to_numpy(
            dtype=bool
        )
        if serial.any():
            nums = pd.to_numeric(u[serial].str.replace(",", "."), errors="coerce")
            parsed[serial] = _serial_dates(nums.to_numpy(dtype="float64", na_value=np.nan))
    else:
        parsed = np.full(len(u), np.datetime64("NaT"), dtype="datetime64[ns]")
        iso = u.str.fullmatch(_ISO_RE).fillna(False).to_numpy(dtype=bool)
        dmy = u.str.fullmatch(_DMY_RE).fillna(False).to_numpy(dtype=bool)
        day = u.str.replace(r"[ T].*$", "", regex=True).str.replace(
            r"(Z|[+-]\d{2}:?\d{2})$", "", regex=True
        )
        if iso.any():
            parsed[iso] = _to_ns(pd.to_datetime(day[iso], format="%Y-%m-%d", errors="coerce"))
        if dmy.any():
            parsed[dmy] = _to_ns(pd.to_datetime(day[dmy], format="%d.%m.%Y", errors="coerce"))
        serial = u.str.fullmatch(r"\d{5}(?:[.,]\d+)?").fillna(False).to_numpy(dtype=bool)
        if serial.any():  # Excel day numbers saved as text (a CSV written from Excel)
            nums = pd.to_numeric(u[serial].str.replace(",", "."), errors="coerce")
            parsed[serial] = _serial_dates(nums.to_numpy(dtype="float64", na_value=np.nan))
    out = (
        parsed[np.where(codes < 0, 0, codes)]
        if len(parsed)
        else np.full(len(codes), np.datetime64("NaT"), "datetime64[ns]")
    )
    if (codes < 0).any():
        out[codes < 0] = np.datetime64("NaT")
    return out


def _integers_as_text(nums: pd.Series) -> pd.Series:
    """Whole numbers -> their digits as str (20240301.0 -> "20240301"); others -> NaN."""
    f = pd.Series(nums.to_numpy(dtype="float64", na_value=np.nan))
    whole = np.isfinite(f) & (f == np.floor(f)) & (f.abs() < 2**53)
    out = pd.Series(np.nan, index=f.index, dtype="str")
    if whole.any():
        out[whole] = f[whole].astype("int64").astype("str")
    return out


def parse_dates(values: pd.Series, fmt: str | None = None) -> pd.Series:
    """Parse dates; return datetime64[ns] at midnight with the same index.

    Inputs:
        values: str/object/category/datetime Series (Excel cells may mix datetime
            objects and text; numbers are read as text of their digits, so
            ``20240301`` works with ``fmt="%Y%m%d"``).
        fmt: strftime format used exactly (``"%Y%m%d"``, ``"%d/%m/%y"``); None ->
            ISO (``2024-03-01``, optional time with space or ``T``), ``DD.MM.YYYY``
            / ``D.M.YYYY`` (optional time), or an Excel serial day number between
            20000 and 80000 (``44927`` = 2023-01-01, origin 1899-12-30), as number
            or text.

    Output: datetime64[ns] Series (same index and name), time of day dropped;
    NaT where empty, unparseable or outside 1677–2262 (e.g. ``31.12.9999``).

    >>> raw = pd.Series(["2024-03-01", "1.3.2024", "2024-03-01T10:00", "31.02.2024", ""])
    >>> parse_dates(raw).dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-01', '2024-03-01', '2024-03-01', nan, nan]
    >>> parse_dates(pd.Series(["20240301"]), fmt="%Y%m%d").iloc[0]
    Timestamp('2024-03-01 00:00:00')
    """
    index, name = values.index, values.name
    n = len(values)
    if pdt.is_datetime64_any_dtype(values.dtype):
        out = _to_ns(values.reset_index(drop=True))
    elif isinstance(values.dtype, pd.CategoricalDtype):
        out = _by_categories(values, lambda c: parse_dates(c, fmt).to_numpy(), np.datetime64("NaT"))
    elif _is_plain_numeric(values):
        out = (
            _parse_date_text(_integers_as_text(values), fmt)
            if fmt
            else _serial_dates(values.to_numpy(dtype="float64", na_value=np.nan))
        )
    elif values.dtype == object:
        s = values.reset_index(drop=True)
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        is_str = _str_mask(s)
        if is_str.any():
            out[is_str] = _parse_date_text(_as_text(s[is_str]), fmt)
        rest = ~is_str & s.notna().to_numpy()
        if rest.any():
            other = s[rest]
            nums = pd.to_numeric(other.where(~other.map(type).eq(bool)), errors="coerce")
            is_num = nums.notna().to_numpy()
            idx = np.flatnonzero(rest)
            if is_num.any() and fmt:
                out[idx[is_num]] = _parse_date_text(_integers_as_text(nums[is_num]), fmt)
            elif is_num.any():  # Excel cells holding a day number without date format
                out[idx[is_num]] = _serial_dates(nums[is_num].to_numpy(dtype="float64"))
            if (~is_num).any():
                dt = pd.to_datetime(other[~is_num], errors="coerce", utc=False, format="mixed")
                out[idx[~is_num]] = _to_ns(dt)
    else:
        out = _parse_date_text(_as_text(values), fmt)
    return pd.Series(out, index=index, name=name, dtype="datetime64[ns]")


# --- ids -------------------------------------------------------------------------------


def _number_ids(nums: pd.Series) -> np.ndarray:
    """Numbers -> id text: whole numbers without ``.0``; others as written by str()."""
    f = pd.Series(nums.to_numpy(dtype="float64", na_value=np.nan))
    out = _integers_as_text(f).to_numpy(dtype=object)
    rest = (np.isfinite(f) & pd.isna(out)).to_numpy()
    if rest.any():
        out[rest] = f[rest].astype("str").to_numpy(dtype=object)
    return out


def parse_ids(values: pd.Series) -> pd.Series:
    """Normalise ids to text; return a ``str`` Series with the same index.

    Input: str/object/category/numeric Series. Text is stripped of surrounding
    whitespace and kept otherwise (``"00123"`` stays ``"00123"``); numbers (Excel
    cells, Parquet ints/floats) become their digits (``123``/``123.0`` -> ``"123"``).
    Empty -> NA.

    >>> parse_ids(pd.Series([" 00123 ", 123.0, 456, "", None], dtype=object)).tolist()
    ['00123', '123', '456', nan, nan]
    """
    index, name = values.index, values.name
    if isinstance(values.dtype, pd.CategoricalDtype):
        out = _by_categories(values, lambda c: parse_ids(c).to_numpy(dtype=object), np.nan)
    elif pdt.is_bool_dtype(values.dtype):
        out = values.astype("str").to_numpy(dtype=object)
    elif pdt.is_integer_dtype(values.dtype):  # exact, also beyond 2**53
        out = values.to_numpy(dtype=object)
    elif _is_plain_numeric(values):
        out = _number_ids(values)
    elif values.dtype == object:
        s = values.reset_index(drop=True)
        is_str = _str_mask(s)
        out = np.full(len(s), np.nan, dtype=object)
        if is_str.any():
            out[is_str] = _as_text(s[is_str]).str.strip().to_numpy(dtype=object)
        rest = ~is_str & s.notna().to_numpy()
        if rest.any():
            other = s[rest]
            nums = pd.to_numeric(other.where(~other.map(type).eq(bool)), errors="coerce")
            is_num = nums.notna().to_numpy()
            idx = np.flatnonzero(rest)
            if is_num.any():
                out[idx[is_num]] = _number_ids(nums[is_num])
            if (~is_num).any():
                out[idx[~is_num]] = other[~is_num].astype("str").str.strip().to_numpy(dtype=object)
    else:
        out = _as_text(values).str.strip().to_numpy(dtype=object)
    result = pd.Series(out, index=index, name=name, dtype="str")
    return result.mask(result == "")
