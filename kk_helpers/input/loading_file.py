"""One data file while the loading rules run (:class:`_Work`: raw frame, found columns,
parsed values, alive mask, recorded issues) and the small vectorised helpers of the
loader (id codes, years, duplicate-line hashes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as pdt

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.parsing import detect_decimal, parse_dates, parse_ids, parse_numbers
from kk_helpers.input.readers_common import (
    RawTable,
    _delim_name,
    _sorted_unique,
    as_found,
    norm_name,
    release_arrow_memory,
)
from kk_helpers.input.validation import ValidationReport

SOURCE_ROW = "source_row"

_NAT = np.datetime64("NaT", "ns")
#: plausible range [lo, hi] (None: open) of optional number columns; values outside are
#: set missing and counted (``implausible_value_set_missing``)
PLAUSIBLE: dict[str, tuple[float | None, float | None]] = {
    C.DURATION_MIN: (0.0, 24 * 60.0),  # one activity: at most a day
    C.ACTIVITY_COST: (0.0, None),
    C.EMPLOYEES: (0.0, 5_000_000.0),  # above the world's largest employers
    C.POTENTIAL: (0.0, None),
}
# control characters that Excel files cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE)
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
# an id as Excel writes a long number in scientific notation: 4.00012E+11, 4,00012E+11
_SCI_ID = r"[+-]?\d(?:[.,]\d+)?[eE]\+?\d+"

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


def _id_codes(
    values: pd.Series, vmap: dict[str, str] | None = None, *, first_seen: bool = False
) -> tuple[np.ndarray, pd.Index]:
    """Ids/labels as (codes, categories of str); code -1 = missing.

    Each distinct value is parsed once (:func:`parse_ids`) and, with ``vmap``, mapped
    (``files.<table>.values.<column>``). The categories come in the order of first
    appearance; for a categorical ``values`` in the order of its categories, unless
    ``first_seen`` (a column the reader made categorical, :attr:`RawTable.typed`: the
    same codes and categories as from its plain text).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        raw_codes = values.cat.codes.to_numpy()
        cats = values.cat.categories
        first = np.arange(len(cats))  # first-seen position -> category
        if first_seen:  # categories in the order of first appearance, unused dropped
            seen = pd.unique(raw_codes)
            first = seen[seen >= 0]
        ids = parse_ids(pd.Series(cats.take(first)))
        if vmap:
            ids = ids.map(lambda x: vmap.get(x, x) if isinstance(x, str) else x).astype("str")
        codes_u, out_cats = pd.factorize(ids, use_na_sentinel=True)
        # raw code -> final code in one small table; one take over the rows
        lut = np.full(len(cats) + 1, -1, dtype=np.int32)  # raw code -1 -> last = -1
        lut[first] = codes_u
        return lut[raw_codes], pd.Index(out_cats, dtype="str")
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


#: rows hashed per step in :func:`_duplicate_lines` (bounds the temporary arrays)
_HASH_CHUNK = 1 << 20


def _repeated(keys: np.ndarray) -> np.ndarray:
    """Ascending distinct values that occur more than once in ``keys``."""
    srt = np.sort(keys)
    return _sorted_unique(srt[1:][srt[1:] == srt[:-1]])


def _duplicate_lines(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Rows equal in all ``columns`` to an earlier row (``keep="first"``), exactly.

    A 64-bit hash of customer, date and revenue finds the candidate rows: those whose
    hash occurs more than once (equal rows have equal hashes). Sorting only its upper
    32 bits (half the work of sorting 10 million 64-bit values) narrows the rows to
    those sharing a 32-bit key (true repeats plus about n²/2³³ chance pairs), whose full
    hashes are then compared; only the remaining candidates are compared on every column.
    """
    key = [c for c in (C.CUSTOMER_ID, C.DATE, C.REVENUE) if c in columns]
    cols = [frame[c].array if c == C.CUSTOMER_ID else frame[c].to_numpy() for c in key]
    n = len(frame)
    out = np.zeros(n, dtype=bool)
    if n < 2:
        return out
    k32 = np.empty(n, dtype=np.uint32)
    for a in range(0, n, _HASH_CHUNK):  # chunks: no 10-million-row temporaries
        h = _row_hash([_as_uint64(c[a : a + _HASH_CHUNK]) for c in cols])
        k32[a : a + len(h)] = h >> np.uint64(32)
    rep32 = _repeated(k32)
    if not len(rep32):
        return out
    # rows whose 32-bit key repeats (a superset: a lookup table on the key's low bits),
    # then those among them whose full 64-bit hash repeats: every row with a repeated
    # 64-bit hash is among them, as its 32-bit key repeats too
    table = np.zeros(1 << 20, dtype=bool)
    table[rep32 & 0xFFFFF] = True
    cand = np.flatnonzero(table[k32 & 0xFFFFF])
    del k32
    h64 = _row_hash(
        [_as_uint64(c[cand] if isinstance(c, np.ndarray) else c.take(cand)) for c in cols]
    )
    cand = cand[np.isin(h64, _repeated(h64))]
    if not len(cand):
        return out
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
        self,
        table: str,
        cfg: ClientConfig,
        report: ValidationReport,
        raw: RawTable,
        spec: FileSpec | None = None,
    ) -> None:
        self.table = table
        self.cfg = cfg
        self.spec: FileSpec = spec or getattr(cfg.files, table)
        self.file = self.spec.path
        self.report = report
        self.raw = raw.frame
        #: raw columns read narrower than found (see RawTable.typed, :meth:`as_found`)
        self.typed = raw.typed
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
        #: canonical number column -> rows whose value is non-finite or beyond
        #: ``validation.max_amount`` (set to NaN by :meth:`number`)
        self.implausible: dict[str, np.ndarray] = {}
        #: rows the reader found cut off: (mask, fields found per row, fields expected)
        self.short_rows = raw.short_rows
        self.raw_format = raw.format
        self.delimiter_used = _delim_name(raw.delimiter) if raw.delimiter else "none, " + raw.format
        self.n_fields = raw.n_fields
        for key, count, detail in raw.notes:
            report.add_issue(table, self.file, key, severity="warning", rows=count, detail=detail)
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
            hint = f"Set {keys} in client.yml to the client's column name"
            if len(found) == 1:  # one column: the split failed, not the mapping
                hint = (
                    f"The file has a single column: check the delimiter (used: "
                    f"{self.delimiter_used}); set files.{self.table}.delimiter in client.yml"
                    + (
                        " or split the cells in Excel (Data > Text to Columns)"
                        if self.raw_format == "xlsx"
                        else ""
                    )
                )
            raise DataError(
                self.file,
                missing[0][1] if len(missing) == 1 else None,
                f"the {kind}column(s) {names}",
                found=("a single column " if len(found) == 1 else "the columns ")
                + ", ".join(repr(c) for c in found),
                hint=hint,
            )
        return absent

    def check_ids(self, canon: str, codes: np.ndarray, cats: pd.Index) -> None:
        """Fatal when ids look like Excel's scientific notation (``4.00012E+11``).

        Excel shows long numbers that way and saves them so when a file is exported
        as CSV: the digits after the fifth are lost and different customers share one
        id, so no row can be attributed safely.
        """
        if not len(cats):
            return
        sci = pd.Series(cats, dtype="str").str.fullmatch(_SCI_ID).fillna(False).to_numpy(bool)
        if not sci.any():
            return
        rows = np.flatnonzero(np.isin(codes, np.flatnonzero(sci)))
        raise DataError(
            self.file,
            self.client_col(canon),
            "IDs written in full (e.g. 400012345678)",
            rows=self.source_rows[rows[: self.max_examples]].tolist(),
            found=f"{int(sci.sum())} ID(s) in Excel's scientific notation, e.g. "
            + ", ".join(repr(x) for x in cats[sci][: self.max_examples]),
            hint="Excel cut these numbers to 6 digits: format the column as text "
            "(or 'number, 0 decimals') in Excel and export the file again",
        )

    def values(self, canon: str) -> pd.Series:
        return self.raw[self.colmap[canon]]

    def as_found(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Rows of the raw frame with the values as found in the file (RawTable.as_found)."""
        return as_found(rows, self.typed)

    def found_values(self, col: str, idx: np.ndarray) -> pd.Series:
        """Values of raw column ``col`` at rows ``idx`` as found in the file."""
        return self.as_found(self.raw[[col]].iloc[idx])[col]

    def codes(self, canon: str) -> tuple[np.ndarray, pd.Index]:
        """:func:`_id_codes` of a column (categories in the order of first appearance)."""
        return _id_codes(self.values(canon), first_seen=self.colmap[canon] in self.typed)

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
                    self.found_values(col, idx[: self.max_examples * 4]), self.max_examples
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
            original=self.as_found(self.raw.iloc[idx]),
            source_rows=self.source_rows[idx],
            revenue=rev,
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
                severity=severity,
                column=self.client_col(canon),
                rows=k,
                revenue=float(np.nansum(revenue[idx])) if revenue is not None else 0.0,
                examples=rows[idx[: self.max_examples]],
                detail=detail,
            )
        return k

    def set_missing(self, canon: str, bad: np.ndarray) -> None:
        """Count unreadable values of an optional column, which are set missing.

        Values beyond the plausibility bound (see :meth:`number`) are counted apart.
        """
        huge = self.implausible.get(canon)
        if huge is not None:
            self.issue(
                huge & self.alive,
                "implausible_value_set_missing",
                "corrected",
                canon,
                self.found_detail(canon, huge) + f" (limit ±{self.cfg.validation.max_amount:g})",
            )
            bad = bad & ~huge
        self.issue(
            bad & self.alive,
            "invalid_value_set_missing",
            "corrected",
            canon,
            self.found_detail(canon, bad),
        )

    def within(self, canon: str, vals: np.ndarray) -> np.ndarray:
        """``vals`` with values outside :data:`PLAUSIBLE` [lo, hi] set NaN (counted, corrected)."""
        lo, hi = PLAUSIBLE.get(canon, (None, None))
        if lo is None and hi is None:
            return vals
        out = np.zeros(len(vals), dtype=bool)
        if lo is not None:
            out |= vals < lo
        if hi is not None:
            out |= vals > hi
        if not out.any():
            return vals
        limits = f"{lo:g} to {hi:g}" if hi is not None else f"at least {lo:g}"
        self.issue(
            out & self.alive,
            "implausible_value_set_missing",
            "corrected",
            canon,
            self.found_detail(canon, out) + f" (plausible: {limits})",
        )
        return np.where(out, np.nan, vals)

    def reject_short_lines(self) -> None:
        """Reject the lines the reader found cut off (fewer fields than the header)."""
        if self.short_rows is None or self.n_fields is None:
            return
        got, need = self.n_fields
        short = self.short_rows & self.alive
        counts = np.unique(got[short])
        if not len(counts):
            return
        have = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        self.reject(
            short,
            "short_line",
            detail=f"line has {have} of {need} fields (cut off?)",
            expected=f"{need} fields per line as in the header",
            hint="The file may be cut off or broken: export it again",
        )

    def found_detail(self, canon: str, mask: np.ndarray) -> str:
        """``found '12x', 'abc'`` for the first rows in ``mask``."""
        idx = np.flatnonzero(mask & self.alive)[: self.max_examples * 4]
        ex = _examples_text(self.found_values(self.colmap[canon], idx), self.max_examples)
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
        """(float64 values, empty mask, unreadable mask) of a number column.

        Non-finite values (``inf``, ``1e309``, NaN cells in a typed column that are not
        empty) and values beyond ``validation.max_amount`` in absolute size count as
        unreadable (NaN); the latter are also listed in :attr:`implausible`.
        """
        s = self.values(canon)
        thousands = self.spec.thousands
        limit = self.cfg.validation.max_amount
        if s.dtype == np.float64:  # typed Parquet column: use it as is
            out = s.to_numpy()
            self._backing[id(out)] = (out, s)
            # the common case in two passes: min/max are NaN when a value is NaN
            if len(out) and -limit <= out.min() and out.max() <= limit:
                return out, np.zeros(len(out), dtype=bool), np.zeros(len(out), dtype=bool)
        elif pdt.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            out = s.to_numpy(dtype="float64", na_value=np.nan)
        else:
            out = _by_uniques(
                s, lambda u: parse_numbers(u, decimal=decimal, thousands=thousands), np.nan
            ).astype("float64")
        empty = s.isna().to_numpy()
        # one pass in the common case: |x| <= limit is False for inf, -inf and NaN
        within = np.abs(out) <= limit
        if not within.all():
            huge = ~within & ~np.isnan(out)
            if huge.any():
                self._backing.pop(id(out), None)
                out = np.where(huge, np.nan, out)
                self.implausible[canon] = huge
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
        """Categorical of str, values mapped by ``files.<table>.values.<canon>``.

        Control characters (NUL, ...) are removed from the categories (counted).
        """
        vmap = self.spec.values.get(canon)
        codes, cats = self.codes(canon)
        if not len(cats):
            return pd.Categorical.from_codes(codes, categories=cats)
        labels = pd.Series(cats, dtype="str")
        clean = labels.str.replace(_CONTROL, "", regex=True)
        changed = (clean != labels).to_numpy()
        if changed.any():
            self._count_control(canon, np.isin(codes, np.flatnonzero(changed)))
            labels = clean.mask(clean == "")
        if vmap:
            labels = labels.map(lambda x: vmap.get(x, x) if isinstance(x, str) else x)
        if changed.any() or vmap:
            new_codes, uniq = pd.factorize(labels.astype("str"), use_na_sentinel=True)
            codes = np.append(new_codes.astype(np.int64), -1)[codes]
            cats = pd.Index(uniq, dtype="str")
        return pd.Categorical.from_codes(codes, categories=cats)

    def text(self, canon: str) -> np.ndarray:
        """Text values (str, NaN when empty); control characters removed (counted)."""
        s = self.values(canon)
        out = _by_uniques(s, parse_ids, np.nan) if s.dtype == object else s.astype("str").to_numpy()
        texts = pd.Series(out, dtype="str")
        has = texts.str.contains(_CONTROL, regex=True).fillna(False).to_numpy(dtype=bool)
        if has.any():
            self._count_control(canon, has)
            clean = texts.str.replace(_CONTROL, "", regex=True)
            out = clean.mask(clean == "").to_numpy(dtype=object)
        return out

    def _count_control(self, canon: str, mask: np.ndarray) -> None:
        self.issue(
            mask & self.alive,
            "control_characters_removed",
            "corrected",
            canon,
            "invisible control characters (e.g. NUL) removed",
        )

    def finish(self, cols: dict[str, Any]) -> pd.DataFrame:
        """Frame of the alive rows from full-length column arrays (one take per column).

        The file's rules are done: the raw frame is dropped (no row can be rejected
        after this) and its memory handed back, so that it is not held while the next
        file loads.
        """
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
        frame = pd.DataFrame(data, copy=False)
        self.raw = pd.DataFrame(columns=self.raw.columns)  # names kept, no data (no views)
        self._backing.clear()
        data.clear()
        release_arrow_memory()
        return frame
