"""search, speakers, export and serve --get through the real CLI on a real SQLite file."""
import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from quotes.cli import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_search_stems_and_ranks(serve_db):
    result = run("search", serve_db, "protests")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    # "protests" finds "protest" and "protesters" through the porter stemmer
    assert {r["text"] for r in rows} == {
        "the protest movement deserved a hearing",
        "protesters had blocked the bridge for an hour",
    }
    assert all("[" in r["snippet"] for r in rows)


def test_search_ranks_the_better_match_first(tmp_path):
    from quotes.model import Article, Quote
    from quotes.store import open_db, save_article

    texts = ["The strike will go on through the winter and well into the spring", "Strike, strike, strike"]
    db = open_db(tmp_path / "rank.db")
    for text in texts:
        save_article(db, Article(text=text, outlet="Bay Times"), [Quote(0, len(text), text, "direct")], "test")
    db.close()
    rows = json.loads(run("search", tmp_path / "rank.db", "strikes").output)
    assert [r["text"] for r in rows] == [texts[1], texts[0]]


@pytest.mark.parametrize(
    "options,expected",
    [
        (["--speaker", "quill"], {3}),
        (["--outlet", "courier"], {3, 9}),
        (["--kind", "indirect"], {3, 9}),
        (["--since", "2024-03"], {9}),
        (["--until", "2024-02"], {3}),
        (["--until", "2024-04"], {3, 9}),
        (["--since", "2024-02-04", "--until", "2024-04-10"], {9}),
    ],
)
def test_search_filters(serve_db, options, expected):
    result = run("search", serve_db, "protest", *options)
    assert result.exit_code == 0, result.output
    assert {r["id"] for r in json.loads(result.output)} == expected


def test_search_limit_and_formats(serve_db):
    assert len(json.loads(run("search", serve_db, "protest").output)) == 2
    assert len(json.loads(run("search", serve_db, "protest", "--limit", "1").output)) == 1
    nl = run("search", serve_db, "fares", "--nl").output.splitlines()
    assert sorted(json.loads(line)["kind"] for line in nl) == ["direct", "indirect"]
    rows = list(csv.DictReader(io.StringIO(run("search", serve_db, "fares", "--csv").output)))
    assert rows[0]["speaker"] == "Ada Quill"
    table = run("search", serve_db, "fares", "-t").output
    assert table.splitlines()[0].split()[:3] == ["id", "speaker", "outlet"]


def test_search_survives_fts_syntax(serve_db):
    result = run("search", serve_db, 'AND "unbalanced (')
    assert result.exit_code == 0
    assert json.loads(result.output) == []


def test_search_bad_date_is_a_usage_error(serve_db):
    result = run("search", serve_db, "fares", "--since", "last week")
    assert result.exit_code == 2
    assert "2024-03-15" in result.output


def test_not_a_quotes_database(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)")
    result = CliRunner().invoke(cli, ["search", str(other), "x"])
    assert result.exit_code == 1
    assert str(other) in result.output and "not a quotes database" in result.output
    assert "Traceback" not in result.output
    # nothing was created in someone else's file
    tables = {r[0] for r in sqlite3.connect(other).execute("select name from sqlite_master")}
    assert tables == {"t"}


def test_speakers(serve_db):
    rows = json.loads(run("speakers", serve_db).output)
    assert [(r["name"], r["quotes"]) for r in rows] == [
        ("Ada Quill", 4), ("Marta Olenska", 2), ("Tomas Brenner", 2)]
    assert rows[0]["outlets"] == "Harbour Gazette, Valley Courier"


def test_export_jsonl_has_every_quote_with_names(serve_db):
    lines = run("export", serve_db).output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 9
    first = rows[0]
    assert first["speaker"] == "Tomas Brenner" and first["outlet"] == "Harbour Gazette"
    assert first["article_title"] == "Dockers rally at city hall"
    assert rows[-1]["speaker"] is None  # the unresolved official is exported too


def test_export_csv_to_file(serve_db, tmp_path):
    out = tmp_path / "quotes.csv"
    result = CliRunner().invoke(cli, ["export", str(serve_db), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    assert "Exported 9 quotes" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 9
    assert {r["venue"] for r in rows} >= {"press conference", "interview", "statement"}
    assert rows[0]["cue_start"].isdigit()


def test_serve_get(serve_db):
    result = run("serve", serve_db, "--get", "/-/speaker/1")
    assert result.exit_code == 0
    assert "Tomas Brenner" in result.output
    missing = CliRunner().invoke(cli, ["serve", str(serve_db), "--get", "/-/quote/12345"])
    assert missing.exit_code == 1


def test_serve_with_other_metadata(serve_db, tmp_path):
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"title": "Harbour quotes archive"}))
    result = run("serve", serve_db, "--metadata", meta, "--get", "/")
    assert result.exit_code == 0
    assert "Harbour quotes archive" in result.output
    meta.write_text("{not json")
    bad = CliRunner().invoke(cli, ["serve", str(serve_db), "--metadata", str(meta), "--get", "/"])
    assert bad.exit_code == 1 and str(meta) in bad.output


def test_serve_on_a_busy_port_says_so(serve_db):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(serve_db), "--port", str(port)])
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}" in result.output and "--port" in result.output


def canned_queries():
    from quotes.serve import DEFAULT_METADATA

    return json.loads(DEFAULT_METADATA.read_text(encoding="utf-8"))["databases"]["quotes"]["queries"]


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_canned_query_pages_hide_their_sql_until_asked(serve_db, name):
    """Through Datasette's test client: the SQL is neither on the page nor in its title, and one click shows it."""
    import asyncio
    from html import unescape

    from quotes.serve import make_datasette

    ds = make_datasette(serve_db)
    params = {"quotes_by_speaker": "speaker=Quill", "search": "q=fares"}.get(name, "")

    async def fetch(extra: str):
        await ds.invoke_startup()
        return await ds.client.get(f"/{serve_db.stem}/{name}?{params}{extra}")

    query = canned_queries()[name]
    assert query["hide_sql"] is True
    sql_lines = [line for line in query["sql"].splitlines() if len(line) > 12]
    hidden = asyncio.run(fetch(""))
    assert hidden.status_code == 200
    page = unescape(hidden.text)
    # the SQL is left only in the "Edit SQL" link's URL, never as text on the page or in the tab's title
    assert not any(line in page for line in sql_lines), name
    assert f"<title>{serve_db.stem}: {query['title']}</title>" in page
    assert "_show_sql=1" in page
    shown = unescape(asyncio.run(fetch("&_show_sql=1")).text)
    assert all(line in shown for line in sql_lines), name
