"""Quote clusters in the browser: the cluster page, the speaker page's aliases, the quote
page's link, All quotes' cluster columns and facet, the canned queries, and migration 007
upgrading a database made before it. Through Datasette's test client on a real SQLite file
holding the invented week of tests/data/corpus_across.py."""
import asyncio
import re
import sqlite3
import sys
from html import unescape
from pathlib import Path

import pytest

from quotes import clusters, corrections, store
from quotes.serve import make_datasette

sys.path.insert(0, str(Path(__file__).parent / "data"))
import corpus_across as corpus  # noqa: E402


@pytest.fixture
def week(tmp_path):
    path = tmp_path / "week.db"
    corpus.save_all(store.open_db(path))
    return path


def fetch(db_path, path, method="GET"):
    ds = make_datasette(db_path)

    async def go():
        await ds.invoke_startup()
        return await ds.client.request(method, path)

    return asyncio.run(go())


def travelling_cluster(db_path) -> int:
    [cid] = {r[0] for r in sqlite3.connect(db_path).execute(
        "select cluster_id from quotes where text = ?", [corpus.TRAVELLER])}
    return cid


def section(html: str, element_id: str, until: str = "<h2") -> str:
    """The element with this id, up to the next heading: what the tests read of a page."""
    start = html.index(f'id="{element_id}"')
    end = html.find(until, start)
    return html[start:end if end != -1 else None]


def test_cluster_page_first_seen_spread_wordings_and_speakers(week):
    cid = travelling_cluster(week)
    response = fetch(week, f"/-/cluster/{cid}")
    assert response.status_code == 200
    assert "script-src" in response.headers["content-security-policy"]
    html = response.text
    first = section(html, "first-seen")
    assert "2024-03-01" in first and "Steppe Times" in first
    assert 'href="/-/article/1"' in first and "President rules out new taxes" in first
    assert unescape(section(html, "first-wording").split(">", 1)[1]).startswith(corpus.TRAVELLER)
    # the timeline: one row an outlet, in the order they reported it, one dot a sighting
    start = html.index('<svg class="quotes-chart cluster-timeline"')
    svg = html[start:html.index("</svg>", start)]
    rows = re.findall(r'class="axis">([^<]+)</text>', svg)
    assert rows[:5] == ["Steppe Times", "Northern Wire", "Valley Courier", "Harbour Gazette", "Coastal Ledger"]
    assert svg.count("<circle") == 5 and "2024-03-07, Coastal Ledger: 1 sighting" in svg
    sightings = section(html, "sightings")
    assert sightings.count("<tr>") == 1 + 5
    assert re.findall(r"20\d\d-\d\d-\d\d", sightings) == sorted(re.findall(r"20\d\d-\d\d-\d\d", sightings))
    # the wordings, diffed against the first reported: the trimmed one leaves words out, the reworded one swaps one
    variants = section(html, "variants")
    assert '<del title="left out">while I am president</del>' in variants
    assert '<del title="left out">not</del> <ins title="put in">never</ins>' in variants
    assert "a part of it" in variants and "reworded" in variants
    # the speakers each outlet gave: the Coastal Ledger's differs from the first report's, and is flagged
    by_outlet = section(html, "speakers-by-outlet")
    rows = re.findall(r"<tr( class=\"misattributed\")?>(.*?)</tr>", by_outlet, re.S)[1:]
    flagged = {re.search(r'/outlets/\d+">([^<]+)', row).group(1) for css, row in rows if css}
    assert flagged == {"Coastal Ledger"}
    assert all(("possible misattribution" in row) == bool(css) for css, row in rows)
    assert "Marta Olenska" in by_outlet and "Kassym-Jomart Tokayev" in by_outlet
    assert 'id="misattribution"' in html


def test_a_cluster_with_one_speaker_has_no_flag(week):
    [ledger] = sqlite3.connect(week).execute("select q.id from quotes q join articles a on a.id = q.article_id "
                                             "where a.title = 'Mayor on taxes' and q.text = ?", [corpus.TRAVELLER]).fetchone()
    corrections.correct_speaker(store.open_db(week), ledger, "Kassym-Jomart Tokayev")
    html = fetch(week, f"/-/cluster/{travelling_cluster(week)}").text
    assert "possible misattribution" not in html
    assert 'class="badge corrected"' in section(html, "sightings")  # the corrected sighting says so
    assert 'class="badge corrected"' in fetch(week, f"/-/quote/{ledger}").text
    assert 'class="badge corrected"' not in fetch(week, "/-/quote/1").text


def test_undated_sightings_and_articles_without_an_outlet(tmp_path):
    """Drawn from what they have: no dot without a date (the page says how many), '(no outlet)'."""
    path = tmp_path / "bare.db"
    words = "the harbour wall will be rebuilt before the winter storms"
    corpus.save_all(store.open_db(path), [(None, None, "one", [(words, "direct", "Ana Ruiz")]),
                                          (None, "2024-05-02", "two", [(words, "direct", "Dr. Ana Ruiz")]),
                                          ("Northern Wire", "2024-05-04", "three", [(words, "direct", "Ana M. Ruiz")])])
    html = fetch(path, f"/-/cluster/{travelling_cluster_of(path, words)}").text
    start = html.index('<svg class="quotes-chart cluster-timeline"')
    svg = html[start:html.index("</svg>", start)]
    assert svg.count("<circle") == 2 and "(no outlet)" in svg and "Northern Wire" in svg
    assert "1 sighting without a date is not drawn" in html


HOSTILE = "<script>alert('x')</script> we will <img src=x onerror=alert(1)> rebuild the harbour wall"


def test_hostile_text_is_escaped_everywhere_on_the_cluster_page(tmp_path):
    path = tmp_path / "hostile.db"
    articles = [
        ("<b>Evil</b> Outlet", "2024-04-01", "<i>title</i>", [(HOSTILE, "direct", "Eve <Mallory>")]),
        ("Plain Outlet", "2024-04-02", "plain", [(HOSTILE.replace("rebuild", "repair"), "direct", "Bob Plain")]),
    ]
    corpus.save_all(store.open_db(path), articles)
    cid = travelling_cluster_of(path, HOSTILE)
    html = fetch(path, f"/-/cluster/{cid}").text
    body = html[html.index("<main"):] if "<main" in html else html
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>Evil" not in body
    assert "<i>title" not in body and "<Mallory>" not in body
    assert "&lt;script&gt;" in body and "&lt;b&gt;Evil&lt;/b&gt; Outlet" in body
    assert '<del title="left out">rebuild</del> <ins title="put in">repair</ins>' in body


def travelling_cluster_of(db_path, text) -> int:
    return sqlite3.connect(db_path).execute("select cluster_id from quotes where text = ?", [text]).fetchone()[0]


@pytest.mark.parametrize("path, status", [
    ("/-/cluster/999", 404), ("/-/cluster/99999999999999999999999", 404), ("/-/cluster/x", 404),
])
def test_no_such_cluster_is_a_404(week, path, status):
    assert fetch(week, path).status_code == status


def test_the_cluster_page_only_shows(week):
    assert fetch(week, f"/-/cluster/{travelling_cluster(week)}", method="POST").status_code == 405


def test_the_quote_page_links_to_its_cluster(week):
    cid = travelling_cluster(week)
    html = fetch(week, "/-/quote/1").text
    link = section(html, "cluster")
    assert f'href="/-/cluster/{cid}"' in link and "Reported by 5 articles in 5 outlets" in link
    assert "possible misattribution" in link
    lone = sqlite3.connect(week).execute("select id from quotes where text = ?", [corpus.REFORMS]).fetchone()[0]
    assert "No other article reported these words yet" in fetch(week, f"/-/quote/{lone}").text
    [short] = sqlite3.connect(week).execute("select id from quotes where text = 'No comment'").fetchone()
    assert "too short to follow across articles" in fetch(week, f"/-/quote/{short}").text
    sqlite3.connect(week, isolation_level=None).execute("update quotes set cluster_id = null where id = ?", [lone])
    assert "not clustered yet" in fetch(week, f"/-/quote/{lone}").text


def test_the_speaker_page_lists_aliases_with_their_reasons(week):
    conn = sqlite3.connect(week)
    [speaker_id] = conn.execute("select id from speakers where name = 'Kassym-Jomart Tokayev'").fetchone()
    stored = dict(conn.execute("select name, reason from speaker_aliases where speaker_id = ?", [speaker_id]))
    assert set(stored) == corpus.EXPECTED_ENTITIES["Kassym-Jomart Tokayev"]
    html = fetch(week, f"/-/speaker/{speaker_id}").text
    aliases = section(html, "aliases", "</section>")
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(\d+)</td>", aliases, re.S)
    shown = {unescape(name): unescape(reason).strip() for name, reason, _ in rows}
    assert shown == stored
    assert unescape(rows[0][0]) == "Kassym-Jomart Tokayev"  # the speaker's own name first
    assert {unescape(n): int(q) for n, _, q in rows}["Qasym-Zhomart Toqaev"] == 1
    assert "Mallory" not in html and 'href="/-/article/' in html  # the articles behind each quote


def test_a_corrected_speaker_and_alias_say_so(week):
    db = store.open_db(week)
    corrections.merge_speakers(db, "Marta Olenska", "Olenska")
    [speaker_id] = db.execute("select speaker_id from speaker_aliases where name = 'Marta Olenska'").fetchone()
    html = fetch(week, f"/-/speaker/{speaker_id}").text
    assert 'class="badge corrected"' in html
    assert "Olenska" in section(html, "aliases", "</section>")


def rows_of(db_path, name):
    response = fetch(db_path, f"/{db_path.stem}/{name}.json?_shape=array")
    assert response.status_code == 200, response.text
    return response.json()


def test_canned_queries_on_the_week(week):
    cid = travelling_cluster(week)
    [top] = rows_of(week, "most_repeated_quotes")
    assert (top["cluster_id"], top["sightings"], top["outlets"]) == (cid, 5, 5)
    assert top["first_seen_outlet"] == "Steppe Times" and top["first_seen_date"] == "2024-03-01"
    [several] = rows_of(week, "quotes_given_to_several_speakers")
    assert several["cluster_id"] == cid and several["speakers_given"] == "Kassym-Jomart Tokayev; Marta Olenska"
    assert [(r["outlet"], r["cluster_id"]) for r in rows_of(week, "quotes_first_seen_by_outlet")] == [
        ("Steppe Times", cid)]
    page = fetch(week, f"/{week.stem}/most_repeated_quotes").text
    assert f'href="/-/cluster/{cid}"' in page  # the cluster id opens its page


def test_a_merge_or_a_correction_keeps_the_speaker_counts_right(week):
    """clusters.speakers is kept by a trigger whoever changes a clustered quote's speaker."""
    db = store.open_db(week)
    corrections.merge_speakers(db, "Kassym-Jomart Tokayev", "Marta Olenska")
    assert rows_of(week, "quotes_given_to_several_speakers") == []
    assert db.execute("select speakers from clusters where id = ?", [travelling_cluster(week)]).fetchone()[0] == 1


def test_a_second_outlet_reporting_a_quote_appears_in_first_seen_by_outlet(week):
    """The Northern Wire's pension quote, reported again a week later by the Valley Courier."""
    pension = "the pension reform would be put to a referendum in the autumn"
    corpus.save_all(store.open_db(week), [("Valley Courier", "2024-03-09", "Pensions", [
        (pension, "indirect", "Tokayev")])])
    firsts = [(r["outlet"], r["text"]) for r in rows_of(week, "quotes_first_seen_by_outlet")]
    assert ("Northern Wire", pension) in firsts and firsts[0][0] == "Northern Wire"


def test_all_quotes_carries_cluster_columns_a_facet_and_a_group_by_cluster_link(week):
    cid = travelling_cluster(week)
    data = fetch(week, f"/{week.stem}/quotes_view.json?_facet=seen_in_outlets&_size=0").json()
    assert {"cluster_id", "seen_in_outlets"} <= set(data["columns"])
    facet = {r["value"]: r["count"] for r in data["facet_results"]["seen_in_outlets"]["results"]}
    short = sum(1 for *_, quotes in corpus.ARTICLES for words, _, _ in quotes
                if len(clusters.words(words)) < clusters.MIN_CLUSTER_WORDS)
    total = sum(len(quotes) for *_, quotes in corpus.ARTICLES)
    assert facet == {5: 5, 1: total - 5 - short}
    html = fetch(week, f"/{week.stem}/quotes_view").text
    assert "seen_in_outlets" in html and "group by cluster" in html
    assert 'href="/-/clusters"' in html
    assert '<a href="/-/clusters">Quote clusters</a>' in html  # and in the menu
    moved = fetch(week, "/-/clusters")
    assert moved.status_code == 302
    assert moved.headers["location"] == f"/{week.stem}/clusters_view?_sort_desc=sightings&sightings__gte=2&_nocount=1"
    grouped = fetch(week, moved.headers["location"]).text
    assert f'href="/-/cluster/{cid}"' in grouped
    listed = fetch(week, f"/{week.stem}/quotes_view.json?cluster_id={cid}&_shape=array&_col=text").json()
    assert len(listed) == 5
    plan = " ".join(r[3] for r in sqlite3.connect(week).execute(
        "explain query plan select seen_in_outlets, count(*) from quotes group by seen_in_outlets"))
    assert "idx_quotes_seen_in_outlets" in plan  # the facet reads its index, not the table


def test_seen_in_outlets_follows_an_updated_article(week):
    from quotes import link

    db = store.open_db(week)
    outlet, date, title, quotes = corpus.ARTICLES[4]
    article, found = corpus.build(outlet, date, title, quotes[1:])
    db.execute("update articles set url = 'https://ledger.example/taxes' where id = 5")
    article.url = "https://ledger.example/taxes"
    link.after_saved(db, [store.save_article(db, article, found, "test")])
    cid = travelling_cluster(week)
    assert {r[0] for r in db.execute("select seen_in_outlets from quotes where cluster_id = ?", [cid])} == {4}
    assert db.execute("select speakers from clusters where id = ?", [cid]).fetchone()[0] == 1
    clusters.rebuild(db)
    assert db.execute("select count(*) from quotes where seen_in_outlets = 4").fetchone()[0] == 4


def _as_before_007(source, path, monkeypatch):
    """A database made by migrations 001 to 006 alone, holding what `source` holds (the
    columns those migrations know; the quotes through their triggers, so FTS and counts too)."""
    import sqlite_utils

    upto = store.MIGRATIONS.index(store._m007_cluster_browsing)
    db = sqlite_utils.Database(path)
    with monkeypatch.context() as m:
        m.setattr(store, "MIGRATIONS", store.MIGRATIONS[:upto])
        store.migrate(db)
    conn = db.conn
    conn.execute("attach database ? as src", [str(source)])
    for table in ("outlets", "speakers", "articles", "quotes", "speaker_aliases", "clusters", "cluster_fingerprints",
                  "corrections"):
        ours = {r[1] for r in conn.execute(f"pragma main.table_info({table})")}
        columns = ", ".join(f"[{r[1]}]" for r in conn.execute(f"pragma src.table_info({table})") if r[1] in ours)
        conn.execute(f"insert into main.{table} ({columns}) select {columns} from src.{table}")
    conn.commit()
    conn.execute("detach database src")
    db.close()


def test_a_database_made_before_007_upgrades(week, tmp_path, monkeypatch):
    cid = travelling_cluster(week)
    old = tmp_path / "old.db"
    _as_before_007(week, old, monkeypatch)
    columns = {r[1] for r in sqlite3.connect(old).execute("pragma table_info(quotes)")}
    assert "seen_in_outlets" not in columns and "cluster_id" in columns
    week = old
    db = store.open_db(week)  # opening migrates
    assert "m007_cluster_browsing" in {r[0] for r in db.execute("select name from _migrations")}
    assert db.execute("select count(*) from quotes where seen_in_outlets = 5").fetchone()[0] == 5
    assert db.execute("select speakers from clusters where id = ?", [cid]).fetchone()[0] == 2
    assert {"cluster_id", "seen_in_outlets"} <= {r[1] for r in db.execute("pragma table_info(quotes_view)")}
    assert rows_of(week, "quotes_given_to_several_speakers")[0]["cluster_id"] == cid
    assert fetch(week, f"/-/cluster/{cid}").status_code == 200
