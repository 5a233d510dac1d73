"""Text layout of the figures: word-boundary wrapping, label repelling and a layout check.

* :func:`wrap_label` / :func:`wrap_labels` wrap category names at word boundaries (never
  inside a word; a hyphenated compound may break after its hyphen).
* :func:`repel_texts` moves labels that would overlap each other or the data points
  (with the `adjustText <https://pypi.org/project/adjustText/>`_ library).
* :func:`use_constrained_layout` gives a figure made elsewhere (``plt.subplots`` in a
  notebook) a layout engine, so panels' titles, labels and colour bars do not collide.
* :func:`layout_problems` draws a figure and lists what a reader would notice: two texts
  on top of each other, text leaving the figure, a tick label broken inside a word.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from kk_helpers.core.i18n import translations

#: Overlaps smaller than this (pixels, in both directions) are not reported: glyph boxes
#: of neighbouring texts may touch.
TOLERANCE_PX = 1.0


# --- wrapping -------------------------------------------------------------------------


def wrap_label(text: object, width: int = 14) -> str:
    """``text`` on lines of at most about ``width`` characters, broken between words.

    A word longer than ``width`` stays whole on its own line; a hyphenated compound
    ("Service-Level-Anpassung") may break after a hyphen. Existing line breaks are kept.

    Args:
        text: the label (converted with ``str``).
        width: target line length in characters (>= 1).

    Returns:
        The label with ``"\\n"`` between lines.

    >>> wrap_label("Mindestbestellwert einführen", 12)
    'Mindestbestellwert\\neinführen'
    >>> wrap_label("Kanalverlagerung", 8)
    'Kanalverlagerung'
    >>> wrap_label("Service-Level-Anpassung", 12)
    'Service-\\nLevel-\\nAnpassung'
    """
    if width < 1:
        raise ValueError(f"width must be >= 1, got {width!r}")
    lines: list[str] = []
    for part in str(text).split("\n"):
        wrapped = textwrap.wrap(part, width=width, break_long_words=False, break_on_hyphens=True)
        lines.extend(wrapped or [""])
    return "\n".join(lines)


def wrap_labels(texts: Iterable[object], width: int = 14) -> list[str]:
    """:func:`wrap_label` for each text.

    >>> wrap_labels(["Händlerübergabe", "Channel shift"], 8)
    ['Händlerübergabe', 'Channel\\nshift']
    """
    return [wrap_label(x, width) for x in texts]


def label_width(n: int, axis_inches: float, *, font_pt: float = 10.0) -> int:
    """Characters per line that fit ``n`` labels side by side on an axis ``axis_inches``
    long (an average glyph is about 0.55 em wide); at least 8.

    >>> label_width(5, 8.0)
    18
    """
    per_label_pt = axis_inches * 72.0 / max(int(n), 1) * 0.9
    return max(8, int(per_label_pt / (0.55 * font_pt)))


def set_category_ticks(
    ax: Axes, positions: Sequence[float], labels: Sequence[object], *, font_pt: float = 10.0
) -> float:
    """Category labels on the x axis of ``ax``, each wrapped to the width of its slot
    (call it after styling the tick labels: it sets their size).

    Lines break between words (:func:`wrap_label`); when a single word is wider than its
    slot the font gets smaller (down to 7 pt) instead of breaking the word.

    Returns:
        The font size used (points).
    """
    fig = ax.get_figure(root=True)
    axis_in = ax.get_position().width * (fig.get_figwidth() if fig is not None else 8.0)
    slot_pt = axis_in * 72.0 * 0.92 / max(len(labels), 1)
    chars = max(6, int(slot_pt / (0.6 * font_pt)))
    wrapped = wrap_labels(labels, chars)
    widest = max((_text_width(line, font_pt) for w in wrapped for line in w.split("\n")), default=1)
    size = font_pt
    if widest > slot_pt:
        size = max(7.0, font_pt * slot_pt / widest)
    ax.set_xticks(list(positions), wrapped)
    ax.tick_params(axis="x", labelsize=size)
    return size


def category_figwidth(labels: Sequence[object], *, base: float, font_pt: float = 10.0) -> float:
    """Figure width (inches, at least ``base``) at which the longest word of the category
    ``labels`` fits its slot on the x axis at ``font_pt``.

    >>> category_figwidth(["Today", "Target"], base=9.0)
    9.0
    """
    words = [w for label in labels for w in str(label).split()]
    # the labels may get up to 10 % smaller (see set_category_ticks)
    widest = max((_text_width(w, 0.9 * font_pt) for w in words), default=0.0)
    needed = len(labels) * (widest / 72.0 + 0.08) / 0.9 + 0.9
    return max(float(base), round(needed, 1))


def _text_width(text: str, font_pt: float) -> float:
    """Width of one line of ``text`` in the default font at ``font_pt`` (points)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _, _ = TextToPath().get_text_width_height_descent(
        text, FontProperties(size=font_pt), ismath=False
    )
    return float(width)


# --- repelling labels ------------------------------------------------------------------


def repel_texts(
    ax: Axes,
    texts: Sequence[Text],
    *,
    x: Sequence[float] | None = None,
    y: Sequence[float] | None = None,
    arrows: bool = True,
) -> None:
    """Move ``texts`` in ``ax`` so they overlap neither each other nor the points ``x, y``.

    Uses ``adjustText``; a thin grey line joins a moved label to its point when
    ``arrows``. Labels stay inside the Axes. Does nothing for fewer than two texts and
    no points.
    """
    if len(texts) < 2 and not x:
        return
    from adjustText import adjust_text

    kwargs: dict[str, Any] = {"ax": ax, "ensure_inside_axes": True, "expand_axes": False}
    if x is not None and y is not None and len(x):
        kwargs["target_x"] = list(x)
        kwargs["target_y"] = list(y)
    if arrows:
        kwargs["arrowprops"] = {"arrowstyle": "-", "color": "#9a9a9a", "lw": 0.6}
    # adjustText needs a drawn figure for text extents
    fig = ax.get_figure(root=True)
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    adjust_text(list(texts), **kwargs)


def use_constrained_layout(ax: Axes) -> None:
    """Give the figure of ``ax`` the constrained layout if it has no layout engine yet
    (figures made with a bare ``plt.subplots``), so titles, tick labels and colour bars
    of neighbouring panels get their own space and nothing leaves the figure."""
    fig = ax.get_figure(root=True)
    if fig is not None and fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")


# --- checking a figure -----------------------------------------------------------------


def _drawn_texts(fig: Figure) -> list[Text]:
    """Draw ``fig`` (Agg) and return every text element that was actually drawn."""
    drawn: list[Text] = []
    original = Text.draw

    def record(self: Text, renderer: Any) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip() and (self.get_alpha() or 1) > 0:
            drawn.append(self)

    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    Text.draw = record  # type: ignore[method-assign]
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original  # type: ignore[method-assign]
    return list(dict.fromkeys(drawn))


def _corners(text: Text, renderer: Any) -> np.ndarray:
    """The four corners (pixels) of the rotated box of ``text``."""
    box = text.get_window_extent(renderer)
    angle = float(text.get_rotation()) % 180
    if angle == 0:
        return np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    text.set_rotation(0)
    flat = text.get_window_extent(renderer)
    text.set_rotation(angle)
    w, h = flat.width / 2, flat.height / 2
    c = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    r = np.radians(angle)
    rot = np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])
    local = np.array([[-w, -h], [w, -h], [w, h], [-w, h]])
    return local @ rot.T + c


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two convex quadrilaterals overlap by more than :data:`TOLERANCE_PX`
    (separating-axis test)."""
    for poly in (a, b):
        for i in range(4):
            edge = poly[(i + 1) % 4] - poly[i]
            normal = np.array([-edge[1], edge[0]])
            norm = np.hypot(*normal)
            if norm == 0:
                continue
            normal /= norm
            pa, pb = a @ normal, b @ normal
            depth = min(pa.max(), pb.max()) - max(pa.min(), pb.min())
            if depth <= TOLERANCE_PX:
                return False
    return True


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Every word of the translation table (both languages)."""
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, str):
            words.update(re.findall(r"[^\W\d_]+", node))

    walk(translations())
    return frozenset(words)


def broken_word(text: str, *, vocabulary: Iterable[str] = ()) -> str | None:
    """The first line break of ``text`` that splits a word, as ``"end|start"``, or None.

    A break is taken as inside a word when the line ends with a letter (no hyphen) and the
    next line starts with a lower-case letter, unless both words at the break are known
    words (of the translation table or ``vocabulary``).

    >>> broken_word("Kanalverlageru\\nng"), broken_word("Minimum order\\nvalue")
    ('Kanalverlageru|ng', None)
    >>> broken_word("Service-\\nLevel"), broken_word("Händler-\\nübergabe")
    (None, None)
    """
    known = _vocabulary() | set(vocabulary)
    lines = text.split("\n")
    for first, second in zip(lines, lines[1:], strict=False):
        head, tail = first.rstrip(), second.lstrip()
        if not head or not tail or not head[-1].isalpha() or not tail[0].islower():
            continue
        left = re.findall(r"[^\W\d_]+$", head)
        right = re.findall(r"^[^\W\d_]+", tail)
        if left and right and left[0] in known and right[0] in known:
            continue
        return f"{head.split()[-1]}|{tail.split()[0]}"
    return None


def _tick_labels(fig: Figure) -> set[int]:
    """Ids of the tick label texts of all Axes of ``fig`` (colour bars included)."""
    ids: set[int] = set()
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ids.update((id(tick.label1), id(tick.label2)))
    return ids


def _owners(fig: Figure) -> dict[int, Axes]:
    """Owning Axes of each Axes' texts (tick labels, titles, axis labels, texts, legend)."""
    owner: dict[int, Axes] = {}
    for ax in fig.get_axes():
        members: list[Text] = [ax.title, ax._left_title, ax._right_title]
        members += [ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                members += [tick.label1, tick.label2]
        legend = ax.get_legend()
        if legend is not None:
            members += [*legend.get_texts(), legend.get_title()]
        for m in members:
            owner[id(m)] = ax
    return owner


def _over_other_panel(fig: Figure, texts: list[Text], boxes: list[np.ndarray]) -> list[str]:
    """Texts of one Axes drawn over the data area of another (not overlapping) Axes."""
    owner = _owners(fig)
    panels = [ax for ax in fig.get_axes() if ax.get_visible() and ax.axison]
    problems: list[str] = []
    for text, box in zip(texts, boxes, strict=True):
        mine = owner.get(id(text))
        if mine is None:
            continue
        for other in panels:
            if other is mine or other.bbox.overlaps(mine.bbox):
                continue  # the same panel, a twin or an inset
            area = other.bbox
            panel = np.array(
                [[area.x0, area.y0], [area.x1, area.y0], [area.x1, area.y1], [area.x0, area.y1]]
            )
            if _overlap(box, panel):
                problems.append(f"text {_describe(text)} lies over another panel")
                break
    return problems


def _describe(text: Text) -> str:
    s = text.get_text().replace("\n", "⏎")
    return repr(s if len(s) <= 40 else s[:39] + "…")


def layout_problems(fig: Figure, *, vocabulary: Iterable[str] = ()) -> list[str]:
    """Draw ``fig`` and list its text layout problems (empty list: none).

    Checks every drawn text (tick labels, titles, axis labels, annotations, legend texts,
    colour-bar labels):

    * two texts overlap (rotated boxes, by more than :data:`TOLERANCE_PX`);
    * a text reaches outside the figure;
    * a tick label has a line break inside a word (see :func:`broken_word`);
    * a text of one panel (Axes) lies over the data area of another panel.

    Texts inside the same legend are not compared with each other (the legend lays them
    out), nor a text with itself.

    Args:
        fig: the figure; drawn with the Agg renderer (its layout engine runs).
        vocabulary: further known words for the broken-word check.

    Returns:
        One sentence per problem, naming the texts.
    """
    texts = _drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    problems: list[str] = []
    frame = fig.bbox
    boxes = [_corners(t, renderer) for t in texts]
    for text, box in zip(texts, boxes, strict=True):
        if (
            box[:, 0].min() < frame.x0 - TOLERANCE_PX
            or box[:, 0].max() > frame.x1 + TOLERANCE_PX
            or box[:, 1].min() < frame.y0 - TOLERANCE_PX
            or box[:, 1].max() > frame.y1 + TOLERANCE_PX
        ):
            problems.append(f"text {_describe(text)} leaves the figure")
    ticks = _tick_labels(fig)
    for text in texts:
        if id(text) in ticks:
            broken = broken_word(text.get_text(), vocabulary=vocabulary)
            if broken:
                problems.append(f"tick label {_describe(text)} breaks a word ({broken})")
    problems += _over_other_panel(fig, texts, boxes)
    legends: dict[int, int] = {}
    for leg in fig.findobj(lambda a: type(a).__name__ == "Legend"):
        for member in [*leg.get_texts(), leg.get_title()]:
            legends[id(member)] = id(leg)
    lows = [b.min(axis=0) for b in boxes]
    highs = [b.max(axis=0) for b in boxes]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            group = legends.get(id(texts[i]))
            if group is not None and group == legends.get(id(texts[j])):
                continue
            if np.any(lows[i] > highs[j] - TOLERANCE_PX) or np.any(
                lows[j] > highs[i] - TOLERANCE_PX
            ):
                continue
            if _overlap(boxes[i], boxes[j]):
                problems.append(f"texts {_describe(texts[i])} and {_describe(texts[j])} overlap")
    return problems


#: a decimal mark of the other language: "1.5" in German, "1,5" in English (a group of
#: exactly three digits after the mark is a thousands separator, not a decimal)
_FOREIGN_DECIMAL = {
    "de": re.compile(r"\d\.(\d{1,2}|\d{4,})(?!\d)"),
    "en": re.compile(r"\d,(\d{1,2}|\d{4,})(?!\d)"),
}
#: four or more digits without a thousands separator ("1086"); years are allowed
_UNGROUPED = re.compile(r"(?<![\d.,])(\d{5,}|[03-9]\d{3}|1[0-8]\d{2}|2[1-9]\d{2})(?![\d.,])")


def number_format_problems(fig: Figure, lang: str) -> list[str]:
    """Numbers in the drawn texts of ``fig`` that are not in ``lang``'s format: a decimal
    mark of the other language ("1.5" in German), or a number of four or more digits
    without thousands separators (years 1900-2099 are allowed).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax.set_axis_off()
    >>> _ = ax.set_title("1.5 and 12000 in 2025")
    >>> number_format_problems(fig, "de")
    ["text '1.5 and 12000 in 2025' has a number in the wrong format ('1.5')", "text '1.5 and 12000 in 2025' has a number without thousands separators ('12000')"]
    >>> plt.close(fig)
    """
    problems: list[str] = []
    for text in _drawn_texts(fig):
        content = text.get_text()
        found = _FOREIGN_DECIMAL[lang].search(content)
        if found:
            problems.append(
                f"text {_describe(text)} has a number in the wrong format ({found.group(0)!r})"
            )
        ungrouped = _UNGROUPED.search(content)
        if ungrouped:
            problems.append(
                f"text {_describe(text)} has a number without thousands separators"
                f" ({ungrouped.group(0)!r})"
            )
    return problems
