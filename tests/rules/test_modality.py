"""Modality: negated and hypothetical happenings are kept as records that
say so; scheduled ones are planned; what names no happening is no record."""
from __future__ import annotations

import datetime

import pytest

from tidings.rules.agreements import find_agreements
from tidings.rules.events import find_events


PUBLISHED = datetime.date(2025, 3, 12)   # a Wednesday


def _events(parse, text):
    (sent,) = parse(text)
    return [(e.event_type, e.trigger, e.modality) for e in find_events(sent, PUBLISHED)]


@pytest.mark.parametrize("text, expected", [
    ("The two ministers met in Vienna on Monday.", ("MEET", "met", "asserted")),
    ("The two ministers will meet in Vienna on Friday.", ("MEET", "meet", "planned")),
    ("The talks are due to continue on Thursday.", ("MEET", "talks", "planned")),
    ("The two ministers did not meet in Vienna.", ("MEET", "meet", "negated")),
    ("The two ministers could meet in Vienna.", ("MEET", "meet", "hypothetical")),
    ("If the ministers meet in Vienna, the talks will resume.",
     ("MEET", "meet", "hypothetical")),
    ("Rebels threatened to attack the town.", ("ATTACK", "attack", "hypothetical")),
    ("The ministry will pay the firms in the event that a settlement is agreed.",
     ("COOPERATE", "agreed", "hypothetical")),
    # a gerund the modal verb governs, and the one conjoined to it
    ("The response could include freezing assets and imposing sanctions on the banks.",
     ("SANCTION", "freezing", "hypothetical")),
])
def test_each_modality_of_an_event(parse, text, expected):
    assert expected in _events(parse, text)


@pytest.mark.parametrize("text", [
    "She demonstrated that the plan works.",          # a showing, not a protest
    "This is a very important visit.",                # a judgement of one
])
def test_words_that_name_no_happening_are_no_record(parse, text):
    assert _events(parse, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Norway and Chile signed a shipping agreement on Tuesday.", ("signed", "asserted")),
    ("Norway and Chile will sign a shipping agreement on Friday.", ("signed", "planned")),
    ("The two firms did not agree on the price.", ("agreed", "negated")),
    ("The two firms agreed on the price.", ("agreed", "asserted")),
    # an accord named by its noun is one whatever its verb: the status tells
    ("Norway and Chile did not sign the shipping agreement.", ("signed", "asserted")),
    ("If the ceasefire holds, aid convoys will reach the city.", ("mentioned", "asserted")),
])
def test_each_modality_of_an_agreement(parse, text, expected):
    (sent,) = parse(text)
    found = [(a.status, a.modality) for a in find_agreements(sent, PUBLISHED)]
    assert found == [expected]
