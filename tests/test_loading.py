"""load_client on tiny client folders: every validation rule, with reconciliation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import ACTIVITIES_CSV, CUSTOMERS_CSV, TRANSACTIONS_CSV

from kk_helpers.core import columns as C
from kk_helpers.core.errors import DataError
from kk_helpers.input.loading import ClientData, load_client

HEADER = "Kunde;Datum;Umsatz;Kosten;Kanal\n"


def issue(data: ClientData, reason: str) -> pd.Series:
    """The single issue row with this reason."""
    iss = data.report.issues
    hit = iss[iss["reason"] == reason]
    assert len(hit) == 1, f"expected one {reason!r} issue, got:\n{iss}"
    return hit.iloc[0]


def rec(data: ClientData, table: str = "transactions") -> pd.Series:
    r = data.report.reconciliation()
    return r[r["table"] == table].iloc[0]


def assert_reconciles(data: ClientData) -> None:
    r = data.report.reconciliation()  # raises if in != accepted + rejected
    t = r[r["table"] == "transactions"].iloc[0]
    assert t["rows_accepted"] == len(data.transactions)
    assert t["revenue_accepted"] == pytest.approx(data.transactions[C.REVENUE].sum())
    c = r[r["table"] == "customers"].iloc[0]
    assert c["rows_accepted"] == len(data.customers)


# --- clean data -------------------------------------------------------------------------


def test_clean_client_canonical_frames(make_client) -> None:
    data = load_client(make_client(activities=ACTIVITIES_CSV))
    cust, tx, act = data.customers, data.transactions, data.activities
    assert cust[C.CUSTOMER_ID].tolist() == ["00123", "00456", "789"]
    assert cust["loyalty"].dtype == "float64" and cust["source_row"].tolist() == [2, 3, 4]
    assert isinstance(tx[C.CUSTOMER_ID].dtype, pd.CategoricalDtype)
    assert list(tx[C.CUSTOMER_ID].cat.categories) == ["00123", "00456", "789"]
    assert tx[C.DATE].dtype == "datetime64[ns]"
    assert tx[C.REVENUE].tolist() == [1234.5, 100.0, 500.0, 250.0, 75.5]  # decimal comma
    assert tx[C.MARGIN].tolist() == pytest.approx([434.5, 40.0, 200.0, 150.0, 25.5])
    assert tx[C.CHANNEL].tolist() == [
        "field_sales",
        "webshop",
        "field_sales",
        "webshop",
        "field_sales",
    ]
    assert tx["year"].dtype == "int16" and tx["year"].tolist() == [2024, 2025, 2023, 2025, 2024]
    assert tx["source_row"].tolist() == [2, 3, 4, 5, 6]
    assert C.ORDER_ID not in tx  # orders = (customer, date, channel) downstream
    assert act[C.ACTIVITY_TYPE].tolist() == ["visit", "call"]
    assert act[C.DURATION_MIN].tolist() == [90.0, 10.0] and act[C.ACTIVITY_COST].isna().all()
    assert data.report.count("rejected") == 0 and not data.report.has_warnings
    assert issue(data, "margin_from_cost")["rows"] == 5
    assert_reconciles(data)
    assert rec(data)["revenue_in"] == pytest.approx(2160.0)


def test_no_activities_configured_gives_empty_frame(make_client) -> None:
    act = load_client(make_client()).activities
    assert act.empty
    assert {C.CUSTOMER_ID, C.DATE, C.ACTIVITY_TYPE, C.DURATION_MIN, "year", "source_row"} <= set(
        act
    )


def test_input_config_object_and_reference_date(make_client) -> None:
    from kk_helpers.core.config import load_config

    cfg = load_config(make_client())
    data = load_client(cfg, reference_date=dt.date(2025, 5, 1))
    # 20.06.2025 is after the reference date
    assert issue(data, "future_date")["rows"] == 1
    assert data.reference_date == dt.date(2025, 5, 1)
    assert_reconciles(data)


# --- fatal errors -----------------------------------------------------------------------


def test_empty_customers_file_is_fatal(make_client) -> None:
    with pytest.raises(DataError, match="customers.csv.*at least one data row"):
        load_client(make_client(customers=""))


def test_empty_transactions_file_is_fatal(make_client) -> None:
    with pytest.raises(DataError, match="transactions.csv.*at least one data row"):
        load_client(make_client(transactions=HEADER))


def test_empty_activities_file_is_warning(make_client) -> None:
    data = load_client(make_client(activities=""))
    assert data.activities.empty
    assert issue(data, "empty_file")["severity"] == "warning"
    assert data.report.has_warnings
    assert rec(data, "activities")["rows_in"] == 0


def test_missing_required_column_is_fatal(make_client) -> None:
    tx = TRANSACTIONS_CSV.replace("Umsatz", "Betrag")
    with pytest.raises(DataError) as e:
        load_client(make_client(transactions=tx))
    msg = str(e.value)
    assert "transactions.csv" in msg and "'Umsatz' (revenue)" in msg
    assert "'Betrag'" in msg and "'Kanal'" in msg  # columns found
    assert "files.transactions.columns.revenue" in msg


def test_explicitly_mapped_optional_column_missing_is_fatal(make_client) -> None:
    cfg = {"files": {"transactions": {"columns": {"quantity": "Menge"}}}}
    with pytest.raises(DataError, match="files.transactions.columns.quantity"):
        load_client(make_client(config=cfg))


def test_wrong_delimiter_is_fatal(make_client) -> None:
    cfg = {"files": {"transactions": {"delimiter": ","}}}
    with pytest.raises(DataError, match="delimiter"):
        load_client(make_client(config=cfg))


def test_all_dates_unparseable_is_fatal_with_config_key(make_client) -> None:
    tx = HEADER + "00123;2024/03/15;10,00;1,00;AD\n00456;2024/04/15;20,00;1,00;AD\n"
    with pytest.raises(DataError) as e:
        load_client(make_client(transactions=tx))
    msg = str(e.value)
    assert "column 'Datum'" in msg and "rows 2, 3" in msg
    assert "'2024/03/15'" in msg and "files.transactions.date_format" in msg


def test_all_dates_parse_with_date_format(make_client) -> None:
    tx = HEADER + "00123;2024/03/15;10,00;1,00;AD\n00456;2024/04/15;20,00;1,00;AD\n"
    cfg = {"files": {"transactions": {"date_format": "%Y/%m/%d"}}}
    data = load_client(make_client(transactions=tx, config=cfg))
    assert data.transactions[C.DATE].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-15",
        "2024-04-15",
    ]


def test_all_customers_unknown_is_fatal(make_client) -> None:
    tx = HEADER + "K1;15.03.2024;10,00;1,00;AD\nK2;15.03.2024;10,00;1,00;AD\n"
    with pytest.raises(DataError, match="customer master.*files.transactions.columns.customer_id"):
        load_client(make_client(transactions=tx))


# --- rejected rows ------------------------------------------------------------------------


def test_unparseable_revenue_rejected(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;12,3x;1,00;AD\n789;17.03.2024;abc;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    i = issue(data, "unparseable_number")
    assert i["severity"] == "rejected" and i["rows"] == 2 and i["column"] == "Umsatz"
    assert i["examples"] == [7, 8] and "'12,3x'" in i["message"]
    assert len(data.transactions) == 5
    r = rec(data)
    assert (r["rows_in"], r["rows_accepted"], r["rows_rejected"]) == (7, 5, 2)
    assert r["revenue_rejected"] == 0.0
    rej = data.report.rejected
    assert rej["Umsatz"].tolist() == ["12,3x", "abc"]  # original values kept
    assert rej["source_row"].tolist() == [7, 8]
    assert_reconciles(data)


def test_unparseable_optional_number_set_missing(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;10,00;n/a;AD\n"
    data = load_client(make_client(transactions=tx))
    i = issue(data, "invalid_value_set_missing")
    assert (i["severity"], i["rows"], i["column"], i["examples"]) == ("corrected", 1, "Kosten", [7])
    assert len(data.transactions) == 6
    last = data.transactions.iloc[-1]
    assert np.isnan(last[C.COST]) and np.isnan(last[C.MARGIN])
    assert not data.report.has_warnings
    assert_reconciles(data)


def test_unparseable_and_empty_date_rejected(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;31.02.2024;10,00;1,00;AD\n00123;;20,00;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    bad = issue(data, "unparseable_date")
    assert (bad["severity"], bad["rows"], bad["revenue"], bad["examples"]) == (
        "rejected",
        1,
        10.0,
        [7],
    )
    empty = issue(data, "missing_value")
    assert (empty["rows"], empty["column"], empty["examples"]) == (1, "Datum", [8])
    r = rec(data)
    assert r["rows_rejected"] == 2 and r["revenue_rejected"] == pytest.approx(30.0)
    assert_reconciles(data)


def test_future_and_outside_years_rejected(make_client) -> None:
    tx = (
        TRANSACTIONS_CSV
        + "00123;05.01.2026;10,00;1,00;AD\n"  # after reference date 2025-12-31
        + "00123;05.01.2022;20,00;1,00;AD\n"  # before the analysis years
        + "00456;31.12.2022;30,00;1,00;AD\n"
    )
    data = load_client(make_client(transactions=tx))
    fut = issue(data, "future_date")
    assert (fut["rows"], fut["revenue"], fut["examples"]) == (1, 10.0, [7])
    out = issue(data, "outside_analysis_years")
    assert (out["rows"], out["revenue"], out["examples"]) == (2, 50.0, [8, 9])
    assert data.transactions["year"].between(2023, 2025).all()
    assert rec(data)["revenue_rejected"] == pytest.approx(60.0)
    assert_reconciles(data)


def test_default_reference_date_is_today(make_client) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    year = tomorrow.year
    tx = HEADER + f"00123;{tomorrow:%d.%m.%Y};10,00;1,00;AD\n00123;01.01.{year};5,00;1,00;AD\n"
    cfg = {"analysis": {"years": [year - 1, year], "reference_date": None}}
    if tomorrow.year != dt.date.today().year:  # 31 December: tomorrow is outside the years
        cfg = {"analysis": {"years": [year - 1, year, year + 1], "reference_date": None}}
    data = load_client(make_client(transactions=tx, config=cfg))
    assert issue(data, "future_date")["rows"] == 1
    assert data.reference_date == dt.date.today()


def test_duplicate_customer_ids_first_kept(make_client) -> None:
    cust = CUSTOMERS_CSV + "00123;Alpha Duplikat;Bau;3\n00123;Alpha Zwei;Bau;1\n"
    data = load_client(make_client(customers=cust))
    assert data.customers[C.CUSTOMER_ID].tolist() == ["00123", "00456", "789"]
    assert data.customers.loc[0, C.NAME] == "Alpha GmbH"
    i = issue(data, "duplicate_customer_id")
    assert (i["severity"], i["rows"], i["examples"]) == ("rejected", 2, [5, 6])
    assert "'00123'" in i["message"]
    assert data.report.has_warnings
    r = rec(data, "customers")
    assert (r["rows_in"], r["rows_accepted"], r["rows_rejected"]) == (5, 3, 2)
    assert_reconciles(data)


def test_transactions_of_unknown_customers_rejected(make_client) -> None:
    tx = TRANSACTIONS_CSV + "99999;16.03.2024;40,00;1,00;AD\n99999;17.03.2024;2,00;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    i = issue(data, "unknown_customer")
    assert (i["rows"], i["revenue"], i["examples"]) == (2, 42.0, [7, 8])
    assert "'99999'" in i["message"]
    r = rec(data)
    assert (r["rows_rejected"], r["revenue_rejected"]) == (2, 42.0)
    assert r["revenue_in"] == pytest.approx(2202.0)
    assert_reconciles(data)


def test_missing_customer_id_in_row_rejected(make_client) -> None:
    tx = TRANSACTIONS_CSV + ";16.03.2024;40,00;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    i = issue(data, "missing_customer_id")
    assert (i["severity"], i["rows"], i["revenue"], i["examples"]) == ("rejected", 1, 40.0, [7])
    assert_reconciles(data)


def test_missing_customer_id_in_master_rejected(make_client) -> None:
    cust = CUSTOMERS_CSV + ";Ohne Nummer;Bau;3\n"
    data = load_client(make_client(customers=cust))
    i = issue(data, "missing_customer_id")
    assert (i["table"], i["rows"], i["examples"]) == ("customers", 1, [5])
    assert_reconciles(data)


def test_reject_each_row_once(make_client) -> None:
    # unknown customer AND unparseable date: rejected once, for the first failing rule
    tx = TRANSACTIONS_CSV + "99999;xx;40,00;1,00;AD\n"
    data = load_client(make_client(transactions=tx))
    assert data.report.count("rejected") == 1
    assert data.report.rejected["reason"].tolist() == ["unparseable_date"]
    assert_reconciles(data)


# --- kept, counted ------------------------------------------------------------------------


def test_customers_without_transactions_info(make_client) -> None:
    cust = CUSTOMERS_CSV + "555;Delta;Bau;3\n"
    data = load_client(make_client(customers=cust))
    i = issue(data, "customer_without_transactions")
    assert (i["table"], i["severity"], i["rows"], i["examples"]) == ("customers", "info", 1, [5])
    assert "555" in data.customers[C.CUSTOMER_ID].tolist()
    assert "555" in data.transactions[C.CUSTOMER_ID].cat.categories
    assert not data.report.has_warnings


def test_credit_notes_and_zero_revenue_info(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;-100,00;-60,00;AD\n00456;17.03.2024;0,00;0,00;AD\n"
    data = load_client(make_client(transactions=tx))
    cn = issue(data, "credit_note")
    assert (cn["severity"], cn["rows"], cn["revenue"], cn["examples"]) == ("info", 1, -100.0, [7])
    z = issue(data, "zero_revenue")
    assert (z["severity"], z["rows"], z["examples"]) == ("info", 1, [8])
    assert len(data.transactions) == 7 and not data.report.has_warnings
    assert rec(data)["revenue_accepted"] == pytest.approx(2060.0)
    assert_reconciles(data)


def test_trailing_minus_credit_note(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;100,00-;60,00-;AD\n"
    data = load_client(make_client(transactions=tx))
    assert issue(data, "credit_note")["revenue"] == -100.0


def test_duplicate_lines_flagged_and_kept(make_client) -> None:
    line = "00123;16.03.2024;10,00;1,00;AD\n"
    data = load_client(make_client(transactions=TRANSACTIONS_CSV + line + line + line))
    i = issue(data, "duplicate_line")
    assert (i["severity"], i["rows"], i["revenue"], i["examples"]) == ("warning", 2, 20.0, [8, 9])
    assert len(data.transactions) == 8
    assert data.report.has_warnings
    assert_reconciles(data)


def test_margin_greater_than_revenue_warning(make_client) -> None:
    tx = "Kunde;Datum;Umsatz;DB\n00123;15.03.2024;100,00;150,00\n00456;15.03.2024;-50,00;-80,00\n"
    cfg = {"files": {"transactions": {"columns": {"cost": None, "channel": None, "margin": "DB"}}}}
    data = load_client(make_client(transactions=tx, config=cfg))
    i = issue(data, "margin_exceeds_revenue")
    assert (i["severity"], i["rows"], i["revenue"], i["examples"], i["column"]) == (
        "warning",
        1,
        100.0,
        [2],
        "DB",
    )
    assert data.transactions[C.MARGIN].tolist() == [150.0, -80.0]


def test_margin_ratio_from_config(make_client) -> None:
    tx = "Kunde;Datum;Umsatz;DB\n00123;15.03.2024;100,00;60,00\n"
    cfg = {
        "files": {"transactions": {"columns": {"cost": None, "channel": None, "margin": "DB"}}},
        "validation": {"max_margin_ratio": 0.5},
    }
    data = load_client(make_client(transactions=tx, config=cfg))
    assert issue(data, "margin_exceeds_revenue")["rows"] == 1


def test_soft_criterion_out_of_range_set_missing(make_client) -> None:
    cust = "Kundennr;Name;Branche;Treue\n00123;A;Bau;7\n00456;B;Bau;0\n789;C;Bau;3\n"
    data = load_client(make_client(customers=cust))
    i = issue(data, "soft_criterion_out_of_range")
    assert (i["severity"], i["rows"], i["examples"], i["column"]) == (
        "corrected",
        2,
        [2, 3],
        "Treue",
    )
    assert data.customers["loyalty"].tolist()[:2] == [pytest.approx(np.nan, nan_ok=True)] * 2
    assert data.customers["loyalty"].iloc[2] == 3.0


def test_unmapped_channel_info(make_client) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;10,00;1,00;Telefon\n"
    data = load_client(make_client(transactions=tx))
    i = issue(data, "unmapped_value")
    assert (i["severity"], i["rows"], i["examples"]) == ("info", 1, [7])
    assert "'Telefon'" in i["message"]
    assert data.transactions[C.CHANNEL].iloc[-1] == "Telefon"


def test_max_examples_from_config(make_client) -> None:
    tx = TRANSACTIONS_CSV + "".join(f"99999;16.03.2024;{k},00;1,00;AD\n" for k in range(1, 6))
    data = load_client(make_client(transactions=tx, config={"validation": {"max_examples": 2}}))
    assert issue(data, "unknown_customer")["examples"] == [7, 8]


# --- formats and encodings ------------------------------------------------------------------


def test_mixed_encoding_becomes_warning(make_client) -> None:
    body = CUSTOMERS_CSV.encode("utf-8") + "999;Müller & Söhne;Bau;3\n".encode("cp1252")
    body += "998;Jürgen GmbH;Bau;3\n".encode()
    data = load_client(make_client(customers=body))
    i = issue(data, "mixed_encoding")
    assert (i["table"], i["severity"], i["rows"]) == ("customers", "warning", 1)
    assert "Müller & Söhne" in data.customers[C.NAME].tolist()
    assert data.report.has_warnings


def test_cp1252_file(make_client) -> None:
    cust = CUSTOMERS_CSV + "999;Müller;Bau;3\n"
    data = load_client(make_client(customers=cust, encoding="cp1252"))
    assert data.customers[C.NAME].iloc[-1] == "Müller"
    assert not data.report.has_warnings


def test_decimal_point_comma_delimited(make_client) -> None:
    tx = (
        "Kunde,Datum,Umsatz,Kosten,Kanal\n"
        '00123,2024-03-15,"1,234.50",800.00,AD\n'
        "789,2024-10-10,75.5,50,Web\n"
    )
    data = load_client(make_client(transactions=tx))
    assert data.transactions[C.REVENUE].tolist() == [1234.5, 75.5]
    assert data.transactions[C.COST].tolist() == [800.0, 50.0]


def test_xlsx_with_extra_header_row(make_client, tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Umsatzexport 2023-2025"])
    ws.append(["Kunde", "Datum", "Umsatz", "Kosten", "Kanal"])
    ws.append(["00123", dt.datetime(2024, 3, 15), 1234.5, 800, "AD"])
    ws.append([789, dt.datetime(2024, 10, 10), 75.5, 50, "Web"])
    ws.append(["00456", "03.04.2025", "250,00", "100,00", "Web"])
    path = tmp_path / "tx.xlsx"
    wb.save(path)
    cfg = {"files": {"transactions": {"path": "tx.xlsx"}}}
    data = load_client(make_client(transactions=path.read_bytes(), config=cfg))
    tx = data.transactions
    assert tx[C.CUSTOMER_ID].astype(str).tolist() == ["00123", "789", "00456"]
    assert tx[C.REVENUE].tolist() == [1234.5, 75.5, 250.0]
    assert tx["source_row"].tolist() == [3, 4, 5]
    assert data.report.count("rejected") == 0
    assert_reconciles(data)


def test_parquet_typed_input(make_client) -> None:
    cust = pd.DataFrame({"Kundennr": ["00123", "00456", "789"], "Name": ["A", "B", "C"]})
    tx = pd.DataFrame(
        {
            "Kunde": ["00123", "789", "00456", "00123"],
            "Datum": pd.to_datetime(
                ["2024-03-15 10:30", "2024-10-10", "2025-04-03", "2030-01-01"], format="ISO8601"
            ),
            "Umsatz": [1234.5, 75.5, 250.0, 9.0],
            "Kosten": [800.0, 50.0, 100.0, 1.0],
            "Kanal": ["AD", "Web", "Web", "AD"],
        }
    )
    cfg = {
        "soft_criteria": [],
        "files": {
            "customers": {
                "path": "customers.parquet",
                "columns": {"industry": None, "loyalty": None},
            },
            "transactions": {"path": "transactions.parquet"},
        },
    }
    data = load_client(make_client(customers=cust, transactions=tx, config=cfg))
    t = data.transactions
    assert t[C.CUSTOMER_ID].astype(str).tolist() == ["00123", "789", "00456"]
    assert t[C.DATE].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-15", "2024-10-10", "2025-04-03"]
    assert t[C.DATE].dt.hour.eq(0).all()
    assert issue(data, "future_date")["revenue"] == 9.0
    assert t["source_row"].tolist() == [2, 3, 4]
    assert_reconciles(data)


def test_numeric_ids_in_parquet_become_strings(make_client) -> None:
    cust = pd.DataFrame({"Kundennr": [123, 456], "Name": ["A", "B"]})
    tx = pd.DataFrame(
        {"Kunde": [123, 456], "Datum": ["2024-03-15", "2024-03-16"], "Umsatz": ["10,5", "20"]}
    )
    cfg = {
        "soft_criteria": [],
        "files": {
            "customers": {"path": "c.parquet", "columns": {"industry": None, "loyalty": None}},
            "transactions": {
                "path": "t.parquet",
                "columns": {"cost": None, "channel": None},
                "values": None,
            },
        },
    }
    data = load_client(make_client(customers=cust, transactions=tx, config=cfg))
    assert data.customers[C.CUSTOMER_ID].tolist() == ["123", "456"]
    assert data.transactions[C.REVENUE].tolist() == [10.5, 20.0]


def test_leading_zero_ids_match_between_files(make_client) -> None:
    # "00123" and "123" are different customers; "00123" keeps its zeros
    cust = CUSTOMERS_CSV + "123;Ohne Nullen;Bau;3\n"
    tx = TRANSACTIONS_CSV + "123;16.03.2024;7,00;1,00;AD\n"
    data = load_client(make_client(customers=cust, transactions=tx))
    by_id = data.transactions.groupby(C.CUSTOMER_ID, observed=False)[C.REVENUE].sum()
    assert by_id["00123"] == pytest.approx(1334.5) and by_id["123"] == pytest.approx(7.0)
    assert data.report.count("rejected") == 0


def test_order_id_string(make_client) -> None:
    tx = "Kunde;Datum;Umsatz;Beleg\n00123;15.03.2024;10,00;000045\n00456;15.03.2024;5,00;000046\n"
    cfg = {
        "files": {"transactions": {"columns": {"cost": None, "channel": None, "order_id": "Beleg"}}}
    }
    data = load_client(make_client(transactions=tx, config=cfg))
    assert data.transactions[C.ORDER_ID].tolist() == ["000045", "000046"]
    assert data.transactions[C.ORDER_ID].dtype == "str"


def test_activities_rules(make_client) -> None:
    act = (
        ACTIVITIES_CSV
        + "99999;16.03.2024;Besuch;30\n00123;16.03.2024;Messe;x\n00123;16.03.2024;;5\n"
    )
    data = load_client(make_client(activities=act))
    a = data.activities
    assert len(a) == 3
    assert issue(data, "unknown_customer")["table"] == "activities"
    assert issue(data, "missing_value")["examples"] == [6]
    assert issue(data, "unmapped_value")["rows"] == 1  # 'Messe' not an activity type
    assert issue(data, "invalid_value_set_missing")["column"] == "Dauer"
    assert list(a[C.CUSTOMER_ID].cat.categories) == data.customers[C.CUSTOMER_ID].tolist()
    r = rec(data, "activities")
    assert (r["rows_in"], r["rows_accepted"], r["rows_rejected"]) == (5, 3, 2)


def test_input_files_not_modified(make_client) -> None:
    folder = make_client()
    before = (folder / "transactions.csv").read_bytes()
    load_client(folder)
    assert (folder / "transactions.csv").read_bytes() == before
