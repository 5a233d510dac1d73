"""Real-export faults (issue 10): each kind with a small input and its right value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import TRANSACTIONS_CSV

from kk_helpers.batch.cli import validation_summary_lines
from kk_helpers.core import columns as C
from kk_helpers.core.errors import DataError
from kk_helpers.input.loading import ClientData, load_client

HEADER = "Kunde;Datum;Umsatz;Kosten;Kanal\n"


def issue(data: ClientData, reason: str) -> pd.Series:
    iss = data.report.issues
    hit = iss[iss["reason"] == reason]
    assert len(hit) == 1, f"expected one {reason!r} issue, got:\n{iss}"
    return hit.iloc[0]


def rec(data: ClientData, table: str = "transactions") -> pd.Series:
    r = data.report.reconciliation()  # raises if in != accepted + rejected
    return r[r["table"] == table].iloc[0]


# --- 1: apostrophe thousands; unreadable revenue is named, never "0 rejected" ------------


def test_apostrophe_thousands_read_by_default(make_client) -> None:
    tx = HEADER + (
        "00123;15.03.2024;4'295.33;0;AD\n"
        "00456;01.02.2023;5\u2019603.74;0;AD\n"
        "789;10.10.2024;12.50;0;AD\n"
        "789;11.10.2024;1'234'567.00;0;AD\n"
    )
    data = load_client(make_client(transactions=tx))
    # by hand: 4295.33 + 5603.74 + 12.50 + 1234567.00 = 1244478.57
    assert data.transactions[C.REVENUE].tolist() == [4295.33, 5603.74, 12.5, 1234567.0]
    r = rec(data)
    assert r["revenue_in"] == pytest.approx(1244478.57) and r["rows_rejected"] == 0


def test_unreadable_revenue_is_named_in_summary(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;12,3x;1,00;AD\n789;17.03.2024;abc;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    assert data.report.unreadable_revenue("transactions", "transactions.csv") == 2
    text = "\n".join(validation_summary_lines(data, None, "en"))
    assert "revenue of 2 lines unreadable (not included)" in text
    assert "(€0.00 rejected)" not in text and "0.00 rejected)" not in text


def test_unreadable_revenue_in_report_files(make_client, tmp_path) -> None:
    from kk_helpers.input.report_files import write_validation_report

    tx = TRANSACTIONS_CSV + "00123;16.03.2024;12,3x;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    paths = write_validation_report(data, tmp_path / "out", "en")
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "transactions.csv: revenue of 1 line unreadable (not included in any total)" in md


# --- 3: cut-off lines ----------------------------------------------------------------------


def test_cut_off_last_line_rejected(make_client) -> None:
    tx = (
        "Kunde,Datum,Umsatz,Kosten,Kanal\n"
        '00123,2024-03-15,100.0,50.0,"AD"\n'
        '00456,2024-03-16,20.0,5.0,"A\nD"\n'
        "789,2024-04-01,3.0"  # cut off, no final newline
    )
    data = load_client(make_client(transactions=tx))
    i = issue(data, "short_line")
    assert i["severity"] == "rejected" and i["rows"] == 1 and i["examples"] == [5]
    assert "line has 3 of 5 fields (cut off?)" in i["message"]
    assert data.transactions[C.REVENUE].tolist() == [100.0, 20.0]
    r = rec(data)
    assert (r["rows_in"], r["rows_rejected"], r["revenue_rejected"]) == (3, 1, 3.0)


def test_line_with_all_fields_but_empty_last_is_kept(make_client) -> None:
    tx = "Kunde,Datum,Umsatz,Kosten,Kanal\n00123,2024-03-15,100.0,50.0,\n789,2024-03-15,7.0,,\n"
    data = load_client(make_client(transactions=tx))
    assert data.transactions[C.REVENUE].tolist() == [100.0, 7.0]
    assert data.report.count("rejected") == 0


# --- 4: non-finite and absurd values ------------------------------------------------------


def test_non_finite_and_huge_revenue_rejected_never_crash(make_client) -> None:
    tx = TRANSACTIONS_CSV.replace(",", "#").replace("#", ",") + (
        "00123;16.03.2024;inf;1,00;AD\n"
        "00123;16.03.2024;1e309;1,00;AD\n"
        "00123;16.03.2024;NaN;1,00;AD\n"
        "00123;16.03.2024;-inf;1,00;AD\n"
        "00123;16.03.2024;1e308;1,00;AD\n"
        "00123;16.03.2024;10,00;1e20;AD\n"
    )
    data = load_client(make_client(transactions=tx))
    r = rec(data)
    # by hand: 2160 (the clean lines) + 10 (the line with a huge cost, cost set missing)
    assert r["revenue_in"] == pytest.approx(2170.0) and r["revenue_accepted"] == pytest.approx(
        2170.0
    )
    assert r["rows_rejected"] == 5
    assert issue(data, "implausible_number")["rows"] == 2  # 1e309 (inf), 1e308
    assert issue(data, "unparseable_number")["rows"] == 3  # inf, NaN, -inf as text
    fixed = issue(data, "implausible_value_set_missing")
    assert fixed["rows"] == 1 and fixed["column"] == "Kosten" and "1e20" in fixed["message"]
    assert np.isfinite(data.transactions[C.REVENUE]).all()
    text = "\n".join(validation_summary_lines(data, None, "en"))  # no format crash
    assert "revenue of 5 lines unreadable" in text


def test_non_finite_typed_parquet_revenue(make_client) -> None:
    tx = pd.DataFrame(
        {
            "Kunde": ["00123", "00456", "789", "789"],
            "Datum": pd.to_datetime(["2024-01-02"] * 4),
            "Umsatz": [10.0, np.inf, np.nan, -np.inf],
            "Kosten": [1.0, 1.0, 1.0, 1.0],
            "Kanal": ["AD"] * 4,
        }
    )
    cfg = {"files": {"transactions": {"path": "transactions.parquet"}}}
    data = load_client(make_client(transactions=tx, config=cfg))
    r = rec(data)
    assert (r["rows_accepted"], r["rows_rejected"]) == (1, 3)
    assert r["revenue_in"] == 10.0 and r["revenue_accepted"] == 10.0


# --- 2: ids in Excel's scientific notation; conflicting duplicate master rows ---------------


def test_scientific_notation_ids_are_fatal(make_client) -> None:
    cust = "Kundennr;Name;Branche;Treue\n4.00012E+11;A;Bau;4\n4.00012E+11;B;Bau;2\n7;C;Bau;1\n"
    tx = HEADER + "4.00012E+11;15.03.2024;10,00;1,00;AD\n7;15.03.2024;5,00;1,00;AD\n"
    with pytest.raises(DataError) as e:
        load_client(make_client(customers=cust, transactions=tx))
    err = e.value
    assert err.file == "customers.csv" and err.column == "Kundennr" and err.rows == [2, 3]
    assert "'4.00012E+11'" in str(err) and "scientific notation" in str(err)


def test_scientific_notation_ids_in_transactions_are_fatal(make_client) -> None:
    tx = HEADER + "00123;15.03.2024;10,00;1,00;AD\n4,00012E+11;15.03.2024;5,00;1,00;AD\n"
    with pytest.raises(DataError) as e:
        load_client(make_client(transactions=tx))
    assert e.value.file == "transactions.csv" and e.value.column == "Kunde"
    assert e.value.rows == [3]


def test_duplicate_master_rows_with_conflicting_data_warned(make_client) -> None:
    cust = (
        "Kundennr;Name;Branche;Treue\n00123;Alpha GmbH;Bau;4\n00456;Beta AG;Handel;2\n"
        "789;Gamma KG;Bau;5\n00123;Delta OHG;Bau;4\n00456;Beta AG;Handel;2\n"
    )
    data = load_client(make_client(customers=cust))
    assert issue(data, "duplicate_customer_id")["rows"] == 2
    i = issue(data, "duplicate_customer_conflict")
    assert i["severity"] == "warning" and i["rows"] == 1 and i["examples"] == [5]
    assert "'00123'" in i["message"] and "'Name'" in i["message"]
    assert "'00456'" not in i["message"]  # identical duplicate: no conflict


# --- 19: no customer master ------------------------------------------------------------------


def test_customers_from_transactions_without_master(make_client) -> None:
    tx = (
        "Kunde;Name;Datum;Umsatz;Kosten;Kanal\n"
        "00123;Alpha GmbH;15.03.2024;100,00;10,00;AD\n"
        "789;;16.03.2024;50,00;5,00;AD\n"
        "00123;Alpha GmbH & Co;17.03.2024;20,00;2,00;AD\n"
        "789;Gamma KG;18.03.2024;30,00;3,00;AD\n"
        "00456;;19.03.2024;5,00;1,00;AD\n"
    )
    cfg = {
        "files": {
            "customers": None,
            "transactions": {"columns": {"name": "Name"}},
        }
    }
    data = load_client(make_client(transactions=tx, config=cfg))
    cust = data.customers
    assert cust[C.CUSTOMER_ID].tolist() == ["00123", "789", "00456"]  # first appearance
    assert cust[C.NAME].tolist()[:2] == ["Alpha GmbH", "Gamma KG"]  # first non-empty
    assert pd.isna(cust[C.NAME].iloc[2])
    assert cust["source_row"].tolist() == [2, 3, 6]
    assert cust["loyalty"].isna().all()  # soft criterion not in the file
    i = issue(data, "customer_attribute_conflict")
    assert i["severity"] == "warning" and i["rows"] == 1 and "'00123'" in i["message"]
    assert issue(data, "customers_from_transactions")["rows"] == 3
    assert data.transactions.groupby(C.CUSTOMER_ID, observed=False)[C.REVENUE].sum().tolist() == [
        120.0,
        80.0,
        5.0,
    ]
    assert data.report.count("rejected") == 0
    rec(data, "customers")


def test_customers_file_is_optional_in_config() -> None:
    from kk_helpers.core.config import parse_config

    cfg = parse_config(
        {
            "client": {"name": "X"},
            "analysis": {"years": [2024]},
            "files": {"transactions": {"path": "t.csv", "columns": {"name": "Kundenname"}}},
        }
    )
    assert cfg.files.customers is None


# --- 8: partial years -------------------------------------------------------------------------


def _monthly(years_months: dict[int, range]) -> str:
    lines = [
        f"00123;15.{m:02d}.{y};10,00;1,00;AD\n"
        for y, months in years_months.items()
        for m in months
    ]
    return HEADER + "".join(lines)


def test_partial_last_year_warned(make_client) -> None:
    tx = _monthly({2023: range(1, 13), 2024: range(1, 13), 2025: range(1, 7)})
    data = load_client(make_client(transactions=tx))
    assert data.partial_years == {2025: (1, 2, 3, 4, 5, 6)}
    i = issue(data, "partial_year")
    # by hand: 6 lines of 10.00 in 2025, the first in line 2 + 24 = 26
    assert i["severity"] == "warning" and i["rows"] == 6 and i["revenue"] == 60.0
    assert i["examples"][0] == 26 and "2025: data only for 6 months (Jan–Jun)" in i["message"]


def test_first_year_with_only_december_warned(make_client) -> None:
    tx = _monthly({2023: range(12, 13), 2024: range(1, 13), 2025: range(1, 13)})
    data = load_client(make_client(transactions=tx))
    assert data.partial_years == {2023: (12,)}
    assert issue(data, "partial_year")["rows"] == 1


def test_full_years_and_small_data_not_partial(make_client) -> None:
    full = _monthly({2023: range(1, 13), 2024: range(1, 13), 2025: range(1, 13)})
    assert load_client(make_client(transactions=full)).partial_years == {}
    assert load_client(make_client()).partial_years == {}  # 5 lines: nothing to compare


# --- 5: negative net customers ----------------------------------------------------------------


def test_negative_net_customer_warned(make_client) -> None:
    tx = TRANSACTIONS_CSV + "789;11.10.2024;-100,00;-50,00;AD\n"
    data = load_client(make_client(transactions=tx))
    i = issue(data, "negative_net_revenue")
    # by hand: 789 in 2024: 75.50 - 100.00 = -24.50
    assert i["severity"] == "warning" and i["rows"] == 1 and i["examples"] == [4]
    assert "'789' (2024: -24.50)" in i["message"]


# --- 9: one order id on several customers -------------------------------------------------------


def test_order_id_on_several_customers_warned(make_client) -> None:
    tx = (
        "Kunde;Beleg;Datum;Umsatz\n00123;A1;15.03.2024;10,00\n00123;A1;15.03.2024;5,00\n"
        "00456;A1;15.03.2024;7,00\n789;B2;16.03.2024;1,00\n"
    )
    cfg = {
        "files": {
            "transactions": {
                "columns": {"order_id": "Beleg", "cost": None, "channel": None},
                "values": None,
            }
        }
    }
    data = load_client(make_client(transactions=tx, config=cfg))
    i = issue(data, "order_id_several_customers")
    assert i["rows"] == 1 and i["examples"] == [4] and i["revenue"] == 7.0
    assert "'A1'" in i["message"]


# --- 6: implausible master and activity values ----------------------------------------------


def test_implausible_master_and_activity_values_set_missing(make_client) -> None:
    cust = (
        "Kundennr;Name;Branche;Treue;MA;Pot\n00123;Alpha GmbH;Bau;4;-5;-20000\n"
        "00456;Beta AG;Handel;2;12;1000\n789;Gamma KG;Bau;5;3;\n"
    )
    act = (
        "Kunde;Datum;Art;Dauer\n00123;16.03.2024;Besuch;-30\n00456;02.02.2023;Anruf;9999999\n"
        "789;02.02.2023;Anruf;15\n"
    )
    cfg = {"files": {"customers": {"columns": {"employees": "MA", "potential": "Pot"}}}}
    data = load_client(make_client(customers=cust, activities=act, config=cfg))
    assert data.customers[C.EMPLOYEES].tolist()[1:] == [12.0, 3.0]
    assert pd.isna(data.customers[C.EMPLOYEES].iloc[0])
    assert pd.isna(data.customers[C.POTENTIAL].iloc[0])
    assert data.activities[C.DURATION_MIN].isna().tolist() == [True, True, False]
    iss = data.report.issues
    hit = iss[iss["reason"] == "implausible_value_set_missing"].set_index("column")
    assert hit.loc["MA", "rows"] == 1 and hit.loc["Pot", "rows"] == 1
    assert hit.loc["Dauer", "rows"] == 2 and set(hit["severity"]) == {"corrected"}
    assert "'-30'" in hit.loc["Dauer", "message"]


# --- 7: control characters ---------------------------------------------------------------------


def test_nul_byte_in_name_and_channel_cleaned(make_client, tmp_path) -> None:
    cust = "Kundennr;Name;Branche;Treue\n00123;Al\x00pha GmbH;Bau;4\n00456;Beta AG;Ha\x01ndel;2\n"
    tx = HEADER + "00123;15.03.2024;10,00;1,00;A\x00D\n00456;15.03.2024;5,00;1,00;AD\n"
    data = load_client(make_client(customers=cust, transactions=tx))
    assert data.customers[C.NAME].tolist() == ["Alpha GmbH", "Beta AG"]
    assert data.customers[C.INDUSTRY].tolist() == ["Bau", "Handel"]
    assert data.transactions[C.CHANNEL].tolist() == ["field_sales", "field_sales"]
    iss = data.report.issues
    hit = iss[iss["reason"] == "control_characters_removed"].set_index("column")
    assert hit.loc["Name", "rows"] == 1 and hit.loc["Branche", "rows"] == 1
    assert hit.loc["Kanal", "rows"] == 1
    data.customers.to_excel(tmp_path / "c.xlsx")  # openpyxl accepts the cleaned names


def test_order_id_check_on_big_files_compares_neighbours(make_client, monkeypatch) -> None:
    import kk_helpers.input.loading_checks as checks

    monkeypatch.setattr(checks, "FULL_ORDER_CHECK_LINES", 0)
    tx = (
        "Kunde;Beleg;Datum;Umsatz\n00123;A1;15.03.2024;10,00\n00456;A1;15.03.2024;7,00\n"
        "789;B2;16.03.2024;1,00\n00123;B2;16.03.2024;1,00\n00123;;16.03.2024;1,00\n"
        "789;;16.03.2024;1,00\n"
    )
    cfg = {
        "files": {
            "transactions": {
                "columns": {"order_id": "Beleg", "cost": None, "channel": None},
                "values": None,
            }
        }
    }
    data = load_client(make_client(transactions=tx, config=cfg))
    i = issue(data, "order_id_several_customers")
    assert i["rows"] == 2 and i["examples"] == [3, 5]  # empty order ids are not compared


def test_month_presence_sampled_and_exact() -> None:
    import kk_helpers.input.loading_checks as checks

    d = np.array(["2023-01-31", "2023-02-01", "2024-12-31", "2025-06-30"], dtype="datetime64[ns]")
    p = checks.month_presence(d, [2023, 2024, 2025])
    assert [tuple(np.flatnonzero(r) + 1) for r in p] == [(1, 2), (12,), (6,)]
    big = np.repeat(d, 600_000)  # 2.4M lines: sampled every 2nd line
    assert (checks.month_presence(big, [2023, 2024, 2025]) == p).all()
