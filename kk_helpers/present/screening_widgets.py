"""Interactive screening for workshops: sliders for weights, classes and service levels.

:func:`screening_widgets` builds the whole UI from a :class:`~kk_helpers.stages.screening.analysis.
ScreeningInputs` and returns a :class:`ScreeningUI` whose parts are plain attributes,
so tests (and notebooks) can drive it: set a slider's ``value`` and the result and the
tables update in place (``continuous_update`` is off, so a drag re-scores once). A move
computes only what is shown (:func:`kk_helpers.stages.screening.live.preview`: scores,
classes, levels, group summaries, capacity, top customers; ~60 ms for 100,000
customers incl. the tables); the full result (``ScreeningUI.result``) is computed when
asked for, with the same figures.

"Save as scenario" stores the weights, the class settings and the service-level shares
as a named scenario beside ``client.yml`` (``scenarios/<name>.yml``,
:func:`kk_helpers.core.scenarios.save_scenario`), checked against the config before it is
kept; ``client.yml`` is never rewritten. ``kk run --scenario NAME`` then makes the report
with what was agreed. The live panel shows the score distribution by priority class
beside the tables.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import (
    ClientConfig,
    ConfigError,
    ScreeningClassSettings,
    ScreeningSettings,
    ServiceLevelSettings,
)
from kk_helpers.core.formatting import format_number, format_pct
from kk_helpers.core.i18n import check_language, t
from kk_helpers.core.safe_text import html_text
from kk_helpers.core.scenarios import save_scenario
from kk_helpers.present import plots
from kk_helpers.present.widget_parts import (
    LabelledSlider,
    figure_png,
    full_width_button,
    labelled_slider,
    readout_formatter,
    saved_status,
    scenario_saver,
)
from kk_helpers.stages.screening import analysis as SC
from kk_helpers.stages.screening import live as LIVE
from kk_helpers.stages.screening import tables as SCT

#: rows of the top-customer preview
TOP_ROWS = LIVE.TOP_ROWS
_SLIDER_LAYOUT = {"width": "320px"}


def screening_overrides(
    weights: Mapping[str, float],
    *,
    classes: ScreeningClassSettings | None = None,
    service_levels: ServiceLevelSettings | None = None,
) -> dict[str, Any]:
    """The config keys a screening scenario sets: ``screening.criteria.<name>.weight``, the
    class method with its shares or thresholds, the service-level shares.

    >>> screening_overrides({"trend": 30.0})
    {'screening': {'criteria': {'trend': {'weight': 30.0}}}}
    """
    scr: dict[str, Any] = {"criteria": {k: {"weight": float(w)} for k, w in weights.items()}}
    if classes is not None:
        key = "shares" if classes.method == "shares" else "thresholds"
        values = classes.shares if key == "shares" else classes.thresholds
        scr["classes"] = {"method": classes.method, key: dict(values)}
    if service_levels is not None:
        scr["service_levels"] = {"method": "shares", "shares": dict(service_levels.shares)}
    return {"screening": scr}


@dataclass
class ScreeningUI:
    """The interactive screening: widgets as attributes, the current result in ``result``.

    Change any slider's ``value`` (in the browser or in a test) and :meth:`update`
    runs: what is shown is recomputed (``preview``) and the HTML tables are replaced in
    place; ``result`` (the full screening) is recomputed when next asked for.
    """

    inputs: SC.ScreeningInputs
    lang: str
    config_path: Path | None
    widget: W.Widget
    weight_sliders: dict[str, W.FloatSlider]
    class_method: W.ToggleButtons
    class_share_sliders: dict[str, W.FloatSlider]
    class_threshold_sliders: dict[str, W.FloatSlider]
    level_share_sliders: dict[str, W.FloatSlider]
    class_rest: W.HTML
    level_rest: W.HTML
    summary_html: W.HTML
    levels_html: W.HTML
    capacity_html: W.HTML
    top_html: W.HTML
    status: W.HTML
    save_button: W.Button
    reset_button: W.Button
    scenario_name: W.Text
    chart: W.Image
    draw: bool = True
    #: per slider (keyed by the slider's id) the readout in the report language ("20", "50 %")
    readouts: dict[int, W.Label] = field(default_factory=dict)
    #: what the last update showed (:func:`kk_helpers.stages.screening.live.preview`)
    preview: LIVE.Preview | None = None
    updates: int = 0
    last_seconds: float = 0.0
    _suspend: bool = field(default=False, repr=False)
    _scored: tuple[ScreeningSettings, dict[str, float]] | None = field(default=None, repr=False)
    _result: SC.ScreeningResult | None = field(default=None, repr=False)
    #: per HTML widget the table last shown (a table that did not change is not re-rendered)
    _shown: dict[int, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def result(self) -> SC.ScreeningResult | None:
        """The full scoring with the current slider values
        (:func:`kk_helpers.stages.screening.analysis.score_customers`, without the "why"
        codes), computed when first asked for after a slider move; None before the first
        update. Its figures are those shown (:mod:`kk_helpers.stages.screening.live`)."""
        if self._result is None and self._scored is not None:
            settings, weights = self._scored
            self._result = SC.score_customers(
                self.inputs, settings, weights, lang=self.lang, explain=False
            )
        return self._result

    def _show(self, target: W.HTML, frame: pd.DataFrame, currency: str, **kw: bool) -> None:
        """Show ``frame`` as a styled HTML table in ``target`` (only when it changed)."""
        last = self._shown.get(id(target))
        same = last is not None and last.equals(frame) and last.columns.equals(frame.columns)
        if same and last.index.equals(frame.index):
            return
        target.value = SCT.styled(frame, self.lang, currency, **kw).to_html()
        self._shown[id(target)] = frame

    # --- state -> settings ---------------------------------------------------
    def weights(self) -> dict[str, float]:
        """Current weight per criterion."""
        return {k: float(s.value) for k, s in self.weight_sliders.items()}

    def class_settings(self) -> ScreeningClassSettings:
        """Current class settings (D share = rest); raises ValueError when invalid."""
        base = self.inputs.config.screening.classes
        shares = {k: round(float(s.value), 4) for k, s in self.class_share_sliders.items()}
        shares["D"] = round(1.0 - sum(shares.values()), 4)
        thresholds = {k: float(s.value) for k, s in self.class_threshold_sliders.items()}
        method = str(self.class_method.value)
        return ScreeningClassSettings.model_validate(
            {**base.model_dump(), "method": method, "shares": shares, "thresholds": thresholds}
        )

    def level_settings(self) -> ServiceLevelSettings:
        """Current service-level settings (service share = rest); raises ValueError when invalid."""
        base = self.inputs.config.screening.service_levels
        shares = {k: round(float(s.value), 4) for k, s in self.level_share_sliders.items()}
        shares["service"] = round(1.0 - sum(shares.values()), 4)
        return ServiceLevelSettings.model_validate(
            {**base.model_dump(), "method": "shares", "shares": shares}
        )

    def settings(self) -> ScreeningSettings:
        """The screening settings the sliders describe."""
        base = self.inputs.config.screening
        return base.model_copy(
            update={"classes": self.class_settings(), "service_levels": self.level_settings()}
        )

    # --- actions -----------------------------------------------------------------
    def update(self, _change: object = None) -> None:
        """Re-score with the current slider values and refresh the tables."""
        if self._suspend:
            return
        lang = self.lang
        try:
            settings = self.settings()
        except ValueError as e:
            errors = getattr(e, "errors", None)
            msg = errors()[0]["msg"] if callable(errors) and errors() else str(e)
            self.status.value = (
                f"<span style='color:#d55e00'>{t('common.invalid_input', lang, error=msg)}</span>"
            )
            return
        start = time.perf_counter()
        weights = self.weights()
        live = LIVE.preview(self.inputs, settings, weights, top_rows=TOP_ROWS)
        self.last_seconds = time.perf_counter() - start
        self.preview = live
        self._scored = (settings, weights)
        self._result = None
        self.updates += 1
        cur = str(self.inputs.config.client.currency)
        self._show(self.summary_html, live.class_summary, cur)
        self._show(self.levels_html, live.level_summary, cur)
        self._show(self.capacity_html, live.capacity[["required", "available", "utilisation"]], cur)
        why = SC.why_codes(live.contributions)  # codes; styled() translates them once
        top = live.top.assign(
            **{SC.WHY_UP: why[SC.WHY_UP].to_numpy(), SC.WHY_DOWN: why[SC.WHY_DOWN].to_numpy()}
        )
        cols = [
            c
            for c in (
                SC.RANK,
                C.NAME,
                "score",
                SC.PRIORITY_CLASS,
                SC.SERVICE_LEVEL,
                SC.WHY_UP,
                SC.WHY_DOWN,
            )
            if c in top.columns
        ]
        self._show(self.top_html, top[cols], cur, hide_index=True)
        if self.draw:
            table = LIVE.scored_table(self.inputs, live)
            self.chart.value = figure_png(lambda: plots.plot_score_distribution(table, lang=lang))
        self.class_rest.value = t(
            "screen.widget.rest",
            lang,
            label="D",
            share=format_pct(settings.classes.shares["D"], lang),
        )
        self.level_rest.value = t(
            "screen.widget.rest",
            lang,
            label=t("screen.level.service", lang),
            share=format_pct(settings.service_levels.shares["service"], lang),
        )
        self.status.value = t(
            "screen.widget.rescored",
            lang,
            n=format_number(live.n, lang),
            ms=f"{1000 * self.last_seconds:.0f}",
        )

    def save(self, _button: object = None) -> Path | None:
        """Save the current weights, classes and service-level shares as the scenario named
        in :attr:`scenario_name` (``client.yml`` is not changed)."""
        lang = self.lang
        if self.config_path is None:
            self.status.value = t("screen.widget.save_failed", lang, error="no config file")
            return None
        name = self.scenario_name.value
        try:
            overrides = screening_overrides(
                self.weights(), classes=self.class_settings(), service_levels=self.level_settings()
            )
            path = save_scenario(self.config_path, name, overrides)
        except (ValueError, ConfigError, OSError) as e:
            self.status.value = f"<span style='color:#d55e00'>{html_text(t('screen.widget.save_failed', lang, error=e))}</span>"
            return None
        self.status.value = saved_status(self.config_path, name, path, lang=lang)
        return path

    def reset(self, _button: object = None) -> None:
        """Back to the config's values."""
        self._suspend = True
        try:
            _set_from_config(self)
        finally:
            self._suspend = False
        self.update()


def _set_from_config(ui: ScreeningUI) -> None:
    scr = ui.inputs.config.screening
    for k, s in ui.weight_sliders.items():
        s.value = float(ui.inputs.criteria.loc[k, "weight"])
    ui.class_method.value = scr.classes.method
    for k, s in ui.class_share_sliders.items():
        s.value = float(scr.classes.shares[k])
    for k, s in ui.class_threshold_sliders.items():
        s.value = float(scr.classes.thresholds[k])
    for k, s in ui.level_share_sliders.items():
        s.value = float(scr.service_levels.shares[k])


def default_scenario_name(cfg: ClientConfig) -> str:
    """The name proposed for a new scenario: the active one, else "Workshop <today>".

    >>> import datetime as dt
    >>> default_scenario_name(type("C", (), {"scenario": None})()).startswith("Workshop ")
    True
    """
    import datetime as dt

    return cfg.scenario or f"Workshop {dt.date.today().isoformat()}"


def screening_widgets(
    inputs: SC.ScreeningInputs,
    lang: str = "de",
    *,
    config_path: str | Path | None = None,
    max_weight: float = 50.0,
    scenario_name: str | None = None,
    draw: bool = True,
) -> ScreeningUI:
    """Build the interactive screening UI (call ``display(ui.widget)`` in a notebook).

    Args:
        inputs: from :func:`kk_helpers.stages.screening.analysis.prepare_screening`.
        lang: ``de`` or ``en``.
        config_path: the ``client.yml`` whose scenarios the save button writes (default:
            the config's own path).
        max_weight: upper end of the weight sliders.
        scenario_name: the name proposed for saving (default: the config's scenario, else
            "Workshop <date>").
        draw: draw the live chart (tests switch it off for speed).

    Returns:
        :class:`ScreeningUI` with the result already computed.

    Example:
        >>> ui = screening_widgets(inputs, "en")            # doctest: +SKIP
        >>> ui.weight_sliders["trend"].value = 0            # doctest: +SKIP
        >>> ui.result.class_summary()                       # doctest: +SKIP
    """
    check_language(lang)
    cfg: ClientConfig = inputs.config
    path = Path(config_path) if config_path is not None else cfg.config_path
    scr = cfg.screening
    top = max(max_weight, float(inputs.criteria["weight"].max()))

    parts: dict[int, LabelledSlider] = {}

    def slider(
        desc: str, value: float, lo: float, hi: float, step: float, fmt: str
    ) -> W.FloatSlider:
        """A slider under its full label with a readout in ``lang`` (fmt: a readout kind)."""
        s = W.FloatSlider(value=value, min=lo, max=hi, step=step, continuous_update=False,
                          layout=W.Layout(**_SLIDER_LAYOUT))  # fmt: skip
        parts[id(s)] = labelled_slider(s, desc, readout_formatter(fmt, lang))
        return s

    def boxes(sliders: dict[str, W.FloatSlider]) -> list[W.VBox]:
        return [parts[id(x)].box for x in sliders.values()]

    weight_sliders = {
        name: slider(
            SC.criterion_label(str(name), lang), float(row["weight"]), 0.0, top, 1.0, "number"
        )
        for name, row in inputs.criteria.iterrows()
    }
    class_method = W.ToggleButtons(
        options=[
            (t("screen.widget.method_shares", lang), "shares"),
            (t("screen.widget.method_thresholds", lang), "thresholds"),
        ],
        value=scr.classes.method,
        description=t("screen.widget.method", lang),
        style={"description_width": "initial"},
    )
    class_share_sliders = {
        k: slider(
            t("screen.widget.share", lang, label=k),
            float(scr.classes.shares[k]),
            0.0,
            1.0,
            0.01,
            "share",
        )
        for k in ("A", "B", "C")
    }
    class_threshold_sliders = {
        k: slider(
            t("screen.widget.threshold", lang, label=k),
            float(scr.classes.thresholds[k]),
            0.0,
            100.0,
            1.0,
            "number",
        )
        for k in ("A", "B", "C")
    }
    level_share_sliders = {
        k: slider(
            t("screen.widget.share", lang, label=t(f"screen.level.{k}", lang)),
            float(scr.service_levels.shares[k]),
            0.0,
            1.0,
            0.01,
            "share",
        )
        for k in ("strategic", "sales")
    }
    html = {
        k: W.HTML()
        for k in ("class_rest", "level_rest", "summary", "levels", "capacity", "top", "status")
    }
    saver = scenario_saver(lang, default_name=scenario_name or default_scenario_name(cfg))
    save_button = saver.button
    chart = W.Image(format="png", layout=W.Layout(max_width="640px"))
    reset_button = full_width_button(
        W.Button(description=t("screen.widget.reset", lang), icon="undo")
    )

    def box(title_key: str, *children: W.Widget) -> W.VBox:
        return W.VBox([W.HTML(f"<b>{t(title_key, lang)}</b>"), *children])

    controls = W.VBox(
        [
            box("screen.plot.weights.title", *boxes(weight_sliders)),
            box(
                "screen.widget.classes",
                class_method,
                *boxes(class_share_sliders),
                html["class_rest"],
                *boxes(class_threshold_sliders),
            ),
            box("screen.widget.levels", *boxes(level_share_sliders), html["level_rest"]),
            saver.box,
            reset_button,
            html["status"],
        ]
    )
    results = W.VBox(
        [
            chart,
            W.HTML(f"<b>{t('nb02.classes.title', lang)}</b>"),
            html["summary"],
            html["levels"],
            W.HTML(f"<b>{t('nb02.capacity.title', lang)}</b>"),
            html["capacity"],
            W.HTML(f"<b>{t('nb02.list.title', lang)}</b>"),
            html["top"],
        ]
    )
    ui = ScreeningUI(
        inputs=inputs,
        lang=lang,
        config_path=path,
        widget=W.HBox([controls, results]),
        weight_sliders=weight_sliders,
        class_method=class_method,
        class_share_sliders=class_share_sliders,
        class_threshold_sliders=class_threshold_sliders,
        level_share_sliders=level_share_sliders,
        class_rest=html["class_rest"],
        level_rest=html["level_rest"],
        summary_html=html["summary"],
        levels_html=html["levels"],
        capacity_html=html["capacity"],
        top_html=html["top"],
        status=html["status"],
        save_button=save_button,
        reset_button=reset_button,
        scenario_name=saver.name,
        chart=chart,
        draw=draw,
        readouts={k: p.readout for k, p in parts.items()},
    )
    for s in [
        *weight_sliders.values(),
        *class_share_sliders.values(),
        *class_threshold_sliders.values(),
        *level_share_sliders.values(),
    ]:
        s.observe(ui.update, names="value")
    class_method.observe(ui.update, names="value")
    save_button.on_click(ui.save)
    reset_button.on_click(ui.reset)
    ui.update()
    return ui
