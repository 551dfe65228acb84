"""The schema and the writes, on a real SQLite file."""
import sqlite3

from quotes.model import Article, Quote
from quotes.store import MIGRATIONS, open_db, save_article


def make_quote(text: str, body: str, **kw) -> Quote:
    start = body.index(text)
    return Quote(start=start, end=start + len(text), text=text, **kw)


BODY = 'The mayor, Ana Ruiz, said the bridge would reopen. "We are proud of the crews," Ruiz told reporters.'


def test_schema_migrations_and_indexes(tmp_path):
    db = open_db(tmp_path / "q.db")
    assert {"articles", "outlets", "speakers", "quotes", "quotes_fts"} <= set(db.table_names())
    assert "quotes_view" in db.view_names()
    assert [r["name"] for r in db["_migrations"].rows][:3] == [
        "m001_initial", "m002_article_engine_version", "m003_quote_confidence"]
    assert [r["name"] for r in db["_migrations"].rows] == [m.__name__.lstrip("_") for m in MIGRATIONS]
    indexed = {tuple(i.columns) for i in db["quotes"].indexes}
    for column in ("kind", "venue", "addressee", "date", "confidence", "stance"):
        assert (column,) in indexed
    # a speaker's quotes are read from the index of their facet columns (migration 015)
    assert any(columns[:2] == ("speaker_id", "outlet_id") for columns in indexed)
    fks = {fk.column: fk.other_table for fk in db["quotes"].foreign_keys}
    assert fks == {"article_id": "articles", "speaker_id": "speakers"}
    # opening again applies nothing twice
    db2 = open_db(tmp_path / "q.db")
    assert db2["_migrations"].count == len(MIGRATIONS)


def test_save_article_is_idempotent_and_joins_names(tmp_path):
    path = tmp_path / "q.db"
    db = open_db(path)
    article = Article(text=BODY, outlet="The Daily Planet", published="2024-05-02", title="Bridge")
    quotes = [
        make_quote("the bridge would reopen", BODY, kind="indirect", speaker="Ana Ruiz", speaker_name="Ana Ruiz", role="The mayor", cue="said"),
        make_quote("We are proud of the crews,", BODY, kind="direct", speaker="Ruiz", speaker_name="Ana Ruiz", cue="told", addressee="reporters"),
    ]
    first = save_article(db, article, quotes, "test")
    assert first.added and first.quotes == 2
    again = save_article(db, Article(text=BODY + "\n"), quotes, "test")  # same text, other whitespace
    assert not again.added and again.article_id == first.article_id
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 1
    rows = conn.execute("select speaker, outlet, kind, date from quotes_view order by start").fetchall()
    assert rows == [("Ana Ruiz", "The Daily Planet", "indirect", "2024-05-02"), ("Ana Ruiz", "The Daily Planet", "direct", "2024-05-02")]
    assert conn.execute("select count(*) from speakers").fetchone()[0] == 1
    # full-text search uses the porter stemmer: "reopening" finds "reopen"
    hits = conn.execute("select rowid from quotes_fts where quotes_fts match 'reopening'").fetchall()
    assert len(hits) == 1


def test_reextract_replaces_quotes_of_older_engines_only(tmp_path):
    from click.testing import CliRunner

    from quotes import ENGINE_VERSION
    from quotes.cli import cli

    path = tmp_path / "q.db"
    db = open_db(path)
    text = '"We will rebuild the bridge," Mayor Ana Ruiz said. The river rose overnight.'
    old = save_article(db, Article(text=text), [make_quote("The river rose overnight.", text, kind="direct")], "0.0-old")
    current = save_article(db, Article(text="The market opened late on Monday."), [], ENGINE_VERSION)
    db.conn.close()

    result = CliRunner().invoke(cli, ["re-extract", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Re-extracted 1 article" in result.output
    conn = sqlite3.connect(path)
    rows = conn.execute("select text, engine_version from quotes where article_id = ?", [old.article_id]).fetchall()
    # the old engine's (wrong) quote is gone and the current engine's quote is there
    assert ("We will rebuild the bridge,", ENGINE_VERSION) in rows
    assert all(version == ENGINE_VERSION for _, version in rows)
    versions = dict(conn.execute("select id, engine_version from articles").fetchall())
    assert versions == {old.article_id: ENGINE_VERSION, current.article_id: ENGINE_VERSION}
    # a second run finds nothing stale; --all reads everything again
    assert "Re-extracted 0 articles" in CliRunner().invoke(cli, ["re-extract", str(path)]).output
    assert "Re-extracted 2 articles" in CliRunner().invoke(cli, ["re-extract", str(path), "--all"]).output


def test_save_article_updates_an_article_whose_url_matches_but_text_changed(tmp_path):
    db = open_db(tmp_path / "q.db")
    url = "https://news.example/bridge"
    first = save_article(db, Article(text=BODY, url=url, title="Bridge", outlet="Old Gazette"),
                         [make_quote("the bridge would reopen", BODY, kind="indirect", speaker_name="Ana Ruiz")], "test")
    save_article(db, Article(text="The ferry is late, Ana Ruiz said.", outlet="Ferry News"),
                 [Quote(0, 17, "The ferry is late", "indirect", speaker_name="Ana Ruiz")], "test")
    changed = BODY.replace("reopen", "reopen in May")
    result = save_article(db, Article(text=changed, url=url, outlet="New Gazette"),
                          [make_quote("the bridge would reopen in May", changed, kind="indirect",
                                      speaker_name="Jan Olsen")], "test")
    assert (result.article_id, result.added, result.updated, result.quotes) == (first.article_id, False, True, 1)
    assert [(r["title"], r["text"]) for r in db["articles"].rows][0] == ("Bridge", changed)
    assert [r["text"] for r in db["quotes"].rows_where("article_id = ?", [first.article_id])] == [
        "the bridge would reopen in May"]
    # a name still used elsewhere stays (Ana Ruiz); none is left with nothing said or published
    assert sorted(r["name"] for r in db["speakers"].rows) == ["Ana Ruiz", "Jan Olsen"]
    assert sorted(r["name"] for r in db["outlets"].rows) == ["Ferry News", "New Gazette"]
    save_article(db, Article(text=changed + " Updated.", url=url),
                 [make_quote("the bridge would reopen in May", changed, kind="indirect")], "test")
    assert sorted(r["name"] for r in db["speakers"].rows) == ["Ana Ruiz"]
    assert sorted(r["name"] for r in db["outlets"].rows) == ["Ferry News", "New Gazette"]  # kept: not given
    # the same text under the same URL is neither added nor updated
    same = save_article(db, Article(text=changed + " Updated.", url=url), [], "test")
    assert (same.added, same.updated) == (False, False)
    assert db["quotes"].count == 2


def test_a_writer_waits_for_another_instead_of_failing(tmp_path):
    """Another connection holds the write lock for a second: save_article queues, then stores."""
    import threading
    import time

    path = tmp_path / "q.db"
    db = open_db(path)
    other = sqlite3.connect(path, check_same_thread=False)
    other.execute("begin immediate")
    other.execute("insert into outlets (name) values ('Held Gazette')")
    threading.Timer(1.0, other.commit).start()
    started = time.monotonic()
    result = save_article(db, Article(text=BODY), [], "test")
    assert result.added and time.monotonic() - started >= 0.9
    assert sorted(r["name"] for r in db["outlets"].rows) == ["Held Gazette"]


def test_opening_a_migrated_database_takes_no_write_lock(tmp_path):
    import time

    path = tmp_path / "q.db"
    open_db(path).close()
    other = sqlite3.connect(path)
    other.execute("begin immediate")  # a writer busy with an article
    started = time.monotonic()
    db = open_db(path)  # had it asked for the lock, it would wait BUSY_TIMEOUT_S (60 s) and fail
    assert time.monotonic() - started < 5
    assert db["_migrations"].count == len(MIGRATIONS)
    other.rollback()


def test_a_failed_save_leaves_nothing_half_written(tmp_path):
    from quotes.store import write_transaction

    db = open_db(tmp_path / "q.db")

    def quotes():  # quotes are an iterable: one that fails half-way, after a speaker was looked up
        yield make_quote("the bridge would reopen", BODY, kind="indirect", speaker_name="Ana Ruiz")
        raise ValueError("engine failed")

    try:
        save_article(db, Article(text=BODY, outlet="Half Gazette"), quotes(), "test")
    except ValueError:
        pass
    else:
        raise AssertionError("the failure was swallowed")
    assert (db["articles"].count, db["speakers"].count, db["outlets"].count) == (0, 0, 0)
    assert not db.conn.in_transaction
    with write_transaction(db):  # nested use is a savepoint of the outer transaction
        with write_transaction(db):
            db.execute("insert into outlets (name) values ('Kept')")
    assert [r["name"] for r in db["outlets"].rows] == ["Kept"]


def test_replace_quotes_leaves_an_article_another_writer_changed_meanwhile(tmp_path):
    from quotes.store import replace_quotes

    db = open_db(tmp_path / "q.db")
    url = "https://news.example/bridge"
    saved = save_article(db, Article(text=BODY, url=url), [], "0.0-old")
    changed = BODY.replace("reopen", "reopen in May")
    save_article(db, Article(text=changed, url=url), [make_quote("reopen in May", changed, kind="direct")], "test")
    # a re-extract that read the old text must not put its quotes on the new one
    assert replace_quotes(db, saved.article_id, [make_quote("reopen", BODY, kind="direct")], "new", text=BODY) is None
    assert [(r["text"], r["engine_version"]) for r in db["quotes"].rows] == [("reopen in May", "test")]
    assert replace_quotes(db, saved.article_id, [], "new", text=changed) == 0
