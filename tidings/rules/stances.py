"""Cues that are not reporting verbs but still attribute a proposition
to a source (``claims`` reads them beside its reporting verbs): "agree"
as a view held, and a document finding or showing something."""
from __future__ import annotations

from spacy.tokens import Token

from tidings.rules.speakers import FIRST_PERSON


# Documents whose findings are claimed: "a GAO report found that ...".
_DOCUMENTS = frozenset({"report", "poll", "survey", "study", "analysis", "audit", "review",
                        "minutes", "inquiry", "investigation", "research", "data"})


def documents_finding(verb: Token) -> bool:
    """A document finding or showing a proposition: "A Government
    Accountability Office report released last year found that ...", "The
    Reuters/Ipsos poll showed Clinton doing better", "minutes of the meeting
    showed"; not "police found the body"."""
    if verb.lemma_.lower() not in ("find", "show", "conclude"):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lemma_.lower() in _DOCUMENTS and any(
        c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and any(
            g.dep_ in ("acl", "relcl") and g.tag_ == "VBG" for g in c.children))
        for c in verb.children)


def agreeing_with_a_view(verb: Token) -> bool:
    """"Agree" as an opinion held ("analysts agreed it was a top-heavy
    plan", "the judge agreed with Ivana Trump that ...", "Sixty-two percent
    of Republicans agreed."), not parties reaching an agreement
    (``accords.agreeing``) nor consent to an act or a term ("agreed to
    resign", "agreed to a deal", "agreed on a price")."""
    from tidings.rules import accords   # (here: accords reads claims, which reads this)
    if verb.lemma_.lower() != "agree" or (verb.tag_ == "VBN" and not any(
            c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)):
        return False        # (not "what all seem agreed on")
    if any(c.dep_ == "nsubj" and c.lower_ in FIRST_PERSON for c in verb.children):
        return False        # "I do agree with his comments": a reader's aside
    if any(c.dep_ in ("xcomp", "dative") or (c.dep_ == "dobj" and c.pos_ != "PROPN") or (
            c.dep_ == "prep" and c.lower_ in ("to", "on", "upon", "in"))
           for c in verb.children):
        return False
    return not accords.agreeing(verb)
