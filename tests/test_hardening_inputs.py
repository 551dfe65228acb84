"""Hostile inputs (issue 9, items 4-11): each gives one line naming its file (and line), the rest is read.

Real files, real subprocesses with timeouts (a regression that hangs fails instead), real SQLite.
"""
import codecs
import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotes.model import Article
from quotes.sources import InputError, Skipped, iter_articles
from quotes.sources.common import MAX_INPUT_ENV, printable
from quotes.sources.records import MAX_CSV_RECORD_LINES, MAX_JSON_DEPTH, MAX_UNCLOSED_QUOTES

sys.path.insert(0, str(Path(__file__).parent / "data"))
import make_bad_inputs  # noqa: E402

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
QUOTES = [sys.executable, "-m", "quotes"]
STORY = make_bad_inputs.story("the harbour wall")
CAP = 1 << 20


def read(*inputs, **kw):
    return list(iter_articles([str(i) for i in inputs], **kw))


def errors(items):
    return [str(i) for i in items if isinstance(i, InputError)]


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def run(args, *, cap: int | None = None, timeout: float = 60, stdin=None):
    env = dict(os.environ)
    if cap:
        env[MAX_INPUT_ENV] = str(cap)
    return subprocess.run(QUOTES + [str(a) for a in args], capture_output=True, timeout=timeout, env=env,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL)


# --- the whole corpus, in one real `quotes ingest` run ---

def test_one_ingest_over_the_bad_corpus_keeps_every_good_article_and_names_every_bad_input(tmp_path):
    corpus = make_bad_inputs.make(tmp_path / "corpus", CAP)
    db = tmp_path / "q.db"
    result = run(["ingest", db, tmp_path / "corpus"], cap=CAP, timeout=120)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "\x1b" not in stderr
    texts = [t for (t,) in sqlite3.connect(db).execute("select text from articles")]
    for marker in corpus.good:
        assert len([t for t in texts if f"{marker} " in t or f"{marker}." in t]) == 1, marker
    assert len(texts) == len(corpus.good)
    lines = stderr.strip().splitlines()
    for name, piece in corpus.bad.items():
        named = [line for line in lines if line.startswith(f"{tmp_path / 'corpus' / name}: ")]
        assert len(named) == 1 and piece in named[0], (name, lines)
    assert len(lines) == len(corpus.bad) + 1  # and the summary
    assert f"{len(corpus.bad)} skipped" in lines[-1]
    if corpus.passed_over:
        assert "1 not a regular file" in lines[-1]


# --- 4: nesting ---

@SETTINGS
@given(depth=st.one_of(st.integers(1, 2 * MAX_JSON_DEPTH), st.integers(900, 1100), st.just(100_000)))
def test_jsonl_nested_any_depth_is_a_record_or_one_error_and_the_next_line_is_read(tmp_path, depth):
    path = tmp_path / "deep.jsonl"
    nested = "[" * depth + "]" * depth
    path.write_text(json.dumps({"text": "First."}) + "\n" + f'{{"text": "Deep.", "tags": {nested}}}\n'
                    + json.dumps({"text": "Last."}) + "\n")
    items = read(path)
    assert [a.text for a in articles(items)] == (["First.", "Deep.", "Last."] if depth < MAX_JSON_DEPTH
                                                 else ["First.", "Last."])
    if depth >= MAX_JSON_DEPTH:  # the record's own object is one more level
        assert errors(items) == [f"{path}:2: JSON nested deeper than {MAX_JSON_DEPTH} levels; not read"]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    path = tmp_path / "brackets.jsonl"
    path.write_text(json.dumps({"text": "A story about " + "[{" * 5000 + " brackets."}) + "\n")
    [article] = read(path)
    assert article.text.endswith(" brackets.")


def test_a_deep_json_document_is_one_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert [str(i) for i in read(path)] == [f"{path}: JSON nested deeper than {MAX_JSON_DEPTH} levels; not read"]


# --- 5: NUL bytes ---

@SETTINGS
@given(at=st.integers(0, 40))
def test_a_nul_anywhere_in_a_jsonl_line_skips_that_line_only(tmp_path, at):
    line = json.dumps({"text": "The middle story was long enough."}).encode()
    path = tmp_path / "nul.jsonl"
    path.write_bytes(b'{"text": "First."}\n' + line[:at] + b"\x00" + line[at:] + b'\n{"text": "Last."}\n')
    items = read(path)
    assert [a.text for a in articles(items)] == ["First.", "Last."]
    assert errors(items) == [f"{path}:2: the line holds a NUL byte (binary data); skipped"]


@SETTINGS
@given(at=st.integers(0, 30))
def test_a_nul_anywhere_in_a_csv_cell_skips_that_record_only(tmp_path, at):
    cell = "The middle story, with a comma."
    path = tmp_path / "nul.csv"
    path.write_bytes(f'title,text\na,First.\nb,"{cell[:at]}\x00{cell[at:]}"\nc,Last.\n'.encode())
    items = read(path)
    assert [a.text for a in articles(items)] == ["First.", "Last."]
    assert errors(items) == [f"{path}:3: a cell holds a NUL byte (binary data); record skipped"]


@SETTINGS
@given(at=st.integers(0, 3 * 8192))
def test_a_nul_anywhere_in_a_text_file_makes_it_binary(tmp_path, at):
    data = (STORY * 200).encode()[: 3 * 8192]
    path = tmp_path / "story.txt"
    path.write_bytes(data[:at] + b"\x00" + data[at:])
    assert errors(read(path)) == [f"{path}: binary file, not text"]


def test_a_binary_file_named_jsonl_is_one_error_not_one_per_line(tmp_path):
    path = tmp_path / "photo.jsonl"
    path.write_bytes(b"\xff\xd8\xff\x00JFIF\n" * 50)
    assert errors(read(path)) == [f"{path}: binary file, not JSON Lines"]


def test_an_escaped_nul_in_json_never_reaches_the_text(tmp_path):
    path = tmp_path / "escaped.jsonl"
    path.write_text('{"text": "Before\\u0000after."}\n')
    [article] = read(path)
    assert article.text == "Beforeafter."


# --- 6: a WARC gzipped as one stream ---

def single_stream_warc(path: Path, pages: int) -> Path:
    make_bad_inputs._single_stream_warc(path, [f"marker-{n}" for n in range(pages)])
    return path


def test_a_warc_gzipped_whole_gives_all_its_pages_without_a_word(tmp_path):
    path = single_stream_warc(tmp_path / "crawl.warc.gz", 10)
    with gzip.open(path) as fp:  # one gzip member: warcio alone would stop after the first record
        assert fp.read().count(b"WARC/1.") == 11
    items = read(path)
    assert errors(items) == []
    assert [a.url for a in articles(items)] == [f"https://pages.example.org/{n}" for n in range(10)]
    assert [i.reason for i in items if isinstance(i, Skipped)] == ["WARC warcinfo"]


def test_the_cli_stores_the_ten_pages_and_warcio_says_nothing(tmp_path):
    path = single_stream_warc(tmp_path / "crawl.warc.gz", 10)
    db = tmp_path / "q.db"
    result = run(["ingest", db, path])
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().strip().splitlines()[0].startswith("Added 10 articles")
    assert sqlite3.connect(db).execute("select count(*) from articles").fetchone() == (10,)


def test_a_cut_single_stream_warc_keeps_the_pages_before_the_cut(tmp_path):
    whole = single_stream_warc(tmp_path / "whole.warc.gz", 10).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) - 8])  # the gzip trailer: every page, and a warning
    items = read(cut)
    assert len(articles(items)) == 10
    assert errors(items) == [f"{cut}: truncated after record 11 (a gzip member is cut short)"]


# --- 7: pipes and devices ---

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_folder_is_passed_over_not_waited_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY)
    os.mkfifo(folder / "feed.jsonl")
    os.mkfifo(folder / "noname")
    result = run(["ingest", tmp_path / "q.db", folder], timeout=60)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert stderr.strip().splitlines() == [
        "Added 1 article (1 quote); 2 passed over (2 not a regular file)."]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_as_an_input_is_read_up_to_the_limit_then_named(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    result = run(["ingest", tmp_path / "q.db", "/dev/zero", story], cap=CAP, timeout=60)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert stderr.splitlines()[0] == f"/dev/zero: over the 1 MB limit ({MAX_INPUT_ENV}); not read"
    assert stderr.splitlines()[1].startswith("Added 1 article")


def test_stdin_is_read_up_to_the_limit_and_jsonl_on_stdin_is_streamed(tmp_path):
    big = run(["extract", "-"], cap=1000, stdin=None)  # empty stdin: nothing at all
    assert big.returncode == 1
    proc = subprocess.run(QUOTES + ["extract", "-"], input=b"A line of text.\n" * 400, capture_output=True,
                          timeout=60, env=dict(os.environ, **{MAX_INPUT_ENV: "1000"}))
    assert proc.stderr.decode().splitlines()[0] == f"-: over the 1,000 bytes limit ({MAX_INPUT_ENV}); not read"
    proc = subprocess.run(QUOTES + ["extract", "-"], input=b'{"text": "' + b"x" * 5000, capture_output=True,
                          timeout=60, env=dict(os.environ, **{MAX_INPUT_ENV: "1000"}))
    assert proc.stderr.decode().splitlines()[0] == f"-:1: line over the 1,000 bytes limit ({MAX_INPUT_ENV}); not read"
    many = b"".join(json.dumps({"text": f"Story {n} is here."}).encode() + b"\n" for n in range(100))
    proc = subprocess.run(QUOTES + ["extract", "-"], input=many, capture_output=True, timeout=60,
                          env=dict(os.environ, **{MAX_INPUT_ENV: "1000"}))  # 2.4 KB, lines of 30 bytes
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().startswith("Found 100 articles")


# --- 8: UTF-16 and UTF-32 ---

@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                        (codecs.BOM_UTF32_LE, "utf-32-le")])
@pytest.mark.parametrize("name", ["story.txt", "story", "page.html"])
def test_text_with_a_utf16_or_utf32_bom_is_text(tmp_path, bom, codec, name):
    body = make_bad_inputs.page("marker-bom").decode() if name.endswith(".html") else STORY
    path = tmp_path / name
    path.write_bytes(bom + body.encode(codec))
    [article] = read(path)
    assert isinstance(article, Article), article
    assert "Mira Okafor" in article.text or "Hannes Vogt" in article.text
    assert not article.text.startswith("\ufeff")


def test_utf16_without_a_bom_is_read_when_named(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.encode("utf-16-le"))
    assert errors(read(path)) == [f"{path}: binary file, not text"]
    [article] = read(path, encoding="utf-16-le")
    assert article.text == STORY


# --- 9: gzip bombs ---

def test_a_gzip_bomb_page_is_stopped_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_INPUT_ENV, str(CAP))
    bomb = tmp_path / "bomb.html.gz"
    make_bad_inputs._bomb(bomb, 64 * CAP)  # 64 MB of zeros in about 64 KB
    assert bomb.stat().st_size < CAP
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    items = read(bomb, story)
    assert errors(items) == [f"{bomb}: over the 1 MB limit ({MAX_INPUT_ENV}); not read"]
    assert len(articles(items)) == 1


def test_a_file_just_under_the_limit_is_read(tmp_path, monkeypatch):
    data = (STORY * 100).encode()
    monkeypatch.setenv(MAX_INPUT_ENV, str(len(data)))
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(data))
    [article] = read(path)
    assert article.text == data.decode()
    monkeypatch.setenv(MAX_INPUT_ENV, str(len(data) - 1))
    assert errors(read(path)) == [f"{path}: over the {len(data) - 1:,} bytes limit ({MAX_INPUT_ENV}); not read"]


def test_a_warc_page_over_the_limit_is_one_error_and_the_next_page_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_INPUT_ENV, str(CAP))
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, body in enumerate([b"<html><body>" + b" " * (2 * CAP) + b"</body></html>",
                                  make_bad_inputs.page("marker-after")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response",
                                                          payload=BytesIO(body), http_headers=headers))
    items = read(path)
    assert errors(items) == [f"{path}#1: page over the 1 MB limit ({MAX_INPUT_ENV}); not read"]
    assert [a.url for a in articles(items)] == ["https://example.org/1"]


def test_a_jsonl_line_over_the_limit_is_skipped_and_the_next_read(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_INPUT_ENV, "1000")
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "After."}) + "\n")
    items = read(path)
    assert errors(items) == [f"{path}:1: line over the 1,000 bytes limit ({MAX_INPUT_ENV}); not read"]
    assert [a.text for a in articles(items)] == ["After."]


# --- 10: CSV quotes that never close ---

def test_an_unclosed_quote_is_reported_where_its_record_starts_and_stores_no_garbage(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text('title,text\none,First story.\ntwo,"Never closed\nthree,Third story.\nfour,Fourth story.\n')
    items = read(path)
    assert errors(items) == [
        f"{path}:3: unclosed quote: the record starting here runs to the end of the file; skipped"]
    assert [a.text for a in articles(items)] == ["First story.", "Third story.", "Fourth story."]
    assert [a.source for a in articles(items)] == [f"{path}:2", f"{path}:4", f"{path}:5"]


def test_a_stray_quote_that_closes_too_early_is_reported_at_its_record(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text('title,text\none,"First, story."\ntwo,"Never closed\nthree,"Third, story."\n')
    items = read(path)
    [err] = errors(items)
    assert err.startswith(f"{path}:3: unclosed or stray quote: the record starting here breaks on line 4")
    assert [a.text for a in articles(items)] == ["First, story.", "Third, story."]


def test_a_record_spanning_too_many_lines_is_stopped_and_the_records_it_swallowed_are_read(tmp_path):
    path = tmp_path / "dump.csv"
    rows = "".join(f"t{n},Story {n}.\n" for n in range(MAX_CSV_RECORD_LINES + 10))
    path.write_text('title,text\none,"Never closed\n' + rows + 'last,"Closed at last"\n')
    items = read(path)
    assert errors(items) == [f"{path}:2: unclosed quote: the record starting here runs past "
                             f"{MAX_CSV_RECORD_LINES:,} lines; skipped"]
    assert len(articles(items)) == MAX_CSV_RECORD_LINES + 10 + 1


def test_a_file_of_unclosed_quotes_is_given_up_after_a_few(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text("title,text\n" + 'x,"open\n' * 200)
    errs = errors(read(path))
    assert len(errs) == MAX_UNCLOSED_QUOTES + 1
    assert errs[-1].endswith(f"more than {MAX_UNCLOSED_QUOTES} unclosed quotes; the rest of the file is not read")


def test_multi_line_cells_and_doubled_quotes_still_read(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text('title,text\none,"Para one.\n\n""Quoted,"" she said."\ntwo,Second.\n')
    items = read(path)
    assert errors(items) == []
    assert [a.text for a in articles(items)] == ['Para one.\n\n"Quoted," she said.', "Second."]
    assert articles(items)[1].source == f"{path}:5"


# --- 11: file names printed safely; gzipped dumps read ---

@SETTINGS
@given(name=st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12))
def test_any_file_name_prints_on_one_line_without_control_characters(tmp_path, name):
    path = tmp_path / f"{name}.txt"
    try:
        path.write_bytes(b"")
    except OSError:
        return  # a name this file system refuses
    [err] = errors(read(path))
    assert "\n" not in err and "\r" not in err and "\x1b" not in err
    assert all(c.isprintable() or c == " " for c in err)
    assert err == f"{printable(str(path))}: empty text, nothing to read"


def test_a_file_name_that_is_not_utf8_prints_its_bytes_escaped(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9\x1b[2J.txt"
    with open(raw, "wb") as fp:
        fp.write(b"\x00")
    folder = tmp_path
    result = run(["extract", folder])
    stderr = result.stderr.decode("utf-8")  # printable: a terminal shows it, the shell can decode it
    assert f"{tmp_path}/caf\\xe9\\x1b[2J.txt: binary file, not text" in stderr.splitlines()


@pytest.mark.parametrize("name, data", [
    ("dump.jsonl.gz", b'{"text": "One."}\n{"text": "Two."}\n'),
    ("dump.ndjson.gz", b'{"text": "One."}\n{"text": "Two."}\n'),
    ("dump.json.gz", b'[{"text": "One."}, {"text": "Two."}]'),
    ("dump.csv.gz", b"text\nOne.\nTwo.\n"),
    ("dump.tsv.gz", b"title\ttext\na\tOne.\nb\tTwo.\n"),
    ("one.txt.gz", b"One."),
])
def test_gzipped_dumps_in_a_folder_are_read(tmp_path, name, data):
    (tmp_path / name).write_bytes(gzip.compress(data))
    items = read(tmp_path)
    assert errors(items) == [] and not [i for i in items if isinstance(i, Skipped)]
    assert [a.text for a in articles(items)] == (["One."] if name.startswith("one") else ["One.", "Two."])


def test_a_broken_jsonl_gz_keeps_the_lines_before_the_break(tmp_path):
    data = gzip.compress(b"".join(json.dumps({"text": f"Story {n}."}).encode() + b"\n" for n in range(2000)))
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    assert 0 < len(articles(items)) < 2000
    [err] = errors(items)
    assert err.startswith(f"{path}:") and "not a readable gzip file from here on" in err


def test_reading_stdin_from_a_pipe_still_works(tmp_path):
    items = read("-", stdin=io.BytesIO(STORY.encode()))
    assert [a.text for a in articles(items)] == [STORY]
