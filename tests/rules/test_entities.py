"""Entities: names folded to one key, forms of one article grouped, and
the records pointing at them."""
from __future__ import annotations

import datetime

import pytest

from tidings.inputs.articles import make_article
from tidings.rules.entities import entity_key, group_names, looks_like_name
from tidings.rules.tagging import tag_article
from tidings.schemas import Claim, Entity, Event


@pytest.mark.parametrize("forms, key", [
    (["Donald J. Trump", "Donald Trump", "Mr. Donald Trump", "Donald Trump's",
      "President Donald J. Trump"], "donald trump"),
    (["Hassan Rouhani", "Hassan Rohani", "President Hassan Rouhani"], "hassan rouhani"),
    (["Muammar Gaddafi", "Muammar Qaddafi", "Muammar Gadhafi"], "muammar gaddafi"),
    (["the United States", "US", "U.S.", "America"], "united states"),
    (["Société Générale", "Societe Generale"], "societe generale"),
])
def test_spellings_of_one_name_share_a_key(forms, key):
    assert {entity_key(form) for form in forms} == {key}


@pytest.mark.parametrize("one, other", [
    ("John Smith", "Jane Smith"),
    ("Bank of England", "Bank of Japan"),
    ("George Bush", "Jeb Bush"),
])
def test_different_names_keep_different_keys(one, other):
    assert entity_key(one) != entity_key(other)


def test_titles_are_dropped_only_from_people():
    assert entity_key("President Obama", "PERSON") == "obama"
    assert entity_key("General Motors", "ORG") == "general motors"


def test_a_surname_joins_the_one_person_of_the_article_who_has_it():
    groups = group_names([("Hassan Rouhani", "PERSON"), ("Rouhani", "PERSON"),
                          ("Mr. Rouhani", "PERSON")])
    assert groups["rouhani"] is groups["hassan rouhani"]
    assert sorted(groups["rouhani"].forms) == ["Hassan Rouhani", "Mr. Rouhani", "Rouhani"]


def test_a_surname_two_people_share_stays_apart():
    groups = group_names([("John Smith", "PERSON"), ("Jane Smith", "PERSON"),
                          ("Smith", "PERSON")])
    assert groups["smith"] is not groups["john smith"]
    assert groups["smith"] is not groups["jane smith"]


def test_an_organisation_is_not_joined_to_a_person_by_one_word():
    groups = group_names([("Ford", "ORG"), ("Harrison Ford", "PERSON")])
    assert groups["ford"] is not groups["harrison ford"]


@pytest.mark.parametrize("text, name", [
    ("Hassan Rouhani", True), ("Bank of England", True), ("he", False),
    ("the company", False), ("officials", False), ("Azerbaijan's foreign ministry", False),
])
def test_what_is_written_as_a_name(text, name):
    assert looks_like_name(text) is name


def test_records_point_at_the_entities_of_their_article(nlp):
    text = ("President Hassan Rouhani met Angela Merkel in Berlin on Monday, officials said.\n"
            "\"We agreed on a great deal,\" Rouhani told reporters.\n"
            "Merkel said Germany and Iran signed a trade agreement.\n")
    article = make_article("a.txt", text)
    article = article.__class__(**{**article.__dict__,
                                   "published_date": datetime.date(2025, 3, 3)})
    results = tag_article(nlp(text), article)
    entities = {e.entity_id: e for e in results if isinstance(e, Entity)}
    by_name = {e.name: e for e in entities.values()}
    assert by_name["Hassan Rouhani"].entity_key == "hassan rouhani"
    assert set(by_name["Hassan Rouhani"].aliases) >= {"Rouhani"}
    claims = [r for r in results if isinstance(r, Claim)]
    rouhani = next(c for c in claims if c.speaker == "Rouhani")
    assert entities[rouhani.speaker_entity_id].name == "Hassan Rouhani"
    anonymous = next(c for c in claims if c.speaker == "officials")
    assert anonymous.speaker_entity_id is None
    met = next(r for r in results if isinstance(r, Event) and r.trigger == "met")
    assert entities[met.actor_entity_id].name == "Hassan Rouhani"
    assert entities[met.target_entity_id].name == "Angela Merkel"
    assert all(e.article_id == article.article_id for e in entities.values())


def test_an_entity_is_named_by_its_name_not_its_capital(nlp):
    text = ("The EU said on Monday it would start accession talks with Croatia.\n"
            "Brussels said the talks would open in April.\n")
    article = make_article("b.txt", text)
    results = tag_article(nlp(text), article)
    entities = [e for e in results if isinstance(e, Entity) and e.entity_key == "european union"]
    assert [e.name for e in entities] == ["EU"]
    assert set(entities[0].aliases) == {"EU", "Brussels"}


def test_a_description_in_apposition_is_an_alias_not_the_name(nlp):
    text = ("Hassan Rouhani, the Iranian president, met Angela Merkel in Berlin on Monday.\n"
            "The German chancellor, Angela Merkel, said the talks went well.\n")
    article = make_article("c.txt", text)
    results = tag_article(nlp(text), article)
    by_name = {e.name: e for e in results if isinstance(e, Entity)}
    assert "the Iranian president" in by_name["Hassan Rouhani"].aliases
    assert "The German chancellor" in by_name["Angela Merkel"].aliases
    assert by_name["Angela Merkel"].entity_key == "angela merkel"
