"""Paragraph text -> sentences and tokens, with offsets. Quotations are never split.

A sentence ends at . ! ? (or ;, which separates reported clauses) followed by space and a
capital, digit or opening mark, unless the stop belongs to an abbreviation (lexicons/
abbreviations.txt) or an initial ("J."). Inside a sentence every quotation is one token, so
the attribution patterns see “...,” he said as QUOTE , he said.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Final

from . import lexicon
from .spans import Span, find_marks

_ABBREVIATIONS: Final = lexicon.words("abbreviations.txt")
_TITLES: Final = lexicon.words("titles.txt")
TITLE_WORDS: Final = frozenset(w.rstrip(".") for w in _TITLES)  # "Gen." -> "gen"
NAME_HOMONYMS: Final = lexicon.section("grammar_sentences.txt", "name_homonyms")
_FUNCTION_WORDS: Final = lexicon.words("function_words.txt")

_STOPS: Final = [".", "!", "?", ";"]  # what can end a sentence (";" separates reported clauses)
# possessive (++, *+): the tail is optional, so giving characters back never helps; sre skips
# the backtracking bookkeeping
_TOKEN: Final = re.compile(r"\w++(?:[-’'&.]\w++)*+(?:[’']s?(?!\w))?|[^\w\s]")
_CLOSERS: Final = set("\"”’»«“'›)]")


class Token:
    """One word, punctuation mark, or whole quotation (`quote` set) of a sentence, with offsets."""

    __slots__ = ("start", "end", "text", "lower", "quote", "is_word", "is_cap", "named")

    def __init__(self, start: int, end: int, text: str, lower: str, quote: Span | None = None):
        self.named = False  # a word that is a name here though it is also a function word ("May")
        self.start = start
        self.end = end
        self.text = text
        self.lower = lower
        self.quote = quote
        c = text[0] if text else " "
        self.is_word = quote is None and (c.isalnum() or c == "_")
        self.is_cap = quote is None and c.isupper()

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"


class _Word(Token):
    """A word or punctuation token at `start`, its shape looked up once per distinct word."""

    __slots__ = ()

    def __init__(self, start: int, w: str):
        self.named = False
        self.start = start
        self.end = start + len(w)
        self.text = w
        self.quote = None
        shape = _SHAPES.get(w)
        if shape is None:
            shape = _shape(w)
        self.lower, self.is_word, self.is_cap = shape


# a word's (lower, is_word, is_cap), kept per word: "the", ",", "said" recur in every text
_SHAPES: Final[dict[str, tuple[str, bool, bool]]] = {}


def _shape(w: str) -> tuple[str, bool, bool]:
    if len(_SHAPES) > 100_000:
        _SHAPES.clear()  # bounded: a long run over many texts never grows it past this
    c = w[0]
    shape = _SHAPES[w] = (w.lower(), c.isalnum() or c == "_", c.isupper())
    return shape


def split_sentences(text: str, a: int, b: int, spans: list[Span]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the paragraph text[a:b]; `spans` sorted by position."""
    abbrev = _ABBREVIATIONS
    starts = _opens(spans)
    out = []
    sent_start = a
    for i, j in _stop_runs(text, a, b):
        stop = text[i:j]
        k = bisect_right(starts, i) - 1
        inside = k >= 0 and spans[k].open < i < spans[k].close
        if inside:
            sp = spans[k]
            # a stop inside a quotation ends the sentence only if the quotation ends right there
            if sp.end > j or text[j:sp.close].strip("\"”’»«“'›") != "":
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
        if stop[0] != ";":
            c = text[nxt]
            if not (c.isupper() or c.isdigit() or c in "\"“‘'«„(["):
                continue
            if stop == ".":
                w = i
                while w > a and not text[w - 1].isspace() and text[w - 1] not in "(\"“":
                    w -= 1
                word = text[w:i + 1].lower()
                if (word in abbrev or (i - w == 1 and text[w].isupper())) and (
                        word in _TITLES or not _opens_sentence(text, nxt, b)):
                    continue  # "Mr. Smith", "J. Doe"; but "... in the U.S. He said ..." ends there
                if word in ("no.", "nos.", "art.", "p.", "pp.") and c.isdigit():
                    continue  # "the No. 2 in the leadership"
        out.append((sent_start, j))
        sent_start = nxt
    if sent_start < b:
        out.append((sent_start, b))
    if any(e - s > MAX_SENTENCE for s, e in out):
        out = [piece for s, e in out for piece in _chop(text, s, e, spans, starts)]
    return out


def _stop_runs(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """(start, end) of each run of stops in text[a:b] ("." or "?!"), found by str.find."""
    out: list[tuple[int, int]] = []
    for i, _ in find_marks(text, a, b, _STOPS):
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


# capitalised words that begin a sentence and never a name: after "U.S." or "a.m." they show
# that the stop ended the sentence too
_OPENERS: Final = lexicon.section("grammar_sentences.txt", "openers")
_WORD_AT: Final = re.compile(r"[A-Z][a-z]*\b")


def _opens_sentence(text: str, at: int, b: int) -> bool:
    """Whether the word at `at` is a capitalised sentence opener ("The", "He", "But")."""
    m = _WORD_AT.match(text, at, b)
    return m is not None and m.group().lower() in _OPENERS


MAX_SENTENCE: Final = 2000  # characters: no real sentence is longer; a run-on text is cut into pieces


def _chop(text: str, s: int, e: int, spans: list[Span], starts: list[int]) -> list[tuple[int, int]]:
    """Cut an overlong "sentence" at spaces outside quotations, so the patterns stay linear."""
    out = []
    while e - s > MAX_SENTENCE:
        cut = s + MAX_SENTENCE // 2
        k = bisect_right(starts, cut) - 1
        if k >= 0 and spans[k].open < cut < spans[k].close:
            cut = spans[k].close
        sp = text.find(" ", cut, e)
        if sp == -1 or sp >= e - 1:
            break
        out.append((s, sp))
        s = sp + 1
    out.append((s, e))
    return out


def tokenize(text: str, a: int, b: int, spans: list[Span]) -> list[Token]:
    """Tokens of text[a:b]; each quotation inside it (marks included) becomes one token."""
    abbrev = _ABBREVIATIONS
    out: list[Token] = []
    pos = a
    first = max(0, bisect_right(_opens(spans), a) - 1)
    for x in range(first, len(spans)):
        sp = spans[x]
        if sp.open >= b:
            break
        if sp.close <= a:
            continue
        if sp.open < pos:
            continue
        _words(text, pos, sp.open, out, abbrev)
        end = min(sp.close, b)
        out.append(Token(sp.open, end, text[sp.open:end], "\x00quote", sp))
        pos = end
    _words(text, pos, b, out, abbrev)
    for x in range(len(out)):
        if out[x].is_cap and out[x].lower in NAME_HOMONYMS:
            _mark_named(out, x)
    return out


def _mark_named(toks: list[Token], x: int) -> None:
    """A capitalised "May", "Will" or "June" is a name after a name or a title ("Theresa May
    said", "Ms. May"), or before a name where no preposition makes it a month ("singer Will
    Young", not "in May Trump said"); never before a number ("May 5")."""
    prev = toks[x - 1] if x > 0 else None
    nxt = toks[x + 1] if x + 1 < len(toks) else None
    if nxt is not None and nxt.text[:1].isdigit() or toks[-1].text == "?":
        return  # "May 5"; "Will Sanders come down?"

    def name_like(t: Token | None) -> bool:
        return t is not None and t.is_cap and t.is_word and t.lower not in _FUNCTION_WORDS \
            and t.lower not in NAME_HOMONYMS

    after_name = name_like(prev) and not (nxt is not None and nxt.is_cap and nxt.is_word)
    if prev is None:  # opening the sentence: "June Tarrant said", not "May God bless"
        after = toks[x + 2] if x + 2 < len(toks) else None
        before_name = name_like(nxt) and after is not None and after.is_word and after.text.islower()
    else:
        before_name = name_like(nxt) and (not prev.is_cap or prev.lower.rstrip(".") in TITLE_WORDS) \
            and prev.lower not in _FUNCTION_WORDS
    toks[x].named = after_name or before_name


_OPENS_CACHE: Final[dict[int, tuple[list, list[int]]]] = {}


def _opens(spans: list[Span]) -> list[int]:
    """Span starts, computed once per span list (a long paragraph has many sentences)."""
    hit = _OPENS_CACHE.get(id(spans))
    if hit is None or hit[0] is not spans:
        _OPENS_CACHE.clear()
        hit = (spans, [sp.open for sp in spans])
        _OPENS_CACHE[id(spans)] = hit
    return hit[1]


# punctuation that opens or closes a chunk ("“We", "said,", "(AP)"): never a word character, and
# never an apostrophe at the end, which belongs to the word ("voters’")
_LEADING_PUNCT: Final = "\"'“‘([{«‹—–-"
_TRAILING_PUNCT: Final = "\",.;:!?”)]}»›—–-"


def scan_words(text: str, a: int, b: int) -> list[Token]:
    """The matches of `_TOKEN` in text[a:b] as tokens, found chunk by chunk.

    A match never spans white space and the matches tile every run of non-space characters, so
    a chunk of letters and digits only (most words) is one token, and so is the word inside a
    chunk wrapped in punctuation ("“We", "said,"), with no regex run at all.
    """
    toks: list[Token] = []
    pos = a
    for chunk in text[a:b].split():
        while text[pos].isspace():  # only white space lies between chunks
            pos += 1
        if chunk.isalnum():
            toks.append(_Word(pos, chunk))
            pos += len(chunk)
            continue
        inner = chunk.lstrip(_LEADING_PUNCT)
        core = inner.rstrip(_TRAILING_PUNCT)
        if core.isalnum():
            for mark in chunk[:len(chunk) - len(inner)]:
                toks.append(_Word(pos, mark))
                pos += 1
            toks.append(_Word(pos, core))
            pos += len(core)
            for mark in inner[len(core):]:
                toks.append(_Word(pos, mark))
                pos += 1
            continue
        for w in _TOKEN.findall(chunk):
            toks.append(_Word(pos, w))
            pos += len(w)
    return toks


def _words(text: str, a: int, b: int, out: list[Token], abbrev: frozenset[str]) -> None:
    """Append the tokens of text[a:b], with the stop of an abbreviation or initial kept."""
    toks: list[Token | None] = scan_words(text, a, b)  # type: ignore[assignment]
    if not toks:
        return
    # keep the stop of "Mr." and "J." with the word, so names are not cut there
    dropped = False
    ends = None
    e = text.find(".", a, b)
    while e != -1:
        if ends is None:
            ends = [t.end for t in toks if t is not None]  # none dropped yet
        k = bisect_left(ends, e)
        t = toks[k] if k < len(ends) and ends[k] == e else None
        if t is not None:
            w = t.text
            if w[0].isalpha() and ((t.lower + ".") in abbrev or (len(w) == 1 and w.isupper()) or "." in w):
                toks[k] = Token(t.start, e + 1, w + ".", t.lower + ".")
                toks[k + 1] = None
                dropped = True
        e = text.find(".", e + 1, b)
    out.extend([t for t in toks if t is not None] if dropped else toks)  # type: ignore[arg-type]
