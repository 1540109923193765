"""Claims found in wire-style sentences written for these tests."""
from __future__ import annotations

import pytest

from tidings.rules.claims import find_claims


def _claims(parse, text):
    sentences = parse(text)
    return sentences, find_claims(sentences)


@pytest.mark.parametrize("text, speaker, label, cue, is_direct, channel", [
    ("Finance Minister Clara Voss said on Monday that the budget would be "
     "balanced by 2027.", "Clara Voss", "PERSON", "say", False, None),
    ('"We will not sign a bad deal," Voss told reporters in Berlin.',
     "Voss", "PERSON", "tell", True, None),
    ("The budget cannot be balanced without new taxes, said the official.",
     "the official", "ANONYMOUS", "say", False, None),
    ("An aide to the president said the talks had stalled.",
     "An aide to the president", "ANONYMOUS", "say", False, None),
    ("The foreign ministry warned that the embargo would hurt farmers.",
     "The foreign ministry", "ORG", "warn", False, None),
    ("Chancellor Otto Brandt was quoted as saying the troops would stay.",
     "Otto Brandt", "PERSON", "say", False, None),
    ('"The border stays open," Brandt was quoted as saying by state radio.',
     "Brandt", "PERSON", "say", True, "state radio"),
    ("Local media quoted Brandt as saying that the troops would stay.",
     "Brandt", "PERSON", "say", False, "Local media"),
    ("Prices will rise again next year, according to the central bank.",
     "the central bank", "ORG", "according to", False, None),
    ("The vote was postponed, Senator Ana Ruiz told Reuters.",
     "Ana Ruiz", "PERSON", "tell", False, None),
    ("The plan was criticized by opposition leader Maria Vent as reckless.",
     "Maria Vent", "PERSON", "criticize", False, None),
    ("Reporters were told by the spokesman that the talks had failed.",
     "the spokesman", "ANONYMOUS", "tell", False, None),
    ("Fact-checkers seized on Senator Ted Marsh's claim that crime had doubled.",
     "Ted Marsh", "PERSON", "claim", False, None),
])
def test_find_claims_attributed_sentence(parse, text, speaker, label, cue,
                                         is_direct, channel):
    _, found = _claims(parse, text)
    claims = found[0]
    assert len(claims) == 1
    claim = claims[0]
    assert (claim.speaker, claim.speaker_label, claim.cue, claim.is_direct,
            claim.channel, claim.speaker_inherited) == (
        speaker, label, cue, is_direct, channel, False)
    assert 0 <= claim.confidence <= 1
    assert claim.evidence


def test_find_claims_media_report_becomes_channel(parse):
    text = ("State television reported that President Malik Haddad called the "
            "agreement \"a victory for both peoples\".")
    _, found = _claims(parse, text)
    assert [(c.speaker, c.channel) for c in found[0]] == [
        ("Malik Haddad", "State television")]


def test_find_claims_media_alone_is_speaker(parse):
    _, found = _claims(parse, "The news agency reported that two ships had docked.")
    assert [(c.speaker, c.speaker_label) for c in found[0]] == [
        ("The news agency", "MEDIA")]


@pytest.mark.parametrize("text, speaker, label", [
    ("Mayor Lena Ortiz said the bridge would reopen in May.\n"
     "She added that repairs had cost more than planned.", "Lena Ortiz", "PERSON"),
    # "it" with no speaker before it: the organisation named before
    ("Electronic Mail Corp of America has completed financing arrangements.\n"
     "It also announced its president, J.R. Moman, resigned last Friday.",
     "Electronic Mail Corp of America", "ORG"),
])
def test_find_claims_pronoun_takes_last_named_speaker(parse, text, speaker, label):
    _, found = _claims(parse, text)
    second = found[1][0]
    assert (second.speaker, second.speaker_label, second.speaker_inherited) == (
        speaker, label, True)


def test_find_claims_standalone_quote_inherits_previous_speaker(parse):
    text = ('"We have done what we promised," Ortiz told the council.\n'
            '"Now the city has to pay its share."')
    _, found = _claims(parse, text)
    standalone = found[1][0]
    assert standalone.speaker == "Ortiz"
    assert standalone.speaker_inherited and standalone.is_direct
    assert standalone.cue is None


def test_find_claims_standalone_quote_takes_speaker_named_next(parse):
    text = ("The river port reopened after a month of repairs.\n"
            "We are very relieved ...\n"
            "It means jobs for the whole valley, a harbour official said.")
    _, found = _claims(parse, text)
    assert found[0] == []
    assert [(c.speaker, c.speaker_inherited) for c in found[1]] == [
        ("a harbour official", True)]


def test_find_claims_narration_is_not_a_claim(parse):
    _, found = _claims(parse, "Chile and Norway are major exporters of fish.")
    assert found == [[]]


def test_find_claims_passive_accusation_names_no_speaker(parse):
    _, found = _claims(parse, "The company has been accused of polluting the river.")
    assert found == [[]]


@pytest.mark.parametrize("text", [
    '"An unbalanced quote opens here and never closes, the minister said.',
    "A closing mark without an opening one,\" he said.",
    '“Curly and "straight" marks mixed," she said.',
    '"',
    '""',
    "said.",
])
def test_find_claims_never_crashes_on_odd_quotes(parse, text):
    sentences, found = _claims(parse, text)
    assert len(found) == len(sentences)


def test_find_claims_quotation_running_over_sentences_takes_its_speaker(parse):
    text = ('"We will fight this in court.\n'
            'It is not over.\n'
            'We have the votes," said Senator Jane Holt.')
    _, found = _claims(parse, text)
    assert [[(c.speaker, c.speaker_inherited, c.is_direct) for c in claims]
            for claims in found] == [
        [("Jane Holt", True, True)],
        [("Jane Holt", True, True)],
        [("Jane Holt", False, True)],
    ]


def test_find_claims_quotation_continued_after_its_cue(parse):
    text = ('Governor Ray Tully said: "The budget is balanced.\n'
            'Nobody will pay more tax next year."')
    _, found = _claims(parse, text)
    assert found[0][0].speaker == "Ray Tully"
    assert (found[1][0].speaker, found[1][0].speaker_inherited) == ("Ray Tully", True)


def test_find_claims_typewriter_quotes(parse):
    _, found = _claims(parse, "``The deal is dead,'' the senator said on Friday.")
    (claim,) = found[0]
    assert (claim.speaker, claim.is_direct, claim.content) == (
        "the senator", True, "The deal is dead")


def test_find_claims_headline_colon_attribution(parse):
    _, found = _claims(parse, "Gingrich: Trump Must Pick a Running Mate Soon")
    (claim,) = found[0]
    assert (claim.speaker, claim.cue, claim.evidence) == ("Gingrich", ":", "colon_attribution")


@pytest.mark.parametrize("text", ["Q: Did the agency help you?", "Update: The road is open."])
def test_find_claims_colon_label_is_not_a_speaker(parse, text):
    _, found = _claims(parse, text)
    assert found == [[]]


def test_find_claims_unresolved_pronoun_is_kept(parse):
    _, found = _claims(parse, '"Politics is a tough game," he said.')
    (claim,) = found[0]
    assert (claim.speaker, claim.speaker_label, claim.speaker_inherited) == (
        "he", "PERSON", False)
    assert claim.evidence.endswith("pronoun_unresolved")


def test_find_claims_inverted_subject_after_quote(parse):
    _, found = _claims(parse, '"No wall is going to fix that," said the former drug policy director.')
    assert found[0][0].speaker == "the former drug policy director"


@pytest.mark.parametrize("text, speaker, content", [
    ("Analysts agreed it was still a top-heavy plan.", "Analysts",
     "it was still a top-heavy plan"),
    ("The judge agreed with Ivana Trump that there was no reason to intrude.",
     "The judge", "that there was no reason to intrude"),
    ("Sixty-two percent of Republicans agreed.", "Sixty-two percent of Republicans", None),
])
def test_agreeing_with_a_view_is_a_claim(parse, text, speaker, content):
    _, (claims,) = _claims(parse, text)
    assert [(c.speaker, c.cue, c.content) for c in claims] == [(speaker, "agree", content)]


@pytest.mark.parametrize("text", [
    "The minister agreed to resign.",                               # consent to act
    "Halvorsen and Calder agreed to cut output by a tenth.",         # an agreement
    "The union agreed to a new contract on Monday.",
    "The two sides agreed on a price.",
    "Whilst not a fan of his, I do agree with his comments.",        # an aside
])
def test_agreeing_to_act_or_on_terms_is_no_claim(parse, text):
    _, (claims,) = _claims(parse, text)
    assert [c for c in claims if c.cue == "agree"] == []


@pytest.mark.parametrize("text, speaker, cue", [
    ("A Government Accountability Office report released last year found that the "
     "agency could not be sure where the money came from.",
     "A Government Accountability Office report", "find"),
    ("A new poll shows that the senator remains in a tight race.", "A new poll", "show"),
])
def test_a_documents_finding_is_a_claim(parse, text, speaker, cue):
    _, (claims,) = _claims(parse, text)
    assert [(c.speaker, c.cue) for c in claims] == [(speaker, cue)]


@pytest.mark.parametrize("text", [
    "Police found the body near the river.",            # no document, no proposition
    "The report found its way to the minister.",        # no proposition
])
def test_finding_things_is_no_claim(parse, text):
    _, (claims,) = _claims(parse, text)
    assert claims == []


def test_it_is_never_the_person_who_spoke_before(parse):
    text = ("Mayor Lena Ortiz said the bridge would reopen in May.\n"
            "It said repairs had cost more than planned.")
    _, found = _claims(parse, text)
    assert all(c.speaker != "Lena Ortiz" for c in found[1])


@pytest.mark.parametrize("text, speaker", [
    ("One of the foreign bidders who lost out, steel giant LNM, told BBC News that it "
     "would bid again.", "LNM"),
    ("Chairman and chief executive officer Ben Love said all hurdles had been cleared.",
     "Ben Love"),
])
def test_a_description_with_a_name_in_apposition_speaks_by_the_name(parse, text, speaker):
    _, (claims,) = _claims(parse, text)
    assert [c.speaker for c in claims] == [speaker]


def test_an_ex_word_is_one_word_of_the_speaker(parse):
    _, (claims,) = _claims(parse, "His ex-wife said that she should not have to pay.")
    assert [c.speaker for c in claims] == ["His ex-wife"]
