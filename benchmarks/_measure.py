"""Shared by the benchmark scripts: run one measurement in a fresh interpreter.

Each script re-runs itself with ``--measure WHICH``; the child prints one line
``RESULT {json}`` (seconds, peak memory, ...), which is read back here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_child(cmd: list[str], *, env: dict[str, str], cwd: Path, which: str) -> dict[str, Any]:
    """Run ``cmd`` and return the JSON of its last ``RESULT`` line; exit with the child's
    output when it failed or printed none."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"measurement {which!r} failed (exit code {proc.returncode})")
    return json.loads(lines[-1][len("RESULT ") :])
