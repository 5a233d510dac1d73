"""Typed Parquet clients: the narrow read (ids and categories as dictionaries, dates as
datetime64, column by column) gives exactly what the plain read gave - frames, category
order, issues, rejected rows (values as found) and rejected_rows.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kk_helpers.core import columns as C
from kk_helpers.core.errors import DataError
from kk_helpers.input import readers
from kk_helpers.input.loading import ClientData, load_client
from kk_helpers.input.readers import read_raw
from kk_helpers.input.report_files import write_validation_report

D = dt.date


def _dict_array(values: list[str | None], dictionary: list[str]) -> pa.Array:
    """A dictionary array whose dictionary order is not the order of appearance."""
    idx = [None if v is None else dictionary.index(v) for v in values]
    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(dictionary))


def _write(path: Path, table: pa.Table, **kw: object) -> None:
    # store_schema=False: the file says "string", the pages hold the dictionary as given
    pq.write_table(table, path, row_group_size=4, store_schema=False, **kw)


def _client(folder: Path) -> Path:
    folder.mkdir()
    cust_ids = ["00123", "00456", "789", "=cmd", "00456", None, "555"]
    customers = pa.table(
        {
            "Kundennr": _dict_array(cust_ids, ["789", "555", "=cmd", "00456", "00123", "x"]),
            "Name": pa.array(["A", "B", "C", "D", "B2", "E", "F"]),
            "Branche": _dict_array(
                ["Bau", "Handel", None, "Bau\x00", "Handel", "Bau", "IT"],
                ["IT", "Handel", "Bau\x00", "Bau"],
            ),
            "Kunde seit": pa.array(
                [D(2001, 1, 1), None, D(9999, 12, 31), D(2010, 5, 5)] + [D(2020, 1, 1)] * 3,
                pa.date32(),
            ),
            "Treue": pa.array([4.0, 2.0, 7.0, None, 1.0, 3.0, 5.0]),
        }
    )
    _write(folder / "customers.parquet", customers)
    n = 14
    tx_ids = ["789", "00123", " 00123", "00456", "999", None, "789", "00123", "=cmd"]
    tx_ids += ["00456", "00123", "555", "789", "00123"]
    dates = [D(2024, 3, 15), D(2024, 3, 15), D(2025, 1, 2), D(2030, 1, 1), D(2024, 5, 5)]
    dates += [D(2024, 6, 6), None, D(2024, 3, 15), D(2020, 1, 1), D(2023, 7, 7)]
    dates += [D(9999, 12, 31), D(2025, 12, 31), D(2024, 3, 15), D(2024, 3, 15)]
    rev = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 20.0, 90.0, 100.0, 110.0, 0.0, 10.0, 20.0]
    transactions = pa.table(
        {
            "Beleg": pa.array([f"A{i // 2}" for i in range(n)]),
            "Belegart": _dict_array(["RE", "GS"] * (n // 2), ["GS", "RE"]),
            "Pos": pa.array(range(n), pa.int32()),
            "Datum": pa.array(dates, pa.date32()),
            "Lieferdatum": pa.array([D(2024, 1, 1)] * n, pa.date32()),  # unmapped date
            "Kunde": _dict_array(tx_ids, ["999", "555", "=cmd", "00456", "789", " 00123", "00123"]),
            "Umsatz": pa.array(rev),
            "Kanal": _dict_array(
                ["Web", "AD", "AD", None, "AD", "Web", "EDI", "AD", "AD", "Web", "AD", "Web"]
                + ["AD", "AD"],
                ["EDI", "Web", "AD", "Tel"],
            ),
            "Warengruppe": pa.array(["X", "Y", "X", None, "Z", "Y", "X"] * 2),
        }
    )
    _write(folder / "transactions.parquet", transactions)
    activities = pa.table(
        {
            "Kunden-Nr.": _dict_array(["789", "00123", "nope", None], ["nope", "00123", "789"]),
            "Datum": pa.array(
                [dt.datetime(2024, 3, 1, 10, 30), None, dt.datetime(2024, 1, 1), None],
                pa.timestamp("ms"),
            ),
            "Typ": _dict_array(["Besuch", "Anruf", "Besuch", "Mail"], ["Mail", "Anruf", "Besuch"]),
        }
    )
    _write(folder / "activities.parquet", activities)
    (folder / "client.yml").write_text(
        """
client: {name: T, id: t, currency: EUR, language: en}
analysis: {years: [2023, 2024, 2025], reference_date: 2025-12-31}
soft_criteria: [loyalty]
files:
  customers:
    path: customers.parquet
    columns: {customer_id: Kundennr, name: Name, industry: Branche,
              customer_since: Kunde seit, loyalty: Treue}
  transactions:
    path: transactions.parquet
    columns: {order_id: Beleg, date: Datum, customer_id: Kunde, revenue: Umsatz,
              channel: Kanal, product_group: Warengruppe}
    values:
      channel: {AD: field_sales, Web: webshop, EDI: edi}
  activities:
    path: activities.parquet
    columns: {customer_id: Kunden-Nr., date: Datum, type: Typ}
    values:
      type: {Besuch: visit, Anruf: call}
""",
        encoding="utf-8",
    )
    return folder


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load with the plain whole-file read (the behaviour the typed read must keep)."""
    monkeypatch.setattr(readers, "_by_column_ok", lambda schema: False)


def _assert_same(a: ClientData, b: ClientData, tmp_path: Path) -> None:
    for name in ("customers", "transactions", "activities"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    pd.testing.assert_frame_equal(a.report.issues, b.report.issues)
    pd.testing.assert_frame_equal(a.report.rejected, b.report.rejected)
    pd.testing.assert_frame_equal(a.report.reconciliation(), b.report.reconciliation())
    for sub, data in (("a", a), ("b", b)):
        write_validation_report(data, tmp_path / sub, "en")
    for f in ("rejected_rows.csv", "validation_report.md"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_typed_parquet_equals_plain_read(tmp_path: Path, monkeypatch) -> None:
    folder = _client(tmp_path / "c")
    typed = load_client(folder)
    with monkeypatch.context() as m:
        _plain(m)
        plain = load_client(folder)
    _assert_same(typed, plain, tmp_path)
    tx = typed.transactions
    # categories in the order of first appearance, as from the plain strings
    assert list(tx[C.CHANNEL].cat.categories) == ["webshop", "field_sales", "edi"]
    assert list(typed.customers[C.INDUSTRY].cat.categories) == ["Bau", "Handel", "IT"]
    rej = typed.report.rejected
    assert {"future_date", "unknown_customer", "outside_analysis_years"} <= set(rej["reason"])
    # rejected rows keep the file's values: dates as dates, ids as text
    row = rej[rej["reason"] == "future_date"].iloc[0]
    assert row["Datum"] == D(2030, 1, 1) and row["Kunde"] == "00456"
    assert isinstance(rej["Lieferdatum"].dropna().iloc[0], dt.date)


def test_typed_parquet_without_customer_master(tmp_path: Path, monkeypatch) -> None:
    folder = _client(tmp_path / "c")
    yml = folder / "client.yml"
    text = yml.read_text(encoding="utf-8")
    start = text.index("  customers:")
    yml.write_text(text[:start] + text[text.index("  transactions:") :], encoding="utf-8")
    typed = load_client(folder)
    with monkeypatch.context() as m:
        _plain(m)
        plain = load_client(folder)
    _assert_same(typed, plain, tmp_path)
    # customers in the order of first appearance in the transactions
    assert typed.customers[C.CUSTOMER_ID].tolist()[:3] == ["789", "00123", "00456"]


def test_typed_parquet_fatal_message_shows_values_as_found(tmp_path: Path, monkeypatch) -> None:
    folder = _client(tmp_path / "c")
    t = pa.table(
        {
            "Beleg": pa.array(["A1", "A2"]),
            "Datum": pa.array([D(2031, 2, 3), D(2032, 1, 1)], pa.date32()),
            "Kunde": _dict_array(["00123", "789"], ["789", "00123"]),
            "Umsatz": pa.array([1.0, 2.0]),
            "Kanal": _dict_array(["AD", "AD"], ["AD"]),
            "Warengruppe": pa.array(["X", "Y"]),
        }
    )
    _write(folder / "transactions.parquet", t)
    with pytest.raises(DataError) as typed:
        load_client(folder)
    with monkeypatch.context() as m:
        _plain(m)
        with pytest.raises(DataError) as plain:
            load_client(folder)
    assert str(typed.value) == str(plain.value)
    assert "'2031-02-03'" in str(typed.value)


def test_read_raw_typed_columns(tmp_path: Path) -> None:
    folder = _client(tmp_path / "c")
    spec_path = folder / "transactions.parquet"
    from kk_helpers.core.config import FileSpec

    raw = read_raw(
        spec_path, FileSpec(path=spec_path.name), dictionary=[" kunde "], dates=["DATUM"]
    )
    f = raw.frame
    assert isinstance(f["Kunde"].dtype, pd.CategoricalDtype)
    assert f["Datum"].dtype.kind == "M" and f["Lieferdatum"].dtype == object
    assert f["Beleg"].dtype == "str" and f["Pos"].dtype == np.int32
    assert set(raw.typed) == {"Kunde", "Datum"}
    back = raw.as_found(f.iloc[[3, 6]])
    plain = pq.read_table(spec_path).to_pandas().iloc[[3, 6]]
    pd.testing.assert_frame_equal(back, plain)
    # without names: the plain read, nothing typed
    assert read_raw(spec_path, FileSpec(path=spec_path.name)).typed == {}


def test_parquet_with_stored_index_is_read_whole(tmp_path: Path) -> None:
    from kk_helpers.core.config import FileSpec

    p = tmp_path / "i.parquet"
    pd.DataFrame({"a": ["x", "y"], "d": [1.0, 2.0]}, index=pd.Index([7, 9], name="k")).to_parquet(p)
    raw = read_raw(p, FileSpec(path=p.name), dictionary=["a"])
    assert list(raw.frame.columns) == ["k", "a", "d"] and raw.typed == {}
    assert raw.frame["k"].tolist() == [7, 9]


def test_duplicate_lines_equal_pandas_duplicated() -> None:
    from kk_helpers.input.loading_file import _duplicate_lines

    rng = np.random.default_rng(7)
    n = 200_000  # about n**2 / 2**33 = 5 chance pairs of 32-bit keys
    frame = pd.DataFrame(
        {
            C.CUSTOMER_ID: pd.Categorical.from_codes(
                rng.integers(0, 500, n), categories=[f"K{i}" for i in range(500)]
            ),
            C.DATE: np.datetime64("2024-01-01", "ns")
            + rng.integers(0, 30, n).astype("timedelta64[D]"),
            C.REVENUE: rng.integers(1, 400, n) / 4,
            C.ORDER_ID: pd.array(rng.integers(0, 3, n).astype(str), dtype="str"),
        }
    )
    cols = list(frame.columns)
    expected = frame.duplicated(keep="first").to_numpy()
    assert expected.sum() > 100
    np.testing.assert_array_equal(_duplicate_lines(frame, cols), expected)
    assert not _duplicate_lines(frame.iloc[:1], cols).any()


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_parse_dates_of_datetime64_equals_pandas_normalize(unit: str) -> None:
    from kk_helpers.input.parsing import _TS_MAX, _TS_MIN, parse_dates

    vals = ["1969-12-31T23:00", "1677-09-22T00:00", "2262-04-11T00:00", "NaT", "2024-03-05T13:00"]
    if unit != "ns":  # outside the ns range: NaT
        vals += ["1677-09-21T10:00", "2262-04-11T05:00", "9999-12-31", "1600-01-01"]
    s = pd.Series(np.array(vals, dtype=f"datetime64[{unit}]"))
    ref = s.where((s >= _TS_MIN) & (s <= _TS_MAX)).dt.normalize().astype("datetime64[ns]")
    pd.testing.assert_series_equal(parse_dates(s), ref)


def _writeable(frame: pd.DataFrame) -> list[str]:
    """Columns whose values cannot be assigned to (read-only NumPy memory)."""
    bad = []
    for name in frame.columns:
        values = frame[name].array
        arr = getattr(values, "_ndarray", getattr(values, "codes", None))
        if isinstance(arr, np.ndarray) and not arr.flags.writeable:
            bad.append(name)
    return bad


def test_typed_parquet_frames_are_writeable(tmp_path: Path) -> None:
    # all rows accepted: the loader hands on the reader's arrays without a take
    folder = tmp_path / "c"
    folder.mkdir()
    pq.write_table(
        pa.table({"Kunde": pa.array(["1", "2"]), "Name": pa.array(["A", "B"])}),
        folder / "customers.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "Kunde": pa.array(["1", "2", "1"]),
                "Datum": pa.array([D(2024, 1, 2), D(2024, 2, 3), D(2025, 3, 4)], pa.date32()),
                "Umsatz": pa.array([1.0, 2.0, 3.0]),
                "Menge": pa.array([1.0, 1.0, 2.0]),
            }
        ),
        folder / "transactions.parquet",
    )
    (folder / "client.yml").write_text(
        """
client: {name: T, id: t, currency: EUR, language: en}
analysis: {years: [2024, 2025], reference_date: 2025-12-31}
soft_criteria: []
files:
  customers: {path: customers.parquet, columns: {customer_id: Kunde, name: Name}}
  transactions:
    path: transactions.parquet
    columns: {customer_id: Kunde, date: Datum, revenue: Umsatz, quantity: Menge}
""",
        encoding="utf-8",
    )
    data = load_client(folder)
    assert data.report.count("rejected") == 0
    for frame in (data.customers, data.transactions):
        assert _writeable(frame) == []
    data.transactions.loc[0, C.REVENUE] = 5.0  # what a notebook may do
    assert data.transactions[C.REVENUE].tolist() == [5.0, 2.0, 3.0]
