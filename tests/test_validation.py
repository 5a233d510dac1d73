"""ValidationReport mechanics: issues, rejected rows, reconciliation, summary."""

from __future__ import annotations

import pandas as pd
import pytest

from kk_helpers.core.i18n import t
from kk_helpers.input.report_files import write_validation_report
from kk_helpers.input.validation import DataError, ValidationReport, reason_text


def _report() -> ValidationReport:
    rep = ValidationReport(max_examples=2)
    rep.register_file("customers", "c.csv", rows_in=3)
    rep.register_file("transactions", "t.csv", rows_in=5, revenue_in=100.0)
    raw = pd.DataFrame({"Kunde": ["9", "9", "x"], "Umsatz": ["10", "20", "bad"]})
    rep.reject(
        "transactions",
        "t.csv",
        "unknown_customer",
        original=raw.iloc[:2],
        source_rows=[3, 5],
        revenue=[10.0, 20.0],
    )
    rep.reject(
        "transactions",
        "t.csv",
        "unparseable_number",
        original=raw.iloc[2:],
        source_rows=[6],
        revenue=[float("nan")],
        column="Umsatz",
    )
    rep.add_issue("transactions", "t.csv", "credit_note", severity="info", rows=1, revenue=-5.0)
    rep.set_accepted("transactions", "t.csv", rows=2, revenue=70.0)
    rep.set_accepted("customers", "c.csv", rows=3)
    return rep


def test_reconciliation_per_file() -> None:
    rec = _report().reconciliation().set_index("file")
    assert rec.loc["t.csv", ["rows_in", "rows_accepted", "rows_rejected"]].tolist() == [5, 2, 3]
    assert rec.loc["t.csv", "revenue_rejected"] == pytest.approx(30.0)
    assert rec.loc["t.csv", "revenue_accepted"] == pytest.approx(70.0)
    assert rec.loc["c.csv", "rows_accepted"] == 3


def test_reconciliation_mismatch_raises() -> None:
    rep = _report()
    rep.set_accepted("transactions", "t.csv", rows=3, revenue=70.0)
    with pytest.raises(AssertionError, match="does not reconcile"):
        rep.reconciliation()
    rep.set_accepted("transactions", "t.csv", rows=2, revenue=71.0)
    with pytest.raises(AssertionError, match="does not reconcile"):
        rep.reconciliation()
    assert len(rep.reconciliation(check=False)) == 2


def test_rejected_rows_keep_original_values() -> None:
    rej = _report().rejected
    assert list(rej.columns[:4]) == ["table", "file", "source_row", "reason"]
    assert rej["source_row"].tolist() == [3, 5, 6]
    assert rej["Umsatz"].tolist() == ["10", "20", "bad"]
    assert rej["reason"].tolist() == ["unknown_customer"] * 2 + ["unparseable_number"]


def test_issues_table_and_examples() -> None:
    rep = _report()
    iss = rep.issues
    assert list(iss.columns) == [
        "table",
        "file",
        "reason",
        "severity",
        "column",
        "rows",
        "revenue",
        "examples",
        "message",
    ]
    unknown = iss[iss["reason"] == "unknown_customer"].iloc[0]
    assert unknown["rows"] == 2 and unknown["examples"] == [3, 5]
    assert unknown["message"] == "customer not in the customer master"
    assert rep.count("rejected") == 3
    assert rep.count(reason="credit_note") == 1


def test_max_examples_limits_examples() -> None:
    rep = ValidationReport(max_examples=2)
    rep.add_issue(
        "transactions", "t.csv", "zero_revenue", severity="info", rows=4, examples=[2, 3, 4, 5]
    )
    assert rep.issues["examples"].iloc[0] == [2, 3]


def test_has_warnings() -> None:
    rep = ValidationReport()
    rep.add_issue("transactions", "t.csv", "credit_note", severity="info", rows=1)
    rep.add_issue("customers", "c.csv", "soft_criterion_out_of_range", severity="corrected", rows=1)
    assert not rep.has_warnings
    rep.add_issue("transactions", "t.csv", "duplicate_line", severity="warning", rows=2)
    assert rep.has_warnings


def test_zero_row_issue_ignored_and_bad_severity() -> None:
    rep = ValidationReport()
    rep.add_issue("transactions", "t.csv", "credit_note", severity="info", rows=0)
    assert rep.issues.empty
    with pytest.raises(ValueError, match="severity"):
        rep.add_issue("transactions", "t.csv", "credit_note", severity="fatal", rows=1)


def test_summary_translated_and_sorted() -> None:
    rep = _report()
    de = rep.summary("de")
    assert de["severity"].iloc[0] == t("report.severity.rejected", "de")
    assert de["reason"].tolist()[0] == t("reason.unknown_customer", "de")
    assert de["reason_key"].tolist() == ["unknown_customer", "unparseable_number", "credit_note"]
    assert de["examples"].iloc[0] == "3, 5"
    en = rep.summary("en")
    assert en["reason"].iloc[2] == "credit note / negative revenue"


def test_unknown_reason_falls_back_to_key() -> None:
    assert reason_text("no_such_reason_xyz", "de") == "no_such_reason_xyz"


def test_empty_report() -> None:
    rep = ValidationReport()
    assert rep.issues.empty and rep.rejected.empty and rep.summary("de").empty
    assert rep.reconciliation().empty
    assert not rep.has_warnings


def test_data_error_reexported() -> None:
    err = DataError("t.csv", "Umsatz", "a number", rows=[2, 3], found="'x'", hint="Check it.")
    assert str(err) == "t.csv, column 'Umsatz', rows 2, 3: expected a number, found 'x'. Check it."


# --- report files ---------------------------------------------------------------


def test_write_validation_report_files(tmp_path) -> None:
    rep = _report()
    paths = write_validation_report(rep, tmp_path / "out", "de")
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "# Validierungsbericht" in md
    assert t("reason.unknown_customer", "de") in md
    assert "70,00 €" in md and "3, 5" in md
    page = paths["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "http" not in page
    raw = paths["rejected"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(paths["rejected"], sep=";", encoding="utf-8-sig", dtype=str)
    assert back["source_row"].tolist() == ["3", "5", "6"]
    assert back["Umsatz"].tolist() == ["10", "20", "bad"]


def test_rejected_csv_header_only_when_nothing_rejected(tmp_path) -> None:
    rep = ValidationReport()
    rep.register_file("transactions", "t.csv", rows_in=1, revenue_in=1234567.891)
    rep.set_accepted("transactions", "t.csv", rows=1, revenue=1234567.891)
    paths = write_validation_report(rep, tmp_path, "de")
    text = paths["rejected"].read_text(encoding="utf-8-sig")
    assert text.strip() == "table;file;source_row;reason"
    assert "1.234.567,89 €" in paths["markdown"].read_text(encoding="utf-8")
    en = write_validation_report(rep, tmp_path / "en", "en")["html"].read_text(encoding="utf-8")
    assert "€1,234,567.89" in en and "No issues." in en
