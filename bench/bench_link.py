"""How linking speakers and clustering quotes across articles grow with the database.

    .venv/bin/python bench/bench_link.py                    # 10k and 100k quotes
    .venv/bin/python bench/bench_link.py --sizes 10000 100000 1000000
    .venv/bin/python bench/bench_link.py --sizes 2000 --adds 5   # a quick look

For each size it builds a database of invented quotes (bench-only: plain SQL inserts, no
engine): articles of 10 quotes from 25 outlets over two years, speakers written several
ways (middle initials, titles, bare surnames), and about a third of the quotes reported
again by other outlets (one of the last 300 quotes first said), word for word, trimmed or
with a word changed. It then times
`quotes relink` (speakers: quotes.link.relink) and the clustering (quotes.clusters.rebuild),
prints microseconds per quote at each size and the ratio to the smallest size (near 1:
linear), and at the largest size the time to add one article of 10 quotes (store, link,
cluster), median of --adds articles.

    .venv/bin/python bench/bench_link.py --sizes 10000 100000 1000000 --before 2393d99

With --before COMMIT, each database is also copied and linked and clustered by that commit's
quotes/link.py and quotes/clusters.py (read with `git show`), in the same command, before
today's code runs on the original: the ratios compare runs on one machine at one time.
"""
from __future__ import annotations

import argparse
import collections
import random
import shutil
import statistics
import subprocess
import sys
import types
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quotes import clusters, link, store  # noqa: E402
from quotes.model import Article, Quote  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUOTES_PER_ARTICLE = 10
OUTLETS = [f"Outlet {i}" for i in range(25)]
FIRST = ("Ana Marta Piotr Ivan Lena Tomas Jon Sara Omar Yusuf Aiko Ravi Nadia Pablo Greta Hugo Ines Karl Mira "
         "Olga Tariq Wen Zofia Bruno").split()
TITLES = ["Mayor", "Dr.", "Minister", "Senator", "President"]
REPORTED_WINDOW = 300


def vocabulary(rnd: random.Random, n: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rnd.choice(letters) for _ in range(rnd.randint(3, 9))) for _ in range(n)]


def surnames(rnd: random.Random, n: int) -> list[str]:
    syllables = "ka ro mi sel dan tor vik lem bar osh ne ri pa zu ten gor".split()
    return sorted({"".join(rnd.choice(syllables) for _ in range(rnd.randint(3, 4))).capitalize() for _ in range(n)})


def people(rnd: random.Random, n: int) -> list[list[str]]:
    """Each person's ways of being named: full name, with an initial, with a title, surname only."""
    out = []
    for surname in surnames(rnd, n):
        first = rnd.choice(FIRST)
        out.append([f"{first} {surname}", f"{first} {rnd.choice('ABCDEFGH')}. {surname}",
                    f"{rnd.choice(TITLES)} {first} {surname}", surname])
    return out


def quote_text(rnd: random.Random, words: list[str]) -> str:
    # Zipf-like choice of words, so some shingles are common, as in news
    return " ".join(words[min(int(rnd.paretovariate(1.2)) - 1, len(words) - 1) if rnd.random() < 0.3
                          else rnd.randrange(len(words))] for _ in range(rnd.randint(8, 25)))


def variant(rnd: random.Random, text: str, words: list[str]) -> str:
    ws = text.split()
    how = rnd.random()
    if how < 0.5:
        return text
    if how < 0.75:  # trimmed
        return " ".join(ws[: max(6, len(ws) * 2 // 3)])
    ws[rnd.randrange(len(ws))] = rnd.choice(words)  # a word changed
    return " ".join(ws)


def build(path: Path, n_quotes: int, seed: int = 7, extra_people: list[list[str]] = ()) -> None:
    """A database of `n_quotes` invented quotes, written with plain SQL (fast), not linked.
    `extra_people` (each a list of ways of naming one person) are quoted too."""
    rnd = random.Random(seed)
    words = vocabulary(rnd)
    folks = people(rnd, max(50, n_quotes // 50)) + [list(names) for names in extra_people]
    db = store.open_db(path)
    conn = db.conn
    conn.commit()
    conn.execute("begin")
    conn.executemany("insert into outlets (name) values (?)", [(o,) for o in OUTLETS])
    speaker_ids: dict[str, int] = {}
    # quotes others may report: the most recent REPORTED_WINDOW originals, as news repeats this
    # week's words, not last year's (so a cluster's size does not grow with the database)
    reported: collections.deque[tuple[str, int]] = collections.deque(maxlen=REPORTED_WINDOW)
    n_articles = n_quotes // QUOTES_PER_ARTICLE
    for a in range(n_articles):
        day = f"20{23 + a * 2 // n_articles}-{1 + (a * 24 // n_articles) % 12:02d}-{1 + a % 28:02d}"
        text_parts, rows = [], []
        for _ in range(QUOTES_PER_ARTICLE):
            if reported and rnd.random() < 0.33:
                original, who = rnd.choice(reported)
                text = variant(rnd, original, words)
            else:
                text, who = quote_text(rnd, words), rnd.randrange(len(folks))
                if rnd.random() < 0.3:
                    reported.append((text, who))
            name = rnd.choice(folks[who]) if rnd.random() < 0.4 else folks[who][0]
            if name not in speaker_ids:
                speaker_ids[name] = conn.execute("insert into speakers (name) values (?)", [name]).lastrowid
            start = sum(len(p) + 2 for p in text_parts)
            text_parts.append(text)
            rows.append((speaker_ids[name], name, "direct", text, start, start + len(text)))
        body = "\n\n".join(text_parts)
        aid = conn.execute("insert into articles (hash, text, outlet_id, published, title) values (?, ?, ?, ?, ?)",
                           [f"h{a}", body, 1 + a % len(OUTLETS), day, f"Article {a}"]).lastrowid
        conn.executemany('insert into quotes (article_id, speaker_id, speaker_mention, kind, text, start, "end") '
                         "values (?, ?, ?, ?, ?, ?, ?)", [(aid, *r) for r in rows])
    conn.execute("commit")
    conn.executemany("insert or ignore into speaker_aliases (name, speaker_id, block, reason) "
                     "values (?, ?, ?, 'canonical name')",
                     [(name, sid, link.block_of(name)) for name, sid in speaker_ids.items()])
    conn.commit()
    db.close()


def add_article(db, rnd: random.Random, words: list[str], texts: list[str], names: list[str], i: int) -> float:
    """Seconds to store, link and cluster one new article of 10 quotes (half of them repeated)."""
    parts, quotes = [], []
    for _ in range(QUOTES_PER_ARTICLE):
        text = variant(rnd, rnd.choice(texts), words) if rnd.random() < 0.5 else quote_text(rnd, words)
        start = sum(len(p) + 2 for p in parts)
        parts.append(text)
        quotes.append(Quote(start=start, end=start + len(text), text=text, kind="direct",
                            speaker_name=rnd.choice(names)))
    article = Article(text="\n\n".join(parts) + f"\n\nadded {i}", outlet=rnd.choice(OUTLETS),
                      published="2025-06-01", title=f"Added {i}")
    t = time.perf_counter()
    link.after_saved(db, [store.save_article(db, article, quotes, "bench")])
    return time.perf_counter() - t


def modules_at(commit: str, repo: Path = ROOT) -> tuple[types.ModuleType, types.ModuleType]:
    """quotes/link.py and quotes/clusters.py as they were at `commit`, as modules of the package
    (the rest of it, the store and corrections, is today's); the old link calls the old clusters."""
    def source(path: str) -> str:
        return subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], capture_output=True, text=True,
                              check=True).stdout

    def module(name: str, text: str) -> types.ModuleType:
        mod = types.ModuleType(f"quotes._{name}_{commit}")
        mod.__package__ = "quotes"
        sys.modules[mod.__name__] = mod
        exec(compile(text, f"{commit}:quotes/{name}.py", "exec"), mod.__dict__)
        return mod

    old_clusters = module("clusters", source("quotes/clusters.py"))
    old_link = module("link", source("quotes/link.py").replace(
        "from . import clusters, store", f"from . import {old_clusters.__name__.split('.')[-1]} as clusters, store"))
    return old_link, old_clusters


def timed(path: Path, linker, clusterer) -> dict:
    """Relink and rebuild the clusters of one database: wall and CPU seconds of each, its speakers
    and clusters, and the clustering's wall and CPU microseconds a quote in each tenth of the rebuild
    (its articles are clustered oldest first, so a cost that grows as clusters accumulate shows in
    the later tenths)."""
    db = store.open_db(path)
    quotes = db.execute("select count(*) from quotes").fetchone()[0]
    t, c = time.perf_counter(), time.process_time()
    speakers = linker.relink(db)
    linked, linked_cpu = time.perf_counter() - t, time.process_time() - c
    marks = [(0, time.perf_counter(), time.process_time())]

    def progress(done: int, total: int) -> None:
        if done * 10 // total > (marks[-1][0] * 10) // total or done == total:
            marks.append((done, time.perf_counter(), time.process_time()))

    t, c = time.perf_counter(), time.process_time()
    made = clusterer.rebuild(db, progress)
    clustered, clustered_cpu = time.perf_counter() - t, time.process_time() - c
    total = marks[-1][0] or 1
    tenths = [((b[1] - a[1]) / (quotes * (b[0] - a[0]) / total) * 1e6, (b[2] - a[2]) / (quotes * (b[0] - a[0]) / total) * 1e6)
              for a, b in zip(marks, marks[1:]) if b[0] > a[0]]
    db.close()
    return {"linked": linked, "linked_cpu": linked_cpu, "clustered": clustered, "clustered_cpu": clustered_cpu,
            "speakers": speakers, "made": made, "tenths": tenths}


def _tenths(r: dict) -> str:
    return " ".join(f"{cpu:.0f}" for _, cpu in r["tenths"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="Quotes in each database")
    parser.add_argument("--adds", type=int, default=20, help="Articles added to the largest database, one at a time")
    parser.add_argument("--dir", default=None, help="Where to build the databases (a temporary folder)")
    parser.add_argument("--before", metavar="COMMIT", help="Also time this commit's link.py and clusters.py "
                        "on a copy of each database, in the same command")
    args = parser.parse_args(argv)
    old = modules_at(args.before) if args.before else None
    rows, before_rows = [], []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"bench-{n}.db"
            t = time.perf_counter()
            build(path, n)
            built = time.perf_counter() - t
            migrated = store.open_db(path)  # migrated once, outside the timings
            migrated.conn.execute("pragma wal_checkpoint(truncate)")
            migrated.close()
            if old:
                copy = Path(tmp) / f"before-{n}.db"
                shutil.copy(path, copy)
                b = timed(copy, *old)
                copy.unlink()
                before_rows.append((n, b))
                print(f"{n:>9,} quotes, before ({args.before}): relink {b['linked']:7.1f} s ({b['linked'] / n * 1e6:6.0f} "
                      f"us/quote, CPU {b['linked_cpu'] / n * 1e6:.0f}, {b['speakers']:,} speakers); clusters "
                      f"{b['clustered']:7.1f} s ({b['clustered'] / n * 1e6:6.0f} us/quote, CPU {b['clustered_cpu'] / n * 1e6:.0f}, "
                      f"{b['made']:,} clusters)\n{'':>9}  clustering CPU us/quote by tenth of the rebuild: {_tenths(b)}",
                      flush=True)
            r = timed(path, link, clusters)
            db = store.open_db(path)
            shared = db.execute("select count(*) from clusters where sightings > 1").fetchone()[0]
            rows.append((n, r))
            print(f"{n:>9,} quotes: built in {built:6.1f} s; relink {r['linked']:7.1f} s ({r['linked'] / n * 1e6:6.0f} us/quote, "
                  f"CPU {r['linked_cpu'] / n * 1e6:.0f}, {r['speakers']:,} speakers); clusters {r['clustered']:7.1f} s "
                  f"({r['clustered'] / n * 1e6:6.0f} us/quote, CPU {r['clustered_cpu'] / n * 1e6:.0f}, {r['made']:,} clusters, "
                  f"{shared:,} seen more than once)\n{'':>9}  clustering CPU us/quote by tenth of the rebuild: {_tenths(r)}",
                  flush=True)

        def growth(table: list[tuple[int, dict]], key: str) -> str:
            out = []
            for i, (n, r) in enumerate(table):
                (n0, r0), (n1, r1) = table[0], table[max(0, i - 1)]
                out.append(f"{n:>9,} quotes: x{(r[key] / n) / (r0[key] / n0):.2f} against {n0:,}, "
                           f"x{(r[key] / n) / (r1[key] / n1):.2f} against {n1:,}")
            return "\n".join(out)

        print("\ngrowth of the time per quote (1.0 is linear); wall clock, then CPU (the machine's other work moves "
              "it less):")
        for key, what in [("linked", "relink, wall"), ("linked_cpu", "relink, CPU"), ("clustered", "clusters, wall"),
                          ("clustered_cpu", "clusters, CPU")]:
            print(f"{what}:\n{growth(rows, key)}")
        if before_rows:
            print(f"\nbefore ({args.before}), the same way:")
            for key, what in [("linked", "relink, wall"), ("linked_cpu", "relink, CPU"), ("clustered", "clusters, wall"),
                              ("clustered_cpu", "clusters, CPU")]:
                print(f"{what}:\n{growth(before_rows, key)}")
            for (n, r), (_, b) in zip(rows, before_rows):
                print(f"{n:>9,} quotes, today / before: relink x{r['linked'] / b['linked']:.2f} (CPU "
                      f"x{r['linked_cpu'] / b['linked_cpu']:.2f}), clusters x{r['clustered'] / b['clustered']:.2f} "
                      f"(CPU x{r['clustered_cpu'] / b['clustered_cpu']:.2f})")
        rnd = random.Random(99)
        words = vocabulary(random.Random(7))
        texts = [r[0] for r in db.execute("select text from quotes order by random() limit 500")]
        names = [r[0] for r in db.execute("select name from speaker_aliases order by random() limit 200")]
        times = [add_article(db, rnd, words, texts, names, i) for i in range(args.adds)]
        print(f"\nadding one article of {QUOTES_PER_ARTICLE} quotes to the {rows[-1][0]:,}-quote database "
              f"(store + link + cluster): median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms over {args.adds} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
