"""kk_helpers: the logic behind the small-customer management workbook.

The notebooks in ``notebooks/`` only call functions from this package.
"""

__version__ = "0.1.0"
