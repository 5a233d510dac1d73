"""Issue 11: no formulas from client data in spreadsheets, no markup in HTML, offline HTML,
data paths and ids that stay inside their folders, no names in anonymized reports,
no kernel warning.

One plain batch run of a hostile client (payloads in names, reps, the client's name
and unmapped columns) is shared by the module; the anonymized run follows a plain run
that was killed while writing its cache.
"""

from __future__ import annotations

import csv
import re
import signal
import time
from pathlib import Path

import hostile
import openpyxl
import pandas as pd
import pytest
import yaml

from kk_helpers.core.config import ConfigError, load_config
from kk_helpers.core.excel import csv_safe, csv_safe_frame, is_formula_like, write_workbook
from kk_helpers.core.formatting import style_table
from kk_helpers.present.display import findings_markdown, section_markdown

OWASP = ("=", "+", "-", "@", "\t", "\r")


# --- unit level -------------------------------------------------------------------------


@pytest.mark.parametrize("lead", OWASP)
def test_every_owasp_leading_character_is_written_as_text(tmp_path, lead):
    value = f"{lead}1+2"
    assert is_formula_like(value)
    assert csv_safe(value) == "'" + value
    path = write_workbook(tmp_path / "x.xlsx", {"s": pd.DataFrame({"name": [value], "n": [-5]})})
    ws = openpyxl.load_workbook(path).active
    cell, number = ws["A2"], ws["B2"]
    # (XML may turn a raw carriage return into a line feed on reading)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value in (value, value.replace("\r", "\n"))
    assert number.data_type == "n" and number.value == -5  # numbers stay numbers


def test_numbers_as_text_and_plain_names_are_left_alone():
    assert [csv_safe(v) for v in ("-12,50", "+3", "Alpha GmbH", 7, None)] == [
        "-12,50", "+3", "Alpha GmbH", 7, None,
    ]  # fmt: skip
    frame = csv_safe_frame(pd.DataFrame({"=x": ["@a", "b"], "n": [1.5, -2.0]}))
    assert list(frame.columns) == ["'=x", "n"]
    assert frame["'=x"].tolist() == ["'@a", "b"]
    assert frame["n"].tolist() == [1.5, -2.0]


def test_questionnaire_keeps_payloads_as_text(tmp_path):
    from kk_helpers.stages.levers.catalog import build_catalog
    from kk_helpers.stages.levers.questionnaire_write import build_workbook

    wb = build_workbook(build_catalog(), lang="en", client_name="=1+2",
                        respondent='=HYPERLINK("http://x","r")', client_id="@id")  # fmt: skip
    wb.save(tmp_path / "q.xlsx")
    loaded = openpyxl.load_workbook(tmp_path / "q.xlsx")
    cells = [c for ws in loaded.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == '=HYPERLINK("http://x","r")' for c in cells)


def test_tables_and_markdown_escape_client_text():
    df = pd.DataFrame({"name": list(hostile.SCRIPTS), "revenue": [1.0, 2.0]},
                      index=["<b>i</b>", "x"])  # fmt: skip
    page = style_table(df, "en", money_cols=["revenue"]).to_html()
    assert not any(tag in page for tag in (*hostile.RAW_TAGS, "<b>i"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = section_markdown("nb01.intro", "en", level=1, client=hostile.CLIENT_NAME)
    assert "<script" not in md and "&lt;script>" in md
    md = findings_markdown(["Top customer <img src=x onerror=alert(1)> has **30 %**"], "en")
    assert "<img" not in md and "**30 %**" in md


# --- paths and ids ----------------------------------------------------------------------


def _client_with(tmp_path: Path, name: str, **changes) -> Path:
    from conftest import BASE_CONFIG, CUSTOMERS_CSV, TRANSACTIONS_CSV, deep_merge

    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "customers.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    (folder / "transactions.csv").write_text(TRANSACTIONS_CSV, encoding="utf-8")
    cfg = deep_merge(BASE_CONFIG, changes)
    (folder / "client.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return folder


def test_data_paths_outside_the_client_folder_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET-LINE\n", encoding="utf-8")
    other = _client_with(tmp_path, "other")
    paths = {
        "relative": "../" * 12 + "etc/passwd",
        "absolute": str(secret),
        "other_client": "../other/transactions.csv",
    }
    for kind, path in paths.items():
        client = _client_with(tmp_path, kind, files={"transactions": {"path": path}})
        with pytest.raises(ConfigError, match="outside the client folder") as e:
            load_config(client)
        assert "files.transactions.path" in str(e.value)
        assert "TOP-SECRET" not in str(e.value) and "root:x" not in str(e.value), kind
        code = hostile.kk("validate", str(client), "--out", str(tmp_path / "v" / kind))
        assert code.returncode == 2
        assert "TOP-SECRET" not in code.stderr + code.stdout and "root:x" not in code.stderr
    # the documented opt-in: a shared export folder
    shared = _client_with(tmp_path, "shared_ok", files={
        "shared_folder": "../other", "transactions": {"path": "../other/transactions.csv"}})  # fmt: skip
    assert load_config(shared).file_path("transactions").resolve() == other / "transactions.csv"
    assert "files.shared_folder" in (Path(__file__).parents[1] / "docs/config.md").read_text(
        encoding="utf-8"
    )


def test_questionnaire_folder_outside_the_client_folder_is_refused(tmp_path):
    from kk_helpers.stages.levers.questionnaire_format import questionnaire_source

    client = _client_with(tmp_path, "q", levers={"questionnaires": "../../elsewhere"})
    with pytest.raises(ConfigError, match="levers.questionnaires"):
        questionnaire_source(load_config(client))


def test_yaml_errors_do_not_echo_the_file(tmp_path):
    bad = tmp_path / "client.yml"
    bad.write_text("client: [SECRET-TEXT\n  : :\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(bad)
    assert "SECRET-TEXT" not in str(e.value) and "line" in str(e.value)


@pytest.mark.parametrize("bad_id", ["../../ESCAPED", "..", "a/b", "/abs", ""])
def test_client_id_must_be_a_plain_folder_name(tmp_path, bad_id):
    client = _client_with(tmp_path, "c", client={"id": bad_id})
    with pytest.raises(ConfigError, match="client.id"):
        load_config(client)
    out = tmp_path / "deep" / "er" / "out"
    result = hostile.kk("run", str(client), "--out", str(out), "--notebooks", "01")
    assert result.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]  # nothing written anywhere


# --- one plain batch run of the hostile client --------------------------------------------


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    client = hostile.make_hostile_client(root / "client")
    out = root / "reports"
    done = hostile.kk("run", str(client), "--out", str(out), "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "hostile", done


def test_no_formula_cell_in_any_xlsx(plain_run):
    folder, _ = plain_run
    books = sorted(folder.glob("*.xlsx"))
    assert {"status_quo.xlsx", "screening.xlsx"} <= {p.name for p in books}
    texts = []
    for path in books:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.coordinate)
                    if isinstance(cell.value, str) and is_formula_like(cell.value):
                        assert cell.quotePrefix, (path.name, cell.coordinate, cell.value)
                        texts.append(cell.value)
    # the payloads did reach the spreadsheets, as text
    assert any(v.startswith("=HYPERLINK") for v in texts)
    assert any(v.startswith("@SUM") for v in texts)


def test_rejected_rows_csv_holds_no_formula(plain_run):
    folder, _ = plain_run
    with open(folder / "rejected_rows.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    fields = [v for row in rows for v in row]
    assert not [v for v in fields if is_formula_like(v)]
    assert '\'=HYPERLINK("http://x","click")' in fields  # contact and unmapped name column
    assert "'<script>alert(1)</script>" not in fields and "<script>alert(1)</script>" in fields


def test_no_unescaped_tag_in_any_html(plain_run):
    folder, _ = plain_run
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 8  # 4 notebooks, index, definitions, summary, validation report
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not [tag for tag in hostile.RAW_TAGS if tag in text], page.name
    notebooks = "".join(p.read_text(encoding="utf-8") for p in folder.glob("0*.html"))
    # the payloads did reach the pages, as text: a sales rep (rep table), the client
    assert "&lt;img src=x onerror=alert(2)&gt;" in notebooks
    client = re.compile(r"&lt;script&gt;alert\((?:'|&#x27;|&#39;)client")
    for step in ("01_status_quo", "02_customer_screening", "03_lever_assessment"):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", (folder / f"{step}.html").read_text("utf-8"))
        assert heading and client.search(heading.group(1)), step


_REMOTE = (
    re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"<link[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"\bimport\s*\(\s*[\"'](?:https?:)?//", re.I),
)


def test_html_reports_are_self_contained(plain_run):
    folder, _ = plain_run
    for page in sorted(folder.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = [m.group(0) for rx in _REMOTE for m in rx.finditer(text)]
        assert not found, (page.name, found[:3])
        assert "require.min.js" not in text and "mathjax" not in text.lower(), page.name


def test_kernel_tcp_warning_is_gone(plain_run):
    _, done = plain_run
    assert "without encryption" not in done.stderr
    assert "Kernel is running" not in done.stderr


# --- anonymize after an interrupted plain run ---------------------------------------------


def _kill_during_cache_write(client: Path, out: Path, client_id: str) -> None:
    proc = hostile.kk_popen("run", str(client), "--out", str(out), "--lang", "de")
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if list(out.glob(f".{client_id}.staging-*/cache/*.parquet")):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the plain run ended before its cache write"


def test_anonymized_run_after_an_interrupted_plain_run_has_no_names(tmp_path):
    client = hostile.make_hostile_client(tmp_path / "client", client_id="anon")
    out = tmp_path / "reports"
    _kill_during_cache_write(client, out, "anon")
    assert list(out.glob(".anon.staging-*"))  # the killed run's partial output
    done = hostile.kk("run", str(client), "--out", str(out), "--anonymize", "--lang", "de")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unterbrochen" in done.stderr  # the next run says so
    assert not list(out.glob(".anon.staging-*"))
    folder = out / "anon"
    texts = hostile.output_texts(folder)
    assert any(p.suffix == ".parquet" for p in texts) and any(p.suffix == ".xlsx" for p in texts)
    names = hostile.personal_names(client)
    assert len(names) > 2500
    assert hostile.leaks(texts, names) == {}
    everything = "\n".join(texts.values())
    assert "Kunde " in everything and "Vertriebsperson " in everything
    assert "Anonymisierter Mandant" in everything
