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
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "screenshot.png"
DOCS = ROOT / "docs"
WIDTH = 1400  # the window the pages must read well at
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


def start(db_path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quotes", "serve", str(db_path), "--port", str(port)],
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
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture
def serving():
    """Start `quotes serve` on a database; every server started is stopped at the end."""
    procs = []

    def serve(db_path):
        proc, url = start(db_path)
        procs.append(proc)
        return url

    yield serve
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def server(serve_db, serving):
    return serving(serve_db)


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


@pytest.fixture
def wide_page():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser.new_page(viewport={"width": WIDTH, "height": 900})
        browser.close()


def build_wide_db(path):
    """Nine years of dated quotes (110 months), long titles and names, untitled articles:
    what made the axis labels overlap and the table run 2,151 px wide."""
    import random

    from quotes.model import Article, Quote
    from quotes.store import open_db, save_article

    rnd = random.Random(3)
    speakers = ["Organization for Security and Cooperation in Europe", "Qasym-Zhomart Toqaev", "Ada Quill"]
    outlets = ["Radio Free Europe/Radio Liberty", "The Valley Courier and Evening Post", "Northern Wire"]
    db = open_db(path)
    for n in range(120):
        month = n * 109 // 119
        year, mon = 2014 + (month + 8) // 12, (month + 8) % 12 + 1
        content = "the election results were not a fair reflection of what the voters wanted"
        text = f"\u201c{content},\u201d Taro Kise heard the speaker say. (article {n})"
        quote = Quote(start=1, end=1 + len(content), text=content, kind=rnd.choice(["direct", "mixed"]),
                      speaker_name=speakers[n % 3], speaker="the former president", cue="say",
                      addressee="Kise", rule="test", confidence=0.8)
        title = None if n % 5 == 0 else f"Protests in Almaty end before they begin as police detain dozens ({n})"
        save_article(db, Article(text=text, title=title, outlet=outlets[n % 3], url=f"https://news.example/w{n}",
                                 published=f"{year}-{mon:02d}-15"), [quote], "test")
    db.close()
    return path


def fits_the_window(page) -> dict:
    """How wide the page and its table are, beside the window."""
    return page.evaluate("""() => {
        const wrapper = document.querySelector('.table-wrapper');
        return {page: document.documentElement.scrollWidth, window: window.innerWidth,
                table: wrapper ? wrapper.scrollWidth : 0, room: wrapper ? wrapper.clientWidth : 0};
    }""")


def overlapping_labels(page) -> list:
    """Pairs of axis labels of any chart on the page whose boxes meet, and labels cut at its edges."""
    return page.evaluate("""() => {
        const bad = [];
        for (const svg of document.querySelectorAll('svg.quotes-chart')) {
            const frame = svg.getBoundingClientRect();
            const labels = [...svg.querySelectorAll('text.axis')].map(t => [t.textContent, t.getBoundingClientRect()])
                .filter(([, b]) => b.top > frame.top + frame.height * 0.7);  // the x axis, not the counts
            labels.forEach(([text, b], i) => {
                if (b.left < frame.left - 0.5 || b.right > frame.right + 0.5) bad.push(['clipped', text]);
                for (const [other, c] of labels.slice(i + 1))
                    if (b.left < c.right && c.left < b.right && b.top < c.bottom && c.top < b.bottom) bad.push([text, other]);
            });
        }
        return bad;
    }""")


def test_all_quotes_fits_1400px_and_charts_read(tmp_path, serving, wide_page):
    url = serving(build_wide_db(tmp_path / "wide.db"))
    page = wide_page
    page.goto(f"{url}/wide/quotes_view")
    sizes = fits_the_window(page)
    assert sizes["page"] <= sizes["window"] and sizes["table"] <= sizes["room"], sizes
    headers = page.locator("table.rows-and-columns th:visible").all_inner_texts()
    assert [h.strip() for h in headers] == ["id", "text", "speaker", "kind", "outlet", "date", "article_title", "confidence"]
    # the links still work on the default columns; an untitled article says so
    expect = sync_api.expect
    expect(page.locator("td.col-article_title a.untitled").first).to_have_text("untitled article 1")
    assert page.locator("td.col-text a.quote-link").count() == 50
    # dates and titles do not wrap a word a line
    lines = "td => { const r = document.createRange(); r.selectNodeContents(td); " \
            "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    assert page.locator("td.col-date").first.evaluate(lines) == 1
    title = page.locator("td.col-article_title").nth(1)
    assert title.evaluate(lines) <= 3 and title.bounding_box()["width"] > 150
    assert overlapping_labels(page) == []
    # the month facet runs newest first
    months = page.locator('[data-column="month"] li a').all_inner_texts()
    assert months[:3] == sorted(months[:3], reverse=True) and months[0] == "2023-10"
    page.screenshot(path=str(DOCS / "all-quotes.png"))

    # every column, one click away
    page.locator(".quotes-columns a", has_text="show all columns").click()
    page.wait_for_url("**_columns=all**")
    assert page.locator("table.rows-and-columns th").count() > 20

    page.goto(f"{url}/wide")
    assert page.locator("svg.quotes-chart").count() == 2
    assert overlapping_labels(page) == []

    page.goto(f"{url}/-/speaker/1")
    assert overlapping_labels(page) == []
    expect(page.locator(".facts")).to_contain_text("former president")
    expect(page.locator(".facts")).to_contain_text("Taro Kise")
    expect(page.locator("table.speaker-quotes td.article-cell a").first).to_have_text("untitled article 1")
    page.screenshot(path=str(DOCS / "speaker.png"))


def test_seed_database_page_shows_speakers(tmp_path, serving, wide_page):
    db_path = tmp_path / "quotes.db"
    subprocess.run([sys.executable, "-m", "quotes", "ingest", str(db_path), str(ROOT / "seeds"), "--silent"],
                   check=True, capture_output=True)
    page = wide_page
    page.goto(f"{serving(db_path)}/quotes")
    expect = sync_api.expect
    overview = page.locator(".quotes-overview")
    expect(overview.locator("a", has_text="Qasym-Zhomart Toqaev")).to_have_count(1)
    expect(overview).to_contain_text("press conference")
    expect(overview).to_contain_text("untitled article 1")
    expect(page.locator(".quotes-undated")).to_have_count(1)
    sizes = fits_the_window(page)
    assert sizes["page"] <= sizes["window"], sizes
    page.screenshot(path=str(DOCS / "database.png"))
    overview.locator("a", has_text="Qasym-Zhomart Toqaev").click()
    page.wait_for_url("**/-/speaker/**")
    expect(page.locator("h1")).to_have_text("Qasym-Zhomart Toqaev")


def test_cluster_page_reads_in_a_browser(tmp_path, serving, wide_page):
    """All quotes -> group by cluster -> the travelling quote's cluster page: first seen, the
    timeline, the wordings diffed (visibly struck out and marked in), the misattribution
    flagged; then the flagged speaker's page with their aliases. Saves docs/cluster.png."""
    sys.path.insert(0, str(Path(__file__).parent / "data"))
    import corpus_across as corpus
    from quotes.store import open_db

    db_path = tmp_path / "week.db"
    db = open_db(db_path)
    corpus.save_all(db)
    db.close()
    url = serving(db_path)
    page = wide_page
    expect = sync_api.expect
    page.goto(f"{url}/week/quotes_view")
    page.locator("a", has_text="group by cluster").click()
    page.wait_for_url("**/week/clusters_view?**")
    page.locator("td.col-text a", has_text="raise taxes on working families").first.click()
    page.wait_for_url("**/-/cluster/**")
    expect(page.locator("#first-seen")).to_contain_text("Steppe Times")
    expect(page.locator("#first-seen")).to_contain_text("2024-03-01")
    expect(page.locator("svg.cluster-timeline circle")).to_have_count(5)
    assert overlapping_labels(page) == []
    expect(page.locator("#sightings tbody tr")).to_have_count(5)
    struck = page.locator("#variants del").first.evaluate("d => getComputedStyle(d).textDecorationLine")
    assert "line-through" in struck
    inserted = page.locator("#variants ins", has_text="never")
    expect(inserted).to_have_count(1)
    assert inserted.evaluate("i => getComputedStyle(i).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    flagged = page.locator("#speakers-by-outlet tr.misattributed")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("Coastal Ledger")
    expect(flagged.locator(".flag")).to_be_visible()
    expect(page.locator("#misattribution")).to_be_visible()
    sizes = fits_the_window(page)
    assert sizes["page"] <= sizes["window"], sizes
    page.screenshot(path=str(DOCS / "cluster.png"), full_page=True)

    flagged.locator("a", has_text="Marta Olenska").click()
    page.wait_for_url("**/-/speaker/**")
    expect(page.locator("#aliases")).to_contain_text("Mayor Marta Olenska")
    expect(page.locator("#aliases")).to_contain_text("title or honorific dropped")
