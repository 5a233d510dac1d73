"""Stage tables as a client reads them: numbers in the report language, units in headers,
counts as whole numbers with separators, no config keys or row numbers on client pages."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kk_helpers.core.config import ServiceLevelSettings
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.metrics.capacity import level_hours
from kk_helpers.stages.levers import tables as LT
from kk_helpers.stages.levers.assessment import assess_levers
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import tables as ST
from kk_helpers.stages.status_quo import tables as SQT
from kk_helpers.stages.status_quo.analysis import analyse_status_quo
from kk_helpers.stages.target import analysis as TP
from kk_helpers.stages.target import tables as TT

#: an English decimal number ("1.6", "0.32") in a cell, as a German reader would misread it
ENGLISH_DECIMAL = re.compile(r">\s*-?\d+\.\d{1,2}\s*<")


def _cells(styler) -> str:
    html = styler.to_html()
    return re.sub(r"<style.*?</style>", "", html, flags=re.S)


@pytest.fixture(scope="module")
def prep_de(tmp_path_factory):
    return prepare_client(sample_client_dir(), tmp_path_factory.mktemp("tt"), lang="de")


def test_lever_tables_use_german_decimals(prep_de):
    a = assess_levers(prep_de, "de")
    for frame in (LT.lever_display(a), LT.disagreement_display(a), LT.indicator_display(a)):
        html = _cells(LT.styled(frame, "de"))
        assert not ENGLISH_DECIMAL.search(html), ENGLISH_DECIMAL.search(html)
    assert not ENGLISH_DECIMAL.search(_cells(LT.styled_roles(a)))


def test_class_comparison_counts_have_separators_and_caption_matches(prep_de):
    sq = analyse_status_quo(prep_de, "de")
    table = SQT.current_class_table(sq, "de")
    assert table is not None
    data = table.data
    # rows: the company's current class, columns: the revenue class (as the caption says)
    # (the row labels are the table's first column: one header row)
    first = data.columns[0] if data.index.name is None else data.index.name
    assert first == "Bisherige Klasse" and data.columns.name == "Klasse (Umsatz-ABC)"
    html = _cells(table)
    big = int(data.select_dtypes("number").to_numpy().max())
    assert big >= 1000 and f"{big:,}".replace(",", ".") in html  # "1.086", not "1086"


def test_table_names_are_capitalised_in_english():
    assert SQT.table_name("customers", "en") == "Customers"
    assert SQT.table_name("transactions", "en") == "Transactions"
    assert SQT.table_name("customers", "de") == "Kunden"


def test_small_share_is_not_shown_as_zero_percent():
    # 7 of 2,500 customers = 0.28 %: with whole percent this would read "0 %"
    frame = pd.DataFrame(
        {"customers": [710, 7], "customers_share": [710 / 2500, 7 / 2500]},
        index=pd.Index(["a", "b"], name="group"),
    )
    html = _cells(ST.styled(frame, "de"))
    assert "0,3\xa0%" in html and "28,4\xa0%" in html  # a non-breaking space before "%"
    assert ">0 %<" not in html.replace(" ", "").replace("0%", "0 %")


def test_time_budget_headers_carry_the_unit():
    table = ST.level_hours_table(level_hours(ServiceLevelSettings()), "de")
    html = _cells(table)
    assert "Innendienst (Std. je Kunde und Jahr)" in html
    assert "Außendienst (Std. je Kunde und Jahr)" in html
    en = _cells(ST.level_hours_table(level_hours(ServiceLevelSettings()), "en"))
    assert "(h per customer and year)" in en


@pytest.fixture(scope="module")
def picture_de(prep_de):
    return TP.build_target_picture(prep_de, "de", with_tornado=True)


def test_assumptions_without_config_keys_or_row_numbers(picture_de):
    frame = TT.assumptions_frame(picture_de)
    assert list(frame.columns) == ["Annahme", "Wert"]
    assert not frame.astype(str).apply(lambda c: c.str.contains("target.scenario")).any().any()
    html = _cells(TT.assumptions_display(picture_de))
    assert "target.scenario" not in html and "Schlüssel in client.yml" not in html
    assert 'class="row_heading' not in html  # no 0–16 row index
    keys = TT.assumption_config_keys("de")
    assert len(keys) == len(frame)
    assert keys.loc["shift_to_inside", "config_key"] == "target.scenario.shift_to_inside"
    assert keys["assumption"].tolist() == frame["Annahme"].tolist()


def test_tornado_values_carry_their_unit(picture_de):
    html = _cells(TT.tornado_display(picture_de))
    # minimum order value 105 € ± 25 %: 78,75 € -> "79 €" and 131,25 € -> "131 €" (sample),
    # never a bare "78,8"; the surcharge 10 € ± 25 %: "7,50 €" and "12,50 €"
    assert "78,8<" not in html.replace(" ", "")
    assert re.search(r"79\s*€", html) and re.search(r"131\s*€", html)
    assert re.search(r"7,50\s*€", html) and re.search(r"12,50\s*€", html)


def test_plan_shows_calendar_months(picture_de):
    html = _cells(TT.plan_display(picture_de))
    assert not re.search(r">\s*\d{2}/\d{4}\s*<", html)  # no "01/2026"
    months = "Jan.|Feb.|März|Apr.|Mai|Juni|Juli|Aug.|Sept.|Okt.|Nov.|Dez."
    assert re.search(rf">\s*({months}) \d{{4}}\s*<", html)
