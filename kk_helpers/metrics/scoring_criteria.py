"""Screening criteria: the catalog (:data:`HARD_CRITERIA`, soft criteria from the config),
which criteria have data, the potential estimate and the raw criterion values per
customer. The method is described in :mod:`kk_helpers.metrics.scoring`, which
re-exports these names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import (
    ClientConfig,
    CriterionSettings,
    PotentialSettings,
    ScreeningSettings,
)

Direction = Literal["higher", "lower"]
Normalization = Literal["percentile", "minmax", "zscore"]
NORMALIZATIONS: tuple[str, ...] = ("percentile", "minmax", "zscore")
MISSING_POLICIES: tuple[str, ...] = ("reweight", "neutral")

# output columns of estimate_potential / criteria_values
POTENTIAL_ESTIMATED = "potential_estimated"
POTENTIAL_BASIS = "potential_basis"  # given | industry_size | industry | all | none
SHARE_OF_WALLET = "share_of_wallet"
SCORE = "score"
N_MISSING = "n_missing"
MISSING_CRITERIA = "missing_criteria"
NORM_PREFIX = "s_"  # normalised criterion columns: s_<criterion>


@dataclass(frozen=True)
class Criterion:
    """One screening criterion of the catalog.

    ``unit`` says how to show raw values: money, share (0-1), number, days, rating (1-5).
    """

    name: str
    kind: Literal["hard", "soft"]
    direction: Direction
    unit: Literal["money", "share", "number", "days", "rating"]
    default_weight: float


#: Hard criteria computed from the customer table (money in the client's currency):
#:
#: * ``revenue_last_year``: net revenue in the last analysis year.
#: * ``revenue_avg``: average net revenue per analysis year.
#: * ``margin``: average contribution margin I per analysis year.
#: * ``margin_pct``: CM I / revenue over the analysis period (NaN where revenue <= 0).
#: * ``trend``: 3-year revenue trend (CAGR, else relative slope; customer table).
#: * ``potential``: annual purchase volume (given, or estimated from peers).
#: * ``share_of_wallet``: last-year revenue / potential (NaN without potential).
#: * ``order_frequency``: orders per analysis year.
#: * ``avg_order_value``: revenue per order (NaN without orders).
#: * ``product_breadth``: number of product groups bought.
#: * ``recency``: days from the last purchase to the reference date (never bought:
#:   the whole analysis period plus one day); less is better.
#: * ``cm3``: contribution margin III per analysis year (after cost-to-serve).
#: * ``activity_effort`` (soft, from the activities): activity cost / revenue over
#:   the period (infinite when there is cost but no revenue); less is better.
HARD_CRITERIA: dict[str, Criterion] = {
    c.name: c
    for c in (
        Criterion("revenue_last_year", "hard", "higher", "money", 20.0),
        Criterion("revenue_avg", "hard", "higher", "money", 0.0),
        Criterion("margin", "hard", "higher", "money", 15.0),
        Criterion("margin_pct", "hard", "higher", "share", 10.0),
        Criterion("trend", "hard", "higher", "share", 15.0),
        Criterion("potential", "hard", "higher", "money", 10.0),
        Criterion("share_of_wallet", "hard", "higher", "share", 0.0),
        Criterion("order_frequency", "hard", "higher", "number", 5.0),
        Criterion("avg_order_value", "hard", "higher", "money", 5.0),
        Criterion("product_breadth", "hard", "higher", "number", 5.0),
        Criterion("recency", "hard", "lower", "days", 0.0),
        Criterion("cm3", "hard", "higher", "money", 0.0),
        Criterion("activity_effort", "soft", "lower", "share", 5.0),
    )
}
#: The data each criterion needs; a criterion without any value is left out of the
#: scoring and the note names what is missing (translation ``screen.source.<source>``).
#: Soft criteria (not listed) need their rating column in the customer file (``soft``).
CRITERION_SOURCE: dict[str, str] = {
    "revenue_last_year": "revenue",
    "revenue_avg": "revenue",
    "margin": "margin",
    "margin_pct": "margin",
    "trend": "trend",
    "potential": "potential",
    "share_of_wallet": "potential",
    "order_frequency": "orders",
    "avg_order_value": "orders",
    "product_breadth": "product_group",
    "recency": "revenue",
    "cm3": "margin",
    "activity_effort": "activities",
}
#: Potential bases that carry information of their own (an estimate from all customers
#: alone is only a function of the customer's revenue: no potential data).
POTENTIAL_INFORMATIVE = ("given", "industry_size", "industry")
#: Soft (1-5) criteria whose good direction is "lower" unless the config says otherwise.
SOFT_LOWER_IS_BETTER = frozenset({"service_effort"})
#: Default weight of each configured soft criterion.
SOFT_DEFAULT_WEIGHT = 5.0


def criteria_catalog(config: ClientConfig) -> dict[str, Criterion]:
    """All criteria available for a client: the hard catalog plus its soft criteria.

    >>> from kk_helpers.core.config import parse_config
    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2025]},
    ...     "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}},
    ...     "soft_criteria": ["loyalty"]})
    >>> criteria_catalog(cfg)["loyalty"].kind
    'soft'
    """
    out = dict(HARD_CRITERIA)
    for name in config.soft_criteria:
        direction: Direction = "lower" if name in SOFT_LOWER_IS_BETTER else "higher"
        out[name] = Criterion(name, "soft", direction, "rating", SOFT_DEFAULT_WEIGHT)
    return out


def criteria_table(config: ClientConfig, settings: ScreeningSettings | None = None) -> pd.DataFrame:
    """The criteria in use: catalog defaults overridden by ``screening.criteria``.

    Args:
        config: the client config (soft criteria, screening settings).
        settings: screening settings to use instead of ``config.screening``.

    Returns:
        DataFrame indexed by ``criterion`` with ``kind`` (hard/soft), ``direction``,
        ``normalization``, ``unit``, ``weight`` (as configured) and ``weight_share``
        (weight / sum of weights, 0-1). With ``screening.criteria`` set, exactly the
        criteria listed there are used (with their weights); otherwise every catalog
        criterion with its default weight. Unknown names raise ``ValueError``.

    >>> from kk_helpers.core.config import parse_config
    >>> cfg = parse_config({"client": {"name": "X"}, "analysis": {"years": [2025]},
    ...     "files": {"customers": {"path": "c"}, "transactions": {"path": "t"}},
    ...     "screening": {"criteria": {"revenue_last_year": {"weight": 3},
    ...                                "recency": {"weight": 1}}}})
    >>> criteria_table(cfg)[["direction", "weight_share"]].to_dict("list")
    {'direction': ['higher', 'lower'], 'weight_share': [0.75, 0.25]}
    """
    s = settings or config.screening
    catalog = criteria_catalog(config)
    chosen: Mapping[str, CriterionSettings]
    if s.criteria is None:
        chosen = {n: CriterionSettings(weight=c.default_weight) for n, c in catalog.items()}
    else:
        unknown = sorted(set(s.criteria) - set(catalog))
        if unknown:
            raise ValueError(
                f"screening.criteria: unknown criterion {unknown}; choose from {sorted(catalog)} "
                "(soft criteria must be listed in soft_criteria)"
            )
        chosen = s.criteria
    rows = []
    for name, cs in chosen.items():
        c = catalog[name]
        rows.append(
            {
                "criterion": name,
                "kind": c.kind,
                "direction": cs.direction or c.direction,
                "normalization": cs.normalization or s.normalization,
                "unit": c.unit,
                "weight": float(cs.weight),
            }
        )
    table = pd.DataFrame(rows).set_index("criterion")
    total = table["weight"].sum()
    table["weight_share"] = table["weight"] / total if total > 0 else 0.0
    return table


def criterion_source(name: str) -> str:
    """The data a criterion needs (:data:`CRITERION_SOURCE`; soft criteria: ``soft``).

    >>> criterion_source("margin_pct"), criterion_source("loyalty")
    ('margin', 'soft')
    """
    return CRITERION_SOURCE.get(name, "soft")


#: Fallback criterion when none of the weighted criteria has data.
FALLBACK_CRITERION = "revenue_last_year"


@dataclass(frozen=True)
class AvailableCriteria:
    """Outcome of :func:`available_criteria`.

    ``used``: the criteria with data (rows of :func:`criteria_table`), ``weight_share``
    re-normalised over them; ``dropped``: the criteria without any value, with their
    configured ``weight`` and ``weight_share`` and the missing ``source``
    (:data:`CRITERION_SOURCE`); ``fallback``: the criterion used alone when none of
    the weighted criteria has data (else None).
    """

    used: pd.DataFrame
    dropped: pd.DataFrame
    fallback: str | None = None


def available_criteria(
    criteria: pd.DataFrame, values: pd.DataFrame, normalization: str = "percentile"
) -> AvailableCriteria:
    """Leave out the criteria that no customer has a value for; re-normalise the weights.

    Args:
        criteria: rows of :func:`criteria_table` (index = criterion).
        values: raw criterion values (:func:`criteria_values`); a criterion is available
            when its column exists and holds at least one value (NaN = missing).
        normalization: normalisation of the fallback criterion.

    Returns:
        :class:`AvailableCriteria`. When no weighted criterion remains, last-year revenue
        is scored alone (weight 1; ``fallback`` names it) so that classes still follow
        a score, never the table order.

    >>> crit = pd.DataFrame({"kind": ["hard", "hard"], "direction": ["higher", "higher"],
    ...     "normalization": ["percentile"] * 2, "unit": ["money", "money"],
    ...     "weight": [3.0, 1.0], "weight_share": [0.75, 0.25]}, index=["margin", "trend"])
    >>> av = available_criteria(crit, pd.DataFrame({"margin": [np.nan], "trend": [0.1]}))
    >>> av.used["weight_share"].tolist(), av.dropped.index.tolist(), av.dropped["source"].tolist()
    ([1.0], ['margin'], ['margin'])
    """
    has = [bool(c in values.columns and values[c].notna().any()) for c in criteria.index]
    mask = np.asarray(has, dtype=bool)
    used = criteria.loc[mask].copy()
    dropped = criteria.loc[~mask].copy()
    dropped["source"] = [criterion_source(str(c)) for c in dropped.index]
    fallback = None
    if not (used["weight"] > 0).any():
        c = HARD_CRITERIA[FALLBACK_CRITERION]
        row = {
            "kind": c.kind,
            "direction": c.direction,
            "normalization": normalization,
            "unit": c.unit,
            "weight": 1.0,
        }
        if FALLBACK_CRITERION in used.index:
            used.loc[FALLBACK_CRITERION, "weight"] = 1.0
        else:
            add = pd.DataFrame([row], index=pd.Index([FALLBACK_CRITERION], name=used.index.name))
            used = pd.concat([used, add.reindex(columns=used.columns)]) if len(used) else add
        fallback = FALLBACK_CRITERION
    total = used["weight"].sum()
    used["weight_share"] = used["weight"] / total if total > 0 else 0.0
    return AvailableCriteria(used=used, dropped=dropped, fallback=fallback)


# --- potential ---------------------------------------------------------------------


def size_band(employees: pd.Series, limits: list[float] | tuple[float, ...]) -> pd.Series:
    """Size band label per customer from the employee count: ``"<10"``, ``"10-49"``, …,
    ``">=250"``; ``"unknown"`` where the count is missing.

    >>> size_band(pd.Series([3.0, 10.0, None, 400.0]), [10, 50, 250]).tolist()
    ['<10', '10-49', 'unknown', '>=250']
    """
    x = pd.to_numeric(employees, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lims = [float(v) for v in limits]
    labels = [f"<{lims[0]:g}"] + [f"{a:g}-{b - 1:g}" for a, b in zip(lims, lims[1:], strict=False)]
    labels.append(f">={lims[-1]:g}")
    idx = np.searchsorted(np.asarray(lims), x, side="right")
    out = np.asarray(labels, dtype=object)[np.minimum(idx, len(labels) - 1)]
    out[np.isnan(x)] = "unknown"
    return pd.Series(out, index=employees.index, name=C.SIZE_BAND, dtype="str")


def estimate_potential(
    customer_table: pd.DataFrame, last_year: int, settings: PotentialSettings | None = None
) -> pd.DataFrame:
    """Potential per customer: as given, else estimated from peers and flagged.

    Peers are the customers of the same industry and size band (employees) with
    last-year revenue > 0; the estimate is the ``quantile`` (default 0.75) of their
    last-year revenue, and at least the customer's own last-year revenue. A group with
    fewer than ``min_peers`` peers (or a customer without employee count) falls back to
    the industry (only for customers whose industry is known), then to all customers.
    Negative potentials count as missing.

    Args:
        customer_table: ``revenue_<last_year>``; optional ``potential``, ``industry``,
            ``employees`` (currency / count).
        last_year: the year whose revenue is used.
        settings: estimate on/off, quantile, size bands, min peers.

    Returns:
        DataFrame with the table's index: ``potential`` (currency per year),
        ``potential_estimated`` (bool) and ``potential_basis`` (given / industry_size /
        industry / all / none).

    >>> ct = pd.DataFrame({"revenue_2025": [10.0, 20.0, 30.0, 5.0],
    ...                    "potential": [100.0, None, None, None],
    ...                    "industry": ["a", "a", "a", "b"]})
    >>> p = estimate_potential(ct, 2025, PotentialSettings(quantile=0.5, min_peers=2))
    >>> p["potential"].tolist(), p["potential_basis"].tolist()
    ([100.0, 20.0, 30.0, 15.0], ['given', 'industry', 'industry', 'all'])
    """
    s = settings or PotentialSettings()
    n = len(customer_table)
    rev = pd.to_numeric(customer_table[C.year_col("revenue", last_year)], errors="coerce").fillna(
        0.0
    )
    rev = rev.to_numpy(dtype="float64")
    if C.POTENTIAL in customer_table.columns:
        given = pd.to_numeric(customer_table[C.POTENTIAL], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        given = np.where(given < 0, np.nan, given)
    else:
        given = np.full(n, np.nan)
    potential = given.copy()
    basis = np.where(np.isnan(given), "none", "given").astype(object)
    todo = np.isnan(potential)
    if s.estimate and todo.any():
        if C.INDUSTRY in customer_table.columns:
            ind_known = customer_table[C.INDUSTRY].notna().to_numpy()
            ind = customer_table[C.INDUSTRY].astype("str").fillna("unknown").to_numpy()
        else:
            ind_known = np.zeros(n, dtype=bool)
            ind = np.full(n, "all", dtype=object)
        band = (
            size_band(customer_table[C.EMPLOYEES], s.size_bands).to_numpy()
            if C.EMPLOYEES in customer_table.columns
            else np.full(n, "unknown", dtype=object)
        )
        buyer = rev > 0
        frame = pd.DataFrame({"ind": ind, "band": band, "rev": np.where(buyer, rev, np.nan)})
        levels = (("industry_size", ["ind", "band"]), ("industry", ["ind"]), ("all", None))
        for name, keys in levels:
            if not todo.any():
                break
            if keys is None:
                q = (
                    float(np.nanquantile(frame["rev"], s.quantile))
                    if buyer.sum() >= s.min_peers
                    else np.nan
                )
                est = np.full(n, q)
            else:
                g = frame.groupby(keys, sort=False, dropna=False)["rev"]
                cnt = g.transform("count").to_numpy(dtype="float64")
                est = g.transform(lambda x: x.quantile(s.quantile)).to_numpy(dtype="float64")
                est = np.where(cnt >= s.min_peers, est, np.nan)
                if name == "industry_size":  # no size known: not a size peer group
                    est = np.where(band == "unknown", np.nan, est)
                else:  # no industry known: not an industry peer group
                    est = np.where(ind_known, est, np.nan)
            use = todo & ~np.isnan(est)
            potential[use] = np.maximum(est[use], rev[use])
            basis[use] = name
            todo &= ~use
    return pd.DataFrame(
        {
            C.POTENTIAL: potential,
            POTENTIAL_ESTIMATED: ~np.isin(basis, ["given", "none"]),
            POTENTIAL_BASIS: pd.array(basis, dtype="str"),
        },
        index=customer_table.index,
    )


# --- criterion values -----------------------------------------------------------------


def _col(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def criteria_values(customer_table: pd.DataFrame, config: ClientConfig) -> pd.DataFrame:
    """Raw value of every catalog criterion per customer (definitions: :data:`HARD_CRITERIA`).

    Args:
        customer_table: output of ``build_customer_table`` (customer id as column or index).
        config: analysis years, reference date, soft criteria, potential settings.

    Returns:
        DataFrame indexed by ``customer_id``: one column per criterion of
        :func:`criteria_catalog` (raw units), plus ``potential_estimated`` and
        ``potential_basis``. Missing values are NaN (never 0). The input is not changed.
        Without an activities file (``files.activities``) the ``activity_effort`` is
        missing for everyone; so are ``potential`` and ``share_of_wallet`` when no
        customer has a given potential and no industry / size peer group gives an
        estimate (basis ``none``).
    """
    from kk_helpers.metrics.classes import index_by_customer

    ct = index_by_customer(customer_table)
    years = config.analysis.years
    n_years = len(years)
    last = config.last_year
    pot = estimate_potential(ct, last, config.screening.potential)
    if not pot[POTENTIAL_BASIS].isin(POTENTIAL_INFORMATIVE).any():
        pot = pot.assign(
            **{
                C.POTENTIAL: np.nan,
                POTENTIAL_ESTIMATED: False,
                POTENTIAL_BASIS: pd.array(np.full(len(pot), "none"), dtype="str"),
            }
        )
    rev_last = np.nan_to_num(_col(ct, C.year_col("revenue", last)))
    rev_total = np.nan_to_num(_col(ct, C.REVENUE_TOTAL))
    potential = pot[C.POTENTIAL].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        sow = np.where(potential > 0, rev_last / potential, np.nan)
        act_cost = np.nan_to_num(_col(ct, C.ACTIVITY_COST_TOTAL))
        effort = np.where(rev_total > 0, act_cost / rev_total, np.where(act_cost > 0, np.inf, 0.0))
    if config.files.activities is None or C.ACTIVITY_COST_TOTAL not in ct.columns:
        effort = np.full(len(ct), np.nan)  # no activities: unknown, not zero effort
    ref = config.analysis.reference_date
    ref_ts = pd.Timestamp(ref) if ref is not None else pd.Timestamp(f"{last}-12-31")
    period_days = float((ref_ts - pd.Timestamp(f"{years[0]}-01-01")).days + 1)
    if C.LAST_PURCHASE in ct.columns:
        lp = pd.to_datetime(ct[C.LAST_PURCHASE])
        recency = ((ref_ts - lp).dt.days).to_numpy(dtype="float64", na_value=np.nan)
        recency = np.where(np.isnan(recency), period_days, np.maximum(recency, 0.0))
    else:
        recency = np.full(len(ct), np.nan)
    values: dict[str, np.ndarray] = {
        "revenue_last_year": rev_last,
        "revenue_avg": rev_total / n_years,
        "margin": _col(ct, C.MARGIN_TOTAL) / n_years,
        "margin_pct": _col(ct, C.CM1_PCT),
        "trend": _col(ct, C.TREND),
        "potential": potential,
        "share_of_wallet": sow,
        "order_frequency": np.nan_to_num(_col(ct, C.ORDERS_TOTAL)) / n_years,
        "avg_order_value": _col(ct, C.AVG_ORDER_VALUE),
        "product_breadth": _col(ct, C.PRODUCT_GROUPS_N),
        "recency": recency,
        "cm3": _col(ct, C.CM3) / n_years,
        "activity_effort": effort,
    }
    for name in config.soft_criteria:
        values[name] = _col(ct, name)
    out = pd.DataFrame(values, index=ct.index)
    out[POTENTIAL_ESTIMATED] = pot[POTENTIAL_ESTIMATED].to_numpy()
    out[POTENTIAL_BASIS] = pot[POTENTIAL_BASIS].to_numpy()
    return out
