"""Issue 11, item 4: atomic, locked report folders and an atomic cache.

The cache tests call ``prepare_client`` directly; the folder tests run ``kk run`` in
subprocesses on the sample client (notebook 01 only, so that they stay short) and are
bounded in time.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import threading
import time
from pathlib import Path

import hostile
import openpyxl
import pandas as pd
import pytest

from kk_helpers.batch import folders, runner
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages import prepare as P

SAMPLE = sample_client_dir()
N_CUSTOMERS = 2500


@pytest.fixture
def client(tmp_path) -> Path:
    folder = tmp_path / "client"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("questionnaires"))
    return folder


# --- the cache ----------------------------------------------------------------------------


def test_interrupted_cache_write_is_never_taken_for_current(client, tmp_path, monkeypatch):
    out = tmp_path / "out"
    P.prepare_client(client, out)  # a complete cache ...
    (client / "client.yml").write_text(
        (client / "client.yml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )  # ... made stale by an edit
    real, calls = P._to_parquet, []

    def interrupted(frame, path):
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the cache write
        calls.append(path)
        real(frame.head(0), path)  # a valid but empty Parquet file

    monkeypatch.setattr(P, "_to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        P.prepare_client(client, out)
    monkeypatch.setattr(P, "_to_parquet", real)
    assert not (out / "cache" / "fingerprint.json").exists()  # removed before the write
    again = P.prepare_client(client, out)
    assert not again.from_cache and len(again.customers) == N_CUSTOMERS
    assert P.prepare_client(client, out).from_cache


def test_unreadable_cache_file_is_rebuilt(client, tmp_path):
    out = tmp_path / "out"
    P.prepare_client(client, out)
    (out / "cache" / "customers.parquet").write_bytes(b"PAR1 half written")
    again = P.prepare_client(client, out)
    assert not again.from_cache and len(again.customers) == N_CUSTOMERS
    assert not list((out / "cache").glob("*.tmp-*"))


def test_truncated_lazy_cache_file_is_rebuilt(make_client, tmp_path):
    """A large cache file (read only on first use) cut short: the next prepare rebuilds
    instead of handing out a cache whose file fails later inside a notebook."""
    folder, out = make_client(), tmp_path / "out"
    first = P.prepare_client(folder, out)
    n_orders = len(first.orders)  # 5 lines, 5 distinct (customer, day, channel): 5 orders
    assert n_orders == 5
    path = out / "cache" / "orders.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    again = P.prepare_client(folder, out)
    assert not again.from_cache and len(again.orders) == 5
    cached = P.prepare_client(folder, out)
    assert cached.from_cache and len(cached.orders) == 5


def test_lazy_frame_of_a_rebuilt_cache_is_not_read(make_client, tmp_path):
    """A kernel holds a client read from the cache; another notebook then rebuilds the
    cache for an edited client.yml. The kernel's first read of a lazy frame names the
    rebuild instead of mixing the new cache file with its old customer table; a truncated
    file is named too (not a pyarrow error)."""
    folder, out = make_client(), tmp_path / "out"
    P.prepare_client(folder, out)
    held = P.prepare_client(folder, out)
    assert held.from_cache and not held.lazy["orders"].loaded
    cfg = folder / "client.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not P.prepare_client(folder, out).from_cache  # the other notebook rebuilt it
    with pytest.raises(FileNotFoundError, match="rebuilt since"):
        held.orders  # noqa: B018
    now = P.prepare_client(folder, out)
    assert now.from_cache and len(now.orders) == 5
    stamp = out / "cache" / "fingerprint.json"
    kept = stamp.read_bytes()
    stamp.unlink()  # a rebuild under way (same content, mostly): the file is still read
    assert len(now.orders_last_year) == 2  # 2025: 00123 100.00 and 00456 250.00
    stamp.write_bytes(kept)
    path = out / "cache" / "monthly_revenue.parquet"
    path.write_bytes(b"PAR1 half written")
    with pytest.raises(FileNotFoundError, match="unreadable"):
        now.monthly_revenue  # noqa: B018


def test_same_size_same_mtime_edit_rebuilds_the_cache(client, tmp_path):
    out = tmp_path / "out"
    before = P.prepare_client(client, out)
    tx = client / "transactions.csv"
    st = tx.stat()
    data = tx.read_bytes()
    first_line = data.index(b"\n") + 1  # change one digit of the first revenue value
    line_end = data.index(b"\n", first_line)
    line = data[first_line:line_end].split(b";")
    line[8] = line[8].replace(b"9", b"8", 1) if b"9" in line[8] else line[8].replace(b"1", b"2", 1)
    edited = data[:first_line] + b";".join(line) + data[line_end:]
    assert len(edited) == len(data) and edited != data
    tx.write_bytes(edited)
    os.utime(tx, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` does
    assert tx.stat().st_size == st.st_size and tx.stat().st_mtime_ns == st.st_mtime_ns
    after = P.prepare_client(client, out)
    assert not after.from_cache
    assert after.transactions["revenue"].sum() != pytest.approx(
        before.transactions["revenue"].sum()
    )


def test_anonymized_run_never_reads_a_plain_cache(client, tmp_path):
    out = tmp_path / "out"
    plain = P.prepare_client(client, out, lang="de")
    names = set(plain.customers["name"])
    anon = P.prepare_client(client, out, anonymize=True, lang="de")
    assert not anon.from_cache
    assert not names & set(anon.customers["name"])
    assert not set(plain.customers["sales_rep"].dropna()) & set(anon.customers["sales_rep"])
    assert anon.config.client.name == t("safety.anon.client", "de")
    cached = pd.read_parquet(out / "cache" / "customer_table.parquet")
    assert not names & set(cached["name"])


# --- locks and duplicate folders ------------------------------------------------------------


def test_a_run_on_a_locked_report_folder_is_refused(client, tmp_path):
    out_root = tmp_path / "reports"
    with folders.locked(out_root / "sample"):
        result = runner.run_client(client, out_root=out_root, notebooks="01")
    assert result.status == runner.STATUS_FAILED
    assert result.error == t("safety.run.locked", "de", folder=str(out_root / "sample"))
    assert not (out_root / "sample").exists() and not folders.leftovers(out_root / "sample")


def test_two_clients_with_one_report_folder_are_refused_before_anything_runs(client, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(client, twin)
    out = tmp_path / "reports"
    done = hostile.kk("run", str(client), str(twin), "--out", str(out), "--jobs", "2",
                      timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "client.id" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


# --- concurrent and interrupted runs ------------------------------------------------------


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)


def _wait_for(lines: queue.Queue, text: str, seen: list[str], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return True
    return False


def _assert_complete(folder: Path) -> str:
    """Every notebook page in one language, every xlsx readable; returns the language."""
    lang = folders.read_run_info(folder)["lang"]
    for step, name in runner.NOTEBOOKS.items():
        page = folder / name.replace(".ipynb", ".html")
        if page.exists():
            assert t(f"notebook.{step}", lang) in page.read_text(encoding="utf-8"), page.name
    for book in folder.glob("*.xlsx"):
        openpyxl.load_workbook(book).close()
    assert (folder / "index.html").is_file()
    return lang


def test_two_concurrent_runs_leave_one_complete_report(client, tmp_path):
    out = tmp_path / "reports"
    args = ("run", str(client), "--out", str(out), "--notebooks", "01")
    runs = [hostile.kk_popen(*args, "--lang", "de"), hostile.kk_popen(*args, "--lang", "en")]
    results = [p.communicate(timeout=600) for p in runs]
    codes = [p.returncode for p in runs]
    assert 0 in codes, results
    refused = [r for p, r in zip(runs, results, strict=True) if p.returncode != 0]
    for stdout, _ in refused:  # the second run waits for nobody: it says why it stopped
        assert "Another run is writing" in stdout or "schreibt gerade" in stdout
    lang = _assert_complete(out / "sample")
    if len(refused) == 1:
        assert lang == ("de" if codes[0] == 0 else "en")
    assert not folders.leftovers(out / "sample")


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """A client with a complete report (notebook 01) to interrupt runs on."""
    root = tmp_path_factory.mktemp("atomic")
    folder = root / "client"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("questionnaires"))
    out = root / "reports"
    done = hostile.kk("run", str(folder), "--out", str(out), "--notebooks", "01", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    return folder, out


def test_ctrl_c_during_a_notebook_keeps_the_previous_report(reported):
    client, out = reported
    report = out / "sample"
    before = {p.name: p.read_bytes() for p in report.iterdir() if p.is_file()}
    proc = hostile.kk_popen("run", str(client), "--out", str(out), "--notebooks", "01",
                            "--lang", "de")  # fmt: skip
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(proc.stderr, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        assert _wait_for(lines, "01_status_quo.ipynb …", seen, timeout=300), seen
        time.sleep(1.5)  # inside the notebook
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(timeout=10)
    after_signal = []
    while not lines.empty():
        after_signal.append(lines.get())
    assert proc.returncode == 130, seen + after_signal
    assert after_signal == [t("safety.run.interrupted", "de") + "\n"], after_signal
    assert {p.name: p.read_bytes() for p in report.iterdir() if p.is_file()} == before
    assert not folders.leftovers(report)
    done = hostile.kk("run", str(client), "--out", str(out), "--notebooks", "01", "--lang", "de")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _assert_complete(report) == "de"


def test_kill_during_the_cache_write_then_rerun(reported):
    client, out = reported
    shutil.rmtree(out / "sample" / "cache")  # the next run has to write its cache
    proc = hostile.kk_popen("run", str(client), "--out", str(out), "--notebooks", "01",
                            "--lang", "en")  # fmt: skip
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if list(out.glob(".sample.staging-*/cache/*.parquet")):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert folders.leftovers(out / "sample")
    assert (out / "sample" / "index.html").is_file()  # the previous report is still there
    done = hostile.kk("run", str(client), "--out", str(out), "--notebooks", "01", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert t("safety.run.recovered", "en") in done.stderr
    assert not folders.leftovers(out / "sample")
    assert _assert_complete(out / "sample") == "en"
    customers = pd.read_parquet(out / "sample" / "cache" / "customers.parquet")
    assert len(customers) == N_CUSTOMERS
