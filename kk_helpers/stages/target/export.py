"""Excel export of the target picture: ``measures_plan.xlsx`` (the client tracks the plan in it).

Numbers are numbers with a format per column; the assumptions are numbers with their
unit in a column of their own; every sheet is set up for printing
(:mod:`kk_helpers.core.excel`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.excel import Sheet, sheet_from
from kk_helpers.core.formatting import currency_symbol
from kk_helpers.core.i18n import t
from kk_helpers.stages.target import scenarios as S
from kk_helpers.stages.target.analysis import PLAN_FILE, STATUSES, TargetPicture
from kk_helpers.stages.target.tables import (
    BASIS_PREFIXES,
    EFFECT_SCOPES,
    PLAN_COLUMNS,
    ROLE_PREFIXES,
    _class_index,
    _scenario_index,
    _translate_care,
    _value,
    label,
    plan_frame,
)

#: Excel number-format kind and unit (``fig.unit.*``; money: the currency) of an
#: assumption kind of :data:`~kk_helpers.stages.target.scenarios.SENSITIVE`
ASSUMPTION_KINDS = {"share": ("pct", "fig.unit.share"), "money": ("money2", None),
                    "number": ("num", "xl.unit.factor")}  # fmt: skip
#: kinds of the measure, effect, before/after and care-model columns not named by
#: :func:`kk_helpers.core.excel.column_kind`
KINDS = {"score": "dec1", "impact": "int", "effort": "int", "months": "int",
         "start": "date", "end": "date", "measure_id": "text", "field_hours": "int",
         "inside_hours": "int", "customers_lost": "int", "fte_before": "dec1",
         "fte_after": "dec1", "fte_change": "dec1", "customers_change": "int",
         "visits": "num", "calls": "num", "management_hours": "dec1", "hours": "dec1",
         "order_cost": "money2"}  # fmt: skip


def assumptions_sheet(tp: TargetPicture) -> Sheet:
    """The scenario assumptions used: name, value (a number: shares 0-1, money in the
    client's currency), unit and a note (the recommended minimum order value says
    so; one that cannot be computed has no value and the reason)."""
    lang = tp.lang
    s = tp.settings
    rows: list[tuple[str, object, str, str]] = []
    kinds: list[str | None] = []
    for name, kind in S.SENSITIVE.items():
        value = getattr(s, name)
        note = ""
        if name == "minimum_order_value" and value is None:
            value = tp.result.threshold
            finite = value is not None and np.isfinite(value)
            note = (
                t("xl.note.recommended", lang) if finite else t("target.mov_not_computable", lang)
            )
            value = value if finite else None
        fmt, unit_key = ASSUMPTION_KINDS.get(kind, ("num", None))
        unit = t(unit_key, lang) if unit_key else currency_symbol(tp.currency)
        rows.append((t(f"scen.param.{name}", lang), value, unit, note))
        kinds.append(fmt)
    for name in ("small_classes", "dealer_classes"):
        rows.append((t(f"scen.param.{name}", lang), ", ".join(getattr(s, name)), "", ""))
        kinds.append(None)
    rows.append(
        (t("scen.param.hours_per_fte", lang), s.hours_per_fte, t("fig.unit.hours", lang), "")
    )
    kinds.append("int")
    value_col = label("value", lang)
    frame = pd.DataFrame(
        rows,
        columns=[label("assumption", lang), value_col, t("col.unit", lang), t("col.note", lang)],
    )
    return Sheet(frame, {value_col: kinds})


def write_measures_plan(tp: TargetPicture, out_dir: str | Path) -> Path:
    """Write ``measures_plan.xlsx`` into ``out_dir`` and return its path.

    Sheets (translated): the plan (measure, lever, owner, start, end, priority, quick
    win, status with a drop-down list, KPI, KPI target, KPI actual, comment, impact,
    effort, duration, score, id), all measures ranked, the scenario assumptions (numbers
    with unit), the scenario effects, before/after per class and the target care model.
    Dates are dates, money and counts formatted, every sheet set up for printing.
    """
    from kk_helpers.core.excel import write_workbook

    lang = tp.lang
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_frame(tp, (*PLAN_COLUMNS, "measure_id"))
    for i, col in enumerate(("kpi_target", "kpi_actual", "comment"), start=1):
        plan.insert(plan.columns.get_loc("kpi") + i, col, None)
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
    effects = effects.rename_axis("scenario").reset_index()
    before_after = tp.before_after.copy()
    before_after.index = _class_index(before_after.index, lang)
    before_after = before_after.rename_axis(C.CLASS).reset_index()
    care = _translate_care(tp.care_target, lang).rename_axis(C.CLASS).reset_index()

    def head(c: str) -> str:
        return label(c, lang)

    statuses = [t(f"measure.status.{s}", lang) for s in STATUSES]
    names = {k: t(f"measure.sheet.{k}", lang) for k in
             ("plan", "all", "assumptions", "effects", "before_after", "care")}  # fmt: skip
    sheets = {
        # status drop-down on the plan sheet (the client tracks the plan in this file)
        names["plan"]: sheet_from(plan, head, kinds=KINDS, dropdowns={"status": statuses}),
        names["all"]: sheet_from(all_measures, head, kinds=KINDS),
        names["assumptions"]: assumptions_sheet(tp),
        names["effects"]: sheet_from(
            effects,
            lambda c: label(c, lang, scopes=EFFECT_SCOPES),
            kinds={**KINDS, "order_cost": "money"},  # a change of the total, not per order
        ),
        names["before_after"]: sheet_from(before_after, head, kinds=KINDS),
        names["care"]: sheet_from(  # per customer and year: hours with a decimal
            care, head, kinds={**KINDS, "field_hours": "dec1", "inside_hours": "dec1"}
        ),
    }
    return write_workbook(out / PLAN_FILE, sheets, lang=lang, currency=tp.currency)
