"""The progress line that long ingests draw on stderr, only when it is a terminal.

A bar when the size of the inputs is known (files and folders), a running count
when it is not (stdin, URLs). Error lines are printed above it, never through it.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24


class ProgressLine:
    def __init__(self, total_bytes: int | None = None, *, enabled: bool = True,
                 stream: TextIO | None = None, interval: float = 0.2):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total = total_bytes or None
        self.interval = interval
        self.drawn = False
        self.last = float("-inf")

    def __call__(self, summary) -> None:
        """Redraw from an IngestSummary (at most every `interval` seconds)."""
        now = time.monotonic()
        if not self.enabled or now - self.last < self.interval:
            return
        self.last = now
        self.stream.write("\r\x1b[K" + self.render(summary))
        self.stream.flush()
        self.drawn = True

    def render(self, summary) -> str:
        counts = (f"{summary.added + summary.updated + summary.present:,} articles, "
                  f"{summary.quotes + summary.updated_quotes:,} quotes, "
                  f"{summary.bytes / 1e6:.1f}")
        if not self.total:
            return f"{counts} MB"
        done = min(1.0, summary.bytes / self.total)
        filled = int(done * WIDTH)
        return f"[{'#' * filled}{'-' * (WIDTH - filled)}] {done:4.0%}  {counts}/{self.total / 1e6:.1f} MB"

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def echo(self, line) -> None:
        """Print a line (an error) above the progress line."""
        self.clear()
        self.stream.write(f"{line}\n")
        self.stream.flush()
