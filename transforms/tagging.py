"""Turn one parsed article into sentence, claim, event and agreement records.

``tag_article(doc, article)`` is the whole language step for one article:
it splits the parsed ``Doc`` into sentences (character offsets into the
article text), runs the finders (``claims``, ``events``, ``agreements``)
and turns what they predict into the records of ``schemas``.

``TagArticles`` is the Beam side: it loads the spaCy pipeline once per
worker process, parses articles in batches with ``nlp.pipe`` and emits each
dataset on its own tagged output.
"""
from __future__ import annotations

import json
import logging
import os
import time
from typing import Optional

import apache_beam as beam
from apache_beam.utils import shared
from spacy.tokens import Doc

from tidings.nlp import fast_components, memory
from tidings.nlp import model as nlp_support
from tidings.nlp.batching import PARSE_BATCH_CHARS, parse_batches
from tidings.rules.scope import parse_texts
from tidings.rules.tagging import tag_article
from tidings.schemas import Agreement, Article, Claim, Entity, Error, Event, Sentence
from tidings.transforms import counters


logger = logging.getLogger(__name__)
# A progress report's prefix; pipelines.console reads it.
PROGRESS = "progress "


class _Model:
    """A weak-referenceable holder for a spaCy pipeline, for ``Shared``."""

    def __init__(self, nlp):
        self.nlp = nlp


class TagBatch(beam.DoFn):
    """Parses a batch of articles and emits sentences and records by dataset."""

    ARTICLES = "articles"
    SENTENCES = "sentences"
    CLAIMS = "claims"
    EVENTS = "events"
    AGREEMENTS = "agreements"
    ENTITIES = "entities"
    ERRORS = "errors"
    _TAG_BY_TYPE = {Sentence: SENTENCES, Claim: CLAIMS, Event: EVENTS,
                    Agreement: AGREEMENTS, Entity: ENTITIES}

    def __init__(self, model_name: str, max_chars: int, ner_scope: str = "records",
                 parse_chars: int = PARSE_BATCH_CHARS):
        self._model_name = model_name
        self._parse_chars = parse_chars
        self._ner_scope = ner_scope
        self._max_chars = max_chars
        self._shared = shared.Shared()
        self._articles = counters.counter(counters.ARTICLES_TAGGED)
        self._failed = counters.counter(counters.ARTICLES_FAILED)
        self._words = counters.counter(counters.WORDS_PARSED)
        self._article_words = counters.distribution(counters.WORDS_PER_ARTICLE)
        self._batch_ms = counters.distribution(counters.BATCH_PARSE_MS)
        self._ner_tokens = counters.counter(counters.NER_TOKENS)
        self._records = {tag: counters.counter(counters.found(tag))
                         for tag in (self.SENTENCES, self.CLAIMS, self.EVENTS,
                                     self.AGREEMENTS, self.ENTITIES)}

    def setup(self):
        memory.for_parsing()
        name = self._model_name
        model = self._shared.acquire(
            lambda: _Model(nlp_support.load_pipeline(name)), tag=name)
        self._nlp = model.nlp
        self._nlp.max_length = max(self._nlp.max_length, self._max_chars + 1)
        self._ner = self._nlp.get_pipe("ner") if self._ner_scope == "records" else None
        self._progress = Progress()

    def process(self, batch: list[Article]):
        ready = []
        for article in batch:
            if len(article.text) > self._max_chars:
                self._failed.inc()
                yield beam.pvalue.TaggedOutput(self.ERRORS, _error(
                    article, "article too long",
                    f"{len(article.text)} characters > --max-article-chars "
                    f"{self._max_chars}"))
            else:
                ready.append(article)
        if len(ready) < len(batch):
            self._progress.update(len(batch) - len(ready), 0)
        for part in parse_batches(ready, self._parse_chars):
            yield from self._parse(part)

    def _parse(self, articles: list[Article]):
        """Parse articles (at most ``parse_chars`` characters, or one
        longer article) and emit their results."""
        texts = [nlp_support.mask_dateline(article.text)[0] for article in articles]
        started, words = time.monotonic(), 0
        with self._nlp.memory_zone():
            try:
                docs = self._docs(texts)
            except Exception as exc:  # the model failed: find the article it failed on
                docs, failure = None, exc
            for article, doc in zip(articles, docs or ()):
                try:
                    results = tag_article(doc, article)
                except Exception as exc:  # one bad article must not stop the run
                    logger.exception("tagging failed for %s", article.source_path)
                    self._failed.inc()
                    yield beam.pvalue.TaggedOutput(self.ERRORS, _error(
                        article, "tagging failed", f"{type(exc).__name__}: {exc}"))
                    continue
                self._articles.inc()
                # Only an article whose tagging succeeded is stored: one that
                # failed is in errors and is tried again by the next run.
                yield beam.pvalue.TaggedOutput(self.ARTICLES, article)
                self._words.inc(len(doc))
                self._article_words.update(len(doc))
                words += len(doc)
                for result in results:
                    tag = self._TAG_BY_TYPE[type(result)]
                    if tag in self._records:
                        self._records[tag].inc()
                    yield beam.pvalue.TaggedOutput(tag, result)
        if docs is None:
            if len(articles) > 1:
                for article in articles:
                    yield from self._parse([article])
                return
            logger.error("parsing failed for %s: %r", articles[0].source_path, failure)
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(self.ERRORS, _error(
                articles[0], "parsing failed", f"{type(failure).__name__}: {failure}"))
        fast_components.trim_caches(self._nlp)
        memory.release_freed()
        self._batch_ms.update(int((time.monotonic() - started) * 1000))
        self._progress.update(len(articles), words)

    def _docs(self, texts: list[str]) -> list[Doc]:
        docs, ner_tokens = parse_texts(self._nlp, texts, self._parse_chars, self._ner)
        self._ner_tokens.inc(ner_tokens)
        return docs


class Progress:
    """Reports what this worker has done, at most every ``interval`` seconds,
    as one log record: ``PROGRESS`` and a JSON object of the worker's id and
    its articles and words so far. The launcher sums the workers' latest
    reports into the run's progress line (``pipelines.console``).
    """

    def __init__(self, interval: float = 5.0, clock=time.monotonic):
        self._id = f"{os.getpid()}-{id(self):x}"
        self._interval = interval
        self._clock = clock
        self._last = clock()
        self.articles = self.words = 0

    def update(self, articles: int, words: int) -> Optional[str]:
        """Count a batch; returns (and logs) the report when one is due."""
        self.articles += articles
        self.words += words
        now = self._clock()
        if now - self._last < self._interval:
            return None
        self._last = now
        report = PROGRESS + json.dumps({"worker": self._id, "articles": self.articles,
                                        "words": self.words})
        logger.info(report)
        return report


def _error(article: Article, reason: str, detail: str) -> Error:
    return Error(input_path=article.source_path, stage="tag", reason=reason,
                 detail=detail, article_id=article.article_id,
                 published_date=article.published_date)


class TagArticles(beam.PTransform):
    """Articles -> a dict of PCollections: the articles tagged, sentences,
    claims, events, agreements and errors.

    Args:
        model_name: an installed spaCy pipeline.
        batch_size: most articles per batch; a batch is parsed in runs of
            at most ``parse_chars`` characters.
        max_chars: longer articles are reported as errors, not parsed.
        ner_scope: "records" to recognise entities only in sentences that
            could hold a record (``add_entities``), "all" everywhere.
        parse_chars: most characters per ``nlp.pipe`` call; a longer
            article is parsed in pieces of at most this size.
    """

    def __init__(self, model_name: str, batch_size: int = 32,
                 max_chars: int = 1_000_000, ner_scope: str = "records",
                 parse_chars: int = PARSE_BATCH_CHARS):
        super().__init__()
        self._parse_chars = parse_chars
        self._ner_scope = ner_scope
        self._model_name = model_name
        self._batch_size = batch_size
        self._max_chars = max_chars

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        outputs = (
            articles
            | "Batch" >> beam.BatchElements(min_batch_size=1,
                                            max_batch_size=self._batch_size)
            | "Tag" >> beam.ParDo(TagBatch(
                self._model_name, self._max_chars, self._ner_scope,
                self._parse_chars)).with_outputs(*_OUTPUTS))
        return {tag: outputs[tag] for tag in _OUTPUTS}


_OUTPUTS = (TagBatch.ARTICLES, TagBatch.SENTENCES, TagBatch.CLAIMS,
            TagBatch.EVENTS, TagBatch.AGREEMENTS, TagBatch.ENTITIES, TagBatch.ERRORS)
