"""Lever-assessment figures (notebook 03): radar, priorities, bubbles, heatmap and
indicator lights."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D

from kk_helpers.core.formatting import format_number, number_formatter
from kk_helpers.core.i18n import ROLE_SCOPES, check_language, t, translations
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.present.plots.common import (
    GREY,
    HIGHLIGHT,
    LIGHT_GREY,
    MUTED,
    NOTE_SIZE,
    PRIMARY,
    TEXT,
    TICK_SIZE,
    _axes,
    _finish,
    _fs,
    _legend,
    _no_data,
    _require,
    _title,
    style_rc,
)
from kk_helpers.present.plots.layout import repel_texts, wrap_label

# --- lever assessment (notebook 03) ---------------------------------------------------

#: Traffic-light colours (Okabe-Ito green, yellow-orange, vermillion; grey = no data).
LIGHT_COLORS: dict[str, str] = {
    "green": "#009e73",
    "amber": "#e6b400",
    "red": HIGHLIGHT,
    "na": LIGHT_GREY,
}


def _lever_short(lever: object, lang: str) -> str:
    """Short lever name for axes (``lever.<id>.short``, else ``lever.<id>.name``), else the id."""
    for key in (f"lever.{lever}.short", f"lever.{lever}.name"):
        if key in translations():
            return t(key, lang)
    return str(lever)


def plot_lever_radar(levers: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Radar chart of the levers: mean current vs. mean target maturity (1-5).

    Args:
        levers: one row per lever with ``lever``, ``current_mean``, ``target_mean``
            (:func:`kk_helpers.stages.levers.analysis.lever_summary`), in the order to draw.
        ax: a *polar* Axes (``subplot_kw={"projection": "polar"}``); new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The (polar) Axes.
    """
    check_language(lang)
    _require(levers, ["lever", "current_mean", "target_mean"], "plot_lever_radar")
    if ax is None:
        with plt.rc_context(style_rc()):
            _, ax = plt.subplots(figsize=(7.5, 7.0), subplot_kw={"projection": "polar"},
                                 layout="constrained")  # fmt: skip
    elif getattr(ax, "name", "") != "polar":
        raise ValueError("plot_lever_radar needs a polar Axes (projection='polar')")
    data = levers.dropna(subset=["current_mean", "target_mean"], how="all")
    title = t("lever.plot.radar.title", lang)
    if data.empty:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0, 0, t("plot.no_data", lang), ha="center", va="center", color=MUTED)
        _title(ax, title)
        return ax
    n = len(data)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    closed = np.append(angles, angles[0])
    series = (("target_mean", GREY, "--", "lever.plot.target"),
              ("current_mean", PRIMARY, "-", "lever.plot.current"))  # fmt: skip
    for col, color, style, key in series:
        vals = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype="float64")
        vals = np.append(vals, vals[0])
        ax.plot(closed, vals, color=color, linestyle=style, linewidth=2, label=t(key, lang))
        if col == "current_mean":
            ax.fill(closed, vals, color=color, alpha=0.18)
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, [_lever_short(x, lang) for x in data["lever"]], fontsize=_fs(TICK_SIZE))
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], fontsize=_fs(NOTE_SIZE), color=MUTED)
    ax.grid(color=LIGHT_GREY)
    ax.spines["polar"].set_color(LIGHT_GREY)
    ax.legend(loc="lower right", bbox_to_anchor=(1.12, -0.08), frameon=False,
              fontsize=_fs(TICK_SIZE))  # fmt: skip
    _title(ax, title, pad=24)
    return ax


def plot_lever_priority(levers: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Ranked bars of lever priority = gap × importance, labelled with both factors.

    Args:
        levers: ``lever``, ``gap``, ``importance_mean``, ``priority`` per lever.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes; the highest-priority lever is drawn in the highlight colour.
    """
    check_language(lang)
    _require(levers, ["lever", "gap", "importance_mean", "priority"], "plot_lever_priority")
    data = levers.dropna(subset=["priority"]).sort_values("priority", ascending=False)
    ax = _axes(ax, figsize=(9.0, 1.2 + 0.45 * max(len(data), 3)))
    title = t("lever.plot.priority.title", lang)
    if data.empty:
        return _no_data(ax, lang, title)
    pos = np.arange(len(data))[::-1]
    vals = data["priority"].to_numpy(dtype="float64")
    colors = [HIGHLIGHT if i == 0 else PRIMARY for i in range(len(data))]
    ax.barh(pos, vals, height=0.66, color=colors, linewidth=0)
    for p, v, g, imp in zip(pos, vals, data["gap"], data["importance_mean"], strict=True):
        text = (f"{format_number(v, lang, decimals=1)}  ({format_number(g, lang, decimals=1)} × "
                f"{format_number(imp, lang, decimals=1)})")  # fmt: skip
        ax.annotate(text, xy=(max(v, 0), p), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    ax.set_yticks(pos, [wrap_label(t(f"lever.{x}.name", lang) if f"lever.{x}.name" in translations()
                                   else str(x), 26) for x in data["lever"]])  # fmt: skip
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(min(0.0, float(vals.min())) * 1.1, max(float(vals.max()), 1e-9) * 1.3)
    ax.set_xlabel(t("lever.plot.priority.xlabel", lang))
    _title(ax, title)
    return _finish(ax, grid="x")


def plot_lever_bubbles(levers: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Priority map: gap (x) × importance (y), bubble size = disagreement (std).

    Dotted curves are lines of equal priority (gap × importance = 4, 8, 12); levers in
    the upper right are the most urgent.

    Args:
        levers: ``lever``, ``gap``, ``importance_mean``, ``priority`` and optionally
            ``current_std`` per lever.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(levers, ["lever", "gap", "importance_mean", "priority"], "plot_lever_bubbles")
    data = levers.dropna(subset=["gap", "importance_mean"])
    ax = _axes(ax, figsize=(8.5, 6.0))
    title = t("lever.plot.bubble.title", lang)
    if data.empty:
        return _no_data(ax, lang, title)
    x = data["gap"].to_numpy(dtype="float64")
    y = data["importance_mean"].to_numpy(dtype="float64")
    spread = (pd.to_numeric(data["current_std"], errors="coerce").fillna(0.0).to_numpy()
              if "current_std" in data.columns else np.zeros(len(data)))  # fmt: skip
    sizes = 150 + 900 * np.clip(spread, 0, 2) / 2
    top = data["priority"].to_numpy(dtype="float64").argmax()
    colors = [HIGHLIGHT if i == top else PRIMARY for i in range(len(data))]
    ax.scatter(x, y, s=sizes, color=colors, alpha=0.55, edgecolor="white", linewidth=1)
    labels = [ax.text(xi, yi, wrap_label(_lever_short(lv, lang), 18), ha="center", va="bottom",
                      fontsize=_fs(NOTE_SIZE), color=TEXT)
              for xi, yi, lv in zip(x, y, data["lever"], strict=True)]  # fmt: skip
    x_hi = max(float(np.nanmax(x)) * 1.2, 1.0)
    grid = np.linspace(0.2, x_hi, 100)
    for level in (4, 8, 12):
        ax.plot(grid, level / grid, linestyle=":", color=GREY, linewidth=1)
        if level / x_hi <= 5:
            ax.annotate(format_number(level, lang), xy=(x_hi, level / x_hi), fontsize=_fs(NOTE_SIZE),
                        color=MUTED, ha="right", va="bottom")  # fmt: skip
    ax.set_xlim(min(0.0, float(np.nanmin(x)) - 0.2), x_hi)
    ax.set_ylim(1, 5.3)
    ax.set_xlabel(t("lever.plot.bubble.xlabel", lang))
    ax.set_ylabel(t("lever.plot.bubble.ylabel", lang))
    ax.xaxis.set_major_formatter(number_formatter(lang))
    ax.yaxis.set_major_formatter(number_formatter(lang))
    _title(ax, title)
    _finish(ax, grid="both")
    # labels next to their bubbles, moved apart where they would overlap
    repel_texts(ax, labels, x=list(x), y=list(y))
    return ax


def plot_lever_heatmap(
    matrix: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "de",
    roles: dict[str, str] | None = None,
) -> Axes:
    """Heatmap respondents × levers of a 1-5 score (default: current maturity).

    Args:
        matrix: respondents (index) × levers (columns), e.g.
            :func:`kk_helpers.stages.levers.analysis.respondent_matrix`; NaN = not rated.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        roles: respondent -> role key, shown next to the name (default
            ``matrix.attrs["roles"]`` when present).

    Returns:
        The Axes (cells annotated with one decimal; empty cells = not rated).
    """
    check_language(lang)
    rows, cols = matrix.shape
    ax = _axes(ax, figsize=(1.6 + 1.05 * max(cols, 3), 1.2 + 0.45 * max(rows, 3)))
    title = t("lever.plot.heatmap.title", lang)
    if rows == 0 or cols == 0:
        return _no_data(ax, lang, title)
    roles = roles if roles is not None else matrix.attrs.get("roles", {})
    ylabels = []
    for r in matrix.index:
        role = roles.get(r)
        role_text = i18n_label(role, lang, scopes=ROLE_SCOPES) if role else role
        ylabels.append(f"{r} ({role_text})" if role_text else str(r))
    cmap = LinearSegmentedColormap.from_list("kk_maturity", ["#f4a582", "#f7f7f7", "#4393c3"])
    values = matrix.to_numpy(dtype="float64")
    sns.heatmap(values, ax=ax, cmap=cmap, vmin=1, vmax=5, annot=False, cbar=True, linewidths=0.5,
                linecolor="white", cbar_kws={"label": t("quest.col.current", lang)})  # fmt: skip
    for i in range(rows):
        for j in range(cols):
            v = values[i, j]
            if np.isfinite(v):
                ax.text(j + 0.5, i + 0.5, format_number(v, lang, decimals=1), ha="center", va="center",
                        fontsize=_fs(NOTE_SIZE), color=TEXT)  # fmt: skip
    ax.set_xticks(np.arange(cols) + 0.5, [_lever_short(c, lang) for c in matrix.columns],
                  rotation=30, ha="right")  # fmt: skip
    ax.set_yticks(np.arange(rows) + 0.5, ylabels, rotation=0)
    ax.tick_params(length=0, labelsize=_fs(TICK_SIZE), colors=MUTED)
    colorbar = ax.collections[0].colorbar
    if colorbar is not None:
        colorbar.set_ticks([1, 2, 3, 4, 5])
        colorbar.ax.yaxis.set_major_formatter(number_formatter(lang))
        colorbar.ax.tick_params(labelsize=_fs(NOTE_SIZE), colors=MUTED)
    _title(ax, title)
    return ax


def plot_indicator_lights(
    indicators: pd.DataFrame, ax: Axes | None = None, lang: str = "de"
) -> Axes:
    """Traffic-light table of the data indicators, grouped by lever.

    Args:
        indicators: one row per indicator with ``lever`` and ``light`` codes and the
            display texts ``label`` and ``value_text``, e.g.
            :func:`kk_helpers.stages.levers.tables.indicator_plot_frame`.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes: one line per indicator with a coloured dot (green/amber/red, grey =
        no data), the lever, the indicator label and the formatted value.
    """
    check_language(lang)
    _require(indicators, ["lever", "label", "value_text", "light"], "plot_indicator_lights")
    n = len(indicators)
    ax = _axes(ax, figsize=(11.0, 0.9 + 0.42 * max(n, 3)))
    title = t("lever.plot.lights.title", lang)
    if n == 0:
        return _no_data(ax, lang, title)
    ys = np.arange(n)[::-1]
    prev = None
    for y, lv, label, value, light in zip(ys, indicators["lever"], indicators["label"],
                                          indicators["value_text"], indicators["light"],
                                          strict=True):  # fmt: skip
        ax.scatter([0.02], [y], s=220, color=LIGHT_COLORS.get(str(light), LIGHT_GREY),
                   edgecolor="#9a9a9a", linewidth=0.6, transform=ax.get_yaxis_transform(),
                   clip_on=False)  # fmt: skip
        if lv != prev:
            ax.text(0.05, y, _lever_short(lv, lang), va="center", fontsize=_fs(TICK_SIZE),
                    fontweight="bold", color=TEXT, transform=ax.get_yaxis_transform())  # fmt: skip
            prev = lv
        ax.text(0.27, y, str(label), va="center", fontsize=_fs(TICK_SIZE), color=TEXT,
                transform=ax.get_yaxis_transform())  # fmt: skip
        ax.text(0.98, y, str(value), va="center", ha="right", fontsize=_fs(TICK_SIZE),
                color=TEXT, transform=ax.get_yaxis_transform())  # fmt: skip
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9,
                      markerfacecolor=LIGHT_COLORS[k], markeredgecolor="#9a9a9a",
                      label=t(f"lever.light.{k}", lang)) for k in LIGHT_COLORS]  # fmt: skip
    _legend(ax, handles=handles, where="top", ncol=len(handles))
    _title(ax, title, pad=28)
    return ax
