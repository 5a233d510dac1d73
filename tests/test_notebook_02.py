"""Notebook 02 executed with papermill on the sample client, in German and English.

Asserts on the written Parquet/Excel (rows = customers, shares as configured) and on
the content the notebook shows (findings, tables and figures).
"""

from __future__ import annotations

import nbrun
import openpyxl
import pandas as pd
import papermill
import pytest

from kk_helpers.core.formatting import format_pct
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import notebooks_dir, sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import analysis as SC
from kk_helpers.stages.screening import tables as SCT
from kk_helpers.stages.screening.export import sheet_names

NOTEBOOK = notebooks_dir() / "02_customer_screening.ipynb"


@pytest.fixture(scope="module", params=["de", "en"])
def executed(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"nb02_{lang}")
    nb = nbrun.execute("02_customer_screening.ipynb", out, lang, interactive=False)
    prep = prepare_client(sample_client_dir(), out, lang=lang)
    return lang, out, nb, prep


def test_no_errors_and_figures(executed):
    _, _, nb, _ = executed
    assert not nbrun.errors(nb)
    images = nbrun.images(nb)
    assert len(images) >= 6  # weights, scores, capacity, portfolio, comparison, sensitivity


def test_parquet_rows_and_configured_shares(executed):
    _, out, _, prep = executed
    df = pd.read_parquet(out / "screening.parquet")
    assert len(df) == len(prep.customer_table)
    n = len(df)
    for k, v in prep.config.screening.classes.shares.items():
        assert (df["priority_class"] == k).mean() == pytest.approx(v, abs=1 / n)
    for k, v in prep.config.screening.service_levels.shares.items():
        assert (df["service_level"] == k).mean() == pytest.approx(v, abs=1 / n)


def test_xlsx_sheets_and_headers(executed):
    lang, out, _, prep = executed
    wb = openpyxl.load_workbook(out / "screening.xlsx", read_only=True)
    names = sheet_names(lang)
    assert wb.sheetnames == list(names.values())
    ws = wb[names["customers"]]
    headers = [c.value for c in next(ws.iter_rows(max_row=1))]
    for col in (
        "score",
        "priority_class",
        "service_level",
        "recommended_channel",
        "smart_account",
        "why_up",
    ):
        assert SCT.column_label(col, lang) in headers
    assert ws.max_row == len(prep.customer_table) + 1


def test_shown_content_matches_computation(executed):
    lang, _, nb, prep = executed
    text = nbrun.text(nb)
    result = SC.run_screening(prep.customer_table, prep.config, lang)
    summ = result.class_summary()
    # the A-class revenue share of the findings and the class table
    assert format_pct(summ.loc["A", "revenue_share"], lang) in text
    assert SCT.column_label("priority_class", lang) in text
    # sections in the chosen language
    heading = {
        "de": "Prioritätsklassen und Betreuungslevel",
        "en": "Priority classes and service levels",
    }[lang]
    assert heading in text
    # the best customer of the list is shown with its reasons
    best = result.table.nsmallest(1, "rank").iloc[0]
    assert str(best["name"]) in text
    why = SC.translate_why(pd.Series([best["why_up"]]), lang).iloc[0]  # stored as codes
    assert why and why.split(",")[0] in text
    # smart accounts listed
    assert result.table["smart_account"].sum() > 0
    assert SCT.column_label("smart_account_reason", lang) in text


def test_interactive_defaults_true_and_runner_parameters(executed):
    _, _, nb, _ = executed
    params = papermill.inspect_notebook(str(NOTEBOOK))
    assert set(params) == {"config", "output_dir", "lang", "anonymize", "scenario", "interactive"}
    assert params["interactive"]["default"] == "True"  # widgets on when opened in JupyterLab


# --- a client with only the required columns ---------------------------------------------


@pytest.fixture(scope="module")
def minimal_run(tmp_path_factory):
    client = nbrun.make_minimal_client(tmp_path_factory.mktemp("nb02_min") / "client")
    out = tmp_path_factory.mktemp("nb02_min_out")
    nb = nbrun.execute_client("02_customer_screening.ipynb", client, out, "en", interactive=False)
    prep = prepare_client(client, tmp_path_factory.mktemp("nb02_min_prep"), lang="en")
    return out, nb, prep


def test_minimal_client_runs_without_errors(minimal_run):
    out, nb, prep = minimal_run
    assert not nbrun.errors(nb)
    df = pd.read_parquet(out / "screening.parquet")
    assert len(df) == len(prep.customer_table)
    assert df["customer_id"].is_unique
    assert (out / "screening.xlsx").exists()


def test_minimal_client_notebook_names_dropped_criteria(minimal_run):
    _, nb, _ = minimal_run
    text = nbrun.text(nb)
    assert "Left out of the scoring for lack of data" in text  # the finding
    assert "Criteria without data" in text  # the table's heading
    for name in ("margin", "margin_pct", "potential", "product_breadth", "activity_effort"):
        assert SC.criterion_label(name, "en") in text
    for key in ("margin", "potential", "product_group", "activities"):
        assert t(f"screen.source.{key}", "en") in text
    # sections that cannot be computed say why
    assert "No portfolio" in text
    assert "Smart accounts cannot be identified" in text
