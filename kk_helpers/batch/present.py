"""``kk present``: the four stages as a code-free web app on localhost (Voilà).

A consultant walks the client's management through the analysis without JupyterLab: no
code, no file browser, no tracebacks; the sliders and buttons of 02 and 04 work as in
JupyterLab. The app reuses the workbook's notebooks (no second copy of the content):

1. :func:`prepare_live` loads the client once through the cached ``prepare`` step (the
   same cache as ``kk run``), so every stage page starts from the cached customer table;
2. :func:`write_session_notebooks` writes a session copy of each notebook into the live
   folder: the parameters injected as papermill does (unknown names refused, as in the
   batch), the analyst notes (cells tagged ``analyst-note``) dropped, and a first cell that
   shows the navigation between the stages;
3. :class:`PresentApp` is Voilà serving that folder, with a start page (client, data basis,
   the four stages) instead of Voilà's file tree, and without the contents API.

Voilà (https://voila.readthedocs.io) runs each page in its own kernel; it binds to
127.0.0.1 unless ``--ip`` says otherwise and never shows cell sources
(``strip_sources``) or tracebacks (``show_tracebacks`` is off).
"""

from __future__ import annotations

import errno
import html
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from kk_helpers.batch.runner import NOTEBOOKS, available_notebooks, check_parameters
from kk_helpers.core.config import resolve_config_path
from kk_helpers.core.i18n import t
from kk_helpers.stages.prepare import PreparedClient, prepare_client

#: cells with this tag are notes for the analyst in JupyterLab, not shown to a client
ANALYST_TAG = "analyst-note"
#: the live folder of a client, next to its report folders: ``reports/.present/<client id>``
LIVE_DIR = ".present"
#: a pattern no path matches: Voilà serves no static file of the live folder (``=[]`` would
#: do the same but prints a traitlets DeprecationWarning at every start)
NO_FILES = r"\b\B"
#: the start page's file name (Voilà's tree is replaced by it)
START_PAGE = "index.html"


@dataclass(frozen=True)
class LiveSession:
    """What ``kk present`` serves: the live folder and its notebooks, by step."""

    folder: Path
    notebooks: dict[str, Path]
    lang: str
    client: str
    start_page: str  # HTML


def live_folder(prep: PreparedClient) -> Path:
    """The live folder of a client prepared by :func:`prepare_live`: ``<reports>/.present/<client id>``.

    Outside the report folder, so presenting never touches a published report (``kk run``
    swaps report folders as a whole) and a ``kk run`` never removes a live session.
    """
    return prep.output_dir


def prepare_live(
    config: str | Path, *, lang: str, reports: str | Path | None = None, scenario: str | None = None
) -> tuple[PreparedClient, Path]:
    """Load and check the client once, into its live folder's cache (``prepare_client``).

    Returns the prepared client and the path of its ``client.yml``.

    Raises:
        ConfigError, DataError: as :func:`kk_helpers.stages.prepare.prepare_client`.
    """
    from kk_helpers.core.config import load_config
    from kk_helpers.core.paths import reports_dir

    path = resolve_config_path(config).resolve()
    client_id = load_config(path).client_id
    folder = Path(reports) if reports is not None else reports_dir()
    live = folder / LIVE_DIR / client_id
    return prepare_client(path, live, lang=lang, scenario=scenario), path


def nav_html(current: str | None, lang: str) -> str:
    """The navigation bar of the live app: start page and the four stages.

    >>> "aria-current" in nav_html("02", "en") and "Customer screening" in nav_html("02", "en")
    True
    """
    links = [("/", t("present.start", lang), current is None)]
    links += [
        (f"/voila/render/{name}", f"{step} · {t(f'notebook.{step}', lang)}", step == current)
        for step, name in NOTEBOOKS.items()
    ]
    current_attr = ' aria-current="page"'
    items = "".join(
        f'<a href="{html.escape(href)}"{current_attr if here else ""}>{html.escape(text)}</a>'
        for href, text, here in links
    )
    return f'<nav class="kk-nav" aria-label="{html.escape(t("present.nav", lang))}">{items}</nav>'


NAV_STYLE = """
<style>
.kk-nav { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: .6rem 0 .8rem;
  border-bottom: 1px solid #d8dee4; margin-bottom: 1rem; font-family: system-ui, sans-serif; }
.kk-nav a { color: #1f4e79; text-decoration: none; font-weight: 600; }
.kk-nav a[aria-current=page] { color: #1d2733; border-bottom: 3px solid #d55e00; }
</style>
"""


def _nav_cell(step: str, lang: str) -> nbformat.NotebookNode:
    source = (
        "from IPython.display import HTML, display\n"
        "from kk_helpers.batch.present import NAV_STYLE, nav_html\n"
        f"display(HTML(NAV_STYLE + nav_html({step!r}, {lang!r})))"
    )
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["kk-navigation"]})


def session_notebook(source: Path, step: str, *, parameters: dict[str, Any], lang: str):  # noqa: ANN201
    """One stage's notebook for the app: parameters injected, analyst notes dropped,
    the navigation first.

    Raises:
        UnknownParameterError: a parameter the notebook does not declare.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    check_parameters(source, parameters)
    nb = load_notebook_node(str(source))
    nb.cells = [c for c in nb.cells if ANALYST_TAG not in c.metadata.get("tags", [])]
    nb = parameterize_notebook(nb, parameters)
    nb.cells.insert(0, _nav_cell(step, lang))
    return nb


def write_session_notebooks(
    prep: PreparedClient, config_path: Path, *, lang: str, steps: Sequence[str] | None = None
) -> dict[str, Path]:
    """Write the session copies of the stage notebooks into the live folder; by step."""
    folder = live_folder(prep)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for step, source in available_notebooks().items():
        if steps is not None and step not in steps:
            continue
        params: dict[str, Any] = {"config": str(config_path), "output_dir": str(folder),
                                  "lang": lang, "scenario": prep.config.scenario or ""}  # fmt: skip
        if "interactive" in _declared(source):
            params["interactive"] = True
        nb = session_notebook(source, step, parameters=params, lang=lang)
        target = folder / source.name
        tmp = target.with_name(f".{target.name}.tmp")
        nbformat.write(nb, tmp)
        tmp.replace(target)
        written[step] = target
    return written


def _declared(source: Path) -> frozenset[str]:
    from kk_helpers.batch.runner import declared_parameters

    return declared_parameters(source)


def start_page_html(prep: PreparedClient, lang: str) -> str:
    """The app's start page: client, data basis and the four stages (self-contained HTML)."""
    from kk_helpers.present.deck import styler_cells
    from kk_helpers.stages.status_quo.tables import data_basis

    esc = html.escape
    header, rows = styler_cells(data_basis(prep, lang))
    body = "".join(f"<tr><th scope='row'>{esc(r[0])}</th><td>{esc(r[-1])}</td></tr>" for r in rows)
    stages = "".join(
        f"<li><a href='/voila/render/{esc(name)}'>{esc(step)} · "
        f"{esc(t(f'notebook.{step}', lang))}</a><p>{esc(t(f'present.stage.{step}.about', lang))}</p></li>"
        for step, name in NOTEBOOKS.items()
    )
    title = t("present.title", lang)
    meta = esc(title)
    if prep.config.scenario:  # started with --scenario: say which settings are shown
        meta += f" · {esc(t('col.scenario', lang))}: {esc(prep.config.scenario)}"
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(prep.config.client.name)} – {esc(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 60rem; color: #1d2733; }}
h1 {{ margin-bottom: .2rem; }} .meta {{ color: #5b6b7b; margin-top: 0; }}
table {{ border-collapse: collapse; margin: .5rem 0 1.5rem; }}
th, td {{ text-align: left; padding: .3rem .8rem; border-bottom: 1px solid #d8dee4; }}
td {{ text-align: right; white-space: nowrap; }}
ol.stages {{ padding-left: 1.2rem; }} ol.stages li {{ margin: .6rem 0; }}
ol.stages a {{ font-size: 1.15rem; font-weight: 600; color: #1f4e79; }}
ol.stages p {{ margin: .15rem 0; color: #5b6b7b; }}
</style>{NAV_STYLE}</head><body>
{nav_html(None, lang)}
<h1>{esc(prep.config.client.name)}</h1>
<p class="meta">{meta}</p>
<h2>{esc(t("present.stages", lang))}</h2>
<ol class="stages">{stages}</ol>
<p class="meta">{esc(t("present.wait", lang))}</p>
<h2>{esc(t("deck.appendix.basis", lang))}</h2>
<table><tbody>{body}</tbody></table>
</body></html>
"""


# --- the Voilà app ----------------------------------------------------------------------


def app_class(start_page: str):  # noqa: ANN201 - a voila.app.Voila subclass
    """Voilà serving a live folder, with ``start_page`` at ``/`` instead of the file tree
    and without the contents API (no file browser)."""
    import tornado.web
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class StartPage(tornado.web.RequestHandler):
        def get(self) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(start_page)

    class PresentApp(Voila):
        name = "kk-present"

        def init_handlers(self) -> list:
            hidden = (TornadoVoilaTreeHandler, VoilaContentsHandler)
            handlers = [h for h in super().init_handlers() if h[1] not in hidden]
            root = url_path_join(self.server_url, "/")
            return [(root, StartPage), (url_path_join(root, "index.html"), StartPage), *handlers]

    return PresentApp


#: the app's Voilà template: the ``lab`` template with the loading message in the report language
TEMPLATE = "kk"


def write_template(folder: Path, lang: str) -> Path:
    """Write the app's Voilà template into ``folder`` (a Jupyter data directory) and return
    that directory: Voilà's ``lab`` template with its spinner text ("Running …") replaced by
    the report language's (``present.loading``)."""
    import json

    from jupyter_core.paths import jupyter_path

    root = folder / "voila-templates"
    target = root / "voila" / "templates" / TEMPLATE
    target.mkdir(parents=True, exist_ok=True)
    (target / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    for base in jupyter_path("voila", "templates", "base", "spinner.macro.html.j2"):
        if Path(base).is_file():
            macro = Path(base).read_text(encoding="utf-8")
            text = html.escape(t("present.loading", lang))
            macro = macro.replace("Running {{nb_title}}...", text)
            (target / "spinner.macro.html.j2").write_text(macro, encoding="utf-8")
            break
    return root


def voila_argv(
    folder: Path, *, port: int, ip: str = "127.0.0.1", open_browser: bool = False
) -> list[str]:
    """The Voilà options of the app (see the module docstring)."""
    return [
        str(folder),
        f"--template={TEMPLATE}",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.progressive_rendering=True",
        f"--VoilaConfiguration.file_allowlist={NO_FILES}",
        "--Voila.port_retries=0",
    ]


class PortError(OSError):
    """The app cannot listen on the address asked for (the message says why and what to do)."""


def check_port(ip: str, port: int, *, lang: str) -> None:
    """Raise :class:`PortError` unless ``ip:port`` can be bound now (before the data work,
    so a port in use is said at once and in words, not by Voilà after the preparation).

    Binds as Tornado does (``SO_REUSEADDR``), so a port just freed by a stopped app counts
    as free.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen(); busy = s.getsockname()[1]
    ...     check_port("127.0.0.1", busy, lang="en")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kk_helpers.batch.present.PortError: port ... is already in use ...
    """
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((ip, port))
    except OverflowError:
        raise PortError(t("present.port_invalid", lang, port=port)) from None
    except OSError as e:
        key = "present.port_in_use" if e.errno == errno.EADDRINUSE else "present.port_unusable"
        other = port + 1 if port < 65535 else 8866
        raise PortError(t(key, lang, ip=ip, port=port, other=other,
                          reason=e.strerror or str(e))) from None  # fmt: skip


def serve(
    config: str | Path, *, lang: str | None = None, port: int = 8866, ip: str = "127.0.0.1",
    reports: str | Path | None = None, open_browser: bool = False, scenario: str | None = None,
) -> None:  # fmt: skip
    """Prepare the client, write the session notebooks and serve the app until Ctrl-C.

    Raises:
        ConfigError, DataError: the client cannot be loaded (before anything is served).
        PortError: ``ip:port`` cannot be bound (checked before the data work).
    """
    from kk_helpers.core.config import load_config

    path = resolve_config_path(config)
    lang = lang or load_config(path).client.language
    check_port(ip, port, lang=lang)
    prep, path = prepare_live(path, lang=lang, reports=reports, scenario=scenario)
    import os

    write_session_notebooks(prep, path, lang=lang)
    templates = write_template(live_folder(prep), lang)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(templates), os.environ.get("JUPYTER_PATH", "")) if p
    )
    app = app_class(start_page_html(prep, lang))
    app.launch_instance(argv=voila_argv(live_folder(prep), port=port, ip=ip,
                                        open_browser=open_browser))  # fmt: skip
