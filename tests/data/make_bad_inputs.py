"""Write a corpus of hostile inputs, one file per case, beside good articles.

    python tests/data/make_bad_inputs.py FOLDER [--cap BYTES]

Every good article carries a marker word (``marker-good-1``...) so a test can find it in
the database; `make()` returns the markers and, for each bad file, a piece of the one
error line it must give. The gzip bombs inflate to four times `cap`: run `quotes ingest`
with QUOTES_MAX_INPUT_BYTES set to `cap`. Nothing is written at import; the corpus is
made by the tests in a temporary folder, never committed.
"""
from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

DEFAULT_CAP = 1 << 20  # 1 MB: the bombs inflate to 4 MB


def story(marker: str) -> str:
    return (f"The harbour board met on Tuesday to discuss {marker}.\n\n"
            f"\u201cWe will rebuild the wall before winter,\u201d said Mira Okafor, who chairs the board.\n")


def line(marker: str) -> str:
    """The story on one line, for CSV cells whose line numbers the test counts."""
    return " ".join(story(marker).split())


def page(marker: str) -> bytes:
    return (f"<html><head><title>Page {marker}</title></head><body><div class=\"content\">"
            f"<p>The valley co-operative opened its new caf\u00e9 on Saturday, near {marker}.</p>"
            "<p>\u201cWe wanted a place where neighbours actually talk to each other,\u201d said Hannes Vogt, "
            "who chairs the co-operative.</p><p>The caf\u00e9 will open every day except Monday.</p>"
            "</div></body></html>").encode()


@dataclass
class Corpus:
    good: list[str] = field(default_factory=list)  # markers of articles that must be stored
    bad: dict[str, str] = field(default_factory=dict)  # printed name (path escaped) -> piece of its error line
    passed_over: int = 0  # things deliberately not read (a named pipe)


def _jsonl(*records: dict | bytes) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records)


def _bomb(path: Path, inflated: int) -> None:
    """A gzip file of `inflated` zero bytes, written a megabyte at a time (never held whole)."""
    with gzip.open(path, "wb") as out:
        chunk = bytes(1 << 20)
        for _ in range(inflated // len(chunk)):
            out.write(chunk)
        out.write(bytes(inflated % len(chunk)))


def _single_stream_warc(path: Path, markers: list[str]) -> None:
    """A crawl of pages gzipped whole (`gzip crawl.warc`), not a member per record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "make_bad_inputs"}))
    for n, marker in enumerate(markers):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://pages.example.org/{n}", "response", payload=BytesIO(page(marker)), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-04-10T12:00:00Z"}))
    path.write_bytes(gzip.compress(buffer.getvalue()))


def make(folder: Path, cap: int = DEFAULT_CAP) -> Corpus:
    """Write the corpus into `folder`; what must be stored and what must be named."""
    folder.mkdir(parents=True, exist_ok=True)
    c = Corpus()

    def good(n: int) -> str:
        marker = f"marker-good-{n}"
        c.good.append(marker)
        return marker

    # five good articles, one of each common kind
    (folder / "good.txt").write_text(story(good(1)), encoding="utf-8")
    (folder / "good.md").write_text(story(good(2)), encoding="utf-8")
    (folder / "good.html").write_bytes(page(good(3)))
    (folder / "good.jsonl").write_bytes(_jsonl({"title": "g4", "text": story(good(4))}))
    (folder / "good.csv").write_text(f"title,text\ng5,\"{story(good(5))}\"\n", encoding="utf-8")

    # 4: nesting deeper than any parser's stack, in a JSONL line and a JSON document
    deep = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (folder / "deep.jsonl").write_bytes(_jsonl({"text": story(good(6))}, deep, {"text": story(good(7))}))
    c.bad["deep.jsonl:2"] = "nested deeper than"
    (folder / "deep.json").write_bytes(deep)
    c.bad["deep.json"] = "nested deeper than"

    # 5: a raw NUL in one JSONL line, in one CSV cell; a NUL past 8 KB of a text file
    (folder / "nul.jsonl").write_bytes(_jsonl({"text": story(good(8))}, b'{"text": "a\x00b"}', {"text": story(good(9))}))
    c.bad["nul.jsonl:2"] = "NUL byte"
    (folder / "nul.csv").write_bytes(
        f"title,text\nn1,\"{line(good(10))}\"\nn2,bad\x00cell\nn3,\"{line(good(11))}\"\n".encode())
    c.bad["nul.csv:3"] = "NUL byte"
    (folder / "late-nul.txt").write_bytes(story("late").encode() * 200 + b"\x00tail")
    c.bad["late-nul.txt"] = "binary"

    # 6: a crawl compressed as one gzip stream
    _single_stream_warc(folder / "single-stream.warc.gz", [good(n) for n in range(12, 22)])

    # 8: UTF-16 with a byte order mark is text
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + story(good(22)).encode("utf-16-le"))

    # 9: gzip bombs, in an HTML page and in a JSONL dump
    _bomb(folder / "bomb.html.gz", 4 * cap)
    c.bad["bomb.html.gz"] = "limit"
    _bomb(folder / "bomb.jsonl.gz", 4 * cap)
    c.bad["bomb.jsonl.gz:1"] = "limit"

    # 10: a quote never closed swallows the rest of a CSV
    (folder / "unclosed.csv").write_text(
        f"title,text\nu1,\"{line(good(23))}\"\nu2,\"this quote is never closed\nu3,The board spoke of {good(24)} again\n",
        encoding="utf-8")
    c.bad["unclosed.csv:3"] = "unclosed quote"

    # 11: names that would drive the terminal, and gzipped dumps in a folder
    (folder / "evil\x1b[31m.txt").write_bytes(b"\x00\x01binary")
    c.bad["evil\\x1b[31m.txt"] = "binary"
    (folder / "two\nlines.txt").write_bytes(b"")
    c.bad["two\\nlines.txt"] = "empty"
    (folder / "dump.jsonl.gz").write_bytes(gzip.compress(_jsonl({"text": story(good(25))}, {"text": story(good(26))})))
    (folder / "dump.csv.gz").write_bytes(gzip.compress(f"title,text\nz,\"{story(good(27))}\"\n".encode()))
    (folder / "story.txt.gz").write_bytes(gzip.compress(story(good(28)).encode()))

    # 7: a named pipe in the folder: passed over, never opened (it would wait for a writer)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
        c.passed_over += 1
    return c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cap", type=int, default=DEFAULT_CAP, help="the QUOTES_MAX_INPUT_BYTES to test with")
    args = parser.parse_args()
    corpus = make(args.folder, args.cap)
    print(f"{len(corpus.good)} good articles, {len(corpus.bad)} bad inputs in {args.folder}; "
          f"ingest with QUOTES_MAX_INPUT_BYTES={args.cap}")


if __name__ == "__main__":
    main()
