"""What kind of speaker a quote has: person, organisation, group, anonymous or document.

Read off what the engine kept: the mention as written, the resolved name and whether the
mention is a pronoun, with the word lists in lexicons/ (organisations.txt, speaker_types.txt).
"A police spokesman" is anonymous, "the report" a document, "critics" a group, "the ministry",
"Amnesty International", "Pakistan" and "it" an organisation, "Ana Ruiz" and "she" a person.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .extract import lexicon
from .extract.resolve import first_name_and_word
from .model import Quote

TYPES = ("person", "organisation", "group", "anonymous", "document")
# what each kind of pronoun in lexicons/pronouns.txt speaks for: m, f, s (I) and r (who, which,
# that) a person, p (they, we) a group, o (it) an organisation
_BY_PRONOUN = {"m": "person", "f": "person", "s": "person", "r": "person", "p": "group", "o": "organisation"}
_WORD = re.compile(r"[\w’'%-]+")


# the last word of a company's or an organisation's name, beyond organisations.txt
_COMPANY_WORDS = lexicon.section("grammar_speaker_type.txt", "company_words")
# the kinds of organisation ("the railway", "the firm"): lexicons/organisation_kinds.txt
_KINDS = lexicon.words("organisation_kinds.txt")


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    return (lexicon.words("organisations.txt") | _COMPANY_WORDS, lexicon.pairs("speaker_types.txt"),
            lexicon.words("countries.txt"))


def _head(words: list[str]) -> str:
    """The head noun of a noun phrase: the word before "of"/"for"/"from", else the last."""
    for k, w in enumerate(words):
        if k and w in ("of", "for", "from", "at", "with", "familiar", "close", "who", "in"):
            return words[k - 1]
    return words[-1]


def _initials_or_number(name: str) -> bool:
    """ "UFCW Local 832", "IRCC", "Channel 4": an acronym of three letters or more, or a closing
    number, is an organisation's; no person's name has either."""
    words = name.split()
    return (len(words) > 1 and words[-1].isdigit()) or any(
        len(w) >= 3 and w.isalpha() and w.isupper() for w in words)


def speaker_type(quote: Quote) -> str | None:
    """One of TYPES, or None for a quote with no speaker."""
    mention = (quote.speaker or "").strip()
    if not mention:
        return None
    organisations, nouns, countries = _tables()
    name = quote.speaker_name
    low = mention.lower()
    if name and (any(w.lower().strip(".,") in organisations for w in name.split()) or _initials_or_number(name)) \
            and not first_name_and_word(name):
        return "organisation"
    if (name or mention).lower().removeprefix("the ") in countries:
        return "organisation"  # "Pakistan", "Washington": a state speaking
    pronoun = lexicon.pairs("pronouns.txt").get(low)
    if pronoun is not None:
        return _BY_PRONOUN[pronoun]
    words = [w.lower().strip("’'") for w in _WORD.findall(mention)]
    if name and name != mention and name[:1].isupper():
        if len(words) > 1 and words[0] in ("the", "a", "an") and (_head(words) in organisations or _head(words) in _KINDS):
            return "organisation"  # "the Calgary-based railway" resolved to Canadian Pacific Railway
        return "person"  # "the mayor" resolved to the one mayor the article named

    if not words:
        return None
    if name and mention[:1].isupper() and not words[0] in ("the", "a", "an"):
        return "person"  # a proper name the engine resolved to itself
    head = _head(words)
    kind = nouns.get(head)
    if kind is not None:
        return kind
    if head in organisations:
        return "organisation"
    if head.endswith("s") and not head.endswith("ss") or head in ("police", "staff", "public", "crowd", "media"):
        return "group"
    return "person"
