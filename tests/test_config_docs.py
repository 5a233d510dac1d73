"""docs/config.md is generated from the schema and must be current."""

from kk_helpers.core.config_docs import render
from kk_helpers.core.paths import project_root


def test_config_reference_is_up_to_date():
    committed = (project_root() / "docs" / "config.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m kk_helpers.core.config_docs"


def test_every_key_of_the_sample_config_is_documented():
    import yaml

    from kk_helpers.core.paths import sample_client_dir

    data = yaml.safe_load((sample_client_dir() / "client.yml").read_text(encoding="utf-8"))
    doc = render()
    for section in data:
        assert f"| `{section}` |" in doc
