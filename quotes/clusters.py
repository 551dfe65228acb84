"""Quote clusters: the same words reported by several articles, as one record with sightings.

A quote joins a cluster when its words are the cluster's words, a variant of them (a
word changed or dropped), a part of them (a partial quote), or a fuller form of them.
Candidates come from an index, never from comparing all pairs: each quote's words are
cut into shingles of SHINGLE_WORDS words, hashed, and winnowed (the smallest hash of
every WINDOW shingles in a row, as MOSS does), so two quotes sharing a run of
SHINGLE_WORDS + WINDOW - 1 words always share a fingerprint. `cluster_fingerprints`
maps each fingerprint to the clusters holding it; a fingerprint held by more than
MAX_POSTINGS clusters is a common phrase and finds nothing. So adding a quote reads a
bounded number of index rows whatever the size of the database.
"""
from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from typing import Callable, Iterable

import sqlite_utils

# Words in a shingle, and shingles in a winnowing window: a shared run of 3 + 4 - 1 = 6
# words is always found.
SHINGLE_WORDS = 3
WINDOW = 4
# Quotes shorter than this many words are too common to tell a repeated quote from a phrase
# ("we will see"): they are left out of clusters (cluster_id stays empty).
MIN_CLUSTER_WORDS = 6
# A fingerprint held by more clusters than this is a stock phrase: it finds no candidates.
MAX_POSTINGS = 32
# At most this many candidate clusters (the most fingerprints shared) are compared.
MAX_CANDIDATES = 5
# Matching words (difflib) over the words of both: at least this much is a variant.
VARIANT_MIN_RATIO = 0.7
# A shorter quote whose words are at least this share inside a longer one is a part of it.
PARTIAL_MIN_COVER = 0.85
# How many variants a cluster row lists (the most sighted first).
MAX_VARIANTS = 10


_WORD = re.compile(r"\w+(?:'\w+)?")


@functools.lru_cache(maxsize=4096)  # a cluster's wording is compared with each quote that finds it
def words(text: str) -> tuple[str, ...]:
    """Lowercase words without diacritics or punctuation: what 'the same words' compares."""
    text = text.replace("’", "'")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(_WORD.findall(text.lower()))


def _hash(shingle: tuple[str, ...]) -> int:
    digest = hashlib.blake2b(" ".join(shingle).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # an SQLite integer


def fingerprints(ws: tuple[str, ...]) -> set[int]:
    """Winnowed shingle hashes of a list of words."""
    hashes = [_hash(ws[i:i + SHINGLE_WORDS]) for i in range(len(ws) - SHINGLE_WORDS + 1)]
    if len(hashes) <= WINDOW:
        return {min(hashes)} if hashes else set()
    return {min(hashes[i:i + WINDOW]) for i in range(len(hashes) - WINDOW + 1)}


def relation(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """How quote `a` stands to quote `b`: same, partial (a is part of b), fuller (b is part
    of a), variant, or None (unrelated)."""
    if a == b:
        return "same"
    if 2 * len(set(a) & set(b)) < VARIANT_MIN_RATIO * min(len(a), len(b)):
        return None  # too few words in common to be worth aligning
    matched = sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    if len(a) < len(b) and matched >= PARTIAL_MIN_COVER * len(a):
        return "partial"
    if len(b) < len(a) and matched >= PARTIAL_MIN_COVER * len(b):
        return "fuller"
    if 2 * matched >= VARIANT_MIN_RATIO * (len(a) + len(b)):
        return "variant"
    return None


def word_diff(old: str, new: str) -> str:
    """``we will [-not-] {+never+} accept``: words of `old` taken out, words of `new` put in."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b],
                                                      autojunk=False).get_opcodes():
        if op == "equal":
            out += b[j1:j2]
        if op in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


# --- the database ---------------------------------------------------------------------

def cluster_article(db: sqlite_utils.Database, article_id: int) -> None:
    """Put the article's quotes into clusters (on re-extract, a correction and relink)."""
    cluster_articles(db, [article_id])


def cluster_articles(db: sqlite_utils.Database, article_ids: list[int], stale_below: int = 0) -> None:
    """Put these articles' quotes into clusters, article by article in this order (on ingest,
    a batch at a time).

    A quote is matched against its candidates' wordings only, so each article's touched
    clusters get their fullest wording at once (as a batch of one would), and their counts,
    first sighting and outlets once at the end of the batch: the same clusters whatever the
    batch size, for a cluster refreshed once a batch instead of once an article.

    A quote whose cluster_id is `stale_below` or under (a rebuild's clusters before it began)
    is placed as if it had none."""
    touched = _refresh_dirty(db)
    for cluster_id in sorted(touched):  # clusters that lost quotes: recounted (or gone) before any match
        _refresh(db, cluster_id)
    for article_id in article_ids:
        placed = set()
        for quote_id, text, old in _conn(db).execute(
                "select id, text, cluster_id from quotes where article_id = ? and (cluster_id is null or cluster_id <= ?) "
                "order by start, id", [article_id, stale_below]).fetchall():
            cluster_id = _place(db, quote_id, text)
            if cluster_id is not None:
                placed.add(cluster_id)
            elif old is not None:  # too short to cluster now
                _conn(db).execute("update quotes set cluster_id = null, seen_in_outlets = null where id = ?", [quote_id])
        for cluster_id in sorted(placed):
            _refresh_text(db, cluster_id)
        touched |= placed
    for cluster_id in sorted(touched):
        _refresh(db, cluster_id)


def rebuild(db: sqlite_utils.Database, progress: Callable[[int, int], None] | None = None,
            batch: int = 500) -> int:
    """Cluster every quote again from scratch, oldest article first; returns the clusters made.

    One transaction per `batch` articles, so a stopped run loses little and others may write.
    The quotes keep their old cluster ids until their batch places them (the new clusters'
    ids are above the old ones, whose rows go at the end): resetting every quote first cost
    a write through each of its cluster indexes, 20 s of a million quotes' rebuild."""
    from . import store

    with store.write_transaction(db):
        _conn(db).execute("delete from cluster_fingerprints")
        _conn(db).execute("delete from cluster_dirty")
        # new clusters take ids above every id a quote may still hold
        old = _conn(db).execute("select max(m) from (select max(id) as m from clusters "
                                "union all select max(cluster_id) from quotes)").fetchone()[0] or 0
        if old:
            _conn(db).execute("insert or ignore into clusters (id, text, words, quotes, sightings, outlets) "
                              "values (?, '', 0, 0, 0, 0)", [old])
    ids = [r[0] for r in _conn(db).execute("select id from articles order by published is null, published, id")]
    for start in range(0, len(ids), batch):
        with store.write_transaction(db):
            cluster_articles(db, ids[start:start + batch], stale_below=old)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    with store.write_transaction(db):
        # quotes a rebuild did not reach (an article stored meanwhile) lose their old cluster
        _conn(db).execute("update quotes set cluster_id = null, seen_in_outlets = null where cluster_id <= ?", [old])
        _conn(db).execute("delete from clusters where id <= ?", [old])
        _conn(db).execute("delete from cluster_dirty")
    return _conn(db).execute("select count(*) from clusters").fetchone()[0]


def _place(db, quote_id: int, text: str) -> int | None:
    """The cluster this quote joins (made if none fits), or None for a quote too short."""
    ws = words(text)
    if len(ws) < MIN_CLUSTER_WORDS:
        return None
    prints = fingerprints(ws)
    matches = []
    candidates = _candidates(db, prints)
    marks = ", ".join("?" * len(candidates))
    texts = dict(_conn(db).execute(f"select id, text from clusters where id in ({marks})", candidates).fetchall()
                 if candidates else ())
    for cluster_id in candidates:
        if cluster_id not in texts:
            continue
        how = relation(ws, words(texts[cluster_id]))
        if how is not None:
            matches.append((how != "variant", cluster_id, how))
    if matches:
        matches.sort(key=lambda m: (not m[0], m[1]))
        best = matches[0][1]
        for strong, other, _ in matches[1:]:
            if strong and matches[0][0]:  # a fuller form joins the two parts it covers
                _merge(db, other, best)
    else:
        best = _conn(db).execute("insert into clusters (text, words, quotes, sightings, outlets) values (?, ?, 1, 1, 0)",
                          [text, len(ws)]).lastrowid
    _conn(db).execute("update quotes set cluster_id = ? where id = ?", [best, quote_id])
    _conn(db).executemany("insert or ignore into cluster_fingerprints (hash, cluster_id) values (?, ?)",
                   [(h, best) for h in prints])
    return best


def _candidates(db, prints: Iterable[int]) -> list[int]:
    """The clusters sharing the most fingerprints with a quote; the postings of every
    fingerprint read in one statement (each limited to MAX_POSTINGS + 1 rows)."""
    postings: dict[int, list[int]] = {}
    prints = sorted(prints)
    for at in range(0, len(prints), _POSTINGS_A_STATEMENT):
        part = prints[at:at + _POSTINGS_A_STATEMENT]
        sql = " union all ".join([_POSTINGS_SQL] * len(part))
        for h, cluster_id in _conn(db).execute(sql, [x for h in part for x in (h, MAX_POSTINGS + 1)]):
            postings.setdefault(h, []).append(cluster_id)
    shared: dict[int, int] = {}
    for rows in postings.values():
        if len(rows) > MAX_POSTINGS:
            continue  # a stock phrase
        for cluster_id in rows:
            shared[cluster_id] = shared.get(cluster_id, 0) + 1
    return sorted(shared, key=lambda c: (-shared[c], c))[:MAX_CANDIDATES]


_POSTINGS_SQL = "select * from (select hash, cluster_id from cluster_fingerprints where hash = ? limit ?)"
_POSTINGS_A_STATEMENT = 100  # under SQLite's 500 terms of a compound select


def _merge(db, source: int, into: int) -> None:
    _conn(db).execute("update quotes set cluster_id = ? where cluster_id = ?", [into, source])
    _conn(db).execute("insert or ignore into cluster_fingerprints (hash, cluster_id) "
               "select hash, ? from cluster_fingerprints where cluster_id = ?", [into, source])
    _conn(db).execute("delete from cluster_fingerprints where cluster_id = ?", [source])
    _conn(db).execute("delete from clusters where id = ?", [source])


def _refresh_dirty(db) -> set[int]:
    """Clusters that lost quotes (deleted by an update or re-extract, marked by a trigger)."""
    ids = {r[0] for r in _conn(db).execute("select cluster_id from cluster_dirty")}
    _conn(db).execute("delete from cluster_dirty")
    return ids


def _refresh_text(db, cluster_id: int) -> None:
    """A cluster's fullest wording (what quotes are matched against), from its quotes."""
    row = _conn(db).execute("select text from quotes where cluster_id = ? order by length(text) desc, id limit 1",
                            [cluster_id]).fetchone()
    if row is not None:
        _conn(db).execute("update clusters set text = ?, words = ? where id = ? and text is not ?",
                          [row[0], len(words(row[0])), cluster_id, row[0]])


def _refresh(db, cluster_id: int) -> None:
    """A cluster's counts, first sighting and fullest wording, from its quotes; gone if it has none.
    Its quotes carry its number of outlets (seen_in_outlets), All quotes' facet."""
    n, sightings, outlets, speakers = _conn(db).execute("""select count(*), count(distinct q.article_id),
count(distinct a.outlet_id), count(distinct q.speaker_id)
from quotes q join articles a on a.id = q.article_id where q.cluster_id = ?""", [cluster_id]).fetchone()
    if n == 0:
        _conn(db).execute("delete from cluster_fingerprints where cluster_id = ?", [cluster_id])
        _conn(db).execute("delete from clusters where id = ?", [cluster_id])
        return
    first = _conn(db).execute(f"""select q.id, q.article_id, a.outlet_id, {_DATE} from quotes q
join articles a on a.id = q.article_id where q.cluster_id = ?
order by {_DATE} is null, {_DATE}, q.article_id, q.start limit 1""", [cluster_id]).fetchone()
    [text] = _conn(db).execute("select text from quotes where cluster_id = ? order by length(text) desc, id limit 1",
                        [cluster_id]).fetchone()
    _conn(db).execute("""update clusters set text = ?, words = ?, quotes = ?, sightings = ?, outlets = ?, speakers = ?,
first_seen_quote_id = ?, first_seen_article_id = ?, first_seen_outlet_id = ?, first_seen_date = ? where id = ?""",
               [text, len(words(text)), n, sightings, outlets, speakers, *first, cluster_id])
    _conn(db).execute("update quotes set seen_in_outlets = ? where cluster_id = ? and seen_in_outlets is not ?",
                      [outlets, cluster_id, outlets])


_DATE = "substr(coalesce(q.date, a.published), 1, 10)"


# --- reading --------------------------------------------------------------------------

def clusters(db, min_sightings: int = 2, limit: int | None = None) -> Iterable[dict]:
    """Clusters, most sighted first: text, sightings, outlets, first seen, speakers, variants."""
    sql = """select c.id, c.text, c.sightings, c.first_seen_date, o.name, c.first_seen_article_id, c.first_seen_quote_id
from clusters c left join outlets o on o.id = c.first_seen_outlet_id
where c.sightings >= ? order by c.sightings desc, c.outlets desc, c.first_seen_date, c.id"""
    params: list = [min_sightings]
    if limit:
        sql += " limit ?"
        params.append(limit)
    for cid, text, sightings, date, outlet, article_id, quote_id in _conn(db).execute(sql, params).fetchall():
        speakers = [r[0] for r in _conn(db).execute("""select s.name from quotes q join speakers s on s.id = q.speaker_id
where q.cluster_id = ? group by s.id order by count(*) desc, s.name""", [cid])]
        yield {
            "id": cid,
            "text": text,
            "sightings": sightings,
            "outlets": [r[0] for r in _conn(db).execute("""select distinct o.name from quotes q join articles a on a.id = q.article_id
join outlets o on o.id = a.outlet_id where q.cluster_id = ? order by o.name""", [cid])],
            "first_seen": {"date": date, "outlet": outlet, "article_id": article_id, "quote_id": quote_id},
            "speakers": speakers,
            "misattributed": len(speakers) > 1,
            "variants": variants(db, cid, text),
        }


def variants(db, cluster_id: int, text: str | None = None) -> list[dict]:
    """The other wordings in a cluster, each with how it stands to the fullest and a word diff."""
    if text is None:
        text = _conn(db).execute("select text from clusters where id = ?", [cluster_id]).fetchone()[0]
    full = words(text)
    out = []
    for other, n in _conn(db).execute("""select text, count(distinct article_id) as n from quotes where cluster_id = ?
group by text order by n desc, text limit ?""", [cluster_id, MAX_VARIANTS + 1]).fetchall():
        ws = words(other)
        if ws == full:
            continue
        out.append({"text": other, "relation": relation(ws, full) or "variant", "sightings": n,
                    "diff": word_diff(text, other)})
    return out[:MAX_VARIANTS]


def _conn(db):
    """The sqlite3 connection (Datasette hands over one; sqlite-utils' wrapper costs a call)."""
    return getattr(db, "conn", db)
