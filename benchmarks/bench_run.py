"""Benchmark: the full ``kk run`` (all four notebooks, HTML pages, Excel files) of a client.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_run.py                    # 10M-line client + the sample
    .venv/bin/python benchmarks/bench_run.py --sample-only      # the sample client only
    .venv/bin/python benchmarks/bench_run.py --data DIR         # another client folder
    .venv/bin/python benchmarks/bench_run.py --lines 100000000  # 100M lines (generated once)
    .venv/bin/python benchmarks/bench_run.py --modes concurrent --json out.json

Each run is ``kk run CLIENT --out <fresh temporary folder>`` in a subprocess, so the
client is prepared from scratch (no cache), once with the notebooks one after the other
(``--notebook-jobs 1``, "sequential") and once side by side (the default budget: the
cores, "concurrent"). Printed per run (from the report folder's ``run.json`` and the
executed notebooks' cell times that papermill records):

- ``prepare``: load, validate, build the customer table, write the cache and the
  validation report (before the first notebook);
- per notebook: execution (kernel start, imports and all cells), of which the cells that
  write files (Excel lists, measures plan, executive summary, deck: the cells calling
  the ``write_*``/``export_*`` functions, including whatever else those cells do), of
  which reading the prepared client (the cell calling ``prepare_client``: the cached
  tables, then the first analysis of that cell), of which kernel start (execution time
  outside the cells), and the HTML export of the page;
- ``notebooks``: from the first notebook's start to the last one's end; ``total``: the
  whole process (start-up, prepare, notebooks, index and definitions pages);
- peak memory: the largest sum of the resident set sizes of the runner and all its
  child processes (the notebook kernels), and the largest single process, both sampled
  every 0.2 s with psutil (short peaks between two samples can be missed).

Target (issue 14): the sample client's ``kk run`` (``make report``) in about 22 s.
The machine's load average is printed with the results: other work on the machine
makes the notebooks slower, the concurrent ones more.

``--lines N`` (with ``--customers``, default 100,000) uses ``benchmarks/data/l<N>``
and generates it first when it is missing (``python -m kk_helpers.sample DIR --large
--lines N``, written in blocks with bounded memory; 100M lines need some 1.5 GB of disk).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
LARGE = DATA / "large"
SAMPLE = ROOT / "data" / "sample"
GIB = 1024**3
SAMPLE_TARGET = 22.0  # seconds
#: functions whose cells count as "writes" (files for the client)
WRITERS = ("write_status_quo_excel", "write_screening", "export_lever_assessment",
           "write_measures_plan", "write_executive_summary", "write_deck")  # fmt: skip
WRITE_CALL = r"\b(?:" + "|".join(WRITERS) + r")\("  # a call, not the import
MODES = {"sequential": 1, "concurrent": None}


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


class _TreeMemory:
    """Samples the summed RSS of a process and its descendants in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak, self.largest = pid, interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:  # pragma: no cover - then only the largest process is known
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        rss = p.memory_info().rss
                    except psutil.Error:
                        continue
                    total += rss
                    self.largest = max(self.largest, rss)
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


def _kk_run(client: Path, slots: int | None) -> dict[str, Any]:
    """One ``kk run`` of ``client`` into a fresh folder: timings, memory, write times."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="kk-bench-run-") as tmp:
        out = Path(tmp) / "reports"
        cmd = [sys.executable, "-m", "kk_helpers.batch.cli", "run", str(client), "--out", str(out)]
        if slots:
            cmd += ["--notebook-jobs", str(slots)]
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)  # fmt: skip
        with _TreeMemory(proc.pid) as memory:
            output, _ = proc.communicate()
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.stderr.write(output)
            raise SystemExit(f"kk run {client} failed (exit code {proc.returncode})")
        folders = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
        report = folders[0]
        timings = json.loads((report / "run.json").read_text(encoding="utf-8"))["timings"]
        for step, nb in timings["notebooks"].items():
            nb.update(_cell_times(report, step, nb["execute"]))
        return {"wall": wall, "peak_tree": memory.peak, "largest_process": memory.largest,
                "load_before": load, "timings": timings}  # fmt: skip


def _cell_times(report: Path, step: str, execute: float) -> dict[str, Any]:
    """From the executed notebook's papermill metadata: seconds of the cells that write
    files (``writes``), of the cell that reads the prepared client (``read``), the rest
    of the execution outside cells (``kernel``: kernel start, papermill) and every code
    cell's seconds with its first line (``cells``)."""
    import nbformat

    path = next(report.glob(f"{step}_*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    writes = read = total = 0.0
    cells = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        seconds = float(cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)
        total += seconds
        cells.append(
            [
                round(seconds, 2),
                cell.source.strip().splitlines()[0][:70] if cell.source.strip() else "",
            ]
        )
        if re.search(WRITE_CALL, cell.source):
            writes += seconds
        if "prepare_client(" in cell.source:
            read += seconds
    return {"writes": writes, "read": read, "kernel": max(0.0, execute - total), "cells": cells}


def _table(title: str, runs: dict[str, dict[str, Any]]) -> str:
    modes = list(runs)
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, get: Any, unit: str = "s") -> None:
        values = []
        for m in modes:
            try:
                v = get(runs[m])
            except (KeyError, TypeError):
                values.append("-")
                continue
            values.append(
                f"{v / GIB:.2f} GiB" if unit == "GiB" else f"{v:.1f}{' ' + unit if unit else ''}"
            )
        rows.append((label, values))

    row("prepare (load, table, cache)", lambda r: r["timings"]["prepare"])
    steps = sorted(next(iter(runs.values()))["timings"]["notebooks"])
    for s in steps:
        nb = lambda r, s=s: r["timings"]["notebooks"][s]  # noqa: E731
        row(f"{s} execute", lambda r, nb=nb: nb(r)["execute"])
        row(f"{s}   of which reading the prepared client", lambda r, nb=nb: nb(r)["read"])
        row(f"{s}   of which file writes", lambda r, nb=nb: nb(r)["writes"])
        row(f"{s}   of which kernel start", lambda r, nb=nb: nb(r)["kernel"])
        row(f"{s} HTML export", lambda r, nb=nb: nb(r)["html"])
    row("notebooks (first start to last end)", lambda r: max(
        n["end"] for n in r["timings"]["notebooks"].values()) - min(
        n["start"] for n in r["timings"]["notebooks"].values()))  # fmt: skip
    row("total (run.json)", lambda r: r["timings"]["total"])
    row("wall (process)", lambda r: r["wall"])
    row("peak RSS, runner + kernels", lambda r: r["peak_tree"], "GiB")
    row("peak RSS, largest process", lambda r: r["largest_process"], "GiB")
    row("load average before", lambda r: r["load_before"], "")
    width = max(len(label) for label, _ in rows)
    head = f"{'':<{width}}  " + "  ".join(f"{m:>12}" for m in modes)
    lines = [title, head]
    for label, values in rows:
        lines.append(f"{label:<{width}}  " + "  ".join(f"{v:>12}" for v in values))
    return "\n".join(lines)


def _client_data(args: argparse.Namespace) -> Path | None:
    if args.sample_only:
        return None
    if args.data:
        return Path(args.data)
    if args.lines:
        folder = DATA / (f"l{args.lines}" + (f"_c{args.customers}" if args.customers else ""))
        if not (folder / "client.yml").is_file():
            cmd = [sys.executable, "-m", "kk_helpers.sample", str(folder), "--large",
                   "--lines", str(args.lines)]  # fmt: skip
            if args.customers:
                cmd += ["--customers", str(args.customers)]
            print("generating", folder, "...", flush=True)
            subprocess.run(cmd, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return folder
    if not (LARGE / "client.yml").is_file():
        raise SystemExit(f"{LARGE} is missing: python -m kk_helpers.sample --large")
    return LARGE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="client folder (default: benchmarks/data/large)")
    ap.add_argument("--lines", type=int, help="use (and generate) a client with N lines")
    ap.add_argument("--customers", type=int, help="customers of the --lines client")
    ap.add_argument("--sample-only", action="store_true", help="only the sample client")
    ap.add_argument("--no-sample", action="store_true", help="skip the sample client")
    ap.add_argument("--modes", default="sequential,concurrent",
                    help="sequential, concurrent or both (default)")  # fmt: skip
    ap.add_argument("--json", help="save the results to this file")
    args = ap.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        ap.error(f"unknown mode(s) {unknown}; choose from {list(MODES)}")
    print(f"machine: {_cores()} cores, {platform.machine()}, Python {platform.python_version()}; "
          "other work on the machine slows the runs down (see the load average)")  # fmt: skip
    results: dict[str, Any] = {}
    clients = []
    client = _client_data(args)
    if client is not None:
        clients.append(("client", client))
    if not args.no_sample:
        clients.append(("sample", SAMPLE))
    for key, folder in clients:
        runs = {m: _kk_run(folder, MODES[m]) for m in modes}
        results[key] = {"folder": str(folder), "runs": runs}
        print()
        print(_table(f"kk run {folder}", runs))
        if key == "sample":
            for m, r in runs.items():
                ok = r["wall"] <= SAMPLE_TARGET
                print(f"sample {m}: {r['wall']:.1f} s (target ~{SAMPLE_TARGET:.0f} s) "
                      f"{'OK' if ok else 'MISSED'}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
