"""Who said it: the speaker of a reporting verb or noun (subject, agent,
inverted subject, the outlet of "told X"), the claim's content and whether
it is quoted directly."""
from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

from spacy.tokens import Span, Token

from tidings.rules import coreference, language


# Verbs that only report when their object or complement is speech.
NEEDS_COMPLEMENT = frozenset({"call", "describe", "question", "welcome",
                               "charge", "maintain", "observe", "note", "add",
                               "respond", "reply", "promise", "vow", "pledge",
                               "cite", "mention", "brand", "dub", "label"})


# Verbs that report only with a clause or a quotation: "he continued" after a
# quote, not "prices continued to rise"; "pointed out that", not "pointed".
NEEDS_CLAUSE = frozenset({"continue", "point", "joke", "quip", "retort", "post"})


SPEAKER_LABELS = language.ACTOR_LABELS


PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


FIRST_PERSON = frozenset({"i", "we", "our", "us", "my", "me", "ours"})


@dataclasses.dataclass
class Speaker:
    text: str
    label: str
    outlet: Optional[str] = None


def quoting_verb(say: Token) -> Optional[Token]:
    """The 'quoted' of "X was quoted as saying" / "Y quoted X as saying"."""
    head = say.head
    if head.lower_ == "as" and head.head.lemma_.lower() == "quote":
        return head.head
    if say.dep_ in ("advcl", "xcomp") and head.lemma_.lower() == "quote":
        return head
    return None


def by_media(verb: Token) -> Optional[Token]:
    """The outlet of a "by Iranian media" phrase hanging on a verb."""
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.lower_ == "by":
            pobj = child_of(child, "pobj")
            if pobj is not None and language.is_media(phrase_text(pobj)):
                return pobj
    return None


def outlet_name(token: Token) -> str:
    """An outlet as named: the proper name inside "Iran's news agency IRNA"."""
    phrase = language.noun_phrase(token)
    if phrase.ents and phrase.ents[-1].end == phrase.end and \
            phrase.ents[-1].label_ in language.ACTOR_LABELS - {"NORP"}:
        return phrase.ents[-1].text
    return phrase.text


def child_of(token: Token, dep: str) -> Optional[Token]:
    return next((c for c in token.children if c.dep_ == dep), None)


def agent_of(token: Token) -> Optional[Token]:
    for child in token.children:
        if child.dep_ == "agent":
            return child_of(child, "pobj")
    return None


def inverted_subject(cue: Token) -> Optional[Token]:
    """The speaker of '"...," said the official.' when the parse misses it."""
    doc = cue.doc
    if cue.i + 1 >= len(doc) or cue.i == 0:
        return None
    previous = doc[cue.i - 1]
    if not (previous.is_punct or previous.is_quote):
        return None
    for token in doc[cue.i + 1:min(cue.i + 8, len(doc))]:
        if token.is_punct:
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.head.i in (cue.i, token.i) \
                or (token.pos_ in ("PROPN", "NOUN") and token.head.head.i == cue.i):
            # the head of the phrase: last of a run of nouns
            head = token
            while head.head.i != head.i and head.head.i > head.i and \
                    head.head.pos_ in ("PROPN", "NOUN") and head.head.i < cue.i + 8:
                head = head.head
            return head
    return None


def has_clause(cue: Token, sent: Span) -> bool:
    """A reported clause: a ccomp, or a quotation before or after the cue."""
    if any(c.dep_ == "ccomp" for c in cue.children):
        return True
    return bool(language.quoted_spans(sent.text))


def has_complement(cue: Token) -> bool:
    return any(c.dep_ in ("ccomp", "dobj", "oprd", "xcomp", "prep", "dative")
               for c in cue.children) or cue.dep_ in ("ROOT",) and any(
        c.dep_ == "ccomp" for c in cue.children)


def phrase_text(token: Token) -> str:
    return language.noun_phrase(token).text


def speaker_from(token: Token, person_names) -> Speaker:
    """The speaker a subject token names, with its label."""
    if token.lower_ in PRONOUNS and token.pos_ == "PRON":
        return Speaker(token.text, "PRONOUN")
    entity = language.entity_at(token)
    named = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if named is not None and (entity is None or entity.label_ not in SPEAKER_LABELS):
        # "one of the bidders, steel giant LNM,": the name, less its description
        speaker = speaker_from(named, person_names)
        start = named.i
        while start > named.left_edge.i and named.doc[start - 1].pos_ == "PROPN":
            start -= 1
        name = named.doc[start:named.i + 1].text
        return dataclasses.replace(speaker, text=name) if speaker.text.endswith(name) else speaker
    heads = language.conjoined(token)
    if entity is not None and entity.label_ in SPEAKER_LABELS \
            and any(t.text[:1].isupper() for t in entity):
        spans = [language.entity_at(h) or language.noun_phrase(h) for h in heads]
        start = min(span.start for span in spans)
        end = max(span.end for span in spans)
        span = language.strip_determiner(token.doc[start:end])
        text = span.text
        label = entity.label_
        if label != "PERSON" and all(w in person_names for w in text.split()):
            label = "PERSON"
        if language.is_media(text):
            return Speaker(text, "MEDIA", outlet=text)
        if text.lower() in language.PARTY_ALIASES:
            label = "GPE"   # a capital speaking for its state: "Yerevan denied"
        return Speaker(text, label)
    phrase = language.noun_phrase(token)
    if len(heads) > 1:
        phrase = token.doc[phrase.start:language.noun_phrase(heads[-1]).end]
    # Prefer a person named inside the phrase: "Kremlin spokesman Dmitry Peskov".
    for ent in phrase.ents:
        if ent.label_ == "PERSON" and ent.end == phrase.end:
            return Speaker(ent.text, "PERSON")
    text = phrase.text
    head = token.lower_
    if language.is_media(text):
        return Speaker(text, "MEDIA", outlet=outlet_name(token))
    if head in language.ORG_NOUNS:
        return Speaker(text, "ORG")
    if head in language.ANONYMOUS_NOUNS:
        return Speaker(text, "ANONYMOUS")
    if head in language.PERSON_ROLE_NOUNS:
        return Speaker(text, "PERSON")
    if token.text in person_names:
        return Speaker(text, "PERSON")
    if token.pos_ == "PROPN":
        # A name the NER missed or mislabelled (WORK_OF_ART, PRODUCT...):
        # a named speaker is a person far more often than anything else.
        label = token.ent_type_ if token.ent_type_ in SPEAKER_LABELS else "PERSON"
        return Speaker(text, label)
    return Speaker(text, "ANONYMOUS")


def content_of(cue: Token, subject: Token, sent: Span) -> Optional[str]:
    """The claimed proposition: the cue's complement, or the rest around it."""
    if is_direct(sent):
        spans = language.quoted_spans(sent.text)
        start, end = max(spans, key=lambda span: span[1] - span[0])
        return sent.text[start:end].strip(" ,") or None
    for dep in ("ccomp", "xcomp"):
        comp = child_of(cue, dep)
        if comp is not None:
            return sent.doc[comp.left_edge.i:comp.right_edge.i + 1].text.strip(" ,\"“”")
    parts = [c for c in cue.rights if c.dep_ in ("dobj", "oprd", "prep", "advcl",
                                                   "dative", "pcomp")]
    if parts:
        start = min(p.left_edge.i for p in parts)
        end = max(p.right_edge.i for p in parts)
        return sent.doc[start:end + 1].text.strip(" ,\"“”")
    # "..., Putin said." with no parsed complement: what comes before.
    before = sent.doc[sent.start:min(subject.left_edge.i, cue.i)].text.strip(" ,\"“”")
    return before or None


def is_direct(sent: Span) -> bool:
    """A direct quotation: the sentence opens with a quotation (or inside
    one carried over), or quotation marks hold most of it."""
    text = sent.text.strip()
    spans, starts_inside, _ = language.quote_scan(text)
    if spans:
        start, end = spans[0]
        opens = starts_inside or not text[:start].strip("\"“„«`' ")
        if opens and len(text[start:end].split()) >= 3:
            return True
    return language.quoted_fraction(text) >= 0.5


def person_before(sentences: Sequence[Span], index: int, pronoun: Token,
                  back: int = 2) -> Optional[str]:
    """The person a "he" or "she" speaker most likely is, when no earlier
    claim names one: the nearest person before the pronoun in its sentence
    or the ``back`` sentences before it, recognised as PERSON or written
    with a title that fits the pronoun ("Mr. Obama" for he)."""
    wanted = pronoun.lower_
    for offset in range(0, back + 1):
        if index - offset < 0:
            break
        sent = sentences[index - offset]
        tokens = [t for t in sent if offset or t.i < pronoun.i]
        for token in reversed(tokens):
            if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
                before = token.doc[token.i - 1].lower_ if token.i else ""
                if coreference.TITLE_PRONOUNS.get(before, wanted) == wanted:   # not "Mrs. X" for he
                    return sent.doc[token.i:token.i + _entity_length(token)].text
                continue
            title = coreference.TITLE_PRONOUNS.get(token.lower_)
            if title == wanted and token.i + 1 < len(token.doc) and \
                    token.doc[token.i + 1].pos_ == "PROPN":
                end = token.i + 1
                while end + 1 < len(token.doc) and token.doc[end + 1].pos_ == "PROPN" and \
                        token.doc[end + 1].text[:1].isupper():
                    end += 1
                return token.doc[token.i:end + 1].text
    return None


def _entity_length(token: Token) -> int:
    length = 1
    while token.i + length < len(token.doc) and token.doc[token.i + length].ent_iob_ == "I":
        length += 1
    return length
