"""A "he said" with no earlier claim to lean on takes the person named just
before it: a PERSON entity, or a name with a title that fits the pronoun."""
from __future__ import annotations

from tidings.rules.claims import find_claims


def _speakers(parse, text):
    return [(c.speaker, c.speaker_inherited, c.evidence)
            for claims in find_claims(parse(text)) for c in claims]


def test_he_said_takes_the_titled_man_named_in_the_sentence_before(parse):
    text = ("What Mr. Obama has seen instead are the charts of a warming planet.\n"
            "\"And they are terrifying,\" he said in an interview.\n")
    # the entity recogniser names him "Obama"; without it, the title gives "Mr. Obama"
    assert _speakers(parse, text) == [("Obama", True, "cue:say:pronoun_resolved")]


def test_a_title_that_does_not_fit_the_pronoun_is_not_taken(parse):
    text = ("What Mrs. Castillo has seen instead are the charts of a warming planet.\n"
            "\"And they are terrifying,\" he said in an interview.\n")
    ((speaker, inherited, evidence),) = _speakers(parse, text)
    assert (speaker, inherited) == ("he", False)
    assert evidence.endswith(":pronoun_unresolved")


def test_an_earlier_speaker_comes_first(parse):
    text = ("Senator Alma Reyes said the bill was dead.\n"
            "Mr. Dorsey was not in the chamber.\n"
            "\"We will try again,\" she said.\n")
    assert [s[:2] for s in _speakers(parse, text)] == [("Alma Reyes", False),
                                                       ("Alma Reyes", True)]
