"""How fast the Datasette pages answer on a database of realistic size, printed as a table.

    .venv/bin/python bench/bench_serve.py                 # 5,000 quotes
    .venv/bin/python bench/bench_serve.py --quotes 50000

Facets that take longer than facet_time_limit_ms (200 ms by default) silently
vanish from Datasette's pages, so the run reports each facet's state as well as
the page times. Quotes are synthetic (invented names and outlets), stored with
quotes.store directly so the figures do not depend on the extraction engine.
This is a benchmark, not a test: it prints figures and never fails on speed.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from quotes.model import Article, Quote
from quotes.serve import make_datasette
from quotes.store import open_db, save_article

WORDS = ("budget strike protest hearing fares bridge council river harbour school tax vote "
         "reform border police court water power rail wage housing").split()
KINDS = ("direct", "indirect", "mixed")
VENUES = (None, "press conference", "interview", "statement", "briefing", "rally")
ADDRESSEES = (None, "reporters", "Radio Nord", "the council", "Channel Five")


def build(path: Path, n_quotes: int, per_article: int = 5, seed: int = 1) -> None:
    rnd = random.Random(seed)
    speakers = [f"Speaker {i:03d} Example" for i in range(300)]
    outlets = [f"Outlet {i:02d} News" for i in range(25)]
    db = open_db(path)
    for a in range(n_quotes // per_article):
        sentences, quotes = [], []
        offset = 0
        for _ in range(per_article):
            content = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 18)))
            sentence = f"\u201c{content},\u201d the speaker said.\n\n"
            quotes.append(Quote(
                start=offset + 1, end=offset + 1 + len(content), text=content, kind=rnd.choice(KINDS),
                speaker_name=rnd.choice(speakers), cue="said", venue=rnd.choice(VENUES),
                addressee=rnd.choice(ADDRESSEES), rule="bench"))
            sentences.append(sentence)
            offset += len(sentence)
        month = rnd.randint(0, 35)
        article = Article(text="".join(sentences) + f"(article {a})", outlet=rnd.choice(outlets),
                          published=f"{2022 + month // 12}-{month % 12 + 1:02d}-{rnd.randint(1, 28):02d}",
                          title=f"Article {a}")
        save_article(db, article, quotes, "bench")
    db.close()


PAGES = [
    ("view, 6 facets", "/{db}/quotes_view.json?_size=50"),
    ("view, speaker filter", "/{db}/quotes_view.json?speaker=Speaker+007+Example"),
    ("view, search", "/{db}/quotes_view.json?_search=strikes+budget"),
    ("All quotes page (HTML)", "/{db}/quotes_view"),
    ("...searched, marked", "/{db}/quotes_view?_search=strikes"),
    ("quotes table, 5 facets", "/{db}/quotes.json?_size=50"),
    ("database page + charts", "/{db}"),
    ("canned search", "/{db}/search.json?q=strikes+budget"),
    ("top speakers per outlet", "/{db}/top_speakers_by_outlet.json"),
    ("quote page", "/-/quote/1"),
    ("speaker page", "/-/speaker/1"),
]


async def measure(ds, db_name: str, repeats: int) -> list[tuple[str, float, str]]:
    await ds.invoke_startup()
    out = []
    for label, path in PAGES:
        path = path.format(db=db_name)
        times, note = [], ""
        for _ in range(repeats):
            t = time.perf_counter()
            response = await ds.client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        if path.endswith(".json?_size=50"):
            data = response.json()
            timed_out = data.get("facets_timed_out") or []
            note = f"{len(data['facet_results'])} facets shown, timed out: {', '.join(timed_out) or 'none'}"
        out.append((label, statistics.median(times), note))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build(path, args.quotes)
        print(f"built {args.quotes:,} quotes in {time.perf_counter() - t:.1f} s; "
              f"median of {args.repeats} requests through Datasette's test client\n")
        ds = make_datasette(path)
        rows = asyncio.run(measure(ds, path.stem, args.repeats))
    print(f"{'page':26} {'ms':>8}  notes")
    for label, ms, note in rows:
        print(f"{label:26} {ms:8.1f}  {note}")


if __name__ == "__main__":
    main()
