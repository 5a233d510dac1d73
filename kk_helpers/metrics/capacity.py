"""Service levels and care capacity: ONE assignment, ONE capacity model (language-free).

Used by notebook 02 (capacity check of the service levels) and notebook 04 (target care
model), so that both show the same numbers (docs/method.md, section 10 "Service levels and capacity"):

* **service levels** strategic ⊃ sales ⊃ service (:func:`assign_service_levels`): by
  shares of customers (the guideline 20/70/10 %, best scores first) or from the
  priority class (``by_class``), as ``screening.service_levels`` says. This is the one
  assignment: notebook 02 stores it in ``screening.parquet`` (``service_level``) and
  notebook 04 reads it from there.
* **time budgets** (:func:`level_hours`): hours per customer and year by role, nested
  (a strategic customer costs service + sales + strategic hours).
* **capacity model** (:func:`role_hours_by_levels`, :func:`role_hours_by_care_model`,
  :func:`capacity_by_role`): hours needed by role (field_sales, inside_sales,
  management, ...) against the available hours (``screening.capacity``);
  FTE = hours / hours_per_fte.

**Sign convention (stated once):** ``fte_freed`` = FTE before − FTE target, so a
positive number is capacity freed and a negative one capacity needed in addition.
"Before" is the load of today's customers under the service levels of notebook 02;
"target" is the load of the target care model of notebook 04. The net FTE freed
(:func:`net_fte_freed`) is the sum of ``fte_freed`` over the roles.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kk_helpers.core.config import ServiceLevelSettings
from kk_helpers.metrics.concentration import share_basis

SERVICE_LEVEL = "service_level"
#: Service levels, best first (strategic includes sales and service care).
LEVELS: tuple[str, ...] = ("strategic", "sales", "service")
#: Roles of the capacity model (other roles of the config come after these).
ROLES: tuple[str, ...] = ("field_sales", "inside_sales", "management")


# --- ranking and the service-level assignment ------------------------------------------------


def rank_order(score: pd.Series) -> np.ndarray:
    """Positions of ``score`` from best to worst (NaN last, ties keep the table order).

    >>> rank_order(pd.Series([1.0, None, 3.0])).tolist()
    [2, 0, 1]
    """
    x = score.to_numpy(dtype="float64", na_value=np.nan)
    key = np.where(np.isnan(x), np.inf, -x)
    # = np.argsort(key, kind="stable"): a quicker unstable sort, then the (few) runs of
    # equal keys put back in table order
    order = np.argsort(key)
    v = key[order]
    same = v[1:] == v[:-1]
    if same.any():
        inside = np.zeros(len(key), dtype=bool)  # positions inside runs of equal keys
        inside[:-1] = same
        inside[1:] |= same
        at = np.flatnonzero(inside)
        run = np.cumsum(np.concatenate([[True], ~same]))[at]
        order[at] = order[at][np.lexsort((order[at], run))]
    return order


def classes_by_shares(
    score: pd.Series, shares: Mapping[str, float], order: np.ndarray | None = None
) -> pd.Series:
    """Labels by rank: the best ``shares[first]`` of customers get the first label, etc.

    Args:
        score: score per customer (NaN = no score: ranked last; equal scores keep
            the table order).
        shares: label -> share of customers (0-1), in order best to worst; sum 1.
        order: :func:`rank_order` of ``score`` when already computed (saves a sort).

    Returns:
        Series of labels (str) with the index of ``score``. Boundaries are the rounded
        cumulative shares × n, so class sizes match the shares up to rounding.

    >>> s = pd.Series(range(10), index=[f"k{i}" for i in range(10)], dtype=float)
    >>> "".join(classes_by_shares(s, {"A": 0.2, "B": 0.3, "C": 0.5}).tolist())
    'CCCCCBBBAA'
    """
    labels = list(shares)
    pos = rank_order(score) if order is None else order
    codes = share_codes([float(shares[k]) for k in labels], pos)
    return pd.Series(np.asarray(labels, dtype=object)[codes], index=score.index, dtype="str")


def share_codes(shares: list[float], order: np.ndarray) -> np.ndarray:
    """Group number per customer for :func:`classes_by_shares` (THE rule, language-free).

    Args:
        shares: share of customers (0-1) per group, best group first; sum 1.
        order: positions of the customers from best to worst (:func:`rank_order`).

    Returns:
        int64 array with one group number (0 = first group) per customer (position).
        Boundaries are the rounded cumulative shares × n (the last one is n).

    >>> share_codes([0.2, 0.4, 0.4], np.array([3, 2, 1, 0, 4])).tolist()
    [2, 1, 1, 0, 2]
    """
    n = len(order)
    bounds = np.rint(np.cumsum(shares) * n).astype("int64")
    bounds[-1] = n
    by_rank = np.searchsorted(bounds, np.arange(n), side="right").clip(0, len(shares) - 1)
    out = np.empty(n, dtype="int64")
    out[order] = by_rank
    return out


def assign_service_levels(
    score: pd.Series,
    classes: pd.Series,
    settings: ServiceLevelSettings,
    *,
    order: np.ndarray | None = None,
) -> pd.Series:
    """Service level per customer: strategic, sales or service (THE assignment).

    Args:
        score: score per customer (method ``shares``: best ``shares['strategic']``
            strategic, the next ``shares['sales']`` sales, the rest service).
        classes: priority class per customer (method ``classes``: ``by_class`` map;
            classes not in the map get ``service``).
        settings: ``config.screening.service_levels``.
        order: :func:`rank_order` of ``score`` when already computed (saves a sort).

    Returns:
        Series ``service_level`` (str) with the index of ``score``.

    >>> lv = assign_service_levels(pd.Series([float(i) for i in range(10)]),
    ...                            pd.Series(["A"] * 10), ServiceLevelSettings())
    >>> level_counts(lv).to_dict()
    {'strategic': 2, 'sales': 7, 'service': 1}
    """
    if settings.method == "shares":
        out = classes_by_shares(score, {k: settings.shares[k] for k in LEVELS}, order)
    else:
        mapped = classes.astype("str").map(dict(settings.by_class))
        out = mapped.fillna("service").astype("str")
    return out.rename(SERVICE_LEVEL)


def service_level_codes(
    order: np.ndarray,
    class_codes: np.ndarray,
    classes: tuple[str, ...],
    *,
    settings: ServiceLevelSettings,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """:func:`assign_service_levels` as group numbers (for re-scoring many times).

    Args:
        order: :func:`rank_order` of the scores.
        class_codes: priority class per customer as positions in ``classes``.
        classes: the class labels (e.g. ``("A", "B", "C", "D")``).
        settings: ``config.screening.service_levels``.

    Returns:
        ``(codes, labels)``: int64 position in ``labels`` per customer; ``labels`` are
        :data:`LEVELS` followed by any other level named in ``by_class``. ``labels[codes]``
        equals :func:`assign_service_levels`.

    >>> codes, labels = service_level_codes(np.array([1, 0]), np.array([3, 0]), ("A", "B", "C", "D"),
    ...                                     settings=ServiceLevelSettings(method="classes"))
    >>> [labels[c] for c in codes]
    ['service', 'strategic']
    """
    if settings.method == "shares":
        return share_codes([float(settings.shares[k]) for k in LEVELS], order), LEVELS
    by_class = [str(settings.by_class.get(k, "service")) for k in classes]
    labels = tuple(dict.fromkeys([*LEVELS, *by_class]))
    lookup = np.array([labels.index(v) for v in by_class], dtype="int64")
    return lookup[class_codes], labels


def level_counts(levels: pd.Series) -> pd.Series:
    """Customers per service level (strategic, sales, service; 0 where none).

    >>> level_counts(pd.Series(["sales", "strategic", "sales"])).tolist()
    [1, 2, 0]
    """
    counts = levels.astype("str").value_counts().reindex(list(LEVELS), fill_value=0)
    return counts.astype("int64").rename_axis(SERVICE_LEVEL).rename("customers")


# --- time budgets and hours by role -----------------------------------------------------------


def level_hours(settings: ServiceLevelSettings) -> pd.DataFrame:
    """Hours per customer and year by level and role, nested (cumulative from service up).

    Returns:
        DataFrame, index ``service_level`` (strategic, sales, service), one column per
        role, hours per customer and year: service = its own hours, sales = service +
        sales hours, strategic = all three.

    >>> level_hours(ServiceLevelSettings()).loc["strategic"].to_dict()
    {'inside_sales': 3.0, 'field_sales': 9.0, 'management': 4.0}
    """
    roles = list(dict.fromkeys(r for lv in reversed(LEVELS) for r in settings.hours.get(lv, {})))
    own = pd.DataFrame(
        [[float(settings.hours.get(lv, {}).get(r, 0.0)) for r in roles] for lv in reversed(LEVELS)],
        index=list(reversed(LEVELS)),
        columns=roles,
    )
    return own.cumsum().reindex(list(LEVELS)).rename_axis(SERVICE_LEVEL)


def hours_by_level(levels: pd.Series, settings: ServiceLevelSettings) -> pd.DataFrame:
    """Hours per year the customers of each level need, by role (levels × roles).

    >>> h = hours_by_level(pd.Series(["strategic", "service"]), ServiceLevelSettings())
    >>> h.loc["strategic"].tolist(), h.loc["service"].tolist()
    ([3.0, 9.0, 4.0], [1.0, 0.0, 0.0])
    """
    return level_hours(settings).mul(level_counts(levels).astype("float64"), axis=0)


def role_hours_by_levels(levels: pd.Series, settings: ServiceLevelSettings) -> pd.Series:
    """Hours per year by role the service levels need (sum over the levels).

    >>> role_hours_by_levels(pd.Series(["strategic", "sales", "service"]),
    ...                      ServiceLevelSettings()).to_dict()
    {'field_sales': 12.0, 'inside_sales': 7.0, 'management': 4.0}
    """
    return _by_roles(hours_by_level(levels, settings).sum())


def role_hours_by_care_model(customers: pd.Series, care: pd.DataFrame) -> pd.Series:
    """Hours per year by role the target care model needs.

    Args:
        customers: customers per priority class (index = class).
        care: per class ``field_hours``, ``inside_hours``, ``management_hours`` per
            customer and year (:func:`kk_helpers.stages.target.care_model.target_care_table`);
            classes without an entry need no hours.

    >>> care = pd.DataFrame({"field_hours": [10.0, 0.0], "inside_hours": [2.0, 1.0],
    ...     "management_hours": [4.0, 0.0]}, index=["A", "D"])
    >>> role_hours_by_care_model(pd.Series({"A": 3, "D": 10}), care).to_dict()
    {'field_sales': 30.0, 'inside_sales': 16.0, 'management': 12.0}
    """
    n = customers.astype("float64")
    tgt = care.reindex(n.index)
    cols = {"field_sales": "field_hours", "inside_sales": "inside_hours",
            "management": "management_hours"}  # fmt: skip
    return pd.Series(
        {role: float((n * tgt[col].fillna(0.0)).sum()) for role, col in cols.items()},
        dtype="float64",
    )


def _by_roles(hours: pd.Series, extra: tuple[str, ...] = ()) -> pd.Series:
    roles = list(dict.fromkeys([*ROLES, *hours.index, *extra]))
    return hours.astype("float64").reindex(roles).fillna(0.0).rename_axis("role")


# --- capacity -------------------------------------------------------------------------------


def capacity_check(
    levels: pd.Series, settings: ServiceLevelSettings, capacity: Mapping[str, float]
) -> pd.DataFrame:
    """Hours the service levels need by role, against the available hours (notebook 02).

    Args:
        levels: service level per customer (:func:`assign_service_levels`).
        settings: hours per customer and year by level and role (nested, see
            :func:`level_hours`).
        capacity: available hours per year by role (roles without entry: NaN).

    Returns:
        DataFrame indexed by ``role``: ``hours_<level>`` (hours needed by the customers
        of each level), ``required`` (sum), ``available``, ``utilisation``
        (required / available, share), ``gap`` (available − required, hours).

    >>> cap = capacity_check(pd.Series(["strategic", "service"]), ServiceLevelSettings(),
    ...                      {"inside_sales": 8.0})
    >>> cap.loc["inside_sales", ["required", "utilisation"]].tolist()
    [4.0, 0.5]
    """
    return capacity_of_counts(level_counts(levels), settings, capacity)


def capacity_of_counts(
    counts: pd.Series, settings: ServiceLevelSettings, capacity: Mapping[str, float]
) -> pd.DataFrame:
    """:func:`capacity_check` from the customers per level (:func:`level_counts`).

    >>> cap = capacity_of_counts(pd.Series({"strategic": 1, "sales": 0, "service": 1}),
    ...                          ServiceLevelSettings(), {"inside_sales": 8.0})
    >>> cap.loc["inside_sales", ["required", "utilisation"]].tolist()
    [4.0, 0.5]
    """
    need = level_hours(settings).mul(counts.astype("float64"), axis=0)
    roles = list(dict.fromkeys([*need.columns, *capacity]))
    out = need.T.reindex(roles).fillna(0.0)
    out.columns = [f"hours_{lv}" for lv in LEVELS]
    out["required"] = out.sum(axis=1)
    out["available"] = _available(capacity, roles)
    out["utilisation"] = _utilisation(out["required"], out["available"])
    out["gap"] = out["available"] - out["required"]
    return out.rename_axis("role")


def _available(capacity: Mapping[str, float], roles: list[str]) -> pd.Series:
    return pd.Series({r: float(v) for r, v in capacity.items()}, dtype="float64").reindex(roles)


def _utilisation(hours: pd.Series, available: pd.Series) -> pd.Series:
    return hours / available.where(available > 0)


def capacity_by_role(
    before: pd.Series,
    target: pd.Series,
    *,
    capacity: Mapping[str, float],
    hours_per_fte: float,
    measured: pd.Series | None = None,
) -> pd.DataFrame:
    """Hours and FTE by role, before (service levels) vs. target (care model).

    Args:
        before: hours per year by role under today's service levels
            (:func:`role_hours_by_levels`).
        target: hours per year by role under the target care model
            (:func:`role_hours_by_care_model`).
        capacity: available hours per year by role (``screening.capacity``).
        hours_per_fte: productive hours per FTE and year.
        measured: hours per year by role measured in the activity data (information
            only; NaN where not measurable).

    Returns:
        DataFrame indexed by ``role`` (field_sales, inside_sales, management, then
        other roles): ``hours_measured``, ``hours_before``, ``hours_target``,
        ``available``, ``utilisation_before``, ``utilisation_target`` (shares of
        available), ``fte_before``, ``fte_target`` (hours / hours_per_fte) and
        ``fte_freed`` (= fte_before − fte_target; positive = freed).

    >>> cap = capacity_by_role(pd.Series({"field_sales": 320.0}), pd.Series({"field_sales": 160.0}),
    ...                        capacity={"field_sales": 640.0}, hours_per_fte=160.0)
    >>> cap.loc["field_sales", ["utilisation_before", "fte_before", "fte_freed"]].tolist()
    [0.5, 2.0, 1.0]
    """
    roles = list(_by_roles(before, (*target.index, *capacity)).index)
    out = pd.DataFrame(index=pd.Index(roles, name="role"))
    out["hours_measured"] = (
        measured.astype("float64").reindex(roles) if measured is not None else np.nan
    )
    out["hours_before"] = before.astype("float64").reindex(roles).fillna(0.0)
    out["hours_target"] = target.astype("float64").reindex(roles).fillna(0.0)
    out["available"] = _available(capacity, roles)
    out["utilisation_before"] = _utilisation(out["hours_before"], out["available"])
    out["utilisation_target"] = _utilisation(out["hours_target"], out["available"])
    out["fte_before"] = out["hours_before"] / float(hours_per_fte)
    out["fte_target"] = out["hours_target"] / float(hours_per_fte)
    out["fte_freed"] = out["fte_before"] - out["fte_target"]
    return out


def net_fte_freed(table: pd.DataFrame) -> float:
    """Net FTE freed: the sum of ``fte_freed`` over the roles of :func:`capacity_by_role`.

    >>> net_fte_freed(pd.DataFrame({"fte_freed": [2.0, -0.5, 0.25]}))
    1.75
    """
    return float(table["fte_freed"].sum())


def net_hours_freed(table: pd.DataFrame) -> float:
    """Net hours freed: Σ (hours_before − hours_target) over the roles.

    >>> net_hours_freed(pd.DataFrame({"hours_before": [10.0, 5.0], "hours_target": [4.0, 6.0]}))
    5.0
    """
    return float((table["hours_before"] - table["hours_target"]).sum())


# --- priority-class shares --------------------------------------------------------------------


def class_shares(
    classes: pd.Series, revenue: pd.Series, groups: tuple[str, ...] | list[str]
) -> tuple[float, float]:
    """Share of customers and of revenue of the priority classes ``groups``.

    The one basis of the "priority classes C/D" shares of notebooks 02 and 04 and the
    executive summary: ``revenue`` is the revenue of the analysis period
    (``revenue_total``) per customer; shares of all customers / of total revenue, a
    negative net revenue counting as 0 (as for Gini).

    >>> class_shares(pd.Series(["A", "C", "D", "B"]), pd.Series([60.0, 5.0, 5.0, 30.0]), ["C", "D"])
    (0.5, 0.1)
    """
    cls = classes.astype("str").to_numpy()
    rev = share_basis(pd.Series(revenue)).to_numpy(dtype="float64")  # negatives -> 0
    mask = np.isin(cls, list(groups))
    n = len(cls)
    total = rev.sum()
    cust = float(mask.sum() / n) if n else float("nan")
    share = float(rev[mask].sum() / total) if total > 0 else float("nan")
    return cust, share


__all__ = [
    "LEVELS",
    "ROLES",
    "SERVICE_LEVEL",
    "assign_service_levels",
    "capacity_by_role",
    "capacity_check",
    "class_shares",
    "classes_by_shares",
    "hours_by_level",
    "level_counts",
    "level_hours",
    "net_fte_freed",
    "net_hours_freed",
    "rank_order",
    "role_hours_by_care_model",
    "role_hours_by_levels",
]
