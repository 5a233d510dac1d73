"""Shared helpers of the notebook tests: execute a workbook notebook, read its outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill

from kk_helpers.core.paths import notebooks_dir, sample_client_dir


def execute(notebook: str, out: Path, lang: str, **parameters: object) -> nbformat.NotebookNode:
    """Run ``notebooks/<notebook>`` on the sample client into ``out`` with papermill."""
    source = notebooks_dir() / notebook
    target = out / notebook
    params = {
        "config": str(sample_client_dir() / "client.yml"),
        "output_dir": str(out),
        "lang": lang,
    }
    params.update(parameters)
    papermill.execute_notebook(
        str(source),
        str(target),
        parameters=params,
        cwd=str(source.parent),
        progress_bar=False,
        kernel_name="python3",
    )
    return nbformat.read(target, as_version=4)


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """All outputs of the code cells, in order."""
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def errors(nb: nbformat.NotebookNode) -> list[dict]:
    """Error outputs (a clean run has none)."""
    return [o for o in outputs(nb) if o.get("output_type") == "error"]


def images(nb: nbformat.NotebookNode) -> list[dict]:
    """Outputs that hold a PNG figure."""
    return [o for o in outputs(nb) if "image/png" in o.get("data", {})]


def text(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook shows as text: Markdown, HTML tables, plain text, streams.

    HTML tables escape their text (``&amp;``, ``&lt;``): they are read as the reader sees
    them, with the entities decoded (tests/test_safety.py checks the escaping itself).
    Tables join a number and its unit by a non-breaking space ("52\u00a0%"): read as a
    space, as the reader sees it.
    """
    import html

    parts = []
    for o in outputs(nb):
        data = o.get("data", {})
        parts.append(
            data.get("text/markdown", "")
            + html.unescape(data.get("text/html", ""))
            + data.get("text/plain", "")
        )
        parts.append(o.get("text", ""))
    return "\n".join(parts).replace("\u00a0", " ")


MINIMAL_CONFIG = """client:
  name: Minimal Ltd
  currency: GBP
  language: en
analysis:
  years: [2023, 2024, 2025]
  reference_date: 2025-12-31
files:
  customers:
    path: customers.csv
    columns: {customer_id: CustomerNo, name: Company}
  transactions:
    path: transactions.csv
    columns: {customer_id: CustomerNo, date: InvoiceDate, revenue: NetAmount}
"""


def make_minimal_client(folder: Path) -> Path:
    """A client with only the required columns: no margin, channel, order id, activities,
    potential, soft criteria or questionnaires (English headers, `,` and decimal point).

    Built from the sample client's files; returns the folder.
    """
    import pandas as pd

    sample = sample_client_dir()
    folder.mkdir(parents=True, exist_ok=True)
    c = pd.read_csv(sample / "customers.csv", sep=";", encoding="cp1252", dtype=str)
    c = c[["Kundennr", "Firma"]].rename(columns={"Kundennr": "CustomerNo", "Firma": "Company"})
    c.to_csv(folder / "customers.csv", index=False)
    t = pd.read_csv(sample / "transactions.csv", sep=";", encoding="utf-8-sig", dtype=str)
    t = t[["Kundennr", "Belegdatum", "Umsatz netto"]].rename(
        columns={"Kundennr": "CustomerNo", "Belegdatum": "InvoiceDate", "Umsatz netto": "NetAmount"}
    )
    t["NetAmount"] = t["NetAmount"].str.replace(",", ".", regex=False)
    t.to_csv(folder / "transactions.csv", index=False)
    (folder / "client.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return folder


def execute_client(notebook: str, client: Path, out: Path, lang: str, **parameters: object):
    """Run ``notebooks/<notebook>`` for another client folder (see :func:`execute`)."""
    return execute(notebook, out, lang, config=str(client / "client.yml"), **parameters)
