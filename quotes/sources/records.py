"""Dumps of many articles: JSON Lines and CSV, one record an article.

Fields are found under their usual names (FIELD_NAMES); ``--field text=article_body``
points one of ours at a column of theirs, and a dotted name (``outlet=source.name``)
reaches into a nested JSON object.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Iterable, Iterator

from .common import ArticleMeta, DecodeError, InputError, build_article, decode

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
    if encoding and encoding.lower() == "auto":
        from charset_normalizer import from_bytes

        with open(path, "rb") as fp:
            best = from_bytes(fp.read(1 << 20)).best()
        # a first megabyte of plain ASCII says nothing about the rest: UTF-8 covers both
        encoding = best.encoding if best and best.encoding != "ascii" else None
    with open(path, "rb") as fp:
        yield from jsonl_records(fp, str(path), defaults, field_map, encoding, on_read)


def jsonl_records(lines: Iterable[bytes], source: str, defaults: ArticleMeta, field_map: dict,
                  encoding: str | None, on_read=lambda n: None) -> Iterator:
    """One Article (or InputError) per non-blank line; also reads JSONL piped to stdin."""
    if encoding and encoding.lower() == "auto":
        encoding = None  # guessing is done on the whole file, by read_jsonl
    for n, raw in enumerate(lines, 1):
        on_read(len(raw))
        if not raw.strip():
            continue
        try:
            line = decode(raw, encoding)
        except DecodeError as e:
            yield InputError(source, n, str(e), e.reason)
            if e.reason == "binary":
                return
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(source, n, f"malformed JSON: {e.msg} (column {e.colno})", "bad JSON")
            continue
        yield record_article(record, source, n, defaults, field_map)


def read_json(path: Path, defaults: ArticleMeta, field_map: dict, encoding: str | None) -> Iterator:
    """A .json file: an array of records (item N named ``path[N]``, from 1), or one record."""
    source = str(path)
    try:
        data = json.loads(decode(path.read_bytes(), encoding))
    except DecodeError as e:
        yield InputError(source, None, str(e), e.reason)
        return
    except json.JSONDecodeError as e:
        yield InputError(source, e.lineno, f"malformed JSON: {e.msg} (column {e.colno})", "bad JSON")
        return
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
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = text.split("\n", 1)[0]
    return max(",;\t|", key=lambda c: (header.count(c), c == ","))


def read_csv(path: Path, defaults: ArticleMeta, field_map: dict, encoding: str | None) -> Iterator:
    source = str(path)
    data = path.read_bytes()
    try:
        text = decode(data, encoding)
    except DecodeError as e:
        yield InputError(source, None, str(e), e.reason)
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, text))
    try:
        header = next(reader)
    except StopIteration:
        yield InputError(source, None, "empty CSV file", "empty")
        return
    except csv.Error as e:
        yield InputError(source, 1, f"bad CSV: {e}", "bad CSV")
        return
    header = [h.strip() for h in header]
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield InputError(source, line, f"bad CSV: {e}", "bad CSV")
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield InputError(source, line, f"{len(row)} cells but the header names {len(header)}", "bad CSV")
            continue
        yield record_article(dict(zip(header, row)), source, line, defaults, field_map)
