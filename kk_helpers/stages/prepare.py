"""Prepare a client once: load, validate, build the customer table, cache the result.

The batch runner calls :func:`prepare_client` once per client; every notebook calls
it too and then reads the cached result instead of loading the data again. The cache
lives in ``<output_dir>/cache/`` as Parquet files and is rebuilt when the config file
or a data file changes (path, size or modification time) or when the package
version changes. A notebook opened alone simply builds the cache itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

import kk_helpers
from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, load_config, resolve_config_path
from kk_helpers.core.paths import default_output_dir
from kk_helpers.metrics.figures import HeadlineFigures
from kk_helpers.stages.figures import headline_figures, load_figures, save_figures

CACHE_DIR = "cache"
_FRAMES = (
    "customers",
    "transactions",
    "activities",
    "customer_table",
    "issues",
    "validation_summary",
    "rejected",
    "reconciliation",
)


@dataclass(frozen=True)
class PreparedClient:
    """Everything the notebooks need about one client, loaded and validated.

    ``issues``, ``validation_summary`` (translated), ``rejected`` and
    ``reconciliation`` are the validation report's tables (see
    :class:`kk_helpers.input.validation.ValidationReport`).
    """

    config: ClientConfig
    customers: pd.DataFrame
    transactions: pd.DataFrame
    activities: pd.DataFrame
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


def fingerprint(config: ClientConfig, anonymize: bool) -> str:
    """Hash of what the cached result depends on: config text, data files, options.

    Data files enter by path, size and modification time (hashing 10 million lines
    would cost more than the check saves).
    """
    h = hashlib.sha256()
    h.update(kk_helpers.__version__.encode())
    h.update(f"anonymize={anonymize}".encode())
    if config.config_path is not None:
        h.update(Path(config.config_path).read_bytes())
    for table in C.TABLES:
        if getattr(config.files, table) is None:
            continue
        p = config.file_path(table)
        st = p.stat()
        h.update(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def pseudonym(customer_ids: pd.Series, lang: str = "de") -> pd.Series:
    """Stable pseudonyms for customer names, derived from the customer id only.

    The same id always gets the same pseudonym, across notebooks and runs.

    >>> pseudonym(pd.Series(["00123"]), "en").iloc[0].startswith("Customer ")
    True
    """
    from kk_helpers.core.i18n import t

    prefix = t("col.name", lang)
    digest = customer_ids.astype(str).map(
        lambda s: hashlib.sha1(s.encode()).hexdigest()[:6].upper()
    )
    return prefix + " " + digest


def anonymize_names(frame: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """Return a copy of ``frame`` whose ``name`` column holds pseudonyms."""
    if C.NAME not in frame.columns or C.CUSTOMER_ID not in frame.columns:
        return frame
    out = frame.copy()
    out[C.NAME] = pseudonym(out[C.CUSTOMER_ID], lang).to_numpy()
    return out


def _anonymize_rejected(rejected: pd.DataFrame, name_columns: list[str]) -> pd.DataFrame:
    drop = [c for c in name_columns if c in rejected.columns]
    return rejected.drop(columns=drop) if drop else rejected


def _build(config: ClientConfig, anonymize: bool, lang: str, out: Path) -> dict[str, pd.DataFrame]:
    from kk_helpers.input.loading import load_client
    from kk_helpers.input.report_files import write_validation_report
    from kk_helpers.metrics.customer_table import build_customer_table

    data = load_client(config)
    table = build_customer_table(
        data.customers, data.transactions, data.activities, config=config,
        partial_years=data.partial_years,
    )  # fmt: skip
    table.attrs["partial_years"] = data.partial_years
    report = data.report
    if anonymize:
        spec = config.files.customers or config.files.transactions  # customers optional
        name_col = spec.columns.get(C.NAME, C.NAME)
        # the report's rejected rows feed rejected_rows.csv: drop the names there too
        report._rejected_cache = _anonymize_rejected(report.rejected, [name_col, C.NAME])
    frames = {
        "customers": data.customers,
        "transactions": data.transactions,
        "activities": data.activities,
        "customer_table": table,
        "issues": report.issues,
        "validation_summary": report.summary(lang),
        "rejected": report.rejected,
        "reconciliation": report.reconciliation(),
    }
    if anonymize:
        frames["customers"] = anonymize_names(frames["customers"], lang)
        frames["customer_table"] = anonymize_names(frames["customer_table"], lang)
    write_validation_report(data, out, lang)
    return frames


def _to_parquet(frame: pd.DataFrame, path: Path) -> None:
    out = frame.copy(deep=False)  # copy-on-write: the caller's frame stays untouched
    # object columns with mixed content (e.g. raw rejected values) are stored as text
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype("string")
    out.columns = [str(c) for c in out.columns]
    out.to_parquet(path, index=False)


def prepare_client(
    config: str | Path | ClientConfig,
    output_dir: str | Path | None = None,
    *,
    anonymize: bool = False,
    lang: str = "de",
    use_cache: bool = True,
) -> PreparedClient:
    """Load, validate and build the customer table for a client, with a cache.

    Parameters
    ----------
    config : client folder, ``client.yml`` path, or a loaded :class:`ClientConfig`.
    output_dir : the client's report folder; default ``reports/<client id>``.
    anonymize : replace customer names by stable pseudonyms everywhere downstream.
    lang : language of the pseudonyms ("Kunde …" / "Customer …").
    use_cache : read ``<output_dir>/cache`` when it is current; write it otherwise.

    Returns a :class:`PreparedClient` whose ``figures`` are the client's headline figures
    (:func:`kk_helpers.stages.figures.headline_figures`), cached as ``figures.json``.

    Raises ``ConfigError`` / ``DataError`` on fatal problems (clear messages).
    """
    cfg = config if isinstance(config, ClientConfig) else load_config(resolve_config_path(config))
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
        if meta.get("fingerprint") == fp and meta.get("lang") == lang and figures is not None:
            frames = {name: pd.read_parquet(cache / f"{name}.parquet") for name in _FRAMES}
            partial = {int(y): tuple(m) for y, m in meta.get("partial_years", {}).items()}
            return PreparedClient(
                config=cfg, **frames, output_dir=out, from_cache=True, anonymized=anonymize,
                figures=figures, partial_years=partial,
            )  # fmt: skip
    frames = _build(cfg, anonymize, lang, out)
    partial = frames["customer_table"].attrs.pop("partial_years", {})
    prep = PreparedClient(
        config=cfg, **frames, output_dir=out, from_cache=False, anonymized=anonymize,
        partial_years=partial,
    )  # fmt: skip
    prep = replace(prep, figures=headline_figures(prep, lang=lang))
    if use_cache:
        cache.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            _to_parquet(frame, cache / f"{name}.parquet")
        save_figures(prep.figures, cache)
        partial_json = {str(y): list(m) for y, m in partial.items()}
        stamp.write_text(
            json.dumps({"fingerprint": fp, "lang": lang, "partial_years": partial_json})
        )
    return prep
