"""JSONL and CSV dumps: field names, --field mapping, one error line per bad record."""
import json

import pytest

from quotes.model import Article
from quotes.sources import InputError, iter_articles, parse_field_map


def read(path, **kw):
    return list(iter_articles([str(path)], **kw))


def test_jsonl_usual_field_names(tmp_path):
    path = tmp_path / "dump.jsonl"
    rows = [
        {"id": 7, "body": "Flood waters rose overnight.", "headline": "Flood", "link": "https://example.org/f",
         "site": "River News", "published_at": "2024-02-01T08:15:00Z"},
        {"id": "b", "content": "The school reopened.", "source": "Town Crier", "date": "1 Feb 2024"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    a, b = read(path)
    assert (a.text, a.title, a.url, a.outlet, a.published, a.doc_id, a.source) == (
        "Flood waters rose overnight.", "Flood", "https://example.org/f", "River News",
        "2024-02-01T08:15:00+00:00", "7", f"{path}:1")
    assert (b.outlet, b.published, b.doc_id, b.source) == ("Town Crier", "2024-02-01", "b", f"{path}:2")


def test_jsonl_bad_lines_named_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_bytes(
        b'{"text": "One."}\n'
        b'{"text": "Two.", oops}\n'
        b'{"title": "no text here"}\n'
        b'{"text": "Four.", "date": "someday"}\n'
        b'["a list"]\n'
        + '{"text": "Caf\u00e9."}\n'.encode("latin-1")
        + b'{"text": "Seven."}\n'
    )
    items = read(path)
    assert [i.text for i in items if isinstance(i, Article)] == ["One.", "Seven."]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [e.split(": ")[0] for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    assert "malformed JSON" in errors[0]
    assert "no text" in errors[1]
    assert "'someday'" in errors[2]
    assert "not a JSON object" in errors[3]
    assert "--encoding latin-1" in errors[4]


def test_field_mapping_overrides_and_reaches_nested(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"text": "teaser", "article_body": "The full story.",
                                "meta": {"paper": "Hill Times"}}) + "\n")
    [a] = read(path, field_map=parse_field_map(["text=article_body", "outlet=meta.paper"]))
    assert (a.text, a.outlet) == ("The full story.", "Hill Times")


def test_parse_field_map_refuses_unknown_fields():
    assert parse_field_map(["date=when"]) == {"published": "when"}
    with pytest.raises(ValueError, match="colour"):
        parse_field_map(["colour=red"])
    with pytest.raises(ValueError):
        parse_field_map(["text"])


def test_csv_records_and_line_numbers(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text(
        'id,headline,body,date\n'
        '1,Roads,"Crews paved the road.\nIt took a week.",2024-04-02\n'
        '2,Empty,,2024-04-03\n'
        '3,Parks,The park opened.,not a date\n'
        '4,Bins,Bins are emptied weekly.,\n'
    )
    items = read(path)
    articles = [i for i in items if isinstance(i, Article)]
    assert [(a.doc_id, a.title, a.published) for a in articles] == [("1", "Roads", "2024-04-02"), ("4", "Bins", None)]
    assert articles[0].text == "Crews paved the road.\nIt took a week."
    assert articles[1].source == f"{path}:6"
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors[0].startswith(f"{path}:4: ") and "no text" in errors[0]
    assert errors[1].startswith(f"{path}:5: ") and "'not a date'" in errors[1]


def test_semicolon_csv_paragraph_lists_and_jsonl_on_stdin(tmp_path):
    import io

    path = tmp_path / "export.csv"
    path.write_text("titel;text;datum\nBrücke;Die Brücke wird neu gebaut, sagte die Bürgermeisterin.;05.03.2024\n")
    [a] = read(path, field_map=parse_field_map(["title=titel", "date=datum"]))
    assert (a.title, a.text, a.published) == ("Brücke", "Die Brücke wird neu gebaut, sagte die Bürgermeisterin.",
                                              "2024-03-05")  # dotted dates are day first
    piped = b'{"id": "p1", "text": ["First paragraph.", "Second paragraph."]}\n{"id": "p2"}\n'
    items = list(iter_articles(["-"], stdin=io.BytesIO(piped)))
    assert items[0].text == "First paragraph.\n\nSecond paragraph." and items[0].source == "-:1"
    assert str(items[1]) == "-:2: record has no text (looked for text, body, content)"


def test_json_array_items_named_by_position(tmp_path):
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([{"id": "a", "text": "First story."}, {"title": "no text"}, "oops"]))
    items = read(path)
    assert items[0].text == "First story." and items[0].source == f"{path}[1]" and items[0].doc_id == "a"
    assert str(items[1]) == f"{path}[2]: record has no text (looked for text, body, content)"
    assert str(items[2]) == f"{path}[3]: not a JSON object but str"
    one = tmp_path / "one.json"
    one.write_text('{"body": "A single record."}')
    assert read(one)[0].text == "A single record."
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "x"},\n  {oops}]')
    [err] = read(broken)
    assert str(err).startswith(f"{broken}:2: malformed JSON")
