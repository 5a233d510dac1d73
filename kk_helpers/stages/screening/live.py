"""Live re-scoring for the screening widget: what a weight or class slider changes, only.

A slider move in notebook 02 shows the class and level summaries, the capacity check and
the top customers. :func:`preview` computes exactly these from :class:`ScreeningInputs`,
re-using what does not depend on the weights (the criteria matrix prepared for scoring,
the criterion means; :meth:`ScreeningInputs.score_matrix`) and keeping classes and
levels as group numbers instead of 100,000 labels. It calls the same functions as
:func:`kk_helpers.stages.screening.analysis.score_customers` (one definition:
:func:`~kk_helpers.metrics.scoring.score_prepared`,
:func:`~kk_helpers.stages.screening.classes.priority_class_codes`,
:func:`~kk_helpers.metrics.capacity.service_level_codes`,
:func:`~kk_helpers.stages.screening.comparison.summarise_groups`,
:func:`~kk_helpers.metrics.scoring.contribution_points`), so every number equals the
full scoring's, bit for bit (``tests/test_screening_live.py`` compares them on the
sample and on random weights). The full :class:`ScreeningResult` (why codes of every
customer, smart accounts, portfolio, missing criteria) is computed only when asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ScreeningSettings
from kk_helpers.metrics import scoring as S
from kk_helpers.metrics.capacity import (
    LEVELS,
    capacity_of_counts,
    rank_order,
    service_level_codes,
)
from kk_helpers.metrics.concentration import share_basis
from kk_helpers.stages.screening.analysis import ScreeningInputs, criteria_weights
from kk_helpers.stages.screening.classes import priority_class_codes
from kk_helpers.stages.screening.comparison import summarise_groups
from kk_helpers.stages.screening.schema import PRIORITY_CLASS, RANK, SERVICE_LEVEL

#: rows of the top-customer preview
TOP_ROWS = 15


@dataclass(frozen=True)
class Preview:
    """What a slider move shows (equal to the full scoring's figures).

    ``criteria``: the criteria with the weights used (:func:`criteria_weights`);
    ``score``: float array, one score per customer (0-100, NaN = none), in the order of
    ``inputs.normalized``; ``classes``, ``levels``: int arrays, positions in
    ``C.CLASSES`` / ``level_labels``; ``class_summary``, ``level_summary``:
    :func:`~kk_helpers.stages.screening.comparison.group_summary`; ``capacity``:
    :func:`~kk_helpers.metrics.capacity.capacity_check`; ``top``: the best ``top_rows``
    customers (rows of the screening table, index = their positions) with ``rank``,
    ``name`` (when the customer table has it), ``score``, ``priority_class``,
    ``service_level``; ``contributions``: their score points per criterion in use
    (weight > 0), index ``customer_id``.
    """

    criteria: pd.DataFrame
    score: np.ndarray
    classes: np.ndarray
    levels: np.ndarray
    level_labels: tuple[str, ...]
    class_summary: pd.DataFrame
    level_summary: pd.DataFrame
    capacity: pd.DataFrame
    top: pd.DataFrame
    contributions: pd.DataFrame

    @property
    def n(self) -> int:
        """Number of customers scored."""
        return len(self.score)

    def class_labels(self) -> np.ndarray:
        """The priority class per customer (object array of "A" … "D")."""
        return np.asarray(C.CLASSES, dtype=object)[self.classes]


def preview(
    inputs: ScreeningInputs,
    settings: ScreeningSettings | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    top_rows: int = TOP_ROWS,
) -> Preview:
    """Score, classes, levels, group summaries, capacity and the top customers for a slider
    move (arguments as :func:`~kk_helpers.stages.screening.analysis.score_customers`).

    Args:
        inputs: from :func:`~kk_helpers.stages.screening.analysis.prepare_screening`.
        settings: classes, levels, missing policy (default: ``config.screening``).
        weights: criterion -> weight overriding the configured ones.
        top_rows: how many of the best customers ``top`` holds.

    Returns:
        :class:`Preview`; each figure equals the one of ``score_customers`` with the same
        arguments. 20-40 ms for 100,000 customers on a busy 2-core machine after the
        first call (which prepares the criteria matrix once).

    Raises:
        ValueError: as ``score_customers`` (unknown criterion, weight < 0).

    Example:
        >>> p = preview(inputs, weights={"trend": 0.0})     # doctest: +SKIP
        >>> p.class_summary["customers"]                     # doctest: +SKIP
    """
    s = settings or inputs.config.screening
    crit = criteria_weights(inputs, weights)
    w = crit["weight"].to_numpy(dtype="float64")
    score = S.score_prepared(inputs.score_matrix(s.missing), w)
    index = inputs.normalized.index
    order = rank_order(pd.Series(score, index=index))
    classes = priority_class_codes(score, s.classes, order)
    levels, level_labels = service_level_codes(order, classes, C.CLASSES, settings=s.service_levels)
    base = inputs.aligned_base()
    money: dict[str, np.ndarray | None] = inputs.kept("live:money", lambda: _money(base))  # type: ignore[assignment]
    summaries = {
        by: summarise_groups(codes, labels, by, score=score, **money)
        for by, codes, labels in (
            (PRIORITY_CLASS, classes, C.CLASSES),
            (SERVICE_LEVEL, levels, level_labels),
        )
    }
    counts = np.bincount(levels, minlength=len(level_labels))
    key = (
        tuple(counts.tolist()),
        tuple(level_labels),
        s.service_levels.model_dump_json(),
        tuple(sorted((str(r), float(v)) for r, v in s.capacity.items())),
    )
    last: dict[tuple, pd.DataFrame] = inputs.kept("live:capacity", dict)  # type: ignore[assignment]
    if key not in last:  # the capacity of the last level counts is kept (one entry)
        last.clear()
        last[key] = _capacity(counts, level_labels, s)
    capacity = last[key].copy()
    best = order[:top_rows]
    top = _top_rows(base, best, score, classes, levels, level_labels)
    used = crit.index[crit["weight"] > 0]
    points = S.contribution_points(
        inputs.normalized_array()[best], w, s.missing, mean=inputs.criterion_means()
    )
    contrib = pd.DataFrame(points, index=index[best], columns=inputs.normalized.columns)
    return Preview(
        criteria=crit,
        score=score,
        classes=classes,
        levels=levels,
        level_labels=tuple(level_labels),
        class_summary=summaries[PRIORITY_CLASS],
        level_summary=summaries[SERVICE_LEVEL],
        capacity=capacity,
        top=top,
        contributions=contrib.loc[:, used],
    )


def _money(base: pd.DataFrame) -> dict[str, np.ndarray | None]:
    """Revenue, margin and the revenue share basis per customer (weight-independent)."""
    revenue = base[C.REVENUE_TOTAL].to_numpy(dtype="float64", na_value=np.nan)
    margin = (
        base[C.MARGIN_TOTAL].to_numpy(dtype="float64", na_value=np.nan)
        if C.MARGIN_TOTAL in base
        else None
    )
    positive = share_basis(pd.Series(revenue)).to_numpy()
    return {"revenue": revenue, "margin": margin, "positive": positive}


def _capacity(
    counts: np.ndarray, level_labels: tuple[str, ...], s: ScreeningSettings
) -> pd.DataFrame:
    """:func:`capacity_check` from the customers per level (positions in ``level_labels``)."""
    per_level = pd.Series(counts, index=list(level_labels)).reindex(list(LEVELS), fill_value=0)
    return capacity_of_counts(per_level.astype("int64"), s.service_levels, s.capacity)


def _top_rows(
    base: pd.DataFrame,
    best: np.ndarray,
    score: np.ndarray,
    classes: np.ndarray,
    levels: np.ndarray,
    level_labels: tuple[str, ...],
) -> pd.DataFrame:
    """The screening table's rows ``best`` (positions, best first): rank, name, score,
    class, level, with the dtypes of the full table."""
    cols: dict[str, object] = {
        RANK: np.arange(1, len(best) + 1, dtype="int64"),
        C.CUSTOMER_ID: pd.array(base.index[best].astype("str"), dtype="str"),
    }
    if C.NAME in base.columns:
        cols[C.NAME] = base[C.NAME].array[best]
    cols[S.SCORE] = score[best]
    cols[PRIORITY_CLASS] = pd.array(np.asarray(C.CLASSES, dtype=object)[classes[best]], dtype="str")
    cols[SERVICE_LEVEL] = pd.array(
        np.asarray(level_labels, dtype=object)[levels[best]], dtype="str"
    )
    return pd.DataFrame(cols, index=pd.Index(best, dtype="int64"))


def scored_table(inputs: ScreeningInputs, p: Preview) -> pd.DataFrame:
    """``score`` and ``priority_class`` of every customer (what the live chart draws).

    Returns:
        DataFrame with one row per customer (order of ``inputs.normalized``).
    """
    return pd.DataFrame(
        {
            S.SCORE: p.score,
            PRIORITY_CLASS: pd.array(p.class_labels(), dtype="str"),
        },
        index=inputs.normalized.index,
    )
