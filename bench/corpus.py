"""A synthetic news corpus for benchmarks and robustness tests.

Why synthetic: the gold corpora may not be copied into the project, and a benchmark
needs thousands of articles that exercise every construction the engine handles
(every quotation-mark style, split and multi-paragraph quotes, reported speech,
"according to", pronouns, titles, apostrophes, scare quotes) plus plain narrative.
Every name, place and sentence here is invented. The same seed always gives the
same texts, so figures from two runs are comparable.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

FIRST = [
    "Talvi", "Orsena", "Bexley", "Marit", "Quillan", "Idris", "Sorcha", "Ewan", "Lisbet", "Tomasz",
    "Anouk", "Rafferty", "Yelena", "Caspian", "Noor", "Dagny", "Ilario", "Petra", "Joaquim", "Wren",
    "Ottoline", "Bram", "Saoirse", "Kasimir", "Imke", "Lorcan", "Zofia", "Thaddeus", "Mireille", "Oskar",
]
LAST = [
    "Orandel", "Koruna", "Vasquel", "Brightwater", "Dunmore", "Halvorsen", "Oyelaran", "Pemberly",
    "Strand", "Achterberg", "Marrow", "Quenby", "Castellane", "Ferrow", "Lindqvast", "Ostrova",
    "Tamberlin", "Wick", "Zelenko", "Harrowgate", "Okonkwe", "Delacroix-Penn", "Mbeki-Ross", "O'Farrell",
    "Van der Holt", "St. Aubyn", "Nakamura-Low", "Ellery", "Prusk", "Gantt",
]
PLACES = ["Velmora", "Port Anselm", "Drisk", "Oldmarch", "Castellon Bay", "Ferrowick", "New Tessaly", "Ambry"]
ORGS = [
    "the Velmoran Water Board", "the Harbour Authority", "the National Grain Council",
    "the Ministry of Transport", "Ferrowick Rail", "the Coastal Fisheries Union",
    "the Institute for Civic Budgets", "the Oldmarch District Court", "the Teachers' Federation",
]
ROLES = [
    "Interior Minister", "Finance Minister", "Mayor", "Senator", "Judge", "Chief Inspector",
    "Governor", "Deputy Speaker", "Professor", "General", "Ambassador", "Commissioner",
]
APPOSITIVES = [
    "a spokeswoman for {org}", "the head of {org}", "a senior economist at {org}",
    "the mayor of {place}", "a lawyer representing the families", "a member of {org}",
    "the opposition's candidate in {place}", "a retired judge", "{org}'s chief executive",
]
OUTLETS = ["The Velmora Courier", "Port Anselm Daily", "Radio Ambry", "The Oldmarch Ledger", "Tessaly Wire"]
ADDRESSEES = ["reporters", "the Courier", "Radio Ambry", "lawmakers", "a parliamentary committee", "journalists", "the crowd"]
VENUES = [
    "at a press conference", "in an interview", "in a statement", "on state television",
    "at a rally in {place}", "during a hearing", "in a radio interview", "in a post on social media",
]
CUES_PAST = [
    "said", "told", "added", "warned", "argued", "claimed", "insisted", "noted", "stressed", "explained",
    "acknowledged", "admitted", "announced", "confirmed", "denied", "suggested", "alleged", "maintained",
    "conceded", "cautioned", "predicted", "recalled", "replied", "responded", "emphasised", "underlined",
    "observed", "declared", "asserted", "remarked", "pointed out", "complained", "promised",
]
CUES_THAT = [
    "said", "warned", "argued", "claimed", "insisted", "noted", "stressed", "explained", "acknowledged",
    "admitted", "announced", "confirmed", "suggested", "alleged", "maintained", "conceded", "predicted",
    "believes", "thinks", "estimated", "reported", "wrote", "testified", "concluded", "hinted", "signalled",
]
SUBJECTS = [
    "the bridge", "the new tax on fishing boats", "the grain harvest", "the court's ruling", "the budget",
    "the ferry service", "the election", "the reform", "the strike", "the water supply", "the rail line",
    "the government", "the council", "the inquiry", "the school year", "the port's expansion",
]
PREDICATES = [
    "would be finished before the winter", "had cost far more than anyone expected", "was never properly debated",
    "would reopen in the spring", "could not go ahead without a vote", "had been delayed for three years",
    "was a victory for ordinary families", "will be reviewed by independent auditors", "should have been stopped",
    "is the only sensible choice left", "had been rushed through at night", "would cut prices by a tenth",
    "must be paid for by those who profit from it", "was unlikely to survive the summer", "had split the coalition",
    "will not change anything for farmers", "was being used as an excuse", "could double the number of jobs",
]
OPINIONS = [
    "We have waited long enough", "Nobody in this town believes the official figures any more",
    "I don't think the ministry understands what it has done", "This is not about money, it's about trust",
    "We will not be silenced", "The numbers speak for themselves", "It's a disgrace, frankly",
    "Our members are tired and they're angry", "There is no plan B", "We made mistakes and we'll fix them",
    "I have never seen anything like it in thirty years", "People can't afford to wait another winter",
    "The law is clear and the court has spoken", "Let's be honest about what went wrong",
    "You cannot run a port on promises", "Every family here has paid the price",
]
NARRATIVE = [
    "The council met for six hours on {day} and adjourned without a decision.",
    "About {n} people gathered outside the town hall in {place} on {day}.",
    "The ferry between {place} and {place2} has been cancelled {n} times this year.",
    "Prices for bread rose by {n} percent in the first quarter, official data show.",
    "The 1990s' reforms left {place} with a debt it is still paying off.",
    "Fishermen's boats lined the quay, their engines idle since the spring.",
    "Rain delayed the count in several districts of {place}.",
    "The vote is scheduled for {day}, the second in as many months.",
    "Construction crews have worked through the night to finish the first section.",
    "Shops on the main square closed early as the crowd grew.",
    "Officials in {place} did not respond to requests for comment.",
    "The report runs to {n} pages and took two years to complete.",
    "A rock 'n' roll band played near the harbour while police watched.",
    "Ticket sales at the station dropped sharply after the fares went up.",
    "It was the third such protest in {place} since {month}.",
]
SCARE = ["reform", "temporary", "voluntary", "consultation", "efficiency savings", "independent", "experts"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "April", "June", "July", "September", "October", "December"]

# Quotation-mark styles: (open, close, nested open, nested close).
MARKS = [
    ("\u201c", "\u201d", "\u2018", "\u2019"),  # “ … ‘ … ’ … ”
    ('"', '"', "'", "'"),  # "straight … 'nested' …"
    ("\u00ab", "\u00bb", "\u201e", "\u201c"),  # « … „ … “ … »
    ("\u201e", "\u201c", "\u201a", "\u2018"),  # „ … ‚ … ‘ … “
    ("\u2018", "\u2019", "\u201c", "\u201d"),  # British: ‘ … “ … ” … ’
]
# Weights: curly and straight double quotes dominate English news.
MARK_WEIGHTS = [5, 4, 1, 1, 1]


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str
    gender: str  # "f" | "m" | "x", for the pronoun that refers back

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def pronoun(self) -> str:
        return {"f": "she", "m": "he", "x": "they"}[self.gender]


@dataclass
class SyntheticArticle:
    text: str
    title: str
    outlet: str
    published: str


class _Writer:
    """One article's cast and the sentence builders that use it."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        people = set()
        while len(people) < rng.randint(3, 6):
            people.add((rng.choice(FIRST), rng.choice(LAST)))
        self.cast = [
            Person(f, l, rng.choice(ROLES), rng.choice("fmmfx")) for f, l in sorted(people)
        ]
        self.place = rng.choice(PLACES)
        self.last_speaker: Person | None = None

    # --- fragments -------------------------------------------------------
    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            org=r.choice(ORGS), place=self.place, place2=r.choice(PLACES), day=r.choice(DAYS),
            month=r.choice(MONTHS), n=r.choice([3, 12, 40, 250, 1200, 7]),
        )

    def clause(self) -> str:
        return f"{self.rng.choice(SUBJECTS)} {self.rng.choice(PREDICATES)}"

    def opinion(self, marks) -> str:
        """A sentence fit to be quoted, sometimes with a nested quotation or scare quote."""
        r = self.rng
        s = r.choice(OPINIONS)
        roll = r.random()
        if roll < 0.15:
            _, _, nopen, nclose = marks
            s += f". They called it {nopen}{r.choice(SCARE)}{nclose}, and it was nothing of the kind"
        elif roll < 0.35:
            s += f", and {self.clause()}"
        return s

    def speaker(self) -> tuple[str, Person]:
        """A mention: full name with role or appositive on first use, then surname or pronoun."""
        r = self.rng
        p = r.choice(self.cast)
        if p is self.last_speaker and r.random() < 0.5:
            mention = p.pronoun.capitalize()
        elif r.random() < 0.3:
            mention = f"{p.role} {p.name}"
        elif r.random() < 0.3:
            mention = f"{p.name}, {self.fill(r.choice(APPOSITIVES))},"
        elif r.random() < 0.5:
            mention = p.last
        else:
            mention = p.name
        self.last_speaker = p
        return mention, p

    def marks(self):
        return self.rng.choices(MARKS, MARK_WEIGHTS)[0]

    # --- sentences -------------------------------------------------------
    def direct_after(self) -> str:
        """“Quote,” X said.  /  “Quote,” said X, addressing someone."""
        r, m = self.rng, self.marks()
        mention, _ = self.speaker()
        mention = mention.rstrip(",")
        if mention in ("He", "She", "They"):
            mention = mention.lower()
        cue = r.choice(CUES_PAST)
        tail = ""
        if cue == "told":
            tail = f" {r.choice(ADDRESSEES)}"
        elif r.random() < 0.3:
            tail = " " + self.fill(r.choice(VENUES))
        if r.random() < 0.4 and mention[0].isupper():
            return f"{m[0]}{self.opinion(m)},{m[1]} {cue} {mention}{tail}."
        return f"{m[0]}{self.opinion(m)},{m[1]} {mention} {cue}{tail}."

    def direct_before(self) -> str:
        """X said: “Quote.”"""
        r, m = self.rng, self.marks()
        mention, _ = self.speaker()
        sep = r.choice([":", ",", ": "])
        return f"{mention} {r.choice(['said', 'added', 'told reporters', 'wrote'])}{sep.rstrip()} {m[0]}{self.opinion(m)}.{m[1]}"

    def split_quote(self) -> str:
        """“First half,” X said, “second half.”"""
        r, m = self.rng, self.marks()
        mention, _ = self.speaker()
        mention = mention.rstrip(",")
        if mention in ("He", "She", "They"):
            mention = mention.lower()
        first, second = r.choice(OPINIONS), r.choice(OPINIONS)
        return f"{m[0]}{first},{m[1]} {mention} {r.choice(CUES_PAST)}, {m[0]}{second[0].lower()}{second[1:]}.{m[1]}"

    def indirect(self) -> str:
        """X said (that) clause. / X told Y that clause."""
        r = self.rng
        mention, _ = self.speaker()
        roll = r.random()
        if roll < 0.25:
            return f"{mention} told {r.choice(ADDRESSEES)} that {self.clause()}."
        if roll < 0.45:
            mention = mention.rstrip(",")
            if mention in ("He", "She", "They"):
                mention = mention.lower()
            return f"{_cap(self.clause())}, {mention} {r.choice(['said', 'argued', 'warned', 'believes'])}."
        that = " that" if r.random() < 0.7 else ""
        venue = (" " + self.fill(r.choice(VENUES))) if r.random() < 0.3 else ""
        return f"{mention} {r.choice(CUES_THAT)}{venue}{that} {self.clause()}."

    def according_to(self) -> str:
        r = self.rng
        p = r.choice(self.cast)
        src = r.choice([p.name, f"{p.role} {p.last}", self.fill(r.choice(ORGS)), f"a report by {r.choice(ORGS)}"])
        if r.random() < 0.5:
            return f"According to {src}, {self.clause()}."
        return f"{_cap(self.clause())}, according to {src}."

    def mixed(self) -> str:
        """X said the plan was “a mistake” and that clause."""
        r, m = self.rng, self.marks()
        mention, _ = self.speaker()
        frag = r.choice(["a mistake from the start", "the worst in a generation", "simply unworkable", "long overdue"])
        return f"{mention} said {r.choice(SUBJECTS)} was {m[0]}{frag}{m[1]} and that {self.clause()}."

    def scare_quote(self) -> str:
        r, m = self.rng, self.marks()
        return f"The so-called {m[0]}{r.choice(SCARE)}{m[1]} plan for {self.place} {r.choice(PREDICATES)}."

    def narrative(self) -> str:
        return self.fill(self.rng.choice(NARRATIVE))

    def multi_paragraph_quote(self) -> list[str]:
        """News style: each paragraph opens a mark, only the last one closes it."""
        r, m = self.rng, self.marks()
        mention, _ = self.speaker()
        mention = mention.rstrip(",")
        paras = [f"{mention} {r.choice(['said', 'wrote', 'told the hearing'])}: {m[0]}{self.opinion(m)}. {r.choice(OPINIONS)}."]
        for _ in range(r.randint(1, 2)):
            paras.append(f"{m[0]}{r.choice(OPINIONS)}. {self.opinion(m)}.")
        paras[-1] += m[1]
        return paras

    def paragraph(self) -> list[str]:
        r = self.rng
        kinds = [
            (self.direct_after, 18), (self.direct_before, 8), (self.split_quote, 6), (self.indirect, 18),
            (self.according_to, 6), (self.mixed, 6), (self.scare_quote, 3), (self.narrative, 25),
        ]
        if r.random() < 0.06:
            return self.multi_paragraph_quote()
        sentences = [
            r.choices([k for k, _ in kinds], [w for _, w in kinds])[0]() for _ in range(r.randint(1, 4))
        ]
        return [" ".join(sentences)]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def article(seed: int, target_chars: int = 4000) -> SyntheticArticle:
    """One article of about `target_chars` characters; the same seed gives the same article."""
    rng = random.Random(seed)
    w = _Writer(rng)
    p = w.cast[0]
    title = f"{p.role} {p.last} under pressure as {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}"
    paras = [f"{w.narrative()} {w.indirect()}"]
    size = len(paras[0])
    while size < target_chars:
        for para in w.paragraph():
            paras.append(para)
            size += len(para) + 1
    published = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return SyntheticArticle("\n".join(paras), title, rng.choice(OUTLETS), published)


def articles(n: int = 1000, seed: int = 0, target_chars: int = 4000) -> list[SyntheticArticle]:
    """`n` distinct articles; article i of seed s is the same whatever n is."""
    return [article(seed * 1_000_003 + i, target_chars) for i in range(n)]


def scaled(factor: int, seed: int = 7, base_chars: int = 4000) -> str:
    """One article `factor` times the usual length, with the same mix of constructions.

    Used to check that cost grows linearly with length: seconds per MB at 100x
    should match 1x.
    """
    return article(seed, base_chars * factor).text


def pathological(size: int = 1_000_000, seed: int = 13) -> str:
    """About `size` characters of prose littered with unbalanced quotation marks.

    Thousands of marks open and never close (or close and never opened), straight
    and curly, in paragraphs from a line to 100 KB long: the input that turns a
    "scan to the closing mark" search quadratic.
    """
    rng = random.Random(seed)
    stray = ["\u201c", "\u201d", '"', "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "\u201e", "\u201a", "``", "''"]
    words = [w for s in OPINIONS + PREDICATES for w in s.split()] + ["said", "told", "according", "to", "that", "he", "she"]
    paras: list[str] = []
    total = 0
    while total < size:
        plen = rng.choice([80, 600, 3000, 20_000, 100_000])
        out: list[str] = []
        n = 0
        while n < plen:
            if rng.random() < 0.04:
                tok = rng.choice(stray) + rng.choice(words)
            elif rng.random() < 0.01:
                tok = rng.choice(words) + rng.choice(stray)
            else:
                tok = rng.choice(words)
            if rng.random() < 0.05:
                tok += rng.choice([",", ".", " said " + rng.choice(LAST) + ".", ":"])
            out.append(tok)
            n += len(tok) + 1
        para = " ".join(out)
        paras.append(para)
        total += len(para) + 1
    return "\n".join(paras)[:size]


# Each stress text repeats one unit that pushes one stage to its worst case. Timing a
# text at two sizes tells a linear stage (same seconds per MB) from a quadratic one.
STRESS_UNITS = {
    "marks that never close": "\u201cwe will not wait and ",
    "marks that never opened": "we will not wait\u201d and ",
    "straight quotes and apostrophes": "it's \"the bridge' don't \"'\" rock 'n' roll ",
    "deeply nested marks": "\u201c\u2018\u00ab\u201e\u201a\"'",
    "no sentence end": "the council met again and the vote was delayed ",
    "cue verbs without quotes": "Koruna said that Orandel told reporters that according to ",
    "capitalised names": "Interior Minister Orsena Van der Holt St. Aubyn Dr. Ms. ",
    "one-line paragraphs": "\u201cWe wait,\u201d he said.\n\u201c\n\n",
    "multi-paragraph quotes": "\u201cWe wait.\n\u201cWe still wait.\n\u201cNo more,\u201d Koruna said.\n",
}


def stress(kind: str, size: int) -> str:
    """`size` characters of one STRESS_UNITS unit, in a single paragraph unless the unit breaks lines."""
    unit = STRESS_UNITS[kind]
    return (unit * (size // len(unit) + 1))[:size]


if __name__ == "__main__":
    a = article(0)
    print(a.title, a.outlet, a.published, len(a.text), sep="\n")
    print()
    print(a.text)
