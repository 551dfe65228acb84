"""The pure parts of the pages: marking offsets in context, and the SVG charts."""
import re

import pytest

from quotes import charts, pages

TEXT = "First line.\nThe chair said \u201cwe <will> wait\u201d to the board.\nLast line."


def row(text="we <will> wait", **offsets):
    start = TEXT.index(text)
    return {"text": text, "start": start, "end": start + len(text), **offsets}


def test_mark_escapes_and_wraps_each_span():
    s = TEXT.index("The chair")
    spans, problems = pages.quote_spans(
        row(speaker_start=s, speaker_end=s + 9, cue_start=s + 10, cue_end=s + 14), TEXT)
    assert problems == []
    start, end = pages.paragraph_bounds(TEXT, spans)
    assert TEXT[start:end] == "The chair said \u201cwe <will> wait\u201d to the board."
    html = str(pages.mark(TEXT, spans, start, end))
    assert re.findall(r'<mark class="([^"]+)"', html) == ["q-speaker", "q-cue", "q-quote"]
    assert "we &lt;will&gt; wait" in html and "<will>" not in html


def test_overlapping_spans_are_cut_not_nested():
    spans = [pages.Span(0, 10, "q-quote", "quote"), pages.Span(5, 15, "q-speaker", "speaker mention")]
    html = str(pages.mark("abcdefghijklmnopqrst", spans))
    assert html == ('<mark class="q-quote" title="quote">abcde</mark>'
                    '<mark class="q-quote q-speaker" title="quote, speaker mention">fghij</mark>'
                    '<mark class="q-speaker" title="speaker mention">klmno</mark>pqrst')


@pytest.mark.parametrize("offsets,problem", [
    ({"speaker_start": 5, "speaker_end": 500}, "speaker mention's offsets (5-500) fall outside"),
    ({"cue_start": 9, "cue_end": 3}, "cue's offsets (9-3) fall outside"),
])
def test_bad_offsets_are_reported_not_drawn(offsets, problem):
    spans, problems = pages.quote_spans(row(**offsets), TEXT)
    assert [s.css for s in spans] == ["q-quote"]
    assert problem in problems[0]


def test_offsets_that_miss_the_text_are_reported():
    r = row()
    r["text"] = "something else"
    assert pages.quote_spans(r, TEXT)[1] == ["The quote's offsets do not cover its stored text."]


def test_month_range_fills_gaps_across_a_year():
    assert charts.month_range(["2023-11", "2024-02"]) == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_stacked_bars_counts_and_legend():
    svg = str(charts.stacked_bars(
        ["2024-01", "2024-03"], ["Ada <Q>", "others"],
        {("2024-01", "Ada <Q>"): 3, ("2024-03", "others"): 1}, "Per month"))
    assert svg.count("<rect") == 2
    assert "2024-01 \u00b7 Ada &lt;Q&gt;: 3" in svg
    assert ">2024-02</text>" in svg  # the empty month keeps its place on the axis
    assert svg.count('class="swatch"') == 2


def test_empty_chart_says_so():
    assert "no dated quotes" in str(charts.bars([], "Per month"))


def test_single_newlines_get_a_blank_line_on_screen_only():
    text = "One.\nTwo \u201chere\u201d.\n\nThree."
    spans = [pages.Span(text.index("here"), text.index("here") + 4, "q-quote", "quote")]
    assert str(pages.mark("A.\nB.", [])) == "A.\n\nB."
    assert str(pages.mark(text, spans)).count("\n") == 3  # already has blank lines: unchanged
