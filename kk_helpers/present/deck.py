"""The client deck (``deck.pptx``): the report's key findings as slides, in the report language.

What a consultant leaves behind after the meeting. One slide per key finding, each headed
by a one-sentence takeaway built from the headline-figure registry (the same values as on
every page and sheet, :mod:`kk_helpers.stages.figure_text`):

1. title (client, date),
2. the executive summary's key figures (a real PowerPoint table),
3. concentration (Pareto and Lorenz curve),
4. the whale curve (only with contribution-margin data),
5. the revenue-class profile,
6. the result bridge of the scenarios (waterfall),
7. the target care model per class (table),
8. the quick wins of the measures plan (table),
9. the roadmap,
10. appendix: data basis and the definitions of the figures shown.

Charts are the workbook's own plots (:mod:`kk_helpers.present.plots`) saved as PNG at slide
resolution; tables hold the report's formatted numbers as text cells. A takeaway whose
figure is not available falls back to a neutral title (the deck never states a number it
does not have).

Written with python-pptx (https://python-pptx.readthedocs.io); layout 16:9.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure as MplFigure
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from kk_helpers.core.formatting import format_date
from kk_helpers.core.i18n import t
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.present import plots
from kk_helpers.stages.figure_text import figure_label, figure_text
from kk_helpers.stages.prepare import PreparedClient
from kk_helpers.stages.status_quo.analysis import StatusQuo, analyse_status_quo
from kk_helpers.stages.status_quo.tables import data_basis
from kk_helpers.stages.target import findings as tpf
from kk_helpers.stages.target import tables as tpt
from kk_helpers.stages.target.analysis import TargetPicture
from kk_helpers.stages.target.measures import month_label

FILE_NAME = "deck.pptx"

#: slide size (16:9) and the content area below the headline, inches
SLIDE_W, SLIDE_H = 13.333, 7.5
_MARGIN = 0.5
_BODY_TOP = 1.85
_BODY_H = SLIDE_H - _BODY_TOP - 0.45
_BODY_W = SLIDE_W - 2 * _MARGIN
#: chart resolution on the slide
DPI = 200

_INK = RGBColor(0x1D, 0x27, 0x33)
_MUTED = RGBColor(0x5B, 0x6B, 0x7B)
_ACCENT = RGBColor(0x1F, 0x4E, 0x79)
_HEADER_FILL = RGBColor(0x1F, 0x4E, 0x79)
_ROW_FILL = (RGBColor(0xFF, 0xFF, 0xFF), RGBColor(0xEE, 0xF2, 0xF6))

#: columns of the care-model table shown on its slide (positions in ``care_model_table``:
#: class, served by, service level, visits, calls, hours, order channel, conditions)
CARE_SLIDE_COLUMNS = (0, 1, 2, 3, 4, 6, 8, 10)
#: rows of the quick-win and definitions tables on one slide (the rest is in the report)
MAX_TABLE_ROWS = 10


#: neutral slide titles that are the report's own section titles (else ``deck.<key>.title``)
TITLE_KEYS = {"care": "nb04.care.title"}


# --- text -------------------------------------------------------------------------------


def takeaway(
    key: str, figures: HeadlineFigures, codes: Sequence[str], lang: str, *, currency: str = "EUR"
) -> str:
    """The takeaway headline ``deck.<key>.takeaway`` with the formatted figures ``codes``.

    Falls back to the neutral title ``deck.<key>.title`` when one of the figures is missing
    or not available, so a headline never claims a number the data does not give.

    >>> from kk_helpers.metrics.figures import Figure, HeadlineFigures
    >>> f = HeadlineFigures([Figure.of("top20_revenue_share", 0.812)])
    >>> takeaway("concentration", f, ["top20_revenue_share"], "de")
    'Die umsatzstärksten 20 % der Kunden bringen 81,2 % des Umsatzes'
    >>> takeaway("concentration", HeadlineFigures(), ["top20_revenue_share"], "en")
    'Revenue concentration'
    """
    if not all(c in figures and figures[c].available for c in codes):
        return t(TITLE_KEYS.get(key, f"deck.{key}.title"), lang)
    values = {c: figure_text(figures, c, lang, currency=currency) for c in codes}
    return t(f"deck.{key}.takeaway", lang, **values)


def styler_cells(table: object) -> tuple[list[str], list[list[str]]]:
    """Header and body cells of a display table as the report shows them (formatted text).

    ``table`` is a pandas ``Styler`` of the workbook's tables (numbers already in the report
    language's format) or a plain DataFrame. A shown index becomes the first column (its
    name the first header). Returns ``(header, rows)`` of strings.
    """
    if isinstance(table, pd.DataFrame):
        frame = table.reset_index() if _meaningful_index(table.index) else table
        return [str(c) for c in frame.columns], [
            [_cell(v) for v in row] for row in frame.to_numpy()
        ]
    sep = "\x1f"
    lines = [ln for ln in table.to_string(delimiter=sep).splitlines() if ln.strip(sep)]
    cells = [[html.unescape(c) for c in ln.split(sep)] for ln in lines]
    header, body = cells[0], cells[1:]
    # an index-name row ("Klasse" and nothing else) merges into the header
    if body and body[0][0] and not any(body[0][1:]):
        header = [body[0][0], *header[1:]]
        body = body[1:]
    width = len(header)
    return header, [(row + [""] * width)[:width] for row in body]


def _meaningful_index(index: pd.Index) -> bool:
    return not isinstance(index, pd.RangeIndex) or index.name is not None


def _cell(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


# --- slides -----------------------------------------------------------------------------


def _text(slide, text: str, *, left, top, width, height, size: int, bold=False, color=_INK):  # noqa: ANN001
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.text = text
    para.font.size = Pt(size)
    para.font.bold = bold
    para.font.color.rgb = color
    return box


def _blank(prs, headline: str, subtitle: str = ""):  # noqa: ANN001, ANN202
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(slide, headline, left=_MARGIN, top=0.3, width=_BODY_W, height=0.9,
          size=24 if len(headline) <= 60 else 20, bold=True, color=_ACCENT)  # fmt: skip
    if subtitle:
        _text(slide, subtitle, left=_MARGIN, top=1.35, width=_BODY_W, height=0.4, size=14,
              color=_MUTED)  # fmt: skip
    return slide


def _picture(slide, fig: MplFigure) -> None:  # noqa: ANN001
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    w_px, h_px = _png_size(buf.getvalue())
    scale = min(_BODY_W / w_px, _BODY_H / h_px)
    width, height = w_px * scale, h_px * scale
    left = _MARGIN + (_BODY_W - width) / 2
    buf.seek(0)
    slide.shapes.add_picture(buf, Inches(left), Inches(_BODY_TOP), Inches(width), Inches(height))


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG in pixels (from its IHDR chunk)."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _table(slide, header: list[str], rows: list[list[str]], *, size: int = 12,  # noqa: ANN001
           left: float = _MARGIN, width: float = _BODY_W) -> None:  # fmt: skip
    n_rows, n_cols = len(rows) + 1, len(header)
    row_h = min(0.5, _BODY_H / max(n_rows, 1))
    shape = slide.shapes.add_table(n_rows, n_cols, Inches(left), Inches(_BODY_TOP),
                                   Inches(width), Inches(row_h * n_rows))  # fmt: skip
    table = shape.table
    for j, share in enumerate(column_widths(header, rows)):
        table.columns[j].width = Emu(int(Inches(width) * share))
    numeric = [sum(_looks_numeric(r[j]) for r in rows) > len(rows) / 2 for j in range(n_cols)]
    for j, text in enumerate(header):
        _fill_cell(table.cell(0, j), text, size=size, bold=True, header=True, right=numeric[j])
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            _fill_cell(cell, text, size=size, right=numeric[j])
            cell.fill.solid()
            cell.fill.fore_color.rgb = _ROW_FILL[i % 2]


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Shares of the table width per column (sum 1), by the text each column must show.

    A column gets room for its longest word (never broken) and, up to 28 characters, its
    longest cell; long texts wrap.

    >>> [round(w, 2) for w in column_widths(["Klasse", "Konditionen"], [["A", "Listenpreise"]])]
    [0.37, 0.63]
    """
    need = []
    for j, head in enumerate(header):
        texts = [str(r[j]) for r in rows]
        # header words are bold: about a third wider than body text
        longest_word = max([1.35 * len(w) for w in str(head).split()]
                           + [len(w) for x in texts for w in x.split()])  # fmt: skip
        longest = min(max([len(x) for x in texts] + [len(str(head))]), 28)
        need.append(max(longest_word, longest, 4) + 2)
    total = sum(need)
    return [n / total for n in need]


def _looks_numeric(text: str) -> bool:
    stripped = text.replace("€", "").replace("%", "").replace("\u00a0", "").strip()
    return bool(stripped) and stripped.lstrip("+−-").replace(".", "").replace(",", "").isdigit()


def _fill_cell(cell, text: str, *, size: int, bold=False, header=False, right=False) -> None:  # noqa: ANN001
    from pptx.enum.text import PP_ALIGN

    cell.text = text
    para = cell.text_frame.paragraphs[0]
    para.font.size = Pt(size)
    para.font.bold = bold
    para.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    cell.margin_left = cell.margin_right = Emu(Inches(0.06))
    if header:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _HEADER_FILL
        para.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    else:
        para.font.color.rgb = _INK


# --- the deck ---------------------------------------------------------------------------


def _chart(draw: Callable[[], MplFigure]) -> MplFigure:
    with plt.rc_context(plots.style_rc(font_scale=1.15)):
        return draw()


def _concentration(sq: StatusQuo, lang: str) -> MplFigure:
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.2), layout="constrained")
    plots.plot_pareto(sq.pareto, ax=axes[0], lang=lang)
    plots.plot_lorenz(sq.lorenz, gini=sq.gini, ax=axes[1], lang=lang)
    return fig


def _single(
    draw: Callable[..., object], *args: object, size=(12, 5.6), **kwargs: object
) -> MplFigure:
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    draw(*args, ax=ax, **kwargs)
    return fig


def build_deck(  # noqa: ANN201 - pptx Presentation
    prep: PreparedClient, tp: TargetPicture, *, sq: StatusQuo | None = None,
    date: dt.date | None = None,
):  # fmt: skip
    """The deck as a python-pptx ``Presentation`` (not written).

    Args:
        prep: the prepared client (``prepare_client``): name and data basis.
        tp: the target picture (``build_target_picture(prep, lang)``); its ``lang`` is the
            deck's language, its ``figures`` the registry figures shown.
        sq: the status-quo results (``analyse_status_quo(prep, lang)``); computed when None.
        date: the date on the title slide (default: today).

    Returns:
        A ``pptx.presentation.Presentation`` with 9–10 slides (the whale-curve slide only
        when the data has a contribution margin).
    """
    lang, cur = tp.lang, tp.currency
    figs = tp.figures
    sq = sq if sq is not None else analyse_status_quo(prep, lang)
    client = str(tp.client)
    date = date or dt.date.today()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)

    # 1 title
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, t("deck.title", lang), left=_MARGIN, top=2.3, width=_BODY_W, height=1.2,
          size=36, bold=True, color=_ACCENT)  # fmt: skip
    _text(slide, client, left=_MARGIN, top=3.6, width=_BODY_W, height=0.7, size=24)
    _text(slide, t("deck.date", lang, date=_date_text(date, lang)), left=_MARGIN, top=4.3,
          width=_BODY_W, height=0.5, size=16, color=_MUTED)  # fmt: skip

    # 2 key figures
    key = tpf.key_figures(tp)
    slide = _blank(prs, t("deck.key_figures.title", lang), t("summary.title", lang))
    _table(slide, *styler_cells(key), size=14)

    # 3 concentration
    slide = _blank(prs, takeaway("concentration", figs, ["top20_revenue_share"], lang),
                   t("deck.concentration.title", lang))  # fmt: skip
    _picture(slide, _chart(lambda: _concentration(sq, lang)))

    # 4 whale curve
    if sq.has_margin and not sq.whale.empty:
        slide = _blank(prs, takeaway("whale", figs, ["whale_peak"], lang, currency=cur),
                       t("deck.whale.title", lang))  # fmt: skip
        _picture(slide, _chart(lambda: _single(plots.plot_whale, sq.whale, lang=lang)))

    # 5 class profile
    slide = _blank(prs, takeaway("profile", figs, ["abc_small_customer_share",
                                                   "abc_small_revenue_share"], lang),
                   t("deck.profile.title", lang))  # fmt: skip
    _picture(slide, _chart(lambda: _single(plots.plot_class_profile, sq.profile, lang=lang)))

    # 6 result bridge; without margin data the effect leaves the lost orders' margin out
    # (an upper bound, the notebook says so): no headline claims it as the CM III change
    bridge = (takeaway("bridge", figs, ["profit_effect"], lang, currency=cur) if sq.has_margin
              else t("deck.bridge.title", lang))  # fmt: skip
    slide = _blank(prs, bridge, t("deck.bridge.title", lang))
    _picture(slide, _chart(lambda: _single(plots.plot_waterfall, tp.waterfall, lang=lang,
                                           currency=cur)))  # fmt: skip

    # 7 target care model
    slide = _blank(prs, takeaway("care", figs, ["fte_freed"], lang),
                   t(TITLE_KEYS["care"], lang))  # fmt: skip
    header, rows = styler_cells(tpt.care_model_table(tp))
    # on the slide: who, level, contacts, hours, channel and conditions (costs in the report)
    keep = [i for i, h in enumerate(header) if i in CARE_SLIDE_COLUMNS]
    _table(slide, [header[i] for i in keep], [[r[i] for i in keep] for r in rows], size=12)

    # 8 quick wins
    plan = tpt.plan_frame(tp).sort_values("rank")
    quick = plan[tp.plan.set_index(plan.index)["quick_win"].astype(bool).to_numpy()]
    slide = _blank(prs, t("deck.quick_wins.title", lang), t("deck.quick_wins.subtitle", lang))
    if quick.empty:
        _text(slide, t("deck.quick_wins.none", lang), left=_MARGIN, top=_BODY_TOP,
              width=_BODY_W, height=0.6, size=16)  # fmt: skip
    else:
        cols = ["measure", "lever", "owner", "start", "end"]
        frame = quick[cols].head(MAX_TABLE_ROWS).copy()
        for c in ("start", "end"):
            frame[c] = [_month_text(pd.Timestamp(v), lang) for v in frame[c]]
        _table(slide, [tpt.label(c, lang) for c in cols], frame.astype(str).values.tolist())

    # 9 roadmap
    start, end = pd.Timestamp(tp.plan["start"].min()), pd.Timestamp(tp.plan["end"].max())
    slide = _blank(prs, t("deck.roadmap.takeaway", lang, start=_month_text(start, lang),
                          end=_month_text(end, lang)), t("measure.plot.roadmap.title", lang))  # fmt: skip
    horizon = getattr(tp.target_config, "horizon_months", None)
    extra = {"horizon": horizon} if horizon else {}
    _picture(slide, _chart(lambda: _single(plots.plot_roadmap, tp.plan, lang=lang,
                                           size=(12, 6), **extra)))  # fmt: skip

    # 10 appendix
    slide = _blank(prs, t("deck.appendix.title", lang), t("deck.appendix.subtitle", lang))
    header, rows = styler_cells(data_basis(prep, lang))
    _table(slide, [t("deck.appendix.basis", lang), header[-1]], [r[-2:] for r in rows],
           size=10, width=4.3)  # fmt: skip
    codes = [c for c in tpf.SUMMARY_FIGURES if c in figs][:MAX_TABLE_ROWS]
    rows = [[figure_label(c, lang), t(f"fig.{c}.definition", lang)] for c in codes]
    _table(slide, [t("col.figure", lang), t("fig.col.definition", lang)], rows, size=9,
           left=_MARGIN + 4.5, width=_BODY_W - 4.5)  # fmt: skip
    return prs


def _date_text(date: dt.date, lang: str) -> str:
    return format_date(date, lang)


def _month_text(ts: pd.Timestamp, lang: str) -> str:
    return month_label(ts.date(), lang)


def write_deck(
    prep: PreparedClient, tp: TargetPicture, out_dir: str | Path, *,
    sq: StatusQuo | None = None, date: dt.date | None = None,
) -> Path:  # fmt: skip
    """Write ``deck.pptx`` into ``out_dir`` atomically (temp file, then rename); return its path.

    See :func:`build_deck` for the arguments and the slides.

    Raises:
        OSError: the folder cannot be written.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    tmp = folder / f".{FILE_NAME}.tmp"
    build_deck(prep, tp, sq=sq, date=date).save(str(tmp))
    tmp.replace(path)
    return path
