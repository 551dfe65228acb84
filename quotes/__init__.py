"""quotes: who said what, to whom, where and when, across a pile of news."""
from .extract import ENGINE_VERSION, extract_quotes
from .model import Article, Quote, content_hash

__all__ = ["Article", "Quote", "extract_quotes", "content_hash", "ENGINE_VERSION"]
