"""Score predicted quotes against gold annotations (the rules of shared/gold/README.md).

Per document, predictions and gold quotes are paired one-to-one, greedily by character
overlap (largest first); each pair is then judged on four levels: strict span, loose span,
attribution (speaker right) and resolved attribution (speaker right and named, not "he").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .model import Quote

LEVELS = ("strict", "loose", "attribution", "resolved")

_TRIM = set(" \t\r\n\u00a0\"'“”‘’«»„‚‹›`.,;:!?()[]{}—–-…")

# Words that never identify a speaker on their own: a shared "the" or "he" proves nothing.
_PRONOUNS = {
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me",
    "his", "hers", "its", "their", "theirs", "our", "my", "your", "who", "whom",
    "whose", "which", "that", "this", "these", "those", "one", "some", "many", "others",
    "himself", "herself", "themselves", "itself",
}
_FILLERS = {
    "a", "an", "the", "of", "and", "for", "to", "in", "on", "at", "s",
    "mr", "mrs", "ms", "miss", "dr", "sir", "madam", "president", "sen", "senator", "rep",
    "representative", "gov", "governor", "secretary", "minister", "prime", "former",
    "vice", "general", "gen", "prof", "professor", "judge", "mayor", "ex",
}
_WORD = re.compile(r"\w+")


def content_words(name: str | None) -> set[str]:
    """The words of a name that can identify someone: case-folded, minus pronouns, titles, articles."""
    if not name:
        return set()
    return {w for w in _WORD.findall(name.casefold()) if w not in _PRONOUNS and w not in _FILLERS}


def is_bare_pronoun(name: str | None) -> bool:
    """True for "he", "They", "who": a mention that names nobody."""
    return bool(name) and not content_words(name) and all(
        w in _PRONOUNS for w in _WORD.findall(name.casefold())
    )


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace, quotation marks and punctuation."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _get(q, key):
    return q.get(key) if isinstance(q, dict) else getattr(q, key, None)


def _mentions_overlap(p, g) -> bool:
    ps, pe, gs, ge = (_get(p, "speaker_start"), _get(p, "speaker_end"),
                      _get(g, "speaker_start"), _get(g, "speaker_end"))
    if None in (ps, pe, gs, ge):
        return False
    return max(ps, gs) < min(pe, ge)


def speaker_right(p, g) -> bool:
    """Attribution: the mention overlaps gold's, or the names share a content word. Gold with
    no mention but a resolved name (GGT: a quotation whose speaker is named elsewhere) names a
    speaker; only gold with neither names none, and then the right answer is none."""
    if _get(g, "speaker") is None and not _get(g, "speaker_name"):
        return _get(p, "speaker") is None
    if _get(p, "speaker") is None:
        return False
    if _mentions_overlap(p, g):
        return True
    pw = content_words(_get(p, "speaker")) | content_words(_get(p, "speaker_name"))
    gw = content_words(_get(g, "speaker")) | content_words(_get(g, "speaker_name"))
    return bool(pw & gw)


def speaker_resolved(p, g) -> bool:
    """Resolved attribution: as `speaker_right`, but the predicted name must name someone.

    The predicted name is speaker_name, else the mention. Where gold gives a name
    (speaker_name, else a mention that is not a bare pronoun) they must share a content word.
    Where gold's mention is a bare pronoun with no resolved name (PolNeAR), gold cannot say who
    it is, so a named prediction whose mention overlaps gold's counts.
    """
    if _get(g, "speaker") is None and not _get(g, "speaker_name"):
        return _get(p, "speaker") is None
    pname = _get(p, "speaker_name") or _get(p, "speaker")
    if not pname or is_bare_pronoun(pname):
        return False
    gname = _get(g, "speaker_name") or _get(g, "speaker")
    gwords = content_words(gname)
    if gwords:
        return bool(content_words(pname) & gwords)
    return _mentions_overlap(p, g)


def name_exact(p, g) -> bool:
    """Speaker-name accuracy: the predicted name (speaker_name, else the mention) is gold's, case-folded."""
    pname = _get(p, "speaker_name") or _get(p, "speaker") or ""
    return pname.strip().casefold() == (_get(g, "speaker_name") or "").strip().casefold()


# A confidence band is calibrated when its measured precision is this close to its mean confidence;
# a band of fewer quotes than CALIBRATION_MIN_QUOTES is too small to tell.
CALIBRATION_TOLERANCE = 0.1
CALIBRATION_MIN_QUOTES = 30


@dataclass
class Pair:
    pred: object
    gold: object
    strict: bool
    loose: bool
    attribution: bool
    resolved: bool


@dataclass
class DocResult:
    doc_id: str
    text: str
    pairs: list[Pair]
    unmatched_pred: list
    unmatched_gold: list


def match_document(text: str, predicted: list, gold: list) -> DocResult:
    """Pair predictions with gold quotes one-to-one, largest character overlap first."""
    candidates = []
    for i, p in enumerate(predicted):
        ps, pe = _get(p, "start"), _get(p, "end")
        for j, g in enumerate(gold):
            gs, ge = g["start"], g["end"]
            overlap = min(pe, ge) - max(ps, gs)
            if overlap > 0:
                candidates.append((-overlap, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for neg, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = predicted[i], gold[j]
        ps, pe = _get(p, "start"), _get(p, "end")
        union = max(pe, g["end"]) - min(ps, g["start"])
        loose = -neg / union >= 0.5
        strict = trimmed(text, ps, pe) == trimmed(text, g["start"], g["end"])
        attribution = loose and speaker_right(p, g)
        resolved = loose and speaker_resolved(p, g)
        pairs.append(Pair(p, g, strict, loose, attribution, resolved))
    return DocResult(
        doc_id="",
        text=text,
        pairs=pairs,
        unmatched_pred=[p for i, p in enumerate(predicted) if i not in used_p],
        unmatched_gold=[g for j, g in enumerate(gold) if j not in used_g],
    )


@dataclass
class Scores:
    """Micro-averaged counts over all documents."""

    predicted: int = 0
    gold: int = 0
    matched: dict = field(default_factory=lambda: {lv: 0 for lv in LEVELS})
    gold_by_kind: dict = field(default_factory=dict)
    matched_by_kind: dict = field(default_factory=dict)
    predicted_by_kind: dict = field(default_factory=dict)
    matched_by_predicted_kind: dict = field(default_factory=dict)
    names_checked: int = 0  # loose matches whose gold quote gives a resolved speaker_name
    names_right: int = 0  # ... whose predicted name is exactly that name
    confidences: list = field(default_factory=list)  # (confidence, resolved match?) per prediction

    def add(self, doc: DocResult) -> None:
        preds = [pr.pred for pr in doc.pairs] + doc.unmatched_pred
        self.predicted += len(preds)
        for p in preds:
            kind = _get(p, "kind")
            self.predicted_by_kind[kind] = self.predicted_by_kind.get(kind, 0) + 1
        golds = [pr.gold for pr in doc.pairs] + doc.unmatched_gold
        self.gold += len(golds)
        for g in golds:
            self.gold_by_kind[g["kind"]] = self.gold_by_kind.get(g["kind"], 0) + 1
        for pr in doc.pairs:
            for lv in LEVELS:
                if getattr(pr, lv):
                    self.matched[lv] += 1
                    key = (pr.gold["kind"], lv)
                    self.matched_by_kind[key] = self.matched_by_kind.get(key, 0) + 1
                    key = (_get(pr.pred, "kind"), lv)
                    self.matched_by_predicted_kind[key] = self.matched_by_predicted_kind.get(key, 0) + 1
            if pr.loose and _get(pr.gold, "speaker_name"):
                self.names_checked += 1
                self.names_right += name_exact(pr.pred, pr.gold)
        for pr in doc.pairs:
            self._confidence(pr.pred, pr.resolved)
        for p in doc.unmatched_pred:
            self._confidence(p, False)

    def _confidence(self, pred, right: bool) -> None:
        value = _get(pred, "confidence")
        if value is not None:
            self.confidences.append((float(value), right))

    def name_accuracy(self) -> float | None:
        return self.names_right / self.names_checked if self.names_checked else None

    def precision_by_kind(self, kind: str, level: str) -> float:
        n = self.predicted_by_kind.get(kind, 0)
        return self.matched_by_predicted_kind.get((kind, level), 0) / n if n else 0.0

    def calibration(self) -> list[dict]:
        """Predicted confidence against measured (resolved) precision, in bands of 0.1;
        `within_0.1` is None for a band too small to tell."""
        bands: dict[int, list] = {}
        for value, right in self.confidences:
            bands.setdefault(min(int(value * 10), 9), []).append((value, right))
        rows = []
        for band in sorted(bands):
            members = bands[band]
            mean = sum(v for v, _ in members) / len(members)
            precision = sum(r for _, r in members) / len(members)
            rows.append({"band": f"{band / 10:.1f}-{(band + 1) / 10:.1f}", "quotes": len(members),
                         "mean_confidence": round(mean, 4), "precision": round(precision, 4),
                         "within_0.1": None if len(members) < CALIBRATION_MIN_QUOTES
                         else abs(precision - mean) <= CALIBRATION_TOLERANCE})
        return rows

    def prf(self, level: str) -> tuple[float, float, float]:
        m = self.matched[level]
        p = m / self.predicted if self.predicted else 0.0
        r = m / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def to_dict(self) -> dict:
        out: dict = {"documents_predicted": self.predicted, "gold": self.gold}
        for lv in LEVELS:
            p, r, f = self.prf(lv)
            out[lv] = {"matched": self.matched[lv], "precision": round(p, 4),
                       "recall": round(r, 4), "f1": round(f, 4)}
        out["predicted"] = out.pop("documents_predicted")
        out["recall_by_kind"] = {
            kind: {"gold": n, **{lv: round(self.matched_by_kind.get((kind, lv), 0) / n, 4)
                                 for lv in LEVELS}}
            for kind, n in sorted(self.gold_by_kind.items())
        }
        out["precision_by_kind"] = {
            kind: {"predicted": n, **{lv: round(self.precision_by_kind(kind, lv), 4) for lv in LEVELS}}
            for kind, n in sorted(self.predicted_by_kind.items())
        }
        accuracy = self.name_accuracy()
        out["speaker_name_accuracy"] = {
            "checked": self.names_checked, "right": self.names_right,
            "accuracy": None if accuracy is None else round(accuracy, 4),
        }
        out["calibration"] = self.calibration()
        return out


def _records(path: str, warn: Callable[[str], None], what: str, check: Callable[[dict], object]) -> Iterator[dict]:
    """Each good record of a JSONL file; a bad line is skipped with one warning naming it."""
    with open(path, encoding="utf-8") as fp:
        for n, line in enumerate(fp, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                check(row)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                warn(f"{path}:{n}: skipped, not {what} ({type(e).__name__}: {e})")
                continue
            yield row


def load_gold(path: str, warn: Callable[[str], None]) -> list[dict]:
    """Gold documents (id, text, quotes); bad lines are skipped with a warning."""
    return list(_records(path, warn, "a gold record", lambda doc: (doc["text"], doc["id"])))


def evaluate(
    gold_docs: Iterable[dict],
    predict: Callable[[dict], list] | None = None,
    predictions: dict[str, list] | None = None,
) -> tuple[Scores, list[DocResult]]:
    """Score either an engine (`predict(doc) -> quotes`) or stored predictions keyed by doc id."""
    if predict is None:
        from .extract import extract_quotes

        def predict(doc):
            return extract_quotes(doc["text"], doc.get("date"))

    scores = Scores()
    results = []
    for doc in gold_docs:
        if predictions is not None:
            pred = predictions.get(str(doc["id"]), [])
        else:
            pred = predict(doc)
        res = match_document(doc["text"], list(pred), list(doc.get("quotes") or []))
        res.doc_id = str(doc["id"])
        scores.add(res)
        results.append(res)
    return scores, results


def format_scores(scores: Scores) -> str:
    """A small table a person reads at a glance."""
    lines = [f"{'level':<12} {'P':>6} {'R':>6} {'F1':>6} {'matched':>8}"]
    for lv in LEVELS:
        p, r, f = scores.prf(lv)
        lines.append(f"{lv:<12} {p:6.3f} {r:6.3f} {f:6.3f} {scores.matched[lv]:8d}")
    lines.append(f"predicted {scores.predicted}, gold {scores.gold}")
    lines.append("")
    lines.append(f"{'recall/kind':<12} {'gold':>6} " + " ".join(f"{lv:>11}" for lv in LEVELS))
    for kind, n in sorted(scores.gold_by_kind.items()):
        cells = " ".join(f"{scores.matched_by_kind.get((kind, lv), 0) / n:11.3f}" for lv in LEVELS)
        lines.append(f"{kind:<12} {n:6d} {cells}")
    lines.append("")
    lines.append(f"{'precision/kind':<14} {'pred':>4} " + " ".join(f"{lv:>11}" for lv in LEVELS))
    for kind, n in sorted(scores.predicted_by_kind.items()):
        cells = " ".join(f"{scores.precision_by_kind(kind, lv):11.3f}" for lv in LEVELS)
        lines.append(f"{kind:<14} {n:4d} {cells}")
    accuracy = scores.name_accuracy()
    lines.append("")
    if accuracy is None:
        lines.append("speaker-name accuracy: gold gives no speaker_name")
    else:
        lines.append(f"speaker-name accuracy: {accuracy:.3f} "
                     f"({scores.names_right} of {scores.names_checked} matched quotes with a gold speaker_name)")
    rows = scores.calibration()
    if rows:
        lines.append("")
        lines.append(f"{'confidence':<10} {'quotes':>6} {'mean':>6} {'precision':>9}  calibrated (within 0.1)")
        for row in rows:
            lines.append(f"{row['band']:<10} {row['quotes']:6d} {row['mean_confidence']:6.3f} "
                         f"{row['precision']:9.3f}  {_calibrated(row['within_0.1'])}")
    return "\n".join(lines)


def _calibrated(within: bool | None) -> str:
    return f"too few to tell (< {CALIBRATION_MIN_QUOTES})" if within is None else ("yes" if within else "NO")


def _sentence(text: str, start: int, end: int, limit: int = 300) -> str:
    """The stretch of text around a span, bounded by paragraph breaks, for reading errors."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b == -1 else b
    a = max(a, start - limit)
    b = min(b, end + limit)
    return " ".join((text[a:start] + "[[" + text[start:end] + "]]" + text[end:b]).split())


def _who(q) -> str:
    s, n = _get(q, "speaker"), _get(q, "speaker_name")
    if s is None:
        return "-"
    return f"{s} ({n})" if n and n != s else str(s)


def format_errors(results: list[DocResult]) -> Iterator[str]:
    """Misses, false alarms and wrong speakers, each shown in its paragraph."""
    for res in results:
        t = res.text
        for g in res.unmatched_gold:
            yield (f"MISS  {res.doc_id} {g['kind']} gold={_who(g)} cue={g.get('cue')!r}\n    "
                   + _sentence(t, g["start"], g["end"]))
        for pr in res.pairs:
            g, p = pr.gold, pr.pred
            if not pr.loose:
                yield (f"SPAN  {res.doc_id} {g['kind']} gold={_who(g)} pred={_who(p)} "
                       f"rule={_get(p, 'rule')}\n    gold: " + _sentence(t, g["start"], g["end"])
                       + "\n    pred: " + _sentence(t, _get(p, "start"), _get(p, "end")))
            elif not pr.resolved:
                yield (f"WHO   {res.doc_id} {g['kind']} gold={_who(g)} pred={_who(p)} "
                       f"rule={_get(p, 'rule')}\n    " + _sentence(t, g["start"], g["end"]))
        for p in res.unmatched_pred:
            yield (f"FALSE {res.doc_id} {_get(p, 'kind')} pred={_who(p)} rule={_get(p, 'rule')}\n    "
                   + _sentence(t, _get(p, "start"), _get(p, "end")))


def load_predictions(path: str, warn: Callable[[str], None]) -> dict[str, list[dict]]:
    """Predictions in the `quotes extract --nl` format, grouped by doc_id; bad lines are skipped with a warning."""
    out: dict[str, list[dict]] = {}
    for row in _records(path, warn, "a prediction", lambda r: (r["doc_id"], int(r["start"]), int(r["end"]))):
        out.setdefault(str(row["doc_id"]), []).append(row)
    return out
