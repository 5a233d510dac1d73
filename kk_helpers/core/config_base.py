"""Config schema, part 1: the error, the base model and the data sections of ``client.yml``
(client, analysis, files, cost rates, validation, classes, orders).

Import these names from :mod:`kk_helpers.core.config`, which re-exports them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CONFIG_FILENAME = "client.yml"
#: named delimiters accepted in ``files.<table>.delimiter`` besides one character
DELIMITER_NAMES = ("tab", "\\t", "semicolon", "comma", "pipe", "whitespace")
_PLAIN_NAME = re.compile(r"[\w.\-]{1,64}")


class ConfigError(Exception):
    """The client config is unreadable or invalid; the message says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ClientInfo(_Model):
    name: str = Field(description="Client name shown in reports")
    id: str | None = Field(
        None,
        description="Short id for the report folder, a plain folder name (letters, digits, "
        "'.', '_', '-'); default: the client folder's name",
    )
    currency: str = Field("EUR", description="ISO currency code used in all money labels")
    language: Literal["de", "en"] = Field("de", description="Default report language")

    @field_validator("id")
    @classmethod
    def _plain_folder_name(cls, v: str | None) -> str | None:
        if v is not None and not is_plain_folder_name(v):
            raise ValueError(
                f"{v!r} is not a plain folder name: use letters, digits, '.', '_' and '-', "
                "no '/' or '..' (it names the report folder)"
            )
        return v


def is_plain_folder_name(name: str) -> bool:
    """True for a name that is one folder inside another: no separators, not ``.``/``..``.

    >>> [is_plain_folder_name(n) for n in ("sample", "kunde-2.b", "../x", "..", "a/b", "")]
    [True, True, False, False, False, False]
    """
    return bool(_PLAIN_NAME.fullmatch(name)) and set(name) != {"."}


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
    delimiter: str | None = Field(
        None,
        description="CSV delimiter: one character, or tab, semicolon, comma, pipe, or "
        "whitespace (columns separated by any run of spaces/tabs, as older systems write "
        "them); default: detected (; , tab |)",
    )
    decimal: Literal[",", "."] | None = Field(None, description="Decimal mark; default: detected")
    thousands: Literal[".", ",", " ", "'", ""] | None = Field(
        None, description="Thousands separator; default: the other one of decimal"
    )
    encoding: str | None = Field(
        None, description="CSV encoding; default: detected (utf-8, utf-8-sig, cp1252)"
    )
    sheet: str | int | None = Field(
        None,
        description="XLSX sheet name or 0-based index; default: the first sheet whose "
        "header holds the mapped columns (else an error lists the sheets)",
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

    @field_validator("delimiter")
    @classmethod
    def _one_delimiter(cls, v: str | None) -> str | None:
        if v is None or v in DELIMITER_NAMES or len(v) == 1:
            if v is not None and v in ('"', "\n", "\r"):
                raise ValueError(f"{v!r} cannot separate columns")
            return v
        raise ValueError(
            f"{v!r} is not a delimiter: use one character (e.g. ';'), or one of "
            + ", ".join(DELIMITER_NAMES)
            + " ('whitespace' for columns separated by spaces)"
        )


class FilesSettings(_Model):
    customers: FileSpec | None = Field(
        None,
        description="Customer master, one row per customer (optional: without it the "
        "customers come from the transactions, their name and other attributes from "
        "customer columns mapped in files.transactions.columns, first non-empty value)",
    )
    transactions: FileSpec = Field(description="Invoice or order lines")
    activities: FileSpec | None = Field(None, description="Sales and service contacts (optional)")
    shared_folder: str | None = Field(
        None,
        description="Opt-in: a folder outside the client folder (absolute, or relative to it) "
        "that data files may also lie in, e.g. an export folder shared by several clients. "
        "Without it every data path must lie inside the client folder.",
    )


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
    max_amount: float = Field(
        1e12,
        gt=0,
        description="Plausibility bound for amounts and other numbers of one line: values "
        "beyond ±this (and inf/NaN) are unreadable: the line is rejected for revenue, "
        "the value set missing for optional columns",
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
