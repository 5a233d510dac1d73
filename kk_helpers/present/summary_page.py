"""The one-page executive summary (``executive_summary.html``) of a client's report.

Written by notebook 04 next to the other report files and linked first in the report
folder's ``index.html``: the key figures of stages 1–4, the target picture in a few
sentences, the top measures and the quick wins — for managers who read one page.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from kk_helpers.core.i18n import t

FILE_NAME = "executive_summary.html"

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 56rem; color: #1d2733; }
h1 { margin-bottom: .1rem; } .meta { color: #5b6b7b; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.4rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #d8dee4; vertical-align: top; }
td.value { text-align: right; font-weight: 600; white-space: nowrap; }
li { margin: .25rem 0; } .qw { color: #d55e00; font-weight: 600; }
@media print { body { margin: 0; } }
"""


def _table(frame: pd.DataFrame, value_cols: tuple[str, ...] = ()) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
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

    Returns:
        A self-contained HTML page (inline CSS, no scripts).
    """
    esc = html.escape
    kf = key_figures.reset_index()
    kf.columns = [t("col.figure", lang), t("col.value", lang)]
    items = "".join(f"<li>{esc(f)}</li>" for f in findings)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{esc(client)} – {esc(t("summary.title", lang))}</title><style>{_STYLE}</style></head>
<body>
<h1>{esc(t("summary.title", lang))}</h1>
<p class="meta">{esc(client)} · {esc(t("index.created", lang))} {esc(date)}</p>
<h2>{esc(t("summary.key_figures", lang))}</h2>
{_table(kf, value_cols=(t("col.value", lang),))}
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
) -> Path:
    """Write ``executive_summary.html`` for a :class:`~kk_helpers.stages.target.analysis.TargetPicture`.

    Takes the key figures and closing findings of notebook 04 and the ``top``
    measures of the plan (rank, measure, lever, owner, start, end, quick win).
    ``figures`` / ``findings``: ``tpf.key_figures(tp)`` / ``tpf.summary_findings(tp)``
    when already computed (else they are computed here). Returns the path written.
    """
    from kk_helpers.stages.target import findings as tpf
    from kk_helpers.stages.target import tables as tpt

    lang = tp.lang
    plan = tpt.plan_frame(tp).sort_values("rank").head(top)
    cols = ["rank", "measure", "lever", "owner", "start", "end", "quick_win"]
    plan = plan[cols].copy()
    plan["start"] = pd.to_datetime(plan["start"]).dt.strftime("%m/%Y")
    plan["end"] = pd.to_datetime(plan["end"]).dt.strftime("%m/%Y")
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
        date=pd.Timestamp.now().strftime("%Y-%m-%d"),
    )
    path = Path(out_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
