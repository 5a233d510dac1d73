"""The data rows of write_workbook are built as XML column by column (issue 14, item 5):
the file must hold what xlsxwriter's own ``write_*`` calls write, cell for cell. Each
workbook is written twice, once as the product does and once with every row through the
``write_*`` calls (``_column_cells`` giving no cell XML), and the two are compared part by
part (style numbers resolved to the styles they name; xlsxwriter numbers styles in order of
first use) and cell by cell with openpyxl."""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kk_helpers.core import excel_stream
from kk_helpers.core.excel import Sheet, write_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_excel import xlsx_parts  # noqa: E402 - the benchmark's comparison of xlsx parts

TEXTS = ["Alpha", "=1+2", "-Rabatt", "-12,50", " lead", "trail ", "a\nb", "x\ry", "ctl\x01z",
         "_x0041_", "<r>rich</r>", "a&b<c>", "@SUM(A1)", "", "+49 30", "\tTab", "ü€", "L" * 17_000,
         None]  # fmt: skip


def _sheets(n: int = 120) -> dict:
    rng = np.random.default_rng(5)
    texts = [TEXTS[i % len(TEXTS)] for i in range(n)]
    mixed = [1.5, 2, True, None, "=x", pd.NA, dt.date(2024, 1, 2), np.float64(2.5), "t", np.nan]
    numbers = rng.normal(0, 1e6, n)
    numbers[::7] = np.nan
    numbers[3] = np.inf
    frame = pd.DataFrame(
        {
            "text": texts,
            "text_str": pd.array(texts, dtype="string"),
            "num": numbers,
            "int": rng.integers(-5, 10**12, n),
            "bool": rng.random(n) > 0.5,
            "obj": [mixed[i % len(mixed)] for i in range(n)],
            "date": pd.date_range("2024-01-01", periods=n, freq="37h"),
            "light": [["green", "amber", "red", None][i % 4] for i in range(n)],
            "cls": pd.Categorical([["A", "B", "C", None][i % 4] for i in range(n)]),
            "long": ["Ein recht langer Text, der umbricht " * (1 + i % 4) for i in range(n)],
            "empty": [None] * n,
        }
    )
    kinds = (["money", "pct", None, "int", "dec1"] * n)[:n]
    fills = {"light": {"green": "C6EFCE", "red": "FFC7CE"}, "obj": {"t": "FFEB9C"}}
    return {
        "cases": Sheet(
            frame,
            {"num": "money", "obj": kinds, "empty": "int"},
            fills=fills,
            highlight={"cls": {"A": ("0B3D6B", "FFFFFF")}},
            dropdowns={"light": ["green", "red"]},
        ),  # fmt: skip
        "plain": frame.drop(columns=["long", "obj"]),
        "numbers": frame[["num", "int"]].iloc[: n // 2],
        "=head": pd.DataFrame({"=x": [1, 2], "b": ["u", "v"]}),
        "nothing": pd.DataFrame({"a": []}),
    }


@pytest.fixture()
def both(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_stream, "ROW_BLOCK", 7)  # rows built in blocks of 7
    fast = write_workbook(tmp_path / "fast.xlsx", _sheets(), pct_columns=["num"])
    monkeypatch.setattr(
        excel_stream, "_column_cells", lambda ws, f, c, letter, part: [None] * len(part)
    )
    calls = write_workbook(tmp_path / "calls.xlsx", _sheets(), pct_columns=["num"])
    return fast, calls


def test_same_parts_as_xlsxwriter_calls(both):
    fast, calls = (xlsx_parts(p) for p in both)
    assert fast.keys() == calls.keys()
    for name in fast:
        assert fast[name] == calls[name], name


def test_same_cells_read_back(both):
    books = [openpyxl.load_workbook(p) for p in both]
    for a, b in zip(*(wb.worksheets for wb in books), strict=True):
        assert a.title == b.title
        for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for ca, cb in zip(ra, rb, strict=True):

                def key(c):  # noqa: E306
                    return (c.value, c.data_type, c.number_format, c.fill.fgColor.rgb,
                            c.quotePrefix, c.font.b, c.alignment.wrap_text)  # fmt: skip

                assert key(ca) == key(cb), (a.title, ca.coordinate)
        heights = {r: d.height for r, d in a.row_dimensions.items()}
        assert heights == {r: d.height for r, d in b.row_dimensions.items()}


def test_zip_level_only_while_writing(tmp_path):
    import xlsxwriter.workbook as xw

    before = xw.ZipFile
    write_workbook(tmp_path / "z.xlsx", {"a": pd.DataFrame({"x": [1.0] * 1000})})
    assert xw.ZipFile is before
    with zipfile.ZipFile(tmp_path / "z.xlsx") as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize("with_date", [False, True], ids=["built", "write_calls"])
def test_rich_looking_text_stays_text(tmp_path, with_date):
    """xlsxwriter writes a text ``<r>...</r>`` raw (it takes it for a rich string's XML):
    a customer name must not close its cell and add a formula cell."""
    evil = (
        '<r><t>ok</t></r></is></c><c r="B2" t="str"><f>HYPERLINK("http://x","y")</f>'
        '<v>y</v></c><c r="Z2" t="inlineStr"><is><r><t>z</t></r>'
    )
    frame = pd.DataFrame({"name": [evil, "<r>rich</r>"]})
    if with_date:  # a row with a date goes through xlsxwriter's write_* calls
        frame["day"] = dt.date(2024, 1, 2)
    path = write_workbook(tmp_path / "r.xlsx", {"t": frame})
    ws = openpyxl.load_workbook(path)["t"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert [c.data_type for c in cells if c.column == 1] == ["s", "s"]
    assert [c.value for c in cells if c.column == 1] == [evil, "<r>rich</r>"]
    assert {c.column for c in cells} == ({1, 2} if with_date else {1})
    assert all(c.data_type != "f" for c in cells)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"x": np.zeros(1_048_576, dtype=np.int8)}),  # + header: 1 row too many
        pd.DataFrame(np.zeros((1, 16_385), dtype=np.int8)),
    ],
    ids=["rows", "columns"],
)
def test_more_than_a_sheet_holds_is_refused(tmp_path, frame):
    """The rows built here went past Excel's last row (a file Excel repairs); the write_*
    calls left them out silently. Neither: nothing is written, the error names the sheet."""
    with pytest.raises(ValueError, match="sheet 'big' has"):
        write_workbook(tmp_path / "big.xlsx", {"big": frame})
    assert list(tmp_path.iterdir()) == []
    write_workbook(tmp_path / "ok.xlsx", {"big": frame.iloc[:-1, :16_384]})  # just fits
