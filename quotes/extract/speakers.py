"""The speaker's mention next to a cue: a name, a pronoun, a title with a name, an organisation,
or a common noun phrase ("a spokesman for the ministry", "local observers").

Mentions are read off the tokens backwards from the cue (``Brandt alleged``) or forwards
from it (``said Brandt``). The role ("UN mission chief") is split from the name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from . import lexicon
from .sentences import TITLE_WORDS, Token

DETERMINERS: Final = lexicon.section("grammar_speakers.txt", "determiners")
_KIND_OPENERS: Final = lexicon.words("kind_openers.txt")  # "Carmaker Norvik said": the kind, then the name
NAME_LABELS: Final = lexicon.section("grammar_speakers.txt", "name_labels")  # "[Republican] Donald Trump"
ORGANISATION_WORDS: Final = lexicon.words("organisations.txt")
# quotation marks around a nickname inside a name, which are no quotation: Marcia "Cia" Price
_MARKS: Final = "“”\"‘’"
_NICKNAME: Final = re.compile(r"[ \t]*[“\"‘][^”\"’]{1,22}[”\"’](?=[ \t])")
# joiners inside proper names ("Organization for Security and Co-operation in Europe")
# or between a noun and its organisation ("a spokesman for the ministry")
_LINKS: Final = lexicon.section("grammar_speakers.txt", "links")
_NOUN_LINKS: Final = lexicon.section("grammar_speakers.txt", "noun_links")
# the lower-case particles of a surname: "van der Pluijm", "da Silva", "bin Salman"
_PARTICLES: Final = lexicon.section("grammar_speakers.txt", "particles")
_PRONOUNS: Final = lexicon.pairs("pronouns.txt")
PRONOUNS_M: Final = {w for w, g in _PRONOUNS.items() if g == "m"}
PRONOUNS_F: Final = {w for w, g in _PRONOUNS.items() if g == "f"}
PRONOUNS_P: Final = {w for w, g in _PRONOUNS.items() if g == "p"}
RELATIVES: Final = {w for w, g in _PRONOUNS.items() if g == "r"}
QUANTIFIERS: Final = lexicon.section("grammar_speakers.txt", "quantifiers")
SUBJECT_PRONOUNS: Final = {w for w, g in _PRONOUNS.items() if g != "r"}
# the word lists read here, loaded once: a module constant costs no call in the hot loops
FUNCTION_WORDS: Final = lexicon.words("function_words.txt")
_SPEAKER_NOUNS: Final = lexicon.words("speaker_nouns.txt")
_QUANTITIES: Final = lexicon.words("quantities.txt")
_HEDGES: Final = lexicon.words("hedges.txt")
_LINK_PHRASES: Final = tuple(tuple(p.split()) for p in lexicon.words("speaker_links.txt"))
_CUES: Final = lexicon.cues()


def _strip_poss(word: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def is_title(lower: str) -> bool:
    return lower.rstrip(".") in TITLE_WORDS


def is_function(lower: str) -> bool:
    return lower in FUNCTION_WORDS


def is_pronoun(lower: str) -> bool:
    """ "he", "they", "who": a mention that names nobody until it is resolved."""
    return lower in _PRONOUNS


def is_speaker_noun(lower: str) -> bool:
    return lower in _SPEAKER_NOUNS or is_title(lower)


def is_name_word(t: Token) -> bool:
    """A capitalised word that can be part of a name (not "But", "The", "Officials")."""
    return t.is_cap and t.is_word and (t.named or t.lower not in FUNCTION_WORDS and t.lower not in DETERMINERS)


# init=False and an __init__ of our own: mypyc compiles it, while the one dataclass writes runs
# as Python (the same holds for the other small classes of the engine built per sentence)
@dataclass(init=False)
class Mention:
    i: int  # first token (inclusive)
    j: int  # last token (exclusive)
    start: int
    end: int
    text: str
    kind: str  # "name" | "pronoun" | "relative" | "noun"
    name: str | None  # the proper-name part, "Tomas Brandt"
    name_start: int | None
    name_end: int | None
    role: str | None
    plural: bool

    def __init__(self, i: int, j: int, start: int, end: int, text: str, kind: str) -> None:
        self.i, self.j, self.start, self.end, self.text, self.kind = i, j, start, end, text, kind
        self.name = self.name_start = self.name_end = self.role = None
        self.plural = False


def _build(text: str, toks: list[Token], i: int, j: int) -> Mention | None:
    """Describe tokens[i:j] as a mention, splitting off determiners and titles."""
    while i < j and (toks[i].lower in _LINKS and toks[i].lower != "the"):
        i += 1
    while j > i and toks[j - 1].lower in _LINKS:
        j -= 1
    if i >= j:
        return None
    first, last = toks[i], toks[j - 1]
    m = Mention(i, j, first.start, last.end, text[first.start:last.end], "noun")
    if j - i == 1 and first.lower in SUBJECT_PRONOUNS:
        m.kind = "pronoun"
        m.plural = first.lower in PRONOUNS_P
        return m
    if j - i == 1 and first.lower in RELATIVES:
        m.kind = "relative"
        return m
    # the name: the last run of name words that are not titles, with joiners inside it
    lo = max(i, j - 3)
    k = j - 1
    while k >= lo and not (is_name_word(toks[k]) and not is_title(toks[k].lower)):
        k -= 1
    if k >= lo and k < j - 1 and (toks[k].lower.endswith(("’s", "'s"))
                                  or all(t.is_word and t.text.islower() for t in toks[k + 1:j])):
        k = lo - 1  # "Lee’s lawyer", "the Republican candidate": the lawyer, the candidate speak
    s = _name_start(toks, i, k) if k >= lo else k
    if k >= lo and k - s >= 2 and s - 2 >= i and toks[s - 1].lower == "of" and is_title(toks[s - 2].lower):
        s = k - 2 if _initial(toks[k - 1].text) else k - 1  # "Secretary of State [Mike Pompeo]"
    if k >= lo and k == s and s - 2 >= i and toks[s - 1].lower == "of" and is_title(toks[s - 2].lower):
        k = lo - 1  # "Minister of [Innovation]", "Secretary of [State]": the role's object, no name
    if k >= lo and s == k and is_speaker_noun(toks[k].lower) and not is_title(toks[k].lower):
        k = lo - 1  # "Officials said", "Experts on shipping say": a capital that opens the sentence
    if k >= lo and all(toks[x].lower in NAME_LABELS for x in range(s, k + 1)):
        k = lo - 1  # "a Democrat familiar with ...", "one former GOP aide": a party is nobody's name
    if k >= lo:
        e = k + 1
        raw = text[toks[s].start:toks[e - 1].end]
        m.name = _NICKNAME.sub("", _strip_poss(raw))  # 'Riefian “Ifan” Fajarsyah' is Riefian Fajarsyah
        m.name_start, m.name_end = toks[s].start, toks[s].start + len(m.name)
        m.kind = "name"
        r = i
        while r < s and toks[r].lower in DETERMINERS:
            r += 1
        if r < s:
            q = s
            while q > r and (toks[q - 1].lower in _LINKS or toks[q - 1].lower in DETERMINERS):
                q -= 1
            if q > r:
                m.role = text[toks[r].start:toks[q - 1].end].strip(" ,")
    if m.kind == "noun":
        # the head comes before "of": "members of the committee" are many, "the head of the unions" one
        x = next((x for x in range(i + 1, j) if toks[x].lower in _NOUN_LINKS), j)
        head = toks[x - 1].lower
        m.plural = (head.endswith("s") and not head.endswith("ss")) or head.endswith("men") \
            or head in ("people", "police", "staff", "public", "crowd", "media", "children")
    return m


def _initial(word: str) -> bool:
    """A middle initial: "F." in "John F. Kennedy"."""
    return len(word) == 2 and word[1] == "." and word[0].isupper()


def _nickname_before(toks: list[Token], s: int, i: int) -> bool:
    """Whether toks[s-3:s] are a nickname in marks after a first name: Riefian [“Ifan”] Fajarsyah."""
    return s - 4 >= i and toks[s - 1].text in _MARKS and toks[s - 3].text in _MARKS \
        and is_name_word(toks[s - 2]) and is_name_word(toks[s - 4]) and toks[s - 1].quote is None


def _name_start(toks: list[Token], i: int, k: int) -> int:
    """Where the name ending at token k starts, no further left than i: "Organization for Security"."""
    s = k
    while s - 1 >= i:
        p = toks[s - 1]
        if _nickname_before(toks, s, i):
            s -= 4
        elif is_name_word(p) and not is_title(p.lower) and not p.lower.endswith(("’s", "'s")) \
                and p.lower not in _KIND_OPENERS and not (p.lower in NAME_LABELS and k - s >= 1 and not any(
                    t.lower.strip(".,") in ORGANISATION_WORDS for t in toks[s:k + 1])):
            s -= 1  # not "[Carmaker] Norvik said", "[Republican] Donald Trump said"
        elif (p.lower in _LINKS and p.lower != "the" and s - 2 >= i and is_name_word(toks[s - 2])
              and not is_title(toks[s - 2].lower)):
            s -= 2
        elif (p.lower == "the" and s - 3 >= i and toks[s - 2].lower in ("for", "of") and is_name_word(toks[s - 3])
              and not is_title(toks[s - 3].lower)):
            s -= 3  # "People for the Ethical Treatment of Animals", "Bank of the West"
        elif p.lower in _PARTICLES:
            x = s - 1
            while x >= i and toks[x].lower in _PARTICLES:
                x -= 1
            if x >= i and is_name_word(toks[x]) and not is_title(toks[x].lower):
                s = x  # "Ben van der Pluijm", "Luiz Inácio Lula da Silva"
            else:
                break
        else:
            break
    return s


def _number(t: Token) -> bool:
    return t.text.isdigit() or t.lower in _QUANTITIES


def _share_start(toks: list[Token], j: int, lo: int) -> int | None:
    """Where a share of people ending at token j starts ("[about] four in 10", "40 percent", "half"):
    in polling stories such shares are the speakers of what respondents said."""
    t = toks[j]
    x = j
    if t.lower in ("percent", "%") and x - 1 >= lo and _number(toks[x - 1]):
        x -= 1
    elif x - 2 >= lo and _number(t) and toks[x - 1].lower == "in" and _number(toks[x - 2]):
        x -= 2
    elif t.lower in ("half", "majority", "plurality", "minority", "two-thirds", "three-quarters"):
        pass
    else:
        return None
    while x - 1 >= lo and toks[x - 1].lower in _HEDGES:
        x -= 1
    return x


def back(text: str, toks: list[Token], j: int, lo: int = 0) -> Mention | None:
    """The mention ending at token j (inclusive), reading leftwards no further than `lo`."""
    return _widen(text, toks, _back(text, toks, j, lo), lo)


def _widen(text: str, toks: list[Token], m: Mention | None, lo: int) -> Mention | None:
    """ "Sources close to [Jan Olsen]": the sources speak, not the person they are close to."""
    if m is None or m.kind in ("pronoun", "relative"):
        return m
    for phrase in _LINK_PHRASES:
        x = m.i - len(phrase)
        if x - 1 < lo or tuple(t.lower for t in toks[x:m.i]) != phrase or not is_speaker_noun(toks[x - 1].lower):
            continue
        left = _back(text, toks, x - 1, lo)
        if left is None or left.kind not in ("noun", "name"):
            continue
        whole = _build(text, toks, left.i, m.j)
        if whole is None:
            continue
        head = toks[x - 1].lower
        whole.kind, whole.name, whole.name_start, whole.name_end, whole.role = "noun", None, None, None, None
        whole.plural = head.endswith("s") and not head.endswith("ss") or head == "people"
        return whole
    return m


def _back(text: str, toks: list[Token], j: int, lo: int = 0) -> Mention | None:
    if j < lo or j >= len(toks):
        return None
    end = j
    t = toks[j]
    if t.text == ")":
        k = j - 1
        while k > lo and toks[k].text != "(" and j - k < 8:
            k -= 1
        if toks[k].text != "(" or k - 1 < lo:
            return None
        j = k - 1
        t = toks[j]
    if t.text.isdigit() and len(t.text) <= 4 and end == j and j - 1 >= lo and toks[j - 1].is_cap:
        left = _back(text, toks, j - 1, lo)  # "UFCW Local 832", "Apollo 11": a name ends in its number
        if left is not None and left.kind == "name" and left.name_end == toks[j - 1].end:
            whole = _build(text, toks, left.i, j + 1)
            if whole is not None and whole.kind == "name" and whole.name_start is not None:
                whole.name_end = t.end
                whole.name = text[whole.name_start:t.end]
                return whole
        return None
    if t.quote is not None or not t.is_word:
        return None
    low = t.lower
    if low in SUBJECT_PRONOUNS or low in RELATIVES:
        m = _build(text, toks, j, j + 1)
        return m
    share = _share_start(toks, j, lo) if end == j else None
    if share is not None:
        m = _build(text, toks, share, j + 1)  # "about four in 10 said", "almost half believe"
        if m is not None:
            m.kind, m.plural = "noun", True
        return m
    if low in QUANTIFIERS and end == j:
        m = _build(text, toks, j, j + 1)  # "many said", "others say"
        if m is not None:
            m.kind, m.plural = "noun", True
        return m
    if not (is_name_word(t) or is_speaker_noun(low)) or low.endswith(("’s", "'s")):
        m = _plain_back(text, toks, j, lo)
        if m is not None and m.i - 2 >= lo and toks[m.i - 1].lower in _NOUN_LINKS:
            # "Members of the committee say": the group before "of" speaks, not the committee
            left = back(text, toks, m.i - 2, lo)
            if left is not None and left.kind in ("noun", "name") and left.j == m.i - 1 and \
                    toks[left.j - 1].lower.endswith("s") and not toks[left.j - 1].lower.endswith(("ss", "’s", "'s")):
                whole = _build(text, toks, left.i, m.j)
                if whole is not None:
                    whole.kind, whole.plural = "noun", True
                    return whole
        return m
    return _named_back(text, toks, j, lo, end)


def _plain_back(text: str, toks: list[Token], j: int, lo: int) -> Mention | None:
    """A common noun phrase ending at token j: "the organizer", "the ad's longtime narrator"."""
    # any noun right after a determiner: "the organizer said", "the ad's longtime narrator says"
    def plain(x: int) -> bool:
        return x >= lo and toks[x].is_word and toks[x].text.islower() and not is_function(toks[x].lower) \
            and not toks[x].lower.endswith("ly")
    if plain(j) and j - 1 >= lo and toks[j - 1].lower in DETERMINERS:
        return _build(text, toks, j - 1, j + 1)
    if plain(j) and plain(j - 1) and j - 2 >= lo and toks[j - 2].lower in DETERMINERS:
        return _build(text, toks, j - 2, j + 1)
    if plain(j) and j - 1 >= lo and is_name_word(toks[j - 1]):
        k = j - 1  # "the UN mission said", "the Kremlin press office said"
        while k - 1 >= lo and (is_name_word(toks[k - 1]) or plain(k - 1)) and j - k < 4:
            k -= 1
        if k - 1 >= lo and toks[k - 1].lower in DETERMINERS:
            return _build(text, toks, k - 1, j + 1)
        if toks[k].lower.endswith(("’s", "'s")):
            return _build(text, toks, k, j + 1)  # "Harlow's allies believe": the possessive determines
    if plain(j) and plain(j - 1) and plain(j - 2) and j - 3 >= lo and toks[j - 3].lower in DETERMINERS:
        return _build(text, toks, j - 3, j + 1)  # "the billionaire business mogul told"
    return None


def _named_back(text: str, toks: list[Token], j: int, lo: int, end: int) -> Mention | None:
    """A mention ending at token j with a name or a speaker noun in it: "Sen. Jane Doe", "union members"."""
    t = toks[j]
    low = t.lower
    k = j - 1
    modifiers = 0
    while k >= lo:
        p = toks[k]
        pl = p.lower
        if p.quote is not None:
            break
        if pl in DETERMINERS:
            if k - 2 >= lo and toks[k - 1].lower in ("and", "or") and is_speaker_noun(toks[k - 2].lower) \
                    and is_speaker_noun(low):
                k -= 2  # "dock workers and their lobbyists say": both speak
                continue
            if (k - 2 >= lo and toks[k - 1].lower in _NOUN_LINKS and is_speaker_noun(toks[k - 2].lower)):
                k -= 2  # "observers from [the] Organization..."
                continue
            k -= 1
            while k >= lo and toks[k].lower in DETERMINERS and toks[k].quote is None:
                k -= 1  # "one senior Democrat"
            break
        if p.is_word and pl.endswith(("’s", "'s")) and p.text[0].isupper():
            k -= 1
            continue
        if _nickname_before(toks, k + 1, lo):
            k -= 3  # Riefian “Ifan” Fajarsyah: the first name is next
            continue
        if is_name_word(p) or is_speaker_noun(pl):
            k -= 1
            continue
        if pl in ("and", "or") and k - 1 >= lo and is_speaker_noun(toks[k - 1].lower) and is_speaker_noun(low):
            k -= 1  # "union members and leaders say"
            continue
        if pl in _LINKS and k - 1 >= lo:
            left = toks[k - 1]
            if is_name_word(left) or (pl in _NOUN_LINKS and is_speaker_noun(left.lower)) or left.lower == "the" and pl != "the":
                k -= 1
                continue
            if pl == "the":
                k -= 1
                break
            break
        if p.is_word and p.text.islower() and not is_function(pl) and modifiers < 2 and not _CUES.get(pl) \
                and not pl.endswith("ly") and (not pl.endswith(("ing", "ed")) or is_speaker_noun(toks[k + 1].lower)):
            modifiers += 1
            k -= 1
            continue
        break
    m = _build(text, toks, k + 1, j + 1)
    if m is not None and end != j:
        m.j = end + 1
        m.end = toks[end].end
        m.text = text[m.start:m.end]
    return m


def forward(text: str, toks: list[Token], i: int, hi: int | None = None) -> Mention | None:
    """The mention starting at token i, reading rightwards: "said [Sen. Jane Doe], a Democrat"."""
    hi = len(toks) if hi is None else hi
    if i >= hi:
        return None
    t = toks[i]
    if t.quote is not None or not t.is_word:
        return None
    if t.lower in SUBJECT_PRONOUNS:
        return _build(text, toks, i, i + 1)
    if t.lower in QUANTIFIERS | {"two", "three", "four", "five"} and i + 2 < hi and toks[i + 1].lower == "of":
        inner = forward(text, toks, i + 2, hi)  # "one of two witnesses"
        if inner is not None and inner.kind != "pronoun":
            return _build(text, toks, i, inner.j)
    k = i
    if t.lower in DETERMINERS:
        k += 1
    head = None
    while k < hi:
        p = toks[k]
        pl = p.lower
        if p.quote is not None:
            break
        if is_name_word(p) or is_speaker_noun(pl) or (p.is_word and pl.endswith(("’s", "'s")) and p.text[0].isupper()):
            head = k
            k += 1
            continue
        if pl in _LINKS and pl != "the" and head is not None and k + 1 < hi and (
                is_name_word(toks[k + 1]) or toks[k + 1].lower == "the"):
            k += 1
            if toks[k].lower == "the":
                k += 1
            continue
        if p.is_word and p.text.islower() and not is_function(pl) and head is None and k - i < 3:
            k += 1
            continue
        if p.is_word and p.text.islower() and not is_function(pl) and head == k - 1 and (
                k + 1 >= hi or not toks[k + 1].is_word):
            head = k  # "the New York businessman,"
        elif p.is_word and p.text.islower() and not is_function(pl) and head == k - 1:
            head = _role_then_name(toks, k, hi) or head  # "says Cambridge cartoonist Andre Campbell"
        break
    if head is None and t.lower in DETERMINERS and k > i + 1 and (k >= hi or not toks[k].is_word):
        head = k - 1  # "says [a narrator]."
    if head is None:
        return None
    return _build(text, toks, i, head + 1)


def _role_then_name(toks: list[Token], k: int, hi: int) -> int | None:
    """The last token of a full name after one or two lower-case role words at k, the mention
    ending there: "Cambridge [cartoonist] Andre Campbell." (a place, a role, a name)."""
    y = k
    while y < hi and y - k < 2 and toks[y].is_word and toks[y].text.islower() and not is_function(toks[y].lower):
        y += 1
    z = y
    while z < hi and is_name_word(toks[z]) and not is_title(toks[z].lower):
        z += 1
    return z - 1 if z - y >= 2 and (z >= hi or not toks[z].is_word) else None


_BETWEEN_LINKS: Final = lexicon.section("grammar_speakers.txt", "between_links")
_HEAD_END: Final = lexicon.section("grammar_speakers.txt", "head_end")


def between(text: str, toks: list[Token], i: int, j: int) -> Mention | None:
    """All of toks[i:j] as the speaker, when a quotation and its cue hold it in between:
    “...,” [the New York businessman] said; “...,” said [9/11 widow Lena Brook]. The phrase is
    short, with no function word but a joiner and no cue word; its name and role come from the
    part before any preposition ("Mr. Morgan" of the Sierra Club)."""
    if not 1 <= j - i <= 9:
        return None
    for t in toks[i:j]:
        if t.quote is not None or not (t.is_word or t.text in "/-.’'&“”\""):
            return None  # (marks outside any quotation are a nickname's: Marcia "Cia" Price)
        if t.is_word and t.text.islower() and t.lower not in _BETWEEN_LINKS and (
                is_function(t.lower) or _CUES.get(t.lower)):
            return None
    if not any(is_name_word(t) or is_speaker_noun(t.lower) or t.text.islower() for t in toks[i:j] if t.is_word):
        return None
    p = next((x for x in range(i + 1, j) if toks[x].lower in _HEAD_END), j)
    if p < j:
        x = j - 1
        while x > p and is_name_word(toks[x]) and not is_title(toks[x].lower):
            x -= 1
        if p < x < j - 1 and toks[x].text.islower() and not is_function(toks[x].lower) \
                and toks[x].lower not in DETERMINERS:
            p = j  # "University of the Fraser Valley political scientist [Hamish Telford]": a name ends it
    m = _build(text, toks, i, p)
    if m is None or m.kind == "relative":
        return None
    if m.kind == "pronoun" and p < j:
        return None
    m.i, m.j, m.end = i, j, toks[j - 1].end
    m.start = toks[i].start
    m.text = text[m.start:m.end]
    return m
