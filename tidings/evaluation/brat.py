"""Score claims against PolNeAR's BRAT attribution files: one claim per
attributed sentence, and speakers against each attribution's Source."""
from __future__ import annotations

import collections
import dataclasses
import glob
import os
import re
from typing import Iterable, Optional

from tidings.evaluation.scoring import (CLAIM_CUE_LEMMAS, CLAIM_CUE_PHRASES, PRONOUN_FORMS, Counts,
                                        Report, _normalise, _overlap, speakers_match)


@dataclasses.dataclass(frozen=True)
class Attribution:
    """One PolNeAR attribution: character spans of its parts."""

    cue: tuple[tuple[int, int], ...]
    cue_text: str
    source: tuple[tuple[int, int], ...]
    source_text: str
    content: tuple[tuple[int, int], ...]

    @property
    def anchor(self) -> Optional[int]:
        """Where the attribution sits: its cue, else its content."""
        spans = self.cue or self.content
        return spans[0][0] if spans else None


def _spans(offsets: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for part in offsets.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return tuple(spans)


def read_brat(path: str) -> list[Attribution]:
    """The attributions of one BRAT ``.ann`` file."""
    spans: dict[str, tuple[str, tuple, str]] = {}
    events = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            if parts[0].startswith("T"):
                label, _, offsets = parts[1].partition(" ")
                spans[parts[0]] = (label, _spans(offsets), parts[2] if len(parts) > 2 else "")
            elif parts[0].startswith("E"):
                events.append(dict(role.split(":", 1) for role in parts[1].split()
                                   if ":" in role))
    attributions = []
    for roles in events:
        def part(name):
            ref = roles.get(name)
            return spans.get(ref, ("", (), "")) if ref else ("", (), "")
        _, cue, cue_text = part("Cue")
        _, source, source_text = part("Source")
        _, content, _ = part("Content")
        attributions.append(Attribution(cue, cue_text, source, source_text, content))
    return attributions


def brat_files(attributions_dir: str) -> dict[str, str]:
    """One ``.ann`` file per article: ``{article file name: path}``.

    Articles annotated twice (``name_XXXX.ann`` for two annotators) use
    the first annotator in sorted order.
    """
    chosen: dict[str, str] = {}
    for path in sorted(glob.glob(os.path.join(attributions_dir, "*.ann"))):
        name = re.sub(r"_[0-9a-f]{4}\.ann$", "", os.path.basename(path)) + ".txt"
        chosen.setdefault(name, path)
    return chosen


def is_claim_cue(cue_text: str, lemmas: Iterable[str]) -> bool:
    """True when a PolNeAR cue is an act of communication."""
    lowered = cue_text.lower().strip()
    if any(phrase == lowered or lowered.startswith(phrase + " ")
           or lowered.endswith(" " + phrase) for phrase in CLAIM_CUE_PHRASES):
        return True
    return any(lemma in CLAIM_CUE_LEMMAS for lemma in lemmas)


def score_brat(attributions: dict[str, list[Attribution]],
               predictions: dict[str, list[dict]], lemmatize) -> Report:
    """Sentence-level claim scores and speaker agreement against PolNeAR.

    Args:
        attributions: ``{article file name: attributions}``.
        predictions: from ``load_predictions``.
        lemmatize: text -> lemmas, to read each cue.
    """
    report = Report(counts={"claim sentence": Counts()})
    counts = report.counts["claim sentence"]
    mapped = unmapped = 0
    missing = []
    for file, items in sorted(attributions.items()):
        rows = predictions.get(file)
        if rows is None:
            missing.append(file)
            continue
        claims = resolve_pronoun_sources(
            [a for a in items if a.anchor is not None
             and is_claim_cue(a.cue_text, lemmatize(a.cue_text))])
        mapped += len(claims)
        unmapped += len(items) - len(claims)
        sentences = [r for r in rows if r["type"] == "sentence"]
        predicted = collections.defaultdict(list)
        for row in rows:
            if row["type"] == "claim":
                predicted[row["sentence_index"]].append(row)
        for sentence in sentences:
            inside = attributions_in(sentence, claims)
            found = predicted.get(sentence["sentence_index"], [])
            if inside and found:
                counts.tp += 1
                report.field("speaker matches Source", any(
                    _brat_speaker_match(p, a) for p in found for a in inside))
            elif found:
                counts.fp += 1
            elif inside:
                counts.fn += 1
    report.notes.append(
        f"\nPolNeAR attributions read as claims: {mapped}; left out as "
        f"beliefs, wishes, findings or stances: {unmapped}")
    if missing:
        report.notes.append(f"no predictions for {len(missing)} annotated "
                            f"articles, e.g. {missing[0]}")
    return report


def resolve_pronoun_sources(attributions: list[Attribution]) -> list[Attribution]:
    """Attributions whose Source is a pronoun ("he said") given the nearest
    earlier named Source of the same gold file, so that a speaker tidings
    resolved from context can be compared with a name. Only the gold
    annotation itself is used."""
    resolved, last_named = [], None
    for attribution in sorted(attributions, key=lambda a: a.anchor):
        source = _normalise(attribution.source_text)
        if source in PRONOUN_FORMS and last_named is not None:
            attribution = dataclasses.replace(attribution, source_text=last_named)
        elif source and source not in PRONOUN_FORMS:
            last_named = attribution.source_text
        resolved.append(attribution)
    return resolved


def attributions_in(sentence: dict, attributions: list[Attribution]) -> list[Attribution]:
    """The attributions a sentence holds: their cue is in it, or their
    quoted content covers most of it (a quotation running on from the
    sentence that names its speaker is a claim too)."""
    start, end = sentence["char_start"], sentence["char_end"]
    held = []
    for attribution in attributions:
        if start <= attribution.anchor < end:
            held.append(attribution)
            continue
        covered = sum(_overlap(s, e, start, end) for s, e in attribution.content)
        if covered * 2 > end - start:
            held.append(attribution)
    return held


def _brat_speaker_match(predicted: dict, gold: Attribution) -> bool:
    source = gold.source_text
    if not source:
        return False
    if _normalise(source) in PRONOUN_FORMS:
        # PolNeAR marks the pronoun; tidings resolves it to a name. The
        # mention is the same when tidings' speaker came from a pronoun.
        return "pronoun" in (predicted.get("evidence") or "") or \
            _normalise(predicted.get("speaker")) == _normalise(source)
    return speakers_match(predicted.get("speaker"), source)
