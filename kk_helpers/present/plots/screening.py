"""Customer-screening figures (notebook 02): score distribution, portfolio, capacity."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, MaxNLocator

from kk_helpers.core.formatting import (
    format_number,
    format_pct,
    number_formatter,
    pct_formatter,
)
from kk_helpers.core.i18n import ROLE_SCOPES, check_language, t, translations
from kk_helpers.core.i18n import label as i18n_label
from kk_helpers.present.plots.common import (
    GREY,
    HIGHLIGHT,
    MUTED,
    NOTE_SIZE,
    PRIMARY,
    TEXT,
    _axes,
    _count_axis,
    _finish,
    _fs,
    _legend,
    _no_data,
    _order_classes,
    _require,
    _title,
    class_palette,
    plot_label,
)

# --- customer screening (notebook 02) ------------------------------------------------------


def plot_score_distribution(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "de",
    bins: int = 40,
) -> Axes:
    """Histogram of the screening scores (0-100), stacked by priority class.

    Args:
        table: the screening table with ``score`` (0-100) and ``priority_class``.
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.
        bins: number of bins over 0-100.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(table, ("score", "priority_class"), "plot_score_distribution")
    ax = _axes(ax)
    score = pd.to_numeric(table["score"], errors="coerce")
    cls = table["priority_class"].astype("string")
    title = t("screen.plot.score.title", lang)
    if score.notna().sum() == 0:
        return _no_data(ax, lang, title)
    classes = _order_classes(cls.dropna().unique())
    palette = class_palette(classes)
    edges = np.linspace(0.0, 100.0, bins + 1)
    data = [score[(cls == k).to_numpy()].dropna().to_numpy(dtype="float64") for k in classes]
    ax.hist(
        data,
        bins=edges,
        stacked=True,
        color=[palette[k] for k in classes],
        edgecolor="white",
        linewidth=0.4,
        label=[t("plot.class", lang, cls=k) for k in classes],
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("screen.col.score", lang))
    ax.set_ylabel(t("metric.customers", lang))
    _count_axis(ax.yaxis, lang)
    _title(ax, title, pad=30)
    _legend(ax, where="top", ncol=len(classes))
    return _finish(ax, grid="y")


def plot_portfolio(
    table: pd.DataFrame,
    thresholds: tuple[float, float],
    *,
    position: str = "share_of_wallet",
    ax: Axes | None = None,
    lang: str = "de",
) -> Axes:
    """Portfolio matrix: attractiveness (score) × supplier position, coloured by class.

    The threshold lines split the four quadrants, each labelled with its name and
    what to do (``screen.quadrant.*``). The position axis is clipped at its 99th
    percentile so a few outliers do not squeeze the chart.

    Args:
        table: screening table with ``score``, ``priority_class`` and ``position``.
        thresholds: (score limit, position limit) of the quadrants.
        position: column of the supplier position (a share, e.g. share of wallet).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes.
    """
    check_language(lang)
    _require(table, ("score", "priority_class", position), "plot_portfolio")
    ax = _axes(ax, figsize=(9.0, 6.5))
    title = t("screen.plot.portfolio.title", lang)
    x = pd.to_numeric(table["score"], errors="coerce").to_numpy(dtype="float64")
    y = pd.to_numeric(table[position], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return _no_data(ax, lang, title)
    cls = table["priority_class"].astype("string").to_numpy(dtype=object, na_value="")
    top = float(np.quantile(y[ok], 0.99)) * 1.05 or 1.0
    top = max(top, thresholds[1] * 1.2, 1e-9)
    classes = _order_classes(pd.unique(cls[ok]))
    palette = class_palette(classes)
    n = int(ok.sum())
    size = 18 if n <= 5000 else 4
    above = ok & (y > top)
    for k in classes[::-1]:
        for capped in (False, True):
            m = ok & (cls == k) & (above == capped)
            if not m.any():
                continue
            ax.scatter(
                x[m],
                np.minimum(y[m], top),
                s=size * (1.6 if capped else 1.0),
                marker="^" if capped else "o",
                color=palette[k],
                alpha=0.75 if n <= 5000 else 0.35,
                linewidths=0,
                label=None if capped else t("plot.class", lang, cls=k),
                clip_on=False,
            )
    x_thr, y_thr = thresholds
    # free bands above and below the data hold the quadrant names (no label on a point)
    band = 0.12 * top
    ax.axvline(x_thr, color=GREY, linewidth=1.0, linestyle="--")
    ax.axhline(y_thr, color=GREY, linewidth=1.0, linestyle="--")
    ax.set_xlim(0, 100)
    ax.set_ylim(-band, top + band)
    ticks = [v for v in MaxNLocator(nbins=5).tick_values(0, top) if -1e-12 <= v <= top * 1.0001]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.spines["left"].set_bounds(0, top)
    if above.any():
        ax.annotate(
            t("plot.portfolio.capped_one" if above.sum() == 1 else "plot.portfolio.capped_many",
              lang, n=format_number(int(above.sum()), lang),
              value=_position_text(top, position, lang)),
            xy=(1.0, 0.0), xycoords="axes fraction", xytext=(0, -32), textcoords="offset points",
            ha="right", va="top", fontsize=_fs(NOTE_SIZE), color=MUTED,
        )  # fmt: skip
    corners = {
        "star": (0.99, top + band / 2, "right", "center"),
        "question_mark": (0.99, -band / 2, "right", "center"),
        "cash": (0.01, top + band / 2, "left", "center"),
        "opportunistic": (0.01, -band / 2, "left", "center"),
    }
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(
            cx,
            cy,
            t(f"screen.quadrant.{q}", lang),
            transform=ax.get_yaxis_transform(),
            ha=ha,
            va=va,
            fontsize=_fs(NOTE_SIZE),
            color=HIGHLIGHT if q == "star" else MUTED,
            fontweight="bold",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5},
        )
    ax.set_xlabel(t("screen.plot.portfolio.xlabel", lang))
    ax.set_ylabel(
        plot_label(position, lang)
        if f"screen.crit.{position}" not in translations()
        else t(f"screen.crit.{position}", lang)
    )
    if position in ("share_of_wallet", "margin_pct", "trend"):
        ax.yaxis.set_major_formatter(pct_formatter(lang))
    else:
        ax.yaxis.set_major_formatter(number_formatter(lang))
    ax.xaxis.set_major_formatter(number_formatter(lang))
    _title(ax, title, pad=30)
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=palette[k],
            label=t("plot.class", lang, cls=k),
        )
        for k in classes
    ]
    _legend(ax, handles=handles, where="top", ncol=len(classes))
    return _finish(ax, grid=None)


def _position_text(value: float, position: str, lang: str) -> str:
    """A value of the supplier-position axis as the axis shows it."""
    if position in ("share_of_wallet", "margin_pct", "trend"):
        return format_pct(value, lang)
    return format_number(value, lang, decimals=1 if abs(value) < 10 else 0)


def plot_capacity(capacity: pd.DataFrame, ax: Axes | None = None, lang: str = "de") -> Axes:
    """Utilisation of the available hours by role (bars), 100 % marked.

    Args:
        capacity: output of ``screening.capacity_check`` (index ``role``; ``required``,
            ``available``, ``utilisation``).
        ax: Axes to draw into; a new figure when None.
        lang: ``"de"`` or ``"en"``.

    Returns:
        The Axes; roles without configured capacity are left out (a note says when
        none is configured).
    """
    check_language(lang)
    _require(capacity, ("required", "available", "utilisation"), "plot_capacity")
    data = capacity.dropna(subset=["utilisation"])
    ax = _axes(ax, figsize=(9.0, 1.4 + 0.6 * max(len(data), 2)))
    title = t("screen.plot.capacity.title", lang)
    if data.empty:
        return _no_data(ax, lang, title, text=t("screen.plot.capacity.none", lang))
    roles = [str(r) for r in data.index]
    labels = [i18n_label(r, lang, scopes=ROLE_SCOPES) for r in roles]
    util = data["utilisation"].to_numpy(dtype="float64")
    pos = np.arange(len(roles))[::-1]
    colors = [HIGHLIGHT if u > 1 else PRIMARY for u in util]
    ax.barh(pos, util, height=0.6, color=colors, linewidth=0)
    for p, u, req, avail in zip(pos, util, data["required"], data["available"], strict=True):
        ax.annotate(
            f"{format_pct(u, lang)}  ({format_number(req, lang)} / {format_number(avail, lang)} h)",
            xy=(u, p),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=_fs(NOTE_SIZE),
            color=TEXT,
        )
    ax.axvline(1.0, color=GREY, linewidth=1.0, linestyle="--")
    ax.set_yticks(pos, labels)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, max(1.2, float(np.nanmax(util)) * 1.35))
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(t("screen.plot.capacity.xlabel", lang))
    _title(ax, title)
    return _finish(ax, grid="x")
