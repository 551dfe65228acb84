"""What every reader shares: the error record, command-line metadata, decoding bytes, the size limit."""
from __future__ import annotations

import codecs
import gzip
import os
import re
import stat
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import BinaryIO
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
        return printable(f"{where}: {self.message}")


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(c: str) -> str:
    if c in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[c]
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def printable(text: str) -> str:
    """`text` safe to print on one terminal line: escape codes, newlines, bidi overrides and the
    bytes of a non-UTF-8 file name are shown escaped (``\\x1b``), so a hostile name cannot
    recolour, split or reorder the line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


@dataclass(frozen=True)
class Skipped:
    """Something deliberately passed over (a WARC record that is not a page): counted, not an error."""

    source: str
    reason: str


@dataclass(frozen=True)
class Notice:
    """Something changed about an article that was still read (its URL dropped, say): a warning line."""

    source: str
    line: int | None
    message: str
    reason: str  # short, for counting in the summary

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return printable(f"{where}: {self.message}")


def shown(value: str, limit: int = 80) -> str:
    """A value from the input, safe to print on one line: repr escapes control characters."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


MAX_INPUT_BYTES = 256 * 2**20
"""Most bytes read from one input: a file (inflated, for .gz), stdin, a device or pipe, and also
one JSON Lines line or one WARC record, whose files are read as streams: 256 MB. The environment
variable QUOTES_MAX_INPUT_BYTES overrides it (a whole number of bytes; the tests lower it)."""
MAX_INPUT_ENV = "QUOTES_MAX_INPUT_BYTES"


def max_input_bytes() -> int:
    """MAX_INPUT_BYTES, or QUOTES_MAX_INPUT_BYTES when it is set to a positive whole number."""
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_INPUT_BYTES


class ReadFailure(Exception):
    """Bytes that cannot be read whole: over the size limit, or a broken gzip file."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def too_large(limit: int, what: str = "") -> ReadFailure:
    size = f"{limit // 2**20:,} MB" if limit % 2**20 == 0 else f"{limit:,} bytes"
    return ReadFailure(f"{what or 'over'} the {size} limit ({MAX_INPUT_ENV}); not read", "too large")


def is_gzip_name(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def open_input(path: Path) -> BinaryIO:
    """The file's bytes as a stream, inflated as they are read when its name ends in .gz."""
    return gzip.open(path, "rb") if is_gzip_name(path) else open(path, "rb")


def read_capped(fp: BinaryIO, limit: int) -> bytes:
    """At most `limit` bytes of `fp`: one more is read to know there were more, never the rest."""
    data = fp.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    return data


def read_input(path: Path) -> bytes:
    """A whole file (inflated, for .gz), up to max_input_bytes(); a file over it is not read at all."""
    limit = max_input_bytes()
    if not is_gzip_name(path):
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise too_large(limit)
    try:
        with open_input(path) as fp:
            return read_capped(fp, limit)
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise ReadFailure(f"not a readable gzip file: {e}", "bad gzip") from e


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


# What browsers strip from the ends of a URL before reading its scheme (WHATWG URL: C0 controls
# and space), so " javascript:" and "\x01javascript:" are caught too.
_URL_TRIM = "".join(map(chr, range(0x21)))


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) URL with a host, else None: nothing else may become a link."""
    url = (url or "").strip(_URL_TRIM)
    if not url.lower().startswith(("http://", "https://")) or any(c < " " or c == "\x7f" for c in url):
        return None
    try:
        return url if urlsplit(url).hostname else None
    except ValueError:  # a bad [IPv6] host or port
        return None


def canonical_url(url: str | None) -> str | None:
    """The URL that identifies an article: no #fragment, no utm_* or click ids, lower-case host.

    Only http(s) URLs are kept (None for `javascript:`, `data:`, `file:`...): a stored URL becomes a link.
    """
    url = web_url(clean(url))
    if not url:
        return None
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not k.lower().startswith(_TRACKING)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept, quote_via=quote)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


# A wire dateline opening a line: a place in capitals (a country may follow), the agency in
# brackets, a dash: "WASHINGTON (AP) —", "LONDON (Reuters) -", "KABUL, Afghanistan (AP) --".
DATELINE = re.compile(
    r"^[^\w\n]{0,4}[A-Z][A-Z.'’\- ]*[A-Z.](?:, [A-Z][\w.'’ -]{0,40}?)?\s+"
    r"\(([A-Z][A-Za-z/&.\- ]{0,28}[A-Za-z.])\)\s*(?:—|–|--|-)(?=\s)",
    re.MULTILINE,
)
# A dateline opens an article: it is looked for only in its first 200 characters.
DATELINE_WITHIN = 200
# The agencies a dateline names by their initials, by name; any other is kept as written.
AGENCY_NAMES = {"AP": "Associated Press", "AFP": "Agence France-Presse", "UPI": "United Press International"}


def dateline_agency(text: str) -> str | None:
    """The news agency a wire dateline at the start of `text` names ("Associated Press" for "(AP)")."""
    match = DATELINE.search(text[:DATELINE_WITHIN])
    if match is None:
        return None
    return AGENCY_NAMES.get(match.group(1), match.group(1))


def build_article(
    text: str, source: str, line: int | None, meta: dict, defaults: ArticleMeta
) -> Article | InputError:
    """An Article from text and loose metadata, or the error that stops it (empty text, bad date)."""
    text = text.replace("\x00", "")  # a NUL escaped in JSON ("\u0000") or HTML: never stored
    if not text or not text.strip():
        return InputError(source, line, "empty text, nothing to read", "empty")
    try:
        published = normalize_date(clean(meta.get("published")))
    except BadDate as e:
        return InputError(source, line, str(e), "bad date")
    agency = dateline_agency(text)
    article = Article(
        text=text,
        title=clean(meta.get("title")),
        url=clean(meta.get("url")),
        outlet=clean(meta.get("outlet")) or agency,  # the wire's story, when nothing else names an outlet
        agency=agency,
        published=published,
        author=clean(meta.get("author")),
        source=source if line is None else f"{source}:{line}",
        doc_id=clean(meta.get("id")),
    )
    article = defaults.apply(article)
    if article.url:
        url = canonical_url(article.url)
        if url is None:
            message = f"url {shown(article.url)} dropped (only http(s) URLs are stored)"
            article.notes.append(Notice(source, line, message, "URL not http(s)"))
        article = replace(article, url=url)
    return article


class DecodeError(ValueError):
    """Bytes that are not text in the expected encoding; the message carries the remedy."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


# Byte order marks that say "this is UTF-32 / UTF-16 text" (UTF-32 first: its LE mark starts like UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def bom_encoding(data: bytes) -> str | None:
    """"utf-16" or "utf-32" when `data` starts with that byte order mark, else None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def _wide(codec: str) -> bool:
    """UTF-16 and UTF-32 put NUL bytes in every ASCII character: NUL bytes there are text."""
    return codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))


def looks_binary(data: bytes) -> bool:
    """A NUL byte anywhere is binary, unless a UTF-16/32 byte order mark says the NULs are text."""
    return bom_encoding(data) is None and b"\x00" in data


def decode(data: bytes, encoding: str | None, *, allow_nul: bool = False) -> str:
    """Bytes to text: UTF-8 by default, a named codec, or "auto" to guess with charset-normalizer.

    A UTF-16/32 byte order mark is obeyed unless an encoding is named. Text holding a NUL
    is binary, whatever the encoding; `allow_nul` leaves that to the caller (a CSV reader
    skips the one record holding it).
    """
    codec = encoding or bom_encoding(data) or "utf-8-sig"
    if encoding and encoding.lower() == "auto":
        codec = bom_encoding(data) or "auto"
    try:
        wide = codec != "auto" and _wide(codec)
    except LookupError as e:
        raise DecodeError(f"unknown encoding {encoding!r}", "bad encoding") from e
    if not wide and not allow_nul and b"\x00" in data:
        raise DecodeError("binary file, not text", "binary")
    text = _decode(data, codec, encoding)
    if not allow_nul and "\x00" in text:
        raise DecodeError("binary file, not text (it holds a NUL character)", "binary")
    return text


def _decode(data: bytes, codec: str, encoding: str | None) -> str:
    if codec == "auto":
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise DecodeError("could not guess the encoding; name it with --encoding", "not text")
        return str(best).removeprefix("\ufeff")
    named = encoding or (codec if codec != "utf-8-sig" else None)  # a BOM names one too
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        if named:
            raise DecodeError(
                f"not valid {named} (byte 0x{data[e.start]:02x} at offset {e.start})", "bad encoding"
            ) from e
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "try --encoding latin-1, or --encoding auto to guess",
            "not UTF-8",
        ) from e
    except LookupError as e:
        raise DecodeError(f"unknown encoding {encoding!r}", "bad encoding") from e
