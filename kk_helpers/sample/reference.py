"""Constants and reference tables of the fictional client (industries, product groups,
cities, reps, channels, size and service models, export headers)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np

DEFAULT_SEED = 4711
DEFAULT_YEARS = (2023, 2024, 2025)
CLIENT_NAME = "Muster Industriebedarf GmbH"
SAMPLE_CUSTOMERS = 2500
LINES_PER_CUSTOMER = 42  # default line target: n_customers * this (~105k for the sample)
LARGE_CUSTOMERS = 100_000
LARGE_LINES = 10_000_000
#: lines of one year generated at once; a larger year is made in blocks of customers
#: (bounded memory: some 0.5 GB per million lines at the peak)
CHUNK_LINES = 5_000_000
REPO_ROOT = Path(__file__).resolve().parents[2]
LARGE_DIR = REPO_ROOT / "benchmarks" / "data" / "large"

Format = Literal["csv", "parquet"]

# --- reference tables -------------------------------------------------------------
# industry: (name, weight, log size shift, three name words)
INDUSTRIES: tuple[tuple[str, float, float, tuple[str, str, str]], ...] = (
    ("Maschinenbau", 0.20, 0.35, ("Maschinenbau", "Sondermaschinenbau", "Präzisionstechnik")),
    ("Metallverarbeitung", 0.15, 0.10, ("Metallbau", "Stahlbau", "Blechtechnik")),
    ("Fahrzeugbau/Zulieferer", 0.07, 0.90, ("Automotive", "Fahrzeugteile", "Karosseriebau")),
    ("Elektrotechnik", 0.09, 0.00, ("Elektrotechnik", "Elektroanlagen", "Schaltanlagenbau")),
    ("Bauhandwerk", 0.14, -0.50, ("Bau", "Haustechnik", "Dachtechnik")),
    ("Anlagenbau", 0.06, 0.30, ("Anlagenbau", "Fördertechnik", "Verfahrenstechnik")),
    ("Kunststoffverarbeitung", 0.06, 0.20, ("Kunststofftechnik", "Spritzguss", "Formenbau")),
    ("Lebensmittelindustrie", 0.05, 0.30, ("Feinkost", "Backwaren", "Getränke")),
    ("Öffentliche Einrichtungen", 0.05, -0.10, ("Stadtwerke", "Klinikum", "Zweckverband")),
    (
        "Instandhaltung/Service",
        0.08,
        -0.30,
        ("Industrieservice", "Instandhaltung", "Montageservice"),
    ),
    ("Holzverarbeitung", 0.05, -0.40, ("Holzbau", "Schreinerei", "Möbelwerkstätten")),
)
PUBLIC_INDUSTRY = 8  # index of "Öffentliche Einrichtungen": names "Stadtwerke <Ort>"

# product group: (name, weight, base contribution margin I, median unit price EUR)
PRODUCT_GROUPS: tuple[tuple[str, float, float, float], ...] = (
    ("Befestigungstechnik", 0.18, 0.37, 0.8),
    ("Handwerkzeuge", 0.11, 0.31, 18.0),
    ("Elektrowerkzeuge", 0.08, 0.22, 140.0),
    ("Zerspanungswerkzeuge", 0.09, 0.30, 25.0),
    ("Arbeitsschutz", 0.12, 0.34, 9.0),
    ("Technische Chemie", 0.07, 0.39, 7.0),
    ("Betriebseinrichtung", 0.06, 0.26, 180.0),
    ("Schweißtechnik", 0.05, 0.25, 35.0),
    ("Pneumatik/Hydraulik", 0.07, 0.27, 45.0),
    ("Antriebstechnik", 0.07, 0.24, 60.0),
    ("Elektromaterial", 0.06, 0.21, 6.0),
)
# industry -> {product group index: weight multiplier}
PG_AFFINITY: dict[int, dict[int, float]] = {
    0: {3: 2.0, 9: 2.0, 8: 1.5},
    1: {7: 3.0, 3: 1.5},
    2: {3: 2.0, 0: 1.5, 4: 1.3},
    3: {10: 4.0, 2: 1.3},
    4: {0: 2.0, 2: 1.5},
    5: {8: 1.8, 7: 1.5, 9: 1.5},
    6: {8: 2.0, 5: 1.5},
    7: {4: 2.0, 5: 2.0},
    8: {4: 1.5, 6: 2.0},
    9: {9: 2.0, 8: 1.5, 5: 1.5},
    10: {0: 2.0, 1: 1.5},
}

# city: (name, 2-digit PLZ prefix, sales region, weight); the client sits near Stuttgart
CITIES: tuple[tuple[str, str, str, float], ...] = (
    ("Stuttgart", "70", "Südwest", 8),
    ("Ludwigsburg", "71", "Südwest", 5),
    ("Reutlingen", "72", "Südwest", 4),
    ("Esslingen am Neckar", "73", "Südwest", 4),
    ("Göppingen", "73", "Südwest", 3),
    ("Aalen", "73", "Südwest", 3),
    ("Heilbronn", "74", "Südwest", 5),
    ("Pforzheim", "75", "Südwest", 3),
    ("Karlsruhe", "76", "Südwest", 5),
    ("Offenburg", "77", "Südwest", 3),
    ("Tuttlingen", "78", "Südwest", 3),
    ("Freiburg im Breisgau", "79", "Südwest", 4),
    ("Mannheim", "68", "Südwest", 4),
    ("Heidelberg", "69", "Südwest", 3),
    ("München", "80", "Süd", 5),
    ("Augsburg", "86", "Süd", 3),
    ("Ulm", "89", "Süd", 4),
    ("Ingolstadt", "85", "Süd", 2),
    ("Kempten (Allgäu)", "87", "Süd", 2),
    ("Nürnberg", "90", "Süd", 4),
    ("Regensburg", "93", "Süd", 2),
    ("Würzburg", "97", "Süd", 2),
    ("Frankfurt am Main", "60", "Mitte", 4),
    ("Darmstadt", "64", "Mitte", 2),
    ("Wiesbaden", "65", "Mitte", 2),
    ("Kassel", "34", "Mitte", 2),
    ("Fulda", "36", "Mitte", 1),
    ("Köln", "50", "West", 3),
    ("Düsseldorf", "40", "West", 3),
    ("Dortmund", "44", "West", 2),
    ("Essen", "45", "West", 2),
    ("Bielefeld", "33", "West", 2),
    ("Siegen", "57", "West", 1),
    ("Saarbrücken", "66", "West", 1),
    ("Koblenz", "56", "West", 1),
    ("Hamburg", "22", "Nord", 3),
    ("Bremen", "28", "Nord", 2),
    ("Hannover", "30", "Nord", 3),
    ("Kiel", "24", "Nord", 1),
    ("Osnabrück", "49", "Nord", 1),
    ("Berlin", "12", "Ost", 2),
    ("Leipzig", "04", "Ost", 2),
    ("Dresden", "01", "Ost", 2),
    ("Chemnitz", "09", "Ost", 2),
    ("Erfurt", "99", "Ost", 1),
    ("Jena", "07", "Ost", 1),
)
REGIONS = ("Südwest", "Süd", "Mitte", "West", "Nord", "Ost")

# field sales reps per region (first name, last name)
REPS: dict[str, tuple[tuple[str, str], ...]] = {
    "Südwest": (
        ("Thomas", "Maier"),
        ("Sabine", "Keller"),
        ("Markus", "Schäfer"),
        ("Jürgen", "Wörner"),
        ("Katrin", "Hägele"),
    ),
    "Süd": (("Stefan", "Huber"), ("Andrea", "Brandl"), ("Michael", "Götz")),
    "Mitte": (("Frank", "Becker"),),
    "West": (("Ralf", "Schmitz"), ("Claudia", "Wolff")),
    "Nord": (("Jan", "Petersen"),),
    "Ost": (("Uwe", "Köhler"),),
}
# inside sales (calls, e-mails, quotes), one per region, and complaint handling
INSIDE_SALES: dict[str, tuple[str, str]] = {
    "Südwest": ("Melanie", "Bauer"),
    "Süd": ("Daniel", "Fischer"),
    "Mitte": ("Julia", "Neumann"),
    "West": ("Daniel", "Fischer"),
    "Nord": ("Julia", "Neumann"),
    "Ost": ("Kerstin", "Lorenz"),
}
QUALITY_STAFF: tuple[tuple[str, str], ...] = (("Petra", "Zimmermann"), ("Oliver", "Wagner"))

SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Braun", "Hofmann", "Zimmermann", "Hartmann", "Krüger", "Lange", "Werner",
    "Krause", "Lehmann", "Köhler", "Maier", "Huber", "Kaiser", "Fuchs", "Peters", "Scholz",
    "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Friedrich", "Günther", "Keller", "Roth",
    "Frank", "Berger", "Winkler", "Sommer", "Haas", "Graf", "Kübler", "Eisele", "Straub",
    "Bühler", "Rapp", "Dietrich", "Seitz", "Walz", "Mack", "Ziegler", "Pfeiffer", "Brenner",
)  # fmt: skip
LEGAL_FORMS = ("GmbH", "GmbH & Co. KG", "KG", "e.K.", "AG", "OHG", "GbR")
LEGAL_WEIGHTS = (0.52, 0.22, 0.07, 0.09, 0.03, 0.04, 0.03)

# channels: German export value, canonical value, main-channel mix by size class
# (large, medium, small), value factor of an order, margin adjustment
CHANNEL_VALUES = ("Außendienst", "Innendienst", "Webshop", "EDI", "Fachhandel")
CHANNEL_CANONICAL = ("field_sales", "inside_sales", "webshop", "edi", "dealer")
MAIN_CHANNEL_MIX = np.array(
    [
        [0.45, 0.15, 0.05, 0.35, 0.00],  # large
        [0.45, 0.30, 0.15, 0.08, 0.02],  # medium
        [0.25, 0.35, 0.25, 0.00, 0.15],  # small
        [0.05, 0.35, 0.60, 0.00, 0.00],  # smart accounts
    ]
)
SECONDARY_MIX = np.array([0.25, 0.42, 0.28, 0.03, 0.02])  # orders off the main channel
WEBSHOP_DRIFT = 0.06  # more webshop orders each year (digitalisation)
P_MAIN_CHANNEL = 0.78
CHANNEL_VALUE_FACTOR = np.array([1.15, 1.0, 0.7, 1.25, 0.9])
CHANNEL_MARGIN_ADJ = np.array([0.0, 0.0, 0.01, -0.02, -0.05])

ACTIVITY_VALUES = ("Besuch", "Telefonat", "E-Mail", "Angebot", "Reklamation")
ACTIVITY_CANONICAL = ("visit", "call", "email", "quote", "complaint")

MONTH_WEIGHTS = np.array([0.85, 0.95, 1.10, 1.0, 1.0, 1.05, 1.0, 0.72, 1.05, 1.10, 1.10, 0.80])
WEEKDAY_WEIGHTS = np.array([1.05, 1.05, 1.0, 1.0, 0.9])

# size model (annual revenue level of a customer, EUR)
SIZE_MEDIAN = 1600.0
SIZE_SIGMA = 1.95
SIZE_CAP_Z = 3.1
ORDER_ELASTICITY = 0.35  # orders grow less than revenue: large customers order bigger
ORDER_RATE = 3.0  # orders per year of a customer with 800 EUR a year (before scaling)
ORDER_VALUE_SIGMA = 0.8  # spread of order values around a customer's mean
P_CREDIT_LINE = 0.0205
SHARE_NEW = 0.11
SHARE_LOST = 0.07
SHARE_DORMANT = 0.02
SHARE_SMART = 0.045
# regular call-off customers (Kanban / EDI replenishment, habitual monthly re-orders):
# a fixed ordering rhythm; stable ones become X in the XYZ analysis, semi-regular
# ones (skipped call-offs, varying values) Y. Their orders are not scaled to the line
# target (see _line_factor).
SHARE_REGULAR = np.array([0.85, 0.75, 0.45])  # by size class (large, medium, small)
# business days: weekly, fortnightly; MONTHLY = on a fixed business day of each month
MONTHLY = 21
REGULAR_PERIODS = np.array([5, 10, MONTHLY])
REGULAR_PERIOD_MIX = np.array([[0.4, 0.3, 0.3], [0.15, 0.35, 0.5], [0.0, 0.2, 0.8]])
REGULAR_MIN_SIZE = 1200.0  # EUR a year: no call-off contracts below
# stable call-offs (Kanban) vs. semi-regular ones: share of stable by size class, and
# ranges (by customer) of the value spread (lognormal sigma) and of the skipped share
P_STABLE = np.array([0.6, 0.3, 0.1])
STABLE_SIGMA, STABLE_SKIP = (0.1, 0.35), (0.0, 0.06)
SEMI_SIGMA, SEMI_SKIP = (0.35, 0.75), (0.03, 0.2)
SEMI_PERIOD_MIX = np.array([0.0, 0.25, 0.75])
REGULAR_LINES_EXTRA = 0.5  # call-offs have few lines
P_REGULAR_EDI = np.array([0.7, 0.4, 0.1])  # call-offs by EDI (else the drawn main channel)
# service habits: per full year, by size class (large, medium, small); the field reps
# visit by habit rather than by value, so small field customers get many visits
VISITS_FIELD = np.array([14.0, 8.0, 8.5])  # customers served by the field rep
VISITS_OTHER = np.array([4.0, 2.0, 0.1])
CALLS = np.array([8.0, 4.0, 2.0])
EMAILS = np.array([3.0, 1.5, 0.6])
QUOTES = np.array([5.0, 2.0, 0.3])
SERVICE_SIGMA = 0.8  # spread of the service intensity of a customer (lognormal)
SHARE_DEMANDING = 0.15  # customers that call, complain and ask for visits a lot
DEMANDING_FACTOR = 2.0
DEMANDING_COMPLAINTS = 1.5  # complaints per year of a demanding customer
# power buyers: large and medium accounts with negotiated prices and high service demands
SHARE_POWER_BUYERS = 0.2
MARGIN_SLOPE = 0.018  # margin adjustment per decade of customer size (volume discounts)
POWER_BUYER_MARGIN = -0.10
POWER_BUYER_SERVICE = 2.5

# headers of the exported files (German, as the client's systems write them)
CUSTOMER_HEADERS = {
    "customer_id": "Kundennr",
    "name": "Firma",
    "industry": "Branche",
    "plz": "PLZ",
    "city": "Ort",
    "region": "Vertriebsregion",
    "sales_rep": "Außendienstmitarbeiter",
    "customer_since": "Kunde seit",
    "employees": "Mitarbeiterzahl",
    "potential": "Potenzial p.a. (EUR)",
    "current_class": "ABC-Klasse",
    "loyalty": "Kundenbindung",
    "strategic_fit": "Strategische Bedeutung",
    "service_effort": "Betreuungsaufwand",
}
TRANSACTION_HEADERS = {
    "order_id": "Belegnr",
    "doc_type": "Belegart",
    "pos": "Pos",
    "date": "Belegdatum",
    "customer_id": "Kundennr",
    "product_group": "Warengruppe",
    "channel": "Vertriebsweg",
    "quantity": "Menge",
    "revenue": "Umsatz netto",
    "margin": "DB I",
}
ACTIVITY_HEADERS = {
    "customer_id": "Kunden-Nr.",
    "date": "Datum",
    "type": "Typ",
    "duration_min": "Dauer (Min.)",
    "employee": "Mitarbeiter",
}
SOFT_CRITERIA = ("loyalty", "strategic_fit", "service_effort")
