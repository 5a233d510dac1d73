"""Notebook display helpers: translated section texts, findings and tables.

Notebooks hold no client-facing prose of their own: headings and explanations come
from the translation table (keys ``<prefix>.title`` and ``<prefix>.text``) so that the
same notebook presents in German or English.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

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
    """Notebook display set-up: every table in full (no column cut to 50 characters with
    "…": client texts, reasons and "not available" notes must be readable), every
    chart with its title as alt text (:func:`describe_figures`) and every plain DataFrame
    with the workbook's table look (:func:`style_frames`)."""
    import pandas as pd

    pd.set_option("display.max_colwidth", None)
    describe_figures()
    style_frames()


def figure_alt_text(fig: object) -> str:
    """A chart's description for its alt text: the figure title, else the panel titles
    (joined by " · "), else the axis labels; "" for a figure without any of these.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2)
    >>> _ = axes[0].set_title("Pareto"), axes[1].set_title("Lorenz")
    >>> figure_alt_text(fig)
    'Pareto · Lorenz'
    >>> plt.close(fig)
    """
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return " ".join(suptitle.get_text().split())
    axes = [ax for ax in getattr(fig, "axes", []) if ax.get_visible()]
    titles = [" ".join(ax.get_title(loc).split()) for ax in axes for loc in ("center", "left")]
    titles = list(dict.fromkeys(x for x in titles if x))
    if titles:
        return " · ".join(titles)
    labels = [" ".join(ax.get_ylabel().split()) for ax in axes]
    labels += [" ".join(ax.get_xlabel().split()) for ax in axes]
    return " · ".join(dict.fromkeys(x for x in labels if x))


def _notebook_shell():  # noqa: ANN202 - IPython InteractiveShell or None
    """The running IPython shell with display formatters, or None outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "display_formatter") else None


def describe_figures() -> None:
    """In a notebook kernel with the inline backend: give every matplotlib figure shown
    as PNG its :func:`figure_alt_text` in the output's metadata (``image/png`` ->
    ``alt``), which the report's HTML export writes as the image's alt text. Does nothing
    outside IPython or with another backend."""
    shell = _notebook_shell()
    if shell is None:
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    plt.close(plt.figure())  # the inline backend registers its PNG formatter on first use
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        current = formatter.lookup_by_type(Figure)
    except KeyError:
        return
    if current is None or getattr(current, "kk_alt_text", False):
        return

    def png_with_alt(fig: Figure):  # noqa: ANN202 - bytes/str or (data, metadata)
        data = current(fig)
        if data is None:
            return None
        meta: dict = {}
        if isinstance(data, tuple):
            data, meta = data
        alt = figure_alt_text(fig)
        return (data, {**(meta or {}), "alt": alt}) if alt else (data, meta or {})

    png_with_alt.kk_alt_text = True  # type: ignore[attr-defined]
    formatter.for_type(Figure, png_with_alt)


def style_frames(lang: str | None = None) -> None:
    """In a notebook kernel: show a plain DataFrame (one displayed without a Styler) with
    the workbook's table look (:func:`kk_helpers.core.formatting.style_table`: no 0..n
    index, one header row, text left, numbers right in the report language). ``lang``:
    the report language; default the notebook's ``lang`` parameter, else German. A bare
    ``frame.style`` (a Styler without styles or formats) is shown the same way. Frames
    longer than pandas' ``display.max_rows`` keep pandas' own (shortened) view."""
    shell = _notebook_shell()
    if shell is None:
        return
    from pandas.io.formats.style import Styler

    from kk_helpers.core.formatting import style_table
    from kk_helpers.core.i18n import LANGUAGES

    def frame_html(frame: pd.DataFrame) -> str:
        shown = lang or shell.user_ns.get("lang")
        shown = shown if shown in LANGUAGES else "de"
        limit = pd.get_option("display.max_rows")
        if limit is not None and len(frame) > limit:
            return frame._repr_html_()
        return style_table(frame, shown).to_html()

    def styler_html(styler: Styler) -> str:
        # a bare ``frame.style`` (no styles, no formats) gets the workbook's look too
        if styler.table_styles or styler._todo or styler.ctx:
            return styler.to_html()
        return frame_html(styler.data)

    html_formatter = shell.display_formatter.formatters["text/html"]
    html_formatter.for_type(pd.DataFrame, frame_html)
    html_formatter.for_type(Styler, styler_html)


#: Quote list look: one block per statement, the speaker below it, no table.
QUOTE_CSS = (
    "<style>.kk-quotes{list-style:none;padding:0;margin:.5rem 0 1rem;max-width:60rem}"
    ".kk-quotes li{border-left:3px solid #0072b2;background:#f5f8fb;margin:.5rem 0;"
    "padding:.45rem .8rem;text-align:left;break-inside:avoid}"
    ".kk-quotes q{display:block;font-style:italic;white-space:normal}"
    ".kk-quotes .kk-who{display:block;color:#5b6b7b;font-size:.9em;margin-top:.2rem}"
    ".kk-quotes-group{margin:1rem 0 .2rem;font-weight:600;text-align:left}</style>"
)


def quote_list_html(
    frame: pd.DataFrame,
    *,
    text: str = "comment",
    speaker: str | None = "role",
    context: Sequence[str] = (),
    group: str | None = None,
) -> str:
    """Long texts (comments, statements) as a readable quote list instead of a table.

    Each row of ``frame`` becomes one quote: the full ``text`` (never cut), below it
    "— speaker · context…"; with ``group`` the quotes are listed under a heading per
    value of that column (in order of appearance). All values are HTML-escaped.

    Args:
        frame: one row per quote, values already translated for display.
        text: the column holding the quoted text.
        speaker: the column naming who said it (a role), or None.
        context: further columns shown after the speaker (e.g. the question).
        group: the column to group the quotes by (e.g. the lever), or None.

    Returns:
        HTML (``<style>`` and ``<ul class="kk-quotes">`` lists); "" for an empty frame.

    Raises:
        KeyError: a named column is not in ``frame``.

    >>> f = pd.DataFrame({"lever": ["Prices"], "role": ["Sales"], "comment": ["Too <low>."]})
    >>> html = quote_list_html(f, group="lever")
    >>> "<q>Too &lt;low&gt;.</q>" in html, "— Sales" in html, ">Prices<" in html
    (True, True, True)
    """
    named = [text, *([speaker] if speaker else []), *context, *([group] if group else [])]
    missing = [c for c in named if c not in frame.columns]
    if missing:
        raise KeyError(f"quote_list_html: columns not in the table: {missing}")
    if frame.empty:
        return ""
    esc = html.escape

    def item(row: pd.Series) -> str:
        who = [str(row[c]) for c in ([speaker] if speaker else []) + list(context)
               if not _blank(row[c])]  # fmt: skip
        tail = f"<span class='kk-who'>— {esc(' · '.join(who))}</span>" if who else ""
        return f"<li><q>{esc(str(row[text]))}</q>{tail}</li>"

    if group is None:
        return (
            QUOTE_CSS
            + "<ul class='kk-quotes'>"
            + "".join(item(r) for _, r in frame.iterrows())
            + "</ul>"
        )
    parts = [QUOTE_CSS]
    for value, rows in frame.groupby(group, sort=False):
        parts.append(f"<div class='kk-quotes-group'>{esc(str(value))}</div>")
        parts.append(
            "<ul class='kk-quotes'>" + "".join(item(r) for _, r in rows.iterrows()) + "</ul>"
        )
    return "".join(parts)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def quote_list(frame: pd.DataFrame, **options: object) -> None:
    """Display :func:`quote_list_html` in the notebook (options as there)."""
    from IPython.display import HTML, display

    page = quote_list_html(frame, **options)  # type: ignore[arg-type]
    if page:
        display(HTML(page))


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
