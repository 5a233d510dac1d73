"""Benchmark: writing the 100,000-row customer list of ``status_quo.xlsx``.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_excel.py                       # 100,000 rows
    .venv/bin/python benchmarks/bench_excel.py --rows 20000 --repeat 3
    .venv/bin/python benchmarks/bench_excel.py --before /tmp/old_tree  # + an older code tree
    .venv/bin/python benchmarks/bench_excel.py --compare old.xlsx new.xlsx --cells

The customer list is generated in the script (fixed seed) with the columns of the
status-quo customer list: :func:`kk_helpers.stages.status_quo.export.customer_sheet` on
a customer table with ids, master data (name, industry, region, sales rep, current
class), revenue, CM I-III for three years, totals, class and XYZ, i.e. id and names as
text, 20 money / share columns, counts and class letters (31 columns). A few names
start with ``=`` or ``-`` (client text that must stay text).

Measurements, each in a fresh interpreter (CPU time -- ``time.process_time``, all
threads of the process -- and wall time of the writing only, generation and imports
excluded; peak RSS of the process), interleaved over ``--repeat`` rounds, the medians
printed. CPU time is the figure to compare on a shared machine (wall time grows with
the other jobs' load):

- ``product``: :func:`kk_helpers.core.excel.write_workbook` (number format per column,
  header, widths, freeze, filter, print set-up, text kept as text);
- ``pandas+openpyxl``: bare ``DataFrame.to_excel(engine="openpyxl")`` of the same frame
  (no formats at all: what most code does);
- ``xlsxwriter``: bare xlsxwriter, constant-memory mode, one format per column
  (``set_column``), numbers with ``write_number``, texts with ``write_string``: the
  lower bound of a Python writer with formats;
- ``product (before)``: ``write_workbook`` of the code tree given with ``--before``
  (e.g. ``git archive <commit> kk_helpers | tar -x -C /tmp/old``);
- ``rustpy-xlsxwriter`` (with ``--rustpy``, when the package is importable, e.g. from a
  scratch venv given with ``--extra-path``): the Rust writer's ``FastExcel`` with a
  number format per column, header format, widths, freeze, filter and print set-up --
  what it can do of the product's sheet (see ``benchmarks/README.md``).

Target (issue 14): the 100,000-row customer list in a few seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _measure import run_child  # benchmarks/_measure.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
GIB = 1024**3
YEARS = (2023, 2024, 2025)
COLUMNS = 31  # of the status-quo customer list built below


def _peak_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)


def customer_table(rows: int) -> Any:
    """A customer table (index: customer id) with what the status-quo list shows."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(14)
    ids = [f"K{i:06d}" for i in range(1, rows + 1)]
    names = [f"Kunde {i} GmbH" for i in range(1, rows + 1)]
    for i in range(0, rows, 997):  # client text that looks like a formula
        names[i] = '=HYPERLINK("http://x","click")' if i % 2 else "-Rabatt Kunde"
    ct = pd.DataFrame(index=pd.Index(ids, name="customer_id"))
    ct["name"] = names
    ct["industry"] = rng.choice(["Bau", "Handel", "Industrie", "Dienstleistung"], rows)
    ct["region"] = rng.choice(["Nord", "Süd", "West", "Ost"], rows)
    ct["sales_rep"] = rng.choice([f"Vertrieb {k}" for k in range(40)], rows)
    ct["current_class"] = rng.choice(["A", "B", "C"], rows)
    revenue = rng.lognormal(8, 1.5, (rows, len(YEARS))).round(2)
    for j, y in enumerate(YEARS):
        ct[f"revenue_{y}"] = revenue[:, j]
        ct[f"margin_{y}"] = (revenue[:, j] * rng.uniform(0.1, 0.4, rows)).round(2)
        ct[f"cm2_{y}"] = ct[f"margin_{y}"] - rng.uniform(0, 300, rows).round(2)
        ct[f"cm3_{y}"] = ct[f"cm2_{y}"] - rng.uniform(0, 500, rows).round(2)
    ct["trend"] = rng.normal(0.02, 0.2, rows)
    ct["revenue_total"] = revenue.sum(axis=1)
    ct["margin_total"] = sum(ct[f"margin_{y}"] for y in YEARS)
    ct["cm1_pct"] = ct["margin_total"] / ct["revenue_total"]
    ct["orders_total"] = rng.integers(1, 200, rows)
    ct["avg_order_value"] = ct["revenue_total"] / ct["orders_total"]
    ct["cost_to_serve"] = rng.uniform(10, 2_000, rows).round(2)
    ct["cm3"] = sum(ct[f"cm3_{y}"] for y in YEARS)
    ct["class"] = rng.choice(["A", "B", "C", "D"], rows)
    ct["xyz"] = rng.choice(["X", "Y", "Z"], rows)
    return ct


def the_sheet(rows: int) -> Any:
    """The customer list as the product's :class:`~kk_helpers.core.excel.Sheet`."""
    from types import SimpleNamespace

    from kk_helpers.stages.status_quo.export import customer_sheet

    sheet, _ = customer_sheet(SimpleNamespace(customers=customer_table(rows), years=YEARS), "de")
    return sheet


# --- measurements (run in a child process) ---------------------------------------------------
def measure_product(rows: int, out: Path) -> tuple[float, float]:
    from kk_helpers.core.excel import write_workbook

    sheet = the_sheet(rows)
    t0, c0 = time.perf_counter(), time.process_time()
    write_workbook(out, {"Kunden": sheet}, lang="de", currency="EUR")
    return time.perf_counter() - t0, time.process_time() - c0


def measure_pandas_openpyxl(rows: int, out: Path) -> tuple[float, float]:
    frame = the_sheet(rows).frame
    t0, c0 = time.perf_counter(), time.process_time()
    frame.to_excel(out, sheet_name="Kunden", index=False, engine="openpyxl")
    return time.perf_counter() - t0, time.process_time() - c0


def measure_xlsxwriter(rows: int, out: Path) -> tuple[float, float]:
    import math

    import pandas as pd
    import xlsxwriter

    from kk_helpers.core.excel import number_format

    sheet = the_sheet(rows)
    frame = sheet.frame
    t0, c0 = time.perf_counter(), time.process_time()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = book.add_worksheet("Kunden")
    columns = []
    for j, col in enumerate(frame.columns):
        kind = sheet.formats.get(col)
        fmt = book.add_format({"num_format": number_format(kind)}) if kind else None
        ws.set_column(j, j, 14, fmt)
        numeric = pd.api.types.is_numeric_dtype(frame[col].dtype)
        columns.append((frame[col].tolist(), numeric, fmt))
    for j, col in enumerate(frame.columns):
        ws.write_string(0, j, str(col))
    for i in range(len(frame)):
        for j, (values, numeric, fmt) in enumerate(columns):
            v = values[i]
            if numeric:
                if not math.isnan(v):
                    ws.write_number(i + 1, j, v, fmt)
            elif isinstance(v, str):
                ws.write_string(i + 1, j, v, fmt)
    book.close()
    return time.perf_counter() - t0, time.process_time() - c0


def measure_rustpy(rows: int, out: Path) -> tuple[float, float]:
    import rustpy_xlsxwriter as rx

    from kk_helpers.core.excel import HEADER_FILL, number_format

    sheet = the_sheet(rows)
    frame = sheet.frame
    t0, c0 = time.perf_counter(), time.process_time()
    formats = {
        c: rx.Format().set_num_format(number_format(k)) for c, k in sheet.formats.items() if k
    }
    head = rx.Format().set_bold().set_font_color("#FFFFFF").set_background_color(
        f"#{HEADER_FILL}").set_border("thin").set_text_wrap()  # fmt: skip
    setup = {"landscape": True, "paper_size": 9, "fit_to_pages": (1, 0), "repeat_rows": 0,
             "margins": {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.3,
                         "footer": 0.3},
             "center_horizontally": True, "footer": "&L&A&R&P / &N"}  # fmt: skip
    rx.FastExcel(str(out)).freeze(row=1, col=2).sheet(
        "Kunden", frame, column_formats=formats, header_format=head, autofilter=True,
        column_widths={c: 14 for c in frame.columns}, page_setup=setup,
    ).save()  # fmt: skip
    return time.perf_counter() - t0, time.process_time() - c0


MEASUREMENTS = {
    "product": measure_product,
    "pandas+openpyxl": measure_pandas_openpyxl,
    "xlsxwriter": measure_xlsxwriter,
    "rustpy-xlsxwriter": measure_rustpy,
}


def _child(which: str, rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "customers.xlsx"
        wall, cpu = MEASUREMENTS[which](rows, out)
        size = out.stat().st_size
    result = {"wall_s": wall, "cpu_s": cpu, "bytes": size, "peak_rss": _peak_rss_bytes()}
    print("RESULT " + json.dumps(result))


def run_measurement(which: str, rows: int, code: Path, extra: str = "") -> dict[str, Any]:
    """One measurement in a fresh interpreter importing ``kk_helpers`` from ``code``
    (``extra``: further folders for ``PYTHONPATH``, after it)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", which, "--rows", str(rows)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(code), extra) if p)}
    return run_child(cmd, env=env, cwd=ROOT, which=which)


def _styles(z: Any) -> list[str]:
    """Every cell style (``s`` number) of an xlsx (a ``ZipFile``) as the text of what it
    applies: number format, font, fill, border, quote prefix, alignment."""
    import re

    x = z.read("xl/styles.xml").decode()
    numfmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>', x))

    def part(tag: str) -> str:
        return re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", x, re.S).group(1)

    fonts = re.findall(r"<font>.*?</font>|<font/>", part("fonts"), re.S)
    fills = re.findall(r"<fill>.*?</fill>|<fill/>", part("fills"), re.S)
    borders = re.findall(r"<border>.*?</border>|<border/>", part("borders"), re.S)
    out = []
    for xf in re.findall(r"<xf [^>]*/>|<xf [^>]*>.*?</xf>", part("cellXfs"), re.S):
        a = dict(re.findall(r'(\w+)="([^"]*)"', xf.split(">")[0]))
        num = a.get("numFmtId", "0")
        out.append("|".join([numfmts.get(num, num), fonts[int(a.get("fontId", 0))],
                             fills[int(a.get("fillId", 0))], borders[int(a.get("borderId", 0))],
                             a.get("quotePrefix", ""), re.sub(r"<xf [^>]*>", "", xf)]))  # fmt: skip
    return out


def xlsx_parts(path: Path) -> dict[str, bytes]:
    """Every part of an xlsx file by name, the sheets' style numbers (which xlsxwriter
    assigns in order of first use) replaced by the styles they name, the styles as one
    sorted part ``"styles"``, without the creation time (``docProps/core.xml``)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        styles = _styles(z)
        out = {}
        for name in z.namelist():
            data = z.read(name)
            if name.startswith("xl/worksheets/"):
                data = re.sub(
                    rb' s="(\d+)"', lambda m: b' s="%s"' % styles[int(m[1])].encode(), data
                )
            if name not in ("docProps/core.xml", "xl/styles.xml"):
                out[name] = data
        return out | {"styles": "\n".join(sorted(styles)).encode()}


def compare_files(a: Path, b: Path, *, cells: bool = False) -> list[str]:
    """The parts in which two xlsx files differ (``[]``: none), compared by
    :func:`xlsx_parts`; with ``cells`` also every cell read with openpyxl (value, type,
    number format, fill, quote prefix, bold, wrap; slow: about a minute for 20,000 x 43
    cells)."""
    pa, pb = xlsx_parts(a), xlsx_parts(b)
    if sorted(pa) != sorted(pb):
        return ["(list of parts)"]
    diff = [name for name in pa if pa[name] != pb[name]]
    if cells and not diff:
        import openpyxl

        def key(c: Any) -> tuple:
            return (c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.quotePrefix,
                    c.font.b, c.alignment.wrap_text)  # fmt: skip

        books = [openpyxl.load_workbook(p) for p in (a, b)]
        for wa, wb in zip(*(book.worksheets for book in books), strict=True):
            for ra, rb in zip(wa.iter_rows(), wb.iter_rows(), strict=True):
                if [key(c) for c in ra] != [key(c) for c in rb]:
                    diff.append(f"{wa.title}!{ra[0].row}")
                    break
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds (median)")
    parser.add_argument("--before", type=Path, help="an older code tree to compare with")
    parser.add_argument("--json", type=Path, help="save the results")
    parser.add_argument("--rustpy", action="store_true", help="also rustpy-xlsxwriter")
    parser.add_argument("--extra-path", default="", help="more PYTHONPATH (e.g. a scratch venv)")
    parser.add_argument("--measure", choices=list(MEASUREMENTS), help=argparse.SUPPRESS)
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("A", "B"),
        help="only compare two xlsx files (e.g. before / after a change)",
    )
    parser.add_argument("--cells", action="store_true", help="with --compare: also cell by cell")
    args = parser.parse_args(argv)
    if args.compare:
        diff = compare_files(*args.compare, cells=args.cells)
        print("same cells and parts" if not diff else f"differ: {', '.join(diff)}")
        return 1 if diff else 0
    if args.measure:
        _child(args.measure, args.rows)
        return 0
    names = [m for m in MEASUREMENTS if args.rustpy or m != "rustpy-xlsxwriter"]
    runs: list[tuple[str, str, Path]] = [(name, name, ROOT) for name in names]
    if args.before:
        runs.append(("product (before)", "product", args.before.resolve()))
    results: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in runs}
    for _ in range(args.repeat):
        for label, which, code in runs:
            results[label].append(run_measurement(which, args.rows, code, args.extra_path))
    print(f"Excel customer list: {args.rows:,} rows x {COLUMNS} columns, {platform.node()}, "
          f"{os.cpu_count()} cores, {dt.date.today()}, median of {args.repeat}, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    bare = statistics.median(r["cpu_s"] for r in results["xlsxwriter"])
    summary = {}
    print(f"{'writer':<18} {'CPU s':>7} {'wall s':>7} {'x bare xlsxwriter (CPU)':>24} "
          f"{'peak GiB':>9} {'MB':>6}")  # fmt: skip
    for label, rs in results.items():
        cpu = statistics.median(r["cpu_s"] for r in rs)
        wall = statistics.median(r["wall_s"] for r in rs)
        peak = max(r["peak_rss"] for r in rs) / GIB
        size = rs[-1]["bytes"] / 1e6
        summary[label] = {"cpu_s": cpu, "wall_s": wall, "peak_gib": peak, "mb": size}
        print(f"{label:<18} {cpu:7.1f} {wall:7.1f} {cpu / bare:24.2f} {peak:9.2f} {size:6.1f}")
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "results": summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
