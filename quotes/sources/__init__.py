"""Read inputs of every kind and turn them into Articles.

`iter_articles` takes what the user typed (files, folders, "-" for stdin, URLs) and
yields, in order, an Article for each article found, an InputError for each input
that could not be read (the run goes on), and a Skipped for things passed over on
purpose (a WARC record that is not a page). One module per input kind:

    text.py     .txt .md .markdown .text, files with no extension, stdin
    records.py  .jsonl .ndjson .json .csv .tsv dumps, one record an article
    html.py     .html .htm pages, with trafilatura
    warc.py     .warc .warc.gz crawls, with warcio
    web.py      http(s) URLs, fetched in a small thread pool

Every kind but WARC is also read gzipped (``dump.jsonl.gz``). No input is read past
common.MAX_INPUT_BYTES, and folders give only their regular files (a named pipe in one
would wait forever for a writer).
"""
from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path
from itertools import chain
from typing import Callable, Iterable, Iterator, Union

from ..model import Article
from .common import (ArticleMeta, DecodeError, InputError, ReadFailure, Skipped, bom_encoding, decode,
                     looks_binary, max_input_bytes, read_input, too_large)
from .dates import BadDate, normalize_date
from .records import FIELD_NAMES, bounded_lines, jsonl_records, parse_field_map, read_csv, read_json, read_jsonl
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
        name = name[:-3]
        if name.endswith(".meta.json") or not Path(name).suffix:
            return None
    suffix = Path(name).suffix
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                           ("json", JSON_SUFFIXES), ("csv", CSV_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if suffix in suffixes:
            return kind
    return "sniff" if not suffix else None


def _head(data: bytes, encoding: str | None) -> bytes:
    """The first bytes of `data`, as UTF-8 when they are in another encoding (UTF-16...), to sniff."""
    codec = bom_encoding(data) or (encoding if encoding and encoding.lower() != "auto" else None)
    if codec is None:
        return data[:1024]
    try:
        return data[:4096].decode(codec, "replace").encode()
    except LookupError:
        return data[:1024]  # an unknown encoding is reported when the text is decoded


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
            yield from _read_stdin(stream, defaults, field_map, encoding, on_read)
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


def _read_stdin(stream, defaults, field_map, encoding, on_read) -> Iterator[Item]:
    """JSON Lines, streamed, when the first line starts with "{" (news text hardly does);
    else one article, read up to the size limit."""
    limit = max_input_bytes()
    head = bytearray()
    while len(head) <= limit:  # the blank lines before the first line, and that line
        line = stream.readline(limit + 1)
        head += line
        if not line or line.strip():
            break
    if len(line) > limit and not line.endswith(b"\n"):
        yield InputError("-", head.count(b"\n") + 1, str(too_large(limit, "line over")), "too large")
        return
    if head.lstrip()[:1] == b"{":
        lines = chain(io.BytesIO(bytes(head)), bounded_lines(stream, limit, endless=True))
        yield from jsonl_records(lines, "-", defaults, field_map, encoding, on_read)
        return
    data = bytes(head) + stream.read(max(limit - len(head), 0) + 1)
    on_read(len(data))
    if len(data) > limit:
        yield InputError("-", None, str(too_large(limit)), "too large")
        return
    yield from _read_data(data, "-", "sniff", defaults, encoding)


def regular_file(path: Path) -> bool:
    """False for pipes, devices and sockets; a path that cannot be looked at is left to the reader."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _read_path(path: Path, defaults, field_map, encoding, on_read) -> Iterator[Item]:
    if path.is_dir():
        for child in walk(path):
            if child.name.lower().endswith(".meta.json"):
                continue  # a sidecar, read with its article
            if input_kind(child) is None:
                yield Skipped(str(child), "not an article file")
                continue
            if not regular_file(child):  # a named pipe would wait for a writer; a device never ends
                yield Skipped(str(child), "not a regular file")
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
                         "(.txt .md), HTML (.html .htm), JSON, JSONL, CSV or WARC (each may be .gz)",
                         "unsupported")
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
            data = read_input(path)
            on_read(path.stat().st_size)
            yield from _read_data(data, source, kind, defaults, encoding, meta)
    except ReadFailure as e:  # over the size limit, broken gzip data
        yield InputError(source, None, str(e), e.reason)
    except OSError as e:  # permission denied, a vanished file, a disk error
        yield InputError(source, None, f"cannot read: {e.strerror or e}", "unreadable")


def _read_data(data: bytes, source: str, kind: str, defaults, encoding, meta=None) -> Iterator[Item]:
    if kind == "sniff":
        if not encoding and looks_binary(data):  # a named encoding (UTF-16...) may hold NUL bytes
            yield InputError(source, None, "binary file, not text", "binary")
            return
        kind = _sniff(_head(data, encoding))
    if kind == "html":
        from .html import html_article

        html: bytes | str = data
        if encoding or bom_encoding(data):  # trafilatura would take UTF-16 for binary
            try:
                html = decode(data, encoding)
            except DecodeError as e:
                yield InputError(source, None, str(e), e.reason)
                return
        yield html_article(html, source, defaults, override=meta)
    else:
        yield from text_article(data, source, defaults, encoding, meta)
