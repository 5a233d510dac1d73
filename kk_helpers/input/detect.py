"""Per-file detection for ``kk init``: how a raw export is written and what it holds.

:func:`profile_file` reads one file with the readers (which detect encoding, delimiter,
header row below title rows, sheet) and adds what the readers leave to the config: the
decimal mark and thousands separator (counted over the number-like values), the date
format of every date-like column (day-first vs month-first decided by the values, an
ambiguity reported with both readings), the column mapping proposed from a German and
English synonym table with each candidate's type checked against its values, and
which table the file most likely is (transactions, customers, activities).

Nothing here writes files or prints; :mod:`kk_helpers.input.proposal` turns profiles
into a commented ``client.yml``.

>>> norm_header(" Kunden-Nr. ")
'kundennr'
>>> guess_value("Außendienst", VALUE_SYNONYMS["channel"])
'field_sales'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import FileSpec
from kk_helpers.core.errors import DataError
from kk_helpers.input.parsing import detect_decimal, parse_dates, parse_numbers
from kk_helpers.input.readers import detect_format, read_raw
from kk_helpers.input.readers_common import _EXTENSIONS, WHITESPACE, RawTable

__all__ = [
    "SYNONYMS",
    "VALUE_SYNONYMS",
    "SOFT_SYNONYMS",
    "DateGuess",
    "FileProfile",
    "guess_date_format",
    "guess_value",
    "norm_header",
    "profile_file",
    "scan_folder",
]

_SAMPLE = 5_000  # values looked at per column for type checks
_MIN_SHARE = 0.9  # share of non-empty values that must parse for a number/date column

#: canonical column -> header names (normalised: lower case, letters and digits only),
#: German and English; an exact match scores higher than a contained word
# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    C.CUSTOMER_ID: (
        "kundennr", "kundennummer", "kdnr", "kunde", "kundenid", "debitor", "debitornr",
        "debitorennr", "debitorennummer", "customerid", "customerno", "customernumber",
        "customer", "custid", "clientid", "accountid", "account", "accountnumber", "kunr",
        "soldto", "auftraggeber",
    ),
    C.NAME: (
        "firma", "name", "kundenname", "name1", "firmenname", "customername", "company",
        "companyname", "accountname", "bezeichnung",
    ),
    C.INDUSTRY: ("branche", "industry", "sector", "wirtschaftszweig", "segment"),
    C.REGION: ("region", "vertriebsregion", "gebiet", "verkaufsgebiet", "salesregion",
               "territory", "bundesland", "state", "country", "land"),
    C.SALES_REP: ("aussendienstmitarbeiter", "außendienstmitarbeiter", "vertreter",
                  "aussendienst", "außendienst", "betreuer", "kundenbetreuer", "salesrep",
                  "accountmanager", "owner", "verkaeufer", "verkäufer", "adm"),
    C.CUSTOMER_SINCE: ("kundeseit", "anlagedatum", "erstanlage", "customersince",
                       "createdon", "created", "since"),
    C.EMPLOYEES: ("mitarbeiterzahl", "mitarbeiter", "anzahlmitarbeiter", "employees",
                  "headcount", "beschaeftigte", "beschäftigte"),
    C.POTENTIAL: ("potenzial", "potential", "potenzialpa", "kundenpotenzial", "einkaufsvolumen",
                  "potentialpa", "walletsize"),
    C.CURRENT_CLASS: ("abcklasse", "klasse", "kundenklasse", "abc", "class", "abcclass",
                      "customerclass", "rating"),
    C.DATE: ("belegdatum", "datum", "rechnungsdatum", "auftragsdatum", "buchungsdatum",
             "fakturadatum", "lieferdatum", "date", "orderdate", "invoicedate", "postingdate",
             "documentdate", "activitydate", "kontaktdatum", "transactiondate"),
    C.REVENUE: ("umsatznetto", "umsatz", "nettoumsatz", "nettobetrag", "betrag", "erloes",
                "erlös", "umsatzeur", "revenue", "sales", "netsales", "amount", "netamount",
                "netvalue", "nettowert", "salesamount", "totalsales", "turnover", "umsatzinnetto"),
    C.ORDER_ID: ("belegnr", "belegnummer", "auftragsnr", "auftragsnummer", "rechnungsnr",
                 "rechnungsnummer", "beleg", "orderid", "orderno", "ordernumber", "invoiceno",
                 "invoicenumber", "faktura", "fakturanr", "fakturanummer", "invoiceid", "documentno", "documentnumber", "auftrag"),
    C.MARGIN: ("dbi", "db1", "deckungsbeitrag", "deckungsbeitragi", "db", "rohertrag",
               "marge", "margin", "grossmargin", "profit", "grossprofit", "contributionmargin"),
    C.COST: ("kosten", "wareneinsatz", "einstandspreis", "ek", "einkaufswert", "cost",
             "costs", "cogs", "costofgoods", "costofsales"),
    C.QUANTITY: ("menge", "anzahl", "stueck", "stück", "quantity", "qty", "units", "amountunits"),
    C.PRODUCT_GROUP: ("warengruppe", "produktgruppe", "artikelgruppe", "sortiment",
                      "productgroup", "productcategory", "category", "subcategory",
                      "productline", "kategorie"),
    C.CHANNEL: ("vertriebsweg", "kanal", "vertriebskanal", "bestellweg", "auftragsart",
                "channel", "saleschannel", "orderchannel", "shipmode"),
    C.ACTIVITY_TYPE: ("typ", "art", "aktivitaetstyp", "aktivitätstyp", "kontaktart",
                      "aktivitaet", "aktivität", "type", "activitytype", "activity"),
    C.DURATION_MIN: ("dauermin", "dauer", "dauerinmin", "dauerminuten", "minuten",
                     "duration", "durationmin", "minutes"),
}
#: soft criteria (1-5 ratings): canonical name -> header names
SOFT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "loyalty": ("kundenbindung", "treue", "loyalitaet", "loyalität", "loyalty"),
    "strategic_fit": ("strategischebedeutung", "strategie", "strategicfit", "strategicimportance"),
    "service_effort": ("betreuungsaufwand", "serviceaufwand", "serviceeffort", "effort"),
}
#: canonical vocabulary value -> client values (normalised) that mean it
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    C.CHANNEL: {
        "field_sales": ("aussendienst", "außendienst", "ad", "vertreter", "fieldsales", "field"),
        "inside_sales": ("innendienst", "id", "telefon", "insidesales", "inside", "phone"),
        "webshop": ("webshop", "shop", "online", "web", "ecommerce", "onlineshop", "internet"),
        "edi": ("edi", "schnittstelle", "eprocurement"),
        "dealer": ("fachhandel", "haendler", "händler", "dealer", "partner", "distributor"),
    },
    C.ACTIVITY_TYPE: {
        "visit": ("besuch", "kundenbesuch", "termin", "visit", "meeting"),
        "call": ("telefonat", "anruf", "telefon", "call", "phonecall", "phone"),
        "email": ("email", "mail", "emails"),
        "quote": ("angebot", "quote", "offer", "quotation"),
        "complaint": ("reklamation", "beschwerde", "complaint", "claim"),
        "event": ("veranstaltung", "messe", "event", "webinar", "schulung"),
    },
}
_TABLE_WORDS = {
    "transactions": ("umsatz", "umsaetze", "transaktion", "transaction", "sales", "order",
                     "auftrag", "rechnung", "invoice", "faktura", "beleg", "verkauf"),
    "customers": ("kunde", "kunden", "customer", "stamm", "master", "debitor", "client",
                  "account"),
    "activities": ("aktivit", "activit", "crm", "kontakt", "contact", "besuch", "visit"),
}
# fmt: on


def norm_header(name: object) -> str:
    """A header or value reduced to lower-case letters and digits (umlauts kept)."""
    return re.sub(r"[^0-9a-zäöüß]", "", str(name).casefold())


def guess_value(value: object, table: dict[str, tuple[str, ...]]) -> str | None:
    """Canonical vocabulary value for a client's value, or None when not recognised."""
    n = norm_header(value)
    for canon, words in table.items():
        if n in words or n == norm_header(canon):
            return canon
    return None


# --- dates -----------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d.%m.%y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%Y%m%d",
    "%Y/%m/%d",
)


@dataclass(frozen=True)
class DateGuess:
    """The date format of a column.

    Attributes:
        fmt: strftime format for ``date_format`` (None: native dates, e.g. Excel cells,
            or ISO/``DD.MM.YYYY`` with times that the default parser reads).
        parsed: values (of ``total`` non-empty ones looked at) that parse with ``fmt``.
        total: non-empty values looked at.
        alternatives: other formats that parse as many values (day-first vs
            month-first when every day is <= 12): an ambiguity to confirm.
    """

    fmt: str | None
    parsed: int
    total: int
    alternatives: tuple[str, ...] = ()


def guess_date_format(values: pd.Series) -> DateGuess | None:
    """Date format of a column decided by its values; None when it holds no dates.

    >>> guess_date_format(pd.Series(["13.01.2024", "01.02.2024"])).fmt
    '%d.%m.%Y'
    >>> g = guess_date_format(pd.Series(["03/04/2024", "05/06/2024"]))
    >>> g.fmt, g.alternatives
    ('%d/%m/%Y', ('%m/%d/%Y',))
    >>> guess_date_format(pd.Series(["12/31/2024", "01/02/2024"])).fmt
    '%m/%d/%Y'
    """
    s = values.dropna()
    if not len(s):
        return None
    s = s.head(_SAMPLE)
    native = parse_dates(s)
    if (
        pd.api.types.is_datetime64_any_dtype(s.dtype)
        or s.map(
            lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "year")
        ).mean()
        > _MIN_SHARE
    ):
        n = int(native.notna().sum())
        return DateGuess(None, n, len(s)) if n >= _MIN_SHARE * len(s) else None
    text = s.astype(str).str.strip()
    if (
        text.str.fullmatch(r"[+-]?\d+([.,]\d+)?").mean() > 0.5
        and not text.str.fullmatch(r"\d{8}").all()
    ):
        return None  # numbers (Excel serial days are not guessed from text)
    u = pd.Series(text.unique())
    counts = {}
    for fmt in _DATE_FORMATS:
        ok = pd.to_datetime(u, format=fmt, errors="coerce").notna()
        counts[fmt] = int(ok.sum())
    best = max(counts.values())
    if best < _MIN_SHARE * len(u):
        day = u.str.replace(r"[ T]\d{1,2}:\d{2}.*$", "", regex=True)  # values with a time
        n = int(parse_dates(text).notna().sum())
        if (
            n >= _MIN_SHARE * len(s)
            and day.str.fullmatch(r"\d{4}-\d\d-\d\d|\d{1,2}\.\d{1,2}\.\d{4}").all()
        ):
            return DateGuess(None, n, len(s))
        return None
    winners = [f for f in _DATE_FORMATS if counts[f] == best]
    fmt = winners[0]
    ok = pd.to_datetime(text, format=fmt, errors="coerce").notna()
    return DateGuess(fmt, int(ok.sum()), len(s), tuple(winners[1:]))


# --- profile ---------------------------------------------------------------------------


@dataclass
class ColumnMatch:
    """A proposed mapping: canonical name -> header, with why."""

    canonical: str
    header: str
    exact: bool
    note: str = ""


@dataclass
class FileProfile:
    """What :func:`profile_file` found out about one file.

    ``columns`` maps canonical name -> :class:`ColumnMatch`; ``dates`` header ->
    :class:`DateGuess`; ``values`` canonical (channel, type) -> {client value: canonical
    value or None}; ``notes`` are comment lines for the proposal; ``todos`` lines that
    need the user's decision. ``table`` is the guessed table or None.
    """

    path: Path
    raw: RawTable
    format: str
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    decimal: str | None = None
    thousands: str | None = None
    decimal_note: str = ""
    date_format: str | None = None
    dates: dict[str, DateGuess] = field(default_factory=dict)
    columns: dict[str, ColumnMatch] = field(default_factory=dict)
    soft: dict[str, ColumnMatch] = field(default_factory=dict)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    table: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.raw.frame)


def _sheet_names(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [ws.title for ws in wb.worksheets]
    finally:
        wb.close()


def _read(path: Path) -> tuple[RawTable, str | None, tuple[str, ...]]:
    """Read as found; XLSX: the sheet with most filled cells; CSV: whitespace if nothing
    else splits the lines."""
    fmt = detect_format(path)
    if fmt == "xlsx":
        names = _sheet_names(path)
        best: tuple[int, RawTable, str] | None = None
        for name in names:
            try:
                raw = read_raw(path, FileSpec(path=path.name, sheet=name))
            except DataError:
                continue
            size = int(raw.frame.notna().sum().sum())
            if best is None or size > best[0]:
                best = (size, raw, name)
        if best is None:
            raise DataError(path.name, None, "a sheet with data", found="no readable sheet")
        return best[1], best[2], tuple(names)
    raw = read_raw(path, FileSpec(path=path.name))
    if fmt == "csv" and raw.frame.shape[1] <= 1:
        try:
            ws = read_raw(path, FileSpec(path=path.name, delimiter=WHITESPACE))
            if ws.frame.shape[1] > 1:
                raw = ws
        except DataError:
            pass
    return raw, None, ()


def _text(values: pd.Series) -> pd.Series:
    s = values.dropna().head(_SAMPLE)
    return s[s.map(lambda v: isinstance(v, str))]


def _number_share(values: pd.Series, decimal: str | None, thousands: str | None) -> float:
    s = values.dropna().head(_SAMPLE)
    if not len(s):
        return 0.0
    return float(parse_numbers(s, decimal, thousands).notna().mean())


def _decimal(raw: RawTable, prof: FileProfile) -> None:
    """Decimal mark and thousands separator over all number-like text columns."""
    cols = []
    for c in raw.frame.columns:
        t = _text(raw.frame[c])
        if (
            len(t)
            and t.str.fullmatch(r"[-+(]?[€$ ]*[\d.,' ]*\d[\d.,' ]*[-)]?( ?(€|EUR))?").mean() > 0.9
        ) and not t.str.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}").any():
            cols.append(t)
    if not cols:
        return
    allv = pd.concat(cols, ignore_index=True)
    marks = allv[allv.str.contains(r"[.,]")]
    if not len(marks):
        return
    dec = detect_decimal(marks)
    other = "." if dec == "," else ","
    n_dec = int(parse_numbers(marks, dec, other).notna().sum())
    n_alt = int(parse_numbers(marks, other, dec).notna().sum())
    name = {",": "decimal comma", ".": "decimal point"}
    prof.decimal = dec
    prof.decimal_note = f"{name[dec]}: {n_dec:,} of {len(marks):,} values with a mark" + (
        f" (as {name[other]}: {n_alt:,})" if n_alt else ""
    )
    grouped = marks.str.contains(r"\d" + re.escape(other) + r"\d{3}(?:\D|$)")
    if grouped.any():
        prof.thousands = other
        prof.decimal_note += f"; thousands separator {other!r} in {int(grouped.sum()):,} values"
    if n_alt and n_alt >= 0.9 * n_dec:
        prof.todos.append(
            f"decimal mark unsure: {n_dec:,} values read with {dec!r}, {n_alt:,} with {other!r}"
        )


def _kind_ok(kind: str, values: pd.Series, prof: FileProfile) -> bool:
    s = values.dropna()
    if not len(s):
        return False
    if kind == C.KIND_NUMBER:
        return _number_share(s, prof.decimal, prof.thousands) >= _MIN_SHARE
    if kind == C.KIND_DATE:
        return values.name in prof.dates
    if kind == C.KIND_ID:
        return values.name not in prof.dates
    return True


def _match_score(header: str, words: tuple[str, ...]) -> int:
    n = norm_header(header)
    if not n:
        return 0
    if n in words:
        return 3
    if any(len(w) >= 4 and (n.startswith(w) or w in n) for w in words):
        return 1
    return 0


def _map_columns(raw: RawTable, prof: FileProfile, kinds: dict[str, str]) -> None:
    """Best header per canonical name (exact synonyms first), each header used once."""
    used: set[str] = set()
    candidates = []
    for canon, kind in kinds.items():
        for pos, h in enumerate(raw.frame.columns):
            sc = _match_score(h, SYNONYMS.get(canon, ()))
            if sc and _kind_ok(kind, raw.frame[h], prof):
                candidates.append((-sc, list(kinds).index(canon), pos, h, canon))
    for neg, _, _, h, canon in sorted(candidates):
        if h in used or canon in prof.columns:
            continue
        used.add(h)
        prof.columns[canon] = ColumnMatch(canon, h, exact=neg == -3)
    for canon, words in SOFT_SYNONYMS.items():
        for h in raw.frame.columns:
            if h not in used and _match_score(h, words) == 3:
                nums = parse_numbers(raw.frame[h].dropna().head(_SAMPLE), prof.decimal)
                if len(nums) and nums.notna().all() and nums.between(1, 5).all():
                    prof.soft[canon] = ColumnMatch(canon, h, exact=True)
                    used.add(h)
                    break
    for m in prof.columns.values():  # the alternatives where unsure
        others = [h for _, _, _, h, c in sorted(candidates) if c == m.canonical and h not in used]
        if others:
            m.note = "also possible: " + ", ".join(repr(h) for h in others)


def _classify(prof: FileProfile) -> None:
    cols = set(prof.columns)
    stem = norm_header(prof.path.stem)
    word = {t: any(w in stem for w in ws) for t, ws in _TABLE_WORDS.items()}
    ids = prof.columns.get(C.CUSTOMER_ID)
    unique = bool(ids) and prof.raw.frame[ids.header].dropna().is_unique
    scores = {}
    req_t = set(C.TRANSACTION_REQUIRED)
    scores["transactions"] = (
        3 * len(cols & req_t)
        + len(cols & set(C.TRANSACTION_OPTIONAL))
        + 2 * word["transactions"]
        - (10 if not req_t <= cols else 0)
    )
    req_a = set(C.ACTIVITY_REQUIRED)
    scores["activities"] = (
        3 * len(cols & req_a)
        + 2 * (C.DURATION_MIN in cols)
        + 2 * word["activities"]
        - (10 if not req_a <= cols else 0)
        - 3 * (C.REVENUE in cols)
    )
    scores["customers"] = (
        3 * bool(ids)
        + len(cols & set(C.CUSTOMER_OPTIONAL))
        + len(prof.soft)
        + 3 * unique
        + 2 * word["customers"]
        - (10 if not ids else 0)
        - 3 * (C.REVENUE in cols)
        - 3 * (C.DATE in cols)
        - 10 * (not unique)
    )
    prof.scores = scores
    best = max(scores, key=lambda k: scores[k])
    prof.table = best if scores[best] > 0 else None


def _vocabulary(prof: FileProfile) -> None:
    for canon in (C.CHANNEL, C.ACTIVITY_TYPE):
        m = prof.columns.get(canon)
        if m is None:
            continue
        vals = prof.raw.frame[m.header].dropna().astype(str).value_counts()
        if len(vals) > 30:
            continue
        prof.values[canon] = {v: guess_value(v, VALUE_SYNONYMS[canon]) for v in vals.index}


def profile_file(path: Path) -> FileProfile:
    """Detect how one export is written and what it holds.

    Input: a CSV/TXT/TSV, XLSX/XLSM or Parquet file. Output: a :class:`FileProfile`.
    Raises :class:`DataError` when the readers cannot read it.
    """
    path = Path(path)
    raw, sheet, sheets = _read(path)
    prof = FileProfile(path=path, raw=raw, format=raw.format, sheet=sheet, sheets=sheets)
    if len(sheets) > 1:
        prof.notes.append(
            f"sheet {sheet!r} holds the most data (sheets: {', '.join(map(repr, sheets))})"
        )
    _decimal(raw, prof)
    for c in raw.frame.columns:
        g = guess_date_format(raw.frame[c])
        if g is not None:
            prof.dates[c] = g
    kinds: dict[str, str] = {}
    for t in C.TABLES:
        kinds.update({k: v for k, v in C.COLUMN_KINDS[t].items() if k not in kinds})
    kinds[C.ACTIVITY_TYPE] = C.KIND_CATEGORY
    _map_columns(raw, prof, kinds)
    _classify(prof)
    _vocabulary(prof)
    return prof


def scan_folder(folder: Path) -> tuple[list[FileProfile], list[tuple[Path, str]]]:
    """Profiles of every data file in ``folder`` (not recursive) and the files that
    could not be read with the reason; ``client.yml`` and hidden files are skipped."""
    profiles, failed = [], []
    for p in sorted(Path(folder).iterdir()):
        if not p.is_file() or p.name.startswith((".", "~$")) or p.suffix.lower() not in _EXTENSIONS:
            continue
        try:
            profiles.append(profile_file(p))
        except DataError as e:
            failed.append((p, str(e)))
    return profiles, failed
