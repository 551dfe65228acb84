"""The article size limit (--max-article-mb): every kind of input, through real `quotes` processes.

The limit is lowered to a few KB so the test files stay small; the default (10 MB) is what
the README measured.
"""
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from quotes.ingest import MAX_ARTICLE_MB, IngestSummary, quote_rows

QUOTES = [sys.executable, "-m", "quotes"]
LIMIT_MB = 0.01  # 10 KB
SMALL = '"We will rebuild the bridge," Mayor Ana Ruiz said on Monday.\n'


def long_prose(label: str, paragraphs: int = 120) -> str:
    """About 16 KB: over LIMIT_MB, every paragraph different (page extractors drop repeats)."""
    return "\n\n".join(f"In {label}, paragraph {i}, the council said the harbour wall number {i} "
                       f"would be rebuilt before the winter storms of year {2000 + i} arrived." for i in range(paragraphs))


def html_page(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\n"
            f"{paras}</article></body></html>").encode()


def write_warc(path: Path, url: str, body: bytes) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers))
    return path


class Pages(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    Pages.body = html_page("A long page", long_prose("the served page"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/long"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def inputs(tmp_path, page_server):
    """One article too long of each kind, and short ones beside them."""
    (tmp_path / "small.txt").write_text(SMALL)
    (tmp_path / "big.txt").write_text(long_prose("the text file"))
    (tmp_path / "dump.jsonl").write_text(
        json.dumps({"id": "a", "text": "The ferry is late again, the harbour master said."}) + "\n"
        + json.dumps({"id": "b", "text": long_prose("the record")}) + "\n")
    (tmp_path / "big.html").write_bytes(html_page("A long file", long_prose("the HTML file")))
    write_warc(tmp_path / "crawl.warc.gz", "https://news.example/long",
               html_page("A long capture", long_prose("the crawl")))
    names = ["small.txt", "big.txt", "dump.jsonl", "big.html", "crawl.warc.gz"]
    return [str(tmp_path / n) for n in names] + [page_server]


TOO_LARGE = re.compile(r"^(.+): article of ([\d,]+) bytes is over the 0\.01 MB limit \(--max-article-mb\)$")


def too_large_lines(stderr: str) -> list[str]:
    return [m.group(1) for m in map(TOO_LARGE.match, stderr.splitlines()) if m]


def test_ingest_refuses_each_article_over_the_limit_and_stores_the_rest(tmp_path, inputs):
    db = tmp_path / "q.db"
    proc = subprocess.run([*QUOTES, "ingest", str(db), *inputs, "--max-article-mb", str(LIMIT_MB), "--silent"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    # one line each, naming the file (the line of a dump, the record of a crawl, the URL)
    assert too_large_lines(proc.stderr) == [inputs[1], f"{inputs[2]}:2", inputs[3], f"{inputs[4]}#1", inputs[5]]
    assert proc.stderr.strip().splitlines()[-1] == (
        "Added 2 articles (2 quotes); 5 skipped (5 too large): see above.")
    stored = sqlite3.connect(db).execute("select text from articles order by id").fetchall()
    assert stored == [(SMALL,), ("The ferry is late again, the harbour master said.",)]


def test_extract_refuses_the_same_way(tmp_path):
    (tmp_path / "small.txt").write_text(SMALL)
    (tmp_path / "big.txt").write_text(long_prose("the text file"))
    proc = subprocess.run([*QUOTES, "extract", str(tmp_path / "big.txt"), str(tmp_path / "small.txt"), "--nl",
                           "--max-article-mb", str(LIMIT_MB)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert too_large_lines(proc.stderr) == [str(tmp_path / "big.txt")]
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["We will rebuild the bridge,"]
    assert {r["doc_id"] for r in rows} == {str(tmp_path / "small.txt")}


def test_the_limit_is_an_option_with_a_default_and_nonsense_is_a_usage_error(tmp_path):
    (tmp_path / "big.txt").write_text(long_prose("the text file"))
    ok = subprocess.run([*QUOTES, "ingest", str(tmp_path / "q.db"), str(tmp_path / "big.txt"), "--silent"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr  # 16 KB is far under the default
    assert MAX_ARTICLE_MB == 10
    for bad in ("0", "-1", "lots"):
        proc = subprocess.run([*QUOTES, "ingest", str(tmp_path / "q.db"), str(tmp_path / "big.txt"),
                               "--max-article-mb", bad], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "--max-article-mb" in proc.stderr and "Traceback" not in proc.stderr


@settings(max_examples=40, deadline=None)
@given(char=st.sampled_from(["a", "\u00e9", "\u20ac", "\U0001f600"]), extra=st.integers(-8, 8))
def test_the_limit_counts_utf8_bytes_exactly(char, extra):
    """An article of exactly the limit is read; one byte more (in any script) is refused."""
    limit_mb = 0.001  # 1,000 bytes
    width = len(char.encode())
    text = "The council said. " + char * ((1000 - 18) // width + extra)
    size = len(text.encode())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.txt"
        path.write_text(text, encoding="utf-8")
        errors = []
        summary = IngestSummary()
        list(quote_rows([str(path)], summary, on_error=errors.append, max_article_mb=limit_mb))
    if size > 1000:
        assert [str(e) for e in errors] == [
            f"{path}: article of {size:,} bytes is over the 0.001 MB limit (--max-article-mb)"]
        assert summary.skipped == {"too large": 1} and summary.added == 0
    else:
        assert errors == [] and summary.added == 1
