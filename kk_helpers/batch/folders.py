"""Atomic, locked report folders for ``kk run``.

A run never writes into a client's report folder directly. It takes a lock per report
folder (a second run on the same folder is refused), writes everything into a
staging folder next to it and replaces the report folder only when it has finished.
An interrupted run therefore leaves the previous complete report (or nothing); its
staging folder is removed, at the latest by the next run, which says so.

Layout inside the root of the report folders (``--out``), for client id ``acme``::

    acme/                      the report folder (complete, from the last finished run)
    .acme.lock                 lock file (kept; the lock is the OS lock on it)
    .acme.staging-<pid>-<x>/   the running (or an interrupted) run's output
    .acme.old-<pid>-<x>/       the previous report during the swap (milliseconds)

The report folder holds ``run.json`` (language, anonymized or not): a run starts from a
copy of the previous report (so that ``--notebooks 04`` finds the outputs of 02 and
03) only when both match; otherwise it starts empty, so that one report never mixes
languages or real names with pseudonyms.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

RUN_FILE = "run.json"
CACHE_DIR = "cache"


class DuplicateFolderError(ValueError):
    """Two clients of one batch would write into the same report folder."""


def check_distinct_folders(clients: Sequence[str | Path], out_root: Path | None) -> None:
    """Refuse a batch in which two clients map to one report folder (same ``client.id``),
    before anything runs. Clients whose config cannot be read are left to the run."""
    from kk_helpers.core.config import ConfigError, load_config, resolve_config_path
    from kk_helpers.core.i18n import t
    from kk_helpers.core.paths import reports_dir

    root = out_root or reports_dir()
    seen: dict[Path, str] = {}
    for c in clients:
        try:
            cfg = load_config(resolve_config_path(c), check_files=False)
        except ConfigError:
            continue
        folder = (root / cfg.client_id).resolve()
        if folder in seen:
            raise DuplicateFolderError(
                t("safety.run.same_folder", "en", first=seen[folder], second=str(c),
                  folder=str(folder))
            )  # fmt: skip
        seen[folder] = str(c)


class FolderLockedError(RuntimeError):
    """Another run holds the lock of this report folder."""


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _try_lock(handle: IO[str]) -> bool:
    """Take an exclusive, non-blocking OS lock on an open file; False when held elsewhere.

    The OS releases it when the process ends, also when it is killed.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock of report folder ``out`` (raise :class:`FolderLockedError` if taken)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = _lock_path(out)
    with open(path, "a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            raise FolderLockedError(str(out))
        yield  # the lock ends when the file is closed


def leftovers(out: Path) -> list[Path]:
    """Staging and swap folders of ``out`` left by interrupted runs."""
    patterns = (f".{out.name}.staging-*", f".{out.name}.old-*")
    return sorted(p for pat in patterns for p in out.parent.glob(pat) if p.is_dir())


def recover(out: Path) -> bool:
    """Clean up after interrupted runs (call while holding the lock).

    A swap interrupted between its two renames is completed backwards (the previous
    report is put back); staging folders are deleted. Returns True when anything of
    an interrupted run was found.
    """
    found = leftovers(out)
    for p in found:
        if p.name.startswith(f".{out.name}.old-") and not out.exists():
            p.rename(out)
        else:
            shutil.rmtree(p, ignore_errors=True)
    return bool(found)


def read_run_info(out: Path) -> dict:
    """``run.json`` of a report folder ({} when missing or unreadable)."""
    try:
        return json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def update_run_info(folder: Path, **items: object) -> None:
    """Add ``items`` to ``run.json`` of ``folder`` (e.g. the run's ``timings``), atomically."""
    info = {**read_run_info(folder), **items}
    tmp = folder / f".{RUN_FILE}.tmp"
    tmp.write_text(json.dumps(info, indent=1), encoding="utf-8")
    tmp.replace(folder / RUN_FILE)


def new_staging(out: Path, *, lang: str, anonymize: bool) -> Path:
    """Create the staging folder for a run of ``out``; seed it from the previous report
    when that was made in the same language and mode, and write ``run.json``."""
    staging = out.parent / f".{out.name}.staging-{os.getpid()}-{secrets.token_hex(3)}"
    info = {"lang": lang, "anonymize": bool(anonymize)}
    previous = read_run_info(out)
    same_mode = bool(anonymize) == bool(previous.get("anonymize", False))
    if out.is_dir() and same_mode:
        if previous.get("lang") == lang:
            shutil.copytree(out, staging)
        else:  # other language: only the cache (keyed by language) is reused
            staging.mkdir()
            if (out / CACHE_DIR).is_dir():
                shutil.copytree(out / CACHE_DIR, staging / CACHE_DIR)
    else:
        staging.mkdir()
    (staging / RUN_FILE).write_text(json.dumps(info), encoding="utf-8")
    return staging


def publish(staging: Path, out: Path) -> None:
    """Replace the report folder ``out`` by ``staging`` (two renames on one file system)."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(3)}"
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove an unfinished run's staging folder."""
    shutil.rmtree(staging, ignore_errors=True)
