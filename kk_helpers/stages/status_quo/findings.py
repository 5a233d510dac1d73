"""Generated findings: the computed numbers as short sentences in German or English.

Each ``*_findings`` function takes the output of one analysis function and returns a
list of one-sentence findings (str) for ``display.findings``. Sentences whose
numbers are missing are left out. Texts come from the translation table (keys
``finding.*``), numbers from :mod:`kk_helpers.core.formatting`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import check_language, t
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.figure_text import figure_text
from kk_helpers.stages.figures import ABC_SMALL_CLASSES, sum_over_classes


def _ok(*values: Any) -> bool:
    """All values are present and finite."""
    for v in values:
        if v is None or v is pd.NA:
            return False
        try:
            if not math.isfinite(float(v)):
                return False
        except (TypeError, ValueError):
            return False
    return True


def class_findings(profile: pd.DataFrame, figures: HeadlineFigures, lang: str) -> list[str]:
    """Findings on the class profile: what small customers bring and take.

    Args:
        profile: output of :func:`kk_helpers.metrics.classes.class_profile`.
        figures: the client's headline figures; the revenue classes' C/D shares are read
            from there (``abc_small_customer_share``, ``abc_small_revenue_share``).
        lang: "de" or "en".

    Returns:
        Sentences: C/D customers' share of customers and revenue with their share of
        visits (or of cost-to-serve when there are no visit data); A customers'
        shares; the number of D customers; first, when there are customers with
        negative net revenue (``profile.attrs["clipped_negative"]``), that they count as
        0 in the revenue shares.

    >>> p = pd.DataFrame({"customers": [2, 3, 4, 1], "customers_share": [0.2, 0.3, 0.4, 0.1],
    ...     "revenue_share": [0.8, 0.13, 0.06, 0.01], "visits_share": [0.4, 0.26, 0.3, 0.04]},
    ...     index=["A", "B", "C", "D"])
    >>> from kk_helpers.metrics.figures import Figure
    >>> f = HeadlineFigures([Figure.of("abc_small_customer_share", 0.5),
    ...                      Figure.of("abc_small_revenue_share", 0.07)])
    >>> print(class_findings(p, f, "en")[0])  # doctest: +NORMALIZE_WHITESPACE
    Customers in revenue classes C/D are 50.0% of all customers; together they bring
    7.0% of revenue and take 34% of the visits.
    """
    check_language(lang)
    out = []
    clipped = profile.attrs.get("clipped_negative") or []
    if clipped:  # negative net revenue counts as 0 in the revenue shares
        ids = ", ".join(clipped[:5]) + (", …" if len(clipped) > 5 else "")
        out.append(
            t(
                "finding.class_negative_clipped",
                lang,
                count=format_number(len(clipped), lang),
                ids=ids,
            )
        )
    cust = figures.value("abc_small_customer_share")
    rev = figures.value("abc_small_revenue_share")
    visits = sum_over_classes(profile, "visits_share", ABC_SMALL_CLASSES)
    cts = sum_over_classes(profile, "cost_to_serve_share", ABC_SMALL_CLASSES)
    if _ok(cust, rev):
        kw = {
            "customers": figure_text(figures, "abc_small_customer_share", lang),
            "revenue": figure_text(figures, "abc_small_revenue_share", lang),
        }
        if _ok(visits) and sum_over_classes(profile, "visits", ("A", "B", "C", "D")) != 0:
            out.append(t("finding.class_small_visits", lang, visits=format_pct(visits, lang), **kw))
        elif _ok(cts) and sum_over_classes(profile, "cost_to_serve", ("A", "B", "C", "D")) != 0:
            out.append(t("finding.class_small_cts", lang, cost=format_pct(cts, lang), **kw))
        else:
            out.append(t("finding.class_small", lang, **kw))
    a_cust = sum_over_classes(profile, "customers_share", ("A",))
    a_rev = sum_over_classes(profile, "revenue_share", ("A",))
    if _ok(a_cust, a_rev):
        out.append(
            t(
                "finding.class_a",
                lang,
                customers=format_pct(a_cust, lang),
                revenue=format_pct(a_rev, lang),
            )
        )
    d_n = sum_over_classes(profile, C.CUSTOMERS, ("D",))
    d_share = sum_over_classes(profile, "customers_share", ("D",))
    if _ok(d_n, d_share) and d_n > 0:
        out.append(
            t(
                "finding.class_d",
                lang,
                count=format_number(d_n, lang),
                share=format_pct(d_share, lang),
            )
        )
    return out


def _summary_dict(summary: pd.DataFrame | Mapping[str, float]) -> dict[str, float]:
    if isinstance(summary, pd.DataFrame):
        return dict(zip(summary[C.METRIC], summary[C.VALUE], strict=True))
    return dict(summary)


def concentration_findings(summary: pd.DataFrame, lang: str) -> list[str]:
    """Findings on revenue concentration.

    Args:
        summary: output of :func:`kk_helpers.metrics.concentration.concentration_summary`.
        lang: "de" or "en".

    Returns:
        Sentences: revenue share of the top 20 % of customers; how many customers
        make 80 % of revenue; the 10 largest customers' share (when there are more
        than 10); the Gini coefficient; how many negative totals were counted as 0.

    >>> from kk_helpers.metrics.concentration import concentration_summary
    >>> s = concentration_summary(pd.Series([1.0] * 8 + [10.0, 82.0]))
    >>> concentration_findings(s, "en")[0]
    'The top 20% of customers bring 92% of revenue.'
    """
    check_language(lang)
    s = _summary_dict(summary)
    out = []
    if _ok(s.get("top20pct_share")):
        out.append(
            t(
                "finding.conc_top20",
                lang,
                top=format_pct(0.2, lang),
                share=format_pct(s["top20pct_share"], lang),
            )
        )
    if _ok(s.get("customers_for_80pct"), s.get("customers_for_80pct_share")) and s.get("total", 0):
        out.append(
            t(
                "finding.conc_80",
                lang,
                count=format_number(s["customers_for_80pct"], lang),
                share=format_pct(s["customers_for_80pct_share"], lang),
                target=format_pct(0.8, lang),
            )
        )
    if _ok(s.get("top10_share")) and s.get("customers", 0) > 10:
        out.append(t("finding.conc_top10", lang, share=format_pct(s["top10_share"], lang)))
    if _ok(s.get("gini")):
        out.append(t("finding.conc_gini", lang, gini=format_number(s["gini"], lang, decimals=2)))
    if _ok(s.get("clipped_negative")) and s["clipped_negative"] > 0:
        out.append(
            t("finding.conc_clipped", lang, count=format_number(s["clipped_negative"], lang))
        )
    return out


def whale_findings(summary: Mapping[str, Any], lang: str, currency: str = "EUR") -> list[str]:
    """Findings on the whale curve.

    Args:
        summary: output of :func:`kk_helpers.metrics.profitability.whale_summary`.
        lang: "de" or "en".
        currency: ISO code for money amounts.

    Returns:
        Sentences: the peak (profitable customers' share and their CM III as % of
        the total), the unprofitable customers and the CM III they lose; or, when the
        total CM III is ≤ 0, that the customer base does not cover its cost-to-serve.

    >>> from kk_helpers.metrics.profitability import whale_summary
    >>> whale_findings(whale_summary(pd.Series([100.0, 50.0, 10.0, -60.0])), "en")[0]
    'The profitable 75% of customers earn 160% of the total contribution margin III.'
    """
    check_language(lang)
    out = []
    total = summary.get("total_profit")
    if _ok(total) and total <= 0 and summary.get("customers", 0):
        out.append(t("finding.whale_negative", lang, amount=format_money(total, lang, currency)))
    elif _ok(summary.get("peak_pct"), summary.get("peak_customer_share")):
        out.append(
            t(
                "finding.whale_peak",
                lang,
                share=format_pct(summary["peak_customer_share"], lang),
                peak=format_pct(summary["peak_pct"] / 100.0, lang),
            )
        )
    n_un = summary.get("unprofitable_customers")
    if _ok(n_un, summary.get("unprofitable_share")) and n_un > 0:
        out.append(
            t(
                "finding.whale_unprofitable",
                lang,
                count=format_number(n_un, lang),
                share=format_pct(summary["unprofitable_share"], lang),
                amount=format_money(summary["profit_lost_by_unprofitable"], lang, currency),
            )
        )
    return out


def order_findings(
    below: pd.DataFrame,
    lang: str,
    *,
    currency: str = "EUR",
    threshold: float | None = None,
    break_even: float | None = None,
) -> list[str]:
    """Findings on small orders.

    Args:
        below: output of :func:`kk_helpers.metrics.orders.orders_below_thresholds`.
        lang: "de" or "en".
        currency: ISO code for money amounts.
        threshold: the threshold to talk about (a value in ``below.threshold``);
            default the smallest.
        break_even: break-even order value (currency,
            :func:`kk_helpers.metrics.orders.break_even_order_value`), adds a sentence.

    Returns:
        Sentences: share of orders below the threshold with their revenue share and
        share of order-processing cost; the break-even order value.

    >>> b = pd.DataFrame({"threshold": [100.0], "orders": [4], "orders_share": [0.4],
    ...     "revenue": [200.0], "revenue_share": [0.05], "processing_cost": [80.0],
    ...     "processing_cost_share": [0.4]})
    >>> print(order_findings(b, "en")[0])  # doctest: +NORMALIZE_WHITESPACE
    40% of orders are below €100; they bring 5% of revenue but cause 40% of the
    order-processing cost (€80).
    """
    check_language(lang)
    out = []
    if len(below):
        rows = below[below["threshold"] == threshold] if threshold is not None else below
        if threshold is not None and rows.empty:
            raise ValueError(
                f"threshold {threshold} is not in the table: {below['threshold'].tolist()}"
            )
        row = rows.sort_values("threshold").iloc[0]
        if _ok(row["orders_share"], row["revenue_share"], row["processing_cost_share"]):
            out.append(
                t(
                    "finding.orders_below",
                    lang,
                    orders=format_pct(row["orders_share"], lang),
                    threshold=format_money(row["threshold"], lang, currency),
                    revenue=format_pct(row["revenue_share"], lang),
                    cost_share=format_pct(row["processing_cost_share"], lang),
                    cost=format_money(row["processing_cost"], lang, currency),
                )
            )
        elif _ok(row["orders_share"], row["revenue_share"]):
            out.append(
                t(
                    "finding.orders_below_no_cost",
                    lang,
                    orders=format_pct(row["orders_share"], lang),
                    threshold=format_money(row["threshold"], lang, currency),
                    revenue=format_pct(row["revenue_share"], lang),
                )
            )
    if _ok(break_even):
        out.append(t("finding.break_even", lang, value=format_money(break_even, lang, currency)))
    return out


def development_findings(flow: pd.DataFrame, lang: str, currency: str = "EUR") -> list[str]:
    """Findings on the customer flow of the last analysis year.

    Args:
        flow: output of :func:`kk_helpers.metrics.development.customer_flow`.
        lang: "de" or "en".
        currency: ISO code for money amounts.

    Returns:
        Sentences: active customers first year -> last year; new and lost customers
        of the last year with their revenue.

    >>> f = pd.DataFrame({"year": [2024, 2025], "active": [3, 3], "new": [pd.NA, 1],
    ...     "lost": [pd.NA, 1], "revenue_new": [None, 7.0], "revenue_lost": [None, 5.0]})
    >>> development_findings(f, "en")[1]
    '2025: new customers: 1 (revenue €7); lost customers: 1 (revenue in the year before €5).'
    """
    check_language(lang)
    out: list[str] = []
    if len(flow) == 0:
        return out
    first, last = flow.iloc[0], flow.iloc[-1]
    if len(flow) > 1:
        out.append(
            t(
                "finding.dev_active",
                lang,
                first_year=str(int(first[C.YEAR])),
                last_year=str(int(last[C.YEAR])),
                first=format_number(first["active"], lang),
                last=format_number(last["active"], lang),
            )
        )
    if _ok(last["new"], last["lost"]):
        out.append(
            t(
                "finding.dev_flow",
                lang,
                year=str(int(last[C.YEAR])),
                new=format_number(last["new"], lang),
                lost=format_number(last["lost"], lang),
                revenue_new=format_money(last["revenue_new"], lang, currency),
                revenue_lost=format_money(last["revenue_lost"], lang, currency),
            )
        )
    return out


#: stage-1 key figures that are not headline figures (shown only in notebook 01 and
#: status_quo.xlsx, after the registry's figures)
KEY_FINDINGS = (
    "orders_below",
    "new_last_year",
    "lost_last_year",
)

#: the registry's stage-1 figures in the order of 01's key-figures table
KEY_FIGURE_CODES = (
    "customers",
    "revenue_total",
    "abc_small_customer_share",
    "abc_small_revenue_share",
    "top20_revenue_share",
    "customers_for_80pct_revenue",
    "gini",
    "whale_peak",
    "unprofitable_customer_share",
    "cost_per_order",
    "margin_pct",
    "break_even_order_value",
)


def key_findings(
    lang: str,
    currency: str = "EUR",
    *,
    below: pd.DataFrame | None = None,
    flow: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The stage-1 key figures that are not headline figures, formatted, in one table.

    The headline figures (customers, revenue, shares, whale peak, break-even, …) come
    from the registry (:data:`KEY_FIGURE_CODES`, :mod:`kk_helpers.stages.figure_text`).

    Args:
        lang: "de" or "en".
        currency: ISO code for money amounts.
        below: :func:`~kk_helpers.metrics.orders.orders_below_thresholds` (smallest threshold used).
        flow: :func:`~kk_helpers.metrics.development.customer_flow` (last year used).

    Returns:
        DataFrame indexed by ``metric`` (keys of :data:`KEY_FINDINGS` that could be
        computed from the given inputs, in that order) with ``label`` (translated,
        ``metric.<key>``) and ``value`` (formatted text).

    >>> key_findings("en").empty
    True
    """
    check_language(lang)
    rows: dict[str, tuple[str, str]] = {}

    def add(key: str, value: str, **kw: Any) -> None:
        rows[key] = (t(f"metric.{key}", lang, **kw), value)

    if below is not None and len(below):
        row = below.sort_values("threshold").iloc[0]
        if _ok(row["orders_share"]):
            add(
                "orders_below",
                format_pct(row["orders_share"], lang),
                threshold=format_money(row["threshold"], lang, currency),
            )
    if flow is not None and len(flow) > 1:
        last = flow.iloc[-1]
        year = str(int(last[C.YEAR]))
        if _ok(last["new"]):
            add("new_last_year", format_number(last["new"], lang), year=year)
        if _ok(last["lost"]):
            add("lost_last_year", format_number(last["lost"], lang), year=year)
    keys = [k for k in KEY_FINDINGS if k in rows]
    return pd.DataFrame(
        {"label": [rows[k][0] for k in keys], C.VALUE: [rows[k][1] for k in keys]},
        index=pd.Index(keys, name=C.METRIC),
    )
