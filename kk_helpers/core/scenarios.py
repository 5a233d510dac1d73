"""Named scenarios: settings agreed in a meeting, stored beside ``client.yml``, never in it.

A scenario is a small YAML file ``<client folder>/scenarios/<name>.yml`` holding only the
config keys it changes (e.g. ``screening.criteria.*.weight`` from the 02 sliders, or
``target.scenario.*`` from the 04 sliders). ``kk run --scenario NAME`` and
``kk present --scenario NAME`` read ``client.yml`` and lay the scenario over it
(:func:`overlay`, a deep merge: a mapping merges key by key, any other value replaces), so
the report shows what was agreed, while ``client.yml`` stays as the analyst wrote it.

>>> overlay({"a": {"x": 1, "y": 2}, "b": 3}, {"a": {"y": 5}})
{'a': {'x': 1, 'y': 5}, 'b': 3}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

#: the folder of a client's named scenarios, beside its client.yml
SCENARIO_DIR = "scenarios"
#: a scenario name: a plain file name (letters incl. umlauts, digits, space, '.', '_', '-')
NAME_PATTERN = re.compile(r"^[\w][\w .\-]{0,59}$")


class ScenarioError(ValueError):
    """A scenario name or file that cannot be used (the message says why)."""


def check_name(name: str) -> str:
    """The scenario name, stripped; raises :class:`ScenarioError` unless it is a plain name.

    >>> check_name(" Workshop 12.11. ")
    'Workshop 12.11.'
    >>> check_name("../client")
    Traceback (most recent call last):
    ...
    kk_helpers.core.scenarios.ScenarioError: scenario name '../client': use letters, digits, spaces, '.', '_' or '-' (at most 60 characters)
    """
    name = str(name).strip()
    if not NAME_PATTERN.match(name) or name.startswith(".") or ".." in name:
        raise ScenarioError(
            f"scenario name {name!r}: use letters, digits, spaces, '.', '_' or '-' (at most 60 characters)"
        )
    return name


def scenario_folder(config_path: str | Path) -> Path:
    """``<client folder>/scenarios`` for a ``client.yml`` path."""
    return Path(config_path).resolve().parent / SCENARIO_DIR


def scenario_file(config_path: str | Path, name: str) -> Path:
    """The file of scenario ``name`` of the client whose ``client.yml`` is ``config_path``."""
    return scenario_folder(config_path) / f"{check_name(name)}.yml"


def list_scenarios(config_path: str | Path) -> list[str]:
    """Names of the client's saved scenarios, sorted."""
    folder = scenario_folder(config_path)
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def overlay(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` laid over it (deep merge; neither is changed)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = overlay(out[key], value)
        else:
            out[key] = value
    return out


def read_scenario(config_path: str | Path, name: str) -> dict[str, Any]:
    """The overrides of scenario ``name``.

    Raises:
        ScenarioError: no such scenario (the message lists the saved ones), or the file is
            not a YAML mapping.
    """
    path = scenario_file(config_path, name)
    if not path.is_file():
        saved = ", ".join(list_scenarios(config_path)) or "none"
        raise ScenarioError(f"{path}: scenario {name!r} not found (saved scenarios: {saved})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as e:  # position and problem only, as for client.yml
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or "syntax error"
        raise ScenarioError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a YAML mapping of config keys")
    return {k: v for k, v in data.items() if k != "scenario"}


def stale_criteria(base: Mapping[str, Any], over: Mapping[str, Any]) -> list[str]:
    """Criteria that scenario ``over`` weights but config ``base`` no longer lists under
    ``screening.criteria`` (the config was changed after the scenario was saved), sorted.

    Laid over the config, such a criterion would come back unnoticed (or, a soft criterion
    dropped from ``soft_criteria``, stop the screening), so :func:`checked_overlay` refuses
    it. A config without ``screening.criteria`` (the catalog defaults) restricts nothing.

    >>> base = {"screening": {"criteria": {"trend": {"weight": 10}}}}
    >>> stale_criteria(base, {"screening": {"criteria": {"trend": {"weight": 5},
    ...                                                  "potential": {"weight": 0}}}})
    ['potential']
    >>> stale_criteria({}, {"screening": {"criteria": {"potential": {"weight": 5}}}})
    []
    """
    listed = (base.get("screening") or {}).get("criteria")
    wanted = (over.get("screening") or {}).get("criteria")
    if not isinstance(listed, Mapping) or not isinstance(wanted, Mapping):
        return []
    return sorted(str(c) for c in wanted if c not in listed)


def checked_overlay(config_path: str | Path, name: str, base: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` (the parsed ``client.yml``) with scenario ``name`` laid over it.

    Raises:
        ScenarioError: as :func:`read_scenario`, or the scenario weights criteria that
            ``client.yml`` no longer lists (:func:`stale_criteria`; the message names them
            and the two ways out).
    """
    over = read_scenario(config_path, name)
    stale = stale_criteria(base, over)
    if stale:
        raise ScenarioError(
            f"{scenario_file(config_path, name)}: the scenario weights criteria that "
            f"{Path(config_path).name} no longer lists under screening.criteria: "
            f"{', '.join(stale)}. Remove them from the scenario file (the other weights "
            f"then count relatively more) or list them again in {Path(config_path).name}."
        )
    return overlay(base, over)


def write_scenario(
    config_path: str | Path, name: str, overrides: Mapping[str, Any], *, note: str = ""
) -> Path:
    """Save ``overrides`` into scenario ``name`` (merged with what it already holds, so 02
    and 04 can each add their part), atomically; returns the file's path.

    The caller validates the overrides against the config first (see
    :func:`kk_helpers.core.config.load_config` with ``scenario``).
    """
    path = scenario_file(config_path, name)
    current = read_scenario(config_path, name) if path.is_file() else {}
    data = overlay(current, _plain(overrides))
    header = (
        f"# Scenario {check_name(name)!r} for {Path(config_path).name}: only the keys it changes.\n"
    )
    if note:
        header += f"# {note}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(
        header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    tmp.replace(path)
    return path


def _plain(value: Any) -> Any:
    """Mappings as dicts, numbers as plain int/float (tidy YAML), everything else as is."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    try:
        f = round(float(value), 6)
    except (TypeError, ValueError):
        return value
    return int(f) if f == int(f) else f


def save_scenario(config_path: str | Path, name: str, overrides: Mapping[str, Any]) -> Path:
    """Save ``overrides`` into scenario ``name`` and check the result: ``client.yml`` with the
    scenario laid over it must be a valid config; otherwise the scenario file is put back
    as it was and the error raised.

    Args:
        config_path: the client's ``client.yml`` (or its folder).
        name: the scenario name (:func:`check_name`).
        overrides: config keys to set, nested like ``client.yml``.

    Returns:
        The scenario file's path.

    Raises:
        ScenarioError: a name that is not a plain file name.
        ConfigError: the config with the scenario is invalid (every problem listed).
        OSError: the file cannot be written.
    """
    from kk_helpers.core.config import load_config, resolve_config_path

    config_path = resolve_config_path(config_path)
    path = scenario_file(config_path, name)
    before = path.read_bytes() if path.is_file() else None
    write_scenario(config_path, name, overrides)
    try:
        load_config(config_path, check_files=False, scenario=name)
    except Exception:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
        raise
    return path
