"""The report folder's pages written by the batch: ``index.html``, the technical appendix,
and the finishing touches of the notebook pages (alt texts, navigation).

``index.html`` speaks the client's language: it links every document by a translated
name (the file names are listed in ``technical.html``), shows the headline figures and
the run times in the report language's number format.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kk_helpers.core.formatting import format_date, format_number
from kk_helpers.core.i18n import t
from kk_helpers.present.page_style import (
    DEFINITIONS_FILE,
    INDEX_FILE,
    NOTEBOOK_CSS,
    PRINT_CSS,
    TECHNICAL_FILE,
    nav_html,
    page_css,
)
from kk_helpers.present.technical_page import NotebookRun, collect_info, write_technical_page
from kk_helpers.stages.figure_text import figures_frame

if TYPE_CHECKING:
    from kk_helpers.batch.runner import ClientResult

#: the headline figures index.html shows (all others: definitions.html)
INDEX_FIGURES = (
    "customers",
    "revenue_total",
    "abc_small_customer_share",
    "abc_small_revenue_share",
    "priority_small_customer_share",
    "priority_small_revenue_share",
    "break_even_order_value",
    "recommended_minimum_order_value",
    "fte_freed",
    "profit_effect",
)

#: documents linked from index.html (beside the notebook pages), in this order:
#: (file pattern, translation key of the link text)
DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("executive_summary.html", "nb04.summary.title"),
    ("deck.pptx", "pages.file.deck"),
    (DEFINITIONS_FILE, "fig.page.title"),
    ("status_quo.xlsx", "pages.file.status_quo"),
    ("screening.xlsx", "pages.file.screening"),
    ("lever_assessment.xlsx", "pages.file.lever_assessment"),
    ("measures_plan.xlsx", "pages.file.measures_plan"),
    ("*.xlsx", "pages.file.other"),
    ("validation_report.html", "pages.file.validation_report"),
    ("rejected_rows.csv", "pages.file.rejected_rows"),
    (TECHNICAL_FILE, "tech.title"),
)

VALIDATION_HTML = "validation_report.html"


def documents(out: Path, lang: str) -> list[tuple[Path, str]]:
    """The report documents in ``out`` with their translated link texts (a further Excel
    file not known here: "Further file (Excel)" with its name in parentheses)."""
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for pattern, key in DOCUMENTS:
        for path in sorted(out.glob(pattern)):
            if path in seen:
                continue
            seen.add(path)
            text = t(key, lang)
            if key == "pages.file.other":
                text = f"{text} ({path.stem.replace('_', ' ')})"
            found.append((path, text))
    return found


def seconds_text(seconds: float, lang: str) -> str:
    """A run time in the report language's number format.

    >>> seconds_text(5.62, "de"), seconds_text(5.62, "en")
    ('5,6 s', '5.6 s')
    """
    return f"{format_number(seconds, lang, decimals=1)} s"


def write_index(result: ClientResult) -> Path:
    """Write ``index.html`` for a client's report folder and return its path."""
    lang = result.lang
    esc = html.escape
    rows = []
    for nr in result.notebooks:
        links = []
        if nr.html:
            links.append(f'<a href="{esc(nr.html.name)}">{esc(t("index.report", lang))}</a>')
        if nr.ipynb:
            links.append(f'<a href="{esc(nr.ipynb.name)}">{esc(t("index.notebook", lang))}</a>')
        status = esc(t(f"index.status.{nr.status}", lang))
        rows.append(
            f"<tr class='{esc(nr.status)}'><td>{esc(t(f'notebook.{nr.step}', lang))}</td>"
            f"<td>{' · '.join(links)}</td><td class='value'>{seconds_text(nr.seconds, lang)}</td>"
            f"<td>{status}</td><td>{esc(nr.error)}</td></tr>"
        )
    files = "".join(
        f'<li><a href="{esc(p.name)}">{esc(text)}</a></li>'
        for p, text in documents(result.output_dir, lang)
    )
    error = f"<p class='error'>{esc(result.error)}</p>" if result.error else ""
    figures = ""
    if result.figures is not None and len(result.figures):
        frame = figures_frame(result.figures, lang, result.currency, codes=INDEX_FIGURES)
        head = "".join(
            f"<th{' class=value' if i else ''}>{esc(str(c))}</th>"
            for i, c in enumerate(frame.columns)
        )
        body = "".join(
            f"<tr><td>{esc(str(r.iloc[0]))}</td><td class='value'>{esc(str(r.iloc[1]))}</td></tr>"
            for _, r in frame.iterrows()
        )
        figures = (
            f"<h2>{esc(t('index.figures', lang))}</h2><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p><a href='{DEFINITIONS_FILE}'>"
            f"{esc(t('fig.page.title', lang))}</a></p>"
        )
    stamp = dt.datetime.now()
    now = f"{format_date(stamp.date(), lang)} {stamp.strftime('%H:%M')}"
    scenario = (f" · {esc(t('col.scenario', lang))}: {esc(result.scenario)}"
                if result.scenario else "")  # fmt: skip
    live = ""
    if result.client_folder:
        command = f'kk present "{result.client_folder}"'
        if result.scenario:
            command += f' --scenario "{result.scenario}"'
        live = (f"<h2>{esc(t('pages.live.title', lang))}</h2>"
                f"<p>{esc(t('pages.live.text', lang))}</p><pre>{esc(command)}</pre>")  # fmt: skip
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{esc(result.name)} – {esc(t("index.title", lang))}</title>
<style>{page_css()}
tr.failed td {{ background: #fdecea; }} tr.skipped td {{ color: #8a96a3; }}
.error {{ color: #b3261e; font-weight: 600; }}
</style></head><body>
<nav class="kk-nav"><a href="{INDEX_FILE}">{esc(t("index.title", lang))}</a></nav>
<h1>{esc(result.name)}</h1>
<p class="meta">{esc(t("index.title", lang))} · {esc(t("index.created", lang))} {now} ·
{esc(t("index.language", lang))}: {lang} · {esc(t("col.status", lang))}:
{esc(t(f"index.status.{result.status}", lang))} · {seconds_text(result.seconds, lang)}{scenario}</p>
{error}
<table><thead><tr><th>{esc(t("index.step", lang))}</th><th>{esc(t("index.links", lang))}</th>
<th class="value">{esc(t("index.runtime", lang))}</th><th>{esc(t("col.status", lang))}</th>
<th></th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{figures}
<h2>{esc(t("index.files", lang))}</h2><ul>{files}</ul>
{live}
</body></html>
"""
    path = result.output_dir / INDEX_FILE
    result.output_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path


def write_technical(result: ClientResult, cfg: Any, *, anonymize: bool) -> Path:
    """Write ``technical.html`` (file names, config keys, run info) for a run."""
    runs = [NotebookRun(nr.step, nr.notebook, nr.status, nr.seconds) for nr in result.notebooks]
    info = collect_info(cfg, result.output_dir, lang=result.lang, anonymized=anonymize,
                        notebooks=runs)  # fmt: skip
    return write_technical_page(info, result.output_dir, client=result.name)


# --- notebook pages and the validation report ----------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def describe_images(nb: Any) -> int:
    """Give every chart output without an alt text the heading of its section (the last
    Markdown heading shown before it) as alt text, in place; returns how many were set.

    Charts shown with :func:`kk_helpers.present.display.describe_figures` active carry
    their own title already; this covers figures without a title.
    """
    heading, changed = "", 0
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            found = _HEADING.findall(cell.get("source", ""))
            heading = found[-1] if found else heading
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            md = data.get("text/markdown")
            if md:
                found = _HEADING.findall(md if isinstance(md, str) else "".join(md))
                heading = found[-1] if found else heading
            if "image/png" in data:
                meta = out.setdefault("metadata", {})
                png_meta = meta.setdefault("image/png", {})
                if not (png_meta.get("alt") or meta.get("alt")) and heading:
                    png_meta["alt"] = _plain(heading)
                    changed += 1
    return changed


def _plain(markdown: str) -> str:
    """A heading without Markdown emphasis and escapes."""
    return re.sub(r"[*_`\\]", "", markdown).strip()


def notebook_resources(lang: str, title: str) -> dict[str, Any]:
    """nbconvert resources for a notebook page: title, navigation bar, extra CSS."""
    return {
        "metadata": {"name": title},
        "kk_nav": nav_html(lang, technical=False),
        "kk_css": NOTEBOOK_CSS + PRINT_CSS,
    }


def add_navigation(page: Path, lang: str) -> None:
    """Put the navigation bar back to ``index.html`` and the print style sheet into a
    page written by another part of the package (the validation report)."""
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    if 'class="kk-nav"' in text:
        return
    head, sep, rest = text.partition("<body")
    if sep:
        end = rest.index(">") + 1
        text = head + sep + rest[:end] + nav_html(lang, definitions=False) + rest[end:]
    text = text.replace("</head>", f"<style>{PRINT_CSS}</style></head>", 1)
    tmp = page.with_name(page.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(page)
