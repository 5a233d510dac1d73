"""The committed sample client (data/sample) and its generator (kk_helpers.sample).

The three data files are generated and must be reproduced byte for byte; client.yml is
maintained by hand (later stages add sections), only its ``files``, ``analysis`` and
``cost_rates`` sections must equal the generated config.

"Small" customers in these checks are the C and D customers of the config's class
rules: ABC on total net revenue 2023-2025 (A while the revenue share before the
customer is < 80 %, B < 95 %, else C), and D = no purchase (positive revenue line)
in the last analysis year. Customers without any transaction count as C/D.
The CSVs are read with plain pandas so these checks do not depend on the loaders.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from kk_helpers import sample
from kk_helpers.core.config import load_config
from kk_helpers.stages.prepare import prepare_client
from kk_helpers.stages.status_quo.analysis import StatusQuo, analyse_status_quo

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"
DATA_FILES = ("customers.csv", "transactions.csv", "activities.csv")
GENERATED_CONFIG_SECTIONS = ("files", "analysis", "cost_rates")


def _number(s: pd.Series) -> pd.Series:
    """German number text ("1.234,56") -> float; empty -> NaN."""
    return pd.to_numeric(s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return pd.read_csv(
        SAMPLE_DIR / "customers.csv", sep=";", encoding="cp1252", dtype=str, keep_default_na=False
    )


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    tx = pd.read_csv(SAMPLE_DIR / "transactions.csv", sep=";", encoding="utf-8-sig", dtype=str)
    tx["revenue"] = _number(tx["Umsatz netto"])
    tx["margin"] = _number(tx["DB I"])
    tx["date"] = pd.to_datetime(tx["Belegdatum"], format="%d.%m.%Y")
    tx["year"] = tx["date"].dt.year
    return tx


@pytest.fixture(scope="module")
def activities() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DIR / "activities.csv", sep=",", encoding="utf-8", dtype=str)


@pytest.fixture(scope="module")
def revenue(customers: pd.DataFrame, transactions: pd.DataFrame) -> pd.Series:
    """Total net revenue per master customer, sorted descending."""
    rev = transactions.groupby("Kundennr")["revenue"].sum()
    rev = rev.reindex(customers["Kundennr"], fill_value=0.0)
    return rev.sort_values(ascending=False, kind="stable")


@pytest.fixture(scope="module")
def small(revenue: pd.Series, transactions: pd.DataFrame) -> pd.Series:
    """Boolean per customer (index as ``revenue``): C or D customer."""
    share_before = (revenue.cumsum() - revenue) / revenue.sum()
    c_class = share_before >= 0.95
    last = transactions.loc[(transactions["year"] == 2025) & (transactions["revenue"] > 0)]
    d_class = ~revenue.index.isin(last["Kundennr"].unique())
    return pd.Series(c_class.to_numpy() | d_class, index=revenue.index)


@pytest.fixture(scope="module")
def status_quo(tmp_path_factory: pytest.TempPathFactory) -> StatusQuo:
    """The status-quo analysis of the sample, computed with the package functions."""
    prep = prepare_client(SAMPLE_DIR, tmp_path_factory.mktemp("reports"), use_cache=False)
    return analyse_status_quo(prep, "de")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A fresh generation of the sample (default arguments) in a new folder."""
    out = tmp_path_factory.mktemp("generated")
    return out, sample.generate_client(out)


# --- regeneration --------------------------------------------------------------------------
def test_generator_reproduces_committed_data(generated: tuple[Path, dict]) -> None:
    out, info = generated
    assert info["customers"] == 2500
    for name in DATA_FILES:
        new, old = (out / name).read_bytes(), (SAMPLE_DIR / name).read_bytes()
        assert new == old, (
            f"{name} differs from data/sample/{name}: regenerate with "
            "`python -m kk_helpers.sample data/sample` and commit, if the change is intended"
        )


def test_generated_config_matches_committed(generated: tuple[Path, dict]) -> None:
    """Formats and mappings of the hand-maintained client.yml cannot drift from the data."""
    out, info = generated
    assert info["config_written"]  # a new folder gets a client.yml
    new = yaml.safe_load((out / "client.yml").read_text(encoding="utf-8"))
    old = yaml.safe_load((SAMPLE_DIR / "client.yml").read_text(encoding="utf-8"))
    for section in GENERATED_CONFIG_SECTIONS:
        assert new[section] == old[section], (
            f"section {section!r} of data/sample/client.yml differs from the generated one "
            "(kk_helpers.sample.config_yaml): keep them in line"
        )


def test_existing_config_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "client.yml"
    cfg.write_text("# maintained by hand\n", encoding="utf-8")
    args = [str(tmp_path), "--customers", "80", "--lines", "2000"]
    assert sample.main(args) == 0
    assert cfg.read_text(encoding="utf-8") == "# maintained by hand\n"
    assert "kept" in capsys.readouterr().out
    assert (tmp_path / "transactions.csv").is_file()
    assert sample.main([*args, "--write-config"]) == 0
    assert load_config(tmp_path).files.transactions.path == "transactions.csv"


def test_config_validates() -> None:
    cfg = load_config(SAMPLE_DIR)
    assert cfg.client.name == "Muster Industriebedarf GmbH"
    assert cfg.analysis.years == [2023, 2024, 2025]
    assert str(cfg.analysis.reference_date) == "2025-12-31"
    assert cfg.soft_criteria == ["loyalty", "strategic_fit", "service_effort"]
    assert set(cfg.files.transactions.values["channel"].values()) == {
        "field_sales",
        "inside_sales",
        "webshop",
        "edi",
        "dealer",
    }
    assert set(cfg.files.activities.values["type"].values()) == {
        "visit",
        "call",
        "email",
        "quote",
        "complaint",
    }
    assert (
        cfg.cost_rates.order_processing["field_sales"] > cfg.cost_rates.order_processing["webshop"]
    )


def test_file_formats() -> None:
    cust = (SAMPLE_DIR / "customers.csv").read_bytes()
    tx = (SAMPLE_DIR / "transactions.csv").read_bytes()
    act = (SAMPLE_DIR / "activities.csv").read_bytes()
    assert "Außendienstmitarbeiter".encode("cp1252") in cust[:300]  # cp1252, not UTF-8
    assert cust.split(b"\r\n")[0].count(b";") == 13
    assert tx.startswith(b"\xef\xbb\xbfBelegnr;") and b"\r\n" in tx[:200]
    assert act.startswith(b"Kunden-Nr.,Datum,") and b"\r\n" not in act
    total = sum((SAMPLE_DIR / name).stat().st_size for name in (*DATA_FILES, "client.yml"))
    assert total < 13e6


# --- shape of the sample ------------------------------------------------------------------
def test_customer_master(customers: pd.DataFrame) -> None:
    assert len(customers) == 2500
    ids = customers["Kundennr"]
    assert ids.is_unique and ids.str.fullmatch(r"\d{6}").all() and ids.str.startswith("0").all()
    potential = _number(customers["Potenzial p.a. (EUR)"].replace("", np.nan))
    assert 0.55 <= potential.notna().mean() <= 0.65
    for col in ("Kundenbindung", "Strategische Bedeutung", "Betreuungsaufwand"):
        scores = pd.to_numeric(customers[col].replace("", np.nan))
        assert 0.2 <= scores.notna().mean() <= 0.5
        assert scores.dropna().between(1, 5).all()
    assert set(customers["ABC-Klasse"]) == {"A", "B", "C", ""}
    assert customers["Vertriebsregion"].nunique() == 6
    assert customers["PLZ"].str.fullmatch(r"\d{5}").all()


def test_transactions_shape(transactions: pd.DataFrame, customers: pd.DataFrame) -> None:
    assert 100_000 <= len(transactions) <= 130_000
    assert transactions["Kundennr"].isin(customers["Kundennr"]).all()
    assert set(transactions["year"]) == {2023, 2024, 2025}
    assert transactions["date"].max() <= pd.Timestamp("2025-12-31")
    credit = transactions["revenue"] < 0
    assert 0.015 <= credit.mean() <= 0.025
    assert (transactions.loc[credit, "Belegart"] == "GS").all()
    assert (transactions.loc[credit, "margin"] <= 0).all()
    pos = transactions.loc[~credit]
    assert (pos["margin"] < pos["revenue"]).all()
    margin_pct = pos["margin"].sum() / pos["revenue"].sum()
    assert 0.25 <= margin_pct <= 0.35
    by_group = pos.groupby("Warengruppe")[["margin", "revenue"]].sum()
    pct = by_group["margin"] / by_group["revenue"]
    assert pct.max() - pct.min() > 0.1  # margin varies by product group
    assert set(transactions["Vertriebsweg"]) == {
        "Außendienst",
        "Innendienst",
        "Webshop",
        "EDI",
        "Fachhandel",
    }


def test_concentration(revenue: pd.Series, small: pd.Series) -> None:
    total = revenue.sum()
    top = revenue.iloc[: len(revenue) // 5].sum() / total
    assert top >= 0.70
    assert 0.55 <= small.mean() <= 0.70
    assert revenue[small].sum() / total <= 0.10


def test_new_lost_and_growing_customers(
    transactions: pd.DataFrame, customers: pd.DataFrame
) -> None:
    pos = transactions[transactions["revenue"] > 0]
    first = pos.groupby("Kundennr")["year"].min()
    last = pos.groupby("Kundennr")["year"].max()
    assert (first == 2024).sum() >= 100 and (first == 2025).sum() >= 75
    assert (last < 2025).sum() >= 100  # lost: no purchase in the last year
    assert (~customers["Kundennr"].isin(transactions["Kundennr"])).sum() >= 20  # dormant
    yearly = pos.pivot_table(index="Kundennr", columns="year", values="revenue", aggfunc="sum")
    yearly = yearly.fillna(0.0)
    fast = (yearly[2023].between(500, 8000)) & (yearly[2025] >= 2 * yearly[2023])
    assert fast.sum() >= 50  # small, fast-growing customers (future smart accounts)


def test_small_orders(transactions: pd.DataFrame, small: pd.Series) -> None:
    pos = transactions[transactions["revenue"] > 0]
    orders = pos.groupby("Belegnr").agg(value=("revenue", "sum"), customer=("Kundennr", "first"))
    assert 0.05 <= (orders["value"] < 100).mean() <= 0.25
    is_small = orders["customer"].map(small)
    assert orders.loc[is_small, "value"].median() < 0.5 * orders.loc[~is_small, "value"].median()
    # small orders earn a slightly higher margin percentage
    line_small = pos["Belegnr"].map(orders["value"]) < 250
    pct = pos.groupby(line_small)[["margin", "revenue"]].sum()
    pct = pct["margin"] / pct["revenue"]
    assert pct[True] > pct[False]


def test_activities(activities: pd.DataFrame, customers: pd.DataFrame, small: pd.Series) -> None:
    assert activities["Kunden-Nr."].isin(customers["Kundennr"]).all()
    assert set(activities["Typ"]) == {"Besuch", "Telefonat", "E-Mail", "Angebot", "Reklamation"}
    dates = pd.to_datetime(activities["Datum"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2023-01-01") and dates.max() <= pd.Timestamp("2025-12-31")
    share = activities["Kunden-Nr."].map(small).groupby(activities["Typ"]).mean()
    assert 0.25 <= share["Besuch"] <= 0.40 and share["Telefonat"] >= 0.3  # vs. < 10 % revenue
    visits_per_year = (activities["Typ"] == "Besuch").sum() / 3
    assert 8000 <= visits_per_year <= 10_000  # mid-size distributor with ~13 field reps
    assert activities["Mitarbeiter"].str.contains(", ").all()


def test_whale_curve(status_quo: StatusQuo, revenue: pd.Series, small: pd.Series) -> None:
    """The unprofitable tail gives back a substantial part of the profit (Cooper & Kaplan)."""
    summary = status_quo.whale_summary
    assert 140 <= summary["peak_pct"] <= 220
    assert 0.25 <= summary["unprofitable_share"] <= 0.5
    cm3 = status_quo.customers["cm3"].reindex(revenue.index)
    unprofitable = cm3 < 0
    assert small[unprofitable].mean() >= 0.6  # mostly small customers ...
    assert cm3[unprofitable & ~small].sum() < 0  # ... but also some large, over-served ones


def test_xyz_classes(status_quo: StatusQuo, small: pd.Series) -> None:
    """Regular call-off customers (Kanban/EDI) are X or Y, most others order in lumps (Z)."""
    xyz = status_quo.xyz["xyz"]
    share = xyz.value_counts(normalize=True)
    assert 0.05 <= share["X"] <= 0.15
    assert 0.15 <= share["Y"] <= 0.30
    x_small = small.reindex(xyz.index)[xyz == "X"]
    assert x_small.mean() <= 0.2  # X customers are mostly large, regular ones


def test_loads_without_rejections() -> None:
    loading = pytest.importorskip("kk_helpers.input.loading")
    data = loading.load_client(SAMPLE_DIR)
    rec = data.report.reconciliation()
    assert (rec["rows_rejected"] == 0).all()
    issues = data.report.issues
    assert set(issues["severity"]) <= {"info"}
    assert len(data.customers) == 2500
    assert set(data.transactions["channel"].astype(str)) == {
        "field_sales",
        "inside_sales",
        "webshop",
        "edi",
        "dealer",
    }


# --- other outputs of the generator ----------------------------------------------------------
def test_parquet_client(tmp_path: Path) -> None:
    info = sample.generate_client(
        tmp_path, n_customers=400, fmt="parquet", lines=15_000, large=True
    )
    assert 13_000 <= info["lines"] <= 17_000
    cfg = load_config(tmp_path)
    assert cfg.files.transactions.path == "transactions.parquet"
    schema = pq.read_schema(tmp_path / "transactions.parquet")
    assert str(schema.field("Kundennr").type) == "string"
    assert str(schema.field("Belegdatum").type) == "date32[day]"
    assert str(schema.field("Umsatz netto").type) == "double"
    tx = pd.read_parquet(tmp_path / "transactions.parquet")
    assert len(tx) == info["lines"]
    assert tx["Kundennr"].str.fullmatch(r"\d{6}").all()


def test_large_years_are_written_in_blocks(tmp_path: Path, monkeypatch) -> None:
    """A year above CHUNK_LINES lines is made in blocks of customers (bounded memory):
    the same kind of client, unique document numbers, every line of a known customer."""
    from kk_helpers.sample import generate, years

    blocks = []
    real = years._year
    monkeypatch.setattr(
        years, "_year", lambda *a, **k: blocks.append(k.get("block")) or real(*a, **k)
    )
    monkeypatch.setattr(generate, "CHUNK_LINES", 4_000)  # 30,000 lines: 3 blocks a year
    info = sample.generate_client(tmp_path, n_customers=600, fmt="parquet", lines=30_000)
    assert blocks == [0, 1, 2] * 3
    assert 26_000 <= info["lines"] <= 34_000
    tx = pd.read_parquet(tmp_path / "transactions.parquet")
    master = pd.read_parquet(tmp_path / "customers.parquet")
    assert len(tx) == info["lines"]
    assert set(tx["Kundennr"]) <= set(master["Kundennr"])
    assert tx["Kundennr"].nunique() > 500  # customers of every block
    # document numbers go on from block to block: one document, one customer and date
    per_doc = tx.groupby("Belegnr")[["Kundennr", "Belegdatum", "Belegart"]].nunique()
    assert (per_doc == 1).all().all()
    loading = pytest.importorskip("kk_helpers.input.loading")
    data = loading.load_client(tmp_path)
    assert (data.report.reconciliation()["rows_rejected"] == 0).all()


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    a = sample.generate_client(tmp_path / "a", n_customers=150, seed=1)
    b = sample.generate_client(tmp_path / "b", n_customers=150, seed=1)
    c = sample.generate_client(tmp_path / "c", n_customers=150, seed=2)
    ta, tb, tc = (x["files"]["transactions.csv"].read_bytes() for x in (a, b, c))
    assert ta == tb and ta != tc


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sample.main([str(tmp_path), "--customers", "120", "--lines", "3000"]) == 0
    assert "120 customers" in capsys.readouterr().out
    assert (tmp_path / "client.yml").is_file()


def test_package_paths_and_module_entry_point(tmp_path: Path) -> None:
    """The generator is a package now: the repo root is two levels above its modules."""
    import subprocess
    import sys

    assert (sample.REPO_ROOT / "pyproject.toml").is_file()
    assert sample.LARGE_DIR == sample.REPO_ROOT / "benchmarks" / "data" / "large"
    run = subprocess.run(
        [sys.executable, "-m", "kk_helpers.sample", str(tmp_path), "--customers", "50",
         "--lines", "800"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "50 customers" in run.stdout
    assert (tmp_path / "transactions.csv").is_file()


def test_generator_options_are_keyword_only(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        sample.generate_client(tmp_path, 100)  # type: ignore[misc]
    with pytest.raises(TypeError):
        sample.config_yaml("csv", (2024,), 100, 1, False)  # type: ignore[misc]
