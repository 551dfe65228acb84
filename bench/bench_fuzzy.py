"""Our own name matching, transliteration and quote index against well-kept libraries.

    pip install rapidfuzz jellyfish anyascii datasketch     # not dependencies of quotes
    .venv/bin/python bench/bench_fuzzy.py                   # 20,000 invented quotes
    .venv/bin/python bench/bench_fuzzy.py --quotes 5000

For each part that a library could do, the same inputs go through our code and the
library, in this one command, and it prints the time of each, the ratio, and how often
the answers differ:

- name similarity (quotes.link.edit_distance, bounded at one edit) against rapidfuzz's
  and jellyfish's Levenshtein, over every pair of surname keys in one block of the
  bench's speakers and the test corpus's names;
- transliteration (quotes.link.ascii_fold) against anyascii, on the same names and on
  names in Cyrillic, Greek and Arabic script;
- the word alignment of quote clustering (difflib in quotes.clusters.relation) against
  rapidfuzz's LCSseq on word lists, over the candidate pairs clustering compares;
- finding candidate clusters: our winnowed shingles against datasketch's MinHash LSH
  (128 permutations, threshold 0.5), in memory: time to index and query every quote, and
  recall of the pairs of quotes that bench_link reported again (the same quote, trimmed
  or with a word changed).

A benchmark, not a test: it prints figures and never fails.
"""
from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "data"))

import bench_link  # noqa: E402
import corpus_across  # noqa: E402

from quotes import clusters, link  # noqa: E402


def timed(fn, *args, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, out


def line(what: str, ours: float, theirs: float, lib: str, differ: str) -> None:
    print(f"  {what:<34} ours {ours * 1e3:8.1f} ms   {lib:<22} {theirs * 1e3:8.1f} ms   "
          f"ours x{theirs / ours:5.2f} of theirs   {differ}")


def names() -> list[str]:
    rnd = random.Random(7)
    out = [n for person in bench_link.people(rnd, 2000) for n in person]
    for _, _, _, quotes in corpus_across.ARTICLES:
        out += [name for _, _, name in quotes]
    return out


def name_similarity(all_names: list[str]) -> None:
    from rapidfuzz.distance import Levenshtein
    import jellyfish

    keys = sorted({link.parse_name(n).surname for n in all_names if not link.parse_name(n).org})
    by_len: dict[int, list[str]] = {}
    for k in keys:
        by_len.setdefault(len(k), []).append(k)
    pairs = [(a, b) for a in keys for b in by_len.get(len(a), []) + by_len.get(len(a) + 1, []) if a < b][:200_000]
    ours_t, ours = timed(lambda: [link.edit_distance(a, b, 1) <= 1 for a, b in pairs])
    rf_t, rf = timed(lambda: [Levenshtein.distance(a, b, score_cutoff=1) <= 1 for a, b in pairs])
    jf_t, jf = timed(lambda: [jellyfish.levenshtein_distance(a, b) <= 1 for a, b in pairs])
    print(f"name similarity: {len(pairs):,} pairs of surname keys (lengths within one)")
    line("within one edit", ours_t, rf_t, "rapidfuzz Levenshtein", f"{sum(x != y for x, y in zip(ours, rf))} differ")
    line("within one edit", ours_t, jf_t, "jellyfish levenshtein", f"{sum(x != y for x, y in zip(ours, jf))} differ")
    # what linking spends on it: the fuzzy test of every name pair of a relink
    calls = 0
    original = link.edit_distance

    def counting(a, b, limit):
        nonlocal calls
        calls += 1
        return original(a, b, limit)

    link.edit_distance = counting
    try:
        blocks: dict[str, dict[str, int]] = {}
        for n in all_names:
            blocks.setdefault(link.block_of(n), {})[n] = 1
        link.parse_name.cache_clear()
        total_t, _ = timed(lambda: [link.cluster_names(b) for b in blocks.values()], repeat=1)
    finally:
        link.edit_distance = original
    one_t, _ = timed(lambda: [original("tokayev", "tokaiev", 1) for _ in range(calls)], repeat=1)
    print(f"  linking {len(all_names):,} names took {total_t * 1e3:.0f} ms, of which edit distance about "
          f"{one_t * 1e3:.0f} ms ({calls:,} calls)")


def transliteration(all_names: list[str]) -> None:
    from anyascii import anyascii

    def theirs(text: str) -> str:
        return link.ascii_fold(anyascii(text))

    sample = sorted(set(all_names))
    ours_t, ours = timed(lambda: [link.ascii_fold(n) for n in sample])
    any_t, other = timed(lambda: [theirs(n) for n in sample])
    differ = [(n, a, b) for n, a, b in zip(sample, ours, other) if a != b]
    print(f"transliteration: {len(sample):,} distinct names in Latin script")
    line("ascii_fold", ours_t, any_t, "anyascii + fold", f"{len(differ)} differ {differ[:3]}")
    scripts = ["Касым-Жомарт Токаев", "Владимир Зеленский", "Κυριάκος Μητσοτάκης", "محمد بن سلمان", "習近平"]
    print("  other scripts (ours -> anyascii): " + "; ".join(
        f"{s} -> {link.ascii_fold(s)!r} / {theirs(s)!r}" for s in scripts))


def alignment(texts: list[str]) -> None:
    from rapidfuzz.distance import LCSseq

    rnd = random.Random(3)
    words = [clusters.words(t) for t in texts]
    pairs = []
    for _ in range(20_000):
        a = rnd.choice(words)
        b = list(a)
        if rnd.random() < 0.5 and len(b) > 6:
            b = b[: len(b) * 2 // 3]
        else:
            b[rnd.randrange(len(b))] = "changed"
        pairs.append((a, tuple(b)))

    def ours_matched():
        return [sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
                for a, b in pairs]

    def theirs_matched():
        return [LCSseq.similarity(a, b) for a, b in pairs]

    ours_t, ours = timed(ours_matched)
    rf_t, rf = timed(theirs_matched)
    print(f"quote alignment: {len(pairs):,} pairs of quotes (one trimmed or with a word changed)")
    line("words matched", ours_t, rf_t, "rapidfuzz LCSseq", f"{sum(x != y for x, y in zip(ours, rf))} differ")


def candidates(texts: list[str], reported: list[tuple[int, int]]) -> None:
    from datasketch import MinHash, MinHashLSH

    shingled = [clusters.words(t) for t in texts]

    def ours():
        index: dict[int, list[int]] = {}
        found = set()
        for i, ws in enumerate(shingled):
            if len(ws) < clusters.MIN_CLUSTER_WORDS:
                continue
            shared: dict[int, int] = {}
            prints = clusters.fingerprints(ws)
            for h in prints:
                posting = index.get(h, [])
                if len(posting) <= clusters.MAX_POSTINGS:
                    for j in posting:
                        shared[j] = shared.get(j, 0) + 1
            for j in sorted(shared, key=lambda j: (-shared[j], j))[:clusters.MAX_CANDIDATES]:
                found.add((j, i))
            for h in prints:
                index.setdefault(h, []).append(i)
        return found

    def theirs():
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        found = set()
        for i, ws in enumerate(shingled):
            if len(ws) < clusters.MIN_CLUSTER_WORDS:
                continue
            m = MinHash(num_perm=128)
            m.update_batch([" ".join(ws[k:k + 3]).encode() for k in range(len(ws) - 2)])
            for j in lsh.query(m):
                found.add((j, i))
            lsh.insert(i, m)
        return found

    ours_t, ours_found = timed(ours, repeat=1)
    lsh_t, lsh_found = timed(theirs, repeat=1)
    want = {p for p in reported if len(shingled[p[1]]) >= clusters.MIN_CLUSTER_WORDS}
    print(f"candidates: {len(texts):,} quotes, {len(want):,} pairs reported again (a quote and its report)")
    line("index + query every quote", ours_t, lsh_t, "datasketch MinHashLSH",
         f"recall ours {len(want & ours_found) / len(want):.3f}, theirs {len(want & lsh_found) / len(want):.3f}; "
         f"pairs proposed ours {len(ours_found):,}, theirs {len(lsh_found):,}")


def reported_quotes(n: int) -> tuple[list[str], list[tuple[int, int]]]:
    """bench_link's quotes: originals and their reports (the same, trimmed or with a word changed)."""
    rnd = random.Random(7)
    words = bench_link.vocabulary(rnd)
    texts: list[str] = []
    pairs: list[tuple[int, int]] = []
    recent: list[int] = []
    for _ in range(n):
        if recent and rnd.random() < 0.33:
            j = rnd.choice(recent)
            pairs.append((j, len(texts)))
            texts.append(bench_link.variant(rnd, texts[j], words))
        else:
            if rnd.random() < 0.3:
                recent = (recent + [len(texts)])[-bench_link.REPORTED_WINDOW:]
            texts.append(bench_link.quote_text(rnd, words))
    return texts, pairs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=20_000)
    args = parser.parse_args(argv)
    all_names = names()
    name_similarity(all_names)
    transliteration(all_names)
    texts, pairs = reported_quotes(args.quotes)
    alignment(texts)
    candidates(texts, pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
