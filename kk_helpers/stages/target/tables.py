"""Display tables of the target picture (notebook 04): translated, formatted Stylers and frames.

Headers come from :func:`kk_helpers.core.i18n.label` (scopes ``target``, ``scen``);
values (codes of roles, levels, channels, conditions, scenarios) are translated here,
never stored translated in :class:`~kk_helpers.stages.target.analysis.TargetPicture`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import format_money, format_number, format_pct, styled_table
from kk_helpers.core.i18n import ROLE_SCOPES, SCENARIO_SCOPES, t, translations
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.stages.figure_text import figure_label, format_figure
from kk_helpers.stages.target import measures as M
from kk_helpers.stages.target import scenarios as S
from kk_helpers.stages.target.analysis import TargetPicture

# --- labels and display tables ------------------------------------------------------------


#: label scopes of the target-picture tables (then ``col.``, ``metric.``)
SCOPES: tuple[str, ...] = ("target.col",)
#: label scopes of the scenario-effect table: changes per year, not levels
EFFECT_SCOPES: tuple[str, ...] = ("scen.effect", "target.col")
#: label scopes of the capacity and service-level tables (before = service levels of 02)
CAPACITY_SCOPES: tuple[str, ...] = ("target.cap", "target.col")


def label(name: str, lang: str, *, scopes: tuple[str, ...] = SCOPES) -> str:
    """Header of a target-picture column (:func:`kk_helpers.core.i18n.label` with ``scopes``).

    >>> label("fte_freed", "en")
    'FTE freed'
    >>> label("order_cost", "en"), label("order_cost", "en", scopes=EFFECT_SCOPES)
    ('Cost per order', 'Change in order-processing cost')
    """
    return i18n_label(name, lang, scopes=scopes)


def _value(prefix: str | tuple[str, ...], v: object, lang: str) -> str:
    """Text of the code ``v`` under the first of the key prefixes that has it, else ``str(v)``."""
    table = translations()
    for p in (prefix,) if isinstance(prefix, str) else prefix:
        if f"{p}{v}" in table:
            return table[f"{p}{v}"][lang]
    return str(v)


def scenario_label(code: object, lang: str) -> str:
    """Display name of a scenario code.

    >>> scenario_label("surcharge", "en"), scenario_label("target", "en")
    ('Small-order surcharge', 'Target picture')
    """
    return i18n_label(code, lang, scopes=SCENARIO_SCOPES)


#: key prefixes of the basis of a measure's impact (``scenario`` = the column's "Scenario")
BASIS_PREFIXES: tuple[str, ...] = ("measure.basis.", "col.")

#: key prefixes of a role (team) code: the shared ``role.`` vocabulary, then ``channel.``
ROLE_PREFIXES: tuple[str, ...] = tuple(f"{s}." for s in ROLE_SCOPES)


def _styled(frame: pd.DataFrame, tp: TargetPicture, *, money=(), pct=(), number=(),
            decimals=None, index_label: str | None = None, hide_index: bool = False,
            scopes: tuple[str, ...] = SCOPES):  # fmt: skip
    return styled_table(
        frame, tp.lang, tp.currency, money=money, pct=pct, number=number, decimals=decimals, index_label=index_label, hide_index=hide_index,
        labeler=lambda name, lang: label(name, lang, scopes=scopes),
    )  # fmt: skip


def _class_index(index: pd.Index, lang: str) -> list[str]:
    return [t("common.total", lang) if str(i) == "total" else str(i) for i in index]


def _scenario_index(index: pd.Index, lang: str) -> list[str]:
    return [scenario_label(i, lang) if i != "total" else t("common.total", lang) for i in index]


#: Care-model columns holding codes, with the prefix of their translation keys.
_CARE_CODES = {"served_by": ("target.role.", *ROLE_PREFIXES), "service_level": "screen.level.",
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


#: columns of the capacity table (hours and FTE by role)
CAPACITY_COLUMNS: tuple[str, ...] = (
    "hours_measured", "hours_before", "hours_target", "available", "utilisation_before",
    "utilisation_target", "fte_before", "fte_target", "fte_freed",
)  # fmt: skip


def capacity_table(tp: TargetPicture):
    """Hours and FTE by role: measured (activities), before (the service levels of
    notebook 02), target (care model), against capacity, with a ``total`` row
    (FTE freed = before − target; positive = freed)."""
    lang = tp.lang
    frame = tp.care_capacity[list(CAPACITY_COLUMNS)].copy()
    total = frame.sum(min_count=1)
    total[["utilisation_before", "utilisation_target"]] = np.nan
    frame.loc["total"] = total
    frame.index = [
        t("common.total", lang) if r == "total" else _value(ROLE_PREFIXES, r, lang)
        for r in frame.index
    ]
    fte = ("fte_before", "fte_target", "fte_freed")
    return _styled(
        frame, tp, pct=("utilisation_before", "utilisation_target"),
        number=("hours_measured", "hours_before", "hours_target", "available", *fte),
        decimals=dict.fromkeys(fte, 1), index_label=label("role", lang), scopes=CAPACITY_SCOPES,
    )  # fmt: skip


def levels_table(tp: TargetPicture):
    """Customers per service level: before (notebook 02) and in the target care model."""
    frame = tp.care_levels.copy()
    frame.index = [_value("screen.level.", v, tp.lang) for v in frame.index]
    return _styled(frame, tp, number=tuple(frame.columns), scopes=CAPACITY_SCOPES,
                   index_label=label("service_level", tp.lang, scopes=("screen.col",)))  # fmt: skip


def assumption_text(value: float, kind: str, lang: str, *, currency: str = "EUR") -> str:
    """An assumption's value with its unit: a share as %, an amount as money (whole
    euros; cents only below 20 €, as for a surcharge of 7,50 €), else a number with one
    decimal.

    >>> assumption_text(0.3, "share", "de"), assumption_text(78.75, "money", "de")
    ('30 %', '79 €')
    >>> assumption_text(7.5, "money", "de")
    '7,50 €'
    >>> assumption_text(131.25, "money", "en"), assumption_text(1.5, "number", "de")
    ('€131', '1,5')
    """
    if kind == "share":
        return format_pct(value, lang)
    if kind == "money":
        small = np.isfinite(value) and abs(value) < 20 and value != round(value)
        return format_money(value, lang, currency, decimals=2 if small else 0)
    return format_number(value, lang, decimals=1)


#: scenario assumptions that are not varied in the sensitivity analysis (after
#: :data:`kk_helpers.stages.target.scenarios.SENSITIVE` in the assumptions table)
FIXED_ASSUMPTIONS: tuple[str, ...] = ("small_classes", "dealer_classes", "hours_per_fte")


def assumption_codes() -> tuple[str, ...]:
    """Codes of the scenario assumptions in the order of the assumptions table."""
    return (*S.SENSITIVE, *FIXED_ASSUMPTIONS)


def assumption_config_keys(lang: str | None = None) -> pd.DataFrame:
    """Where each scenario assumption is set in ``client.yml`` (for the technical appendix;
    client pages name the assumption only).

    Args:
        lang: with a language, an ``assumption`` column with the translated name.

    Returns:
        DataFrame indexed by assumption code (index name ``assumption_code``) with
        ``config_key`` (e.g. ``target.scenario.surcharge``) and, with ``lang``,
        ``assumption``.

    >>> assumption_config_keys().loc["surcharge", "config_key"]
    'target.scenario.surcharge'
    >>> assumption_config_keys("en").loc["hours_per_fte"].tolist()
    ['target.scenario.hours_per_fte', 'Productive hours per FTE']
    """
    codes = assumption_codes()
    out = pd.DataFrame({"config_key": [f"target.scenario.{c}" for c in codes]},
                       index=pd.Index(codes, name="assumption_code"))  # fmt: skip
    if lang is not None:
        out["assumption"] = [t(f"scen.param.{c}", lang) for c in codes]
    return out


def assumptions_frame(tp: TargetPicture) -> pd.DataFrame:
    """The scenario assumptions used: one row each with its name and formatted value.

    Returns:
        DataFrame with two translated columns (assumption, value) in the order of
        :func:`assumption_codes`; where each is configured: :func:`assumption_config_keys`.
    """
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
        else:
            text = assumption_text(v, kind, lang, currency=tp.currency)
        rows.append((t(f"scen.param.{name}", lang), text))
    rows.append((t("scen.param.small_classes", lang), ", ".join(s.small_classes)))
    rows.append((t("scen.param.dealer_classes", lang), ", ".join(s.dealer_classes)))
    rows.append((t("scen.param.hours_per_fte", lang), format_number(s.hours_per_fte, lang)))
    return pd.DataFrame(rows, columns=[label("assumption", lang), label("value", lang)])


def assumptions_display(tp: TargetPicture):
    """:func:`assumptions_frame` for the notebook: the assumption's name is the first
    column, no row numbers (pandas ``Styler``)."""
    return styled_table(assumptions_frame(tp), tp.lang, hide_index=True,
                        labeler=lambda c, _lang: str(c))  # fmt: skip


def not_available(tp: TargetPicture) -> str:
    """ "not available (<reason>)" for the break-even and the recommended minimum order
    value (reason: :attr:`~kk_helpers.stages.target.scenarios.ScenarioInputs.break_even_reason`)."""
    reason = tp.inputs.break_even_reason or "no_margin"
    # the registry's reason text (fig.reason.*): the same words as for the headline figure
    return t("fig.not_available", tp.lang, reason=t(f"fig.reason.{reason}", tp.lang))


#: the headline figures at the top of the order-policy table (registry: one value everywhere)
ORDER_POLICY_FIGURES = (
    "cost_per_order",
    "margin_pct",
    "break_even_order_value",
    "recommended_minimum_order_value",
)


def order_policy_frame(tp: TargetPicture) -> pd.DataFrame:
    """Break-even and minimum order value: the figures behind the recommendation."""
    lang = tp.lang
    cur = tp.currency
    mov = tp.result.effects["minimum_order_value"].summary
    na = not_available(tp)
    figs = tp.figures
    head = [
        (figure_label(code, lang), format_figure(figs[code], lang, cur))
        for code in ORDER_POLICY_FIGURES
        if code in figs
    ]
    rows = [
        (
            "target.kf.mov_used",
            format_money(tp.result.threshold, lang, cur)
            if np.isfinite(tp.result.threshold)
            else na,
        ),
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
    rows = head + [(t(k, lang), v) for k, v in rows]
    return pd.DataFrame(
        {label("value", lang): [v for _, v in rows]},
        index=pd.Index([k for k, _ in rows], name=label("figure", lang)),
    )


def effects_display(tp: TargetPicture):
    """Effect of each scenario per year (revenue, CM I, costs, profit, hours), formatted."""
    frame = tp.effects.copy()
    frame.index = _scenario_index(frame.index, tp.lang)
    return _styled(
        frame, tp, money=("revenue", "margin", "order_cost", "activity_cost", "profit"),
        number=("field_hours", "inside_hours", "customers_lost"),
        decimals={"customers_lost": 1}, index_label=label("scenario", tp.lang),
        scopes=EFFECT_SCOPES,
    )  # fmt: skip


#: the before/after table in two parts that fit a page: the market side and the cost side
BEFORE_AFTER_PARTS: tuple[tuple[str, ...], ...] = (
    ("customers", "revenue", "margin"),
    ("cost_to_serve", "profit", "fte"),
)


def before_after_display(tp: TargetPicture, *, part: int | None = None):
    """Before/after per class: customers, revenue, CM I, cost-to-serve, profit, FTE.

    ``part``: 0 = customers, revenue, CM I; 1 = cost-to-serve, profit, FTE (each fits a
    page); None = all columns in one table.
    """
    frame = tp.before_after.copy()
    if part is not None:
        keep = BEFORE_AFTER_PARTS[part]
        frame = frame[[c for c in frame.columns if c.rsplit("_", 1)[0] in keep]]
    frame.index = _class_index(frame.index, tp.lang)
    money = [c for c in frame.columns if not c.startswith(("customers", "fte"))]
    number = [c for c in frame.columns if c.startswith(("customers", "fte"))]
    return _styled(
        frame, tp, money=money, number=number,  # customers as whole numbers, FTE with one decimal
        decimals={c: 1 for c in number if c.startswith("fte")}, index_label=label(C.CLASS, tp.lang),
    )  # fmt: skip


def before_after_html(tp: TargetPicture) -> str:
    """The before/after table as HTML in its two page-wide parts (the 04 widget's panel)."""
    return "".join(
        before_after_display(tp, part=i).to_html() for i in range(len(BEFORE_AFTER_PARTS))
    )


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
    for col in ("low_value", "high_value"):
        frame[col] = [assumption_text(v, k, tp.lang, currency=tp.currency)
                      for v, k in zip(frame[col], kinds, strict=True)]  # fmt: skip
    frame.index = [t(f"scen.param.{i}", tp.lang) for i in frame.index]
    return _styled(frame, tp, money=("low", "high", "base", "swing"),
                   index_label=label("assumption", tp.lang))  # fmt: skip


PLAN_COLUMNS: tuple[str, ...] = (
    "rank", "measure", "lever", "owner", "start", "end", "priority", "quick_win",
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
            "lever": p["lever_name"].to_numpy(),
            "owner": [_value(ROLE_PREFIXES, o, lang) for o in p["owner"]],
            "start": pd.to_datetime(p["start"]).to_numpy(),
            "end": pd.to_datetime(p["end"]).to_numpy(),
            "priority": [t(f"measure.priority.{x}", lang) for x in p["priority"]],
            "quick_win": [
                t("common.yes", lang) if q else t("screen.no", lang) for q in p["quick_win"]
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
    """The measures plan for the notebook (start and end as calendar months), formatted."""
    frame = plan_frame(tp)
    for col in ("start", "end"):  # calendar months: "Jan. 2027" / "Jan 2027"
        frame[col] = [M.month_label(d, tp.lang) for d in pd.to_datetime(frame[col]).dt.date]
    return _styled(frame, tp, number=("score",), decimals={"score": 1}, hide_index=True)


def ranked_display(tp: TargetPicture, n: int | None = None):
    """All catalog measures ranked (the candidates), formatted."""
    r = tp.ranked if n is None else tp.ranked.head(n)
    frame = pd.DataFrame(
        {
            "rank": r["rank"].to_numpy(),
            "measure": r["measure"].to_numpy(),
            "lever": r["lever_name"].to_numpy(),
            "impact": r["impact"].to_numpy(),
            "impact_basis": [_value(BASIS_PREFIXES, b, tp.lang) for b in r["impact_basis"]],
            "effort": r["effort"].to_numpy(),
            "lever_weight": r["lever_weight"].to_numpy(),
            "score": r["score"].to_numpy(),
            "priority": [t(f"measure.priority.{x}", tp.lang) for x in r["priority"]],
            "quick_win": [t("common.yes", tp.lang) if q else "" for q in r["quick_win"]],
        }
    )
    return _styled(frame, tp, number=("score", "lever_weight"),
                   decimals={"score": 1, "lever_weight": 2}, hide_index=True)  # fmt: skip
