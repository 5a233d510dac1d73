"""Tests for kk_helpers.input.readers: raw CSV / XLSX / Parquet reading as found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.readers import detect_format, read_raw
from kk_helpers.input.readers_common import RawTable


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return p


def read(path: Path, expected: tuple[str, ...] = (), **spec: object) -> RawTable:
    return read_raw(path, FileSpec(path=path.name, **spec), expected)


# --- delimiters, quoting, values --------------------------------------------------------


@pytest.mark.parametrize(
    ("delim", "name"),
    [(";", "semi.csv"), (",", "comma.csv"), ("\t", "tab.tsv"), ("|", "pipe.txt")],
)
def test_delimiters_detected(tmp_path: Path, delim: str, name: str) -> None:
    text = delim.join(["KdNr", "Name", "Umsatz"]) + "\n"
    text += delim.join(["00123", "Müller GmbH", "12"]) + "\n"
    text += delim.join(["7", "Meier", "3"]) + "\n"
    raw = read(write(tmp_path, name, text), ("KdNr", "Umsatz"))
    assert raw.format == "csv"
    assert raw.delimiter == delim
    assert list(raw.frame.columns) == ["KdNr", "Name", "Umsatz"]
    assert raw.frame["KdNr"].tolist() == ["00123", "7"]
    assert raw.source_rows.tolist() == [2, 3]
    assert raw.source_rows.dtype == np.int64
    assert raw.header_row == 1


def test_semicolon_with_decimal_comma_not_taken_for_comma(tmp_path: Path) -> None:
    text = "Kunde;Umsatz;Datum\nA;1.234,56;01.03.2024\nB;12,5;02.03.2024\n"
    raw = read(write(tmp_path, "t.csv", text))  # no expected columns: consistency decides
    assert raw.delimiter == ";"
    assert raw.frame["Umsatz"].tolist() == ["1.234,56", "12,5"]


def test_comma_with_decimal_point_and_quoted_thousands(tmp_path: Path) -> None:
    text = 'id,amount\n1,"1,234.56"\n2,12.5\n'
    raw = read(write(tmp_path, "t.csv", text), ("id", "amount"))
    assert raw.delimiter == ","
    assert raw.frame["amount"].tolist() == ["1,234.56", "12.5"]


def test_quoted_fields_blank_lines_and_source_rows(tmp_path: Path) -> None:
    text = (
        "Kundenexport 2024\n"  # line 1: title
        "\n"  # line 2
        "id;name;city\n"  # line 3: header
        '1;"Meier; Hans";Köln\n'  # line 4
        "\n"  # line 5: blank, dropped
        '2;"two\nlines";Bonn\n'  # lines 6-7: one record
        '3;"say ""hi""";  Ulm  \n'  # line 8
        '4;"ends with break\n";Hof\n'  # lines 9-10
        "5;x;Aue\n"  # line 11
    )
    raw = read(write(tmp_path, "t.csv", text), ("id", "name"))
    assert raw.header_row == 3
    assert raw.frame["name"].tolist() == [
        "Meier; Hans",
        "two\nlines",
        'say "hi"',
        "ends with break",
        "x",
    ]
    assert raw.frame["city"].tolist() == ["Köln", "Bonn", "Ulm", "Hof", "Aue"]  # stripped
    assert raw.source_rows.tolist() == [4, 6, 8, 9, 11]


def test_values_are_strings_empty_is_na(tmp_path: Path) -> None:
    text = "id;amount;note\n00123;1,50;\n007;  ;x\n"
    raw = read(write(tmp_path, "t.csv", text), ("id",))
    f = raw.frame
    assert f["id"].tolist() == ["00123", "007"]  # leading zeros kept
    assert f["amount"].iloc[0] == "1,50"
    assert pd.isna(f["amount"].iloc[1]) and pd.isna(f["note"].iloc[0])
    assert all(pd.api.types.is_string_dtype(f[c].dtype) for c in f.columns)
    assert list(f.index) == [0, 1]


def test_header_and_values_whitespace_and_trailing_delimiter(tmp_path: Path) -> None:
    text = " id ; Name ;\n1;A;\n2;B;\n"
    raw = read(write(tmp_path, "t.csv", text), ("id", "name"))  # case-insensitive match
    assert list(raw.frame.columns) == ["id", "Name"]  # original spelling, empty column dropped
    assert raw.frame["Name"].tolist() == ["A", "B"]


def test_configured_header_row_and_delimiter(tmp_path: Path) -> None:
    text = "x|y\nrubbish|here\nA|B\n1|2\n"
    raw = read(write(tmp_path, "t.csv", text), header_row=3, delimiter="|")
    assert list(raw.frame.columns) == ["A", "B"]
    assert raw.source_rows.tolist() == [4]
    assert raw.header_row == 3


def test_configured_header_row_beyond_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="t.csv: expected a header in line 9"):
        read(write(tmp_path, "t.csv", "a;b\n1;2\n"), header_row=9)


def test_tab_alias_in_config(tmp_path: Path) -> None:
    raw = read(write(tmp_path, "t.csv", "a\tb\n1\t2\n"), delimiter="\\t")
    assert raw.delimiter == "\t"
    assert raw.frame["b"].tolist() == ["2"]


def test_line_with_more_fields_than_header(tmp_path: Path) -> None:
    text = "id,amount\n1,12\n2,12,50\n3,4\n"  # decimal comma in a comma file
    with pytest.raises(DataError) as e:
        read(write(tmp_path, "umsatz.csv", text), ("id", "amount"))
    msg = str(e.value)
    assert "umsatz.csv" in msg and "row 3" in msg and "at most 2 fields" in msg
    assert e.value.rows == [3]


# --- encodings ----------------------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    raw = read(write(tmp_path, "t.csv", "Name;Ort\nMüller;Köln €\n"), ("Name", "Ort"))
    assert raw.encoding == "utf-8"
    assert raw.frame["Ort"].tolist() == ["Köln €"]
    assert raw.notes == ()


def test_utf8_bom_not_in_header(tmp_path: Path) -> None:
    raw = read(write(tmp_path, "t.csv", "Kundennr;Name\n1;Müller\n", "utf-8-sig"), ("Kundennr",))
    assert raw.encoding == "utf-8-sig"
    assert list(raw.frame.columns) == ["Kundennr", "Name"]
    assert raw.header_row == 1 and raw.source_rows.tolist() == [2]


def test_bom_removed_with_configured_utf8(tmp_path: Path) -> None:
    p = write(tmp_path, "t.csv", "Kundennr;Name\n1;A\n", "utf-8-sig")
    raw = read(p, ("Kundennr",), encoding="utf-8")
    assert list(raw.frame.columns) == ["Kundennr", "Name"]


def test_cp1252(tmp_path: Path) -> None:
    text = "Name;Betrag\nMüller;€ 5\nGrößer;3\n"
    raw = read(write(tmp_path, "t.csv", text, "cp1252"), ("Name", "Betrag"))
    assert raw.encoding == "cp1252"
    assert raw.frame["Name"].tolist() == ["Müller", "Größer"]
    assert raw.frame["Betrag"].tolist() == ["€ 5", "3"]
    assert raw.notes == ()


def test_cp1252_configured(tmp_path: Path) -> None:
    p = write(tmp_path, "t.csv", "Name;Ort\nMüller;Köln\n", "cp1252")
    raw = read(p, encoding="cp1252")
    assert raw.encoding == "cp1252"
    assert raw.frame["Name"].tolist() == ["Müller"]


def test_mixed_encoding_note(tmp_path: Path) -> None:
    lines = [
        b"Name;Ort",  # 1
        "Müller;Köln".encode(),  # 2 utf-8
        b"Maier;Bonn",  # 3 ascii
        "Schäfer;Düren".encode("cp1252"),  # 4 cp1252
        "Groß;Jülich".encode(),  # 5 utf-8
        "Öztürk;€".encode("cp1252"),  # 6 cp1252
    ]
    raw = read(write(tmp_path, "t.csv", b"\r\n".join(lines) + b"\r\n"), ("Name", "Ort"))
    assert raw.encoding == "utf-8+cp1252"
    assert raw.frame["Name"].tolist() == ["Müller", "Maier", "Schäfer", "Groß", "Öztürk"]
    assert raw.frame["Ort"].tolist() == ["Köln", "Bonn", "Düren", "Jülich", "€"]
    assert len(raw.notes) == 1
    key, count, detail = raw.notes[0]
    assert key == "mixed_encoding" and count == 2
    assert "lines 4, 6" in detail and "cp1252" in detail
    assert raw.source_rows.tolist() == [2, 3, 4, 5, 6]


def test_configured_encoding_wrong(tmp_path: Path) -> None:
    p = write(tmp_path, "kunden.csv", "Name;Ort\nA;B\nMüller;X\n", "cp1252")
    with pytest.raises(DataError) as e:
        read(p, encoding="utf-8")
    msg = str(e.value)
    assert "kunden.csv" in msg and "row 3" in msg and "'utf-8'" in msg


# --- errors ---------------------------------------------------------------------------------


def test_wrong_configured_delimiter(tmp_path: Path) -> None:
    p = write(tmp_path, "umsatz.csv", "Kunde,Datum,Umsatz\n1,2024-01-01,5\n")
    with pytest.raises(DataError) as e:
        read(p, ("Kunde", "Datum", "Umsatz"), delimiter=";")
    msg = str(e.value)
    assert "umsatz.csv" in msg
    assert "';' (semicolon)" in msg and "configured" in msg
    assert "seems to use ',' (comma)" in msg
    assert "a single column 'Kunde,Datum,Umsatz'" in msg


def test_unknown_delimiter_single_column(tmp_path: Path) -> None:
    p = write(tmp_path, "t.csv", "Kunde#Umsatz\n1#5\n")
    with pytest.raises(DataError, match="No other usual delimiter"):
        read(p, ("Kunde", "Umsatz"))


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(DataError) as e:
        read(write(tmp_path, "leer.csv", content), ("id",))
    assert str(e.value) == "leer.csv: expected at least one data row, found an empty file"


def test_header_only_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as e:
        read(write(tmp_path, "kopf.csv", "id;name\n\n"), ("id",))
    msg = str(e.value)
    assert msg.startswith("kopf.csv")
    assert "expected at least one data row" in msg and "found only a header line" in msg


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file") as e:
        read(tmp_path / "fehlt.csv")
    assert "fehlt.csv" in str(e.value)


def test_duplicate_headers(tmp_path: Path) -> None:
    # a duplicated mapped column is fatal (issue 10, item 17) ...
    with pytest.raises(DataError) as e:
        read(write(tmp_path, "dup.csv", "id;Name;name;Name\n1;a;b;c\n"), ("id", "Name"))
    msg = str(e.value)
    assert "dup.csv" in msg and "duplicate column name(s) 'Name'" in msg
    # ... a duplicated unmapped one is renamed, noted and ignored
    raw = read(write(tmp_path, "dup2.csv", "id;Name;name;Name\n1;a;b;c\n"), ("id",))
    assert list(raw.frame.columns) == ["id", "Name", "name", "Name (2)"]
    assert raw.notes[0][0] == "duplicate_column_name" and "'Name'" in raw.notes[0][2]


def test_format_detection(tmp_path: Path) -> None:
    assert detect_format(Path("a.TSV")) == "csv"
    assert detect_format(Path("a.xlsm")) == "xlsx"
    assert detect_format(Path("a.pq")) == "parquet"
    with pytest.raises(DataError, match="'.dat'"):
        detect_format(Path("export.dat"))
    p = write(tmp_path, "export.dat", "a;b\n1;2\n")
    assert read(p, format="csv").frame["b"].tolist() == ["2"]


# --- XLSX ---------------------------------------------------------------------------------


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_xlsx_title_row_numeric_ids(tmp_path: Path) -> None:
    rows = [
        ["Kundenliste Stand 31.12.2024", None, None],  # row 1: title
        [None, None, None],  # row 2: empty
        ["Kundennr", " Name ", "Seit"],  # row 3: header
        [123, "Müller ", dt.datetime(2020, 5, 1)],  # row 4
        [None, None, None],  # row 5: empty, dropped
        [456.0, "Meier", None],  # row 6
        ["00789", "  ", dt.datetime(2021, 1, 2)],  # row 7
        [None, None, None],  # trailing empties dropped
        [None, None, None],
    ]
    p = make_xlsx(tmp_path / "kunden.xlsx", {"Kunden": rows})
    raw = read(p, ("Kundennr", "Name"))
    assert raw.format == "xlsx" and raw.encoding is None and raw.delimiter is None
    assert raw.header_row == 3
    assert list(raw.frame.columns) == ["Kundennr", "Name", "Seit"]
    assert raw.source_rows.tolist() == [4, 6, 7]
    f = raw.frame
    assert f["Kundennr"].tolist()[0] == 123 and isinstance(f["Kundennr"].iloc[0], int)
    assert f["Kundennr"].iloc[2] == "00789"
    assert f["Name"].iloc[0] == "Müller" and pd.isna(f["Name"].iloc[2])
    assert f["Seit"].iloc[0] == dt.datetime(2020, 5, 1) and pd.isna(f["Seit"].iloc[1])
    assert all(f[c].dtype == object for c in f.columns)


def test_xlsx_title_row_without_expected_columns(tmp_path: Path) -> None:
    rows = [["Export"], ["a", "b", "c"], [1, 2, 3], [4, None, 6]]
    raw = read(make_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert raw.header_row == 2
    assert raw.source_rows.tolist() == [3, 4]


def test_xlsx_sheet_by_name_and_index(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "t.xlsx", {"Info": [["x"], [1]], "Daten": [["id"], [7]]})
    assert read(p, sheet="Daten").frame["id"].tolist() == [7]
    assert read(p, sheet=1).frame["id"].tolist() == [7]
    assert read(p).frame["x"].tolist() == [1]  # default: first sheet


def test_xlsx_unknown_sheet(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "t.xlsx", {"Info": [["x"], [1]], "Daten": [["id"], [7]]})
    with pytest.raises(DataError) as e:
        read(p, sheet="Umsatz")
    msg = str(e.value)
    assert "t.xlsx" in msg and "'Umsatz'" in msg and "'Info', 'Daten'" in msg
    with pytest.raises(DataError, match="'Info', 'Daten'"):
        read(p, sheet=5)


def test_xlsx_header_only_and_empty(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "kopf.xlsx", {"S": [["id", "name"], [None, None]]})
    with pytest.raises(DataError, match="found only a header line") as e:
        read(p, ("id",))
    assert "kopf.xlsx" in str(e.value)
    p = make_xlsx(tmp_path / "leer.xlsx", {"S": []})
    with pytest.raises(DataError, match="leer.xlsx: expected at least one data row"):
        read(p)


def test_xlsx_duplicate_header(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "d.xlsx", {"S": [["id", "id"], [1, 2]]})
    with pytest.raises(DataError, match="duplicate column name"):
        read(p, ("id",))
    assert list(read(p, ("x",)).frame.columns) == ["id", "id (2)"]


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_round_trip(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "customer": ["00123", "7", "00123"],
            "revenue": [1.5, -2.0, 3.25],
            "qty": [1, 2, 3],
            "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
        }
    )
    p = tmp_path / "t.parquet"
    df.to_parquet(p)
    raw = read(p)
    assert raw.format == "parquet" and raw.header_row == 1
    assert raw.source_rows.tolist() == [2, 3, 4]
    assert list(raw.frame.columns) == list(df.columns)
    assert raw.frame["customer"].astype(str).tolist() == ["00123", "7", "00123"]
    assert raw.frame["revenue"].dtype == np.float64
    assert pd.api.types.is_integer_dtype(raw.frame["qty"].dtype)
    assert pd.api.types.is_datetime64_any_dtype(raw.frame["date"].dtype)
    pd.testing.assert_series_equal(raw.frame["revenue"], df["revenue"])


def test_parquet_empty(tmp_path: Path) -> None:
    p = tmp_path / "e.parquet"
    pd.DataFrame({"a": pd.Series([], dtype=float)}).to_parquet(p)
    with pytest.raises(DataError, match="e.parquet: expected at least one data row"):
        read(p)


# --- XLSX through python-calamine: what openpyxl gave must stay the same ----------------------


def _patch_xml(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes in the first worksheet's XML (to write what openpyxl cannot)."""
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            dst.writestr(item, data)
    tmp.replace(path)


def test_xlsx_value_types_as_openpyxl_gives_them(tmp_path: Path) -> None:
    rows = [
        ["id", "amount", "day", "stamp", "at", "ok", "big"],
        [7, 12.5, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 14, 30), dt.time(8, 15), True, 1e20],
        [8.0, -3, dt.datetime(2024, 12, 31), None, None, False, 2**40],
    ]
    raw = read(make_xlsx(tmp_path / "t.xlsx", {"S": rows}), ("id",))
    f = raw.frame
    # whole numbers are int (openpyxl reads <v>8</v> as int), others float
    assert [type(v) for v in f["id"]] == [int, int] and f["id"].tolist() == [7, 8]
    assert f["amount"].tolist() == [12.5, -3] and isinstance(f["amount"].iloc[1], int)
    assert f["big"].tolist() == [1e20, 2**40] and isinstance(f["big"].iloc[1], int)
    # a date-formatted cell is a datetime at midnight, with its time if it has one
    assert f["day"].tolist() == [dt.datetime(2024, 3, 1), dt.datetime(2024, 12, 31)]
    assert all(type(v) is dt.datetime for v in f["day"])
    assert f["stamp"].iloc[0] == dt.datetime(2024, 3, 1, 14, 30)
    assert f["at"].iloc[0] == dt.time(8, 15)
    assert f["ok"].tolist() == [True, False] and all(type(v) is bool for v in f["ok"])
    assert all(f[c].dtype == object for c in f.columns)


def test_xlsx_data_away_from_a1_keeps_row_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C5"], ws["D5"] = "Kunde", "Umsatz"  # header in row 5, columns C and D
    ws["C6"], ws["D6"] = "A", 1
    ws["C9"], ws["D9"] = "B", 2  # rows 7, 8 empty
    p = tmp_path / "t.xlsx"
    wb.save(p)
    raw = read(p, ("Kunde", "Umsatz"))
    assert raw.header_row == 5 and raw.source_rows.tolist() == [6, 9]
    assert list(raw.frame.columns) == ["Kunde", "Umsatz"]  # empty columns A, B dropped
    assert raw.frame["Umsatz"].tolist() == [1, 2]


def test_xlsx_error_cells_read_as_excel_shows_them(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "t.xlsx", {"S": [["Kunde", "Umsatz"], ["A", 1], ["B", 2], ["C", 3]]})
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws["B3"].value, ws["B3"].data_type = "#DIV/0!", "e"
    ws["A4"].value, ws["A4"].data_type = "#N/A", "e"
    wb.save(p)
    raw = read(p, ("Kunde", "Umsatz"))
    assert raw.frame["Umsatz"].tolist() == [1, "#DIV/0!", 3]
    assert raw.frame["Kunde"].tolist() == ["A", "B", "#N/A"]
    assert raw.source_rows.tolist() == [2, 3, 4]


def test_xlsx_formula_with_stored_result_is_its_value(tmp_path: Path) -> None:
    p = make_xlsx(tmp_path / "t.xlsx", {"S": [["Kunde", "Menge", "Umsatz"], ["1", 2, "=B2*3"]]})
    _patch_xml(p, b"<f>B2*3</f><v></v>", b"<f>B2*3</f><v>6</v>")
    raw = read(p, ("Kunde", "Umsatz"))
    assert raw.frame["Umsatz"].tolist() == [6]


def test_xlsx_formula_without_result_in_a_later_column_reported(tmp_path: Path) -> None:
    rows = [["Kunde", "Umsatz"], ["1", 5], ["2", "=1+1"], ["3", "=2+2"]]
    with pytest.raises(DataError) as e:
        read(make_xlsx(tmp_path / "t.xlsx", {"S": rows}), ("Kunde", "Umsatz"))
    msg = str(e.value)
    assert "column 'Umsatz', rows 3, 4" in msg and "'=1+1'" in msg


def _padded_ids_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Beleg", "Kunde", "Menge"])
    ws.append([42, 123, 5])  # row 2: both ids formatted
    ws.append([43, "00456", 6])  # row 3: a text id stays as it is
    ws.append([None, None, None])  # row 4: empty
    ws.append([44, 789, 7])  # row 5: customer id without format
    ws.append([45, 12.5, 8])  # row 6: not a whole number: unchanged
    for r in (2, 5, 6):
        ws.cell(r, 1).number_format = "0000000"
    for r in (2, 6):
        ws.cell(r, 2).number_format = '"00000";-0'
    ws.cell(2, 3).number_format = "000"  # quantity: not an id, not padded
    wb.save(path)
    return path


def test_xlsx_zero_padding_formats_on_order_and_customer_ids(tmp_path: Path) -> None:
    p = _padded_ids_workbook(tmp_path / "t.xlsx")
    cols = {"order_id": "Beleg", "customer_id": "Kunde"}
    raw = read(p, ("Beleg", "Kunde"), columns=cols)
    assert raw.frame["Beleg"].tolist() == ["0000042", 43, "0000044", "0000045"]
    assert raw.frame["Kunde"].tolist() == ["00123", "00456", 789, 12.5]
    assert raw.frame["Menge"].tolist() == [5, 6, 7, 8]
    assert raw.source_rows.tolist() == [2, 3, 5, 6]


def test_xlsx_openpyxl_fallback_gives_the_same_ids(tmp_path: Path, monkeypatch) -> None:
    from kk_helpers.input import readers_xlsx_scan as scan

    p = _padded_ids_workbook(tmp_path / "t.xlsx")
    cols = {"order_id": "Beleg", "customer_id": "Kunde"}
    fast = read(p, ("Beleg", "Kunde"), columns=cols).frame
    monkeypatch.setattr(scan, "scan_sheet", lambda path, sheet: scan.SheetScan(complete=False))
    slow = read(p, ("Beleg", "Kunde"), columns=cols).frame
    pd.testing.assert_frame_equal(fast, slow)


def test_xlsx_scan_finds_styles_and_errors_on_the_named_sheet(tmp_path: Path) -> None:
    from kk_helpers.input.readers_xlsx_scan import scan_sheet

    p = make_xlsx(tmp_path / "t.xlsx", {"Info": [["x"]], "Daten": [["id"], [1], [2], [3]]})
    wb = openpyxl.load_workbook(p)
    ws = wb["Daten"]
    ws["A2"].number_format = "0000"
    ws["A4"].number_format = "000000"
    ws["B3"].value, ws["B3"].data_type = "#REF!", "e"
    wb.save(p)
    res = scan_sheet(p, "Daten")
    assert res.complete and res.errors == [(3, 1, "#REF!")]
    rows, widths = res.padded[0]
    assert rows.tolist() == [2, 4] and widths.tolist() == [4, 6]
    assert scan_sheet(p, "Info").padded == {} and not scan_sheet(p, "Nope").complete
    assert res.formula_rows == [] and res.formulas_seen_to > 4


def test_xlsx_scan_finds_formulas_without_results_only(tmp_path: Path) -> None:
    from kk_helpers.input.readers_xlsx_scan import scan_sheet

    rows = [["a", "b"], [1, "=A2*2"], [2, "=A3*2"], [3, "=A4*2"], [4, "=A5*2"]]
    p = make_xlsx(tmp_path / "t.xlsx", {"S": rows})
    _patch_xml(p, b"<f>A3*2</f><v></v>", b"<f>A3*2</f><v>4</v>")  # row 3: stored result
    _patch_xml(p, b"<f>A4*2</f><v></v>", b"<f>A4*2</f>")  # row 4: no <v> at all
    _patch_xml(p, b"<f>A5*2</f><v></v>", b'<f t="shared" si="0"/><v/>')  # row 5: shared
    assert scan_sheet(p, "S").formula_rows == [2, 4, 5]
