"""The commented ``client.yml`` of a generated client."""

from __future__ import annotations

from kk_helpers.sample.reference import (
    ACTIVITY_CANONICAL,
    ACTIVITY_HEADERS,
    ACTIVITY_VALUES,
    CHANNEL_CANONICAL,
    CHANNEL_VALUES,
    CLIENT_NAME,
    CUSTOMER_HEADERS,
    DEFAULT_SEED,
    SAMPLE_CUSTOMERS,
    SOFT_CRITERIA,
    TRANSACTION_HEADERS,
    Format,
)


# --- config ---------------------------------------------------------------------------------
def _yaml_map(mapping: dict[str, str], indent: int) -> str:
    pad = " " * indent
    return "\n".join(f'{pad}{k}: "{v}"' for k, v in mapping.items())


def config_yaml(
    fmt: Format, years: tuple[int, ...], *, n_customers: int, seed: int, large: bool
) -> str:
    """The commented ``client.yml`` of a generated client (the worked example of docs/config.md)."""
    ext = "csv" if fmt == "csv" else "parquet"
    cust_cols = {k: v for k, v in CUSTOMER_HEADERS.items() if k not in ("plz", "city")}
    tx_cols = {k: v for k, v in TRANSACTION_HEADERS.items() if k not in ("doc_type", "pos")}
    act_cols = {k: v for k, v in ACTIVITY_HEADERS.items() if k != "employee"}
    regen = (
        "python -m kk_helpers.sample --large"
        if large
        else f"python -m kk_helpers.sample OUT_DIR --customers {n_customers} --format {fmt}"
    )
    if not large and fmt == "csv" and n_customers == SAMPLE_CUSTOMERS and seed == DEFAULT_SEED:
        regen = "python -m kk_helpers.sample data/sample"
    if fmt == "csv":
        cust_fmt = """\
    # Customer master as saved by Excel on Windows: cp1252, ";" and decimal comma,
    # the potential with a thousands separator ("25.000,00"), dates as DD.MM.YYYY.
    path: customers.csv
    encoding: cp1252
    delimiter: ";"
    decimal: ","
    thousands: "."
    date_format: "%d.%m.%Y"
"""
        tx_fmt = """\
    # Order lines from the ERP: UTF-8 with BOM, ";" and decimal comma, DD.MM.YYYY.
    # "Belegart" (RE = invoice, GS = credit note) and "Pos" (line number) are not
    # needed: unmapped columns are ignored. Credit notes have negative revenue and
    # margin and their own document number (G...).
    path: transactions.csv
    encoding: utf-8-sig
    delimiter: ";"
    decimal: ","
    date_format: "%d.%m.%Y"
"""
        act_fmt = """\
    # Activity export from the CRM: UTF-8, "," and decimal point, ISO dates. Employee
    # names ("Maier, Thomas") contain commas and are therefore quoted.
    # An empty duration means "not logged": the standard minutes of cost_rates apply.
    path: activities.csv
    encoding: utf-8
    delimiter: ","
    decimal: "."
    date_format: "%Y-%m-%d"
"""
    else:
        cust_fmt = f"""\
    # Typed Parquet export: ids as strings, dates as date32, numbers as float64.
    path: customers.{ext}
"""
        tx_fmt = f"""\
    # Typed Parquet export (written year by year in row groups).
    path: transactions.{ext}
"""
        act_fmt = f"""\
    # Typed Parquet export; "Datum" is a timestamp.
    path: activities.{ext}
"""
    note = ""
    if regen == "python -m kk_helpers.sample data/sample":
        note = (
            "\n# Do not edit the data files by hand: tests/test_sample.py checks that the"
            "\n# generator reproduces them byte for byte."
        )
    channel_map = dict(zip(CHANNEL_VALUES, CHANNEL_CANONICAL, strict=True))
    type_map = dict(zip(ACTIVITY_VALUES, ACTIVITY_CANONICAL, strict=True))
    name = CLIENT_NAME if not large else f"{CLIENT_NAME} (benchmark)"
    cid = "muster" if not large else "muster-large"
    return f"""\
# client.yml: configuration of one client folder (worked example; see docs/config.md).
#
# "{CLIENT_NAME}" is a FICTIONAL mid-size distributor of industrial supplies
# (C-parts, tools, safety equipment) near Stuttgart. All data in this folder were
# generated with `{regen}` (seed {seed}).{note}

client:
  name: "{name}"  # shown in report titles
  id: {cid}  # report folder name (default: the folder name)
  currency: EUR  # ISO code used in all money labels
  language: de  # default report language: de | en

analysis:
  years: [{", ".join(str(y) for y in years)}]  # ascending, contiguous; the last is the current one
  reference_date: {years[-1]}-12-31  # "today": later dates are rejected as future dates

# One entry per table. `columns` maps canonical name -> column header in the client's
# file; `values` maps the client's values of a column to canonical ones.
files:
  customers:
{cust_fmt}    columns:
{_yaml_map(cust_cols, 6)}

  transactions:
{tx_fmt}    columns:
{_yaml_map(tx_cols, 6)}
    values:
      channel:                          # "Vertriebsweg" -> canonical sales channel
{_yaml_map(channel_map, 8)}

  activities:
{act_fmt}    columns:
{_yaml_map(act_cols, 6)}
    values:
      type:                             # "Typ" -> canonical activity type
{_yaml_map(type_map, 8)}

# Soft criteria (scores 1-5 in the customer master, rated by the sales reps for part
# of the customers; empty = not rated). Names must match files.customers.columns.
soft_criteria: [{", ".join(SOFT_CRITERIA)}]  # service_effort: 5 = very high effort

# Cost rates for cost-to-serve (time-driven: minutes x hourly rate of the role,
# the hourly rate being the capacity cost rate = cost of capacity / practical hours).
cost_rates:
  activities:
    visit: {{minutes: 150, hourly_rate: 95.0}}      # field sales incl. travel
    call: {{minutes: 8, hourly_rate: 55.0}}         # inside sales
    email: {{cost: 6.0}}                            # flat cost per e-mail
    quote: {{minutes: 45, hourly_rate: 60.0}}       # inside sales / technical support
    complaint: {{minutes: 90, hourly_rate: 65.0}}   # quality management + logistics
  order_processing:                     # cost per order by canonical channel (EUR)
    field_sales: 48.0                   # order taken by the rep, keyed in by inside sales
    inside_sales: 28.0                  # phone / e-mail / fax order
    dealer: 12.0                        # via a partner dealer (Fachhandel)
    webshop: 6.5
    edi: 3.5
    default: 25.0                       # any other channel

# Customer classes (Pareto/ABC on total revenue of the analysis years).
classes:
  basis: revenue                        # revenue | margin
  abc_thresholds: [0.80, 0.95]          # cumulative share limits of A and B
  d_min_revenue: 0.0                    # last-year revenue below this -> D
  d_inactive_last_year: true            # no purchase in the last year -> D
  xyz_thresholds: [0.5, 1.0]            # CV of monthly revenue: X below 0.5, Y below 1.0

orders:
  value_thresholds: [100, 250, 500]     # order-value bands for the small-order view (EUR)

validation:
  max_examples: 5                       # example rows named per issue
  max_margin_ratio: 1.0                 # flag lines whose margin exceeds revenue x this
"""
