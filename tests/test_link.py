"""Speakers across articles (quotes.link): one entity per person, with aliases and reasons."""
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from quotes import link, queries, store
from quotes.cli import cli

sys.path.insert(0, str(Path(__file__).parent / "data"))
import corpus_across as corpus  # noqa: E402


@pytest.mark.parametrize("raw, folded", [
    ("Felipe Calderón", "felipe calderon"),
    ("O’Farrell", "ofarrell"),
    ("Søren Ærø", "soren aero"),
    ("Straße", "strasse"),
    ("Κυριάκος Μητσοτάκης", "kyriakos mitsotakis"),
    ("Владимир Зеленский", "vladimir zelenskiy"),
])
def test_ascii_fold_spells_every_script_in_latin_letters(raw, folded):
    assert link.ascii_fold(raw) == folded
    assert link.block_of(raw) != "name:"  # never the empty block every unreadable name shared


@pytest.mark.parametrize("a, b, why", [
    ("Donald Trump", "Donald J. Trump", link.REASON_MIDDLE),
    ("Hillary Clinton", "Hillary Rodham Clinton", link.REASON_MIDDLE),
    ("Qasym-Zhomart Toqaev", "Kassym-Jomart Tokayev", link.REASON_SAME),  # one transliteration key
    ("Volodymyr Zelensky", "Volodymyr Zelenskyy", link.REASON_SAME),
    ("Felipe Calderón", "Felipe Calderon", link.REASON_SAME),
    ("Касым-Жомарт Токаев", "Kassym-Jomart Tokayev", link.REASON_SAME),  # Cyrillic, through anyascii
    ("Łukasz Żuk", "Lukasz Zuk", link.REASON_SAME),  # letters that are no letter plus an accent
    ("Ana Ruiz", "ANA RUIZ", link.REASON_SAME),
    ("Joe Biden", "Joseph R. Biden Jr.", link.REASON_NICKNAME),
    ("James Comey", "James B. Comey Jr.", link.REASON_MIDDLE),
    ("J. Smith", "John Smith", link.REASON_MIDDLE),
    ("Reince Priebus", "Rence Priebus", link.REASON_TRANSLIT),  # one letter, same skeleton
    ("Councillor Tobias Wren", "Tobias J. Wren", link.REASON_MIDDLE),
    ("Hillary Clinton", "Bill Clinton", None),
    ("George W. Bush", "George H. W. Bush", None),
    ("Donald Trump", "Donald Trump Jr.", None),
    ("Ivan Petrov", "Olga Petrova", None),
    ("Lena Kim", "Lena Kin", None),  # too short for a fuzzy surname
    ("Bill Clinton", "Bill Clifton", None),  # another consonant: another block
])
def test_same_person(a, b, why):
    assert link.same_person(link.parse_name(a), link.parse_name(b)) == why
    assert link.same_person(link.parse_name(b), link.parse_name(a)) == why


@pytest.mark.parametrize("name, given, surname, titled, org", [
    ("President Kassym-Jomart Tokayev", ("kasimjomart",), "tokaev", True, False),
    ("Mr. Toqaev", (), "tokaev", True, False),
    ("Councillor Tobias Wren", ("tobias",), "vren", True, False),  # a title the engine keeps in a name
    ("Spokeswoman Greta Holm", ("greta",), "holm", True, False),
    ("Bill de Blasio", ("bil",), "deblasio", False, False),
    ("Prime Minister", ("prime",), "minister", False, False),  # only titles: nothing dropped
    ("the State Department", (), "state department", False, True),
    ("U.S. State Department", (), "state department", False, True),
    ("CNN", (), "cnn", False, True),
])
def test_parse_name(name, given, surname, titled, org):
    n = link.parse_name(name)
    assert (n.given, n.surname, n.titled, n.org) == (given, surname, titled, org)


def names(entities):
    return {e.name: set(e.members) for e in entities}


def test_a_bare_surname_joins_its_one_person_and_stays_apart_from_two():
    alone = link.cluster_names({"Barack Obama": 10, "Obama": 4, "Pres. Obama": 1})
    assert names(alone) == {"Barack Obama": {"Barack Obama", "Obama", "Pres. Obama"}}
    two = link.cluster_names({"Hillary Clinton": 10, "Bill Clinton": 8, "Clinton": 3})
    assert names(two) == {"Hillary Clinton": {"Hillary Clinton"}, "Bill Clinton": {"Bill Clinton"},
                          "Clinton": {"Clinton"}}
    # a name that fits two people goes to neither
    bushes = link.cluster_names({"George W. Bush": 5, "George H. W. Bush": 5, "George Bush": 2})
    assert names(bushes)["George Bush"] == {"George Bush"}


def test_spellings_of_a_surname_alone_are_one_and_organisations_join_by_their_key():
    assert names(link.cluster_names({"Toqaev": 2, "Tokayev": 1})) == {"Toqaev": {"Toqaev", "Tokayev"}}
    orgs = link.cluster_names({"the State Department": 3, "U.S. State Department": 2, "Defense Department": 1})
    assert names(orgs) == {"the State Department": {"the State Department", "U.S. State Department"},
                           "Defense Department": {"Defense Department"}}


class Cooccur(link.Evidence):
    def cooccur(self, a, b):
        return {a, b} == {"Ivan Petrov", "Ivan Petrova"}


def test_two_similar_names_quoted_in_one_article_stay_two_people():
    counts = {"Ivan Petrov": 2, "Ivan Petrova": 1}
    assert len(link.cluster_names(counts)) == 1  # alone, one letter apart: one person
    assert len(link.cluster_names(counts, Cooccur())) == 2


NAME_POOL = ["Ana Ruiz", "Ana M. Ruiz", "Dr. Ana Ruiz", "Ruiz", "Marta Olenska", "Piotr Olenska", "Olenska",
             "Kassym-Jomart Tokayev", "Toqaev", "Qasym-Zhomart Toqaev", "Hillary Clinton", "Bill Clinton", "Clinton",
             "the State Department", "State Department", "George W. Bush", "George Bush", "J. Ruiz"]


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(NAME_POOL), st.integers(1, 50), min_size=1), st.randoms())
def test_cluster_names_is_a_function_of_the_names_not_their_order(counts, rnd):
    items = list(counts.items())
    rnd.shuffle(items)
    first = names(link.cluster_names(counts))
    assert names(link.cluster_names(dict(items))) == first
    assert sorted(n for members in first.values() for n in members) == sorted(counts)  # each name once


def test_the_invented_week_links_into_the_expected_entities(tmp_path):
    db = store.open_db(tmp_path / "q.db")
    corpus.save_all(db)
    assert corpus.entities(db) == corpus.EXPECTED_ENTITIES
    # every quote points at its entity's row, and the name the engine gave is kept
    rows = db.execute("""select q.speaker_name, s.name from quotes q join speakers s on s.id = q.speaker_id""").fetchall()
    owner = {alias: name for name, aliases in corpus.EXPECTED_ENTITIES.items() for alias in aliases}
    assert rows and all(owner[raw] == name for raw, name in rows)
    reasons = dict(db.execute("select name, reason from speaker_aliases").fetchall())
    assert reasons["Qasym-Zhomart Toqaev"] == link.REASON_TRANSLIT
    assert reasons["Ruiz"] == link.REASON_SURNAME
    assert reasons["Dr. Ana Ruiz"] == link.REASON_TITLE
    assert reasons["U.S. State Department"] == link.REASON_ORG
    # the relink command gives the same entities from scratch, and no speaker without quotes
    result = CliRunner().invoke(cli, ["relink", str(tmp_path / "q.db")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert corpus.entities(store.open_db(tmp_path / "q.db")) == corpus.EXPECTED_ENTITIES
    assert not db.execute("select 1 from speakers where id not in (select speaker_id from quotes "
                          "where speaker_id is not null)").fetchall()


@settings(max_examples=12, deadline=None)
@given(st.permutations(corpus.ARTICLES))
def test_incremental_linking_in_any_order_gives_the_same_entities(articles):
    db = store.open_db(None)
    corpus.save_all(db, articles)
    assert corpus.entities(db) == corpus.EXPECTED_ENTITIES


def test_speakers_rows_carry_aliases_and_type(tmp_path):
    path = tmp_path / "q.db"
    corpus.save_all(store.open_db(path))
    rows = {r["name"]: r for r in queries.speakers(queries.connect(path))}
    assert rows["Ana Ruiz"]["aliases"][0] == "Ana Ruiz" and set(rows["Ana Ruiz"]["aliases"]) == \
        corpus.EXPECTED_ENTITIES["Ana Ruiz"]
    assert rows["Ana Ruiz"]["type"] == "person"
    assert rows["State Department"]["type"] == "organisation"
    assert rows["Kassym-Jomart Tokayev"]["quotes"] == 6
    out = CliRunner().invoke(cli, ["speakers", str(path), "--nl"], catch_exceptions=False)
    first = json.loads(out.output.splitlines()[0])
    assert isinstance(first["aliases"], list) and {"type", "aliases", "outlets", "quotes"} <= set(first)
    table = CliRunner().invoke(cli, ["speakers", str(path), "--csv"], catch_exceptions=False)
    assert "Kassym-Jomart Tokayev; " in table.output  # a list is one cell


def test_an_older_database_upgrades_and_relinks(tmp_path):
    """A database made before migration 005: its pages and queries keep working, and relink links it."""
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    db = store.sqlite_utils.Database(old)
    done = store.MIGRATIONS[:store.MIGRATIONS.index(store._m005_speaker_entities_clusters_corrections)]
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for migration in done:
        migration(db)
        db["_migrations"].insert({"name": store._migration_name(migration), "applied_at": "2024-01-01"})
    for outlet, date, title, quotes in corpus.ARTICLES[:2]:
        article, found = corpus.build(outlet, date, title, quotes)
        aid = db["articles"].insert({"hash": article.hash, "text": article.text, "title": title,
                                     "published": date}).last_pk
        for q in found:
            sid = store._lookup(db, "speakers", q.speaker_name)
            db["quotes"].insert({"article_id": aid, "speaker_id": sid, "kind": q.kind, "text": q.text,
                                 "start": q.start, "end": q.end})
    old.commit()
    old.close()
    db = store.open_db(path)  # migrates
    assert "speaker_aliases" in db.table_names() and "clusters_view" in db.view_names()
    assert db.execute("select count(*) from quotes where speaker_name is null").fetchone()[0] == 0
    assert db.execute("select count(*) from quotes_view").fetchone()[0] == 11
    result = CliRunner().invoke(cli, ["relink", str(path)], catch_exceptions=False)
    assert result.exit_code == 0 and "Linked" in result.output
    got = corpus.entities(store.open_db(path))
    assert got["Kassym-Jomart Tokayev"] == {"Kassym-Jomart Tokayev", "Qasym-Zhomart Toqaev", "Toqaev"}
    # full-text search still finds quotes whose speaker_id linking moved
    hits = queries.search(queries.connect(path), "working families")
    assert {h["speaker"] for h in hits} == {"Kassym-Jomart Tokayev"}


def test_ingest_links_articles_as_it_stores_them(tmp_path):
    """Through a real `quotes ingest` and the engine: two articles, two spellings, one speaker."""
    docs = tmp_path / "docs.jsonl"
    texts = [
        ("Steppe Times", "2024-03-01", "President Qasym-Zhomart Toqaev said on Monday that the pension "
         "reform would be put to a referendum in the autumn."),
        ("Northern Wire", "2024-03-02", "President Kassym-Jomart Tokayev said on Tuesday that the grain "
         "harvest had been the largest in a decade."),
    ]
    docs.write_text("".join(json.dumps({"outlet": o, "date": d, "text": t}) + "\n" for o, d, t in texts))
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "q.db"), str(docs), "--silent", "--workers", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in queries.speakers(queries.connect(tmp_path / "q.db"))}
    assert len(rows) == 1, rows
    [row] = rows.values()
    assert row["quotes"] == 2 and len(row["aliases"]) == 2


@pytest.mark.parametrize("name, coordinated", [
    ("Khizr and Ghazala Khan", True),  # two people, one surname
    ("Amara and Sekou Diallo", True),
    ("Trump and Sanders", True),
    ("Ines Calder and Tomas Calder", True),
    ("She and her defenders", True),
    ("Japanese journalist and author Hiro Aida", False),  # one person, two descriptions
    ("Centers for Disease Control and Prevention", False),  # an organisation's name
    ("Parks and Recreation Department", False),
    ("Amara Diallo", False),
])
def test_a_coordinated_name_is_several_people(name, coordinated):
    assert link.is_coordinated(name) == coordinated
    assert (link.entity_type([name], Counter({"person": 3})) == "group") == coordinated


def test_people_named_together_are_never_an_alias_of_one_of_them():
    got = names(link.cluster_names({"Amara Diallo": 5, "Sekou Diallo": 3, "Amara and Sekou Diallo": 2, "Diallo": 1}))
    assert got == {"Amara Diallo": {"Amara Diallo"}, "Sekou Diallo": {"Sekou Diallo"},
                   "Amara and Sekou Diallo": {"Amara and Sekou Diallo"}, "Diallo": {"Diallo"}}
    # nor does a bare surname join them as if they were its one person
    assert names(link.cluster_names({"Amara and Sekou Diallo": 2, "Diallo": 1})) == {
        "Amara and Sekou Diallo": {"Amara and Sekou Diallo"}, "Diallo": {"Diallo"}}


class Outlet(link.Evidence):
    def outlet(self, bare):
        return bare == "Calder"


def test_a_bare_name_the_corpus_knows_as_an_outlet_is_not_its_person():
    counts = {"Ines Calder": 4, "Calder": 2}
    assert names(link.cluster_names(counts)) == {"Ines Calder": {"Ines Calder", "Calder"}}
    apart = link.cluster_names(counts, Outlet())
    assert names(apart) == {"Ines Calder": {"Ines Calder"}, "Calder": {"Calder"}}
    assert {e.name: e.kind for e in apart} == {"Ines Calder": "", "Calder": "organisation"}
    # a transliterated surname alone still joins its one person (no outlet is named so)
    assert names(link.cluster_names({"Kassym-Jomart Tokayev": 3, "Toqaev": 1}, Outlet())) == {
        "Kassym-Jomart Tokayev": {"Kassym-Jomart Tokayev", "Toqaev"}}


def _apart(db) -> dict:
    types = dict(db.execute("select name, type from speakers").fetchall())
    return {name: (aliases, types[name]) for name, aliases in corpus.entities(db).items()}


@settings(max_examples=6, deadline=None)
@given(st.permutations(corpus.APART_ARTICLES))
def test_outlets_and_people_named_together_stay_apart_in_any_order(articles):
    """Through the database: the outlet's other name ("Calder News") may come in a later article
    than the bare "Calder", which is then linked again; "Marsh", reached through "he", is a person
    although an outlet is called Marsh Radio; relink gives the same."""
    db = store.open_db(None)
    corpus.save_all(db, articles)
    assert _apart(db) == corpus.APART_EXPECTED
    link.relink(db)
    assert _apart(db) == corpus.APART_EXPECTED


def test_a_database_from_before_013_upgrades_to_the_linking_indexes(tmp_path):
    """Migration 013: a name's quotes indexed with their article (what the 'named in full' and
    'quoted together' evidence reads), the cluster_id index that another one starts with dropped;
    an older database gets them and links as before."""
    path = tmp_path / "old.db"
    db = store.open_db(path)
    corpus.save_all(db)
    before = corpus.entities(db)
    db.execute("drop index idx_quotes_speaker_name_article_id")
    db.execute("create index idx_quotes_speaker_name on quotes (speaker_name)")
    db.execute("create index idx_quotes_cluster_id on quotes (cluster_id)")
    db.execute("delete from _migrations where name = 'm013_link_indexes'")
    db.conn.commit()
    db.close()
    db = store.open_db(path)  # migrates
    indexes = {r[1] for r in db.execute("pragma index_list(quotes)")}
    assert "idx_quotes_speaker_name_article_id" in indexes
    assert not {"idx_quotes_speaker_name", "idx_quotes_cluster_id"} & indexes
    plan = " ".join(r[3] for r in db.execute(
        "explain query plan select distinct article_id from quotes where speaker_name = ? order by article_id limit 20",
        ["Toqaev"]))
    assert "COVERING INDEX idx_quotes_speaker_name_article_id" in plan and "TEMP B-TREE" not in plan
    link.relink(db)
    assert corpus.entities(db) == before


def _name_counts_hold(path) -> dict:
    """name_quote_counts (migration 016, kept by triggers) against counting the quotes; the counts."""
    conn = sqlite3.connect(path)
    kept = dict(conn.execute("select name, n from name_quote_counts where n != 0"))
    counted = dict(conn.execute("select speaker_name, count(*) from quotes where speaker_name is not null "
                                "group by speaker_name"))
    conn.close()
    assert kept == counted
    return kept


def test_each_names_quote_count_is_kept_through_ingest_corrections_re_extract_and_relink(tmp_path):
    """Linking weighs a block's names by their quotes, read from name_quote_counts: the count must
    be the quotes' own after every way quotes are stored, moved, rejected or stored again."""
    docs = tmp_path / "week.jsonl"
    docs.write_text("".join(json.dumps({"text": corpus.article_text(quotes), "title": title, "outlet": outlet,
                                        "date": date}) + "\n"
                            for outlet, date, title, quotes in corpus.ARTICLES), encoding="utf-8")
    path = tmp_path / "q.db"

    def run(*args):
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    run("ingest", path, docs, "--silent", "--workers", "1")
    counts = _name_counts_hold(path)
    assert counts["Kassym-Jomart Tokayev"] >= 2 and counts.get("Tokayev", 0) >= 1
    conn = sqlite3.connect(path)
    moved, rejected = [r[0] for r in conn.execute(
        "select id from quotes where speaker_name is not null order by id limit 2")]
    conn.close()
    run("correct", path, moved, "--speaker", "Lena Kin")
    run("correct", path, rejected, "--reject")
    _name_counts_hold(path)
    run("merge-speakers", path, "Lena Kim", "Lena Kin")
    _name_counts_hold(path)
    run("re-extract", path, "--all")  # every quote deleted and stored again
    _name_counts_hold(path)
    run("relink", path)
    assert _name_counts_hold(path) and store.open_db(path).execute(
        "select count(*) from name_quote_counts").fetchone()[0] > 0
