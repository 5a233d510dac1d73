"""Issue 14, item 7: the notebooks of one client side by side (``kk_helpers.batch.schedule``).

The order is checked on events the notebooks (or fake steps) record, never on times:
04 never starts before 02 and 03 have ended; 01-03 really run at once when the budget
allows it (each of them waits until all three have started, which only succeeds when
they run concurrently); with one slot they run one after the other; a failure in one of
several running notebooks gives the same error as a sequential run and a complete
report; Ctrl-C while several notebooks run keeps the previous report.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import threading
import time
from pathlib import Path

import hostile
import nbformat
import pytest

from kk_helpers.batch import folders, runner, schedule
from kk_helpers.batch.cli import main
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import sample_client_dir

SAMPLE = sample_client_dir()
STEPS = ["01", "02", "03", "04"]


# --- the scheduler with fake steps (threads, no kernels) ---------------------------------


def _fake_run(events: list[tuple[str, str]], lock: threading.Lock, fail: str | None = None):
    def run(step: str) -> str:
        with lock:
            events.append(("start", step))
        time.sleep(0.05)  # give the others a chance to start (no assertion on time)
        with lock:
            events.append(("end", step))
        return "failed" if step == fail else "ok"

    return run


def _running_at_most(events: list[tuple[str, str]]) -> int:
    now = peak = 0
    for kind, _ in events:
        now += 1 if kind == "start" else -1
        peak = max(peak, now)
    return peak


def _assert_04_after_02_and_03(events: list[tuple[str, str]]) -> None:
    start_04 = events.index(("start", "04"))
    assert events.index(("end", "02")) < start_04
    assert events.index(("end", "03")) < start_04


@pytest.mark.parametrize("slots", [1, 2, 3, 4])
def test_scheduler_respects_needs_and_slots(slots):
    events: list[tuple[str, str]] = []
    done = schedule.run_steps(STEPS, _fake_run(events, threading.Lock()), slots=slots,
                              failed=lambda r: r != "ok")  # fmt: skip
    assert done == dict.fromkeys(STEPS, "ok")
    _assert_04_after_02_and_03(events)
    assert _running_at_most(events) <= slots
    if slots == 1:  # one after the other, in the steps' order
        assert events == [(k, s) for s in STEPS for k in ("start", "end")]


def test_scheduler_stops_starting_after_a_failure():
    events: list[tuple[str, str]] = []
    done = schedule.run_steps(STEPS, _fake_run(events, threading.Lock(), fail="02"), slots=1,
                              failed=lambda r: r != "ok")  # fmt: skip
    assert done == {"01": "ok", "02": "failed"}  # 03 and 04 never started


def test_scheduler_reraises_a_step_exception_after_stopping_the_others():
    stopped = []

    def run(step: str) -> str:
        if step == "03":
            raise RuntimeError("bug in 03")
        return "ok"

    with pytest.raises(RuntimeError, match="bug in 03"):
        schedule.run_steps(STEPS, run, slots=2, failed=lambda r: r != "ok",
                           stop=lambda: stopped.append(True))  # fmt: skip
    assert stopped == [True]


def test_budget_rule():
    assert schedule.notebook_slots(1, cores=2) == 2
    assert schedule.notebook_slots(2, cores=2) == 1
    assert schedule.notebook_slots(4, cores=2) == 1  # more clients than cores: one each
    assert schedule.notebook_slots(2, cores=8) == 4
    assert schedule.notebook_slots(1, cores=8, limit=1) == 1
    assert schedule.notebook_slots(1, cores=2, limit=4) == 2  # never above the budget
    assert schedule.NEEDS["04"] == ("02", "03")


def test_notebook_jobs_below_one_is_refused(capsys):
    assert main(["run", str(SAMPLE), "--notebook-jobs", "0"]) == 2
    assert "--notebook-jobs must be at least 1" in capsys.readouterr().err


def test_papermill_keeps_the_working_folder_per_thread():
    from papermill import iorw

    schedule.papermill_thread_safe()
    schedule.papermill_thread_safe()  # idempotent
    handler = iorw.papermill_io.get_handler("x.ipynb")
    assert [s for s, _ in iorw.papermill_io._handlers].count("local") == 1
    old = handler.cwd("/main-thread")
    seen = []

    def other() -> None:
        seen.append(handler._cwd)
        handler.cwd("/other-thread")

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == [None] and handler._cwd == "/main-thread"
    handler.cwd(old)


# --- real notebooks (tiny ones, real kernels) ---------------------------------------------

_PARAMETERS = (
    'config: str = ""\noutput_dir: str = ""\nlang: str = "de"\n'
    'anonymize: bool = False\nscenario: str = ""'
)
_EVENT = """
from pathlib import Path
import time
log = Path(output_dir).parent / "events.log"
def event(kind):
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"{kind} {STEP}\\n")
"""
_BARRIER = """
deadline = time.monotonic() + 240
while time.monotonic() < deadline:
    started = {l.split()[1] for l in log.read_text().splitlines() if l.startswith("start")}
    if {"01", "02", "03"} <= started:
        break
    time.sleep(0.1)
else:
    raise RuntimeError("01-03 did not run at the same time")
"""


def _notebooks(folder: Path, *, barrier: bool, fail: str | None = None) -> Path:
    """Tiny stand-ins for the four workbook notebooks: each records its start and end
    in ``<out root>/events.log``; 01-03 wait for each other with ``barrier``."""
    folder.mkdir()
    for step, name in runner.NOTEBOOKS.items():
        params = nbformat.v4.new_code_cell(_PARAMETERS)
        params.metadata["tags"] = ["parameters"]
        body = f"STEP = {step!r}\n{_EVENT}\nevent('start')\n"
        if barrier and step != "04":
            body += _BARRIER
        if step == fail:
            body += "raise ValueError('boom in ' + STEP)\n"
        body += "event('end')\n"
        nb = nbformat.v4.new_notebook()
        nb.cells = [params, nbformat.v4.new_code_cell(body)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}  # fmt: skip
        nbformat.write(nb, folder / name)
    return folder


def _events(out_root: Path) -> list[tuple[str, str]]:
    lines = (out_root / "events.log").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split()) for line in lines]  # type: ignore[misc]


def _run(tmp_path: Path, monkeypatch, name: str, *, slots: int, barrier: bool,
         fail: str | None = None) -> tuple[runner.ClientResult, Path]:  # fmt: skip
    folder = _notebooks(tmp_path / f"nb-{name}", barrier=barrier, fail=fail)
    monkeypatch.setattr(runner, "notebooks_dir", lambda: folder)
    out_root = tmp_path / f"out-{name}"
    return runner.run_client(SAMPLE, out_root=out_root, lang="en", slots=slots), out_root


def test_01_to_03_overlap_and_04_waits_for_02_and_03(tmp_path, monkeypatch):
    result, out_root = _run(tmp_path, monkeypatch, "par", slots=3, barrier=True)
    assert result.status == runner.STATUS_OK, result.error
    events = _events(out_root)
    starts = [events.index(("start", s)) for s in ("01", "02", "03")]
    first_end = min(events.index(("end", s)) for s in ("01", "02", "03"))
    assert max(starts) < first_end  # all three were running at once
    _assert_04_after_02_and_03(events)
    timings = folders.read_run_info(result.output_dir)["timings"]
    assert timings["notebook_slots"] == 3
    assert sorted(timings["notebooks"]) == STEPS
    for step in STEPS:
        nb = timings["notebooks"][step]
        assert nb["status"] == "ok" and nb["execute"] > 0 and nb["end"] >= nb["start"]
    assert [nr.step for nr in result.notebooks] == STEPS  # the report lists them in order


def test_one_slot_runs_them_one_after_the_other(tmp_path, monkeypatch):
    result, out_root = _run(tmp_path, monkeypatch, "seq", slots=1, barrier=False)
    assert result.status == runner.STATUS_OK, result.error
    assert _events(out_root) == [(k, s) for s in STEPS for k in ("start", "end")]


def test_a_failure_among_concurrent_notebooks(tmp_path, monkeypatch):
    par, par_root = _run(tmp_path, monkeypatch, "par", slots=3, barrier=False, fail="02")
    seq, _ = _run(tmp_path, monkeypatch, "seq", slots=1, barrier=False, fail="02")
    for result in (par, seq):
        assert result.status == runner.STATUS_FAILED
        assert result.error == "02_customer_screening.ipynb: ValueError: boom in 02"
        assert [nr.step for nr in result.notebooks] == STEPS
        statuses = {nr.step: nr.status for nr in result.notebooks}
        assert statuses["02"] == runner.STATUS_FAILED
        assert statuses["04"] == runner.STATUS_SKIPPED  # it reads 02's output: never started
        folder = result.output_dir
        assert (folder / "index.html").is_file()
        assert not folders.leftovers(folder)
        assert not [p for p in folder.rglob("*") if ".tmp" in p.name]
        for nr in result.notebooks:  # every notebook is complete, failed with its page, or skipped
            if nr.status != runner.STATUS_SKIPPED:
                assert nr.ipynb is not None and nr.ipynb.is_file() and nr.html.is_file()
    assert ("start", "04") not in _events(par_root)


def test_a_relative_report_folder(tmp_path, monkeypatch):
    """The kernels run in the notebooks' folder; the runner's own folder stays put."""
    folder = _notebooks(tmp_path / "nb", barrier=False)
    monkeypatch.setattr(runner, "notebooks_dir", lambda: folder)
    monkeypatch.chdir(tmp_path)
    result = runner.run_client(SAMPLE, out_root=Path("reports"), lang="en", slots=2)
    assert result.status == runner.STATUS_OK, result.error
    assert Path.cwd() == tmp_path
    assert result.output_dir == Path("reports") / "sample"
    for nr in result.notebooks:
        assert nr.html.is_file() and nr.ipynb.is_file() and nr.html.parent == result.output_dir
    assert not list(folder.glob("kernel-ipc-*"))  # no socket files beside the notebooks


# --- Ctrl-C while several notebooks run -------------------------------------------------


def _kernels_of(pid: int) -> list[int]:
    """Processes started as kernels by process ``pid`` that still run."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get("JPY_PARENT_PID") == str(pid):
                found.append(proc.pid)
        except (psutil.Error, OSError):
            continue
    return found


def test_ctrl_c_while_notebooks_run_side_by_side(tmp_path):
    client = tmp_path / "client"
    shutil.copytree(SAMPLE, client, ignore=shutil.ignore_patterns("questionnaires"))
    out = tmp_path / "reports"
    args = ("run", str(client), "--out", str(out), "--notebooks", "02,03")
    done = hostile.kk(*args, "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    report = out / "sample"
    before = {p.name: p.read_bytes() for p in report.iterdir() if p.is_file()}

    proc = hostile.kk_popen(*args, "--lang", "de")
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in proc.stderr:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    wanted = {"02_customer_screening.ipynb …", "03_lever_assessment.ipynb …"}
    deadline = time.monotonic() + 300
    try:
        while wanted and time.monotonic() < deadline and proc.poll() is None:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(line)
            wanted = {w for w in wanted if w not in line}
        assert not wanted or schedule.available_cores() < 2, seen
        time.sleep(1.5)  # inside the notebooks
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(timeout=10)
    after = []
    while not lines.empty():
        after.append(lines.get())
    assert proc.returncode == 130, seen + after
    assert after == [t("safety.run.interrupted", "de") + "\n"], after
    assert {p.name: p.read_bytes() for p in report.iterdir() if p.is_file()} == before
    assert json.loads((report / "run.json").read_text(encoding="utf-8"))["lang"] == "en"
    assert not folders.leftovers(report)
    deadline = time.monotonic() + 30
    while _kernels_of(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _kernels_of(proc.pid) == []
    assert os.name != "posix" or not list(Path(out).glob("**/kernel-ipc-*"))
