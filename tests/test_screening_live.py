"""The live re-scoring of a slider move (:mod:`kk_helpers.stages.screening.live`) equals the
full scoring (:func:`score_customers`) exactly: scores, classes, levels, group summaries,
capacity and the top customers, on the sample and on random weights and settings."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from kk_helpers.core import columns as C
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.metrics import scoring as S
from kk_helpers.metrics.capacity import rank_order
from kk_helpers.metrics.classes import class_order
from kk_helpers.metrics.concentration import share_basis
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.screening import analysis as SC
from kk_helpers.stages.screening import live as LIVE
from kk_helpers.stages.screening import tables as SCT
from kk_helpers.stages.screening.comparison import group_summary
from kk_helpers.stages.screening.schema import LEVELS, SERVICE_LEVEL


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("live")
    prep = prepare_client(sample_client_dir(), out / "out", lang="en")
    return SC.prepare_screening(prep.customer_table, prep.config)


def _settings(inputs, variant: str):
    s = inputs.config.screening
    if variant == "thresholds":
        return s.model_copy(
            update={"classes": s.classes.model_copy(update={"method": "thresholds"})}
        )
    if variant == "levels_by_class":
        levels = s.service_levels.model_copy(update={"method": "classes"})
        return s.model_copy(update={"service_levels": levels})
    if variant == "neutral":
        return s.model_copy(update={"missing": "neutral"})
    return s


def _with_gaps(inputs, seed: int):
    """The sample with missing criterion values and some negative revenue."""
    rng = np.random.default_rng(seed)
    norm = inputs.normalized.copy()
    norm = norm.mask(rng.random(norm.shape) < 0.15)
    base = inputs.base.copy()
    base.loc[base.index[:7], C.REVENUE_TOTAL] = -5.0
    return dataclasses.replace(inputs, normalized=norm, base=base)


def _assert_same(inputs, settings, weights):
    full = SC.score_customers(inputs, settings, weights, lang="en", explain=False)
    p = LIVE.preview(inputs, settings, weights)
    table = full.table
    assert np.array_equal(p.score, table[S.SCORE].to_numpy(), equal_nan=True)
    assert (p.class_labels() == table[SC.PRIORITY_CLASS].to_numpy(dtype=object)).all()
    levels = np.asarray(p.level_labels, dtype=object)[p.levels]
    assert (levels == table[SC.SERVICE_LEVEL].to_numpy(dtype=object)).all()
    pd.testing.assert_frame_equal(p.criteria, full.criteria.drop(columns="n_missing"))
    pd.testing.assert_frame_equal(p.class_summary, full.class_summary(), check_exact=True)
    pd.testing.assert_frame_equal(p.level_summary, full.level_summary(), check_exact=True)
    pd.testing.assert_frame_equal(p.capacity, full.capacity, check_exact=True)
    top = table.nsmallest(LIVE.TOP_ROWS, SC.RANK)
    pd.testing.assert_frame_equal(p.top, top[p.top.columns], check_exact=True)
    used = full.criteria.index[full.criteria["weight"] > 0]
    want = full.contributions.loc[top[C.CUSTOMER_ID]].loc[:, used]
    pd.testing.assert_frame_equal(p.contributions, want, check_exact=True)


@pytest.mark.parametrize("variant", ["config", "thresholds", "levels_by_class", "neutral"])
def test_preview_equals_full_scoring_on_the_sample(inputs, variant):
    _assert_same(inputs, _settings(inputs, variant), None)


@pytest.mark.parametrize("seed", range(6))
def test_preview_equals_full_scoring_on_random_weights(inputs, seed):
    rng = np.random.default_rng(seed)
    data = _with_gaps(inputs, seed) if seed % 2 else inputs
    weights = {k: float(rng.integers(0, 51)) for k in data.criteria.index}
    weights[str(rng.choice(data.criteria.index))] = 0.0
    variant = ("config", "thresholds", "levels_by_class", "neutral")[seed % 4]
    _assert_same(data, _settings(data, variant), weights)


def test_all_weights_zero_scores_nobody(inputs):
    weights = dict.fromkeys(inputs.criteria.index, 0.0)
    _assert_same(inputs, None, weights)
    assert np.isnan(LIVE.preview(inputs, weights=weights).score).all()


def test_rank_order_is_the_stable_sort():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(0, 500))
        x = rng.integers(0, int(rng.integers(1, 30)), n).astype("float64")
        x[rng.random(n) < 0.1] = np.nan
        x[rng.random(n) < 0.05] = -0.0
        want = np.argsort(np.where(np.isnan(x), np.inf, -x), kind="stable")
        assert np.array_equal(rank_order(pd.Series(x)), want)


def _group_summary_groupby(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """The group summary as pandas groupby computed it before (compensated sums)."""
    g = table.groupby(table[by].astype("str"), sort=False)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "revenue": g[C.REVENUE_TOTAL].sum(),
            "margin": g[C.MARGIN_TOTAL].sum(min_count=1) if C.MARGIN_TOTAL in table else np.nan,
            "score_mean": g[S.SCORE].mean(),
            "score_min": g[S.SCORE].min(),
            "score_max": g[S.SCORE].max(),
        }
    )
    order = list(LEVELS) if by == SERVICE_LEVEL else class_order(out.index)
    out = out.reindex(
        [k for k in order if k in out.index] + [k for k in out.index if k not in order]
    )
    out["customers"] = out["customers"].astype("int64")
    positive = share_basis(table[C.REVENUE_TOTAL]).groupby(table[by].astype("str").to_numpy()).sum()
    for col, share in (("customers", "customers_share"), ("revenue", "revenue_share"),
                       ("margin", "margin_share")):  # fmt: skip
        part = positive.reindex(out.index) if col == "revenue" else out[col]
        total = part.sum(min_count=1)
        out[share] = part / total if pd.notna(total) and total != 0 else np.nan
    return out[list(group_summary(table, by).columns)].rename_axis(by)


@pytest.mark.parametrize("margin", [True, False])
def test_group_summary_equals_the_groupby_summary(margin):
    rng = np.random.default_rng(3)
    n = 5000
    tb = pd.DataFrame(
        {
            SC.PRIORITY_CLASS: rng.choice(["A", "B", "C", "D", "x", None], n),
            SERVICE_LEVEL: rng.choice(["sales", "zz", "strategic", "yy"], n),
            S.SCORE: np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 100, n)),
            C.REVENUE_TOTAL: np.where(rng.random(n) < 0.05, np.nan, rng.normal(1e4, 2e4, n)),
            C.MARGIN_TOTAL: np.where(rng.random(n) < 0.3, np.nan, rng.normal(1e3, 1e3, n)),
        }
    )
    tb.loc[tb[SERVICE_LEVEL] == "yy", [S.SCORE, C.MARGIN_TOTAL]] = np.nan
    if not margin:
        tb = tb.drop(columns=C.MARGIN_TOTAL)
    for by in (SC.PRIORITY_CLASS, SERVICE_LEVEL):
        got, want = group_summary(tb, by), _group_summary_groupby(tb, by)
        # same groups, order, counts, min/max; sums equal up to the summation order
        pd.testing.assert_index_equal(got.index, want.index)
        pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=0)
        cols = ["customers", "customers_share", "score_min", "score_max"]
        pd.testing.assert_frame_equal(got[cols], want[cols], check_exact=True)


def _no_ids(html: str) -> str:
    return re.sub(r"T_[0-9a-f]{5}", "T_", html)


def test_widget_shows_the_full_scorings_tables(inputs):
    from kk_helpers.present.screening_widgets import screening_widgets

    ui = screening_widgets(inputs, "en", draw=False)
    ui.weight_sliders["trend"].value = 3
    ui.class_method.value = "thresholds"
    full = ui.result
    assert full.criteria.loc["trend", "weight"] == 3
    cur = SC.result_currency(full)
    for shown, frame in (
        (ui.summary_html, full.class_summary()),
        (ui.levels_html, full.level_summary()),
        (ui.capacity_html, full.capacity[["required", "available", "utilisation"]]),
    ):
        assert _no_ids(shown.value) == _no_ids(SCT.styled(frame, "en", cur).to_html())
    assert f"{len(full.table):,}" in ui.status.value
    # the top list: the best customers with their reasons, translated once from the codes
    top = full.table.nsmallest(LIVE.TOP_ROWS, SC.RANK)
    used = full.criteria.index[full.criteria["weight"] > 0]
    why = SC.why_codes(full.contributions.loc[top[C.CUSTOMER_ID]].loc[:, used])
    top = top.assign(why_up=why["why_up"].to_numpy(), why_down=why["why_down"].to_numpy())
    cols = ["rank", "name", "score", "priority_class", "service_level", "why_up", "why_down"]
    want = SCT.styled(top[cols], "en", cur, hide_index=True).to_html()
    assert _no_ids(ui.top_html.value) == _no_ids(want)
    assert SC.translate_why(why["why_up"].iloc[:1], "en").iloc[0] in ui.top_html.value
    assert "−0.0" not in ui.top_html.value  # the reasons were once translated twice


def _translate_why_pandas(codes: pd.Series, lang: str) -> pd.Series:
    """translate_why as it was written with pandas string methods (the reference)."""
    from kk_helpers.stages.screening.texts import _points_text, criterion_label

    s = codes.astype("str").fillna("").reset_index(drop=True)
    parts = s.str.split(";").explode()
    parts = parts[parts.fillna("") != ""]
    out = pd.Series("", index=s.index, dtype="str")
    if len(parts):
        pair = parts.str.split("=", n=1)
        crit = pair.str[0]
        names = crit.map({c: criterion_label(c, lang) for c in crit.unique()})
        points = pd.to_numeric(pair.str[1], errors="coerce").to_numpy(dtype="float64")
        text = names + " " + _points_text(points, lang)
        out.loc[text.index.unique()] = text.groupby(level=0, sort=False).agg(", ".join)
    return pd.Series(out.to_numpy(), index=codes.index, dtype="str", name=codes.name)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_translate_why_equals_the_pandas_version(inputs, lang):
    full = SC.score_customers(inputs, lang=lang)
    rng = np.random.default_rng(5)
    odd = ["", "trend=+5.0;;margin=-1.5", "trend", "trend=x", "margin=-0.04;", "trend=+100.0"]
    for codes in (
        full.table[SC.WHY_UP],
        full.table[SC.WHY_DOWN],
        pd.Series(rng.choice(odd, 50), index=[f"k{i}" for i in range(50)], name="why_up"),
        pd.Series([None, "trend=+1.0"], dtype="str"),
        pd.Series([], dtype="str"),
    ):
        got, want = SC.translate_why(codes, lang), _translate_why_pandas(codes, lang)
        pd.testing.assert_series_equal(got, want, check_exact=True)
