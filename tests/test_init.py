"""``kk init``: a folder of raw exports -> a commented client.yml that validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import write_data

from kk_helpers.batch.cli import main
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.input.detect import guess_date_format, profile_file
from kk_helpers.input.loading import load_client
from kk_helpers.input.proposal import propose


def _init(folder: Path, *args: str) -> int:
    return main(["init", str(folder), *args])


def _totals(folder: Path) -> dict[str, tuple[int, int, float]]:
    """(rows in, rows accepted, revenue accepted) by "table:file"."""
    rec = load_client(folder).report.reconciliation()
    return {
        f"{r.table}:{r.file}": (
            int(r.rows_in),
            int(r.rows_accepted),
            round(float(r.revenue_accepted), 2),
        )
        for r in rec.itertuples(index=False)
    }


def _config(folder: Path) -> dict:
    return yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))


def test_sample_without_config_gives_same_totals(tmp_path, capsys) -> None:
    src = sample_client_dir()
    folder = tmp_path / "neu"
    folder.mkdir()
    for name in ("customers.csv", "transactions.csv", "activities.csv"):
        shutil.copy(src / name, folder / name)
    assert _init(folder, "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "Revenue 2025" in out and "Next step: kk run" in out
    assert _totals(folder) == _totals(src)
    cfg, ref = _config(folder), yaml.safe_load((src / "client.yml").read_text(encoding="utf-8"))
    assert cfg["analysis"] == ref["analysis"]
    for table in ("customers", "transactions", "activities"):
        assert cfg["files"][table]["columns"] == ref["files"][table]["columns"], table
        for key in ("encoding", "delimiter", "decimal", "date_format"):
            assert cfg["files"][table][key] == ref["files"][table][key], (table, key)
    assert cfg["files"]["transactions"]["values"] == ref["files"]["transactions"]["values"]
    assert cfg["files"]["activities"]["values"] == ref["files"]["activities"]["values"]
    assert cfg["soft_criteria"] == ref["soft_criteria"]
    text = (folder / "client.yml").read_text(encoding="utf-8")
    assert "decimal comma: " in text and "ASSUMPTIONS" in text
    assert [ln for ln in text.splitlines()[2:] if "TODO" in ln] == []


GERMAN_TX = (
    "Kundennr;Belegdatum;Belegnr;Umsatz netto;Vertriebsweg\n"
    "00123;15.01.2024;R1;1.234,50;Außendienst\n"
    "00123;20.02.2025;R2;100,00;Webshop\n"
    "00456;13.03.2025;R3;-34,50;Innendienst\n"
)
GERMAN_CUST = "Kundennr;Firma;Branche\n00123;Müller GmbH;Bau\n00456;Schmidt AG;Handel\n"


def test_german_csv_semicolon_decimal_comma(tmp_path, capsys) -> None:
    folder = tmp_path / "de"
    write_data(folder / "Umsätze.csv", GERMAN_TX, "cp1252")
    write_data(folder / "Kundenstamm.csv", GERMAN_CUST, "cp1252")
    assert _init(folder) == 0
    cfg = _config(folder)
    tx = cfg["files"]["transactions"]
    assert tx["path"] == "Umsätze.csv" and cfg["files"]["customers"]["path"] == "Kundenstamm.csv"
    assert (tx["encoding"], tx["delimiter"], tx["decimal"], tx["thousands"]) == (
        "cp1252",
        ";",
        ",",
        ".",
    )
    assert tx["date_format"] == "%d.%m.%Y"
    assert tx["values"]["channel"] == {
        "Außendienst": "field_sales",
        "Webshop": "webshop",
        "Innendienst": "inside_sales",
    }
    assert cfg["analysis"] == {"years": [2024, 2025], "reference_date": _date("2025-03-31")}
    # 1234.50 + 100.00 - 34.50 = 1300.00
    assert _totals(folder)["transactions:Umsätze.csv"] == (3, 3, 1300.0)


def _date(s: str):  # noqa: ANN202
    import datetime as dt

    return dt.date.fromisoformat(s)


def test_sap_xlsx_with_title_rows(tmp_path) -> None:
    folder = tmp_path / "sap"
    folder.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Faktura-Liste Vertrieb"])
    ws.append(["Stand 05.01.2025"])
    ws.append([])
    ws.append(["Debitor", "Fakturadatum", "Faktura", "Nettowert", "Menge"])
    ws.append(["4711", "02.01.2024", "9001", "1.000,00", 5])
    ws.append(["4712", "03.06.2024", "9002", "250,00-", 1])
    ws.append(["4711", "04.12.2024", "9003", "99,90", 2])
    wb.save(folder / "export_sap.xlsx")
    _init(folder, "--lang", "en")
    cfg = _config(folder)
    tx = cfg["files"]["transactions"]
    assert tx["header_row"] == 4
    assert tx["columns"]["customer_id"] == "Debitor"
    assert tx["columns"]["revenue"] == "Nettowert"
    assert tx["columns"]["order_id"] == "Faktura"
    assert "customers" not in cfg["files"]
    # 1000.00 - 250.00 + 99.90 = 849.90
    assert _totals(folder)["transactions:export_sap.xlsx"] == (3, 3, 849.9)


def test_whitespace_separated_txt(tmp_path) -> None:
    folder = tmp_path / "ws"
    write_data(
        folder / "sales.txt",
        "CustomerID   OrderDate    Sales\n"
        "C1           2024-05-01   100.25\n"
        "C2           2024-07-15    20.00\n"
        "C1           2025-01-10   -5.25\n",
    )
    assert _init(folder, "--lang", "en") == 0
    tx = _config(folder)["files"]["transactions"]
    assert tx["delimiter"] == "whitespace"
    assert tx["columns"] == {"customer_id": "CustomerID", "date": "OrderDate", "revenue": "Sales"}
    assert _totals(folder)["transactions:sales.txt"] == (3, 3, 115.0)  # 100.25 + 20.00 - 5.25


def test_no_customer_master_takes_attributes_from_transactions(tmp_path) -> None:
    folder = tmp_path / "nomaster"
    write_data(
        folder / "orders.csv",
        "Order ID,Order Date,Customer ID,Customer Name,Segment,Sales\n"
        "A-1,2024-01-03,K-1,Alpha Ltd,Consumer,1000.5\n"
        "A-2,2024-03-04,K-2,Beta plc,Corporate,250\n"
        "A-3,2025-02-05,K-1,Alpha Ltd,Consumer,49.5\n",
    )
    assert _init(folder, "--lang", "en") == 0
    cfg = _config(folder)
    assert "customers" not in cfg["files"]
    cols = cfg["files"]["transactions"]["columns"]
    assert cols["name"] == "Customer Name" and cols["industry"] == "Segment"
    data = load_client(folder)
    assert sorted(data.customers["customer_id"]) == ["K-1", "K-2"]
    assert _totals(folder)["transactions:orders.csv"] == (3, 3, 1300.0)


def test_xlsx_data_on_second_sheet(tmp_path) -> None:
    folder = tmp_path / "sheet2"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "Info"
    wb.active.append(["Export aus dem ERP"])
    ws = wb.create_sheet("Umsatz")
    ws.append(["Kundennummer", "Rechnungsdatum", "Umsatz"])
    ws.append(["100", _date("2024-02-01"), 10.5])
    ws.append(["101", _date("2025-02-01"), 20.25])
    wb.save(folder / "umsatz.xlsx")
    assert _init(folder, "--lang", "en") == 0
    tx = _config(folder)["files"]["transactions"]
    assert tx["sheet"] == "Umsatz" and "date_format" not in tx
    assert _totals(folder)["transactions:umsatz.xlsx"] == (2, 2, 30.75)


def test_ambiguous_dates_todo_with_both_readings(tmp_path, capsys) -> None:
    folder = tmp_path / "amb"
    write_data(
        folder / "transactions.csv",
        "Customer,Date,Revenue\nC1,03/04/2024,10\nC2,05/06/2025,20\nC1,11/12/2025,30\n",
    )
    assert _init(folder, "--lang", "en") == 1  # TODO left
    text = (folder / "client.yml").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("date_format:"))
    assert "TODO" in line and "%d/%m/%Y" in line and "%m/%d/%Y" in line
    out = capsys.readouterr().out
    assert "To check" in out and "%m/%d/%Y" in out
    assert _totals(folder)["transactions:transactions.csv"] == (3, 3, 60.0)


def test_guess_date_format_decides_by_the_values() -> None:
    assert guess_date_format(__import__("pandas").Series(["13/04/2024", "01/02/2024"])).fmt == (
        "%d/%m/%Y"
    )
    g = guess_date_format(__import__("pandas").Series(["04/13/2024", "01/02/2024"]))
    assert (g.fmt, g.alternatives) == ("%m/%d/%Y", ())


def test_never_overwrites_without_force(tmp_path, capsys) -> None:
    folder = tmp_path / "keep"
    write_data(folder / "t.csv", "Kunde;Datum;Umsatz\n1;01.02.2024;5,5\n")
    (folder / "client.yml").write_text("# mine\n", encoding="utf-8")
    assert _init(folder) == 2
    assert (folder / "client.yml").read_text(encoding="utf-8") == "# mine\n"
    assert "--force" in capsys.readouterr().err
    assert _init(folder, "--force") == 0
    assert "kk init" in (folder / "client.yml").read_text(encoding="utf-8")


def test_empty_folder_is_fatal(tmp_path, capsys) -> None:
    assert _init(tmp_path) == 2
    assert not (tmp_path / "client.yml").exists()


def test_profile_classifies_activities(tmp_path) -> None:
    p = write_data(
        tmp_path / "crm.csv",
        "Kunden-Nr.,Datum,Typ,Dauer (Min.)\n1,2024-01-02,Besuch,90\n2,2024-01-03,Anruf,5\n",
    )
    prof = profile_file(p)
    assert prof.table == "activities"
    assert prof.values["type"] == {"Besuch": "visit", "Anruf": "call"}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_proposal_language(tmp_path, lang) -> None:
    write_data(tmp_path / "t.csv", "Kunde;Datum;Umsatz\n1;01.02.2024;5,5\n")
    assert f"language: {lang}" in propose(tmp_path, lang=lang).text
