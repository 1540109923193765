"""Shared fixtures: the spaCy pipeline, a parser for test sentences, and
the project's own example articles."""
from __future__ import annotations

import pathlib

import pytest

from tidings.nlp import model as nlp_support


ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    return nlp_support.load_pipeline(nlp_support.DEFAULT_MODEL)


@pytest.fixture(scope="session")
def parse(nlp):
    """Parse text as the pipeline does: dateline masked, sentences trimmed."""
    from tidings.nlp.batching import sentence_spans

    def _parse(text: str):
        doc = nlp(nlp_support.mask_dateline(text)[0])
        return sentence_spans(doc)

    return _parse


@pytest.fixture(scope="session")
def examples_dir() -> pathlib.Path:
    return EXAMPLES
