"""Stage 4, target picture: composition for notebook 04, executive summary, Excel export.

:func:`build_target_picture` reads the results of notebooks 02 (``screening.parquet``:
priority classes) and 03 (``lever_assessment.parquet``: lever priorities) from the
client's report folder - or, when a file is missing, computes them with the config's
defaults and says so (:attr:`StageOutputs.notes`) - and composes:

* the target care model per class against today (:mod:`kk_helpers.stages.target.care_model`);
* the scenarios with the config's assumptions (:mod:`kk_helpers.stages.target.scenarios`): effects,
  before/after per class, profit waterfall, tornado of the assumptions;
* the measures plan (:mod:`kk_helpers.stages.target.measures`), ranked with the lever priorities and
  the scenario results;
* the executive summary (:func:`key_figures`, :func:`summary_findings`).

:func:`update` recomputes the scenario-dependent parts for new assumptions (the widgets
call it). :func:`write_measures_plan` writes ``measures_plan.xlsx`` for the client to
track the plan (status drop-down, KPI columns) with the assumptions, the before/after
table and the care model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ScenarioSettings
from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import check_language, t, translations
from kk_helpers.stages.levers.catalog import lever_name
from kk_helpers.stages.target import care_model as cm
from kk_helpers.stages.target import measures as M
from kk_helpers.stages.target import scenarios as S

SCREENING_FILE = "screening.parquet"
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
    before_after: pd.DataFrame
    effects: pd.DataFrame
    waterfall: pd.DataFrame
    ranked: pd.DataFrame
    plan: pd.DataFrame
    target_config: object = None
    tornado: pd.DataFrame | None = None
    reference_date: dt.date | None = None  # "today" of the analysis: the plan starts after it

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
    ranked = M.rank_measures(catalog, lang, levers, profits, tp_target.quick_win)  # type: ignore[attr-defined]
    plan = M.plan_from_ranked(ranked, tp_target, today)  # type: ignore[arg-type]
    return ranked, plan


def build_target_picture(
    prep: object,
    lang: str = "de",
    settings: ScenarioSettings | None = None,
    with_tornado: bool = True,
) -> TargetPicture:
    """Compose the target picture of a prepared client.

    Args:
        prep: :class:`kk_helpers.stages.prepare.PreparedClient`.
        lang: ``de`` or ``en``.
        settings: scenario assumptions instead of ``config.target.scenario``.
        with_tornado: compute the sensitivities (≈ 30 scenario runs).

    Returns:
        :class:`TargetPicture`.
    """
    check_language(lang)
    cfg = prep.config  # type: ignore[attr-defined]
    stage = load_stage_outputs(prep, lang)
    classes = stage.screening.set_index(stage.screening[C.CUSTOMER_ID].astype("str"))[
        PRIORITY_CLASS
    ].astype("str")
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
            current, target_table, cfg.screening.capacity, s.hours_per_fte
        ),
        before_after=pd.DataFrame(),
        effects=pd.DataFrame(),
        waterfall=pd.DataFrame(),
        ranked=pd.DataFrame(),
        plan=pd.DataFrame(),
        target_config=cfg.target,
        reference_date=ref,
    )
    tp = update(tp, s, result=result)
    if with_tornado:
        tp = replace(tp, tornado=S.tornado(inputs, s, base_result=result))
    return tp


def update(
    tp: TargetPicture,
    settings: ScenarioSettings,
    today: dt.date | None = None,
    result: S.ScenarioResult | None = None,
) -> TargetPicture:
    """The target picture for new scenario assumptions (care model and inputs unchanged).

    The tornado is kept as it was (it is recomputed by :func:`build_target_picture`);
    ``today`` (default: the analysis' reference date) fixes the start of the roadmap.
    ``result``: ``S.run_scenarios(tp.inputs, settings)`` when already computed (else it
    is run here).
    """
    today = today or tp.reference_date
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


# --- labels and display tables ------------------------------------------------------------


def label(name: str, lang: str) -> str:
    """Header of a target-picture column: ``target.col.<name>``, else the common labels."""
    from kk_helpers.core.i18n import label as common

    key = f"target.col.{name}"
    table = translations()
    return table[key][lang] if key in table else common(name, lang)


def _value(prefix: str, v: object, lang: str) -> str:
    key = f"{prefix}{v}"
    table = translations()
    return table[key][lang] if key in table else str(v)


def _styled(frame: pd.DataFrame, tp: TargetPicture, money=(), pct=(), number=(), decimals=None,
            index_label: str | None = None, hide_index: bool = False):  # fmt: skip
    from kk_helpers.core.formatting import styled_table

    return styled_table(
        frame, tp.lang, tp.currency, money, pct, number, decimals, index_label, hide_index, label
    )


def _class_index(index: pd.Index, lang: str) -> list[str]:
    return [t("target.total", lang) if str(i) == "total" else str(i) for i in index]


def _scenario_index(index: pd.Index, lang: str) -> list[str]:
    return [t(f"scen.name.{i}", lang) if i != "total" else t("target.total", lang) for i in index]


#: Care-model columns holding codes, with the prefix of their translation keys.
_CARE_CODES = {"served_by": "target.role.", "service_level": "screen.level.",
               "order_channel": "channel.", "conditions": "target.conditions."}  # fmt: skip


def _translate_care(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``frame`` with the codes of its care-model columns (:data:`_CARE_CODES`) in ``lang``."""
    out = frame.copy()
    for col, prefix in _CARE_CODES.items():
        if col in out.columns:
            out[col] = [_value(prefix, v, lang) for v in out[col]]
    return out


def care_model_table(tp: TargetPicture):
    """The target care model per class, translated (who, level, contacts, channel, conditions)."""
    lang = tp.lang
    columns = ["served_by", "service_level", "visits", "calls", "management_hours", "hours",
               "activity_cost", "order_channel", "order_cost", "conditions"]  # fmt: skip
    frame = _translate_care(tp.care_target[columns], lang)
    return _styled(
        frame, tp, money=("activity_cost", "order_cost"),
        number=("visits", "calls", "management_hours", "hours"),
        decimals={"visits": 1, "calls": 1, "management_hours": 1, "hours": 1, "order_cost": 2},
        index_label=label(C.CLASS, lang),
    )  # fmt: skip


def comparison_table(tp: TargetPicture):
    """Today vs. target care per class (per customer and year), formatted."""
    lang = tp.lang
    frame = _translate_care(tp.care_comparison, lang)
    one = ("visits_today", "visits_target", "calls_today", "calls_target", "hours_today",
           "hours_target")  # fmt: skip
    return _styled(
        frame, tp, money=("cost_today", "cost_target"), pct=("personal_order_share",),
        number=("customers", *one), decimals=dict.fromkeys(one, 1),
        index_label=label(C.CLASS, lang),
    )  # fmt: skip


def capacity_table(tp: TargetPicture):
    """Hours and FTE by role, today vs. target care model, against capacity."""
    lang = tp.lang
    frame = tp.care_capacity.copy()
    frame.index = [_value("screen.role.", r, lang) for r in frame.index]
    fte = ("fte_today", "fte_target", "fte_change")
    return _styled(
        frame, tp, pct=("utilisation_today", "utilisation_target"),
        number=("hours_today", "hours_target", "available", *fte), decimals=dict.fromkeys(fte, 1),
        index_label=label("role", lang),
    )  # fmt: skip


def assumptions_frame(tp: TargetPicture) -> pd.DataFrame:
    """The scenario assumptions used: one row each with label, formatted value, config key."""
    lang = tp.lang
    s = tp.settings
    rows = []
    for name, kind in S.SENSITIVE.items():
        v = getattr(s, name)
        if name == "minimum_order_value" and v is None:
            v = tp.result.threshold
            text = (
                t("target.mov_recommended", lang, value=format_money(v, lang, tp.currency))
                if np.isfinite(v)
                else t("target.mov_not_computable", lang)
            )
        elif kind == "share":
            text = format_pct(v, lang)
        elif kind == "money":
            text = format_money(v, lang, tp.currency)
        else:
            text = format_number(v, lang, 1)
        rows.append((t(f"scen.param.{name}", lang), text, f"target.scenario.{name}"))
    rows.append((t("scen.param.small_classes", lang), ", ".join(s.small_classes),
                 "target.scenario.small_classes"))  # fmt: skip
    rows.append((t("scen.param.dealer_classes", lang), ", ".join(s.dealer_classes),
                 "target.scenario.dealer_classes"))  # fmt: skip
    rows.append((t("scen.param.hours_per_fte", lang), format_number(s.hours_per_fte, lang),
                 "target.scenario.hours_per_fte"))  # fmt: skip
    return pd.DataFrame(
        rows, columns=[label("assumption", lang), label("value", lang), label("config_key", lang)]
    )


def order_policy_frame(tp: TargetPicture) -> pd.DataFrame:
    """Break-even and minimum order value: the figures behind the recommendation."""
    lang = tp.lang
    cur = tp.currency
    inp = tp.inputs
    mov = tp.result.effects["minimum_order_value"].summary
    rows = [
        ("target.kf.cost_per_order", format_money(inp.cost_per_order, lang, cur, 2)),
        ("target.kf.margin_pct", format_pct(inp.margin_pct, lang, 1)),
        ("target.kf.break_even", format_money(inp.break_even, lang, cur)),
        (
            "target.kf.recommended_mov",
            format_money(inp.recommended_mov(tp.settings.mov_markup), lang, cur)
            if np.isfinite(inp.break_even)
            else t("target.mov_not_computable", lang),
        ),  # fmt: skip
        ("target.kf.mov_used", format_money(tp.result.threshold, lang, cur)),
        (
            "target.kf.orders_below",
            f"{format_number(mov['orders'], lang)} ({format_pct(mov['orders_share'], lang)})",
        ),  # fmt: skip
        (
            "target.kf.customers_below",
            f"{format_number(mov['customers'], lang)} ({format_pct(mov['customers_share'], lang)})",
        ),  # fmt: skip
        ("target.kf.customers_at_risk", format_number(mov["customers_at_risk"], lang)),
        ("target.kf.revenue_at_risk", format_money(mov["revenue_at_risk"], lang, cur)),
        ("target.kf.margin_at_risk", format_money(mov["margin_at_risk"], lang, cur)),
        ("target.kf.cost_saved", format_money(mov["cost_saved"], lang, cur)),
    ]
    return pd.DataFrame(
        {label("value", lang): [v for _, v in rows]},
        index=pd.Index([t(k, lang) for k, _ in rows], name=label("figure", lang)),
    )


def effects_display(tp: TargetPicture):
    """Effect of each scenario per year (revenue, CM I, costs, profit, hours), formatted."""
    frame = tp.effects.copy()
    frame.index = _scenario_index(frame.index, tp.lang)
    return _styled(
        frame, tp, money=("revenue", "margin", "order_cost", "activity_cost", "profit"),
        number=("field_hours", "inside_hours", "customers_lost"),
        decimals={"customers_lost": 1}, index_label=label("scenario", tp.lang),
    )  # fmt: skip


def before_after_display(tp: TargetPicture):
    """Before/after per class: customers, revenue, CM I, cost-to-serve, profit, FTE."""
    frame = tp.before_after.copy()
    frame.index = _class_index(frame.index, tp.lang)
    money = [c for c in frame.columns if not c.startswith(("customers", "fte"))]
    number = [c for c in frame.columns if c.startswith(("customers", "fte"))]
    return _styled(
        frame, tp, money=money, number=number,
        decimals={c: 1 for c in number}, index_label=label(C.CLASS, tp.lang),
    )  # fmt: skip


def before_after_frame(tp: TargetPicture) -> pd.DataFrame:
    """Before/after as plain numbers with translated headers (for Excel)."""
    frame = tp.before_after.copy()
    frame.index = _class_index(frame.index, tp.lang)
    frame.index.name = label(C.CLASS, tp.lang)
    return frame.round(2).reset_index().rename(columns=lambda c: label(str(c), tp.lang))


def tornado_display(tp: TargetPicture):
    """The sensitivities: each assumption's low/high value and the profit effect there."""
    if tp.tornado is None:
        return None
    frame = tp.tornado.copy()
    kinds = [S.SENSITIVE.get(i, "number") for i in frame.index]
    lo = [format_pct(v, tp.lang) if k == "share" else format_number(v, tp.lang, 1)
          for v, k in zip(frame["low_value"], kinds, strict=True)]  # fmt: skip
    hi = [format_pct(v, tp.lang) if k == "share" else format_number(v, tp.lang, 1)
          for v, k in zip(frame["high_value"], kinds, strict=True)]  # fmt: skip
    frame["low_value"], frame["high_value"] = lo, hi
    frame.index = [t(f"scen.param.{i}", tp.lang) for i in frame.index]
    return _styled(frame, tp, money=("low", "high", "base", "swing"),
                   index_label=label("assumption", tp.lang))  # fmt: skip


PLAN_COLUMNS: tuple[str, ...] = (
    "rank", "measure", "lever_name", "owner", "start", "end", "priority", "quick_win",
    "status", "kpi", "impact", "effort", "months", "score",
)  # fmt: skip


def plan_frame(tp: TargetPicture, columns: tuple[str, ...] = PLAN_COLUMNS) -> pd.DataFrame:
    """The measures plan with translated values (canonical column names)."""
    lang = tp.lang
    p = tp.plan
    out = pd.DataFrame(
        {
            "rank": p["rank"].to_numpy(),
            "measure": p["measure"].to_numpy(),
            "lever_name": p["lever_name"].to_numpy(),
            "owner": [_value("measure.owner.", o, lang) for o in p["owner"]],
            "start": pd.to_datetime(p["start"]).to_numpy(),
            "end": pd.to_datetime(p["end"]).to_numpy(),
            "priority": [t(f"measure.priority.{x}", lang) for x in p["priority"]],
            "quick_win": [
                t("screen.yes", lang) if q else t("screen.no", lang) for q in p["quick_win"]
            ],
            "status": [t(f"measure.status.{x}", lang) for x in p["status"]],
            "kpi": p["kpi"].to_numpy(),
            "impact": p["impact"].to_numpy(),
            "effort": p["effort"].to_numpy(),
            "months": p["months"].to_numpy(),
            "score": p["score"].to_numpy(),
            "measure_id": p["measure_id"].to_numpy(),
        }
    )
    return out[list(columns)]


def plan_display(tp: TargetPicture):
    """The measures plan for the notebook (dates as month/year), formatted."""
    frame = plan_frame(tp)
    fmt = "%m/%Y"
    frame["start"] = pd.to_datetime(frame["start"]).dt.strftime(fmt)
    frame["end"] = pd.to_datetime(frame["end"]).dt.strftime(fmt)
    return _styled(frame, tp, number=("score",), decimals={"score": 1}, hide_index=True)


def ranked_display(tp: TargetPicture, n: int | None = None):
    """All catalog measures ranked (the candidates), formatted."""
    r = tp.ranked if n is None else tp.ranked.head(n)
    frame = pd.DataFrame(
        {
            "rank": r["rank"].to_numpy(),
            "measure": r["measure"].to_numpy(),
            "lever_name": r["lever_name"].to_numpy(),
            "impact": r["impact"].to_numpy(),
            "impact_basis": [t(f"measure.basis.{b}", tp.lang) for b in r["impact_basis"]],
            "effort": r["effort"].to_numpy(),
            "lever_weight": r["lever_weight"].to_numpy(),
            "score": r["score"].to_numpy(),
            "priority": [t(f"measure.priority.{x}", tp.lang) for x in r["priority"]],
            "quick_win": [t("screen.yes", tp.lang) if q else "" for q in r["quick_win"]],
        }
    )
    return _styled(frame, tp, number=("score", "lever_weight"),
                   decimals={"score": 1, "lever_weight": 2}, hide_index=True)  # fmt: skip


# --- findings and executive summary -------------------------------------------------------


def _small_share(tp: TargetPicture) -> tuple[float, float, float]:
    ba = tp.before_after
    small = [c for c in tp.settings.small_classes if c in ba.index]
    tot = ba.loc["total"]
    cust = (
        ba.loc[small, "customers_before"].sum() / tot["customers_before"] if len(small) else np.nan
    )
    rev = ba.loc[small, "revenue_before"].sum() / tot["revenue_before"] if len(small) else np.nan
    profit = ba.loc[small, "profit_before"].sum() if len(small) else np.nan
    return float(cust), float(rev), float(profit)


def _missing_text(kinds: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(t(f"scen.missing.{k}", lang) for k in kinds)


def scenario_findings(tp: TargetPicture) -> list[str]:
    """One sentence per scenario and one on the total (translated).

    A scenario left out for missing data says so and why; assumptions made for missing
    parts of a computed scenario (:func:`kk_helpers.stages.target.scenarios.scenario_caveats`) are named.
    """
    lang, cur = tp.lang, tp.currency
    e = tp.result.effects
    ch, mov, sur, dl = (e["channel_shift"].summary, e["minimum_order_value"].summary,
                        e["surcharge"].summary, e["dealer"].summary)  # fmt: skip
    money = lambda x: format_money(x, lang, cur)  # noqa: E731
    caveats = S.scenario_caveats(tp.inputs.missing)
    texts = {
        "channel_shift": lambda: t(
            "scen.finding.channel_shift", lang, customers=format_number(ch["customers"], lang),
            hours=format_number(ch["field_hours_freed"], lang),
            fte=format_number(ch["fte_freed"], lang, 1),
            inside=format_number(ch["inside_hours_added"], lang), profit=money(ch["profit"]))
        if tp.has("activities") else t(
            "scen.finding.channel_shift_orders", lang,
            orders=format_number(ch["orders_moved"], lang), saved=money(ch["order_cost_saved"]),
            profit=money(ch["profit"])),
        "minimum_order_value": lambda: t(
            "scen.finding.mov", lang, mov=money(mov["threshold"]),
            break_even=money(tp.inputs.break_even), orders=format_pct(mov["orders_share"], lang),
            customers=format_number(mov["customers"], lang),
            at_risk=money(mov["revenue_at_risk"]), saved=money(mov["cost_saved"]),
            profit=money(mov["profit"])),
        "surcharge": lambda: t(
            "scen.finding.surcharge", lang, surcharge=money(tp.settings.surcharge),
            threshold=money(sur["threshold"]), orders=format_number(sur["orders"], lang),
            extra=money(sur["surcharge_revenue"]),
            at_risk=format_number(sur["customers_at_risk"], lang), profit=money(sur["profit"]))
        if tp.settings.surcharge > 0 else t("scen.finding.no_surcharge", lang),
        "dealer": lambda: t(
            "scen.finding.dealer", lang, customers=format_number(dl["customers"], lang),
            given_up=money(dl["margin_given_up"]), saved=money(dl["cost_saved"]),
            profit=money(dl["profit"])),
    }  # fmt: skip
    out = []
    for name, text in texts.items():
        scen = t(f"scen.name.{name}", lang)
        if not e[name].available:
            out.append(t("scen.finding.left_out", lang, scenario=scen,
                         missing=_missing_text(e[name].missing, lang)))  # fmt: skip
            continue
        out.append(text())
        if caveats[name] and not (name == "surcharge" and tp.settings.surcharge <= 0):
            out.append(t("scen.finding.caveats", lang, scenario=scen, caveats="; ".join(
                t(f"scen.caveat.{name}.{k}", lang) for k in caveats[name])))  # fmt: skip
    today = tp.profit_today
    total = tp.result.profit
    fte = format_number(-tp.before_after.loc["total", "fte_change"], lang, 1)
    key = {
        (True, True): "scen.finding.total",
        (True, False): "scen.finding.total_no_fte",
        (False, True): "scen.finding.total_no_margin",
        (False, False): "scen.finding.total_no_data",
    }[(tp.has("margin"), tp.has("activities"))]
    out.append(t(key, lang, profit=money(total), today=money(today),
                 target=money(today + total), fte=fte))  # fmt: skip
    return out


def data_notes(tp: TargetPicture) -> list[str]:
    """What the client's data do not contain and what that means for the target picture
    (translated sentences; empty when everything is there)."""
    lang = tp.lang
    out = [t(f"target.gap.{k}", lang) for k in S.DATA_KINDS if not tp.has(k)]
    if not np.isfinite(tp.inputs.cost_per_order) or tp.inputs.cost_per_order <= 0:
        out.append(t("target.gap.order_cost", lang))
    if out:
        out.append(t("target.gap.hint", lang))
    return out


def before_after_metrics(tp: TargetPicture) -> tuple[str, str]:
    """The money and the count metric the before/after charts show: profit (CM III) and
    FTE, or revenue without margin data and customers without activity data."""
    return (
        "profit" if tp.has("margin") else "revenue",
        "fte" if tp.has("activities") else "customers",
    )


def care_findings(tp: TargetPicture) -> list[str]:
    """Findings on the care model: hours by role vs. capacity, biggest change per class."""
    lang = tp.lang
    out = []
    cap = tp.care_capacity
    for role in ("field_sales", "inside_sales"):
        r = cap.loc[role]
        if not np.isfinite(r["hours_today"]):  # no activity data: today not measurable
            out.append(t("target.finding.capacity_no_today", lang,
                         role=_value("screen.role.", role, lang),
                         target=format_number(r["hours_target"], lang),
                         fte=format_number(r["fte_target"], lang, 1),
                         util=format_pct(r["utilisation_target"], lang)))  # fmt: skip
            continue
        out.append(t("target.finding.capacity", lang, role=_value("screen.role.", role, lang),
                     today=format_number(r["hours_today"], lang),
                     target=format_number(r["hours_target"], lang),
                     fte=format_number(r["fte_change"], lang, 1, signed=True),
                     util=format_pct(r["utilisation_target"], lang)))  # fmt: skip
    comp = tp.care_comparison.dropna(subset=["hours_today", "hours_target"])
    if len(comp):
        diff = (comp["hours_today"] - comp["hours_target"]) * comp["customers"]
        cls = str(diff.idxmax())
        out.append(t("target.finding.largest_change", lang, cls=cls,
                     today=format_number(comp.loc[cls, "hours_today"], lang, 1),
                     target=format_number(comp.loc[cls, "hours_target"], lang, 1)))  # fmt: skip
    return out


def key_figures(tp: TargetPicture) -> pd.DataFrame:
    """The 5-8 numbers of the executive summary (label, formatted value)."""
    lang, cur = tp.lang, tp.currency
    cust_share, rev_share, small_profit = _small_share(tp)
    scr = tp.stage.screening
    rows = [
        (t("target.kf.small_customers", lang, classes="/".join(tp.settings.small_classes)),
         t("target.kf.small_customers_value", lang, customers=format_pct(cust_share, lang),
           revenue=format_pct(rev_share, lang))),
        (t("target.kf.small_profit", lang, year=tp.year),
         format_money(small_profit, lang, cur) if tp.has("margin")
         else t("target.kf.no_margin", lang)),
    ]  # fmt: skip
    if "smart_account" in scr.columns:
        rows.append((t("target.kf.smart_accounts", lang),
                     format_number(int(scr["smart_account"].astype(bool).sum()), lang)))  # fmt: skip
    lv = tp.stage.levers
    if lv is not None and pd.to_numeric(lv["priority"], errors="coerce").notna().any():
        top = lv.sort_values("priority", ascending=False).iloc[0]
        rows.append((t("target.kf.top_lever", lang), lever_name(str(top["lever"]), lang)))
    rows += [
        (t("target.kf.recommended_mov", lang), format_money(tp.result.threshold, lang, cur)
         if np.isfinite(tp.result.threshold) else t("target.kf.no_margin", lang)),
        (t("target.kf.profit_effect", lang), t("target.kf.profit_effect_value", lang,
         effect=format_money(tp.result.profit, lang, cur, signed=True),
         pct=format_pct(tp.result.profit / abs(tp.profit_today), lang, signed=True)
         if np.isfinite(tp.profit_today) and tp.profit_today else "–")),
        (t("target.kf.capacity_freed", lang), t("target.kf.capacity_freed_value", lang,
         hours=format_number(-tp.result.effects["channel_shift"].deltas["field_hours"].sum()
                             - tp.result.effects["dealer"].deltas["field_hours"].sum(), lang),
         fte=format_number(-tp.before_after.loc["total", "fte_change"], lang, 1))
         if tp.has("activities") else t("target.kf.no_activities", lang)),
        (t("target.kf.quick_wins", lang), format_number(int(tp.plan["quick_win"].sum()), lang)),
    ]  # fmt: skip
    return pd.DataFrame(
        {label("value", lang): [v for _, v in rows]},
        index=pd.Index([k for k, _ in rows], name=label("figure", lang)),
    )


def summary_findings(tp: TargetPicture, top: int = 3) -> list[str]:
    """The closing findings: stage notes, the target picture in one sentence, top measures."""
    lang = tp.lang
    out = []
    total = tp.result.profit
    gaps = [k for k in S.DATA_KINDS if not tp.has(k)]
    if gaps:
        out.append(t("target.summary.data_gaps", lang, missing=_missing_text(gaps, lang)))
    key = "target.summary.picture" if tp.has("activities") else "target.summary.picture_no_capacity"
    out.append(t(key, lang,
                 profit=format_money(total, lang, tp.currency, signed=True),
                 fte=format_number(-tp.before_after.loc["total", "fte_change"], lang, 1),
                 lost=format_number(tp.effects.loc["total", "customers_lost"], lang)))  # fmt: skip
    best = tp.plan.sort_values("rank").head(top)
    out.append(t("target.summary.top_measures", lang,
                 measures="; ".join(f"{m} ({_value('measure.owner.', o, lang)})"
                                    for m, o in zip(best["measure"], best["owner"], strict=True))))  # fmt: skip
    qw = tp.plan[tp.plan["quick_win"]]
    if len(qw):
        out.append(t("target.summary.quick_wins", lang, n=len(qw),
                     measures="; ".join(qw["measure"].head(4))))  # fmt: skip
    return out


# --- Excel export ---------------------------------------------------------------------------


def write_measures_plan(tp: TargetPicture, out_dir: str | Path) -> Path:
    """Write ``measures_plan.xlsx`` into ``out_dir`` and return its path.

    Sheets (translated): the plan (measure, lever, owner, start, end, priority, quick
    win, status with a drop-down list, KPI, KPI target, KPI actual, comment, impact,
    effort, duration, score, id), all measures ranked, the scenario assumptions, the
    scenario effects, before/after per class and the target care model.
    """
    from openpyxl import load_workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from kk_helpers.core.excel import write_workbook

    lang = tp.lang
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_frame(tp, (*PLAN_COLUMNS, "measure_id"))
    plan.insert(plan.columns.get_loc("kpi") + 1, "kpi_target", "")
    plan.insert(plan.columns.get_loc("kpi_target") + 1, "kpi_actual", "")
    plan.insert(plan.columns.get_loc("kpi_actual") + 1, "comment", "")
    ranked = tp.ranked
    all_measures = pd.DataFrame(
        {
            "rank": ranked["rank"], "measure": ranked["measure"],
            "lever_name": ranked["lever_name"],
            "owner": [_value("measure.owner.", o, lang) for o in ranked["owner"]],
            "impact": ranked["impact"],
            "impact_basis": [t(f"measure.basis.{b}", lang) for b in ranked["impact_basis"]],
            "effort": ranked["effort"], "months": ranked["months"], "score": ranked["score"],
            "priority": [t(f"measure.priority.{x}", lang) for x in ranked["priority"]],
            "quick_win": [t("screen.yes", lang) if q else t("screen.no", lang)
                          for q in ranked["quick_win"]],
            "kpi": ranked["kpi"], "measure_id": ranked["measure_id"],
        }
    )  # fmt: skip
    effects = tp.effects.copy()
    effects.index = _scenario_index(effects.index, lang)
    effects.index.name = label("scenario", lang)
    care = _translate_care(tp.care_target, lang)
    care.index.name = label(C.CLASS, lang)

    def heads(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.rename(columns=lambda c: label(str(c), lang))

    names = {k: t(f"measure.sheet.{k}", lang) for k in
             ("plan", "all", "assumptions", "effects", "before_after", "care")}  # fmt: skip
    sheets = {
        names["plan"]: heads(plan),
        names["all"]: heads(all_measures),
        names["assumptions"]: assumptions_frame(tp),
        names["effects"]: heads(effects.round(2).reset_index()),
        names["before_after"]: before_after_frame(tp),
        names["care"]: heads(care.round(2).reset_index()),
    }
    path = write_workbook(out / PLAN_FILE, sheets)
    # status drop-down on the plan sheet (the client tracks the plan in this file)
    wb = load_workbook(path)
    ws = wb[names["plan"][:31]]
    col = list(plan.columns).index("status") + 1
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col)
    options = ",".join(t(f"measure.status.{s}", lang) for s in STATUSES)
    dv = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}{max(len(plan) + 1, 2) + 50}")
    wb.save(path)
    return path
