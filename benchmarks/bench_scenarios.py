"""Benchmark: a slider move of the target picture and the tornado on the large client (notebook 04).

Prepares the benchmark client (``benchmarks/data/large``: 100,000 customers, ~10 million
lines; the cache in ``--out`` is built on the first run and reused after), builds the
target picture once (scenario inputs: the last year's orders as per-customer running sums,
:mod:`kk_helpers.stages.target.order_sums`), then times what a user waits for:

* **slider update (04)**: one slider move in the scenario widget (``scenario_widgets``,
  :meth:`ScenarioUI.update`): all four scenarios, the before/after, effects and plan
  tables as HTML, the findings -- without and with redrawing the waterfall chart;
* the parts of it: ``run_scenarios`` alone and :func:`kk_helpers.stages.target.analysis.update`;
* **tornado**: the sensitivities (2 runs per assumption, ~29 runs);
* **slider update (02)**: one weight slider move in the screening widget: the live
  re-scoring (:mod:`kk_helpers.stages.screening.live`: scores, classes, levels, group
  summaries, capacity, top 15) and its HTML tables, without the live chart; and, for
  comparison, the same move followed by the full screening result that
  ``ScreeningUI.result`` computes on demand (why codes, smart accounts, portfolio, …).

Targets (design scale, 2-core laptop): a slider move ≤ 100 ms including the tables,
the tornado ≤ 1 s. Prints the fastest of ``--repeat`` runs, each marked OK or MISSED;
exit code 0 (machines are noisy; nothing is asserted).

    .venv/bin/python benchmarks/bench_scenarios.py [--data benchmarks/data/large]
        [--out /tmp/kk-bench-scenarios] [--repeat 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.target import analysis as TP
from kk_helpers.stages.target import scenarios as S

ROOT = Path(__file__).resolve().parents[1]
SLIDER_MS = 100.0
TORNADO_MS = 1000.0


#: CPU time of the fastest run per measurement (ms): on a busy machine the wall time
#: includes waiting for a core, the CPU time does not
CPU: dict[str, float] = {}


def _best(fn, repeat: int, name: str) -> float:
    """Fastest wall time of ``repeat`` calls of ``fn`` (milliseconds); its CPU time is
    kept in :data:`CPU` under ``name``."""
    times = []
    for i in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    wall, cpu = min(times)
    CPU[name] = 1000 * cpu
    return 1000 * wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data" / "large")
    ap.add_argument("--out", type=Path, default=Path("/tmp/kk-bench-scenarios"))
    ap.add_argument("--repeat", type=int, default=5, help="timed runs; the fastest counts")
    ap.add_argument("--json", type=Path, default=None, help="save the results here")
    args = ap.parse_args()
    if not (args.data / "client.yml").is_file():
        raise SystemExit(f"{args.data}/client.yml not found: python -m kk_helpers.sample --large")
    from kk_helpers.present.screening_widgets import screening_widgets
    from kk_helpers.present.target_widgets import scenario_widgets
    from kk_helpers.stages.screening import analysis as SC

    t0 = time.perf_counter()
    prep = prepare_client(args.data, args.out, lang="de")
    prepare_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tp = TP.build_target_picture(prep, "de", with_tornado=False)
    build_s = time.perf_counter() - t0
    inputs, s = tp.inputs, tp.settings
    ui = scenario_widgets(tp, args.out, draw=False)
    values = [0.55, 0.6, 0.65, 0.7, 0.75, 0.8]

    def move(i: int) -> None:  # what a slider move runs (the widget observes the value)
        ui.sliders["shift_to_inside"].value = values[i % len(values)]

    results = {
        "customers": len(inputs.base),
        "orders_last_year": len(inputs.orders),
        "prepare_s": prepare_s,
        "build_target_picture_s": build_s,
        "run_scenarios_ms": _best(lambda i: S.run_scenarios(inputs, s), args.repeat, "run"),
        "update_ms": _best(lambda i: TP.update(tp, s), args.repeat, "update"),
        "slider_04_ms": _best(move, args.repeat, "slider_04"),
    }
    ui.draw = True
    results["slider_04_chart_ms"] = _best(move, args.repeat, "slider_04_chart")
    # the tornado of a fresh target picture (nothing kept from the runs above)
    tp = TP.build_target_picture(prep, "de", with_tornado=False)
    inputs = tp.inputs
    results["tornado_ms"] = _best(
        lambda i: S.tornado(inputs, s, base_result=tp.result), 1, "tornado"
    )

    scr = SC.prepare_screening(prep.customer_table, prep.config)
    sui = screening_widgets(scr, "de", draw=False)
    weight = next(iter(sui.weight_sliders))
    start = float(sui.weight_sliders[weight].value)

    def move_02(i: int) -> None:
        sui.weight_sliders[weight].value = start + 1 + i % 3

    results["slider_02_ms"] = _best(move_02, args.repeat, "slider_02")

    def move_02_result(i: int) -> None:  # the move, then the full result (on demand)
        move_02(i)
        assert sui.result is not None

    results["slider_02_result_ms"] = _best(move_02_result, args.repeat, "slider_02_result")
    results["cpu_ms"] = dict(CPU)

    print(f"customers: {results['customers']:,}   orders (last year, value > 0): "
          f"{results['orders_last_year']:,}")  # fmt: skip
    print(f"{'prepare_client (cache)':44s}{prepare_s:8.1f} s")
    print(f"{'build_target_picture (once, no tornado)':44s}{build_s:8.1f} s")
    rows = [
        ("run_scenarios (4 scenarios)", "run", None),
        ("TP.update (+ before/after, effects, plan)", "update", None),
        ("slider move 04 incl. tables", "slider_04", SLIDER_MS),
        ("slider move 04 incl. tables + chart", "slider_04_chart", None),
        (f"tornado ({len(S.SENSITIVE)} assumptions x 2)", "tornado", TORNADO_MS),
        ("slider move 02 (re-score, tables)", "slider_02", SLIDER_MS),
        ("slider move 02 + full result (on demand)", "slider_02_result", None),
    ]
    keys = dict(zip(["run", "update", "slider_04", "slider_04_chart", "tornado", "slider_02",
                     "slider_02_result"],
                    ["run_scenarios_ms", "update_ms", "slider_04_ms", "slider_04_chart_ms",
                     "tornado_ms", "slider_02_ms", "slider_02_result_ms"], strict=True))  # fmt: skip
    for label, name, target in rows:
        ms = results[keys[name]]
        verdict = "" if target is None else ("OK" if ms <= target else "MISSED")
        goal = "" if target is None else f"(target {target:.0f} ms)"
        print(f"{label:44s}{ms:8.1f} ms  CPU {CPU[name]:8.1f} ms  {goal} {verdict}")
    assert np.isfinite(S.run_scenarios(inputs, s).profit)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
