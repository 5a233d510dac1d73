"""Building blocks of the notebook widgets (02 screening, 04 scenarios) that JupyterLab
shows in full: a slider with its label above it (never cut) and a readout in the report
language ("2,0", "50 %", "105 €"), and buttons as wide as their text.

ipywidgets' own readout uses Python format specs ("2.0", "50%"); here the slider's
readout is off and a Label beside it shows the value formatted by
:mod:`kk_helpers.core.formatting`, updated on every change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as W

from kk_helpers.core.formatting import format_money, format_number, format_pct
from kk_helpers.core.i18n import check_language

#: width of a slider track (the label sits above, the readout beside it)
SLIDER_WIDTH = "320px"
#: width of the readout label beside a slider
READOUT_WIDTH = "110px"


def readout_formatter(kind: str, lang: str, *, currency: str = "EUR") -> Callable[[float], str]:
    """A function value -> readout text in ``lang`` for a slider of ``kind``.

    Args:
        kind: ``"share"`` (0-1 as %), ``"money"`` (whole amounts), ``"number1"`` (one
            decimal) or ``"number"`` (whole number).
        lang: "de" or "en".
        currency: ISO code of money sliders.

    Returns:
        Callable taking the slider value (float) and returning the text.

    Raises:
        ValueError: unknown kind or language.

    >>> readout_formatter("share", "de")(0.5), readout_formatter("number1", "de")(2.0)
    ('50 %', '2,0')
    >>> readout_formatter("money", "de")(105.0), readout_formatter("money", "en")(1250.0)
    ('105 €', '€1,250')
    """
    check_language(lang)
    if kind == "share":
        return lambda v: format_pct(v, lang)
    if kind == "money":
        return lambda v: format_money(v, lang, currency)
    if kind == "number1":
        return lambda v: format_number(v, lang, decimals=1)
    if kind == "number":
        return lambda v: format_number(v, lang)
    raise ValueError(f"unknown readout kind {kind!r}")


@dataclass
class LabelledSlider:
    """A slider with its full label above and a formatted readout beside it."""

    slider: W.FloatSlider
    readout: W.Label
    box: W.VBox


def labelled_slider(
    slider: W.FloatSlider, text: str, fmt: Callable[[float], str]
) -> LabelledSlider:
    """Put ``slider`` under a label that wraps instead of being cut, with a readout in the
    report language beside it (``slider.readout`` is switched off).

    Args:
        slider: the slider (its ``description`` is cleared; the label shows ``text``).
        text: the label.
        fmt: value -> readout text (:func:`readout_formatter`).

    Returns:
        :class:`LabelledSlider`; display ``.box``.
    """
    slider.description = ""
    slider.readout = False
    slider.layout.width = SLIDER_WIDTH
    readout = W.Label(value=fmt(slider.value), layout=W.Layout(width=READOUT_WIDTH))

    def _update(change: dict) -> None:
        readout.value = fmt(change["new"])

    slider.observe(_update, names="value")
    title = W.Label(value=text, layout=W.Layout(width="auto"))
    return LabelledSlider(slider, readout, W.VBox([title, W.HBox([slider, readout])]))


def full_width_button(button: W.Button) -> W.Button:
    """``button`` sized to its text (JupyterLab cuts a long description at the default width)."""
    button.layout.width = "auto"
    return button


@dataclass
class ScenarioSaver:
    """A name field and a button that save the widget's settings as a named scenario."""

    name: W.Text
    button: W.Button
    box: W.VBox


def saved_status(config_path: str | Path, name: str, saved: Path, *, lang: str) -> str:
    """The status line after "Save as scenario": where it went and the full ``kk run``
    command that makes the report with it (client folder included: ``kk run --scenario X``
    alone is refused for want of a client).

    >>> saved_status("/data/Kunde A/client.yml", "W 1", Path("/data/Kunde A/scenarios/W 1.yml"),
    ...              lang="en")
    'Saved as scenario “W 1” (scenarios/W 1.yml); the client config stays unchanged. Report with these settings: kk run &quot;/data/Kunde A&quot; --scenario &quot;W 1&quot;'
    """
    from kk_helpers.core.config import resolve_config_path
    from kk_helpers.core.i18n import t
    from kk_helpers.core.safe_text import html_text

    folder = resolve_config_path(config_path).resolve().parent
    return html_text(t("present.scenario.saved", lang, name=name.strip(), folder=str(folder),
                       path=f"{saved.parent.name}/{saved.name}"))  # fmt: skip


def scenario_saver(lang: str, *, default_name: str) -> ScenarioSaver:
    """The "save as scenario" row of the 02 and 04 widgets (the caller wires the button).

    The scenario lands in ``<client>/scenarios/<name>.yml`` (:mod:`kk_helpers.core.scenarios`),
    never in ``client.yml``; ``kk run --scenario NAME`` makes the report with it.
    """
    from kk_helpers.core.i18n import t

    name = W.Text(value=default_name, placeholder=t("present.scenario.name", lang),
                  layout=W.Layout(width="220px"))  # fmt: skip
    button = full_width_button(
        W.Button(description=t("present.scenario.save", lang), icon="save", button_style="primary")
    )
    title = W.Label(value=t("present.scenario.name", lang), layout=W.Layout(width="auto"))
    return ScenarioSaver(name, button, W.VBox([title, W.HBox([name, button])]))


def figure_png(draw: Callable[[], object], *, dpi: int = 80) -> bytes:
    """PNG bytes of the figure ``draw()`` returns (an Axes or a Figure), closed afterwards."""
    import io

    import matplotlib.pyplot as plt

    drawn = draw()
    fig = getattr(drawn, "figure", drawn)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
