"""The validation rules per table (customers, transactions, activities) that turn a raw
file into a canonical frame; the rules and their severities are listed in
:mod:`kk_helpers.input.loading`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.loading_file import (
    SOURCE_ROW,
    _duplicate_lines,
    _examples_text,
    _insert_year,
    _order_ids,
    _Work,
)
from kk_helpers.input.readers import read_raw
from kk_helpers.input.validation import ValidationReport

SOFT_MIN = 1.0
SOFT_MAX = 5.0

# --- per table ----------------------------------------------------------------------------


def _open(table: str, cfg: ClientConfig, report: ValidationReport) -> _Work:
    spec: FileSpec = getattr(cfg.files, table)
    expected = [spec.columns.get(c, c) for c in C.REQUIRED[table]] + [
        v for k, v in spec.columns.items() if k not in C.REQUIRED[table]
    ]
    report.reading = spec.path
    kinds = C.COLUMN_KINDS[table]
    names = {c: spec.columns.get(c, c) for c in kinds if spec.columns.get(c, c)}
    raw = read_raw(
        cfg.file_path(table),
        spec,
        expected,
        # few distinct values per column: read as categories (order ids: millions, no)
        dictionary=[
            n for c, n in names.items() if kinds[c] == C.KIND_CATEGORY or c == C.CUSTOMER_ID
        ],
        dates=[n for c, n in names.items() if kinds[c] == C.KIND_DATE],
    )
    return _Work(table, cfg, report, raw)


def _date_rules(
    w: _Work, dates: np.ndarray, empty: np.ndarray, bad: np.ndarray, ref: dt.date
) -> None:
    """Empty / unreadable / future / outside-years dates -> rejected."""
    fmt = w.spec.date_format
    key = f"files.{w.table}.date_format"
    w.reject(
        empty,
        "missing_value",
        C.DATE,
        expected="a date (required column)",
        hint=f"Check files.{w.table}.columns.date in client.yml",
    )
    w.reject(
        bad,
        "unparseable_date",
        C.DATE,
        detail=w.found_detail(C.DATE, bad),
        expected=f"a date in the format {fmt!r}" if fmt else "a date like 2024-03-31 or 31.03.2024",
        hint=f"Set {key} in client.yml to the format of the dates (e.g. '%d/%m/%Y' or '%Y%m%d')",
    )
    future = dates > np.datetime64(ref, "ns")
    w.reject(
        future,
        "future_date",
        C.DATE,
        detail=f"reference date {ref.isoformat()}",
        expected=f"dates up to the reference date {ref.isoformat()}",
        hint=f"Check analysis.reference_date and {key} in client.yml",
    )
    years = w.cfg.analysis.years
    start = np.datetime64(f"{years[0]}-01-01", "ns")
    end = np.datetime64(f"{years[-1] + 1}-01-01", "ns")
    outside = (dates < start) | (dates >= end)  # NaT compares False: rejected before
    w.reject(
        outside,
        "outside_analysis_years",
        C.DATE,
        detail=f"analysis years {years[0]}–{years[-1]}",
        expected=f"dates in the analysis years {years[0]}–{years[-1]}",
        hint=f"Check analysis.years and {key} in client.yml",
    )


def _master_codes(
    w: _Work, master: pd.CategoricalDtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(codes into master, missing-id mask, unknown-customer mask)."""
    codes, cats = w.codes(C.CUSTOMER_ID)
    w.check_ids(C.CUSTOMER_ID, codes, cats)
    pos = np.append(master.categories.get_indexer(cats).astype(np.int32), np.int32(-1))
    mcodes = pos[codes]
    missing = codes < 0
    unknown = (codes >= 0) & (mcodes < 0)
    return mcodes, missing, unknown


def _unknown_detail(w: _Work, unknown: np.ndarray, master: pd.CategoricalDtype) -> str:
    """``customer IDs '7', ...``; says so when they differ from the master only by
    leading zeros (Excel dropped them, or a number format only shows them)."""
    idx = np.flatnonzero(unknown & w.alive)
    ids = w.found_values(w.colmap[C.CUSTOMER_ID], idx[: w.max_examples * 20])
    text = "customer IDs " + _examples_text(ids, w.max_examples)
    shown = pd.Series(pd.unique(ids.dropna().astype("str").str.strip().to_numpy()), dtype="str")
    if not len(shown):
        return text
    cats = pd.Series(master.categories, dtype="str")
    stripped = dict(zip(cats.str.lstrip("0"), cats, strict=False))
    pairs = [(x, stripped[x.lstrip("0")]) for x in shown if x.lstrip("0") in stripped]
    if pairs:
        a, b = pairs[0]
        text += (
            f"; the IDs differ from the customer master only by leading zeros "
            f"(e.g. {a!r} here, {b!r} in the master): format the ID column as text "
            "in both files (in Excel a number format may only show the zeros) and "
            "export them again"
        )
    return text


def _unknown_hint(detail: str) -> str:
    default = "Check files.transactions.columns.customer_id and files.customers.columns.customer_id"
    note = detail.partition("; ")[2]
    return note[0].upper() + note[1:] if note else default


def _load_customers(
    cfg: ClientConfig, report: ValidationReport, w: _Work | None = None
) -> tuple[pd.DataFrame, _Work]:
    """The customer master; ``w``: a prepared one (customers taken from the transactions)."""
    soft = list(cfg.soft_criteria)
    canonical = list(C.COLUMN_KINDS["customers"]) + soft
    w = w or _open("customers", cfg, report)
    absent = w.resolve(canonical, C.CUSTOMER_REQUIRED)
    w.reject_short_lines()
    for crit in soft:
        if crit in absent:
            report.add_issue(
                "customers",
                w.file,
                "soft_criterion_missing",
                severity="warning",
                column=crit,
                detail=f"no column {crit!r}; set files.customers.columns.{crit}",
            )

    codes, cats = w.codes(C.CUSTOMER_ID)
    w.check_ids(C.CUSTOMER_ID, codes, cats)
    w.reject(
        codes < 0,
        "missing_customer_id",
        C.CUSTOMER_ID,
        expected="a customer ID",
        hint="Check files.customers.columns.customer_id in client.yml",
    )
    alive_codes = np.where(w.alive, codes, -1)
    dup = pd.Series(alive_codes).duplicated().to_numpy() & (alive_codes >= 0)
    if dup.any():
        ex = pd.Series(cats.take(codes[np.flatnonzero(dup)[: w.max_examples * 4]]))
        detail = "customer IDs " + _examples_text(ex, w.max_examples)
        _duplicate_conflicts(w, codes, cats, dup)
        w.reject(dup, "duplicate_customer_id", C.CUSTOMER_ID, detail=detail)

    cols: dict[str, Any] = {C.CUSTOMER_ID: np.append(cats.to_numpy(dtype=object), None)[codes]}
    kinds = C.COLUMN_KINDS["customers"]
    decimal = w.decimal([c for c in canonical if kinds.get(c, C.KIND_NUMBER) == C.KIND_NUMBER])
    for canon in canonical[1:]:
        if canon not in w.colmap:
            if canon in soft:
                cols[canon] = np.full(w.n, np.nan)
            continue
        kind = kinds.get(canon, C.SOFT_CRITERION_KIND)
        if kind == C.KIND_NUMBER:
            vals, _, bad = w.number(canon, decimal)
            w.set_missing(canon, bad)
            vals = w.within(canon, vals)
            if canon in soft:
                out = (vals < SOFT_MIN) | (vals > SOFT_MAX)
                w.issue(
                    out & w.alive,
                    "soft_criterion_out_of_range",
                    "corrected",
                    canon,
                    w.found_detail(canon, out),
                )
                vals = np.where(out, np.nan, vals)
            cols[canon] = vals
        elif kind == C.KIND_DATE:
            vals, _, bad = w.date(canon)
            w.set_missing(canon, bad)
            cols[canon] = vals
        elif kind == C.KIND_CATEGORY:
            cols[canon] = w.category(canon)
        else:
            cols[canon] = w.text(canon)
    frame = w.finish(cols)
    frame[C.CUSTOMER_ID] = frame[C.CUSTOMER_ID].astype("str")
    report.set_accepted("customers", w.file, rows=len(frame))
    return frame, w


def _duplicate_conflicts(w: _Work, codes: np.ndarray, cats: pd.Index, dup: np.ndarray) -> None:
    """Warn about duplicate master rows whose other mapped values differ from the kept row.

    Transactions of such a customer are attributed to the first row; the user must know
    that the rows disagree (e.g. two customers that lost their distinct ids).
    """
    dup_codes = np.unique(codes[dup])
    rows = np.flatnonzero(np.isin(codes, dup_codes) & (w.alive | dup))
    mapped = [w.colmap[c] for c in w.colmap if c != C.CUSTOMER_ID]
    if not mapped:
        return
    sub = w.as_found(w.raw.iloc[rows][mapped]).astype(object).where(lambda f: f.notna(), None)
    differs = sub.groupby(codes[rows], sort=False).nunique(dropna=False) > 1
    bad = differs.any(axis=1)
    if not bad.any():
        return
    bad_codes = bad.index[bad.to_numpy()].to_numpy()
    cols = [c for c in mapped if differs.loc[bad.to_numpy(), c].any()]
    mask = dup & np.isin(codes, bad_codes)
    ids = ", ".join(repr(x) for x in cats.take(bad_codes[: w.max_examples]))
    w.issue(
        mask,
        "duplicate_customer_conflict",
        "warning",
        C.CUSTOMER_ID,
        detail=f"customer IDs {ids}: rows differ in "
        + ", ".join(repr(c) for c in cols)
        + "; all their transactions are attributed to the first row",
    )


def _optional_numbers(
    w: _Work, cols: dict[str, Any], names: tuple[str, ...], decimal: str | None
) -> None:
    for canon in names:
        if canon in w.colmap:
            vals, _, bad = w.number(canon, decimal)
            w.set_missing(canon, bad)
            cols[canon] = w.within(canon, vals)


def _vocabulary_info(w: _Work, cat: pd.Categorical, canon: str, vocab: tuple[str, ...]) -> None:
    """Info issue for values outside the canonical vocabulary (after the value mapping)."""
    outside = [c for c in cat.categories if c not in vocab]
    if outside:
        codes = np.asarray(cat.codes)
        bad_codes = cat.categories.get_indexer(outside)
        mask = np.isin(codes, bad_codes) & w.alive
        w.issue(
            mask,
            "unmapped_value",
            "info",
            canon,
            detail=", ".join(repr(x) for x in outside[:10])
            + f"; map them in files.{w.table}.values.{canon}",
        )


def _load_transactions(
    cfg: ClientConfig,
    report: ValidationReport,
    master: pd.CategoricalDtype,
    ref: dt.date,
    w: _Work | None = None,
) -> tuple[pd.DataFrame, _Work]:
    """The transactions; ``w``: the file already opened (no customer master configured)."""
    canonical = list(C.COLUMN_KINDS["transactions"])
    w = w or _open("transactions", cfg, report)
    w.resolve(canonical, C.TRANSACTION_REQUIRED)
    decimal = w.decimal([C.REVENUE, C.MARGIN, C.COST, C.QUANTITY])

    revenue, rev_empty, rev_bad = w.number(C.REVENUE, decimal)
    w.revenue = revenue
    report.register_file(
        "transactions",
        w.file,
        rows_in=w.n,
        revenue_in=float(np.nansum(revenue)),
        rows_unreadable=int(rev_bad.sum()),
    )
    w.reject_short_lines()
    mcodes, missing_id, unknown = _master_codes(w, master)
    dates, d_empty, d_bad = w.date(C.DATE)

    w.reject(
        missing_id,
        "missing_customer_id",
        C.CUSTOMER_ID,
        expected="a customer ID",
        hint="Check files.transactions.columns.customer_id in client.yml",
    )
    w.reject(
        rev_empty,
        "missing_value",
        C.REVENUE,
        expected="a revenue amount (required column)",
        hint="Check files.transactions.columns.revenue in client.yml",
    )
    huge = w.implausible.get(C.REVENUE)
    if huge is not None:
        w.reject(
            huge,
            "implausible_number",
            C.REVENUE,
            detail=w.found_detail(C.REVENUE, huge) + f" (limit ±{cfg.validation.max_amount:g})",
            expected=f"revenue amounts within ±{cfg.validation.max_amount:g}",
            hint="Check the revenue column and validation.max_amount in client.yml",
        )
    w.reject(
        rev_bad,
        "unparseable_number",
        C.REVENUE,
        detail=w.found_detail(C.REVENUE, rev_bad),
        expected=f"a number with decimal mark {decimal!r}",
        hint="Set files.transactions.decimal (and thousands) in client.yml",
    )
    _date_rules(w, dates, d_empty, d_bad, ref)
    w.reject(
        unknown,
        "unknown_customer",
        C.CUSTOMER_ID,
        detail=(detail := _unknown_detail(w, unknown, master)),
        expected="customer IDs that are in the customer master"
        + (f" ({cfg.files.customers.path})" if cfg.files.customers else ""),
        hint=_unknown_hint(detail),
    )
    if not w.alive.any():
        raise DataError(
            w.file,
            None,
            "at least one valid transaction line",
            found=f"all {w.n} lines rejected ({report.count('rejected')} rows in total)",
            hint="See the reasons with 'kk validate' and check the config",
        )

    cols: dict[str, Any] = {
        C.CUSTOMER_ID: pd.Categorical.from_codes(mcodes, dtype=master),
        C.DATE: dates,
        C.REVENUE: revenue,
    }
    if C.ORDER_ID in w.colmap:
        cols[C.ORDER_ID] = _order_ids(w.values(C.ORDER_ID))
    _optional_numbers(w, cols, (C.MARGIN, C.COST, C.QUANTITY), decimal)
    for canon in (C.PRODUCT_GROUP, C.CHANNEL):
        if canon in w.colmap:
            cols[canon] = w.category(canon)
    if C.CHANNEL in cols:
        _vocabulary_info(w, cols[C.CHANNEL], C.CHANNEL, C.CHANNELS)
    if C.MARGIN not in cols and C.COST in cols:
        cols[C.MARGIN] = revenue - cols[C.COST]
        w.issue(w.alive & ~np.isnan(cols[C.MARGIN]), "margin_from_cost", "info", C.COST)

    cols = {c: cols[c] for c in canonical if c in cols}  # canonical column order
    frame = w.finish(cols)
    _insert_year(w, frame)
    _transaction_flags(w, frame)
    report.set_accepted(
        "transactions", w.file, rows=len(frame), revenue=float(frame[C.REVENUE].sum())
    )
    return frame, w


def _transaction_flags(w: _Work, frame: pd.DataFrame) -> None:
    """Info/warning counts on accepted lines (nothing is dropped here)."""
    rev = frame[C.REVENUE].to_numpy()
    src = frame[SOURCE_ROW].to_numpy()

    def add(
        mask: np.ndarray, reason: str, severity: str, canon: str | None = None, detail: str = ""
    ) -> None:
        w.issue(mask, reason, severity, canon, detail, revenue=rev, source_rows=src)

    add(rev < 0, "credit_note", "info", C.REVENUE)
    add(rev == 0, "zero_revenue", "info", C.REVENUE)
    if C.MARGIN in frame:
        ratio = w.cfg.validation.max_margin_ratio
        margin = frame[C.MARGIN].to_numpy()
        add(
            (rev > 0) & (margin > rev * ratio),
            "margin_exceeds_revenue",
            "warning",
            C.MARGIN,
            detail=f"margin > revenue × {ratio:g}",
        )
    mapped = [c for c in frame.columns if c not in (SOURCE_ROW, C.YEAR)]
    add(_duplicate_lines(frame, mapped), "duplicate_line", "warning")


def _empty_activities(master: pd.CategoricalDtype) -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.CUSTOMER_ID: pd.Categorical.from_codes(np.array([], dtype=np.int64), dtype=master),
            C.DATE: np.array([], dtype="datetime64[ns]"),
            C.ACTIVITY_TYPE: pd.Categorical([], categories=pd.Index([], dtype="str")),
            C.DURATION_MIN: np.array([], dtype="float64"),
            C.ACTIVITY_COST: np.array([], dtype="float64"),
            C.YEAR: np.array([], dtype=np.int16),
            SOURCE_ROW: np.array([], dtype=np.int64),
        }
    )


def _load_activities(
    cfg: ClientConfig, report: ValidationReport, master: pd.CategoricalDtype, ref: dt.date
) -> pd.DataFrame:
    spec = cfg.files.activities
    if spec is None:
        return _empty_activities(master)
    canonical = list(C.COLUMN_KINDS["activities"])
    try:
        w = _open("activities", cfg, report)
    except DataError as e:
        if e.expected != "at least one data row":
            raise
        report.register_file("activities", spec.path, rows_in=0)
        report.add_issue("activities", spec.path, "empty_file", severity="warning", detail=e.found)
        report.set_accepted("activities", spec.path, rows=0)
        return _empty_activities(master)
    w.resolve(canonical, C.ACTIVITY_REQUIRED)
    w.reject_short_lines()
    mcodes, missing_id, unknown = _master_codes(w, master)
    dates, d_empty, d_bad = w.date(C.DATE)
    typ = w.category(C.ACTIVITY_TYPE)
    w.reject(missing_id, "missing_customer_id", C.CUSTOMER_ID)
    w.reject(np.asarray(typ.codes) < 0, "missing_value", C.ACTIVITY_TYPE)
    _date_rules(w, dates, d_empty, d_bad, ref)
    w.reject(unknown, "unknown_customer", C.CUSTOMER_ID, detail=_unknown_detail(w, unknown, master))
    _vocabulary_info(w, typ, C.ACTIVITY_TYPE, C.ACTIVITY_TYPES)
    cols: dict[str, Any] = {
        C.CUSTOMER_ID: pd.Categorical.from_codes(mcodes, dtype=master),
        C.DATE: dates,
        C.ACTIVITY_TYPE: typ,
    }
    decimal = w.decimal([C.DURATION_MIN, C.ACTIVITY_COST])
    _optional_numbers(w, cols, (C.DURATION_MIN, C.ACTIVITY_COST), decimal)
    for canon in (C.DURATION_MIN, C.ACTIVITY_COST):
        cols.setdefault(canon, np.full(w.n, np.nan))
    frame = w.finish(cols)
    _insert_year(w, frame)
    report.set_accepted("activities", w.file, rows=len(frame))
    return frame
