"""Screening outputs: ``screening.parquet`` (for notebooks 03 and 04) and ``screening.xlsx``.

* ``screening.parquet``: the screening table with canonical column names (one row per
  customer; see :class:`kk_helpers.stages.screening.analysis.ScreeningResult`).
* ``screening.xlsx`` for the client's sales team, headers in the chosen language:

  - customer list (best score first): frozen header row, auto-filter, number formats
    (money without decimals, shares as %, score with one decimal), priority class
    cells coloured like the charts (conditional formatting, so the colours follow
    when the client sorts or edits), the "why" texts and the smart-account flag;
  - weights used (criterion, kind, direction, normalisation, weight, share, missing,
    status), plus the criteria left out for lack of data (status says what is missing);
  - class summary (per priority class and per service level) and the capacity check.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.excel import Sheet, column_kind, write_workbook
from kk_helpers.core.i18n import ROLE_SCOPES, check_language, label, t
from kk_helpers.metrics import scoring as S
from kk_helpers.stages.customer_years import yearly_view
from kk_helpers.stages.screening import analysis as SC
from kk_helpers.stages.screening import tables as SCT

PARQUET_NAME = "screening.parquet"
XLSX_NAME = "screening.xlsx"

#: Columns of the customer-list sheet, in order (those present are written).
LIST_COLUMNS: tuple[str, ...] = (
    SC.RANK,
    C.CUSTOMER_ID,
    C.NAME,
    C.INDUSTRY,
    C.REGION,
    C.SALES_REP,
    S.SCORE,
    SC.PRIORITY_CLASS,
    SC.SERVICE_LEVEL,
    SC.RECOMMENDED_CHANNEL,
    SC.SMART_ACCOUNT,
    SC.QUADRANT,
    SC.WHY_UP,
    SC.WHY_DOWN,
    SC.ABC_CLASS,
    C.CURRENT_CLASS,
    "revenue_last_year",
    C.REVENUE_TOTAL,
    C.MARGIN_TOTAL,
    "margin_pct",
    "trend",
    "potential",
    S.POTENTIAL_ESTIMATED,
    S.SHARE_OF_WALLET,
    SC.HEADROOM,
    SC.SMART_REASON,
    S.N_MISSING,
    S.MISSING_CRITERIA,
)
# Excel number formats by column (the display formats of the screening tables)
_MONEY = SCT.MONEY_COLUMNS
_PCT = SCT.PCT_COLUMNS
_DEC1 = SCT.ONE_DECIMAL
_INT = SCT.NUMBER_COLUMNS - SCT.ONE_DECIMAL - {"weight"}  # weights are shown as entered
#: Columns of the customer list left out when no customer has a value (optional data).
OPTIONAL_LIST_COLUMNS = frozenset(
    {
        C.INDUSTRY,
        C.REGION,
        C.SALES_REP,
        C.CURRENT_CLASS,
        C.MARGIN_TOTAL,
        "margin_pct",
        "trend",
        "potential",
        S.SHARE_OF_WALLET,
        SC.HEADROOM,
    }
)
_CLASS_COLORS = {"A": "0B3D6B", "B": "2F76B5", "C": "7FB0DC", "D": "C6DBEF"}
_TEXT_ON = {"A": "FFFFFF", "B": "FFFFFF", "C": "222222", "D": "222222"}


def write_parquet(result: SC.ScreeningResult, output_dir: str | Path) -> Path:
    """Write ``screening.parquet`` (canonical column names, one row per customer).

    Returns the path. Text columns are stored as strings, categories as strings.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = result.table.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype) or frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
    path = out / PARQUET_NAME
    frame.to_parquet(path, index=False)
    return path


def customer_list(
    result: SC.ScreeningResult, lang: str, *, customer_table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The customer-list sheet as a frame: best score first, values translated,
    canonical column names (headers are translated on writing). Optional columns
    without any value (e.g. margin or potential not in the data) are left out.

    With the ``customer_table`` (:attr:`PreparedClient.customer_table`) the list also
    holds, after the revenue trend, revenue, CM I, CM II and CM III per analysis year and
    the CM trends (:func:`kk_helpers.stages.customer_years.yearly_view`; CM levels
    without margin data are left out)."""
    tb = result.table.sort_values(SC.RANK, kind="stable")
    empty = {c for c in OPTIONAL_LIST_COLUMNS if c in tb.columns and tb[c].isna().all()}
    if "potential" in empty:
        empty |= {S.POTENTIAL_ESTIMATED}
    cols = [c for c in LIST_COLUMNS if c in tb.columns and c not in empty]
    df = SCT.translate_values(tb[cols], lang, SC.result_currency(result)).reset_index(drop=True)
    for col in (C.INDUSTRY, C.REGION, C.SALES_REP, C.CURRENT_CLASS):
        if col in df.columns:
            df[col] = df[col].astype("string")
    if customer_table is not None and C.CUSTOMER_ID in df.columns:
        ct = customer_table.set_index(customer_table[C.CUSTOMER_ID].astype(str))
        years = [int(m[1]) for c in ct.columns if (m := re.fullmatch(r"revenue_(\d{4})", str(c)))]
        view, missing = yearly_view(ct, sorted(years))
        keep = [c for c in view.columns if c != C.TREND and c.partition("_")[0] not in missing]
        view = view[keep].reindex(df[C.CUSTOMER_ID].astype(str).to_numpy()).reset_index(drop=True)
        at = df.columns.get_loc("trend") + 1 if "trend" in df.columns else len(df.columns)
        df = pd.concat([df.iloc[:, :at], view, df.iloc[:, at:]], axis=1)
    return df


def weights_sheet(result: SC.ScreeningResult, lang: str) -> pd.DataFrame:
    """The weights sheet: criterion label, kind, direction, normalisation, weight,
    weight share, customers without a value, status (used / not used and what data
    are missing). The criteria left out for lack of data follow the used ones, with
    their configured weight and weight share 0."""
    crit = result.criteria
    used = pd.DataFrame(
        {
            "criterion": [SC.criterion_label(str(c), lang) for c in crit.index],
            "kind": [t(f"screen.kind.{k}", lang) for k in crit["kind"]],
            "direction": [t(f"screen.direction.{d}", lang) for d in crit["direction"]],
            "normalization": [t(f"screen.norm.{n}", lang) for n in crit["normalization"]],
            "weight": crit["weight"].to_numpy(),
            "weight_share": crit["weight_share"].to_numpy(),
            "n_missing_customers": crit["n_missing"].to_numpy(),
            "status": t("screen.status.used", lang),
        }
    )
    d = result.dropped
    if d.empty:
        return used
    n = len(result.table)
    dropped = pd.DataFrame(
        {
            "criterion": [SC.criterion_label(str(c), lang) for c in d.index],
            "kind": [t(f"screen.kind.{k}", lang) for k in d["kind"]],
            "direction": [t(f"screen.direction.{v}", lang) for v in d["direction"]],
            "normalization": [t(f"screen.norm.{v}", lang) for v in d["normalization"]],
            "weight": d["weight"].to_numpy(dtype="float64"),
            "weight_share": 0.0,
            "n_missing_customers": n,
            "status": [
                t("screen.status.dropped", lang, reason=t(f"screen.source.{src}", lang))
                for src in d["source"]
            ],
        }
    )
    return pd.concat([used, dropped], ignore_index=True)


def summary_sheet(result: SC.ScreeningResult, lang: str) -> pd.DataFrame:
    """Class summary and service-level summary stacked, with a ``group`` column."""
    parts = []
    for summ, prefix in (
        (result.class_summary(), "plot.class"),
        (result.level_summary(), "screen.level."),
    ):
        s = summ.reset_index()
        key = s.columns[0]
        if prefix.endswith("."):
            s.insert(0, "group", [t(prefix + str(v), lang) for v in s[key]])
        else:
            s.insert(0, "group", [t(prefix, lang, cls=v) for v in s[key]])
        parts.append(s.drop(columns=[key]))
    return pd.concat(parts, ignore_index=True)


def _header(col: str, lang: str) -> str:
    if col == "group":
        return t("screen.col.group", lang)
    return SCT.column_label(col, lang)


def _kind(col: str) -> str | None:
    """The number-format kind of a column of the screening sheets (None: General)."""
    if col in _MONEY:
        return "money"
    if col in _PCT:
        return "pct"
    if col in _DEC1:
        return "dec1"
    if col in _INT:
        return "int"
    if col == C.CUSTOMER_ID:
        return "text"
    return None if col == "weight" else column_kind(str(col))


def _sheet(frame: pd.DataFrame, lang: str, *, coloured: tuple[str, ...] = ()) -> Sheet:
    """A screening sheet: translated headers, number format per column, widths from the
    headers and texts, class colours by conditional formatting on ``coloured`` columns
    (they follow when the client sorts or edits)."""
    headers = [_header(str(c), lang) for c in frame.columns]
    formats: dict[str, str] = {}
    widths: dict[str, float] = {}
    for col, head in zip(frame.columns, headers, strict=True):
        kind = _kind(str(col))
        if kind is not None:
            formats[head] = kind
        values = frame[col].astype("string").fillna("")
        width = max(len(head), int(values.str.len().quantile(0.95)) if len(values) else 0)
        widths[head] = min(max(width + 2, 8), 60)
    colours = {k: (colour, _TEXT_ON[k]) for k, colour in _CLASS_COLORS.items()}
    highlight = {h: colours for c, h in zip(frame.columns, headers, strict=True) if c in coloured}
    return Sheet(
        frame.set_axis(headers, axis=1), formats, wrap=(), header_fill="1F5F99",
        header_height=30, widths=widths, infer=False, highlight=highlight,
    )  # fmt: skip


def sheet_names(lang: str) -> dict[str, str]:
    """Translated sheet names: customers, weights, classes, capacity."""
    return {
        k: t(f"screen.sheet.{k}", lang)[:31]
        for k in ("customers", "weights", "classes", "capacity")
    }


def write_xlsx(
    result: SC.ScreeningResult,
    output_dir: str | Path,
    lang: str = "de",
    *,
    customer_table: pd.DataFrame | None = None,
) -> Path:
    """Write ``screening.xlsx`` (customer list, weights, class summary, capacity).

    Every sheet has number formats per column and a print set-up (A4 landscape, one
    page wide, header row repeated); written by :func:`kk_helpers.core.excel.write_workbook`
    (streamed, atomic).

    Args:
        result: the screening.
        output_dir: folder to write into (created if needed).
        lang: language of headers, sheet names and texts.
        customer_table: the prepared customer table; with it the customer list holds
            revenue and CM I-III per analysis year and their trends.

    Returns:
        The path of the workbook.
    """
    check_language(lang)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / XLSX_NAME
    currency = SC.result_currency(result)
    names = sheet_names(lang)
    cust = customer_list(result, lang, customer_table=customer_table)
    cap = result.capacity.reset_index()
    cap["role"] = [label(str(r), lang, scopes=ROLE_SCOPES) for r in cap["role"]]
    sheets = {
        names["customers"]: _sheet(cust, lang, coloured=(SC.PRIORITY_CLASS, SC.ABC_CLASS)),
        names["weights"]: _sheet(weights_sheet(result, lang), lang),
        names["classes"]: _sheet(summary_sheet(result, lang), lang),
        names["capacity"]: _sheet(cap.replace({np.nan: None}), lang),
    }
    return write_workbook(path, sheets, lang=lang, currency=currency)


def write_screening(
    result: SC.ScreeningResult,
    output_dir: str | Path,
    lang: str = "de",
    *,
    customer_table: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Write both outputs; returns ``{"parquet": path, "xlsx": path}`` (``customer_table``:
    see :func:`write_xlsx`)."""
    return {
        "parquet": write_parquet(result, output_dir),
        "xlsx": write_xlsx(result, output_dir, lang, customer_table=customer_table),
    }
