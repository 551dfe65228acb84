"""WARC crawls (.warc, .warc.gz): every HTML page captured with status 200 is an article.

The page's URL is the record's WARC-Target-URI, unless the page names a canonical URL.
The page's own publication date wins; when it has none, the capture day (WARC-Date)
stands in, since a page cannot have been published after it was captured. Other
records (requests, metadata, revisits, images, redirects) are passed over and counted.
"""
from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .common import ArticleMeta, InputError, Skipped, max_input_bytes, too_large
from .html import html_article

HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b"


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None


def page_body(body: bytes, content_type: str | None) -> bytes | str:
    """Decode with the server's charset when it gave one; else trafilatura reads the page's own."""
    charset = charset_of(content_type)
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return body


class _Truncated(Exception):
    """A record whose Content-Length promises more bytes than the file holds."""

    def __init__(self, uri: str | None, missing: int | None):
        if missing is None:
            message = "the next record's headers are cut off"
        else:
            message = f"the next record{f' <{uri}>' if uri else ''} lacks {missing:,} bytes"
        super().__init__(message)


class _GzipWatch:
    """The file as warcio reads it, with each gzip member checked to its end.

    warcio stops quietly when a member is cut short (most often the last one, when
    a crawl was copied or downloaded half-way), which would lose a record without a
    word; zlib, fed the same bytes, knows whether the last member was complete.
    """

    def __init__(self, fp):
        self.fp = fp
        self.member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.started = False  # some bytes of the current member were seen
        self.error: str | None = None

    def read(self, size: int = -1) -> bytes:
        data = rest = self.fp.read(size)
        while rest and self.error is None:
            if self.member.eof:
                self.member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self.started = True
            try:
                self.member.decompress(rest)
            except zlib.error as e:  # corrupt, not cut: warcio reports it
                self.error = str(e)
                break
            rest = self.member.unused_data if self.member.eof else b""
        return data

    def tell(self) -> int:
        return self.fp.tell()

    @property
    def cut(self) -> bool:
        """True when the file ends inside a gzip member."""
        return self.error is None and self.started and not self.member.eof


def read_warc(path: Path, defaults: ArticleMeta, on_read=lambda n: None) -> Iterator:
    """Every record of a crawl: an Article, a Skipped or an InputError; a cut-off file
    keeps the records before the cut and ends with one error saying where.

    A .warc.gz is most often one gzip member a record, which warcio reads; one made by
    `gzip crawl.warc` is a single stream, which warcio stops at after the first record:
    that file is read again whole, inflated as it is read, from the record it stopped at.
    """
    with open(path, "rb") as raw:
        watch = _GzipWatch(raw) if raw.read(2) == GZIP_MAGIC else None
        raw.seek(0)
        stopped_at = yield from _read_records(path, raw, watch or raw, watch, defaults, on_read)
        if stopped_at is not None:
            raw.seek(0)
            whole = _Inflated(raw)
            yield from _read_records(path, raw, whole, whole, defaults, on_read, skip=stopped_at)


class _Inflated:
    """A gzip file inflated as warcio reads it, every member in turn, as one uncompressed WARC.

    Unlike GzipFile, which raises and drops what it had, a file cut short gives every
    byte before the cut, and `cut` says so; corrupt data ends it with `error`.
    """

    CHUNK = 1 << 16  # compressed bytes read at a time, and 16 times that inflated at most

    def __init__(self, fp):
        self.fp = fp
        self.member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.started = False  # some bytes of the current member were fed
        self.cut = False
        self.error: str | None = None
        self.pending = bytearray()
        self.offset = 0  # uncompressed bytes handed out

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self.pending) < size) and self._inflate_more():
            pass
        size = len(self.pending) if size < 0 else min(size, len(self.pending))
        data = bytes(self.pending[:size])
        del self.pending[:size]
        self.offset += size
        return data

    def _inflate_more(self) -> bool:
        """Inflate a little more into `pending`; False at the end of the file, cut or corrupt."""
        if self.error is not None:
            return False
        if self.member.eof:
            data = self.member.unused_data or self.fp.read(self.CHUNK)
            if not data:
                return False
            self.member, self.started = zlib.decompressobj(16 + zlib.MAX_WBITS), False
        else:
            data = self.member.unconsumed_tail or self.fp.read(self.CHUNK)
            if not data:
                self.cut = self.started
                return False
        self.started = True
        try:
            self.pending += self.member.decompress(data, 16 * self.CHUNK)
        except zlib.error as e:
            self.error = str(e)
            return False
        return True

    def tell(self) -> int:
        return self.offset


def _read_records(path: Path, raw, fp, watch: _GzipWatch | _Inflated | None, defaults: ArticleMeta, on_read,
                  skip: int = 0):
    """The records of `fp`: the file as it is, watched (`watch`, each gzip member checked),
    or inflated whole (`skip` records already read). Returns the count of records read when
    the file turns out to be a single gzip stream warcio cannot read record by record, else None."""
    n = done = 0
    archive = ArchiveIterator(fp)
    records = iter(archive)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as e:  # noqa: BLE001 - warcio fails in many ways on a cut or corrupt file
            if isinstance(watch, _GzipWatch) and _single_stream(e):
                return n
            yield _failure(path, n, e, watch)
            return None
        if record.format != "warc":  # warcio reads any text as an old ARC file
            where = "not a readable WARC file" if n == 0 else f"unreadable after record {n}"
            yield InputError(str(path), None, f"{where}: record {n + 1} is not a WARC record", "bad WARC")
            return None
        try:
            item = _checked_record(record, f"{path}#{n + 1}", defaults, drain_only=n < skip)
        except _Truncated as e:
            yield _truncated(path, n, e)
            return None
        n += 1
        on_read(raw.tell() - done)  # compressed bytes, read ahead a little: near enough
        done = raw.tell()
        if item is not None:
            yield item
    if watch is not None and watch.cut:
        yield _truncated(path, n, None)
    elif watch is not None and watch.error:
        yield _corrupt(path, n, watch.error)
    elif watch is None and archive.offset < os.fstat(raw.fileno()).st_size:
        # warcio ends quietly on a record cut in its first lines; it stopped short of the end
        yield _truncated(path, n, _Truncated(None, None))
    elif n == 0:
        yield InputError(str(path), None, "not a readable WARC file: no records", "bad WARC")
    return None


def _single_stream(e: Exception) -> bool:
    """warcio's way of saying "one gzip stream, not a member per record" (it suggests `warcio recompress`)."""
    return isinstance(e, ArchiveLoadFailed) and "non-chunked gzip" in str(e)


def _checked_record(record, source: str, defaults: ArticleMeta, drain_only: bool = False):
    """The record's item (None when only draining a record read before), or _Truncated."""
    length = record.rec_headers.get_header("Content-Length") or ""
    if not length.strip().isdigit():  # the WARC standard requires it: the headers were cut
        raise _Truncated(None, None)
    item = None if drain_only else _record(record, source, defaults)
    missing = _missing(record)
    if missing:
        raise _Truncated(record.rec_headers.get_header("WARC-Target-URI"), missing)
    return item


def _failure(path: Path, n: int, e: Exception, watch: _GzipWatch | _Inflated | None) -> InputError:
    """The one error for a crawl warcio could not go on reading after record `n`."""
    if watch is not None and watch.cut:
        return _truncated(path, n, None)
    if watch is not None and watch.error:
        return _corrupt(path, n, watch.error)
    if n == 0:
        return InputError(str(path), None, f"not a readable WARC file: {_reason(e)}", "bad WARC")
    return InputError(str(path), None, f"unreadable after record {n}: {_reason(e)}", "bad WARC")


def _missing(record) -> int:
    """Bytes of the record's body that its Content-Length promised and the file lacks."""
    stream = record.raw_stream
    while stream.read(65536):
        pass
    return getattr(stream, "limit", 0)


def _truncated(path: Path, n: int, detail: Exception | None) -> InputError:
    where = f"truncated after record {n}" if n else "truncated in its first record"
    message = f"{where}: {detail}" if detail else f"{where} (a gzip member is cut short)"
    return InputError(str(path), None, message, "truncated WARC")


def _corrupt(path: Path, n: int, error: str) -> InputError:
    where = f"unreadable after record {n}" if n else "not a readable WARC file"
    return InputError(str(path), None, f"{where}: corrupt gzip data ({error})", "bad WARC")


def _reason(e: Exception) -> str:
    if isinstance(e, ArchiveLoadFailed):
        return str(e)
    return f"malformed record headers ({type(e).__name__})"  # warcio trips over its own None


def _record(record, source: str, defaults: ArticleMeta):
    if record.rec_type != "response":
        return Skipped(source, f"WARC {record.rec_type}")
    if record.http_headers is None:
        return Skipped(source, "WARC non-HTTP response")
    status = record.http_headers.get_statuscode()
    if status != "200":
        return Skipped(source, "WARC non-200 response")
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not content_type.split(";")[0].strip().lower() in HTML_TYPES:
        return Skipped(source, "WARC non-HTML response")
    uri = record.rec_headers.get_header("WARC-Target-URI")
    captured = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    limit = max_input_bytes()
    body = record.content_stream().read(limit + 1)  # a page inflated from Content-Encoding too
    if len(body) > limit:
        return InputError(source, None, str(too_large(limit, "page over")), "too large")
    missing = _missing(record)
    if missing:  # warcio stops quietly at the end of a cut-off file: no half pages
        raise _Truncated(uri, missing)
    return html_article(page_body(body, content_type), source, defaults,
                        url=uri, fallback={"url": uri, "published": captured})
