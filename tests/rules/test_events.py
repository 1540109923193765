"""Events found in wire-style sentences written for these tests."""
from __future__ import annotations

import datetime

import pytest

from tidings.rules.events import EVENT_TYPES, find_events
from tidings.rules.modality import HAPPENED


PUBLISHED = datetime.date(2025, 6, 4)  # a Wednesday


def _events(parse, text, published=PUBLISHED):
    (sent,) = parse(text)
    return find_events(sent, published)


@pytest.mark.parametrize("text, event_type, trigger", [
    ("The two foreign ministers met in Geneva on Monday.", "MEET", "met"),
    ("During the chancellor's visit, the two sides discussed trade.", "VISIT", "visit"),
    ("Rebels attacked an army convoy near the border on Sunday.", "ATTACK", "attacked"),
    ("The president threatened to expel the ambassador.", "THREATEN", "threatened"),
    ("Police arrested twelve protesters outside the ministry.", "ARREST", "arrested"),
    ("The two companies signed a supply contract in Oslo.", "SIGN", "signed"),
    ("The sanctions were lifted under the 2019 accord.", "SANCTION", "lifted"),
    ("Germany has sent military advisers to train the new army.", "AID", "sent"),
    ("Thousands rallied in the capital against the new tax.", "PROTEST", "rallied"),
    ("Rosneft and its partner agreed an outline deal worth $1 billion.", "COOPERATE", "agreed"),
])
def test_find_events_type_and_trigger(parse, text, event_type, trigger):
    events = {event.event_type: event for event in _events(parse, text)}
    assert event_type in events
    assert events[event_type].trigger == trigger
    assert events[event_type].event_type in EVENT_TYPES


def test_find_events_actor_target_location_date(parse):
    (event,) = _events(parse, "Police arrested the opposition leader in Minsk on Monday.")
    assert (event.event_type, event.actor, event.target, event.location) == (
        "ARREST", "Police", "the opposition leader", "Minsk")
    assert (event.date_text, event.date, event.date_precision) == (
        "Monday", datetime.date(2025, 6, 2), "day")


def test_find_events_future_weekday_resolves_forward(parse):
    (event,) = _events(parse, "The talks are due to continue on Thursday.")
    assert event.date == datetime.date(2025, 6, 5)


def test_find_events_date_unresolved_without_publication_date(parse):
    (event,) = _events(parse, "The ministers met on Monday.", published=None)
    assert (event.date_text, event.date) == ("Monday", None)


@pytest.mark.parametrize("text", [
    "Iran and Russia together could tackle regional terrorism.",      # modal
    "The army did not attack the town.",                              # negated
    "Describing the meeting as constructive, the spokesman smiled.",  # only talked about
    "This is a very important visit for both countries.",            # a judgement
    "The company has been accused of polluting the river.",          # passive, no accuser
    "Moscow is an ally of Tehran.",                                   # a standing relation
])
def test_find_events_not_an_event(parse, text):
    # negated and modal ones are kept, saying so (tests/rules/test_modality.py)
    assert [e for e in _events(parse, text) if e.modality in HAPPENED] == []


def test_find_events_one_per_type_in_a_sentence(parse):
    events = _events(parse, "After the meeting, the leaders attended a summit "
                            "and a press conference.")
    assert [event.event_type for event in events] == ["MEET"]


def test_find_events_unresolved_date_says_why(parse):
    (event,) = _events(parse, "The ministers met on Monday.", published=None)
    assert event.date is None
    assert event.date_unresolved_reason == "weekday with no publication date"


def test_find_events_location_falls_back_to_dateline(parse):
    (event,) = _events(parse, "The ministers met on Monday.", published=PUBLISHED)
    assert event.location is None
    (sent,) = parse("The ministers met on Monday.")
    (event,) = find_events(sent, PUBLISHED, dateline_location="NEW YORK")
    assert event.location == "New York"


@pytest.mark.parametrize("text", [
    "If the senator is elected, she will sign the bill.",
    # what a talk is about is a topic
    "The minister came to see me last week to talk about trade and the American elections.",
    "The campaign's ad denounced what it called a media attack on the candidate.",
])
def test_find_events_hypothetical_or_verbal_is_not_physical(parse, text):
    types = {event.event_type for event in _events(parse, text) if event.modality in HAPPENED}
    assert not types & {"ELECT", "ATTACK", "SIGN"}


@pytest.mark.parametrize("text, event_type, actor, target", [
    # an organisation compounded to the noun: "a Pentagon inquiry"
    ("Boeing lost the contract after a Pentagon inquiry into the case.", "OTHER",
     "Pentagon", None),
    # "the meeting between X and Y"
    ("The meeting between Fiat boss Sergio Marchionne and GM's Rick Wagoner took "
     "place on Friday.", "MEET", "Sergio Marchionne", "Rick Wagoner"),
    # the subject of the clause a verb with none of its own completes
    ("Before visiting Israel, Mr Blair made a surprise visit to Iraq.", "VISIT",
     "Blair", "Israel"),
    ("G8 ministers are also believed to have agreed to cut the debt of poor nations.",
     "COOPERATE", "G8 ministers", None),
    # a name in apposition is the actor: "its president, John Moman,"
    ("It also announced its president, John Moman, resigned last Friday.", "OTHER",
     "John Moman", None),
    # whose clause the noun sits in: "is in discussions with"
    ("The government is in discussions with Aguas Argentinas.", "MEET",
     "The government", "Aguas Argentinas"),
])
def test_find_events_actor_from_the_parse(parse, text, event_type, actor, target):
    events = {event.event_type: event for event in _events(parse, text)}
    assert (events[event_type].actor, events[event_type].target) == (actor, target)


def test_find_events_pronoun_actor_through_a_scheduled_verb(parse):
    *_, last = parse("Gen Musharraf arrived in London on Monday.\n"
                     "He is due to visit Manchester on Tuesday.")
    (visit,) = [e for e in find_events(last, PUBLISHED) if e.event_type == "VISIT"]
    assert (visit.actor, visit.target, visit.modality) == ("Gen Musharraf", "Manchester",
                                                          "planned")


@pytest.mark.parametrize("text", [
    "In a report, he says a nuclear terrorist attack is the main danger faced by many nations.",
    "It will depend on the outcome of collective wage negotiations whether prices rise.",
    "Minutes of the meeting showed a split.",
    # a debate won or shaped is a topic, not a debate held
    "The senator won the debate, his aides said.",
    "Her rivals helped polarise the debate on pensions.",
])
def test_a_happening_named_in_general_is_no_event(parse, text):
    assert [e for e in _events(parse, text) if e.modality in HAPPENED] == []


@pytest.mark.parametrize("text, event_type", [
    ("The Europeans, who had been cut out of the talks, derided the deal.", "MEET"),
    ("During the visit, the two leaders discussed trade.", "VISIT"),
    ("The talks ended on Friday without a deal.", "MEET"),
    ("The two candidates will hold a debate in Ohio.", "OTHER"),
    ("I cannot wait to see the debate tomorrow night.", "OTHER"),
    ("Ministers said the ban was lifted after intensive discussions over security.", "MEET"),
])
def test_a_happening_the_sentence_tells_of_is_an_event(parse, text, event_type):
    assert event_type in {e.event_type for e in _events(parse, text) if e.modality in HAPPENED}


@pytest.mark.parametrize("text, trigger, actor", [
    ("In addition, Pegasus Gold said it began mining operations at its mine last month.",
     "began", None),
    ("Morrison Knudsen also took a 47 mln dlrs pretax provision for losses.", "took",
     "Morrison Knudsen"),
    ("The company has made new discoveries in Egypt and Angola.", "made", "The company"),
    ("Reuters also managed to slow a decline in revenues.", "slow", "Reuters"),
    ("WMC has no objection to being bought, having spun off its aluminium operations "
     "in 2002.", "spun", "WMC"),
])
def test_business_acts_told_through_light_and_aspect_verbs(parse, text, trigger, actor):
    events = [e for e in _events(parse, text) if e.modality in HAPPENED]
    (act,) = [e for e in events if e.trigger == trigger]
    assert act.event_type == "OTHER"
    assert actor is None or act.actor == actor


@pytest.mark.parametrize("text", [
    "He took a walk in the park.",          # no act on a business object
    "She made a speech on Monday.",
    "They began to worry about prices.",
])
def test_light_verbs_without_a_business_object_are_no_acts(parse, text):
    assert [e for e in _events(parse, text)
            if e.modality in HAPPENED and e.trigger in ("took", "made", "began")] == []


@pytest.mark.parametrize("text, event_type, trigger", [
    # a relative clause set off by a comma tells a fact of its own
    ("The telecoms group MCI, which changed its name from Worldcom, is based in Virginia.",
     "OTHER", "changed"),
    # meeting a counterpart
    ("Euronext chief Jean-Francois Theodore is scheduled to meet his LSE counterpart "
     "Clara Furse on Friday.", "MEET", "meet"),
    # agreeing to a buyout
    ("Last week, MCI agreed to a buyout by Verizon Communications.", "COOPERATE", "agreed"),
])
def test_find_events_wire_acts(parse, text, event_type, trigger):
    events = {(e.event_type, e.trigger) for e in _events(parse, text) if e.modality in HAPPENED}
    assert (event_type, trigger) in events


def test_a_restrictive_relative_clause_is_background(parse):
    events = _events(parse, "The adviser whom Obama recruited spoke on Monday.")
    assert "recruited" not in {e.trigger for e in events if e.modality in HAPPENED}


def test_serving_in_a_role_is_no_act(parse):
    events = _events(parse, "Ed Rendell, who served as party chairman in 2000, spoke.")
    assert "served" not in {e.trigger for e in events if e.modality in HAPPENED}


def test_a_pledged_act_is_hypothetical(parse):
    events = _events(parse, "The United States pledged that it would lift restrictions "
                            "on Mexican trucks.")
    assert [e.modality for e in events if e.trigger == "lift"] == ["hypothetical"]


@pytest.mark.parametrize("text, trigger, actor, target", [
    # "it" in what a company the recogniser did not label reports
    ("Halvern said it began mining and processing operations at its mine ahead of schedule.",
     "began", "Halvern", "mining and processing operations"),
    # an accord is what is agreed, even where the parser makes it the subject
    ("The Vienna accords, agreed in Geneva last March, called for calm.",
     "agreed", None, "The Vienna accords"),
    # a passive conjoined to an active verb says nothing of who did it
    ("Voters backed the plan, but the majority was reduced to 14.",
     "reduced", None, "the majority"),
    # who ordered an arrest made it; whom it befell is its "of" phrase
    ("Prosecutors are investigating the fraud and have ordered the arrest of the chief dealer.",
     "arrest", "Prosecutors", "the chief dealer"),
    # who acts in a restrictive relative clause is the noun it describes
    ("The deal was negotiated by lawyers who filed a class action three years ago.",
     "filed", "lawyers", "a class action"),
    # the named subject, not the relativizer the parser also makes one
    ("They are held under laws which the Law Lords have ruled break human rights rules.",
     "ruled", "the Law Lords", "laws"),
    # a passive that completes "is expected to": its subject is what it is done to
    ("The new accord on the chemicals is expected to be ratified next month in Kigali.",
     "ratified", None, "The new accord"),
])
def test_find_events_actor_and_target_rules(parse, text, trigger, actor, target):
    found = {e.trigger: e for e in _events(parse, text)}
    assert (found[trigger].actor, found[trigger].target) == (actor, target)


@pytest.mark.parametrize("text, trigger, event_type, actor", [
    ("Ms Hale, who will moderate the final debate on Oct. 19, spoke to the students.",
     "debate", "OTHER", None),
    ("The senator entered the talks on Friday.", "talks", "MEET", "The senator"),
])
def test_taking_part_in_a_happening_is_that_happening(parse, text, trigger, event_type, actor):
    found = [(e.trigger, e.event_type, e.actor, e.target) for e in _events(parse, text)]
    assert found == [(trigger, event_type, actor, None)]


def test_he_is_the_titled_subject_before_him_the_recogniser_left_unnamed(parse):
    *_, last = parse("Lord Harlow, the party's agent, said Mr Wood was ineligible.\n"
                     "Mr Wood landed in trouble over remarks on tax.\n"
                     "He quit as deputy chairman after the row.")
    (quit,) = [e for e in find_events(last, PUBLISHED) if e.trigger == "quit"]
    assert quit.actor == "Wood"


def test_she_is_not_a_mr_before_her(parse):
    *_, last = parse("Lord Harlow, the party's agent, said Mr Wood was ineligible.\n"
                     "Mr Wood landed in trouble over remarks on tax.\n"
                     "She quit as deputy chairman after the row.")
    (quit,) = [e for e in find_events(last, PUBLISHED) if e.trigger == "quit"]
    assert quit.actor != "Wood"


def test_ordering_a_happening_is_not_a_second_act(parse):
    triggers = {e.trigger for e in _events(
        parse, "Prosecutors are investigating the fraud and have ordered the arrest of the "
               "chief dealer.")}
    assert "ordered" not in triggers and "arrest" in triggers


@pytest.mark.parametrize("text, trigger, actor", [
    # a passive participle's subject is who it was done to
    ("Elected for a Cardiff seat in 1945, he represented the city for 40 years.",
     "Elected", None),
    # counted happenings: "months of talks"
    ("The U.S. and China had had months of talks on the issue.", "talks", "U.S."),
    # the subject of the clause a "Following ..." phrase opens
    ("Following a meeting yesterday with Borg-Warner officials, GAF said it would bid.",
     "meeting", "GAF"),
    # whoever cannot act is no actor: "her warnings led to the collapse"
    ("Her warnings led to the collapse of the firm in 2002.", "collapse", None),
])
def test_find_events_actor_rules(parse, text, trigger, actor):
    (event,) = [e for e in _events(parse, text) if e.trigger == trigger]
    assert event.actor == actor


def test_the_two_sides_as_actor_are_the_last_two_named(parse):
    *_, last = parse("Officials of the EU and the United States met in Geneva.\n"
                     "Mandelson said on Tuesday that the two sides had agreed to reopen talks.")
    (agreed,) = [e for e in find_events(last, PUBLISHED) if e.trigger == "agreed"]
    assert agreed.actor == "European Union and United States"


@pytest.mark.parametrize("text, event_type, trigger", [
    ("Israeli troops clashed with Palestinian protesters in Hebron on Friday.", "ATTACK",
     "clashed"),
    ("Militants seized the town of Ramadi.", "ATTACK", "seized"),
    ("Rioters torched cars in the suburbs of Paris.", "ATTACK", "torched"),
    ("The two armies exchanged fire across the border.", "ATTACK", "exchanged"),
    ("The European Union banned imports of Russian steel.", "SANCTION", "banned"),
    ("Turkey expelled the Dutch ambassador.", "SANCTION", "expelled"),
    ("Thousands of workers went on strike at the Renault plant.", "PROTEST", "strike"),
    ("Protesters marched through the capital.", "PROTEST", "marched"),
    ("Japan pledged 100 million dollars in aid to the Philippines.", "AID", "pledged"),
    ("The World Bank approved a 500 million dollar loan to Kenya.", "AID", "approved"),
    # without the object its type needs, still an act of no type
    ("The board approved the merger on Monday.", "OTHER", "approved"),
])
def test_find_events_conflict_coercion_aid_and_protest(parse, text, event_type, trigger):
    events = {(e.event_type, e.trigger) for e in _events(parse, text) if e.modality in HAPPENED}
    assert (event_type, trigger) in events


@pytest.mark.parametrize("text", [
    "He stands accused of breaching the members' code.",          # a standing, not an act
    "The suppliers provided the auditors with signed letters.",   # a participle: a state
    "Rebels said there was a crisis threatening the survival of the republic.",  # a thing
])
def test_participles_of_states_and_things_are_no_events(parse, text):
    assert _events(parse, text) == []


@pytest.mark.parametrize("text, trigger", [
    ("He seized the moment to speak.", "seized"),
    ("She gave a speech to the party.", "gave"),
    ("Markets watched for intervention by central banks.", "intervention"),
])
def test_look_alikes_of_conflict_and_aid_are_no_events(parse, text, trigger):
    assert trigger not in {e.trigger for e in _events(parse, text)
                           if e.event_type in ("ATTACK", "AID")}


@pytest.mark.parametrize("text, event_type, trigger, actor", [
    ("Calder Air's long-awaited flotation is part of a wider plan.", "OTHER", "flotation",
     "Calder Air"),
    ("The collapse followed the discovery of an accounting fraud.", "OTHER", "discovery", None),
    ("Deliveries of the aircraft will begin in 2025.", "OTHER", "Deliveries", None),
    ("Crowds greeted the minister on his tour of the northern towns.", "VISIT", "tour", "his"),
    # a date's possessive is no doer
    ("Hurdles were cleared by last week's approval of the merger.", "OTHER", "approval", None),
])
def test_business_and_travel_nouns_are_events(parse, text, event_type, trigger, actor):
    found = {e.trigger: e for e in _events(parse, text)}
    assert found[trigger].event_type == event_type
    assert found[trigger].actor == actor


def test_a_happening_after_which_the_subject_acted_is_not_the_subjects(parse):
    (attack,) = [e for e in _events(parse, "It had been one of the quickest to deal with "
                                    "difficulties after the 9/11 attacks in 2001.")
                 if e.event_type == "ATTACK"]
    assert attack.actor is None
    (meeting,) = [e for e in _events(parse, "Herve Gaymard spoke to reporters after a "
                                     "meeting with Hans Eichel.") if e.event_type == "MEET"]
    assert meeting.actor == "Herve Gaymard"


def test_it_in_a_when_clause_is_the_doer_of_the_clause_it_hangs_on(parse):
    found = {e.trigger: e for e in _events(
        parse, "Shares in MCI, which changed its name from Worldcom when it emerged "
               "from bankruptcy, were up 2.4% at $20.15.")}
    assert found["emerged"].actor == "MCI"


@pytest.mark.parametrize("text, trigger", [
    ("Elbowing their way past a guard, they reached the front.", "Elbowing"),   # going
    ("It's a pace of killing unknown to most Americans.", "killing"),           # a kind of act
])
def test_ways_and_kinds_of_acts_are_no_events(parse, text, trigger):
    assert trigger not in {e.trigger for e in _events(parse, text)}


def test_blocking_a_way_is_a_protest_and_blocking_a_deal_an_act(parse):
    found = {e.trigger: e.event_type for e in _events(
        parse, "Police arrested twelve protesters who blocked the main road on Saturday.")}
    assert found == {"arrested": "ARREST", "blocked": "PROTEST"}
    found = {e.trigger: e.event_type for e in _events(
        parse, "The regulator blocked the takeover of Calder Trust on Monday.")}
    assert found["blocked"] == "OTHER"


@pytest.mark.parametrize("text", [
    "Its ownership of Clearstream was the main stumbling block to a London-Frankfurt merger.",
    "Voters faced a clear choice at the next election.",
    "She would not be health minister in the run-up to the 2007 elections.",
    "The selloff followed an early rally that had sent futures to a new high.",
])
def test_happenings_not_yet_come_or_named_as_a_time_are_no_events(parse, text):
    assert _events(parse, text) == []


def test_an_election_won_on_a_date_is_one_with_its_winner(parse):
    (election,) = _events(parse, "Labour won the election in May.")
    assert (election.event_type, election.actor) == ("ELECT", "Labour")


@pytest.mark.parametrize("text, trigger, target", [
    ("The United Nations imposed new sanctions on North Korea.", "imposed", "North Korea"),
    ("Japan pledged 50 million dollars in aid to Haiti.", "pledged", "Haiti"),
    ("Turkish troops clashed with Kurdish fighters near the border.", "clashed",
     "Kurdish fighters"),
    ("Washington lifted sanctions against Iran in 2016.", "lifted", "Iran"),
    # the object is who, or the phrase names a thing: the object stays
    ("The EU imposed tariffs on imports from China.", "imposed", "tariffs"),
    # an accusation's charge is not part of whom it accuses
    ("The president accused the opposition of plotting a coup.", "accused", "the opposition"),
])
def test_whom_an_act_on_a_thing_is_done_to(parse, text, trigger, target):
    found = {e.trigger: e for e in _events(parse, text)}
    assert found[trigger].target == target


def test_staging_a_protest_is_the_protest_by_who_staged_it(parse):
    (protest,) = _events(parse, "Opposition supporters staged a protest outside parliament.")
    assert (protest.event_type, protest.trigger, protest.actor) == (
        "PROTEST", "protest", "Opposition supporters")


def test_a_warning_of_force_is_a_threat_and_of_prices_none(parse):
    (threat,) = _events(parse, "North Korea warned it would strike US bases.")
    assert (threat.event_type, threat.actor) == ("THREATEN", "North Korea")
    assert _events(parse, "Economists warned that prices would rise.") == []


@pytest.mark.parametrize("text, trigger, event_type, actor, target", [
    ("Customs officers seized 2 tonnes of cocaine at the port.", "seized", "OTHER",
     "Customs officers", "2 tonnes of cocaine"),
    ("The World Bank granted Ghana a 300 mln dlr loan.", "granted", "AID", "World Bank",
     "Ghana"),
    ("Dock workers walked out on Friday.", "walked", "PROTEST", "Dock workers", None),
    ("Fighting broke out between rival militias in the city.", "Fighting", "ATTACK", None,
     None),
    ("The US announced an embargo on Cuban sugar in 1960.", "embargo", "SANCTION", "US",
     "Cuban sugar"),
])
def test_seizures_aid_walkouts_fighting_and_embargoes(parse, text, trigger, event_type,
                                                      actor, target):
    found = {e.trigger: e for e in _events(parse, text)}
    assert (found[trigger].event_type, found[trigger].actor, found[trigger].target) == (
        event_type, actor, target)
    assert "announced" not in found     # one event: the embargo announced


@pytest.mark.parametrize("text, event_type, actor, target", [
    ("Obama hosted Netanyahu at the White House.", "MEET", "Obama", "Netanyahu"),
    ("The EU gave Greece 10 billion euros in emergency loans.", "AID", "EU", "Greece"),
])
def test_hosting_a_leader_and_giving_money(parse, text, event_type, actor, target):
    (event,) = _events(parse, text)
    assert (event.event_type, event.actor, event.target) == (event_type, actor, target)


def test_a_persons_gift_is_no_aid(parse):
    assert _events(parse, "She gave him 20 dollars.") == []


def test_his_trip_is_the_persons_and_since_gives_no_date(parse):
    text = "Putin arrived in Tehran on Wednesday. On his first trip to Iran since 2007, he met Khamenei."
    *_, second = parse(text)
    found = {e.trigger: e for e in find_events(second, PUBLISHED)}
    assert found["trip"].actor == "Putin"
    assert found["trip"].date_text is None


@pytest.mark.parametrize("text, trigger, date_text", [
    # a relative clause's date is its own
    ("The firm, which floated in 2003, recently announced a deal to buy Halvorsen.",
     "announced", None),
    ("The deal was negotiated by lawyers who filed a class action three years ago.",
     "negotiated", None),
    # a date in a clause on the trigger's object may be either's: the trigger's
    ("Police arrested twelve protesters who blocked the main road on Saturday.",
     "arrested", "Saturday"),
    # a noun's own date
    ("Workers agreed to a settlement of claims under a 1984 contract.", "agreed", None),
    # a date set apart by "since" or a comparison, however deep in its phrase
    ("Since the 11 September 2001 attacks in the United States, the airline has cut "
     "13,000 jobs.", "cut", None),
    ("The airline announced net profits of 400m euros, compared with a loss of 984m euros "
     "in 2003.", "announced", None),
    # the report's date, not the reported happening's
    ("Sources told Reuters earlier this month that the FBI has launched an investigation "
     "of Thiokol.", "launched", None),
    # the trigger's own dates stay
    ("Elected for a Cardiff seat at the 1945 general election, he served for 40 years.",
     "Elected", "1945"),
    ("In January, Halvorsen issued a profit warning and cut its sales forecasts.", "cut",
     "January"),
    ("US rules made the Kremlin's auction of Yugansk on 19 December illegal.", "auction",
     "19 December"),
    ("A party spokesman said Nick Griffin was arrested on Tuesday morning on suspicion "
     "of incitement.", "arrested", "Tuesday"),
])
def test_an_event_takes_no_date_of_something_else(parse, text, trigger, date_text):
    found = {e.trigger: e for e in _events(parse, text)}
    assert found[trigger].date_text == date_text


def test_attacks_on_a_person_named_in_the_article_are_words(parse):
    """"Machado", which the recogniser may label a place, is a person where
    the article names "Alicia Machado": attacks on her are accusations."""
    *_, last = parse("Alicia Machado said she was hurt by the remarks.\n"
                     "Trump has responded with attacks on Machado, including Friday's tweets.")
    types = {e.event_type for e in find_events(last, PUBLISHED)}
    assert "ACCUSE" in types and "ATTACK" not in types


def test_a_poll_by_a_news_agency_is_no_event(parse):
    found = _events(parse, "Trading banks polled by Reuters said they would stay open.")
    assert "polled" not in [e.trigger for e in found]


def test_a_word_of_a_name_the_parser_reads_as_a_verb_is_no_event(parse):
    found = _events(parse, "Aviation analyst Nick Van den Brul of BNP Paribas described "
                           "the airline's results as modest.")
    assert "den" not in [e.trigger for e in found]


@pytest.mark.parametrize("text, event_type", [
    ("Police fired tear gas at protesters in Nairobi.", "ATTACK"),
    ("Troops fired on the crowd outside the palace.", "ATTACK"),
    ("Pyongyang fired three missiles into the sea on Monday.", "OTHER"),   # a launch, no target
    ("The board fired the chief executive on Monday.", "OTHER"),           # a dismissal
    ("Ghana recalled its ambassador to Burkina Faso.", "OTHER"),
    ("Kestrel Motors recalled 1 million cars.", "OTHER"),
])
def test_firing_at_someone_is_an_attack_and_a_recall_an_act(parse, text, event_type):
    found = [e for e in _events(parse, text) if e.trigger_lemma in ("fire", "recall")]
    assert [e.event_type for e in found] == [event_type]


def test_recalling_what_was_said_is_no_act(parse):
    found = _events(parse, "She recalled that the talks had been difficult.")
    assert "recall" not in [e.trigger_lemma for e in found]


@pytest.mark.parametrize("text, trigger, event_type, actor", [
    ("The union staged a walkout on the docks.", "walkout", "PROTEST", "The union"),
    ("Police launched a raid on the compound.", "raid", "ATTACK", "Police"),
    # a number of those who can act can act
    ("Thousands of workers staged a protest in Paris.", "protest", "PROTEST",
     "Thousands of workers"),
])
def test_a_happening_staged_or_launched_is_one_event_of_its_doer(parse, text, trigger,
                                                                   event_type, actor):
    found = [(e.trigger, e.event_type, e.actor) for e in _events(parse, text)]
    assert found == [(trigger, event_type, actor)]


@pytest.mark.parametrize("text, event_type", [
    ("Gunmen seized a police station in the north.", "ATTACK"),
    ("Nigerians voted in a presidential election on Saturday.", "ELECT"),
])
def test_a_place_seized_and_an_election_voted_in(parse, text, event_type):
    assert event_type in [e.event_type for e in _events(parse, text)]


def test_walking_off_the_job_is_a_strike_and_demanding_is_saying(parse):
    found = [(e.trigger, e.event_type, e.actor) for e in _events(
        parse, "Thousands of miners walked off the job on Friday, demanding higher wages.")]
    assert found == [("walked", "PROTEST", "Thousands of miners")]


@pytest.mark.parametrize("text, actor, target", [
    # whom an arrest or a sacking befalls is its owner; who made it only "by"
    ("Mikhail Arden is on trial for fraud following his arrest in October 2003.", None,
     "Mikhail Arden"),
    ("The information came to light during your detention by the United States.",
     "United States", "your"),
    ("UKIP officials began a process which could have triggered Mr Arden's expulsion.",
     None, "Arden"),
    # with an "of" phrase the owner is the one who acts
    ("The government's expulsion of two diplomats angered Moscow.", "The government",
     "two diplomats"),
])
def test_the_owner_of_an_arrest_is_whom_it_befalls(parse, text, actor, target):
    (event,) = [e for e in _events(parse, text) if e.event_type in ("ARREST", "SANCTION")]
    assert (event.actor, event.target) == (actor, target)


@pytest.mark.parametrize("text, signed", [
    ("Labour is telephoning people who have signed up to make sure they get no calls.", False),
    ("Some 600 schools have already signed up for the mock elections.", False),
    ("Japan, one of the biggest creditor nations, finally signed up to it.", True),
    ("ExxonMobil signed up for a $12.8bn deal on Sunday.", True),
])
def test_signing_up_is_a_signing_only_to_an_accord(parse, text, signed):
    assert any(e.event_type == "SIGN" for e in _events(parse, text)) is signed


def test_a_happening_named_as_what_someone_calls_something_is_words(parse):
    found = _events(parse, "It is denouncing what it calls the single-biggest coordinated "
                           "media attack in history.")
    assert "attack" not in [e.trigger for e in found]
    assert [e.trigger for e in _events(parse, "Rebels launched an attack on the town.")] == \
        ["attack"]
    # calling a strike is calling it, not a name for one
    found = _events(parse, "His announcement came shortly after the 21 opposition parties "
                           "called a six-hour nationwide strike for tomorrow.")
    assert "PROTEST" in [e.event_type for e in found]


@pytest.mark.parametrize("text, met", [
    ("Carers say they need more money to make ends meet.", False),
    ("The minister has to trim the deficit each year, a target he says he has now met.", False),
    ("The two foreign ministers met in Geneva on Monday.", True),
    ("Ms Varga met the Estonian envoy on Tuesday.", True),
])
def test_meeting_someone_not_ends_or_a_target(parse, text, met):
    assert any(e.event_type == "MEET" for e in _events(parse, text)) is met


def test_a_trend_arrested_is_no_arrest(parse):
    assert not [e for e in _events(parse, "He said the steady decline of the country's banks "
                                          "would be arrested by the new law.")
                if e.event_type == "ARREST"]
    (event,) = [e for e in _events(parse, "Police arrested the dealer on Monday.")
                if e.event_type == "ARREST"]
    assert (event.actor, event.target) == ("Police", "the dealer")


@pytest.mark.parametrize("text, event_type, actor, target", [
    # a headline's passive leaves out "is": its subject is whom it befell
    ("Party leader Tom Varga arrested\n\nThe leader of the party was held on Monday.",
     "ARREST", None, "Tom Varga"),
    ("Kestrel Oil accused of lying to court\n\nThe company denies it.", "ACCUSE", None,
     "Kestrel Oil"),
    # a headline in the active keeps its doer; so does a sentence with its stop
    ("Rebels killed three soldiers\n\nThe army said so.", "ATTACK", "Rebels",
     "three soldiers"),
])
def test_a_headline_passive_is_done_to_its_subject(parse, text, event_type, actor, target):
    headline = parse(text)[0]
    (event,) = [e for e in find_events(headline, PUBLISHED) if e.event_type == event_type]
    assert (event.actor, event.target) == (actor, target)


@pytest.mark.parametrize("text, modality", [
    # the verb that makes a happening says whether it happens
    ("Mr Prentis said workers did not want to go on strike.", "negated"),
    # a happening one stays away from still happens
    ("Ms Flowers will not be attending the debate tomorrow night.", "planned"),
    ("Workers threatened to go on strike.", "hypothetical"),
    ("The ministers could hold talks next week.", "hypothetical"),
    ("Workers went on strike on Monday.", "asserted"),
    ("The two leaders held talks in Geneva on Monday.", "asserted"),
])
def test_a_happening_made_by_a_negated_or_wished_verb(parse, text, modality):
    (event,) = [e for e in _events(parse, text) if e.event_type in ("PROTEST", "MEET", "OTHER")]
    assert event.modality == modality


def test_a_hyphened_modifier_is_no_happening(parse):
    assert _events(parse, "The club said it was in a life-threatening financial situation.") == []
    # a verb with a hyphen is still one
    assert [e.trigger for e in _events(parse, "Allegations say he fast-tracked a visa for "
                                              "the nanny.")] == ["tracked"]
    assert [e.event_type for e in _events(parse, "The state-owned firm re-signed the "
                                                 "contract.")] == ["SIGN"]


@pytest.mark.parametrize("text, trigger, actor, target", [
    # a place named before a visit is where to, before a rally where: no actor
    ("After the New York trip, Varga flew back to Georgia.", "trip", "Varga", "New York"),
    ("Trump railed against the judge at a San Diego rally.", "rally", None, None),
    # an organisation named before an inquiry makes it
    ("The Pentagon inquiry began on Monday.", "inquiry", "Pentagon", None),
])
def test_a_place_named_before_a_happening_hosts_it(parse, text, trigger, actor, target):
    (event,) = [e for e in _events(parse, text) if e.trigger == trigger]
    assert (event.actor, event.target) == (actor, target)


@pytest.mark.parametrize("text, event_type, actor", [
    # attacks on, against or from a person, or a person's own, are words
    ("The Clinton campaign pushed back against Mr. Sanders's attack on her qualifications.",
     "ACCUSE", "Sanders"),
    ("Rubio and Christie faced increasing attacks from Bush and Kasich on Saturday.",
     "ACCUSE", "Bush"),
    # force: on a place, or said to be of terror
    ("Omar Mateen's attack on the nightclub killed 49 people.", "ATTACK", "Omar Mateen"),
    ("Trump will deliver a speech addressing the terrorist attacks in Orlando.", "ATTACK", None),
])
def test_a_persons_attacks_are_words_and_force_on_places(parse, text, event_type, actor):
    (event,) = [e for e in _events(parse, text) if e.trigger.startswith("attack")]
    assert (event.event_type, event.actor) == (event_type, actor)


def test_a_states_talks_with_another_are_its_own(parse):
    (event,) = _events(parse, "A subcommittee approved a plan to seek U.S. negotiations with "
                              "other industrialized countries on debt.")
    assert (event.actor, event.target) == ("U.S.", "other industrialized countries")
    (event,) = [e for e in _events(parse, "That move followed a protest from the Thai "
                                          "government about the dams.")]
    assert (event.event_type, event.actor) == ("PROTEST", "the Thai government")


@pytest.mark.parametrize("text", [
    # a figure's movement by an amount is no act
    "April M-1A rose a year-on-year 15.12 pct to 14.22 billion rand.",
    "Employment expanded for the first time since August 1984.",
    # a plan killed, a threat by what cannot act: no force
    "Its attachment to a trade bill would kill the bipartisan, cooperative spirit.",
    "The U.S. claims the EC directive threatens to cut 100 mln dlrs of meat shipments.",
])
def test_movements_and_stops_are_no_events(parse, text):
    assert [e for e in _events(parse, text) if e.modality in HAPPENED] == []


@pytest.mark.parametrize("text, event_type, actor, target", [
    ("The bank raised its prime rate to 7.5 pct on Monday.", "OTHER", "The bank",
     "its prime rate"),
    ("Halvorsen Corp expanded its plant in Ohio last year.", "OTHER", "Halvorsen Corp",
     "its plant"),
    # killing a bill is an act of its own, not force
    ("The Senate killed the bill on Tuesday.", "OTHER", "Senate", "the bill"),
    ("Rebels killed three soldiers on Monday.", "ATTACK", "Rebels", "three soldiers"),
    # shooting hoops is an act; shooting someone force
    ("Mr Blair shot basketball hoops with students from the college.", "OTHER",
     "Blair", "basketball hoops"),
    ("Police shot a gunman dead on Monday.", "ATTACK", "Police", "a gunman"),
    # a passive joined to an active verb is done to their subject
    ("In July James Ford pleaded guilty to her murder and was jailed for 15 years.", "ARREST",
     None, "James Ford"),
    # whom a verb blames for an act did it
    ("The federation criticised the rail company for threatening to replace the strikers.",
     "THREATEN", "the rail company", None),
    # a wire's company code keeps no brackets
    ("<Mark Resources Inc> said it agreed to sell shares to Nesbitt Thomson Deacon Inc.",
     "COOPERATE", "Mark Resources Inc", None),
    # nor its ticker
    ("Hutton rejected a buyout offer from Shearson Lehman Brothers Inc <SHE> on Monday.",
     "OTHER", "Hutton", "a buyout offer from Shearson Lehman Brothers Inc"),
])
def test_acts_with_objects_and_their_doers(parse, text, event_type, actor, target):
    (event,) = [e for e in _events(parse, text) if e.event_type == event_type]
    assert (event.actor, event.target) == (actor, target)


@pytest.mark.parametrize("text, debated", [
    # a debate over something, at no time, is a public argument
    ("The fuzzy video captured the raging national debate over trade.", False),
    ("The Senate held a debate over the bill on Tuesday.", True),
    ("Trump lost supporters after the debate on Saturday.", True),
])
def test_a_debate_over_something_is_an_argument(parse, text, debated):
    assert any(e.trigger == "debate" for e in _events(parse, text)) is debated


@pytest.mark.parametrize("text, event_type", [
    # people who clash exchange words; forces that clash fight
    ("Donald Trump clashed with Megyn Kelly on Thursday.", "ACCUSE"),
    ("Police clashed with protesters in the capital on Sunday.", "ATTACK"),
    # protests that blow up are no explosion; a failure demonstrated is shown
    ("Gonzalez criticized widespread protests which have blown up since May.", None),
    ("He added the failure was also demonstrated when governments had to join in a loan.",
     None),
    ("Rebels blew up a bridge on Monday.", "ATTACK"),
])
def test_clashes_blasts_and_demonstrations(parse, text, event_type):
    types = {e.event_type for e in _events(parse, text) if e.trigger in (
        "clashed", "blown", "blew", "demonstrated")}
    assert types == ({event_type} if event_type else set())
