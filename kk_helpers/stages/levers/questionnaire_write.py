"""The blank lever questionnaire (XLSX) and the sample client's filled ones.

:func:`write_questionnaire` (``kk questionnaire CLIENT``) writes one XLSX with

* an instructions sheet (what to do, the 1-5 anchors of the three scales),
* a questionnaire sheet: respondent name, role (drop-down, free text allowed) and date
  fields, then one row per question (:data:`~kk_helpers.stages.levers.questionnaire_format.COLUMNS`):
  id, lever, question, current maturity, target maturity, importance (drop-downs 1-5)
  and a comment,
* a hidden ``_meta`` sheet (format, version, language, client).

:func:`generate_sample_questionnaires` writes the filled questionnaires of the sample
client (``python -m kk_helpers.stages.levers.questionnaire_write data/sample/questionnaires``).
Filled files are read by :mod:`kk_helpers.stages.levers.questionnaire_import`.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import ConfigError, load_config, resolve_config_path
from kk_helpers.core.excel import number_format, print_setup, protect_workbook
from kk_helpers.core.i18n import check_language, label, t
from kk_helpers.stages.levers.catalog import (
    ROLES,
    SCORE_MAX,
    SCORE_MIN,
    LeverCatalog,
    build_catalog,
    lever_name,
    role_name,
)
from kk_helpers.stages.levers.questionnaire_format import (
    COLUMNS,
    FORMAT_NAME,
    FORMAT_VERSION,
    ID_HEADER,
    META_SHEET,
    SCORES,
    questionnaire_source,
)


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
        "left": Alignment(horizontal="left"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
    }


#: column widths of the question table, A to G (characters)
WIDTHS = (16, 24, 70, 11, 11, 11, 45)
#: height of one text line (points) for the row heights of wrapped texts
LINE_HEIGHT = 15


def _lines(text: object, width: float) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (estimate)."""
    n = len(str(text or ""))
    return max(1, -(-int(n * 1.1) // max(int(width) - 2, 1)))


def _row_height(texts_widths: list[tuple[object, float]], *, min_lines: int = 1) -> float:
    lines = max([min_lines, *(_lines(x, w) for x, w in texts_widths)])
    return LINE_HEIGHT * lines + 4


def _protect(ws: Any, unlocked: list[str]) -> None:
    """Protect the sheet's structure (no password): only the ``unlocked`` cells and
    ranges can be edited; rows and columns can still be resized, the sheet printed."""
    from openpyxl.styles import Protection

    for ref in unlocked:
        cells = ws[ref]
        rows = cells if isinstance(cells, tuple) else ((cells,),)
        for row in rows:
            for cell in row if isinstance(row, tuple) else (row,):
                cell.protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def header_labels(lang: str) -> dict[str, str]:
    """Column headers of the question table in ``lang`` (``quest.col.<column>``, else
    ``col.<column>``)."""
    return {
        c: ID_HEADER if c == "question_id" else label(c, lang, scopes=("quest.col",))
        for c in COLUMNS
    }


def build_workbook(
    catalog: LeverCatalog,
    *,
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
        (6, "col.date", None),
    )
    for r, key, value in fields:
        ws.cell(r, 1, t(key, lang)).font = st["bold"]
        cell = ws.cell(r, 2, value)
        cell.fill = st["input_fill"]
        cell.border = st["border"]
    ws["B6"].number_format = number_format("date", lang=lang)
    ws["B6"].alignment = st["left"]
    role_list = ",".join(role_name(r, lang) for r in ROLES)
    dv_role = DataValidation(
        type="list",
        formula1=f'"{role_list}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="information",
        errorTitle=t("col.role", lang),
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
        # wrapped statements: rows tall enough (Excel does not grow them in a new file)
        ws.row_dimensions[r].height = _row_height(
            [(values[1], WIDTHS[1]), (values[2], WIDTHS[2])], min_lines=2
        )
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
    for letter, width in zip("ABCDEFG", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"D{first}"
    ws.row_dimensions[header_row].height = _row_height(
        [(labels[c], w) for c, w in zip(COLUMNS, WIDTHS, strict=True)]
    )
    ws.row_dimensions[2].height = _row_height([(ws["A2"].value, sum(WIDTHS))])
    print_setup(ws, title_rows=f"{header_row}:{header_row}")
    ws.print_area = f"A1:G{max(last, header_row)}"
    _protect(ws, ["B4", "B5", "B6", *([f"D{first}:G{last}"] if last >= first else [])])

    # instructions
    wi = wb.create_sheet(t("quest.sheet.instructions", lang), 0)
    wi.column_dimensions["A"].width = 14
    wi.column_dimensions["B"].width = 55
    wi.column_dimensions["C"].width = 45
    wi["A1"] = ws["A1"].value
    wi["A1"].font = st["title"]
    r = 3
    for k in ("quest.instr.1", "quest.instr.2", "quest.instr.3", "quest.instr.4", "quest.instr.5"):
        text = t(k, lang, sheet=ws.title, min=SCORE_MIN, max=SCORE_MAX)
        wi.cell(r, 1, text)
        wi.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        wi.cell(r, 1).alignment = st["wrap"]
        wi.row_dimensions[r].height = _row_height([(text, 14 + 55 + 45)], min_lines=2)
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
        maturity = t(f"quest.anchor.maturity.{s}", lang)
        importance = t(f"quest.anchor.importance.{s}", lang)
        wi.cell(r, 2, maturity).alignment = st["wrap"]
        wi.cell(r, 3, importance).alignment = st["wrap"]
        wi.row_dimensions[r].height = _row_height([(maturity, 55), (importance, 45)])
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
    print_setup(wi, title_rows=None)
    _protect(wi, [])
    wb.active = 1
    from openpyxl.workbook.protection import WorkbookProtection

    wb.security = WorkbookProtection(lockStructure=True)  # no sheets added, removed, unhidden
    protect_workbook(wb)
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
    *,
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
    wb = build_workbook(
        catalog or build_catalog(), lang=lang, client_name=client_name, client_id=client_id
    )
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
    write_questionnaire(
        target, catalog, lang=language, client_name=cfg.client.name, client_id=cfg.client_id
    )
    print(t("quest.cli.written", language, path=str(target), n=len(catalog.questions)))
    print(t("quest.cli.where", language, folder=str(questionnaire_source(cfg))))
    return 0


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
    *,
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
        wb = build_workbook(catalog, lang=lang, client_name=client_name, client_id=client_id,
                            respondent=name, role=role)  # fmt: skip
        ws = wb[t("quest.sheet.questions", lang)]
        ws["B6"] = dt.date(2025, 11, 10 + i)
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
        protect_workbook(wb)
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
):  # python -m kk_helpers.stages.levers.questionnaire_write data/sample/questionnaires
    target = sys.argv[1] if len(sys.argv) > 1 else "data/sample/questionnaires"
    for written in generate_sample_questionnaires(target):
        print(written)
