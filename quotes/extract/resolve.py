"""Partial names and pronouns -> the fullest name used in the article.

"Ruiz" becomes "Ana Maria Ruiz" if the article spells that out anywhere; "he" becomes
the person most recently named as a speaker or as a sentence's subject, unless that was a
woman ("Mrs.", "Ms.") or an organisation; "they" the last group or organisation. A pronoun
with no antecedent stays unresolved (None): a database of quotes by "he" serves no one.
"The minister" becomes "Ana Ruiz" when she is the one person the article has called minister
(a title before her name, an appositive after or before it); with two ministers it stays None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from . import lexicon
from .sentences import NAME_HOMONYMS, TITLE_WORDS, Token
from .spans import nickname
from .speakers import DETERMINERS, FUNCTION_WORDS, NAME_LABELS, ORGANISATION_WORDS, is_name_word, _strip_poss

# the word lists read here, loaded once: a module constant costs no call in the hot loops
HONORIFICS: Final = lexicon.words("honorifics.txt")  # forms of address ("Ms", "Dr"): never a role
_ROLE_HEADS: Final = lexicon.words("titles.txt") | lexicon.words("role_nouns.txt")
# capitalised words that never start a name: function words and determiners, one lookup
_NOT_NAMES: Final = FUNCTION_WORDS | frozenset(DETERMINERS)
_MONTH_LEADS: Final = lexicon.section("grammar_resolve.txt", "month_leads")
_ABBREVIATIONS: Final = lexicon.words("abbreviations.txt")
ORG_KINDS: Final = lexicon.words("organisation_kinds.txt")  # "security firm [Cisco Talos]"
_KIND_OPENERS: Final = lexicon.words("kind_openers.txt")  # "[Carmaker] Nissan said"

_FEMALE: Final = lexicon.section("grammar_resolve.txt", "female")
_FEMALE_ROLES: Final = _FEMALE | lexicon.section("grammar_resolve.txt", "female_roles")
_MALE_ROLES: Final = lexicon.section("grammar_resolve.txt", "male_roles")
_MALE: Final = lexicon.section("grammar_resolve.txt", "male")
# first names borne nearly always by one gender (from nomquamgender: tools/make_first_names.py)
_FEMALE_NAMES: Final = lexicon.words("female_first_names.txt")
_MALE_NAMES: Final = lexicon.words("male_first_names.txt")
_FIRST_NAMES: Final = _FEMALE_NAMES | _MALE_NAMES


# is_organisation per name, a dict as _ONE_WORD: an lru_cache wrapper is a Python call
_ORGANISATION: Final[dict[str, bool]] = {}


def first_name_and_word(name: str) -> bool:
    """ "Christopher House", "Charlotte Church": a first name and a surname that is also an
    organisation's word ("house", "church"), a person's name."""
    words = name.split()
    return len(words) == 2 and words[0].lower() in _FIRST_NAMES and words[1].lower() in ORGANISATION_WORDS \
        and words[0].lower() not in ORGANISATION_WORDS


def is_organisation(name: str) -> bool:
    """Whether a word of the name is an organisation's ("Ministry", "Party"): asked of the same
    names again and again, so kept."""
    known = _ORGANISATION.get(name)
    if known is not None:
        return known
    words = name.split()
    org = any(w.lower().strip(".,") in ORGANISATION_WORDS for w in words) or (
        len(words) > 1 and words[-1].isdigit())  # "UFCW Local 832", "Channel 4": no person ends in a number
    if org and first_name_and_word(name):
        org = False
    if len(_ORGANISATION) > 50_000:
        _ORGANISATION.clear()  # bounded, as _ONE_WORD
    _ORGANISATION[name] = org
    return org


# how far back (in characters) a pronoun or a description looks for the one it stands for
PRONOUN_REACH: Final = 3000

_AGE: Final = re.compile(r",[ \t]+(\d{1,3}),")
_AGE_PHRASE: Final = re.compile(r"(?i)the[ \t]+(\d{1,3})-year-old")


@dataclass
class Antecedent:
    pos: int
    name: str
    person: bool
    plural: bool = False
    gender: str | None = None

    def __init__(self, pos: int, name: str, person: bool, plural: bool = False,
                 gender: str | None = None) -> None:
        # written out: the compiled build runs it natively, the generated one is interpreted
        self.pos = pos
        self.name = name
        self.person = person
        self.plural = plural
        self.gender = gender


@dataclass
class Resolver:
    """Holds what the article has said so far, read in document order."""

    full: dict[str, list[str]] = field(default_factory=dict)  # last word -> full names
    counts: dict[str, int] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    history: list[Antecedent] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)  # "harbour master" -> names that held it
    ages: dict[str, list[str]] = field(default_factory=dict)  # "52" -> names given that age
    kinds: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # "firm" -> (where, name) introduced as one
    kinded: set[str] = field(default_factory=set)  # the names of kinds, for is_kind
    # names the capitalised runs cut out of a longer one: "Exchange Commission" of "Securities and ..."
    parts: set[str] = field(default_factory=set)
    acronyms: dict[str, str] = field(default_factory=dict)  # "IRCC" -> "Immigration, Refugees and ..."
    spelled_out: set[str] = field(default_factory=set)  # the full names of acronyms
    # written_with_the() per organisation's name
    the_forms: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    # fullest() per name, asked again and again for the same speakers; `learn` empties it
    known: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # described()'s one name holding a word, per word: asked of every "the company"; emptied with known
    holding: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def learn(self, text: str, s: int, runs: list[tuple[int, int, str, bool]]) -> None:
        """Record the names of a sentence (every sentence, before any attribution is read)."""
        full, counts, gender = self.full, self.counts, self.gender
        heads = _ROLE_HEADS
        if runs:
            self.known.clear()  # new names: a fullest() kept may have changed
            self.holding.clear()
        for start, end, name, _ in runs:
            if text.startswith(" (", end):
                self._learn_acronym(text, s, end)
            if text.startswith(" ", end) and text[end + 1:end + 2] in _NICK_MARKS:
                self._learn_nicknamed(text, end, name)
            key = name.split()[-1].lower()  # split() with no argument is a compiled primitive
            names = full.get(key)
            if names is None:
                full[key] = [name]
            elif name not in names:
                names.append(name)
            counts[name] = counts.get(name, 0) + 1
            before = text[start - 40 if start - 40 > s else s:start]
            word_before = before[-6:].split()  # the word right before the name: "Mrs.", "Sir"
            if word_before:
                title = word_before[-1].lower().lstrip(_OPENERS)  # "“Mayor McCallum’s ..."
                if title in _FEMALE:
                    gender[key] = "f"
                elif title in _MALE:
                    gender[key] = "m"
            # cheap tests first: most names have no role word right before them and no comma by them
            comma_after = end < len(text) and text[end] == ","
            tail = before.rstrip(" \t")
            role_word = False
            if len(tail) < len(before):  # after a space: "Minister Ana Ruiz"
                # the word before the name, split out above when the six characters hold all of
                # it (a space before it among them, or no more text before); else split the tail
                if word_before and (len(word_before) > 1 or len(before) <= 6 or before[-6].isspace()):
                    role_word = word_before[-1].lower().lstrip(_OPENERS) in heads
                else:
                    last = tail.rsplit(None, 1)
                    role_word = bool(last) and last[-1].lower().lstrip(_OPENERS) in heads
            comma_before = tail.endswith(",")
            if _JOINED_BEFORE.search(before) or _JOINED_AFTER.match(text, end, end + 8):
                self.parts.add(name)
            if len(tail) < len(before) and word_before:
                last2 = tail.rsplit(None, 2)  # the whole word before, and the one before it
                if len(last2) < 2 or last2[-2].lower() not in ("a", "an"):  # not "a network [Russia] has financed"
                    self._learn_kind(last2[-1], start, name)
            kind_after = _KIND_AFTER.match(text, end, end + 16)
            if kind_after:  # "the Rodong Sinmun newspaper"
                self._learn_kind(kind_after.group(1), start, name)
            if comma_after:
                kind = _KIND_APPOSITIVE.match(text, end, min(len(text), end + 40))
                if kind:  # "GroupM, the media buying company,"
                    self._learn_kind(kind.group(1), start, name)
            if role_word or comma_after or comma_before:
                self._learn_roles(text, s, start, end, name, role_word, comma_after, comma_before)
                age = _AGE.match(text, end, end + 8) if comma_after else None
                if age:  # "Priya Nair, 52," is a later "the 52-year-old"
                    names = self.ages.setdefault(age.group(1), [])
                    if name not in names:
                        names.append(name)

    def _learn_roles(self, text: str, s: int, start: int, end: int, name: str,
                     role_word: bool, comma_after: bool, comma_before: bool) -> None:
        """ "Minister Ana Ruiz", "Ana Ruiz, the town's mayor,": who a later "the mayor" is. The
        flags (a role word right before the name, a comma after it, a comma before it) come from
        `learn`, which tests them for every name."""
        found = []
        if role_word:
            lo = max(s, start - 40)
            # _ROLE_BEFORE takes three words at most: it cannot match before the fourth word
            # back, so the search starts after it and is spared the tries
            back = text[lo:start].rsplit(None, 3)
            if len(back) == 4:
                lo += len(back[0])
            pre = _ROLE_BEFORE.search(text, lo, start)
            if pre:
                found.append(pre.group(1).lower().split())
        if comma_after:
            app = _ROLE_APPOSITIVE.match(text, end, min(len(text), end + 80))
            if app:
                found.append(app.group(1).lower().split())
        if comma_before:
            front = _ROLE_FRONTED.match(text[s:start])  # "The chief executive of the trust, Jan Olsen,"
            if front:
                found.append(front.group(1).lower().split())
        for words in found:
            while words and words[0] in DETERMINERS:
                words = words[1:]
            cut = next((x for x, w in enumerate(words) if w in _ROLE_OF), len(words))
            words = words[:cut]  # "chief executive of the trust": the role is "chief executive"
            if not words or words[-1] not in _ROLE_HEADS or words[-1] in HONORIFICS:
                continue
            for k in range(1, min(3, len(words)) + 1):
                names = self.roles.setdefault(" ".join(words[-k:]), [])
                if name not in names:
                    names.append(name)

    def _learn_nicknamed(self, text: str, end: int, name: str) -> None:
        """ 'Riefian “Ifan” Fajarsyah': the name is "Riefian Fajarsyah", so a later "Fajarsyah" is him."""
        close = text.find(text[end + 1] if text[end + 1] == '"' else _NICK_MARKS[text[end + 1]], end + 2, end + 26)
        if close < 0 or not nickname(text, end + 1, close + 1):
            return
        after = _CAP_RUN.match(text, close + 2)
        if after is None:
            return
        full = name + " " + after.group(0).split()[0]
        names = self.full.setdefault(full.split()[-1].lower(), [])
        if full not in names:
            names.append(full)
        self.counts[full] = self.counts.get(full, 0) + 1

    def _learn_acronym(self, text: str, s: int, end: int) -> None:
        """ "Immigration, Refugees and Citizenship Canada (IRCC)": a later "IRCC" is the full
        name, when the letters are the initials of its capitalised words."""
        acr = _ACRONYM.match(text, end, end + 12)
        if acr is None:
            return
        letters = acr.group(1)
        words = text[max(s, end - 120):end].split()
        initials = ""
        for x in range(len(words) - 1, -1, -1):
            w = words[x].strip(",")
            if w[:1].isupper():
                initials = w[0] + initials
            elif w.lower() not in _ACRONYM_JOINS:
                break
            if initials == letters:
                full = " ".join(words[x:]).strip(" ,")
                self.acronyms[letters] = full
                self.spelled_out.add(full)
                self.known.pop(letters, None)
                return

    def _learn_kind(self, word: str, pos: int, name: str) -> None:
        """ "security firm Cisco Talos": what a later "the firm" is, if the article introduces no other."""
        if word[:1].isupper() and word.lower() in _KIND_OPENERS:
            word = word.lower()  # "Carmaker Nissan cut jobs"
        if word.islower() and word in ORG_KINDS:
            self.kinds.setdefault(word, []).append((pos, name))
            self.kinded.add(name)

    def by_kind(self, phrase: str, pos: int) -> str | None:
        """ "the security firm", "the company" -> the one organisation the article introduced
        with that noun before `pos` ("security firm Cisco Talos", "GroupM, the company,"), else None."""
        words = phrase.split()
        if len(words) < 2 or words[0].lower() != "the":
            return None
        head = words[-1].lower()  # "the paper" is the newspaper, "the maker" the carmaker
        cands: set[str] = set()
        for kind, named in self.kinds.items():
            if kind.endswith(head):
                for at, n in named:  # in text order
                    if at >= pos or len(cands) > 1:
                        break  # (two already: no one)
                    cands.add(self.fullest(n))
        return cands.pop() if len(cands) == 1 else None

    def is_kind(self, name: str) -> bool:
        """Whether the article introduced this name as an organisation ("carmaker Tesla")."""
        return name in self.kinded

    def known_organisation(self, name: str) -> bool:
        """Whether the article itself shows the name is an organisation's: introduced with its
        kind ("carmaker Nissan"), or spelled out before its acronym."""
        return name in self.kinded or name in self.spelled_out

    def written_with_the(self, text: str, name: str) -> bool:
        """Whether the article writes this organisation's name with "the" ("the EU", "the
        Raptors") more often than without: that is its name as the article gives it. (Not "the
        Tesla Model 3": a name followed by another is a modifier.)"""
        known = self.the_forms.get(name)
        if known is None:
            with_the = without = 0
            for m in re.finditer(r"(?<![\w.])" + re.escape(name) + r"(?![\w’'-])(?![ \t]+[A-Z])", text):
                if text[max(0, m.start() - 4):m.start()].lower() == "the ":
                    with_the += 1
                else:
                    without += 1
            known = self.the_forms[name] = with_the > without
        return known

    def by_first(self, first: str) -> str | None:
        """ "Sir Keir", "Dame Ana": British style names a knight by the first name; the one
        person of the article whose full name starts with it, else None."""
        low = first.lower()
        cands = {self.fullest(n) for n in self.counts
                 if len(n.split()) > 1 and n.split()[0].lower() == low and not is_organisation(n)}
        return cands.pop() if len(cands) == 1 else None

    def by_age(self, phrase: str) -> str | None:
        """ "the 52-year-old" -> the one person the article gave that age, else None."""
        m = _AGE_PHRASE.fullmatch(phrase.strip())
        if not m:
            return None
        cands = {self.fullest(n) for n in self.ages.get(m.group(1), ())}
        cands = {c for c in cands if not is_organisation(c)}
        return cands.pop() if len(cands) == 1 else None

    def by_role(self, phrase: str) -> str | None:
        """ "the minister" -> the one person the article named with that role, else None.
        A longer role is read as the article wrote it first, then by its last words before
        "of": "the former director of operations" is the one "director" named."""
        words = phrase.lower().split()
        if len(words) < 2 or words[0] != "the":
            return None
        words = words[1:]
        cut = next((x for x, w in enumerate(words) if w in _ROLE_OF), len(words))
        tries = [" ".join(words)] + [" ".join(words[k:cut]) for k in range(max(0, cut - 3), cut)]
        for role in tries:
            cands = {self.fullest(n) for n in self.roles.get(role, ())}
            # a person's full name: "Bill" or "Russia" alone may be anyone or anything
            cands = {c for c in cands if not is_organisation(c) and _FULL_NAME.fullmatch(c)}
            if cands:
                return cands.pop() if len(cands) == 1 else None
        return None

    def fullest(self, name: str) -> str:
        """The fullest name in the article that ends with this one ("Ruiz" -> "Ana Maria Ruiz").

        Among longer names a person's wins for a name that is no organisation's, then the most
        used, then the longest: "Donald Trump" written ten times beats a headline's "Trust Donald
        Trump" written once.
        """
        kept = self.known.get(name)
        if kept is not None:
            return kept
        expanded = self.acronyms.get(name)
        if expanded is not None:
            return expanded
        words = name.split()
        if not words:
            return name
        tail = [w.lower() for w in words]
        best, key = name, (-1, -1, 0)
        person = not is_organisation(name)
        for cand in self.full.get(words[-1].lower(), ()):
            cw = cand.split()
            if len(cw) > len(words) and [w.lower() for w in cw[-len(words):]] == tail:
                # a person's surname is the person's, before a firm named after them ("Schicketanz":
                # Mary Ann Schicketanz, not Studio Schicketanz)
                k = (int(person and not is_organisation(cand)), self.counts.get(cand, 0), len(cw))
                if k > key:
                    best, key = cand, k
        self.known[name] = best
        return best

    def learn_gender(self, name: str, pronoun: str | None = None, role: str | None = None) -> None:
        """ "Smith said she ...", "spokeswoman Ann Smith": what later "he"/"she" may stand for."""
        words = name.split()
        if not words:
            return
        key = words[-1].lower()
        if pronoun in ("he", "she"):
            self.gender.setdefault(key, "m" if pronoun == "he" else "f")
        for w in (role or "").lower().split():
            if w in _FEMALE_ROLES:
                self.gender.setdefault(key, "f")
            elif w in _MALE_ROLES:
                self.gender.setdefault(key, "m")

    def note(self, pos: int, name: str, plural: bool = False) -> str:
        """Remember a named speaker or subject; returns its fullest form: the name it ends, or
        else the one full name it opens ("Jordan" after "Jordan Stewart")."""
        full = self.fullest(name)
        if full == name and " " not in name:
            full = self.by_first(name) or name
        words = full.split()
        if len(words) > 1 and full not in self.full.get(words[-1].lower(), ()):
            # a name the capitalised runs could not give whole ("Ben van der Pluijm"): learnt
            # now, so that a later "Pluijm" is him
            self.full.setdefault(words[-1].lower(), []).append(full)
            self.counts[full] = self.counts.get(full, 0) + 1
            self.known.clear()
            self.holding.clear()
        person = not is_organisation(full) and not plural and not self.is_kind(full)
        self.history.append(Antecedent(pos, full, person, plural or not person, self.gender_of(full)))
        return full

    def gender_of(self, name: str) -> str | None:
        """ "m", "f" or None. A full name's first name decides ("Anne Marie Cerato"), for the
        person alone: a "Mrs. Cerato" says nothing of her husband. Else what the article said
        of the surname: a title ("Mrs."), a role ("spokeswoman"), a pronoun after the name."""
        words = name.split()
        if not words:
            return None
        if len(words) > 1:
            first = words[0].lower()
            if first in _FEMALE_NAMES:
                return "f"
            if first in _MALE_NAMES:
                return "m"
        return self.gender.get(words[-1].lower())

    def _before(self, pos: int) -> list[Antecedent]:
        """The antecedents named before `pos`, nearest first, as far back as a pronoun reaches."""
        out: list[Antecedent] = []
        for a in reversed(self.history):
            if a.pos >= pos:
                continue
            if pos - a.pos > PRONOUN_REACH:
                break
            out.append(a)
        return out

    def described(self, head: str, pos: int) -> str | None:
        """ "the ministry": the last organisation named whose name holds that word ("the Harbour
        Ministry"), within the distance a pronoun has, else the one name in the article that
        holds it; "the company" after "Tesla" stays None (but see by_kind)."""
        head = head.lower()
        for a in self._before(pos):
            if not a.person and head in a.name.lower().split() and a.name not in self.parts:
                return a.name
        # else the one name of the article that holds the word: "Canadian Pacific Railway"
        if head in self.holding:
            return self.holding[head]
        cands: set[str] = set()
        for n in self.counts:
            if head in n.lower().split() and n not in self.parts and not first_name_and_word(self.fullest(n)):
                cands.add(self.fullest(n))  # (not "Christopher House" for "the House")
                if len(cands) > 1:
                    break  # two: no one
        found = cands.pop() if len(cands) == 1 else None
        self.holding[head] = found
        return found

    def epithet(self, pos: int) -> str | None:
        """ "the bow-tied maverick", "the self-taught Cambridge resident": the person named
        last, as "he" or "she" would be, whatever their gender."""
        for a in self._before(pos):
            if a.person and not a.plural:
                return a.name
        return None

    def pronoun(self, word: str, pos: int) -> str | None:
        """The name a subject pronoun stands for, or None."""
        w = word.lower()
        for a in self._before(pos):
            if w in ("he", "she"):
                g = self.gender_of(a.name)
                if a.person and (g is None or g == ("m" if w == "he" else "f")):
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


_FULL_NAME: Final = re.compile(r"[^\W\d_][\w’'-]*(?:[ \t]+[^\W\d_][\w’'.-]*)*[ \t]+[^\W\d_][\w’'-]+")
# possessive: a word never ends in a space nor a space run in a letter, and fewer words end
# further from \Z, so giving anything back never helps (half the work of a failed try)
_ROLE_BEFORE: Final = re.compile(r"((?:[A-Za-z][\w’'-]*+[ \t]++){1,3}+)\Z")
_ROLE_FRONTED: Final = re.compile(r"((?:the|a|an)[ \t]+[^,.;:()“”‘\"]{1,60}),[ \t]*\Z", re.I)
_ROLE_OF: Final = lexicon.section("grammar_resolve.txt", "role_of")
_NICK_MARKS: Final = {"“": "”", '"': '"', "‘": "’"}
_ACRONYM: Final = re.compile(r" \(([A-Z]{2,6})\)")
_ACRONYM_JOINS: Final = lexicon.section("grammar_resolve.txt", "acronym_joins")
_JOINED_BEFORE: Final = re.compile(r"[A-Z][\w.’'-]*[ \t]+(?:and|of|for|&)[ \t]+\Z")
_JOINED_AFTER: Final = re.compile(r"[ \t]+(?:and|of|for|&)[ \t]+[A-Z]")
_KIND_AFTER: Final = re.compile(r"[ \t]+([a-z][\w-]*)\b")
_KIND_APPOSITIVE: Final = re.compile(r",[ \t]+the[ \t]+(?:[a-z][\w-]*[ \t]+){0,2}?([a-z][\w-]*)[ \t]*[,.;]")
_OPENERS: Final = "“\"‘'(["  # opening marks glued to a word: "“Mayor" is the title "mayor"
_ROLE_APPOSITIVE: Final = re.compile(r",[ \t]+(?:\d{1,3},[ \t]+)?((?:the|a|an)[ \t]+[^,.;:()“”‘\"]{1,50}?)[ \t]*[,.;]")


# every upper-case letter, not only A-Z: "Łukasz", "Élise", "Özil", "Бекжан" are names too
_UPPER: Final = "".join(re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper())
# possessive (*+, ++): nothing follows a run, so giving characters back never helps
_CAP_RUN: Final = re.compile(f"[{_UPPER}][\\w’'.&-]*+(?:[ \\t]++[{_UPPER}][\\w’'.&-]*+)*+")
_POSS: Final = ("’s", "'s")


def name_runs(text: str, s: int, e: int) -> list[tuple[int, int, str, bool]]:
    """Runs of capitalised words in text[s:e] that can be names: (start, end, name, possessive).

    Leading titles and function words are dropped ("Acting President X" -> "X"); a possessive
    ends a run ("Saltmere’s Harbour Square" -> "Saltmere", "Harbour Square"). One regex pass in C,
    so sentences without a cue need no tokens at all.
    """
    out: list[tuple[int, int, str, bool]] = []
    titles = TITLE_WORDS
    skip = _NOT_NAMES
    abbr = _ABBREVIATIONS
    one, many = _ONE_WORD, _MANY_WORDS
    pos = s
    # findall makes no Match objects; a run's start is the first copy of it after the previous
    # run: a copy in between starts with a capital, so the regex would have matched there first
    found: list[str] = _CAP_RUN.findall(text, s, e)  # typed: find and len on str are primitives
    stop = -2  # the first stop (. ? !) after the current run, -1 for none before e; -2 not looked for yet
    for g in found:
        start = text.find(g, pos)
        pos = start + len(g)
        how = one.get(g)  # a known single word: most matches, the fast way
        if how is None and " " not in g and "\t" not in g:
            how = _one_word(g)
        if how is not None:
            if how[0]:
                out.append((start, start + how[0], how[1], how[2]))
            continue
        if g[:g.find(" ")].lower() in NAME_HOMONYMS and stop != -1 and stop < start:
            stop = _next_stop(text, start, e)  # found once per stop, however many runs before it
        if g[:g.find(" ")].lower() in NAME_HOMONYMS and _month_before(text, start, s, stop):
            cut = g.find(" ") + 1  # "in May Trump said": the month is no part of the name
            g, start = g[cut:], start + cut
            if " " not in g and "\t" not in g:
                how = _one_word(g)
                if how[0]:
                    out.append((start, start + how[0], how[1], how[2]))
                continue
        names = many.get(g)
        if names is None:
            names = _many_words(g, skip, titles, abbr)
        if names and names[0][0] == 0 and _after_role_of(text, start, s):
            names = (_without_role_object(names[0]),) + names[1:]
        out.extend([(start + a, start + b, name, poss) for a, b, name, poss in names])
    return out


def _next_stop(text: str, start: int, e: int) -> int:
    """Where the first ".", "?" or "!" after `start` is, before `e`; -1 if none is."""
    return min([i for i in (text.find(".", start, e), text.find("?", start, e), text.find("!", start, e)) if i >= 0] or [-1])


def _month_before(text: str, start: int, s: int, stop: int) -> bool:
    """Whether the word before `start` makes the next "May" a month ("in", "since", "last"), or
    the sentence is a question (its next stop, at `stop`, a "?") that makes "Will" its verb."""
    before = text[max(s, start - 12):start].split()
    if before and before[-1].lower() in _MONTH_LEADS:
        return True
    return stop >= 0 and text[stop] == "?"  # "Will Sanders come down?": a question's verb


def _after_role_of(text: str, start: int, s: int) -> bool:
    """Whether the run at `start` follows a title and "of": "Secretary of [State Mike Pompeo]"."""
    before = text[max(s, start - 40):start]
    if not before.endswith(" of "):
        return False
    words = before[:-4].split()
    return bool(words) and words[-1].lower().rstrip(".") in TITLE_WORDS


def _without_role_object(name: tuple[int, int, str, bool]) -> tuple[int, int, str, bool]:
    """ "State Mike Pompeo" after "Secretary of": the role's object is no part of the name, which
    is the last two words (three with a middle initial)."""
    a, b, text, poss = name
    words = text.split()
    if len(words) < 3:
        return name
    keep = 3 if len(words) >= 4 and len(words[-2]) == 2 and words[-2].endswith(".") else 2
    cut = text.find(words[-keep], len(" ".join(words[:-keep])))
    return (a + cut, b, text[cut:], poss)


# how a run of several words reads, kept per run ("Prime Minister Ana Ruiz" recurs in an article)
_MANY_WORDS: Final[dict[str, tuple[tuple[int, int, str, bool], ...]]] = {}


def _homonym_is_name(words: list[str], x: int, after_name: bool, skip: frozenset[str],
                     titles: frozenset[str]) -> bool:
    """Whether words[x], a "May" or "Will" of a run of capitalised words, is a name: the last
    word after a name or a title ("Theresa May", "Ms. May"), or the first before a name ("Will
    Young"; name_runs leaves out a run-opening one after "in" or "since")."""
    if after_name:  # not "Last August"
        return x == len(words) - 1 and words[x - 1].lower() not in _MONTH_LEADS
    if x + 1 < len(words):
        nxt = words[x + 1].lower().rstrip(".")
        return x == 0 and nxt not in skip and nxt not in titles and nxt not in NAME_HOMONYMS
    return False


def _many_words(g: str, skip: frozenset[str], titles: frozenset[str],
                abbr: frozenset[str]) -> tuple[tuple[int, int, str, bool], ...]:
    """The names in a run of capitalised words, with offsets into the run: what `name_runs`
    reads in it depends on the run's text alone."""
    out: list[tuple[int, int, str, bool]] = []
    first = last = -1  # the name read so far is g[first:last]; first is -1 when there is none
    pos = 0
    words = g.split()
    after_title = False
    for x, w in enumerate(words):  # one pass, the offsets of a name kept as two ints
        ws = g.find(w, pos)
        pos = ws + len(w)
        lw = w.lower()
        core = w.rstrip(".") if not (len(w) == 2 and w[1] == ".") and lw not in abbr else w
        low = lw if len(core) == len(w) else core.lower()  # the same word: lowered once
        we = ws + len(core)
        stop = low in skip or low.rstrip(".") in titles  # a function word, determiner or title
        if stop and low in NAME_HOMONYMS and _homonym_is_name(words, x, first >= 0 or after_title, skip, titles):
            stop = False  # "Theresa May", "Ms. May", "Will Young"
        after_title = low.rstrip(".") in titles
        if first < 0 and (stop or core == "I"):
            continue
        if first < 0 and low in NAME_LABELS and x + 2 < len(words) and not is_organisation(g):
            continue  # "Republican Donald Trump": the party is no part of the name
        if first < 0 and low in _KIND_OPENERS:
            continue  # "Carmaker Nissan said": the kind is no part of the name (learn reads it)
        if stop:
            out.append((first, last, g[first:last], False))
            first = -1
            continue
        if first < 0:
            first = ws
        if core.endswith(_POSS):
            out.append((first, we - 2, g[first:we - 2], True))
            first = -1
            continue
        last = we
    if first >= 0:
        out.append((first, last, g[first:last], False))
    if len(_MANY_WORDS) > 50_000:
        _MANY_WORDS.clear()  # bounded, as _ONE_WORD
    how = _MANY_WORDS[g] = tuple(out)
    return how


# how a one-word run reads, kept per word: names and sentence openers recur in every article
_ONE_WORD: Final[dict[str, tuple[int, str, bool]]] = {}
_NO_NAME: Final = (0, "", False)


def _one_word(g: str) -> tuple[int, str, bool]:
    """(length, name, possessive) of a run of one capitalised word; length 0 if it is no name."""
    low = g.lower()
    if low in _NOT_NAMES or g == "I" or low.rstrip(".") in TITLE_WORDS:
        how = _NO_NAME
    elif g.endswith(_POSS):
        how = (len(g) - 2, g[:-2], True)
    else:
        keep = g if (len(g) == 2 and g[1] == ".") or low in _ABBREVIATIONS else g.rstrip(".")
        how = (len(keep), keep, False) if keep else _NO_NAME
    if len(_ONE_WORD) > 50_000:
        _ONE_WORD.clear()  # bounded: a long run over many texts never grows it past this
    _ONE_WORD[g] = how
    return how
