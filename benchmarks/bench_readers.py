"""Benchmark: reading and validating a large XLSX export, against bare readers.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_readers.py                    # ~500,000 lines
    .venv/bin/python benchmarks/bench_readers.py --lines 100000
    .venv/bin/python benchmarks/bench_readers.py --before /tmp/old_tree   # + an older code tree

On first use a client is generated into ``benchmarks/data/xlsx_l<lines>`` (git-ignored):
the sample model (``kk_helpers.sample``, CSV) whose ``transactions.csv`` is converted to
``transactions.xlsx`` the way ERP exports look: numbers and dates as typed cells, the
customer numbers as numbers with the zero-padding number format ``000000`` (Excel shows
``085361``), so the reader's format pass is exercised too.

Measurements, each in a fresh interpreter (wall time of the work, imports excluded;
peak RSS), interleaved over ``--repeat`` rounds; the median is printed:

- ``pandas+openpyxl``: ``pd.read_excel(engine="openpyxl")`` (bare, what most code does);
- ``calamine``: ``python_calamine`` reading every cell value (the bare lower bound);
- ``read_raw``: :func:`kk_helpers.input.readers.read_raw` (values as found, id formats,
  error cells, formula check);
- ``load_client``: reading + parsing + validation of the whole client (``kk validate``
  without writing the report files);
- each of ``read_raw`` / ``load_client`` again on the code tree given with ``--before``
  (e.g. ``git archive <commit> kk_helpers | tar -x -C /tmp/old``), for a before/after.

Target (issue 14): a 500,000-line XLSX validates in <= 10 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _measure import run_child  # benchmarks/_measure.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = ROOT / "benchmarks" / "data"
TARGET_S = 10.0
GIB = 1024**3


def _peak_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


# --- measurements (run in a child process) ---------------------------------------------------
def _xlsx(client_dir: Path) -> Path:
    return client_dir / "transactions.xlsx"


def measure_pandas_openpyxl(client_dir: Path) -> dict[str, Any]:
    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_excel(_xlsx(client_dir), engine="openpyxl")
    return {"wall_s": time.perf_counter() - t0, "rows": len(frame)}


def measure_calamine(client_dir: Path) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(_xlsx(client_dir)))
    rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return {"wall_s": time.perf_counter() - t0, "rows": len(rows) - 1}


def measure_read_raw(client_dir: Path) -> dict[str, Any]:
    from kk_helpers.core.config import load_config
    from kk_helpers.input.readers import read_raw

    cfg = load_config(client_dir)
    spec = cfg.files.transactions
    t0 = time.perf_counter()
    raw = read_raw(_xlsx(client_dir), spec, list(spec.columns.values()))
    wall = time.perf_counter() - t0
    import pandas as pd  # a digest of values and types, to compare code trees

    cells = raw.frame.astype(str).assign(_row=raw.source_rows)
    digest = int(pd.util.hash_pandas_object(cells, index=False).sum()) % 10**12
    return {"wall_s": wall, "rows": len(raw.frame), "digest": digest}


def measure_load_client(client_dir: Path) -> dict[str, Any]:
    from kk_helpers.input.loading import load_client

    t0 = time.perf_counter()
    data = load_client(client_dir)
    wall = time.perf_counter() - t0
    rec = data.report.reconciliation()
    return {
        "wall_s": wall,
        "rows": len(data.transactions),
        "rejected": int(rec["rows_rejected"].sum()),
        "revenue": round(float(data.transactions["revenue"].sum()), 2),
    }


MEASUREMENTS = {
    "pandas+openpyxl": measure_pandas_openpyxl,
    "calamine": measure_calamine,
    "read_raw": measure_read_raw,
    "load_client": measure_load_client,
}


def _child(which: str, client_dir: Path) -> None:
    result = MEASUREMENTS[which](client_dir)
    result["peak_rss"] = _peak_rss_bytes()
    print("RESULT " + json.dumps(result))


def run_measurement(which: str, client_dir: Path, code: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter importing ``kk_helpers`` from ``code``."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", which]
    cmd += ["--data", str(client_dir)]
    env = {**os.environ, "PYTHONPATH": str(code)}
    return run_child(cmd, env=env, cwd=ROOT, which=which)


# --- the data ----------------------------------------------------------------------------------
def ensure_client(client_dir: Path, lines: int) -> None:
    """Generate the sample model with ~``lines`` lines and convert its transactions to XLSX."""
    if _xlsx(client_dir).is_file():
        return
    from kk_helpers.sample import generate_client

    customers = max(200, lines // 100)
    print(f"generating ~{lines:,} lines into {client_dir} ...", flush=True)
    generate_client(client_dir, n_customers=customers, fmt="csv", lines=lines)
    src = client_dir / "transactions.csv"
    _csv_to_xlsx(src, _xlsx(client_dir))
    src.unlink()
    cfg = client_dir / "client.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "path: transactions.csv", "path: transactions.xlsx"
        ),
        encoding="utf-8",
    )


def _csv_to_xlsx(src: Path, dst: Path) -> None:
    """Typed cells as an ERP's Excel export has them (xlsxwriter, constant memory)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(dst), {"constant_memory": True})
    ws = wb.add_worksheet("Umsätze")
    id_fmt = wb.add_format({"num_format": "000000"})
    date_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})
    with src.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        header = next(reader)
        ws.write_row(0, 0, header)
        kinds = {"Kundennr": "id", "Belegdatum": "date", "Menge": "num", "Pos": "num"}
        kinds |= {"Umsatz netto": "money", "DB I": "money"}
        for r, rec in enumerate(reader, start=1):
            for c, (name, v) in enumerate(zip(header, rec, strict=True)):
                kind = kinds.get(name)
                if not v:
                    continue
                if kind == "id" and v.isdigit():
                    ws.write_number(r, c, int(v), id_fmt)
                elif kind == "date":
                    ws.write_datetime(r, c, dt.datetime.strptime(v, "%d.%m.%Y"), date_fmt)
                elif kind == "num":
                    ws.write_number(r, c, float(v.replace(".", "").replace(",", ".")))
                elif kind == "money":
                    ws.write_number(r, c, float(v.replace(".", "").replace(",", ".")), money_fmt)
                else:
                    ws.write_string(r, c, v)
    wb.close()


# --- driver ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=500_000, help="transaction lines (~)")
    ap.add_argument("--data", type=Path, help="use this client folder (transactions.xlsx)")
    ap.add_argument("--before", type=Path, help="an older code tree to compare with")
    ap.add_argument("--repeat", type=int, default=1, help="interleaved rounds; median counts")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ap.add_argument("--measure", choices=sorted(MEASUREMENTS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        _child(args.measure, args.data)
        return 0

    client_dir = args.data or DATA_ROOT / f"xlsx_l{args.lines}"
    if not args.data:
        ensure_client(client_dir, args.lines)
    size = _xlsx(client_dir).stat().st_size / 1e6
    plan = [(w, ROOT, w) for w in MEASUREMENTS]
    if args.before:
        plan += [(f"{w} (before)", args.before, w) for w in ("read_raw", "load_client")]
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in plan}
    for _ in range(max(1, args.repeat)):
        for label, code, which in plan:
            runs[label].append(run_measurement(which, client_dir, code))
            print(f"  {label}: {runs[label][-1]['wall_s']:.1f} s", flush=True)

    print(f"\nfile: {_xlsx(client_dir)} ({size:.1f} MB)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {dt.date.today().isoformat()}"
    )
    print(f"{'':<26}{'wall':>9}{'peak RSS':>12}  rows")
    summary = {}
    for label, rs in runs.items():
        wall = statistics.median(r["wall_s"] for r in rs)
        peak = max(r["peak_rss"] for r in rs)
        summary[label] = {**rs[-1], "wall_s": wall, "peak_rss": peak}
        extra = f"  rejected {rs[-1]['rejected']:,}" if "rejected" in rs[-1] else ""
        extra += f"  revenue {rs[-1]['revenue']:,.2f}" if "revenue" in rs[-1] else ""
        extra += f"  digest {rs[-1]['digest']}" if "digest" in rs[-1] else ""
        print(f"{label:<26}{wall:>8.1f}s{peak / GIB:>9.2f} GiB  {rs[-1]['rows']:,}{extra}")
    load = summary["load_client"]["wall_s"]
    ok = load <= TARGET_S
    print(f"load_client: {load:.1f} s (target <= {TARGET_S:.0f} s) {'OK' if ok else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
