"""Generated sentences and data notes of the customer screening (notebook 02)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import ROLE_SCOPES, check_language, label, t
from kk_helpers.core.safe_text import markdown_text
from kk_helpers.metrics import scoring as S
from kk_helpers.stages.figure_text import format_value
from kk_helpers.stages.screening.analysis import (
    CLASS_CHANGE,
    HEADROOM,
    PRIORITY_CLASS,
    SMART_ACCOUNT,
    ScreeningResult,
    class_shares,
    portfolio_available,
    priority_changes,
    result_currency,
)
from kk_helpers.stages.screening.tables import column_label
from kk_helpers.stages.screening.texts import criterion_label

# --- findings ---------------------------------------------------------------------


def screening_findings(
    result: ScreeningResult, lang: str = "de", sens: pd.DataFrame | None = None
) -> list[str]:
    """Short generated findings of a screening, in ``lang`` (for the notebook).

    Args:
        result: the screening.
        lang: ``de`` or ``en``.
        sens: output of :func:`sensitivity` (optional).

    Returns:
        List of sentences; the first names the criteria left out for lack of data
        (when any weighted criterion was).
    """
    check_language(lang)
    tb = result.table
    n = len(tb)
    out: list[str] = []
    if n == 0:
        return out
    out.extend(dropped_findings(result, lang))
    summ = result.class_summary()
    if "A" in summ.index:
        a = summ.loc["A"]
        out.append(
            t(
                "screen.finding.a_class"
                if pd.notna(a["margin_share"])
                else "screen.finding.a_class_nomargin",
                lang,
                n=format_number(a["customers"], lang),
                share=format_pct(a["customers_share"], lang),
                revenue=format_pct(a["revenue_share"], lang),
                margin=format_pct(a["margin_share"], lang),
            )
        )
    small = ["C", "D"]  # priority classes (not the revenue ABC of notebook 01)
    if any(k in summ.index for k in small):
        cust, rev = class_shares(tb[PRIORITY_CLASS], tb[C.REVENUE_TOTAL], small)
        out.append(
            t(
                "screen.finding.cd_classes",
                lang,
                classes="/".join(small),
                share=format_value("priority_small_customer_share", cust, lang),
                revenue=format_value("priority_small_revenue_share", rev, lang),
            )
        )
    cap = result.capacity.dropna(subset=["utilisation"])
    if len(cap):
        role = cap["utilisation"].idxmax()
        key = (
            "screen.finding.capacity_over"
            if cap.loc[role, "utilisation"] > 1
            else "screen.finding.capacity_ok"
        )
        out.append(
            t(
                key,
                lang,
                role=label(str(role), lang, scopes=ROLE_SCOPES),
                util=format_pct(cap.loc[role, "utilisation"], lang),
                hours=format_number(cap.loc[role, "required"], lang),
            )
        )
    smart = tb[tb[SMART_ACCOUNT]]
    skipped = result.extras.get("smart_skipped", [])
    if not result.extras.get("smart_available", True):
        out.append(t("screen.finding.smart_none", lang))
    else:
        out.append(
            t(
                "screen.finding.smart_nomargin" if "margin" in skipped else "screen.finding.smart",
                lang,
                n=format_number(len(smart), lang),
                revenue=format_money(
                    smart["revenue_last_year"].sum(), lang, result_currency(result)
                ),
                headroom=format_money(smart[HEADROOM].sum(), lang, result_currency(result)),
            )
        )
    changes = priority_changes(tb)
    if len(changes):
        out.append(
            t(
                "screen.finding.changes",
                lang,
                n=format_number(len(changes), lang),
                share=format_pct(len(changes) / n, lang),
                up=format_number(int((changes[CLASS_CHANGE] > 0).sum()), lang),
                down=format_number(int((changes[CLASS_CHANGE] < 0).sum()), lang),
            )
        )
    n_miss = int((tb[S.N_MISSING] > 0).sum())
    n_est = int(tb[S.POTENTIAL_ESTIMATED].sum())
    has_potential = bool(pd.to_numeric(tb["potential"], errors="coerce").notna().any())
    out.append(
        t(
            "screen.finding.missing" if has_potential else "screen.finding.missing_nopot",
            lang,
            n=format_number(n_miss, lang),
            share=format_pct(n_miss / n, lang),
            policy=t(f"screen.missing.{result.settings.missing}", lang),
            estimated=t("screen.finding.missing.estimated", lang, n=format_number(n_est, lang)),
        )
    )
    if sens is not None and len(sens):
        top = sens.index[0]
        key = "screen.finding.sensitive" if sens["max"].iloc[0] > 0.1 else "screen.finding.robust"
        out.append(
            t(
                key,
                lang,
                share=format_pct(sens["max"].iloc[0], lang, decimals=1),
                criterion=criterion_label(str(top), lang),
            )
        )
    return out


def _join_labels(names: Sequence[str], lang: str) -> str:
    return ", ".join(criterion_label(str(c), lang) for c in names)


def dropped_findings(result: ScreeningResult, lang: str) -> list[str]:
    """The finding on criteria left out for lack of data (weighted ones, grouped by what
    is missing) and on the fallback to revenue alone; empty when nothing was left out.

    >>> import types
    >>> r = types.SimpleNamespace(extras={}, criteria=pd.DataFrame({"weight": [1.0]}),
    ...     dropped=pd.DataFrame({"weight": [15.0], "source": ["margin"]}, index=["margin"]))
    >>> dropped_findings(r, "en")[0].startswith("Left out of the scoring for lack of data")
    True
    """
    check_language(lang)
    dropped = result.dropped
    weighted = dropped[dropped["weight"] > 0] if len(dropped) else dropped
    out: list[str] = []
    if len(weighted):
        groups = [
            t(
                "screen.dropped.group",
                lang,
                criteria=_join_labels(list(part.index), lang),
                reason=t(f"screen.source.{source}", lang),
            )
            for source, part in weighted.groupby("source", sort=False)
        ]
        used = result.criteria
        out.append(
            t(
                "screen.finding.dropped",
                lang,
                n=format_number(len(weighted), lang),
                groups="; ".join(groups),
                kept=format_number(int((used["weight"] > 0).sum()), lang),
            )
        )
    fallback = result.extras.get("fallback")
    if fallback:
        out.append(
            t("screen.finding.fallback", lang, criterion=criterion_label(str(fallback), lang))
        )
    return out


def dropped_overview(result: ScreeningResult, lang: str) -> pd.DataFrame:
    """Criteria left out for lack of data, for display: configured ``weight`` and
    ``weight_share`` and what is missing (``dropped_reason``); index = criterion label,
    weighted criteria first. Empty when nothing was left out."""
    d = result.dropped
    if d.empty:
        return pd.DataFrame(
            {"weight": [], "weight_share": [], "dropped_reason": []},
            index=pd.Index([], name="criterion"),
        )
    d = d.sort_values("weight", ascending=False, kind="stable")
    return pd.DataFrame(
        {
            "weight": d["weight"].to_numpy(dtype="float64"),
            "weight_share": d["weight_share"].to_numpy(dtype="float64"),
            "dropped_reason": [t(f"screen.source.{src}", lang) for src in d["source"]],
        },
        index=pd.Index([criterion_label(str(c), lang) for c in d.index], name="criterion"),
    )


NOTE_SECTIONS: tuple[str, ...] = ("criteria", "classes", "portfolio", "smart", "comparison")


def data_notes(result: ScreeningResult, lang: str) -> dict[str, list[str]]:
    """What the sections of notebook 02 could not compute for lack of data, and why.

    Returns:
        Section (:data:`NOTE_SECTIONS`) -> list of translated notes (empty list: nothing
        to say): ``criteria`` (criteria left out, fallback), ``classes`` (no margin),
        ``portfolio`` (no supplier position), ``smart`` (no potential, conditions left
        out), ``comparison`` (no current class of the client).
    """
    check_language(lang)
    tb = result.table
    notes: dict[str, list[str]] = {k: [] for k in NOTE_SECTIONS}
    if len(result.dropped):
        notes["criteria"].append(
            t(
                "screen.note.dropped",
                lang,
                criteria=_join_labels(list(result.dropped.index), lang),
            )
        )
    fallback = result.extras.get("fallback")
    if fallback:
        notes["criteria"].append(
            t("screen.finding.fallback", lang, criterion=criterion_label(str(fallback), lang))
        )
    if C.MARGIN_TOTAL not in tb.columns or tb[C.MARGIN_TOTAL].isna().all():
        notes["classes"].append(t("screen.note.no_margin", lang))
    if not portfolio_available(result):
        position = result.settings.portfolio.position
        notes["portfolio"].append(
            t("screen.note.no_position", lang, position=column_label(position, lang))
        )
    skipped = result.extras.get("smart_skipped", [])
    if not result.extras.get("smart_available", True):
        notes["smart"].append(t("screen.note.smart_no_potential", lang))
    else:
        left_out = [t(f"screen.smart.condition.{k}", lang) for k in skipped if k != "potential"]
        if left_out:
            notes["smart"].append(
                t("screen.note.smart_skipped", lang, conditions=", ".join(left_out))
            )
    if C.CURRENT_CLASS not in tb.columns or tb[C.CURRENT_CLASS].isna().all():
        notes["comparison"].append(t("screen.note.no_current_class", lang))
    return notes


def notes_markdown(notes: Sequence[str], lang: str) -> str:
    """Notes as a Markdown block (``**Note:** …``), empty string when there are none."""
    items = [n for n in notes if n]
    if not items:
        return ""
    label = t("col.note", lang)
    return "\n\n".join(f"> **{label}:** {markdown_text(n)}" for n in items)


def show_notes(notes: Mapping[str, Sequence[str]], section: str, lang: str) -> None:
    """Display the notes of one section of :func:`data_notes` (nothing when there are none)."""
    md = notes_markdown(notes.get(section, []), lang)
    if md:
        from IPython.display import Markdown, display

        display(Markdown(md))
