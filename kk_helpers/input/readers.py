"""Read a client's raw export files exactly as found (CSV, XLSX, Parquet).

:func:`read_raw` detects what real ERP/CRM exports leave open — encoding, delimiter,
header row (also below a title row) — and returns a :class:`RawTable`: the values as
they stand in the file plus, for every row, the row number a user sees in a text
editor or in Excel. Nothing is parsed into numbers or dates here (see
:mod:`kk_helpers.input.parsing`); nothing is renamed (see :mod:`kk_helpers.input.loading`).

Problems that make a file unusable raise :class:`kk_helpers.core.errors.DataError` naming
the file and what was expected. Things worth reporting but not fatal (e.g. a file with
some lines in cp1252 and others in UTF-8) are returned in ``RawTable.notes``.

Example (a ``;`` file with decimal comma and a title line above the header)::

    >>> import tempfile
    >>> from kk_helpers.core.config import FileSpec
    >>> p = Path(tempfile.mkdtemp()) / "kunden.csv"
    >>> text = "Export 2024\\nKdNr;Name;Umsatz\\n00123;Müller;1.234,50\\n"
    >>> _ = p.write_bytes(text.encode("cp1252"))
    >>> raw = read_raw(p, FileSpec(path=p.name), expected_columns=["KdNr", "Umsatz"])
    >>> raw.encoding, raw.delimiter, raw.header_row, raw.source_rows.tolist()
    ('cp1252', ';', 2, [3])
    >>> raw.frame.iloc[0].tolist()
    ['00123', 'Müller', '1.234,50']
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.parsing import _str_mask

__all__ = ["RawTable", "read_raw", "detect_format", "CSV_DELIMITERS", "HEADER_SEARCH_ROWS"]

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
_DELIM_ALIASES = {"tab": "\t", "\\t": "\t", "TAB": "\t", "semicolon": ";", "comma": ","}
_DELIM_NAMES = {";": "';' (semicolon)", ",": "',' (comma)", "\t": "tab", "|": "'|' (pipe)"}


@dataclass(frozen=True)
class RawTable:
    """A data file as found.

    Attributes:
        frame: columns = header names as in the file (surrounding whitespace and a BOM
            removed; empty header cells named ``unnamed_<position>``). CSV: every value a
            string (``str`` dtype, surrounding whitespace stripped, empty -> NA). XLSX:
            cell values as openpyxl gives them (str, int, float, datetime) in object
            columns, strings stripped, empty -> NA. Parquet: native dtypes as stored
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
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    path: Path
    format: str
    encoding: str | None
    delimiter: str | None
    header_row: int
    notes: tuple[tuple[str, int, str], ...] = ()


# --- public ----------------------------------------------------------------------------


def detect_format(path: Path, spec: FileSpec | None = None) -> str:
    """File format from ``spec.format`` or the file extension.

    Input: path (only its suffix is used), optional spec. Output: ``"csv"``, ``"xlsx"``
    or ``"parquet"``. Raises DataError for an unknown extension.

    >>> [detect_format(Path(p)) for p in ("umsatz.TXT", "k.xlsm", "t.pq")]
    ['csv', 'xlsx', 'parquet']
    """
    if spec is not None and spec.format:
        return spec.format
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(
            path.name,
            None,
            "a file ending in " + ", ".join(sorted(_EXTENSIONS)),
            found=f"the extension {path.suffix or '(none)'!r}",
            hint="Set 'format' (csv, xlsx, parquet) for this file in client.yml",
        )
    return fmt


def read_raw(path: Path, spec: FileSpec, expected_columns: Sequence[str] = ()) -> RawTable:
    """Read one data file as found; detect encoding, delimiter and header row.

    Inputs:
        path: the data file (CSV/TXT/TSV, XLSX/XLSM, Parquet/PQ).
        spec: its :class:`~kk_helpers.core.config.FileSpec`; ``format``, ``encoding``,
            ``delimiter``, ``sheet`` and ``header_row`` override detection.
        expected_columns: the client's column names the config maps; used to find the
            header row (first of the first 20 rows holding all of them, compared
            case- and whitespace-insensitively) and to pick/check the delimiter.

    Output: a :class:`RawTable`. Raises :class:`DataError` for a missing, unreadable or
    empty file, a file with only a header line, duplicate header names, an unknown
    sheet, bytes not valid in the configured encoding, a delimiter that leaves a single
    column while several are expected, and CSV lines with more fields than the header.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text('id,name\\n00123,"Meier, Hans"\\n\\n7,X\\n', encoding="utf-8")
    >>> raw = read_raw(p, FileSpec(path="t.csv"), ["id", "name"])
    >>> raw.delimiter, raw.frame["name"].tolist(), raw.source_rows.tolist()
    (',', ['Meier, Hans', 'X'], [2, 4])
    """
    path = Path(path)
    fmt = detect_format(path, spec)
    if not path.exists():
        raise DataError(str(path), None, "an existing file", found="no such file")
    if path.is_dir():
        raise DataError(str(path), None, "a file", found="a folder")
    if fmt == "csv":
        return _read_csv(path, spec, expected_columns)
    if fmt == "xlsx":
        return _read_xlsx(path, spec, expected_columns)
    return _read_parquet(path)


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


def _header_names(cells: Sequence[Any], file: str) -> list[str]:
    """Clean header names; empty cells -> ``unnamed_<pos>``; duplicates -> DataError."""
    names = [_cell_text(c) or f"unnamed_{i + 1}" for i, c in enumerate(cells)]
    counts = Counter(names)
    dups = [n for n, k in counts.items() if k > 1]
    if dups:
        raise DataError(
            file,
            None,
            "unique column names in the header",
            found="duplicate column name(s) " + ", ".join(repr(d) for d in dups),
            hint="Rename the columns in the export so that each name occurs once",
        )
    return names


def _drop_empty_unnamed(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop columns without a header name that hold no value (trailing delimiters, Excel)."""
    drop = [c for c in frame.columns if c.startswith("unnamed_") and not frame[c].notna().any()]
    return frame.drop(columns=drop) if drop else frame


def _examples(rows: Sequence[int] | np.ndarray) -> str:
    shown = ", ".join(str(int(r)) for r in list(rows)[:_MAX_EXAMPLES])
    return shown + (", ..." if len(rows) > _MAX_EXAMPLES else "")


def _delim_name(d: str) -> str:
    return _DELIM_NAMES.get(d, repr(d))


# --- CSV -------------------------------------------------------------------------------

_local = threading.local()


def _cp1252_rest_of_line(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode from the bad byte to the end of its line as cp1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    obj = exc.object
    end = obj.find(b"\n", exc.start)
    end = len(obj) if end < 0 else end
    _local.bad_positions.append(exc.start)
    return bytes(obj[exc.start : end]).decode("cp1252", errors="replace"), end


codecs.register_error("kk_cp1252_rest_of_line", _cp1252_rest_of_line)

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _line_numbers(data: bytes, positions: np.ndarray) -> np.ndarray:
    """1-based line numbers of byte positions (vectorised over a uint8 view)."""
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    return np.searchsorted(newlines, positions, side="left").astype(np.int64) + 1


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """Distinct values of an ascending array (much faster than np.unique)."""
    if len(x) == 0:
        return x
    return x[np.concatenate(([True], x[1:] != x[:-1]))]


def _decode_guess(data: bytes) -> tuple[str, str, tuple[tuple[str, int, str], ...]]:
    """Decode bytes as UTF-8(-sig), else cp1252, else line-wise mixed; return text, name, notes."""
    bom = data.startswith(_BOM)
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if bom else "utf-8"), ()
    except UnicodeDecodeError:
        pass
    body = data[len(_BOM) :] if bom else data
    if _UTF8_MULTIBYTE.search(body) is None:  # no UTF-8 sequence at all: plain cp1252
        return body.decode("cp1252", errors="replace"), "cp1252", ()
    _local.bad_positions = []
    try:
        text = body.decode("utf-8", errors="kk_cp1252_rest_of_line")
        bad = np.asarray(_local.bad_positions, dtype=np.int64)
    finally:
        _local.bad_positions = []
    arr = np.frombuffer(body, dtype=np.uint8)
    high = np.flatnonzero(arr >= 0x80)
    newlines = np.flatnonzero(arr == 10)
    nonascii_lines = _sorted_unique(np.searchsorted(newlines, high))
    bad_lines = _sorted_unique(np.searchsorted(newlines, bad)) + 1
    if len(bad_lines) >= len(nonascii_lines):
        return text, "cp1252", ()
    detail = (
        f"{'line' if len(bad_lines) == 1 else 'lines'} {_examples(bad_lines)} decoded as cp1252"
    )
    return text, "utf-8+cp1252", (("mixed_encoding", len(bad_lines), detail),)


def _decode_given(data: bytes, encoding: str, file: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DataError(
            file,
            None,
            "a known text encoding in 'encoding'",
            found=repr(encoding),
            hint="Use e.g. utf-8, utf-8-sig or cp1252, or leave 'encoding' out to detect it",
        ) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = int(_line_numbers(data, np.array([e.start]))[0])
        raise DataError(
            file,
            None,
            f"text in the configured encoding {encoding!r}",
            rows=[line],
            found=f"bytes that are not valid {encoding} ({e.object[e.start : e.end]!r})",
            hint="Leave 'encoding' out in client.yml to detect it, or set the right one",
        ) from None


def _head_records(
    head: str, delimiter: str, complete: bool, limit: int = _HEAD_RECORDS
) -> tuple[list[list[str]], list[int]]:
    """Parse the first records of the text; return records and their 1-based start lines."""
    src = io.StringIO(head)
    reader = csv.reader(src, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    records: list[list[str]] = []
    starts: list[int] = []
    prev = 0
    try:
        for rec in reader:
            records.append(rec)
            starts.append(prev + 1)
            prev = reader.line_num
            if len(records) >= limit:
                complete = True
                break
    except csv.Error:
        pass
    if not complete and len(records) > 1:  # the last record may be cut off
        records, starts = records[:-1], starts[:-1]
    return records, starts


def _delimiter_score(
    records: list[list[str]], expected: Sequence[str]
) -> tuple[int, int, float, int]:
    """Score of a delimiter: (expected names found in one row, >1 field, consistency, fields)."""
    wanted = {norm_name(c) for c in expected if norm_name(c)}
    rows = [r for r in records[:HEADER_SEARCH_ROWS] if any(c.strip() for c in r)]
    hits = max((len(wanted & {norm_name(c) for c in r}) for r in rows), default=0)
    counts = [len(r) for r in records if any(c.strip() for c in r)]
    if not counts:
        return hits, 0, 0.0, 0
    mode, n = max(Counter(counts).items(), key=lambda kv: (kv[1], kv[0]))
    return hits, int(mode > 1), round(n / len(counts), 1), mode


def _detect_delimiter(head: str, complete: bool, expected: Sequence[str], exclude: str = "") -> str:
    scores = {
        d: _delimiter_score(_head_records(head, d, complete)[0], expected)
        for d in CSV_DELIMITERS
        if d != exclude
    }
    best = max(scores, key=lambda d: scores[d])  # ties: earlier candidate wins
    return best


def _read_csv(path: Path, spec: FileSpec, expected: Sequence[str]) -> RawTable:
    file = path.name
    data = path.read_bytes()
    if re.search(rb"[^ \t\r\n\xef\xbb\xbf]", data) is None:  # only blanks and BOM bytes
        raise DataError(file, None, "at least one data row", found="an empty file")

    notes: tuple[tuple[str, int, str], ...] = ()
    if spec.encoding:
        text: str | None = _decode_given(data, spec.encoding, file)
        encoding = spec.encoding
    else:
        text, encoding, notes = _decode_guess(data)
    if encoding in ("utf-8", "utf-8-sig", "utf8"):
        # the C parser reads UTF-8 bytes directly; drop the big decoded copy
        start = len(_BOM) if data.startswith(_BOM) else 0
        head_bytes = data[start : start + _HEAD_BYTES]
        complete = len(data) - start <= _HEAD_BYTES
        if not complete:
            cut = head_bytes.rfind(b"\n")
            head_bytes = head_bytes[: cut + 1 if cut > 0 else _HEAD_BYTES]
        head = head_bytes.decode("utf-8", errors="replace")
        text = None
    else:
        assert text is not None
        complete = len(text) <= _HEAD_BYTES
        head = text if complete else text[: max(text.rfind("\n", 0, _HEAD_BYTES) + 1, 1)]
    head = head.lstrip("\ufeff")

    # delimiter
    if spec.delimiter:
        delimiter = _DELIM_ALIASES.get(spec.delimiter, spec.delimiter)
    else:
        delimiter = _detect_delimiter(head, complete, expected)
    limit = max(_HEAD_RECORDS, (spec.header_row or 0) + 10)
    records, starts = _head_records(head, delimiter, complete, limit)
    if not any(any(c.strip() for c in r) for r in records):
        raise DataError(file, None, "at least one data row", found="an empty file")

    # header row
    if spec.header_row:
        later = [i for i, s in enumerate(starts) if s >= spec.header_row]
        if not later:
            raise DataError(
                file,
                None,
                f"a header in line {spec.header_row} ('header_row')",
                found=f"only {starts[-1] if starts else 0} line(s) at the start of the file",
            )
        h = later[0]
    else:
        h = _find_header(records, expected)
    header_cells = records[h]
    header_row = starts[h]

    n_expected = len({norm_name(c) for c in expected if norm_name(c)})
    if sum(bool(c.strip()) for c in header_cells) <= 1 and n_expected > 1:
        other = _detect_delimiter(head, complete, expected, exclude=delimiter)
        other_cells = _head_records(head, other, complete)[0]
        seems = (
            f"The file seems to use {_delim_name(other)}"
            if max((len(r) for r in other_cells), default=0) > 1
            else "No other usual delimiter (; , tab |) splits it either"
        )
        how = "configured" if spec.delimiter else "detected"
        raise DataError(
            file,
            None,
            f"{n_expected} columns separated by the {how} delimiter {_delim_name(delimiter)}",
            rows=[header_row],
            found=f"a single column {_cell_text(header_cells[0] if header_cells else '')!r}",
            hint=f"{seems}; set 'delimiter' for this file in client.yml",
        )
    names = _header_names(header_cells, file)

    # line number where the data starts: first line after the header record
    if h + 1 < len(starts):
        data_start = starts[h + 1]
    else:  # header is the last record seen in the head; count its own line breaks
        data_start = header_row + 1 + sum(c.count("\n") for c in header_cells)

    # the C parser is fastest on UTF-8 bytes
    source = io.BytesIO(data if text is None else text.encode("utf-8"))
    extra = f"__kk_extra_{len(names)}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(
                source,
                sep=delimiter,
                header=None,
                names=[*names, extra],
                index_col=False,
                skiprows=h + 1,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                quotechar='"',
                doublequote=True,
                encoding="utf-8-sig",
                engine="c",
                low_memory=False,
            )
        except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as e:
            raise DataError(
                file,
                None,
                f"a readable CSV file (delimiter {_delim_name(delimiter)})",
                found=str(e).strip(),
            ) from None
    too_long = any(issubclass(w.category, pd.errors.ParserWarning) for w in caught)
    del source, text

    # physical line of each record: count line breaks inside quoted values (before stripping)
    pos = np.arange(len(frame), dtype=np.int64)
    if b'"' in data and len(frame):
        breaks = np.zeros(len(frame), dtype=np.int64)
        for c in frame.columns:
            col = frame[c]
            if col.str.contains("\n", regex=False).any():
                breaks += col.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
        if breaks.any():
            pos = pos + np.concatenate(([0], np.cumsum(breaks)[:-1]))
    rows = data_start + pos

    # strip values, empty -> NA (vectorised per column)
    cleaned = {c: frame[c].str.strip() for c in frame.columns}
    frame = pd.DataFrame(cleaned, index=frame.index)
    frame = frame.mask(frame == "")

    extra_vals = frame[extra].notna()
    if extra_vals.any() or too_long:
        bad = rows[extra_vals.to_numpy()]
        raise DataError(
            file,
            None,
            f"at most {len(names)} fields per line, as in the header (line {header_row})",
            rows=bad[:_MAX_EXAMPLES].tolist(),
            found="lines with more fields",
            hint=f'Values holding the delimiter {_delim_name(delimiter)} must be in quotes "..."; '
            "check the delimiter and the decimal mark",
        )
    frame = frame.drop(columns=[extra])

    keep = frame.notna().any(axis=1).to_numpy()
    if not keep.any():
        raise DataError(
            file, None, "at least one data row", rows=[header_row], found="only a header line"
        )
    if not keep.all():
        frame = frame.loc[keep]
        rows = rows[keep]
    frame = _drop_empty_unnamed(frame.reset_index(drop=True))
    return RawTable(
        frame=frame,
        source_rows=np.ascontiguousarray(rows, dtype=np.int64),
        path=path,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=int(header_row),
        notes=notes,
    )


# --- XLSX ------------------------------------------------------------------------------


def _read_xlsx(path: Path, spec: FileSpec, expected: Sequence[str]) -> RawTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    file = path.name
    if path.stat().st_size == 0:
        raise DataError(file, None, "at least one data row", found="an empty file")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as e:
        raise DataError(
            file, None, "a readable Excel workbook (.xlsx)", found=str(e) or type(e).__name__
        ) from None
    try:
        sheets = wb.sheetnames
        sheet = spec.sheet
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(sheets):
                raise DataError(
                    file,
                    None,
                    f"a sheet number {sheet} (0-based)",
                    found=f"{len(sheets)} sheet(s): " + ", ".join(repr(s) for s in sheets),
                )
            ws = wb.worksheets[sheet]
        else:
            if sheet not in sheets:
                raise DataError(
                    file,
                    None,
                    f"a sheet named {sheet!r}",
                    found="the sheets " + ", ".join(repr(s) for s in sheets),
                )
            ws = wb[sheet]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # exported dimensions are often wrong; read every row
        rows = [tuple(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    finally:
        wb.close()

    def blank(r: tuple) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in r)

    records = [list(r) for r in rows[: HEADER_SEARCH_ROWS + 1]]
    if all(blank(r) for r in rows):
        raise DataError(
            file, None, "at least one data row", found="an empty sheet" if rows else "an empty file"
        )
    if spec.header_row:
        h = spec.header_row - 1
        if h >= len(rows):
            raise DataError(
                file,
                None,
                f"a header in row {spec.header_row} ('header_row')",
                found=f"only {len(rows)} row(s)",
            )
    else:
        h = _find_header(records, expected)
    header = list(rows[h])
    width = max((len(r) for r in rows[h:]), default=0)
    header += [None] * (width - len(header))
    names = _header_names(header, file)

    body = rows[h + 1 :]
    if any(len(r) != width for r in body):  # openpyxl leaves rows ragged after reset_dimensions
        body = [r + (None,) * (width - len(r)) for r in body]
    cells = np.empty((len(body), width), dtype=object)
    if body and width:
        cells[:] = body
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    for c in names:  # strip strings, whitespace-only -> NA (vectorised per column)
        col = frame[c]
        is_str = _str_mask(col)
        if is_str.any():
            stripped = col.where(~is_str, col.str.strip())
            frame[c] = stripped.mask(is_str & (stripped == ""))
    rows_no = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    keep = frame.notna().any(axis=1).to_numpy()
    if not keep.any():
        raise DataError(
            file, None, "at least one data row", rows=[h + 1], found="only a header line"
        )
    frame = frame.loc[keep].reset_index(drop=True)
    frame = _drop_empty_unnamed(frame)
    return RawTable(
        frame=frame,
        source_rows=rows_no[keep],
        path=path,
        format="xlsx",
        encoding=None,
        delimiter=None,
        header_row=h + 1,
    )


# --- Parquet ---------------------------------------------------------------------------


def _read_parquet(path: Path) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = path.name
    if path.stat().st_size == 0:
        raise DataError(file, None, "at least one data row", found="an empty file")
    try:
        # Plain read: text columns become pandas' Arrow-backed strings without Python
        # objects. Dictionary-reading every text column looked cheaper but converting
        # millions of distinct order ids to categories cost ~10 s on 10M lines.
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as e:
        raise DataError(file, None, "a readable Parquet file", found=str(e)) from None
    frame = table.to_pandas()
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    names = _header_names(list(frame.columns), file)
    frame.columns = names
    if len(frame) == 0:
        raise DataError(file, None, "at least one data row", found="only a header line (no rows)")
    return RawTable(
        frame=frame.reset_index(drop=True),
        source_rows=np.arange(2, len(frame) + 2, dtype=np.int64),
        path=path,
        format="parquet",
        encoding=None,
        delimiter=None,
        header_row=1,
    )
