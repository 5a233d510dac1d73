"""Interactive scenarios for the management workshop: a slider per assumption.

:func:`scenario_widgets` builds the UI from a :class:`~kk_helpers.stages.target.analysis.TargetPicture`
and returns a :class:`ScenarioUI` whose parts are plain attributes, so tests (and
notebooks) can drive it: set a slider's ``value`` and the scenarios are recomputed and the
tables (effects, before/after per class, measures plan) and the waterfall chart are
replaced in place (``continuous_update`` is off: a drag recomputes once). The sliders
start at the config's assumptions (``target.scenario``); the batch always uses those.
The export button writes ``measures_plan.xlsx`` with the assumptions on the sliders;
"save as scenario" stores them as a named scenario beside ``client.yml`` (which stays as it
is), for ``kk run --scenario NAME``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as W
import numpy as np
import pydantic

from kk_helpers.core.config import ConfigError, ScenarioSettings
from kk_helpers.core.formatting import format_money
from kk_helpers.core.i18n import SCENARIO_SCOPES, check_language, t
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.core.safe_text import html_text
from kk_helpers.core.scenarios import save_scenario
from kk_helpers.present.widget_parts import (
    figure_png,
    full_width_button,
    labelled_slider,
    readout_formatter,
    saved_status,
    scenario_saver,
)
from kk_helpers.stages.target import analysis as TP
from kk_helpers.stages.target import export as TPX
from kk_helpers.stages.target import findings as TPF
from kk_helpers.stages.target import scenarios as S
from kk_helpers.stages.target import tables as TPT

_SLIDER_LAYOUT = {"width": "320px"}
#: Slider groups (translation ``scen.widget.group.<group>``) and their assumptions.
GROUPS: dict[str, tuple[str, ...]] = {
    "channel_shift": (
        "shift_to_inside",
        "shift_to_digital",
        "calls_per_visit",
        "order_shift_digital",
        "shift_churn",
    ),
    "orders": (
        "minimum_order_value",
        "consolidation_rate",
        "loss_rate",
        "surcharge",
        "surcharge_threshold",
        "acceptance_rate",
        "surcharge_loss_rate",
    ),
    "dealer": ("dealer_share", "dealer_discount"),
}


@dataclass
class ScenarioUI:
    """The interactive scenarios: widgets as attributes, the current picture in ``tp``."""

    tp: TP.TargetPicture
    base: TP.TargetPicture
    output_dir: Path | None
    widget: W.Widget
    sliders: dict[str, W.FloatSlider]
    mov_auto: W.Checkbox
    effects_html: W.HTML
    before_after_html: W.HTML
    plan_html: W.HTML
    findings_html: W.HTML
    waterfall_image: W.Image
    status: W.HTML
    reset_button: W.Button
    export_button: W.Button
    scenario_name: W.Text | None = None
    save_button: W.Button | None = None
    config_path: Path | None = None
    draw: bool = True
    #: per slider the readout label in the report language ("50 %", "2,0", "105 €")
    readouts: dict[str, W.Label] = field(default_factory=dict)
    updates: int = 0
    last_seconds: float = 0.0
    _suspend: bool = field(default=False, repr=False)

    def settings(self) -> ScenarioSettings:
        """The assumptions on the sliders (validated; raises ValueError when invalid)."""
        values = {k: float(s.value) for k, s in self.sliders.items()}
        if self.mov_auto.value:
            values["minimum_order_value"] = None  # type: ignore[assignment]
        return ScenarioSettings.model_validate({**self.base.settings.model_dump(), **values})

    def update(self, _change: object = None) -> None:
        """Recompute the scenarios with the slider values and refresh the outputs."""
        if self._suspend:
            return
        lang = self.tp.lang
        mov_computable = self.base.result.effects["minimum_order_value"].available
        self.sliders["minimum_order_value"].disabled = bool(self.mov_auto.value) or not (
            mov_computable
        )
        try:
            settings = self.settings()
        except (ValueError, pydantic.ValidationError) as e:
            errors = getattr(e, "errors", None)
            msg = errors()[0]["msg"] if callable(errors) and errors() else str(e)
            self.status.value = (
                f"<span style='color:#d55e00'>{t('common.invalid_input', lang, error=msg)}</span>"
            )
            return
        start = time.perf_counter()
        tp = TP.update(self.base, settings)
        self.last_seconds = time.perf_counter() - start
        self.tp = tp
        self.updates += 1
        if self.mov_auto.value:
            self._suspend = True
            try:
                self.sliders["minimum_order_value"].value = _mov(tp)
            finally:
                self._suspend = False
        self.effects_html.value = TPT.effects_display(tp).to_html()
        self.before_after_html.value = TPT.before_after_html(tp)
        self.plan_html.value = TPT.plan_display(tp).to_html()
        self.findings_html.value = "<ul>" + "".join(
            f"<li>{html_text(s)}</li>" for s in TPF.scenario_findings(tp)
        ) + "</ul>"  # fmt: skip
        if self.draw:
            self.waterfall_image.value = _waterfall_png(tp)
        self.status.value = t(
            "scen.widget.updated",
            lang,
            ms=f"{1000 * self.last_seconds:.0f}",
            profit=format_money(tp.result.profit, lang, tp.currency, signed=True),
        )

    def reset(self, _button: object = None) -> None:
        """Back to the config's assumptions."""
        self._suspend = True
        try:
            _set_from_settings(self, self.base.settings, _mov(self.base))
        finally:
            self._suspend = False
        self.update()

    def save(self, _button: object = None) -> Path | None:
        """Save the assumptions on the sliders as the scenario named in :attr:`scenario_name`
        (``target.scenario`` of a named scenario beside ``client.yml``, which stays as it is)."""
        lang = self.tp.lang
        if self.config_path is None or self.scenario_name is None:
            return None
        name = self.scenario_name.value
        try:
            overrides = {"target": {"scenario": self.settings().model_dump(mode="json")}}
            path = save_scenario(self.config_path, name, overrides)
        except (ValueError, pydantic.ValidationError, ConfigError, OSError) as e:
            self.status.value = f"<span style='color:#d55e00'>{html_text(t('screen.widget.save_failed', lang, error=e))}</span>"
            return None
        self.status.value = saved_status(self.config_path, name, path, lang=lang)
        return path

    def export(self, _button: object = None) -> Path | None:
        """Write ``measures_plan.xlsx`` with the current assumptions into the report folder."""
        lang = self.tp.lang
        if self.output_dir is None:
            return None
        try:
            path = TPX.write_measures_plan(self.tp, self.output_dir)
        except OSError as e:
            self.status.value = t("scen.widget.export_failed", lang, error=e)
            return None
        self.status.value = t("scen.widget.exported", lang, path=path)
        return path


def _waterfall_png(tp: TP.TargetPicture) -> bytes:
    from kk_helpers.present import plots

    return figure_png(
        lambda: plots.plot_waterfall(tp.waterfall, lang=tp.lang, currency=tp.currency)
    )


def _mov(tp: TP.TargetPicture) -> float:
    """The minimum order value used (0 when it cannot be computed, e.g. without margin)."""
    v = float(tp.result.threshold)
    return v if np.isfinite(v) else 0.0


def _set_from_settings(ui: ScenarioUI, s: ScenarioSettings, mov: float) -> None:
    for k, slider in ui.sliders.items():
        v = getattr(s, k)
        slider.value = float(mov if v is None else v)
    ui.mov_auto.value = s.minimum_order_value is None


def _slider(name: str, value: float, kind: str, tp: TP.TargetPicture) -> tuple[W.FloatSlider, str]:
    """The slider of one assumption and the kind of its readout (share, number1, money)."""
    if kind == "share":
        lo, hi, step, readout = 0.0, 1.0, 0.01, "share"
    elif name == "calls_per_visit":
        lo, hi, step, readout = 0.0, 5.0, 0.5, "number1"
    elif name == "surcharge":
        lo, hi, step, readout = 0.0, max(50.0, value * 2), 1.0, "money"
    else:  # order values
        top = max(500.0, 3 * tp.inputs.recommended_mov(tp.settings.mov_markup), value * 2)
        lo, hi, step, readout = 0.0, float(round(top, -1)), 5.0, "money"
    slider = W.FloatSlider(
        value=float(value), min=lo, max=hi, step=step, continuous_update=False,
        layout=W.Layout(**_SLIDER_LAYOUT),
    )  # fmt: skip
    return slider, readout


def scenario_widgets(
    tp: TP.TargetPicture,
    output_dir: str | Path | None = None,
    *,
    draw: bool = True,
    config_path: str | Path | None = None,
    scenario_name: str | None = None,
) -> ScenarioUI:
    """Build the interactive scenario UI (``display(ui.widget)`` in a notebook).

    Args:
        tp: the target picture with the config's assumptions
            (:func:`kk_helpers.stages.target.analysis.build_target_picture`).
        output_dir: folder the export button writes ``measures_plan.xlsx`` into.
        draw: redraw the waterfall chart on every update (off in fast tests).
        config_path: the client's ``client.yml``: "save as scenario" stores the assumptions
            as a named scenario beside it (``client.yml`` is not changed); None: no saving.
        scenario_name: the name proposed for saving (default "Workshop <date>").

    Returns:
        :class:`ScenarioUI` with the outputs already filled.

    Example:
        >>> ui = scenario_widgets(tp)                              # doctest: +SKIP
        >>> ui.sliders["shift_to_inside"].value = 0.8              # doctest: +SKIP
        >>> ui.tp.result.profit                                    # doctest: +SKIP
    """
    lang = check_language(tp.lang)
    s = tp.settings
    sliders: dict[str, W.FloatSlider] = {}
    parts = {}
    for names in GROUPS.values():
        for name in names:
            v = getattr(s, name)
            slider, kind = _slider(name, _mov(tp) if v is None else v, S.SENSITIVE[name], tp)
            # assumptions of a scenario left out for missing data cannot change anything
            slider.disabled = not tp.result.effects[S.PARAM_SCENARIO[name]].available
            sliders[name] = slider
            parts[name] = labelled_slider(slider, t(f"scen.param.{name}", lang),
                                          readout_formatter(kind, lang, currency=tp.currency))  # fmt: skip
    mov_auto = W.Checkbox(
        value=s.minimum_order_value is None,
        description=t("scen.widget.mov_auto", lang),
        indent=False,
        layout=W.Layout(width="auto"),
    )
    html = {k: W.HTML() for k in ("effects", "before_after", "plan", "findings", "status")}
    image = W.Image(format="png", layout=W.Layout(max_width="760px"))
    reset_button = full_width_button(
        W.Button(description=t("scen.widget.reset", lang), icon="undo")
    )
    export_button = full_width_button(
        W.Button(
            description=t("scen.widget.export", lang), icon="file-excel-o", button_style="primary"
        )
    )

    saver = None
    if config_path is not None:
        import datetime as dt

        saver = scenario_saver(
            lang, default_name=scenario_name or f"Workshop {dt.date.today().isoformat()}"
        )

    def box(group: str, *children: W.Widget) -> W.VBox:
        return W.VBox(
            [
                W.HTML(
                    f"<b>{i18n_label(group, lang, scopes=('scen.widget.group', *SCENARIO_SCOPES))}</b>"
                ),
                *children,
            ]
        )

    controls = W.VBox(
        [
            box("channel_shift", *[parts[n].box for n in GROUPS["channel_shift"]]),
            box("orders", mov_auto, *[parts[n].box for n in GROUPS["orders"]]),
            box("dealer", *[parts[n].box for n in GROUPS["dealer"]]),
            W.HBox([reset_button, export_button]),
            *([saver.box] if saver is not None else []),
            html["status"],
        ]
    )
    results = W.VBox(
        [
            W.HTML(f"<b>{t('nb04.scenarios.title', lang)}</b>"),
            html["findings"],
            image,
            html["effects"],
            W.HTML(f"<b>{t('nb04.before_after.title', lang)}</b>"),
            html["before_after"],
            W.HTML(f"<b>{t('measure.sheet.plan', lang)}</b>"),
            html["plan"],
        ]
    )
    ui = ScenarioUI(
        tp=tp,
        base=tp,
        output_dir=Path(output_dir) if output_dir is not None else None,
        widget=W.VBox([controls, results]),
        sliders=sliders,
        mov_auto=mov_auto,
        effects_html=html["effects"],
        before_after_html=html["before_after"],
        plan_html=html["plan"],
        findings_html=html["findings"],
        waterfall_image=image,
        status=html["status"],
        reset_button=reset_button,
        export_button=export_button,
        scenario_name=saver.name if saver is not None else None,
        save_button=saver.button if saver is not None else None,
        config_path=Path(config_path) if config_path is not None else None,
        draw=draw,
        readouts={k: p.readout for k, p in parts.items()},
    )
    for slider in sliders.values():
        slider.observe(ui.update, names="value")
    mov_auto.observe(ui.update, names="value")
    reset_button.on_click(ui.reset)
    export_button.on_click(ui.export)
    if saver is not None:
        saver.button.on_click(ui.save)
    ui.update()
    return ui
