"""How fast every Datasette page answers at 100k, 1M and 10M quotes, and whether any facet
was dropped, printed as a table; exits 1 if a page is over budget or lost a facet.

    .venv/bin/python bench/bench_serve.py                          # 100,000 quotes
    .venv/bin/python bench/bench_serve.py --quotes 100000 1000000 10000000
    .venv/bin/python bench/bench_serve.py --quotes 100000 --facet-time-limit-ms 1   # shows FAIL
    .venv/bin/python bench/bench_serve.py --quotes 10000000 --cold  # each page first with a cold cache

The databases are synthetic news of realistic shape (bench/synthetic_db.py: 12 quotes an
article, 3,000 speakers with a Zipf-like skew, 40 outlets, three years), written by bulk SQL
and cached under /tmp by size, so a rerun starts at once. Each page is fetched through
Datasette (the project's make_datasette and its test client, the same app `quotes serve`
runs). Datasette drops a facet that takes longer than facet_time_limit_ms without a word in
its JSON, so for every page with facets the run compares the facets asked for (metadata.json
and the URL's _facet arguments) with those in the JSON's facet_results, and reads the HTML
page's own "These facets timed out: ..." line; a facet missing from either, a page over its
budget (1 s) or an error status is printed as FAIL. This is a benchmark: the figures are
printed, never asserted by the test suite.

With --cold each page is first fetched once with the database out of the page cache, timed and
checked apart from the warm requests that follow: before it, the run evicts the database's
file from the kernel's page cache (posix_fadvise(POSIX_FADV_DONTNEED), which needs no root:
the file's pages are clean, a reader of the database only reads) and reads the share of the
file still resident (mincore), printed with the table. SQLite's own page cache (2 MB a
connection) is left as it is.
"""
from __future__ import annotations

import argparse
import asyncio
import ctypes
import ctypes.util
import mmap
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_db  # noqa: E402

from quotes.serve import load_metadata, make_datasette  # noqa: E402

PAGE_BUDGET_MS = 1000
TIMED_OUT = re.compile(r'<p class="facets-timed-out">These facets timed out: ([^<]*)</p>')
FACET_SHOWN = re.compile(r'<div class="facet-info [^"]*"[^>]* data-column="([^"]+)"')


@dataclass
class Page:
    label: str
    path: str
    table: str | None = None  # a table page: its facets are checked


@dataclass
class Result:
    label: str
    path: str
    times_ms: list[float] = field(default_factory=list)
    facets_asked: list[str] = field(default_factory=list)
    facets_lost: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    cold: "Result | None" = None  # --cold: the first request, with the database out of the page cache
    resident: float | None = None  # the share of the database's file in the page cache just before it

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    def failures(self, budget_ms: float) -> list[str]:
        out = list(self.errors)
        if self.facets_lost:
            out.append("facets lost: " + ", ".join(sorted(self.facets_lost)))
        if self.times_ms and self.median_ms > budget_ms:
            out.append(f"over {budget_ms:.0f} ms")
        return out


def evict(path: Path) -> None:
    """The database's file (and its WAL) out of the kernel's page cache: no root needed."""
    for name in (str(path), f"{path}-wal"):
        if os.path.exists(name):
            fd = os.open(name, os.O_RDONLY)
            try:
                os.fdatasync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def resident_share(path: Path) -> float:
    """The share of the file's pages in the page cache (mincore(2) on a mapping of it)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    size = path.stat().st_size
    pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
    fd = os.open(path, os.O_RDONLY)
    try:
        address = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        if address in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), "mmap")
        try:
            vec = ctypes.create_string_buffer(pages)
            if libc.mincore(address, size, vec) != 0:
                raise OSError(ctypes.get_errno(), "mincore")
            return sum(b & 1 for b in vec.raw) / pages
        finally:
            libc.munmap(address, size)
    finally:
        os.close(fd)


def facets_asked(metadata: dict, table: str, path: str) -> list[str]:
    """The facets a table page asks for: those metadata.json configures, then the URL's."""
    config = metadata["databases"]["quotes"]["tables"].get(table, {}).get("facets", [])
    names = [c if isinstance(c, str) else next(iter(c.values())) for c in config]
    for key, value in parse_qsl(urlsplit(path).query):
        if key == "_facet" or key.startswith("_facet_") and key != "_facet_size":
            names.append(value)
    return list(dict.fromkeys(names))


def with_format(path: str, fmt: str) -> str:
    parts = urlsplit(path)
    return parts.path + fmt + (f"?{parts.query}" if parts.query else "")


def lost_facets(asked: list[str], json_data: dict | None, html: str | None) -> set[str]:
    """Each facet asked for and not returned: missing from the JSON's facet_results or from the
    HTML page, or named in the HTML's timed-out line."""
    lost = set()
    if json_data is not None:
        returned = {f["name"] for f in (json_data.get("facet_results") or {}).values()}
        lost |= set(asked) - returned
    if html is not None:
        match = TIMED_OUT.search(html)
        if match:
            lost |= {name.strip() for name in match.group(1).split(",") if name.strip()}
        lost |= set(asked) - set(FACET_SHOWN.findall(html))
    return lost


def pages_for(ds, db_name: str) -> list[Page]:
    """Every kind of page, with ids and names taken from the database (the most quoted speaker...)."""
    conn = ds.get_database(db_name).connect()
    try:
        top = conn.execute("select s.id, s.name from quote_counts c join speakers s on s.id = c.by_value "
                           "where c.by = 'speaker_id' and c.facet = 'kind' group by c.by_value "
                           "order by sum(c.n) desc limit 1").fetchone()
        mid = conn.execute("select s.name from quote_counts c join speakers s on s.id = c.by_value "
                           "where c.by = 'speaker_id' and c.facet = 'kind' group by c.by_value "
                           "order by sum(c.n) desc limit 1 offset 49").fetchone() or top[1:]
        outlet = conn.execute("select name from outlets order by id limit 1").fetchone()
        addressee = conn.execute("select value from quote_counts where by = 'speaker_id' and facet = 'addressee' "
                                 "group by value order by sum(n) desc limit 1").fetchone()
        quote_id = conn.execute("select max(id) / 2 from quotes").fetchone()[0] or 1
        article_id = conn.execute("select article_id from quotes where id >= ? order by id limit 1",
                                  [quote_id]).fetchone()[0]
    finally:
        conn.close()
    d = f"/{db_name}"
    speaker, surname = quote_plus(top[1]), quote_plus(top[1].split()[-1])
    pages = [
        Page("All quotes", f"{d}/quotes_view", "quotes_view"),
        Page("All quotes, most-quoted speaker", f"{d}/quotes_view?speaker={speaker}", "quotes_view"),
        Page("All quotes, one outlet", f"{d}/quotes_view?outlet={quote_plus(outlet[0])}", "quotes_view"),
        Page("All quotes, one kind", f"{d}/quotes_view?kind=direct", "quotes_view"),
        Page("All quotes, most-quoted speaker + kind", f"{d}/quotes_view?speaker={speaker}&kind=indirect",
             "quotes_view"),
        Page("All quotes, 50th speaker + kind", f"{d}/quotes_view?speaker={quote_plus(mid[0])}&kind=direct",
             "quotes_view"),
        Page("All quotes, one outlet + kind", f"{d}/quotes_view?outlet={quote_plus(outlet[0])}&kind=mixed",
             "quotes_view"),
        Page("All quotes, one venue", f"{d}/quotes_view?venue=interview", "quotes_view"),
        Page("All quotes, kind + venue", f"{d}/quotes_view?kind=direct&venue=rally", "quotes_view"),
        Page("All quotes, speaker + kind + venue", f"{d}/quotes_view?kind=direct&venue=rally&speaker={speaker}",
             "quotes_view"),
        Page("All quotes, _search 2 words", f"{d}/quotes_view?_search=budget+strike", "quotes_view"),
        Page("All quotes, two speakers", f"{d}/quotes_view?speaker__in={quote_plus(top[1] + ',' + mid[0])}",
             "quotes_view"),
        Page("All quotes, most-quoted speaker + outlet",
             f"{d}/quotes_view?speaker={speaker}&outlet={quote_plus(outlet[0])}", "quotes_view"),
        Page("All quotes, top addressee", f"{d}/quotes_view?addressee={quote_plus(addressee[0])}", "quotes_view"),
        Page("quotes table", f"{d}/quotes", "quotes"),
        Page("quotes table, one kind", f"{d}/quotes?kind=direct", "quotes"),
        Page("quotes table, most-quoted speaker + kind", f"{d}/quotes?speaker_id={top[0]}&kind=direct", "quotes"),
        Page("quotes table, kind + venue", f"{d}/quotes?kind=direct&venue=rally", "quotes"),
        Page("database page + charts", d),
        Page("speaker page, most quoted", f"/-/speaker/{top[0]}"),
        Page("quote page", f"/-/quote/{quote_id}"),
        Page("article page", f"/-/article/{article_id}"),
    ]
    params = {"quotes_by_speaker": f"speaker={surname}", "search": "q=budget+strike"}
    for name in load_metadata()["databases"]["quotes"].get("queries", {}):
        pages.append(Page(f"canned {name}", f"{d}/{name}.json" + (f"?{params[name]}" if name in params else "")))
    pages.append(Page("canned search, 1 word", f"{d}/search.json?q=budget"))
    return pages


async def fetch(ds, page: Page, result: Result, fetches: list[str]) -> None:
    for path in fetches:
        start = time.perf_counter()
        response = await ds.client.get(path)
        ms = (time.perf_counter() - start) * 1000
        if path == page.path:
            result.times_ms.append(ms)
        if response.status_code != 200:
            result.errors.append(f"HTTP {response.status_code} for {path}")
            continue
        if page.table:
            is_json = path != page.path
            result.facets_lost |= lost_facets(result.facets_asked, response.json() if is_json else None,
                                              None if is_json else response.text)


async def measure(ds, db_name: str, repeats: int, pages: list[Page] | None = None,
                  cold: Path | None = None) -> list[Result]:
    """Each page fetched `repeats` times; with `cold` (the database's file), once before that
    with the file evicted from the page cache (the HTML page, or the JSON for a canned query)."""
    await ds.invoke_startup()
    metadata = load_metadata()
    results = []
    for page in pages or pages_for(ds, db_name):
        result = Result(page.label, page.path)
        fetches = [page.path]
        if page.table:
            result.facets_asked = facets_asked(metadata, page.table, page.path)
            fetches = [with_format(page.path, ".json"), page.path]  # the JSON and the HTML page
        if cold is not None:
            evict(cold)
            result.resident = resident_share(cold)
            result.cold = Result(page.label, page.path, facets_asked=result.facets_asked)
            await fetch(ds, page, result.cold, [page.path])
        for _ in range(repeats):
            await fetch(ds, page, result, fetches)
        results.append(result)
    return results


def datasette(path: Path, facet_time_limit_ms: int | None = None):
    ds = make_datasette(path)
    if facet_time_limit_ms is not None:  # Datasette reads its settings from this dict
        ds._settings = {**ds._settings, "facet_time_limit_ms": facet_time_limit_ms}
    return ds


def run(path: Path, repeats: int = 3, facet_time_limit_ms: int | None = None,
        pages: list[Page] | None = None, cold: bool = False) -> list[Result]:
    """Every page (or `pages`, their paths with {db} for the database's name) fetched `repeats`
    times, and first once with a cold page cache when `cold`."""
    if pages:
        pages = [Page(p.label, p.path.format(db=path.stem), p.table) for p in pages]
    return asyncio.run(measure(datasette(path, facet_time_limit_ms), path.stem, repeats, pages,
                               path if cold else None))


def _cell(r: Result, budget_ms: float) -> str:
    facets = f"{len(r.facets_asked) - len(r.facets_lost)}/{len(r.facets_asked)}f " if r.facets_asked else ""
    return f"{facets}{r.median_ms:7.0f} ms{' FAIL' if r.failures(budget_ms) else '     '}"


def print_table(sizes: list[int], runs: dict[int, list[Result]], budget_ms: float) -> int:
    """The table, one column a size (two with --cold: cold, then warm); returns the number of failures."""
    labels = [r.label for r in runs[sizes[0]]]
    cold = runs[sizes[0]][0].cold is not None
    heads = [f"{n:,} {state}" for n in sizes for state in (("cold", "warm") if cold else ("quotes",))]
    print(f"{'page':40} " + " ".join(f"{h:>22}" for h in heads))
    failures = 0
    for i, label in enumerate(labels):
        cells = []
        for n in sizes:
            r = runs[n][i]
            cells += ([_cell(r.cold, budget_ms)] if cold else []) + [_cell(r, budget_ms)]
        print(f"{label:40} " + " ".join(f"{c:>22}" for c in cells))
    if cold:
        for n in sizes:
            shares = [r.resident for r in runs[n]]
            print(f"{n:,} quotes: the database's file in the page cache before each cold request: "
                  f"{min(shares):.2%} to {max(shares):.2%}")
    for n in sizes:
        for r in runs[n]:
            for state, result in (("cold", r.cold), ("warm" if cold else "", r)):
                for why in result.failures(budget_ms) if result is not None else ():
                    failures += 1
                    print(f"FAIL at {n:,} quotes{', ' + state if cold else ''}: {r.label} ({r.path}): {why}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quotes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--facet-time-limit-ms", type=int, default=None,
                        help="Datasette's facet_time_limit_ms (default: its own, 200)")
    parser.add_argument("--budget-ms", type=float, default=PAGE_BUDGET_MS, help="a page's budget (median)")
    parser.add_argument("--cold", action="store_true",
                        help="fetch each page once first with the database evicted from the page cache")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp"), help="where the databases are kept")
    args = parser.parse_args()
    runs = {}
    for n in args.quotes:
        path = synthetic_db.cached(n, args.cache_dir, log=lambda line: print(line, file=sys.stderr))
        runs[n] = run(path, args.repeats, args.facet_time_limit_ms, cold=args.cold)
    limit = args.facet_time_limit_ms or 200
    print(f"median of {args.repeats} requests through Datasette's test client (facet_time_limit_ms={limit}); "
          f"'7/8f': facets returned of those asked, in the JSON and the HTML page"
          + ("; cold: one request, the database's file evicted from the page cache first, its HTML page" if args.cold
             else "") + "\n")
    failures = print_table(args.quotes, runs, args.budget_ms)
    print(f"\n{failures} failure{'s' if failures != 1 else ''}" if failures else "\nno failures: every facet "
          f"returned, every page under {args.budget_ms:.0f} ms")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
