"""The customer master taken from the transactions when no customers file is configured.

Many real exports hold only transaction lines. Then every customer id found in the
transactions is a customer (in the order of first appearance); its name and other
attributes come from customer columns of the transactions file (mapped in
``files.transactions.columns``, or found under their canonical name), taking the first
non-empty value per customer. Customers whose lines disagree on a value are reported
(``customer_attribute_conflict``, warning). The derived master then runs through the
ordinary customer rules (:func:`kk_helpers.input.loading_rules._load_customers`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig
from kk_helpers.input.loading_file import _Work
from kk_helpers.input.loading_rules import _load_customers, _open
from kk_helpers.input.readers_common import RawTable
from kk_helpers.input.validation import ValidationReport


def customers_from_transactions(
    cfg: ClientConfig, report: ValidationReport
) -> tuple[pd.DataFrame, _Work, _Work]:
    """(customers frame, its work state, the opened transactions work state).

    Raises :class:`~kk_helpers.core.errors.DataError` like the ordinary loading (a
    missing required or mapped column, ids in scientific notation).
    """
    tw = _open("transactions", cfg, report)
    attrs = [c for c in C.COLUMN_KINDS["customers"] if c != C.CUSTOMER_ID]
    attrs += list(cfg.soft_criteria)
    tw.resolve(list(C.COLUMN_KINDS["transactions"]) + attrs, C.TRANSACTION_REQUIRED)
    codes, cats = tw.codes(C.CUSTOMER_ID)
    tw.check_ids(C.CUSTOMER_ID, codes, cats)

    idx = np.flatnonzero(codes >= 0)
    c = codes[idx]
    order = np.argsort(c, kind="stable")
    sc = c[order]
    starts = np.flatnonzero(np.concatenate(([True], sc[1:] != sc[:-1]))) if len(sc) else sc
    first_rows = idx[order[starts]]  # first line of each customer, in category order
    id_col = tw.colmap[C.CUSTOMER_ID]
    found = [a for a in attrs if a in tw.colmap]
    data: dict[str, object] = {id_col: cats.to_numpy(dtype=object)[sc[starts]]}
    conflicts: dict[str, np.ndarray] = {}
    if found:
        sub = pd.DataFrame(
            {tw.colmap[a]: tw.found_values(tw.colmap[a], idx).to_numpy() for a in found}
        )
        g = sub.groupby(c, sort=True)
        first = g.first()  # first non-empty value per customer
        n_distinct = g.nunique()
        for a in found:
            col = tw.colmap[a]
            data[col] = first[col].reindex(np.unique(c)).to_numpy()
            many = n_distinct[col].to_numpy() > 1
            if many.any():
                conflicts[col] = n_distinct.index.to_numpy()[many]
    raw = RawTable(
        frame=pd.DataFrame(data),
        source_rows=tw.source_rows[first_rows],
        path=cfg.file_path("transactions"),
        format="derived",
        encoding=None,
        delimiter=None,
        header_row=1,
    )
    cw = _Work("customers", cfg, report, raw, spec=cfg.files.transactions)
    report.add_issue(
        "customers",
        cw.file,
        "customers_from_transactions",
        severity="info",
        rows=cw.n,
        detail=f"no customer master configured: {cw.n} customers taken from {cw.file}",
    )
    if conflicts:
        bad = np.unique(np.concatenate(list(conflicts.values())))
        pos = np.searchsorted(np.unique(c), bad)
        ids = ", ".join(repr(x) for x in cats.take(bad[: tw.max_examples]))
        report.add_issue(
            "customers",
            cw.file,
            "customer_attribute_conflict",
            severity="warning",
            column=", ".join(conflicts),
            rows=len(bad),
            examples=cw.source_rows[pos],
            detail=f"customer IDs {ids}: lines differ in "
            + ", ".join(repr(k) for k in conflicts)
            + "; the first non-empty value is used",
        )
    customers, cw = _load_customers(cfg, report, w=cw)
    return customers, cw, tw
