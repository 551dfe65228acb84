"""HTML pages: main text without the page's furniture, metadata from its tags, our options on top."""
import gzip
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from quotes.cli import cli
from quotes.model import Article
from quotes.sources import ArticleMeta, InputError, iter_articles

DATA = Path(__file__).parent / "data"
PAGE = DATA / "harbour_article.html"


def read_one(path, **kw):
    [item] = list(iter_articles([str(path)], **kw))
    return item


def test_main_text_without_navigation_comments_scripts_or_related_links():
    article = read_one(PAGE)
    assert isinstance(article, Article)
    assert "Mayor Ana Ruiz said at a packed meeting" in article.text
    assert "opposition" in article.text.lower()
    for furniture in ("Subscribe", "cookies", "Related stories", "Ferry timetable", "seagull77",
                      "About time", "All rights reserved", "dataLayer", "Share this"):
        assert furniture not in article.text, furniture


def test_metadata_from_open_graph_json_ld_and_canonical_link():
    article = read_one(PAGE)
    assert (article.title, article.outlet, article.author, article.published, article.url) == (
        "Harbour wall to be rebuilt after storm", "The Coastal Ledger", "Mira Okafor", "2024-03-05",
        "https://ledger.example.com/news/2024/03/harbour-wall")
    assert article.source == str(PAGE)


def test_page_without_metadata_invents_none_and_reads_its_charset():
    article = read_one(DATA / "plain_page.htm")
    assert article.title == "Notes from the valley"
    assert (article.outlet, article.published, article.url) == (None, None, None)
    assert "new café on Saturday" in article.text


def test_command_line_wins_over_sidecar_over_page(tmp_path):
    page = tmp_path / "story.html"
    shutil.copy(PAGE, page)
    (tmp_path / "story.meta.json").write_text('{"outlet": "Ledger Weekly", "title": "Wall"}')
    article = read_one(page, defaults=ArticleMeta(published="2024-03-06"))
    assert (article.outlet, article.title, article.published, article.author) == (
        "Ledger Weekly", "Wall", "2024-03-06", "Mira Okafor")


def test_gzipped_page_reads_the_same(tmp_path):
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(PAGE.read_bytes()))
    assert read_one(gz).text == read_one(PAGE).text
    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(b"not gzip at all")
    err = read_one(bad)
    assert isinstance(err, InputError) and str(err).startswith(f"{bad}: not a readable gzip file")


def test_page_with_no_text_is_one_error(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Nothing</title></head><body><script>var x = 1;</script></body></html>")
    err = read_one(empty)
    assert isinstance(err, InputError)
    assert str(err) == f"{empty}: no article text found in the page"


def test_ingest_html_with_outlet_override(tmp_path):
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(PAGE), str(DATA / "plain_page.htm"),
                                      "--outlet", "Wire Service"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    assert conn.execute("select a.title, o.name, a.published from articles a join outlets o on o.id = a.outlet_id "
                        "order by a.id").fetchall() == [
        ("Harbour wall to be rebuilt after storm", "Wire Service", "2024-03-05"),
        ("Notes from the valley", "Wire Service", None)]
    # every stored quote's offsets refer to the article text as stored
    for text, start, end, quote in conn.execute(
            'select a.text, q.start, q."end", q.text from quotes q join articles a on a.id = q.article_id'):
        assert text[start:end] == quote
