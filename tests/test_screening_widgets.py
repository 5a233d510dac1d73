"""The screening widgets driven like a user: sliders re-score, the live chart redraws, the
settings are saved as a named scenario (``client.yml`` untouched)."""

from __future__ import annotations

import html
import shutil

import pytest

from kk_helpers.core.config import load_config
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.present.screening_widgets import screening_overrides, screening_widgets
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import analysis as SC


@pytest.fixture
def client(tmp_path):
    folder = tmp_path / "client"
    shutil.copytree(sample_client_dir(), folder)
    return folder


@pytest.fixture
def ui(client, tmp_path):
    prep = prepare_client(client, tmp_path / "out", lang="en")
    return screening_widgets(SC.prepare_screening(prep.customer_table, prep.config), "en")


def test_weight_slider_rescored_in_place(ui):
    before_html = ui.summary_html.value
    before = ui.result.table["priority_class"].copy()
    assert ui.updates == 1 and "Share of customers" in before_html
    ui.weight_sliders["trend"].value = 0
    assert ui.updates == 2
    assert ui.result.criteria.loc["trend", "weight"] == 0
    assert (ui.result.table["priority_class"] != before).any()
    assert ui.summary_html.value != before_html
    assert "re-scored" in ui.status.value


def test_class_and_level_share_sliders(ui):
    n = len(ui.result.table)
    ui.class_share_sliders["A"].value = 0.2
    counts = ui.result.class_summary()["customers"]
    assert counts["A"] == round(0.2 * n) and counts["D"] == round(0.25 * n)
    assert "25%" in ui.class_rest.value
    ui.level_share_sliders["strategic"].value = 0.1
    lv = ui.result.level_summary()["customers"]
    assert lv["strategic"] == round(0.1 * n) and lv["service"] == round(0.2 * n)
    ui.class_method.value = "thresholds"
    ui.class_threshold_sliders["A"].value = 75
    assert (ui.result.table.loc[ui.result.table["score"] >= 75, "priority_class"] == "A").all()


def test_invalid_shares_are_reported_not_applied(ui):
    updates = ui.updates
    ui.class_share_sliders["A"].value = 0.9  # A + B + C > 100 %
    assert ui.updates == updates
    assert "Invalid input" in ui.status.value


def test_save_stores_a_named_scenario_and_leaves_client_yml_alone(ui, client):
    path = client / "client.yml"
    original = path.read_bytes()
    ui.weight_sliders["trend"].value = 30
    ui.class_share_sliders["A"].value = 0.15
    ui.scenario_name.value = "Workshop Nov"
    saved = ui.save()
    assert saved == client / "scenarios" / "Workshop Nov.yml"
    assert path.read_bytes() == original
    cfg = load_config(path, scenario="Workshop Nov")
    assert cfg.screening.criteria["trend"].weight == 30
    assert cfg.screening.classes.shares["A"] == 0.15
    assert cfg.screening.classes.shares["D"] == pytest.approx(1 - 0.15 - 0.20 - 0.35)
    assert load_config(path).screening.criteria["trend"].weight == 15
    # the command names the client folder: "kk run --scenario X" alone is refused by kk run
    status = html.unescape(ui.status.value)
    assert f'kk run "{client.resolve()}" --scenario "Workshop Nov"' in status


def test_live_chart_redraws_with_the_sliders(ui):
    assert ui.chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    before = ui.chart.value
    ui.weight_sliders["trend"].value = 0
    assert ui.chart.value != before


def test_reset_returns_to_config(ui):
    ui.weight_sliders["trend"].value = 0
    ui.reset()
    assert ui.weight_sliders["trend"].value == 15
    assert ui.result.criteria.loc["trend", "weight"] == 15


def test_invalid_scenarios_are_refused_and_nothing_is_kept(ui, client):
    ui.scenario_name.value = "../outside"
    assert ui.save() is None
    assert "Not saved" in ui.status.value
    assert not (client / "scenarios").exists() and not (client.parent / "outside.yml").exists()


def test_screening_overrides_hold_only_the_screening_keys():
    assert screening_overrides({"trend": 30, "loyalty": 0}) == {
        "screening": {"criteria": {"trend": {"weight": 30.0}, "loyalty": {"weight": 0.0}}}
    }


def test_readouts_in_german(client, tmp_path):
    prep = prepare_client(client, tmp_path / "out_de", lang="de")
    ui = screening_widgets(SC.prepare_screening(prep.customer_table, prep.config), "de")
    share = ui.class_share_sliders["A"]
    share.value = 0.125
    assert ui.readouts[id(share)].value == "13 %"  # 12,5 % rounds half up, "%" after a space
    weight = ui.weight_sliders["trend"]
    weight.value = 20
    assert ui.readouts[id(weight)].value == "20"
    assert not share.readout and share.description == ""  # the label sits above, never cut
    assert ui.save_button.layout.width == "auto" and ui.reset_button.layout.width == "auto"
