"""Texts of the headline figures: label, value in the report language, definition rows.

The one place where a registry figure (:mod:`kk_helpers.metrics.figures`) becomes text, so
that a figure reads the same on every page, sheet and summary.

>>> from kk_helpers.metrics.figures import Figure
>>> format_figure(Figure.of("top20_revenue_share", 0.8312), "de")
'83,1 %'
>>> format_figure(Figure.missing("whale_peak", "no_margin"), "en")
'not available (no contribution margin (margin or cost) in the data)'
>>> figure_label("fte_freed", "en")
'Capacity freed by the target care model (FTE, net)'
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import t
from kk_helpers.metrics.figures import DEFINITIONS, REGISTRY, Figure, HeadlineFigures

#: decimals shown per unit (shares with one decimal, FTE one, indices two) ...
DECIMALS = {"count": 0, "money": 0, "share": 1, "index": 2, "fte": 1, "hours": 0}
#: ... and where a figure needs another precision
CODE_DECIMALS = {"cost_per_order": 2, "hhi": 4}


def figure_label(code: str, lang: str) -> str:
    """The label of a headline figure in ``lang`` (``fig.<code>.label``)."""
    return t(f"fig.{code}.label", lang)


def format_value(code: str, value: float, lang: str, *, currency: str = "EUR") -> str:
    """A value of figure ``code`` in the report language, by the figure's unit."""
    unit = DEFINITIONS[code].unit
    decimals = CODE_DECIMALS.get(code, DECIMALS[unit])
    if unit == "money":
        return format_money(value, lang, currency, decimals=decimals)
    if unit == "share":
        return format_pct(value, lang, decimals=decimals)
    return format_number(value, lang, decimals=decimals)


def format_figure(figure: Figure, lang: str, currency: str = "EUR") -> str:
    """The figure's value as shown everywhere, or "not available (reason)"."""
    if not figure.available:
        reason = t(f"fig.reason.{figure.reason or 'not_computable'}", lang)
        return t("fig.not_available", lang, reason=reason)
    return format_value(figure.code, float(figure.value), lang, currency=currency)  # type: ignore[arg-type]


def figure_text(figures: HeadlineFigures, code: str, lang: str, *, currency: str = "EUR") -> str:
    """The formatted value of the figure ``code`` of ``figures`` (for sentences).

    Raises:
        KeyError: when ``code`` was not computed for this client.
    """
    return format_figure(figures[code], lang, currency)


def figures_frame(
    figures: HeadlineFigures,
    lang: str,
    currency: str = "EUR",
    *,
    codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Label and formatted value of the given figures (all present ones by default).

    Returns:
        DataFrame with columns ``col.figure`` and ``col.value`` (translated
        headers), one row per figure in registry order; no meaningful index.
    """
    wanted = list(codes) if codes is not None else list(figures)
    rows = [(figure_label(c, lang), format_figure(figures[c], lang, currency))
            for c in wanted if c in figures]  # fmt: skip
    return pd.DataFrame(rows, columns=[t("col.figure", lang), t("col.value", lang)])


def definitions_frame(figures: HeadlineFigures, lang: str, currency: str = "EUR") -> pd.DataFrame:
    """Every registered figure with stage, label, the client's value, unit, definition,
    formula and basis (the definitions page), in registry order."""
    rows = []
    for d in REGISTRY:
        value = (
            format_figure(figures[d.code], lang, currency)
            if d.code in figures
            else t("fig.not_available", lang, reason=t("fig.reason.not_computable", lang))
        )
        rows.append(
            {
                "stage": t(f"fig.stage.{d.stage}", lang),
                "figure": figure_label(d.code, lang),
                "value": value,
                "unit": t(f"fig.unit.{d.unit}", lang),
                "definition": t(f"fig.{d.code}.definition", lang),
                "formula": t(f"fig.{d.code}.formula", lang),
                "basis": t(f"fig.basis.{d.basis}", lang),
            }
        )
    return pd.DataFrame(rows)
