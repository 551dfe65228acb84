"""Load the word lists in quotes/lexicons/: the engine's vocabulary is data, not code."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def lines(name: str) -> list[str]:
    """The lines of a lexicon file, without blank lines and # comments."""
    text = resources.files("quotes").joinpath("lexicons", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True)
class Cue:
    form: tuple[str, ...]  # lower-case tokens: ("pointed", "out")
    lemma: str  # the first form on its line: "point out"
    cls: str  # "say" | "tell" | "quote"


@lru_cache(maxsize=1)
def cues() -> dict[str, list[Cue]]:
    """Cue forms indexed by their first token, longest phrases first."""
    out: dict[str, list[Cue]] = {}
    for line in lines("cue_verbs.txt"):
        cls, *forms = line.split()
        lemma = forms[0].lstrip("!").replace("_", " ")
        for f in forms:
            if f.startswith("!"):
                continue
            toks = tuple(f.lower().split("_"))
            cue = Cue(toks, lemma, cls)
            bucket = out.setdefault(toks[0], [])
            if all(c.form != toks or c.cls == "quote" for c in bucket):
                bucket[:] = [c for c in bucket if c.form != toks]
                bucket.append(cue)
    for bucket in out.values():
        bucket.sort(key=lambda c: -len(c.form))
    return out


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """A one-word-a-line list, lower-cased."""
    return frozenset(w.lower() for w in lines(name))


@lru_cache(maxsize=None)
def sections(name: str) -> dict[str, frozenset[str]]:
    """A file of [section] headers, each over words separated by spaces, kept exactly as written:
    the engine's own small word sets, one file a module (grammar_engine.txt, ...)."""
    out: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1].strip(), set())
        elif current is None:
            raise ValueError(f"lexicons/{name}: words before the first [section]: {line!r}")
        else:
            current.update(line.split())
    return {title: frozenset(found) for title, found in out.items()}


def section(name: str, title: str) -> frozenset[str]:
    """The words under [title] in lexicons/`name`, as written (case and ’ kept)."""
    found = sections(name).get(title)
    if found is None:
        raise KeyError(f"lexicons/{name} has no [{title}] section")
    return found


@lru_cache(maxsize=None)
def pairs(name: str) -> dict[str, str]:
    """A two-column (tab-separated) list: phrase -> value."""
    out = {}
    for line in lines(name):
        key, _, value = line.partition("\t")
        out[key.strip().lower()] = value.strip()
    return out
