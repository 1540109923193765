"""The status of an accord: how far it got, from the words that govern
its noun.

``accord_status(noun)`` returns ``(status, verb, evidence)``: the status
from the verb that governs the noun, walking up the parse ("agreed an
outline deal" -> agreed, "signed memorandums" -> signed, "threatened to
abandon the deal" -> threatened, "lifted under the accord" -> in_force),
then from what the noun's own clause says when no verb does ("would be
complex": proposed; "close to a deal": negotiating; "sold ... in a deal":
in_force); with neither, the accord is only mentioned.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from tidings.rules import language
from tidings.rules.accords import BID_FATES
from tidings.rules.modality import negated_clause
from tidings.rules.triggers import OBSTACLES


# Governing verb lemma -> status.
STATUS_VERBS = {
    "agree": "agreed", "reach": "agreed", "strike": "agreed", "clinch": "agreed",
    "seal": "agreed", "conclude": "agreed", "broker": "agreed",
    "sign": "signed", "ink": "signed",
    "ratify": "in_force", "implement": "in_force", "enforce": "in_force",
    "flout": "in_force",
    "negotiate": "negotiating", "renegotiate": "negotiating", "discuss": "negotiating",
    "propose": "proposed", "plan": "proposed", "create": "proposed",
    "offer": "proposed", "draft": "proposed", "seek": "proposed",
    "threaten": "threatened", "decertify": "threatened",
    "de-certify": "threatened", "disavow": "threatened",
    "undermine": "threatened", "violate": "threatened", "breach": "threatened",
    "abandon": "withdrawn", "withdraw": "withdrawn", "quit": "withdrawn",
    "scrap": "withdrawn", "exit": "withdrawn", "terminate": "withdrawn",
    "cancel": "withdrawn", "leave": "withdrawn", "lose": "withdrawn",
    "collapse": "withdrawn", "renege": "withdrawn", "end": "withdrawn",
    "block": "rejected", "rebuff": "rejected",
    "complete": "in_force", "close": "in_force", "approve": "agreed", "accept": "agreed",
    "bid": "proposed", "save": "threatened", "win": "agreed", "award": "agreed",
    "announce": "agreed", "jeopardise": "threatened",
    "jeopardize": "threatened", "endanger": "threatened",
    "reject": "rejected", "refuse": "rejected", "veto": "rejected",
    "oppose": "rejected", "extract": "agreed", "form": "agreed", "establish": "agreed",
    "make": "agreed", "enter": "agreed", "extend": "agreed", "renew": "agreed",
}
STATUS_NOUNS = {"disavowal": "threatened", "withdrawal": "withdrawn",
                "decertification": "threatened", "violation": "threatened",
                "negotiation": "negotiating", "talks": "negotiating",
                "signing": "signed", "rejection": "rejected",
                "ratification": "in_force", "offer": "proposed", "bid": "proposed",
                "proposal": "proposed", "block": "proposed", "obstacle": "proposed",
                "hurdle": "proposed", "barrier": "proposed", "approval": "agreed"}
# What makes a status noun not yet so: "an alleged violation", "expects approval".
_UNCONFIRMED = {"alleged", "possible", "potential", "suspected", "apparent"}
_AWAITED = {"expect", "seek", "need", "await", "require", "want", "hope", "apply"}
# Verbs whose negation in an accord's own clause is its end: "could not be carried out".
_CARRIED_OUT = {"carry", "complete", "proceed", "close", "happen", "go"}
# Obstacles (``triggers.OBSTACLES``) to a deal removed: "all regulatory
# hurdles to the merger have been cleared".
_CLEARED = {"clear", "remove", "overcome", "lift", "resolve"}
# Verbs with a particle or phrase that say how an accord fared.
_PHRASAL = {("call", "off"): "withdraw", ("vote", "down"): "reject",
            ("put", "at"): "threaten", ("back", "out"): "withdraw",
            ("fall", "apart"): "withdraw", ("fall", "through"): "withdraw"}
# Verbs that keep an accord from its end: "to keep the deal from falling apart".
_KEEPING = {"keep", "stop", "prevent", "save", "rescue"}
# A withdrawal only threatened stays "threatened".
_THREAT_WRAPPERS = {"threaten", "vow", "plan", "warn", "consider", "likely"}
# Reaching an accord still being worked for: "trying to reach agreement".
_STILL_TALKING = {"try", "expect", "hope", "aim", "work", "strive", "struggle", "fail"}


# A company's purchase told as part of what it did: done.
_PURCHASES = {"acquisition", "purchase", "takeover", "buyout", "merger"}
_SOLD = {"sell", "buy", "acquire", "purchase", "merge", "fall", "pass"}
_TALKS = {"talks", "talk", "negotiation", "negotiations", "discussion", "discussions"}
_EXPECTED = {"expect", "plan", "hope", "aim", "due", "likely", "set", "schedule"}


def accord_status(noun: Token) -> tuple[str, Optional[Token], str]:
    """Status from the verbs above the accord's noun, then what its own
    clause says when no verb does ("would be complex": proposed; "close to
    a deal": negotiating; "sold ... in a deal": in_force)."""
    status, verb, evidence = _governing_status(noun)
    if evidence.startswith("modifier:") and verb is None and any(
            c.dep_ == "amod" and c.pos_ == "VERB" for c in noun.children):
        # "signed the previously announced agreements": the verb the accord
        # is the object of says how far it got since (a verb told as done,
        # not "to consider blocking the planned acquisition")
        later, later_verb, later_evidence = _governing_status(noun, modifiers=False)
        told_as_done = later_verb is not None and (
            later_verb.tag_ in ("VBD", "VBN", "VBZ", "VBP") or (
                later_verb.dep_ == "xcomp" and later_verb.head.lemma_.lower() == "agree"))
        if later_evidence.startswith("verb:") and later != "mentioned" and told_as_done and \
                later_verb.lemma_.lower() not in _WEAKER_THAN_MODIFIER:
            # ("agreed to terminate the proposed acquisition": withdrawn)
            status, verb, evidence = later, later_verb, later_evidence
    if status == "in_force" and verb is not None and verb.dep_ == "xcomp" and \
            verb.head.lemma_.lower() in _EXPECTED:
        return "agreed", verb, f"{evidence}+expected"   # "expected to complete the deal"
    if status != "mentioned":
        return status, verb, evidence
    head = noun.head
    if noun.dep_ == "compound" and head.lemma_.lower() in ("bid", "offer", "proposal") and \
            head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in BID_FATES:
        fate = head.head.lemma_.lower()     # "shareholders rejected the takeover bid"
        return BID_FATES[fate], head.head, f"verb:{fate}+{head.lemma_.lower()}"
    word = status_word(head) if noun.dep_ == "compound" else None
    if word is not None:                                   # "contract talks"
        return STATUS_NOUNS[word], None, f"noun:{word}"
    if any(c.dep_ == "prep" and c.lower_ == "in" and any(
            p.lower_ in _TALKS for p in c.children) for c in noun.children):
        return "negotiating", None, "in_talks"          # "agreement in the Doha talks"
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "close":
        return "negotiating", None, "close_to"
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB" and any(
            c.dep_ == "nsubj" and c.lower_ in _TALKS for c in head.head.children):
        return "negotiating", head.head, "talks_lead_to"   # "talks will lead to an accord"
    if noun.dep_ in ("nsubj", "nsubjpass") and (any(
            c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may")
            for c in head.children) or any(c.lower_ == "likely" for c in head.children)):
        return "proposed", head, "modal"                 # "such a merger would be complex"
    if noun.dep_ == "pobj" and head.lower_ == "in" and head.head.pos_ == "VERB" and \
            head.head.lemma_.lower() in _SOLD:
        deal_verb = head.head
        done = (deal_verb.tag_ in ("VBD", "VBN") or (
            deal_verb.tag_ == "VBG" and deal_verb.dep_ == "advcl"
            and deal_verb.head.tag_ in ("VBD", "VBN"))) and not any(
            c.lower_ in ("will", "would") for c in deal_verb.children)
        return ("in_force" if done else "agreed"), deal_verb, "in_deal"
    if noun.lemma_.lower() in _PURCHASES and any(c.dep_ == "poss" for c in noun.children) and \
            noun.dep_ == "pobj" and head.head.tag_ == "VBD":
        return "in_force", None, "past_purchase"   # "became the largest with its acquisition of"
    return status, verb, evidence


def _phrasal(verb: Token, lemma: str) -> str:
    """The verb a phrasal verb stands for ("voted down": reject, "put at
    risk": threaten, "fell apart": withdraw), else ``lemma``."""
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt" or (
        c.dep_ == "advmod" and c.lower_ in ("apart", "through")) or (
        c.dep_ == "prep" and (c.lower_ in ("off", "down") or any(
            p.lower_ == "risk" for p in c.children))) or (
        c.dep_ == "prep" and c.lower_ == "through" and not list(c.children))}
    # ("fell through", not "fell through the floor")
    return next((_PHRASAL[lemma, p] for p in particles if (lemma, p) in _PHRASAL), lemma)


# Verbs that say less than a modifier: "announced the proposed merger".
_WEAKER_THAN_MODIFIER = frozenset({"announce", "discuss", "consider", "study", "review"})


def _governing_status(noun: Token, modifiers: bool = True) -> tuple[str, Optional[Token], str]:
    """Status from the verbs above the accord's noun, and the verb used
    (``modifiers``: from the noun's own participles first, "the proposed
    deal")."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and \
            noun.head.head.lemma_.lower() in OBSTACLES and \
            noun.head.head.head.lemma_.lower() in _CLEARED:
        return "agreed", noun.head.head.head, "obstacle_cleared"
    status_noun = _status_noun_above(noun)
    if status_noun is not None and not _unconfirmed(status_noun):
        # "the signing of the deal", "his offer for a negotiated agreement"
        word = status_noun.lower_ if status_noun.lower_ in STATUS_NOUNS else \
            status_noun.lemma_.lower()
        return STATUS_NOUNS[word], None, f"noun:{word}"
    for child in noun.children if modifiers else ():
        # "the proposed deal", "de-certifying Tehran's deal" (parsed as a
        # modifier), "the agreement signed last July"; not "an agreement
        # to end subsidies", whose verb is what was agreed
        if (child.dep_ == "amod" or (child.dep_ == "acl" and child.tag_ == "VBN")
                or (child.dep_ == "relcl" and _object_gap(child))) and \
                child.pos_ == "VERB" and not any(c.lower_ == "ever" for c in child.children):
            # (and "the agreement that it made"; not "the worst deal ever negotiated")
            lemma = "decertify" if child.lemma_.lower() == "certify" and \
                language.decertified(child) else child.lemma_.lower()
            if child.dep_ == "amod" and lemma == "negotiate":
                continue    # "a negotiated agreement": how it is made, not how far it got
            if lemma in STATUS_VERBS:
                status = STATUS_VERBS[lemma]
                if status in ("agreed", "signed", "in_force") and any(
                        c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                    return "proposed", child, f"modifier:to_{lemma}"  # "an agreement to be approved"
                # the relative clause's subject made it: "which most nations signed"
                return status, child if child.dep_ == "relcl" else None, f"modifier:{lemma}"
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "under":
            return "in_force", None, "under_accord"
        if child.dep_ == "relcl" and child.lemma_.lower() in _CARRIED_OUT and \
                negated_clause(child):
            return "withdrawn", child, "not_carried_out"   # "which could not be carried out"
    if noun.dep_ in ("nsubj", "nsubjpass") and _takes_effect(noun.head):
        return "in_force", noun.head, "takes_effect"   # "the treaty comes into force"
    if noun.dep_ == "attr" and noun.head.lemma_ == "be" and any(
            c.dep_ == "expl" for c in noun.head.children) and not negated_clause(noun.head) \
            and not any(c.lower_ == "no" for c in noun.children):
        return "agreed", None, "there_is"      # "there was now an agreement to end"
    if noun.dep_ == "pobj" and noun.head.lower_ == "under":
        # "were lifted under the accord": in force; "will receive ... under the
        # merger agreement", "to act under the accord": only named
        acted = noun.head.head
        if acted.tag_ in ("VBD", "VBN") and not any(
                (c.dep_ == "aux" and c.lower_ in language.MODALS | {"will", "to"}) or
                (c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"))
                for c in acted.children):
            return "in_force", acted, "prep:under"     # (not "if the price is fixed under the deal")
        return "mentioned", None, "prep:under"
    node = noun
    for _ in range(4):
        if node.dep_ in ("ROOT",) and node.i != noun.i:
            break
        head = node.head
        if head.i == node.i:
            break
        lemma = head.lemma_.lower()
        if lemma == "certify" and language.decertified(head):
            lemma = "decertify"
        if lemma in ("pull", "back", "walk") and any(c.lower_ == "out" or c.lower_ == "away"
                                                    for c in head.children):
            lemma = "withdraw"      # "pull out of", "walk away from"
        lemma = _phrasal(head, lemma)
        if lemma in _KEEPING and any(
                c.dep_ == "prep" and c.lower_ == "from" and any(
                    p.dep_ == "pcomp" and STATUS_VERBS.get(_phrasal(p, p.lemma_.lower()))
                    == "withdrawn" for p in c.children) for c in head.children):
            lemma = "save"      # "to keep the deal from falling apart": threatened
        if head.pos_ in ("VERB", "AUX") and lemma in _EXPECTED and node.dep_ == "nsubjpass":
            # "the deal is expected to be completed": the verb it expects says
            done = next((c for c in head.children if c.dep_ == "xcomp"
                         and c.lemma_.lower() in STATUS_VERBS), None)
            if done is not None:
                status = STATUS_VERBS[done.lemma_.lower()]
                if status in ("in_force", "agreed", "signed"):     # not done yet
                    status = "agreed" if done.lemma_.lower() in ("complete", "close") \
                        else "negotiating"
                return status, done, f"verb:{lemma}+{done.lemma_.lower()}"
        if head.pos_ in ("VERB", "AUX") and lemma in STATUS_VERBS and node.i == noun.i and \
                noun.dep_ == "nsubj" and any(c.dep_ in ("dobj", "dative") for c in head.children):
            break   # what the accord does: "the agreement would make a difference"
        if head.pos_ in ("VERB", "AUX") and lemma in STATUS_VERBS:
            status = STATUS_VERBS[lemma]
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "until")
                   for c in head.children) and status not in ("withdrawn", "rejected"):
                return "proposed", head, f"verb:{lemma}+if"    # "if the merger is approved"
            if status in ("agreed", "signed", "in_force") and any(
                    c.dep_ == "aux" and c.lower_ in ("would", "could", "should", "might", "may")
                    for c in head.children):
                # "should the UK approve it"; "the merger should be closed by May": agreed
                return ("agreed" if lemma in ("complete", "close") else "proposed"), head, \
                    f"verb:{lemma}+modal"
            if status == "withdrawn" and (
                    (head.dep_ == "xcomp" and head.head.lemma_.lower() in _THREAT_WRAPPERS)
                    or any(c.dep_ == "aux" and c.lower_ in ("may", "might", "could")
                           for c in head.children)):
                return "threatened", head, f"verb:{head.head.lemma_.lower()}+{lemma}"
            if status in ("agreed", "signed") and head.dep_ == "xcomp" and (
                    head.head.lemma_.lower() in _STILL_TALKING or _able_yet(head.head)):
                return "negotiating", head.head, f"verb:{head.head.lemma_.lower()}+{lemma}"
            if status in ("agreed", "signed") and head.dep_ == "xcomp" and \
                    head.head.lemma_.lower() in ("plan", "seek", "want", "propose", "go"):
                return "proposed", head.head, f"verb:{head.head.lemma_.lower()}+{lemma}"
            if node.dep_ == "acl" or (node.i == noun.i and noun.dep_ in ("nsubj", "nsubjpass")
                                      and lemma in ("negotiate",)):
                break
            return status, head, f"verb:{lemma}"
        if head.pos_ in ("VERB", "AUX"):
            break  # governed by a verb that says nothing of its standing
        if head.pos_ in ("NOUN", "PROPN", "NUM") and node.dep_ != "appos":
            break  # "oppose any change in the deal": the verb acts on the change
        node = head
    # The noun modified by a verb in a relative clause: "the deal reached in 2015"
    # names a past agreement that is only mentioned here.
    return "mentioned", None, "noun_only"


def status_word(noun: Token) -> Optional[str]:
    """The key of ``STATUS_NOUNS`` a noun is, by lemma or form ("talks",
    whose lemma is "talk"), or None."""
    for word in (noun.lemma_.lower(), noun.lower_):
        if word in STATUS_NOUNS:
            return word
    return None


def _takes_effect(verb: Token) -> bool:
    """"comes into force", "entered into force", "takes effect"."""
    lemma = verb.lemma_.lower()
    if lemma in ("come", "enter", "go"):
        return any(c.dep_ == "prep" and c.lower_ == "into" and any(
            p.lower_ in ("force", "effect") for p in c.children) for c in verb.children)
    return lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "effect"
                                   for c in verb.children)


def _able_yet(word: Token) -> bool:
    """"would never be able to reach agreement", "will be able to sign":
    an accord still worked for, not one "they were able to reach"."""
    if word.lemma_.lower() not in ("able", "unable") or word.dep_ != "acomp":
        return False
    return any((c.dep_ == "aux" and c.lower_ in language.MODALS | {"will"}) or c.dep_ == "neg"
               for c in word.head.children)


def _status_noun_above(noun: Token) -> Optional[Token]:
    """The status noun whose preposition holds the accord: "the signing of
    the deal"; also "offer for an agreement" where the parse hangs "for" on
    the verb ("respond to his offer for a negotiated agreement")."""
    if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
        return None
    prep = noun.head
    if prep.head.lemma_.lower() in STATUS_NOUNS or prep.head.lower_ in STATUS_NOUNS:
        return prep.head    # ("talks on the arms control agreement")
    before = prep.doc[prep.i - 1] if prep.i > prep.sent.start else None
    if before is not None and prep.lower_ in ("for", "of") and before.pos_ == "NOUN" and \
            before.lemma_.lower() in STATUS_NOUNS:
        return before
    return None


def _object_gap(relcl: Token) -> bool:
    """A relative clause whose object is the accord: "the agreement that it
    made", "the deal which they signed", "the accord they reached"."""
    if any(c.dep_ == "dobj" for c in relcl.children):
        return any(c.dep_ == "dobj" and c.lower_ in ("that", "which") for c in relcl.children)
    if relcl.tag_ == "VBN" and any(c.dep_ in ("nsubjpass", "auxpass") for c in relcl.children):
        return True     # "the deal which was signed", "an agreement to be approved"
    return any(c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP") and not language.accord_type(c)
               for c in relcl.children)


def _unconfirmed(status_noun: Token) -> bool:
    """A status noun not yet so: an "alleged violation", approval still
    expected or sought ("expects to get regulatory approval for the deal")."""
    if any(c.dep_ == "amod" and c.lower_ in _UNCONFIRMED for c in status_noun.children):
        return True
    if status_noun.lemma_.lower() != "approval":
        return False
    verb = status_noun.head
    return verb.lemma_.lower() in _AWAITED or (
        verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _AWAITED)
