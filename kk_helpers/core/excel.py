"""Excel output for clients: one function that writes tidy, filterable, printable sheets,
and the one text-safe cell path that every spreadsheet writer of the product uses.

Client-ready means: every number is stored as a number with one format per column
(:func:`number_format`: money ``#,##0 €``, shares ``0.0 %`` stored as 0-1, counts
``#,##0``, dates ``DD.MM.YYYY``; the kind comes from the sheet (:class:`Sheet`), the
canonical column name (:func:`column_kind`) or the values (:func:`infer_kind`)), ids
declared as text are formatted ``@``, and every sheet is set up for printing
(:func:`print_setup`: A4 landscape, one page wide, header row repeated). Formats are set
once per column and shared, and sheets are streamed (xlsxwriter, constant memory), so a
100,000-row list costs one XML element per cell.

Client data is typed by anyone at the client; a customer called ``=HYPERLINK(...)``
must stay a name. Following the OWASP guidance on CSV injection, a text value that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written as
text: in XLSX as a string cell with Excel's "quote prefix" style (what Excel itself
stores for ``'=1+2``), in CSV with a leading apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.formatting import currency_symbol

HEADER_FILL = "1F4E79"
MAX_SHEET_NAME = 31
#: traffic-light cell fills (light codes green / amber / red), the colours of the charts
LIGHT_FILLS = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}
#: column kinds and the Excel number format of each (see :func:`number_format`)
KINDS = ("money", "money2", "pct", "int", "dec1", "dec2", "num", "date", "month", "text")
#: rows up to which text columns are wrapped and row heights estimated (cost per cell)
WRAP_MAX_ROWS = 5_000
_MAX_WIDTH = 60
#: empty rows below the data that still get a column's drop-down list (new entries)
DROPDOWN_EXTRA_ROWS = 50
#: rows (header included) and columns an Excel sheet holds
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

#: leading characters that make a spreadsheet program read a text as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9.,' ]*(?:[eE][+-]?[0-9]+)?")


def is_formula_like(value: Any) -> bool:
    """True for a text that a spreadsheet program would evaluate (or could, once edited).

    A text that is only a signed number (``-12,50``) is harmless and stays as it is.

    >>> [is_formula_like(v) for v in ("=1+2", "@SUM(A1)", "-12,50", "Alpha", 5)]
    [True, True, False, False, False]
    """
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


def csv_safe(value: Any) -> Any:
    """``value`` for a CSV file that Excel opens: formula-like texts get a leading ``'``.

    >>> print(csv_safe('=HYPERLINK("http://x","click")'))
    '=HYPERLINK("http://x","click")
    >>> csv_safe(-3.5), csv_safe("Beta AG")
    (-3.5, 'Beta AG')
    """
    return "'" + value if is_formula_like(value) else value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`csv_safe` applied to every text cell and header."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].astype(object).map(csv_safe)
    out.columns = [csv_safe(str(c)) for c in out.columns]
    return out


def protect_cell(cell: Any) -> None:
    """Make an openpyxl cell holding a formula-like text a plain text cell (quote prefix).

    The product writes no formulas of its own, so every formula cell came from data.
    """
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
        cell.data_type = "s"
        cell.quotePrefix = True


def protect_sheet(ws: Any) -> None:
    """:func:`protect_cell` for every cell of an openpyxl worksheet."""
    for row in ws.iter_rows():
        for cell in row:
            protect_cell(cell)


def protect_workbook(wb: Any) -> None:
    """:func:`protect_cell` for every cell of every sheet; call it before ``wb.save``."""
    for ws in wb.worksheets:
        protect_sheet(ws)


def number_format(kind: str, *, lang: str = "de", currency: str = "EUR") -> str:
    """The Excel number format of a column kind, in the conventions of ``lang``.

    Kinds: ``money`` (whole currency units), ``money2`` (with cents), ``pct`` (a share
    0-1 shown as per cent), ``int`` (counts), ``dec1`` / ``dec2`` (one / two decimals),
    ``num`` (up to two decimals, as many as needed), ``date``, ``month`` and ``text``.
    Excel shows the separators of the reader's locale; the format only fixes decimals,
    the per-cent sign and the currency symbol's place. Unknown kinds raise ``ValueError``.

    >>> number_format("money"), number_format("money", lang="en"), number_format("pct")
    ('#,##0 "€"', '"€"#,##0', '0.0 %')
    """
    sym = currency_symbol(currency)
    formats = {
        "money": f'#,##0 "{sym}"' if lang == "de" else f'"{sym}"#,##0',
        "money2": f'#,##0.00 "{sym}"' if lang == "de" else f'"{sym}"#,##0.00',
        "pct": "0.0 %" if lang == "de" else "0.0%",
        "int": "#,##0",
        "dec1": "#,##0.0",
        "dec2": "#,##0.00",
        "num": "#,##0.0#",
        "date": "DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
        "month": "MM.YYYY" if lang == "de" else "MMM YYYY",
        "text": "@",
    }
    if kind not in formats:
        raise ValueError(f"unknown column kind {kind!r}; one of {KINDS}")
    return formats[kind]


def infer_kind(series: pd.Series) -> str | None:
    """The kind of a column without a declared one: counts for integers (and floats that
    are all whole numbers), ``num`` for other numbers, ``date`` for dates, else None.

    >>> [infer_kind(pd.Series(v)) for v in ([1, 2], [2.0, 3.0], [1.25], ["a"])]
    ['int', 'int', 'num', None]
    """
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_float_dtype(dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        finite = values[np.isfinite(values)]
        return "int" if len(finite) and np.all(finite == np.round(finite)) else "num"
    return None


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: the frame and how its columns look.

    Attributes:
        frame: the data, one column per Excel column (headers as written).
        formats: column -> kind (:func:`number_format`), or a sequence of kinds, one per
            row, for a column whose rows hold different units (key figures). Columns
            not named get :func:`infer_kind`.
        fills: column -> {cell value -> fill colour (hex)}, e.g. traffic lights.
        freeze: the cell at which panes are frozen (``"A2"``: the header row;
            ``"C2"`` also keeps the first two columns in view).
        wrap: text columns to wrap (default: text columns with long entries; ``()``:
            none). Wrapped rows get heights for their text up to :data:`WRAP_MAX_ROWS`.
        header_fill: colour (hex) of the header row.
        header_height: height of the header row in points (default: from the headers).
        widths: column -> width in characters (default: fitted to the content).
        infer: whether columns without a declared kind get :func:`infer_kind`.
        highlight: column -> {text -> (fill, font colour)}: conditional formatting
            (bold), so the colours follow when the client sorts or edits.
        dropdowns: column -> allowed texts: a drop-down list on the column's rows and
            :data:`DROPDOWN_EXTRA_ROWS` rows below (other entries are accepted too).
    """

    frame: pd.DataFrame
    formats: Mapping[str, str | Sequence[str | None]] = field(default_factory=dict)
    fills: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    freeze: str = "A2"
    wrap: tuple[str, ...] | None = None
    header_fill: str = HEADER_FILL
    header_height: float | None = None
    widths: Mapping[str, float] = field(default_factory=dict)
    infer: bool = True
    highlight: Mapping[str, Mapping[str, tuple[str, str]]] = field(default_factory=dict)
    dropdowns: Mapping[str, Sequence[str]] = field(default_factory=dict)


_MONEY_WORDS = frozenset(
    {"revenue", "margin", "cm1", "cm2", "cm3", "cost", "profit", "potential", "headroom",
     "threshold", "value", "cost_to_serve", "order_cost", "activity_cost", "processing_cost",
     "avg_order_value", "cm3_per_customer", "revenue_last_year", "surcharge"}
)  # fmt: skip
_COUNT_WORDS = frozenset(
    {"customers", "orders", "activities", "visits", "calls", "lines", "unprofitable", "rank",
     "orders_positive", "respondents", "n_missing", "n_missing_customers", "active_years"}
)  # fmt: skip
_PCT_WORDS = frozenset({"share", "pct", "trend", "cagr", "trend_slope", "utilisation"})
_SUFFIXES = re.compile(r"_(?:\d{4}|total|today|target|before|after|delta|diff|change)$")


def column_kind(name: str) -> str | None:
    """The kind (:func:`number_format`) of a canonical column name of the product, or
    None when the name says nothing: shares (``*_share``, ``share_*``, ``*_pct``,
    ``trend``, ``*_trend``) are ``pct``; revenue, margins and costs (also per year,
    ``*_total``, ``*_today`` ...) ``money``; counts (customers, orders, visits, ``n_*``)
    ``int``.

    >>> [column_kind(c) for c in ("revenue_2024", "cm2_trend", "orders_share", "n_visit",
    ...                           "customers", "cost_to_serve_share_cm1", "name")]
    ['money', 'pct', 'pct', 'int', 'int', 'pct', None]
    """
    name = str(name)
    words = name.split("_")
    if name in _PCT_WORDS or words[-1] in _PCT_WORDS or words[0] == "share" or "share" in words:
        return "pct"
    base = name
    while _SUFFIXES.search(base):
        base = _SUFFIXES.sub("", base)
    if base in _MONEY_WORDS or name in _MONEY_WORDS:
        return "money"
    if base in _COUNT_WORDS or name in _COUNT_WORDS or words[0] == "n":
        return "int"
    return None


def sheet_from(
    frame: pd.DataFrame,
    header: Callable[[str], str],
    *,
    kinds: Mapping[str, str | Sequence[str | None] | None] | None = None,
    **options: Any,
) -> Sheet:
    """A :class:`Sheet` from a frame with canonical column names: every column's kind
    from ``kinds`` (canonical name -> kind; None: inferred from the values), else
    :func:`column_kind`, headers from ``header``; ``options`` are the other fields of
    :class:`Sheet` (``fills``, ``wrap``, ``widths``, ``highlight`` and ``dropdowns`` by
    canonical name).

    >>> s = sheet_from(pd.DataFrame({"revenue": [1.0], "x": [2]}), str.upper)
    >>> list(s.frame.columns), dict(s.formats)
    (['REVENUE', 'X'], {'REVENUE': 'money'})
    """
    kinds = dict(kinds or {})
    names = {c: header(str(c)) for c in frame.columns}
    formats: dict[str, Any] = {}
    for c in frame.columns:
        kind = kinds[c] if c in kinds else column_kind(str(c))
        if kind is not None:
            formats[names[c]] = kind
    for key in ("fills", "widths", "highlight", "dropdowns"):
        if key in options:
            options[key] = {names.get(c, c): v for c, v in options[key].items()}
    if options.get("wrap") is not None:
        options["wrap"] = tuple(names.get(c, c) for c in options["wrap"])
    return Sheet(frame.rename(columns=names), formats, **options)


def print_setup(ws: Any, *, title_rows: str | None = "1:1") -> None:
    """Print set-up of a sheet for a client: A4 landscape, one page wide (as many pages
    tall as needed), the header rows repeated on every page, narrow margins, page
    numbers in the footer.

    Args:
        ws: an openpyxl worksheet.
        title_rows: rows repeated on each printed page (``"1:1"``; None: none).
    """
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "&P / &N"


def _width(series: pd.Series, header: str, fmt: str | None) -> tuple[float, bool]:
    """Column width (characters) and whether the column wraps long texts."""
    sample = series.head(2_000)
    if fmt is not None and pd.api.types.is_numeric_dtype(sample.dtype):
        values = pd.to_numeric(sample, errors="coerce").abs()
        big = float(values.max()) if values.notna().any() else 0.0
        digits = len(f"{big:,.0f}") if math.isfinite(big) else 3
        extra = {"money": 3, "money2": 6, "pct": 3, "num": 3, "dec1": 2, "dec2": 3}
        content = digits + 1 + extra.get(fmt, 0)
        long_text = False
    elif pd.api.types.is_datetime64_any_dtype(sample.dtype):
        content, long_text = 11, False
    else:
        lengths = sample.astype("string").fillna("").str.len()
        content = int(lengths.quantile(0.95)) if len(lengths) else 0
        long_text = content > _MAX_WIDTH - 10
    words = header.split()
    head = max(min(len(header), 16), max((len(w) for w in words), default=0))
    return float(min(max(content, head, 6) + 2, _MAX_WIDTH)), long_text


def write_workbook(
    path: Path,
    sheets: Mapping[str, pd.DataFrame | Sheet],
    pct_columns: Iterable[str] = (),
    *,
    lang: str = "de",
    currency: str = "EUR",
) -> Path:
    """Write DataFrames to an XLSX file, one sheet each, ready for a client's sales team.

    Every sheet gets a bold coloured header row (wrapped), a frozen header, an
    autofilter, column widths fitted to the content, a number format per column (the
    sheet's declared kinds, :class:`Sheet`, else :func:`infer_kind`; ``pct_columns``
    are shares shown as per cent) and the print set-up of :func:`print_setup`. Long
    texts are wrapped with row heights set. Sheet names are cut to Excel's 31
    characters. Text cells that look like formulas stay text (quote prefix, as
    :func:`protect_cell`). Frames are not modified. The file is streamed with xlsxwriter
    (:mod:`kk_helpers.core.excel_stream`, constant memory) into a temporary file that
    then replaces ``path``. Returns ``path``.

    Args:
        path: the file to write (folders are created).
        sheets: sheet name -> frame or :class:`Sheet`.
        pct_columns: columns (of any sheet) holding shares 0-1.
        lang: number conventions (``de``: ``0.0 %``, ``#,##0 "€"``, ``DD.MM.YYYY``).
        currency: ISO code of the money columns.

    Raises:
        ValueError: a sheet with more data rows than Excel's :data:`EXCEL_MAX_ROWS` less
            the header, or more columns than :data:`EXCEL_MAX_COLUMNS` (nothing is
            written; the file would not open, or rows would be left out silently).
    """
    from kk_helpers.core.excel_stream import write_sheets

    pct = {c: "pct" for c in pct_columns}
    ready: dict[str, Sheet] = {}
    for name, item in sheets.items():
        sheet = item if isinstance(item, Sheet) else Sheet(item)
        rows, cols = sheet.frame.shape
        if rows >= EXCEL_MAX_ROWS or cols > EXCEL_MAX_COLUMNS:
            raise ValueError(
                f"{path}: sheet {name!r} has {rows:,} rows and {cols:,} columns; an Excel "
                f"sheet holds {EXCEL_MAX_ROWS - 1:,} rows below its header and "
                f"{EXCEL_MAX_COLUMNS:,} columns"
            )
        formats = {**{c: k for c, k in pct.items() if c in sheet.frame.columns}, **sheet.formats}
        ready[str(name)[:MAX_SHEET_NAME]] = replace(sheet, formats=formats)
    return write_sheets(Path(path), ready, lang=lang, currency=currency)


def finish_sheet(ws: Any, *, title_rows: str | None = "1:1") -> None:
    """Print set-up (:func:`print_setup`) for a sheet written by other means; hidden
    sheets are left alone."""
    if ws.sheet_state == "visible":
        print_setup(ws, title_rows=title_rows)
