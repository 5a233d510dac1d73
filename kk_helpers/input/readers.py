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

The formats live in :mod:`kk_helpers.input.readers_csv` and
:mod:`kk_helpers.input.readers_xlsx` (Parquet here); :class:`RawTable` and the shared
helpers in :mod:`kk_helpers.input.readers_common`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.readers_common import (
    _EXTENSIONS,
    RawTable,
    _header_names,
    norm_name,
    release_arrow_memory,
)
from kk_helpers.input.readers_csv import (
    _read_csv,
)
from kk_helpers.input.readers_xlsx import (
    _read_xlsx,
)

__all__ = ["read_raw", "detect_format"]


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


def read_raw(
    path: Path,
    spec: FileSpec,
    expected_columns: Sequence[str] = (),
    *,
    dictionary: Sequence[str] = (),
    dates: Sequence[str] = (),
) -> RawTable:
    """Read one data file as found; detect encoding, delimiter and header row.

    Inputs:
        path: the data file (CSV/TXT/TSV, XLSX/XLSM, Parquet/PQ).
        spec: its :class:`~kk_helpers.core.config.FileSpec`; ``format``, ``encoding``,
            ``delimiter``, ``sheet`` and ``header_row`` override detection.
        expected_columns: the client's column names the config maps; used to find the
            header row (first of the first 20 rows holding all of them, compared
            case- and whitespace-insensitively) and to pick/check the delimiter.
        dictionary, dates: Parquet only (ignored otherwise): names (compared like
            ``expected_columns``) of text columns to read as ``category`` straight from
            the file's dictionary pages, and of date columns to read as ``datetime64``;
            see :attr:`RawTable.typed`. The loader passes its id, category and date
            columns: on millions of lines this saves seconds and Python objects.

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
    return _read_parquet(path, dictionary=dictionary, dates=dates)


# --- Parquet ---------------------------------------------------------------------------


def _read_parquet(
    path: Path, *, dictionary: Sequence[str] = (), dates: Sequence[str] = ()
) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = path.name
    if path.stat().st_size == 0:
        raise DataError(file, None, "at least one data row", found="an empty file")
    try:
        schema = pq.read_schema(path)
        frame, typed = (
            _parquet_by_column(path, schema, dictionary, dates)
            if _by_column_ok(schema)
            else (_parquet_whole(path), {})
        )
    except (pa.ArrowException, OSError) as e:
        raise DataError(file, None, "a readable Parquet file", found=str(e)) from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    names = _header_names(list(frame.columns), file)
    typed = {names[i]: typed[c] for i, c in enumerate(frame.columns) if c in typed}
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
        typed=typed,
    )


def _parquet_whole(path: Path) -> pd.DataFrame:
    """The plain read: text columns become pandas' Arrow-backed strings (no Python
    objects), dates ``datetime.date`` objects, pandas metadata (index) applied."""
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()


def _by_column_ok(schema: Any) -> bool:
    """True when the file can be read column by column with the result of the whole
    read: some columns, unique names and no index stored as a column by pandas."""
    names = list(schema.names)
    if not names or len(set(names)) != len(names):
        return False
    meta = schema.pandas_metadata or {}
    return len(meta.get("column_indexes", [])) <= 1 and all(
        isinstance(ix, dict) for ix in meta.get("index_columns", [])
    )


def _parquet_by_column(
    path: Path, schema: Any, dictionary: Sequence[str], dates: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The file read one column at a time, each converted to pandas and its Arrow
    memory released before the next (peak: the frame plus one column, not twice the
    file). Text columns named in ``dictionary`` come as ``category`` straight from
    the file's dictionary pages, date columns named in ``dates`` as ``datetime64``.

    Output: (frame, typed columns -> their Arrow type in the file).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    want_dict = {norm_name(c) for c in dictionary}
    want_date = {norm_name(c) for c in dates}
    as_dict: list[str] = []
    as_date: list[str] = []
    for f in schema:
        n = norm_name(f.name)
        if n in want_dict and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type)):
            as_dict.append(f.name)
        elif n in want_date and pa.types.is_date(f.type):
            as_date.append(f.name)
    # one ParquetFile: less CPU and memory than read_table per column (measured)
    pf = pq.ParquetFile(path, read_dictionary=as_dict or None)
    columns: dict[Any, pd.Series] = {}
    typed: dict[Any, Any] = {}
    for f in schema:
        table = pf.read(columns=[f.name], use_pandas_metadata=False)
        # no split_blocks: that would hand out read-only views of Arrow memory, and
        # pandas raises on assigning into them (callers may change the frames)
        part = table.to_pandas(date_as_object=f.name not in as_date, self_destruct=True)
        del table
        label = part.columns[0]  # as the whole read names it (pandas metadata)
        columns[label] = part.iloc[:, 0].reset_index(drop=True)
        if f.name in as_dict or f.name in as_date:
            typed[label] = f.type
        release_arrow_memory()  # the column's Parquet buffers, before the next column
    return pd.DataFrame(columns, copy=False), typed
