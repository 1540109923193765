"""The fast attribute ruler and lemmatizer against spaCy's own, token for
token, on the project's example articles and on sentences that reach the
ruler's rarer rules (contractions, regular expressions, dependency
conditions) and the lemmatizer's exceptions."""
from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from tidings.nlp import fast_components
from tidings.nlp import model as nlp_support


ATTRIBUTES = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
HARD_SENTENCES = [
    "I ain't gonna say nothin' about it, y'all.",
    "We'd've gone if they hadn't said so; I'm sure you're right.",
    "She's been told that it's over, and he doesn't know whether it'll last.",
    "Don't they have to do it? Won't it be done til Monday, tho?",
    "The minister, who had said he would resign unless the deal was signed, "
    "did not.",
    "Iran’s president said: “We won’t give up what’s ours,” despite the talks.",
    "The geese were better fed than the mice; she'd ridden further and had worse luck.",
    "Striking miners struck again, buying stakes and bought out the oxen's owners.",
]


@pytest.fixture(scope="module")
def spacy_own():
    """The model with spaCy's own components."""
    return spacy.load(nlp_support.DEFAULT_MODEL)


@pytest.fixture(scope="module")
def fast():
    """The same model with the stand-in."""
    nlp = spacy.load(nlp_support.DEFAULT_MODEL)
    assert fast_components.speed_up(nlp) == ["attribute_ruler", "lemmatizer"]
    return nlp


@pytest.fixture(scope="module")
def texts(examples_dir):
    return [p.read_text(encoding="utf-8")
            for p in sorted((examples_dir / "articles").glob("*.txt"))] + HARD_SENTENCES


def _annotations(docs):
    return [(doc.to_array(ATTRIBUTES), [str(t.morph) for t in doc]) for doc in docs]


def test_load_pipeline_uses_the_stand_in(nlp):
    assert "fast_attribute_ruler" in nlp.pipe_names
    assert "attribute_ruler" in nlp.disabled
    assert "fast_lemmatizer" in nlp.pipe_names
    assert "lemmatizer" in nlp.disabled


def test_fast_components_match_spacy_token_for_token(fast, spacy_own, texts):
    ours = _annotations(fast.pipe(texts, disable=["ner"]))
    theirs = _annotations(spacy_own.pipe(texts, disable=["ner"]))
    assert sum(len(morphs) for _, morphs in ours) > 500
    for (array, morphs), (expected_array, expected_morphs) in zip(ours, theirs):
        np.testing.assert_array_equal(array, expected_array)
        assert morphs == expected_morphs


def test_fast_lemmatizer_keeps_lemmas_the_attribute_ruler_set(fast, spacy_own):
    """The ruler sets some lemmas ("n't" -> "not"); the lemmatizer, as
    spaCy's does, leaves those alone."""
    text = "They don't know and won't say."
    ours, theirs = fast(text), spacy_own(text)
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
    assert [t.lemma_ for t in ours][1:3] == ["do", "not"]


def test_trim_caches_bounds_the_lemma_cache_and_keeps_lemmas(fast, spacy_own, texts):
    caches = [fast.get_pipe("lemmatizer").cache, fast.get_pipe("fast_lemmatizer").cache]
    ours = []
    for doc in fast.pipe(texts, disable=["ner"]):
        ours.append([t.lemma_ for t in doc])
        assert len(caches[1]) > 0
        fast_components.trim_caches(fast, limit=10)
        assert all(len(cache) <= 10 for cache in caches)
    theirs = [[t.lemma_ for t in doc] for doc in spacy_own.pipe(texts, disable=["ner"])]
    assert ours == theirs
    assert len(spacy_own.get_pipe("lemmatizer").cache) > 10


def test_ruler_with_unsupported_pattern_is_left_alone():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "big", "OP": "+"}]], {"TAG": "JJ"})
    assert fast_components.speed_up(nlp) == []
    assert nlp.pipe_names == ["attribute_ruler"]


def test_lookup_lemmatizer_is_left_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert fast_components.speed_up(nlp) == []


def test_later_rule_wins_as_in_spacy():
    """Two rules on the same token: the one added later sets the value,
    in the stand-in as in spaCy's Matcher; a two-token rule sets its
    indexed token."""
    def build():
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "deal"}]], {"POS": "NOUN", "LEMMA": "deal"})
        ruler.add([[{"LOWER": {"IN": ["deal", "pact"]}}]], {"POS": "VERB"})
        ruler.add([[{"LOWER": "a"}, {"LOWER": {"REGEX": "^d"}}]], {"LEMMA": "D-word"},
                  index=1)
        return nlp

    spacy_nlp, fast_nlp = build(), build()
    assert fast_components.speed_up(fast_nlp) == ["attribute_ruler"]
    assert isinstance(fast_nlp.get_pipe("attribute_ruler"), AttributeRuler)
    text = "They made a deal, not a pact, and a dinner."
    ours, theirs = fast_nlp(text), spacy_nlp(text)
    assert [(t.pos_, t.lemma_) for t in ours] == [(t.pos_, t.lemma_) for t in theirs]
    assert [(t.text, t.pos_, t.lemma_) for t in ours if t.pos_ or t.lemma_] == [
        ("deal", "VERB", "D-word"), ("pact", "VERB", ""), ("dinner", "", "D-word")]


def test_fast_lemmatizer_does_not_take_a_past_for_a_doubling_verb(fast, spacy_own):
    """spaCy's rules read "staged" as "stag" and "hoped" as "hop" (both are
    verbs in its word list); a verb of that shape doubles its consonant
    ("hopped"), so the fast lemmatizer gives "stage" and "hope". Every
    other lemma is spaCy's (the tests above)."""
    text = "Workers staged a walkout, hoped for talks and scraped by; others hopped on buses."
    ours = {t.text: t.lemma_ for t in fast(text)}
    theirs = {t.text: t.lemma_ for t in spacy_own(text)}
    assert [ours[w] for w in ("staged", "hoped", "scraped", "hopped")] == [
        "stage", "hope", "scrape", "hop"]
    assert [theirs[w] for w in ("staged", "hoped", "scraped")] == ["stag", "hop", "scrap"]
    assert {w: l for w, l in ours.items() if w not in ("staged", "hoped", "scraped")} == {
        w: l for w, l in theirs.items() if w not in ("staged", "hoped", "scraped")}
