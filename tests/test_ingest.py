"""`quotes ingest` end to end: a real SQLite file, CliRunner, exit codes and the summary line."""
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from click.testing import CliRunner

from quotes.cli import cli
from quotes.ingest import IngestSummary, ingest
from quotes.store import open_db

# So plain that any engine finds it.
PLAIN = '"We will rebuild the bridge," Mayor Ana Ruiz said.\n'


def run(*args, input=None):
    return CliRunner().invoke(cli, ["ingest", *map(str, args)], input=input, catch_exceptions=False)


def rows(db_path, sql):
    return sqlite3.connect(db_path).execute(sql).fetchall()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "bridge.txt").write_text(PLAIN)
    (folder / "bridge.meta.json").write_text('{"outlet": "Valley Gazette", "date": "2024-05-02", "title": "Bridge"}')
    (folder / "sub" / "park.md").write_text("The park will open in June, officials said.\n")
    return folder


def test_ingest_folder_then_again_adds_nothing(tmp_path, corpus):
    db = tmp_path / "q.db"
    result = run(db, corpus)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("Added 2 articles (")
    assert rows(db, "select a.title, o.name, a.published, a.source from articles a left join outlets o "
                    "on o.id = a.outlet_id order by a.id") == [
        ("Bridge", "Valley Gazette", "2024-05-02", str(corpus / "bridge.txt")),
        (None, None, None, str(corpus / "sub" / "park.md")),
    ]
    again = run(db, corpus)
    assert again.exit_code == 0
    assert again.stderr.strip() == "Added 0 articles (0 quotes); 2 already present."
    assert rows(db, "select count(*) from articles") == [(2,)]


def test_ingest_stores_quotes_of_a_plain_sentence(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(PLAIN)
    db = tmp_path / "q.db"
    result = run(db, src)
    assert result.exit_code == 0
    stored = rows(db, "select start, \"end\", text from quotes")
    # every stored offset points into the stored text
    [(text,)] = rows(db, "select text from articles")
    for start, end, quote in stored:
        assert text[start:end] == quote
    assert any("We will rebuild the bridge" in q for _, _, q in stored)
    assert f"({len(stored)} quote" in result.stderr


def test_bad_inputs_one_line_each_run_goes_on_exit_1(tmp_path, corpus):
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9 reopened.".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("")
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"text": "Good one."}\n{bad\n{"id": 3}\n')
    db = tmp_path / "q.db"
    result = run(db, tmp_path / "missing.txt", tmp_path / "latin.txt", tmp_path / "empty.txt", dump, corpus)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:5] == [
        f"{tmp_path / 'missing.txt'}: no such file or folder",
        f"{tmp_path / 'latin.txt'}: not valid UTF-8 (byte 0xe9 at offset 3); try --encoding latin-1, or --encoding auto to guess",
        f"{tmp_path / 'empty.txt'}: empty text, nothing to read",
        f"{dump}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{dump}:3: record has no text (looked for text, body, content)",
    ]
    assert lines[5].startswith("Added 3 articles (")
    assert lines[5].endswith("; 5 skipped (1 missing, 1 not UTF-8, 1 empty, 1 bad JSON, 1 no text): see above.")
    assert len(lines) == 6
    assert rows(db, "select count(*) from articles") == [(3,)]
    # the remedy works
    fixed = run(db, tmp_path / "latin.txt", "--encoding", "latin-1")
    assert fixed.exit_code == 0
    assert rows(db, "select text from articles where source = ?".replace("?", repr(str(tmp_path / "latin.txt")))) == [
        ("Caf\u00e9 reopened.",)]


def test_stdin_and_command_line_metadata(tmp_path):
    db = tmp_path / "q.db"
    result = run(db, "-", "--outlet", "Hill Times", "--date", "March 5, 2024", "--title", "Roads",
                 "--url", "https://example.org/roads", input="Crews paved the road.\n")
    assert result.exit_code == 0
    assert rows(db, "select a.source, a.title, a.url, a.published, o.name from articles a join outlets o "
                    "on o.id = a.outlet_id") == [("-", "Roads", "https://example.org/roads", "2024-03-05", "Hill Times")]


def test_jsonl_and_csv_with_field_mapping(tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "x1", "article_body": "A story in a column.", "paper": "Town Crier"}) + "\n")
    table = tmp_path / "d.csv"
    table.write_text("article_body,paper\nAnother story in a CSV file.,River News\n")
    db = tmp_path / "q.db"
    result = run(db, dump, table, "--field", "text=article_body", "--field", "outlet=paper")
    assert result.exit_code == 0, result.output
    assert rows(db, "select a.source, o.name from articles a join outlets o on o.id = a.outlet_id order by a.id") == [
        (f"{dump}:1", "Town Crier"), (f"{table}:2", "River News")]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--date", "someday"], "--date"),
        (["--field", "colour=red"], "--field"),
        (["--encoding", "klingon"], "--encoding"),
        (["--urls", "/no/such/list.txt"], "--urls"),
        ([], "Give at least one PATH"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, words):
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "q.db"), *args], catch_exceptions=False)
    assert result.exit_code == 2
    assert words in result.stderr


def test_python_api_reports_errors_and_progress(tmp_path):
    (tmp_path / "a.txt").write_text(PLAIN)
    db = open_db(tmp_path / "q.db")
    errors, seen = [], []
    summary = ingest(db, [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
                     on_error=errors.append, progress=lambda s: seen.append(s.added))
    assert isinstance(summary, IngestSummary)
    assert (summary.added, summary.present, dict(summary.skipped)) == (1, 0, {"missing": 1})
    assert summary.bytes == (tmp_path / "a.txt").stat().st_size
    assert [e.source for e in errors] == [str(tmp_path / "b.txt")]
    assert seen[-1] == 1  # called as each input has its turn, and after the last commit
    assert not summary.ok


def test_engine_failure_is_reported_not_fatal(tmp_path, monkeypatch):
    import quotes.parallel as parallel

    def broken(text, published=None, include_stance=False, structure=None):
        if "boom" in text:
            raise RuntimeError("engine bug")
        return []

    monkeypatch.setattr(parallel, "extract_quotes", broken)  # the engine of --workers 1
    (tmp_path / "a.txt").write_text("boom goes the engine")
    (tmp_path / "b.txt").write_text("a quiet story")
    db = tmp_path / "q.db"
    result = run(db, tmp_path, "--workers", "1")
    assert result.exit_code == 1
    assert f"{tmp_path / 'a.txt'}: extraction failed: RuntimeError: engine bug" in result.stderr
    assert rows(db, "select source from articles") == [(str(tmp_path / "b.txt"),)]


@pytest.mark.parametrize("extra", [["--url", "https://example.org/a"], ["--title", "One story"]])
def test_url_and_title_name_one_article(tmp_path, corpus, extra):
    result = run(tmp_path / "q.db", corpus, *extra)
    assert result.exit_code == 2 and "--url and --title name one article" in result.stderr
    ok = run(tmp_path / "q.db", corpus / "bridge.txt", *extra)
    assert ok.exit_code == 0


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_line_draws_a_bar_on_a_terminal_only(tmp_path, corpus):
    from quotes.progress import ProgressLine
    from quotes.sources import input_size

    total = input_size([str(corpus)])
    assert total == sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file() and ".meta." not in p.name)
    screen = FakeTerminal()
    bar = ProgressLine(total, stream=screen, interval=0)
    summary = ingest(open_db(tmp_path / "q.db"), [str(corpus), str(tmp_path / "nope.txt")],
                     progress=bar, on_error=bar.echo)
    bar.clear()
    drawn = screen.getvalue()
    assert "[" + "#" * 24 + "] 100%  2 articles" in drawn
    assert f"{tmp_path / 'nope.txt'}: no such file or folder\n" in drawn
    assert "\r\x1b[K" + str(tmp_path / "nope.txt") in drawn and summary.bytes == total  # the bar is wiped first
    piped = io.StringIO()
    ProgressLine(total, stream=piped, interval=0)(summary)
    assert piped.getvalue() == ""
    assert ProgressLine(None, stream=screen).render(summary).endswith(" MB")


def test_html_on_stdin_and_a_database_that_is_not_one(tmp_path):
    page = (Path(__file__).parent / "data" / "plain_page.htm").read_bytes()
    db = tmp_path / "q.db"
    result = run(db, "-", input=page)
    assert result.exit_code == 0
    assert rows(db, "select title, source from articles") == [("Notes from the valley", "-")]
    not_db = tmp_path / "notes.db"
    not_db.write_text("just some text, not SQLite " * 100)
    result = run(not_db, "-", input=PLAIN)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {not_db}: cannot open as a SQLite database")


def test_interrupted_run_keeps_what_it_stored(tmp_path, corpus, monkeypatch):
    import quotes.parallel as parallel

    calls = []

    def interrupt_on_second(text, published=None, include_stance=False, structure=None):
        calls.append(text)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return []

    monkeypatch.setattr(parallel, "extract_quotes", interrupt_on_second)  # the engine of --workers 1
    db = tmp_path / "q.db"
    result = run(db, corpus, "--workers", "1")
    assert result.exit_code == 130
    assert result.stderr.strip() == "Added 1 article (0 quotes). Interrupted."
    assert rows(db, "select count(*) from articles") == [(1,)]


def test_quotes_counted_as_stored_and_speakers_shared(tmp_path, monkeypatch):
    import quotes.parallel as parallel
    from quotes.model import Quote

    def twice(text, published=None, include_stance=False, structure=None):
        start = text.index("We will")
        q = Quote(start=start, end=start + 27, text=text[start:start + 27], kind="direct",
                  speaker="Ana Ruiz", speaker_name="Ana Ruiz", cue="said")
        return [q, q]  # an engine slip: the same quote twice

    monkeypatch.setattr(parallel, "extract_quotes", twice)  # the engine of --workers 1
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PLAIN)
    (tmp_path / "in" / "b.txt").write_text("Later that day: " + PLAIN)
    db = tmp_path / "q.db"
    result = run(db, tmp_path / "in", "--workers", "1")
    assert result.stderr.strip() == "Added 2 articles (2 quotes)."
    assert rows(db, "select count(*) from quotes") == [(2,)]
    assert rows(db, "select name from speakers") == [("Ana Ruiz",)]


def test_same_url_with_changed_text_is_updated_in_place(tmp_path):
    """A corrected story re-exported under its URL replaces the stored one; same text stays put."""
    dump = tmp_path / "d.jsonl"

    def write(*records):
        dump.write_text("".join(json.dumps(r) + "\n" for r in records))

    bridge = {"url": "https://news.example/bridge", "title": "Bridge", "outlet": "Valley Gazette",
              "date": "2024-05-02", "text": PLAIN}
    park = {"url": "https://news.example/park", "text": "The park will open in June, officials said.\n"}
    write(bridge, park)
    db = tmp_path / "q.db"
    assert run(db, dump).stderr.strip() == "Added 2 articles (2 quotes)."
    [(bridge_id,)] = rows(db, "select id from articles where url = 'https://news.example/bridge'")

    ferry = '"The ferry will sail again in May," Jan Olsen said.\n'
    corrected = {"url": "https://news.example/bridge?utm_source=feed", "title": "Ferry, not bridge",
                 "text": ferry + PLAIN}  # no outlet, no date this time
    fresh = {"url": "https://news.example/fair", "text": "The fair will close early, organisers said.\n"}
    write(corrected, park, fresh)
    result = run(db, dump)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "Added 1 article (1 quote); 1 updated (2 quotes); 1 already present."

    # same id; text and title replaced; outlet and date the new record lacks are kept
    assert rows(db, "select a.id, a.title, a.text, o.name, a.published, a.source from articles a "
                    "join outlets o on o.id = a.outlet_id where a.url = 'https://news.example/bridge'") == [
        (bridge_id, "Ferry, not bridge", ferry + PLAIN, "Valley Gazette", "2024-05-02", f"{dump}:1")]
    assert rows(db, "select count(*) from articles") == [(3,)]
    # the article's quotes are the new extraction's, with offsets into the new text
    stored = rows(db, f'select id, start, "end", text from quotes where article_id = {bridge_id} order by start')
    assert [t for _, _, _, t in stored] == ["The ferry will sail again in May,", "We will rebuild the bridge,"]
    assert all((ferry + PLAIN)[s:e] == t for _, s, e, t in stored)
    # full-text search follows: the new quote is found, and nothing points at deleted rows
    assert rows(db, "select q.article_id from quotes_fts f join quotes q on q.id = f.rowid "
                    "where quotes_fts match 'ferry'") == [(bridge_id,)]
    assert rows(db, "select count(*) from quotes_fts") == rows(db, "select count(*) from quotes")
    assert rows(db, f"select speaker from quotes_view where article_id = {bridge_id} order by start") == [
        ("Jan Olsen",), ("Ana Ruiz",)]

    # the same corrected text again is already present, and changes nothing
    again = run(db, dump)
    assert again.stderr.strip() == "Added 0 articles (0 quotes); 3 already present."
    assert rows(db, f'select id from quotes where article_id = {bridge_id} order by start') == [
        (i,) for i, *_ in stored]


def test_a_database_locked_for_too_long_is_one_line_and_keeps_what_was_stored(tmp_path, monkeypatch):
    from quotes import store

    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.3)
    db = tmp_path / "q.db"
    (tmp_path / "a.txt").write_text(PLAIN)
    assert run(db, tmp_path / "a.txt").exit_code == 0
    (tmp_path / "b.txt").write_text("The park will open in June, officials said.\n")
    holder = sqlite3.connect(db)
    holder.execute("begin immediate")  # another writer that never lets go
    try:
        result = run(db, tmp_path / "b.txt")
    finally:
        holder.rollback()
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Added 0 articles (0 quotes).",
        f"Error: {db}: database is locked (another process kept it for over 0.3 s; try again when it is done)",
    ]
    assert rows(db, "select count(*) from articles") == [(1,)]


@settings(max_examples=25, deadline=None)
@given(versions=st.lists(st.sampled_from(["old", "new", None]), max_size=40), page=st.integers(1, 9),
       everything=st.booleans())
def test_re_extract_reads_stale_ids_a_page_at_a_time_each_once_in_order(tmp_path_factory, versions, page,
                                                                          everything):
    """re-extract streams: the ids come a page at a time (store.STALE_PAGE), and every stale one comes once."""
    from quotes import store
    from quotes.model import Article

    db = open_db(tmp_path_factory.mktemp("stale") / "q.db")
    for n, version in enumerate(versions):
        store.save_article(db, Article(text=f"Story number {n}."), [], version)
    old = store.STALE_PAGE
    store.STALE_PAGE = page
    try:
        stale = store.stale_articles(db, None if everything else "new")
        ids = list(stale)
    finally:
        store.STALE_PAGE = old
    expected = [n + 1 for n, v in enumerate(versions) if everything or v != "new"]
    assert ids == expected and len(stale) == len(expected)
