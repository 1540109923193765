"""Who the parties of an agreement are: the names the parse gives for the
noun phrases around an accord or an agreeing verb, and, where a sentence
says only "the two sides", the parties named before in the article."""
from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Span, Token

from tidings.rules import actions, language
from tidings.schemas import AgreementFinding


def party_names(heads: list[Token], parties: Optional[list[str]] = None) -> list[str]:
    """The parties that noun phrases headed by ``heads`` (and whatever is
    conjoined to them) name: states, bodies, companies and people as
    written, a group by its phrase ("the banks", "committee members").
    Pronouns and places that only say where are left out."""
    parties = [] if parties is None else parties
    for token in heads:
        for head in language.conjoined(token):
            entity = language.entity_at(head)
            if entity is not None and entity.label_ in language.ACTOR_LABELS:
                text = language.strip_determiner(entity).text
                if entity.label_ == "PERSON":
                    # A leader acting for a state: "U.S. President Donald Trump".
                    text = _nationality(entity) or text
            elif head.lower_ in ("counterpart", "counterparts") and _nationality_of(head):
                text = _nationality_of(head)
            elif head.pos_ == "NOUN" and (actions.can_act(head) or (
                    head.dep_ == "pobj" and head.head.lower_ in ("with", "between", "among"))):
                text = language.noun_phrase(head).text
            elif head.pos_ == "PROPN" and entity is None:
                text = _proper_name(head)      # a name the recogniser left unlabelled
            else:
                continue
            party = language.canonical_party(text.rstrip(">").lstrip("<"))
            if party and party not in parties:
                parties.append(party)
    return parties


def _proper_name(head: Token) -> str:
    """A proper noun with the proper nouns compounded to its left:
    "United Breweries", "Rosneft"."""
    start = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ == "compound" and child.pos_ == "PROPN" and child.i == start - 1:
            start = child.i
    return head.doc[start:head.i + 1].text


def noun_parties(noun: Token, verb: Optional[Token], sent: Span) -> list[str]:
    heads: list[Token] = []
    if verb is not None:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ in ("xcomp", "conj", "advcl"):
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            heads.append(subject)
        for child in verb.children:       # "was signed by X and Y"
            if child.dep_ == "agent":
                heads.extend(p for p in child.children if p.dep_ == "pobj")
    heads.extend(c for c in noun.children if c.dep_ == "poss")
    # "a deal with Iran", and "signed a contract ... with Egypt" where the
    # parser hangs the phrase on the verb.
    preps = [t for t in noun.subtree if t.dep_ == "prep"
             and not any(a.dep_ in ("relcl", "acl") for a in t.ancestors
                         if a.i != noun.i and noun.i in {x.i for x in a.ancestors})]
    if verb is not None:
        preps += [c for c in verb.children if c.dep_ == "prep"]
    between = [p for prep in preps if prep.lower_ in ("between", "among")
               for p in prep.children if p.dep_ == "pobj"]
    if between:
        return party_names(between)   # "a zone between X and Y" names them all
    for prep in preps:
        if prep.lower_ == "with":
            heads.extend(p for p in prep.children if p.dep_ == "pobj")
    return party_names(heads)


def _nationality(person: Span) -> Optional[str]:
    doc = person.doc
    start = person.start
    for token in doc[max(0, start - 4):start]:
        entity = language.entity_at(token)
        if entity is not None and entity.label_ in ("GPE", "NORP"):
            return entity.text
    return None


def _nationality_of(noun: Token) -> Optional[str]:
    """The state an adjective gives a noun: 'her Chilean counterpart'."""
    for child in noun.children:
        if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE"):
            return child.text
    return None


# Phrases that stand for parties named before: "the two sides agreed".
_COLLECTIVE_HEADS = frozenset({"sides", "parties", "companies", "firms", "groups",
                               "countries", "nations", "governments", "partners", "both"})


def with_context(parties: list[str], earlier: Sequence[AgreementFinding],
                 agreement_type: str, heads: Optional[Sequence[Token]] = None
                 ) -> tuple[list[str], bool]:
    """The parties, and whether they come from before: parties given only
    as "the two sides" or "both companies" are those of the latest earlier
    agreement that names two or more (``context_parties``), when there is
    one. With ``heads`` (an agreeing verb's), the test is that every head
    is such a word ("both" among them), else that every party's text ends
    in one."""
    if heads is not None:
        given_as_collective = bool(heads) and all(h.lower_ in _COLLECTIVE_HEADS for h in heads)
    else:
        given_as_collective = bool(parties) and all(_collective_text(p) for p in parties)
    context = context_parties(earlier, agreement_type) if given_as_collective else ()
    return (list(context), True) if context else (parties, False)


def _collective_text(party: str) -> bool:
    words = party.lower().split()
    return bool(words) and words[-1] in _COLLECTIVE_HEADS


def context_parties(earlier: Sequence[AgreementFinding], agreement_type: str) -> tuple:
    """The parties of the latest earlier agreement of the same type that
    names two or more of its own, or else of any type."""
    for same_type in (True, False):
        for agreement in reversed(earlier):
            if (agreement.agreement_type == agreement_type or not same_type) and \
                    len(agreement.parties) >= 2 and \
                    not any(_collective_text(p) for p in agreement.parties):
                return agreement.parties
    return ()
