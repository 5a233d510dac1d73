"""Transaction lines and activities of one analysis year, and the staff names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from kk_helpers.sample.customers import (
    _Calendar,
    _choice,
    _Customers,
    _flat_reps,
    _sample_days,
)
from kk_helpers.sample.reference import (
    CHANNEL_MARGIN_ADJ,
    CHANNEL_VALUE_FACTOR,
    INDUSTRIES,
    INSIDE_SALES,
    MONTHLY,
    ORDER_ELASTICITY,
    ORDER_RATE,
    P_CREDIT_LINE,
    P_MAIN_CHANNEL,
    PG_AFFINITY,
    PRODUCT_GROUPS,
    QUALITY_STAFF,
    REGIONS,
    REGULAR_LINES_EXTRA,
    SECONDARY_MIX,
    WEBSHOP_DRIFT,
)


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


def _year(
    cust: _Customers, cal: _Calendar, yi: int, factor: float, seed: int, block: int | None = None
) -> _YearData:
    """Order lines, credit notes and activities of one analysis year (of the customers in
    ``cust``; ``block``: the number of a block of customers, see :func:`_year_blocks`)."""
    year = cal.years[yi]
    rng = np.random.default_rng([seed, 2, year] if block is None else [seed, 2, year, block])
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


def _year_blocks(
    cust: _Customers, cal: _Calendar, yi: int, factor: float, seed: int, blocks: int
) -> Iterator[_YearData]:
    """One analysis year in ``blocks`` blocks of consecutive customers (one block: exactly
    :func:`_year`). Customer indices refer to all customers; document numbers go on from
    block to block (invoices and credit notes each), so they stay unique in the year.
    Within a year the lines are sorted by date inside each block only."""
    if blocks <= 1:
        yield _year(cust, cal, yi, factor, seed)
        return
    n = len(cust.ids)
    bounds = np.linspace(0, n, blocks + 1).astype(int)
    last = np.zeros(2, dtype=np.int64)  # last invoice / credit note number so far
    for b, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        yd = _year(_subset(cust, slice(lo, hi)), cal, yi, factor, seed, block=b)
        yd.cust += lo
        yd.act_cust += lo
        yd.doc_num += last[yd.doc_type]
        for kind in (0, 1):
            numbers = yd.doc_num[yd.doc_type == kind]
            last[kind] = max(last[kind], int(numbers.max(initial=0)))
        yield yd
        del yd  # one block in memory at a time


def _subset(cust: _Customers, rows: slice) -> _Customers:
    """The customers ``rows`` (every per-customer array and the master sliced)."""
    parts = {}
    for f in fields(cust):
        value = getattr(cust, f.name)
        parts[f.name] = value.iloc[rows] if isinstance(value, pd.DataFrame) else value[rows]
    return _Customers(**parts)


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
