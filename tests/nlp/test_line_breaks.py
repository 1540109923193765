"""``tidings_line_breaks``: a line break starts a sentence, and punctuation
written flush against the word before it stays in that word's sentence."""
from __future__ import annotations

import spacy

from tidings.nlp import model


def _starts(text: str) -> list[tuple[str, object]]:
    doc = model.line_breaks(spacy.blank("en").make_doc(text))
    return [(t.text, t.is_sent_start) for t in doc]


def test_the_token_after_a_line_break_starts_a_sentence():
    assert _starts("Talks ended\nMinisters left") == [
        ("Talks", True), ("ended", None), ("\n", None), ("Ministers", True), ("left", None)]


def test_blank_lines_and_indents_start_the_next_word_not_the_spaces():
    starts = _starts("One.\n\n  Two")
    assert [text for text, start in starts[1:] if start] == ["Two"]
    assert dict(starts)["\n\n  "] is None


def test_flush_punctuation_stays_with_the_word_before_it():
    starts = _starts('He said "no." Then he left.')
    assert ('"', False) in starts[3:]            # the closing mark after "no."
    assert starts[-1] == (".", False)


def test_punctuation_after_a_space_or_a_line_break_is_left_to_the_parser():
    starts = _starts("A deal .\n\"Next")
    assert starts[2] == (".", None)               # after a space
    assert starts[4] == ('"', True)               # after a line break: a new sentence


def test_empty_and_one_token_documents_are_unchanged():
    assert _starts("") == []
    assert _starts("Word") == [("Word", True)]
