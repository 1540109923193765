"""One entity for each person, organisation, country or group that a record
of an article names: its fullest name, every form the article uses, and a
key that is the same across articles for the same name.

``entity_key("Mr. Donald J. Trump's")`` is ``donald trump``: case, accents,
punctuation, a leading "the", possessives, titles ("Mr.", "President") and
middle initials are folded, and known transliteration variants of one name
are spelled one way ("Rohani" and "Rouhani"). Countries are folded to the
state they stand for ("US", "the United States" and "America").

Within an article, ``link_entities`` groups the names its records use: the
same key is one entity, and a person named by one word ("Rouhani") joins
the one person of the article whose name ends in that word ("Hassan
Rouhani"). When two people share the word ("John Smith", "Jane Smith"), the
bare "Smith" stays apart, since the rules cannot tell which is meant. A
father and son both written "George Bush" after folding ("George W. Bush",
"George H. W. Bush") are one entity: initials are what tell them apart, and
they are folded so that "Donald J. Trump" and "Donald Trump" meet.
"""
from __future__ import annotations

import collections
import dataclasses
import hashlib
import re
import unicodedata
from typing import Iterable, Optional

from spacy.tokens import Doc

from tidings.rules.language import ACTOR_LABELS, POSSESSIVE_END, canonical_party, noun_phrase
from tidings.schemas import Entity


# Words before a person's name that are a title, not the name.
TITLES = frozenset("""
mr mrs ms miss mister dr sir dame lord lady madam president vice prime minister premier
chancellor secretary sen senator rep representative congressman congresswoman gov governor
mayor king queen prince princess sheikh ayatollah pope rev reverend father gen general
col colonel capt captain lt adm admiral sgt judge justice chairman chairwoman chief
executive ceo former foreign finance defence defense trade state deputy ambassador envoy
""".split())
# One name, many spellings: each variant folded to one form. Only names whose
# variants are unambiguous are listed.
VARIANTS = {
    "rohani": "rouhani", "qaddafi": "gaddafi", "kadhafi": "gaddafi", "gadhafi": "gaddafi",
    "qadhafi": "gaddafi", "khadafy": "gaddafi", "qaida": "qaeda",
    "mohammad": "muhammad", "mohammed": "muhammad", "muhammed": "muhammad",
    "netanyahou": "netanyahu", "zelenskiy": "zelensky", "zelenskyy": "zelensky",
}
PRONOUNS = frozenset("i me we us you he him she her it they them this that who".split())
_SMALL_WORDS = frozenset("of and the for de du la von van al der of".split())
_PUNCTUATION = re.compile(r"[^\w\s-]")


def entity_key(name: str, label: Optional[str] = None) -> str:
    """The name folded to a key shared by every spelling of it."""
    text = canonical_party(POSSESSIVE_END.sub("", name.strip()))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _PUNCTUATION.sub("", text.replace(".", "")).replace("-", " ")
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    if label in (None, "PERSON"):
        while len(words) > 1 and words[0] in TITLES:
            words = words[1:]
        if len(words) > 2:
            words = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
    return " ".join(VARIANTS.get(word, word) for word in words)


@dataclasses.dataclass
class _Group:
    key: str
    forms: list[str]
    labels: collections.Counter


def looks_like_name(text: Optional[str], proper: Optional[frozenset] = None) -> bool:
    """A proper name, not a pronoun or a description ("the company"): every
    word capitalised and, where the parse is given (``proper``: the words it
    tags PROPN), a proper noun, so that a sentence's first word is not
    taken for a name ("Police arrested ...")."""
    if not text or text.lower() in PRONOUNS:
        return False
    words = [w for w in re.findall(r"[\w'’.-]+", POSSESSIVE_END.sub("", text))
             if w.lower() not in _SMALL_WORDS]
    if not words or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    return proper is None or all(w in proper or w[0].isdigit() for w in words)


def _entity_labels(doc: Optional[Doc]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for ent in (doc.ents if doc is not None else ()):
        if ent.label_ in ACTOR_LABELS:
            labels.setdefault(entity_key(ent.text, ent.label_), ent.label_)
    return labels


def group_names(mentions: Iterable[tuple[str, Optional[str]]],
                known_labels: Optional[dict[str, str]] = None) -> dict[str, _Group]:
    """Names (with a label where known) -> groups by key, a one-word person
    folded into the one longer person name ending in it."""
    known_labels = known_labels or {}
    groups: dict[str, _Group] = {}
    for text, label in mentions:
        key = entity_key(text, label)
        if not key:
            continue
        label = label or known_labels.get(key)
        group = groups.setdefault(key, _Group(key, [], collections.Counter()))
        form = POSSESSIVE_END.sub("", text.strip())
        if form not in group.forms:
            group.forms.append(form)
        if label:
            group.labels[label] += 1
    people = [g for g in groups.values()
              if len(g.key.split()) > 1 and _label(g) == "PERSON"]
    for key in [k for k in groups if len(k.split()) == 1]:
        group = groups[key]
        if _label(group) not in (None, "PERSON"):
            continue
        owners = [g for g in people if g.key.split()[-1] == key]
        if len(owners) == 1:
            owner = owners[0]
            owner.forms.extend(f for f in group.forms if f not in owner.forms)
            owner.labels.update(group.labels)
            groups[key] = owner
    return groups


def _label(group: _Group) -> Optional[str]:
    return group.labels.most_common(1)[0][0] if group.labels else None


def entity_id(article_id: str, key: str) -> str:
    return hashlib.sha256(f"entity|{article_id}|{key}".encode("utf-8")).hexdigest()[:24]


def _fullness(form: str) -> tuple[int, bool, int]:
    """How full a name a form is: the words of its key, then whether it is
    the name itself or an abbreviation of it ("Iran", "EU") rather than a
    place standing for it ("Tehran", "Brussels"), then its length."""
    named = canonical_party(form) == form.strip() or form.strip().isupper()
    return len(entity_key(form).split()), named, len(form)


def link_entities(records: list, article, doc: Optional[Doc] = None) -> tuple[list, list]:
    """The article's records with their entity ids, and its Entity rows."""
    recognised = _entity_labels(doc)
    proper = frozenset(t.text for t in doc if t.pos_ == "PROPN") if doc is not None else None
    mentions = [(text, label) for record in records for text, label in _names(record)
                if _is_entity(text, label, recognised, proper)]
    groups = group_names(mentions, recognised)
    described = _descriptions(doc, groups) if doc is not None else {}
    ids: dict[int, str] = {}
    entities = []
    for group in {id(g): g for g in groups.values()}.values():
        # the forms the article writes: not a party's state name ("European
        # Union") where the article says only "EU"
        written = [f for f in group.forms if doc is None or f in doc.text] or list(group.forms)
        fullest = max(written, key=_fullness)
        key = entity_key(fullest, _label(group))
        ids[id(group)] = entity_id(article.article_id, key)
        entities.append(Entity(
            entity_id=ids[id(group)], article_id=article.article_id, name=fullest,
            label=_label(group),
            aliases=tuple(sorted({*written, *described.get(id(group), ())})), entity_key=key,
            published_date=article.published_date))

    def of(text: Optional[str], label: Optional[str] = None) -> Optional[str]:
        group = groups.get(entity_key(text, label)) if text else None
        return ids.get(id(group)) if group is not None else None

    linked = []
    for record in records:
        kind = type(record).__name__
        if kind == "Claim":
            record = dataclasses.replace(
                record, speaker_entity_id=of(record.speaker, record.speaker_label))
        elif kind == "Event":
            record = dataclasses.replace(record, actor_entity_id=of(record.actor),
                                         target_entity_id=of(record.target))
        elif kind == "Agreement":
            found = [of(party) for party in record.parties]
            record = dataclasses.replace(
                record, party_entity_ids=tuple(dict.fromkeys(i for i in found if i)))
        linked.append(record)
    return linked, sorted(entities, key=lambda e: e.entity_id)


def _descriptions(doc: Doc, groups: dict[str, _Group]) -> dict[int, set[str]]:
    """What the article calls each entity in apposition, by group: "Hassan
    Rouhani, the Iranian president," and "the Iranian president, Hassan
    Rouhani," make "the Iranian president" an alias. Only a definite
    description (a common noun's phrase opening with "the" or a
    possessive, at most six words), never another name nor "a historian"."""
    found: dict[int, set[str]] = collections.defaultdict(set)
    for ent in doc.ents:
        group = groups.get(entity_key(ent.text, ent.label_))
        if group is None or ent.label_ not in ("PERSON", "ORG"):
            continue
        root = ent.root
        others = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            others.append(root.head)
        for other in others:
            if other.pos_ != "NOUN" or other.ent_type_:
                continue
            phrase = noun_phrase(other)
            words = phrase.text.split()
            first = phrase[0]
            definite = first.dep_ == "poss" or (first.dep_ == "det" and first.lower_ in (
                "the", "this", "that"))
            if 1 < len(words) <= 6 and definite and \
                    not any(t.ent_iob_ != "O" and t.i in range(ent.start, ent.end)
                            for t in phrase):
                found[id(group)].add(phrase.text)
    return found


def _is_entity(text: str, label: Optional[str], recognised: dict[str, str],
               proper: Optional[frozenset]) -> bool:
    """A name the entity recogniser found, or one written as a name, of a
    label that can be an entity (not ANONYMOUS, not a pronoun)."""
    if label is not None and label not in ACTOR_LABELS and label != "MEDIA":
        return False
    return entity_key(text, label) in recognised or looks_like_name(text, proper)


def _names(record) -> list[tuple[str, Optional[str]]]:
    kind = type(record).__name__
    if kind == "Claim":
        pairs = [(record.speaker, record.speaker_label)]
    elif kind == "Event":
        pairs = [(record.actor, None), (record.target, None)]
    elif kind == "Agreement":
        pairs = [(party, None) for party in record.parties]
    else:
        return []
    return [(text, label) for text, label in pairs if text]
