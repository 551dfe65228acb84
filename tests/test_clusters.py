"""Quote clusters across articles (quotes.clusters): sightings, first seen, variants, misattribution."""
import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from quotes import clusters, queries, store
from quotes.cli import cli

sys.path.insert(0, str(Path(__file__).parent / "data"))
import corpus_across as corpus  # noqa: E402


@pytest.mark.parametrize("a, b, how", [
    (corpus.TRAVELLER, corpus.TRAVELLER, "same"),
    (corpus.TRAVELLER, corpus.TRAVELLER.upper() + "!", "same"),  # case and punctuation do not count
    (corpus.TRIMMED, corpus.TRAVELLER, "partial"),
    (corpus.TRAVELLER, corpus.TRIMMED, "fuller"),
    (corpus.REWORDED, corpus.TRAVELLER, "variant"),
    (corpus.REFORMS, corpus.TRAVELLER, None),
])
def test_relation(a, b, how):
    assert clusters.relation(clusters.words(a), clusters.words(b)) == how


def test_word_diff_marks_what_changed():
    assert clusters.word_diff(corpus.TRAVELLER, corpus.REWORDED) == \
        "We will [-not-] {+never+} raise taxes on working families while I am president"
    assert clusters.word_diff(corpus.TRAVELLER, corpus.TRIMMED).endswith("families [-while I am president-]")


WORD = st.sampled_from("the harbour wall will be rebuilt before winter storms come to town and we pay".split())


@settings(max_examples=50, deadline=None)
@given(st.lists(WORD, min_size=0, max_size=15), st.lists(WORD, min_size=6, max_size=12),
       st.lists(WORD, min_size=0, max_size=15))
def test_a_shared_run_of_six_words_always_shares_a_fingerprint(before, run, after):
    """Winnowing's guarantee, which makes the index find a partial quote inside a longer one."""
    shared = clusters.SHINGLE_WORDS + clusters.WINDOW - 1
    assert len(run) >= shared
    assert clusters.fingerprints(tuple(run)) & clusters.fingerprints(tuple(before + run + after))


@pytest.fixture
def week(tmp_path):
    path = tmp_path / "q.db"
    corpus.save_all(store.open_db(path))
    return path


def test_the_travelling_quote_is_one_cluster_with_five_sightings(week):
    [top, *rest] = list(clusters.clusters(queries.connect(week)))
    assert top["text"] == corpus.REWORDED or top["text"] == corpus.TRAVELLER  # the fullest wording
    assert top["sightings"] == 5
    assert top["outlets"] == ["Coastal Ledger", "Harbour Gazette", "Northern Wire", "Steppe Times", "Valley Courier"]
    assert top["first_seen"]["date"] == "2024-03-01" and top["first_seen"]["outlet"] == "Steppe Times"
    assert top["first_seen"]["article_id"] == 1
    assert set(top["speakers"]) == {"Kassym-Jomart Tokayev", "Marta Olenska"} and top["misattributed"]
    relations = {v["text"]: v["relation"] for v in top["variants"]}
    assert relations[corpus.TRIMMED] == "partial"
    diffs = " ".join(v["diff"] for v in top["variants"])
    assert "[-" in diffs or "{+" in diffs
    assert rest == []  # every other quote was reported once (listed with --min-sightings 1)
    every = list(clusters.clusters(queries.connect(week), min_sightings=1))
    assert sum(c["sightings"] for c in every) == sum(
        1 for *_, quotes in corpus.ARTICLES for words, _, _ in quotes if len(words.split()) >= clusters.MIN_CLUSTER_WORDS)


def test_search_and_export_rows_carry_the_cluster_id(week):
    db = store.open_db(week)
    [cluster_id] = {r[0] for r in db.execute("select cluster_id from quotes where text like 'We will%'")}
    hits = queries.search(queries.connect(week), "working families")
    assert hits and {h["cluster_id"] for h in hits} == {cluster_id}
    exported = list(queries.export(queries.connect(week)))
    assert "cluster_id" in queries.EXPORT_COLUMNS and all("cluster_id" in r for r in exported)
    short = [r for r in exported if r["text"] == "No comment"]
    assert short[0]["cluster_id"] is None  # too short to cluster


def test_clusters_command_formats(week):
    run = CliRunner()
    nl = run.invoke(cli, ["clusters", str(week), "--nl"], catch_exceptions=False)
    assert nl.exit_code == 0
    row = json.loads(nl.output.splitlines()[0])
    assert {"text", "sightings", "outlets", "first_seen", "speakers", "variants"} <= set(row)
    assert set(row["first_seen"]) >= {"date", "outlet", "article_id"}
    out = run.invoke(cli, ["clusters", str(week), "--csv"], catch_exceptions=False).output
    [first] = list(csv.DictReader(io.StringIO(out)))
    assert first["sightings"] == "5" and "Steppe Times" in first["first_seen"]
    table = run.invoke(cli, ["clusters", str(week), "-t", "--min-sightings", "1", "--limit", "3"],
                       catch_exceptions=False)
    assert table.exit_code == 0 and "sightings" in table.output.splitlines()[0]


def test_an_updated_article_leaves_its_clusters_counted_right(week):
    """An article stored again under its URL (or re-extracted) gets new quotes: counts follow."""
    from quotes import link

    db = store.open_db(week)
    outlet, date, title, quotes = corpus.ARTICLES[4]  # the Coastal Ledger, which misattributed it
    article, found = corpus.build(outlet, date, title, quotes[1:])  # the quote is gone from it
    db.execute("update articles set url = 'https://ledger.example/taxes' where id = 5")
    article.url = "https://ledger.example/taxes"
    link.after_saved(db, [store.save_article(db, article, found, "test")])
    [top] = list(clusters.clusters(db))
    assert top["sightings"] == 4 and top["speakers"] == ["Kassym-Jomart Tokayev"] and not top["misattributed"]
    assert not db.execute("select 1 from cluster_dirty").fetchall()


def test_a_stock_phrase_finds_no_candidates(tmp_path):
    """A fingerprint held by more than MAX_POSTINGS clusters is left out, so adding a quote reads
    a bounded number of index rows however many quotes share a phrase."""
    db = store.open_db(None)
    ws = clusters.words("at the end of the day we will see what happens")
    [h, *_] = sorted(clusters.fingerprints(ws))
    db.conn.executemany("insert into cluster_fingerprints (hash, cluster_id) values (?, ?)",
                        [(h, i) for i in range(clusters.MAX_POSTINGS + 1)])
    assert clusters._candidates(db, [h]) == []
    db.execute("delete from cluster_fingerprints where cluster_id = 0")
    assert len(clusters._candidates(db, [h])) == clusters.MAX_CANDIDATES


def _cluster_sets(db) -> list[tuple]:
    """Every cluster as its quotes (by id), text, counts and first sighting; ids left out."""
    rows = db.execute("""select c.id, c.text, c.quotes, c.sightings, c.outlets, c.speakers, c.first_seen_quote_id,
c.first_seen_article_id, c.first_seen_outlet_id, c.first_seen_date from clusters c""").fetchall()
    members = {}
    for quote_id, cluster_id, seen in db.execute("select id, cluster_id, seen_in_outlets from quotes where cluster_id is not null"):
        members.setdefault(cluster_id, []).append((quote_id, seen))
    return sorted((tuple(sorted(members[r[0]])), *r[1:]) for r in rows)


def test_a_rebuild_in_place_gives_the_clusters_ingest_gave(week):
    """rebuild leaves each quote's old cluster until its batch places it (no reset of every quote
    first): the clusters, their counts and each quote's seen_in_outlets are those ingest made, in
    small batches too, and no quote keeps an old cluster id."""
    db = store.open_db(week)
    made = _cluster_sets(db)
    db.execute("insert into quotes (article_id, kind, text, start, \"end\", cluster_id, seen_in_outlets) "
               "values (1, 'direct', 'too short now', 9000, 9013, 1, 5)")  # an old cluster on a quote now too short
    db.conn.commit()
    old = db.execute("select max(id) from clusters").fetchone()[0]
    for batch in (500, 2):
        assert clusters.rebuild(db, batch=batch) == len(made)
        assert _cluster_sets(db) == made
        assert db.execute("select min(id) from clusters").fetchone()[0] > old
        assert db.execute("select count(*) from quotes where text = 'too short now' and cluster_id is null "
                          "and seen_in_outlets is null").fetchone()[0] == 1
        assert not db.execute("select 1 from quotes where cluster_id is not null and cluster_id not in "
                              "(select id from clusters)").fetchall()
        old = db.execute("select max(id) from clusters").fetchone()[0]
