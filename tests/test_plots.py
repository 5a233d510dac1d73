"""Figures: drawn into the given Axes only, returned, labelled in the chosen language."""

from __future__ import annotations

import copy
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from kk_helpers.core import columns as C  # noqa: E402
from kk_helpers.present import plots as P  # noqa: E402

# --- small input frames, in the shapes the metrics modules produce ---------------------

PARETO = pd.DataFrame(
    {"customer_share": [0.0, 0.1, 0.2, 0.5, 1.0], "value_share": [0.0, 0.6, 0.8, 0.95, 1.0]}
)
LORENZ = pd.DataFrame(
    {"population_share": [0.0, 0.5, 0.8, 0.9, 1.0], "value_share": [0.0, 0.05, 0.2, 0.4, 1.0]}
)
WHALE = pd.DataFrame(
    {"customer_share": [0.0, 0.25, 0.5, 0.75, 1.0], "cum_profit_pct": [0.0, 150, 220, 180, 100]}
)
PROFILE = pd.DataFrame(
    {
        "customers_share": [0.1, 0.2, 0.4, 0.3],
        "revenue_share": [0.6, 0.25, 0.12, 0.03],
        "margin_share": [0.55, 0.3, 0.12, 0.03],
        "visits_share": [0.3, 0.3, 0.3, 0.1],
        "cost_to_serve_share": [0.25, 0.25, 0.35, 0.15],
    },
    index=pd.Index(list("ABCD"), name="class"),
)
MATRIX = pd.DataFrame(
    [[10, 2, 1], [3, 1200, 4], [0, 5, 6], [1, 1, 900]],
    index=pd.Index(list("ABCD"), name="class"),
    columns=pd.Index(list("XYZ"), name="xyz"),
)
MIGRATION = pd.DataFrame(
    [[5, 1, 0], [1, 7, 2], [3, 0, 0]],
    index=pd.Index(["A", "B", "new"], name="from"),
    columns=pd.Index(["A", "B", "lost"], name="to"),
)
SIZES = pd.DataFrame(
    {
        "customer_id": ["a", "a", "b", "b", "c", "c", "d", "d", "d"],
        "class": ["A", "A", "B", "B", "C", "C", "D", "D", "D"],
        "value": [2500.0, 1800.0, 900.0, 450.0, 120.0, 80.0, 40.0, 25.0, -10.0],
    }
)
MIX = pd.DataFrame(
    {
        "field_sales": [0.7, 0.4, 0.1],
        "inside_sales": [0.2, 0.3, 0.3],
        "webshop": [0.1, 0.3, 0.6],
    },
    index=pd.Index(["A", "B", "C"], name="class"),
)
LONG = pd.DataFrame(
    {
        "year": [2024, 2024, 2025, 2025],
        "class": ["A", "C", "A", "C"],
        "revenue": [2_000_000.0, 300_000.0, 2_200_000.0, 280_000.0],
        "customers": [20, 300, 21, 310],
    }
)
FLOW = pd.DataFrame(
    {
        "year": [2024, 2025],
        "active": [320, 331],
        "revenue": [2.3e6, 2.48e6],
        "new": pd.array([pd.NA, 40], dtype="Int64"),
        "lost": pd.array([pd.NA, 29], dtype="Int64"),
    }
)
SERIES = pd.Series({"Bau": 120.0, "Handel": 300.0, "Chemie": 45.0}, name="customers")
MONEY_SERIES = pd.Series({"Nord": 1.2e6, "Süd": 3.4e6}, name="revenue")

# name -> (call(ax, lang), German text, English text, money axis or None)
Call = Callable[[Axes | None, str], Axes]
CASES: dict[str, tuple[Call, str, str, str | None]] = {
    "pareto": (
        lambda ax, lang: P.plot_pareto(PARETO, ax=ax, lang=lang),
        "Pareto-Kurve (Umsatz)",
        "Pareto curve (revenue)",
        None,
    ),
    "lorenz": (
        lambda ax, lang: P.plot_lorenz(LORENZ, gini=0.7123, ax=ax, lang=lang),
        "Gleichverteilung",
        "Equal distribution",
        None,
    ),
    "whale": (
        lambda ax, lang: P.plot_whale(WHALE, ax=ax, lang=lang),
        "Walkurve: kumulierter Deckungsbeitrag III",
        "Whale curve: cumulative contribution margin III",
        None,
    ),
    "class_profile": (
        lambda ax, lang: P.plot_class_profile(PROFILE, ax=ax, lang=lang),
        "Betreuungskosten",
        "Cost-to-serve",
        None,
    ),
    "matrix": (
        lambda ax, lang: P.plot_matrix(MATRIX, ax=ax, lang=lang, title_key="plot.matrix.abc_xyz"),
        "Kunden nach ABC- und XYZ-Klasse",
        "Customers by ABC and XYZ class",
        None,
    ),
    "migration": (
        lambda ax, lang: P.plot_matrix(MIGRATION, ax=ax, lang=lang),
        "Verloren",
        "Lost",
        None,
    ),
    "order_sizes": (
        lambda ax, lang: P.plot_order_sizes(
            SIZES, ax=ax, lang=lang, thresholds=(50.0,), break_even=85.0
        ),
        "Auftragswerte nach Kundenklasse",
        "Order values by customer class",
        "x",
    ),
    "channel_mix": (
        lambda ax, lang: P.plot_channel_mix(MIX, ax=ax, lang=lang),
        "Außendienst",
        "Field sales",
        None,
    ),
    "yearly_by_class": (
        lambda ax, lang: P.plot_yearly_by_class(LONG, ax=ax, lang=lang),
        "Umsatz je Jahr nach Kundenklasse",
        "Revenue per year by customer class",
        "y",
    ),
    "bars": (
        lambda ax, lang: P.plot_bars(SERIES, ax=ax, lang=lang),
        "Kunden",
        "Customers",
        None,
    ),
    "bars_money": (
        lambda ax, lang: P.plot_bars(MONEY_SERIES, ax=ax, lang=lang, money=True),
        "Umsatz",
        "Revenue",
        "x",
    ),
    "customer_flow": (
        lambda ax, lang: P.plot_customer_flow(FLOW, ax=ax, lang=lang),
        "Neukunden",
        "New customers",
        None,
    ),
}
NAMES = sorted(CASES)


@pytest.fixture(autouse=True)
def _close_figures(monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")


def _texts(ax: Axes) -> set[str]:
    """Every text shown in ``ax``: titles, axis labels, ticks, legend, annotations."""
    ax.figure.canvas.draw()
    out = {ax.get_title(loc) for loc in ("left", "center", "right")}
    twins = [a for a in ax.figure.axes if a.bbox.bounds == ax.bbox.bounds]  # ax included
    for a in twins:
        out |= {a.get_xlabel(), a.get_ylabel()}
        out |= {tl.get_text() for tl in a.get_xticklabels() + a.get_yticklabels()}
        out |= {tx.get_text() for tx in a.texts}
    legend = ax.get_legend()
    if legend is not None:
        out |= {tx.get_text() for tx in legend.get_texts()}
    return {s for s in out if s}


def _is_empty(ax: Axes) -> bool:
    return (
        not ax.lines
        and not ax.patches
        and not ax.collections
        and not ax.texts
        and not ax.images
        and ax.get_legend() is None
        and not ax.get_title(loc="left")
        and not ax.get_title()
    )


@pytest.mark.parametrize("name", NAMES)
def test_returns_the_given_axes_and_draws_only_there(name):
    call = CASES[name][0]
    fig, (ax, other) = plt.subplots(1, 2)
    assert call(ax, "de") is ax
    assert _is_empty(other)
    # only the given Axes and its twins (a second value axis on the same place)
    extra = [a for a in fig.axes if a not in (ax, other)]
    assert all(a.bbox.bounds == ax.bbox.bounds for a in extra)
    assert ax.has_data() or ax.texts


@pytest.mark.parametrize("name", NAMES)
def test_creates_a_figure_when_no_axes_given(name):
    call = CASES[name][0]
    before = set(plt.get_fignums())
    ax = call(None, "en")
    assert isinstance(ax, Axes)
    assert len(set(plt.get_fignums()) - before) == 1
    assert ax.figure.axes[0] is ax
    assert all(a.bbox.bounds == ax.bbox.bounds for a in ax.figure.axes)


@pytest.mark.parametrize("name", NAMES)
def test_labels_follow_the_language(name):
    call, de_text, en_text, _ = CASES[name]
    de = _texts(call(None, "de"))
    en = _texts(call(None, "en"))
    assert de_text in de, de
    assert en_text in en, en
    assert en_text not in de or en_text == de_text
    assert de_text not in en or en_text == de_text


@pytest.mark.parametrize("name", [n for n in NAMES if CASES[n][3]])
def test_money_axes_use_the_money_formatter(name):
    call, _, _, which = CASES[name]
    ax = call(None, "de")
    axis = ax.xaxis if which == "x" else ax.yaxis
    formatter = axis.get_major_formatter()
    assert isinstance(formatter, FuncFormatter)
    assert formatter(1_000_000, 0) == "1,0 Mio. €"
    ax_en = call(None, "en")
    axis_en = ax_en.xaxis if which == "x" else ax_en.yaxis
    assert axis_en.get_major_formatter()(1_000_000, 0) == "€1.0M"


def test_money_tick_labels_are_formatted():
    ax = P.plot_yearly_by_class(LONG, lang="de")
    ax.figure.canvas.draw()
    labels = [tl.get_text() for tl in ax.get_yticklabels() if tl.get_text()]
    assert any("Mio. €" in s for s in labels), labels
    assert "2,5 Mio. €" in _texts(ax)  # total of 2025 on top of the bar


@pytest.mark.parametrize("name", NAMES)
def test_input_frames_are_not_changed(name):
    frames = [PARETO, LORENZ, WHALE, PROFILE, MATRIX, MIGRATION, SIZES, MIX, LONG, FLOW]
    before = [copy.deepcopy(f) for f in frames]
    series_before = SERIES.copy(), MONEY_SERIES.copy()
    CASES[name][0](None, "de")
    for f, b in zip(frames, before, strict=True):
        pd.testing.assert_frame_equal(f, b)
    pd.testing.assert_series_equal(SERIES, series_before[0])
    pd.testing.assert_series_equal(MONEY_SERIES, series_before[1])


# --- details ----------------------------------------------------------------------------


def test_pareto_marks_top_20_percent():
    texts = _texts(P.plot_pareto(PARETO, lang="de"))
    assert "Top 20 % der Kunden: 80 % Anteil am Umsatz" in texts
    assert "20 % der Kunden: 80 % Anteil am Umsatz" in texts
    texts = _texts(P.plot_pareto(PARETO, lang="en"))
    assert "Top 20% of customers: 80% of revenue" in texts


def test_lorenz_shows_gini_in_language_format():
    assert P.plot_lorenz(LORENZ, gini=0.7123, lang="de").get_title(loc="left").endswith("Gini 0,71")
    assert P.plot_lorenz(LORENZ, gini=0.7123, lang="en").get_title(loc="left").endswith("Gini 0.71")
    assert "Gini" not in P.plot_lorenz(LORENZ, lang="en").get_title(loc="left")


def test_whale_annotates_the_peak_and_reads_percent_or_share():
    texts = _texts(P.plot_whale(WHALE, lang="en"))
    assert "Peak: 220% of CM III\nfrom 50% of customers" in texts
    as_share = WHALE.assign(cum_profit_pct=WHALE["cum_profit_pct"] / 100)
    assert "Peak: 220% of CM III\nfrom 50% of customers" in _texts(
        P.plot_whale(as_share, lang="en")
    )


def test_class_profile_uses_class_labels_and_skips_missing_metrics():
    ax = P.plot_class_profile(PROFILE.drop(columns="visits_share"), lang="de")
    texts = _texts(ax)
    assert {"A-Kunden", "D-Kunden", "Kunden", "Umsatz"} <= texts
    assert "Besuche" not in texts
    with pytest.raises(KeyError):
        P.plot_class_profile(PROFILE, metrics=("nope",))


def test_matrix_annotations_use_thousands_separators():
    texts = _texts(P.plot_matrix(MATRIX, lang="de"))
    assert {"1.200", "Kundenklasse", "XYZ-Klasse"} <= texts
    assert "1,200" in _texts(P.plot_matrix(MATRIX, lang="en"))
    shares = MATRIX / MATRIX.to_numpy().sum()
    assert "56 %" in _texts(P.plot_matrix(shares, lang="de", fmt="pct"))


def test_order_sizes_labels_lines_and_counts_hidden_orders():
    texts = _texts(P.plot_order_sizes(SIZES, lang="de", thresholds=(50.0,), break_even=85.0))
    assert "Schwelle 50 €" in texts
    assert "Break-even 85 €" in texts
    assert "50 % unter Break-even" in texts  # class C: 80 < 85 <= 120
    assert any("1 Auftrag mit Wert ≤ 0 nicht dargestellt." in s for s in texts)
    assert "A-Kunden\n2 Aufträge" in texts


def test_channel_mix_stacks_to_100_percent_with_channel_colours():
    ax = P.plot_channel_mix(MIX, lang="en")
    widths = {}
    for rect in ax.patches:
        y = round(rect.get_y(), 6)
        widths[y] = widths.get(y, 0.0) + rect.get_width()
    assert np.allclose(list(widths.values()), 1.0)
    colours = {tuple(np.round(rect.get_facecolor()[:3], 3)) for rect in ax.patches}
    assert tuple(np.round(to_rgb(P.CHANNEL_COLORS["webshop"]), 3)) in colours
    assert {"Field sales", "Inside sales", "Webshop", "70%"} <= _texts(ax)


def test_customer_flow_handles_missing_first_year():
    texts = _texts(P.plot_customer_flow(FLOW, lang="de"))
    assert {"+40", "-29", "331", "Aktive Kunden", "Verlorene Kunden"} <= texts


def test_bars_ranked_and_top_n():
    ax = P.plot_bars(SERIES, lang="en")
    labels = [tl.get_text() for tl in ax.get_yticklabels()]
    ticks = sorted(zip(ax.get_yticks(), labels, strict=True))
    assert [label for _, label in ticks] == ["Chemie", "Bau", "Handel"]  # largest on top
    ax = P.plot_bars(SERIES, lang="de", top=2, horizontal=False, title="metric.customers")
    assert [tl.get_text() for tl in ax.get_xticklabels()] == ["Handel", "Bau", "Sonstige (1)"]
    assert ax.get_title(loc="left") == "Kunden"
    with pytest.raises(ValueError):
        P.plot_bars(SERIES, money=True, pct=True)


def test_bars_keep_order_of_ordered_categories():
    s = pd.Series(
        [5, 50, 20],
        index=pd.CategoricalIndex(["small", "mid", "large"], ordered=True),
    )
    ax = P.plot_bars(s, lang="en", horizontal=False)
    assert [tl.get_text() for tl in ax.get_xticklabels()] == ["small", "mid", "large"]


@pytest.mark.parametrize(
    "call",
    [
        lambda ax: P.plot_pareto(PARETO.iloc[:0], ax=ax),
        lambda ax: P.plot_whale(WHALE.assign(cum_profit_pct=np.nan), ax=ax),
        lambda ax: P.plot_order_sizes(SIZES.iloc[:0], ax=ax),
        lambda ax: P.plot_yearly_by_class(LONG.iloc[:0], ax=ax),
        lambda ax: P.plot_customer_flow(FLOW.iloc[:0], ax=ax),
        lambda ax: P.plot_bars(SERIES.iloc[:0], ax=ax),
        lambda ax: P.plot_matrix(MATRIX.iloc[:0], ax=ax),
    ],
)
def test_empty_input_says_no_data(call):
    fig, ax = plt.subplots()
    assert call(ax) is ax
    assert "Keine Daten" in _texts(ax)


def test_missing_columns_are_named():
    with pytest.raises(KeyError, match="value_share"):
        P.plot_pareto(PARETO.drop(columns="value_share"))


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        P.plot_pareto(PARETO, lang="fr")


def test_palettes():
    assert list(P.CLASS_COLORS) == list(C.CLASSES)

    def luminance(c: str) -> float:
        r, g, b = to_rgb(c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lum = [luminance(P.CLASS_COLORS[k]) for k in C.CLASSES]
    assert lum == sorted(lum)  # A dark -> D light
    assert set(C.CHANNELS) <= set(P.CHANNEL_COLORS)
    assert P.class_palette(["A", "X"])["X"] in P.OTHER_COLORS
    assert P.channel_palette(["webshop", "fax"])["fax"] in P.OTHER_COLORS


def test_set_style_sets_rc_params_and_scales_fonts():
    with mpl.rc_context():
        try:
            P.set_style(font_scale=1.5)
            assert mpl.rcParams["axes.spines.top"] is False
            assert mpl.rcParams["axes.titlesize"] == pytest.approx(P.TITLE_SIZE * 1.5)
            ax = P.plot_pareto(PARETO)
            assert ax._left_title.get_fontsize() == pytest.approx(P.TITLE_SIZE * 1.5)
        finally:
            P.set_style(font_scale=1.0)


# --- package layout and the one label lookup ------------------------------------------------


def test_package_reexports_every_public_name() -> None:
    import importlib

    for name in P.__all__:
        assert callable(getattr(P, name)) or getattr(P, name) is not None, name
    for mod in ("common", "status_quo", "development", "screening", "levers", "target"):
        module = importlib.import_module(f"kk_helpers.present.plots.{mod}")
        public = [n for n in vars(module) if n.startswith("plot_") and callable(vars(module)[n])]
        for n in public:
            if vars(module)[n].__module__ == module.__name__:
                assert getattr(P, n) is vars(module)[n], n


def test_plot_labels_follow_the_old_lookup_order() -> None:
    """Figure labels: plot.label, then channel/activity, then col (as before the split)."""
    from kk_helpers.core.i18n import label, translations

    def old(name: str, lang: str) -> str:
        for prefix in ("plot.label.", "col.", "channel.", "activity."):
            if f"{prefix}{name}" in translations():
                return translations()[f"{prefix}{name}"][lang]
        return name

    names = {
        k.split(".", 2)[-1] if k.startswith("plot.label.") else k.split(".", 1)[1]
        for k in translations()
        if k.startswith(("plot.label.", "col.", "channel.", "activity."))
    }
    for name in names:
        for lang in ("de", "en"):
            assert label(name, lang, scopes=P.LABEL_SCOPES) == old(name, lang), name
    # by hand from translations.yml
    assert label("customers_share", "de", scopes=P.LABEL_SCOPES) == "Anteil Kunden"
    # a chart of shares labels a share by its measure (the axis says "share")
    assert P.plot_label("customers_share", "de") == "Kunden"
    assert P.plot_label("cost_to_serve_share", "en") == "Cost-to-serve"
    assert P.plot_label("customers_for_80pct_share", "en") == "customers_for_80pct_share"
    assert label("field_sales", "en", scopes=P.LABEL_SCOPES) == "Field sales"
    assert label("visit", "de", scopes=P.LABEL_SCOPES) == "Besuch"
    assert label("revenue", "de", scopes=P.LABEL_SCOPES) == "Umsatz"
    assert label("Nord", "de", scopes=P.LABEL_SCOPES) == "Nord"


def test_channel_mix_legend_uses_channel_labels() -> None:
    mix = pd.DataFrame({"field_sales": [0.7, 0.2], "webshop": [0.3, 0.8]}, index=["A", "B"])
    ax = P.plot_channel_mix(mix, lang="en")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[:2] == ["Field sales", "Webshop"]
    plt.close("all")


def test_options_are_keyword_only() -> None:
    import inspect

    kw = inspect.Parameter.KEYWORD_ONLY
    assert inspect.signature(P.plot_pareto).parameters["ax"].kind is kw
    assert inspect.signature(P.plot_portfolio).parameters["thresholds"].kind is not kw
    assert inspect.signature(P.plot_portfolio).parameters["position"].kind is kw
    assert inspect.signature(P.plot_before_after).parameters["metric"].kind is not kw
    assert inspect.signature(P.plot_bars).parameters["money"].kind is kw
    with pytest.raises(TypeError):
        P.plot_pareto(PARETO, None, "en")  # type: ignore[misc]


# --- issue 12: charts lay out their own text (values read off by hand) -------------------

WATERFALL = pd.DataFrame(
    {
        "step": ["today", "channel_shift", "minimum_order_value", "surcharge", "dealer", "target"],
        "value": [2_009_032.0, 471_378.0, 55_244.0, 24_566.0, 455_641.0, 3_015_861.0],
        "kind": ["total", "delta", "delta", "delta", "delta", "total"],
    }
)


def test_waterfall_labels_are_whole_words():
    from kk_helpers.present.plots.layout import layout_problems

    ax = P.plot_waterfall(WATERFALL, lang="de")
    ticks = [tl.get_text() for tl in ax.get_xticklabels()]
    # one word each: no line break at all (before: "Kanalverlageru\nng", "Händlerübergab\ne")
    assert ticks == [
        "Heute",
        "Kanalverlagerung",
        "Mindestbestellwert",
        "Mindermengenzuschlag",
        "Händlerübergabe",
        "Zielbild",
    ]
    assert layout_problems(ax.figure) == []


def test_roadmap_shows_full_measure_names_wrapped():
    long = "Betreuung der C/D-Kunden in den verkaufsaktiven Innendienst verlagern"  # 69 chars
    plan = pd.DataFrame(
        {
            "measure": [long, "Kurz"],
            "start_month": [0, 1],
            "end_month": [3, 4],
            "quick_win": [True, False],
        }
    )
    ax = P.plot_roadmap(plan, lang="de")
    ticks = [tl.get_text() for tl in ax.get_yticklabels()]
    assert "…" not in "".join(ticks)
    assert ticks[0].replace("\n", " ") == long
    assert ticks[0] == "Betreuung der C/D-Kunden in den\nverkaufsaktiven Innendienst verlagern"


def test_channel_mix_titles_name_orders_or_revenue():
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4))
    P.plot_channel_mix(MIX, ax=left, lang="en", value_label_key="metric.orders_share")
    P.plot_channel_mix(MIX, ax=right, lang="en", value_label_key="metric.revenue_share")
    titles = [a.get_title(loc="left").replace("\n", " ") for a in (left, right)]
    assert titles == [
        "Channel mix by customer class, by orders",
        "Channel mix by customer class, by revenue",
    ]


def test_matrix_without_title_key_names_rows_and_columns():
    ax = P.plot_matrix(MATRIX, lang="en")
    assert ax.get_title(loc="left") == "Customer class × XYZ class"


def test_panels_in_a_bare_subplots_figure_get_a_layout_engine():
    fig, axes = plt.subplots(1, 2)
    P.plot_matrix(MATRIX, ax=axes[0], lang="de")
    assert fig.get_layout_engine() is not None


def test_customer_flow_active_customers_on_own_labelled_axis():
    ax = P.plot_customer_flow(FLOW, lang="de")
    twins = [a for a in ax.figure.axes if a is not ax]
    assert len(twins) == 1
    right = twins[0]
    assert right.get_ylabel() == "Aktive Kunden"
    # the line holds the counts themselves: 320 and 331
    assert list(right.lines[0].get_ydata()) == [320.0, 331.0]
    ax.figure.canvas.draw()
    assert [tl.get_text() for tl in right.get_yticklabels()] == ["0", "100", "200", "300"]


def test_portfolio_keeps_points_inside_and_labels_off_the_data():
    table = pd.DataFrame(
        {
            "score": [10.0, 50.0, 90.0, 70.0] * 75,
            "priority_class": ["A", "B", "C", "D"] * 75,
            "share_of_wallet": [0.1, 0.5, 1.0, 0.3] * 74 + [0.1, 0.5, 1.0, 3.0],
        }
    )
    ax = P.plot_portfolio(table, (50.0, 0.3), lang="de")
    low, high = ax.get_ylim()
    top = max(c.get_offsets()[:, 1].max() for c in ax.collections)
    assert top < high and low < 0  # room above the highest (capped) point and below zero
    quadrant_y = [
        t.get_position()[1]
        for t in ax.texts
        if "Star" in t.get_text() or "Mitnahme" in t.get_text()
    ]
    assert all(y > top or y < 0 for y in quadrant_y)
    # 1 of 300 customers above the 99th percentile (100 %) × 1.05 is marked as capped
    notes = [t.get_text() for t in ax.texts if t.get_text().startswith("▲")]
    assert notes == ["▲ 1 Kunde oberhalb von 105 %, am Rand gezeigt"]


def test_lever_bubbles_and_heatmap_use_the_report_language():
    levers = pd.DataFrame(
        {
            "lever": ["customers", "offering", "conditions"],
            "gap": [1.8, 1.5, 1.8],
            "importance_mean": [4.3, 3.0, 4.1],
            "priority": [7.7, 4.4, 7.2],
            "current_std": [0.3, 0.3, 0.5],
        }
    )
    ax = P.plot_lever_bubbles(levers, lang="de")
    ax.figure.canvas.draw()
    xticks = [tl.get_text() for tl in ax.get_xticklabels() if tl.get_text()]
    assert "0,50" in xticks and not any("." in x for x in xticks)
    matrix = pd.DataFrame(
        [[2.5, 3.0], [1.0, 4.5]], index=["R1", "R2"], columns=["customers", "offering"]
    )
    hm = P.plot_lever_heatmap(matrix, lang="de")
    hm.figure.canvas.draw()
    bar = hm.collections[0].colorbar
    assert [tl.get_text() for tl in bar.ax.get_yticklabels()] == ["1", "2", "3", "4", "5"]
    assert {"2,5", "4,5"} <= {t.get_text() for t in hm.texts}


def test_size_band_panel_names_its_currency():
    from types import SimpleNamespace

    bands = pd.DataFrame(
        {"customers": [10, 20]}, index=pd.Index(["0 – 1.000", "1.000 – 5.000"], name="size_band")
    )
    sq = SimpleNamespace(structure={C.SIZE_BAND: bands}, currency="EUR")
    fig = P.structure_figure(sq, lang="de")
    assert fig.axes[0].get_title(loc="left") == "Größenklasse (Jahresumsatz in €)"


def test_count_axes_have_whole_number_ticks():
    ax = P.plot_bars(pd.Series({"Bau": 3, "Handel": 1}, name="customers"), lang="de")
    ax.figure.canvas.draw()
    ticks = [tl.get_text() for tl in ax.get_xticklabels() if tl.get_text()]
    assert ticks and all(x.isdigit() for x in ticks)  # before: 0, 0,5, 1, … on small counts
    small = FLOW.assign(
        new=pd.array([pd.NA, 3], dtype="Int64"), lost=pd.array([pd.NA, 2], dtype="Int64")
    )
    flow = P.plot_customer_flow(small, lang="de")
    flow.figure.canvas.draw()
    left = [tl.get_text() for tl in flow.get_yticklabels() if tl.get_text()]
    assert left == ["-2", "0", "2"]
