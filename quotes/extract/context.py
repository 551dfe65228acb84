"""Around the cue: to whom (addressee), where (venue, place) and when (date) it was said.

Only the attribution part of the sentence is read (never the reported content), so "in
Geneva" inside a quote is not taken for where the speaker was.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from . import lexicon
from .sentences import Token
from .speakers import is_name_word, is_function

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_ADDRESSEE_AFTER = {"with", "to"}  # "in an interview with", "speaking to"
_SPEAK = {"speaking", "talking", "spoke", "talked", "interview", "interviewed", "conversation"}
_PLACE_PREP = {"from", "in"}
_PROGRAMMES = {"programme", "program", "show", "podcast"}
_WRITE = {"write", "wrote", "writes", "writing", "written"}


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
            if w is not None and w.is_word and w.text.islower() and w.lower in lexicon.words("listeners.txt"):
                return w.text  # "Speaking to reporters in Geneva, the envoy warned"
    return None


_VENUE_RE: re.Pattern | None = None


def _venue_re() -> re.Pattern:
    global _VENUE_RE
    if _VENUE_RE is None:
        phrases = sorted(lexicon.pairs("venues.txt"), key=len, reverse=True)
        alts = "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in phrases)
        _VENUE_RE = re.compile(r"\b(?:at|in|during|on|via|through|from|with|told)\s+(?:(?:a|an|the|his|her|their|its|this|"
                               r"[\w.]+(?:’s|'s))\s+)?(?:[\w-]+\s+)??(" + alts + r")s?\b", re.I)
    return _VENUE_RE


def venue(text: str, start: int, end: int) -> str | None:
    """The venue phrase in text[start:end], in its normal form ("press-conference" -> "press conference")."""
    m = _venue_re().search(text, start, end)
    if not m:
        return None
    key = " ".join(re.split(r"[\s-]+", m.group(1).lower()))
    return lexicon.pairs("venues.txt").get(key)


def place(text: str, toks: list[Token], lo: int, hi: int) -> str | None:
    """ "from Lisbon", "in Geneva": a capitalised place after from/in, not a month or weekday."""
    for k in range(lo, hi - 1):
        if toks[k].lower in _PLACE_PREP and is_name_word(toks[k + 1]):
            if k > lo and toks[k - 1].lower in _WRITE:
                continue  # "wrote in the Times": a newspaper, not a place
            w = toks[k + 1].lower
            if w in _DAYS or w in _MONTHS or w.rstrip(".") in _MONTH_ABBR:
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
        if w in _DAYS and pub:
            back = (pub.weekday() - _DAYS.index(w)) % 7
            return (pub - timedelta(days=back)).isoformat()
        if w in ("today", "tonight") and pub:
            return pub.isoformat()
        if w == "yesterday" and pub:
            return (pub - timedelta(days=1)).isoformat()
        month = _MONTHS.index(w) + 1 if w in _MONTHS else _MONTH_ABBR.get(w.rstrip("."))
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
