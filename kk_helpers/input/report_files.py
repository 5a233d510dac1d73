"""Validation report files: Markdown, self-contained HTML and ``rejected_rows.csv``.

>>> from kk_helpers.input.validation import ValidationReport
>>> import tempfile
>>> rep = ValidationReport()
>>> rep.register_file("transactions", "t.csv", rows_in=0)
>>> rep.set_accepted("transactions", "t.csv", rows=0)
>>> with tempfile.TemporaryDirectory() as d:
...     paths = write_validation_report(rep, Path(d), "en")
...     sorted(paths)
['html', 'markdown', 'rejected']
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from kk_helpers.core.excel import csv_safe_frame
from kk_helpers.core.formatting import format_money, format_number
from kk_helpers.core.i18n import check_language, t
from kk_helpers.core.safe_text import markdown_text
from kk_helpers.input.validation import SEVERITIES, ValidationReport

__all__ = ["REJECTED_CSV", "REPORT_HTML", "REPORT_MD", "write_validation_report"]

REPORT_MD = "validation_report.md"
REPORT_HTML = "validation_report.html"
REJECTED_CSV = "rejected_rows.csv"


def _unpack(data_or_report: Any) -> tuple[ValidationReport, str, str]:
    """(report, client name, currency) from a ClientData or a ValidationReport."""
    if isinstance(data_or_report, ValidationReport):
        return data_or_report, "", "EUR"
    report = getattr(data_or_report, "report", None)
    if not isinstance(report, ValidationReport):
        raise TypeError(
            f"expected ClientData or ValidationReport, got {type(data_or_report).__name__}"
        )
    cfg = getattr(data_or_report, "config", None)
    name = cfg.client.name if cfg is not None else ""
    currency = cfg.client.currency if cfg is not None else "EUR"
    return report, name, currency


def _content(report: ValidationReport, lang: str, currency: str) -> dict[str, Any]:
    """Tables and numbers shared by the Markdown and HTML renderers (all text formatted)."""
    rec = report.reconciliation()
    money_cols = ("revenue_in", "revenue_accepted", "revenue_rejected")
    count_cols = ("rows_in", "rows_accepted", "rows_rejected")
    rec_rows: list[list[str]] = []
    for table, grp in rec.groupby("table", sort=False):
        tname = t(f"table.{table}", lang)
        for _, r in grp.iterrows():  # one row per file: a handful
            rec_rows.append(
                [tname, str(r["file"])]
                + [format_number(r[c], lang) for c in count_cols]
                + [format_money(r[c], lang, currency, decimals=2) for c in money_cols]
            )
    total = rec[list(count_cols + money_cols)].sum()
    rec_rows.append(
        [t("common.total", lang), ""]
        + [format_number(total[c], lang) for c in count_cols]
        + [format_money(total[c], lang, currency, decimals=2) for c in money_cols]
    )
    rec_notes = [
        t("load.recon_unreadable", lang, file=str(f), n=format_number(n, lang))
        for f, n in (
            (r["file"], report.unreadable_revenue(r["table"], r["file"])) for _, r in rec.iterrows()
        )
        if n
    ]
    rec_header = [
        t("col.table", lang),
        t("col.file", lang),
        t("col.rows_in", lang),
        t("col.rows_accepted", lang),
        t("col.rows_rejected", lang),
        t("col.revenue_in", lang),
        t("col.revenue_accepted", lang),
        t("col.revenue_rejected", lang),
    ]

    summ = report.summary(lang)
    issue_header = [
        t("col.severity", lang),
        t("col.table", lang),
        t("col.file", lang),
        t("col.reason", lang),
        t("col.column", lang),
        t("col.rows", lang),
        t("col.revenue", lang),
        t("col.examples", lang),
        t("col.detail", lang),
    ]
    issue_rows = [
        [
            r.severity,
            r.table,
            r.file,
            r.reason,
            "" if r.column is None or pd.isna(r.column) else str(r.column),
            format_number(r.rows, lang),
            format_money(r.revenue, lang, currency, decimals=2) if r.revenue else "",
            r.examples,
            r.detail or "",
        ]
        for r in summ.itertuples(index=False)
    ]
    counts = [
        [t(f"report.severity.{s}", lang), format_number(report.count(s), lang)] for s in SEVERITIES
    ]
    return {
        "rec_header": rec_header,
        "rec_rows": rec_rows,
        "rec_notes": rec_notes,
        "issue_header": issue_header,
        "issue_rows": issue_rows,
        "counts": counts,
        "severities": [str(s) for s in summ["severity_key"]],
        "total": total,
        "n_files": len(rec),
        "n_rejected": len(report.rejected),
    }


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(s: str) -> str:
        return str(s).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _render_md(c: dict[str, Any], title: str, lang: str) -> str:
    parts = [f"# {title}", ""]
    if c.get("fatal"):
        parts += [f"## {t('load.fatal_heading', lang)}", "", c["fatal"], ""]
    parts += [f"## {t('report.summary', lang)}", ""]
    parts.append(_md_table([t("col.severity", lang), t("col.rows", lang)], c["counts"]))
    parts += ["", f"## {t('report.reconciliation', lang)}", ""]
    parts.append(_md_table(c["rec_header"], c["rec_rows"]))
    parts += ["", *c["rec_notes"]] if c["rec_notes"] else []
    parts += ["", f"## {t('report.issues', lang)}", ""]
    if c["issue_rows"]:
        parts.append(_md_table(c["issue_header"], c["issue_rows"]))
    else:
        parts.append(t("report.no_issues", lang))
    parts += ["", t("report.rejected_file", lang, n=c["n_rejected"], file=REJECTED_CSV), ""]
    return "\n".join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#222;
max-width:1200px}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6}td.num{text-align:right;white-space:nowrap}
tr.total td{font-weight:bold;background:#fafafa}
.sev-rejected{color:#a40000}.sev-warning{color:#9a6700}.sev-corrected{color:#0a5fa4}
.sev-info{color:#555}
"""


def _html_table(
    header: list[str],
    rows: list[list[str]],
    num_cols: set[int],
    total_last: bool = False,
    row_classes: list[str] | None = None,
) -> str:
    out = ["<table>", "<thead><tr>"]
    out += [f"<th>{html.escape(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        cls = []
        if total_last and i == len(rows) - 1:
            cls.append("total")
        if row_classes:
            cls.append(row_classes[i])
        attr = f' class="{" ".join(cls)}"' if cls else ""
        cells = [
            f'<td class="num">{html.escape(str(v))}</td>'
            if j in num_cols
            else f"<td>{html.escape(str(v))}</td>"
            for j, v in enumerate(row)
        ]
        out.append(f"<tr{attr}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _render_html(c: dict[str, Any], title: str, lang: str) -> str:
    body = [f"<h1>{html.escape(title)}</h1>"]
    if c.get("fatal"):
        body += [
            f'<h2 class="sev-rejected">{html.escape(t("load.fatal_heading", lang))}</h2>',
            f'<p class="sev-rejected">{html.escape(c["fatal"])}</p>',
        ]
    body.append(f"<h2>{html.escape(t('report.summary', lang))}</h2>")
    body.append(
        _html_table(
            [t("col.severity", lang), t("col.rows", lang)],
            c["counts"],
            {1},
            row_classes=[f"sev-{s}" for s in SEVERITIES],
        )
    )
    body.append(f"<h2>{html.escape(t('report.reconciliation', lang))}</h2>")
    body.append(_html_table(c["rec_header"], c["rec_rows"], {2, 3, 4, 5, 6, 7}, total_last=True))
    body += [f"<p>{html.escape(note)}</p>" for note in c["rec_notes"]]
    body.append(f"<h2>{html.escape(t('report.issues', lang))}</h2>")
    if c["issue_rows"]:
        body.append(
            _html_table(
                c["issue_header"],
                c["issue_rows"],
                {5, 6},
                row_classes=[f"sev-{s}" for s in c["severities"]],
            )
        )
    else:
        body.append(f"<p>{html.escape(t('report.no_issues', lang))}</p>")
    rejected_note = t("report.rejected_file", lang, n=c["n_rejected"], file=REJECTED_CSV)
    body.append(f"<p>{html.escape(rejected_note)}</p>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_validation_report(
    data_or_report: Any, out_dir: Path, lang: str, *, fatal: str | None = None
) -> dict[str, Path]:
    """Write ``validation_report.md``, ``validation_report.html`` and ``rejected_rows.csv``.

    Parameters
    ----------
    data_or_report:
        A :class:`kk_helpers.input.loading.ClientData` (client name and currency are taken from
        its config) or a bare :class:`ValidationReport` (currency EUR).
    out_dir:
        Folder for the files; created if missing.
    lang:
        ``"de"`` or ``"en"``: headings, reason texts and number format.
    fatal:
        The message of a fatal error (file, column, rows, expected): shown first, above
        whatever was counted before loading stopped (``data_or_report`` may then be
        the partial :class:`ValidationReport`, or None).

    Returns ``{"markdown": path, "html": path, "rejected": path}``.
    ``rejected_rows.csv`` is always written (header only when nothing was rejected),
    with ``;`` as delimiter and UTF-8 with BOM so that Excel opens it directly.
    """
    check_language(lang)
    report, client_name, currency = _unpack(
        ValidationReport() if data_or_report is None else data_or_report
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    c = _content(report, lang, currency)
    c["fatal"] = fatal
    title = t("report.validation_title", lang)
    if client_name:
        title = f"{title} – {client_name}"

    md_path = out_dir / REPORT_MD
    md_title = t("report.validation_title", lang)
    if client_name:
        md_title = f"{md_title} – {markdown_text(client_name)}"
    md_path.write_text(_render_md(c, md_title, lang), encoding="utf-8")

    html_path = out_dir / REPORT_HTML
    html_path.write_text(_render_html(c, title, lang), encoding="utf-8")

    csv_path = out_dir / REJECTED_CSV
    csv_safe_frame(report.rejected).to_csv(csv_path, sep=";", index=False, encoding="utf-8-sig")
    return {"markdown": md_path, "html": html_path, "rejected": csv_path}
