"""All figures of the workbook: one style, one palette, seaborn-style functions.

Every ``plot_*`` function

* takes ``ax=None`` and draws only into that Axes (a new figure and Axes is made
  only when ``ax`` is None), so figures can be combined with ``plt.subplots``;
* labels everything in ``lang`` through the translation table (keys ``plot.*``);
* formats money, counts and shares on its axes with :mod:`kk_helpers.core.formatting`;
* returns the Axes and never calls ``plt.show()``;
* leaves its input frame unchanged.

The class palette runs from dark (A) to light (D) in one blue hue, readable with
colour-vision deficiencies and in greyscale; channels use the Okabe-Ito colours;
:data:`HIGHLIGHT` (vermillion) marks the one thing a chart is about.

The functions live in one module per stage (:mod:`.status_quo`, :mod:`.development`,
:mod:`.screening`, :mod:`.levers`, :mod:`.target`) on top of :mod:`.common` (style,
palette, shared helpers, :func:`plot_bars`); this package re-exports all public names,
so ``from kk_helpers.present import plots; plots.plot_pareto(...)`` works.
"""

from __future__ import annotations

from kk_helpers.present.plots.common import (
    CHANNEL_COLORS,
    CLASS_COLORS,
    FIGSIZE,
    GREY,
    HIGHLIGHT,
    LABEL_SCOPES,
    LABEL_SIZE,
    LIGHT_GREY,
    MUTED,
    NOTE_SIZE,
    OTHER_COLORS,
    POSITIVE,
    PRIMARY,
    SHARE_BASES,
    TEXT,
    TICK_SIZE,
    TITLE_SIZE,
    channel_palette,
    class_palette,
    plot_bars,
    plot_label,
    set_style,
    style_rc,
)
from kk_helpers.present.plots.development import (
    ACTIVE,
    LOST,
    NEW,
    plot_customer_flow,
    plot_order_sizes,
    plot_yearly_by_class,
)
from kk_helpers.present.plots.levers import (
    LIGHT_COLORS,
    plot_indicator_lights,
    plot_lever_bubbles,
    plot_lever_heatmap,
    plot_lever_priority,
    plot_lever_radar,
)
from kk_helpers.present.plots.screening import (
    plot_capacity,
    plot_portfolio,
    plot_score_distribution,
)
from kk_helpers.present.plots.status_quo import (
    METRIC_COLORS,
    PROFILE_METRICS,
    STRUCTURE_PANELS,
    plot_channel_mix,
    plot_class_profile,
    plot_lorenz,
    plot_matrix,
    plot_pareto,
    plot_whale,
    structure_figure,
)
from kk_helpers.present.plots.target import (
    PRIORITY_COLORS,
    plot_before_after,
    plot_impact_effort,
    plot_roadmap,
    plot_tornado,
    plot_waterfall,
)

__all__ = [
    "ACTIVE",
    "CHANNEL_COLORS",
    "CLASS_COLORS",
    "FIGSIZE",
    "GREY",
    "HIGHLIGHT",
    "LABEL_SCOPES",
    "SHARE_BASES",
    "plot_label",
    "LABEL_SIZE",
    "LIGHT_COLORS",
    "LIGHT_GREY",
    "LOST",
    "METRIC_COLORS",
    "MUTED",
    "NEW",
    "NOTE_SIZE",
    "OTHER_COLORS",
    "POSITIVE",
    "PRIMARY",
    "PRIORITY_COLORS",
    "PROFILE_METRICS",
    "STRUCTURE_PANELS",
    "TEXT",
    "TICK_SIZE",
    "TITLE_SIZE",
    "channel_palette",
    "class_palette",
    "plot_bars",
    "plot_before_after",
    "plot_capacity",
    "plot_channel_mix",
    "plot_class_profile",
    "plot_customer_flow",
    "plot_impact_effort",
    "plot_indicator_lights",
    "plot_lever_bubbles",
    "plot_lever_heatmap",
    "plot_lever_priority",
    "plot_lever_radar",
    "plot_lorenz",
    "plot_matrix",
    "plot_order_sizes",
    "plot_pareto",
    "plot_portfolio",
    "plot_roadmap",
    "plot_score_distribution",
    "plot_tornado",
    "plot_waterfall",
    "plot_whale",
    "plot_yearly_by_class",
    "set_style",
    "structure_figure",
    "style_rc",
]
