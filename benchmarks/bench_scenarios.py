"""Benchmark: a scenario update of the target picture for 100,000 customers (notebook 04's live view).

Builds the sample client's scenario inputs (2,500 customers, last year's orders), copies
them 40 times (100,000 customers, ~850,000 orders), then times what a slider move
triggers: all four scenarios, the before/after table per class, the effects table, the
waterfall and the re-ranked measures plan (:func:`kk_helpers.stages.target.analysis.update`);
also the tornado (~30 scenario runs). Prints wall times; no targets are asserted
(machines are noisy).

    .venv/bin/python benchmarks/bench_scenarios.py [--copies 40] [--repeat 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time

import numpy as np
import pandas as pd

from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.target import analysis as TP
from kk_helpers.stages.target import scenarios as S
from kk_helpers.stages.target import tables as TPT


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40, help="copies of the 2,500-customer sample")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs; the fastest counts")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        prep = prepare_client(sample_client_dir(), tmp, lang="en")
        tp = TP.build_target_picture(prep, "en", with_tornado=False)
    small = tp.inputs
    n = len(small.base)
    k = args.copies
    base = pd.concat([small.base.set_axis(small.base.index + f"-{i}") for i in range(k)])
    orders = pd.concat(
        [small.orders.assign(pos=small.orders["pos"] + i * n) for i in range(k)],
        ignore_index=True,
    )
    t0 = time.perf_counter()
    big = S.build_inputs_from_frames(
        base, orders, small.rates, year=small.year, capacity=small.capacity
    )
    build_s = time.perf_counter() - t0
    s = tp.settings
    variant = s.model_copy(update={"shift_to_inside": 0.6, "surcharge": 15.0})
    big_tp = dataclasses.replace(tp, inputs=big)

    run_s = _best(lambda: S.run_scenarios(big, variant), args.repeat)

    def tables() -> None:
        r = S.run_scenarios(big, variant)
        S.before_after(big, r)
        S.effects_table(r)
        S.waterfall(big, r)

    tables_s = _best(tables, args.repeat)
    update_s = _best(lambda: TP.update(big_tp, variant), args.repeat)
    html_s = _best(
        lambda: (
            TPT.effects_display(big_tp).to_html(),
            TPT.before_after_display(big_tp).to_html(),
            TPT.plan_display(big_tp).to_html(),
        ),
        args.repeat,
    ) if len(big_tp.plan) else float("nan")  # fmt: skip
    t0 = time.perf_counter()
    S.tornado(big, s)
    tornado_s = time.perf_counter() - t0

    print(f"customers: {len(big.base):,}   orders (last year, value > 0): {len(big.orders):,}")
    print(f"build inputs (once per client):             {build_s * 1000:8.1f} ms")
    print(f"run_scenarios (4 scenarios):                {run_s * 1000:8.1f} ms")
    print(f"+ before/after, effects, waterfall:         {tables_s * 1000:8.1f} ms")
    print(f"scenario update (TP.update, incl. plan):    {update_s * 1000:8.1f} ms")
    print(f"HTML tables of the widget view:             {html_s * 1000:8.1f} ms")
    print(f"tornado ({len(S.SENSITIVE)} assumptions x 2 + base):     {tornado_s * 1000:8.1f} ms")
    assert np.isfinite(S.run_scenarios(big, variant).profit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
