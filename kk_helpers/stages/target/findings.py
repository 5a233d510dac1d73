"""Generated sentences of the target picture (notebook 04) and the executive summary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import t
from kk_helpers.metrics import capacity as cap
from kk_helpers.stages.figure_text import figure_label, format_figure
from kk_helpers.stages.levers.catalog import lever_name
from kk_helpers.stages.target import scenarios as S
from kk_helpers.stages.target.analysis import TargetPicture, fte_freed
from kk_helpers.stages.target.tables import ROLE_PREFIXES, _value, scenario_label

# --- findings and executive summary -------------------------------------------------------


#: where the text of a missing input ``<kind>`` of a scenario is looked up: its own key,
#: else the same gap as a headline-figure reason or a lever-indicator note (``no_<kind>``)
MISSING_PREFIXES: tuple[str, ...] = ("scen.missing.", "fig.reason.no_", "lever.note.no_")


def _missing_text(kinds: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(_value(MISSING_PREFIXES, k, lang) for k in kinds)


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
    count = lambda x: format_number(x, lang)  # noqa: E731
    caveats = S.scenario_caveats(tp.inputs.missing)
    texts = {
        "channel_shift": lambda: t(
            "scen.finding.channel_shift", lang, customers=count(ch["customers"]),
            plural=count(ch["customers"]),
            hours=format_number(ch["field_hours_freed"], lang),
            fte=format_number(ch["fte_freed"], lang, decimals=1),
            inside=format_number(ch["inside_hours_added"], lang), profit=money(ch["profit"]))
        if tp.has("activities") else t(
            "scen.finding.channel_shift_orders", lang, plural=count(ch["orders_moved"]),
            orders=count(ch["orders_moved"]), saved=money(ch["order_cost_saved"]),
            profit=money(ch["profit"])),
        "minimum_order_value": lambda: t(
            "scen.finding.mov", lang, mov=money(mov["threshold"]),
            break_even=money(tp.inputs.break_even), orders=format_pct(mov["orders_share"], lang),
            customers=count(mov["customers"]), plural=count(mov["customers"]),
            at_risk=money(mov["revenue_at_risk"]), saved=money(mov["cost_saved"]),
            profit=money(mov["profit"])),
        "surcharge": lambda: t(
            "scen.finding.surcharge", lang, surcharge=money(tp.settings.surcharge),
            threshold=money(sur["threshold"]),
            orders=t("scen.finding.surcharge.orders", lang, n=count(sur["orders"])),
            extra=money(sur["surcharge_revenue"]), profit=money(sur["profit"]),
            at_risk=t("scen.finding.surcharge.at_risk", lang, n=count(sur["customers_at_risk"])))
        if tp.settings.surcharge > 0 else t("scen.finding.no_surcharge", lang),
        "dealer": lambda: t(
            "scen.finding.dealer", lang, customers=count(dl["customers"]),
            plural=count(dl["customers"]),
            given_up=money(dl["margin_given_up"]), saved=money(dl["cost_saved"]),
            profit=money(dl["profit"])),
    }  # fmt: skip
    out = []
    for name, text in texts.items():
        scen = scenario_label(name, lang)
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
    fte = format_number(fte_freed(tp), lang, decimals=1)
    # FTE freed comes from the capacity model (time budgets): known without activity data
    key = "scen.finding.total" if tp.has("margin") else "scen.finding.total_no_margin"
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
    """Findings on the care model: customers per service level, hours by role before
    (service levels of notebook 02) vs. target, net FTE freed, biggest change per class."""
    lang = tp.lang
    lv = tp.care_levels
    out = [t("target.finding.levels", lang,
             before=format_number(lv.loc["strategic", "customers_before"], lang),
             target=format_number(lv.loc["strategic", "customers_target"], lang))]  # fmt: skip
    capacity = tp.care_capacity
    for role in cap.ROLES:
        if role not in capacity.index:
            continue
        r = capacity.loc[role]
        out.append(t("target.finding.capacity", lang, role=_value(ROLE_PREFIXES, role, lang),
                     before=format_number(r["hours_before"], lang),
                     util_before=format_pct(r["utilisation_before"], lang),
                     target=format_number(r["hours_target"], lang),
                     util=format_pct(r["utilisation_target"], lang),
                     fte=format_number(r["fte_freed"], lang, decimals=1, signed=True)))  # fmt: skip
    if capacity["hours_measured"].isna().all():
        out.append(t("target.finding.capacity_no_today", lang))
    out.append(t("target.finding.fte_net", lang, fte=format_number(fte_freed(tp), lang, decimals=1, signed=True),
                 hours=format_number(cap.net_hours_freed(capacity), lang)))  # fmt: skip
    comp = tp.care_comparison.dropna(subset=["hours_today", "hours_target"])
    if len(comp):
        diff = (comp["hours_today"] - comp["hours_target"]) * comp["customers"]
        cls = str(diff.idxmax())
        out.append(t("target.finding.largest_change", lang, cls=cls,
                     today=format_number(comp.loc[cls, "hours_today"], lang, decimals=1),
                     target=format_number(comp.loc[cls, "hours_target"], lang, decimals=1)))  # fmt: skip
    return out


#: the headline figures of the executive summary, in order (registry: one value everywhere)
SUMMARY_FIGURES = (
    "abc_small_customer_share",
    "abc_small_revenue_share",
    "priority_small_customer_share",
    "priority_small_revenue_share",
    "smart_accounts",
    "break_even_order_value",
    "recommended_minimum_order_value",
    "fte_freed",
    "profit_effect",
)


def key_figures(tp: TargetPicture) -> pd.DataFrame:
    """The numbers of the executive summary: the headline figures of
    :data:`SUMMARY_FIGURES` (label and value from the registry) and the stage's own rows
    (CM III of the small priority classes, the top lever, the quick wins).

    Returns:
        DataFrame indexed by the translated label (name ``fig.col.figure``) with one
        column ``fig.col.value`` of formatted values.
    """
    lang, cur = tp.lang, tp.currency
    figs = tp.figures
    rows = [(figure_label(c, lang), format_figure(figs[c], lang, cur))
            for c in SUMMARY_FIGURES if c in figs]  # fmt: skip
    ba = tp.before_after
    small = [c for c in tp.settings.small_classes if c in ba.index]
    small_profit = float(ba.loc[small, "profit_before"].sum()) if small else float("nan")
    rows.insert(5, (t("target.kf.small_profit", lang, classes="/".join(tp.settings.small_classes),
                      year=tp.year),
                    format_money(small_profit, lang, cur) if tp.has("margin")
                    else t("target.kf.no_margin", lang)))  # fmt: skip
    lv = tp.stage.levers
    if lv is not None and pd.to_numeric(lv["priority"], errors="coerce").notna().any():
        top = lv.sort_values("priority", ascending=False).iloc[0]
        rows.append((t("target.kf.top_lever", lang), lever_name(str(top["lever"]), lang)))
    rows.append(
        (t("target.kf.quick_wins", lang), format_number(int(tp.plan["quick_win"].sum()), lang))
    )
    return pd.DataFrame(
        {t("col.value", lang): [v for _, v in rows]},
        index=pd.Index([k for k, _ in rows], name=t("col.figure", lang)),
    )


def summary_findings(tp: TargetPicture, top: int = 3) -> list[str]:
    """The closing findings: stage notes, the target picture in one sentence, top measures."""
    lang = tp.lang
    out = []
    total = tp.result.profit
    gaps = [k for k in S.DATA_KINDS if not tp.has(k)]
    if gaps:
        out.append(t("target.summary.data_gaps", lang, missing=_missing_text(gaps, lang)))
    out.append(t("target.summary.picture", lang,
                 profit=format_money(total, lang, tp.currency, signed=True),
                 fte=format_number(fte_freed(tp), lang, decimals=1),
                 lost=format_number(tp.effects.loc["total", "customers_lost"], lang)))  # fmt: skip
    best = tp.plan.sort_values("rank").head(top)
    out.append(t("target.summary.top_measures", lang,
                 measures="; ".join(f"{m} ({_value(ROLE_PREFIXES, o, lang)})"
                                    for m, o in zip(best["measure"], best["owner"], strict=True))))  # fmt: skip
    qw = tp.plan[tp.plan["quick_win"]]
    if len(qw):
        out.append(t("target.summary.quick_wins", lang, n=format_number(len(qw), lang),
                     measures="; ".join(qw["measure"].head(4))))  # fmt: skip
    return out
