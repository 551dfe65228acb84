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


# --- the headline, the site's name and a wire dateline (issue 13, item 8): pages of our own ---

from hypothesis import given, settings, strategies as st  # noqa: E402

from quotes.sources.common import DATELINE_WITHIN, dateline_agency  # noqa: E402
from quotes.sources.html import PREFIX_SEPARATORS, SUFFIX_SEPARATORS, strip_site_name  # noqa: E402

BODY = ("<p>{dateline}The harbour board met on Tuesday to weigh the cost of a new sea wall after the "
        "winter storms.</p><p>\u201cWe cannot wait another year,\u201d said Mira Okafor, who chairs the "
        "board. The council said it would decide by June whether to borrow the money.</p>"
        "<p>Fishermen at the meeting said the old wall had been failing for a decade.</p>")


def page(tmp_path, head: str, body_top: str = "", dateline: str = "", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body_top}"
                    f"<article>{BODY.format(dateline=dateline)}</article></body></html>", encoding="utf-8")
    return path


def test_og_title_loses_the_site_suffix_and_section(tmp_path):
    article = read_one(page(tmp_path, "<title>Sea wall vote delayed | Ledger Politics</title>"
                                      "<meta property='og:title' content='Sea wall vote delayed | Ledger Politics'>"
                                      "<meta property='og:site_name' content='Ledger'>"))
    assert (article.title, article.outlet) == ("Sea wall vote delayed", "Ledger")


def test_json_ld_headline_and_publisher_win_over_the_title(tmp_path):
    ld = ('{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "x"}, '
          '{"@type": "NewsArticle", "headline": "Board weighs a new sea wall", '
          '"publisher": {"@type": "Organization", "name": "The Harbour Bugle"}}]}')
    article = read_one(page(tmp_path, "<title>Home - The Harbour Bugle</title>"
                                      "<script type='application/ld+json'>{not json</script>"
                                      f"<script type='application/ld+json'>{ld}</script>"))
    assert (article.title, article.outlet) == ("Board weighs a new sea wall", "The Harbour Bugle")


def test_site_prefix_and_the_washington_post_form(tmp_path):
    article = read_one(page(tmp_path, "<title>Harbour Bugle: Board weighs a new sea wall</title>"
                                      "<meta property='og:site_name' content='Harbour Bugle'>"))
    assert article.title == "Board weighs a new sea wall"
    article = read_one(page(tmp_path, "<meta property='og:title' content='Board weighs a wall - The Harbour Bugle'>"
                                      "<meta property='og:site_name' content='Harbour Bugle'>", name="p2.html"))
    assert article.title == "Board weighs a wall"


def test_h1_headline_wins_over_title_but_a_logo_h1_does_not(tmp_path):
    article = read_one(page(tmp_path, "<title>Bugle Online</title>", "<h1>Board weighs a new sea wall</h1>"))
    assert article.title == "Board weighs a new sea wall"
    logo = read_one(page(tmp_path, "<title>Board weighs a new sea wall | Bugle Bugle.example</title>",
                         "<h1>Bugle</h1>", name="logo.html"))
    assert logo.title == "Board weighs a new sea wall"  # the <h1> begins the title's end: the site's logo


def test_wire_page_headline_publisher_and_dateline(tmp_path):
    """Like the AP's hosted pages: a generic <title>, the headline in an hAtom entry-title, no site tags."""
    article = read_one(page(tmp_path, "<title>News from The Wire</title>",
                            "<p><span class='headline entry-title'>Board weighs a new sea wall</span></p>",
                            dateline="KABUL, Afghanistan (AP) -- "))
    assert (article.title, article.outlet, article.agency) == (
        "Board weighs a new sea wall", "Associated Press", "Associated Press")


def test_a_page_that_names_its_outlet_keeps_it_and_stores_the_agency(tmp_path):
    path = page(tmp_path, "<meta property='og:site_name' content='Harbour Bugle'>"
                          "<meta property='og:title' content='Board weighs a new sea wall'>",
                dateline="LONDON (Reuters) - ")
    article = read_one(path)
    assert (article.outlet, article.agency) == ("Harbour Bugle", "Reuters")
    db = tmp_path / "q.db"
    assert CliRunner().invoke(cli, ["ingest", str(db), str(path)]).exit_code == 0
    assert sqlite3.connect(db).execute(
        "select a.title, o.name, a.agency from articles a join outlets o on o.id = a.outlet_id").fetchall() == [
        ("Board weighs a new sea wall", "Harbour Bugle", "Reuters")]


def test_text_file_with_a_dateline_gets_the_agency_as_outlet(tmp_path):
    text = tmp_path / "wire.txt"
    text.write_text("WASHINGTON (AP) \u2014 The harbour board met on Tuesday.\n\n\u201cWe cannot wait,\u201d "
                    "Mira Okafor said.\n", encoding="utf-8")
    article = read_one(text)
    assert (article.outlet, article.agency) == ("Associated Press", "Associated Press")
    plain = tmp_path / "plain.txt"
    plain.write_text("The harbour board (the HB) - as it is known - met on Tuesday.\n", encoding="utf-8")
    assert (read_one(plain).outlet, read_one(plain).agency) == (None, None)


WORDS = st.text(st.sampled_from("abcdefghij KLMNO’'"), min_size=1, max_size=12).map(str.strip).filter(bool)
HEADLINES = st.lists(WORDS, min_size=2, max_size=8).map(" ".join)
SITES = st.lists(st.text(st.sampled_from("PQRSTUVWXYZ"), min_size=2, max_size=8), min_size=1, max_size=3).map(" ".join)


@settings(max_examples=50, deadline=None)
@given(headline=HEADLINES, site=SITES, sep=st.sampled_from(SUFFIX_SEPARATORS), section=st.sampled_from(["", " Politics"]),
       the=st.booleans())
def test_strip_site_suffix_gives_back_the_headline(headline, site, sep, section, the):
    title = f"{headline}{sep}{'The ' if the else ''}{site}{section}"
    assert strip_site_name(title, [site]) == headline
    assert strip_site_name(headline, [site]) == headline  # nothing to strip: untouched
    assert strip_site_name(f"{headline}{sep}Elsewhere Daily", [site]) == f"{headline}{sep}Elsewhere Daily"


@settings(max_examples=50, deadline=None)
@given(headline=HEADLINES, site=SITES, sep=st.sampled_from(PREFIX_SEPARATORS))
def test_strip_site_prefix_gives_back_the_headline(headline, site, sep):
    assert strip_site_name(f"{site}{sep}{headline}", [site]) == headline
    assert strip_site_name(site, [site]) == site  # never cut to nothing


PLACES = st.sampled_from(["WASHINGTON", "LONDON", "NEW YORK", "ST. PAUL, Minn.", "KABUL, Afghanistan", "RIO DE JANEIRO"])
AGENCIES = st.sampled_from([("AP", "Associated Press"), ("Reuters", "Reuters"), ("AFP", "Agence France-Presse"),
                            ("Bloomberg", "Bloomberg"), ("RFE/RL", "RFE/RL")])


@settings(max_examples=50, deadline=None)
@given(place=PLACES, agency=AGENCIES, dash=st.sampled_from(["\u2014", "\u2013", "--", "-"]),
       lead=st.sampled_from(["", "By Mira Okafor\n", "| "]))
def test_a_dateline_names_its_agency_only_where_a_dateline_stands(place, agency, dash, lead):
    written, name = agency
    story = f"{place} ({written}) {dash} The harbour board met on Tuesday."
    assert dateline_agency(lead + story) == name
    assert dateline_agency("x" * DATELINE_WITHIN + "\n" + story) is None  # too far in: not the opening
    assert dateline_agency(f"The board said {story}") is None  # inside a sentence: not a dateline
    assert dateline_agency(story.replace(f"({written})", written)) is None


SECTIONED = """<html><head><title>Harbour vote</title></head><body><article>
<h1>Harbour vote goes ahead</h1>
<p>The council met on Tuesday night in the old ferry hall, and the room was full long before the
meeting began. Councillor Lena Brook said the harbour wall would be rebuilt before the winter storms.</p>
<h2>Fares: what changes</h2>
<p>Ferry fares will rise by four percent in March, the operator told passengers in a letter sent on
Monday to every season-ticket holder on the island routes.</p>
<h2>More from the coast</h2>
<ul><li>Storm Ida: The Night the Pier Fell</li><li>Ferry owner Tomas Reyes said fares would rise again</li></ul>
<p>Tomas Reyes, who runs the ferry company, said the new timetable would start in April.</p>
</article></body></html>"""


def test_headings_and_list_items_are_marked_in_the_text(tmp_path):
    page = tmp_path / "sectioned.html"
    page.write_text(SECTIONED, encoding="utf-8")
    article = read_one(page)
    marked = [(kind, article.text[s:e]) for s, e, kind in article.structure]
    assert ("heading", "Fares: what changes") in marked
    assert ("heading", "More from the coast") in marked
    assert ("item", "Storm Ida: The Night the Pier Fell") in marked
    assert ("item", "Ferry owner Tomas Reyes said fares would rise again") in marked
    assert not any("harbour wall" in words for _, words in marked)  # running text is never marked


def test_a_link_list_gives_no_quote_at_ingest_nor_at_re_extract(tmp_path):
    page = tmp_path / "sectioned.html"
    page.write_text(SECTIONED, encoding="utf-8")
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(page)])
    assert result.exit_code == 0, result.output

    def stored():
        conn = sqlite3.connect(db)
        rows = conn.execute("select text from quotes order by start").fetchall()
        conn.close()
        return [r[0] for r in rows]

    first = stored()
    assert any("harbour wall would be rebuilt" in t for t in first)
    assert not any("fares would rise again" in t for t in first)  # a link to another story, not a quote here
    result = CliRunner().invoke(cli, ["re-extract", str(db), "--all"])
    assert result.exit_code == 0, result.output
    assert stored() == first
