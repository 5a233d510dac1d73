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


#: per-customer columns of :func:`line_facts` (last analysis year; counts and currency)
LINE_FACT_COLUMNS = ("revenue", "revenue_standard", "revenue_dealer", "orders", "orders_below",
                     "orders_digital", "visits")  # fmt: skip


def _per_customer(ids: pd.Series, weights: np.ndarray | None = None) -> pd.Series:
    """Sum of ``weights`` (count without) per customer id (index: the ids as str)."""
    cust = (
        ids if isinstance(ids.dtype, pd.CategoricalDtype) else ids.astype("str").astype("category")
    )
    codes = cust.cat.codes.to_numpy()
    ok = codes >= 0
    w = None if weights is None else np.asarray(weights, dtype="float64")[ok]
    sums = np.bincount(codes[ok], weights=w, minlength=len(cust.cat.categories))
    return pd.Series(sums, index=cust.cat.categories.astype("str"))


def line_facts(
    transactions: pd.DataFrame,
    orders: pd.DataFrame,
    activities: pd.DataFrame | None,
    *,
    config: ClientConfig,
) -> tuple[pd.DataFrame, dict[str, object]]:
    """What the indicators need of the lines, orders and activities: per customer sums
    of the last analysis year, computed once per client (``prepare_client`` caches them).

    Args:
        transactions: canonical lines (``customer_id``, ``revenue``, ``year``, optional
            ``channel``, ``product_group``).
        orders: the last year's orders with value > 0
            (:func:`kk_helpers.metrics.orders.last_year_orders`; ``customer_id``,
            ``value``, ``channel``).
        activities: canonical activities (may be empty or None).
        config: the client config (years, ``levers.standard_product_groups`` and
            ``levers.minimum_order_value`` / ``orders.value_thresholds``).

    Returns:
        ``(frame, flags)``: frame indexed by customer id (str) with :data:`LINE_FACT_COLUMNS`
        (last-year revenue of the lines (NaN as 0), of the standard product groups, through
        dealers; orders with value > 0, those below the minimum order value, those through
        a digital channel; visits); flags ``product_group``, ``channel`` (the lines have
        the column), ``activities`` (an activity table with types), ``visits`` (visits of
        the year, also of customers outside the master).

    >>> from kk_helpers.core.config import ClientConfig
    >>> cfg = ClientConfig.model_validate({"client": {"name": "X"}, "analysis": {"years": [2025]},
    ...     "files": {"transactions": {"path": "t"}}})
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "revenue": [10.0, 5.0, 7.0],
    ...                    "year": [2025, 2025, 2025]})
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "value": [15.0, 7.0], "channel": [None, None]})
    >>> f, flags = line_facts(tx, o, None, config=cfg)
    >>> f["revenue"].tolist(), flags["channel"]
    ([15.0, 7.0], False)
    """
    last = list(config.analysis.years)[-1]
    tx = transactions[transactions[C.YEAR] == last] if C.YEAR in transactions else transactions
    rev = np.nan_to_num(_num(tx[C.REVENUE]).to_numpy(), nan=0.0)
    ids = tx[C.CUSTOMER_ID]
    cols = {"revenue": _per_customer(ids, rev)}
    groups = config.levers.standard_product_groups
    flags: dict[str, object] = {
        "product_group": C.PRODUCT_GROUP in tx.columns,
        "channel": C.CHANNEL in tx.columns,
    }
    if groups and C.PRODUCT_GROUP in tx.columns:
        std = tx[C.PRODUCT_GROUP].astype("str").isin(groups).to_numpy()
        cols["revenue_standard"] = _per_customer(ids, rev * std)
    if C.CHANNEL in tx.columns:
        dealer = (tx[C.CHANNEL].astype("str") == "dealer").to_numpy()
        cols["revenue_dealer"] = _per_customer(ids, rev * dealer)
    o = orders[_num(orders[C.VALUE]).to_numpy() > 0]
    o_ids = o[C.CUSTOMER_ID]
    cols["orders"] = _per_customer(o_ids)
    cols["orders_below"] = _per_customer(o_ids, o[C.VALUE].to_numpy() < minimum_order_value(config))
    digital = o[C.CHANNEL].astype("str").isin(C.DIGITAL_CHANNELS).to_numpy()
    cols["orders_digital"] = _per_customer(o_ids, digital)
    act = activities
    flags["activities"] = not (act is None or act.empty or C.ACTIVITY_TYPE not in act.columns)
    flags["visits"] = 0
    if flags["activities"]:
        act = act[act[C.YEAR] == last] if C.YEAR in act.columns else act
        visits = act[act[C.ACTIVITY_TYPE].astype("str") == "visit"]
        flags["visits"] = len(visits)
        cols["visits"] = _per_customer(visits[C.CUSTOMER_ID])
    frame = pd.concat(cols, axis=1).reindex(columns=list(LINE_FACT_COLUMNS)).fillna(0.0)
    frame.index.name = C.CUSTOMER_ID
    return frame.astype("float64"), flags


def minimum_order_value(config: ClientConfig) -> float:
    """The minimum order value of the small-orders indicator: ``levers.minimum_order_value``,
    else the first of ``orders.value_thresholds`` (0 without)."""
    mov = config.levers.minimum_order_value
    if mov is None:
        mov = float(config.orders.value_thresholds[0]) if config.orders.value_thresholds else 0.0
    return float(mov)


def indicator_values(
    customer_table: pd.DataFrame,
    transactions: pd.DataFrame | None,
    activities: pd.DataFrame | None,
    config: ClientConfig,
    *,
    figures: HeadlineFigures,
    facts: tuple[pd.DataFrame, dict[str, object]] | None = None,
) -> tuple[dict[str, float], dict[str, str]]:
    """Raw values of the built-in indicators and, for missing ones, why.

    Args:
        customer_table: one row per customer (``kk_helpers.metrics.customer_table``).
        transactions: canonical lines (``customer_id``, ``date``, ``revenue``, ``year``,
            optional ``margin``, ``channel``, ``product_group``, ``order_id``); not read
            when ``facts`` are given (may then be None).
        activities: canonical activities (may be empty); not read with ``facts``.
        config: the client config (classes, years, ``levers`` settings, order values).
        figures: the client's headline figures; the indicators that are headline figures
            (:data:`REGISTRY_INDICATORS`) take their value from there.
        facts: :func:`line_facts` of the lines (``PreparedClient.lever_facts``, cached);
            None: computed here from ``transactions`` and ``activities``.

    Returns:
        ``(values, notes)``: indicator id -> value (share 0-1 or share difference;
        NaN when it cannot be computed) and indicator id -> note key
        (``lever.note.<key>``) for the NaN ones.
    """
    from kk_helpers.metrics.classes import abc_d_classes, index_by_customer
    from kk_helpers.metrics.development import customer_flow

    if facts is None:
        from kk_helpers.metrics.orders import last_year_orders, order_table

        orders = last_year_orders(order_table(transactions), config.last_year)
        facts = line_facts(transactions, orders, activities, config=config)
    per, flags = facts
    years = list(config.analysis.years)
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

    # last-year sums of the small customers (customers outside the master have no class)
    small_ids = classes.index[small.to_numpy()].astype("str")
    sm = per.reindex(small_ids).fillna(0.0)
    small_rev = float(sm["revenue"].sum())

    groups = config.levers.standard_product_groups
    if not groups:
        v["standard_revenue_share_small"] = float("nan")
        notes["standard_revenue_share_small"] = "no_standard_groups"
    elif not flags["product_group"]:
        v["standard_revenue_share_small"] = float("nan")
        notes["standard_revenue_share_small"] = "no_product_group"
    else:
        v["standard_revenue_share_small"] = _ratio(sm["revenue_standard"].sum(), small_rev)

    if flags["channel"]:
        v["dealer_revenue_share_small"] = _ratio(sm["revenue_dealer"].sum(), small_rev)
    else:
        v["dealer_revenue_share_small"] = float("nan")
        notes["dealer_revenue_share_small"] = "no_channel"

    n_small = int(sm["orders"].sum())
    v["small_orders_share_small"] = _ratio(int(sm["orders_below"].sum()), n_small)
    if flags["channel"]:
        v["digital_order_share_small"] = _ratio(int(sm["orders_digital"].sum()), n_small)
    else:
        v["digital_order_share_small"] = float("nan")
        notes["digital_order_share_small"] = "no_channel"

    rev_col, mar_col = C.year_col("revenue", years[-1]), C.year_col("margin", years[-1])
    cts_col = C.year_col("cost_to_serve", years[-1])
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

    if not flags["activities"]:
        v["visit_share_small"] = v["visited_small_share"] = float("nan")
        notes["visit_share_small"] = notes["visited_small_share"] = "no_activities"
    elif not flags["visits"]:
        v["visit_share_small"] = v["visited_small_share"] = float("nan")
        notes["visit_share_small"] = notes["visited_small_share"] = "no_visits"
    else:
        v["visit_share_small"] = float(sm["visits"].sum() / float(flags["visits"]))
        v["visited_small_share"] = _ratio(int((sm["visits"] > 0).sum()), len(small_ids))
    return v, notes


def compute_indicators(
    customer_table: pd.DataFrame,
    transactions: pd.DataFrame | None,
    activities: pd.DataFrame | None,
    config: ClientConfig,
    *,
    figures: HeadlineFigures,
    catalog: LeverCatalog | None = None,
    facts: tuple[pd.DataFrame, dict[str, object]] | None = None,
) -> pd.DataFrame:
    """Data indicators of the catalog with traffic lights (codes only).

    Args:
        customer_table, transactions, activities, config: as for
            :func:`indicator_values`.
        figures: the client's headline figures (see :func:`indicator_values`).
        facts: the cached :func:`line_facts` (see :func:`indicator_values`).
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
        customer_table, transactions, activities, config, figures=figures, facts=facts
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
