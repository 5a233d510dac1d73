"""Priority classes A-D from the score (by target shares or by score thresholds)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ScreeningClassSettings
from kk_helpers.metrics.capacity import classes_by_shares, share_codes
from kk_helpers.metrics.capacity import rank_order as _rank_order
from kk_helpers.stages.screening.schema import PRIORITY_CLASS, RANK


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
    codes = _threshold_codes(score.to_numpy(dtype="float64"), thresholds)
    return pd.Series(np.asarray(C.CLASSES, dtype=object)[codes], index=score.index, dtype="str")


def _threshold_codes(x: np.ndarray, thresholds: Mapping[str, float]) -> np.ndarray:
    """0 (A) if x ≥ t_A, 1 (B) if ≥ t_B, 2 (C) if ≥ t_C, else 3 (D; also NaN)."""
    conds = [x >= thresholds["A"], x >= thresholds["B"], x >= thresholds["C"]]
    return np.select(conds, [0, 1, 2], 3).astype("int64")


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


def priority_class_codes(
    score: np.ndarray, settings: ScreeningClassSettings, order: np.ndarray
) -> np.ndarray:
    """:func:`assign_priority_classes` as positions in ``C.CLASSES`` (0 = A … 3 = D), for
    re-scoring many times without building labels.

    Args:
        score: float array, one score per customer (NaN = no score).
        settings: class method with its shares or thresholds.
        order: :func:`_rank_order` of the scores.

    Returns:
        int64 array; ``np.asarray(C.CLASSES)[codes]`` equals :func:`assign_priority_classes`.

    >>> priority_class_codes(np.array([90.0, 10.0]), ScreeningClassSettings(method="thresholds"),
    ...                      np.array([0, 1])).tolist()
    [0, 3]
    """
    if settings.method == "shares":
        return share_codes([float(settings.shares[k]) for k in C.CLASSES], order)
    return _threshold_codes(np.asarray(score, dtype="float64"), settings.thresholds)
