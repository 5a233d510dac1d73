"""Stage 3 findings: generated sentences (via the translation table) from the codes of
:mod:`.analysis`. The interviews-vs-data sentences read the one verdict per indicator
row and per lever (:func:`.analysis.indicator_verdicts`, :func:`.analysis.lever_verdicts`)
and compute no comparison of their own, so they cannot contradict the indicator table.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kk_helpers.core.config import ClientConfig
from kk_helpers.core.formatting import format_number
from kk_helpers.core.i18n import check_language, t
from kk_helpers.stages.levers.catalog import LeverCatalog, build_catalog, lever_name, role_name
from kk_helpers.stages.levers.questionnaire_format import questionnaire_source
from kk_helpers.stages.levers.questionnaire_import import QuestionnaireImport

if TYPE_CHECKING:
    from kk_helpers.stages.levers.assessment import LeverAssessment


def _pts(x: float, lang: str) -> str:
    return format_number(x, lang, decimals=1)


def _labels(catalog: LeverCatalog | None, lang: str) -> dict[str, str]:
    return {i.id: i.label(lang) for i in (catalog or build_catalog()).indicators}


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
    out.append(t("lever.finding.top", lang, lever=lever_name(first["lever"], lang),
                 gap=_pts(first["gap"], lang), importance=_pts(first["importance_mean"], lang),
                 priority=_pts(first["priority"], lang)))  # fmt: skip
    if len(lv) > 1:
        names = ", ".join(lever_name(x, lang) for x in lv["lever"].iloc[1:top])
        out.append(t("lever.finding.next", lang, levers=names))
    best = lv.sort_values("current_mean", ascending=False, kind="stable").iloc[0]
    out.append(t("lever.finding.best", lang, lever=lever_name(best["lever"], lang),
                 current=_pts(best["current_mean"], lang)))  # fmt: skip
    out.append(t("lever.finding.overall", lang, current=_pts(lv["current_mean"].mean(), lang),
                 target=_pts(lv["target_mean"].mean(), lang)))  # fmt: skip
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
    indicators: pd.DataFrame,
    lang: str,
    *,
    catalog: LeverCatalog | None = None,
) -> list[str]:
    """Findings on interviews vs. data, read from the verdict codes.

    Args:
        comparison: :func:`.analysis.lever_verdicts` (one row per lever).
        indicators: :func:`.analysis.indicator_verdicts` (one row per indicator).
        lang: "de" or "en".
        catalog: for the indicator labels; default the built-in catalog.

    Returns:
        In this order: one sentence per lever with verdict ``contradict``, naming the
        contradicting indicators; one per ``agree`` lever with a dissenting role
        (``dissent_role``); "consistent story" only when interviews exist, no lever
        contradicts and at least one agrees; the levers without data indicators (rated
        or not); without any interviews, a sentence saying so.

    >>> comp = pd.DataFrame({"lever": ["coverage", "it"], "current_mean": [2.0, 3.0],
    ...     "verdict": ["contradict", "no_data"], "dissent_role": [None, None]})
    >>> ind = pd.DataFrame({"lever": ["coverage"], "indicator": ["visit_share_small"],
    ...     "light": ["green"], "verdict": ["contradict"]})
    >>> for f in comparison_findings(comp, ind, "en"): print(f)
    Efficiency of market coverage: the data contradict the interviews – respondents rate the lever only 2.0 of 5, but green: Share of all visits going to C/D customers.
    Rated from the interviews only (no data indicators): IT.
    """
    check_language(lang)
    labels = _labels(catalog, lang)
    out = []
    contra = indicators[indicators["verdict"] == "contradict"]
    for _, r in comparison[comparison["verdict"] == "contradict"].iterrows():  # <= 8 levers
        rows = contra[contra["lever"] == r["lever"]]
        for light in ("red", "green"):
            names = [labels.get(i, i) for i in rows.loc[rows["light"] == light, "indicator"]]
            if names:
                out.append(t(f"lever.finding.contradict_{light}", lang,
                             lever=lever_name(r["lever"], lang),
                             current=_pts(r["current_mean"], lang),
                             indicators="; ".join(names)))  # fmt: skip
    if "dissent_role" in comparison.columns:
        dissent = comparison[comparison["dissent_role"].notna()]
        for _, r in dissent.iterrows():
            n = int(r[f"indicators_{r['dissent_light']}"])
            out.append(t("lever.finding.role_dissent", lang, lever=lever_name(r["lever"], lang),
                         overall=_pts(r["current_mean"], lang),
                         role=role_name(r["dissent_role"], lang),
                         current=_pts(r["dissent_mean"], lang), n=format_number(n, lang),
                         total=format_number(int(r["indicators_n"]), lang),
                         light=t(f"lever.light.{r['dissent_light']}", lang)))  # fmt: skip
    verdicts = set(comparison["verdict"])
    interviews = comparison["current_mean"].notna().any()
    if not interviews:
        out.append(t("lever.finding.no_interviews", lang))
    elif "contradict" not in verdicts and "agree" in verdicts:
        out.append(t("lever.finding.views_agree", lang))
    no_data = comparison["verdict"] == "no_data"
    rated = no_data & comparison["current_mean"].notna()
    for mask, key in ((rated, "lever.finding.no_data"),
                      (no_data & ~rated, "lever.finding.no_data_no_interviews")):  # fmt: skip
        names = [lever_name(x, lang) for x in comparison.loc[mask, "lever"]]
        if names:
            out.append(t(key, lang, levers=", ".join(names)))
    return out


def indicator_findings(
    indicators: pd.DataFrame, lang: str, *, catalog: LeverCatalog | None = None
) -> list[str]:
    """Findings on the data basis: how many indicators could be computed, and which
    could not, with the reason (e.g. "no sales channel in the data").

    >>> ind = pd.DataFrame({"indicator": ["visit_share_small", "top20_revenue_share"],
    ...     "value": [0.5, float("nan")], "note": ["", "no_channel"]})
    >>> indicator_findings(ind, "en")  # doctest: +NORMALIZE_WHITESPACE
    ['1 of 2 data indicators could be computed from the data.',
     'No data for: Revenue share of the top 20% of customers (no sales channel in the data).']
    """
    check_language(lang)
    if indicators.empty:
        return []
    labels = _labels(catalog, lang)
    has = pd.to_numeric(indicators["value"], errors="coerce").notna()
    out = [t("lever.finding.indicators_basis", lang, n=format_number(int(has.sum()), lang),
             total=format_number(len(indicators), lang))]  # fmt: skip
    missing = indicators[~has]
    if len(missing):
        items = [f"{labels.get(i, i)} ({t(f'lever.note.{n}', lang)})" if n
                 else labels.get(i, i)
                 for i, n in zip(missing["indicator"], missing["note"], strict=True)]  # fmt: skip
        out.append(t("lever.finding.indicators_missing", lang, items="; ".join(items)))
    return out


def respondent_findings(imported: QuestionnaireImport, lang: str) -> list[str]:
    """Findings on the questionnaire basis: respondents, roles, ratings, import issues."""
    check_language(lang)
    resp = imported.respondents
    out = []
    if len(resp):
        ratings = int(imported.responses["current"].notna().sum())
        out.append(t("lever.finding.basis", lang, n=format_number(len(resp), lang),
                     roles=format_number(resp["role"].nunique(), lang),
                     ratings=format_number(ratings, lang)))  # fmt: skip
    rep = imported.report
    n_rej = rep.n_issues("rejected")
    n_fix = rep.n_issues("corrected") + rep.n_issues("warning")
    if n_rej or n_fix:
        parts = {part: t(f"lever.finding.issues.{part}", lang, n=format_number(k, lang))
                 for part, k in (("rejected", n_rej), ("corrected", n_fix))}  # fmt: skip
        out.append(t("lever.finding.issues", lang, **parts))
    return out


def questionnaire_hint(a: LeverAssessment, config: ClientConfig, lang: str) -> dict[str, str]:
    """Placeholders of the "no questionnaires" section (``nb03.no_questionnaires``):
    ``folder`` (where the filled files belong), ``state`` (missing / empty / nothing
    usable) and ``client`` (the folder to pass to ``kk questionnaire``)."""
    from kk_helpers.core.paths import project_root

    src = a.imported.source or questionnaire_source(config)
    if not Path(src).exists():
        state = "missing"
    elif a.imported.report.files(check=False).empty:
        state = "empty"
    else:
        state = "unusable"
    client = Path(config.base_dir).resolve()
    if client.is_relative_to(project_root().resolve()):  # as typed in the checkout
        client = client.relative_to(project_root().resolve())
    return {"folder": str(src), "state": t(f"nb03.q_state.{state}", lang), "client": str(client)}
