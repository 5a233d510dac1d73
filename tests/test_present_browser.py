"""``kk present`` in a real browser: Debian's Chromium driven by Playwright.

Starts the live app on the sample (a free port, a temporary reports folder), opens the start
page and the four stage pages headless, checks that each renders its title and a chart and
shows no code or traceback, and moves one slider on 02 and one on 04: the displayed value
and a live table change. Skipped, with the reason, only when no Chromium is installed
(``.ci/run`` installs Debian's ``chromium``; no browser is downloaded at run time).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kk_helpers.core.paths import sample_client_dir

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).is_file()), None)  # fmt: skip

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"),
]

#: Chromium flags for this closed network (no background connections, no sandbox as root)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
#: how long a stage page may take to show its content on a loaded CI machine (ms)
PAGE_TIMEOUT = 180_000
CODE_OR_TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|\bimport kk_helpers\b|from kk_helpers|show\.section\(|prepare_client\("
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The running app: its base URL; stopped (Ctrl-C) after the module."""
    port = _free_port()
    out = tmp_path_factory.mktemp("present")
    log = (out / "present.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kk_helpers.batch.cli", "present", str(sample_client_dir()),
         "--port", str(port), "--out", str(out / "reports")],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() - started > 120:
            log.close()
            pytest.fail("kk present did not start:\n" + (out / "present.log").read_text()[-3000:])
        time.sleep(0.5)
    yield url, time.monotonic() - started, out
    proc.send_signal(signal.SIGTERM)  # (Ctrl-C makes Voilà ask for a confirmation)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    return page


def test_start_page_names_the_client_and_links_the_four_stages(app, browser):
    url, seconds, _ = app
    page = _open(browser, url)
    text = page.inner_text("body")
    assert "Muster Industriebedarf GmbH" in text
    links = page.locator("ol.stages a")
    assert links.count() == 4
    assert "53.900.442 €" in text  # the data basis, in the report language
    assert not CODE_OR_TRACEBACK.search(text)
    page.close()
    # the file tree and the contents API are not served
    for path in ("voila/tree", "voila/api/contents", "tree"):
        try:
            with urllib.request.urlopen(url + path, timeout=5) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        assert status == 404, path
    print(f"kk present: start page served after {seconds:.1f} s")
    # the spinner while a stage is computed speaks the report language
    with urllib.request.urlopen(url + "voila/render/01_status_quo.ipynb", timeout=60) as r:
        assert "Die Seite wird berechnet" in r.read().decode("utf-8")


@pytest.mark.parametrize(
    ("notebook", "title"),
    [
        ("01_status_quo.ipynb", "Status quo"),
        ("03_lever_assessment.ipynb", "Stellhebel"),
    ],
)
def test_stage_page_shows_title_and_chart_without_code(app, browser, notebook, title):
    url, _, _ = app
    page = _open(browser, f"{url}voila/render/{notebook}")
    page.wait_for_selector("h1", timeout=PAGE_TIMEOUT)
    page.wait_for_selector(".jp-OutputArea-output img", timeout=PAGE_TIMEOUT)
    page.wait_for_selector("#loading", state="hidden", timeout=PAGE_TIMEOUT)
    assert title in page.inner_text("h1")
    text = page.inner_text("body")
    assert not CODE_OR_TRACEBACK.search(text), CODE_OR_TRACEBACK.search(text)
    assert "There was an error" not in text
    assert page.locator(".kk-nav a").count() == 5
    assert page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count() == 0
    page.close()


def _changed_numbers(before: str, after: str) -> list[str]:
    return [ln for ln in set(after.splitlines()) - set(before.splitlines()) if re.search(r"\d", ln)]


def _move_first_slider(page) -> tuple[str, str]:
    """Press → on the first slider; return the page's text before and after (the value
    and at least one live table cell changed, or 30 s passed)."""
    before = page.inner_text("body")
    handle = page.locator(".widget-slider").first.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    deadline = time.monotonic() + 30
    after = page.inner_text("body")
    while len(_changed_numbers(before, after)) < 2 and time.monotonic() < deadline:
        time.sleep(0.25)
        after = page.inner_text("body")
    return before, after


@pytest.mark.parametrize(
    ("notebook", "title"),
    [("02_customer_screening.ipynb", "Screening"), ("04_target_picture.ipynb", "Zielbild")],
)
def test_a_slider_move_changes_the_value_and_a_live_table(app, browser, notebook, title):
    url, _, _ = app
    page = _open(browser, f"{url}voila/render/{notebook}")
    page.wait_for_selector(".widget-slider", timeout=PAGE_TIMEOUT)
    page.wait_for_selector("#loading", state="hidden", timeout=PAGE_TIMEOUT)
    assert title in page.inner_text("h1")
    page.wait_for_selector(".jp-OutputArea-output img", timeout=PAGE_TIMEOUT)
    before, after = _move_first_slider(page)
    changed = _changed_numbers(before, after)
    assert len(changed) >= 2, changed  # the slider's value and at least one table cell
    text = page.inner_text("body")
    assert not CODE_OR_TRACEBACK.search(text)
    page.close()
