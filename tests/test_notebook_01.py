"""Notebook 01 executed with papermill on the sample client, in German and English.

Asserts real content: the numbers shown equal those kk_helpers computes on the same
data, the figures exist, and the Excel file was written.
"""

from __future__ import annotations

from pathlib import Path

import nbrun
import openpyxl
import pytest

from kk_helpers.core.formatting import format_number, format_pct
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import notebooks_dir, sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.status_quo.analysis import analyse_status_quo

NOTEBOOK = notebooks_dir() / "01_status_quo.ipynb"


@pytest.fixture(scope="module", params=["de", "en"])
def executed(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"nb01_{lang}")
    nb = nbrun.execute("01_status_quo.ipynb", out, lang)
    sq = analyse_status_quo(prepare_client(sample_client_dir(), out, lang=lang), lang)
    return lang, out, nb, sq


def test_no_errors_and_figures_exist(executed):
    _, _, nb, _ = executed
    assert not nbrun.errors(nb)
    images = nbrun.images(nb)
    assert (
        len(images) >= 10
    )  # structure, flow, Pareto/Lorenz, profile, XYZ, whale, orders, channels, development


def test_gini_and_class_shares_shown_equal_computed(executed):
    lang, _, nb, sq = executed
    text = nbrun.text(nb)
    assert format_number(sq.gini, lang, decimals=2) in text
    c_share = sq.profile.loc["C", "customers_share"]
    assert format_pct(c_share, lang) in text
    small = sq.profile.loc[["C", "D"], "revenue_share"].sum()
    assert format_pct(small, lang) in text


def test_sections_in_the_chosen_language(executed):
    lang, _, nb, _ = executed
    text = nbrun.text(nb)
    if lang == "de":
        assert "Konzentration und Abhängigkeit" in text and "Walkurve" in text
    else:
        assert "Concentration and dependence" in text and "whale curve" in text.lower()


def test_excel_written_with_the_same_numbers(executed):
    lang, out, _, sq = executed
    wb = openpyxl.load_workbook(out / "status_quo.xlsx", read_only=True)
    assert len(wb.sheetnames) == 6  # ... customer list, notes on the customer list
    customers = list(wb[t("screen.sheet.customers", lang)].iter_rows(values_only=True))
    assert len(customers) - 1 == len(sq.customers)
    profile = list(wb.worksheets[1].iter_rows(values_only=True))
    header = profile[0]
    counts = {row[0]: row[header.index(header[1])] for row in profile[1:]}
    assert counts == sq.profile["customers"].to_dict()


def test_validation_report_written(executed):
    _, out, _, _ = executed
    assert (out / "validation_report.html").is_file()
    assert Path(out / "rejected_rows.csv").is_file()


def test_runs_on_a_client_with_only_the_required_columns(tmp_path):
    """No margin, channel, order id, activities or master attributes: the notebook says so."""
    client = nbrun.make_minimal_client(tmp_path / "minimal")
    out = tmp_path / "out"
    out.mkdir()
    nb = nbrun.execute_client("01_status_quo.ipynb", client, out, "en")
    assert not nbrun.errors(nb)
    text = nbrun.text(nb)
    assert "No contribution margin" in text and "No activity data" in text
    assert "The data for this section are missing" in text
    # never "0 %" for a figure the data cannot give (key figures, registry)
    assert "Share of unprofitable customers (CM III < 0)" in text
    assert "not available (no contribution margin (margin or cost) in the data)" in text
    assert len(nbrun.images(nb)) >= 6
    assert (out / "status_quo.xlsx").is_file()
