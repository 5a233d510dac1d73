"""Shared helpers of the notebook tests: execute a workbook notebook, read its outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill

from kk_helpers.paths import notebooks_dir, sample_client_dir


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
    """Everything the notebook shows as text: Markdown, HTML tables, plain text, streams."""
    parts = []
    for o in outputs(nb):
        data = o.get("data", {})
        parts.append(
            data.get("text/markdown", "") + data.get("text/html", "") + data.get("text/plain", "")
        )
        parts.append(o.get("text", ""))
    return "\n".join(parts)
