"""Notebook display helpers: translated section texts, findings and tables.

Notebooks hold no client-facing prose of their own: headings and explanations come
from the translation table (keys ``<prefix>.title`` and ``<prefix>.text``) so that the
same notebook presents in German or English.
"""

from __future__ import annotations

from collections.abc import Iterable

from kk_helpers.core.i18n import t, translations
from kk_helpers.core.safe_text import markdown_text


def section_markdown(key: str, lang: str, level: int = 2, **kwargs: object) -> str:
    """Markdown for a section: heading ``<key>.title`` and, if present, text ``<key>.text``.

    The ``kwargs`` (client name, file names, ...) are inserted as literal text
    (:func:`kk_helpers.core.safe_text.markdown_text`): no markup from client data.

    >>> section_markdown("nb01.concentration", "en").startswith("## ")
    True
    """
    kwargs = {k: markdown_text(v) for k, v in kwargs.items()}
    md = "#" * level + " " + t(f"{key}.title", lang, **kwargs)
    if f"{key}.text" in translations():
        md += "\n\n" + t(f"{key}.text", lang, **kwargs)
    return md


def findings_markdown(findings: Iterable[str], lang: str) -> str:
    """Bullet list of generated findings under a translated "Findings" label.

    Findings may hold client text (customer names): tags and links in them are escaped
    (:func:`kk_helpers.core.safe_text.markdown_text`).
    """
    items = [markdown_text(f) for f in findings if f]
    if not items:
        return ""
    return f"**{t('display.findings', lang)}**\n\n" + "\n".join(f"- {f}" for f in items)


def section(key: str, lang: str, level: int = 2, **kwargs: object) -> None:
    """Display a translated section heading and explanation in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(section_markdown(key, lang, level, **kwargs)))


def findings(items: Iterable[str], lang: str) -> None:
    """Display generated findings as a bullet list."""
    from IPython.display import Markdown, display

    md = findings_markdown(items, lang)
    if md:
        display(Markdown(md))
