"""The expensive intermediates of a client, computed once by ``prepare_client`` and cached.

Grouping ten million lines into orders or months takes seconds and the lines themselves
take gigabytes, so every figure that needs them is computed here once per client, from
the same functions the stages would call, and cached next to the customer table
(``<output_dir>/cache/<name>.parquet``). A notebook kernel then reads only what its stage
uses, and the transaction lines not at all:

* ``orders`` -- :func:`kk_helpers.metrics.orders.order_table` of all lines (notebook 01,
  and 04 for the deck);
* ``orders_last_year`` -- the last analysis year's orders with value > 0
  (:func:`kk_helpers.metrics.orders.last_year_orders`: scenarios, levers);
* ``monthly_revenue`` -- :func:`kk_helpers.metrics.classes.monthly_revenue` per customer
  of the customer table (XYZ classes);
* ``lever_facts`` -- :func:`kk_helpers.stages.levers.indicators.line_facts` (per customer
  sums of the last year for the lever indicators);
* ``scenario_activity`` -- :func:`kk_helpers.stages.target.scenario_inputs.activity_base`
  (per customer activities of the last year for the scenarios);
* the small facts (a JSON-able dict, :func:`data_facts`): number of lines and activities,
  which optional line columns hold data, which data the scenarios lack, the lever flags.
"""

from __future__ import annotations

import pandas as pd

from kk_helpers.core import columns as C
from kk_helpers.core.config import ClientConfig

#: cached frames read on first use (the lines and activities as loaded, then the
#: intermediates of this module)
LAZY_FRAMES: tuple[str, ...] = (
    "transactions",
    "activities",
    "orders",
    "orders_last_year",
    "monthly_revenue",
    "lever_facts",
    "scenario_activity",
)
#: optional line columns whose presence (any value) the stages ask about
OPTIONAL_LINE_COLUMNS: tuple[str, ...] = (C.MARGIN, C.CHANNEL, C.ORDER_ID, C.PRODUCT_GROUP)
#: frames indexed by customer id (the index is stored as a column)
_INDEXED = ("lever_facts", "scenario_activity")


def data_facts(transactions: pd.DataFrame, activities: pd.DataFrame | None) -> dict[str, object]:
    """The small facts about the lines the stages show without reading them.

    Returns:
        ``lines`` (number of accepted lines), ``activities`` (number of activities) and
        ``filled`` (the optional line columns of :data:`OPTIONAL_LINE_COLUMNS` that hold
        at least one value, sorted).

    >>> tx = pd.DataFrame({"customer_id": ["a"], "revenue": [1.0], "channel": [None]})
    >>> data_facts(tx, None)
    {'lines': 1, 'activities': 0, 'filled': []}
    """
    filled = sorted(
        c for c in OPTIONAL_LINE_COLUMNS
        if c in transactions.columns and bool(transactions[c].notna().any())
    )  # fmt: skip
    n_act = 0 if activities is None else len(activities)
    return {"lines": len(transactions), "activities": n_act, "filled": filled}


def compute_intermediates(
    transactions: pd.DataFrame,
    activities: pd.DataFrame,
    customer_table: pd.DataFrame,
    *,
    config: ClientConfig,
    orders: pd.DataFrame | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, object]]:
    """Every intermediate of the module docstring for one client.

    Args:
        transactions, activities: the canonical frames of
            :func:`kk_helpers.input.loading.load_client`.
        customer_table: :func:`kk_helpers.metrics.customer_table.build_customer_table`.
        config: the client config (years, cost rates, lever settings).
        orders: :func:`kk_helpers.metrics.orders.order_table` of ``transactions`` when
            the caller has it (``prepare_client`` builds it once, before the customer
            table); None: computed here.

    Returns:
        ``(frames, facts)``: the frames by name (see :data:`LAZY_FRAMES`) and the facts
        of :func:`data_facts` plus ``scenario_missing`` (sorted data kinds the scenarios
        lack, :func:`kk_helpers.stages.target.scenario_inputs.data_missing`) and
        ``levers`` (the flags of :func:`kk_helpers.stages.levers.indicators.line_facts`).
    """
    from kk_helpers.metrics.classes import index_by_customer, monthly_revenue
    from kk_helpers.metrics.orders import last_year_orders, order_table
    from kk_helpers.stages.levers.indicators import line_facts
    from kk_helpers.stages.target.scenario_inputs import (
        activity_base,
        data_missing,
    )

    years = list(config.analysis.years)
    last = config.last_year
    ct = index_by_customer(customer_table)
    if orders is None:
        orders = order_table(transactions)
    orders_last = last_year_orders(orders, last)
    lever_frame, lever_flags = line_facts(transactions, orders_last, activities, config=config)
    missing = data_missing(transactions, activities, customer_table, year=last)
    ids = pd.Index(customer_table[C.CUSTOMER_ID].astype("str").to_numpy(), name=C.CUSTOMER_ID)
    frames = {
        "orders": orders,
        "orders_last_year": orders_last,
        "monthly_revenue": monthly_revenue(transactions, years, customer_ids=ct.index),
        "lever_facts": lever_frame,
        "scenario_activity": activity_base(
            None if "activities" in missing else activities,
            ids,
            cost_rates=config.cost_rates,
            year=last,
        ),
    }
    facts = data_facts(transactions, activities)
    facts["scenario_missing"] = sorted(missing)
    facts["levers"] = lever_flags
    return frames, facts


def to_stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it is written to the cache (index as a column, text column names)."""
    if name == "monthly_revenue":
        out = frame.copy(deep=False)
        out.columns = [str(c) for c in out.columns]  # Period("2025-01") -> "2025-01"
        return out.reset_index()
    if name in _INDEXED:
        return frame.reset_index()
    return frame


def from_stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`to_stored` after reading the cache file."""
    if name == "monthly_revenue":
        out = frame.set_index(C.CUSTOMER_ID)
        out.columns = pd.PeriodIndex(list(out.columns), freq="M", name=C.MONTH)
        return out
    if name in _INDEXED:
        return frame.set_index(C.CUSTOMER_ID)
    return frame
