"""What the fast XLSX value reader (python-calamine) cannot tell, read from the raw XML.

python-calamine gives every cell's value but not its number format, and an error cell
(``#DIV/0!``) comes back empty. :func:`scan_sheet` streams the sheet's XML once (zlib
releases the GIL, so it runs beside calamine in a thread) and collects only:

- error cells (``t="e"``) with the text Excel shows (``#DIV/0!``, ``#N/A``, ...);
- the cells whose style has a zero-padding number format (``00000``): their column
  letter and row number (see :func:`kk_helpers.input.readers_xlsx.zero_padded`).

Nothing else is parsed. A sheet whose cells carry no ``r="A1"`` reference (a few non-Excel
writers) cannot be scanned: :class:`SheetScan` then says ``complete=False`` and the caller
falls back to openpyxl.
"""

from __future__ import annotations

import posixpath
import re
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ZERO_PAD = re.compile(r"^0+$")
#: built-in number formats (ECMA-376) that pad with zeros: only id 1, "0"
_BUILTIN_ZERO_PAD = {1: "0"}
_CHUNK = 1 << 23  # bytes of XML looked at per step
_FORMULA_ROWS = 1000  # formulas without results are looked for in the first rows only
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d+)"[^>]*? t="e"[^>]*>(.*?)</(?:\w+:)?c>', re.DOTALL
)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_CELL_REF = re.compile(rb'<(?:\w+:)?c r="[A-Z]{1,3}\d+"')
_CELL_ANY = re.compile(rb"<(?:\w+:)?c[ >/]")
#: a cell holding a formula and no stored result (no <v>, or an empty one)
_FORMULA_NO_VALUE = re.compile(
    rb'<(?:\w+:)?c r="[A-Z]{1,3}(\d+)"[^>]*>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_ROW_NO = re.compile(rb'<(?:\w+:)?row r="(\d+)"')


def zero_pad_format(number_format: str | None) -> str | None:
    """The zeros of a zero-padding number format (``"00000"``), else None.

    >>> zero_pad_format("000000"), zero_pad_format('"00000";@'), zero_pad_format("0.00")
    ('000000', '00000', None)
    """
    if not number_format:
        return None
    fmt = number_format.split(";")[0].strip().strip('"')
    return fmt if _ZERO_PAD.match(fmt) else None


def sheet_xml_path(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """Path inside the workbook archive of the worksheet named ``sheet`` (None if unknown)."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    for s in book.iter(f"{_NS_MAIN}sheet"):
        if s.get("name") == sheet:
            target = targets.get(s.get(f"{_NS_REL}id"), "")
            if not target:
                return None
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return posixpath.normpath(path)
    return None


def zero_pad_styles(zf: zipfile.ZipFile) -> dict[int, str]:
    """Cell style indices (``s="k"``) whose number format pads with zeros -> the format."""
    try:
        root = ElementTree.fromstring(zf.read("xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    codes = dict(_BUILTIN_ZERO_PAD)
    for nf in root.iter(f"{_NS_MAIN}numFmt"):
        try:
            codes[int(nf.get("numFmtId", "-1"))] = nf.get("formatCode", "")
        except ValueError:
            continue
    xfs = root.find(f"{_NS_MAIN}cellXfs")
    out: dict[int, str] = {}
    for k, xf in enumerate(xfs if xfs is not None else ()):
        try:
            fmt = zero_pad_format(codes.get(int(xf.get("numFmtId", "0"))))
        except ValueError:
            continue
        if fmt:
            out[k] = fmt
    return out


@dataclass
class SheetScan:
    """Result of :func:`scan_sheet`.

    Attributes:
        errors: ``(row, column index, text)`` of error cells; 1-based row, 0-based column.
        padded: 0-based column index -> ``(rows, widths)``: the 1-based row numbers of the
            cells with a zero-padding format and the number of digits it shows.
        formula_rows: 1-based rows, up to ``formulas_seen_to``, holding a formula cell
            without a stored result (in any column).
        formulas_seen_to: the last row whose cells were all looked at for such formulas
            (at least the first 1,000 rows, or all of a smaller sheet).
        complete: False when the sheet could not be scanned (no cell references).
    """

    errors: list[tuple[int, int, str]] = field(default_factory=list)
    padded: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    formula_rows: list[int] = field(default_factory=list)
    formulas_seen_to: int = 0
    complete: bool = True


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def scan_sheet(path: Path, sheet: str) -> SheetScan:
    """Stream the XML of worksheet ``sheet`` once; collect error cells and zero-padded cells.

    Input: the .xlsx path and the sheet's name. Output: a :class:`SheetScan`. Archive or
    XML problems give ``complete=False`` (the values reader reports those itself).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            member = sheet_xml_path(zf, sheet)
            if member is None:
                return SheetScan(complete=False)
            styles = zero_pad_styles(zf)
            with zf.open(member) as f:
                return _scan_stream(f, styles)
    except (OSError, KeyError, zipfile.BadZipFile, EOFError, ValueError):
        return SheetScan(complete=False)
    except Exception:  # noqa: BLE001  # zlib.error and friends: the values reader decides
        return SheetScan(complete=False)


def _scan_stream(f, styles: dict[int, str]) -> SheetScan:  # noqa: ANN001
    padded_re = None
    if styles:
        alt = b"|".join(str(k).encode() for k in sorted(styles))
        padded_re = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d+)"[^>]*? s="(' + alt + rb')"')
    out = SheetScan()
    pad: dict[int, tuple[list[int], list[int]]] = {}
    checked_refs = False
    buf = b""
    while True:
        chunk = f.read(_CHUNK)
        buf += chunk
        if chunk:
            cut = buf.rfind(b"row>")  # after a </row>: no cell is cut in two
            if cut < 0:
                continue
            cut += 4
        else:
            cut = len(buf)
        part = buf[:cut]
        if not checked_refs and _CELL_ANY.search(part):
            checked_refs = True
            if _CELL_REF.search(part) is None:
                return SheetScan(complete=False)
        if out.formulas_seen_to < _FORMULA_ROWS:  # the first rows: enough for the check
            out.formula_rows += [int(m.group(1)) for m in _FORMULA_NO_VALUE.finditer(part)]
            last = [int(m.group(1)) for m in _ROW_NO.finditer(part[-4096:])]
            if not chunk:  # the whole sheet was looked at
                out.formulas_seen_to = 2**31 - 1
            else:  # up to the last complete row (unchanged: unknown, the caller looks)
                out.formulas_seen_to = max([out.formulas_seen_to, *last])
        if b't="e"' in part:
            for m in _ERROR_CELL.finditer(part):
                v = _VALUE.search(m.group(3))
                text = v.group(1).decode("utf-8", errors="replace") if v else ""
                if text:
                    out.errors.append((int(m.group(2)), _col_index(m.group(1)), text))
        if padded_re is not None:
            for m in padded_re.finditer(part):
                rows, widths = pad.setdefault(_col_index(m.group(1)), ([], []))
                rows.append(int(m.group(2)))
                widths.append(len(styles[int(m.group(3))]))
        buf = buf[cut:]
        if not chunk:
            break
    out.padded = {
        c: (np.asarray(r, dtype=np.int64), np.asarray(w, dtype=np.int64))
        for c, (r, w) in pad.items()
    }
    return out


class BackgroundScan:
    """:func:`scan_sheet` in a thread (the XML inflating overlaps calamine's parsing)."""

    def __init__(self, path: Path, sheet: str) -> None:
        self._result: SheetScan | None = None
        self._thread = threading.Thread(target=self._run, args=(path, sheet), daemon=True)
        self._thread.start()

    def _run(self, path: Path, sheet: str) -> None:
        self._result = scan_sheet(path, sheet)

    def result(self) -> SheetScan:
        """Wait for the scan; a failed scan counts as incomplete."""
        self._thread.join()
        return self._result if self._result is not None else SheetScan(complete=False)
