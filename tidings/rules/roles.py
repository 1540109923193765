"""Who did a happening, and to whom: the actor and target of an event's
trigger, from its verb's subject and object, the clause it completes or
sits in, or the noun's modifiers ("the FBI's investigation", "a Pentagon
inquiry", "the meeting between X and Y")."""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Token

from tidings.rules import actions, context, coreference, happenings, language
from tidings.rules.triggers import LIGHT_VERBS, NOUN_TRIGGERS, SPECIFIC_NOUN_TRIGGERS


def roles(token: Token) -> tuple[Optional[str], Optional[str]]:
    """Who did it, and to whom: subject and object, or the noun's modifiers."""
    actor = target = None
    if token.pos_ == "VERB" and happenings.headline_passive(token):
        subject = next(c for c in token.children if c.dep_ == "nsubj")
        return None, _phrase(subject)   # "BNP leader Nick Griffin arrested"
    if token.pos_ == "VERB":
        for child in token.children:
            if child.dep_ == "nsubj" and actor is None:
                if language.accord_type(child) and token.lemma_.lower() in _ACCORD_VERBS:
                    target = _phrase(child)     # "the accords, agreed in Paris" misparsed
                    continue
                actor = _phrase(actions.actor_of(token) or child)
            elif child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    actor = _phrase(pobj)
            elif child.dep_ in ("dobj", "nsubjpass") and target is None:
                target = _phrase(child)
        if actor is None and actions.removed_from(token) is not None:
            actor = _phrase(actions.removed_from(token))    # "was expelled from Labour"
        whom = _whom(token)
        if whom is not None:
            target = _phrase(whom)  # "imposed new sanctions on North Korea"
        passive_participle = token.tag_ == "VBN" and (
            any(c.dep_ == "auxpass" for c in token.children)
            or not any(c.dep_ == "aux" for c in token.children))
        own_patient = any(c.dep_ == "nsubjpass" for c in token.children)
        if token.dep_ in ("xcomp", "conj") and any(c.dep_ == "auxpass" for c in token.children) \
                and not own_patient:
            # "the accord is expected to be ratified", "pleaded guilty and was
            # jailed": the subject is what it is done to
            subject = _clause_subject(token)
            if target is None and subject is not None:
                target = _phrase(subject)
        elif actor is None and token.dep_ in ("xcomp", "conj", "pcomp", "advcl") and not (
                passive_participle and token.dep_ == "advcl") and not own_patient:
            # (not "Elected for Cardiff, he ...": he is who was elected; not
            # "MPs voted ..., but the majority was reduced": no one said by whom)
            subject = _clause_subject(token)
            if subject is not None:
                actor = _phrase(subject)
        if actor is None and token.dep_ in ("amod", "acl") and token.lower_ == "visiting":
            actor = _phrase(token.head)
    else:
        owner_befallen = None
        for child in token.children:
            if child.dep_ == "poss" and child.ent_type_ not in ("DATE", "TIME"):
                # not "last week's approval": a date; "following his arrest": whom
                # it befell, unless an "of" names that ("Iran's release of the sailors")
                if token.lemma_.lower() in _BEFALLS_OWNER and not any(
                        c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
                    target = owner_befallen = _phrase(child)
                else:
                    actor = _phrase(child)
            elif child.dep_ == "prep" and child.lower_ in ("by", "from") and actor is None:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                where_from = pobj is not None and pobj.ent_type_ in ("GPE", "LOC", "FAC", "DATE",
                                                                     "TIME")
                if pobj is not None and not (child.lower_ == "from" and (
                        where_from or _noun_type(token) not in _SENT)):
                    # "an intervention by central banks", "attacks from Bush and
                    # Kasich", "a protest from the Thai government" (not "a
                    # flight from Moscow": where from; nor "an address to the
                    # summit from Iyad Allawi", "tariffs on goods from Carrier")
                    actor = _phrase(pobj)
            elif child.dep_ == "prep" and child.lower_ == "between":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and actor is None:   # "the meeting between X and Y"
                    actor = _phrase(pobj)
                    other = next((c for c in pobj.children if c.dep_ == "conj"), None)
                    target = _phrase(other) if other is not None else target
            elif child.dep_ == "prep" and child.lower_ == "of" and \
                    token.lemma_.lower() in _PATIENT_OF:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and target is None:   # "the arrest of the dealer"
                    target = _phrase(pobj)
            elif child.dep_ == "prep" and child.lower_ in ("with", "against", "on"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and target is None and \
                        pobj.ent_type_ not in ("DATE", "TIME"):     # not "on Oct. 19"
                    target = _phrase(pobj)
            elif child.dep_ == "compound" and actor is None and \
                    child.ent_type_ in ("ORG", "GPE", "NORP") and child.i == token.i - 1:
                if child.ent_type_ == "GPE" and _held_at_a_place(token) and not any(
                        c.dep_ == "prep" and c.lower_ == "with" for c in token.children):
                    # "the New York trip": where to; "a San Diego rally": where
                    # (not "U.S. negotiations with other countries": the US talks)
                    target = _phrase(child) if _noun_type(token) == "VISIT" else target
                else:
                    actor = _phrase(child)      # "a Pentagon inquiry", "US sanctions"
        if actor is None and owner_befallen is None:
            # (not "X said ... after his arrest": X is no arrester)
            subject = _governing_subject(token)
            if subject is not None:
                actor = _phrase(subject)
    return actor, target


# Happenings one gets from someone: "attacks from Bush", "aid from the EU".
_SENT = frozenset({"ATTACK", "ACCUSE", "AID", "PROTEST", "THREATEN"})


def _noun_type(noun: Token) -> Optional[str]:
    return NOUN_TRIGGERS.get(noun.lower_) or NOUN_TRIGGERS.get(noun.lemma_.lower())


def _held_at_a_place(noun: Token) -> bool:
    """A happening that a place named before it hosts, not does: visits,
    meetings, rallies, debates ("the Moscow summit"; unlike "US sanctions",
    "a French air strike")."""
    return _noun_type(noun) in ("VISIT", "MEET", "PROTEST", "ELECT") or \
        noun.lemma_.lower() in ("rally", "debate", "caucus", "primary", "convention")


def _whom(verb: Token) -> Optional[Token]:
    """Who an act with a thing as its object is done to: "imposed new
    sanctions on North Korea", "pledged aid to Haiti", "fired tear gas at
    protesters", "clashed with Kurdish fighters" (the phrase on the verb or
    on its object); None when the object is who, or there is no such
    phrase."""
    dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if dobj is not None and (actions.can_act(dobj) or dobj.ent_type_ in ("GPE", "ORG", "NORP")):
        return None
    dative = next((c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"), None)
    if dative is not None:
        return dative           # "granted Ghana a 300 mln dlr loan"
    preps = ("on", "against", "to", "at") if dobj is not None else (
        ("with", "against") if verb.lemma_.lower() in _FOUGHT else ())
    for child in (*verb.children, *(dobj.children if dobj is not None else ())):
        if child.dep_ == "prep" and child.lower_ in preps:
            pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
            if pobj is not None and (actions.can_act(pobj) or pobj.ent_type_ in (
                    "GPE", "ORG", "NORP")):
                return pobj
    return None


# Fights whose "with" phrase is the other side: "clashed with Kurdish fighters".
_FOUGHT = frozenset({"clash", "fight", "battle", "skirmish"})


# Verbs that judge their object for what it did: "accused Titan of paying".
_BLAMING = frozenset({"accuse", "criticise", "criticize", "blame", "praise", "condemn",
                      "fault", "fine", "punish", "sue", "charge", "thank", "commend", "attack"})


def _clause_subject(verb: Token) -> Optional[Token]:
    """The subject a verb with none of its own takes from the clause above:
    "agreed to meet", "is due to visit", "Before visiting Israel, Mr
    Blair made ...", "are believed to have agreed"."""
    node = verb
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ == "pcomp" and head.pos_ == "ADP":
            preposition, head = head, head.head     # "before visiting": the clause's verb
            blamed = next((c for c in head.children if c.dep_ == "dobj"), None)
            if preposition.lower_ in ("for", "of") and blamed is not None and \
                    head.lemma_.lower() in _BLAMING:
                return blamed   # "criticised the rail company for threatening to ..."
        subject = language.raised_subject(head)
        if subject is not None:
            return subject
        if head.dep_ not in ("xcomp", "acomp", "conj") and head.pos_ != "ADJ":
            return None
        node = head
    return None


def _governing_subject(noun: Token) -> Optional[Token]:
    """Whose the happening a noun names is, where the noun does not say:
    the subject of the verb that has it ("held talks", "had months of
    talks"), or whose clause it sits in ("had concluded at a recent
    meeting", "is in discussions with", "Following a meeting with ...,
    GAF said"), when that subject can act."""
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and \
            noun.head.head.lemma_.lower() in _QUANTITIES:
        noun = noun.head.head            # "months of talks", "three rounds of talks"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in _BACKGROUND and not _taken_part_in(noun):
        return None      # "faced difficulties after the 9/11 attacks": not theirs
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    elif noun.dep_ == "dobj" and head.lemma_.lower() == "follow" and \
            head.dep_ in ("prep", "advcl"):
        head = head.head                 # "Following a meeting ..., GAF said"
    elif noun.dep_ != "dobj":
        return None
    elif head.lemma_.lower() not in LIGHT_VERBS | actions.ORDERING | _DOER_OF_OBJECT:
        return None
    if head.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None and head.lemma_.lower() in actions.ORDERING:
        subject = actions.actor_of(head)     # "are investigating ..., and have ordered"
    return subject if subject is not None and actions.can_act(subject) else None


# Verbs beside LIGHT_VERBS whose subject is the doer of the happening their
# object names: "Labour won the election", "the US announced an embargo".
_DOER_OF_OBJECT = frozenset({"win", "lose", "contest", "fight", "announce", "declare", "impose"})
# Prepositions that set a happening as the time of another, not the subject's own.
_BACKGROUND = frozenset({"after", "before", "since", "until"})


def _main_clause_subject(pronoun: Token) -> Optional[Token]:
    """The doer of the clause that a pronoun's "when", "after" or "as"
    clause hangs on, where it fits the pronoun: "X changed its name when it
    emerged from bankruptcy" (X), "Smith resigned after he lost" (Smith)."""
    verb = pronoun.head
    if pronoun.dep_ != "nsubj" or verb.dep_ != "advcl" or pronoun.lower_ not in _FITS:
        return None
    main = actions.actor_of(verb.head)
    if main is None or main.pos_ == "PRON" or main.i == pronoun.i or not actions.can_act(main):
        return None
    entity = language.entity_at(main)
    label = entity.label_ if entity is not None else None
    return main if label in _FITS[pronoun.lower_] else None


# The labels of a doer each pronoun can stand for (None: a noun, unlabelled).
_FITS = {"it": ("ORG", None), "he": ("PERSON",), "she": ("PERSON",)}


def _taken_part_in(noun: Token) -> bool:
    """A meeting or visit, which the subject of the clause around it
    attended ("said Gaymard, after a meeting with Eichel")."""
    kind = NOUN_TRIGGERS.get(noun.lower_) or NOUN_TRIGGERS.get(noun.lemma_.lower()) or \
        SPECIFIC_NOUN_TRIGGERS.get(noun.lower_)
    return kind in ("MEET", "VISIT")


# Happenings whose "of" phrase is who or what they befall.
_PATIENT_OF = frozenset({"arrest", "detention", "killing", "murder", "assassination",
                         "kidnapping", "expulsion", "release", "capture", "seizure",
                         "bombing", "shelling", "invasion", "occupation", "indictment",
                         "execution", "dismissal", "sacking", "appointment", "acquisition",
                         "takeover", "purchase", "sale"})
# Happenings whose owner is who they befall: "his arrest", "Blunkett's sacking".
_BEFALLS_OWNER = frozenset({"arrest", "detention", "killing", "murder", "assassination",
                            "kidnapping", "expulsion", "release", "capture", "execution",
                            "dismissal", "sacking", "indictment", "appointment",
                            "deportation", "extradition", "imprisonment", "conviction",
                            "ouster"})
# Verbs an accord is made by, never the accord's own act.
_ACCORD_VERBS = frozenset({"agree", "sign", "reach", "ratify", "conclude", "seal", "strike"})
# Nouns that count happenings: "months of talks".
_QUANTITIES = frozenset({"month", "week", "day", "year", "round", "series", "number",
                         "couple", "lot", "hour"})


def _phrase(token: Token) -> Optional[str]:
    """The words for who or what a token stands for, without a wire's
    ticker ("American Brands Inc <AMB>") or the brackets of its company code
    ("<Mark Resources Inc>"); None for words that run over a headline's line
    break ("SIGNS HOOVER DAM POWER PACT\n\nSouthern California Edison")."""
    text = _phrase_text(token)
    if text is None:
        return None
    cleaned = _TICKER.sub("", text).replace("<", "").replace(">", "").strip(" -,;:")
    return None if "\n" in cleaned else cleaned or text


# A wire's stock ticker after a name: "<AMB>", "<HWTA.S>", and one cut short: "<SHE".
_TICKER = re.compile(r"\s*<[A-Z0-9.]{1,10}(?:>|$)")


def _phrase_text(token: Token) -> Optional[str]:
    if token.lower_ in ("which", "that", "who", "whom") and token.head.dep_ == "relcl":
        token = token.head.head         # "the program, which was created": the program
    if token.lower_ in ("sides", "countries", "companies", "firms", "nations") and any(
            c.lower_ in ("two", "both", "three") for c in token.children):
        named = context.recent_parties(token)     # "the two sides agreed"
        if named:
            return " and ".join(named)
    if token.pos_ == "PRON":
        main = _main_clause_subject(token)
        if main is not None:
            return _phrase(main)        # "MCI, which changed its name ... when it emerged"
        named = coreference.antecedent(token)
        if named is not None:
            return named
        company = language.reporting_company(token)
        if company is not None:
            return language.noun_phrase(company).text
    token = language.by_name(token)     # "its president, J.R. Moman,": the name
    entity = language.entity_at(token)
    if entity is not None and entity.label_ in language.ACTOR_LABELS | {"FAC"}:
        text = language.strip_determiner(entity).text
    else:
        text = language.noun_phrase(token).text
    return language.POSSESSIVE_END.sub("", text)     # not "Blunkett's ..."
