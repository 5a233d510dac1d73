"""Stage 3 composed for one prepared client: :func:`assess_levers` -> :class:`LeverAssessment`.

Notebook 03 only displays what this returns: :mod:`.tables` (tables), :mod:`.findings`
(sentences), :mod:`.export` (``lever_assessment.parquet``/``.xlsx``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.config import ClientConfig
from kk_helpers.core.i18n import check_language
from kk_helpers.stages.levers.analysis import (
    LEVER_TABLE_COLUMNS,
    indicator_verdicts,
    lever_summary,
    lever_verdicts,
    pain_points,
    question_summary,
    respondent_matrix,
    role_disagreement,
)
from kk_helpers.stages.levers.catalog import LEVERS, LeverCatalog, build_catalog
from kk_helpers.stages.levers.indicators import compute_indicators
from kk_helpers.stages.levers.questionnaire_import import (
    QuestionnaireImport,
    anonymize_respondents,
    import_questionnaires,
)


@dataclass(frozen=True)
class LeverAssessment:
    """Everything notebook 03 shows for one client (see :mod:`.analysis` for definitions).

    Attributes hold codes (lever ids, role keys, light and verdict codes) and numbers;
    the texts are made when displaying (:mod:`.tables`, e.g.
    :func:`~kk_helpers.stages.levers.tables.indicator_plot_frame` for the traffic-light plot).
    """

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
    #: one row per indicator with ``verdict`` (:func:`.analysis.indicator_verdicts`)
    indicators: pd.DataFrame
    #: one row per lever with ``verdict`` (:func:`.analysis.lever_verdicts`)
    comparison: pd.DataFrame
    comments: pd.DataFrame
    anonymized: bool = False
    currency: str = "EUR"

    @property
    def has_responses(self) -> bool:
        """True when at least one questionnaire was usable."""
        return not self.responses.empty

    def lever_table(self) -> pd.DataFrame:
        """Lever-level results (:data:`.analysis.LEVER_TABLE_COLUMNS`), one row per lever
        of the method, for ``lever_assessment.parquet`` and notebook 04."""
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
        for c in ("indicators_n", "indicators_green", "indicators_amber", "indicators_red",
                  "indicators_contradict"):  # fmt: skip
            lv[c] = lv["lever"].map(comp[c]).fillna(0).astype("int64")
        for c in ("data_score", "interview_score"):
            lv[c] = lv["lever"].map(comp[c]).astype("float64")
        lv["verdict"] = lv["lever"].map(comp["verdict"]).astype("str")
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
        lang: language of the tables made from the assessment and of pseudonyms.
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
    disagreement = role_disagreement(
        responses, cfg.levers.disagreement_range, cfg.levers.disagreement_std
    )
    indicators = compute_indicators(
        prep.customer_table,
        None,  # the lines are not read: their per-customer facts are cached
        None,
        cfg,
        figures=prep.figures,
        catalog=catalog,
        facts=prep.lever_facts,
    )
    rows = indicator_verdicts(levers, indicators)
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
        disagreement=disagreement,
        indicators=rows,
        comparison=lever_verdicts(levers, rows, disagreement),
        comments=pain_points(responses, catalog),
        anonymized=anon,
        currency=cfg.client.currency,
    )
