"""Read-side SQL: searching, listing speakers, exporting, and the data behind the pages.

The CLI, the Datasette pages and the tests all call these functions, so one
query answers the same question everywhere. Each takes a sqlite3 connection or
a sqlite_utils Database (Datasette hands plugins a plain connection).
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from datasette.utils import escape_fts

from . import summary

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# The date a quote was spoken: its own date if the text gave one, else the article's.
QUOTE_DATE = "substr(coalesce(q.date, a.published), 1, 10)"

EXPORT_COLUMNS = [
    "id", "speaker", "speaker_mention", "role", "kind", "text", "cue", "addressee",
    "venue", "place", "date", "outlet", "article_id", "article_title", "article_url",
    "start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end",
    "rule", "speaker_type", "confidence", "engine_version", "cluster_id",
]

_QUOTE_COLUMNS = f"""
  q.id, s.name as speaker, q.speaker_mention, q.role, q.kind, q.text, q.cue,
  q.addressee, q.venue, q.place, {QUOTE_DATE} as date, o.name as outlet,
  q.article_id, a.title as article_title, a.url as article_url,
  q.start, q."end", q.speaker_start, q.speaker_end, q.cue_start, q.cue_end,
  q.rule, q.speaker_type, q.confidence, q.engine_version, q.speaker_id, a.outlet_id, q.cluster_id
"""

_QUOTE_JOINS = """
from quotes q
join articles a on a.id = q.article_id
left join speakers s on s.id = q.speaker_id
left join outlets o on o.id = a.outlet_id
"""


class NotAQuotesDatabase(Exception):
    """The file is not SQLite, or has no quotes tables: nothing to read."""


REQUIRED = {"quotes", "quotes_view", "quotes_fts", "speakers", "articles", "outlets"}


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a quotes database read-only, refusing files that are not one.

    Read-only on purpose: searching or serving never creates tables in a file
    someone pointed us at by mistake.
    """
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    except sqlite3.DatabaseError as e:
        raise NotAQuotesDatabase(f"{path}: not an SQLite database ({e})") from e
    missing = REQUIRED - tables
    if missing:
        conn.close()
        raise NotAQuotesDatabase(
            f"{path}: not a quotes database (no {', '.join(sorted(missing))} table); create one with quotes ingest"
        )
    return conn


class BadDate(ValueError):
    """A --since/--until value that is not YYYY, YYYY-MM or YYYY-MM-DD."""


def _conn(db) -> sqlite3.Connection:
    return getattr(db, "conn", db)


def _rows(db, sql: str, params: dict | list = ()) -> Iterator[dict]:
    cursor = _conn(db).execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))


def _check_date(value: str | None, name: str) -> None:
    if value is not None and not DATE_RE.match(value):
        raise BadDate(f"{name} must look like 2024, 2024-03 or 2024-03-15, not {value!r}")


def date_filters(since: str | None, until: str | None, column: str = QUOTE_DATE) -> tuple[list[str], dict]:
    """Where-clauses for a date range; a partial `until` ("2024-03") covers the whole month."""
    _check_date(since, "since")
    _check_date(until, "until")
    where, params = [], {}
    if since:
        where.append(f"{column} >= :since")
        params["since"] = since
    if until:
        where.append(f"substr({column}, 1, length(:until)) <= :until")
        params["until"] = until
    return where, params


def quote_filters(
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_confidence: float | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """Where-clauses (over q, s, o and a) that search and export share, so a filter means one thing.

    `speaker` and `outlet` match any part of the name, case-insensitively; dates as in date_filters.
    """
    where, params = date_filters(since, until)
    if speaker:
        where.append("s.name like '%' || :speaker || '%'")
        params["speaker"] = speaker
    if outlet:
        where.append("o.name like '%' || :outlet || '%'")
        params["outlet"] = outlet
    if kind:
        where.append("q.kind = :kind")
        params["kind"] = kind
    if min_confidence is not None:
        where.append("q.confidence >= :min_confidence")
        params["min_confidence"] = min_confidence
    return where, params


def search(
    db,
    query: str,
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 20,
    min_confidence: float | None = None,
) -> list[dict]:
    """Full-text search over quote texts, best match first.

    Each word is matched on its own (the porter stemmer makes "protests" find
    "protest"); FTS5 operators are escaped so user input never raises a syntax error.
    `speaker` and `outlet` match any part of the name, case-insensitively.
    """
    fts_query = escape_fts(query)
    if not fts_query.strip():
        return []
    where, params = quote_filters(speaker=speaker, outlet=outlet, kind=kind, since=since, until=until,
                                  min_confidence=min_confidence)
    where.insert(0, "quotes_fts match :query")
    params["query"] = fts_query
    sql = f"""
select
  q.id, s.name as speaker, o.name as outlet, {QUOTE_DATE} as date, q.kind, q.text,
  snippet(quotes_fts, 0, '[', ']', '…', 16) as snippet,
  q.cue, q.addressee, q.venue, q.place, q.confidence, a.title as article_title, a.url as article_url,
  q.cluster_id
from quotes_fts
join quotes q on q.id = quotes_fts.rowid
join articles a on a.id = q.article_id
left join speakers s on s.id = q.speaker_id
left join outlets o on o.id = a.outlet_id
where {" and ".join(where)}
order by quotes_fts.rank, q.id
"""
    if limit:
        sql += " limit :limit"
        params["limit"] = limit
    return list(_rows(db, sql, params))


def speakers(db) -> list[dict]:
    """Every named speaker with their number of quotes, the outlets that quoted them, the
    names they were quoted under (`aliases`, a list) and their `type`."""
    sql = """
select
  s.id, s.name, s.type, count(q.id) as quotes,
  (select group_concat(name, ', ') from (
     select distinct o.name from quotes q2
     join articles a on a.id = q2.article_id
     join outlets o on o.id = a.outlet_id
     where q2.speaker_id = s.id order by o.name)) as outlets
from speakers s
join quotes q on q.speaker_id = s.id
group by s.id
order by quotes desc, s.name
"""
    rows = list(_rows(db, sql))
    for row in rows:
        row["aliases"] = aliases(db, row["id"])
    return rows


def aliases(db, speaker_id: int) -> list[str]:
    """The names a speaker was quoted under: the speaker's own name first, then the most quoted."""
    return [r["name"] for r in _rows(db, """select a.name from speaker_aliases a join speakers s on s.id = a.speaker_id
where a.speaker_id = :id
order by a.name = s.name desc, (select count(*) from quotes where speaker_name = a.name) desc, a.name""",
                                     {"id": speaker_id})]


def export(db, **filters) -> Iterator[dict]:
    """All quotes with speaker, outlet and article joined in, in article order.

    `filters` are those of quote_filters (speaker, outlet, kind, since, until, min_confidence).
    """
    where, params = quote_filters(**filters)
    sql = f"select {_QUOTE_COLUMNS} {_QUOTE_JOINS} {'where ' + ' and '.join(where) if where else ''}"
    sql += " order by q.article_id, q.start, q.id"
    # a plain function, not a generator: a bad date is raised here, before any row is written
    return ({c: row[c] for c in EXPORT_COLUMNS} for row in _rows(db, sql, params))


def quote(db, quote_id: int) -> dict | None:
    """One quote with its names joined and its article's full text (for the quote page)."""
    sql = f"""select {_QUOTE_COLUMNS}, a.text as article_text, a.published, q.date as quote_date
{_QUOTE_JOINS} where q.id = :id"""
    return next(_rows(db, sql, {"id": quote_id}), None)


def article(db, article_id: int) -> dict | None:
    """An article with its outlet and its quotes (for the article page)."""
    sql = """select a.id, a.title, a.url, a.published, a.author, a.text, a.outlet_id, o.name as outlet
from articles a left join outlets o on o.id = a.outlet_id where a.id = :id"""
    row = next(_rows(db, sql, {"id": article_id}), None)
    if row is not None:
        row["quotes"] = article_quotes(db, article_id)
    return row


def article_quotes(db, article_id: int) -> list[dict]:
    """The quotes of one article, in reading order."""
    sql = f"select {_QUOTE_COLUMNS} {_QUOTE_JOINS} where q.article_id = :id order by q.start, q.id"
    return list(_rows(db, sql, {"id": article_id}))


# Quotes a speaker's page lists, in time order; all of them are a click away as a table.
SPEAKER_QUOTES = 500


def speaker(db, speaker_id: int, limit: int = SPEAKER_QUOTES) -> dict | None:
    """A speaker's profile: their quotes over time and who quoted them, where and to whom.

    Every count comes from quote_counts and `quotes` holds the first `limit` quotes in time
    order (undated ones first), read through the (speaker_id, month) index up to the month
    that completes them, so the page costs the same for a speaker with a million quotes.
    """
    conn = _conn(db)
    row = next(_rows(conn, "select id, name from speakers where id = :id", {"id": speaker_id}), None)
    if row is None:
        return None
    row["total"] = summary.total(conn, speaker_id)
    row["months"] = summary.per_month(conn, "speaker_id", speaker_id)
    row["outlets"] = summary.speaker_counts(conn, speaker_id, "outlet_id")
    for key, column in (("venues", "venue"), ("addressees", "addressee"), ("roles", "role"), ("kinds", "kind")):
        row[key] = summary.speaker_counts(conn, speaker_id, column)
    row["quotes"] = first_quotes(conn, speaker_id, row["months"], limit)
    row["first_date"], row["last_date"] = _date_range(conn, speaker_id, row["months"])
    return row


def first_quotes(conn, speaker_id: int, months: list[dict], limit: int) -> list[dict]:
    """A speaker's first `limit` quotes by date (undated first, as SQLite sorts NULL), reading
    only the months needed to find them (`months` from summary.per_month)."""
    undated = conn.execute("select count(*) from quotes where speaker_id = ? and month is null",
                           [speaker_id]).fetchone()[0]
    last, seen = None, undated
    for m in months:
        if seen >= limit:
            break
        last, seen = m["month"], seen + m["n"]
    # the order read from the fewest columns first, then the whole rows of those listed only;
    # undated and dated apart, each a range of the (speaker_id, month) index (an "or" of the
    # two made SQLite read every quote of the speaker)
    order = f"order by {QUOTE_DATE}, q.article_id, q.start limit :limit"
    ids = [r[0] for r in conn.execute(f"""select q.id from quotes q join articles a on a.id = q.article_id
where q.speaker_id = :id and q.month is null {order}""", {"id": speaker_id, "limit": limit})]
    if last and len(ids) < limit:
        ids += [r[0] for r in conn.execute(f"""select q.id from quotes q join articles a on a.id = q.article_id
where q.speaker_id = :id and q.month <= :last {order}""", {"id": speaker_id, "last": last, "limit": limit - len(ids)})]
    rows = {r["id"]: r for r in _rows(conn, f"select {_QUOTE_COLUMNS} {_QUOTE_JOINS} where q.id in "
                                            f"(select value from json_each(:ids))", {"ids": json.dumps(ids)})}
    return [rows[i] for i in ids]


def _date_range(conn, speaker_id: int, months: list[dict]) -> tuple[str | None, str | None]:
    """A speaker's first and last quote dates, reading only their first and last months."""
    if not months:
        return None, None
    sql = f"""select {{}}({QUOTE_DATE}) {_QUOTE_JOINS} where q.speaker_id = :id and q.month = :month"""
    first = conn.execute(sql.format("min"), {"id": speaker_id, "month": months[0]["month"]}).fetchone()[0]
    last = conn.execute(sql.format("max"), {"id": speaker_id, "month": months[-1]["month"]}).fetchone()[0]
    return first, last
