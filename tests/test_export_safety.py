"""CSV output cannot smuggle formulas into a spreadsheet (OWASP "CSV Injection"), and JSON is left as it was.

A cell whose text starts with = + - @ tab or carriage return (after any whitespace) is written with
a leading '; numbers stored as numbers (ids, offsets) are written as they are.
"""
import csv
import io
import json
import sqlite3

from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from quotes.cli import FORMULA_STARTS, cli, write_rows
from quotes.model import Article, Quote
from quotes.store import open_db, save_article

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1", "  =1+1", "-5"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def escaped(value: str) -> str:
    return "'" + value if value.lstrip().startswith(FORMULA_STARTS) or value.startswith(FORMULA_STARTS) else value


def hostile_db(path):
    """One article whose quote texts, speakers, title and outlet each start like a formula."""
    text = " ".join(HOSTILE)
    db = open_db(path)
    quotes, at = [], 0
    for n, value in enumerate(HOSTILE):
        at = text.index(value, at)
        quotes.append(Quote(at, at + len(value), value, "direct", speaker_name=f"{value} speaker {n}",
                            role=value, venue=value, rule="test"))
        at += len(value)
    save_article(db, Article(text=text, title="=cmd|' /C calc'!A0", outlet="@Outlet", url="https://x.example/a"),
                 quotes, "test")
    db.close()
    return path


def test_export_csv_escapes_every_formula_and_keeps_numbers(tmp_path):
    db = hostile_db(tmp_path / "q.db")
    out = tmp_path / "quotes.csv"
    assert run("export", db, "--format", "csv", "-o", out).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["text"] for r in rows] == [escaped(v) for v in HOSTILE]
    assert all(r["text"].startswith("'") for r in rows)
    assert {r["article_title"] for r in rows} == {"'=cmd|' /C calc'!A0"} and {r["outlet"] for r in rows} == {"'@Outlet"}
    assert [r["role"] for r in rows] == [r["text"] for r in rows]
    for r in rows:  # ids and offsets are numbers: written as they are, never escaped
        assert r["id"].isdigit() and r["start"].isdigit() and r["end"].isdigit() and r["article_id"] == "1"
        assert not any(v.startswith(FORMULA_STARTS) for v in r.values() if v)


def test_export_jsonl_is_not_touched(tmp_path):
    db = hostile_db(tmp_path / "q.db")
    rows = [json.loads(line) for line in run("export", db).output.splitlines()]
    assert [r["text"] for r in rows] == HOSTILE and rows[0]["outlet"] == "@Outlet"
    assert isinstance(rows[0]["start"], int)


def test_search_and_speakers_csv_escape_too(tmp_path):
    db = hostile_db(tmp_path / "q.db")
    found = list(csv.DictReader(io.StringIO(run("search", db, "cmd", "--csv").output)))
    assert found and all(not v.startswith(FORMULA_STARTS) for r in found for v in r.values() if v)
    assert {r["text"] for r in found} == {"'+1+cmd|' /C calc'!A0"}
    assert json.loads(run("search", db, "cmd").output)[0]["text"] == "+1+cmd|' /C calc'!A0"  # JSON: as stored
    speakers = list(csv.DictReader(io.StringIO(run("speakers", db, "--csv").output)))
    names = [name for (name,) in sqlite3.connect(db).execute("select name from speakers")]  # as the store keeps them
    assert sorted(r["name"] for r in speakers) == sorted(escaped(name) for name in names)
    assert all(r["name"].startswith("'") for r in speakers)
    assert {r["outlets"] for r in speakers} == {"'@Outlet"} and all(r["quotes"] == "1" for r in speakers)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.none()), min_size=1, max_size=5))
def test_any_cell_reads_back_as_itself_or_escaped(values):
    columns = [f"c{i}" for i in range(len(values))]
    out = io.StringIO(newline="")
    write_rows([dict(zip(columns, values))], "csv", out=out, columns=columns)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    for column, value in zip(columns, values):
        cell = row[column]
        if value is None:
            assert cell == ""
        elif isinstance(value, int):
            assert cell == str(value)  # -5 as a number stays -5: a number cannot carry a formula
        else:
            assert cell == escaped(value)
            assert not cell.lstrip().startswith(FORMULA_STARTS) or cell.startswith("'")
