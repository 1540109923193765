"""Find events: specific happenings presented as having taken place.

``find_events(sent, published)`` returns at most one event per event type
in a sentence (a sentence that names a summit twice names one meeting).

Event types (``EVENT_TYPES``, after PLOVER's top-level categories, kept
small) and what each covers are listed in docs/records.md.

Not events: modal or negated verbs ("could tackle terrorism"), a happening
that is only the object of a reporting verb ("describing the meeting as
constructive"), infinitives under a plan or threat, and the act of saying.
"""
from __future__ import annotations

import datetime
from typing import Optional

from spacy.tokens import Span, Token

from tidings.rules import accords, actions, dates, happenings, language, money, roles
from tidings.rules.claims import REPORTING_VERBS
from tidings.rules.modality import (HAPPENED, WANTING, conditional, made_modality, modal,
                                     negated, planned)
from tidings.rules.triggers import (ACCORDS, ERUPTING, MILITARY_CAMPAIGN, NEEDS_CLAUSE,
                                    NEEDS_OBJECT, NOUN_TRIGGERS, REPORTING_OBJECT_VERBS,
                                    SCHEDULED, SPECIFIC_NOUN_TRIGGERS, VERB_TRIGGERS)
from tidings.schemas import EventFinding


EVENT_TYPES = ("MEET", "VISIT", "ATTACK", "THREATEN", "ACCUSE", "SANCTION",
               "COOPERATE", "AID", "PROTEST", "ELECT", "ARREST", "SIGN", "OTHER")

def find_events(sent: Span, published: Optional[datetime.date],
                dateline_location: Optional[str] = None) -> list[EventFinding]:
    """The events of one sentence: one per event type, and one per verb
    of the specific acts of type OTHER.

    Args:
        published: the article's publication date, to resolve dates against.
        dateline_location: where the story was filed; the location of an
            event whose sentence names no place.
    """
    found: dict[tuple[str, str], EventFinding] = {}
    for token in sent:
        event_type = _event_type(token)
        if event_type is None:
            continue
        # One event of each type, but several specific acts (OTHER) where
        # their verbs differ: "bought X, merging it with Y".
        modality = _modality(token)
        if modality is None:
            continue
        key = (event_type, token.lemma_.lower() if event_type == "OTHER" else "",
               "" if modality in HAPPENED else modality)
        if key in found:
            continue
        actor, target = roles.roles(token)
        date_text, date, precision, reason = _date_of(sent, token, published)
        if modality == "asserted" and planned(token, date, published):
            modality = "planned"
        location = _location_of(sent, token)
        found[key] = EventFinding(
            trigger=token.text, trigger_lemma=token.lemma_.lower(),
            event_type=event_type, actor=actor, target=target,
            location=location or _title_case(dateline_location), date_text=date_text,
            date=date, date_precision=precision, date_unresolved_reason=reason,
            confidence=0.8 if token.pos_ == "VERB" else 0.7,
            evidence=f"{'verb' if token.pos_ == 'VERB' else 'noun'}_trigger:"
                     f"{token.lemma_.lower()}", modality=modality)
    return list(found.values())


def _event_type(token: Token) -> Optional[str]:
    lemma = token.lemma_.lower()
    lower = token.lower_
    if lemma == "certify" and language.decertified(token):
        return "OTHER"       # a change to an accord's standing
    if token.pos_ == "VERB" or (token.pos_ == "ADJ" and lower == "visiting"):
        if token.ent_type_ in _NAME_LABELS or happenings.hyphenated(token):
            return None     # a word of a name read as a verb: "Nick Van den Brul"
        if lower == "visiting" and token.dep_ == "amod":
            return "VISIT"
        event_type = VERB_TRIGGERS.get(lemma)
        if lemma == "walk" and any((c.dep_ in ("prt", "advmod") and c.lower_ == "out") or (
                c.lower_ == "off" and any(p.lower_ in ("job", "jobs") for p in c.children))
                for c in token.children if c.i == token.i + 1):
            return "PROTEST"    # "dock workers walked out on Friday", "walked off the job"
        if lemma == "sign" and happenings.signed_up_to_nothing(token):
            return None         # "people who have signed up": enrolled, no accord
        if lemma == "warn" and _warned_of_force(token):
            return "THREATEN"   # "North Korea warned it would strike US bases"
        if event_type is None:
            return actions.action_type(token)
        if token.tag_ == "VBN" and (token.dep_ in ("amod", "acomp", "oprd") or (
                token.dep_ == "xcomp" and token.head.lemma_.lower() in ("stand", "remain"))) \
                and not any(c.dep_ == "agent" for c in token.children):
            return None  # "signed letters", "stands accused": a state, not a happening
        if token.tag_ == "VBG" and token.dep_ == "acl" and event_type not in _PHYSICAL and \
                not actions.can_act(token.head):
            return None  # "a state of emergency threatening the nation"
        if happenings.kind_of(token):
            return None  # "a pace of killing", "the threat of attacking"
        if lemma == "agree":
            return "COOPERATE" if accords.agreeing(token) or \
                _has_object_in(token, ACCORDS) or any(
                    c.dep_ == "prep" and c.lower_ == "to" and any(
                        p.dep_ == "pobj" and p.lemma_.lower() in ACCORDS for p in c.children)
                    for c in token.children) else None       # "agreed to a buyout"
        needed = NEEDS_OBJECT.get(lemma)
        if lemma == "fire" and not any(c.dep_ == "nsubjpass" or (c.dep_ == "dobj" and (
                c.ent_type_ or c.lemma_.lower() in language.PERSON_ROLE_NOUNS))
                for c in token.children) and any(
                c.dep_ == "prep" and c.lower_ in ("on", "at") and not any(
                    p.ent_type_ in ("DATE", "TIME") for p in c.children) for c in token.children):
            return "ATTACK"     # "fired tear gas at protesters", not "was fired on Monday"
        if needed is not None and not _has_object_in(token, needed):
            # "the board approved the merger": still an act, of no type
            if lemma == "seize" and any(c.dep_ == "dobj" and c.lemma_.lower() not in _CHANCES
                                        for c in token.children):
                return "OTHER" if actions.actor_of(token) is not None else None
            if lemma == "host" and any(c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "ORG", "GPE")
                                       for c in token.children):
                return "MEET"   # "Obama hosted Netanyahu at the White House"
            if event_type == "AID" and any(c.dep_ == "dobj" and money.is_money(c)
                                           for c in token.children) and \
                    lemma in ("give", "grant", "lend", "pledge", "provide", "donate") and \
                    _institution(actions.actor_of(token)):
                return "AID"    # "the EU gave Greece 10 billion euros in emergency loans"
            return actions.action_type(token) if lemma in _ALSO_ACTS else None
        if lemma in NEEDS_CLAUSE and not any(c.dep_ == "ccomp" for c in token.children):
            return None
        if lemma in ("rally", "march") and not any(
                c.dep_ == "prep" and c.lower_ in ("against", "outside", "for")
                for c in token.children) and not any(
                c.dep_ == "nsubj" and c.lemma_.lower() in _PROTESTERS for c in token.children):
            return None  # "rallied supporters" is a campaign, not a protest
        if lemma in ("attack", "clash"):
            return happenings.attack_verb_type(token)
        if lemma == "meet" and (happenings.no_meeting(token) or any(
                c.dep_ == "dobj" and not actions.can_act(c) for c in token.children)):
            return None  # "met its targets", "meet demand", "make ends meet"
        if event_type in ("ARREST", "ATTACK", "THREATEN") and happenings.done_to_a_thing(token):
            actor = actions.actor_of(token)     # "the Senate killed the bill": an act
            return "OTHER" if actor is not None and actions.can_act(actor) else None
        if lemma == "accuse" and token.dep_ == "acl":
            return None  # "tweets accusing X of ...": the tweets, not an act now
        return event_type
    if token.pos_ in ("NOUN", "PROPN"):
        if token.pos_ == "PROPN" and not token.text.islower():
            return None  # "Congress", "Summit" in a name: not the happening
        if happenings.topic(token):
            return None  # "came to talk about trade and the American elections"
        key = lower if lower in NOUN_TRIGGERS else lemma
        event_type = NOUN_TRIGGERS.get(key)
        if event_type is None:
            specific = SPECIFIC_NOUN_TRIGGERS.get(lower) or SPECIFIC_NOUN_TRIGGERS.get(lemma)
            return specific if specific is not None and token.dep_ != "compound" \
                and (happenings.pinned_down(token) or happenings.broke_out(token)) and not happenings.not_yet(token) else None
        if token.dep_ == "compound":
            return None  # "the debate hall", "a summit venue": a thing named after it
        if happenings.not_yet(token):
            return None  # "the main stumbling block to a merger", "ahead of the election"
        if key == "debate" and token.dep_ == "dobj" and not language.has_time(token) and \
                token.head.lemma_.lower() not in _HELD:
            return None  # "won the debate", "polarised the debate on X": a topic
        if key in ("campaign", "intervention") and not any(c.lower_ in MILITARY_CAMPAIGN
                                                           for c in token.children):
            return None     # not an election campaign, nor a central bank's intervention
        if key == "strike" and token.dep_ == "pobj" and token.head.lower_ == "on" and \
                token.head.head.lemma_.lower() in ("go", "be", "remain", "stay"):
            return "PROTEST"    # "thousands of workers went on strike"
        if key == "strike" and not any(c.lower_ in ("air", "missile", "drone")
                                       for c in token.children):
            # a labour strike: "the dock strike", "workers' strike", "the strike has cut exports"
            return "PROTEST" if token.dep_ != "compound" and happenings.pinned_down(token) or \
                token.dep_ in ("nsubj", "nsubjpass") else None
        if key == "attack" and happenings.verbal_attack(token):
            return "ACCUSE"
        if not happenings.told_of(token):
            return None
        return event_type
    return None


# What one seizes that is no thing: "seized the moment".
_CHANCES = frozenset({"moment", "opportunity", "chance", "initiative", "advantage", "occasion",
                      "spotlight", "headline", "imagination", "day"})


_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART"})


def _institution(actor) -> bool:
    """A state, body or group that gives aid: not "she gave him 20 dollars"."""
    if actor is None:
        return False
    entity = language.entity_at(actor)
    return (entity is not None and entity.label_ in ("ORG", "GPE", "NORP")) or (
        actor.pos_ == "NOUN" and actions.can_act(actor))


def _warned_of_force(verb: Token) -> bool:
    """A warning that the speaker would attack or sanction: a threat."""
    return any(c.dep_ == "ccomp" and VERB_TRIGGERS.get(c.lemma_.lower()) in ("ATTACK", "SANCTION")
               and any(a.dep_ == "aux" and a.lower_ in ("would", "will") for a in c.children)
               for c in verb.children)


def _has_object_in(token: Token, lemmas: set[str]) -> bool:
    if token.dep_ in ("acl", "relcl") and token.head.lemma_.lower() in lemmas and (
            any(c.dep_ == "agent" for c in token.children)
            or language.has_time(token)):
        return True      # "the agreement reached by six nations", "reached in 1985"
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "pobj", "prt", "attr") or (
                child.dep_ == "nsubj" and token.lemma_.lower() == "lift"):
            if child.lemma_.lower() in lemmas or child.lower_ in lemmas:
                return True
            if any(grand.lemma_.lower() in lemmas for grand in child.children
                   if grand.dep_ == "pobj"):
                return True
        if child.dep_ == "prt" and token.lemma_.lower() == "blow" and not any(
                c.dep_ == "nsubj" and c.lower_ in ERUPTING for c in token.children):
            return True     # "blew up a bridge", not "protests which have blown up"
    if token.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in token.children):
        raised = language.raised_subject(token.head)    # "the accord is expected to be ratified"
        return raised is not None and (raised.lemma_.lower() in lemmas or raised.lower_ in lemmas)
    return False


# Happenings a thing can do: "a bomb killing five", "a convoy visiting".
_PHYSICAL = frozenset({"ATTACK", "PROTEST", "VISIT", "MEET"})
# Verbs that hold a debate or a meeting rather than talk of one.
_HELD = frozenset({"hold", "host", "moderate", "attend", "stage", "organise", "organize",
                   "chair", "watch", "see", "skip", "boycott"})
# Trigger verbs that are still an OTHER act without the object their type needs.
_ALSO_ACTS = frozenset({"approve", "grant", "provide", "pledge", "lend", "seize", "capture",
                        "ban", "freeze", "boycott", "torch", "embargo", "expel", "block",
                        "fire"})
# Who marches in protest: "protesters marched through the capital".
_PROTESTERS = frozenset({"protester", "demonstrator", "thousand", "hundred", "crowd",
                         "student", "worker", "activist", "opponent", "supporter"})
# Verbs whose clause with "would" or "will" is only promised or feared.
_PROMISING = frozenset({"pledge", "promise", "vow", "threaten", "warn", "hope", "offer",
                        "fear", "predict", "expect"})


def _modality(token: Token) -> Optional[str]:
    """negated, hypothetical (modal, conditional, intended), or asserted
    (``planned`` is told after the date is known); None when the word
    names no happening at all (a showing, a judgement, a topic)."""
    if negated(token):
        return "negated"
    if conditional(token):
        return "hypothetical"  # "If Clinton is elected, ..."
    if token.pos_ == "VERB":
        if modal(token):
            return "hypothetical"
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in _PROMISING and any(
                c.dep_ == "aux" and c.lower_ in ("would", "will") for c in token.children):
            return "hypothetical"  # "pledged that it would lift restrictions": a pledge
        if token.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to"
                                      for c in token.children) and not (
                token.dep_ == "xcomp" and (token.head.lower_ in SCHEDULED or
                                           token.head.lemma_ in ("be", "manage"))):
            return "hypothetical"  # an infinitive: a purpose, plan or pledge
        if token.lemma_.lower() == "demonstrate" and any(
                c.dep_ in ("ccomp", "dobj", "nsubjpass", "csubjpass") for c in token.children):
            return None  # "demonstrated that ...", "was demonstrated": showing, not protesting
        if token.tag_ == "VBG":
            node = token
            while node.dep_ == "conj" and node.head.tag_ == "VBG":
                node = node.head
            if node.dep_ in ("dobj", "xcomp") and modal(node.head):
                return "hypothetical"   # "that could include imposing sanctions"
        if token.dep_ == "xcomp" and token.head.lemma_.lower() in WANTING:
            return "hypothetical"
        if token.dep_ == "pcomp" and token.head.lower_ in ("of", "about") and \
                token.head.head.lemma_.lower() in ("speak", "talk"):
            return None
        if token.tag_ == "VBG" and token.dep_ == "pcomp" and \
                token.head.head.lemma_.lower() == "accuse":
            # "has been accused of striking X": the striking is the event.
            return "asserted"
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "nsubjpass") and \
            token.head.lemma_.lower() in REPORTING_OBJECT_VERBS:
        return None
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "attr":
        return None  # "This is a very important visit": a judgement of one
    if token.pos_ in ("NOUN", "PROPN") and made_modality(token) is not None:
        return made_modality(token)     # "did not want to go on strike"
    if token.pos_ == "VERB" and token.lemma_.lower() == "accuse" and \
            any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
        return None  # "X has been accused of ...": whose accusation, and when?
    return "asserted"


def _location_of(sent: Span, trigger: Token) -> Optional[str]:
    """The place named by an 'in'/'at' phrase in the sentence, nearest the trigger."""
    best = None
    for ent in sent.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        head = ent.root.head
        if head.lower_ in ("in", "at", "to", "over", "near") and head.dep_ == "prep":
            distance = abs(ent.start - trigger.i)
            if best is None or distance < best[0]:
                best = (distance, ent.text)
    return best[1] if best else None


def _date_of(sent: Span, trigger: Token, published: Optional[datetime.date]):
    """The date phrase nearest the trigger, resolved against publication."""
    best = None
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME") or not dates.is_time_expression(ent.text):
            continue
        if _set_apart(ent.root, trigger):
            continue    # "his first trip to Iran since 2007": not when it happened
        if _of_something_else(ent, trigger):
            continue
        distance = abs(ent.start - trigger.i)
        if best is None or distance < best[0]:
            best = (distance, ent)
    if best is None:
        return None, None, None, None
    text = best[1].text
    future = dates.speaks_of_future(trigger)
    date, precision, reason = dates.resolve_date(text, published, future=future)
    return text, date, precision, reason


def _set_apart(date: Token, trigger: Token) -> bool:
    """Whether a date lies in a phrase that sets it apart from the trigger's
    time, between it and the trigger: "since" ("since the 11 September 2001
    attacks, BA has cut jobs") or a comparison ("compared with a loss in
    2003")."""
    node = date
    while node.head.i != node.i and node.i != trigger.i:
        if node.lower_ == "since" or node.lemma_.lower() == "compare":
            return True
        node = node.head
    return node.i != trigger.i and date.i > 0 and date.doc[date.i - 1].lower_ == "since"


# Occasions a date names a time by: "at the 1945 general election".
_OCCASIONS = frozenset({"election", "poll", "vote", "referendum", "meeting", "summit",
                        "session", "conference", "congress", "war", "campaign"})
_WHEN = frozenset({"at", "in", "during", "after", "before", "since", "until", "by"})


def _clause(token: Token) -> Token:
    """The head of the clause a token sits in."""
    while token.head.i != token.i and not (
            token.dep_ in language.CLAUSES and token.pos_ in ("VERB", "AUX")):
        token = token.head
    return token


def _of_something_else(phrase: Span, trigger: Token) -> bool:
    """Whether a date tells the time of something else than the trigger's
    happening: a noun's own ("a 1984 contract", "his mid-February offer";
    not an occasion's, "at the 1945 general election", nor a day's), a
    relative clause's the trigger is not in ("lawyers who filed a suit
    three years ago", "the firm, which floated in 2003, announced"), or the
    report's that the trigger's clause is the content of ("sources told
    Reuters earlier this month that the FBI has launched an inquiry")."""
    date = phrase.root
    owner = date.head
    occasion = owner.dep_ == "pobj" and owner.head.lower_ in _WHEN and \
        owner.lemma_.lower() in _OCCASIONS      # "elected at the 1945 general election"
    if date.dep_ in ("compound", "amod", "nummod", "poss") and owner.pos_ == "NOUN" and \
            trigger.i not in (owner.i, owner.head.i, owner.head.head.i) and not occasion and \
            not dates.names_a_day(phrase.text):
        return True     # (a day is an event's: the parse misplaces "on 19 December")
    clause = _clause(date)
    if clause.dep_ in ("relcl", "acl") and trigger.i not in {t.i for t in clause.subtree} \
            and not (clause.head.dep_ == "dobj" and clause.head.head.i == trigger.i):
        return True     # (but "arrested protesters who blocked the road on Saturday")
    node = _clause(trigger)
    while node.head.i != node.i and node.i != clause.i:
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in REPORTING_VERBS:
            return True
        node = _clause(node.head)
    return False


def _title_case(location: Optional[str]) -> Optional[str]:
    """'NEW YORK' as 'New York'; datelines are written in capitals."""
    if location is None:
        return None
    return " ".join(word.capitalize() if word.isupper() else word
                    for word in location.split())
