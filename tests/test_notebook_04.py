"""Notebook 04 executed with papermill (de, en); the batch running all four notebooks."""

from __future__ import annotations

import nbrun
import openpyxl
import papermill
import pytest

from kk_helpers.batch import runner
from kk_helpers.core.i18n import t
from kk_helpers.core.paths import notebooks_dir, sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.target import analysis as TP
from kk_helpers.stages.target import tables as TPT

NOTEBOOK = notebooks_dir() / "04_target_picture.ipynb"


@pytest.fixture(scope="module", params=["de", "en"])
def executed(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"nb04_{lang}")
    nb = nbrun.execute("04_target_picture.ipynb", out, lang, interactive=False)
    prep = prepare_client(sample_client_dir(), out, lang=lang)
    return lang, out, nb, prep


def test_no_errors_and_figures(executed):
    _, _, nb, _ = executed
    assert not [o for o in nbrun.outputs(nb) if o.get("output_type") == "error"]
    images = [o for o in nbrun.outputs(nb) if "image/png" in o.get("data", {})]
    assert len(images) >= 5  # waterfall, before/after, tornado, matrix, roadmap


def test_measures_plan_xlsx(executed):
    lang, out, _, prep = executed
    wb = openpyxl.load_workbook(out / "measures_plan.xlsx")
    assert wb.sheetnames[0] == t("measure.sheet.plan", lang)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    for col in ("measure", "lever", "owner", "start", "end", "priority", "quick_win",
                "status", "kpi", "kpi_target", "kpi_actual"):  # fmt: skip
        assert TPT.label(col, lang) in headers, col
    n = ws.max_row - 1
    assert 1 <= n <= max(prep.config.target.max_measures, n)
    statuses = [
        r[headers.index(TPT.label("status", lang))]
        for r in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert set(statuses) == {t("measure.status.open", lang)}
    assert ws.data_validations.dataValidation  # status drop-down
    # the config switched this measure off and changed an owner
    names = [
        r[headers.index(TPT.label("measure", lang))]
        for r in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert t("measure.coop_service_partners.name", lang) not in names
    assert t("measure.sheet.assumptions", lang) in wb.sheetnames


def test_shown_tables_match_computation(executed):
    lang, out, nb, prep = executed
    text = nbrun.text(nb)
    tp = TP.build_target_picture(prep, lang, with_tornado=False)
    # the stage notes say in business words what was missing (02/03 outputs are missing
    # here); file names and notebook numbers stay off the client page
    assert t("target.note.no_screening", lang) in text and "screening.parquet" not in text
    for key in (
        "nb04.care.title",
        "nb04.scenarios.title",
        "measure.sheet.plan",
        "nb04.summary.title",
    ):
        assert t(key, lang) in text
    from kk_helpers.core.formatting import format_money

    assert format_money(tp.result.threshold, lang, tp.currency) in text
    assert format_money(tp.result.profit, lang, tp.currency, signed=True) in text
    assert tp.plan["measure"].iloc[0] in text
    assert t("target.col.hours_target", lang) in text


def test_parameters_include_interactive():
    params = papermill.inspect_notebook(str(NOTEBOOK))
    assert set(params) == {"config", "output_dir", "lang", "anonymize", "scenario", "interactive"}
    assert params["interactive"]["default"] == "True"  # sliders when opened in JupyterLab


def test_batch_runs_all_four_notebooks(tmp_path):
    result = runner.run_client(sample_client_dir(), out_root=tmp_path, lang="en")
    assert result.status == runner.STATUS_OK, result.error
    assert [n.step for n in result.notebooks] == ["01", "02", "03", "04"]
    index = (result.output_dir / "index.html").read_text(encoding="utf-8")
    for name in ("01_status_quo.html", "02_customer_screening.html", "03_lever_assessment.html",
                 "04_target_picture.html"):  # fmt: skip
        assert name in index and (result.output_dir / name).is_file()
    for xlsx in sorted(result.output_dir.glob("*.xlsx")):
        assert xlsx.name in index
    assert "measures_plan.xlsx" in index
    html = (result.output_dir / "04_target_picture.html").read_text(encoding="utf-8")
    assert "build_target_picture(" not in html
    # 04 read the outputs of 02 and 03: no note about missing files
    assert "is missing: please run" not in html


def test_executive_summary_page(executed):
    """The one-page summary is written beside the report with the key figures and top measures."""
    lang, out, *_ = executed
    page = (out / "executive_summary.html").read_text(encoding="utf-8")
    title = "Management Summary" if lang == "de" else "Executive summary"
    assert title in page
    assert page.count("<tr>") >= 8  # key figures and measures


# --- clients with missing optional data -----------------------------------------------------


def _partial_client(folder):
    """The sample client without its activities file in client.yml."""
    import shutil

    import yaml

    shutil.copytree(sample_client_dir(), folder)
    cfg = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    del cfg["files"]["activities"]
    cfg["client"]["id"] = "partial"
    (folder / "client.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def minimal_after_03(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb04_minimal")
    client = nbrun.make_minimal_client(root / "client")
    out = root / "out"
    out.mkdir()
    nbrun.execute_client("03_lever_assessment.ipynb", client, out, "en")
    nb = nbrun.execute_client("04_target_picture.ipynb", client, out, "en", interactive=False)
    return out, nb


def test_minimal_client_after_03_runs_and_writes_outputs(minimal_after_03):
    out, nb = minimal_after_03
    assert not nbrun.errors(nb)
    assert len(nbrun.images(nb)) >= 5
    assert (out / "measures_plan.xlsx").is_file() and (out / "executive_summary.html").is_file()
    wb = openpyxl.load_workbook(out / "measures_plan.xlsx", read_only=True)
    assert wb.sheetnames[0] == t("measure.sheet.plan", "en")


def test_minimal_client_says_what_is_missing(minimal_after_03):
    _, nb = minimal_after_03
    text = nbrun.text(nb)
    assert t("sq.missing.title", "en") in text
    for key in ("target.gap.margin", "target.gap.activities", "target.gap.channel"):
        assert t(key, "en") in text
    # scenarios needing margin or channels/activities are left out and say so
    assert "Minimum order value: cannot be computed" in text
    assert "Dealer delegation: cannot be computed" in text
    assert "Channel shift: cannot be computed" in text
    assert "today's hours cannot be measured without activity data" in text
    assert "the effect is an upper bound" in text  # surcharge without margin
    assert "– (no margin data)" in text
    assert "No interview ratings" in text  # 03 ran without questionnaires
    assert "lever_assessment.parquet' is missing" not in text


def test_minimal_client_without_02_03_outputs_and_with_an_empty_screening(tmp_path):
    import pandas as pd

    client = nbrun.make_minimal_client(tmp_path / "client")
    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame({"customer_id": [], "priority_class": []}).to_parquet(out / "screening.parquet")
    nb = nbrun.execute_client("04_target_picture.ipynb", client, out, "de", interactive=False)
    assert not nbrun.errors(nb)
    text = nbrun.text(nb)
    assert t("target.note.bad_file", "de") in text  # the empty screening
    assert t("target.note.no_levers", "de") in text
    assert t("target.gap.margin", "de") in text
    assert (out / "measures_plan.xlsx").is_file()


def test_partial_client_without_activities(tmp_path):
    client = _partial_client(tmp_path / "client")
    out = tmp_path / "out"
    out.mkdir()
    nb = nbrun.execute_client("04_target_picture.ipynb", client, out, "en", interactive=False)
    assert not nbrun.errors(nb)
    text = nbrun.text(nb)
    assert t("target.gap.activities", "en") in text
    assert t("target.gap.margin", "en") not in text  # the margin is there
    assert "Channel shift (orders only, no activity data)" in text
    assert "cannot be computed" not in text  # every scenario is computed
    assert (out / "measures_plan.xlsx").is_file()


def test_minimal_client_sliders_of_left_out_scenarios_are_disabled(tmp_path):
    """The interactive path of notebook 04 (``interactive=True``) on the minimal client."""
    from kk_helpers.present.target_widgets import scenario_widgets

    client = nbrun.make_minimal_client(tmp_path / "client")
    prep = prepare_client(client, tmp_path / "out", lang="en")
    ui = scenario_widgets(TP.build_target_picture(prep, "en", with_tornado=False), draw=False)
    assert ui.sliders["dealer_share"].disabled and ui.sliders["shift_to_inside"].disabled
    assert not ui.sliders["surcharge"].disabled
    ui.mov_auto.value = False  # a minimum order value cannot be computed without margin
    assert ui.sliders["minimum_order_value"].disabled
    ui.sliders["surcharge"].value = 20.0
    assert ui.tp.result.profit > 0 and "cannot be computed" in ui.findings_html.value
