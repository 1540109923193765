"""Turn one parsed article into sentence, claim, event and agreement records.

``tag_article(doc, article)`` is the whole language step for one article:
it splits the parsed ``Doc`` into sentences (character offsets into the
article text), runs the finders (``claims``, ``events``, ``agreements``)
and turns what they predict into the records of ``schemas``.

``AnnotateArticles`` is the Beam side: it loads the spaCy pipeline once per
worker process, parses articles in batches with ``nlp.pipe`` and emits each
dataset on its own tagged output.
"""
from __future__ import annotations

import hashlib
import logging
import time
from typing import Any, Callable, Optional

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils import shared
from spacy.tokens import Doc, Span

from schemas import Agreement, Article, Claim, Error, Event, Sentence
from transforms import fast_components, language, memory
from transforms import nlp as nlp_support
from transforms.agreements import find_agreements
from transforms.claims import find_claims
from transforms.events import find_events

logger = logging.getLogger(__name__)


def sentence_spans(doc: Doc) -> list[Span]:
    """The document's sentences, trimmed of surrounding whitespace; no empty ones."""
    spans = []
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space]
        if not tokens:
            continue
        span = doc[tokens[0].i:tokens[-1].i + 1]
        if span.text.strip():
            spans.append(span)
    return spans


NER_SCOPES = ("records", "all")


# The most characters parsed in one nlp.pipe call; a longer article is
# parsed alone, in pieces of at most this size. The model's working arrays
# grow with the text of a call: 32 long articles at once peaked at 934 MB
# here, 20,000 characters at a time at 201 MB, and no slower; one article
# of 300,000 characters parsed whole added 908 MB to a worker
# (benchmarks/throughput.py, README).
PARSE_BATCH_CHARS = 20_000


def parse_batches(items: list, max_chars: int,
                  chars: Callable[[Any], int] = lambda article: len(article.text)
                  ) -> list[list]:
    """Items (articles, by default) in order, cut into runs of at most
    ``max_chars`` characters as ``chars`` counts them (an item longer than
    that in a run of its own)."""
    batches, size = [], 0
    for item in items:
        length = chars(item)
        if not batches or size + length > max_chars:
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += length
    return batches


def add_entities(docs: list[Doc], ner, max_chars: int = PARSE_BATCH_CHARS) -> int:
    """Run the entity recogniser only on the sentences whose records read
    entities, and set the entities it finds on the documents; every other
    token is outside any entity. Two rounds:

    1. the sentences in which the rules, with no entity known, find an
       event, an agreement or a claim by its own cue. Entities change a
       record's fields, and can drop one (a transcript label recognised as
       a date), but never make one; a quotation that takes its speaker from
       a neighbouring sentence reads no entity of its own.
    2. the other sentences that name, as a proper noun, a word of a speaker
       round 1 labelled ORG, GPE or NORP: the claim rules make such a
       speaker a person when the article names it as a person anywhere
       (``language.doc_person_names``).

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
             for doc in docs}
    return recognised + _recognise(docs, sentences, names, ner, max_chars,
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
            or find_events(sent, None) or find_agreements(sent, None)}


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
        parts = [doc[start:end].as_doc() for doc, start, end in group]
        for (doc, start, _), part in zip(group, ner.pipe(parts, batch_size=len(parts))):
            entities[id(doc)].extend(
                Span(doc, ent.start + start, ent.end + start, label=ent.label_)
                for ent in part.ents)
    for doc in docs:
        doc.set_ents(entities[id(doc)], default=default)
    return sum(end - start for _, start, end in runs)


def _run_chars(run: tuple[Doc, int, int]) -> int:
    doc, start, end = run
    return doc[end - 1].idx + len(doc[end - 1]) - doc[start].idx


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


# Where a long text is cut, best first: after a line break (which always
# ends a sentence, see nlp.LINE_BREAKS), after a full stop, at a space.
_CUTS = ("\n", ". ", " ")


def text_pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text``, none longer than
    ``max_chars``, together the whole text. Each piece ends at the last
    line break in its second half, or else the last full stop or space
    there, or else after ``max_chars`` characters."""
    pieces, start = [], 0
    while len(text) - start > max_chars:
        end = start + max_chars
        for cut in _CUTS:
            found = text.rfind(cut, start + max_chars // 2, end - len(cut) + 1)
            if found >= 0:
                end = found + len(cut)
                break
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


class _Model:
    """A weak-referenceable holder for a spaCy pipeline, for ``Shared``."""

    def __init__(self, nlp):
        self.nlp = nlp


class _AnnotateBatch(beam.DoFn):
    """Parses a batch of articles and emits sentences and records by dataset."""

    ARTICLES = "articles"
    SENTENCES = "sentences"
    CLAIMS = "claims"
    EVENTS = "events"
    AGREEMENTS = "agreements"
    ERRORS = "errors"
    _TAG_BY_TYPE = {Sentence: SENTENCES, Claim: CLAIMS, Event: EVENTS,
                    Agreement: AGREEMENTS}

    def __init__(self, model_name: str, max_chars: int, expected_articles: int = 0,
                 workers: int = 1, ner_scope: str = "records"):
        self._model_name = model_name
        self._ner_scope = ner_scope
        self._max_chars = max_chars
        self._expected = expected_articles
        self._workers = workers
        self._shared = shared.Shared()
        self._articles = Metrics.counter("tidings", "articles_tagged")
        self._failed = Metrics.counter("tidings", "articles_failed")
        self._words = Metrics.counter("tidings", "words_parsed")
        self._article_words = Metrics.distribution("tidings", "words_per_article")
        self._batch_ms = Metrics.distribution("tidings", "batch_parse_ms")
        self._ner_tokens = Metrics.counter("tidings", "ner_tokens")
        self._records = {tag: Metrics.counter("tidings", f"{tag}_found")
                         for tag in (self.SENTENCES, self.CLAIMS, self.EVENTS,
                                     self.AGREEMENTS)}

    def setup(self):
        memory.for_parsing()
        name = self._model_name
        model = self._shared.acquire(
            lambda: _Model(nlp_support.load_pipeline(name)), tag=name)
        self._nlp = model.nlp
        self._nlp.max_length = max(self._nlp.max_length, self._max_chars + 1)
        self._ner = self._nlp.get_pipe("ner") if self._ner_scope == "records" else None
        self._progress = Progress(self._expected, self._workers)

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
        for part in parse_batches(ready, PARSE_BATCH_CHARS):
            yield from self._parse(part)

    def _parse(self, articles: list[Article]):
        """Parse articles (at most ``PARSE_BATCH_CHARS`` characters, or one
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
        """Parse texts of at most ``PARSE_BATCH_CHARS`` characters in all, or
        one longer text in pieces of at most that size, joined into one
        ``Doc`` with the text's offsets."""
        disable = [] if self._ner is None else ["ner"]
        if len(texts) == 1 and len(texts[0]) > PARSE_BATCH_CHARS:
            (text,) = texts
            pieces = (text[start:end] for start, end in text_pieces(text, PARSE_BATCH_CHARS))
            docs = [Doc.from_docs(list(self._nlp.pipe(pieces, batch_size=1, disable=disable)),
                                  ensure_whitespace=False)]
        else:
            docs = list(self._nlp.pipe(texts, batch_size=len(texts), disable=disable))
        if self._ner is not None:
            self._ner_tokens.inc(add_entities(docs, self._ner, PARSE_BATCH_CHARS))
        return docs


class Progress:
    """Logs a worker's progress at most every ``interval`` seconds: articles
    done, its rate, and the time left if every worker keeps that rate.

    Args:
        expected: input files of the run (0 when unknown).
        workers: worker processes sharing them.
    """

    def __init__(self, expected: int, workers: int, interval: float = 30.0,
                 clock=time.monotonic):
        self._expected = expected
        self._workers = max(workers, 1)
        self._interval = interval
        self._clock = clock
        self._started = self._last = clock()
        self.articles = self.words = 0

    def update(self, articles: int, words: int) -> Optional[str]:
        """Count a batch; returns (and logs) the progress line when one is due."""
        self.articles += articles
        self.words += words
        now = self._clock()
        if now - self._last < self._interval:
            return None
        self._last = now
        elapsed = max(now - self._started, 1e-9)
        rate = self.articles / elapsed
        line = (f"progress: {self.articles} articles in {elapsed:.0f} s "
                f"({rate:.1f} articles/s, {self.words / elapsed:.0f} words/s) "
                f"in this worker")
        if self._expected and rate > 0:
            remaining = max(self._expected - self.articles * self._workers, 0)
            line += (f"; about {remaining} of {self._expected} inputs left, "
                     f"~{remaining / (rate * self._workers):.0f} s at this rate "
                     f"on {self._workers} worker(s)")
        logger.info(line)
        return line


def _error(article: Article, reason: str, detail: str) -> Error:
    return Error(input_path=article.source_path, stage="tag", reason=reason,
                 detail=detail, article_id=article.article_id,
                 published_date=article.published_date)


class AnnotateArticles(beam.PTransform):
    """Articles -> a dict of PCollections: the articles tagged, sentences,
    claims, events, agreements and errors.

    Args:
        model_name: an installed spaCy pipeline.
        batch_size: most articles per batch; a batch is parsed in runs of
            at most ``PARSE_BATCH_CHARS`` characters.
        max_chars: longer articles are reported as errors, not parsed.
        expected_articles, workers: for the progress log's time estimate.
        ner_scope: "records" to recognise entities only in sentences that
            could hold a record (``add_entities``), "all" everywhere.
    """

    def __init__(self, model_name: str, batch_size: int = 32,
                 max_chars: int = 1_000_000, expected_articles: int = 0,
                 workers: int = 1, ner_scope: str = "records"):
        super().__init__()
        self._ner_scope = ner_scope
        self._model_name = model_name
        self._batch_size = batch_size
        self._max_chars = max_chars
        self._expected = expected_articles
        self._workers = workers

    def expand(self, articles: beam.PCollection[Article]) -> dict[str, beam.PCollection]:
        outputs = (
            articles
            | "Batch" >> beam.BatchElements(min_batch_size=1,
                                            max_batch_size=self._batch_size)
            | "Parse" >> beam.ParDo(_AnnotateBatch(
                self._model_name, self._max_chars, self._expected,
                self._workers, self._ner_scope)).with_outputs(*_OUTPUTS))
        return {tag: outputs[tag] for tag in _OUTPUTS}


_OUTPUTS = (_AnnotateBatch.ARTICLES, _AnnotateBatch.SENTENCES, _AnnotateBatch.CLAIMS,
            _AnnotateBatch.EVENTS, _AnnotateBatch.AGREEMENTS, _AnnotateBatch.ERRORS)
