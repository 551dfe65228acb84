"""`quotes merge OUT.db SHARD.db...`: shard databases combined into one.

Shards are databases ingested apart (on several machines, or from parts of a corpus).
Their articles are stored in OUT in the order the shards are given, each shard's in id
order, through the same writes as `ingest` (store.save_article, in batches): an article
already in OUT (the same text) is not added again, one with the same URL and another
text is updated. So shards of consecutive parts of a corpus, merged in that order, give
the database one `ingest` of the whole corpus gives, ids included. Quotes are taken as
the shard stored them, with the engine version that found them: nothing is extracted.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from .ingest import IngestSummary, _Batch
from .model import Article, Quote
from .sources import InputError

_QUOTE_FIELDS = {f.name for f in dataclasses.fields(Quote)} - {"speaker", "speaker_name", "extra"}


class NotAShard(Exception):
    """A file that is not a quotes database (or cannot be read)."""


def merge(db: sqlite_utils.Database, shards: Iterable[str | Path], *,
          on_error: Callable[[InputError], None] = lambda err: None,
          summary: IngestSummary | None = None) -> IngestSummary:
    """Store every article of every shard in `db`, with its quotes; counts as `ingest` counts."""
    summary = summary if summary is not None else IngestSummary()
    batch = _Batch(db, summary)
    try:
        for shard in shards:
            try:
                for article, quotes, version in shard_articles(shard):
                    batch.add(article, quotes, version)
            except NotAShard as e:
                summary.skipped["not a quotes database"] += 1
                on_error(InputError(str(shard), None, str(e), "not a quotes database"))
        batch.commit()
    except KeyboardInterrupt:
        batch.commit()
        raise
    return summary


def shard_articles(path: str | Path) -> Iterator[tuple[Article, list[Quote], str | None]]:
    """(article, its quotes, engine version) for each article of a shard, in id order, one at a time."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as e:
        raise NotAShard(f"cannot open as a SQLite database: {e}") from e
    if not {"articles", "quotes", "speakers", "outlets"} <= names:
        raise NotAShard("not a quotes database (no articles and quotes tables)")
    resolved = _resolved_name_sql(conn)
    last = 0
    while True:
        row = conn.execute("select a.*, o.name as outlet_name from articles a left join outlets o "
                           "on o.id = a.outlet_id where a.id > ? order by a.id limit 1", [last]).fetchone()
        if row is None:
            return
        last = row["id"]
        quotes = [_quote(q) for q in conn.execute(
            f"select q.*, {resolved} as resolved_name from quotes q left join speakers s on s.id = q.speaker_id "
            "where q.article_id = ? order by q.id", [last])]
        article = Article(text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet_name"],
                          published=row["published"], author=row["author"], source=row["source"])
        if "structure" in row.keys() and row["structure"]:
            article.structure = json.loads(row["structure"])  # a shard's page structure, kept
        yield article, quotes, row["engine_version"] if "engine_version" in row.keys() else None


def _resolved_name_sql(conn: sqlite3.Connection) -> str:
    """The engine's resolved name: quotes.speaker_name where the schema keeps it, else the speaker's."""
    columns = {r[1] for r in conn.execute("pragma table_info(quotes)")}
    return "coalesce(q.speaker_name, s.name)" if "speaker_name" in columns else "s.name"


def _quote(row: sqlite3.Row) -> Quote:
    keys = row.keys()
    fields = {k: row[k] for k in _QUOTE_FIELDS if k in keys}
    extra = {"stance": True} if "stance" in keys and row["stance"] else {}
    return Quote(**fields, speaker=row["speaker_mention"], speaker_name=row["resolved_name"], extra=extra)


__all__ = ["merge", "shard_articles", "NotAShard"]
