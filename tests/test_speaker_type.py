"""Every speaker has a type: person, organisation, group, anonymous or document (issue 10)."""
import pytest

from quotes.extract import extract_quotes
from quotes.model import Quote
from quotes.speaker_type import TYPES, speaker_type


@pytest.mark.parametrize("text,kind", [
    ("Lena Brook said the pier would reopen in May.", "person"),
    ("The Harbour Ministry said the pier would reopen in May.", "organisation"),
    ("A police spokesman said the pier would reopen in May.", "anonymous"),
    ("People familiar with the talks said the pier would reopen in May.", "anonymous"),
    ("The report says the pier will reopen in May.", "document"),
    ("A statement from the council said the pier would reopen in May.", "document"),
    ("Critics say the pier will never reopen.", "group"),
    ("Lena Brook met the crews. She said the pier would reopen in May.", "person"),
])
def test_the_engine_types_each_speaker(text, kind):
    quotes = extract_quotes(text)
    assert quotes and quotes[-1].speaker_type == kind


@pytest.mark.parametrize("mention,name,kind", [
    ("it", None, "organisation"),
    ("they", None, "group"),
    ("the mayor", "Ana Ruiz", "person"),     # resolved to the one mayor the article named
    ("the station", None, "organisation"),
    ("sources", None, "anonymous"),
    (None, None, None),
])
def test_speaker_type_of_a_quote(mention, name, kind):
    assert speaker_type(Quote(0, 1, "x", "indirect", speaker=mention, speaker_name=name)) == kind


def test_types_are_the_documented_ones():
    assert set(TYPES) == {"person", "organisation", "group", "anonymous", "document"}


@pytest.mark.parametrize("name,kind", [
    ("Pakistan", "organisation"),
    ("Amnesty International", "organisation"),
    ("Washington", "organisation"),
    ("Nissan Motors", "organisation"),
    ("Ana Ruiz", "person"),
    ("UFCW Local 832", "organisation"),    # a name that ends in a number
    ("HRWF", "organisation"),              # an acronym
    ("J. R. Ruiz", "person"),              # initials are no acronym
])
def test_states_and_companies_are_organisations(name, kind):
    assert speaker_type(Quote(0, 1, "x", "indirect", speaker=name, speaker_name=name)) == kind


def test_a_description_of_an_organisation_resolved_to_its_name_is_an_organisation():
    text = ("Three employees with Canadian Pacific Railway were hurt on Monday.\n\n"
            "The Calgary-based railway said winter conditions are a reality in Canada.")
    [q] = extract_quotes(text)
    assert (q.speaker_name, q.speaker_type) == ("Canadian Pacific Railway", "organisation")
