"""URLs fetched from an http.server on 127.0.0.1 started by the test: pages, errors, retries, dedup."""
import shutil
import sqlite3
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.cli import cli
from quotes.ingest import quote_rows
from quotes.model import Article
from quotes.sources import InputError, iter_articles
from quotes.sources import web

DATA = Path(__file__).parent / "data"
PAGE = DATA / "harbour_article.html"


class Handler(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    agents: list = []
    lock = threading.Lock()
    in_flight = 0
    most_in_flight = 0

    def do_GET(self):
        with Handler.lock:
            Handler.in_flight += 1
            Handler.most_in_flight = max(Handler.most_in_flight, Handler.in_flight)
        try:
            self.route()
        finally:
            with Handler.lock:
                Handler.in_flight -= 1

    def route(self):
        Handler.hits[self.path] += 1
        Handler.agents.append(self.headers.get("User-Agent"))
        n = Handler.hits[self.path]
        if self.path == "/news/harbour":
            self.reply(200, PAGE.read_bytes(), "text/html; charset=utf-8")
        elif self.path == "/valley":
            self.reply(200, (DATA / "plain_page.htm").read_bytes(), "text/html")
        elif self.path == "/notes.txt":
            self.reply(200, "The ferry will run on Sundays, the operator said.".encode(), "text/plain; charset=utf-8")
        elif self.path == "/flaky":
            self.reply(500, b"oops", "text/plain") if n == 1 else self.reply(200, PAGE.read_bytes(), "text/html")
        elif self.path == "/busy":
            if n == 1:
                self.reply(429, b"slow down", "text/plain", [("Retry-After", "0")])
            else:
                self.reply(200, (DATA / "plain_page.htm").read_bytes(), "text/html")
        elif self.path == "/down":
            self.reply(503, b"down", "text/plain")
        elif self.path.startswith("/slow/"):
            threading.Event().wait(0.05)  # long enough for requests to overlap
            self.reply(200, f"Story {self.path[6:]} is a short plain text.".encode(), "text/plain")
        elif self.path == "/logo.png":
            self.reply(200, b"\x89PNG\r\n\x1a\n\x00", "image/png")
        else:
            self.reply(404, b"not found", "text/plain")

    def reply(self, status, body, ctype, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(web, "BACKOFF_SECONDS", 0.01)
    Handler.hits = Counter()
    Handler.agents = []
    Handler.most_in_flight = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_pages_and_text_fetched_in_order_with_a_user_agent(server):
    urls = [f"{server}/news/harbour", f"{server}/notes.txt", f"{server}/valley"]
    items = list(iter_articles(urls, concurrency=2))
    assert all(isinstance(i, Article) for i in items)
    assert [i.source for i in items] == urls
    harbour, notes, valley = items
    assert harbour.url == "https://ledger.example.com/news/2024/03/harbour-wall"  # canonical wins
    assert harbour.outlet == "The Coastal Ledger" and harbour.published == "2024-03-05"
    assert notes.text == "The ferry will run on Sundays, the operator said." and notes.url == urls[1]
    assert valley.url == urls[2] and valley.published is None
    assert all(a.startswith("quotes/") for a in Handler.agents)


def test_failures_one_line_each_and_retries(server):
    urls = [f"{server}/missing", f"{server}/flaky", f"{server}/busy", f"{server}/down", f"{server}/logo.png",
            "http://127.0.0.1:9/closed"]
    items = list(iter_articles(urls, retries=2, timeout=5))
    assert [type(i).__name__ for i in items] == ["InputError", "Article", "Article", "InputError", "InputError",
                                                 "InputError"]
    assert str(items[0]) == f"{server}/missing: HTTP 404 Not Found"
    assert Handler.hits["/missing"] == 1  # a 404 is not retried
    assert Handler.hits["/flaky"] == 2 and Handler.hits["/busy"] == 2
    assert str(items[3]) == f"{server}/down: HTTP 503 Service Unavailable after 3 tries"
    assert Handler.hits["/down"] == 3
    assert str(items[4]) == f"{server}/logo.png: not an HTML or text page (image/png)"
    assert str(items[5]).startswith("http://127.0.0.1:9/closed: cannot fetch:")
    assert all("\n" not in str(i) for i in items if isinstance(i, InputError))


def test_ingest_urls_file_and_argument(server, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# pages to read\n\n{server}/valley\n{server}/missing\n")
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), f"{server}/news/harbour", "--urls", str(listing),
                                      "--concurrency", "3"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"{server}/missing: HTTP 404 Not Found"
    assert lines[1].startswith("Added 2 articles (") and lines[1].endswith("1 skipped (1 HTTP 404): see above.")
    assert sqlite3.connect(db).execute("select source from articles order by id").fetchall() == [
        (f"{server}/news/harbour",), (f"{server}/valley",)]


def test_same_page_from_file_warc_and_url_is_one_article(server, tmp_path):
    url = f"{server}/valley"  # a page with no canonical URL: matched by its text
    page = tmp_path / "valley.html"
    shutil.copy(DATA / "plain_page.htm", page)
    crawl = tmp_path / "crawl.warc.gz"
    with open(crawl, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warc_record(
            url, "response", payload=BytesIO(page.read_bytes()),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))
    inputs = [str(page), str(crawl), url]
    articles = [i for i in iter_articles(inputs) if isinstance(i, Article)]
    assert len(articles) == 3 and len({a.text for a in articles}) == 1
    # the same quotes from each
    rows = list(quote_rows(inputs))
    by_doc = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append({k: v for k, v in row.items() if k != "doc_id"})
    assert len(by_doc) == 3 and len({str(v) for v in by_doc.values()}) == 1 and rows
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), *inputs], catch_exceptions=False)
    assert result.exit_code == 0
    assert "; 2 already present." in result.stderr
    assert sqlite3.connect(db).execute("select count(*) from articles").fetchone() == (1,)
    # and a page seen again under its canonical URL is found by URL: the file is added, then the
    # URL (read last) replaces its changed text with the page's
    changed = tmp_path / "harbour.html"
    changed.write_text(PAGE.read_text().replace("three vessels", "four vessels"))
    result = CliRunner().invoke(cli, ["ingest", str(db), f"{server}/news/harbour", str(changed)],
                                catch_exceptions=False)
    assert result.stderr.strip().startswith("Added 1 article (") and "; 1 updated (" in result.stderr
    texts = sqlite3.connect(db).execute("select text from articles where url like '%/harbour-wall'").fetchall()
    assert len(texts) == 1 and "three vessels" in texts[0][0]


def test_concurrency_is_capped(server):
    urls = [f"{server}/slow/{n}" for n in range(12)]
    items = list(iter_articles(urls, concurrency=3))
    assert [i.text for i in items] == [f"Story {n} is a short plain text." for n in range(12)]
    assert 1 <= Handler.most_in_flight <= 3
