"""CSV reading as found: encoding (UTF-8, cp1252, mixed), delimiter and header detection."""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.readers_common import (
    _BOM,
    _DELIM_ALIASES,
    _HEAD_BYTES,
    _HEAD_RECORDS,
    _MAX_EXAMPLES,
    CSV_DELIMITERS,
    HEADER_SEARCH_ROWS,
    WHITESPACE,
    RawTable,
    _cell_text,
    _delim_name,
    _drop_empty_unnamed,
    _examples,
    _find_header,
    _header_names,
    _header_notes,
    _sorted_unique,
    norm_name,
)

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
    if delimiter == WHITESPACE:
        lines = head.split("\n")
        if not complete and len(lines) > 1:
            lines = lines[:-1]
        lines = lines[:limit]
        return [ln.split() for ln in lines], list(range(1, len(lines) + 1))
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


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _refuse_binary(data: bytes, file: str) -> None:
    """A workbook saved under a ``.csv``/``.txt`` name is named for what it is."""
    if data.startswith(b"PK\x03\x04"):
        found = "an Excel workbook (.xlsx) saved under a text-file name"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        found = "an old Excel workbook (.xls) or an encrypted workbook"
    elif data.startswith(b"PAR1"):
        found = "a Parquet file"
    else:
        return
    raise DataError(
        file,
        None,
        "a CSV text file",
        found=found,
        hint="Set 'format' for this file in client.yml (xlsx, parquet), or save it as CSV "
        "(old .xls: save as .xlsx in Excel)",
    )


def _normalise_bytes(
    data: bytes, encoding: str | None
) -> tuple[bytes, tuple[tuple[str, int, str], ...]]:
    """UTF-16 (with a BOM) -> UTF-8; old Mac line endings (CR only) -> LF."""
    head = data[:4096]
    if encoding is None and data[:2] in _UTF16_BOMS:
        data = data.decode("utf-16").encode("utf-8")
    elif encoding is None and len(head) >= 4 and head.count(0) * 3 > len(head):
        # NUL in every other byte: UTF-16 without a BOM (ASCII text in two bytes)
        le = head[1::2].count(0) > head[0::2].count(0)
        data = data.decode("utf-16-le" if le else "utf-16-be", errors="replace").encode("utf-8")
    elif encoding is not None and encoding.lower().replace("_", "-").startswith("utf-16"):
        data = data.decode(encoding, errors="strict").lstrip("\ufeff").encode("utf-8")
    if b"\r" in data and b"\n" not in data:  # old Mac: CR only
        data = data.replace(b"\r", b"\n")
    return data, ()


def _read_csv(path: Path, spec: FileSpec, expected: Sequence[str]) -> RawTable:
    file = path.name
    data = path.read_bytes()
    if re.search(rb"[^ \t\r\n\xef\xbb\xbf]", data) is None:  # only blanks and BOM bytes
        raise DataError(file, None, "at least one data row", found="an empty file")

    _refuse_binary(data, file)
    data, crlf_note = _normalise_bytes(data, spec.encoding)
    notes: tuple[tuple[str, int, str], ...] = crlf_note
    if spec.encoding and spec.encoding.lower().replace("_", "-").startswith("utf-16"):
        text: str | None = data.decode("utf-8")
        encoding = "utf-8"
    elif spec.encoding:
        text = _decode_given(data, spec.encoding, file)
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
        ws_cells = _head_records(head, WHITESPACE, complete)[0]
        if max((len(r) for r in other_cells), default=0) > 1:
            seems = f"The file seems to use {_delim_name(other)}"
        elif max((len(r) for r in ws_cells), default=0) > 1:
            seems = "The columns seem to be separated by spaces: set 'delimiter: whitespace'"
        else:
            seems = "No other usual delimiter splits it either"
        how = "configured" if spec.delimiter else "detected"
        tried = [delimiter] if spec.delimiter else list(CSV_DELIMITERS)
        raise DataError(
            file,
            None,
            f"{n_expected} columns separated by the {how} delimiter {_delim_name(delimiter)}",
            rows=[header_row],
            found=f"a single column {_cell_text(header_cells[0] if header_cells else '')!r}",
            hint="Check the delimiter (tried: "
            + ", ".join(_delim_name(d) for d in tried)
            + f"). {seems}; set 'delimiter' for this file in client.yml",
        )
    names = _header_names(header_cells, file, expected)
    notes = notes + _header_notes(names)

    # line number where the data starts: first line after the header record
    if h + 1 < len(starts):
        data_start = starts[h + 1]
    else:  # header is the last record seen in the head; count its own line breaks
        data_start = header_row + 1 + sum(c.count("\n") for c in header_cells)

    # pyarrow's parser is fastest on UTF-8 bytes; pandas' C parser when it cannot be used
    buf = data if text is None else text.encode("utf-8")
    del text
    extra = f"__kk_extra_{len(names)}"
    frame = _parse_arrow(buf, names, extra, data_start=data_start, delimiter=delimiter)
    too_long = False
    if frame is None:
        frame, too_long = _parse_c(buf, names, extra, skip=h + 1, delimiter=delimiter, file=file)

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
    short = _short_lines(frame, names, rows, keep, buf=buf, delimiter=delimiter)
    del buf
    if not keep.all():
        frame = frame.loc[keep]
        rows = rows[keep]
        short = (short[0][keep], short[1][keep]) if short is not None else None
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
        short_rows=None if short is None else short[0],
        n_fields=None if short is None else (short[1], _n_required(names)),
    )


def _parse_arrow(
    buf: bytes, names: list[str], extra: str, *, data_start: int, delimiter: str
) -> pd.DataFrame | None:
    """The data lines (from line ``data_start``) with pyarrow's CSV reader, every value a
    string as in the file; an empty ``extra`` column added as :func:`_parse_c` has it.

    Returns None when pyarrow cannot give what the C parser gives: whitespace-separated
    columns, no data line, or any line whose field count differs from the header's (blank
    lines inside the data, cut-off or too long lines); the caller then uses
    :func:`_parse_c`, which reports those lines.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if delimiter == WHITESPACE or len(delimiter) != 1 or delimiter in '"\r\n':
        return None
    start = 0
    for _ in range(data_start - 1):
        start = buf.find(b"\n", start) + 1
        if start == 0:
            return None
    body = buf[start:].rstrip(b"\r\n")  # trailing blank lines are dropped anyway
    if not body:
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(body + b"\n"),
            read_options=pacsv.ReadOptions(column_names=list(names), encoding="utf8"),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=b'"' in body,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    frame = table.to_pandas()
    frame[extra] = pd.Series([""] * len(frame), dtype=frame[names[0]].dtype, index=frame.index)
    return frame


def _parse_c(
    buf: bytes, names: list[str], extra: str, *, skip: int, delimiter: str, file: str
) -> tuple[pd.DataFrame, bool]:
    """The data records after ``skip`` records with pandas' C parser, every value a string;
    a line with one field more than the header fills ``extra``. Returns the frame and
    whether lines with even more fields were seen."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(
                io.BytesIO(buf),
                sep=r"\s+" if delimiter == WHITESPACE else delimiter,
                header=None,
                names=[*names, extra],
                index_col=False,
                skiprows=skip,
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
    return frame, too_long


_MAX_SHORT_CHECKS = 100_000


def _n_required(names: Sequence[str]) -> int:
    """Fields a data line must have: up to the header's last named column."""
    named = [i for i, c in enumerate(names) if not c.startswith("unnamed_")]
    return (named[-1] + 1) if named else len(names)


def _short_lines(
    frame: pd.DataFrame,
    names: Sequence[str],
    rows: np.ndarray,
    keep: np.ndarray,
    *,
    buf: bytes,
    delimiter: str,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Lines with fewer fields than the header (a file cut off, a broken export).

    The C parser fills missing trailing fields with empty values; only lines whose last
    named field is empty are candidates (few in a normal file), and only those lines are
    split again to count their fields. Returns ``(mask, fields per row)`` or None.
    """
    need = _n_required(names)
    cand = np.flatnonzero(frame[names[need - 1]].isna().to_numpy() & keep)
    if not len(cand):
        return None
    if len(cand) > _MAX_SHORT_CHECKS:  # checking is costly: the first ones and the last line
        cand = np.concatenate((cand[:_MAX_SHORT_CHECKS], cand[-1:]))
    newlines = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 10)
    n_fields = np.full(len(frame), need, dtype=np.int64)
    for i in cand:
        line = int(rows[i])
        start = 0 if line == 1 else int(newlines[line - 2]) + 1
        k = line - 1
        text = ""
        while True:  # a quoted value may span lines: extend until the quotes close
            end = int(newlines[k]) if k < len(newlines) else len(buf)
            text = buf[start:end].decode("utf-8", errors="replace")
            if text.count('"') % 2 == 0 or k >= len(newlines) or k - line > 50:
                break
            k += 1
        if delimiter == WHITESPACE:
            rec = text.split()
        else:
            rec = next(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"'), [])
        n_fields[i] = len(rec)
    mask = n_fields < need
    return (mask, n_fields) if mask.any() else None
