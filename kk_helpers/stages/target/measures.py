"""Measures plan: a catalog of standard measures over the 8 levers, ranking, quick wins, roadmap.

Catalog (:data:`CATALOG`): 24 standard measures of small-customer management, 3 per
lever, each with a default impact (1-5), effort (1-5), owner role and duration in
months; names and KPIs in the translation table (``measure.<id>.name`` /
``measure.<id>.kpi``). ``target.measures`` in ``client.yml`` overrides any of these
(or switches a measure off) and adds client-specific measures with their own de/en texts.

Ranking (:func:`rank_measures`), documented so a client can follow it:

1. **Impact.** The catalog value, except for measures that carry a scenario of the target
   picture (minimum order value, surcharge, channel shift, dealer delegation): their
   impact comes from the computed profit effect - its share of the sum of all positive
   scenario effects: ≥ 40 % → 5, ≥ 20 % → 4, ≥ 10 % → 3, > 0 → 2, ≤ 0 → 1.
2. **Lever weight** from the lever assessment (notebook 03): 0.75 + 0.5 × the lever's
   priority (gap × importance) scaled 0-1 over the levers (0.75 for the least, 1.25 for
   the most urgent lever); 1.0 without interviews.
3. **Score** = impact × (6 − effort) × lever weight (0.75-31.25). **Priority**: high from
   15, medium from 8, else low.
4. **Quick win** = impact ≥ 4, effort ≤ 2 and duration ≤ 3 months (``target.quick_win``).
5. Order: score descending, then effort, duration and catalog order. The plan takes all
   quick wins and fills up to ``target.max_measures`` with the best others.

Roadmap (:func:`schedule`): it starts at ``target.roadmap_start`` (default: the month after
the run date, :func:`roadmap_start`) and is labelled in calendar months
(:func:`month_label`); quick wins start in month 0, high-priority measures in month
1, medium in month 3, low in month 6; each runs its duration, cut at the horizon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kk_helpers.core.config import MeasureSpec, QuickWinRule, TargetSettings
from kk_helpers.core.i18n import check_language, t, translations
from kk_helpers.stages.levers.catalog import LEVERS, lever_name

#: Owner roles (translated as ``role.<role>``, else ``channel.<role>``).
OWNERS: tuple[str, ...] = (
    "management",
    "sales_manager",
    "field_sales",
    "inside_sales",
    "marketing",
    "product_management",
    "it",
    "controlling",
)
PRIORITIES: tuple[str, ...] = ("high", "medium", "low")
#: Score limits of the priorities (score = impact × (6 − effort) × lever weight).
HIGH_FROM = 15.0
MEDIUM_FROM = 8.0
#: Start month of each wave of the roadmap.
WAVE_START: dict[str, int] = {"quick_win": 0, "high": 1, "medium": 3, "low": 6}
STATUS_OPEN = "open"


@dataclass(frozen=True)
class Measure:
    """One measure of the catalog (texts from the translation table unless de/en given)."""

    id: str
    lever: str
    impact: int
    effort: int
    owner: str
    months: int
    scenario: str | None = None
    de: str | None = None
    en: str | None = None
    kpi_de: str | None = None
    kpi_en: str | None = None

    def name(self, lang: str) -> str:
        """Name in ``lang``.

        >>> CATALOG[6].name("en")
        'Introduce a minimum order value'
        """
        own = self.de if check_language(lang) == "de" else self.en
        return own or t(f"measure.{self.id}.name", lang)

    def kpi(self, lang: str) -> str:
        """KPI to track in ``lang`` (empty when none)."""
        own = self.kpi_de if check_language(lang) == "de" else self.kpi_en
        key = f"measure.{self.id}.kpi"
        return own or (t(key, lang) if key in translations() else "")


def _m(
    id_: str, lever: str, impact: int, effort: int, owner: str, months: int, scen: str | None = None
) -> Measure:
    return Measure(id_, lever, impact, effort, owner, months, scen)


#: The standard measures, 3 per lever, in lever order.
CATALOG: tuple[Measure, ...] = (
    _m("cust_segment_rules", "customers", 4, 2, "sales_manager", 2),
    _m("cust_smart_accounts", "customers", 4, 3, "inside_sales", 6),
    _m("cust_inactive_cleanup", "customers", 2, 1, "inside_sales", 2),
    _m("offer_standard_range", "offering", 3, 3, "product_management", 6),
    _m("offer_service_packages", "offering", 3, 3, "product_management", 6),
    _m("offer_low_service_products", "offering", 2, 2, "marketing", 4),
    _m("cond_minimum_order_value", "conditions", 4, 1, "sales_manager", 2, "minimum_order_value"),
    _m("cond_small_order_surcharge", "conditions", 3, 1, "sales_manager", 2, "surcharge"),
    _m("cond_list_prices", "conditions", 3, 2, "sales_manager", 3),
    _m("cov_inside_sales_shift", "coverage", 5, 3, "sales_manager", 6, "channel_shift"),
    _m("cov_visit_rules", "coverage", 4, 1, "sales_manager", 1),
    _m("cov_events_webinars", "coverage", 2, 2, "marketing", 4),
    _m("chan_webshop_push", "channels", 4, 2, "marketing", 3),
    _m("chan_self_service", "channels", 3, 4, "it", 9),
    _m("chan_remote_selling", "channels", 3, 2, "inside_sales", 3),
    _m("it_order_tracking", "it", 3, 4, "it", 9),
    _m("it_cts_reporting", "it", 3, 3, "controlling", 4),
    _m("it_marketing_automation", "it", 3, 3, "marketing", 6),
    _m("org_small_customer_team", "organisation", 5, 4, "management", 9),
    _m("org_targets_incentives", "organisation", 3, 2, "management", 3),
    _m("org_digital_processes", "organisation", 3, 4, "it", 12),
    _m("coop_dealer_delegation", "cooperations", 4, 3, "sales_manager", 6, "dealer"),
    _m("coop_service_partners", "cooperations", 2, 3, "management", 9),
    _m("coop_win_back", "cooperations", 2, 3, "sales_manager", 6),
)


def build_catalog(overrides: Mapping[str, MeasureSpec] | None = None) -> list[Measure]:
    """The catalog with the config's overrides applied (disabled measures left out).

    A spec with an unknown id adds a measure; it needs ``lever``, ``de`` and ``en``
    (defaults: impact 3, effort 3, owner sales_manager, 3 months).

    >>> from kk_helpers.core.config import MeasureSpec
    >>> cat = build_catalog({"cov_visit_rules": MeasureSpec(effort=3),
    ...     "coop_win_back": MeasureSpec(enabled=False),
    ...     "x1": MeasureSpec(lever="it", de="Neu", en="New")})
    >>> len(cat), [m.effort for m in cat if m.id == "cov_visit_rules"], cat[-1].name("en")
    (24, [3], 'New')
    """
    overrides = dict(overrides or {})
    out: list[Measure] = []
    for m in CATALOG:
        spec = overrides.pop(m.id, None)
        if spec is None:
            out.append(m)
            continue
        if not spec.enabled:
            continue
        out.append(_apply(m, spec))
    for mid, spec in overrides.items():
        if not spec.enabled:
            continue
        if not (spec.lever and spec.de and spec.en):
            raise ValueError(f"target.measures.{mid}: a new measure needs lever, de and en")
        if spec.lever not in LEVERS:
            raise ValueError(f"target.measures.{mid}: unknown lever {spec.lever!r}; use {LEVERS}")
        out.append(_apply(Measure(mid, spec.lever, 3, 3, "sales_manager", 3), spec))
    return out


def _apply(m: Measure, spec: MeasureSpec) -> Measure:
    from dataclasses import replace

    changes = {
        k: v
        for k, v in spec.model_dump().items()
        if k not in ("enabled",) and v is not None and hasattr(m, k)
    }
    return replace(m, **changes)


def catalog_frame(catalog: list[Measure], lang: str) -> pd.DataFrame:
    """The catalog as a table: ``measure_id``, ``measure``, ``lever``, ``lever_name``,
    ``impact``, ``effort``, ``owner``, ``months``, ``scenario``, ``kpi``."""
    return pd.DataFrame(
        {
            "measure_id": [m.id for m in catalog],
            "measure": [m.name(lang) for m in catalog],
            "lever": [m.lever for m in catalog],
            "lever_name": [lever_name(m.lever, lang) for m in catalog],
            "impact": [m.impact for m in catalog],
            "effort": [m.effort for m in catalog],
            "owner": [m.owner for m in catalog],
            "months": [m.months for m in catalog],
            "scenario": [m.scenario or "" for m in catalog],
            "kpi": [m.kpi(lang) for m in catalog],
        }
    )


def scenario_impact(profits: Mapping[str, float]) -> dict[str, int]:
    """Impact 1-5 per scenario from its share of the positive profit effects.

    >>> scenario_impact({"a": 60.0, "b": 25.0, "c": 15.0, "d": -5.0})
    {'a': 5, 'b': 4, 'c': 3, 'd': 1}
    """
    total = sum(v for v in profits.values() if v > 0)
    out = {}
    for k, v in profits.items():
        share = v / total if total > 0 else 0.0
        out[k] = (
            5 if share >= 0.4 else 4 if share >= 0.2 else 3 if share >= 0.1 else 2 if v > 0 else 1
        )
    return out


def lever_weights(levers: pd.DataFrame | None) -> dict[str, float]:
    """Weight per lever from the lever assessment: 0.75 + 0.5 × priority scaled 0-1.

    >>> lever_weights(pd.DataFrame({"lever": ["it", "conditions", "channels"],
    ...                             "priority": [2.0, 10.0, None]}))
    {'it': 0.75, 'conditions': 1.25, 'channels': 1.0}
    """
    if levers is None or levers.empty or "priority" not in levers.columns:
        return {}
    p = pd.to_numeric(levers["priority"], errors="coerce")
    lo, hi = p.min(), p.max()
    span = hi - lo if pd.notna(hi) and hi > lo else np.nan
    out = {}
    for lv, v in zip(levers["lever"], p, strict=True):
        if pd.isna(v):
            out[str(lv)] = 1.0
        else:
            out[str(lv)] = float(0.75 + 0.5 * ((v - lo) / span if pd.notna(span) else 0.5))
    return out


def rank_measures(
    catalog: list[Measure],
    lang: str,
    levers: pd.DataFrame | None = None,
    *,
    scenario_profits: Mapping[str, float] | None = None,
    quick_win: QuickWinRule | None = None,
) -> pd.DataFrame:
    """Score, priority, quick-win flag and rank of every measure (see the module doc).

    Args:
        catalog: :func:`build_catalog`.
        lang: language of names and KPIs.
        levers: lever table of notebook 03 (``lever``, ``priority``) or None.
        scenario_profits: scenario name -> profit effect (currency) or None.
        quick_win: the quick-win rule.

    Returns:
        The :func:`catalog_frame` columns plus ``impact_basis`` (``catalog`` or
        ``scenario``), ``lever_weight``, ``score``, ``priority`` (high/medium/low),
        ``quick_win`` (bool) and ``rank`` (1 = first), sorted by rank.

    >>> cat = [Measure("a", "it", 5, 1, "it", 2, en="A"), Measure("b", "it", 5, 4, "it", 2, en="B"),
    ...        Measure("c", "it", 2, 1, "it", 1, en="C")]
    >>> r = rank_measures(cat, "en")
    >>> r[["measure_id", "score", "priority", "quick_win"]].values.tolist()
    [['a', 25.0, 'high', True], ['c', 10.0, 'medium', False], ['b', 10.0, 'medium', False]]
    """
    rule = quick_win or QuickWinRule()
    frame = catalog_frame(catalog, lang)
    impact = frame["impact"].astype("int64").to_numpy()
    basis = np.full(len(frame), "catalog", dtype=object)
    if scenario_profits:
        from_scen = scenario_impact(scenario_profits)
        scen = frame["scenario"].map(from_scen)
        has = scen.notna().to_numpy()
        impact = np.where(has, scen.fillna(0).to_numpy(), impact).astype("int64")
        basis[has] = "scenario"
    weights = lever_weights(levers)
    lw = frame["lever"].map(weights).fillna(1.0).to_numpy(dtype="float64")
    effort = frame["effort"].to_numpy(dtype="int64")
    score = impact * (6 - effort) * lw
    frame["impact"] = impact
    frame["impact_basis"] = basis
    frame["lever_weight"] = lw
    frame["score"] = score.round(2)
    frame["priority"] = np.select(
        [score >= HIGH_FROM, score >= MEDIUM_FROM], ["high", "medium"], "low"
    )
    frame["quick_win"] = (
        (impact >= rule.min_impact)
        & (effort <= rule.max_effort)
        & (frame["months"].to_numpy() <= rule.max_months)
    )
    frame["_order"] = np.arange(len(frame))
    frame = frame.sort_values(
        ["score", "effort", "months", "_order"],
        ascending=[False, True, True, True],
        kind="stable",
    ).drop(columns="_order")
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def select_measures(ranked: pd.DataFrame, max_measures: int) -> pd.DataFrame:
    """All quick wins plus the best other measures, ``max_measures`` in all (at least
    the quick wins), in rank order.

    >>> r = pd.DataFrame({"rank": [1, 2, 3], "quick_win": [False, False, True]})
    >>> select_measures(r, 2)["rank"].tolist()
    [1, 3]
    """
    qw = ranked["quick_win"].to_numpy(dtype=bool)
    room = max(int(max_measures) - int(qw.sum()), 0)
    others = np.flatnonzero(~qw)[:room]
    keep = np.zeros(len(ranked), dtype=bool)
    keep[qw] = True
    keep[others] = True
    return ranked[keep].reset_index(drop=True)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + int(months), 12)
    return dt.date(d.year + y, m + 1, 1)


def default_plan_start(today: dt.date | None = None) -> dt.date:
    """First day of the month after ``today`` (default: the real today)."""
    return _add_months((today or dt.date.today()).replace(day=1), 1)


def roadmap_start(target: TargetSettings, today: dt.date | None = None) -> dt.date:
    """First day of the roadmap's first month: ``target.roadmap_start``, else the older
    ``target.plan_start`` (its month), else the month after ``today`` (default: the run
    date, never the data's reference date).

    >>> roadmap_start(TargetSettings(roadmap_start="2027-01"))
    datetime.date(2027, 1, 1)
    >>> roadmap_start(TargetSettings(), dt.date(2026, 11, 29))
    datetime.date(2026, 12, 1)
    """
    start = target.roadmap_start or target.plan_start
    return start.replace(day=1) if start else default_plan_start(today)


def month_label(d: dt.date, lang: str) -> str:
    """A calendar month as shown on the roadmap: de ``"Jan. 2027"``, en ``"Jan 2027"``.

    >>> month_label(dt.date(2027, 1, 1), "de"), month_label(dt.date(2027, 3, 1), "en")
    ('Jan. 2027', 'Mar 2027')
    """
    return f"{t(f'month.short.{d.month}', lang)} {d.year}"


def roadmap_month_labels(start: dt.date, months: list[int] | range, lang: str) -> list[str]:
    """Labels of roadmap months counted from ``start`` (month 0 = the start month).

    >>> roadmap_month_labels(dt.date(2026, 12, 1), [0, 3], "de")
    ['Dez. 2026', 'März 2027']
    """
    return [month_label(_add_months(start, m), lang) for m in months]


def roadmap_tick_labels(plan: pd.DataFrame, months: list[int], lang: str) -> list[str]:
    """Axis labels of roadmap months: calendar months when ``plan`` has the ``start`` dates
    of its measures (month 0 = the earliest start minus its ``start_month``), else "M3".

    >>> p = pd.DataFrame({"start_month": [1], "start": [dt.date(2027, 2, 1)]})
    >>> roadmap_tick_labels(p, [0, 12], "en")
    ['Jan 2027', 'Jan 2028']
    """
    if "start" not in plan.columns or plan.empty:
        return [t("measure.plot.roadmap.month", lang, m=m) for m in months]
    first = pd.to_datetime(plan["start"]).dt.date.iloc[0]
    month0 = _add_months(first, -int(plan["start_month"].iloc[0]))
    return roadmap_month_labels(month0, months, lang)


def schedule(selected: pd.DataFrame, start: dt.date, horizon_months: int = 18) -> pd.DataFrame:
    """Start and end of every measure (roadmap waves, see the module doc).

    Returns:
        ``selected`` with ``start_month``, ``end_month`` (months from the plan start,
        end exclusive, cut at ``horizon_months``), ``start`` and ``end`` (dates: first
        day of the start month, last day of the last month).

    >>> s = pd.DataFrame({"quick_win": [True, False], "priority": ["high", "low"], "months": [2, 24]})
    >>> p = schedule(s, dt.date(2026, 1, 1), 18)
    >>> p[["start_month", "end_month"]].values.tolist(), str(p["end"].iloc[0])
    ([[0, 2], [6, 18]], '2026-02-28')
    """
    wave = np.where(
        selected["quick_win"].to_numpy(dtype=bool),
        WAVE_START["quick_win"],
        selected["priority"].map(WAVE_START).fillna(WAVE_START["low"]).to_numpy(),
    ).astype("int64")
    end = np.minimum(wave + selected["months"].to_numpy(dtype="int64"), int(horizon_months))
    out = selected.copy()
    out["start_month"] = wave
    out["end_month"] = end
    out["start"] = [_add_months(start, int(m)) for m in wave]  # one per measure: ~20
    out["end"] = [_add_months(start, int(m)) - dt.timedelta(days=1) for m in end]
    return out


def measures_plan(
    target: TargetSettings,
    lang: str,
    levers: pd.DataFrame | None = None,
    *,
    scenario_profits: Mapping[str, float] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The prioritised, scheduled measures plan (canonical column names).

    Columns: ``rank``, ``measure_id``, ``measure``, ``lever``, ``lever_name``,
    ``owner``, ``impact``, ``effort``, ``months``, ``score``, ``priority``,
    ``quick_win``, ``impact_basis``, ``lever_weight``, ``scenario``, ``kpi``,
    ``start_month``, ``end_month``, ``start``, ``end``, ``status`` (``open``).
    """
    catalog = build_catalog(target.measures)
    ranked = rank_measures(
        catalog, lang, levers, scenario_profits=scenario_profits, quick_win=target.quick_win
    )
    return plan_from_ranked(ranked, target, today)


def plan_from_ranked(
    ranked: pd.DataFrame, target: TargetSettings, today: dt.date | None = None
) -> pd.DataFrame:
    """The plan of :func:`measures_plan` from measures already ranked by
    :func:`rank_measures` (selected, scheduled, status ``open``); ``ranked`` is not changed."""
    selected = select_measures(ranked, target.max_measures)
    plan = schedule(selected, roadmap_start(target, today), target.horizon_months)
    plan["status"] = STATUS_OPEN
    return plan
