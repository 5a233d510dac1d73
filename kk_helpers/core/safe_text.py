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

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def html_text(value: Any) -> str:
    """``value`` as text for HTML (``<``, ``>``, ``&`` and quotes escaped).

    Markdown formatting such as ``**bold**`` survives, so generated findings that
    contain client names keep their emphasis.

    >>> html_text("<img src=x onerror=alert(1)> & **Co**")
    '&lt;img src=x onerror=alert(1)&gt; &amp; **Co**'
    """
    return html.escape(str(value), quote=True)


def markdown_text(value: Any) -> str:
    """``value`` as literal text inside Markdown: HTML escaped, Markdown syntax backslashed.

    >>> print(markdown_text("<script>x</script> [a](b) *c* 'q'"))
    &lt;script&gt;x&lt;/script&gt; \\[a\\]\\(b\\) \\*c\\* &#x27;q&#x27;
    """
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", str(value)), quote=True)
