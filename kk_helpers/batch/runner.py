"""The batch runner behind ``kk run``: one command turns client folders into reports.

For each client: load, validate and build the customer table once (cached in the
report folder, see :mod:`kk_helpers.stages.prepare`), then execute the workbook notebooks
with papermill -- side by side where they do not read each other's outputs and cores
are free (:mod:`kk_helpers.batch.schedule`: 01-03 at once, 04 after 02 and 03) --,
export each to HTML without code, and write an ``index.html`` that links everything.
The run's timings (preparation, each notebook's execution and HTML export, start and
end) go to ``run.json`` in the report folder. A failing notebook or a client with broken
data does not stop the other clients; the summary says which failed and why.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kk_helpers.batch import folders, schedule
from kk_helpers.batch.folders import check_distinct_folders
from kk_helpers.batch.offline_html import offline_html_exporter
from kk_helpers.batch.pages import (
    INDEX_FIGURES,  # noqa: F401 - re-exported: the figures index.html shows
    VALIDATION_HTML,
    add_navigation,
    describe_images,
    notebook_resources,
    seconds_text,
    write_index,
    write_technical,
)
from kk_helpers.core.config import ConfigError, load_config, resolve_config_path
from kk_helpers.core.engine import EngineError
from kk_helpers.core.errors import DataError
from kk_helpers.core.i18n import check_language, t
from kk_helpers.core.paths import notebooks_dir, reports_dir
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.present.definitions_page import write_definitions_page
from kk_helpers.stages.figures import save_figures

# step number -> notebook file; the order is the order of execution
NOTEBOOKS: dict[str, str] = {
    "01": "01_status_quo.ipynb",
    "02": "02_customer_screening.ipynb",
    "03": "03_lever_assessment.ipynb",
    "04": "04_target_picture.ipynb",
}

STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_SKIPPED = "skipped"


class UnknownParameterError(ValueError):
    """The runner was asked to pass a parameter a notebook does not declare."""


@dataclass
class NotebookResult:
    """Outcome of executing one notebook for one client."""

    step: str
    notebook: str
    status: str
    seconds: float = 0.0  # execution (papermill)
    error: str = ""
    ipynb: Path | None = None
    html: Path | None = None
    html_seconds: float = 0.0  # HTML export
    started: float | None = None  # seconds after the client's run started
    ended: float | None = None


@dataclass
class ClientResult:
    """Outcome of one client's run."""

    client: str
    name: str
    output_dir: Path
    lang: str
    status: str
    error: str = ""
    notebooks: list[NotebookResult] = field(default_factory=list)
    seconds: float = 0.0
    index: Path | None = None
    figures: HeadlineFigures | None = None  # the client's headline figures (registry)
    currency: str = "EUR"
    scenario: str | None = None  # the named scenario laid over client.yml (kk run --scenario)
    client_folder: str = ""  # the client's folder (for the "present live" command on the index)


def available_notebooks(folder: Path | None = None) -> dict[str, Path]:
    """The workbook notebooks that exist, by step number, in execution order."""
    folder = folder or notebooks_dir()
    return {step: folder / name for step, name in NOTEBOOKS.items() if (folder / name).is_file()}


def select_notebooks(
    selection: str | Sequence[str] | None, folder: Path | None = None
) -> dict[str, Path]:
    """Resolve ``--notebooks 01,02`` against the available notebooks.

    Raises ValueError naming unknown or missing steps.
    """
    available = available_notebooks(folder)
    if not selection:
        return available
    steps = selection.split(",") if isinstance(selection, str) else list(selection)
    steps = [s.strip().zfill(2) for s in steps if s.strip()]
    unknown = [s for s in steps if s not in NOTEBOOKS]
    if unknown:
        raise ValueError(f"unknown notebook step(s) {unknown}; choose from {sorted(NOTEBOOKS)}")
    missing = [s for s in steps if s not in available]
    if missing:
        raise ValueError(
            f"notebook(s) {[NOTEBOOKS[s] for s in missing]} not found in {folder or notebooks_dir()}"
        )
    return {s: available[s] for s in NOTEBOOKS if s in steps}


def declared_parameters(notebook: Path) -> frozenset[str]:
    """Names in the notebook's ``parameters`` cell, as papermill reads them."""
    return _declared(str(notebook), notebook.stat().st_mtime_ns)


@cache
def _declared(path: str, mtime_ns: int) -> frozenset[str]:
    import papermill

    return frozenset(papermill.inspect_notebook(path))


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> None:
    """Refuse parameter names the notebook's ``parameters`` cell does not declare.

    papermill only warns about unknown names and runs anyway; a typo would then
    silently use the default. This check makes it an error.
    """
    declared = declared_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise UnknownParameterError(
            f"{notebook.name}: unknown parameter(s) {unknown}; the notebook accepts {sorted(declared)}"
        )


def notebook_parameters(
    config_path: Path, output_dir: Path, lang: str, *, anonymize: bool, scenario: str | None = None
) -> dict[str, Any]:
    """The parameters every workbook notebook receives from the runner."""
    return {
        "config": str(config_path),
        "output_dir": str(output_dir),
        "lang": lang,
        "anonymize": bool(anonymize),
        "scenario": scenario or "",
    }


def batch_parameters(notebook: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """The runner's parameters plus ``interactive=False`` for notebooks that have widgets.

    Notebooks with widgets default to ``interactive = True`` (a consultant opening them
    in JupyterLab gets the sliders); the batch switches them off.
    """
    if "interactive" in declared_parameters(notebook):
        return {**parameters, "interactive": False}
    return parameters


def export_html(ipynb: Path, html_path: Path, title: str, *, lang: str = "de") -> Path:
    """Write the executed notebook as HTML without code cells, prompts, stderr or analyst
    notes, in ``lang`` (``<html lang>``), with links back to ``index.html`` and to
    ``definitions.html`` at the top, the print style sheet and an alt text on every chart
    (:mod:`kk_helpers.batch.offline_html`, :func:`kk_helpers.batch.pages.describe_images`)."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)  # a fresh copy: edited in memory only
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    describe_images(nb)
    exporter = offline_html_exporter(lang=lang)
    body, _ = exporter.from_notebook_node(nb, resources=notebook_resources(lang, title))
    tmp = html_path.with_name(html_path.name + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html_path)
    return html_path


def run_notebook(
    step: str,
    notebook: Path,
    output_dir: Path,
    parameters: dict[str, Any],
    *,
    title: str,
    final_dir: Path | None = None,
    kernels: schedule.Kernels | None = None,
) -> NotebookResult:
    """Execute one notebook with papermill into ``output_dir`` and export it to HTML.

    The executed notebook is kept even when a cell fails (it shows the error). With
    ``final_dir`` (the report folder that the staging folder ``output_dir`` becomes),
    its ``output_dir`` parameter names ``final_dir``, so that it can be rerun there.
    Safe to call from several threads at once: the kernel runs in the notebook's folder
    without changing this process's working folder; ``kernels`` registers the kernel
    process (to stop it on Ctrl-C).
    """
    import papermill

    schedule.papermill_thread_safe()
    out_nb = output_dir / notebook.name
    out_html = output_dir / (notebook.stem + ".html")
    start = time.perf_counter()
    status, error = STATUS_OK, ""
    try:
        papermill.execute_notebook(
            str(notebook.resolve()),
            str(out_nb.absolute()),
            parameters=parameters,
            progress_bar=False,
            kernel_name="python3",
            **kernel_options(notebook.parent, kernels or schedule.Kernels()),
        )
    except Exception as e:  # papermill raises PapermillExecutionError with the cell's error
        status = STATUS_FAILED
        error = _short_error(e)
    seconds = time.perf_counter() - start
    if final_dir is not None and out_nb.is_file():
        _point_to(out_nb, str(output_dir.resolve()), str(final_dir.resolve()))
    html_file, html_start = None, time.perf_counter()
    if out_nb.is_file():
        try:
            html_file = export_html(out_nb, out_html, title, lang=parameters.get("lang", "de"))
        except Exception as e:
            if status == STATUS_OK:
                status, error = STATUS_FAILED, f"HTML export failed: {_short_error(e)}"
    return NotebookResult(
        step=step,
        notebook=notebook.name,
        status=status,
        seconds=seconds,
        error=error,
        ipynb=out_nb if out_nb.is_file() else None,
        html=html_file,
        html_seconds=time.perf_counter() - html_start,
    )


def _point_to(ipynb: Path, staging: str, final: str) -> None:
    """Replace the staging folder by the final report folder in the executed notebook's
    injected parameters and papermill metadata (not in outputs)."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(staging, final)
    pm = nb.metadata.get("papermill", {})
    for key in ("output_path",):
        if isinstance(pm.get(key), str):
            pm[key] = pm[key].replace(staging, final)
    if isinstance(pm.get("parameters", {}).get("output_dir"), str):
        pm["parameters"]["output_dir"] = final
    tmp = ipynb.with_name(ipynb.name + ".tmp")
    nbformat.write(nb, tmp)
    tmp.replace(ipynb)


def kernel_options(
    folder: Path | None = None, kernels: schedule.Kernels | None = None
) -> dict[str, Any]:
    """papermill options for the notebook kernels: on POSIX they talk over local IPC
    sockets instead of TCP on localhost, so the kernel prints no "running over TCP
    without encryption" warning (and nothing is reachable over the network). The
    kernel's own log shows errors only when they are critical, so that a run stopped
    with Ctrl-C ends with one line instead of the kernel's traceback; cell errors are
    in the executed notebook. ``folder``: the kernel's working folder (instead of
    papermill's ``cwd``, which changes the working folder of the whole process);
    ``kernels``: the registry of the client's kernels (:class:`schedule.Kernels`, whose
    kernel manager also gives every kernel its own socket names)."""
    options: dict[str, Any] = {"extra_arguments": ["--IPKernelApp.log_level=CRITICAL"]}
    if folder is not None:
        options["resources"] = {"metadata": {"path": str(Path(folder).resolve())}}
    if kernels is not None:
        options["kernel_manager_class"] = kernels.manager_class()
    if os.name != "posix":  # pragma: no cover - Windows has no IPC transport
        return options
    from traitlets.config import Config

    return {**options, "config": Config({"KernelManager": {"transport": "ipc"}})}


def _shown_path(folder: Path) -> str:
    """``folder`` relative to the working directory when it lies below it, else absolute."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(folder.resolve())


def _short_error(e: BaseException) -> str:
    name = getattr(e, "ename", type(e).__name__)
    value = getattr(e, "evalue", str(e))
    return f"{name}: {value}".strip()


def run_client(
    client: str | Path,
    *,
    out_root: Path | None = None,
    lang: str | None = None,
    notebooks: str | Sequence[str] | None = None,
    anonymize: bool = False,
    progress: Callable[[str], None] | None = None,
    scenario: str | None = None,
    slots: int | None = None,
    engine: str = "duckdb",
) -> ClientResult:
    """Validate one client and run the selected notebooks; never raises for data errors.

    ``slots``: notebooks run at once (default :func:`schedule.notebook_slots` for one
    client: the cores; 1 runs them one after the other).

    The run holds the lock of the client's report folder (a second run on it is refused
    with a clear message), writes into a staging folder and replaces the report folder
    when it has finished (:mod:`kk_helpers.batch.folders`). An interrupted run
    (``KeyboardInterrupt``) leaves the previous report untouched and re-raises.
    ``scenario``: a named scenario laid over ``client.yml`` (:mod:`kk_helpers.core.scenarios`);
    an unknown or invalid scenario stops the client like an invalid config.
    ``engine``: where the line aggregation runs (``"duckdb"``, ``"pyspark"``; same results).
    """
    say = progress or (lambda msg: None)
    start = time.perf_counter()
    config_path = resolve_config_path(client)
    label = Path(client).name if Path(client).is_dir() else config_path.parent.name
    try:
        cfg = load_config(config_path, scenario=scenario)
    except ConfigError as e:
        say(f"[{label}] {t('run.fatal', 'en')}: {e}")
        out = (out_root or reports_dir()) / label
        result = ClientResult(label, label, out, lang or "de", STATUS_FAILED, error=str(e))
        result.seconds = time.perf_counter() - start
        return result
    lang = check_language(lang or cfg.client.language)
    out = (out_root or reports_dir()) / cfg.client_id
    try:
        with folders.locked(out):
            if folders.recover(out):
                say(f"[{cfg.client_id}] {t('safety.run.recovered', lang)}")
            staging = folders.new_staging(out, lang=lang, anonymize=anonymize)
            try:
                result = _run_in(cfg, staging, lang, notebooks=notebooks, anonymize=anonymize,
                                 say=say, start=start, final_dir=out,
                                 slots=slots or schedule.notebook_slots(), engine=engine)  # fmt: skip
            except BaseException:
                folders.discard(staging)
                raise
            folders.publish(staging, out)
    except folders.FolderLockedError:
        error = t("safety.run.locked", lang, folder=str(out))
        say(f"[{cfg.client_id}] {error}")
        result = ClientResult(cfg.client_id, cfg.client.name, out, lang, STATUS_FAILED, error)
        result.seconds = time.perf_counter() - start
        return result
    return _moved(result, staging, out)


def _moved(result: ClientResult, staging: Path, out: Path) -> ClientResult:
    """``result`` with its paths pointing into the published report folder."""

    def move(p: Path | None) -> Path | None:
        return None if p is None else out / p.resolve().relative_to(staging.resolve())

    result.output_dir = out
    result.index = move(result.index)
    for nr in result.notebooks:
        nr.ipynb, nr.html = move(nr.ipynb), move(nr.html)
    return result


def _run_in(
    cfg: Any,
    out: Path,
    lang: str,
    *,
    notebooks: str | Sequence[str] | None,
    anonymize: bool,
    say: Callable[[str], None],
    start: float,
    final_dir: Path,
    slots: int,
    engine: str = "duckdb",
) -> ClientResult:
    """Prepare the client and run the notebooks with ``out`` (the staging folder) as
    their report folder, at most ``slots`` at once; write ``definitions.html`` and
    ``index.html`` there."""
    from kk_helpers.input.readers_common import release_memory
    from kk_helpers.stages.prepare import prepare_client, shown_client_name

    shown = shown_client_name(cfg, lang=lang, anonymize=anonymize)
    result = ClientResult(cfg.client_id, shown, out, lang, STATUS_OK, scenario=cfg.scenario)
    if cfg.config_path is not None:  # anonymized: the folder is often named after the client
        result.client_folder = (t("tech.client_folder", lang) if anonymize
                                else _shown_path(Path(cfg.config_path).parent))  # fmt: skip
    try:
        # cheap checks first: parameters are refused before any data work
        selected = select_notebooks(notebooks)
        base = notebook_parameters(cfg.config_path, out.resolve(), lang, anonymize=anonymize,
                                   scenario=cfg.scenario)  # fmt: skip
        params = {step: batch_parameters(nb, base) for step, nb in selected.items()}
        for step, nb in selected.items():
            check_parameters(nb, params[step])
        say(f"[{cfg.client_id}] {t('run.validating', lang)}")
        prep = prepare_client(cfg, out, anonymize=anonymize, lang=lang, engine=engine)
        result.figures, result.currency = prep.figures, cfg.client.currency
        save_figures(prep.figures, out)
        del prep  # its lines and tables go before the notebook kernels start
        release_memory()
    except (DataError, ConfigError, EngineError, UnknownParameterError, ValueError) as e:
        result.status, result.error = STATUS_FAILED, str(e)
        say(f"[{cfg.client_id}] {t('run.fatal', lang)}: {e}")
        _fatal_files(e, out, lang, cfg.client_id)
        add_navigation(out / VALIDATION_HTML, lang)
        result.seconds = time.perf_counter() - start
        result.index = write_index(result)
        return result
    prepared = time.perf_counter() - start
    _run_notebooks(result, selected, params, out, shown=shown, say=say, start=start,
                   final_dir=final_dir, slots=slots)  # fmt: skip
    result.seconds = time.perf_counter() - start
    folders.update_run_info(out, timings=_timings(result, prepared, slots))
    write_definitions_page(result.figures, out, client=shown, lang=lang, currency=result.currency)
    add_navigation(out / VALIDATION_HTML, lang)
    write_technical(result, cfg, anonymize=anonymize)
    result.index = write_index(result)
    return result


def _run_notebooks(
    result: ClientResult,
    selected: dict[str, Path],
    params: dict[str, dict[str, Any]],
    out: Path,
    *,
    shown: str,
    say: Callable[[str], None],
    start: float,
    final_dir: Path,
    slots: int,
) -> None:
    """Run the selected notebooks (:func:`schedule.run_steps`: at most ``slots`` at once,
    04 after 02 and 03) and put their results into ``result`` in step order. The first
    failed notebook (in step order) names the client's error; notebooks not started
    because of it are skipped."""
    client, lang = result.client, result.lang
    kernels = schedule.Kernels()
    started: dict[str, float] = {}

    def run(step: str) -> NotebookResult:
        title = f"{shown} – {t(f'notebook.{step}', lang)}"
        return run_notebook(step, selected[step], out, params[step], title=title,
                            final_dir=final_dir, kernels=kernels)  # fmt: skip

    def on_start(step: str) -> None:
        started[step] = time.perf_counter() - start
        say(f"[{client}] {selected[step].name} …")

    def on_end(step: str, nr: NotebookResult) -> None:
        nr.started, nr.ended = started[step], time.perf_counter() - start
        error = f" – {nr.error}" if nr.error else ""
        say(f"[{client}] {nr.notebook}: {nr.status} ({seconds_text(nr.seconds, lang)}){error}")

    done = schedule.run_steps(list(selected), run, slots=slots, on_start=on_start,
                              on_end=on_end, stop=kernels.stop,
                              failed=lambda nr: nr.status != STATUS_OK)  # fmt: skip
    for step, nb in selected.items():
        nr = done.get(step) or NotebookResult(step, nb.name, STATUS_SKIPPED)
        result.notebooks.append(nr)
        if nr.status == STATUS_FAILED and result.status == STATUS_OK:
            result.status, result.error = STATUS_FAILED, f"{nb.name}: {nr.error}"


def _timings(result: ClientResult, prepared: float, slots: int) -> dict[str, Any]:
    """The run's timings for ``run.json``: seconds, rounded to 0.01."""
    return {
        "notebook_slots": slots,
        "prepare": round(prepared, 2),
        "total": round(result.seconds, 2),
        "notebooks": {
            nr.step: {
                "status": nr.status,
                "execute": round(nr.seconds, 2),
                "html": round(nr.html_seconds, 2),
                "start": None if nr.started is None else round(nr.started, 2),
                "end": None if nr.ended is None else round(nr.ended, 2),
            }
            for nr in result.notebooks
        },
    }


def _fatal_files(e: BaseException, out: Path, lang: str, client: str) -> None:
    """On a fatal data error: the validation report with the message (and what was
    counted before loading stopped) in the report folder; an unexpected exception's
    details in ``kk_error.log`` there."""
    from kk_helpers.input.report_files import write_validation_report

    try:
        if isinstance(e, DataError):
            write_validation_report(getattr(e, "report", None), out, lang, fatal=str(e))
        if e.__cause__ is not None or not isinstance(e, DataError | ConfigError | ValueError):
            out.mkdir(parents=True, exist_ok=True)
            (out / "kk_error.log").write_text(
                f"{client}\n" + "".join(traceback.format_exception(e)), encoding="utf-8"
            )
    except OSError:
        pass


_BUSY = False  # a worker process is running a client (see _worker_init)


def _worker_init() -> None:
    """Worker processes of ``--jobs``: Ctrl-C is handled by the main process, which
    ends the workers with SIGTERM; a busy worker then stops its client like Ctrl-C
    (its staging folder is removed), an idle one exits at once, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_term)


def _worker_term(signum: int, frame: Any) -> None:  # noqa: ARG001
    if _BUSY:
        raise KeyboardInterrupt
    os._exit(130)


def _run_client_job(args: tuple) -> ClientResult:
    global _BUSY
    client, out_root, lang, notebooks, anonymize, scenario, slots, engine = args
    _BUSY = True
    try:
        return run_client(
            client,
            out_root=out_root,
            lang=lang,
            notebooks=notebooks,
            anonymize=anonymize,
            progress=_print_progress,
            scenario=scenario,
            slots=slots,
            engine=engine,
        )
    except Exception as e:  # a bug must not take the other clients down
        # no traceback on the terminal: one line naming the client, details in a log file
        try:  # the report folder's name, as in the other progress lines of this client
            label = load_config(resolve_config_path(client)).client_id
        except Exception:  # noqa: BLE001 - an unreadable config: the folder's name
            label = Path(client).resolve().name
        out = (out_root or reports_dir()) / label
        _fatal_files(e, out, lang or "en", str(client))
        msg = f"{type(e).__name__}: {e} (details in {out / 'kk_error.log'})"
        _print_progress(f"[{label}] {msg}")
        return ClientResult(
            str(client), str(client), out_root or reports_dir(), lang or "de", STATUS_FAILED, msg
        )
    finally:
        _BUSY = False


def _print_progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_batch(
    clients: Sequence[str | Path],
    *,
    out_root: Path | None = None,
    lang: str | None = None,
    notebooks: str | Sequence[str] | None = None,
    jobs: int = 1,
    anonymize: bool = False,
    scenario: str | None = None,
    notebook_jobs: int | None = None,
    engine: str = "duckdb",
) -> list[ClientResult]:
    """Run several clients, in parallel processes when ``jobs > 1``.

    Each client runs up to :func:`schedule.notebook_slots` notebooks at once: the cores
    divided by the clients running at the same time (``min(jobs, clients)``), at most
    ``notebook_jobs`` when given; so no more kernels than cores run at once.

    Raises ``ValueError`` (:class:`~kk_helpers.batch.folders.DuplicateFolderError`) before anything runs when two
    clients map to one report folder, and ``KeyboardInterrupt`` on Ctrl-C after the
    workers have stopped (every report folder keeps its previous report).
    """
    if lang is not None:
        check_language(lang)
    select_notebooks(notebooks)  # fail early on a bad selection
    check_distinct_folders(clients, out_root)
    parallel = min(jobs, len(clients)) if jobs > 1 and len(clients) > 1 else 1
    slots = schedule.notebook_slots(parallel, limit=notebook_jobs)
    tasks = [(c, out_root, lang, notebooks, anonymize, scenario, slots, engine) for c in clients]
    if jobs > 1 and len(tasks) > 1:
        # forkserver, not fork: the parent may hold the DuckDB engine's threads, and a
        # forked copy of a multi-threaded process can deadlock
        ctx = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, mp_context=ctx)
        try:
            return list(pool.map(_run_client_job, tasks))
        except KeyboardInterrupt:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return [_run_client_job(task) for task in tasks]


def exit_code(results: Sequence[ClientResult]) -> int:
    """0 when every client and notebook succeeded, 1 otherwise."""
    return 0 if all(r.status == STATUS_OK for r in results) else 1


def summary_lines(results: Sequence[ClientResult]) -> list[str]:
    """One line per client for the terminal: status, time, index path or error."""
    lines = []
    for r in results:
        if r.status == STATUS_OK:
            lines.append(f"OK      {r.client}: {r.index} ({r.seconds:.1f} s)")
        else:
            lines.append(f"FAILED  {r.client}: {r.error}")
    return lines
