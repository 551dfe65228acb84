"""Corrections made by hand, kept as data of their own and applied after every link.

A correction is a row of `corrections` (action, target, value, when). Speaker corrections
(merge, split, rename) name speakers by an alias, the engine's resolved name, which
stays the same when quotes are found again; quote corrections (another speaker, not a
quote) name the quote by its article and its words (and span), never by its id, since
`quotes re-extract` gives quotes new ids. Linking (quotes.link) applies them all after
every ingest, re-extract and relink, so a correction lasts.
"""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from . import clusters, link
from .link import _conn

SPEAKER_ACTIONS = ("merge", "split", "rename")
QUOTE_ACTIONS = ("speaker", "reject")
# A corrected quote found again by the engine with another span still matches if the two
# spans overlap by at least this share of their union.
MIN_SPAN_OVERLAP = 0.5


class CorrectionError(ValueError):
    """A correction that names no such speaker, alias or quote, or would break another."""


def merge_speakers(db: sqlite_utils.Database, name: str, other: str) -> int:
    """One entity from two: `other`'s aliases and quotes go to `name`'s speaker."""
    a, b = alias_of(db, name), alias_of(db, other)
    if _speaker_id(db, a) == _speaker_id(db, b):
        raise CorrectionError(f"{name!r} and {other!r} are already one speaker")
    return _record(db, "merge", a, b)


def split_speaker(db: sqlite_utils.Database, name: str, alias: str) -> int:
    """`alias` becomes a speaker of its own, with the quotes given under that name."""
    speaker_id = _speaker_id(db, alias_of(db, name))
    row = _conn(db).execute("select speaker_id from speaker_aliases where name = ?", [alias]).fetchone()
    if row is None or row[0] != speaker_id:
        aliases = ", ".join(repr(r[0]) for r in _conn(db).execute(
            "select name from speaker_aliases where speaker_id = ? order by name", [speaker_id]))
        raise CorrectionError(f"{alias!r} is not an alias of {name!r} (its aliases: {aliases})")
    if _conn(db).execute("select count(*) from speaker_aliases where speaker_id = ?", [speaker_id]).fetchone()[0] < 2:
        raise CorrectionError(f"{name!r} has no other alias to keep")
    return _record(db, "split", alias, None)


def rename_speaker(db: sqlite_utils.Database, name: str, new: str) -> int:
    new = " ".join(new.split())
    if not new:
        raise CorrectionError("the new name is empty")
    alias = alias_of(db, name)
    row = _conn(db).execute("select id from speakers where name = ?", [new]).fetchone()
    if row is not None and row[0] != _speaker_id(db, alias):
        raise CorrectionError(f"{new!r} is another speaker already: use merge-speakers")
    return _record(db, "rename", alias, new)


def correct_speaker(db: sqlite_utils.Database, quote_id: int, name: str) -> int:
    """Give a quote another speaker: an existing one by any of its names, or a new name."""
    name = " ".join(name.split())
    if not name:
        raise CorrectionError("the speaker's name is empty")
    try:
        name = alias_of(db, name)
    except CorrectionError:
        pass  # a speaker no quote had yet
    return _record_quote(db, "speaker", quote_id, name)


def reject_quote(db: sqlite_utils.Database, quote_id: int) -> int:
    """Mark a quote as not a quote: it is removed now and after every re-extract."""
    return _record_quote(db, "reject", quote_id, None)


def alias_of(db, name: str) -> str:
    """The engine's name that stands for a speaker: the name itself when it is an alias,
    else (a canonical name that a rename gave) the speaker's most quoted alias."""
    name = " ".join(name.split())
    if _conn(db).execute("select 1 from speaker_aliases where name = ?", [name]).fetchone():
        return name
    row = _conn(db).execute("""select a.name from speakers s join speaker_aliases a on a.speaker_id = s.id
where s.name = ? order by (select count(*) from quotes where speaker_name = a.name) desc, a.name limit 1""",
                     [name]).fetchone()
    if row is None:
        raise CorrectionError(f"no speaker named {name!r} (quotes speakers DB lists them)")
    return row[0]


def _speaker_id(db, alias: str) -> int | None:
    row = _conn(db).execute("select speaker_id from speaker_aliases where name = ?", [alias]).fetchone()
    return row[0] if row else None


def _record(db, action: str, target: str, value: str | None) -> int:
    from . import store

    with store.write_transaction(db):
        cid = _conn(db).execute("insert into corrections (action, target, value, created_at) values (?, ?, ?, ?)",
                         [action, target, value, _now()]).lastrowid
        link.relink_blocks(db, {link.block_of(target)} | ({link.block_of(value)} if value else set()))
    return cid


def _record_quote(db, action: str, quote_id: int, value: str | None) -> int:
    from . import store

    row = _conn(db).execute('select article_id, start, "end", text from quotes where id = ?', [quote_id]).fetchone()
    if row is None:
        raise CorrectionError(f"no quote {quote_id}")
    with store.write_transaction(db):
        cid = _conn(db).execute("""insert into corrections (action, target, value, article_id, quote_start, quote_end,
quote_text, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)""",
                         [action, f"quote {quote_id}", value, *row, _now()]).lastrowid
        blocks = apply_to_quotes(db, [row[0]])
        link.relink_blocks(db, blocks)
        clusters.cluster_article(db, row[0])  # a rejected quote's cluster is counted again
    return cid


def apply_to_quotes(db, article_ids: list[int] | None) -> set[str]:
    """Quote corrections of these articles (None: all) applied; the blocks whose names changed."""
    sql = "select id, action, value, article_id, quote_start, quote_end, quote_text from corrections where action in ('speaker', 'reject')"
    params: list = []
    if article_ids is not None:
        sql += f" and article_id in ({', '.join('?' * len(article_ids))})"
        params = list(article_ids)
    blocks: set[str] = set()
    for _, action, value, article_id, start, end, text in _conn(db).execute(sql + " order by id", params).fetchall():
        quote = _find_quote(db, article_id, start, end, text)
        if quote is None:
            continue  # the engine no longer finds it: nothing to correct
        quote_id, old_name, old_speaker = quote
        if old_name:
            blocks.add(link.block_of(old_name))
        if action == "reject":
            _conn(db).execute("delete from quotes where id = ?", [quote_id])
        elif old_name != value or not _is_corrected(db, quote_id):
            speaker_id = _speaker_row(db, value)
            _conn(db).execute("update quotes set speaker_name = ?, speaker_id = ?, corrected = 1 where id = ?",
                       [value, speaker_id, quote_id])
            blocks.add(link.block_of(value))
            link._add_aliases(db, [value])
        if old_speaker is not None:
            _conn(db).execute("delete from speakers where id = ? and not exists "
                       "(select 1 from quotes where speaker_id = speakers.id)", [old_speaker])
    return blocks


def _find_quote(db, article_id: int, start: int, end: int, text: str):
    """The article's quote with these words, else the one whose span overlaps most (half the union at least)."""
    row = _conn(db).execute("""select id, speaker_name, speaker_id from quotes where article_id = ? and text = ?
order by abs(start - ?) limit 1""", [article_id, text, start]).fetchone()
    if row is not None:
        return row
    best, best_share = None, MIN_SPAN_OVERLAP
    for qid, name, speaker, s, e in _conn(db).execute(
            'select id, speaker_name, speaker_id, start, "end" from quotes where article_id = ? and start < ? and "end" > ?',
            [article_id, end, start]).fetchall():
        share = (min(e, end) - max(s, start)) / (max(e, end) - min(s, start))
        if share >= best_share:
            best, best_share = (qid, name, speaker), share
    return best


def _is_corrected(db, quote_id: int) -> bool:
    return bool(_conn(db).execute("select corrected from quotes where id = ?", [quote_id]).fetchone()[0])


def _speaker_row(db, name: str) -> int:
    row = _conn(db).execute("select speaker_id from speaker_aliases where name = ? and speaker_id is not null", [name]).fetchone()
    if row is None:
        row = _conn(db).execute("select id from speakers where name = ?", [name]).fetchone()
    if row is not None:
        return row[0]
    return _conn(db).execute("insert into speakers (name) values (?)", [name]).lastrowid


def block_closure(db, blocks: set[str]) -> set[str]:
    """The blocks to link together: these, and every block a merge joins to them."""
    merges = [(link.block_of(t), link.block_of(v)) for t, v in
              _conn(db).execute("select target, value from corrections where action = 'merge'")]
    blocks = set(blocks)
    grew = True
    while grew:
        grew = False
        for a, b in merges:
            if (a in blocks) != (b in blocks):
                blocks |= {a, b}
                grew = True
    return blocks


def apply_to_entities(db, entities: list[link.Entity], counts: dict[str, int]) -> list[link.Entity]:
    """Merges, splits and renames applied, oldest first, to freshly linked entities."""
    owner = {name: e for e in entities for name in e.members}
    for action, target, value in _conn(db).execute(
            "select action, target, value from corrections where action in ('merge', 'split', 'rename') order by id"):
        e = owner.get(target)
        if e is None:
            continue
        if action == "merge":
            other = owner.get(value)
            if other is None or other is e:
                continue
            for name in other.members:
                e.members[name] = f"correction: merged into {e.name}"
                owner[name] = e
            entities.remove(other)
            e.corrected = True
        elif action == "split" and len(e.members) > 1:
            del e.members[target]
            if e.name == target:
                e.name = max(e.members, key=lambda n: (counts.get(n, 0), -len(n), n))
            e.corrected = True
            alone = link.Entity(members={target: "correction: split off"}, name=target, corrected=True)
            entities.append(alone)
            owner[target] = alone
        elif action == "rename" and value not in {x.name for x in entities if x is not e}:
            e.name = value
            e.corrected = True
    return entities


def corrections(db) -> list[dict]:
    """Every correction, oldest first (for `quotes corrections` and the pages)."""
    cursor = _conn(db).execute("select * from corrections order by id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
