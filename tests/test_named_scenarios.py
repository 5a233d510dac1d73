"""Named scenarios (``scenarios/<name>.yml`` beside ``client.yml``): saved, laid over the
config by ``load_config(scenario=...)``/``prepare_client(scenario=...)``, never written into
``client.yml``; bad names and values are refused with a clear message."""

from __future__ import annotations

import html
import shutil

import pytest

from kk_helpers.core.config import ConfigError, load_config
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.core.scenarios import (
    ScenarioError,
    check_name,
    list_scenarios,
    overlay,
    read_scenario,
    write_scenario,
)
from kk_helpers.stages.prepare import prepare_client


@pytest.fixture
def client(tmp_path):
    folder = tmp_path / "client"
    shutil.copytree(sample_client_dir(), folder, ignore=shutil.ignore_patterns("scenarios"))
    return folder


def test_overlay_merges_mappings_and_replaces_other_values():
    base = {
        "screening": {"criteria": {"revenue_last_year": {"weight": 20, "direction": "higher"}}},
        "x": [1],
    }
    over = {"screening": {"criteria": {"revenue_last_year": {"weight": 35}}}, "x": [2, 3]}
    assert overlay(base, over) == {
        "screening": {"criteria": {"revenue_last_year": {"weight": 35, "direction": "higher"}}},
        "x": [2, 3],
    }
    assert base["screening"]["criteria"]["revenue_last_year"]["weight"] == 20  # not changed


def test_saved_scenario_is_laid_over_client_yml_which_stays_unchanged(client):
    before = (client / "client.yml").read_bytes()
    write_scenario(
        client / "client.yml",
        "Workshop",
        {"screening": {"criteria": {"revenue_last_year": {"weight": 35}}}},
    )
    # 04 adds its part to the same scenario
    assert (client / "client.yml").read_bytes() == before
    assert list_scenarios(client / "client.yml") == ["Workshop"]
    plain = load_config(client)
    agreed = load_config(client, scenario="Workshop")
    assert agreed.scenario == "Workshop" and plain.scenario is None
    assert agreed.screening.criteria["revenue_last_year"].weight == 35
    assert plain.screening.criteria["revenue_last_year"].weight != 35
    # everything else is the same config
    assert agreed.model_dump(exclude={"screening"}) == plain.model_dump(exclude={"screening"})


def test_a_second_save_merges_into_the_scenario(client):
    cfg = client / "client.yml"
    write_scenario(
        cfg, "Meeting", {"screening": {"criteria": {"revenue_last_year": {"weight": 30}}}}
    )
    write_scenario(cfg, "Meeting", {"screening": {"criteria": {"potential": {"weight": 12}}}})
    data = read_scenario(cfg, "Meeting")
    assert data == {
        "screening": {
            "criteria": {"revenue_last_year": {"weight": 30}, "potential": {"weight": 12}}
        }
    }


@pytest.mark.parametrize("name", ["../client", "", ".hidden", "a/b", "x" * 61])
def test_names_that_are_not_plain_file_names_are_refused(name):
    with pytest.raises(ScenarioError, match="scenario name"):
        check_name(name)


def test_unknown_scenario_lists_the_saved_ones(client):
    write_scenario(
        client / "client.yml",
        "A",
        {"screening": {"criteria": {"revenue_last_year": {"weight": 30}}}},
    )
    with pytest.raises(ConfigError, match=r"scenario 'B' not found \(saved scenarios: A\)"):
        load_config(client, scenario="B")


def test_an_invalid_value_in_a_scenario_names_the_scenario_and_the_key(client):
    write_scenario(
        client / "client.yml",
        "Bad",
        {"screening": {"criteria": {"revenue_last_year": {"weight": -5}}}},
    )
    with pytest.raises(ConfigError) as e:
        load_config(client, scenario="Bad")
    assert "with scenario 'Bad'" in str(e.value)
    assert "screening.criteria.revenue_last_year.weight" in str(e.value)


def test_a_scenario_gets_its_own_cache_and_figures(client, tmp_path):
    out = tmp_path / "out"
    plain = prepare_client(client, out)
    write_scenario(client / "client.yml", "Revenue only",
                   {"screening": {"criteria": {c: {"weight": 0} for c in plain.config.screening.criteria
                                               if c != "revenue_last_year"}}})  # fmt: skip
    agreed = prepare_client(client, out, scenario="Revenue only")
    assert not agreed.from_cache  # the settings differ: the cache is not taken for current
    assert agreed.config.scenario == "Revenue only"
    again = prepare_client(client, out, scenario="Revenue only")
    assert again.from_cache
    assert again.figures.value("priority_small_revenue_share") == agreed.figures.value(
        "priority_small_revenue_share"
    )
    back = prepare_client(client, out)
    assert not back.from_cache
    assert back.figures.value("priority_small_revenue_share") == plain.figures.value(
        "priority_small_revenue_share"
    )


def test_kk_run_with_a_scenario_reports_what_was_agreed(client, tmp_path):
    from kk_helpers.batch import runner

    write_scenario(client / "client.yml", "Revenue only",
                   {"screening": {"criteria": {c: {"weight": 0} for c in load_config(client).screening.criteria
                                               if c != "revenue_last_year"}}})  # fmt: skip
    plain = runner.run_client(client, out_root=tmp_path / "plain", notebooks="01")
    agreed = runner.run_client(client, out_root=tmp_path / "agreed", notebooks="01",
                               scenario="Revenue only")  # fmt: skip
    assert plain.status == agreed.status == "ok", (plain.error, agreed.error)
    assert agreed.scenario == "Revenue only" and plain.scenario is None
    code = "priority_small_revenue_share"
    assert agreed.figures.value(code) != plain.figures.value(code)
    index = html.unescape((agreed.output_dir / "index.html").read_text(encoding="utf-8"))
    assert "Szenario: Revenue only" in index and '--scenario "Revenue only"' in index
    unknown = runner.run_client(client, out_root=tmp_path / "x", notebooks="01", scenario="Nope")
    assert unknown.status == "failed" and "scenario 'Nope' not found" in unknown.error


# --- breaker: scenario files written or changed by hand ------------------------------------


def _write(client, name: str, text: str) -> None:
    folder = client / "scenarios"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yml").write_text(text, encoding="utf-8")


def test_a_typo_in_a_hand_edited_scenario_names_the_scenario_file_not_client_yml(client):
    _write(
        client,
        "Workshop Größe",
        "screening:\n  criteria:\n    revenue_last_year:\n      wieght: 3\n",
    )
    with pytest.raises(ConfigError) as e:
        load_config(client, scenario="Workshop Größe")
    msg = str(e.value)
    assert "client.yml alone is valid" in msg
    assert str(client / "scenarios" / "Workshop Größe.yml") in msg
    assert "screening.criteria.revenue_last_year.wieght: unknown key" in msg


def test_a_wrong_value_type_in_a_scenario_names_the_file_and_the_key(client):
    _write(client, "Typ", 'target:\n  scenario:\n    minimum_order_value: "hundert"\n')
    with pytest.raises(ConfigError) as e:
        load_config(client, scenario="Typ")
    assert "scenarios/Typ.yml" in str(e.value)
    assert "target.scenario.minimum_order_value: Input should be a valid number" in str(e.value)


def test_an_invalid_client_yml_keeps_its_own_message_under_a_scenario(client):
    text = (client / "client.yml").read_text(encoding="utf-8")
    (client / "client.yml").write_text(
        text.replace("surcharge: 10 ", "surcharge: -1 "), encoding="utf-8"
    )
    _write(client, "Ok", "target:\n  scenario:\n    dealer_share: 0.5\n")
    with pytest.raises(ConfigError) as e:
        load_config(client, scenario="Ok")
    assert "client.yml alone is valid" not in str(e.value)
    assert "target.scenario.surcharge" in str(e.value)


def test_an_empty_scenario_file_is_client_yml_itself(client):
    _write(client, "leer", "")
    cfg = load_config(client, scenario="leer")
    assert cfg.scenario == "leer"
    # the sample's client.yml: surcharge 10 EUR, dealer share 0.3
    assert (cfg.target.scenario.surcharge, cfg.target.scenario.dealer_share) == (10, 0.3)


def test_broken_yaml_in_a_scenario_says_where(client):
    _write(client, "kaputt", "target: [\n")
    with pytest.raises(ConfigError, match=r"kaputt.yml: not valid YAML at line 2, column 1"):
        load_config(client, scenario="kaputt")


def test_a_criterion_removed_from_client_yml_since_the_scenario_was_saved_is_named(client):
    weights = {"revenue_last_year": 30, "potential": 10, "loyalty": 5}
    write_scenario(client / "client.yml", "Workshop",
                   {"screening": {"criteria": {c: {"weight": w} for c, w in weights.items()}}})  # fmt: skip
    assert load_config(client, scenario="Workshop").screening.criteria["potential"].weight == 10
    # the analyst drops potential (hard) and loyalty (soft, also from soft_criteria and the
    # customer columns) from client.yml afterwards
    text = (client / "client.yml").read_text(encoding="utf-8")
    for old, new in [("    potential: {weight: 10}", ""), ("    loyalty: {weight: 5}", ""),
                     ("[loyalty, strategic_fit, service_effort]", "[strategic_fit, service_effort]"),
                     ('      loyalty: "Kundenbindung"\n', "")]:  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    (client / "client.yml").write_text(text, encoding="utf-8")
    assert "potential" not in load_config(client).screening.criteria
    with pytest.raises(ConfigError) as e:
        load_config(client, scenario="Workshop")
    assert "no longer lists under screening.criteria: loyalty, potential." in str(e.value)
    assert "Workshop.yml" in str(e.value)


def test_anonymized_run_with_a_scenario_names_no_client_folder(tmp_path):
    """A client folder named after the client: the anonymized index and technical appendix
    show a neutral placeholder for it, and the appendix names the scenario."""
    from kk_helpers.batch import runner

    client = tmp_path / "Muster Industriebedarf GmbH"
    shutil.copytree(sample_client_dir(), client, ignore=shutil.ignore_patterns("scenarios"))
    write_scenario(
        client / "client.yml", "Workshop Größe", {"target": {"scenario": {"surcharge": 15}}}
    )
    result = runner.run_client(client, out_root=tmp_path / "out", notebooks="01",
                               anonymize=True, scenario="Workshop Größe")  # fmt: skip
    assert result.status == "ok", result.error
    index = html.unescape((result.output_dir / "index.html").read_text(encoding="utf-8"))
    tech = html.unescape((result.output_dir / "technical.html").read_text(encoding="utf-8"))
    for page in (index, tech):
        assert "Muster" not in page
    assert 'kk present "<Kundenordner>" --scenario "Workshop Größe"' in index
    assert "<Kundenordner>/client.yml" in tech
    assert "Workshop Größe" in tech
    assert "target.scenario.surcharge" in tech and "15" in tech
