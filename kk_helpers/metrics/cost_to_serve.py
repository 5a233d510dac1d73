"""Cost-to-serve: activity costs, order-processing costs and the contribution-margin ladder.

Method (docs/method.md, section 5 "Contribution-margin ladder"):

* **Time-driven activity cost.** The cost of one activity row is, by precedence:

  1. the row's own ``cost`` where given (not NaN);
  2. else the row's ``duration_min`` x ``hourly_rate`` / 60 of its type's rate;
  3. else the rate's standard ``minutes`` x ``hourly_rate`` / 60;
  4. else the rate's flat ``cost``;
  5. else 0 — the row is *unpriced*; :func:`unpriced_activity_types` lists the types
     concerned so that the notebook can say so (no rate configured for the type, or
     a rate with only an ``hourly_rate`` and a row without duration).

* **Order-related cost**: order-processing cost per order by the order's channel,
  ``cost_rates.order_processing[channel]``; channels without an entry and orders
  without a channel use the key ``"default"`` (0 when that is missing too).

* **Contribution-margin ladder** (Deckungsbeitragsrechnung):
  CM I = revenue - cost of goods; CM II = CM I - order-related costs;
  CM III = CM II - customer-related sales and service costs (activities);
  cost-to-serve = order-related + customer-related costs.

All amounts are in the client's currency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ActivityRate, CostRates

DEFAULT_CHANNEL_KEY = "default"
ACTIVITY_COST_NAME = "activity_cost"
ORDER_COST_NAME = "order_cost"


def _activity_rates(rates: CostRates | Mapping[str, ActivityRate]) -> Mapping[str, ActivityRate]:
    return rates.activities if isinstance(rates, CostRates) else rates


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Column as float64 numpy array (NA -> NaN); all NaN when the column is absent."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _type_codes(types: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer code per row (-1 = missing) and the distinct type names."""
    if isinstance(types.dtype, pd.CategoricalDtype):
        return types.cat.codes.to_numpy(), [str(c) for c in types.cat.categories]
    codes, uniques = pd.factorize(types, use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def _activity_cost_parts(
    activities: pd.DataFrame, rates: CostRates | Mapping[str, ActivityRate]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Cost per row, priced mask per row, type code per row, type names."""
    rate_map = _activity_rates(rates)
    n = len(activities)
    if C.ACTIVITY_TYPE in activities.columns:
        codes, names = _type_codes(activities[C.ACTIVITY_TYPE])
    else:
        codes, names = np.full(n, -1, dtype=np.int64), []
    # per-type rate lookups; the extra last slot serves code -1 (missing type)
    hourly = np.full(len(names) + 1, np.nan)
    minutes = np.full(len(names) + 1, np.nan)
    flat = np.full(len(names) + 1, np.nan)
    for i, name in enumerate(names):  # a handful of activity types
        rate = rate_map.get(name)
        if rate is None:
            continue
        hourly[i] = np.nan if rate.hourly_rate is None else rate.hourly_rate
        minutes[i] = np.nan if rate.minutes is None else rate.minutes
        flat[i] = np.nan if rate.cost is None else rate.cost
    h = hourly[codes]
    cost = _float_column(activities, C.ACTIVITY_COST)
    cost = np.where(np.isnan(cost), _float_column(activities, C.DURATION_MIN) * h / 60.0, cost)
    cost = np.where(np.isnan(cost), minutes[codes] * h / 60.0, cost)
    cost = np.where(np.isnan(cost), flat[codes], cost)
    priced = ~np.isnan(cost)
    return np.where(priced, cost, 0.0), priced, codes, names


def activity_costs(
    activities: pd.DataFrame, rates: CostRates | Mapping[str, ActivityRate]
) -> pd.Series:
    """Cost of every activity row (currency), time-driven where possible.

    Parameters
    ----------
    activities:
        canonical activities frame: ``type`` (Categorical or str) and optionally
        ``duration_min`` (minutes) and ``cost`` (currency; NaN = not given). May be empty.
    rates:
        ``config.cost_rates`` (:class:`CostRates`) or a mapping
        activity type -> :class:`ActivityRate`.

    Returns
    -------
    float64 Series named ``activity_cost``, aligned to ``activities.index``. Precedence
    per row: own ``cost`` > ``duration_min`` x ``hourly_rate``/60 > rate ``minutes`` x
    ``hourly_rate``/60 > rate flat ``cost`` > 0 (unpriced, see
    :func:`unpriced_activity_types`).

    Example
    -------
    >>> from kk_helpers.core.config import ActivityRate
    >>> acts = pd.DataFrame({"type": ["visit", "visit", "call", "email"],
    ...                      "duration_min": [90.0, None, None, None],
    ...                      "cost": [None, None, 7.5, None]})
    >>> rates = {"visit": ActivityRate(minutes=60, hourly_rate=80),
    ...          "call": ActivityRate(cost=5)}
    >>> activity_costs(acts, rates).tolist()
    [120.0, 80.0, 7.5, 0.0]
    """
    cost, _, _, _ = _activity_cost_parts(activities, rates)
    return pd.Series(cost, index=activities.index, name=ACTIVITY_COST_NAME, dtype=float)


def unpriced_activity_types(
    activities: pd.DataFrame, rates: CostRates | Mapping[str, ActivityRate]
) -> list[str]:
    """Activity types with at least one row that got cost 0 because no rule applied.

    That is: no own ``cost`` on the row and either no rate configured for its type, or
    a rate with only ``hourly_rate`` while the row has no ``duration_min``. Rows
    without a type are reported as ``"<missing>"``. Sorted list of str; empty when
    every row is priced.

    >>> from kk_helpers.core.config import ActivityRate
    >>> acts = pd.DataFrame({"type": ["visit", "event", "call"], "cost": [None, None, 3.0]})
    >>> unpriced_activity_types(acts, {"visit": ActivityRate(cost=50)})
    ['event']
    """
    _, priced, codes, names = _activity_cost_parts(activities, rates)
    return _unpriced_names(codes, priced, names)


def _unpriced_names(codes: np.ndarray, priced: np.ndarray, names: list[str]) -> list[str]:
    """Sorted type names of the unpriced rows (code -1 = ``"<missing>"``)."""
    return sorted(names[c] if c >= 0 else "<missing>" for c in np.unique(codes[~priced]))


def channel_rates(channels: Sequence[object], order_processing: Mapping[str, float]) -> np.ndarray:
    """Order-processing cost per order for each channel name (currency per order).

    Unknown channels and missing values (None/NaN) get ``order_processing["default"]``
    (0 when there is no default).

    >>> channel_rates(["webshop", "edi", None], {"webshop": 2.0, "default": 15.0}).tolist()
    [2.0, 15.0, 15.0]
    """
    default = float(order_processing.get(DEFAULT_CHANNEL_KEY, 0.0))
    out = np.full(len(channels), default)
    for i, ch in enumerate(channels):  # distinct channel names only: a handful
        if isinstance(ch, str) and ch in order_processing:
            out[i] = float(order_processing[ch])
    return out


def order_costs(
    orders: pd.DataFrame | pd.Series, order_processing: CostRates | Mapping[str, float]
) -> pd.Series:
    """Order-processing cost of every order (currency), by the order's channel.

    Parameters
    ----------
    orders:
        one row per order with a ``channel`` column (Categorical or str; NA allowed),
        or a Series of channels. Without a channel column every order costs the default.
    order_processing:
        ``config.cost_rates.order_processing`` (channel -> cost per order, key
        ``"default"`` for all other channels) or the :class:`CostRates` holding it.

    Returns
    -------
    float64 Series named ``order_cost`` aligned to the orders' index.

    Example
    -------
    >>> orders = pd.DataFrame({"channel": ["field_sales", "webshop", None]})
    >>> order_costs(orders, {"field_sales": 40.0, "webshop": 3.0, "default": 20.0}).tolist()
    [40.0, 3.0, 20.0]
    """
    proc = (
        order_processing.order_processing
        if isinstance(order_processing, CostRates)
        else order_processing
    )
    if isinstance(orders, pd.Series):
        channel: pd.Series | None = orders
    else:
        channel = orders[C.CHANNEL] if C.CHANNEL in orders.columns else None
    if channel is None:
        values = _costs_by_channel_code(None, [], proc, len(orders))
    else:
        codes, names = _type_codes(channel)
        values = _costs_by_channel_code(codes, names, proc)
    return pd.Series(values, index=orders.index, name=ORDER_COST_NAME, dtype=float)


def _costs_by_channel_code(
    codes: np.ndarray | None,
    names: Sequence[object],
    order_processing: Mapping[str, float],
    n: int = 0,
) -> np.ndarray:
    """Order-processing cost per row from channel codes into ``names`` (-1 = missing).

    ``codes`` None (no channel data): ``n`` rows, each at the default rate.
    """
    if codes is None:
        return np.full(n, channel_rates([None], order_processing)[0])
    lookup = channel_rates([*names, None], order_processing)  # last slot serves code -1
    return lookup[codes]


def cm_ladder(
    cm1: pd.Series | np.ndarray | float,
    order_cost: pd.Series | np.ndarray | float,
    activity_cost: pd.Series | np.ndarray | float,
) -> pd.DataFrame:
    """Contribution-margin ladder from CM I and the two cost blocks (currency).

    Returns a DataFrame (index of ``cm1`` when it is a Series) with ``cm1``, ``cm2`` =
    cm1 - order_cost, ``cm3`` = cm2 - activity_cost and ``cost_to_serve`` =
    order_cost + activity_cost. NaN in ``cm1`` (no margin data) stays NaN in CM II/III.

    >>> cm_ladder(pd.Series([100.0, float("nan")]), 30.0, pd.Series([50.0, 10.0])).to_dict("list")
    {'cm1': [100.0, nan], 'cm2': [70.0, nan], 'cm3': [20.0, nan], 'cost_to_serve': [80.0, 40.0]}
    """
    index = cm1.index if isinstance(cm1, pd.Series) else None
    a = np.asarray(cm1, dtype=float)
    o = np.asarray(order_cost, dtype=float)
    c = np.asarray(activity_cost, dtype=float)
    cm2 = a - o
    a, cm2, cm3, cts = np.broadcast_arrays(a, cm2, cm2 - c, o + c)
    return pd.DataFrame(
        {
            C.CM1: np.atleast_1d(a),
            C.CM2: np.atleast_1d(cm2),
            C.CM3: np.atleast_1d(cm3),
            C.COST_TO_SERVE: np.atleast_1d(cts),
        },
        index=index,
    )
