"""Transaction lines -> small per-customer aggregates, written once as Ibis expressions.

This is the heavy, line-level part of the customer table
(:func:`kk_helpers.metrics.customer_table.build_customer_table`): every sum, count and
distinct count over the transaction lines happens here, on the engine of
:mod:`kk_helpers.core.engine` (DuckDB in this process by default, or Spark), and only
frames of the size "customers x years" come back to pandas.

Input: a table of the valid lines (analysis years, customers of the master) with

============== ======== ==========================================================
column         type     meaning
============== ======== ==========================================================
pos            integer  customer's position in the master (0 .. n-1)
yidx           integer  analysis-year index (0 .. n_years-1)
revenue        float64  net revenue (missing already 0)
margin         float64  CM I of the line; NULL = unknown (column optional)
date_i8        int64    the date as int64 ticks of its datetime64 unit; NULL = none
channel        integer  channel code, -1 = none (column optional)
product_group  integer  product-group code, -1 = none (column optional)
month          integer  calendar month 1-12 (only when partial years need it)
============== ======== ==========================================================

Orders are not counted here: the customer table counts the orders of the one order
definition, :func:`kk_helpers.metrics.orders.order_table`.

Outputs (pandas, see :func:`aggregate_lines`): ``cells`` per (pos, yidx): lines,
revenue, positive / credit-note lines, margin sum and count of known margins, first and
last date of a line with revenue > 0; ``channels`` per (pos, channel): revenue and lines;
``groups`` per pos: distinct product groups; ``tail`` per (pos, yidx, month): revenue.

Source: the customer-table definitions in ``docs/DESIGN.md`` (Kundentabelle); Ibis
expressions (https://ibis-project.org), the same on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kk_helpers.core.engine import Engine, default_engine

__all__ = ["LineAggregates", "aggregate_lines", "line_expressions"]


@dataclass
class LineAggregates:
    """The small frames of :func:`aggregate_lines` (pandas; see the module docstring)."""

    cells: pd.DataFrame
    channels: pd.DataFrame | None
    groups: pd.DataFrame | None
    tail: pd.DataFrame | None


def _count_if(cond):  # type: ignore[no-untyped-def]
    return cond.ifelse(1, 0).sum()


def line_expressions(lines, *, with_tail: bool = False) -> dict:  # type: ignore[no-untyped-def]
    """The Ibis expressions over ``lines`` (an Ibis table with the columns above).

    Returns a dict name -> Ibis table expression (``cells`` and, when the
    columns exist, ``channels``, ``groups``, ``tail``). Nothing is executed.

    >>> import ibis
    >>> t = ibis.table({"pos": "int64", "yidx": "int64",
    ...                 "revenue": "float64", "date_i8": "int64"})
    >>> sorted(line_expressions(t))
    ['cells']
    """
    cols = set(lines.columns)
    positive = lines.revenue > 0
    cell_keys = ["pos", "yidx"]
    measures = {
        "lines": lines.count(),
        "revenue": lines.revenue.sum(),
        "positive": _count_if(positive),
        "credit": _count_if(lines.revenue < 0),
        "first_buy": lines.date_i8.min(where=positive),
        "last_buy": lines.date_i8.max(where=positive),
    }
    if "margin" in cols:
        measures["margin"] = lines.margin.sum()
        measures["margin_known"] = lines.margin.count()
    out = {"cells": lines.group_by(cell_keys).aggregate(**measures)}

    if "channel" in cols:
        ch = lines.filter(lines.channel >= 0)
        out["channels"] = ch.group_by(["pos", "channel"]).aggregate(
            revenue=ch.revenue.sum(), lines=ch.count()
        )
    if "product_group" in cols:
        pg = lines.filter(lines.product_group >= 0)
        out["groups"] = pg.group_by("pos").aggregate(n=pg.product_group.nunique())
    if with_tail and "month" in cols:
        out["tail"] = lines.group_by([*cell_keys, "month"]).aggregate(revenue=lines.revenue.sum())
    return out


def aggregate_lines(
    lines, *, engine: Engine | None = None, with_tail: bool = False
) -> LineAggregates:  # type: ignore[no-untyped-def]  # noqa: E501
    """Run :func:`line_expressions` on ``engine`` and return the small frames.

    Inputs:
        lines: a ``pyarrow.Table`` / pandas DataFrame with the columns of the module
            docstring, or an Ibis table already on ``engine``'s backend.
        engine: default :func:`kk_helpers.core.engine.default_engine` (DuckDB).
        with_tail: also return revenue per (pos, yidx, month) (for partial years).

    Output: :class:`LineAggregates` (rows only for keys that have lines; at most
    customers x years x channels rows each).

    >>> import pyarrow as pa
    >>> lines = pa.table({"pos": [0, 0, 1], "yidx": [0, 0, 0],
    ...     "revenue": [100.0, 50.0, -5.0], "date_i8": [10, 10, 20]})
    >>> agg = aggregate_lines(lines)
    >>> agg.cells.sort_values("pos")[["pos", "lines", "revenue", "credit"]].to_dict("list")
    {'pos': [0, 1], 'lines': [2, 1], 'revenue': [150.0, -5.0], 'credit': [0, 1]}
    """
    import ibis

    eng = engine or default_engine()
    table = lines if isinstance(lines, ibis.Table) else eng.table(lines)
    exprs = line_expressions(table, with_tail=with_tail)
    frames = {name: eng.execute(expr) for name, expr in exprs.items()}
    return LineAggregates(
        cells=frames["cells"],
        channels=frames.get("channels"),
        groups=frames.get("groups"),
        tail=frames.get("tail"),
    )
