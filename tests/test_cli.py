"""``kk validate`` via ``main([...])``: exit codes, files written, summary printed."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import TRANSACTIONS_CSV

from kk_helpers.batch.cli import build_parser, main


def test_validate_clean_exit_0(make_client, tmp_path, capsys) -> None:
    out = tmp_path / "reports"
    code = main(["validate", str(make_client()), "--out", str(out), "--lang", "en"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "Client: Test GmbH (test)" in printed
    assert "transactions.csv: rows read: 5, accepted: 5, rejected: 0." in printed
    assert "€2,160.00" in printed
    assert f"Reports written to {out}" in printed
    for name in ("validation_report.md", "validation_report.html", "rejected_rows.csv"):
        assert (out / name).is_file()


def test_validate_accepts_client_yml_and_german(make_client, tmp_path, capsys) -> None:
    folder = make_client()
    code = main(
        ["validate", str(folder / "client.yml"), "--out", str(tmp_path / "o"), "--lang", "de"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "Zeilen gelesen: 5" in printed and "2.160,00 €" in printed


def test_validate_warnings_strict_exit_1(make_client, tmp_path, capsys) -> None:
    tx = TRANSACTIONS_CSV + "99999;16.03.2024;40,00;1,00;AD\n"
    folder = make_client(transactions=tx)
    out = tmp_path / "r"
    assert main(["validate", str(folder), "--out", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "1 × customer not in the customer master" in printed
    assert main(["validate", str(folder), "--out", str(out), "--lang", "en", "--strict"]) == 1
    assert "--strict" in capsys.readouterr().out
    rejected = pd.read_csv(out / "rejected_rows.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert rejected["Kunde"].tolist() == ["99999"] and rejected["source_row"].tolist() == ["7"]


def test_validate_info_only_strict_exit_0(make_client, tmp_path) -> None:
    tx = TRANSACTIONS_CSV + "00123;16.03.2024;-40,00;1,00;AD\n"
    code = main(["validate", str(make_client(transactions=tx)), "--out", str(tmp_path), "--strict"])
    assert code == 0


def test_validate_data_error_exit_2(make_client, tmp_path, capsys) -> None:
    folder = make_client(transactions=TRANSACTIONS_CSV.replace("Umsatz", "Betrag"))
    code = main(["validate", str(folder), "--out", str(tmp_path / "x"), "--lang", "en"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: transactions.csv")
    assert "files.transactions.columns.revenue" in err and "Traceback" not in err
    assert (tmp_path / "x" / "validation_report.md").is_file()  # issue 10, item 20


def test_validate_config_error_exit_2(tmp_path, capsys) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_validate_default_out_dir(make_client, monkeypatch, tmp_path, capsys) -> None:
    import kk_helpers.core.paths as paths

    monkeypatch.setattr(paths, "reports_dir", lambda: tmp_path / "reports")
    assert main(["validate", str(make_client())]) == 0
    assert (tmp_path / "reports" / "test" / "validation_report.html").is_file()


def test_validate_reference_date_option(make_client, tmp_path, capsys) -> None:
    code = main(
        [
            "validate",
            str(make_client()),
            "--out",
            str(tmp_path),
            "--reference-date",
            "2025-05-01",
            "--lang",
            "en",
            "--strict",
        ]
    )
    assert code == 1
    assert "date is after the reference date" in capsys.readouterr().out


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def test_parser_has_validate() -> None:
    args = build_parser().parse_args(["validate", "c", "--strict", "--lang", "de"])
    assert args.strict and args.lang == "de" and callable(args.func)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["validate", "c", "--lang", "fr"])


def test_questionnaire_command_writes_xlsx(tmp_path):
    import openpyxl

    from kk_helpers.core.paths import sample_client_dir

    code = main(["questionnaire", str(sample_client_dir()), "--lang", "en", "--out", str(tmp_path)])
    assert code == 0
    files = list(tmp_path.glob("*.xlsx"))
    assert len(files) == 1
    wb = openpyxl.load_workbook(files[0])
    assert len(wb.sheetnames) >= 2


# --- issue 10, items 20/21: fatal errors leave a report; no traceback ---------------------


def test_validate_fatal_writes_report(make_client, tmp_path, capsys) -> None:
    folder = make_client(transactions=TRANSACTIONS_CSV.replace("Umsatz", "Betrag"))
    out = tmp_path / "x"
    assert main(["validate", str(folder), "--out", str(out), "--lang", "en"]) == 2
    md = (out / "validation_report.md").read_text(encoding="utf-8")
    assert "## Stopped – the data cannot be used" in md
    assert "transactions.csv" in md and "files.transactions.columns.revenue" in md
    assert (out / "validation_report.html").is_file() and (out / "rejected_rows.csv").is_file()
    assert not (out / "kk_error.log").exists()


def test_validate_unexpected_error_one_line_and_log(make_client, tmp_path, capsys, monkeypatch):
    import kk_helpers.input.loading_rules as rules

    def boom(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(rules, "_transaction_flags", boom)
    out = tmp_path / "y"
    assert main(["validate", str(make_client()), "--out", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("Error: test: transactions.csv:") and "ZeroDivisionError" in err
    assert "kk_error.log" in err
    log = (out / "kk_error.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log
    assert "Stopped" in (out / "validation_report.md").read_text(encoding="utf-8")


def test_run_fatal_writes_report(make_client, tmp_path, capsys) -> None:
    folder = make_client(transactions=TRANSACTIONS_CSV.replace("Umsatz", "Betrag"))
    out = tmp_path / "reports"
    assert main(["run", str(folder), "--out", str(out), "--lang", "en"]) == 2  # fatal data
    md = (out / "test" / "validation_report.md").read_text(encoding="utf-8")
    assert "## Stopped – the data cannot be used" in md and "transactions.csv" in md
    assert "Traceback" not in capsys.readouterr().err


def test_run_exit_code_2_on_a_fatal_config_error_and_0_when_ok(make_client, tmp_path) -> None:
    bad = make_client()
    (bad / "client.yml").write_text("client: [unclosed\n", encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["run", str(bad), "--out", str(out), "--lang", "en", "--notebooks", "01"]) == 2


def test_run_exit_codes() -> None:
    from types import SimpleNamespace as R

    from kk_helpers.batch.cli import run_exit_code

    ok = R(status="ok", notebooks=["01"])
    assert run_exit_code([ok]) == 0
    assert run_exit_code([ok, R(status="failed", notebooks=["01"])]) == 1  # a notebook failed
    assert run_exit_code([ok, R(status="failed", notebooks=[])]) == 2  # stopped before 01


def test_validate_never_mixes_into_a_published_report(make_client, tmp_path, capsys) -> None:
    """A folder holding a complete ``kk run`` report (run.json) keeps its own validation
    report; ``kk validate`` of (possibly changed) data writes into ``validation/``."""
    out = tmp_path / "report"
    out.mkdir()
    (out / "run.json").write_text('{"lang": "en", "anonymize": false}', encoding="utf-8")
    (out / "validation_report.md").write_text("from the published run", encoding="utf-8")
    assert main(["validate", str(make_client()), "--out", str(out), "--lang", "en"]) == 0
    assert (out / "validation_report.md").read_text(encoding="utf-8") == "from the published run"
    assert (out / "validation" / "validation_report.md").is_file()
    assert str(out / "validation") in capsys.readouterr().out


def test_validate_file_too_large_for_memory_exit_2(make_client, tmp_path, monkeypatch, capsys):
    """A transactions file that needs more memory than is free is refused before reading,
    with the lines and GiB needed and free (instead of the OS killing the process)."""
    import kk_helpers.input.memory_check as mc

    monkeypatch.setattr(mc, "_available_bytes", lambda: 1_000)  # 1 kB free
    folder = make_client()
    code = main(["validate", str(folder), "--out", str(tmp_path / "x"), "--lang", "en"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: transactions.csv") and "Traceback" not in err
    assert "lines, which need about" in err and "GiB are free" in err
    monkeypatch.setenv("KK_SKIP_MEMORY_CHECK", "0")  # "0" keeps the check
    assert main(["validate", str(folder), "--out", str(tmp_path / "z"), "--lang", "en"]) == 2
    monkeypatch.setenv("KK_SKIP_MEMORY_CHECK", "1")
    assert main(["validate", str(folder), "--out", str(tmp_path / "y"), "--lang", "en"]) == 0


def test_run_engine_option_reaches_the_runner(monkeypatch, tmp_path) -> None:
    """`kk run --engine spark` hands "pyspark" to the runner; the default is DuckDB."""
    from kk_helpers.batch import runner

    seen = {}

    def fake_batch(clients, **kw):
        seen.update(kw)
        return []

    monkeypatch.setattr(runner, "run_batch", fake_batch)
    main(["run", str(tmp_path), "--engine", "spark"])
    assert seen["engine"] == "pyspark"
    main(["run", str(tmp_path)])
    assert seen["engine"] == "duckdb"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", str(tmp_path), "--engine", "oracle"])
