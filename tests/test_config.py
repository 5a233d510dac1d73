"""Client config: schema errors name the key path; files are resolved and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kk_helpers.core.config import ConfigError, load_config, parse_config

MINIMAL = {
    "client": {"name": "Test GmbH"},
    "analysis": {"years": [2024, 2025]},
    "files": {"customers": {"path": "c.csv"}, "transactions": {"path": "t.csv"}},
}


def _write(tmp_path: Path, data: dict, files=("c.csv", "t.csv")) -> Path:
    for f in files:
        (tmp_path / f).write_text("x\n1\n")
    p = tmp_path / "client.yml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True))
    return p


def test_minimal_config_defaults(tmp_path):
    cfg = load_config(_write(tmp_path, MINIMAL))
    assert cfg.client.currency == "EUR"
    assert cfg.client.language == "de"
    assert cfg.classes.abc_thresholds == (0.8, 0.95)
    assert cfg.file_path("transactions") == tmp_path.resolve() / "t.csv"
    assert cfg.client_id == tmp_path.name


def test_folder_or_file_accepted(tmp_path):
    _write(tmp_path, MINIMAL)
    assert load_config(tmp_path).config_path == (tmp_path / "client.yml").resolve()


def test_unknown_key_named_with_path(tmp_path):
    data = {
        **MINIMAL,
        "files": {**MINIMAL["files"], "customers": {"path": "c.csv", "delimter": ";"}},
    }
    with pytest.raises(ConfigError) as e:
        load_config(_write(tmp_path, data))
    assert "files.customers.delimter: unknown key" in str(e.value)
    assert "client.yml" in str(e.value)


def test_wrong_type_named_with_path():
    data = {**MINIMAL, "analysis": {"years": ["zwanzig"]}}
    with pytest.raises(ConfigError, match=r"analysis\.years\.0"):
        parse_config(data)


def test_missing_required_section():
    data = {k: v for k, v in MINIMAL.items() if k != "files"}
    with pytest.raises(ConfigError, match="files: required key is missing"):
        parse_config(data)


def test_years_must_be_contiguous():
    with pytest.raises(ConfigError, match="contiguous"):
        parse_config({**MINIMAL, "analysis": {"years": [2023, 2025]}})


def test_unknown_canonical_column():
    data = {
        **MINIMAL,
        "files": {
            "customers": {"path": "c.csv", "columns": {"kundennr": "Kdnr"}},
            "transactions": {"path": "t.csv"},
        },
    }
    with pytest.raises(ConfigError, match=r"unknown canonical name\(s\) \['kundennr'\]"):
        parse_config(data)


def test_soft_criteria_are_known_customer_columns():
    data = {
        **MINIMAL,
        "soft_criteria": ["loyalty"],
        "files": {
            "customers": {"path": "c.csv", "columns": {"loyalty": "Treue"}},
            "transactions": {"path": "t.csv"},
        },
    }
    assert parse_config(data).soft_criteria == ["loyalty"]


def test_missing_data_file_named(tmp_path):
    p = _write(tmp_path, MINIMAL, files=("c.csv",))
    with pytest.raises(ConfigError, match=r"files\.transactions\.path: file not found"):
        load_config(p)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path)


def test_invalid_yaml(tmp_path):
    (tmp_path / "client.yml").write_text("client: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tmp_path)


def test_activity_rate_needs_cost_or_hourly_rate():
    data = {**MINIMAL, "cost_rates": {"activities": {"visit": {"minutes": 60}}}}
    with pytest.raises(ConfigError, match=r"cost_rates\.activities\.visit"):
        parse_config(data)


def test_schema_names_reexported_by_config():
    """The section models live in config_base / config_stages; config re-exports them."""
    from kk_helpers.core import config, config_base, config_stages

    assert config.FileSpec is config_base.FileSpec
    assert config.ConfigError is config_base.ConfigError
    assert config.ScreeningSettings is config_stages.ScreeningSettings
    assert set(config.__all__) >= {"ClientConfig", "load_config", "parse_config", "CARE_ROLES"}
