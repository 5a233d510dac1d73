"""XLSX reading as found: the sheet, the header row (also below a title row), cell values."""

from __future__ import annotations

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
from kk_helpers.input.parsing import _str_mask
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

# --- XLSX ------------------------------------------------------------------------------


def _read_xlsx(path: Path, spec: FileSpec, expected: Sequence[str]) -> RawTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    file = path.name
    if path.stat().st_size == 0:
        raise DataError(file, None, "at least one data row", found="an empty file")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise _unreadable(path, e) from None
    try:
        rows, ws_title = _sheet_rows(wb, spec, expected, file)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as e:
        raise _unreadable(path, e) from None
    finally:
        wb.close()
    return _frame_from_rows(rows, path, spec, expected, ws_title)


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


def _sheet_hits(ws: Any, wanted: set[str]) -> tuple[int, bool, list[str]]:
    """(mapped names found in one of the first rows, sheet empty, first non-empty row)."""
    best, first, empty = 0, [], True
    for r in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS + 1, values_only=True):
        cells = [norm_name(c) for c in r]
        if any(cells):
            empty = False
            first = first or [_cell_text(c) for c in r if _cell_text(c)]
        best = max(best, len(wanted & set(cells)))
    return best, empty, first


def _choose_sheet(wb: Any, expected: Sequence[str], file: str) -> Any:
    """The first sheet whose header holds every mapped column; else DataError listing
    the sheets (several sheets) or the first sheet (a single one)."""
    wanted = {norm_name(c) for c in expected if norm_name(c)}
    if not wanted or len(wb.worksheets) == 1:
        return wb.worksheets[0]
    seen = []
    for ws in wb.worksheets:
        hits, empty, first = _sheet_hits(ws, wanted)
        if hits == len(wanted):
            return ws
        what = (
            "empty"
            if empty
            else "columns "
            + ", ".join(repr(c) for c in first[:4])
            + (", ..." if len(first) > 4 else "")
        )
        seen.append(f"{ws.title!r} ({what})")
    return DataError(
        file,
        None,
        "a sheet whose header holds the mapped columns "
        + ", ".join(repr(c) for c in expected if norm_name(c)),
        found="the sheets " + "; ".join(seen),
        hint="Set 'sheet' for this file in client.yml to the sheet with the data",
    )


def _sheet_rows(
    wb: Any, spec: FileSpec, expected: Sequence[str], file: str
) -> tuple[list[tuple], str]:
    """All rows (values) of the sheet to read and its title."""
    sheets = wb.sheetnames
    sheet = spec.sheet
    if sheet is None:
        ws = _choose_sheet(wb, expected, file)
        if isinstance(ws, DataError):
            raise ws
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheets):
            raise DataError(
                file,
                None,
                f"a sheet number {sheet} (0-based)",
                found=f"{len(sheets)} sheet(s): " + ", ".join(repr(s) for s in sheets),
            )
        ws = wb.worksheets[sheet]
    else:
        if sheet not in sheets:
            raise DataError(
                file,
                None,
                f"a sheet named {sheet!r}",
                found="the sheets " + ", ".join(repr(s) for s in sheets),
            )
        ws = wb[sheet]
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # exported dimensions are often wrong; read every row
    rows = [tuple(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    return rows, ws.title


def _frame_from_rows(
    rows: list[tuple], path: Path, spec: FileSpec, expected: Sequence[str], sheet: str
) -> RawTable:
    file = path.name

    def blank(r: tuple) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in r)

    records = [list(r) for r in rows[: HEADER_SEARCH_ROWS + 1]]
    if all(blank(r) for r in rows):
        raise DataError(
            file,
            None,
            "at least one data row",
            found=f"an empty sheet {sheet!r}",
            hint="Set 'sheet' for this file in client.yml if the data are on another sheet",
        )
    if spec.header_row:
        h = spec.header_row - 1
        if h >= len(rows):
            raise DataError(
                file,
                None,
                f"a header in row {spec.header_row} ('header_row')",
                found=f"only {len(rows)} row(s)",
            )
    else:
        h = _find_header(records, expected)
    header = list(rows[h])
    width = max((len(r) for r in rows[h:]), default=0)
    header += [None] * (width - len(header))
    names = _header_names(header, file, expected)

    body = rows[h + 1 :]
    if any(len(r) != width for r in body):  # openpyxl leaves rows ragged after reset_dimensions
        body = [r + (None,) * (width - len(r)) for r in body]
    cells = np.empty((len(body), width), dtype=object)
    if body and width:
        cells[:] = body
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    for c in names:  # strip strings, whitespace-only -> NA (vectorised per column)
        col = frame[c]
        is_str = _str_mask(col)
        if is_str.any():
            stripped = col.where(~is_str, col.str.strip())
            frame[c] = stripped.mask(is_str & (stripped == ""))
    rows_no = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    keep = frame.notna().any(axis=1).to_numpy()
    if not keep.any():
        raise DataError(
            file, None, "at least one data row", rows=[h + 1], found="only a header line"
        )
    _apply_id_formats(path, sheet, frame, spec, header_row=h + 1, names=names)
    frame = frame.loc[keep].reset_index(drop=True)
    frame = _drop_empty_unnamed(frame)
    _check_formulas(path, sheet, frame, expected, header_row=h + 1, names=names)
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
) -> None:
    """Fatal when mapped cells hold formulas without stored results.

    Files written by tools (not by Excel) often store ``=D2*E2`` without its value;
    openpyxl then reads the cell as empty. Only mapped columns with empty cells among
    the first rows are looked at, in a second pass over those rows.
    """
    import openpyxl

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
) -> None:
    """Ids stored as numbers with a zero-padding number format (``1001`` shown as
    ``001001``) become the text Excel shows, in place. Only mapped id columns holding
    numbers are looked at, in a second pass over those columns' cells."""
    import openpyxl

    wanted = {norm_name(spec.columns[k]) for k in _ID_COLUMNS if spec.columns.get(k)}
    cols = [
        i
        for i, c in enumerate(names)
        if norm_name(c) in wanted
        and frame[c].map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).any()
    ]
    if not cols or not len(frame):
        return
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
