"""Paragraph text -> sentences and tokens, with offsets. Quotations are never split.

A sentence ends at . ! ? (or ;, which separates reported clauses) followed by space and a
capital, digit or opening mark, unless the stop belongs to an abbreviation (lexicons/
abbreviations.txt) or an initial ("J."). Inside a sentence every quotation is one token, so
the attribution patterns see “...,” he said as QUOTE , he said.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from . import lexicon
from .spans import Span

_END = re.compile(r"[.!?;]+")
_TOKEN = re.compile(r"\w+(?:[-’'&.]\w+)*(?:[’']s?(?!\w))?|[^\w\s]")
_CLOSERS = set("\"”’»«“'›)]")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    quote: Span | None = None  # set for the one token that stands for a whole quotation

    @property
    def is_word(self) -> bool:
        return self.quote is None and (self.text[0].isalnum() or self.text[0] == "_")

    @property
    def is_cap(self) -> bool:
        return self.quote is None and self.text[0].isupper()


def split_sentences(text: str, a: int, b: int, spans: list[Span]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the paragraph text[a:b]; `spans` sorted by position."""
    abbrev = lexicon.words("abbreviations.txt")
    starts = [s.open for s in spans]
    out = []
    sent_start = a
    for m in _END.finditer(text, a, b):
        i, j = m.start(), m.end()
        k = bisect_right(starts, i) - 1
        inside = k >= 0 and spans[k].open < i < spans[k].close
        if inside:
            sp = spans[k]
            # a stop inside a quotation ends the sentence only if the quotation ends right there
            rest = text[j:sp.close]
            if sp.end > j or rest.strip("\"”’»«“'›") != "":
                continue
            j = sp.close
        while j < b and text[j] in _CLOSERS:
            j += 1
        if j < b and not text[j].isspace():
            continue
        nxt = j
        while nxt < b and text[nxt].isspace():
            nxt += 1
        if nxt >= b:
            continue
        if m.group()[0] != ";":
            c = text[nxt]
            if not (c.isupper() or c.isdigit() or c in "\"“‘'«„(["):
                continue
            if m.group() == ".":
                w = i
                while w > a and not text[w - 1].isspace() and text[w - 1] not in "(\"“":
                    w -= 1
                word = text[w:i + 1].lower()
                if word in abbrev or (i - w == 1 and text[w].isupper()):
                    continue
        out.append((sent_start, j))
        sent_start = nxt
    if sent_start < b:
        out.append((sent_start, b))
    return out


def tokenize(text: str, a: int, b: int, spans: list[Span]) -> list[Token]:
    """Tokens of text[a:b]; each quotation inside it (marks included) becomes one token."""
    abbrev = lexicon.words("abbreviations.txt")
    out: list[Token] = []
    pos = a
    for sp in spans:
        if sp.close <= a or sp.open >= b:
            continue
        if sp.open < pos:
            continue
        _words(text, pos, sp.open, out, abbrev)
        end = min(sp.close, b)
        out.append(Token(sp.open, end, text[sp.open:end], "\x00quote", sp))
        pos = end
    _words(text, pos, b, out, abbrev)
    return out


def _words(text: str, a: int, b: int, out: list[Token], abbrev: frozenset[str]) -> None:
    for m in _TOKEN.finditer(text, a, b):
        s, e = m.start(), m.end()
        t = m.group()
        # keep the stop of "Mr." and "J." with the word, so names are not cut there
        if e < b and text[e] == "." and t[0].isalpha():
            if (t.lower() + ".") in abbrev or (len(t) == 1 and t.isupper()) or "." in t:
                e += 1
                t = text[s:e]
        if out and out[-1].end > s:
            continue
        out.append(Token(s, e, t, t.lower()))
