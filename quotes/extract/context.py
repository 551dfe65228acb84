"""Around the cue: to whom (addressee), where (venue, place) and when (date) it was said.

Only the attribution part of the sentence is read (never the reported content), so "in
Geneva" inside a quote is not taken for where the speaker was.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from . import lexicon
from .sentences import Token
from .speakers import is_function, is_name_word, is_speaker_noun

_DAYS: Final = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS: Final = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH_ABBR: Final = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
# one lookup a word: "tuesday" -> 1 (Monday is 0), "june" -> 6
_WEEKDAY: Final = {d: i for i, d in enumerate(_DAYS)}
_MONTH: Final = {m: i + 1 for i, m in enumerate(_MONTHS)}
_ADDRESSEE_AFTER: Final = lexicon.section("grammar_context.txt", "addressee_after")  # "in an interview with", "speaking to"
_SPEAK: Final = lexicon.section("grammar_context.txt", "speak")
_PLACE_PREP: Final = lexicon.section("grammar_context.txt", "place_prep")
_PROGRAMMES: Final = lexicon.section("grammar_context.txt", "programmes")
_WRITE: Final = lexicon.section("grammar_context.txt", "write")
_LISTENERS: Final = lexicon.words("listeners.txt")
_VENUES: Final = lexicon.pairs("venues.txt")  # phrase -> its normal form


def _cap_run(text: str, toks: list[Token], k: int, hi: int) -> tuple[str, int] | None:
    """A run of name words from token k ("Radio Meridian"), allowing "of"/"the" inside."""
    if k < hi and toks[k].lower == "the" and k + 1 < hi and is_name_word(toks[k + 1]):
        k += 1
    if k >= hi or not is_name_word(toks[k]):
        return None
    s = k
    while k < hi and (is_name_word(toks[k]) or (k > s and toks[k].text[0].isdigit()) or (
            toks[k].lower in ("of", "for", "&") and k + 1 < hi and is_name_word(toks[k + 1]))):
        k += 1
        if toks[k - 1].lower.endswith(("’s", "'s")):
            if k + 1 < hi and toks[k].is_cap and toks[k + 1].lower in _PROGRAMMES:
                k += 2  # "BBC Radio 4's Today programme": the programme is the addressee
            break
    if k < hi and toks[k].lower in _PROGRAMMES and not toks[k - 1].lower.endswith(("’s", "'s")):
        k += 1
    return text[toks[s].start:toks[k - 1].end].rstrip("’'s") if toks[k - 1].lower.endswith(("’s", "'s")) \
        else text[toks[s].start:toks[k - 1].end], k


def addressee(text: str, toks: list[Token], lo: int, hi: int, cue_i: int | None, cue_j: int | None,
              tell: bool) -> str | None:
    """ "told Radio Meridian", "in an interview with the BBC", "speaking with reporters"."""
    if tell and cue_j is not None:
        run = _cap_run(text, toks, cue_j, hi)
        if run:
            return run[0]
        x = cue_j + 1 if cue_j < hi and toks[cue_j].lower in ("the", "a", "an") else cue_j
        if x < hi and toks[x].is_word and not is_function(toks[x].lower) and toks[x].text.islower():
            phrase = text[toks[cue_j].start:toks[x].end]  # "told the court"; "told a news conference" is a venue
            return None if venue(text, toks[cue_j].start - 5, min(len(text), toks[x].end + 40)) else phrase
    for k in range(lo, hi - 1):
        if toks[k].lower in _WRITE and toks[k + 1].lower in ("in", "for"):
            run = _cap_run(text, toks, k + 2, hi)
            if run:
                return run[0]  # "wrote in the Daily Telegraph": the paper carried the words
        if toks[k].lower in _SPEAK and toks[k + 1].lower in _ADDRESSEE_AFTER:
            run = _cap_run(text, toks, k + 2, hi)
            if run:
                return run[0]
            w = toks[k + 2] if k + 2 < hi else None
            if w is not None and w.is_word and w.text.islower() and w.lower in _LISTENERS:
                return w.text  # "Speaking to reporters in Geneva, the envoy warned"
    return None


_VENUE_ALTERNATIVES: Final = "|".join(
    r"[\s-]+".join(map(re.escape, p.split())) for p in sorted(_VENUES, key=len, reverse=True))
_VENUE_RE: Final = re.compile(
    r"\b(?:at|in|during|on|via|through|from|with|told)\s+(?:(?:a|an|the|his|her|their|its|this|"
    r"[\w.]+(?:’s|'s))\s+)?(?:[\w-]+\s+)??(" + _VENUE_ALTERNATIVES + r")s?\b", re.I)


# The pattern above is tried at every character, and most attributions name no venue. A venue
# phrase follows white space and its first word ends at a non-word character (or a plural "s"),
# so some white-space chunk of the text must open with that word as its whole run of word
# characters. Under re.I four letters also match ASCII ones: a text with them skips this test.
_VENUE_FIRST_WORDS: Final = frozenset(p.split()[0] for p in _VENUES)
_LEADING_WORD: Final = re.compile(r"\w*")
_FOLDS_TO_ASCII: Final = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K(elvin)


def _may_name_venue(region: str) -> bool:
    firsts = _VENUE_FIRST_WORDS
    for chunk in region.lower().split():
        head: str = chunk if chunk.isalnum() else _LEADING_WORD.match(chunk).group()  # type: ignore[union-attr]
        if head in firsts or (head.endswith("s") and head[:-1] in firsts):
            return True
    return any(c in region for c in _FOLDS_TO_ASCII)


def venue(text: str, start: int, end: int) -> str | None:
    """The venue phrase in text[start:end], in its normal form ("press-conference" -> "press conference")."""
    if not _may_name_venue(text[start:end]):
        return None
    m = _VENUE_RE.search(text, start, end)
    if not m:
        return None
    key = " ".join(re.split(r"[\s-]+", m.group(1).lower()))
    return _VENUES.get(key)


def place(text: str, toks: list[Token], lo: int, hi: int) -> str | None:
    """ "from Lisbon", "in Geneva": a capitalised place after from/in, not a month or weekday
    ("in Saturday’s debate") nor a group of people ("support from Democrats")."""
    for k in range(lo, hi - 1):
        if toks[k].lower in _PLACE_PREP and is_name_word(toks[k + 1]):
            if k > lo and toks[k - 1].lower in _WRITE:
                continue  # "wrote in the Times": a newspaper, not a place
            w = toks[k + 1].lower
            if w.endswith(("’s", "'s")):
                w = w[:-2]
            if w in _WEEKDAY or w in _MONTH or w.rstrip(".") in _MONTH_ABBR or is_speaker_noun(w):
                continue
            run = _cap_run(text, toks, k + 1, hi)
            if run:
                return run[0]
    return None


def utterance_date(toks: list[Token], lo: int, hi: int, published: str | None) -> str | None:
    """ "on Tuesday", "yesterday", "June 9": an ISO date, resolved against `published`."""
    pub = _parse_iso(published)
    for k in range(lo, hi):
        w = toks[k].lower
        weekday = _WEEKDAY.get(w)
        if weekday is not None and pub:
            back = (pub.weekday() - weekday) % 7
            return (pub - timedelta(days=back)).isoformat()
        if w in ("today", "tonight") and pub:
            return pub.isoformat()
        if w == "yesterday" and pub:
            return (pub - timedelta(days=1)).isoformat()
        month = _MONTH.get(w) or _MONTH_ABBR.get(w.rstrip(".") if w.endswith(".") else w)
        if month and k + 1 < hi and toks[k + 1].text.isdigit() and 1 <= int(toks[k + 1].text) <= 31:
            day = int(toks[k + 1].text)
            year = None
            if k + 3 < hi and toks[k + 2].text == "," and toks[k + 3].text.isdigit() and len(toks[k + 3].text) == 4:
                year = int(toks[k + 3].text)
            elif pub:
                year = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
            if year:
                try:
                    return date(year, month, day).isoformat()
                except ValueError:
                    return None
    return None


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
