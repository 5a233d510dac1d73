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
    # revenue shares: negative net revenue counts as 0 (as for Gini)
    keys = table[by].astype("str").to_numpy()
    positive = share_basis(table[C.REVENUE_TOTAL]).groupby(keys, sort=False).sum()
    for col, share in (
        ("customers", "customers_share"),
        ("revenue", "revenue_share"),
        ("margin", "margin_share"),
    ):
        part = positive.reindex(out.index) if col == "revenue" else out[col]
        total = part.sum(min_count=1)
        out[share] = part / total if pd.notna(total) and total != 0 else np.nan
    cols = [
        "customers",
        "customers_share",
        "revenue",
        "revenue_share",
        "margin",
        "margin_share",
        "score_mean",
        "score_min",
        "score_max",
    ]
    return out[cols].rename_axis(by)
