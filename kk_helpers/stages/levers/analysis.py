"""Stage 3, lever assessment: the language-free computation.

Results hold codes (lever ids, role keys, indicator ids, light and verdict codes), never
translated text; :mod:`.tables` and :mod:`.findings` translate them for display.

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
* **Data indicators** (:func:`kk_helpers.stages.levers.indicators.compute_indicators`) - figures from the customer table,
  transactions and activities of the last analysis year, "small customers" being the
  C and D classes (ABC on total revenue, D rule of the config), each with a traffic
  light (:func:`kk_helpers.stages.levers.catalog.traffic_light`).
* **Interviews vs. data: one verdict** (:func:`indicator_verdicts`,
  :func:`lever_verdicts`). The lever's mean current score gets a light of its own on
  the same scale as the data (:func:`interview_light`): green at or above
  :data:`INTERVIEW_GOOD` (3.5), red at or below :data:`INTERVIEW_WEAK` (2.5), amber
  between. Each indicator row then gets one verdict (:data:`VERDICTS`):

  - ``no_data``: the indicator has no value (light ``na``);
  - ``no_interviews``: nobody rated the lever's current state;
  - ``contradict``: the two lights are at opposite ends - interviews green and the
    indicator red, or interviews red and the indicator green;
  - ``agree``: otherwise (same light or neighbours).

  A lever's verdict is ``contradict`` when any of its indicator rows contradicts,
  else ``no_data`` without any indicator value, ``no_interviews`` without ratings,
  else ``agree``. The table of indicators and every finding read these codes.

:func:`kk_helpers.stages.levers.assessment.assess_levers` composes everything for a
prepared client.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kk_helpers.stages.levers.catalog import (
    LEVERS,
    LeverCatalog,
    build_catalog,
    traffic_light,
)
from kk_helpers.stages.levers.questionnaire_format import SCORES

#: Score of each traffic light in the data view of a lever (``data_score``).
LIGHT_SCORES: dict[str, float] = {"green": 1.0, "amber": 0.5, "red": 0.0}
#: Verdicts of interviews vs. data (translation keys ``lever.verdict.<verdict>``).
VERDICTS = ("agree", "contradict", "no_data", "no_interviews")
#: Mean current score (1-5) from which the interviews count as a green light.
INTERVIEW_GOOD = 3.5
#: Mean current score (1-5) up to which the interviews count as a red light.
INTERVIEW_WEAK = 2.5

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
    "indicators_contradict",
    "data_score",
    "interview_score",
    "verdict",
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


def pain_points(responses: pd.DataFrame, catalog: LeverCatalog | None = None) -> pd.DataFrame:
    """Comments per lever, for the pain-points section.

    Returns:
        One row per comment, in question order: ``lever``, ``question_id``,
        ``respondent``, ``role`` (key) and ``comment`` (stripped text as written).

    >>> r = pd.DataFrame({"lever": ["it", "it"], "question_id": ["it.q2", "it.q1"],
    ...     "respondent": ["a", "b"], "role": ["it", "it"], "comment": [" slow ", None]})
    >>> pain_points(r)[["question_id", "comment"]].values.tolist()
    [['it.q2', 'slow']]
    """
    catalog = catalog or build_catalog()
    cols = ["lever", "question_id", "respondent", "role", "comment"]
    if "comment" not in responses.columns:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    com = responses["comment"]
    has = com.notna() & (com.astype("str").str.strip() != "")
    sel = responses[has]
    order = {q.id: i for i, q in enumerate(catalog.questions)}
    out = pd.DataFrame(
        {
            "lever": sel["lever"].to_numpy(),
            "question_id": sel["question_id"].to_numpy(),
            "respondent": sel["respondent"].to_numpy(),
            "role": sel["role"].to_numpy(),
            "comment": sel["comment"].astype("str").str.strip().to_numpy(),
            "_q": [order.get(q, len(order)) for q in sel["question_id"]],
        }
    )
    return out.sort_values("_q", kind="stable").drop(columns="_q").reset_index(drop=True)[cols]


# --- interviews vs. data: one verdict -------------------------------------------------------


def interview_light(
    current_mean: pd.Series | np.ndarray | list[float],
    *,
    good: float = INTERVIEW_GOOD,
    weak: float = INTERVIEW_WEAK,
) -> np.ndarray:
    """The interviews' light of a lever from its mean current score (1-5).

    Green at or above ``good``, red at or below ``weak``, amber between, ``na`` without
    ratings (:func:`~kk_helpers.stages.levers.catalog.traffic_light`, higher is better).

    >>> interview_light([4.0, 3.0, 2.5, np.nan]).tolist()
    ['green', 'amber', 'red', 'na']
    """
    return traffic_light(current_mean, green=good, red=weak, better="higher")


def row_verdicts(interview: np.ndarray | pd.Series, data: np.ndarray | pd.Series) -> np.ndarray:
    """Verdict per pair of lights (interviews, data indicator): see the module docstring.

    >>> row_verdicts(["red", "red", "green", "amber", "na"],
    ...              ["green", "amber", "red", "na", "red"]).tolist()
    ['contradict', 'agree', 'contradict', 'no_data', 'no_interviews']
    """
    i = np.asarray(interview, dtype=object)
    d = np.asarray(data, dtype=object)
    opposite = ((i == "green") & (d == "red")) | ((i == "red") & (d == "green"))
    out = np.select(
        [~np.isin(d, list(LIGHT_SCORES)), ~np.isin(i, list(LIGHT_SCORES)), opposite],
        ["no_data", "no_interviews", "contradict"],
        "agree",
    )
    return out.astype(object)


def indicator_verdicts(
    levers: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    good: float = INTERVIEW_GOOD,
    weak: float = INTERVIEW_WEAK,
) -> pd.DataFrame:
    """Each indicator row with its lever's interview view and its verdict.

    Args:
        levers: :func:`lever_summary` (``lever``, ``current_mean``); may be empty.
        indicators: :func:`~kk_helpers.stages.levers.indicators.compute_indicators`
            (``lever``, ``light``, ...).
        good, weak: limits of the interview light (:func:`interview_light`).

    Returns:
        ``indicators`` (same rows and order) plus ``current_mean`` (the lever's mean
        current score, NaN without ratings), ``interview_light`` and ``verdict``
        (:data:`VERDICTS`).

    >>> lv = pd.DataFrame({"lever": ["coverage"], "current_mean": [2.0]})
    >>> ind = pd.DataFrame({"lever": ["coverage"] * 2, "light": ["red", "green"]})
    >>> indicator_verdicts(lv, ind)["verdict"].tolist()
    ['agree', 'contradict']
    """
    cur = levers.set_index("lever")["current_mean"] if len(levers) else pd.Series(dtype=float)
    out = indicators.copy()
    out["current_mean"] = out["lever"].map(cur).astype("float64")
    out["interview_light"] = interview_light(out["current_mean"], good=good, weak=weak)
    out["verdict"] = row_verdicts(out["interview_light"], out["light"])
    return out


def lever_verdicts(
    levers: pd.DataFrame,
    rows: pd.DataFrame,
    disagreement: pd.DataFrame | None = None,
    *,
    good: float = INTERVIEW_GOOD,
    weak: float = INTERVIEW_WEAK,
) -> pd.DataFrame:
    """One verdict per lever, aggregated from its indicator rows' verdicts.

    Args:
        levers: :func:`lever_summary` (``lever``, ``current_mean``).
        rows: :func:`indicator_verdicts` (``lever``, ``light``, ``verdict``).
        disagreement: :func:`role_disagreement`, to name a role that the data contradict
            on a lever where the roles disagree (flagged) and the interviews as a whole
            agree with the data.
        good, weak: limits of the interview light, as for :func:`indicator_verdicts`.

    Returns:
        One row per lever of :data:`~kk_helpers.stages.levers.catalog.LEVERS` (method
        order): ``lever``, ``current_mean``, ``interview_score`` ((current_mean - 1) / 4,
        0-1), ``interview_light``, ``indicators_n`` (with a value),
        ``indicators_green``/``_amber``/``_red``, ``indicators_contradict``,
        ``data_score`` (mean of :data:`LIGHT_SCORES`, NaN without indicators),
        ``verdict`` (module docstring) and, for ``agree`` levers flagged for
        disagreement whose most positive role is green against a red indicator (or most
        negative role red against a green one), ``dissent_role``, ``dissent_mean`` and
        ``dissent_light`` (the data light the role contradicts); None/NaN otherwise.

    >>> lv = pd.DataFrame({"lever": ["coverage"], "current_mean": [4.0]})
    >>> ind = pd.DataFrame({"lever": ["coverage", "coverage"], "light": ["red", "amber"]})
    >>> c = lever_verdicts(lv, indicator_verdicts(lv, ind)).set_index("lever").loc["coverage"]
    >>> int(c["indicators_contradict"]), c["verdict"]
    (1, 'contradict')
    """
    lit = rows[rows["light"].isin(list(LIGHT_SCORES))]
    counts = pd.crosstab(lit["lever"], lit["light"]).reindex(
        columns=list(LIGHT_SCORES), fill_value=0
    )
    n_contra = rows[rows["verdict"] == "contradict"].groupby("lever").size()
    score = lit.assign(s=lit["light"].map(LIGHT_SCORES)).groupby("lever")["s"].mean()
    base = pd.DataFrame({"lever": list(LEVERS)})
    cur = levers.set_index("lever")["current_mean"] if len(levers) else pd.Series(dtype=float)
    lever = base["lever"]

    def count(s: pd.Series) -> pd.Series:
        return lever.map(s).fillna(0).astype("int64")

    out = base.assign(
        current_mean=lever.map(cur).astype("float64"),
        interview_score=(lever.map(cur).astype("float64") - 1.0) / 4.0,
        indicators_n=count(counts.sum(axis=1)),
        indicators_green=count(counts["green"]),
        indicators_amber=count(counts["amber"]),
        indicators_red=count(counts["red"]),
        indicators_contradict=count(n_contra),
        data_score=lever.map(score).astype("float64"),
    )
    out.insert(3, "interview_light", interview_light(out["current_mean"], good=good, weak=weak))
    out["verdict"] = np.select(
        [
            out["indicators_contradict"] > 0,
            out["indicators_n"] == 0,
            out["current_mean"].isna(),
        ],
        ["contradict", "no_data", "no_interviews"],
        "agree",
    ).astype(object)
    out["dissent_role"] = None
    out["dissent_mean"] = np.nan
    out["dissent_light"] = None
    if disagreement is not None and len(disagreement):
        d = disagreement.set_index("lever").reindex(lever)
        flagged = d["disagreement"].fillna(False).astype(bool).to_numpy()
        agree = (out["verdict"] == "agree").to_numpy() & flagged
        high = (interview_light(d["high_mean"], good=good, weak=weak) == "green") & (
            out["indicators_red"].to_numpy() > 0
        )
        low = (interview_light(d["low_mean"], good=good, weak=weak) == "red") & (
            out["indicators_green"].to_numpy() > 0
        )
        use_high, use_low = agree & high, agree & ~high & low
        out["dissent_role"] = np.where(use_high, d["high_role"], np.where(use_low, d["low_role"],
                                                                          None))  # fmt: skip
        out["dissent_mean"] = np.where(use_high, d["high_mean"],
                                       np.where(use_low, d["low_mean"], np.nan))  # fmt: skip
        out["dissent_light"] = np.where(use_high, "red", np.where(use_low, "green", None))
    return out
