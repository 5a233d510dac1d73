"""Comparison with other classifications, sensitivity of the classes, group summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ScreeningClassSettings
from kk_helpers.metrics import scoring as S
from kk_helpers.metrics.classes import class_order
from kk_helpers.metrics.concentration import share_basis
from kk_helpers.stages.screening.classes import assign_priority_classes
from kk_helpers.stages.screening.schema import (
    ABC_CLASS,
    CLASS_CHANGE,
    LEVELS,
    NONE,
    PRIORITY_CLASS,
    SERVICE_LEVEL,
)

# --- comparison and sensitivity -----------------------------------------------------


def class_crosstab(
    rows: pd.Series, cols: pd.Series, *, row_name: str, col_name: str
) -> pd.DataFrame:
    """Customer counts of one classification (rows) against another (columns), A-D first.

    >>> class_crosstab(pd.Series(["A", "C"]), pd.Series(["B", "C"]),
    ...                row_name="abc_class", col_name="priority_class").loc["A", "B"]
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
    *,
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
        ``customers_share``, ``revenue``, ``revenue_share``, ``margin``, ``margin_share``
        (shares 0-1 of the totals; negative net revenue counts 0 in ``revenue_share``,
        as for Gini), ``score_mean``, ``score_min``, ``score_max``.

    >>> tb = pd.DataFrame({"priority_class": ["A", "B", "B"], "score": [90.0, 40.0, 50.0],
    ...                    "revenue_total": [80.0, 10.0, 10.0], "margin_total": [8.0, 1.0, 1.0]})
    >>> group_summary(tb, "priority_class").loc["B", ["customers", "revenue_share"]].tolist()
    [2.0, 0.2]
    """
    codes, labels = pd.factorize(table[by].astype("str"), sort=False)  # -1: no group
    return summarise_groups(
        codes,
        labels,
        by,
        revenue=table[C.REVENUE_TOTAL],
        margin=table.get(C.MARGIN_TOTAL),
        score=table[S.SCORE],
    )


def summarise_groups(
    codes: np.ndarray,
    labels: object,
    by: str,
    *,
    revenue: pd.Series | np.ndarray,
    margin: pd.Series | np.ndarray | None,
    score: pd.Series | np.ndarray,
    positive: np.ndarray | None = None,
) -> pd.DataFrame:
    """:func:`group_summary` from group numbers (THE computation; re-scoring uses it
    with the class and level numbers directly, without building labels).

    Args:
        codes: int array, one group number per customer (position in ``labels``; -1 = none).
        labels: the group labels (list-like of str).
        by: name of the grouping (``priority_class`` or ``service_level``; sets the order).
        revenue, margin, score: per customer, aligned with ``codes`` (floats, NaN =
            missing; ``margin`` None when the table has no margin column).
        positive: :func:`~kk_helpers.metrics.concentration.share_basis` of ``revenue``
            when already computed (it does not depend on the groups).

    Returns:
        As :func:`group_summary` (sums per group in table order; missing values are
        left out, a group without any margin has margin NaN).

    >>> summarise_groups(np.array([0, 1, 1]), ["A", "B"], "priority_class",
    ...     revenue=np.array([80.0, 10.0, 10.0]), margin=None,
    ...     score=np.array([90.0, 40.0, 50.0])).loc["B", ["customers", "score_mean"]].tolist()
    [2.0, 45.0]
    """
    names = np.asarray(labels, dtype=object)
    codes = np.asarray(codes, dtype="int64")
    rows = codes >= 0
    every = bool(rows.all())
    g = codes if every else codes[rows]
    k = len(names)

    def values(x: pd.Series | np.ndarray) -> np.ndarray:
        a = x.to_numpy(dtype="float64", na_value=np.nan) if isinstance(x, pd.Series) else x
        a = np.asarray(a, dtype="float64")
        return a if every else a[rows]

    def group_sum(x: np.ndarray) -> np.ndarray:  # per group, missing values left out
        return np.bincount(g, weights=np.where(np.isnan(x), 0.0, x), minlength=k)

    def count(x: np.ndarray) -> np.ndarray:
        return np.bincount(g[~np.isnan(x)], minlength=k)

    customers = np.bincount(g, minlength=k)
    present = np.flatnonzero(customers)
    sc = values(score)
    n_score = count(sc)
    lo, hi = np.full(k, np.nan), np.full(k, np.nan)
    np.fmin.at(lo, g, sc)  # fmin/fmax leave NaN out
    np.fmax.at(hi, g, sc)
    if margin is None:
        margin_sum = np.full(k, np.nan)
    else:
        mar = values(margin)
        margin_sum = np.where(count(mar) > 0, group_sum(mar), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n_score > 0, group_sum(sc) / n_score, np.nan)
    # revenue shares: negative net revenue counts as 0 (as for Gini)
    if positive is None:
        positive = share_basis(pd.Series(values(revenue))).to_numpy()
    elif not every:
        positive = np.asarray(positive)[rows]
    positive = np.bincount(g, weights=positive, minlength=k)
    seen = [str(names[j]) for j in present]
    order = list(LEVELS) if by == SERVICE_LEVEL else class_order(seen)
    if any(x not in order for x in seen):  # other groups after, in order of appearance
        _, first = np.unique(g, return_index=True)
        seen = [str(names[j]) for j in np.unique(g)[np.argsort(first, kind="stable")]]
    keys = [x for x in order if x in seen] + [x for x in seen if x not in order]
    pos = {str(names[j]): j for j in present}
    at = np.array([pos[x] for x in keys], dtype="int64")
    n_at = customers[at].astype("int64")
    margin_at = margin_sum[at]
    parts = {"customers": n_at.astype("float64"), "revenue": positive[at], "margin": margin_at}
    shares = {}
    for col, part in parts.items():  # share of the total; NaN when the total is 0 or none
        known = part[~np.isnan(part)]
        tot = known.sum() if len(known) else np.nan
        shares[col] = part / tot if not np.isnan(tot) and tot != 0 else np.full(len(part), np.nan)
    return pd.DataFrame(
        {
            "customers": n_at,
            "customers_share": shares["customers"],
            "revenue": group_sum(values(revenue))[at],
            "revenue_share": shares["revenue"],
            "margin": margin_at,
            "margin_share": shares["margin"],
            "score_mean": mean[at],
            "score_min": lo[at],
            "score_max": hi[at],
        },
        index=pd.Index(keys, dtype="str", name=by),
    )
