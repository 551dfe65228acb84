"""What browsing by quote cluster costs: the cluster pages, the three cluster queries, the
`seen_in_outlets` facet, and what keeping migration 007's columns adds to clustering.

    .venv/bin/python bench/bench_cluster_pages.py                       # 100k quotes
    .venv/bin/python bench/bench_cluster_pages.py --sizes 100000 1000000 --baseline-max 100000

Each database is bench/bench_link.py's (invented quotes, about a third reported again by
other outlets), linked and clustered. For each size it prints:
- clustering (quotes.clusters.rebuild) as it is, against a baseline run in the same command
  with the cluster refresh as it was before migration 007 (no `speakers` count, no
  `seen_in_outlets` on the quotes), in turn --repeat times, the fastest of each, for sizes
  up to --baseline-max;
- the cost of the trigger that keeps `clusters.speakers` when a clustered quote's speaker
  changes: 10,000 clustered quotes given another speaker in one statement, with and
  without it (rolled back each time);
- the median of --runs fetches of each page through Datasette's test client: the largest
  cluster's page, a cluster seen twice, a quote's page, the three canned queries, and All
  quotes and the quotes table faceted by seen_in_outlets, and All quotes faceted by speaker
  for comparison (a facet missing from the JSON's facet_results, as Datasette drops one
  over its time limit, prints FAIL).
Read the times as orders of magnitude: the machine is shared.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_link import build  # noqa: E402
from quotes import clusters, link, store  # noqa: E402
from quotes.serve import make_datasette  # noqa: E402

FACET_BUDGET_MS = 200  # Datasette's facet_time_limit_ms


def refresh_before_007(db, cluster_id: int) -> None:
    """quotes.clusters._refresh as it was before migration 007: the baseline."""
    conn = clusters._conn(db)
    n, sightings, outlets = conn.execute("""select count(*), count(distinct q.article_id), count(distinct a.outlet_id)
from quotes q join articles a on a.id = q.article_id where q.cluster_id = ?""", [cluster_id]).fetchone()
    if n == 0:
        conn.execute("delete from cluster_fingerprints where cluster_id = ?", [cluster_id])
        conn.execute("delete from clusters where id = ?", [cluster_id])
        return
    date = clusters._DATE
    first = conn.execute(f"""select q.id, q.article_id, a.outlet_id, {date} from quotes q
join articles a on a.id = q.article_id where q.cluster_id = ?
order by {date} is null, {date}, q.article_id, q.start limit 1""", [cluster_id]).fetchone()
    [text] = conn.execute("select text from quotes where cluster_id = ? order by length(text) desc, id limit 1",
                          [cluster_id]).fetchone()
    conn.execute("""update clusters set text = ?, words = ?, quotes = ?, sightings = ?, outlets = ?,
first_seen_quote_id = ?, first_seen_article_id = ?, first_seen_outlet_id = ?, first_seen_date = ? where id = ?""",
                 [text, len(clusters.words(text)), n, sightings, outlets, *first, cluster_id])


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def trigger_cost(db, sample: int = 10_000) -> tuple[float, float, int]:
    """Seconds to give `sample` clustered quotes (the latest) one speaker (the first), with the
    trigger and without it; each change rolled back."""
    conn = db.conn
    conn.commit()
    [first] = conn.execute("select min(id) from speakers").fetchone()
    ids = [r[0] for r in conn.execute("select id from quotes where cluster_id is not null and speaker_id != ? "
                                      "order by id desc limit ?", [first, sample])]
    marks = ", ".join(map(str, ids))
    times = []
    for keep_trigger in (True, False):
        conn.execute("begin")
        if not keep_trigger:
            conn.execute("drop trigger quotes_cluster_speakers")
        times.append(timed(lambda: conn.execute(f"update quotes set speaker_id = ? where id in ({marks})", [first])))
        conn.execute("rollback")
    return times[0], times[1], len(ids)


def pages(path: Path, runs: int) -> list[tuple[str, float, str]]:
    """(page, median ms, note) for each page."""
    db = store.open_db(path)
    big = db.execute("select id, sightings from clusters order by sightings desc limit 1").fetchone()
    two = db.execute("select id from clusters where sightings = 2 limit 1").fetchone()[0]
    quote = db.execute("select first_seen_quote_id from clusters where id = ?", [big[0]]).fetchone()[0]
    db.close()
    name = path.stem
    wanted = [
        (f"cluster page, largest ({big[1]} sightings)", f"/-/cluster/{big[0]}", None),
        ("cluster page, seen twice", f"/-/cluster/{two}", None),
        ("quote page (with its cluster)", f"/-/quote/{quote}", None),
        ("most_repeated_quotes", f"/{name}/most_repeated_quotes.json?_shape=array", None),
        ("quotes_given_to_several_speakers", f"/{name}/quotes_given_to_several_speakers.json?_shape=array", None),
        ("quotes_first_seen_by_outlet", f"/{name}/quotes_first_seen_by_outlet.json?_shape=array", None),
        ("group by cluster (clusters_view, counted)", f"/{name}/clusters_view.json?_sort_desc=sightings&sightings__gte=2",
         None),
        ("group by cluster (the HTML page /-/clusters opens)",
         f"/{name}/clusters_view?_sort_desc=sightings&sightings__gte=2&_nocount=1", None),
        ("All quotes, facet seen_in_outlets only", f"/{name}/quotes_view.json?_facet=seen_in_outlets&_size=0",
         "seen_in_outlets"),
        ("All quotes, facet speaker only (for comparison)", f"/{name}/quotes_view.json?_facet=speaker&_size=0",
         "speaker"),
        ("quotes table, facet seen_in_outlets only",
         f"/{name}/quotes.json?_facet=seen_in_outlets&_size=0", "seen_in_outlets"),
    ]
    ds = make_datasette(path)
    out = []

    async def run():
        await ds.invoke_startup()
        for label, url, facet in wanted:
            times, note = [], ""
            for _ in range(runs):
                t = time.perf_counter()
                response = await ds.client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                if response.status_code != 200:
                    note = f"FAIL: status {response.status_code}"
                elif facet and facet not in response.json().get("facet_results", {}):
                    note = f"FAIL: facet {facet} dropped (over {FACET_BUDGET_MS} ms)"
            out.append((label, statistics.median(times), note))

    asyncio.run(run())
    return out


def report(db, path: Path, now: float | None, before: float | None, runs: int) -> bool:
    """Print one database's figures; whether any page failed."""
    n, made, shared = db.execute("select (select count(*) from quotes), count(*), count(*) filter (where sightings > 1) "
                                 "from clusters").fetchone()
    print(f"\n{n:,} quotes, {made:,} clusters ({shared:,} seen more than once)")
    if now is not None:
        line = f"  clustering (rebuild): {now:.1f} s"
        if before is not None:
            line += f"; before migration 007 {before:.1f} s (x{now / before:.2f})"
        print(line)
    with_trigger, without, changed = trigger_cost(db)
    print(f"  {changed:,} clustered quotes given another speaker: {with_trigger:.2f} s with the "
          f"speakers trigger, {without:.2f} s without (+{(with_trigger - without) / changed * 1e6:.1f} us a quote)")
    db.close()
    failed = False
    print(f"  {'page':<48} {'median ms':>9}")
    for label, ms, note in pages(path, runs):
        failed |= note.startswith("FAIL")
        print(f"  {label:<48} {ms:>9.1f}  {note}", flush=True)
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="Quotes in each database")
    parser.add_argument("--baseline-max", type=int, default=100_000,
                        help="Run the pre-007 clustering baseline for sizes up to this")
    parser.add_argument("--repeat", type=int, default=2,
                        help="Clustering runs, baseline and current in turn (the fastest of each is printed)")
    parser.add_argument("--runs", type=int, default=5, help="Fetches of each page (the median is printed)")
    parser.add_argument("--dir", default=None, help="Where to build the databases (a temporary folder)")
    parser.add_argument("--db", type=Path, default=None,
                        help="Time the trigger and the pages of this linked and clustered database instead of building")
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for n in [None] if args.db else args.sizes:
            if args.db:
                path, db = args.db, store.open_db(args.db)
                failed |= report(db, path, None, None, args.runs)
                continue
            path = Path(tmp) / f"bench{n}.db"
            build(path, n)
            db = store.open_db(path)
            link.relink(db)
            befores, nows = [], []
            for _ in range(args.repeat if n <= args.baseline_max else 0):  # in turn, so both see the same machine
                current = clusters._refresh
                clusters._refresh = refresh_before_007
                try:
                    befores.append(timed(lambda: clusters.rebuild(db)))
                finally:
                    clusters._refresh = current
                nows.append(timed(lambda: clusters.rebuild(db)))
            before = min(befores) if befores else None
            now = min(nows) if nows else timed(lambda: clusters.rebuild(db))
            failed |= report(db, path, now, before, args.runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
