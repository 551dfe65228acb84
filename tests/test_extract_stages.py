"""The engine's stages one by one: cues, speakers, names, context (sentences of our own)."""
import pytest

from quotes.extract.context import utterance_date, venue
from quotes.extract.cues import find_cues
from quotes.extract.resolve import Resolver, name_runs
from quotes.extract.sentences import tokenize
from quotes.extract.spans import find_spans
from quotes.extract.speakers import back, forward


def toks(text):
    return tokenize(text, 0, len(text), find_spans(text))


@pytest.mark.parametrize("text,expected", [
    ("The ferryman said it twice.", ["say"]),
    ("She pointed out that the tide was high.", ["point out"]),
    ("According to the clerk, the tide was high.", ["according to"]),
    ("The Harbour Post printed it.", []),          # a capitalised name, not the verb "post"
    ("He wants to say something.", ["want"]),      # "to say" is no cue of its own
    ("Mayor Says Pier Will Reopen Soon", ["say"]),  # a Title Case headline
])
def test_cues(text, expected):
    assert [c.lemma for c in find_cues(toks(text))] == expected


@pytest.mark.parametrize("text,index,mention,name,role", [
    ("Harbour master Lena Brook said", 3, "Harbour master Lena Brook", "Lena Brook", "Harbour master"),
    ("a spokesman for the Harbour Board said", 5, "a spokesman for the Harbour Board", "Harbour Board",
     "spokesman"),
    ("local officials said", 1, "local officials", None, None),
    ("she said", 0, "she", None, None),
])
def test_speaker_mention_before_the_cue(text, index, mention, name, role):
    m = back(text, toks(text), index)
    assert (m.text, m.name, m.role) == (mention, name, role)


def test_speaker_mention_after_the_cue():
    text = "said Lena Brook, the harbour master"
    m = forward(text, toks(text), 1)
    assert m.text == "Lena Brook"


def test_names_and_fullest_form():
    text = "Acting Mayor Lena Brook met the press. Brook’s plan won."
    r = Resolver()
    r.learn(text, 0, name_runs(text, 0, len(text)))
    assert r.fullest("Brook") == "Lena Brook"
    assert r.fullest("Tom") == "Tom"


def test_pronoun_takes_the_last_person_not_an_organisation():
    r = Resolver()
    text = "Lena Brook spoke. The Harbour Board agreed."
    r.learn(text, 0, name_runs(text, 0, len(text)))
    r.note(0, "Lena Brook")
    r.note(18, "Harbour Board")
    assert r.pronoun("she", 40) == "Lena Brook"
    assert r.pronoun("it", 40) == "Harbour Board"


@pytest.mark.parametrize("phrase,expected", [
    ("said at a press-conference", "press conference"),
    ("said during a news conference", "press conference"),
    ("wrote in a Facebook post", "social media post"),
    ("said in an interview", "interview"),
    ("said quietly", None),
])
def test_venue_normal_form(phrase, expected):
    assert venue(phrase, 0, len(phrase)) == expected


@pytest.mark.parametrize("text,published,expected", [
    ("said on Tuesday", "2024-03-07", "2024-03-05"),     # the Tuesday before a Thursday
    ("said on Thursday", "2024-03-07", "2024-03-07"),
    ("said yesterday", "2024-03-07", "2024-03-06"),
    ("said on March 2", "2024-03-07", "2024-03-02"),
    ("said on December 30", "2024-01-02", "2023-12-30"),  # last year's December
    ("said on Tuesday", None, None),
])
def test_utterance_date(text, published, expected):
    t = toks(text)
    assert utterance_date(t, 0, len(t), published) == expected


def test_names_in_any_alphabet():
    text = "Acting President Łukasz Wąsik met Élise Dupont and Бекжан Серіков."
    assert [r[2] for r in name_runs(text, 0, len(text))] == ["Łukasz Wąsik", "Élise Dupont", "Бекжан Серіков"]
