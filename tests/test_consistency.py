"""One value per figure across every output of a report folder.

Runs the whole batch on the sample (German and English) and on a minimal client, then
reads every headline figure (the registry, ``kk_helpers.metrics.figures``) wherever it
appears: the notebook HTML pages, the executive summary, ``index.html``,
``definitions.html`` and the Excel files. Every occurrence of a figure's label must carry
the client's one value, formatted the one way (HTML) or as the same number (Excel).
"""

from __future__ import annotations

import math
from html.parser import HTMLParser
from pathlib import Path

import nbrun
import openpyxl
import pytest

from kk_helpers.batch.runner import INDEX_FIGURES, run_client
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.metrics.figures import REGISTRY
from kk_helpers.stages.figure_text import figure_label, format_figure
from kk_helpers.stages.figures import load_figures
from kk_helpers.stages.status_quo.findings import KEY_FIGURE_CODES


class _Tables(HTMLParser):
    """Collects the text of every table body row of an HTML page: a list of cell texts per row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._head = False  # column headers are not label/value pairs

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._head = True
        elif tag == "tr" and not self._head:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_rows(path: Path) -> list[list[str]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def labelled_values(rows: list[list[str]], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(code, value text) for every row cell that is a figure's label, value = next cell."""
    found = []
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            if cell in labels:
                found.append((labels[cell], row[i + 1]))
    return found


@pytest.fixture(
    scope="module",
    params=[("sample", "de"), ("sample", "en"), ("minimal", "de")],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def report(request, tmp_path_factory):
    kind, lang = request.param
    root = tmp_path_factory.mktemp(f"consistency-{kind}-{lang}")
    client = sample_client_dir() if kind == "sample" else nbrun.make_minimal_client(root / "client")
    result = run_client(client, out_root=root / "reports", lang=lang)
    assert result.status == "ok", result.error
    figures = load_figures(result.output_dir)
    assert figures is not None
    return result.output_dir, lang, figures, result.currency


def test_figures_json_is_the_registry_computed_once(report):
    out, _, figures, _ = report
    cached = load_figures(out / "cache")
    assert cached is not None and cached.to_dict() == figures.to_dict()
    assert {d.stage for d in REGISTRY if d.code in figures} >= {"status_quo"}


def test_every_html_page_shows_one_value_per_figure(report):
    out, lang, figures, currency = report
    labels = {figure_label(d.code, lang): d.code for d in REGISTRY}
    expected = {c: format_figure(figures[c], lang, currency) for c in figures}
    seen: dict[str, set[str]] = {}
    wrong = []
    for page in sorted(out.glob("*.html")):
        for code, value in labelled_values(html_rows(page), labels):
            seen.setdefault(code, set()).add(page.name)
            if code in expected and value != expected[code]:
                wrong.append(f"{page.name}: {code} = {value!r}, registry {expected[code]!r}")
    assert not wrong, "\n".join(wrong)
    # where each figure must appear
    for code in figures:
        assert "definitions.html" in seen.get(code, ()), code
    for code in INDEX_FIGURES:
        if code in figures:
            assert "index.html" in seen.get(code, ()), code
    for code in KEY_FIGURE_CODES:
        assert "01_status_quo.html" in seen.get(code, ()), code


def test_every_excel_sheet_holds_the_registry_numbers(report):
    out, lang, figures, _ = report
    labels = {figure_label(d.code, lang): d.code for d in REGISTRY}
    wrong, found = [], set()
    for book in sorted(out.glob("*.xlsx")):
        wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells = list(row)
                for i, cell in enumerate(cells[:-1]):
                    if isinstance(cell, str) and cell in labels:
                        code, value = labels[cell], cells[i + 1]
                        found.add(code)
                        want = figures.value(code)
                        ok = (value is None and math.isnan(want)) or (
                            isinstance(value, int | float)
                            and math.isclose(value, want, rel_tol=1e-9)
                        )
                        if not ok:
                            wrong.append(
                                f"{book.name}/{ws.title}: {code} = {value!r}, registry {want!r}"
                            )
    assert not wrong, "\n".join(wrong)
    assert set(KEY_FIGURE_CODES) <= found  # status_quo.xlsx key-figures sheet


def test_not_available_figures_say_why_and_are_never_zero(report):
    out, lang, figures, currency = report
    for code in figures:
        f = figures[code]
        if not f.available:
            assert f.reason, code
            assert format_figure(f, lang, currency).startswith(("nicht verfügbar", "not available"))
