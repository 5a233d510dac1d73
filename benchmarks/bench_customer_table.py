"""Benchmark: load + customer table against a bare pandas baseline on a large client.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_customer_table.py                 # 100k customers, 10M lines
    .venv/bin/python benchmarks/bench_customer_table.py --customers 20000 --lines 2000000

The large client is generated on first use (``kk_helpers.sample``, Parquet) into
``benchmarks/data/large`` (or ``benchmarks/data/c<customers>_l<lines>``); git-ignored.
Each measurement runs in its own subprocess so that peak memory (``ru_maxrss``) is not
mixed between measurements:

(a) baseline: pandas reads the transactions Parquet and sums revenue and margin, counts
    lines per customer and year and orders per customer in the year of the order's
    first line (the product's one order definition: an order id of a customer across
    years; the least any tool has to do);
(b) ``kk_helpers.input.loading.load_client`` + ``kk_helpers.metrics.customer_table.build_customer_table``;
(c) the bare DuckDB query for (a)'s aggregates straight from the Parquet file.
The three run interleaved (a, c, b per round, ``--repeat`` rounds; the fastest counts).

Targets: wall time (b)/(a) <= 2.5, (b)/(c) <= 2 and peak memory of (b) <= 1.2 GiB. The exit code is 1
when a target is missed (0 with ``--no-fail``). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

from _measure import run_child  # benchmarks/_measure.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = ROOT / "benchmarks" / "data"
TARGET_RATIO = 2.5  # (b) / (a): the workbook vs bare pandas
TARGET_RATIO_DUCKDB = 2.0  # (b) / (c): the workbook vs the bare DuckDB query (issue 14)
TARGET_PEAK_GIB = 1.2  # peak of (b) (issue 14; was 3 GiB)
GIB = 1024**3


# --- measurements (run in a child process) ---------------------------------------------------
def _peak_rss_bytes() -> int:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


def _transactions(client_dir: Path) -> tuple[Path, dict[str, str]]:
    """The client's transactions Parquet file and its column names (canonical -> client)."""
    from kk_helpers.core.config import load_config

    cfg = load_config(client_dir)
    spec = cfg.files.transactions
    col = {
        k: spec.columns.get(k, k) for k in ("customer_id", "date", "revenue", "margin", "order_id")
    }
    path = cfg.file_path("transactions")
    if path.suffix.lower() != ".parquet":
        raise SystemExit(
            f"{path}: the baselines need a Parquet client (generate one with --format parquet)"
        )
    return path, col


def measure_baseline(client_dir: Path) -> dict[str, Any]:
    """(a) Read the transactions Parquet with pandas; aggregate per customer and year."""
    import pandas as pd

    path, col = _transactions(client_dir)
    rss0 = _peak_rss_bytes()
    t0 = time.perf_counter()
    tx = pd.read_parquet(path, columns=list(col.values()))
    t_read = time.perf_counter() - t0
    year = pd.DatetimeIndex(tx[col["date"]]).year
    cust = tx[col["customer_id"]]
    grouped = tx.groupby([cust, year], sort=False, observed=True)
    result = grouped.agg(
        revenue=(col["revenue"], "sum"),
        margin=(col["margin"], "sum"),
        lines=(col["revenue"], "size"),
    )
    first = (
        pd.Series(year, index=tx.index)
        .groupby([cust, tx[col["order_id"]]], sort=False, observed=True)
        .min()
    )  # an order counts in the year of its first line
    orders = first.groupby(level=0, observed=True).value_counts()
    orders.index.names = result.index.names
    result["orders"] = orders.reindex(result.index, fill_value=0)
    wall = time.perf_counter() - t0
    return {
        "wall_s": wall,
        "read_s": t_read,
        "peak_rss": _peak_rss_bytes(),
        "rss_before": rss0,
        "lines": len(tx),
        "rows_out": len(result),
        "revenue": float(result["revenue"].sum()),
    }


def measure_duckdb(client_dir: Path) -> dict[str, Any]:
    """(c) The bare DuckDB query: the same per customer and year aggregates from Parquet."""
    import duckdb

    path, col = _transactions(client_dir)
    rss0 = _peak_rss_bytes()
    t0 = time.perf_counter()
    con = duckdb.connect()
    result = con.execute(
        f"""WITH l AS (SELECT "{col["customer_id"]}" AS c, "{col["order_id"]}" AS o,
                              year("{col["date"]}") AS y, "{col["revenue"]}" AS revenue,
                              "{col["margin"]}" AS margin FROM read_parquet(?)),
                 a AS (SELECT c, y, sum(revenue) AS revenue, sum(margin) AS margin,
                              count(*) AS lines FROM l GROUP BY ALL),
                 o AS (SELECT c, y, count(*) AS orders
                       FROM (SELECT c, o, min(y) AS y FROM l GROUP BY c, o) GROUP BY ALL)
            SELECT a.*, coalesce(o.orders, 0) AS orders FROM a LEFT JOIN o USING (c, y)""",
        [str(path)],
    ).df()
    wall = time.perf_counter() - t0
    return {
        "wall_s": wall,
        "peak_rss": _peak_rss_bytes(),
        "rss_before": rss0,
        "lines": int(result["lines"].sum()),
        "rows_out": len(result),
        "revenue": float(result["revenue"].sum()),
    }


def measure_full(client_dir: Path) -> dict[str, Any]:
    """(b) ``load_client`` + ``build_customer_table`` (the workbook's own path)."""
    from kk_helpers.input.loading import load_client
    from kk_helpers.metrics.customer_table import build_customer_table

    rss0 = _peak_rss_bytes()
    t0 = time.perf_counter()
    data = load_client(client_dir)
    t_load = time.perf_counter() - t0
    table = build_customer_table(
        data.customers, data.transactions, data.activities, config=data.config
    )
    wall = time.perf_counter() - t0
    rec = data.report.reconciliation()
    return {
        "wall_s": wall,
        "load_s": t_load,
        "table_s": wall - t_load,
        "peak_rss": _peak_rss_bytes(),
        "rss_before": rss0,
        "lines": len(data.transactions),
        "rows_out": len(table),
        "rows_rejected": int(rec["rows_rejected"].sum()),
        "revenue": float(data.transactions["revenue"].sum()),
    }


MEASUREMENTS = {"baseline": measure_baseline, "duckdb": measure_duckdb, "full": measure_full}


def _child(which: str, client_dir: Path) -> None:
    result = MEASUREMENTS[which](client_dir)
    print("RESULT " + json.dumps(result))


def run_measurement(which: str, client_dir: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; return its result dict."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        which,
        "--data",
        str(client_dir),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return run_child(cmd, env=env, cwd=ROOT, which=which)


# --- driver ----------------------------------------------------------------------------------
def ensure_client(client_dir: Path, customers: int, lines: int, regenerate: bool) -> None:
    """Generate the Parquet benchmark client unless it is already there."""
    if (client_dir / "client.yml").is_file() and not regenerate:
        return
    from kk_helpers.sample import generate_client

    print(
        f"generating {customers:,} customers / ~{lines:,} lines into {client_dir} ...", flush=True
    )
    info = generate_client(
        client_dir, n_customers=customers, fmt="parquet", lines=lines, large=True
    )
    print(f"  done in {info['seconds']:.1f} s ({info['lines']:,} lines)", flush=True)


def _warm_cache(client_dir: Path) -> None:
    """Read the data files once so that both measurements see a warm OS file cache."""
    for p in sorted(client_dir.iterdir()):
        if p.is_file():
            with p.open("rb") as f:
                while f.read(1 << 24):
                    pass


def _gib(x: float) -> str:
    return f"{x / GIB:.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--customers", type=int, help="customers of the generated client (default 100,000)"
    )
    ap.add_argument(
        "--lines", type=int, help="transaction lines of the generated client (default 10,000,000)"
    )
    ap.add_argument(
        "--data", type=Path, help="use this (Parquet) client folder instead of generating one"
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="runs per measurement; the fastest counts"
    )
    ap.add_argument(
        "--regenerate", action="store_true", help="regenerate the client even if present"
    )
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ap.add_argument("--no-fail", action="store_true", help="exit 0 even when a target is missed")
    ap.add_argument("--measure", choices=sorted(MEASUREMENTS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.measure:
        _child(args.measure, args.data)
        return 0

    from kk_helpers.sample import LARGE_CUSTOMERS, LARGE_DIR, LARGE_LINES

    customers = args.customers or LARGE_CUSTOMERS
    lines = args.lines or (LARGE_LINES if args.customers is None else 100 * customers)
    if args.data:
        client_dir = args.data
    elif customers == LARGE_CUSTOMERS and lines == LARGE_LINES:
        client_dir = LARGE_DIR
    else:
        client_dir = DATA_ROOT / f"c{customers}_l{lines}"
    if not args.data:
        ensure_client(client_dir, customers, lines, args.regenerate)
    _warm_cache(client_dir)

    # interleaved rounds: a busy machine slows all three alike
    runs: dict[str, list[dict[str, Any]]] = {w: [] for w in ("baseline", "duckdb", "full")}
    for _ in range(max(1, args.repeat)):
        for which in runs:
            runs[which].append(run_measurement(which, client_dir))
    results: dict[str, dict[str, Any]] = {}
    for which, done in runs.items():
        best = min(done, key=lambda r: r["wall_s"])
        best["peak_rss"] = max(r["peak_rss"] for r in done)
        results[which] = best

    a, b, c = results["baseline"], results["full"], results["duckdb"]
    ratio = b["wall_s"] / a["wall_s"]
    ratio_duck = b["wall_s"] / c["wall_s"]
    ok_ratio = ratio <= TARGET_RATIO
    ok_duck = ratio_duck <= TARGET_RATIO_DUCKDB
    ok_peak = b["peak_rss"] <= TARGET_PEAK_GIB * GIB
    print(f"\nclient: {client_dir}  ({a['lines']:,} lines, {b['rows_out']:,} customers)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"{'':<28}{'wall':>10}{'peak RSS':>14}")
    row = "{:<28}{:>9.1f}s{:>14}   ({})"
    print(
        row.format(
            "(a) pandas baseline", a["wall_s"], _gib(a["peak_rss"]), f"read {a['read_s']:.1f} s"
        )
    )
    print(row.format("(c) bare DuckDB query", c["wall_s"], _gib(c["peak_rss"]), "from Parquet"))
    detail = f"load {b['load_s']:.1f} s, table {b['table_s']:.1f} s"
    detail += f", rejected rows {b['rows_rejected']:,}"
    print(row.format("(b) load_client + table", b["wall_s"], _gib(b["peak_rss"]), detail))
    verdict = {True: "OK", False: "MISSED"}
    print(f"ratio (b)/(a): {ratio:.2f}  (target <= {TARGET_RATIO})  {verdict[ok_ratio]}")
    print(f"ratio (b)/(c): {ratio_duck:.2f}  (target <= {TARGET_RATIO_DUCKDB})  {verdict[ok_duck]}")
    print(
        f"peak (b): {_gib(b['peak_rss'])}  "
        f"(target <= {TARGET_PEAK_GIB:.1f} GiB)  {verdict[ok_peak]}"
    )
    if (
        abs(a["revenue"] - b["revenue"]) > 1e-6 * max(1.0, abs(a["revenue"]))
        and b["rows_rejected"] == 0
    ):
        print(f"WARNING: revenue differs: baseline {a['revenue']:,.2f}, loaded {b['revenue']:,.2f}")
    if args.json:
        summary = {
            "client": str(client_dir),
            "ratio": ratio,
            "ok_ratio": ok_ratio,
            "ratio_duckdb": ratio_duck,
            "ok_ratio_duckdb": ok_duck,
            "ok_peak": ok_peak,
            **results,
        }
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0 if (ok_ratio and ok_duck and ok_peak) or args.no_fail else 1


if __name__ == "__main__":
    sys.exit(main())
