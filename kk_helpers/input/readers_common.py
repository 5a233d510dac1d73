"""What all raw readers share: :class:`RawTable` (a data file as found), the detection
constants and the header/naming helpers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.errors import DataError

#: candidate delimiters for detection, in order of preference on ties
CSV_DELIMITERS: tuple[str, ...] = (";", ",", "\t", "|")
#: the header row is searched within this many first rows
HEADER_SEARCH_ROWS = 20

_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_BOM = b"\xef\xbb\xbf"
_HEAD_BYTES = 256 * 1024  # bytes of a CSV looked at for delimiter / header detection
_HEAD_RECORDS = 60
_MAX_EXAMPLES = 5
#: ``delimiter: whitespace``: columns separated by any run of spaces or tabs
WHITESPACE = "whitespace"
_DELIM_ALIASES = {
    "tab": "\t",
    "\\t": "\t",
    "TAB": "\t",
    "semicolon": ";",
    "comma": ",",
    "pipe": "|",
}
_DELIM_NAMES = {
    ";": "';' (semicolon)",
    ",": "',' (comma)",
    "\t": "tab",
    "|": "'|' (pipe)",
    WHITESPACE: "whitespace (spaces/tabs)",
}


@dataclass(frozen=True)
class RawTable:
    """A data file as found.

    Attributes:
        frame: columns = header names as in the file (surrounding whitespace and a BOM
            removed; empty header cells named ``unnamed_<position>``). CSV: every value a
            string (``str`` dtype, surrounding whitespace stripped, empty -> NA). XLSX:
            cell values read by python-calamine with the types openpyxl gives (str, int
            for whole numbers, float, datetime, time, bool; error cells as their text
            such as ``"#DIV/0!"``) in object columns, strings stripped, empty -> NA. Parquet: native dtypes as stored
            (string columns as ``category``). Index: 0..n-1.
        source_rows: int64 array, one per frame row: the 1-based line (CSV) or row
            (XLSX) number a user sees in the file, counting the header and any lines
            above it. For a CSV record spanning several lines (quoted line breaks) it
            is the record's first line. Parquet: ``2..n+1`` (header counted as row 1).
        path: the file read.
        format: ``"csv"``, ``"xlsx"`` or ``"parquet"``.
        encoding: CSV only: ``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"``, ``"utf-8+cp1252"``
            (mixed, see ``notes``) or the configured encoding; else None.
        delimiter: CSV only: the delimiter used; else None.
        header_row: 1-based line/row number of the header.
        notes: ``(reason_key, count, detail)`` for non-fatal findings, e.g.
            ``("mixed_encoding", 3, "lines 5, 9, 12 decoded as cp1252")``.
        short_rows: CSV only: bool mask over the frame's rows of lines with fewer
            fields than the header (cut off); None when there are none.
        n_fields: fields found per row (meaningful where ``short_rows``), and the
            number the header has, as ``(array, expected)``; None with ``short_rows``.
        typed: Parquet only: columns read in a narrower form than the plain read gives
            because the loader asked for it (``read_raw(..., dictionary=, dates=)``):
            text columns as ``category`` (dictionary-encoded, no Python strings), date
            columns as ``datetime64`` instead of ``datetime.date`` objects; maps each
            such column to its Arrow type in the file. :meth:`as_found` turns rows back
            into the plain form (for rejected rows and the values named in messages).
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    path: Path
    format: str
    encoding: str | None
    delimiter: str | None
    header_row: int
    notes: tuple[tuple[str, int, str], ...] = ()
    short_rows: np.ndarray | None = None
    n_fields: tuple[np.ndarray, int] | None = None
    typed: Mapping[str, Any] = field(default_factory=dict)

    def as_found(self, rows: pd.DataFrame) -> pd.DataFrame:
        """``rows`` (a selection of :attr:`frame`) with the :attr:`typed` columns in the
        form a plain read gives; see :func:`as_found`."""
        return as_found(rows, self.typed)


# --- shared helpers --------------------------------------------------------------------


def as_found(rows: pd.DataFrame, typed: Mapping[str, Any]) -> pd.DataFrame:
    """``rows`` with the ``typed`` columns (:attr:`RawTable.typed`) in the form a plain
    read of the file gives (``str``, ``datetime.date`` objects); other columns unchanged.

    Input: a DataFrame holding some of a raw frame's rows and columns. Output: a new
    frame (same index and columns); ``rows`` itself when no column needs converting.

    >>> rows = pd.DataFrame({"id": pd.Categorical(["7", None]), "n": [1, 2]})
    >>> import pyarrow as pa
    >>> out = as_found(rows, {"id": pa.string()})
    >>> str(out["id"].dtype), out["id"].tolist()[0], out["n"].tolist()
    ('str', '7', [1, 2])
    """
    names = [c for c in rows.columns if c in typed]
    if not names:
        return rows
    import pyarrow as pa

    out = rows.copy(deep=False)
    for name in names:
        arr = pa.Array.from_pandas(rows[name]).cast(typed[name])
        plain = pa.table({"v": arr}).to_pandas()["v"]
        plain.index = rows.index
        out[name] = plain
    return out


def release_arrow_memory() -> None:
    """Hand memory that Arrow's allocator keeps for reuse back to the operating system.

    Arrow (Parquet reading, pandas' ``str`` columns) allocates from its own pool, which
    keeps freed blocks; after a large file has been read and its raw columns dropped
    they would otherwise stay in the process' memory while the next stages run.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def release_memory() -> None:
    """Give the memory of dropped frames back to the operating system: collect garbage,
    empty Arrow's pool and, on Linux (glibc), trim the C heap (``malloc_trim``), so a
    process that has dropped gigabytes of lines (the runner after preparing a client)
    does not hold them while the notebook kernels run."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    release_arrow_memory()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, musl): no trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# --- shared helpers --------------------------------------------------------------------


def norm_name(x: object) -> str:
    """Header name for comparison: no BOM, whitespace collapsed, case-folded."""
    return " ".join(_cell_text(x).split()).casefold()


def _cell_text(x: object) -> str:
    """A header cell as text: None -> "", 2024.0 -> "2024", BOM and outer whitespace removed."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x).replace("\ufeff", "").strip()


def _find_header(records: list[list[Any]], expected: Sequence[str]) -> int:
    """0-based index into ``records`` of the header row.

    With expected names: the first of the first rows that holds all of them; if none
    does, the row holding most of them (at least two, or the only one expected) when
    that beats the first non-blank row. Without expected names: the first row with
    at least as many non-empty cells as rows typically have (skips title rows).
    """
    head = records[:HEADER_SEARCH_ROWS]
    if not head:
        return 0
    nonblank = [i for i, r in enumerate(head) if any(_cell_text(c) for c in r)]
    first = nonblank[0] if nonblank else 0
    wanted = {norm_name(c) for c in expected if norm_name(c)}
    if wanted:
        hits = [len(wanted & {norm_name(c) for c in r}) for r in head]
        for i, h in enumerate(hits):
            if h == len(wanted):
                return i
        best = int(np.argmax(hits))
        if hits[best] >= min(2, len(wanted)) and hits[best] > hits[first]:
            return best
        return first
    filled = [sum(bool(_cell_text(c)) for c in head[i]) for i in nonblank]
    if not filled:
        return first
    typical = Counter(filled).most_common(1)[0][0]
    for i, n in zip(nonblank, filled, strict=True):
        if n >= typical:
            return i
    return first


def _header_names(
    cells: Sequence[Any], file: str, expected: Sequence[str] | None = None
) -> list[str]:
    """Clean header names; empty cells -> ``unnamed_<pos>``; duplicates -> DataError.

    With ``expected`` (the mapped names) only a duplicated *mapped* name is fatal;
    further occurrences of other names get a suffix (``"Währung (2)"``) and are
    ignored downstream like any unmapped column (see :func:`_header_notes`).
    """
    names = [_cell_text(c) or f"unnamed_{i + 1}" for i, c in enumerate(cells)]
    counts = Counter(names)
    dups = [n for n, k in counts.items() if k > 1]
    if not dups:
        return names
    wanted = {norm_name(c) for c in expected or ()}
    fatal = [d for d in dups if expected is None or norm_name(d) in wanted]
    if fatal:
        raise DataError(
            file,
            None,
            "unique column names in the header",
            found="duplicate column name(s) " + ", ".join(repr(d) for d in fatal),
            hint="Rename the columns in the export so that each name occurs once"
            + (" (a mapped column must be unambiguous)" if expected is not None else ""),
        )
    seen: Counter[str] = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _header_notes(names: Sequence[str]) -> tuple[tuple[str, int, str], ...]:
    """A note for duplicated unmapped header names renamed by :func:`_header_names`."""
    renamed = [n for n in names if n.endswith(")") and " (" in n and n.rsplit(" (", 1)[0] in names]
    if not renamed:
        return ()
    shown = ", ".join(repr(n.rsplit(" (", 1)[0]) for n in renamed[:_MAX_EXAMPLES])
    return (
        (
            "duplicate_column_name",
            len(renamed),
            f"column name(s) {shown} occur more than once; not mapped, so ignored",
        ),
    )


def _drop_empty_unnamed(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop columns without a header name that hold no value (trailing delimiters, Excel)."""
    drop = [c for c in frame.columns if c.startswith("unnamed_") and not frame[c].notna().any()]
    return frame.drop(columns=drop) if drop else frame


def _examples(rows: Sequence[int] | np.ndarray) -> str:
    shown = ", ".join(str(int(r)) for r in list(rows)[:_MAX_EXAMPLES])
    return shown + (", ..." if len(rows) > _MAX_EXAMPLES else "")


def _delim_name(d: str) -> str:
    return _DELIM_NAMES.get(d, repr(d))


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """Distinct values of an ascending array (much faster than np.unique)."""
    if len(x) == 0:
        return x
    return x[np.concatenate(([True], x[1:] != x[:-1]))]
