"""Validation bookkeeping: every rejected or corrected row is counted, with its reason.

The loader (:mod:`kk_helpers.input.loading`) applies the validation rules and records their
outcome in a :class:`ValidationReport`:

* ``rejected``  - row dropped; its original values go to ``report.rejected`` (and to
  ``rejected_rows.csv``),
* ``warning``   - row kept but flagged (e.g. duplicate transaction lines),
* ``corrected`` - a value was fixed or set missing, the row is kept,
* ``info``      - normal but worth counting (credit notes, zero-revenue lines, ...).

Reasons are short keys; their texts are the translation keys ``reason.<key>`` in
``translations.yml``. Per file the report reconciles rows and revenue:
``in = accepted + rejected`` (checked by :meth:`ValidationReport.reconciliation`).

Fatal problems raise :class:`kk_helpers.core.errors.DataError` (re-exported here).

>>> rep = ValidationReport()
>>> rep.register_file("transactions", "t.csv", rows_in=3, revenue_in=60.0)
>>> raw = pd.DataFrame({"Kunde": ["7"], "Umsatz": ["10"]})
>>> rep.reject("transactions", "t.csv", "unknown_customer", original=raw, source_rows=[4], revenue=[10.0])
1
>>> rep.set_accepted("transactions", "t.csv", rows=2, revenue=50.0)
>>> rep.reconciliation()[["rows_in", "rows_accepted", "rows_rejected"]].iloc[0].tolist()
[3, 2, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.errors import DataError
from kk_helpers.core.i18n import t, translations

__all__ = ["SEVERITIES", "DataError", "ValidationReport", "reason_text"]

SEVERITIES = ("rejected", "warning", "corrected", "info")
"""Severities in the order reports list them."""

ISSUE_COLUMNS = (
    "table",
    "file",
    "reason",
    "severity",
    "column",
    "rows",
    "revenue",
    "examples",
    "message",
)
REJECTED_META = ("table", "file", "source_row", "reason")
RECONCILIATION_COLUMNS = (
    "table",
    "file",
    "rows_in",
    "rows_accepted",
    "rows_rejected",
    "revenue_in",
    "revenue_accepted",
    "revenue_rejected",
)
# relative tolerance of the revenue reconciliation (float sums over millions of lines)
_REVENUE_RTOL = 1e-9
_REVENUE_ATOL = 0.01


def reason_text(reason: str, lang: str = "en") -> str:
    """Translated text of a reason key; the key itself when it has no translation.

    >>> reason_text("unknown_customer", "en")
    'customer not in the customer master'
    """
    key = f"reason.{reason}"
    if key in translations():
        return t(key, lang)
    return reason


def _as_int_list(rows: Iterable[Any] | None, limit: int) -> list[int]:
    if rows is None:
        return []
    arr = np.asarray(list(rows) if not isinstance(rows, np.ndarray | pd.Series) else rows)
    return [int(x) for x in arr[:limit]]


class ValidationReport:
    """Collects issues, rejected rows and per-file totals of one client's load.

    Parameters
    ----------
    max_examples:
        How many example row numbers each issue keeps (``validation.max_examples``).

    Use :meth:`register_file` when a file is read, :meth:`reject` / :meth:`add_issue`
    while rules run, and :meth:`set_accepted` when the file's canonical frame is final.
    """

    def __init__(self, max_examples: int = 5) -> None:
        self.max_examples = int(max_examples)
        self._issues: list[dict[str, Any]] = []
        self._rejected: list[pd.DataFrame] = []
        self._rejected_cache: pd.DataFrame | None = None
        # (table, file) -> {"rows_in", "revenue_in", "rows_accepted", "revenue_accepted"}
        self._files: dict[tuple[str, str], dict[str, Any]] = {}
        #: the file being read (set by the loader; named when loading fails unexpectedly)
        self.reading: str | None = None

    # --- recording -------------------------------------------------------------
    def register_file(
        self,
        table: str,
        file: str,
        *,
        rows_in: int,
        revenue_in: float = 0.0,
        rows_unreadable: int = 0,
    ) -> None:
        """Record the rows read from a file and their (parseable) revenue total.

        ``revenue_in`` counts only revenue values that could be parsed; rows whose
        revenue is unreadable (``rows_unreadable`` of them) enter with 0 and leave
        rejected with 0: their revenue is not included anywhere
        (see :meth:`unreadable_revenue`).
        """
        self._files[(table, file)] = {
            "rows_in": int(rows_in),
            "revenue_in": float(revenue_in),
            "rows_accepted": None,
            "revenue_accepted": None,
            "rows_unreadable": int(rows_unreadable),
        }

    def unreadable_revenue(self, table: str, file: str) -> int:
        """Lines of a file whose revenue could not be read (not included in any total).

        >>> rep = ValidationReport()
        >>> rep.register_file("transactions", "t.csv", rows_in=3, rows_unreadable=2)
        >>> rep.unreadable_revenue("transactions", "t.csv")
        2
        """
        return int(self._files.get((table, file), {}).get("rows_unreadable", 0))

    def set_accepted(self, table: str, file: str, *, rows: int, revenue: float = 0.0) -> None:
        """Record the rows (and revenue) of a file that made it into the canonical frame."""
        if (table, file) not in self._files:
            self.register_file(table, file, rows_in=0)
        self._files[(table, file)]["rows_accepted"] = int(rows)
        self._files[(table, file)]["revenue_accepted"] = float(revenue)

    def add_issue(
        self,
        table: str,
        file: str,
        reason: str,
        *,
        severity: str,
        column: str | None = None,
        rows: int | None = None,
        revenue: float = 0.0,
        examples: Sequence[int] | np.ndarray | pd.Series = (),
        detail: str = "",
    ) -> None:
        """Count an issue: ``rows`` affected rows (their ``revenue``), example row numbers.

        ``examples`` are 1-based row numbers as seen in the file; only the first
        ``max_examples`` are kept. Issues with ``rows == 0`` are ignored.

        >>> rep = ValidationReport()
        >>> rep.add_issue("transactions", "t.csv", "credit_note", severity="info", rows=2, revenue=-30.0)
        >>> rep.issues[["reason", "rows", "revenue"]].values.tolist()
        [['credit_note', 2, -30.0]]
        """
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        if rows is not None and int(rows) == 0:
            return
        ex = _as_int_list(examples, self.max_examples)
        self._issues.append(
            {
                "table": table,
                "file": file,
                "reason": reason,
                "severity": severity,
                "column": column,
                "rows": None if rows is None else int(rows),
                "revenue": float(revenue) if pd.notna(revenue) else 0.0,
                "examples": ex,
                "detail": detail,
            }
        )

    def reject(
        self,
        table: str,
        file: str,
        reason: str,
        *,
        original: pd.DataFrame,
        source_rows: Sequence[int] | np.ndarray | pd.Series,
        revenue: Sequence[float] | np.ndarray | pd.Series | None = None,
        column: str | None = None,
        detail: str = "",
    ) -> int:
        """Reject rows: keep their original values and count them as one issue.

        Parameters
        ----------
        original:
            The rejected rows with the values as found in the file (client column names).
        source_rows:
            Their 1-based row numbers in the file (same length as ``original``).
        revenue:
            Their parsed revenue (NaN counts as 0) for the reconciliation; None = 0.

        Returns the number of rejected rows. Each row must be rejected only once.
        """
        n = len(original)
        if n == 0:
            return 0
        src = np.asarray(source_rows, dtype="int64")
        if len(src) != n:
            raise ValueError(f"source_rows has {len(src)} entries for {n} rejected rows")
        rev = 0.0
        if revenue is not None:
            rev = float(np.nansum(np.asarray(revenue, dtype="float64")))
        meta = pd.DataFrame(
            {
                "table": table,
                "file": file,
                "source_row": src,
                "reason": reason,
            }
        )
        values = original.reset_index(drop=True)
        values = values.drop(columns=[c for c in REJECTED_META if c in values.columns])
        self._rejected.append(pd.concat([meta, values], axis=1))
        self._rejected_cache = None
        self.add_issue(
            table,
            file,
            reason,
            severity="rejected",
            column=column,
            rows=n,
            revenue=rev,
            examples=src[: self.max_examples],
            detail=detail,
        )
        return n

    # --- reading ---------------------------------------------------------------
    @property
    def issues(self) -> pd.DataFrame:
        """One row per issue: table, file, reason, severity, column, rows, revenue,
        examples (list of row numbers), message (English text)."""
        if not self._issues:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS}).astype(
                {"rows": "Int64", "revenue": "float64"}
            )
        df = pd.DataFrame(self._issues)
        df["message"] = [
            _message(r, d, "en") for r, d in zip(df["reason"], df["detail"], strict=True)
        ]
        df["rows"] = df["rows"].astype("Int64")
        return df[list(ISSUE_COLUMNS)]

    @property
    def rejected(self) -> pd.DataFrame:
        """All rejected rows: table, file, source_row, reason, then the original columns."""
        if self._rejected_cache is None:
            if self._rejected:
                frames = [
                    f.astype(object) if len(self._rejected) > 1 else f for f in self._rejected
                ]
                df = pd.concat(frames, ignore_index=True, sort=False)
                df["source_row"] = df["source_row"].astype("int64")
            else:
                df = pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_META})
                df["source_row"] = df["source_row"].astype("int64")
            self._rejected_cache = df
        return self._rejected_cache

    @property
    def has_warnings(self) -> bool:
        """True when any row was rejected or flagged with a warning.

        ``corrected`` and ``info`` issues do not count (``kk validate --strict`` uses this).
        """
        return any(i["severity"] in ("rejected", "warning") for i in self._issues)

    def count(self, severity: str | None = None, reason: str | None = None) -> int:
        """Rows affected by issues of a severity and/or reason (summed over files).

        >>> rep = ValidationReport()
        >>> rep.add_issue("transactions", "t.csv", "zero_revenue", severity="info", rows=4)
        >>> rep.count(reason="zero_revenue")
        4
        """
        return int(
            sum(
                i["rows"] or 0
                for i in self._issues
                if (severity is None or i["severity"] == severity)
                and (reason is None or i["reason"] == reason)
            )
        )

    def reconciliation(self, check: bool = True) -> pd.DataFrame:
        """Per file: rows and revenue in, accepted and rejected, plus a total row per table.

        Revenue is in the client's currency (0 for tables without revenue).
        With ``check`` an ``AssertionError`` is raised when ``in != accepted + rejected``
        for rows or revenue of any file (a bug in the loader, never a data problem).
        """
        rej_rows: dict[tuple[str, str], int] = {}
        rej_rev: dict[tuple[str, str], float] = {}
        for i in self._issues:
            if i["severity"] != "rejected":
                continue
            k = (i["table"], i["file"])
            rej_rows[k] = rej_rows.get(k, 0) + (i["rows"] or 0)
            rej_rev[k] = rej_rev.get(k, 0.0) + i["revenue"]
        records = []
        for (table, file), st in self._files.items():
            k = (table, file)
            acc_rows = st["rows_accepted"]
            acc_rev = st["revenue_accepted"]
            if acc_rows is None:  # file read but loading stopped: nothing accepted
                acc_rows = st["rows_in"] - rej_rows.get(k, 0)
                acc_rev = st["revenue_in"] - rej_rev.get(k, 0.0)
            records.append(
                {
                    "table": table,
                    "file": file,
                    "rows_in": st["rows_in"],
                    "rows_accepted": acc_rows,
                    "rows_rejected": rej_rows.get(k, 0),
                    "revenue_in": st["revenue_in"],
                    "revenue_accepted": acc_rev,
                    "revenue_rejected": rej_rev.get(k, 0.0),
                }
            )
        df = pd.DataFrame(records, columns=list(RECONCILIATION_COLUMNS))
        df = df.astype(
            {
                "rows_in": "int64",
                "rows_accepted": "int64",
                "rows_rejected": "int64",
                "revenue_in": "float64",
                "revenue_accepted": "float64",
                "revenue_rejected": "float64",
            }
        )
        if check:
            self._check(df)
        return df

    def _check(self, df: pd.DataFrame) -> None:
        bad_rows = df["rows_in"] != df["rows_accepted"] + df["rows_rejected"]
        bad_rev = ~np.isclose(
            df["revenue_in"],
            df["revenue_accepted"] + df["revenue_rejected"],
            rtol=_REVENUE_RTOL,
            atol=_REVENUE_ATOL,
        )
        if bad_rows.any() or bad_rev.any():
            raise AssertionError(
                "validation report does not reconcile (in != accepted + rejected):\n"
                + df[bad_rows | bad_rev].to_string()
            )
        # each rejected row is stored once: the stored rows must match the counts
        stored = (
            self.rejected.groupby(["table", "file"], sort=False).size()
            if self._rejected
            else pd.Series(dtype="int64")
        )
        for table, file, n in zip(df["table"], df["file"], df["rows_rejected"], strict=True):
            if int(stored.get((table, file), 0)) != n:
                raise AssertionError(
                    f"{file}: {n} rows counted as rejected but "
                    f"{int(stored.get((table, file), 0))} stored"
                )

    def summary(self, lang: str = "de") -> pd.DataFrame:
        """Issues for people: one row per (table, file, severity, reason, column).

        Columns: ``table`` (translated), ``file``, ``severity`` (translated),
        ``severity_key``, ``reason`` (translated text), ``reason_key``, ``column``,
        ``rows``, ``revenue``, ``examples`` (row numbers as text, e.g. ``"4, 9"``),
        ``detail``.
        Sorted by severity (rejected first), then table and rows.
        """
        cols = [
            "table",
            "file",
            "severity",
            "severity_key",
            "reason",
            "reason_key",
            "column",
            "rows",
            "revenue",
            "examples",
            "detail",
        ]
        if not self._issues:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        df = pd.DataFrame(self._issues)
        df["sev_order"] = df["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
        df = df.sort_values(
            ["sev_order", "table", "rows"], ascending=[True, True, False], kind="stable"
        )
        out = pd.DataFrame(
            {
                "table": [
                    t(f"table.{x}", lang) if f"table.{x}" in translations() else x
                    for x in df["table"]
                ],
                "file": df["file"].to_numpy(),
                "severity": [t(f"report.severity.{s}", lang) for s in df["severity"]],
                "severity_key": df["severity"].to_numpy(),
                "reason": [reason_text(r, lang) for r in df["reason"]],
                "reason_key": df["reason"].to_numpy(),
                "column": df["column"].to_numpy(),
                "rows": df["rows"].astype("Int64").to_numpy(),
                "revenue": df["revenue"].to_numpy(dtype="float64"),
                "examples": [", ".join(str(x) for x in ex) for ex in df["examples"]],
                "detail": df["detail"].to_numpy(),
            }
        )
        return out.reset_index(drop=True)

    def __repr__(self) -> str:
        counts = ", ".join(f"{s}={self.count(s)}" for s in SEVERITIES)
        return f"ValidationReport(files={len(self._files)}, {counts})"


def _message(reason: str, detail: str, lang: str) -> str:
    text = reason_text(reason, lang)
    return f"{text}: {detail}" if detail else text
