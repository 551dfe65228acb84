"""The engine on a Dask cluster (`quotes ingest DB INPUTS --scheduler tcp://HOST:PORT`).

The inputs are read here and sent to the cluster's workers in chunks of articles
(their text and date: the workers need no access to the files); the quotes come back
to this process, which stores them in input order, so the database is the one a
single process would make. Only this module imports Dask, and only when asked to.

Every worker needs the same version of quotes installed (`pip install 'quotes[dask]'`):
a chunk carries the engine version back, and a different one stops the run.
"""
from __future__ import annotations

from typing import Sequence

import distributed

from .parallel import Job, extract_chunk

# How long to wait for the scheduler to answer when connecting: 10 s.
CONNECT_TIMEOUT_S = 10


class ClusterUnavailable(Exception):
    """The scheduler cannot be reached, or has no workers."""


class DaskPool:
    """Chunks of articles sent to the workers of a Dask cluster; a future per chunk."""

    # Articles in one Dask task: 32. A task costs about a millisecond of scheduling and a
    # network round trip; 32 news articles take a core about a tenth of a second.
    chunk_articles = 32

    def __init__(self, address: str, include_stance: bool = False):
        self.include_stance = include_stance
        try:
            self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {e}") from e
        cores = sum(self.client.nthreads().values())
        if not cores:
            self.client.close()
            raise ClusterUnavailable(f"the Dask scheduler at {address} has no workers")
        self.workers = cores

    def submit(self, jobs: Sequence[Job]):
        # pure=False: two chunks with the same texts are still two tasks, each with its own future
        return self.client.submit(extract_chunk, list(jobs), self.include_stance, pure=False)

    def close(self, kill: bool = False) -> None:
        self.client.close()
