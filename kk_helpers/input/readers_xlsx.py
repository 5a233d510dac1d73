"""XLSX reading as found: the sheet, the header row (also below a title row), cell values.

Values come from python-calamine (the whole sheet in one call, ~5x faster than openpyxl);
what it cannot tell is read beside it: error cells and zero-padding number formats from
the sheet's raw XML (:mod:`kk_helpers.input.readers_xlsx_scan`, in a thread), formulas
without stored results with openpyxl in read-only mode over the first rows only.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.readers_common import (
    HEADER_SEARCH_ROWS,
    RawTable,
    _cell_text,
    _drop_empty_unnamed,
    _find_header,
    _header_names,
    _header_notes,
    norm_name,
)
from kk_helpers.input.readers_xlsx_scan import BackgroundScan, SheetScan

# --- XLSX ------------------------------------------------------------------------------

#: integral floats up to this magnitude become int (as openpyxl reads "123")
_MAX_EXACT_INT = 2.0**53
_TYPE_OF = np.frompyfunc(type, 1, 1)
_TO_ORDINAL = np.frompyfunc(dt.date.toordinal, 1, 1)
_ORDINAL_1970 = dt.date(1970, 1, 1).toordinal()


def _read_xlsx(path: Path, spec: FileSpec, expected: Sequence[str]) -> RawTable:
    import python_calamine as pc

    file = path.name
    if path.stat().st_size == 0:
        raise DataError(file, None, "at least one data row", found="an empty file")
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except (pc.CalamineError, OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise _unreadable(path, e) from None
    try:
        cells, ws_title, scan = _sheet_cells(wb, path, spec, expected)
    except (pc.CalamineError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise _unreadable(path, e) from None
    finally:
        wb.close()
    return _frame_from_cells(cells, path, spec, expected, sheet=ws_title, scan=scan)


def _unreadable(path: Path, e: Exception) -> DataError:
    """DataError for a workbook that cannot be opened: encrypted, .xls, truncated."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        found = "an encrypted (password-protected) workbook or an old .xls file"
        hint = "Remove the password (File > Info > Protect Workbook) or save it as .xlsx"
    elif head.startswith(b"PK"):
        found = "a damaged or cut-off workbook (" + (str(e) or type(e).__name__) + ")"
        hint = "Export or copy the file again"
    else:
        found = "no workbook at all (" + (str(e) or type(e).__name__) + ")"
        hint = "Check the file; a CSV file needs the extension .csv or 'format: csv'"
    return DataError(path.name, None, "a readable Excel workbook (.xlsx)", found=found, hint=hint)


def _worksheet_names(wb: Any) -> list[str]:
    """Names of the worksheets (chart sheets left out, as openpyxl's ``worksheets``)."""
    names = []
    for m in wb.sheets_metadata:
        if "chart" not in str(m.typ).lower():
            names.append(m.name)
    return names


def _head_rows(wb: Any, name: str) -> list[list[Any]]:
    rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS + 1)
    return [[None if c == "" else c for c in r] for r in rows]


def _sheet_hits(rows: list[list[Any]], wanted: set[str]) -> tuple[int, bool, list[str]]:
    """(mapped names found in one of the first rows, sheet empty, first non-empty row)."""
    best, first, empty = 0, [], True
    for r in rows:
        cells = [norm_name(c) for c in r]
        if any(cells):
            empty = False
            first = first or [_cell_text(c) for c in r if _cell_text(c)]
        best = max(best, len(wanted & set(cells)))
    return best, empty, first


def _choose_sheet(wb: Any, sheets: list[str], expected: Sequence[str], file: str) -> str:
    """The first sheet whose header holds every mapped column; else DataError listing
    the sheets (several sheets) or the first sheet (a single one)."""
    wanted = {norm_name(c) for c in expected if norm_name(c)}
    if not wanted or len(sheets) == 1:
        return sheets[0]
    seen = []
    for name in sheets:
        hits, empty, first = _sheet_hits(_head_rows(wb, name), wanted)
        if hits == len(wanted):
            return name
        what = (
            "empty"
            if empty
            else "columns "
            + ", ".join(repr(c) for c in first[:4])
            + (", ..." if len(first) > 4 else "")
        )
        seen.append(f"{name!r} ({what})")
    raise DataError(
        file,
        None,
        "a sheet whose header holds the mapped columns "
        + ", ".join(repr(c) for c in expected if norm_name(c)),
        found="the sheets " + "; ".join(seen),
        hint="Set 'sheet' for this file in client.yml to the sheet with the data",
    )


def _sheet_cells(
    wb: Any, path: Path, spec: FileSpec, expected: Sequence[str]
) -> tuple[np.ndarray, str, SheetScan]:
    """All cells (2-D object array from A1, values as openpyxl gives them, empty -> None),
    the sheet's title and the raw-XML scan of it."""
    file = path.name
    sheets = _worksheet_names(wb)
    sheet = spec.sheet
    if not sheets:
        raise DataError(file, None, "at least one data row", found="a workbook without sheets")
    if sheet is None:
        name = _choose_sheet(wb, sheets, expected, file)
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise DataError(
                file,
                None,
                f"a sheet number {sheet} (0-based)",
                found=f"{len(sheets)} sheet(s): " + ", ".join(repr(s) for s in sheets),
            )
        name = sheets[sheet]
    else:
        if sheet not in sheets:
            raise DataError(
                file,
                None,
                f"a sheet named {sheet!r}",
                found="the sheets " + ", ".join(repr(s) for s in sheets),
            )
        name = sheet
    scan = BackgroundScan(path, name)  # inflates the XML while calamine parses
    try:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    finally:
        result = scan.result()
    return _typed_cells(rows), name, result


def _typed_cells(rows: list[list[Any]]) -> np.ndarray:
    """calamine's rows as a 2-D object array with openpyxl's value types.

    Empty cells ("") -> None; integral floats -> int (openpyxl reads ``<v>123</v>`` as
    int); ``date`` -> ``datetime`` at midnight (openpyxl gives datetimes for date formats).
    Vectorised per column; strings, booleans, times and durations unchanged.
    """
    widths = set(map(len, rows))
    width = max(widths, default=0)
    if len(widths) > 1:
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    cells = np.empty((len(rows), width), dtype=object)
    if rows and width:
        cells[:] = rows
    for j in range(width):
        col = cells[:, j]
        kinds = _TYPE_OF(col)
        is_str = np.equal(kinds, str)
        if is_str.any():
            empty = np.flatnonzero(is_str)
            empty = empty[col[empty] == ""]
            col[empty] = None
        is_float = np.flatnonzero(np.equal(kinds, float))
        if len(is_float):
            v = col[is_float].astype(np.float64)
            whole = np.isfinite(v) & (np.floor(v) == v) & (np.abs(v) < _MAX_EXACT_INT)
            if whole.any():
                col[is_float[whole]] = v[whole].astype(np.int64).astype(object)
        is_date = np.flatnonzero(np.equal(kinds, dt.date))
        if len(is_date):
            days = _TO_ORDINAL(col[is_date]).astype(np.int64) - _ORDINAL_1970
            days = days.astype("datetime64[D]").astype("datetime64[us]")
            col[is_date] = days.astype(object)
    return cells


#: the characters ``str.strip()`` removes (``str.isspace``), for a vectorised pre-check
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _strip_texts(col: np.ndarray) -> None:
    """Strip the strings of an object column in place; whitespace-only -> NaN (as before).

    Only strings starting or ending with whitespace are touched; they are found with
    pyarrow (first/last character), so a clean column costs no Python call per cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    idx = np.flatnonzero(np.equal(_TYPE_OF(col), str))
    if not len(idx):
        return
    try:
        arr = pa.array(col[idx], type=pa.large_string())
        ws = pa.array(list(_WHITESPACE), type=pa.large_string())
        first = pc.is_in(pc.utf8_slice_codeunits(arr, 0, 1), value_set=ws)
        last = pc.is_in(pc.utf8_slice_codeunits(arr, -1, 2**31 - 1), value_set=ws)
        cand = idx[pc.or_(first, last).to_numpy(zero_copy_only=False)]
    except (pa.ArrowException, UnicodeError):  # e.g. lone surrogates: look at every string
        cand = idx
    for i in cand.tolist():
        v = col[i].strip()
        col[i] = v if v else np.nan


def _frame_from_cells(
    cells: np.ndarray,
    path: Path,
    spec: FileSpec,
    expected: Sequence[str],
    *,
    sheet: str,
    scan: SheetScan,
) -> RawTable:
    file = path.name
    for rno, c, text in scan.errors:  # error cells: the text Excel shows, as openpyxl
        if rno - 1 < cells.shape[0] and c < cells.shape[1] and cells[rno - 1, c] is None:
            cells[rno - 1, c] = text
    for j in range(cells.shape[1]):  # strip text; whitespace-only text counts as blank
        _strip_texts(cells[:, j])
    filled = ~pd.isna(cells)
    if not filled.any():
        raise DataError(
            file,
            None,
            "at least one data row",
            found=f"an empty sheet {sheet!r}",
            hint="Set 'sheet' for this file in client.yml if the data are on another sheet",
        )
    n_rows = cells.shape[0]
    if spec.header_row:
        h = spec.header_row - 1
        if h >= n_rows:
            raise DataError(
                file,
                None,
                f"a header in row {spec.header_row} ('header_row')",
                found=f"only {n_rows} row(s)",
            )
    else:
        h = _find_header(cells[: HEADER_SEARCH_ROWS + 1].tolist(), expected)
    # columns up to the last one holding a value from the header row on
    used = np.flatnonzero(filled[h:].any(axis=0))
    width = int(used[-1]) + 1 if len(used) else 0
    names = _header_names(list(cells[h, :width]), file, expected)
    frame = pd.DataFrame(cells[h + 1 :, :width], columns=names, dtype=object)
    rows_no = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    keep = filled[h + 1 :, :width].any(axis=1)
    if not keep.any():
        raise DataError(
            file, None, "at least one data row", rows=[h + 1], found="only a header line"
        )
    _apply_id_formats(path, sheet, frame, spec, header_row=h + 1, names=names, scan=scan)
    frame = frame.loc[keep].reset_index(drop=True)
    frame = _drop_empty_unnamed(frame)
    _check_formulas(path, sheet, frame, expected, header_row=h + 1, names=names, scan=scan)
    return RawTable(
        frame=frame,
        source_rows=rows_no[keep],
        path=path,
        format="xlsx",
        encoding=None,
        delimiter=None,
        header_row=h + 1,
        notes=_header_notes(names),
    )


def _check_formulas(
    path: Path,
    sheet: str,
    frame: pd.DataFrame,
    expected: Sequence[str],
    *,
    header_row: int,
    names: list[str],
    scan: SheetScan,
) -> None:
    """Fatal when mapped cells hold formulas without stored results.

    Files written by tools (not by Excel) often store ``=D2*E2`` without its value;
    calamine and openpyxl then read the cell as empty. Only mapped columns with empty
    cells among the first rows are looked at, with openpyxl over those rows, and only
    when the XML scan saw such a formula there (or could not look).
    """
    import openpyxl

    last = header_row + 51
    if (
        scan.complete
        and scan.formulas_seen_to >= last
        and not any(header_row < r <= last for r in scan.formula_rows)
    ):
        return

    wanted = {norm_name(c) for c in expected if norm_name(c)}
    cols = [
        i for i, c in enumerate(names) if norm_name(c) in wanted and frame[c].head(50).isna().any()
    ]
    if not cols:
        return
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[sheet]
        found: dict[int, tuple[list[int], str]] = {}
        rows = ws.iter_rows(min_row=header_row + 1, max_row=header_row + 51, values_only=True)
        for rno, r in enumerate(rows, start=header_row + 1):
            for i in cols:
                v = r[i] if i < len(r) else None
                if isinstance(v, str) and v.startswith("="):
                    found.setdefault(i, ([], v))[0].append(rno)
    finally:
        wb.close()
    if found:
        i, (rnos, example) = next(iter(found.items()))
        raise DataError(
            path.name,
            names[i],
            "values in the cells",
            rows=rnos[:5],
            found=f"formulas without stored results (e.g. {example!r})",
            hint="Open the file in Excel and save it (Excel stores the results), "
            "or export the values only",
        )


#: canonical id columns whose cells are shown as Excel shows them (number format applied)
_ID_COLUMNS = ("customer_id", "order_id")
_ZERO_PAD = re.compile(r"^0+$")


def zero_padded(value: object, number_format: str | None) -> object:
    """An integral number shown with a zero-padding format as the text Excel shows.

    ``1001`` with ``000000`` -> ``"001001"``; other values and formats unchanged.

    >>> zero_padded(1001, "000000"), zero_padded(1001.0, '"000000"'), zero_padded(7, "General")
    ('001001', '001001', 7)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not number_format:
        return value
    fmt = number_format.split(";")[0].strip().strip('"')
    if not _ZERO_PAD.match(fmt) or value != int(value) or value < 0:
        return value
    return f"{int(value):0{len(fmt)}d}"


def _apply_id_formats(
    path: Path,
    sheet: str,
    frame: pd.DataFrame,
    spec: FileSpec,
    *,
    header_row: int,
    names: list[str],
    scan: SheetScan,
) -> None:
    """Ids stored as numbers with a zero-padding number format (``1001`` shown as
    ``001001``) become the text Excel shows, in place. Only mapped id columns holding
    numbers are looked at; the formats come from the XML scan (openpyxl when the scan
    could not read the sheet)."""
    wanted = {norm_name(spec.columns[k]) for k in _ID_COLUMNS if spec.columns.get(k)}
    cols = [i for i, c in enumerate(names) if norm_name(c) in wanted and _has_numbers(frame[c])]
    if not cols or not len(frame):
        return
    if not scan.complete:
        _apply_id_formats_openpyxl(
            path, sheet, frame, header_row=header_row, names=names, cols=cols
        )
        return
    for i in cols:
        if i not in scan.padded:
            continue
        rnos, widths = scan.padded[i]
        pos = rnos - (header_row + 1)
        ok = (pos >= 0) & (pos < len(frame))
        pos, widths = pos[ok], widths[ok]
        values = frame[names[i]].to_numpy(dtype=object).copy()
        # whole numbers >= 0 only (calamine's whole floats are ints here; bool is no int)
        sel = np.flatnonzero(np.equal(_TYPE_OF(values[pos]), int))
        if len(sel):
            nums = values[pos[sel]].astype(np.int64)
            sel = sel[nums >= 0]
            nums = nums[nums >= 0]
        for w in np.unique(widths[sel]).tolist():
            at = widths[sel] == w
            texts = np.strings.zfill(nums[at].astype(str), w)
            values[pos[sel[at]]] = texts.astype(object)
        frame[names[i]] = values


def _has_numbers(col: pd.Series) -> bool:
    """Whether an object column holds an int or float (bool is no number here)."""
    kinds = _TYPE_OF(col.to_numpy(dtype=object))
    return bool((np.equal(kinds, int) | np.equal(kinds, float)).any())


def _apply_id_formats_openpyxl(
    path: Path,
    sheet: str,
    frame: pd.DataFrame,
    *,
    header_row: int,
    names: list[str],
    cols: list[int],
) -> None:
    """:func:`_apply_id_formats` cell by cell with openpyxl (sheets without cell references)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        for i in cols:
            cells = ws.iter_rows(min_row=header_row + 1, min_col=i + 1, max_col=i + 1)
            values = frame[names[i]].to_numpy(dtype=object).copy()
            for k, row in enumerate(cells):
                if k >= len(values):
                    break
                cell = row[0] if row else None
                fmt = getattr(cell, "number_format", None)
                values[k] = zero_padded(values[k], fmt)
            frame[names[i]] = values
    finally:
        wb.close()
