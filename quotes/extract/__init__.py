"""The extraction engine: article text in, quotes out. Pure functions, no I/O.

Stages, each a module: spans (quotation marks), sentences (split and tokens), cues (the
lexicon's cue verbs), speakers (the mention next to a cue), resolve (pronouns and surnames
to full names), context (addressee, venue, place, date), engine (the patterns that tie them).
native decides whether those modules run as compiled by mypyc at install, or as source.
"""
from __future__ import annotations

from ..model import Quote
from .native import choose

# before any engine module is imported: the mypyc build when it is current, else the source
ENGINE_BUILD = choose()

from .engine import extract_quotes as _engine_quotes  # noqa: E402
from ..confidence import confidence  # noqa: E402
from ..speaker_type import speaker_type  # noqa: E402

ENGINE_VERSION = "0.8.0"


def extract_quotes(text: str, published: str | None = None, include_stance: bool = False,
                   structure: list | None = None) -> list[Quote]:
    """Every quote in `text`, in document order, each with its speaker's type and its confidence.

    `published` (ISO date) anchors "on Tuesday". Beliefs, wishes, plans and perceptions
    reported without quotation marks are no quotes: left out, or with `include_stance`
    kept and marked `stance`. `structure` (an HTML page's headings and list items, as
    Article.structure holds them) marks text that is no running text."""
    quotes = _engine_quotes(text, published, include_stance, [tuple(x) for x in structure] if structure else None)
    for q in quotes:
        q.speaker_type = q.speaker_type or speaker_type(q)  # the engine's when the article said
        q.confidence = confidence(q)
    return quotes


__all__ = ["extract_quotes", "ENGINE_VERSION", "ENGINE_BUILD", "Quote"]
