"""Who a pronoun or "the firm" that is an agreement's party stands for:
"it", "he", "she" and "the company" the entity named before that fits,
"it" in what a company reports that company, "they" the plural subject
before it."""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from tidings.rules import coreference, language
from tidings.rules.claims import REPORTING_VERBS


# Nouns that stand for a company named before: "the firm agreed to invest".
_COMPANY_NOUNS = frozenset({"company", "firm", "group", "carrier", "airline", "bank",
                            "concern", "maker", "insurer", "retailer", "operator",
                            "producer", "utility"})
_REFERENT_LABELS = {"it": ("ORG",), "its": ("ORG",), "he": ("PERSON",),
                    "his": ("PERSON",), "she": ("PERSON",), "her": ("PERSON",)}


def referent(head: Token) -> Optional[Token]:
    """The phrase a pronoun party or "the company" stands for: a relative
    pronoun the noun its clause describes; for "it",
    "he", "she" and "the firm" the entity before it that fits
    (``coreference.antecedent_entity``); for "they" the nearest plural
    subject before it in its sentence or the one before ("Stet and
    Thomson said they were negotiating", "The companies said they ...").
    None for any other phrase, or when nothing before it fits."""
    lower = head.lower_
    if lower in ("who", "which", "that") and head.head.dep_ == "relcl":
        return head.head.head   # "President Niyazov, who signed the contract": Niyazov
    if lower in ("they", "their", "them"):
        return _plural_subject(head)
    reporter = _reporter(head) if lower == "it" else None
    if reporter is not None:
        return reporter     # "the group said it bought the stake": the group
    if head.pos_ == "PRON":
        labels = _REFERENT_LABELS.get(lower, ())
    elif head.lemma_.lower() in _COMPANY_NOUNS and head.tag_ == "NN" and \
            head.ent_type_ == "" and any(c.dep_ == "det" and c.lower_ in ("the", "this")
                                         for c in head.children) and \
            not any(c.dep_ == "poss" or (c.dep_ in ("compound", "amod") and c.ent_type_ in (
                "ORG", "PERSON")) for c in head.children):
        labels = ("ORG",)       # "the firm", "the US wine firm", not "the Suez group"
    else:
        return None
    entity = coreference.antecedent_entity(head, labels)
    if entity is None and lower == "it":
        return language.reporting_company(head)
    return entity.root if entity is not None else None


def _reporter(pronoun: Token) -> Optional[Token]:
    """The noun that says what the clause "it" is the subject of tells:
    "the group said it bought", "the airline said it had agreed"."""
    verb = pronoun.head
    if pronoun.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ != "ccomp" or \
            verb.head.lemma_.lower() not in REPORTING_VERBS:
        return None
    subject = next((c for c in verb.head.children if c.dep_ == "nsubj" and c.i < pronoun.i),
                   None)
    if subject is None:
        return None
    if subject.pos_ == "NOUN" and not subject.text.isupper():
        return subject if subject.lemma_.lower() in _COMPANY_NOUNS else None   # "the group"
    doc = subject.doc
    if subject.i > 1 and doc[subject.i - 1].text == "<":
        subject = doc[subject.i - 2]    # a ticker: "Bond Corp Holdings Ltd <BONA.S> said it"
    entity = language.entity_at(subject)
    label = entity.label_ if entity is not None else None
    # a company's or a state's name ("CECOS", "The U.S."), not a dateline's
    # city ("VANCOUVER, British Columbia, March 11 - X said it") nor a person
    dateline = label == "GPE" and subject.is_sent_start and doc[subject.i + 1].text == ","
    return subject if subject.pos_ in ("PROPN", "NOUN") and not dateline and \
        label in (None, "ORG", "GPE") else None


def _plural_subject(pronoun: Token) -> Optional[Token]:
    sent = pronoun.sent
    doc = pronoun.doc
    previous = doc[sent.start - 1].sent if sent.start > 0 else None
    candidates = [t for t in sent if t.i < pronoun.i]
    if previous is not None:
        candidates = list(previous) + candidates
    for token in reversed(candidates):
        if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ != "PRON" and (
                token.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" or (
                    c.dep_ == "appos" and any(g.dep_ == "conj" for g in c.children))
                    for c in token.children)):
            # (and "X, a Bermuda firm, and an affiliated firm, Y, said they")
            return token
    return None
