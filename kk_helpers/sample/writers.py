"""Number/ID formatting of the exports and the writer of the data files (CSV or Parquet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kk_helpers.sample.customers import (
    _Customers,
)
from kk_helpers.sample.reference import (
    ACTIVITY_HEADERS,
    ACTIVITY_VALUES,
    CHANNEL_VALUES,
    CUSTOMER_HEADERS,
    PRODUCT_GROUPS,
    SOFT_CRITERIA,
    TRANSACTION_HEADERS,
    Format,
)
from kk_helpers.sample.years import (
    _staff_names,
    _YearData,
)


# --- formatting -------------------------------------------------------------------------
def _fmt_scaled(
    q: np.ndarray,
    decimals: int,
    decimal: str = ",",
    thousands: str = "",
    missing: np.ndarray | None = None,
) -> pd.Series:
    """Format integers holding value * 10**decimals as fixed-point text ("" where missing)."""
    q = np.asarray(q, dtype=np.int64)
    a = np.abs(q)
    scale = 10**decimals
    ip = pd.Series(a // scale).astype(str)
    if thousands:
        ip = ip.str.replace(r"(?<=\d)(?=(?:\d{3})+$)", thousands, regex=True)
    out = pd.Series(np.where(q < 0, "-", "")) + ip
    if decimals:
        out = out + decimal + pd.Series(a % scale).astype(str).str.zfill(decimals)
    if missing is not None:
        out = out.where(~missing, "")
    return out


def _fmt_float(x: np.ndarray, decimals: int, decimal: str = ",", thousands: str = "") -> pd.Series:
    """Format floats with fixed decimals; NaN becomes an empty field."""
    x = np.asarray(x, dtype=float)
    missing = np.isnan(x)
    q = np.rint(np.where(missing, 0.0, x) * 10**decimals).astype(np.int64)
    return _fmt_scaled(q, decimals, decimal, thousands, missing)


def _doc_ids(doc_type: np.ndarray, doc_num: np.ndarray, year: int) -> pd.Series:
    """Document numbers: "A25000123" for orders/invoices, "G25000012" for credit notes."""
    width = max(6, len(str(int(doc_num.max(initial=0)))))
    prefix = np.where(doc_type == 1, f"G{year % 100:02d}", f"A{year % 100:02d}")
    return pd.Series(prefix) + pd.Series(doc_num).astype(str).str.zfill(width)


# --- writers ------------------------------------------------------------------------------
class _Writer:
    """Writes the three tables as CSV (German export formats) or Parquet."""

    def __init__(self, out_dir: Path, fmt: Format, cust: _Customers) -> None:
        self.out_dir = out_dir
        self.fmt = fmt
        self.cust = cust
        self.ext = "csv" if fmt == "csv" else "parquet"
        self.staff = _staff_names()
        self._tx: Any = None
        self._act: Any = None
        self.n_lines = 0
        self.n_activities = 0

    def path(self, table: str) -> Path:
        return self.out_dir / f"{table}.{self.ext}"

    # customers: cp1252, ';', decimal comma, thousands '.', dates DD.MM.YYYY
    def write_customers(self) -> None:
        m = self.cust.master
        if self.fmt == "parquet":
            cols: dict[str, pa.Array] = {}
            for k, h in CUSTOMER_HEADERS.items():
                if k == "customer_since":
                    cols[h] = pa.array(m[k].to_numpy().astype("datetime64[D]"), type=pa.date32())
                elif m[k].dtype.kind == "f":
                    cols[h] = pa.array(m[k].to_numpy(), type=pa.float64(), from_pandas=True)
                else:
                    v = m[k].to_numpy(dtype=object)
                    cols[h] = pa.array(v, type=pa.string(), mask=v == "")
            pq.write_table(pa.table(cols), self.path("customers"))
            return
        f = pd.DataFrame({h: m[k] for k, h in CUSTOMER_HEADERS.items()})
        f[CUSTOMER_HEADERS["customer_since"]] = pd.Series(m["customer_since"]).dt.strftime(
            "%d.%m.%Y"
        )
        f[CUSTOMER_HEADERS["employees"]] = _fmt_float(m["employees"].to_numpy(), 0)
        f[CUSTOMER_HEADERS["potential"]] = _fmt_float(m["potential"].to_numpy(), 2, ",", ".")
        for k in SOFT_CRITERIA:
            f[CUSTOMER_HEADERS[k]] = _fmt_float(m[k].to_numpy(), 0)
        f.to_csv(
            self.path("customers"), sep=";", index=False, encoding="cp1252", lineterminator="\r\n"
        )

    def write_year(self, yd: _YearData) -> None:
        if self.fmt == "parquet":
            self._write_year_parquet(yd)
        else:
            self._write_year_csv(yd)
        self.n_lines += len(yd.cust)
        self.n_activities += len(yd.act_cust)

    # transactions: UTF-8 with BOM, ';', decimal comma, DD.MM.YYYY, CRLF
    # activities: UTF-8, ',', decimal point, ISO dates, LF; names "Nachname, Vorname" quoted
    def _write_year_csv(self, yd: _YearData) -> None:
        de_days = pd.Series(yd.days).dt.strftime("%d.%m.%Y").to_numpy()
        iso_days = pd.Series(yd.days).dt.strftime("%Y-%m-%d").to_numpy()
        H = TRANSACTION_HEADERS
        tx = pd.DataFrame(
            {
                H["order_id"]: _doc_ids(yd.doc_type, yd.doc_num, yd.year),
                H["doc_type"]: np.array(["RE", "GS"])[yd.doc_type],
                H["pos"]: pd.Series(yd.pos).astype(str),
                H["date"]: de_days[yd.day],
                H["customer_id"]: self.cust.ids[yd.cust],
                H["product_group"]: np.array([x[0] for x in PRODUCT_GROUPS])[yd.pg],
                H["channel"]: np.array(CHANNEL_VALUES)[yd.channel],
                H["quantity"]: pd.Series(yd.qty).astype(str),
                H["revenue"]: _fmt_scaled(yd.revenue_c, 2, ","),
                H["margin"]: _fmt_scaled(yd.margin_c, 2, ","),
            }
        )
        if self._tx is None:
            self._tx = open(self.path("transactions"), "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            header = True
        else:
            header = False
        tx.to_csv(self._tx, sep=";", index=False, header=header, lineterminator="\r\n")

        A = ACTIVITY_HEADERS
        crm_names = np.array([f"{s}, {f}" for f, s in self.staff])
        act = pd.DataFrame(
            {
                A["customer_id"]: self.cust.ids[yd.act_cust],
                A["date"]: iso_days[yd.act_day],
                A["type"]: np.array(ACTIVITY_VALUES)[yd.act_type],
                A["duration_min"]: _fmt_scaled(yd.act_dur10, 1, ".", missing=yd.act_dur10 < 0),
                A["employee"]: crm_names[yd.act_staff],
            }
        )
        if self._act is None:
            self._act = open(self.path("activities"), "w", encoding="utf-8", newline="")  # noqa: SIM115
            header = True
        else:
            header = False
        act.to_csv(self._act, sep=",", index=False, header=header, lineterminator="\n")

    def _write_year_parquet(self, yd: _YearData) -> None:
        H = TRANSACTION_HEADERS
        ids = pa.array(self.cust.ids)
        width = max(6, len(str(int(yd.doc_num.max(initial=0)))))
        num = pc.utf8_lpad(pc.cast(pa.array(yd.doc_num), pa.string()), width, "0")
        prefix = pa.array(
            np.where(yd.doc_type == 1, f"G{yd.year % 100:02d}", f"A{yd.year % 100:02d}")
        )
        tx = pa.table(
            {
                H["order_id"]: pc.binary_join_element_wise(prefix, num, ""),
                H["doc_type"]: pa.array(np.array(["RE", "GS"])[yd.doc_type]),
                H["pos"]: pa.array(yd.pos.astype(np.int32)),
                H["date"]: pa.array(yd.days[yd.day], type=pa.date32()),
                H["customer_id"]: ids.take(pa.array(yd.cust)),
                H["product_group"]: pa.array([x[0] for x in PRODUCT_GROUPS]).take(pa.array(yd.pg)),
                H["channel"]: pa.array(list(CHANNEL_VALUES)).take(pa.array(yd.channel)),
                H["quantity"]: pa.array(yd.qty.astype(np.float64)),
                H["revenue"]: pa.array(yd.revenue_c / 100.0),
                H["margin"]: pa.array(yd.margin_c / 100.0),
            }
        )
        if self._tx is None:
            self._tx = pq.ParquetWriter(self.path("transactions"), tx.schema)
        self._tx.write_table(tx, row_group_size=1_000_000)

        A = ACTIVITY_HEADERS
        crm_names = pa.array([f"{s}, {f}" for f, s in self.staff])
        dur = yd.act_dur10 / 10.0
        act = pa.table(
            {
                A["customer_id"]: ids.take(pa.array(yd.act_cust)),
                A["date"]: pa.array(
                    yd.days[yd.act_day].astype("datetime64[ms]"), type=pa.timestamp("ms")
                ),
                A["type"]: pa.array(list(ACTIVITY_VALUES)).take(pa.array(yd.act_type)),
                A["duration_min"]: pa.array(dur, mask=yd.act_dur10 < 0),
                A["employee"]: crm_names.take(pa.array(yd.act_staff)),
            }
        )
        if self._act is None:
            self._act = pq.ParquetWriter(self.path("activities"), act.schema)
        self._act.write_table(act)

    def close(self) -> None:
        for w in (self._tx, self._act):
            if w is not None:
                w.close()
