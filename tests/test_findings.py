"""Generated findings contain the right numbers in German and English."""

from __future__ import annotations

import pandas as pd
import pytest

from kk_helpers.metrics.classes import class_profile
from kk_helpers.metrics.concentration import concentration_summary
from kk_helpers.metrics.development import customer_flow
from kk_helpers.metrics.figures import Figure, HeadlineFigures
from kk_helpers.metrics.orders import orders_below_thresholds
from kk_helpers.metrics.profitability import whale_summary
from kk_helpers.stages.status_quo import findings as F


def _profile() -> pd.DataFrame:
    # 10 customers: A 2, B 2, C 4, D 2; revenue 700/230/60/10; visits 40/26/30/4
    ct = pd.DataFrame(
        {
            "customer_id": [f"k{i}" for i in range(10)],
            "revenue_total": [400, 300, 130, 100, 20, 15, 15, 10, 5, 5],
            "n_visit": [20, 20, 13, 13, 10, 10, 5, 5, 2, 2],
            "cost_to_serve": [10.0] * 10,
        }
    )
    classes = pd.Series(list("AABBCCCCDD"), index=ct["customer_id"])
    return class_profile(ct, classes)


def _figures() -> HeadlineFigures:
    # C/D: 6 of 10 customers, revenue 70 of 1,000 (see _profile)
    return HeadlineFigures(
        [Figure.of("abc_small_customer_share", 0.6), Figure.of("abc_small_revenue_share", 0.07)]
    )


def test_class_findings_en_and_de():
    en = F.class_findings(_profile(), _figures(), "en")
    assert en[0] == (
        "Customers in revenue classes C/D are 60.0% of all customers; together they bring "
        "7.0% of revenue and take 34% of the visits."
    )
    assert en[1] == "A customers are 20% of all customers and bring 70% of revenue."
    assert en[2].startswith("2 customers (20%) are D customers")
    de = F.class_findings(_profile(), _figures(), "de")
    assert de[0] == (
        "Kunden der Umsatzklassen C/D sind 60,0 % aller Kunden; zusammen bringen sie "
        "7,0 % des Umsatzes und beanspruchen 34 % der Besuche."
    )


def test_class_findings_without_visits_uses_cost_to_serve():
    p = _profile().assign(visits=float("nan"), visits_share=float("nan"))
    assert "60 % der Cost-to-Serve" in F.class_findings(p, _figures(), "de")[0]


def test_concentration_findings():
    s = concentration_summary(pd.Series([1.0] * 8 + [10.0, 82.0] + [-3.0]))
    en = F.concentration_findings(s, "en")
    # 11 customers: top 20 % = ceil(2.2) = 3 customers: 82 + 10 + 1 = 93 of 100
    assert en[0] == "The top 20% of customers bring 93% of revenue."
    assert en[1] == "1 customer (9% of all customers) makes 80% of revenue."  # 82 ≥ 80
    assert "The 10 largest customers bring 100% of revenue." in en  # 11th is clipped to 0
    # Gini: x ascending 0, 1 (×8), 10, 82; Σ i·x = (2+…+9) + 10·10 + 11·82 = 1046
    # G = 2·1046 / (11·100) − 12/11 = 0.8109
    assert any("Gini coefficient is 0.81 " in x for x in en)
    assert en[-1].startswith("1 customer with negative net revenue")
    de = F.concentration_findings(s, "de")
    assert de[0] == "Die umsatzstärksten 20 % der Kunden bringen 93 % des Umsatzes."
    assert any("Gini-Koeffizient beträgt 0,81 " in x for x in de)


def test_whale_findings():
    s = whale_summary(pd.Series([100_000.0, 50_000.0, 10_000.0, -60_000.0]))
    en = F.whale_findings(s, "en")
    assert en == [
        "The profitable 75% of customers earn 160% of the total contribution margin III.",
        "1 customer (25%) is unprofitable after cost-to-serve and loses €60,000.",
    ]
    de = F.whale_findings(s, "de")
    assert de[0] == (
        "Die profitablen 75 % der Kunden erwirtschaften 160 % des gesamten Deckungsbeitrags III."
    )
    assert de[1] == "1 Kunde (25 %) ist nach Betreuungskosten unprofitabel und verliert 60.000 €."
    negative = F.whale_findings(whale_summary(pd.Series([10.0, -60.0])), "en")
    assert negative[0].startswith("Total contribution margin III is negative (-€50)")


def test_order_findings():
    orders = pd.DataFrame(
        {
            "value": [20.0, 40.0, 60.0, 90.0, 100.0, 150.0, 240.0, 300.0, 1000.0],
            "channel": ["webshop"] * 4 + ["field_sales"] * 5,
        }
    )
    below = orders_below_thresholds(orders, [100.0, 250.0], {"webshop": 5.0, "field_sales": 40.0})
    en = F.order_findings(below, "en", break_even=80.0)
    # < 100: 4 of 9 orders (44 %), 210 of 2000 revenue (11 %), cost 20 of 220 (9 %)
    assert en[0] == (
        "44% of orders are below €100; they bring 11% of revenue but cause 9% of the "
        "order-processing cost (€20)."
    )
    assert "€80" in en[1]
    de = F.order_findings(below, "de", threshold=250.0)
    # < 250: 7 of 9 (78 %), 700 of 2000 (35 %), cost 140 of 220 (64 %)
    assert de == [
        "78 % der Aufträge liegen unter 250 €; sie bringen 35 % des Umsatzes, verursachen "
        "aber 64 % der Auftragsabwicklungskosten (140 €)."
    ]
    with pytest.raises(ValueError):
        F.order_findings(below, "de", threshold=999.0)


def test_development_findings():
    ct = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "revenue_2024": [1000.0, 500.0, 0.0, 10.0],
            "revenue_2025": [1200.0, 0.0, 1500.0, 10.0],
        }
    )
    f = customer_flow(ct, [2024, 2025])
    assert F.development_findings(f, "en") == [
        "Active customers: 3 in 2024, 3 in 2025.",
        "2025: new customers: 1 (revenue €1,500); lost customers: 1 "
        "(revenue in the year before €500).",
    ]
    assert "1.500 €" in F.development_findings(f, "de")[1]


def test_key_findings_table_holds_only_the_stage_own_counts():
    below = pd.DataFrame(
        {"threshold": [250.0, 100.0], "orders_share": [0.78, 0.5], "orders": [78, 50]}
    )
    k = F.key_findings("de", below=below)
    assert list(k.index) == ["orders_below"]
    assert k.loc["orders_below", "value"] == "50 %"  # the smallest threshold
    assert "100 €" in k.loc["orders_below", "label"]
    assert F.key_findings("en").empty
