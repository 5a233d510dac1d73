"""Refuse, before reading, a transactions file too large for this machine's memory.

Loading validates every line in memory (about :data:`BYTES_PER_LINE` bytes per line at
the peak, measured on the 10-million-line benchmark client: 2.55 GiB). A file that
needs more than the machine has would otherwise be read for minutes and then end with
the operating system killing the process, without a message. This check estimates the
lines cheaply (Parquet: the file's metadata; CSV: the file size divided by the mean
length of its first lines) and raises a :class:`~kk_helpers.core.errors.DataError`
(fatal, exit code 2) naming the file, the lines and the memory needed and available.

Set the environment variable ``KK_SKIP_MEMORY_CHECK=1`` to load anyway (``0``, ``false``,
``no``, ``off`` or empty keep the check).
"""

from __future__ import annotations

import os
from pathlib import Path

from kk_helpers.core.errors import DataError

__all__ = ["BYTES_PER_LINE", "check_memory", "estimate_lines"]

#: peak bytes per transaction line while loading (measured: 10M lines -> 2.55 GiB)
BYTES_PER_LINE = 270
_GIB = 1024**3
_SAMPLE = 1 << 20  # bytes read from a CSV file to measure its mean line length
#: values of ``KK_SKIP_MEMORY_CHECK`` that keep the check (``=0`` does not skip it)
_NO = ("", "0", "false", "no", "off")


def estimate_lines(path: Path) -> int | None:
    """Lines of a Parquet or CSV/TXT file, estimated without reading it (None: unknown).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a;b\\n" + "1;2\\n" * 1000)
    >>> estimate_lines(p)
    1001
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix in (".csv", ".txt", ".tsv"):
            size = path.stat().st_size
            with path.open("rb") as f:
                head = f.read(_SAMPLE)
            lines = head.count(b"\n")
            if not lines:
                return None
            return round(size / (len(head) / lines)) if len(head) < size else lines
    except (OSError, ValueError, ImportError):  # unreadable: the reader names the problem
        return None
    return None  # XLSX: at most 1,048,576 rows, never too large


def _available_bytes() -> int:
    import psutil

    return int(psutil.virtual_memory().available + psutil.swap_memory().free)


def check_memory(path: Path, shown_name: str, *, available: int | None = None) -> None:
    """Raise :class:`DataError` when loading ``path`` needs more memory than is available.

    Inputs: the transactions file, its name as the user knows it (``files.transactions.path``),
    ``available`` bytes (default: free memory + free swap now).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a;b\\n" + "1;2\\n" * 1000)
    >>> check_memory(p, "t.csv", available=10_000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kk_helpers.core.errors.DataError: t.csv: expected a data volume that fits ...
    """
    if os.environ.get("KK_SKIP_MEMORY_CHECK", "").strip().lower() not in _NO:
        return
    lines = estimate_lines(path)
    if lines is None:
        return
    need = lines * BYTES_PER_LINE
    have = _available_bytes() if available is None else available
    if need <= have:
        return
    raise DataError(
        shown_name,
        None,
        "a data volume that fits this computer's memory",
        found=f"about {lines:,} lines, which need about {need / _GIB:.1f} GiB to load; "
        f"{have / _GIB:.1f} GiB are free",
        hint="Close other programs, use a computer with more memory, or export fewer "
        "years of transactions (KK_SKIP_MEMORY_CHECK=1 loads anyway)",
    )
