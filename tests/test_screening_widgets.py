"""The screening widgets driven like a user: sliders re-score, save keeps comments."""

from __future__ import annotations

import shutil

import pytest

from kk_helpers.core.config import load_config
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.present.screening_widgets import save_screening_settings, screening_widgets
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


def test_save_writes_weights_and_keeps_comments(ui, client):
    path = client / "client.yml"
    original = path.read_text(encoding="utf-8")
    ui.weight_sliders["trend"].value = 30
    ui.class_share_sliders["A"].value = 0.15
    assert ui.save() == path
    text = path.read_text(encoding="utf-8")
    assert "# Muster Industriebedarf" not in original or "FICTIONAL" in text
    assert text.count("#") == original.count("#")  # every comment kept
    assert "trend: {weight: 30}" in text
    changed = [a for a, b in zip(original.splitlines(), text.splitlines(), strict=True) if a != b]
    assert len(changed) == 2  # the trend weight and the class shares
    cfg = load_config(path)
    assert cfg.screening.criteria["trend"].weight == 30
    assert cfg.screening.classes.shares["A"] == 0.15
    assert "Saved" in ui.status.value


def test_reset_returns_to_config(ui):
    ui.weight_sliders["trend"].value = 0
    ui.reset()
    assert ui.weight_sliders["trend"].value == 15
    assert ui.result.criteria.loc["trend", "weight"] == 15


def test_save_creates_screening_section_and_refuses_invalid(tmp_path, make_client):
    folder = make_client()
    path = folder / "client.yml"
    save_screening_settings(path, {"revenue_last_year": 3, "loyalty": 1})
    cfg = load_config(path)
    assert {k: v.weight for k, v in cfg.screening.criteria.items()} == {
        "revenue_last_year": 3,
        "loyalty": 1,
    }
    before = path.read_text()
    with pytest.raises(Exception, match="unknown criterion|invalid config|criteria"):
        save_screening_settings(path, {"revenue_last_year": -1})
    assert path.read_text() == before


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
