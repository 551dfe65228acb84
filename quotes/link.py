"""Speakers across articles: one entity per person (or organisation), with its aliases.

The engine resolves names inside one article; here the names of the whole corpus are
linked. Every distinct resolved name (`quotes.speaker_name`) is an alias in
`speaker_aliases`, pointing at the entity's row in `speakers` (the canonical name),
with the reason it was linked. `quotes.speaker_id` points at that row, so every page,
facet and query that reads `speakers` sees one row per person.

Names are compared within a *block*: the consonant skeleton of the surname's
transliteration key (or an organisation's key), so "Toqaev" and "Tokayev" meet and
"Clinton" never meets "Clifton". Linking a block is a pure function of the names in
it, their quote counts and the corrections, so linking article by article on ingest
gives the same entities as `quotes relink` over the whole database.
"""
from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import sqlite_utils
from anyascii import anyascii

from .extract import lexicon

# The word lists are data (quotes/lexicons/link_*.txt), read with the engine's lexicon reader.
# Words before a name that say what someone is, not who: dropped before comparing.
TITLES = frozenset(lexicon.lines("link_titles.txt"))
# Words after a name that are part of who someone is: "Donald Trump Jr." is not his father.
SUFFIXES = frozenset(lexicon.lines("link_suffixes.txt"))
# Short forms of first names: Joe Biden is Joseph R. Biden Jr. (keyed by translit_key below)
NICKNAMES = dict(line.split("\t") for line in lexicon.lines("link_nicknames.txt"))
# Surname particles: "Bill de Blasio" has the surname "de Blasio".
PARTICLES = frozenset(lexicon.lines("link_particles.txt"))
# A word that makes a name an organisation's ("the State Department", "Associated Press").
ORG_WORDS = frozenset(lexicon.lines("link_org_words.txt"))
# Prefixes that name the same organisation's country: "U.S. State Department" is the State Department.
ORG_PREFIXES = tuple(line + " " for line in lexicon.lines("link_org_prefixes.txt"))
# Plural nouns that name a group, not a person ("officials", "Republicans").
GROUP_WORDS = frozenset(lexicon.lines("link_group_words.txt"))
# Words after a news outlet's one-word name ("Bloomberg News", "Bloomberg Politics"): a corpus that
# names an outlet so tells a bare "Bloomberg" from Michael Bloomberg.
OUTLET_WORDS = frozenset(lexicon.lines("link_outlet_words.txt"))
# Personal pronouns: a name the engine reached through one of them is a person's.
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})

# Transliteration rules, applied in order to a lowercased ASCII word: Qasym-Zhomart and
# Kassym-Jomart, Toqaev and Tokayev, Zelenskyy and Zelensky give the same key.
TRANSLIT = tuple(tuple(line.split("\t")) for line in lexicon.lines("link_translit.txt"))
VOWELS = "aeiou"
# A fuzzy surname link: at most this many edits between transliteration keys, and only for
# keys of FUZZY_MIN_LEN letters or more (short names differ by one letter too often).
FUZZY_MAX_EDITS = 1
FUZZY_MIN_LEN = 5

REASON_CANONICAL = "canonical name"
REASON_SAME = "same name"
REASON_CASE = "diacritics, case or punctuation"
REASON_TITLE = "title or honorific dropped"
REASON_MIDDLE = "middle name or initial"
REASON_NICKNAME = "short form of the first name"
REASON_TRANSLIT = "spelling or transliteration variant"
REASON_SURNAME = "surname only: the one person of that surname"
REASON_ORG = "organisation name variant"
REASON_LEADING = "a word before the name dropped"
REASON_NAMED = "surname only: the articles quoting it name this person in full"
REASON_DOMINANT = "surname only: the one person of that surname in nearly all its quotes"
REASON_GROUP = "the same people"

# A bare surname shared by several people goes to one of them only if that one has at
# least this share of the quotes of all of them ("Obama" next to one quote of Michelle
# Obama); Hillary Clinton's 90% beside Bill Clinton leaves "Clinton" apart.
DOMINANT_SHARE = 0.95
# How many articles quoting a bare surname are read for a full name (the first ones stored):
# a bounded cost, whatever the size of the corpus.
EVIDENCE_ARTICLES = 20


@functools.lru_cache(maxsize=1 << 16)  # pure functions of a name, asked again at every batch
def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters, digits and spaces: any script spelt in Latin letters (anyascii:
    Токаев -> Tokaev, Μητσοτάκης -> Mitsotakis), diacritics, case, apostrophes and dots gone."""
    if not text.isascii():
        text = anyascii(text)
    text = re.sub(r"['`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def translit_key(word: str) -> str:
    """A spelling-independent key of one (ASCII-folded) word."""
    w = word
    for old, new in TRANSLIT:
        w = w.replace(old, new)
    # an i between vowels (or a leading one before a vowel) is a transliterated y: Tokayev ~ Toqaev
    w = re.sub(r"(?<=[aeou])i(?=[aeiou])|^i(?=[aeou])", "", w)
    return re.sub(r"(.)\1+", r"\1", w)  # Kassym ~ Qasym


@functools.lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """The first letter and the consonants after it: the block a surname is compared in."""
    return key[:1] + re.sub(f"[{VOWELS}]", "", key[1:])


@dataclass(frozen=True)
class Name:
    """A parsed speaker name: what identifies the person, with the parts that do not."""

    raw: str
    org: bool
    given: tuple[str, ...] = ()  # translit keys of first and middle names
    initials: tuple[bool, ...] = ()  # which of `given` were written as initials
    surname: str = ""  # translit key; for an organisation, its normalised name
    suffix: str = ""
    titled: bool = False  # a title or descriptor was dropped
    folded: str = ""  # ascii_fold of the name as written, without titles
    group: bool = False  # several people named together: "Khizr and Ghazala Khan"

    @property
    def block(self) -> str:
        if self.org:
            return "org:" + self.surname
        if self.group:
            return "group:" + self.surname
        return "name:" + skeleton(self.surname)

    @property
    def apart(self) -> bool:
        """An organisation or several people: joined only to the same name, never by surname."""
        return self.org or self.group


@functools.lru_cache(maxsize=1 << 16)
def is_organisation(raw: str) -> bool:
    words = ascii_fold(raw).split()
    if any(w in ORG_WORDS for w in words):
        return True
    bare = re.sub(r"^[Tt]he\s+", "", raw)  # "the EU": the engine keeps an organisation's "the"
    letters = re.sub(r"[^A-Za-z]", "", bare)
    return len(bare.split()) == 1 and len(letters) >= 2 and letters.isupper()  # CNN, NATO


@functools.lru_cache(maxsize=1 << 16)
def is_coordinated(raw: str) -> bool:
    """Two or more people named together: "Khizr and Ghazala Khan", "Trump and Sanders", "She and
    her defenders" (a capitalised word before the "and"); "journalist and author Hiro Aida" is one."""
    return re.search(r"(?:^|\s)[A-Z][\w’'.-]*,?\s+(?:and|&)\s+\S", raw) is not None and not is_organisation(raw)


@functools.lru_cache(maxsize=1 << 16)  # a name is parsed again at every batch that links its block
def parse_name(raw: str) -> Name:
    if is_organisation(raw):
        return Name(raw, True, surname=org_key(raw), folded=ascii_fold(raw))
    if is_coordinated(raw):
        return Name(raw, False, surname=ascii_fold(raw), folded=ascii_fold(raw), group=True)
    words = raw.split()
    folded = [ascii_fold(w).replace(" ", "") for w in words]
    titled = False
    if not all(f in TITLES for f in folded):  # "Prime Minister" alone stays what it is
        while len(folded) >= 2 and folded[0] in TITLES:
            words, folded, titled = words[1:], folded[1:], True
    suffix = ""
    if len(folded) > 1 and folded[-1] in SUFFIXES:
        suffix, words, folded = folded[-1], words[:-1], folded[:-1]
    cut = len(folded) - 1
    while cut > 0 and folded[cut - 1] in PARTICLES:
        cut -= 1
    given = [(w, f) for w, f in zip(words[:cut], folded[:cut]) if f]
    return Name(
        raw, False,
        given=tuple(translit_key(f) for _, f in given),
        initials=tuple(_initial(w) for w, _ in given),
        surname=translit_key("".join(folded[cut:])), suffix=suffix, titled=titled,
        folded=" ".join(f for f in folded if f),
    )


def _initial(word: str) -> bool:
    """ "J.", "J" or "H.W." """
    return re.fullmatch(r"(?:[A-Z]\.){1,3}|[A-Z]", word) is not None


def org_key(raw: str) -> str:
    """ "the State Department", "U.S. State Department" -> "state department"."""
    key = ascii_fold(raw) + " "
    changed = True
    while changed:
        changed = False
        for prefix in ORG_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                key, changed = key[len(prefix):], True
    key = re.sub(r" s ", " ", key)  # "Reuters's" -> "reuters"
    return key.strip()


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once over `limit` (names are short)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@functools.lru_cache(maxsize=1 << 18)
def _fuzzy(a: str, b: str) -> bool:
    return (a == b or (min(len(a), len(b)) >= FUZZY_MIN_LEN and skeleton(a) == skeleton(b)
                       and edit_distance(a, b, FUZZY_MAX_EDITS) <= FUZZY_MAX_EDITS))


def _given_compatible(a: Name, b: Name) -> str | None:
    """Why two given-name lists can be one person's (None if they cannot)."""
    why = REASON_SAME
    if a.given[0] != b.given[0]:
        if a.initials[0] or b.initials[0]:
            if a.given[0][:1] != b.given[0][:1]:
                return None
            why = REASON_MIDDLE
        elif _nick(a.given[0]) == _nick(b.given[0]):
            why = REASON_NICKNAME
        elif a.surname == b.surname and _fuzzy(a.given[0], b.given[0]):
            why = REASON_TRANSLIT
        else:
            return None
    # middle names: one may lack them; where both have one, they must agree (George W. / George H. W.)
    for x, xi, y, yi in zip(a.given[1:], a.initials[1:], b.given[1:], b.initials[1:]):
        if x != y and not ((xi or yi) and x[:1] == y[:1]):
            return None
    if why == REASON_SAME and (a.given != b.given or a.initials != b.initials):
        why = REASON_MIDDLE
    return why


_NICKNAME_KEYS = {translit_key(short): translit_key(full) for short, full in NICKNAMES.items()}


def _nick(key: str) -> str:
    return _NICKNAME_KEYS.get(key, key)


@functools.lru_cache(maxsize=1 << 18)  # a block's pairs are compared again at each batch that links it
def _same_person_named(a: str, b: str) -> str | None:
    """same_person of two names as written (a string's hash is kept; a Name's is computed each time)."""
    return same_person(parse_name(a), parse_name(b))


def same_person(a: Name, b: Name) -> str | None:
    """Why two full names (given name and surname) are one person's, or None."""
    if a.apart or b.apart or not a.given or not b.given:
        return None
    if a.suffix != b.suffix and (a.suffix and b.suffix or (a.given, a.initials) == (b.given, b.initials)):
        return None  # Donald Trump Jr. is not Donald Trump; James B. Comey Jr. is James Comey
    if a.surname != b.surname:
        if not _fuzzy(a.surname, b.surname) or a.given[0] != b.given[0]:
            return None  # a fuzzy surname only with the same first name: similar names stay apart
        why = _given_compatible(a, b)
        return None if why is None else REASON_TRANSLIT
    return _given_compatible(a, b)


@dataclass
class Entity:
    """A person or organisation: the names (aliases) it was quoted under, and why each is in."""

    members: dict[str, str] = field(default_factory=dict)  # raw name -> reason
    name: str = ""  # canonical
    corrected: bool = False
    kind: str = ""  # a type the names settle, whatever the engine guessed ("organisation": an outlet)


def _why_alias(alias: Name, canonical: Name, link: str) -> str:
    """The reason shown for an alias: the special link that joined it, else what differs
    between it and the canonical name."""
    if alias.raw == canonical.raw:
        return REASON_CANONICAL
    if link in (REASON_CANONICAL, REASON_SAME, REASON_MIDDLE):
        link = _same_person_named(alias.raw, canonical.raw) or link
    if link == REASON_SAME:
        if alias.folded == canonical.folded:
            reasons = [] if alias.titled else [REASON_CASE]
        else:  # the same keys, written otherwise: Hilary / Hillary
            reasons = [] if alias.titled and alias.given == canonical.given else [REASON_TRANSLIT]
    elif link == REASON_CANONICAL:
        reasons = [REASON_SAME]
    else:
        reasons = [link]
    if alias.titled and link != REASON_LEADING:
        reasons.append(REASON_TITLE)
    return "; ".join(reasons)


class Evidence:
    """What the articles say beyond the names; this one knows nothing (for pure use)."""

    def cooccur(self, a: str, b: str) -> bool:
        """Whether two names are quoted in one article."""
        return False

    def named(self, bare: str, candidates: list[list[str]]) -> int | None:
        """Which candidate (by its full names) the articles quoting `bare` name, if only one."""
        return None

    def outlet(self, bare: str) -> bool:
        """Whether a one-word name is a news outlet's, not a person's surname: the corpus knows it
        as an outlet ("Bloomberg News" quoted or told something; an article's outlet or agency) and
        no quote of it reached it through a personal pronoun or a title ("he", "Mr. Bloomberg")."""
        return False


class DbEvidence(Evidence):
    """The database's evidence, each question asked once a linking (a batch asks about a block once)."""

    def __init__(self, db):
        self.db = db
        self._cooccur: dict[tuple[str, str], bool] = {}
        self._named: dict[tuple, tuple[str, ...] | None] = {}
        self._outlet: dict[str, bool] = {}

    def cooccur(self, a: str, b: str) -> bool:
        key = (a, b) if a <= b else (b, a)
        if key not in self._cooccur:
            self._cooccur[key] = _conn(self.db).execute("""select 1 from quotes x join quotes y on y.article_id = x.article_id
where x.speaker_name = ? and y.speaker_name = ? limit 1""", list(key)).fetchone() is not None
        return self._cooccur[key]

    def named(self, bare: str, candidates: list[list[str]]) -> int | None:
        """The first EVIDENCE_ARTICLES articles quoting `bare` are read: each that names exactly
        one candidate in full votes for it; one candidate with every vote wins.

        The answer is kept (for this database file, in this process) with the articles it read
        and their text hashes: a later batch that links the block asks again, and gets it
        without reading the texts while those articles and the candidates are the same."""
        # The answer is a candidate, kept by its names: the candidates come in the order of their
        # quote counts, which moves at every batch, so the key is the same in any order.
        people = [tuple(sorted(set(c))) for c in candidates]
        key = (bare, tuple(sorted(set(people))))
        if key not in self._named:
            self._named[key] = self._named_person(bare, key[1])
        return None if self._named[key] is None else people.index(self._named[key])

    def _named_person(self, bare: str, people: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        key = (bare, people)
        read = tuple(_conn(self.db).execute("""select id, hash from articles where id in
(select distinct article_id from quotes where speaker_name = ? order by article_id limit ?) order by id""",
                                            [bare, EVIDENCE_ARTICLES]))
        kept = _NAMED_KEPT.get((self._file(), key))
        if kept is not None and kept[0] == read:
            return kept[1]
        votes: set[int] = set()
        for (text,) in _conn(self.db).execute("select text from articles where id in (select value from json_each(?))",
                                              [json.dumps([i for i, _ in read])]):
            hits = {i for i, names in enumerate(people) if any(name in text for name in names)}
            if len(hits) == 1:
                votes |= hits
        answer = people[votes.pop()] if len(votes) == 1 else None
        if len(_NAMED_KEPT) >= NAMED_KEPT_MAX:
            _NAMED_KEPT.clear()
        _NAMED_KEPT[(self._file(), key)] = (read, answer)
        return answer

    def outlet(self, bare: str) -> bool:
        if bare not in self._outlet:
            self._outlet[bare] = self._known_outlet(bare) and not self._person(bare)
        return self._outlet[bare]

    def _known_outlet(self, word: str) -> bool:
        conn = _conn(self.db)
        if conn.execute("select 1 from outlets where name = ? union all select 1 from articles where agency = ? limit 1",
                        [word, word]).fetchone():
            return True
        # names that start with the word and a space: a range of the indexes on names and addressees
        prefix, end = word + " ", word + "!"
        for (name,) in conn.execute("""select name from speaker_aliases where name >= ? and name < ?
union select distinct addressee from quotes where addressee >= ? and addressee < ?""", [prefix, end, prefix, end]):
            if _outlet_word(name) == word:
                return True
        return False

    def _person(self, name: str) -> bool:
        for (mention,) in _conn(self.db).execute(
                "select distinct speaker_mention from quotes where speaker_name = ? and speaker_mention is not null", [name]):
            words = [ascii_fold(w).replace(" ", "") for w in mention.split()]
            if words and (words[0] in PERSONAL_PRONOUNS or (len(words) > 1 and words[0] in TITLES)):
                return True
        return False

    def _file(self) -> str:
        if not hasattr(self, "_path"):
            rows = _conn(self.db).execute("pragma database_list").fetchall()
            self._path = next((r[2] for r in rows if r[1] == "main"), "") or f"memory:{id(_conn(self.db))}"
        return self._path


# DbEvidence.named's answers kept between batches: at most this many.
NAMED_KEPT_MAX = 4096
_NAMED_KEPT: dict[tuple, tuple] = {}


def cluster_names(counts: dict[str, int], evidence: Evidence = Evidence()) -> list[Entity]:
    """Group the names of one block into entities. Deterministic: the order is fixed by the names.

    `counts` is each name's number of quotes; `evidence.cooccur(a, b)` says whether two names
    are quoted in one article (the engine would have told two spellings of one person apart
    there, so a fuzzy link between them is refused), and whether the articles quoting a bare
    surname name one of its people in full (`evidence`). Fuller names are placed first, so a
    name that fits two people ("George Bush" beside George W. and George H. W.; "Clinton"
    beside Hillary and Bill) is left apart instead of going to whichever came first.
    """
    parsed = [parse_name(n) for n in counts]
    groups: list[tuple[list[Name], dict[str, str]]] = []
    orgs: dict[str, int] = {}
    for n in sorted((n for n in parsed if n.apart), key=lambda n: (-counts[n.raw], n.raw)):
        if n.block in orgs:  # organisations by their key; people named together only as the same people
            groups[orgs[n.block]][0].append(n)
            groups[orgs[n.block]][1][n.raw] = REASON_ORG if n.org else REASON_GROUP
        else:
            orgs[n.block] = len(groups)
            groups.append(([n], {n.raw: REASON_CANONICAL}))
    outlets: set[str] = set()
    full = {n.raw: n for n in parsed if not n.apart and n.given}
    led = {n.raw: base for n in full.values() if (base := _leading_word(n, full)) is not None}
    led = {raw: base for raw, base in led.items() if base.raw not in led}
    heads: dict[tuple[str, str], list[int]] = {}  # the full-name groups, by their first member's first name
    for n in sorted((n for n in full.values() if n.raw not in led),
                    key=lambda n: (-len(n.given), any(n.initials), -counts[n.raw], n.raw)):
        _join_full(n, groups, evidence.cooccur, heads)
    for raw, base in sorted(led.items()):
        group = next(g for g in groups if base in g[0])
        group[0].append(full[raw])
        group[1][raw] = REASON_LEADING
    persons = [g for g in groups if not g[0][0].apart]
    for n in sorted((n for n in parsed if not n.apart and not n.given), key=lambda n: (-counts[n.raw], n.raw)):
        if len(n.raw.split()) == 1 and evidence.outlet(n.raw):  # "according to Bloomberg": not Michael Bloomberg
            outlets.add(n.raw)
            groups.append(([n], {n.raw: REASON_CANONICAL}))
            continue
        matches = [g for g in persons if _surname_matches(n, g[0], evidence.cooccur)]
        chosen, why = _bare_surname_owner(n, matches, counts, evidence)
        if chosen is not None:
            chosen[0].append(n)
            chosen[1][n.raw] = why
            continue
        same = [g for g in groups if not g[0][0].given and not g[0][0].apart and g[0][0].raw not in outlets
                and _surname_matches(n, g[0], evidence.cooccur)]
        if not matches and same:  # two spellings of a surname no full name explains: Toqaev, Tokayev
            same[0][0].append(n)
            same[0][1][n.raw] = REASON_SAME if same[0][0][0].surname == n.surname else REASON_TRANSLIT
        else:
            groups.append(([n], {n.raw: REASON_CANONICAL}))
    entities = [_entity(members, links, counts) for members, links in groups]
    for e in entities:
        if e.name in outlets:
            e.kind = "organisation"
    return entities


def _bare_surname_owner(n: Name, groups, counts: dict[str, int], evidence: Evidence):
    """(group, reason) for a bare surname: the one person of that surname; else the one its
    articles name in full; else the one with DOMINANT_SHARE of their quotes; else (None, "")."""
    if len(groups) == 1:
        return groups[0], REASON_SURNAME
    if not groups:
        return None, ""
    named = evidence.named(n.raw, [[m.raw for m in g[0] if m.given] for g in groups])
    if named is not None:
        return groups[named], REASON_NAMED
    totals = [sum(counts[m.raw] for m in g[0]) for g in groups]
    if max(totals) >= DOMINANT_SHARE * sum(totals):
        return groups[totals.index(max(totals))], REASON_DOMINANT
    return None, ""


def _leading_word(n: Name, full: dict[str, Name]) -> Name | None:
    """ "Rival Hillary Clinton" -> Hillary Clinton, when that name is quoted too: headline words
    the engine took for part of a name. One capitalised word, before a full name, only."""
    words = n.raw.split()
    if n.org or len(words) < 3 or not words[0][:1].isupper() or any(w[:1].islower() for w in words):
        return None
    if not words[0].isalpha() or ascii_fold(words[0]) in TITLES:  # a title is parse_name's to drop
        return None
    return full.get(" ".join(words[1:]))


def _first_name_keys(n: Name) -> tuple[tuple[str, str], tuple[str, str]]:
    """Two full names can be one person's only if their first names share a first letter (an
    initial, a spelling variant) or a short form (Bill, William): see same_person."""
    return ("letter", n.given[0][:1]), ("short", _nick(n.given[0]))


def _join_full(n: Name, groups, cooccur, heads: dict[tuple[str, str], list[int]]) -> None:
    """Into the one group every member of which could be the same person; else a group of its own.
    `heads` indexes the full-name groups by _first_name_keys of their first member: a group
    whose first member cannot be n's person is not read, so a block of many people costs
    what its people of n's first name cost."""
    fits = []
    for at in sorted({i for k in _first_name_keys(n) for i in heads.get(k, ())}):
        members, links = groups[at]
        whys = []
        for m in members:  # every member must fit: the first that does not ends the group's turn
            why = _same_person_named(n.raw, m.raw)
            if why is None:
                break
            whys.append(why)
        else:
            if not (REASON_TRANSLIT in whys and any(cooccur(n.raw, m.raw) for m in members)):
                fits.append((members, links, next((w for w in whys if w != REASON_SAME), REASON_SAME)))
    if len(fits) > 1 and not n.suffix:  # "James Comey" beside James B. Comey and James B. Comey Jr.:
        fits = [f for f in fits if not any(m.suffix for m in f[0])] # a suffix is written when meant
    if len(fits) == 1:
        members, links, why = fits[0]
        members.append(n)
        links[n.raw] = why
    else:
        for k in _first_name_keys(n):
            heads.setdefault(k, []).append(len(groups))
        groups.append(([n], {n.raw: REASON_CANONICAL}))


def _surname_matches(n: Name, members: list[Name], cooccur) -> bool:
    for m in members:
        if m.surname == n.surname:
            return True
        if _fuzzy(m.surname, n.surname) and not cooccur(n.raw, m.raw):
            return True
    return False


def _entity(members: list[Name], links: dict[str, str], counts: dict[str, int]) -> Entity:
    """The canonical name: a full name without a title or headline word, not in capitals (CNN
    may be), then the most quoted, then the shortest."""
    best = min(members, key=lambda m: (not (m.given or m.org), m.titled, links[m.raw] == REASON_LEADING,
                                       m.raw.isupper() and len(m.raw) > 4, -counts[m.raw], len(m.raw), m.raw))
    entity = Entity(name=best.raw)
    for m in members:
        entity.members[m.raw] = _why_alias(m, best, links[m.raw])
    return entity


def block_of(name: str) -> str:
    return parse_name(name).block


def entity_type(names: Iterable[str], engine_types: Counter | None = None) -> str:
    """person, organisation, group (or the engine's anonymous, document). The engine's own
    speaker type wins (`engine_types`: counts of quotes.speaker_type, the most common), except
    that a name made of organisation words is never a person; without it, read from the names."""
    names = list(names)
    if any(is_coordinated(n) for n in names):
        return "group"  # "Khizr and Ghazala Khan": the engine types the mention, which holds a person
    looks_organised = any(is_organisation(n) for n in names)
    if engine_types:
        kind = engine_types.most_common(1)[0][0]
        # the engine reads a mention in its sentence; "CNN" or "the State Department" is no person anywhere
        return "organisation" if kind == "person" and looks_organised else kind
    if looks_organised:
        return "organisation"
    words = {w for n in names for w in ascii_fold(n).split()}
    if words & GROUP_WORDS or "and" in words or all(n[:1].islower() for n in names if n):
        return "group"
    return "person"


# --- the database ---------------------------------------------------------------------

def link_article(db: sqlite_utils.Database, article_id: int) -> None:
    """Link the speakers of one stored article into the corpus's entities."""
    link_articles(db, [article_id])


def link_articles(db: sqlite_utils.Database, article_ids: list[int]) -> None:
    """Link the speakers of stored articles (an ingest batch) into the corpus's entities.

    Only the blocks of these articles' names are linked again, once for the whole batch,
    and only the batch's quotes are read or moved unless an entity changes row: the cost
    is that of those few blocks, whatever the size of the database. A block's entities are
    a function of the names in it, so linking per batch gives what linking per article gives."""
    from . import corrections, store

    ids = json.dumps(sorted(set(article_ids)))
    with store.write_transaction(db):
        record_names(db, "article_id in (select value from json_each(?))", [ids])
        changed = corrections.apply_to_quotes(db, list(article_ids))  # the blocks of names a correction took away
        batch = BatchQuotes(db, ids)
        blocks = _add_aliases(db, sorted(batch.by_name), batch.fresh) | changed
        relink_blocks(db, blocks | _outlet_blocks(db, ids, batch.by_name), batch)


def _outlet_word(name: str) -> str | None:
    """ "Bloomberg News" -> "Bloomberg": the one-word name of an outlet a name says is one."""
    words = name.split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z][A-Za-z]+", words[0]) and ascii_fold(words[1]) in OUTLET_WORDS:
        return words[0]
    return None


def _outlet_blocks(db, ids_json: str, names: Iterable[str]) -> set[str]:
    """The blocks whose bare names a batch may show to be outlets (DbEvidence.outlet): those of
    the one-word names its outlets, agencies, speakers and addressees give. Linking them again
    keeps linking a function of the corpus, in whatever order its articles come."""
    found = {w for n in names if (w := _outlet_word(n))}
    for outlet, agency in _conn(db).execute(
            "select o.name, a.agency from articles a left join outlets o on o.id = a.outlet_id "
            "where a.id in (select value from json_each(?))", [ids_json]):
        found |= {n for n in (outlet, agency) if n and len(n.split()) == 1}
    for (addressee,) in _conn(db).execute("select distinct addressee from quotes where article_id in "
                                          "(select value from json_each(?)) and addressee is not null", [ids_json]):
        if w := _outlet_word(addressee):
            found.add(w)
    return {block_of(w) for w in found}


class BatchQuotes:
    """The speakers of a batch's quotes: which names they give, and which speakers rows they point at.

    Linking keeps one rule: every quote of a name points at that name's alias row's speaker. So
    outside the batch a name's quotes need neither reading nor moving while its entity keeps its row."""

    def __init__(self, db, ids_json: str):
        self.by_name: dict[str, list[tuple[int, int | None]]] = {}  # name -> [(quote id, speaker_id)]
        for quote_id, name, speaker_id in _conn(db).execute(
                "select id, speaker_name, speaker_id from quotes where article_id in (select value from json_each(?)) "
                "and speaker_name is not null order by id", [ids_json]):
            self.by_name.setdefault(name, []).append((quote_id, speaker_id))
        self.fresh: set[str] = set()  # names that had no alias before this batch: every quote of them is read


def relink(db: sqlite_utils.Database) -> int:
    """Link every speaker of the database again, from scratch; returns the number of entities."""
    from . import corrections, store

    with store.write_transaction(db):
        record_names(db, "1", [])
        corrections.apply_to_quotes(db, None)
        names = [r[0] for r in _conn(db).execute("select distinct speaker_name from quotes where speaker_name is not null")]
        _conn(db).execute("delete from speaker_aliases")
        relink_blocks(db, _add_aliases(db, names))
        _conn(db).execute("delete from speakers where not exists (select 1 from quotes where speaker_id = speakers.id)")
        return _conn(db).execute("select count(*) from speakers").fetchone()[0]


def record_names(db: sqlite_utils.Database, where: str, params: list) -> None:
    """Keep the engine's resolved name on each quote before its speaker_id moves to an entity."""
    _conn(db).execute(f"""update quotes set speaker_name = (select name from speakers where id = quotes.speaker_id)
where speaker_name is null and speaker_id is not null and {where}""", params)


def _add_aliases(db, names: Iterable[str], fresh: set[str] | None = None) -> set[str]:
    """Every name an alias row (new ones point at the row the store gave them); their blocks.
    The names that had no alias row yet are added to `fresh`."""
    blocks = set()
    for name in names:
        block = block_of(name)
        blocks.add(block)
        added = _conn(db).execute("""insert or ignore into speaker_aliases (name, speaker_id, block, reason)
values (?, (select speaker_id from quotes where speaker_name = ? and speaker_id is not null limit 1), ?, ?)""",
                                  [name, name, block, REASON_CANONICAL]).rowcount
        if added and fresh is not None:
            fresh.add(name)
    return blocks


def relink_blocks(db: sqlite_utils.Database, blocks: set[str], batch: BatchQuotes | None = None) -> None:
    """Link these blocks again. With a `batch`, only its quotes are moved where an entity keeps
    its row (see BatchQuotes); without, every quote of the blocks' names is checked."""
    from . import corrections

    blocks = corrections.block_closure(db, blocks)
    if not blocks:
        return
    entities: list[Entity] = []
    counts: dict[str, int] = {}
    evidence = DbEvidence(db)
    for in_block in _name_counts(db, blocks).values():
        entities += cluster_names(in_block, evidence)
        counts.update(in_block)
    entities = corrections.apply_to_entities(db, entities, counts)
    _write_entities(db, entities, blocks, batch)


def _name_counts(db, blocks: set[str]) -> dict[str, dict[str, int]]:
    """{block: {name: quotes}} for the names of these blocks that are still quoted, in one query.
    The quotes of a name are read from name_quote_counts (store migration 016, kept by triggers
    on quotes), one row a name, not counted quote by quote."""
    by_block: dict[str, dict[str, int]] = {}
    for block, name, n in _conn(db).execute("""select a.block, a.name, coalesce(c.n, 0)
from speaker_aliases a left join name_quote_counts c on c.name = a.name
where a.block in (select value from json_each(?)) order by a.block, a.name""",
                                            [json.dumps(sorted(blocks))]):
        if n:
            by_block.setdefault(block, {})[name] = n
    return by_block


def _write_entities(db, entities: list[Entity], blocks: set[str], batch: BatchQuotes | None = None) -> None:
    """Point every alias and quote at its entity's speakers row, renaming or adding rows as needed.

    An entity keeps the row that has its name; otherwise it takes over a row one of its
    names had (the smallest id), so pages linked by id mostly keep working. With a batch, an
    entity that is what it was (its aliases' rows as they are, none of its names in the batch)
    costs no statement of its own: its type is read with the others' in one query."""
    aliases = _alias_rows(db, blocks)
    old_ids = _current_ids(db, [n for e in entities for n in e.members], aliases, batch)
    canonical = {e.name for e in entities}
    rows = _speaker_rows(db, canonical)  # name -> (id, type, corrected), before any change
    settled = _settled(entities, aliases, rows, batch)
    targets: dict[int, int] = {}  # index in entities -> speakers.id
    for i, e in enumerate(entities):  # first, each entity whose name has a row already
        row = rows.get(e.name)
        if row is not None and row[0] not in targets.values():
            targets[i] = row[0]
    for i, e in enumerate(entities):
        if i in targets:
            continue
        row = _conn(db).execute("select id from speakers where name = ?", [e.name]).fetchone()
        if row is not None:  # a name two entities were given (a rename met a new name): one row
            targets[i] = row[0]
            continue
        spare = sorted(j for n in e.members for j in old_ids.get(n, ())
                       if j not in targets.values() and _row_name(db, j) not in canonical)
        if spare:
            targets[i] = spare[0]
            _conn(db).execute("update speakers set name = ? where id = ?", [e.name, spare[0]])
        else:
            targets[i] = _conn(db).execute("insert into speakers (name) values (?)", [e.name]).lastrowid
    for i, e in enumerate(entities):
        if i not in settled:
            _point_at(db, e, targets[i], aliases, batch)
    shared = Counter(targets.values())
    settled_types = _targets_types(db, [targets[i] for i in settled])
    for i, e in enumerate(entities):  # types once the quotes have moved
        if i in settled:
            kind = e.kind or entity_type(e.members, settled_types.get(targets[i]))
            if (kind, int(e.corrected)) == rows[e.name][1:]:
                continue
        elif shared[targets[i]] > 1:
            kind = e.kind or entity_type(e.members, _engine_types(db, list(e.members)))
        else:
            kind = e.kind or entity_type(e.members, _target_types(db, targets[i]))
        _conn(db).execute("update speakers set type = ?, corrected = ? where id = ? and (type is not ? or corrected is not ?)",
                          [kind, int(e.corrected), targets[i], kind, int(e.corrected)])
    stale = {j for ids in old_ids.values() for j in ids} - set(targets.values())
    for j in sorted(stale):
        _conn(db).execute("delete from speakers where id = ? and not exists (select 1 from quotes where speaker_id = ?)",
                   [j, j])
    linked = {n for e in entities for n in e.members}  # the names still quoted: the others' aliases go
    _conn(db).executemany("delete from speaker_aliases where name = ? and not exists "
                          "(select 1 from quotes where speaker_name = speaker_aliases.name)",
                          [(n,) for n in sorted(set(aliases) - linked)])


def _speaker_rows(db, names: Iterable[str]) -> dict[str, tuple]:
    """{name: (id, type, corrected)} of the speakers rows with these names."""
    return {r[0]: tuple(r[1:]) for r in _conn(db).execute(
        "select name, id, type, corrected from speakers where name in (select value from json_each(?))",
        [json.dumps(sorted(names))])}


def _settled(entities: list[Entity], aliases: dict[str, tuple], rows: dict[str, tuple],
             batch: BatchQuotes | None) -> set[int]:
    """The entities (by index) that are what they were: no name of theirs in the batch, each
    alias row already pointing at the row that has the entity's name, with the same reason,
    and that row holding no other alias. Writing them would change nothing but, perhaps, a type."""
    if batch is None:
        return set()
    by_row: dict[int, set[str]] = {}
    for name, (speaker_id, *_rest) in aliases.items():
        by_row.setdefault(speaker_id, set()).add(name)
    names = Counter(e.name for e in entities)
    out = set()
    for i, e in enumerate(entities):
        row = rows.get(e.name)
        if row is None or names[e.name] > 1 or by_row.get(row[0]) != set(e.members):
            continue
        if all(n not in batch.by_name and n not in batch.fresh
               and aliases.get(n) == (row[0], block_of(n), why, int(why.startswith("correction")))
               for n, why in e.members.items()):
            out.add(i)
    return out


def _targets_types(db, speaker_ids: list[int]) -> dict[int, Counter | None]:
    """_target_types of many speakers rows in one query."""
    if not speaker_ids:
        return {}
    if not _has_table(db, "quote_counts"):
        return {j: _target_types(db, j) for j in speaker_ids}
    out: dict[int, Counter] = {j: Counter() for j in speaker_ids}
    for by_value, value, n in _conn(db).execute(
            "select by_value, value, n from quote_counts where by = 'speaker_id' and facet = 'speaker_type' "
            "and by_value in (select value from json_each(?)) and n > 0 order by by_value, value",
            [json.dumps(sorted(set(speaker_ids)))]):
        out[by_value][value] = n
    return out


def _alias_rows(db, blocks: set[str]) -> dict[str, tuple]:
    """{name: (speaker_id, block, reason, corrected)} of the blocks' aliases, as they are now."""
    return {r[0]: tuple(r[1:]) for r in _conn(db).execute(
        "select name, speaker_id, block, reason, corrected from speaker_aliases "
        "where block in (select value from json_each(?))", [json.dumps(sorted(blocks))])}


def _point_at(db, e: Entity, target: int, aliases: dict[str, tuple], batch: BatchQuotes | None) -> None:
    for name, reason in e.members.items():
        before = aliases.get(name)
        if batch is not None and name not in batch.fresh and before is not None and before[0] == target:
            moved = [(target, qid) for qid, sid in batch.by_name.get(name, ()) if sid != target]
            _conn(db).executemany("update quotes set speaker_id = ? where id = ?", moved)
        else:
            _conn(db).execute("update quotes set speaker_id = ? where speaker_name = ? and speaker_id is not ?",
                              [target, name, target])
        row = (target, block_of(name), reason, int(reason.startswith("correction")))
        if before != row:
            _conn(db).execute("""insert into speaker_aliases (name, speaker_id, block, reason, corrected)
values (?, ?, ?, ?, ?) on conflict(name) do update set speaker_id = excluded.speaker_id,
block = excluded.block, reason = excluded.reason, corrected = excluded.corrected""", [name, *row])


def _current_ids(db, names: list[str], aliases: dict[str, tuple], batch: BatchQuotes | None) -> dict[str, set[int]]:
    """The speakers rows each name's quotes point at now (with a batch: its alias row's and the batch's)."""
    ids: dict[str, set[int]] = {}
    for name in names:
        if batch is not None and name not in batch.fresh and name in aliases:
            found = {sid for _, sid in batch.by_name.get(name, ()) if sid is not None}
        else:
            found = {r[0] for r in _conn(db).execute(
                "select distinct speaker_id from quotes where speaker_name = ? and speaker_id is not null", [name])}
        before = aliases.get(name)
        if before and before[0] is not None:
            found.add(before[0])
        ids[name] = found
    return ids


def _row_name(db, speaker_id: int) -> str | None:
    row = _conn(db).execute("select name from speakers where id = ?", [speaker_id]).fetchone()
    return row[0] if row else None


def _engine_types(db, names: list[str]) -> Counter | None:
    """Counts of the engine's own speaker type over these names' quotes, once quotes carry one."""
    if "speaker_type" not in _quote_columns(db):
        return None
    marks = ", ".join("?" * len(names))
    return Counter({r[0]: r[1] for r in _conn(db).execute(
        f"select speaker_type, count(*) from quotes where speaker_name in ({marks}) "
        "and speaker_type is not null group by speaker_type", names)})


def _target_types(db, speaker_id: int) -> Counter | None:
    """_engine_types of the quotes of one speakers row, from quote_counts (kept by triggers):
    a read of a few rows however many quotes the speaker has."""
    if not _has_table(db, "quote_counts"):
        return _engine_types(db, [r[0] for r in _conn(db).execute(
            "select name from speaker_aliases where speaker_id = ?", [speaker_id])])
    return Counter({r[0]: r[1] for r in _conn(db).execute(
        "select value, n from quote_counts where by = 'speaker_id' and facet = 'speaker_type' and by_value = ? "
        "and n > 0 order by value", [speaker_id])})


def _quote_columns(db) -> set[str]:
    return {r[1] for r in _conn(db).execute("pragma table_info(quotes)")}


def _has_table(db, name: str) -> bool:
    return _conn(db).execute("select 1 from sqlite_master where type = 'table' and name = ?", [name]).fetchone() is not None


def after_article(db: sqlite_utils.Database, article_id: int) -> None:
    """What re-extract calls once an article's quotes are stored: its speakers linked into
    the corpus's entities and its quotes into clusters, in one transaction."""
    after_articles(db, [article_id])


def after_articles(db: sqlite_utils.Database, article_ids: list[int]) -> None:
    """after_article for a batch of articles at once, in the batch's order: speakers linked
    once for the batch, then the quotes clustered article by article (clusters depend on
    the order quotes arrive; entities do not)."""
    from . import clusters, store

    if not article_ids:
        return
    with store.write_transaction(db):
        link_articles(db, article_ids)
        clusters.cluster_articles(db, article_ids)


def after_saved(db: sqlite_utils.Database, results: Iterable) -> None:
    """after_articles for the articles a batch of store.save_article results added or changed."""
    after_articles(db, [r.article_id for r in results if r.added or r.updated])


def _conn(db):
    return getattr(db, "conn", db)
