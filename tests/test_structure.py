"""Size bands and structure tables."""

from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from kk_helpers.core.formatting import format_number
from kk_helpers.metrics import structure as S


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "industry": ["Bau", "Handel", "Bau", None, "Handel"],
            "revenue_total": [500.0, 2000.0, 1000.0, 0.0, 120_000.0],
        }
    )


def test_size_band_labels_and_edges():
    ct = _table()
    bands = S.size_band(ct, [0, 1000, 5000], number_format=partial(format_number, lang="de"))
    assert bands.name == "size_band"
    assert bands.tolist() == ["0 – 1.000", "1.000 – 5.000", "1.000 – 5.000", "≤ 0", "≥ 5.000"]
    assert list(bands.cat.categories) == ["≤ 0", "0 – 1.000", "1.000 – 5.000", "≥ 5.000"]
    assert bands.cat.ordered
    assert S.size_band_labels([1000, 5000]) == [
        "≤ 0",
        "0 – 1,000",
        "1,000 – 5,000",
        "≥ 5,000",
    ]


def test_structure_table_by_industry():
    ct = _table()
    before = ct.copy()
    s = S.structure_table(ct, "industry")
    pd.testing.assert_frame_equal(ct, before)
    assert list(s.columns) == [
        "customers",
        "customers_share",
        "revenue",
        "revenue_share",
        "revenue_per_customer",
    ]
    assert list(s.index) == ["Handel", "Bau", "–"]  # by revenue, missing last
    assert s.loc["Handel", "customers"] == 2
    assert s.loc["Handel", "revenue"] == 122_000.0
    assert s.loc["Bau", "customers_share"] == pytest.approx(0.4)
    assert s.loc["Bau", "revenue_share"] == pytest.approx(1500 / 123_500)
    assert s["customers_share"].sum() == pytest.approx(1.0)


def test_structure_table_by_size_band_keeps_band_order():
    s = S.structure_table(_table(), "size_band")
    assert list(s.index) == [
        "≤ 0",
        "0 – 1,000",
        "1,000 – 5,000",
        "5,000 – 10,000",
        "10,000 – 50,000",
        "50,000 – 100,000",
        "≥ 100,000",
    ]
    assert s["customers"].tolist() == [1, 1, 2, 0, 0, 0, 1]
