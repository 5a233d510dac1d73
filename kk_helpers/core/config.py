"""Client configuration (``client.yml``): schema, defaults and loading.

A client folder holds ``client.yml`` and the data files it names. Every key is
documented in ``docs/config.md``; the sample client's config is the worked example.
Unknown keys, wrong types and missing files raise :class:`ConfigError` whose
message names the config file and the key's path (``files.transactions.path``).

The schema models live in :mod:`kk_helpers.core.config_base` (data sections) and
:mod:`kk_helpers.core.config_stages` (stage sections); this module holds the top-level
:class:`ClientConfig` and the loading, and re-exports every public name of the schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, model_validator

from kk_helpers.core import columns as C
from kk_helpers.core.config_base import (
    CONFIG_FILENAME,
    ActivityRate,
    AnalysisSettings,
    ClassSettings,
    ClientInfo,
    ConfigError,
    CostRates,
    FileSpec,
    FilesSettings,
    OrderSettings,
    ValidationSettings,
    _Model,
)
from kk_helpers.core.config_stages import (
    CARE_ROLES,
    CareModelEntry,
    CriterionSettings,
    LeverIndicatorSpec,
    LeverQuestionSpec,
    LeverSettings,
    MeasureSpec,
    PortfolioSettings,
    PotentialSettings,
    QuickWinRule,
    ScenarioSettings,
    ScreeningClassSettings,
    ScreeningSettings,
    ServiceLevelSettings,
    SmartAccountSettings,
    TargetSettings,
)


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
    # the named scenario laid over client.yml (core.scenarios), set by load_config
    scenario: str | None = Field(None, exclude=True)

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
        """Absolute path of a data file named in ``files.<table>.path``.

        Raises :class:`ConfigError` when the file lies outside the client folder (and
        outside the opt-in ``files.shared_folder``), see :meth:`data_path`.
        """
        spec: FileSpec | None = getattr(self.files, table)
        if spec is None:
            raise ConfigError(f"{self.config_path}: files.{table} is not configured")
        return self.data_path(spec.path, key=f"files.{table}.path")

    def data_path(self, raw: str | Path, *, key: str) -> Path:
        """``raw`` (relative to the client folder, or absolute) as an absolute path that
        lies inside the client folder or inside ``files.shared_folder``.

        Symbolic links are followed before the check. Raises :class:`ConfigError`
        naming ``key`` otherwise; the file itself is never opened here.
        """
        p = Path(raw)
        p = p if p.is_absolute() else self.base_dir / p
        allowed = [self.base_dir.resolve()]
        if self.files.shared_folder:
            shared = Path(self.files.shared_folder)
            allowed.append((shared if shared.is_absolute() else self.base_dir / shared).resolve())
        if not any(p.resolve().is_relative_to(root) for root in allowed):
            raise ConfigError(
                f"{self.config_path}: {key}: {raw} lies outside the client folder "
                f"{self.base_dir}; data files must be inside it (or inside files.shared_folder, "
                "see docs/config.md)"
            )
        return p

    @model_validator(mode="after")
    def _check_columns(self) -> ClientConfig:
        soft = set(self.soft_criteria)
        for table in C.TABLES:
            spec = getattr(self.files, table)
            if spec is None:
                continue
            known = set(C.COLUMN_KINDS[table]) | (soft if table == "customers" else set())
            if table == "transactions" and self.files.customers is None:
                # no customer master: customer attributes come from the transactions
                known |= set(C.COLUMN_KINDS["customers"]) | soft
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


def parse_config(
    data: dict[str, Any], config_path: Path | None = None, *, scenario: str | None = None
) -> ClientConfig:
    """Validate a config mapping; raise :class:`ConfigError` listing every problem.

    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2024, 2025]},
    ...     "files": {"customers": {"path": "c.csv"}, "transactions": {"path": "t.csv"}}})
    >>> cfg.last_year
    2025
    """
    where = str(config_path) if config_path else "config"
    if scenario:
        where += f" with scenario {scenario!r}"
    if not isinstance(data, dict):
        raise ConfigError(
            f"{where}: expected a YAML mapping at the top level, got {type(data).__name__}"
        )
    try:
        cfg = ClientConfig.model_validate(
            {**data, "config_path": config_path, "scenario": scenario}
        )
    except ValidationError as e:
        lines = [_format_error(err) for err in e.errors()]
        raise ConfigError(f"{where}: invalid config\n" + "\n".join(lines)) from None
    return cfg


def _blame_scenario(error: ConfigError, base: Any, path: Path, scenario: str) -> None:
    """Raise ``error`` as the scenario file's when ``client.yml`` alone is valid (the wrong
    key or value was written into the scenario, e.g. by hand); else return."""
    from kk_helpers.core.scenarios import scenario_file

    try:
        parse_config(base, config_path=path.resolve())
    except ConfigError:
        return  # client.yml itself is invalid: its message stands
    problems = str(error).split("\n", 1)[1] if "\n" in str(error) else str(error)
    raise ConfigError(
        f"{path.resolve()} with scenario {scenario!r}: invalid scenario; {path.name} alone is "
        f"valid, fix or remove these keys in {scenario_file(path, scenario)}\n{problems}"
    ) from None


def load_config(
    path: str | Path, check_files: bool = True, *, scenario: str | None = None
) -> ClientConfig:
    """Read and validate ``client.yml`` (path to the file or to its folder).

    Relative data paths are resolved against the config's folder. With
    ``check_files`` every configured data file must exist. ``scenario``: the name of a
    saved scenario (``scenarios/<name>.yml`` beside ``client.yml``) laid over the file
    (:mod:`kk_helpers.core.scenarios`); the result's ``scenario`` names it.

    Raises:
        ConfigError: no such file or scenario, invalid YAML or an invalid config (every
            problem listed), a scenario weighting criteria that ``client.yml`` no longer
            lists, a missing data file.
    """
    p = resolve_config_path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: config file not found (a client folder needs a {CONFIG_FILENAME})")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as e:  # position and problem only: never echo the file's text
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{p}: not valid YAML{where}: {getattr(e, 'problem', None) or 'syntax error'}"
        ) from None
    base = data
    if scenario:
        from kk_helpers.core.scenarios import ScenarioError, check_name, checked_overlay

        try:
            scenario = check_name(scenario)
            if isinstance(data, dict):
                data = checked_overlay(p, scenario, data)
        except ScenarioError as e:
            raise ConfigError(str(e)) from None
    try:
        cfg = parse_config(data, config_path=p.resolve(), scenario=scenario or None)
    except ConfigError as e:
        if scenario and data is not base:
            _blame_scenario(e, base, p, scenario)
        raise
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


__all__ = [
    "ActivityRate",
    "AnalysisSettings",
    "CARE_ROLES",
    "CONFIG_FILENAME",
    "CareModelEntry",
    "ClassSettings",
    "ClientConfig",
    "ClientInfo",
    "ConfigError",
    "CostRates",
    "CriterionSettings",
    "FileSpec",
    "FilesSettings",
    "LeverIndicatorSpec",
    "LeverQuestionSpec",
    "LeverSettings",
    "MeasureSpec",
    "OrderSettings",
    "PortfolioSettings",
    "PotentialSettings",
    "QuickWinRule",
    "ScenarioSettings",
    "ScreeningClassSettings",
    "ScreeningSettings",
    "ServiceLevelSettings",
    "SmartAccountSettings",
    "TargetSettings",
    "ValidationSettings",
    "load_config",
    "parse_config",
    "resolve_config_path",
]
