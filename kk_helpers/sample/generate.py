"""The entry point :func:`generate_client`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kk_helpers.core.config import CONFIG_FILENAME
from kk_helpers.sample.client_yml import (
    config_yaml,
)
from kk_helpers.sample.customers import (
    _calendar,
    _make_customers,
)
from kk_helpers.sample.reference import (
    CHUNK_LINES,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    LINES_PER_CUSTOMER,
    SAMPLE_CUSTOMERS,
    Format,
)
from kk_helpers.sample.writers import (
    _Writer,
)
from kk_helpers.sample.years import (
    _line_factor,
    _year_blocks,
)


# --- entry points -----------------------------------------------------------------------------
def generate_client(
    out_dir: str | Path,
    *,
    n_customers: int = SAMPLE_CUSTOMERS,
    years: tuple[int, ...] = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    fmt: Format = "csv",
    lines: int | None = None,
    large: bool = False,
    write_config: bool = False,
) -> dict[str, Any]:
    """Generate a fictional client folder: customers, transactions, activities (+ ``client.yml``).

    Parameters
    ----------
    out_dir:
        target folder (created; existing data files of the same names are overwritten).
    n_customers:
        customers in the master (2,500 for the sample, 100,000 for the benchmark).
    years:
        analysis years (ascending, contiguous); the reference date is 31 Dec of the last.
    seed:
        random seed; the same arguments always give byte-identical files.
    fmt:
        ``"csv"`` (German export formats, see the generated ``client.yml``) or ``"parquet"``.
    lines:
        approximate number of transaction lines; default ``42 * n_customers``. A year
        with more than :data:`~kk_helpers.sample.reference.CHUNK_LINES` lines is made and
        written in blocks of customers, so that memory stays bounded (e.g. 100 million
        lines: ``python -m kk_helpers.sample --large --lines 100000000``).
    large:
        only changes the comments and client name in ``client.yml``.
    write_config:
        overwrite an existing ``client.yml``. By default it is only written when the
        folder has none, so a hand-maintained config (``data/sample``) is kept.

    Returns
    -------
    dict with ``customers``, ``lines``, ``activities`` (row counts), ``files``
    (name -> path of the files written), ``config_written`` (bool) and ``seconds``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     info = generate_client(d, n_customers=200)
    >>> info["customers"], info["lines"] > 5000
    (200, True)
    """
    t0 = time.perf_counter()
    years = tuple(int(y) for y in years)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cal = _calendar(years)
    cust = _make_customers(n_customers, cal, seed)
    target = lines if lines is not None else LINES_PER_CUSTOMER * n_customers
    factor = _line_factor(cust, cal, target)

    blocks = -(-int(target * 1.2 / len(years)) // CHUNK_LINES)  # bounded memory per block
    writer = _Writer(out, fmt, cust)
    writer.write_customers()
    try:
        for yi in range(len(years)):
            for yd in _year_blocks(cust, cal, yi, factor, seed, blocks):
                writer.write_year(yd)
                del yd
    finally:
        writer.close()
    cfg = out / CONFIG_FILENAME
    config_written = write_config or not cfg.exists()
    if config_written:
        cfg.write_text(
            config_yaml(fmt, years, n_customers=n_customers, seed=seed, large=large),
            encoding="utf-8",
            newline="\n",
        )
    data = [writer.path("customers"), writer.path("transactions"), writer.path("activities")]
    files = {p.name: p for p in ([cfg] if config_written else []) + data}
    return {
        "customers": n_customers,
        "lines": writer.n_lines,
        "activities": writer.n_activities,
        "files": files,
        "config_written": config_written,
        "seconds": time.perf_counter() - t0,
    }
