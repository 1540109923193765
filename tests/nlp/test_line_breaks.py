"""``tidings_line_breaks``: a line break starts a sentence, punctuation
written flush against the word before it stays in that word's sentence,
and no sentence starts after a bare word or an opening bracket on the same
line."""
from __future__ import annotations

import spacy

from tidings.nlp import model


def _starts(text: str) -> list[tuple[str, object]]:
    doc = model.line_breaks(spacy.blank("en").make_doc(text))
    return [(t.text, t.is_sent_start) for t in doc]


def test_the_token_after_a_line_break_starts_a_sentence():
    assert _starts("Talks ended\nMinisters left") == [
        ("Talks", True), ("ended", False), ("\n", None), ("Ministers", True), ("left", False)]


def test_blank_lines_and_indents_start_the_next_word_not_the_spaces():
    starts = _starts("One.\n\n  Two")
    assert [text for text, start in starts[1:] if start] == ["Two"]
    assert dict(starts)["\n\n  "] is None


def test_flush_punctuation_stays_with_the_word_before_it():
    starts = _starts('He said "no." Then he left.')
    assert ('"', False) in starts[3:]            # the closing mark after "no."
    assert starts[-1] == (".", False)


def test_punctuation_after_a_space_or_a_line_break_is_left_to_the_parser():
    starts = _starts("A deal. .\n\"Next")
    assert starts[3] == (".", None)               # after a space
    assert starts[5] == ('"', True)               # after a line break: a new sentence


def test_empty_and_one_token_documents_are_unchanged():
    assert _starts("") == []
    assert _starts("Word") == [("Word", True)]


def test_no_sentence_starts_after_a_bare_word_on_the_same_line():
    # a blanked wire dateline left "Texas | Commerce | Bancshares Inc said"
    starts = _starts("ACME HOLDERS APPROVE MERGER\n\n      Texas Commerce Bancshares Inc said 24 "
                     "banks agreed. Others did not.")
    assert [text for text, start in starts if start] == ["ACME", "Texas"]
    assert dict(starts)["Others"] is None          # after a full stop: the parser's call
    assert all(start is False for text, start in starts
               if text in ("HOLDERS", "APPROVE", "Commerce", "Bancshares", "banks"))


def test_no_sentence_starts_inside_an_opening_bracket_but_may_after_a_quotation_mark():
    starts = dict(_starts('Shares fell.\n<SNC Group Inc> said "Sell."'))
    assert starts["<"] is True and starts["SNC"] is False
    assert starts["Sell"] is None                   # an opening quotation mark is no bracket


def test_the_parser_keeps_the_boundaries_the_component_forbids(parse):
    sentences = parse("ACME <ACM> HOLDERS APPROVE MERGER\n\nHOUSTON, April 24 - Texas "
                      "Commerce Bancshares Inc said its shareholders approved the merger.")
    assert [s.text for s in sentences] == [
        "ACME <ACM> HOLDERS APPROVE MERGER",
        "Texas Commerce Bancshares Inc said its shareholders approved the merger."]
