"""Cutting work for the model: sentences trimmed of whitespace, articles
grouped into runs of bounded size, and a long text cut into pieces at line
breaks, full stops or spaces.
"""
from __future__ import annotations

from typing import Any, Callable

from spacy.tokens import Doc, Span


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
