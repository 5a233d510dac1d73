"""write_workbook streamed with xlsxwriter (issue 14, item 5): what a reader sees, cell by
cell, on a small hand-made sheet, read back with openpyxl; the file is replaced atomically."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kk_helpers.core.excel import LIGHT_FILLS, Sheet, write_workbook


@pytest.fixture()
def book(tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["007", "-12"],
            "name": ["=1+2", "Beta AG"],
            "revenue": [1234.5, np.nan],
            "orders": [3, 4],
            "day": pd.to_datetime(["2025-01-31", None]),
            "flag": [True, False],
            "light": ["gut", "schlecht"],
            "mixed": [0.25, "n/a"],
        }
    )
    sheet = Sheet(
        frame,
        {"id": "text", "revenue": "money", "mixed": ["pct", None]},
        fills={"light": {"gut": LIGHT_FILLS["green"], "schlecht": LIGHT_FILLS["red"]}},
        freeze="C2",
        widths={"name": 20},
    )
    path = write_workbook(tmp_path / "b.xlsx", {"A" * 40: sheet}, lang="de")
    return path, openpyxl.load_workbook(path)


def test_values_types_and_formats(book):
    _, wb = book
    assert wb.sheetnames == ["A" * 31]  # Excel's 31 characters
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [
        "id", "name", "revenue", "orders", "day", "flag", "light", "mixed"
    ]  # fmt: skip
    a, b = ws[2], ws[3]
    assert a[0].value == "007" and a[0].number_format == "@"  # ids stay text
    assert b[0].value == "-12" and b[0].data_type == "s"  # a signed number as text: no prefix
    assert a[1].value == "=1+2" and a[1].data_type == "s" and a[1].quotePrefix
    assert a[2].value == 1234.5 and a[2].number_format == '#,##0 "€"'
    assert b[2].value is None and b[2].number_format == '#,##0 "€"'  # empty, formatted
    assert a[3].value == 3 and a[3].number_format == "#,##0"  # inferred count
    assert a[4].value == dt.datetime(2025, 1, 31) and a[4].number_format == "DD.MM.YYYY"
    assert b[4].value is None
    assert a[5].value is True and b[5].value is False
    assert a[6].fill.fgColor.rgb.endswith(LIGHT_FILLS["green"])
    assert b[6].fill.fgColor.rgb.endswith(LIGHT_FILLS["red"])
    assert a[7].value == 0.25 and a[7].number_format == "0.0 %"  # one kind per row
    assert b[7].value == "n/a" and b[7].number_format == "General"


def test_layout_and_print_setup(book):
    _, wb = book
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:H3"
    assert ws.column_dimensions["B"].width == 20  # stored as given, not + padding
    assert 6 <= ws.column_dimensions["C"].width <= 60
    head = ws["A1"]
    assert head.font.b and head.fill.fgColor.rgb.endswith("1F4E79") and head.alignment.wrap_text
    assert ws.row_dimensions[1].height == 18  # one header line: 15 + 3
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    assert ws.print_title_rows == "$1:$1"
    assert (ws.page_margins.left, ws.page_margins.top, ws.page_margins.footer) == (0.4, 0.6, 0.3)
    assert ws.oddFooter.left.text == "&A" and ws.oddFooter.right.text == "&P / &N"


def test_long_texts_wrap_with_row_heights(tmp_path):
    """A 200-character note in a column 60 wide: ceil(200 * 1.1 / 59) = 4 lines -> 15 * 4 + 2
    = 62 pt, stored in whole pixels: round(62 * 4 / 3) = 83 px = 62.25 pt."""
    frame = pd.DataFrame({"topic": ["a", "b"], "note": ["x" * 200, "short"]})
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "w.xlsx", {"s": frame})).active
    assert ws.column_dimensions["B"].width == 60
    assert ws["B2"].alignment.wrap_text and ws["B2"].alignment.vertical == "top"
    assert ws.row_dimensions[2].height == 62.25
    assert ws.row_dimensions[3].height is None  # one line: Excel's default


def test_conditional_colours_and_no_inference(tmp_path):
    frame = pd.DataFrame({"class": ["A", "B"], "weight": [1.5, 2.0]})
    sheet = Sheet(frame, infer=False, highlight={"class": {"A": ("0B3D6B", "FFFFFF")}},
                  header_fill="1F5F99", header_height=30)  # fmt: skip
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "c.xlsx", {"s": sheet})).active
    rules = [(str(rng.sqref), r) for rng in ws.conditional_formatting for r in rng.rules]
    assert [(ref, r.operator, r.formula) for ref, r in rules] == [("A2:A3", "equal", ['"A"'])]
    assert ws["B2"].number_format == "General"  # not inferred
    assert ws.row_dimensions[1].height == 30 and ws["A1"].fill.fgColor.rgb.endswith("1F5F99")


def test_carriage_return_and_escape_like_text(tmp_path):
    frame = pd.DataFrame({"t": ["\r1+2", "a\rb", "_x0041_"]})
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "r.xlsx", {"s": frame})).active
    assert ws["A2"].value in ("\r1+2", "\n1+2") and ws["A2"].quotePrefix
    assert ws["A3"].value in ("a\rb", "a\nb")


def test_written_atomically(tmp_path, monkeypatch):
    from kk_helpers.core import excel_stream

    path = tmp_path / "x.xlsx"
    write_workbook(path, {"s": pd.DataFrame({"a": [1]})})
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(excel_stream, "write_sheet", fail)
    with pytest.raises(RuntimeError):
        write_workbook(path, {"s": pd.DataFrame({"a": [2]})})
    assert path.read_bytes() == before  # the old file untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]  # no temporary file left


def test_dropdown_on_the_rows_and_fifty_more(tmp_path):
    """Two data rows: the list covers C2 to C(2 + 1 + 50) = C53, entries not enforced."""
    from kk_helpers.core.excel import sheet_from

    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "status": ["offen", "offen"]})
    sheet = sheet_from(frame, str.title, dropdowns={"status": ["offen", "erledigt"]})
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "d.xlsx", {"s": sheet})).active
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.formula1, str(dv.sqref)) == ("list", '"offen,erledigt"', "C2:C53")
    assert dv.allow_blank and not dv.showErrorMessage
