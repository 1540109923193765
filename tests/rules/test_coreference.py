"""Whom "he" and "she" stand for (``tidings.rules.coreference``), in
articles written for these tests: the subject carried from sentence to
sentence, the sex a title or kinship word gives, and quotations."""
from __future__ import annotations

import pytest

from tidings.rules.coreference import antecedent, person_sex


def _pronoun(sentences, word, nth=-1):
    """The ``nth`` occurrence of ``word`` in the parsed sentences."""
    found = [t for sent in sentences for t in sent if t.lower_ == word]
    return found[nth]


def test_a_subject_pronoun_carries_the_subject_of_the_sentences_before(parse):
    sentences = parse("Neil Kinnock was sworn in on Monday in London.\n"
                      "From there he went to Cardiff University, where he met his future "
                      "wife Glenys Parry.\n"
                      "He gained a reputation as a left-wing firebrand.")
    assert antecedent(_pronoun(sentences, "he")) == "Neil Kinnock"
    assert antecedent(_pronoun(sentences, "he", 0)) == "Neil Kinnock"


def test_a_person_of_the_other_sex_is_passed_over(parse):
    sentences = parse("The court heard from the housekeeper of Mr Edward Addison, "
                      "Mrs Amelia Laugher.\n"
                      "He had already fled abroad rather than pay the damages.")
    assert antecedent(_pronoun(sentences, "he")) == "Edward Addison"


@pytest.mark.parametrize("text, sex", [
    ("Baroness Valerie Amos spoke first.", "she"),
    ("Sir Nicholas Scott spoke first.", "he"),
    ("Her husband, Edward Addison, spoke first.", "he"),
    ("Edward Addison spoke first.", None),            # nothing says
])
def test_the_sex_a_title_or_kinship_word_gives(parse, text, sex):
    (sent,) = parse(text)
    person = next(e for e in sent.ents if e.label_ == "PERSON")
    assert person_sex(person) == sex


def test_a_title_elsewhere_in_the_article_gives_the_sex(parse):
    sentences = parse("Martin Mubanga was held for three years.\n"
                      "Mr Mubanga said he was innocent.")
    person = next(e for e in sentences[0].ents if e.label_ == "PERSON")
    assert person_sex(person) == "he"


@pytest.mark.parametrize("text, pronoun, expected", [
    # a person in its own sentence comes before the subject of the one before
    ("Donald Trump praised the Russian leader on Monday.\n"
     "The object of that praise, Vladimir Putin, has used his invasions of Georgia as a "
     "threat.", "his", "Vladimir Putin"),
    # inside a quotation "he" is not carried from the subject before; outside it is
    ("Robert McAtee, a union official, praised Robert Clarke on Friday.\n"
     "\"He stepped in when no one else would.\"", "he", "Robert Clarke"),
    ("Robert McAtee, a union official, praised Robert Clarke on Friday.\n"
     "He stepped in when no one else would.", "he", "Robert McAtee"),
    # "the company" and its "it" carry the organisation subject before
    ("Kestrel Systems said it will sell software developed by Arden Soft Inc.\n"
     "The company said it also introduced a new printer.", "it", "Kestrel Systems"),
])
def test_which_name_a_pronoun_takes(parse, text, pronoun, expected):
    assert antecedent(_pronoun(parse(text), pronoun)) == expected
