"""Stage 3 results on disk: ``lever_assessment.parquet`` and ``lever_assessment.xlsx``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kk_helpers.core.excel import LIGHT_FILLS, Sheet, sheet_from, write_workbook
from kk_helpers.core.formatting import currency_symbol
from kk_helpers.core.i18n import t
from kk_helpers.stages.levers.assessment import LeverAssessment
from kk_helpers.stages.levers.tables import (
    by_role_display,
    column_label,
    comments_display,
    disagreement_display,
    indicator_sheet,
    issues_display,
    lever_display,
    questions_display,
    respondents_display,
)

PARQUET_FILE = "lever_assessment.parquet"
XLSX_FILE = "lever_assessment.xlsx"
#: Excel number-format kind of an indicator's value and thresholds, by its unit
UNIT_KINDS = {"share": "pct", "points": "pct", "money": "money", "number": "num"}
#: mean scores (1-5) with one decimal, spreads with two
_SCORE_KINDS = {
    c: "dec1"
    for c in (
        "current_mean",
        "target_mean",
        "gap",
        "importance_mean",
        "priority",
        "role_range",
        "current_min",
        "current_max",
    )
}
_SCORE_KINDS |= {"current_std": "dec2", "target_std": "dec2"}  # fmt: skip


def _unit_word(unit: str, lang: str, currency: str) -> str:
    keys = {"share": "fig.unit.share", "points": "xl.unit.points", "number": "fig.unit.count"}
    return currency_symbol(currency) if unit == "money" else t(keys[unit], lang)


def lever_sheet(a: LeverAssessment) -> pd.DataFrame:
    """The ranked levers with the range of current scores as two numbers (min, max)."""
    frame = lever_display(a)
    lv = a.levers.sort_values("rank")
    at = frame.columns.get_loc("range")
    frame = frame.drop(columns="range")
    frame.insert(at, "current_min", lv["current_min"].astype("float64").to_numpy())
    frame.insert(at + 1, "current_max", lv["current_max"].astype("float64").to_numpy())
    return frame


def indicators_excel(a: LeverAssessment) -> Sheet:
    """The data indicators: value and thresholds as numbers formatted by their unit (per
    row), unit, "better is" and source in words, the traffic light as a cell colour with
    its word."""
    lang = a.lang
    frame = indicator_sheet(a).drop(columns="value_text")
    units = frame["unit"].astype(str).tolist()
    kinds = [UNIT_KINDS.get(u, "num") for u in units]
    frame["unit"] = [_unit_word(u, lang, a.currency) if u in UNIT_KINDS else u for u in units]
    frame["better"] = [t(f"xl.better.{b}", lang) for b in frame["better"]]
    frame["source"] = [t(f"xl.source.{s}", lang) for s in frame["source"]]
    fills = {t(f"lever.light.{k}", lang): colour for k, colour in LIGHT_FILLS.items()}
    return sheet_from(
        frame,
        lambda c: column_label(c, lang),
        kinds={"value": kinds, "green": kinds, "red": kinds, "current_mean": "dec1"},
        fills={"light": fills},
    )


def _numbers(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``column`` with texts that are numbers (a raw cell value such as ``"6"``) as numbers."""
    if column not in frame.columns:
        return frame
    out = frame.copy()
    as_num = pd.to_numeric(out[column], errors="coerce")
    out[column] = [n if pd.notna(n) else v for v, n in zip(out[column], as_num, strict=True)]
    return out


def export_lever_assessment(a: LeverAssessment, out_dir: str | Path) -> dict[str, Path]:
    """Write ``lever_assessment.parquet`` and ``lever_assessment.xlsx`` into ``out_dir``.

    The Parquet file holds :meth:`LeverAssessment.lever_table` (codes, no translated
    text; read by notebook 04). The Excel workbook has translated sheets: levers
    (ranked), questions, levers by role, disagreement, data indicators (traffic light as
    a cell colour, with the verdict of each row), comments, respondents and import
    issues; numbers are numbers with a format per column, every sheet is set up for
    printing.

    Returns:
        ``{"parquet": path, "xlsx": path}``; ``out_dir`` is created if needed.
    """
    lang = a.lang
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pq = out / PARQUET_FILE
    a.lever_table().to_parquet(pq, index=False)

    def head(c: str) -> str:
        return column_label(c, lang)

    frames = {
        "lever.sheet.levers": lever_sheet(a),
        "lever.sheet.questions": questions_display(a),
        "lever.sheet.by_role": by_role_display(a),
        "lever.col.disagreement": disagreement_display(a),
        "lever.sheet.comments": comments_display(a),
        "lever.sheet.respondents": respondents_display(a),
        "lever.sheet.issues": _numbers(issues_display(a, with_file=True), "value"),
    }
    kinds = {**_SCORE_KINDS, "value": None}  # an import issue's value: the raw cell value
    sheets = {t(k, lang): sheet_from(f, head, kinds=kinds) for k, f in frames.items()}
    sheets = {
        **dict(list(sheets.items())[:4]),
        t("lever.sheet.indicators", lang): indicators_excel(a),
        **dict(list(sheets.items())[4:]),
    }
    xlsx = write_workbook(out / XLSX_FILE, sheets, lang=lang, currency=a.currency)
    return {"parquet": pq, "xlsx": xlsx}
