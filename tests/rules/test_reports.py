"""Events and agreements a claim reports, and those the writer asserts."""
from __future__ import annotations

from tidings.inputs.articles import make_article
from tidings.rules.tagging import tag_article
from tidings.schemas import Agreement, Claim, Event


def _records(nlp, text):
    return tag_article(nlp(text), make_article("a.txt", text))


def test_a_reported_event_points_at_the_claim_that_reports_it(nlp):
    records = _records(nlp, "The spokesman said the two ministers met in Vienna on Monday.\n")
    claim = next(r for r in records if isinstance(r, Claim))
    event = next(r for r in records if isinstance(r, Event))
    assert (event.trigger, event.attribution) == ("met", "reported")
    assert event.reported_by_claim_id == claim.record_id


def test_the_writers_own_event_is_asserted(nlp):
    records = _records(nlp, "The two ministers met in Vienna on Monday.\n")
    event = next(r for r in records if isinstance(r, Event))
    assert (event.attribution, event.reported_by_claim_id) == ("asserted", None)


def test_a_reported_agreement_and_an_event_outside_the_content(nlp):
    records = _records(nlp, "Officials said Norway and Chile signed a shipping deal.\n")
    agreement = next(r for r in records if isinstance(r, Agreement))
    claim = next(r for r in records if isinstance(r, Claim))
    assert agreement.attribution == "reported"
    assert agreement.reported_by_claim_id == claim.record_id
    records = _records(nlp, "After the ministers met on Monday, Lavrov said talks were over.\n")
    met = next(r for r in records if isinstance(r, Event) and r.trigger == "met")
    assert met.attribution == "asserted"
