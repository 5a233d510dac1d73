"""The data engine: the customer table's line aggregation on DuckDB and on Spark.

The Spark test starts a local Spark session (Java 17+ and pyspark; `.ci/run` installs Java
and sets KK_REQUIRE_SPARK=1 so that a missing Java fails there instead of skipping).
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kk_helpers.core.config import parse_config
from kk_helpers.core.engine import EngineError, connect
from kk_helpers.metrics.customer_table import build_customer_table
from kk_helpers.metrics.line_aggregates import aggregate_lines
from kk_helpers.metrics.orders import order_table
from kk_helpers.stages.prepare import prepare_client


def _cfg(order_processing=None):
    return parse_config({
        "client": {"name": "X"}, "analysis": {"years": [2024, 2025]},
        "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}},
        "cost_rates": {"order_processing": order_processing or {"default": 10.0}},
    })  # fmt: skip


def test_orders_by_hand():
    """Orders as in ``order_table`` (the one definition): an order id per customer, across
    years, counted in the year of its first line; without id one per (day, channel); an
    order's channel is the first channel named on its lines (file order)."""
    cus = pd.DataFrame({"customer_id": ["K1", "K2"]})
    tx = pd.DataFrame({
        "customer_id": pd.Categorical(["K1", "K1", "K1", "K1", "K1", "K2", "K2", "K2", "K2"]),
        "date": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-01", "2024-03-01",
                                "2025-01-05", "2024-06-01", "2024-06-01", "2024-07-01",
                                "2024-07-01"]),
        "revenue": [100.0, 50.0, 20.0, 30.0, 200.0, -10.0, 40.0, 5.0, 5.0],
        "margin": [30.0, 20.0, np.nan, 5.0, 80.0, -3.0, np.nan, np.nan, np.nan],
        "channel": pd.Categorical(["edi", "webshop", "field", "field", "edi", None, "edi",
                                   None, "edi"]),
        "order_id": pd.array(["A", "A", None, None, "A", None, None, "B", "B"], dtype="str"),
    })  # fmt: skip
    cfg = _cfg({"edi": 2.0, "webshop": 1.0, "default": 10.0})
    t = build_customer_table(cus, tx, None, config=cfg).set_index("customer_id")
    # K1: order A (2024-03-01 .. 2025-01-05) is one order, in 2024, channel edi; plus one
    # (day 03-01, field) order = 2 orders in 2024, none in 2025
    assert t.loc["K1", "orders_2024"] == 2 and t.loc["K1", "orders_2025"] == 0
    # order costs: A edi 2 + field (unknown rate: default 10) = 12
    assert t.loc["K1", "order_cost"] == pytest.approx(12.0)
    # K2: two lines on one day, channels None and edi -> two orders (None -> default 10,
    # edi 2); order B's first line names no channel, its second edi -> edi 2
    assert t.loc["K2", "orders_total"] == 3 and t.loc["K2", "order_cost"] == pytest.approx(14.0)
    # the same orders as the order table
    orders = order_table(tx)
    assert orders.groupby("customer_id", observed=True).size().to_dict() == {"K1": 2, "K2": 3}
    # margin: unknown lines skipped; K2 has a known margin -3
    assert t.loc["K1", "margin_2024"] == pytest.approx(55.0)
    assert t.loc["K2", "margin_total"] == pytest.approx(-3.0)
    assert t.loc["K2", "credit_note_lines"] == 1
    # main channel by revenue: K1 edi (300) over field (50) and webshop (50)
    assert t.loc["K1", "main_channel"] == "edi" and t.loc["K2", "main_channel"] == "edi"
    assert t.loc["K1", "first_purchase"] == pd.Timestamp("2024-03-01")
    assert t.loc["K2", "last_purchase"] == pd.Timestamp("2024-07-01")


def test_engine_errors():
    with pytest.raises(EngineError, match="unknown engine"):
        connect("oracle")


def test_duckdb_spill_folder(tmp_path):
    """A memory limit and a spill folder inside the report's cache (out of core)."""
    eng = connect("duckdb", memory_limit="256MB", temp_directory=tmp_path / "spill", threads=1)
    n = 300_000
    lines = pa.table({
        "pos": np.arange(n) % 1000, "yidx": np.zeros(n, dtype=np.int64),
        "revenue": np.ones(n), "date_i8": np.arange(n), "product_group": np.arange(n),
    })  # fmt: skip
    agg = aggregate_lines(lines, engine=eng)  # distinct product groups: 300 per customer
    assert int(agg.groups["n"].sum()) == n and float(agg.cells["revenue"].sum()) == n
    assert (tmp_path / "spill").is_dir()


def _same_to_the_cent(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    assert list(a.columns) == list(b.columns)
    differ = []
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_float_dtype(x):
            ok = np.allclose(
                x.to_numpy(float), y.to_numpy(float), atol=0.005, rtol=0, equal_nan=True
            )
        else:
            ok = x.equals(y)
        if not ok:
            differ.append(col)
    return differ


def _java() -> bool:
    return shutil.which("java") is not None


def test_spark_equals_duckdb_to_the_cent(tmp_path):
    """The sample's customer table prepared on a local Spark session (``prepare_client(...,
    engine="pyspark")``, as ``kk run --engine spark``) equals the DuckDB one to the cent,
    column by column (105,000 lines, three years)."""
    if not _java():
        if os.environ.get("KK_REQUIRE_SPARK"):
            pytest.fail("the Spark test needs Java 17+ (apt-get install default-jre-headless)")
        pytest.skip("no Java: the Spark engine cannot start (apt-get install default-jre-headless)")
    duck = prepare_client("data/sample", tmp_path / "duck", use_cache=False).customer_table
    assert not list((tmp_path / "duck" / "cache").glob("spill*"))  # the spill folder is removed
    on_spark = prepare_client(
        "data/sample", tmp_path / "spark", use_cache=False, engine="pyspark"
    ).customer_table
    assert not list((tmp_path / "spark" / "cache").glob("spill*"))  # shuffle files removed
    assert _same_to_the_cent(duck, on_spark) == []
    assert duck["revenue_total"].sum() == pytest.approx(on_spark["revenue_total"].sum(), abs=0.005)
    assert int(on_spark["orders_total"].sum()) == int(duck["orders_total"].sum()) > 0


def test_bad_memory_limit_is_an_engine_error(tmp_path):
    with pytest.raises(EngineError, match="DuckDB could not be started"):
        connect("duckdb", memory_limit="lots", temp_directory=tmp_path / "spill")
    # a German decimal comma: the message names the value and the variable
    with pytest.raises(EngineError, match=r"memory limit '4,5GB' \(KK_MEMORY_LIMIT"):
        connect("duckdb", memory_limit="4,5GB")


def test_bad_memory_limit_leaves_no_spill_folder(make_client, tmp_path, monkeypatch):
    """KK_MEMORY_LIMIT that DuckDB cannot parse: an EngineError, and the spill folder that
    was made for the engine is gone again (as after a build)."""
    monkeypatch.setenv("KK_MEMORY_LIMIT", "0")  # DuckDB: "Unknown unit for memory"
    out = tmp_path / "out"
    with pytest.raises(EngineError, match="DuckDB could not be started"):
        prepare_client(make_client(), out)
    assert not list((out / "cache").glob("spill*"))


def test_spill_folder_is_per_process(make_client, tmp_path, monkeypatch):
    """Two kernels preparing the same client at once each spill into their own folder
    (``cache/spill-<pid>``), so the first to finish does not remove the other's."""
    import kk_helpers.core.engine as E

    seen, real = [], E.connect

    def spy(backend="duckdb", **kw):
        seen.append(kw.get("temp_directory"))
        assert kw["temp_directory"].is_dir() is False  # made by the engine, not before
        return real(backend, **kw)

    monkeypatch.setattr(E, "connect", spy)
    out = tmp_path / "out"
    prepare_client(make_client(), out, use_cache=False)
    assert [p.name for p in seen] == [f"spill-{os.getpid()}"]
    assert seen[0].parent == out / "cache" and not seen[0].exists()


def test_out_of_memory_is_an_engine_error_naming_kk_memory_limit():
    """A memory limit too small for the query (1 MB: DuckDB cannot even allocate its
    first 2 MiB block): an EngineError that names the limit and KK_MEMORY_LIMIT (kk run:
    one line, exit code 2), not DuckDB's advice to 'SET memory_limit'."""
    eng = connect("duckdb", memory_limit="1MB")
    lines = pa.table({"pos": [0, 1], "yidx": [0, 0], "row": [0, 1], "revenue": [1.0, 2.0],
                      "date_i8": [1, 2], "day": [1, 2]})  # fmt: skip
    try:
        with pytest.raises(EngineError, match="memory limit: 1MB.*KK_MEMORY_LIMIT"):
            aggregate_lines(lines, engine=eng)
    finally:
        eng.close()
