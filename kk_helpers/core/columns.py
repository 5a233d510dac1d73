"""Canonical column names and value vocabularies: the one place for them.

Every loader maps a client's export onto these names (see docs/method.md, section 2, and docs/architecture.md);
every other module refers to the constants here instead of string literals.
"""

from __future__ import annotations

# --- shared ---------------------------------------------------------------
CUSTOMER_ID = "customer_id"
DATE = "date"

# --- customers (one row per customer) -------------------------------------
NAME = "name"
INDUSTRY = "industry"
REGION = "region"
SALES_REP = "sales_rep"
CUSTOMER_SINCE = "customer_since"
EMPLOYEES = "employees"
POTENTIAL = "potential"
CURRENT_CLASS = "current_class"

CUSTOMER_REQUIRED = (CUSTOMER_ID,)
CUSTOMER_OPTIONAL = (
    NAME,
    INDUSTRY,
    REGION,
    SALES_REP,
    CUSTOMER_SINCE,
    EMPLOYEES,
    POTENTIAL,
    CURRENT_CLASS,
)
# soft criteria (1-5 scores) are named in the config: ``soft_criteria``

# --- transactions (one row per invoice/order line) ------------------------
REVENUE = "revenue"
ORDER_ID = "order_id"
MARGIN = "margin"  # contribution margin I of the line (revenue - cost of goods)
COST = "cost"  # cost of goods of the line
QUANTITY = "quantity"
PRODUCT_GROUP = "product_group"
CHANNEL = "channel"

TRANSACTION_REQUIRED = (CUSTOMER_ID, DATE, REVENUE)
TRANSACTION_OPTIONAL = (ORDER_ID, MARGIN, COST, QUANTITY, PRODUCT_GROUP, CHANNEL)

# --- activities (sales and service contacts) -------------------------------
ACTIVITY_TYPE = "type"
DURATION_MIN = "duration_min"
ACTIVITY_COST = "cost"

ACTIVITY_REQUIRED = (CUSTOMER_ID, DATE, ACTIVITY_TYPE)
ACTIVITY_OPTIONAL = (DURATION_MIN, ACTIVITY_COST)

TABLES = ("customers", "transactions", "activities")
REQUIRED = {
    "customers": CUSTOMER_REQUIRED,
    "transactions": TRANSACTION_REQUIRED,
    "activities": ACTIVITY_REQUIRED,
}
OPTIONAL = {
    "customers": CUSTOMER_OPTIONAL,
    "transactions": TRANSACTION_OPTIONAL,
    "activities": ACTIVITY_OPTIONAL,
}

# canonical kinds of each column: drives parsing in the loaders
KIND_ID = "id"  # string, never float: "00123" stays "00123"
KIND_TEXT = "text"
KIND_CATEGORY = "category"
KIND_NUMBER = "number"
KIND_DATE = "date"

COLUMN_KINDS: dict[str, dict[str, str]] = {
    "customers": {
        CUSTOMER_ID: KIND_ID,
        NAME: KIND_TEXT,
        INDUSTRY: KIND_CATEGORY,
        REGION: KIND_CATEGORY,
        SALES_REP: KIND_CATEGORY,
        CUSTOMER_SINCE: KIND_DATE,
        EMPLOYEES: KIND_NUMBER,
        POTENTIAL: KIND_NUMBER,
        CURRENT_CLASS: KIND_CATEGORY,
    },
    "transactions": {
        CUSTOMER_ID: KIND_ID,
        DATE: KIND_DATE,
        REVENUE: KIND_NUMBER,
        ORDER_ID: KIND_ID,
        MARGIN: KIND_NUMBER,
        COST: KIND_NUMBER,
        QUANTITY: KIND_NUMBER,
        PRODUCT_GROUP: KIND_CATEGORY,
        CHANNEL: KIND_CATEGORY,
    },
    "activities": {
        CUSTOMER_ID: KIND_ID,
        DATE: KIND_DATE,
        ACTIVITY_TYPE: KIND_CATEGORY,
        DURATION_MIN: KIND_NUMBER,
        ACTIVITY_COST: KIND_NUMBER,
    },
}
SOFT_CRITERION_KIND = KIND_NUMBER

# --- vocabularies -------------------------------------------------------------
# Canonical sales channels. Client values are mapped onto these with
# ``files.transactions.values.channel`` in the config; unmapped values are kept.
CHANNELS = ("field_sales", "inside_sales", "webshop", "edi", "dealer")
DIGITAL_CHANNELS = ("webshop", "edi")

# Canonical activity types (client values mapped with ``files.activities.values.type``).
ACTIVITY_TYPES = ("visit", "call", "email", "quote", "complaint", "event")

# --- customer table (output of kk_helpers.metrics.customer_table) ---------------------
# totals over the analysis period
REVENUE_TOTAL = "revenue_total"
MARGIN_TOTAL = "margin_total"  # = CM I
ORDERS_TOTAL = "orders_total"
LINES_TOTAL = "lines_total"
CREDIT_NOTES = "credit_note_lines"
AVG_ORDER_VALUE = "avg_order_value"
FIRST_PURCHASE = "first_purchase"
LAST_PURCHASE = "last_purchase"
ACTIVE_YEARS = "active_years"
PRODUCT_GROUPS_N = "product_groups_n"
MAIN_CHANNEL = "main_channel"
ORDER_COST = "order_cost"  # order-related costs (order processing by channel)
ACTIVITY_COST_TOTAL = "activity_cost"  # customer-related sales and service costs
COST_TO_SERVE = "cost_to_serve"  # order_cost + activity_cost
ACTIVITIES_TOTAL = "activities_total"
CM1 = "cm1"
CM2 = "cm2"
CM3 = "cm3"
CM1_PCT = "cm1_pct"
CAGR = "cagr"
TREND_SLOPE = "trend_slope"  # least-squares slope of yearly revenue / mean revenue
TREND = "trend"  # the trend figure used: cagr where defined, else trend_slope
TREND_METHOD = "trend_method"  # "cagr" | "slope" | "none"
HAS_TRANSACTIONS = "has_transactions"


def year_col(metric: str, year: int) -> str:
    """Name of a per-year column of the customer table, e.g. ``revenue_2024``.

    >>> year_col("revenue", 2024)
    'revenue_2024'
    """
    return f"{metric}_{year}"


def activity_count_col(activity_type: str) -> str:
    """Name of the per-type activity count column, e.g. ``n_visit``.

    >>> activity_count_col("visit")
    'n_visit'
    """
    return f"n_{activity_type}"


# metrics that the customer table carries per analysis year
YEARLY_METRICS = ("revenue", "margin", "orders", "lines", "cost_to_serve", "cm2", "cm3")

# --- status-quo analysis outputs (concentration, classes, profitability, orders,
# development, structure) ---------------------------------------------------
YEAR = "year"  # analysis year (transactions carry it; long tables use it)
MONTH = "month"
CLASS = "class"  # A/B/C/D customer class
CLASSES = ("A", "B", "C", "D")
XYZ = "xyz"  # X/Y/Z regularity class
XYZ_CLASSES = ("X", "Y", "Z")
CV = "cv"  # coefficient of variation of monthly revenue
CLASS_NEW = "new"  # migration: customer only in the later classification
CLASS_LOST = "lost"  # migration: customer only in the earlier classification
CLASS_NONE = "none"  # no current class given
SIZE_BAND = "size_band"
CUSTOMER_SHARE = "customer_share"
VALUE_SHARE = "value_share"
POPULATION_SHARE = "population_share"
CUM_PROFIT_PCT = "cum_profit_pct"
METRIC = "metric"
VALUE = "value"  # order value (revenue of an order) / metric value
LINES = "lines"
CUSTOMERS = "customers"
ORDERS = "orders"

#: how a missing category value is shown (e.g. a customer without industry)
MISSING_VALUE = "–"
