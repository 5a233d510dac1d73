"""Import the filled lever questionnaires (the blank one: :mod:`.questionnaire_write`).

**Importing** (:func:`import_questionnaires`): every ``*.xlsx`` in the client's
questionnaire folder (``levers.questionnaires``, default ``questionnaires/``) and any
long CSV there (columns :data:`~kk_helpers.stages.levers.questionnaire_format.CSV_COLUMNS`), or one long CSV named directly. Problems
never disappear: each is recorded in a
:class:`~kk_helpers.stages.levers.questionnaire_report.QuestionnaireReport` naming file and cell
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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import ClientConfig
from kk_helpers.core.i18n import LANGUAGES, t
from kk_helpers.stages.levers.catalog import (
    ROLE_UNKNOWN,
    SCORE_MAX,
    SCORE_MIN,
    LeverCatalog,
    build_catalog,
    role_key,
)
from kk_helpers.stages.levers.questionnaire_format import (
    COLUMN_LETTERS,
    COLUMNS,
    CSV_REQUIRED,
    HEADER_SCAN_ROWS,
    ID_HEADER,
    META_SHEET,
    RESPONSE_COLUMNS,
    SCORES,
    questionnaire_source,
)
from kk_helpers.stages.levers.questionnaire_report import QuestionnaireReport


@dataclass
class QuestionnaireImport:
    """Result of :func:`import_questionnaires`."""

    responses: pd.DataFrame
    report: QuestionnaireReport
    source: Path | None = None
    respondents: pd.DataFrame = field(default_factory=pd.DataFrame)


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
            for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
                if row and _norm(row[0]) == _norm(ID_HEADER):
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
    col_name = (lambda c: c) if csv else (lambda c: COLUMN_LETTERS[c])
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
    prefix = t("lever.col.respondent", lang)
    out["respondent"] = [f"{prefix} {c + 1}" if c >= 0 else None for c in codes]
    return out
