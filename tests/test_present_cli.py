"""``kk present`` started the way a user gets wrong: a port in use, a client that cannot be
loaded. Each ends with one line on stderr and exit code 2, no traceback, and a busy port
is found before the data work (no live folder is written)."""

from __future__ import annotations

import re
import socket
import warnings

from kk_helpers.batch.cli import main
from kk_helpers.batch.present import NO_FILES, voila_argv
from kk_helpers.core.paths import sample_client_dir


def test_a_port_in_use_is_said_at_once_with_exit_code_2(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["present", str(sample_client_dir()), "--port", str(port),
                     "--out", str(tmp_path / "reports")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    # the sample is German: "Fehler: Port N ist schon belegt ... z. B. --port N+1."
    assert f"Fehler: Port {port} ist schon belegt" in err
    assert f"--port {port + 1}." in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "reports").exists()  # refused before the data work


def test_a_port_out_of_range_and_a_client_without_config_exit_2(tmp_path, capsys):
    assert main(["present", str(sample_client_dir()), "--port", "70000", "--lang", "en"]) == 2
    assert "there is no port 70000" in capsys.readouterr().err
    assert main(["present", str(tmp_path / "nowhere"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "config file not found" in err and "Traceback" not in err


def test_voila_options_parse_without_a_deprecation_warning_and_serve_no_file():
    from voila.app import Voila

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        app = Voila()
        app.parse_command_line(voila_argv(sample_client_dir(), port=8866))
    assert list(app.config.VoilaConfiguration.file_allowlist) == [NO_FILES]
    assert not any(re.fullmatch(NO_FILES, p) for p in ("", "a.png", "x/chart.svg", "client.yml"))


def test_the_start_page_names_the_scenario_it_was_started_with(tmp_path):
    import html
    import shutil

    from kk_helpers.batch.present import prepare_live, start_page_html
    from kk_helpers.core.scenarios import write_scenario

    client = tmp_path / "client"
    shutil.copytree(sample_client_dir(), client, ignore=shutil.ignore_patterns("scenarios"))
    write_scenario(
        client / "client.yml", "Workshop Größe", {"target": {"scenario": {"surcharge": 15}}}
    )
    prep, _ = prepare_live(
        client, lang="de", reports=tmp_path / "reports", scenario="Workshop Größe"
    )
    page = html.unescape(start_page_html(prep, "de"))
    assert "Kleinkundenmanagement – Analyse im Überblick · Szenario: Workshop Größe" in page
    plain, _ = prepare_live(client, lang="de", reports=tmp_path / "reports")
    assert "Szenario:" not in html.unescape(start_page_html(plain, "de"))


def test_an_error_in_the_preparation_is_one_line_with_exit_2_and_a_log(tmp_path, capsys):
    import shutil

    client = tmp_path / "client"
    shutil.copytree(sample_client_dir(), client, ignore=shutil.ignore_patterns("scenarios"))
    yml = client / "client.yml"
    text = yml.read_text(encoding="utf-8")
    assert "    revenue_last_year: {weight: 20}" in text
    yml.write_text(text.replace("    revenue_last_year: {weight: 20}", "    revenu_last_year: {weight: 20}"),
                   encoding="utf-8")  # fmt: skip
    reports = tmp_path / "reports"
    with socket.socket() as s:  # a port free now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["present", str(client), "--port", str(port), "--out", str(reports)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("Fehler: screening.criteria: unknown criterion ['revenu_last_year']")
    log = reports / ".present" / "kk_error.log"
    assert f"(Details in {log})" in err and "Traceback" in log.read_text(encoding="utf-8")
