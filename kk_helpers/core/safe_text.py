"""Client text inside HTML and Markdown: shown as text, never as markup.

Customer names, sales reps and the client's own name come from the client's exports,
which anyone at the client can type into. Every place that puts such text into an
HTML page or into Markdown that a notebook renders goes through these functions.
(Spreadsheets: :mod:`kk_helpers.core.excel`.)
"""

from __future__ import annotations

import html
import re
from typing import Any

# "<" that could open a tag, a closing tag, a comment or an autolink ("<a", "</", "<!", "<?")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# "[" and "]" open links and images: nbconvert renders every URL scheme (javascript: too)
_LINK = re.compile(r"([\[\]])")


def html_text(value: Any) -> str:
    """``value`` as text for an HTML element or attribute (``<``, ``>``, ``&``, quotes escaped).

    >>> html_text("<img src=x onerror=alert(1)> & Co")
    '&lt;img src=x onerror=alert(1)&gt; &amp; Co'
    """
    return html.escape(str(value), quote=True)


def markdown_text(value: Any) -> str:
    """``value`` as literal text inside Markdown that a notebook renders: whatever could
    become a tag or a link is escaped, everything else (``&``, ``<`` before a space,
    ``**bold**`` of generated findings) stays as it is, so the text reads the same.

    >>> print(markdown_text("<script>x</script> [a](javascript:b) CM III < 0 & **Co**"))
    &lt;script>x&lt;/script> \\[a\\](javascript:b) CM III < 0 & **Co**
    """
    return _LINK.sub(r"\\\1", _TAG_START.sub("&lt;", str(value)))
