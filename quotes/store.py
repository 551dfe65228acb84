"""The SQLite database: schema as numbered migrations, and the writes that fill it.

Tables: articles, outlets, speakers, quotes (+ quotes_fts, FTS5 with the porter
tokenizer) and the view quotes_view that joins names for faceting in Datasette.
Every article is keyed by a hash of its text, so ingesting the same input twice
adds nothing; an article stored under the same URL with another text is updated
in place (same id, new text and quotes).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from .model import Article, Quote

FACET_COLUMNS = ("speaker_id", "kind", "venue", "addressee", "date", "cue")

# How long a writer waits for another (an ingest, a re-extract) to finish its transaction
# before giving up with "database is locked": 60 s. A transaction is one article, so a
# wait that long means the other writer is stuck, not busy.
BUSY_TIMEOUT_S = 60.0

# SQLite's page cache for each connection to a file: 64 MB (SQLite's default is 2 MB). The
# indexes of a database of a million quotes stay in memory, so storing an article costs the
# same at 1M quotes as at none.
CACHE_KB = 64_000

_QUOTES_VIEW_TEMPLATE = """
select
  q.id,
  q.text,
  q.kind,
  s.name as speaker,
  q.speaker_mention,
  q.role,
  q.cue,
  o.name as outlet,
  q.addressee,
  q.venue,
  q.place,
  substr(coalesce(q.date, a.published), 1, 10) as date,
  substr(coalesce(q.date, a.published), 1, 7) as month,
  a.title as article_title,
  a.url as article_url,
  q.article_id,
  q.speaker_id,
  a.outlet_id,
  q.start,
  q."end",
  q.rule{extra}
from quotes q
join articles a on a.id = q.article_id
left join speakers s on s.id = q.speaker_id
left join outlets o on o.id = a.outlet_id
"""
# the view as the current schema has it; migration 001 made it without the last two columns
QUOTES_VIEW_SQL = _QUOTES_VIEW_TEMPLATE.format(extra=",\n  q.speaker_type,\n  q.confidence,\n  q.stance")
_QUOTES_VIEW_SQL_001 = _QUOTES_VIEW_TEMPLATE.format(extra="")


def _m001_initial(db: sqlite_utils.Database) -> None:
    db["outlets"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["outlets"].create_index(["name"], unique=True)
    db["speakers"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["speakers"].create_index(["name"], unique=True)
    db["articles"].create(
        {
            "id": int,
            "hash": str,
            "title": str,
            "url": str,
            "outlet_id": int,
            "published": str,
            "author": str,
            "source": str,
            "text": str,
            "ingested_at": str,
        },
        pk="id",
        not_null={"hash", "text"},
        foreign_keys=[("outlet_id", "outlets", "id")],
    )
    db["articles"].create_index(["hash"], unique=True)
    db["articles"].create_index(["url"])
    db["articles"].create_index(["outlet_id"])
    db["articles"].create_index(["published"])
    db["quotes"].create(
        {
            "id": int,
            "article_id": int,
            "speaker_id": int,
            "speaker_mention": str,
            "role": str,
            "kind": str,
            "text": str,
            "cue": str,
            "addressee": str,
            "venue": str,
            "place": str,
            "date": str,
            "start": int,
            "end": int,
            "speaker_start": int,
            "speaker_end": int,
            "cue_start": int,
            "cue_end": int,
            "rule": str,
            "engine_version": str,
        },
        pk="id",
        not_null={"article_id", "kind", "text", "start", "end"},
        foreign_keys=[("article_id", "articles", "id"), ("speaker_id", "speakers", "id")],
    )
    db["quotes"].create_index(["article_id", "start", "end", "kind"], unique=True)
    for column in FACET_COLUMNS:
        db["quotes"].create_index([column])
    db["quotes"].enable_fts(["text"], tokenize="porter", create_triggers=True)
    db.create_view("quotes_view", _QUOTES_VIEW_SQL_001)


def _m002_article_engine_version(db: sqlite_utils.Database) -> None:
    """Which engine read each article, so `quotes re-extract` knows what is stale."""
    db["articles"].add_column("engine_version", str)
    db.execute(
        "update articles set engine_version = "
        "(select max(engine_version) from quotes where quotes.article_id = articles.id)"
    )


def _m003_quote_confidence(db: sqlite_utils.Database) -> None:
    """How far each quote can be trusted (quotes.confidence), what kind of speaker it has
    (quotes.speaker_type), and whether it is a stance (a belief or a wish, stored only when
    ingest was asked to: --include-stance)."""
    db["quotes"].add_column("speaker_type", str)
    db["quotes"].add_column("confidence", float)
    db["quotes"].add_column("stance", int, not_null_default=0)
    db["quotes"].create_index(["confidence"])
    db["quotes"].create_index(["speaker_type"])
    db["quotes"].create_index(["stance"])
    db.execute("drop view if exists quotes_view")
    db.create_view("quotes_view", QUOTES_VIEW_SQL)


def _m004b_article_agency(db: sqlite_utils.Database) -> None:
    """The news agency a wire dateline names ("WASHINGTON (AP) —"): articles.agency, indexed."""
    db["articles"].add_column("agency", str)
    db["articles"].create_index(["agency"])


def _m005_speaker_entities_clusters_corrections(db: sqlite_utils.Database) -> None:
    """Across articles (quotes.link, quotes.clusters, quotes.corrections): each quote keeps the
    engine's resolved name (quotes.speaker_name) while speaker_id points at one speaker per
    person, whose names are speaker_aliases (each with the reason it was linked); quotes
    reported by several articles share a cluster (clusters, found through
    cluster_fingerprints); corrections made by hand are rows of their own. An older database
    gets every name as its own alias: `quotes relink` links and clusters what it holds."""
    from .link import block_of

    db["speakers"].add_column("type", str)
    db["speakers"].add_column("corrected", int, not_null_default=0)
    db["quotes"].add_column("speaker_name", str)
    db["quotes"].add_column("cluster_id", int)
    db["quotes"].add_column("corrected", int, not_null_default=0)
    db["quotes"].create_index(["speaker_name"])
    db["quotes"].create_index(["cluster_id"])
    db.execute("update quotes set speaker_name = (select name from speakers where id = quotes.speaker_id) "
               "where speaker_id is not null")
    db["speaker_aliases"].create({"name": str, "speaker_id": int, "block": str, "reason": str, "corrected": int},
                                 pk="name", not_null={"reason", "corrected"}, defaults={"corrected": 0})
    db["speaker_aliases"].create_index(["speaker_id"])
    db["speaker_aliases"].create_index(["block"])
    db.conn.executemany("insert into speaker_aliases (name, speaker_id, block, reason) values (?, ?, ?, 'canonical name')",
                   [(name, sid, block_of(name)) for sid, name in db.execute("select id, name from speakers").fetchall()])
    db["clusters"].create({"id": int, "text": str, "words": int, "quotes": int, "sightings": int, "outlets": int,
                           "first_seen_date": str, "first_seen_outlet_id": int, "first_seen_article_id": int,
                           "first_seen_quote_id": int}, pk="id", not_null={"text"})
    for column in ("sightings", "outlets", "first_seen_date", "first_seen_outlet_id"):
        db["clusters"].create_index([column])
    db.execute("create table cluster_fingerprints (hash integer not null, cluster_id integer not null, "
               "primary key (hash, cluster_id)) without rowid")
    db["cluster_fingerprints"].create_index(["cluster_id"])
    db.execute("create table cluster_dirty (cluster_id integer primary key)")
    # a quote deleted (an article updated or re-extracted, a quote rejected) marks its cluster for a recount
    db.execute("""create trigger quotes_cluster_dirty after delete on quotes when old.cluster_id is not null
begin insert or ignore into cluster_dirty (cluster_id) values (old.cluster_id); end""")
    # linking and clustering update quotes.speaker_id and cluster_id: the full-text index
    # needs writing again only when the text changes (it cost 0.5 ms an update otherwise)
    db.execute("drop trigger if exists quotes_au")
    db.execute("""create trigger quotes_au after update of text on quotes begin
  insert into quotes_fts (quotes_fts, rowid, text) values ('delete', old.rowid, old.text);
  insert into quotes_fts (rowid, text) values (new.rowid, new.text);
end""")
    db["corrections"].create({"id": int, "action": str, "target": str, "value": str, "article_id": int,
                              "quote_start": int, "quote_end": int, "quote_text": str, "created_at": str},
                             pk="id", not_null={"action", "target", "created_at"})
    db["corrections"].create_index(["article_id"])
    db.create_view("clusters_view", CLUSTERS_VIEW_SQL)
    db.create_view("cluster_sightings", CLUSTER_SIGHTINGS_SQL)


# A cluster with its first sighting named, and how many speakers its sightings were given to.
CLUSTERS_VIEW_SQL = """
select c.id, c.text, c.sightings, c.outlets, c.quotes, c.words,
  c.first_seen_date, o.name as first_seen_outlet, c.first_seen_article_id, a.title as first_seen_title,
  c.first_seen_quote_id,
  (select count(distinct q.speaker_id) from quotes q where q.cluster_id = c.id) as speakers
from clusters c
left join articles a on a.id = c.first_seen_article_id
left join outlets o on o.id = c.first_seen_outlet_id
"""
# Every sighting of every cluster: the timeline by outlet, and the speaker each outlet gave.
CLUSTER_SIGHTINGS_SQL = """
select q.cluster_id, q.id as quote_id, substr(coalesce(q.date, a.published), 1, 10) as date,
  o.name as outlet, a.outlet_id, q.article_id, a.title as article_title, s.name as speaker, q.speaker_id,
  q.text, q.corrected
from quotes q
join articles a on a.id = q.article_id
left join outlets o on o.id = a.outlet_id
left join speakers s on s.id = q.speaker_id
where q.cluster_id is not null
"""


# What the summary table quote_counts counts: the quotes of each speaker (and each outlet) per
# value of another column. Every facet of All quotes, the database page's charts, a speaker's
# page and the most-quoted speakers of each outlet are sums of its rows (quotes.queries), so
# a quote costs one upsert a pair when it is stored, and no page scans the quotes.
COUNTED_PAIRS = (
    ("speaker_id", "kind"), ("speaker_id", "month"), ("speaker_id", "outlet_id"), ("speaker_id", "speaker_type"),
    ("speaker_id", "venue"), ("speaker_id", "addressee"), ("speaker_id", "role"), ("outlet_id", "month"),
    # from migration 008: one outlet's facets of All quotes
    ("outlet_id", "kind"), ("outlet_id", "speaker_type"), ("outlet_id", "venue"), ("outlet_id", "addressee"),
)
# A quote with no speaker (or an article with no outlet) is counted under this id.
NO_ID = 0
# From migration 010, quote_kind_counts: the same pairs for the quotes of one kind (the kind
# pairs themselves are quote_counts' already), so that one kind's facets, and one kind's of one
# speaker or outlet (what clicking gives next), are sums too: 10 more upserts a quote stored.
KIND_PAIRS = tuple((by, c) for by, c in COUNTED_PAIRS if c != "kind")
# From migration 012, quote_venue_counts: the quotes of each venue and kind per value of another
# column, over all of the venue's quotes ("all", NO_ID) and per speaker and outlet, so a venue's
# facets, alone or with one kind, one speaker or outlet, or both, are sums too. The engine gives
# a venue in its normal form (lexicons/venues.txt: 33 of them), so the table stays small; a quote
# with no venue costs nothing, one with a venue 13 more upserts. The speaker (or, per speaker,
# the outlet) is counted for every quote (NO_ID for none), so its sums are the venue's quotes.
VENUE_PAIRS = (("all", "speaker_id"), ("all", "outlet_id"), ("all", "speaker_type"), ("all", "addressee"),
               ("all", "month"),
               ("speaker_id", "outlet_id"), ("speaker_id", "speaker_type"), ("speaker_id", "addressee"),
               ("speaker_id", "month"),
               ("outlet_id", "speaker_id"), ("outlet_id", "speaker_type"), ("outlet_id", "addressee"),
               ("outlet_id", "month"))
_VENUE_IDS = ("speaker_id", "outlet_id")


def _venue_row(row: str, by: str, c: str) -> tuple[str, str, str]:
    """by_value, value and the condition of a VENUE_PAIRS upsert (or count) of `row`."""
    by_value = str(NO_ID) if by == "all" else f"coalesce({row}.[{by}], {NO_ID})"
    if c in _VENUE_IDS:
        return by_value, f"coalesce({row}.[{c}], {NO_ID})", f"{row}.venue is not null"
    return by_value, f"{row}.[{c}]", f"{row}.venue is not null and {row}.[{c}] is not null"


def _count_statements(row: str, sign: str, pairs=COUNTED_PAIRS, kinds=KIND_PAIRS, venues=VENUE_PAIRS) -> list[str]:
    """The upserts that add (sign "+") or take away ("-") one quote, `row` being new or old."""
    return [f"""insert into quote_counts (by, facet, by_value, value, n)
  select '{by}', '{c}', coalesce({row}.[{by}], {NO_ID}), {row}.[{c}], {sign}1 where {row}.[{c}] is not null
  on conflict (by, facet, by_value, value) do update set n = n {sign} 1;""" for by, c in pairs] + [
        f"""insert into quote_kind_counts (kind, by, facet, by_value, value, n)
  select {row}.kind, '{by}', '{c}', coalesce({row}.[{by}], {NO_ID}), {row}.[{c}], {sign}1
  where {row}.[{c}] is not null and {row}.kind is not null
  on conflict (kind, by, facet, by_value, value) do update set n = n {sign} 1;""" for by, c in kinds] + [
        f"""insert into quote_venue_counts (venue, by, by_value, facet, kind, value, n)
  select {row}.venue, '{by}', {by_value}, '{c}', {row}.kind, {value}, {sign}1 where {where} and {row}.kind is not null
  on conflict (venue, by, by_value, facet, kind, value) do update set n = n {sign} 1;"""
        for by, c in venues for by_value, value, where in [_venue_row(row, by, c)]]


_COUNTED_COLUMNS = sorted({c for pair in COUNTED_PAIRS for c in pair})
# Kept in SQL so that every write keeps them right, whoever makes it (ingest, re-extract, an
# article updated, linking, corrections, merge): each quote added, removed or changed.
def count_triggers(kinds=KIND_PAIRS, venues=VENUE_PAIRS) -> dict[str, str]:
    """The triggers' bodies; `kinds=()` gives them without quote_kind_counts (as before migration
    010), `venues=()` without quote_venue_counts (before 012): bench/bench_ingest.py's comparisons."""
    def statements(row, sign):
        return "\n".join(_count_statements(row, sign, kinds=kinds, venues=venues))

    return {
        "quotes_counts_ai": f"after insert on quotes begin\n{statements('new', '+')}\nend",
        "quotes_counts_ad": f"after delete on quotes begin\n{statements('old', '-')}\nend",
        "quotes_counts_au": "after update of {} on quotes begin\n{}\n{}\nend".format(
            ", ".join(_COUNTED_COLUMNS), statements("old", "-"), statements("new", "+")),
    }


COUNT_TRIGGERS = count_triggers()


def create_count_triggers(db: sqlite_utils.Database, kinds=KIND_PAIRS, venues=VENUE_PAIRS) -> None:
    for name, body in count_triggers(kinds, venues).items():
        db.execute(f"create trigger if not exists {name} {body}")


def drop_count_triggers(db: sqlite_utils.Database) -> None:
    """For a bulk load (bench/bench_serve.py), which counts everything once afterwards with rebuild_counts."""
    for name in COUNT_TRIGGERS:
        db.execute(f"drop trigger if exists {name}")


def rebuild_counts(db: sqlite_utils.Database) -> None:
    """The summary tables counted again from the quotes, one pass a pair."""
    db.execute("delete from quote_counts")
    for by, c in COUNTED_PAIRS:
        db.execute(f"insert into quote_counts (by, facet, by_value, value, n) select '{by}', '{c}', "
                   f"coalesce([{by}], {NO_ID}), [{c}], count(*) from quotes where [{c}] is not null group by 3, 4")
    tables = db.table_names()
    if "quote_kind_counts" in tables:  # (migration 006 rebuilds before 010 made it)
        rebuild_kind_counts(db)
    if "quote_venue_counts" in tables:
        rebuild_venue_counts(db)


def rebuild_kind_counts(db: sqlite_utils.Database) -> None:
    db.execute("delete from quote_kind_counts")
    for by, c in KIND_PAIRS:
        db.execute(f"insert into quote_kind_counts (kind, by, facet, by_value, value, n) select kind, '{by}', '{c}', "
                   f"coalesce([{by}], {NO_ID}), [{c}], count(*) from quotes where [{c}] is not null "
                   "and kind is not null group by 1, 4, 5")


def rebuild_venue_counts(db: sqlite_utils.Database) -> None:
    db.execute("delete from quote_venue_counts")
    for by, c in VENUE_PAIRS:
        by_value, value, where = _venue_row("quotes", by, c)
        db.execute(f"insert into quote_venue_counts (venue, by, by_value, facet, kind, value, n) select venue, "
                   f"'{by}', {by_value}, '{c}', kind, {value}, count(*) from quotes where {where} "
                   "and kind is not null group by 1, 3, 5, 6")


# The view from migration 006 on: the month and the outlet are the quote's own (indexed)
# columns, and every join is a left join, so a count or a page that reads no name joins nothing.
QUOTES_VIEW_SQL_006 = (QUOTES_VIEW_SQL
                       .replace("substr(coalesce(q.date, a.published), 1, 7) as month", "q.month")
                       .replace("a.outlet_id,", "q.outlet_id,")
                       .replace("\njoin articles a", "\nleft join articles a")
                       .replace("o.id = a.outlet_id", "o.id = q.outlet_id"))


def _m006_facet_columns_and_counts(db: sqlite_utils.Database) -> None:
    """Pages fast at ten million quotes: each quote carries its month and its article's outlet
    (indexed, so a facet's filter is an index lookup), and quote_counts counts the quotes of
    each speaker and outlet per value (COUNTED_PAIRS), kept current by triggers, so an
    unfiltered facet, a chart or a speaker's page reads counts instead of scanning every quote."""
    db["quotes"].add_column("outlet_id", int)
    db["quotes"].add_column("month", str)
    db.execute("""update quotes set
  outlet_id = (select outlet_id from articles a where a.id = quotes.article_id),
  month = (select substr(coalesce(quotes.date, a.published), 1, 7) from articles a where a.id = quotes.article_id)""")
    db["quotes"].create_index(["speaker_id", "month"])
    db["quotes"].create_index(["outlet_id", "month"])
    db["quotes"].create_index(["month"])
    db.execute("create table quote_counts (by text not null, facet text not null, by_value integer not null, "
               "value not null, n integer not null, primary key (by, facet, by_value, value)) without rowid")
    rebuild_counts(db)
    create_count_triggers(db, kinds=(), venues=())  # as they were then: migrations 010 and 012 add theirs
    db.execute("drop view if exists quotes_view")
    db.create_view("quotes_view", QUOTES_VIEW_SQL_006)


# The view from migration 007 on: each quote's cluster and the number of outlets that
# cluster was seen in, both the quote's own (indexed) columns, so grouping or faceting
# by them joins nothing.
QUOTES_VIEW_SQL_007 = QUOTES_VIEW_SQL_006.replace("  q.rule,", "  q.rule,\n  q.cluster_id,\n  q.seen_in_outlets,", 1)
# Kept exact whoever changes a clustered quote's speaker (linking, a merge, a correction):
# the count of the quote's cluster, read from the (cluster_id, speaker_id) index.
CLUSTER_SPEAKERS_TRIGGER = """create trigger if not exists quotes_cluster_speakers after update of speaker_id on quotes
when new.cluster_id is not null and old.speaker_id is not new.speaker_id begin
  update clusters set speakers = (select count(distinct speaker_id) from quotes where cluster_id = new.cluster_id)
  where id = new.cluster_id;
end"""


def _m007_cluster_browsing(db: sqlite_utils.Database) -> None:
    """Browsing by quote cluster (the cluster page, canned queries, All quotes' facet): each
    quote carries `seen_in_outlets` (its cluster's outlets, indexed, so it is a facet on the
    faceted table), each cluster its number of distinct `speakers` (indexed with sightings,
    so "given to more than one speaker" and "first seen in each outlet" read an index in
    order), and quotes_view shows cluster_id and seen_in_outlets. Kept by quotes.clusters."""
    db["quotes"].add_column("seen_in_outlets", int)
    db["quotes"].create_index(["seen_in_outlets"])
    db["quotes"].create_index(["cluster_id", "speaker_id"])
    db["clusters"].add_column("speakers", int)
    db["clusters"].create_index(["speakers", "sightings"])
    db["clusters"].create_index(["first_seen_outlet_id", "sightings"])
    db.execute("update clusters set speakers = (select count(distinct speaker_id) from quotes "
               "where cluster_id = clusters.id)")
    db.execute("update quotes set seen_in_outlets = (select outlets from clusters c where c.id = quotes.cluster_id) "
               "where cluster_id is not null")
    db.execute(CLUSTER_SPEAKERS_TRIGGER)
    db.execute("drop view if exists clusters_view")
    db.create_view("clusters_view", CLUSTERS_VIEW_SQL_007)
    db.execute("drop view if exists quotes_view")
    db.create_view("quotes_view", QUOTES_VIEW_SQL_007)


# clusters_view from migration 007 on: the speakers counted by quotes.clusters, not per row.
CLUSTERS_VIEW_SQL_007 = CLUSTERS_VIEW_SQL.replace(
    "(select count(distinct q.speaker_id) from quotes q where q.cluster_id = c.id) as speakers", "c.speakers")


def _m008_outlet_counts_and_indexes(db: sqlite_utils.Database) -> None:
    """One outlet's facets of All quotes from quote_counts too (the outlet_id pairs of
    COUNTED_PAIRS: counted again, and the triggers made again with them), and the
    seen_in_outlets facet of one speaker's or outlet's quotes read from an index (only their
    clustered quotes' entries), not from every quote of a speaker with a million."""
    drop_count_triggers(db)
    rebuild_counts(db)
    create_count_triggers(db, kinds=(), venues=())
    db["quotes"].create_index(["speaker_id", "seen_in_outlets"])
    db["quotes"].create_index(["outlet_id", "seen_in_outlets"])


def _m009_article_structure(db: sqlite_utils.Database) -> None:
    """An HTML page's headings and list items (Article.structure) as JSON on the article, so
    that re-extract reads a subhead as a subhead as ingest did: articles.structure."""
    db["articles"].add_column("structure", str)


def _m010_kind_counts(db: sqlite_utils.Database) -> None:
    """One kind's facets of All quotes (?kind=direct: 45% of the quotes), alone or with one
    speaker or outlet, from a summary table too: quote_kind_counts holds KIND_PAIRS per kind,
    counted from the quotes now and kept by the count triggers (made again with it); the
    seen_in_outlets facet of one kind reads an index of the clustered quotes only."""
    db.execute("create table if not exists quote_kind_counts (kind text not null, by text not null, "
               "facet text not null, by_value integer not null, value not null, n integer not null, "
               "primary key (kind, by, facet, by_value, value)) without rowid")
    drop_count_triggers(db)
    rebuild_kind_counts(db)
    create_count_triggers(db, venues=())
    db.execute("create index if not exists idx_quotes_kind_seen_in_outlets on quotes "
               "(kind, seen_in_outlets, speaker_id, outlet_id) where seen_in_outlets is not null")


def _m011_dated_quote_indexes(db: sqlite_utils.Database) -> None:
    """The quotes table's date facet for one kind, speaker or outlet (and a kind of either)
    read from indexes of the dated quotes only: few quotes carry a date of their own, so they
    cost next to nothing at ingest, where a speaker's million quotes took seconds to count."""
    db.execute("create index if not exists idx_quotes_kind_date on quotes (kind, date, speaker_id, outlet_id) "
               "where date is not null")
    db.execute("create index if not exists idx_quotes_speaker_id_date on quotes (speaker_id, date) "
               "where date is not null")
    db.execute("create index if not exists idx_quotes_outlet_id_date on quotes (outlet_id, date) "
               "where date is not null")


def _m012_venue_counts(db: sqlite_utils.Database) -> None:
    """A venue's facets (?venue=rally), alone or with one kind (?kind=direct&venue=rally: 170,000
    quotes of ten million, whose counting pass took 2 s) and one speaker or outlet, from a summary
    table: quote_venue_counts (VENUE_PAIRS per venue and kind), counted from the quotes now and
    kept by the count triggers (made again with it); its seen_in_outlets and date facets read
    indexes of the clustered (or dated) quotes with a venue only."""
    db.execute("create table if not exists quote_venue_counts (venue text not null, by text not null, "
               "by_value integer not null, facet text not null, kind text not null, value not null, "
               "n integer not null, primary key (venue, by, by_value, facet, kind, value)) without rowid")
    drop_count_triggers(db)
    rebuild_venue_counts(db)
    create_count_triggers(db)
    # covering (with the speaker and outlet): a speaker's quotes of a venue read no row
    db.execute("create index if not exists idx_quotes_venue_seen_in_outlets on quotes "
               "(venue, kind, seen_in_outlets, speaker_id, outlet_id) where seen_in_outlets is not null "
               "and venue is not null")
    db.execute("create index if not exists idx_quotes_venue_date on quotes (venue, kind, date, speaker_id, outlet_id) "
               "where date is not null and venue is not null")


def _m013_link_indexes(db: sqlite_utils.Database) -> None:
    """Linking reads a name's quotes in article order (the first articles quoting a bare surname,
    two names quoted in one article): idx_quotes_speaker_name gets the article id beside the name,
    so those reads stop at what they need instead of visiting every quote of the name. And
    idx_quotes_cluster_id goes: idx_quotes_cluster_id_speaker_id starts with the same column, so
    each quote stored or clustered wrote one index more than it needs."""
    db.execute("create index if not exists idx_quotes_speaker_name_article_id on quotes (speaker_name, article_id)")
    db.execute("drop index if exists idx_quotes_speaker_name")
    db.execute("drop index if exists idx_quotes_cluster_id")


# The quotes' facet columns by id (migration 014), in the order quotes.facets reads them.
FACETS_BY_ID_INDEX = "idx_quotes_id_facets"
FACETS_BY_ID_COLUMNS = ("id", "speaker_id", "outlet_id", "kind", "speaker_type", "venue", "addressee", "month",
                        "seen_in_outlets")


def _m014_facets_by_id(db: sqlite_utils.Database) -> None:
    """A search's facets read its matches by id (33,000 of ten million quotes for two words): from
    the quotes' rows, 33,000 pages scattered over a 7 GB file, 4.2 s with a cold page cache; from
    an index of the facet columns keyed by id, covering, a file 40 times smaller (178 MB at 10M
    quotes), 0.7 to 1.2 s cold and the same warm. One index more to write a quote."""
    db.execute(f"create index if not exists {FACETS_BY_ID_INDEX} on quotes ({', '.join(FACETS_BY_ID_COLUMNS)})")


def _m015_facets_by_filter(db: sqlite_utils.Database) -> None:
    """Selections the summary tables cannot count, read from indexes holding their facet columns
    in the filter's order, so a selection is one run of a compact index and no row: a speaker's
    quotes in an outlet (?speaker=...&outlet=...: the most-quoted speaker's 29,000 in one outlet
    at 10M quotes, 0/8 facets in 1.8 s from the rows; 41 ms cold from this index) and an
    addressee's (200,000 quotes, 0/8 in 1.8 s; 276 ms cold). The first starts with speaker_id and
    replaces idx_quotes_speaker_id; the second holds only the quotes with an addressee."""
    db.execute("create index if not exists idx_quotes_speaker_id_outlet_id_facets on quotes "
               "(speaker_id, outlet_id, kind, speaker_type, venue, addressee, month, seen_in_outlets)")
    db.execute("drop index if exists idx_quotes_speaker_id")
    db.execute("create index if not exists idx_quotes_addressee_facets on quotes "
               "(addressee, speaker_id, outlet_id, kind, speaker_type, venue, month, seen_in_outlets) "
               "where addressee is not null")


NAME_COUNT_TRIGGERS = {
    "quotes_name_count_ai": """after insert on quotes when new.speaker_name is not null begin
  insert into name_quote_counts (name, n) values (new.speaker_name, 1) on conflict (name) do update set n = n + 1;
end""",
    "quotes_name_count_ad": """after delete on quotes when old.speaker_name is not null begin
  update name_quote_counts set n = n - 1 where name = old.speaker_name;
end""",
    "quotes_name_count_au": """after update of speaker_name on quotes when old.speaker_name is not new.speaker_name begin
  update name_quote_counts set n = n - 1 where name = old.speaker_name;
  insert into name_quote_counts (name, n) select new.speaker_name, 1 where new.speaker_name is not null
    on conflict (name) do update set n = n + 1;
end""",
}


def _m016_name_quote_counts(db: sqlite_utils.Database) -> None:
    """How many quotes each resolved name has (quotes.speaker_name), kept by triggers on quotes
    (name_quote_counts; a name no longer quoted keeps a row of 0). Linking a batch weighs every
    name of the blocks it touches by its quotes (about 950 names a batch of 50 articles):
    counted from idx_quotes_speaker_name_article_id, that read an index entry for every quote of
    those names, 0.4 ms an article at 1M quotes against 0.05 empty; read here, one row a name."""
    db.execute("create table if not exists name_quote_counts (name text primary key, n integer not null) "
               "without rowid")
    db.execute("delete from name_quote_counts")
    db.execute("insert into name_quote_counts (name, n) select speaker_name, count(*) from quotes "
               "where speaker_name is not null group by speaker_name")
    for name, body in NAME_COUNT_TRIGGERS.items():
        db.execute(f"drop trigger if exists {name}")
        db.execute(f"create trigger {name} {body}")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m001_initial, _m002_article_engine_version, _m003_quote_confidence,
    _m004b_article_agency,
    _m005_speaker_entities_clusters_corrections,
    _m006_facet_columns_and_counts,
    _m007_cluster_browsing,
    _m008_outlet_counts_and_indexes,
    _m009_article_structure,
    _m010_kind_counts,
    _m011_dated_quote_indexes,
    _m012_venue_counts,
    _m013_link_indexes,
    _m014_facets_by_id,
    _m015_facets_by_filter,
    _m016_name_quote_counts,
]


def _pending(db: sqlite_utils.Database) -> list[Callable[[sqlite_utils.Database], None]]:
    if "_migrations" not in db.table_names():
        return list(MIGRATIONS)
    done = {row[0] for row in db.execute("select name from _migrations")}
    return [m for m in MIGRATIONS if _migration_name(m) not in done]


def _migration_name(migration: Callable) -> str:
    return migration.__name__.lstrip("_")


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not seen yet, all in one write transaction.

    Several processes may open a fresh file at once: the pending list is read again
    under the write lock, so whoever comes second finds the work done.
    """
    if not _pending(db):  # the usual case, and it takes no lock
        return []
    applied = []
    with write_transaction(db):
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
        for migration in _pending(db):
            migration(db)
            db.execute("insert into _migrations (name, applied_at) values (?, ?)",
                       [_migration_name(migration), _now()])
            applied.append(_migration_name(migration))
    return applied


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE).

    A deferred one (plain BEGIN, as db.atomic() does) reads first and asks for the
    lock later; in WAL mode a writer that committed in between makes that upgrade fail
    at once with "database is locked", whatever the busy timeout. Taking the lock first
    makes concurrent writers queue instead. Nested, it is a savepoint of the outer one.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("begin immediate")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    try:
        db.conn.execute("commit")
    except BaseException:
        db.rollback()
        raise


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) a quotes database and bring its schema up to date.

    `path=None` gives an in-memory database, for tests and one-off work. A file is
    opened in WAL mode (readers never block the writer) with a busy timeout of
    BUSY_TIMEOUT_S, so several ingests into one file take turns.
    """
    if path is None:
        db = sqlite_utils.Database(memory=True)
    else:
        db = sqlite_utils.Database(sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S))
    db.execute("pragma foreign_keys = on")
    if path is not None:
        db.enable_wal()
        # with WAL, NORMAL never corrupts; it only skips an fsync per transaction (per article)
        db.execute("pragma synchronous = normal")
        db.execute(f"pragma cache_size = -{CACHE_KB}")
    db.execute("pragma temp_store = memory")
    migrate(db)
    return db


@dataclass
class SaveResult:
    article_id: int
    added: bool  # False when the article was already stored
    quotes: int  # quotes added (or, for an updated article, its quotes now)
    updated: bool = False  # a stored article (same URL) whose text changed, now replaced


@dataclass(frozen=True)
class Match:
    """A stored article an incoming one matches, and whether its text is the same."""

    article_id: int
    same_text: bool


def match_article(db: sqlite_utils.Database, article: Article) -> Match | None:
    """The stored article with the same text, or else with the same URL, if any.

    The URL counts because a page fetched again (or saved as a file with its
    canonical URL) is the same article even when its text changed: a correction,
    an update, an ad. Such a match is updated rather than added a second time.
    """
    row = db.execute("select id from articles where hash = ?", [article.hash]).fetchone()
    if row is not None:
        return Match(row[0], True)
    if article.url:
        row = db.execute("select id from articles where url = ? order by id limit 1", [article.url]).fetchone()
        if row is not None:
            return Match(row[0], False)
    return None


def _article_row(db: sqlite_utils.Database, article: Article, engine_version: str) -> dict:
    return {
        "hash": article.hash,
        "title": article.title,
        "url": article.url,
        "outlet_id": _lookup(db, "outlets", article.outlet),
        "published": article.published,
        "author": article.author,
        "agency": article.agency,
        "source": article.source,
        "text": article.text,
        "structure": json.dumps(article.structure) if article.structure else None,
        "ingested_at": _now(),
        "engine_version": engine_version,
    }


def save_article(
    db: sqlite_utils.Database, article: Article, quotes: Iterable[Quote], engine_version: str
) -> SaveResult:
    """Store one article and its quotes in one transaction.

    The same text again adds nothing. The same URL with another text replaces the
    stored text, metadata and quotes under the same article id, so links to the
    article keep working; metadata the new version lacks keeps its stored value.
    The match is made under the write lock, so two processes storing the same article
    at once store it once.
    """
    with write_transaction(db):
        match = match_article(db, article)
        if match is not None and match.same_text:
            return SaveResult(match.article_id, False, 0)
        row = _article_row(db, article, engine_version)
        if match is None:
            article_id = db.execute(
                f"insert into articles ({', '.join(row)}) values ({', '.join('?' * len(row))})", list(row.values())
            ).lastrowid
            return SaveResult(article_id, True, _insert_quotes(db, article_id, quotes, engine_version))
        # a field the new version does not give (None) keeps what was stored
        sets = ", ".join(
            f"[{c}] = ?" if c in ("hash", "text", "ingested_at", "engine_version") else f"[{c}] = coalesce(?, [{c}])"
            for c in row
        )
        [old_outlet] = db.execute("select outlet_id from articles where id = ?", [match.article_id]).fetchone()
        db.execute(f"update articles set {sets} where id = ?", [*row.values(), match.article_id])
        if old_outlet is not None:
            db.execute("delete from outlets where id = ? and not exists "
                       "(select 1 from articles where outlet_id = outlets.id)", [old_outlet])
        n = _swap_quotes(db, match.article_id, quotes, engine_version)
    return SaveResult(match.article_id, False, n, updated=True)


def replace_quotes(
    db: sqlite_utils.Database, article_id: int, quotes: Iterable[Quote], engine_version: str,
    text: str | None = None,
) -> int | None:
    """Swap an article's quotes for a new extraction (after the engine changed).

    Given the `text` the quotes were found in, nothing is swapped (None) when the stored
    text is another by now: an ingest running alongside updated the article, quotes and all.
    """
    with write_transaction(db):
        if text is not None:
            row = db.execute("select text from articles where id = ?", [article_id]).fetchone()
            if row is None or row[0] != text:
                return None
        db.execute("update articles set engine_version = ? where id = ?", [engine_version, article_id])
        return _swap_quotes(db, article_id, quotes, engine_version)


def _swap_quotes(db: sqlite_utils.Database, article_id: int, quotes: Iterable[Quote], engine_version: str) -> int:
    """An article's quotes replaced; a speaker no longer quoted anywhere goes too, so the
    speakers table and pages list no one with nothing said."""
    if getattr(db, "_quotes_deferred", False):  # the article's quotes may be waiting: in place first
        _move_pending(db)
    before = [r[0] for r in db.execute(
        "select distinct speaker_id from quotes where article_id = ? and speaker_id is not null", [article_id])]
    db.execute("delete from quotes where article_id = ?", [article_id])
    deferred, db._quotes_deferred = getattr(db, "_quotes_deferred", False), False
    try:
        n = _insert_quotes(db, article_id, quotes, engine_version)
    finally:
        db._quotes_deferred = deferred
    if before:
        db.execute(f"delete from speakers where id in ({', '.join('?' * len(before))}) and not exists "
                   "(select 1 from quotes where speaker_id = speakers.id)", before)
    return n


# Ids of stale articles read at a time by re-extract: 1,000 (8 KB), whatever the database holds.
STALE_PAGE = 1000


class StaleArticles:
    """Ids of articles read by another engine version (None: every article), in id order.

    Read a page at a time, and the texts one at a time (article_text), so re-extract's
    memory stays one article's and one page of ids at a million articles; len() counts
    them once, for the progress bar.
    """

    def __init__(self, db: sqlite_utils.Database, engine_version: str | None):
        self.db = db
        self.where, self.params = ("", []) if engine_version is None else (
            " and (engine_version is null or engine_version != ?)", [engine_version])
        self.total = db.execute(f"select count(*) from articles where 1{self.where}", self.params).fetchone()[0]

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[int]:
        last = 0
        while True:
            page = [r[0] for r in self.db.execute(
                f"select id from articles where id > ?{self.where} order by id limit {STALE_PAGE}",
                [last, *self.params])]
            yield from page
            if len(page) < STALE_PAGE:
                return
            last = page[-1]


def stale_articles(db: sqlite_utils.Database, engine_version: str | None) -> StaleArticles:
    """Ids of articles read by another engine version; None means all (see StaleArticles)."""
    return StaleArticles(db, engine_version)


def article_text(db: sqlite_utils.Database, article_id: int) -> tuple[str, str | None] | None:
    """(text, published) of a stored article, or None if it is gone."""
    return db.execute("select text, published from articles where id = ?", [article_id]).fetchone()


def article_structure(db: sqlite_utils.Database, article_id: int) -> list:
    """The headings and list items an HTML page marked in the stored text (Article.structure)."""
    row = db.execute("select structure from articles where id = ?", [article_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else []


QUOTE_COLUMNS = (
    "article_id", "speaker_id", "speaker_mention", "role", "kind", "text", "cue", "addressee", "venue",
    "place", "date", "start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end", "rule",
    "engine_version", "speaker_type", "confidence", "stance",
)
_COLUMN_LIST = ", ".join(f"[{c}]" for c in QUOTE_COLUMNS)
_INSERT_QUOTE = f"insert or ignore into quotes ({_COLUMN_LIST}) values ({', '.join('?' * len(QUOTE_COLUMNS))})"
# The quotes of one article wait here (a table of this connection only, in memory) and
# move to `quotes` in one statement: see _insert_quotes.
_CREATE_PENDING = f"create temp table if not exists quotes_pending ({_COLUMN_LIST})"
_INSERT_PENDING = f"insert into temp.quotes_pending values ({', '.join('?' * len(QUOTE_COLUMNS))})"
# The quote's month and outlet (migration 006) come from its article as it moves.
_MOVE_PENDING = (f"insert or ignore into quotes ({_COLUMN_LIST}, outlet_id, month) "
                 f"select {', '.join('p.' + c for c in _COLUMN_LIST.split(', '))}, a.outlet_id, "
                 f"substr(coalesce(p.date, a.published), 1, 7) from temp.quotes_pending p "
                 f"left join articles a on a.id = p.article_id order by p.rowid")


def _insert_quotes(db, article_id: int, quotes: Iterable[Quote], engine_version: str) -> int:
    """An article's quotes in one INSERT ... SELECT from a temporary table, in their order.

    Plain SQL rather than table.insert_all: sqlite-utils' per-call introspection cost more
    than the inserts themselves. One statement rather than one a quote: FTS5 writes its
    pending index out at every statement of a transaction (its savepoint), so the trigger
    that fills quotes_fts cost about 110 us a row when each quote was its own statement,
    more than everything else in storage together; now that write happens once an article.
    """
    rows = []
    speaker_ids: dict[str | None, int | None] = {}  # an article quotes few people, many times
    for q in quotes:
        if q.speaker_name not in speaker_ids:
            speaker_ids[q.speaker_name] = _lookup(db, "speakers", q.speaker_name)
        rows.append((
            article_id, speaker_ids[q.speaker_name], q.speaker, q.role, q.kind, q.text, q.cue, q.addressee,
            q.venue, q.place, q.date, q.start, q.end, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end,
            q.rule, engine_version, q.speaker_type, q.confidence, 1 if q.extra.get("stance") else 0,
        ))
    if not rows:
        return 0
    db.conn.execute(_CREATE_PENDING)
    db.conn.executemany(_INSERT_PENDING, rows)
    if getattr(db, "_quotes_deferred", False):  # moved with the batch's (quotes_deferred)
        return len({(r[11], r[12], r[4]) for r in rows})  # (start, end, kind): what the unique index keeps
    return _move_pending(db)  # a quote the engine gave twice (same span and kind) is stored once


def _move_pending(db) -> int:
    db.conn.execute(_CREATE_PENDING)
    cursor = db.conn.execute(_MOVE_PENDING)
    db.conn.execute("delete from temp.quotes_pending")
    return cursor.rowcount


@contextlib.contextmanager
def quotes_deferred(db: sqlite_utils.Database) -> Iterator[None]:
    """Inside a transaction: the quotes of the articles saved in the block move to `quotes` in one
    statement at its end, so FTS5 writes one segment for a batch of articles instead of one an
    article. Fewer, larger segments are fewer merges later: at a million quotes storing took half
    the CPU it took with a segment an article. An article updated in the block moves what waits first.
    """
    db._quotes_deferred = True
    try:
        yield
        _move_pending(db)
    finally:
        db._quotes_deferred = False


def _lookup(db: sqlite_utils.Database, table: str, name: str | None) -> int | None:
    name = " ".join(name.split()) if name else None
    if not name:
        return None
    # table.lookup() would introspect the schema on every call; the unique index is there already
    row = db.execute(f"select id from [{table}] where name = ?", [name]).fetchone()
    if row:
        return row[0]
    return db.execute(f"insert into [{table}] (name) values (?)", [name]).lastrowid


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
