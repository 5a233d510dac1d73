"""``kk init``: turn the profiles of a folder's raw exports into a commented ``client.yml``.

:func:`propose` scans a client folder (:func:`kk_helpers.input.detect.scan_folder`),
picks one file per table (transactions, customers, activities), takes the analysis
years and the reference date from the data and writes the YAML text with every
detected setting commented (what was found, how sure, the alternatives) and
``TODO`` markers where it could not decide. Cost rates and class rules are the sample
client's defaults, marked as assumptions to confirm with the client.

The text is plain YAML built line by line (comments are the point); strings are
written as JSON strings, which YAML reads as double-quoted scalars.

>>> _q("Umsatz netto"), _q("%d.%m.%Y"), _q("\\t")
('"Umsatz netto"', '"%d.%m.%Y"', '"\\\\t"')
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.input.detect import FileProfile, scan_folder
from kk_helpers.input.parsing import parse_dates
from kk_helpers.input.readers_common import WHITESPACE

__all__ = ["Proposal", "propose", "MAX_YEARS"]

#: at most this many analysis years are proposed (the most recent ones)
MAX_YEARS = 5
_TODO = "TODO"


@dataclass
class Proposal:
    """The proposed configuration of a client folder.

    Attributes:
        text: the ``client.yml`` text (YAML with comments).
        files: table -> the chosen :class:`FileProfile`.
        unused: profiles of data files not used (with the table they looked like).
        failed: (path, reason) of files the readers could not read.
        todos: what the user must decide (also in ``text`` as ``TODO`` comments).
        years: proposed analysis years; reference_date: proposed "today".
    """

    text: str
    files: dict[str, FileProfile]
    unused: list[FileProfile] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    reference_date: dt.date | None = None


def _q(s: object) -> str:
    return json.dumps(str(s), ensure_ascii=False)


def _choose(profiles: list[FileProfile]) -> tuple[dict[str, FileProfile], list[FileProfile]]:
    """The best-scoring file per table; transactions fall back to the best candidate."""
    chosen: dict[str, FileProfile] = {}
    for table in C.TABLES:
        cands = [p for p in profiles if p.table == table and p not in chosen.values()]
        if cands:
            chosen[table] = max(cands, key=lambda p: (p.scores[table], p.rows))
    if "transactions" not in chosen:
        rest = [p for p in profiles if p not in chosen.values()]
        if rest:
            chosen["transactions"] = max(rest, key=lambda p: p.scores["transactions"])
    unused = [p for p in profiles if p not in chosen.values()]
    return chosen, unused


_DATE_COLUMN = {"transactions": C.DATE, "activities": C.DATE, "customers": C.CUSTOMER_SINCE}


def _dates(prof: FileProfile, canon: str) -> pd.Series:
    m = prof.columns.get(canon)
    if m is None:
        return pd.Series([], dtype="datetime64[ns]")
    g = prof.dates.get(m.header)
    return parse_dates(prof.raw.frame[m.header], g.fmt if g else None).dropna()


def _years(files: dict[str, FileProfile]) -> tuple[list[int], dt.date | None, list[str]]:
    """Analysis years (from the transactions) and the reference date (the end of the
    month of the last transaction or activity); comment lines on what was seen."""
    tx = files.get("transactions")
    if tx is None:
        return [], None, []
    d = _dates(tx, C.DATE)
    if not len(d):
        return [], None, []
    last = d.max()
    if "activities" in files:
        a = _dates(files["activities"], C.DATE)
        if len(a):
            last = max(last, a.max())
    first_y, last_y = int(d.min().year), int(last.year)
    years = list(range(max(first_y, last_y - MAX_YEARS + 1), last_y + 1))
    ref = dt.date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
    notes = [
        f"transactions from {d.min():%Y-%m-%d} to {d.max():%Y-%m-%d}"
        + (f" (years before {years[0]} left out)" if first_y < years[0] else ""),
        "reference_date: end of the month of the last date in the data",
    ]
    return years, ref, notes


def _file_block(table: str, prof: FileProfile, todos: list[str], *, master: bool) -> list[str]:
    raw = prof.raw
    out = [f"  {table}:"]
    out.append(f"    # {prof.path.name}: {prof.rows:,} data rows, header in row {raw.header_row}")
    out += [f"    # {n}" for n in prof.notes]
    out.append(f"    path: {_q(prof.path.name)}")
    if prof.format == "csv":
        out.append(f"    encoding: {raw.encoding}  # detected")
        delim = WHITESPACE if raw.delimiter == WHITESPACE else raw.delimiter
        out.append(f"    delimiter: {_q(delim)}  # detected")
    if prof.sheet is not None and len(prof.sheets) > 1:
        out.append(f"    sheet: {_q(prof.sheet)}")
    if raw.header_row > 1:
        out.append(f"    header_row: {raw.header_row}  # title rows above the header")
    if prof.decimal:
        out.append(f"    decimal: {_q(prof.decimal)}  # {prof.decimal_note}")
    if prof.thousands:
        out.append(f"    thousands: {_q(prof.thousands)}")
    fmt_line = _date_format(table, prof, todos)
    out += fmt_line
    out.append("    columns:")
    kinds = dict(C.COLUMN_KINDS[table])
    if table == "transactions" and not master:
        kinds.update({k: v for k, v in C.COLUMN_KINDS["customers"].items() if k not in kinds})
    for canon in C.REQUIRED[table]:
        if canon not in prof.columns:
            out.append(f"      {canon}: {_q(_TODO)}  # TODO: no column found; name the column")
            todos.append(f"{prof.path.name}: no column found for {canon!r} (required)")
    for canon, m in prof.columns.items():
        if canon not in kinds:
            continue
        how = "" if m.exact else "  # similar name: check"
        if m.note:
            how = (how or "  #") + ("; " if how else " ") + m.note
        out.append(f"      {canon}: {_q(m.header)}{how}")
    soft = prof.soft if table == "customers" or (table == "transactions" and not master) else {}
    for canon, m in soft.items():
        out.append(f"      {canon}: {_q(m.header)}  # soft criterion (1-5)")
    mapped = {m.header for c, m in prof.columns.items() if c in kinds} | {
        m.header for m in soft.values()
    }
    rest = [c for c in raw.frame.columns if c not in mapped]
    if rest:
        out.append("      # not mapped (ignored): " + ", ".join(rest))
    out += _values_block(table, prof, todos)
    return out


def _date_format(table: str, prof: FileProfile, todos: list[str]) -> list[str]:
    m = prof.columns.get(_DATE_COLUMN[table])
    if m is None or m.header not in prof.dates:
        return []
    g = prof.dates[m.header]
    if g.fmt is None:
        return [f"    # dates in {m.header!r}: read without a format ({g.parsed:,} of {g.total:,})"]
    line = f"    date_format: {_q(g.fmt)}  # {g.parsed:,} of {g.total:,} values in {m.header!r}"
    if g.alternatives:
        alt = ", ".join(_q(a) for a in g.alternatives)
        ex = prof.raw.frame[m.header].dropna().iloc[0]
        line += f"; TODO: ambiguous, every value also reads as {alt} (e.g. {ex!r})"
        todos.append(
            f"{prof.path.name}: dates in {m.header!r} read as {g.fmt} or as "
            f"{', '.join(g.alternatives)} (all days <= 12); confirm date_format"
        )
    others = {
        h: d.fmt for h, d in prof.dates.items() if h != m.header and d.fmt not in (g.fmt, None)
    }
    out = [line]
    if others:
        out.append(f"    # other date columns use other formats: {others}")
    return out


def _values_block(table: str, prof: FileProfile, todos: list[str]) -> list[str]:
    canon = {"transactions": C.CHANNEL, "activities": C.ACTIVITY_TYPE}.get(table)
    if canon is None or canon not in prof.values:
        return []
    vocab = C.CHANNELS if canon == C.CHANNEL else C.ACTIVITY_TYPES
    out = [
        "    values:",
        f"      {canon}:  # {prof.columns[canon].header!r} -> one of {', '.join(vocab)}",
    ]
    for v, c in prof.values[canon].items():
        if c is None:
            out.append(f"        # {_q(v)}: TODO  (not recognised: kept as it is)")
            todos.append(f"{prof.path.name}: {canon} value {v!r} not mapped to {', '.join(vocab)}")
        else:
            out.append(f"        {_q(v)}: {_q(c)}")
    return out


_DEFAULTS = """\
# ASSUMPTIONS to confirm with the client: the sample client's cost rates and class
# rules (see docs/config.md). Cost-to-serve = minutes x hourly rate per activity, plus
# order processing cost per order by channel.
cost_rates:
  activities:
    visit: {minutes: 150, hourly_rate: 95.0}      # field sales incl. travel
    call: {minutes: 8, hourly_rate: 55.0}         # inside sales
    email: {cost: 6.0}                            # flat cost per e-mail
    quote: {minutes: 45, hourly_rate: 60.0}       # inside sales / technical support
    complaint: {minutes: 90, hourly_rate: 65.0}   # quality management + logistics
  order_processing:                     # cost per order by canonical channel
    field_sales: 48.0
    inside_sales: 28.0
    dealer: 12.0
    webshop: 6.5
    edi: 3.5
    default: 25.0                       # any other channel

classes:                                # assumption: the usual Pareto/ABC rules
  basis: revenue                        # revenue | margin
  abc_thresholds: [0.80, 0.95]
  d_min_revenue: 0.0
  d_inactive_last_year: true
  xyz_thresholds: [0.5, 1.0]

orders:
  value_thresholds: [100, 250, 500]     # assumption: order-value bands
"""


def _header(
    folder: Path, lang: str, years: list[int], ref: dt.date | None, notes: list[str]
) -> list[str]:
    name = folder.resolve().name
    out = [
        "# client.yml proposed by `kk init` from the files in this folder.",
        "# Check every line marked TODO, then run `kk validate` and `kk run`.",
        "# Comments say what was detected and how sure; see docs/config.md for every key.",
        "",
        "client:",
        f"  name: {_q(name)}  # the folder's name: put the client's name for report titles",
        "  currency: EUR  # assumption: confirm",
        f"  language: {lang}",
        "",
        "analysis:",
    ]
    out += [f"  # {n}" for n in notes]
    if years:
        out.append(f"  years: [{', '.join(map(str, years))}]")
        out.append(f"  reference_date: {ref:%Y-%m-%d}")
    else:
        out.append(f"  years: [{dt.date.today().year}]  # TODO: no dates found in the transactions")
    return out


def propose(folder: Path, *, lang: str = "de") -> Proposal:
    """Scan ``folder`` and build the proposed ``client.yml``.

    Input: the client folder with raw exports; ``lang``: report language written to
    ``client.language``. Output: a :class:`Proposal`. Raises ValueError when no data
    file could be read.
    """
    folder = Path(folder)
    profiles, failed = scan_folder(folder)
    if not profiles:
        raise ValueError(f"{folder}: no readable data file (CSV, TXT, XLSX, Parquet) found")
    files, unused = _choose(profiles)
    todos: list[str] = []
    years, ref, notes = _years(files)
    if not years:
        todos.append("analysis.years: no transaction dates found")
    lines = _header(folder, lang, years, ref, notes)
    lines += ["", "files:"]
    for table in ("customers", "transactions", "activities"):
        if table in files:
            lines += _file_block(table, files[table], todos, master="customers" in files)
            lines.append("")
        elif table == "customers":
            lines.append("  # no customer master found: customers come from the transactions")
    for p in unused:
        lines.append(f"  # not used: {p.path.name} (looks like: {p.table or 'unknown'})")
    for p, why in failed:
        lines.append(f"  # not readable: {p.name}: {why.splitlines()[0]}")
    soft = [c for c in files.get("customers", files["transactions"]).soft]
    if soft:
        lines += ["", f"soft_criteria: [{', '.join(soft)}]  # 1-5 ratings found in the data"]
    lines += ["", _DEFAULTS]
    if todos:
        lines.append("# TODO list:")
        lines += [f"#  - {t}" for t in todos]
    return Proposal(
        text="\n".join(lines).rstrip() + "\n",
        files=files,
        unused=unused,
        failed=failed,
        todos=todos,
        years=years,
        reference_date=ref,
    )
