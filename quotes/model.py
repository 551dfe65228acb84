"""The domain: an Article goes in, Quotes come out."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


def content_hash(text: str) -> str:
    """Articles are keyed by their text, so the same article from two sources is stored once."""
    normalized = " ".join(text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32]


@dataclass
class Article:
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO-8601 date or datetime
    author: str | None = None
    source: str | None = None  # where it came from: a path, "path:line", a URL, "-"
    doc_id: str | None = None  # the input record's own id (JSONL/CSV "id"), if any
    agency: str | None = None  # the news agency a wire dateline names ("WASHINGTON (AP) —")
    # warnings from reading it (a URL dropped, a redirect to another host): printed, never stored
    notes: list = field(default_factory=list, compare=False, repr=False)
    # the page's headings and list items, as (start, end, "heading" | "item") offsets into text:
    # what an HTML page's structure says is no running text (sources.html.text_structure)
    structure: list = field(default_factory=list, compare=False, repr=False)

    @property
    def hash(self) -> str:
        return content_hash(self.text)


# Not frozen: a frozen dataclass sets each of its 18 fields through object.__setattr__, which
# made building a Quote cost as much as finding it (about 35,000 instructions each).
@dataclass
class Quote:
    """One attributed utterance, with offsets into the article text as evidence.

    `start`/`end` cover the quote's content: for a direct quote, the inside of the
    quotation marks; for indirect and mixed quotes, the reported content without the
    attribution. Every offset satisfies text[start:end] == the stored string.
    """

    start: int
    end: int
    text: str
    kind: str  # "direct" | "indirect" | "mixed"
    speaker: str | None = None  # the mention as written: "he", "Ruiz"
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_name: str | None = None  # resolved: "Ana Ruiz"
    role: str | None = None  # "Harbour master", "Acting Mayor"
    cue: str | None = None  # the cue verb as written: "said", "told", "according to"
    cue_start: int | None = None
    cue_end: int | None = None
    addressee: str | None = None  # "Radio Meridian" in "told Radio Meridian"
    venue: str | None = None  # "press conference", "interview", "statement"
    place: str | None = None  # "Geneva" in "speaking from Geneva"
    date: str | None = None  # ISO date of the utterance, where the text gives one
    rule: str | None = None  # which rule attributed it: the evidence
    speaker_type: str | None = None  # person, organisation, group, anonymous, document (quotes.speaker_type)
    confidence: float | None = None  # in [0, 1], from the rule and the speaker (quotes.confidence)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("extra")
        d.update(self.extra)
        return d
