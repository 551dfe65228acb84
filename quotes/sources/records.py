"""Dumps of many articles: JSON Lines and CSV, one record an article.

Fields are found under their usual names (FIELD_NAMES); ``--field text=article_body``
points one of ours at a column of theirs, and a dotted name (``outlet=source.name``)
reaches into a nested JSON object.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import stat
import sys
import zlib
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .common import (ArticleMeta, DecodeError, InputError, ReadFailure, build_article, decode, is_gzip_name,
                     max_input_bytes, open_input, read_input, too_large)

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects read in one JSON record (64): news records need a few
levels; 100,000 brackets would overflow Python's parser, so a deeper line or file is one error."""

MAX_CSV_RECORD_LINES = 5_000
"""Most lines one CSV record may span (5,000, a long book's worth of paragraphs): more means a
quote was never closed and the record is swallowing the file."""

MAX_UNCLOSED_QUOTES = 20
"""Records with an unclosed quote reported in one CSV file (20) before the rest of it is given up:
each is read again from the line after its start, and this keeps a hostile file from costing
MAX_CSV_RECORD_LINES lines of work for every line."""

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site"),
    "published": ("date", "published", "published_at"),
    "author": ("author", "byline"),
    "id": ("id",),
}
# What users may write left of "=" in --field, and the field each one sets.
FIELD_ALIASES = {name: name for name in FIELD_NAMES} | {"date": "published"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def parse_field_map(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """["text=article_body"] -> {"text": "article_body"}; ValueError names the bad pair."""
    out = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or not theirs or ours not in FIELD_ALIASES:
            raise ValueError(
                f"bad --field {pair!r}: expected FIELD=COLUMN with FIELD one of {', '.join(FIELD_ALIASES)}"
            )
        out[FIELD_ALIASES[ours]] = theirs
    return out


def _get(record: dict, key: str):
    if key in record:
        return record[key]
    value = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def record_article(record, source: str, line: int | None, defaults: ArticleMeta, field_map: dict):
    if not isinstance(record, dict):
        return InputError(source, line, f"not a JSON object but {type(record).__name__}", "bad record")
    meta = {}
    for ours, names in FIELD_NAMES.items():
        names = (field_map[ours],) if ours in field_map else names
        for name in names:
            value = _get(record, name)
            if value not in (None, ""):
                meta[ours] = value
                break
    text = meta.pop("text", None)
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        text = "\n\n".join(t.strip() for t in text if t.strip())  # a list of paragraphs
    if not isinstance(text, str) or not text.strip():
        looked = field_map.get("text") or ", ".join(FIELD_NAMES["text"])
        return InputError(source, line, f"record has no text (looked for {looked})", "no text")
    return build_article(text, source, line, meta, defaults)


def read_jsonl(path: Path, defaults: ArticleMeta, field_map: dict, encoding: str | None,
               on_read=lambda n: None) -> Iterator:
    """A .jsonl or .jsonl.gz file, streamed line by line: a dump may be larger than memory."""
    gz = is_gzip_name(path)
    if encoding and encoding.lower() == "auto":
        from charset_normalizer import from_bytes

        with open_input(path) as fp:
            best = from_bytes(fp.read(1 << 20)).best()
        # a first megabyte of plain ASCII says nothing about the rest: UTF-8 covers both
        encoding = best.encoding if best and best.encoding != "ascii" else None
    endless = not stat.S_ISREG(path.stat().st_mode)  # a pipe or device may never end
    with open_input(path) as fp:
        lines = bounded_lines(fp, max_input_bytes(), endless=endless)
        yield from jsonl_records(lines, str(path), defaults, field_map, encoding,
                                 (lambda n: None) if gz else on_read)
    if gz:  # the progress total counts bytes on disk
        on_read(path.stat().st_size)


def bounded_lines(fp: BinaryIO, limit: int, *, endless: bool = False) -> Iterator[bytes | ReadFailure]:
    """The lines of `fp`, none longer than `limit`: a longer one is a ReadFailure in its place.

    The rest of a long line is skipped; from a pipe or device (`endless`), which may never
    send a newline, the rest of the input is given up instead. Broken gzip data ends the
    lines with a ReadFailure.
    """
    try:
        while True:
            line = fp.readline(limit + 1)
            if not line:
                return
            if len(line) <= limit or line.endswith(b"\n"):
                yield line
                continue
            if endless:
                yield too_large(limit, "line over")
                return
            while (rest := fp.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield too_large(limit, "line over")
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        yield ReadFailure(f"not a readable gzip file from here on: {e}", "bad gzip")


def jsonl_records(lines: Iterable[bytes | ReadFailure], source: str, defaults: ArticleMeta, field_map: dict,
                  encoding: str | None, on_read=lambda n: None) -> Iterator:
    """One Article (or InputError) per non-blank line; also reads JSONL piped to stdin.

    A line holding a NUL byte is skipped with an error, the others are read, unless the
    first line is binary without looking like JSON: then the file is one error.
    """
    if encoding and encoding.lower() == "auto":
        encoding = None  # guessing is done on the whole file, by read_jsonl
    first = True
    for n, raw in enumerate(lines, 1):
        if isinstance(raw, ReadFailure):
            yield InputError(source, n, str(raw), raw.reason)
            continue
        on_read(len(raw))
        if not raw.strip():
            continue
        item = _jsonl_line(raw, source, n, defaults, field_map, encoding)
        if first and isinstance(item, InputError) and item.reason == "binary" and not raw.lstrip().startswith(b"{"):
            yield InputError(source, None, "binary file, not JSON Lines", "binary")
            return
        first = False
        yield item


def _jsonl_line(raw: bytes, source: str, n: int, defaults: ArticleMeta, field_map: dict, encoding: str | None):
    try:
        line = decode(raw, encoding)
    except DecodeError as e:
        if e.reason == "binary":
            return InputError(source, n, "the line holds a NUL byte (binary data); skipped", "binary")
        return InputError(source, n, str(e), e.reason)
    record = _parse_json(line, source, n)
    return record_article(record.value, source, n, defaults, field_map) if isinstance(record, _Parsed) else record


class _Parsed:
    """A JSON value parsed (`None` is a value too, so errors and values need telling apart)."""

    def __init__(self, value):
        self.value = value


# Strings (whose brackets do not count) and the brackets that nest.
_JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def nested_deeper_than(text: str, limit: int) -> bool:
    """True when arrays and objects in `text` nest more than `limit` deep, found without parsing."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the usual case, at the cost of two counts
    depth = 0
    for match in _JSON_NESTING.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _parse_json(text: str, source: str, line: int | None) -> _Parsed | InputError:
    """One JSON document, or the error naming where it fails; never a RecursionError."""
    too_deep = InputError(source, line, f"JSON nested deeper than {MAX_JSON_DEPTH} levels; not read", "too deep")
    if nested_deeper_than(text, MAX_JSON_DEPTH):
        return too_deep
    try:
        return _Parsed(json.loads(text))
    except RecursionError:
        return too_deep
    except json.JSONDecodeError as e:
        return InputError(source, line if line is not None else e.lineno,
                          f"malformed JSON: {e.msg} (column {e.colno})", "bad JSON")


def read_json(path: Path, defaults: ArticleMeta, field_map: dict, encoding: str | None) -> Iterator:
    """A .json file: an array of records (item N named ``path[N]``, from 1), or one record."""
    source = str(path)
    try:
        parsed = _parse_json(decode(read_input(path), encoding), source, None)
    except (DecodeError, ReadFailure) as e:
        yield InputError(source, None, str(e), e.reason)
        return
    if isinstance(parsed, InputError):
        yield parsed
        return
    data = parsed.value
    if isinstance(data, dict):
        yield record_article(data, source, None, defaults, field_map)
        return
    if not isinstance(data, list):
        yield InputError(source, None, "expected an array of records or one record", "bad record")
        return
    for n, record in enumerate(data, 1):
        yield record_article(record, f"{source}[{n}]", None, defaults, field_map)


def _delimiter(path: Path, text: str) -> str:
    """Tab for .tsv; else whichever of , ; tab | the header line uses most (European exports use ;)."""
    if path.name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    header = text.split("\n", 1)[0]
    return max(",;\t|", key=lambda c: (header.count(c), c == ","))


def read_csv(path: Path, defaults: ArticleMeta, field_map: dict, encoding: str | None) -> Iterator:
    """A .csv or .tsv file (or .gz), one record an article; a cell holding a NUL skips its record."""
    source = str(path)
    try:
        text = decode(read_input(path), encoding, allow_nul=True)
    except (DecodeError, ReadFailure) as e:
        yield InputError(source, None, str(e), e.reason)
        return
    rows = csv_rows(io.StringIO(text, newline="").readlines(), _delimiter(path, text))
    first = next(rows, None)
    if first is None:
        yield InputError(source, None, "empty CSV file", "empty")
        return
    line, header = first
    if isinstance(header, str):
        yield InputError(source, line, header, "bad CSV")
        return
    if any("\x00" in cell for cell in header):
        yield InputError(source, None, "binary file, not CSV", "binary")
        return
    header = [h.strip() for h in header]
    for line, row in rows:
        if isinstance(row, str):
            yield InputError(source, line, row, "bad CSV")
        elif not any(cell.strip() for cell in row):
            continue
        elif any("\x00" in cell for cell in row):
            yield InputError(source, line, "a cell holds a NUL byte (binary data); record skipped", "binary")
        elif len(row) > len(header):
            yield InputError(source, line, f"{len(row)} cells but the header names {len(header)}", "bad CSV")
        else:
            yield record_article(dict(zip(header, row)), source, line, defaults, field_map)


class _RunawayRecord(Exception):
    """A record still inside a quoted cell after MAX_CSV_RECORD_LINES lines."""


class _Lines:
    """A file's lines fed to csv.reader one at a time, so that each record's first line is
    known, a runaway record is stopped, and a record that ran into the end of the file (a
    quote never closed: a complete record never asks for the line after its own) is seen."""

    def __init__(self, lines: list[str], start: int):
        self.lines = lines
        self.next = self.record_start = start
        self.hit_end = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.next >= len(self.lines):
            self.hit_end = True
            raise StopIteration
        if self.next - self.record_start >= MAX_CSV_RECORD_LINES:
            raise _RunawayRecord
        self.next += 1
        return self.lines[self.next - 1]


def csv_rows(lines: list[str], delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """(line, cells) for every record, or (line, what is wrong) for one that cannot be read.

    The line is where the record starts. After a bad record, reading starts again on the
    line after its first, so one unclosed quote costs one record, not the rest of the file.
    """
    start, unclosed = 0, 0
    while start < len(lines):
        feed = _Lines(lines, start)
        reader = csv.reader(feed, delimiter=delimiter, strict=True)  # strict: a stray quote is an error
        while True:
            feed.record_start = feed.next
            try:
                row = next(reader)
            except StopIteration:
                return
            except (_RunawayRecord, csv.Error) as e:
                problem = _csv_problem(e, feed)
            else:
                if not feed.hit_end:
                    yield feed.record_start + 1, row
                    continue
                problem = _csv_problem(csv.Error("unexpected end of data"), feed)
            unclosed += problem.startswith("unclosed")
            if unclosed > MAX_UNCLOSED_QUOTES:
                yield feed.record_start + 1, (f"more than {MAX_UNCLOSED_QUOTES} unclosed quotes; "
                                              "the rest of the file is not read")
                return
            yield feed.record_start + 1, problem
            start = feed.record_start + 1
            break


def _csv_problem(error: Exception, feed: _Lines) -> str:
    """What is wrong with the record that starts at feed.record_start, in the user's words."""
    if isinstance(error, _RunawayRecord):
        return f"unclosed quote: the record starting here runs past {MAX_CSV_RECORD_LINES:,} lines; skipped"
    if feed.hit_end:
        return "unclosed quote: the record starting here runs to the end of the file; skipped"
    if "expected after" in str(error):
        return f"unclosed or stray quote: the record starting here breaks on line {feed.next} ({error}); skipped"
    return f"bad CSV: {error}; record skipped"
