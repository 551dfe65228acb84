"""How far to trust a quote: a number in [0, 1] from the evidence the engine kept.

The evidence is the rule that found the quote (by kind) and how its speaker is known; the
values are data (lexicons/confidence.txt), so a reader can see why a row scored what it did,
and `quotes eval` prints how well they are calibrated (predicted against measured precision).
"""
from __future__ import annotations

from functools import lru_cache

from .extract import lexicon
from .model import Quote

FLOOR, CEILING = 0.01, 0.99


@lru_cache(maxsize=1)
def _table() -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    rules: dict[tuple[str, str], float] = {}
    speakers: dict[str, float] = {}
    for line in lexicon.lines("confidence.txt"):
        what, *fields = line.split("\t")
        if what == "rule":
            kind, rule, value = fields
            rules[(kind, rule)] = float(value)
        elif what == "speaker":
            status, factor = fields
            speakers[status] = float(factor)
    return rules, speakers


def speaker_status(quote: Quote) -> str:
    """name, pronoun (resolved to a name), noun (no name), unresolved (a bare pronoun) or none."""
    mention = (quote.speaker or "").strip()
    if not mention:
        return "none"
    bare = mention.lower() in lexicon.pairs("pronouns.txt")  # the pronouns the engine reads as mentions
    if quote.speaker_name:
        return "pronoun" if bare else "name"
    return "unresolved" if bare else "noun"


def confidence(quote: Quote) -> float:
    """The rule's value for the quote's kind, times its speaker's factor, rounded to 0.01."""
    rules, speakers = _table()
    value = rules.get((quote.kind, quote.rule or ""), rules.get((quote.kind, "*"), 0.5))
    value *= speakers.get(speaker_status(quote), 1.0)
    return round(min(CEILING, max(FLOOR, value)), 2)
