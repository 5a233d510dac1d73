"""Excel output for clients: one function that writes tidy, filterable sheets, and the
one text-safe cell path that every spreadsheet writer of the product uses.

Client data is typed by anyone at the client; a customer called ``=HYPERLINK(...)``
must stay a name. Following the OWASP guidance on CSV injection, a text value that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written as
text: in XLSX as a string cell with Excel's "quote prefix" style (what Excel itself
stores for ``'=1+2``), in CSV with a leading apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

HEADER_FILL = "1F4E79"
MAX_SHEET_NAME = 31

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


def write_workbook(
    path: Path,
    sheets: Mapping[str, pd.DataFrame],
    pct_columns: Iterable[str] = (),
) -> Path:
    """Write DataFrames to an XLSX file, one sheet each, ready for a sales team.

    Every sheet gets a bold coloured header row, a frozen header, an autofilter,
    column widths fitted to the content and number formats: integers ``#,##0``,
    other numbers ``#,##0.00``, dates ``DD.MM.YYYY``, and ``0.0%`` for the columns
    named in ``pct_columns`` (values as shares 0–1). Sheet names are cut to Excel's
    31 characters. Text cells that look like formulas stay text (:func:`protect_cell`).
    Frames are not modified. Returns ``path``.
    """
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    pct = set(pct_columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = str(name)[:MAX_SHEET_NAME]
            out = frame.copy()
            for col in out.columns:
                if isinstance(out[col].dtype, pd.CategoricalDtype) or out[col].dtype == "string":
                    out[col] = out[col].astype(object)
            out.to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            protect_sheet(ws)
            for cell in ws[1]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            ws.freeze_panes = "A2"
            if len(out.columns):
                ws.auto_filter.ref = ws.dimensions
            for i, col in enumerate(out.columns, start=1):
                letter = get_column_letter(i)
                series = out[col]
                if col in pct:
                    fmt = "0.0%"
                elif pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(
                    series.dtype
                ):
                    fmt = "#,##0"
                elif pd.api.types.is_float_dtype(series.dtype):
                    fmt = "#,##0.00"
                elif pd.api.types.is_datetime64_any_dtype(series.dtype):
                    fmt = "DD.MM.YYYY"
                else:
                    fmt = None
                if fmt:
                    for cell in ws[letter][1:]:
                        cell.number_format = fmt
                sample = [str(col)] + [str(v) for v in series.head(200).tolist()]
                ws.column_dimensions[letter].width = min(max(len(s) for s in sample) + 2, 45)
    return path
