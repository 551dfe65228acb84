"""Read inputs of every kind and turn them into Articles.

`iter_articles` takes what the user typed (files, folders, "-" for stdin, URLs) and
yields, in order, an Article for each article found, an InputError for each input
that could not be read (the run goes on), and a Skipped for things passed over on
purpose (a WARC record that is not a page). One module per input kind:

    text.py     .txt .md .markdown .text, files with no extension, stdin
    records.py  .jsonl .ndjson .json .csv .tsv dumps, one record an article
    html.py     .html .htm (.gz) pages, with trafilatura
    warc.py     .warc .warc.gz crawls, with warcio
    web.py      http(s) URLs, fetched in a small thread pool
"""
from __future__ import annotations

import gzip
import io
import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from ..model import Article
from .common import ArticleMeta, DecodeError, InputError, Skipped, decode, looks_binary
from .dates import BadDate, normalize_date
from .records import FIELD_NAMES, jsonl_records, parse_field_map, read_csv, read_json, read_jsonl
from .text import read_sidecar, text_article

# html, warc and web are imported when first needed: trafilatura takes a while to load.

__all__ = [
    "iter_articles", "ArticleMeta", "InputError", "Skipped", "BadDate", "normalize_date",
    "parse_field_map", "FIELD_NAMES", "input_kind", "read_url_list", "input_size",
]

Item = Union[Article, InputError, Skipped]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
WARC_SUFFIXES = {".warc"}


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def input_kind(path: Path) -> str | None:
    """"text", "html", "jsonl", "json", "csv", "warc", "sniff" (no extension) or None (not ours), by name."""
    name = path.name.lower()
    if name.endswith(".meta.json"):
        return None
    if name.endswith(".gz"):
        inner = Path(name[:-3]).suffix
        if inner in HTML_SUFFIXES:
            return "html"
        if inner in WARC_SUFFIXES:
            return "warc"
        return None
    suffix = path.suffix.lower()
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                           ("json", JSON_SUFFIXES), ("csv", CSV_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if suffix in suffixes:
            return kind
    return "sniff" if not suffix else None


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:200]:
        return "html"
    return "text"


def walk(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, sorted, hidden files and folders left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read_url_list(path: str) -> list[str] | InputError:
    """URLs from a file, one a line; blank lines and # comments skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        return InputError(path, None, f"cannot read URL list: {e.strerror or e}", "missing")
    except UnicodeDecodeError:
        return InputError(path, None, "URL list is not valid UTF-8", "not UTF-8")
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def iter_articles(
    inputs: Iterable[str],
    *,
    defaults: ArticleMeta | None = None,
    field_map: dict[str, str] | None = None,
    encoding: str | None = None,
    urls: Iterable[str] = (),
    concurrency: int = 4,
    timeout: float = 30.0,
    retries: int = 3,
    stdin=None,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[Item]:
    """Articles from every input, in order; URLs (among `inputs`, then `urls`) come last.

    `on_read(n)` is told of every n bytes of input consumed, for a progress bar.
    """
    defaults = defaults or ArticleMeta()
    field_map = field_map or {}
    on_read = on_read or _ignore
    web = []
    for value in inputs:
        if is_url(value):
            web.append(value)
        elif value == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            on_read(len(data))
            if data.lstrip()[:1] == b"{":  # JSON Lines piped in: news text hardly starts with {
                yield from jsonl_records(io.BytesIO(data), "-", defaults, field_map, encoding)
            else:
                yield from _read_data(data, "-", "sniff", defaults, encoding)
        else:
            yield from _read_path(Path(value), defaults, field_map, encoding, on_read)
    web.extend(urls)
    if web:
        from .web import fetch_articles

        yield from fetch_articles(web, defaults, concurrency=concurrency, timeout=timeout, retries=retries,
                                  on_read=on_read)


def _ignore(n: int) -> None:
    pass


def single_article(inputs: list[str] | tuple[str, ...]) -> bool:
    """True when `inputs` is one text or HTML file, stdin or one URL: one article at most."""
    if len(inputs) != 1:
        return False
    value = inputs[0]
    return value == "-" or is_url(value) or (
        not Path(value).is_dir() and input_kind(Path(value)) in ("text", "html", "sniff"))


def input_size(inputs: Iterable[str]) -> int | None:
    """Bytes of all the files `inputs` will read, or None when some size cannot be known (stdin, URLs)."""
    total = 0
    for value in inputs:
        if value == "-" or is_url(value):
            return None
        path = Path(value)
        files = (c for c in walk(path) if input_kind(c)) if path.is_dir() else [path]
        for f in files:
            try:
                total += f.stat().st_size
            except OSError:
                pass
    return total


def _read_path(path: Path, defaults, field_map, encoding, on_read) -> Iterator[Item]:
    if path.is_dir():
        for child in walk(path):
            if child.name.lower().endswith(".meta.json"):
                continue  # a sidecar, read with its article
            if input_kind(child) is None:
                yield Skipped(str(child), "not an article file")
                continue
            yield from _read_file(child, defaults, field_map, encoding, on_read)
    elif path.exists():
        yield from _read_file(path, defaults, field_map, encoding, on_read)
    else:
        yield InputError(str(path), None, "no such file or folder", "missing")


def _read_file(path: Path, defaults, field_map, encoding, on_read) -> Iterator[Item]:
    kind = input_kind(path)
    source = str(path)
    if kind is None:
        yield InputError(source, None, f"unsupported file type {path.suffix!r}: expected text "
                         "(.txt .md), HTML (.html .htm), JSON, JSONL, CSV or WARC", "unsupported")
        return
    try:
        if kind == "jsonl":
            yield from read_jsonl(path, defaults, field_map, encoding, on_read)
        elif kind == "json":
            yield from read_json(path, defaults, field_map, encoding)
            on_read(path.stat().st_size)
        elif kind == "csv":
            yield from read_csv(path, defaults, field_map, encoding)
            on_read(path.stat().st_size)
        elif kind == "warc":
            from .warc import read_warc

            yield from read_warc(path, defaults, on_read)
        else:
            meta = read_sidecar(path)
            if isinstance(meta, InputError):
                yield meta
                return
            data = path.read_bytes()
            on_read(len(data))
            if path.name.lower().endswith(".gz"):
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError) as e:
                    yield InputError(source, None, f"not a readable gzip file: {e}", "bad gzip")
                    return
            yield from _read_data(data, source, kind, defaults, encoding, meta)
    except OSError as e:  # permission denied, a vanished file, a disk error
        yield InputError(source, None, f"cannot read: {e.strerror or e}", "unreadable")


def _read_data(data: bytes, source: str, kind: str, defaults, encoding, meta=None) -> Iterator[Item]:
    if kind == "sniff":
        if looks_binary(data):
            yield InputError(source, None, "binary file, not text", "binary")
            return
        kind = _sniff(data)
    if kind == "html":
        from .html import html_article

        html: bytes | str = data
        if encoding:
            try:
                html = decode(data, encoding)
            except DecodeError as e:
                yield InputError(source, None, str(e), e.reason)
                return
        yield html_article(html, source, defaults, override=meta)
    else:
        yield from text_article(data, source, defaults, encoding, meta)
