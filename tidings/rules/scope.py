"""Where the entity recogniser runs (``--ner-sentences records``): the
sentences in which the rules find a record of their own, then those that
name a speaker it labelled ORG, GPE or NORP; ``add_entities`` runs it there.
"""
from __future__ import annotations

import calendar
from typing import Callable

from spacy.attrs import NORM, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

from tidings.nlp.batching import PARSE_BATCH_CHARS, parse_batches, sentence_spans, text_pieces
from tidings.rules import language
from tidings.rules.agreements import find_agreements
from tidings.rules.claims import find_claims
from tidings.rules.events import find_events
from tidings.rules.modality import HAPPENED


NER_SCOPES = ("records", "all")


def parse_texts(nlp, texts: list[str], max_chars: int = PARSE_BATCH_CHARS,
                ner=None) -> tuple[list[Doc], int]:
    """Parse texts of at most ``max_chars`` characters in all, or one longer
    text in pieces of at most that size joined into one ``Doc`` with the
    text's offsets.

    Args:
        ner: the pipeline's entity recogniser to run only where the rules
            read entities (``add_entities``), or None to run it everywhere
            as part of ``nlp``.

    Returns:
        The documents, and how many tokens the entity recogniser read when
        ``ner`` is given (0 otherwise).
    """
    disable = [] if ner is None else ["ner"]
    if len(texts) == 1 and len(texts[0]) > max_chars:
        (text,) = texts
        pieces = (text[start:end] for start, end in text_pieces(text, max_chars))
        docs = [Doc.from_docs(list(nlp.pipe(pieces, batch_size=1, disable=disable)),
                              ensure_whitespace=False)]
    else:
        docs = list(nlp.pipe(texts, batch_size=len(texts), disable=disable))
    ner_tokens = add_entities(docs, ner, max_chars) if ner is not None else 0
    return docs, ner_tokens


def add_entities(docs: list[Doc], ner, max_chars: int = PARSE_BATCH_CHARS) -> int:
    """Run the entity recogniser only on the sentences whose records read
    entities, and set the entities it finds on the documents; every other
    token is outside any entity. Three rounds:

    1. the sentences in which the rules, with no entity known, find an
       event, an agreement or a claim by its own cue. Entities change a
       record's fields, and can drop one (a transcript label recognised as
       a date), and make only a specific act by a named actor
       (``actions``); a quotation that takes its speaker from a
       neighbouring sentence reads no entity of its own.
    2. the other sentences that name, as a proper noun, a word of a speaker
       round 1 labelled ORG, GPE or NORP: the claim rules make such a
       speaker a person when the article names it as a person anywhere
       (``language.doc_person_names``).
       With them, the sentence just before a round-1 sentence in which a
       personal pronoun comes before any proper noun: whom it stands for
       is most often that sentence's subject (``coreference``).
    3. the other sentences where a record needs its date: a dated passive
       ("the other three were provided on Friday"), a pledge or
       announcement with a date of its own. The rules run again with each
       weekday, month, year and "yesterday"-like word taken for a date
       (``_dated_sentences``); where that finds a record, the recogniser
       runs.

    Each run of neighbouring sentences is recognised as one text. A run
    ends where the next sentence would take it past ``max_chars``, and
    each call of the recogniser gets at most that much text, so its memory
    does not grow with the length of a document.

    Returns:
        the tokens recognised.
    """
    sentences = {id(doc): sentence_spans(doc) for doc in docs}
    wanted = {id(doc): _chosen(_record_sentences, sentences[id(doc)]) for doc in docs}
    recognised = _recognise(docs, sentences, wanted, ner, max_chars, default="outside")
    names = {id(doc): _chosen(_name_sentences, sentences[id(doc)], wanted[id(doc)])
             | _antecedent_sentences(sentences[id(doc)], wanted[id(doc)]) for doc in docs}
    recognised += _recognise(docs, sentences, names, ner, max_chars, default="unmodified")
    dated = {id(doc): _chosen(_dated_sentences, sentences[id(doc)], wanted[id(doc)],
                              names[id(doc)]) for doc in docs}
    return recognised + _recognise(docs, sentences, dated, ner, max_chars,
                                   default="unmodified")


def _chosen(choose: Callable[..., set[int]], sentences: list[Span],
            *recognised: set[int]) -> set[int]:
    """``choose(sentences, *recognised)``, or, when a rule raises on the
    document, every sentence not yet recognised: tagging the article then
    fails the same way and dead-letters that article alone, not its batch."""
    try:
        return choose(sentences, *recognised)
    except Exception:  # reported by tag_article, which runs the same rules
        return set(range(len(sentences))).difference(*recognised)


def _record_sentences(sentences: list[Span]) -> set[int]:
    """Indices of the sentences where a rule finds a record of its own."""
    claims = find_claims(sentences)
    return {index for index, sent in enumerate(sentences)
            if any(claim.cue is not None for claim in claims[index])
            or _happened(find_events(sent, None)) or _happened(find_agreements(sent, None))}


def _happened(records: list) -> bool:
    """A record of something that took place or is scheduled: negated and
    hypothetical ones are kept as records, but read no entities of their own."""
    return any(record.modality in HAPPENED for record in records)


def _name_sentences(sentences: list[Span], recognised: set[int]) -> set[int]:
    """Indices of the sentences not yet recognised that name, as a proper
    noun, a word of a speaker labelled ORG, GPE or NORP that is not yet
    known as a person's name."""
    if len(recognised) == len(sentences):
        return set()
    known = language.doc_person_names(sentences[0].doc)
    speakers = [claim.speaker for claims in find_claims([sentences[i] for i in sorted(recognised)])
                for claim in claims
                if claim.speaker_label in ("ORG", "GPE", "NORP") and not claim.speaker_inherited]
    words = {word for speaker in speakers for word in speaker.split() if word not in known}
    if not words:
        return set()
    return {index for index, sent in enumerate(sentences) if index not in recognised
            and any(token.pos_ == "PROPN" and token.text in words for token in sent)}


_PRONOUNS = frozenset({"he", "she", "him", "his", "her", "it", "its"})


def _antecedent_sentences(sentences: list[Span], recognised: set[int]) -> set[int]:
    """Indices of the sentences not yet recognised just before a recognised
    one with a pronoun before any proper noun: the name such a "he" or "it"
    stands for is then often the subject of the sentence before
    (``coreference.antecedent``)."""
    return {index - 1 for index in recognised
            if index and index - 1 not in recognised and _leading_pronoun(sentences[index])}


def _leading_pronoun(sent: Span) -> bool:
    """A personal pronoun comes before the sentence's first proper noun."""
    for token in sent:
        if token.pos_ == "PROPN":
            return False
        if token.lower_ in _PRONOUNS:
            return True
    return False


_DATE_WORDS = frozenset({"today", "yesterday", "tomorrow", "tonight", "ago",
                         *(name.lower() for name in calendar.day_name if name),
                         *(name.lower() for name in calendar.month_name if name)})


def _date_word(token) -> bool:
    """A word that is a date whatever its context: a weekday, a month
    written as a name, "yesterday", a year from 1900 to 2099."""
    lower = token.lower_
    if lower in _DATE_WORDS:
        return token.pos_ == "PROPN" or lower in ("today", "yesterday", "tomorrow", "tonight",
                                                  "ago")
    return token.tag_ == "CD" and len(lower) == 4 and lower[:2] in ("19", "20") and lower.isdigit()


def _dated_sentences(sentences: list[Span], *recognised: set[int]) -> set[int]:
    """Indices of the sentences not yet recognised where the rules find a
    record once their date words are taken for dates."""
    done = set().union(*recognised)
    guesses = {index: [Span(sent.doc, t.i, t.i + 1, label="DATE") for t in sent if _date_word(t)]
               for index, sent in enumerate(sentences) if index not in done}
    guesses = {index: spans for index, spans in guesses.items() if spans}
    if not guesses:
        return set()
    doc = sentences[0].doc
    spans = [span for found in guesses.values() for span in found]
    doc.set_ents(spans, default="unmodified")
    try:
        return {index for index in guesses
                if _happened(find_events(sentences[index], None))
                or _happened(find_agreements(sentences[index], None))}
    finally:
        doc.set_ents([], outside=spans, default="unmodified")


def _recognise(docs: list[Doc], sentences: dict[int, list[Span]],
               wanted: dict[int, set[int]], ner, max_chars: int, default: str) -> int:
    """Recognise entities in the ``wanted`` sentences (by index into each
    document's ``sentences``) and set them on the documents, the other
    tokens ``default`` ("outside", or "unmodified" to keep what a previous
    round set). Returns the tokens recognised."""
    runs: list[tuple[Doc, int, int]] = []
    for doc in docs:
        start = end = None                      # the run being built
        for index, sent in enumerate(sentences[id(doc)]):
            is_wanted = index in wanted[id(doc)]
            if start is not None and (not is_wanted or
                                      sent.end_char - doc[start].idx > max_chars):
                runs.append((doc, start, end))
                start = None
            if is_wanted:
                start = sent.start if start is None else start
                end = sent.end
        if start is not None:
            runs.append((doc, start, end))
    entities = {id(doc): [] for doc in docs}
    for group in parse_batches(runs, max_chars, _run_chars):
        parts = [_bare(doc, start, end) for doc, start, end in group]
        for (doc, start, _), part in zip(group, ner.pipe(parts, batch_size=len(parts))):
            entities[id(doc)].extend(
                Span(doc, ent.start + start, ent.end + start, label=ent.label_)
                for ent in part.ents)
    for doc in docs:
        doc.set_ents(entities[id(doc)], default=default)
    return sum(end - start for _, start, end in runs)


def _bare(doc: Doc, start: int, end: int) -> Doc:
    """Tokens ``start:end`` of ``doc`` as a new document of their words,
    spaces, norms and sentence starts: all the entity recogniser reads (an
    entity never runs over a sentence start). ``Span.as_doc`` copies every
    annotation, token by token, at 30 µs a token."""
    columns = doc.to_array([ORTH, SPACY, NORM, SENT_START])[start:end]
    strings = doc.vocab.strings
    part = Doc(doc.vocab, words=[strings[orth] for orth in columns[:, 0].tolist()],
               spaces=columns[:, 1].astype(bool).tolist())
    columns[0, 3] = 1       # a part starts a sentence, as in as_doc
    part.from_array([NORM, SENT_START], columns[:, 2:4])
    return part


def _run_chars(run: tuple[Doc, int, int]) -> int:
    doc, start, end = run
    return doc[end - 1].idx + len(doc[end - 1]) - doc[start].idx
