"""WARC crawls, written by the test with warcio: pages become articles, the rest is counted."""
import gzip
import sqlite3
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.cli import cli
from quotes.model import Article
from quotes.sources import InputError, Skipped, iter_articles

DATA = Path(__file__).parent / "data"
PAGE = DATA / "harbour_article.html"
PLAIN_PAGE = DATA / "plain_page.htm"


def write_warc(path: Path, records: list[tuple[str, str, bytes, str]], gz: bool = True) -> Path:
    """records: (url, status line, body, content type); each response follows its request."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "quotes tests"}))
        for url, status, body, ctype in records:
            request = writer.create_warc_record(
                url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True))
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            response = writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-04-10T12:00:00Z"})
            writer.write_record(response)
    return path


@pytest.fixture
def crawl(tmp_path) -> Path:
    return write_warc(tmp_path / "crawl.warc.gz", [
        ("https://ledger.example.com/news/2024/03/harbour-wall", "200 OK", PAGE.read_bytes(), "text/html; charset=utf-8"),
        ("https://valley.example.net/notes/cafe", "200 OK", PLAIN_PAGE.read_bytes(), "text/html"),
        ("https://ledger.example.com/logo.png", "200 OK", b"\x89PNG\r\n\x1a\n\x00", "image/png"),
        ("https://ledger.example.com/gone", "404 Not Found", b"<html><body>Not here</body></html>", "text/html"),
    ])


def test_html_responses_become_articles_others_counted(crawl):
    items = list(iter_articles([str(crawl)]))
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.url for a in articles] == [
        "https://ledger.example.com/news/2024/03/harbour-wall", "https://valley.example.net/notes/cafe"]
    # the page's own date wins; a page without one gets its capture day
    assert [a.published for a in articles] == ["2024-03-05", "2024-04-10"]
    assert articles[0].outlet == "The Coastal Ledger"
    assert articles[1].text.startswith("The valley co-operative opened its new café")
    assert articles[0].source == f"{crawl}#3"
    reasons = sorted(i.reason for i in items if isinstance(i, Skipped))
    assert reasons == ["WARC non-200 response", "WARC non-HTML response"] + ["WARC request"] * 4 + ["WARC warcinfo"]
    assert not [i for i in items if isinstance(i, InputError)]


def test_uncompressed_warc_same_articles(tmp_path):
    path = write_warc(tmp_path / "crawl.warc", [("https://valley.example.net/notes/cafe", "200 OK",
                                                 PLAIN_PAGE.read_bytes(), "text/html")], gz=False)
    [article] = [i for i in iter_articles([str(path)]) if isinstance(i, Article)]
    assert article.url == "https://valley.example.net/notes/cafe"


def test_a_file_that_is_not_a_warc_is_one_error(tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a WARC file\r\n\r\n")
    [err] = [i for i in iter_articles([str(junk)]) if isinstance(i, InputError)]
    assert str(err).startswith(f"{junk}: not a readable WARC file")



def test_a_cut_off_record_is_an_error_not_half_a_page(tmp_path, crawl):
    cut = tmp_path / "cut.warc.gz"
    data = write_warc(tmp_path / "one.warc.gz", [("https://valley.example.net/notes/cafe", "200 OK",
                                                  PLAIN_PAGE.read_bytes(), "text/html")]).read_bytes()
    cut.write_bytes(data[:-40])
    items = list(iter_articles([str(cut)]))
    assert not [i for i in items if isinstance(i, Article)]
    [err] = [i for i in items if isinstance(i, InputError)]
    assert str(err).startswith(f"{cut}: truncated after record 2: the next record "
                               "<https://valley.example.net/notes/cafe> lacks ")


TWO_PAGES = [("https://ledger.example.com/news/2024/03/harbour-wall", "200 OK", PAGE.read_bytes(), "text/html"),
             ("https://valley.example.net/notes/cafe", "200 OK", PLAIN_PAGE.read_bytes(), "text/html")]


def record_ends(path: Path) -> list[int]:
    """Where each record ends in the file (for .warc.gz: where its gzip member ends)."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fp:
        archive = ArchiveIterator(fp)
        return [archive.get_record_offset() + archive.get_record_length() for _ in archive]


def ingest_cut(tmp_path, whole: Path, keep: int):
    cut = tmp_path / f"cut{''.join(whole.suffixes)}"
    cut.write_bytes(whole.read_bytes()[:keep])
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(cut)], catch_exceptions=False)
    titles = [t for (t,) in sqlite3.connect(db).execute("select title from articles order by id")]
    return cut, result, titles


@pytest.mark.parametrize("into_next", [10, 200], ids=["next gzip member's header", "middle of the next record"])
def test_truncated_warc_gz_keeps_records_before_the_cut_and_says_where(tmp_path, into_next):
    whole = write_warc(tmp_path / "crawl.warc.gz", TWO_PAGES)
    ends = record_ends(whole)  # warcinfo, request, response, request, response
    assert len(ends) == 5 and ends[-1] == whole.stat().st_size
    cut, result, titles = ingest_cut(tmp_path, whole, ends[3] + into_next)  # into the last page's record
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"{cut}: truncated after record 4")
    assert lines[1].startswith("Added 1 article (") and lines[1].endswith("1 skipped (1 truncated WARC): see above.")
    assert titles == ["Harbour wall to be rebuilt after storm"]


def test_warc_gz_cut_in_its_last_gzip_trailer_keeps_every_record_but_says_so(tmp_path):
    whole = write_warc(tmp_path / "crawl.warc.gz", TWO_PAGES)
    cut, result, titles = ingest_cut(tmp_path, whole, whole.stat().st_size - 4)  # the length of the last member
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{cut}: truncated after record 5 (a gzip member is cut short)\n")
    assert len(titles) == 2


def test_uncompressed_warc_cut_in_a_records_headers(tmp_path):
    whole = write_warc(tmp_path / "crawl.warc", TWO_PAGES, gz=False)
    ends = record_ends(whole)
    cut, result, titles = ingest_cut(tmp_path, whole, ends[3] + 60)  # inside the WARC headers of record 5
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{cut}: truncated after record 4: the next record's headers are cut off\n")
    assert titles == ["Harbour wall to be rebuilt after storm"]


def test_a_whole_warc_is_no_error_and_an_empty_one_is(tmp_path):
    whole = write_warc(tmp_path / "crawl.warc.gz", TWO_PAGES)
    assert not [i for i in iter_articles([str(whole)]) if isinstance(i, InputError)]
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert [str(i) for i in iter_articles([str(empty)])] == [f"{empty}: not a readable WARC file: no records"]


def test_ingest_warc_summary_counts_passed_over_records(tmp_path, crawl):
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(crawl)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Added 2 articles (")
    assert "; 7 passed over (4 WARC request, 1 WARC warcinfo, 1 WARC non-HTML response, 1 WARC non-200 response)." in line
    assert sqlite3.connect(db).execute("select count(*) from articles").fetchone() == (2,)


def test_corrupt_gzip_data_is_named_as_such(tmp_path):
    whole = write_warc(tmp_path / "crawl.warc.gz", TWO_PAGES)
    ends = record_ends(whole)
    data = bytearray(whole.read_bytes())
    data[(ends[3] + ends[4]) // 2] ^= 0xFF  # one flipped byte in the last page's member
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(bytes(data))
    items = list(iter_articles([str(bad)]))
    assert len([i for i in items if isinstance(i, Article)]) == 1
    [err] = [i for i in items if isinstance(i, InputError)]
    assert str(err).startswith(f"{bad}: unreadable after record 4: corrupt gzip data (")
