"""Agreements found in wire-style sentences written for these tests."""
from __future__ import annotations

import pytest

from tidings.rules.agreements import find_agreements


def _agreements(parse, text):
    (sent,) = parse(text)
    return find_agreements(sent, None)


@pytest.mark.parametrize("text, agreement_type, status", [
    ("Rosneft and Petrobras agreed an outline deal to develop two fields.", "deal", "agreed"),
    ("The two governments signed a memorandum on energy.", "memorandum", "signed"),
    ("The president threatened to abandon the nuclear accord.", "accord", "threatened"),
    ("Washington withdrew from the arms treaty in 2019.", "treaty", "withdrawn"),
    ("The sanctions were lifted under the 2015 accord.", "accord", "in_force"),
    ("Both sides are negotiating a ceasefire in Cairo.", "ceasefire", "negotiating"),
    ("The ministers plan to create a free trade zone.", "zone", "proposed"),
    ("Parliament rejected the trade pact by 210 votes to 190.", "pact", "rejected"),
    ("The deal appeared to suit both sides.", "deal", "mentioned"),
])
def test_find_agreements_type_and_status(parse, text, agreement_type, status):
    found = {a.agreement_type: a for a in _agreements(parse, text)}
    assert agreement_type in found
    assert found[agreement_type].status == status


def test_find_agreements_parties_and_value(parse):
    (agreement,) = _agreements(
        parse, "Russian oil producer Rosneft and the National Iranian Oil "
               "Company agreed an outline deal worth up to $30 billion.")
    assert agreement.parties == ("Rosneft", "National Iranian Oil Company")
    assert (agreement.value_amount, agreement.value_currency) == (30_000_000_000, "USD")


def test_find_agreements_reads_a_name_tagged_as_a_noun_as_a_party(parse):
    # the tagger takes "Rosneft" for a common noun and the recogniser misses it
    (agreement,) = _agreements(parse, "Rosneft has agreed to merge with Gazprom.")
    assert (agreement.agreement_type, agreement.status) == ("deal", "agreed")
    assert agreement.parties == ("Rosneft", "Gazprom")


def test_find_agreements_parties_from_between(parse):
    (agreement,) = _agreements(
        parse, "Officials discussed a free trade zone between the Eurasian "
               "Economic Union and Iran.")
    assert agreement.parties == ("Eurasian Economic Union", "Iran")


def test_find_agreements_euro_value(parse):
    (agreement,) = _agreements(
        parse, "Siemens signed a contract worth 400 million euros with Egypt.")
    assert (agreement.value_amount, agreement.value_currency) == (400_000_000, "EUR")
    assert "Egypt" in agreement.parties


def test_find_agreements_in_agreement_is_not_an_accord(parse):
    assert _agreements(parse, "The two leaders were in agreement on most points.") == []


def _article_agreements(parse, text):
    """Each sentence's agreements, with the earlier ones as context, as
    ``tag_article`` passes them."""
    earlier, found = [], []
    for sent in parse(text):
        here = find_agreements(sent, None, earlier)
        earlier.extend(here)
        found.append(here)
    return found


def test_a_business_deal_named_again_takes_the_companies_of_its_first_mention(parse):
    """The wire gold gives "the deal" between companies the parties named
    before; ``parties_inherited`` tells a user which."""
    first, second = _article_agreements(
        parse, "Halvorsen Shipping Inc and Calder Group signed a deal to develop two fields.\n"
               "The deal is worth $2 billion.")
    assert first[0].parties == ("Halvorsen Shipping Inc", "Calder Group")
    assert not first[0].parties_inherited
    assert second[0].parties == ("Halvorsen Shipping Inc", "Calder Group")
    assert second[0].parties_inherited


def test_a_deal_told_by_a_buying_verb_is_business_whatever_its_names(parse):
    first, second = _article_agreements(
        parse, "Halvorsen has agreed to buy Calder for $260m.\n"
               "Halvorsen expects approval for the deal in May.")
    assert first[0].parties == ("Halvorsen", "Calder")
    assert second[0].parties == ("Halvorsen", "Calder") and second[0].parties_inherited


def test_a_merger_named_again_takes_the_parties_of_the_merger_noun(parse):
    """A merger is a business deal by its noun, whatever its parties'
    names: the next "the merger" takes them; the noun is its trigger."""
    first, second = _article_agreements(
        parse, "Halvorsen Inc said holders voted on its proposed merger into companies "
               "controlled by John Castell.\n"
               "If the merger is approved, closing is expected next week.")
    assert (first[0].trigger, first[0].trigger_lemma) == ("merger", "merger")
    assert second[0].parties == first[0].parties and second[0].parties_inherited


def test_an_agreement_told_by_a_verb_has_the_verb_for_trigger(parse):
    only, = _article_agreements(parse, "Halvorsen and Calder agreed to cut output.")
    assert (only[0].trigger, only[0].trigger_lemma) == ("agreed", "agree")


def test_a_headline_place_is_not_the_next_sentences_state(parse):
    _, found = _article_agreements(
        parse, "Kestrel meets US bankers\n\n"
               "Maria Lopez signed a deal with Goldman Sachs on Monday.")
    assert found[0].parties == ("Maria Lopez", "Goldman Sachs")


def test_countries_named_as_a_party_do_not_refer_back(parse):
    first, second = _article_agreements(
        parse, "Halvorsen Shipping Inc and Calder Group signed a deal to develop two fields.\n"
               "Both candidates opposed a new trade deal with countries in the region.")
    assert second[0].parties == ("countries",) and not second[0].parties_inherited


def test_an_accord_of_states_named_again_restates_no_parties(parse):
    """"The nuclear deal" after "a deal between Iran and six world powers":
    the PolNeAR and seed gold leave its parties out."""
    first, second = _article_agreements(
        parse, "Iran and six world powers signed a nuclear deal in 2015.\n"
               "Russia opposes any change in the nuclear deal.")
    assert first[0].parties == ("Iran", "six world powers")
    assert second[0].parties == () and not second[0].parties_inherited


def test_an_accord_named_first_with_no_parties_has_none(parse):
    (only,) = _article_agreements(parse, "The deal is worth $2 billion.")
    assert only[0].parties == () and not only[0].parties_inherited


def test_the_two_sides_are_the_parties_named_before(parse):
    first, second = _article_agreements(
        parse, "Officials of Boeing and Airbus met in Geneva on Monday to settle the "
               "subsidy deal between Boeing and Airbus.\n"
               "The two sides agreed to cut subsidies.")
    assert first[0].parties == ("Boeing", "Airbus")
    (agreed,) = second
    assert agreed.parties == ("Boeing", "Airbus") and agreed.parties_inherited


def test_a_numbered_group_other_than_the_parties_before_stays_as_written(parse):
    """"The seven nations" are not the six named in the accord before."""
    first, second = _article_agreements(
        parse, "The United States, Japan, West Germany, France, Britain and Canada "
               "signed an accord in Paris.\n"
               "The seven nations are expected to agree on another way to stabilise "
               "currencies.")
    assert len(first[0].parties) == 6
    (agreed,) = second
    assert agreed.parties == ("The seven nations",) and not agreed.parties_inherited


def test_an_accord_known_by_its_own_name_takes_no_parties_from_before(parse):
    first, second = _article_agreements(
        parse, "Kestrel Foods agreed to buy Arden Mills last year.\n"
               "Mr Halvorsen defended the Anglo-Irish Agreement in Dublin.")
    assert first[0].parties == ("Kestrel Foods", "Arden Mills")
    (named,) = second
    assert named.parties == () and not named.parties_inherited


@pytest.mark.parametrize("second, parties", [
    # envoys whom nothing gives a side talk for both
    ("Negotiators were trying to reach agreement on a joint declaration.",
     ("European Community", "Comecon")),
    ("US negotiators were trying to reach agreement on a joint declaration.",
     ("US negotiators",)),
])
def test_negotiators_of_no_side_are_the_pair_before(parse, second, parties):
    _, found = _article_agreements(
        parse, "The European Community and Comecon ended talks here, delegates said.\n" + second)
    assert found[0].parties == parties


def test_the_two_sides_with_nothing_named_before_stay_as_written(parse):
    (only,) = _article_agreements(parse, "The two sides signed a pact on Friday.")
    assert only[0].parties == ("The two sides",) and not only[0].parties_inherited


def test_places_listed_where_something_happened_are_not_the_two_sides(parse):
    _, found = _article_agreements(
        parse, "Mail workers returned to work in Ottawa, Montreal and Toronto on Monday.\n"
               "The two sides signed a pact on Friday.")
    assert found[0].parties == ("The two sides",)


def test_the_two_sides_are_a_pair_named_just_before(parse):
    """With no agreement before, "the two sides" are the two names joined
    by "and" in the sentence before, not the last two names."""
    *_, last = _article_agreements(
        parse, "The move came as the US and the EU stepped back from a dispute over "
               "subsidies to Airbus and Boeing. Peter Mandelson said on Tuesday that the "
               "two sides had agreed to reopen talks.")
    assert last[0].parties == ("United States", "European Union")
    assert last[0].parties_inherited


def test_a_stake_bought_in_a_company_names_the_company(parse):
    (agreement,) = _agreements(
        parse, "Heineken will buy a 17.5 pct stake in United Breweries for 90 mln dlrs.")
    assert agreement.parties == ("Heineken", "United Breweries")
    assert (agreement.value_amount, agreement.value_currency) == (90_000_000, "USD")


def test_the_two_companies_with_no_earlier_agreement_are_the_last_two_named(parse):
    *_, last = _article_agreements(
        parse, "Shares of General Motors and Fiat rose on Monday.\n"
               "The two companies signed a merger agreement on Friday.")
    assert last[0].parties == ("General Motors", "Fiat") and last[0].parties_inherited


@pytest.mark.parametrize("text, parties", [
    # a pronoun party is the company named before it
    ("Mitsubishi Motors issued a profit warning in January.\n"
     "Last month, it signed a production agreement with Nissan Motor.",
     ("Mitsubishi Motors", "Nissan Motor")),
    # "they" is the plural subject before it
    ("Stet and Thomson said last Thursday they were negotiating an accord.",
     ("Stet", "Thomson")),
    # "the firm" is the company named before it
    ("Shares in Burren Energy rose 5%.\n"
     "The firm signed a contract with Egypt.", ("Burren Energy", "Egypt")),
    # a board acts for its company
    ("Fleet Financial Group said that its board and the board of Norstar Bancorp "
     "have agreed to merge the two bank holding companies.",
     ("Fleet Financial Group", "Norstar Bancorp")),
    # "the merger of X with Y"
    ("Texas Commerce Bancshares said its shareholders approved the merger of the "
     "bank with Chemical New York Corp.",
     ("Texas Commerce Bancshares", "Chemical New York Corp.")),
    # the seller in "a deal to acquire ... from"
    ("Air Deccan has signed a deal to acquire 36 planes from Avions de Transport "
     "Regional (ATR).", ("Air Deccan", "Avions de Transport Regional (ATR)")),
    # buyer and seller of goods bought in a deal, the buyer by its name in apposition
    ("Meanwhile, Ventura's budget airline, Kingfisher Airlines, is to buy 10 A320 "
     "aircraft from Airbus and has the option to buy 20 more aircraft in a deal worth "
     "up to $1.8bn.", ("Kingfisher Airlines", "Airbus")),
    # the subject a raising verb gives: "is reported to have won"
    ("Turkey's Everasia is reported by Reuters to have won a contract to develop "
     "the field.", ("Everasia",)),
    ("G8 ministers are also believed to have agreed to instruct the World Bank to "
     "write off debt.", ("G8 ministers",)),
    # "agreed to demands from X"
    ("The senators agreed to demands from committee members for a moratorium.",
     ("The senators", "committee members")),
    # a merger told by its verb gives its parties to the noun's record
    ("Millennium Alcobev will now be merged with United, which expects post-merger to "
     "have half of the market.", ("Millennium Alcobev", "United")),
    # the buyer in "a buyout by"
    ("Last week, MCI agreed to a buyout by Verizon Communications in a deal valued "
     "at $6.75bn.", ("MCI", "Verizon Communications")),
    # a place before a comma is no leader's state ("U.S. President X" is)
    ("After a walk beside the Forbidden City, Mr. Xi and Mr. Obama sealed their agreement.",
     ("Xi", "Obama")),
    # "it" in what a name reports, and "with X" on the verb that has the noun
    ("So when Halvern signaled last summer that it was going to make a deal with Mr. Dolan, "
     "the union was floored.", ("Halvern", "Dolan")),
    # a state or company that names the accord
    ("Critics attacked the Iran deal on Tuesday.", ("Iran",)),
    # the subject of "be able to reach"
    ("He said the EU would never be able to reach agreement on its finances.",
     ("European Union",)),
    # "a merger into X", a group by the participle that says whose it is
    ("Halvorsen Inc said holders voted on its proposed merger into companies controlled "
     "by businessman John Castell.",
     ("Halvorsen Inc", "companies controlled by businessman John Castell")),
    # two names joined by a hyphen before the accord
    ("The US-China trade deal was signed on Monday.", ("United States", "China")),
    ("Critics feared a Putin-Trump pact.", ("Putin", "Trump")),
    # ... or written as one word, a demonym as its state
    ("Japan broke the U.S.-Japanese semiconductor pact.", ("United States", "Japan")),
    ("The U.S.-Soviet grain agreement expires in 1988.", ("United States", "Soviet Union")),
    # "a deal for X" names X; a sum or goods after "for" are no party
    ("It was a spectacular deal for Patriot, said a professor.", ("Patriot",)),
    ("Boeing won a contract for 10 aircraft.", ("Boeing",)),
    # cities joined before a merger say where the companies are
    ("Ownership of Clearstream was the main stumbling block to a London-Frankfurt merger.",
     ()),
    # the agent of a passive the accord's verb completes
    ("Any agreement had to be led by the two largest emitters, the United States and China.",
     ("United States", "China")),
    ("The accord was signed by Iran and Iraq.", ("Iran", "Iraq")),
])
def test_parties_named_through_the_parse(parse, text, parties):
    *_, last = _article_agreements(parse, text)
    assert last[0].parties == parties


@pytest.mark.parametrize("text, agreement_type, parties", [
    # who judges a deal from outside is no party to it
    ("Clinton now says she opposes the trade deal with Japan.", "deal", ("Japan",)),
    ("Regulators approved the merger of Chemical with Texas Commerce.", "deal",
     ("Chemical", "Texas Commerce")),
    # nor when the sentence is passive
    ("The deal was approved by regulators.", "deal", ()),
    ("The merger was blocked by the European Commission.", "deal", ()),
    ("The truce was brokered by Norway.", "ceasefire", ()),
    # nor whoever flouts it
    ("Country after country flouts that treaty.", "treaty", ()),
])
def test_outsiders_are_not_parties(parse, text, agreement_type, parties):
    found = {a.agreement_type: a for a in _agreements(parse, text)}
    assert found[agreement_type].parties == parties


def test_an_accord_in_apposition_to_a_sum_takes_the_verb_status(parse):
    (agreement,) = _agreements(
        parse, "Eighteen former Enron directors have agreed a $168m (£89m) settlement "
               "deal in a shareholder lawsuit.")
    assert agreement.status == "agreed"
    assert agreement.parties == ("Eighteen former Enron directors",)


def test_another_accord_takes_no_parties_from_before(parse):
    *_, last = _article_agreements(
        parse, "Rosneft and Petrobras signed a deal to develop two fields.\n"
               "Talks on a separate pipeline deal will resume in March.")
    assert last[0].parties == () and not last[0].parties_inherited


def test_a_workforce_bargains_with_the_company_its_phrase_names(parse):
    """A union's contract is with its employer, and a story about it calls
    it "the deal" again."""
    first, second = _article_agreements(
        parse, "A union representing 5,200 flight attendants at bankrupt Kestrel Airways "
               "have agreed to a new contract that cuts pay by 10%.\n"
               "The deal will help the carrier save about $94m.")
    assert (first[0].agreement_type, first[0].status) == ("contract", "agreed")
    assert first[0].parties == ("A union", "Kestrel Airways")
    assert second[0].parties == ("A union", "Kestrel Airways") and second[0].parties_inherited


@pytest.mark.parametrize("text, parties", [
    ("Workers at General Motors ratified a new contract.", ("Workers", "General Motors")),
    ("Workers in Britain agreed to the deal.", ("Workers",)),    # a place is no employer
])
def test_a_workforce_employer_is_an_organisation_in_its_phrase(parse, text, parties):
    (agreement,) = _agreements(parse, text)
    assert agreement.parties == parties


@pytest.mark.parametrize("text, value", [
    ("Rosneft and the National Iranian Oil Company agreed an outline deal to work on "
     "projects in Iran together worth up to $30 billion.", (30_000_000_000, "USD")),
    ("Eighteen former directors have agreed a $168m settlement deal.", (168_000_000, "USD")),
    ("Last week, MCI agreed to a buyout by Verizon in a deal valued at $6.75bn.",
     (6_750_000_000, "USD")),
    ("Heineken will buy a 17.5 pct stake in United Breweries for 90 mln dlrs.",
     (90_000_000, "USD")),
    # sums that belong to something else in the sentence
    ("The deal will help the carrier, which is cutting costs by nearly $1bn a year.",
     (None, None)),
    ("The company failed to respond to his offer for a negotiated agreement at a "
     "minimum price of 44 dlrs a share.", (None, None)),
    ("Under the merger agreement, remaining shareholders will receive 13 dlrs cash "
     "for their shares.", (None, None)),
])
def test_the_value_is_the_sum_the_accord_is_worth(parse, text, value):
    found = _agreements(parse, text)
    assert [(a.value_amount, a.value_currency) for a in found] == [value]


def test_a_back_reference_that_leads_back_to_itself_is_read_as_written(parse):
    """"the central bank" whose antecedent resolves back to it once sent a
    Reuters story into endless recursion (an errors row)."""
    *_, last = _article_agreements(
        parse, "Halvor Oil had nine billion kroner in a trust fund in the Central Bank of "
               "Norland (BCN) and placed in government bonds.\n"
               "According to a contract between Halvor Oil and the central bank, the BCN "
               "must provide cash as the industry requires.")
    assert last[0].parties == ("Halvor Oil", "the central bank")


@pytest.mark.parametrize("text, agreement_type, parties", [
    # backing a deal from outside makes no party of it
    ("The merger, backed by the Russian authorities, will let foreigners trade in shares.",
     "deal", ()),
    ("The deal was supported by regulators.", "deal", ()),
])
def test_backers_are_not_parties(parse, text, agreement_type, parties):
    found = {a.agreement_type: a for a in _agreements(parse, text)}
    assert found[agreement_type].parties == parties


def test_where_a_company_is_is_no_party(parse):
    (agreement,) = _agreements(
        parse, "Sheldahl Inc said it signed the previously announced agreements with "
               "Sumitomo Bakelite Co Ltd, Tokyo, Japan, for a joint program.")
    # the verb says how far the accord got since it was announced
    assert agreement.status == "signed"
    assert agreement.parties == ("Sheldahl Inc", "Sumitomo Bakelite Co Ltd")


def test_a_modifier_says_more_than_announcing(parse):
    (agreement,) = _agreements(parse, "Halvorsen Shipping announced the proposed merger.")
    assert agreement.status == "proposed"


def test_it_after_a_reporting_noun_is_that_noun(parse):
    """"In a filing with the SEC, the group said it bought the stake": the
    group bought it, not the SEC named in the phrase before."""
    *_, last = _article_agreements(
        parse, "Halvorsen Capital Ltd said it holds 5.3 pct of Calder Industries Inc.\n"
               "In a filing with the Securities and Exchange Commission, the group said "
               "it bought the stake for investment purposes.")
    assert last[0].parties[0] == "Halvorsen Capital Ltd"


def test_a_with_phrase_of_what_is_bought_names_no_party(parse):
    (agreement,) = _agreements(
        parse, "Halvorsen would continue seeking acquisitions of daily newspapers with "
               "circulation under 25,000 readers.")
    assert "circulation" not in agreement.parties


@pytest.mark.parametrize("text, status", [
    ("Halvorsen Inc said it has agreed to terminate the proposed acquisition of Calder Corp.",
     "withdrawn"),
    ("Halvorsen's shareholders have approved the proposed merger with Calder Corp.", "agreed"),
    ("Regulators were asked to consider blocking the planned acquisition of Calder Corp.",
     "proposed"),
])
def test_the_verb_done_to_an_accord_says_more_than_its_participle(parse, text, status):
    found = _agreements(parse, text)
    assert [a.status for a in found if a.agreement_type == "deal"] == [status]


def test_it_in_what_a_state_or_company_reports(parse):
    """"it" in what a state or company reports is that state or company,
    never a dateline's city."""
    (agreement,) = _agreements(parse, "The U.S. has said it will not agree to any coffee quotas.")
    assert agreement.parties == ("United States",)
    (agreement,) = _agreements(
        parse, "VANCOUVER, British Columbia, March 11 - Halvorsen Mines Ltd said it agreed "
               "to sell 6.6 mln shares to Calder Development Ltd for 37.1 mln dlrs.")
    assert "VANCOUVER" not in agreement.parties and "Calder Development Ltd" in agreement.parties
    # a ticker stands for the name before it; a person reporting is no "it"
    (agreement,) = _agreements(
        parse, "Halvorsen Holdings Ltd <HALV.S> said it has agreed to acquire an 80 pct stake "
               "in Calder Petroleum Corp for 90.8 mln dlrs.")
    assert agreement.parties == ("Halvorsen Holdings Ltd", "Calder Petroleum Corp")
    assert all(a.parties == () for a in _agreements(
        parse, "But he said it is possible to reach agreement on a new contract."))


def test_a_merger_whose_with_shares_its_object(parse):
    """"merge with and become a subsidiary of X": X is the other party, and
    "the merger agreement" named again is theirs."""
    first, second = _article_agreements(
        parse, "Halvorsen Corp said its shareholders approved a plan to merge with and become "
               "a wholly owned subsidiary of privately held Calder Industries Inc.\n"
               "Under the merger agreement, remaining shareholders will receive 13 dlrs a share.")
    assert first[0].parties == ("Halvorsen Corp", "Calder Industries Inc.")
    assert second[0].parties == ("Halvorsen Corp", "Calder Industries Inc.")


@pytest.mark.parametrize("text, status", [
    # a convention is a treaty when named, ratified, used or of something
    ("Britain ratified the convention in 1998.", "in_force"),
    ("The convention on climate change was signed in 1992.", "signed"),
    ("The government could not pick and choose when to use the convention, he said.",
     "mentioned"),
    # a convention as a rule set: what it requires, who drafted or approved it
    ("The convention requires that lead managers draw up a prospectus.", "mentioned"),
    ("The convention, which was approved by banks earlier this month, replaces an earlier one.",
     "agreed"),
])
def test_a_convention_told_as_a_treaty(parse, text, status):
    assert [(a.agreement_type, a.status) for a in _agreements(parse, text)] == [
        ("treaty", status)]


def test_who_signed_is_the_noun_its_clause_describes(parse):
    found = {a.agreement_type: a for a in _agreements(
        parse, "Halvorsen Corp, which signed the deal with Calder Inc last year, said profits "
               "rose.")}
    assert (found["deal"].status, found["deal"].parties) == ("signed",
                                                             ("Halvorsen Corp", "Calder Inc"))


@pytest.mark.parametrize("text, status", [
    # entering into, extending or renewing an accord is agreeing to it
    ("Halvorsen Corp has entered into an agreement with Calder Inc to market its drugs.",
     "agreed"),
    ("Halvorsen Corp and Calder AG extended an agreement under which Calder sells printers.",
     "agreed"),
    # entering into force is taking effect
    ("The treaty entered into force in 1994.", "in_force"),
    # extending a bid still bids
    ("Tesco Plc said it was extending its 151 mln stg contested bid for Hillards Plc until May 1.",
     "proposed"),
])
def test_entering_into_an_accord(parse, text, status):
    assert [a.status for a in _agreements(parse, text)] == [status]


def test_an_unrecognised_name_keeps_every_word_compounded_to_it(parse):
    """A name the recogniser left unlabelled keeps the proper nouns
    compounded to its compounds ("Gynex" to "Laboratories" to "Inc")."""
    (sent,) = parse("Qwyx Vandelar Laboratories Inc signed an agreement with Calder Inc.")
    sent.doc.ents = []      # as where the recogniser did not run on the sentence
    (agreement,) = find_agreements(sent, None)
    assert agreement.parties[0] == "Qwyx Vandelar Laboratories Inc"
