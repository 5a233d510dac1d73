"""Seeded generator of fictional clients (the committed sample and the benchmark client).

``generate_client`` writes a client folder: customers, transactions and activities,
plus a ``client.yml`` when the folder has none yet (``write_config=True`` overwrites
it). The default call reproduces the three data files of ``data/sample/`` byte for byte
(``tests/test_sample.py`` checks this), so the output holds no timestamps, numbers are
formatted with fixed decimals and rows are written in a deterministic order. The
committed ``data/sample/client.yml`` is maintained by hand (later stages add sections);
the test only checks that its ``files``, ``analysis`` and ``cost_rates`` sections equal
the generated ones, so formats and mappings cannot drift from the data.

The fictional client is "Muster Industriebedarf GmbH", a mid-size German distributor of
industrial supplies (C-parts, tools, safety equipment) near Stuttgart:

* customer sizes are lognormal: a few large accounts carry most of the revenue, and
  some 60 % of the customers are small (C/D), with well under 10 % of the revenue;
* new customers (first purchase in a later analysis year), lost customers (no purchase
  in the last year), a few dormant master records without any purchase, and a group of
  small but fast-growing, profitable customers (future "smart accounts");
* regular call-off customers (Kanban / EDI replenishment, mostly large ones) ordering
  weekly, fortnightly or monthly with stable values (X or Y in the XYZ analysis), while
  the others order in lumps (Z);
* order lines with contribution margin I by product group, credit notes (~2 % of the
  lines), sales channels that drift towards the webshop, seasonality and German
  public holidays;
* sales and service activities by habit rather than by value: ~9,000 field visits a
  year, a third of them at small customers (< 10 % of the revenue), demanding customers
  with many calls and complaints, lost customers still visited for a while, and "power
  buyers" (large accounts with low prices and high service demands). With the cost
  rates of ``client.yml`` the whale curve peaks at some 170 %: the unprofitable tail,
  mostly small customers, gives back a large part of the profit.

Run ``python -m kk_helpers.sample data/sample`` to regenerate the sample data (an
existing ``client.yml`` is kept unless ``--write-config`` is given), or
``python -m kk_helpers.sample --large`` for the benchmark client (100,000 customers,
~10 million lines, Parquet, written year by year to bound memory).

All generation is vectorised numpy; the only Python loops run over years.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kk_helpers.core.config import CONFIG_FILENAME

DEFAULT_SEED = 4711
DEFAULT_YEARS = (2023, 2024, 2025)
CLIENT_NAME = "Muster Industriebedarf GmbH"
SAMPLE_CUSTOMERS = 2500
LINES_PER_CUSTOMER = 42  # default line target: n_customers * this (~105k for the sample)
LARGE_CUSTOMERS = 100_000
LARGE_LINES = 10_000_000
REPO_ROOT = Path(__file__).resolve().parents[1]
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


# --- calendar -----------------------------------------------------------------------
def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m + 114) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _holidays(year: int) -> list[dt.date]:
    """Days without business in Baden-Württemberg (public holidays, 24 and 31 Dec)."""
    e = _easter(year)
    fixed = [(1, 1), (1, 6), (5, 1), (10, 3), (11, 1), (12, 24), (12, 25), (12, 26), (12, 31)]
    movable = [-2, 1, 39, 50, 60]  # Good Friday, Easter Monday, Ascension, Whit Monday, Corpus C.
    return [dt.date(year, m, d) for m, d in fixed] + [e + dt.timedelta(days=k) for k in movable]


@dataclass
class _Calendar:
    """Business days of the analysis years with seasonal weights."""

    years: tuple[int, ...]
    days: list[np.ndarray]  # per year: datetime64[D] business days
    cumw: list[np.ndarray]  # per year: cumulative weights, length n_days + 1, from 0
    offset: np.ndarray  # per year: index of its first business day in the whole period

    @property
    def n_days(self) -> int:
        return int(self.offset[-1] + len(self.days[-1]))


def _calendar(years: tuple[int, ...]) -> _Calendar:
    days, cumw, offset, n = [], [], [], 0
    for y in years:
        all_days = np.arange(f"{y}-01-01", f"{y + 1}-01-01", dtype="datetime64[D]")
        bd = all_days[np.is_busday(all_days, holidays=_holidays(y))]
        month = bd.astype("datetime64[M]").astype(np.int64) % 12
        weekday = (bd.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        w = MONTH_WEIGHTS[month] * WEEKDAY_WEIGHTS[weekday]
        days.append(bd)
        cumw.append(np.concatenate([[0.0], np.cumsum(w)]))
        offset.append(n)
        n += len(bd)
    return _Calendar(tuple(years), days, cumw, np.array(offset, dtype=np.int64))


def _sample_days(
    rng: np.random.Generator, cumw: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Business-day index in [lo, hi) of each row, following the seasonal weights."""
    a, b = cumw[lo], cumw[hi]
    u = a + rng.random(len(lo)) * (b - a)
    day = np.searchsorted(cumw, u, side="right") - 1
    return np.clip(day, lo, hi - 1)


# --- customers ------------------------------------------------------------------------
@dataclass
class _Customers:
    """Latent and master-data arrays of all customers (index = position)."""

    ids: np.ndarray  # str, 6 digits with leading zeros
    industry: np.ndarray  # int index into INDUSTRIES
    city: np.ndarray  # int index into CITIES
    region: np.ndarray  # int index into REGIONS
    rep: np.ndarray  # int index into the flat rep list, -1 = none
    rep_default: np.ndarray  # rep doing the visits (own rep or the region's first)
    level: np.ndarray  # (n, years) annual revenue level EUR
    size_class: np.ndarray  # 0 large, 1 medium, 2 small
    size_rank: np.ndarray  # 0..1, percentile of the latent size
    smart: np.ndarray  # bool
    is_new: np.ndarray  # bool
    start_year: np.ndarray  # year index of the first active year
    start: np.ndarray  # first active business day (whole-period index)
    end: np.ndarray  # exclusive last active business day
    care_end: np.ndarray  # exclusive last day of sales and service activities
    main_channel: np.ndarray  # int index into CHANNEL_VALUES
    margin_adj: np.ndarray  # customer-level margin adjustment (share of revenue)
    activity_rates: np.ndarray  # (n, 4) visits, calls, e-mails, quotes per full year
    complaint_rate: np.ndarray  # complaints per full year (besides those per order)
    period: np.ndarray  # regular orders every `period` business days, 0 = irregular
    phase: np.ndarray  # business day (in each year) of the first regular order
    value_sigma: np.ndarray  # spread (lognormal sigma) of the order values
    skip: np.ndarray  # share of the scheduled call-offs that a regular customer skips
    master: pd.DataFrame  # customer master as strings/typed values (see _master)


def _flat_reps() -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """All field reps, and per region the first and the number of its reps."""
    reps: list[tuple[str, str]] = []
    first, count = [], []
    for r in REGIONS:
        first.append(len(reps))
        count.append(len(REPS[r]))
        reps.extend(REPS[r])
    return reps, np.array(first), np.array(count)


def _choice(
    rng: np.random.Generator, weights: np.ndarray | tuple[float, ...], n: int
) -> np.ndarray:
    """Vectorised categorical draw (inverse CDF)."""
    w = np.asarray(weights, dtype=float)
    cum = np.cumsum(w / w.sum())
    return np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(w) - 1)


def _choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(probs))
    return np.minimum((u[:, None] >= cum[:, :-1]).sum(axis=1), probs.shape[1] - 1)


def _make_customers(n: int, cal: _Calendar, seed: int) -> _Customers:
    """Draw all customers: size, dynamics, channel, master data."""
    rng = np.random.default_rng([seed, 1])
    n_years = len(cal.years)
    ids = np.char.zfill(
        np.sort(rng.choice(np.arange(1000, max(100_000, 10 * n)), n, replace=False)).astype(str),
        6,
    )

    industry = _choice(rng, [x[1] for x in INDUSTRIES], n)
    city = _choice(rng, [x[3] for x in CITIES], n)
    region = np.array([REGIONS.index(x[2]) for x in CITIES])[city]
    reps, rep_first, rep_count = _flat_reps()
    rep_default = rep_first[region] + np.floor(rng.random(n) * rep_count[region]).astype(int)

    # status: dormant (no purchase at all), new, lost, smart, established
    u = rng.random(n)
    dormant = u < SHARE_DORMANT
    is_new = (u >= SHARE_DORMANT) & (u < SHARE_DORMANT + SHARE_NEW)
    rest = ~dormant & ~is_new

    # latent size: lognormal with a soft cap at the top
    z = rng.standard_normal(n)
    z = SIZE_CAP_Z * np.tanh(z / SIZE_CAP_Z)
    shift = np.array([x[2] for x in INDUSTRIES])[industry]
    size = SIZE_MEDIAN * np.exp(shift + SIZE_SIGMA * z)
    size = np.where(is_new, size * 0.55, size)

    u2 = rng.random(n)
    size_pct = pd.Series(size).rank(pct=True).to_numpy()
    p_lost = np.where(size_pct < 0.7, 1.0, 0.35) * SHARE_LOST / 0.8
    lost = rest & (u2 < p_lost)
    smart_pool = rest & ~lost & (size_pct > 0.25) & (size_pct < 0.7)
    smart = smart_pool & (rng.random(n) < SHARE_SMART / 0.45)
    size = np.where(smart, rng.lognormal(np.log(2600), 0.35, n), size)
    size_rank = pd.Series(size).rank(pct=True).to_numpy()
    size_class = np.where(size_rank > 0.95, 0, np.where(size_rank > 0.70, 1, 2))

    # yearly development: own trend + macro + noise; smart accounts grow fast
    growth = np.clip(rng.normal(0.01, 0.11, n), -0.45, 0.5)
    growth = np.where(smart, rng.uniform(0.35, 0.7, n), growth)
    macro = np.array([0.0, -0.03, 0.01, 0.02, 0.02, 0.02][:n_years])
    eps = rng.normal(0.0, 0.14, (n, n_years))
    steps = np.zeros((n, n_years))
    steps[:, 1:] = growth[:, None] + macro[None, 1:]
    level = size[:, None] * np.exp(np.cumsum(steps, axis=1) + eps)

    # active period in whole-period business-day indices
    total_days = cal.n_days
    start = np.zeros(n, dtype=np.int64)
    end = np.full(n, total_days, dtype=np.int64)
    year_len = np.array([len(d) for d in cal.days])
    start_year = np.where(is_new, 1 + np.floor(rng.random(n) * (n_years - 1)).astype(int), 0)
    start_day = cal.offset[start_year] + np.floor(rng.random(n) * year_len[start_year]).astype(int)
    start = np.where(is_new, start_day, start)
    end_year = np.floor(rng.random(n) * (n_years - 1)).astype(int)
    end_day = cal.offset[end_year] + np.floor(rng.random(n) * year_len[end_year]).astype(int) + 1
    end = np.where(lost, end_day, end)
    end = np.where(dormant, 0, end)
    # the rep keeps visiting and calling a lost customer for a while (win-back attempts)
    care_end = np.where(lost, np.minimum(end + rng.integers(40, 160, n), total_days), end)

    # channels
    mix_row = np.where(smart, 3, size_class)
    main_channel = _choice_rows(rng, MAIN_CHANNEL_MIX[mix_row])
    regular = ~smart & (size >= REGULAR_MIN_SIZE) & (rng.random(n) < SHARE_REGULAR[size_class])
    stable = rng.random(n) < P_STABLE[size_class]
    mix = np.where(stable[:, None], REGULAR_PERIOD_MIX[size_class], SEMI_PERIOD_MIX)
    period = np.where(regular, REGULAR_PERIODS[_choice_rows(rng, mix)], 0)
    phase = np.floor(rng.random(n) * np.clip(period, 1, 15)).astype(np.int64)
    # field rep in charge (visits by habit), also for the call-off customers ordering by EDI
    field = main_channel == 0
    edi = regular & (rng.random(n) < P_REGULAR_EDI[size_class])
    main_channel = np.where(edi, 3, main_channel)

    margin_adj = np.clip(-MARGIN_SLOPE * (np.log10(size) - np.log10(5000.0)), -0.08, 0.04)
    margin_adj = margin_adj + np.where(smart, 0.04, 0.0)
    power = ~smart & (size_class <= 1) & (rng.random(n) < SHARE_POWER_BUYERS)
    margin_adj = margin_adj + np.where(power, POWER_BUYER_MARGIN, 0.0)
    reg_sigma = np.where(stable, rng.uniform(*STABLE_SIGMA, n), rng.uniform(*SEMI_SIGMA, n))
    value_sigma = np.where(regular, reg_sigma, ORDER_VALUE_SIGMA)
    reg_skip = np.where(stable, rng.uniform(*STABLE_SKIP, n), rng.uniform(*SEMI_SKIP, n))
    skip = np.where(regular, reg_skip, 0.0)

    # activity rates per full year: visits, calls, e-mails, quotes
    visits = np.where(field, VISITS_FIELD[size_class], VISITS_OTHER[size_class])
    calls = CALLS[size_class] + np.where(main_channel == 1, 2.0, 0.0)
    emails = EMAILS[size_class] + np.where(main_channel == 2, 1.0, 0.0)
    quotes = QUOTES[size_class]
    demanding = rng.random(n) < SHARE_DEMANDING
    intensity = rng.lognormal(-0.5 * SERVICE_SIGMA**2, SERVICE_SIGMA, n)
    intensity = intensity * np.where(demanding, DEMANDING_FACTOR, 1.0)
    intensity = intensity * np.where(power, POWER_BUYER_SERVICE, 1.0)
    rates = np.stack([visits, calls, emails, quotes], axis=1) * intensity[:, None]
    rates[smart] = [0.3, 2.0, 3.0, 1.0]
    complaint_rate = np.where(demanding & ~smart, DEMANDING_COMPLAINTS, 0.03)

    # --- master data --------------------------------------------------------------
    rep = np.where(rng.random(n) < 0.04, -1, rep_default)
    rep_names = np.array([f"{f} {s}" for f, s in reps] + [""])
    ref_level = level.max(axis=1)
    # customer since: established customers years before the period, new ones at start
    period_start = cal.days[0][0]
    tenure_days = (30 + rng.exponential(3300.0, n) * np.exp(0.25 * z)).astype(np.int64)
    tenure_days = np.minimum(tenure_days, 45 * 365)
    since = period_start - tenure_days.astype("timedelta64[D]")
    first_day = np.concatenate(cal.days)[np.minimum(start, total_days - 1)]
    since_new = first_day - np.floor(rng.random(n) * 45).astype("timedelta64[D]")
    since = np.where(is_new, since_new, since)
    since = np.busday_offset(since, 0, roll="backward")

    employees = np.maximum(
        1, np.rint(np.exp(0.55 * np.log(ref_level / 1000.0) + 1.6 + rng.normal(0, 0.6, n)))
    )
    employees = np.where(industry == PUBLIC_INDUSTRY, employees * 4, employees)
    employees = np.where(rng.random(n) < 0.06, np.nan, employees)

    # potential: an estimate of the rep, filled for ~60 %, round numbers
    sow_a = np.array([6.0, 4.0, 2.0])[size_class]
    sow_b = np.array([4.0, 5.0, 5.0])[size_class]
    sow = rng.beta(np.where(smart, 1.5, sow_a), np.where(smart, 9.0, sow_b))
    pot = ref_level / np.maximum(sow, 0.03)
    step = np.where(
        pot < 10_000, 500.0, np.where(pot < 100_000, 1000.0, np.where(pot < 1e6, 5000.0, 50_000.0))
    )
    pot = np.maximum(500.0, np.rint(pot / step) * step)
    p_pot = np.where(smart, 0.9, np.where(dormant, 0.3, 0.42 + 0.36 * size_rank))
    pot = np.where(rng.random(n) < p_pot, pot, np.nan)

    # the client's own ABC class: absolute limits on last year's level, with errors
    prev = level[:, max(0, n_years - 2)]
    own = np.where(prev >= 30_000, 0, np.where(prev >= 8_000, 1, 2))
    noise = rng.random(n)
    own = np.clip(own + np.where(noise < 0.06, -1, np.where(noise > 0.94, 1, 0)), 0, 2)
    own_class = np.array(["A", "B", "C"])[own]
    own_class = np.where(is_new & (start_year == n_years - 1), "", own_class)

    # soft criteria 1-5, rated for some customers (more often for larger ones)
    rated = rng.random(n) < 0.12 + 0.7 * size_rank**2
    tenure_years = tenure_days / 365.0
    loyalty = 1.6 + 0.12 * np.minimum(tenure_years, 20) + 0.4 * field + 0.5 * smart
    loyalty = loyalty + rng.normal(0, 0.8, n)
    strategic = 1.4 + 2.6 * size_rank + 1.2 * smart + rng.normal(0, 0.7, n)
    effort = 2.1 + 0.9 * field - 0.7 * np.isin(main_channel, [2, 3]) + rng.normal(0, 0.8, n)
    effort = effort + 1.0 * demanding + 0.6 * np.log(intensity)
    effort_rated = rated & (rng.random(n) < 0.8)

    def _score(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.where(mask, np.clip(np.rint(x), 1, 5), np.nan)

    names = _company_names(rng, industry, city)
    master = pd.DataFrame(
        {
            "customer_id": ids,
            "name": names,
            "industry": np.array([x[0] for x in INDUSTRIES])[industry],
            "plz": np.char.add(
                np.array([x[1] for x in CITIES])[city],
                np.char.zfill(rng.integers(0, 1000, n).astype(str), 3),
            ),
            "city": np.array([x[0] for x in CITIES])[city],
            "region": np.array(REGIONS)[region],
            "sales_rep": rep_names[rep],
            "customer_since": since,
            "employees": employees,
            "potential": pot,
            "current_class": own_class,
            "loyalty": _score(loyalty, rated),
            "strategic_fit": _score(strategic, rated),
            "service_effort": _score(effort, effort_rated),
        }
    )
    return _Customers(
        ids=ids,
        industry=industry,
        city=city,
        region=region,
        rep=rep,
        rep_default=rep_default,
        level=level,
        size_class=size_class,
        size_rank=size_rank,
        smart=smart,
        is_new=is_new,
        start_year=start_year,
        start=start,
        end=end,
        care_end=care_end,
        main_channel=main_channel,
        margin_adj=margin_adj,
        activity_rates=rates,
        complaint_rate=complaint_rate,
        period=period,
        phase=phase,
        value_sigma=value_sigma,
        skip=skip,
        master=master,
    )


def _company_names(rng: np.random.Generator, industry: np.ndarray, city: np.ndarray) -> np.ndarray:
    """German company names such as "Kübler Metallbau GmbH" (duplicates are possible)."""
    n = len(industry)
    words = np.array([x[3] for x in INDUSTRIES])  # (n_industries, 3)
    word = words[industry, rng.integers(0, 3, n)]
    sur = np.array(SURNAMES)
    s1 = sur[rng.integers(0, len(sur), n)]
    s2 = sur[rng.integers(0, len(sur), n)]
    legal = np.array(LEGAL_FORMS)[_choice(rng, LEGAL_WEIGHTS, n)]
    town = np.array([x[0].split(" ")[0] for x in CITIES])[city]
    w, a, b, lg, t = (pd.Series(x) for x in (word, s1, s2, legal, town))
    style = _choice(rng, (0.45, 0.2, 0.2, 0.15), n)
    out = np.select(
        [style == 0, style == 1, style == 2],
        [a + " " + w + " " + lg, w + " " + a + " " + lg, a + " & " + b + " " + lg],
        default=w + " " + t + " " + lg,
    )
    public = industry == PUBLIC_INDUSTRY
    return np.where(public, (w + " " + t).to_numpy(), out)


# --- transactions and activities per year -----------------------------------------------
@dataclass
class _YearData:
    """Arrays of one year's lines (sorted as written) and activities."""

    year: int
    days: np.ndarray  # datetime64[D] business days of the year
    cust: np.ndarray
    day: np.ndarray
    doc_type: np.ndarray  # 0 invoice, 1 credit note
    doc_num: np.ndarray
    pos: np.ndarray
    pg: np.ndarray
    channel: np.ndarray
    qty: np.ndarray  # int64
    revenue_c: np.ndarray  # int64 cents
    margin_c: np.ndarray  # int64 cents
    act_cust: np.ndarray
    act_day: np.ndarray
    act_type: np.ndarray
    act_dur10: np.ndarray  # duration in tenths of a minute, -1 = missing
    act_staff: np.ndarray  # index into the staff name list


def _active_range(
    cust: _Customers, cal: _Calendar, yi: int, end: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per customer the active day range [lo, hi) inside year ``yi`` and its weight share.

    ``end`` overrides the customers' end (exclusive whole-period business day).
    """
    w = cal.cumw[yi]
    nd = len(w) - 1
    lo = np.clip(cust.start - cal.offset[yi], 0, nd)
    hi = np.clip((cust.end if end is None else end) - cal.offset[yi], 0, nd)
    hi = np.maximum(hi, lo)
    return lo, hi, (w[hi] - w[lo]) / w[-1]


def _order_rate(level: np.ndarray) -> np.ndarray:
    """Orders per full year by revenue level (small customers: many small orders)."""
    return ORDER_RATE * (np.maximum(level, 50.0) / 800.0) ** ORDER_ELASTICITY


def _lines_per_order_extra(level: np.ndarray) -> np.ndarray:
    """Mean number of lines per order minus one."""
    return np.clip(0.6 + 0.45 * np.log10(np.maximum(level, 50.0) / 800.0), 0.15, 3.5)


def _regular_lines_extra(level: np.ndarray) -> np.ndarray:
    """Mean number of lines per regular call-off minus one (small replenishment orders)."""
    return np.minimum(_lines_per_order_extra(level), REGULAR_LINES_EXTRA)


def _regular_schedule(
    cust: _Customers, cal: _Calendar, yi: int, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scheduled call-offs of the regular customers in a year: (customer, day) per order.

    Weekly and fortnightly customers order every ``period`` business days from ``phase``
    on; monthly ones on the ``phase``-th business day of each month.
    """
    n_days = len(cal.days[yi])
    per = np.maximum(cust.period, 1)
    first = lo + cust.phase
    cyclic = (cust.period > 0) & (cust.period != MONTHLY)
    n_reg = np.where(cyclic & (hi > first), -(-(hi - first) // per), 0)
    rc = np.repeat(np.arange(len(per)), n_reg)
    k = np.arange(len(rc)) - np.repeat(np.cumsum(n_reg) - n_reg, n_reg)
    c_day = first[rc] + k * per[rc]
    months = cal.days[yi].astype("datetime64[M]")
    month_start = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    month_end = np.r_[month_start[1:], n_days]
    mc = np.repeat(np.flatnonzero(cust.period == MONTHLY), len(month_start))
    m = np.tile(np.arange(len(month_start)), len(mc) // max(len(month_start), 1))
    m_day = np.minimum(month_start[m] + cust.phase[mc], month_end[m] - 1)
    ok = (m_day >= lo[mc]) & (m_day < hi[mc])
    rc, day = np.concatenate([rc, mc[ok]]), np.concatenate([c_day, m_day[ok]])
    order = np.argsort(rc, kind="stable")
    return rc[order], day[order]


def _line_factor(cust: _Customers, cal: _Calendar, lines_target: int) -> float:
    """Factor on the order rate so that the expected number of lines hits the target.

    Regular call-offs follow their schedule; only the other orders are scaled.
    """
    irregular = cust.period == 0
    expected, fixed = 0.0, 0.0
    for yi in range(len(cal.years)):
        lo, hi, frac = _active_range(cust, cal, yi)
        lvl = cust.level[:, yi]
        per_line = _order_rate(lvl) * frac * (1 + _lines_per_order_extra(lvl))
        expected += float(np.sum(per_line[irregular]))
        rc, _ = _regular_schedule(cust, cal, yi, lo, hi)
        fixed += float(np.sum((1 + _regular_lines_extra(lvl[rc])) * (1 - cust.skip[rc])))
    return max(lines_target / (1 + P_CREDIT_LINE) - fixed, 0.1 * expected) / expected


def _pg_cum(industry: np.ndarray) -> np.ndarray:
    """Cumulative product-group probabilities per industry, (n_industries, n_groups)."""
    base = np.array([x[1] for x in PRODUCT_GROUPS])
    m = np.tile(base, (len(INDUSTRIES), 1))
    for ind, aff in PG_AFFINITY.items():
        for g, f in aff.items():
            m[ind, g] *= f
    return np.cumsum(m / m.sum(axis=1, keepdims=True), axis=1)


def _year(cust: _Customers, cal: _Calendar, yi: int, factor: float, seed: int) -> _YearData:
    """Order lines, credit notes and activities of one analysis year."""
    year = cal.years[yi]
    rng = np.random.default_rng([seed, 2, year])
    n = len(cust.ids)
    cumw = cal.cumw[yi]
    lo, hi, frac = _active_range(cust, cal, yi)
    lvl = cust.level[:, yi]

    # orders per customer: scheduled call-offs of the regular customers, Poisson otherwise
    regular = cust.period > 0
    rc, r_day = _regular_schedule(cust, cal, yi, lo, hi)
    keep = rng.random(len(rc)) >= cust.skip[rc]
    shift = np.where(rng.random(len(rc)) < 0.3, rng.integers(-1, 2, len(rc)), 0)
    rc, r_day = rc[keep], np.clip(r_day + shift, lo[rc], hi[rc] - 1)[keep]
    n_reg = np.bincount(rc, minlength=n)
    n_poisson = rng.poisson(np.where(regular, 0.0, factor * _order_rate(lvl) * frac))
    first = cust.is_new & (cust.start_year == yi) & (hi > lo)
    n_poisson = np.where(first & (n_poisson + n_reg == 0), 1, n_poisson)
    n_orders = n_poisson + n_reg
    mean_value = lvl / (factor * _order_rate(lvl))
    per_year = np.where(cust.period == MONTHLY, 12.0, (len(cumw) - 1) / np.maximum(cust.period, 1))
    reg_per_year = per_year * (1 - cust.skip)
    reg_value = lvl / reg_per_year
    pc = np.repeat(np.arange(n), n_poisson)
    oc = np.concatenate([pc, rc])
    o_day = np.concatenate([_sample_days(rng, cumw, lo[pc], hi[pc]), r_day])
    o_reg = np.concatenate([np.zeros(len(pc), bool), np.ones(len(rc), bool)])
    n_o = len(oc)
    use_main = rng.random(n_o) < np.where(o_reg, 0.95, P_MAIN_CHANNEL)
    mix = SECONDARY_MIX.copy()
    mix[2] += WEBSHOP_DRIFT * yi
    o_channel = np.where(use_main, cust.main_channel[oc], _choice(rng, mix, n_o))
    sigma = cust.value_sigma[oc]
    spread = np.exp(sigma * rng.standard_normal(n_o) - 0.5 * sigma**2)
    o_value = (
        np.where(o_reg, reg_value[oc], mean_value[oc]) * spread * CHANNEL_VALUE_FACTOR[o_channel]
    )
    extra = np.where(o_reg, _regular_lines_extra(lvl)[oc], _lines_per_order_extra(lvl)[oc])
    o_lines = 1 + rng.poisson(extra)
    order_rank = np.lexsort((rng.random(n_o), o_day))
    o_num = np.empty(n_o, dtype=np.int64)
    o_num[order_rank] = np.arange(1, n_o + 1)

    # lines
    lo_idx = np.repeat(np.arange(n_o), o_lines)
    n_l = len(lo_idx)
    lc = oc[lo_idx]
    w = rng.gamma(1.3, size=n_l)
    wsum = np.bincount(lo_idx, weights=w, minlength=n_o)
    rev_c = np.maximum(100, np.rint(o_value[lo_idx] * w / wsum[lo_idx] * 100)).astype(np.int64)
    cum = _pg_cum(cust.industry)[cust.industry[lc]]
    pg = np.minimum((rng.random(n_l)[:, None] >= cum[:, :-1]).sum(axis=1), len(PRODUCT_GROUPS) - 1)
    del cum
    base_margin = np.array([x[2] for x in PRODUCT_GROUPS])
    pct = (
        base_margin[pg]
        + cust.margin_adj[lc]
        + np.where(o_value[lo_idx] < 250, 0.03, 0.0)
        + CHANNEL_MARGIN_ADJ[o_channel[lo_idx]]
        + rng.normal(0, 0.05, n_l)
    )
    margin_c = np.rint(rev_c * np.clip(pct, 0.01, 0.62)).astype(np.int64)
    unit_price = np.array([x[3] for x in PRODUCT_GROUPS])[pg] * rng.lognormal(0, 0.5, n_l)
    qty = np.maximum(1, np.rint(rev_c / 100 / unit_price)).astype(np.int64)
    starts = np.cumsum(o_lines) - o_lines
    pos = np.arange(n_l) - starts[lo_idx] + 1

    # credit notes: (partial) returns of single lines, a few days after the invoice
    sel = np.flatnonzero(rng.random(n_l) < P_CREDIT_LINE)
    orig_order = lo_idx[sel]
    docs, inv = np.unique(orig_order, return_inverse=True)
    n_docs = len(docs)
    doc_day = np.minimum(o_day[docs] + rng.integers(3, 40, n_docs), len(cumw) - 2)
    doc_rank = np.lexsort((rng.random(n_docs), doc_day))
    doc_num = np.empty(n_docs, dtype=np.int64)
    doc_num[doc_rank] = np.arange(1, n_docs + 1)
    first_of_doc = np.searchsorted(inv, np.arange(n_docs))
    f = np.where(rng.random(len(sel)) < 0.6, 1.0, rng.uniform(0.1, 0.9, len(sel)))
    cr_rev = -np.rint(rev_c[sel] * f).astype(np.int64)
    cr_margin = -np.rint(margin_c[sel] * f).astype(np.int64)
    cr_qty = -np.maximum(1, np.rint(qty[sel] * f)).astype(np.int64)

    cust_all = np.concatenate([lc, oc[orig_order]])
    day_all = np.concatenate([o_day[lo_idx], doc_day[inv]])
    type_all = np.concatenate([np.zeros(n_l, np.int8), np.ones(len(sel), np.int8)])
    num_all = np.concatenate([o_num[lo_idx], doc_num[inv]])
    pos_all = np.concatenate([pos, np.arange(len(sel)) - first_of_doc[inv] + 1])
    order = np.lexsort((pos_all, num_all, type_all, day_all))

    # activities: visits, calls, e-mails, quotes by rate; complaints by orders
    a_lo, a_hi, a_frac = _active_range(cust, cal, yi, cust.care_end)
    counts = rng.poisson(cust.activity_rates * a_frac[:, None])
    complaints = rng.poisson(0.02 * n_orders + cust.complaint_rate * frac)
    counts = np.concatenate([counts, complaints[:, None]], axis=1)
    flat = counts.ravel()
    a_cust = np.repeat(np.arange(n * 5) // 5, flat)
    a_type = np.repeat(np.arange(n * 5) % 5, flat)
    n_a = len(a_cust)
    a_day = _sample_days(rng, cumw, a_lo[a_cust], a_hi[a_cust])
    # durations (minutes): visits on site plus travel (from the route planner), calls
    # from the phone system, none for e-mails
    travel = 5 * np.maximum(2, np.rint(rng.lognormal(np.log(65.0), 0.45, n_a) / 5))
    dur = np.select(
        [a_type == 0, a_type == 1, a_type == 3, a_type == 4],
        [
            15 * np.maximum(2, np.rint(rng.gamma(3.0, 1.6, n_a))) + travel,
            np.maximum(0.5, np.round(rng.lognormal(np.log(6.0), 0.7, n_a), 1)),
            np.maximum(10, np.rint(rng.lognormal(np.log(40.0), 0.5, n_a))),
            np.maximum(15, np.rint(rng.lognormal(np.log(60.0), 0.6, n_a))),
        ],
        default=-0.1,
    )
    p_logged = np.array([0.7, 0.92, 0.0, 0.5, 0.6])[a_type]
    dur10 = np.where(rng.random(n_a) < p_logged, np.rint(dur * 10), -1).astype(np.int64)
    inside = np.array([_staff_index(INSIDE_SALES[r]) for r in REGIONS])[cust.region[a_cust]]
    quality = _staff_index(QUALITY_STAFF[0]) + rng.integers(0, len(QUALITY_STAFF), n_a)
    staff = np.select(
        [a_type == 0, a_type == 4], [cust.rep_default[a_cust], quality], default=inside
    )
    a_order = np.lexsort((a_type, a_cust, a_day))

    return _YearData(
        year=year,
        days=cal.days[yi],
        cust=cust_all[order],
        day=day_all[order],
        doc_type=type_all[order],
        doc_num=num_all[order],
        pos=pos_all[order],
        pg=np.concatenate([pg, pg[sel]])[order],
        channel=np.concatenate([o_channel[lo_idx], o_channel[orig_order]])[order],
        qty=np.concatenate([qty, cr_qty])[order],
        revenue_c=np.concatenate([rev_c, cr_rev])[order],
        margin_c=np.concatenate([margin_c, cr_margin])[order],
        act_cust=a_cust[a_order],
        act_day=a_day[a_order],
        act_type=a_type[a_order],
        act_dur10=dur10[a_order],
        act_staff=staff[a_order],
    )


def _staff_extra() -> list[tuple[str, str]]:
    """Inside-sales and quality staff, after the field reps in the staff list."""
    extra: list[tuple[str, str]] = []
    for p in [*INSIDE_SALES.values(), *QUALITY_STAFF]:
        if p not in extra:
            extra.append(p)
    return extra


def _staff_names() -> list[tuple[str, str]]:
    """All staff (first, last): field reps, then inside sales and quality."""
    return _flat_reps()[0] + _staff_extra()


def _staff_index(person: tuple[str, str]) -> int:
    return _staff_names().index(person)


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


# --- config ---------------------------------------------------------------------------------
def _yaml_map(mapping: dict[str, str], indent: int) -> str:
    pad = " " * indent
    return "\n".join(f'{pad}{k}: "{v}"' for k, v in mapping.items())


def config_yaml(
    fmt: Format, years: tuple[int, ...], n_customers: int, seed: int, large: bool
) -> str:
    """The commented ``client.yml`` of a generated client (the worked example of docs/config.md)."""
    ext = "csv" if fmt == "csv" else "parquet"
    cust_cols = {k: v for k, v in CUSTOMER_HEADERS.items() if k not in ("plz", "city")}
    tx_cols = {k: v for k, v in TRANSACTION_HEADERS.items() if k not in ("doc_type", "pos")}
    act_cols = {k: v for k, v in ACTIVITY_HEADERS.items() if k != "employee"}
    regen = (
        "python -m kk_helpers.sample --large"
        if large
        else f"python -m kk_helpers.sample OUT_DIR --customers {n_customers} --format {fmt}"
    )
    if not large and fmt == "csv" and n_customers == SAMPLE_CUSTOMERS and seed == DEFAULT_SEED:
        regen = "python -m kk_helpers.sample data/sample"
    if fmt == "csv":
        cust_fmt = """\
    # Customer master as saved by Excel on Windows: cp1252, ";" and decimal comma,
    # the potential with a thousands separator ("25.000,00"), dates as DD.MM.YYYY.
    path: customers.csv
    encoding: cp1252
    delimiter: ";"
    decimal: ","
    thousands: "."
    date_format: "%d.%m.%Y"
"""
        tx_fmt = """\
    # Order lines from the ERP: UTF-8 with BOM, ";" and decimal comma, DD.MM.YYYY.
    # "Belegart" (RE = invoice, GS = credit note) and "Pos" (line number) are not
    # needed: unmapped columns are ignored. Credit notes have negative revenue and
    # margin and their own document number (G...).
    path: transactions.csv
    encoding: utf-8-sig
    delimiter: ";"
    decimal: ","
    date_format: "%d.%m.%Y"
"""
        act_fmt = """\
    # Activity export from the CRM: UTF-8, "," and decimal point, ISO dates. Employee
    # names ("Maier, Thomas") contain commas and are therefore quoted.
    # An empty duration means "not logged": the standard minutes of cost_rates apply.
    path: activities.csv
    encoding: utf-8
    delimiter: ","
    decimal: "."
    date_format: "%Y-%m-%d"
"""
    else:
        cust_fmt = f"""\
    # Typed Parquet export: ids as strings, dates as date32, numbers as float64.
    path: customers.{ext}
"""
        tx_fmt = f"""\
    # Typed Parquet export (written year by year in row groups).
    path: transactions.{ext}
"""
        act_fmt = f"""\
    # Typed Parquet export; "Datum" is a timestamp.
    path: activities.{ext}
"""
    note = ""
    if regen == "python -m kk_helpers.sample data/sample":
        note = (
            "\n# Do not edit the data files by hand: tests/test_sample.py checks that the"
            "\n# generator reproduces them byte for byte."
        )
    channel_map = dict(zip(CHANNEL_VALUES, CHANNEL_CANONICAL, strict=True))
    type_map = dict(zip(ACTIVITY_VALUES, ACTIVITY_CANONICAL, strict=True))
    name = CLIENT_NAME if not large else f"{CLIENT_NAME} (benchmark)"
    cid = "muster" if not large else "muster-large"
    return f"""\
# client.yml: configuration of one client folder (worked example; see docs/config.md).
#
# "{CLIENT_NAME}" is a FICTIONAL mid-size distributor of industrial supplies
# (C-parts, tools, safety equipment) near Stuttgart. All data in this folder were
# generated with `{regen}` (seed {seed}).{note}

client:
  name: "{name}"  # shown in report titles
  id: {cid}  # report folder name (default: the folder name)
  currency: EUR  # ISO code used in all money labels
  language: de  # default report language: de | en

analysis:
  years: [{", ".join(str(y) for y in years)}]  # ascending, contiguous; the last is the current one
  reference_date: {years[-1]}-12-31  # "today": later dates are rejected as future dates

# One entry per table. `columns` maps canonical name -> column header in the client's
# file; `values` maps the client's values of a column to canonical ones.
files:
  customers:
{cust_fmt}    columns:
{_yaml_map(cust_cols, 6)}

  transactions:
{tx_fmt}    columns:
{_yaml_map(tx_cols, 6)}
    values:
      channel:                          # "Vertriebsweg" -> canonical sales channel
{_yaml_map(channel_map, 8)}

  activities:
{act_fmt}    columns:
{_yaml_map(act_cols, 6)}
    values:
      type:                             # "Typ" -> canonical activity type
{_yaml_map(type_map, 8)}

# Soft criteria (scores 1-5 in the customer master, rated by the sales reps for part
# of the customers; empty = not rated). Names must match files.customers.columns.
soft_criteria: [{", ".join(SOFT_CRITERIA)}]  # service_effort: 5 = very high effort

# Cost rates for cost-to-serve (time-driven: minutes x hourly rate of the role,
# the hourly rate being the capacity cost rate = cost of capacity / practical hours).
cost_rates:
  activities:
    visit: {{minutes: 150, hourly_rate: 95.0}}      # field sales incl. travel
    call: {{minutes: 8, hourly_rate: 55.0}}         # inside sales
    email: {{cost: 6.0}}                            # flat cost per e-mail
    quote: {{minutes: 45, hourly_rate: 60.0}}       # inside sales / technical support
    complaint: {{minutes: 90, hourly_rate: 65.0}}   # quality management + logistics
  order_processing:                     # cost per order by canonical channel (EUR)
    field_sales: 48.0                   # order taken by the rep, keyed in by inside sales
    inside_sales: 28.0                  # phone / e-mail / fax order
    dealer: 12.0                        # via a partner dealer (Fachhandel)
    webshop: 6.5
    edi: 3.5
    default: 25.0                       # any other channel

# Customer classes (Pareto/ABC on total revenue of the analysis years).
classes:
  basis: revenue                        # revenue | margin
  abc_thresholds: [0.80, 0.95]          # cumulative share limits of A and B
  d_min_revenue: 0.0                    # last-year revenue below this -> D
  d_inactive_last_year: true            # no purchase in the last year -> D
  xyz_thresholds: [0.5, 1.0]            # CV of monthly revenue: X below 0.5, Y below 1.0

orders:
  value_thresholds: [100, 250, 500]     # order-value bands for the small-order view (EUR)

validation:
  max_examples: 5                       # example rows named per issue
  max_margin_ratio: 1.0                 # flag lines whose margin exceeds revenue x this
"""


# --- entry points -----------------------------------------------------------------------------
def generate_client(
    out_dir: str | Path,
    n_customers: int = SAMPLE_CUSTOMERS,
    years: tuple[int, ...] = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    fmt: Format = "csv",
    lines: int | None = None,
    large: bool = False,
    write_config: bool = False,
) -> dict[str, Any]:
    """Generate a fictional client folder: customers, transactions, activities (+ ``client.yml``).

    Parameters
    ----------
    out_dir:
        target folder (created; existing data files of the same names are overwritten).
    n_customers:
        customers in the master (2,500 for the sample, 100,000 for the benchmark).
    years:
        analysis years (ascending, contiguous); the reference date is 31 Dec of the last.
    seed:
        random seed; the same arguments always give byte-identical files.
    fmt:
        ``"csv"`` (German export formats, see the generated ``client.yml``) or ``"parquet"``.
    lines:
        approximate number of transaction lines; default ``46 * n_customers``.
    large:
        only changes the comments and client name in ``client.yml``.
    write_config:
        overwrite an existing ``client.yml``. By default it is only written when the
        folder has none, so a hand-maintained config (``data/sample``) is kept.

    Returns
    -------
    dict with ``customers``, ``lines``, ``activities`` (row counts), ``files``
    (name -> path of the files written), ``config_written`` (bool) and ``seconds``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     info = generate_client(d, n_customers=200)
    >>> info["customers"], info["lines"] > 5000
    (200, True)
    """
    t0 = time.perf_counter()
    years = tuple(int(y) for y in years)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cal = _calendar(years)
    cust = _make_customers(n_customers, cal, seed)
    target = lines if lines is not None else LINES_PER_CUSTOMER * n_customers
    factor = _line_factor(cust, cal, target)

    writer = _Writer(out, fmt, cust)
    writer.write_customers()
    try:
        for yi in range(len(years)):
            writer.write_year(_year(cust, cal, yi, factor, seed))
    finally:
        writer.close()
    cfg = out / CONFIG_FILENAME
    config_written = write_config or not cfg.exists()
    if config_written:
        cfg.write_text(
            config_yaml(fmt, years, n_customers, seed, large), encoding="utf-8", newline="\n"
        )
    data = [writer.path("customers"), writer.path("transactions"), writer.path("activities")]
    files = {p.name: p for p in ([cfg] if config_written else []) + data}
    return {
        "customers": n_customers,
        "lines": writer.n_lines,
        "activities": writer.n_activities,
        "files": files,
        "config_written": config_written,
        "seconds": time.perf_counter() - t0,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kk_helpers.sample OUT_DIR [--customers N] [--large] ...``."""
    ap = argparse.ArgumentParser(
        prog="python -m kk_helpers.sample",
        description="Generate a fictional client folder (default: the committed sample).",
    )
    ap.add_argument(
        "out_dir", nargs="?", help="target folder (default with --large: benchmarks/data/large)"
    )
    ap.add_argument(
        "--customers", type=int, help=f"number of customers (default {SAMPLE_CUSTOMERS})"
    )
    ap.add_argument("--lines", type=int, help="approximate number of transaction lines")
    ap.add_argument(
        "--large",
        action="store_true",
        help="benchmark client: 100,000 customers, 10M lines, Parquet",
    )
    ap.add_argument(
        "--format",
        choices=("csv", "parquet"),
        help="file format (default csv; parquet with --large)",
    )
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--years", type=int, nargs="+", default=list(DEFAULT_YEARS))
    ap.add_argument(
        "--write-config",
        action="store_true",
        help=f"overwrite an existing {CONFIG_FILENAME} (default: keep it, write only if missing)",
    )
    args = ap.parse_args(argv)
    if args.out_dir is None and not args.large:
        ap.error("OUT_DIR is required (or use --large)")
    out_dir = Path(args.out_dir) if args.out_dir else LARGE_DIR
    n = args.customers or (LARGE_CUSTOMERS if args.large else SAMPLE_CUSTOMERS)
    lines = args.lines or (LARGE_LINES if args.large and not args.customers else None)
    fmt = args.format or ("parquet" if args.large else "csv")
    info = generate_client(
        out_dir, n, tuple(args.years), args.seed, fmt, lines, args.large, args.write_config
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB on Linux
    print(
        f"{out_dir}: {info['customers']:,} customers, {info['lines']:,} lines, "
        f"{info['activities']:,} activities in {info['seconds']:.1f} s (peak RSS {peak:.2f} GiB)"
    )
    for name, p in info["files"].items():
        print(f"  {name:<22} {p.stat().st_size / 1e6:8.2f} MB")
    if not info["config_written"]:
        print(
            f"  {CONFIG_FILENAME:<22} kept (exists; use --write-config to overwrite it "
            "with the generated one)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
