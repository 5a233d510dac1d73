"""The batch runner: parameters check, failing notebooks, broken clients, anonymisation."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from kk_helpers.batch import runner
from kk_helpers.batch.cli import main
from kk_helpers.core.paths import sample_client_dir

SAMPLE = sample_client_dir()


def _tiny_notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'config: str = ""  # client config\nlang: str = "de"  # language'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_unknown_parameter_is_refused(tmp_path):
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "print(config)")
    runner.check_parameters(nb, {"config": "x", "lang": "en"})
    with pytest.raises(runner.UnknownParameterError) as e:
        runner.check_parameters(nb, {"config": "x", "colour": "red"})
    assert "colour" in str(e.value) and "nb.ipynb" in str(e.value)
    assert "['config', 'lang']" in str(e.value)


def test_runner_parameters_match_every_workbook_notebook():
    params = runner.notebook_parameters(Path("c.yml"), Path("out"), "de", anonymize=False)
    for nb in runner.available_notebooks().values():
        runner.check_parameters(nb, params)


def test_failing_notebook_is_kept_with_its_error(tmp_path):
    nb = _tiny_notebook(tmp_path / "nb.ipynb", "raise ValueError('boom in cell')")
    out = tmp_path / "out"
    out.mkdir()
    result = runner.run_notebook("01", nb, out, {"config": "x"}, title="title")
    assert result.status == runner.STATUS_FAILED
    assert "boom in cell" in result.error
    executed = nbformat.read(result.ipynb, as_version=4)
    assert any(
        o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", [])
    )
    assert result.html is not None and result.html.is_file()


def test_notebook_selection():
    assert list(runner.select_notebooks("01")) == ["01"]
    assert list(runner.select_notebooks("1")) == ["01"]
    with pytest.raises(ValueError, match="unknown notebook step"):
        runner.select_notebooks("07")


def _broken_client(tmp_path: Path) -> Path:
    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE, broken)
    (broken / "transactions.csv").write_bytes(b"")  # an empty export
    text = (broken / "client.yml").read_text(encoding="utf-8").replace("id: sample ", "id: broken ")
    (broken / "client.yml").write_text(text, encoding="utf-8")
    return broken


def test_batch_good_and_broken_client(tmp_path, capsys):
    broken = _broken_client(tmp_path)
    out = tmp_path / "reports"
    args = ["run", str(SAMPLE), str(broken), "--out", str(out), "--notebooks", "01", "--lang", "en"]
    code = main([*args, "--jobs", "2"])  # clients in parallel processes
    assert code == 2  # one client stopped on a fatal data error (the other ran)
    printed = capsys.readouterr().out
    assert "FAILED  broken" in printed and "transactions.csv" in printed
    assert "OK      sample" in printed
    good = out / "sample"
    for name in (
        "01_status_quo.ipynb",
        "01_status_quo.html",
        "status_quo.xlsx",
        "validation_report.html",
        "rejected_rows.csv",
        "index.html",
    ):
        assert (good / name).is_file(), name
    index = (good / "index.html").read_text(encoding="utf-8")
    assert "01_status_quo.html" in index and "status_quo.xlsx" in index and "succeeded" in index
    html = (good / "01_status_quo.html").read_text(encoding="utf-8")
    assert "prepare_client(" not in html  # no code in the client report
    bad_index = (out / "broken" / "index.html").read_text(encoding="utf-8")
    assert "transactions.csv" in bad_index and "failed" in bad_index


def _all_text(folder: Path) -> str:
    parts = []
    for p in folder.rglob("*"):
        if p.suffix in {".html", ".ipynb", ".md", ".csv"}:
            parts.append(p.read_text(encoding="utf-8-sig", errors="replace"))
        elif p.suffix == ".xlsx":
            wb = openpyxl.load_workbook(p, read_only=True)
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    parts.append(" ".join(str(v) for v in row if v is not None))
        elif p.suffix == ".parquet":
            parts.append(pd.read_parquet(p).astype(str).to_csv())
    return "\n".join(parts)


def test_anonymize_removes_customer_names_everywhere(tmp_path):
    names = pd.read_csv(SAMPLE / "customers.csv", sep=";", encoding="cp1252", dtype=str)["Firma"]
    result = runner.run_client(
        SAMPLE, out_root=tmp_path, anonymize=True, lang="de"
    )  # all notebooks
    assert result.status == runner.STATUS_OK, result.error
    text = _all_text(result.output_dir)
    leaked = [n for n in names.head(300) if n in text]
    assert leaked == []
    assert "Kunde " in text  # pseudonyms are shown instead


def test_prepared_client_is_cached_and_invalidated(tmp_path):
    from kk_helpers.stages.prepare import prepare_client

    client = tmp_path / "client"
    shutil.copytree(SAMPLE, client, ignore=shutil.ignore_patterns("questionnaires"))
    out = tmp_path / "out"
    first = prepare_client(client, out)
    assert not first.from_cache
    second = prepare_client(client, out)
    assert second.from_cache
    pd.testing.assert_frame_equal(first.customer_table, second.customer_table, check_dtype=False)
    # a touched data file with the same content keeps the cache (content hash) ...
    tx = client / "transactions.csv"
    import os

    os.utime(tx, ns=(tx.stat().st_atime_ns, tx.stat().st_mtime_ns + 10**9))
    assert prepare_client(client, out).from_cache
    # ... a changed data file invalidates it
    tx.write_bytes(tx.read_bytes() + b"\n")
    assert not prepare_client(client, out).from_cache
    # so does a changed config
    cfg = client / "client.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not prepare_client(client, out).from_cache
    assert prepare_client(client, out).from_cache


def test_batch_switches_widgets_off():
    nbs = runner.available_notebooks()
    base = runner.notebook_parameters(Path("c.yml"), Path("out"), "de", anonymize=False)
    assert runner.batch_parameters(nbs["01"], base) == base
    if "02" in nbs:
        assert runner.batch_parameters(nbs["02"], base) == {**base, "interactive": False}


def test_batch_runs_all_notebooks_on_a_minimal_client(tmp_path):
    """A client export with only the required columns gets a complete report, not a crash."""
    import nbrun

    client = nbrun.make_minimal_client(tmp_path / "minimal")
    result = runner.run_client(client, out_root=tmp_path / "reports")
    assert result.status == runner.STATUS_OK, result.error
    assert [nr.status for nr in result.notebooks] == [runner.STATUS_OK] * len(
        runner.available_notebooks()
    )
    for name in (
        "status_quo.xlsx",
        "screening.xlsx",
        "lever_assessment.xlsx",
        "measures_plan.xlsx",
    ):
        assert (result.output_dir / name).is_file(), name


def test_unexpected_failure_is_logged_under_the_client_id(
    make_client, tmp_path, capsys, monkeypatch
):
    """A bug while running a client (not a data or config error) is one progress line and a
    log file in the client's report folder, named by ``client.id`` like every other line of
    the client (the folder here is called client1, the id is "test")."""
    from kk_helpers.batch import runner

    def bug(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(runner, "_run_in", bug)
    folder = make_client()
    out = tmp_path / "out"
    result = runner._run_client_job((folder, out, "en", None, False, None, 1, "duckdb"))
    assert result.status == runner.STATUS_FAILED and "a bug" in result.error
    err = capsys.readouterr().err
    assert "[test] RuntimeError: a bug" in err and folder.name != "test"
    assert (out / "test" / "kk_error.log").is_file()
    assert not (out / folder.name).exists()
