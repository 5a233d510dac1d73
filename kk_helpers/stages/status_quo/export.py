"""Excel export of stage 1: ``status_quo.xlsx`` for the client's sales team.

Every number is stored as a number with a format per column (money ``#,##0 €``, shares
``0.0 %``, counts ``#,##0``); the key figures are numbers with their unit in a column of
its own; every sheet is set up for printing (:mod:`kk_helpers.core.excel`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.excel import Sheet, sheet_from
from kk_helpers.core.formatting import currency_symbol
from kk_helpers.core.i18n import label, t
from kk_helpers.metrics.figures import DEFINITIONS, HeadlineFigures
from kk_helpers.stages.customer_years import METRICS, yearly_view
from kk_helpers.stages.figure_text import figure_label, format_figure
from kk_helpers.stages.status_quo import findings as fnd
from kk_helpers.stages.status_quo.analysis import StatusQuo

#: Excel number-format kind of each figure unit of the registry
UNIT_KINDS = {"count": "int", "money": "money", "share": "pct", "index": "dec2",
              "fte": "dec1", "hours": "int"}  # fmt: skip
#: master-data columns of the customer list (those present)
MASTER_COLUMNS = (C.NAME, C.INDUSTRY, C.REGION, C.SALES_REP, C.CURRENT_CLASS)
#: totals and classes after the per-year blocks
TOTAL_COLUMNS = (C.REVENUE_TOTAL, C.MARGIN_TOTAL, C.CM1_PCT, C.ORDERS_TOTAL, C.AVG_ORDER_VALUE,
                 C.COST_TO_SERVE, C.CM3, C.CLASS, C.XYZ)  # fmt: skip


def customer_frame(sq: StatusQuo) -> tuple[pd.DataFrame, list[str]]:
    """The customer list with canonical column names, largest revenue first.

    Columns: ``customer_id``, the master data, per analysis year revenue, CM I, CM II
    and CM III (currency) each followed by its trend (share per year,
    :func:`kk_helpers.stages.customer_years.yearly_view`), then totals, class and XYZ.
    Also returns the CM levels that are not available (see ``yearly_view``).
    """
    ct = sq.customers
    master = [c for c in MASTER_COLUMNS if c in ct.columns]
    view, missing = yearly_view(ct, sq.years)
    totals = ct[[c for c in TOTAL_COLUMNS if c in ct.columns]]
    out = pd.concat([ct[master], view, totals], axis=1)
    out = out.sort_values(C.REVENUE_TOTAL, ascending=False, kind="stable")
    out = out.rename_axis(C.CUSTOMER_ID).reset_index()
    out[C.CUSTOMER_ID] = out[C.CUSTOMER_ID].astype(str)
    return out, missing


def customer_list(sq: StatusQuo, lang: str) -> pd.DataFrame:
    """The customer list for the client's sales team (:func:`customer_frame`), headers
    translated into ``lang``."""
    out, _ = customer_frame(sq)
    return out.rename(columns={c: label(c, lang) for c in out.columns})


def customer_sheet(sq: StatusQuo, lang: str) -> tuple[Sheet, list[str]]:
    """The customer list as a :class:`~kk_helpers.core.excel.Sheet` (id and name frozen,
    ids declared as text) and the CM levels not available."""
    out, missing = customer_frame(sq)
    kinds = {C.CUSTOMER_ID: "text", C.ORDERS_TOTAL: "int"}
    return sheet_from(out, lambda c: label(c, lang), kinds=kinds, freeze="C2"), missing


def customer_notes(sq: StatusQuo, missing: list[str], lang: str) -> pd.DataFrame:
    """Notes on the customer list: how the trends are computed and which CM levels are
    not available and why (their cells are empty, never 0)."""
    rows = [(t("xl.note.topic.trend", lang), t("xl.note.trend", lang))]
    for metric in (m for m in METRICS if m in missing):
        reason = (
            t("fig.reason.no_margin", lang) if not sq.has_margin else t("xl.reason.old_cache", lang)
        )
        rows.append((label(metric, lang), t("fig.not_available", lang, reason=reason)))
    return pd.DataFrame(rows, columns=[t("xl.col.topic", lang), t("col.note", lang)])


def key_figures_frame(sq: StatusQuo, figures: HeadlineFigures, lang: str) -> pd.DataFrame:
    """The key figures of stage 1 (registry codes of :data:`findings.KEY_FIGURE_CODES`):
    ``figure`` (label), ``value`` (number in the registry's unit; shares 0-1; NaN when
    not available), ``unit`` (translated word; money: the currency symbol), ``note``
    (the reason when not available) and ``kind`` (Excel number-format kind)."""
    rows = []
    for code in fnd.KEY_FIGURE_CODES:
        if code not in figures:
            continue
        f = figures[code]
        unit = DEFINITIONS[code].unit
        unit_text = currency_symbol(sq.currency) if unit == "money" else t(f"fig.unit.{unit}", lang)
        note = "" if f.available else format_figure(f, lang, sq.currency)
        value = f.value if f.available else float("nan")
        rows.append((figure_label(code, lang), value, unit_text, note, UNIT_KINDS.get(unit, "num")))
    frame = pd.DataFrame(rows, columns=["figure", "value", "unit", "note", "kind"])
    return frame.astype({"value": "float64"})


def key_figures_sheet(sq: StatusQuo, figures: HeadlineFigures, lang: str) -> pd.DataFrame:
    """The key-figures sheet: the registry's stage-1 figures as numbers with their unit
    (a "not available" figure has no number and its reason in the note column)."""
    frame = key_figures_frame(sq, figures, lang).drop(columns="kind")
    names = {"figure": "col.figure", "value": "col.value", "unit": "col.unit", "note": "col.note"}
    return frame.rename(columns={c: t(k, lang) for c, k in names.items()})


def _key_figures(sq: StatusQuo, figures: HeadlineFigures, lang: str) -> Sheet:
    frame = key_figures_frame(sq, figures, lang)
    sheet = key_figures_sheet(sq, figures, lang)
    return Sheet(sheet, {t("col.value", lang): list(frame["kind"])}, wrap=(t("col.note", lang),))


def write_status_quo_excel(
    sq: StatusQuo, path: str | Path, *, figures: HeadlineFigures, lang: str
) -> Path:
    """Write ``status_quo.xlsx``: key figures, class profile, profitability, small orders,
    the customer list (three-year view of revenue and CM I-III with trends) and notes.

    Sheets have translated names and headers, number formats per column, a frozen
    header row, filters and a print set-up (A4 landscape, one page wide, header row on
    every page). Returns the path written.
    """
    from kk_helpers.core.excel import write_workbook

    def head(c: str) -> str:
        return label(c, lang)

    profile = sq.profile.rename_axis(C.CLASS).reset_index()
    customers, missing = customer_sheet(sq, lang)
    sheets = {
        t("sq.sheet.key_findings", lang): _key_figures(sq, figures, lang),
        t("sq.sheet.class_profile", lang): sheet_from(profile, head),
        t("sq.sheet.profitability", lang): sheet_from(sq.profit.reset_index(), head),
        t("sq.sheet.orders", lang): sheet_from(sq.below, head, kinds={"threshold": "money"}),
        t("screen.sheet.customers", lang): customers,
        t("xl.sheet.notes", lang): customer_notes(sq, missing, lang),
    }
    return write_workbook(Path(path), sheets, lang=lang, currency=sq.currency)
