"""Lever questionnaires: write the Excel questionnaire, import the filled ones.

**Writing** (:func:`write_questionnaire`, ``kk questionnaire CLIENT``): one XLSX with

* an instructions sheet (what to do, the 1-5 anchors of the three scales),
* a questionnaire sheet: respondent name, role (drop-down, free text allowed) and date
  fields, then one row per question (:data:`COLUMNS`): id, lever, question, current
  maturity, target maturity, importance (drop-downs 1-5) and a comment,
* a hidden ``_meta`` sheet (format, version, language, client).

**Importing** (:func:`import_questionnaires`): every ``*.xlsx`` in the client's
questionnaire folder (``levers.questionnaires``, default ``questionnaires/``) and any
long CSV there (columns :data:`CSV_COLUMNS`), or one long CSV named directly. Problems
never disappear: each is recorded in a :class:`QuestionnaireReport` naming file and cell
(``D12``; ``row 5, column current`` for CSV), with severity as in the data validation
report (:mod:`kk_helpers.input.validation`):

=========================  ==========  ====================================================
reason                     severity    what happens
=========================  ==========  ====================================================
``unreadable_file``        rejected    file cannot be opened; nothing used
``layout_unknown``         rejected    no questionnaire sheet / header row; nothing used
``csv_missing_columns``    rejected    CSV without the required columns; nothing used
``empty_file``             rejected    no score given at all; its rows rejected
``duplicate_respondent``   rejected    same name as in an earlier file; its rows rejected
``missing_respondent``     warning     no name: the file name is used (XLSX); CSV rows
                                       without a name are rejected
``missing_role``           warning     role "not stated" is used
``score_not_number``       corrected   text in a score cell: that score is left empty
``score_out_of_range``     corrected   score outside 1-5: that score is left empty
``unknown_question``       rejected    id and text match no question: row rejected
``question_matched_by_text`` corrected id missing or wrong, text matches a question
``question_renamed``       warning     id known but text changed: matched by id
``duplicate_question``     rejected    question answered twice by one person: later row
``question_missing``       warning     catalog questions missing from the file
``unanswered``             info        rows without any score (kept, count nothing)
``file_ignored``           info        other files in the folder (lock files, PDFs, ...)
=========================  ==========  ====================================================

Rows reconcile per file: ``rows_in = rows_accepted + rows_rejected``.
The imported answers (:attr:`QuestionnaireImport.responses`) have one row per
respondent and question: ``respondent``, ``role`` (key of :data:`levers.ROLES` or the
text given), ``file``, ``row``, ``question_id``, ``lever``, ``current``, ``target``,
``importance`` (float 1-5, NaN = not given) and ``comment``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import ClientConfig, ConfigError, load_config, resolve_config_path
from kk_helpers.core.i18n import LANGUAGES, check_language, t
from kk_helpers.input.validation import SEVERITIES
from kk_helpers.stages.levers.catalog import (
    ROLE_UNKNOWN,
    ROLES,
    SCORE_MAX,
    SCORE_MIN,
    LeverCatalog,
    build_catalog,
    lever_name,
    role_key,
    role_name,
)

FORMAT_NAME = "kk-lever-questionnaire"
FORMAT_VERSION = 1
META_SHEET = "_meta"

#: Score columns (1-5 each).
SCORES: tuple[str, ...] = ("current", "target", "importance")
#: Columns of the question table in the XLSX, A to G.
COLUMNS: tuple[str, ...] = ("question_id", "lever", "question", *SCORES, "comment")
_LETTER = dict(zip(COLUMNS, "ABCDEFG", strict=True))
#: Columns of the long CSV (``lever``, ``question`` and ``comment`` are optional).
CSV_COLUMNS: tuple[str, ...] = ("respondent", "role", *COLUMNS)
CSV_REQUIRED: tuple[str, ...] = ("respondent", "role", "question_id", *SCORES)
#: Columns of :attr:`QuestionnaireImport.responses`.
RESPONSE_COLUMNS: tuple[str, ...] = (
    "respondent",
    "role",
    "file",
    "row",
    "question_id",
    "lever",
    *SCORES,
    "comment",
)
_HEADER_SCAN_ROWS = 40
_ID_HEADER = "ID"


# --- report -------------------------------------------------------------------------------


class QuestionnaireReport:
    """Issues and per-file row counts of one questionnaire import.

    Same bookkeeping as :class:`kk_helpers.input.validation.ValidationReport`: every issue has
    a reason key (text ``quest.reason.<key>``), a severity and the number of rows it
    affects; per file ``rows_in = rows_accepted + rows_rejected``.

    >>> rep = QuestionnaireReport()
    >>> rep.add("a.xlsx", "score_out_of_range", "corrected", row=12, column="D", value="7")
    >>> rep.messages("en")[0]
    'a.xlsx, cell D12: score outside 1-5, left empty (value: 7)'
    """

    def __init__(self) -> None:
        self._issues: list[dict[str, Any]] = []
        self._files: dict[str, dict[str, Any]] = {}

    def add(
        self,
        file: str,
        reason: str,
        severity: str,
        row: int | None = None,
        column: str | None = None,
        rows: int = 1,
        respondent: str = "",
        value: object = "",
        detail: str = "",
        csv: bool = False,
        row_list: list[int] | None = None,
        detail_key: str | None = None,
        detail_kw: dict[str, Any] | None = None,
    ) -> None:
        """Record one issue.

        ``row``/``column`` locate the cell (``row_list``: several rows), ``rows`` is the
        number of rows affected, ``detail`` a language-neutral note, or ``detail_key``
        (translation key, filled with ``detail_kw``) a translated one.
        """
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        self._issues.append(
            {
                "file": file,
                "reason": reason,
                "severity": severity,
                "row": None if row is None else int(row),
                "column": column,
                "csv": csv,
                "rows": int(rows),
                "respondent": respondent,
                "value": "" if value is None else str(value),
                "detail": detail,
                "row_list": list(row_list or []),
                "detail_key": detail_key,
                "detail_kw": dict(detail_kw or {}),
            }
        )

    def _detail(self, issue: dict[str, Any], lang: str) -> str:
        if issue["detail_key"]:
            return t(issue["detail_key"], lang, **issue["detail_kw"])
        return issue["detail"]

    def set_file(self, file: str, **values: Any) -> None:
        """Record per-file facts: rows_in, rows_accepted, rows_rejected, respondent, role, status."""
        self._files.setdefault(file, {}).update(values)

    def location(self, issue: dict[str, Any], lang: str) -> str:
        """``"D12"`` / ``"Zeile 5, Spalte current"`` / ``""`` for a whole file."""
        row, col = issue["row"], issue["column"]
        if issue["row_list"]:
            shown = issue["row_list"][:10]
            if len(issue["row_list"]) == 1:
                return t("quest.loc.csv_row", lang, row=shown[0])
            text = ", ".join(str(r) for r in shown) + (" …" if len(issue["row_list"]) > 10 else "")
            return t("quest.loc.rows", lang, rows=text)
        if row is None and not col:
            return ""
        if issue["csv"]:
            if col:
                return t("quest.loc.csv_cell", lang, row=row, column=col)
            return t("quest.loc.csv_row", lang, row=row)
        if row is None:
            return t("quest.loc.column", lang, column=col)
        return f"{col or ''}{row}"

    def message(self, issue: dict[str, Any], lang: str) -> str:
        """One issue as a sentence naming file and cell."""
        loc = self.location(issue, lang)
        where = issue["file"]
        if loc:
            key = (
                "quest.loc.cell"
                if not issue["csv"] and issue["row"] is not None
                else "quest.loc.at"
            )
            where += ", " + t(key, lang, location=loc)
        text = t(f"quest.reason.{issue['reason']}", lang)
        out = f"{where}: {text}"
        if issue["value"]:
            out += " (" + t("quest.value", lang, value=issue["value"]) + ")"
        detail = self._detail(issue, lang)
        if detail:
            out += f" – {detail}"
        return out

    def messages(self, lang: str = "de", severity: str | None = None) -> list[str]:
        """All issues (optionally of one severity) as sentences, in recording order."""
        return [
            self.message(i, lang)
            for i in self._issues
            if severity is None or i["severity"] == severity
        ]

    @property
    def issues(self) -> pd.DataFrame:
        """One row per issue: file, reason, severity, row, column, rows, respondent,
        value, detail, message (English)."""
        cols = ["file", "reason", "severity", "row", "column", "rows", "respondent", "value",
                "detail", "message"]  # fmt: skip
        if not self._issues:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        df = pd.DataFrame(self._issues)
        df["message"] = [self.message(i, "en") for i in self._issues]
        df["detail"] = [self._detail(i, "en") for i in self._issues]
        df["row"] = df["row"].astype("Int64")
        return df[cols]

    def summary(self, lang: str = "de") -> pd.DataFrame:
        """Issues for people: file, location, severity, reason, respondent, value, rows,
        detail (translated), sorted by severity (rejected first), then file."""
        cols = ["file", "location", "severity", "reason", "reason_key", "respondent", "value",
                "rows", "detail"]  # fmt: skip
        if not self._issues:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        order = {s: i for i, s in enumerate(SEVERITIES)}
        items = sorted(self._issues, key=lambda i: (order[i["severity"]], i["file"]))
        return pd.DataFrame(
            {
                "file": [i["file"] for i in items],
                "location": [self.location(i, lang) for i in items],
                "severity": [t(f"report.severity.{i['severity']}", lang) for i in items],
                "reason": [t(f"quest.reason.{i['reason']}", lang) for i in items],
                "reason_key": [i["reason"] for i in items],
                "respondent": [i["respondent"] for i in items],
                "value": [i["value"] for i in items],
                "rows": np.array([i["rows"] for i in items], dtype="int64"),
                "detail": [self._detail(i, lang) for i in items],
            }
        )

    def count(self, severity: str | None = None, reason: str | None = None) -> int:
        """Rows affected by issues of a severity and/or reason."""
        return int(
            sum(
                i["rows"]
                for i in self._issues
                if (severity is None or i["severity"] == severity)
                and (reason is None or i["reason"] == reason)
            )
        )

    def n_issues(self, severity: str | None = None, reason: str | None = None) -> int:
        """Number of recorded issues of a severity and/or reason."""
        return sum(
            1
            for i in self._issues
            if (severity is None or i["severity"] == severity)
            and (reason is None or i["reason"] == reason)
        )

    @property
    def has_problems(self) -> bool:
        """True when anything was rejected or flagged with a warning."""
        return any(i["severity"] in ("rejected", "warning") for i in self._issues)

    def files(self, check: bool = True) -> pd.DataFrame:
        """Per file: respondent, role, status (used/rejected/ignored), rows_in,
        rows_accepted, rows_rejected. With ``check``, ``in = accepted + rejected`` is
        asserted (a bug otherwise, never a data problem)."""
        cols = ["file", "respondent", "role", "status", "rows_in", "rows_accepted",
                "rows_rejected"]  # fmt: skip
        recs = [{"file": f, **{c: v.get(c) for c in cols[1:]}} for f, v in self._files.items()]
        df = pd.DataFrame(recs, columns=cols)
        for c in ("rows_in", "rows_accepted", "rows_rejected"):
            df[c] = pd.to_numeric(df[c]).fillna(0).astype("int64")
        if check:
            bad = df["rows_in"] != df["rows_accepted"] + df["rows_rejected"]
            if bad.any():
                raise AssertionError(
                    "questionnaire import does not reconcile (in != accepted + rejected):\n"
                    + df[bad].to_string()
                )
        return df

    def __repr__(self) -> str:
        counts = ", ".join(f"{s}={self.n_issues(s)}" for s in SEVERITIES)
        return f"QuestionnaireReport(files={len(self._files)}, {counts})"


@dataclass
class QuestionnaireImport:
    """Result of :func:`import_questionnaires`."""

    responses: pd.DataFrame
    report: QuestionnaireReport
    source: Path | None = None
    respondents: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- writing ------------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="BFBFBF")
    return {
        "title": Font(bold=True, size=14, color="1F5F99"),
        "bold": Font(bold=True),
        "muted": Font(italic=True, color="555555"),
        "header_font": Font(bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor="1F5F99"),
        "lever_fill": PatternFill("solid", fgColor="E8F0F8"),
        "input_fill": PatternFill("solid", fgColor="FFF2CC"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="top"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


def header_labels(lang: str) -> dict[str, str]:
    """Column headers of the question table in ``lang`` (``quest.col.<column>``)."""
    return {c: _ID_HEADER if c == "question_id" else t(f"quest.col.{c}", lang) for c in COLUMNS}


def build_workbook(
    catalog: LeverCatalog,
    lang: str = "de",
    client_name: str = "",
    client_id: str = "",
    respondent: str | None = None,
    role: str | None = None,
):  # noqa: ANN201 - openpyxl Workbook
    """The questionnaire as an openpyxl ``Workbook`` (see :func:`write_questionnaire`)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    check_language(lang)
    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = t("quest.sheet.questions", lang)

    ws["A1"] = (
        t("quest.title", lang, client=client_name) if client_name else t("quest.title_plain", lang)
    )
    ws["A1"].font = st["title"]
    ws["A2"] = t("quest.hint", lang, min=SCORE_MIN, max=SCORE_MAX)
    ws["A2"].font = st["muted"]
    fields = (
        (4, "quest.field.respondent", respondent),
        (5, "quest.field.role", role_name(role, lang) if role else None),
        (6, "quest.field.date", None),
    )
    for r, key, value in fields:
        ws.cell(r, 1, t(key, lang)).font = st["bold"]
        cell = ws.cell(r, 2, value)
        cell.fill = st["input_fill"]
        cell.border = st["border"]
    role_list = ",".join(role_name(r, lang) for r in ROLES)
    dv_role = DataValidation(
        type="list",
        formula1=f'"{role_list}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="information",
        errorTitle=t("quest.role_error_title", lang),
        error=t("quest.role_error", lang),
    )
    ws.add_data_validation(dv_role)
    dv_role.add("B5")

    header_row = 8
    labels = header_labels(lang)
    for j, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(header_row, j, labels[c])
        cell.font = st["header_font"]
        cell.fill = st["header_fill"]
        cell.alignment = st["wrap"]
        cell.border = st["border"]
    first = header_row + 1
    for i, q in enumerate(catalog.questions):
        r = first + i
        values = (q.id, lever_name(q.lever, lang), q.text(lang))
        for j, v in enumerate(values, start=1):
            cell = ws.cell(r, j, v)
            cell.alignment = st["wrap"]
            cell.border = st["border"]
            if j < 3:
                cell.fill = st["lever_fill"]
        for j in range(4, 8):
            cell = ws.cell(r, j)
            cell.fill = st["input_fill"]
            cell.border = st["border"]
            cell.alignment = st["center"] if j < 7 else st["wrap"]
    last = first + len(catalog.questions) - 1
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(str(s) for s in range(SCORE_MIN, SCORE_MAX + 1)) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=t("quest.score_error_title", lang),
        error=t("quest.score_error", lang, min=SCORE_MIN, max=SCORE_MAX),
        showInputMessage=True,
        promptTitle=t("quest.score_prompt_title", lang),
        prompt=t("quest.score_prompt", lang),
    )
    ws.add_data_validation(dv)
    if last >= first:
        dv.add(f"D{first}:F{last}")
    for letter, width in zip("ABCDEFG", (16, 24, 70, 12, 12, 12, 45), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"D{first}"

    # instructions
    wi = wb.create_sheet(t("quest.sheet.instructions", lang), 0)
    wi.column_dimensions["A"].width = 14
    wi.column_dimensions["B"].width = 55
    wi.column_dimensions["C"].width = 45
    wi["A1"] = ws["A1"].value
    wi["A1"].font = st["title"]
    r = 3
    for k in ("quest.instr.1", "quest.instr.2", "quest.instr.3", "quest.instr.4", "quest.instr.5"):
        wi.cell(r, 1, t(k, lang, sheet=ws.title, min=SCORE_MIN, max=SCORE_MAX))
        wi.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        wi.cell(r, 1).alignment = st["wrap"]
        wi.row_dimensions[r].height = 32
        r += 1
    r += 1
    heads = (t("quest.anchor.score", lang), t("quest.anchor.maturity", lang),
             t("quest.anchor.importance", lang))  # fmt: skip
    for j, h in enumerate(heads, start=1):
        cell = wi.cell(r, j, h)
        cell.font = st["header_font"]
        cell.fill = st["header_fill"]
    for s in range(SCORE_MIN, SCORE_MAX + 1):
        r += 1
        wi.cell(r, 1, s).alignment = st["center"]
        wi.cell(r, 2, t(f"quest.anchor.maturity.{s}", lang)).alignment = st["wrap"]
        wi.cell(r, 3, t(f"quest.anchor.importance.{s}", lang)).alignment = st["wrap"]
    r += 2
    wi.cell(r, 1, t("quest.instr.levers", lang)).font = st["bold"]
    for lever in dict.fromkeys(q.lever for q in catalog.questions):
        r += 1
        wi.cell(r, 1, lever_name(lever, lang))
        wi.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)

    meta = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(
        (
            ("format", FORMAT_NAME),
            ("version", FORMAT_VERSION),
            ("lang", lang),
            ("client", client_id),
            ("questions", len(catalog.questions)),
        ),  # fmt: skip
        start=1,
    ):
        meta.cell(i, 1, k)
        meta.cell(i, 2, v)
    meta.sheet_state = "hidden"
    wb.active = 1
    return wb


def _fix_timestamps(wb: Any) -> None:
    """Fixed document timestamps, so that regenerated files have the same content."""
    import datetime as dt

    stamp = dt.datetime(2025, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "kk_helpers"


def write_questionnaire(
    path: str | Path,
    catalog: LeverCatalog | None = None,
    lang: str = "de",
    client_name: str = "",
    client_id: str = "",
) -> Path:
    """Write an empty questionnaire (XLSX) for interviewees.

    Args:
        path: file to write (folders are created).
        catalog: questions to ask; default the built-in catalog.
        lang: language of all texts.
        client_name: shown in the title.
        client_id: stored in the hidden ``_meta`` sheet.

    Returns:
        The path written.

    >>> import tempfile
    >>> p = write_questionnaire(Path(tempfile.mkdtemp()) / "q.xlsx", lang="en")
    >>> p.suffix
    '.xlsx'
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    wb = build_workbook(catalog or build_catalog(), lang, client_name, client_id)
    _fix_timestamps(wb)
    wb.save(p)
    return p


def default_questionnaire_name(lang: str) -> str:
    """File name of the blank questionnaire, e.g. ``Fragebogen_Kleinkundenmanagement.xlsx``."""
    return t("quest.filename", lang) + ".xlsx"


def questionnaire_command(
    client: str | Path, lang: str | None = None, out: str | Path | None = None
) -> int:
    """``kk questionnaire CLIENT [--lang de|en] [--out FILE_OR_DIR]``.

    Writes the blank questionnaire for a client (catalog with the client's overrides)
    and prints where it went and where the filled files belong.

    Args:
        client: client folder or its ``client.yml``.
        lang: ``de``/``en``; default the client's language.
        out: target file (``.xlsx``) or folder; default ``reports/<client id>/``.

    Returns:
        Exit code: 0 written, 2 fatal (config problem; message on stderr).
    """
    from kk_helpers.core.paths import default_output_dir

    try:
        cfg = load_config(resolve_config_path(client), check_files=False)
        language = check_language(lang or cfg.client.language)
        catalog = build_catalog(cfg.levers)
    except (ConfigError, ValueError) as e:
        print(str(e), file=sys.stderr)
        return 2
    target = Path(out) if out else default_output_dir(cfg.client_id)
    if target.suffix.lower() != ".xlsx":
        target = target / default_questionnaire_name(language)
    write_questionnaire(target, catalog, language, cfg.client.name, cfg.client_id)
    print(t("quest.cli.written", language, path=str(target), n=len(catalog.questions)))
    print(t("quest.cli.where", language, folder=str(questionnaire_source(cfg))))
    return 0


# --- reading ------------------------------------------------------------------------------


def _norm(text: object) -> str:
    """Casefolded text with single spaces (for matching ids, labels, questions)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    return " ".join(str(text).split()).casefold()


def _all_langs(key: str, **kw: Any) -> set[str]:
    return {_norm(t(key, lang, **kw)) for lang in LANGUAGES}


def _text_index(catalog: LeverCatalog) -> dict[str, str]:
    """Normalised question text (de and en) -> question id."""
    out: dict[str, str] = {}
    for q in catalog.questions:
        for lang in LANGUAGES:
            out.setdefault(_norm(q.text(lang)), q.id)
    return out


def questionnaire_source(config: ClientConfig) -> Path:
    """The configured questionnaire folder or CSV (absolute)."""
    p = Path(config.levers.questionnaires)
    return p if p.is_absolute() else config.base_dir / p


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("str").str.strip() == "")


def _blank_cell(x: object) -> bool:
    """:func:`_blank` of one cell value: missing or only whitespace."""
    return bool(pd.isna(x)) or str(x).strip() == ""


def _read_xlsx(
    path: Path, report: QuestionnaireReport
) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    """Rows of the question table (with ``row`` = Excel row) and the header fields."""
    from openpyxl import load_workbook

    name = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable file is reported, not raised
        report.add(name, "unreadable_file", "rejected", rows=0, detail=type(e).__name__)
        report.set_file(name, status="rejected", rows_in=0, rows_accepted=0, rows_rejected=0)
        return None
    try:
        q_names = _all_langs("quest.sheet.questions")
        skip = _all_langs("quest.sheet.instructions") | {_norm(META_SHEET)}
        sheets = [ws for ws in wb.worksheets if _norm(ws.title) in q_names]
        sheets = sheets or [ws for ws in wb.worksheets if _norm(ws.title) not in skip]
        found = None
        for ws in sheets:
            rows = list(ws.iter_rows(min_row=1, max_col=len(COLUMNS), values_only=True))
            for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
                if row and _norm(row[0]) == _norm(_ID_HEADER):
                    found = (ws, rows, i)
                    break
            if found:
                break
    finally:
        wb.close()
    if not found:
        report.add(name, "layout_unknown", "rejected", rows=0)
        report.set_file(name, status="rejected", rows_in=0, rows_accepted=0, rows_rejected=0)
        return None
    ws, rows, h = found
    fields: dict[str, Any] = {"sheet": ws.title, "respondent": None, "role": None,
                              "respondent_row": None, "role_row": None}  # fmt: skip
    resp_labels = _all_langs("quest.field.respondent")
    role_labels = _all_langs("quest.field.role")
    for i, row in enumerate(rows[:h]):
        label = _norm(row[0]) if row else ""
        value = row[1] if row and len(row) > 1 else None
        if label in resp_labels:
            fields["respondent"], fields["respondent_row"] = value, i + 1
        elif label in role_labels:
            fields["role"], fields["role_row"] = value, i + 1
    body = [tuple(r) + (None,) * (len(COLUMNS) - len(r)) for r in rows[h + 1 :]]
    frame = pd.DataFrame(body, columns=list(COLUMNS), dtype=object)
    frame.insert(0, "row", np.arange(h + 2, h + 2 + len(frame), dtype="int64"))
    empty = pd.concat([_blank(frame[c]) for c in COLUMNS], axis=1).all(axis=1)
    return frame[~empty].reset_index(drop=True), fields


def _clean_rows(
    frame: pd.DataFrame,
    file: str,
    respondent: str,
    catalog: LeverCatalog,
    report: QuestionnaireReport,
    csv: bool,
) -> tuple[pd.DataFrame, int]:
    """Validate one respondent's rows; returns (accepted rows, rejected row count).

    Vectorised checks; issues are recorded per flagged cell.
    """
    col_name = (lambda c: c) if csv else (lambda c: _LETTER[c])
    out = frame.copy()
    # scores: numbers 1-5, else left empty (corrected)
    for c in SCORES:
        s = out[c]
        blank = _blank(s)
        num = pd.to_numeric(
            s.astype("str").str.strip().str.replace(",", ".", regex=False), errors="coerce"
        ).where(~blank)
        not_num = ~blank & num.isna()
        out_range = num.notna() & ((num < SCORE_MIN) | (num > SCORE_MAX))
        for reason, mask in (("score_not_number", not_num), ("score_out_of_range", out_range)):
            for r, v in zip(out.loc[mask, "row"], s[mask], strict=True):
                report.add(file, reason, "corrected", row=r, column=col_name(c),
                           respondent=respondent, value=v, csv=csv)  # fmt: skip
        out[c] = num.where(~out_range).astype("float64")
    # questions: by id, else by text
    ids = out["question_id"].map(lambda x: "" if _blank_cell(x) else str(x).strip())
    known_ids = {q.id for q in catalog.questions}
    by_text = _text_index(catalog)
    text_norm = out["question"].map(_norm)
    known = ids.isin(known_ids)
    text_id = text_norm.map(by_text)
    matched = ~known & text_id.notna()
    for r, v in zip(out.loc[matched, "row"], ids[matched], strict=True):
        report.add(file, "question_matched_by_text", "corrected", row=r,
                   column=col_name("question_id"), respondent=respondent, value=v, csv=csv)  # fmt: skip
    qid = ids.where(known, text_id)
    expected = qid.map(
        lambda i: (
            {_norm(catalog.question(i).text(lg)) for lg in LANGUAGES}
            if isinstance(i, str) and catalog.question(i) is not None
            else set()
        )
    )
    renamed = (
        known
        & (text_norm != "")
        & ~pd.Series(
            [tn in ex for tn, ex in zip(text_norm, expected, strict=True)], index=out.index
        )
    )
    for r, v in zip(out.loc[renamed, "row"], qid[renamed], strict=True):
        report.add(file, "question_renamed", "warning", row=r, column=col_name("question"),
                   respondent=respondent, value=v, csv=csv)  # fmt: skip
    unknown = qid.isna()
    for r, v, q in zip(out.loc[unknown, "row"], ids[unknown], out.loc[unknown, "question"],
                       strict=True):  # fmt: skip
        shown = v or (str(q)[:60] if q is not None and not pd.isna(q) else "")
        report.add(file, "unknown_question", "rejected", row=r,
                   column=col_name("question_id"), respondent=respondent, value=shown, csv=csv)  # fmt: skip
    out["question_id"] = qid
    dup = ~unknown & out["question_id"].duplicated(keep="first")
    for r, v in zip(out.loc[dup, "row"], out.loc[dup, "question_id"], strict=True):
        report.add(file, "duplicate_question", "rejected", row=r,
                   column=col_name("question_id"), respondent=respondent, value=v, csv=csv)  # fmt: skip
    keep = ~unknown & ~dup
    acc = out[keep].copy()
    lever_of = {q.id: q.lever for q in catalog.questions}
    acc["lever"] = acc["question_id"].map(lever_of)
    comment = acc["comment"]
    acc["comment"] = comment.where(~_blank(comment)).map(
        lambda x: None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x).strip()
    )
    unanswered = acc[list(SCORES)].isna().all(axis=1)
    if unanswered.any():
        rows = [int(r) for r in acc.loc[unanswered, "row"]]
        report.add(file, "unanswered", "info", rows=len(rows), respondent=respondent,
                   row_list=rows, csv=csv)  # fmt: skip
    missing = [q.id for q in catalog.questions if q.id not in set(acc["question_id"])]
    if missing and not unanswered.all():
        report.add(file, "question_missing", "warning", rows=0, respondent=respondent,
                   detail=f"{len(missing)}: " + ", ".join(missing), csv=csv)  # fmt: skip
    return acc, int((~keep).sum())


def _empty_responses() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in RESPONSE_COLUMNS})
    return df.astype({"row": "int64", **{c: "float64" for c in SCORES}})


def _finish_respondent(
    rows: pd.DataFrame, file: str, respondent: str, role: str, report: QuestionnaireReport,
    location: tuple[int | None, str | None], csv: bool,
) -> pd.DataFrame | None:  # fmt: skip
    """Empty-file check: the respondent's accepted rows with their names, or None."""
    answered = rows[list(SCORES)].notna().any(axis=1)
    if not answered.any():
        report.add(file, "empty_file", "rejected", rows=len(rows), respondent=respondent,
                   row=location[0] if csv else None, csv=csv)  # fmt: skip
        return None
    return rows.assign(respondent=respondent, role=role, file=file)


def _read_csv_long(
    path: Path, catalog: LeverCatalog, report: QuestionnaireReport
) -> tuple[list[tuple[str, str, pd.DataFrame, int, int]], int, int] | None:
    """Respondent groups of a long CSV.

    Returns ``(groups, rows_in, rows_rejected_without_respondent)`` with groups
    ``(respondent, role, accepted rows, rows_in, rows_rejected)``, or None when the file
    is unusable (already recorded as rejected).
    """
    name = path.name
    try:
        raw = _read_csv_text(path)
    except Exception as e:  # noqa: BLE001 - any unreadable file is reported, not raised
        report.add(name, "unreadable_file", "rejected", rows=0, detail=type(e).__name__)
        report.set_file(name, status="rejected", rows_in=0, rows_accepted=0, rows_rejected=0)
        return None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in CSV_REQUIRED if c not in raw.columns]
    if missing:
        report.add(name, "csv_missing_columns", "rejected", rows=len(raw),
                   detail=", ".join(missing))  # fmt: skip
        report.set_file(name, status="rejected", rows_in=len(raw), rows_accepted=0,
                        rows_rejected=len(raw))  # fmt: skip
        return None
    for c in COLUMNS:
        if c not in raw.columns:
            raw[c] = None
    raw.insert(0, "row", np.arange(2, 2 + len(raw), dtype="int64"))
    no_resp = _blank(raw["respondent"])
    for r in raw.loc[no_resp, "row"]:
        report.add(name, "missing_respondent", "rejected", row=int(r), column="respondent",
                   csv=True)  # fmt: skip
    groups = []
    rest = raw[~no_resp].copy()
    rest["respondent"] = rest["respondent"].astype("str").map(lambda x: " ".join(x.split()))
    for resp, g in rest.groupby("respondent", sort=False):
        roles = g["role"].where(~_blank(g["role"])).dropna()
        role = role_key(roles.iloc[0]) if len(roles) else ROLE_UNKNOWN
        if not len(roles):
            report.add(name, "missing_role", "warning", row=int(g["row"].iloc[0]), column="role",
                       respondent=str(resp), csv=True)  # fmt: skip
        acc, rej = _clean_rows(g[["row", *COLUMNS]], name, str(resp), catalog, report, csv=True)
        groups.append((str(resp), role, acc, len(g), rej))
    return groups, len(raw), int(no_resp.sum())


def _read_csv_text(path: Path) -> pd.DataFrame:
    """A small CSV as text columns: encoding utf-8(-sig) or cp1252, delimiter ; , or tab."""
    data = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text else ""
    sep = max((";", ",", "\t"), key=first.count)
    import io

    return pd.read_csv(io.StringIO(text), sep=sep, dtype="str", keep_default_na=False,
                       na_values=[""])  # fmt: skip


def import_questionnaires(
    source: str | Path | ClientConfig,
    catalog: LeverCatalog | None = None,
) -> QuestionnaireImport:
    """Import all filled questionnaires of a client.

    Args:
        source: the client's config (uses ``levers.questionnaires`` and its catalog),
            a folder with ``*.xlsx`` / ``*.csv`` files, or one long CSV file.
        catalog: questions to match against; default from the config (or built-in).

    Returns:
        :class:`QuestionnaireImport` with ``responses`` (see module docstring; files in
        name order, rows in file order), ``report`` (every problem, counted) and
        ``respondents`` (one row per used respondent: ``respondent``, ``role``,
        ``file``, ``answered`` = questions with at least one score).
        A missing folder gives no responses and one ``layout_unknown``-free report with
        no files (the notebook says that no questionnaires were found).

    >>> imp = import_questionnaires(Path("/nonexistent"))
    >>> len(imp.responses), imp.report.n_issues()
    (0, 0)
    """
    if isinstance(source, ClientConfig):
        catalog = catalog or build_catalog(source.levers)
        src = questionnaire_source(source)
    else:
        catalog = catalog or build_catalog()
        src = Path(source)
    report = QuestionnaireReport()
    if src.is_dir():
        paths = sorted(p for p in src.iterdir() if p.is_file())
    elif src.is_file():
        paths = [src]
    else:
        return QuestionnaireImport(_empty_responses(), report, src, _respondent_frame(None))

    accepted: list[pd.DataFrame] = []
    seen: dict[str, str] = {}  # normalised respondent name -> file

    def admit(rows: pd.DataFrame, file: str, resp: str, role: str,
              loc: tuple[int | None, str | None], csv: bool) -> bool:  # fmt: skip
        """Empty and duplicate checks for one respondent; True when the rows are used."""
        done = _finish_respondent(rows, file, resp, role, report, loc, csv)
        if done is None:
            return False
        key = _norm(resp)
        if key in seen:
            report.add(file, "duplicate_respondent", "rejected", row=loc[0], column=loc[1],
                       rows=len(rows), respondent=resp, value=resp, csv=csv,
                       detail_key="quest.detail.first_in", detail_kw={"file": seen[key]})  # fmt: skip
            return False
        seen[key] = file
        accepted.append(done)
        return True

    for path in paths:
        name = path.name
        suffix = path.suffix.lower()
        if name.startswith(("~$", ".")) or suffix not in (".xlsx", ".xlsm", ".csv"):
            report.add(name, "file_ignored", "info", rows=0)
            report.set_file(name, status="ignored", rows_in=0, rows_accepted=0, rows_rejected=0)
            continue
        if suffix == ".csv":
            read_csv = _read_csv_long(path, catalog, report)
            if read_csv is None:
                continue
            groups, rows_in, n_rej = read_csv
            n_acc, names = 0, []
            for resp, role, acc, g_in, g_rej in groups:
                first_row = int(acc["row"].min()) if len(acc) else None
                if admit(acc, name, resp, role, (first_row, "respondent"), True):
                    n_acc += len(acc)
                    n_rej += g_rej
                    names.append(resp)
                else:
                    n_rej += g_in
            report.set_file(name, respondent=", ".join(names), role="",
                            status="used" if n_acc else "rejected", rows_in=rows_in,
                            rows_accepted=n_acc, rows_rejected=n_rej)  # fmt: skip
            continue
        read = _read_xlsx(path, report)
        if read is None:
            continue
        frame, fields = read
        rows_in = len(frame)
        resp_raw = fields["respondent"]
        if _blank_cell(resp_raw):
            resp = path.stem
            report.add(name, "missing_respondent", "warning", row=fields["respondent_row"],
                       column="B", respondent=resp)  # fmt: skip
        else:
            resp = " ".join(str(resp_raw).split())
        role = role_key(fields["role"])
        if role == ROLE_UNKNOWN:
            report.add(name, "missing_role", "warning", row=fields["role_row"], column="B",
                       respondent=resp)  # fmt: skip
        acc, rej = _clean_rows(frame, name, resp, catalog, report, csv=False)
        if admit(acc, name, resp, role, (fields["respondent_row"], "B"), False):
            report.set_file(name, respondent=resp, role=role, status="used", rows_in=rows_in,
                            rows_accepted=len(acc), rows_rejected=rej)  # fmt: skip
        else:
            report.set_file(name, respondent=resp, role=role, status="rejected",
                            rows_in=rows_in, rows_accepted=0, rows_rejected=rows_in)  # fmt: skip

    if accepted:
        responses = pd.concat(accepted, ignore_index=True)[list(RESPONSE_COLUMNS)]
        responses = responses.astype({"row": "int64", **{c: "float64" for c in SCORES}})
        for c in ("respondent", "role", "file", "question_id", "lever"):
            responses[c] = responses[c].astype("str")
    else:
        responses = _empty_responses()
    report.files()  # reconciliation check
    return QuestionnaireImport(responses, report, src, _respondent_frame(responses))


def _respondent_frame(responses: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["respondent", "role", "file", "answered"]
    if responses is None or responses.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols}).astype(
            {"answered": "int64"}
        )
    answered = responses[list(SCORES)].notna().any(axis=1)
    g = responses.assign(_a=answered).groupby(["respondent", "role", "file"], sort=False)
    return g["_a"].sum().astype("int64").rename("answered").reset_index()


def anonymize_respondents(frame: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """Copy of a frame with ``respondent`` replaced by "Befragte/r 1", "Respondent 2", …

    Numbers follow the order of first appearance, so they are the same across the
    tables built from one import. Frames without ``respondent`` are returned as they are.

    >>> anonymize_respondents(pd.DataFrame({"respondent": ["X", "Y", "X"]}), "en")[
    ...     "respondent"].tolist()
    ['Respondent 1', 'Respondent 2', 'Respondent 1']
    """
    if "respondent" not in frame.columns:
        return frame
    codes, _ = pd.factorize(frame["respondent"])
    out = frame.copy()
    prefix = t("quest.anon_respondent", lang)
    out["respondent"] = [f"{prefix} {c + 1}" if c >= 0 else None for c in codes]
    return out


# --- sample questionnaires ----------------------------------------------------------------

#: Fictional interviewees of the sample client: (name, role key).
SAMPLE_RESPONDENTS: tuple[tuple[str, str], ...] = (
    ("Dr. Karin Vogel", "management"),
    ("Thomas Brenner", "sales_manager"),
    ("Sabine Keller", "field_sales"),
    ("Stefan Huber", "field_sales"),
    ("Melanie Bauer", "inside_sales"),
    ("Petra Zimmermann", "customer_service"),
    ("Lukas Schmid", "marketing"),
    ("Andreas Roth", "it"),
)

# the client's "true" current maturity and the target most people aim for, per lever
_SAMPLE_BASE: dict[str, tuple[float, float, float]] = {
    # lever: (current, target, importance)
    "customers": (2.6, 4.2, 4.0),
    "offering": (2.4, 3.6, 3.0),
    "conditions": (1.8, 3.8, 4.3),
    "coverage": (2.0, 4.0, 4.4),
    "channels": (2.5, 4.3, 4.2),
    "it": (2.4, 3.8, 3.4),
    "organisation": (1.7, 3.7, 3.9),
    "cooperations": (1.9, 2.9, 2.4),
}
# role biases (current, target, importance) per lever: where roles see it differently
_SAMPLE_BIAS: dict[str, dict[str, tuple[float, float, float]]] = {
    "management": {"customers": (0.8, 0.3, 0.3), "organisation": (0.9, 0.2, 0.0),
                   "it": (0.6, 0.0, 0.0)},
    "sales_manager": {"customers": (0.6, 0.2, 0.2), "coverage": (0.5, -0.2, 0.0)},
    "field_sales": {"coverage": (1.8, -0.8, -1.2), "conditions": (0.6, -1.2, -1.6),
                    "channels": (0.6, -0.6, -1.0), "cooperations": (0.2, -0.5, -0.6)},
    "inside_sales": {"coverage": (-0.4, 0.4, 0.5), "channels": (-0.5, 0.3, 0.6),
                     "organisation": (-0.4, 0.4, 0.6), "it": (-0.6, 0.4, 0.5)},
    "customer_service": {"it": (-1.1, 0.5, 0.8), "conditions": (-0.3, 0.4, 0.4),
                         "offering": (-0.5, 0.3, 0.4)},
    "marketing": {"channels": (-0.3, 0.6, 0.6), "it": (-0.4, 0.5, 0.6),
                  "customers": (-0.4, 0.3, 0.3)},
    "it": {"it": (2.0, 0.5, 0.4), "channels": (1.0, 0.2, 0.0)},
}  # fmt: skip
# pain points: (respondent index, question id, comment)
_SAMPLE_COMMENTS: tuple[tuple[int, str, str], ...] = (
    (0, "customers.q4", "Wir wollen unabhängiger von den zehn größten Kunden werden."),
    (0, "organisation.q1", "Ein eigenes Kleinkundenteam ist angedacht, aber nicht entschieden."),
    (1, "customers.q1", "Die ABC-Klassen im ERP sind seit Jahren nicht aktualisiert."),
    (1, "coverage.q2", "Es gibt keine Besuchsregeln; jeder Außendienstler plant selbst."),
    (1, "conditions.q2", "Mindestbestellwert von 50 € steht in den AGB, wird aber nie berechnet."),
    (2, "coverage.q1", "Viele kleine Kunden wollen den persönlichen Besuch, sonst gehen sie."),
    (2, "conditions.q3", "Zuschläge kosten uns Kunden – der Wettbewerb verlangt keine."),
    (3, "coverage.q2", "Ich fahre oft 80 km für einen Auftrag über 200 €."),
    (3, "channels.q2", "Ältere Kunden bestellen lieber per Telefon oder Fax."),
    (4, "coverage.q1", "Wir könnten viel mehr Kleinkunden aktiv anrufen, wenn wir Zeit hätten."),
    (4, "organisation.q2", "Unklar, wer für Kleinkunden ohne Außendienstbetreuer zuständig ist."),
    (4, "it.q1", "Auftragsstatus erfragen die Kunden telefonisch – das bindet viel Zeit."),
    (5, "it.q1", "Lieferstatus muss ich in drei Systemen nachsehen."),
    (
        5,
        "offering.q4",
        "Sonderwünsche kleiner Kunden (Musterteile, Expresslieferung) sind kostenlos.",
    ),
    (6, "it.q4", "Newsletter gehen an alle gleich, ohne Segmentierung."),
    (6, "channels.q1", "Der Webshop ist kaum bekannt; keine Kampagne seit dem Start."),
    (7, "it.q2", "Das CRM kann Klassen abbilden, die Felder werden aber nicht gepflegt."),
    (7, "channels.q3", "Ein Kundenportal mit Rechnungen und Auftragsstatus ist technisch bereit."),
)
# realistic slips: (respondent index, question id, score column, value)
_SAMPLE_SLIPS: tuple[tuple[int, str, str, object], ...] = (
    (6, "channels.q2", "importance", 6),  # typed past the drop-down
    (7, "cooperations.q3", "current", None),  # not answered
    (7, "cooperations.q3", "target", None),
    (7, "cooperations.q3", "importance", None),
)


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                           "Ü": "Ue"})  # fmt: skip
    s = re.sub(r"[^a-z0-9]+", "_", name.translate(table).lower()).strip("_")
    return s.removeprefix("dr_")


def sample_scores(seed: int = 2025, catalog: LeverCatalog | None = None) -> pd.DataFrame:
    """Seeded scores of the sample interviewees (long: respondent, role, question_id,
    current, target, importance; integers 1-5), before slips and comments."""
    catalog = catalog or build_catalog()
    rng = np.random.default_rng(seed)
    q = catalog.questions_frame("en")[["question_id", "lever"]]
    n_q = len(q)
    frames = []
    for i, (name, role) in enumerate(SAMPLE_RESPONDENTS):
        bias = _SAMPLE_BIAS.get(role, {})
        base = np.array([_SAMPLE_BASE[lv] for lv in q["lever"]])
        b = np.array([bias.get(lv, (0.0, 0.0, 0.0)) for lv in q["lever"]])
        person = rng.normal(0.0, 0.2, size=3)  # personal leniency per scale
        noise = rng.normal(0.0, 0.5, size=(n_q, 3))
        x = base + b + person + noise
        cur = np.clip(np.rint(x[:, 0]), 1, 5)
        tgt = np.clip(np.maximum(np.rint(x[:, 1]), cur), 1, 5)
        imp = np.clip(np.rint(x[:, 2]), 1, 5)
        frames.append(
            pd.DataFrame(
                {
                    "respondent": name,
                    "role": role,
                    "question_id": q["question_id"].to_numpy(),
                    "current": cur.astype("int64"),
                    "target": tgt.astype("int64"),
                    "importance": imp.astype("int64"),
                    "_i": i,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def generate_sample_questionnaires(
    out_dir: str | Path,
    seed: int = 2025,
    lang: str = "de",
    client_name: str = "Muster Industriebedarf GmbH",
    client_id: str = "muster",
) -> list[Path]:
    """Write the filled questionnaires of the sample client (reproducible).

    Eight fictional interviewees in seven roles (management, sales manager, two field
    reps, inside sales, customer service, marketing, IT) with role-specific views
    (field reps rate market coverage much higher than inside sales does, IT rates IT
    higher than customer service, ...), seeded noise, pain-point comments and two
    realistic slips (an importance typed as 6, one unanswered question).

    Args:
        out_dir: folder to write into (created; existing sample files are overwritten).
        seed: random seed.
        lang: questionnaire language.
        client_name, client_id: as in the sample ``client.yml``.

    Returns:
        Paths written, in respondent order (``01_<name>.xlsx``, ...).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    catalog = build_catalog()
    scores = sample_scores(seed, catalog).astype({c: object for c in SCORES})
    for i, qid, col, value in _SAMPLE_SLIPS:
        scores.loc[(scores["_i"] == i) & (scores["question_id"] == qid), col] = value
    comments = {(i, qid): text for i, qid, text in _SAMPLE_COMMENTS}
    first = 9  # first question row of build_workbook
    paths = []
    for i, (name, role) in enumerate(SAMPLE_RESPONDENTS):
        wb = build_workbook(catalog, lang, client_name, client_id, respondent=name, role=role)
        ws = wb[t("quest.sheet.questions", lang)]
        ws["B6"] = f"2025-11-{10 + i:02d}"
        mine = scores[scores["_i"] == i].reset_index(drop=True)
        for k, row in mine.iterrows():
            r = first + int(k)
            assert ws.cell(r, 1).value == row["question_id"]
            for j, c in enumerate(SCORES, start=4):
                ws.cell(r, j, row[c])
            text = comments.get((i, row["question_id"]))
            if text:
                ws.cell(r, 7, text)
        _fix_timestamps(wb)
        p = out / f"{i + 1:02d}_{_slug(name)}.xlsx"
        wb.save(p)
        paths.append(p)
    return paths


def workbook_values(path: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """All cell values of a workbook by sheet (to compare files by content, not bytes)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


if (
    __name__ == "__main__"
):  # python -m kk_helpers.stages.levers.questionnaire data/sample/questionnaires
    target = sys.argv[1] if len(sys.argv) > 1 else "data/sample/questionnaires"
    for written in generate_sample_questionnaires(target):
        print(written)
