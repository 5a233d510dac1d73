"""XLSX reading as found: the sheet, the header row (also below a title row), cell values."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.parsing import _str_mask
from kk_helpers.input.readers_common import (
    HEADER_SEARCH_ROWS,
    RawTable,
    _drop_empty_unnamed,
    _find_header,
    _header_names,
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
    except (InvalidFileException, OSError, KeyError, ValueError) as e:
        raise DataError(
            file, None, "a readable Excel workbook (.xlsx)", found=str(e) or type(e).__name__
        ) from None
    try:
        sheets = wb.sheetnames
        sheet = spec.sheet
        if sheet is None:
            ws = wb.worksheets[0]
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
    finally:
        wb.close()

    def blank(r: tuple) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in r)

    records = [list(r) for r in rows[: HEADER_SEARCH_ROWS + 1]]
    if all(blank(r) for r in rows):
        raise DataError(
            file, None, "at least one data row", found="an empty sheet" if rows else "an empty file"
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
    names = _header_names(header, file)

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
    frame = frame.loc[keep].reset_index(drop=True)
    frame = _drop_empty_unnamed(frame)
    return RawTable(
        frame=frame,
        source_rows=rows_no[keep],
        path=path,
        format="xlsx",
        encoding=None,
        delimiter=None,
        header_row=h + 1,
    )
