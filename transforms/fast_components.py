"""Faster stand-ins for two spaCy components, with exactly their output.

In en_core_web_sm the attribute ruler and the rule lemmatizer took 17% of
the parse here, not for what they compute but for how: the ruler runs a
``Matcher`` of 179 patterns over every token (about 27 µs a token), and
the lemmatizer visits every token from Python. Both results depend only on
a few columns of each token, so these stand-ins compute them a document at
a time with numpy:

- ``FastAttributeRuler`` compiles the ruler's patterns (sequences of
  token specs that name exact attribute values, which is what spaCy's
  tag maps and morph rules are) into column comparisons, and applies the
  matches in the ruler's own order, so later rules win as they do in
  spaCy. A ruler with any other kind of pattern (operators, sets, regular
  expressions) is left as it is.
- ``FastLemmatizer`` looks each distinct (word, POS, morphology) of a
  document up in the rule lemmatizer's own cache, asking the lemmatizer
  only for new ones, and clears that cache when it holds
  ``CACHE_LIMIT`` entries (spaCy's grows for as long as the process runs).

``speed_up(nlp)`` swaps them in for the components they replace, which
stay in the pipeline, disabled, as the source of their rules and tables.
``tests/transforms/test_fast_components.py`` checks, token for token, that
a document gets the same tags, POS, morphology, lemmas and dependency
labels either way.
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


class FastLemmatizer:
    """A rule ``Lemmatizer``'s lemmas, looked up once per distinct key."""

    def __init__(self, lemmatizer: Lemmatizer):
        self._lemmatizer = lemmatizer

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        lemmatizer = self._lemmatizer
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA]).reshape(len(doc), 4)
        todo = (np.arange(len(doc)) if lemmatizer.overwrite
                else np.flatnonzero(columns[:, 3] == 0))
        if todo.size == 0:
            return doc
        if len(lemmatizer.cache) > CACHE_LIMIT:
            lemmatizer.cache.clear()
        keys, first, inverse = np.unique(columns[todo, :3], axis=0, return_index=True,
                                         return_inverse=True)
        strings = doc.vocab.strings
        lemmas = np.empty(len(keys), dtype=np.uint64)
        for k, (key, i) in enumerate(zip(map(tuple, keys.tolist()), first)):
            forms = lemmatizer.cache.get(key)
            if forms is None:       # fills the cache, as spaCy's own pass does
                forms = lemmatizer.lemmatize(doc[int(todo[i])])
            lemmas[k] = strings.add(forms[0])
        columns[todo, 3] = lemmas[inverse.reshape(-1)]
        doc.from_array([LEMMA], columns[:, 3])
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


@Language.factory(FAST_RULER, default_config={"source": "attribute_ruler"})
def make_fast_ruler(nlp: Language, name: str, source: str):
    return FastAttributeRuler(_compile(nlp.get_pipe(source)))


@Language.factory(FAST_LEMMATIZER, default_config={"source": "lemmatizer"})
def make_fast_lemmatizer(nlp: Language, name: str, source: str):
    return FastLemmatizer(nlp.get_pipe(source))


def speed_up(nlp: Language) -> list[str]:
    """Put the fast stand-ins in place of the attribute ruler and the rule
    lemmatizer where the pipeline's are of the kinds they reproduce.

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
        nlp.add_pipe(factory, name=f"fast_{name}", after=name,
                     config={"source": name})
        nlp.disable_pipe(name)
        replaced.append(name)
    return replaced
