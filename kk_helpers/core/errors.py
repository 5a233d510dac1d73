"""Exception types shared across the package."""

from __future__ import annotations

from collections.abc import Sequence


class DataError(Exception):
    """A fatal problem with a client's data file.

    The message names the file, the column, up to a few example rows (1-based row
    numbers as a user sees them in the file or in Excel) and what was expected.

    >>> str(DataError("customers.csv", "Umsatz", "a number", rows=[4, 9], found="'abc'"))
    "customers.csv, column 'Umsatz', rows 4, 9: expected a number, found 'abc'"
    """

    def __init__(
        self,
        file: str,
        column: str | None,
        expected: str,
        rows: Sequence[int] = (),
        found: str = "",
        hint: str = "",
    ) -> None:
        self.file = file
        self.column = column
        self.expected = expected
        self.rows = list(rows)
        self.found = found
        self.hint = hint
        parts = [file]
        if column:
            parts.append(f"column {column!r}")
        if self.rows:
            parts.append(
                ("row " if len(self.rows) == 1 else "rows ") + ", ".join(str(r) for r in self.rows)
            )
        msg = ", ".join(parts) + f": expected {expected}"
        if found:
            msg += f", found {found}"
        if hint:
            msg += f". {hint}"
        super().__init__(msg)
