"""Prepare a client once: load, validate, build the customer table, cache the result.

The batch runner calls :func:`prepare_client` once per client; every notebook calls
it too and then reads the cached result instead of loading the data again. The cache
lives in ``<output_dir>/cache/`` as Parquet files and is rebuilt when the config file,
a data file's content, the options (anonymize, language) or the package version
change. Every cache file is written to a temporary file and renamed; the fingerprint
is removed first and written last, so an interrupted write leaves no cache that
looks current (and an unreadable cache file is rebuilt, not fatal). A notebook
opened alone simply builds the cache itself.

The expensive intermediates (order tables, monthly revenue, per-customer facts of the
lines; :mod:`kk_helpers.stages.intermediates`) are computed here once per client and
cached too. Those and the transaction lines and activities are read from the cache only
when a stage first asks for them (:attr:`PreparedClient.transactions` etc.), so a
notebook kernel that does not need the lines never holds them; the small facts
(number of lines, which optional columns have data, ...) are in :attr:`PreparedClient.facts`.

With ``anonymize`` no name reaches the cache or any output: customers get stable
pseudonyms (from their id), sales reps too (from the name), the client's own name
becomes a neutral label, and the rejected rows keep only their non-identifying
mapped columns (every other text is replaced by "[anonymized]").
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

import kk_helpers
from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, load_config, resolve_config_path
from kk_helpers.core.paths import default_output_dir
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.figures import headline_figures, load_figures, save_figures
from kk_helpers.stages.intermediates import LAZY_FRAMES, from_stored, to_stored

CACHE_DIR = "cache"
#: DuckDB's spill folder inside the cache, one per process (``spill-<pid>``: two kernels
#: preparing the same client at once must not remove each other's); removed after the build
SPILL_DIR = "spill"
#: cached frames read by every prepare (small: one row per customer or per issue)
_FRAMES = (
    "customers",
    "customer_table",
    "issues",
    "validation_summary",
    "rejected",
    "reconciliation",
)


class LazyFrame:
    """A frame of the cache that is read on first use (and kept), or a frame in memory.

    ``stamp``: the cache's ``fingerprint.json`` and the fingerprint the frame belongs to;
    the file is not read once the stamp names another fingerprint (a notebook opened
    later may have rebuilt the cache for an edited ``client.yml`` in the meantime).

    >>> LazyFrame(pd.DataFrame({"a": [1]})).get()["a"].tolist()
    [1]
    """

    __slots__ = ("_frame", "_path", "_name", "_stamp")

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        *,
        path: Path | None = None,
        name: str = "",
        stamp: tuple[Path, str] | None = None,
    ) -> None:
        self._frame, self._path, self._name, self._stamp = frame, path, name, stamp

    @property
    def loaded(self) -> bool:
        """True when the frame is in memory."""
        return self._frame is not None

    def _stamp_holds(self) -> bool:
        """False only when the stamp names another fingerprint: while it is missing (a
        rebuild is under way, mostly of the same content) the atomically replaced file
        is read."""
        if self._stamp is None:
            return True
        stamp, fp = self._stamp
        try:
            return json.loads(stamp.read_text()).get("fingerprint") == fp
        except (OSError, ValueError):  # removed for a rebuild, or being written
            return True

    def get(self) -> pd.DataFrame:
        """The frame; read from the cache file the first time.

        Raises ``FileNotFoundError`` naming the file when the cache file went missing,
        was rebuilt for other settings or cannot be read since ``prepare_client`` (then
        call it again: it rebuilds the cache or reads the current one).
        """
        if self._frame is None:
            again = "call prepare_client again"
            if self._path is None or not self._path.is_file():
                raise FileNotFoundError(f"cache file {self._path} is missing: {again}")
            if not self._stamp_holds():
                raise FileNotFoundError(
                    f"cache file {self._path} was rebuilt since (changed client.yml or "
                    f"data?): {again}"
                )
            try:
                frame = from_stored(self._name, pd.read_parquet(self._path))
            except (OSError, ValueError) as e:  # truncated / overwritten by hand
                raise FileNotFoundError(
                    f"cache file {self._path} is unreadable ({type(e).__name__}): {again}"
                ) from e
            if not self._stamp_holds():  # replaced while it was read
                raise FileNotFoundError(f"cache file {self._path} was rebuilt since: {again}")
            self._frame = frame
        return self._frame


@dataclass(frozen=True)
class PreparedClient:
    """Everything the notebooks need about one client, loaded and validated.

    ``issues``, ``validation_summary`` (translated), ``rejected`` and
    ``reconciliation`` are the validation report's tables (see
    :class:`kk_helpers.input.validation.ValidationReport`). The lines, activities and
    intermediates (properties below) are read from the cache on first use.
    """

    config: ClientConfig
    customers: pd.DataFrame
    customer_table: pd.DataFrame
    issues: pd.DataFrame
    validation_summary: pd.DataFrame
    rejected: pd.DataFrame
    reconciliation: pd.DataFrame
    output_dir: Path
    from_cache: bool
    anonymized: bool
    #: the client's headline figures (registry), computed once from these frames
    figures: HeadlineFigures = field(default_factory=HeadlineFigures)
    #: years covering only part of the period -> months with data (loader; annualised)
    partial_years: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: small facts about the lines (:func:`kk_helpers.stages.intermediates.compute_intermediates`):
    #: ``lines``, ``activities`` (counts), ``filled`` (optional line columns with data),
    #: ``scenario_missing``, ``levers``
    facts: dict[str, object] = field(default_factory=dict)
    #: the frames of :data:`kk_helpers.stages.intermediates.LAZY_FRAMES`, read on first use
    lazy: dict[str, LazyFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def transactions(self) -> pd.DataFrame:
        """The canonical transaction lines (read from the cache on first use: large)."""
        return self.lazy["transactions"].get()

    @property
    def activities(self) -> pd.DataFrame:
        """The canonical activities (read from the cache on first use)."""
        return self.lazy["activities"].get()

    @property
    def orders(self) -> pd.DataFrame:
        """One row per order of all lines (:func:`kk_helpers.metrics.orders.order_table`)."""
        return self.lazy["orders"].get()

    @property
    def orders_last_year(self) -> pd.DataFrame:
        """The last analysis year's orders with value > 0
        (:func:`kk_helpers.metrics.orders.last_year_orders`)."""
        return self.lazy["orders_last_year"].get()

    @property
    def monthly_revenue(self) -> pd.DataFrame:
        """Revenue per customer of the customer table and month of the analysis years
        (:func:`kk_helpers.metrics.classes.monthly_revenue`)."""
        return self.lazy["monthly_revenue"].get()

    @property
    def lever_facts(self) -> tuple[pd.DataFrame, dict[str, object]]:
        """:func:`kk_helpers.stages.levers.indicators.line_facts` of the lines."""
        return self.lazy["lever_facts"].get(), dict(self.facts.get("levers", {}))  # type: ignore[arg-type]

    @property
    def scenario_activity(self) -> pd.DataFrame:
        """Per customer activities of the last year
        (:func:`kk_helpers.stages.target.scenario_inputs.activity_base`)."""
        return self.lazy["scenario_activity"].get()

    def has_data(self, column: str) -> bool:
        """True when the lines have ``column`` (margin, channel, order id, product group)
        with at least one value."""
        return column in self.facts.get("filled", ())  # type: ignore[operator]


def file_digest(path: Path) -> str:
    """Content hash (BLAKE2b) of a file, read in 1 MiB blocks (about 1 s per GB)."""
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


#: version of the cached tables' layout: raise it when a cached table gains or loses a column,
#: so a cache written by an older version is rebuilt instead of read
CACHE_SCHEMA = 3


def fingerprint(config: ClientConfig, anonymize: bool) -> str:
    """Hash of what the cached result depends on: config text, data files, options.

    Data files enter by path and content hash: an edit that keeps size and
    modification time (``cp -p``) is noticed too.
    """
    h = hashlib.sha256()
    h.update(kk_helpers.__version__.encode())
    h.update(f"cache-schema={CACHE_SCHEMA}".encode())
    h.update(f"anonymize={bool(anonymize)}".encode())
    if config.config_path is not None:
        h.update(Path(config.config_path).read_bytes())
    # the effective settings too: a named scenario changes them without changing client.yml
    h.update(config.model_dump_json().encode())
    h.update(f"scenario={config.scenario}".encode())
    for table in C.TABLES:
        if getattr(config.files, table) is None:
            continue
        p = config.file_path(table)
        h.update(f"{p.resolve()}|{file_digest(p)}".encode())
    return h.hexdigest()


def shown_client_name(config: ClientConfig, *, lang: str, anonymize: bool) -> str:
    """The client's name in reports: the configured name, or a neutral label when anonymized."""
    from kk_helpers.core.i18n import t

    return t("safety.anon.client", lang) if anonymize else config.client.name


def _short_hash(value: object) -> str:
    return hashlib.sha1(str(value).encode()).hexdigest()[:6].upper()


def pseudonym(customer_ids: pd.Series, lang: str = "de") -> pd.Series:
    """Stable pseudonyms for customer names, derived from the customer id only.

    The same id always gets the same pseudonym, across notebooks and runs.

    >>> pseudonym(pd.Series(["00123"]), "en").iloc[0].startswith("Customer ")
    True
    """
    from kk_helpers.core.i18n import t

    prefix = t("col.name", lang)
    digest = customer_ids.astype(str).map(_short_hash)
    return prefix + " " + digest


def anonymize_names(frame: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """Return a copy of ``frame`` whose ``name`` column holds pseudonyms (from the
    customer id) and whose ``sales_rep`` column holds "Salesperson 1A2B3C" (from the name).

    >>> f = anonymize_names(pd.DataFrame({"customer_id": ["1"], "name": ["A"],
    ...                                   "sales_rep": ["Eva Maier"]}), "en")
    >>> f.iloc[0]["name"].startswith("Customer "), f.iloc[0]["sales_rep"].startswith("Salesperson ")
    (True, True)
    """
    from kk_helpers.core.i18n import t

    out = frame
    if C.NAME in frame.columns and C.CUSTOMER_ID in frame.columns:
        out = out.copy()
        out[C.NAME] = pseudonym(out[C.CUSTOMER_ID], lang).to_numpy()
    if C.SALES_REP in frame.columns:
        out = out.copy() if out is frame else out
        prefix = t("safety.anon.sales_rep", lang)
        reps = out[C.SALES_REP]
        out[C.SALES_REP] = reps.astype(object).where(
            reps.isna(), reps.map(lambda r: f"{prefix} {_short_hash(r)}")
        )
        if isinstance(reps.dtype, pd.CategoricalDtype):
            out[C.SALES_REP] = out[C.SALES_REP].astype("category")
    return out


#: canonical columns that identify nobody: kept in the rejected rows of an anonymized run
_NEUTRAL = frozenset(C.COLUMN_KINDS["transactions"]) | frozenset(C.COLUMN_KINDS["activities"])
_NEUTRAL = (_NEUTRAL | {C.INDUSTRY, C.REGION, C.EMPLOYEES, C.POTENTIAL, C.CUSTOMER_SINCE}) - {
    C.NAME,
    C.SALES_REP,
}
_REPORT_COLUMNS = frozenset({"table", "file", "source_row", "reason", "severity", "message"})


def anonymize_rejected(rejected: pd.DataFrame, config: ClientConfig, lang: str) -> pd.DataFrame:
    """The rejected rows with every identifying or unmapped text replaced by "[anonymized]".

    Kept: the report's own columns (table, file, row, reason) and the client columns
    mapped to a non-identifying canonical column (id, date, revenue, ...).
    """
    from kk_helpers.core.i18n import t

    keep = set(_REPORT_COLUMNS)
    for table in C.TABLES:
        spec = getattr(config.files, table)
        if spec is None:
            continue
        for canonical, header in spec.columns.items():
            if canonical in _NEUTRAL:
                keep.add(header)
        keep |= {c for c in C.COLUMN_KINDS[table] if c in _NEUTRAL}  # unmapped = same name
    out = rejected.copy()
    mask = t("safety.anon.text", lang)
    for col in out.columns:
        if str(col) not in keep:
            values = out[col].astype(object)
            out[col] = values.where(values.isna() | (values.astype(str) == ""), mask)
    return out


def anonymous_config(config: ClientConfig, lang: str) -> ClientConfig:
    """``config`` with the client's name replaced by the neutral label."""
    name = shown_client_name(config, lang=lang, anonymize=True)
    return config.model_copy(update={"client": config.client.model_copy(update={"name": name})})


def _spill_dir(out: Path) -> Path:
    return out / CACHE_DIR / f"{SPILL_DIR}-{os.getpid()}"


def _engine(backend: str, out: Path):  # type: ignore[no-untyped-def]
    """The engine for the line aggregation: DuckDB spills into ``<out>/cache/spill-<pid>``
    (memory limit: ``$KK_MEMORY_LIMIT``, e.g. ``4GB``); Spark per ``$KK_SPARK_MASTER``."""
    from kk_helpers.core.engine import connect

    if backend == "duckdb":
        return connect(
            "duckdb",
            memory_limit=os.environ.get("KK_MEMORY_LIMIT") or None,
            temp_directory=_spill_dir(out),
        )
    (out / CACHE_DIR).mkdir(parents=True, exist_ok=True)
    return connect(backend, spark_log=out / CACHE_DIR / "spark.log", temp_directory=_spill_dir(out))


def _build(
    config: ClientConfig, anonymize: bool, lang: str, out: Path, engine: str = "duckdb"
) -> tuple[dict[str, pd.DataFrame], dict[str, object]]:
    from kk_helpers.input.loading import load_client
    from kk_helpers.input.report_files import write_validation_report
    from kk_helpers.metrics.customer_table import build_customer_table
    from kk_helpers.metrics.orders import order_table
    from kk_helpers.stages.intermediates import compute_intermediates

    data = load_client(config)
    orders = order_table(data.transactions)  # the one order table: customer table, stages
    try:  # the spill folder goes also when the engine does not start (bad KK_MEMORY_LIMIT)
        eng = _engine(engine, out)
    except BaseException:
        shutil.rmtree(_spill_dir(out), ignore_errors=True)
        raise
    try:
        table = build_customer_table(
            data.customers, data.transactions, data.activities, config=config,
            partial_years=data.partial_years, engine=eng, orders=orders,
        )  # fmt: skip
    finally:
        eng.close()
        shutil.rmtree(_spill_dir(out), ignore_errors=True)
    table.attrs["partial_years"] = data.partial_years
    intermediates, facts = compute_intermediates(
        data.transactions, data.activities, table, config=config, orders=orders
    )
    report = data.report
    if anonymize:
        # the report's rejected rows feed rejected_rows.csv: no names there either
        report._rejected_cache = anonymize_rejected(report.rejected, config, lang)
    frames = {
        "customers": data.customers,
        "transactions": data.transactions,
        "activities": data.activities,
        "customer_table": table,
        "issues": report.issues,
        "validation_summary": report.summary(lang),
        "rejected": report.rejected,
        "reconciliation": report.reconciliation(),
        **intermediates,
    }
    if anonymize:
        for name in ("customers", "transactions", "activities", "customer_table"):
            frames[name] = anonymize_names(frames[name], lang)
    write_validation_report(data, out, lang)
    return frames, facts


def _to_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to a temporary file next to ``path`` and rename it (atomic)."""
    out = frame.copy(deep=False)  # copy-on-write: the caller's frame stays untouched
    # object columns with mixed content (e.g. raw rejected values) are stored as text
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype("string")
    out.columns = [str(c) for c in out.columns]
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        out.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_cache(cache: Path) -> dict[str, pd.DataFrame] | None:
    """The small cached frames, or None when a file is missing or unreadable (then
    rebuilt); the large ones (:data:`LAZY_FRAMES`) must exist with a Parquet footer and are
    read on first use."""
    import pyarrow.parquet as pq

    try:
        for name in LAZY_FRAMES:  # the footer only: a truncated file has none
            pq.read_metadata(cache / f"{name}.parquet")
        return {name: pd.read_parquet(cache / f"{name}.parquet") for name in _FRAMES}
    except Exception:  # noqa: BLE001 - any unreadable cache file means: rebuild
        return None


def _client(
    frames: dict[str, pd.DataFrame], lazy: dict[str, LazyFrame], **fields: object
) -> PreparedClient:
    return PreparedClient(**{n: frames[n] for n in _FRAMES}, lazy=lazy, **fields)  # type: ignore[arg-type]


def prepare_client(
    config: str | Path | ClientConfig,
    output_dir: str | Path | None = None,
    *,
    anonymize: bool = False,
    lang: str = "de",
    use_cache: bool = True,
    scenario: str | None = None,
    engine: str = "duckdb",
) -> PreparedClient:
    """Load, validate and build the customer table for a client, with a cache.

    Parameters
    ----------
    config : client folder, ``client.yml`` path, or a loaded :class:`ClientConfig`.
    output_dir : the client's report folder; default ``reports/<client id>``.
    anonymize : replace customer names by stable pseudonyms everywhere downstream.
    lang : language of the pseudonyms ("Kunde …" / "Customer …").
    use_cache : read ``<output_dir>/cache`` when it is current; write it otherwise.
    scenario : name of a saved scenario laid over ``client.yml`` (``kk run --scenario``;
        :mod:`kk_helpers.core.scenarios`); empty or None: ``client.yml`` as it is.
    engine : where the line aggregation runs: ``"duckdb"`` (embedded, default) or
        ``"pyspark"`` (:mod:`kk_helpers.core.engine`; same results, not in the fingerprint).

    Returns a :class:`PreparedClient` whose ``figures`` are the client's headline figures
    (:func:`kk_helpers.stages.figures.headline_figures`), cached as ``figures.json``.

    Raises ``ConfigError`` / ``DataError`` on fatal problems (clear messages).
    """
    cfg = (
        config
        if isinstance(config, ClientConfig)
        else load_config(resolve_config_path(config), scenario=scenario or None)
    )
    if anonymize:
        cfg = anonymous_config(cfg, lang)
    out = Path(output_dir) if output_dir else default_output_dir(cfg.client_id)
    cache = out / CACHE_DIR
    stamp = cache / "fingerprint.json"
    fp = fingerprint(cfg, anonymize)
    if use_cache and stamp.is_file():
        try:
            meta = json.loads(stamp.read_text())
        except json.JSONDecodeError:
            meta = {}
        figures = load_figures(cache)
        current = meta.get("fingerprint") == fp and meta.get("lang") == lang
        frames = _read_cache(cache) if current and figures is not None else None
        if frames is not None and "facts" in meta:
            partial = {int(y): tuple(m) for y, m in meta.get("partial_years", {}).items()}
            lazy = {
                n: LazyFrame(path=cache / f"{n}.parquet", name=n, stamp=(stamp, fp))
                for n in LAZY_FRAMES
            }
            return _client(
                frames, lazy, config=cfg, output_dir=out, from_cache=True,
                anonymized=anonymize, figures=figures, partial_years=partial, facts=meta["facts"],
            )  # fmt: skip
    frames, facts = _build(cfg, anonymize, lang, out, engine)
    partial = frames["customer_table"].attrs.pop("partial_years", {})
    prep = _client(
        frames, {n: LazyFrame(frames[n], name=n) for n in LAZY_FRAMES}, config=cfg,
        output_dir=out, from_cache=False, anonymized=anonymize, partial_years=partial,
        facts=facts,
    )  # fmt: skip
    prep = replace(prep, figures=headline_figures(prep, lang=lang))
    if use_cache:
        cache.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)  # the old fingerprint goes first ...
        for name, frame in frames.items():
            _to_parquet(to_stored(name, frame), cache / f"{name}.parquet")
        save_figures(prep.figures, cache)
        partial_json = {str(y): list(m) for y, m in partial.items()}
        tmp = stamp.with_name(f"{stamp.name}.tmp-{os.getpid()}")
        meta = {"fingerprint": fp, "lang": lang, "partial_years": partial_json, "facts": facts}
        tmp.write_text(json.dumps(meta))
        os.replace(tmp, stamp)  # ... and the new one comes last
    return prep
