"""How fast `ingest` stores articles, speakers linked and quotes clustered across articles
included: the path before batched linking, 1 worker and all cores, at several database
sizes, printed as a table.

    .venv/bin/python bench/bench_ingest.py                     # 1,000 articles; 0, 100k and 1M quotes
    .venv/bin/python bench/bench_ingest.py --quick             # 300 articles; 0 and 100k quotes
    .venv/bin/python bench/bench_ingest.py --sizes 0 --articles 2000 --json
    .venv/bin/python bench/bench_ingest.py --kind-counts --no-before   # what quote_kind_counts costs
    .venv/bin/python bench/bench_ingest.py --venue-counts --no-before  # what quote_venue_counts costs
    .venv/bin/python bench/bench_ingest.py --facet-index --no-before   # what migrations 014-015 cost

Every mode ingests the same synthetic news (bench/corpus.py, about 12 quotes an article)
from a JSONL file into a copy of the same database, through quotes.ingest.ingest, in this
one command, so the figures compare:

- "before": the baseline, the single-process path before linking went by batches
  (commit cd310e1): batches of 50 articles stored as today, then each article's speakers
  linked and its quotes clustered on their own, by that commit's quotes/link.py and
  quotes/clusters.py (read with `git show`), one process; `--before COMMIT` takes another
  commit's two files instead (`--before 2393d99 --before-workers 2`: batched linking before
  3362ac6, with 2 workers, so the main process's CPU is the writer's in both);
- "1 worker": today's `--workers 1` (linking and clustering once a batch);
- "N workers": `--workers N`, N the cores (the engine in N worker processes);
- with --kind-counts, "no kind counts": N workers with the count triggers as they were before
  migration 010 (no quote_kind_counts upserts, its index dropped), so the difference with
  "N workers" is what one kind's counted facets cost the writer;
- with --venue-counts, "no venue counts": the same without migration 012's counting (no
  quote_venue_counts upserts, its two indexes dropped): what a venue's counted facets cost.
- with --facet-index, "no facet indexes": the same without the indexes of the facet columns
  of migrations 014 (by id) and 015 (by speaker and outlet, by addressee), idx_quotes_speaker_id
  as before them: what reading a search's, a speaker's in an outlet and an addressee's facets
  from compact indexes costs the writer.

The databases of 100k and 1M quotes are bench/bench_link.py's invented news (10 quotes an
article, 25 outlets, speakers written several ways, a third of the quotes reported again)
with the synthetic news's 900 people among its speakers, so the names ingested fall into
blocks that already hold their quotes; then linked (`relink`) and clustered, as ingest
would have left them. They take minutes to make, so they are made once and kept in
--cache (/tmp/quotes-bench-cache; --rebuild to make them again).
This is a benchmark, not a test: it prints figures and never fails on speed.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_link  # noqa: E402
import corpus  # noqa: E402

import quotes.ingest as pipeline  # noqa: E402
from quotes import clusters, link, store  # noqa: E402
from quotes.extract import ENGINE_BUILD, ENGINE_VERSION  # noqa: E402
from quotes.parallel import default_workers  # noqa: E402



def write_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for a in corpus.articles(n, seed=42, target_chars=1500):
            f.write(json.dumps({"text": a.text, "title": a.title, "outlet": a.outlet, "date": a.published}) + "\n")


ROOT = Path(__file__).resolve().parent.parent
BEFORE = "cd310e1"  # the last commit that linked and clustered article by article
CACHE_VERSION = 1  # change when the databases built here change


def corpus_people() -> list[list[str]]:
    """The synthetic news's people, each as the engine may name them."""
    return [[f"{first} {last}", f"Senator {first} {last}", last] for first in corpus.FIRST for last in corpus.LAST]


def cached_database(cache: Path, n_quotes: int, rebuild: bool = False) -> Path:
    """A linked and clustered database of `n_quotes` invented quotes, made once (minutes at 1M)."""
    path = cache / f"ingest-base-{n_quotes}-v{CACHE_VERSION}.db"
    if path.exists() and not rebuild:
        return path
    cache.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    if n_quotes:
        t0 = time.perf_counter()
        bench_link.build(building, n_quotes, extra_people=corpus_people())
        db = store.open_db(building)
        link.relink(db)
        clusters.rebuild(db)
        db.conn.execute("pragma wal_checkpoint(truncate)")
        db.close()
        print(f"(built the {n_quotes:,}-quote database in {time.perf_counter() - t0:.0f} s: {path})", file=sys.stderr)
    else:
        store.open_db(building).close()
    for suffix in ("-wal", "-shm"):
        Path(str(building) + suffix).unlink(missing_ok=True)
    building.rename(path)
    return path


def before_after_saved(commit: str = BEFORE, repo: Path = ROOT):
    """after_saved as it was at `commit` (its link.py and clusters.py)."""
    return bench_link.modules_at(commit, repo)[0].after_saved


NO_KIND_COUNTS = "no kind counts"  # --kind-counts: today's N workers without migration 010's counting


def without_kind_counts(db) -> None:
    """The count triggers as they were before migration 010 (no quote_kind_counts upserts), and
    its index gone: what one kind's facets cost at ingest is the difference with "1 worker"."""
    store.drop_count_triggers(db)
    store.create_count_triggers(db, kinds=())
    db.execute("drop index if exists idx_quotes_kind_seen_in_outlets")


NO_VENUE_COUNTS = "no venue counts"  # --venue-counts: today's N workers without migration 012's counting


def without_venue_counts(db) -> None:
    """The count triggers without quote_venue_counts' upserts, and its two indexes gone."""
    store.drop_count_triggers(db)
    store.create_count_triggers(db, venues=())
    db.execute("drop index if exists idx_quotes_venue_seen_in_outlets")
    db.execute("drop index if exists idx_quotes_venue_date")


NO_FACET_INDEX = "no facet indexes"  # --facet-index: today's N workers without migrations 014 and 015's indexes


def without_facet_index(db) -> None:
    for index in (store.FACETS_BY_ID_INDEX, "idx_quotes_speaker_id_outlet_id_facets", "idx_quotes_addressee_facets"):
        db.execute(f"drop index if exists {index}")
    db.execute("create index if not exists idx_quotes_speaker_id on quotes (speaker_id)")


def run_mode(mode: str, base: Path, dump: Path, workdir: Path, workers: int, repo: Path = ROOT,
             before: str = BEFORE) -> dict:
    db_path = workdir / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(base, db_path)
    saved = link.after_saved
    if mode == "before":
        link.after_saved = before_after_saved(before, repo)
    try:
        db = store.open_db(db_path)
        if mode == NO_KIND_COUNTS:
            without_kind_counts(db)
        if mode == NO_VENUE_COUNTS:
            without_venue_counts(db)
        if mode == NO_FACET_INDEX:
            without_facet_index(db)
        start, cpu, workers_cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        summary = pipeline.ingest(db, [str(dump)], workers=workers)
        seconds = time.perf_counter() - start
        cpu, workers_cpu = _cpu(resource.RUSAGE_SELF) - cpu, _cpu(resource.RUSAGE_CHILDREN) - workers_cpu
        speakers = db.execute("select count(*) from speakers").fetchone()[0]
        db.close()
    finally:
        link.after_saved = saved
    if summary.skipped:
        raise SystemExit(f"{mode}: {summary.line()}")
    n = summary.added
    return {"seconds": seconds, "articles": n, "quotes": summary.quotes, "articles_per_s": n / seconds,
            "speakers": speakers, "main_cpu_ms": cpu / n * 1e3, "workers_cpu_ms": workers_cpu / n * 1e3,
            # what the run would reach with a core for each process: the busiest one sets the pace
            "articles_per_cpu_s": n / max(cpu, workers_cpu / workers if workers > 1 else 0)}


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000, 1_000_000],
                        help="database sizes in quotes")
    parser.add_argument("--workers", type=int, default=default_workers(), help="workers of the last mode")
    parser.add_argument("--quick", action="store_true", help="300 articles; 0 and 100k quotes")
    parser.add_argument("--kind-counts", action="store_true",
                        help=f"add the mode {NO_KIND_COUNTS!r}: N workers without quote_kind_counts' triggers")
    parser.add_argument("--venue-counts", action="store_true",
                        help=f"add the mode {NO_VENUE_COUNTS!r}: N workers without quote_venue_counts' triggers")
    parser.add_argument("--facet-index", action="store_true",
                        help=f"add the mode {NO_FACET_INDEX!r}: N workers without migrations 014-015's indexes")
    parser.add_argument("--no-before", action="store_true", help="leave out the baseline (cd310e1's is slow at 1M)")
    parser.add_argument("--before", default=BEFORE, metavar="COMMIT",
                        help=f"the commit whose link.py and clusters.py the baseline runs, one process ({BEFORE})")
    parser.add_argument("--before-workers", type=int, default=1, help="workers of the baseline (1)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/quotes-bench-cache"),
                        help="where the databases of 100k and 1M quotes are kept")
    parser.add_argument("--rebuild", action="store_true", help="make the cached databases again")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git repository holding the baseline commit")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.sizes = 300, [0, 100_000]
    modes = [("before", args.before_workers), ("1 worker", 1), (f"{args.workers} workers", args.workers)]
    if args.kind_counts:
        modes.insert(1, (NO_KIND_COUNTS, args.workers))
    if args.venue_counts:
        modes.insert(1, (NO_VENUE_COUNTS, args.workers))
    if args.facet_index:
        modes.insert(1, (NO_FACET_INDEX, args.workers))
    if args.no_before:
        modes = modes[1:]
    figures: dict = {"engine_version": ENGINE_VERSION, "engine_build": ENGINE_BUILD,
                     "python": platform.python_version(), "cores": default_workers(),
                     "articles": args.articles, "sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        dump = tmpdir / "news.jsonl"
        write_corpus(dump, args.articles)
        for size in args.sizes:
            base = cached_database(args.cache, size, args.rebuild)
            row = {}
            for mode, workers in modes:
                row[mode] = run_mode(mode, base, dump, tmpdir, workers, args.repo, args.before)
                r = row[mode]
                print(f"  {size:,} quotes, {mode}: {r['articles_per_s']:.0f} articles/s; CPU a article: main "
                      f"{r['main_cpu_ms']:.1f} ms, workers {r['workers_cpu_ms']:.1f} ms", file=sys.stderr, flush=True)
            figures["sizes"][size] = row
    figures["peak_rss_mb_main"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"engine {ENGINE_VERSION} ({ENGINE_BUILD}), Python {figures['python']}, {figures['cores']} cores, "
          f"{args.articles:,} articles of synthetic news; linking and clustering included; before = {args.before}")
    for key, title in (("articles_per_s", "articles/s, wall clock (shared with whatever else the machine runs)"),
                       ("articles_per_cpu_s", "articles/s of CPU: articles over the CPU time of the busiest process "
                                              "(the main one, or a worker's share): the pace with a core each")):
        print(f"\n{title}")
        print(f"{'database':>14}  " + "  ".join(f"{m:>14}" for m, _ in modes)
              + "".join(f"  {m + ' x ' + modes[0][0]:>24}" for m, _ in modes[1:]))
        for size, row in figures["sizes"].items():
            cells = "  ".join(f"{row[m][key]:>8.0f} art/s" for m, _ in modes)
            gains = "".join(f"  {row[m][key] / row[modes[0][0]][key]:>23.2f}x" for m, _ in modes[1:])
            print(f"{size:>8,} quotes  {cells}{gains}")
        first, last = figures["sizes"][args.sizes[0]], figures["sizes"][args.sizes[-1]]
        print("  " + "; ".join(f"{mode}: {last[mode][key] / first[mode][key] - 1:+.0%}" for mode, _ in modes)
              + f" from {args.sizes[0]:,} to {args.sizes[-1]:,} quotes")
    print("\nCPU an article (main process / workers), ms:")
    for size, row in figures["sizes"].items():
        print(f"{size:>8,} quotes  " + "  ".join(f"{m}: {row[m]['main_cpu_ms']:.1f} / {row[m]['workers_cpu_ms']:.1f}"
                                               for m, _ in modes))
    print(f"peak RSS of the main process: {figures['peak_rss_mb_main']:.0f} MB")


if __name__ == "__main__":
    main()
