"""One parsed article -> its sentences, claims, events, agreements and
entities, as the schema's record types, with ids stable across runs.
"""
from __future__ import annotations

import hashlib

from spacy.tokens import Doc

from tidings.nlp.batching import sentence_spans
from tidings.rules.agreements import find_agreements
from tidings.rules.claims import find_claims
from tidings.rules.entities import link_entities
from tidings.rules.events import find_events
from tidings.rules.modality import HAPPENED
from tidings.rules.reports import link_reports
from tidings.schemas import Article, Sentence, place_finding


def record_id(kind: str, article: Article, sentence_index: int, key: str) -> str:
    """A stable id: the same article text gives the same ids on any machine."""
    raw = f"{kind}|{article.content_hash}|{sentence_index}|{key}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def tag_article(doc: Doc, article: Article) -> list:
    """Sentences and records of one article, from its parsed text.

    ``doc`` must be the parse of ``article.text`` (or of the same text with
    its dateline masked by spaces), so that offsets agree.
    """
    sentences = sentence_spans(doc)
    results: list = []
    for index, sent in enumerate(sentences):
        results.append(Sentence(
            article_id=article.article_id, sentence_index=index,
            char_start=sent.start_char, char_end=sent.end_char,
            text=article.text[sent.start_char:sent.end_char],
            published_date=article.published_date))
    claims = find_claims(sentences)
    earlier: list = []              # the agreements so far, for context parties
    for index, sent in enumerate(sentences):
        place = dict(
            article_id=article.article_id, sentence_index=index,
            char_start=sent.start_char, char_end=sent.end_char,
            sentence=article.text[sent.start_char:sent.end_char],
            published_date=article.published_date, source=article.source)
        for claim in claims[index]:
            results.append(place_finding(
                claim, record_id=record_id("claim", article, index, claim.speaker or ""),
                **place))
        seen: set[str] = set()
        for event in find_events(sent, article.published_date,
                                 article.dateline_location):
            key = event.event_type if event.event_type not in seen else \
                f"{event.event_type}:{event.trigger_lemma}"
            if event.modality not in HAPPENED:
                key = f"{event.event_type}:{event.trigger_lemma}:{event.modality}"
            if event.modality in HAPPENED:
                seen.add(event.event_type)
            results.append(place_finding(
                event, record_id=record_id("event", article, index, key), **place))
        found = find_agreements(sent, article.published_date, earlier)
        earlier.extend(found)
        for agreement in found:
            key = agreement.agreement_type if agreement.modality in HAPPENED else \
                f"{agreement.agreement_type}:{agreement.modality}"
            results.append(place_finding(
                agreement, record_id=record_id("agreement", article, index, key),
                **place))
    records, entities = link_entities(link_reports(results), article, doc)
    return records + entities
