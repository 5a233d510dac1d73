"""Notebook pages as self-contained HTML: no scripts, styles or fonts from the network.

nbconvert's ``lab`` template loads require.js, MathJax and Mermaid from a CDN; a
consultant at a client's site without internet (or behind a strict proxy) would get
a broken page. The report pages show no formulas, diagrams or live widgets, so the
template below simply leaves those blocks out; the page CSS is inlined by nbconvert.
"""

from __future__ import annotations

#: nbconvert's lab template without the blocks that load require.js, MathJax, Mermaid
#: and the widget manager from a CDN: the report pages work offline (no formulas,
#: diagrams or live widgets are shown in them)
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def offline_html_exporter():  # noqa: ANN201 - nbconvert HTMLExporter
    """An nbconvert ``HTMLExporter`` for client reports: no code, prompts or CDN scripts."""
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file="kk_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"kk_offline.html.j2": OFFLINE_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
