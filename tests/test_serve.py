"""The Datasette site through its test client (no socket): metadata, facets, search, pages, chart."""
import asyncio
import json
import re
from html import unescape

import pytest

from quotes.serve import DEFAULT_METADATA, make_datasette
from quotes.queries import NotAQuotesDatabase


@pytest.fixture
def ds(serve_db):
    return make_datasette(serve_db)


def get(ds, path):
    async def fetch():
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


def get_json(ds, path):
    response = get(ds, path)
    assert response.status_code == 200, response.text
    return response.json()


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_metadata_is_the_repos_file():
    from pathlib import Path

    repo_copy = Path(__file__).resolve().parent.parent / "metadata.json"
    assert json.loads(repo_copy.read_text()) == json.loads(DEFAULT_METADATA.read_text())


def test_title_and_description(ds):
    html = get(ds, "/").text
    assert "Quotes: who said what, to whom, where and when" in html
    assert "Apache-2.0" in html


def test_metadata_applies_whatever_the_file_is_called(ds):
    # the fixture file is news.db; metadata.json describes "quotes"
    data = get_json(ds, "/news/quotes_view.json?_facet=speaker&_size=0")
    assert "speaker" in data["facet_results"]


def test_facets_on_the_view_use_names(ds):
    data = get_json(ds, "/news/quotes_view.json?_size=0")
    facets = data["facet_results"]
    assert set(facets) >= {"speaker", "outlet", "kind", "venue", "addressee", "month"}
    speakers = {f["value"]: f["count"] for f in facets["speaker"]["results"]}
    assert speakers == {"Ada Quill": 4, "Marta Olenska": 2, "Tomas Brenner": 2}
    outlets = {f["value"]: f["count"] for f in facets["outlet"]["results"]}
    assert outlets == {"Harbour Gazette": 4, "Valley Courier": 3, "Northern Wire": 2}
    assert {f["value"] for f in facets["month"]["results"]} == {"2024-01", "2024-02", "2024-03", "2024-04"}
    assert not data.get("facets_timed_out")


def test_speaker_facet_on_the_quotes_table_is_labelled(ds):
    data = get_json(ds, "/news/quotes.json?_size=0")
    labels = {f["label"] for f in data["facet_results"]["speaker_id"]["results"]}
    assert labels == {"Ada Quill", "Marta Olenska", "Tomas Brenner"}


def test_clicking_a_facet_filters(ds):
    rows = get_json(ds, "/news/quotes_view.json?speaker=Ada+Quill&_shape=array")
    assert len(rows) == 4 and {r["speaker"] for r in rows} == {"Ada Quill"}


def test_search_box_on_the_view_stems(ds):
    html = get(ds, "/news/quotes_view?_search=protests").text
    assert 'name="_search"' in html
    rows = get_json(ds, "/news/quotes_view.json?_search=protests&_shape=array")
    assert {r["id"] for r in rows} == {3, 9}


def test_view_cells_link_to_pages(ds):
    html = get(ds, "/news/quotes_view?speaker=Ada+Quill").text
    assert 'href="/-/quote/3"' in html
    assert 'href="/-/speaker/3"' in html


def test_canned_query_by_speaker(ds):
    rows = get_json(ds, "/news/quotes_by_speaker.json?speaker=olenska&_shape=array")
    assert [r["text"] for r in rows] == [
        "the budget left no room for new spending", "the city was \u201cready to listen\u201d"]


def test_canned_query_top_speakers_by_outlet(ds):
    rows = get_json(ds, "/news/top_speakers_by_outlet.json?_shape=array")
    gazette = [(r["rank"], r["speaker"], r["quotes"]) for r in rows if r["outlet"] == "Harbour Gazette"]
    assert gazette == [(1, "Ada Quill", 2), (2, "Marta Olenska", 1), (2, "Tomas Brenner", 1)]


def test_canned_search_highlights(ds):
    rows = get_json(ds, "/news/search.json?q=protests+hearing&_shape=array")
    assert [r["snippet"] for r in rows] == ["the <mark>protest</mark> movement deserved a <mark>hearing</mark>"]
    html = get(ds, "/news/search?q=protests").text
    assert "<mark>protest</mark>" in html  # rendered as a mark, not escaped
    assert 'href="/-/quote/3"' in html
    # FTS5 syntax in the box is searched for, not executed
    assert get_json(ds, "/news/search.json?q=AND+(+OR&_shape=array") == []


def test_quote_page_marks_quote_speaker_and_cue(ds):
    response = get(ds, "/-/quote/1")
    assert response.status_code == 200
    html = response.text
    context = html.split('id="context">', 1)[1].split("</div>", 1)[0]
    marks = re.findall(r'<mark class="([^"]+)"[^>]*>([^<]*)</mark>', context)
    assert marks == [("q-quote", "We will not accept these cuts"), ("q-speaker", "Tomas Brenner"), ("q-cue", "told")]
    # only its paragraph, not the whole article
    assert "Dock workers rallied" not in text_of(context)
    page = text_of(html)
    for shown in ("direct", "reporters", "press conference", "union leader", "2024-01-15", "direct:quote-cue-name"):
        assert shown in page
    assert 'href="/-/speaker/1"' in html
    assert 'href="/news/articles/1"' in html
    assert 'href="/news/outlets/1"' in html


def test_quote_page_resolved_pronoun(ds):
    html = get(ds, "/-/quote/4").text
    assert '<mark class="q-speaker" title="speaker mention">she</mark>' in html
    assert "Ada Quill" in html and "interview" in html


def test_quote_page_missing(ds):
    assert get(ds, "/-/quote/999").status_code == 404


def test_speaker_page(ds):
    response = get(ds, "/-/speaker/3")
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Ada Quill" in page and "4 quotes from 2024-02-03 to 2024-03-28 in 2 outlets" in page
    for shown in ("Valley Courier", "Harbour Gazette", "Minister", "transport minister",
                  "interview", "Radio Meridian", "the Gazette"):
        assert shown in page
    # the quotes in time order, each a link to its page
    links = re.findall(r'class="quote-link" href="/-/quote/(\d+)"', response.text)
    assert links == ["3", "4", "7", "8"]
    assert "<svg" in response.text
    assert get(ds, "/-/speaker/999").status_code == 404


def test_database_page_chart(ds):
    html = get(ds, "/news").text
    assert html.count('class="quotes-chart"') == 2
    # one bar segment per (month, speaker) and per (month, outlet), each titled with its count
    assert "2024-03 \u00b7 Ada Quill: 2" in html
    assert "2024-01 \u00b7 Harbour Gazette: 2" in html
    assert "2024-03 \u00b7 Northern Wire: 2" in html


def test_css_is_served_locally(ds):
    html = get(ds, "/-/quote/1").text
    assert '/-/static-plugins/quotes/quotes.css' in html
    assert get(ds, "/-/static-plugins/quotes/quotes.css").status_code == 200
    assert "cdn" not in html.lower()


def test_refuses_a_file_that_is_not_a_quotes_database(tmp_path):
    path = tmp_path / "plain.db"
    path.write_text("not sqlite at all")
    with pytest.raises(NotAQuotesDatabase, match="plain.db"):
        make_datasette(path)


def test_table_page_chart_follows_the_filters(ds):
    whole = get(ds, "/news/quotes_view").text
    assert "2024-04 \u00b7 quotes: 1" in whole
    html = get(ds, "/news/quotes_view?speaker=Ada+Quill").text
    assert "Quotes per month in this selection" in html
    assert re.findall(r"<title>(2024-\d\d) \u00b7 quotes: (\d+)</title>", html) == [("2024-02", "2"), ("2024-03", "2")]
    searched = get(ds, "/news/quotes_view?_search=protests").text
    assert re.findall(r"<title>(2024-\d\d) \u00b7 quotes: (\d+)</title>", searched) == [("2024-02", "1"), ("2024-04", "1")]


def test_table_page_chart_with_a_column_filter_and_a_bad_filter(ds):
    html = get(ds, "/news/quotes_view?outlet=Northern+Wire&kind__exact=mixed").text
    assert re.findall(r"<title>(2024-\d\d) \u00b7 quotes: (\d+)</title>", html) == [("2024-03", "2")]
    # a broken _where is Datasette's error to report, not a crash in the chart
    assert get(ds, "/news/quotes_view?_where=nonsense(").status_code == 400


def test_article_page_marks_every_quote(ds):
    response = get(ds, "/-/article/3")
    assert response.status_code == 200
    body = response.text.split('id="article">', 1)[1].split("</div>", 1)[0]
    quoted = re.findall(r'<a href="/-/quote/(\d+)"><mark class="q-quote"[^>]*>([^<]*)</mark></a>', body)
    assert quoted == [("5", "the strike had \u201conly just begun\u201d"), ("6", "the city was \u201cready to listen\u201d")]
    assert re.findall(r'<mark class="q-speaker"[^>]*>([^<]*)</mark>', body) == ["Tomas Brenner", "Olenska"]
    assert "Northern Wire" in response.text and "2024-03-20" in response.text
    assert get(ds, "/-/article/99").status_code == 404


def test_titles_and_names_link_to_pages(ds):
    assert 'href="/-/article/1"' in get(ds, "/news/articles").text
    assert 'href="/-/article/2"' in get(ds, "/news/quotes_view?speaker=Ada+Quill").text
    assert 'href="/-/speaker/2"' in get(ds, "/news/speakers").text
    assert 'href="/-/article/1"' in get(ds, "/-/quote/1").text


def test_database_page_search_box_and_menu(ds):
    html = get(ds, "/news").text
    assert '<form class="quotes-search" action="/news/search"' in html
    assert '<a href="/news/quotes_view">All quotes</a>' in html  # the menu
    assert '<a href="/news/search">Search quotes</a>' in html


def marked_quotes(html: str) -> list[str]:
    return re.findall(r'<a class="quote-link" href="/-/quote/\d+">(.*?)</a>', html)


def test_table_search_marks_what_it_matched_in_each_quote(ds):
    # the porter stemmer's matches, as FTS5 made them: "protests" finds protest and protesters
    assert marked_quotes(get(ds, "/news/quotes_view?_search=protests").text) == [
        "the <mark>protest</mark> movement deserved a hearing",
        "<mark>protesters</mark> had blocked the bridge for an hour"]
    # every term, on the quotes table too; a phrase is marked whole
    assert marked_quotes(get(ds, "/news/quotes?_search=protests+hearing").text) == [
        "the <mark>protest</mark> movement deserved a <mark>hearing</mark>"]
    assert marked_quotes(get(ds, '/news/quotes_view?_search="only+just"').text) == [
        "the strike had \u201c<mark>only just</mark> begun\u201d"]
    # no search, no marks
    assert "<mark>" not in get(ds, "/news/quotes_view").text


def test_table_search_marks_are_the_only_markup_let_through(serve_db):
    from quotes.model import Article, Quote
    from quotes.store import open_db, save_article

    text = 'The sign said "Fares <b>up</b> & protests ahead," a rider said.'
    content = "Fares <b>up</b> & protests ahead,"
    start = text.index(content)
    db = open_db(serve_db)
    save_article(db, Article(text=text, url="https://news.example/sign"),
                 [Quote(start, start + len(content), content, "direct")], "test")
    db.close()
    html = get(make_datasette(serve_db), "/news/quotes_view?_search=protest").text
    assert "Fares &lt;b&gt;up&lt;/b&gt; &amp; <mark>protests</mark> ahead," in marked_quotes(html)


def test_raw_mode_search_is_marked_as_fts5_reads_it(ds):
    assert marked_quotes(get(ds, "/news/quotes_view?_search=bridg*&_searchmode=raw").text) == [
        "protesters had blocked the <mark>bridge</mark> for an hour"]
    # an expression FTS5 rejects is Datasette's 400, not a failure of ours
    assert get(ds, "/news/quotes_view?_search=AND+(&_searchmode=raw").status_code == 400
