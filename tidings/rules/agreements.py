"""Find agreements: accords between parties, and changes to their standing.

``find_agreements(sent, published)`` returns at most one agreement per
agreement type in a sentence, with its parties, status, named value and
date.

Status comes from the verb that governs the accord's noun, walking up the
parse: "agreed an outline deal" -> agreed, "signed memorandums" -> signed,
"threatened to abandon the deal" -> threatened, "lifted under the accord"
-> in_force; with no such verb the accord is only mentioned.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Optional, Sequence

from spacy.tokens import Span, Token

from tidings.rules import accords, dates, language, money
from tidings.rules import parties as party_rules
from tidings.rules.modality import negated_clause, planned
from tidings.schemas import AgreementFinding


# Governing verb lemma -> status.
STATUS_VERBS = {
    "agree": "agreed", "reach": "agreed", "strike": "agreed", "clinch": "agreed",
    "seal": "agreed", "conclude": "agreed", "broker": "agreed",
    "sign": "signed", "ink": "signed",
    "ratify": "in_force", "implement": "in_force", "enforce": "in_force",
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
    "complete": "in_force", "approve": "agreed", "accept": "agreed",
    "bid": "proposed", "save": "threatened", "win": "agreed", "award": "agreed",
    "announce": "agreed", "jeopardise": "threatened",
    "jeopardize": "threatened", "endanger": "threatened",
    "reject": "rejected", "refuse": "rejected", "veto": "rejected",
    "oppose": "rejected", "extract": "agreed", "form": "agreed", "establish": "agreed",
    "make": "agreed",
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
# Obstacles to a deal removed: "all regulatory hurdles to the merger have been cleared".
_OBSTACLES = {"block", "obstacle", "hurdle", "barrier"}
_CLEARED = {"clear", "remove", "overcome", "lift", "resolve"}
# A withdrawal only threatened stays "threatened".
_THREAT_WRAPPERS = {"threaten", "vow", "plan", "warn", "consider", "likely"}
# Reaching an accord still being worked for: "trying to reach agreement".
_STILL_TALKING = {"try", "expect", "hope", "aim", "work", "strive", "struggle"}


def find_agreements(sent: Span, published: Optional[datetime.date],
                    earlier: Sequence[AgreementFinding] = ()) -> list[AgreementFinding]:
    """The agreements of one sentence, at most one per agreement type.

    Args:
        earlier: the agreements of the article's earlier sentences, in
            order: an accord whose parties the sentence names only as
            "the two sides", "both companies" or "both", or not at all
            ("the deal"), takes the parties of the latest of them that
            names two or more (``parties.with_context``,
            ``parties_inherited``).
    """
    found: dict[str, AgreementFinding] = {}
    for token in sent:
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        agreement_type = language.accord_type(token)
        if agreement_type is None or (token.dep_ == "compound" and language.accord_type(token.head)):
            continue    # "a merger agreement": the head noun's record
        agreement_type = _refined_type(token, agreement_type)
        if agreement_type in found:
            if found[agreement_type].value_amount is None:
                # "agreed to a buyout ... in a deal valued at $6.75bn": one deal
                value = money.deal_value(token, sent)
                if value is not None:
                    found[agreement_type] = dataclasses.replace(
                        found[agreement_type], value_text=value[0], value_amount=value[1],
                        value_currency=value[2])
            continue
        if agreement_type == "zone" and not any(
                c.lower_ in ("trade", "economic") for c in token.subtree):
            continue
        if token.lower_ == "agreement" and \
                token.dep_ == "pobj" and token.head.lower_ == "in":
            continue  # "in agreement with": concurrence, not an accord
        if _idiom(token):
            continue
        status, verb, evidence = _status(token)
        parties, inherited = party_rules.with_context(
            _noun_parties(token, verb, sent), earlier, agreement_type, token,
            named_again=not party_rules.another_accord(token))
        value = money.deal_value(token, sent, verb)
        date_text, date = _date(token, sent, published)
        # An accord named by its noun is one whatever its verb says: "did
        # not sign the deal", "if the merger is approved" (the gold's
        # convention); its status tells how far it got. Only scheduling
        # shows in its modality.
        modality = "planned" if planned(verb, date, published) else "asserted"
        found[agreement_type] = AgreementFinding(modality=modality,
            agreement_type=agreement_type, status=status,
            parties=tuple(parties),
            value_text=value[0] if value else None,
            value_amount=value[1] if value else None,
            value_currency=value[2] if value else None,
            date_text=date_text, date=date,
            confidence=0.85 if status != "mentioned" else 0.6,
            evidence=evidence + ("+context_parties" if inherited else ""),
            parties_inherited=inherited)
    nouns = dict(found)
    if "other" in nouns and len(nouns) > 1 and nouns["other"].evidence.startswith("noun_only"):
        del found["other"]   # "called the agreement the worst deal": one accord
    for verb, agreement_type, status, heads in accords.verb_agreements(sent):
        noun_record = found.get(agreement_type)
        if noun_record is not None and (noun_record.parties_inherited or not noun_record.parties):
            named = party_rules.party_names(heads)
            if len(named) >= 2:   # "will now be merged with United, ... post-merger"
                found[agreement_type] = dataclasses.replace(
                    noun_record, parties=tuple(named), parties_inherited=False,
                    status=status if noun_record.status == "mentioned" else noun_record.status,
                    evidence=noun_record.evidence.replace("+context_parties", "")
                    + f"+verb:{verb.lemma_.lower()}")
        if agreement_type in found or (agreement_type == "other" and _names_near(verb)):
            continue
        value = money.deal_value(verb, sent)
        date_text, date = _date(verb, sent, published)
        # Parties agreeing, or a deal verb: the verb is the happening.
        modality = "negated" if negated_clause(verb) else \
            "planned" if planned(verb, date, published) else "asserted"
        parties, inherited = party_rules.with_context(
            party_rules.party_names(heads), earlier, agreement_type, verb, heads)
        found[agreement_type] = AgreementFinding(modality=modality,
            agreement_type=agreement_type, status=status,
            parties=tuple(parties), parties_inherited=inherited,
            value_text=value[0] if value else None,
            value_amount=value[1] if value else None,
            value_currency=value[2] if value else None,
            date_text=date_text, date=date, confidence=0.75,
            evidence=f"{'verb' if verb.pos_ == 'VERB' else 'talks'}:{verb.lemma_.lower()}"
                     + ("+context_parties" if inherited else ""))
    return list(found.values())


# "a good deal of", "a big deal", "a huge deal": amounts and importance.
_IDIOM_ADJECTIVES = {"good", "great", "big", "huge", "real", "whole", "raw", "fair"}
_PARTY_CONVENTIONS = {"national", "party", "republican", "democratic", "labour",
                      "conservative", "annual", "state", "nominating"}


# A futures contract, not an accord: "sending the nearby contract to a discount".
_FUTURES_WORDS = {"nearby", "deferred", "expiring", "front", "june", "march",
                  "september", "december", "futures", "high", "low", "highs", "lows"}
# What of a contract a compound can name: "GM violated contract provisions".
_CONTRACT_PARTS = {"provision", "term", "clause", "obligation", "dispute", "renewal",
                   "extension", "award", "talk", "talks", "negotiation", "value"}
# Modifiers that make an "agreement" a business deal or a contract.
_DEAL_MODIFIERS = {"merger", "acquisition", "takeover", "purchase", "sale", "buyout",
                   "negotiated", "definitive"}
_CONTRACT_MODIFIERS = {"license", "licence", "licensing", "management", "service",
                       "supply", "employment", "lease", "loan"}


def _noun_parties(noun: Token, verb: Optional[Token], sent: Span) -> list[str]:
    """The parties of an accord's noun; of "contract talks with GM" or
    "merger talks between X and Y", those of the talks."""
    head = noun.head
    if noun.dep_ == "compound" and head.pos_ == "NOUN" and (
            head.lemma_.lower() in STATUS_NOUNS or head.lower_ in STATUS_NOUNS):
        if verb is None and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            verb = head.head    # "the union began contract talks with GM"
        return party_rules.noun_parties(head, verb, sent)
    return party_rules.noun_parties(noun, verb, sent)


def _names_near(verb: Token) -> bool:
    """An accord noun within two steps below the verb: "agreed to a buyout
    ... in a deal": the noun's record is the agreement."""
    for child in verb.children:
        for token in (child, *child.children):
            if language.accord_type(token):
                return True
    return False


def _refined_type(noun: Token, agreement_type: str) -> str:
    if noun.lemma_.lower() != "agreement":
        return agreement_type
    modifiers = {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod")}
    if modifiers & _DEAL_MODIFIERS:
        return "deal"
    if modifiers & _CONTRACT_MODIFIERS:
        return "contract"
    return agreement_type


def _idiom(noun: Token) -> bool:
    """Look-alikes of an accord: "a good deal of", "a big deal", "I have a
    deal for you", a party convention, a title ("Contract with America"),
    "more agreement that ..." (a shared view)."""
    lower = noun.lower_
    if noun.lemma_.lower() == "venture" and not any(
            c.lower_ == "joint" for c in noun.children) and not (
            noun.dep_ == "pobj" and _taking_part(noun.head.head)):
        return True     # "a new venture": a business, not a joint one
    if lower == "contract" and (noun.head.lower_ in _FUTURES_WORDS or any(
            c.lower_ in _FUTURES_WORDS for c in noun.children)):
        return True     # "a new contract high", "the nearby contract": futures
    if lower == "contract" and noun.dep_ == "compound" and noun.head.pos_ == "NOUN" and \
            noun.head.lemma_.lower() not in _CONTRACT_PARTS | STATUS_NOUNS.keys():
        return True     # "contract gas", "contract workers": bought or hired by contract
    if lower == "deal" and any(c.dep_ == "amod" and c.lower_ in _IDIOM_ADJECTIVES
                               for c in noun.children):
        return True
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() == "have" and any(
            c.dep_ == "nsubj" and c.lower_ in ("i", "we", "you") for c in noun.head.children):
        return True
    if noun.ent_type_ == "WORK_OF_ART" and language.accord_type(noun) != "memorandum":
        return True     # a title, but "signed a Memorandum of Understanding" is one
    if noun.lemma_.lower() == "convention" and (
            any(c.lower_ in _PARTY_CONVENTIONS for c in noun.children)
            or noun.ent_type_ in ("EVENT", "ORG", "FAC")):
        return True
    if lower in ("agreement", "consensus") and any(
            c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children)
            for c in noun.children) and not any(
            c.dep_ == "prep" and c.lower_ in ("with", "between", "among", "on")
            for c in noun.children):
        return True
    return False


def _taking_part(verb: Token) -> bool:
    """A company taking part in a venture ("might participate in the
    venture with a stake"), not a person joined in one ("He was joined in
    the new venture by an assembly member")."""
    return verb.lemma_.lower() == "participate" or (
        verb.lemma_.lower() == "join" and not any(c.dep_ == "auxpass" for c in verb.children))


_SOLD = {"sell", "buy", "acquire", "purchase", "merge", "fall", "pass"}
_TALKS = {"talks", "talk", "negotiation", "negotiations", "discussion", "discussions"}
_EXPECTED = {"expect", "plan", "hope", "aim", "due", "likely", "set", "schedule"}


def _status(noun: Token) -> tuple[str, Optional[Token], str]:
    """Status from the verbs above the accord's noun, then what its own
    clause says when no verb does ("would be complex": proposed; "close to
    a deal": negotiating; "sold ... in a deal": in_force)."""
    status, verb, evidence = _governing_status(noun)
    if status == "in_force" and verb is not None and verb.dep_ == "xcomp" and \
            verb.head.lemma_.lower() in _EXPECTED:
        return "agreed", verb, f"{evidence}+expected"   # "expected to complete the deal"
    if status != "mentioned":
        return status, verb, evidence
    head = noun.head
    if noun.dep_ == "compound" and (head.lemma_.lower() in STATUS_NOUNS
                                    or head.lower_ in STATUS_NOUNS):   # "contract talks"
        word = head.lemma_.lower() if head.lemma_.lower() in STATUS_NOUNS else head.lower_
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
    return status, verb, evidence


def _governing_status(noun: Token) -> tuple[str, Optional[Token], str]:
    """Status from the verbs above the accord's noun, and the verb used."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and \
            noun.head.head.lemma_.lower() in _OBSTACLES and \
            noun.head.head.head.lemma_.lower() in _CLEARED:
        return "agreed", noun.head.head.head, "obstacle_cleared"
    status_noun = _status_noun_above(noun)
    if status_noun is not None and not _unconfirmed(status_noun):
        # "the signing of the deal", "his offer for a negotiated agreement"
        return STATUS_NOUNS[status_noun.lemma_.lower()], None, \
            f"noun:{status_noun.lemma_.lower()}"
    for child in noun.children:
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
                return status, None, f"modifier:{lemma}"
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "under":
            return "in_force", None, "under_accord"
        if child.dep_ == "relcl" and child.lemma_.lower() in _CARRIED_OUT and \
                negated_clause(child):
            return "withdrawn", child, "not_carried_out"   # "which could not be carried out"
    if noun.dep_ == "attr" and noun.head.lemma_ == "be" and any(
            c.dep_ == "expl" for c in noun.head.children) and not negated_clause(noun.head) \
            and not any(c.lower_ == "no" for c in noun.children):
        return "agreed", None, "there_is"      # "there was now an agreement to end"
    if noun.dep_ == "pobj" and noun.head.lower_ == "under":
        # "were lifted under the accord": in force; "will receive ... under the
        # merger agreement", "to act under the accord": only named
        acted = noun.head.head
        if acted.tag_ in ("VBD", "VBN") and not any(
                c.dep_ == "aux" and c.lower_ in language.MODALS | {"will", "to"}
                for c in acted.children):
            return "in_force", acted, "prep:under"
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
        if head.pos_ in ("VERB", "AUX") and lemma in STATUS_VERBS:
            status = STATUS_VERBS[lemma]
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "until")
                   for c in head.children) and status not in ("withdrawn", "rejected"):
                return "proposed", head, f"verb:{lemma}+if"    # "if the merger is approved"
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
    if prep.head.lemma_.lower() in STATUS_NOUNS:
        return prep.head
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


def _date(noun: Token, sent: Span, published):
    for ent in sent.ents:
        if ent.label_ != "DATE" or not dates.is_time_expression(ent.text):
            continue
        if ent.root.head.i in {t.i for t in noun.subtree} or \
                ent.root.head.head == noun or ent.root.head == noun.head:
            date, _, _ = dates.resolve_date(ent.text, published)
            return ent.text, date
    return None, None
