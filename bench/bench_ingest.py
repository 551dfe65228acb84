"""How fast `ingest` stores articles: before batching, with 1 worker and with all cores, at
several database sizes, printed as a table.

    .venv/bin/python bench/bench_ingest.py                     # 1,000 articles; 0, 100k and 1M quotes
    .venv/bin/python bench/bench_ingest.py --quick             # 300 articles; 0 and 100k quotes
    .venv/bin/python bench/bench_ingest.py --sizes 0 --articles 2000 --json

Every mode ingests the same synthetic news (bench/corpus.py, about 12 quotes an article)
from a JSONL file into a copy of the same database, through quotes.ingest.ingest, in this
one command, so the figures compare:

- "before": the storage of b6cc63b, the baseline: one transaction an article and one
  INSERT a quote (each of which made FTS5 write its index out), one process;
- "1 worker": today's `--workers 1` (batches of 50 articles, one INSERT an article);
- "N workers": `--workers N`, N the cores (the engine in N worker processes).

The databases of 100k and 1M quotes are built by bulk SQL (3,000 speakers, 40 outlets,
three years, 12 quotes an article), not by ingesting, so building them takes seconds.
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

import corpus  # noqa: E402

import quotes.ingest as pipeline  # noqa: E402
from quotes import store  # noqa: E402
from quotes.extract import ENGINE_BUILD, ENGINE_VERSION  # noqa: E402
from quotes.parallel import default_workers  # noqa: E402

QUOTES_PER_ARTICLE = 12
SPEAKERS = 3000
OUTLETS = 40


def write_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for a in corpus.articles(n, seed=42, target_chars=1500):
            f.write(json.dumps({"text": a.text, "title": a.title, "outlet": a.outlet, "date": a.published}) + "\n")


def build_database(path: Path, n_quotes: int) -> None:
    """A database of `n_quotes` invented quotes, by a few INSERT ... SELECT statements."""
    db = store.open_db(path)
    articles = n_quotes // QUOTES_PER_ARTICLE
    if not articles:
        db.close()
        return
    n_quotes = articles * QUOTES_PER_ARTICLE
    with store.write_transaction(db):
        db.execute(f"""with recursive n(i) as (select 1 union all select i + 1 from n where i < {OUTLETS})
            insert into outlets (name) select 'Bench Outlet ' || i from n""")
        db.execute(f"""with recursive n(i) as (select 1 union all select i + 1 from n where i < {SPEAKERS})
            insert into speakers (name) select 'Bench Speaker ' || i from n""")
        db.execute(f"""with recursive n(i) as (select 1 union all select i + 1 from n where i < {articles})
            insert into articles (hash, title, outlet_id, published, source, text, engine_version)
            select 'bench-' || i, 'Bench article ' || i, 1 + i % {OUTLETS},
                   date('2022-01-01', '+' || (i % 1095) || ' days'), 'bench', 'Bench article text ' || i, 'bench'
            from n""")
        db.execute(f"""with recursive n(i) as (select 0 union all select i + 1 from n where i < {n_quotes - 1})
            insert into quotes (article_id, speaker_id, speaker_mention, kind, text, cue, venue, addressee,
                                start, "end", rule, engine_version, confidence)
            select 1 + i / {QUOTES_PER_ARTICLE}, 1 + abs(random()) % {SPEAKERS}, 'Bench Speaker',
                   case i % 3 when 0 then 'direct' when 1 then 'indirect' else 'mixed' end,
                   'The bench quote number ' || i || ' about the ' ||
                       case i % 5 when 0 then 'budget' when 1 then 'strike' when 2 then 'harbour'
                       when 3 then 'river' else 'council' end || ' and ' || (abs(random()) % 997),
                   'said', case i % 4 when 0 then 'press conference' when 1 then 'interview' end,
                   case i % 6 when 0 then 'reporters' end, (i % {QUOTES_PER_ARTICLE}) * 10,
                   (i % {QUOTES_PER_ARTICLE}) * 10 + 9, 'bench', 'bench', 0.5
            from n""")
    db.close()


def _insert_quotes_before(db, article_id, quotes, engine_version) -> int:
    """The storage of b6cc63b: one INSERT a quote (FTS5 wrote its index out at each one)."""
    rows = []
    speaker_ids: dict = {}
    for q in quotes:
        if q.speaker_name not in speaker_ids:
            speaker_ids[q.speaker_name] = store._lookup(db, "speakers", q.speaker_name)
        row = {c: getattr(q, c, None) for c in store.QUOTE_COLUMNS}
        row.update(article_id=article_id, speaker_id=speaker_ids[q.speaker_name], speaker_mention=q.speaker,
                   engine_version=engine_version, stance=1 if q.extra.get("stance") else 0)
        rows.append([row[c] for c in store.QUOTE_COLUMNS])
    if not rows:
        return 0
    return db.conn.executemany(store._INSERT_QUOTE, rows).rowcount


def run_mode(mode: str, base: Path, dump: Path, workdir: Path, workers: int) -> dict:
    db_path = workdir / f"{mode}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(base, db_path)
    saved = pipeline.BATCH_ARTICLES, store._insert_quotes
    if mode == "before":
        pipeline.BATCH_ARTICLES, store._insert_quotes = 1, _insert_quotes_before
    try:
        db = store.open_db(db_path)
        start = time.perf_counter()
        summary = pipeline.ingest(db, [str(dump)], workers=workers)
        seconds = time.perf_counter() - start
        db.close()
    finally:
        pipeline.BATCH_ARTICLES, store._insert_quotes = saved
    return {"seconds": seconds, "articles": summary.added, "quotes": summary.quotes,
            "articles_per_s": summary.added / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000, 1_000_000],
                        help="database sizes in quotes")
    parser.add_argument("--workers", type=int, default=default_workers(), help="workers of the last mode")
    parser.add_argument("--quick", action="store_true", help="300 articles; 0 and 100k quotes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.sizes = 300, [0, 100_000]
    modes = [("before", 1), ("1 worker", 1), (f"{args.workers} workers", args.workers)]
    figures: dict = {"engine_version": ENGINE_VERSION, "engine_build": ENGINE_BUILD,
                     "python": platform.python_version(), "cores": default_workers(),
                     "articles": args.articles, "sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        dump = tmpdir / "news.jsonl"
        write_corpus(dump, args.articles)
        for size in args.sizes:
            base = tmpdir / f"base-{size}.db"
            t0 = time.perf_counter()
            build_database(base, size)
            row = {"build_s": time.perf_counter() - t0}
            for mode, workers in modes:
                row[mode] = run_mode(mode, base, dump, tmpdir, workers)
            figures["sizes"][size] = row
            base.unlink()
    figures["peak_rss_mb_main"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"engine {ENGINE_VERSION} ({ENGINE_BUILD}), Python {figures['python']}, {figures['cores']} cores, "
          f"{args.articles:,} articles of synthetic news")
    print(f"{'database':>14}  " + "  ".join(f"{m:>18}" for m, _ in modes) + f"  {'x before':>9}")
    for size, row in figures["sizes"].items():
        cells = "  ".join(f"{row[m]['articles_per_s']:>10.0f} art/s   " for m, _ in modes)
        gain = row[modes[-1][0]]["articles_per_s"] / row["before"]["articles_per_s"]
        print(f"{size:>8,} quotes  {cells}  {gain:>8.2f}x")
    first, last = figures["sizes"][args.sizes[0]], figures["sizes"][args.sizes[-1]]
    for mode, _ in modes:
        change = last[mode]["articles_per_s"] / first[mode]["articles_per_s"] - 1
        print(f"{mode}: {change:+.0%} from {args.sizes[0]:,} to {args.sizes[-1]:,} quotes")
    print(f"peak RSS of the main process: {figures['peak_rss_mb_main']:.0f} MB")


if __name__ == "__main__":
    main()
