"""Customer screening: priority classes, service levels, capacity, portfolio, smart accounts.

Builds on :mod:`kk_helpers.metrics.scoring` (criteria, normalisation, score) and implements the
rest of stage 2 of the method (docs/method.md, sections 8–10; settings in ``screening`` of the config):

* **priority classes** A-D from the score (:mod:`.classes`): by target
  shares (best scores first; ties keep the table order; class sizes are the shares × n,
  rounded on the cumulative boundaries) or by score thresholds (A ≥ t_A, …, below t_C:
  D). Customers without a score are D.
* **service levels** strategic ⊃ sales ⊃ service and the **capacity check**: the one
  assignment and capacity model of :mod:`kk_helpers.metrics.capacity` (also used by
  notebook 04): by shares of customers (guideline 20/70/10 %, best scores first) or by
  class; nested time budgets per level and role against the available hours.
* **why this class** (:func:`why_codes`): the criteria that raised and lowered a
  customer's score most vs. the average customer (score points), stored as codes
  (``trend=+5.0;margin=+1.2``) and translated for display (:func:`translate_why`).
* **portfolio** (:mod:`.segments`): attractiveness (score) × supplier
  position (share of wallet): star, question mark, cash customer, opportunistic.
* **smart accounts** (:func:`smart_accounts`): small customers (class C/D or below a
  revenue limit) with trend > 0, CM I % ≥ median and unused potential ≥ 25 %.
* **comparison** with the revenue-only ABC of notebook 01 and the client's own class,
  and **sensitivity** of the classes to ±20 % per weight (:mod:`.comparison`).

:func:`run_screening` does all of it; :func:`prepare_screening` +
:func:`score_customers` split the fixed part (criteria, normalisation; the prepared
criteria matrix is kept on :class:`ScreeningInputs`) from the part that depends on
weights. A slider move in the widget computes only what it shows
(:mod:`.live`, with the same functions), so it takes milliseconds. Generated sentences are in
:mod:`.findings`, display tables in :mod:`.tables`, files in :mod:`.export`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kk_helpers.core.config import ClientConfig, ScreeningSettings
from kk_helpers.core.i18n import check_language
from kk_helpers.metrics import scoring as S
from kk_helpers.metrics.capacity import (
    assign_service_levels,
    capacity_check,
    class_shares,
    classes_by_shares,
    level_hours,
)
from kk_helpers.metrics.capacity import rank_order as _rank_order
from kk_helpers.metrics.classes import abc_d_classes, index_by_customer
from kk_helpers.stages.screening.classes import (
    assign_priority_classes,
    classes_by_thresholds,
    rank_scores,
)
from kk_helpers.stages.screening.comparison import (
    class_crosstab,
    group_summary,
    priority_changes,
    sensitivity,
)
from kk_helpers.stages.screening.schema import *  # noqa: F403 - the column names
from kk_helpers.stages.screening.schema import (
    ABC_CLASS,
    CARRY_COLUMNS,
    HEADROOM,
    NONE,
    PRIORITY_CLASS,
    QUADRANT,
    RANK,
    RECOMMENDED_CHANNEL,
    SERVICE_LEVEL,
    SMART_ACCOUNT,
    SMART_REASON,
    WHY_DOWN,
    WHY_UP,
)
from kk_helpers.stages.screening.segments import portfolio_quadrants, smart_accounts
from kk_helpers.stages.screening.texts import _points_text, criterion_label, translate_why

#: computation re-exported here: ``from kk_helpers.stages.screening import analysis as SC``
__all__ = [
    "assign_priority_classes", "assign_service_levels", "capacity_check", "class_crosstab",
    "class_shares", "classes_by_shares", "classes_by_thresholds", "criterion_label",
    "group_summary", "level_hours", "portfolio_quadrants", "priority_changes", "rank_scores",
    "sensitivity", "smart_accounts", "translate_why",
]  # fmt: skip


# --- why this class -------------------------------------------------------------------


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
    Weight-independent arrays derived from these (the matrix prepared for scoring, the
    criterion means, …) are computed on first use and kept with the inputs; the frames
    are not to be changed in place afterwards.
    """

    config: ClientConfig
    base: pd.DataFrame
    values: pd.DataFrame
    criteria: pd.DataFrame
    normalized: pd.DataFrame
    dropped: pd.DataFrame = field(default_factory=_empty_dropped)
    fallback: str | None = None
    #: weight-independent arrays computed once per session (:meth:`score_matrix`, …)
    _cache: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def normalized_array(self) -> np.ndarray:
        """``normalized`` as a float array (customers x criteria; kept, do not change it)."""
        if "array" not in self._cache:
            self._cache["array"] = self.normalized.to_numpy(dtype="float64")
        return self._cache["array"]  # type: ignore[return-value]

    def aligned_base(self) -> pd.DataFrame:
        """``base`` in the order of ``normalized`` (the rows of the screening table; kept)."""
        if "base" not in self._cache:
            same = self.base.index.equals(self.normalized.index)
            self._cache["base"] = self.base if same else self.base.reindex(self.normalized.index)
        return self._cache["base"]  # type: ignore[return-value]

    def kept(self, key: str, compute: Callable[[], object]) -> object:
        """``compute()`` the first time ``key`` is asked for, then the kept value (for
        weight-independent parts of the re-scoring, :mod:`.live`)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def score_matrix(self, missing: str) -> S.ScoreMatrix:
        """``normalized`` prepared for scoring with the ``missing`` policy
        (:class:`kk_helpers.metrics.scoring.ScoreMatrix`), computed once and kept."""
        key = f"matrix:{missing}"
        if key not in self._cache:
            self._cache[key] = S.ScoreMatrix.of(self.normalized_array(), missing)
        return self._cache[key]  # type: ignore[return-value]

    def criterion_means(self) -> np.ndarray:
        """:func:`kk_helpers.metrics.scoring.criterion_means` of ``normalized`` (kept)."""
        if "means" not in self._cache:
            self._cache["means"] = S.criterion_means(self.normalized_array())
        return self._cache["means"]  # type: ignore[return-value]


def criteria_weights(
    inputs: ScreeningInputs, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The criteria in use with ``weights`` applied (``weight``, ``weight_share``): what
    :func:`score_customers` scores with.

    Raises:
        ValueError: a criterion that is not in use (and not dropped), or a weight < 0.
    """
    crit = inputs.criteria.copy()
    if weights:
        weights = {k: v for k, v in weights.items() if k not in inputs.dropped.index}
        unknown = sorted(set(weights) - set(crit.index))
        if unknown:
            raise ValueError(f"unknown criteria {unknown}; in use: {list(crit.index)}")
        new = crit["weight"].to_numpy(dtype="float64", copy=True)  # floats (criteria_table)
        for k, v in weights.items():
            if v < 0:
                raise ValueError(f"weight of {k} must be >= 0, got {v}")
            new[crit.index.get_loc(k)] = float(v)
        crit["weight"] = new
        total = crit["weight"].sum()
        crit["weight_share"] = crit["weight"] / total if total > 0 else 0.0
    return crit


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
    *,
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
        lang: language the result is shown in (:attr:`ScreeningResult.lang`); the table
            itself holds codes (why this class, smart-account reason, missing criteria).
        explain: compute the "why" and smart-account reason codes (skip for fast
            interactive previews).

    Returns:
        :class:`ScreeningResult`.
    """
    check_language(lang)
    s = settings or inputs.config.screening
    crit = criteria_weights(inputs, weights)
    w = crit["weight"].to_numpy(dtype="float64")
    norm = inputs.normalized
    # = S.score_matrix(norm, w, s.missing), with the matrix prepared once per session
    score = pd.Series(
        S.score_prepared(inputs.score_matrix(s.missing), w), index=norm.index, name=S.SCORE
    )
    order = _rank_order(score)  # one sort for rank, classes and levels
    classes = assign_priority_classes(score, s.classes, order)
    levels = assign_service_levels(score, classes, s.service_levels, order=order)
    used = norm.loc[:, crit.index[crit["weight"] > 0]]
    n_missing, missing_names = S.missing_summary(used)  # criterion codes, not text

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
    smart = smart_accounts(smart_in, s.smart_accounts, explain=explain)  # codes, not text
    for c in (SMART_ACCOUNT, HEADROOM, SMART_REASON):
        cols[c] = smart[c]
    cols[S.N_MISSING] = pd.Series(n_missing, index=norm.index)
    cols[S.MISSING_CRITERIA] = missing_names
    contrib = pd.DataFrame(  # = S.contributions(norm, w, s.missing), the means kept
        S.contribution_points(
            inputs.normalized_array(), w, s.missing, mean=inputs.criterion_means()
        ),
        index=norm.index,
        columns=norm.columns,
    )
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
    *,
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


def portfolio_available(result: ScreeningResult) -> bool:
    """True when at least one customer has a supplier position (a portfolio quadrant)."""
    return bool((result.table[QUADRANT].astype("str") != NONE).any())


#: sections of :func:`data_notes`


def result_currency(result: ScreeningResult) -> str:
    """The client's currency code."""
    return result.extras.get("currency", "EUR")  # type: ignore[return-value]
