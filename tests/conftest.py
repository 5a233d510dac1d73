"""Shared fixtures: tiny client folders built in ``tmp_path``.

``make_client(...)`` writes ``client.yml`` plus data files and returns the folder.
Data is given as CSV text (written as UTF-8 unless bytes are passed) or as a
DataFrame (written as XLSX or Parquet, by the file name's extension).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

CUSTOMERS_CSV = """Kundennr;Name;Branche;Treue
00123;Alpha GmbH;Bau;4
00456;Beta AG;Handel;2
789;Gamma KG;Bau;5
"""

# line 2..6 in the file; revenue in German format
TRANSACTIONS_CSV = """Kunde;Datum;Umsatz;Kosten;Kanal
00123;15.03.2024;1.234,50;800,00;AD
00123;20.06.2025;100,00;60,00;Web
00456;01.02.2023;500,00;300,00;AD
00456;03.04.2025;250,00;100,00;Web
789;10.10.2024;75,50;50,00;AD
"""

ACTIVITIES_CSV = """Kunde;Datum;Art;Dauer
00123;16.03.2024;Besuch;90
00456;02.02.2023;Anruf;10
"""

BASE_CONFIG: dict[str, Any] = {
    "client": {"name": "Test GmbH", "id": "test", "currency": "EUR", "language": "en"},
    "analysis": {"years": [2023, 2024, 2025], "reference_date": "2025-12-31"},
    "soft_criteria": ["loyalty"],
    "files": {
        "customers": {
            "path": "customers.csv",
            "columns": {
                "customer_id": "Kundennr",
                "name": "Name",
                "industry": "Branche",
                "loyalty": "Treue",
            },
        },
        "transactions": {
            "path": "transactions.csv",
            "columns": {
                "customer_id": "Kunde",
                "date": "Datum",
                "revenue": "Umsatz",
                "cost": "Kosten",
                "channel": "Kanal",
            },
            "values": {"channel": {"AD": "field_sales", "Web": "webshop"}},
        },
    },
}

ACTIVITIES_SPEC: dict[str, Any] = {
    "path": "activities.csv",
    "columns": {"customer_id": "Kunde", "date": "Datum", "type": "Art", "duration_min": "Dauer"},
    "values": {"type": {"Besuch": "visit", "Anruf": "call"}},
}


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated recursively with ``over`` (a value None deletes the key)."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def write_data(path: Path, data: str | bytes | pd.DataFrame, encoding: str = "utf-8") -> Path:
    """Write CSV text/bytes as is, or a DataFrame as XLSX/Parquet/CSV by extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_bytes(data.encode(encoding))
    elif path.suffix == ".xlsx":
        data.to_excel(path, index=False)
    elif path.suffix == ".parquet":
        data.to_parquet(path, index=False)
    else:
        data.to_csv(path, sep=";", index=False)
    return path


MakeClient = Callable[..., Path]


@pytest.fixture
def make_client(tmp_path: Path) -> MakeClient:
    """Factory: ``make_client(customers=..., transactions=..., activities=..., config=...)``.

    Defaults are the small, clean data above. ``config`` is deep-merged into
    ``BASE_CONFIG`` (None values delete keys). Pass ``activities=ACTIVITIES_CSV`` to
    configure an activities file. Returns the client folder.
    """
    counter = {"n": 0}

    def _make(
        customers: str | bytes | pd.DataFrame = CUSTOMERS_CSV,
        transactions: str | bytes | pd.DataFrame = TRANSACTIONS_CSV,
        activities: str | bytes | pd.DataFrame | None = None,
        config: dict[str, Any] | None = None,
        encoding: str = "utf-8",
    ) -> Path:
        counter["n"] += 1
        folder = tmp_path / f"client{counter['n']}"
        folder.mkdir()
        cfg = copy.deepcopy(BASE_CONFIG)
        if activities is not None:
            cfg["files"]["activities"] = copy.deepcopy(ACTIVITIES_SPEC)
        if config:
            cfg = deep_merge(cfg, config)
        if "customers" in cfg["files"]:  # config={"files": {"customers": None}}: no master
            write_data(folder / cfg["files"]["customers"]["path"], customers, encoding)
        write_data(folder / cfg["files"]["transactions"]["path"], transactions, encoding)
        if activities is not None:
            write_data(folder / cfg["files"]["activities"]["path"], activities, encoding)
        (folder / "client.yml").write_text(
            yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return folder

    return _make
