"""The engine must survive any text and keep its offset contract, whatever it finds.

Property tests (hypothesis) feed extract_quotes random unicode, texts crowded with
quotation marks of every kind (unbalanced, nested, straight and curly, apostrophes),
huge paragraphs and runs of newlines, and the synthetic corpus of bench/corpus.py.
Whatever comes back must point at the text it claims to quote: a quote whose
offsets are wrong shows the reader the wrong words in Datasette.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract import extract_quotes
from quotes.model import Quote

KINDS = {"direct", "indirect", "mixed"}

_spec = importlib.util.spec_from_file_location(
    "bench_corpus", Path(__file__).resolve().parent.parent / "bench" / "corpus.py"
)
corpus = importlib.util.module_from_spec(_spec)
sys.modules["bench_corpus"] = corpus  # dataclasses look their module up while the file loads
_spec.loader.exec_module(corpus)

# Fast enough for the whole suite to stay well under a minute, no timing involved. For a
# longer hunt: QUOTES_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_robustness.py
EXAMPLES = int(os.environ.get("QUOTES_FUZZ_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

QUOTE_MARKS = ["\u201c", "\u201d", '"', "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "\u201e", "\u201a",
               "\u2039", "\u203a", "``", "''", "\u300c", "\u300d"]
WORDS = ["We", "will", "not", "wait", "the", "bridge", "opens", "soon", "it's", "don't", "Orsena",
         "Koruna", "Mayor", "Dr.", "Ms.", "he", "she", "they", "said", "told", "reporters", "warned",
         "that", "according", "to", "added", "on", "Tuesday", "in", "Velmora", "a", "spokeswoman",
         "for", "1990s'", "rock 'n' roll", "so-called"]
PUNCT = [" ", " ", " ", ",", ".", ":", ";", "?", "!", " \u2013 ", " - ", "\n", "\n\n", "\t", "\u00a0"]

quote_heavy = st.lists(st.sampled_from(QUOTE_MARKS + WORDS + PUNCT), max_size=300).map("".join)
news_like = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCT), st.sampled_from(QUOTE_MARKS + [""] * 6)),
    max_size=200,
).map(lambda parts: "".join(w + p + m for w, p, m in parts))

# Sentences shaped like attributions, with noise: these make the engine return quotes, so
# the offset checks below have something to check (random text mostly yields none).
_noise = st.one_of(st.sampled_from(QUOTE_MARKS + PUNCT + ["'s", "n't", "\u2014", "\u00e9", "\U0001F600"]),
                   st.text(max_size=3))
_content = st.lists(st.one_of(st.sampled_from(WORDS[:12] + WORDS[20:]), _noise), min_size=1, max_size=12).map(" ".join)
_speaker = st.sampled_from(["Orsena Koruna", "Koruna", "Mayor Talvi Orandel", "she", "He", "the spokeswoman",
                            "Dr. Idris Van der Holt", "Ms. O'Farrell", "Koruna, a lawyer for the families,"])
_cue = st.sampled_from(["said", "told reporters", "added", "warned", "insisted", "explained", "wrote", "claimed"])
_pair = st.sampled_from([("\u201c", "\u201d"), ('"', '"'), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"),
                         ("\u2018", "\u2019"), ("'", "'"), ("\u201c", '"'), ("\u201c", "")])


@st.composite
def _attribution(draw) -> str:
    (o, c), who, cue, body = draw(_pair), draw(_speaker), draw(_cue), draw(_content)
    form = draw(st.integers(0, 5))
    if form == 0:
        return f"{o}{body},{c} {who} {cue}."
    if form == 1:
        return f"{who} {cue}: {o}{body}.{c}"
    if form == 2:
        return f"{o}{body},{c} {who} {cue}, {o}{draw(_content)}.{c}"
    if form == 3:
        return f"{who} {cue} that {body}."
    if form == 4:
        return f"According to {who}, {body}."
    return f"{who} {cue} the plan was {o}{body}{c} and that {draw(_content)}."


attributions = st.lists(
    st.tuples(_attribution(), st.sampled_from([" ", " ", "\n", "\n\n", "\n\u201c", " \u201d", ""])), min_size=1, max_size=12
).map(lambda parts: "".join(a + sep for a, sep in parts))


def contract_violations(text: str, quotes: list[Quote]) -> list[str]:
    """Every way a returned quote can break the contract in quotes.model, as readable lines."""
    problems = []
    for q in quotes:
        where = f"quote [{q.start}:{q.end}] {q.text!r}"
        if not isinstance(q, Quote):
            problems.append(f"not a Quote: {q!r}")
            continue
        if not (isinstance(q.start, int) and isinstance(q.end, int) and 0 <= q.start <= q.end <= len(text)):
            problems.append(f"{where}: offsets outside 0..{len(text)}")
        elif text[q.start:q.end] != q.text:
            problems.append(f"{where}: text[start:end] is {text[q.start:q.end]!r}")
        if q.kind not in KINDS:
            problems.append(f"{where}: kind {q.kind!r}")
        for name in ("speaker", "cue"):
            value, s, e = getattr(q, name), getattr(q, f"{name}_start"), getattr(q, f"{name}_end")
            if (s is None) != (e is None):
                problems.append(f"{where}: {name}_start={s} but {name}_end={e}")
            elif s is not None:
                if not (0 <= s <= e <= len(text)):
                    problems.append(f"{where}: {name} offsets [{s}:{e}] outside the text")
                elif text[s:e] != value:
                    problems.append(f"{where}: {name} is {value!r} but text[{s}:{e}] is {text[s:e]!r}")
            elif value is not None:
                problems.append(f"{where}: {name} {value!r} has no offsets")
    return problems


def check(text: str) -> list[Quote]:
    quotes = extract_quotes(text)
    assert isinstance(quotes, list)
    assert contract_violations(text, quotes) == []
    return quotes


@PROPERTY
@given(attributions)
def test_attributions_with_noise(text):
    check(text)


@PROPERTY
@given(attributions, attributions)
def test_no_state_leaks_between_articles_and_order_is_the_documents(first, second):
    """Names learnt in one article must not resolve speakers in the next: same text, same quotes."""
    before = extract_quotes(first)
    extract_quotes(second)
    assert extract_quotes(first) == before
    assert [q.start for q in before] == sorted(q.start for q in before)


@PROPERTY
@given(st.text(max_size=500))
def test_any_unicode_text(text):
    check(text)


@PROPERTY
@given(quote_heavy)
def test_texts_crowded_with_quotation_marks(text):
    check(text)


@PROPERTY
@given(news_like, st.one_of(st.none(), st.dates().map(str)))
def test_news_like_fragments_with_any_published_date(text, published):
    quotes = extract_quotes(text, published)
    assert contract_violations(text, quotes) == []


@settings(max_examples=max(15, EXAMPLES // 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_like, st.integers(min_value=20, max_value=120))
def test_huge_paragraphs(fragment, times):
    """One paragraph tens of kilobytes long, with no newline to stop a search."""
    check((fragment.replace("\n", " ") + " ") * times)


@PROPERTY
@given(st.lists(st.tuples(quote_heavy, st.sampled_from(["\n", "\n\n", "\r\n", "\n" * 40, "\u2029", "\x0c"])), max_size=20))
def test_many_newlines(parts):
    check("".join(p + nl for p, nl in parts))


@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", "\u201c", "\u201d", '"', "'", "\u00ab", '""', "\u201c\u201d", "\u201c\u201c\u201c",
    'He said: "', '"We will," she said, "', "\u201cWe will not wait,\u201d said",
    "\u201eWir warten nicht,\u201c sagte sie.", "\u00abNous attendons,\u00bb a-t-elle dit.",
    "\u2018It\u2019s over,\u2019 he said.", "Ms. O'Farrell said that.", "said said said told according to",
    "\u201cA\n\n\u201cB\n\n\u201cC", "\ud800 lone surrogate said \u201cno\u201d",
])
def test_edge_cases_do_not_raise(text):
    check(text)


_CUT_SOURCES = [d.text for d in corpus.articles(20, seed=5)]


@PROPERTY
@given(st.sampled_from(_CUT_SOURCES), st.integers(0, 6000), st.integers(1, 800))
def test_articles_cut_anywhere(text, start, length):
    """Real-looking text cut at any point: mid-quote, mid-name, right after a cue verb."""
    check(text[start:start + length])


def test_synthetic_corpus_keeps_the_contract():
    """Realistic articles with every construction: any found quote must point at its words."""
    for doc in corpus.articles(40, seed=3):
        check(doc.text)


def test_pathological_slice_keeps_the_contract():
    """A slice of the benchmark's unbalanced-marks text (its speed is measured in bench/)."""
    check(corpus.pathological(40_000))


def test_the_checker_itself_catches_broken_quotes():
    """The properties above pass vacuously on an engine that finds nothing: prove the checker bites."""
    text = "Orsena Koruna said the bridge opens soon."
    good = Quote(start=19, end=40, text="the bridge opens soon", kind="indirect", speaker="Orsena Koruna",
                 speaker_start=0, speaker_end=13, cue="said", cue_start=14, cue_end=18)
    assert contract_violations(text, [good]) == []
    broken = [
        Quote(start=18, end=40, text="the bridge opens soon", kind="indirect"),
        Quote(start=19, end=99, text="the bridge opens soon", kind="indirect"),
        Quote(start=19, end=40, text="the bridge opens soon", kind="reported"),
        Quote(start=19, end=40, text="the bridge opens soon", kind="indirect", speaker="Koruna", speaker_start=0, speaker_end=6),
        Quote(start=19, end=40, text="the bridge opens soon", kind="indirect", cue="said", cue_start=14),
        Quote(start=19, end=40, text="the bridge opens soon", kind="indirect", speaker="Orsena Koruna"),
    ]
    for q in broken:
        assert len(contract_violations(text, [q])) == 1, q


def test_the_corpus_is_deterministic_and_covers_every_construction():
    """The benchmark's figures only compare across runs if its corpus is the same every time."""
    docs = corpus.articles(60)
    assert [d.text for d in docs] == [d.text for d in corpus.articles(60)]
    assert len({d.text for d in docs}) == 60
    assert all(3500 <= len(d.text) <= 6000 for d in docs)
    text = "\n".join(d.text for d in docs)
    for mark in ["\u201c", "\u201d", '"', "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e"]:
        assert mark in text, mark
    for phrase in [" told ", "according to", "According to", " that ", "so-called", "'s ", "n't"]:
        assert phrase in text, phrase
    assert "\n\u201c" in text or '\n"' in text  # a quote continued into the next paragraph
    assert len(corpus.scaled(10)) > 9 * len(corpus.scaled(1))
    patho = corpus.pathological(200_000)
    assert len(patho) == 200_000 and sum(patho.count(m) for m in QUOTE_MARKS[:10]) > 800


@pytest.mark.parametrize("kind", sorted(corpus.STRESS_UNITS))
def test_stress_texts_keep_the_contract(kind):
    """The benchmark's worst cases for each stage, small enough to run in the suite."""
    check(corpus.stress(kind, 5_000))


@pytest.mark.parametrize("text", ["He added", "\u201cWe will,\u201d he added", "The minister added", "reporters\u2029added"])
def test_text_that_ends_on_a_cue_verb(text):
    """Found by test_many_newlines: a sentence that ends on "added" with no token after it.

    An article cut short, a caption or a last line without a full stop does this. Seen at
    engine f36c454: IndexError at quotes/extract/engine.py:284 (`toks[c.j]` with c.j == len(toks)).
    """
    check(text)


def _python_calls(text: str) -> int:
    """How many Python functions extract_quotes calls: a measure of work that no load can skew."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        extract_quotes(text)
    finally:
        sys.setprofile(None)
    return calls


MULTI_PARAGRAPH = (
    "\u201cWe have waited long enough.\n\u201cNobody believes the figures.\n"
    "\u201cThe port cannot run on promises,\u201d Orsena Koruna said.\n"
)


@pytest.mark.parametrize("make", [
    pytest.param(lambda k: MULTI_PARAGRAPH * (10 * k), id="multi-paragraph quotes"),
    pytest.param(lambda k: corpus.scaled(k), id="synthetic article"),
])
def test_work_grows_linearly_with_length(make):
    """8 times the text may cost at most 12 times the calls (counted, not timed).

    Found at engine 46be13d: _attribute_run_ons in quotes/extract/engine.py calls
    out.remove(q) once per multi-paragraph quotation, a scan of every quote found so far
    comparing dataclasses field by field: quadratic. 57 KB of such quotes took 0.7 s,
    228 KB 8.4 s, 912 KB 177 s.
    """
    small, large = _python_calls(make(4)), _python_calls(make(32))
    assert large <= 12 * small, f"8x the text cost {large / small:.1f}x the work"


# pieces of words and what sits between them: white space of every kind (str.split and re's \s
# must agree), word characters that are not letters (digits, "_", combining marks), apostrophes,
# the joiners inside words ("-", "&", ".") and the punctuation that wraps words
TOKEN_PIECES = st.sampled_from(
    ["ab", "Z9", "s", "_", "é", "\u0301", "٣", "ß"] + list("-&.’'\"“”‘,;:!?()[]{}«»‹›—–")
    + [" ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000"])
TOKEN_TEXTS = st.lists(TOKEN_PIECES, max_size=40).map("".join)


@settings(PROPERTY, max_examples=EXAMPLES * 10)  # about a millisecond each; the cases are rare
@given(TOKEN_TEXTS, st.integers(0, 4), st.integers(0, 4))
def test_chunked_tokens_are_the_token_pattern_matches(text, cut_start, cut_end):
    """`scan_words` skips the regex for plain words; it must give exactly the pattern's matches,
    in the whole text or a slice of it (a match must not look past the slice's end)."""
    from quotes.extract.sentences import _TOKEN, scan_words

    a = min(cut_start, len(text))
    b = max(a, len(text) - cut_end)
    expected = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, a, b)]
    assert [(t.start, t.end, t.text) for t in scan_words(text, a, b)] == expected


@settings(PROPERTY, max_examples=EXAMPLES * 10)
@given(TOKEN_TEXTS, st.integers(0, 4), st.integers(0, 4))
def test_stop_runs_are_the_runs_of_stops(text, cut_start, cut_end):
    """`_stop_runs` finds the stops with str.find; they must be the runs a regex finds."""
    import re

    from quotes.extract.sentences import _stop_runs

    a = min(cut_start, len(text))
    b = max(a, len(text) - cut_end)
    assert _stop_runs(text, a, b) == [m.span() for m in re.compile(r"[.!?;]+").finditer(text, a, b)]
