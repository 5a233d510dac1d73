"""The registry of headline figures: every figure shown in more than one place, defined once.

A headline figure (a share, a break-even, an FTE effect) has one code, one unit and one
basis (which customers, classes, years and costs it is computed on). It is computed once
per client (:func:`kk_helpers.stages.figures.headline_figures`), stored language-free
(``figures.json`` in the client's cache and report folder), and every notebook, the
executive summary, ``index.html``, ``definitions.html`` and the Excel files read it from
there. Texts (label, definition, formula, basis, reasons) live in the translation table
under ``fig.<code>.*``, ``fig.basis.<basis>`` and ``fig.reason.<reason>``; they are made
only when displayed (:mod:`kk_helpers.present.figures`).

A figure that cannot be computed from the client's data is *not available* with a reason
code (``no_margin``, ``no_cost_rates``, ...), never 0.

>>> f = Figure.of("gini", 0.6543)
>>> f.available, f.value
(True, 0.6543)
>>> Figure.missing("whale_peak", "no_margin").available
False
>>> HeadlineFigures.from_dict(HeadlineFigures([f]).to_dict())["gini"].value
0.6543
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

#: units of headline figures; each has one number format (present.figures.format_figure)
UNITS = ("count", "money", "share", "index", "fte", "hours")


@dataclass(frozen=True)
class FigureDef:
    """Definition of one headline figure.

    ``code`` is the figure's name everywhere (code, JSON, tests); ``unit`` one of
    :data:`UNITS` (``share`` and ``index`` are 0–1 fractions, ``money`` in the client's
    currency); ``basis`` names what it is computed on (text ``fig.basis.<basis>``);
    ``stage`` the stage that defines it (``status_quo``, ``screening``, ``target``).
    """

    code: str
    unit: str
    basis: str
    stage: str


#: every headline figure, in the order of the definitions page
REGISTRY: tuple[FigureDef, ...] = (
    # stage 1: status quo (revenue over all analysis years; revenue ABC/D classes)
    FigureDef("customers", "count", "customer_table", "status_quo"),
    FigureDef("revenue_total", "money", "analysis_years", "status_quo"),
    FigureDef("top20_revenue_share", "share", "analysis_years", "status_quo"),
    FigureDef("customers_for_80pct_revenue", "share", "analysis_years", "status_quo"),
    FigureDef("gini", "index", "analysis_years_clipped", "status_quo"),
    FigureDef("hhi", "index", "analysis_years_clipped", "status_quo"),
    FigureDef("abc_small_customer_share", "share", "revenue_abc", "status_quo"),
    FigureDef("abc_small_revenue_share", "share", "revenue_abc", "status_quo"),
    FigureDef("whale_peak", "share", "cm3_analysis_years", "status_quo"),
    FigureDef("unprofitable_customer_share", "share", "cm3_analysis_years", "status_quo"),
    FigureDef("cost_per_order", "money", "orders_last_year", "status_quo"),
    FigureDef("margin_pct", "share", "orders_last_year", "status_quo"),
    FigureDef("break_even_order_value", "money", "orders_last_year", "status_quo"),
    # stage 2: screening (priority classes from the weighted score, config weights)
    FigureDef("priority_small_customer_share", "share", "priority_classes", "screening"),
    FigureDef("priority_small_revenue_share", "share", "priority_classes", "screening"),
    FigureDef("strategic_customers", "count", "service_levels", "screening"),
    FigureDef("sales_customers", "count", "service_levels", "screening"),
    FigureDef("service_customers", "count", "service_levels", "screening"),
    FigureDef("smart_accounts", "count", "priority_classes", "screening"),
    # stage 4: target picture (config's scenario assumptions, last analysis year)
    FigureDef("recommended_minimum_order_value", "money", "orders_last_year", "target"),
    FigureDef("fte_today", "fte", "care_model", "target"),
    FigureDef("fte_target", "fte", "care_model", "target"),
    FigureDef("fte_freed", "fte", "care_model", "target"),
    FigureDef("profit_effect", "money", "scenarios", "target"),
)

DEFINITIONS: dict[str, FigureDef] = {d.code: d for d in REGISTRY}


@dataclass(frozen=True)
class Figure:
    """One computed headline figure: a finite ``value`` or ``None`` with a ``reason`` code."""

    code: str
    value: float | None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.code not in DEFINITIONS:
            raise KeyError(f"{self.code!r} is not a registered headline figure")

    @classmethod
    def of(cls, code: str, value: object, reason_if_missing: str = "not_computable") -> Figure:
        """The figure ``code`` with ``value``; a missing or non-finite value becomes
        *not available* with ``reason_if_missing``."""
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            return cls.missing(code, reason_if_missing)
        return cls(code, number, None)

    @classmethod
    def missing(cls, code: str, reason: str) -> Figure:
        """The figure ``code`` as not available, with the reason code ``reason``."""
        return cls(code, None, reason)

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def definition(self) -> FigureDef:
        return DEFINITIONS[self.code]


class HeadlineFigures(Mapping[str, Figure]):
    """The headline figures of one client, by code, in registry order.

    Figures of stages that were not computed are simply absent (``code in figures`` is
    False); a figure that was computed but has no value is present and not available.
    """

    def __init__(self, figures: Iterable[Figure] = ()) -> None:
        given = {f.code: f for f in figures}
        self._figures = {d.code: given[d.code] for d in REGISTRY if d.code in given}

    def __getitem__(self, code: str) -> Figure:
        return self._figures[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)

    def value(self, code: str) -> float:
        """The value of ``code`` as a float, NaN when absent or not available."""
        f = self._figures.get(code)
        return f.value if f is not None and f.value is not None else math.nan

    def merged(self, other: Iterable[Figure]) -> HeadlineFigures:
        """A copy with the figures of ``other`` added (replacing those with the same code)."""
        return HeadlineFigures([*self._figures.values(), *other])

    def to_dict(self) -> dict[str, dict[str, object]]:
        """JSON-ready ``{code: {"value": float|None, "reason": str|None, "unit", "basis"}}``."""
        return {
            code: {
                "value": f.value,
                "reason": f.reason,
                "unit": f.definition.unit,
                "basis": f.definition.basis,
            }  # fmt: skip
            for code, f in self._figures.items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, object]]) -> HeadlineFigures:
        """Inverse of :meth:`to_dict`; codes no longer in the registry are dropped."""
        return cls(
            Figure(
                code,
                None if d.get("value") is None else float(d["value"]),  # type: ignore[arg-type]
                None if d.get("reason") is None else str(d["reason"]),
            )  # fmt: skip
            for code, d in data.items()
            if code in DEFINITIONS
        )
