"""Stage 3 data indicators: figures from the client's data, each with a traffic light.

Language-free: values, light codes and note codes (``lever.note.<note>``); the display
text is added by :mod:`kk_helpers.stages.levers.tables`. The indicators and their
thresholds are defined in :mod:`kk_helpers.stages.levers.catalog`; how the interviews
compare with them is :func:`kk_helpers.stages.levers.analysis.indicator_verdicts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig
from kk_helpers.metrics.classes import class_of_rows
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.levers.catalog import LeverCatalog, build_catalog, traffic_light

#: Classes counted as small customers.
SMALL_CLASSES = ("C", "D")

#: indicators that are headline figures: their value is read from the registry
REGISTRY_INDICATORS = ("abc_small_customer_share", "top20_revenue_share")


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b and np.isfinite(b) and b > 0 else float("nan")


def indicator_values(
    customer_table: pd.DataFrame,
    transactions: pd.DataFrame,
    activities: pd.DataFrame,
    config: ClientConfig,
    *,
    figures: HeadlineFigures,
) -> tuple[dict[str, float], dict[str, str]]:
    """Raw values of the built-in indicators and, for missing ones, why.

    Args:
        customer_table: one row per customer (``kk_helpers.metrics.customer_table``).
        transactions: canonical lines (``customer_id``, ``date``, ``revenue``, ``year``,
            optional ``margin``, ``channel``, ``product_group``, ``order_id``).
        activities: canonical activities (may be empty).
        config: the client config (classes, years, ``levers`` settings, order values).
        figures: the client's headline figures; the indicators that are headline figures
            (:data:`REGISTRY_INDICATORS`) take their value from there.

    Returns:
        ``(values, notes)``: indicator id -> value (share 0-1 or share difference;
        NaN when it cannot be computed) and indicator id -> note key
        (``lever.note.<key>``) for the NaN ones.
    """
    from kk_helpers.metrics.classes import abc_d_classes, index_by_customer
    from kk_helpers.metrics.development import customer_flow
    from kk_helpers.metrics.orders import order_table

    years = list(config.analysis.years)
    last = years[-1]
    ct = index_by_customer(customer_table)
    classes = abc_d_classes(ct, config.classes, years)
    small = classes.isin(SMALL_CLASSES)
    v: dict[str, float] = {}
    notes: dict[str, str] = {}

    for code in REGISTRY_INDICATORS:
        v[code] = figures.value(code)
        if code in figures and not figures[code].available:
            notes[code] = "no_value"
    flow = customer_flow(ct, years) if len(years) > 1 else None
    if flow is not None and len(flow) > 1:
        cur, prev = flow.iloc[-1], flow.iloc[-2]
        v["lost_customer_rate"] = _ratio(float(cur["lost"]), float(prev["active"]))
        v["new_customer_rate"] = _ratio(float(cur["new"]), float(cur["active"]))
    else:
        v["lost_customer_rate"] = v["new_customer_rate"] = float("nan")
        notes["lost_customer_rate"] = notes["new_customer_rate"] = "one_year"

    # last-year lines of small customers
    tx = transactions[transactions[C.YEAR] == last] if C.YEAR in transactions else transactions
    cls_tx = class_of_rows(tx[C.CUSTOMER_ID], classes)
    small_tx = np.isin(cls_tx.astype("str"), SMALL_CLASSES)
    rev = _num(tx[C.REVENUE]).to_numpy()
    small_rev = float(np.nansum(rev[small_tx]))

    groups = config.levers.standard_product_groups
    if not groups:
        v["standard_revenue_share_small"] = float("nan")
        notes["standard_revenue_share_small"] = "no_standard_groups"
    elif C.PRODUCT_GROUP not in tx.columns:
        v["standard_revenue_share_small"] = float("nan")
        notes["standard_revenue_share_small"] = "no_product_group"
    else:
        std = tx[C.PRODUCT_GROUP].astype("str").isin(groups).to_numpy()
        v["standard_revenue_share_small"] = _ratio(np.nansum(rev[small_tx & std]), small_rev)

    if C.CHANNEL in tx.columns:
        ch = tx[C.CHANNEL].astype("str").to_numpy()
        v["dealer_revenue_share_small"] = _ratio(
            np.nansum(rev[small_tx & (ch == "dealer")]), small_rev
        )
    else:
        v["dealer_revenue_share_small"] = float("nan")
        notes["dealer_revenue_share_small"] = "no_channel"

    orders = order_table(tx)
    o_cls = class_of_rows(orders[C.CUSTOMER_ID], classes)
    o_small = np.isin(o_cls.astype("str"), SMALL_CLASSES) & (orders[C.VALUE].to_numpy() > 0)
    n_small = int(o_small.sum())
    mov = config.levers.minimum_order_value
    if mov is None:
        mov = float(config.orders.value_thresholds[0]) if config.orders.value_thresholds else 0.0
    below = orders[C.VALUE].to_numpy() < mov
    v["small_orders_share_small"] = _ratio(int((o_small & below).sum()), n_small)
    if C.CHANNEL in tx.columns:
        digital = orders[C.CHANNEL].astype("str").isin(C.DIGITAL_CHANNELS).to_numpy()
        v["digital_order_share_small"] = _ratio(int((o_small & digital).sum()), n_small)
    else:
        v["digital_order_share_small"] = float("nan")
        notes["digital_order_share_small"] = "no_channel"

    rev_col, mar_col = C.year_col("revenue", last), C.year_col("margin", last)
    cts_col = C.year_col("cost_to_serve", last)
    a = classes == "A"
    if mar_col in ct.columns and _num(ct[mar_col]).notna().any():
        r_ = _num(ct[rev_col]).fillna(0.0)
        m_ = _num(ct[mar_col]).fillna(0.0)
        pct_small = _ratio(m_[small].sum(), r_[small].sum())
        pct_a = _ratio(m_[a].sum(), r_[a].sum())
        v["margin_pct_gap_small"] = pct_small - pct_a
        if cts_col in ct.columns:
            v["cts_margin_ratio_small"] = _ratio(_num(ct[cts_col])[small].sum(), m_[small].sum())
            if not np.isfinite(v["cts_margin_ratio_small"]):
                notes["cts_margin_ratio_small"] = "no_margin"
        else:
            v["cts_margin_ratio_small"] = float("nan")
            notes["cts_margin_ratio_small"] = "no_margin"
    else:
        v["margin_pct_gap_small"] = v["cts_margin_ratio_small"] = float("nan")
        notes["margin_pct_gap_small"] = notes["cts_margin_ratio_small"] = "no_margin"

    act = activities
    if act is None or act.empty or C.ACTIVITY_TYPE not in act.columns:
        v["visit_share_small"] = v["visited_small_share"] = float("nan")
        notes["visit_share_small"] = notes["visited_small_share"] = "no_activities"
    else:
        act = act[act[C.YEAR] == last] if C.YEAR in act.columns else act
        visits = act[act[C.ACTIVITY_TYPE].astype("str") == "visit"]
        if visits.empty:
            v["visit_share_small"] = v["visited_small_share"] = float("nan")
            notes["visit_share_small"] = notes["visited_small_share"] = "no_visits"
        else:
            v_small = np.isin(class_of_rows(visits[C.CUSTOMER_ID], classes).astype("str"),
                              SMALL_CLASSES)  # fmt: skip
            v["visit_share_small"] = float(v_small.mean())
            visited = set(visits[C.CUSTOMER_ID].astype("str").unique())
            small_ids = classes.index[small.to_numpy()].astype("str")
            v["visited_small_share"] = _ratio(
                int(pd.Index(small_ids).isin(list(visited)).sum()), len(small_ids)
            )
    return v, notes


def compute_indicators(
    customer_table: pd.DataFrame,
    transactions: pd.DataFrame,
    activities: pd.DataFrame,
    config: ClientConfig,
    *,
    figures: HeadlineFigures,
    catalog: LeverCatalog | None = None,
) -> pd.DataFrame:
    """Data indicators of the catalog with traffic lights (codes only).

    Args:
        customer_table, transactions, activities, config: as for
            :func:`indicator_values`.
        figures: the client's headline figures (see :func:`indicator_values`).
        catalog: indicators and thresholds; default from ``config.levers``.

    Returns:
        One row per indicator in lever order: ``lever``, ``indicator``, ``value``
        (float; shares 0-1, NaN = no value), ``unit``, ``better``, ``green``, ``red``,
        ``light`` (green/amber/red/na), ``source`` (``data``, or ``config`` for values the
        client provides) and ``note`` (why a value is missing: key of
        ``lever.note.<note>``, empty when there is a value).
    """
    catalog = catalog or build_catalog(config.levers)
    values, notes = indicator_values(
        customer_table, transactions, activities, config, figures=figures
    )
    cat = catalog.indicators_frame()
    provided = cat["provided"].notna()
    data_values = cat["indicator"].map(values).astype("float64")
    cat["value"] = cat["provided"].where(provided, data_values)
    cat["source"] = np.where(provided, "config", "data")
    cat["light"] = traffic_light(
        cat["value"], green=cat["green"], red=cat["red"], better=cat["better"]
    )
    cat["note"] = [
        notes[i] if (i in notes and not p) else ("no_value" if (i not in values and not p) else "")
        for i, p in zip(cat["indicator"], provided, strict=True)
    ]
    cols = ["lever", "indicator", "value", "unit", "better", "green", "red", "light", "source",
            "note"]  # fmt: skip
    return cat[cols]
