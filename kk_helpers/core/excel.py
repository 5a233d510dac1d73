"""Excel output for clients: one function that writes tidy, filterable sheets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

HEADER_FILL = "1F4E79"
MAX_SHEET_NAME = 31


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
    31 characters. Frames are not modified. Returns ``path``.
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
