"""Shared fixtures. Each area adds its own below; keep them small and real (real files, real SQLite)."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seed_path() -> Path:
    return next(SEEDS.glob("*.txt"))


@pytest.fixture
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


# --- serving (quotes.serve, quotes.queries): a small database of invented articles ---

def _quote(text: str, content: str, kind: str, mention: str | None = None, name: str | None = None,
           cue: str | None = None, **fields):
    """A Quote whose offsets are found in `text`, so tests never hand-count characters."""
    from quotes.model import Quote

    start = text.index(content)
    spans = {}
    if mention:
        spans["speaker_start"] = text.index(mention)
        spans["speaker_end"] = spans["speaker_start"] + len(mention)
    if cue:
        at = text.index(f" {cue} ", spans.get("speaker_start", 0) if kind != "direct" else 0) + 1
        spans.update(cue_start=at, cue_end=at + len(cue))
    return Quote(start=start, end=start + len(content), text=content, kind=kind, speaker=mention,
                 speaker_name=name, cue=cue, **spans, **fields)


SERVE_ARTICLES = [
    ("Harbour Gazette", "2024-01-15", "Dockers rally at city hall",
     "Dock workers rallied outside city hall on Monday.\n\n"
     "\u201cWe will not accept these cuts,\u201d Tomas Brenner told reporters at a press conference.\n\n"
     "Mayor Marta Olenska said the budget left no room for new spending.\n\n"
     "The protests are expected to continue.",
     [dict(content="We will not accept these cuts", kind="direct", mention="Tomas Brenner",
           name="Tomas Brenner", cue="told", addressee="reporters", venue="press conference",
           role="union leader", rule="direct:quote-cue-name"),
      dict(content="the budget left no room for new spending", kind="indirect", mention="Marta Olenska",
           name="Marta Olenska", cue="said", role="Mayor", rule="indirect:name-said-that")]),
    ("Valley Courier", "2024-02-03", "Minister backs a hearing",
     "Minister Ada Quill told Radio Meridian that the protest movement deserved a hearing.\n\n"
     "\u201cFreedom of speech is not negotiable,\u201d she said in an interview.",
     [dict(content="the protest movement deserved a hearing", kind="indirect", mention="Ada Quill",
           name="Ada Quill", cue="told", addressee="Radio Meridian", role="Minister",
           rule="indirect:told-that"),
      dict(content="Freedom of speech is not negotiable", kind="direct", mention="she", name="Ada Quill",
           cue="said", venue="interview", rule="direct:quote-pronoun")]),
    ("Northern Wire", "2024-03-20", "Strike goes on",
     "Speaking from Lisbon, Tomas Brenner said the strike had \u201conly just begun\u201d.\n\n"
     "Olenska said in a statement that the city was \u201cready to listen\u201d.",
     [dict(content="the strike had \u201conly just begun\u201d", kind="mixed", mention="Tomas Brenner",
           name="Tomas Brenner", cue="said", place="Lisbon", rule="mixed:name-said"),
      dict(content="the city was \u201cready to listen\u201d", kind="mixed", mention="Olenska",
           name="Marta Olenska", cue="said", venue="statement", rule="mixed:name-said-that")]),
    ("Harbour Gazette", "2024-03-28", "Fares to rise",
     "Ada Quill said on Tuesday that rail fares would rise.\n\n"
     "\u201cNobody likes higher fares,\u201d Quill told the Gazette.",
     [dict(content="rail fares would rise", kind="indirect", mention="Ada Quill", name="Ada Quill",
           cue="said", date="2024-03-26", role="transport minister", rule="indirect:name-said-that"),
      dict(content="Nobody likes higher fares", kind="direct", mention="Quill", name="Ada Quill",
           cue="told", addressee="the Gazette", rule="direct:quote-cue-name")]),
    ("Valley Courier", "2024-04-10", "Bridge blocked",
     "An official said protesters had blocked the bridge for an hour.",
     [dict(content="protesters had blocked the bridge for an hour", kind="indirect",
           mention="An official", cue="said", rule="indirect:name-said")]),
]


def build_serve_db(path) -> Path:
    """Five invented articles from three outlets, four months, three named speakers."""
    from quotes.model import Article
    from quotes.store import open_db, save_article

    db = open_db(path)
    for n, (outlet, published, title, text, quotes) in enumerate(SERVE_ARTICLES):
        article = Article(text=text, title=title, outlet=outlet, published=published,
                          url=f"https://news.example/{n}")
        save_article(db, article, [_quote(text, **q) for q in quotes], "test")
    db.close()
    return Path(path)


@pytest.fixture
def serve_db(tmp_path) -> Path:
    return build_serve_db(tmp_path / "news.db")
