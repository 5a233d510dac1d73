"""Calendar (business days, German public holidays) and the customer master with its
latent size, growth and service traits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kk_helpers.sample.reference import (
    CALLS,
    CITIES,
    DEMANDING_COMPLAINTS,
    DEMANDING_FACTOR,
    EMAILS,
    INDUSTRIES,
    LEGAL_FORMS,
    LEGAL_WEIGHTS,
    MAIN_CHANNEL_MIX,
    MARGIN_SLOPE,
    MONTH_WEIGHTS,
    ORDER_VALUE_SIGMA,
    P_REGULAR_EDI,
    P_STABLE,
    POWER_BUYER_MARGIN,
    POWER_BUYER_SERVICE,
    PUBLIC_INDUSTRY,
    QUOTES,
    REGIONS,
    REGULAR_MIN_SIZE,
    REGULAR_PERIOD_MIX,
    REGULAR_PERIODS,
    REPS,
    SEMI_PERIOD_MIX,
    SEMI_SIGMA,
    SEMI_SKIP,
    SERVICE_SIGMA,
    SHARE_DEMANDING,
    SHARE_DORMANT,
    SHARE_LOST,
    SHARE_NEW,
    SHARE_POWER_BUYERS,
    SHARE_REGULAR,
    SHARE_SMART,
    SIZE_CAP_Z,
    SIZE_MEDIAN,
    SIZE_SIGMA,
    STABLE_SIGMA,
    STABLE_SKIP,
    SURNAMES,
    VISITS_FIELD,
    VISITS_OTHER,
    WEEKDAY_WEIGHTS,
)


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
