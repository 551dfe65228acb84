"""The scorer, on tiny hand-made gold/prediction pairs (sentences of our own)."""
import json

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.evaluate import evaluate, match_document, speaker_resolved, speaker_right

TEXT = 'Mayor Lena Brook said the bridge will reopen in May. "It is safe," she added.'
#        0         1         2         3         4         5         6         7
GOLD = [
    {"start": 22, "end": 51, "text": "the bridge will reopen in May", "kind": "indirect",
     "speaker": "Lena Brook", "speaker_start": 6, "speaker_end": 16},
    {"start": 54, "end": 65, "text": "It is safe,", "kind": "direct",
     "speaker": "she", "speaker_start": 67, "speaker_end": 70, "speaker_name": "Lena Brook"},
]


def q(start, end, speaker=None, s=None, e=None, name=None, kind="indirect"):
    return {"start": start, "end": end, "kind": kind, "speaker": speaker,
            "speaker_start": s, "speaker_end": e, "speaker_name": name}


def test_offsets_of_the_fixture_are_right():
    for g in GOLD:
        assert TEXT[g["start"]:g["end"]] == g["text"]
        assert TEXT[g["speaker_start"]:g["speaker_end"]] == g["speaker"]


def test_perfect_predictions_score_one():
    scores, _ = evaluate([{"id": "a", "text": TEXT, "quotes": GOLD}], predictions={"a": GOLD})
    for level in ("strict", "loose", "attribution", "resolved"):
        assert scores.prf(level) == (1.0, 1.0, 1.0)


def test_strict_trims_punctuation_and_marks_but_loose_needs_half():
    # "It is safe" without the comma, and with the quotation mark: strict still matches.
    res = match_document(TEXT, [q(53, 64, kind="direct")], [GOLD[1]])
    assert res.pairs[0].strict and res.pairs[0].loose
    # a third of the gold span: overlapping, paired, but not even loose
    res = match_document(TEXT, [q(22, 31)], [GOLD[0]])
    assert len(res.pairs) == 1 and not res.pairs[0].loose and not res.pairs[0].strict


def test_matching_is_one_to_one_largest_overlap_first():
    preds = [q(22, 40), q(22, 51)]
    res = match_document(TEXT, preds, [GOLD[0]])
    assert len(res.pairs) == 1 and res.pairs[0].pred is preds[1]
    assert res.unmatched_pred == [preds[0]]


@pytest.mark.parametrize("pred,attribution,resolved", [
    (q(54, 65, "she", 67, 70, None), True, False),             # right mention, but "she" names no one
    (q(54, 65, "she", 67, 70, "Lena Brook"), True, True),      # resolved to the gold name
    (q(54, 65, "she", 67, 70, "Tom Vale"), True, False),       # resolved to the wrong person
    (q(54, 65, "Brook", 10, 16, "Lena Brook"), True, True),    # another mention, same name
    (q(54, 65, "Mayor Tom Vale", 0, 5), False, False),         # shares only a title
    (q(54, 65, None), False, False),                           # gold names a speaker
])
def test_speaker_levels(pred, attribution, resolved):
    assert speaker_right(pred, GOLD[1]) is attribution
    assert speaker_resolved(pred, GOLD[1]) is resolved


def test_unnamed_gold_speaker_wants_no_speaker():
    gold = {"start": 0, "end": 5, "kind": "indirect", "speaker": None,
            "speaker_start": None, "speaker_end": None}
    assert speaker_resolved(q(0, 5), gold)
    assert not speaker_resolved(q(0, 5, "Lena Brook", 6, 16), gold)


def test_gold_with_a_resolved_name_but_no_mention_names_a_speaker():
    # a quotation whose speaker the article named in an earlier sentence (GGT annotates so)
    gold = {"start": 0, "end": 5, "kind": "direct", "speaker": None, "speaker_start": None,
            "speaker_end": None, "speaker_name": "Lena Brook"}
    assert speaker_right(q(0, 5, "she", 67, 70, "Lena Brook"), gold)
    assert speaker_resolved(q(0, 5, "she", 67, 70, "Lena Brook"), gold)
    assert not speaker_resolved(q(0, 5, "he", 67, 70, "Tom Vale"), gold)
    assert not speaker_resolved(q(0, 5), gold)


def test_gold_bare_pronoun_without_name_accepts_an_overlapping_named_prediction():
    gold = dict(GOLD[1])
    del gold["speaker_name"]
    assert speaker_resolved(q(54, 65, "she", 67, 70, "Lena Brook"), gold)
    assert not speaker_resolved(q(54, 65, "she", 67, 70), gold)


def test_precision_and_recall_are_micro_averaged():
    preds = [q(22, 51, "Lena Brook", 6, 16), q(0, 5, "X", 0, 1)]
    scores, _ = evaluate([{"id": "a", "text": TEXT, "quotes": GOLD}], predictions={"a": preds})
    p, r, f = scores.prf("resolved")
    assert (p, r) == (0.5, 0.5) and f == 0.5
    assert scores.to_dict()["recall_by_kind"]["direct"]["loose"] == 0.0
    assert scores.to_dict()["recall_by_kind"]["indirect"]["resolved"] == 1.0


def test_eval_command_scores_a_predictions_file_and_reports_bad_lines(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": TEXT, "quotes": GOLD}) + "\nnot json\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"doc_id": "a", **g}) + "\n" for g in GOLD) + "{}\n")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--predictions", str(pred), "--json", "--errors"])
    assert result.exit_code == 1
    assert f"{gold}:2:" in result.stderr and f"{pred}:3:" in result.stderr
    figures = json.loads(result.stdout[result.stdout.index("{"):])
    assert figures["resolved"]["f1"] == 1.0 and figures["gold"] == 2


def test_eval_command_runs_the_engine_and_lists_misses(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": TEXT, "quotes": GOLD}) + "\n")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--errors"])
    assert result.exit_code == 0
    assert "resolved" in result.stdout and "gold 2" in result.stdout


def test_a_common_noun_speaker_counts_when_the_mentions_overlap():
    # "the mayor" has no content word once titles are dropped, but it is not a bare pronoun
    gold = {"start": 22, "end": 51, "kind": "indirect", "speaker": "Mayor", "speaker_start": 0,
            "speaker_end": 5}
    assert speaker_resolved(q(22, 51, "Mayor", 0, 5), gold)
    assert not speaker_resolved(q(22, 51, "Mayor", 6, 10), gold)


@pytest.mark.parametrize("name,right", [
    ("Lena Brook", True),
    (" lena brook ", True),       # case and outer spaces do not count
    ("Brook", False),             # a surname alone is not the resolved name
    ("Mayor Lena Brook", False),  # nor a name with a title glued on
])
def test_speaker_name_accuracy_wants_the_exact_resolved_name(name, right):
    preds = [q(54, 65, "she", 67, 70, name, kind="direct")]
    scores, _ = evaluate([{"id": "a", "text": TEXT, "quotes": GOLD}], predictions={"a": preds})
    assert (scores.names_checked, scores.names_right) == (1, int(right))
    assert scores.to_dict()["speaker_name_accuracy"]["accuracy"] == float(right)


def test_precision_by_kind_counts_predictions_of_that_kind():
    preds = [q(22, 51, "Lena Brook", 6, 16), q(0, 5, "X", 0, 1), q(54, 65, "she", 67, 70, "Lena Brook", kind="direct")]
    scores, _ = evaluate([{"id": "a", "text": TEXT, "quotes": GOLD}], predictions={"a": preds})
    by_kind = scores.to_dict()["precision_by_kind"]
    assert by_kind["indirect"]["predicted"] == 2 and by_kind["indirect"]["resolved"] == 0.5
    assert by_kind["direct"]["resolved"] == 1.0


def test_calibration_bands_compare_confidence_with_measured_precision():
    right = dict(q(22, 51, "Lena Brook", 6, 16), confidence=0.95)
    wrong = [dict(q(0, 5, "X", 0, 1), confidence=0.92), dict(q(70, 75, "Y", 0, 1), confidence=0.15)]
    scores, _ = evaluate([{"id": "a", "text": TEXT, "quotes": GOLD}], predictions={"a": [right, *wrong]})
    rows = {row["band"]: row for row in scores.calibration()}
    assert rows["0.9-1.0"]["quotes"] == 2 and rows["0.9-1.0"]["precision"] == 0.5
    assert rows["0.9-1.0"]["within_0.1"] is None  # two quotes are too few to tell
    assert rows["0.1-0.2"] == {"band": "0.1-0.2", "quotes": 1, "mean_confidence": 0.15, "precision": 0.0,
                               "within_0.1": None}
    # enough quotes: 40 documents of one right and one wrong prediction, all at 0.9
    docs = [{"id": str(n), "text": TEXT, "quotes": GOLD} for n in range(40)]
    preds = {str(n): [dict(right, confidence=0.9), dict(wrong[0], confidence=0.9)] for n in range(40)}
    scores, _ = evaluate(docs, predictions=preds)
    assert scores.calibration() == [{"band": "0.9-1.0", "quotes": 80, "mean_confidence": 0.9, "precision": 0.5,
                                     "within_0.1": False}]
    # predictions without a confidence give no table
    scores, _ = evaluate([{"id": "a", "text": TEXT, "quotes": GOLD}], predictions={"a": [q(22, 51)]})
    assert scores.calibration() == []
