"""The scenario widgets driven like a user: a slider recomputes the tables in place."""

from __future__ import annotations

import pytest

from kk_helpers.core.paths import sample_client_dir
from kk_helpers.present.target_widgets import scenario_widgets
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.target import analysis as TP


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    prep = prepare_client(sample_client_dir(), tmp_path_factory.mktemp("tw"), lang="en")
    return TP.build_target_picture(prep, "en", with_tornado=False)


@pytest.fixture
def ui(picture, tmp_path):
    return scenario_widgets(picture, tmp_path, draw=False)


def test_slider_recomputes_tables(ui, picture):
    assert ui.updates == 1 and "Channel shift" in ui.effects_html.value
    before_html = ui.before_after_html.value
    before = ui.tp.result.profit
    ui.sliders["shift_to_inside"].value = 0.7
    assert ui.updates == 2
    assert ui.tp.settings.shift_to_inside == 0.7
    assert ui.tp.result.profit > before
    assert ui.before_after_html.value != before_html
    assert "Recomputed" in ui.status.value
    assert picture.settings.shift_to_inside == 0.5  # the base picture is unchanged


def test_minimum_order_value_slider_and_recommended_checkbox(ui):
    assert ui.mov_auto.value and ui.sliders["minimum_order_value"].disabled
    ui.mov_auto.value = False
    ui.sliders["minimum_order_value"].value = 300
    assert ui.tp.result.threshold == 300
    mov = ui.tp.result.effects["minimum_order_value"].summary
    assert mov["threshold"] == 300
    ui.reset()
    assert ui.tp.result.threshold == ui.base.result.threshold and ui.mov_auto.value


def test_invalid_combination_is_reported_not_applied(ui):
    ui.sliders["consolidation_rate"].value = 0.95  # + loss 0.1 > 100 %
    assert "Invalid input" in ui.status.value
    assert ui.tp.settings.consolidation_rate == 0.6


def test_export_and_waterfall(ui, tmp_path):
    ui.draw = True
    ui.sliders["surcharge"].value = 20
    assert ui.waterfall_image.value[:4] == b"\x89PNG"
    path = ui.export()
    assert path == tmp_path / "measures_plan.xlsx" and path.is_file()


@pytest.fixture(scope="module")
def picture_de(tmp_path_factory):
    prep = prepare_client(sample_client_dir(), tmp_path_factory.mktemp("twde"), lang="de")
    return TP.build_target_picture(prep, "de", with_tornado=False)


def test_readouts_in_german_follow_the_slider(picture_de, tmp_path):
    ui = scenario_widgets(picture_de, tmp_path, draw=False)
    r = ui.readouts
    # sample config: shift_to_inside 0.5, calls_per_visit 2, surcharge 10 €
    assert r["shift_to_inside"].value == "50 %"
    assert r["calls_per_visit"].value == "2,0"
    assert r["surcharge"].value == "10 €"
    assert not ui.sliders["shift_to_inside"].readout  # the widget's own "50%" is off
    ui.sliders["calls_per_visit"].value = 2.5
    top = ui.sliders["surcharge_threshold"].max  # at least 500 €
    ui.sliders["surcharge_threshold"].value = 495
    assert r["calls_per_visit"].value == "2,5"
    assert r["surcharge_threshold"].value == "495 €" and top >= 500


def test_labels_and_buttons_are_not_cut(ui):
    # labels sit above the slider (a Label, no fixed description width), buttons fit their text
    assert all(s.description == "" for s in ui.sliders.values())
    assert ui.reset_button.layout.width == "auto" and ui.export_button.layout.width == "auto"


def test_save_as_scenario_stores_the_assumptions_beside_client_yml(picture, tmp_path):
    import shutil

    from kk_helpers.core.config import load_config

    client = tmp_path / "client"
    shutil.copytree(sample_client_dir(), client)
    original = (client / "client.yml").read_bytes()
    ui = scenario_widgets(picture, tmp_path, draw=False, config_path=client / "client.yml")
    ui.sliders["shift_to_inside"].value = 0.7
    ui.mov_auto.value = False
    ui.sliders["minimum_order_value"].value = 150
    ui.scenario_name.value = "Management 2026"
    path = ui.save()
    assert path == client / "scenarios" / "Management 2026.yml"
    assert (client / "client.yml").read_bytes() == original
    agreed = load_config(client, scenario="Management 2026").target.scenario
    assert agreed.shift_to_inside == 0.7 and agreed.minimum_order_value == 150
    assert load_config(client).target.scenario.shift_to_inside == 0.5
    assert "Management 2026" in ui.status.value


def test_without_a_config_path_there_is_no_save_row(ui):
    assert ui.save_button is None and ui.save() is None
