"""Stage 3, lever assessment: interview scores aggregated, data indicators, disagreement.

Definitions (all scores on the 1-5 scale of the questionnaire):

* **Question level** - over the respondents who rated the question:
  ``current_mean``, ``target_mean``, ``importance_mean``; ``gap = target_mean -
  current_mean`` (score points, -4..4); ``priority = gap × importance_mean`` (-20..20;
  higher = more urgent: a large gap on something people find important);
  spread ``current_std`` (sample standard deviation, ddof=1; NaN for one rating) and
  ``current_min`` / ``current_max``.
* **Lever level** - first each respondent's lever score (mean of the questions of the
  lever he or she rated), then the same statistics over respondents, so that every
  respondent weighs the same whatever the number of questions answered. Levers are
  ranked by priority (rank 1 = most urgent).
* **By role** - the same per role (respondents of a role averaged).
* **Disagreement** - per lever the range of the role means of the current score
  (highest minus lowest role) and the spread over respondents; a lever is flagged when
  the range reaches ``levers.disagreement_range`` (default 1.5 score points) or the
  standard deviation ``levers.disagreement_std`` (default 1.0).
* **Data indicators** (:func:`compute_indicators`) - figures from the customer table,
  transactions and activities of the last analysis year, "small customers" being the
  C and D classes (ABC on total revenue, D rule of the config), each with a traffic
  light (:func:`kk_helpers.stages.levers.catalog.traffic_light`).
* **Interview vs. data** (:func:`interview_vs_data`) - the interview view
  ``(current_mean - 1) / 4`` (0-1) against the data view, the mean of the lights
  (green 1, amber 0.5, red 0); when they differ by ``tolerance`` (default 0.4) or more
  the finding says who sees the lever better.

:func:`assess_levers` composes everything for a prepared client; notebook 03 only
displays. :func:`export_lever_assessment` writes ``lever_assessment.parquet`` (lever
level, read by notebook 04; columns :data:`LEVER_TABLE_COLUMNS`) and
``lever_assessment.xlsx`` (the client's workbook).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig
from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import check_language, label_map, t
from kk_helpers.metrics.classes import class_of_rows
from kk_helpers.stages.levers.catalog import (
    LEVERS,
    LeverCatalog,
    build_catalog,
    lever_name,
    role_name,
    traffic_light,
)
from kk_helpers.stages.levers.questionnaire import (
    SCORES,
    QuestionnaireImport,
    anonymize_respondents,
    import_questionnaires,
)

SMALL_CLASSES = ("C", "D")
#: Score of each traffic light in the data view of a lever.
LIGHT_SCORES: dict[str, float] = {"green": 1.0, "amber": 0.5, "red": 0.0}
#: Interview-vs-data verdicts (translation keys ``lever.view.<verdict>``).
VIEWS = ("agree", "interview_higher", "interview_lower", "no_data", "no_interviews")

STAT_COLUMNS = (
    "n_respondents",
    "current_mean",
    "target_mean",
    "gap",
    "importance_mean",
    "priority",
    "current_std",
    "current_min",
    "current_max",
    "target_std",
)
#: Columns of ``lever_assessment.parquet`` (one row per lever, method order).
LEVER_TABLE_COLUMNS = (
    "lever",
    "rank",
    *STAT_COLUMNS,
    "role_range",
    "disagreement",
    "indicators_n",
    "indicators_green",
    "indicators_amber",
    "indicators_red",
    "data_score",
    "interview_score",
    "view",
    "comments_n",
)


# --- aggregation ----------------------------------------------------------------------------


def _stats(obs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Statistics of current/target/importance per group of ``keys`` (see module doc)."""
    g = obs.groupby(keys, sort=False, observed=True)
    out = pd.DataFrame(
        {
            "n_respondents": g["current"].count().astype("int64"),
            "current_mean": g["current"].mean(),
            "target_mean": g["target"].mean(),
            "importance_mean": g["importance"].mean(),
            "current_std": g["current"].std(ddof=1),
            "current_min": g["current"].min(),
            "current_max": g["current"].max(),
            "target_std": g["target"].std(ddof=1),
        }
    )
    out["gap"] = out["target_mean"] - out["current_mean"]
    out["priority"] = out["gap"] * out["importance_mean"]
    return out[list(STAT_COLUMNS)].reset_index()


def _scores(responses: pd.DataFrame) -> pd.DataFrame:
    out = responses.copy()
    for c in SCORES:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


def _lever_order(frame: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
    order = {lv: i for i, lv in enumerate(LEVERS)}
    key = frame["lever"].map(order).fillna(len(order))
    return (
        frame.assign(_o=key.to_numpy())
        .sort_values(["_o", *extra], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def question_summary(
    responses: pd.DataFrame, catalog: LeverCatalog | None = None, by: str | None = None
) -> pd.DataFrame:
    """Statistics per question (and per ``by``, e.g. ``"role"``).

    Args:
        responses: one row per respondent and question (``question_id``, ``lever``,
            ``current``, ``target``, ``importance`` 1-5, NaN = not rated; ``role``
            when ``by="role"``).
        catalog: to order the questions as in the questionnaire; default built-in.
        by: optional extra grouping column.

    Returns:
        One row per question (× group): ``lever``, ``question_id``, [``by``],
        ``n_respondents`` (ratings of current), ``current_mean``, ``target_mean``,
        ``gap``, ``importance_mean``, ``priority``, ``current_std``, ``current_min``,
        ``current_max``, ``target_std``. Questions nobody answered are left out.

    >>> r = pd.DataFrame({"question_id": ["q", "q"], "lever": ["it", "it"],
    ...     "current": [2.0, 4.0], "target": [4.0, 5.0], "importance": [5.0, 3.0]})
    >>> question_summary(r)[["gap", "priority", "current_std"]].round(3).values.tolist()
    [[1.5, 6.0, 1.414]]
    """
    keys = ["lever", "question_id", *([by] if by else [])]
    obs = _scores(responses)
    obs = obs[obs[list(SCORES)].notna().any(axis=1)]
    out = _stats(obs, keys)
    order = {q.id: i for i, q in enumerate((catalog or build_catalog()).questions)}
    out = out.assign(_q=out["question_id"].map(order).fillna(len(order)).to_numpy())
    out = out.sort_values(["_q", *([by] if by else [])], kind="stable").drop(columns="_q")
    return out.reset_index(drop=True)


def respondent_lever_scores(responses: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's lever scores: means over the lever's questions he or she rated.

    Returns:
        One row per respondent and lever with any rating: ``respondent``, ``role``,
        ``lever``, ``current``, ``target``, ``importance`` (means, 1-5) and
        ``n_answers`` (questions with a current rating).

    >>> r = pd.DataFrame({"respondent": ["a", "a"], "role": ["it", "it"], "lever": ["it"] * 2,
    ...     "current": [2.0, 3.0], "target": [4.0, np.nan], "importance": [5.0, 5.0]})
    >>> respondent_lever_scores(r)[["current", "target", "n_answers"]].values.tolist()
    [[2.5, 4.0, 2.0]]
    """
    obs = _scores(responses)
    obs = obs[obs[list(SCORES)].notna().any(axis=1)]
    g = obs.groupby(["respondent", "role", "lever"], sort=False, observed=True)
    out = g[list(SCORES)].mean()
    out["n_answers"] = g["current"].count().astype("int64")
    return out.reset_index()


def lever_summary(responses: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Statistics per lever (and per ``by``) over respondents' lever scores.

    Args:
        responses: as for :func:`question_summary` plus ``respondent`` and ``role``.
        by: optional grouping column of the respondents (``"role"``).

    Returns:
        One row per lever (× group) in method order with the columns of
        :data:`STAT_COLUMNS`; without ``by`` also ``rank`` (1 = highest priority).

    >>> r = pd.DataFrame({"respondent": ["a", "b"], "role": ["x", "y"], "lever": ["it", "it"],
    ...     "current": [2.0, 4.0], "target": [4.0, 4.0], "importance": [4.0, 4.0]})
    >>> s = lever_summary(r)
    >>> s[["current_mean", "gap", "priority"]].values.tolist(), int(s["rank"].iloc[0])
    ([[3.0, 1.0, 4.0]], 1)
    """
    per = respondent_lever_scores(responses)
    out = _lever_order(_stats(per, ["lever", *([by] if by else [])]), [by] if by else [])
    if not by:
        out["rank"] = (
            out["priority"].rank(ascending=False, method="first", na_option="bottom")
        ).astype("int64")
    return out


def respondent_matrix(responses: pd.DataFrame, value: str = "current") -> pd.DataFrame:
    """Respondents × levers of one score (for the heatmap).

    Returns:
        DataFrame indexed by ``respondent`` (order of appearance) with one column per
        lever (method order; levers nobody rated are left out); NaN = not rated. The
        respondents' roles are in ``result.attrs["roles"]`` (respondent -> role).

    >>> r = pd.DataFrame({"respondent": ["a", "b"], "role": ["x", "y"], "lever": ["it", "it"],
    ...     "current": [2.0, 4.0], "target": [4.0, 4.0], "importance": [4.0, 4.0]})
    >>> respondent_matrix(r).to_dict()
    {'it': {'a': 2.0, 'b': 4.0}}
    """
    if value not in SCORES:
        raise ValueError(f"value must be one of {SCORES}, got {value!r}")
    per = respondent_lever_scores(responses)
    people = list(dict.fromkeys(per["respondent"]))
    wide = per.pivot_table(index="respondent", columns="lever", values=value, aggfunc="mean")
    cols = [lv for lv in LEVERS if lv in wide.columns] + sorted(set(wide.columns) - set(LEVERS))
    out = wide.reindex(index=people, columns=cols)
    out.columns.name = "lever"
    out.attrs["roles"] = dict(zip(per["respondent"], per["role"], strict=True))
    return out


def role_disagreement(
    responses: pd.DataFrame, range_threshold: float = 1.5, std_threshold: float = 1.0
) -> pd.DataFrame:
    """Where roles (and people) see a lever differently.

    Args:
        responses: as for :func:`lever_summary`.
        range_threshold: range of the role means (score points) that counts as
            disagreement.
        std_threshold: standard deviation over respondents that counts as well.

    Returns:
        One row per lever, sorted by ``role_range`` descending: ``lever``,
        ``role_range`` (highest minus lowest role mean of the current score),
        ``high_role``, ``high_mean``, ``low_role``, ``low_mean``, ``current_std``
        (over respondents), ``roles_n`` and ``disagreement`` (bool).

    >>> r = pd.DataFrame({"respondent": ["a", "b", "c"], "role": ["x", "y", "y"],
    ...     "lever": ["it"] * 3, "current": [5.0, 2.0, 3.0], "target": [5.0] * 3,
    ...     "importance": [3.0] * 3})
    >>> d = role_disagreement(r)
    >>> d[["role_range", "high_role", "low_role", "disagreement"]].values.tolist()
    [[2.5, 'x', 'y', True]]
    """
    per = respondent_lever_scores(responses)
    cols = ["lever", "role_range", "high_role", "high_mean", "low_role", "low_mean",
            "current_std", "roles_n", "disagreement"]  # fmt: skip
    per = per[per["current"].notna()]
    if per.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    roles = per.groupby(["lever", "role"], sort=False)["current"].mean().reset_index()
    roles = roles.sort_values(["lever", "current", "role"], kind="stable")
    g = roles.groupby("lever", sort=False)
    low = g.first()
    high = g.last()
    std = per.groupby("lever", sort=False)["current"].std(ddof=1)
    out = pd.DataFrame(
        {
            "role_range": high["current"] - low["current"],
            "high_role": high["role"],
            "high_mean": high["current"],
            "low_role": low["role"],
            "low_mean": low["current"],
            "current_std": std.reindex(high.index),
            "roles_n": g.size().astype("int64"),
        }
    )
    out["disagreement"] = (out["role_range"] >= range_threshold) | (
        out["current_std"] >= std_threshold
    )
    out = out.reset_index().sort_values("role_range", ascending=False, kind="stable")
    return out[cols].reset_index(drop=True)


def pain_points(responses: pd.DataFrame, catalog: LeverCatalog | None, lang: str) -> pd.DataFrame:
    """Comments per lever, for the pain-points section.

    Returns:
        One row per comment, in lever and question order: ``lever``, ``lever_name``,
        ``question_id``, ``question``, ``respondent``, ``role`` (translated), ``comment``.
    """
    catalog = catalog or build_catalog()
    cols = ["lever", "lever_name", "question_id", "question", "respondent", "role", "comment"]
    if "comment" not in responses.columns:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    com = responses["comment"]
    has = com.notna() & (com.astype("str").str.strip() != "")
    sel = responses[has]
    qf = catalog.questions_frame(lang)
    order = dict(zip(qf["question_id"], qf["order"], strict=True))
    texts = dict(zip(qf["question_id"], qf["question"], strict=True))
    out = pd.DataFrame(
        {
            "lever": sel["lever"].to_numpy(),
            "lever_name": [lever_name(lv, lang) for lv in sel["lever"]],
            "question_id": sel["question_id"].to_numpy(),
            "question": [texts.get(q, q) for q in sel["question_id"]],
            "respondent": sel["respondent"].to_numpy(),
            "role": [role_name(r, lang) for r in sel["role"]],
            "comment": sel["comment"].astype("str").str.strip().to_numpy(),
            "_q": [order.get(q, len(order)) for q in sel["question_id"]],
        }
    )
    return out.sort_values("_q", kind="stable").drop(columns="_q").reset_index(drop=True)[cols]


# --- data indicators ------------------------------------------------------------------------


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b and np.isfinite(b) and b > 0 else float("nan")


def indicator_values(
    customer_table: pd.DataFrame,
    transactions: pd.DataFrame,
    activities: pd.DataFrame,
    config: ClientConfig,
) -> tuple[dict[str, float], dict[str, str]]:
    """Raw values of the built-in indicators and, for missing ones, why.

    Args:
        customer_table: one row per customer (``kk_helpers.metrics.customer_table``).
        transactions: canonical lines (``customer_id``, ``date``, ``revenue``, ``year``,
            optional ``margin``, ``channel``, ``product_group``, ``order_id``).
        activities: canonical activities (may be empty).
        config: the client config (classes, years, ``levers`` settings, order values).

    Returns:
        ``(values, notes)``: indicator id -> value (share 0-1 or share difference;
        NaN when it cannot be computed) and indicator id -> note key
        (``lever.note.<key>``) for the NaN ones.
    """
    from kk_helpers.metrics.classes import abc_d_classes, index_by_customer
    from kk_helpers.metrics.concentration import top_pct_share
    from kk_helpers.metrics.development import customer_flow
    from kk_helpers.metrics.orders import order_table

    years = list(config.analysis.years)
    last = years[-1]
    ct = index_by_customer(customer_table)
    classes = abc_d_classes(ct, config.classes, years)
    small = classes.isin(SMALL_CLASSES)
    v: dict[str, float] = {}
    notes: dict[str, str] = {}

    v["small_customer_share"] = float(small.mean()) if len(small) else float("nan")
    v["top20pct_share"] = top_pct_share(ct[C.REVENUE_TOTAL], 0.2) if len(ct) else float("nan")
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


def _value_text(value: float, unit: str, lang: str, currency: str) -> str:
    if unit == "share":
        return format_pct(value, lang)
    if unit == "points":
        if not np.isfinite(value):
            return format_pct(value, lang)
        return t("lever.unit.points", lang, value=format_number(100 * value, lang, 1, signed=True))
    if unit == "money":
        return format_money(value, lang, currency)
    return format_number(value, lang, 1)


def compute_indicators(
    customer_table: pd.DataFrame,
    transactions: pd.DataFrame,
    activities: pd.DataFrame,
    config: ClientConfig,
    catalog: LeverCatalog | None = None,
    lang: str = "de",
) -> pd.DataFrame:
    """Data indicators of the catalog with traffic lights.

    Returns:
        One row per indicator in lever order: ``lever``, ``lever_name``, ``indicator``,
        ``label``, ``value`` (float; shares 0-1), ``value_text`` (formatted),
        ``unit``, ``better``, ``green``, ``red``, ``light`` (green/amber/red/na),
        ``light_text`` (translated), ``source`` (``data`` or ``config`` for values the
        client provides) and ``note`` (why a value is missing, translated).
    """
    check_language(lang)
    catalog = catalog or build_catalog(config.levers)
    values, notes = indicator_values(customer_table, transactions, activities, config)
    cat = catalog.indicators_frame(lang)
    provided = cat["provided"].notna()
    data_values = cat["indicator"].map(values).astype("float64")
    cat["value"] = cat["provided"].where(provided, data_values)
    cat["source"] = np.where(provided, "config", "data")
    cat["light"] = traffic_light(cat["value"], cat["green"], cat["red"], cat["better"])
    currency = config.client.currency
    cat["value_text"] = [
        _value_text(v, u, lang, currency) for v, u in zip(cat["value"], cat["unit"], strict=True)
    ]
    cat["light_text"] = [t(f"lever.light.{x}", lang) for x in cat["light"]]
    cat["note"] = [
        t(f"lever.note.{notes[i]}", lang) if (i in notes and not p) else
        (t("lever.note.no_value", lang) if (i not in values and not p) else "")
        for i, p in zip(cat["indicator"], provided, strict=True)
    ]  # fmt: skip
    cat["lever_name"] = [lever_name(lv, lang) for lv in cat["lever"]]
    cols = ["lever", "lever_name", "indicator", "label", "value", "value_text", "unit", "better",
            "green", "red", "light", "light_text", "source", "note"]  # fmt: skip
    return cat[cols]


def interview_vs_data(
    levers: pd.DataFrame, indicators: pd.DataFrame, tolerance: float = 0.4
) -> pd.DataFrame:
    """Compare the interview view of each lever with its data indicators.

    Args:
        levers: :func:`lever_summary` (``lever``, ``current_mean``).
        indicators: :func:`compute_indicators` (``lever``, ``light``).
        tolerance: difference (0-1 scale) from which the views disagree.

    Returns:
        One row per lever of :data:`levers.LEVERS` (method order): ``lever``,
        ``current_mean``, ``interview_score`` ((current_mean - 1) / 4),
        ``indicators_n`` (with a value), ``indicators_green``/``_amber``/``_red``,
        ``data_score`` (mean light score, NaN without indicators), ``difference``
        (interview - data) and ``view`` (:data:`VIEWS`).

    >>> lv = pd.DataFrame({"lever": ["coverage"], "current_mean": [4.0]})
    >>> ind = pd.DataFrame({"lever": ["coverage", "coverage"], "light": ["red", "red"]})
    >>> interview_vs_data(lv, ind).set_index("lever").loc["coverage", "view"]
    'interview_higher'
    """
    light = indicators[indicators["light"].isin(list(LIGHT_SCORES))]
    counts = pd.crosstab(light["lever"], light["light"]).reindex(
        columns=list(LIGHT_SCORES), fill_value=0
    )
    score = light.assign(s=light["light"].map(LIGHT_SCORES)).groupby("lever")["s"].mean()
    base = pd.DataFrame({"lever": list(LEVERS)})
    cur = levers.set_index("lever")["current_mean"] if len(levers) else pd.Series(dtype=float)
    out = base.assign(
        current_mean=base["lever"].map(cur).astype("float64"),
        indicators_n=base["lever"].map(counts.sum(axis=1)).fillna(0).astype("int64"),
        indicators_green=base["lever"].map(counts["green"]).fillna(0).astype("int64"),
        indicators_amber=base["lever"].map(counts["amber"]).fillna(0).astype("int64"),
        indicators_red=base["lever"].map(counts["red"]).fillna(0).astype("int64"),
        data_score=base["lever"].map(score).astype("float64"),
    )
    out.insert(2, "interview_score", (out["current_mean"] - 1.0) / 4.0)
    out["difference"] = out["interview_score"] - out["data_score"]
    out["view"] = np.select(
        [
            out["data_score"].isna(),
            out["interview_score"].isna(),
            out["difference"] >= tolerance,
            out["difference"] <= -tolerance,
        ],
        ["no_data", "no_interviews", "interview_higher", "interview_lower"],
        "agree",
    )
    return out


# --- findings -------------------------------------------------------------------------------


def _pts(x: float, lang: str) -> str:
    return format_number(x, lang, 1)


def lever_findings(levers: pd.DataFrame, lang: str, top: int = 3) -> list[str]:
    """Findings: the most urgent levers, the largest gap, the most mature lever.

    >>> lv = pd.DataFrame({"lever": ["it", "coverage"], "current_mean": [3.0, 2.0],
    ...     "target_mean": [4.0, 4.5], "gap": [1.0, 2.5], "importance_mean": [3.0, 4.0],
    ...     "priority": [3.0, 10.0], "rank": [2, 1]})
    >>> print(lever_findings(lv, "en")[0])
    Highest priority: Efficiency of market coverage (gap 2.5 points × importance 4.0 = 10.0).
    """
    check_language(lang)
    out: list[str] = []
    lv = levers.dropna(subset=["priority"]).sort_values("rank")
    if lv.empty:
        return out
    first = lv.iloc[0]
    out.append(
        t(
            "lever.finding.top",
            lang,
            lever=lever_name(first["lever"], lang),
            gap=_pts(first["gap"], lang),
            importance=_pts(first["importance_mean"], lang),
            priority=_pts(first["priority"], lang),
        )  # fmt: skip
    )
    if len(lv) > 1:
        names = ", ".join(lever_name(x, lang) for x in lv["lever"].iloc[1:top])
        out.append(t("lever.finding.next", lang, levers=names))
    best = lv.sort_values("current_mean", ascending=False, kind="stable").iloc[0]
    out.append(
        t(
            "lever.finding.best",
            lang,
            lever=lever_name(best["lever"], lang),
            current=_pts(best["current_mean"], lang),
        )  # fmt: skip
    )
    out.append(
        t(
            "lever.finding.overall",
            lang,
            current=_pts(lv["current_mean"].mean(), lang),
            target=_pts(lv["target_mean"].mean(), lang),
        )  # fmt: skip
    )
    return out


def disagreement_findings(disagreement: pd.DataFrame, lang: str, top: int = 3) -> list[str]:
    """Findings: levers where roles see the current state differently (flagged only)."""
    check_language(lang)
    flagged = disagreement[disagreement["disagreement"].astype(bool)].head(top)
    out = [
        t(
            "lever.finding.disagree",
            lang,
            lever=lever_name(r["lever"], lang),
            high_role=role_name(r["high_role"], lang),
            high=_pts(r["high_mean"], lang),
            low_role=role_name(r["low_role"], lang),
            low=_pts(r["low_mean"], lang),
            range=_pts(r["role_range"], lang),
        )  # fmt: skip
        for _, r in flagged.iterrows()  # a handful of levers, not customers
    ]
    if not out and len(disagreement):
        out.append(t("lever.finding.no_disagreement", lang))
    return out


def comparison_findings(
    comparison: pd.DataFrame,
    lang: str,
    disagreement: pd.DataFrame | None = None,
    tolerance: float = 0.4,
) -> list[str]:
    """Findings: where the interviews and the data disagree (and where no data exist).

    With ``disagreement`` (:func:`role_disagreement`), a lever whose overall view agrees
    with the data but whose most positive role sees it ``tolerance`` or more above the
    data view gets its own finding (e.g. field sales rating market coverage well while
    its cost-to-serve is red).
    """
    check_language(lang)
    out = []
    if disagreement is not None and len(disagreement):
        comp = comparison.set_index("lever")
        for _, d in disagreement.iterrows():  # 8 levers
            if d["lever"] not in comp.index or comp.loc[d["lever"], "view"] != "agree":
                continue
            c = comp.loc[d["lever"]]
            if (d["high_mean"] - 1.0) / 4.0 - c["data_score"] >= tolerance:
                out.append(t("lever.finding.role_higher", lang,
                             lever=lever_name(d["lever"], lang),
                             role=role_name(d["high_role"], lang),
                             current=_pts(d["high_mean"], lang), red=int(c["indicators_red"]),
                             n=int(c["indicators_n"])))  # fmt: skip
    for _, r in comparison.iterrows():  # 8 levers
        name = lever_name(r["lever"], lang)
        if r["view"] == "interview_higher":
            out.append(t("lever.finding.interview_higher", lang, lever=name,
                         current=_pts(r["current_mean"], lang), red=int(r["indicators_red"]),
                         n=int(r["indicators_n"])))  # fmt: skip
        elif r["view"] == "interview_lower":
            out.append(t("lever.finding.interview_lower", lang, lever=name,
                         current=_pts(r["current_mean"], lang), green=int(r["indicators_green"]),
                         n=int(r["indicators_n"])))  # fmt: skip
    interviews = comparison["current_mean"].notna().any()
    if not interviews:
        out.append(t("lever.finding.no_interviews", lang))
    elif not any(r in ("interview_higher", "interview_lower") for r in comparison["view"]):
        out.append(t("lever.finding.views_agree", lang))
    no_data = comparison["view"] == "no_data"
    rated = no_data & comparison["current_mean"].notna()
    for mask, key in ((rated, "lever.finding.no_data"),
                      (no_data & ~rated, "lever.finding.no_data_no_interviews")):  # fmt: skip
        names = [lever_name(x, lang) for x in comparison.loc[mask, "lever"]]
        if names:
            out.append(t(key, lang, levers=", ".join(names)))
    return out


def indicator_findings(indicators: pd.DataFrame, lang: str) -> list[str]:
    """Findings on the data basis: how many indicators could be computed, and which
    could not, with the reason (e.g. "no sales channel in the data").

    >>> ind = pd.DataFrame({"label": ["a", "b"], "value": [0.5, np.nan], "note": ["", "why"]})
    >>> indicator_findings(ind, "en")
    ['1 of 2 data indicators could be computed from the data.', 'No data for: b (why).']
    """
    check_language(lang)
    if indicators.empty:
        return []
    has = pd.to_numeric(indicators["value"], errors="coerce").notna()
    out = [t("lever.finding.indicators_basis", lang, n=int(has.sum()), total=len(indicators))]
    missing = indicators[~has]
    if len(missing):
        items = [f"{lb} ({n})" if n else str(lb)
                 for lb, n in zip(missing["label"], missing["note"], strict=True)]  # fmt: skip
        out.append(t("lever.finding.indicators_missing", lang, items="; ".join(items)))
    return out


def respondent_findings(imported: QuestionnaireImport, lang: str) -> list[str]:
    """Findings on the questionnaire basis: respondents, roles, ratings, import issues."""
    check_language(lang)
    resp = imported.respondents
    out = []
    if len(resp):
        ratings = int(imported.responses["current"].notna().sum())
        out.append(t("lever.finding.basis", lang, n=len(resp), roles=resp["role"].nunique(),
                     ratings=format_number(ratings, lang)))  # fmt: skip
    rep = imported.report
    n_rej = rep.n_issues("rejected")
    n_fix = rep.n_issues("corrected") + rep.n_issues("warning")
    if n_rej or n_fix:
        out.append(t("lever.finding.issues", lang, rejected=n_rej, corrected=n_fix))
    return out


def questionnaire_hint(a: LeverAssessment, config: ClientConfig, lang: str) -> dict[str, str]:
    """Placeholders of the "no questionnaires" section (``nb03.no_questionnaires``):
    ``folder`` (where the filled files belong), ``state`` (missing / empty / nothing
    usable) and ``client`` (the folder to pass to ``kk questionnaire``)."""
    from kk_helpers.stages.levers.questionnaire import questionnaire_source

    src = a.imported.source or questionnaire_source(config)
    if not Path(src).exists():
        state = "missing"
    elif a.imported.report.files(check=False).empty:
        state = "empty"
    else:
        state = "unusable"
    from kk_helpers.core.paths import project_root

    client = Path(config.base_dir).resolve()
    if client.is_relative_to(project_root().resolve()):  # as typed in the checkout
        client = client.relative_to(project_root().resolve())
    return {"folder": str(src), "state": t(f"nb03.q_state.{state}", lang), "client": str(client)}


# --- composition ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeverAssessment:
    """Everything notebook 03 shows for one client (see the module docstring)."""

    lang: str
    catalog: LeverCatalog
    imported: QuestionnaireImport
    responses: pd.DataFrame  # respondent names pseudonymised when anonymized
    respondents: pd.DataFrame
    questions: pd.DataFrame
    questions_by_role: pd.DataFrame
    levers: pd.DataFrame
    levers_by_role: pd.DataFrame
    matrix: pd.DataFrame
    disagreement: pd.DataFrame
    indicators: pd.DataFrame
    comparison: pd.DataFrame
    comments: pd.DataFrame
    anonymized: bool = False

    @property
    def has_responses(self) -> bool:
        """True when at least one questionnaire was usable."""
        return not self.responses.empty

    def lever_table(self) -> pd.DataFrame:
        """Lever-level results (:data:`LEVER_TABLE_COLUMNS`), one row per lever of the
        method, for ``lever_assessment.parquet`` and notebook 04."""
        base = pd.DataFrame({"lever": list(LEVERS)})
        lv = base.merge(self.levers, on="lever", how="left")
        dis = self.disagreement.set_index("lever") if len(self.disagreement) else None
        lv["role_range"] = lv["lever"].map(dis["role_range"]) if dis is not None else np.nan
        lv["disagreement"] = (
            lv["lever"].map(dis["disagreement"]).fillna(False).astype(bool)
            if dis is not None
            else False
        )
        comp = self.comparison.set_index("lever")
        for c in ("indicators_n", "indicators_green", "indicators_amber", "indicators_red"):
            lv[c] = lv["lever"].map(comp[c]).fillna(0).astype("int64")
        for c in ("data_score", "interview_score"):
            lv[c] = lv["lever"].map(comp[c]).astype("float64")
        lv["view"] = lv["lever"].map(comp["view"]).astype("str")
        counts = self.comments["lever"].value_counts() if len(self.comments) else pd.Series()
        lv["comments_n"] = lv["lever"].map(counts).fillna(0).astype("int64")
        lv["rank"] = lv["rank"].astype("Int64")
        lv["n_respondents"] = lv["n_respondents"].fillna(0).astype("int64")
        lv["role_range"] = lv["role_range"].astype("float64")
        return lv[list(LEVER_TABLE_COLUMNS)]


def assess_levers(prep: Any, lang: str = "de", anonymize: bool | None = None) -> LeverAssessment:
    """Run the whole lever assessment for a prepared client.

    Args:
        prep: :class:`kk_helpers.stages.prepare.PreparedClient`.
        lang: language of labels in the tables.
        anonymize: replace respondent names by "Befragte/r 1" …; default: as ``prep``.

    Returns:
        :class:`LeverAssessment`. Without questionnaires the interview tables are empty
        and only the data indicators are filled.
    """
    check_language(lang)
    cfg: ClientConfig = prep.config
    catalog = build_catalog(cfg.levers)
    imported = import_questionnaires(cfg, catalog)
    anon = prep.anonymized if anonymize is None else anonymize
    responses = anonymize_respondents(imported.responses, lang) if anon else imported.responses
    respondents = imported.respondents
    if anon and len(respondents):  # numbering must follow the responses' order
        mapping = dict(zip(imported.responses["respondent"], responses["respondent"], strict=True))
        respondents = respondents.assign(respondent=respondents["respondent"].map(mapping))
    elif anon:
        respondents = anonymize_respondents(respondents, lang)
    levers = lever_summary(responses)
    indicators = compute_indicators(
        prep.customer_table, prep.transactions, prep.activities, cfg, catalog, lang
    )
    return LeverAssessment(
        lang=lang,
        catalog=catalog,
        imported=imported,
        responses=responses,
        respondents=respondents,
        questions=question_summary(responses, catalog),
        questions_by_role=question_summary(responses, catalog, by="role"),
        levers=levers,
        levers_by_role=lever_summary(responses, by="role"),
        matrix=respondent_matrix(responses),
        disagreement=role_disagreement(
            responses, cfg.levers.disagreement_range, cfg.levers.disagreement_std
        ),
        indicators=indicators,
        comparison=interview_vs_data(levers, indicators),
        comments=pain_points(responses, catalog, lang),
        anonymized=anon,
    )


# --- display tables and export ----------------------------------------------------------------


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with translated result-column headers (``lever.col.<name>``; others kept)."""
    return frame.rename(columns=label_map(list(frame.columns), lang, "lever.col."))


def lever_display(a: LeverAssessment) -> pd.DataFrame:
    """Lever table for people: names, scores rounded to 1 decimal, translated headers,
    ordered by rank."""
    lang = a.lang
    lv = a.levers.sort_values("rank")
    out = pd.DataFrame(
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
                f"{format_number(lo, lang, 1)}–{format_number(hi, lang, 1)}"
                for lo, hi in zip(lv["current_min"], lv["current_max"], strict=True)
            ],
            "n_respondents": lv["n_respondents"].to_numpy(),
        }
    )
    return _headers(out, lang)


def role_display(a: LeverAssessment, value: str = "current_mean") -> pd.DataFrame:
    """Levers × roles of one statistic (default the mean current score), rounded."""
    lang = a.lang
    if a.levers_by_role.empty:
        return pd.DataFrame()
    wide = a.levers_by_role.pivot_table(index="lever", columns="role", values=value)
    wide = wide.reindex([lv for lv in LEVERS if lv in wide.index])
    wide.index = [lever_name(x, lang) for x in wide.index]
    wide.index.name = t("lever.col.lever", lang)
    wide.columns = [role_name(r, lang) for r in wide.columns]
    return wide.round(1)


def disagreement_display(a: LeverAssessment) -> pd.DataFrame:
    """Disagreement table for people (flagged levers first)."""
    lang = a.lang
    d = a.disagreement
    out = pd.DataFrame(
        {
            "lever": [lever_name(x, lang) for x in d["lever"]],
            "role_range": d["role_range"].astype("float64").round(1).to_numpy(),
            "high_role": [f"{role_name(r, lang)} ({format_number(m, lang, 1)})"
                          for r, m in zip(d["high_role"], d["high_mean"], strict=True)],
            "low_role": [f"{role_name(r, lang)} ({format_number(m, lang, 1)})"
                         for r, m in zip(d["low_role"], d["low_mean"], strict=True)],
            "current_std": d["current_std"].astype("float64").round(2).to_numpy(),
            "disagreement": [t("lever.yes", lang) if x else "" for x in d["disagreement"]],
        }
    )  # fmt: skip
    return _headers(out, lang)


def indicator_display(a: LeverAssessment) -> pd.DataFrame:
    """Indicators next to the interview view, per lever (translated)."""
    lang = a.lang
    ind = a.indicators
    comp = a.comparison.set_index("lever")
    out = pd.DataFrame(
        {
            "lever": ind["lever_name"].to_numpy(),
            "label": ind["label"].to_numpy(),
            "value": ind["value_text"].to_numpy(),
            "light": ind["light_text"].to_numpy(),
            "current_mean": ind["lever"].map(comp["current_mean"]).round(1).to_numpy(),
            "view": [t(f"lever.view.{comp.loc[x, 'view']}", lang) if x in comp.index else ""
                     for x in ind["lever"]],
            "note": ind["note"].to_numpy(),
        }
    )  # fmt: skip
    return _headers(out, lang)


def respondents_display(a: LeverAssessment) -> pd.DataFrame:
    """Respondents with translated roles and the number of statements they rated."""
    lang = a.lang
    r = a.respondents
    out = pd.DataFrame(
        {
            "respondent": r["respondent"].to_numpy(),
            "role": [role_name(x, lang) for x in r["role"]],
            "answered": r["answered"].to_numpy(),
            "file": r["file"].to_numpy() if not a.anonymized else "",
        }
    )
    if a.anonymized:
        out = out.drop(columns="file")
    return _headers(out, lang)


def issues_display(a: LeverAssessment) -> pd.DataFrame:
    """Questionnaire import issues for people (empty when there were none)."""
    lang = a.lang
    s = a.imported.report.summary(lang)
    if s.empty:
        return s
    s = s.drop(columns=["reason_key"])
    if a.anonymized:
        s = s.drop(columns=["respondent", "file"])
    return _headers(s, lang)


def comments_display(a: LeverAssessment) -> pd.DataFrame:
    """Pain points: comments grouped by lever (translated headers)."""
    lang = a.lang
    c = a.comments[["lever_name", "question", "role", "comment"]]
    return _headers(c.rename(columns={"lever_name": "lever"}), lang)


def export_lever_assessment(a: LeverAssessment, out_dir: str | Path) -> dict[str, Path]:
    """Write ``lever_assessment.parquet`` and ``lever_assessment.xlsx`` into ``out_dir``.

    The Parquet file holds :meth:`LeverAssessment.lever_table` (ids, no translated
    text). The Excel workbook has translated sheets: levers (ranked), questions,
    levers by role, disagreement, data indicators, comments, respondents and import
    issues. Returns ``{"parquet": path, "xlsx": path}``.
    """
    from kk_helpers.core.excel import write_workbook

    lang = a.lang
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pq = out / "lever_assessment.parquet"
    a.lever_table().to_parquet(pq, index=False)

    q = a.questions.copy()
    qf = a.catalog.questions_frame(lang)
    texts = dict(zip(qf["question_id"], qf["question"], strict=True))
    q.insert(2, "question", q["question_id"].map(texts))
    q["lever"] = [lever_name(x, lang) for x in q["lever"]]
    q = q.round(2)
    by_role = a.levers_by_role.copy()
    by_role["lever"] = [lever_name(x, lang) for x in by_role["lever"]]
    by_role["role"] = [role_name(x, lang) for x in by_role["role"]]
    ind = a.indicators.drop(columns=["lever", "light"]).rename(
        columns={"lever_name": "lever", "indicator": "indicator_id"}
    )
    sheets = {
        t("lever.sheet.levers", lang): lever_display(a),
        t("lever.sheet.questions", lang): _headers(q, lang),
        t("lever.sheet.by_role", lang): _headers(by_role.round(2), lang),
        t("lever.sheet.disagreement", lang): disagreement_display(a),
        t("lever.sheet.indicators", lang): _headers(ind, lang),
        t("lever.sheet.comments", lang): comments_display(a),
        t("lever.sheet.respondents", lang): respondents_display(a),
        t("lever.sheet.issues", lang): issues_display(a),
    }
    xlsx = write_workbook(out / "lever_assessment.xlsx", sheets)
    return {"parquet": pq, "xlsx": xlsx}
