"""Find cue verbs and phrases (lexicons/cue_verbs.txt) among a sentence's tokens."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from . import lexicon
from .sentences import Token

# Words that make a following cue no attribution: "wants to say", "did not say".
_POLLS: Final = lexicon.section("grammar_cues.txt", "polls")
_ONE_POLL: Final = lexicon.section("grammar_cues.txt", "one_poll")
_NOT_IN_POLL: Final = lexicon.section("grammar_cues.txt", "not_in_poll")
_DAYS: Final = lexicon.section("grammar_cues.txt", "days")
_BLOCKERS: Final = lexicon.section("grammar_cues.txt", "blockers")
# cue forms that are plural nouns too, and the words after them that make them nouns: "The
# Instagram posts of ...", "Our top questions were ..." (but "says of Clinton" is a verb)
_PLURAL_NOUNS: Final = lexicon.section("grammar_cues.txt", "plural_nouns")
_NOUN_AFTER: Final = lexicon.section("grammar_cues.txt", "noun_after")
_SINGULAR_NOUNS: Final = lexicon.section("grammar_cues.txt", "singular_nouns")
_POSSESSIVES: Final = lexicon.section("grammar_engine.txt", "possessives")
_VERB_AFTER: Final = lexicon.section("grammar_cues.txt", "verb_after")
# what stands before a plural noun and never before a verb of its subject: "took questions",
# "face questions", "scrutinized reports", "the reports", "no comments"
_NOUN_BEFORE: Final = lexicon.section("grammar_cues.txt", "noun_before")
# a form of "be" before a cue's past form makes it passive: "was told", "has been charged with"
# name the addressee or the accused, not a speaker
_PASSIVE_BE: Final = lexicon.section("grammar_cues.txt", "passive_be")
# "he’s said" is "he has said": these contractions are no possessive
_CONTRACTED: Final = lexicon.section("grammar_cues.txt", "contracted")
_CUES: Final = lexicon.cues()
# every lower-cased token that can begin a cue: the only tokens `find_cues` stops at
_STARTERS: Final = frozenset(_CUES) | {"in", "according"}
_CUE_WORDS: Final = frozenset(_CUES) | {"according"}
# (and the polls: "In a Harbour Gazette poll, 61% backed the ferry" has no cue word but "in")
_CUE_BYTES: Final = frozenset(w.encode() for w in _CUE_WORDS | _POLLS)


def _headline(tokens: list[Token]) -> bool:
    """A headline in Title Case ("Clinton Says No To Debate") capitalises its verbs too."""
    words = [t for t in tokens if t.is_word]
    return len(words) >= 4 and sum(t.is_cap for t in words) >= 0.75 * len(words)


# not frozen (a frozen dataclass sets each field through object.__setattr__), and an __init__
# of our own, which mypyc compiles (the one dataclass writes runs as Python)
@dataclass(init=False)
class CueMatch:
    i: int  # first token
    j: int  # one past the last token
    lemma: str
    cls: str  # "say" | "tell" | "quote" | "according"

    def __init__(self, i: int, j: int, lemma: str, cls: str) -> None:
        self.i, self.j, self.lemma, self.cls = i, j, lemma, cls



def _blocks(prev: str, low: str) -> bool:
    """Whether the word before a cue makes it no act of saying by a speaker before it: a
    possessive makes it a noun ("Trump’s comments", "Editor’s note"), a form of "be" a passive
    ("was told", "been charged with")."""
    if prev.endswith(("’s", "'s")) and prev not in _CONTRACTED:
        return True
    return prev in _PASSIVE_BE and not low.endswith("ing")


def _verb_of_its_own(t: Token) -> bool:
    """A past tense or a form of "be", "have" or "will" right after a cue form ("report
    cheered", "comments were", "disputes with"): the form was a noun."""
    return t.lower in _VERB_AFTER or (t.is_word and t.text.islower() and t.lower.endswith("ed") and len(t.lower) > 4)


def find_cues(tokens: list[Token]) -> list[CueMatch]:
    """Every cue in the sentence, left to right, outside quotations."""
    table = _CUES
    out: list[CueMatch] = []
    n = len(tokens)
    nxt = 0  # a cue of several tokens hides the ones it covers
    headline = None  # worked out only when a capitalised cue turns up
    lowers = [t.lower for t in tokens]
    # "in" starts a cue only before a poll: a sentence without one skips every "in"
    starters = _STARTERS if not _POLLS.isdisjoint(lowers) else _CUE_WORDS
    for i in range(n):
        low = lowers[i]
        if low not in starters or i < nxt:
            continue  # most tokens of a sentence can begin no cue
        t = tokens[i]
        if low == "in":
            if i + 1 < n:
                # "in a CBS News poll", "in the latest surveys": the poll is the source
                # not "behind him in the polls", "going to the polls", "in the wake of a poll":
                # one poll, named right after "in"
                for k in range(i + 1, min(n, i + 7)):
                    w = tokens[k]
                    if w.lower in _POLLS:
                        if w.lower in _ONE_POLL and k > i + 1:
                            out.append(CueMatch(i, i + 1, "in", "according"))
                        break
                    if w.quote is not None or not w.is_word or w.lower in _NOT_IN_POLL:
                        break
        elif low == "according" and i + 1 < n and tokens[i + 1].lower == "to":
            out.append(CueMatch(i, i + 2, "according to", "according"))
            nxt = i + 2
            continue
        if t.text.isupper() and len(t.text) > 1 and any(w.is_word and not w.text.isupper() for w in tokens):
            continue  # "TURNOUT DOESN’T RAISE HOPES - Jane Doe: “...”": a kicker in capitals, then its quote
        if i > 0 and t.is_cap and tokens[i - 1].text not in "“\"‘'(:—–-":
            if headline is None and low in table:
                headline = _headline(tokens)
            if not headline:
                continue  # "Islamic State", "Washington Post": a name, not a verb
        for cue in table.get(low, ()):
            k = len(cue.form)
            if k == 1 or (i + k <= n and all(tokens[i + x].lower == cue.form[x] for x in range(1, k))):
                if k > 1 and i + k < n and tokens[i + k].lower in _DAYS:
                    continue  # "called on Monday for a recount": the day's "on", not "called on"
                prev = tokens[i - 1].lower if i else ""
                if prev in _BLOCKERS or _blocks(prev, low):
                    break
                if k == 1 and low in _PLURAL_NOUNS and (
                        i + 1 < n and tokens[i + 1].lower in _NOUN_AFTER or prev in _NOUN_BEFORE
                        or prev.endswith("ed") and tokens[i - 1].text.islower()):
                    break  # "The Instagram posts of ...", "took questions from ...", "the continued questions": nouns
                if k == 1 and (low in _PLURAL_NOUNS or low in _SINGULAR_NOUNS) and i + 1 < n and _verb_of_its_own(tokens[i + 1]):
                    break  # "the jobs report cheered Democrats", "Trump's comments pre-empted ...": the subject's head
                if k == 1 and low.endswith("s") and i > 1 and tokens[i - 2].lower in _POSSESSIVES and prev.endswith("ing"):
                    break  # "His marching orders came ...", "her closing remarks": a noun after its possessive
                if low.endswith("ed") and prev.endswith("ed") and tokens[i - 1].text.islower() and len(prev) > 4:
                    break  # "The computer contained detailed information": an adjective after the verb
                out.append(CueMatch(i, i + k, cue.lemma, cue.cls))
                nxt = i + k
                break
    return out


# every byte but a-z becomes a space: the words of a lower-cased, UTF-8 encoded text are then its
# runs of a-z (a letter outside ASCII is bytes >= 0x80), split apart in C without a regex
_NOT_AZ: Final = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def has_cue_word(text: str, s: int, e: int, also: Iterable[str] = ()) -> bool:
    """Whether text[s:e] holds a word (a run of a-z once lower-cased) that can begin a cue
    ("said", "according", a poll's "in") or is one of `also`: byte and set operations in C, so that a sentence
    without one costs no tokens."""
    words = text[s:e].lower().encode("utf-8", "surrogatepass").translate(_NOT_AZ).split()
    return not _CUE_BYTES.isdisjoint(words) or not _as_bytes(also).isdisjoint(words)


_BYTES_CACHE: Final[dict[int, tuple[Iterable[str], frozenset[bytes]]]] = {}


def _as_bytes(words: Iterable[str]) -> frozenset[bytes]:
    """`words` encoded, kept per word list (the engine passes the same lexicon every time)."""
    hit = _BYTES_CACHE.get(id(words))
    if hit is None or hit[0] is not words:
        if len(_BYTES_CACHE) > 8:
            _BYTES_CACHE.clear()
        hit = _BYTES_CACHE[id(words)] = (words, frozenset(w.encode("utf-8", "surrogatepass") for w in words))
    return hit[1]

