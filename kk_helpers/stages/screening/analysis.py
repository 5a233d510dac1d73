"""Customer screening: priority classes, service levels, capacity, portfolio, smart accounts.

Builds on :mod:`kk_helpers.metrics.scoring` (criteria, normalisation, score) and implements the
rest of stage 2 of the method (DESIGN.md; settings in ``screening`` of the config):

* **priority classes** A-D from the score (:func:`assign_priority_classes`): by target
  shares (best scores first; ties keep the table order; class sizes are the shares × n,
  rounded on the cumulative boundaries) or by score thresholds (A ≥ t_A, …, below t_C:
  D). Customers without a score are D.
* **service levels** strategic ⊃ sales ⊃ service (:func:`assign_service_levels`):
  by shares of customers (guideline 20/70/10 %, best scores first) or by class. The
  levels are nested: the configured hours of a level come *on top of* the level below,
  so a strategic customer costs service + sales + strategic hours (:func:`level_hours`).
* **capacity check** (:func:`capacity_check`): customers per level × hours per
  customer and year by role, against the available hours by role (utilisation).
* **why this class** (:func:`why_texts`): the criteria that raised and lowered a
  customer's score most vs. the average customer (score points).
* **portfolio** (:func:`portfolio_quadrants`): attractiveness (score) × supplier
  position (share of wallet): star, question mark, cash customer, opportunistic.
* **smart accounts** (:func:`smart_accounts`): small customers (class C/D or below a
  revenue limit) with trend > 0, CM I % ≥ median and unused potential ≥ 25 %.
* **comparison** with the revenue-only ABC of notebook 01 and the client's own class
  (:func:`class_crosstab`, :func:`priority_changes`), and **sensitivity** of the
  classes to ±20 % per weight (:func:`sensitivity`).

:func:`run_screening` does all of it; :func:`prepare_screening` +
:func:`score_customers` split the fixed part (criteria, normalisation) from the part
that depends on weights, so widgets re-score in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import (
    ClientConfig,
    PortfolioSettings,
    ScreeningClassSettings,
    ScreeningSettings,
    SmartAccountSettings,
)
from kk_helpers.core.formatting import currency_symbol, format_money, format_number, format_pct
from kk_helpers.core.i18n import check_language, label_map, t, translations
from kk_helpers.metrics import scoring as S
from kk_helpers.metrics.capacity import (  # noqa: F401 - re-exported for notebooks/widgets
    LEVELS,
    SERVICE_LEVEL,
    assign_service_levels,
    capacity_check,
    class_shares,
    classes_by_shares,
    level_hours,
)
from kk_helpers.metrics.capacity import rank_order as _rank_order
from kk_helpers.metrics.classes import abc_d_classes, class_order, index_by_customer

# --- output columns of the screening table (screening.parquet) ----------------------
ABC_CLASS = "abc_class"  # revenue-only ABC(+D) of notebook 01
PRIORITY_CLASS = "priority_class"
RANK = "rank"  # 1 = best score
RECOMMENDED_CHANNEL = "recommended_channel"
QUADRANT = "portfolio_quadrant"
SMART_ACCOUNT = "smart_account"
SMART_REASON = "smart_account_reason"
WHY_UP = "why_up"
WHY_DOWN = "why_down"
HEADROOM = "potential_headroom"  # potential - last-year revenue (>= 0)
CLASS_CHANGE = "class_change"  # + = better class in the screening than in the ABC

QUADRANTS: tuple[str, ...] = ("star", "question_mark", "cash", "opportunistic")
NONE = "none"

#: Customer-table columns carried into the screening table (where present).
CARRY_COLUMNS = (
    C.NAME,
    C.INDUSTRY,
    C.REGION,
    C.SALES_REP,
    C.CURRENT_CLASS,
    C.MAIN_CHANNEL,
    C.REVENUE_TOTAL,
    C.MARGIN_TOTAL,
    C.COST_TO_SERVE,
)


# --- classes and levels -----------------------------------------------------------------


def rank_scores(score: pd.Series, order: np.ndarray | None = None) -> pd.Series:
    """Rank 1 = best score (ties keep the table order; customers without score last).

    ``order``: :func:`_rank_order` of ``score`` when already computed (saves a sort).

    >>> rank_scores(pd.Series([10.0, 30.0, None, 30.0], index=list("dcba"))).tolist()
    [3, 1, 4, 2]
    """
    pos = _rank_order(score) if order is None else order
    ranks = np.empty(len(score), dtype="int64")
    ranks[pos] = np.arange(1, len(score) + 1)
    return pd.Series(ranks, index=score.index, name=RANK)


def classes_by_thresholds(score: pd.Series, thresholds: Mapping[str, float]) -> pd.Series:
    """A if score ≥ t_A, B if ≥ t_B, C if ≥ t_C, else D (also without score).

    >>> classes_by_thresholds(pd.Series([80.0, 50.0, 31.0, 5.0, None]),
    ...                       {"A": 70, "B": 50, "C": 30}).tolist()
    ['A', 'B', 'C', 'D', 'D']
    """
    x = score.to_numpy(dtype="float64")
    conds = [x >= thresholds["A"], x >= thresholds["B"], x >= thresholds["C"]]
    return pd.Series(np.select(conds, ["A", "B", "C"], "D"), index=score.index, dtype="str")


def assign_priority_classes(
    score: pd.Series, settings: ScreeningClassSettings, order: np.ndarray | None = None
) -> pd.Series:
    """Priority class A-D per customer by ``settings.method`` (shares or thresholds).

    ``order``: :func:`_rank_order` of ``score`` when already computed (saves a sort).

    >>> assign_priority_classes(pd.Series([90.0, 10.0]), ScreeningClassSettings(method="thresholds")).tolist()
    ['A', 'D']
    """
    if settings.method == "shares":
        shares = {k: settings.shares[k] for k in C.CLASSES}
        out = classes_by_shares(score, shares, order)
    else:
        out = classes_by_thresholds(score, settings.thresholds)
    return out.rename(PRIORITY_CLASS)


# --- portfolio, smart accounts ----------------------------------------------------------


def portfolio_quadrants(
    attractiveness: pd.Series,
    position: pd.Series,
    settings: PortfolioSettings | None = None,
) -> pd.Series:
    """Portfolio quadrant per customer (after Homburg / Link).

    star = high attractiveness and strong position (hold and expand); question_mark =
    high attractiveness, weak position (invest or withdraw); cash = low attractiveness,
    strong position (hold efficiently); opportunistic = both low (selective
    withdrawal). "High" means ≥ the threshold (default: the median).

    Args:
        attractiveness: score per customer (0-100).
        position: supplier position per customer (e.g. share of wallet); NaN -> ``none``.
        settings: thresholds (None = median).

    Returns:
        Series ``portfolio_quadrant`` (str); ``attrs["thresholds"]`` = (x, y) used.

    >>> q = portfolio_quadrants(pd.Series([80.0, 80.0, 20.0, 20.0]), pd.Series([0.9, 0.1, 0.9, None]),
    ...                         PortfolioSettings(attractiveness_threshold=50, position_threshold=0.5))
    >>> q.tolist()
    ['star', 'question_mark', 'cash', 'none']
    """
    s = settings or PortfolioSettings()
    x = attractiveness.to_numpy(dtype="float64")
    y = pd.to_numeric(position, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    x_thr = s.attractiveness_threshold
    y_thr = s.position_threshold
    if x_thr is None:
        x_thr = float(np.nanmedian(x)) if np.isfinite(x).any() else 50.0
    if y_thr is None:
        y_thr = float(np.nanmedian(y)) if np.isfinite(y).any() else 0.5
    hx, hy = x >= x_thr, y >= y_thr
    q = np.select([hx & hy, hx & ~hy, ~hx & hy], ["star", "question_mark", "cash"], "opportunistic")
    q = np.where(np.isnan(x) | np.isnan(y), NONE, q)
    out = pd.Series(q, index=attractiveness.index, name=QUADRANT, dtype="str")
    out.attrs["thresholds"] = (float(x_thr), float(y_thr))
    return out


def _vec_number(x: np.ndarray, lang: str, decimals: int = 0) -> np.ndarray:
    """Absolute values as text with grouping, vectorised (half away from zero), no sign."""
    scale = 10.0**decimals
    v = np.floor(np.abs(x) * scale + 0.5)
    whole = pd.Series(np.floor(v / scale).astype("int64")).astype("str")
    grouped = whole.str.replace(r"\B(?=(\d{3})+(?!\d))", "." if lang == "de" else ",", regex=True)
    out = grouped.to_numpy(dtype=object)
    if decimals:
        frac = (
            pd.Series((v % scale).astype("int64"))
            .astype("str")
            .str.zfill(decimals)
            .to_numpy(dtype=object)
        )
        out = out + ("," if lang == "de" else ".") + frac
    return out


def _vec_pct(x: np.ndarray, lang: str, signed: bool = False) -> np.ndarray:
    """Shares as whole percentages, vectorised: ``+12 %`` (de) / ``+12%`` (en); NaN "–"."""
    x = np.asarray(x, dtype="float64")
    body = _vec_number(np.nan_to_num(x) * 100.0, lang)
    zero = body == "0"
    sign = np.where((x < 0) & ~zero, "-", np.where(signed & (x > 0) & ~zero, "+", ""))
    out = sign.astype(object) + body + (" %" if lang == "de" else "%")
    return np.where(np.isnan(x), "–", out)


def _vec_money(x: np.ndarray, lang: str, currency: str = "EUR") -> np.ndarray:
    """Money amounts without decimals, vectorised: ``8.200 €`` (de) / ``€8,200`` (en)."""
    x = np.asarray(x, dtype="float64")
    body = _vec_number(np.nan_to_num(x), lang)
    sym = currency_symbol(currency)
    sign = np.where((x < 0) & (body != "0"), "-", "").astype(object)
    out = (
        sign + body + f" {sym}"
        if lang == "de"
        else sign + sym + (" " if sym[-1:].isalpha() else "") + body
    )
    return np.where(np.isnan(x), "–", out)


def fill_template(key: str, lang: str, n: int, **values: object) -> np.ndarray:
    """Fill a translation template with arrays of texts, vectorised (one text per row).

    Args:
        key: translation key whose text has ``{name}`` placeholders.
        lang: ``de`` or ``en``.
        n: number of rows.
        values: per placeholder a str (same for all rows) or an array of n str.

    Returns:
        object array of n texts.

    >>> fill_template("screen.widget.share", "en", 2, label=np.array(["A", "B"], dtype=object)).tolist()
    ['Share A', 'Share B']
    """
    import string

    text = translations()[key][check_language(lang)]
    out = np.full(n, "", dtype=object)
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out = out + literal
        if name is not None:
            out = out + values[name]
    return out


def smart_accounts(
    frame: pd.DataFrame,
    settings: SmartAccountSettings | None = None,
    lang: str = "de",
    texts: bool = True,
    currency: str = "EUR",
) -> pd.DataFrame:
    """Smart accounts: small customers that grow and can be served profitably.

    Rule: small (priority class in ``settings.classes`` or last-year revenue below
    ``max_revenue``) and trend > ``min_trend`` and CM I % ≥ ``min_margin_pct``
    (default: median CM I % of all customers) and unused potential
    (potential − last-year revenue) ≥ ``min_headroom`` × potential.

    Missing data: a trend or margin condition that no customer has data for is left
    out (``attrs["skipped"]`` names it: ``trend`` / ``margin``); without any potential
    no customer can be a smart account (unused potential defines them:
    ``attrs["skipped"]`` holds ``potential``, ``attrs["available"]`` is False).

    Args:
        frame: per customer ``priority_class``, ``revenue_last_year``, ``trend``,
            ``margin_pct`` (share), ``potential`` (currency).
        settings: the rule's parameters.
        lang: language of the reason text.
        texts: build the reason texts (False: empty, faster).
        currency: ISO code for the money in the texts.

    Returns:
        DataFrame with ``smart_account`` (bool), ``potential_headroom`` (currency) and
        ``smart_account_reason`` (text, empty when not a smart account);
        ``attrs["min_margin_pct"]`` is the margin limit used (NaN when left out).

    >>> f = pd.DataFrame({"priority_class": ["C", "C", "A"], "revenue_last_year": [100.0, 100.0, 900.0],
    ...     "trend": [0.2, -0.1, 0.3], "margin_pct": [0.4, 0.4, 0.4], "potential": [500.0, 500.0, 2000.0]})
    >>> smart_accounts(f, lang="en")["smart_account"].tolist()
    [True, False, False]
    """
    check_language(lang)
    s = settings or SmartAccountSettings()
    cls = frame[PRIORITY_CLASS].astype("str")
    rev = pd.to_numeric(frame["revenue_last_year"], errors="coerce").fillna(0.0)
    trend = pd.to_numeric(frame["trend"], errors="coerce")
    mpct = pd.to_numeric(frame["margin_pct"], errors="coerce")
    pot = pd.to_numeric(frame["potential"], errors="coerce")
    has = {
        "trend": bool(trend.notna().any()),
        "margin": bool(mpct.notna().any()),
        "potential": bool((pot > 0).any()),
    }
    small = cls.isin(s.classes)
    if s.max_revenue is not None:
        small |= rev < s.max_revenue
    limit = s.min_margin_pct if s.min_margin_pct is not None else float(mpct.median())
    if not has["margin"]:
        limit = float("nan")
    headroom = (pot - rev).clip(lower=0.0)
    flag = small & (headroom >= s.min_headroom * pot) & (pot > 0)
    if has["trend"]:
        flag &= trend > s.min_trend
    if has["margin"]:
        flag &= mpct >= limit
    flag = flag.fillna(False).astype(bool)
    reason = np.full(len(frame), "", dtype=object)
    f = flag.to_numpy()
    if texts and f.any():
        k = int(f.sum())
        parts = []
        if has["trend"]:
            parts.append(
                fill_template(
                    "screen.smart.part.trend",
                    lang,
                    k,
                    trend=_vec_pct(trend.to_numpy()[f], lang, signed=True),
                )
            )
        if has["margin"]:
            parts.append(
                fill_template(
                    "screen.smart.part.margin",
                    lang,
                    k,
                    margin=_vec_pct(mpct.to_numpy()[f], lang),
                    limit=format_pct(limit, lang),
                )
            )
        parts.append(
            fill_template(
                "screen.smart.part.headroom",
                lang,
                k,
                headroom=_vec_money(headroom.to_numpy()[f], lang, currency),
            )
        )
        text = parts[0]
        for part in parts[1:]:
            text = text + ", " + part
        reason[f] = text
    out = pd.DataFrame(
        {
            SMART_ACCOUNT: f,
            HEADROOM: headroom.to_numpy(),
            SMART_REASON: pd.array(reason.astype(str), dtype="str"),
        }
    )
    out.index = frame.index
    out.attrs["min_margin_pct"] = limit
    out.attrs["skipped"] = [k for k, v in has.items() if not v]
    out.attrs["available"] = has["potential"]
    return out


# --- why this class -------------------------------------------------------------------


def criterion_label(name: str, lang: str) -> str:
    """Display name of a criterion (``screen.crit.<name>``, else ``col.<name>``, else the name).

    >>> criterion_label("revenue_last_year", "en")
    'Revenue last year'
    """
    table = translations()
    for key in (f"screen.crit.{name}", f"col.{name}"):
        if key in table:
            return table[key][lang]
    return name.replace("_", " ")


def _points_text(values: np.ndarray, lang: str, minus: str = "−") -> np.ndarray:
    """Signed score points with one decimal, vectorised: ``+8,2`` (de) / ``+8.2`` (en).

    Uses a lookup table of the texts 0.0 … 100.0 (contributions never exceed 100 points).
    """
    tenths = np.minimum(np.floor(np.abs(np.nan_to_num(values)) * 10.0 + 0.5), 1000).astype("int64")
    mark = "," if lang == "de" else "."
    table = np.array([f"{k // 10}{mark}{k % 10}" for k in range(1001)], dtype=object)
    sign = np.where(values >= 0, "+", minus).astype(object)
    return sign + table[tenths]


def why_codes(contrib: pd.DataFrame, *, n: int = 2, min_points: float = 0.5) -> pd.DataFrame:
    """The criteria that raised (``why_up``) and lowered (``why_down``) a score most, as
    language-free codes (what ``screening.parquet`` stores; :func:`translate_why` makes text).

    Args:
        contrib: score points per customer and criterion (:func:`scoring.contributions`).
        n: how many criteria per direction (2-3 is readable).
        min_points: contributions smaller than this (absolute) are left out.

    Returns:
        DataFrame with the index of ``contrib``: ``why_up`` and ``why_down`` (str), each
        ``"<criterion>=<signed score points, one decimal>"`` joined by ``;``, largest
        first; empty when nothing qualifies.

    >>> c = pd.DataFrame({"trend": [5.0, -3.0], "margin": [-2.0, 1.0]})
    >>> why_codes(c).to_dict("list")
    {'why_up': ['trend=+5.0', 'margin=+1.0'], 'why_down': ['margin=-2.0', 'trend=-3.0']}
    """
    names = np.asarray([str(c) for c in contrib.columns], dtype=object)
    vals = np.nan_to_num(contrib.to_numpy(dtype="float64"), nan=0.0)
    k = vals.shape[1]
    out = {}
    for col, sign in ((WHY_UP, 1.0), (WHY_DOWN, -1.0)):
        order = np.argsort(-sign * vals, axis=1, kind="stable")[:, : min(n, k)]
        text = np.full(len(vals), "", dtype=object)
        for j in range(order.shape[1]):  # loop over the n ranks, not customers
            idx = order[:, j]
            v = vals[np.arange(len(vals)), idx]
            ok = sign * v >= min_points
            part = names[idx] + "=" + _points_text(v, "en", minus="-")
            sep = np.where(text == "", "", ";")
            text = np.where(ok, text + sep + part, text)
        out[col] = pd.array(text.astype(str), dtype="str")
    return pd.DataFrame(out, index=contrib.index)


def translate_why(codes: pd.Series, lang: str) -> pd.Series:
    """Texts of :func:`why_codes` in ``lang``: ``"Revenue trend +5.0, CM I p.a. +1.0"``.

    >>> translate_why(pd.Series(["trend=+5.0;margin=-1.5", ""]), "de").tolist()
    ['Umsatztrend +5,0, DB I p.a. −1,5', '']
    """
    check_language(lang)
    s = codes.astype("str").fillna("").reset_index(drop=True)
    parts = s.str.split(";").explode()
    parts = parts[parts.fillna("") != ""]
    out = pd.Series("", index=s.index, dtype="str")
    if len(parts):
        pair = parts.str.split("=", n=1)
        crit = pair.str[0]
        names = crit.map({c: criterion_label(c, lang) for c in crit.unique()})
        points = pd.to_numeric(pair.str[1], errors="coerce").to_numpy(dtype="float64")
        text = names + " " + _points_text(points, lang)
        out.loc[text.index.unique()] = text.groupby(level=0, sort=False).agg(", ".join)
    return pd.Series(out.to_numpy(), index=codes.index, dtype="str", name=codes.name)


def why_texts(
    contrib: pd.DataFrame, lang: str = "de", n: int = 2, min_points: float = 0.5
) -> pd.DataFrame:
    """:func:`why_codes` translated (:func:`translate_why`), for display.

    >>> c = pd.DataFrame({"trend": [5.0, -3.0], "margin": [-2.0, 1.0]})
    >>> why_texts(c, "en").to_dict("list")
    {'why_up': ['Revenue trend +5.0', 'CM I p.a. +1.0'], 'why_down': ['CM I p.a. −2.0', 'Revenue trend −3.0']}
    """
    codes = why_codes(contrib, n=n, min_points=min_points)
    return pd.DataFrame({col: translate_why(codes[col], lang) for col in (WHY_UP, WHY_DOWN)})


# --- comparison and sensitivity -----------------------------------------------------


def class_crosstab(rows: pd.Series, cols: pd.Series, row_name: str, col_name: str) -> pd.DataFrame:
    """Customer counts of one classification (rows) against another (columns), A-D first.

    >>> class_crosstab(pd.Series(["A", "C"]), pd.Series(["B", "C"]), "abc_class", "priority_class").loc["A", "B"]
    np.int64(1)
    """
    r = rows.astype("str").fillna(NONE)
    c = cols.astype("str").reindex(rows.index).fillna(NONE)
    counts = (
        pd.DataFrame({row_name: r.to_numpy(), col_name: c.to_numpy()})
        .groupby([row_name, col_name])
        .size()
    )
    table = counts.unstack(fill_value=0) if len(counts) else pd.DataFrame()
    out = table.reindex(
        index=class_order(r.unique()), columns=class_order(c.unique()), fill_value=0
    )
    out = out.loc[(out.sum(axis=1) > 0) | out.index.isin(C.CLASSES)]
    return out.fillna(0).astype("int64").rename_axis(index=row_name, columns=col_name)


def _class_number(labels: pd.Series) -> np.ndarray:
    return (
        labels.astype("str")
        .map({k: i for i, k in enumerate(C.CLASSES)})
        .to_numpy(dtype="float64", na_value=np.nan)
    )


def priority_changes(table: pd.DataFrame, against: str = ABC_CLASS) -> pd.DataFrame:
    """Customers whose priority class differs from another classification.

    Args:
        table: the screening table (``priority_class`` and ``against``, e.g.
            ``abc_class`` or ``current_class``).
        against: the column to compare with.

    Returns:
        The rows that changed with a column ``class_change`` (+1 = one class better in
        the screening, −2 = two classes worse, …), sorted by the size of the change,
        then by last-year revenue (largest first).

    >>> tb = pd.DataFrame({"abc_class": ["A", "C", "B"], "priority_class": ["A", "A", "D"],
    ...                    "revenue_last_year": [9.0, 5.0, 7.0]})
    >>> priority_changes(tb)["class_change"].tolist()
    [-2, 2]
    """
    other = _class_number(table[against])
    mine = _class_number(table[PRIORITY_CLASS])
    change = other - mine
    keep = ~np.isnan(change) & (change != 0)
    out = table.loc[keep].copy()
    out[CLASS_CHANGE] = change[keep].astype("int64")
    key = pd.DataFrame(
        {"a": -np.abs(out[CLASS_CHANGE]), "r": -out["revenue_last_year"].to_numpy()},
        index=out.index,
    )
    return out.loc[key.sort_values(["a", "r"], kind="stable").index]


def sensitivity(
    normalized: pd.DataFrame,
    weights: pd.Series,
    class_settings: ScreeningClassSettings,
    missing: str = "reweight",
    step: float = 0.2,
) -> pd.DataFrame:
    """Share of customers that change class when one weight moves by ±``step``.

    Args:
        normalized: customers x criteria (0-1, NaN missing).
        weights: weight per criterion (index = columns of ``normalized``).
        class_settings: how classes are assigned (shares or thresholds).
        missing: missing-value policy.
        step: relative change of one weight (0.2 = ±20 %).

    Returns:
        DataFrame indexed by ``criterion`` (weighted criteria only), columns
        ``minus`` and ``plus`` (share of customers with another class at weight ×
        (1 − step) / × (1 + step)) and ``max`` (the larger), sorted by ``max`` descending.

    >>> s = pd.DataFrame({"a": [0.0, 0.5, 1.0, 0.3], "b": [0.9, 0.35, 0.0, 0.8]}, index=list("wxyz"))
    >>> cs = ScreeningClassSettings(shares={"A": 0.25, "B": 0.25, "C": 0.25, "D": 0.25})
    >>> sensitivity(s, pd.Series({"a": 1.0, "b": 1.0}), cs).to_dict("list")
    {'minus': [0.5, 1.0], 'plus': [1.0, 0.5], 'max': [1.0, 1.0]}
    """
    w = weights.reindex(normalized.columns).fillna(0.0).to_numpy(dtype="float64")
    prepared = S.ScoreMatrix.of(normalized.to_numpy(dtype="float64"), missing)
    base = assign_priority_classes(
        pd.Series(S.score_prepared(prepared, w), index=normalized.index), class_settings
    )
    base_v = base.to_numpy()
    rows = []
    for j, name in enumerate(normalized.columns):  # loop over criteria
        if w[j] <= 0:
            continue
        res = {"criterion": name}
        for label, f in (("minus", 1.0 - step), ("plus", 1.0 + step)):
            w2 = w.copy()
            w2[j] *= f
            cls = assign_priority_classes(
                pd.Series(S.score_prepared(prepared, w2), index=normalized.index), class_settings
            )
            res[label] = float(np.mean(cls.to_numpy() != base_v)) if len(base_v) else 0.0
        rows.append(res)
    out = pd.DataFrame(rows, columns=["criterion", "minus", "plus"]).set_index("criterion")
    out["max"] = out[["minus", "plus"]].max(axis=1)
    return out.sort_values("max", ascending=False, kind="stable")


# --- summaries ------------------------------------------------------------------------


def group_summary(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Customers, revenue, margin and score per group (priority class or service level).

    Args:
        table: the screening table with ``by``, ``score``, ``revenue_total``,
            ``margin_total`` (currency, analysis period).
        by: ``priority_class`` or ``service_level``.

    Returns:
        DataFrame indexed by the groups (A-D, or strategic/sales/service): ``customers``,
        ``customer_share``, ``revenue``, ``revenue_share``, ``margin``, ``margin_share``
        (shares 0-1 of the totals), ``score_mean``, ``score_min``, ``score_max``.

    >>> tb = pd.DataFrame({"priority_class": ["A", "B", "B"], "score": [90.0, 40.0, 50.0],
    ...                    "revenue_total": [80.0, 10.0, 10.0], "margin_total": [8.0, 1.0, 1.0]})
    >>> group_summary(tb, "priority_class").loc["B", ["customers", "revenue_share"]].tolist()
    [2.0, 0.2]
    """
    g = table.groupby(table[by].astype("str"), sort=False)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "revenue": g[C.REVENUE_TOTAL].sum(),
            "margin": g[C.MARGIN_TOTAL].sum(min_count=1) if C.MARGIN_TOTAL in table else np.nan,
            "score_mean": g[S.SCORE].mean(),
            "score_min": g[S.SCORE].min(),
            "score_max": g[S.SCORE].max(),
        }
    )
    order = list(LEVELS) if by == SERVICE_LEVEL else class_order(out.index)
    out = out.reindex(
        [k for k in order if k in out.index] + [k for k in out.index if k not in order]
    )
    out["customers"] = out["customers"].astype("int64")
    for col, share in (
        ("customers", "customer_share"),
        ("revenue", "revenue_share"),
        ("margin", "margin_share"),
    ):
        total = out[col].sum(min_count=1)
        out[share] = out[col] / total if pd.notna(total) and total != 0 else np.nan
    cols = [
        "customers",
        "customer_share",
        "revenue",
        "revenue_share",
        "margin",
        "margin_share",
        "score_mean",
        "score_min",
        "score_max",
    ]
    return out[cols].rename_axis(by)


# --- the whole screening ----------------------------------------------------------------


def _empty_dropped() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": [],
            "direction": [],
            "normalization": [],
            "unit": [],
            "weight": [],
            "weight_share": [],
            "source": [],
        },
        index=pd.Index([], name="criterion", dtype="str"),
    )


@dataclass(frozen=True)
class ScreeningInputs:
    """The weight-independent part of the screening (computed once per client).

    ``base``: per customer (index ``customer_id``) the carried customer-table columns
    and the revenue-only ABC class; ``values``: raw criterion values (all catalog
    criteria); ``criteria``: the criteria in use (:func:`scoring.criteria_table`);
    ``normalized``: 0-1 values of those criteria; ``dropped``: the configured criteria
    left out because no customer has data for them (:func:`scoring.available_criteria`);
    ``fallback``: the criterion scored alone when no weighted criterion had data.
    """

    config: ClientConfig
    base: pd.DataFrame
    values: pd.DataFrame
    criteria: pd.DataFrame
    normalized: pd.DataFrame
    dropped: pd.DataFrame = field(default_factory=_empty_dropped)
    fallback: str | None = None


@dataclass
class ScreeningResult:
    """Outcome of one scoring run.

    ``table``: one row per customer (``customer_id`` column; the content of
    ``screening.parquet``); ``criteria``: criteria with weights used and missing
    counts; ``contributions``: score points per customer and criterion;
    ``capacity``: :func:`capacity_check`; ``settings``: the settings used;
    ``thresholds``: portfolio thresholds (score, position); ``dropped``: criteria left
    out for lack of data (see :class:`ScreeningInputs`). ``extras`` holds the currency,
    the margin limit of the smart accounts, ``smart_skipped`` (smart-account
    conditions left out for lack of data), ``smart_available`` and ``fallback``.
    """

    table: pd.DataFrame
    criteria: pd.DataFrame
    contributions: pd.DataFrame
    capacity: pd.DataFrame
    settings: ScreeningSettings
    lang: str
    thresholds: tuple[float, float] = (50.0, 0.5)
    extras: dict[str, object] = field(default_factory=dict)
    dropped: pd.DataFrame = field(default_factory=_empty_dropped)

    def class_summary(self) -> pd.DataFrame:
        """:func:`group_summary` by priority class."""
        return group_summary(self.table, PRIORITY_CLASS)

    def level_summary(self) -> pd.DataFrame:
        """:func:`group_summary` by service level."""
        return group_summary(self.table, SERVICE_LEVEL)


def prepare_screening(
    customer_table: pd.DataFrame, config: ClientConfig, settings: ScreeningSettings | None = None
) -> ScreeningInputs:
    """Criteria values, criteria in use and their normalised values (weight-independent).

    Args:
        customer_table: output of ``build_customer_table`` (``PreparedClient.customer_table``).
        config: the client config.
        settings: screening settings instead of ``config.screening``.

    Returns:
        :class:`ScreeningInputs`. The input frame is not changed. Criteria that no
        customer has data for are left out (``dropped``), the weights of the others
        re-normalised.
    """
    s = settings or config.screening
    ct = index_by_customer(customer_table)
    ct.index = ct.index.astype("str")
    values = S.criteria_values(ct, config)
    available = S.available_criteria(S.criteria_table(config, s), values, s.normalization)
    crit = available.used
    normalized = S.normalize_criteria(values, crit, tuple(s.winsor))
    base = ct[[c for c in CARRY_COLUMNS if c in ct.columns]].copy()
    base[ABC_CLASS] = abc_d_classes(ct, config.classes, config.analysis.years).astype("str")
    return ScreeningInputs(
        config=config,
        base=base,
        values=values,
        criteria=crit,
        normalized=normalized,
        dropped=available.dropped,
        fallback=available.fallback,
    )


def score_customers(
    inputs: ScreeningInputs,
    settings: ScreeningSettings | None = None,
    weights: Mapping[str, float] | None = None,
    lang: str = "de",
    explain: bool = True,
) -> ScreeningResult:
    """Score, classes, service levels, portfolio, smart accounts (the fast, weight-dependent part).

    Args:
        inputs: from :func:`prepare_screening`.
        settings: classes, levels, missing policy, … (default: ``config.screening``);
            its ``criteria`` are ignored here (fixed in ``inputs``), use ``weights``.
        weights: criterion -> weight overriding the configured ones (others keep theirs);
            weights of criteria left out for lack of data (``inputs.dropped``) are ignored.
        lang: language of the texts (why this class, smart-account reason).
        explain: compute the "why" texts (skip for fast interactive previews).

    Returns:
        :class:`ScreeningResult`.
    """
    check_language(lang)
    s = settings or inputs.config.screening
    crit = inputs.criteria.copy()
    if weights:
        weights = {k: v for k, v in weights.items() if k not in inputs.dropped.index}
        unknown = sorted(set(weights) - set(crit.index))
        if unknown:
            raise ValueError(f"unknown criteria {unknown}; in use: {list(crit.index)}")
        for k, v in weights.items():
            if v < 0:
                raise ValueError(f"weight of {k} must be >= 0, got {v}")
            crit.loc[k, "weight"] = float(v)
        total = crit["weight"].sum()
        crit["weight_share"] = crit["weight"] / total if total > 0 else 0.0
    w = crit["weight"].to_numpy(dtype="float64")
    norm = inputs.normalized
    score = pd.Series(
        S.score_matrix(norm.to_numpy(dtype="float64"), w, s.missing), index=norm.index, name=S.SCORE
    )
    order = _rank_order(score)  # one sort for rank, classes and levels
    classes = assign_priority_classes(score, s.classes, order)
    levels = assign_service_levels(score, classes, s.service_levels, order=order)
    used = norm.loc[:, crit.index[crit["weight"] > 0]]
    n_missing, missing_names = S.missing_summary(
        used.rename(columns=lambda c: criterion_label(str(c), lang))
    )

    vals = inputs.values
    cols: dict[str, object] = {c: inputs.base[c] for c in inputs.base.columns}
    cols[S.SCORE] = score
    cols[RANK] = rank_scores(score, order)
    cols[PRIORITY_CLASS] = classes
    cols[SERVICE_LEVEL] = levels
    channel_map = dict(s.service_levels.channels)
    cols[RECOMMENDED_CHANNEL] = pd.Series(
        pd.array(levels.map(channel_map), dtype="str"), index=levels.index
    )
    for name in vals.columns:
        cols[name] = vals[name]
    if s.portfolio.position in vals:
        position = vals[s.portfolio.position]
    elif s.portfolio.position in inputs.base:
        position = inputs.base[s.portfolio.position]
    else:  # not a screening column: no position (the notebook says so)
        position = pd.Series(np.nan, index=norm.index)
    quad = portfolio_quadrants(score, position, s.portfolio)
    cols[QUADRANT] = quad
    smart_in = pd.DataFrame(
        {
            k: cols[k]
            for k in (PRIORITY_CLASS, "revenue_last_year", "trend", "margin_pct", "potential")
        }
    )
    smart = smart_accounts(
        smart_in, s.smart_accounts, lang, texts=explain, currency=inputs.config.client.currency
    )
    for c in (SMART_ACCOUNT, HEADROOM, SMART_REASON):
        cols[c] = smart[c]
    cols[S.N_MISSING] = pd.Series(n_missing, index=norm.index)
    cols[S.MISSING_CRITERIA] = missing_names
    contrib = S.contributions(norm, w, s.missing)
    if explain:
        why = why_codes(contrib.loc[:, crit.index[crit["weight"] > 0]])  # codes, not text
        cols[WHY_UP] = why[WHY_UP]
        cols[WHY_DOWN] = why[WHY_DOWN]
    for name in norm.columns:
        cols[S.NORM_PREFIX + name] = norm[name]
    table = pd.DataFrame(cols, index=norm.index)

    crit_out = crit.copy()
    crit_out["n_missing"] = norm.isna().sum().reindex(crit.index).astype("int64")
    result = ScreeningResult(
        table=table.reset_index(),
        criteria=crit_out,
        contributions=contrib,
        capacity=capacity_check(levels, s.service_levels, s.capacity),
        settings=s,
        lang=lang,
        thresholds=quad.attrs["thresholds"],
        extras={
            "min_margin_pct": smart.attrs["min_margin_pct"],
            "currency": inputs.config.client.currency,
            "smart_skipped": list(smart.attrs["skipped"]),
            "smart_available": bool(smart.attrs["available"]),
            "fallback": inputs.fallback,
        },
        dropped=inputs.dropped.copy(),
    )
    return result


def run_screening(
    customer_table: pd.DataFrame,
    config: ClientConfig,
    lang: str = "de",
    settings: ScreeningSettings | None = None,
) -> ScreeningResult:
    """The whole screening with the config's weights: :func:`prepare_screening` then
    :func:`score_customers`.

    >>> from kk_helpers.core.config import parse_config
    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2024, 2025]},
    ...     "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}}})
    >>> ct = pd.DataFrame({"customer_id": ["a", "b"], "revenue_total": [90.0, 10.0],
    ...     "revenue_2024": [40.0, 5.0], "revenue_2025": [50.0, 5.0], "trend": [0.2, 0.0]})
    >>> run_screening(ct, cfg, "en").table[["customer_id", "priority_class"]].values.tolist()
    [['a', 'B'], ['b', 'D']]
    """
    inputs = prepare_screening(customer_table, config, settings)
    return score_customers(inputs, settings, lang=lang)


# --- findings ---------------------------------------------------------------------


def screening_findings(
    result: ScreeningResult, lang: str = "de", sens: pd.DataFrame | None = None
) -> list[str]:
    """Short generated findings of a screening, in ``lang`` (for the notebook).

    Args:
        result: the screening.
        lang: ``de`` or ``en``.
        sens: output of :func:`sensitivity` (optional).

    Returns:
        List of sentences; the first names the criteria left out for lack of data
        (when any weighted criterion was).
    """
    check_language(lang)
    tb = result.table
    n = len(tb)
    out: list[str] = []
    if n == 0:
        return out
    out.extend(dropped_findings(result, lang))
    summ = result.class_summary()
    if "A" in summ.index:
        a = summ.loc["A"]
        out.append(
            t(
                "screen.finding.a_class"
                if pd.notna(a["margin_share"])
                else "screen.finding.a_class_nomargin",
                lang,
                n=format_number(a["customers"], lang),
                share=format_pct(a["customer_share"], lang),
                revenue=format_pct(a["revenue_share"], lang),
                margin=format_pct(a["margin_share"], lang),
            )
        )
    small = ["C", "D"]  # priority classes (not the revenue ABC of notebook 01)
    if any(k in summ.index for k in small):
        cust, rev = class_shares(tb[PRIORITY_CLASS], tb[C.REVENUE_TOTAL], small)
        out.append(
            t(
                "screen.finding.cd_classes",
                lang,
                classes="/".join(small),
                share=format_pct(cust, lang),
                revenue=format_pct(rev, lang),
            )
        )
    cap = result.capacity.dropna(subset=["utilisation"])
    if len(cap):
        role = cap["utilisation"].idxmax()
        key = (
            "screen.finding.capacity_over"
            if cap.loc[role, "utilisation"] > 1
            else "screen.finding.capacity_ok"
        )
        out.append(
            t(
                key,
                lang,
                role=label_map([str(role)], lang, "screen.role.")[str(role)],
                util=format_pct(cap.loc[role, "utilisation"], lang),
                hours=format_number(cap.loc[role, "required"], lang),
            )
        )
    smart = tb[tb[SMART_ACCOUNT]]
    skipped = result.extras.get("smart_skipped", [])
    if not result.extras.get("smart_available", True):
        out.append(t("screen.finding.smart_none", lang))
    else:
        out.append(
            t(
                "screen.finding.smart_nomargin" if "margin" in skipped else "screen.finding.smart",
                lang,
                n=format_number(len(smart), lang),
                revenue=format_money(
                    smart["revenue_last_year"].sum(), lang, result_currency(result)
                ),
                headroom=format_money(smart[HEADROOM].sum(), lang, result_currency(result)),
            )
        )
    changes = priority_changes(tb)
    if len(changes):
        out.append(
            t(
                "screen.finding.changes",
                lang,
                n=format_number(len(changes), lang),
                share=format_pct(len(changes) / n, lang),
                up=format_number(int((changes[CLASS_CHANGE] > 0).sum()), lang),
                down=format_number(int((changes[CLASS_CHANGE] < 0).sum()), lang),
            )
        )
    n_miss = int((tb[S.N_MISSING] > 0).sum())
    n_est = int(tb[S.POTENTIAL_ESTIMATED].sum())
    has_potential = bool(pd.to_numeric(tb["potential"], errors="coerce").notna().any())
    out.append(
        t(
            "screen.finding.missing" if has_potential else "screen.finding.missing_nopot",
            lang,
            n=format_number(n_miss, lang),
            share=format_pct(n_miss / n, lang),
            policy=t(f"screen.missing.{result.settings.missing}", lang),
            n_est=format_number(n_est, lang),
        )
    )
    if sens is not None and len(sens):
        top = sens.index[0]
        key = "screen.finding.sensitive" if sens["max"].iloc[0] > 0.1 else "screen.finding.robust"
        out.append(
            t(
                key,
                lang,
                share=format_pct(sens["max"].iloc[0], lang, 1),
                criterion=criterion_label(str(top), lang),
            )
        )
    return out


def _join_labels(names: Sequence[str], lang: str) -> str:
    return ", ".join(criterion_label(str(c), lang) for c in names)


def dropped_findings(result: ScreeningResult, lang: str) -> list[str]:
    """The finding on criteria left out for lack of data (weighted ones, grouped by what
    is missing) and on the fallback to revenue alone; empty when nothing was left out.

    >>> import types
    >>> r = types.SimpleNamespace(extras={}, criteria=pd.DataFrame({"weight": [1.0]}),
    ...     dropped=pd.DataFrame({"weight": [15.0], "source": ["margin"]}, index=["margin"]))
    >>> dropped_findings(r, "en")[0].startswith("Left out of the scoring for lack of data")
    True
    """
    check_language(lang)
    dropped = result.dropped
    weighted = dropped[dropped["weight"] > 0] if len(dropped) else dropped
    out: list[str] = []
    if len(weighted):
        groups = [
            t(
                "screen.dropped.group",
                lang,
                criteria=_join_labels(list(part.index), lang),
                reason=t(f"screen.source.{source}", lang),
            )
            for source, part in weighted.groupby("source", sort=False)
        ]
        used = result.criteria
        out.append(
            t(
                "screen.finding.dropped",
                lang,
                n=format_number(len(weighted), lang),
                groups="; ".join(groups),
                kept=format_number(int((used["weight"] > 0).sum()), lang),
            )
        )
    fallback = result.extras.get("fallback")
    if fallback:
        out.append(
            t("screen.finding.fallback", lang, criterion=criterion_label(str(fallback), lang))
        )
    return out


def dropped_overview(result: ScreeningResult, lang: str) -> pd.DataFrame:
    """Criteria left out for lack of data, for display: configured ``weight`` and
    ``weight_share`` and what is missing (``dropped_reason``); index = criterion label,
    weighted criteria first. Empty when nothing was left out."""
    d = result.dropped
    if d.empty:
        return pd.DataFrame(
            {"weight": [], "weight_share": [], "dropped_reason": []},
            index=pd.Index([], name="criterion"),
        )
    d = d.sort_values("weight", ascending=False, kind="stable")
    return pd.DataFrame(
        {
            "weight": d["weight"].to_numpy(dtype="float64"),
            "weight_share": d["weight_share"].to_numpy(dtype="float64"),
            "dropped_reason": [t(f"screen.source.{src}", lang) for src in d["source"]],
        },
        index=pd.Index([criterion_label(str(c), lang) for c in d.index], name="criterion"),
    )


def portfolio_available(result: ScreeningResult) -> bool:
    """True when at least one customer has a supplier position (a portfolio quadrant)."""
    return bool((result.table[QUADRANT].astype("str") != NONE).any())


#: sections of :func:`data_notes`
NOTE_SECTIONS: tuple[str, ...] = ("criteria", "classes", "portfolio", "smart", "comparison")


def data_notes(result: ScreeningResult, lang: str) -> dict[str, list[str]]:
    """What the sections of notebook 02 could not compute for lack of data, and why.

    Returns:
        Section (:data:`NOTE_SECTIONS`) -> list of translated notes (empty list: nothing
        to say): ``criteria`` (criteria left out, fallback), ``classes`` (no margin),
        ``portfolio`` (no supplier position), ``smart`` (no potential, conditions left
        out), ``comparison`` (no current class of the client).
    """
    check_language(lang)
    tb = result.table
    notes: dict[str, list[str]] = {k: [] for k in NOTE_SECTIONS}
    if len(result.dropped):
        notes["criteria"].append(
            t(
                "screen.note.dropped",
                lang,
                criteria=_join_labels(list(result.dropped.index), lang),
            )
        )
    fallback = result.extras.get("fallback")
    if fallback:
        notes["criteria"].append(
            t("screen.finding.fallback", lang, criterion=criterion_label(str(fallback), lang))
        )
    if C.MARGIN_TOTAL not in tb.columns or tb[C.MARGIN_TOTAL].isna().all():
        notes["classes"].append(t("screen.note.no_margin", lang))
    if not portfolio_available(result):
        position = result.settings.portfolio.position
        notes["portfolio"].append(
            t("screen.note.no_position", lang, position=column_label(position, lang))
        )
    skipped = result.extras.get("smart_skipped", [])
    if not result.extras.get("smart_available", True):
        notes["smart"].append(t("screen.note.smart_no_potential", lang))
    else:
        left_out = [t(f"screen.smart.condition.{k}", lang) for k in skipped if k != "potential"]
        if left_out:
            notes["smart"].append(
                t("screen.note.smart_skipped", lang, conditions=", ".join(left_out))
            )
    if C.CURRENT_CLASS not in tb.columns or tb[C.CURRENT_CLASS].isna().all():
        notes["comparison"].append(t("screen.note.no_current_class", lang))
    return notes


def notes_markdown(notes: Sequence[str], lang: str) -> str:
    """Notes as a Markdown block (``**Note:** …``), empty string when there are none."""
    items = [n for n in notes if n]
    if not items:
        return ""
    label = t("screen.note.label", lang)
    return "\n\n".join(f"> **{label}:** {n}" for n in items)


def show_notes(notes: Mapping[str, Sequence[str]], section: str, lang: str) -> None:
    """Display the notes of one section of :func:`data_notes` (nothing when there are none)."""
    md = notes_markdown(notes.get(section, []), lang)
    if md:
        from IPython.display import Markdown, display

        display(Markdown(md))


def result_currency(result: ScreeningResult) -> str:
    """The client's currency code."""
    return result.extras.get("currency", "EUR")  # type: ignore[return-value]


def column_label(name: str, lang: str) -> str:
    """Header of a screening-table column: ``screen.col.<name>``, ``screen.crit.<name>``,
    ``col.<name>``, normalised ``s_<criterion>`` as "<criterion> (0-1)".

    >>> column_label("priority_class", "en")
    'Priority class'
    """
    table = translations()
    for key in (f"screen.col.{name}", f"screen.crit.{name}", f"col.{name}", f"screen.role.{name}"):
        if key in table:
            return table[key][lang]
    if name.startswith(S.NORM_PREFIX):
        return t(
            "screen.col.normalized",
            lang,
            criterion=criterion_label(name[len(S.NORM_PREFIX) :], lang),
        )
    return name.replace("_", " ")


#: value vocabularies of screening columns: column -> translation-key prefix
VALUE_VOCABULARIES: tuple[tuple[str, str], ...] = (
    (SERVICE_LEVEL, "screen.level."),
    (QUADRANT, "screen.quadrant."),
    (RECOMMENDED_CHANNEL, "channel."),
)
#: yes/no columns of the screening table (translated when boolean)
YES_NO_COLUMNS: tuple[str, ...] = (SMART_ACCOUNT, S.POTENTIAL_ESTIMATED)


def translate_values(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``frame`` with its values translated for display: level / quadrant /
    channel (:data:`VALUE_VOCABULARIES`; values without an entry stay) and the boolean
    yes/no columns (:data:`YES_NO_COLUMNS`). Column names stay canonical.

    >>> translate_values(pd.DataFrame({"service_level": ["sales"], "smart_account": [True]}),
    ...                  "de").iloc[0].tolist()
    ['vertrieblich', 'ja']
    """
    df = frame.copy()
    table = translations()
    for col, prefix in VALUE_VOCABULARIES:
        if col in df.columns:
            vocab = {
                v: table[prefix + v][lang]
                for v in df[col].dropna().astype(str).unique()
                if prefix + v in table
            }
            df[col] = df[col].astype("str").replace(vocab)
    for col in (WHY_UP, WHY_DOWN):
        if col in df.columns:
            df[col] = translate_why(df[col], lang).to_numpy()
    yes_no = {True: t("screen.yes", lang), False: t("screen.no", lang)}
    for col in YES_NO_COLUMNS:
        if col in df.columns and df[col].dtype == bool:
            df[col] = df[col].map(yes_no).astype("str")
    return df


#: display formats of screening columns (canonical names)
MONEY_COLUMNS = frozenset(
    {
        "revenue",
        "margin",
        "revenue_last_year",
        "revenue_avg",
        C.REVENUE_TOTAL,
        C.MARGIN_TOTAL,
        "potential",
        HEADROOM,
        "cm3",
        "avg_order_value",
        C.COST_TO_SERVE,
    }
)
PCT_COLUMNS = frozenset(
    {
        "customer_share",
        "revenue_share",
        "margin_share",
        "weight_share",
        "utilisation",
        "margin_pct",
        "trend",
        S.SHARE_OF_WALLET,
        "minus",
        "plus",
        "max",
        "activity_effort",
    }
)
NUMBER_COLUMNS = frozenset(
    {
        "customers",
        S.N_MISSING,
        "n_missing_customers",
        RANK,
        S.SCORE,
        "score_mean",
        "score_min",
        "score_max",
        "weight",
        "required",
        "available",
        "gap",
        "hours_strategic",
        "hours_sales",
        "hours_service",
        "order_frequency",
        "product_breadth",
        "recency",
        CLASS_CHANGE,
        "inside_sales",
        "field_sales",
        "management",
    }
)
ONE_DECIMAL = frozenset({S.SCORE, "score_mean", "score_min", "score_max", "order_frequency"})


def styled(
    frame: pd.DataFrame,
    lang: str,
    currency: str = "EUR",
    hide_index: bool = False,
    pct_decimals: int = 0,
):
    """A pandas ``Styler`` of a screening table: formats by column name, translated headers,
    translated level / quadrant / channel values and index labels.

    Args:
        frame: any screening table (canonical column names).
        lang: ``de`` or ``en``.
        currency: ISO code of money columns.
        hide_index: do not show the index.
        pct_decimals: decimals of percentage columns.

    Returns:
        ``pandas.io.formats.style.Styler`` (display it in the notebook).
    """
    from kk_helpers.core.formatting import styled_table

    df = translate_values(frame, lang)
    table = translations()
    idx_name = df.index.name
    if (
        idx_name in (SERVICE_LEVEL, "role", "criterion", "group")
        or df.index.dtype == object
        or df.index.dtype == "str"
    ):

        def _idx(v: object) -> object:
            for prefix in ("screen.level.", "screen.role.", "screen.crit.", "screen.quadrant."):
                if f"{prefix}{v}" in table:
                    return table[f"{prefix}{v}"][lang]
            return v

        df.index = pd.Index(
            [_idx(v) for v in df.index],
            name=column_label(str(idx_name), lang) if idx_name else None,
        )
    money = [c for c in df.columns if c in MONEY_COLUMNS]
    pct = [c for c in df.columns if c in PCT_COLUMNS]
    number = [c for c in df.columns if c in NUMBER_COLUMNS and pd.api.types.is_numeric_dtype(df[c])]
    decimals = {c: 1 for c in number if c in ONE_DECIMAL} | {c: pct_decimals for c in pct}
    return styled_table(
        df,
        lang,
        currency,
        money=money,
        pct=pct,
        number=number,
        decimals=decimals,
        hide_index=hide_index,
        labeler=column_label,
    )


def criteria_overview(result: ScreeningResult, lang: str) -> pd.DataFrame:
    """Criteria and weights for display: label, kind, direction, normalisation, weight,
    share, customers without a value (index = criterion label)."""
    crit = result.criteria
    out = pd.DataFrame(
        {
            "kind": [t(f"screen.kind.{k}", lang) for k in crit["kind"]],
            "direction": [t(f"screen.direction.{d}", lang) for d in crit["direction"]],
            "normalization": [t(f"screen.norm.{n}", lang) for n in crit["normalization"]],
            "weight": crit["weight"].to_numpy(),
            "weight_share": crit["weight_share"].to_numpy(),
            "n_missing_customers": crit["n_missing"].to_numpy(),
        },
        index=pd.Index([criterion_label(str(c), lang) for c in crit.index], name="criterion"),
    )
    return out


def missing_overview(result: ScreeningResult, lang: str) -> pd.DataFrame:
    """Counts for the missing-value section: customers by number of missing weighted
    criteria, and by basis of the potential (given / estimated from which peers).

    Returns:
        DataFrame indexed by a translated ``group`` label with ``customers`` and
        ``customer_share`` (0-1).
    """
    tb = result.table
    n = max(len(tb), 1)
    a = tb[S.N_MISSING].value_counts().sort_index()
    b = tb[S.POTENTIAL_BASIS].astype("str").value_counts()
    labels = [t("screen.missing.n", lang, n=int(k)) for k in a.index]
    labels += [
        t("screen.missing.potential", lang, basis=t(f"screen.basis.{k}", lang)) for k in b.index
    ]
    out = pd.DataFrame(
        {"customers": [*a.to_numpy(), *b.to_numpy()]}, index=pd.Index(labels, name="group")
    )
    out["customers"] = out["customers"].astype("int64")
    out["customer_share"] = out["customers"] / n
    return out


# --- notebook helpers -----------------------------------------------------------------

#: columns of the list preview in the notebook
PREVIEW_COLUMNS: tuple[str, ...] = (
    RANK,
    C.NAME,
    S.SCORE,
    PRIORITY_CLASS,
    SERVICE_LEVEL,
    RECOMMENDED_CHANNEL,
    SMART_ACCOUNT,
    WHY_UP,
    WHY_DOWN,
)
SMART_COLUMNS: tuple[str, ...] = (
    C.NAME,
    PRIORITY_CLASS,
    "revenue_last_year",
    "trend",
    "margin_pct",
    "potential",
    HEADROOM,
    SMART_REASON,
)
CHANGE_COLUMNS: tuple[str, ...] = (
    C.NAME,
    ABC_CLASS,
    PRIORITY_CLASS,
    CLASS_CHANGE,
    "revenue_last_year",
    WHY_UP,
    WHY_DOWN,
)


def top_list(
    result: ScreeningResult, n: int = 20, columns: Sequence[str] = PREVIEW_COLUMNS
) -> pd.DataFrame:
    """The ``n`` best customers by score with the preview columns (those present)."""
    tb = result.table.nsmallest(n, RANK)
    return tb[[c for c in columns if c in tb.columns]].reset_index(drop=True)


def smart_account_list(result: ScreeningResult, n: int = 20) -> pd.DataFrame:
    """The smart accounts with the most unused potential (``n`` rows)."""
    tb = result.table[result.table[SMART_ACCOUNT]]
    tb = tb.sort_values(HEADROOM, ascending=False, kind="stable").head(n)
    return tb[[c for c in SMART_COLUMNS if c in tb.columns]].reset_index(drop=True)


def change_list(result: ScreeningResult, n: int = 15, against: str = ABC_CLASS) -> pd.DataFrame:
    """The ``n`` customers with the largest class change vs. ``against``."""
    ch = priority_changes(result.table, against).head(n)
    cols = [against if c == ABC_CLASS else c for c in CHANGE_COLUMNS]
    return ch[[c for c in cols if c in ch.columns]].reset_index(drop=True)


def comparison_tables(result: ScreeningResult, lang: str) -> dict[str, pd.DataFrame]:
    """Crosstabs with translated axis names: ``abc`` (revenue ABC × priority class) and,
    where the client gives its own classes, ``current`` (current class × priority class)."""
    tb = result.table
    pc = column_label(PRIORITY_CLASS, lang)
    out = {
        "abc": class_crosstab(tb[ABC_CLASS], tb[PRIORITY_CLASS], column_label(ABC_CLASS, lang), pc)
    }
    if C.CURRENT_CLASS in tb.columns and tb[C.CURRENT_CLASS].notna().any():
        out["current"] = class_crosstab(
            tb[C.CURRENT_CLASS], tb[PRIORITY_CLASS], column_label(C.CURRENT_CLASS, lang), pc
        )
    return out


def result_sensitivity(inputs: ScreeningInputs, result: ScreeningResult) -> pd.DataFrame:
    """:func:`sensitivity` with the weights and settings of ``result``."""
    s = result.settings
    return sensitivity(
        inputs.normalized, result.criteria["weight"], s.classes, s.missing, s.sensitivity_step
    )


def labelled(series: pd.Series, lang: str) -> pd.Series:
    """``series`` with criterion names in the index replaced by their labels (for charts)."""
    return series.set_axis([criterion_label(str(i), lang) for i in series.index])


def quadrant_summary(result: ScreeningResult) -> pd.DataFrame:
    """:func:`group_summary` by portfolio quadrant (star, question mark, cash, opportunistic)."""
    out = group_summary(result.table, QUADRANT)
    order = [q for q in (*QUADRANTS, NONE) if q in out.index]
    return out.reindex(order)
