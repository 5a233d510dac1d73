"""The writer behind :func:`kk_helpers.core.excel.write_workbook`: xlsxwriter in
constant-memory mode, sheets streamed row by row.

Formats are xlsxwriter ``Format`` objects made once per combination (number format,
fill, wrapping, quote prefix) and shared by all cells that need them, so a
100,000-row customer list costs one XML element per cell and no per-cell style
object (the openpyxl writer before it set formats cell by cell: about 10x slower).

The data rows do not go through xlsxwriter's per-cell calls (about 5 us a cell, the
floor of any writer built on them): :func:`_column_cells` builds the XML of a column's
cells at once (the type dispatch once per column: a column of numbers in one list
comprehension, a column of texts through a cache of the XML per distinct value), and
:func:`_write_rows` writes the rows straight into the worksheet's row file -- the same
bytes the ``write_*`` calls write (``tests/test_excel_fast_rows.py`` compares both),
which stay the path of the rare row holding a date, an infinite number, a NumPy scalar
or a very long text. The parts are zipped at zlib level :data:`ZIP_LEVEL`.

What a reader sees is what the openpyxl writer produced: the same values and types
(numbers, dates, booleans, text; text always written with ``write_string``, formula-like
text with Excel's quote prefix), number format per column (empty cells of a formatted
column keep the format), header row (bold white on colour, thin borders, wrapped),
frozen panes, autofilter, column widths (stored as the same number of characters),
row heights of wrapped rows (xlsxwriter stores them in whole pixels, 0.75 pt steps, as
Excel shows them: 62 pt -> 62.25 pt), traffic-light fills, conditional class colours and the
print set-up of :func:`kk_helpers.core.excel.print_setup`. Numbers are written with 16
significant digits (Excel keeps 15).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name

from kk_helpers.core.excel import (
    DROPDOWN_EXTRA_ROWS,
    WRAP_MAX_ROWS,
    Sheet,
    _width,
    infer_kind,
    is_formula_like,
    number_format,
)

#: the formats pandas gives dates and times in a column without a number format
_DATETIME_FORMAT = "YYYY-MM-DD HH:MM:SS"
_DATE_FORMAT = "YYYY-MM-DD"
_QUOTE_START = frozenset("=+-@\t\r")
#: value types of a column written through the per-value cache of :func:`_column_cells`
_TEXT_TYPES = frozenset({str, type(None), type(pd.NA)})
#: zlib level of the file's parts: 1 compresses the 218 MB of XML of a 100,000-row screening
#: list in 1.1 s instead of 3.5 s (level 6, Python's default) to 44 instead of 34 MB
ZIP_LEVEL = 1
#: data rows built at a time (the XML of their cells is held in memory)
ROW_BLOCK = 5_000
#: width of a character in pixels (Calibri 11; xlsxwriter stores ``pixels / 7``)
_DIGIT_PIXELS = 7


class _Formats:
    """One xlsxwriter ``Format`` per combination of number format, fill, wrap, quote."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.cache: dict[tuple, Any] = {}

    def get(
        self, num: str | None, fill: str | None = None, wrap: bool = False, quote: bool = False
    ) -> Any:
        if not (num or fill or wrap or quote):
            return None
        key = (num, fill, wrap, quote)
        fmt = self.cache.get(key)
        if fmt is None:
            props: dict[str, Any] = {}
            if num:
                props["num_format"] = num
            if fill:
                props.update(pattern=1, bg_color=f"#{fill}")
            if wrap:
                props.update(text_wrap=True, valign="top")
            if quote:
                props["quote_prefix"] = True
            fmt = self.cache[key] = self.book.add_format(props)
        return fmt


class _Column:
    """How one column is written: values, number format(s), fills, wrapping."""

    __slots__ = ("values", "num", "row_nums", "fills", "wrap", "fmt")

    def __init__(self, values: list, num: str | None, row_nums: list | None) -> None:
        self.values = values
        self.num = num
        self.row_nums = row_nums
        self.fills: Mapping[Any, str] | None = None
        self.wrap = False
        self.fmt: Any = None


def _values(series: pd.Series) -> list:
    """The column's cells as Python objects (missing values: None)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dtype, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        return [None if pd.isna(v) else v.to_pydatetime() for v in series]
    return series.tolist()


def _column_format(
    sheet: Sheet, col: str, series: pd.Series, n: int, *, lang: str, currency: str
) -> tuple[str | None, list | None, str | None]:
    """(number format of the column, number format per row or None, kind for the width)."""
    declared = sheet.formats.get(col)
    if declared is None or isinstance(declared, str):
        kind = declared if declared is not None or not sheet.infer else infer_kind(series)
        fmt = None if kind is None else number_format(kind, lang=lang, currency=currency)
        return fmt, None, kind
    kinds = list(declared)[:n]
    nums = [None if k is None else number_format(k, lang=lang, currency=currency) for k in kinds]
    return None, nums + [None] * (n - len(nums)), "money"


def _write_cell(ws: Any, r: int, j: int, v: Any, fmt: Any, quoted: Any) -> None:
    """One cell of any type (the slow path; floats, ints and texts are inlined)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        if fmt is not None:
            ws.write_blank(r, j, None, fmt)
    elif isinstance(v, bool | np.bool_):
        ws.write_boolean(r, j, bool(v), fmt)
    elif isinstance(v, float):  # infinite: written as pandas does, as text
        ws.write_string(r, j, "inf" if v > 0 else "-inf", quoted if v < 0 else fmt)
    elif isinstance(v, int | np.integer | np.floating):
        ws.write_number(r, j, float(v) if isinstance(v, np.floating) else int(v), fmt)
    elif isinstance(v, dt.datetime | dt.date):
        if isinstance(v, pd.Timestamp):
            v = v.to_pydatetime()
        if isinstance(v, dt.datetime) and v.tzinfo is not None:
            v = v.replace(tzinfo=None)
        ws.write_datetime(r, j, v, fmt)
    elif isinstance(v, dt.timedelta):
        ws.write_number(r, j, v.total_seconds() / 86_400, fmt)
    else:
        text = str(v)
        ws.write_string(r, j, text, quoted if is_formula_like(text) else fmt)


@functools.cache
def _worksheet_class() -> type:
    """xlsxwriter's ``Worksheet`` with two differences a reader sees with openpyxl.

    * ``fitToWidth="1"`` is written (xlsxwriter leaves the default 1 out; openpyxl reads
      a missing value as None);
    * carriage returns in inline strings are left as they are (as openpyxl writes them:
      XML readers see a line break) instead of ``_x000D_``, which openpyxl does not decode;
    * a text that starts with ``<r>`` and ends with ``</r>`` is written escaped like any
      other text (xlsxwriter takes it for the XML of a "rich" string and writes it raw, so a
      customer name could end the cell and add a formula cell; the product writes no rich
      strings).
    """
    from xlsxwriter.worksheet import Worksheet
    from xlsxwriter.xmlwriter import XMLwriter

    escape = XMLwriter._escape_control_characters

    class _Worksheet(Worksheet):
        @staticmethod
        def _escape_control_characters(data: Any) -> Any:
            if not isinstance(data, str) or "\r" not in data:
                return escape(data)
            return "\r".join(escape(part) for part in data.split("\r"))

        def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
            self._xml_inline_string(string, _preserve_whitespace(string), attributes)

        def _xml_empty_tag(self, tag: str, attributes: Any = ()) -> None:
            if tag == "pageSetup" and self.fit_page and "fitToWidth" not in dict(attributes):
                attributes = [*attributes, ("fitToWidth", self.fit_width)]
            super()._xml_empty_tag(tag, attributes)

    return _Worksheet


@functools.cache
def _workbook_class() -> type:
    """xlsxwriter's ``Workbook`` compressing its parts at zlib level :data:`ZIP_LEVEL`
    (xlsxwriter has no option for it and uses Python's default, 6)."""
    import zipfile

    import xlsxwriter.workbook as xw

    class _ZipFile(zipfile.ZipFile):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs, compresslevel=ZIP_LEVEL)

    class _Workbook(xw.Workbook):
        def _store_workbook(self) -> None:
            zip_file, xw.ZipFile = xw.ZipFile, _ZipFile  # the name _store_workbook opens
            try:
                super()._store_workbook()
            finally:
                xw.ZipFile = zip_file

    return _Workbook


def _print_setup(ws: Any) -> None:
    """:func:`kk_helpers.core.excel.print_setup` for an xlsxwriter worksheet."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("", {"margin": 0.3})
    ws.set_footer("&L&A&R&P / &N", {"margin": 0.3})
    ws.center_horizontally()
    ws.repeat_rows(0)


def _set_width(ws: Any, j: int, width: float) -> None:
    """Column width in characters, stored as that number (as openpyxl stores it)."""
    ws.set_column_pixels(j, j, round(width * _DIGIT_PIXELS))


def write_sheet(book: Any, formats: _Formats, name: str, sheet: Sheet, *, lang: str,
                currency: str) -> None:  # fmt: skip
    """Write one :class:`Sheet` into the xlsxwriter workbook ``book`` as sheet ``name``."""
    out = sheet.frame
    headers = [str(c) for c in out.columns]
    n = len(out)
    ws = book.add_worksheet(name, worksheet_class=_worksheet_class())
    head = {"bold": True, "font_color": "#FFFFFF", "pattern": 1, "border": 1}
    head.update(bg_color=f"#{sheet.header_fill}", text_wrap=True, valign="vcenter")
    head_fmt = book.add_format(head)
    head_quoted = book.add_format({**head, "quote_prefix": True})
    wrap_cols = set(sheet.wrap or ())
    cols: list[_Column] = []
    widths: list[float] = []
    header_lines = 1
    for j, col in enumerate(headers):
        series = out.iloc[:, j]
        if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype == "string":
            series = series.astype(object)
        num, row_nums, width_kind = _column_format(
            sheet, col, series, n, lang=lang, currency=currency
        )
        c = _Column(_values(series), num, row_nums)
        if col in sheet.widths:
            width = float(sheet.widths[col])
        else:
            width, long_text = _width(series, col, width_kind)
            if sheet.wrap is None and long_text:
                wrap_cols.add(col)
        _set_width(ws, j, width)
        widths.append(width)
        header_lines = max(header_lines, math.ceil(len(col) / max(width - 1, 1)))
        c.fills = sheet.fills.get(col) or None
        cols.append(c)
    wrapping = bool(wrap_cols) and n <= WRAP_MAX_ROWS
    heights = np.ones(n, dtype=int)
    for j, (col, c) in enumerate(zip(headers, cols, strict=True)):
        c.wrap = wrapping and col in wrap_cols
        if c.wrap:
            texts = out.iloc[:, j].astype("string").fillna("")
            need = np.ceil(texts.str.len().to_numpy(dtype=float) * 1.1 / max(widths[j] - 1, 1))
            heights = np.maximum(heights, need.astype(int))
        c.fmt = formats.get(c.num, None, c.wrap)
    height = sheet.header_height or 15 * min(header_lines, 4) + 3
    ws.set_row(0, height)
    for j, col in enumerate(headers):
        ws.write_string(0, j, col, head_quoted if is_formula_like(col) else head_fmt)
    _write_rows(ws, formats, cols, heights if wrapping else None)
    ws.freeze_panes(sheet.freeze)
    if headers:
        ws.autofilter(0, 0, n, len(headers) - 1)
    for col, values in sheet.highlight.items():
        if col not in headers:
            continue
        j = headers.index(col)
        for value, (fill, font) in values.items():
            colour = book.add_format(
                {"bg_color": f"#{fill}", "font_color": f"#{font}", "bold": True}
            )
            rule = {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": colour}
            ws.conditional_format(1, j, max(n, 1), j, rule)
    for col, options in sheet.dropdowns.items():
        if col in headers:
            j = headers.index(col)
            rule = {"validate": "list", "source": [str(o) for o in options],
                    "show_input": False, "show_error": False}  # fmt: skip
            ws.data_validation(1, j, max(n, 1) + DROPDOWN_EXTRA_ROWS, j, rule)
    _print_setup(ws)


def _write_rows(ws: Any, formats: _Formats, cols: list[_Column], heights: Any) -> None:
    """The data rows, one after the other (constant-memory mode writes each row once).

    The cells' XML is built column by column (:func:`_column_cells`: one string per cell,
    the type dispatch done once per column where the column has one type) and written
    row by row straight into the worksheet's row file, byte for byte what xlsxwriter's
    ``write_*`` calls write; a row holding a cell only xlsxwriter knows how to write
    (a date, an infinite number, a very long text, a NumPy scalar) is written
    through those calls (:func:`_write_row_api`). Rows are built :data:`ROW_BLOCK` at a
    time, so memory does not grow with the sheet.
    """
    n = len(cols[0].values) if cols else 0
    if n == 0:
        return
    ws._write_single_row(1)  # the header row goes out; the data rows follow here
    letters = [xl_col_to_name(j) for j in range(len(cols))]
    last = 0
    for start in range(0, n, ROW_BLOCK):
        part = range(start, min(start + ROW_BLOCK, n))
        columns = [
            _column_cells(ws, formats, c, x, part) for c, x in zip(cols, letters, strict=True)
        ]
        last = _write_block(ws, formats, cols, heights, part, columns) or last
    if last and (ws.dim_rowmax is None or last > ws.dim_rowmax):
        ws.dim_rowmax = last
    ws.previous_row = n + 1


def _write_block(ws: Any, formats: _Formats, cols: list[_Column], heights: Any, part: range,
                 columns: list[list[str | None]]) -> int:  # fmt: skip
    """Rows ``part`` (data row indexes) from their cells' XML; returns the last sheet row
    written (0: none)."""
    fh = ws.fh
    block: list[str] = []
    last = 0
    for i, cells in zip(part, zip(*columns, strict=True), strict=True):
        r = i + 1
        height = int(heights[i]) if heights is not None and heights[i] > 1 else 0
        if None in cells:
            fh.write("".join(block))
            block.clear()
            _write_row_api(ws, formats, cols, i, height)
            last = r
            continue
        body = "".join(cells)
        if height:
            ht = f' ht="{int((15 * height + 2) * 4.0 / 3.0 + 0.5) * 0.75:.16g}" customHeight="1"'
            block.append(
                f'<row r="{r + 1}"{ht}>{body}</row>' if body else f'<row r="{r + 1}"{ht}/>'
            )
        elif body:
            block.append(f'<row r="{r + 1}">{body}</row>')
        else:
            continue
        last = r
    fh.write("".join(block))
    return last


def _write_row_api(ws: Any, formats: _Formats, cols: list[_Column], i: int, height: int) -> None:
    """Data row ``i`` through xlsxwriter's ``write_*`` calls (the slow path)."""
    r = i + 1
    ws.previous_row = r
    if height:
        ws.set_row(r, 15 * height + 2)
    for j, c in enumerate(cols):
        v = c.values[i]
        if c.row_nums is None and c.fills is None:
            fmt = c.fmt
        else:
            num = c.num if c.row_nums is None else c.row_nums[i]
            fmt = formats.get(num, _fill(c.fills, v), c.wrap)
        kind = type(v)
        if kind is float and v == v and v not in (math.inf, -math.inf) or kind is int:
            ws.write_number(r, j, v, fmt)
        elif kind is str:
            ws.write_string(r, j, v, _quoted(formats, c, i, v) if is_formula_like(v) else fmt)
        else:
            if fmt is None and isinstance(v, dt.date):
                fmt = formats.get(_DATETIME_FORMAT if isinstance(v, dt.datetime) else _DATE_FORMAT)
            _write_cell(ws, r, j, v, fmt, _quoted(formats, c, i, v))
    ws._write_single_row(r + 1)


def _column_cells(
    ws: Any, formats: _Formats, c: _Column, letter: str, part: range
) -> list[str | None]:
    """The XML of the column's cells in data rows ``part`` (``""``: no cell; None: a cell
    that only xlsxwriter writes, see :func:`_write_row_api`), as ``_write_cell`` writes them."""
    values = c.values[part.start : part.stop]
    rows = range(part.start + 2, part.stop + 2)
    styles: dict[int, str] = {}

    def style(fmt: Any) -> str:
        key = id(fmt)
        if key not in styles:
            styles[key] = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
        return styles[key]

    plain = c.row_nums is None and c.fills is None
    types = set(map(type, values)) if plain else None
    if types and types <= {float, int}:
        s = style(c.fmt)
        blank = c.fmt is not None
        return [
            f'<c r="{letter}{r}"{s}><v>{v:.16G}</v></c>' if v - v == 0
            else (f'<c r="{letter}{r}"{s}/>' if blank else "") if v != v
            else None
            for r, v in zip(rows, values, strict=True)
        ]  # fmt: skip
    if c.row_nums is None and (types or set(map(type, values))) <= _TEXT_TYPES:
        # texts and gaps: the cell's XML after its reference depends on the value only
        ends: dict[Any, str | None] = {}
        for v in values:
            if v not in ends:
                fmt = c.fmt if plain else formats.get(c.num, _fill(c.fills, v), c.wrap)
                if type(v) is not str:
                    ends[v] = "" if fmt is None else f"{style(fmt)}/>"
                elif (inner := _inline_string(ws, v)) is None:
                    ends[v] = None
                else:
                    if v and v[0] in _QUOTE_START and is_formula_like(v):
                        fmt = formats.get(c.num, _fill(c.fills, v), c.wrap, True)
                    ends[v] = f'{style(fmt)} t="inlineStr">{inner}</c>'
        return [
            f'<c r="{letter}{r}"{end}' if end else end
            for r, end in zip(rows, map(ends.__getitem__, values), strict=True)
        ]
    texts: dict[str, str | None] = {}
    out: list[str | None] = []
    append = out.append
    for i, r, v in zip(part, rows, values, strict=True):
        if plain:
            fmt = c.fmt
        else:
            num = c.num if c.row_nums is None else c.row_nums[i]
            fmt = formats.get(num, _fill(c.fills, v), c.wrap)
        kind = type(v)
        if kind is str:
            inner = texts[v] if v in texts else texts.setdefault(v, _inline_string(ws, v))
            if inner is None:
                append(None)
                continue
            if v and v[0] in _QUOTE_START and is_formula_like(v):
                fmt = _quoted(formats, c, i, v)
            append(f'<c r="{letter}{r}"{style(fmt)} t="inlineStr">{inner}</c>')
        elif kind is float or kind is int:
            if v - v == 0:
                append(f'<c r="{letter}{r}"{style(fmt)}><v>{v:.16G}</v></c>')
            elif v != v:
                append("" if fmt is None else f'<c r="{letter}{r}"{style(fmt)}/>')
            else:
                append(None)
        elif v is None or v is pd.NA or v is pd.NaT:
            append("" if fmt is None else f'<c r="{letter}{r}"{style(fmt)}/>')
        elif kind is bool:
            append(f'<c r="{letter}{r}"{style(fmt)} t="b"><v>{int(v)}</v></c>')
        else:
            append(None)
    return out


def _inline_string(ws: Any, text: str) -> str | None:
    """``<is>...</is>`` of a text as :func:`_worksheet_class` writes it in constant-memory
    mode; None for texts over half the length limit (xlsxwriter truncates them)."""
    if len(text) > ws.xls_strmax // 2:
        return None
    text = ws._escape_control_characters(text)
    space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    return f"<is><t{space}>{ws._escape_data(text)}</t></is>"


def _fill(fills: Mapping[Any, str] | None, value: Any) -> str | None:
    if not fills:
        return None
    try:
        return fills.get(value)
    except TypeError:  # an unhashable value has no colour
        return None


def _quoted(formats: _Formats, c: _Column, i: int, v: Any) -> Any:
    num = c.num if c.row_nums is None else c.row_nums[i]
    return formats.get(num, _fill(c.fills, v), c.wrap, True)


def write_sheets(path: Path, sheets: Mapping[str, Sheet], *, lang: str, currency: str) -> Path:
    """Write ``sheets`` (name -> :class:`Sheet`, names already valid) to ``path``
    atomically: into a temporary file next to it, then renamed. Returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        options = {"constant_memory": True, "tmpdir": str(path.parent)}
        book = _workbook_class()(tmp, options)
        formats = _Formats(book)
        for name, sheet in sheets.items():
            write_sheet(book, formats, name, sheet, lang=lang, currency=currency)
        book.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
