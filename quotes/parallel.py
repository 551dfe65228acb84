"""Where the engine runs during `ingest`: in this process, or in worker processes.

Extraction is a pure function of an article's text, so it can run anywhere; storing
stays in the main process, the one writer. A pool takes chunks of jobs (an article's
text and date) and gives back a future per chunk whose result is the engine's
version and, for each job in order, its quotes or the one-line reason it failed.
`quotes.cluster` gives the same interface over a Dask cluster.

Worker processes are started with "spawn": a fresh interpreter holds none of the main
process's threads, locks or open database, whatever else the caller has running.
They ignore Ctrl-C (the main process stops them) and exit on their own when the main
process is gone, even after SIGKILL, so a killed ingest leaves no workers behind.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Sequence

from .extract import ENGINE_VERSION, extract_quotes
# (text, published, structure): an article as the engine reads it (structure: the headings and
# list items an HTML page marks, Article.structure); its outcome: a list of Quotes, or why it failed
Job = tuple[str, "str | None", list]

# How often a worker checks that the process that started it is still there: 0.5 s.
PARENT_CHECK_S = 0.5


def extract_chunk(jobs: Sequence[Job], include_stance: bool = False) -> tuple[str, list]:
    """(engine version, one outcome a job): an engine bug in one article fails that article only."""
    outcomes: list = []
    for text, published, structure in jobs:
        try:
            outcomes.append(extract_quotes(text, published=published, include_stance=include_stance,
                                           structure=structure))
        except Exception as e:  # noqa: BLE001 - reported as that article's error line
            outcomes.append(f"extraction failed: {type(e).__name__}: {e}")
    return ENGINE_VERSION, outcomes


class WorkerDied(Exception):
    """A worker process ended while it held a chunk (killed, or out of memory)."""


def default_workers() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class InlinePool:
    """`--workers 1`: the engine runs here, at submit, as it always did."""

    workers = 1
    chunk_articles = 1

    def __init__(self, include_stance: bool = False):
        self.include_stance = include_stance

    def submit(self, jobs: Sequence[Job]) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_result(extract_chunk(jobs, self.include_stance))
        return future

    def close(self, kill: bool = False) -> None:
        pass


class ProcessPool:
    """`--workers N`: N worker processes on this machine."""

    # Articles sent to a worker at once: 4. Fewer and the cost of a round trip shows;
    # more and the order of results waits longer on the slowest article of a chunk.
    chunk_articles = 4

    def __init__(self, workers: int, include_stance: bool = False):
        self.workers = workers
        self.include_stance = include_stance
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None

    def _start(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._executor is None:
            self._executor = concurrent.futures.ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_started, initargs=(os.getpid(),))
        return self._executor

    def submit(self, jobs: Sequence[Job]) -> concurrent.futures.Future:
        try:
            return self._start().submit(extract_chunk, list(jobs), self.include_stance)
        except BrokenProcessPool:  # a worker died earlier: the chunks it failed are reported; start anew
            self.close(kill=True)
            return self._start().submit(extract_chunk, list(jobs), self.include_stance)

    def close(self, kill: bool = False) -> None:
        """Wait for the workers to finish, or (`kill`, after Ctrl-C or an error) stop them now."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            processes = list(getattr(executor, "_processes", {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(5)
        else:
            executor.shutdown(wait=True)


def result(future) -> tuple[str, list]:
    """A chunk's result, or WorkerDied: extract_chunk itself never fails, so whatever it
    raises is the pool's (a worker killed or out of memory, a cluster's KilledWorker)."""
    try:
        return future.result()
    except BrokenProcessPool as e:
        raise WorkerDied("worker process died (killed, or out of memory)") from e
    except Exception as e:  # noqa: BLE001 - a failed task of a cluster, named in the article's line
        raise WorkerDied(f"worker failed: {type(e).__name__}: {e}") from e


def _worker_started(parent: int) -> None:
    """Ctrl-C is the main process's to handle; a worker whose parent is gone stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="parent-watch").start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)
