"""Partial names and pronouns -> the fullest name used in the article.

"Toqaev" becomes "Qasym-Zhomart Toqaev" if the article spells that out anywhere; "he" becomes
the person most recently named as a speaker or as a sentence's subject, unless that was a
woman ("Mrs.", "Ms.") or an organisation; "they" the last group or organisation. A pronoun
with no antecedent stays unresolved (None): a database of quotes by "he" serves no one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon
from .sentences import Token
from .speakers import is_name_word, is_title, _strip_poss

_FEMALE = {"mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "queen", "princess", "dame",
           "congresswoman", "chairwoman", "spokeswoman"}
_MALE = {"mr", "mr.", "sir", "lord", "king", "prince", "congressman", "chairman", "spokesman"}


def is_organisation(name: str) -> bool:
    orgs = lexicon.words("organisations.txt")
    return any(w.lower().strip(".,") in orgs for w in name.split())


@dataclass
class Antecedent:
    pos: int
    name: str
    person: bool
    plural: bool = False
    gender: str | None = None


@dataclass
class Resolver:
    """Holds what the article has said so far, read in document order."""

    full: dict[str, list[str]] = field(default_factory=dict)  # last word -> full names
    counts: dict[str, int] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    history: list[Antecedent] = field(default_factory=list)

    def learn(self, text: str, toks: list[Token]) -> None:
        """Record the names of a sentence (every sentence, before any attribution is read)."""
        k = 0
        n = len(toks)
        while k < n:
            t = toks[k]
            if not is_name_word(t) or is_title(t.lower):
                k += 1
                continue
            s = k
            while k < n and is_name_word(toks[k]) and not is_title(toks[k].lower):
                k += 1
                if toks[k - 1].lower.endswith(("’s", "'s")):
                    break
            name = _strip_poss(text[toks[s].start:toks[k - 1].end])
            words = name.split()
            key = words[-1].lower()
            names = self.full.setdefault(key, [])
            if name not in names:
                names.append(name)
            self.counts[name] = self.counts.get(name, 0) + 1
            if s > 0:
                title = toks[s - 1].lower
                if title in _FEMALE:
                    self.gender[key] = "f"
                elif title in _MALE:
                    self.gender[key] = "m"

    def fullest(self, name: str) -> str:
        """The longest name in the article that ends with this one ("Toqaev" -> "Qasym-Zhomart Toqaev")."""
        words = name.split()
        if not words:
            return name
        best = name
        for cand in self.full.get(words[-1].lower(), ()):
            cw = cand.split()
            if len(cw) > len(words) and [w.lower() for w in cw[-len(words):]] == [w.lower() for w in words]:
                if len(cw) > len(best.split()) or (
                        len(cw) == len(best.split()) and self.counts.get(cand, 0) > self.counts.get(best, 0)):
                    best = cand
        return best

    def note(self, pos: int, name: str, plural: bool = False) -> str:
        """Remember a named speaker or subject; returns its fullest form."""
        full = self.fullest(name)
        person = not is_organisation(full) and not plural
        g = self.gender.get(full.split()[-1].lower()) if full.split() else None
        self.history.append(Antecedent(pos, full, person, plural or not person, g))
        return full

    def pronoun(self, word: str, pos: int) -> str | None:
        """The name a subject pronoun stands for, or None."""
        w = word.lower()
        for a in reversed(self.history):
            if a.pos >= pos:
                continue
            if pos - a.pos > 3000:
                return None
            if w in ("he", "she"):
                if a.person and (a.gender is None or a.gender == ("m" if w == "he" else "f")):
                    return a.name
            elif w == "they":
                if a.plural:
                    return a.name
            elif w == "it":
                if not a.person and not a.plural:
                    return a.name
                if not a.person:
                    return a.name
        return None
