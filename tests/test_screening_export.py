"""screening.parquet and screening.xlsx: rows, headers, formats, colours, sheets."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from kk_helpers.core.paths import sample_client_dir
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import analysis as SC
from kk_helpers.stages.screening import export as X
from kk_helpers.stages.screening import tables as SCT


@pytest.fixture(scope="module", params=["de", "en"])
def written(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"exp_{lang}")
    prep = prepare_client(sample_client_dir(), out, lang=lang)
    result = SC.run_screening(prep.customer_table, prep.config, lang)
    paths = X.write_screening(result, out, lang)
    return lang, result, paths


def test_parquet_one_row_per_customer_with_canonical_columns(written):
    _, result, paths = written
    df = pd.read_parquet(paths["parquet"])
    assert len(df) == len(result.table)
    for col in (
        "customer_id",
        "score",
        "priority_class",
        "service_level",
        "recommended_channel",
        "smart_account",
        "portfolio_quadrant",
        "why_up",
        "why_down",
        "abc_class",
        "s_trend",
    ):
        assert col in df.columns
    assert df["customer_id"].is_unique
    assert df["smart_account"].dtype == bool


def test_xlsx_sheets_headers_and_layout(written):
    lang, result, paths = written
    wb = openpyxl.load_workbook(paths["xlsx"])
    names = X.sheet_names(lang)
    assert wb.sheetnames == [
        names["customers"],
        names["weights"],
        names["classes"],
        names["capacity"],
    ]
    ws = wb[names["customers"]]
    headers = [c.value for c in ws[1]]
    expected = {"de": ["Rang", "Kundennummer", "Kunde"], "en": ["Rank", "Customer ID", "Customer"]}[
        lang
    ]
    assert headers[:3] == expected
    assert SCT.column_label("priority_class", lang) in headers
    assert SCT.column_label("why_up", lang) in headers
    assert ws.max_row == len(result.table) + 1
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    # best customer first, number formats per column
    row2 = {h: c for h, c in zip(headers, ws[2], strict=True)}
    assert row2[headers[0]].value == 1
    assert row2[SCT.column_label("score", lang)].number_format == "#,##0.0"
    money = row2[SCT.column_label("revenue_last_year", lang)].number_format
    assert "€" in money and "#,##0" in money
    assert (
        row2[SCT.column_label("margin_pct", lang)].number_format
        == {"de": "0.0 %", "en": "0.0%"}[lang]
    )
    # class colours by conditional formatting on the priority-class column
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert len(rules) >= 4
    yes = {"de": "ja", "en": "yes"}[lang]
    smart_col = headers.index(SCT.column_label("smart_account", lang)) + 1
    values = {ws.cell(row=r, column=smart_col).value for r in range(2, ws.max_row + 1)}
    assert yes in values


def test_xlsx_weights_and_summary_sheets(written):
    lang, result, paths = written
    wb = openpyxl.load_workbook(paths["xlsx"])
    names = X.sheet_names(lang)
    w = wb[names["weights"]]
    assert w.max_row == len(result.criteria) + 1
    assert w.cell(row=1, column=1).value == SCT.column_label("criterion", lang)
    weights = [w.cell(row=r, column=5).value for r in range(2, w.max_row + 1)]
    assert weights == result.criteria["weight"].tolist()
    s = wb[names["classes"]]
    groups = [s.cell(row=r, column=1).value for r in range(2, s.max_row + 1)]
    assert len(groups) == 7  # A-D and three service levels
    customers = [s.cell(row=r, column=2).value for r in range(2, 6)]
    assert sum(customers) == len(result.table)
