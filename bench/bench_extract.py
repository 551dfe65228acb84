"""How fast the engine extracts quotes and ingests articles, printed as a table.

    .venv/bin/python bench/bench_extract.py              # 1,000 articles (make bench)
    .venv/bin/python bench/bench_extract.py --quick      # 200 articles, fewer repeats
    .venv/bin/python bench/bench_extract.py --articles 5000 --json
    .venv/bin/python bench/bench_extract.py --quick --profile  # where the time goes

Absolute times drift on a shared machine, so every figure is also printed as a
multiple of a baseline measured in the same run over the same texts: a plain pass
that finds the words and splits the sentences with `re`. "x baseline" is the cost
of the engine in units of that pass; compare those between machines and commits.

Long and pathological inputs run in a child process with a time limit, so an
engine that turns quadratic shows up as "timeout" instead of hanging the run.
This is a benchmark, not a test: it prints figures and never fails on speed.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import re
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from quotes.extract import ENGINE_BUILD, ENGINE_VERSION, extract_quotes  # noqa: E402
from quotes.model import Article  # noqa: E402
from quotes.store import open_db, save_article  # noqa: E402

TARGET_ARTICLES_PER_S = 300
STRESS_SMALL = 20_000  # characters; each stress text is also timed at 10 times this
SUPERLINEAR = 3.0  # a 10x longer text costing this much more per MB is not linear
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def baseline(text: str) -> int:
    """The yardstick: one regex pass for words and one for sentences, as any text tool does."""
    return len(WORD.findall(text)) + len(SENTENCE_END.split(text))


def mb(texts) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def time_pass(fn, texts, repeats: int = 1) -> float:
    """Mean seconds for one pass of `fn` over `texts`."""
    start = time.perf_counter()
    for _ in range(repeats):
        for t in texts:
            fn(t)
    return (time.perf_counter() - start) / repeats


def extract_all(docs) -> tuple[float, list[float], list, list[tuple[int, str]]]:
    """Extract every article once; the engine's crashes are counted, not fatal."""
    per_doc, results, errors = [], [], []
    start = time.perf_counter()
    for i, d in enumerate(docs):
        t0 = time.perf_counter()
        try:
            results.append(extract_quotes(d.text, d.published))
        except Exception as e:  # the benchmark must report a crash, not die of it
            errors.append((i, f"{type(e).__name__}: {e}"))
            results.append([])
        per_doc.append(time.perf_counter() - t0)
    return time.perf_counter() - start, per_doc, results, errors


def ingest_all(docs) -> tuple[float, int, int]:
    """Extract and store every article in a fresh database file, as `quotes ingest` does."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        start = time.perf_counter()
        stored = failed = 0
        for d in docs:
            try:
                quotes = extract_quotes(d.text, d.published)
            except Exception:
                quotes, failed = [], failed + 1
            article = Article(text=d.text, title=d.title, outlet=d.outlet, published=d.published, source="bench")
            stored += save_article(db, article, quotes, ENGINE_VERSION).quotes
        elapsed = time.perf_counter() - start
        db.close()
    return elapsed, stored, failed


def offset_errors(docs, results) -> list[str]:
    """Quotes whose offsets do not give back their strings: the contract in quotes.model."""
    bad = []
    for i, (d, quotes) in enumerate(zip(docs, results)):
        for q in quotes:
            text = d.text
            if not (0 <= q.start <= q.end <= len(text)) or text[q.start:q.end] != q.text:
                bad.append(f"article {i}: quote [{q.start}:{q.end}] {q.text[:40]!r}")
            if q.speaker_start is not None and text[q.speaker_start:q.speaker_end] != q.speaker:
                bad.append(f"article {i}: speaker [{q.speaker_start}:{q.speaker_end}] {q.speaker!r}")
            if q.cue_start is not None and text[q.cue_start:q.cue_end] != q.cue:
                bad.append(f"article {i}: cue [{q.cue_start}:{q.cue_end}] {q.cue!r}")
    return bad


def _best(fn, text: str, inner: int, outer: int) -> float:
    """Seconds per call: the best of `outer` batches of `inner` calls.

    Batches of equal work (inner = 100 // length factor) make the figures for short and
    long texts comparable; the best batch is the one least disturbed by other processes.
    """
    best = float("inf")
    for _ in range(outer):
        start = time.perf_counter()
        for _ in range(inner):
            fn(text)
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def _child(conn, text: str, inner: int, outer: int) -> None:
    try:
        n = len(extract_quotes(text))
        conn.send(("ok", _best(extract_quotes, text, inner, outer), _best(baseline, text, inner, outer), n))
    except Exception as e:
        conn.send(("error", f"{type(e).__name__}: {e}", traceback.format_exc(limit=-3), 0))


def time_limited(text: str, inner: int, outer: int, limit: float):
    """(status, engine seconds, baseline seconds, quotes) for one text, run in a child process."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, text, inner, outer))
    proc.start()
    if parent.poll(limit):
        result = parent.recv()
        proc.join()
        return result
    proc.kill()
    proc.join()
    return ("timeout", None, None, 0)


def run(n_articles: int, quick: bool, limit: float) -> dict:
    docs = corpus.articles(n_articles)
    texts = [d.text for d in docs]
    size = mb(texts)
    figures: dict = {
        "engine_version": ENGINE_VERSION,
        "engine_build": ENGINE_BUILD,
        "python": platform.python_version(),
        "articles": n_articles,
        "mb": round(size, 3),
    }
    repeats = 1 if quick else 3
    # Warm up imports and caches so the first article does not pay for them.
    for t in texts[:5]:
        extract_quotes(t)
    base = min(time_pass(baseline, texts) for _ in range(repeats))
    runs = [extract_all(docs) for _ in range(repeats)]
    ext, per_doc, results, errors = min(runs, key=lambda r: r[0])
    ing, stored, failed = min((ingest_all(docs) for _ in range(repeats)), key=lambda r: r[0])
    figures["throughput"] = {
        name: {"seconds": s, "articles_per_s": n_articles / s, "mb_per_s": size / s, "x_baseline": s / base}
        for name, s in (("baseline", base), ("extract", ext), ("ingest", ing))
    }
    slowest = max(range(len(per_doc)), key=per_doc.__getitem__)
    figures["per_article_ms"] = {
        "median": statistics.median(per_doc) * 1000,
        "max": per_doc[slowest] * 1000,
        "slowest_article": slowest,
    }
    figures["quotes"] = sum(len(r) for r in results)
    figures["quotes_stored"] = stored
    figures["engine_errors"] = [f"article {i}: {msg}" for i, msg in errors]
    figures["offset_errors"] = offset_errors(docs, results)

    scaling = {}
    outer = 1 if quick else 3
    for factor in (1, 10, 100):
        text = corpus.scaled(factor)
        status, secs, base_secs, n = time_limited(text, 100 // factor, outer, limit)
        size_f = mb([text])
        scaling[factor] = {
            "status": status, "mb": size_f, "quotes": n,
            "s_per_mb": secs / size_f if status == "ok" else None,
            "baseline_s_per_mb": base_secs / size_f if status == "ok" else None,
            "detail": secs if status == "error" else None,
        }
    one = scaling[1]["s_per_mb"]
    for s in scaling.values():
        s["ratio_to_1x"] = s["s_per_mb"] / one if s["s_per_mb"] and one else None
        s["x_baseline"] = s["s_per_mb"] / s["baseline_s_per_mb"] if s["s_per_mb"] and s["baseline_s_per_mb"] else None
    figures["scaling"] = scaling

    stress = {}
    for kind in corpus.STRESS_UNITS:
        row = {}
        for size, inner in ((STRESS_SMALL, 10), (STRESS_SMALL * 10, 1)):
            text = corpus.stress(kind, size)
            status, secs, _, _ = time_limited(text, inner, outer, limit)
            row[size] = secs / mb([text]) if status == "ok" else status
            if status == "error":
                figures["engine_errors"].append(f"stress text {kind!r} of {size:,} characters: {secs}")
        small, big = row.values()
        row["ratio"] = big / small if isinstance(small, float) and isinstance(big, float) and small else None
        stress[kind] = row
    figures["stress"] = stress

    text = corpus.pathological()
    status, secs, base_secs, n = time_limited(text, 1, 1, limit)
    if status == "error":
        figures["engine_errors"].append(f"pathological text: {secs}")
    figures["pathological"] = {
        "status": status, "mb": mb([text]), "seconds": secs if status == "ok" else None,
        "x_baseline": secs / base_secs if status == "ok" and base_secs else None,
        "quotes": n, "detail": secs if status == "error" else None,
    }
    return figures


def _num(v, fmt: str) -> str:
    return "-" if v is None else format(v, fmt)


def report(f: dict, limit: float) -> str:
    lines = [
        f"quotes engine {f['engine_version']} ({f['engine_build']}), Python {f['python']}, one process on one core",
        f"corpus: {f['articles']:,} synthetic articles, {f['mb']:.2f} MB "
        f"(bench/corpus.py, about {f['mb'] * 1e6 / f['articles'] / 1000:.1f} KB each)",
        "",
        f"{'throughput':<30}{'seconds':>9}{'articles/s':>12}{'MB/s':>9}{'x baseline':>12}",
    ]
    labels = {"baseline": "baseline (re words+sentences)", "extract": "extract_quotes", "ingest": "ingest (extract + SQLite)"}
    for key, row in f["throughput"].items():
        lines.append(
            f"{labels[key]:<30}{row['seconds']:>9.3f}{row['articles_per_s']:>12,.0f}"
            f"{row['mb_per_s']:>9.2f}{row['x_baseline']:>12.1f}"
        )
    pa = f["per_article_ms"]
    rate = f["throughput"]["extract"]["articles_per_s"]
    verdict = "met" if rate >= TARGET_ARTICLES_PER_S else "NOT met"
    lines += [
        f"per article: median {pa['median']:.2f} ms, slowest {pa['max']:.2f} ms (article {pa['slowest_article']})",
        f"quotes found: {f['quotes']:,} ({f['quotes'] / f['articles']:.1f} per article), stored: {f['quotes_stored']:,}",
        f"target >= {TARGET_ARTICLES_PER_S} articles/s for extraction: {verdict} ({rate:,.0f}/s)",
        "",
        f"{'scaling (one article)':<24}{'MB':>7}{'s/MB':>9}{'ratio to 1x':>13}{'x baseline':>12}{'quotes':>8}",
    ]
    for factor, s in f["scaling"].items():
        if s["status"] == "ok":
            lines.append(
                f"{str(factor) + 'x':<24}{s['mb']:>7.3f}{s['s_per_mb']:>9.3f}{_num(s['ratio_to_1x'], '.2f'):>13}"
                f"{_num(s['x_baseline'], '.1f'):>12}{s['quotes']:>8,}"
                + ("  <- superlinear" if (s["ratio_to_1x"] or 0) > SUPERLINEAR else "")
            )
        else:
            lines.append(f"{str(factor) + 'x':<24}{s['mb']:>7.3f}  {s['status']} {s['detail'] or f'> {limit:.0f} s'}")
    lines.append("(ratio ~1 at 10x and 100x means cost is linear in length)")
    lines += [
        "",
        f"{'stress (one construction)':<34}{'s/MB @20KB':>11}{'s/MB @200KB':>12}{'ratio':>7}",
    ]
    for kind, row in f["stress"].items():
        small, big, ratio = row[STRESS_SMALL], row[STRESS_SMALL * 10], row["ratio"]
        cells = [format(v, ".3f") if isinstance(v, float) else str(v) for v in (small, big)]
        flag = "  <- superlinear" if ratio and ratio > SUPERLINEAR or big == "timeout" else ""
        lines.append(f"{kind:<34}{cells[0]:>11}{cells[1]:>12}{_num(ratio, '.2f'):>7}{flag}")
    p = f["pathological"]
    if p["status"] == "ok":
        lines.append(
            f"\npathological: {p['mb']:.2f} MB with thousands of unbalanced quotation marks: "
            f"{p['seconds']:.3f} s ({p['x_baseline']:.1f} x baseline), {p['quotes']:,} quotes"
        )
    else:
        lines.append(f"\npathological: {p['mb']:.2f} MB: {p['status']} {p['detail'] or f'> {limit:.0f} s'}")
    for key, title in (("engine_errors", "engine raised"), ("offset_errors", "offsets that do not give back the string")):
        if f[key]:
            lines.append(f"\n{title}: {len(f[key])}")
            lines += [f"  {e}" for e in f[key][:5]]
    return "\n".join(lines)


def profile(n_articles: int, top: int = 25) -> None:
    """cProfile over the corpus, so the engine's author sees which stage to speed up."""
    import cProfile
    import pstats

    if not ENGINE_BUILD.startswith("Python source"):
        print("note: cProfile sees no function inside the compiled engine; for them, run this with "
              "QUOTES_PURE_PYTHON=1 (the same rules as source), or callgrind the compiled build", file=sys.stderr)
    docs = corpus.articles(n_articles)
    prof = cProfile.Profile()
    prof.enable()
    for d in docs:
        extract_quotes(d.text, d.published)
    prof.disable()
    pstats.Stats(prof).strip_dirs().sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many ~4 KB articles (default 1000)")
    parser.add_argument("--quick", action="store_true", help="200 articles unless --articles, one repeat")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds allowed per long input (default 60)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", action="store_true", help="instead, profile extraction: where the time goes")
    args = parser.parse_args(argv)
    n = args.articles if (args.articles != 1000 or not args.quick) else 200
    if n < 1:
        parser.error("--articles must be at least 1")
    if args.profile:
        profile(n)
        return 0
    figures = run(n, args.quick, args.limit)
    print(json.dumps(figures, indent=2) if args.json else report(figures, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
