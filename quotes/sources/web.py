"""Pages fetched over HTTP(S): a few at a time, politely, retrying what may pass.

Fetching runs in a small thread pool (the network is the slow part); reading the
pages stays in the caller's thread. Connection errors, timeouts, 5xx and 429 are
retried with exponential backoff (honouring a short Retry-After); other HTTP errors
are reported at once. Results come back in the order the URLs were given.
"""
from __future__ import annotations

import gzip
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Iterable, Iterator

from .common import ArticleMeta, InputError
from .html import html_article
from .text import text_article
from .warc import HTML_TYPES, charset_of, page_body

try:
    _VERSION = version("quotes")
except PackageNotFoundError:  # running from a checkout that was never installed
    _VERSION = "0"

USER_AGENT = f"quotes/{_VERSION} (news quote extraction; +https://pypi.org/project/quotes/)"
BACKOFF_SECONDS = 1.0  # first wait; doubles on each retry
MAX_RETRY_AFTER = 30.0
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Page:
    url: str  # as given
    final_url: str  # after redirects
    content_type: str
    body: bytes


class FetchError(Exception):
    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def fetch(url: str, *, timeout: float = 30.0, retries: int = 3) -> Page:
    """GET one page, retrying transient failures; raises FetchError with a one-line message."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("not an http(s) URL", "bad URL")
    try:
        request = urllib.request.Request(
            urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~"),
            headers={"User-Agent": USER_AGENT,
                     "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"},
        )
    except ValueError as e:
        raise FetchError(f"bad URL: {e}", "bad URL") from None
    attempt = 0
    while True:
        wait = BACKOFF_SECONDS * 2**attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise FetchError(f"page larger than {MAX_BYTES // 2**20} MB, skipped", "too large")
                body = _decompress(body, response.headers.get("Content-Encoding"))
                return Page(url, response.geturl(), response.headers.get("Content-Type") or "", body)
        except urllib.error.HTTPError as e:
            if e.code != 429 and e.code < 500:
                raise FetchError(f"HTTP {e.code} {e.reason}", f"HTTP {e.code}") from None
            problem, reason = f"HTTP {e.code} {e.reason}", f"HTTP {e.code}"
            wait = max(wait, _retry_after(e.headers.get("Retry-After")))
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            cause = getattr(e, "reason", None) or e
            problem, reason = f"cannot fetch: {cause}", "connection failed"
        if attempt >= retries:
            tries = f" after {attempt + 1} tries" if attempt else ""
            raise FetchError(problem + tries, reason)
        time.sleep(wait)
        attempt += 1


def _retry_after(value: str | None) -> float:
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value))) if value else 0.0
    except ValueError:
        return 0.0  # an HTTP date: our own backoff will do


def _decompress(body: bytes, encoding: str | None) -> bytes:
    encoding = (encoding or "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error, EOFError) as e:
        raise FetchError(f"bad {encoding} body: {e}", "bad response") from None
    return body


def page_article(page: Page, defaults: ArticleMeta):
    """A fetched page -> Article (HTML or plain text), or the error saying why not."""
    mime = page.content_type.split(";")[0].strip().lower()
    if mime in HTML_TYPES or (not mime and page.body.lstrip()[:1] == b"<"):
        return html_article(page_body(page.body, page.content_type), page.url, defaults,
                            url=page.final_url, fallback={"url": page.final_url})
    if mime == "text/plain":
        [item] = text_article(page.body, page.url, defaults, charset_of(page.content_type), {"url": page.final_url})
        return item
    return InputError(page.url, None, f"not an HTML or text page ({mime or 'no content type'})", "not HTML")


def fetch_articles(
    urls: Iterable[str], defaults: ArticleMeta, *, concurrency: int = 4, timeout: float = 30.0, retries: int = 3,
    on_read=lambda n: None,
) -> Iterator:
    """Fetch `urls` with at most `concurrency` requests at once; yield in the order given."""

    def job(url: str):
        try:
            return fetch(url, timeout=timeout, retries=retries)
        except FetchError as e:
            return InputError(url, None, str(e), e.reason)

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="quotes-fetch") as pool:
        pending: deque = deque()
        for url in urls:
            pending.append(pool.submit(job, url))
            if len(pending) >= concurrency * 2:
                yield _result(pending.popleft().result(), defaults, on_read)
        while pending:
            yield _result(pending.popleft().result(), defaults, on_read)


def _result(outcome, defaults: ArticleMeta, on_read):
    if isinstance(outcome, InputError):
        return outcome
    on_read(len(outcome.body))
    return page_article(outcome, defaults)
