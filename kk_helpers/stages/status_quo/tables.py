"""Display tables of stage 1 (status quo): formatted, translated, ready for the notebook.

Every function takes the language-free :class:`~kk_helpers.stages.status_quo.analysis.StatusQuo`
(or the prepared client) and the report language, and returns a pandas ``Styler`` or a
DataFrame with translated headers.
"""

from __future__ import annotations

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import format_number, format_pct, styled_table
from kk_helpers.core.i18n import label, t, translations
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.figure_text import figure_label, figures_frame, format_figure
from kk_helpers.stages.prepare import PreparedClient
from kk_helpers.stages.status_quo import findings as fnd
from kk_helpers.stages.status_quo.analysis import StatusQuo


def data_basis(prep: PreparedClient, lang: str) -> pd.DataFrame:
    """Key facts of the data: period, customers, lines, orders, revenue, margin.

    The number of customers and the net revenue are the registry's headline figures
    (same label and value as on every other page). Returns a two-column table (label,
    value as formatted text) in ``lang``.
    """
    from kk_helpers.core.formatting import format_money, format_number

    cfg = prep.config
    cur = cfg.client.currency
    ct = prep.customer_table
    years = cfg.analysis.years
    active_last = int((ct[C.year_col("revenue", years[-1])] > 0).sum())

    def key(k: str, value: str) -> tuple[str, str]:
        return t(k, lang, year=years[-1]), value

    def fig(code: str) -> tuple[str, str]:  # a headline figure: the registry's label and value
        return figure_label(code, lang), format_figure(prep.figures[code], lang, cur)

    rows = [
        key("basis.period", f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])),
        fig("customers"),
        key("basis.customers_with_tx", format_number(int(ct[C.HAS_TRANSACTIONS].sum()), lang)),
        key("basis.active_last_year", format_number(active_last, lang)),
        key("basis.lines", format_number(int(prep.facts["lines"]), lang)),  # type: ignore[call-overload]
        key("metric.orders", format_number(float(ct[C.ORDERS_TOTAL].sum()), lang)),
        fig("revenue_total"),
        key("basis.margin", format_money(float(ct[C.MARGIN_TOTAL].sum(min_count=1)), lang, cur)),
        # no activity file: "–" (not in the data), not 0 (a count of none recorded)
        key(
            "basis.activities",
            format_number(int(prep.facts["activities"]), lang)  # type: ignore[call-overload]
            if cfg.files.activities is not None
            else format_number(float("nan"), lang),
        ),  # fmt: skip
    ]
    return pd.DataFrame(
        {t("col.value", lang): [v for _, v in rows]},
        index=pd.Index([k for k, _ in rows], name=t("col.figure", lang)),
    )


def table_name(code: str, lang: str) -> str:
    """Name of an input table as a table cell: its translation, capitalised (English
    sentences use it lower case: "2 customers ...", a table cell starts upper case).

    >>> table_name("customers", "en"), table_name("transactions", "de")
    ('Customers', 'Transaktionen')
    """
    return _capitalised(t(f"table.{code}", lang) if f"table.{code}" in translations() else code)


def _capitalised(text: object) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def reconciliation_table(prep: PreparedClient, lang: str):
    """The reconciliation per file, formatted, translated headers (rows and revenue in = used + rejected)."""
    from kk_helpers.core.formatting import style_table

    rec = prep.reconciliation.copy()
    rec["table"] = [table_name(x, lang) for x in rec["table"]]
    rec = rec.set_index("table")
    rec.index.name = t("col.table", lang)
    return style_table(
        rec,
        lang,
        money_cols=["revenue_in", "revenue_accepted", "revenue_rejected"],
        number_cols=["rows_in", "rows_accepted", "rows_rejected"],
        currency=prep.config.client.currency,
        decimals={c: 2 for c in ("revenue_in", "revenue_accepted", "revenue_rejected")},
        labels={c: label(c, lang) for c in rec.columns},
    )


def validation_table(prep: PreparedClient, lang: str):
    """Validation issues by reason (translated), formatted; an empty table when clean."""
    from kk_helpers.core.formatting import style_table

    cols = ["table", "file", "severity", "reason", "column", "rows", "revenue", "examples"]
    frame = prep.validation_summary[[c for c in cols if c in prep.validation_summary.columns]]
    if "table" in frame.columns:  # translated lower case for sentences; a cell starts upper case
        frame = frame.assign(table=[_capitalised(x) for x in frame["table"]])
    return style_table(
        frame,
        lang,
        money_cols=["revenue"],
        number_cols=["rows"],
        currency=prep.config.client.currency,
        decimals={"revenue": 2},
        labels={c: label(c, lang) for c in frame.columns},
        hide_index=True,
    )


# --- display-ready tables (pandas Stylers with translated headers) -------------------


def _styled(
    frame: pd.DataFrame,
    sq: StatusQuo,
    lang: str,
    money: tuple[str, ...] = (),
    pct: tuple[str, ...] = (),
    number: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
    index_label: str | None = None,
):

    return styled_table(
        frame,
        lang,
        sq.currency,
        money=money,
        pct=pct,
        number=number,
        decimals=decimals,
        index_label=index_label,
    )


#: rows of the concentration table: a registry code (headline figure) or a metric of
#: :func:`~kk_helpers.metrics.concentration.concentration_summary` shown only here
CONCENTRATION_ROWS = (
    "gini",
    "hhi",
    "hhi_normalised",
    "top1_share",
    "top5_share",
    "top10_share",
    "top10pct_share",
    "top20_revenue_share",
    "customers_for_80pct",
    "customers_for_80pct_revenue",
    "revenue_total",
)


def concentration_table(sq: StatusQuo, figures: HeadlineFigures, lang: str):
    """Concentration metrics (Gini, HHI, top-k shares) as a formatted two-column table;
    the headline figures among them are read from the registry."""
    s = sq.concentration.set_index(C.METRIC)[C.VALUE]
    rows = []
    for key in CONCENTRATION_ROWS:
        if key in figures:
            rows.append((figure_label(key, lang), format_figure(figures[key], lang, sq.currency)))
        elif key in s.index:
            decimals = 4 if key == "hhi_normalised" else 1
            value = (
                format_number(s[key], lang)
                if key == "customers_for_80pct"
                else format_number(s[key], lang, decimals=decimals)
                if key.startswith("hhi")
                else format_pct(s[key], lang, decimals=decimals)
            )
            rows.append((label(key, lang), value))
    frame = pd.DataFrame(rows, columns=[t("col.figure", lang), t("col.value", lang)])
    return styled_table(frame, lang, hide_index=True)


def profile_table(sq: StatusQuo, lang: str):
    """Class profile: absolute figures and shares per class, formatted."""
    cols = [
        "customers",
        "customers_share",
        "revenue",
        "revenue_share",
        "margin_share",
        "orders_share",
        "visits_share",
        "activities_share",
        "cost_to_serve",
        "cost_to_serve_share",
        "cm3",
    ]
    frame = sq.profile[[c for c in cols if c in sq.profile.columns]]
    return _styled(
        frame,
        sq,
        lang,
        money=("revenue", "cost_to_serve", "cm3"),
        pct=tuple(c for c in cols if c.endswith("_share")),
        number=("customers",),
        index_label=t("col.class", lang),
    )


def profit_table(sq: StatusQuo, lang: str):
    """Contribution-margin ladder per class (CM I → CM II → CM III), formatted."""
    money = (
        "revenue",
        "cm1",
        "order_cost",
        "cm2",
        "activity_cost",
        "cm3",
        "cm3_per_customer",
        "cost_to_serve",
    )
    pct = ("cost_to_serve_share_cm1", "unprofitable_share")
    cols = [c for c in ("customers",) + money + pct + ("unprofitable",) if c in sq.profit.columns]
    return _styled(
        sq.profit[cols],
        sq,
        lang,
        money=money,
        pct=pct,
        number=("customers", "unprofitable"),
        index_label=t("col.class", lang),
    )


def orders_below_table(sq: StatusQuo, lang: str):
    """Orders below each value threshold: count, shares and processing cost, formatted."""
    frame = sq.below.set_index("threshold")
    frame = frame.copy()
    frame.index = [_money_label(x, sq, lang) for x in frame.index]
    frame.index.name = label("threshold", lang)
    return _styled(
        frame,
        sq,
        lang,
        money=("revenue", "processing_cost"),
        pct=("orders_share", "revenue_share", "processing_cost_share"),
        number=("orders",),
    )


def frequency_table(sq: StatusQuo, lang: str):
    """Orders per customer and year and order values per class, formatted.

    Only orders with a positive value count here (credit notes are not orders), so the
    column has its own name: "orders" elsewhere (class profile, data basis) counts every
    order of the customer table."""
    return _styled(
        sq.frequency.rename(columns={"orders": "orders_positive"}),
        sq,
        lang,
        money=("median_order_value", "mean_order_value"),
        number=("customers", "customers_ordering", "orders_positive", "orders_per_customer_year"),
        decimals={"orders_per_customer_year": 1},
        index_label=t("col.class", lang),
    )


def structure_styled(sq: StatusQuo, dim: str, lang: str):
    """One structure table (customers and revenue by industry, region, …), formatted."""
    return _styled(
        sq.structure[dim],
        sq,
        lang,
        money=("revenue", "revenue_per_customer"),
        pct=("customers_share", "revenue_share"),
        number=("customers",),
        index_label=label(dim, lang),
    )


def flow_table(sq: StatusQuo, lang: str):
    """Active, new and lost customers per year with their revenue, formatted."""
    frame = sq.flow.set_index(C.YEAR) if C.YEAR in sq.flow.columns else sq.flow
    return _styled(
        frame,
        sq,
        lang,
        money=("revenue", "revenue_new", "revenue_lost"),
        number=("active", "new", "reactivated", "retained", "lost"),
        index_label=t("col.year", lang),
    )


def _money_label(x: float, sq: StatusQuo, lang: str) -> str:
    from kk_helpers.core.formatting import format_money

    return "< " + format_money(x, lang, sq.currency)


def current_class_table(sq: StatusQuo, lang: str):
    """Crosstab of the client's own class (rows) × the revenue class (columns), customer
    counts with thousands separators, translated axis labels (the caption
    ``nb01.current.text`` says the same); None without a current class.

    Returns:
        pandas ``Styler`` (counts as whole numbers in ``lang``), or None.
    """
    if sq.current_comparison is None:
        return None
    table = sq.current_comparison.copy()
    rename = {c: t(f"class.{c}", lang) for c in ("none", "new", "lost")}
    table = table.rename(index=rename, columns=rename)
    table.index.name = label(C.CURRENT_CLASS, lang)
    table.columns.name = label(C.CLASS, lang)
    return styled_table(table, lang, number=list(table.columns), labeler=lambda c, _lang: str(c))


def key_figures_table(sq: StatusQuo, figures: HeadlineFigures, lang: str):
    """01's key figures: the registry's stage-1 figures (one definition, the same value on
    every page), then the stage's own counts (small orders, new and lost customers).

    Returns:
        pandas ``Styler`` of two translated columns (figure, value), without row index.
    """
    head = figures_frame(figures, lang, sq.currency, codes=fnd.KEY_FIGURE_CODES)
    extra = fnd.key_findings(lang, sq.currency, below=sq.below, flow=sq.flow)
    extra = pd.DataFrame(extra[["label", C.VALUE]].to_numpy(), columns=head.columns)
    return styled_table(pd.concat([head, extra], ignore_index=True), lang, hide_index=True)


# --- structure: only the dimensions the client's data have ---------------------------


def structure_tables(sq: StatusQuo, lang: str) -> list:
    """Formatted structure tables for industry and sales rep, where the data have them."""
    return [
        structure_styled(sq, dim, lang) for dim in (C.INDUSTRY, C.SALES_REP) if dim in sq.structure
    ]


def missing_data_notes(prep: PreparedClient, lang: str) -> list[str]:
    """Sentences naming the optional data the client did not deliver and what is left out.

    Checks contribution margin, channel, order id, activities, cost rates and the
    customer master's descriptive columns.
    """
    ct = prep.customer_table
    notes = []

    def has(frame: pd.DataFrame, col: str) -> bool:
        return col in frame.columns and bool(frame[col].notna().any())

    if not prep.has_data(C.MARGIN):
        notes.append(t("sq.missing.margin", lang))
    if not prep.has_data(C.CHANNEL):
        notes.append(t("sq.missing.channel", lang))
    if not prep.has_data(C.ORDER_ID):
        notes.append(t("sq.missing.order_id", lang))
    if prep.facts["activities"] == 0:
        notes.append(t("sq.missing.activities", lang))
    rates = prep.config.cost_rates
    if not rates.activities and not any(v > 0 for v in rates.order_processing.values()):
        notes.append(t("sq.missing.cost_rates", lang))
    absent = [
        label(c, lang) for c in (C.INDUSTRY, C.REGION, C.SALES_REP, C.POTENTIAL) if not has(ct, c)
    ]
    if absent:
        notes.append(t("sq.missing.master", lang, columns=", ".join(absent)))
    return notes
