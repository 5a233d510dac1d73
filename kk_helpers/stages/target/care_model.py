"""Target care model per priority class, compared with today's care from the data.

The target care model (``target.care_model`` in ``client.yml``, one entry per class A-D)
says who serves the class (key account manager, field sales, inside sales, webshop /
self-service, dealer), how often (field visits and inside-sales calls per customer and
year, management hours), through which channel orders come, and on which conditions.

* :func:`target_care_table` turns it into hours and cost per customer: field hours =
  visits × standard visit minutes / 60, inside-sales hours = calls × call minutes / 60,
  activity cost = visits × visit cost + calls × call cost + management hours × the
  management rate (rates from ``cost_rates``, see :func:`kk_helpers.stages.target.scenarios.rates_from_config`),
  order cost = the processing cost of the order channel.
* :func:`current_care` measures today per class from the last analysis year: visits,
  calls, hours and activity cost per customer, share of orders through personal channels
  (field / inside sales).
* :func:`care_comparison` puts both side by side; :func:`care_capacity` checks the
  hours the target model needs by role against the hours of the service levels of
  notebook 02 ("before", :mod:`kk_helpers.metrics.capacity`) and the capacity of
  ``screening.capacity`` (hours per year), in hours and FTE; :func:`level_comparison`
  counts the customers per service level before and in the target.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ServiceLevelSettings, TargetSettings
from kk_helpers.metrics import capacity as cap
from kk_helpers.metrics.cost_to_serve import channel_rates
from kk_helpers.stages.target.scenarios import Rates, ScenarioInputs

#: Capacity roles the care model uses (hours per year in ``screening.capacity``).
ROLES: tuple[str, ...] = cap.ROLES


def target_care_table(
    target: TargetSettings, rates: Rates, order_processing: Mapping[str, float]
) -> pd.DataFrame:
    """The configured target care model with hours and cost per customer and year.

    Args:
        target: ``config.target`` (its ``care_model``).
        rates: unit rates (:func:`kk_helpers.stages.target.scenarios.rates_from_config`).
        order_processing: ``config.cost_rates.order_processing`` (channel -> cost/order).

    Returns:
        DataFrame indexed by class: ``served_by``, ``service_level``, ``visits``,
        ``calls``, ``management_hours``, ``field_hours``, ``inside_hours``,
        ``hours`` (all three), ``activity_cost`` (currency per customer and year),
        ``order_channel``, ``order_cost`` (per order), ``conditions``.

    >>> from kk_helpers.core.config import TargetSettings
    >>> tb = target_care_table(TargetSettings(), Rates(visit_minutes=120, visit_cost=200,
    ...     call_minutes=6, call_cost=5, management_rate=100), {"default": 10, "webshop": 2})
    >>> tb.loc["B", ["field_hours", "inside_hours", "activity_cost", "order_cost"]].tolist()
    [4.0, 0.6, 430.0, 10.0]
    """
    rows = {}
    for cls, e in target.care_model.items():
        field = e.visits * rates.visit_minutes / 60.0
        inside = e.calls * rates.call_minutes / 60.0
        rows[cls] = {
            "served_by": e.served_by,
            "service_level": e.service_level,
            "visits": float(e.visits),
            "calls": float(e.calls),
            "management_hours": float(e.management_hours),
            "field_hours": field,
            "inside_hours": inside,
            "hours": field + inside + e.management_hours,
            "activity_cost": e.visits * rates.visit_cost
            + e.calls * rates.call_cost
            + e.management_hours * rates.management_rate,
            "order_channel": e.order_channel,
            "order_cost": float(channel_rates([e.order_channel], order_processing)[0]),
            "conditions": e.conditions,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = C.CLASS
    return out


def current_care(inputs: ScenarioInputs) -> pd.DataFrame:
    """Today's care per class (last analysis year), per customer and year.

    Returns:
        DataFrame indexed by class: ``customers``, ``visits``, ``calls``,
        ``field_hours``, ``inside_hours``, ``activity_cost``, ``order_cost`` (per
        order), ``orders`` (per customer), ``personal_order_share`` (0-1, orders through
        field or inside sales). Without activity data the activity figures are NaN (not
        measurable, not zero); without a sales channel the personal order share is NaN.
    """
    b = inputs.base
    codes = inputs.class_codes
    k = len(inputs.class_labels)
    n = np.bincount(codes, minlength=k).astype("float64")

    def per_customer(col: str) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.bincount(codes, weights=b[col].to_numpy(), minlength=k) / n

    o = inputs.orders
    o_codes = codes[o["pos"].to_numpy()]
    n_orders = np.bincount(o_codes, minlength=k).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        personal = np.bincount(o_codes, weights=o["personal"].to_numpy(float), minlength=k)
        cost = np.bincount(o_codes, weights=o["cost"].to_numpy(), minlength=k)
        out = pd.DataFrame(
            {
                "customers": n.astype("int64"),
                "visits": per_customer("visits"),
                "calls": per_customer("calls"),
                "field_hours": per_customer("field_hours"),
                "inside_hours": per_customer("inside_hours"),
                "activity_cost": per_customer("activity_cost"),
                "order_cost": np.where(n_orders > 0, cost / n_orders, np.nan),
                "orders": n_orders / n,
                "personal_order_share": np.where(n_orders > 0, personal / n_orders, np.nan),
            },
            index=pd.Index(inputs.class_labels, name=C.CLASS),
        )
    if not inputs.has("activities"):
        out[["visits", "calls", "field_hours", "inside_hours", "activity_cost"]] = np.nan
    if not inputs.has("channel"):
        out["personal_order_share"] = np.nan
    return out


def care_comparison(current: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
    """Today vs. target per class: visits, calls, hours and activity cost per customer.

    Returns:
        DataFrame indexed by class (classes of either table) with ``customers``,
        ``served_by``, ``visits_today``, ``visits_target``, ``calls_today``,
        ``calls_target``, ``hours_today``, ``hours_target`` (field + inside sales +
        management), ``cost_today``, ``cost_target`` (activity cost per customer),
        ``personal_order_share`` (today) and ``order_channel`` (target).

    >>> cur = pd.DataFrame({"customers": [10], "visits": [3.0], "calls": [2.0], "field_hours": [6.0],
    ...     "inside_hours": [0.5], "activity_cost": [500.0], "personal_order_share": [0.8]},
    ...     index=pd.Index(["C"], name="class"))
    >>> tgt = pd.DataFrame({"served_by": ["inside_sales"], "visits": [0.0], "calls": [4.0],
    ...     "hours": [1.0], "activity_cost": [40.0], "order_channel": ["webshop"]},
    ...     index=pd.Index(["C"], name="class"))
    >>> care_comparison(cur, tgt).loc["C", ["hours_today", "hours_target", "cost_target"]].tolist()
    [6.5, 1.0, 40.0]
    """
    idx = [c for c in C.CLASSES if c in current.index or c in target.index]
    idx += [c for c in [*current.index, *target.index] if c not in idx]
    cur = current.reindex(idx)
    tgt = target.reindex(idx)
    out = pd.DataFrame(
        {
            "customers": cur["customers"].fillna(0).astype("int64"),
            "served_by": tgt["served_by"],
            "visits_today": cur["visits"],
            "visits_target": tgt["visits"],
            "calls_today": cur["calls"],
            "calls_target": tgt["calls"],
            "hours_today": cur["field_hours"] + cur["inside_hours"],
            "hours_target": tgt["hours"],
            "cost_today": cur["activity_cost"],
            "cost_target": tgt["activity_cost"],
            "personal_order_share": cur["personal_order_share"],
            "order_channel": tgt["order_channel"],
        },
        index=pd.Index(idx, name=C.CLASS),
    )
    return out


def care_capacity(
    current: pd.DataFrame,
    target: pd.DataFrame,
    *,
    levels: pd.Series,
    service_levels: ServiceLevelSettings,
    capacity: Mapping[str, float],
    hours_per_fte: float,
) -> pd.DataFrame:
    """Hours and FTE by role: before (the service levels of notebook 02) vs. target.

    The one capacity model of :mod:`kk_helpers.metrics.capacity`: "before" is the load of
    the service levels (``levels`` from ``screening.parquet`` × the nested time budgets of
    ``screening.service_levels``, the figures of notebook 02's capacity check), "target"
    the load of the target care model; the hours measured in the activity data are
    shown for information.

    Args:
        current: :func:`current_care` (``customers``, ``field_hours``, ``inside_hours``
            per customer and class).
        target: :func:`target_care_table`.
        levels: service level per customer (``screening.parquet``).
        service_levels: ``config.screening.service_levels`` (time budgets).
        capacity: available hours per year by role (``screening.capacity``).
        hours_per_fte: productive hours per FTE and year.

    Returns:
        :func:`kk_helpers.metrics.capacity.capacity_by_role` (``fte_freed`` = before −
        target; positive = freed).

    >>> from kk_helpers.core.config import ServiceLevelSettings
    >>> cur = pd.DataFrame({"customers": [2], "field_hours": [6.0], "inside_hours": [1.0]},
    ...                    index=pd.Index(["C"], name="class"))
    >>> tgt = pd.DataFrame({"field_hours": [0.0], "inside_hours": [2.0], "management_hours": [0.0]},
    ...                    index=pd.Index(["C"], name="class"))
    >>> cap = care_capacity(cur, tgt, levels=pd.Series(["sales", "sales"]),
    ...     service_levels=ServiceLevelSettings(), capacity={"field_sales": 12}, hours_per_fte=2)
    >>> cap.loc["field_sales", ["hours_measured", "hours_before", "hours_target", "fte_freed"]].tolist()
    [12.0, 6.0, 0.0, 3.0]
    """
    n = current["customers"].astype("float64")
    measured = pd.Series(
        {
            "field_sales": float((n * current["field_hours"]).sum(min_count=1)),
            "inside_sales": float((n * current["inside_hours"]).sum(min_count=1)),
            "management": float("nan"),
        }
    )
    return cap.capacity_by_role(
        cap.role_hours_by_levels(levels, service_levels),
        cap.role_hours_by_care_model(n, target),
        capacity=capacity,
        hours_per_fte=hours_per_fte,
        measured=measured,
    )


def level_comparison(levels: pd.Series, classes: pd.Series, target: pd.DataFrame) -> pd.DataFrame:
    """Customers per service level: before (notebook 02) vs. the target care model.

    Args:
        levels: service level per customer (``screening.parquet``).
        classes: priority class per customer (same index).
        target: :func:`target_care_table` (``service_level`` per class; classes
            without an entry count as ``service``).

    Returns:
        DataFrame indexed by ``service_level`` (strategic, sales, service):
        ``customers_before``, ``customers_target``.

    >>> tgt = pd.DataFrame({"service_level": ["strategic", "sales"]}, index=["A", "B"])
    >>> level_comparison(pd.Series(["strategic", "strategic", "service"]),
    ...                  pd.Series(["A", "B", "D"]), tgt).to_dict("list")
    {'customers_before': [2, 0, 1], 'customers_target': [1, 1, 1]}
    """
    mapped = classes.astype("str").map(target["service_level"].astype("str")).fillna("service")
    return pd.DataFrame(
        {
            "customers_before": cap.level_counts(levels),
            "customers_target": cap.level_counts(mapped),
        }
    )
