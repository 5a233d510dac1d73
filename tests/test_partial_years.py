"""Partial years compared like with like (issue 10, item 8): the annualised method.

The client: 2023 holds only December, 2024 every month, 2025 only January-June.

==========  ============  ==============  ==================  ==================
customer    Dec 2023      2024            Jan-Jun 2025        by hand
==========  ============  ==============  ==================  ==================
00123       100           100 each month  100 each month      trend 0 (1200/yr)
00456       -             500 in Oct      -                   active in 2025
789         -             300 in Mar      -                   lost in 2025, D
999         50            -               40 in Feb           reactivated 2025
==========  ============  ==============  ==================  ==================

Annualised: 2023 x 12, 2025 x 2. Active in 2025 = bought July 2024 - June 2025.
"""

from __future__ import annotations

import pytest

from kk_helpers.core import columns as C
from kk_helpers.metrics.classes import abc_d_classes, index_by_customer
from kk_helpers.metrics.development import customer_flow, yearly_by_class
from kk_helpers.stages.prepare import prepare_client

CUSTOMERS = "Kundennr;Name;Branche;Treue\n00123;A;Bau;3\n00456;B;Bau;3\n789;C;Bau;3\n999;D;Bau;3\n"


def _tx() -> str:
    rows = ["00123;15.12.2023;100,00;0;AD", "999;15.12.2023;50,00;0;AD"]
    rows += [f"00123;15.{m:02d}.2024;100,00;0;AD" for m in range(1, 13)]
    rows += ["00456;15.10.2024;500,00;0;AD", "789;15.03.2024;300,00;0;AD"]
    rows += [f"00123;15.{m:02d}.2025;100,00;0;AD" for m in range(1, 7)]
    rows += ["999;15.02.2025;40,00;0;AD"]
    return "Kunde;Datum;Umsatz;Kosten;Kanal\n" + "\n".join(rows) + "\n"


@pytest.fixture
def prep(make_client, tmp_path):
    folder = make_client(customers=CUSTOMERS, transactions=_tx())
    prepare_client(folder, tmp_path / "out", lang="en")  # builds the cache
    return prepare_client(folder, tmp_path / "out", lang="en")  # read from it


def test_partial_years_cached_with_the_prepared_client(prep) -> None:
    assert prep.from_cache
    assert prep.partial_years == {2023: (12,), 2025: (1, 2, 3, 4, 5, 6)}


def test_customer_table_annualised_columns_and_trend(prep) -> None:
    ct = index_by_customer(prep.customer_table)
    assert ct["revenue_2025"].tolist() == [600.0, 0.0, 0.0, 40.0]  # actual, unchanged
    assert ct["revenue_annualised_2025"].tolist() == [1200.0, 0.0, 0.0, 80.0]
    assert ct["revenue_annualised_2023"].tolist() == [1200.0, 0.0, 0.0, 600.0]
    assert ct["active_2025"].tolist() == [True, True, False, True]
    assert "revenue_annualised_2024" not in ct.columns  # full year
    # 00123: 1200 -> 1200 -> 1200: CAGR 0 (not sqrt(600/100) - 1 = +145 %)
    assert ct.loc["00123", C.TREND] == pytest.approx(0.0)
    # 999: (80 / 600) ** (1/2) - 1 = -0.634852 (not (40/50) ** 0.5 - 1 = -0.1056)
    assert ct.loc["999", C.CAGR] == pytest.approx(-0.634852, abs=1e-6)


def test_lost_customers_and_d_share(prep) -> None:
    years = [2023, 2024, 2025]
    flow = customer_flow(prep.customer_table, years).set_index(C.YEAR)
    # 2025: previous {00123, 00456, 789}; active {00123, 00456 (Oct 2024), 999}
    assert int(flow.loc[2025, "lost"]) == 1  # 789 only (not 00456 as well)
    assert int(flow.loc[2025, "retained"]) == 2
    assert int(flow.loc[2025, "reactivated"]) == 1
    assert int(flow.loc[2025, "active"]) == 3
    assert flow.loc[2025, "revenue"] == pytest.approx(1280.0)  # 1200 + 80 annualised
    assert flow.loc[2025, "revenue_lost"] == pytest.approx(300.0)  # 789's 2024
    classes = abc_d_classes(prep.customer_table, prep.config.classes, years)
    assert classes.tolist().count("D") == 1 and classes["789"] == "D"  # D share 25 %
    yb = yearly_by_class(prep.customer_table, classes, years)
    assert yb[yb[C.YEAR] == 2025]["revenue"].sum() == pytest.approx(1280.0)
    assert yb[yb[C.YEAR] == 2025][C.CUSTOMERS].sum() == 3


def test_d_minimum_revenue_compares_the_annualised_revenue(make_client, tmp_path) -> None:
    folder = make_client(
        customers=CUSTOMERS, transactions=_tx(), config={"classes": {"d_min_revenue": 70.0}}
    )
    prep = prepare_client(folder, tmp_path / "o2", lang="en", use_cache=False)
    classes = abc_d_classes(prep.customer_table, prep.config.classes, [2023, 2024, 2025])
    # 999: 40 in Jan-Jun 2025 = 80 a year >= 70 -> not D; 00456: 0 in 2025 -> D
    assert classes["999"] != "D" and classes["00456"] == "D"


def test_pages_name_the_partial_years_and_the_method(prep) -> None:
    import json
    from pathlib import Path

    from kk_helpers.present.display import partial_years_text

    text = partial_years_text(prep.partial_years, "en", use="development")
    assert text.startswith("Partial years: 12/2023, 01–06/2025.") and "annualised" in text
    assert "hochgerechnet" in partial_years_text(prep.partial_years, "de", use="last_year")
    nb = Path(__file__).parents[1] / "notebooks"
    for name, use in [("01_status_quo", "development"), ("02_customer_screening", "trend"),
                      ("04_target_picture", "last_year")]:  # fmt: skip
        src = "".join(
            "".join(c["source"]) for c in json.loads((nb / f"{name}.ipynb").read_text())["cells"]
        )
        assert f'partial_years_note(prep.partial_years, lang, use="{use}")' in src


# --- item 5: a customer with negative net revenue counts 0 in every revenue share --------

NEG_TX = (
    "Kunde;Datum;Umsatz;Kosten;Kanal\n"
    "00123;15.03.2024;1.000,00;0;AD\n00123;15.03.2025;1.000,00;0;AD\n"
    "00456;15.04.2025;50,00;0;AD\n"
    "789;15.05.2024;100,00;0;AD\n789;15.05.2025;-300,00;0;AD\n"
)


def test_negative_net_customer_counts_zero_in_revenue_shares(make_client, tmp_path) -> None:
    from kk_helpers.metrics.capacity import class_shares
    from kk_helpers.stages.status_quo.analysis import analyse_status_quo
    from kk_helpers.stages.status_quo.findings import class_findings

    prep = prepare_client(make_client(transactions=NEG_TX), tmp_path / "o", lang="en")
    sq = analyse_status_quo(prep, "en")
    assert sq.classes["789"] == "D"  # net -200 over the period, -300 in 2025
    # by hand: clipped revenue 2000 + 50 + 0 = 2050; 789's share 0 (not -200 / 1850)
    share = sq.profile["revenue_share"]
    assert (share >= 0).all() and share.sum() == pytest.approx(1.0)
    assert share.get("D", 0.0) == pytest.approx(0.0)
    assert sq.profile.loc["D", "revenue"] == pytest.approx(-200.0)  # the net sum stays
    small = share.reindex(["C", "D"]).fillna(0.0).sum()
    assert prep.figures.value("abc_small_revenue_share") == pytest.approx(small)
    assert small == pytest.approx(50 / 2050)  # before: (50 - 200) / 1850 = -8.1 %
    ct = index_by_customer(prep.customer_table)
    _, rev = class_shares(sq.classes.reindex(ct.index), ct[C.REVENUE_TOTAL], ["D"])
    assert rev == 0.0  # priority-class shares: the same rule
    text = class_findings(sq.profile, prep.figures, "en")[0]
    assert text.startswith("1 customer with negative net revenue") and "789" in text
    assert "counts as 0 in the revenue shares" in text
