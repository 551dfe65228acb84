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

from .engine import extract_quotes  # noqa: E402

ENGINE_VERSION = "0.5.0"

__all__ = ["extract_quotes", "ENGINE_VERSION", "ENGINE_BUILD", "Quote"]
