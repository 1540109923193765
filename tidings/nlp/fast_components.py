"""Faster stand-ins for spaCy's attribute ruler and rule lemmatizer, with
exactly their output, and a bound on the lemmatizers' caches.

In en_core_web_sm the attribute ruler took 10% of the parse here, not for
what it computes but for how: a ``Matcher`` of 179 patterns runs over
every token (about 17 µs a token). ``FastAttributeRuler`` compiles the
ruler's patterns (token specs of exact values, ``IN``, ``NOT_IN`` and
``REGEX``: what spaCy's tag maps and morph rules use) into numpy column
comparisons over a document, and applies the matches in the ruler's own
order, so later rules win as they do in spaCy: about six times faster. A
ruler with any other kind of pattern is left as it is.

The rule lemmatizer took 8% of the parse, nearly all of it in the words
its cache has not seen: each rule's candidate lemma is looked up in the
model's word list for the POS, a Python list of up to 57,528 words
searched from the start (about 160 µs a word). ``FastLemmatizer`` applies
the same rules, exceptions and order with each list held as a set, caches
by spaCy's own key (word, POS, morphology), and reads and writes a
document's columns at once instead of token by token.

``speed_up(nlp)`` swaps them in; the originals stay in the pipeline,
disabled, as the source of their rules. ``tests/nlp/
test_fast_components.py`` checks, token for token, that documents get the
same tags, POS, morphology, lemmas and dependency labels either way.

``trim_caches(nlp)`` empties the lemmatizers' caches when they grow past
``CACHE_LIMIT`` entries: they grow for as long as the process runs, and
``memory_zone`` does not clear them.
"""
from __future__ import annotations

import re
from typing import Optional

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc


FAST_RULER = "tidings_attribute_ruler"
FAST_LEMMATIZER = "tidings_lemmatizer"
# Written back by from_array; a ruler setting anything else is not replaced.
_SETTABLE = (TAG, POS, MORPH, LEMMA, DEP)
CACHE_LIMIT = 200_000


def _value(value) -> int:
    return get_string_id(value) if isinstance(value, str) else int(value)


def _check(name: str, value) -> Optional[tuple]:
    """One token spec's condition on one attribute as (column, kind,
    operand), or None where this module does not reproduce it."""
    column = IDS.get(name.upper())
    if column is None:
        return None
    if isinstance(value, (str, int, bool)):
        return column, "equals", _value(value)
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (kind, operand), = value.items()
    if kind in ("IN", "NOT_IN") and isinstance(operand, list):
        return column, kind, np.array([_value(v) for v in operand], dtype=np.uint64)
    if kind == "REGEX" and isinstance(operand, str):
        return column, kind, re.compile(operand)
    return None


def _compile(ruler: AttributeRuler) -> Optional[list]:
    """The ruler's rules as [(index, [[check, ...] per token], {attribute:
    value})], in the order spaCy applies them; None if a pattern uses what
    ``_check`` does not reproduce, or a rule sets an attribute this module
    does not write."""
    rules = []
    for rule, entry in enumerate(ruler.patterns):
        attrs = ruler.attrs[rule]
        if any(attr not in _SETTABLE for attr in attrs):
            return None
        for pattern in entry["patterns"]:
            tokens = [[_check(name, value) for name, value in spec.items()]
                      for spec in pattern]
            if not tokens or any(None in checks for checks in tokens):
                return None
            rules.append((ruler.indices[rule], tokens, attrs))
    return rules


class FastAttributeRuler:
    """Applies an ``AttributeRuler``'s rules without its ``Matcher``."""

    def __init__(self, rules: list):
        self._rules = rules
        self._columns = sorted({column for _, tokens, _ in rules
                                for checks in tokens for column, _, _ in checks})
        self._position = {column: i for i, column in enumerate(self._columns)}
        self._set = sorted({attr for _, _, attrs in rules for attr in attrs})

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        # to_array gives one dimension for a single attribute or token.
        columns = doc.to_array(self._columns).reshape(n, len(self._columns))
        values = doc.to_array(self._set).reshape(n, len(self._set))
        target = {attr: values[:, i] for i, attr in enumerate(self._set)}
        # A match of a rule sets its values on one token of the match; the
        # Matcher's matches are applied sorted by rule, so a later rule
        # overwrites an earlier one on the same token.
        for index, tokens, attrs in self._rules:
            width = len(tokens)
            if width > n:
                continue
            starts = np.ones(n - width + 1, dtype=bool)
            for offset, checks in enumerate(tokens):
                for column, kind, operand in checks:
                    cells = columns[offset:n - width + 1 + offset, self._position[column]]
                    starts &= self._test(doc, cells, kind, operand)
            hits = np.flatnonzero(starts)
            if hits.size == 0:
                continue
            hits = hits + (index if index >= 0 else width + index)
            for attr, value in attrs.items():
                target[attr][hits] = value
        doc.from_array(self._set, values)
        return doc

    @staticmethod
    def _test(doc: Doc, cells: np.ndarray, kind: str, operand) -> np.ndarray:
        if kind == "equals":
            return cells == operand
        if kind == "IN":
            return np.isin(cells, operand)
        if kind == "NOT_IN":
            return ~np.isin(cells, operand)
        # REGEX: on the strings of the values present.
        present = np.unique(cells)
        strings = doc.vocab.strings
        matching = [h for h in present.tolist() if operand.search(strings[h])]
        return np.isin(cells, np.array(matching, dtype=np.uint64))

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


@Language.factory(FAST_RULER, default_config={"source": "attribute_ruler"})
def make_fast_ruler(nlp: Language, name: str, source: str):
    return FastAttributeRuler(_compile(nlp.get_pipe(source)))


# A one-syllable stem ending in one vowel and one consonant: a verb of that
# shape doubles the consonant before "-ed" and "-ing" ("stag" -> "stagged"),
# so "staged", "hoped", "scraped" are of "stage", "hope", "scrape".
_SHORT_STEM = re.compile(r"[^aeiou]*[aeiou][bcdfgklmnprstvz]")


class FastLemmatizer:
    """Applies a rule ``Lemmatizer``'s lemmas by (word, POS, morphology),
    asking it once per key, with one correction: spaCy's rules take
    "staged" for "stag" and "hoped" for "hop" where the word list has both
    verbs; the verb whose past would double its consonant is not it
    (``_SHORT_STEM``)."""

    def __init__(self, lemmatizer: Lemmatizer):
        self._lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], str] = {}
        self._indexes: dict[str, frozenset] = {}

    def _index(self, pos: str) -> frozenset:
        index = self._indexes.get(pos)
        if index is None:
            table = self._lemmatizer.lookups.get_table("lemma_index", {})
            index = self._indexes[pos] = frozenset(table.get(pos, ()))
        return index

    def lemma(self, token) -> str:
        """``Lemmatizer.rule_lemmatize(token)[0]``, step for step, with the
        word list for the token's POS as a set."""
        string = token.text
        pos = token.pos_.lower()
        if pos in ("", "eol", "space") or self._lemmatizer.is_base_form(token):
            return string.lower()
        lookups = self._lemmatizer.lookups
        exceptions = lookups.get_table("lemma_exc", {}).get(pos, {})
        rules = lookups.get_table("lemma_rules", {}).get(pos, [])
        index = self._index(pos)
        if not (index or exceptions or rules):
            return string if pos == "propn" else string.lower()
        lower = string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:
            if lower.endswith(old):
                form = lower[:len(lower) - len(old)] + new
                if not form:
                    continue
                if form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(lower, []):
            if form not in forms:
                forms.insert(0, form)
        if pos == "verb" and forms and forms[0] + "e" in forms and _SHORT_STEM.fullmatch(forms[0]):
            return forms[0] + "e"
        return (forms or oov_forms or [string])[0]

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(n, 4)
        lemmas = columns[:, 3].copy()
        overwrite = self._lemmatizer.overwrite
        cache, strings = self.cache, doc.vocab.strings
        ids: dict[str, int] = {}        # this document's lemmas, in its string store
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma and not overwrite:  # set before, by the attribute ruler
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                value = cache[key] = self.lemma(doc[i])
            lemma_id = ids.get(value)
            if lemma_id is None:
                lemma_id = ids[value] = strings.add(value)
            lemmas[i] = lemma_id
        doc.from_array([LEMMA], lemmas.reshape(n, 1))
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


@Language.factory(FAST_LEMMATIZER, default_config={"source": "lemmatizer"})
def make_fast_lemmatizer(nlp: Language, name: str, source: str):
    return FastLemmatizer(nlp.get_pipe(source))


def speed_up(nlp: Language) -> list[str]:
    """Put ``FastAttributeRuler`` in place of each attribute ruler whose
    patterns it reproduces, and ``FastLemmatizer`` in place of each rule
    lemmatizer.

    Returns:
        the names of the components replaced (now disabled).
    """
    replaced = []
    for name, component in list(nlp.pipeline):
        if type(component) is AttributeRuler and _compile(component) is not None:
            factory = FAST_RULER
        elif isinstance(component, Lemmatizer) and component.mode == "rule":
            factory = FAST_LEMMATIZER
        else:
            continue
        nlp.add_pipe(factory, name=f"fast_{name}", after=name, config={"source": name})
        nlp.disable_pipe(name)
        replaced.append(name)
    return replaced


def trim_caches(nlp: Language, limit: int = CACHE_LIMIT) -> None:
    """Empty a lemmatizer's cache of lemmas once it holds ``limit``
    entries: each grows by one entry per distinct (word, POS, morphology)
    for as long as the process runs, and ``memory_zone`` does not reach
    it."""
    for name in nlp.component_names:
        component = nlp.get_pipe(name)
        if isinstance(component, (Lemmatizer, FastLemmatizer)) and len(component.cache) > limit:
            component.cache.clear()
