"""Linking and clustering a batch at a time give what linking article by article gives.

Ingest links the speakers of each committed batch in one pass and clusters its quotes
article by article (quotes.link.after_articles). Entities and clusters must not depend
on how the articles were batched or how many workers read them: a multi-outlet corpus
(the invented week of tests/data/corpus_across.py and synthetic news from five outlets)
is ingested into real SQLite files with one worker and batches of one article, and
with two worker processes and larger batches, and the speakers (names, aliases,
reasons, types) and clusters (members, counts, first sighting, wording) are compared.
"""
import json
import sqlite3
import sys
from pathlib import Path

import pytest

import quotes.ingest as pipeline
from quotes import link, store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).parent / "data"))

import corpus  # noqa: E402
import corpus_across  # noqa: E402


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> Path:
    """The five-outlet week, then 120 synthetic articles, then the week again under other titles
    (the same words reported later), as JSONL."""
    path = tmp_path_factory.mktemp("news") / "news.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for outlet, date, title, quotes in corpus_across.ARTICLES:
            f.write(json.dumps({"text": corpus_across.article_text(quotes), "title": title, "outlet": outlet,
                                "date": date}) + "\n")
        for a in corpus.articles(120, seed=5, target_chars=1500):
            f.write(json.dumps({"text": a.text, "title": a.title, "outlet": a.outlet, "date": a.published}) + "\n")
        for outlet, date, title, quotes in corpus_across.ARTICLES:
            f.write(json.dumps({"text": "Again. " + corpus_across.article_text(quotes), "title": title + " (2)",
                                "outlet": outlet, "date": date[:8] + "20"}) + "\n")
    return path


def ingest(path: Path, news: Path, workers: int, batch: int) -> Path:
    old = pipeline.BATCH_ARTICLES
    pipeline.BATCH_ARTICLES = batch
    try:
        db = store.open_db(path)
        summary = pipeline.ingest(db, [str(news)], workers=workers)
        db.close()
    finally:
        pipeline.BATCH_ARTICLES = old
    assert summary.added == 2 * len(corpus_across.ARTICLES) + 120 and not summary.skipped
    return path


def speakers(path: Path) -> dict:
    """Each entity by its name: type, and its aliases with the reason of each."""
    conn = sqlite3.connect(path)
    out: dict = {}
    for name, kind, alias, reason in conn.execute(
            "select s.name, s.type, a.name, a.reason from speakers s join speaker_aliases a on a.speaker_id = s.id"):
        out.setdefault(name, {"type": kind, "aliases": {}})["aliases"][alias] = reason
    # every quote points at its name's entity, and no entity is empty
    assert conn.execute("""select count(*) from quotes q join speaker_aliases a on a.name = q.speaker_name
where q.speaker_id is not a.speaker_id""").fetchone()[0] == 0
    assert conn.execute("select count(*) from speakers s where not exists "
                        "(select 1 from quotes q where q.speaker_id = s.id)").fetchone()[0] == 0
    return out


def clusters(path: Path) -> set:
    """Each cluster by its quotes (article and offset): its wording, counts and first sighting."""
    conn = sqlite3.connect(path)
    out = set()
    for cid, text, n, sightings, outlets, first in conn.execute(
            """select c.id, c.text, c.quotes, c.sightings, c.outlets, a.hash from clusters c
join articles a on a.id = c.first_seen_article_id"""):
        members = tuple(conn.execute("""select a.hash, q.start, s.name, q.seen_in_outlets from quotes q
join articles a on a.id = q.article_id left join speakers s on s.id = q.speaker_id
where q.cluster_id = ? order by a.hash, q.start""", [cid]).fetchall())
        assert n == len(members) and all(m[3] == outlets for m in members)
        out.add((text, n, sightings, outlets, first, members))
    return out


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory, news) -> Path:
    return ingest(tmp_path_factory.mktemp("one") / "one.db", news, workers=1, batch=1)


@pytest.mark.parametrize("workers, batch", [(2, 50), (2, 7), (1, 200)])
def test_batches_and_workers_give_the_same_entities_and_clusters(tmp_path, news, one_by_one, workers, batch):
    batched = ingest(tmp_path / "batched.db", news, workers=workers, batch=batch)
    expected = speakers(one_by_one)
    assert speakers(batched) == expected
    assert clusters(batched) == clusters(one_by_one)
    # the corpus is one that tests something: the week's people linked, a quote seen in five outlets
    assert expected["Kassym-Jomart Tokayev"]["aliases"].keys() >= {"Qasym-Zhomart Toqaev", "Tokayev"}
    assert expected["Ana Ruiz"]["aliases"].keys() >= {"Ana M. Ruiz", "Ruiz"}
    assert max(c[3] for c in clusters(batched)) == 5
    assert sum(len(e["aliases"]) > 1 for e in expected.values()) >= 5


def test_relinking_the_whole_database_gives_the_entities_ingest_gave(tmp_path, one_by_one):
    copy = tmp_path / "copy.db"
    copy.write_bytes(one_by_one.read_bytes())
    before = speakers(copy)
    db = store.open_db(copy)
    link.relink(db)
    db.close()
    assert speakers(copy) == before
