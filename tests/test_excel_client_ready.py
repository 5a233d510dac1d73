"""Every xlsx the product writes is client-ready (issue 12, items 7 and 8).

Runs the batch on the sample (German) and on a minimal client without margin data
(English) and reads every workbook of the report folder with openpyxl: no text cell that
looks like a number (ids declared as text, number format ``@``, are the exception), the
number formats of named columns, key figures and assumptions as numbers with a unit in
words, traffic lights as cell colours, print set-up on every visible sheet; the blank
questionnaire printable and protected; the customer lists' three-year view of revenue
and CM I-III with trends, hand-checked on a small client.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from types import SimpleNamespace

import nbrun
import openpyxl
import pytest
from test_customer_table import YEARS, _activities, _config, _customers, _transactions

from kk_helpers.batch.runner import run_client
from kk_helpers.core import columns as C
from kk_helpers.core.excel import LIGHT_FILLS, number_format, write_workbook
from kk_helpers.core.formatting import currency_symbol
from kk_helpers.core.i18n import label, t
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.metrics.customer_table import build_customer_table
from kk_helpers.stages.figure_text import figure_label
from kk_helpers.stages.levers.questionnaire_write import write_questionnaire
from kk_helpers.stages.status_quo.export import customer_sheet
from kk_helpers.stages.target.tables import label as target_label

#: a text that a reader takes for a number: "2.500", "53.900.442 €", "50 %", "0,32",
#: "1,0–2,0", "105 € (empfohlen)", "€1,234"
NUMBER_LIKE = re.compile(
    r"^\s*[+\-−]?\s*[€$]?\s*\d[\d.,'  ]*\s*(?:%|€|EUR|Pp\.?|pp)?"
    r"(?:\s*[–-]\s*\d[\d.,]*\s*(?:%|€)?)?\s*(?:\(.*\))?\s*$"
)
#: unit, direction and source codes that must not reach a German file
CODES = {"share", "points", "lower", "higher", "data", "config", "money", "number"}


@pytest.fixture(
    scope="module", params=[("sample", "de"), ("minimal", "en")], ids=lambda p: "-".join(p)
)
def report(request, tmp_path_factory):
    kind, lang = request.param
    root = tmp_path_factory.mktemp(f"excel-{kind}-{lang}")
    client = sample_client_dir() if kind == "sample" else nbrun.make_minimal_client(root / "c")
    result = run_client(client, out_root=root / "reports", lang=lang)
    assert result.status == "ok", result.error
    books = {p.name: openpyxl.load_workbook(p) for p in sorted(result.output_dir.glob("*.xlsx"))}
    assert {"status_quo.xlsx", "screening.xlsx", "measures_plan.xlsx"} <= set(books)
    return kind, lang, books, result.output_dir, result.currency


def _visible(books):
    for name, wb in books.items():
        for ws in wb.worksheets:
            if ws.sheet_state == "visible":
                yield name, ws


def _column(ws, header: str) -> list:
    """The cells below the header ``header`` (row 1) of a sheet."""
    headers = [c.value for c in ws[1]]
    assert header in headers, (ws.title, header, headers)
    j = headers.index(header) + 1
    return [row[0] for row in ws.iter_rows(min_row=2, min_col=j, max_col=j)]


def _row_by_first(ws, first: str) -> list:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == first:
            return list(row)
    raise AssertionError(f"{ws.title}: no row {first!r}")


def test_number_pattern_catches_what_the_issue_saw():
    for text in ("2.500", "53.900.442 €", "50 %", "0,32", "1,0–2,0", "105 € (empfohlen)", "6"):
        assert NUMBER_LIKE.match(text), text
    for text in ("Außendienst (3,9)", "F26", "Zeile 39", "01_karin_vogel.xlsx", "A", "C, D"):
        assert not NUMBER_LIKE.match(text), text


def test_no_text_cell_looks_like_a_number(report):
    _, _, books, _, _ = report
    bad = []
    for name, ws in _visible(books):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                v = cell.value
                if isinstance(v, str) and cell.number_format != "@" and NUMBER_LIKE.match(v):
                    bad.append(f"{name}/{ws.title}!{cell.coordinate} = {v!r}")
    assert not bad, "\n".join(bad[:20])


def test_print_setup_on_every_sheet(report):
    _, _, books, _, _ = report
    for name, ws in _visible(books):
        where = f"{name}/{ws.title}"
        assert ws.page_setup.orientation == "landscape", where
        assert int(ws.page_setup.paperSize) == 9, where  # A4
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0, where
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        assert ws.print_title_rows == "$1:$1", where
        assert ws.freeze_panes, where
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(6 <= w <= 60 for w in widths), (where, widths)


def test_number_formats_of_named_columns(report):
    kind, lang, books, _, currency = report
    money = number_format("money", lang=lang, currency=currency)
    pct = number_format("pct", lang=lang)
    sq = books["status_quo.xlsx"]
    customers = sq[t("screen.sheet.customers", lang)]
    first_year, last_year = YEARS_OF[kind][0], YEARS_OF[kind][-1]
    expect = {
        label(f"revenue_{first_year}", lang): money,
        label(C.TREND, lang): pct,
        label(C.ORDERS_TOTAL, lang): "#,##0",
        label(f"cm3_{last_year}", lang): money,
        label("cm1_trend", lang): pct,
        label(C.CUSTOMER_ID, lang): "@",
    }
    for header, fmt in expect.items():
        cells = _column(customers, header)
        assert {c.number_format for c in cells[:50]} == {fmt}, header
    ids = _column(customers, label(C.CUSTOMER_ID, lang))
    assert all(isinstance(c.value, str) for c in ids[:50])  # ids stay text (leading zeros)
    profile = sq[t("sq.sheet.class_profile", lang)]
    assert _column(profile, label("customers_share", lang))[0].number_format == pct
    assert _column(profile, label("customers", lang))[0].number_format == "#,##0"
    assert _column(profile, label("revenue", lang))[0].number_format == money
    plan = books["measures_plan.xlsx"][t("measure.sheet.plan", lang)]
    start = _column(plan, target_label("start", lang))[0]
    assert isinstance(start.value, dt.datetime) and start.number_format == number_format(
        "date", lang=lang
    )


YEARS_OF = {"sample": (2023, 2024, 2025), "minimal": (2023, 2024, 2025)}


def test_key_figures_are_numbers_with_a_unit_in_words(report):
    _, lang, books, _, currency = report
    ws = books["status_quo.xlsx"][t("sq.sheet.key_findings", lang)]
    customers = _row_by_first(ws, figure_label("customers", lang))
    assert isinstance(customers[1].value, int | float) and customers[1].number_format == "#,##0"
    assert customers[2].value == t("fig.unit.count", lang)
    units = {row[2].value for row in ws.iter_rows(min_row=2)}
    symbol = currency_symbol(currency)
    assert symbol in units and t("fig.unit.share", lang) in units
    for row in ws.iter_rows(min_row=2):
        value, unit = row[1], row[2].value
        assert value.value is None or isinstance(value.value, int | float)
        if unit == symbol:
            assert value.number_format == number_format("money", lang=lang, currency=currency)
        if unit == t("fig.unit.share", lang):
            assert value.number_format == number_format("pct", lang=lang)
            assert value.value is None or abs(value.value) < 10  # a share, not per cent


def test_assumptions_are_numbers_with_unit_and_note(report):
    kind, lang, books, _, currency = report
    ws = books["measures_plan.xlsx"][t("measure.sheet.assumptions", lang)]
    inside = _row_by_first(ws, t("scen.param.shift_to_inside", lang))
    assert inside[1].value == pytest.approx(0.5) and inside[1].number_format == number_format(
        "pct", lang=lang
    )
    assert inside[2].value == t("fig.unit.share", lang)
    mov = _row_by_first(ws, t("scen.param.minimum_order_value", lang))
    if kind == "sample":  # the recommended minimum order value, a number
        assert mov[1].value == pytest.approx(105.0)
        assert mov[1].number_format == number_format("money2", lang=lang, currency=currency)
        assert mov[3].value == t("xl.note.recommended", lang)
    else:  # no margin: no number, the reason in the note
        assert mov[1].value is None and mov[3].value == t("target.mov_not_computable", lang)
    hours = _row_by_first(ws, t("scen.param.hours_per_fte", lang))
    assert hours[1].value == 1600 and hours[2].value == t("fig.unit.hours", lang)


def test_traffic_lights_are_cell_colours_and_no_codes_in_german(report):
    kind, lang, books, _, currency = report
    if "lever_assessment.xlsx" not in books:
        pytest.skip("no questionnaires, no lever assessment workbook")
    ws = books["lever_assessment.xlsx"][t("lever.sheet.indicators", lang)]
    lights = _column(ws, label("light", lang, scopes=("lever.col",)))
    seen = set()
    for cell in lights:
        for code, colour in LIGHT_FILLS.items():
            if cell.value == t(f"lever.light.{code}", lang):
                assert cell.fill.fgColor.rgb.endswith(colour), cell.coordinate
                seen.add(code)
    assert seen >= {"green", "amber"} or seen >= {"amber", "red"}
    if lang == "de":
        words = {
            c.value for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)
        }
        assert not (words & CODES)


def test_questionnaire_printable_and_protected(tmp_path):
    lang = "de"
    wb = openpyxl.load_workbook(write_questionnaire(tmp_path / "q.xlsx", lang=lang))
    ws = wb[t("quest.sheet.questions", lang)]
    assert ws.protection.sheet and wb.security.lockStructure
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$8:$8"  # the question table's header on every page
    for ref in ("B4", "B5", "B6", "D9", "F9", "G9"):  # respondent, role, date, answers
        assert ws[ref].protection.locked is False, ref
    for ref in ("A9", "B9", "C9", "A8", "A1"):
        assert ws[ref].protection.locked is not False, ref
    assert ws["B6"].number_format == "DD.MM.YYYY"
    last = ws.max_row
    for r in range(9, last + 1):  # statements wrapped, rows tall enough for them
        text = ws.cell(r, 3).value
        lines = math.ceil(len(text) * 1.1 / 68)
        assert ws.row_dimensions[r].height >= 15 * lines, r
    intro = wb[t("quest.sheet.instructions", lang)]
    assert intro.page_setup.orientation == "landscape" and intro.protection.sheet
    sample = openpyxl.load_workbook(sample_client_dir() / "questionnaires" / "01_karin_vogel.xlsx")
    assert isinstance(sample[ws.title]["B6"].value, dt.datetime)


# --- item 8: the three-year view, hand-checked ---------------------------------------------


def test_customer_list_three_year_cm_view_by_hand(tmp_path):
    """K1 (tests/test_customer_table.py): revenue 100 | 110 | 121, CM I 30 | 33 | 37, order
    cost 40 | 5 | 50, activity cost 45 | 90 | 12.5.

    CM II = CM I - order cost = -10 | 28 | -13; CM III = CM II - activity cost =
    -55 | -62 | -25.5. Trends: revenue CAGR (121/100)^(1/2) - 1 = 0.1; CM I CAGR
    (37/30)^(1/2) - 1 = 0.11056; CM II starts negative -> least-squares slope -1.5 per
    year over the mean 5/3 = -0.9; CM III mean < 0 -> no trend (empty cell)."""
    ct = build_customer_table(_customers(), _transactions(), _activities(), config=_config())
    ct = ct.set_index(C.CUSTOMER_ID)
    sq = SimpleNamespace(customers=ct, years=YEARS)
    sheet, missing = customer_sheet(sq, "en")
    assert missing == []
    path = write_workbook(tmp_path / "c.xlsx", {"c": sheet}, lang="en")
    ws = openpyxl.load_workbook(path)["c"]
    k1 = {h.value: c.value for h, c in zip(ws[1], _row_by_first(ws, "K1"), strict=True)}
    got = {
        m: [k1[label(f"{m}_{y}", "en")] for y in YEARS] for m in ("revenue", "cm1", "cm2", "cm3")
    }
    assert got["revenue"] == pytest.approx([100.0, 110.0, 121.0])
    assert got["cm1"] == pytest.approx([30.0, 33.0, 37.0])
    assert got["cm2"] == pytest.approx([-10.0, 28.0, -13.0])
    assert got["cm3"] == pytest.approx([-55.0, -62.0, -25.5])
    assert k1[label("trend", "en")] == pytest.approx(0.1)
    assert k1[label("cm1_trend", "en")] == pytest.approx((37 / 30) ** 0.5 - 1)
    assert k1[label("cm2_trend", "en")] == pytest.approx(-0.9)
    assert k1[label("cm3_trend", "en")] is None


def test_customer_lists_hold_cm_per_year_or_say_why_not(report):
    kind, lang, books, _, currency = report
    sq = books["status_quo.xlsx"]
    ws = sq[t("screen.sheet.customers", lang)]
    headers = [c.value for c in ws[1]]
    for m in ("revenue", "cm1", "cm2", "cm3"):
        for y in YEARS_OF[kind]:
            assert label(f"{m}_{y}", lang) in headers, (m, y)
    cm2 = _column(ws, label(f"cm2_{YEARS_OF[kind][-1]}", lang))
    notes = [c.value for row in sq[t("xl.sheet.notes", lang)].iter_rows(min_row=2) for c in row]
    if kind == "sample":
        assert all(isinstance(c.value, int | float) for c in cm2)
        assert any(c.value != 0 for c in cm2)
        screening = books["screening.xlsx"][t("screen.sheet.customers", lang)[:31]]
        assert label(f"cm2_{YEARS_OF[kind][-1]}", lang) in [c.value for c in screening[1]]
    else:  # no margin data: empty cells, never 0, and the reason in the notes
        assert all(c.value is None for c in cm2)
        reason = t("fig.not_available", lang, reason=t("fig.reason.no_margin", lang))
        assert notes.count(reason) == 3  # CM I, CM II, CM III


def test_sample_customer_list_matches_the_customer_table(report):
    kind, lang, books, out, _ = report
    if kind != "sample":
        pytest.skip("sample only")
    from kk_helpers.stages.prepare import prepare_client

    prep = prepare_client(sample_client_dir(), out, lang=lang)  # the run's cache
    ct = prep.customer_table.set_index(C.CUSTOMER_ID)
    ws = books["status_quo.xlsx"][t("screen.sheet.customers", lang)]
    headers = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    cid = row[0]
    for y in YEARS_OF[kind]:
        assert row[headers.index(label(f"cm1_{y}", lang))] == pytest.approx(
            ct.loc[cid, f"margin_{y}"]
        )
        assert row[headers.index(label(f"cm2_{y}", lang))] == pytest.approx(ct.loc[cid, f"cm2_{y}"])
        cm2_sum = sum(ct.loc[cid, f"cm2_{y}"] for y in YEARS_OF[kind])
    assert cm2_sum == pytest.approx(ct.loc[cid, C.CM2])
