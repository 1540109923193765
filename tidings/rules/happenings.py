"""Whether a word names one happening the sentence tells of: a noun
pinned down ("the FBI's investigation of Thiokol"), held or made, or
taking its course ("fighting broke out"); not one that has not come ("the
stumbling block to a merger"), a time ("at the next election"), a kind
("a pace of killing") or words ("attacks on Machado").
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from tidings.rules import actions, language
from tidings.rules.triggers import OBSTACLES, VERBAL_ATTACK_WORDS


# Prepositions that make an election a time ("in the run-up to the 2007
# elections", "at the next election").
_BEFORE = frozenset({"before", "ahead", "until", "at", "to", "by"})
# A rally of prices, not people: "an early rally that sent June S and P 500s higher".
_MARKET_RALLY = frozenset({"early", "late", "strong", "broad", "sharp", "stock", "market",
                           "bond", "relief", "price", "equity", "dollar"})


def not_yet(noun: Token) -> bool:
    """A happening named as what has not come, or as a time."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in OBSTACLES:
        return True
    if noun.lemma_.lower() == "election" and noun.dep_ == "pobj" and head.lower_ in _BEFORE:
        return True
    return noun.lemma_.lower() == "rally" and any(
        c.dep_ in ("amod", "compound") and c.lower_ in _MARKET_RALLY for c in noun.children)


# Verbs of a happening's own course: "fighting broke out", "clashes erupted".
_COURSE = frozenset({"break", "erupt", "flare", "intensify", "escalate", "spread", "rage",
                     "resume", "continue"})


def broke_out(noun: Token) -> bool:
    """A happening the sentence tells as taking its course: "Fighting broke
    out between rival militias", "clashes erupted"."""
    return noun.dep_ == "nsubj" and noun.head.lemma_.lower() in _COURSE


def kind_of(verb: Token) -> bool:
    """A gerund naming a kind of act after a noun's "of", with no doer of
    its own: "a pace of killing unknown to most Americans"."""
    return verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.lower_ == "of" and \
        verb.head.head.pos_ == "NOUN" and not any(
            c.dep_ in ("nsubj", "poss") for c in verb.children)


def told_of(noun: Token) -> bool:
    """Whether a noun names one happening the sentence tells of, not one in
    general ("a nuclear terrorist attack is the main danger", "the outcome
    of wage negotiations"): pinned down (``pinned_down``), held or made
    ("held talks"), the subject of a verb, or in a phrase of one ("during
    the visit", "cut out of the talks")."""
    if pinned_down(noun):
        return True
    if noun.dep_ in ("nsubj", "nsubjpass"):
        # not "a terrorist attack is the main danger": a kind of happening
        return not (noun.head.lemma_ == "be" and any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "any") for c in noun.children))
    head = noun.head
    if noun.dep_ == "dobj" and head.pos_ == "VERB":
        return True
    if noun.dep_ != "pobj":
        return False
    while head.pos_ == "ADP" and head.head.i != head.i:     # "out of the talks"
        head = head.head
    return head.pos_ in ("VERB", "AUX")


def topic(noun: Token) -> bool:
    """Whether a noun, or the first of the nouns it is joined to, is what
    something is about ("to talk to me about trade and the elections"),
    what someone calls something ("what it calls the biggest media attack
    in history"), or a public argument ("the debate over abortion rights",
    not "the debate on Thursday")."""
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    if noun.dep_ == "oprd" and noun.head.lemma_.lower() in _NAMING and any(
            c.dep_ == "dobj" for c in noun.head.children):
        return True     # (not "called a nationwide strike", which the parser may read so)
    if noun.lemma_.lower() == "debate" and any(
            c.dep_ == "prep" and c.lower_ in ("over", "about", "on") for c in noun.children) \
            and not language.has_time(noun) and not (
                noun.dep_ == "dobj" and language.has_own_time(noun.head)):
        return True     # "the raging national debate over trade": a public argument
    return noun.dep_ == "pobj" and noun.head.lower_ == "about"


# Verbs that name something: a happening as their predicate is a word for it.
_NAMING = frozenset({"call", "label", "dub", "brand", "term"})


def pinned_down(noun: Token) -> bool:
    """Whose, of what, by whom or when: a possessor, an of/by/into/on/over/
    with/against phrase, or a date or time in the noun's phrase or on the
    verb it is the object of."""
    for child in noun.children:
        if child.dep_ == "poss":
            return True
        if child.dep_ == "prep" and child.lower_ in ("of", "by", "into", "on", "over", "with",
                                                     "against", "between"):
            return True
        if child.dep_ in ("compound", "amod") and child.ent_type_ in actions.ACTOR_ENTITY_TYPES:
            return True
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB" and language.has_own_time(noun.head):
        return True     # "Labour won the election in May"
    if noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.lemma_.lower() in _TAKEN_PART and \
            noun.head.head.pos_ == "VERB" and language.has_own_time(noun.head.head):
        return True     # "Nigerians voted in a presidential election on Saturday"
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _STAGING and noun.head.tag_ in (
            "VBD", "VBN", "VBZ") and actions.actor_of(noun.head) is not None:
        return True     # "the union staged a walkout": its doer, told as done
    return language.has_time(noun)


# Happenings one takes part in: "voted in an election on Saturday".
_TAKEN_PART = frozenset({"election", "poll", "referendum", "vote", "fighting", "clash",
                         "clashes", "raid", "riot", "riots", "walkout", "boycott"})
# Verbs whose subject carries out the happening their object names.
_STAGING = frozenset({"stage", "hold", "launch", "conduct", "mount", "call"})


def verbal_attack(token: Token) -> bool:
    """'media attack', 'attacks on Machado', 'his attacks': words, not
    weapons (a person by the recogniser's label, or by the name's words,
    which it labels a person elsewhere in the article: "Alicia Machado" ...
    "Machado" as a place)."""
    modifiers = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound")}
    if modifiers & VERBAL_ATTACK_WORDS:
        return True
    if modifiers & _PHYSICAL_ATTACK_WORDS:
        return False    # "the Paris terror attacks", "a brutal attack"
    # attacks on, against or from a person, and a person's attacks on no
    # thing, are words: "damaging attacks against her", "Sanders's attack on
    # her qualifications", "Rubio ratcheted up his attacks" (not "Mateen's
    # attack on the nightclub")
    aimed = [p for c in token.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "from")
             for p in c.children if p.dep_ == "pobj"]
    if aimed:
        return any(_a_person(p) or any(_a_person(c) for c in p.children if c.dep_ == "poss")
                   for p in aimed)
    return any(_a_person(c) for c in token.children if c.dep_ == "poss")


# Words that make an attack one of force: "terror attacks", "an air attack".
_PHYSICAL_ATTACK_WORDS = frozenset({"terror", "terrorist", "suicide", "air", "missile", "rocket",
                                    "bomb", "knife", "gun", "mortar", "brutal", "violent",
                                    "physical", "armed", "military", "chemical", "deadly"})


def _a_person(token: Token) -> bool:
    """A person by the recogniser's label, a word of a name it labels a
    person elsewhere in the article, or a personal pronoun."""
    return token.ent_type_ == "PERSON" or token.lower_ in ("his", "her", "him", "she", "he") or (
        token.pos_ == "PROPN" and token.text in language.doc_person_names(token.doc))


def signed_up_to_nothing(verb: Token) -> bool:
    """"Signed up" to or for no accord ("people who signed up for a postal
    vote"), unlike "Japan signed up to it", "signed up for a $12.8bn deal"."""
    return any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children) and not any(
        p.dep_ == "pobj" and (p.pos_ == "PRON" or language.accord_type(p) or p.ent_type_ == "LAW")
        for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "for")
        for p in c.children)


def no_meeting(verb: Token) -> bool:
    """ "Meet" with no one met: "to make ends meet", and a target met as the
    head of a relative clause ("a target he says he has now met")."""
    if any(c.dep_ == "nsubj" and c.lemma_.lower() == "end" for c in verb.children):
        return True
    if any(c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "prep" and c.lower_ == "with")
           for c in verb.children):
        return False
    node = verb
    while node.dep_ == "ccomp" and node.head.i != node.i:
        node = node.head
    return node.dep_ == "relcl" and node.head.pos_ == "NOUN" and not actions.can_act(node.head)


# What is arrested when it is slowed, not detained: "the decline would be arrested".
_TRENDS = frozenset({"decline", "fall", "slide", "slump", "drop", "growth", "rise", "trend",
                     "deterioration", "erosion", "spread", "advance", "loss", "losses"})


# What is killed when it is stopped, not slain: "would kill the spirit", "killed the bill".
_PLANS = frozenset({"bill", "plan", "proposal", "idea", "spirit", "hope", "hopes", "chance",
                    "chances", "measure", "legislation", "project", "growth", "recovery",
                    "momentum", "demand", "reform", "initiative", "effort", "prospect"})


def done_to_a_thing(verb: Token) -> bool:
    """An arrest of a trend ("the steady decline ... would be arrested"), a
    killing of a plan or an accord ("would kill the bipartisan spirit",
    "killed the merger"): a stop, not force; a shot at no one ("shot
    basketball hoops"); and a threat by what cannot act ("the EC directive
    threatens to cut meat shipments"): a risk."""
    lemma = verb.lemma_.lower()
    if lemma == "threaten":
        return any(c.dep_ == "nsubj" and c.pos_ == "NOUN" and not c.ent_type_ and
                   not actions.can_act(c) for c in verb.children)
    things = {"arrest": _TRENDS, "shoot": _SHOT, "kill": _PLANS}.get(lemma)
    return things is not None and any(c.dep_ in ("dobj", "nsubjpass") and (
        c.lemma_.lower() in things or (things is _PLANS and language.accord_type(c)))
        for c in verb.children)


# What is shot that is no one: "shot basketball hoops", "shot the film".
_SHOT = frozenset({"hoop", "basket", "ball", "goal", "film", "video", "footage", "photo",
                   "picture", "scene", "movie", "episode", "advert", "commercial", "pool"})


# Verbs a headline gives as done to its subject: "BNP leader Nick Griffin
# arrested", "Yukos accused of lying to court".
_DONE_TO = frozenset({"arrest", "detain", "accuse", "charge", "jail", "sentence", "convict",
                      "suspend", "bar", "ban", "sack", "expel", "oust", "fine", "sue",
                      "appoint", "elect", "kill", "injure", "wound", "kidnap", "free",
                      "release", "clear", "criticise", "criticize", "condemn", "urge"})


def headline_passive(verb: Token) -> bool:
    """A headline's passive with its "is" left out ("UKIP candidate
    suspended"): the subject is whom it was done to. A headline here is a
    sentence on a line of its own with no closing stop."""
    words = [t for t in verb.sent if not t.is_space]
    last = words[-1]
    doc = verb.doc
    line_ends = last.i + 1 == len(doc) or "\n" in last.whitespace_ or (
        doc[last.i + 1].is_space and "\n" in doc[last.i + 1].text)
    return verb.lemma_.lower() in _DONE_TO and verb.dep_ == "ROOT" and \
        verb.tag_ in ("VBN", "VBD") and line_ends and last.text not in (".", "!", "?") and \
        any(c.dep_ == "nsubj" for c in verb.children) and \
        not any(c.dep_ in ("aux", "auxpass", "dobj", "ccomp") for c in verb.children)


def hyphenated(verb: Token) -> bool:
    """The second half of a modifier joined by a hyphen: "a life-threatening
    situation" (a quality, not a happening; not "he fast-tracked a visa")."""
    doc = verb.doc
    return verb.dep_ in ("amod", "compound", "nmod", "acomp") and \
        verb.i >= 2 and doc[verb.i - 1].text == "-" and not doc[verb.i - 1].whitespace_ \
        and not doc[verb.i - 2].whitespace_ and doc[verb.i - 2].lower_ not in _PREFIXES


# Prefixes that make another verb, not a quality: "re-signed", "co-hosted".
_PREFIXES = frozenset({"re", "co", "pre", "de", "un", "counter", "over", "under", "out",
                       "mis", "cross", "inter", "non", "dis"})


# What a physical attack is made on: places, forces and the things they use.
_MILITARY_TARGETS = {"home", "house", "office", "shop", "school", "hospital", "mosque",
                     "church", "temple", "market", "hotel", "base", "convoy", "troop", "soldier",
                     "force", "position", "village", "town", "city", "ship", "vessel", "plane",
                     "embassy",
                     "camp", "checkpoint", "station", "building", "civilian",
                     "police", "patrol", "army", "target", "facility", "compound"}


def attack_verb_type(verb: Token) -> Optional[str]:
    """For "attack": ATTACK on a place or a force, ACCUSE on a person or
    body with words ("Trump attacked Clinton"), nothing on an idea
    ("attacked loopholes"). For "clash": ACCUSE between people ("Regan and
    Volcker clashed", "clashed with Megyn Kelly"), else ATTACK."""
    if verb.lemma_.lower() == "clash":
        sides = [t for c in verb.children if c.dep_ == "nsubj"
                 for t in language.conjoined(c)] + [
            p for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
            for p in c.children if p.dep_ == "pobj"]
        return "ACCUSE" if sides and all(_a_person(s) for s in sides) else "ATTACK"
    target = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if target is None:
        return "ATTACK" if any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in verb.subtree) \
            else None
    entity = language.entity_at(target)
    if target.lemma_.lower() in _MILITARY_TARGETS or (
            entity is not None and entity.label_ in ("GPE", "LOC", "FAC")):
        return "ATTACK"
    if entity is not None and entity.label_ in ("PERSON", "ORG", "NORP"):
        return "ACCUSE"
    return None
