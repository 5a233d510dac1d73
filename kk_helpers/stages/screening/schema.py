"""Column names and vocabularies of the screening table (``screening.parquet``)."""

from __future__ import annotations

from kk_helpers.core import columns as C
from kk_helpers.metrics.capacity import LEVELS, SERVICE_LEVEL  # noqa: F401 - column vocabulary

ABC_CLASS = "abc_class"  # revenue-only ABC(+D) of notebook 01
PRIORITY_CLASS = "priority_class"
RANK = "rank"  # 1 = best score
RECOMMENDED_CHANNEL = "recommended_channel"
QUADRANT = "portfolio_quadrant"
SMART_ACCOUNT = "smart_account"
SMART_REASON = "smart_account_reason"
WHY_UP = "why_up"
WHY_DOWN = "why_down"
HEADROOM = "potential_headroom"  # potential - last-year revenue (>= 0)
CLASS_CHANGE = "class_change"  # + = better class in the screening than in the ABC

QUADRANTS: tuple[str, ...] = ("star", "question_mark", "cash", "opportunistic")
NONE = "none"

#: Customer-table columns carried into the screening table (where present).
CARRY_COLUMNS = (
    C.NAME,
    C.INDUSTRY,
    C.REGION,
    C.SALES_REP,
    C.CURRENT_CLASS,
    C.MAIN_CHANNEL,
    C.REVENUE_TOTAL,
    C.MARGIN_TOTAL,
    C.COST_TO_SERVE,
)
