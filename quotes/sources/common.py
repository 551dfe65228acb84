"""What every reader shares: the error record, command-line metadata, decoding bytes."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ..model import Article
from .dates import BadDate, normalize_date


@dataclass(frozen=True)
class InputError:
    """One input (a file, a line of a dump, a URL) that could not become an article.

    `str(err)` is the one line the user sees: ``path:line: message``.
    """

    source: str
    line: int | None
    message: str
    reason: str = "unreadable"  # short, for counting in the summary: "not UTF-8", "no text"...

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Skipped:
    """Something deliberately passed over (a WARC record that is not a page): counted, not an error."""

    source: str
    reason: str


@dataclass
class ArticleMeta:
    """Metadata given on the command line; each field set here wins over the input's own."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None

    def apply(self, article: Article) -> Article:
        given = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}
        return replace(article, **given) if given else article


def clean(value) -> str | None:
    """Metadata values as one-line strings; empty means absent."""
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    value = " ".join(str(value).split())
    return value or None


# Tracking parameters say how a reader arrived, not which article it is.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def canonical_url(url: str | None) -> str | None:
    """The URL that identifies an article: no #fragment, no utm_* or click ids, lower-case host."""
    url = clean(url)
    if not url or not url.lower().startswith(("http://", "https://")):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not k.lower().startswith(_TRACKING)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept, quote_via=quote)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def build_article(
    text: str, source: str, line: int | None, meta: dict, defaults: ArticleMeta
) -> Article | InputError:
    """An Article from text and loose metadata, or the error that stops it (empty text, bad date)."""
    if not text or not text.strip():
        return InputError(source, line, "empty text, nothing to ingest", "empty")
    try:
        published = normalize_date(clean(meta.get("published")))
    except BadDate as e:
        return InputError(source, line, str(e), "bad date")
    article = Article(
        text=text,
        title=clean(meta.get("title")),
        url=clean(meta.get("url")),
        outlet=clean(meta.get("outlet")),
        published=published,
        author=clean(meta.get("author")),
        source=source if line is None else f"{source}:{line}",
        doc_id=clean(meta.get("id")),
    )
    article = defaults.apply(article)
    if article.url:
        article = replace(article, url=canonical_url(article.url))
    return article


class DecodeError(ValueError):
    """Bytes that are not text in the expected encoding; the message carries the remedy."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def looks_binary(data: bytes) -> bool:
    """NUL bytes do not occur in text files (UTF-16 aside, which we do not read)."""
    return b"\x00" in data[:8192]


def decode(data: bytes, encoding: str | None) -> str:
    """Bytes to text: UTF-8 by default, a named codec, or "auto" to guess with charset-normalizer."""
    if looks_binary(data):
        raise DecodeError("binary file, not text", "binary")
    if encoding and encoding.lower() == "auto":
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise DecodeError("could not guess the encoding; name it with --encoding", "not text")
        return str(best).removeprefix("\ufeff")
    codec = encoding or "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        if encoding:
            raise DecodeError(
                f"not valid {encoding} (byte 0x{data[e.start]:02x} at offset {e.start})", "bad encoding"
            ) from e
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "try --encoding latin-1, or --encoding auto to guess",
            "not UTF-8",
        ) from e
    except LookupError as e:
        raise DecodeError(f"unknown encoding {encoding!r}", "bad encoding") from e
