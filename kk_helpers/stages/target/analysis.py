"""Stage 4, target picture: the language-free composition for notebook 04.

:func:`build_target_picture` reads the results of notebooks 02 (``screening.parquet``:
priority classes) and 03 (``lever_assessment.parquet``: lever priorities) from the
client's report folder - or, when a file is missing, computes them with the config's
defaults and says so (:attr:`StageOutputs.notes`) - and composes:

* the target care model per class against today (:mod:`kk_helpers.stages.target.care_model`)
  and its capacity by role against the service levels of notebook 02 (``service_level``
  of ``screening.parquet``; the one capacity model of :mod:`kk_helpers.metrics.capacity`,
  :func:`fte_freed` = Σ over the roles of FTE before − FTE target);
* the scenarios with the config's assumptions (:mod:`kk_helpers.stages.target.scenarios`): effects,
  before/after per class, profit waterfall, tornado of the assumptions;
* the measures plan (:mod:`kk_helpers.stages.target.measures`), ranked with the lever priorities and
  the scenario results;

:func:`update` recomputes the scenario-dependent parts for new assumptions (the widgets
call it). Display tables are in :mod:`kk_helpers.stages.target.tables`, generated
sentences and the executive summary in :mod:`kk_helpers.stages.target.findings`, the
Excel export (``measures_plan.xlsx``) in :mod:`kk_helpers.stages.target.export`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ScenarioSettings
from kk_helpers.core.i18n import check_language, t
from kk_helpers.metrics import capacity as cap
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.target import care_model as cm
from kk_helpers.stages.target import measures as M
from kk_helpers.stages.target import scenarios as S

SCREENING_FILE = "screening.parquet"
SERVICE_LEVEL = cap.SERVICE_LEVEL
LEVER_FILE = "lever_assessment.parquet"
PLAN_FILE = "measures_plan.xlsx"
PRIORITY_CLASS = "priority_class"
#: Status values of the plan (``measure.status.<s>``), the first is the default.
STATUSES: tuple[str, ...] = ("open", "in_progress", "done", "on_hold")


@dataclass(frozen=True)
class StageOutputs:
    """Results of notebooks 02 and 03 as notebook 04 uses them.

    ``screening``: one row per customer (``customer_id``, ``priority_class``, ...);
    ``levers``: one row per lever (``lever``, ``priority``, ``rank``, ...) or None;
    ``notes``: translated sentences on what was missing and computed instead.
    """

    screening: pd.DataFrame
    levers: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)


def load_stage_outputs(prep: object, lang: str = "de") -> StageOutputs:
    """Read ``screening.parquet`` and ``lever_assessment.parquet`` from the report folder.

    A missing or unusable file is never an error: the note names the notebook to run
    first and the result is computed with the config's defaults (screening weights,
    questionnaires of the client folder).
    """
    check_language(lang)
    out = Path(prep.output_dir)  # type: ignore[attr-defined]
    notes: list[str] = []
    path = out / SCREENING_FILE
    screening = _read_stage_file(path, {C.CUSTOMER_ID, PRIORITY_CLASS})
    if screening is None:
        from kk_helpers.stages.screening.analysis import run_screening

        key = "target.note.bad_file" if path.is_file() else "target.note.no_screening"
        notes.append(t(key, lang, file=SCREENING_FILE, notebook=t("notebook.02", lang)))
        screening = run_screening(prep.customer_table, prep.config, lang).table  # type: ignore[attr-defined]
    path = out / LEVER_FILE
    levers = _read_stage_file(path, {"lever", "priority"})
    if levers is None:
        key = "target.note.bad_file" if path.is_file() else "target.note.no_levers"
        notes.append(t(key, lang, file=LEVER_FILE, notebook=t("notebook.03", lang)))
        try:
            from kk_helpers.stages.levers.assessment import assess_levers

            levers = assess_levers(prep, lang).lever_table()
        except Exception:  # noqa: BLE001 - without questionnaires the plan still works
            levers = None
            notes.append(t("target.note.levers_failed", lang))
    if levers is not None and pd.to_numeric(levers["priority"], errors="coerce").isna().all():
        notes.append(t("target.note.no_interviews", lang))
    return StageOutputs(screening=screening, levers=levers, notes=notes)


def _read_stage_file(path: Path, needed: set[str]) -> pd.DataFrame | None:
    """A result file of notebook 02/03, or None when missing, unreadable, empty or
    without the ``needed`` columns."""
    if not path.is_file():
        return None
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError):  # pyarrow's errors derive from these
        return None
    if frame.empty or not needed <= set(frame.columns):
        return None
    return frame


@dataclass(frozen=True)
class TargetPicture:
    """Everything notebook 04 shows for one client (see the module docstring)."""

    lang: str
    currency: str
    client: str
    year: int
    stage: StageOutputs
    inputs: S.ScenarioInputs
    settings: ScenarioSettings
    result: S.ScenarioResult
    care_target: pd.DataFrame
    care_current: pd.DataFrame
    care_comparison: pd.DataFrame
    care_capacity: pd.DataFrame
    care_levels: pd.DataFrame
    before_after: pd.DataFrame
    effects: pd.DataFrame
    waterfall: pd.DataFrame
    ranked: pd.DataFrame
    plan: pd.DataFrame
    target_config: object = None
    tornado: pd.DataFrame | None = None
    reference_date: dt.date | None = None  # "today" of the analysis (not the roadmap's start)
    base_figures: HeadlineFigures = field(default_factory=HeadlineFigures)  # the client's

    @property
    def figures(self) -> HeadlineFigures:
        """The headline figures as this target picture shows them: the client's registry
        figures with those of stages 2 and 4 computed (by the registry's functions) on this
        picture's screening and assumptions -- equal to the registry for the config's
        settings, the what-if values after a slider move."""
        from kk_helpers.stages.figures import screening_figures, target_figures

        return self.base_figures.merged(
            [*screening_figures(self.stage.screening), *target_figures(self)]
        )

    @property
    def profit_today(self) -> float:
        """CM III of the last analysis year (currency; NaN without margin data)."""
        return float(self.before_after.loc["total", "profit_before"])

    def has(self, kind: str) -> bool:
        """True when the client's data hold ``kind`` (``margin``, ``activities``,
        ``channel``; see :data:`kk_helpers.stages.target.scenarios.DATA_KINDS`)."""
        return self.inputs.has(kind)


def _plan(tp_target: object, lang: str, levers: pd.DataFrame | None,
          result: S.ScenarioResult, today: dt.date | None) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    # scenarios left out for missing data give no impact: those measures keep the catalog's
    profits = {name: e.profit for name, e in result.effects.items() if e.available}
    catalog = M.build_catalog(tp_target.measures)  # type: ignore[attr-defined]
    ranked = M.rank_measures(
        catalog, lang, levers, scenario_profits=profits, quick_win=tp_target.quick_win
    )  # type: ignore[attr-defined]
    plan = M.plan_from_ranked(ranked, tp_target, today)  # type: ignore[arg-type]
    return ranked, plan


def build_target_picture(
    prep: object,
    lang: str = "de",
    *,
    settings: ScenarioSettings | None = None,
    with_tornado: bool = True,
    stage: StageOutputs | None = None,
) -> TargetPicture:
    """Compose the target picture of a prepared client.

    Args:
        prep: :class:`kk_helpers.stages.prepare.PreparedClient`.
        lang: ``de`` or ``en``.
        settings: scenario assumptions instead of ``config.target.scenario``.
        with_tornado: compute the sensitivities (≈ 30 scenario runs).
        stage: the results of notebooks 02 and 03 to use; default: read from the report
            folder (:func:`load_stage_outputs`).

    Returns:
        :class:`TargetPicture`.
    """
    check_language(lang)
    cfg = prep.config  # type: ignore[attr-defined]
    stage = stage if stage is not None else load_stage_outputs(prep, lang)
    classes = stage.screening.set_index(stage.screening[C.CUSTOMER_ID].astype("str"))[
        PRIORITY_CLASS
    ].astype("str")
    levels = service_levels_of(stage.screening, cfg)
    inputs = S.build_inputs(prep, classes)
    s = settings or cfg.target.scenario
    target_table = cm.target_care_table(cfg.target, inputs.rates, cfg.cost_rates.order_processing)
    current = cm.current_care(inputs)
    ref = cfg.analysis.reference_date
    result = S.run_scenarios(inputs, s)  # once: update and the tornado reuse it
    tp = TargetPicture(
        lang=lang,
        currency=cfg.client.currency,
        client=cfg.client.name,
        year=cfg.last_year,
        stage=stage,
        inputs=inputs,
        settings=s,
        result=result,
        care_target=target_table,
        care_current=current,
        care_comparison=cm.care_comparison(current, target_table),
        care_capacity=cm.care_capacity(
            current,
            target_table,
            levels=levels,
            service_levels=cfg.screening.service_levels,
            capacity=cfg.screening.capacity,
            hours_per_fte=s.hours_per_fte,
        ),
        care_levels=cm.level_comparison(levels, classes.reindex(levels.index), target_table),
        before_after=pd.DataFrame(),
        effects=pd.DataFrame(),
        waterfall=pd.DataFrame(),
        ranked=pd.DataFrame(),
        plan=pd.DataFrame(),
        target_config=cfg.target,
        reference_date=ref,
        base_figures=getattr(prep, "figures", None) or HeadlineFigures(),
    )
    tp = update(tp, s, result=result)
    if with_tornado:
        tp = replace(tp, tornado=S.tornado(inputs, s, base_result=result))
    return tp


def service_levels_of(screening: pd.DataFrame, config: object) -> pd.Series:
    """Service level per customer id: the ``service_level`` column of ``screening.parquet``
    (the one assignment of notebook 02); without it, the priority classes mapped by
    ``screening.service_levels.by_class``."""
    ids = screening[C.CUSTOMER_ID].astype("str").to_numpy()
    if SERVICE_LEVEL in screening.columns:
        lv = screening[SERVICE_LEVEL].astype("str").to_numpy()
    else:
        by_class = dict(config.screening.service_levels.by_class)  # type: ignore[attr-defined]
        lv = screening[PRIORITY_CLASS].astype("str").map(by_class).fillna("service").to_numpy()
    return pd.Series(lv, index=pd.Index(ids, name=C.CUSTOMER_ID), name=SERVICE_LEVEL, dtype="str")


def fte_freed(tp: TargetPicture) -> float:
    """Net FTE freed by the target picture: Σ over the roles of (FTE before − FTE target)
    of the capacity table (:func:`kk_helpers.metrics.capacity.net_fte_freed`)."""
    return cap.net_fte_freed(tp.care_capacity)


def small_class_shares(tp: TargetPicture) -> tuple[float, float]:
    """Share of customers and of revenue (analysis period) of the small priority classes
    (``settings.small_classes``), on the same basis as notebook 02."""
    scr = tp.stage.screening
    revenue = (
        scr[C.REVENUE_TOTAL]
        if C.REVENUE_TOTAL in scr.columns
        else pd.Series(np.nan, index=scr.index)
    )
    return cap.class_shares(scr[PRIORITY_CLASS], revenue, tp.settings.small_classes)


def update(
    tp: TargetPicture,
    settings: ScenarioSettings,
    *,
    today: dt.date | None = None,
    result: S.ScenarioResult | None = None,
) -> TargetPicture:
    """The target picture for new scenario assumptions (care model and inputs unchanged).

    The tornado is kept as it was (it is recomputed by :func:`build_target_picture`);
    ``today`` (default: the run date; never the data's reference date) fixes the start
    of the roadmap unless ``target.roadmap_start`` is set.
    ``result``: ``S.run_scenarios(tp.inputs, settings)`` when already computed (else it
    is run here).
    """
    if result is None:
        result = S.run_scenarios(tp.inputs, settings)
    ranked, plan = _plan(tp.target_config, tp.lang, tp.stage.levers, result, today)
    return replace(
        tp,
        settings=settings,
        result=result,
        before_after=S.before_after(tp.inputs, result),
        effects=S.effects_table(result),
        waterfall=S.waterfall(tp.inputs, result),
        ranked=ranked,
        plan=plan,
    )
