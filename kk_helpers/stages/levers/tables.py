"""Stage 3 display tables: codes of the assessment turned into text for people.

Each ``*_display`` function returns a DataFrame whose columns are result names (codes)
and whose values are translated (lever names, roles, lights, verdicts) and rounded;
:func:`styled` styles it for the notebook (headers via
:func:`kk_helpers.core.i18n.label` in the ``lever.col`` scope, numbers in the report
language via :func:`kk_helpers.core.formatting.styled_table`), :func:`headers` gives it
translated headers for the Excel workbook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kk_helpers.core.formatting import format_money, format_number, format_pct, styled_table
from kk_helpers.core.i18n import check_language, label, t
from kk_helpers.metrics.figures import DEFINITIONS
from kk_helpers.stages.figure_text import format_value
from kk_helpers.stages.levers.catalog import LEVERS, LeverCatalog, lever_name, role_name

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from kk_helpers.stages.levers.assessment import LeverAssessment

#: Translation scopes of stage-3 column headers (``lever.col.<name>``, then the
#: questionnaire's ``quest.col.<name>``).
SCOPES = ("lever.col", "quest.col")
#: Decimals of the numeric columns of the display tables.
DECIMALS: dict[str, int] = {
    "rank": 0,
    "current_mean": 1,
    "target_mean": 1,
    "gap": 1,
    "importance_mean": 1,
    "priority": 1,
    "current_std": 2,
    "role_range": 1,
    "n_respondents": 0,
    "answered": 0,
}


def column_label(name: str, lang: str) -> str:
    """Header of a stage-3 column (``lever.col.<name>``, then the common scopes).

    >>> column_label("verdict", "en")
    'Interview vs. data'
    """
    return label(name, lang, scopes=SCOPES)


def headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with translated column headers (names without a label kept)."""
    return frame.rename(columns={c: column_label(str(c), lang) for c in frame.columns})


def styled(frame: pd.DataFrame, lang: str, *, decimals: dict[str, int] | None = None) -> Styler:
    """A display table styled for the notebook: translated headers, numbers in ``lang``.

    Args:
        frame: a ``*_display`` table.
        lang: "de" or "en".
        decimals: digits per numeric column; default :data:`DECIMALS`.
    """
    digits = DECIMALS if decimals is None else decimals
    number = [c for c in frame.columns if c in digits]
    return styled_table(frame, lang, number=number, decimals=digits, labeler=column_label,
                        hide_index=frame.index.name is None)  # fmt: skip


def _value_text(value: float, unit: str, lang: str, currency: str) -> str:
    if unit == "share":
        return format_pct(value, lang)
    if unit == "points":
        if not np.isfinite(value):
            return format_pct(value, lang)
        return t(
            "lever.unit.points",
            lang,
            value=format_number(100 * value, lang, decimals=1, signed=True),
        )
    if unit == "money":
        return format_money(value, lang, currency)
    return format_number(value, lang, decimals=1)


def indicator_texts(
    indicators: pd.DataFrame, catalog: LeverCatalog, lang: str, *, currency: str = "EUR"
) -> pd.DataFrame:
    """Display texts of indicator rows (same index as ``indicators``).

    Returns:
        ``lever_name``, ``label`` (catalog label), ``value_text`` (formatted by unit),
        ``light_text`` (``lever.light.<light>``), ``note_text`` (``lever.note.<note>``,
        empty without a note) and, when ``indicators`` has ``verdict``,
        ``verdict_text`` (``lever.verdict.<verdict>``).
    """
    check_language(lang)
    labels = {i.id: i.label(lang) for i in catalog.indicators}
    out = pd.DataFrame(index=indicators.index)
    out["lever_name"] = [lever_name(x, lang) for x in indicators["lever"]]
    out["label"] = [labels.get(i, i) for i in indicators["indicator"]]
    out["value_text"] = [
        format_value(i, v, lang, currency=currency) if i in DEFINITIONS and np.isfinite(v)
        else _value_text(v, u, lang, currency)
        for i, v, u in zip(indicators["indicator"], indicators["value"], indicators["unit"],
                           strict=True)
    ]  # fmt: skip
    out["light_text"] = [t(f"lever.light.{x}", lang) for x in indicators["light"]]
    out["note_text"] = [t(f"lever.note.{n}", lang) if n else "" for n in indicators["note"]]
    if "verdict" in indicators.columns:
        out["verdict_text"] = [t(f"lever.verdict.{v}", lang) for v in indicators["verdict"]]
    return out


def lever_display(a: LeverAssessment) -> pd.DataFrame:
    """Levers ranked by priority: names, scores rounded, the range of current scores."""
    lang = a.lang
    lv = a.levers.sort_values("rank")
    return pd.DataFrame(
        {
            "rank": lv["rank"].to_numpy(),
            "lever": [lever_name(x, lang) for x in lv["lever"]],
            "current_mean": lv["current_mean"].round(1).to_numpy(),
            "target_mean": lv["target_mean"].round(1).to_numpy(),
            "gap": lv["gap"].round(1).to_numpy(),
            "importance_mean": lv["importance_mean"].round(1).to_numpy(),
            "priority": lv["priority"].round(1).to_numpy(),
            "current_std": lv["current_std"].round(2).to_numpy(),
            "range": [
                f"{format_number(lo, lang, decimals=1)}–{format_number(hi, lang, decimals=1)}"
                for lo, hi in zip(lv["current_min"], lv["current_max"], strict=True)
            ],
            "n_respondents": lv["n_respondents"].to_numpy(),
        }
    )


def role_display(a: LeverAssessment, value: str = "current_mean") -> pd.DataFrame:
    """Levers × roles of one statistic (default the mean current score), rounded to 1
    decimal; index = lever names (named ``lever.col.lever``), columns = role names."""
    lang = a.lang
    if a.levers_by_role.empty:
        return pd.DataFrame()
    wide = a.levers_by_role.pivot_table(index="lever", columns="role", values=value)
    wide = wide.reindex([lv for lv in LEVERS if lv in wide.index])
    wide.index = [lever_name(x, lang) for x in wide.index]
    wide.index.name = t("col.lever", lang)
    wide.columns = [role_name(r, lang) for r in wide.columns]
    return wide.round(1)


def styled_roles(a: LeverAssessment) -> Styler:
    """:func:`role_display` styled: every role column with one decimal."""
    wide = role_display(a)
    return styled(wide, a.lang, decimals={c: 1 for c in wide.columns})


def disagreement_display(a: LeverAssessment) -> pd.DataFrame:
    """Disagreement between roles (largest range first)."""
    lang = a.lang
    d = a.disagreement
    return pd.DataFrame(
        {
            "lever": [lever_name(x, lang) for x in d["lever"]],
            "role_range": d["role_range"].astype("float64").round(1).to_numpy(),
            "high_role": [f"{role_name(r, lang)} ({format_number(m, lang, decimals=1)})"
                          for r, m in zip(d["high_role"], d["high_mean"], strict=True)],
            "low_role": [f"{role_name(r, lang)} ({format_number(m, lang, decimals=1)})"
                         for r, m in zip(d["low_role"], d["low_mean"], strict=True)],
            "current_std": d["current_std"].astype("float64").round(2).to_numpy(),
            "disagreement": [t("common.yes", lang) if x else "" for x in d["disagreement"]],
        }
    )  # fmt: skip


def indicator_display(a: LeverAssessment) -> pd.DataFrame:
    """Data indicators with their lights, the lever's mean current score and the one
    verdict of the row (:func:`.analysis.indicator_verdicts`), translated."""
    ind = a.indicators
    tx = indicator_texts(ind, a.catalog, a.lang, currency=a.currency)
    return pd.DataFrame(
        {
            "lever": tx["lever_name"].to_numpy(),
            "indicator": tx["label"].to_numpy(),
            "value": tx["value_text"].to_numpy(),
            "light": tx["light_text"].to_numpy(),
            "current_mean": ind["current_mean"].round(1).to_numpy(),
            "verdict": tx["verdict_text"].to_numpy(),
            "note": tx["note_text"].to_numpy(),
        }
    )


def indicator_plot_frame(a: LeverAssessment) -> pd.DataFrame:
    """Input of :func:`kk_helpers.present.plots.plot_indicator_lights`: the indicator rows
    with ``lever`` and ``light`` codes and the display texts ``label`` and ``value_text``
    in the assessment's language (the assessment itself holds codes and numbers)."""
    ind = a.indicators
    tx = indicator_texts(ind, a.catalog, a.lang, currency=a.currency)
    return pd.DataFrame(
        {
            "lever": ind["lever"].to_numpy(),
            "label": tx["label"].to_numpy(),
            "value_text": tx["value_text"].to_numpy(),
            "light": ind["light"].to_numpy(),
        }
    )


def indicator_sheet(a: LeverAssessment) -> pd.DataFrame:
    """All indicator fields for the Excel workbook (values, thresholds, texts, verdict)."""
    ind = a.indicators
    tx = indicator_texts(ind, a.catalog, a.lang, currency=a.currency)
    return pd.DataFrame(
        {
            "lever": tx["lever_name"],
            "indicator_id": ind["indicator"],
            "indicator": tx["label"],
            "value": ind["value"],
            "value_text": tx["value_text"],
            "unit": ind["unit"],
            "better": ind["better"],
            "green": ind["green"],
            "red": ind["red"],
            "light": tx["light_text"],
            "source": ind["source"],
            "note": tx["note_text"],
            "current_mean": ind["current_mean"].round(2),
            "verdict": tx["verdict_text"],
        }
    ).reset_index(drop=True)


def questions_display(a: LeverAssessment) -> pd.DataFrame:
    """Statistics per question with the question text and lever name, rounded to 2."""
    lang = a.lang
    q = a.questions.copy()
    texts = {x.id: x.text(lang) for x in a.catalog.questions}
    q.insert(2, "question", q["question_id"].map(texts))
    q["lever"] = [lever_name(x, lang) for x in q["lever"]]
    return q.round(2)


def by_role_display(a: LeverAssessment) -> pd.DataFrame:
    """Statistics per lever and role (long), names translated, rounded to 2."""
    lang = a.lang
    by_role = a.levers_by_role.copy()
    by_role["lever"] = [lever_name(x, lang) for x in by_role["lever"]]
    by_role["role"] = [role_name(x, lang) for x in by_role["role"]]
    return by_role.round(2)


def respondents_display(a: LeverAssessment) -> pd.DataFrame:
    """Respondents with translated roles and the number of statements they rated (the
    questionnaire files are listed on the technical appendix page, not here)."""
    lang = a.lang
    r = a.respondents
    return pd.DataFrame(
        {
            "respondent": r["respondent"].to_numpy(),
            "role": [role_name(x, lang) for x in r["role"]],
            "answered": r["answered"].to_numpy(),
        }
    )


def issues_display(a: LeverAssessment, *, with_file: bool = False) -> pd.DataFrame:
    """Questionnaire import issues (empty when there were none), by respondent.

    ``with_file``: keep the questionnaire file of each issue (``lever_assessment.xlsx``,
    for the analyst; never when anonymized: file names carry personal names). The client
    page shows the respondent and the row, not the file.
    """
    s = a.imported.report.summary(a.lang)
    if s.empty:
        return s
    drop = ["reason_key"] + ([] if with_file and not a.anonymized else ["file"])
    s = s.drop(columns=drop, errors="ignore")
    return s.drop(columns=["respondent"]) if a.anonymized else s


def comments_display(a: LeverAssessment) -> pd.DataFrame:
    """Pain points: comments in question order with lever, question and role."""
    lang = a.lang
    c = a.comments
    texts = {x.id: x.text(lang) for x in a.catalog.questions}
    return pd.DataFrame(
        {
            "lever": [lever_name(x, lang) for x in c["lever"]],
            "question": [texts.get(q, q) for q in c["question_id"]],
            "role": [role_name(r, lang) for r in c["role"]],
            "comment": c["comment"].to_numpy(),
        }
    )
