"""Config schema, part 2: the sections of the assessment stages (``levers``, ``screening``,
``target``: care model, scenarios, measures, roadmap).

Import these names from :mod:`kk_helpers.core.config`, which re-exports them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kk_helpers.core import columns as C
from kk_helpers.core.config_base import (
    _Model,
)


class LeverQuestionSpec(_Model):
    """A client-specific assessment question (added to, or replacing, the built-in catalog)."""

    id: str = Field(description="Question id, e.g. 'conditions.q5'; a built-in id replaces it")
    lever: str = Field(
        description="Lever id, e.g. 'conditions' (see kk_helpers.stages.levers.catalog.LEVERS)"
    )
    de: str = Field(description="Question text in German")
    en: str = Field(description="Question text in English")


class LeverIndicatorSpec(_Model):
    """Override of a built-in data indicator, or a client-provided one (with ``value``)."""

    lever: str | None = Field(None, description="Lever id; required for a new indicator")
    de: str | None = Field(None, description="Label in German; required for a new indicator")
    en: str | None = Field(None, description="Label in English; required for a new indicator")
    unit: Literal["share", "number", "money", "points"] | None = Field(
        None, description="Display: share (0-1 as %), number, money, points (share difference)"
    )
    better: Literal["higher", "lower"] | None = Field(None, description="Good direction")
    green: float | None = Field(None, description="Green from this value on (good direction)")
    red: float | None = Field(None, description="Red from this value on (bad direction)")
    value: float | None = Field(None, description="Figure the client provides (not from data)")
    enabled: bool = Field(True, description="false switches the indicator off")


class LeverSettings(_Model):
    """Lever assessment (notebook 03): questionnaires, catalog overrides, thresholds."""

    questionnaires: str = Field(
        "questionnaires",
        description="Folder of filled questionnaires (*.xlsx) or one long CSV, relative to config",
    )
    standard_product_groups: list[str] = Field(
        default_factory=list, description="Product groups that count as standard offering"
    )
    minimum_order_value: float | None = Field(
        None, ge=0, description="Minimum order value; default: first orders.value_thresholds"
    )
    questions: list[LeverQuestionSpec] = Field(
        default_factory=list, description="Questions added (same id: replaces the built-in one)"
    )
    remove_questions: list[str] = Field(
        default_factory=list, description="Built-in question ids to leave out"
    )
    indicators: dict[str, LeverIndicatorSpec] = Field(
        default_factory=dict, description="Indicator id -> threshold override or new indicator"
    )
    disagreement_range: float = Field(
        1.5, gt=0, description="Range of role means (score points) that counts as disagreement"
    )
    disagreement_std: float = Field(
        1.0, gt=0, description="Spread over respondents (std, score points) that counts too"
    )


class CriterionSettings(_Model):
    """Weight and treatment of one screening criterion (see kk_helpers.metrics.scoring.HARD_CRITERIA)."""

    weight: float = Field(
        ge=0, description="Relative weight (0 = not used); weights are shares of their sum"
    )
    direction: Literal["higher", "lower"] | None = Field(
        None,
        description="'higher' = more is better, 'lower' = less is better; default: from the catalog",
    )
    normalization: Literal["percentile", "minmax", "zscore"] | None = Field(
        None, description="Normalisation to 0-1; default: screening.normalization"
    )


class PotentialSettings(_Model):
    """Estimate of the potential where the customer master gives none (peer quantile)."""

    estimate: bool = Field(
        True, description="Estimate missing potentials from peers (flagged as estimated)"
    )
    quantile: float = Field(
        0.75, gt=0, le=1, description="Quantile of the peers' last-year revenue"
    )
    size_bands: list[float] = Field(
        default_factory=lambda: [10.0, 50.0, 250.0], description="Employee limits of the size bands"
    )
    min_peers: int = Field(
        5, ge=1, description="Fewest peers a group needs; else the next wider group"
    )


class ScreeningClassSettings(_Model):
    """Priority classes A-D from the score: by target shares or by score thresholds."""

    method: Literal["shares", "thresholds"] = Field("shares", description="shares | thresholds")
    shares: dict[str, float] = Field(
        default_factory=lambda: {"A": 0.10, "B": 0.20, "C": 0.35, "D": 0.35},
        description="Share of customers per class, best scores first (sum 1)",
    )
    thresholds: dict[str, float] = Field(
        default_factory=lambda: {"A": 70.0, "B": 50.0, "C": 30.0},
        description="Lowest score (0-100) of classes A, B, C; below C: D",
    )

    @field_validator("shares")
    @classmethod
    def _shares_sum(cls, v: dict[str, float]) -> dict[str, float]:
        if (
            set(v) != set(C.CLASSES)
            or any(x < 0 for x in v.values())
            or abs(sum(v.values()) - 1) > 1e-6
        ):
            raise ValueError(f"shares need A, B, C, D >= 0 summing to 1, got {v}")
        return v

    @field_validator("thresholds")
    @classmethod
    def _thresholds_desc(cls, v: dict[str, float]) -> dict[str, float]:
        if set(v) != {"A", "B", "C"} or not (100 >= v["A"] >= v["B"] >= v["C"] >= 0):
            raise ValueError(f"thresholds need 100 >= A >= B >= C >= 0, got {v}")
        return v


class ServiceLevelSettings(_Model):
    """Service levels strategic > sales > service (nested: each includes the care below)."""

    method: Literal["shares", "classes"] = Field(
        "shares", description="shares (by score) | classes (by_class)"
    )
    shares: dict[str, float] = Field(
        default_factory=lambda: {"strategic": 0.20, "sales": 0.70, "service": 0.10},
        description="Share of customers per level, best scores first (guideline 20/70/10)",
    )
    by_class: dict[str, str] = Field(
        default_factory=lambda: {"A": "strategic", "B": "sales", "C": "sales", "D": "service"},
        description="Priority class -> level (method: classes)",
    )
    hours: dict[str, dict[str, float]] = Field(
        default_factory=lambda: {
            "service": {"inside_sales": 1.0},
            "sales": {"inside_sales": 2.0, "field_sales": 3.0},
            "strategic": {"field_sales": 6.0, "management": 4.0},
        },
        description="Hours per customer and year by role, ON TOP of the level below (nested)",
    )
    channels: dict[str, str] = Field(
        default_factory=lambda: {
            "strategic": "field_sales",
            "sales": "inside_sales",
            "service": "webshop",
        },
        description="Recommended sales channel per level",
    )

    @field_validator("shares")
    @classmethod
    def _level_shares(cls, v: dict[str, float]) -> dict[str, float]:
        levels = {"strategic", "sales", "service"}
        if set(v) != levels or any(x < 0 for x in v.values()) or abs(sum(v.values()) - 1) > 1e-6:
            raise ValueError(f"shares need strategic, sales, service >= 0 summing to 1, got {v}")
        return v


class PortfolioSettings(_Model):
    """Portfolio matrix: attractiveness (score) x supplier position (a column of the screening)."""

    position: str = Field(
        "share_of_wallet", description="Screening column for the supplier position"
    )
    attractiveness_threshold: float | None = Field(
        None, description="Score limit; default: median score"
    )
    position_threshold: float | None = Field(
        None, description="Position limit; default: median position"
    )


class SmartAccountSettings(_Model):
    """Smart accounts: small customers that grow and can be served profitably."""

    classes: list[str] = Field(
        default_factory=lambda: ["C", "D"], description="Priority classes counted as small"
    )
    max_revenue: float | None = Field(
        None, ge=0, description="Also small: last-year revenue below this"
    )
    min_trend: float = Field(0.0, description="Trend (growth rate) must be above this")
    min_margin_pct: float | None = Field(
        None, description="CM I % at least this; default: median CM I %"
    )
    min_headroom: float = Field(
        0.25, ge=0, le=1, description="Unused potential at least this share of the potential"
    )


class ScreeningSettings(_Model):
    """Customer screening (notebook 02): criteria, weights, classes, service levels."""

    normalization: Literal["percentile", "minmax", "zscore"] = Field(
        "percentile", description="Default normalisation of the criteria to 0-1"
    )
    winsor: tuple[float, float] = Field((0.05, 0.95), description="Quantiles that zscore clips at")
    missing: Literal["reweight", "neutral"] = Field(
        "reweight",
        description="Missing criterion: reweight over the present ones | neutral 0.5 (flagged)",
    )
    criteria: dict[str, CriterionSettings] | None = Field(
        None, description="Criterion -> weight etc.; default: the catalog's default weights"
    )
    potential: PotentialSettings = Field(default_factory=PotentialSettings)
    classes: ScreeningClassSettings = Field(default_factory=ScreeningClassSettings)
    service_levels: ServiceLevelSettings = Field(default_factory=ServiceLevelSettings)
    capacity: dict[str, float] = Field(
        default_factory=dict, description="Available hours per year by role (capacity check)"
    )
    portfolio: PortfolioSettings = Field(default_factory=PortfolioSettings)
    smart_accounts: SmartAccountSettings = Field(default_factory=SmartAccountSettings)
    sensitivity_step: float = Field(
        0.2, gt=0, lt=1, description="Relative weight change of the sensitivity check"
    )


CARE_ROLES = ("key_account", "field_sales", "inside_sales", "webshop", "dealer")


class CareModelEntry(_Model):
    """Target care of one priority class: who serves, how often, through which channel."""

    served_by: Literal["key_account", "field_sales", "inside_sales", "webshop", "dealer"] = Field(
        description="Who serves the class: key_account | field_sales | inside_sales | webshop | dealer"
    )
    service_level: Literal["strategic", "sales", "service"] = Field(
        description="Service level of the class (strategic includes sales and service care)"
    )
    visits: float = Field(0.0, ge=0, description="Field visits per customer and year")
    calls: float = Field(0.0, ge=0, description="Inside-sales calls per customer and year")
    management_hours: float = Field(
        0.0, ge=0, description="Management hours per customer and year (e.g. feedback meetings)"
    )
    order_channel: str = Field(
        "webshop", description="Channel for orders (canonical channel, e.g. webshop)"
    )
    conditions: Literal["individual", "list", "list_minimum"] = Field(
        "list",
        description="individual prices | list prices | list prices with minimum order value / surcharge",
    )


def _default_care_model() -> dict[str, CareModelEntry]:
    return {
        "A": CareModelEntry(served_by="key_account", service_level="strategic", visits=6,
                            calls=12, management_hours=4, order_channel="edi",
                            conditions="individual"),
        "B": CareModelEntry(served_by="field_sales", service_level="sales", visits=2, calls=6,
                            order_channel="inside_sales", conditions="list"),
        "C": CareModelEntry(served_by="inside_sales", service_level="sales", visits=0, calls=4,
                            order_channel="webshop", conditions="list_minimum"),
        "D": CareModelEntry(served_by="webshop", service_level="service", visits=0, calls=1,
                            order_channel="webshop", conditions="list_minimum"),
    }  # fmt: skip


class ScenarioSettings(_Model):
    """Scenario assumptions of the target picture (each one a slider in notebook 04)."""

    small_classes: list[str] = Field(
        default_factory=lambda: ["C", "D"],
        description="Priority classes the channel shift, minimum order value and surcharge apply to",
    )
    shift_to_inside: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of small customers' field visits replaced by inside-sales calls",
    )
    shift_to_digital: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share of small customers' field visits dropped for digital self-service",
    )
    calls_per_visit: float = Field(
        2.0, ge=0, description="Inside-sales calls that replace one field visit"
    )
    order_shift_digital: float = Field(
        0.3, ge=0, le=1,
        description="Share of small customers' field/inside-sales orders moving to the webshop",
    )  # fmt: skip
    shift_churn: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Share of the shifted small customers lost (less personal care)",
    )
    minimum_order_value: float | None = Field(
        None,
        ge=0,
        description="Minimum order value; default: break-even order value x (1 + mov_markup)",
    )
    mov_markup: float = Field(
        0.25,
        ge=0,
        description="Markup on the break-even order value for the recommended minimum (0.25 = +25 %)",
    )
    consolidation_rate: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Share of orders below the minimum that are combined into larger ones",
    )
    loss_rate: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of orders below the minimum that are lost; the rest is topped up",
    )
    surcharge: float = Field(
        10.0, ge=0, description="Small-order surcharge per order (currency); 0 = none"
    )
    surcharge_threshold: float = Field(
        250.0,
        ge=0,
        description="Orders below this (and above the minimum order value) pay the surcharge",
    )
    acceptance_rate: float = Field(
        0.8, ge=0, le=1, description="Share of surcharged orders placed anyway (they pay it)"
    )
    surcharge_loss_rate: float = Field(
        0.05, ge=0, le=1, description="Share of surcharged orders lost; the rest is consolidated"
    )
    dealer_classes: list[str] = Field(
        default_factory=lambda: ["D"],
        description="Priority classes that can be delegated to dealers",
    )
    dealer_share: float = Field(
        0.3, ge=0, le=1, description="Share of those customers delegated (lowest CM III first)"
    )
    dealer_discount: float = Field(
        0.2, ge=0, le=1, description="Dealer margin given up, as a share of the delegated revenue"
    )
    hours_per_fte: float = Field(
        1600.0, gt=0, description="Productive hours per full-time employee and year (hours -> FTE)"
    )

    @model_validator(mode="after")
    def _rates(self) -> ScenarioSettings:
        if self.shift_to_inside + self.shift_to_digital > 1 + 1e-9:
            raise ValueError("shift_to_inside + shift_to_digital must be <= 1")
        if self.consolidation_rate + self.loss_rate > 1 + 1e-9:
            raise ValueError("consolidation_rate + loss_rate must be <= 1")
        if self.acceptance_rate + self.surcharge_loss_rate > 1 + 1e-9:
            raise ValueError("acceptance_rate + surcharge_loss_rate must be <= 1")
        return self


class MeasureSpec(_Model):
    """Override of a catalog measure, or a client-specific one (with lever, de, en)."""

    lever: str | None = Field(None, description="Lever id; required for a new measure")
    de: str | None = Field(None, description="Name in German; required for a new measure")
    en: str | None = Field(None, description="Name in English; required for a new measure")
    impact: int | None = Field(None, ge=1, le=5, description="Impact 1-5 (5 = largest)")
    effort: int | None = Field(None, ge=1, le=5, description="Effort 1-5 (5 = largest)")
    owner: str | None = Field(None, description="Owner role, e.g. sales_manager")
    months: int | None = Field(None, ge=1, le=36, description="Duration in months")
    kpi_de: str | None = Field(None, description="KPI to track, German")
    kpi_en: str | None = Field(None, description="KPI to track, English")
    enabled: bool = Field(True, description="false leaves the measure out")


class QuickWinRule(_Model):
    """A quick win: high impact, low effort, short duration."""

    min_impact: int = Field(4, ge=1, le=5, description="Impact at least this")
    max_effort: int = Field(2, ge=1, le=5, description="Effort at most this")
    max_months: int = Field(3, ge=1, description="Duration at most this many months")


class TargetSettings(_Model):
    """Target picture (notebook 04): care model per class, scenarios, measures plan."""

    care_model: dict[str, CareModelEntry] = Field(
        default_factory=_default_care_model,
        description="Priority class -> target care (who serves, visits, calls, order channel, conditions)",
    )
    scenario: ScenarioSettings = Field(
        default_factory=ScenarioSettings,
        description="Scenario assumptions (defaults of the sliders)",
    )
    measures: dict[str, MeasureSpec] = Field(
        default_factory=dict, description="Measure id -> override of the catalog, or a new measure"
    )
    quick_win: QuickWinRule = Field(default_factory=QuickWinRule, description="Quick-win rule")
    max_measures: int = Field(
        12, ge=1, description="Measures in the plan (quick wins always included)"
    )
    roadmap_start: dt.date | None = Field(
        None,
        description='First month of the roadmap as "YYYY-MM", e.g. "2027-01" (a full date '
        "counts as its month); default: the month after the run date",
    )
    plan_start: dt.date | None = Field(
        None, description="Older name of roadmap_start (used when roadmap_start is not set)"
    )
    horizon_months: int = Field(18, ge=6, le=36, description="Length of the roadmap in months")

    @field_validator("roadmap_start", mode="before")
    @classmethod
    def _month(cls, v: object) -> object:
        """ "2027-01" (or 2027-01-15) -> 2027-01-01; anything else is left to pydantic."""
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return v.replace(day=1)
        if isinstance(v, str) and len(v.strip()) == 7:
            try:
                return dt.datetime.strptime(v.strip(), "%Y-%m").date()
            except ValueError:
                raise ValueError(f'month as "YYYY-MM" expected, got {v!r}') from None
        return v
