"""Specific acts by an actor that no named event type covers: a company
cutting prices, a court ruling, a minister resigning, a board approving a
merger. They are events of type OTHER (or the type their verb gives).

``action_type(verb)`` says whether a verb is such an act. The verb must
be told as done, being done or scheduled (past tense, present perfect,
passive, "will", "is to", "is due to"), with an actor that can act (a
named person, organisation, state or group, a role or body noun, or a
personal pronoun); and it must not be a state, a thought, a wish, a
report of speech, a bare market movement ("prices rose") or a figure
("profits totalled"). Modal, negated and conditional verbs are left to
the event rules' own checks.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Token

from tidings.rules import language
from tidings.rules.claims import REPORTING_VERBS
from tidings.rules.triggers import LIGHT_VERBS, NOUN_TRIGGERS, SPECIFIC_NOUN_TRIGGERS


# Verbs that are never an act in this sense: states, thoughts, wishes,
# aspect and light verbs, causes, and verbs of saying (which are claims).
NOT_ACTS = frozenset({
    "be", "have", "do", "seem", "appear", "become", "remain", "stay", "look",
    "sound", "feel", "expect", "anticipate", "forecast", "predict", "think",
    "believe", "know", "understand", "want", "wish", "hope", "need", "like",
    "love", "hate", "prefer", "see", "hear", "consider", "regard", "view",
    "include", "involve", "contain", "comprise", "exist", "mean", "represent",
    "reflect", "show", "indicate", "suggest", "imply", "make", "get", "let",
    "help", "try", "attempt", "manage", "continue", "keep", "start", "begin",
    "fail", "tend", "use", "go", "come", "happen", "occur", "follow", "lead",
    "cause", "allow", "enable", "require", "face", "put", "set", "bring",
    "give", "take", "find", "say", "tell", "ask", "call", "add", "note",
    "argue", "claim", "report", "state", "write", "describe", "mention",
    "explain", "insist", "warn", "urge", "confirm", "deny", "believe",
    "estimate", "calculate", "value", "worth", "base", "own", "hold", "lie",
    "stand", "sit", "live", "die", "work", "seek", "plan", "intend", "decide",
    "choose", "prove", "turn", "run", "play", "fear", "worry", "concern",
    "mark", "amount", "total", "average", "equal", "rank", "account", "cost",
    "earn", "post", "record", "owe", "lack", "belong", "depend", "relate",
    "concern", "affect", "emerge", "spark", "prompt", "trigger", "result",
    "wait", "remember", "forget", "realise", "realize",
    "learn", "speak", "talk", "respond", "reply", "answer", "promise", "vow",
    "pledge", "threaten", "recall", "stress", "emphasise", "emphasize",
    "point", "quote", "cite", "dub", "label", "brand", "term", "praise",
    "criticise", "criticize", "condemn", "welcome", "blame", "accuse",
    # stances and attitudes: judgements of something, not acts upon it
    "acknowledge", "admit", "concede", "deride", "mock", "embrace", "rail",
    "signal", "propose", "display", "oppose", "support", "back", "endorse",
    "spread", "protect", "defend", "watch", "interrupt", "notice", "ignore",
    "dismiss", "question", "challenge", "thank", "apologise", "apologize",
    "joke", "laugh", "smile", "shrug", "agree", "disagree", "doubt", "hail",
    "favour", "favor", "applaud", "slam", "blast", "attack", "tout", "boast",
    "celebrate", "honor", "honour", "recognise", "recognize", "suffer",
    "enjoy", "benefit", "deserve", "afford", "miss", "struggle", "dare",
    "seize", "grab", "fight", "push", "press", "pursue", "care", "trust",
    "hint", "underline", "react", "hop", "act", "kick", "leave", "schedule", "discuss", "offer", "bid",
    "serve", "chant", "reference", "succeed", "conclude", "drive",
    "poll", "survey",     # "analysts polled by Reuters": a way of reporting
    "demand",             # "demanding higher wages": a way of saying
}) | REPORTING_VERBS
# Market movements and statistics: an act only with a named actor that
# does it to something ("the bank raised rates"); "prices rose" is not.
MOVEMENTS = frozenset({
    "rise", "fall", "increase", "decrease", "decline", "drop", "climb",
    "gain", "jump", "slip", "ease", "edge", "surge", "plunge", "soar",
    "tumble", "grow", "shrink", "slide", "rebound", "recover", "improve",
    "worsen", "dip", "slump", "rally", "advance", "retreat", "fluctuate",
    "widen", "narrow", "firm", "weaken", "strengthen", "reach", "hit",
    "open", "close", "trade", "end", "finish", "stand", "top", "exceed", "expand",
    "contract",
})
# Nouns that can act without a name: bodies, roles and groups.
ACTOR_NOUNS = (language.ORG_NOUNS | language.PERSON_ROLE_NOUNS | frozenset({
    "officials", "ministers", "leaders", "lords", "judge", "judges", "jury",
    "prosecutor", "prosecutors", "lawyers", "lawyer", "investors", "shareholders",
    "workers", "employees", "staff", "union", "unions", "directors", "management",
    "troops", "forces", "soldiers", "rebels", "militants", "protesters", "fighters",
    "supporters", "demonstrators", "activists", "strikers", "miners", "farmers",
    "nurses", "teachers", "doctors", "pilots", "drivers", "dockers",
    "police", "mps", "mp", "voters", "citizens", "nations", "countries",
    "states", "sides", "powers", "authorities", "regulators", "corporation",
    "corp", "inc", "unit", "subsidiary", "carrier", "airline", "maker",
    "producer", "manufacturer", "retailer", "bidder", "buyer", "seller",
    "owner", "owners", "partner", "partners", "members", "creditors",
    "banks", "companies", "firms", "groups", "governments", "executive",
    "executives", "administration", "congress", "ministers", "officer",
    "opposition", "coalition", "alliance", "federation", "association",
    "exchange", "fund", "trust", "insurer", "lender", "operator", "chain",
    "counterpart", "counterparts", "delegation", "delegations", "envoy", "envoys",
    "colleague", "colleagues", "rival", "rivals", "negotiators", "representatives",
    "boss", "bosses", "chiefs",
}))
# Entity types that name who acts: "the FBI investigation", "a Pentagon inquiry".
ACTOR_ENTITY_TYPES = language.ACTOR_LABELS
_PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
# "is to buy", "is due to announce", "is scheduled to meet": scheduled acts.
_SCHEDULING = frozenset({"due", "scheduled", "set", "expected", "poised", "slated"})


# Verbs of buying and merging: with a company or a stake as object, a deal.
DEAL_VERBS = frozenset({"buy", "acquire", "purchase", "merge", "takeover"})
# What a company emerges from as an act: "emerged from bankruptcy".
_INSOLVENCY = frozenset({"bankruptcy", "administration", "receivership", "protection",
                         "insolvency", "liquidation"})
# Verbs that order a happening their object names, or take part in it
# ("moderate the debate", "entered the talks"): the happening is the event.
ORDERING = frozenset({"order", "authorise", "authorize", "mount", "undertake", "moderate",
                      "attend", "enter", "crash", "join", "address"})
# Nouns that are an event of a named type whenever held or made: "staged a
# protest", "held talks" (not "launched a campaign", a kind that needs more).
_ALWAYS_EVENTS = frozenset(key for key, kind in NOUN_TRIGGERS.items()
                           if kind != "OTHER" and key not in ("campaign", "intervention",
                                                               "strike"))
# Nouns of a happening of a named type: "announced an embargo".
_TYPED_EVENTS = _ALWAYS_EVENTS | frozenset(key for key, kind in SPECIFIC_NOUN_TRIGGERS.items()
                                           if kind != "OTHER")
# Acts of saying that are events when they have a date: "the EU pledged in
# December", "is due to announce on Thursday". Undated, a pledge is a claim.
DATED_ACTS = frozenset({"pledge", "vow", "promise", "announce", "unveil", "launch"})


# Light and aspect verbs that are acts with these objects: "began mining
# operations", "took a 47 mln dlrs provision", "made new discoveries".
ACTS_WITH_OBJECT = {
    "recall": {"ambassador", "envoy", "diplomat", "troop", "car", "vehicle", "product"},
    "begin": {"operation", "production", "mining", "work", "construction", "talks",
              "service", "trading", "delivery", "drilling", "exports", "strike"},
    "start": {"operation", "production", "mining", "work", "construction", "talks",
              "service", "trading", "delivery", "drilling", "exports", "strike"},
    "take": {"provision", "charge", "writedown", "write-off", "stake", "control", "loss",
             "action", "step", "measure"},
    "conclude": {"talks", "visit", "tour", "meeting", "negotiation", "deal", "agreement"},
    "make": {"discovery", "acquisition", "bid", "offer", "payment", "investment", "loan",
             "cut", "change", "appointment", "arrest", "purchase", "sale"},
}


def action_type(verb: Token) -> Optional[str]:
    """OTHER when ``verb`` is a specific act by an actor, else None."""
    if verb.pos_ != "VERB":
        return None
    lemma = verb.lemma_.lower()
    if not verb.is_alpha:
        return None
    if lemma in NOT_ACTS and not (lemma in DATED_ACTS and _dated(verb)) and \
            not _acts_on(verb, lemma):
        return None
    if not _told_as_done_or_scheduled(verb):
        return None
    if any(c.dep_ == "dobj" and c.ent_type_ == "DATE" for c in verb.children):
        return None        # "the UK has entered 2005": time passing
    if any(c.dep_ == "dobj" and c.lower_ == "way" for c in verb.children):
        return None        # "elbowing their way past a guard", "made its way": going
    if lemma in ORDERING and any(
            c.dep_ == "dobj" and ({c.lemma_.lower(), c.lower_} & (
                NOUN_TRIGGERS.keys() | SPECIFIC_NOUN_TRIGGERS.keys()))
            for c in verb.children):
        return None        # "ordered the arrest of X", "moderated the debate"
    if lemma in LIGHT_VERBS and any(
            c.dep_ == "dobj" and ({c.lemma_.lower(), c.lower_} & _TYPED_EVENTS)
            for c in verb.children):
        return None        # "staged a protest", "held talks", "staged a walkout": the noun's
    if lemma in ("announce", "declare") and any(
            c.dep_ == "dobj" and ({c.lemma_.lower(), c.lower_} & _TYPED_EVENTS)
            for c in verb.children):
        return None        # "announced an embargo on Cuban sugar": the embargo
    actor = actor_of(verb)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if lemma in MOVEMENTS and (actor is None or passive or not _has_object(verb)):
        return None
    if actor is not None and can_act(actor):
        return "OTHER"
    if passive and actor is None and (language.has_time(verb) or lemma in DEAL_VERBS) and any(
            c.dep_ == "nsubjpass" and _done_to(c, verb) for c in verb.children):
        return "OTHER"     # "the contract was cancelled last year", "X will be merged with Y"
    return None


def _done_to(subject: Token, verb: Token) -> bool:
    """Whether a passive's subject names what it was done to: a noun or
    name, a number standing for one ("the other three were provided"), or
    the noun a comma-set "which" stands for ("the program, which was
    created in 1990")."""
    if subject.pos_ in ("NOUN", "PROPN", "NUM"):
        return True
    return subject.lower_ in ("which", "who") and verb.dep_ == "relcl" and \
        _non_restrictive(verb) and verb.head.pos_ in ("NOUN", "PROPN")


def _dated(verb: Token) -> bool:
    """A date of the verb's own, or of the schedule it completes ("On
    Thursday he is due to announce")."""
    if language.has_own_time(verb):
        return True
    schedule = verb.head
    if verb.dep_ != "xcomp" or schedule.lower_ not in _SCHEDULING:
        return False
    return language.has_own_time(schedule) or (
        schedule.dep_ == "acomp" and language.has_own_time(schedule.head))   # "is due to"


def _acts_on(verb: Token, lemma: str) -> bool:
    if lemma == "emerge" and any(
            c.dep_ == "prep" and c.lower_ == "from" and any(
                p.lemma_.lower() in _INSOLVENCY for p in c.children) for c in verb.children):
        return True        # "emerged from bankruptcy"
    objects = ACTS_WITH_OBJECT.get(lemma)
    return objects is not None and any(
        c.dep_ == "dobj" and (c.lemma_.lower() in objects or any(
            m.dep_ == "compound" and m.lemma_.lower() in objects for m in c.children))
        for c in verb.children)


def actor_of(verb: Token) -> Optional[Token]:
    """The verb's doer: its subject, the agent of a passive, or the
    subject of the verb it is conjoined to."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    named = [c for c in subjects if c.tag_ not in ("WP", "WDT")]
    for child in verb.children:
        if child.dep_ == "nsubj" and named and child.i != named[0].i:
            continue            # "laws which the Law Lords have ruled break ...": the Lords
        if child.dep_ == "nsubj":
            if child.lower_ in ("which", "who") and verb.dep_ == "relcl" and \
                    _non_restrictive(verb):
                before = verb.doc[child.i - 2] if child.i >= 2 else verb.head
                if not can_act(verb.head) and can_act(before):
                    return before       # "Shares in MCI, which changed": MCI
                return verb.head        # "MCI, which changed its name"
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head        # "lawyers who filed a class action"
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    body = removed_from(verb)
    if body is not None:
        return body
    if verb.dep_ in ("conj", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return actor_of(verb.head)
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in {"be", "manage"} | _SCHEDULING:
        return actor_of(verb.head)
    if verb.dep_ == "acomp" and verb.lower_ in _SCHEDULING:
        return actor_of(verb.head)      # "the minister is due to announce"
    return None


# Verbs of putting someone out of a body: "was expelled from Labour".
_REMOVING = frozenset({"expel", "suspend", "sack", "oust", "dismiss", "eject", "exclude",
                       "bar", "ban", "remove", "drop", "deselect"})


def removed_from(verb: Token) -> Optional[Token]:
    """The body a passive of putting out names with "from", which did it
    ("who was expelled from Labour": Labour; not "banned from driving",
    "removed from the market")."""
    if verb.lemma_.lower() not in _REMOVING or not any(
            c.dep_ == "auxpass" for c in verb.children):
        return None
    return next((p for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
                 for p in c.children if p.dep_ == "pobj" and can_act(p)
                 and p.pos_ != "PRON"), None)


def can_act(token: Token) -> bool:
    """A named person, organisation, state or group; a body, role or group
    noun; a personal pronoun; or a number of any of those ("thousands of
    workers")."""
    if token.lower_ in _MANY or token.like_num:
        return any(p.dep_ == "pobj" and can_act(p) for c in token.children
                   if c.dep_ == "prep" and c.lower_ == "of" for p in c.children)
    entity = language.entity_at(token)
    if entity is not None:
        return entity.label_ in language.ACTOR_LABELS
    if token.pos_ == "PRON":
        return token.lower_ in _PERSONAL_PRONOUNS and not _expletive(token)
    if token.pos_ == "PROPN" or language.unlisted_name(token):
        return True        # a name the recogniser left unlabelled
    return token.lower_ in ACTOR_NOUNS or token.lemma_.lower() in ACTOR_NOUNS


_MANY = frozenset({"thousands", "hundreds", "dozens", "millions", "scores", "tens"})


def _expletive(pronoun: Token) -> bool:
    """'it' that stands for nothing: "it emerged that", "it is easy to"."""
    return pronoun.lower_ == "it" and any(
        c.dep_ in ("ccomp", "xcomp", "acomp") for c in pronoun.head.children)


def _told_as_done_or_scheduled(verb: Token) -> bool:
    if any(c.dep_ == "mark" and c.lower_ in ("until", "unless", "if", "whether")
           for c in verb.children):
        return False       # "until the company returned to the table": not yet
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"would", "could", "might", "may", "should", "must", "can"}:
        return False
    if verb.dep_ == "relcl" and not language.has_time(verb) and not (
            aux & {"has", "have", "had"}) and not _non_restrictive(verb):
        return False       # "whom Obama recruited": background, not news
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children):
        return True        # "the measures passed by the committee"
    if verb.tag_ == "VBD":
        return verb.dep_ != "amod"
    if verb.tag_ == "VBN":
        return bool(aux & {"has", "have", "had", "was", "were", "been", "is", "are",
                           "be", "being"}) and verb.dep_ not in ("amod", "acl") or (
            "having" in aux and verb.dep_ == "advcl")   # "having spun off ... in 2002"
    if verb.tag_ == "VB" and "to" in aux and verb.dep_ == "xcomp" and \
            verb.head.lemma_.lower() == "manage" and verb.head.tag_ in ("VBD", "VBN"):
        return True        # "managed to cut its debt": it was cut
    if verb.tag_ == "VB" and not aux and verb.dep_ == "conj" and verb.head.tag_ == "VBD":
        return True        # "issued a warning and cut its forecasts": "cut" read as a base form
    if verb.tag_ == "VB":
        if "will" in aux or "shall" in aux:
            # scheduled; an undated "will" is a plan or pledge, but a deal to
            # buy or merge is announced ("will now be merged with United")
            return language.has_time(verb) or verb.lemma_.lower() in DEAL_VERBS
        return "to" in aux and verb.dep_ == "xcomp" and \
            verb.head.lemma_.lower() in {"be"} | _SCHEDULING and (
                verb.head.lemma_.lower() != "be" or _has_object(verb))
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.head.tag_ == "VBD" and \
            _has_object(verb) and not any(c.dep_ in ("mark", "nsubj") for c in verb.children):
        return True        # "GE bought Vivendi, merging it with NBC": a second act then
    if verb.tag_ in ("VBZ", "VBP", "VBG"):
        return bool(aux & {"is", "are", "am"}) and verb.tag_ == "VBG" and \
            verb.dep_ in ("ROOT", "ccomp", "conj")   # "is investigating"
    return False


def _non_restrictive(verb: Token) -> bool:
    """A relative clause set off by a comma tells a fact of its own: "MCI,
    which changed its name from Worldcom"."""
    first = verb.left_edge
    return first.i > 0 and first.doc[first.i - 1].text == "," and \
        first.lower_ in ("which", "who")


def _has_object(verb: Token) -> bool:
    """An object acted on, not the size of a movement ("M-1A rose a
    year-on-year 15.12 pct", "gained 5 points")."""
    return any(c.dep_ == "dobj" and c.ent_type_ not in _AMOUNTS and
               c.lemma_.lower() not in _AMOUNT_WORDS for c in verb.children)


_AMOUNTS = frozenset({"PERCENT", "MONEY", "CARDINAL", "QUANTITY"})
_AMOUNT_WORDS = frozenset({"pct", "percent", "point", "points", "cent", "cents", "basis"})
