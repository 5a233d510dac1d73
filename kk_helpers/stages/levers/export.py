"""Stage 3 results on disk: ``lever_assessment.parquet`` and ``lever_assessment.xlsx``."""

from __future__ import annotations

from pathlib import Path

from kk_helpers.core.excel import write_workbook
from kk_helpers.core.i18n import t
from kk_helpers.stages.levers.assessment import LeverAssessment
from kk_helpers.stages.levers.tables import (
    by_role_display,
    comments_display,
    disagreement_display,
    headers,
    indicator_sheet,
    issues_display,
    lever_display,
    questions_display,
    respondents_display,
)

PARQUET_FILE = "lever_assessment.parquet"
XLSX_FILE = "lever_assessment.xlsx"


def export_lever_assessment(a: LeverAssessment, out_dir: str | Path) -> dict[str, Path]:
    """Write ``lever_assessment.parquet`` and ``lever_assessment.xlsx`` into ``out_dir``.

    The Parquet file holds :meth:`LeverAssessment.lever_table` (codes, no translated
    text; read by notebook 04). The Excel workbook has translated sheets: levers
    (ranked), questions, levers by role, disagreement, data indicators (with the verdict
    of each row), comments, respondents and import issues.

    Returns:
        ``{"parquet": path, "xlsx": path}``; ``out_dir`` is created if needed.
    """
    lang = a.lang
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pq = out / PARQUET_FILE
    a.lever_table().to_parquet(pq, index=False)
    sheets = {
        "lever.sheet.levers": lever_display(a),
        "lever.sheet.questions": questions_display(a),
        "lever.sheet.by_role": by_role_display(a),
        "lever.col.disagreement": disagreement_display(a),
        "lever.sheet.indicators": indicator_sheet(a),
        "lever.sheet.comments": comments_display(a),
        "lever.sheet.respondents": respondents_display(a),
        "lever.sheet.issues": issues_display(a),
    }
    xlsx = write_workbook(
        out / XLSX_FILE, {t(k, lang): headers(frame, lang) for k, frame in sheets.items()}
    )
    return {"parquet": pq, "xlsx": xlsx}
