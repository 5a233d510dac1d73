"""Excel export of stage 1: ``status_quo.xlsx`` for the client's sales team."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.i18n import label, t
from kk_helpers.metrics.figures import DEFINITIONS, HeadlineFigures
from kk_helpers.stages.figure_text import figure_label, format_figure
from kk_helpers.stages.status_quo import findings as fnd
from kk_helpers.stages.status_quo.analysis import StatusQuo


def customer_list(sq: StatusQuo, lang: str) -> pd.DataFrame:
    """The customer list for the client's sales team: master data, KPIs and classes.

    Column headers are translated into ``lang``; sorted by revenue, largest first.
    """
    ct = sq.customers
    years = sq.years
    cols = [
        c for c in (C.NAME, C.INDUSTRY, C.REGION, C.SALES_REP, C.CURRENT_CLASS) if c in ct.columns
    ]
    cols += [C.year_col("revenue", y) for y in years]
    cols += [
        C.REVENUE_TOTAL,
        C.MARGIN_TOTAL,
        C.CM1_PCT,
        C.ORDERS_TOTAL,
        C.AVG_ORDER_VALUE,
        C.COST_TO_SERVE,
        C.CM3,
        C.TREND,
        C.CLASS,
        C.XYZ,
    ]
    out = ct[cols].sort_values(C.REVENUE_TOTAL, ascending=False).reset_index()
    headers = {c: label(c, lang) for c in out.columns}
    return out.rename(columns=headers)


def key_figures_sheet(sq: StatusQuo, figures: HeadlineFigures, lang: str) -> pd.DataFrame:
    """The key-figures sheet: the registry's stage-1 figures as numbers with their unit
    (a "not available" figure has no number and its reason in the note column)."""
    rows = []
    for code in fnd.KEY_FIGURE_CODES:
        if code not in figures:
            continue
        f = figures[code]
        unit = DEFINITIONS[code].unit
        unit_text = sq.currency if unit == "money" else t(f"fig.unit.{unit}", lang)
        note = "" if f.available else format_figure(f, lang, sq.currency)
        rows.append((figure_label(code, lang), f.value, unit_text, note))
    return pd.DataFrame(
        rows,
        columns=[t("col.figure", lang), t("col.value", lang), t("col.unit", lang),
                 t("col.note", lang)],
    ).astype({t("col.value", lang): "float64"})  # fmt: skip


def write_status_quo_excel(
    sq: StatusQuo, path: str | Path, *, figures: HeadlineFigures, lang: str
) -> Path:
    """Write ``status_quo.xlsx``: key findings, class profile, profitability, customer list.

    Sheets have translated names and headers, a frozen header row and filters.
    Returns the path written.
    """
    from kk_helpers.core.excel import write_workbook

    profile = sq.profile.copy()
    profile.index.name = t("col.class", lang)
    sheets = {
        t("sq.sheet.key_findings", lang): key_figures_sheet(sq, figures, lang),
        t("sq.sheet.class_profile", lang): profile.reset_index().rename(
            columns=lambda c: label(str(c), lang)
        ),
        t("sq.sheet.profitability", lang): sq.profit.reset_index().rename(
            columns=lambda c: label(str(c), lang)
        ),
        t("sq.sheet.orders", lang): sq.below.rename(columns=lambda c: label(str(c), lang)),
        t("screen.sheet.customers", lang): customer_list(sq, lang),
    }
    return write_workbook(Path(path), sheets)
