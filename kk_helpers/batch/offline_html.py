"""Notebook pages as self-contained HTML: no scripts, styles or fonts from the network.

nbconvert's ``lab`` template loads require.js, MathJax and Mermaid from a CDN; a
consultant at a client's site without internet (or behind a strict proxy) would get
a broken page. The report pages show no formulas, diagrams or live widgets, so the
template below simply leaves those blocks out; the page CSS is inlined by nbconvert.

The template also adds what every client page has: the navigation back to
``index.html`` (``resources["kk_nav"]``), the print style sheet (A4 landscape, tables
not cut, a page break before each section), the page language (``<html lang>``) and
each chart's alt text from its output metadata (``image/png`` -> ``alt``, set by
:func:`kk_helpers.present.display.describe_figures` in the kernel); markdown cells
tagged ``analyst-note`` (hints for the analyst in JupyterLab) are left out.
"""

from __future__ import annotations

#: cell tag of the analyst's hints: kept in the notebook, removed from the client HTML
ANALYST_NOTE_TAG = "analyst-note"

#: nbconvert's lab template without the blocks that load require.js, MathJax, Mermaid
#: and the widget manager from a CDN: the report pages work offline (no formulas,
#: diagrams or live widgets are shown in them); plus navigation, print CSS and alt texts
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.get('kk_css', '') }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.get('kk_nav', '') }}
{%- endblock body_header -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- if 'image/png' in output.metadata.get('filenames', {}) %}
<img src="{{ output.metadata.filenames['image/png'] | posix_path | escape_html }}"
{%- else %}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- endif %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
{%- if alt %}
alt="{{ alt | escape_html }}"
{%- endif %}
{%- set width = output | get_metadata('width', 'image/png') -%}
{%- if width is not none %}
width={{ width | escape_html }}
{%- endif %}
{%- set height = output | get_metadata('height', 'image/png') -%}
{%- if height is not none %}
height={{ height | escape_html }}
{%- endif %}
>
</div>
{%- endblock data_png %}
"""


def offline_html_exporter(*, lang: str = "en"):  # noqa: ANN201 - nbconvert HTMLExporter
    """An nbconvert ``HTMLExporter`` for client reports: no code, prompts or CDN scripts,
    ``<html lang="<lang>">``, cells tagged :data:`ANALYST_NOTE_TAG` removed.

    Pass ``resources={"kk_nav": <nav html>, "kk_css": <css>}`` to
    ``from_notebook_node`` for the navigation bar and extra style sheet.
    """
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config(
        {
            "TagRemovePreprocessor": {
                "enabled": True,
                "remove_cell_tags": [ANALYST_NOTE_TAG],
            }
        }
    )
    return HTMLExporter(
        config=config,
        template_name="lab",
        template_file="kk_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"kk_offline.html.j2": OFFLINE_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )
