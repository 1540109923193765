"""Find agreements: accords between parties, and changes to their standing.

``find_agreements(sent, published)`` returns at most one agreement per
agreement type in a sentence, with its parties, status, named value and
date.

Status comes from the words that govern the accord's noun
(``tidings.rules.status``).
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Optional, Sequence

from spacy.tokens import Span, Token

from tidings.rules import accords, actions, context, dates, language, money
from tidings.rules import parties as party_rules
from tidings.rules.modality import negated_clause, planned
from tidings.rules.status import STATUS_NOUNS, accord_status, status_word
from tidings.schemas import AgreementFinding


def find_agreements(sent: Span, published: Optional[datetime.date],
                    earlier: Sequence[AgreementFinding] = ()) -> list[AgreementFinding]:
    """The agreements of one sentence, at most one per agreement type.

    Args:
        earlier: the agreements of the article's earlier sentences, in
            order: an accord whose parties the sentence names only as
            "the two sides", "both companies" or "both", or not at all
            ("the deal"), takes the parties of the latest of them that
            names two or more (``context.with_context``,
            ``parties_inherited``).
    """
    found: dict[str, AgreementFinding] = {}
    for token in sent:
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        agreement_type = language.accord_type(token) or _bid_for_a_company(token) or \
            _understanding_reached(token)
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
        if _idiom(token) or (token.i + 1 < len(token.doc) and not token.whitespace_
                             and token.doc[token.i + 1].text == "-"):
            continue    # (and "the deal-making president": a modifier)
        status, verb, evidence = accord_status(token)
        if token.lemma_.lower() in _BIDS and token.dep_ == "dobj" and (
                verb is None or verb.lemma_.lower() in _BIDDING):
            # "Pfizer made a $160 billion bid for Allergan", "Kraft launched a bid"
            verb, status = token.head, "proposed"
        parties, inherited = context.with_context(
            _noun_parties(token, verb, sent), earlier, agreement_type, token,
            named_again=not context.another_accord(token))
        reporter = party_rules.reporting_company(token) if len(parties) == 1 and \
            not inherited else None
        if reporter is not None and reporter not in parties:
            parties = [reporter, *parties]     # "Phytopharm said Yamanouchi ... agreement"
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
            parties_inherited=inherited, trigger=token.text, trigger_lemma=token.lemma_.lower())
    nouns = dict(found)
    if "other" in nouns and len(nouns) > 1 and nouns["other"].evidence.startswith("noun_only"):
        del found["other"]   # "called the agreement the worst deal": one accord
    for verb, agreement_type, status, heads in accords.verb_agreements(sent):
        noun_record = found.get(agreement_type)
        if noun_record is not None and (noun_record.parties_inherited or len(
                noun_record.parties) < 2):
            named = party_rules.party_names(heads)
            if len(named) >= 2 and set(noun_record.parties) <= set(named) | set(
                    () if not noun_record.parties_inherited else noun_record.parties):
                # "will now be merged with United, ... post-merger", "Diageo has
                # agreed to buy Chalone ... in an all-cash deal"
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
        parties, inherited = context.with_context(
            party_rules.party_names(heads), earlier, agreement_type, verb, heads)
        found[agreement_type] = AgreementFinding(modality=modality,
            agreement_type=agreement_type, status=status,
            parties=tuple(parties), parties_inherited=inherited,
            trigger=verb.text, trigger_lemma=verb.lemma_.lower(),
            value_text=value[0] if value else None,
            value_amount=value[1] if value else None,
            value_currency=value[2] if value else None,
            date_text=date_text, date=date, confidence=0.75,
            evidence=f"{'verb' if verb.pos_ == 'VERB' else 'talks'}:{verb.lemma_.lower()}"
                     + ("+context_parties" if inherited else ""))
    return list(found.values())


# "a good deal of", "a big deal", "a huge deal": amounts and importance.
_IDIOM_ADJECTIVES = {"good", "great", "big", "huge", "real", "whole", "raw", "fair", "done"}
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
    if noun.dep_ == "compound" and head.pos_ == "NOUN" and status_word(head) is not None:
        if verb is None and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            verb = head.head    # "the union began contract talks with GM"
        return party_rules.noun_parties(head, verb, sent)
    if verb is None and noun.dep_ == "nsubj" and any(
            c.dep_ == "xcomp" and any(a.dep_ == "agent" for a in c.children)
            for c in head.children):
        verb = head     # "any agreement had to be led by the US and China"
    return party_rules.noun_parties(noun, verb, sent)


def _names_near(verb: Token) -> bool:
    """An accord noun within two steps below the verb: "agreed to a buyout
    ... in a deal": the noun's record is the agreement."""
    for child in verb.children:
        for token in (child, *child.children):
            if language.accord_type(token):
                return True
    return False


_BIDS = frozenset({"bid", "offer"})
_BIDDING = frozenset({"make", "launch", "submit", "table", "lodge", "place", "mount", "put",
                      "extend", "renew", "raise"})     # ("extending its bid until May 1")


def _bid_for_a_company(noun: Token) -> Optional[str]:
    """"deal" for a bid or offer for a company (an organisation, or a name
    with a price: "a $160 billion bid for Allergan"), not for a post or a
    prize ("a bid for re-election")."""
    if noun.lemma_.lower() not in _BIDS or noun.pos_ != "NOUN":
        return None
    bid_for = [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"
               for p in c.children if p.dep_ == "pobj"]
    priced = any(t.ent_type_ == "MONEY" for t in noun.lefts)     # "a $160 billion bid"
    return "deal" if any((p.ent_type_ == "ORG" and not _an_office(p)) or context.company_name(
        p.text) or (priced and p.pos_ == "PROPN" and p.ent_type_ != "PERSON")
        for p in bid_for) else None


def _an_office(name: Token) -> bool:
    """A seat of power one runs for: "his bid for the White House"."""
    entity = language.entity_at(name)
    return entity is not None and language.strip_determiner(entity).text.lower() in (
        "white house", "senate", "house", "congress", "parliament", "commons", "élysée",
        "elysee", "kremlin", "downing street")


def _understanding_reached(noun: Token) -> Optional[str]:
    """"other" for a consensus or an understanding reached or forged
    ("Tokyo and Seoul reached an understanding"), not for one as a view or
    a grasp ("there is a consensus that ...", "an understanding of"); and
    for a settlement between parties ("the SEC's settlement with CAM",
    "agreed to a settlement"), not "a political settlement in Syria"."""
    if noun.lemma_.lower() in ("consensus", "understanding") and noun.dep_ == "dobj" and \
            noun.head.lemma_.lower() in ("reach", "forge", "achieve", "strike", "hammer"):
        return "other"
    head = noun.head
    if noun.lower_ == "settlement" and (_settled_by_parties(noun) or (
            noun.dep_ == "dobj" and head.lemma_.lower() in _SETTLING) or (
            noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in _SETTLING)):
        return "other"      # "the SEC's settlement with CAM", not "a political settlement"
    return None


# What parties do to a settlement: "agreed to", "reached", "came to".
_SETTLING = frozenset({"reach", "agree", "accept", "negotiate", "come", "approve", "announce"})


def _settled_by_parties(noun: Token) -> bool:
    """A settlement owned by or made with someone who can act."""
    return any((c.dep_ == "poss" and actions.can_act(c)) or (
        c.dep_ == "prep" and c.lower_ == "with" and any(actions.can_act(p) for p in c.children))
        for c in noun.children)


def _refined_type(noun: Token, agreement_type: str) -> str:
    if noun.lemma_.lower() != "agreement":
        return agreement_type
    modifiers = {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod")}
    if modifiers & _DEAL_MODIFIERS:
        return "deal"
    if modifiers & _CONTRACT_MODIFIERS:
        return "contract"
    if any(c.dep_ == "acl" and (c.lemma_.lower() in accords.BUYING_VERBS or (
            c.lemma_.lower() == "sell" and accords.deal_of(c) is not None)) for c in noun.children):
        return "deal"   # "an agreement to sell its subsidiary to Dowty Group"
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
            or noun.ent_type_ in ("EVENT", "ORG", "FAC") or not _treaty_convention(noun)):
        return True
    if lower in ("agreement", "consensus") and any(
            c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children)
            for c in noun.children) and not any(
            c.dep_ == "prep" and c.lower_ in ("with", "between", "among", "on")
            for c in noun.children):
        return True
    return False


# What makes a convention a treaty rather than a gathering: its verbs
# ("ratified the convention") and words ("the international convention").
_TREATY_VERBS = frozenset({"sign", "ratify", "accede", "adopt", "breach", "violate", "implement",
                           "withdraw", "comply", "incorporate", "abide", "flout", "enforce",
                           "invoke", "use", "apply", "derogate", "opt", "approve", "draft",
                           "negotiate", "agree", "reach", "replace"})
# What a convention as a rule does: "the convention requires that lead managers ...".
_BINDING = frozenset({"require", "oblige", "obligate", "prohibit", "ban", "forbid", "allow",
                      "permit", "bind", "replace", "govern", "cover", "protect", "attempt"})
_TREATY_WORDS = frozenset({"international", "un", "tax", "european", "refugee", "geneva",
                           "hague", "vienna", "framework", "multilateral", "human", "rights"})


def _treaty_convention(noun: Token) -> bool:
    """A convention told as a treaty: named ("the 1951 Refugee
    Convention"), of or against something ("the convention on climate
    change"), signed, ratified, breached or used, or an international or
    rights one; "the convention" of a campaign ("at the convention", "a
    contested convention") is a gathering."""
    if noun.text[:1].isupper() and not noun.is_sent_start:
        return True
    if any(c.dep_ == "prep" and c.lower_ in ("on", "against", "for") for c in noun.children):
        return True
    if any(c.lower_ in _TREATY_WORDS for c in noun.children if c.dep_ in ("amod", "compound")):
        return True
    if any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in _TREATY_VERBS
           for c in noun.children):
        return True     # "a convention drafted by the Bankers' Federation"
    if noun.dep_ == "nsubj" and noun.head.lemma_.lower() in _BINDING:
        return True     # "the convention requires that lead managers ..."
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    return verb.lemma_.lower() in _TREATY_VERBS


def _taking_part(verb: Token) -> bool:
    """A company taking part in a venture ("might participate in the
    venture with a stake"), not a person joined in one ("He was joined in
    the new venture by an assembly member")."""
    return verb.lemma_.lower() == "participate" or (
        verb.lemma_.lower() == "join" and not any(c.dep_ == "auxpass" for c in verb.children))


def _date(noun: Token, sent: Span, published):
    for ent in sent.ents:
        if ent.label_ != "DATE" or not dates.is_time_expression(ent.text):
            continue
        if ent.root.head.i in {t.i for t in noun.subtree} or \
                ent.root.head.head == noun or ent.root.head == noun.head:
            date, _, _ = dates.resolve_date(ent.text, published)
            return ent.text, date
    return None, None
