"""The extraction engine: article text in, quotes out. Pure functions, no I/O."""
from __future__ import annotations

from ..model import Quote

ENGINE_VERSION = "0.0.1"


def extract_quotes(text: str, published: str | None = None) -> list[Quote]:
    """Every quote in `text`, in document order. `published` (ISO date) anchors "on Tuesday"."""
    return []
