"""Client configuration (``client.yml``): schema, defaults and loading.

A client folder holds ``client.yml`` and the data files it names. Every key is
documented in ``docs/config.md``; the sample client's config is the worked example.
Unknown keys, wrong types and missing files raise :class:`ConfigError` whose
message names the config file and the key's path (``files.transactions.path``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kk_helpers.core import columns as C

CONFIG_FILENAME = "client.yml"


class ConfigError(Exception):
    """The client config is unreadable or invalid; the message says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ClientInfo(_Model):
    name: str = Field(description="Client name shown in reports")
    id: str | None = Field(None, description="Short id for the report folder; default: folder name")
    currency: str = Field("EUR", description="ISO currency code used in all money labels")
    language: Literal["de", "en"] = Field("de", description="Default report language")


class AnalysisSettings(_Model):
    years: list[int] = Field(
        description="Analysis years, ascending and contiguous, e.g. [2023, 2024, 2025]"
    )
    reference_date: dt.date | None = Field(
        None,
        description="'Today' of the analysis: dates after it are rejected as future dates. "
        "Default: the date the analysis runs.",
    )

    @field_validator("years")
    @classmethod
    def _years_contiguous(cls, v: list[int]) -> list[int]:
        if not v:
            raise ValueError("at least one analysis year is required")
        if sorted(v) != v or any(b - a != 1 for a, b in zip(v, v[1:], strict=False)):
            raise ValueError(f"years must be ascending and contiguous, got {v}")
        return v


class FileSpec(_Model):
    path: str = Field(description="File path, relative to the config file's folder")
    format: Literal["csv", "xlsx", "parquet"] | None = Field(
        None, description="File format; default: from the file extension"
    )
    delimiter: str | None = Field(None, description="CSV delimiter; default: detected (; , tab |)")
    decimal: Literal[",", "."] | None = Field(None, description="Decimal mark; default: detected")
    thousands: Literal[".", ",", " ", "'", ""] | None = Field(
        None, description="Thousands separator; default: the other one of decimal"
    )
    encoding: str | None = Field(
        None, description="CSV encoding; default: detected (utf-8, utf-8-sig, cp1252)"
    )
    sheet: str | int | None = Field(
        None, description="XLSX sheet name or 0-based index; default: first"
    )
    header_row: int | None = Field(
        None,
        ge=1,
        description="1-based row of the header line; default: detected (first row holding the mapped names)",
    )
    date_format: str | None = Field(
        None,
        description="strftime format of date columns, e.g. '%Y%m%d'; default: ISO or DD.MM.YYYY",
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Canonical name -> client's column name; unmapped canonical names are looked up as is",
    )
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Per canonical column, client value -> canonical value (e.g. channel: {Außendienst: field_sales})",
    )


class FilesSettings(_Model):
    customers: FileSpec = Field(description="Customer master, one row per customer")
    transactions: FileSpec = Field(description="Invoice or order lines")
    activities: FileSpec | None = Field(None, description="Sales and service contacts (optional)")


class ActivityRate(_Model):
    cost: float | None = Field(None, ge=0, description="Flat cost per activity")
    minutes: float | None = Field(
        None, ge=0, description="Standard minutes per activity (when the row has no duration)"
    )
    hourly_rate: float | None = Field(
        None, ge=0, description="Cost per hour of the role doing it (capacity cost rate)"
    )

    @model_validator(mode="after")
    def _some_rate(self) -> ActivityRate:
        if self.cost is None and self.hourly_rate is None:
            raise ValueError("give 'cost' or 'hourly_rate' (with 'minutes')")
        return self


class CostRates(_Model):
    activities: dict[str, ActivityRate] = Field(
        default_factory=dict, description="Cost per activity type (canonical type names)"
    )
    order_processing: dict[str, float] = Field(
        default_factory=lambda: {"default": 0.0},
        description="Order-processing cost per order by channel; key 'default' for all others",
    )

    @field_validator("order_processing")
    @classmethod
    def _non_negative(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: x for k, x in v.items() if x < 0}
        if bad:
            raise ValueError(f"order-processing costs must be >= 0, got {bad}")
        return v


class ValidationSettings(_Model):
    max_examples: int = Field(5, ge=1, description="Example rows named in each error message")
    max_margin_ratio: float = Field(
        1.0, description="Lines with margin > revenue * this ratio (revenue > 0) are flagged"
    )


class ClassSettings(_Model):
    basis: Literal["revenue", "margin"] = Field("revenue", description="ABC basis")
    abc_thresholds: tuple[float, float] = Field(
        (0.80, 0.95), description="Cumulative share limits for A and B (C above)"
    )
    d_min_revenue: float = Field(
        0.0, ge=0, description="Last-year revenue below this makes a D customer"
    )
    d_inactive_last_year: bool = Field(
        True, description="No purchase in the last analysis year makes a D customer"
    )
    xyz_thresholds: tuple[float, float] = Field(
        (0.5, 1.0), description="Coefficient-of-variation limits for X and Y (Z above)"
    )

    @field_validator("abc_thresholds", "xyz_thresholds")
    @classmethod
    def _ascending(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not (0 < v[0] < v[1]):
            raise ValueError(f"limits must satisfy 0 < first < second, got {list(v)}")
        return v


class OrderSettings(_Model):
    value_thresholds: list[float] = Field(
        default_factory=lambda: [100.0, 250.0, 500.0],
        description="Order-value thresholds for the small-order view",
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
    plan_start: dt.date | None = Field(
        None, description="Start of the roadmap; default: first day of the next month"
    )
    horizon_months: int = Field(18, ge=6, le=36, description="Length of the roadmap in months")


class ClientConfig(_Model):
    """The validated client configuration."""

    client: ClientInfo = Field(description="Who the client is and how reports look")
    analysis: AnalysisSettings = Field(description="Which years are analysed")
    files: FilesSettings = Field(description="The data files and how to read them")
    cost_rates: CostRates = Field(
        default_factory=CostRates, description="Cost rates for cost-to-serve (activities, orders)"
    )
    soft_criteria: list[str] = Field(
        default_factory=list,
        description="Canonical names of the 1-5 soft-criteria columns in customers",
    )
    validation: ValidationSettings = Field(
        default_factory=ValidationSettings, description="Validation options"
    )
    classes: ClassSettings = Field(
        default_factory=ClassSettings, description="ABC/D and XYZ class rules (stage 1)"
    )
    orders: OrderSettings = Field(
        default_factory=OrderSettings, description="Order-value thresholds (stage 1)"
    )
    screening: ScreeningSettings = Field(default_factory=ScreeningSettings)
    levers: LeverSettings = Field(default_factory=LeverSettings)
    target: TargetSettings = Field(
        default_factory=TargetSettings,
        description="Target picture (notebook 04): care model, scenarios, measures",
    )

    # set by load_config, not part of the YAML
    config_path: Path | None = Field(None, exclude=True)

    @property
    def base_dir(self) -> Path:
        """Folder that relative file paths are resolved against."""
        return self.config_path.parent if self.config_path else Path.cwd()

    @property
    def client_id(self) -> str:
        """Short id of the client (``client.id`` or the config folder's name)."""
        return self.client.id or self.base_dir.name

    @property
    def last_year(self) -> int:
        return self.analysis.years[-1]

    def file_path(self, table: str) -> Path:
        """Absolute path of a data file named in ``files.<table>.path``."""
        spec: FileSpec | None = getattr(self.files, table)
        if spec is None:
            raise ConfigError(f"{self.config_path}: files.{table} is not configured")
        p = Path(spec.path)
        return p if p.is_absolute() else self.base_dir / p

    @model_validator(mode="after")
    def _check_columns(self) -> ClientConfig:
        soft = set(self.soft_criteria)
        for table in C.TABLES:
            spec = getattr(self.files, table)
            if spec is None:
                continue
            known = set(C.COLUMN_KINDS[table]) | (soft if table == "customers" else set())
            unknown = sorted(set(spec.columns) - known)
            if unknown:
                raise ValueError(
                    f"files.{table}.columns: unknown canonical name(s) {unknown}; "
                    f"expected some of {sorted(known)}"
                )
        return self


def resolve_config_path(path: str | Path) -> Path:
    """Accept a client folder or a config file; return the config file's path."""
    p = Path(path)
    if p.is_dir():
        p = p / CONFIG_FILENAME
    return p


def _format_error(err: dict[str, Any]) -> str:
    loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key (check spelling; see docs/config.md)"
    elif err["type"] == "missing":
        msg = "required key is missing"
    return f"  - {loc}: {msg}"


def parse_config(data: dict[str, Any], config_path: Path | None = None) -> ClientConfig:
    """Validate a config mapping; raise :class:`ConfigError` listing every problem.

    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2024, 2025]},
    ...     "files": {"customers": {"path": "c.csv"}, "transactions": {"path": "t.csv"}}})
    >>> cfg.last_year
    2025
    """
    where = str(config_path) if config_path else "config"
    if not isinstance(data, dict):
        raise ConfigError(
            f"{where}: expected a YAML mapping at the top level, got {type(data).__name__}"
        )
    try:
        cfg = ClientConfig.model_validate({**data, "config_path": config_path})
    except ValidationError as e:
        lines = [_format_error(err) for err in e.errors()]
        raise ConfigError(f"{where}: invalid config\n" + "\n".join(lines)) from None
    return cfg


def load_config(path: str | Path, check_files: bool = True) -> ClientConfig:
    """Read and validate ``client.yml`` (path to the file or to its folder).

    Relative data paths are resolved against the config's folder. With
    ``check_files`` every configured data file must exist.
    """
    p = resolve_config_path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: config file not found (a client folder needs a {CONFIG_FILENAME})")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {e}") from None
    cfg = parse_config(data, config_path=p.resolve())
    if check_files:
        missing = []
        for table in C.TABLES:
            if getattr(cfg.files, table) is None:
                continue
            fp = cfg.file_path(table)
            if not fp.is_file():
                missing.append(f"  - files.{table}.path: file not found: {fp}")
        if missing:
            raise ConfigError(f"{p}: missing data file(s)\n" + "\n".join(missing))
    return cfg
