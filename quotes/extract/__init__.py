"""The extraction engine: article text in, quotes out. Pure functions, no I/O.

Stages, each a module: spans (quotation marks), sentences (split and tokens), cues (the
lexicon's cue verbs), speakers (the mention next to a cue), resolve (pronouns and surnames
to full names), context (addressee, venue, place, date), engine (the patterns that tie them).
"""
from __future__ import annotations

from ..model import Quote
from .engine import extract_quotes

ENGINE_VERSION = "0.4.22"

__all__ = ["extract_quotes", "ENGINE_VERSION", "Quote"]
