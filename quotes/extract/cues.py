"""Find cue verbs and phrases (lexicons/cue_verbs.txt) among a sentence's tokens."""
from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .sentences import Token

# Words that make a following cue no attribution: "wants to say", "did not say".
_POLLS = {"poll", "polls", "survey", "surveys"}
_BLOCKERS = {"to", "not", "n't", "never", "the", "a", "an", "no", "his", "her", "their", "its", "this"}


def _headline(tokens: list[Token]) -> bool:
    """A headline in Title Case ("Clinton Says No To Debate") capitalises its verbs too."""
    words = [t for t in tokens if t.is_word]
    return len(words) >= 4 and sum(t.is_cap for t in words) >= 0.75 * len(words)


@dataclass(frozen=True)
class CueMatch:
    i: int  # first token
    j: int  # one past the last token
    lemma: str
    cls: str  # "say" | "tell" | "quote" | "according"


def find_cues(tokens: list[Token]) -> list[CueMatch]:
    """Every cue in the sentence, left to right, outside quotations."""
    table = lexicon.cues()
    out: list[CueMatch] = []
    n = len(tokens)
    i = 0
    headline = None  # worked out only when a capitalised cue turns up
    while i < n:
        t = tokens[i]
        if t.quote is None:
            if t.lower == "in" and i + 1 < n:
                # "in a CBS News poll", "in the latest surveys": the poll is the source
                for k in range(i + 1, min(n, i + 7)):
                    w = tokens[k]
                    if w.lower in _POLLS:
                        out.append(CueMatch(i, i + 1, "in", "according"))
                        break
                    if w.quote is not None or not w.is_word:
                        break
            if t.lower == "according" and i + 1 < n and tokens[i + 1].lower == "to":
                out.append(CueMatch(i, i + 2, "according to", "according"))
                i += 2
                continue
            if i > 0 and t.is_cap and tokens[i - 1].text not in "“\"‘'(:—–-" and t.lower in table:
                if headline is None:
                    headline = _headline(tokens)
            if i > 0 and t.is_cap and tokens[i - 1].text not in "“\"‘'(:—–-" and not headline:
                i += 1  # "Islamic State", "Washington Post": a name, not a verb
                continue
            for cue in table.get(t.lower, ()):
                k = len(cue.form)
                if i + k <= n and all(tokens[i + x].lower == cue.form[x] for x in range(k)):
                    prev = tokens[i - 1].lower if i else ""
                    if prev in _BLOCKERS:
                        break
                    out.append(CueMatch(i, i + k, cue.lemma, cue.cls))
                    i += k - 1
                    break
        i += 1
    return out
