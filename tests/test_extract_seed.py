"""The engine on the seed article in seeds/ (read from the repo, never from the gold files)."""
from quotes.extract import extract_quotes


def by_cue(quotes, cue):
    return [q for q in quotes if q.cue == cue]


def test_direct_quote_pronoun_resolves_to_full_name_with_venue(seed_text):
    quotes = extract_quotes(seed_text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert q.speaker == "he" and q.speaker_name == "Qasym-Zhomart Toqaev"
    assert q.venue == "press conference" and q.cue == "said"
    assert q.text.startswith("[I] know all about this ‘kitchen’")


def test_surname_resolves_and_role_is_split(seed_text):
    quotes = extract_quotes(seed_text)
    (warned,) = by_cue(quotes, "warned")
    assert (warned.speaker_name, warned.role) == ("Giorgi Tsereteli", "OSCE delegation head")
    assert warned.kind == "mixed"
    (underlined,) = by_cue(quotes, "underlined")
    assert underlined.speaker == "Toqaev" and underlined.speaker_name == "Qasym-Zhomart Toqaev"
    (alleged,) = by_cue(quotes, "alleged")
    assert alleged.speaker_name == "Mukhtar Ablyazov"


def test_addressee_place_and_floating_speaker(seed_text):
    quotes = extract_quotes(seed_text)
    (attributed,) = by_cue(quotes, "attributed")
    assert (attributed.addressee, attributed.place) == ("Current Time", "London")
    following = quotes[quotes.index(attributed) + 1]
    assert following.kind == "mixed" and following.speaker_name == "Mukhtar Ablyazov"
    (told,) = by_cue(quotes, "told")
    assert told.addressee == "Current Time" and told.speaker_name == "Asem Zhapisheva"


def test_every_he_is_resolved(seed_text):
    for q in extract_quotes(seed_text):
        if q.speaker in ("he", "she"):
            assert q.speaker_name, q
