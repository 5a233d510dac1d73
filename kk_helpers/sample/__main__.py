"""``python -m kk_helpers.sample OUT_DIR [--customers N] [--large] ...``."""

import sys

from kk_helpers.sample.cli import main

sys.exit(main())
