"""Benchmark: re-scoring 100,000 customers in the screening model (notebook 02's live view).

Builds a 100,000-customer table by copying the sample client's customer table 40 times,
prepares the screening inputs once, then times re-scoring with changed weights (what a
slider move triggers). Prints wall times; no targets are asserted (machines are noisy).

    .venv/bin/python benchmarks/bench_screening.py [--copies 40] [--repeat 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import pandas as pd

from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import analysis as SC


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40, help="copies of the 2,500-customer sample")
    ap.add_argument("--repeat", type=int, default=5, help="timed re-scorings; the fastest counts")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        prep = prepare_client(sample_client_dir(), tmp)
    ct = prep.customer_table
    big = pd.concat(
        [ct.assign(customer_id=ct["customer_id"] + f"-{i}") for i in range(args.copies)],
        ignore_index=True,
    )
    t0 = time.perf_counter()
    inputs = SC.prepare_screening(big, prep.config)
    prep_s = time.perf_counter() - t0
    SC.score_customers(inputs, explain=False)  # warm-up
    times, times_explain = [], []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        SC.score_customers(inputs, weights={"trend": 20.0 + i}, explain=False)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    SC.score_customers(inputs, weights={"trend": 30.0}, explain=True)
    times_explain.append(time.perf_counter() - t0)
    print(f"customers: {len(big):,}")
    print(f"prepare (once):                 {prep_s:6.2f} s")
    print(f"re-score, new weights (best):   {min(times):6.2f} s")
    print(f"re-score incl. 'why' texts:     {min(times_explain):6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
