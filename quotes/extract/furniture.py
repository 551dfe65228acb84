"""Page furniture: the lines of a web page that are no part of its story.

"Article Continued Below", "READ MORE: ...", "Sign Up", a photo caption with its credit
("Tijana Martin / The Canadian Press Anne Marie Cerato and ..."): such a line gives no quote
and no speaker, and the names in it are not learnt for resolving later mentions. The phrases
are data (lexicons/furniture.txt).
"""
from __future__ import annotations

import re
from typing import Final

from . import lexicon

def _table(name: str) -> dict[str, str]:
    """phrase -> how it is matched, from a two-column list (lexicon.pairs, read here directly:
    mypyc cannot type the cached function from this module)."""
    out: dict[str, str] = {}
    for line in lexicon.lines(name):
        phrase, _, how = line.partition("\t")
        out[phrase.strip().lower()] = how.strip()
    return out


_FURNITURE: Final = _table("furniture.txt")
_LINES: Final = frozenset(p for p, how in _FURNITURE.items() if how == "line")
_PREFIXES: Final = tuple(p for p, how in _FURNITURE.items() if how == "prefix")
_CREDITS: Final = tuple(p for p, how in _FURNITURE.items() if how == "credit")
_TRAILING: Final = " \t.:!»›>→|-–—"
_MARKS: Final = "“\"‘«„"
# a line longer than this is a story's paragraph, whatever it opens with
_MAX_FURNITURE: Final = 300


def is_furniture(text: str, a: int, b: int) -> bool:
    """Whether the paragraph text[a:b] is page furniture rather than part of the story."""
    if b - a > _MAX_FURNITURE:
        return False
    line = text[a:b].lower().rstrip(_TRAILING)
    if line in _LINES:
        return True
    if any(c in line for c in _MARKS):
        return False  # "Read more: “...”, she said" is a story's sentence after all
    if line.startswith(_PREFIXES):
        return True
    return _caption(line)


def _caption(line: str) -> bool:
    """A photo caption: a credit ("Tijana Martin / The Canadian Press", "via Getty Images",
    "(AP Photo/Evan Vucci)"); "The Reuters/Ipsos poll" and a dateline "(Reuters) –" are none."""
    for credit in _CREDITS:
        at = line.find(credit)
        while at != -1:
            before = line[max(0, at - 12):at]
            if " / " in before or before.endswith(("via ", "photo: ", "photo by ", "credit: ")):
                return True
            if "photo" in credit and line.startswith("/", at + len(credit)):  # "(AP Photo/Evan Vucci)"
                return True
            at = line.find(credit, at + 1)
    return False


# "SEOUL, Aug. 20 (Yonhap) -- ", "WASHINGTON (AP) — ", "LONDON — ": a wire dateline opens the
# story's first paragraph; its place and agency are no speaker
_DATELINE: Final = re.compile(
    r"[A-Z][A-Z.'’ -]{1,30}[A-Z.](?:,[ \t][^—–()\n]{1,30}?)?[ \t]*(?:\([A-Za-z. ]{2,25}\))?[ \t]*(?:--|—|–|-)[ \t]+")


def dateline_end(text: str, a: int, b: int) -> int:
    """Where the story starts in the paragraph text[a:b], after a wire dateline if it opens with one."""
    m = _DATELINE.match(text, a, b)
    return m.end() if m else a



def marked_furniture(text: str, paras: list[tuple[int, int]], structure: list[tuple[int, int, str]]) -> set[int]:
    """The paragraphs (by their start) that are, by the page's own structure, a heading or a
    list item (an HTML page's subhead, a list of related links): no running text, unless one
    holds a quotation ("Toqaev: “We respect free speech”" may be a quote). `structure` comes
    from sources.html.text_structure, in text order; one walk over both lists."""
    out: set[int] = set()
    k = 0
    for a, b in paras:
        while k < len(structure) and structure[k][1] <= a:
            k += 1
        if k < len(structure):
            s, e = structure[k][0], structure[k][1]
            if s >= a and e <= b and 2 * (e - s) >= (b - a) and not any(c in text[a:b] for c in _MARKS):
                out.add(a)
    return out
