"""Money, dates, quotation marks and datelines."""
from __future__ import annotations

import datetime

import pytest

from tidings.nlp.model import find_dateline, mask_dateline
from tidings.rules import dates, language, money


PUBLISHED = datetime.date(2017, 11, 2)  # a Thursday


@pytest.mark.parametrize("text, expected", [
    ("up to $30 billion", (30_000_000_000, "USD")),
    ("$2.5 billion", (2_500_000_000, "USD")),
    ("€400 million", (400_000_000, "EUR")),
    ("400 million euros", (400_000_000, "EUR")),
    ("£1.2bn", (1_200_000_000, "GBP")),
    ("US$75 mln", (75_000_000, "USD")),
    ("3 trillion yen", (3_000_000_000_000, "JPY")),
    ("12,500 dollars", (12_500, "USD")),
    ("500 million roubles", (500_000_000, "RUB")),
])
def test_parse_money_amount_and_currency(text, expected):
    assert money.parse_money(text) == expected


@pytest.mark.parametrize("text", ["30 billion", "a large sum", "5 m"])
def test_parse_money_without_currency_is_none(text):
    assert money.parse_money(text) is None


@pytest.mark.parametrize("text, future, expected", [
    ("on Wednesday", False, (datetime.date(2017, 11, 1), "day")),
    ("Thursday", False, (datetime.date(2017, 11, 2), "day")),
    ("on Monday", True, (datetime.date(2017, 11, 6), "day")),
    ("Nov. 18", False, (datetime.date(2017, 11, 18), "day")),
    ("on November 23", False, (datetime.date(2017, 11, 23), "day")),
    ("Oct. 13", False, (datetime.date(2017, 10, 13), "day")),
    ("18 November 2016", False, (datetime.date(2016, 11, 18), "day")),
    ("last month", False, (datetime.date(2017, 10, 1), "month")),
    ("last week", False, (datetime.date(2017, 10, 23), "week")),
    ("yesterday", False, (datetime.date(2017, 11, 1), "day")),
    ("in 2015", False, (datetime.date(2015, 1, 1), "year")),
    ("March 2016", False, (datetime.date(2016, 3, 1), "month")),
])
def test_resolve_date_against_publication(text, future, expected):
    date, precision, reason = dates.resolve_date(text, PUBLISHED, future=future)
    assert (date, precision) == expected
    assert reason is None


def test_resolve_date_december_in_january_article_is_last_year():
    date, _, _ = dates.resolve_date("Dec. 30", datetime.date(2018, 1, 4))
    assert date == datetime.date(2017, 12, 30)


@pytest.mark.parametrize("text", ["on Wednesday", "Nov. 18", "last month"])
def test_resolve_date_without_publication_date_says_why(text):
    date, precision, reason = dates.resolve_date(text, None)
    assert date is None and precision is None
    assert "publication date" in reason


@pytest.mark.parametrize("text, expected", [
    ("ten years", True), ("decades", True), ("weekly", True), ("a month", True),
    ("last week", False), ("Nov. 18", False), ("2015", False),
])
def test_is_duration(text, expected):
    assert dates.is_duration(text) is expected


@pytest.mark.parametrize("text, spans, starts_inside, ends_inside", [
    ('"Yes," he said.', [(1, 5)], False, False),
    ("“Curly” and \"straight\"", [(1, 6), (13, 21)], False, False),
    ('"never closed', [(1, 13)], False, True),
    ('closed here," he said.', [(0, 12)], True, False),
    ("``Typewriter,'' he said.", [(2, 13)], False, False),
    ("no quotes", [], False, False),
])
def test_quote_scan(text, spans, starts_inside, ends_inside):
    assert language.quote_scan(text) == (spans, starts_inside, ends_inside)
    assert language.quoted_spans(text) == spans


@pytest.mark.parametrize("text, location, agency", [
    ("TEHRAN (Reuters) - Iran said...", "TEHRAN", "Reuters"),
    ("WASHINGTON (AFP) – The Senate...", "WASHINGTON", "AFP"),
    ("NEW YORK - Stocks fell...", "NEW YORK", None),
    ("LIMA, Peru (Tidings Wire) - Miners...", "LIMA, Peru", "Tidings Wire"),
    # Reuters 1987: a headline, a blank line, and the date in the dateline
    ("KESTREL <KST> SELLS BONDS\n\nNEW YORK, March 5 - Kestrel Co is raising...",
     "NEW YORK", None),
    ("CLEVELAND, Feb 26 - Standard Oil Co said...", "CLEVELAND", None),
])
def test_find_dateline(text, location, agency):
    dateline = find_dateline(text)
    assert (dateline.location, dateline.agency) == (location, agency)


def test_find_dateline_ignores_ordinary_first_sentence():
    assert find_dateline("Iran's supreme leader has praised Moscow.") is None


def test_mask_dateline_keeps_length_and_offsets():
    text = "TEHRAN (Reuters) - Iran said so."
    masked, dateline = mask_dateline(text)
    assert len(masked) == len(text)
    assert masked[dateline.end:] == text[dateline.end:] == "Iran said so."
    assert masked[:dateline.end].strip() == ""


def test_entity_at_is_the_entity_holding_the_token(nlp, examples_dir):
    for path in sorted((examples_dir / "articles").iterdir()):
        doc = nlp(path.read_text(encoding="utf-8"))
        assert doc.ents
        holding = {t.i: ent for ent in doc.ents for t in ent}
        for token in doc:
            found = language.entity_at(token)
            if token.i not in holding:
                assert found is None
            else:
                ent = holding[token.i]
                assert (found.start, found.end, found.label_) == (ent.start, ent.end, ent.label_)


@pytest.mark.parametrize("text, placed", [
    ("on Friday", True), ("Nov. 18", True), ("in 2003", True), ("last month", True),
    ("earlier today", True), ("20 years ago", True), ("mid-February", True),
    ("43", False), ("40-year-old", False), ("90 minutes", False), ("ten years", False),
    ("annual", False), ("spring", False), ("night", False), ("minutes", False),
])
def test_time_expressions_place_a_happening_ages_and_durations_do_not(text, placed):
    assert dates.is_time_expression(text) is placed


def test_unlisted_name_is_a_capitalised_noun_that_is_no_english_word(parse):
    (sent,) = parse("Rosneft has agreed to merge with Gazprom, Workers said.")
    words = {t.text: t for t in sent}
    assert words["Rosneft"].pos_ == "NOUN"       # the tagger's reading the rule corrects
    assert language.unlisted_name(words["Rosneft"])
    assert not language.unlisted_name(words["Workers"])    # a word, plural
    assert not language.unlisted_name(words["merge"])      # lower case


def test_unlisted_name_needs_the_word_list(parse):
    import spacy
    doc = spacy.blank("en")("Rosneft")
    doc[0].pos_ = "NOUN"
    assert not language.unlisted_name(doc[0])    # no word list: nothing is known
