"""The client deck (``deck.pptx``): slides, takeaways from the registry, charts and tables.

Built on the sample (de, en) and on the minimal client (no margin, channel or activities);
each file is opened again with python-pptx and read like a consultant would.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from kk_helpers.core.paths import sample_client_dir
from kk_helpers.metrics.figures import Figure, HeadlineFigures
from kk_helpers.present import deck
from kk_helpers.stages.figure_text import figure_text
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.target.analysis import build_target_picture
from tests import nbrun

DATE = dt.date(2026, 11, 29)


def _build(client_yml, out, lang):
    prep = prepare_client(str(client_yml), str(out), lang=lang)
    tp = build_target_picture(prep, lang)
    path = deck.write_deck(prep, tp, out, date=DATE)
    return prep, tp, Presentation(str(path))


@pytest.fixture(scope="module", params=["de", "en"])
def sample_deck(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"deck_{request.param}")
    return (request.param, *_build(sample_client_dir() / "client.yml", out, request.param))


@pytest.fixture(scope="module")
def minimal_deck(tmp_path_factory):
    client = nbrun.make_minimal_client(tmp_path_factory.mktemp("minimal") / "client")
    return _build(client / "client.yml", tmp_path_factory.mktemp("deck_min"), "de")


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _kinds(slide) -> list:
    return [s.shape_type for s in slide.shapes]


def _table_cells(slide) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in s.table.rows]
            for s in slide.shapes if s.has_table]  # fmt: skip


def test_sample_deck_has_the_ten_slides_with_takeaways_from_the_registry(sample_deck):
    lang, prep, tp, prs = sample_deck
    slides = list(prs.slides)
    assert len(slides) == 10
    headlines = [_texts(s)[0] for s in slides]
    f = tp.figures

    def val(code):
        return figure_text(f, code, lang, currency=tp.currency)

    if lang == "de":
        assert headlines[0] == "Kleinkundenmanagement: Ergebnisse der Analyse"
        assert (
            headlines[2]
            == f"Die umsatzstärksten 20 % der Kunden bringen {val('top20_revenue_share')} des Umsatzes"
        )
        # the sample's revenue classes C/D, as in the closing note of the figures issue
        assert headlines[4] == "61,5 % der Kunden (Umsatzklassen C/D) bringen 5,8 % des Umsatzes"
        assert (
            headlines[5]
            == f"Die Maßnahmen verändern das Ergebnis (DB III) um {val('profit_effect')} pro Jahr"
        )
        assert "1.006.828 €" in headlines[5]
        assert (
            headlines[6]
            == "Das Ziel-Betreuungsmodell setzt 6,3 VZÄ Vertriebskapazität frei (netto)"
        )
        assert _texts(slides[0])[2] == "Stand: 29.11.2026"
    else:
        assert headlines[0] == "Small-customer management: results of the assessment"
        assert headlines[4] == "61.5% of customers (revenue classes C/D) bring 5.8% of revenue"
        assert "€1,006,828" in headlines[5]
        assert _texts(slides[0])[2] == "As of 29 Nov 2026"
    assert _texts(slides[0])[1] == prep.config.client.name
    assert val("whale_peak") in headlines[3]


def test_chart_slides_hold_a_picture_and_table_slides_real_tables(sample_deck):
    _, _, _, prs = sample_deck
    slides = list(prs.slides)
    for i in (2, 3, 4, 5, 8):  # concentration, whale, class profile, result bridge, roadmap
        pics = [s for s in slides[i].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pics) == 1, i
        assert pics[0].width > pics[0].height  # a landscape chart, scaled to the slide
        assert pics[0].left + pics[0].width <= prs.slide_width
        assert pics[0].top + pics[0].height <= prs.slide_height
        assert pics[0].image.dpi[0] >= 150 or pics[0].image.size[0] >= 1500
    for i in (1, 6, 7, 9):  # key figures, care model, quick wins, appendix
        assert MSO_SHAPE_TYPE.TABLE in _kinds(slides[i]), i


def test_tables_carry_the_reports_formatted_numbers(sample_deck):
    lang, prep, tp, prs = sample_deck
    slides = list(prs.slides)
    (key,) = _table_cells(slides[1])
    values = {row[0]: row[1] for row in key[1:]}
    from kk_helpers.stages.figure_text import figure_label

    for code in ("abc_small_customer_share", "break_even_order_value", "fte_freed"):
        assert values[figure_label(code, lang)] == figure_text(tp.figures, code, lang)
    care = _table_cells(slides[6])[0]
    assert [r[0] for r in care[1:]] == ["A", "B", "C", "D"]
    money = re.compile(
        r"^\d{1,3}(\.\d{3})*(,\d+)?[ \xa0]€$" if lang == "de" else r"^€\d{1,3}(,\d{3})*(\.\d+)?$"
    )
    assert any(money.match(c) for row in key[1:] for c in row)  # e.g. the break-even "83 €"
    assert len(care[0]) == len(deck.CARE_SLIDE_COLUMNS)  # the costs stay in the report
    # no English decimal in a German table, no German one in an English table
    wrong = re.compile(r"\b\d+\.\d{1,2}\b(?!\.)" if lang == "de" else r"\b\d+,\d{1,2}\b(?!,)")
    for slide in slides:
        for table in _table_cells(slide):
            for row in table:
                for cell in row:
                    assert not wrong.search(cell), cell
    quick = _table_cells(slides[7])[0]
    assert len(quick) - 1 == int(tp.plan["quick_win"].sum())
    basis, definitions = _table_cells(slides[9])
    assert len(basis) > 5 and len(definitions) > 5


def test_minimal_client_deck_drops_the_whale_and_never_states_a_missing_number(minimal_deck):
    prep, tp, prs = minimal_deck
    slides = list(prs.slides)
    assert len(slides) == 9  # no margin: no whale curve
    headlines = [_texts(s)[0] for s in slides]
    assert "Walkurve" not in " ".join(headlines)
    for h in headlines:
        assert "nicht verfügbar" not in h
    # without margin data the profit effect is at most an upper bound (the surcharge
    # revenue, the lost orders' margin unknown; the minimal client: 56,736 £): the neutral
    # title, no "Die Maßnahmen verändern das Ergebnis (DB III) um 56.736 £ pro Jahr"
    assert headlines[4] == "Ergebnisbrücke der Szenarien (DB III)"
    # the appendix's data basis: no activity file is "–" like the missing CM I, not 0
    basis = dict(row[:2] for row in _table_cells(slides[-1])[0][1:])
    assert basis["Vertriebs- und Serviceaktivitäten"] == "–"
    assert basis["Deckungsbeitrag I (Zeitraum)"] == "–"


def test_takeaway_falls_back_to_the_neutral_title():
    figs = HeadlineFigures([Figure.missing("profit_effect", "no_margin")])
    assert (
        deck.takeaway("bridge", figs, ["profit_effect"], "en")
        == "Result bridge of the scenarios (CM III)"
    )
    figs = HeadlineFigures([Figure.of("profit_effect", 1234.4)])
    assert deck.takeaway("bridge", figs, ["profit_effect"], "de") == (
        "Die Maßnahmen verändern das Ergebnis (DB III) um 1.234 € pro Jahr"
    )
