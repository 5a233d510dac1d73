"""Issues and row counts of one questionnaire import (:class:`QuestionnaireReport`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kk_helpers.core.i18n import t
from kk_helpers.input.validation import SEVERITIES


class QuestionnaireReport:
    """Issues and per-file row counts of one questionnaire import.

    Same bookkeeping as :class:`kk_helpers.input.validation.ValidationReport`: every issue has
    a reason key (text ``quest.reason.<key>``), a severity and the number of rows it
    affects; per file ``rows_in = rows_accepted + rows_rejected``.

    >>> rep = QuestionnaireReport()
    >>> rep.add("a.xlsx", "score_out_of_range", "corrected", row=12, column="D", value="7")
    >>> rep.messages("en")[0]
    'a.xlsx, cell D12: score outside 1-5, left empty (value: 7)'
    """

    def __init__(self) -> None:
        self._issues: list[dict[str, Any]] = []
        self._files: dict[str, dict[str, Any]] = {}

    def add(
        self,
        file: str,
        reason: str,
        severity: str,
        *,
        row: int | None = None,
        column: str | None = None,
        rows: int = 1,
        respondent: str = "",
        value: object = "",
        detail: str = "",
        csv: bool = False,
        row_list: list[int] | None = None,
        detail_key: str | None = None,
        detail_kw: dict[str, Any] | None = None,
    ) -> None:
        """Record one issue.

        ``row``/``column`` locate the cell (``row_list``: several rows), ``rows`` is the
        number of rows affected, ``detail`` a language-neutral note, or ``detail_key``
        (translation key, filled with ``detail_kw``) a translated one.
        """
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        self._issues.append(
            {
                "file": file,
                "reason": reason,
                "severity": severity,
                "row": None if row is None else int(row),
                "column": column,
                "csv": csv,
                "rows": int(rows),
                "respondent": respondent,
                "value": "" if value is None else str(value),
                "detail": detail,
                "row_list": list(row_list or []),
                "detail_key": detail_key,
                "detail_kw": dict(detail_kw or {}),
            }
        )

    def _detail(self, issue: dict[str, Any], lang: str) -> str:
        if issue["detail_key"]:
            return t(issue["detail_key"], lang, **issue["detail_kw"])
        return issue["detail"]

    def set_file(self, file: str, **values: Any) -> None:
        """Record per-file facts: rows_in, rows_accepted, rows_rejected, respondent, role, status."""
        self._files.setdefault(file, {}).update(values)

    def location(self, issue: dict[str, Any], lang: str) -> str:
        """``"D12"`` / ``"Zeile 5, Spalte current"`` / ``""`` for a whole file."""
        row, col = issue["row"], issue["column"]
        if issue["row_list"]:
            shown = issue["row_list"][:10]
            if len(issue["row_list"]) == 1:
                return t("quest.loc.csv_row", lang, row=shown[0])
            text = ", ".join(str(r) for r in shown) + (" …" if len(issue["row_list"]) > 10 else "")
            return t("quest.loc.rows", lang, rows=text)
        if row is None and not col:
            return ""
        if issue["csv"]:
            if col:
                return t("quest.loc.csv_cell", lang, row=row, column=col)
            return t("quest.loc.csv_row", lang, row=row)
        if row is None:
            return t("quest.loc.column", lang, column=col)
        return f"{col or ''}{row}"

    def message(self, issue: dict[str, Any], lang: str) -> str:
        """One issue as a sentence naming file and cell."""
        loc = self.location(issue, lang)
        where = issue["file"]
        if loc:
            key = (
                "quest.loc.cell"
                if not issue["csv"] and issue["row"] is not None
                else "quest.loc.at"
            )
            where += ", " + t(key, lang, location=loc)
        text = t(f"quest.reason.{issue['reason']}", lang)
        out = f"{where}: {text}"
        if issue["value"]:
            out += " (" + t("quest.value", lang, value=issue["value"]) + ")"
        detail = self._detail(issue, lang)
        if detail:
            out += f" – {detail}"
        return out

    def messages(self, lang: str = "de", severity: str | None = None) -> list[str]:
        """All issues (optionally of one severity) as sentences, in recording order."""
        return [
            self.message(i, lang)
            for i in self._issues
            if severity is None or i["severity"] == severity
        ]

    @property
    def issues(self) -> pd.DataFrame:
        """One row per issue: file, reason, severity, row, column, rows, respondent,
        value, detail, message (English)."""
        cols = ["file", "reason", "severity", "row", "column", "rows", "respondent", "value",
                "detail", "message"]  # fmt: skip
        if not self._issues:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        df = pd.DataFrame(self._issues)
        df["message"] = [self.message(i, "en") for i in self._issues]
        df["detail"] = [self._detail(i, "en") for i in self._issues]
        df["row"] = df["row"].astype("Int64")
        return df[cols]

    def summary(self, lang: str = "de") -> pd.DataFrame:
        """Issues for people: file, location, severity, reason, respondent, value, rows,
        detail (translated), sorted by severity (rejected first), then file."""
        cols = ["file", "location", "severity", "reason", "reason_key", "respondent", "value",
                "rows", "detail"]  # fmt: skip
        if not self._issues:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        order = {s: i for i, s in enumerate(SEVERITIES)}
        items = sorted(self._issues, key=lambda i: (order[i["severity"]], i["file"]))
        return pd.DataFrame(
            {
                "file": [i["file"] for i in items],
                "location": [self.location(i, lang) for i in items],
                "severity": [t(f"report.severity.{i['severity']}", lang) for i in items],
                "reason": [t(f"quest.reason.{i['reason']}", lang) for i in items],
                "reason_key": [i["reason"] for i in items],
                "respondent": [i["respondent"] for i in items],
                "value": [i["value"] for i in items],
                "rows": np.array([i["rows"] for i in items], dtype="int64"),
                "detail": [self._detail(i, lang) for i in items],
            }
        )

    def count(self, severity: str | None = None, reason: str | None = None) -> int:
        """Rows affected by issues of a severity and/or reason."""
        return int(
            sum(
                i["rows"]
                for i in self._issues
                if (severity is None or i["severity"] == severity)
                and (reason is None or i["reason"] == reason)
            )
        )

    def n_issues(self, severity: str | None = None, reason: str | None = None) -> int:
        """Number of recorded issues of a severity and/or reason."""
        return sum(
            1
            for i in self._issues
            if (severity is None or i["severity"] == severity)
            and (reason is None or i["reason"] == reason)
        )

    @property
    def has_problems(self) -> bool:
        """True when anything was rejected or flagged with a warning."""
        return any(i["severity"] in ("rejected", "warning") for i in self._issues)

    def files(self, check: bool = True) -> pd.DataFrame:
        """Per file: respondent, role, status (used/rejected/ignored), rows_in,
        rows_accepted, rows_rejected. With ``check``, ``in = accepted + rejected`` is
        asserted (a bug otherwise, never a data problem)."""
        cols = ["file", "respondent", "role", "status", "rows_in", "rows_accepted",
                "rows_rejected"]  # fmt: skip
        recs = [{"file": f, **{c: v.get(c) for c in cols[1:]}} for f, v in self._files.items()]
        df = pd.DataFrame(recs, columns=cols)
        for c in ("rows_in", "rows_accepted", "rows_rejected"):
            df[c] = pd.to_numeric(df[c]).fillna(0).astype("int64")
        if check:
            bad = df["rows_in"] != df["rows_accepted"] + df["rows_rejected"]
            if bad.any():
                raise AssertionError(
                    "questionnaire import does not reconcile (in != accepted + rejected):\n"
                    + df[bad].to_string()
                )
        return df

    def __repr__(self) -> str:
        counts = ", ".join(f"{s}={self.n_issues(s)}" for s in SEVERITIES)
        return f"QuestionnaireReport(files={len(self._files)}, {counts})"
