"""Seeded generator of fictional clients (the committed sample and the benchmark client).

``generate_client`` writes a client folder: customers, transactions and activities,
plus a ``client.yml`` when the folder has none yet (``write_config=True`` overwrites
it). The default call reproduces the three data files of ``data/sample/`` byte for byte
(``tests/test_sample.py`` checks this), so the output holds no timestamps, numbers are
formatted with fixed decimals and rows are written in a deterministic order. The
committed ``data/sample/client.yml`` is maintained by hand (later stages add sections);
the test only checks that its ``files``, ``analysis`` and ``cost_rates`` sections equal
the generated ones, so formats and mappings cannot drift from the data.

The fictional client is "Muster Industriebedarf GmbH", a mid-size German distributor of
industrial supplies (C-parts, tools, safety equipment) near Stuttgart:

* customer sizes are lognormal: a few large accounts carry most of the revenue, and
  some 60 % of the customers are small (C/D), with well under 10 % of the revenue;
* new customers (first purchase in a later analysis year), lost customers (no purchase
  in the last year), a few dormant master records without any purchase, and a group of
  small but fast-growing, profitable customers (future "smart accounts");
* regular call-off customers (Kanban / EDI replenishment, mostly large ones) ordering
  weekly, fortnightly or monthly with stable values (X or Y in the XYZ analysis), while
  the others order in lumps (Z);
* order lines with contribution margin I by product group, credit notes (~2 % of the
  lines), sales channels that drift towards the webshop, seasonality and German
  public holidays;
* sales and service activities by habit rather than by value: ~9,000 field visits a
  year, a third of them at small customers (< 10 % of the revenue), demanding customers
  with many calls and complaints, lost customers still visited for a while, and "power
  buyers" (large accounts with low prices and high service demands). With the cost
  rates of ``client.yml`` the whale curve peaks at some 170 %: the unprofitable tail,
  mostly small customers, gives back a large part of the profit.

Run ``python -m kk_helpers.sample data/sample`` to regenerate the sample data (an
existing ``client.yml`` is kept unless ``--write-config`` is given), or
``python -m kk_helpers.sample --large`` for the benchmark client (100,000 customers,
~10 million lines, Parquet, written year by year to bound memory).

All generation is vectorised numpy; the only Python loops run over years.

Modules: :mod:`.reference` (constants and reference tables), :mod:`.customers`
(calendar, customer master), :mod:`.years` (lines and activities per year),
:mod:`.writers` (formatting, file writer), :mod:`.client_yml` (``config_yaml``),
:mod:`.generate` (``generate_client``) and :mod:`.cli` (``main``); the public names
are re-exported here.
"""

from kk_helpers.sample.cli import main
from kk_helpers.sample.client_yml import config_yaml
from kk_helpers.sample.generate import generate_client
from kk_helpers.sample.reference import (
    CLIENT_NAME,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    LARGE_CUSTOMERS,
    LARGE_DIR,
    LARGE_LINES,
    LINES_PER_CUSTOMER,
    REPO_ROOT,
    SAMPLE_CUSTOMERS,
    Format,
)

__all__ = [
    "CLIENT_NAME",
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "LARGE_CUSTOMERS",
    "LARGE_DIR",
    "LARGE_LINES",
    "LINES_PER_CUSTOMER",
    "REPO_ROOT",
    "SAMPLE_CUSTOMERS",
    "Format",
    "config_yaml",
    "generate_client",
    "main",
]
