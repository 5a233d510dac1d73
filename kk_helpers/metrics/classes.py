"""Customer classes: ABC(+D), XYZ, class profiles, migration between years.

Rules (docs/method.md, section 4 "Classes"):

* **ABC**: customers sorted by value (revenue or margin) descending, ties broken by
  customer id ascending; A while the cumulative share *before* the customer is < 80 %,
  B while it is < 95 %, else C (limits are parameters). Negative values count as 0.
* **D** overrides ABC: no (net positive) revenue in the last analysis year, or
  last-year revenue below a minimum (parameters in :class:`~kk_helpers.core.config.ClassSettings`).
* **XYZ**: coefficient of variation σ/μ of a customer's monthly revenue over the
  analysis period, months without orders counted as 0, σ the *population* standard
  deviation (ddof=0). X: cv ≤ 0.5, Y: cv ≤ 1.0, else Z (limits are parameters);
  customers with mean monthly revenue ≤ 0 get cv NaN and class Z.

Class Series are indexed by ``customer_id`` and named ``class``. Functions that take
the customer table accept ``customer_id`` as a column or as the index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClassSettings
from kk_helpers.metrics.concentration import share_basis
from kk_helpers.metrics.partial_years import active_matrix, comparable_revenue

_EPS = 1e-12


def index_by_customer(customer_table: pd.DataFrame) -> pd.DataFrame:
    """The customer table indexed by ``customer_id`` (a column or already the index).

    Args:
        customer_table: one row per customer.

    Returns:
        The same rows with index ``customer_id`` (the input is not changed).

    >>> ct = pd.DataFrame({"customer_id": ["a"], "revenue_total": [1.0]})
    >>> index_by_customer(ct).index.tolist()
    ['a']
    """
    if C.CUSTOMER_ID in customer_table.columns:
        return customer_table.set_index(C.CUSTOMER_ID)
    out = customer_table.copy(deep=False)
    out.index = out.index.rename(C.CUSTOMER_ID)
    return out


def _numeric(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype("float64")


def class_of_rows(ids: pd.Series, classes: pd.Series) -> np.ndarray:
    """Class of each row's customer, looked up once per distinct id (categorical codes).

    Args:
        ids: customer id per row (Categorical or str-like; NA allowed), e.g. the
            ``customer_id`` column of orders or transaction lines.
        classes: class per customer, indexed by customer id.

    Returns:
        Object array aligned to ``ids`` with the class as str; NaN for rows whose
        customer has no class (unknown or missing id), i.e. "no class".

    >>> class_of_rows(pd.Series(["b", "x", None, "a"]), pd.Series({"a": "A", "b": "C"})).tolist()
    ['C', nan, nan, 'A']
    """
    cust = ids
    if not isinstance(cust.dtype, pd.CategoricalDtype):
        cust = cust.astype("str").astype("category")
    cats = cust.cat.categories.astype("str")
    lookup = classes.astype("str").reindex(cats).to_numpy(dtype=object)
    lookup = np.append(lookup, np.nan)  # code -1 (missing id) -> NaN
    return lookup[cust.cat.codes.to_numpy()]


def class_order(labels: Sequence[object]) -> list[str]:
    """Classes in report order: A, B, C, D first, then any other labels sorted.

    >>> class_order(["D", "A", "x"])
    ['A', 'B', 'C', 'D', 'x']
    """
    extra = sorted({str(v) for v in labels if pd.notna(v)} - set(C.CLASSES))
    return [*C.CLASSES, *extra]


def abc_classes(values: pd.Series, thresholds: tuple[float, float] = (0.8, 0.95)) -> pd.Series:
    """ABC class per customer from cumulative value shares.

    Args:
        values: one value per customer (currency), indexed by customer id; missing
            and negative values count as 0.
        thresholds: cumulative-share limits (a, b) for A and B, 0 < a < b ≤ 1.

    Returns:
        Series ``class`` ("A"/"B"/"C") with the index of ``values``. A customer is A
        while the share of all customers ranked before it is < a, B while < b, else C.
        With a total of 0 every customer is C.

    >>> v = pd.Series([40, 20, 10, 8, 7, 5, 4, 3, 2, 1], index=list("abcdefghij"))
    >>> "".join(abc_classes(v))
    'AAAAABBBCC'
    """
    a, b = thresholds
    if not 0 < a < b <= 1:
        raise ValueError(f"thresholds must satisfy 0 < a < b <= 1, got {thresholds}")
    x = _numeric(pd.Series(values)).fillna(0.0).clip(lower=0.0).to_numpy()
    order = pd.DataFrame({"v": x, "id": np.asarray(values.index)}).sort_values(
        ["v", "id"], ascending=[False, True], kind="stable"
    )
    pos = order.index.to_numpy()
    xs = x[pos]
    total = xs.sum()
    labels = np.full(len(x), "C", dtype=object)
    if total > 0:
        before = (np.cumsum(xs) - xs) / total
        labels[pos] = np.select([before < a - _EPS, before < b - _EPS], ["A", "B"], "C")
    return pd.Series(labels, index=values.index, name=C.CLASS, dtype="str")


def assign_d(
    classes: pd.Series,
    customer_table: pd.DataFrame,
    *,
    last_year: int,
    d_min_revenue: float = 0.0,
    d_inactive_last_year: bool = True,
) -> pd.Series:
    """Override classes with "D" for inactive or very small customers.

    Args:
        classes: class per customer, indexed by customer id.
        customer_table: needs ``revenue_<last_year>`` (currency).
        last_year: the year the D rule looks at (usually the last analysis year).
        d_min_revenue: last-year revenue below this makes a D customer (0 = off).
        d_inactive_last_year: net revenue ≤ 0 (or missing) in ``last_year`` makes a D
            customer ("no revenue in the last year").

    A partial ``last_year`` (``active_<y>`` / ``revenue_annualised_<y>`` in the table,
    :mod:`kk_helpers.metrics.partial_years`) is judged annualised: inactive = no net
    revenue in the 12 months up to its last month with data; the minimum revenue is
    compared with the annualised revenue.

    Returns:
        Series ``class`` like ``classes`` with D where a rule applies. Customers
        missing from the table count as having no revenue.

    >>> ct = pd.DataFrame({"customer_id": ["a", "b", "c"], "revenue_2025": [500.0, 0.0, 50.0]})
    >>> assign_d(pd.Series(["A", "B", "C"], index=["a", "b", "c"]), ct, last_year=2025, d_min_revenue=100.0).tolist()
    ['A', 'D', 'D']
    """
    ct = index_by_customer(customer_table)
    rev = comparable_revenue(ct, [last_year])[int(last_year)].reindex(classes.index).fillna(0.0)
    active = active_matrix(ct, [last_year])[int(last_year)].reindex(classes.index)
    is_d = pd.Series(False, index=classes.index)
    if d_inactive_last_year:
        is_d |= ~active.fillna(False).astype(bool)
    if d_min_revenue > 0:
        is_d |= rev < d_min_revenue
    return classes.astype("str").where(~is_d, "D").rename(C.CLASS)


def abc_d_classes(
    customer_table: pd.DataFrame,
    settings: ClassSettings,
    years: Sequence[int],
    *,
    period: str = "total",
) -> pd.Series:
    """ABC classes on the configured basis, then the D rule for the last year.

    Args:
        customer_table: one row per customer with ``revenue_total`` / ``margin_total``
            (``period="total"``) or ``revenue_<y>`` / ``margin_<y>`` (``"last_year"``)
            and ``revenue_<last year>``.
        settings: ``basis``, ``abc_thresholds``, ``d_min_revenue``, ``d_inactive_last_year``.
        years: analysis years; the D rule uses the last.
        period: "total" (sum over the analysis years, default) or "last_year".

    Returns:
        Series ``class`` (A/B/C/D) indexed by customer id.

    >>> ct = pd.DataFrame({"customer_id": list("abc"), "revenue_total": [90.0, 9.0, 1.0],
    ...                    "revenue_2025": [30.0, 3.0, 0.0]})
    >>> abc_d_classes(ct, ClassSettings(), [2024, 2025]).tolist()
    ['A', 'B', 'D']
    """
    ct = index_by_customer(customer_table)
    last = years[-1]
    if period == "total":
        col = C.REVENUE_TOTAL if settings.basis == "revenue" else C.MARGIN_TOTAL
    elif period == "last_year":
        col = C.year_col(settings.basis, last)
    else:
        raise ValueError(f"period must be 'total' or 'last_year', got {period!r}")
    abc = abc_classes(ct[col], tuple(settings.abc_thresholds))
    return assign_d(
        abc,
        ct,
        last_year=last,
        d_min_revenue=settings.d_min_revenue,
        d_inactive_last_year=settings.d_inactive_last_year,
    )


def monthly_revenue(
    transactions: pd.DataFrame,
    years: Sequence[int],
    customer_ids: Sequence[object] | pd.Index | None = None,
) -> pd.DataFrame:
    """Revenue per customer and month over the analysis years (customers × months).

    Args:
        transactions: canonical lines with ``customer_id``, ``date``, ``revenue``.
        years: analysis years (contiguous); lines outside them are ignored.
        customer_ids: rows to return (customers without lines get zeros); default:
            every customer with at least one line in the period.

    Returns:
        DataFrame indexed by ``customer_id``, one column per month of the period
        (``pd.Period``, index name ``month``), net revenue (currency); months without
        orders are 0.

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "revenue": [10.0, 5.0, 7.0],
    ...     "date": pd.to_datetime(["2025-01-03", "2025-01-20", "2025-03-01"])})
    >>> monthly_revenue(tx, [2025]).iloc[:, :3].to_numpy().tolist()
    [[15.0, 0.0, 0.0], [0.0, 0.0, 7.0]]
    """
    y0 = int(years[0])
    n_months = 12 * len(years)
    months = pd.period_range(f"{y0}-01", periods=n_months, freq="M", name=C.MONTH)
    cust = transactions[C.CUSTOMER_ID]
    if not isinstance(cust.dtype, pd.CategoricalDtype):
        cust = cust.astype("category")
    dates = transactions[C.DATE]
    m = ((dates.dt.year - y0) * 12 + dates.dt.month - 1).to_numpy(dtype="float64", na_value=-1)
    codes = cust.cat.codes.to_numpy()
    keep = (m >= 0) & (m < n_months) & (codes >= 0)
    codes, m = codes[keep], m[keep].astype("int64")
    rev = _numeric(transactions[C.REVENUE]).fillna(0.0).to_numpy()[keep]
    n_cat = len(cust.cat.categories)
    seen = np.bincount(codes, minlength=n_cat) > 0
    compact = np.cumsum(seen) - 1  # category code -> row number among seen customers
    n_rows = int(seen.sum())
    sums = np.bincount(compact[codes] * n_months + m, weights=rev, minlength=n_rows * n_months)
    index = pd.Index(cust.cat.categories[seen], name=C.CUSTOMER_ID)
    out = pd.DataFrame(sums.reshape(n_rows, n_months), index=index, columns=months)
    if customer_ids is not None:
        out = out.reindex(pd.Index(customer_ids, name=C.CUSTOMER_ID), fill_value=0.0)
    return out


def xyz_classes(
    monthly: pd.DataFrame, thresholds: tuple[float, float] = (0.5, 1.0)
) -> pd.DataFrame:
    """XYZ class from the coefficient of variation of monthly revenue.

    Args:
        monthly: customers × months revenue (from :func:`monthly_revenue`).
        thresholds: cv limits (x, y): X if cv ≤ x, Y if cv ≤ y, else Z.

    Returns:
        DataFrame indexed like ``monthly`` with ``cv`` (σ/μ, population σ, ddof=0;
        NaN when the mean monthly revenue is ≤ 0) and ``xyz`` ("X"/"Y"/"Z"; customers
        with cv NaN are Z).

    >>> m = pd.DataFrame([[10.0, 10.0, 10.0, 10.0], [0.0, 0.0, 10.0, 10.0]], index=["a", "b"])
    >>> xyz_classes(m)["xyz"].tolist()
    ['X', 'Y']
    """
    x_lim, y_lim = thresholds
    a = monthly.to_numpy(dtype="float64", na_value=0.0)
    if a.shape[1] == 0:
        mean = np.full(a.shape[0], np.nan)
        std = mean
    else:
        mean = a.mean(axis=1)
        std = a.std(axis=1, ddof=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(mean > 0, std / np.where(mean > 0, mean, 1.0), np.nan)
    xyz = np.select([cv <= x_lim + _EPS, cv <= y_lim + _EPS], ["X", "Y"], "Z")
    return pd.DataFrame(
        {C.CV: cv, C.XYZ: pd.array(xyz, dtype="str")}, index=monthly.index.rename(C.CUSTOMER_ID)
    )


def abc_xyz_matrix(abc: pd.Series, xyz: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """Customer counts per ABC(D) class × XYZ class.

    Args:
        abc: class per customer (A/B/C/D), indexed by customer id.
        xyz: XYZ class per customer (Series, or the frame of :func:`xyz_classes`).
            Customers of ``abc`` without an XYZ class count as Z (no regular demand).

    Returns:
        DataFrame of counts, rows ``A, B, C, D`` (index ``class``), columns ``X, Y, Z``.

    >>> abc_xyz_matrix(pd.Series(["A", "C"], index=["a", "b"]),
    ...                pd.Series(["X"], index=["a"])).loc[["A", "C"]].to_numpy().tolist()
    [[1, 0, 0], [0, 0, 1]]
    """
    if isinstance(xyz, pd.DataFrame):
        xyz = xyz[C.XYZ]
    x = xyz.astype("str").reindex(abc.index).fillna("Z")
    df = pd.DataFrame({C.CLASS: abc.astype("str").to_numpy(), C.XYZ: x.to_numpy()})
    counts = df.groupby([C.CLASS, C.XYZ]).size().unstack(fill_value=0)
    out = counts.reindex(index=class_order(abc.unique()), columns=list(C.XYZ_CLASSES), fill_value=0)
    return out.astype("int64").rename_axis(index=C.CLASS, columns=C.XYZ)


def _sums_by_class(
    customer_table: pd.DataFrame,
    classes: pd.Series,
    columns: Mapping[str, str],
    counts: Mapping[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """Per-class sums of customer-table columns (shared by class profile and CM ladder).

    Args:
        customer_table: one row per customer (``customer_id`` column or index).
        classes: class per customer, indexed by customer id; customers without a
            class are left out.
        columns: output name -> customer-table column, summed as numbers; a missing
            column gives NaN, a present one 0 for classes without values.
        counts: output name -> per-customer flag (bool/int Series indexed by customer
            id), counted per class like ``customers``.

    Returns:
        DataFrame indexed by class (:func:`class_order`), columns ``customers`` and
        ``counts`` (int64) and ``columns`` (float64 sums), in that input order with
        ``counts`` last.
    """
    ct = index_by_customer(customer_table)
    cls = classes.astype("str").reindex(ct.index)
    data: dict[str, pd.Series] = {C.CUSTOMERS: pd.Series(1.0, index=ct.index)}
    for name, col in columns.items():
        data[name] = _numeric(ct[col]) if col in ct.columns else pd.Series(np.nan, index=ct.index)
    flags = dict(counts or {})
    data.update(flags)
    frame = pd.DataFrame(data)
    sums = frame.groupby(cls.to_numpy()).sum(min_count=1)
    sums = sums.reindex(class_order(cls.dropna().unique()))
    for name in (C.CUSTOMERS, *flags):
        sums[name] = sums[name].fillna(0).astype("int64")
    for name, col in columns.items():
        if col in ct.columns:
            sums[name] = sums[name].fillna(0.0)
    return sums


#: class_profile output metric -> customer-table column
PROFILE_COLUMNS = {
    "revenue": C.REVENUE_TOTAL,
    "margin": C.MARGIN_TOTAL,
    "orders": C.ORDERS_TOTAL,
    "activities": C.ACTIVITIES_TOTAL,
    "visits": C.activity_count_col("visit"),
    "cost_to_serve": C.COST_TO_SERVE,
    "cm3": C.CM3,
}
PROFILE_SHARES = (
    "customers",
    "revenue",
    "margin",
    "orders",
    "activities",
    "visits",
    "cost_to_serve",
)


def class_profile(customer_table: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Totals and shares per class: what each class brings and what it takes.

    Args:
        customer_table: one row per customer with ``revenue_total``, ``margin_total``,
            ``orders_total``, ``activities_total``, ``n_visit``, ``cost_to_serve``,
            ``cm3`` (missing columns give NaN).
        classes: class per customer, indexed by customer id (customers without a
            class are left out).

    Returns:
        DataFrame, index ``class`` (A, B, C, D, then others), columns ``customers``,
        ``revenue``, ``margin``, ``orders``, ``activities``, ``visits``,
        ``cost_to_serve``, ``cm3`` (sums; money in the currency) and ``<x>_share``
        (0-1 share of the total over all classes) for customers, revenue, margin,
        orders, activities, visits and cost_to_serve. ``revenue_share`` clips a
        customer's negative net revenue to 0 (as Gini does,
        :func:`kk_helpers.metrics.concentration.share_basis`); ``revenue`` is the net sum.
        ``attrs["clipped_negative"]``: ids of the customers clipped (list of str).

    >>> ct = pd.DataFrame({"customer_id": list("abc"), "revenue_total": [80.0, 15.0, 5.0]})
    >>> p = class_profile(ct, pd.Series(["A", "B", "C"], index=list("abc")))
    >>> p.loc["A", "revenue_share"]
    np.float64(0.8)
    """
    sums = _sums_by_class(customer_table, classes, PROFILE_COLUMNS)
    ct = index_by_customer(customer_table)
    share_of = sums
    if C.REVENUE_TOTAL in ct.columns:  # revenue shares: negatives clipped to 0 (as for Gini)
        clipped = ct.assign(**{C.REVENUE_TOTAL: share_basis(ct[C.REVENUE_TOTAL])})
        share_of = _sums_by_class(clipped, classes, PROFILE_COLUMNS)
    negative = ct.index[_numeric(ct[C.REVENUE_TOTAL]) < 0] if C.REVENUE_TOTAL in ct else []
    sums.attrs["clipped_negative"] = [str(i) for i in negative]  # customer ids, for the page
    for name in PROFILE_SHARES:
        part = share_of[name] if name == "revenue" else sums[name]
        total = part.sum(min_count=1)
        sums[f"{name}_share"] = part / total if pd.notna(total) and total != 0 else np.nan
    return sums.rename_axis(C.CLASS)


def yearly_classes(
    customer_table: pd.DataFrame, years: Sequence[int], settings: ClassSettings
) -> pd.DataFrame:
    """ABC(+D) class of every customer in every analysis year, on that year's values.

    Args:
        customer_table: one row per customer with ``revenue_<y>`` (and
            ``margin_<y>`` for ``settings.basis == "margin"``) for each year.
        years: analysis years.
        settings: thresholds and D rule; D = inactive (net revenue ≤ 0) that year,
            or below ``d_min_revenue`` that year.

    Returns:
        DataFrame indexed by ``customer_id``, one column per year (int), values
        A/B/C/D.

    >>> ct = pd.DataFrame({"customer_id": list("ab"), "revenue_2024": [10.0, 0.0],
    ...                    "revenue_2025": [1.0, 9.0]})
    >>> yearly_classes(ct, [2024, 2025], ClassSettings()).to_numpy().tolist()
    [['A', 'B'], ['D', 'A']]
    """
    ct = index_by_customer(customer_table)
    out = {}
    for y in years:  # loop over years, not customers
        abc = abc_classes(ct[C.year_col(settings.basis, y)], tuple(settings.abc_thresholds))
        out[int(y)] = assign_d(
            abc,
            ct,
            last_year=y,
            d_min_revenue=settings.d_min_revenue,
            d_inactive_last_year=settings.d_inactive_last_year,
        )
    return pd.DataFrame(out, index=ct.index).rename_axis(columns=C.YEAR)


def migration_matrix(from_classes: pd.Series, to_classes: pd.Series) -> pd.DataFrame:
    """How many customers moved from each class to each class.

    Args:
        from_classes: class per customer at the start (e.g. first year).
        to_classes: class per customer at the end (e.g. last year).

    Returns:
        Counts; rows ``from`` = A, B, C, D (+ other labels) and ``new`` (customer has
        no start class: missing from ``from_classes`` or NaN there); columns ``to`` =
        A, B, C, D (+ others) and ``lost`` (no end class). Customers without either
        class are left out. With :func:`yearly_classes` every customer has a class
        each year: a customer inactive in a year is D there, so D -> A means
        (re)activated and A -> D means fell inactive.

    >>> m = migration_matrix(pd.Series(["A", "B"], index=["a", "b"]),
    ...                      pd.Series(["A", "C"], index=["a", "c"]))
    >>> int(m.loc["A", "A"]), int(m.loc["B", "lost"]), int(m.loc["new", "C"])
    (1, 1, 1)
    """
    ids = from_classes.index.union(to_classes.index)
    f = from_classes.astype("str").reindex(ids)
    t = to_classes.astype("str").reindex(ids)
    both_missing = f.isna() & t.isna()
    f = f.fillna(C.CLASS_NEW)[~both_missing]
    t = t.fillna(C.CLASS_LOST)[~both_missing]
    counts = pd.DataFrame({"from": f.to_numpy(), "to": t.to_numpy()}).groupby(["from", "to"]).size()
    counts = counts.unstack(fill_value=0) if len(counts) else pd.DataFrame()
    labels = class_order([*f.unique(), *t.unique()])
    labels = [x for x in labels if x not in (C.CLASS_NEW, C.CLASS_LOST)]
    out = counts.reindex(
        index=[*labels, C.CLASS_NEW], columns=[*labels, C.CLASS_LOST], fill_value=0
    )
    return out.fillna(0).astype("int64").rename_axis(index="from", columns="to")


def _current_labels(current_class: pd.Series, index: pd.Index) -> pd.Series:
    cur = current_class.reindex(index)
    cur = cur.astype("str").str.strip().where(cur.notna())
    return cur.where(cur != "", np.nan)


def class_agreement(classes: pd.Series, current_class: pd.Series) -> float:
    """Share of customers whose current class equals the computed class.

    Comparison is case-insensitive on the stripped label; only customers with a
    current class count.

    Args:
        classes: computed class per customer, indexed by customer id.
        current_class: the client's own class per customer, indexed by customer id.

    Returns:
        Share 0-1; NaN when no customer has a current class.

    >>> class_agreement(pd.Series(["A", "B", "C"], index=list("abc")),
    ...                 pd.Series(["a", "C", None], index=list("abc")))
    0.5
    """
    cur = _current_labels(current_class, classes.index)
    has = cur.notna()
    if not has.any():
        return float("nan")
    same = cur[has].str.upper() == classes.astype("str")[has].str.upper()
    return float(same.mean())


def compare_with_current(classes: pd.Series, current_class: pd.Series) -> pd.DataFrame:
    """Cross table of the client's current classes against the computed ones.

    Args:
        classes: computed class per customer (A/B/C/D), indexed by customer id.
        current_class: the client's own class per customer, indexed by customer id
            (e.g. ``index_by_customer(table)["current_class"]``); any labels.

    Returns:
        Counts, rows ``current_class`` (its labels sorted, ``none`` for customers
        without one), columns ``class`` (A, B, C, D). The agreement share (see
        :func:`class_agreement`) is in ``result.attrs["agreement"]``.

    >>> x = compare_with_current(pd.Series(["A", "B"], index=list("ab")),
    ...                          pd.Series(["A", "A"], index=list("ab")))
    >>> x.loc["A"].tolist(), x.attrs["agreement"]
    ([1, 1, 0, 0], 0.5)
    """
    cur = _current_labels(current_class, classes.index).fillna(C.CLASS_NONE)
    df = pd.DataFrame({C.CURRENT_CLASS: cur.to_numpy(), C.CLASS: classes.astype("str").to_numpy()})
    counts = df.groupby([C.CURRENT_CLASS, C.CLASS]).size().unstack(fill_value=0)
    rows = sorted(set(cur.unique()) - {C.CLASS_NONE})
    if (cur == C.CLASS_NONE).any():
        rows.append(C.CLASS_NONE)
    out = counts.reindex(index=rows, columns=class_order(classes.unique()), fill_value=0)
    out = out.fillna(0).astype("int64").rename_axis(index=C.CURRENT_CLASS, columns=C.CLASS)
    out.attrs["agreement"] = class_agreement(classes, current_class)
    return out
