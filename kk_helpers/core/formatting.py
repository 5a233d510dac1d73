"""Number display for the workbook: money, numbers and percentages in German or English.

This module is the one place that turns numbers into text. Tables, findings and
figure axes all use it, so "1.234.567 €" (de) and "€1,234,567" (en) look the same
everywhere.

* :func:`format_money`, :func:`format_number`, :func:`format_pct` format one value.
* :func:`format_compact` gives the short form used on figure axes ("1,2 Mio. €", "€1.2M").
* :func:`money_formatter`, :func:`number_formatter`, :func:`pct_formatter` are matplotlib
  tick formatters; on a linear axis all ticks share one unit and one number of decimals.
* :func:`style_table` returns a pandas ``Styler`` that shows a table with these formats.

Missing values (None, NaN, NA, ±inf) are shown as an en dash ("–").
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter
from pandas.io.formats.style import Styler

from kk_helpers.core import columns as C
from kk_helpers.core.i18n import check_language, label, t
from kk_helpers.core.safe_text import html_text

#: Shown for missing or non-finite values.
MISSING = C.MISSING_VALUE

#: Currency symbols; other ISO codes are shown as the code itself ("SEK").
CURRENCY_SYMBOLS: dict[str, str] = {
    "EUR": "€",
    "USD": "$",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "CHF": "CHF",
}

# Compact units: (divisor, translation key of the suffix), largest first.
_UNITS: tuple[tuple[float, str], ...] = (
    (1e9, "fmt.billion"),
    (1e6, "fmt.million"),
    (1e3, "fmt.thousand"),
)
# Values below this (in absolute terms) are never shortened ("9.500 €", not "9,5 Tsd. €").
_COMPACT_FROM = 1e4


# --- helpers ---------------------------------------------------------------------------


def _to_float(x: Any) -> float | None:
    """``x`` as a finite float, or None for missing / non-finite / non-numeric values."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, bool | np.bool_):
        return float(x)
    if not isinstance(x, numbers.Real):
        return None
    value = float(x)
    return value if math.isfinite(value) else None


def _digits(value: float, lang: str, decimals: int) -> str:
    """``abs(value)`` with grouping and decimal mark of ``lang`` (no sign).

    Rounds half away from zero as people do (1.234,5 -> 1.235), on the shortest decimal
    representation of the float (2.675 -> 2.68).
    """
    exact = Decimal(repr(abs(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _sign(value: float, text: str, signed: bool) -> str:
    """Sign for a formatted absolute value; no sign for a value that rounds to zero."""
    if not any(ch in "123456789" for ch in text):
        return ""
    if value < 0:
        return "-"
    return "+" if signed else ""


def _check_decimals(decimals: int) -> int:
    if not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ValueError(f"decimals must be an integer >= 0, got {decimals!r}")
    return int(decimals)


def currency_symbol(currency: str) -> str:
    """The display symbol of an ISO currency code: ``"EUR"`` -> ``"€"``.

    Unknown codes are returned unchanged (upper case), so any currency can be shown.

    >>> currency_symbol("EUR"), currency_symbol("chf"), currency_symbol("SEK")
    ('€', 'CHF', 'SEK')
    """
    code = str(currency).strip().upper()
    return CURRENCY_SYMBOLS.get(code, code)


def _attach_currency(number: str, sign: str, lang: str, currency: str) -> str:
    """Put sign, number and currency symbol together in the order of ``lang``."""
    symbol = currency_symbol(currency)
    if lang == "de":
        return f"{sign}{number} {symbol}"
    # English: symbol before the number; letter codes are separated by a space.
    gap = " " if symbol[-1:].isalpha() else ""
    return f"{sign}{symbol}{gap}{number}"


# --- single values ---------------------------------------------------------------------


def format_number(x: Any, lang: str, *, decimals: int = 0, signed: bool = False) -> str:
    """A number with thousands separators: de ``"1.234.567,5"``, en ``"1,234,567.5"``.

    Args:
        x: the value; missing or non-finite values give ``"–"``.
        lang: ``"de"`` or ``"en"``.
        decimals: digits after the decimal mark.
        signed: show ``+`` for positive values (for changes).
    """
    check_language(lang)
    decimals = _check_decimals(decimals)
    value = _to_float(x)
    if value is None:
        return MISSING
    text = _digits(value, lang, decimals)
    return _sign(value, text, signed) + text


def format_money(
    x: Any, lang: str, currency: str = "EUR", *, decimals: int = 0, signed: bool = False
) -> str:
    """A money amount: de ``"1.234.567 €"``, en ``"€1,234,567"``; negative ``"-1.234 €"`` /
    ``"-€1,234"``; missing ``"–"``.

    Args:
        x: the amount.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code; see :func:`currency_symbol`.
        decimals: digits after the decimal mark.
        signed: show ``+`` for positive amounts (for changes).
    """
    check_language(lang)
    decimals = _check_decimals(decimals)
    value = _to_float(x)
    if value is None:
        return MISSING
    text = _digits(value, lang, decimals)
    return _attach_currency(text, _sign(value, text, signed), lang, currency)


def _is_year_column(name: Any, values: pd.Series) -> bool:
    """A column of calendar years (named "year"/"Jahr", values 1900-2200): shown without
    thousands separators."""
    text = str(name).lower()
    if "year" not in text and "jahr" not in text:
        return False
    v = values.dropna()
    return bool(len(v)) and bool(((v >= 1900) & (v <= 2200)).all())


def format_date(d: Any, lang: str) -> str:
    """A date as the report language writes it.

    >>> import datetime as dt
    >>> format_date(dt.date(2026, 11, 29), "de"), format_date(dt.date(2026, 11, 29), "en")
    ('29.11.2026', '29 Nov 2026')
    """
    check_language(lang)
    return d.strftime("%d.%m.%Y") if lang == "de" else d.strftime("%d %b %Y").lstrip("0")


def format_pct(x: Any, lang: str, *, decimals: int = 0, signed: bool = False) -> str:
    """A share (0–1) as a percentage: de ``"62 %"``, en ``"62%"``.

    Args:
        x: the share; 0.62 is shown as 62 %.
        lang: ``"de"`` or ``"en"``.
        decimals: digits after the decimal mark of the percentage.
        signed: show ``+`` for positive values (for changes, e.g. growth rates).
    """
    check_language(lang)
    decimals = _check_decimals(decimals)
    value = _to_float(x)
    if value is None:
        return MISSING
    value *= 100.0
    text = _digits(value, lang, decimals)
    gap = " " if lang == "de" else ""
    return f"{_sign(value, text, signed)}{text}{gap}%"


def _compact_unit(magnitude: float) -> tuple[float, str | None]:
    """Divisor and suffix key for numbers of this size (``(1, None)`` below 10,000)."""
    if magnitude < _COMPACT_FROM:
        return 1.0, None
    for divisor, key in _UNITS:
        if magnitude >= divisor:
            return divisor, key
    return 1.0, None  # pragma: no cover - _COMPACT_FROM >= smallest unit


def _compact_text(
    value: float, lang: str, currency: str | None, divisor: float, key: str | None, decimals: int
) -> str:
    """``value`` in the given unit, with suffix and currency (zero without unit)."""
    if value == 0:
        divisor, key, decimals = 1.0, None, 0
    scaled = value / divisor
    number = _digits(scaled, lang, decimals)
    sign = _sign(scaled, number, False)
    if key is not None:
        suffix = t(key, lang)
        # de: "1,2 Mio." / en: "1.2M", "250k"
        number = f"{number} {suffix}" if lang == "de" else f"{number}{suffix}"
    if currency is None:
        return sign + number
    return _attach_currency(number, sign, lang, currency)


def format_compact(
    x: Any, lang: str, *, currency: str | None = None, decimals: int | None = None
) -> str:
    """A short form for large numbers: de ``"1,2 Mio. €"``, ``"250 Tsd. €"``; en ``"€1.2M"``,
    ``"€250k"``. Numbers below 10,000 are shown in full (``"9.500 €"``).

    Args:
        x: the value.
        lang: ``"de"`` or ``"en"``.
        currency: ISO code for money, None for a plain number.
        decimals: digits after the decimal mark; default one digit below 10 units
            (``"1,2 Mio."``), none above (``"12 Mio."``, ``"250 Tsd."``).
    """
    check_language(lang)
    value = _to_float(x)
    if value is None:
        return MISSING
    divisor, key = _compact_unit(abs(value))
    if decimals is None:
        decimals = 1 if key is not None and abs(value) / divisor < 9.95 else 0
    decimals = _check_decimals(decimals)
    # rounding may reach the next unit: 999,999 -> "1,0 Mio." rather than "1.000 Tsd."
    if key is not None and round(abs(value) / divisor, decimals) >= 1000:
        bigger = [(d, k) for d, k in _UNITS if d > divisor]
        if bigger:
            divisor, key = bigger[-1]
            decimals = max(decimals, 1)
    return _compact_text(value, lang, currency, divisor, key, decimals)


def format_compact_many(
    values: Iterable[Any], lang: str, *, currency: str | None = None, decimals: int | None = None
) -> list[str]:
    """Short forms of several values in one common unit, e.g. bar labels:
    ``[12_300_000, 900_000]`` -> ``["12,3 Mio. €", "0,9 Mio. €"]`` (de).

    The unit follows the largest absolute value (below 10,000: no unit). Default
    decimals: one when the largest value is below 100 units, else none; a missing
    value gives ``"–"``.
    """
    check_language(lang)
    floats = [_to_float(v) for v in values]
    finite = [abs(v) for v in floats if v is not None]
    divisor, key = _compact_unit(max(finite, default=0.0))
    if decimals is None:
        decimals = 1 if key is not None and max(finite, default=0.0) / divisor < 99.95 else 0
    decimals = _check_decimals(decimals)
    return [
        MISSING if v is None else _compact_text(v, lang, currency, divisor, key, decimals)
        for v in floats
    ]


# --- matplotlib tick formatters --------------------------------------------------------


def _tick_decimals(scaled: Sequence[float], max_decimals: int) -> int:
    """Fewest decimals that show every tick value exactly (at most ``max_decimals``)."""
    finite = [v for v in scaled if math.isfinite(v)]
    if not finite:
        return 0
    tolerance = 1e-6 * max(1.0, max(abs(v) for v in finite))
    for decimals in range(max_decimals + 1):
        if all(abs(v - round(v, decimals)) <= tolerance for v in finite):
            return decimals
    return max_decimals


class _TickFormatter(FuncFormatter):
    """A FuncFormatter whose tick labels share one unit and one number of decimals.

    ``func(x, pos)`` formats a single value (used for the cursor read-out and for
    log axes); :meth:`format_ticks` formats a set of ticks consistently via ``many``.
    """

    def __init__(
        self,
        func: Callable[[float, int | None], str],
        many: Callable[[Sequence[float]], list[str]],
    ) -> None:
        super().__init__(func)
        self._many = many

    def format_ticks(self, values: Iterable[float]) -> list[str]:  # noqa: D102
        values = [float(v) for v in values]
        self.set_locs(values)
        axis = getattr(self, "axis", None)
        if axis is not None and axis.get_scale() != "linear":
            return [self(v, i) for i, v in enumerate(values)]
        return self._many(values)


def _visible(values: Sequence[float], formatter: _TickFormatter) -> list[float]:
    """Tick values inside the axis view (the locator may return some outside)."""
    axis = getattr(formatter, "axis", None)
    if axis is None:
        return list(values)
    lo, hi = sorted(axis.get_view_interval())
    span = (hi - lo) * 1e-9
    inside = [v for v in values if lo - span <= v <= hi + span]
    return inside or list(values)


def money_formatter(lang: str, currency: str = "EUR") -> FuncFormatter:
    """Tick formatter for money axes: ``"0 €", "500 Tsd. €", "1,0 Mio. €"`` (de) or
    ``"€0", "€500k", "€1.0M"`` (en).

    On a linear axis all ticks use the unit of the largest visible tick and the fewest
    decimals that keep them distinct; on a log axis each tick is shortened on its own.
    """
    check_language(lang)

    def one(x: float, pos: int | None = None) -> str:
        return format_compact(x, lang, currency=currency)

    formatter: _TickFormatter

    def many(values: Sequence[float]) -> list[str]:
        visible = _visible(values, formatter)
        divisor, key = _compact_unit(max((abs(v) for v in visible), default=0.0))
        decimals = _tick_decimals([v / divisor for v in visible], 2)
        return [_compact_text(v, lang, currency, divisor, key, decimals) for v in values]

    formatter = _TickFormatter(one, many)
    return formatter


def number_formatter(lang: str) -> FuncFormatter:
    """Tick formatter for counts and other plain numbers: ``"1.000"`` (de), ``"1,000"`` (en);
    large values shortened like :func:`money_formatter` (``"1,2 Mio."``, ``"1.2M"``)."""
    check_language(lang)

    def one(x: float, pos: int | None = None) -> str:
        return format_compact(x, lang, currency=None)

    formatter: _TickFormatter

    def many(values: Sequence[float]) -> list[str]:
        visible = _visible(values, formatter)
        magnitude = max((abs(v) for v in visible), default=0.0)
        # counts up to 999,999 read better in full ("250.000") than shortened
        divisor, key = _compact_unit(magnitude) if magnitude >= 1e6 else (1.0, None)
        decimals = _tick_decimals([v / divisor for v in visible], 2)
        return [_compact_text(v, lang, None, divisor, key, decimals) for v in values]

    formatter = _TickFormatter(one, many)
    return formatter


def pct_formatter(lang: str, decimals: int | None = None, xmax: float = 1.0) -> FuncFormatter:
    """Tick formatter for shares: 0.62 -> ``"62 %"`` (de) / ``"62%"`` (en).

    Args:
        lang: ``"de"`` or ``"en"``.
        decimals: fixed decimals; default the fewest that keep the ticks distinct.
        xmax: the data value that means 100 % (1.0 for shares, 100 for percentages).
    """
    check_language(lang)
    if xmax == 0:
        raise ValueError("xmax must not be 0")

    def one(x: float, pos: int | None = None) -> str:
        return format_pct(x / xmax, lang, decimals=0 if decimals is None else decimals)

    formatter: _TickFormatter

    def many(values: Sequence[float]) -> list[str]:
        shares = [v / xmax for v in values]
        if decimals is None:
            visible = _visible(values, formatter)
            digits = _tick_decimals([100.0 * v / xmax for v in visible], 2)
        else:
            digits = decimals
        return [format_pct(s, lang, decimals=digits) for s in shares]

    formatter = _TickFormatter(one, many)
    return formatter


# --- tables ----------------------------------------------------------------------------

#: A space that binds a number to its unit ("1.234 €", "62 %", "1,2 Mio. €"): replaced by
#: a non-breaking space in table cells, so an amount never wraps onto two lines.
_UNIT_SPACE = re.compile(r"(?<=[\d.]) (?=(?:€|%|\$|£|¥|CHF|Mio\.|Tsd\.|Mrd\.))")
#: A cell text that is a formatted number, amount or percentage ("1.234 €", "€1.2M",
#: "-5,0 %", "+12"): such columns are aligned right like numbers.
_NUMBER_TEXT = re.compile(
    r"^[+\-−]?(?:[€$£¥]|CHF )?\s?\d[\d.,\u00a0 ]*(?:\s?(?:Mio\.|Tsd\.|Mrd\.|[MkB]))?"
    r"(?:\s?(?:€|%|\$|£|¥|CHF|h|s|FTE))?$"
)

#: Look of every styled table: one header row, text left and numbers right, text wraps,
#: numbers never do; the table is at most as wide as the page.
TABLE_STYLES: tuple[dict[str, str], ...] = (
    {"selector": "", "props": "border-collapse: collapse; max-width: 100%; table-layout: auto;"},
    {"selector": "th, td", "props": "padding: .3rem .55rem; vertical-align: top;"},
    {"selector": "thead th", "props": "border-bottom: 1px solid #8a96a3;"},
    {"selector": "td", "props": "border-bottom: 1px solid #e3e8ed;"},
)
_TEXT_CELL = "text-align: left; white-space: normal; overflow-wrap: break-word;"
_NUMBER_CELL = "text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;"
# headers wrap (a long header must not make a table wider than the page)
_TEXT_HEAD = "text-align: left; white-space: normal;"
_NUMBER_HEAD = "text-align: right; white-space: normal;"


def nowrap_units(text: str) -> str:
    """``text`` with a non-breaking space between each number and its unit.

    >>> nowrap_units("1.234 € und 62 %") == "1.234\u00a0€ und 62\u00a0%"
    True
    """
    return _UNIT_SPACE.sub("\u00a0", text)


def _meaningful_index(index: pd.Index) -> bool:
    """Whether the row index carries meaning (a class, a customer, a lever): a named index
    or labels that are not row numbers. An unnamed integer index (0..n) does not."""
    if isinstance(index, pd.MultiIndex):
        return True
    if index.name is not None:
        return True
    return not pd.api.types.is_integer_dtype(index.dtype)


def _index_as_columns(df: pd.DataFrame) -> pd.DataFrame | None:
    """``df`` with its meaningful index moved into the first column(s), or None when that
    is not possible (columns on several levels, a name taken by a column)."""
    if isinstance(df.columns, pd.MultiIndex):
        return None
    names = [("" if n is None else n) for n in df.index.names]
    if len(set(map(str, names))) < len(names) or any(n in df.columns for n in names):
        return None
    out = df.copy()
    out.index = out.index.set_names(names)
    return out.reset_index()


def _looks_numeric(series: pd.Series, named: set[Any]) -> bool:
    """A column shown right-aligned: formatted as a number, numeric, or number texts."""
    if series.name in named:
        return True
    if pd.api.types.is_bool_dtype(series.dtype):
        return False
    if pd.api.types.is_numeric_dtype(series.dtype):
        return True
    values = [v for v in series if isinstance(v, str) and v.strip() and v != MISSING]
    return bool(values) and all(_NUMBER_TEXT.match(v.strip()) for v in values)


def style_table(
    df: pd.DataFrame,
    lang: str,
    *,
    money_cols: Iterable[str] = (),
    pct_cols: Iterable[str] = (),
    number_cols: Iterable[str] = (),
    currency: str = "EUR",
    decimals: Mapping[str, int] | None = None,
    labels: Mapping[str, str] | None = None,
    hide_index: bool = False,
) -> Styler:
    """A pandas ``Styler`` that shows ``df`` with the workbook's number formats and table look.

    The frame itself is not changed; only its display is. Text in cells, index and
    headers is HTML-escaped (client data is shown as text, never as markup).

    The look, the same for every table: an unnamed integer row index (0..n) is not
    shown; a meaningful index (named, e.g. a class or customer, or text labels) becomes
    the first column, so there is one header row; text columns are left-aligned and wrap,
    numeric columns (the format groups, numeric dtypes, formatted number texts) are
    right-aligned and never wrap (number and unit joined by a non-breaking space);
    numeric columns outside the format groups get thousands separators and the language's
    decimal mark (floats: ``decimals`` or the fewest digits, at most two, that show them).

    Args:
        df: the table.
        lang: ``"de"`` or ``"en"``.
        money_cols: columns shown as money (:func:`format_money`).
        pct_cols: columns holding shares 0–1, shown as percentages (:func:`format_pct`).
        number_cols: columns shown as numbers with thousands separators.
        currency: ISO code for the money columns.
        decimals: digits per column (default 0 for all).
        labels: display names for column headers, e.g. ``label_map(cols, lang, "col.")``.
        hide_index: do not show the index (even a meaningful one).

    Raises:
        KeyError: a named column is not in ``df``.
        ValueError: a column is named in more than one of the format groups.

    >>> html = style_table(pd.DataFrame({"name": ["A"], "revenue": [1234.0]}), "de",
    ...                    money_cols=["revenue"]).to_html()
    >>> "1.234\u00a0€" in html, "row_heading" in html
    (True, False)
    """
    check_language(lang)
    groups = {
        "money": list(money_cols),
        "pct": list(pct_cols),
        "number": list(number_cols),
    }
    named = [c for cols in groups.values() for c in cols]
    missing = [c for c in named if c not in df.columns]
    if missing:
        raise KeyError(f"style_table: columns not in the table: {missing}")
    twice = sorted({str(c) for c in named if named.count(c) > 1})
    if twice:
        raise ValueError(f"style_table: columns in more than one format group: {twice}")
    digits = dict(decimals or {})

    def money(col: str) -> Callable[[Any], str]:
        return lambda v: nowrap_units(format_money(v, lang, currency, decimals=digits.get(col, 0)))

    def pct(col: str) -> Callable[[Any], str]:
        return lambda v: nowrap_units(format_pct(v, lang, decimals=digits.get(col, 0)))

    def number(col: str) -> Callable[[Any], str]:
        return lambda v: format_number(v, lang, decimals=digits.get(col, 0))

    show_index = not hide_index and _meaningful_index(df.index)
    if show_index:
        moved = _index_as_columns(df)
        if moved is not None:
            df, show_index = moved, False
    makers = {"money": money, "pct": pct, "number": number}
    formats: dict[Any, Callable[[Any], str]] = {
        col: makers[kind](col) for kind, cols in groups.items() for col in cols
    }
    for col in df.columns:
        if col in formats:
            continue
        dtype = df[col].dtype
        is_int = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        if is_int and _is_year_column(col, df[col]):
            formats[col] = str  # 2025, not "2.025"
        elif is_int or (pd.api.types.is_float_dtype(dtype) and col in digits):
            formats[col] = number(col)
        elif pd.api.types.is_float_dtype(dtype):  # the fewest decimals (at most 2) that fit
            values = [float(v) for v in df[col] if _to_float(v) is not None]
            digits[col] = _tick_decimals(values, 2)
            formats[col] = number(col)
        elif not pd.api.types.is_numeric_dtype(dtype):
            formats[col] = _safe_text
    # client text (names, reps) is shown as text: escaped before it is put in the page
    styler = df.style.format(formats, na_rep=MISSING, escape="html")
    styler = styler.format_index(escape="html", axis=0)
    if labels:
        names = dict(labels)
        styler = styler.format_index(lambda c: html_text(names.get(c, c)), axis=1)
    else:
        styler = styler.format_index(escape="html", axis=1)
    styler = styler.set_table_styles(list(TABLE_STYLES), overwrite=True)
    if df.columns.is_unique and not isinstance(df.columns, pd.MultiIndex):
        numeric = {c for c in df.columns if _looks_numeric(df[c], set(named))}
        per_column = {
            c: [
                {"selector": "th", "props": _NUMBER_HEAD if c in numeric else _TEXT_HEAD},
                {"selector": "td", "props": _NUMBER_CELL if c in numeric else _TEXT_CELL},
            ]
            for c in df.columns
        }
        styler = styler.set_table_styles(per_column, overwrite=False, axis=0)
    # a shown index (columns on several levels) without its extra header row of names
    return styler.hide(axis="index", names=show_index) if show_index else styler.hide(axis="index")


def _safe_text(value: Any) -> str:
    """Formatter of a text column: units bound to their numbers. pandas has escaped a
    ``str`` already (``escape="html"``); other objects are escaped here."""
    if isinstance(value, str):
        return nowrap_units(value)
    return nowrap_units(html_text(value))


def styled_table(
    frame: pd.DataFrame,
    lang: str,
    currency: str = "EUR",
    *,
    money: Iterable[str] = (),
    pct: Iterable[str] = (),
    number: Iterable[str] = (),
    decimals: dict[str, int] | None = None,
    index_label: str | None = None,
    hide_index: bool = False,
    labeler: Callable[[str, str], str] | None = None,
):
    """A formatted table for a notebook: headers translated with :func:`label`
    (:func:`kk_helpers.core.i18n.label`, or ``labeler(name, lang)``, for modules with their own column vocabulary).

    Format groups name canonical columns; names not in ``frame`` are ignored, so one
    call serves tables with and without optional columns. The frame is not modified.
    A named index (``index_label`` names it) is shown as the first column, with its
    header translated like the columns'; an unnamed 0..n index is not shown.
    Returns a pandas ``Styler`` (see :func:`kk_helpers.core.formatting.style_table`).
    """
    cols = set(frame.columns)
    out = frame.copy()
    if index_label is not None:
        out.index.name = index_label
    return style_table(
        out,
        lang,
        money_cols=[c for c in money if c in cols],
        pct_cols=[c for c in pct if c in cols],
        number_cols=[c for c in number if c in cols],
        currency=currency,
        decimals=decimals,
        labels={
            c: (labeler or label)(str(c), lang)
            for c in [*out.columns, *(n for n in out.index.names if n is not None)]
        },
        hide_index=hide_index,
    )
