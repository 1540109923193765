"""How a happening is presented: ``asserted`` (it took place), ``planned``
(scheduled or future: "will meet on Monday"), ``negated`` ("did not meet")
or ``hypothetical`` ("could meet", "if they meet", "plans to meet").

Events and agreements keep the words' modality instead of being dropped
when they are negated or hypothetical; a user wanting what happened (or
is scheduled) filters ``WHERE modality IN ('asserted', 'planned')``, as
``tidings evaluate`` and the README's queries do.
"""
from __future__ import annotations

import datetime
from typing import Optional

from spacy.tokens import Token

from tidings.rules import language


MODALITIES = ("asserted", "planned", "negated", "hypothetical")
HAPPENED = ("asserted", "planned")
FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll"})
SCHEDULED_WORDS = frozenset({"scheduled", "due", "set", "slated", "poised", "planned",
                             "upcoming", "forthcoming"})


def conditional(token: Token) -> bool:
    """True inside an if/unless clause or its consequence: the token or a
    clause head above it is marked by 'if', 'unless' or 'whether', or has
    such a clause of its own, or is the clause of "in the event that"."""
    node = token
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")
               for c in node.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ == "that" and c.i >= 3 and
               c.doc[c.i - 1].lower_ in ("event", "case") and
               "in" in (c.doc[c.i - 2].lower_, c.doc[c.i - 3].lower_) for c in node.children):
            return True  # "in the event that a contribution is agreed"
        if node.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                          for m in c.children)
                for c in node.children):
            return True  # the consequence of a condition: "..., she will sign"
        if node.head.i == node.i:
            break
        node = node.head
    return False


def negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def negated_clause(token: Token) -> bool:
    """Negated, or the complement of a negated verb ("did not want to sign")."""
    return negated(token) or (token.dep_ == "xcomp" and negated(token.head))


def modal(token: Token) -> bool:
    """Under could, may, might, can, should or must ("would" reports)."""
    return any(c.dep_ == "aux" and c.lower_ in language.MODALS and c.lower_ != "would"
               for c in token.children)


def planned(token: Optional[Token], date: Optional[datetime.date] = None,
            published: Optional[datetime.date] = None) -> bool:
    """Scheduled or future: "will meet", "is due to meet", "the upcoming
    summit", or a date after the article's publication. ``token`` may be
    None (an accord with no verb): then only the date tells."""
    if token is not None and (
            any(c.dep_ == "aux" and c.lower_ in FUTURE_AUXILIARIES for c in token.children)
            or (token.dep_ == "xcomp" and token.head.lower_ in SCHEDULED_WORDS)
            or any(c.dep_ == "amod" and c.lower_ in SCHEDULED_WORDS for c in token.children)):
        return True
    return date is not None and published is not None and date > published


# Verbs by which their subject makes the happening their object names:
# "go on strike", "hold talks" (not "attend" or "take part in" one, which
# happens whoever stays away: "will not be attending the debate").
_MAKING = frozenset({"go", "hold", "stage", "launch", "call", "mount", "conduct", "have"})
# Verbs whose complement is only wanted or planned: "wanted to go on strike".
WANTING = frozenset({"threaten", "plan", "want", "hope", "seek", "try", "vow", "promise",
                     "act", "intend"})


def made_modality(noun: Token) -> Optional[str]:
    """The modality of a happening a noun names, from the verb that makes
    it ("workers did not want to go on strike": negated; "threatened to
    go on strike", "could hold talks": hypothetical); None where no such
    verb says."""
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _MAKING or \
            noun.dep_ not in ("dobj", "pobj"):
        return None
    if negated_clause(verb):
        return "negated"
    if modal(verb) or (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in WANTING):
        return "hypothetical"
    return None
