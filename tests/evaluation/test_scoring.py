"""The evaluation harness: matching by character overlap, pairing, and
PolNeAR BRAT reading and mapping."""
from __future__ import annotations

import pytest

from tidings.evaluation import brat, scoring


@pytest.mark.parametrize("predicted, gold, expected", [
    ("Hassan Rouhani", "Rouhani", True),
    ("an Iranian official", "the official", True),
    ("Iran's supreme leader", "Iran’s supreme leader", True),
    ("Khamenei", "Putin", False),
    (None, "Putin", False),
])
def test_speakers_match(predicted, gold, expected):
    assert scoring.speakers_match(predicted, gold) is expected


def test_assign_to_gold_uses_overlap_not_identical_splits():
    gold = [{"char_start": 0, "char_end": 100}, {"char_start": 101, "char_end": 200}]
    predicted = [
        {"char_start": 0, "char_end": 60},      # first half of gold 0
        {"char_start": 60, "char_end": 100},    # second half of gold 0
        {"char_start": 95, "char_end": 200},    # mostly gold 1
        {"char_start": 300, "char_end": 400},   # no gold sentence
    ]
    assigned = scoring.assign_to_gold(gold, predicted)
    assert assigned == {0: predicted[:2], 1: [predicted[2]]}


def _gold(records, start=0, end=50):
    return {"file": "a.txt", "char_start": start, "char_end": end,
            "sentence": "x" * (end - start), "records": records}


def _pred(kind, start=0, end=50, **fields):
    return {"type": kind, "char_start": start, "char_end": end, **fields}


def test_score_jsonl_counts_and_field_accuracy():
    gold = [
        _gold([{"type": "claim", "speaker": "Putin", "speaker_label": "PERSON"},
               {"type": "event", "event_type": "MEET"}]),
        _gold([{"type": "agreement", "agreement_type": "deal", "status": "agreed"}], 51, 90),
        _gold([], 91, 120),
    ]
    predictions = {"a.txt": [
        _pred("claim", speaker="Vladimir Putin", speaker_label="PERSON"),
        _pred("event", event_type="VISIT"),
        _pred("agreement", 51, 90, agreement_type="deal", status="signed"),
        _pred("claim", 91, 120, speaker="Nobody"),
        _pred("claim", 500, 600, speaker="Elsewhere"),   # not a gold sentence
    ]}
    report = scoring.score_jsonl(gold, predictions)
    claims = report.counts["claim"]
    assert (claims.tp, claims.fp, claims.fn) == (1, 1, 0)
    assert report.counts["event"].tp == 1 and report.counts["event (typed)"].tp == 0
    assert report.accuracy("claim.speaker") == 1.0
    assert report.accuracy("event.event_type") == 0.0
    assert report.accuracy("agreement.status") == 0.0
    assert claims.f1 == pytest.approx(2 / 3)


ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 30\tthe plan would work
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tSource 32 35\tJen
T6\tCue 36 43\tbelieves
T7\tContent 44 60\tit is a mistake
T8\tAttribution 36 43\tbelieves
E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5
T9\tSource 62 64\the
T10\tCue 65 70\tadded
T11\tContent 71 80;82 90\tmore text
T12\tAttribution 65 70\tadded
E3\tAttribution:T12 Content:T11 Cue:T10 Source:T9
"""


def test_read_brat_attributions_with_discontinuous_spans(tmp_path):
    path = tmp_path / "story_ab12.ann"
    path.write_text(ANN, encoding="utf-8")
    attributions = brat.read_brat(str(path))
    assert [(a.source_text, a.cue_text) for a in attributions] == [
        ("Smith", "said"), ("Jen", "believes"), ("he", "added")]
    assert attributions[2].content == ((71, 80), (82, 90))
    assert brat.brat_files(str(tmp_path)) == {"story.txt": str(path)}


def test_score_brat_maps_communication_cues_and_resolves_pronouns(tmp_path):
    path = tmp_path / "story_ab12.ann"
    path.write_text(ANN, encoding="utf-8")
    attributions = {"story.txt": brat.read_brat(str(path))}
    sentences = [
        {"type": "sentence", "sentence_index": 0, "char_start": 0, "char_end": 31},
        {"type": "sentence", "sentence_index": 1, "char_start": 32, "char_end": 61},
        {"type": "sentence", "sentence_index": 2, "char_start": 62, "char_end": 91},
    ]
    predictions = {"story.txt": sentences + [
        {"type": "claim", "sentence_index": 0, "speaker": "John Smith", "evidence": "cue:say"},
        {"type": "claim", "sentence_index": 1, "speaker": "Jen", "evidence": "cue:believe"},
        {"type": "claim", "sentence_index": 2, "speaker": "Smith",
         "evidence": "cue:add:pronoun_resolved"},
    ]}
    lemmas = {"said": ["say"], "believes": ["believe"], "added": ["add"]}
    report = brat.score_brat(attributions, predictions, lemmas.__getitem__)
    counts = report.counts["claim sentence"]
    # "believes" is a belief, not a claim: sentence 1 is a false positive.
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 0)
    assert report.accuracy("speaker matches Source") == 1.0


@pytest.mark.parametrize("cue, lemmas, expected", [
    ("said", ["say"], True), ("according to", ["accord", "to"], True),
    (":", [":"], True), ("believes", ["believe"], False), ("shows", ["show"], False),
    ("wants", ["want"], False),
])
def test_is_claim_cue(cue, lemmas, expected):
    assert brat.is_claim_cue(cue, lemmas) is expected


@pytest.mark.parametrize("pred, gold, right", [
    ({"speaker": "Rouhani", "speaker_entity": "Hassan Rouhani"}, {"speaker": "Hassan Rouhani"}, True),
    ({"speaker": "he", "speaker_entity": None}, {"speaker": "Hassan Rouhani"}, False),
    ({"speaker": "officials", "speaker_entity": None}, {"speaker": "officials"}, True),
    ({"speaker": "Smith", "speaker_entity": "Jane Smith"}, {"speaker": "Mr. Jones"}, False),
    # the same body under its full name and its abbreviation
    ({"speaker": "EU", "speaker_entity": "European Union"}, {"speaker": "The EU"}, True),
    ({"speaker": "EU", "speaker_entity": "European Union"}, {"speaker": "The UN"}, False),
])
def test_speaker_entity_is_scored_by_the_entity_name(pred, gold, right):
    from tidings.evaluation.scoring import speaker_entity_right

    assert speaker_entity_right(pred, gold) is right
