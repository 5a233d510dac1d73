"""The one-page executive summary (``executive_summary.html``) of a client's report.

Written by notebook 04 next to the other report files and linked first in the report
folder's ``index.html``: the key figures of stages 1–4 beside the charts a board
remembers (revenue concentration, whale curve, result bridge, class profile), the target
picture in a few sentences, the top measures and the quick wins — for managers who read
one page. Self-contained: the charts are embedded as PNG data URIs with alt texts.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from kk_helpers.core.i18n import t
from kk_helpers.present.display import figure_alt_text
from kk_helpers.present.page_style import nav_html, page_css

FILE_NAME = "executive_summary.html"

_STYLE = """
body { max-width: 80rem; }
.kk-top { display: grid; grid-template-columns: minmax(18rem, 1fr) 2fr; gap: 1.5rem;
          align-items: start; }
.kk-charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.kk-charts figure { margin: 0; break-inside: avoid; }
.kk-charts figure.wide { grid-column: 1 / -1; }
.kk-charts img { width: 100%; height: auto; }
.kk-charts figcaption { color: #5b6b7b; font-size: .9em; }
li { margin: .25rem 0; } .qw { color: #d55e00; font-weight: 600; }
@media (max-width: 60rem) { .kk-top, .kk-charts { grid-template-columns: 1fr; } }
@media print { .kk-top { grid-template-columns: 1fr 2fr; } h2 { break-before: auto; } }
"""

#: the summary's charts in the order shown (caption: ``summary.chart.<code>``)
CHARTS: tuple[str, ...] = ("lorenz", "whale", "waterfall", "class_profile")
#: charts with many categories drawn wider (inches), shown across both chart columns
_SIZES: dict[str, tuple[float, float]] = {"waterfall": (11.0, 4.6), "class_profile": (11.0, 4.6)}


def chart_png(
    draw: Callable[[object], object], *, size: tuple[float, float] = (6.4, 4.0)
) -> tuple[str, str]:
    """Draw one chart on a new figure (not a pyplot figure, so a notebook does not show it)
    and return ``(PNG data URI, alt text from its titles)``.

    ``draw(ax)`` draws into the given Axes (one of the ``kk_helpers.present.plots``
    functions with ``ax=``).
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    ax = fig.subplots()
    drawn = draw(ax)
    target = getattr(drawn, "figure", None) or fig
    buffer = io.BytesIO()
    target.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    alt = figure_alt_text(target)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/png;base64,{data}", alt


def summary_charts(prep, tp, *, sq=None) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """The summary's charts for a prepared client and its target picture:
    ``(code, data URI, alt text)`` per chart, drawn by the plot functions of
    :mod:`kk_helpers.present.plots` (the whale curve only with margin data)."""
    from kk_helpers.present import plots
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo

    lang = tp.lang
    sq = sq if sq is not None else analyse_status_quo(prep, lang)
    draws: dict[str, Callable[[object], object]] = {
        "lorenz": lambda ax: plots.plot_lorenz(sq.lorenz, gini=sq.gini, ax=ax, lang=lang),
        "whale": lambda ax: plots.plot_whale(sq.whale, ax=ax, lang=lang),
        "waterfall": lambda ax: plots.plot_waterfall(
            tp.waterfall, ax=ax, lang=lang, currency=tp.currency
        ),
        "class_profile": lambda ax: plots.plot_class_profile(sq.profile, ax=ax, lang=lang),
    }
    if not sq.has_margin:
        draws.pop("whale")
    charts = []
    for code in CHARTS:
        if code in draws:
            uri, alt = chart_png(draws[code], size=_SIZES.get(code, (6.4, 4.4)))
            charts.append((code, uri, alt or t(f"summary.chart.{code}", lang)))
    return charts


def _charts_html(charts: Sequence[tuple[str, str, str]], lang: str) -> str:
    esc = html.escape
    items = "".join(
        f"<figure{' class=wide' if code in _SIZES else ''}><img src='{uri}' "
        f"alt='{esc(alt, quote=True)}'>"
        f"<figcaption>{esc(t(f'summary.chart.{code}', lang))}</figcaption></figure>"
        for code, uri, alt in charts
    )
    return f"<div class='kk-charts'>{items}</div>"


def _table(frame: pd.DataFrame, value_cols: tuple[str, ...] = ()) -> str:
    head = "".join(
        f"<th class='value'>{html.escape(str(c))}</th>"
        if c in value_cols
        else f"<th>{html.escape(str(c))}</th>"
        for c in frame.columns
    )
    rows = []
    for _, row in frame.iterrows():
        cells = "".join(
            f"<td class='value'>{html.escape(str(v))}</td>"
            if c in value_cols
            else f"<td>{html.escape(str(v))}</td>"
            for c, v in row.items()
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def summary_html(
    client: str,
    lang: str,
    *,
    key_figures: pd.DataFrame,
    findings: list[str],
    measures: pd.DataFrame,
    date: str,
    charts: Sequence[tuple[str, str, str]] = (),
) -> str:
    """Render the page.

    Args:
        client: client name (or pseudonymous id) for the title.
        lang: "de" or "en".
        key_figures: one row per figure, the label as index and one value column.
        findings: sentences of the closing findings.
        measures: the top measures with translated column headers; a column holding
            the translated word for "yes" in a quick-win column is highlighted.
        date: creation date shown under the title.
        charts: ``(code, PNG data URI, alt text)`` per chart (:func:`summary_charts`),
            shown beside the key figures.

    Returns:
        A self-contained HTML page (inline CSS, no scripts).
    """
    esc = html.escape
    kf = key_figures.reset_index()
    kf.columns = [t("col.figure", lang), t("col.value", lang)]
    items = "".join(f"<li>{esc(f)}</li>" for f in findings)
    figures_table = _table(kf, value_cols=(t("col.value", lang),))
    if charts:
        top = (
            f"<div class='kk-top'><section><h2>{esc(t('summary.key_figures', lang))}</h2>"
            f"{figures_table}</section><section><h2>{esc(t('summary.charts', lang))}</h2>"
            f"{_charts_html(charts, lang)}</section></div>"
        )
    else:
        top = f"<h2>{esc(t('summary.key_figures', lang))}</h2>\n{figures_table}"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{esc(client)} – {esc(t("summary.title", lang))}</title>
<style>{page_css()}{_STYLE}</style></head>
<body>
{nav_html(lang)}
<h1>{esc(t("summary.title", lang))}</h1>
<p class="meta">{esc(client)} · {esc(t("index.created", lang))} {esc(date)}</p>
{top}
<h2>{esc(t("summary.target_picture", lang))}</h2>
<ul>{items}</ul>
<h2>{esc(t("summary.top_measures", lang))}</h2>
{_table(measures)}
</body></html>
"""


def write_executive_summary(
    tp,  # noqa: ANN001
    out_dir: str | Path,
    *,
    top: int = 8,
    figures: pd.DataFrame | None = None,
    findings: list[str] | None = None,
    prep=None,  # noqa: ANN001 - PreparedClient
    sq=None,  # noqa: ANN001 - StatusQuo, computed from prep when None
) -> Path:
    """Write ``executive_summary.html`` for a :class:`~kk_helpers.stages.target.analysis.TargetPicture`.

    Takes the key figures and closing findings of notebook 04 and the ``top``
    measures of the plan (rank, measure, lever, owner, start, end, quick win).
    ``figures`` / ``findings``: ``tpf.key_figures(tp)`` / ``tpf.summary_findings(tp)``
    when already computed (else they are computed here). ``prep``: the prepared client
    (:func:`kk_helpers.stages.prepare.prepare_client`); with it the page shows the
    charts of :func:`summary_charts` beside the key figures. Returns the path written.
    """
    from kk_helpers.core.formatting import format_date
    from kk_helpers.stages.target import findings as tpf
    from kk_helpers.stages.target import tables as tpt
    from kk_helpers.stages.target.measures import month_label

    lang = tp.lang
    plan = tpt.plan_frame(tp).sort_values("rank").head(top)
    cols = ["rank", "measure", "lever", "owner", "start", "end", "quick_win"]
    plan = plan[cols].copy()
    plan["start"] = [month_label(d, lang) for d in pd.to_datetime(plan["start"])]
    plan["end"] = [month_label(d, lang) for d in pd.to_datetime(plan["end"])]
    plan = plan.rename(columns={c: tpt.label(c, lang) for c in cols})
    if figures is None:
        figures = tpf.key_figures(tp)
    if findings is None:
        findings = tpf.summary_findings(tp)
    page = summary_html(
        client=str(tp.client),
        lang=lang,
        key_figures=figures.iloc[:, :1] if figures.shape[1] else figures,
        findings=findings,
        measures=plan,
        date=format_date(pd.Timestamp.now().date(), lang),
        charts=summary_charts(prep, tp, sq=sq) if prep is not None else (),
    )
    path = Path(out_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path
