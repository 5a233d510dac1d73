"""Notebook 03 executed with papermill on the sample client, in German and English.

Asserts real content: the lever results written equal those kk_helpers computes on
the same data, findings and pain points appear in the chosen language.
"""

from __future__ import annotations

import re

import nbrun
import numpy as np
import openpyxl
import pandas as pd
import pytest

from kk_helpers.core.formatting import format_number
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import notebooks_dir, sample_client_dir
from kk_helpers.stages.levers.analysis import LEVER_TABLE_COLUMNS
from kk_helpers.stages.levers.assessment import assess_levers
from kk_helpers.stages.levers.catalog import LEVERS, lever_name
from kk_helpers.stages.prepare import prepare_client

NOTEBOOK = notebooks_dir() / "03_lever_assessment.ipynb"


@pytest.fixture(scope="module", params=["de", "en"])
def executed(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"nb03_{lang}")
    nb = nbrun.execute("03_lever_assessment.ipynb", out, lang)
    a = assess_levers(prepare_client(sample_client_dir(), out, lang=lang), lang)
    return lang, out, nb, a


def test_no_errors_and_figures_exist(executed):
    _, _, nb, _ = executed
    assert not nbrun.errors(nb)
    images = nbrun.images(nb)
    assert len(images) >= 4  # radar, priority + bubbles, heatmap, traffic lights


def test_parquet_holds_the_computed_lever_results(executed):
    _, out, _, a = executed
    table = pd.read_parquet(out / "lever_assessment.parquet")
    assert list(table.columns) == list(LEVER_TABLE_COLUMNS)
    assert table["lever"].tolist() == list(LEVERS)
    expected = a.lever_table()
    assert np.allclose(table["priority"], expected["priority"])
    assert table["rank"].tolist() == expected["rank"].tolist()
    assert table["verdict"].tolist() == expected["verdict"].tolist()


def test_xlsx_written_with_the_same_ranking(executed):
    lang, out, _, a = executed
    wb = openpyxl.load_workbook(out / "lever_assessment.xlsx", read_only=True)
    assert len(wb.sheetnames) == 8
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    top = a.levers.sort_values("rank").iloc[0]
    assert rows[1][1] == lever_name(top["lever"], lang)


def test_findings_numbers_and_pain_points_shown(executed):
    lang, _, nb, a = executed
    text = nbrun.text(nb)
    top = a.levers.sort_values("rank").iloc[0]
    assert lever_name(top["lever"], lang) in text
    assert format_number(top["priority"], lang, decimals=1) in text
    # the slip in the sample (importance 6) is reported with respondent and cell (the file
    # name is in lever_assessment.xlsx for the analyst, not on the client page)
    assert "Lukas Schmid" in text and "F26" in text and "07_lukas_schmid.xlsx" not in text
    # a pain-point comment and the role disagreement on market coverage
    assert "80 km" in text
    field = "Außendienst" if lang == "de" else "Field sales"
    assert field in text


def test_indicator_table_and_findings_tell_one_story(executed):
    lang, _, nb, a = executed
    text = nbrun.text(nb)
    contra = a.comparison.loc[a.comparison["verdict"] == "contradict", "lever"].tolist()
    assert contra == ["conditions"]  # the sample's one row with opposite lights
    cells = re.findall(r">([^<>]*)</td>", text)  # the table's verdict column, one per row
    assert cells.count(t("lever.verdict.contradict", lang)) == 1
    assert cells.count(t("lever.verdict.agree", lang)) == 11
    said = "Die Daten widersprechen den Interviews" if lang == "de" else "the data contradict"
    assert f"{lever_name('conditions', lang)}: {said}" in text
    assert text.count(f": {said}") == 1  # no other lever is said to contradict
    assert t("lever.finding.views_agree", lang) not in text


def test_sections_in_the_chosen_language(executed):
    lang, _, nb, _ = executed
    text = nbrun.text(nb)
    if lang == "de":
        assert "Uneinigkeit zwischen Rollen" in text and "Was die Daten zeigen" in text
    else:
        assert "Disagreement between roles" in text and "What the data show" in text


# --- a client with only the required columns and no questionnaire folder ---------------


@pytest.fixture(scope="module")
def minimal_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb03_minimal")
    client = nbrun.make_minimal_client(root / "client")
    out = root / "out"
    out.mkdir()
    nb = nbrun.execute_client("03_lever_assessment.ipynb", client, out, "en")
    return client, out, nb


def test_minimal_client_runs_and_writes_outputs(minimal_run):
    _, out, nb = minimal_run
    assert not nbrun.errors(nb)
    assert nbrun.images(nb)  # the traffic lights of the indicators that exist
    table = pd.read_parquet(out / "lever_assessment.parquet")
    assert list(table.columns) == list(LEVER_TABLE_COLUMNS)
    assert table["priority"].isna().all()  # interview columns empty
    assert table["indicators_n"].sum() > 0  # data indicators filled
    assert (out / "lever_assessment.xlsx").is_file()


def test_minimal_client_says_how_to_get_questionnaires_and_what_data_miss(minimal_run):
    client, _, nb = minimal_run
    text = nbrun.text(nb)
    assert "No filled questionnaires yet" in text
    assert t("nb03.no_questionnaires.text", "en") in text  # in business words for the client
    # the command and the folder are for the analyst: in the notebook's analyst note only
    assert "kk questionnaire" not in text and str(client / "questionnaires") not in text
    notes = "".join(c.source for c in nb.cells if "analyst-note" in c.metadata.get("tags", []))
    assert "kk questionnaire" in notes and "levers.questionnaires" in notes
    assert "data indicators could be computed" in text
    assert "no sales channel in the data" in text and "no activity data" in text
    assert "consistent story" not in text  # no agreement claimed without interviews
    assert "Traceback" not in text and "KeyError" not in text
