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


# --- axis labels, article labels, speaker details (issue 13) ---

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=50, deadline=None)
@given(first=st.integers(0, 600), span=st.integers(0, 900), width=st.sampled_from([360, 520, 760]))
def test_axis_labels_never_touch_and_stay_inside(first, span, width):
    months = charts.month_range([f"{1950 + (first + i) // 12}-{(first + i) % 12 + 1:02d}" for i in (0, span)])
    svg = str(charts.stacked_bars(months, ["quotes"], {(months[0], "quotes"): 1}, "t", width=width))
    xs = [(float(x), text) for x, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" class="axis">([^<]+)<', svg)]
    assert xs, "at least one label"
    boxes = [(x - len(t) * charts.LABEL_CHAR_PX / 2, x + len(t) * charts.LABEL_CHAR_PX / 2) for x, t in xs]
    assert all(0 <= lo and hi <= width for lo, hi in boxes)
    assert all(a[1] + charts.LABEL_GAP <= b[0] + 1e-6 for a, b in zip(boxes, boxes[1:]))


@pytest.mark.parametrize("title, label", [(None, "untitled article 7"), ("  ", "untitled article 7"),
                                          ("Strike goes on", "Strike goes on")])
def test_article_label_is_never_none(title, label):
    assert pages.article_label(title, 7) == label


@pytest.mark.parametrize("mention, role", [("the former president", "former president"), ("he", None),
                                           ("Toqaev", None), ("the Toqaev camp", None), (None, None)])
def test_mention_role(mention, role):
    assert pages.mention_role(mention, "Qasym-Zhomart Toqaev") == role


def test_opening_words_cut_at_a_word():
    assert pages.opening_words("Protests in the Kazakh city of Almaty", 20) == "Protests in the\u2026"
