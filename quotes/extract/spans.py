"""Quotation marks -> quote spans, paragraph by paragraph.

Every convention is read: “…”, "…" (direction inferred from the neighbours), ''…'', «…», »…«,
„…“, and ‘…’ where a paragraph has no double marks or nests them inside ‘…’ (British style). Nested single quotes stay inside the outer
span. A quote that runs on into the next paragraph (which reopens the mark) is cut at the
paragraph break and marked `runs_on`; an unbalanced mark spoils its own paragraph only.
One left-to-right scan: linear in the text, no backtracking regex.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

OPENERS: Final = {"“": "”", "„": "“”", "«": "»", "»": "«", "‹": "›", "‘": "’", "‚": "’‘"}
# Each pattern opens with a plain character (class) so that sre skips in C to the next place it
# can match; one opening with an alternation or a lookbehind is tried at every character.
# _DOUBLE is ''|``|["“”„«»] and _STRAIGHT_OPEN (?:^|(?<=[\s(:—–-]))'(?=\w), written so.
_DOUBLE: Final = re.compile(r"[\"“”„«»'`](?:(?<=[\"“”„«»])|(?<=')'|(?<=`)`)")
_STRAIGHT_OPEN: Final = re.compile(r"'(?:(?<=^')|(?<=[\s(:—–-]'))(?=\w)", re.M)  # 'The sign says "closed".'
_OPEN_BEFORE: Final = set(" \t\n\r\u00a0([{—–-/:;") | {"“", "‘", "«", "„"}
# the marks, each a plain string: str.find skips to them faster than a regex scan, and makes no
# Match objects. _DOUBLE_MARKS are exactly what _DOUBLE matches; no two match at one place.
_DOUBLE_MARKS: Final = ('"', "“", "”", "„", "«", "»", "''", "``")
_SINGLE_MARKS: Final = ("‘", "’", "‚", "‹", "›", "'")


@dataclass(frozen=True)
class Span:
    """A quotation: `start`/`end` are the inside of the marks; `open`/`close` include them."""

    start: int
    end: int
    open: int
    close: int
    runs_on: bool = False  # the paragraph ended inside it and the next one reopens the mark
    continued: bool = False  # it reopens a quotation left open by the previous paragraph

    def __init__(self, start: int, end: int, open: int, close: int, runs_on: bool = False,
                 continued: bool = False) -> None:
        # written out: the compiled build runs it natively, the generated one is interpreted
        # (frozen: fields are set as the generated one sets them)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "open", open)
        object.__setattr__(self, "close", close)
        object.__setattr__(self, "runs_on", runs_on)
        object.__setattr__(self, "continued", continued)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: news text puts one paragraph a line."""
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        a, b = pos, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
        pos = end + 1
    return out


def _straight_opens(text: str, i: int, a: int) -> bool:
    return i == a or text[i - 1] in _OPEN_BEFORE


def find_marks(text: str, a: int, b: int, marks: list[str]) -> list[tuple[int, str]]:
    """(place, mark) of each of `marks` in text[a:b], left to right, none overlapping the one
    before: what a regex alternation of them finds, if no two can match at one place.

    str.find skips ahead faster than a regex scan and makes no Match objects. Each mark's next
    place is kept and looked for again only once the scan has passed it, so each search moves
    forward only and the scan stays linear in the text.
    """
    out: list[tuple[int, str]] = []
    nxt = [text.find(mark, a, b) for mark in marks]
    pos = a
    while True:
        i = -1
        found = ""
        for k in range(len(marks)):
            at = nxt[k]
            if at != -1 and at < pos:
                at = nxt[k] = text.find(marks[k], pos, b)
            if at != -1 and (i == -1 or at < i):
                i = at
                found = marks[k]
        if i == -1:
            return out
        out.append((i, found))
        pos = i + len(found)


def _scan(text: str, a: int, b: int, marks: list[str], single: bool) -> tuple[list[Span], int | None]:
    """Top-level spans in text[a:b]; also where an unclosed quotation opened, if any."""
    spans: list[Span] = []
    open_at: int | None = None
    open_len = 0
    closers = ""
    for i, mark in find_marks(text, a, b, marks):
        m_end = i + len(mark)
        if single and mark in "’'":
            # an apostrophe: inside a word (don’t), or a plural possessive (voters’ views)
            prev_word = i > a and text[i - 1].isalnum()
            next_word = m_end < b and text[m_end].isalnum()
            if prev_word and next_word:
                continue
            if mark == "’" and open_at is None:
                continue
        if mark in ('"', "''", "'"):
            is_open = open_at is None and _straight_opens(text, i, a)
            is_close = open_at is not None and (closers == "" or mark in ('"', "''", "'"))
        elif mark == "``":
            is_open, is_close = open_at is None, False
        else:
            is_close = open_at is not None and (mark in closers or (closers == "" and mark in "”»") or (
                # a closing mark typed the wrong way round: “It's unusual,“ said Noble
                mark == text[open_at] and text[i - 1] not in " \t" and (m_end >= b or not text[m_end].isalnum())))
            is_open = not is_close and (mark in OPENERS or (
                # a closing mark typed as the opener: ”Fear. I am afraid.” ― a reader
                mark == "”" and _straight_opens(text, i, a) and m_end < b and text[m_end].isalnum()))
        if is_close:
            assert open_at is not None  # only an open quotation closes
            if mark == "''" and m_end < b and text[m_end] == "'":
                i += 1  # a single quotation closing inside the double one: 'old-school,'''
                close = m_end + 1
            else:
                close = m_end
            if i > open_at + open_len:
                spans.append(Span(open_at + open_len, i, open_at, close))
            open_at = None
        elif is_open:
            # a second opener while open: the first one was never closed; start again here
            open_at, open_len = i, len(mark)
            closers = OPENERS.get(mark, "") if mark not in ('"', "''", "'", "``") else ""
            if mark == "``":
                closers = ""
    return spans, open_at


def _british(text: str, a: int, b: int, spans: list[Span], open_at: int | None) -> tuple[list[Span], int | None]:
    """‘…’ as the primary marks with “…” nested (British style): read the single marks instead,
    but only where every double mark of the paragraph falls inside a single-quoted span."""
    single, s_open = _scan(text, a, b, list(_SINGLE_MARKS), True)
    if s_open is None and single and all(any(sp.open < m.start() < sp.close for sp in single)
                                         for m in _DOUBLE.finditer(text, a, b)):
        return single, None
    return spans, open_at


def _first(text: str, a: int, b: int, marks: list[str]) -> int:
    """Where the first of the marks is in text[a:b], -1 if none is."""
    first = -1
    for mark in marks:
        k = text.find(mark, a, b)
        if k != -1 and (first == -1 or k < first):
            first = k
    return first


def find_spans(text: str, paras: list[tuple[int, int]] | None = None) -> list[Span]:
    """All top-level quotation spans of `text`, in order."""
    paras = paragraphs(text) if paras is None else paras
    out: list[Span] = []
    pending = False  # the previous paragraph left a quotation open
    # the marks the article uses (one or two kinds, as a rule): only those are looked for
    doubles = [mark for mark in _DOUBLE_MARKS if mark in text]
    singles = [mark for mark in _SINGLE_MARKS if mark in text]
    for idx, (a, b) in enumerate(paras):
        first = _first(text, a, b, doubles)  # where _DOUBLE first matches in the paragraph
        spans, open_at = _scan(text, a, b, doubles, False) if first >= 0 else _scan(text, a, b, singles, True)
        if first >= 0 and ("‘" in text[a:first] or _STRAIGHT_OPEN.search(text, a, first)):
            spans, open_at = _british(text, a, b, spans, open_at)
        if pending and spans and spans[0].open == a:
            spans[0] = Span(spans[0].start, spans[0].end, spans[0].open, spans[0].close, False, True)
        if open_at is not None:
            nxt = paras[idx + 1][0] if idx + 1 < len(paras) else None
            reopens = nxt is not None and text[nxt] in "\"“„«»‘'`"
            mark_len = 2 if text.startswith(("''", "``"), open_at) else 1
            if reopens and open_at + mark_len < b:
                spans.append(Span(open_at + mark_len, b, open_at, b, True, pending and open_at == a))
                pending = True
            else:
                pending = False
        else:
            pending = False
        out.extend(sp for sp in spans if not nickname(text, sp.open, sp.close))
    return out


_NAME_BEFORE: Final = re.compile(r"[A-Z][\w’'.-]*[ \t]\Z")
_NICK: Final = re.compile(r"[A-Z][\w’'.-]*(?:[ \t][A-Z][\w’'.-]*)?")


def nickname(text: str, open_: int, close: int) -> bool:
    """Whether marks around one or two capitalised words between two names are a nickname,
    not a quotation: Riefian “Ifan” Fajarsyah, Marcia "Cia" Price."""
    if close - open_ > 24 or not text.startswith(" ", close) or not text[close + 1:close + 2].isupper():
        return False
    return _NAME_BEFORE.search(text, max(0, open_ - 25), open_) is not None and \
        _NICK.fullmatch(text, open_ + 1, close - 1) is not None
