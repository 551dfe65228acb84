"""A confidence on every quote, from its evidence (quotes/confidence.py, lexicons/confidence.txt)."""
import json

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.confidence import confidence, speaker_status
from quotes.extract import extract_quotes
from quotes.model import Quote

ARTICLE = (
    "“The pier will reopen in May,” said Lena Brook, the harbour master.\n\n"
    "Brook said the ferry needs new engines. She added that the crews would be paid."
)


def test_every_quote_carries_a_confidence_in_the_unit_interval():
    quotes = extract_quotes(ARTICLE)
    assert len(quotes) == 3
    assert all(isinstance(q.confidence, float) and 0.0 <= q.confidence <= 1.0 for q in quotes)


def test_a_direct_quote_with_a_named_speaker_outranks_reported_speech_and_an_unknown_he():
    by_text = {q.text: q for q in extract_quotes(ARTICLE)}
    direct = by_text["The pier will reopen in May,"]
    indirect = by_text["the ferry needs new engines"]
    [nobody] = extract_quotes("“We were not told,” he said.")  # nobody to resolve "he" to
    assert speaker_status(nobody) == "unresolved"
    assert direct.confidence > indirect.confidence > nobody.confidence
    assert nobody.confidence <= 0.1


@pytest.mark.parametrize("mention,name,status", [
    ("Lena Brook", "Lena Brook", "name"),
    ("she", "Lena Brook", "pronoun"),
    ("he", None, "unresolved"),
    ("the harbour master", None, "noun"),
    (None, None, "none"),
])
def test_speaker_status(mention, name, status):
    assert speaker_status(Quote(0, 1, "x", "indirect", speaker=mention, speaker_name=name)) == status


def test_an_unknown_rule_takes_its_kinds_default():
    known = confidence(Quote(0, 1, "x", "mixed", speaker="Ana", speaker_name="Ana", rule="participle"))
    unknown = confidence(Quote(0, 1, "x", "mixed", speaker="Ana", speaker_name="Ana", rule="no-such-rule"))
    assert known != unknown and 0 < unknown < 1


def test_extract_nl_prints_confidence(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--nl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(0 <= row["confidence"] <= 1 for row in rows)


# --- stored, searched and served ---

STANCE_ARTICLE = ARTICLE + "\n\nAnalysts expect the port to lose money next year."


def _ingest(tmp_path, *extra):
    path = tmp_path / "story.txt"
    path.write_text(STANCE_ARTICLE, encoding="utf-8")
    db_path = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["ingest", str(db_path), str(path), "--silent", *extra])
    assert result.exit_code == 0, result.output
    return db_path


def test_ingest_stores_each_quotes_confidence_and_leaves_stances_out(tmp_path):
    import sqlite3

    conn = sqlite3.connect(_ingest(tmp_path))
    rows = conn.execute("select text, confidence, stance from quotes order by start").fetchall()
    assert [r[0] for r in rows] == ["The pier will reopen in May,", "the ferry needs new engines",
                                    "the crews would be paid"]
    assert all(0 < r[1] <= 1 and r[2] == 0 for r in rows)
    assert conn.execute("select count(*) from quotes_view where confidence is not null").fetchone()[0] == 3


def test_include_stance_stores_beliefs_marked_as_such(tmp_path):
    import sqlite3

    conn = sqlite3.connect(_ingest(tmp_path, "--include-stance"))
    stances = conn.execute("select text from quotes where stance = 1").fetchall()
    assert stances == [("the port to lose money next year",)]


def test_search_min_confidence_selects_rows(tmp_path):
    db_path = _ingest(tmp_path)
    every = CliRunner().invoke(cli, ["search", str(db_path), "pier ferry crews", "--nl"])
    assert every.exit_code == 0
    runner = CliRunner()
    all_rows = [json.loads(x) for x in runner.invoke(cli, ["search", str(db_path), "the", "--nl"]).stdout.splitlines()]
    high = [json.loads(x) for x in runner.invoke(cli, ["search", str(db_path), "the", "--nl",
                                                       "--min-confidence", "0.9"]).stdout.splitlines()]
    assert len(all_rows) == 3 and len(high) == 1 and high[0]["confidence"] >= 0.9
    bad = runner.invoke(cli, ["search", str(db_path), "the", "--min-confidence", "2"])
    assert bad.exit_code == 2


def test_an_older_database_gains_the_confidence_column(tmp_path):
    import sqlite3

    from quotes import store

    db_path = tmp_path / "old.db"
    db = store.open_db(db_path)
    # make it look like a database made before migration 003
    db.execute("drop view quotes_view")
    store.drop_count_triggers(db)  # migration 006's triggers read the columns dropped here
    # every index that holds one of the columns dropped here (idx_quotes_confidence, ..., and the
    # later migrations' covering indexes)
    for (name,) in db.execute("select name from sqlite_master where type = 'index' and tbl_name = 'quotes' and ("
                              "sql like '%speaker_type%' or sql like '%confidence%' or sql like '%stance%')").fetchall():
        db.execute(f"drop index [{name}]")
    db.execute("alter table quotes drop column speaker_type")
    db.execute("alter table quotes drop column confidence")
    db.execute("alter table quotes drop column stance")
    db.execute("create view quotes_view as " + store._QUOTES_VIEW_SQL_001)
    db.execute("delete from _migrations where name = 'm003_quote_confidence'")
    db.conn.commit()
    db.conn.close()
    assert "m003_quote_confidence" in store.migrate(store.sqlite_utils.Database(sqlite3.connect(db_path)))
    conn = sqlite3.connect(db_path)
    columns = [r[1] for r in conn.execute("pragma table_info(quotes_view)")]
    assert "confidence" in columns and "speaker_type" in columns


def test_datasette_sorts_all_quotes_by_confidence(tmp_path):
    import asyncio

    from quotes.serve import make_datasette

    db_path = _ingest(tmp_path)

    async def fetch():
        ds = make_datasette(str(db_path))
        return await ds.client.get("/q/quotes_view.json?_sort_desc=confidence&_shape=array")

    response = asyncio.run(fetch())
    assert response.status_code == 200, response.text
    values = [row["confidence"] for row in response.json()]
    assert len(values) == 3 and values == sorted(values, reverse=True)
