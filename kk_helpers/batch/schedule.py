"""Which workbook notebooks of one client run at the same time (``kk run``).

Every notebook runs in its own kernel (a separate process), so notebooks that do not
read each other's outputs can run side by side on idle cores. What each notebook reads:

* 01 status quo, 02 screening, 03 lever assessment: only the prepared client (the cache
  the runner writes before any notebook starts, :mod:`kk_helpers.stages.prepare`) and
  the client's config and questionnaires;
* 04 target picture: also ``screening.parquet`` (written by 02) and
  ``lever_assessment.parquet`` (written by 03), see
  :func:`kk_helpers.stages.target.analysis.build_target_picture`.

:data:`NEEDS` encodes this; a notebook starts only when the notebooks it needs (among
the selected ones) have finished successfully. ``--notebooks 04`` alone reads the files
of the previous report (the staging folder starts as its copy).

Budget rule (:func:`notebook_slots`): the machine's cores are shared by the clients that
run at once (``kk run --jobs N``): each client runs at most ``max(1, cores // N)``
notebooks at once, so no more kernels than cores run at the same time (with more
clients than cores: one notebook per client, ``N`` kernels). ``--notebook-jobs`` can
lower the number, never raise it above the budget. With one slot the notebooks run one
after the other, in their order.

After a failed notebook no further notebook starts; notebooks already running finish
(their outputs are complete), the others are reported as skipped. On Ctrl-C (or the
SIGTERM of ``--jobs``' worker processes, see :mod:`kk_helpers.batch.runner`) the kernels
of the running notebooks are stopped, their threads joined, and ``KeyboardInterrupt``
is raised again, so that the runner discards the staging folder.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

#: step -> the steps whose outputs it reads (see the module docstring)
NEEDS: dict[str, tuple[str, ...]] = {
    "01": (),
    "02": (),
    "03": (),
    "04": ("02", "03"),  # screening.parquet (02), lever_assessment.parquet (03)
}

R = TypeVar("R")
#: seconds the scheduler waits for the threads of stopped notebooks after Ctrl-C
STOP_GRACE = 60.0


def available_cores() -> int:
    """Cores this process may use (the CPU affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def notebook_slots(jobs: int = 1, *, cores: int | None = None, limit: int | None = None) -> int:
    """Notebooks one client may run at once when ``jobs`` clients run in parallel.

    ``max(1, cores // jobs)``, at most ``limit`` (``--notebook-jobs``) when given.

    >>> notebook_slots(1, cores=2), notebook_slots(2, cores=2), notebook_slots(3, cores=2)
    (2, 1, 1)
    >>> notebook_slots(1, cores=8, limit=3)
    3
    """
    budget = max(1, (cores or available_cores()) // max(1, jobs))
    return max(1, min(budget, limit)) if limit else budget


def start_order(steps: Sequence[str], needs: dict[str, tuple[str, ...]], slots: int) -> list[str]:
    """The order in which ready notebooks are started: with one slot the steps' own order;
    with more, the notebooks others wait for first (02 and 03 before 01), so that 04 can
    start early.

    >>> start_order(["01", "02", "03", "04"], NEEDS, 1)
    ['01', '02', '03', '04']
    >>> start_order(["01", "02", "03", "04"], NEEDS, 2)
    ['02', '03', '01', '04']
    """
    if slots <= 1:
        return list(steps)
    waiting = {s: sum(s in needs.get(o, ()) for o in steps) for s in steps}
    return sorted(steps, key=lambda s: (-waiting[s], list(steps).index(s)))


def run_steps(
    steps: Sequence[str],
    run: Callable[[str], R],
    *,
    slots: int,
    failed: Callable[[R], bool],
    needs: dict[str, tuple[str, ...]] | None = None,
    on_start: Callable[[str], None] | None = None,
    on_end: Callable[[str, R], None] | None = None,
    stop: Callable[[], None] | None = None,
) -> dict[str, R]:
    """Run ``run(step)`` for each step in threads, at most ``slots`` at once, a step only
    after the steps it ``needs`` (among ``steps``) have finished and not ``failed``.

    Returns the results of the steps that ran, by step (steps never started are missing:
    the caller reports them as skipped). ``on_start``/``on_end`` are called in the
    calling thread (progress lines, timings). On ``KeyboardInterrupt`` in the calling
    thread: ``stop()`` (end the running work), wait up to :data:`STOP_GRACE` s for the
    threads with the execution loggers silenced (:func:`quiet_loggers`), re-raise. An exception raised by ``run`` is re-raised here after the other
    steps have been stopped the same way.

    >>> run_steps(["a", "b"], str.upper, slots=2, failed=lambda r: False)
    {'a': 'A', 'b': 'B'}
    """
    needs = needs if needs is not None else NEEDS
    order = start_order(steps, needs, slots)
    pending = [s for s in order]
    done: dict[str, R] = {}
    running: dict[str, threading.Thread] = {}
    finished: queue.Queue[tuple[str, R | None, BaseException | None]] = queue.Queue()
    halted = False  # a step failed: start nothing more

    def work(step: str) -> None:
        try:
            finished.put((step, run(step), None))
        except BaseException as e:  # noqa: BLE001 - handed to the calling thread
            finished.put((step, None, e))

    def ready(step: str) -> bool:
        return all(d in done for d in needs.get(step, ()) if d in steps)

    try:
        while pending or running:
            for step in [s for s in pending if not halted and ready(s)]:
                if len(running) >= slots:
                    break
                pending.remove(step)
                if on_start:
                    on_start(step)
                thread = threading.Thread(target=work, args=(step,), name=f"kk-{step}", daemon=True)
                running[step] = thread
                thread.start()
            if not running:
                break  # halted (or nothing can start): the rest is skipped
            try:
                step, result, error = finished.get(timeout=0.25)
            except queue.Empty:
                continue
            running.pop(step).join()
            if error is not None:
                raise error
            done[step] = result  # type: ignore[assignment]
            if on_end:
                on_end(step, result)  # type: ignore[arg-type]
            halted = halted or failed(result)  # type: ignore[arg-type]
    except BaseException:
        with quiet_loggers():  # the stopped kernels are not worth a message
            if stop:
                stop()
            for thread in running.values():
                thread.join(timeout=STOP_GRACE)
        raise
    return {s: done[s] for s in steps if s in done}


# --- the notebooks' kernels ----------------------------------------------------------------


class Kernels:
    """The kernel processes started for one client's notebooks, to stop them on Ctrl-C.

    :meth:`manager_class` is the kernel manager papermill/nbclient use
    (``kernel_manager_class``): a local kernel manager that registers its process here
    and writes its connection file and IPC sockets under a unique name in Jupyter's
    runtime folder, so that several kernels started at once by one process never pick
    the same socket names (the default ``kernel-ipc-<n>`` names in the working folder
    are chosen by "first free number").
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: list[Any] = []
        self.stopped = False

    def add(self, process: Any) -> None:
        with self._lock:
            self._procs.append(process)
            if self.stopped:  # started while stopping: end it at once
                _end(process)

    def stop(self) -> None:
        """End every kernel process started so far (and any started later)."""
        with self._lock:
            self.stopped = True
            for process in self._procs:
                _end(process)

    def manager_class(self) -> type:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.paths import jupyter_runtime_dir
        from traitlets import default

        registry = self

        class TrackedKernelManager(AsyncKernelManager):
            @default("connection_file")
            def _kk_connection_file(self) -> str:
                folder = Path(jupyter_runtime_dir())
                folder.mkdir(parents=True, exist_ok=True)
                return str(folder / f"kk-{uuid.uuid4().hex[:12]}.json")

            async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
                await super()._async_launch_kernel(kernel_cmd, **kw)
                process = getattr(self.provisioner, "process", None)
                if process is not None:
                    registry.add(process)

        return TrackedKernelManager


def papermill_thread_safe() -> None:
    """Make papermill's local file handler safe for several notebooks run by threads of
    one process (idempotent; call before running notebooks).

    papermill keeps one process-wide handler for local files: each run stores the
    working folder in it (and restores the previous value at its end) and every read and
    write changes the process's working folder to that value. Runs that overlap leave a
    stale folder in it, so that another run's relative paths go astray (or fail when
    that folder is gone). The replacement keeps that folder per thread and reads and
    writes absolute paths without changing the working folder; relative paths behave as
    before.
    """
    from papermill import iorw

    handlers = getattr(iorw.papermill_io, "_handlers", None)
    if not isinstance(handlers, list):  # pragma: no cover - another papermill layout
        return
    safe = _thread_local_handler()
    for i, (scheme, handler) in enumerate(handlers):
        if scheme == "local" and not isinstance(handler, safe):
            handlers[i] = (scheme, safe())


@cache
def _thread_local_handler() -> type:
    from papermill.iorw import LocalHandler

    class ThreadLocalHandler(LocalHandler):
        """papermill's local handler with a per-thread working folder."""

        def __init__(self) -> None:
            self._local = threading.local()
            super().__init__()

        @property  # type: ignore[override]
        def _cwd(self) -> str | None:
            return getattr(self._local, "cwd", None)

        @_cwd.setter
        def _cwd(self, value: str | None) -> None:
            self._local.cwd = value

        def read(self, path: str) -> str:
            if os.path.isabs(path):
                with open(path, encoding="utf-8") as f:
                    return f.read()
            return super().read(path)

        def write(self, buf: str, path: str) -> None:
            if not os.path.isabs(path):
                return super().write(buf, path)
            if not os.path.isdir(os.path.dirname(path)):
                raise FileNotFoundError(f"output folder {os.path.dirname(path)} doesn't exist.")
            with open(path, "w", encoding="utf-8") as f:
                f.write(buf)
            return None

    return ThreadLocalHandler


def _end(process: Any) -> None:
    """Terminate a kernel process if it still runs (``Popen``; a finished one is left)."""
    try:
        if process.poll() is None:
            process.terminate()
    except OSError:  # pragma: no cover - gone meanwhile
        pass


@contextmanager
def quiet_loggers(names: Sequence[str] = ("papermill", "traitlets", "nbclient")) -> Iterator[None]:
    """Silence the execution loggers while stopped kernels are wound down (they would
    report the ended kernels; the run only says "interrupted")."""
    loggers = [logging.getLogger(n) for n in names]
    before = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        yield
    finally:
        for lg, was in zip(loggers, before, strict=True):
            lg.disabled = was
