"""Static checks of every workbook notebook: parameters cell, no logic, no outputs."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RUNNER_PARAMETERS = {"config", "output_dir", "lang", "anonymize"}


def _parameters_cell(nb) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request) -> Path:
    return request.param


def test_there_is_a_notebook_per_stage():
    assert [p.name[:2] for p in NOTEBOOKS][:1] == ["01"]


def test_parameters_are_typed_literals_with_help(notebook):
    cell = _parameters_cell(nbformat.read(notebook, as_version=4))
    tree = ast.parse(cell.source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), (
            f"{notebook.name}: only `name: type = literal` lines"
        )
        ast.literal_eval(node.value)  # nothing computed in the parameters cell
        names.append(node.target.id)
    for line in cell.source.splitlines():
        if line.strip():
            assert "  # " in line, f"{notebook.name}: parameter without help comment: {line!r}"
    # papermill must understand every line, or it silently ignores the parameter
    assert set(papermill.inspect_notebook(str(notebook))) == set(names)
    assert set(names) >= RUNNER_PARAMETERS


def test_no_function_or_class_definitions(notebook):
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            defs = [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)
            ]
            assert not defs, f"{notebook.name}: logic belongs in kk_helpers"


def test_committed_without_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{notebook.name}: strip outputs"
            )


def test_analyst_notes_are_tagged_markdown(notebook):
    """Markdown cells are notes for the analyst in JupyterLab: each is tagged
    ``analyst-note`` (the HTML export for the client drops them), and every notebook
    explains its parameters in one before the parameters cell."""
    nb = nbformat.read(notebook, as_version=4)
    notes = [c for c in nb.cells if c.cell_type == "markdown"]
    assert notes, f"{notebook.name}: no analyst note"
    untagged = [c.source[:40] for c in notes if "analyst-note" not in c.metadata.get("tags", [])]
    assert not untagged, f"{notebook.name}: tag these markdown cells 'analyst-note': {untagged}"
    assert nb.cells[0].cell_type == "markdown" and "parameters" in nb.cells[0].source.lower()
