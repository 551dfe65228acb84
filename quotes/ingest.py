"""The pipeline: inputs -> Articles -> extract_quotes -> the database (or rows to print).

`ingest` reads the inputs in this process, has the engine run in worker processes
(quotes.parallel) or on a Dask cluster (quotes.cluster), and stores the results here,
the one writer, in input order: article ids are those a single process gives. Articles
are committed in batches (BATCH_ARTICLES, or what BATCH_SECONDS gathers), each batch one
transaction, so a run stopped or killed half-way loses nothing already committed and
leaves no article half-stored, and a second run adds nothing new. An article whose URL
is stored with another text is updated (text, metadata, quotes) under the same id.
Inputs that cannot be read are reported through `on_error`, in input order, and
counted; the run goes on.

A batch is committed and counted with Ctrl-C held back for those few milliseconds, so
the summary printed after an interrupt is exactly what the database holds; Ctrl-C
commits the articles already extracted, then stops.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import sqlite_utils

from . import link, parallel, store
from .extract import ENGINE_VERSION, extract_quotes
from .model import Article, Quote
from .sources import ArticleMeta, InputError, Skipped, iter_articles

# The largest article text read, in MB of UTF-8 (--max-article-mb): 10 MB. Ingest needs
# about 40 times an article's size in memory (an article of 9.99 MB peaked at 387 MB RSS);
# news articles are a few KB, so a text this long is a dump or a mistake: refused, one line.
MAX_ARTICLE_MB = 10.0

# A batch, committed as one transaction: 50 articles, or fewer once the first of them has
# waited 1 s. Larger batches gain little (storing is then mostly the indexes' work) and
# hold the write lock longer against other writers.
BATCH_ARTICLES = 50
BATCH_SECONDS = 1.0
# How far reading runs ahead of storing: at most 64 MB of article text, and 4 chunks a
# worker, waiting for or inside the engine (enough to keep every worker busy).
WINDOW_MB = 64
WINDOW_CHUNKS_PER_WORKER = 4

# Columns of `quotes extract --nl`, in order: what `quotes eval --predictions` reads.
QUOTE_COLUMNS = [
    "doc_id", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end",
    "speaker_name", "role", "cue", "cue_start", "cue_end", "addressee", "venue", "place",
    "date", "rule", "speaker_type", "confidence",
]


@dataclass
class IngestSummary:
    added: int = 0  # articles stored
    quotes: int = 0  # quotes stored with them
    present: int = 0  # articles already in the database
    updated: int = 0  # stored articles (same URL) whose text changed, replaced
    updated_quotes: int = 0  # quotes those updated articles have now
    bytes: int = 0  # bytes of input read (files, pages), for the progress display
    skipped: Counter = field(default_factory=Counter)  # errors, by reason
    passed: Counter = field(default_factory=Counter)  # things deliberately not read, by reason
    warned: Counter = field(default_factory=Counter)  # articles read with a warning (URL dropped...), by reason

    @property
    def ok(self) -> bool:
        return not self.skipped

    def line(self) -> str:
        """``Added 12 articles (340 quotes); 1 updated (4 quotes); 3 already present; 2 skipped (2 no text): see above.``"""
        parts = [f"Added {_n(self.added, 'article')} ({_n(self.quotes, 'quote')})"]
        if self.updated:
            parts.append(f"{self.updated:,} updated ({_n(self.updated_quotes, 'quote')})")
        if self.present:
            parts.append(f"{self.present} already present")
        if self.passed:
            parts.append(f"{sum(self.passed.values())} passed over ({_reasons(self.passed)})")
        if self.warned:
            see = "" if self.skipped else ": see above"
            parts.append(f"{_n(sum(self.warned.values()), 'warning')} ({_reasons(self.warned)}){see}")
        if self.skipped:
            parts.append(f"{sum(self.skipped.values())} skipped ({_reasons(self.skipped)}): see above")
        return "; ".join(parts) + "."


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _reasons(counter: Counter) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in counter.most_common())


def extract(article: Article, include_stance: bool = False) -> list[Quote]:
    return extract_quotes(article.text, published=article.published, include_stance=include_stance,
                          structure=article.structure)


def _items(inputs, summary: IngestSummary, max_article_mb: float = MAX_ARTICLE_MB,
           **source_options) -> Iterator[Article | InputError | Skipped]:
    """Everything read, in input order: articles, and errors and things passed over.

    Both `ingest` and `extract` read through here, so the size limit holds for every
    kind of input (text, record, HTML, WARC, URL) in this one place.
    """
    def read(n: int) -> None:
        summary.bytes += n

    for item in iter_articles(inputs, on_read=read, **source_options):
        if isinstance(item, Article):
            item = _too_large(item, max_article_mb) or item
        yield item


def _report(item: Article | InputError | Skipped, summary: IngestSummary, on_error) -> bool:
    """Count and report what is not an article, and an article's warnings; True for an article."""
    if isinstance(item, InputError):
        summary.skipped[item.reason] += 1
        on_error(item)
        return False
    if isinstance(item, Skipped):
        summary.passed[item.reason] += 1
        return False
    for notice in item.notes:
        summary.warned[notice.reason] += 1
        on_error(notice)
    return True


def _articles(inputs, summary: IngestSummary, on_error, max_article_mb: float = MAX_ARTICLE_MB,
              **source_options) -> Iterator[Article]:
    """Articles only; errors reported and counted, passed-over items counted."""
    for item in _items(inputs, summary, max_article_mb, **source_options):
        if _report(item, summary, on_error):
            yield item


def _too_large(article: Article, max_mb: float) -> InputError | None:
    """An error for an article over `max_mb` MB of UTF-8, before the engine spends memory on it."""
    text = article.text
    if len(text) <= max_mb * 1e6 / 4:  # under the limit even if every character took 4 bytes
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size <= max_mb * 1e6:
        return None
    return InputError(article.source or "?", None,
                      f"article of {_size(size)} is over the {max_mb:g} MB limit (--max-article-mb)", "too large")


def _size(n: int) -> str:
    """``104.9 MB``, or ``16,583 bytes`` under 0.1 MB (where one decimal of MB says 0.0)."""
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


@contextlib.contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) until the block is done, then raise KeyboardInterrupt.

    Around an article's commit and its count: a KeyboardInterrupt raised between the two
    (or inside the commit, once SQLite has written it) made the summary one short of
    the database. Signal handlers belong to the main thread; elsewhere nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)  # to the handler restored: KeyboardInterrupt, as a rule


def _extract_or_report(article: Article, summary: IngestSummary, on_error,
                       include_stance: bool = False) -> list[Quote] | None:
    """Engine bugs must not end a long run: the article is reported and skipped."""
    try:
        return extract(article, include_stance)
    except Exception as e:  # noqa: BLE001 - any engine failure is reported, not fatal
        summary.skipped["extraction failed"] += 1
        on_error(InputError(article.source or "?", None, f"extraction failed: {type(e).__name__}: {e}",
                            "extraction failed"))
        return None


def ingest(
    db: sqlite_utils.Database,
    inputs: Iterable[str],
    *,
    on_error: Callable[[InputError], None] = lambda err: None,
    progress: Callable[[IngestSummary], None] | None = None,
    summary: IngestSummary | None = None,
    include_stance: bool = False,
    workers: int = 1,
    pool=None,
    **source_options,
) -> IngestSummary:
    """Read, extract and store every article of `inputs`; see `iter_articles` for the options,
    and `max_article_mb` (MAX_ARTICLE_MB) for the longest article text read. With
    `include_stance`, beliefs and wishes are stored too, marked `stance`.

    `workers` > 1 runs the engine in that many worker processes; or pass a `pool` (a
    quotes.cluster.DaskPool, say). Whichever runs it, the database comes out the same.

    Pass a `summary` to keep the counts of a run that is interrupted: after Ctrl-C it
    counts exactly the articles committed. `progress` is called as each thing read has
    its turn, and after the last commit.
    """
    summary = summary if summary is not None else IngestSummary()
    owned = pool is None
    if pool is None:
        pool = parallel.ProcessPool(workers, include_stance) if workers > 1 else parallel.InlinePool(include_stance)
    batch = _Batch(db, summary)
    window = _Window(pool, batch)

    def settle(entry: _Entry) -> None:
        _settle(entry, summary, on_error, batch)
        if progress:
            progress(summary)

    try:
        for item in _items(inputs, summary, **source_options):
            for entry in window.add(_entry(db, item)):
                settle(entry)
        for entry in window.drain():
            settle(entry)
        batch.commit()
        if progress:
            progress(summary)
    except KeyboardInterrupt:
        if owned:
            pool.close(kill=True)
        batch.commit()  # what was extracted is kept, and counted
        raise
    except BaseException:
        if owned:
            pool.close(kill=True)
        raise
    if owned:
        pool.close()
    return summary


@dataclass
class _Entry:
    """One thing read, waiting for its turn to be reported or stored, in input order."""

    item: Article | InputError | Skipped
    extract: bool = False  # an article the engine must read (not already stored)
    future: object = None  # its chunk's future, once sent
    index: int = 0  # its place in the chunk
    size: int = 0  # characters of text held


def _entry(db: sqlite_utils.Database, item) -> _Entry:
    if not isinstance(item, Article):
        return _Entry(item)
    match = store.match_article(db, item)
    if match is not None and match.same_text:
        return _Entry(item)  # already present: counted when its turn comes
    return _Entry(item, extract=True, size=len(item.text))


def _settle(entry: _Entry, summary: IngestSummary, on_error, batch: _Batch) -> None:
    """An entry's turn: an error reported, an article counted present or put in the batch."""
    if not _report(entry.item, summary, on_error):
        return
    article = entry.item
    if not entry.extract:
        summary.present += 1
        return
    try:
        version, outcomes = parallel.result(entry.future)
        outcome = outcomes[entry.index]
    except parallel.WorkerDied as e:
        version, outcome = ENGINE_VERSION, f"extraction failed: {e}"
    if version != ENGINE_VERSION:
        raise EngineMismatch(f"a worker runs engine {version}, this quotes runs {ENGINE_VERSION}: "
                             "install the same version of quotes on every worker")
    if isinstance(outcome, str):
        summary.skipped["extraction failed"] += 1
        on_error(InputError(article.source or "?", None, outcome, "extraction failed"))
        return
    batch.add(article, outcome)


class EngineMismatch(Exception):
    """Workers (of a cluster) that run another engine version would store other quotes."""


class _Batch:
    """Extracted articles waiting to be committed together, in input order."""

    def __init__(self, db: sqlite_utils.Database, summary: IngestSummary):
        self.db, self.summary = db, summary
        self.pending: list[tuple[Article, list[Quote], str]] = []
        self.started = 0.0

    def add(self, article: Article, quotes: list[Quote], engine_version: str | None = None) -> None:
        """Another article for the batch; `engine_version` is the one that found the quotes (this one's)."""
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append((article, quotes, engine_version or ENGINE_VERSION))
        if len(self.pending) >= BATCH_ARTICLES:
            self.commit()

    def due_in(self) -> float | None:
        """Seconds until the batch must be committed; None when it is empty."""
        if not self.pending:
            return None
        return max(0.0, self.started + BATCH_SECONDS - time.monotonic())

    def commit(self) -> None:
        """One transaction for the batch; counted with Ctrl-C held back, so the counts are the database's."""
        if not self.pending:
            return
        with _interrupt_after():
            with store.write_transaction(self.db):
                with store.quotes_deferred(self.db):
                    results = [store.save_article(self.db, a, q, v) for a, q, v in self.pending]
                link.after_saved(self.db, results)  # speakers and quote clusters across articles
            self.pending = []
            for result in results:
                _count(self.summary, result)


class _Window:
    """Entries between reading and storing: articles go to the pool in chunks, and come out
    in the order they were read, each once its chunk is back."""

    def __init__(self, pool, batch: _Batch):
        self.pool, self.batch = pool, batch
        self.entries: deque[_Entry] = deque()
        self.chunk: list[_Entry] = []
        self.held = 0  # characters of text in the window
        self.chunks = 0  # chunks sent and not yet settled
        self.max_chunks = max(2, WINDOW_CHUNKS_PER_WORKER * pool.workers)

    def add(self, entry: _Entry) -> Iterator[_Entry]:
        """Take an entry; give back those whose turn has come, waiting only while the window is full."""
        self.entries.append(entry)
        self.held += entry.size
        if entry.extract:
            self.chunk.append(entry)
            if len(self.chunk) >= self.pool.chunk_articles:
                self._send()
        while self.entries and (self._ready(self.entries[0]) or self._full()):
            yield self._pop()
        self._commit_if_due()

    def drain(self) -> Iterator[_Entry]:
        self._send()
        while self.entries:
            yield self._pop()

    def _full(self) -> bool:
        return self.chunks >= self.max_chunks or self.held >= WINDOW_MB * 1e6

    def _ready(self, entry: _Entry) -> bool:
        return not entry.extract or (entry.future is not None and entry.future.done())

    def _send(self) -> None:
        if not self.chunk:
            return
        future = self.pool.submit([(e.item.text, e.item.published, e.item.structure) for e in self.chunk])
        for i, e in enumerate(self.chunk):
            e.future, e.index = future, i
        self.chunks += 1
        self.chunk = []

    def _pop(self) -> _Entry:
        """The first entry, once its chunk is back; a batch that is due meanwhile is committed."""
        entry = self.entries[0]
        if entry.extract:
            if entry.future is None:
                self._send()
            while not entry.future.done():
                self._commit_if_due()
                due = self.batch.due_in()
                concurrent_wait(entry.future, due if due is not None else BATCH_SECONDS)
            if entry.index == 0:
                self.chunks -= 1
        self.held -= entry.size
        return self.entries.popleft()

    def _commit_if_due(self) -> None:
        if self.batch.due_in() == 0.0:
            self.batch.commit()


def concurrent_wait(future, timeout: float) -> None:
    """Until the future is done or `timeout` seconds pass, whatever kind of future it is."""
    try:
        future.result(timeout=timeout)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - done with an error (read at its turn), or timed out
        pass


def _count(summary: IngestSummary, result: store.SaveResult) -> None:
    if result.added:
        summary.added += 1
        summary.quotes += result.quotes
    elif result.updated:
        summary.updated += 1
        summary.updated_quotes += result.quotes
    else:
        summary.present += 1


@dataclass
class ReextractSummary:
    articles: int = 0
    before: int = 0  # quotes the articles had
    after: int = 0  # quotes they have now

    def line(self) -> str:
        return (f"Re-extracted {_n(self.articles, 'article')} with engine {ENGINE_VERSION}: "
                f"{_n(self.before, 'quote')} before, {_n(self.after, 'quote')} now.")


def reextract(
    db: sqlite_utils.Database,
    *,
    everything: bool = False,
    progress: Callable[[ReextractSummary, int], None] | None = None,
    summary: ReextractSummary | None = None,
) -> ReextractSummary:
    """Run the current engine again over stored articles that an older engine read.

    Each article's quotes are swapped in one transaction, so a stopped run leaves
    every article either wholly old or wholly new. Pass a `summary` to keep the counts
    of a run that is interrupted.
    """
    summary = summary if summary is not None else ReextractSummary()
    stale = store.stale_articles(db, None if everything else ENGINE_VERSION)
    for article_id in stale:
        stored = store.article_text(db, article_id)
        if stored is None:  # deleted since the list was made
            continue
        text, published = stored
        before = db.execute("select count(*) from quotes where article_id = ?", [article_id]).fetchone()[0]
        quotes = extract_quotes(text, published=published, structure=store.article_structure(db, article_id))
        with _interrupt_after():
            after = store.replace_quotes(db, article_id, quotes, ENGINE_VERSION, text=text)
            if after is not None:  # None: a concurrent ingest replaced the article meanwhile
                link.after_article(db, article_id)  # applies the corrections: a rejected quote is gone again
                after = db.execute("select count(*) from quotes where article_id = ?", [article_id]).fetchone()[0]
                summary.before += before
                summary.after += after
                summary.articles += 1
        if progress:
            progress(summary, len(stale))
    return summary


def quote_rows(
    inputs: Iterable[str],
    summary: IngestSummary | None = None,
    *,
    on_error: Callable[[InputError], None] = lambda err: None,
    include_stance: bool = False,
    **source_options,
) -> Iterator[dict]:
    """One dict a quote (QUOTE_COLUMNS first), for every article of `inputs`, without a database.

    `doc_id` is the record's own id, or else where the article came from (a path, path:line, URL).
    """
    summary = summary if summary is not None else IngestSummary()
    for article in _articles(inputs, summary, on_error, **source_options):
        quotes = _extract_or_report(article, summary, on_error, include_stance)
        if quotes is None:
            continue
        summary.added += 1
        summary.quotes += len(quotes)
        doc_id = article.doc_id or article.source
        for q in quotes:
            yield {"doc_id": doc_id, **q.to_dict()}


__all__ = ["ingest", "quote_rows", "IngestSummary", "QUOTE_COLUMNS", "ArticleMeta"]
