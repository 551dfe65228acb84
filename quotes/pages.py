"""The quote as evidence: its paragraph of the article with the stored offsets marked.

Marking works on character offsets, never on searching the text again, so the page
shows exactly what the extractor claimed, and a wrong offset is visible as such.

Every page is bounded whatever the database holds: an article is shown a window at a
time (ARTICLE_PAGE_CHARS characters, ARTICLE_PAGE_QUOTES quotes), and only that window
of its text is read from SQLite, so a page of a 100 MB article with thousands of quotes
costs about what a page of a short one does. The functions taking a `conn` run in
Datasette's thread pool (db.execute_fn), never on its event loop.
"""
from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, replace
from html import escape
from typing import Callable

from markupsafe import Markup

from . import summary

# At most this many characters of an article's text on one page of /-/article/<id>.
ARTICLE_PAGE_CHARS = 50_000
# At most this many quotes start on (and are listed under) one page of /-/article/<id>.
ARTICLE_PAGE_QUOTES = 200
# Quotes marked on an article page, counting those that begin on an earlier page and
# reach into this one (nested quotes in a hand-made database could be any number).
ARTICLE_PAGE_MARKED = 3 * ARTICLE_PAGE_QUOTES
# On a quote's page, at most this much text either side of its marks ("in its paragraph").
CONTEXT_CHARS = 1_500
# ...and at most this much in all, so a quote a megabyte long is shown cut.
CONTEXT_MAX_CHARS = 10_000
# The other quotes of its article listed on a quote's page: this many before and after it.
SIBLINGS_AROUND = 25
# Characters of each listed quote read from the database (the lists truncate to fewer).
LISTED_CHARS = 300


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str  # "q-quote", "q-speaker", "q-cue"
    label: str  # shown on hover: "quote", "speaker mention", "cue"
    href: str | None = None  # on the article page each mark opens its quote


def quote_spans(row: dict, text: str, href: str | None = None, offset: int = 0,
                length: int | None = None) -> tuple[list[Span], list[str]]:
    """The spans of a stored quote that fit inside the article, and a note for each that does not.

    `text` is the part of the article shown, starting at character `offset` of an article
    `length` characters long (by default: the whole article). The quote's stored text is
    checked against the part of it that is shown.
    """
    length = len(text) if length is None else length
    spans, problems = [], []
    for css, label, start, end in (
        ("q-quote", "quote", row.get("start"), row.get("end")),
        ("q-speaker", "speaker mention", row.get("speaker_start"), row.get("speaker_end")),
        ("q-cue", "cue", row.get("cue_start"), row.get("cue_end")),
    ):
        if start is None or end is None:
            continue
        if not 0 <= start < end <= length:
            problems.append(f"The {label}'s offsets ({start}-{end}) fall outside the article.")
            continue
        spans.append(Span(start, end, css, label, href))
    if spans and spans[0].css == "q-quote" and not _covers_text(row, text, offset):
        problems.append("The quote's offsets do not cover its stored text.")
    return spans, problems


def _covers_text(row: dict, text: str, offset: int) -> bool:
    """Whether the shown part of the article holds the shown part of the quote's stored text."""
    start, end, stored = row["start"], row["end"], row.get("text") or ""
    if row.get("text_length", len(stored)) != end - start:
        return False
    lo, hi = max(start, offset), min(end, offset + len(text))
    return lo >= hi or text[lo - offset:hi - offset] == stored[lo - start:hi - start]


def moved(spans: list[Span], delta: int) -> list[Span]:
    """The spans shifted by delta: article offsets into offsets of a window of its text."""
    return [replace(s, start=s.start + delta, end=s.end + delta) for s in spans]


def paragraph_bounds(text: str, spans: list[Span], context: int = CONTEXT_CHARS) -> tuple[int, int]:
    """From the start of the line holding the first span to the end of the line holding the last,
    but at most `context` characters beyond the spans either side, and CONTEXT_MAX_CHARS in all."""
    if not spans:
        return 0, min(len(text), 600)
    lo = min(s.start for s in spans)
    hi = max(s.end for s in spans)
    start = max(text.rfind("\n", max(0, lo - context), lo) + 1, lo - context, 0)
    end = text.find("\n", hi, hi + context)
    end = min(len(text), hi + context) if end == -1 else end
    return start, min(end, start + CONTEXT_MAX_CHARS)


def mark(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> Markup:
    """text[start:end] as HTML, each piece covered by spans wrapped in <mark> with their classes.

    Overlapping spans are cut into pieces at every edge, so nesting never breaks; spans
    reaching outside [start, end) are cut to it. One sweep over the sorted edges keeps
    the spans open at each piece, so n spans cost O(n log n), never n x pieces.
    """
    start = max(0, start)
    end = len(text) if end is None else min(end, len(text))
    # Articles with one newline between paragraphs get a blank line on screen; offsets are unaffected.
    gap = "" if "\n\n" in text[start:end] else "\n"
    clipped = [(max(s.start, start), min(s.end, end), i, s) for i, s in enumerate(spans)]
    clipped = [c for c in clipped if c[0] < c[1]]
    rank: dict[str, int] = {}
    labels: dict[str, str] = {}
    for s in spans:  # classes in the order spans first use them: quote, speaker, cue
        rank.setdefault(s.css, len(rank))
        labels.setdefault(s.css, s.label)
    opening = sorted(clipped, key=lambda c: c[0])
    closing = sorted(clipped, key=lambda c: c[1])
    edges = sorted({start, end, *(c[0] for c in clipped), *(c[1] for c in clipped)})
    open_css: dict[str, int] = {}
    hrefs: list[tuple[int, str]] = []  # the open spans with a link, first span first
    closed: set[int] = set()
    o = c = 0
    out = []
    for a, b in zip(edges, edges[1:]):
        while c < len(closing) and closing[c][1] <= a:
            _, _, i, s = closing[c]
            open_css[s.css] -= 1
            closed.add(i)
            c += 1
        while o < len(opening) and opening[o][0] <= a:
            _, _, i, s = opening[o]
            open_css[s.css] = open_css.get(s.css, 0) + 1
            if s.href:
                heapq.heappush(hrefs, (i, s.href))
            o += 1
        while hrefs and hrefs[0][0] in closed:
            heapq.heappop(hrefs)
        piece = escape(text[a:b])
        if gap:
            piece = piece.replace("\n", "\n" + gap)
        classes = sorted((css for css, n in open_css.items() if n), key=rank.__getitem__)
        out.append(_marked(piece, classes, labels, hrefs[0][1] if hrefs else None) if classes else piece)
    return Markup("".join(out))


def _marked(piece: str, classes: list[str], labels: dict[str, str], href: str | None) -> str:
    title = ", ".join(labels[css] for css in classes)
    marked = f'<mark class="{" ".join(classes)}" title="{escape(title)}">{piece}</mark>'
    return f'<a href="{escape(href)}">{marked}</a>' if href else marked


def page_breaks(length: int, starts: list[int], chars: int = ARTICLE_PAGE_CHARS,
                per_page: int = ARTICLE_PAGE_QUOTES) -> list[int]:
    """Where each page of an article begins: a page holds at most `chars` characters and
    at most `per_page` quotes starting on it (`starts` sorted). One pass over the starts.

    Only many quotes starting at the very same offset can put more on a page; the
    page's queries then stop at their limits.
    """
    breaks = [0]
    i = 0  # the first quote starting at or after the current page
    while True:
        page = breaks[-1]
        while i < len(starts) and starts[i] < page:
            i += 1
        end = page + chars
        j = i + per_page
        if j < len(starts) and page < starts[j] < end:
            end = starts[j]
        if end >= length:
            return breaks
        breaks.append(end)


# --- The data of the pages, read in one of Datasette's threads ---------------------

_LISTED = f"""q.id, substr(q.text, 1, {LISTED_CHARS}) as text, q.kind, q.speaker_id,
  s.name as speaker, q.speaker_mention"""

_ARTICLE = """select a.id, a.title, a.url, a.published, a.author, a.outlet_id, o.name as outlet,
  length(a.text) as text_length, (select count(*) from quotes where article_id = a.id) as quote_count
from articles a left join outlets o on o.id = a.outlet_id where a.id = ?"""

# Quotes whose quote, mention or cue reaches into [:lo, :hi): they are marked on that window.
_MARKED = f"""select q.id, q.start, q."end", q.speaker_start, q.speaker_end, q.cue_start, q.cue_end,
  substr(q.text, 1, :chars) as text, length(q.text) as text_length
from quotes q where q.article_id = :id and (
  (q.start < :hi and q."end" > :lo) or (q.speaker_start < :hi and q.speaker_end > :lo)
  or (q.cue_start < :hi and q.cue_end > :lo))
order by q.start, q.id limit {ARTICLE_PAGE_MARKED}"""


def _rows(conn, sql: str, params) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def text_window(conn, article_id: int, lo: int, hi: int) -> str:
    """Characters lo to hi of an article's text, without reading the rest into Python."""
    row = conn.execute("select substr(text, ?, ?) from articles where id = ?",
                       [lo + 1, max(hi - lo, 0), article_id]).fetchone()
    return (row[0] if row else "") or ""


def article_breaks(conn, article_id: int, length: int) -> list[int]:
    starts = [r[0] for r in conn.execute(
        "select start from quotes where article_id = ? and start is not null order by start", [article_id])]
    return page_breaks(length, starts)


def page_of(breaks: list[int], offset: int) -> int:
    """The page (from 1) of the article holding character `offset`."""
    lo, hi = 0, len(breaks)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if breaks[mid] <= offset else (lo, mid)
    return lo + 1


class NoSuchPage(LookupError):
    """A ?page= past the article's last page."""


def article_page(conn, article_id: int, page: int, quote_url: Callable[[int], str]) -> dict | None:
    """The context of one page of an article: its window of text with every quote marked,
    and the quotes that start there. None when there is no such article."""
    found = _rows(conn, _ARTICLE, [article_id])
    if not found:
        return None
    article = found[0]
    length = article["text_length"] or 0
    breaks = article_breaks(conn, article_id, length)
    if not 1 <= page <= len(breaks):
        raise NoSuchPage(f"Article {article_id} has {len(breaks)} page{'s' if len(breaks) != 1 else ''}")
    lo = breaks[page - 1]
    hi = breaks[page] if page < len(breaks) else length
    text = text_window(conn, article_id, lo, hi)
    marked = _rows(conn, _MARKED, {"id": article_id, "lo": lo, "hi": hi, "chars": hi - lo + 1})
    spans, problems = [], []
    for q in marked:
        found_spans, wrong = quote_spans(q, text, href=quote_url(q["id"]), offset=lo, length=length)
        spans += found_spans
        if q["start"] is not None and lo <= q["start"] < hi:
            problems += [f"Quote {q['id']}: {w}" for w in wrong]
    listed = _rows(conn, f"""select {_LISTED} from quotes q left join speakers s on s.id = q.speaker_id
where q.article_id = ? and q.start >= ? and q.start < ? order by q.start, q.id limit {ARTICLE_PAGE_QUOTES}""",
                   [article_id, lo, hi])
    return {
        "a": article, "article_html": mark(text, moved(spans, -lo)), "problems": problems,
        "quotes": listed, "page": page, "pages": len(breaks), "window": (lo, hi),
        "more_marked": len(marked) == ARTICLE_PAGE_MARKED,
        "page_chars": ARTICLE_PAGE_CHARS, "page_quotes": ARTICLE_PAGE_QUOTES,
    }


_QUOTE = """select q.id, s.name as speaker, q.speaker_mention, q.role, q.kind, q.text, length(q.text) as text_length,
  q.cue, q.addressee, q.venue, q.place, substr(coalesce(q.date, a.published), 1, 10) as date,
  o.name as outlet, q.article_id, a.title as article_title, a.url as article_url,
  q.start, q."end", q.speaker_start, q.speaker_end, q.cue_start, q.cue_end,
  q.rule, q.engine_version, q.speaker_id, a.outlet_id, a.published, q.date as quote_date,
  length(a.text) as text_length_article
from quotes q join articles a on a.id = q.article_id
left join speakers s on s.id = q.speaker_id left join outlets o on o.id = a.outlet_id
where q.id = ?"""


def quote_page(conn, quote_id: int, article_url: Callable[[int], str]) -> dict | None:
    """The context of a quote's page: the quote, its paragraph marked, the page of its
    article holding it, and its neighbours. None when there is no such quote."""
    found = _rows(conn, _QUOTE, [quote_id])
    if not found:
        return None
    q = found[0]
    length = q["text_length_article"] or 0
    spans, problems = quote_spans(q, "", length=length)
    # Read the text around the marks only, then check the quote against what was read.
    lo = min((s.start for s in spans), default=0)
    hi = min(max((s.end for s in spans), default=0), lo + CONTEXT_MAX_CHARS)
    around = max(lo - CONTEXT_CHARS, 0)
    text = text_window(conn, q["article_id"], around, hi + CONTEXT_CHARS)
    spans, problems = quote_spans(q, text, offset=around, length=length)
    start, end = paragraph_bounds(text, moved(spans, -around))
    breaks = article_breaks(conn, q["article_id"], length)
    page = page_of(breaks, q["start"] if spans and spans[0].css == "q-quote" else 0)
    page_lo = breaks[page - 1]
    page_hi = breaks[page] if page < len(breaks) else length
    page_text = text_window(conn, q["article_id"], page_lo, page_hi)
    return {
        "q": q, "problems": problems, "context_max": CONTEXT_MAX_CHARS,
        "context_html": mark(text, moved(spans, -around), start, end),
        "context_cut": (around + start > 0 and text[start - 1:start] != "\n", around + end < length
                        and text[end:end + 1] != "\n"),
        "article_html": mark(page_text, moved(spans, -page_lo)),
        "article_page": page, "article_pages": len(breaks),
        "article_page_url": article_url(q["article_id"]) + (f"?page={page}" if page > 1 else ""),
        **_siblings(conn, q),
    }


def _siblings(conn, q: dict) -> dict:
    """SIBLINGS_AROUND quotes of the article either side of q, in reading order, and how many there are."""
    base = f"select {_LISTED} from quotes q left join speakers s on s.id = q.speaker_id where q.article_id = :a"
    params = {"a": q["article_id"], "start": q["start"], "id": q["id"], "n": SIBLINGS_AROUND}
    before = _rows(conn, f"{base} and (q.start, q.id) < (:start, :id) order by q.start desc, q.id desc limit :n", params)
    after = _rows(conn, f"{base} and (q.start, q.id) > (:start, :id) order by q.start, q.id limit :n", params)
    total, = conn.execute("select count(*) from quotes where article_id = ?", [q["article_id"]]).fetchone()
    this = {k: q[k] for k in ("id", "kind", "speaker_id", "speaker", "speaker_mention")}
    this["text"] = (q["text"] or "")[:LISTED_CHARS]
    return {
        "siblings": [*reversed(before), this, *after],
        "siblings_total": total,
        "previous": before[0] if before else None,
        "next": after[0] if after else None,
    }


# Rows in each list of the database page's overview (speakers, kinds, venues, articles...).
OVERVIEW_ROWS = 10
# A speaker page looks up the roles and full addressee names of this many of their quotes...
DETAILED_QUOTES = 500
# ...reading at most this much of each article's text for an addressee's full name.
FULL_NAME_SCAN_CHARS = 200_000
# Characters of an untitled article's opening shown beside "untitled article N".
OPENING_CHARS = 90


def overview(conn, limit: int = OVERVIEW_ROWS) -> dict:
    """What the database holds, for its first page: the most quoted speakers, the kinds of
    quote, speaker types, venues and outlets, and the latest articles, each with counts.

    It reads only stored fields, so a corpus without dates or outlets (the seed) still
    shows what it has; every list is cut at `limit` rows and says how many there are. The
    counts are sums of quote_counts (quotes.summary), the articles an index read in order,
    so the page costs the same at any size.
    """
    speakers_all = summary.ranked(conn, "speaker_id")
    outlets_all = summary.ranked(conn, "outlet_id")
    totals = {"quotes": summary.total(conn), "speakers": len(speakers_all),
              "articles": conn.execute("select count(*) from articles").fetchone()[0],
              "outlets": len(outlets_all)}
    speakers, outlets = speakers_all[:limit], outlets_all[:limit]
    latest = f"""select a.id, a.title, a.published, o.name as outlet,
  case when trim(coalesce(a.title, '')) = '' then substr(a.text, 1, {OPENING_CHARS + 1}) end as opening,
  (select count(*) from quotes where article_id = a.id) as n
from articles a left join outlets o on o.id = a.outlet_id"""
    # the dated newest first, then the undated: two reads of the published index in its order
    # (one sort on "published is null" first would sort every article)
    articles = _rows(conn, f"{latest} where a.published is not null order by a.published desc, a.id desc limit ?",
                     [limit])
    if len(articles) < limit:
        articles += _rows(conn, f"{latest} where a.published is null order by a.id desc limit ?",
                          [limit - len(articles)])
    for a in articles:
        a["opening"] = opening_words(a["opening"])
    return {
        "totals": totals, "speakers": speakers, "outlets": outlets, "articles": articles,
        "kinds": summary.values(conn, "kind", limit), "speaker_types": summary.values(conn, "speaker_type", limit),
        "venues": summary.values(conn, "venue", limit), "limit": limit,
    }


def opening_words(text: str | None, chars: int = OPENING_CHARS) -> str | None:
    """The first words of a text, cut at a word within `chars` characters, with "..." when cut:
    what an untitled article is recognised by."""
    if not text:
        return None
    text = " ".join(text[:chars + 1].split())
    if len(text) <= chars:
        return text
    cut = text[:chars].rsplit(" ", 1)[0] if " " in text[:chars] else text[:chars]
    return cut.rstrip(",;:") + "\u2026"


# The words that open a description standing for a speaker ("the former president").
_DETERMINERS = ("the ", "a ", "an ")


def mention_role(mention: str | None, name: str) -> str | None:
    """The role a speaker mention gives when it is a description, not a name or a pronoun:
    "the former president" -> "former president"; "Toqaev", "he" -> None."""
    if not mention:
        return None
    low = mention.strip().lower()
    if not low.startswith(_DETERMINERS) or any(w.lower() in low.split() for w in name.split()):
        return None
    return low.split(" ", 1)[1].strip() or None


def fullest_addressee(conn, addressee: str, article_id: int) -> str:
    """The fullest form of an addressee its article gives: "Kise" -> "Taro Kise", the
    capitalised words right before it in the text, else the one speaker whose name ends
    with it; the stored value when neither names it longer."""
    text = text_window(conn, article_id, 0, FULL_NAME_SCAN_CHARS)
    found = re.findall(r"((?:[A-Z][\w'\u2019.-]*\s){1,3})" + re.escape(addressee) + r"\b", text)
    if found:
        return max((f.strip() + " " + addressee for f in found), key=len)
    names = [r[0] for r in conn.execute("select name from speakers where name like ? limit 3", [f"% {addressee}"])]
    return names[0] if len(names) == 1 else addressee


def speaker_details(conn, profile: dict) -> dict:
    """What the speaker page adds to queries.speaker(): each quote's addressee in its fullest
    form, and the roles the quotes give (quotes.role and the descriptions resolved to them)."""
    roles: dict[str, int] = {r["value"]: r["n"] for r in profile["roles"]}
    fullest: dict[tuple[str, int], str] = {}
    for q in profile["quotes"][:DETAILED_QUOTES]:
        role = mention_role(q.get("speaker_mention"), profile["name"])
        if role and not q.get("role"):  # a quote with a stored role is counted once, above
            roles[role] = roles.get(role, 0) + 1
        if q.get("addressee"):
            key = (q["addressee"], q["article_id"])
            if key not in fullest:
                fullest[key] = fullest_addressee(conn, *key)
            q["addressee_full"] = fullest[key]
    addressees = {}
    for (value, _), full in fullest.items():
        addressees.setdefault(value, full if len(full) > len(addressees.get(value, "")) else addressees[value])
    return {"roles": sorted(({"value": v, "n": n} for v, n in roles.items()), key=lambda r: (-r["n"], r["value"])),
            "addressee_full": addressees}


def article_label(title: str | None, article_id) -> str:
    """What names an article in lists and links: its title, or "untitled article 7" for a
    text that came without one (a plain text file), never "None"."""
    title = (title or "").strip()
    return title or f"untitled article {article_id}"


_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def http_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) one, else None: a stored `javascript:` or `data:`
    URL must never become a link (browsers ignore leading spaces and controls, so we
    refuse them rather than strip them)."""
    if isinstance(url, str) and _SAFE_URL.fullmatch(url):
        return url
    return None
