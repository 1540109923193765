"""Agreements that no agreement noun names: parties agreeing, and business
deals told by their verbs.

- "X and Y agreed to ...", "X agreed with Y", "X agreed to / on a
  settlement", "the firms agreed the package": type ``other``, unless the
  agreed act is a purchase or merger ("agreed to buy AT&T"), which is a
  ``deal``. One person agreeing to do something alone ("he agreed to
  resign") and agreeing with an opinion ("analysts agreed it was ...") are
  not agreements.
- "GE bought Vivendi", "was acquired by American Express", "will be
  merged with United": a ``deal`` between buyer and target.
- "will start accession talks with Croatia", "trade negotiations between
  X and Y": talks whose topic is an accord are one being negotiated
  (``other``, negotiating), between those who hold them.

``verb_agreements(sent)`` returns ``(verb, type, status, parties)`` for
each; ``find_agreements`` adds the value and date.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Span, Token

from tidings.rules import actions, language
from tidings.rules.actions import DEAL_VERBS as BUYING_VERBS
from tidings.rules.modality import negated_clause


# Verbs of a deal: buying, merging and selling a company.
DEAL_VERBS = BUYING_VERBS | {"sell"}
# What is bought of a company rather than the company: "a stake in X".
STAKE_NOUNS = frozenset({"stake", "share", "interest", "holding", "shareholding", "pct",
                         "percent", "%", "majority", "control", "unit", "division"})
# What is bought in a deal rather than in trade: "bought 10 aircraft" is not.
DEAL_OBJECTS = frozenset({
    "stake", "company", "firm", "unit", "subsidiary", "business", "operations",
    "division", "shares", "share", "interest", "bank", "group", "assets",
    "brand", "rival", "parent", "maker", "operator", "carrier", "stakes",
})
# Verbs under which agreeing is only sought: "to try to agree on".
_SOUGHT = frozenset({"try", "seek", "hope", "want", "aim", "expect", "plan",
                     "attempt", "need", "fail", "struggle"})
_ONE_PERSON = frozenset({"he", "she", "i"})
# What befalls a bid: "blocked Ferruzzi's bid to acquire British Sugar",
# "shareholders rejected the takeover bid".
BID_FATES = {"block": "rejected", "reject": "rejected", "rebuff": "rejected",
              "veto": "rejected", "withdraw": "withdrawn", "drop": "withdrawn",
              "abandon": "withdrawn"}
_SEEMING = frozenset({"seem", "appear"})
# Talks, whose topic can be an accord: "accession talks", "trade negotiations",
# "is in talks to buy".
TALKS = frozenset({"talks", "negotiations", "discussions"})
_ACCORD_TOPICS = frozenset({"accession", "trade", "peace", "debt", "wage", "pay", "arms",
                            "tariff", "nuclear", "climate"})
# Verbs under which agreeing has not happened and may not: "persuade X to agree".
_NOT_YET = frozenset({"persuade", "convince", "urge", "ask", "force", "press", "pressure"})
# What parties agree to or on: terms, not an appointment ("agreed to an interview").
AGREEABLE = frozenset({
    "settlement", "terms", "term", "demand", "demands", "change", "changes", "plan",
    "compromise", "proposal", "request", "condition", "conditions", "package",
    "cut", "cuts", "price", "prices", "rate", "rates", "buyout", "merger", "takeover",
    "sale", "purchase", "swap", "exchange", "schedule", "timetable", "framework",
    "principle", "principles", "measure", "measures", "steps", "way", "ways",
    "quota", "quotas", "limit", "limits", "target", "targets", "resolution",
})
# What agreeing on an amount says: how far views meet.
_HOW_MUCH = frozenset({"little", "nothing", "much", "anything", "something", "everything"})
# Who rules on a case: a court agreeing with a party upholds its argument.
_BENCH = frozenset({"court", "judge", "jury", "tribunal", "justice", "arbitrator",
                    "magistrate"})
# How much one agrees with a view: "largely agreed with McLenny".
_OPINION_ADVERBS = frozenset({"largely", "entirely", "fully", "partly", "completely",
                              "wholeheartedly", "totally", "generally", "mostly"})


def verb_agreements(sent: Span) -> list[tuple[Token, str, str, list[Token]]]:
    """``(verb, agreement_type, status, party heads)`` for each agreeing or
    deal verb of the sentence, negated ones too (their modality says so),
    and for talks on an accord (the "verb" is then the talks' noun)."""
    found = []
    for token in sent:
        if token.lower_ in TALKS and any(
                c.dep_ in ("compound", "amod") and c.lower_ in _ACCORD_TOPICS
                for c in token.children):
            found.append((token, "other", "negotiating", _held_by(token)))
        if token.pos_ != "VERB":
            continue
        lemma = token.lemma_.lower()
        if lemma == "agree":
            found.extend(_agreeing(token))
        elif lemma in DEAL_VERBS or (lemma == "take" and (_particle(token, "over") or any(
                c.dep_ == "dobj" and c.lemma_.lower() == "stake" for c in token.children))):
            deal = deal_of(token)
            if deal is not None:
                found.append(deal)
    return found


def _held_by(talks: Token) -> list[Token]:
    """Who holds talks: the subject of the verb that has them ("the EU will
    start accession talks"), and "with X", "between X and Y"."""
    holders = []
    if talks.dep_ in ("dobj", "nsubj", "nsubjpass"):
        subject = _subject(talks.head) if talks.dep_ == "dobj" else None
        holders += [subject] if subject is not None else []
    for word in (talks, talks.head):
        holders += [p for c in word.children if c.dep_ == "prep"
                    and c.lower_ in ("with", "between") for p in c.children if p.dep_ == "pobj"]
    return holders


def agreeing(verb: Token) -> bool:
    """Whether "agree" here is parties reaching an agreement (not an
    opinion, nor one person consenting to act alone)."""
    return not negated_clause(verb) and bool(_agreeing(verb))


def _agreeing(verb: Token) -> list[tuple[Token, str, str, list[Token]]]:
    children = list(verb.children)
    subject = _subject(verb)
    withs = [p for c in children if c.dep_ == "prep" and c.lower_ in ("with", "between")
             for p in c.children if p.dep_ == "pobj"]
    to_on = [p for c in children if c.dep_ == "prep" and c.lower_ in ("to", "on", "upon")
             for p in c.children if p.dep_ == "pobj"]
    objects = [c for c in children if c.dep_ == "dobj"]
    act = next((c for c in children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    # "agreed to a settlement with the port authority", "agreed with X to
    # end the strike" where the parser hangs the phrase lower down
    for lower in (*to_on, *objects, *([act] if act is not None else [])):
        withs += [p for c in lower.children if c.dep_ == "prep" and c.lower_ == "with"
                  for p in c.children if p.dep_ == "pobj"]
    for term in to_on:      # "agreed to demands from committee members"
        withs += [p for c in term.children if c.dep_ == "prep" and c.lower_ == "from"
                  for p in c.children if p.dep_ == "pobj" and actions.can_act(p)]
    passive = verb.dep_ == "acl" or any(c.dep_ == "auxpass" for c in children)
    if _under(verb, _NOT_YET):
        return []       # "until he can persuade them to agree"
    if any(t.lower_ in _HOW_MUCH for t in to_on):
        return []       # "both candidates agree on very little": a view
    if subject is not None and withs and any(
            t.lemma_.lower() in _BENCH or "judge" in t.lower_ for t in subject.subtree):
        return []       # "a three-judge panel agreed with the companies": a ruling
    if any(c.dep_ == "advmod" and c.lower_ in _OPINION_ADVERBS for c in children) or any(
            c.dep_ == "prep" and c.lower_ == "about" for c in children):
        return []       # "largely agreed with X", "agreed with X about the winner"
    if _under(verb, _SEEMING) or (verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ"):
        return []       # "seemed to agree on one thing", "it is easy to agree with him"
    if withs and not to_on and not objects and act is None and all(
            w.pos_ != "PROPN" and not w.ent_type_ and not actions.can_act(w) for w in withs):
        return []       # "agree with his comments": a view
    commitment = next((c for c in children if c.dep_ == "ccomp"), None)
    if commitment is not None and not any(
            c.dep_ == "aux" and c.lower_ in ("would", "will", "should", "to")
            for c in commitment.children):
        commitment = None   # "agreed with X that there was no reason": a view
    if commitment is None and act is None and not to_on and not any(
            o.lemma_.lower() in AGREEABLE or language.accord_type(o) for o in objects) and any(
            c.dep_ == "ccomp" for c in children) and not _named_parties(subject):
        return []       # "the judge agreed with X that there was no reason": a view
    if objects and not to_on and not withs and all(o.pos_ == "PROPN" for o in objects):
        return []       # "a panel that all agreed Pence won": a view, misparsed
    if _names_an_accord(to_on + objects) or (passive and _names_an_accord([verb.head])):
        return []       # "agreed a deal", "the accords, agreed in Paris": the noun's record
    status = "proposed" if _sought(verb) else "agreed"
    parties = ([subject] if subject is not None else []) + withs
    if act is not None:
        parties += _recipients(act)     # "agreed to lend Mr. Clarke $5 million"
        deal = deal_of(act) if act.lemma_.lower() in DEAL_VERBS else None
        if deal is not None:
            return [(verb, "deal", status, deal[3])]
        if not withs and _alone(subject) and not any(c.dep_ == "dobj" for c in act.children):
            return []   # "he agreed to resign"
        return [(verb, "other", status, parties)]
    if withs and (commitment is not None or objects or to_on or not (
            _alone(subject) and all(_alone(w) for w in withs))):
        return [(verb, "other", status, parties)]   # "X agreed with Y to ...", "with the banks"
    if to_on and not _plural_subject(subject) and not any(
            t.lemma_.lower() in AGREEABLE or t.lower_ in AGREEABLE for t in to_on):
        return []       # "Lynch agreed to an interview"
    if to_on or objects or passive:
        return [(verb, "other", status, parties)]
    if subject is not None and _plural(subject) and (not any(
            c.dep_ == "ccomp" for c in children) or _named_parties(subject)):
        return [(verb, "other", status, parties)]   # "the two sides agreed"
    return []           # "analysts agreed it was a plan": an opinion


def _recipients(act: Token) -> list[Token]:
    """Whom an agreed act is done for, when named: the indirect object
    ("agreed to lend Mr. Clarke $5 million", "to pay Fiat 1.55bn euros")
    or "to X" ("agreed to supply gas to Ukraine")."""
    named = [c for c in act.children if c.dep_ in ("dative", "dobj") and any(
        d.dep_ in ("dobj", "dative") for d in act.children if d.i != c.i)
        and (c.ent_type_ in ("PERSON", "ORG", "GPE") or (c.pos_ == "PROPN" and not c.ent_type_))]
    return named + [p for c in act.children if c.dep_ == "prep" and c.lower_ == "to"
                    for p in c.children if p.dep_ == "pobj"
                    and p.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]   # "supply gas to Ukraine"


def deal_of(verb: Token) -> Optional[tuple[Token, str, str, list[Token]]]:
    """A purchase, merger or sale of a company, with buyer and target."""
    if verb.lemma_.lower() == "sell":
        return _sale_of(verb)
    children = list(verb.children)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)
    subject = _subject(verb)
    agent = next((p for c in children if c.dep_ == "agent"
                  for p in c.children if p.dep_ == "pobj"), None)
    target = next((c for c in children if c.dep_ == "dobj"), None)
    withs = language.prep_objects(verb, ("with", "from"))
    if passive:
        buyer, target = agent, subject
        if target is not None and target.lower_ in ("which", "that", "who") and \
                verb.dep_ == "relcl":
            target = verb.head      # "Polychrome Corp, which was acquired by Dainippon"
    else:
        buyer = subject
    if buyer is None and verb.dep_ == "csubj" and verb.head.dep_ == "ccomp":
        # "Standard Chartered said acquiring Korea First Bank fulfilled ...": the reporter's
        buyer = next((c for c in verb.head.head.children if c.dep_ == "nsubj"), None)
    if buyer is None and verb.dep_ == "acl":
        # "Ferruzzi's bid to acquire British Sugar"
        buyer = next((c for c in verb.head.children if c.dep_ == "poss"), None)
        talks = verb.head
        if buyer is None and talks.lower_ in TALKS and \
                talks.dep_ == "pobj" and talks.head.head.pos_ in ("VERB", "AUX"):
            buyer = _subject(talks.head.head)     # "Ford is in talks to buy ..."
        if buyer is None and talks.lemma_.lower() in _PLANS and talks.dep_ == "dobj":
            buyer = _for_whom(_subject(talks.head))   # "its shareholders approved a plan to merge"
    if any(c.lower_ == "back" and c.dep_ in ("prt", "advmod") and c.i == verb.i + 1
           for c in verb.children):
        return None     # "to buy back 10 pct of its shares": its own
    lemma = verb.lemma_.lower()
    if lemma == "merge":
        if not (withs or (target is not None and _company_like(target))) or \
                (subject or buyer) is None:
            return None     # "to merge the six Scottish regiments": no companies
    elif target is None or not _company_like(target):
        return None
    if target is not None and target.lemma_.lower() in STAKE_NOUNS:
        # "bought a 17.5% stake in United": the company is United
        owned = [p for c in target.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                 for p in c.children if p.dep_ == "pobj"] or [
            c for c in target.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
        ] or [p for c in children if c.dep_ == "prep" and c.lower_ == "in"    # hung on the verb
              for p in c.children if p.dep_ == "pobj" and _named(p)]
        if not owned and target.lemma_.lower() == "share" and not _named(buyer) and not any(
                c.dep_ == "poss" for c in target.children):
            return None     # "investors who bought shares": trading, no company named
        target = owned[0] if owned else target    # "498,800 King World common shares"
        if (owned and not (_company_like(target) or _named(target) or withs
                           or target.pos_ == "PRON")) or (
                lemma == "take" and not owned):
            return None     # "took a stake in the outcome"
    parties = [t for t in (buyer, target) if t is not None] + withs
    return verb, "deal", _deal_status(verb), parties


# Nouns of a deal put forward, whose approver acts for a party.
_PLANS = frozenset({"plan", "proposal", "offer", "agreement"})
# Those who approve for a company: "its shareholders", "the board of Norstar".
_APPROVERS = frozenset({"shareholders", "stockholders", "board", "directors", "holders"})


def _for_whom(subject: Optional[Token]) -> Optional[Token]:
    """The company a subject approves for ("its shareholders": "its"), or
    the subject itself ("Acme's board approved": Acme, "Acme approved":
    Acme)."""
    if subject is not None and subject.lower_ in _APPROVERS:
        return next((c for c in subject.children if c.dep_ == "poss"), subject)
    return subject


def _sale_of(verb: Token) -> Optional[tuple[Token, str, str, list[Token]]]:
    """A company or a stake in one sold: the seller, the buyer ("to X", "sold
    GM a stake") and the company sold where it is named ("sold its Woodville subsidiary to
    Dowty Group"). Selling goods ("sold the surplus to crushers") or shares
    to no one named (an offering) is no deal."""
    children = list(verb.children)
    if _particle(verb, "out"):
        return None     # "Volvo Cars were sold out": no stock left
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)
    seller = next((p for c in children if c.dep_ == "agent" for p in c.children
                   if p.dep_ == "pobj"), None) if passive else _subject(verb)
    target = _subject(verb) if passive else next((c for c in children if c.dep_ == "dobj"), None)
    buyer = next((p for c in (*children, *(target.children if target is not None else ()))
                  if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                  for p in c.children if p.dep_ == "pobj" and actions.can_act(p)),
                 None) or next((c for c in children if c.dep_ == "dative" and _named(c)), None)
    # "to Dowty Group", hung on the verb or on what was sold ("a stake to
    # Dowty"), or the indirect object ("Fiat sold GM a stake"); not "for the
    # year to August"
    named_target = [target] if target is not None and _named(target) and not (
        _headline(verb.sent) and not target.ent_type_) and \
        target.lower_ not in DEAL_OBJECTS | STAKE_NOUNS else []   # not "TO SELL SHARES"
    if target is None or not _company_like(target) or not (_named(buyer) or named_target):
        return None
    parties = [t for t in (seller, buyer) if t is not None] + named_target
    return verb, "deal", _deal_status(verb), parties


def _headline(sent) -> bool:
    """A sentence in capitals, whose common nouns the tagger reads as names."""
    words = [t for t in sent if t.is_alpha]
    return bool(words) and sum(t.is_upper for t in words) > 0.6 * len(words)


def _subject(verb: Token) -> Optional[Token]:
    """The verb's subject, or that of the verb it completes or is conjoined to."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ in ("xcomp", "conj"):
        subject = language.raised_subject(verb.head)
    return subject


def _deal_status(verb: Token) -> str:
    if verb.dep_ == "acl" and verb.head.lower_ in TALKS:
        return "negotiating"     # "Ford is in talks to buy a stake in Mazda"
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in ("bid", "offer", "plan", "proposal",
                                                           "attempt", "deal"):
        if verb.head.lemma_.lower() == "deal":
            return "agreed"
        fate = verb.head.head
        return BID_FATES.get(fate.lemma_.lower(), "proposed") if fate.pos_ == "VERB" \
            and verb.head.dep_ in ("dobj", "nsubjpass") else "proposed"
    head = verb.head if verb.dep_ in ("xcomp", "pcomp") else None
    if head is not None and head.lemma_.lower() == "agree":
        return "agreed"
    if head is not None and head.lemma_.lower() in _SOUGHT | {"offer", "propose", "bid"}:
        return "proposed"
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"would", "could", "might", "may"}:
        return "proposed"
    if aux & {"will", "shall"} or verb.tag_ == "VB":
        return "agreed"
    return "in_force"     # "GE bought Vivendi": done


def _named(token: Optional[Token]) -> bool:
    return token is not None and (token.pos_ == "PROPN" or token.ent_type_ in language.ACTOR_LABELS)


def _company_like(token: Token) -> bool:
    if token.lemma_.lower() in STAKE_NOUNS and any(
            c.dep_ == "prep" and c.lower_ in ("in", "of") and any(
                p.dep_ == "pobj" and _company_like(p) for p in c.children)
            for c in token.children):
        return True     # "to buy 26% of Indian firm Hindustan Oil Exploration"
    entity = language.entity_at(token)
    if entity is not None:
        # a company the recogniser took for a person: no one buys people
        return entity.label_ == "ORG" or (entity.label_ == "PERSON" and token.pos_ == "PROPN")
    return token.lemma_.lower() in DEAL_OBJECTS or token.lower_ in DEAL_OBJECTS


def _names_an_accord(tokens: list[Token]) -> bool:
    return any(language.accord_type(t) for t in tokens)


def _sought(verb: Token) -> bool:
    node = verb
    for _ in range(3):
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in _SOUGHT:
            return True
        if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may")
               for c in node.children):
            return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def _under(verb: Token, lemmas: frozenset) -> bool:
    node = verb
    for _ in range(3):
        if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in lemmas:
            return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def _named_parties(subject: Optional[Token]) -> bool:
    """Two or more named parties: "Germany and France agreed that ..." is
    their joint position, not one observer's view."""
    if subject is None:
        return False
    named = [t for t in language.conjoined(subject) if t.ent_type_ in language.ACTOR_LABELS]
    return len(named) >= 2


def _plural_subject(subject: Optional[Token]) -> bool:
    return subject is not None and _plural(subject)


def _alone(subject: Optional[Token]) -> bool:
    """A single person: "he", "Mr Smith"."""
    if subject is None:
        return True
    if subject.lower_ in _ONE_PERSON:
        return True
    entity = language.entity_at(subject)
    if entity is None and subject.tag_ == "NN":
        return subject.lower_ in language.PERSON_ROLE_NOUNS | language.ANONYMOUS_NOUNS
    return entity is not None and entity.label_ == "PERSON" and not _plural(subject)


def _plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in token.children) \
        or token.lower_ in ("they", "we", "both") or (
            token.pos_ == "NOUN" and actions.can_act(token) and token.lower_.endswith("s"))


def _particle(verb: Token, word: str) -> bool:
    return any(c.dep_ == "prt" and c.lower_ == word for c in verb.children)
