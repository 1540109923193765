"""tag_article on the project's example articles, and TagArticles."""
from __future__ import annotations

import dataclasses

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from spacy.tokens import Span

from tidings.inputs.formats import parse_file
from tidings.nlp import batching
from tidings.nlp import model as nlp_support
from tidings.nlp.batching import parse_batches
from tidings.rules import events
from tidings.rules.scope import add_entities, parse_texts
from tidings.rules.tagging import record_id, tag_article
from tidings.schemas import Agreement, Claim, Entity, Event, Sentence
from tidings.transforms.tagging import TagArticles


@pytest.fixture(scope="module")
def port_deal(examples_dir):
    path = examples_dir / "articles" / "port-deal.txt"
    return parse_file(str(path), path.read_bytes(), 1_000_000)


def _tag(nlp, article):
    return tag_article(nlp(nlp_support.mask_dateline(article.text)[0]), article)


def test_tag_article_offsets_slice_the_article(nlp, port_deal):
    results = _tag(nlp, port_deal)
    sentences = [r for r in results if isinstance(r, Sentence)]
    assert len(sentences) == 8
    for sentence in sentences:
        assert port_deal.text[sentence.char_start:sentence.char_end] == sentence.text
    for record in results:
        if isinstance(record, (Claim, Event, Agreement)):
            assert port_deal.text[record.char_start:record.char_end] == record.sentence
            assert 0.0 <= record.confidence <= 1.0 and record.evidence


def test_tag_article_dateline_is_not_a_sentence_subject(nlp, port_deal):
    results = _tag(nlp, port_deal)
    first = [r for r in results if isinstance(r, Sentence)][0]
    assert first.text.startswith("Norway and Chile signed")
    speakers = {r.speaker for r in results if isinstance(r, Claim)}
    assert "OSLO" not in speakers


def test_tag_article_finds_all_three_kinds(nlp, port_deal):
    results = _tag(nlp, port_deal)
    claims = [(r.speaker, r.speaker_inherited) for r in results if isinstance(r, Claim)]
    assert ("Solberg", False) in claims
    assert ("Araya", True) in claims          # "He added ..." and the lone quote
    events = {r.event_type for r in results if isinstance(r, Event)}
    assert "SIGN" in events
    values = [(r.agreement_type, r.status, r.value_amount, r.value_currency)
              for r in results if isinstance(r, Agreement)]
    assert ("deal", "signed", 2_500_000_000, "USD") in values


def test_tag_article_record_ids_are_stable_and_unique(nlp, port_deal):
    first = [r.record_id for r in _tag(nlp, port_deal) if hasattr(r, "record_id")]
    again = [r.record_id for r in _tag(nlp, port_deal) if hasattr(r, "record_id")]
    assert first == again
    assert len(set(first)) == len(first)
    assert first[0] == record_id("claim", port_deal, 0, "the Norwegian trade ministry")


def test_tag_articles_routes_each_dataset(port_deal):
    too_long = dataclasses.replace(port_deal, article_id="x" * 20,
                                   source_path="long.txt", text="word " * 300)
    options = PipelineOptions(["--runner=FnApiRunner"])
    with TestPipeline(options=options) as p:
        outputs = (p | beam.Create([port_deal, too_long])
                   | TagArticles(nlp_support.DEFAULT_MODEL, batch_size=4,
                                      max_chars=1000))
        assert_that(outputs["sentences"] | "CountSentences" >> beam.combiners.Count.Globally(),
                    equal_to([8]), label="sentences")
        assert_that(outputs["agreements"] | "AgreementIds" >> beam.Map(lambda a: a.article_id),
                    equal_to([port_deal.article_id] * 3), label="agreements")
        assert_that(outputs["errors"] | "ErrorReasons" >> beam.Map(
            lambda e: (e.input_path, e.stage, e.reason)),
            equal_to([("long.txt", "tag", "article too long")]), label="errors")


@pytest.mark.parametrize("max_chars", [1, 50, 120, 10_000])
def test_parse_batches_keep_order_within_the_budget(port_deal, max_chars):
    articles = [dataclasses.replace(port_deal, article_id=str(n), text="x" * size)
                for n, size in enumerate([40, 40, 30, 200, 10, 10, 60])]
    batches = parse_batches(articles, max_chars)
    assert [a for batch in batches for a in batch] == articles
    for batch in batches:
        assert len(batch) == 1 or sum(len(a.text) for a in batch) <= max_chars
    # A batch is cut only where the next article would not fit.
    for batch, after in zip(batches, batches[1:]):
        assert sum(len(a.text) for a in batch) + len(after[0].text) > max_chars


class _Spy:
    """Passes pipe calls on, noting the characters of each batch."""

    def __init__(self, pipe, sizes: list[int]):
        self._pipe, self._sizes = pipe, sizes

    def pipe(self, texts, batch_size: int = 128, **kwargs):  # spaCy components' default
        texts = list(texts)
        for start in range(0, len(texts), batch_size):
            self._sizes.append(sum(len(getattr(t, "text", t))
                                   for t in texts[start:start + batch_size]))
        return self._pipe(texts, batch_size=batch_size, **kwargs)


def _example_articles(examples_dir):
    articles = [parse_file(str(p), p.read_bytes(), 1_000_000)
                for p in sorted((examples_dir / "articles").glob("*.txt"))]
    assert all(500 < len(a.text) < 1_000 for a in articles)
    return articles


@pytest.mark.parametrize("max_chars", [1_000, 400])
def test_parse_texts_same_records_however_the_parse_is_cut(nlp, examples_dir, max_chars):
    """Articles parsed one at a time (1,000 characters), or each in pieces
    cut at line breaks (400), give the records they give parsed together,
    and no nlp.pipe call or entity recogniser call gets more text than
    the limit."""
    articles = _example_articles(examples_dir)
    texts = [nlp_support.mask_dateline(a.text)[0] for a in articles]

    def records(limit: int, sizes: list[int]) -> list:
        spied_nlp = _Spy(nlp.pipe, sizes)
        spied_ner = _Spy(nlp.get_pipe("ner").pipe, sizes)
        found = []
        for batch in parse_batches(list(zip(articles, texts)), limit, lambda a: len(a[1])):
            docs, ner_tokens = parse_texts(spied_nlp, [text for _, text in batch], limit,
                                           spied_ner)
            assert ner_tokens > 0
            for (article, _), doc in zip(batch, docs):
                assert doc.text == nlp_support.mask_dateline(article.text)[0]
                found.extend(tag_article(doc, article))
        return found

    whole_sizes, cut_sizes = [], []
    together, cut = records(1_000_000, whole_sizes), records(max_chars, cut_sizes)
    assert len(together) > 30
    assert sorted(map(repr, together)) == sorted(map(repr, cut))
    assert max(whole_sizes) > 1_000
    assert cut_sizes and max(cut_sizes) <= max_chars
    assert len(cut_sizes) > len(whole_sizes)


def test_tag_articles_parse_chars_does_not_change_the_records(nlp, examples_dir):
    """Parsed in pieces of at most 400 characters by the transform, the
    articles give the records that tag_article gives them parsed whole."""
    articles = _example_articles(examples_dir)
    expected = [repr(r) for article in articles for r in _tag(nlp, article)
                if not isinstance(r, Sentence)]
    assert len(expected) > 20
    options = PipelineOptions(["--runner=FnApiRunner"])
    with TestPipeline(options=options) as p:
        outputs = (p | beam.Create(articles)
                   | TagArticles(nlp_support.DEFAULT_MODEL, parse_chars=400))
        records = ((outputs["claims"], outputs["events"], outputs["agreements"],
                    outputs["entities"]) | beam.Flatten() | beam.Map(repr))
        assert_that(records, equal_to(expected))


def test_text_pieces_cover_the_text_and_cut_at_line_breaks_first():
    text = ("First line of the story.\n" * 8 + "A long line. " * 30 + "x" * 250)
    pieces = batching.text_pieces(text, 100)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in zip(pieces, pieces[1:]))
    assert all(0 < end - start <= 100 for start, end in pieces)
    texts = [text[start:end] for start, end in pieces]
    assert texts[0] == "First line of the story.\n" * 4      # the last line break in reach
    assert texts[2] == "A long line. " * 7                    # else the last full stop
    assert texts[-2] == "x" * 100                             # else at the limit
    assert batching.text_pieces("short", 100) == [(0, 5)]


def test_tag_article_never_crashes_on_noisy_text(nlp):
    """Random mixes of quotation marks, datelines, colons and fragments."""
    import random

    pieces = ['"', "“", "”", "''", "``", "'", ":", "-", "...", "\n", "said", "he",
              "Putin", "according to", "the deal", "$3bn", "on Monday", "TEHRAN (Reuters) -",
              "was quoted as saying", "Q:", "(", ")", "  ", "signed", "told reporters"]
    rng = random.Random(7)
    for _ in range(60):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        article = parse_file("noise.txt", text.encode(), 1_000_000)
        if not hasattr(article, "text"):
            continue            # an empty draw is an Error, not an article
        results = tag_article(nlp(nlp_support.mask_dateline(article.text)[0]), article)
        for record in results:
            if hasattr(record, "sentence"):
                assert article.text[record.char_start:record.char_end] == record.sentence


def test_progress_reports_the_worker_totals_at_intervals():
    import json

    from tidings.transforms.tagging import PROGRESS, Progress

    now = [0.0]
    progress = Progress(interval=30, clock=lambda: now[0])
    now[0] = 10
    assert progress.update(50, 10_000) is None             # not due yet
    now[0] = 40
    report = progress.update(50, 10_000)
    assert report.startswith(PROGRESS)
    payload = json.loads(report[len(PROGRESS):])
    assert (payload["articles"], payload["words"]) == (100, 20_000)
    now[0] = 50
    assert progress.update(10, 100) is None


def test_tag_articles_tagging_failure_dead_letters_only_that_article(
        port_deal, monkeypatch):
    from tidings.rules import scope, tagging

    real = events.find_events

    def failing(sent, *args):
        if "BOOM" in sent.text:
            raise RuntimeError("rule blew up")
        return real(sent, *args)

    monkeypatch.setattr(tagging, "find_events", failing)      # tagging the article
    monkeypatch.setattr(scope, "find_events", failing)        # choosing its NER sentences
    bad = dataclasses.replace(port_deal, article_id="b" * 20, source_path="bad.txt",
                              text="The talks went well. BOOM went the rule.")
    options = PipelineOptions(["--runner=FnApiRunner"])
    with TestPipeline(options=options) as p:
        outputs = (p | beam.Create([port_deal, bad])
                   | TagArticles(nlp_support.DEFAULT_MODEL, batch_size=4))
        assert_that(outputs["errors"] | "ErrorReasons" >> beam.Map(
            lambda e: (e.input_path, e.stage, e.reason, e.detail)),
            equal_to([("bad.txt", "tag", "tagging failed", "RuntimeError: rule blew up")]),
            label="errors")
        assert_that(outputs["sentences"] | "SentenceArticles" >> beam.Map(
            lambda s: s.article_id) | beam.Distinct(),
            equal_to([port_deal.article_id]), label="sentences")


def _records_only(results):
    return sorted((type(r).__name__, getattr(r, "sentence_index", -1), repr(r)) for r in results
                  if not isinstance(r, Sentence))


def _opens_with_pronoun(sent) -> bool:
    words = [t.lower_ for t in sent if t.pos_ in ("PROPN", "PRON")]
    return bool(words) and words[0] in ("he", "she", "him", "his", "her", "it", "its")


class _NameRecogniser:
    """Stands in for the entity recogniser: "Rosa Quispe" is a PERSON,
    "Quispe" alone an ORG (the kind of slip the speaker rules correct);
    notes the text of every document it is given."""

    def __init__(self):
        self.texts: list[str] = []

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            self.texts.append(doc.text)
            entities = []
            for token in doc:
                if token.text == "Quispe":
                    person = token.i > 0 and doc[token.i - 1].text == "Rosa"
                    start = token.i - 1 if person else token.i
                    entities.append(Span(doc, start, token.i + 1,
                                         label="PERSON" if person else "ORG"))
            doc.ents = entities
            yield doc


def test_add_entities_recognises_record_sentences_then_speakers_names(nlp):
    text = ('Rain fell on the old town for most of the night.\n'
            'Quispe said the port would open on Monday.\n'
            '"We are ready. The ships are here."\n'
            'Rosa Quispe grew up in the town.\n'
            'The cafes on the square were quiet.\n')
    article = parse_file("quispe.txt", text.encode(), 1_000_000)
    (doc,) = list(nlp.pipe([text], disable=["ner"]))
    recogniser = _NameRecogniser()
    recognised = add_entities([doc], recogniser)
    # Round 1: the sentence with a claim of its own; the quotation takes
    # its speaker from it and reads no entity. Round 2: the other sentence
    # that names the speaker the recogniser called an ORG.
    assert [t.strip() for t in recogniser.texts] == [
        "Quispe said the port would open on Monday.", "Rosa Quispe grew up in the town."]
    assert recognised == sum(len(nlp.make_doc(t)) for t in recogniser.texts)
    assert [(e.text, e.label_) for e in doc.ents] == [("Quispe", "ORG"),
                                                     ("Rosa Quispe", "PERSON")]
    assert all(token.ent_iob_ == "O" for token in doc if not token.ent_type_)
    claims = [r for r in tag_article(doc, article) if isinstance(r, Claim)]
    assert [(c.speaker, c.speaker_label, c.speaker_inherited) for c in claims] == [
        ("Quispe", "PERSON", False), ("Quispe", "PERSON", True), ("Quispe", "PERSON", True)]


def test_add_entities_second_round_only_when_a_speaker_is_not_a_known_person(nlp):
    text = ('Rosa Quispe said the port would open on Monday.\n'
            'Rosa Quispe grew up in the town.\n')
    (doc,) = list(nlp.pipe([text], disable=["ner"]))
    recogniser = _NameRecogniser()
    add_entities([doc], recogniser)
    assert [t.strip() for t in recogniser.texts] == [
        "Rosa Quispe said the port would open on Monday."]


def test_add_entities_the_sentence_before_a_leading_pronoun(nlp):
    text = ('Rain fell on the old town for most of the night.\n'
            'Rosa Quispe grew up in the town.\n'
            'She signed a lease with the port authority on Monday.\n'
            'The cafes on the square were quiet.\n'
            'The mayor of Quispe signed it on Tuesday.\n')
    article = parse_file("lease.txt", text.encode(), 1_000_000)
    (doc,) = list(nlp.pipe([text], disable=["ner"]))
    recogniser = _NameRecogniser()
    add_entities([doc], recogniser)
    # "She" comes before any name in its sentence, so the sentence before
    # is recognised for whom it stands for; "it" after "Quispe" is not.
    assert [t.strip() for t in recogniser.texts] == [
        "She signed a lease with the port authority on Monday.",
        "The mayor of Quispe signed it on Tuesday.",
        "Rosa Quispe grew up in the town."]
    signed = [r for r in tag_article(doc, article)
              if isinstance(r, Event) and r.trigger == "signed"]
    assert [e.actor for e in signed] == ["Rosa Quispe", "The mayor of Quispe"]


def test_add_entities_third_round_where_a_record_needs_its_date(nlp):
    text = ('Rain fell on the old town for most of the night.\n'
            'The other three were provided on Friday morning.\n'
            'The cafes on the square were quiet in May.\n')
    article = parse_file("dated.txt", text.encode(), 1_000_000)
    (doc,) = list(nlp.pipe([text], disable=["ner"]))
    ner = nlp.get_pipe("ner")
    texts: list[str] = []

    class Noting:
        def pipe(self, docs, batch_size: int = 128):
            docs = list(docs)
            texts.extend(d.text for d in docs)
            return ner.pipe(docs, batch_size=batch_size)

    add_entities([doc], Noting())
    # only the dated passive needs its date to be an event; the quiet cafes
    # in May hold none, and the guessed dates are gone from the rest
    assert [t.strip() for t in texts] == ["The other three were provided on Friday morning."]
    assert not [t for t in doc if t.ent_type_ and t.sent.text.startswith("The cafes")]
    events_found = [r for r in tag_article(doc, article) if isinstance(r, Event)]
    assert [(e.trigger, e.target, e.date_text) for e in events_found] == [
        ("provided", "The other three", "Friday")]


def test_entities_only_where_records_can_be_give_the_same_records(nlp, examples_dir):
    ner = nlp.get_pipe("ner")
    paths = sorted((examples_dir / "articles").iterdir())
    assert len(paths) >= 3
    skipped = 0
    for path in paths:
        article = parse_file(str(path), path.read_bytes(), 1_000_000)
        text = nlp_support.mask_dateline(article.text)[0]
        full = nlp(text)
        (partial,) = list(nlp.pipe([text], disable=["ner"]))
        recognised = add_entities([partial], ner)
        skipped += len(partial) - recognised
        results = tag_article(partial, article)
        assert _records_only(results) == _records_only(tag_article(full, article)), path.name
        # A sentence recognised holds a record, names a speaker, or comes
        # just before a record's sentence that opens with a pronoun.
        records = [r for r in results if not isinstance(r, (Sentence, Entity))]
        holding = {r.sentence_index for r in records}
        speakers = {word for r in records if isinstance(r, Claim) for word in r.speaker.split()}
        sentences = batching.sentence_spans(partial)
        for index, sent in enumerate(sentences):
            if sent.ents and index not in holding:
                assert any(token.text in speakers for token in sent) or (
                    index + 1 in holding and _opens_with_pronoun(sentences[index + 1])), sent.text
    assert skipped > 0          # some sentences of the examples hold no record
