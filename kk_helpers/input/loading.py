"""Raw client files -> canonical, validated frames (:func:`load_client`).

For each configured file (customers, transactions, optional activities) the loader

1. reads it as found (:func:`kk_helpers.input.readers.read_raw`),
2. finds the columns: ``files.<table>.columns`` maps canonical -> client name,
   unmapped canonical names are looked up as is (case/whitespace-insensitive),
3. parses each column by its kind (:data:`kk_helpers.core.columns.COLUMN_KINDS`): ids stay
   strings (``"00123"``), numbers and dates are parsed once per distinct value,
   typed Parquet columns are taken as they are,
4. applies the validation rules and records every rejected / corrected / flagged row
   in a :class:`~kk_helpers.input.validation.ValidationReport` (original values kept),
5. returns :class:`ClientData` whose report reconciles rows and revenue per file.

Rules (severity in brackets)
----------------------------
customers: empty customer id [rejected]; duplicate id, first row kept [rejected];
unreadable optional number/date [corrected: set missing]; soft criterion outside
1..5 [corrected: set missing]; soft criterion column absent [warning]; customer
without transactions [info].

transactions: empty customer id [rejected]; empty or unreadable date or revenue
[rejected]; date after the reference date [rejected]; date outside the analysis years
[rejected]; customer not in the master [rejected]; unreadable optional number
[corrected]; credit note / negative revenue [info]; zero revenue [info]; margin
computed from cost [info]; margin > revenue * ``validation.max_margin_ratio`` for
revenue > 0 [warning]; duplicate line, all mapped fields identical [warning, kept];
channel not in :data:`~kk_helpers.core.columns.CHANNELS` after the value mapping [info].

activities: as transactions for id and date; empty type [rejected]; empty file
[warning]; type not in :data:`~kk_helpers.core.columns.ACTIVITY_TYPES` [info].

Reader notes (e.g. ``mixed_encoding``) become warnings.

Fatal (:class:`~kk_helpers.core.errors.DataError`): an empty customers/transactions file,
a missing required or explicitly mapped column (the message lists the columns found
and the config key, e.g. ``files.transactions.columns.revenue``), errors from the
reader (e.g. a wrong delimiter), every row of the customers or transactions file
rejected for one reason (the message suggests the config key, e.g.
``files.transactions.date_format``), and no accepted transaction line at all.

Orders: when ``order_id`` is not mapped the column is absent; downstream an order is
one (customer, date, channel) — see :mod:`kk_helpers.metrics.customer_table`.

``transactions.customer_id`` and ``activities.customer_id`` are Categoricals whose
categories are exactly ``customers.customer_id`` (in master order), so grouping with
``observed=False`` yields every customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as pdt

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, FileSpec, load_config
from kk_helpers.core.errors import DataError
from kk_helpers.input.parsing import detect_decimal, parse_dates, parse_ids, parse_numbers
from kk_helpers.input.readers import read_raw
from kk_helpers.input.readers_common import RawTable, _sorted_unique, norm_name
from kk_helpers.input.validation import ValidationReport

__all__ = ["ClientData", "load_client", "SOFT_MIN", "SOFT_MAX"]

SOFT_MIN = 1.0
SOFT_MAX = 5.0
SOURCE_ROW = "source_row"

_NAT = np.datetime64("NaT", "ns")


@dataclass
class ClientData:
    """A client's validated data.

    Attributes:
        config: the client config.
        customers: one row per customer: ``customer_id`` (str), mapped optional columns,
            soft criteria (float 1-5, NaN when missing), ``source_row``.
        transactions: ``customer_id`` (Categorical, categories = customers' ids),
            ``date`` (datetime64[ns], day), ``revenue`` (float64), mapped optional
            columns (``order_id`` str, ``margin``/``cost``/``quantity`` float64,
            ``product_group``/``channel`` Categorical), ``year`` (int16), ``source_row``.
        activities: ``customer_id`` (Categorical), ``date``, ``type`` (Categorical),
            ``duration_min``, ``cost`` (float64, NaN when not given), ``year``,
            ``source_row``; empty with these columns when not configured.
        report: the :class:`ValidationReport` (issues, rejected rows, reconciliation).
        reference_date: the "today" used for the future-date rule.
    """

    config: ClientConfig
    customers: pd.DataFrame
    transactions: pd.DataFrame
    activities: pd.DataFrame
    report: ValidationReport
    reference_date: dt.date | None = None


# --- small vectorised helpers -----------------------------------------------------------


def _is_text_like(values: pd.Series) -> bool:
    """True for str / object columns (parsed via their distinct values)."""
    return values.dtype == object or isinstance(values.dtype, pd.StringDtype)


def _by_uniques(values: pd.Series, func: Callable[[pd.Series], pd.Series], fill: Any) -> np.ndarray:
    """``func`` applied to the distinct values only, expanded back to every row.

    Factorising 10 million strings costs a fraction of parsing them; customer ids,
    dates and many amounts repeat. Missing values map to ``fill``.
    """
    if not _is_text_like(values):
        return np.asarray(func(values))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.asarray(
        func(pd.Series(uniques, dtype=values.dtype if values.dtype != object else object))
    )
    ext = np.empty(len(parsed) + 1, dtype=parsed.dtype if len(parsed) else np.asarray([fill]).dtype)
    if len(parsed):
        ext[:-1] = parsed
    ext[-1] = fill
    return ext[codes]  # code -1 -> last element = fill


def _id_codes(values: pd.Series, vmap: dict[str, str] | None = None) -> tuple[np.ndarray, pd.Index]:
    """Ids/labels as (codes, categories of str); code -1 = missing.

    Each distinct value is parsed once (:func:`parse_ids`) and, with ``vmap``, mapped
    (``files.<table>.values.<column>``).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        raw_codes = values.cat.codes.to_numpy()
        uniques = pd.Series(values.cat.categories)
    else:
        raw_codes, uniq = pd.factorize(values, use_na_sentinel=True)
        uniques = pd.Series(uniq, dtype=values.dtype if values.dtype != object else object)
    ids = parse_ids(uniques)
    if vmap:
        ids = ids.map(lambda x: vmap.get(x, x) if isinstance(x, str) else x).astype("str")
    codes_u, cats = pd.factorize(ids, use_na_sentinel=True)
    ext = np.append(codes_u.astype(np.int64), -1)
    return ext[raw_codes], pd.Index(cats, dtype="str")


def _examples_text(values: pd.Series, limit: int) -> str:
    """``'abc', '12x'`` - a few distinct example values for messages."""
    shown = pd.unique(values.dropna().astype("str").to_numpy())[:limit]
    return ", ".join(repr(str(x)) for x in shown)


def _insert_year(w: _Work, frame: pd.DataFrame) -> None:
    """Insert the ``year`` column (int16) before ``source_row``."""
    frame.insert(
        len(frame.columns) - 1, C.YEAR, _years(frame[C.DATE].to_numpy(), *_year_range(w.cfg))
    )


def _years(dates: np.ndarray, first: int, last: int) -> np.ndarray:
    """Calendar year (int16) of datetime64[ns] values known to lie in ``first..last``.

    A ``searchsorted`` over the year boundaries: much cheaper than calendar arithmetic.
    """
    bounds = np.array([f"{y}-01-01" for y in range(first + 1, last + 1)], dtype="datetime64[ns]")
    return (np.searchsorted(bounds, dates, side="right") + first).astype(np.int16)


def _year_range(cfg: ClientConfig) -> tuple[int, int]:
    return cfg.analysis.years[0], cfg.analysis.years[-1]


# odd 64-bit multipliers for the row hash of the duplicate-line check
_MULTIPLIERS = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xBF58476D1CE4E5B9),
    np.uint64(0x94D049BB133111EB),
    np.uint64(0xD6E8FEB86659FD93),
)


def _as_uint64(arr: Any) -> np.ndarray:
    """Bits of a column as uint64 for hashing (codes for categoricals, raw bits else)."""
    if isinstance(arr, pd.Categorical):
        return np.asarray(arr.codes).astype(np.int64).view(np.uint64)
    a = np.asarray(arr)
    if a.dtype.itemsize == 8 and a.dtype.kind in "fiMu":
        return a.view(np.uint64)  # raw bits (-0.0 and 0.0 differ: at worst a missed flag)
    return a.astype(np.int64).view(np.uint64)


def _row_hash(parts: list[np.ndarray]) -> np.ndarray:
    """Cheap 64-bit hash per row of up to four uint64 columns (xor of multiples).

    Collisions only add candidates to the exact comparison in :func:`_duplicate_lines`.
    """
    h = np.zeros(len(parts[0]) if parts else 0, dtype=np.uint64)
    for p, m in zip(parts, _MULTIPLIERS, strict=False):
        h ^= p * m
    h ^= h >> np.uint64(31)
    return h


def _duplicate_lines(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Rows equal in all ``columns`` to an earlier row (``keep="first"``), exactly.

    A 64-bit hash of customer, date and revenue, sorted, finds candidate rows cheaply
    (sorting 10 million integers beats a hash table); only the candidates are
    compared on every column.
    """
    key = [c for c in (C.CUSTOMER_ID, C.DATE, C.REVENUE) if c in columns]
    parts = [_as_uint64(frame[c].array if c == C.CUSTOMER_ID else frame[c].to_numpy()) for c in key]
    h = _row_hash(parts)
    out = np.zeros(len(frame), dtype=bool)
    if len(h) < 2:
        return out
    srt = np.sort(h)
    repeated = _sorted_unique(srt[1:][srt[1:] == srt[:-1]])
    if not len(repeated):
        return out
    pos = np.searchsorted(repeated, h)
    np.minimum(pos, len(repeated) - 1, out=pos)
    cand = np.flatnonzero(repeated[pos] == h)
    sub = frame.iloc[cand][columns]
    out[cand[sub.duplicated(keep="first").to_numpy()]] = True
    return out


def _order_ids(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    """Order ids as ``str`` values; text columns are taken as they are (no parsing)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        return values.array
    return parse_ids(values).array


# --- one file -------------------------------------------------------------------------------


class _Work:
    """State of one file while the rules run: raw frame, parsed columns, alive mask."""

    def __init__(
        self, table: str, cfg: ClientConfig, report: ValidationReport, raw: RawTable
    ) -> None:
        self.table = table
        self.cfg = cfg
        self.spec: FileSpec = getattr(cfg.files, table)
        self.file = self.spec.path
        self.report = report
        self.raw = raw.frame
        self.source_rows = np.asarray(raw.source_rows, dtype=np.int64)
        self.n = len(self.raw)
        self.alive = np.ones(self.n, dtype=bool)
        self.colmap: dict[str, str] = {}
        self.revenue: np.ndarray | None = None
        self.max_examples = cfg.validation.max_examples
        self._decimal: str | None = self.spec.decimal
        # id(read-only numpy view) -> (view, raw Series): lets finish() reuse typed
        # columns without copying them (copy-on-write protects the raw frame)
        self._backing: dict[int, tuple[np.ndarray, pd.Series]] = {}
        for key, count, detail in raw.notes:
            report.add_issue(table, self.file, key, "warning", rows=count, detail=detail)
        report.register_file(table, self.file, rows_in=self.n)

    # columns ---------------------------------------------------------------------
    def resolve(self, canonical: list[str], required: tuple[str, ...]) -> list[str]:
        """Find the client columns; raise DataError for missing required/mapped ones.

        Returns the canonical names that were neither found nor required (absent).
        """
        found = list(self.raw.columns)
        by_norm = {norm_name(c): c for c in found}
        missing: list[tuple[str, str]] = []
        absent: list[str] = []
        for canon in canonical:
            name = self.spec.columns.get(canon, canon)
            actual = name if name in self.raw.columns else by_norm.get(norm_name(name))
            if actual is not None:
                self.colmap[canon] = actual
            elif canon in required or canon in self.spec.columns:
                missing.append((canon, name))
            else:
                absent.append(canon)
        if missing:
            names = ", ".join(f"{name!r} ({canon})" for canon, name in missing)
            keys = ", ".join(f"files.{self.table}.columns.{canon}" for canon, _ in missing)
            kind = "required " if all(c in required for c, _ in missing) else ""
            raise DataError(
                self.file,
                missing[0][1] if len(missing) == 1 else None,
                f"the {kind}column(s) {names}",
                found="the columns " + ", ".join(repr(c) for c in found),
                hint=f"Set {keys} in client.yml to the client's column name",
            )
        return absent

    def values(self, canon: str) -> pd.Series:
        return self.raw[self.colmap[canon]]

    def client_col(self, canon: str | None) -> str | None:
        return None if canon is None else self.colmap.get(canon, canon)

    # rows ------------------------------------------------------------------------
    def reject(
        self,
        mask: np.ndarray,
        reason: str,
        canon: str | None = None,
        detail: str = "",
        expected: str = "",
        hint: str = "",
    ) -> int:
        """Reject the alive rows in ``mask``; fatal when it hits every row of the file."""
        m = mask & self.alive
        k = int(m.sum())
        if k == 0:
            return 0
        idx = np.flatnonzero(m)
        col = self.client_col(canon)
        if k == self.n and self.table in ("customers", "transactions"):
            found = ""
            if col is not None and col in self.raw.columns:
                ex = _examples_text(
                    self.raw[col].iloc[idx[: self.max_examples * 4]], self.max_examples
                )
                found = f"{ex}" if ex else "empty values"
            raise DataError(
                self.file,
                col,
                expected or reason,
                rows=self.source_rows[idx[: self.max_examples]].tolist(),
                found=(found + f" (all {k} rows rejected)").strip(),
                hint=hint,
            )
        rev = self.revenue[idx] if self.revenue is not None else None
        self.report.reject(
            self.table,
            self.file,
            reason,
            self.raw.iloc[idx],
            self.source_rows[idx],
            rev,
            column=col,
            detail=detail,
        )
        self.alive[idx] = False
        return k

    def issue(
        self,
        mask: np.ndarray,
        reason: str,
        severity: str,
        canon: str | None = None,
        detail: str = "",
        revenue: np.ndarray | None = None,
        source_rows: np.ndarray | None = None,
    ) -> int:
        """Count a non-rejecting issue on rows in ``mask``.

        ``mask`` (and ``revenue``) run over the file's rows, or over the rows of
        ``source_rows`` when given (e.g. the accepted frame's ``source_row``).
        """
        k = int(mask.sum())
        if k:
            idx = np.flatnonzero(mask)
            rows = self.source_rows if source_rows is None else source_rows
            self.report.add_issue(
                self.table,
                self.file,
                reason,
                severity,
                column=self.client_col(canon),
                rows=k,
                revenue=float(np.nansum(revenue[idx])) if revenue is not None else 0.0,
                examples=rows[idx[: self.max_examples]],
                detail=detail,
            )
        return k

    def set_missing(self, canon: str, bad: np.ndarray) -> None:
        """Count unreadable values of an optional column, which are set missing."""
        self.issue(
            bad & self.alive,
            "invalid_value_set_missing",
            "corrected",
            canon,
            self.found_detail(canon, bad),
        )

    def found_detail(self, canon: str, mask: np.ndarray) -> str:
        """``found '12x', 'abc'`` for the first rows in ``mask``."""
        idx = np.flatnonzero(mask & self.alive)[: self.max_examples * 4]
        ex = _examples_text(self.values(canon).iloc[idx], self.max_examples)
        return f"found {ex}" if ex else ""

    # parsing ---------------------------------------------------------------------
    def decimal(self, number_cols: list[str]) -> str | None:
        """The file's decimal mark: configured, else detected over its text number columns."""
        if self._decimal is None:
            texts = [
                self.values(c).head(20_000)
                for c in number_cols
                if c in self.colmap and _is_text_like(self.values(c))
            ]
            if texts:
                sample = pd.concat([s.astype(object) for s in texts], ignore_index=True)
                self._decimal = detect_decimal(sample)
        return self._decimal

    def number(self, canon: str, decimal: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(float64 values, empty mask, unreadable mask) of a number column."""
        s = self.values(canon)
        thousands = self.spec.thousands
        if s.dtype == np.float64:  # typed Parquet column: use it as is
            out = s.to_numpy()
            self._backing[id(out)] = (out, s)
        elif pdt.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            out = s.to_numpy(dtype="float64", na_value=np.nan)
        else:
            out = _by_uniques(
                s, lambda u: parse_numbers(u, decimal=decimal, thousands=thousands), np.nan
            ).astype("float64")
        empty = s.isna().to_numpy()
        bad = np.isnan(out) & ~empty
        return out, empty, bad

    def date(self, canon: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(datetime64[ns] values at midnight, empty mask, unreadable mask)."""
        s = self.values(canon)
        fmt = self.spec.date_format
        if pdt.is_datetime64_any_dtype(s.dtype):
            out = parse_dates(s).to_numpy(dtype="datetime64[ns]")
        else:
            out = _by_uniques(s, lambda u: parse_dates(u, fmt), _NAT).astype("datetime64[ns]")
        empty = s.isna().to_numpy()
        bad = np.isnat(out) & ~empty
        return out, empty, bad

    def category(self, canon: str) -> pd.Categorical:
        """Categorical of str, values mapped by ``files.<table>.values.<canon>``."""
        codes, cats = _id_codes(self.values(canon), self.spec.values.get(canon))
        return pd.Categorical.from_codes(codes, categories=cats)

    def text(self, canon: str) -> np.ndarray:
        s = self.values(canon)
        if s.dtype == object:
            return _by_uniques(s, parse_ids, np.nan)
        return s.astype("str").to_numpy()

    def finish(self, cols: dict[str, Any]) -> pd.DataFrame:
        """Frame of the alive rows from full-length column arrays (one take per column)."""
        idx = np.flatnonzero(self.alive)
        take_all = len(idx) == self.n
        data: dict[str, Any] = {}
        for name, arr in cols.items():
            back = self._backing.get(id(arr))
            if take_all and back is not None and back[0] is arr:
                data[name] = back[1].rename(name)
            elif isinstance(arr, pd.Categorical | pd.api.extensions.ExtensionArray):
                data[name] = arr if take_all else arr.take(idx)
            else:
                data[name] = arr if take_all else arr[idx]
        data[SOURCE_ROW] = self.source_rows if take_all else self.source_rows[idx]
        for name, arr in data.items():  # e.g. read-only views of Arrow memory
            if isinstance(arr, np.ndarray) and not arr.flags.writeable:
                data[name] = arr.copy()
        # the arrays are fresh or private to this load: no consolidating copy needed
        return pd.DataFrame(data, copy=False)


# --- per table ----------------------------------------------------------------------------


def _open(table: str, cfg: ClientConfig, report: ValidationReport) -> _Work:
    spec: FileSpec = getattr(cfg.files, table)
    expected = [spec.columns.get(c, c) for c in C.REQUIRED[table]] + [
        v for k, v in spec.columns.items() if k not in C.REQUIRED[table]
    ]
    raw = read_raw(cfg.file_path(table), spec, expected)
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
    codes, cats = _id_codes(w.values(C.CUSTOMER_ID))
    pos = np.append(master.categories.get_indexer(cats).astype(np.int64), -1)
    mcodes = pos[codes]
    missing = codes < 0
    unknown = (codes >= 0) & (mcodes < 0)
    return mcodes, missing, unknown


def _unknown_detail(w: _Work, unknown: np.ndarray) -> str:
    idx = np.flatnonzero(unknown & w.alive)
    ids = w.values(C.CUSTOMER_ID).iloc[idx[: w.max_examples * 20]]
    return "customer IDs " + _examples_text(ids, w.max_examples)


def _load_customers(cfg: ClientConfig, report: ValidationReport) -> tuple[pd.DataFrame, _Work]:
    soft = list(cfg.soft_criteria)
    canonical = list(C.COLUMN_KINDS["customers"]) + soft
    w = _open("customers", cfg, report)
    absent = w.resolve(canonical, C.CUSTOMER_REQUIRED)
    for crit in soft:
        if crit in absent:
            report.add_issue(
                "customers",
                w.file,
                "soft_criterion_missing",
                "warning",
                column=crit,
                detail=f"no column {crit!r}; set files.customers.columns.{crit}",
            )

    codes, cats = _id_codes(w.values(C.CUSTOMER_ID))
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


def _optional_numbers(
    w: _Work, cols: dict[str, Any], names: tuple[str, ...], decimal: str | None
) -> None:
    for canon in names:
        if canon in w.colmap:
            vals, _, bad = w.number(canon, decimal)
            w.set_missing(canon, bad)
            cols[canon] = vals


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
    cfg: ClientConfig, report: ValidationReport, master: pd.CategoricalDtype, ref: dt.date
) -> tuple[pd.DataFrame, _Work]:
    canonical = list(C.COLUMN_KINDS["transactions"])
    w = _open("transactions", cfg, report)
    w.resolve(canonical, C.TRANSACTION_REQUIRED)
    decimal = w.decimal([C.REVENUE, C.MARGIN, C.COST, C.QUANTITY])

    revenue, rev_empty, rev_bad = w.number(C.REVENUE, decimal)
    w.revenue = revenue
    report.register_file("transactions", w.file, rows_in=w.n, revenue_in=float(np.nansum(revenue)))
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
        detail=_unknown_detail(w, unknown),
        expected=f"customer IDs that are in the customer master ({cfg.files.customers.path})",
        hint="Check files.transactions.columns.customer_id and files.customers.columns.customer_id",
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
        report.add_issue("activities", spec.path, "empty_file", "warning", detail=e.found)
        report.set_accepted("activities", spec.path, rows=0)
        return _empty_activities(master)
    w.resolve(canonical, C.ACTIVITY_REQUIRED)
    mcodes, missing_id, unknown = _master_codes(w, master)
    dates, d_empty, d_bad = w.date(C.DATE)
    typ = w.category(C.ACTIVITY_TYPE)
    w.reject(missing_id, "missing_customer_id", C.CUSTOMER_ID)
    w.reject(np.asarray(typ.codes) < 0, "missing_value", C.ACTIVITY_TYPE)
    _date_rules(w, dates, d_empty, d_bad, ref)
    w.reject(unknown, "unknown_customer", C.CUSTOMER_ID, detail=_unknown_detail(w, unknown))
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


# --- public ---------------------------------------------------------------------------------


def load_client(
    path_or_config: str | Path | ClientConfig, reference_date: dt.date | None = None
) -> ClientData:
    """Load and validate a client's data files.

    Inputs:
        path_or_config: client folder, its ``client.yml``, or a loaded ClientConfig.
        reference_date: "today" of the analysis; dates after it are rejected.
            Default: ``analysis.reference_date`` from the config, else today.

    Output: :class:`ClientData` with canonical frames (see the module docstring and
    ``docs/architecture.md``) and a report whose reconciliation holds per file
    (rows and revenue in = accepted + rejected; revenue in the client's currency).

    Raises :class:`~kk_helpers.core.config.ConfigError` for config problems and
    :class:`~kk_helpers.core.errors.DataError` for fatal data problems.

    Example::

        data = load_client("data/sample")
        data.transactions.groupby("customer_id", observed=False)["revenue"].sum()
        data.report.reconciliation()
    """
    cfg = (
        path_or_config if isinstance(path_or_config, ClientConfig) else load_config(path_or_config)
    )
    ref = reference_date or cfg.analysis.reference_date or dt.date.today()
    report = ValidationReport(max_examples=cfg.validation.max_examples)

    customers, cw = _load_customers(cfg, report)
    master = pd.CategoricalDtype(pd.Index(customers[C.CUSTOMER_ID].to_numpy(), dtype="str"))
    transactions, _ = _load_transactions(cfg, report, master, ref)
    activities = _load_activities(cfg, report, master, ref)

    n_lines = np.bincount(
        transactions[C.CUSTOMER_ID].cat.codes.to_numpy(), minlength=len(master.categories)
    )
    without = n_lines == 0
    if without.any():
        idx = np.flatnonzero(without)
        report.add_issue(
            "customers",
            cw.file,
            "customer_without_transactions",
            "info",
            column=cw.client_col(C.CUSTOMER_ID),
            rows=int(without.sum()),
            examples=customers[SOURCE_ROW].to_numpy()[idx[: cfg.validation.max_examples]],
        )
    report.reconciliation()  # asserts in = accepted + rejected per file
    return ClientData(
        config=cfg,
        customers=customers,
        transactions=transactions,
        activities=activities,
        report=report,
        reference_date=ref,
    )
