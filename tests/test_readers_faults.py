"""Reader faults of real exports (issue 10, items 10-18): each with its message or value."""

from __future__ import annotations

import pandas as pd
import pytest

from kk_helpers.core import columns as C
from kk_helpers.core.config import ConfigError, FileSpec, parse_config
from kk_helpers.core.errors import DataError
from kk_helpers.input.loading import load_client
from kk_helpers.input.readers import read_raw

BASE = {
    "client": {"name": "X"},
    "analysis": {"years": [2024]},
    "files": {"transactions": {"path": "t.csv"}},
}


# --- 10: delimiters -------------------------------------------------------------------------


def test_whitespace_separated_file(make_client) -> None:
    tx = (
        "Kunde  Datum     Menge Umsatz\n"
        " 00123 20240101  1   11.77\n"
        " 00456 20240102  2   12.00\n"
        "\t789\t20240103\t3\t1.23\n"
    )
    cfg = {
        "files": {
            "transactions": {
                "delimiter": "whitespace",
                "date_format": "%Y%m%d",
                "columns": {"quantity": "Menge", "cost": None, "channel": None},
                "values": None,
            }
        }
    }
    data = load_client(make_client(transactions=tx, config=cfg))
    # by hand: 11.77 + 12.00 + 1.23 = 25.00
    assert data.transactions[C.REVENUE].sum() == pytest.approx(25.0)
    assert data.transactions[C.QUANTITY].tolist() == [1.0, 2.0, 3.0]
    assert data.transactions["source_row"].tolist() == [2, 3, 4]


@pytest.mark.parametrize("bad", ["\\s+", ";;", "\n"])
def test_invalid_delimiter_refused_by_config(bad: str) -> None:
    cfg = {**BASE, "files": {"transactions": {"path": "t.csv", "delimiter": bad}}}
    with pytest.raises(ConfigError, match="files.transactions.delimiter"):
        parse_config(cfg)


@pytest.mark.parametrize("ok", [";", "tab", "whitespace", "pipe", "\t"])
def test_valid_delimiters_accepted(ok: str) -> None:
    cfg = {**BASE, "files": {"transactions": {"path": "t.csv", "delimiter": ok}}}
    assert parse_config(cfg).files.transactions.delimiter == ok


# --- 11: a single column means the delimiter --------------------------------------------------


def test_single_column_names_the_delimiter(tmp_path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("Kunde Datum Umsatz\n1 2024-01-01 3\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_raw(p, FileSpec(path="t.csv"), ["Kunde", "Datum", "Umsatz"])
    msg = str(e.value)
    assert "Check the delimiter (tried: ';' (semicolon), ',' (comma), tab, '|' (pipe))" in msg
    assert "delimiter: whitespace" in msg


def test_single_column_xlsx_points_to_delimiter(make_client, tmp_path) -> None:
    frame = pd.DataFrame({"Kunde;Datum;Umsatz": ["00123;15.03.2024;10,00"]})
    path = tmp_path / "tx.xlsx"
    frame.to_excel(path, index=False)
    cfg = {"files": {"transactions": {"path": "tx.xlsx"}}}
    with pytest.raises(DataError) as e:
        load_client(make_client(transactions=path.read_bytes(), config=cfg))
    assert "single column" in str(e.value) and "check the delimiter" in str(e.value)


# --- 13: workbooks that are not what they seem -----------------------------------------------


def test_xlsx_named_csv_is_called_what_it_is(tmp_path) -> None:
    p = tmp_path / "customers.csv"
    pd.DataFrame({"a": [1]}).to_excel(tmp_path / "x.xlsx", index=False)
    p.write_bytes((tmp_path / "x.xlsx").read_bytes())
    with pytest.raises(DataError, match=r"customers.csv: expected a CSV text file, found an Excel"):
        read_raw(p, FileSpec(path="customers.csv"), ["a"])


@pytest.mark.parametrize(
    "content",
    [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, b"PK\x03\x04broken", b"not a zip"],
)
def test_encrypted_or_corrupt_xlsx_is_a_data_error(tmp_path, content: bytes) -> None:
    p = tmp_path / "customers.xlsx"
    p.write_bytes(content)
    with pytest.raises(DataError) as e:
        read_raw(p, FileSpec(path="customers.xlsx"), ["a"])
    assert str(e.value).startswith("customers.xlsx: expected a readable Excel workbook")


# --- 18: line endings and encodings ---------------------------------------------------------


def test_old_mac_line_endings(tmp_path) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes(b"id;name\r1;A\r2;B\r")
    raw = read_raw(p, FileSpec(path="t.csv"), ["id", "name"])
    assert raw.frame["name"].tolist() == ["A", "B"] and raw.source_rows.tolist() == [2, 3]


@pytest.mark.parametrize("enc", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path, enc: str) -> None:
    p = tmp_path / "t.csv"
    text = "id;name\r\n1;Müller\r\n2;Øre\r\n"
    data = text.encode(enc)
    if enc == "utf-16-be":
        data = b"\xfe\xff" + data
    p.write_bytes(data)
    raw = read_raw(p, FileSpec(path="t.csv"), ["id", "name"])
    assert raw.frame["name"].tolist() == ["Müller", "Øre"]


# --- 12: the data on another sheet; 14: formulas without values -----------------------------


def _workbook(path, sheets: dict[str, list[list[object]]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def test_xlsx_sheet_with_the_mapped_columns_is_chosen(tmp_path) -> None:
    p = tmp_path / "t.xlsx"
    _workbook(
        p,
        {
            "Hinweise": [["Export aus ERP am 01.01.2025"], ["Bitte nicht ändern"]],
            "Umsätze": [["Kunde", "Umsatz"], ["00123", 10.5], ["7", 2]],
        },
    )
    raw = read_raw(p, FileSpec(path="t.xlsx"), ["Kunde", "Umsatz"])
    assert raw.frame["Umsatz"].tolist() == [10.5, 2]


def test_xlsx_without_a_matching_sheet_lists_the_sheets(tmp_path) -> None:
    p = tmp_path / "t.xlsx"
    _workbook(p, {"Leer": [], "Daten": [["Nr", "Betrag"], [1, 2]]})
    with pytest.raises(DataError) as e:
        read_raw(p, FileSpec(path="t.xlsx"), ["Kunde", "Umsatz"])
    msg = str(e.value)
    assert "'Leer' (empty)" in msg and "'Daten' (columns 'Nr', 'Betrag')" in msg
    assert "Set 'sheet'" in msg


def test_xlsx_empty_first_sheet_named(tmp_path) -> None:
    p = tmp_path / "t.xlsx"
    _workbook(p, {"Tabelle1": []})
    with pytest.raises(DataError, match="an empty sheet 'Tabelle1'"):
        read_raw(p, FileSpec(path="t.xlsx"), ["Kunde"])


def test_xlsx_formulas_without_values(tmp_path) -> None:
    p = tmp_path / "t.xlsx"
    _workbook(p, {"S": [["Kunde", "Menge", "Preis", "Umsatz"], ["1", 2, 3.5, "=B2*C2"]]})
    with pytest.raises(DataError) as e:
        read_raw(p, FileSpec(path="t.xlsx"), ["Kunde", "Umsatz"])
    msg = str(e.value)
    assert "column 'Umsatz', row 2" in msg and "formulas without stored results" in msg
    assert "'=B2*C2'" in msg and "save it" in msg


# --- 16: ids that differ only by leading zeros -----------------------------------------------


def test_ids_differing_by_leading_zeros_are_named(make_client, tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kunde", "Datum", "Umsatz", "Kosten", "Kanal"])
    for cid in (123, 456):  # plain numbers: the zeros are lost (no format shows them)
        ws.append([cid, "15.03.2024", "10,00", "1,00", "AD"])
    path = tmp_path / "tx.xlsx"
    wb.save(path)
    cfg = {"files": {"transactions": {"path": "tx.xlsx"}}}
    with pytest.raises(DataError) as e:
        load_client(make_client(transactions=path.read_bytes(), config=cfg))
    msg = str(e.value)
    assert "only by leading zeros" in msg and "'123' here, '00123' in the master" in msg


def test_zero_padding_number_format_applied_to_ids(make_client, tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kunde", "Datum", "Umsatz", "Kosten", "Kanal"])
    for cid, rev in ((123, "10,00"), (456, "20,00"), (789, "5,00")):
        ws.append([cid, "15.03.2024", rev, "1,00", "AD"])
        if cid != 789:  # 789 has no format: stays '789' as in the master
            ws.cell(ws.max_row, 1).number_format = "00000"  # shown as 00123
    path = tmp_path / "tx.xlsx"
    wb.save(path)
    spec = FileSpec(path="tx.xlsx", columns={"customer_id": "Kunde"})
    raw = read_raw(path, spec, ["Kunde", "Umsatz"])
    assert raw.frame["Kunde"].tolist() == ["00123", "00456", 789]
    cfg = {"files": {"transactions": {"path": "tx.xlsx"}}}
    data = load_client(make_client(transactions=path.read_bytes(), config=cfg))
    # by hand: every line matches the master (00123, 00456, 789): 10 + 20 + 5 = 35
    assert data.report.rejected.empty
    by_customer = data.transactions.groupby("customer_id", observed=False)["revenue"].sum()
    assert by_customer.to_dict() == {"00123": 10.0, "00456": 20.0, "789": 5.0}


def test_customer_ids_six_digit_format(tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kundennr", "Name"])
    ws.append([1001, "A"])
    ws.cell(2, 1).number_format = "000000"
    path = tmp_path / "c.xlsx"
    wb.save(path)
    spec = FileSpec(path="c.xlsx", columns={"customer_id": "Kundennr"})
    assert read_raw(path, spec, ["Kundennr", "Name"]).frame["Kundennr"].tolist() == ["001001"]


def test_utf16_without_bom(tmp_path) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes("id;name\n1;Müller\n".encode("utf-16-le"))
    raw = read_raw(p, FileSpec(path="t.csv"), ["id", "name"])
    assert raw.frame["name"].tolist() == ["Müller"]


# --- CSV: pyarrow's parser and pandas' C parser give the same table ---------------------------

_CSV_CASES = {
    "title_quotes.csv": b'Export\n\nid,name,x\n1,"a,b",\n2,"q ""r""",5\n3,  ,6',
    "crlf_breaks.csv": b'id;name;x\r\n1;"a\r\nb";3\r\n2;z;4\r\n\r\n\r\n',
    "odd_quotes.csv": b'id;name;x\n1;"ab"c;3\n2;a"b;4\n3;"";5\n',
    "cp1252.csv": b"id;name;Umsatz\n00123;M\xfcller;1.234,50\n7;\xd6re;-3,5\n",
    "bom_tab.tsv": b"\xef\xbb\xbfid\tname\n 1 \t A \n2\t\n",
    "blank_inside.csv": b"id;name\n1;A\n\n2;B\n",
    "short_line.csv": b"id;name;x\n1;A;1\n2;B\n3;C;3\n",
}


@pytest.mark.parametrize("name", sorted(_CSV_CASES))
def test_arrow_and_c_parser_agree(tmp_path, monkeypatch, name: str) -> None:
    from kk_helpers.input import readers_csv

    p = tmp_path / name
    p.write_bytes(_CSV_CASES[name])
    fast = read_raw(p, FileSpec(path=name), ["id", "name"])
    monkeypatch.setattr(readers_csv, "_parse_arrow", lambda *a, **k: None)
    slow = read_raw(p, FileSpec(path=name), ["id", "name"])
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.source_rows.tolist() == slow.source_rows.tolist()
    assert (fast.short_rows is None) == (slow.short_rows is None)


def test_arrow_path_values_and_rows_by_hand(tmp_path) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes(
        b'Kdnr;Name;Umsatz\n00123;"M\xc3\xbcller; GmbH";1.234,50\n007;"two\nlines";  \n8;X;3\n'
    )
    raw = read_raw(p, FileSpec(path="t.csv"), ["Kdnr", "Umsatz"])
    assert raw.frame["Kdnr"].tolist() == ["00123", "007", "8"]
    assert raw.frame["Name"].tolist() == ["Müller; GmbH", "two\nlines", "X"]
    assert raw.frame["Umsatz"].iloc[0] == "1.234,50" and pd.isna(raw.frame["Umsatz"].iloc[1])
    assert raw.source_rows.tolist() == [2, 3, 5]  # the quoted line break moves row 8 to line 5
