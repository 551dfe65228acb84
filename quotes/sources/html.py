"""HTML pages: the article's main text and metadata, with trafilatura.

trafilatura drops navigation, comments, scripts and related links, and reads the
title, site name, author, date and canonical URL from Open Graph, JSON-LD and
<meta> tags. Every HTML input (file, WARC record, URL) goes through `html_article`,
so one page gives one text wherever it came from, and the same quotes.

The title is the article's headline rather than the browser tab's: trafilatura takes
<title> or og:title as they are, site name and all ("... | CNN Politics"), and misses
a headline that only an <h1> or an hAtom "entry-title" carries, so `page_tags` reads
those tags itself and `headline` strips the site's name off the chosen one.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import trafilatura

from ..model import Article
from .common import ArticleMeta, InputError, build_article, clean, looks_binary

# Where a page says its article's headline, best first; the page's <title> comes last. An <h1>
# may be the site's logo, so it comes after the tags made for sharing the article.
HEADLINE_TAGS = ("og:title", "ld:headline", "itemprop:headline", "twitter:title", "h1", "entry-title")
# Where it says whose site it is, best first.
SITE_TAGS = ("og:site_name", "ld:publisher", "application-name")

# What sits between a headline and the site's name in a title: "Headline | Site", "Site: Headline"
# (a colon only after the name: "Headline: more headline" is one headline).
SUFFIX_SEPARATORS = (" | ", " - ", " – ", " — ", " -- ", " :: ", " » ", " · ")
PREFIX_SEPARATORS = SUFFIX_SEPARATORS + (": ",)
# A JSON-LD block over this size is not read for metadata (a page's own are a few KB): 1 MB.
MAX_LD_JSON_CHARS = 2**20


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
    tree = trafilatura.load_html(html)
    tags = page_tags(tree) if tree is not None else {}
    doc = trafilatura.bare_extraction(
        tree if tree is not None else html, url=url, with_metadata=True, include_comments=False,
        include_tables=True,
    )
    if doc is None or not (doc.text or "").strip():
        return InputError(source, None, "no article text found in the page", "no text")
    page_url = doc.url or url
    sites = [tags[tag] for tag in SITE_TAGS if tag in tags]
    if doc.sitename and not any(_is_site(tags.get(tag) or "", [doc.sitename]) for tag in HEADLINE_TAGS):
        sites.append(doc.sitename)  # trafilatura's guess, unless it took a headline for the site's name
    meta = dict(fallback or {})
    page = {
        "title": headline(tags, doc.title, sites, page_url),
        "url": page_url,
        "outlet": sites[0] if sites else None,
        "published": doc.date,
        "author": doc.author,
    }
    meta.update({k: v for k, v in page.items() if v})
    meta.update({k: v for k, v in (override or {}).items() if v})
    article = build_article(doc.text, source, None, meta, defaults)
    if isinstance(article, Article) and doc.body is not None:
        article.structure = text_structure(doc.body, article.text)
    return article


# what trafilatura's tree calls the parts of a page that are no running text
STRUCTURE_TAGS = {"head": "heading", "item": "item"}


def text_structure(body, text: str) -> list[tuple[int, int, str]]:
    """Where the page's headings and list items are in the text trafilatura wrote from it:
    (start, end, "heading" | "item"), so the engine knows a subhead is a subhead instead of
    guessing. Each element's words are found in order in the text; one not found (text
    changed on the way) is left out."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for el in body.iter(*STRUCTURE_TAGS):
        words = " ".join("".join(el.itertext()).split())
        if not words:
            continue
        at = text.find(words, pos)
        if at < 0:
            continue
        out.append((at, at + len(words), STRUCTURE_TAGS[el.tag]))
        pos = at + len(words)
    return out


def headline(tags: dict[str, str], title: str | None, sites: list[str | None], url: str | None) -> str | None:
    """The first headline the page gives (HEADLINE_TAGS, then its title), without the site's name.

    A candidate that is nothing but the site's name (an <h1> holding the logo) is passed over;
    so is one that begins what the <title> ends with ("Headline | Prachatai Prachatai.com"), which
    is the site's name by custom (trafilatura's own title may be that <h1>).
    """
    names = site_names(sites, url)
    page_title = clean(tags.get("title")) or ""
    title_ends = [page_title.rpartition(sep)[2] for sep in SUFFIX_SEPARATORS if sep in page_title]
    for candidate in [tags.get(tag) for tag in HEADLINE_TAGS] + [title, page_title]:
        candidate = clean(candidate)
        if not candidate or _is_site(candidate, names):
            continue
        if candidate != page_title and any(_is_site(end, [candidate], section=True) for end in title_ends):
            continue
        return strip_site_name(candidate, names)
    return None


def site_names(sites: list[str | None], url: str | None) -> list[str]:
    """The names a title may carry for its site: those the page gives, and its host ("sott.net", "sott")."""
    names = [clean(s) for s in sites if clean(s)]
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    if host:
        names += [host, host.split(".")[0]]
    return names


def strip_site_name(title: str, names: list[str]) -> str:
    """'Headline | CNN Politics' -> 'Headline' when the site is CNN; 'The Ledger: Headline' -> 'Headline'.

    Only a part that names the site goes (the whole part, or the site's name and a section after
    it), and only at the ends: a headline is never cut in its middle, nor to nothing.
    """
    for sep in SUFFIX_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and head.strip() and _is_site(tail, names, section=True):
            title = head.strip()
            break
    for sep in PREFIX_SEPARATORS:
        head, found, tail = title.partition(sep)
        if found and tail.strip() and _is_site(head, names, section=True):
            title = tail.strip()
            break
    return title


def _norm(name: str) -> str:
    words = name.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _is_site(part: str, names: list[str], section: bool = False) -> bool:
    """`part` is one of the site's names ("The Washington Post" for "Washington Post"), or with
    `section` a name and a section after it ("CNN Politics" for "CNN")."""
    part = _norm(part)
    for name in map(_norm, names):
        if name and (part == name or (section and part.startswith(name + " "))):
            return True
    return False


def page_tags(tree) -> dict[str, str]:
    """What the page's own tags say: Open Graph and other <meta>, JSON-LD, <h1>, hAtom and <title>."""
    tags: dict[str, str] = {}

    def put(key: str, value) -> None:
        value = clean(value) if isinstance(value, str) else None
        if value and key not in tags:
            tags[key] = value

    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key in ("og:title", "og:site_name", "twitter:title", "application-name"):
            put(key, element.get("content"))
        if (element.get("itemprop") or "").lower() == "headline":
            put("itemprop:headline", element.get("content"))
    for element in tree.xpath("//*[@itemprop='headline'][not(self::meta)]"):
        put("itemprop:headline", element.text_content())
    for element in tree.xpath("//h1"):
        put("h1", " ".join(element.itertext()))
    for element in tree.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]"):
        put("entry-title", " ".join(element.itertext()))
    for element in tree.iter("title"):
        put("title", element.text_content())
    for item in _ld_items(tree):
        put("ld:headline", item.get("headline"))
        put("ld:publisher", _name(item.get("publisher")))
    return tags


def _ld_items(tree):
    """The objects of the page's JSON-LD blocks (a list, a @graph, or one object); a block that is
    not valid JSON is passed over, since the page is read without it."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = script.text or ""
        if len(text) > MAX_LD_JSON_CHARS:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
                if "headline" in item or "publisher" in item:
                    yield item


def _name(value) -> str | None:
    """A JSON-LD publisher: "Name", {"name": "Name"} or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None

