"""A confidence on every quote, from its evidence (quotes/confidence.py, lexicons/confidence.txt)."""
import json

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.confidence import confidence, speaker_status
from quotes.extract import extract_quotes
from quotes.model import Quote

ARTICLE = (
    "“The pier will reopen in May,” said Lena Brook, the harbour master.\n\n"
    "Brook said the ferry needs new engines. She added that the crews would be paid."
)


def test_every_quote_carries_a_confidence_in_the_unit_interval():
    quotes = extract_quotes(ARTICLE)
    assert len(quotes) == 3
    assert all(isinstance(q.confidence, float) and 0.0 <= q.confidence <= 1.0 for q in quotes)


def test_a_direct_quote_with_a_named_speaker_outranks_reported_speech_and_an_unknown_he():
    by_text = {q.text: q for q in extract_quotes(ARTICLE)}
    direct = by_text["The pier will reopen in May,"]
    indirect = by_text["the ferry needs new engines"]
    [nobody] = extract_quotes("“We were not told,” he said.")  # nobody to resolve "he" to
    assert speaker_status(nobody) == "unresolved"
    assert direct.confidence > indirect.confidence > nobody.confidence
    assert nobody.confidence <= 0.1


@pytest.mark.parametrize("mention,name,status", [
    ("Lena Brook", "Lena Brook", "name"),
    ("she", "Lena Brook", "pronoun"),
    ("he", None, "unresolved"),
    ("the harbour master", None, "noun"),
    (None, None, "none"),
])
def test_speaker_status(mention, name, status):
    assert speaker_status(Quote(0, 1, "x", "indirect", speaker=mention, speaker_name=name)) == status


def test_an_unknown_rule_takes_its_kinds_default():
    known = confidence(Quote(0, 1, "x", "mixed", speaker="Ana", speaker_name="Ana", rule="participle"))
    unknown = confidence(Quote(0, 1, "x", "mixed", speaker="Ana", speaker_name="Ana", rule="no-such-rule"))
    assert known != unknown and 0 < unknown < 1


def test_extract_nl_prints_confidence(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--nl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(0 <= row["confidence"] <= 1 for row in rows)
