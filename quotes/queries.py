"""Read-side SQL: searching, listing speakers, exporting, and the data behind the pages.

The CLI, the Datasette pages and the tests all call these functions, so one
query answers the same question everywhere. Each takes a sqlite3 connection or
a sqlite_utils Database (Datasette hands plugins a plain connection).
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from datasette.utils import escape_fts

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


def speaker(db, speaker_id: int) -> dict | None:
    """A speaker's profile: their quotes over time and who quoted them, where and to whom."""
    row = next(_rows(db, "select id, name from speakers where id = :id", {"id": speaker_id}), None)
    if row is None:
        return None
    p = {"id": speaker_id}
    base = f"{_QUOTE_JOINS} where q.speaker_id = :id"
    row["quotes"] = list(_rows(db, f"select {_QUOTE_COLUMNS} {base} order by date, q.article_id, q.start", p))

    def counts(expr: str) -> list[dict]:
        return list(_rows(db, f"""select {expr} as value, count(*) as n {base} and {expr} is not null
group by value order by n desc, value""", p))

    row["outlets"] = list(_rows(db, f"""select o.id, o.name as value, count(*) as n {base}
and o.id is not null group by o.id order by n desc, o.name""", p))
    row["venues"] = counts("q.venue")
    row["addressees"] = counts("q.addressee")
    row["roles"] = counts("q.role")
    row["kinds"] = counts("q.kind")
    row["months"] = per_month(db, speaker_id=speaker_id)
    return row


def per_month(db, speaker_id: int | None = None) -> list[dict]:
    """Quotes per month (YYYY-MM), oldest first; undated quotes are left out."""
    where, params = f"{QUOTE_DATE} is not null", {}
    if speaker_id is not None:
        where += " and q.speaker_id = :id"
        params["id"] = speaker_id
    sql = f"""select substr({QUOTE_DATE}, 1, 7) as month, count(*) as n {_QUOTE_JOINS}
where {where} group by month order by month"""
    return list(_rows(db, sql, params))


def monthly_counts(db) -> list[dict]:
    """Quotes per (month, speaker, outlet): one pass over the quotes feeds every chart."""
    sql = f"""with counts as (
  select substr({QUOTE_DATE}, 1, 7) as month, q.speaker_id, a.outlet_id, count(*) as n
  from quotes q join articles a on a.id = q.article_id
  where {QUOTE_DATE} is not null group by 1, 2, 3)
select month, s.name as speaker, o.name as outlet, n from counts
left join speakers s on s.id = counts.speaker_id
left join outlets o on o.id = counts.outlet_id"""
    return list(_rows(db, sql))


MISSING = {"speaker": "(unresolved)", "outlet": "(no outlet)"}


def per_month_by(
    db, by: str, top: int = 6, counts: list[dict] | None = None
) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    """Quotes per month split by speaker or outlet: the top names, the rest as "others".

    Returns (months, series names, {(month, name): count}) ready for a stacked chart.
    Pass `counts` from monthly_counts() to draw several charts from one query.
    """
    cells: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for r in monthly_counts(db) if counts is None else counts:
        name = r[by] or MISSING[by]
        cells[(r["month"], name)] = cells.get((r["month"], name), 0) + r["n"]
        totals[name] = totals.get(name, 0) + r["n"]
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    names, rest = ranked[:top], set(ranked[top:])
    if rest:
        merged: dict[tuple[str, str], int] = {}
        for (month, name), n in cells.items():
            key = (month, "others" if name in rest else name)
            merged[key] = merged.get(key, 0) + n
        cells = merged
        names.append("others")
    months = sorted({month for month, _ in cells})
    return months, names, cells
