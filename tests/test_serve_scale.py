"""The summary table behind fast pages (store.quote_counts) stays equal to a count from scratch
whatever writes the quotes: ingest, re-extract, an article updated under its URL, a speaker relinked."""
from hypothesis import given, settings, strategies as st

from quotes.model import Article, Quote
from quotes.store import open_db, rebuild_counts, replace_quotes, save_article

SPEAKERS = [None, "Ada Quill", "Tomas Brenner", "Marta Olenska"]
KINDS = ["direct", "indirect", "mixed"]


def counts(db) -> list[tuple]:
    return (db.execute("select by, facet, by_value, value, n from quote_counts where n != 0 order by 1, 2, 3, 4").fetchall()
            + db.execute("select kind, by, facet, by_value, value, n from quote_kind_counts where n != 0 "
                         "order by 1, 2, 3, 4, 5").fetchall()
            + db.execute("select venue, by, by_value, facet, kind, value, n from quote_venue_counts where n != 0 "
                         "order by 1, 2, 3, 4, 5, 6").fetchall())


def from_scratch(db) -> list[tuple]:
    rebuild_counts(db)
    return counts(db)


def make_quotes(choices) -> list[Quote]:
    return [Quote(start=i * 10, end=i * 10 + 5, text=f"words {i}", kind=KINDS[k], speaker_name=SPEAKERS[s],
                  venue="rally" if v else None, role="Minister" if v else None, rule="test")
            for i, (s, k, v) in enumerate(choices)]


quote_choices = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()), max_size=5)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ingest", "re-extract", "update", "relink"]),
                          st.integers(0, 3), quote_choices), min_size=1, max_size=8))
def test_counts_equal_a_count_from_scratch_after_any_writes(ops):
    db = open_db(None)
    for n, (op, which, choices) in enumerate(ops):
        url = f"https://example.com/{which}"
        if op in ("ingest", "update"):  # the same URL with another text updates the article in place
            article = Article(text=f"text {n} {which}", url=url, outlet=f"Outlet {n % 2}" if n % 3 else None,
                              published=f"2024-0{1 + n % 3}-01", title="t")
            save_article(db, article, make_quotes(choices), "v1")
        elif op == "re-extract":
            row = db.execute("select id from articles where url = ?", [url]).fetchone()
            if row:
                replace_quotes(db, row[0], make_quotes(choices), "v2")
        else:  # as quotes.link does: a name's quotes pointed at another speaker
            db.execute("update quotes set speaker_id = (select min(id) from speakers) where speaker_id = "
                       "(select max(id) from speakers)")
        assert counts(db) == from_scratch(db)


def test_an_article_moved_to_another_outlet_and_month_moves_its_counts(tmp_path):
    db = open_db(tmp_path / "q.db")
    quotes = make_quotes([(1, 0, True), (2, 1, False)])
    save_article(db, Article(text="first", url="https://e.com/a", outlet="Harbour Gazette",
                             published="2024-01-05", title="a"), quotes, "v1")
    save_article(db, Article(text="second", url="https://e.com/a", outlet="Valley Courier",
                             published="2024-02-05", title="a"), quotes, "v1")
    months = db.execute("select value, n from quote_counts where by = 'outlet_id' and facet = 'month' and n != 0"
                        ).fetchall()
    assert months == [("2024-02", 2)]
    [(outlet,)] = db.execute("select name from outlets o join quotes q on q.outlet_id = o.id group by o.id").fetchall()
    assert outlet == "Valley Courier"
    assert counts(db) == from_scratch(db)


def test_a_database_from_before_the_kind_counts_upgrades_with_them_counted(tmp_path, monkeypatch):
    from quotes import store

    path = tmp_path / "old.db"
    before = store.MIGRATIONS[:store.MIGRATIONS.index(store._m010_kind_counts)]
    monkeypatch.setattr(store, "MIGRATIONS", before)  # as the version before migration 010 left it
    db = open_db(path)
    save_article(db, Article(text="first", url="https://e.com/a", outlet="Harbour Gazette", published="2024-01-05",
                             title="a"), make_quotes([(1, 0, True), (2, 1, False), (0, 2, True), (1, 1, True)]), "v1")
    assert "quote_kind_counts" not in db.table_names()
    db.close()
    monkeypatch.undo()
    db = open_db(path)
    kinds = db.execute("select kind, n from quote_kind_counts where by = 'speaker_id' and facet = 'month'"
                       " and by_value = (select id from speakers where name = 'Ada Quill')").fetchall()
    assert sorted(kinds) == [("direct", 1), ("indirect", 1)]
    save_article(db, Article(text="second", url="https://e.com/b", published="2024-02-05", title="b"),
                 make_quotes([(1, 2, True)]), "v1")  # kept by the triggers from now on
    assert counts(db) == from_scratch(db)


def test_a_database_from_before_the_venue_counts_upgrades_with_them_counted(tmp_path, monkeypatch):
    from quotes import store

    path = tmp_path / "old.db"
    before = store.MIGRATIONS[:store.MIGRATIONS.index(store._m012_venue_counts)]
    monkeypatch.setattr(store, "MIGRATIONS", before)  # as the version before migration 012 left it
    db = open_db(path)
    save_article(db, Article(text="first", url="https://e.com/a", outlet="Harbour Gazette", published="2024-01-05",
                             title="a"), make_quotes([(1, 0, True), (2, 1, False), (0, 2, True), (1, 1, True)]), "v1")
    assert "quote_venue_counts" not in db.table_names()
    db.close()
    monkeypatch.undo()
    db = open_db(path)
    speakers = db.execute("select kind, value, n from quote_venue_counts where venue = 'rally' and by = 'all' "
                          "and facet = 'speaker_id' order by kind").fetchall()
    ada = db.execute("select id from speakers where name = 'Ada Quill'").fetchone()[0]
    assert speakers == [("direct", ada, 1), ("indirect", ada, 1), ("mixed", store.NO_ID, 1)]
    save_article(db, Article(text="second", url="https://e.com/b", published="2024-02-05", title="b"),
                 make_quotes([(1, 2, True)]), "v1")  # kept by the triggers from now on
    assert counts(db) == from_scratch(db)
