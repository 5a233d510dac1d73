"""Notebook display helpers: translated section texts, findings and tables.

Notebooks hold no client-facing prose of their own: headings and explanations come
from the translation table (keys ``<prefix>.title`` and ``<prefix>.text``) so that the
same notebook presents in German or English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kk_helpers.core.i18n import t, translations
from kk_helpers.core.safe_text import markdown_text


def section_markdown(
    key: str, lang: str, level: int = 2, *, title_key: str | None = None, **kwargs: object
) -> str:
    """Markdown for a section: heading ``<key>.title`` and, if present, text ``<key>.text``.

    ``title_key`` takes the heading from another key instead (a section headed by a word
    that already has a key, e.g. a variant of another section), so the text exists once.
    The ``kwargs`` (client name, file names, ...) are inserted as literal text
    (:func:`kk_helpers.core.safe_text.markdown_text`): no markup from client data.

    >>> section_markdown("nb01.concentration", "en").startswith("## ")
    True
    >>> md = section_markdown("nb04.order_policy", "en", title_key="scen.param.minimum_order_value")
    >>> md.splitlines()[0]
    '## Minimum order value'
    """
    kwargs = {k: markdown_text(v) for k, v in kwargs.items()}
    md = "#" * level + " " + t(title_key or f"{key}.title", lang, **kwargs)
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


def section(
    key: str, lang: str, level: int = 2, *, title_key: str | None = None, **kwargs: object
) -> None:
    """Display a translated section heading and explanation in the notebook (see
    :func:`section_markdown`)."""
    from IPython.display import Markdown, display

    display(Markdown(section_markdown(key, lang, level, title_key=title_key, **kwargs)))


def findings(items: Iterable[str], lang: str) -> None:
    """Display generated findings as a bullet list."""
    from IPython.display import Markdown, display

    md = findings_markdown(items, lang)
    if md:
        display(Markdown(md))


def configure_pandas() -> None:
    """Show every table in full in the notebook: no column cut to 50 characters with "…"
    (client texts, reasons and "not available" notes must be readable)."""
    import pandas as pd

    pd.set_option("display.max_colwidth", None)


def partial_years_text(
    partial_years: Mapping[int, Sequence[int]], lang: str, *, use: str = "development"
) -> str:
    """The page sentence naming the partial years and the method ("" when there are none).

    ``use``: "development" (01), "trend" (02) or "last_year" (04); the years are shown
    with their months with data, e.g. ``12/2023`` or ``01–06/2025``.

    >>> partial_years_text({2025: (1, 2, 3, 4, 5, 6)}, "en", use="trend")[:35]
    'Partial years: 01–06/2025. The tren'
    >>> partial_years_text({}, "en")
    ''
    """
    if not partial_years:
        return ""
    spans = []
    for year, months in sorted(partial_years.items()):
        first, last = min(months), max(months)
        span = f"{first:02d}/{year}" if first == last else f"{first:02d}–{last:02d}/{year}"
        spans.append(span)
    return t(f"partial.note.{use}", lang, years=", ".join(spans))


def partial_years_note(
    partial_years: Mapping[int, Sequence[int]], lang: str, *, use: str = "development"
) -> None:
    """Display :func:`partial_years_text` as a finding when there are partial years."""
    text = partial_years_text(partial_years, lang, use=use)
    if text:
        findings([text], lang)
