"""``definitions.html``: every headline figure with its definition, formula, basis and value.

Written into every report folder by the batch (and linked from ``index.html`` and each
notebook's HTML), in the report language, from the client's ``figures.json``: the page a
client's controller opens when a number is questioned.
"""

from __future__ import annotations

import html
from pathlib import Path

from kk_helpers.core.i18n import label, t
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.present.page_style import DEFINITIONS_FILE, nav_html, page_css
from kk_helpers.stages.figure_text import definitions_frame

FILE_NAME = DEFINITIONS_FILE


def definitions_html(figures: HeadlineFigures, *, client: str, lang: str, currency: str) -> str:
    """The page as HTML text; every value from client data is escaped.

    Args:
        figures: the client's headline figures.
        client: client name (or neutral label when anonymized) for the title.
        lang: "de" or "en".
        currency: ISO code for money figures.

    Returns:
        A complete, self-contained HTML document (str).
    """
    esc = html.escape
    frame = definitions_frame(figures, lang, currency)
    cols = ("figure", "value", "definition", "formula", "basis")
    heads = "".join(
        f"<th{' class=value' if c == 'value' else ''}>{esc(label(c, lang, scopes=('fig.col',)))}</th>"
        for c in cols
    )
    parts = []
    for stage, rows in frame.groupby("stage", sort=False):
        body = "".join(
            "<tr>"
            + "".join(
                f"<td class='value'>{esc(str(r[c]))}</td>" if c == "value"
                else f"<td>{esc(str(r[c]))}</td>"
                for c in cols
            )
            + "</tr>"
            for _, r in rows.iterrows()
        )  # fmt: skip
        parts.append(f"<h2>{esc(str(stage))}</h2><table><thead><tr>{heads}</tr></thead>"
                     f"<tbody>{body}</tbody></table>")  # fmt: skip
    title = t("fig.page.title", lang)
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<title>{esc(client)} – {esc(title)}</title><style>{page_css()}</style></head><body>
{nav_html(lang, definitions=False, technical=True)}
<h1>{esc(title)}</h1><p class="meta">{esc(client)}</p>
<p>{esc(t("fig.page.intro", lang))}</p>
{"".join(parts)}
</body></html>
"""


def write_definitions_page(
    figures: HeadlineFigures, folder: str | Path, *, client: str, lang: str, currency: str
) -> Path:
    """Write ``definitions.html`` into ``folder`` atomically and return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        definitions_html(figures, client=client, lang=lang, currency=currency), encoding="utf-8"
    )
    tmp.replace(path)
    return path
