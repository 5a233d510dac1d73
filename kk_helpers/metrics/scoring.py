"""Customer scoring: criteria catalog, potential estimate, normalisation, weighting.

The screening method (docs/method.md, section 8 "Scoring") scores every customer
on 6-8 hard and 2-3 soft criteria:

* **criterion values** (:func:`criteria_values`): one raw value per customer and
  criterion, computed from the customer table (see :data:`HARD_CRITERIA` for each
  definition and unit) plus the 1-5 soft-criterion columns named in the config.
* **normalisation** (:func:`normalize`) of each criterion to 0-1, inverted where less
  is better: ``percentile`` (default; (rank-1)/(n-1), ties share the average rank),
  ``minmax`` ((x-min)/(max-min)) or ``zscore`` (values clipped at the 5th/95th
  percentile, standardised, z mapped linearly from [-3, 3] to [0, 1]). A constant
  criterion gives 0.5 for everyone. Missing values stay missing (NaN).
* **missing-value policy** (never a silent zero), ``screening.missing``:
  ``reweight`` (default) - a customer's score is the weighted mean over the criteria
  it has (its weights are re-scaled to sum 1); ``neutral`` - a missing criterion
  counts as 0.5 (the middle). Either way ``n_missing`` counts and flags them.
* **criteria without data** (:func:`available_criteria`): a criterion that no customer
  has a value for (e.g. the margin when the transactions hold no CM I, the service
  effort without an activities file, the potential when it is neither given nor
  estimable from industry / size peers) is left out of the scoring, and the weights are
  re-normalised over the criteria that remain; :data:`CRITERION_SOURCE` says which
  data each criterion needs (for the note that names them).
* **score** = 100 · Σ wᵢ·sᵢ / Σ wᵢ (0-100), see :func:`score_matrix`.
* **contribution** of criterion i to a customer's score relative to the average
  customer: 100 · w̃ᵢ · (sᵢ − s̄ᵢ) in score points (w̃ the customer's effective weight
  share, s̄ᵢ the mean normalised value), see :func:`contributions`.

Re-scoring with other weights is one matrix-vector product on the normalised matrix,
so a widget can re-score 100,000 customers in milliseconds.

The criteria catalog, the potential estimate and the criterion values live in
:mod:`kk_helpers.metrics.scoring_criteria` (re-exported here); this module holds the
normalisation and the weighting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kk_helpers.metrics.scoring_criteria import (
    CRITERION_SOURCE,
    FALLBACK_CRITERION,
    HARD_CRITERIA,
    MISSING_CRITERIA,
    MISSING_POLICIES,
    N_MISSING,
    NORM_PREFIX,
    NORMALIZATIONS,
    POTENTIAL_BASIS,
    POTENTIAL_ESTIMATED,
    POTENTIAL_INFORMATIVE,
    SCORE,
    SHARE_OF_WALLET,
    SOFT_DEFAULT_WEIGHT,
    SOFT_LOWER_IS_BETTER,
    AvailableCriteria,
    Criterion,
    Direction,
    Normalization,
    available_criteria,
    criteria_catalog,
    criteria_table,
    criteria_values,
    criterion_source,
    estimate_potential,
    size_band,
)

__all__ = [
    "AvailableCriteria",
    "CRITERION_SOURCE",
    "Criterion",
    "Direction",
    "FALLBACK_CRITERION",
    "HARD_CRITERIA",
    "MISSING_CRITERIA",
    "MISSING_POLICIES",
    "NORMALIZATIONS",
    "NORM_PREFIX",
    "N_MISSING",
    "Normalization",
    "POTENTIAL_BASIS",
    "POTENTIAL_ESTIMATED",
    "POTENTIAL_INFORMATIVE",
    "SCORE",
    "SHARE_OF_WALLET",
    "SOFT_DEFAULT_WEIGHT",
    "SOFT_LOWER_IS_BETTER",
    "ScoreMatrix",
    "available_criteria",
    "contribution_points",
    "contributions",
    "criteria_catalog",
    "criterion_means",
    "criteria_table",
    "criteria_values",
    "criterion_source",
    "effective_weights",
    "estimate_potential",
    "missing_summary",
    "normalize",
    "normalize_criteria",
    "score_matrix",
    "score_prepared",
    "size_band",
]


# --- normalisation --------------------------------------------------------------------


def normalize(
    values: pd.Series,
    *,
    method: Normalization = "percentile",
    direction: Direction = "higher",
    winsor: tuple[float, float] = (0.05, 0.95),
) -> pd.Series:
    """Normalise one criterion to 0-1 (1 = best), missing values stay NaN.

    Args:
        values: raw values (any unit); NaN = missing; ±inf allowed (rank at the ends;
            for minmax/zscore set to the largest/smallest finite value).
        method: ``percentile`` ((rank-1)/(n-1), average rank for ties), ``minmax``
            or ``zscore`` (clipped at the ``winsor`` quantiles, standardised with the
            population σ, z mapped linearly from [-3, 3] to [0, 1]).
        direction: ``higher`` (more is better) or ``lower`` (result is 1 - s).
        winsor: lower and upper clip quantiles of ``zscore``.

    Returns:
        Series like ``values`` with values in [0, 1]; 0.5 for everyone when all present
        values are equal (or only one is present).

    >>> normalize(pd.Series([10.0, 20.0, 20.0, None, 40.0])).tolist()
    [0.0, 0.5, 0.5, nan, 1.0]
    >>> normalize(pd.Series([0.0, 5.0, 10.0]), method="minmax", direction="lower").tolist()
    [1.0, 0.5, 0.0]
    """
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    s = _normalize_array(x, method, winsor)
    if direction == "lower":
        s = 1.0 - s
    elif direction != "higher":
        raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")
    return pd.Series(s, index=values.index, name=values.name)


def _normalize_array(x: np.ndarray, method: str, winsor: tuple[float, float]) -> np.ndarray:
    present = ~np.isnan(x)
    out = np.full(x.shape, np.nan)
    n = int(present.sum())
    if n == 0:
        return out
    v = x[present]
    if method == "percentile":
        if n == 1:
            out[present] = 0.5
            return out
        ranks = pd.Series(v).rank(method="average").to_numpy()
        s = (ranks - 1.0) / (n - 1.0)
        if np.all(v == v[0]):
            s[:] = 0.5
        out[present] = s
        return out
    if method not in ("minmax", "zscore"):
        raise ValueError(f"normalization must be one of {NORMALIZATIONS}, got {method!r}")
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        out[present] = 0.5
        return out
    v = np.clip(v, finite.min(), finite.max())
    if method == "minmax":
        lo, hi = v.min(), v.max()
        out[present] = 0.5 if hi == lo else (v - lo) / (hi - lo)
        return out
    lo, hi = np.quantile(v, winsor)
    w = np.clip(v, lo, hi)
    sd = w.std()
    if sd == 0:
        out[present] = 0.5
        return out
    z = (w - w.mean()) / sd
    out[present] = (np.clip(z, -3.0, 3.0) + 3.0) / 6.0
    return out


def normalize_criteria(
    values: pd.DataFrame, criteria: pd.DataFrame, winsor: tuple[float, float] = (0.05, 0.95)
) -> pd.DataFrame:
    """Normalise every criterion of ``criteria`` (rows of :func:`criteria_table`).

    Args:
        values: raw criterion values (columns named like the criteria).
        criteria: ``direction`` and ``normalization`` per criterion (index).
        winsor: clip quantiles for ``zscore``.

    Returns:
        DataFrame with the index of ``values`` and one 0-1 column per criterion (same
        names, same order as ``criteria``); NaN = missing.

    >>> crit = pd.DataFrame({"direction": ["higher"], "normalization": ["percentile"]},
    ...                     index=["revenue_last_year"])
    >>> normalize_criteria(pd.DataFrame({"revenue_last_year": [1.0, 3.0, 2.0]}), crit)[
    ...     "revenue_last_year"].tolist()
    [0.0, 1.0, 0.5]
    """
    out = {}
    for name, row in criteria.iterrows():  # loop over the ~10 criteria, not customers
        out[name] = normalize(
            values[name], method=row["normalization"], direction=row["direction"], winsor=winsor
        ).to_numpy()
    return pd.DataFrame(out, index=values.index, columns=list(criteria.index))


# --- weighting ---------------------------------------------------------------------------


def effective_weights(
    normalized: pd.DataFrame | np.ndarray, weights: np.ndarray, missing: str = "reweight"
) -> np.ndarray:
    """Weight share of every criterion for every customer (rows sum to 1 or are all 0).

    Args:
        normalized: customers x criteria, 0-1 with NaN for missing.
        weights: one weight per criterion (>= 0).
        missing: ``reweight`` (missing criteria get 0, the rest is re-scaled) or
            ``neutral`` (every customer gets the configured shares).

    Returns:
        float array customers x criteria.

    >>> effective_weights(np.array([[1.0, np.nan]]), np.array([1.0, 3.0])).tolist()
    [[1.0, 0.0]]
    """
    s = np.asarray(normalized, dtype="float64")
    w = np.asarray(weights, dtype="float64")
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, got {missing!r}")
    if missing == "neutral":
        total = w.sum()
        share = w / total if total > 0 else np.zeros_like(w)
        return np.broadcast_to(share, s.shape).copy()
    present = ~np.isnan(s)
    wm = present * w
    total = wm.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, wm / np.where(total > 0, total, 1.0), 0.0)


def score_matrix(
    normalized: pd.DataFrame | np.ndarray, weights: np.ndarray, missing: str = "reweight"
) -> np.ndarray:
    """Score 0-100 per customer: 100 · Σ wᵢ·sᵢ / Σ wᵢ (see module docstring for ``missing``).

    Args:
        normalized: customers x criteria, 0-1 with NaN for missing.
        weights: one weight per criterion (>= 0; only ratios matter).
        missing: ``reweight`` or ``neutral`` (missing counts as 0.5).

    Returns:
        float array, one score per customer; NaN where the customer has none of the
        weighted criteria (reweight) or all weights are 0.

    >>> score_matrix(np.array([[1.0, 0.0], [np.nan, 0.5]]), np.array([3.0, 1.0])).tolist()
    [75.0, 50.0]
    >>> score_matrix(np.array([[np.nan, 1.0]]), np.array([1.0, 1.0]), "neutral").tolist()
    [75.0]
    """
    return score_prepared(ScoreMatrix.of(normalized, missing), weights)


@dataclass(frozen=True)
class ScoreMatrix:
    """The weight-independent part of :func:`score_matrix`, for scoring one matrix with
    many weight vectors (:func:`score_prepared`): the values with missing ones filled
    (0 for ``reweight``, 0.5 for ``neutral``) and, for ``reweight``, 1.0 where a value is
    present (else 0.0).
    """

    filled: np.ndarray
    present: np.ndarray | None
    missing: str

    @classmethod
    def of(cls, normalized: pd.DataFrame | np.ndarray, missing: str = "reweight") -> ScoreMatrix:
        """Prepare ``normalized`` (customers x criteria, 0-1, NaN missing) for scoring."""
        s = np.asarray(normalized, dtype="float64")
        if missing not in MISSING_POLICIES:
            raise ValueError(f"missing must be one of {MISSING_POLICIES}, got {missing!r}")
        present = ~np.isnan(s)
        filled = np.where(present, s, 0.5 if missing == "neutral" else 0.0)
        return cls(filled, None if missing == "neutral" else present.astype("float64"), missing)


def score_prepared(prepared: ScoreMatrix, weights: np.ndarray) -> np.ndarray:
    """:func:`score_matrix` of a :class:`ScoreMatrix` (same result, bit for bit).

    >>> m = ScoreMatrix.of(np.array([[1.0, 0.0], [np.nan, 0.5]]))
    >>> score_prepared(m, np.array([3.0, 1.0])).tolist()
    [75.0, 50.0]
    """
    w = np.asarray(weights, dtype="float64")
    n = prepared.filled.shape[0]
    if w.sum() <= 0:
        return np.full(n, np.nan)
    num = prepared.filled @ w
    den = np.full(n, w.sum()) if prepared.present is None else prepared.present @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)


def contributions(
    normalized: pd.DataFrame, weights: np.ndarray, missing: str = "reweight"
) -> pd.DataFrame:
    """Score points each criterion adds (+) or costs (−) vs. the average customer.

    contribution = 100 · w̃ᵢ · (sᵢ − s̄ᵢ): w̃ᵢ the customer's effective weight share
    (:func:`effective_weights`), s̄ᵢ the mean normalised value over customers with
    the criterion. A missing criterion contributes 0 (reweight) or
    100 · w̃ᵢ · (0.5 − s̄ᵢ) (neutral).

    Args:
        normalized: customers x criteria, 0-1 with NaN for missing.
        weights: one weight per criterion.
        missing: ``reweight`` or ``neutral``.

    Returns:
        DataFrame like ``normalized`` in score points.

    >>> c = contributions(pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 0.5]}), np.array([1.0, 1.0]))
    >>> c["a"].tolist(), c["b"].tolist()
    ([-25.0, 25.0], [0.0, 0.0])
    """
    s = normalized.to_numpy(dtype="float64")
    points = contribution_points(s, weights, missing, mean=criterion_means(s))
    return pd.DataFrame(points, index=normalized.index, columns=normalized.columns)


def criterion_means(normalized: np.ndarray) -> np.ndarray:
    """Mean normalised value per criterion over the customers that have it (0.5 when none
    has it): the s̄ᵢ of :func:`contributions`.

    >>> criterion_means(np.array([[0.0, np.nan], [1.0, np.nan]])).tolist()
    [0.5, 0.5]
    """
    s = np.asarray(normalized, dtype="float64")
    present = ~np.isnan(s)
    count = present.sum(axis=0)
    total = np.where(present, s, 0.0).sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), 0.5)


def contribution_points(
    normalized: np.ndarray, weights: np.ndarray, missing: str, *, mean: np.ndarray
) -> np.ndarray:
    """:func:`contributions` of some customers (rows), given the criterion means of all
    customers (:func:`criterion_means`); row by row, so a subset of rows gives the same
    points as the whole matrix.

    >>> contribution_points(np.array([[1.0, 0.5]]), np.array([1.0, 1.0]), "reweight",
    ...                     mean=np.array([0.5, 0.5])).tolist()
    [[25.0, 0.0]]
    """
    s = np.asarray(normalized, dtype="float64")
    eff = effective_weights(s, weights, missing)
    filled = np.where(np.isnan(s), 0.5 if missing == "neutral" else mean, s)
    return 100.0 * eff * (filled - mean)


def missing_summary(normalized: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Missing criteria per customer: the count, and their names joined by ", ".

    >>> n, names = missing_summary(pd.DataFrame({"a": [np.nan, 1.0], "b": [np.nan, 0.0]}))
    >>> n.tolist(), names.tolist()
    ([2, 0], ['a, b', ''])
    """
    miss = normalized.isna().to_numpy()
    n = miss.sum(axis=1).astype("int64")
    cols = [str(c) for c in normalized.columns]
    # one text per distinct pattern of missing criteria (a handful), not per customer
    if len(cols) <= 20:  # each pattern as one integer: bit j = criterion j missing
        code = miss.astype(np.int64) @ (np.int64(1) << np.arange(len(cols), dtype=np.int64))
        patterns = np.flatnonzero(np.bincount(code, minlength=1 << len(cols)))
        lookup = np.zeros(1 << len(cols), dtype=np.int64)
        lookup[patterns] = np.arange(len(patterns))
        inverse = lookup[code]
        rows = [[(int(p) >> j) & 1 == 1 for j in range(len(cols))] for p in patterns]
    else:  # pragma: no cover - more than 20 criteria
        patterns, inverse = np.unique(miss, axis=0, return_inverse=True)
        rows = patterns.tolist()
    texts = np.array(
        [", ".join(c for c, m in zip(cols, row, strict=True) if m) for row in rows] or [""],
        dtype=object,
    )
    names = texts[inverse.reshape(-1)] if len(miss) else np.array([], dtype=object)
    return n, pd.Series(names, index=normalized.index, dtype="str")
