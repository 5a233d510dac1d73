"""Stage 1, status quo: every table and figure input of notebook 01 in one call.

:func:`analyse_status_quo` composes the metric modules (concentration, classes,
profitability, orders, development, structure, findings) on a prepared client, so
the notebook only displays results. :func:`write_status_quo_excel` writes the
client's Excel workbook of the stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import format_number
from kk_helpers.core.i18n import label, t
from kk_helpers.metrics import classes as cls
from kk_helpers.metrics import concentration as conc
from kk_helpers.metrics import development as dev
from kk_helpers.metrics import orders as ords
from kk_helpers.metrics import profitability as prof
from kk_helpers.metrics import structure as struct
from kk_helpers.stages.prepare import PreparedClient
from kk_helpers.stages.status_quo import findings as fnd

STRUCTURE_DIMENSIONS = (C.INDUSTRY, C.REGION, C.SIZE_BAND, C.MAIN_CHANNEL, C.SALES_REP)


@dataclass(frozen=True)
class StatusQuo:
    """Results of the status-quo analysis (stage 1) for one client.

    Shares are 0–1, money in the client's currency, ``classes`` A/B/C/D by revenue
    (ABC on the total over the analysis years, D = inactive or small in the last year).
    """

    lang: str
    currency: str
    years: list[int]
    customers: pd.DataFrame  # customer table + class, xyz, cv, size_band (indexed by customer_id)
    classes: pd.Series
    concentration: pd.DataFrame
    pareto: pd.DataFrame
    lorenz: pd.DataFrame
    gini: float
    profile: pd.DataFrame
    current_comparison: pd.DataFrame | None
    current_agreement: float | None
    xyz: pd.DataFrame
    abc_xyz: pd.DataFrame
    profit: pd.DataFrame
    whale: pd.DataFrame
    whale_summary: dict[str, Any]
    orders: pd.DataFrame
    processing_cost_per_order: float
    margin_pct: float
    break_even: float
    below: pd.DataFrame
    order_sizes: pd.DataFrame
    frequency: pd.DataFrame
    channel_orders: pd.DataFrame
    channel_revenue: pd.DataFrame
    yearly: pd.DataFrame
    yearly_classes: pd.DataFrame
    migration: pd.DataFrame
    flow: pd.DataFrame
    structure: dict[str, pd.DataFrame] = field(default_factory=dict)
    key_findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    has_margin: bool = True  # the transactions carry a contribution margin (or cost)
    has_channel: bool = True  # the transactions carry a sales channel


def channel_mix(orders: pd.DataFrame, classes: pd.Series, weight: str = "orders") -> pd.DataFrame:
    """Share of each channel per class, by number of orders or by revenue.

    Args:
        orders: one row per order (:func:`kk_helpers.metrics.orders.order_table`) with
            ``customer_id``, ``channel`` and ``value``; orders with value ≤ 0 are left out.
        classes: class per customer, indexed by customer id.
        weight: ``"orders"`` (count) or ``"revenue"`` (sum of order values).

    Returns:
        DataFrame indexed by class (A–D order), one column per channel, rows sum to 1.
        Orders without a channel are shown as ``"unknown"``.

    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "channel": ["webshop", "edi", "webshop"],
    ...                   "value": [10.0, 30.0, 5.0]})
    >>> float(channel_mix(o, pd.Series({"a": "A", "b": "C"}), "revenue").loc["A", "edi"])
    0.75
    """
    if weight not in ("orders", "revenue"):
        raise ValueError(f"weight must be 'orders' or 'revenue', got {weight!r}")
    return _mix(_class_channel_frame(orders, classes), weight)


def _class_channel_frame(orders: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Orders with value > 0 of customers with a class: ``class``, ``channel`` and the
    weights ``orders`` (1 per order) and ``revenue`` (order value); built once for both
    channel mixes."""
    o = orders.loc[orders[C.VALUE] > 0]
    channel = o[C.CHANNEL].astype(object).where(o[C.CHANNEL].notna(), "unknown").astype(str)
    frame = pd.DataFrame(
        {
            C.CLASS: cls.class_of_rows(o[C.CUSTOMER_ID], classes),
            C.CHANNEL: channel.to_numpy(),
            "orders": np.ones(len(o)),
            "revenue": o[C.VALUE].to_numpy(dtype=float),
        }
    )
    return frame.dropna(subset=[C.CLASS])


def _mix(frame: pd.DataFrame, weight: str) -> pd.DataFrame:
    """Channel shares per class from :func:`_class_channel_frame`, weighted by ``weight``."""
    table = frame.pivot_table(
        index=C.CLASS, columns=C.CHANNEL, values=weight, aggfunc="sum", fill_value=0.0
    )
    order = [c for c in C.CHANNELS if c in table.columns] + sorted(
        set(table.columns) - set(C.CHANNELS)
    )
    table = table[order]
    table = table.div(table.sum(axis=1), axis=0)
    table = table.reindex(cls.class_order(table.index))
    table.columns.name = None
    return table


def class_migration(
    customer_table: pd.DataFrame, yearly: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """Customers moving between classes from the first to the last analysis year.

    Customers that only became customers after the first year (``customer_since``
    after it, or else their first purchase) start in the row ``new`` instead of D;
    a ``lost`` column that would be all zero (inactive customers are D) is left out.

    Args:
        customer_table: indexed by customer id, with ``first_purchase`` and optionally
            ``customer_since``.
        yearly: class per customer and year (:func:`kk_helpers.metrics.classes.yearly_classes`).
        years: analysis years.

    Returns:
        Counts, rows = class in the first year, columns = class in the last year.
    """
    first, last = years[0], years[-1]
    start = yearly[first].astype(object)
    since = pd.Series(pd.NaT, index=customer_table.index, dtype="datetime64[ns]")
    if C.CUSTOMER_SINCE in customer_table.columns:
        since = pd.to_datetime(customer_table[C.CUSTOMER_SINCE], errors="coerce")
    since = since.fillna(pd.to_datetime(customer_table[C.FIRST_PURCHASE], errors="coerce"))
    joined_later = (since.dt.year > first) & (start == C.CLASSES[-1])
    start = start.mask(joined_later.reindex(start.index, fill_value=False))
    matrix = cls.migration_matrix(start.dropna(), yearly[last])  # missing start = "new"
    if C.CLASS_LOST in matrix.columns and not matrix[C.CLASS_LOST].any():
        matrix = matrix.drop(columns=C.CLASS_LOST)
    return matrix


def data_basis(prep: PreparedClient, lang: str) -> pd.DataFrame:
    """Key facts of the data: period, customers, lines, orders, revenue, margin.

    Returns a two-column table (label, value as formatted text) in ``lang``.
    """
    from kk_helpers.core.formatting import format_money, format_number

    cfg = prep.config
    cur = cfg.client.currency
    ct = prep.customer_table
    tx = prep.transactions
    years = cfg.analysis.years
    active_last = int((ct[C.year_col("revenue", years[-1])] > 0).sum())
    rows = [
        ("basis.period", f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])),
        ("basis.customers", format_number(len(ct), lang)),
        ("basis.customers_with_tx", format_number(int(ct[C.HAS_TRANSACTIONS].sum()), lang)),
        ("basis.active_last_year", format_number(active_last, lang)),
        ("basis.lines", format_number(len(tx), lang)),
        ("basis.orders", format_number(float(ct[C.ORDERS_TOTAL].sum()), lang)),
        ("basis.revenue", format_money(float(tx[C.REVENUE].sum()), lang, cur)),
        ("basis.margin", format_money(float(ct[C.MARGIN_TOTAL].sum(min_count=1)), lang, cur)),
        ("basis.activities", format_number(len(prep.activities), lang)),
    ]
    return pd.DataFrame(
        {t("sq.col.value", lang): [v for _, v in rows]},
        index=pd.Index([t(k, lang, year=years[-1]) for k, _ in rows], name=t("sq.col.label", lang)),
    )


def reconciliation_table(prep: PreparedClient, lang: str):
    """The reconciliation per file, formatted, translated headers (rows and revenue in = used + rejected)."""
    from kk_helpers.core.formatting import style_table

    rec = prep.reconciliation.copy()
    rec["table"] = [t(f"table.{x}", lang) for x in rec["table"]]
    rec = rec.set_index("table")
    rec.index.name = t("recon.table", lang)
    return style_table(
        rec,
        lang,
        money_cols=["revenue_in", "revenue_accepted", "revenue_rejected"],
        number_cols=["rows_in", "rows_accepted", "rows_rejected"],
        currency=prep.config.client.currency,
        decimals={c: 2 for c in ("revenue_in", "revenue_accepted", "revenue_rejected")},
        labels={c: t(f"recon.{c}", lang) for c in rec.columns},
    )


def validation_table(prep: PreparedClient, lang: str):
    """Validation issues by reason (translated), formatted; an empty table when clean."""
    from kk_helpers.core.formatting import style_table

    cols = ["table", "file", "severity", "reason", "column", "rows", "revenue", "examples"]
    frame = prep.validation_summary[[c for c in cols if c in prep.validation_summary.columns]]
    return style_table(
        frame,
        lang,
        money_cols=["revenue"],
        number_cols=["rows"],
        currency=prep.config.client.currency,
        decimals={"revenue": 2},
        labels={c: t(f"vt.{c}", lang) for c in frame.columns},
        hide_index=True,
    )


def analyse_status_quo(prep: PreparedClient, lang: str) -> StatusQuo:
    """Run every status-quo computation on a prepared client.

    Args:
        prep: output of :func:`kk_helpers.stages.prepare.prepare_client`.
        lang: "de" or "en" (size-band labels and findings).

    Returns:
        :class:`StatusQuo` with all tables; see its fields.
    """
    cfg = prep.config
    years = list(cfg.analysis.years)
    settings = cfg.classes
    currency = cfg.client.currency
    ct = cls.index_by_customer(prep.customer_table)

    classes = cls.abc_d_classes(ct, settings, years)
    revenue = ct[C.REVENUE_TOTAL]
    concentration = conc.concentration_summary(revenue)
    profile = cls.class_profile(ct, classes)

    comparison, agreement = None, None
    if C.CURRENT_CLASS in ct.columns and ct[C.CURRENT_CLASS].notna().any():
        comparison = cls.compare_with_current(classes, ct[C.CURRENT_CLASS])
        agreement = comparison.attrs["agreement"]

    monthly = cls.monthly_revenue(prep.transactions, years, customer_ids=ct.index)
    xyz = cls.xyz_classes(monthly, tuple(settings.xyz_thresholds))
    abc_xyz = cls.abc_xyz_matrix(classes, xyz)

    profit = prof.profit_by_class(ct, classes)
    whale = prof.whale_curve(ct[C.CM3])
    whale_summary = prof.whale_summary(ct[C.CM3], curve=whale)

    orders = ords.order_table(prep.transactions)
    has_margin = C.MARGIN in prep.transactions.columns and prep.transactions[C.MARGIN].notna().any()
    # one definition with notebook 04: last analysis year, orders with value > 0
    econ = ords.order_economics(
        orders, year=cfg.last_year, order_processing=cfg.cost_rates.order_processing
    )
    processing_cost, margin_pct, break_even = econ.cost_per_order, econ.margin_pct, econ.break_even
    below = ords.orders_below_thresholds(
        orders, cfg.orders.value_thresholds, cfg.cost_rates.order_processing
    )
    sizes = ords.order_sizes_by_class(orders, classes)
    class_channel = _class_channel_frame(orders, classes)
    frequency = ords.order_frequency(orders, classes, years)

    yearly = dev.yearly_by_class(ct, classes, years)
    yearly_cls = cls.yearly_classes(ct, years, settings)
    migration = class_migration(ct, yearly_cls, years)
    flow = dev.customer_flow(ct, years)

    table = ct.copy()
    table[C.CLASS] = classes
    table[C.CV] = xyz[C.CV]
    table[C.XYZ] = xyz[C.XYZ]
    edge = partial(format_number, lang=lang)
    table[C.SIZE_BAND] = struct.size_band(table, number_format=edge)
    structure = {
        dim: struct.structure_table(table, dim, number_format=edge)
        for dim in STRUCTURE_DIMENSIONS
        if dim in table.columns and table[dim].notna().any()
    }
    key = fnd.key_findings(
        lang,
        currency,
        concentration=concentration,
        profile=profile,
        whale=whale_summary,
        below=below,
        flow=flow,
    )
    return StatusQuo(
        lang=lang,
        currency=currency,
        years=years,
        customers=table,
        classes=classes,
        concentration=concentration,
        pareto=conc.pareto_curve(revenue),
        lorenz=conc.lorenz_curve(revenue),
        gini=float(concentration.set_index(C.METRIC).loc["gini", C.VALUE]),
        profile=profile,
        current_comparison=comparison,
        current_agreement=agreement,
        xyz=xyz,
        abc_xyz=abc_xyz,
        profit=profit,
        whale=whale,
        whale_summary=whale_summary,
        orders=orders,
        processing_cost_per_order=processing_cost,
        margin_pct=margin_pct,
        break_even=break_even,
        below=below,
        order_sizes=sizes,
        frequency=frequency,
        channel_orders=_mix(class_channel, "orders"),
        channel_revenue=_mix(class_channel, "revenue"),
        yearly=yearly,
        yearly_classes=yearly_cls,
        migration=migration,
        flow=flow,
        structure=structure,
        key_findings=key,
        has_margin=has_margin,
        has_channel=C.CHANNEL in prep.transactions.columns
        and bool(prep.transactions[C.CHANNEL].notna().any()),
    )


def customer_list(sq: StatusQuo) -> pd.DataFrame:
    """The customer list for the client's sales team: master data, KPIs and classes.

    Column headers are translated into ``sq.lang``; sorted by revenue, largest first.
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
    headers = {c: label(c, sq.lang) for c in out.columns}
    return out.rename(columns=headers)


def write_status_quo_excel(sq: StatusQuo, path: str | Path) -> Path:
    """Write ``status_quo.xlsx``: key findings, class profile, profitability, customer list.

    Sheets have translated names and headers, a frozen header row and filters.
    Returns the path written.
    """
    from kk_helpers.core.excel import write_workbook

    lang = sq.lang
    profile = sq.profile.copy()
    profile.index.name = t("sq.sheet.class", lang)
    sheets = {
        t("sq.sheet.key_findings", lang): sq.key_findings.reset_index(drop=True).rename(
            columns={"label": t("sq.col.label", lang), "value": t("sq.col.value", lang)}
        ),
        t("sq.sheet.class_profile", lang): profile.reset_index().rename(
            columns=lambda c: label(str(c), lang)
        ),
        t("sq.sheet.profitability", lang): sq.profit.reset_index().rename(
            columns=lambda c: label(str(c), lang)
        ),
        t("sq.sheet.orders", lang): sq.below.rename(columns=lambda c: label(str(c), lang)),
        t("sq.sheet.customers", lang): customer_list(sq),
    }
    return write_workbook(Path(path), sheets)


# --- display-ready tables (pandas Stylers with translated headers) -------------------


def _styled(
    frame: pd.DataFrame,
    sq: StatusQuo,
    money: tuple[str, ...] = (),
    pct: tuple[str, ...] = (),
    number: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
    index_label: str | None = None,
):
    from kk_helpers.core.formatting import styled_table

    return styled_table(frame, sq.lang, sq.currency, money, pct, number, decimals, index_label)


def concentration_table(sq: StatusQuo):
    """Concentration metrics (Gini, HHI, top-k shares) as a formatted two-column table."""
    from kk_helpers.core.formatting import format_money, format_number, format_pct

    lang = sq.lang
    s = sq.concentration.set_index(C.METRIC)[C.VALUE]
    shown = {
        "gini": format_number(s["gini"], lang, 2),
        "hhi": format_number(s["hhi"], lang, 4),
        "hhi_normalised": format_number(s["hhi_normalised"], lang, 4),
        "top1_share": format_pct(s["top1_share"], lang, 1),
        "top5_share": format_pct(s["top5_share"], lang, 1),
        "top10_share": format_pct(s["top10_share"], lang, 1),
        "top10pct_share": format_pct(s["top10pct_share"], lang, 1),
        "top20pct_share": format_pct(s["top20pct_share"], lang, 1),
        "customers_for_80pct": format_number(s["customers_for_80pct"], lang),
        "customers_for_80pct_share": format_pct(s["customers_for_80pct_share"], lang, 1),
        "total": format_money(s["total"], lang, sq.currency),
    }
    return pd.DataFrame(
        {t("sq.col.value", lang): list(shown.values())},
        index=pd.Index([label(k, lang) for k in shown], name=t("sq.col.label", lang)),
    )


def profile_table(sq: StatusQuo):
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
        money=("revenue", "cost_to_serve", "cm3"),
        pct=tuple(c for c in cols if c.endswith("_share")),
        number=("customers",),
        index_label=t("sq.sheet.class", sq.lang),
    )


def profit_table(sq: StatusQuo):
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
        money=money,
        pct=pct,
        number=("customers", "unprofitable"),
        index_label=t("sq.sheet.class", sq.lang),
    )


def orders_below_table(sq: StatusQuo):
    """Orders below each value threshold: count, shares and processing cost, formatted."""
    frame = sq.below.set_index("threshold")
    frame = frame.copy()
    frame.index = [_money_label(x, sq) for x in frame.index]
    frame.index.name = label("threshold", sq.lang)
    return _styled(
        frame,
        sq,
        money=("revenue", "processing_cost"),
        pct=("orders_share", "revenue_share", "processing_cost_share"),
        number=("orders",),
    )


def frequency_table(sq: StatusQuo):
    """Orders per customer and year and order values per class, formatted."""
    return _styled(
        sq.frequency,
        sq,
        money=("median_order_value", "mean_order_value"),
        number=("customers", "customers_ordering", "orders", "orders_per_customer_year"),
        decimals={"orders_per_customer_year": 1},
        index_label=t("sq.sheet.class", sq.lang),
    )


def structure_styled(sq: StatusQuo, dim: str):
    """One structure table (customers and revenue by industry, region, …), formatted."""
    return _styled(
        sq.structure[dim],
        sq,
        money=("revenue", "revenue_per_customer"),
        pct=("share", "revenue_share"),
        number=("customers",),
        index_label=label(dim, sq.lang),
    )


def flow_table(sq: StatusQuo):
    """Active, new and lost customers per year with their revenue, formatted."""
    frame = sq.flow.set_index(C.YEAR) if C.YEAR in sq.flow.columns else sq.flow
    return _styled(
        frame,
        sq,
        money=("revenue", "revenue_new", "revenue_lost"),
        number=("active", "new", "reactivated", "retained", "lost"),
        index_label=t("sq.col.year", sq.lang),
    )


def _money_label(x: float, sq: StatusQuo) -> str:
    from kk_helpers.core.formatting import format_money

    return "< " + format_money(x, sq.lang, sq.currency)


def current_class_table(sq: StatusQuo) -> pd.DataFrame | None:
    """Crosstab revenue class × the client's own class with translated axis labels."""
    if sq.current_comparison is None:
        return None
    table = sq.current_comparison.copy()
    rename = {c: t(f"class.{c}", sq.lang) for c in ("none", "new", "lost")}
    table = table.rename(index=rename, columns=rename)
    table.index.name = label(C.CURRENT_CLASS, sq.lang)
    table.columns.name = label(C.CLASS, sq.lang)
    return table


def key_figures_table(sq: StatusQuo) -> pd.DataFrame:
    """The key figures (label, formatted value) with translated headers."""
    frame = sq.key_findings.set_index("label")[["value"]]
    frame.index.name = t("sq.col.label", sq.lang)
    return frame.rename(columns={"value": t("sq.col.value", sq.lang)})


# --- structure: only the dimensions the client's data have ---------------------------


def structure_tables(sq: StatusQuo) -> list:
    """Formatted structure tables for industry and sales rep, where the data have them."""
    return [structure_styled(sq, dim) for dim in (C.INDUSTRY, C.SALES_REP) if dim in sq.structure]


def missing_data_notes(prep: PreparedClient, lang: str) -> list[str]:
    """Sentences naming the optional data the client did not deliver and what is left out.

    Checks contribution margin, channel, order id, activities, cost rates and the
    customer master's descriptive columns.
    """
    tx = prep.transactions
    ct = prep.customer_table
    notes = []

    def has(frame: pd.DataFrame, col: str) -> bool:
        return col in frame.columns and bool(frame[col].notna().any())

    if not has(tx, C.MARGIN):
        notes.append(t("sq.missing.margin", lang))
    if not has(tx, C.CHANNEL):
        notes.append(t("sq.missing.channel", lang))
    if not has(tx, C.ORDER_ID):
        notes.append(t("sq.missing.order_id", lang))
    if len(prep.activities) == 0:
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
