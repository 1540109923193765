"""Who the parties of an agreement are: the names the parse gives for the
noun phrases around an accord or an agreeing verb (those named before in
the article are ``tidings.rules.context``'s)."""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Span, Token

from tidings.rules import accords, actions, language, referents
from tidings.rules.claims import REPORTING_VERBS


def party_names(heads: list[Token], parties: Optional[list[str]] = None,
                followed: frozenset = frozenset()) -> list[str]:
    """The parties that noun phrases headed by ``heads`` (and whatever is
    conjoined to them) name: states, bodies, companies and people as
    written, a group by its phrase ("the banks", "committee members").
    Pronouns and places that only say where are left out. ``followed``: the
    tokens already resolved on the way here (a "the bank" whose antecedent
    leads back to it is read as written)."""
    parties = [] if parties is None else parties
    for token in heads:
        for head in language.conjoined(token):
            if not any(ch.isalnum() for ch in head.text) or _seat(token, head):
                continue                    # a hyphen the parser made a noun ("ex - managers")
            seen = followed | {token.i, head.i}
            head = language.by_name(head)   # "United's budget airline, Kingfisher Airlines,"
            seen |= {head.i}
            referent = referents.referent(head)
            if referent is not None and referent.i not in seen:
                # "it", "they", "the firm": named before
                party_names([referent], parties, seen)
                continue
            owner = _owner(head)
            if owner is not None:
                party_names([owner], parties)
                continue
            entity = language.entity_at(head)
            if entity is not None and entity.label_ in _MISTAKEN_LABELS and \
                    head.pos_ == "PROPN" and head.dep_ in ("nsubj", "nsubjpass"):
                entity = Span(head.doc, entity.start, entity.end, label="ORG")  # a place that acts
            if entity is not None and entity.label_ == "ORG":
                entity = _whole_name(entity)    # "Texas Commerce Bancshares Inc"
            if entity is not None and entity.label_ in language.ACTOR_LABELS:
                text = language.strip_determiner(entity).text
                if entity.label_ == "PERSON":
                    # A leader acting for a state: "U.S. President Donald Trump".
                    text = _nationality(entity) or text
            elif head.lower_ in ("counterpart", "counterparts") and _nationality_of(head):
                text = _nationality_of(head)
            elif head.pos_ == "NOUN" and (actions.can_act(head) or (
                    head.dep_ == "pobj" and head.head.lower_ in ("with", "between", "among", "into"))):
                text = _described(head)
            elif head.pos_ == "PROPN" and entity is None:
                text = _proper_name(head)      # a name the recogniser left unlabelled
            else:
                continue
            text = text.rstrip(">").lstrip("<")
            text = language.POSSESSIVE_END.sub("", text)    # "Allied-Lyons' acquisition"
            if text.count("(") > text.count(")"):
                text += ")"             # "Avions de Transport Regional (ATR"
            party = language.canonical_party(text)
            if party and party not in parties and not _names_an_accord(party):
                parties.append(party)
            employer = _employer(head)
            if employer is not None and employer.i not in seen:
                party_names([employer], parties, seen)
    return parties


def _seat(company: Token, place: Token) -> bool:
    """A place listed after a company's name that says where it is, not a
    party: "agreements with Sumitomo Bakelite Co Ltd, Tokyo, Japan"."""
    return place.i > company.i and place.ent_type_ == "GPE" and company.ent_type_ == "ORG" and \
        not any(c.dep_ == "cc" for t in language.conjoined(company) for c in t.children)
    # (not "a deal among USAir, Piedmont and TWA": a list)


def _employer(head: Token) -> Optional[Token]:
    """The organisation a workforce's own phrase names as its employer ("at
    US Airways", "of General Motors", "for Boeing"): its other party ("a
    union representing flight attendants at US Airways agreed to a new
    contract": the union and US Airways)."""
    if head.lower_ not in language.WORKFORCE or head.pos_ != "NOUN":
        return None
    for token in head.subtree:
        if token.dep_ == "pobj" and token.head.lower_ in ("at", "of", "for") and \
                token.ent_type_ == "ORG" and (token.head.head.lower_ in language.WORKFORCE or (
                    token.head.head.dep_ == "acl" and token.head.head.head.i == head.i)):
            return token    # (hung on "representing": "a union representing ... at X")
    return None


def _described(head: Token) -> str:
    """A group by its phrase, with the participle that says whose it is:
    "companies controlled by John Castellvi", "a consortium led by Shell"."""
    phrase = language.noun_phrase(head)
    owned = next((c for c in head.rights if c.dep_ == "acl" and c.tag_ == "VBN" and any(
        a.dep_ == "agent" for a in c.children)), None)
    if owned is None:
        return phrase.text
    return head.doc[phrase.start:max(phrase.end, owned.right_edge.i + 1)].text


def reporting_company(anchor: Token) -> Optional[str]:
    """The company that reports what the clause holding an accord says:
    "Phytopharm said Yamanouchi was likely to end a licensing agreement"
    (Phytopharm, the other party of its own licence). Only an organisation
    the recogniser labelled, not an outlet: a person or state reporting on
    an accord is often no party to it."""
    node = anchor
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ == "ccomp" and head.lemma_.lower() in REPORTING_VERBS:
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            entity = language.entity_at(subject) if subject is not None else None
            if entity is None or entity.label_ != "ORG" or language.is_media(entity.text):
                return None
            named = party_names([subject])
            return named[0] if named else None
        node = head
    return None


def _whole_name(entity: Span) -> Span:
    """An organisation's name with the proper nouns compounded to it on its
    left, where the recogniser cut them off ("Texas" "Commerce" before
    "Bancshares Inc", "Circle" before "Fine Art Corp")."""
    start = entity.start
    while start > entity.sent.start:
        before = entity.doc[start - 1]
        if before.pos_ != "PROPN" or before.dep_ != "compound" or \
                not entity.start <= before.head.i < entity.end and before.head.i != start:
            break
        start -= 1
    return entity if start == entity.start else Span(entity.doc, start, entity.end, label="ORG")


def _names_an_accord(party: str) -> bool:
    """A name that is an accord's own: "the Maastricht Treaty", "the North
    American Free Trade Agreement", "Nafta" are what was agreed, not who."""
    words = party.lower().split()
    return bool(words) and words[-1] in language.AGREEMENT_NOUNS and words[-1] not in (
        "group", "venture")


# Labels the recogniser gives companies it does not know: a "place" or
# "product" that is the subject of an accord ("Everasia is reported to have
# won a contract") is a party.
_MISTAKEN_LABELS = frozenset({"LOC", "FAC", "PRODUCT", "WORK_OF_ART"})
# Verbs of buying goods in a deal: "is to buy 10 aircraft from Airbus in a
# deal worth $1.8bn" names buyer and seller.
_TRADE_VERBS = frozenset({"buy", "purchase", "acquire", "order", "lease"})


def _trade_parties(noun: Token) -> list[Token]:
    """Buyer and seller of a purchase the accord noun sits under: "is to
    buy 10 aircraft from Airbus and has the option to buy 20 more in a
    deal"."""
    node, head = noun, None
    for _ in range(4):
        if node.head.i == node.i:
            return []
        node = node.head
        if node.pos_ == "VERB" and node.lemma_.lower() in _TRADE_VERBS:
            head = node
            break
    if head is None:
        return []
    chain = [head]              # the verbs above it, to the clause's subject
    while chain[-1].dep_ in ("conj", "xcomp", "acl", "dobj") and len(chain) < 6:
        chain.append(chain[-1].head)
    buying = [v for v in chain if v.lemma_.lower() in _TRADE_VERBS]
    sellers = [p for verb in buying
               for t in (verb, *(c for c in verb.children if c.dep_ == "dobj"))
               for c in t.children if c.dep_ == "prep" and c.lower_ == "from"
               for p in c.children if p.dep_ == "pobj"]
    if not sellers:
        return []
    buyer = next((c for v in chain for c in v.children if c.dep_ == "nsubj"), None)
    return ([buyer] if buyer is not None else []) + sellers


# Two names written as one word: "U.S.-Japan", "U.S.-Japanese", "UFJ-MTFG".
_JOINED_NAMES = re.compile(r"([A-Z][\w.&]+)-([A-Z][\w.&]+)")


def _hyphen_pair(noun: Token) -> list[Token]:
    """The two names joined by a hyphen before an accord: "the US-China
    trade deal", "a Putin-Trump pact" (the parser compounds the first to
    the second)."""
    compounds = [c for c in noun.children if c.dep_ == "compound"]
    compounds += [g for c in compounds for g in c.children if g.dep_ == "compound"]
    for second in compounds:
        for first in second.lefts:
            if first.dep_ == "compound" and first.pos_ == "PROPN" and second.pos_ == "PROPN" \
                    and first.i + 2 == second.i and first.nbor(1).tag_ == "HYPH":
                return [first, second]
    return []


def _named(prep: Token) -> bool:
    """Whether a preposition's object is a name: "a deal for Patriot", not
    "a deal for 10 aircraft" or "for $2bn"."""
    return any(p.dep_ == "pobj" and (p.pos_ == "PROPN" or p.ent_type_ in language.ACTOR_LABELS)
               for p in prep.children)


def _owner(head: Token) -> Optional[Token]:
    """The company whose board or management a party is."""
    if head.lower_ not in _ORGANS:
        return None
    for child in head.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((p for p in child.children if p.dep_ == "pobj"), None)
    return None


def _proper_name(head: Token) -> str:
    """A proper noun with the proper nouns compounded to its left:
    "United Breweries", "Rosneft"."""
    doc = head.doc
    start = head.i
    while start > head.sent.start and doc[start - 1].dep_ == "compound" and \
            doc[start - 1].pos_ == "PROPN" and start <= doc[start - 1].head.i <= head.i:
        start -= 1      # (and one compounded to a compound: "Gynex" "Laboratories" "Inc")
    return doc[start:head.i + 1].text


# Accord nouns whose "of" names a party: "the merger of X with Y".
_DEAL_NOUNS = frozenset({"merger", "acquisition", "takeover", "buyout", "purchase"})
# A company's organs act for it: "its board", "the board of Norstar".
_ORGANS = frozenset({"board", "management", "directors", "boards"})
# Verbs whose subject judges an accord from outside: "regulators approved
# the merger", "Clinton opposes the deal".
_OUTSIDER_VERBS = frozenset({"oppose", "block", "veto", "approve", "criticize", "criticise",
                             "welcome", "condemn", "broker", "mediate", "clear", "flout",
                             "back", "support", "endorse"})


def noun_parties(noun: Token, verb: Optional[Token], sent: Span) -> list[str]:
    heads: list[Token] = []
    if verb is not None and not (noun.dep_ == "pobj" and noun.head.lower_ == "under"):
        # (not "under the accord, holders will receive": they are no parties)
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            subject = language.raised_subject(verb.head.head)   # "after signing X, Y ..."
        if subject is None and verb.dep_ == "acomp":
            subject = language.raised_subject(verb.head)    # "would be able to reach"
        if subject is None and verb.dep_ in ("xcomp", "conj", "advcl"):
            subject = language.raised_subject(verb.head)
            if subject is None and verb.head.dep_ == "acomp":
                subject = language.raised_subject(verb.head.head)   # "was likely to end"
        if subject is not None and verb.lemma_.lower() not in _OUTSIDER_VERBS:
            heads.append(subject)
        # "was signed by X and Y", "had to be led by X": not "was approved by
        # regulators", "blocked by the Commission" (outsiders)
        passives = [verb] + [c for c in verb.children if c.dep_ == "xcomp" and any(
            a.dep_ == "auxpass" for a in c.children)]
        for passive in passives:
            if passive.lemma_.lower() in _OUTSIDER_VERBS:
                continue
            heads.extend(p for c in passive.children if c.dep_ == "agent"
                         for p in c.children if p.dep_ == "pobj")
    pair = _hyphen_pair(noun)
    where = pair if noun.lemma_.lower() in _DEAL_NOUNS and all(
        t.ent_type_ in ("GPE", "LOC") for t in pair) else []
    heads.extend(t for t in pair if t not in where)  # (not "a London-Frankfurt merger")
    joined = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")
              and _JOINED_NAMES.fullmatch(c.text)]      # "the U.S.-Japan pact"
    heads.extend(c for c in noun.children if c not in joined and c not in where and (
        c.dep_ == "poss" or (
            c.dep_ == "compound" and (c.ent_type_ in ("GPE", "ORG") or c.lower_ == "government")
            and c.lower_ not in language.CAPITALS)))
    # ("the Iran deal", "a government contract"; not "the Paris accord": where it was made)
    heads.extend(_trade_parties(noun))
    for child in noun.children:
        if child.dep_ == "prep" and (child.lower_ == "by" or (
                child.lower_ in ("of", "from", "into") and noun.lemma_.lower() in _DEAL_NOUNS) or (
                child.lower_ == "for" and noun.lemma_.lower() in ("bid", "offer", "tender")) or (
                child.lower_ == "for" and noun.lemma_.lower() in ("deal", "contract") and
                _named(child))):
            # ("a takeover bid for Halvorsen Shipping", "a deal for Patriot")
            # "a buyout by Verizon", "the merger of the bank with Chemical",
            # "its merger into companies controlled by Mr. Castellvi",
            # "its acquisition of Canadian Arsenals from the government"
            heads.extend(p for p in child.children if p.dep_ == "pobj")
        elif child.dep_ in ("acl", "relcl") and child.tag_ == "VBN" and \
                child.lemma_.lower() not in _OUTSIDER_VERBS:
            # "the agreement reached by six industrial nations", not "the
            # merger, backed by Russian authorities"
            heads.extend(p for c in child.children if c.dep_ == "agent"
                         for p in c.children if p.dep_ == "pobj")
        elif child.dep_ == "acl" and child.lemma_.lower() in accords.DEAL_VERBS:
            deal = accords.deal_of(child)      # "a deal to acquire 36 planes from ATR"
            heads.extend(deal[3] if deal is not None else [
                p for c in child.children if c.dep_ == "prep" and c.lower_ == "from"
                for p in c.children if p.dep_ == "pobj"])
    # "a deal with Iran", and "signed a contract ... with Egypt" where the
    # parser hangs the phrase on the verb.
    preps = [t for t in noun.subtree if t.dep_ == "prep"
             and not any(a.dep_ in ("relcl", "acl") for a in t.ancestors
                         if a.i != noun.i and noun.i in {x.i for x in a.ancestors})]
    if verb is not None:
        preps += [c for c in verb.children if c.dep_ == "prep"]
        if noun.dep_ == "dobj" and noun.head.i != verb.i:
            # "was going to make a deal with Mr. Clarke": the verb that has the noun
            preps += [c for c in noun.head.children if c.dep_ == "prep"]
    between = [p for prep in preps if prep.lower_ in ("between", "among")
               for p in prep.children if p.dep_ == "pobj"]
    if between:
        return party_names(between)   # "a zone between X and Y" names them all
    for prep in preps:
        if prep.lower_ == "with":
            # a name or someone, where the phrase is not the accord's own: not
            # "seeking acquisitions of daily newspapers with circulation under 25,000"
            heads.extend(p for p in prep.children if p.dep_ == "pobj" and (
                prep.head.i == noun.i or p.pos_ == "PROPN" or actions.can_act(p)
                or p.tag_ == "NNS" or p.ent_type_ in language.ACTOR_LABELS))
    named = [language.canonical_party(part) for token in joined
             for part in _JOINED_NAMES.fullmatch(token.text).groups()]
    return list(dict.fromkeys(named + party_names(heads)))


def _nationality(person: Span) -> Optional[str]:
    """The state in a leader's title ("U.S. President Donald Trump"), not a
    place before a comma ("beside the Forbidden City, Mr. Xi")."""
    doc = person.doc
    start = person.start
    for token in doc[max(person.sent.start, start - 4):start]:
        entity = language.entity_at(token)
        if entity is not None and entity.label_ in ("GPE", "NORP") and \
                token.dep_ in ("compound", "amod", "nmod") and \
                token.i < token.head.i < person.end and \
                not any(t.is_punct or t.is_space for t in doc[token.i + 1:start]):
            return entity.text      # (not a headline's "US wine firm" before "Diageo")
    return None


def _nationality_of(noun: Token) -> Optional[str]:
    """The state an adjective gives a noun: 'her Chilean counterpart'."""
    for child in noun.children:
        if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE"):
            return child.text
    return None
