"""Benchmark: peak memory of each notebook's start on a cached client (prepare + stage call).

Every notebook kernel calls ``prepare_client`` (which reads the cache written by the batch
runner) and then its stage: 01 ``analyse_status_quo`` (+ the data-basis and missing-data
tables), 02 ``prepare_screening`` + ``score_customers``, 03 ``assess_levers``, 04
``build_target_picture`` (+ ``analyse_status_quo`` for the deck). Each runs in a fresh
interpreter; printed: wall time and peak resident set size (``ru_maxrss``, includes the
interpreter and libraries, ~0.2 GiB) after ``prepare_client`` and after the stage.
No targets are asserted (machines are noisy).

    .venv/bin/python benchmarks/bench_stage_memory.py [--data benchmarks/data/large]
        [--out /tmp/kk-bench-stage-memory] [--json FILE]

The cache is built first (one more process, not measured) when it is missing or stale.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import run_child  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("01", "02", "03", "04")


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def _measure(which: str, data: Path, out: Path) -> dict[str, object]:
    from kk_helpers.stages.prepare import prepare_client

    t0 = time.perf_counter()
    prep = prepare_client(data, out, lang="de")
    prep_s = time.perf_counter() - t0
    prep_peak = _peak_gib()
    t0 = time.perf_counter()
    if which == "build":
        pass
    elif which == "01":
        from kk_helpers.stages.status_quo import tables as sq_tables
        from kk_helpers.stages.status_quo.analysis import analyse_status_quo

        analyse_status_quo(prep, "de")
        sq_tables.data_basis(prep, "de")
        sq_tables.missing_data_notes(prep, "de")
    elif which == "02":
        from kk_helpers.stages.screening import analysis as scr
        from kk_helpers.stages.screening.export import write_screening

        result = scr.score_customers(scr.prepare_screening(prep.customer_table, prep.config))
        write_screening(result, prep.output_dir, "de", customer_table=prep.customer_table)
    elif which == "03":
        from kk_helpers.stages.levers.assessment import assess_levers
        from kk_helpers.stages.levers.export import export_lever_assessment

        export_lever_assessment(assess_levers(prep, "de"), prep.output_dir)
    elif which == "04":
        from kk_helpers.stages.status_quo.analysis import analyse_status_quo
        from kk_helpers.stages.target import analysis as tpic

        tpic.build_target_picture(prep, "de")
        analyse_status_quo(prep, "de")
    stage_s = time.perf_counter() - t0
    return {
        "which": which,
        "from_cache": prep.from_cache,
        "prepare_s": prep_s,
        "prepare_peak_gib": prep_peak,
        "stage_s": stage_s,
        "peak_gib": _peak_gib(),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data" / "large")
    ap.add_argument("--out", type=Path, default=Path("/tmp/kk-bench-stage-memory"))
    ap.add_argument("--json", type=Path, default=None, help="save the results here")
    ap.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print("RESULT " + json.dumps(_measure(args.measure, args.data, args.out)), flush=True)
        return 0
    if not (args.data / "client.yml").is_file():
        raise SystemExit(f"{args.data}/client.yml not found: python -m kk_helpers.sample --large")
    env = dict(os.environ)
    results = []
    for which in ("build", *NOTEBOOKS):  # "build": writes the cache when it is not current
        cmd = [sys.executable, __file__, "--data", str(args.data), "--out", str(args.out),
               "--measure", which]  # fmt: skip
        r = run_child(cmd, env=env, cwd=ROOT, which=which)
        results.append(r)
        label = "prepare only" if which == "build" else f"notebook {which}"
        print(
            f"{label:13s} cache={'yes' if r['from_cache'] else 'no ':3s} "
            f"prepare {r['prepare_s']:6.1f} s, peak {r['prepare_peak_gib']:5.2f} GiB | "
            f"+ stage {r['stage_s']:6.1f} s, peak {r['peak_gib']:5.2f} GiB",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
