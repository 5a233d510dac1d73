"""The intermediates computed once in prepare (stages/intermediates.py): the cached frames
equal what the metric functions give on the lines, and the stages read no line."""

from __future__ import annotations

import pandas as pd
import pytest

from kk_helpers.core import columns as C
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.metrics.classes import index_by_customer, monthly_revenue
from kk_helpers.metrics.orders import last_year_orders, order_table
from kk_helpers.stages.intermediates import LAZY_FRAMES, data_facts
from kk_helpers.stages.levers.indicators import line_facts
from kk_helpers.stages.prepare import prepare_client


@pytest.fixture(scope="module")
def preps(tmp_path_factory):
    out = tmp_path_factory.mktemp("inter")
    fresh = prepare_client(sample_client_dir(), out, lang="en")
    cached = prepare_client(sample_client_dir(), out, lang="en")
    return fresh, cached


def test_cached_intermediates_equal_the_metric_functions(preps):
    fresh, cached = preps
    assert not fresh.from_cache and cached.from_cache
    assert not any(cached.lazy[n].loaded for n in LAZY_FRAMES)  # nothing read yet
    tx, cfg = cached.transactions, cached.config
    ct = index_by_customer(cached.customer_table)
    pd.testing.assert_frame_equal(cached.orders, order_table(tx))
    pd.testing.assert_frame_equal(cached.orders, fresh.orders)
    last = last_year_orders(order_table(tx), cfg.last_year)
    pd.testing.assert_frame_equal(cached.orders_last_year, last)
    want = cached.orders[cached.orders[C.YEAR] == cfg.last_year]
    assert len(last) == int((want[C.VALUE] > 0).sum()) > 0
    months = monthly_revenue(tx, cfg.analysis.years, customer_ids=ct.index)
    pd.testing.assert_frame_equal(cached.monthly_revenue, months, check_index_type=False)
    facts, flags = line_facts(tx, last, cached.activities, config=cfg)
    got, got_flags = cached.lever_facts
    pd.testing.assert_frame_equal(got, facts, check_index_type=False)
    assert got_flags == flags
    pd.testing.assert_frame_equal(cached.scenario_activity, fresh.scenario_activity,
                                  check_index_type=False)  # fmt: skip
    assert cached.facts == fresh.facts
    assert {k: cached.facts[k] for k in ("lines", "activities", "filled")} == data_facts(
        tx, cached.activities
    )
    assert cached.facts["lines"] == len(tx) > 0


def test_one_order_definition_everywhere(preps):
    """The customer table, the order table and last year's orders count the same orders."""
    prep, _ = preps
    orders, ct, cfg = prep.orders, prep.customer_table, prep.config
    for year in cfg.analysis.years:
        in_year = orders[orders[C.YEAR] == year]
        assert int(ct[f"orders_{year}"].sum()) == len(in_year) > 0
    assert int(ct["orders_total"].sum()) == len(orders)
    per_customer = orders.groupby(C.CUSTOMER_ID, observed=True).size()
    got = ct.set_index(C.CUSTOMER_ID)["orders_total"]
    assert got[got > 0].sort_index().to_dict() == per_customer.sort_index().to_dict()
    last = orders[(orders[C.YEAR] == cfg.last_year) & (orders[C.VALUE] > 0)]
    assert len(prep.orders_last_year) == len(last)
    assert prep.orders_last_year[C.VALUE].sum() == pytest.approx(last[C.VALUE].sum())


def test_stages_on_a_cached_client_read_no_line(preps):
    from kk_helpers.stages.levers.assessment import assess_levers
    from kk_helpers.stages.status_quo import tables as sq_tables
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo
    from kk_helpers.stages.target.analysis import build_target_picture

    fresh, _ = preps
    prep = prepare_client(sample_client_dir(), fresh.output_dir, lang="en")
    assert prep.from_cache
    sq = analyse_status_quo(prep, "en")
    basis = sq_tables.data_basis(prep, "en")
    notes = sq_tables.missing_data_notes(prep, "en")
    levers = assess_levers(prep, "en")
    tp = build_target_picture(prep, "en", with_tornado=False)
    assert not prep.lazy["transactions"].loaded and not prep.lazy["activities"].loaded
    # and the same results as on the freshly built client (lines in memory)
    sq_fresh = analyse_status_quo(fresh, "en")
    pd.testing.assert_frame_equal(sq.xyz, sq_fresh.xyz, check_index_type=False)
    pd.testing.assert_frame_equal(sq.below, sq_fresh.below)
    assert sq.order_economics == sq_fresh.order_economics
    pd.testing.assert_frame_equal(basis, sq_tables.data_basis(fresh, "en"))
    assert notes == sq_tables.missing_data_notes(fresh, "en")
    pd.testing.assert_frame_equal(levers.indicators, assess_levers(fresh, "en").indicators)
    tp_fresh = build_target_picture(fresh, "en", with_tornado=False)
    assert tp.result.profit == pytest.approx(tp_fresh.result.profit, abs=0.005)


def test_summary_and_deck_read_no_order(preps):
    """The order part of the status quo is computed on first use: the summary page and
    the deck (notebook 04) never read the order table; notebook 01's tables do."""
    from kk_helpers.present.deck import build_deck
    from kk_helpers.present.summary_page import summary_charts
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo
    from kk_helpers.stages.target.analysis import build_target_picture

    fresh, _ = preps
    prep = prepare_client(sample_client_dir(), fresh.output_dir, lang="en")
    sq = analyse_status_quo(prep, "en")
    tp = build_target_picture(prep, "en", with_tornado=False)
    assert summary_charts(prep, tp, sq=sq)
    build_deck(prep, tp, sq=sq)
    assert not prep.lazy["orders"].loaded
    assert sq.order_economics == analyse_status_quo(fresh, "en").order_economics
    assert prep.lazy["orders"].loaded


def test_lever_indicators_from_facts_equal_those_from_the_lines(preps):
    from kk_helpers.stages.levers.indicators import indicator_values

    _, prep = preps
    cfg = prep.config
    kw = {"figures": prep.figures}
    from_lines = indicator_values(
        prep.customer_table, prep.transactions, prep.activities, cfg, **kw
    )
    from_facts = indicator_values(
        prep.customer_table, None, None, cfg, facts=prep.lever_facts, **kw
    )
    assert from_lines[1] == from_facts[1]
    for key, value in from_lines[0].items():
        assert from_facts[0][key] == pytest.approx(value, nan_ok=True, rel=1e-12), key
