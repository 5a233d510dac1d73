"""Number display: exact strings per language."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from kk_helpers.core.formatting import (  # noqa: E402
    MISSING,
    currency_symbol,
    format_compact,
    format_compact_many,
    format_money,
    format_number,
    format_pct,
    money_formatter,
    number_formatter,
    pct_formatter,
    style_table,
)


@pytest.mark.parametrize(
    ("x", "lang", "kwargs", "expected"),
    [
        (1234567, "de", {}, "1.234.567 €"),
        (1234567, "en", {}, "€1,234,567"),
        (-1234, "de", {}, "-1.234 €"),
        (-1234, "en", {}, "-€1,234"),
        (0, "de", {}, "0 €"),
        (999.4, "de", {}, "999 €"),
        (1234.5, "de", {}, "1.235 €"),  # commercial rounding, half away from zero
        (-1234.5, "en", {}, "-€1,235"),
        (-0.4, "de", {}, "0 €"),  # no "-0"
        (1234.5, "de", {"decimals": 2}, "1.234,50 €"),
        (1234.5, "en", {"decimals": 2}, "€1,234.50"),
        (1234, "de", {"currency": "USD"}, "1.234 $"),
        (1234, "en", {"currency": "USD"}, "$1,234"),
        (1234, "en", {"currency": "GBP"}, "£1,234"),
        (1234, "de", {"currency": "CHF"}, "1.234 CHF"),
        (1234, "en", {"currency": "CHF"}, "CHF 1,234"),
        (-1234, "en", {"currency": "CHF"}, "-CHF 1,234"),
        (1234, "en", {"currency": "sek"}, "SEK 1,234"),
        (250, "de", {"signed": True}, "+250 €"),
        (np.int64(5), "en", {}, "€5"),
    ],
)
def test_format_money(x, lang, kwargs, expected):
    assert format_money(x, lang, **kwargs) == expected


@pytest.mark.parametrize("missing", [float("nan"), None, pd.NA, np.nan, math.inf, -math.inf, "x"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_missing_values_are_a_dash(missing, lang):
    assert format_money(missing, lang) == "–" == MISSING
    assert format_number(missing, lang) == "–"
    assert format_pct(missing, lang) == "–"
    assert format_compact(missing, lang, currency="EUR") == "–"


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1234567, "de", 0, "1.234.567"),
        (1234567, "en", 0, "1,234,567"),
        (1234567.891, "de", 2, "1.234.567,89"),
        (1234567.891, "en", 2, "1,234,567.89"),
        (-0.5, "de", 1, "-0,5"),
        (2.675, "en", 2, "2.68"),
        (12, "de", 0, "12"),
        (True, "en", 0, "1"),
    ],
)
def test_format_number(x, lang, decimals, expected):
    assert format_number(x, lang, decimals=decimals) == expected


def test_format_number_signed():
    assert format_number(412, "de", signed=True) == "+412"
    assert format_number(-327, "de", signed=True) == "-327"
    assert format_number(0, "de", signed=True) == "0"


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (0.62, "de", 0, "62 %"),
        (0.62, "en", 0, "62%"),
        (0.625, "de", 1, "62,5 %"),
        (0.625, "en", 1, "62.5%"),
        (1, "de", 0, "100 %"),
        (-0.05, "de", 0, "-5 %"),
        (-0.05, "en", 0, "-5%"),
        (2.5, "de", 0, "250 %"),
        (12.345, "de", 0, "1.235 %"),
        (0.001, "en", 0, "0%"),
    ],
)
def test_format_pct(x, lang, decimals, expected):
    assert format_pct(x, lang, decimals=decimals) == expected


def test_format_pct_signed():
    assert format_pct(0.05, "de", signed=True) == "+5 %"
    assert format_pct(0.05, "en", signed=True) == "+5%"


def test_currency_symbol():
    assert currency_symbol("EUR") == "€"
    assert currency_symbol("eur") == "€"
    assert currency_symbol("USD") == "$"
    assert currency_symbol("GBP") == "£"
    assert currency_symbol("CHF") == "CHF"
    assert currency_symbol("SEK") == "SEK"


@pytest.mark.parametrize(
    ("x", "lang", "currency", "expected"),
    [
        (1234567, "de", "EUR", "1,2 Mio. €"),
        (1234567, "en", "EUR", "€1.2M"),
        (250000, "de", "EUR", "250 Tsd. €"),
        (250000, "en", "EUR", "€250k"),
        (12345678, "de", "EUR", "12 Mio. €"),
        (2.5e9, "de", "EUR", "2,5 Mrd. €"),
        (2.5e9, "en", "EUR", "€2.5bn"),
        (9500, "de", "EUR", "9.500 €"),  # below 10,000: in full
        (9500, "en", "EUR", "€9,500"),
        (999999, "de", "EUR", "1,0 Mio. €"),  # rounding moves up a unit
        (-1234567, "de", "EUR", "-1,2 Mio. €"),
        (-1234567, "en", "EUR", "-€1.2M"),
        (1234567, "de", None, "1,2 Mio."),
        (1234567, "en", None, "1.2M"),
        (45000, "en", None, "45k"),
        (0, "de", "EUR", "0 €"),
    ],
)
def test_format_compact(x, lang, currency, expected):
    assert format_compact(x, lang, currency=currency) == expected


def test_format_compact_decimals():
    assert format_compact(1234567, "de", currency="EUR", decimals=2) == "1,23 Mio. €"
    assert format_compact(250000, "en", currency=None, decimals=1) == "250.0k"


def test_format_compact_many_uses_one_unit():
    assert format_compact_many([12_300_000, 900_000, float("nan")], "de", currency="EUR") == [
        "12,3 Mio. €",
        "0,9 Mio. €",
        "–",
    ]
    assert format_compact_many([12_300_000, 900_000], "en", currency="EUR") == ["€12.3M", "€0.9M"]
    assert format_compact_many([5000, 120], "de", currency="EUR") == ["5.000 €", "120 €"]
    assert format_compact_many([250_000_000, 5e6], "en") == ["250M", "5M"]


def test_wrong_language_and_decimals():
    with pytest.raises(ValueError, match="language"):
        format_money(1, "fr")
    with pytest.raises(ValueError, match="decimals"):
        format_number(1, "de", decimals=-1)


# --- tick formatters ----------------------------------------------------------------


def _tick_labels(formatter, values):
    return formatter.format_ticks(values)


def test_money_formatter_shares_one_unit():
    f = money_formatter("de", "EUR")
    assert isinstance(f, FuncFormatter)
    assert _tick_labels(f, [0, 500_000, 1_000_000, 1_500_000]) == [
        "0 €",
        "0,5 Mio. €",
        "1,0 Mio. €",
        "1,5 Mio. €",
    ]
    assert _tick_labels(f, [0, 1e6, 2e6]) == ["0 €", "1 Mio. €", "2 Mio. €"]
    assert _tick_labels(f, [0, 20_000, 40_000]) == ["0 €", "20 Tsd. €", "40 Tsd. €"]
    assert _tick_labels(f, [0, 2500, 5000]) == ["0 €", "2.500 €", "5.000 €"]
    assert _tick_labels(f, [0, 0.5, 1.0]) == ["0 €", "0,5 €", "1,0 €"]


def test_money_formatter_english():
    f = money_formatter("en", "EUR")
    assert _tick_labels(f, [0, 500_000, 1_000_000]) == ["€0", "€0.5M", "€1.0M"]
    assert _tick_labels(f, [-20_000, 0, 20_000]) == ["-€20k", "€0", "€20k"]
    assert f(1_234_567, 0) == "€1.2M"


def test_number_and_pct_formatters():
    n = number_formatter("de")
    assert _tick_labels(n, [0, 250, 500]) == ["0", "250", "500"]
    assert _tick_labels(n, [0, 250_000, 500_000]) == ["0", "250.000", "500.000"]
    assert _tick_labels(n, [0, 2e6, 4e6]) == ["0", "2 Mio.", "4 Mio."]
    assert _tick_labels(number_formatter("en"), [0, 2500]) == ["0", "2,500"]
    p = pct_formatter("de")
    assert _tick_labels(p, [0, 0.25, 0.5]) == ["0 %", "25 %", "50 %"]
    assert _tick_labels(p, [0, 0.025, 0.05]) == ["0,0 %", "2,5 %", "5,0 %"]
    assert _tick_labels(pct_formatter("en"), [0, 0.5, 1]) == ["0%", "50%", "100%"]
    assert _tick_labels(pct_formatter("de", xmax=100), [0, 150, 300]) == ["0 %", "150 %", "300 %"]
    assert _tick_labels(pct_formatter("en", decimals=1), [0.5]) == ["50.0%"]


def test_formatters_on_an_axis():
    fig, ax = plt.subplots()
    try:
        ax.plot([0, 1], [0, 2_000_000])
        ax.yaxis.set_major_formatter(money_formatter("de"))
        fig.canvas.draw()
        labels = [tl.get_text() for tl in ax.get_yticklabels() if tl.get_text()]
        assert labels and all(s.endswith("Mio. €") or s == "0 €" for s in labels)
        ax.set_yscale("log")  # resets the formatter
        ax.set_ylim(10, 100_000)
        ax.yaxis.set_major_formatter(money_formatter("de"))
        fig.canvas.draw()
        labels = {tl.get_text() for tl in ax.get_yticklabels()}
        assert {"10 €", "100 €", "1.000 €", "100 Tsd. €"} <= labels
    finally:
        plt.close(fig)


# --- tables -------------------------------------------------------------------------


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Alpha", "Beta"],
            "revenue": [1234567.0, np.nan],
            "share": [0.62, 0.05],
            "orders": [1234, 5],
        },
        index=pd.Index(["a", "b"], name="customer_id"),
    )


def test_style_table_formats_and_keeps_the_frame():
    df = _table()
    before = df.copy()
    styler = style_table(
        df, "de", money_cols=["revenue"], pct_cols=["share"], number_cols=["orders"]
    )
    html = styler.to_html()
    # number and unit joined by a non-breaking space: an amount never wraps
    for text in ("1.234.567\u00a0€", "62\u00a0%", "5\u00a0%", "1.234", "–", "Alpha"):
        assert text in html
    pd.testing.assert_frame_equal(df, before)


def test_style_table_look_index_alignment_wrapping():
    """One header row; a named index becomes the first column, a 0..n index is hidden;
    text left and wrapping, numbers right and never wrapping."""
    named = style_table(_table(), "de", money_cols=["revenue"], labels={"customer_id": "Kunde"})
    html = named.to_html()
    assert "row_heading" not in html and "index_name" not in html
    assert html.count("<tr>") == 3  # one header row + two rows
    assert ">Kunde</th>" in html and ">a</td>" in html
    plain = style_table(_table().reset_index(drop=True), "de", number_cols=["orders"]).to_html()
    assert "row_heading" not in plain and ">0</" not in plain
    cells = {st["selector"].strip(): dict(st["props"]) for st in named.table_styles}
    for col in (0, 1):  # customer, name
        assert cells[f"td.col{col}"]["text-align"] == "left"
        assert cells[f"td.col{col}"]["white-space"] == "normal"
    for col in (2, 3, 4):  # revenue, share (numeric dtype), orders
        assert cells[f"td.col{col}"]["text-align"] == "right"
        assert cells[f"td.col{col}"]["white-space"] == "nowrap"
        assert cells[f"th.col{col}"]["text-align"] == "right"
    # an integer column outside the format groups gets thousands separators
    counts = style_table(pd.DataFrame({"n": [1086]}), "de").to_html()
    assert ">1.086</td>" in counts
    # a text column holding formatted amounts is aligned like numbers
    amounts = pd.DataFrame({"figure": ["Umsatz"], "value": ["53.900.442 €"]})
    styler = style_table(amounts, "de")
    assert "53.900.442\u00a0€" in styler.to_html()
    right = [st["selector"].strip() for st in styler.table_styles if "right" in str(st["props"])]
    assert right == ["th.col1", "td.col1"]


def test_style_table_english_decimals_labels_hidden_index():
    styler = style_table(
        _table(),
        "en",
        money_cols=["revenue"],
        pct_cols=["share"],
        decimals={"share": 1, "revenue": 2},
        labels={"revenue": "Revenue", "share": "Share"},
        hide_index=True,
    )
    html = styler.to_html()
    assert "€1,234,567.00" in html
    assert "62.0%" in html
    assert ">Revenue<" in html and ">Share<" in html
    assert ">a<" not in html  # index hidden


def test_style_table_rejects_unknown_and_double_columns():
    with pytest.raises(KeyError, match="nope"):
        style_table(_table(), "de", money_cols=["nope"])
    with pytest.raises(ValueError, match="more than one"):
        style_table(_table(), "de", money_cols=["revenue"], number_cols=["revenue"])


def test_year_columns_have_no_thousands_separator():
    import pandas as pd

    from kk_helpers.core.formatting import style_table

    frame = pd.DataFrame({"Jahr": [2023, 2025], "Kunden": [2117, 12184]})
    html = style_table(frame, "de").to_html()
    assert ">2023<" in html and ">2025<" in html and "2.023" not in html
    assert "12.184" in html  # other integers keep their separators
