"""search and export filtered alike; output formats chosen once; tables that wrap; a closed pipe;
no empty database left by an ingest that read nothing; an empty stdin named as such (issue 13, item 7).

Real SQLite files, the real CLI through CliRunner, and real processes for the pipe.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from quotes.cli import TABLE_CELL_WIDTH, cli, write_rows
from quotes.model import Article, Quote
from quotes.store import open_db, save_article

QUOTES_BIN = Path(sys.executable).with_name("quotes")
SPEAKERS = ["Ada Quill", "Tomas Brenner", "Marta Olenska", None]
OUTLETS = ["Harbour Gazette", "Valley Courier", None]
KINDS = ["direct", "indirect", "mixed"]
DATES = ["2023-12-30", "2024-01-15", "2024-03-01", "2024-03-31", None]


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kw)


def build_mixed_db(path: Path, articles: int = 12) -> Path:
    """Invented articles whose quotes cover every speaker, outlet, kind, date and a spread of confidences."""
    db = open_db(path)
    for n in range(articles):
        outlet, published = OUTLETS[n % len(OUTLETS)], DATES[n % len(DATES)]
        sentences = [f"Sentence {n}-{k} says a thing about harbour fares number {k}." for k in range(4)]
        text = " ".join(sentences)
        quotes = []
        for k, sentence in enumerate(sentences):
            start = text.index(sentence)
            quotes.append(Quote(start, start + len(sentence), sentence, KINDS[(n + k) % 3],
                                speaker_name=SPEAKERS[(n + k) % len(SPEAKERS)], rule="test",
                                date=DATES[(n * 3 + k) % len(DATES)] if k == 3 else None,
                                confidence=round(((n * 4 + k) % 11) / 10, 2)))
        save_article(db, Article(text=text, title=f"Story {n}", outlet=outlet, published=published,
                                 url=f"https://news.example/{n}"), quotes, "test")
    db.close()
    return path


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory) -> Path:
    return build_mixed_db(tmp_path_factory.mktemp("filters") / "mixed.db")


def exported(db, *options) -> list[dict]:
    result = run("export", db, *options)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def keep(row: dict, speaker, outlet, kind, since, until, min_confidence) -> bool:
    """What the filters promise, said again in Python."""
    return ((not speaker or speaker.lower() in (row["speaker"] or "\0").lower())
            and (not outlet or outlet.lower() in (row["outlet"] or "\0").lower())
            and (not kind or row["kind"] == kind)
            and (not since or (row["date"] is not None and row["date"] >= since))
            and (not until or (row["date"] is not None and row["date"][:len(until)] <= until))
            and (min_confidence is None or (row["confidence"] is not None and row["confidence"] >= min_confidence)))


FILTERS = st.fixed_dictionaries({
    "speaker": st.sampled_from([None, "quill", "BRENNER", "a", "nobody"]),
    "outlet": st.sampled_from([None, "courier", "harbour", "zzz"]),
    "kind": st.sampled_from([None, *KINDS]),
    "since": st.sampled_from([None, "2024", "2024-01-15", "2024-03"]),
    "until": st.sampled_from([None, "2023", "2024-01", "2024-03-01", "2024-03"]),
    "min_confidence": st.sampled_from([None, 0.0, 0.5, 0.95]),
})


def as_options(filters: dict) -> list[str]:
    options = []
    for name, value in filters.items():
        if value is not None:
            options += [f"--{name.replace('_', '-')}", str(value)]
    return options


@settings(max_examples=40, deadline=None)
@given(filters=FILTERS)
def test_export_keeps_exactly_the_quotes_its_filters_describe(mixed_db, filters):
    everything = exported(mixed_db)
    got = [r["id"] for r in exported(mixed_db, *as_options(filters))]
    assert got == [r["id"] for r in everything if keep(r, **filters)]


@settings(max_examples=25, deadline=None)
@given(filters=FILTERS)
def test_search_and_export_filter_alike(mixed_db, filters):
    """Every quote of the db says "harbour fares", so search finds them all: its filters must pick what export's do."""
    result = run("search", mixed_db, "harbour fares", "--limit", "0", *as_options(filters))
    assert result.exit_code == 0, result.output
    searched = {r["id"] for r in json.loads(result.output)}
    assert searched == {r["id"] for r in exported(mixed_db, *as_options(filters))}


def test_the_filters_come_from_one_decorator():
    def filter_params(name):
        return {p.name: (p.opts, p.help, str(p.type)) for p in cli.commands[name].params
                if p.name in {"speaker", "outlet", "kind", "since", "until", "min_confidence"}}

    assert set(filter_params("export")) == {"speaker", "outlet", "kind", "since", "until", "min_confidence"}
    assert filter_params("export") == filter_params("search")


def test_export_filters_on_the_serve_db(serve_db):
    assert [r["text"] for r in exported(serve_db, "--speaker", "quill", "--kind", "direct")] == [
        "Freedom of speech is not negotiable", "Nobody likes higher fares"]
    assert {r["outlet"] for r in exported(serve_db, "--outlet", "courier")} == {"Valley Courier"}
    assert [r["date"] for r in exported(serve_db, "--since", "2024-03-26", "--until", "2024-03")] == [
        "2024-03-26", "2024-03-28"]


def test_export_filters_reach_csv_and_the_output_file(serve_db, tmp_path):
    out = tmp_path / "quill.csv"
    result = run("export", serve_db, "--speaker", "Quill", "--csv", "-o", out)
    assert result.exit_code == 0
    assert "Exported 4 quotes" in result.output
    assert {r["speaker"] for r in csv.DictReader(out.open(encoding="utf-8", newline=""))} == {"Ada Quill"}


def test_export_bad_date_is_a_usage_error_before_any_row(serve_db):
    result = CliRunner().invoke(cli, ["export", str(serve_db), "--since", "March"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "2024-03-15" in result.stderr and "Traceback" not in result.stderr


# --- one output format -----------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["search", "{db}", "protest"], ["speakers", "{db}"], ["export", "{db}"], ["extract", "{seed}"]])
@pytest.mark.parametrize("flags", [["--csv", "--nl"], ["--nl", "-t"], ["--json", "--csv", "--table"]])
def test_two_output_formats_are_one_line_usage_error(serve_db, seed_path, command, flags):
    args = [a.format(db=serve_db, seed=seed_path) for a in command] + flags
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: choose one output format, not ")
    assert all(flag.split("-")[-1] in line for flag in flags)


def test_export_format_against_another_flag(serve_db):
    result = CliRunner().invoke(cli, ["export", str(serve_db), "--format", "csv", "--nl"])
    assert (result.exit_code, result.stderr) == (2, "Error: choose one output format, not --csv and --nl\n")
    # the same choice twice is one choice
    same = run("export", serve_db, "--format", "csv", "--csv")
    assert same.exit_code == 0 and same.output.startswith("id,speaker,")


def test_each_format_on_its_own(serve_db):
    assert len(json.loads(run("export", serve_db, "--json").output)) == 9
    assert len(run("export", serve_db).output.splitlines()) == 9  # JSON Lines, export's default
    assert len(list(csv.DictReader(io.StringIO(run("export", serve_db, "--csv").output)))) == 9
    assert run("export", serve_db, "-t").output.splitlines()[0].split()[:2] == ["id", "speaker"]
    assert json.loads(run("speakers", serve_db).output)[0]["name"] == "Ada Quill"  # JSON stays the default


# --- tables wrap ---------------------------------------------------------------------------

def table_cells(table: str) -> list[dict[str, str]]:
    """Read a -t table back: each row's cells, the wrapped lines of a cell joined by a space.

    A row starts on a line whose first column (an id) is filled; blank lines between rows are passed over."""
    lines = table.split("\n")
    header, rule = lines[0], lines[1]
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    names = [header[a:b].strip() for a, b in spans]
    blocks = []
    for line in lines[2:]:
        if line[spans[0][0]:spans[0][1]].strip():  # the first column (an id) starts a row
            blocks.append([line])
        elif line.strip():
            blocks[-1].append(line)
    return [{n: " ".join(filter(None, (line[a:b if i < len(spans) - 1 else None].strip() for line in block)))
             for i, (n, (a, b)) in enumerate(zip(names, spans))} for block in blocks]


def test_table_shows_every_word_of_a_long_quote(serve_db, tmp_path):
    long_text = ("The harbour wall will be rebuilt stone by stone before the winter storms arrive, and "
                 "nobody in this town should doubt that we mean every word of it")
    db = open_db(tmp_path / "long.db")
    save_article(db, Article(text=long_text, title="Wall"), [Quote(0, len(long_text), long_text, "direct",
                                                                   speaker_name="Ada Quill", rule="test")], "t")
    db.close()
    for command in (["export", tmp_path / "long.db", "-t"], ["search", tmp_path / "long.db", "harbour", "-t"]):
        table = run(*command).output
        assert all(len(cell) <= TABLE_CELL_WIDTH for line in table.splitlines()
                   for cell in line.split("  ") if cell and not set(cell) <= {"-"})
        [row] = table_cells(table)
        assert row["text"] == long_text


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({
    "id": st.integers(0, 10**6),
    "text": st.text(st.sampled_from("abc dé fghij-klm,"), max_size=200),
    "speaker": st.one_of(st.none(), st.text(st.sampled_from("Ada Quil "), max_size=80)),
}), min_size=1, max_size=6))
def test_table_cells_wrap_and_lose_nothing(rows):
    out = io.StringIO()
    assert write_rows(rows, "table", out=out, columns=["id", "text", "speaker"]) == len(rows)
    cells = table_cells(out.getvalue())
    assert len(cells) == len(rows)
    for row, cell in zip(rows, cells):
        for name, value in row.items():
            want = " ".join(str(value if value is not None else "").split())
            assert cell[name].replace(" ", "") == want.replace(" ", ""), name  # a word too long is split
    width = max(len(c) for c in rows[0]) + 2 * TABLE_CELL_WIDTH + 16
    assert all(len(line) <= max(width, 80) for line in out.getvalue().splitlines())


# --- a closed pipe is no failure -------------------------------------------------------------

@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """Enough quotes that the output outgrows a pipe's buffer (64 KB), so the pipe closes mid-write."""
    return build_mixed_db(tmp_path_factory.mktemp("pipe") / "big.db", articles=400)


@pytest.mark.parametrize("args", [["export", "{db}"], ["export", "{db}", "--csv"], ["export", "{db}", "-t"],
                                  ["search", "{db}", "harbour", "--limit", "0"],
                                  ["extract", "{text}", "--nl"]])
def test_head_closing_the_pipe_exits_0(big_db, tmp_path, args):
    article = tmp_path / "long.txt"
    article.write_text("\n\n".join(f"“We will rebuild wall number {n} by spring,” Ada Quill said."
                                   for n in range(3000)), encoding="utf-8")
    command = [str(QUOTES_BIN)] + [a.format(db=big_db, text=article) for a in args]
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.run(command, stdout=reader.stdin, stderr=subprocess.PIPE, timeout=120)
    reader.stdin.close()
    first = reader.stdout.read().decode()
    reader.wait(timeout=10)
    assert first.strip(), "head read nothing"
    assert writer.returncode == 0, writer.stderr.decode()
    assert b"Traceback" not in writer.stderr and b"BrokenPipe" not in writer.stderr


# --- ingest: no empty database; extract: an empty stdin ------------------------------------

def test_ingest_that_reads_nothing_leaves_no_database(tmp_path):
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02")
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(tmp_path / "missing.txt"), str(binary)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blob.txt"]  # no t.db, -wal or -shm


def test_ingest_creates_the_database_for_its_first_article(tmp_path, seed_path):
    db = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(tmp_path / "missing.txt"),
                                                      str(seed_path)])
    assert result.exit_code == 1  # one input was missing
    assert "Added 1 article (13 quotes)" in result.stderr
    assert exported(db)[0]["article_id"] == 1


def test_ingest_into_an_existing_file_still_checks_it_first(tmp_path):
    notdb = tmp_path / "notes.db"
    notdb.write_text("these are my notes, not a database\n" * 20)
    result = CliRunner().invoke(cli, ["ingest", str(notdb), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {notdb}: cannot open as a SQLite database")
    assert notdb.read_text().startswith("these are my notes")


@pytest.mark.parametrize("command", [["extract", "-"], ["ingest", "{db}", "-"]])
@pytest.mark.parametrize("stdin", ["", "  \n\n"])
def test_empty_stdin_says_so(tmp_path, command, stdin):
    args = [a.format(db=tmp_path / "s.db") for a in command]
    result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "-: no text on stdin"
    assert not (tmp_path / "s.db").exists()


def test_empty_file_is_nothing_to_read(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    result = CliRunner().invoke(cli, ["extract", str(empty)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{empty}: empty text, nothing to read"
