"""Notebook display helpers: translated section texts, findings and tables.

Notebooks hold no client-facing prose of their own: headings and explanations come
from the translation table (keys ``<prefix>.title`` and ``<prefix>.text``) so that the
same notebook presents in German or English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from kk_helpers.core.i18n import t, translations


def section_markdown(key: str, lang: str, level: int = 2, **kwargs: object) -> str:
    """Markdown for a section: heading ``<key>.title`` and, if present, text ``<key>.text``.

    >>> section_markdown("nb01.concentration", "en").startswith("## ")
    True
    """
    md = "#" * level + " " + t(f"{key}.title", lang, **kwargs)
    if f"{key}.text" in translations():
        md += "\n\n" + t(f"{key}.text", lang, **kwargs)
    return md


def findings_markdown(findings: Iterable[str], lang: str) -> str:
    """Bullet list of generated findings under a translated "Findings" label."""
    items = [f for f in findings if f]
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


def label(name: str, lang: str) -> str:
    """Display label of a column or metric name, e.g. ``revenue_2024`` -> "Umsatz 2024".

    Looks up ``col.<name>``, ``metric.<name>`` and ``sq.col.<name>``; per-year names
    (``<metric>_<year>``) get the metric's label and the year; unknown names stay as they are.

    >>> label("revenue_2024", "en")
    'Revenue 2024'
    """
    table = translations()
    for key in (f"col.{name}", f"metric.{name}", f"sq.col.{name}"):
        if key in table:
            return table[key][lang]
    metric, _, year = str(name).rpartition("_")
    if year.isdigit():
        for key in (f"col.{metric}", f"metric.{metric}"):
            if key in table:
                return f"{table[key][lang]} {year}"
    return str(name)


def styled_table(
    frame: pd.DataFrame,
    lang: str,
    currency: str = "EUR",
    money: Iterable[str] = (),
    pct: Iterable[str] = (),
    number: Iterable[str] = (),
    decimals: dict[str, int] | None = None,
    index_label: str | None = None,
    hide_index: bool = False,
    labeler: Callable[[str, str], str] | None = None,
):
    """A formatted table for a notebook: headers translated with :func:`label`
    (or ``labeler(name, lang)``, for modules with their own column vocabulary).

    Format groups name canonical columns; names not in ``frame`` are ignored, so one
    call serves tables with and without optional columns. The frame is not modified.
    Returns a pandas ``Styler`` (see :func:`kk_helpers.core.formatting.style_table`).
    """
    from kk_helpers.core.formatting import style_table

    cols = set(frame.columns)
    out = frame.copy()
    if index_label is not None:
        out.index.name = index_label
    return style_table(
        out,
        lang,
        money_cols=[c for c in money if c in cols],
        pct_cols=[c for c in pct if c in cols],
        number_cols=[c for c in number if c in cols],
        currency=currency,
        decimals=decimals,
        labels={c: (labeler or label)(str(c), lang) for c in out.columns},
        hide_index=hide_index,
    )
