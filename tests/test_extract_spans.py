"""Quotation marks -> spans: every convention, apostrophes, unbalanced marks (sentences of our own)."""
import pytest

from quotes.extract.spans import find_spans
from quotes.extract.sentences import split_sentences


def inside(text):
    return [text[s.start:s.end] for s in find_spans(text)]


@pytest.mark.parametrize("text,expected", [
    ("She said “the tide is out” and left.", ["the tide is out"]),
    ('She said "the tide is out" and left.', ["the tide is out"]),
    ("He wrote «la marée est basse» hier.", ["la marée est basse"]),
    ("Er sagte „die Flut kommt“ gestern.", ["die Flut kommt"]),
    ("Er sagte »die Flut kommt« gestern.", ["die Flut kommt"]),
    ("''The tide is out,'' the warden said.", ["The tide is out,"]),
    ("“Call it a ‘soft’ landing,” the pilot said.", ["Call it a ‘soft’ landing,"]),
    ("The pilot said ‘we are fine’ twice.", ["we are fine"]),
    ("”The tide is out.” ― a reader in Porto", ["The tide is out."]),  # a closing mark typed as opener
])
def test_every_quotation_mark_style(text, expected):
    assert inside(text) == expected


@pytest.mark.parametrize("text", [
    "The farmers’ union met. It’s the ferrymen's day.",
    "The voters' list was long and the clerks’ patience short.",
])
def test_apostrophes_are_not_quotation_marks(text):
    assert inside(text) == []


def test_straight_quotes_direction_is_inferred():
    text = 'He said "yes," then "no" and "maybe."'
    assert inside(text) == ["yes,", "no", "maybe."]


def test_a_quotation_running_over_paragraphs():
    text = "“The first part of it.\n“The second part of it.\n“The end of it,” the baker said."
    spans = find_spans(text)
    assert [text[s.start:s.end] for s in spans] == ["The first part of it.", "The second part of it.",
                                                    "The end of it,"]
    assert spans[0].runs_on and spans[1].continued and spans[1].runs_on and spans[2].continued


def test_an_unbalanced_mark_spoils_only_its_paragraph():
    text = "The mayor said “we will rebuild the pier.\nLater, “the ferry runs at noon,” a clerk said."
    assert inside(text) == ["the ferry runs at noon,"]


def test_sentences_do_not_split_inside_quotations_or_after_abbreviations():
    text = "“It is late. Go home,” Dr. Rowe said. Gov. Hill agreed."
    sents = split_sentences(text, 0, len(text), find_spans(text))
    assert [text[a:b] for a, b in sents] == ["“It is late. Go home,” Dr. Rowe said.", "Gov. Hill agreed."]


def test_a_million_unbalanced_marks_is_linear():
    text = ("he said “ and ‘ then \" again " * 40000)[:1_000_000]
    spans = find_spans(text)
    assert all(0 <= s.start <= s.end <= len(text) for s in spans)
