"""An invented week of news from five outlets, for the tests of linking across articles.

One quote travels: first seen in the Steppe Times on 1 March, reported word for word by the
Northern Wire, trimmed by the Valley Courier, reworded by the Harbour Gazette and given to
the wrong person by the Coastal Ledger. The speakers cover every variant linking must
handle: transliterations (Qasym-Zhomart Toqaev / Kassym-Jomart Tokayev), a title, a
middle initial, diacritics and case, a bare surname with one owner (Ruiz) and with two
(Olenska: Marta and Piotr), two people with similar names quoted side by side (Ivan
Petrov and Ivan Petrova), names too short to join (Lena Kim, Lena Kin) and one
organisation under three names.

Each quote is (words, kind, name as the engine resolved it); the article text is built
from them, so the offsets are exact. `save_all` stores them through quotes.store and
links each one as ingest does.
"""
from __future__ import annotations

TRAVELLER = "We will not raise taxes on working families while I am president"
TRIMMED = "We will not raise taxes on working families"
REWORDED = "We will never raise taxes on working families while I am president"
REFORMS = "The reforms will continue at the pace that the people choose"

ARTICLES = [
    ("Steppe Times", "2024-03-01", "President rules out new taxes", [
        (TRAVELLER, "direct", "Qasym-Zhomart Toqaev"),
        (REFORMS, "direct", "Toqaev"),
        ("the harbour budget would be balanced by the autumn", "indirect", "Ana Ruiz"),
        ("the embassy had received no request for talks", "indirect", "the State Department"),
        ("No comment", "direct", "Mayor Marta Olenska"),
    ]),
    ("Northern Wire", "2024-03-02", "Tax pledge repeated", [
        (TRAVELLER, "direct", "Kassym-Jomart Tokayev"),
        ("the pension reform would be put to a referendum in the autumn", "indirect", "Kassym-Jomart Tokayev"),
        ("the city council would vote on the harbour plan next month", "indirect", "Ana M. Ruiz"),
        ("the union will strike if the yard closes before the summer", "indirect", "Tomás Brenner"),
        ("his brother had never spoken to the minister about the contract", "indirect", "Piotr Olenska"),
        ("the fishing quota must be shared fairly between the two ports", "indirect", "Lena Kim"),
    ]),
    ("Valley Courier", "2024-03-03", "Taxes and the harbour", [
        (TRIMMED, "direct", "Tokayev"),
        ("the workers deserve a clear answer from the yard owners this week", "indirect", "TOMAS BRENNER"),
        ("the grain prices would fall once the new rail line opens", "indirect", "Ivan Petrov"),
        ("the new rail line would not open before the end of next year", "indirect", "Ivan Petrova"),
        ("the crews had finished the survey of the old harbour wall", "indirect", "Dr. Ana Ruiz"),
    ]),
    ("Harbour Gazette", "2024-03-05", "A promise on taxes", [
        (REWORDED, "direct", "President Kassym-Jomart Tokayev"),
        ("the department would send an observer to the harbour talks", "indirect", "U.S. State Department"),
        ("the family would not comment on the contract until the audit", "indirect", "Olenska"),
        ("the rail line was the most important project in the region", "indirect", "Ivan Petrov"),
        ("the catch had been smaller than in any year since the war", "indirect", "Lena Kin"),
    ]),
    ("Coastal Ledger", "2024-03-07", "Mayor on taxes", [
        (TRAVELLER, "direct", "Marta Olenska"),
        ("the wall would be rebuilt with stone from the old quarry", "indirect", "Ruiz"),
        ("officials were following the harbour dispute closely", "indirect", "State Department"),
    ]),
]

# What linking must make of these names: each entity's canonical name -> its aliases.
EXPECTED_ENTITIES = {
    "Kassym-Jomart Tokayev": {"Kassym-Jomart Tokayev", "Qasym-Zhomart Toqaev", "Toqaev", "Tokayev",
                              "President Kassym-Jomart Tokayev"},
    "Ana Ruiz": {"Ana Ruiz", "Ana M. Ruiz", "Dr. Ana Ruiz", "Ruiz"},
    "Tomás Brenner": {"Tomás Brenner", "TOMAS BRENNER"},
    "Marta Olenska": {"Marta Olenska", "Mayor Marta Olenska"},
    "Piotr Olenska": {"Piotr Olenska"},
    "Olenska": {"Olenska"},  # two Olenskas: the bare surname stays apart
    "Ivan Petrov": {"Ivan Petrov"},  # quoted beside Ivan Petrova: two people
    "Ivan Petrova": {"Ivan Petrova"},
    "Lena Kim": {"Lena Kim"},  # too short a surname for a fuzzy link
    "Lena Kin": {"Lena Kin"},
    "State Department": {"the State Department", "U.S. State Department", "State Department"},
}


# Names linking must keep apart, in articles of their own: a news wire with a person's surname
# (Calder, whose other name, Calder News, only a later article may give), two people named
# together, and a person whose bare surname an outlet shares (Marsh, reached through "he": a person).
APART_ARTICLES = [
    ("Harbour Gazette", "2024-04-01", "Port trade falls", [
        ("the port had lost a third of its trade since January", "indirect", "Calder"),
        ("the dredging contract had gone to the lowest bidder", "indirect", "Owen Marsh"),
    ]),
    ("Steppe Times", "2024-04-02", "Boatyard for sale", [
        ("the council had not yet seen the harbour accounts", "indirect", "Ines Calder"),
        ("the family would sell the boatyard before the winter", "indirect", "Ines and Tomas Calder"),
        ("the ferry timetable would change in the summer", "indirect", "Marsh", "he"),
    ]),
    ("Valley Courier", "2024-04-03", "Tolls from May", [
        ("the new tolls would be collected from the first of May", "indirect", "Calder News"),
        ("the harbour master had resigned on Friday evening", "indirect", "Marsh Radio"),
    ]),
]

APART_EXPECTED = {  # canonical name -> (aliases, type)
    "Calder": ({"Calder"}, "organisation"),
    "Calder News": ({"Calder News"}, "organisation"),
    "Ines Calder": ({"Ines Calder"}, "person"),
    "Ines and Tomas Calder": ({"Ines and Tomas Calder"}, "group"),
    "Owen Marsh": ({"Owen Marsh", "Marsh"}, "person"),
    "Marsh Radio": ({"Marsh Radio"}, "organisation"),
}


def article_text(quotes) -> str:
    """Each quote is (words, kind, name) or (words, kind, name, mention): the mention is what the
    text says ("he"), the name what the engine resolved it to."""
    paragraphs = []
    for words, kind, name, *mention in quotes:
        said = _written(kind, mention[0] if mention else name)
        if kind == "direct":
            paragraphs.append(f"\u201c{words},\u201d {said} said.")
        else:
            paragraphs.append(f"{said} said that {words}.")
    return "\n\n".join(paragraphs)


def _written(kind: str, mention: str) -> str:
    """The mention as the text writes it: opening a sentence, with a capital."""
    return mention if kind == "direct" else mention[:1].upper() + mention[1:]


def build(outlet: str, date: str, title: str, quotes):
    """(Article, [Quote]) with offsets found in the text."""
    from quotes.model import Article, Quote

    text = article_text(quotes)
    found, at = [], 0
    for words, kind, name, *said in quotes:
        written = _written(kind, said[0] if said else name)
        start = text.index(words, at)
        mention = text.index(written, at)
        found.append(Quote(start=start, end=start + len(words), text=words, kind=kind, speaker=written,
                           speaker_start=mention, speaker_end=mention + len(written), speaker_name=name,
                           cue="said", rule="test"))
        at = start + len(words)
    return Article(text=text, title=title, outlet=outlet, published=date, url=None), found


def save_all(db, articles=ARTICLES, link_each: bool = True) -> list[int]:
    """Store the articles as ingest does (and link each one, unless told not to); their ids."""
    from quotes import link, store

    ids = []
    for outlet, date, title, quotes in articles:
        article, found = build(outlet, date, title, quotes)
        result = store.save_article(db, article, found, "test")
        if link_each:
            link.after_saved(db, [result])
        ids.append(result.article_id)
    return ids


def entities(db) -> dict[str, set[str]]:
    """Each speaker's name -> the aliases pointing at it."""
    out: dict[str, set[str]] = {}
    for name, alias in db.execute(
            "select s.name, a.name from speakers s join speaker_aliases a on a.speaker_id = s.id"):
        out.setdefault(name, set()).add(alias)
    return out
