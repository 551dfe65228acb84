"""Pages fetched over HTTP(S): a few at a time, politely, retrying what may pass, bounded in every way.

Fetching runs in a small thread pool (the network is the slow part); reading the
pages stays in the caller's thread. Connection errors, timeouts, 5xx and 429 are
retried with exponential backoff (honouring a short Retry-After); other HTTP errors
are reported at once. Results come back in the order the URLs were given.

A hostile or broken server cannot hold a fetch for long or fill memory: each try
(connect, TLS, headers, body, every redirect) ends at its deadline however slowly
the bytes drip, a URL gets at most TOTAL_TIMEOUTS x --timeout in all, the body is
capped on the wire and again once decompressed, and only a few http(s) redirects
are followed.
"""
from __future__ import annotations

import http.client
import socket
import threading
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

from ..model import Article
from .common import ArticleMeta, InputError, Notice, shown, web_url
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
TOTAL_TIMEOUTS = 2.0  # a URL's whole fetch, retries and waits included, takes at most this many --timeout
MIN_RETRY_SHARE = 0.25  # a retry is made only while this share of a --timeout is left for it
MAX_BYTES = 20 * 1024 * 1024  # 20 MB read off the wire for one page (compressed, if it is)
MAX_PAGE_BYTES = 32 * 1024 * 1024  # 32 MB of page once decompressed: a gzip bomb stops here
MAX_REDIRECTS = 5  # hops followed; the sixth redirect is an error
REDIRECT_CODES = (301, 302, 303, 307, 308)
CHUNK_BYTES = 64 * 1024  # read and inflate this much at a time
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class Page:
    url: str  # as given
    final_url: str  # after redirects
    content_type: str
    body: bytes


class FetchError(Exception):
    """A failure that trying again will not mend (a 404, a bad redirect, a page too large)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class _Transient(Exception):
    """A failure worth another try (a 503, a reset connection, a timeout)."""

    def __init__(self, problem: str, reason: str, retry_after: float = 0.0):
        super().__init__(problem)
        self.problem, self.reason, self.retry_after = problem, reason, retry_after


def fetch(url: str, *, timeout: float = 30.0, retries: int = 3) -> Page:
    """GET one page, retrying transient failures; raises FetchError with a one-line message.

    Each try is bounded by `timeout` as a whole; all tries and the waits between them by
    TOTAL_TIMEOUTS x `timeout`. A retry is made only while MIN_RETRY_SHARE of a `timeout` is left for it.
    """
    if not web_url(url):
        raise FetchError("not an http(s) URL", "bad URL")
    _request(url)  # a URL that cannot be requested fails once, not once a try
    give_up = time.monotonic() + timeout * TOTAL_TIMEOUTS
    attempt = 0
    while True:
        try:
            return _try(url, min(timeout, give_up - time.monotonic()), timeout)
        except _Transient as e:
            failure = e
        wait = max(BACKOFF_SECONDS * 2**attempt, failure.retry_after)
        if attempt >= retries or give_up - time.monotonic() - wait < timeout * MIN_RETRY_SHARE:
            tries = f" after {attempt + 1} tries" if attempt else ""
            raise FetchError(failure.problem + tries, failure.reason)
        time.sleep(wait)
        attempt += 1


def _try(url: str, seconds: float, timeout: float) -> Page:
    """One try at `url`, redirects followed, all within `seconds`; transient failures raise _Transient."""
    with _Deadline(seconds) as deadline:
        try:
            return _follow(url, deadline)
        except urllib.error.HTTPError as e:
            e.close()
            problem, reason = f"HTTP {e.code} {e.reason}", f"HTTP {e.code}"
            if e.code != 429 and e.code < 500:
                raise FetchError(problem, reason) from None
            raise _Transient(problem, reason, _retry_after(e.headers.get("Retry-After"))) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
            if deadline.expired or isinstance(getattr(e, "reason", e), TimeoutError):
                raise _Transient(f"timed out (no whole response within {timeout:g} s)", "timed out") from None
            cause = getattr(e, "reason", None) or e
            raise _Transient(f"cannot fetch: {cause}", "connection failed") from None


def _follow(url: str, deadline: _Deadline) -> Page:
    """GET `url`, following at most MAX_REDIRECTS redirects, and only to http(s) URLs."""
    opener = urllib.request.build_opener(_NoRedirects, _HTTPHandler(deadline), _HTTPSHandler(deadline))
    request = _request(url)
    seen = [request.full_url]
    while True:
        try:
            response = opener.open(request, timeout=deadline.left())
        except urllib.error.HTTPError as e:
            if e.code not in REDIRECT_CODES:
                raise
            e.close()
            request = _request(_redirect_target(request.full_url, e.headers.get("Location"), seen))
            seen.append(request.full_url)
            continue
        with response:
            body = _read_body(response, deadline)
            return Page(url, request.full_url, response.headers.get("Content-Type") or "", body)


def _redirect_target(current: str, location: str | None, seen: list[str]) -> str:
    """Where a redirect points, or the FetchError that ends the chain."""
    if not location or not location.strip():
        raise FetchError("redirect without a Location", "bad redirect")
    target = urllib.parse.urljoin(current, location.strip())
    if not web_url(target):
        raise FetchError(f"redirected to {shown(target)}: only http(s) redirects are followed", "bad redirect")
    if _request(target).full_url in seen:
        raise FetchError(f"redirect loop (back to {shown(target)})", "bad redirect")
    if len(seen) > MAX_REDIRECTS:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", "bad redirect")
    return target


def _request(url: str) -> urllib.request.Request:
    try:
        return urllib.request.Request(
            urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~"),
            headers={"User-Agent": USER_AGENT,
                     "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"},
        )
    except ValueError as e:
        raise FetchError(f"bad URL: {e}", "bad URL") from None


def _retry_after(value: str | None) -> float:
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value))) if value else 0.0
    except ValueError:
        return 0.0  # an HTTP date: our own backoff will do


# --- the deadline of one try -------------------------------------------------------------


class _Deadline:
    """One try's time limit for all of it, however slowly a server sends.

    A socket timeout bounds each read only, so a server sending a byte a second never
    trips it. A timer shuts the try's sockets when the time is up, which ends any read
    blocked on them. It holds duplicates of the sockets (a TLS wrap detaches the
    original), closed with the deadline, so it never shuts a socket it does not own.
    """

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def left(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock.dup())
            if self.expired:
                _shut(self._sockets[-1])

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _Watched(http.client.HTTPConnection):
    """A connection whose socket is handed to the try's deadline as soon as it is connected."""

    deadline: _Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTPS(http.client.HTTPSConnection, _Watched):
    """HTTPSConnection.connect calls _Watched.connect first, so the TLS handshake is watched too."""


def _connection(cls, deadline: _Deadline):
    def make(*args, **kwargs):
        conn = cls(*args, **kwargs)
        conn.deadline = deadline
        return conn
    return make


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):
        return self.do_open(_connection(_Watched, self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):
        return self.do_open(_connection(_WatchedHTTPS, self.deadline), req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as HTTPError, for _follow to check and count."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# --- the body: capped on the wire and once decompressed --------------------------------


def _read_body(response, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length") or ""
    if declared.strip().isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(f"page larger than {MAX_BYTES // 2**20} MB, skipped", "too large")
    inflater = _Inflater(response.headers.get("Content-Encoding"))
    received = 0
    while chunk := response.read(CHUNK_BYTES):
        received += len(chunk)
        if received > MAX_BYTES:
            raise FetchError(f"page larger than {MAX_BYTES // 2**20} MB, skipped", "too large")
        inflater.feed(chunk)
    if deadline.expired:  # the deadline shut the socket: what came is not the whole body
        raise TimeoutError("timed out")
    return inflater.result()


class _Inflater:
    """Undoes a Content-Encoding as the body arrives, refusing to grow past MAX_PAGE_BYTES.

    Output comes CHUNK_BYTES at a time (zlib's max_length), so a small gzip bomb costs
    at most the cap in memory, never what it would inflate to.
    """

    def __init__(self, encoding: str | None):
        self.coding = (encoding or "").strip().lower()
        if self.coding in ("", "identity"):
            self.wbits = 0
        elif self.coding in ("gzip", "x-gzip"):
            self.wbits = 16 + zlib.MAX_WBITS
        elif self.coding == "deflate":
            self.wbits = zlib.MAX_WBITS  # the zlib format, as HTTP's "deflate" means
        else:
            raise FetchError(f"unsupported Content-Encoding {shown(encoding or '')}", "bad response")
        self.out = bytearray()
        self._z = zlib.decompressobj(self.wbits) if self.wbits else None
        self._started = False

    def feed(self, data: bytes) -> None:
        if self._z is None:
            return self._keep(data)
        self._started = self._started or bool(data)
        try:
            while True:
                piece = self._z.decompress(data, CHUNK_BYTES)
                self._keep(piece)
                if self._z.eof:
                    data = self._z.unused_data
                    if not data.startswith(b"\x1f\x8b") or self.coding == "deflate":
                        return  # nothing more, or padding after the last gzip member
                    self._z = zlib.decompressobj(self.wbits)  # the next gzip member
                    continue
                data = self._z.unconsumed_tail
                if not data and len(piece) < CHUNK_BYTES:
                    return
        except zlib.error as e:
            raise FetchError(f"bad {self.coding} body: {e}", "bad response") from None

    def _keep(self, piece: bytes) -> None:
        self.out += piece
        if len(self.out) > MAX_PAGE_BYTES:
            raise FetchError(f"page larger than {MAX_PAGE_BYTES // 2**20} MB once decompressed "
                             f"({self.coding}), skipped", "too large")

    def result(self) -> bytes:
        if self._z is not None and self._started and not self._z.eof:
            raise FetchError(f"bad {self.coding} body: it stops before its end", "bad response")
        return bytes(self.out)


# --- pages to articles ---------------------------------------------------------------------


def other_host(url: str, final_url: str) -> str | None:
    """The host a redirect ended at, when it is not the one asked: host name and any port
    but the scheme's default (http://a -> https://a is the same host; :8001 -> :8002 is not)."""
    before, after = _host(url), _host(final_url)
    return after if after != before else None


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or ""
    return host if port in (None, _DEFAULT_PORTS.get(parts.scheme.lower())) else f"{host}:{port}"


def page_article(page: Page, defaults: ArticleMeta):
    """A fetched page -> Article (HTML or plain text), or the error saying why not."""
    mime = page.content_type.split(";")[0].strip().lower()
    if mime in HTML_TYPES or (not mime and page.body.lstrip()[:1] == b"<"):
        item = html_article(page_body(page.body, page.content_type), page.url, defaults,
                            url=page.final_url, fallback={"url": page.final_url})
    elif mime == "text/plain":
        [item] = text_article(page.body, page.url, defaults, charset_of(page.content_type), {"url": page.final_url})
    else:
        return InputError(page.url, None, f"not an HTML or text page ({mime or 'no content type'})", "not HTML")
    host = other_host(page.url, page.final_url)
    if host and isinstance(item, Article):
        item.notes.append(Notice(page.url, None, f"redirected to another host, {host}", "redirected to another host"))
    return item


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
