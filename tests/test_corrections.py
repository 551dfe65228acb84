"""Corrections by hand (quotes.corrections): stored as data, and still true after re-extract --all."""
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes import corrections, link, queries, store
from quotes.cli import cli

sys.path.insert(0, str(Path(__file__).parent / "data"))
import corpus_across as corpus  # noqa: E402

# Three invented articles the engine reads (real ingest, real engine).
DOCS = [
    {"outlet": "Harbour Gazette", "date": "2024-03-04", "text":
        "Mayor Ana Ruiz said on Monday that the harbour wall would be rebuilt before the winter storms.\n\n"
        "\u201cWe have the money and we have the crews,\u201d Ruiz told reporters."},
    {"outlet": "Valley Courier", "date": "2024-03-05", "text":
        "Ana M. Ruiz, the mayor, said the council would vote on the plan in April.\n\n"
        "\u201cThe harbour belongs to everyone who works in it,\u201d said Tomas Brenner, the union leader."},
    {"outlet": "Northern Wire", "date": "2024-03-06", "text":
        "Tomas Brenner said on Friday that the strike would go on until the yard reopened.\n\n"
        "\u201cWe will not accept these cuts,\u201d Brenner said."},
]


def run(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def db_path(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    path = tmp_path / "q.db"
    run("ingest", path, docs, "--silent", "--workers", "1")
    return path


def state(path):
    """Each quote's text -> its speaker's name, and each speaker's name -> aliases."""
    conn = queries.connect(path)
    said = dict(conn.execute("select q.text, s.name from quotes q left join speakers s on s.id = q.speaker_id"))
    return said, {r["name"]: set(r["aliases"]) for r in queries.speakers(conn)}


def quote_id(path, text):
    [row] = queries.connect(path).execute("select id from quotes where text like ? || '%'", [text]).fetchall()
    return row[0]


def test_every_correction_holds_after_re_extract_all(db_path):
    said, speakers = state(db_path)
    assert speakers == {"Ana Ruiz": {"Ana Ruiz", "Ana M. Ruiz"}, "Tomas Brenner": {"Tomas Brenner"}}
    run("rename-speaker", db_path, "Tomas Brenner", "Tomás Brenner")
    run("split-speaker", db_path, "Ana Ruiz", "Ana M. Ruiz")
    money = quote_id(db_path, "We have the money")
    run("correct", db_path, money, "--speaker", "Tomás Brenner")  # the new name finds the speaker
    strike = quote_id(db_path, "the strike would go on")
    run("correct", db_path, strike, "--reject")
    expected_said = {
        "the harbour wall would be rebuilt before the winter storms": "Ana Ruiz",
        "We have the money and we have the crews,": "Tomás Brenner",
        "the council would vote on the plan in April": "Ana M. Ruiz",
        "The harbour belongs to everyone who works in it,": "Tomás Brenner",
        "We will not accept these cuts,": "Tomás Brenner",
    }
    expected_speakers = {"Ana Ruiz": {"Ana Ruiz"}, "Ana M. Ruiz": {"Ana M. Ruiz"},
                         "Tomás Brenner": {"Tomas Brenner"}}
    said, speakers = state(db_path)
    assert said == expected_said
    assert speakers == expected_speakers
    before = {r[0] for r in queries.connect(db_path).execute("select id from quotes")}
    out = run("re-extract", db_path, "--all").output
    assert "5 quotes before, 5 quotes now" in out  # the rejected quote, found again, is not counted
    assert {r[0] for r in queries.connect(db_path).execute("select id from quotes")}.isdisjoint(before)
    assert state(db_path) == (expected_said, expected_speakers)
    run("relink", db_path)
    assert state(db_path) == (expected_said, expected_speakers)
    # rows a correction changed say so
    conn = queries.connect(db_path)
    assert conn.execute("select corrected from quotes where text like 'We have the money%'").fetchone() == (1,)
    assert conn.execute("select corrected from speakers where name = 'Tomás Brenner'").fetchone() == (1,)
    assert conn.execute("select count(*) from quotes where corrected = 1").fetchone() == (1,)
    listed = json.loads(run("corrections", db_path).output)
    assert [c["action"] for c in listed] == ["rename", "split", "speaker", "reject"]
    assert listed[2]["quote_text"].startswith("We have the money") and listed[2]["article_id"] == 1


def test_a_merge_holds_when_more_articles_come(tmp_path):
    """The week leaves the bare 'Olenska' apart (two Olenskas); a reader merges it into Marta."""
    path = tmp_path / "q.db"
    db = store.open_db(path)
    corpus.save_all(db, corpus.ARTICLES[:4])
    run("merge-speakers", path, "Mayor Marta Olenska", "Olenska")
    assert corpus.entities(store.open_db(path))["Mayor Marta Olenska"] == {"Mayor Marta Olenska", "Olenska"}
    corpus.save_all(db, corpus.ARTICLES[4:])  # one more article, naming her without the title
    got = corpus.entities(store.open_db(path))
    assert got["Marta Olenska"] == {"Marta Olenska", "Mayor Marta Olenska", "Olenska"}
    assert "Olenska" not in got
    link.relink(db)
    assert corpus.entities(db)["Marta Olenska"] == {"Marta Olenska", "Mayor Marta Olenska", "Olenska"}
    reason = db.execute("select reason, corrected from speaker_aliases where name = 'Olenska'").fetchone()
    assert reason[0].startswith("correction: merged into") and reason[1] == 1


@pytest.mark.parametrize("args, words", [
    (["merge-speakers", "{db}", "Ana Ruiz", "Nobody Here"], "no speaker named 'Nobody Here'"),
    (["merge-speakers", "{db}", "Ana Ruiz", "Ana M. Ruiz"], "already one speaker"),
    (["split-speaker", "{db}", "Ana Ruiz", "Tomas Brenner"], "is not an alias of 'Ana Ruiz'"),
    (["split-speaker", "{db}", "Tomas Brenner", "Tomas Brenner"], "no other alias"),
    (["rename-speaker", "{db}", "Ana Ruiz", "Tomas Brenner"], "use merge-speakers"),
    (["correct", "{db}", "999", "--reject"], "no quote 999"),
])
def test_a_wrong_correction_is_one_line_and_changes_nothing(db_path, args, words):
    before = state(db_path)
    result = run(*[a.format(db=db_path) for a in args], code=1)
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert state(db_path) == before
    assert corrections.corrections(queries.connect(db_path)) == []


def test_correct_needs_exactly_one_of_speaker_and_reject(db_path):
    assert "either --speaker NAME or --reject" in run("correct", db_path, "1", code=2).output
    run("correct", db_path, "1", "--reject", "--speaker", "X", code=2)


def test_a_file_that_is_not_a_quotes_database_is_refused_not_migrated(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    assert "not a quotes database" in run("merge-speakers", other, "A", "B", code=1).output
    assert [r[0] for r in sqlite3.connect(other).execute("select name from sqlite_master")] == ["t"]


def test_rejecting_a_quote_and_giving_one_another_speaker_update_its_cluster(tmp_path):
    from quotes import clusters

    path = tmp_path / "q.db"
    corpus.save_all(store.open_db(path))
    conn = queries.connect(path)
    [(wrong,)] = conn.execute("select q.id from quotes q join speakers s on s.id = q.speaker_id "
                              "where s.name = 'Marta Olenska' and q.text = ?", [corpus.TRAVELLER]).fetchall()
    run("correct", path, wrong, "--speaker", "Tokayev")  # an alias finds the speaker
    [top] = list(clusters.clusters(queries.connect(path)))
    assert top["speakers"] == ["Kassym-Jomart Tokayev"] and not top["misattributed"]
    [(trimmed,)] = conn.execute("select id from quotes where text = ?", [corpus.TRIMMED]).fetchall()
    run("correct", path, trimmed, "--reject")
    [top] = list(clusters.clusters(queries.connect(path)))
    assert top["sightings"] == 4 and corpus.TRIMMED not in {v["text"] for v in top["variants"]}
