"""Command line ``python -m kk_helpers.sample OUT_DIR [--customers N] [--large] ...``."""

from __future__ import annotations

import argparse
import resource
from pathlib import Path

from kk_helpers.core.config import CONFIG_FILENAME
from kk_helpers.sample.generate import (
    generate_client,
)
from kk_helpers.sample.reference import (
    DEFAULT_SEED,
    DEFAULT_YEARS,
    LARGE_CUSTOMERS,
    LARGE_DIR,
    LARGE_LINES,
    SAMPLE_CUSTOMERS,
)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kk_helpers.sample OUT_DIR [--customers N] [--large] ...``."""
    ap = argparse.ArgumentParser(
        prog="python -m kk_helpers.sample",
        description="Generate a fictional client folder (default: the committed sample).",
    )
    ap.add_argument(
        "out_dir", nargs="?", help="target folder (default with --large: benchmarks/data/large)"
    )
    ap.add_argument(
        "--customers", type=int, help=f"number of customers (default {SAMPLE_CUSTOMERS})"
    )
    ap.add_argument("--lines", type=int, help="approximate number of transaction lines")
    ap.add_argument(
        "--large",
        action="store_true",
        help="benchmark client: 100,000 customers, 10M lines, Parquet",
    )
    ap.add_argument(
        "--format",
        choices=("csv", "parquet"),
        help="file format (default csv; parquet with --large)",
    )
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--years", type=int, nargs="+", default=list(DEFAULT_YEARS))
    ap.add_argument(
        "--write-config",
        action="store_true",
        help=f"overwrite an existing {CONFIG_FILENAME} (default: keep it, write only if missing)",
    )
    args = ap.parse_args(argv)
    if args.out_dir is None and not args.large:
        ap.error("OUT_DIR is required (or use --large)")
    out_dir = Path(args.out_dir) if args.out_dir else LARGE_DIR
    n = args.customers or (LARGE_CUSTOMERS if args.large else SAMPLE_CUSTOMERS)
    lines = args.lines or (LARGE_LINES if args.large and not args.customers else None)
    fmt = args.format or ("parquet" if args.large else "csv")
    info = generate_client(
        out_dir,
        n_customers=n,
        years=tuple(args.years),
        seed=args.seed,
        fmt=fmt,
        lines=lines,
        large=args.large,
        write_config=args.write_config,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB on Linux
    print(
        f"{out_dir}: {info['customers']:,} customers, {info['lines']:,} lines, "
        f"{info['activities']:,} activities in {info['seconds']:.1f} s (peak RSS {peak:.2f} GiB)"
    )
    for name, p in info["files"].items():
        print(f"  {name:<22} {p.stat().st_size / 1e6:8.2f} MB")
    if not info["config_written"]:
        print(
            f"  {CONFIG_FILENAME:<22} kept (exists; use --write-config to overwrite it "
            "with the generated one)"
        )
    return 0
