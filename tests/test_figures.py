"""The registry of headline figures: definitions, hand-computed values, not-available reasons."""

from __future__ import annotations

import json

import pytest

from kk_helpers.core.i18n import translations
from kk_helpers.metrics.figures import REGISTRY, UNITS, Figure, HeadlineFigures
from kk_helpers.stages.figure_text import definitions_frame, figures_frame, format_figure
from kk_helpers.stages.figures import FIGURES_FILE, load_figures
from kk_helpers.stages.prepare import prepare_client


def test_every_figure_has_unit_basis_and_texts_in_both_languages():
    table = translations()
    codes = [d.code for d in REGISTRY]
    assert len(codes) == len(set(codes))
    for d in REGISTRY:
        assert d.unit in UNITS
        for key in (f"fig.{d.code}.label", f"fig.{d.code}.definition", f"fig.{d.code}.formula",
                    f"fig.basis.{d.basis}", f"fig.stage.{d.stage}"):  # fmt: skip
            assert set(table[key]) == {"de", "en"}, key


def test_labels_are_unique_so_two_notions_never_share_one():
    for lang in ("de", "en"):
        labels = [translations()[f"fig.{d.code}.label"][lang] for d in REGISTRY]
        assert len(labels) == len(set(labels)), lang


def test_figure_not_available_is_never_zero():
    f = Figure.of("break_even_order_value", float("nan"), "no_cost_rates")
    assert not f.available and f.value is None and f.reason == "no_cost_rates"
    assert format_figure(f, "de") == ("nicht verfügbar (keine Kostensätze je Auftrag angegeben)")
    assert HeadlineFigures([f]).value("break_even_order_value") != 0
    with pytest.raises(KeyError):
        Figure.of("no_such_figure", 1.0)


def test_round_trip_through_json():
    figs = HeadlineFigures([Figure.of("gini", 0.25), Figure.missing("whale_peak", "no_margin")])
    back = HeadlineFigures.from_dict(json.loads(json.dumps(figs.to_dict())))
    assert back["gini"].value == 0.25 and back["whale_peak"].reason == "no_margin"
    assert list(back) == ["gini", "whale_peak"]  # registry order


def test_status_quo_figures_by_hand(make_client, tmp_path):
    # conftest's client: revenue 00123 = 1,334.50 (2024+2025), 00456 = 750.00, 789 = 75.50
    # (2024 only: inactive in the last year 2025 -> D); total 2,160.00
    prep = prepare_client(make_client(), tmp_path / "out")
    f = prep.figures
    total = 1334.5 + 750.0 + 75.5
    assert f.value("customers") == 3
    assert f.value("revenue_total") == pytest.approx(total)
    assert f.value("top20_revenue_share") == pytest.approx(1334.5 / total)  # ceil(0.2*3) = 1
    assert f.value("customers_for_80pct_revenue") == pytest.approx(2 / 3)
    # Gini: x ascending 75.5, 750, 1334.5: 2*(1*75.5 + 2*750 + 3*1334.5)/(3*2160) - 4/3
    assert f.value("gini") == pytest.approx(2 * 5579.0 / (3 * total) - 4 / 3)
    shares = [1334.5 / total, 750 / total, 75.5 / total]
    assert f.value("hhi") == pytest.approx(sum(s * s for s in shares))
    # revenue ABC/D: 00123 A, 00456 A (61.8 % before it), 789 D (inactive in 2025)
    assert f.value("abc_small_customer_share") == pytest.approx(1 / 3)
    assert f.value("abc_small_revenue_share") == pytest.approx(75.5 / total)
    # margins known (revenue - cost), no cost rates: CM III = CM I, nobody unprofitable
    assert f.value("unprofitable_customer_share") == 0.0
    assert f.value("whale_peak") == pytest.approx(1.0)
    assert f["break_even_order_value"].reason == "no_cost_rates"
    assert not f["cost_per_order"].available
    # the recommended minimum order value is "not available", never "0 € (break-even 0 €)"
    assert f["recommended_minimum_order_value"].reason == "no_cost_rates"
    # stage 2 on three customers: priority classes by score shares, one service level each
    levels = [f.value(c) for c in ("strategic_customers", "sales_customers", "service_customers")]
    assert sum(levels) == 3
    # the same figures are cached next to the prepared data
    assert load_figures(tmp_path / "out" / "cache")["gini"] == f["gini"]
    assert (tmp_path / "out" / "cache" / FIGURES_FILE).is_file()


def test_unprofitable_share_without_margin_data_is_not_available(make_client, tmp_path):
    no_cost = {"files": {"transactions": {"columns": {"cost": None}}}}
    prep = prepare_client(make_client(config=no_cost), tmp_path / "out")
    for code in ("unprofitable_customer_share", "whale_peak", "break_even_order_value"):
        assert prep.figures[code].reason == "no_margin", code
    text = figures_frame(prep.figures, "en", "EUR", codes=["unprofitable_customer_share"])
    assert text.iloc[0, 1] == "not available (no contribution margin (margin or cost) in the data)"


def test_break_even_by_hand_with_cost_rates(make_client, tmp_path):
    # last year 2025: orders 00123 100.00 (cost 60) and 00456 250.00 (cost 100), both web;
    # 10 € per web order: cost per order 10, margin (40 + 150) / 350, break-even 10 / that
    rates = {"cost_rates": {"order_processing": {"webshop": 10.0, "default": 10.0}}}
    prep = prepare_client(make_client(config=rates), tmp_path / "out")
    f = prep.figures
    assert f.value("cost_per_order") == pytest.approx(10.0)
    assert f.value("margin_pct") == pytest.approx(190 / 350)
    assert f.value("break_even_order_value") == pytest.approx(10.0 / (190 / 350))


def test_definitions_frame_lists_every_figure_with_the_client_value():
    figs = HeadlineFigures([Figure.of("gini", 0.4321)])
    frame = definitions_frame(figs, "de", "EUR")
    assert len(frame) == len(REGISTRY)
    row = frame.set_index("figure").loc["Gini-Koeffizient des Umsatzes"]
    assert row["value"] == "0,43"
    assert row["formula"].startswith("G = 2")
    missing = frame.set_index("figure").loc["Break-even-Auftragswert", "value"]
    assert missing.startswith("nicht verfügbar")


def test_smart_accounts_are_not_available_without_potential_data():
    import pandas as pd

    from kk_helpers.stages.figures import screening_figures

    table = pd.DataFrame({"priority_class": ["A", "C", "D"], "revenue_total": [100.0, 10.0, 5.0],
                          "smart_account": [False, False, False], "potential": [float("nan")] * 3})  # fmt: skip
    figs = {f.code: f for f in screening_figures(table)}
    assert not figs["smart_accounts"].available and figs["smart_accounts"].reason == "no_potential"
    table["potential"] = [500.0, float("nan"), 50.0]
    table["smart_account"] = [False, True, False]
    figs = {f.code: f for f in screening_figures(table)}
    assert figs["smart_accounts"].value == 1
