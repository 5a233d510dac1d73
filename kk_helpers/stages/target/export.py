"""Excel export of the target picture: ``measures_plan.xlsx`` (the client tracks the plan in it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.i18n import t
from kk_helpers.stages.target.analysis import PLAN_FILE, STATUSES, TargetPicture
from kk_helpers.stages.target.tables import (
    BASIS_PREFIXES,
    EFFECT_SCOPES,
    PLAN_COLUMNS,
    ROLE_PREFIXES,
    _scenario_index,
    _translate_care,
    _value,
    assumptions_frame,
    before_after_frame,
    label,
    plan_frame,
)

# --- Excel export ---------------------------------------------------------------------------


def write_measures_plan(tp: TargetPicture, out_dir: str | Path) -> Path:
    """Write ``measures_plan.xlsx`` into ``out_dir`` and return its path.

    Sheets (translated): the plan (measure, lever, owner, start, end, priority, quick
    win, status with a drop-down list, KPI, KPI target, KPI actual, comment, impact,
    effort, duration, score, id), all measures ranked, the scenario assumptions, the
    scenario effects, before/after per class and the target care model.
    """
    from openpyxl import load_workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from kk_helpers.core.excel import protect_workbook, write_workbook

    lang = tp.lang
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_frame(tp, (*PLAN_COLUMNS, "measure_id"))
    plan.insert(plan.columns.get_loc("kpi") + 1, "kpi_target", "")
    plan.insert(plan.columns.get_loc("kpi_target") + 1, "kpi_actual", "")
    plan.insert(plan.columns.get_loc("kpi_actual") + 1, "comment", "")
    ranked = tp.ranked
    all_measures = pd.DataFrame(
        {
            "rank": ranked["rank"], "measure": ranked["measure"],
            "lever": ranked["lever_name"],
            "owner": [_value(ROLE_PREFIXES, o, lang) for o in ranked["owner"]],
            "impact": ranked["impact"],
            "impact_basis": [_value(BASIS_PREFIXES, b, lang) for b in ranked["impact_basis"]],
            "effort": ranked["effort"], "months": ranked["months"], "score": ranked["score"],
            "priority": [t(f"measure.priority.{x}", lang) for x in ranked["priority"]],
            "quick_win": [t("common.yes", lang) if q else t("screen.no", lang)
                          for q in ranked["quick_win"]],
            "kpi": ranked["kpi"], "measure_id": ranked["measure_id"],
        }
    )  # fmt: skip
    effects = tp.effects.copy()
    effects.index = _scenario_index(effects.index, lang)
    effects.index.name = label("scenario", lang)
    care = _translate_care(tp.care_target, lang)
    care.index.name = label(C.CLASS, lang)

    def heads(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.rename(columns=lambda c: label(str(c), lang))

    names = {k: t(f"measure.sheet.{k}", lang) for k in
             ("plan", "all", "assumptions", "effects", "before_after", "care")}  # fmt: skip
    sheets = {
        names["plan"]: heads(plan),
        names["all"]: heads(all_measures),
        names["assumptions"]: assumptions_frame(tp),
        names["effects"]: effects.round(2)
        .reset_index()
        .rename(columns=lambda c: label(str(c), lang, scopes=EFFECT_SCOPES)),
        names["before_after"]: before_after_frame(tp),
        names["care"]: heads(care.round(2).reset_index()),
    }
    path = write_workbook(out / PLAN_FILE, sheets)
    # status drop-down on the plan sheet (the client tracks the plan in this file)
    wb = load_workbook(path)
    ws = wb[names["plan"][:31]]
    col = list(plan.columns).index("status") + 1
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col)
    options = ",".join(t(f"measure.status.{s}", lang) for s in STATUSES)
    dv = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}{max(len(plan) + 1, 2) + 50}")
    protect_workbook(wb)
    wb.save(path)
    return path
