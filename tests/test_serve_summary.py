"""Pages served from the summary table (quotes.facets, quotes.summary): the counted facets
give exactly the counts Datasette's own column facet gives, the speaker page is bounded
whatever a speaker's number of quotes, and bench/bench_serve.py reports a dropped facet."""
import asyncio
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quotes import datasette_plugin
from quotes.model import Article, Quote
from quotes.serve import load_metadata, make_datasette
from quotes.store import open_db, save_article

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import bench_serve  # noqa: E402
import synthetic_db  # noqa: E402


@pytest.fixture(scope="module")
def news_db(tmp_path_factory) -> Path:
    """2,400 synthetic quotes, and quotes with no speaker, no outlet and no date beside them."""
    path = tmp_path_factory.mktemp("summary") / "news.db"
    synthetic_db.build(path, 2400, log=lambda line: None)
    db = open_db(path)
    text = "\u201cWe stay,\u201d said Ada Quill. \u201cNo,\u201d someone said. \u201cYes,\u201d said Ada Quill."
    quotes = [Quote(start=1, end=8, text="We stay", kind="direct", speaker_name="Ada Quill", venue="rally",
                    rule="test", date="2024-05-01"),
              Quote(start=31, end=33, text="No", kind="direct", speaker_name=None, rule="test", date="2024-05-02"),
              Quote(start=52, end=55, text="Yes", kind="mixed", speaker_name="Ada Quill", rule="test",
                    date="2024-05-01")]
    save_article(db, Article(text=text, title="No outlet, no date"), quotes, "test")
    db.close()
    return path


def fetch(ds, path: str):
    async def go():
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(go())


def facet_pairs(facet: dict) -> list[tuple]:
    return [(r["value"], r["count"], r["selected"]) for r in facet["results"]]


SELECTIONS = ["", "speaker=Ada+Quill", "speaker_id=2", "outlet=Harbour+Gazette", "outlet_id=3",
              "speaker=Nobody+At+All",
              # one kind, alone or of one speaker or outlet (quote_kind_counts)
              "kind=direct", "kind=indirect", "kind__exact=mixed", "kind=no+such+kind", "speaker=Ada+Quill&kind=mixed",
              "kind=direct&speaker_id=2", "outlet=Harbour+Gazette&kind=indirect", "kind=mixed&outlet_id=3",
              "speaker=Nobody+At+All&kind=direct",
              # one venue, alone or of one kind, speaker or outlet (quote_venue_counts)
              "kind=direct&venue=rally", "venue=rally", "venue__exact=interview&kind=mixed", "venue=no+such+venue",
              "kind=indirect&venue=press+conference", "venue=rally&speaker_id=2", "speaker=Ada+Quill&venue=interview",
              "outlet=Harbour+Gazette&venue=rally&kind=direct", "kind=direct&venue=speech&speaker=Ada+Quill",
              "outlet_id=3&venue=rally", "speaker=Nobody+At+All&venue=rally",
              # counted on the quotes table: quotes' own columns, an exact name, the search
              "speaker_id=2&outlet_id=3", "_search=budget+strike", "_search=budget&outlet_id=2",
              "venue__isnull=1", "confidence__gte=0.9",
              # a search with a filter on the facet columns' index by id, and one off it (migration 014)
              "_search=budget&kind=direct", "_search=strike&confidence__gte=0.5",
              # two speakers, a speaker with an outlet, an addressee
              "speaker=Ada+Quill&outlet=Harbour+Gazette", "addressee=the+council",
              # several speakers or outlets: sums of each one's summary rows
              "speaker_id__in=2,3", "speaker__in=Ada+Quill,Lucia+Karimova", "speaker__in=Ada+Quill,Nobody+At+All",
              "speaker__in=Nobody,Nobody+At+All", "outlet__in=Garden+Today,Harbour+Gazette", "outlet_id__in=2,3,3",
              'speaker_id__in=["2","3"]', "speaker_id__in=0,2", "speaker_id=0",
              "speaker__in=Ada+Quill,Lucia+Karimova&kind=direct",
              # counted on the view: a name matched in part, a date, a _where
              "speaker__contains=Quill", "date__startswith=2023", "_where=id+<+500"]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_counted_facets_equal_datasettes_own_column_facets(news_db, selection):
    ds = make_datasette(news_db)
    # a comparison of counts, not of speed: on a loaded machine Datasette's own facet on the
    # view can pass its 200 ms and be dropped, which would leave nothing to compare with
    ds._settings["facet_time_limit_ms"] = 20_000
    ds._settings["sql_time_limit_ms"] = 20_000
    config = load_metadata()["databases"]["quotes"]["tables"]["quotes_view"]["facets"]
    counted = [c["counted"] for c in config if isinstance(c, dict) and "counted" in c]
    own = "&".join(f"_facet={c}" for c in counted)  # Datasette's column facets, counting the rows
    data = fetch(ds, f"/news/quotes_view.json?{selection}&{own}&_facet_size=max").json()
    results = data["facet_results"]
    for column in counted:
        ours = next(f for f in results.values() if f["name"] == column and f["type"] == "counted")
        theirs = next(f for f in results.values() if f["name"] == column and f["type"] == "column")
        assert facet_pairs(ours) == facet_pairs(theirs), column
    if not selection:
        assert facet_pairs(next(f for f in results.values() if f["name"] == "speaker" and f["type"] == "counted"))[0][1] > 200


@pytest.mark.parametrize("selection", ["", "kind=direct", "speaker_id=1", "speaker_id=1&kind=mixed", "outlet_id=3",
                                       "kind__exact=direct&outlet_id=3", "kind=direct&venue=rally", "venue=interview",
                                       "venue=rally&speaker_id=1", "outlet_id=2&kind=indirect&venue=rally",
                                       "speaker_id=1&outlet_id=2", "speaker_id__in=1,2", "outlet_id__in=2,3"])
def test_counted_facets_of_the_quotes_table_equal_datasettes_own(news_db, selection):
    """The quotes table's facets, its date facet of the dated quotes (migration 011) included."""
    ds = make_datasette(news_db)
    ds._settings["facet_time_limit_ms"] = 20_000
    ds._settings["sql_time_limit_ms"] = 20_000
    config = load_metadata()["databases"]["quotes"]["tables"]["quotes"]["facets"]
    counted = [next(iter(c.values())) for c in config if isinstance(c, dict)]
    own = "&".join(f"_facet={c}" for c in counted)
    data = fetch(ds, f"/news/quotes.json?{selection}&{own}&_facet_size=max").json()
    results = data["facet_results"]
    for column in counted:
        ours = next(f for f in results.values() if f["name"] == column and f["type"] != "column")
        theirs = next(f for f in results.values() if f["name"] == column and f["type"] == "column")
        order = (lambda pairs: sorted(pairs, reverse=True)) if ours["type"] == "chronological" else list
        assert facet_pairs(ours) == order(facet_pairs(theirs)), column
    dates = next(f for f in results.values() if f["name"] == "date" and f["type"] == "chronological")
    if selection in ("", "kind=direct", "kind=direct&venue=rally"):
        assert facet_pairs(dates)  # some dated quotes to compare
    clustered = next(f for f in results.values() if f["name"] == "seen_in_outlets" and f["type"] == "counted")
    if selection in ("", "venue=interview"):
        assert facet_pairs(clustered)


@pytest.mark.parametrize("table, selection", [
    ("quotes", ""), ("quotes", "speaker_id=1&kind=direct"), ("quotes", "kind=mixed&outlet_id=3"),
    ("quotes", "venue=rally&kind=direct"), ("quotes", "venue=rally&speaker_id=1&kind=direct"),
    ("quotes_view", "venue=rally&kind=direct"), ("quotes_view", "venue=rally"),
    ("quotes_view", "venue=rally&outlet_id=2"),
])
def test_a_page_counted_from_the_summary_tables_shows_their_count_and_turns_datasettes_off(news_db, selection, table):
    conn = sqlite3.connect(news_db)
    params = dict(pair.split("=") for pair in selection.split("&") if pair)
    where = " and ".join(f"{column} = ?" for column in params) or "1"
    total = conn.execute(f"select count(*) from quotes where {where}", list(params.values())).fetchone()[0]
    assert total > 0
    ds = make_datasette(news_db)
    html = fetch(ds, f"/news/{table}?{selection}").text
    assert re.search(rf"\b{total:,} rows?\b", html)
    assert fetch(ds, f"/news/{table}.json?{selection}").json()["filtered_table_rows_count"] is None  # not counted
    if table == "quotes":  # a selection the summary tables cannot count is Datasette's to count
        assert fetch(ds, "/news/quotes.json?speaker_id=1&outlet_id=2").json()["filtered_table_rows_count"] > 0


@pytest.mark.parametrize("selection", ["", "speaker=Ada+Quill", "outlet=Valley+Courier", "kind=indirect"])
def test_month_facet_and_total_match_a_count_of_the_rows(news_db, selection):
    ds = make_datasette(news_db)
    data = fetch(ds, f"/news/quotes_view.json?{selection}&_facet_size=max").json()
    month = next(f for f in data["facet_results"].values() if f["name"] == "month")
    where, params = "", []
    if selection:
        column, value = selection.split("=")
        where, params = f"where {column} = ?", [value.replace("+", " ")]
    conn = sqlite3.connect(news_db)
    expected = conn.execute(f"select month, count(*) from quotes_view {where} {'and' if where else 'where'} "
                            "month is not null group by month order by month desc", params).fetchall()
    assert [(r["value"], r["count"]) for r in month["results"]] == expected
    html = fetch(ds, f"/news/quotes_view?{selection}").text
    total = conn.execute(f"select count(*) from quotes_view {where}", params).fetchone()[0]
    assert f"{total:,} rows" in html  # the count from quote_counts, Datasette's own turned off
    assert "<strong>month\n" in html  # the facet named as it is, with nothing after it
    assert "(counted)" not in html and "(chronological)" not in html  # how a facet counts is no reader's business


def test_counted_facet_reads_the_summary_table_and_falls_back_for_other_selections(news_db, tmp_path):
    """Proof that the counts come from quote_counts and quote_kind_counts: a count changed
    there shows on the page, while a selection they cannot count (a venue) counts the rows."""
    path = tmp_path / "news.db"
    path.write_bytes(news_db.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("update quote_counts set n = n + 1000 where by = 'speaker_id' and facet = 'kind' "
                 "and by_value = 1 and value = 'direct'")
    conn.execute("update quote_kind_counts set n = n + 500 where kind = 'direct' and by = 'speaker_id' "
                 "and facet = 'venue' and by_value = 1 and value = 'rally'")
    conn.commit()
    ds = make_datasette(path)

    def counts(query, column="kind"):
        data = fetch(ds, f"/news/quotes_view.json?{query}").json()
        facet = next(f for f in data["facet_results"].values() if f["name"] == column)
        return {r["value"]: r["count"] for r in facet["results"]}

    real = dict(conn.execute("select kind, count(*) from quotes where speaker_id = 1 group by kind").fetchall())
    rally = conn.execute("select count(*) from quotes where speaker_id = 1 and kind = 'direct' and venue = 'rally'"
                         ).fetchone()[0]
    assert counts("speaker_id=1")["direct"] == real["direct"] + 1000
    two = dict(conn.execute("select kind, count(*) from quotes where speaker_id in (1, 2) group by kind").fetchall())
    assert counts("speaker_id__in=1,2")["direct"] == two["direct"] + 1000  # several speakers: their sums
    assert counts("speaker_id=1&kind=direct") == {"direct": real["direct"] + 1000}
    assert counts("speaker_id=1&kind=direct", "venue")["rally"] == rally + 500
    assert counts("kind=direct", "venue")["rally"] == 500 + conn.execute(
        "select count(*) from quotes where kind = 'direct' and venue = 'rally'").fetchone()[0]
    assert counts("speaker_id=1&kind=direct&venue=rally") == {"direct": rally}
    conn.execute("update quote_venue_counts set n = n + 700 where venue = 'rally' and by = 'all' and kind = 'direct' "
                 "and facet = 'speaker_id' and value = 1")
    conn.commit()
    rallies = conn.execute("select count(*) from quotes where kind = 'direct' and venue = 'rally'").fetchone()[0]
    assert counts("kind=direct&venue=rally") == {"direct": rallies + 700}
    assert counts("kind=direct&venue=rally", "speaker")["Ada Quill"] == 700 + conn.execute(
        "select count(*) from quotes where kind = 'direct' and venue = 'rally' and speaker_id = 1").fetchone()[0]


def test_speaker_page_is_bounded_and_counts_every_quote(news_db, monkeypatch):
    monkeypatch.setattr(datasette_plugin, "SPEAKER_PAGE_QUOTES", 7)
    conn = sqlite3.connect(news_db)
    speaker_id, name, total = conn.execute(
        "select s.id, s.name, count(*) from quotes q join speakers s on s.id = q.speaker_id "
        "group by s.id order by count(*) desc limit 1").fetchone()
    assert total > 100
    html = fetch(make_datasette(news_db), f"/-/speaker/{speaker_id}").text
    listed = html.split('class="rows-and-columns speaker-quotes"', 1)[1].split("</table>", 1)[0]
    assert listed.count('class="quote-link"') == 7
    assert f"The first 7 of {total:,} quotes" in html
    assert f"{total:,} quotes" in html.split('class="lead"', 1)[1][:200]
    first = conn.execute("select min(date), max(date) from quotes_view where speaker_id = ?", [speaker_id]).fetchone()
    assert f"from {first[0]} to {first[1]}" in " ".join(html.split())
    earliest = [r[0] for r in conn.execute(
        "select id from quotes_view where speaker_id = ? order by date, article_id, start limit 7", [speaker_id])]
    assert [int(i) for i in re.findall(r'href="/-/quote/(\d+)"', listed)] == earliest


def test_bench_reports_a_dropped_facet(news_db):
    page = bench_serve.Page("one kind", "/{db}/quotes_view?kind=direct", "quotes_view")
    [ok] = bench_serve.run(news_db, repeats=1, pages=[page])
    assert ok.facets_asked and not ok.facets_lost and not ok.failures(bench_serve.PAGE_BUDGET_MS)
    [dropped] = bench_serve.run(news_db, repeats=1, facet_time_limit_ms=1, pages=[page])
    assert dropped.facets_lost and any("facets lost" in why for why in dropped.failures(bench_serve.PAGE_BUDGET_MS))


def test_bench_cold_request_starts_with_the_database_out_of_the_page_cache(news_db):
    news_db.read_bytes()  # every page of the file in the page cache
    assert bench_serve.resident_share(news_db) > 0.99
    page = bench_serve.Page("one kind", "/{db}/quotes_view?kind=direct", "quotes_view")
    [result] = bench_serve.run(news_db, repeats=2, pages=[page], cold=True)
    assert result.resident is not None and result.resident < 0.05
    assert len(result.cold.times_ms) == 1 and len(result.times_ms) == 2
    assert result.cold.facets_asked and not result.cold.facets_lost


def test_lost_facets_reads_the_json_and_the_html_timed_out_line():
    asked = ["speaker", "kind", "month"]
    data = {"facet_results": {"speaker": {"name": "speaker"}, "month": {"name": "month"}}}
    assert bench_serve.lost_facets(asked, data, None) == {"kind"}
    html = ('<div class="facet-info facet-news-quotes_view-speaker" id="facet-speaker" data-column="speaker">'
            '<div class="facet-info facet-news-quotes_view-kind" id="facet-kind" data-column="kind">'
            '<div class="facet-info facet-news-quotes_view-month" id="facet-month" data-column="month">'
            '<p class="facets-timed-out">These facets timed out: kind</p>')
    assert bench_serve.lost_facets(asked, None, html) == {"kind"}
    assert bench_serve.lost_facets(asked, None, html.replace('<p class="facets-timed-out">These facets timed out: '
                                                              'kind</p>', "")) == set()


def test_bench_script_prints_fail_and_exits_1_when_a_facet_is_lost(tmp_path):
    result = subprocess.run([sys.executable, "-W", "ignore", str(BENCH / "bench_serve.py"), "--quotes", "1200",
                             "--repeats", "1", "--facet-time-limit-ms", "1", "--cache-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL at 1,200 quotes" in result.stdout and "facets lost" in result.stdout


def test_which_filters_are_counted_on_the_quotes_table():
    from quotes.facets import clauses_on_quotes

    search = "id in (select rowid from quotes_fts where quotes_fts match escape_fts(:search))"
    assert clauses_on_quotes(['"kind" = :p0', search]) == ['"kind" = :p0', search]
    assert clauses_on_quotes(['"speaker" = :p0']) == ["speaker_id = (select id from speakers where name = :p0)"]
    for on_the_view_only in ['"speaker" like :p0', '"date" = :p0', '"article_title" = :p0', "id>5",
                             ':p0 in (select value from json_each("kind"))']:
        assert clauses_on_quotes(['"kind" = :p1', on_the_view_only]) is None


@pytest.mark.parametrize("query, where", [
    ("kind=direct", "kind = 'direct'"),
    ("_search=budget+strike", "id in (select rowid from quotes_fts where quotes_fts match 'budget strike')"),
    ("speaker__contains=Quill&_nocount=quote_counts", "speaker like '%Quill%'"),  # a link that carried it along
])
def test_all_quotes_counts_other_selections_on_the_quotes_table_or_leaves_it_to_datasette(news_db, query, where):
    total = sqlite3.connect(news_db).execute(f"select count(*) from quotes_view where {where}").fetchone()[0]
    html = fetch(make_datasette(news_db), f"/news/quotes_view?{query}").text
    assert f"{total:,} rows" in html


@pytest.mark.parametrize("selection", ["_search=budget+strike", "_search=budget&kind=direct", "speaker_id=2&outlet_id=3"])
def test_a_page_counted_from_its_rows_reads_them_once_for_facets_chart_and_count(news_db, selection, monkeypatch):
    """A search's page: its eight facets (both classes, the month's too), its chart and its row
    count come from one read of the matches, and are what the chart's and the count's own
    queries give."""
    from quotes import facets

    passes = []
    count_pass = facets._count_pass

    async def counted(*args):
        passes.append(args[-1])
        return await count_pass(*args)

    monkeypatch.setattr(facets, "_count_pass", counted)
    ds = make_datasette(news_db)
    ds._settings["facet_time_limit_ms"] = 20_000
    html = fetch(ds, f"/news/quotes_view?{selection}").text
    assert len(passes) == 1 and {"speaker", "kind", "month"} <= set(passes[0])
    conn = sqlite3.connect(news_db)
    params = dict(pair.split("=") for pair in selection.split("&"))
    search = params.pop("_search", None)
    where = [f"{column} = ?" for column in params] + (["id in (select rowid from quotes_fts where quotes_fts "
                                                       "match ?)"] if search else [])
    values = list(params.values()) + ([search.replace("+", " ")] if search else [])
    total = conn.execute(f"select count(*) from quotes where {' and '.join(where)}", values).fetchone()[0]
    assert total > 0 and re.search(rf"\b{total:,} rows?\b", html)
    assert "facets-timed-out" not in html
    monkeypatch.setattr(facets, "passed", lambda *args: None)  # the chart and the count by their own queries
    timeless = re.compile(r"took [\d.]+ms")
    assert timeless.sub("", fetch(ds, f"/news/quotes_view?{selection}").text) == timeless.sub("", html)


def test_a_searchs_pass_reads_the_facet_columns_index_by_id(news_db):
    """A search's matches are read by id from migration 014's covering index, not from the rows,
    when every filter beside the search is one of its columns."""
    from quotes.facets import _by_id_index

    search = "id in (select rowid from quotes_fts where quotes_fts match escape_fts(:search))"
    read = ["speaker_id", "outlet_id", "kind", "month", "seen_in_outlets"]
    assert _by_id_index([search, '"kind" = :p0'], read) == " indexed by idx_quotes_id_facets"
    assert _by_id_index([search, "speaker_id = (select id from speakers where name = :p0)"], read)
    assert _by_id_index([search, '"confidence" >= :p0'], read) == ""
    assert _by_id_index(['"kind" = :p0'], read) == ""  # no search: the planner picks the filter's index
    plan = " ".join(row[3] for row in sqlite3.connect(news_db).execute(
        "explain query plan select speaker_id, kind, month from quotes" + _by_id_index([search], read)
        + " where id in (select rowid from quotes_fts where quotes_fts match 'budget')"))
    assert "COVERING INDEX idx_quotes_id_facets" in plan


@pytest.mark.parametrize("migration, index, first", [
    ("m014_facets_by_id", "idx_quotes_id_facets", "id"),
    ("m015_facets_by_filter", "idx_quotes_speaker_id_outlet_id_facets", "speaker_id"),
    ("m015_facets_by_filter", "idx_quotes_addressee_facets", "addressee"),
])
def test_an_existing_database_gets_the_facet_columns_indexes(news_db, tmp_path, migration, index, first):
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(news_db, path)
    conn = sqlite3.connect(path)
    conn.execute(f"drop index {index}")
    conn.execute("delete from _migrations where name = ?", [migration])
    conn.commit()
    conn.close()
    open_db(path).close()
    columns = [r[2] for r in sqlite3.connect(path).execute(f"pragma index_info({index})")]
    assert columns[0] == first and {"speaker_id", "outlet_id", "kind", "month", "seen_in_outlets"} <= set(columns)


@pytest.mark.parametrize("selection, index", [
    ("speaker=Ada+Quill&outlet=Harbour+Gazette", "idx_quotes_speaker_id_outlet_id_facets"),
    ("addressee=the+council", "idx_quotes_addressee_facets"),
])
def test_a_speakers_quotes_in_an_outlet_and_an_addressees_read_one_index_and_no_row(news_db, selection, index,
                                                                                   monkeypatch):
    """The pass of these selections (migration 015) reads a covering index, in the filter's order."""
    from quotes import facets

    plans = []
    count_pass = facets._count_pass

    async def planned(ds, request, database, table, columns):
        where, params = await datasette_plugin.selection_where(ds, request, database, table)
        clauses = facets.clauses_on_quotes(where)
        read = ", ".join(dict.fromkeys(facets._read(c) for c in columns))
        sql = f"explain query plan select {read} from quotes where " + " and ".join(f"({c})" for c in clauses)
        rows = await ds.get_database(database).execute(sql, params)
        plans.append(" ".join(r[3] for r in rows.rows))
        return await count_pass(ds, request, database, table, columns)

    monkeypatch.setattr(facets, "_count_pass", planned)
    html = fetch(make_datasette(news_db), f"/news/quotes_view?{selection}").text
    assert "facets-timed-out" not in html
    assert len(plans) == 1 and f"COVERING INDEX {index}" in plans[0], plans


def test_canned_search_ranks_among_the_matches_stored_last(news_db):
    """The canned search ranks only the 10,000 matching quotes stored last (FTS5 ranks every row
    it orders: 1.7 s for a word in 605,000 of ten million): below that bound it is the plain
    ranked search, above it the best of those stored last."""
    sql = load_metadata()["databases"]["quotes"]["queries"]["search"]["sql"]
    assert sql.count("offset 9999") == 1
    conn = sqlite3.connect(news_db)
    matches = conn.execute("select rowid from quotes_fts where quotes_fts match 'budget' order by rank").fetchall()
    assert 100 < len(matches) < 10_000
    ds = make_datasette(news_db)
    served = fetch(ds, "/news/search.json?q=budget&_shape=array").json()
    assert [row["quote_id"] for row in served] == [m[0] for m in matches[:100]]
    # the bound at 50 instead of 10,000: the best 100 ... of the 50 stored last
    bounded = conn.execute(sql.replace("offset 9999", "offset 49"), {"q": "budget"}).fetchall()
    last = sorted((m[0] for m in matches), reverse=True)[:50]
    assert [row[0] for row in bounded] == [m[0] for m in matches if m[0] in last]


def test_a_pass_past_its_time_limit_reports_every_facet_of_it_timed_out(news_db, monkeypatch):
    """The month's facet is in the pass too, so it times out with the others; the chart and the
    row count are then counted by their own queries."""
    from quotes import facets

    monkeypatch.setattr(facets, "ONE_PASS_LIMITS", 1e-6)  # SQLite interrupts the pass at once
    ds = make_datasette(news_db)
    data = fetch(ds, "/news/quotes_view.json?_search=budget+strike").json()
    asked = bench_serve.facets_asked(load_metadata(), "quotes_view", "/news/quotes_view?_search=budget+strike")
    assert "month" in asked and bench_serve.lost_facets(asked, data, None) == set(asked)
    html = fetch(ds, "/news/quotes_view?_search=budget+strike").text
    assert bench_serve.lost_facets(asked, None, html) == set(asked)
    conn = sqlite3.connect(news_db)
    total = conn.execute("select count(*) from quotes_fts where quotes_fts match 'budget strike'").fetchone()[0]
    assert re.search(rf"\b{total:,} rows?\b", html) and "Quotes per month in this selection" in html
