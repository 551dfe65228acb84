"""The server against hostile data and hostile requests (issue 9, items 1-3).

Linear marking and bounded pages, built off the event loop; stored links that are not
http(s) never become links, behind a Content-Security-Policy; odd ids and POSTs get
404 and 405, never a 500.
"""
import asyncio
import base64
import hashlib
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from quotes import pages
from quotes.model import Article, Quote
from quotes.serve import make_datasette
from quotes.store import open_db, save_article


def get(ds, path, method="GET", **kwargs):
    async def fetch():
        await ds.invoke_startup()
        return await ds.client.request(method, path, **kwargs)

    return asyncio.run(fetch())


# --- item 1: marking in one pass ----------------------------------------------------

TOKEN = re.compile(r'<a href="([^"]*)">|</a>|<mark class="([^"]*)" title="[^"]*">|</mark>|([^<]+)')
CSS = ["q-quote", "q-speaker", "q-cue"]


def read_marks(html: str, gap: bool) -> list[tuple[str, frozenset, str | None]]:
    """Each character of marked HTML with the classes marking it and the link around it."""
    chars, classes, href = [], frozenset(), None
    for m in TOKEN.finditer(html):
        link, css, text = m.groups()
        if link is not None:
            href = unescape(link)
        elif m.group(0) == "</a>":
            href = None
        elif css is not None:
            classes = frozenset(css.split())
        elif m.group(0) == "</mark>":
            classes = frozenset()
        else:
            text = unescape(text)
            chars += [(c, classes, href) for c in (text.replace("\n\n", "\n") if gap else text)]
    assert "".join(TOKEN.sub("", html)) == "", "markup the reader does not know"
    return chars


@st.composite
def marked_texts(draw):
    text = draw(st.text(alphabet='ab <>&"\'\n\u201c', max_size=80))
    n = len(text)
    span = st.tuples(st.integers(0, n), st.integers(0, n), st.sampled_from(CSS), st.booleans())
    spans = [pages.Span(min(a, b), max(a, b), css, css[2:], f"/-/quote/{i}?a=1&b=<{i}>" if linked else None)
             for i, (a, b, css, linked) in enumerate(draw(st.lists(span, max_size=30))) if a != b]
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n))
    return text, spans, start, end


@settings(max_examples=50, deadline=None)
@given(marked_texts())
def test_marking_keeps_the_text_and_marks_exactly_the_spans(case):
    text, spans, start, end = case
    gap = "\n\n" not in text[start:end]
    chars = read_marks(str(pages.mark(text, spans, start, end)), gap)
    assert "".join(c for c, _, _ in chars) == text[start:end]
    for offset, (_, classes, href) in enumerate(chars, start):
        covering = [s for s in spans if s.start <= offset < s.end]
        assert classes == {s.css for s in covering}
        assert href == next((s.href for s in covering if s.href), None)


def test_marking_grows_linearly_with_the_number_of_marks():
    """Quadratic marking took 14 s for 6,276 quotes; 8 times the marks must cost about 8 times, not 64."""
    def spans(n):
        return [pages.Span(i * 10 + k, i * 10 + k + 4, CSS[k], "x") for i in range(n) for k in range(3)]

    def best(n):
        text, marks = "word " * (2 * n + 10), spans(n)
        return min(_timed(lambda: pages.mark(text, marks)) for _ in range(3))

    small, large = best(1_000), best(8_000)
    assert large < 30 * small, (small, large)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_page_breaks_bound_characters_and_quotes():
    starts = sorted([5] * 3 + list(range(100, 1000, 3)))
    breaks = pages.page_breaks(5_000, starts, chars=700, per_page=50)
    assert breaks[0] == 0 and breaks == sorted(set(breaks))
    for lo, hi in zip(breaks, breaks[1:] + [5_000]):
        assert hi - lo <= 700
        assert sum(lo <= s < hi for s in starts) <= 50
    assert pages.page_of(breaks, 0) == 1 and pages.page_of(breaks, 4_999) == len(breaks)


# --- item 1: bounded pages of a long article ----------------------------------------

QUOTES_IN_LONG_ARTICLE = 6_000
FILLER = 3_000  # characters of filler after each quote's sentence: an article of about 18 MB
PAGE_BYTES_MAX = 400_000  # what one page of any article may weigh (about 50,000 characters, 200 quotes)


def build_long_article(path) -> int:
    """One article with thousands of quotes and a text of megabytes, stored the usual way."""
    parts, quotes, at = [], [], 0
    for n in range(QUOTES_IN_LONG_ARTICLE):
        sentence = f"Ada Quill said \u201cwe will wait for number {n}\u201d to the board. "
        content = f"we will wait for number {n}"
        i = sentence.index(content)
        quotes.append(Quote(at + i, at + i + len(content), content, "direct", speaker="Ada Quill",
                            speaker_start=at, speaker_end=at + 9, speaker_name="Ada Quill",
                            cue="said", cue_start=at + 10, cue_end=at + 14))
        filler = ("filler " * (FILLER // 7)) + "\n"
        parts += [sentence, filler]
        at += len(sentence) + len(filler)
    db = open_db(path)
    save_article(db, Article(text="".join(parts), title="Long", url="https://news.example/long"), quotes, "test")
    db.close()
    return at


@pytest.fixture(scope="module")
def long_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "news.db"
    return path, build_long_article(path)


@pytest.fixture(scope="module")
def long_ds(long_db):
    return make_datasette(long_db[0])


def test_a_long_article_is_shown_a_bounded_part_at_a_time(long_ds, long_db):
    first = get(long_ds, "/-/article/1")
    assert first.status_code == 200
    assert len(first.content) < PAGE_BYTES_MAX
    assert 'href="/-/article/1?page=2" rel="next"' in first.text
    pages_total = int(re.search(r"part 1 of (\d+)", first.text)[1])
    assert pages_total >= long_db[1] // pages.ARTICLE_PAGE_CHARS
    assert f"{QUOTES_IN_LONG_ARTICLE:,} quotes" not in first.text and f"{QUOTES_IN_LONG_ARTICLE} quotes" in first.text
    listed = re.findall(r'<li><a href="/-/quote/(\d+)">', first.text)
    assert 0 < len(listed) <= pages.ARTICLE_PAGE_QUOTES
    # every quote listed on the part is marked in its text
    marked = set(re.findall(r'<a href="/-/quote/(\d+)"><mark class="q-quote', first.text))
    assert set(listed) <= marked

    last = get(long_ds, f"/-/article/1?page={pages_total}")
    assert last.status_code == 200 and len(last.content) < PAGE_BYTES_MAX
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    assert f"we will wait for number {QUOTES_IN_LONG_ARTICLE - 1}" in last.text
    for bad in ("0", str(pages_total + 1), "abc", "1" * 40, "-1"):
        assert get(long_ds, f"/-/article/1?page={bad}").status_code == 404


def test_a_quote_page_in_a_long_article_is_bounded_and_links_to_its_part(long_ds):
    page = get(long_ds, f"/-/quote/{QUOTES_IN_LONG_ARTICLE}")
    assert page.status_code == 200 and len(page.content) < PAGE_BYTES_MAX
    assert f"The {pages.SIBLINGS_AROUND + 1} nearest of its {QUOTES_IN_LONG_ARTICLE} quotes" in page.text
    part = re.search(r'href="/-/article/1\?page=(\d+)"', page.text)
    assert part, "no link to the part of the article holding the quote"
    assert f"we will wait for number {QUOTES_IN_LONG_ARTICLE - 1}" in get(
        long_ds, f"/-/article/1?page={part[1]}").text
    assert '<mark class="q-quote" title="quote">we will wait for number 5999</mark>' in page.text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(long_db):
    """`quotes serve` on a free port of 127.0.0.1, as a user runs it."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "quotes", "serve", str(long_db[0]), "--port", str(port)],
                               cwd=long_db[0].parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
            break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


LIGHT_LATENCY_MAX = 1.0  # seconds a light request may wait while heavy pages are built


def test_a_heavy_page_does_not_hold_up_other_requests(server):
    """Three heavy pages at once (Datasette's three threads busy) while a light request is
    made again and again: each light one comes back at once, because nothing heavy runs
    on the event loop (marking 6,000 quotes there held every request for seconds)."""
    finished = {}

    def fetch_heavy(path):
        urllib.request.urlopen(server + path, timeout=300).read()
        finished[path] = time.monotonic()

    heavy = [threading.Thread(target=fetch_heavy, args=(path,)) for path in
             ["/-/article/1?page=2", f"/-/quote/{QUOTES_IN_LONG_ARTICLE}", "/-/article/1?page=3"]]
    for t in heavy:
        t.start()
    light = []  # (when it came back, how long it took)
    while any(t.is_alive() for t in heavy):
        sent = time.monotonic()
        urllib.request.urlopen(server + "/-/static-plugins/quotes/quotes.css", timeout=300).read()
        light.append((time.monotonic(), time.monotonic() - sent))
    for t in heavy:
        t.join()
    assert len(finished) == 3
    assert light and light[0][0] < min(finished.values()), "no light request while the heavy ones were built"
    assert max(took for _, took in light) < LIGHT_LATENCY_MAX, light


# --- item 2: stored links that are not http(s) --------------------------------------

HOSTILE_URLS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(document.domain)",
    "\x01\x02javascript:alert(document.domain)",
    "\tjava\nscript:alert(document.domain)",
    "javascript://news.example/%0aalert(document.domain)",
    "vbscript:msgbox(document.domain)",
    "data:text/html,<script>alert(document.domain)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " https://news.example/leading-space",
]


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'''\b(?:href|src|action)\s*=\s*["']([^"']*)''', html, re.IGNORECASE)]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_stored_url_that_is_not_http_is_never_a_link(serve_db, url):
    conn = sqlite3.connect(serve_db)
    conn.execute("update articles set url = ? where id = 1", [url])
    conn.commit()
    conn.close()
    ds = make_datasette(serve_db)
    for path in ("/-/article/1", "/-/quote/1", "/-/speaker/1", "/news/articles", "/news/articles/1",
                 "/news/quotes_view", "/news/quotes_view?_search=cuts", "/news/search?q=cuts"):
        response = get(ds, path)
        assert response.status_code == 200, path
        for link in hrefs(response.text):
            assert re.match(r"(https?://|/|\?|#|$)", link), (path, link)
            assert "alert" not in link and "msgbox" not in link, (path, link)
        assert "<script>alert" not in response.text, path
    # shown as text, so the reader still sees what was stored
    assert str(escape(url)) in get(ds, "/-/article/1").text


def test_an_http_url_is_still_the_original_link(serve_db):
    ds = make_datasette(serve_db)
    assert '<a href="https://news.example/0" rel="noreferrer">original</a>' in get(ds, "/-/article/1").text
    assert '<a href="https://news.example/0" rel="noreferrer">original</a>' in get(ds, "/-/quote/1").text


@pytest.mark.parametrize("url,safe", [
    ("https://news.example/a?b=1#c", True), ("HTTP://NEWS.EXAMPLE/", True), ("http://x", True),
    ("https:news.example", False), ("//news.example/a", False), ("https://news.example/a b", False),
    ("https://news.example/\x00", False), ("ftp://news.example/", False), ("", False), (None, False),
])
def test_http_url(url, safe):
    assert pages.http_url(url) == (url if safe else None)


@pytest.mark.parametrize("path", ["/-/quote/1", "/-/article/1", "/-/speaker/1"])
def test_our_pages_send_a_content_security_policy_their_own_scripts_pass(serve_db, path):
    response = get(make_datasette(serve_db), path)
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
    allowed = set(directives["script-src"].split())
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert inline, "Datasette's menu script is gone: check what the policy allows"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    # everything else the page loads comes from the server itself
    assert not re.search(r"<script[^>]+src=", response.text)
    assert all(h.startswith("/") for h in re.findall(r'<link rel="stylesheet" href="([^"]+)"', response.text))
    assert not re.search(r"\son[a-z]+\s*=", response.text), "an inline event handler the policy would block"
    assert response.headers["x-content-type-options"] == "nosniff"


# --- item 3: odd ids and POSTs -------------------------------------------------------

@pytest.mark.parametrize("page", ["quote", "article", "speaker"])
@pytest.mark.parametrize("raw", [
    "9223372036854775808", "18446744073709551616", "9" * 5_000, "9223372036854775807",
    "-1", "abc", "1.5", "%D9%A1", "0", "1e3",
])
def test_an_id_with_no_row_is_a_404(serve_db, page, raw):
    # Datasette first redirects %-escapes to its ~-escapes; where that lands is a 404 too
    response = get(make_datasette(serve_db), f"/-/{page}/{raw}", follow_redirects=True)
    assert response.status_code == 404
    assert "Traceback" not in response.text


@pytest.mark.parametrize("path", [
    "/news/search", "/news/search?q=cuts", "/news/search.json", "/news/quotes_by_speaker",
    "/news/top_speakers_by_outlet", "/news/quotes", "/news/quotes_view", "/news/no_such_thing",
    "/-/quote/1", "/-/article/1", "/-/speaker/1",
])
def test_a_post_where_nothing_writes_is_a_405(serve_db, path):
    response = get(make_datasette(serve_db), path, method="POST", data={"q": "cuts"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_a_canned_query_that_writes_still_takes_a_post(serve_db):
    from quotes.serve import load_metadata

    metadata = load_metadata()
    metadata["databases"]["quotes"]["queries"]["add_outlet"] = {
        "sql": "insert into outlets (name) values (:name)", "write": True}
    ds = make_datasette(serve_db, metadata)
    response = get(ds, "/news/add_outlet", method="POST", data={"name": "Posted Times"})
    assert response.status_code in (200, 302), response.text
    conn = sqlite3.connect(serve_db)
    assert conn.execute("select count(*) from outlets where name = 'Posted Times'").fetchone() == (1,)
    conn.close()
    assert get(ds, "/news/search?q=cuts").status_code == 200  # and reading is as before
