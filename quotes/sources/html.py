"""HTML pages: the article's main text and metadata, with trafilatura.

trafilatura drops navigation, comments, scripts and related links, and reads the
title, site name, author, date and canonical URL from Open Graph, JSON-LD and
<meta> tags. Every HTML input (file, WARC record, URL) goes through `html_article`,
so one page gives one text wherever it came from, and the same quotes.
"""
from __future__ import annotations

import trafilatura

from ..model import Article
from .common import ArticleMeta, InputError, build_article, looks_binary


def html_article(
    html: bytes | str,
    source: str,
    defaults: ArticleMeta,
    *,
    url: str | None = None,
    fallback: dict | None = None,
    override: dict | None = None,
) -> Article | InputError:
    """One page -> one Article.

    `url` is where the page was fetched; `fallback` fills what the page does not say
    (a WARC capture date); `override` (a sidecar file) wins over the page, and
    `defaults` (the command line) over everything.
    """
    if isinstance(html, bytes) and looks_binary(html):
        return InputError(source, None, "binary file, not HTML", "binary")
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
    )
    if doc is None or not (doc.text or "").strip():
        return InputError(source, None, "no article text found in the page", "no text")
    meta = dict(fallback or {})
    page = {
        "title": doc.title,
        "url": doc.url or url,
        "outlet": doc.sitename,
        "published": doc.date,
        "author": doc.author,
    }
    meta.update({k: v for k, v in page.items() if v})
    meta.update({k: v for k, v in (override or {}).items() if v})
    return build_article(doc.text, source, None, meta, defaults)
