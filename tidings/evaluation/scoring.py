"""Score tidings output against gold labels: precision, recall, F1 and
field accuracy.

Two gold formats:

- JSON Lines, one labelled sentence a line: ``file``, ``char_start``,
  ``char_end``, ``sentence`` and ``records`` (claims, events, agreements
  with their fields). Predicted records are matched to the gold sentence
  they overlap most (by characters, so the two sentence splits need not
  agree); records in sentences the gold file does not label are ignored.
  Within a sentence, gold and predicted records of a type are paired (best
  field agreement first): pairs are true positives, unpaired predictions
  false positives, unpaired gold records false negatives. Field accuracy is
  measured over the pairs.
- PolNeAR's BRAT attributions (``*.ann``: Source, Cue, Content spans).
  PolNeAR attributes beliefs, intentions and findings too; an attribution
  counts as a claim only when its cue is an act of communication (see
  ``CLAIM_CUE_LEMMAS``): "said", "told", "according to", a colon before a
  quotation. Scoring is per sentence of tidings' own split: a sentence is a
  gold claim when it holds the cue of such an attribution or its content
  covers most of the sentence (a quotation running over several
  sentences), a predicted one when tidings found a claim in it. For
  sentences both call claims, the speaker is right when it matches the
  Source span of one of them; a pronoun Source ("he said") stands for the
  nearest named Source before it in the same article.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import os
import re
from typing import Optional

import duckdb

from tidings.rules.entities import looks_like_name
from tidings.rules.language import canonical_party
from tidings.rules.modality import HAPPENED
from tidings.rules.speakers import PRONOUNS
from tidings.schemas.catalog import dataset_sql


RECORD_TYPES = ("claim", "event", "agreement")

# Cue lemmas of communication acts: a PolNeAR attribution with one of these
# (or one of CLAIM_CUE_PHRASES) is a claim in tidings' sense. Beliefs
# (think, believe, know), wishes (want, hope), findings (show, find),
# appearances (seem) and stances (support, oppose) are not.
CLAIM_CUE_LEMMAS = frozenset({
    "say", "tell", "state", "add", "claim", "insist", "deny", "warn", "accuse",
    "echo", "praise", "call", "describe", "criticize", "criticise", "quote",
    "report", "write", "tweet", "post", "announce", "argue", "note",
    "explain", "reply", "respond", "declare", "acknowledge", "admit",
    "predict", "promise", "vow", "pledge", "urge", "recall", "complain",
    "charge", "allege", "blame", "dismiss", "confirm", "reveal", "testify",
    "concede", "stress", "emphasize", "counter", "contend", "assert",
    "maintain", "boast", "joke", "remark", "observe", "reiterate",
    "caution", "condemn", "denounce", "lament", "slam", "blast",
    "decry", "hail", "welcome", "question", "suggest", "continue",
    "statement", "quip", "mention", "point", "cite", "dub", "brand", "label", "term",
    "characterize", "proclaim", "retort", "scoff",
})
CLAIM_CUE_PHRASES = ("according to", ":", "in a statement", "reportedly",
                     "quoted", "told", "said")


def _normalise(text: Optional[str]) -> str:
    text = (text or "").lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    while words and words[0] in ("the", "a", "an", "another"):
        words = words[1:]
    return " ".join(words)


PRONOUN_FORMS = PRONOUNS | {"him", "her", "them"}


def speakers_match(predicted: Optional[str], gold: Optional[str]) -> bool:
    """Lenient match of two speaker strings.

    Equal after normalising, one contained in the other as whole words, or
    the same last word ("Hassan Rouhani" and "Rouhani", "an Iranian
    official" and "the official").
    """
    a, b = _normalise(predicted), _normalise(gold)
    if not a or not b:
        return False
    if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    return a.split()[-1] == b.split()[-1]


def speaker_entity_right(pred: dict, gold: dict) -> bool:
    """The speaker's entity is the gold speaker: its fullest name matches a
    gold speaker that is a name, or there is no entity where the gold
    speaker is none ("officials"). A pronoun speaker with no entity is
    wrong when the gold names the person."""
    if looks_like_name(gold.get("speaker")):
        return names_match(pred.get("speaker_entity"), gold.get("speaker"))
    return pred.get("speaker_entity") is None


def names_match(predicted: Optional[str], gold: Optional[str]) -> bool:
    """``speakers_match``, or the same state or body ("The EU" and
    "European Union", ``canonical_party``)."""
    return speakers_match(predicted, gold) or (
        bool(predicted and gold) and canonical_party(predicted) == canonical_party(gold))


def _optional_match(predicted: Optional[str], gold: Optional[str]) -> bool:
    """Both empty, or the same by ``speakers_match``."""
    if not _normalise(gold) and not _normalise(predicted):
        return True
    return speakers_match(predicted, gold)


def parties_match(predicted: list[str], gold: list[str]) -> bool:
    """The same parties, each gold party matched by words
    (``speakers_match``), or as the same state ("US" and "United States",
    ``canonical_party``), to its own predicted party, none left over."""
    free = list(predicted)
    for party in gold:
        match = next((p for p in free if names_match(p, party)), None)
        if match is None:
            return False
        free.remove(match)
    return not free


@dataclasses.dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclasses.dataclass
class Report:
    """Scores by record type, and field accuracy as (right, total)."""

    counts: dict[str, Counts] = dataclasses.field(default_factory=dict)
    fields: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)

    def field(self, name: str, right: bool) -> None:
        tally = self.fields.setdefault(name, [0, 0])
        tally[0] += int(right)
        tally[1] += 1

    def accuracy(self, name: str) -> float:
        right, total = self.fields.get(name, [0, 0])
        return right / total if total else 0.0

    def format(self) -> str:
        lines = [f"{'type':<14}{'gold':>6}{'pred':>6}{'tp':>6}"
                 f"{'precision':>11}{'recall':>8}{'F1':>7}"]
        for name, c in self.counts.items():
            lines.append(f"{name:<14}{c.tp + c.fn:>6}{c.tp + c.fp:>6}{c.tp:>6}"
                         f"{c.precision:>11.3f}{c.recall:>8.3f}{c.f1:>7.3f}")
        if self.fields:
            lines.append("")
            lines.append(f"{'field accuracy':<34}{'right':>7}{'of':>6}{'accuracy':>10}")
            for name, (right, total) in self.fields.items():
                lines.append(f"{name:<34}{right:>7}{total:>6}"
                             f"{(right / total if total else 0):>10.3f}")
        lines.extend(self.notes)
        return "\n".join(lines)


# ---------------------------------------------------------------- predictions

def load_predictions(output: str) -> dict[str, list[dict]]:
    """Records and sentences of a tidings output, by input file name.

    Returns ``{file name: [row, ...]}`` where each row has ``type`` (claim,
    event, agreement or sentence) and the dataset's columns. Events and
    agreements are those with modality asserted or planned.
    """
    con = duckdb.connect()
    by_file: dict[str, list[dict]] = collections.defaultdict(list)
    paths = dict(con.execute(
        f"SELECT article_id, source_path FROM {dataset_sql(output, 'articles')}").fetchall())
    entity_names = dict(con.execute(
        f"SELECT entity_id, name FROM {dataset_sql(output, 'entities')}").fetchall()) \
        if os.path.isdir(os.path.join(output, "entities")) else {}
    for kind, dataset in (("claim", "claims"), ("event", "events"),
                          ("agreement", "agreements"), ("sentence", "sentences")):
        cursor = con.execute(f"SELECT * FROM {dataset_sql(output, dataset)}")
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            if row.get("modality") not in (None, *HAPPENED):
                continue      # negated and hypothetical happenings are not scored
            row["type"] = kind
            if kind == "claim":
                row["speaker_entity"] = entity_names.get(row.get("speaker_entity_id"))
            by_file[os.path.basename(paths[row["article_id"]])].append(row)
    return by_file


# ---------------------------------------------------------------- JSON Lines gold

def read_gold_jsonl(path: str) -> list[dict]:
    """The labelled sentences of a gold JSON Lines file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def assign_to_gold(gold: list[dict], predicted: list[dict]) -> dict[int, list[dict]]:
    """Predicted rows by the index of the gold sentence they overlap most.

    A prediction is assigned only when the overlap covers at least half of
    the shorter of the two spans.
    """
    assigned: dict[int, list[dict]] = collections.defaultdict(list)
    for row in predicted:
        best, best_overlap = None, 0
        for index, sentence in enumerate(gold):
            overlap = _overlap(row["char_start"], row["char_end"],
                               sentence["char_start"], sentence["char_end"])
            shorter = min(row["char_end"] - row["char_start"],
                          sentence["char_end"] - sentence["char_start"])
            if overlap > best_overlap and overlap * 2 >= shorter:
                best, best_overlap = index, overlap
        if best is not None:
            assigned[best].append(row)
    return assigned


def _pair(gold: list[dict], predicted: list[dict], agree) -> list[tuple[dict, dict]]:
    """Pair gold and predicted records, those that agree first."""
    pairs, free = [], list(predicted)
    unpaired = []
    for g in gold:
        match = next((p for p in free if agree(p, g)), None)
        if match is not None:
            pairs.append((g, match))
            free.remove(match)
        else:
            unpaired.append(g)
    for g in unpaired:
        if free:
            pairs.append((g, free.pop(0)))
    return pairs


def _claim_agree(p: dict, g: dict) -> bool:
    return speakers_match(p.get("speaker"), g.get("speaker"))


def _event_agree(p: dict, g: dict) -> bool:
    return p.get("event_type") == g.get("event_type")


def _agreement_agree(p: dict, g: dict) -> bool:
    return (p.get("agreement_type"), p.get("status")) == (
        g.get("agreement_type"), g.get("status"))


def score_jsonl(gold_sentences: list[dict],
                predictions: dict[str, list[dict]]) -> Report:
    """Score predictions against gold JSON Lines sentences."""
    report = Report(counts={kind: Counts() for kind in RECORD_TYPES})
    typed_events = Counts()
    by_file: dict[str, list[dict]] = collections.defaultdict(list)
    for sentence in gold_sentences:
        by_file[sentence["file"]].append(sentence)
    missing = sorted(f for f in by_file if f not in predictions)
    for file, sentences in by_file.items():
        rows = [r for r in predictions.get(file, []) if r["type"] in RECORD_TYPES]
        assigned = assign_to_gold(sentences, rows)
        for index, sentence in enumerate(sentences):
            for kind, agree in (("claim", _claim_agree), ("event", _event_agree),
                                ("agreement", _agreement_agree)):
                gold = [r for r in sentence["records"] if r["type"] == kind]
                pred = [r for r in assigned.get(index, []) if r["type"] == kind]
                pairs = _pair(gold, pred, agree)
                counts = report.counts[kind]
                counts.tp += len(pairs)
                counts.fp += len(pred) - len(pairs)
                counts.fn += len(gold) - len(pairs)
                for g, p in pairs:
                    _field_accuracy(report, kind, g, p)
                if kind == "event":
                    gold_types = collections.Counter(r["event_type"] for r in gold)
                    pred_types = collections.Counter(r["event_type"] for r in pred)
                    hit = sum((gold_types & pred_types).values())
                    typed_events.tp += hit
                    typed_events.fp += sum(pred_types.values()) - hit
                    typed_events.fn += sum(gold_types.values()) - hit
    report.counts["event (typed)"] = typed_events
    if missing:
        report.notes.append(f"\nno predictions for {len(missing)} gold files, "
                            f"e.g. {missing[0]}: were they in the run's input?")
    return report


def _field_accuracy(report: Report, kind: str, gold: dict, pred: dict) -> None:
    if kind == "claim":
        report.field("claim.speaker", speakers_match(pred.get("speaker"), gold.get("speaker")))
        report.field("claim.speaker_entity", speaker_entity_right(pred, gold))
        report.field("claim.speaker_label", pred.get("speaker_label") == gold.get("speaker_label"))
        report.field("claim.is_direct", pred.get("is_direct") == gold.get("is_direct"))
        report.field("claim.speaker_inherited",
                     pred.get("speaker_inherited") == gold.get("speaker_inherited"))
        report.field("claim.channel", speakers_match(pred.get("channel"), gold.get("channel"))
                     if gold.get("channel") or pred.get("channel") else True)
    elif kind == "event":
        report.field("event.event_type", pred.get("event_type") == gold.get("event_type"))
        if "actor" in gold:
            report.field("event.actor", _optional_match(pred.get("actor"), gold.get("actor")))
        if "date_text" in gold:
            report.field("event.date_text",
                         _optional_match(pred.get("date_text"), gold.get("date_text")))
    else:
        report.field("agreement.agreement_type",
                     pred.get("agreement_type") == gold.get("agreement_type"))
        report.field("agreement.status", pred.get("status") == gold.get("status"))
        if "parties" in gold:
            report.field("agreement.parties",
                         parties_match(pred.get("parties") or [], gold.get("parties") or []))
        if "value_amount" in gold:
            report.field("agreement.value", (pred.get("value_amount"), pred.get("value_currency"))
                         == (gold.get("value_amount"), gold.get("value_currency")))
