"""Helpers the claim, event and agreement finders share.

Plain functions over spaCy tokens and spans: phrase extraction, entity
labels, quotation spans, money amounts and dates resolved against an
article's publication date. No Beam here.
"""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Doc, Span, Token

from tidings.nlp.model import WORD_LIST

# The entity labels that can name who speaks, acts or agrees: a person,
# organisation, country or city, or a group ("Democrats", "Iranians").
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})

# Nouns that name an accord, and the agreement type each gives.
AGREEMENT_NOUNS = {
    "deal": "deal", "agreement": "other", "agreements": "other",
    "merger": "deal", "acquisition": "deal", "takeover": "deal", "buyout": "deal",
    "accord": "accord", "accords": "accord",
    "treaty": "treaty", "pact": "pact", "memorandum": "memorandum",
    "memorandums": "memorandum", "memoranda": "memorandum", "mou": "memorandum",
    "ceasefire": "ceasefire", "cease-fire": "ceasefire", "truce": "ceasefire",
    "armistice": "ceasefire", "contract": "contract", "zone": "zone",
    "convention": "treaty", "protocol": "other", "compact": "pact", "venture": "deal",
    # accords known by their acronyms ("Nafta's unraveling")
    **dict.fromkeys(("nafta", "tpp", "ttip", "jcpoa", "cafta", "usmca"), "other"),
}

# Those who bargain with an employer: a union or workforce.
WORKFORCE = frozenset({"union", "unions", "workers", "employees", "staff", "pilots",
                       "miners", "machinists", "mechanics", "attendants", "dockers",
                       "drivers", "nurses", "teachers", "workforce"})

MODALS = frozenset({"could", "would", "might", "may", "can", "should", "must"})

# Words that make a noun phrase an outlet rather than a speaker of its own.
MEDIA_WORDS = frozenset({
    "tv", "television", "radio", "agency", "agencies", "media", "newspaper",
    "paper", "daily", "broadcaster", "channel", "outlet", "outlets", "press",
    "website", "network", "wire", "news", "times", "post", "journal",
})
KNOWN_MEDIA = frozenset({
    "irna", "isna", "tasnim", "fars", "mehr", "reuters", "ap", "afp", "tass",
    "interfax", "ria", "xinhua", "bbc", "cnn", "fox", "msnbc", "nbc", "cbs",
    "abc", "npr", "politico", "breitbart", "axios", "bloomberg",
    "al jazeera", "the associated press", "associated press", "ria novosti",
    "the new york times", "the washington post", "usa today", "kcna",
    "yonhap", "kyodo", "dpa", "sana", "anadolu",
})
# Nouns for unnamed sources: "an official", "sources", "a diplomat".
ANONYMOUS_NOUNS = frozenset({
    "official", "officials", "source", "sources", "diplomat", "diplomats",
    "aide", "aides", "insider", "insiders", "person", "people", "spokesman",
    "spokeswoman", "spokesperson", "analyst", "analysts", "observer",
    "observers", "witness", "witnesses", "resident", "residents",
    "expert", "experts", "lawmaker", "lawmakers", "adviser", "advisers",
    "advisor", "advisors",
})
# Nouns for bodies that speak as one: "the trade ministry said".
ORG_NOUNS = frozenset({
    "ministry", "government", "department", "office", "agency", "company",
    "party", "union", "council", "committee", "court", "parliament",
    "army", "military", "police", "campaign", "administration", "firm",
    "bank", "commission", "cabinet", "embassy", "group", "organization",
    "organisation", "regulator", "board", "senate", "house", "team",
})
# Role nouns that stand for one person: "Iran's supreme leader".
PERSON_ROLE_NOUNS = frozenset({
    "leader", "president", "minister", "king", "queen", "prince", "premier",
    "chancellor", "governor", "mayor", "senator", "secretary", "chief",
    "ambassador", "pope", "ayatollah", "general", "commander", "director",
    "chairman", "ceo", "candidate", "nominee", "speaker",
})

# How places and demonyms that stand for a state are written as the state.
PARTY_ALIASES = {
    "u.s.": "United States", "us": "United States", "u.s": "United States",
    "america": "United States", "washington": "United States",
    "the united states": "United States", "united states": "United States",
    "american": "United States", "americans": "United States",
    "u.k.": "United Kingdom", "uk": "United Kingdom", "britain": "United Kingdom",
    "london": "United Kingdom", "british": "United Kingdom",
    "tehran": "Iran", "iranian": "Iran", "moscow": "Russia", "russian": "Russia",
    "kremlin": "Russia", "beijing": "China", "chinese": "China",
    "paris": "France", "french": "France", "berlin": "Germany",
    "german": "Germany", "damascus": "Syria", "syrian": "Syria",
    "ankara": "Turkey", "turkish": "Turkey", "kiev": "Ukraine", "kyiv": "Ukraine",
    "ukrainian": "Ukraine", "tokyo": "Japan", "japanese": "Japan",
    "pyongyang": "North Korea", "seoul": "South Korea", "riyadh": "Saudi Arabia",
    "saudi": "Saudi Arabia", "israeli": "Israel", "jerusalem": "Israel",
    "baghdad": "Iraq", "iraqi": "Iraq", "kabul": "Afghanistan",
    "chilean": "Chile", "norwegian": "Norway", "oslo": "Norway",
    "santiago": "Chile", "yerevan": "Armenia", "armenian": "Armenia",
    "baku": "Azerbaijan", "azerbaijani": "Azerbaijan", "peruvian": "Peru",
    "egyptian": "Egypt", "cairo": "Egypt", "indian": "India",
    "new delhi": "India", "mexican": "Mexico", "brazilian": "Brazil",
    "canadian": "Canada", "ottawa": "Canada", "australian": "Australia",
    "canberra": "Australia", "italian": "Italy", "rome": "Italy",
    "spanish": "Spain", "madrid": "Spain", "polish": "Poland",
    "warsaw": "Poland", "soviet": "Soviet Union", "greek": "Greece", "dutch": "Netherlands",
    "swiss": "Switzerland", "swedish": "Sweden", "belgian": "Belgium", "irish": "Ireland",
    "argentine": "Argentina", "venezuelan": "Venezuela", "nigerian": "Nigeria", "cuban": "Cuba",
    "pakistani": "Pakistan", "taiwanese": "Taiwan", "philippine": "Philippines",
    "brussels": "European Union", "eu": "European Union",
    "the european union": "European Union",
}

# Capitals among the aliases: a place an accord is named after ("the Paris
# accord") rather than a party to it.
CAPITALS = frozenset({
    "washington", "london", "tehran", "moscow", "beijing", "paris", "berlin", "damascus",
    "ankara", "kiev", "kyiv", "tokyo", "pyongyang", "seoul", "riyadh", "jerusalem",
    "baghdad", "kabul", "oslo", "santiago", "yerevan", "baku", "cairo", "new delhi",
    "ottawa", "canberra", "rome", "madrid", "warsaw", "brussels"})

# A possessive ending: "Blunkett's", "Allied-Lyons'".
POSSESSIVE_END = re.compile(r"\s*['’]s?$")

OPEN_QUOTES = "\"“„«‘'"
CLOSE_QUOTES = "\"”»’'"
# Double quotation marks, including the typewriter pairs `` and '' that
# some newspapers' text uses.
_QUOTE_RE = re.compile(r"``|''|[\"“”„«»]")
QUOTE_MARKS = _QUOTE_RE


_OPENING = "“„«"
_CLOSING = "”»"


def _mark_opens(text: str, i: int) -> bool:
    """Whether the quotation mark at i opens a quotation (else it closes one).

    Curly and angle marks say so themselves; a straight mark opens when it
    follows a space, an opening bracket or dash, or starts the text.
    """
    mark = text[i]
    if mark in _OPENING or text.startswith("``", i):
        return True
    if mark in _CLOSING:
        return False
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-"


def quote_scan(text: str) -> tuple[list[tuple[int, int]], bool, bool]:
    """Quotations in a text, by the direction of each mark.

    Returns (spans inside the marks, whether the text starts inside a
    quotation opened before it, whether it ends inside one left open).
    A closing mark with no opening one before it closes a quotation that
    began before the text; an opening mark never closed runs to the end.
    Never raises.
    """
    spans: list[tuple[int, int]] = []
    starts_inside = False
    start: Optional[int] = None
    for match in _QUOTE_RE.finditer(text):
        i = match.start()
        if _mark_opens(text, i):
            if start is None:
                start = match.end()
            else:                      # two openers: the first was a closer
                spans.append((start, i))
                start = None
        elif start is not None:
            if i > start:
                spans.append((start, i))
            start = None
        elif not spans:
            starts_inside = True
            if i > 0:
                spans.append((0, i))
    ends_inside = start is not None
    if ends_inside and len(text) > start:
        spans.append((start, len(text)))
    return spans, starts_inside, ends_inside


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the quotations in a text.

    Straight, curly and angle marks are read by direction (see
    ``quote_scan``): an unbalanced opening mark runs to the end of the
    text, an unbalanced closing mark back to its start. Never raises.
    """
    return quote_scan(text)[0]


def quoted_fraction(text: str) -> float:
    """Share of a text's non-space characters that lie inside quotation marks."""
    total = len(text.strip())
    if not total:
        return 0.0
    inside = sum(end - start for start, end in quoted_spans(text))
    return inside / total


def in_quotes(token: Token, spans: list[tuple[int, int]], offset: int) -> bool:
    """True when a token lies inside one of a sentence's quotation spans."""
    position = token.idx - offset
    return any(start <= position < end for start, end in spans)


def decertified(token: Token) -> bool:
    """True for 'certify' written as 'de-certify', which spaCy splits in three."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and \
        doc[token.i - 2].lower_ == "de"


def entity_at(token: Token) -> Optional[Span]:
    """The named entity a token belongs to, if any."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":     # read the IOB tags
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type)


def unlisted_name(token: Token) -> bool:
    """A capitalised noun that is no English word: a name the tagger took
    for a common noun and the recogniser missed ("Rosneft has agreed to
    merge"). Known only where the vocabulary carries the pipeline's word
    list (``WORD_LIST``, which ``tidings.nlp.model.load_pipeline`` adds)."""
    if token.pos_ != "NOUN" or not token.is_title or not token.is_alpha or len(token) < 3:
        return False
    lookups = token.vocab.lookups
    if WORD_LIST not in lookups:
        return False
    words = lookups.get_table(WORD_LIST)
    return token.lower_ not in words and token.lemma_.lower() not in words


def strip_determiner(span: Span) -> Span:
    """A span less a leading article: 'the National Iranian Oil Company'."""
    if len(span) > 1 and span[0].lower_ in ("the", "a", "an"):
        return span[1:]
    return span


def noun_phrase(head: Token) -> Span:
    """The noun phrase a token heads, less relative clauses and appositions.

    Keeps determiners, adjectives, compounds, possessives and numbers to the
    left, and of/to/for/from phrases to the right ('the leaders of
    Venezuela', 'an aide to the president').
    """
    doc = head.doc
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod",
                          "quantmod", "advmod", "predet", "case"):
            left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ == "case":
            right = max(right, child.i)
        if child.dep_ == "prep" and child.lower_ in ("of", "to", "for", "from") and \
                not any(c.dep_ == "pcomp" for c in child.children):
            right = max(right, child.right_edge.i)   # (not "the opposition of plotting a coup")
    span = doc[left:right + 1]
    while len(span) > 1 and (span[-1].is_punct or span[-1].is_space):
        span = span[:-1]    # (and a headline's line break)
    while len(span) > 1 and span[0].is_punct:
        span = span[1:]
    return span


def by_name(token: Token) -> Token:
    """A description given its name in apposition stands for the name:
    "its president, J.R. Moman," -> "Moman", "United's budget airline,
    Kingfisher Airlines," -> "Airlines"; any other token is itself."""
    if token.ent_type_:
        return token
    named = next((c for c in token.children if c.dep_ == "appos"
                  and c.ent_type_ in ("ORG", "PERSON")), None)
    return named if named is not None else token


def conjoined(head: Token) -> list[Token]:
    """A token and the tokens conjoined to it: 'Russia and Iran', and a list
    the parser took for an apposition ('the US, Japan, France and Canada')."""
    tokens = [head]
    for child in head.children:
        if child.dep_ == "conj" or (child.dep_ == "appos" and head.ent_type_ == child.ent_type_
                                    != "" and any(c.dep_ == "conj" for c in child.children)):
            tokens.extend(conjoined(child))
    return tokens


def is_media(text: str) -> bool:
    """True for a phrase that names a news outlet: 'state TV', 'IRNA'."""
    lowered = text.lower()
    if lowered in KNOWN_MEDIA or lowered.removeprefix("the ") in KNOWN_MEDIA:
        return True
    words = re.findall(r"[a-z.]+", lowered)
    return bool(words) and (words[-1] in MEDIA_WORDS
                            or any(w in KNOWN_MEDIA for w in words))


def doc_person_names(doc: Doc) -> frozenset[str]:
    """Every word of the PERSON entities of a document, for consistency."""
    names = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            names.update(token.text for token in ent if token.is_alpha)
    return frozenset(names)


def canonical_party(text: str) -> str:
    """A party as the state or body it stands for, where that is known."""
    stripped = text.strip()
    alias = PARTY_ALIASES.get(stripped.lower())
    if alias:
        return alias
    if stripped.lower().startswith("the ") and stripped[4:5].isupper():
        return PARTY_ALIASES.get(stripped[4:].lower(), stripped[4:])
    return stripped


def reporting_company(pronoun: Token) -> Optional[Token]:
    """What "it" stands for in the clause a name reports, where the
    recogniser gave the name no organisation label: "Pegasus said it
    began mining", "Patriot signaled that it was going to make a deal"
    (an "it" is never a person, so a name labelled one is a company)."""
    verb = pronoun.head
    if pronoun.lower_ != "it" or pronoun.dep_ != "nsubj" or verb.dep_ != "ccomp":
        return None
    subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ != "PROPN":
        return None
    entity = entity_at(subject)
    return subject if entity is None or entity.label_ == "PERSON" else None


# Verbs that raise their clause's subject: "G8 ministers are believed to
# have agreed", "Everasia is reported to have won", "is due to visit".
RAISING = frozenset({"believe", "report", "say", "expect", "think", "understand",
                     "seem", "appear", "due", "likely", "set", "scheduled", "slated"})


def raised_subject(head: Token) -> Optional[Token]:
    """The subject ``head`` gives a verb that completes it: its active
    subject, or its passive one where ``head`` raises it ("are believed to
    have agreed", "is due to visit")."""
    return next((c for c in head.children if c.dep_ == "nsubj"), None) or next(
        (c for c in head.children if c.dep_ == "nsubjpass" and (
            head.lower_ in RAISING or head.lemma_.lower() in RAISING)), None)


def accord_type(token: Token) -> Optional[str]:
    """The agreement type a word names when it is an accord noun ("deal",
    "treaties", "MoU"), by its form or its lemma; else None."""
    return AGREEMENT_NOUNS.get(token.lower_) or AGREEMENT_NOUNS.get(token.lemma_.lower())


def has_time(token: Token) -> bool:
    """Whether the phrase under ``token`` holds a date or a time."""
    return any(t.ent_type_ in ("DATE", "TIME") for t in token.subtree)


CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis"})


def has_own_time(verb: Token) -> bool:
    """Whether a date or time is the verb's own, not one of a clause below
    it: "pledged in December", not "pledged that in 2000 it would lift"."""
    return any(t.ent_type_ in ("DATE", "TIME") for c in verb.children
               if c.dep_ not in CLAUSES for t in c.subtree)


def prep_objects(verb: Token, prepositions: tuple[str, ...]) -> list[Token]:
    """The objects of a verb's prepositions, and the object a stranded one
    shares with the verb joined to it ("agreed to merge with and become a
    subsidiary of Harvard Industries": Harvard Industries)."""
    objects = []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in prepositions):
        found = [p for p in prep.children if p.dep_ == "pobj"]
        if not found and prep.i + 1 < len(verb.doc) and prep.nbor(1).dep_ == "cc":
            found = [p for conj in verb.children if conj.dep_ == "conj" and conj.i > prep.i
                     for p in conj.subtree if p.dep_ == "pobj"][-1:]
        objects.extend(found)
    return objects
