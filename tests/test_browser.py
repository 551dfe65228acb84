"""A real browser (Debian's chromium, driven by Playwright) against `quotes serve` on a real socket.

Clicks a speaker facet, searches, opens a quote and checks its marked context;
saves docs/screenshot.png for the README. `make test` installs chromium first.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not os.path.exists(CHROMIUM):
    pytest.skip("chromium is not installed (run `make browser` as root, or apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(serve_db):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quotes", "serve", str(serve_db), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"quotes serve did not start: {proc.stdout.read().decode()}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def page():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        yield page
        browser.close()


def test_facet_search_and_quote_page(server, page):
    expect = sync_api.expect
    page.goto(f"{server}/news/quotes_view")
    expect(page.locator("h1")).to_contain_text("All quotes")

    # a speaker facet, labelled by name
    page.locator('[data-column="speaker"] a', has_text="Ada Quill").click()
    page.wait_for_url("**speaker=Ada+Quill**")
    expect(page.locator("table.rows-and-columns tbody tr")).to_have_count(4)

    # the search box, with the porter stemmer behind it
    page.fill('input[name="_search"]', "protests")
    page.locator('input[name="_search"]').press("Enter")
    page.wait_for_url("**_search=protests**")
    rows = page.locator("table.rows-and-columns tbody tr")
    expect(rows).to_have_count(1)

    # open the quote from its text
    page.locator("a.quote-link", has_text="the protest movement deserved a hearing").click()
    page.wait_for_url("**/-/quote/3")
    context = page.locator("#context")
    expect(context.locator("mark.q-quote")).to_have_text("the protest movement deserved a hearing")
    expect(context.locator("mark.q-speaker")).to_have_text("Ada Quill")
    expect(context.locator("mark.q-cue")).to_have_text("told")
    # the marks are visibly highlighted, not just present in the markup
    background = context.locator("mark.q-quote").evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(page.locator(".quote-details")).to_contain_text("Radio Meridian")

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # and on to the speaker's page
    page.locator(".quote-by a.speaker-link").click()
    page.wait_for_url("**/-/speaker/3")
    expect(page.locator("h1")).to_have_text("Ada Quill")
    expect(page.locator("svg.quotes-chart rect")).to_have_count(2)
