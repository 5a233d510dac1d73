"""Every HTML page of a report folder is fit to show a client's board (issue 12).

Runs the whole batch on the sample (German and English) and reads every HTML page of the
report folder: no "…" truncation, no English decimal on a German page, no file name,
config key or notebook number outside the technical appendix, a link back to
``index.html``, the right ``lang``, an alt text on every image, no 0..n index column and
one header row per table. Plus the notebook export on tiny notebooks: cells tagged
``analyst-note`` are removed, charts get their alt text.

Text that the "texts" part of issue 12 still has to move to the appendix is listed in
:data:`KNOWN_TECHNICAL` / :data:`KNOWN_DECIMALS` (page, exact text): such a finding makes
the test xfail with the list, any other finding fails it.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kk_helpers.batch import runner
from kk_helpers.batch.offline_html import ANALYST_NOTE_TAG
from kk_helpers.batch.pages import describe_images
from kk_helpers.core.formatting import style_table
from kk_helpers.core.paths import sample_client_dir
from kk_helpers.present.display import quote_list_html
from kk_helpers.present.technical_page import FILE_NAME as TECHNICAL_FILE

#: nbconvert's alt text for an image without a description
DEFAULT_ALT = "No description has been provided for this image"

#: an English decimal: 1.6, 0.32, ≤ 0.5 -- not German thousands (1.000), dates
#: (29.11.2026) or versions (3.11.7)
ENGLISH_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}\.\d{1,2}(?!\.?\d)")

#: technical words that belong in the technical appendix only
TECHNICAL = re.compile(
    r"[\w.-]+\.(?:parquet|xlsx|yml)\b|client\.yml|target\.scenario\.|screening\.capacity"
    r"|Notebooks? 0\d"
)

#: (page, text) findings accepted on purpose (none: every page is clean)
KNOWN_TECHNICAL: tuple[tuple[str, str], ...] = ()
KNOWN_DECIMALS: tuple[tuple[str, str], ...] = ()


class _Page(HTMLParser):
    """Visible text, <html lang>, links, images and tables of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.tables: list[dict] = []
        self._skip = 0  # inside <style>/<script>
        self._stack: list[dict] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag in ("style", "script"):
            self._skip += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img":
            self.images.append(a)
        elif tag == "table":
            self._stack.append({"head_rows": 0, "heads": [], "rows": [], "row": None})
        elif self._stack:
            table = self._stack[-1]
            if tag == "thead":
                self._in_head = True
            elif tag == "tr":
                table["row"] = []
                if self._in_head:
                    table["head_rows"] += 1
            elif tag in ("td", "th"):
                self._cell = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif self._stack:
            table = self._stack[-1]
            if tag == "thead":
                self._in_head = False
            elif tag in ("td", "th") and self._cell is not None and table["row"] is not None:
                table["row"].append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif tag == "tr" and table["row"] is not None:
                (table["heads"] if self._in_head else table["rows"]).append(table["row"])
                table["row"] = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.visible = " ".join(" ".join(page.text).split())  # type: ignore[attr-defined]
    return page


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - 50) : end + 30]


def _report(found: list[tuple[str, str, str]], known: tuple[tuple[str, str], ...], what: str):
    """Fail on findings not in ``known``; xfail naming the known ones that remain."""
    unknown = [f for f in found if not any(f[0] == p and k in f[1] for p, k in known)]
    assert not unknown, f"{what}:\n" + "\n".join(f"{p}: {m!r} in …{c}…" for p, m, c in unknown)
    if found:
        names = sorted({f"{p}: {m}" for p, m, _ in found})
        pytest.xfail(f"{what} still written by the notebooks' texts (issue 12, 'texts'): {names}")


@pytest.fixture(scope="module", params=["de", "en"])
def report(request, tmp_path_factory):
    lang = request.param
    root = tmp_path_factory.mktemp(f"pages-{lang}")
    result = runner.run_client(sample_client_dir(), out_root=root / "reports", lang=lang)
    assert result.status == "ok", result.error
    pages = {p.name: parse(p) for p in sorted(result.output_dir.glob("*.html"))}
    return result.output_dir, lang, pages


def test_every_page_is_there(report):
    out, _, pages = report
    expected = {
        "index.html",
        "executive_summary.html",
        "definitions.html",
        TECHNICAL_FILE,
        "validation_report.html",
        *(f"{Path(nb).stem}.html" for nb in runner.NOTEBOOKS.values()),
    }
    assert expected <= set(pages)
    assert TECHNICAL_FILE in pages["index.html"].links


def test_the_deck_is_in_the_report_folder_in_the_report_language(report):
    from pptx import Presentation

    out, lang, pages = report
    assert "deck.pptx" in pages["index.html"].links
    slides = list(Presentation(str(out / "deck.pptx")).slides)
    title = slides[0].shapes[0].text_frame.text
    assert title == {"de": "Kleinkundenmanagement: Ergebnisse der Analyse",
                     "en": "Small-customer management: results of the assessment"}[lang]  # fmt: skip
    # the index says how to present live, with the client's folder
    assert "kk present" in " ".join(pages["index.html"].text)


def test_no_truncated_text(report):
    _, _, pages = report
    cut = [(name, _around(p.visible, m.start(), m.end())) for name, p in pages.items()
           for m in re.finditer("…", p.visible)]  # fmt: skip
    assert not cut, cut


def test_no_english_decimal_on_a_german_page(report):
    _, lang, pages = report
    if lang != "de":
        pytest.skip("German pages only")
    found = [
        (name, m.group(0), _around(p.visible, m.start(), m.end()))
        for name, p in pages.items()
        for m in ENGLISH_DECIMAL.finditer(p.visible)
    ]
    _report(found, KNOWN_DECIMALS, "English decimals on German pages")


def test_file_names_and_config_keys_only_in_the_technical_appendix(report):
    _, _, pages = report
    found = [
        (name, m.group(0), _around(p.visible, m.start(), m.end()))
        for name, p in pages.items()
        if name != TECHNICAL_FILE
        for m in TECHNICAL.finditer(p.visible)
    ]
    # the appendix does list them
    appendix = pages[TECHNICAL_FILE].visible
    assert "target.scenario.shift_to_inside" in appendix and "status_quo.xlsx" in appendix
    assert "customers.csv" in appendix and "customer_table.parquet" in appendix
    _report(found, KNOWN_TECHNICAL, "file names / config keys outside technical.html")


def test_every_page_links_back_to_the_index_and_has_its_language(report):
    _, lang, pages = report
    for name, page in pages.items():
        assert "index.html" in page.links, name
        assert page.lang == lang, (name, page.lang)


def test_every_image_has_a_meaningful_alt_text(report):
    _, _, pages = report
    for name, page in pages.items():
        for img in page.images:
            alt = (img.get("alt") or "").strip()
            assert alt and alt != DEFAULT_ALT, (name, img.get("src", "")[:40])
    assert len(pages["executive_summary.html"].images) >= 3  # the board's charts
    assert len(pages["01_status_quo.html"].images) >= 5


def test_tables_have_one_header_row_and_no_row_numbers(report):
    _, _, pages = report
    for name, page in pages.items():
        for table in page.tables:
            assert table["head_rows"] <= 1, (name, table["heads"])
            rows = table["rows"]
            heads = table["heads"][0] if table["heads"] else []
            first = [r[0] for r in rows if r]
            numbered = len(first) >= 2 and first == [str(i) for i in range(len(first))]
            assert not (numbered and (not heads or heads[0] == "")), (name, heads, rows[:2])


def test_print_stylesheet_on_every_page(report):
    out, _, _ = report
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "size: A4 landscape" in text, page.name
        assert "break-inside: avoid" in text and "table-header-group" in text, page.name


def test_pain_points_are_a_quote_list(report):
    _, _, pages = report
    page = pages["03_lever_assessment.html"]
    # a statement with its speaker, in full, not in a table
    assert "Mindestbestellwert von 50" in page.visible or "minimum order value of" in page.visible
    for table in page.tables:
        assert not any("Mindestbestellwert von 50 €" in " ".join(r) for r in table["rows"])


# --- the notebook export on tiny notebooks (no kernel) ---------------------------------

_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def _image_output(alt: str | None = None):
    meta = {"image/png": {"alt": alt}} if alt else {}
    return nbformat.v4.new_output("display_data", data={"image/png": _PNG}, metadata=meta)


def _notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    note = nbformat.v4.new_markdown_cell("ANALYST ONLY: change the weights in cell 3")
    note.metadata["tags"] = [ANALYST_NOTE_TAG]
    heading = nbformat.v4.new_code_cell("show.section(...)")
    heading.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": "## Revenue concentration\n\nText."}
        ),
        _image_output(),  # a chart without a title: the section heading
        _image_output("Whale curve: cumulative CM III"),  # the chart's own title
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Client report"), note, heading]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_analyst_notes_are_not_in_the_client_html(tmp_path):
    page = runner.export_html(_notebook(tmp_path), tmp_path / "tiny.html", "Tiny", lang="de")
    text = page.read_text(encoding="utf-8")
    assert "ANALYST ONLY" not in text
    assert "Client report" in text  # other markdown cells stay
    parsed = parse(page)
    assert parsed.lang == "de" and "index.html" in parsed.links


def test_notebook_charts_get_their_title_or_section_as_alt_text(tmp_path):
    nb = nbformat.read(_notebook(tmp_path), as_version=4)
    assert describe_images(nb) == 1
    page = runner.export_html(_notebook(tmp_path), tmp_path / "tiny.html", "Tiny", lang="en")
    alts = [img.get("alt") for img in parse(page).images]
    assert alts == ["Revenue concentration", "Whale curve: cumulative CM III"]


def test_kernel_side_alt_text_is_the_figure_title():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kk_helpers.present.display import figure_alt_text

    fig, ax = plt.subplots()
    ax.set_title("Lorenz curve (revenue) – Gini 0.79")
    assert figure_alt_text(fig) == "Lorenz curve (revenue) – Gini 0.79"
    fig.suptitle("Concentration")
    assert figure_alt_text(fig) == "Concentration"
    plt.close(fig)


# --- the table look and the quote list (no batch run) --------------------------------


def test_named_index_is_a_column_and_a_range_index_is_hidden():
    frame = pd.DataFrame({"revenue": [1500.5, 20.0]}, index=pd.Index(["A", "B"], name="class"))
    html = style_table(frame, "de", money_cols=["revenue"]).to_html()
    page = _Page()
    page.feed(html)
    (table,) = page.tables
    assert table["heads"] == [["class", "revenue"]]
    # 1500.5 rounds half up to 1.501 €; number and € joined by a non-breaking space
    assert table["rows"] == [["A", "1.501 €"], ["B", "20 €"]]
    assert "1.501\u00a0€" in html and "20\u00a0€" in html
    plain = style_table(frame.reset_index(drop=True), "en").to_html()
    page = _Page()
    page.feed(plain)
    # no 0/1 column; floats with the fewest decimals that show them all, en marks
    assert page.tables[0]["rows"] == [["1,500.5"], ["20.0"]]


def test_quote_list_keeps_the_full_text_and_the_speaker():
    long = "Sonderwünsche kleiner Kunden (Musterteile, Expresslieferung) sind kostenlos – " * 3
    frame = pd.DataFrame({"lever": ["Konditionen"], "question": ["Zuschläge?"],
                          "role": ["Kundenservice"], "comment": [long]})  # fmt: skip
    html = quote_list_html(frame, context=["question"], group="lever")
    page = _Page()
    page.feed(html)
    visible = " ".join(" ".join(page.text).split())
    assert " ".join(long.split()) in visible
    assert "— Kundenservice · Zuschläge?" in visible and "Konditionen" in visible
    assert "<table" not in html


def test_printed_on_a4_landscape_no_table_is_cut(report):
    """Every page printed (print media, A4 landscape minus margins = 1032 px at 96 dpi): no
    table reaches past the right edge. Needs Debian's Chromium (skipped without it)."""
    import shutil as _shutil

    chromium = (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else _shutil.which("chromium")
    )
    if not chromium:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    out, _, pages = report
    cut = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])  # fmt: skip
        page = browser.new_page(viewport={"width": 1032, "height": 700})
        page.emulate_media(media="print")
        tall = []
        for name in pages:
            page.goto((out / name).as_uri())
            cut += [(name, *c) for c in page.evaluate(
                "() => Array.from(document.querySelectorAll('table'))"
                ".filter(t => t.getBoundingClientRect().right > 1033)"
                ".map(t => [Math.round(t.getBoundingClientRect().right), t.innerText.slice(0, 60)])"
            )]  # fmt: skip
            # A4 landscape 210 mm minus 2 x 12 mm margin = 186 mm = 186 / 25.4 * 96 = 703 px:
            # a taller chart is split across two printed pages (the sample's roadmap was
            # 777 px, the lever maturity chart 711 px); its aspect ratio is kept
            tall += [(name, *c) for c in page.evaluate(
                "() => Array.from(document.querySelectorAll('img')).map(i => {"
                " const r = i.getBoundingClientRect();"
                " return [Math.round(r.height), i.alt.slice(0, 40),"
                "  Math.abs(r.width / r.height - i.naturalWidth / i.naturalHeight) < 0.02]; })"
                ".filter(x => x[0] > 703 || !x[2])"
            )]  # fmt: skip
        browser.close()
    assert not cut, cut
    assert not tall, tall
