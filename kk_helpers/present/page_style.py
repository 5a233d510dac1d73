"""The look every report page shares: screen and print style sheets and the navigation bar.

Used by the pages the package writes itself (``index.html``, the executive summary,
``definitions.html``, ``technical.html``) and by the notebook pages' export template, so
that every page links back to ``index.html`` and prints the same way: A4 landscape,
tables not cut (rows kept whole, header rows repeated on every printed page), a page
break before each section, navigation and interactive parts hidden.
"""

from __future__ import annotations

import html

from kk_helpers.core.i18n import check_language, t

#: the report folder's start page, linked from every page
INDEX_FILE = "index.html"
#: the technical appendix (file names, config keys, run info)
TECHNICAL_FILE = "technical.html"
#: headline figures with their definitions
DEFINITIONS_FILE = "definitions.html"

#: Screen style of the package's own pages.
SCREEN_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #1d2733;
       padding: 0 1rem; }
h1 { margin-bottom: .1rem; } h2 { margin-top: 1.6rem; } .meta { color: #5b6b7b; margin-top: 0; }
table { border-collapse: collapse; width: 100%; max-width: 100%; margin: .6rem 0 1.4rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #d8dee4;
         vertical-align: top; white-space: normal; overflow-wrap: break-word; }
th.value, td.value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.value { font-weight: 600; }
nav.kk-nav { font-family: system-ui, sans-serif; margin: 0 0 1rem; }
nav.kk-nav a { margin-right: 1.2rem; }
.kk-scroll { overflow-x: auto; }
"""

#: Print style of every page (the package's own and the notebook pages).
PRINT_CSS = """
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0 !important; max-width: none !important; }
  nav.kk-nav, .jupyter-widgets, .widget-area, .jp-OutputPrompt, .jp-InputPrompt,
  .jp-Collapser, button, input, select { display: none !important; }
  table { page-break-inside: auto; break-inside: auto; width: 100% !important;
          max-width: 100% !important; font-size: 7pt !important; }
  th, td { padding: 2px 4px !important; white-space: normal !important; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  h2 { break-before: page; page-break-before: always; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  /* a chart never taller than the printable page (186 mm): a taller one was cut in two */
  img { max-width: 100% !important; max-height: 180mm !important; width: auto !important;
        height: auto !important; break-inside: avoid; page-break-inside: avoid; }
  .jp-OutputArea-output, .kk-scroll { overflow: visible !important; }
  a { color: inherit; text-decoration: none; }
}
"""

#: Extra screen rules for the notebook pages: tables never wider than the page (text
#: wraps; a horizontal scroll bar only as a last resort).
NOTEBOOK_CSS = """
.jp-RenderedHTMLCommon table { max-width: 100%; font-size: 13px; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 4px 6px !important; }
.jp-OutputArea-output { overflow-x: auto; }
nav.kk-nav { margin: 1rem 0 0 var(--jp-notebook-padding, 1rem); display: flex; gap: 1.2rem;
             font-family: var(--jp-ui-font-family, system-ui, sans-serif); font-size: 14px; }
"""


def nav_html(lang: str, *, definitions: bool = True, technical: bool = False) -> str:
    """The navigation bar at the top of a report page: back to ``index.html`` and, if
    asked, links to the definitions page and the technical appendix (hidden in print).

    >>> nav_html("en", definitions=False)
    '<nav class="kk-nav"><a href="index.html">Back to the overview</a></nav>'
    """
    check_language(lang)
    esc = html.escape
    links = [f'<a href="{INDEX_FILE}">{esc(t("fig.back_to_index", lang))}</a>']
    if definitions:
        links.append(f'<a href="{DEFINITIONS_FILE}">{esc(t("fig.page.title", lang))}</a>')
    if technical:
        links.append(f'<a href="{TECHNICAL_FILE}">{esc(t("tech.title", lang))}</a>')
    return f'<nav class="kk-nav">{"".join(links)}</nav>'


def page_css() -> str:
    """Screen and print style sheet of the package's own pages (for a ``<style>``)."""
    return SCREEN_CSS + PRINT_CSS
