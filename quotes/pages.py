"""The quote as evidence: its paragraph of the article with the stored offsets marked.

Marking works on character offsets, never on searching the text again, so the page
shows exactly what the extractor claimed, and a wrong offset is visible as such.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str  # "q-quote", "q-speaker", "q-cue"
    label: str  # shown on hover: "quote", "speaker mention", "cue"
    href: str | None = None  # on the article page each mark opens its quote


def quote_spans(row: dict, text: str, href: str | None = None) -> tuple[list[Span], list[str]]:
    """The spans of a stored quote that fit inside the text, and a note for each that does not."""
    spans, problems = [], []
    for css, label, start, end in (
        ("q-quote", "quote", row.get("start"), row.get("end")),
        ("q-speaker", "speaker mention", row.get("speaker_start"), row.get("speaker_end")),
        ("q-cue", "cue", row.get("cue_start"), row.get("cue_end")),
    ):
        if start is None or end is None:
            continue
        if not 0 <= start < end <= len(text):
            problems.append(f"The {label}'s offsets ({start}-{end}) fall outside the article.")
            continue
        spans.append(Span(start, end, css, label, href))
    if spans and spans[0].css == "q-quote" and text[row["start"]:row["end"]] != row.get("text"):
        problems.append("The quote's offsets do not cover its stored text.")
    return spans, problems


def paragraph_bounds(text: str, spans: list[Span]) -> tuple[int, int]:
    """From the start of the line holding the first span to the end of the line holding the last."""
    if not spans:
        return 0, min(len(text), 600)
    lo = min(s.start for s in spans)
    hi = max(s.end for s in spans)
    start = text.rfind("\n", 0, lo) + 1
    end = text.find("\n", hi)
    return start, len(text) if end == -1 else end


def mark(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> Markup:
    """text[start:end] as HTML, each piece covered by spans wrapped in <mark> with their classes.

    Overlapping spans are cut into pieces at every edge, so nesting never breaks.
    """
    end = len(text) if end is None else end
    # Articles with one newline between paragraphs get a blank line on screen; offsets are unaffected.
    gap = "" if "\n\n" in text[start:end] else "\n"
    edges = sorted({start, end, *(p for s in spans for p in (s.start, s.end) if start < p < end)})
    out = []
    for a, b in zip(edges, edges[1:]):
        piece = escape(text[a:b]).replace("\n", "\n" + gap) if gap else escape(text[a:b])
        covering = [s for s in spans if s.start <= a and b <= s.end]
        if covering:
            classes = " ".join(s.css for s in covering)
            title = ", ".join(s.label for s in covering)
            marked = f'<mark class="{classes}" title="{title}">{piece}</mark>'
            href = next((s.href for s in covering if s.href), None)
            out.append(f'<a href="{escape(href)}">{marked}</a>' if href else marked)
        else:
            out.append(piece)
    return Markup("".join(out))
