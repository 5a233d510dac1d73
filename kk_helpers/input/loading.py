"""Raw client files -> canonical, validated frames (:func:`load_client`).

For each configured file (customers, transactions, optional activities) the loader

1. reads it as found (:func:`kk_helpers.input.readers.read_raw`); from Parquet the id,
   category and date columns come narrow (dictionary-encoded text as ``category``,
   dates as ``datetime64``; see ``RawTable.typed``), rejected rows and messages show
   their values as found,
2. finds the columns: ``files.<table>.columns`` maps canonical -> client name,
   unmapped canonical names are looked up as is (case/whitespace-insensitive),
3. parses each column by its kind (:data:`kk_helpers.core.columns.COLUMN_KINDS`): ids stay
   strings (``"00123"``), numbers and dates are parsed once per distinct value,
   typed Parquet columns are taken as they are,
4. applies the validation rules and records every rejected / corrected / flagged row
   in a :class:`~kk_helpers.input.validation.ValidationReport` (original values kept),
5. returns :class:`ClientData` whose report reconciles rows and revenue per file.

Rules (severity in brackets)
----------------------------
customers: empty customer id [rejected]; duplicate id, first row kept [rejected];
unreadable optional number/date [corrected: set missing]; soft criterion outside
1..5 [corrected: set missing]; soft criterion column absent [warning]; customer
without transactions [info].

transactions: empty customer id [rejected]; empty or unreadable date or revenue
[rejected]; date after the reference date [rejected]; date outside the analysis years
[rejected]; customer not in the master [rejected]; unreadable optional number
[corrected]; credit note / negative revenue [info]; zero revenue [info]; margin
computed from cost [info]; margin > revenue * ``validation.max_margin_ratio`` for
revenue > 0 [warning]; duplicate line, all mapped fields identical [warning, kept];
channel not in :data:`~kk_helpers.core.columns.CHANNELS` after the value mapping [info].

activities: as transactions for id and date; empty type [rejected]; empty file
[warning]; type not in :data:`~kk_helpers.core.columns.ACTIVITY_TYPES` [info].

Every file: a CSV line with fewer fields than the header (cut off) [rejected,
``short_line``]; numbers that are non-finite or beyond ``validation.max_amount``:
revenue [rejected, ``implausible_number``; not in revenue_in, counted by
``report.unreadable_revenue``], optional columns [corrected, set missing]; values
outside :data:`~kk_helpers.input.loading_file.PLAUSIBLE` (negative employees or
potential, durations below 0 or above a day) [corrected, set missing]; control
characters in texts and categories [corrected, removed]; duplicate master rows whose
other values differ [warning, ``duplicate_customer_conflict``].

Whole file (:mod:`kk_helpers.input.loading_checks`): partial years [warning,
``partial_year``; ``ClientData.partial_years``]; customers with negative net revenue
in a year [warning]; one order id on several customers [warning].

No customer master (``files.customers`` not configured): the customers come from the
transactions (:mod:`kk_helpers.input.loading_derived`) [info
``customers_from_transactions``; warning ``customer_attribute_conflict``].

Reader notes (e.g. ``mixed_encoding``, ``duplicate_column_name``) become warnings.

Fatal (:class:`~kk_helpers.core.errors.DataError`): a transactions file that needs more
memory to load than the computer has free (:mod:`kk_helpers.input.memory_check`, checked
before reading), ids in Excel's scientific notation
(``4.00012E+11``), an empty customers/transactions file,
a missing required or explicitly mapped column (the message lists the columns found
and the config key, e.g. ``files.transactions.columns.revenue``; a single column
found: the delimiter), errors from the
reader (e.g. a wrong delimiter), every row of the customers or transactions file
rejected for one reason (the message suggests the config key, e.g.
``files.transactions.date_format``), and no accepted transaction line at all. The
DataError carries the partial report as ``.report`` (the validation report is written
on fatal errors too); any other exception while loading is re-raised as
:class:`UnexpectedDataError` naming the file being read.

Orders: when ``order_id`` is not mapped the column is absent; downstream an order is
one (customer, date, channel) — see :mod:`kk_helpers.metrics.customer_table`.

``transactions.customer_id`` and ``activities.customer_id`` are Categoricals whose
categories are exactly ``customers.customer_id`` (in master order), so grouping with
``observed=False`` yields every customer.

The per-table rules live in :mod:`kk_helpers.input.loading_rules`, the per-file state
and helpers in :mod:`kk_helpers.input.loading_file`; this module orchestrates them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig, load_config
from kk_helpers.core.errors import DataError
from kk_helpers.input.loading_checks import (
    check_negative_customers,
    check_partial_years,
    check_shared_order_ids,
)
from kk_helpers.input.loading_derived import customers_from_transactions
from kk_helpers.input.loading_file import (
    SOURCE_ROW,
)
from kk_helpers.input.loading_rules import (
    _load_activities,
    _load_customers,
    _load_transactions,
)
from kk_helpers.input.memory_check import check_memory
from kk_helpers.input.validation import ValidationReport

__all__ = ["ClientData", "UnexpectedDataError", "load_client"]


@dataclass
class ClientData:
    """A client's validated data.

    Attributes:
        config: the client config.
        customers: one row per customer: ``customer_id`` (str), mapped optional columns,
            soft criteria (float 1-5, NaN when missing), ``source_row``.
        transactions: ``customer_id`` (Categorical, categories = customers' ids),
            ``date`` (datetime64[ns], day), ``revenue`` (float64), mapped optional
            columns (``order_id`` str, ``margin``/``cost``/``quantity`` float64,
            ``product_group``/``channel`` Categorical), ``year`` (int16), ``source_row``.
        activities: ``customer_id`` (Categorical), ``date``, ``type`` (Categorical),
            ``duration_min``, ``cost`` (float64, NaN when not given), ``year``,
            ``source_row``; empty with these columns when not configured.
        report: the :class:`ValidationReport` (issues, rejected rows, reconciliation).
        reference_date: the "today" used for the future-date rule.
        partial_years: analysis years whose data cover only part of the months the
            other years cover -> their months with data (1-12); see
            :mod:`kk_helpers.input.loading_checks`. Figures that compare years
            annualise them (:mod:`kk_helpers.metrics.partial_years`).
    """

    config: ClientConfig
    customers: pd.DataFrame
    transactions: pd.DataFrame
    activities: pd.DataFrame
    report: ValidationReport
    reference_date: dt.date | None = None
    partial_years: dict[int, tuple[int, ...]] = field(default_factory=dict)


# --- public ---------------------------------------------------------------------------------


def load_client(
    path_or_config: str | Path | ClientConfig, reference_date: dt.date | None = None
) -> ClientData:
    """Load and validate a client's data files.

    Inputs:
        path_or_config: client folder, its ``client.yml``, or a loaded ClientConfig.
        reference_date: "today" of the analysis; dates after it are rejected.
            Default: ``analysis.reference_date`` from the config, else today.

    Output: :class:`ClientData` with canonical frames (see the module docstring and
    ``docs/architecture.md``) and a report whose reconciliation holds per file
    (rows and revenue in = accepted + rejected; revenue in the client's currency).

    Raises :class:`~kk_helpers.core.config.ConfigError` for config problems and
    :class:`~kk_helpers.core.errors.DataError` for fatal data problems.

    Example::

        data = load_client("data/sample")
        data.transactions.groupby("customer_id", observed=False)["revenue"].sum()
        data.report.reconciliation()
    """
    cfg = (
        path_or_config if isinstance(path_or_config, ClientConfig) else load_config(path_or_config)
    )
    ref = reference_date or cfg.analysis.reference_date or dt.date.today()
    report = ValidationReport(max_examples=cfg.validation.max_examples)
    try:
        return _load(cfg, ref, report)
    except DataError as e:
        e.report = report  # type: ignore[attr-defined]  # the partial report, for the files
        raise
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as e:  # a bug or an input nobody foresaw: name client and file
        err = UnexpectedDataError(
            report.reading or cfg.files.transactions.path,
            None,
            "a file the loader can read",
            found=f"an unexpected error ({type(e).__name__}: {e})"[:300],
            hint="Please report this with the log file",
        )
        err.report = report  # type: ignore[attr-defined]
        raise err from e


class UnexpectedDataError(DataError):
    """An unexpected exception while loading, re-raised as a fatal data error that names
    the file being read; the original exception is its ``__cause__`` (for the log file)."""


def _load(cfg: ClientConfig, ref: dt.date, report: ValidationReport) -> ClientData:
    check_memory(cfg.file_path("transactions"), cfg.files.transactions.path)
    tw = None
    if cfg.files.customers is None:  # no master: customers from the transactions
        customers, cw, tw = customers_from_transactions(cfg, report)
    else:
        customers, cw = _load_customers(cfg, report)
    master = pd.CategoricalDtype(pd.Index(customers[C.CUSTOMER_ID].to_numpy(), dtype="str"))
    transactions, tw = _load_transactions(cfg, report, master, ref, w=tw)
    partial = check_partial_years(tw, transactions)
    check_negative_customers(tw, transactions, customers)
    check_shared_order_ids(tw, transactions)
    activities = _load_activities(cfg, report, master, ref)

    n_lines = np.bincount(
        transactions[C.CUSTOMER_ID].cat.codes.to_numpy(), minlength=len(master.categories)
    )
    without = n_lines == 0
    if without.any():
        idx = np.flatnonzero(without)
        report.add_issue(
            "customers",
            cw.file,
            "customer_without_transactions",
            severity="info",
            column=cw.client_col(C.CUSTOMER_ID),
            rows=int(without.sum()),
            examples=customers[SOURCE_ROW].to_numpy()[idx[: cfg.validation.max_examples]],
        )
    report.reconciliation()  # asserts in = accepted + rejected per file
    return ClientData(
        config=cfg,
        customers=customers,
        transactions=transactions,
        activities=activities,
        report=report,
        reference_date=ref,
        partial_years=partial,
    )
