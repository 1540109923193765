"""Specific acts by an actor (events of type OTHER), and what is not one,
in sentences written for these tests."""
from __future__ import annotations

import datetime

import pytest

from tidings.rules.events import find_events


PUBLISHED = datetime.date(2025, 6, 4)


def _events(parse, text):
    (sent,) = parse(text)
    return find_events(sent, PUBLISHED)


def _fields(event):
    return (event.event_type, event.trigger, event.actor, event.target)


@pytest.mark.parametrize("text, expected", [
    ("Kestrel Airlines cut its fares by a fifth last month.",
     ("OTHER", "cut", "Kestrel Airlines", "its fares")),
    ("The central bank raised interest rates on Tuesday.",
     ("OTHER", "raised", "The central bank", "interest rates")),
    ("Ms Osei resigned as transport secretary.",
     ("OTHER", "resigned", "Ms Osei", None)),
    ("The contract was cancelled last year.",
     ("OTHER", "cancelled", None, "The contract")),
    ("The appeals court overturned the ruling.",
     ("OTHER", "overturned", "The appeals court", "the ruling")),
    ("Halvorsen Shipping bought Nordkyst Ferries in March.",
     ("OTHER", "bought", "Halvorsen Shipping", "Nordkyst Ferries")),
])
def test_specific_acts_are_events(parse, text, expected):
    found = [_fields(e) for e in _events(parse, text)]
    assert expected in found


@pytest.mark.parametrize("text, expected", [
    ("The Fenwick MP, who was expelled from Labour over his votes, accused Ms Quist of lying.",
     [("ACCUSE", "accused", "The Fenwick MP", "Ms Quist"),
      ("OTHER", "expelled", "Labour", "The Fenwick MP")]),
    ("He was suspended from the party last week.",
     [("OTHER", "suspended", "the party", "He")]),
    ("He was banned from driving for a year.", []),
    ("The drug was removed from the market.", []),
])
def test_whom_a_body_puts_out_it_acts_on(parse, text, expected):
    assert sorted(_fields(e) for e in _events(parse, text)) == expected


@pytest.mark.parametrize("text", [
    "Prices rose 0.3 pct in May.",                          # a bare market movement
    "Shares of Kestrel opened higher at 20 dlrs.",           # a market movement
    "Profits totalled 40 mln dlrs.",                         # a figure
    "The minister believes the plan will work.",             # a thought
    "The company would have earned large fees.",             # hypothetical
    "The company did not cut its prices.",                   # negated
    "The government will act on the report.",               # an undated pledge
    "She grew up in the town.",                              # a life, not news
    "He embraced the proposal.",                             # a stance
    "Protesters chanted slogans outside the embassy on Friday.",   # words
    "She was referencing the bank's sales drive.",           # words
    "His gamble succeeded.",                                  # an outcome
    "The economy has entered 2005 on course for growth.",     # time passing
    "The donations were driven by a small group of wealthy donors.",   # a cause
])
def test_states_movements_and_stances_are_not_events(parse, text):
    assert _events(parse, text) == []


@pytest.mark.parametrize("text, expected", [
    # a non-restrictive clause the parser hangs on "Shares": the company acts
    ("Shares in Corvane Steel, which changed its name from Halden when it emerged from "
     "bankruptcy, rose 2%.", ("OTHER", "changed", "Corvane Steel", "its name")),
    # emerging from bankruptcy is an act
    ("Shares in Corvane Steel, which changed its name from Halden when it emerged from "
     "bankruptcy, rose 2%.", ("OTHER", "emerged", "Corvane Steel", None)),
    # a verb conjoined to a past one is past, whatever its form says ("cut")
    ("In March, Kestrel Airlines issued a profit warning in two months, and cut its sales "
     "forecasts for the year.", ("OTHER", "cut", "Kestrel Airlines", "its sales forecasts")),
    # a deal to buy or merge is announced, dated or not; other undated "will"s are plans
    ("Calder Foods will now be merged with Arden Mills.",
     ("OTHER", "merged", None, "Calder Foods")),
    ("Kestrel Airlines will buy Nordair.", ("OTHER", "buy", "Kestrel Airlines", "Nordair")),
    # a dated passive done to a number standing for things, or to the noun a
    # comma-set "which" stands for
    ("The other two were released on Friday morning.",
     ("OTHER", "released", None, "The other two")),
    ("The scheme, which was launched in 1994, has grown since.",
     ("OTHER", "launched", None, "The scheme")),
    # the date of the schedule an announcement completes
    ("On Thursday, the minister is due to announce his plan.",
     ("OTHER", "announce", "the minister", "his plan")),
])
def test_acts_the_parse_tells_obliquely(parse, text, expected):
    assert expected in [_fields(e) for e in _events(parse, text)]


def test_two_acts_of_one_sentence_are_two_events(parse):
    found = [(e.event_type, e.trigger) for e in _events(
        parse, "Halvorsen Shipping bought Nordkyst Ferries and closed its Bergen office.")]
    assert ("OTHER", "bought") in found and ("OTHER", "closed") in found


def test_pronoun_actor_is_named_from_the_sentence_subject(parse):
    found = {e.trigger: e for e in _events(
        parse, "Ms Okafor flew to Lagos, where she met the governor on Monday.")}
    assert found["met"].actor == "Ms Okafor"
    assert found["met"].event_type == "MEET"


@pytest.mark.parametrize("text, event_type, actor", [
    ("Ms Okafor had talks with the governor in March.", "MEET", "Ms Okafor"),
    ("Ms Okafor is scheduled to meet the governor on Friday.", "MEET", "Ms Okafor"),
    ("The dock workers agreed to a settlement with the port authority.", "COOPERATE",
     "The dock workers"),
])
def test_actors_of_light_verbs_schedules_and_agreeing(parse, text, event_type, actor):
    found = {e.event_type: e for e in _events(parse, text)}
    assert found[event_type].actor == actor


@pytest.mark.parametrize("text, event_type", [
    ("Rebels attacked the army base near the border.", "ATTACK"),
    ("The senator attacked Ms Osei in a speech.", "ACCUSE"),
])
def test_attack_on_a_force_or_a_person(parse, text, event_type):
    assert event_type in {e.event_type for e in _events(parse, text)}


def test_attack_on_an_idea_is_not_an_event(parse):
    assert "ATTACK" not in {e.event_type for e in _events(
        parse, "The candidate attacked loopholes in the tax code.")}


@pytest.mark.parametrize("text, event_type, trigger", [
    ("The FBI's investigation of Kestrel began in March.", "OTHER", "investigation"),
    ("Ms Osei's resignation shocked the party.", "OTHER", "resignation"),
    ("The dock strike has cut exports.", "PROTEST", "strike"),
    ("Clashes between police and miners broke out on Sunday.", "ATTACK", "Clashes"),
])
def test_nouns_that_name_a_pinned_down_happening(parse, text, event_type, trigger):
    assert (event_type, trigger) in {(e.event_type, e.trigger) for e in _events(parse, text)}


@pytest.mark.parametrize("text", [
    "An investigation would help nobody.",        # no whose, of what or when
    "Strike action is a last resort.",            # a compound, not a happening
])
def test_nouns_with_nothing_pinned_down_are_not_events(parse, text):
    assert _events(parse, text) == []


@pytest.mark.parametrize("text, event_type, trigger", [
    ("Kestrel Energy won a contract to drill two wells.", "COOPERATE", "won"),
    ("The ministry pledged in December to lift the ban.", "OTHER", "pledged"),
    ("The measures passed by the committee take effect in May.", "OTHER", "passed"),
    ("Kestrel Airlines is to buy ten aircraft from Airbus.", "OTHER", "buy"),
    ("Their homes were attacked on Sunday night.", "ATTACK", "attacked"),
])
def test_contracts_won_dated_pledges_and_reduced_clauses(parse, text, event_type, trigger):
    assert (event_type, trigger) in {(e.event_type, e.trigger) for e in _events(parse, text)}


@pytest.mark.parametrize("text", [
    "The ministry pledged to lift the ban.",        # an undated pledge: a claim
    "The minister is due to announce his plan.",    # an undated announcement
    # the date is the pledged act's, not the pledge's
    "The ministry pledged that in the year 2000 it would lift the ban.",
    "It was the worst deal ever negotiated.",       # a judgement, not a meeting
])
def test_undated_pledges_and_judgements_are_not_events(parse, text):
    assert _events(parse, text) == []


def test_concluding_a_visit_is_an_act_and_concluding_alone_is_not(parse):
    assert ("OTHER", "concluded") in {(e.event_type, e.trigger) for e in _events(
        parse, "The envoy concluded his visit to Seoul on Monday.")}
    assert _events(parse, "The senator concluded on Monday.") == []


def test_a_participle_act_after_a_past_act_is_its_own_event(parse):
    found = {e.trigger: e for e in _events(
        parse, "Last year Meridian Bank bought Calder Trust, merging it with Nordbank.")}
    assert found["merging"].event_type == "OTHER"
    assert found["merging"].actor == "Meridian Bank"


@pytest.mark.parametrize("text", [
    "The strike will go on until the company returned to the table.",   # not yet
    "Andes Copper said it had offered a 6 percent raise.",               # an offer
])
def test_acts_not_yet_done_and_offers_are_not_events(parse, text):
    assert "OTHER" not in {e.event_type for e in _events(parse, text)}
