"""quotes: who said what, to whom, where and when, across a pile of news."""
from .extract import ENGINE_VERSION, extract_quotes
from .model import Article, Quote, content_hash
from .store import open_db, save_article

# Imported on first use: reading inputs pulls in trafilatura and warcio, serving pulls in Datasette.
_LAZY = {
    "ingest": ("quotes.ingest", "ingest"),
    "iter_articles": ("quotes.sources", "iter_articles"),
    "make_datasette": ("quotes.serve", "make_datasette"),
}

__all__ = [
    "Article",
    "Quote",
    "extract_quotes",
    "content_hash",
    "ENGINE_VERSION",
    "open_db",
    "save_article",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'quotes' has no attribute {name!r}")
