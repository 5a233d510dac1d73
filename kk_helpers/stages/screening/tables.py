"""Display tables of the customer screening (notebook 02): headers, translated values,
formats, overviews and lists. Results hold codes; translation happens here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.formatting import styled_table
from kk_helpers.core.i18n import ROLE_SCOPES, label, t, translations
from kk_helpers.metrics import scoring as S
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.figure_text import figures_frame
from kk_helpers.stages.figures import screening_figures
from kk_helpers.stages.screening.analysis import (
    ABC_CLASS,
    CLASS_CHANGE,
    HEADROOM,
    NONE,
    PRIORITY_CLASS,
    QUADRANT,
    QUADRANTS,
    RANK,
    RECOMMENDED_CHANNEL,
    SERVICE_LEVEL,
    SMART_ACCOUNT,
    SMART_REASON,
    WHY_DOWN,
    WHY_UP,
    ScreeningInputs,
    ScreeningResult,
    class_crosstab,
    group_summary,
    priority_changes,
    sensitivity,
)
from kk_helpers.stages.screening.texts import (
    criterion_label,
    translate_criteria,
    translate_smart_reason,
    translate_why,
)


def why_texts(
    contrib: pd.DataFrame, lang: str = "de", *, n: int = 2, min_points: float = 0.5
) -> pd.DataFrame:
    """:func:`why_codes` translated (:func:`translate_why`), for display.

    >>> c = pd.DataFrame({"trend": [5.0, -3.0], "margin": [-2.0, 1.0]})
    >>> why_texts(c, "en").to_dict("list")
    {'why_up': ['Revenue trend +5.0', 'CM I p.a. +1.0'], 'why_down': ['CM I p.a. −2.0', 'Revenue trend −3.0']}
    """
    from kk_helpers.stages.screening.analysis import why_codes

    codes = why_codes(contrib, n=n, min_points=min_points)
    return pd.DataFrame({col: translate_why(codes[col], lang) for col in (WHY_UP, WHY_DOWN)})


#: label scopes of the screening tables (then ``col.``, ``metric.``)
SCOPES: tuple[str, ...] = ("screen.col", "screen.crit", *ROLE_SCOPES)


def column_label(name: str, lang: str) -> str:
    """Header of a screening-table column: :func:`kk_helpers.core.i18n.label` with the
    scopes ``screen.col``, ``screen.crit``, ``role``, ``channel``; normalised ``s_<criterion>``
    as "<criterion> (0-1)".

    >>> column_label("priority_class", "en")
    'Priority class'
    """
    if name.startswith(S.NORM_PREFIX) and f"screen.col.{name}" not in translations():
        return t(
            "screen.col.normalized",
            lang,
            criterion=criterion_label(name[len(S.NORM_PREFIX) :], lang),
        )
    out = label(name, lang, scopes=SCOPES)
    return out.replace("_", " ") if out == name else out


#: value vocabularies of screening columns: column -> translation-key prefix
VALUE_VOCABULARIES: tuple[tuple[str, str], ...] = (
    (SERVICE_LEVEL, "screen.level."),
    (QUADRANT, "screen.quadrant."),
    (RECOMMENDED_CHANNEL, "channel."),
)
#: yes/no columns of the screening table (translated when boolean)
YES_NO_COLUMNS: tuple[str, ...] = (SMART_ACCOUNT, S.POTENTIAL_ESTIMATED)


def translate_values(frame: pd.DataFrame, lang: str, currency: str = "EUR") -> pd.DataFrame:
    """A copy of ``frame`` with its values translated for display: level / quadrant /
    channel (:data:`VALUE_VOCABULARIES`; values without an entry stay), the codes of
    "why", smart-account reason (money in ``currency``) and missing criteria, and the
    boolean yes/no columns (:data:`YES_NO_COLUMNS`). Column names stay canonical.

    >>> translate_values(pd.DataFrame({"service_level": ["sales"], "smart_account": [True]}),
    ...                  "de").iloc[0].tolist()
    ['vertrieblich', 'ja']
    """
    df = frame.copy()
    table = translations()
    for col, prefix in VALUE_VOCABULARIES:
        if col in df.columns:
            vocab = {
                v: table[prefix + v][lang]
                for v in df[col].dropna().astype(str).unique()
                if prefix + v in table
            }
            df[col] = df[col].astype("str").replace(vocab)
    for col in (WHY_UP, WHY_DOWN):
        if col in df.columns:
            df[col] = translate_why(df[col], lang).to_numpy()
    if S.MISSING_CRITERIA in df.columns:
        df[S.MISSING_CRITERIA] = translate_criteria(df[S.MISSING_CRITERIA], lang).to_numpy()
    if SMART_REASON in df.columns:
        df[SMART_REASON] = translate_smart_reason(df[SMART_REASON], lang, currency).to_numpy()
    yes_no = {True: t("common.yes", lang), False: t("screen.no", lang)}
    for col in YES_NO_COLUMNS:
        if col in df.columns and df[col].dtype == bool:
            df[col] = df[col].map(yes_no).astype("str")
    return df


#: display formats of screening columns (canonical names)
MONEY_COLUMNS = frozenset(
    {
        "revenue",
        "margin",
        "revenue_last_year",
        "revenue_avg",
        C.REVENUE_TOTAL,
        C.MARGIN_TOTAL,
        "potential",
        HEADROOM,
        "cm3",
        "avg_order_value",
        C.COST_TO_SERVE,
    }
)
PCT_COLUMNS = frozenset(
    {
        "customers_share",
        "revenue_share",
        "margin_share",
        "weight_share",
        "utilisation",
        "margin_pct",
        "trend",
        S.SHARE_OF_WALLET,
        "minus",
        "plus",
        "max",
        "activity_effort",
    }
)
NUMBER_COLUMNS = frozenset(
    {
        "customers",
        S.N_MISSING,
        "n_missing_customers",
        RANK,
        S.SCORE,
        "score_mean",
        "score_min",
        "score_max",
        "weight",
        "required",
        "available",
        "gap",
        "hours_strategic",
        "hours_sales",
        "hours_service",
        "order_frequency",
        "product_breadth",
        "recency",
        CLASS_CHANGE,
        "inside_sales",
        "field_sales",
        "management",
    }
)
ONE_DECIMAL = frozenset({S.SCORE, "score_mean", "score_min", "score_max", "order_frequency"})

#: most decimals a share column gets so that a small share is not shown as "0 %"
MAX_PCT_DECIMALS = 2


def share_decimals(values: pd.Series, decimals: int = 0) -> int:
    """Decimals of a percentage column: ``decimals``, or more (up to
    :data:`MAX_PCT_DECIMALS`) until no share above zero is shown as "0 %".

    7 of 2,500 customers are 0.28 %: shown with 0 decimals as "0 %", which reads as
    "none"; with one decimal it is "0,3 %".

    >>> share_decimals(pd.Series([0.284, 0.0028])), share_decimals(pd.Series([0.28, 0.07]))
    (1, 0)
    >>> share_decimals(pd.Series([0.00001]))
    2
    """
    x = np.abs(pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan))
    x = x[x > 0]  # NaN compares False
    while decimals < MAX_PCT_DECIMALS and len(x) and (np.round(x * 100, decimals) == 0).any():
        decimals += 1
    return decimals


def styled(
    frame: pd.DataFrame,
    lang: str,
    currency: str = "EUR",
    *,
    hide_index: bool = False,
    pct_decimals: int = 0,
):
    """A pandas ``Styler`` of a screening table: formats by column name, translated headers,
    translated level / quadrant / channel values and index labels.

    Args:
        frame: any screening table (canonical column names).
        lang: ``de`` or ``en``.
        currency: ISO code of money columns.
        hide_index: do not show the index.
        pct_decimals: decimals of percentage columns.

    Returns:
        ``pandas.io.formats.style.Styler`` (display it in the notebook).
    """

    df = translate_values(frame, lang, currency)
    idx_name = df.index.name
    if (
        idx_name in (SERVICE_LEVEL, "role", "criterion", "group")
        or df.index.dtype == object
        or df.index.dtype == "str"
    ):

        def _idx(v: object) -> object:
            return label(
                v, lang, scopes=("screen.level", *ROLE_SCOPES, "screen.crit", "screen.quadrant")
            )

        df.index = pd.Index(
            [_idx(v) for v in df.index],
            name=column_label(str(idx_name), lang) if idx_name else None,
        )
    money = [c for c in df.columns if c in MONEY_COLUMNS]
    pct = [c for c in df.columns if c in PCT_COLUMNS]
    number = [c for c in df.columns if c in NUMBER_COLUMNS and pd.api.types.is_numeric_dtype(df[c])]
    decimals = {c: 1 for c in number if c in ONE_DECIMAL} | {
        c: share_decimals(df[c], pct_decimals) for c in pct
    }
    return styled_table(
        df,
        lang,
        currency,
        money=money,
        pct=pct,
        number=number,
        decimals=decimals,
        hide_index=hide_index,
        labeler=column_label,
    )


def level_hours_table(hours: pd.DataFrame, lang: str):
    """The time budget per customer and year by service level and role, for display: one
    column per role with the unit in its header ("Innendienst (Std. je Kunde und Jahr)").

    Args:
        hours: :func:`kk_helpers.metrics.capacity.level_hours` (index service levels,
            one column per role, hours per customer and year).
        lang: "de" or "en".

    Returns:
        pandas ``Styler``: hours with one decimal where a budget has one, else whole.
    """
    df = hours.copy()
    df.index = pd.Index([label(v, lang, scopes=("screen.level",)) for v in df.index],
                        name=column_label(SERVICE_LEVEL, lang))  # fmt: skip
    heads = {c: t("screen.col.role_hours", lang, role=label(c, lang, scopes=ROLE_SCOPES))
             for c in df.columns}  # fmt: skip
    whole = bool(((df.fillna(0) % 1) == 0).all().all())
    return styled_table(df, lang, number=list(df.columns), labeler=lambda c, _l: heads.get(c, c),
                        decimals={c: 0 if whole else 1 for c in df.columns})  # fmt: skip


def criteria_overview(result: ScreeningResult, lang: str) -> pd.DataFrame:
    """Criteria and weights for display: label, kind, direction, normalisation, weight,
    share, customers without a value (index = criterion label)."""
    crit = result.criteria
    out = pd.DataFrame(
        {
            "kind": [t(f"screen.kind.{k}", lang) for k in crit["kind"]],
            "direction": [t(f"screen.direction.{d}", lang) for d in crit["direction"]],
            "normalization": [t(f"screen.norm.{n}", lang) for n in crit["normalization"]],
            "weight": crit["weight"].to_numpy(),
            "weight_share": crit["weight_share"].to_numpy(),
            "n_missing_customers": crit["n_missing"].to_numpy(),
        },
        index=pd.Index([criterion_label(str(c), lang) for c in crit.index], name="criterion"),
    )
    return out


def missing_overview(result: ScreeningResult, lang: str) -> pd.DataFrame:
    """Counts for the missing-value section: customers by number of missing weighted
    criteria, and by basis of the potential (given / estimated from which peers).

    Returns:
        DataFrame indexed by a translated ``group`` label with ``customers`` and
        ``customers_share`` (0-1).
    """
    tb = result.table
    n = max(len(tb), 1)
    a = tb[S.N_MISSING].value_counts().sort_index()
    b = tb[S.POTENTIAL_BASIS].astype("str").value_counts()
    labels = [t("screen.missing.n", lang, n=int(k)) for k in a.index]
    labels += [
        t("screen.missing.potential", lang, basis=t(f"screen.basis.{k}", lang)) for k in b.index
    ]
    out = pd.DataFrame(
        {"customers": [*a.to_numpy(), *b.to_numpy()]}, index=pd.Index(labels, name="group")
    )
    out["customers"] = out["customers"].astype("int64")
    out["customers_share"] = out["customers"] / n
    return out


# --- notebook helpers -----------------------------------------------------------------

#: columns of the list preview in the notebook
PREVIEW_COLUMNS: tuple[str, ...] = (
    RANK,
    C.NAME,
    S.SCORE,
    PRIORITY_CLASS,
    SERVICE_LEVEL,
    RECOMMENDED_CHANNEL,
    SMART_ACCOUNT,
    WHY_UP,
    WHY_DOWN,
)
SMART_COLUMNS: tuple[str, ...] = (
    C.NAME,
    PRIORITY_CLASS,
    "revenue_last_year",
    "trend",
    "margin_pct",
    "potential",
    HEADROOM,
    SMART_REASON,
)
CHANGE_COLUMNS: tuple[str, ...] = (
    C.NAME,
    ABC_CLASS,
    PRIORITY_CLASS,
    CLASS_CHANGE,
    "revenue_last_year",
    WHY_UP,
    WHY_DOWN,
)


def top_list(
    result: ScreeningResult, n: int = 20, columns: Sequence[str] = PREVIEW_COLUMNS
) -> pd.DataFrame:
    """The ``n`` best customers by score with the preview columns (those present)."""
    tb = result.table.nsmallest(n, RANK)
    return tb[[c for c in columns if c in tb.columns]].reset_index(drop=True)


def smart_account_list(result: ScreeningResult, n: int = 20) -> pd.DataFrame:
    """The smart accounts with the most unused potential (``n`` rows)."""
    tb = result.table[result.table[SMART_ACCOUNT]]
    tb = tb.sort_values(HEADROOM, ascending=False, kind="stable").head(n)
    return tb[[c for c in SMART_COLUMNS if c in tb.columns]].reset_index(drop=True)


def change_list(result: ScreeningResult, n: int = 15, against: str = ABC_CLASS) -> pd.DataFrame:
    """The ``n`` customers with the largest class change vs. ``against``."""
    ch = priority_changes(result.table, against).head(n)
    cols = [against if c == ABC_CLASS else c for c in CHANGE_COLUMNS]
    return ch[[c for c in cols if c in ch.columns]].reset_index(drop=True)


def comparison_tables(result: ScreeningResult, lang: str) -> dict[str, pd.DataFrame]:
    """Crosstabs with translated axis names: ``abc`` (revenue ABC × priority class) and,
    where the client gives its own classes, ``current`` (current class × priority class)."""
    tb = result.table
    pc = column_label(PRIORITY_CLASS, lang)
    out = {
        "abc": class_crosstab(
            tb[ABC_CLASS], tb[PRIORITY_CLASS], row_name=column_label(ABC_CLASS, lang), col_name=pc
        )
    }
    if C.CURRENT_CLASS in tb.columns and tb[C.CURRENT_CLASS].notna().any():
        out["current"] = class_crosstab(
            tb[C.CURRENT_CLASS],
            tb[PRIORITY_CLASS],
            row_name=column_label(C.CURRENT_CLASS, lang),
            col_name=pc,
        )
    return out


def result_sensitivity(inputs: ScreeningInputs, result: ScreeningResult) -> pd.DataFrame:
    """:func:`sensitivity` with the weights and settings of ``result``."""
    s = result.settings
    return sensitivity(
        inputs.normalized,
        result.criteria["weight"],
        s.classes,
        missing=s.missing,
        step=s.sensitivity_step,
    )


def labelled(series: pd.Series, lang: str) -> pd.Series:
    """``series`` with criterion names in the index replaced by their labels (for charts)."""
    return series.set_axis([criterion_label(str(i), lang) for i in series.index])


def quadrant_summary(result: ScreeningResult) -> pd.DataFrame:
    """:func:`group_summary` by portfolio quadrant (star, question mark, cash, opportunistic)."""
    out = group_summary(result.table, QUADRANT)
    order = [q for q in (*QUADRANTS, NONE) if q in out.index]
    return out.reindex(order)


def key_figures_table(result: ScreeningResult, lang: str, currency: str = "EUR"):
    """The stage-2 headline figures of this screening (priority classes C/D, customers per
    service level, smart accounts) with the registry's labels and number formats.

    Returns:
        pandas ``Styler`` of two columns (figure, value) without row index; for the
        config's weights the values equal the client's registry (``figures.json``).
    """
    figures = HeadlineFigures(screening_figures(result.table))
    return styled_table(figures_frame(figures, lang, currency), lang, hide_index=True)
