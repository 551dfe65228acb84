"""WARC crawls (.warc, .warc.gz): every HTML page captured with status 200 is an article.

The page's URL is the record's WARC-Target-URI, unless the page names a canonical URL.
The page's own publication date wins; when it has none, the capture day (WARC-Date)
stands in, since a page cannot have been published after it was captured. Other
records (requests, metadata, revisits, images, redirects) are passed over and counted.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .common import ArticleMeta, InputError, Skipped
from .html import html_article

HTML_TYPES = ("text/html", "application/xhtml+xml")


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


def read_warc(path: Path, defaults: ArticleMeta, on_read=lambda n: None) -> Iterator:
    n = done = 0
    try:
        with open(path, "rb") as fp:
            for n, record in enumerate(ArchiveIterator(fp), 1):
                if record.format != "warc":  # warcio reads any text as an old ARC file
                    raise ArchiveLoadFailed(f"record {n} is not a WARC record")
                item = _record(record, f"{path}#{n}", defaults)
                on_read(fp.tell() - done)  # compressed bytes, read ahead a little: near enough
                done = fp.tell()
                yield item
    except ArchiveLoadFailed as e:
        where = "not a readable WARC file" if n <= 1 else f"unreadable after record {n - 1}"
        yield InputError(str(path), None, f"{where}: {e}", "bad WARC")
    except (OSError, EOFError) as e:  # a truncated gzip member
        yield InputError(str(path), None, f"unreadable after record {n}: {e}", "bad WARC")


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
    body = record.content_stream().read()
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # warcio stops quietly at the end of a cut-off file
        return InputError(source, None, f"truncated record <{uri}>: {missing} bytes missing", "bad WARC")
    return html_article(page_body(body, content_type), source, defaults,
                        url=uri, fallback={"url": uri, "published": captured})
