"""Every figure of the four notebooks lays out its text: no overlaps, nothing leaves the
figure, no tick label broken inside a word (sample and minimal client, de and en).

The figures are drawn as the notebooks draw them (same calls, same ``plt.subplots``), from
the stage results computed once per client and language. A static test makes sure every
plot function the notebooks call is drawn here, so a new chart cannot slip through.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from kk_helpers.core.paths import notebooks_dir, sample_client_dir  # noqa: E402
from kk_helpers.present import plots  # noqa: E402
from kk_helpers.present.plots.layout import (  # noqa: E402
    broken_word,
    layout_problems,
    number_format_problems,
    wrap_label,
)
from tests.nbrun import make_minimal_client  # noqa: E402

NOTEBOOKS = (
    "01_status_quo",
    "02_customer_screening",
    "03_lever_assessment",
    "04_target_picture",
)

Builder = Callable[[], object]


def _stages(config: Path, out: Path, lang: str) -> dict[str, object]:
    """The results the notebooks plot, computed as the notebooks compute them."""
    from kk_helpers.stages.levers import tables as lever_tables
    from kk_helpers.stages.levers.assessment import assess_levers
    from kk_helpers.stages.prepare import prepare_client
    from kk_helpers.stages.screening import analysis as scr
    from kk_helpers.stages.screening import tables as scr_tab
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo
    from kk_helpers.stages.target import analysis as tpic
    from kk_helpers.stages.target import findings as tpf

    prep = prepare_client(config, out, anonymize=False, lang=lang)
    inputs = scr.prepare_screening(prep.customer_table, prep.config)
    result = scr.score_customers(inputs, lang=lang)
    assessment = assess_levers(prep, lang)
    tp = tpic.build_target_picture(prep, lang)
    return {
        "prep": prep,
        "sq": analyse_status_quo(prep, lang),
        "scr": scr,
        "scr_tab": scr_tab,
        "result": result,
        "sens": scr_tab.result_sensitivity(inputs, result),
        "assessment": assessment,
        "indicators": lever_tables.indicator_plot_frame(assessment),
        "tp": tp,
        "before_after": tpf.before_after_metrics(tp),
    }


def figure_builders(s: dict, lang: str) -> dict[str, tuple[tuple[str, ...], Builder]]:
    """Name -> (plot functions used, function drawing the figure) for every figure the
    notebooks show with these results (the notebooks' conditions included)."""
    prep, sq, result, tp = s["prep"], s["sq"], s["result"], s["tp"]
    scr, scr_tab, assessment = s["scr"], s["scr_tab"], s["assessment"]
    currency = prep.config.client.currency
    out: dict[str, tuple[tuple[str, ...], Builder]] = {}

    def add(name: str, used: tuple[str, ...], build: Builder) -> None:
        out[name] = (used, build)

    # --- 01 status quo
    add("01 structure", ("structure_figure",), lambda: plots.structure_figure(sq, lang=lang))
    add("01 flow", ("plot_customer_flow",), lambda: plots.plot_customer_flow(sq.flow, lang=lang))

    def concentration():
        fig, axes = plt.subplots(1, 2, figsize=(13, 5))
        plots.plot_pareto(sq.pareto, ax=axes[0], lang=lang)
        plots.plot_lorenz(sq.lorenz, gini=sq.gini, ax=axes[1], lang=lang)

    add("01 concentration", ("plot_pareto", "plot_lorenz"), concentration)
    add(
        "01 profile",
        ("plot_class_profile",),
        lambda: plots.plot_class_profile(sq.profile, lang=lang),
    )
    add(
        "01 abc_xyz",
        ("plot_matrix",),
        lambda: plots.plot_matrix(sq.abc_xyz, lang=lang, title_key="plot.matrix.abc_xyz"),
    )
    if sq.has_margin:
        add("01 whale", ("plot_whale",), lambda: plots.plot_whale(sq.whale, lang=lang))
    add(
        "01 order sizes",
        ("plot_order_sizes",),
        lambda: plots.plot_order_sizes(
            sq.order_sizes,
            lang=lang,
            currency=currency,
            thresholds=prep.config.orders.value_thresholds,
            break_even=sq.break_even,
        ),
    )
    if sq.has_channel:

        def channels():
            fig, axes = plt.subplots(1, 2, figsize=(13, 4))
            plots.plot_channel_mix(
                sq.channel_orders, ax=axes[0], lang=lang, value_label_key="metric.orders_share"
            )
            plots.plot_channel_mix(
                sq.channel_revenue, ax=axes[1], lang=lang, value_label_key="metric.revenue_share"
            )

        add("01 channels", ("plot_channel_mix",), channels)
    add(
        "01 yearly revenue",
        ("plot_yearly_by_class",),
        lambda: plots.plot_yearly_by_class(
            sq.yearly, value="revenue", lang=lang, currency=currency
        ),
    )
    add(
        "01 yearly customers",
        ("plot_yearly_by_class",),
        lambda: plots.plot_yearly_by_class(sq.yearly, value="customers", lang=lang),
    )
    add(
        "01 migration",
        ("plot_matrix",),
        lambda: plots.plot_matrix(sq.migration, lang=lang, title_key="plot.matrix.migration"),
    )

    # --- 02 screening
    add(
        "02 weights",
        ("plot_bars",),
        lambda: plots.plot_bars(
            scr_tab.labelled(result.criteria["weight_share"], lang),
            lang=lang,
            pct=True,
            title="screen.plot.weights.title",
        ),
    )
    add(
        "02 scores",
        ("plot_score_distribution",),
        lambda: plots.plot_score_distribution(result.table, lang=lang),
    )
    add("02 capacity", ("plot_capacity",), lambda: plots.plot_capacity(result.capacity, lang=lang))
    if scr.portfolio_available(result):
        add(
            "02 portfolio",
            ("plot_portfolio",),
            lambda: plots.plot_portfolio(
                result.table,
                result.thresholds,
                position=result.settings.portfolio.position,
                lang=lang,
            ),
        )

    def comparison():
        tables = scr_tab.comparison_tables(result, lang)
        fig, axes = plt.subplots(1, len(tables), figsize=(6.5 * len(tables), 4.5), squeeze=False)
        for ax, table in zip(axes[0], tables.values(), strict=True):
            plots.plot_matrix(table, ax=ax, lang=lang)

    add("02 comparison", ("plot_matrix",), comparison)
    add(
        "02 sensitivity",
        ("plot_bars",),
        lambda: plots.plot_bars(
            scr_tab.labelled(s["sens"]["max"], lang),
            lang=lang,
            pct=True,
            title="screen.plot.sensitivity.title",
        ),
    )

    # --- 03 levers
    if assessment.has_responses:
        add(
            "03 radar",
            ("plot_lever_radar",),
            lambda: plots.plot_lever_radar(assessment.levers, lang=lang),
        )

        def priority():
            fig, axes = plt.subplots(1, 2, figsize=(15, 5.5))
            plots.plot_lever_priority(assessment.levers, ax=axes[0], lang=lang)
            plots.plot_lever_bubbles(assessment.levers, ax=axes[1], lang=lang)

        add("03 priority", ("plot_lever_priority", "plot_lever_bubbles"), priority)
        add(
            "03 heatmap",
            ("plot_lever_heatmap",),
            lambda: plots.plot_lever_heatmap(assessment.matrix, lang=lang),
        )
    add(
        "03 indicators",
        ("plot_indicator_lights",),
        lambda: plots.plot_indicator_lights(s["indicators"], lang=lang),
    )

    # --- 04 target picture
    add(
        "04 waterfall",
        ("plot_waterfall",),
        lambda: plots.plot_waterfall(tp.waterfall, lang=lang, currency=tp.currency),
    )
    money_metric, count_metric = s["before_after"]

    def before_after():
        fig, axes = plt.subplots(1, 2, figsize=(15, 4.8))
        plots.plot_before_after(
            tp.before_after, money_metric, ax=axes[0], lang=lang, currency=tp.currency
        )
        plots.plot_before_after(tp.before_after, count_metric, ax=axes[1], lang=lang, currency=None)

    add("04 before_after", ("plot_before_after",), before_after)
    add(
        "04 tornado",
        ("plot_tornado",),
        lambda: plots.plot_tornado(tp.tornado, lang=lang, currency=tp.currency),
    )
    add(
        "04 impact_effort",
        ("plot_impact_effort",),
        lambda: plots.plot_impact_effort(tp.ranked, lang=lang),
    )
    add(
        "04 roadmap",
        ("plot_roadmap",),
        lambda: plots.plot_roadmap(tp.plan, lang=lang, horizon=prep.config.target.horizon_months),
    )
    return out


def figure_problems(s: dict, lang: str) -> list[str]:
    """Draw every figure and collect the layout problems, each prefixed by the figure."""
    problems: list[str] = []
    for name, (_, build) in figure_builders(s, lang).items():
        plt.close("all")
        result = build()
        figs = [plt.figure(n) for n in plt.get_fignums()]
        assert figs or result is None, f"{name}: no figure drawn"
        for fig in figs:
            problems += [f"{name}: {p}" for p in layout_problems(fig)]
            problems += [f"{name}: {p}" for p in number_format_problems(fig, lang)]
        plt.close("all")
    return problems


# --- fixtures: stage results once per client and language ------------------------------


@pytest.fixture(scope="module")
def minimal_client(tmp_path_factory) -> Path:
    return make_minimal_client(tmp_path_factory.mktemp("minimal_client"))


CASES = [("sample", "de"), ("sample", "en"), ("minimal", "de"), ("minimal", "en")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{c}-{lang}" for c, lang in CASES])
def stage_results(request, tmp_path_factory, minimal_client):
    client, lang = request.param
    folder = sample_client_dir() if client == "sample" else minimal_client
    out = tmp_path_factory.mktemp(f"out_{client}_{lang}")
    return _stages(folder / "client.yml", out, lang), lang, client


def test_every_figure_lays_out_its_text(stage_results):
    results, lang, _ = stage_results
    problems = figure_problems(results, lang)
    assert not problems, "\n".join(problems)


# --- static: every chart the notebooks draw is drawn above --------------------------------


def _notebook_plot_calls() -> dict[str, set[str]]:
    """Plot functions (``plots.<name>(``) called in each notebook's code cells."""
    calls: dict[str, set[str]] = {}
    for name in NOTEBOOKS:
        nb = json.loads((notebooks_dir() / f"{name}.ipynb").read_text(encoding="utf-8"))
        found: set[str] = set()
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            tree = ast.parse(source)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "plots"
                ):
                    found.add(node.func.attr)
        calls[name] = found - {"set_style"}
    return calls


def test_every_notebook_chart_is_checked(stage_results):
    results, lang, client = stage_results
    if client != "sample":
        pytest.skip("the minimal client has no data for some charts (margin, channels, ...)")
    calls = _notebook_plot_calls()
    assert all(calls.values()), calls
    covered = {f for used, _ in figure_builders(results, lang).values() for f in used}
    for notebook, names in calls.items():
        assert names <= covered, f"{notebook}: charts not in the layout test: {names - covered}"


def test_notebook_calls_are_found():
    calls = _notebook_plot_calls()
    assert "plot_waterfall" in calls["04_target_picture"]
    assert "plot_matrix" in calls["02_customer_screening"]


# --- the check itself ---------------------------------------------------------------


def test_check_reports_overlap_leaving_and_broken_word():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.5, 0.5, "first text", transform=ax.transAxes)
    ax.text(0.52, 0.5, "second text", transform=ax.transAxes)
    ax.text(1.3, 0.5, "outside", transform=ax.transAxes)
    ax.set_xticks([0.2, 0.8], ["Kanalverlageru\nng", "Minimum order\nvalue"])
    problems = layout_problems(fig)
    plt.close(fig)
    assert any("'first text' and 'second text' overlap" in p for p in problems), problems
    assert any("'outside' leaves the figure" in p for p in problems), problems
    assert any("Kanalverlageru|ng" in p for p in problems), problems
    assert not any("Minimum" in p and "breaks" in p for p in problems), problems


def test_check_passes_a_clean_figure():
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.bar([0, 1], [1, 2])
    ax.set_xticks([0, 1], [wrap_label("Mindestbestellwert einführen", 12), "Händler-\nübergabe"])
    ax.set_title("Title")
    ax.set_ylabel("Value")
    assert layout_problems(fig) == []
    plt.close(fig)


def test_rotated_neighbours_do_not_count_as_overlap():
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    ax.set_xticks(range(8), [f"Label number {i}" for i in range(8)], rotation=30, ha="right")
    assert layout_problems(fig) == []
    plt.close(fig)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Kanalverlagerung", 8, "Kanalverlagerung"),
        ("Mindestbestellwert einführen", 14, "Mindestbestellwert\neinführen"),
        ("Händler-übergabe", 10, "Händler-\nübergabe"),
        ("Channel shift to webshop", 10, "Channel\nshift to\nwebshop"),
    ],
)
def test_wrap_label_breaks_between_words(text, width, expected):
    wrapped = wrap_label(text, width)
    assert wrapped == expected
    assert broken_word(wrapped) is None
    assert re.sub(r"-\n", "-", wrapped).replace("\n", " ") == text
