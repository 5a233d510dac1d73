"""The data engine: where the heavy line-level work runs (Ibis on DuckDB or Spark).

The aggregations over transaction lines (the customer x year cells behind the customer
table, see :mod:`kk_helpers.metrics.line_aggregates`) are written once as Ibis
expressions. This module gives them a backend:

* ``duckdb`` (default): embedded, in this process, nothing to start. A memory limit and a
  spill folder keep large clients out of core (DuckDB writes what does not fit to
  ``temp_directory`` and reads it back).
* ``pyspark``: the same expressions on a Spark session, for clients whose data live in a
  Spark cluster or lakehouse. A local session (``spark.master`` = ``local[N]``) needs Java
  17+ and the ``pyspark`` package; a cluster is reached through ``spark.master`` or an
  existing ``SparkSession`` given as ``spark``.

Sources: Ibis (https://ibis-project.org, the DuckDB and PySpark backends); DuckDB's
``memory_limit`` / ``temp_directory`` settings ("Configuration", duckdb.org).

Example
-------
>>> import pyarrow as pa
>>> eng = connect("duckdb")
>>> t = eng.table(pa.table({"k": [1, 1, 2], "v": [1.5, 2.5, 4.0]}))
>>> eng.execute(t.group_by("k").aggregate(s=t.v.sum()).order_by("k")).to_dict("list")
{'k': [1, 2], 's': [4.0, 4.0]}
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["BACKENDS", "Engine", "EngineError", "connect", "default_engine"]

#: the backends an :class:`Engine` can run on
BACKENDS = ("duckdb", "pyspark")


class EngineError(RuntimeError):
    """The engine could not be started (unknown backend, no Java for Spark, ...)."""


@dataclass
class Engine:
    """A connected backend.

    Attributes:
        backend: ``"duckdb"`` or ``"pyspark"``.
        con: the Ibis backend connection.
        settings: what the engine was started with (for the technical page / logs).
    """

    backend: str
    con: Any
    settings: dict[str, Any] = field(default_factory=dict)

    def table(self, data: Any) -> Any:
        """An Ibis table of ``data`` (a ``pyarrow.Table`` or a pandas DataFrame) on this
        backend (an in-memory table; DuckDB scans Arrow data without copying it)."""
        import ibis

        return ibis.memtable(data)

    def execute(self, expr: Any) -> pd.DataFrame:
        """Run an Ibis expression on this backend; returns a pandas DataFrame.

        Raises :class:`EngineError` when DuckDB runs out of memory (naming the limit and
        ``KK_MEMORY_LIMIT``, instead of DuckDB's advice to ``SET memory_limit``)."""
        with self._out_of_memory():
            return self.con.execute(expr)

    @contextlib.contextmanager
    def _out_of_memory(self) -> Iterator[None]:
        try:
            yield
        except Exception as e:
            if type(e).__name__ != "OutOfMemoryException":  # duckdb.OutOfMemoryException
                raise
            limit = self.settings.get("memory_limit") or "DuckDB's default, 80 % of RAM"
            raise EngineError(
                f"DuckDB ran out of memory (memory limit: {limit}). Set a higher limit "
                "with the environment variable KK_MEMORY_LIMIT (e.g. KK_MEMORY_LIMIT=8GB) "
                "or close other programs"
            ) from e

    def close(self) -> None:
        """Release the connection: DuckDB's memory and spill files; a Spark session that
        :func:`connect` started is stopped (its shuffle folder may be removed after this);
        a session given to :func:`connect` keeps running."""
        if self.backend == "duckdb":
            self.con.disconnect()
        elif self.settings.get("started_spark"):
            self.con._session.stop()


def _duckdb(memory_limit: str | None, temp_directory: Path | None, threads: int | None) -> Any:
    import ibis

    config: dict[str, Any] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_directory is not None:
        Path(temp_directory).mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(temp_directory)
    else:  # DuckDB would spill into ./.tmp (outside the output folder): memory only
        config["temp_directory"] = ""
    if threads:
        config["threads"] = int(threads)
    # no extension may be downloaded at run time: only what the installed package ships
    config["autoinstall_known_extensions"] = False
    config["autoload_known_extensions"] = False
    try:
        return ibis.duckdb.connect(**config)
    except Exception as e:  # e.g. KK_MEMORY_LIMIT=lots or 4,5GB: DuckDB names the setting
        limit = (
            f" with the memory limit {memory_limit!r} (KK_MEMORY_LIMIT, e.g. 4GB or 4.5GB)"
            if memory_limit
            else ""
        )
        raise EngineError(f"DuckDB could not be started{limit}: {e}"[:400]) from e


@contextlib.contextmanager
def _stderr_to(path: str) -> Iterator[None]:
    """Point file descriptor 2 at ``path`` while Spark's JVM starts: the JVM inherits it,
    so its log lines go to the file instead of the consultant's terminal."""
    sys.stderr.flush()
    saved = os.dup(2)
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(target, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(target)


def _spark(
    spark: Any, master: str | None, threads: int | None, log: str | None, local_dir: Path | None
) -> Any:
    import ibis

    # pyspark warns on every call that it was not tested with pandas 3; the engine hands
    # it Arrow tables and reads back small results
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    if spark is None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as e:  # pragma: no cover - pyspark is a dependency
            raise EngineError("the Spark engine needs the package 'pyspark'") from e
        master = master or os.environ.get("KK_SPARK_MASTER") or f"local[{threads or 2}]"
        builder = (
            SparkSession.builder.master(master)
            .appName("kk_helpers")
            .config("spark.ui.enabled", "false")
            # no "[Stage 3:> (0 + 2) / 2]" progress bars in the notebook's / kk run's output
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(max(2, 2 * (threads or 2))))
            .config("spark.sql.session.timeZone", "UTC")
        )
        if local_dir is not None:  # shuffle files inside the report's cache, not in /tmp
            local_dir.mkdir(parents=True, exist_ok=True)
            builder = builder.config("spark.local.dir", str(local_dir))
        if master.startswith("local"):  # a Spark inside this computer listens only here
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = builder.config("spark.driver.host", "127.0.0.1").config(
                "spark.driver.bindAddress", "127.0.0.1"
            )
        try:
            with _stderr_to(log or os.devnull):
                spark = builder.getOrCreate()
        except Exception as e:  # no Java, a cluster that does not answer, ...
            raise EngineError(f"Spark could not be started at {master!r}: {e}"[:400]) from e
        spark.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(spark)


def connect(
    backend: str = "duckdb",
    *,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
    threads: int | None = None,
    spark: Any = None,
    spark_master: str | None = None,
    spark_log: str | Path | None = None,
) -> Engine:
    """Start an engine.

    Inputs:
        backend: ``"duckdb"`` (default) or ``"pyspark"``.
        memory_limit: DuckDB's memory limit, e.g. ``"4GB"`` (default: DuckDB's, 80 % of RAM).
        temp_directory: the spill folder (created): DuckDB's ``temp_directory``, Spark's
            ``spark.local.dir`` (shuffle files; applies when this call starts the
            session); put it inside the report's cache. None: DuckDB does not spill
            (its default, ``./.tmp``, would lie outside the output folder); Spark uses
            its default (``/tmp``).
        threads: worker threads (DuckDB) / local cores (Spark ``local[N]``).
        spark: an existing ``SparkSession`` to run on (then ``spark_master`` is ignored).
        spark_master: Spark master URL; default ``$KK_SPARK_MASTER`` or ``local[threads]``.
        spark_log: file for the log lines of Spark's JVM (default: discarded); a local
            Spark listens on 127.0.0.1 only.

    Output: an :class:`Engine`.

    Raises :class:`EngineError` for an unknown backend or a Spark that cannot start.

    >>> connect("duckdb", memory_limit="1GB").backend
    'duckdb'
    """
    settings = {"memory_limit": memory_limit, "threads": threads}
    if backend == "duckdb":
        settings["temp_directory"] = str(temp_directory) if temp_directory else None
        tmp = Path(temp_directory) if temp_directory else None
        return Engine("duckdb", _duckdb(memory_limit, tmp, threads), settings)
    if backend in ("pyspark", "spark"):
        log = str(spark_log) if spark_log else None
        tmp = Path(temp_directory) if temp_directory else None
        settings["started_spark"] = spark is None
        return Engine("pyspark", _spark(spark, spark_master, threads, log, tmp), settings)
    raise EngineError(f"unknown engine {backend!r}; choose one of {', '.join(BACKENDS)}")


_DEFAULT: dict[int, Engine] = {}


def default_engine() -> Engine:
    """The process's embedded DuckDB engine (started once per process)."""
    pid = os.getpid()  # a forked worker gets its own connection
    if pid not in _DEFAULT:
        _DEFAULT.clear()
        _DEFAULT[pid] = connect("duckdb")
    return _DEFAULT[pid]
