"""The engine: paragraphs -> quotation spans -> sentences -> attribution frames -> Quotes.

Each sentence is read as tokens, every quotation one token. A *frame* is one attribution: a
cue, the speaker's mention and the reported content. The patterns, by rule name, each with
the function that reads it (the test cases, one sentence a construction: tests/test_extract_engine.py):

  speaker-cue-content    X said (that) ... / X told Y (that) ... / X said: “...”     _speaker_cue_content
  content-speaker-cue    ..., X said / “...,” X said                                  _content_speaker_cue
  content-cue-speaker    ..., said X / “...,” said X                                  _content_cue_speaker
  according-to           according to X, ... / ..., according to X / ... in a CBS poll _according_to
  parenthetical          A, X said, B   (the part after the cue)                      _content_speaker_cue
  participle             ..., adding that ... / ... and said ...   (the same speaker) _participle
  possessive-noun-that   X's claim that ...                                           _possessive_noun_that
  speaker-colon          Poll: Sanders Takes Lead   (headlines)                       _sentence_wide
  speaker-colon-quote    X: “...”                                                     _fallback_frames
  quote-speaker-verb     “...,” he grumbled   (any verb right after the quotation)    _fallback_frames
  quote-dash-speaker     “...” ― Jane Doe   (a signature under the quotation)         _fallback_frames
  unsourced              ... is expected to ... / seemed to ... / is said to ...      _unsourced_frames
                         / Asked whether ..., (no speaker named)                       _asked_frame
  quote-then-attribution “...” X said.   (attribution as a sentence of its own)       _quote_then_attribution
  colon-paragraph        X said:  ¶ “...”   (the quotation is the next paragraph)     _colon_paragraph
  transcript-turn        WALLACE: ...   (a paragraph of a transcript, its label)      _transcript_turns
  floating-continuation  a quotation with no attribution continues the last speaker   _floating_continuation
  floating-mixed         a sentence with quoted fragments right after an attribution  _floating_mixed
  run-on-paragraph       a paragraph of a quotation that the next paragraph attributes _attribute_run_ons

Which side of the cue the content is on is decided once, by _word_order; whether a cue word is
a speech act at all by _no_speech_act, and whether what follows it is something said by
_reports_content (with lexicons/content_forms.txt).

Speakers: honorifics (lexicons/honorifics.txt: Mr, Ms, Dr) are no roles; an appositive is
("Ms Patel, the home secretary," / "The owner of the line, Jan Olsen,"); "the minister" is
resolved to the one person the article gave that role (resolve.Resolver.by_role).

Which cue verbs exist, and how they behave (say / tell / weak / quote), is data:
lexicons/cue_verbs.txt. Figures, per rule, come from `quotes eval --errors`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Final

from ..model import Quote
from . import context, lexicon
from .cues import CueMatch, _headline, find_cues, has_cue_word
from .resolve import HONORIFICS, ORG_KINDS, Resolver, is_organisation, name_runs
from .sentences import Token, _opens, split_sentences, tokenize
from .furniture import dateline_end, is_furniture, marked_furniture
from .spans import Span, find_spans, paragraphs

# the word lists read here, loaded once: a module constant costs no call in the hot loops
_CUES: Final = lexicon.cues()
_NOUN_CUES: Final = lexicon.words("noun_cues.txt")
_HEADLINE_LABELS: Final = lexicon.words("headline_labels.txt")
_UNSOURCED: Final = lexicon.pairs("unsourced.txt")
_STANCE_ACTS: Final = lexicon.words("stance_acts.txt")
_STANCE: Final = lexicon.words("stance_cues.txt") | _STANCE_ACTS
_IRREGULAR_PAST: Final = lexicon.words("irregular_past.txt")
_CONTENT_FORMS: Final = lexicon.pairs("content_forms.txt")
from .speakers import DETERMINERS, QUANTIFIERS, Mention, back, between, forward, is_function, is_name_word, is_pronoun, \
    is_speaker_noun, is_title
# who is told: "told reporters", "told him", "told followers" (lexicons/listeners.txt) before what
_ADDRESSEES: Final = lexicon.words("listeners.txt") | lexicon.section("grammar_engine.txt", "addressee_pronouns")

# words allowed between a speaker and the cue: "Smith has also said"
_AUX: Final = lexicon.section("grammar_engine.txt", "aux")
_TAIL_START: Final = lexicon.section("grammar_engine.txt", "tail_start")
_CONJ: Final = lexicon.section("grammar_engine.txt", "conj")
_DESCRIBE: Final = lexicon.section("grammar_engine.txt", "describe")
_STOP_PUNCT: Final = set(".;:!?")


# a sentence as extract_quotes reads it: start, end, tokens (none when it cannot attribute),
# the quotation spans of its paragraph, and its runs of capitalised names
Sentence = tuple[int, int, list[Token], list[Span], list[tuple[int, int, str, bool]]]


@dataclass(init=False)  # an __init__ of our own, which mypyc compiles (see speakers.Mention)
class Frame:
    cs: int  # content start (char)
    ce: int  # content end (char)
    mention: Mention | None
    cue: CueMatch | None
    rule: str
    lo: int  # attribution tokens, for context
    hi: int
    content_tokens: tuple[int, int]

    def __init__(self, cs: int, ce: int, mention: Mention | None, cue: CueMatch | None, rule: str, lo: int, hi: int,
                 content_tokens: tuple[int, int]) -> None:
        self.cs, self.ce, self.mention, self.cue, self.rule = cs, ce, mention, cue, rule
        self.lo, self.hi, self.content_tokens = lo, hi, content_tokens


def _trim_end(text: str, s: int, e: int) -> int:
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:—–-"):
        e -= 1
    return e


def _trim_start(text: str, s: int, e: int) -> int:
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    return s


_UNITS: Final = lexicon.section("grammar_engine.txt", "units")  # signs that belong to the words they stand by: "about 67%"


def _content(text: str, toks: list[Token], i: int, j: int) -> tuple[int, int] | None:
    """Character span of tokens[i:j] without leading/trailing punctuation."""
    while i < j and toks[i].quote is None and not toks[i].is_word and toks[i].text not in _UNITS:
        i += 1
    while j > i and toks[j - 1].quote is None and not toks[j - 1].is_word and toks[j - 1].text not in _UNITS:
        j -= 1
    if i >= j:
        return None
    s, e = toks[i].start, toks[j - 1].end
    e = _trim_end(text, s, e)
    s = _trim_start(text, s, e)
    return (s, e) if s < e else None


def _words(toks: list[Token], i: int, j: int) -> int:
    return sum(1 for t in toks[i:j] if t.is_word or t.quote is not None)


def _after_cue(toks: list[Token], c: CueMatch, n: int) -> tuple[int, str]:
    """Where reported content starts after the cue, and how it is introduced."""
    k = c.j
    if c.lemma in _DESCRIBE:
        for x in range(k, min(n, k + 10)):
            if toks[x].lower == "as" and x + 1 < n:
                return x + 1, "as"
            if toks[x].quote is not None or toks[x].text in _STOP_PUNCT:
                break
    if k < n and toks[k].text == ":":
        return k + 1, "colon"
    if k < n and toks[k].text == "," and k + 1 < n and toks[k + 1].quote is not None:
        return k + 1, "colon"
    if k < n and toks[k].quote is not None:
        return k, "quote"
    for x in range(k, min(n - 1, k + 8)):
        if toks[x].text == ":" and toks[x + 1].quote is not None:
            return x + 1, "colon"
        if toks[x].quote is not None or toks[x].text in ".;":
            break
    if k < n and toks[k].text == ",":
        # "Reuters reported, citing two sources, that ...": skip the inserted phrase
        for x in range(k + 1, min(n - 2, k + 10)):
            if toks[x].text == "," and toks[x + 1].lower == "that":
                return x + 2, "that"
            if toks[x].quote is not None or toks[x].text in ".;:":
                break
    for x in range(k, min(n, k + 12)):
        t = toks[x]
        if t.lower == "that" and x + 1 < n and not (x > k and toks[x - 1].lower in _PREPOSITIONS):
            if toks[x + 1].lower in _VERBISH and toks[x + 1].text.islower():
                if x == k:
                    return x, "that"  # "said [that was] a mistake": "that" is the subject
                break  # "opposed alternatives [that would] allow ...": a relative clause about the object
            return x + 1, "that"  # not "claimed in that speech ...": a determiner
        if t.quote is not None and x > k and toks[x - 1].lower.endswith(("’s", "'s")):
            continue  # "told MSNBC’s “Morning Joe” that ...": a programme's title
        if t.quote is not None or t.text in ",;:" or (t.lower in ("and", "but") and x > k) \
                or t.lower in ("to", "not", "for") or t.lower in _CLAUSE_VERBS:
            break  # "cautioned me not to make that speech": an infinitive, not a that-clause
    if c.cls == "tell":
        # skip the addressee (context.addressee reads it): "told Radio Meridian the vote was rigged"
        x = k
        while x < n and (toks[x].is_word and (is_name_word(toks[x]) or (x == k and toks[x].lower in
                                              ("the", "a", "an")) or toks[x].lower in _ADDRESSEES)):
            x += 1
        if x > k and x + 1 < n and toks[x].text in ",:" and toks[x + 1].quote is not None:
            return x + 1, "colon"  # told reporters, “...”
        if c.lemma == "tell" and x > k:
            while x < n - 1 and (toks[x].lower in _TIME_WORDS or (toks[x].lower in (
                    "on", "last", "this", "next", "late", "early") and toks[x + 1].lower in _TIME_WORDS)):
                x += 1  # "told reporters this weekend he would ..."
            return x, "addressee"
    # "said Tuesday the plan is dead", "said last week it would": the time is no content
    x = k
    while x < n - 1 and (toks[x].lower in _TIME_WORDS or (
            toks[x].lower in ("on", "last", "this", "next", "late", "early") and toks[x + 1].lower in _TIME_WORDS)):
        x += 1
    if x < n - 1 and toks[x].lower in _TOPIC_PREPS and toks[x + 1].is_word:
        x += 1  # "complained about [the tone]": the topic is the content, not its preposition
    if x < n - 2 and toks[x].lower in ("after", "before", "during", "at", "in", "on"):
        for y in range(x + 2, min(n - 1, x + 8)):
            if toks[y].quote is not None or not toks[y].is_word:
                break
            if toks[y].lower in _SUBJECT_PRONOUNS and toks[y + 1].is_word and toks[y + 1].text.islower() \
                    and toks[y + 1].lower not in _PREPOSITIONS:
                return y, "plain"  # "said after the convention [he would not accept ...]": the time of the saying
    return x, "plain"


_YEAR: Final = re.compile(r"(1[89]|20)\d\d\Z")
_COUNT_WORDS: Final = frozenset({"a", "an", "one", "two", "three", "four", "five", "few", "several", "some"})


def _before_time_phrase(toks: list[Token], j: int) -> int:
    """The index before a time phrase that ends at token j ("in 2010", "on Tuesday", "last
    week"), or j when there is none."""
    if j < 1 or not (toks[j].lower in _TIME_WORDS or _YEAR.match(toks[j].text)):
        return j
    x = j - 1
    if j + 1 < len(toks) and toks[j + 1].lower in ("later", "earlier", "ago") and x >= 0 and (
            toks[x].lower in _COUNT_WORDS or toks[x].text.isdigit()):
        return x - 1  # "When Fiorina [a month later] announced ...", "Reyes [two days earlier] said"
    while x >= 0 and (toks[x].lower in ("the", "this", "last", "next", "earlier", "later", "late", "early")
                      or toks[x].text.isdigit() and x == j - 1):
        x -= 1  # (a number only right before the time word: not "UFCW Local 832 late Friday said")
    if x >= 0 and toks[x].lower in ("in", "on", "at", "during"):
        return x - 1
    if x < j - 1 and toks[x + 1].lower in ("last", "this", "earlier", "late", "early"):
        return x  # "last week", "earlier this month"
    return j


def _mention_before(text: str, toks: list[Token], c: CueMatch) -> tuple[Mention | None, int]:
    """The speaker before the cue and the index of the token before the whole attribution."""
    j = c.i - 1
    if j >= 2 and toks[j].lower == "as" and toks[c.i].lower == "saying":
        # "He was quoted by the TASS news agency as saying that ..."
        for q in range(j - 1, max(-1, j - 10), -1):
            if toks[q].lower == "quoted":
                j = q - 1
                while j >= 0 and toks[j].lower in ("was", "were", "is", "are", "been", "has", "have", "widely"):
                    j -= 1
                break
    while j >= 0 and (toks[j].lower in _AUX and not toks[j].named or toks[j].lower == "been"):
        j -= 1  # "Ruiz has said", not "Theresa May said"
    if j >= 0 and toks[j].lower in ("on", "last", "this", "next", "late", "early") and j + 1 < c.i \
            and toks[j + 1].lower in _TIME_WORDS \
            and not toks[c.i].lower.endswith("ing"):  # "a statement on Friday saying": the board's
        j -= 1  # "Sanders on Tuesday said", "UFCW Local 832 late Friday said": the loop above took the weekday only
        while j >= 0 and toks[j].lower in _AUX:
            j -= 1
    j = _before_time_phrase(toks, j)  # "who in 2010 said", "Smith in June said"
    if j >= 1 and toks[j].lower == "to" and toks[j - 1].is_word and toks[j - 1].text.islower() \
            and toks[j - 1].lower.endswith(("s", "ed")):
        j -= 2  # "He continues to insist", "she refused to say"
        while j >= 0 and toks[j].lower in _AUX:
            j -= 1
    if j >= 0 and toks[j].lower in ("is", "are", "was", "were") and toks[c.i].lower.endswith("ing"):
        j -= 1  # "Welch is supporting"
    if j < 0:
        return None, -1
    contracted = _contracted_pronoun(text, toks, j)
    if contracted is not None:
        return contracted, j - 1  # "She’s claiming that ...", "He's been saying ..."
    if toks[j].text == ",":
        # "Flynn, a top surrogate, said" / "Ruiz, who ... , advised"
        k = j - 1
        while k >= 0 and toks[k].text not in ",;:" and toks[k].quote is None and j - k < 35:
            k -= 1
        if k < 1 or toks[k].text != "," or toks[k + 1].lower in _CONJ:
            return None, -1  # ", and the meeting soured, said ...": a clause, no appositive
        m1 = back(text, toks, k - 1)
        inner = back(text, toks, j - 1, lo=k + 1)
        if inner is not None and inner.i != k + 1:
            inner = None
        if m1 is not None and m1.kind == "name" and m1.i >= 1 and toks[m1.i - 1].lower in ("for", "of", "at", "with") \
                and inner is not None and inner.kind == "name" and inner.name and " " in inner.name:
            # "the director of operations for EHS, Jeff Fraser, says": the name before is where
            # the person works; the name in apposition is who speaks
            d = m1.i - 1
            while d > 0 and toks[d - 1].is_word and toks[d - 1].lower not in DETERMINERS and m1.i - d < 8:
                d -= 1
            if inner.role is None and d > 0 and toks[d - 1].lower in DETERMINERS:
                inner.role = text[toks[d].start:m1.end]
            return inner, (d - 2 if d > 0 and toks[d - 1].lower in DETERMINERS else m1.i - 1)
        if m1 is not None and m1.kind in ("name", "pronoun"):
            return m1, m1.i - 1
        if m1 is not None and m1.kind == "noun" and m1.i >= 2 and toks[m1.i - 1].text == "," \
                and (is_title(toks[m1.i].lower) or toks[m1.i].lower in DETERMINERS):
            # a role in two parts: "Navdeep Bains, Minister of Innovation, Science and ..., said",
            # "Jean Roy, the foreign minister of France, a member of the council, said"
            m0 = back(text, toks, m1.i - 2)
            if m0 is not None and m0.kind == "name" and (
                    m0.i == 0 or toks[m0.i - 1].quote is not None or toks[m0.i - 1].text == ","):
                return m0, m0.i - 1
        if inner is not None and inner.kind == "name":
            # "One delegate not on the slate, Kelly Schmidt, told ...": what precedes is her, not content
            if m1 is not None and m1.i > 0 and (toks[m1.i - 1].quote is not None or toks[m1.i - 1].text == ","):
                return inner, m1.i - 1  # “...,” the assailant, John McGraw, told
            return inner, -1
        if m1 is not None and m1.kind == "noun":
            return m1, m1.i - 1  # "Several candidates, including Trump, said"
        return None, -1
    m = back(text, toks, j)
    if m is None or toks[m.j - 1].lower.endswith(("’s", "'s")):
        return None, -1  # "the committee's report": a noun, not a verb
    if m.i == 0 and m.j == 1 and toks[0].lower.endswith(_ADVERB_ENDINGS):
        return None, -1  # "Previously detailed by the Guardian": an adverb, capitalised to open the sentence
    if m.kind == "noun" and m.i == 1 and toks[0].lower in _PREPOSITIONS and toks[c.i].lower.endswith("ed") \
            and m.j == c.i:
        return None, -1  # "In a Facebook message posted Friday, ...": a participle after its noun
    if toks[m.i].lower in ("a", "an", "the") and m.i >= 2 and toks[m.i - 1].text == ",":
        m1 = back(text, toks, m.i - 2)  # "Doug Andres, a spokesman for the Speaker told the Post"
        if m1 is not None and m1.kind == "name" and m1.i > 0 and (
                toks[m1.i - 1].quote is not None or toks[m1.i - 1].text == ","):
            return m1, m1.i - 1
    if m.kind == "noun" and m.i >= 2 and toks[m.i - 1].lower in ("in", "at", "during", "on") \
            and not is_speaker_noun(toks[m.j - 1].lower):
        subj = back(text, toks, m.i - 2)  # "Trump in his announcement speech called ...": a circumstance between
        if subj is not None and subj.kind in ("name", "pronoun") and (
                subj.i == 0 or not toks[subj.i - 1].is_word or toks[subj.i - 1].lower in _CONJ
                or toks[subj.i - 1].lower in _SUBORDINATORS):
            return subj, subj.i - 1
    # "Katie Packer, who is chairman of Our Principles PAC said": the relative clause never closed
    for x in range(m.i - 1, max(-1, m.i - 14), -1):
        t = toks[x]
        if t.lower == "who" and x >= 2 and toks[x - 1].text == ",":
            m1 = back(text, toks, x - 2)
            if m1 is not None and m1.kind == "name":
                return m1, m1.i - 1
            break
        if not t.is_word:
            break
    return m, m.i - 1


def _mention_after_quote(text: str, toks: list[Token], c: CueMatch, claimed: int) -> tuple[Mention | None, int]:
    """The words between a quotation (and its comma) and the cue, as the speaker, when no
    pattern reads them: “...,” the New York businessman said."""
    q = c.i - 1
    while q >= claimed and toks[q].quote is None and toks[q].text != ",":
        q -= 1
    qt = q if q >= claimed and toks[q].quote is not None else q - 1
    if qt != claimed or toks[qt].quote is None:
        return None, -1  # the quotation must open the sentence, not be a scare quote inside it
    if qt == q and toks[qt].text.rstrip("\"”’'»").rstrip()[-1:] not in (",", "?", "!", "—"):
        return None, -1  # “...,” / “...?” : the mark of a quotation that hands over to its speaker
    return between(text, toks, q + 1, c.i), q


_SUBJECT_LINKS: Final = lexicon.section("grammar_engine.txt", "subject_links")


def _lead_in(t: Token) -> bool:
    """Whether a sentence opening with this word opens with a lead-in phrase, not its subject:
    "In Paris, ...", "Asked about it, ...", "Reached by phone, ...", "Speaking to reporters, ..."."""
    return t.lower in _LEAD_INS or (t.is_cap and t.lower.endswith(("ed", "ing")) and not is_speaker_noun(t.lower))
_APPOSITIVE_OPEN: Final = lexicon.section("grammar_engine.txt", "appositive_open")


def _opening_subject(text: str, toks: list[Token], c: CueMatch, claimed: int) -> tuple[Mention | None, int]:
    """The subject that opens the sentence, however long, when the cue follows it:
    "[Experts on nuclear arms] said ...", "[Lena Brook], 59, of Porto, who ..., said ...",
    "[Kall] -- co-editor of a book -- said ...". The head phrase must read as a speaker; it may
    go on with a prepositional phrase, then an appositive that closes right before the cue."""
    if c.i <= claimed or toks[c.i].lower.endswith("ing"):
        return None, -1
    s = claimed
    while s < c.i and (toks[s].lower in _CONJ or toks[s].lower == "both"):
        s += 1
    if s < c.i and _lead_in(toks[s]):
        comma = next((x for x in range(s, min(c.i, s + 15)) if toks[x].text == ","), None)
        if comma is not None:
            s = comma + 1  # "Reached by phone on Tuesday, Joyce -- who ... -- told ..."
    if toks[c.i - 1].lower == "and" and not (toks[c.i].lower.endswith("s") and toks[c.i - 2].lower.endswith("s")):
        subj = forward(text, toks, s, c.i)  # (not "speeches and promises": two nouns)
        if subj is not None and subj.kind in ("name", "pronoun") and subj.j < c.i - 1:
            v = subj.j + (1 if toks[subj.j].lower.endswith("ly") else 0)
            if v < c.i - 1 and _verb(toks[v], False) and toks[v].lower not in _AUX:
                return subj, s - 1  # "Mrs. Clinton shook her head and said ...": the subject of both verbs
    h = s
    while h < c.i and toks[h].text not in _APPOSITIVE_OPEN and toks[h].lower not in _SUBJECT_LINKS \
            and toks[h].lower not in ("who", "which", "that", "whose"):
        h += 1
    if h == s or c.i - s > 40:
        return None, -1
    head = between(text, toks, s, h)
    if head is None or head.kind == "relative" or (head.kind == "noun" and not any(
            is_name_word(t) or is_speaker_noun(t.lower) for t in toks[s:h])):
        return None, -1
    e = h  # the end of the subject proper: head and its prepositional phrase
    if h < c.i and toks[h].lower in _SUBJECT_LINKS:
        e = h + 1
        while e < c.i and toks[e].text not in _APPOSITIVE_OPEN:
            e += 1
        if between(text, toks, h + 1 if toks[h].lower != "close" else h + 2, e) is None:
            return None, -1  # "Experts on [North Korea]", "Those close to [him]"
    if e < c.i:
        opener, closer = toks[e].text, toks[c.i - 1].text
        if opener == "(":
            if closer != ")":
                return None, -1  # "Chris Murphy (a Connecticut Democrat) says"
        elif opener not in _APPOSITIVE_OPEN or closer not in _APPOSITIVE_OPEN or closer == "(" \
                or (opener == ",") != (closer == ","):
            return None, -1  # an appositive must close right before the cue, with the mark it opened with
    m = between(text, toks, s, e) if e > h else head
    if m is None:
        return None, -1
    m.kind, m.name, m.name_start, m.name_end, m.role = head.kind, head.name, head.name_start, head.name_end, head.role
    m.plural = head.plural or (toks[s].lower.endswith("s") and is_speaker_noun(toks[s].lower))  # "Aides to X"
    if any(t.lower == "and" for t in toks[s:h]):
        m.kind, m.name, m.name_start, m.name_end, m.role, m.plural = "noun", None, None, None, None, True  # two people
    return m, s - 1


def _mention_to_end(text: str, toks: list[Token], i: int) -> Mention | None:
    """The words from the cue to the comma or the end of the sentence, as the speaker:
    “...,” said 9/11 widow Lena Brook."""
    e = i
    while e < len(toks) and toks[e].text not in (",", ".", ";", "!", "?") and toks[e].quote is None:
        e += 1
    if e < len(toks) and toks[e].quote is not None:
        return None
    return between(text, toks, i, e)


class Reading:
    """One sentence as the rules read it, cue by cue: the frames found so far, and the tokens
    they claimed (a later cue never reads what an earlier frame took)."""

    def __init__(self, text: str, toks: list[Token]) -> None:
        self.text = text
        self.toks = toks
        self.n = len(toks)
        self.cues = find_cues(toks)
        self.frames: list[Frame] = []
        self.claimed = 0  # tokens before this index belong to an earlier frame
        self.bare: tuple | None = None  # a bare "X said." with no content


def sentence_frames(text: str, toks: list[Token]) -> tuple[list[Frame], tuple | None]:
    """The attributions of one sentence; also a bare "X said." with no content, if that is all.
    Each cue is read by one rule function below; what they leave, by the sentence-wide ones."""
    r = Reading(text, toks)
    for c in r.cues:
        if c.i < r.claimed:
            continue
        if c.cls == "according":
            _according_to(r, c)
        else:
            _cue_with_speaker(r, c)
    _possessive_noun_that(r)
    return _sentence_wide(r)


def _according_to(r: Reading, c: CueMatch) -> None:
    """Rule according-to: "According to X, ..." (the report after it) or "..., according to X"
    (the report before it)."""
    text, toks, n, frames = r.text, r.toks, r.n, r.frames
    if c.lemma == "in" and any(o.i > c.j and o.cls in ("say", "tell") for o in r.cues):
        return  # "One in four voters in a Times poll said ...": the poll is inside the subject of "said"
    m = forward(text, toks, c.j)
    if m is None or m.kind == "noun":
        # "according to polling by the union": the whole phrase up to the comma
        e = c.j
        while e < n and e - c.j < 15 and toks[e].quote is None and toks[e].text not in ",;:.()—":
            e += 1
        m = _generic_mention(text, toks, c.j, e) or m
    if m is None:
        return
    start = r.claimed
    for x in range(c.i - 1, r.claimed - 1, -1):
        if toks[x].text in (":", ";", "—"):
            start = x + 1  # "It has not gone unnoticed: according to recent polls, ..."
            break
    # a lead-in ("According to X, ..."), unless what precedes is the report of a frame before
    lead = c.i == 0 or (not frames and all(t.lower in _CONJ or t.text == "," for t in toks[start:c.i]))
    if not lead and not frames and c.lemma != "in" and toks[c.i - 1].text == "," and (
            _words(toks, start, c.i) <= 2 or toks[c.i - 2].lower in _SUBORDINATORS or toks[c.i - 2].lower in
            _LEAD_INS):
        lead = True  # "In addition, according to the port, ...": a lead-in, the report follows
    if lead:
        k = m.j
        while k < n and toks[k].text != ",":
            k += 1
        span = _content(text, toks, k + 1, n) if k < n else None
        inner = any(o.i > k and o.cls in ("say", "tell") and not toks[o.i].lower.endswith("ing")
                    and o.j < n and toks[o.j].lower == "that" for o in r.cues)
        if span and not inner:  # (not "According to X, a barrister demanded that ...": hers)
            frames.append(Frame(span[0], span[1], m, c, "according-to", c.i, k, (k + 1, n)))
            r.claimed = n
    elif toks[c.i - 1].text in (",", "—", "(") or toks[c.i - 1].quote is not None or (
            c.lemma == "in" and _words(toks, r.claimed, c.i) >= 4 and toks[r.claimed].lower not in _LEAD_INS):
        # the whole report before it, even over an attribution inside it: "Most voters say
        # they ..., according to the poll" is the poll's finding as well as the voters' words
        lo = 0 if frames and frames[0].lo <= 1 and c.lemma != "in" else r.claimed
        span = _content(text, toks, lo, c.i)
        if span:
            frames.append(Frame(span[0], span[1], m, c, "according-to", c.i, n, (lo, c.i)))
            r.claimed = m.j


def _cue_with_speaker(r: Reading, c: CueMatch) -> None:
    """A cue verb: find its speaker, then hand it to the rule its word order calls for."""
    text, toks = r.text, r.toks
    if c.cls == "weak" and any(o.i > c.i and o.cls in ("say", "tell", "according") and _ends_clause(text, toks, o)
                               and not toks[o.i].lower.endswith("ing") for o in r.cues):
        return  # "X wanted ..., Y alleged": Y is the speaker
    if c.cls == "say" and c.i > r.claimed and toks[c.i - 1].text == "," and c.j < r.n and toks[c.j].is_cap \
            and not toks[c.i].lower.endswith("ing") and _names_only(text, toks, c.j) and _content_cue_speaker(r, c):
        return  # "..., whom he has alienated, said Larry Sabato, director ...": the name after speaks
    m, sep = _speaker_before_cue(r, c)
    if m is None:
        if not _content_cue_speaker(r, c):
            _participle(r, c)
        return
    if _no_speech_act(r, c, m, sep):
        return
    k, how = _after_cue(toks, c, r.n)
    if how == "plain" and k == c.j and k < r.n and toks[k].lower == "by" and toks[c.i].lower.endswith("ed"):
        return  # "an allegation rejected by ...": a passive participle, its subject is no speaker
    if toks[c.i].lower in _NAMING and m.kind == "noun" and toks[m.i].lower in ("a", "an") and k < r.n \
            and (toks[k].is_cap or toks[k].quote is not None):
        return  # "a man named Tom Clarke", "a group called “Hope”": a name given, not a report
    rule = _word_order(r, c, m, sep, k, how)
    if rule == "speaker-cue-content":
        _speaker_cue_content(r, c, m, k, how)
    elif rule == "content-speaker-cue":
        _content_speaker_cue(r, c, m, sep)


def _speaker_before_cue(r: Reading, c: CueMatch) -> tuple[Mention | None, int]:
    """The speaker before the cue (and the token before the whole attribution), or None."""
    text, toks = r.text, r.toks
    m, sep = _mention_before(text, toks, c)
    if m is None or (sep >= 0 and (toks[sep].lower in _SUBJECT_LINKS or toks[sep].lower == "and")):
        # “...,” the New York businessman said / Mr. Morgan of the Sierra Club said
        alt, alt_sep = _mention_after_quote(text, toks, c, r.claimed)
        if alt is None and c.cls in ("say", "tell"):
            alt, alt_sep = _opening_subject(text, toks, c, r.claimed)  # Observers in Ohio say
        if alt is not None:
            m, sep = alt, alt_sep
    if m is not None and c.i > 0 and toks[c.i - 1].text == "," and toks[c.i].lower.endswith("ing") \
            and toks[c.i].text.islower() and m.kind != "pronoun":
        m = None  # "... at Mar-a-Lago, Mr. Trump's club, calling him ...": a participle of the clause
    return m, sep


def _content_cue_speaker(r: Reading, c: CueMatch) -> bool:
    """Rule content-cue-speaker, inverted: "..., said Jane Doe" / "“...,” said Doe"."""
    text, toks, n = r.text, r.toks, r.n
    if not (c.i > r.claimed and (toks[c.i - 1].text == "," or toks[c.i - 1].quote is not None)):
        return False
    mf = forward(text, toks, c.j)
    if mf is None and r.claimed == 0 and (toks[0].quote is not None and c.i <= 2):
        mf = _mention_to_end(text, toks, c.j)  # “...,” said 9/11 widow Lena Brook.
    if mf is None or toks[c.i].lower.endswith("ing") or c.cls in ("tell", "weak"):
        return False
    mf = _appositive_name(text, toks, mf) or mf
    span = _content(text, toks, r.claimed, c.i)
    if not (span and (_words(toks, r.claimed, c.i) >= 2 or any(t.quote is not None for t in toks[r.claimed:c.i]))):
        return False
    r.frames.append(Frame(span[0], span[1], mf, c, "content-cue-speaker", c.i, n, (r.claimed, c.i)))
    r.claimed = mf.j
    return True


def _names_only(text: str, toks: list[Token], x: int) -> bool:
    """Whether a name and nothing but its appositive follow x: "said Larry Sabato, director of
    the center." (not "said Trump would win")."""
    mf = forward(text, toks, x)
    return mf is not None and mf.kind == "name" and (mf.j >= len(toks) - 1 or toks[mf.j].text in ",.;(")


def _appositive_name(text: str, toks: list[Token], m: Mention) -> Mention | None:
    """The name in apposition after a described speaker: "says Campbell’s partner, Jason Louth",
    "said the harbour master, Tomas Reyes, on Friday"; the description becomes the role."""
    if m.kind != "noun" or m.j + 1 >= len(toks) or toks[m.j].text != ",":
        return None
    name = forward(text, toks, m.j + 1)
    if name is None or name.kind != "name" or not (name.j >= len(toks) - 1 or toks[name.j].text in ",.;"):
        return None
    if name.role is None:
        words = m.text.split(None, 1)
        name.role = words[1] if len(words) > 1 and words[0].lower() in DETERMINERS else m.text
    return name


def _participle(r: Reading, c: CueMatch) -> None:
    """Rule participle: "..., he said, adding that ...", "The Russians ..., saying ...", "and
    warned that ...": the speaker of the frame before, else the sentence's subject."""
    text, toks, n, frames = r.text, r.toks, r.n, r.frames
    if c.cls == "quote" and c.j < n and toks[c.j].quote is None and toks[c.j].lower != "that" and not (
            toks[c.j].text in ",:" and c.j + 1 < n and toks[c.j + 1].quote is not None):
        return  # "opened by talking about her work": such a cue reports a quotation or a that-clause only
    coordinated = c.i > 0 and (toks[c.i - 1].lower in ("and", "but") or (
        c.i > 1 and toks[c.i - 1].lower in _AND_AUX and toks[c.i - 2].lower in ("and", "but")))
    by_ing = c.i > 0 and toks[c.i].lower.endswith("ing") and (
        toks[c.i - 1].lower in ("by", "while", "when", "after", "before")  # "... by saying, “...”"
        or (c.cls in ("say", "tell") and toks[c.i - 1].is_word and c.j < n
            and (toks[c.j].lower == "that" or toks[c.j].quote is not None)))  # "a statement saying that"
    if not (c.i > 0 and (toks[c.i - 1].text == "," and toks[c.i].lower.endswith("ing") or coordinated or by_ing)):
        return
    if coordinated or not frames:
        subject = _subject(text, toks, c.i) or (frames[-1].mention if frames else None)
    else:
        subject = frames[-1].mention
    k, how = _after_cue(toks, c, n)
    end = _clause_end(toks, k, n, text)
    if how == "plain" and _noun_phrase_tail(toks, k, end):
        return  # "... and demand from China cooled": a noun and its phrase, no report
    span = _content(text, toks, k, end)
    if subject is not None and span and (_words(toks, k, end) >= 2 or toks[k].quote is not None) \
            and (how not in ("plain", "addressee") or _reports_content(toks, c, k, end, subject)):
        frames.append(Frame(span[0], span[1], subject, c, "participle", c.i, k, (k, end)))
        r.claimed = end


def _no_speech_act(r: Reading, c: CueMatch, m: Mention, sep: int) -> bool:
    """Whether the cue word, with this speaker before it, is no act of saying here: a noun
    ("a conference call", "his home state"), "All told", a quote-only verb away from a quotation."""
    text, toks, n = r.text, r.toks, r.n
    if c.cls == "quote" and not any(t.quote is not None for t in toks[max(0, sep - 1):sep + 1]) \
            and not (c.j < n and toks[c.j].quote is not None) \
            and not (c.j + 1 < n and toks[c.j].text in ",:" and toks[c.j + 1].quote is not None) \
            and not (c.j < n and toks[c.j].lower == "that") and not _ends_clause(text, toks, c):
        return True  # "continued", "replied": speech only next to a quotation, a that-clause or after content
    if m.i < r.claimed:
        return True
    if c.lemma == "add" and c.j < n and toks[c.j].lower not in ("that", ":", ",") and toks[c.j].quote is None \
            and not _ends_clause(text, toks, c):
        return True  # "we have added 1 million jobs"
    if toks[c.i].lower == c.lemma.split()[0] and toks[c.i].lower not in _SAME_PAST and m.kind in ("noun", "name") \
            and not toks[m.j - 1].lower.endswith("s") and not (m.plural and m.j - m.i > 2) \
            and not any(t.lower == "and" for t in toks[m.i:m.j]) \
            and toks[c.i - 1].lower not in _AUX \
            and toks[m.j - 1].lower not in ("people", "police", "staff", "media", "public", "majority") \
            and not (toks[m.j - 1].lower in ("percent", "%") and c.cls in ("say", "tell")):
        return True  # "a conference call", "his home state": a noun, not a verb
    cue_word = toks[c.i].lower
    if cue_word.endswith("s") and cue_word != c.lemma.split()[0] and (
            (m.kind == "noun" and (m.plural or m.text.lower() in QUANTIFIERS))
            or (m.kind == "pronoun" and m.text.lower() in ("they", "we", "i", "you"))):
        return True  # "the most states", "they reports": a plural noun, not a verb
    if cue_word.endswith("ing") and c.i > 0 and toks[c.i - 1].lower.endswith(("’s", "'s", "poor", "strong", "weak")) \
            and m.kind != "pronoun":
        return True  # "Romney’s poor showing"
    return m.kind == "noun" and m.text.lower() == "all" and toks[c.i].lower == "told"  # "All told,"


def _word_order(r: Reading, c: CueMatch, m: Mention, sep: int, k: int, how: str) -> str | None:
    """Which side of "X said" the content is on: "content-speaker-cue" (“A,” he said / A, he
    said, B), "speaker-cue-content" (he said that A / he said A), or None (nothing reported;
    a bare "X said." is kept for the next paragraph)."""
    toks, n, claimed = r.toks, r.n, r.claimed
    before_ok = sep >= claimed and sep >= 0 and (toks[sep].text in (",", "—", "–", ":", "(")
                                                 or toks[sep].quote is not None)
    goes_on = c.j + 1 < n and toks[c.j].text == "," and toks[c.j + 1].quote is None  # "A, he said, B"
    quoted_after = c.j < n and (toks[c.j].quote is not None or (
        toks[c.j].text in (",", ":") and c.j + 1 < n and toks[c.j + 1].quote is not None))
    if before_ok and (m.kind == "relative" or (
            not goes_on and _circumstance_before(toks, claimed, sep, quoted_after))):
        before_ok = False  # "Cruz, who has pledged ...", "In a statement, Merrill said, “...”": no report before
    before_words = _words(toks, claimed, sep + 1) if before_ok else 0
    before_quote = before_ok and any(t.quote is not None for t in toks[claimed:sep + 1])
    tail_words = _words(toks, k, n)
    quote_adjacent = sep >= claimed and sep >= 0 and (toks[sep].quote is not None or (
        toks[sep].text == "," and sep - 1 >= claimed and toks[sep - 1].quote is not None))
    split = how == "colon" and toks[c.j].text == ","  # “A,” she said, “B.”
    if split and before_ok and before_words >= 1:
        return "content-speaker-cue"  # A, he said, “B.”
    if quote_adjacent and c.cls == "tell" and how == "quote" and _words(toks, k, n) <= 6:
        return "content-speaker-cue"  # “...,” she told “Fox and Friends” after the debate.
    if quote_adjacent and (how not in ("that", "colon", "quote", "as") or (how == "that" and k > c.j + 1)):
        return "content-speaker-cue"  # “...,” he said outside the building.
    if before_ok and before_words >= 1 and c.j < n and toks[c.j].text == "," and how == "plain":
        return "content-speaker-cue"  # "A, he said, B": the part before; the part after below
    if how in ("that", "colon", "quote", "as") and tail_words >= 1:
        return "speaker-cue-content"
    if sep >= 0 and (toks[sep].lower in ("whom", "whose") or (
            toks[sep].lower in ("who", "which", "that", "what") and c.cls == "weak")):
        return None  # inside a relative clause: "Brook, whom the rebels believe controls ..."
    if before_ok and (before_words >= 4 or before_quote) and not (
            _lead_in(toks[claimed]) and not before_quote and tail_words >= 3) and (
            tail_words <= 2 or how == "addressee"
            or (k < n and (toks[k].lower in _TAIL_START or toks[k].text in ",."))):
        return "content-speaker-cue"
    if tail_words >= 1 and c.cls != "quote" and not (
            how == "plain" and toks[k].lower in _NOT_CONTENT and tail_words <= 6
            and not (toks[k].lower in ("this", "last") and k + 1 < n and toks[k + 1].lower not in _TIME_WORDS)
            and not ((c.cls == "weak" or "infinitive" in _CONTENT_FORMS.get(c.lemma, "")) and toks[k].lower == "to")):
        return "speaker-cue-content"  # "plans to sell it", "vowed to rebuild it": content
    if r.frames == [] and tail_words <= 8:
        r.bare = (m, c)
    return None


def _speaker_cue_content(r: Reading, c: CueMatch, m: Mention, k: int, how: str) -> None:
    """Rule speaker-cue-content: "X said (that) A", "X told Y A", "X vowed to A"; A ends where
    _clause_end says, and must be something said (_reports_content)."""
    text, toks, n = r.text, r.toks, r.n
    if how == "plain" and k < n and toks[k].lower in _SUBORDINATORS and toks[k].lower not in _REPORTED_QUESTION:
        return  # "suggested after she won"; not "asked whether"
    m = _document_author(text, toks, m) or m
    if _naming(toks, c, m):
        return  # "a resistance movement called the Ethiopian People's Revolutionary Party"
    end = _clause_end(toks, k, n, text)
    o = m.i if toks[m.i].lower in _OPENING_SUBORDINATORS else m.i - 1  # (the mention may hold it: "After the union")
    if o >= 0 and toks[o].lower in _OPENING_SUBORDINATORS and (
            o == 0 or not toks[o - 1].is_word or toks[o - 1].lower in _CONJ):
        # "After the miners' union objected, the case was moved": the cue is inside an opening
        # subordinate clause, and what follows its comma is the sentence's main clause
        end = next((x for x in range(k, end) if toks[x].text == ","), end)
        if end <= k:
            return
    if toks[k].lower in _PARTICLES and (_words(toks, k, end) == 1 or toks[k].lower == "off" or (
            k + 1 < end and toks[k + 1].lower in ("at", "in", "on", "for", "with", "from", "by"))):
        return  # "Trump showed up at the debate", "called off the deal": a phrasal verb, nothing reported
    inserted = m.kind == "relative" and m.i > 0 and toks[m.i - 1].text in (",", "—", "–", "-", "--")
    if inserted:
        # "Cruz, who has proposed repeal, said ...": the clause ends at its comma, and the
        # sentence's own attribution is still to be read
        x = k
        while x < end and toks[x].text not in (",", "—", "–", "-", "--"):
            x += 1
        end = x
    if how in ("plain", "addressee") and not _reports_content(toks, c, k, end, m):
        return  # "attacked the judge", "agreed a deal": an act, nothing reported
    if how == "plain" and c.cls == "weak" and _noun_phrase_tail(toks, k, end):
        return  # "the terrorist attacks in Paris", "Republican attacks on her record": a noun and its phrase
    if how == "plain" and _object_relative(toks, m):
        return  # "the changes Mills requested months earlier": the object is the noun before, nothing reported
    span = _content(text, toks, k, end)
    if span:
        r.frames.append(Frame(span[0], span[1], m, c, "speaker-cue-content", m.i, k, (k, end)))
        if not inserted:
            r.claimed = end


def _content_speaker_cue(r: Reading, c: CueMatch, m: Mention, sep: int) -> None:
    """Rule content-speaker-cue: "A, he said." / "“A,” he said, “B.”"; the part after a medial
    attribution is rule parenthetical, unless it is a circumstance or has a speaker of its own."""
    text, toks, n, claimed = r.text, r.toks, r.n, r.claimed
    span = _content(text, toks, claimed, sep + 1)
    if not span:
        return
    x = c.j
    while x < n and toks[x].text != "," and toks[x].quote is None and toks[x].text not in _STOP_PUNCT:
        x += 1
    rest = None
    if x < n and toks[x].text == ",":
        rest = _content(text, toks, x + 1, n)
        lead_tok = toks[x + 1] if x + 1 < n else None
        is_fragment = _fragment(toks, claimed, sep + 1 if toks[sep].quote is not None else sep)
        y = x + 2
        while y < n - 1 and toks[y].lower in ("still", "also", "then", "yet", "now"):
            y += 1  # "A, she said, and still “B”"
        joined = lead_tok is not None and lead_tok.lower in ("and", "but") and y < n and (
            toks[y].quote is not None or toks[y].lower in _SUBJECT_START or toks[y].is_cap
            or toks[y].lower in _LEAD_INS) \
            and not is_fragment  # "A, he said, and “B”", "A, he said, and with ..., B": more of the same report
        if lead_tok is not None and lead_tok.quote is None and not joined and (
                lead_tok.lower in _NOT_CONTENT or (lead_tok.lower in _SUBORDINATORS and lead_tok.lower not in _REASONS)
                or lead_tok.lower in ("and", "from") or lead_tok.lower.endswith("ing")):
            rest = None  # "..., he said, speaking to reporters": circumstance, not more content
        if not rest or not (_words(toks, x + 1, n) >= 3 or toks[x + 1].quote is not None or joined) or any(
                cc.cls in ("say", "tell") and _inflected_cue(toks[x + 1 + cc.i]) for cc in find_cues(toks[x + 1:])) \
                and toks[x + 1].quote is None:
            rest = None  # B has a speaker of its own
    g = c.j + 1 if c.j < n and toks[c.j].text == "," else c.j
    if rest is None and any(t.quote is not None for t in toks[claimed:sep + 1]) and g < n and (
            toks[g].lower in _LEAD_INS or toks[g].lower in _PREPOSITIONS or toks[g].lower.endswith("ing")):
        # "“A,” Trump said during a rally in Kenansville, N.C., “B.”": B goes on with A after the
        # circumstance of the saying (not "..., but added that ...": a report of its own)
        y = c.j
        while y < n - 1 and y - c.j < 20 and toks[y].quote is None and toks[y].text not in _STOP_PUNCT \
                and toks[y].lower not in ("that", "and", "but"):
            if toks[y].text == "," and toks[y + 1].quote is not None:
                rest, x = _content(text, toks, y + 1, n), y
                break
            y += 1
    r.frames.append(Frame(span[0], span[1], m, c, "content-speaker-cue", m.i, n, (claimed, sep + 1)))
    r.claimed = c.j
    if rest:
        r.frames.append(Frame(rest[0], rest[1], m, c, "parenthetical", m.i, x, (x + 1, n)))
        r.claimed = n


def _possessive_noun_that(r: Reading) -> None:
    """Rule possessive-noun-that: "Trump's claim that ...": a possessive speaker and a reporting
    noun (lexicons/noun_cues.txt) before "that"."""
    text, toks, n = r.text, r.toks, r.n
    for x in range(r.claimed, n - 3):
        t = toks[x]
        if t.is_cap and t.lower.endswith(("’s", "'s")) and toks[x + 1].lower in _NOUN_CUES \
                and toks[x + 2].lower == "that" and not any(f.cs <= t.start < f.ce for f in r.frames):
            m = back(text, toks, x)
            if m is None or m.kind != "name" or not m.name or m.name_end is None:
                continue
            m.end, m.text = m.name_end, text[m.start:m.name_end]
            end = _clause_end(toks, x + 3, n)
            span = _content(text, toks, x + 3, end)
            if span:
                c = CueMatch(x + 1, x + 2, toks[x + 1].lower, "noun")
                r.frames.append(Frame(span[0], span[1], m, c, "possessive-noun-that", x, x + 3, (x + 3, end)))


def _sentence_wide(r: Reading) -> tuple[list[Frame], tuple | None]:
    """The rules that read the whole sentence once its cues are read: a question asked of the
    speaker (rule asked), a headline's "Name: ..." (speaker-colon), a source with no cue
    (unsourced), and quotations no rule attributed (the fallbacks)."""
    text, toks, n, frames = r.text, r.toks, r.n, r.frames
    asked = _asked_frame(text, toks)
    if asked is not None:
        # the question is no content of the sentence's speaker: "Asked whether ..., Brook smiled"
        frames = [f for f in frames if not (f.cs < asked.ce and asked.cs < f.ce)] + [asked]
    if n >= 5 and (not frames or _headline_colon(toks)):
        # headline style: "Poll: Sanders Takes First National Lead", "Graham: Rhetoric Is Hurting";
        # in a Title Case headline "Graham: Voters Worried ..." the colon wins over "Worried"
        m = forward(text, toks, 0)
        if m is not None and m.kind in ("name", "noun") and m.j < n - 3 and toks[m.j].text == ":" \
                and m.j <= 5 and m.text.lower() not in _HEADLINE_LABELS \
                and not (m.kind == "noun" and toks[m.i].lower in ("the", "one", "a", "an")):  # "The goal: ..."
            span = _content(text, toks, m.j + 1, n)
            if span and _words(toks, m.j + 1, n) >= 3:
                return [Frame(span[0], span[1], m, None, "speaker-colon", 0, m.j + 1, (m.j + 1, n))], r.bare
    frames.extend(_unsourced_frames(text, toks, frames))
    if not any(t.quote is not None for t in toks):
        return frames, r.bare
    covered = [(f.cs, f.ce) for f in frames]
    for f in _fallback_frames(text, toks):
        if not any(a <= f.cs < b or f.cs <= a < f.ce for a, b in covered):
            frames.append(f)
    frames.sort(key=lambda f: f.cs)
    return frames, r.bare


_BE: Final = lexicon.section("grammar_engine.txt", "be")
_PASSIVE_ADV: Final = lexicon.section("grammar_engine.txt", "passive_adv")


def _headline_colon(toks: list[Token]) -> bool:
    """A Title Case headline that opens with a short name and a colon: "Lena Brook: Ferry Fares Will Rise"."""
    colon = next((x for x in range(min(len(toks), 6)) if toks[x].text == ":"), None)
    if colon is None or colon == 0:
        return False
    words = [t for t in toks[colon + 1:] if t.is_word]
    return len(words) >= 3 and sum(t.is_cap for t in words) >= 0.75 * len(words)


def _unsourced_frames(text: str, toks: list[Token], frames: list[Frame]) -> list[Frame]:
    """Attributions with no source named: "is expected to ...", "seemed to ...", "is said to ..."
    (lexicons/unsourced.txt). The content is the infinitive or the predicate that follows."""
    table = _UNSOURCED
    n = len(toks)
    out: list[Frame] = []
    for x in range(n - 2):
        how = table.get(toks[x].lower)
        if how is None or toks[x].quote is not None:
            continue
        if any(f.lo <= x < f.hi and f.cue is not None and f.cue.i <= x < f.cue.j for f in frames):
            continue  # the cue of a sourced frame
        if how == "passive":
            y = x - 1
            while y >= 0 and toks[y].lower in _PASSIVE_ADV:
                y -= 1
            if y < 0 or toks[y].lower not in _BE or toks[x + 1].lower != "to":
                continue
            k = x + 1
        elif how == "raising":
            if toks[x + 1].lower != "to":
                continue
            k = x + 1
        else:
            continue
        end = _clause_end(toks, k, n, text)
        span = _content(text, toks, k, end)
        if span is None or _words(toks, k, end) < 3:
            continue
        if any(min(f.ce, span[1]) - max(f.cs, span[0]) > (span[1] - span[0]) // 2 for f in frames):
            continue  # "The company is said to plan ...": the sourced frame says it already
        c = CueMatch(x, x + 1, toks[x].lower, "unsourced")
        out.append(Frame(span[0], span[1], None, c, "unsourced", x, k, (k, end)))
    return out


_QUESTION_OPENERS: Final = lexicon.section("grammar_engine.txt", "question_openers")


_VERBISH: Final = _BE | lexicon.section("grammar_engine.txt", "auxiliaries")


_SUBJECT_PRONOUNS: Final = lexicon.section("grammar_engine.txt", "subject_pronouns")
_QUESTION_WORDS: Final = lexicon.section("grammar_engine.txt", "question_words")


def _reports_content(toks: list[Token], c: CueMatch, k: int, end: int, speaker: Mention | None = None) -> bool:
    """Whether toks[k:end], what follows a cue with no "that", colon or quotation, is something
    said: a clause ("said the plan is dead"), a reported question ("asked whether ..."), or the
    object or infinitive that lexicons/content_forms.txt allows the cue ("described the vote",
    "vowed to ..."). A belief or wish takes any object (stance_cues.txt); an act or stance taken
    (stance_acts.txt) an infinitive or a clause."""
    if k >= end or (c.lemma in _STANCE and (c.lemma not in _STANCE_ACTS or toks[k].lower == "to")):
        return True
    forms = _CONTENT_FORMS.get(c.lemma, "")
    if "document-only" in forms.split() and not (speaker is not None and _speaks_as_document(toks, speaker)):
        return False  # "Four people were injured, showing the gulf ...": only a poll or a report shows
    first = toks[k].lower.replace("’", "'").split("'")[0]  # "she’ll", "it's"
    if "object" in forms.split() and c.lemma not in ("accuse", "blame") and _only_a_name(toks, k, end) \
            and not _headline(toks):
        return False  # "the Senate confirmed Prelogar by a vote": a person confirmed, nothing said
    if (first in _SUBJECT_PRONOUNS and _words(toks, k, end) >= 2) or first in _QUESTION_WORDS or "object" in forms.split():
        return True
    if ("document-object" in forms or "document-only" in forms) and speaker is not None \
            and _speaks_as_document(toks, speaker):
        return True  # "a new poll found Clinton with 46 percent", "a study by Justin Levitt found"
    head = toks[k:min(end, k + 15)]
    if any(t.quote is not None for t in head):
        return True  # "says Trump’s “latest meltdown is unhinged”": the quotation is what was said
    if "infinitive" in forms and any(t.lower == "to" for t in toks[k:min(end, k + 10)]):
        return True  # "vowed to ...", "urged Kazakhs to ..."
    if first == "to":
        return False  # "agreed to meet", "declined to comment": a plan or a refusal, not a report
    if c.cls == "weak":
        # "attacked Clinton for her support of ...", "pointed to the damage as the reason": the
        # reproach and its reason, the act and what it was called; "attacked the judge" is none,
        # nor "unveiled a plan for the port"
        return _reason(head) or _clause_verb(head[:8], 1, False)
    title_case = _headline(toks)  # "Mayor Says Pier Will Reopen" capitalises its verbs
    return _clause_verb(head, 0, title_case) or any(_present_verb(head, x) for x in range(len(head)))


def _noun_phrase_tail(toks: list[Token], k: int, end: int) -> bool:
    """Whether what follows a cue word is a prepositional phrase and nothing said: "attacks [in
    Paris last month]", "demand [from China] cooled" (not "to ...", a topic's "about ...", nor a
    quotation, "that" or "whether" later on)."""
    return k < end and toks[k].lower in _PREPOSITIONS and toks[k].lower not in _TOPIC_PREPS and toks[k].lower != "to" \
        and not any(t.quote is not None or t.lower in ("that", "whether") for t in toks[k:end])


def _object_relative(toks: list[Token], m: Mention) -> bool:
    """Whether the speaker opens a relative clause about the noun before it, with no "that":
    "the changes [Mills requested]", "the candidates [Sanders named]", "countries [he said]
    had sent ...": what the cue reports is that noun, outside the clause."""
    if m.kind not in ("name", "pronoun") or m.i < 2:
        return False
    w = toks[m.i - 1]
    low = w.lower
    return w.is_word and w.text.islower() and low.endswith("s") and not low.endswith(("ss", "’s", "'s")) \
        and toks[m.i - 2].lower in DETERMINERS and not is_function(low) and low not in _TIME_WORDS


def _speaks_as_document(toks: list[Token], speaker: Mention) -> bool:
    """ "a new poll", "a study by Justin Levitt", "court records", "the results": a document or a
    body of evidence speaks."""
    return any(t.lower in _DOCUMENT_NOUNS or t.lower in _EVIDENCE_NOUNS for t in toks[max(0, speaker.i - 5):speaker.j])


_EVIDENCE_NOUNS: Final = lexicon.section("grammar_engine.txt", "evidence_nouns")


def _only_a_name(toks: list[Token], k: int, end: int) -> bool:
    """Whether the object at k is a name and nothing more said of it ("Prelogar", "Prelogar by
    a vote of 61 to 31"): what a cue of an act takes, not content ("urged Congress to act",
    "cited Reyes as an example", "polls show Sanders with 47 percent" say more)."""
    x = k
    while x < end and is_name_word(toks[x]) and not is_title(toks[x].lower):
        x += 1
    return x > k and (x >= end or toks[x].lower in ("by", "on", "after", "for"))


def _reason(head: list[Token]) -> bool:
    """ "... for closing the pier", "... for her support", "... as the reason for the delay"."""
    for x in range(1, min(len(head) - 1, 9)):
        low, after = head[x].lower, head[x + 1].lower
        if low == "as" or low == "for" and (after.endswith(("ing", "’s", "'s")) or after in _POSSESSIVES):
            return True
    return False


def _clause_verb(head: list[Token], start: int, title_case: bool) -> bool:
    """Whether the words after a cue hold the verb of a clause of their own: not an adjective
    in -ed ("95 [retired] generals", "for [increased] cooperation"), nor the verb of a relative
    clause about the object ("a proposal [that would] create ...")."""
    relative = False  # inside the verbs right after "who"/"that": the object's own clause
    for x in range(start, len(head)):
        t = head[x]
        if t.lower in _MANNER_OPENERS and x + 1 < len(head) and head[x + 1].lower.endswith("ing"):
            return False  # "concluded the questioning [by asking] Trump whether ...": the clause is the asking's
        if x > 0 and head[x - 1].lower in _RELATIVE_WORDS:
            relative = True
        if relative and (_verb(t, title_case) or (x > 0 and head[x - 1].lower in _RELATIVE_WORDS)):
            continue  # "parents who [adopt] would ...", "the crews who [had worked] all night"
        relative = False
        if _verb(t, title_case):
            if x > 0 and t.lower.endswith("ed") and (head[x - 1].lower in _BEFORE_ADJECTIVE or head[x - 1].text.isdigit()):
                continue
            return True
    return False


def _verb(t: Token, title_case: bool) -> bool:
    """An auxiliary or a past tense ("-ed", or lexicons/irregular_past.txt), in lower case unless
    the sentence is a headline in title case (elsewhere "May" is a month, "Will" a name)."""
    return t.is_word and (title_case or t.text.islower()) and (
        _finite(t) or t.lower in _CLAUSE_VERBS or t.lower in _IRREGULAR_PAST)


_PREPOSITIONS: Final = lexicon.section("grammar_engine.txt", "prepositions")
# subjects a contracted verb is glued to: "that’s", "it's", "there’s", "they’re"
_CONTRACTED_SUBJECTS: Final = lexicon.section("grammar_engine.txt", "contracted_subjects")
_RELATIVE_WORDS: Final = lexicon.section("grammar_engine.txt", "relative_words")
# a participle clause of its own after the object: "concluded the questioning [by] asking whether ..."
_MANNER_OPENERS: Final = lexicon.section("grammar_engine.txt", "manner_openers")
_POSSESSIVES: Final = lexicon.section("grammar_engine.txt", "possessives")
# what stands before an adjective in -ed ("the [retired] generals", "for [increased] cooperation"); not
# the words that can be a subject themselves ("the two [raised] $350 million", "many [agreed]")
_BEFORE_ADJECTIVE: Final = lexicon.section("grammar_engine.txt", "before_adjective")
# what stands before a noun, so that the noun's -s is a plural and not a verb's
_BEFORE_NOUN: Final = lexicon.section("grammar_engine.txt", "before_noun")


def _present_verb(head: list[Token], x: int) -> bool:
    """A lower-case word in -s after a noun ("the economy needs", "Trump represents"), or a
    negated auxiliary ("doesn’t"): a clause in the present tense."""
    t = head[x]
    low = t.lower
    if low.endswith(("n’t", "n't")):
        return True
    straight = low.replace("’", "'")
    if "'" in straight and straight.split("'")[0] in _CONTRACTED_SUBJECTS:
        return True  # "says [that’s] not what the union sees", "said [it's] over"
    if 1 <= x <= 3 and _plural_then_verb(head, x):
        return True  # "advocates say [obstacles remain] for many"
    if x == 0 or not t.text.islower() or not low.endswith("s") or low.endswith(("ss", "us", "is", "ous", "’s", "'s")):
        return False  # (nor "the harbour [board's] newsletter": a possessive)
    prev = head[x - 1]
    return prev.is_word and prev.lower not in _BEFORE_NOUN and not prev.lower.endswith(("’s", "'s"))


def _plural_then_verb(head: list[Token], x: int) -> bool:
    """A plural noun opening the clause and a verb in its plain form after it: "[obstacles
    remain]", "the [fees rise]"; the noun first or after one determiner."""
    t, prev = head[x], head[x - 1]
    low, pl = t.lower, prev.lower
    if not (t.is_word and t.text.islower() and prev.is_word and prev.text.islower()) or x + 1 >= len(head):
        return False
    if not pl.endswith("s") or pl.endswith(("ss", "us", "is", "ous", "’s", "'s")) or is_function(pl):
        return False
    if x == 2 and head[0].lower not in DETERMINERS:
        return False
    return not (low.endswith(("s", "ly", "ing", "ed")) or is_function(low) or low in _PREPOSITIONS
                or low in DETERMINERS or low in _BEFORE_NOUN)


def _finite(t: Token) -> bool:
    """A word that makes a clause of the words around it: an auxiliary, or a past tense in "-ed"."""
    return t.lower in _VERBISH or (t.text.islower() and t.lower.endswith("ed"))


def _fragment(toks: list[Token], i: int, j: int) -> bool:
    """Whether toks[i:j], the part before a medial "..., he said, ...", is no clause of its own:
    a subject ("The museum"), an adverbial ("Too often", "In recent days") or an opening
    subordinate clause ("Though the vote was close"). Such a part is no report that an
    "and ..." after the attribution could carry on."""
    while i < j and (toks[i].lower in _CONJ or not toks[i].is_word):
        i += 1
    if i >= j or any(t.quote is not None for t in toks[i:j]):
        return False
    if toks[i].lower in _LEAD_INS or toks[i].lower in _SUBORDINATORS or toks[i].lower in ("too", "perhaps", "maybe"):
        # (unless a main clause follows the opening one: "When she saw him, her eyes widened")
        return not any(toks[x].text == "," and x + 2 < j and (toks[x + 1].lower in _SUBJECT_START
                                                             or toks[x + 1].lower in _POSSESSIVES)
                       and toks[x + 2].is_word for x in range(i + 1, j))
    words = [t for t in toks[i:j] if t.is_word]
    return len(words) <= 4 and not any(map(_finite, words))


def _circumstance_before(toks: list[Token], i: int, j: int, quoted_after: bool) -> bool:
    """Whether toks[i:j], the words before ", he said", are a circumstance and no report: an
    adverbial ("In a statement", "Later in the piece", "Still"), an opening subordinate clause
    with no main clause after it ("While he was speaking in Miami"). Each part between commas
    must be one; a part with a subject and verb of its own is a report ("If we lose, we lose"),
    and so is a noun phrase ("The museum, he said, ...")."""
    if any(t.quote is not None for t in toks[i:j]):
        return False
    pieces: list[list[Token]] = [[]]
    for t in toks[i:j]:
        if t.text in (",", "—", "–", ";", ":"):
            pieces.append([])
        elif t.is_word:
            pieces[-1].append(t)
    return any(pieces) and all(_circumstance(p, quoted_after) for p in pieces)


def _circumstance(piece: list[Token], quoted_after: bool) -> bool:
    """One part of _circumstance_before: after its conjunctions and adverbs ("But", "Still",
    "Soon"), nothing, a subordinator, or a preposition or participle with no verb after it."""
    x = 0
    while x < len(piece) and (piece[x].lower in _CONJ or piece[x].lower in _TIME_WORDS
                              or piece[x].lower in _FRONT_ADVERBS or piece[x].lower.endswith("ly")):
        x += 1
    rest = piece[x:]
    if not rest:
        return True
    first = rest[0].lower
    if first in _SUBORDINATORS:
        return not quoted_after  # "If she wins, he said, “she ...”": the quotation's own clause
    if first in _SUBJECT_PRONOUNS or first in ("there", "this", "that", "it"):
        return False
    if first in _LEAD_INS or first in _PREPOSITIONS or first.endswith("ing"):
        return not (_clause_verb(rest, 1, False) or any(_present_verb(rest, y) for y in range(len(rest))))
    return False  # a noun phrase: the subject of what the speaker goes on to say


def _asked_frame(text: str, toks: list[Token]) -> Frame | None:
    """ "Asked whether he would run, Brook said ...": the question is reported content whose
    asker the sentence does not name."""
    n = len(toks)
    i = 0
    if n and toks[0].lower == "when":
        i = 1
    if i + 2 >= n or toks[i].lower != "asked" or toks[i + 1].lower not in _QUESTION_OPENERS:
        return None
    k = i + 2 if toks[i + 1].lower == "about" else i + 1
    end = k
    while end < n and toks[end].text != "," and toks[end].quote is None and end - k < 40:
        end += 1
    if end >= n or toks[end].text != ",":
        return None
    span = _content(text, toks, k, end)
    if span is None:
        return None
    c = CueMatch(i, i + 1, "ask", "unsourced")
    return Frame(span[0], span[1], None, c, "unsourced", i, k, (k, end))


def _contracted_pronoun(text: str, toks: list[Token], j: int) -> Mention | None:
    """ "She’s" before a cue: the pronoun with its auxiliary ("she is", "he has") run into one token."""
    t = toks[j]
    if not t.lower.endswith(("’s", "'s")) or t.lower[:-2] not in ("he", "she", "it"):
        return None
    return Mention(j, j + 1, t.start, t.end - 2, text[t.start:t.end - 2], "pronoun")


def _ends_clause(text: str, toks: list[Token], c: CueMatch) -> bool:
    """A cue placed after its content: "..., Y alleged" / "..., said Y" / "“...” Y said"."""
    if c.i == 0:
        return False
    before = toks[c.i - 1]
    if before.text == "," or before.quote is not None:
        return True
    m = back(text, toks, c.i - 1)
    return m is not None and m.i > 0 and (toks[m.i - 1].text == "," or toks[m.i - 1].quote is not None)


def _subject(text: str, toks: list[Token], before: int) -> Mention | None:
    """The mention that opens the sentence (after a conjunction), if it is followed by a verb."""
    i = 0
    while i < before and (toks[i].lower in _CONJ or toks[i].text in ",—"):
        i += 1
    if i < before and toks[i].lower in _LEAD_INS:
        # "On Tuesday she doubled down ...", "After the vote, the senator said ...": skip the lead-in
        comma = next((x for x in range(i, min(before, i + 12)) if toks[x].text == ","), None)
        if comma is not None:
            i = comma + 1
        else:
            i += 1
            while i < before and (toks[i].lower in _TIME_WORDS or toks[i].lower in ("the", "a", "last", "this")):
                i += 1
    while i < before and (toks[i].lower in _CONJ or toks[i].text in ",—"):
        i += 1
    x = i
    while x < before and (toks[x].lower in _FRONT_ADVERBS or toks[x].lower in ("though", "however")):
        x += 1
    if i < x < before and toks[x].text == ",":
        i = x + 1  # "First though, Onyeka interrupted ...", "Still, she ..."
    if i + 1 < before and _fronted_word(toks, i):
        return None  # "Rather, he would ...", "Standing in the rain, ...": no subject read there
    m = forward(text, toks, i, before)
    if m is None or m.j >= before:
        # any opening phrase up to its verb: "One operative inside the campaign tried ..."
        x = i
        while x < min(before, i + 9) and toks[x].quote is None and toks[x].text not in ",;:" and not (
                toks[x].lower in _AUX or toks[x].lower in ("is", "are", "was", "were")
                or (x > i and toks[x].text.islower() and toks[x].lower.endswith("ed"))):
            x += 1
        if x == i or x >= before or toks[x].text in ",;:" or toks[x].quote is not None:
            return None
        if not _can_speak(toks, i, x):
            return None  # "The tone of his text was hard-edged and echoed ...": no one speaks
        return _generic_mention(text, toks, i, x)
    if m.kind == "relative":
        return None
    nxt = toks[m.j]
    if nxt.is_word and nxt.text.islower() and not nxt.lower in ("of", "and", "or", "to", "in"):
        return m
    if nxt.text == "," and m.kind == "name":
        return m  # "Mr. Trump, in an interview on Friday, barely dwelled on them, saying ..."
    return None


def _fronted_word(toks: list[Token], i: int) -> bool:
    """A sentence-opening adverb or participle, capitalised like a name: "Rather, ...",
    "Essentially, ...", "Standing in the rain ...", "Adopting the plan ..."."""
    t, nxt = toks[i], toks[i + 1]
    low = t.lower
    if not t.is_cap:
        return False
    if low.endswith(_ADVERB_ENDINGS):
        return True  # "Previously detailed by ...", "Apparently, ..."
    if nxt.text == "," and (low.endswith("ly") or is_function(low) or low in _FRONTED_ADVERBS
                            or low in _PREPOSITIONS or low in _LEAD_INS):
        return True
    return low.endswith("ing") and (nxt.lower in DETERMINERS or nxt.lower in _PREPOSITIONS)


_FRONTED_ADVERBS: Final = lexicon.section("grammar_engine.txt", "fronted_adverbs")
# the endings of adverbs that no name has: "Previ[ously]", "Essent[ially]", "Report[edly]"
_ADVERB_ENDINGS: Final = tuple(sorted(lexicon.section("grammar_engine.txt", "adverb_endings")))


def _can_speak(toks: list[Token], i: int, x: int) -> bool:
    """Whether the phrase toks[i:x] can be someone who speaks: not a noun with "of", "to" or
    "that" after it before any name, pronoun or speaker noun ("The tone of his text", "Her
    advice to reporters", "Instead of the overthrow that"); "The nurse", "One operative inside
    the campaign" can."""
    for y in range(i, x):
        low = toks[y].lower
        if is_name_word(toks[y]) or is_speaker_noun(low) or is_pronoun(low):
            return True
        if low in ("of", "to", "that", "for", "about", "from"):
            return False
    return True


def _fallback_frames(text: str, toks: list[Token]) -> list[Frame]:
    """Patterns with no cue word from the lexicon: “...,” he mocks.  /  Trump: “...”"""
    n = len(toks)
    out: list[Frame] = []
    for x, t in enumerate(toks):
        if t.quote is None:
            continue
        # “...,” he VERBED.  (the quotation, a speaker, one verb, the end)
        y = x + 1
        if y < n and toks[y].text == ",":
            y += 1
        m = forward(text, toks, y) if y < n else None
        if m is not None and m.kind in ("name", "pronoun") and m.j < n and (x + 1 >= n or toks[x + 1].text == ","
                                                                           or t.text[-2:-1] in ",!?"):
            v = toks[m.j]
            end = m.j + 1
            if v.is_word and v.text.islower() and v.lower.endswith(("ed", "s")) and not v.lower.endswith("ss"):
                cue = CueMatch(m.j, m.j + 1, v.lower, "quote")
                sp = t.quote
                out.append(Frame(sp.open, sp.close, m, cue, "quote-speaker-verb", m.i, end, (x, x + 1)))
                continue
        # “...” ― Name   (a signature after the quotation, as under a pull quote or a reader's comment)
        if x + 2 < n and toks[x + 1].text in _DASHES:
            m = forward(text, toks, x + 2)
            if m is not None and m.kind == "name" and (m.j == n or (m.j == n - 1 and not toks[m.j].is_word)):
                cue = CueMatch(x + 1, x + 2, toks[x + 1].text, "quote")
                out.append(Frame(t.quote.open, t.quote.close, m, cue, "quote-dash-speaker", m.i, n, (x, x + 1)))
                continue
        # Name: “...”
        if x >= 2 and toks[x - 1].text == ":" and not out:
            m = back(text, toks, x - 2)
            if m is not None and m.kind == "name" and (m.i == 0 or toks[m.i - 1].lower in _SPEAKER_COLON_BEFORE
                                                       or toks[m.i - 1].text in _DASHES):
                out.append(Frame(t.quote.open, t.quote.close, m, None, "speaker-colon-quote", 0, x, (x, x + 1)))
                continue
        # "Sanders made the following comment: “...”": the sentence's subject introduces its words
        if x >= 3 and toks[x - 1].text == ":" and not out and any(
                w.lower in _COLON_INTRO_NOUNS for w in toks[max(0, x - 7):x - 1]):
            m = _subject(text, toks, x - 1)
            if m is not None and m.kind in ("name", "pronoun") and m.j < x - 2:
                out.append(Frame(t.quote.open, t.quote.close, m, None, "speaker-colon-quote", 0, x, (x, x + 1)))
    return out


_DASHES: Final = lexicon.section("grammar_engine.txt", "dashes")
_COLON_INTRO_NOUNS: Final = lexicon.section("grammar_engine.txt", "colon_intro_nouns")
_NAMING: Final = lexicon.section("grammar_engine.txt", "naming")
_PARTICLES: Final = lexicon.section("grammar_engine.txt", "particles")
# subordinators of the report itself, not of the saying: "..., she said, because the fares rose"
_REASONS: Final = lexicon.section("grammar_engine.txt", "reasons")
# words that open a circumstance, not reported content: "Trump wrote [on Twitter on Monday]."
_SPEAKER_COLON_BEFORE: Final = lexicon.section("grammar_engine.txt", "speaker_colon_before")
# how an introductory phrase starts: "In the short term, senators have vowed to ..." is no content
_LEAD_INS: Final = lexicon.section("grammar_engine.txt", "lead_ins")
_SAME_PAST: Final = lexicon.section("grammar_engine.txt", "same_past")
_TIME_WORDS: Final = lexicon.section("grammar_engine.txt", "time_words")
_NOT_CONTENT: Final = lexicon.section("grammar_engine.txt", "not_content")
# words of a finite clause: a "that" after them belongs to it ("thinks the plan is so weak that ...")
_CLAUSE_VERBS: Final = lexicon.section("grammar_engine.txt", "clause_verbs")
# a cue's preposition before its topic ("complained about ...", "called for ...", "spoke of ...")
_TOPIC_PREPS: Final = lexicon.section("grammar_engine.txt", "topic_preps")
# what opens a reported question, part of the content: "asked whether ...", "said if ..."
_REPORTED_QUESTION: Final = lexicon.section("grammar_engine.txt", "reported_question")
_SUBORDINATORS: Final = lexicon.section("grammar_engine.txt", "subordinators")
# what opens a clause before the main one: "[After] the union objected, the case was moved"
_OPENING_SUBORDINATORS: Final = (_SUBORDINATORS | {"though", "although"}) - {"as", "whether", "during"}
# adverbs that open a sentence before its circumstance: "[Soon] after the vote, he said ..."
_FRONT_ADVERBS: Final = lexicon.section("grammar_engine.txt", "front_adverbs")
_CLAUSE_CONJ: Final = lexicon.section("grammar_engine.txt", "clause_conj")
_VENUE_WORDS: Final = lexicon.section("grammar_engine.txt", "venue_words")
_SUBJECT_START: Final = lexicon.section("grammar_engine.txt", "subject_start")


_CIRCUMSTANCE_START: Final = lexicon.section("grammar_engine.txt", "circumstance_start")
_PHRASE_WORDS: Final = lexicon.section("grammar_engine.txt", "phrase_words")


def _circumstance_to_end(toks: list[Token], x: int, n: int) -> bool:
    """A short time or venue phrase that closes the clause: the when and where of the report,
    not its content ("... on Tuesday.", "... on a radio show Thursday,"). Months are left alone:
    "will open in May" dates the content."""
    seen = False
    for y in range(x, min(n, x + 7)):
        t = toks[y]
        if t.quote is not None:
            return False
        if not t.is_word:  # (", that ..." goes on with what was said: the phrase was part of it)
            return seen and t.text in ".,;:!?" and not (t.text == "," and y + 1 < n and toks[y + 1].lower == "that")
        if t.lower in _TIME_WORDS or t.lower in _VENUE_WORDS or t.lower == "show":
            seen = True
        elif not (t.lower in _CIRCUMSTANCE_START or t.lower in _PHRASE_WORDS or t.is_cap or t.text.isdigit()):
            return False  # "on Tuesday was rigged": a verb, so the phrase is part of the content
    return seen and min(n, x + 7) == n


def _inflected_cue(t: Token) -> bool:
    """ "said", "added", "argues": a cue verb that carries its own tense, so a new predicate."""
    table = _CUES.get(t.lower)
    if not table:
        return False
    return t.lower != table[0].lemma.split()[0] and not t.lower.endswith("ing")


_AND_AUX: Final = lexicon.section("grammar_engine.txt", "and_aux")


def _clause_end(toks: list[Token], k: int, n: int, text: str | None = None) -> int:
    """Where reported content after a cue ends: at ", but ...", ", and she ...", ", adding ...",
    "... and said ...", ", when ..."."""
    cues = _CUES
    intro = k < n and toks[k].lower != "whether" and (toks[k].lower in _SUBORDINATORS or toks[k].lower in _LEAD_INS)
    if k + 1 < n and toks[k + 1].lower in _CIRCUMSTANCE_START and _circumstance_to_end(toks, k + 1, n):
        return k + 1  # "endorsed Brook [on Tuesday]"
    for x in range(k + 2, n - 1):
        t = toks[x]
        if t.lower in ("and", "but"):
            y = x + 1
            while y < n - 1 and toks[y].lower in _AND_AUX:
                y += 1
            if _inflected_cue(toks[y]) and x > k + 2:
                return x - 1 if toks[x - 1].text == "," else x  # "... and said that ...", "... but added ..."
            if x > k + 2 and y + 1 < n and (is_name_word(toks[y]) or is_speaker_noun(toks[y].lower)) \
                    and _inflected_cue(toks[y + 1]) and toks[y + 1].text.islower():
                return x  # "... and Democrats accused ...": another speaker's report
            if t.lower == "and":
                continue
        if x > k + 1 and t.text in _DASHES and _dash_goes_on(toks, k, x, n):
            continue  # "said she suspected drugs — something a caller also told ...": the report's own tail
        if x > k + 1 and (t.text in _DASHES or t.text == "(" or t.lower == "whereas"):
            return x  # "... (8,000 square miles)"; not "... while ...", "... despite ...": still the report
        if x > k + 1 and t.lower in ("in", "during", "at") and x + 2 < n and toks[x + 1].lower in (
                "a", "an", "his", "her", "their", "its", "the") and toks[x + 2].lower in _VENUE_WORDS:
            return x  # "... in an interview published Saturday"
        if x > k and t.lower in _CIRCUMSTANCE_START and _circumstance_to_end(toks, x, n):
            return x  # "endorsed Brook [last week]", "... [on a radio show Thursday]."
        if t.quote is not None and x > k and t.text.rstrip("\"”’'» ").endswith(",") and toks[x + 1].lower in (
                "but", "and") and x + 2 < n and toks[x + 2].lower in ("he", "she", "they", "we", "i", "it", "his", "her", "their"):
            return x + 1  # "... “jobs, jobs, jobs,” but he has also ...": the comma is inside the marks
        if t.text != "," or x < k + 1:
            continue
        if intro:
            intro = False
            continue  # "if the bridge closes, the town will ...": the comma closes the opening clause
        nxt = toks[x + 1]
        if nxt.lower in _RELATIVE_TAIL and _relative_goes_on(text, toks, k, x, n):
            continue  # "said the plan would cost $9 billion, which is twice ...": still the report
        if x + 2 < n and toks[x + 2].lower == "that" and not (nxt.lower.endswith("ing") and nxt.lower in cues):
            continue  # "..., but that ...": the same report goes on; "..., arguing that ..." is a new one
        if nxt.lower == "that" and k > 0 and toks[k - 1].lower == "that":
            continue  # "said that 416 died, that 60% wore no belt and ...": a list of what was said
        for y in range(x + 2, min(n, x + 6)):
            if _inflected_cue(toks[y]) and toks[y].lower in cues:
                sm = back(text, toks, y - 1) if text is not None else None
                if sm is not None and sm.i == x + 1:
                    return x  # "... the question, the candidate said ...": another report begins
                break
        if nxt.lower in ("the", "a", "an") and x - k <= 8:
            return x  # "... that attack, the worst bloodshed since ...": an appositive, not the report
        if nxt.lower in ("he", "she", "they", "we", "i", "it") and x + 2 < n and toks[x + 2].is_word \
                and toks[x + 2].text.islower():
            return x  # "..., he did not follow ..."
        if _named_clause(toks, x + 1, n) and (toks[0].lower in _SUBORDINATORS or toks[0].lower in (
                "though", "although") or any(map(_finite, toks[k:x]))):
            return x  # "Though she called for ..., Clinton restricted ...": the main clause begins
        if (toks[0].lower in _SUBORDINATORS or toks[0].lower in ("though", "although")) and all(
                toks[y].text != "," for y in range(1, k)) and (
                nxt.lower in _SUBJECT_START or nxt.lower in _POSSESSIVES or is_name_word(nxt)):
            return x  # "While he acknowledged funding was short, Ham also noted ...": the same
        if nxt.lower in _CLAUSE_CONJ or nxt.lower in _RELATIVE_TAIL or nxt.lower == "when" or (
                nxt.lower in ("for", "to", "with", "of", "by") and x + 2 < n and toks[x + 2].lower in ("whom", "which")):
            return x
        if nxt.lower in ("and", "but") and x + 2 < n and (toks[x + 2].lower in _SUBJECT_START or (
                is_name_word(toks[x + 2]) and x + 3 < n and toks[x + 3].lower in cues)):
            return x
        if nxt.lower in ("and", "but") and _named_clause(toks, x + 2, n):
            return x  # "..., and Ana Ruiz is promising ...": another person's clause
        if nxt.lower in ("and", "but") and text is not None and _report_begins(text, toks, x + 2, n):
            return x  # "..., and human rights groups warned that ...": another source's report
        if nxt.lower in ("and", "but") and x + 2 < n and toks[x + 2].lower in _SUBORDINATORS \
                and toks[x + 2].lower != "as":
            return x  # "..., and when pressed, she replied ...": a new sentence of the writer's
        if nxt.lower.endswith("ing") and nxt.text.islower() and nxt.lower != "including" \
                or nxt.lower in ("compared", "according"):
            return x  # "..., adding ...": a new report; not "..., including ...": the report's list
    return n


def _report_begins(text: str, toks: list[Token], y: int, n: int) -> bool:
    """Whether toks[y:] opens with a speaker and their cue: "human rights groups warned ..."."""
    for z in range(y + 1, min(n, y + 6)):
        if _inflected_cue(toks[z]) and toks[z].lower in _CUES:
            sm = back(text, toks, z - 1)
            return sm is not None and sm.i >= y
    return False


_RELATIVE_TAIL: Final = ("which", "who", "whom", "whose", "where")


def _relative_goes_on(text: str | None, toks: list[Token], k: int, x: int, n: int) -> bool:
    """Whether ", which ..." after reported content is still part of it: after a clause ("said the
    museum would not be a panacea for the racial struggles, which inflame ...") it is, unless it
    holds a report of its own ("..., which advocates say ..."); after a bare object ("accused
    Rafael Cruz, who was born ...") it is the writer's."""
    clause = (k > 0 and toks[k - 1].lower == "that") or _clause_verb(toks[k:x], 0, False)
    return clause and text is not None and not _report_begins(text, toks, x + 2, n)


def _dash_goes_on(toks: list[Token], k: int, x: int, n: int) -> bool:
    """Whether the content runs on past a lone dash: an elaboration of what was said ("... drugs —
    something a caller also told police"). A dash of a pair (an aside, or one closing an aside
    opened before the cue) or one that opens a clause of its own ("— and he noted ...") ends it."""
    if any(toks[y].text in _DASHES for y in range(n) if y != x) or toks[x - 1].text[-1:] in "?!":
        return False
    y = x + 1
    if y >= n or toks[y].lower in ("and", "but", "or", "yet", "so", "a", "an"):
        return False  # "— a problem compounded by ...": the writer's comment on what was said
    z = y
    while z < n and is_name_word(toks[z]):
        z += 1
    if z > y and (z >= n - 1 or toks[z].text == "("):
        return False  # "... the mark. — Alicia Draus (@Alicia_Draus)": who signed it
    return not (y + 1 < n and toks[y].lower in _SUBJECT_START and _finite(toks[y + 1]))


def _named_clause(toks: list[Token], y: int, n: int) -> bool:
    """Whether toks[y:] opens with a name and its verb: "Ana Ruiz is promising", "Mr. Reyes said"."""
    z = y
    while z < n and z - y < 4 and is_name_word(toks[z]):
        z += 1
    if z == y or z >= n:
        return False
    t = toks[z]
    return t.lower in _VERBISH or (t.is_word and t.text.islower() and (t.lower.endswith(("ed", "es")) or not (
        is_function(t.lower) or t.lower in DETERMINERS or t.lower.endswith(("’s", "'s")))))


def _kind(text: str, toks: list[Token], ti: int, tj: int, cs: int, ce: int) -> tuple[str, int, int]:
    """direct (the content is one quotation), mixed (it has quoted fragments) or indirect."""
    qs = [t.quote for t in toks[ti:tj] if t.quote is not None and cs <= t.start and t.end <= ce + 1]
    if not qs:
        return "indirect", cs, ce
    if len(qs) == 1:
        sp = qs[0]
        if sp.open <= cs + 1 and sp.close >= ce - 1 and sp.start < sp.end:
            q_start, q_end = _trim_start_ws(text, sp.start, sp.end), _trim_end_ws(text, sp.start, sp.end)
            if q_start < q_end:
                return "direct", q_start, q_end
    return "mixed", cs, ce


def _trim_start_ws(text: str, s: int, e: int) -> int:
    while s < e and text[s].isspace():
        s += 1
    return s


def _trim_end_ws(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _quote_dominated(toks: list[Token]) -> bool:
    """A sentence that is one quotation and nothing else (but punctuation)."""
    if not toks or toks[0].quote is None:
        return False
    return all(t.quote is not None or not t.is_word for t in toks)


def extract_quotes(text: str, published: str | None = None, include_stance: bool = False,
                   structure: list[tuple[int, int, str]] | None = None) -> list[Quote]:
    """Every quote in `text`, in document order. `published` (ISO date) anchors "on Tuesday".

    A belief, wish, plan or perception reported without quotation marks ("analysts expect ...",
    lexicons/stance_cues.txt) is no quote: it is left out, or with `include_stance` kept and
    marked `stance`. `structure`, the headings and list items an HTML page marks as such
    ((start, end, kind), in text order), are read as no running text."""
    if not text:
        return []
    lines = paragraphs(text)
    marked = marked_furniture(text, lines, structure) if structure else set()
    paras = [(dateline_end(text, a, b), b) for a, b in lines if a not in marked and not is_furniture(text, a, b)]
    all_spans = find_spans(text, paras)
    resolver = Resolver()
    doc: list[list[Sentence]] = []
    si = 0
    for a, b in paras:
        while si < len(all_spans) and all_spans[si].open < a:
            si += 1
        sj = si
        while sj < len(all_spans) and all_spans[sj].open < b:
            sj += 1
        psp = all_spans[si:sj]
        sents: list[Sentence] = []
        for s, e in split_sentences(text, a, b, psp):
            # only sentences with a quotation or a cue word can attribute anything: tokens cost
            has_quote = _span_at(psp, s, e) is not None
            needs = has_quote or _has_cue(text, s, e) or text.find(":", s, min(e, s + 60)) != -1
            toks = tokenize(text, s, e, psp) if needs else []
            runs = name_runs(text, s, e)
            resolver.learn(text, s, runs)
            sents.append((s, e, toks, psp, runs))
        doc.append(sents)

    article = Article(text, published, resolver, _list_labels(text, paras))
    for pi, sents in enumerate(doc):
        results = [sentence_frames(text, sent[2]) for sent in sents]
        for k in range(len(sents)):
            _read_sentence(article, pi, sents, results, k)
    out = article.out
    _attribute_run_ons(text, all_spans, out)
    _transcript_turns(text, paras, out)
    out.sort(key=lambda q: (q.start, q.end))
    if not include_stance:
        out = [q for q in out if not q.extra]
    return [q for q in out if not _report_by_nobody(q)]


_DOCUMENT_NOUNS: Final = frozenset(w for w, kind in lexicon.pairs("speaker_types.txt").items() if kind == "document")
_ANONYMOUS_NOUNS: Final = frozenset(w for w, kind in lexicon.pairs("speaker_types.txt").items() if kind == "anonymous")
_OWNER_PRONOUNS: Final = {"his": "he", "her": "she", "its": "it", "their": "they"}


def _people(phrase: str) -> bool:
    """Whether a plural noun phrase names people ("dock workers", "Democrats", "many"), whom a
    later "they" can stand for, and not things that speak for no one ("their testimonies", "the
    documents", "polls")."""
    words = phrase.split()
    return not words or words[-1].lower().strip("’'") not in _DOCUMENT_NOUNS


def _naming(toks: list[Token], c: CueMatch, m: Mention) -> bool:
    """ "a move called the boneless", "a group of Ethiopians called Ginbot 7", "one called
    therapeutic cloning": "called" right after an indefinite noun names it; nobody speaks. (Not
    "called for", "called on", nor "Trump called the plan a disgrace".)"""
    if toks[c.i].lower != "called" or m.j != c.i or m.kind not in ("noun", "name"):
        return False
    if c.j >= len(toks) or (any(is_speaker_noun(t.lower) for t in toks[m.i:m.j]) and not _name_given(toks, c.j)):
        return False  # "a spokesman for Clinton called the report outrageous": a speaker's words
    after = toks[c.j].lower
    if after in ("for", "on", "upon", "into", "a", "an") or is_pronoun(after):
        return False
    x = m.i  # the article may open the noun phrase before the mention: "[a] civil rights group called"
    while x >= 0 and m.i - x <= 6 and toks[x].is_word and toks[x].lower not in _VERBISH:
        if toks[x].lower in ("a", "an", "one", "another"):
            return True
        x -= 1
    return False


def _name_given(toks: list[Token], x: int) -> bool:
    """Whether a name alone follows "called" at x: "a group called Color of Change, ...", not
    "a lawmaker called Trump “the orange prince”" nor "called Trump a liar"."""
    n = len(toks)
    if not toks[x].is_cap:
        return False
    x += 1
    while x < n and toks[x].quote is None and (
            toks[x].is_cap or toks[x].text.isdigit() or toks[x].lower in ("of", "for", "the", "and")):
        x += 1
    return x >= n or (toks[x].quote is None and (toks[x].text in ",.;)" or (
        toks[x].text.islower() and toks[x].lower not in DETERMINERS)))


def _document_author(text: str, toks: list[Token], m: Mention) -> Mention | None:
    """Who issued the document that speaks: "McConnell issued a statement saying ...", "His
    office put out a statement saying ...", "Bullard, the bank's president, gave an interview
    noting ..." (grammar_engine.txt [issue_verbs])."""
    if m.kind != "noun" or m.text.split()[-1].lower() not in _DOCUMENT_NOUNS or m.i < 2:
        return None
    v = m.i - 1
    if toks[v].lower in _ISSUE_PARTICLES and v > 1:
        v -= 1  # "put [out] a statement"
    if toks[v].lower not in _ISSUE_VERBS:
        return None
    end = v
    if toks[v - 1].text == ",":  # "James Bullard, the president of the bank, gave an interview ..."
        k = v - 2
        while k > 0 and toks[k].text != "," and v - k < 20:
            k -= 1
        if k < 1 or toks[k].text != ",":
            return None
        end = k
    author = back(text, toks, end - 1)
    return author if author is not None and author.kind in ("name", "noun", "pronoun") and author.j == end else None


_ISSUE_VERBS: Final = lexicon.section("grammar_engine.txt", "issue_verbs")
_ISSUE_PARTICLES: Final = lexicon.section("grammar_engine.txt", "issue_particles")


_DOCUMENT_FROM: Final = re.compile(
    r"(?:[Tt]he|[Aa]n?)[ \t]+(?:[\w’'-]+[ \t]+){0,3}?([\w-]+)[ \t]+(?:from|by|issued[ \t]+by)[ \t]+(?:the[ \t]+)?"
    r"((?:[A-Z][\w.&’'-]*|of|and|for)(?:[ \t]+(?:[A-Z][\w.&’'-]*|of|and|for))*)")


def _document_from(phrase: str) -> str | None:
    """The author a document names: "a statement from the EU", "a report by Amnesty
    International", "the release issued by UFCW Local 832" (the name, capitalised, ends the
    phrase); else None."""
    m = _DOCUMENT_FROM.fullmatch(phrase.strip())
    if m is None or m.group(1).lower() not in _DOCUMENT_NOUNS or m.group(2).split()[-1] in ("of", "and", "for"):
        return None
    return m.group(2)


def _owned_document(phrase: str) -> bool:
    """ "her statement", "their latest report": a document a possessive pronoun gives an author."""
    words = phrase.lower().split()
    return len(words) >= 2 and words[0] in _OWNER_PRONOUNS and words[-1] in _DOCUMENT_NOUNS


def _report_by_nobody(q: Quote) -> bool:
    """Reported speech whose speaker is a pronoun the article resolves to no one ("who has
    pledged to ...", "rules that promise ...", an op-ed's "I"): without its speaker it says
    nothing a reader can use, and most are misreadings. A quotation keeps its words."""
    return q.kind != "direct" and q.speaker is not None and q.speaker_name is None and is_pronoun(q.speaker.lower())


class Article:
    """An article as the rules read it, paragraph by paragraph: the quotes so far, the last
    speaker (who a quotation with no attribution continues), and a paragraph that announced
    the next ("X said:")."""

    def __init__(self, text: str, published: str | None, resolver: Resolver, headings: set[str]) -> None:
        self.text = text
        self.published = published
        self.resolver = resolver
        self.headings = headings  # the labels of a list of sections: never speakers
        self.out: list[Quote] = []
        self.last: tuple[dict, int] | None = None  # the last speaker and its paragraph
        self.announced: tuple | None = None  # (bare, its tokens, its paragraph)


def _read_sentence(a: Article, pi: int, sents: list[Sentence], results: list, k: int) -> None:
    """Sentence k of paragraph pi: its frames become quotes; a sentence with none may still
    be a quotation the article's context attributes (the rules below)."""
    text, resolver = a.text, a.resolver
    s, e, toks, psp, runs = sents[k]
    frames, bare = results[k]
    _note_subject(text, s, runs, psp, resolver, frames)
    if frames:
        _frames_to_quotes(a, pi, toks, frames)
        return
    head = toks or tokenize(text, s, min(e, s + 60), psp)  # the opening words suffice
    group = _subject(text, head, len(head))  # "The protesters marched ..." for a later "they"
    if group is not None and group.kind == "noun" and group.plural and _people(group.text):
        resolver.note(group.start, group.text, plural=True)
    if bare is not None and toks and toks[-1].text == ":" and k == len(sents) - 1:
        a.announced = (bare, toks, pi)  # "The Times reports:" and the quotation is the next paragraph
        return
    if a.announced is not None and a.announced[2] == pi - 1 and k == 0 and _quote_dominated(toks):
        _colon_paragraph(a, pi, toks)
        return
    if _quote_dominated(toks) and bare is None:
        if not _quote_then_attribution(a, pi, sents, results, k):
            _floating_continuation(a, pi, toks)
        return
    _floating_mixed(a, pi, k, toks, psp, runs, results)


def _frames_to_quotes(a: Article, pi: int, toks: list[Token], frames: list[Frame]) -> None:
    """A sentence's frames as quotes, each speaker resolved."""
    text, resolver = a.text, a.resolver
    for f in frames:
        if f.rule == "speaker-colon" and (not _speaking_label(f.mention, resolver)
                                          or (f.mention is not None and f.mention.text in a.headings)):
            continue  # "Federal: Health care ...": a section's heading, not a speaker's
        who = _speaker(text, toks, f.mention, resolver)
        if who.get("speaker_name") and f.mention is not None and f.mention.kind == "name":
            ct = f.content_tokens[0]
            first = toks[ct].lower if ct < len(toks) else None
            resolver.learn_gender(who["speaker_name"], first, who.get("role"))
        kind, qs, qe = _kind(text, toks, f.content_tokens[0], f.content_tokens[1], f.cs, f.ce)
        a.out.append(_quote(text, toks, f, who, kind, qs, qe, a.published))
        if f.rule != "unsourced":
            a.last = (who, pi)


def _colon_paragraph(a: Article, pi: int, toks: list[Token]) -> None:
    """Rule colon-paragraph: a paragraph ending "X said:" with no quotation, and the quotation
    that is the next paragraph."""
    text = a.text
    assert a.announced is not None
    (m, c), atoks, _ = a.announced
    who = _speaker(text, atoks, m, a.resolver)
    for t in toks:
        q = t.quote
        if q is not None and _trim_start_ws(text, q.start, q.end) < _trim_end_ws(text, q.start, q.end):
            f = Frame(q.start, q.end, m, c, "colon-paragraph", m.i, len(atoks), (0, 0))
            a.out.append(_quote(text, atoks, f, who, "direct", _trim_start_ws(text, q.start, q.end),
                                _trim_end_ws(text, q.start, q.end), a.published))
    a.last = (who, pi)
    a.announced = None


def _quote_then_attribution(a: Article, pi: int, sents: list[Sentence], results: list, k: int) -> bool:
    """Rule quote-then-attribution: “...” Smith said. (the attribution a sentence of its own,
    bare: it takes no content of its own)."""
    text = a.text
    toks = sents[k][2]
    nxt = results[k + 1][1] if k + 1 < len(sents) and not results[k + 1][0] else None
    sp = toks[0].quote
    assert sp is not None  # _quote_dominated: the sentence opens with a quotation
    if nxt is None or not _trim_start_ws(text, sp.start, sp.end) < _trim_end_ws(text, sp.start, sp.end):
        return False
    m, c = nxt
    ntoks = sents[k + 1][2]
    who = _speaker(text, ntoks, m, a.resolver)
    f = Frame(sp.start, sp.end, m, c, "quote-then-attribution", m.i, len(ntoks), (0, 0))
    a.out.append(_quote(text, ntoks, f, who, "direct", _trim_start_ws(text, sp.start, sp.end),
                        _trim_end_ws(text, sp.start, sp.end), a.published))
    a.last = (who, pi)
    results[k + 1] = ([], None)
    return True


def _floating_continuation(a: Article, pi: int, toks: list[Token]) -> None:
    """Rule floating-continuation: a quotation with no attribution, in the paragraph of the
    last speaker or the next, continues that speaker."""
    text = a.text
    sp = toks[0].quote
    assert sp is not None
    if a.last is None or not (pi - a.last[1] <= 1 or sp.continued):
        return
    who = a.last[0]
    for t in toks:
        if t.quote is not None and _alone_on_its_line(text, t.quote.open, t.quote.close) \
                and _no_speech_inside(text[t.quote.start:t.quote.end]):
            continue
        if t.quote is not None and t.quote.start < t.quote.end \
                and _trim_start_ws(text, t.quote.start, t.quote.end) < t.quote.end:
            q = t.quote
            a.out.append(_floating(text, _trim_start_ws(text, q.start, q.end),
                                   _trim_end_ws(text, q.start, q.end), who, "direct",
                                   "floating-continuation"))
    a.last = (who, pi)


def _alone_on_its_line(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] is all of its line, white space aside."""
    start = text.rfind("\n", 0, a) + 1
    end = text.find("\n", b)
    return not text[start:a].strip() and not text[b:len(text) if end < 0 else end].strip()


def _no_speech_inside(inner: str) -> bool:
    """A quotation standing alone that no one said: a subhead in title case ("'Legend in the
    Coal Fields.'") or a transcript's stage direction ("(CROSSTALK.)")."""
    inner = inner.strip()
    if inner.startswith("(") and inner.rstrip(".").endswith(")"):
        return True
    words = [w for w in inner.rstrip(".!?").split() if w[:1].isalpha()]
    return 2 <= len(words) <= 8 and all(w[0].isupper() or w in _TITLE_CASE_MINOR for w in words) \
        and inner[-1:] not in "?,"


_TITLE_CASE_MINOR: Final = lexicon.section("grammar_engine.txt", "title_case_minor")


def _floating_mixed(a: Article, pi: int, k: int, toks: list[Token], psp: list[Span],
                    runs: list[tuple[int, int, str, bool]], results: list) -> None:
    """Rule floating-mixed: a sentence with quoted fragments right after an attribution in the
    same paragraph, naming no one else, continues its speaker."""
    if a.last is None or a.last[1] != pi or k == 0 or not results[k - 1][0]:
        return
    quoted = [t for t in toks if t.quote is not None]
    named = any(_span_at(psp, r[0], r[0] + 1) is None for r in runs)
    if quoted and sum(len(t.text.split()) for t in quoted) >= 3 and toks[0].is_word \
            and not toks[0].lower in ("but", "however", "yet") and not named:
        span = _content(a.text, toks, 0, len(toks))
        if span:
            a.out.append(_floating(a.text, span[0], span[1], a.last[0], "mixed", "floating-mixed"))



def _attribute_run_ons(text: str, spans: list[Span], out: list[Quote]) -> None:
    """A quotation over several paragraphs is attributed once, often at its end: each earlier
    paragraph of it takes the speaker of the paragraph that continues it."""
    by_start = {q.start: q for q in out if q.kind == "direct"}
    replaced: set[int] = set()  # ids of the quotes to drop, dropped in one pass: out.remove is linear
    for x in range(len(spans) - 2, -1, -1):
        sp, nxt = spans[x], spans[x + 1]
        if not (sp.runs_on and nxt.continued):
            continue
        s, e = _trim_start_ws(text, sp.start, sp.end), _trim_end_ws(text, sp.start, sp.end)
        later = by_start.get(_trim_start_ws(text, nxt.start, nxt.end))
        if s >= e or later is None or later.speaker is None:
            continue
        mine = by_start.get(s)
        if mine is not None and mine.rule != "floating-continuation":
            continue
        if mine is not None:
            replaced.add(id(mine))
        q = Quote(start=s, end=e, text=text[s:e], kind="direct", speaker=later.speaker,
                  speaker_start=later.speaker_start, speaker_end=later.speaker_end,
                  speaker_name=later.speaker_name, role=later.role, rule="run-on-paragraph")
        out.append(q)
        by_start[s] = q
    if replaced:
        out[:] = [q for q in out if id(q) not in replaced]


# a transcript turn: a paragraph opening on a speaker label in capitals, "WALLACE: ..." (quoted or not)
_TURN: Final = re.compile(r"[\"“]?([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}): +\S")


_TURN_REPLACES: Final = {"run-on-paragraph", "floating-continuation", "speaker-colon", "content-speaker-cue",
                  "speaker-colon-quote"}


def _transcript_turns(text: str, paras: list[tuple[int, int]], out: list[Quote]) -> None:
    """In a transcript each paragraph is one speaker's turn, named by its label: the label is the
    speaker, the rest of the paragraph what was said, in place of any reading of the paragraph as
    an unattributed quotation."""
    labels = _HEADLINE_LABELS
    turns: list[Quote] = []
    for a, b in paras:
        m = _TURN.match(text, a, b)
        if m is None or m.group(1).lower() in labels or not any(ch.isalpha() for ch in m.group(1)) \
                or re.search(r"[’'][Ss]\b", m.group(1)):
            continue  # (nor "ANALYST'S TAKE:": a possessive names a section, not a speaker)
        s = m.end() - 1
        e = _trim_end_ws(text, s, b)
        if e > s and text[e - 1] in "”\"" and text[a] in "“\"":
            e -= 1
        if e <= s:
            continue
        name = m.group(1)
        turns.append(Quote(start=s, end=e, text=text[s:e], kind="direct" if text[a] in "“\"" else "indirect",
                           speaker=name, speaker_start=m.start(1), speaker_end=m.end(1), speaker_name=name.title(),
                           rule="transcript-turn"))
    if len({t.speaker for t in turns}) < 2 and not all(
            re.search(r"\b" + re.escape((t.speaker or "").title()) + r"\b", text) for t in turns):
        return  # one label the article names nowhere else ("BONDS: Yields rose.") is a section's, not a turn
    starts = [t.start for t in turns]  # in order, as paragraphs are

    def inside_turn(q: Quote) -> bool:
        x = bisect_right(starts, q.end - 1) - 1
        return x >= 0 and turns[x].start < q.end and q.start < turns[x].end

    out[:] = [q for q in out if not (q.rule in _TURN_REPLACES and inside_turn(q))] + turns


def _note_subject(text: str, s: int, runs: list[tuple[int, int, str, bool]], spans: list[Span], resolver: Resolver,
                  frames: list[Frame]) -> None:
    """The first name of a sentence is the likeliest antecedent of a later "he". A sentence
    that opens with "He"/"She" goes on with the person it stands for, whoever it names later
    ("He said the firm, run by his friend Martin Legere, ..."): that person stays the nearest."""
    if not runs:
        return
    if text.startswith(("He ", "She ", "He’", "She’", "He'", "She'"), s):
        name = resolver.pronoun(text[s:s + 3].rstrip(" ’'"), s)
        if name is not None:
            resolver.note(s, name)
        return
    first_speaker: int | None = None
    for f in frames:
        if f.mention is not None and (first_speaker is None or f.mention.start < first_speaker):
            first_speaker = f.mention.start
    for x, (start, end, name, possessive) in enumerate(runs):
        if _span_at(spans, start, start + 1) is not None:
            continue
        if first_speaker is not None and start >= first_speaker:
            return
        if start == s and x + 1 < len(runs) and " " in name and " " in runs[x + 1][2] \
                and _AND_BETWEEN.fullmatch(text, end, runs[x + 1][0]) and not runs[x + 1][3]:
            # "Tore Sohlberg and Lehla Abreder work at the café": the two are the next "they"
            resolver.note(start, text[start:runs[x + 1][1]], plural=True)
            return
        if possessive or name.isupper():
            return  # "Lee’s aides ...", "ROADS BLOCKED" (a heading): no subject named
        if _after_preposition(text, s, start):
            continue  # "During his shift at Ramallah Hospital, he ...": the object of "at", no subject
        if " " in name or resolver.fullest(name) != name or (start == s and _APPOSITIVE_AFTER.match(text, end)):
            resolver.note(start, name)  # (a one-word name too, when a description follows: "Yuni, a resident of ...,")
            return
        if start - s > 40:
            return


_AND_BETWEEN: Final = re.compile(r"[ \t]+and[ \t]+")
_APPOSITIVE_AFTER: Final = re.compile(r",[ \t]+(?:a|an|the)[ \t]+[a-z]")


def _after_preposition(text: str, s: int, start: int) -> bool:
    """Whether the name at `start` is the object of a preposition: "at [Ramallah Hospital]",
    "after the [Paris Accord]"."""
    words = text[max(s, start - 24):start].lower().split()
    if words and words[-1] in DETERMINERS:
        words = words[:-1]
    return bool(words) and words[-1] in _PREPOSITIONS


def _list_labels(text: str, paras: list[tuple[int, int]]) -> set[str]:
    """The labels of a list of sections ("Federal: ...", "Oregon: ...", "California: ..."):
    one-word labels before a colon that open two paragraphs or more. Such a label is a
    heading, never a speaker, however often the article names it."""
    labels: set[str] = set()
    for a, b in paras:
        colon = text.find(":", a, min(b, a + 25))
        if colon > a:
            word = text[a:colon]
            if word.isalpha() and word[0].isupper() or (" " in word and all(w[:1].isupper() for w in word.split())
                                                        and len(word.split()) <= 2):
                labels.add(word)
    return labels if len(labels) >= 2 else set()


def _speaking_label(m: Mention | None, resolver: Resolver) -> bool:
    """Whether a headline's label speaks: a full name or an organisation ("Ana Ruiz: ...",
    "Harbour Board: ..."), a single name the article names again ("Graham: ..."), or a source
    noun ("Poll: ..."). A section heading's one word ("Federal: ...") is none of these."""
    if m is None:
        return False
    if m.kind != "name" or not m.name:
        return is_speaker_noun(m.text.split()[-1].lower())
    return " " in m.name or is_organisation(m.name) or resolver.counts.get(m.name, 0) >= 2 \
        or resolver.fullest(m.name) != m.name


def _definite_description(phrase: str) -> bool:
    """ "the ministry", "the union", "the Calgary-based railway": "the", at most two modifiers
    and an organisation's word or kind. (A person's description, "the New York businessman",
    is as often someone new: "the announcer", "the ad’s narrator"; those stay unresolved.)"""
    words = phrase.lower().split()
    return 2 <= len(words) <= 4 and words[0] == "the" and (
        is_organisation(words[-1]) or words[-1] in ORG_KINDS)


def _introduced(phrase: str) -> bool:
    """ "A Vancouver peewee hockey coach", "One former director": a person the article
    introduces by a description before it names them (a news story's delayed lead)."""
    words = phrase.split()
    if len(words) < 2 or words[0].lower() not in ("a", "an", "one") or any(w.lower() in ("of", "for", "from", "with") for w in words):
        return False
    head = words[-1].lower()
    return is_speaker_noun(head) and not is_organisation(head) and head not in ORG_KINDS and not head.endswith("s") \
        and head not in _DOCUMENT_NOUNS and head not in _ANONYMOUS_NOUNS  # (a spokesman stays unnamed)


_NEXT_NAME: Final = re.compile(r"(?:^|(?<=[.!?”\"]\s)|(?<=\n))(?:(?:Dr|Mr|Mrs|Ms|Justice|Judge|Prof)\.?\s+)?"
                               r"((?:[A-Z][a-z’'-]+\s+){1,2}[A-Z][a-z’'-]+)\s+(?:[a-z]|,)", re.M)


def _named_next(text: str, end: int, resolver: Resolver) -> str | None:
    """The full name that opens the next sentence or paragraph after an introduced person's, if
    the article has not named that person before: "A Vancouver peewee hockey coach says ...
    Stephen Gillis said the video ..."."""
    stop = text.find(".", end)
    if stop < 0:
        return None
    m = _NEXT_NAME.search(text, stop + 1, min(len(text), stop + 400))
    if m is None:
        return None
    name = m.group(1)
    if is_organisation(name) or name.split()[-1] in text[:end] or resolver.fullest(name) != name:
        return None  # (named before: someone else)
    return name


def _described_by_affiliation(text: str, m: Mention) -> str | None:
    """The description before a name joined by "from", "of", "at" or "with", when the mention
    opens with a determiner: "a doctor from Hebron" -> "a doctor"; else None. ("A spokesperson
    for the Home Office" speaks for it: the name stays.)"""
    if m.kind != "name" or not m.name or m.name_start is None or m.name_start <= m.start:
        return None
    before = text[m.start:m.name_start].split()
    if before and before[-1].lower() == "the":
        before.pop()  # "the president of [the] European Council"
    if len(before) < 3 or before[0].lower() not in ("a", "an", "the", "one") or \
            before[-1].lower() not in ("from", "of", "at", "with"):
        return None
    return " ".join(before[:-1])


def _epithet(phrase: str) -> bool:
    """ "the bow-tied maverick", "the affable proprietor", "the 52-year-old Cambridge resident":
    "the", one to three modifiers and one person's noun. A writer introduces someone new with
    "a"; "the" and a describing word point back at the person last named. A role ("the
    Republican nominee", "the announcer") is by_role's or unresolved, as is an organisation."""
    words = phrase.split()
    if not 3 <= len(words) <= 5 or words[0].lower() != "the" or not words[-1].islower():
        return False
    head = words[-1]
    if is_organisation(head) or head in ORG_KINDS or head.endswith("s") or is_title(head) or head in _DOCUMENT_NOUNS \
            or any(w.endswith(("’s", "'s")) for w in words):
        return False  # "the Republican nominee", "the band leader": a role (by_role); "the ad's narrator"
    return any(w.islower() and w not in _EPITHET_NOT for w in words[1:-1])


_EPITHET_NOT: Final = lexicon.section("grammar_engine.txt", "epithet_not")


def _span_at(spans: list[Span], s: int, e: int) -> Span | None:
    """A quotation overlapping text[s:e], found by bisection (paragraphs can hold thousands)."""
    if not spans:
        return None
    k = bisect_right(_opens(spans), s) - 1
    if k >= 0 and spans[k].close > s:
        return spans[k]
    if k + 1 < len(spans) and spans[k + 1].open < e:
        return spans[k + 1]
    return None




def _has_cue(text: str, s: int, e: int) -> bool:
    return has_cue_word(text, s, e, _UNSOURCED)


_APPOSITIVE_ROLE: Final = re.compile(r",[ \t]+(?:\d{1,3},[ \t]+)?(?:the|a|an)[ \t]+([^,.;:()“”‘\"]{1,50}?)(?:,|\.(?:\s|$)|$)")
_FRONTED_ROLE: Final = re.compile(r"(?:^|(?<=[.;:!?][ \t]))(?:The|A|An)[ \t]+([^,.;:()“”‘\"]{1,60}),[ \t]*\Z", re.M)


def _speaker(text: str, toks: list[Token], m: Mention | None, resolver: Resolver) -> dict[str, Any]:
    if m is None:
        return {}
    who: dict[str, Any] = {"speaker": m.text, "speaker_start": m.start, "speaker_end": m.end, "role": m.role}
    name = None
    described = _described_by_affiliation(text, m)
    author = _document_from(m.text) if m.kind in ("noun", "name") else None
    if author is not None:
        name = resolver.note(m.start, author)  # "A statement from the EU": the EU's words
    elif described is not None:
        # "a doctor from Hebron", "the president of the European Council": the name is where
        # the person is from, not who they are; the one person of that role, else no one
        name = resolver.by_role(described)
        if name:
            resolver.note(m.start, name)
    elif m.kind == "name" and m.name and " " not in m.name and m.text.lower() == "the " + m.name.lower() \
            and not is_organisation(resolver.fullest(m.name)):
        name = m.name  # "the House", "the Post": an institution, never a person's surname
    elif m.kind == "name" and m.name:
        if (m.role or "").lower() in ("sir", "dame") and " " not in m.name:
            name = resolver.by_first(m.name)  # "Dame Ana" after "Dame Ana Ruiz"
        name = resolver.note(m.start, name or m.name)
    elif m.kind == "pronoun":
        name = resolver.pronoun(m.text, m.start)
        if name is not None and m.text.lower() in ("he", "she"):
            resolver.note(m.start, name)  # the one who speaks stays the nearest for the next "he"
    elif m.kind == "relative":
        x = m.i - 1
        if x >= 0 and toks[x].text == ",":
            x -= 1
        ante = back(text, toks, x) if x >= 0 else None
        if ante is not None and ante.kind == "name" and ante.name:
            name = resolver.note(ante.start, ante.name)
            who["role"] = ante.role
        elif ante is not None and ante.kind == "pronoun":
            name = resolver.pronoun(ante.text, ante.start)
        elif ante is not None and ante.kind == "noun" and ante.text.lower() not in QUANTIFIERS:
            name = ante.text  # "the state attorney who charged ...": the best name the text gives
    elif m.kind == "noun" and m.plural:
        if _people(m.text):
            resolver.note(m.start, m.text, plural=True)  # "they" may stand for them next
    elif m.kind == "noun" and " " not in m.text and m.text[:1].isupper() \
            and not is_organisation(resolver.fullest(m.text)):
        name = resolver.note(m.start, resolver.fullest(m.text))  # "says House": Christopher House
    elif m.kind == "noun" and _owned_document(m.text):
        # "Her statement said ...": the statement speaks for whoever "her" is
        owner = m.text.split(None, 1)[0].lower()
        name = resolver.pronoun(_OWNER_PRONOUNS[owner], m.start)
    elif m.kind == "noun":
        name = resolver.by_role(m.text)  # "the minister": the one minister named before
        if name:
            who["role"] = m.text.split(None, 1)[1]
            resolver.note(m.start, name)
        else:
            name = resolver.by_age(m.text)  # "the 52-year-old": the one person of that age
            if name:
                resolver.note(m.start, name)
            elif _definite_description(m.text):
                name = resolver.by_kind(m.text, m.start) or resolver.described(m.text.split()[-1], m.start)
            elif _epithet(m.text) and any(toks[x].quote is not None for x in range(max(0, m.i - 3), min(len(toks), m.j + 3))):
                name = resolver.epithet(m.start)  # "“...,” says the bow-tied maverick": a feature's epithet
                if name:
                    resolver.note(m.start, name)
            elif _introduced(m.text):
                name = _named_next(text, m.end, resolver)
                if name:
                    who["role"] = m.text.split(None, 1)[1]
    if who.get("role") and who["role"].lower() in HONORIFICS:
        who["role"] = None  # "Ms Patel": a form of address, not a role
    if m.kind == "name" and who.get("role") is None:
        app = _APPOSITIVE_ROLE.match(text, m.end, min(len(text), m.end + 80))
        if app:
            who["role"] = app.group(1)  # "Ms Patel, the home secretary, insisted"
        elif text.startswith(",", m.end):  # closed like an appositive: not "The day after, X said"
            front = _FRONTED_ROLE.search(text, max(0, m.start - 80), m.start)
            if front:
                who["role"] = front.group(1)  # "The council's leader, Jan Olsen, said"
    if name and name.lower() in ("he", "she", "they", "it", "who", "i", "we", "you", "which", "that"):
        name = None  # never a bare pronoun as a name
    if name and name[:1].isupper() and (is_organisation(name) or resolver.known_organisation(name)
                                        or name.replace(".", "").isupper()) \
            and resolver.written_with_the(text, name):
        name = "the " + name  # "the EU", "the Transportation Safety Board": the name as the article gives it
    who["speaker_name"] = name
    if name and resolver.known_organisation(name.removeprefix("the ")):
        who["organisation"] = True
    return who


def _quote(text, toks, f: Frame, who: dict[str, Any], kind: str, qs: int, qe: int, published) -> Quote:
    c = f.cue
    ctx_lo, ctx_hi = f.lo, f.hi
    cue = cue_s = cue_e = None
    addressee = venue = place = when = None
    if c is not None:
        cue_s, cue_e = toks[c.i].start, toks[c.j - 1].end
        cue = text[cue_s:cue_e]
        # the attribution part: from the sentence start or speaker to the content, or after it
        ct0, ct1 = f.content_tokens
        parts = [(0, ct0), (ct1, len(toks))] if ct1 > ct0 else [(0, len(toks))]
        for lo, hi in parts:
            if hi <= lo:
                continue
            addressee = addressee or context.addressee(text, toks, lo, hi, c.i if lo <= c.i < hi else None,
                                                       c.j if lo <= c.i < hi else None, c.cls == "tell")
            venue = venue or context.venue(text, toks[lo].start, toks[hi - 1].end)
            place = place or context.place(text, toks, lo, hi)
            when = when or context.utterance_date(toks, lo, hi, published)
    q = Quote(
        start=qs, end=qe, text=text[qs:qe], kind=kind,
        speaker=who.get("speaker"), speaker_start=who.get("speaker_start"), speaker_end=who.get("speaker_end"),
        speaker_name=who.get("speaker_name"), role=who.get("role"),
        cue=cue, cue_start=cue_s, cue_end=cue_e,
        addressee=addressee, venue=venue, place=place, date=when, rule=f.rule,
    )
    if c is not None and kind == "indirect" and c.lemma in _STANCE:
        q.extra["stance"] = True  # a belief or a wish, not speech: see extract_quotes
    if who.get("organisation"):
        q.speaker_type = "organisation"  # the article said so: "carmaker Nissan", "(IRCC)"
    return q


def _floating(text: str, qs: int, qe: int, who: dict[str, Any], kind: str, rule: str) -> Quote:
    return Quote(
        start=qs, end=qe, text=text[qs:qe], kind=kind,
        speaker=who.get("speaker"), speaker_start=who.get("speaker_start"), speaker_end=who.get("speaker_end"),
        speaker_name=who.get("speaker_name"), role=who.get("role"), rule=rule,
    )


def _generic_mention(text: str, toks: list[Token], i: int, j: int) -> Mention | None:
    """Any phrase as a source: "polling by the union", "early results of the exit poll"."""
    from .speakers import _build
    if j <= i:
        return None
    return _build(text, toks, i, j)
