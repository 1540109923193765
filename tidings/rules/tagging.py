"""One parsed article -> its sentences, claims, events and agreements, as
the schema's record types, with ids stable across runs.
"""
from __future__ import annotations

import hashlib

from spacy.tokens import Doc

from tidings.nlp.batching import sentence_spans
from tidings.rules.agreements import find_agreements
from tidings.rules.claims import find_claims
from tidings.rules.events import find_events
from tidings.schemas import Agreement, Article, Claim, Event, Sentence


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
    for index, sent in enumerate(sentences):
        common = dict(
            article_id=article.article_id, sentence_index=index,
            char_start=sent.start_char, char_end=sent.end_char,
            sentence=article.text[sent.start_char:sent.end_char],
            published_date=article.published_date, source=article.source)
        for claim in claims[index]:
            results.append(Claim(
                record_id=record_id("claim", article, index, claim.speaker or ""),
                confidence=claim.confidence, evidence=claim.evidence,
                speaker=claim.speaker, speaker_label=claim.speaker_label,
                speaker_inherited=claim.speaker_inherited, cue=claim.cue,
                content=claim.content, is_direct=claim.is_direct,
                channel=claim.channel, **common))
        for event in find_events(sent, article.published_date,
                                 article.dateline_location):
            results.append(Event(
                record_id=record_id("event", article, index, event.event_type),
                confidence=event.confidence, evidence=event.evidence,
                trigger=event.trigger, trigger_lemma=event.trigger_lemma,
                event_type=event.event_type, actor=event.actor,
                target=event.target, location=event.location,
                date_text=event.date_text, date=event.date,
                date_precision=event.date_precision,
                date_unresolved_reason=event.date_unresolved_reason, **common))
        for agreement in find_agreements(sent, article.published_date):
            results.append(Agreement(
                record_id=record_id("agreement", article, index,
                                    agreement.agreement_type),
                confidence=agreement.confidence, evidence=agreement.evidence,
                agreement_type=agreement.agreement_type,
                status=agreement.status, parties=agreement.parties,
                value_text=agreement.value_text,
                value_amount=agreement.value_amount,
                value_currency=agreement.value_currency,
                date_text=agreement.date_text, date=agreement.date, **common))
    return results
