"""`quotes extract`: the same reading and extraction, printed instead of stored."""
import json

from click.testing import CliRunner

from quotes.cli import cli
from quotes.ingest import QUOTE_COLUMNS

PLAIN = '"We will rebuild the bridge," Mayor Ana Ruiz said.'


def run(*args):
    return CliRunner().invoke(cli, ["extract", *map(str, args)], catch_exceptions=False)


def test_jsonl_nl_output_is_what_eval_reads(tmp_path):
    from quotes.evaluate import load_predictions

    dump = tmp_path / "docs.jsonl"
    dump.write_text("\n".join(json.dumps({"id": f"doc{i}", "text": PLAIN}) for i in (1, 2)) + "\n")
    result = run(dump, "--nl")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    for row in lines:
        assert list(row)[: len(QUOTE_COLUMNS)] == QUOTE_COLUMNS
        assert row["doc_id"] in {"doc1", "doc2"}
        assert PLAIN[row["start"]:row["end"]] == row["text"]
    out = tmp_path / "pred.jsonl"
    out.write_text(result.stdout)
    assert sum(map(len, load_predictions(str(out), print).values())) == len(lines)
    # the plain sentence's direct quote, once in each document
    assert sorted((row["doc_id"], row["kind"], row["speaker_name"]) for row in lines if row["kind"] == "direct") == [
        ("doc1", "direct", "Ana Ruiz"), ("doc2", "direct", "Ana Ruiz")]
    assert result.stderr.startswith("Found 2 articles")


def test_files_use_their_path_as_doc_id_and_csv_has_every_column(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(PLAIN)
    result = run(src, "--csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header, *body = lines
    assert header.split(",") == QUOTE_COLUMNS
    assert body and body[0].startswith(str(src) + ",")
    nl = run(src, "--nl")
    for row in map(json.loads, nl.stdout.splitlines()):
        assert row["doc_id"] == str(src)


def test_bad_input_reported_rest_printed_exit_1(tmp_path):
    dump = tmp_path / "docs.jsonl"
    dump.write_text('{"id": "a", "text": "Fine."}\nnot json\n')
    result = run(dump, tmp_path / "gone.txt", "--json", "--silent")
    assert result.exit_code == 1
    assert {row["doc_id"] for row in json.loads(result.stdout)} <= {"a"}
    assert result.stderr.splitlines() == [
        f"{dump}:2: malformed JSON: Expecting value (column 1)",
        f"{tmp_path / 'gone.txt'}: no such file or folder",
    ]
