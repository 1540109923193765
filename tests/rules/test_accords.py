"""Agreements told by verbs (agreeing, buying, merging), and the idioms and
look-alikes that are not agreements, in sentences written for these tests."""
from __future__ import annotations

import pytest

from tidings.rules.agreements import find_agreements


def _agreements(parse, text):
    (sent,) = parse(text)
    return find_agreements(sent, None)


def _fields(agreement):
    return (agreement.agreement_type, agreement.status, agreement.parties,
            agreement.value_amount, agreement.value_currency)


@pytest.mark.parametrize("text, expected", [
    ("Halvorsen Shipping agreed to buy Nordkyst Ferries for 90 mln dlrs.",
     ("deal", "agreed", ("Halvorsen Shipping", "Nordkyst Ferries"), 90_000_000, "USD")),
    ("Last year Meridian Bank bought Calder Trust.",
     ("deal", "in_force", ("Meridian Bank", "Calder Trust"), None, None)),
    ("The unit was acquired by Ostrava Steel in 2019.",
     ("deal", "in_force", ("Ostrava Steel", "The unit"), None, None)),
    ("Brightwater Mining has agreed to merge with Calloway Resources.",
     ("deal", "agreed", ("Brightwater Mining", "Calloway Resources"), None, None)),
    ("The union agreed with the carmaker to end the strike.",
     ("other", "agreed", ("The union", "the carmaker"), None, None)),
    ("The dock workers agreed to a settlement with the port authority.",
     ("other", "agreed", ("The dock workers", "the port authority"), None, None)),
    ("Finance ministers are trying to agree on new currency targets.",
     ("other", "proposed", ("Finance ministers",), None, None)),
])
def test_verbs_make_agreements_with_their_parties(parse, text, expected):
    (agreement,) = _agreements(parse, text)
    assert _fields(agreement) == expected
    assert agreement.evidence.startswith("verb:")


@pytest.mark.parametrize("text", [
    "The minister agreed to resign after the vote.",             # one person, alone
    "Analysts agreed it was still a costly plan.",                 # an opinion
    "The judge largely agreed with Ms Ferreira.",                  # a view shared
    "The panel agreed with Halvorsen about the winner.",           # a view shared
    "Ms Osei agreed to a 30-minute interview.",                    # an appointment
    "They hope to persuade the mills to agree to pay.",            # not yet asked
    "Kestrel Airlines bought ten new aircraft.",                   # trade, not a deal
    "A three-judge panel agreed with the companies, finding for them.",  # a ruling
    "The appeals court agreed with Halvorsen Shipping.",           # a ruling
    "Only investors who bought shares in the placings will gain.",  # trading, no company
    "The company sold 2 mln shares in a public offering.",          # an offering
    "Japanese importers sold the surplus to domestic crushers.",     # goods
    "We would like to sell 8,000 units in Europe for the year to August.",  # goods, a time
    "ZIM ENERGY TO SELL SHARES PRIVATELY",                          # a headline's offering
    "Volvo Cars and Volvo Trucks were both sold out at year-end.",    # no stock left
    "Clinton made a bid for the presidency.",                       # a bid for a post
    "Jeb Bush ended his bid for the White House on Saturday.",      # and for its seat
    "He took a stake in the outcome.",                              # no company
])
def test_verbs_that_are_not_agreements(parse, text):
    assert _agreements(parse, text) == []


@pytest.mark.parametrize("text", [
    "He has done a good deal of reclamation work.",
    "It is not a big deal for the ministry.",
    "I have a deal for you.",
    "Delegates gathered at the party convention in Denver.",
    # a campaign's convention, named by nothing else, is a gathering
    "A floor fight at the convention could prolong it.",
    "Mr. Manafort said a contested convention might leave the party fractured.",
    "There was more agreement that Europe should spend more.",
    "It is not a done deal yet, he said.",
    "The deal-making president praised his own skills.",
    "Both candidates agree on very little.",
    "There is a broad consensus that rates will rise.",
    "He has a deep understanding of the market.",
    "Moscow and Tehran oppose attempts to dictate a political settlement in Syria.",
    "The settlement of the dispute took years.",
    "The talks are a key to a long-term settlement of the budget crisis.",
])
def test_idioms_and_look_alikes_are_not_agreements(parse, text):
    assert _agreements(parse, text) == []


@pytest.mark.parametrize("text, agreement_type, status", [
    ("Under the agreement signed last July, exports were capped.", "other", "signed"),
    # the record is the head noun's, "agreement", and announcing one is agreeing
    ("The merger agreement was announced on Monday.", "deal", "agreed"),
    ("The merger agreement is worth $2bn.", "deal", "mentioned"),
    # "under" an accord: in force only for what was done under it
    ("Under the merger agreement, holders will receive 13 dlrs a share.", "deal", "mentioned"),
    ("Kestrel lost a $2bn government contract.", "contract", "withdrawn"),
    ("The regulator blocked the takeover of Calder Trust.", "deal", "rejected"),
    ("Negotiators are trying to reach agreement on the draft.", "other", "negotiating"),
    # the lifecycle cues issue 18 lists, as phrases
    ("The company called off the merger on Friday.", "deal", "withdrawn"),
    ("Parliament voted down the deal.", "deal", "rejected"),
    ("The dispute put the trade deal at risk.", "deal", "threatened"),
    ("The deal fell apart in March.", "deal", "withdrawn"),
    ("The merger fell through after the talks.", "deal", "withdrawn"),
    ("Shares fell through the floor after the deal.", "deal", "mentioned"),
    ("Bankers scrambled to keep the deal from falling apart.", "deal", "threatened"),
    # not yet so: a modal or a question before the verb, a condition on "under"
    ("Should the United Kingdom approve the treaty?", "treaty", "proposed"),
    ("The two sides could sign the accord next week.", "accord", "proposed"),
    ("Pending approval, the merger should be closed by May one, he added.", "deal", "agreed"),
    ("If the price of oil is fixed under the deal, it could be very profitable.", "deal",
     "mentioned"),
    # what an accord does is not how it stands
    ("The merger created the largest bank in Texas.", "deal", "mentioned"),
    ("The deal ended a long dispute.", "deal", "mentioned"),
    ("The deal collapsed in March.", "deal", "withdrawn"),
    # an accord flouted is in force
    ("Country after country flouts that treaty.", "treaty", "in_force"),
    # a company's purchase told as part of what it did is done
    ("Kestrel became the largest ammunition maker last year with its 90 mln dlr "
     "acquisition of Arden Arsenals Ltd.", "deal", "in_force"),
    ("Shares rose on news of its acquisition of Arden Corp.", "deal", "mentioned"),
    ("Talks on the arms control agreement resumed in Geneva.", "other", "negotiating"),
    # a settlement between parties is an accord; a political settlement is not
    ("The SEC's settlement with CAM and CFD included penalties.", "other", "mentioned"),
    ("Workers agreed to a settlement that provided for a payment.", "other", "agreed"),
    # a consensus or an understanding reached is an accord
    ("The factions reached a consensus on the new constitution.", "other", "agreed"),
    ("Tokyo and Seoul reached an understanding on the disputed islands.", "other", "agreed"),
])
def test_agreement_nouns_type_and_status(parse, text, agreement_type, status):
    found = {a.agreement_type: a for a in _agreements(parse, text)}
    assert list(found) == [agreement_type]
    assert found[agreement_type].status == status


def test_one_accord_named_twice_is_one_agreement(parse):
    found = _agreements(parse, "The senator called the agreement the worst deal ever made.")
    assert [a.agreement_type for a in found] == ["deal"]


@pytest.mark.parametrize("text, agreement_type, status", [
    ("Such a merger would be complex.", "deal", "proposed"),
    ("We think we are close to a deal.", "deal", "negotiating"),
    ("The unit was sold last year in a deal worth $9bn.", "deal", "in_force"),
    ("The companies expected to complete the agreement in 2006.", "other", "agreed"),
    ("There was now an agreement to end export subsidies.", "other", "agreed"),
    ("There was no agreement on the budget.", "other", "mentioned"),
    ("The deal is expected to be completed by July.", "deal", "agreed"),
    ("The accord is expected to be ratified next month.", "accord", "negotiating"),
    ("If the merger is approved, closing is expected next week.", "deal", "proposed"),
    ("Yamanouchi was likely to end a licensing agreement.", "contract", "threatened"),
    ("He may pull out of the deal.", "deal", "threatened"),
    ("The company failed to respond to his offer for a negotiated agreement.", "deal",
     "proposed"),
    ("It was the main stumbling block to a merger.", "deal", "proposed"),
    ("They will be lifted as Japan keeps to the agreement that it made.", "other", "agreed"),
    ("The firm was sold off, falling into the hands of Rosneft in a deal worth $9bn.",
     "deal", "in_force"),
    ("Patriot signaled that it was going to make a deal with Mr. Clarke.", "deal",
     "proposed"),
    ("Agreement in the Doha talks could help poor nations.", "other", "negotiating"),
    ("Kestrel won a $2bn contract to build the line.", "contract", "agreed"),
    ("All regulatory obstacles to the merger have now been cleared.", "deal", "agreed"),
    ("Our talks this spring will lead to an agreement on tariffs.", "other", "negotiating"),
    # a status noun not yet so: approval still expected, a violation only alleged
    ("Halvorsen expects to get regulatory approval for the merger by June.", "deal",
     "mentioned"),
    ("The union cited an alleged violation of the contract.", "contract", "mentioned"),
    ("The regulator's approval of the merger came on Monday.", "deal", "agreed"),
    # an accord that could not be carried out is withdrawn
    ("Kestrel earned fees from the deal, which could not be carried out in the end.", "deal",
     "withdrawn"),
    # reaching an accord one would (never) be able to reach is still being worked for
    ("He said the bloc would never be able to reach agreement on its budget.", "other",
     "negotiating"),
    ("The two banks were able to reach agreement on Monday.", "other", "agreed"),
    # an accord still to be approved is proposed; one an actor made is agreed
    ("Halvorsen offered a merger agreement to be approved by the Calder board.", "deal",
     "proposed"),
    ("Exports fell under the accord which was signed in May.", "accord", "signed"),
    # a negotiated agreement says how it is made, not how far it got
    ("A negotiated agreement is worth more to shareholders.", "deal", "mentioned"),
    # the lifecycle cues
    ("The treaty comes into force on January 1.", "treaty", "in_force"),
    ("The new accord took effect on Monday.", "accord", "in_force"),
    ("Shareholders rejected the takeover bid by Calder Group.", "deal", "rejected"),
    ("Ministers failed to reach agreement on farm subsidies.", "other", "negotiating"),
    ("The deal is expected to close in the second quarter.", "deal", "agreed"),
])
def test_status_from_the_accords_own_clause(parse, text, agreement_type, status):
    found = {a.agreement_type: a for a in _agreements(parse, text)}
    assert agreement_type in found
    assert found[agreement_type].status == status


@pytest.mark.parametrize("text", [
    "It is easy to agree with him.",                          # a view of a person
    "Even his critics seemed to agree on one thing.",         # seeming to agree
    "I do agree with his comments about the leadership.",     # agreeing with words
    "Weak bonds sent the nearby contract to a discount.",     # a futures contract
    "An early rally sent the index to a new contract high of 306.10.",
    "He started a new venture in London.",                    # a business, not a joint one
    "She was joined in the new venture by a former minister.",   # a person joined in one
    "Transco contract gas costs 2.55 dlrs per mln btu.",          # gas bought by contract
    "The plant hired more contract workers in May.",             # workers hired by one
])
def test_opinions_and_look_alikes_are_not_agreements(parse, text):
    assert _agreements(parse, text) == []


def test_a_company_taking_part_in_a_venture_is_in_an_accord(parse):
    found = _agreements(parse, "Kestrel might participate in the venture with a two pct stake.")
    assert [a.agreement_type for a in found] == ["deal"]


@pytest.mark.parametrize("text, agreement_type, status, parties", [
    ("Fiat and GM formed a joint venture in 2000.", "deal", "agreed", ("Fiat", "GM")),
    # a relative clause's "which" is the company it follows
    ("A similar approach exists for Polychrome Corp, which was acquired by Dainippon "
     "several years ago.", "deal", "in_force", ("Dainippon", "Polychrome Corp")),
    # a company the recogniser calls a person is still bought
    ("Last year, GE bought Vivendi Universal, merging it with NBC.", "deal", "in_force",
     ("GE", "Vivendi Universal")),
    # what befalls a bid is its status; the bid's owner is the buyer
    ("The regulator last month blocked Ferrand's bid to acquire Calder Trust.", "deal",
     "rejected", ("Ferrand", "Calder Trust")),
    # the noun says nothing of its standing ("post-merger"): the merging verb does
    ("Kestrel Foods will now be merged with Arden Mills, which expects post-merger to have "
     "half the market.", "deal", "agreed", ("Kestrel Foods", "Arden Mills")),
    # a title is no accord, but a Memorandum of Understanding is one
    ("Kestrel Power and Arden Gas signed a Memorandum of Understanding on Tuesday.",
     "memorandum", "signed", ("Kestrel Power", "Arden Gas")),
    # shares of a company named before them, or in a phrase the parser hangs on the verb
    ("Soros said his group bought 498,800 King World common shares in March.", "deal",
     "in_force", ("his group", "King World")),
    ("Heineken bought shares in United Breweries.", "deal", "in_force",
     ("Heineken", "United Breweries")),
    # a company sold: seller and buyer; an agreement to sell is a deal
    ("Colt Industries sold its Woodville unit to Dowty Group PLC.", "deal", "in_force",
     ("Colt Industries", "Dowty Group PLC")),
    ("Kestrel Foods agreed to sell its bakery division to Arden Mills for 20 mln dlrs.",
     "deal", "agreed", ("Kestrel Foods", "Arden Mills")),
    ("Colt Industries Inc signed an agreement to sell its Woodville subsidiary to the "
     "Dowty Group PLC for 35.9 mln stg.", "deal", "signed",
     ("Colt Industries Inc", "Dowty Group PLC")),
    # the buyer as the indirect object, or hung on what was sold
    ("Kestrel Foods had sold Arden Mills a stake in 2000.", "deal", "in_force",
     ("Kestrel Foods", "Arden Mills")),
    ("Kestrel Foods sold a 20 pct stake to Arden Mills.", "deal", "in_force",
     ("Kestrel Foods", "Arden Mills")),
    # a plan to merge, approved for the company by its shareholders or board
    ("Kestrel Corp said its shareholders approved a plan to merge with Arden Mills Inc.",
     "deal", "proposed", ("Kestrel Corp", "Arden Mills Inc.")),
    ("Kestrel's board approved a plan to merge with Arden Mills.", "deal", "proposed",
     ("Kestrel", "Arden Mills")),
    # a bid for a company is a deal proposed; a stake taken in one is bought
    ("Pfizer made a $160 billion bid for Allergan.", "deal", "proposed",
     ("Pfizer", "Allergan")),
    ("Kraft launched a hostile bid for Cadbury Schweppes Plc.", "deal", "proposed",
     ("Kraft", "Cadbury Schweppes Plc")),
    ("Nissan took a 34 pct stake in Mitsubishi Motors.", "deal", "in_force",
     ("Nissan", "Mitsubishi Motors")),
    # a gerund subject of what a company says is the company's act
    ("Standard Chartered said acquiring Korea First Bank fulfilled a strategic objective.",
     "deal", "in_force", ("Standard Chartered", "Korea First Bank")),
])
def test_ventures_and_purchases(parse, text, agreement_type, status, parties):
    found = {a.agreement_type: a for a in _agreements(parse, text)}
    assert (found[agreement_type].status, found[agreement_type].parties) == (status, parties)


@pytest.mark.parametrize("text", [
    "The judge agreed with Ivana Trump that there was no reason to intrude.",
    "A panel of writers all agreed Pence won the debate.",
    "Writing for a newspaper panel that all agreed Obama won the debate, the columnist "
    "noted his poise.",
])
def test_agreeing_that_something_is_so_is_a_view(parse, text):
    assert [a for a in _agreements(parse, text) if a.agreement_type == "other"] == []


@pytest.mark.parametrize("text", [
    "The minister will reverse his plan to merge the six Scottish regiments.",
    "Kestrel Foods sold the surplus to crushers.",
])
def test_merging_or_selling_what_is_no_company_is_no_deal(parse, text):
    assert _agreements(parse, text) == []


def test_agreeing_with_a_party_to_act_is_an_agreement(parse):
    found = _agreements(parse, "The union agreed with the company that it would end the strike.")
    assert [a.agreement_type for a in found] == ["other"]


def test_named_parties_agreeing_that_is_their_joint_position(parse):
    found = _agreements(parse, "Germany and France agreed that the euro must be defended.")
    assert [(a.agreement_type, a.parties) for a in found] == [("other", ("Germany", "France"))]


@pytest.mark.parametrize("text, parties", [
    ("The EU said it will start accession talks with Croatia in April.",
     ("European Union", "Croatia")),
    ("Trade negotiations between Japan and Korea resumed on Monday.", ("Japan", "Korea")),
])
def test_talks_on_an_accord_are_one_being_negotiated(parse, text, parties):
    (agreement,) = _agreements(parse, text)
    assert _fields(agreement) == ("other", "negotiating", parties, None, None)
    assert agreement.evidence.startswith("talks:")


def test_talks_on_no_accord_are_a_meeting_only(parse):
    assert _agreements(parse, "Ms Druyun had talks with Mr Sears about working for Kestrel.") == []


@pytest.mark.parametrize("text, expected", [
    ("The union began contract talks with GM.",
     ("contract", "negotiating", ("The union", "GM"), None, None)),
    ("Merger talks between Halvorsen Shipping and Calder Trust resumed.",
     ("deal", "negotiating", ("Halvorsen Shipping", "Calder Trust"), None, None)),
    ("Officials said GM violated contract provisions on safety.",
     ("contract", "mentioned", (), None, None)),
])
def test_an_accord_compounded_to_talks_or_its_terms(parse, text, expected):
    (agreement,) = _agreements(parse, text)
    assert _fields(agreement) == expected


@pytest.mark.parametrize("text, status, parties", [
    ("States hurt by Nafta's unraveling joined the case.", "mentioned", ()),
    ("Mexico and Canada renegotiated NAFTA in 2018.", "negotiating", ("Mexico", "Canada")),
])
def test_accords_known_by_their_acronyms(parse, text, status, parties):
    (agreement,) = _agreements(parse, text)
    assert _fields(agreement) == ("other", status, parties, None, None)


@pytest.mark.parametrize("text, parties", [
    # a numbered group is a party, not a phrase that refers back
    ("Eighteen investment firms agreed the compensation package with the regulator.",
     ("Eighteen investment firms", "the regulator")),
    ("He was seeking memorandums of understanding between overseas governments and Britain.",
     ("overseas governments", "United Kingdom")),
    # a share of a company bought names the company
    ("The firm announced a deal to buy 26% of Indian firm Hindustan Oil Exploration.",
     ("The firm", "Hindustan Oil Exploration")),
    # the subject raised through "was likely to"
    ("The report said Yamanouchi Pharmaceutical was likely to end a licensing agreement.",
     ("Yamanouchi Pharmaceutical",)),
    # a government contract has the government as a party
    ("Kestrel lost a $2bn government contract after an inquiry.", ("Kestrel", "government")),
    # the agent of the accord's own participle, and the seller "from X"
    ("It was in the spirit of the agreement reached by six industrial nations in Paris.",
     ("six industrial nations",)),
    ("SNC grew with its acquisition of Halvorsen Arms Ltd from the Canadian government.",
     ("SNC", "Halvorsen Arms Ltd", "Canadian government")),
])
def test_parties_from_the_accords_phrase(parse, text, parties):
    found = _agreements(parse, text)
    assert parties in {a.parties for a in found}, [a.parties for a in found]


@pytest.mark.parametrize("text, parties", [
    # an accord's own name and the city it is named after are no parties
    ("Adrian Hilton suggested the signing of the Maastricht Treaty was an act of treason.", ()),
    ("He said it was time for major nations to act under the Paris accord.", ()),
    # a gerund in a phrase takes the clause's subject
    ("Putin suggested that China's National Petroleum Corporation could play a role after "
     "signing a commercial agreement with Gazprom.",
     ("National Petroleum Corporation", "Gazprom")),
    # the company reporting an accord of its own with the one named
    ("Phytopharm said Japan's Yamanouchi Pharmaceutical was likely to end a licensing "
     "agreement.", ("Phytopharm", "Yamanouchi Pharmaceutical")),
])
def test_parties_are_who_agreed_not_what_or_where(parse, text, parties):
    (agreement,) = _agreements(parse, text)
    assert agreement.parties == parties


@pytest.mark.parametrize("text, parties", [
    # the deal verb's buyer and target complete the noun's one party
    ("Diageo, the spirits company, has agreed to buy wine company Chalone for $260m in an "
     "all-cash deal.", ("Diageo", "Chalone")),
    # the subject of the accord's relative clause made it
    ("The 1951 Refugee Convention, which most nations signed, obliges countries to help.",
     ("most nations",)),
    # whom an agreed act is done for
    ("In the end, Patriot agreed to effectively lend Mr. Clarke $5 million.",
     ("Patriot", "Clarke")),
    ("Russia agreed to supply gas to Ukraine through 2030.", ("Russia", "Ukraine")),
])
def test_parties_from_the_verbs_around_the_accord(parse, text, parties):
    found = _agreements(parse, text)
    assert parties in {a.parties for a in found}, [a.parties for a in found]


def test_a_possessive_apostrophe_is_not_part_of_a_party(parse):
    (agreement,) = _agreements(parse, "Allied-Lyons' acquisition of Hiram Walker was "
                                      "completed in May.")
    assert "Allied-Lyons'" not in agreement.parties


def test_talks_to_buy_are_a_deal_being_negotiated_by_who_holds_them(parse):
    (deal,) = _agreements(parse, "Ford is in talks to buy a stake in Mazda.")
    assert _fields(deal) == ("deal", "negotiating", ("Ford", "Mazda"), None, None)


def test_buying_back_its_own_shares_is_no_deal(parse):
    assert _agreements(parse, "The board approved a plan to buy back 10 pct of its shares.") == []


def test_a_bid_for_a_company_names_it(parse):
    (bid,) = _agreements(parse, "Calder Group launched a takeover bid for Halvorsen Shipping.")
    assert _fields(bid) == ("deal", "proposed", ("Calder Group", "Halvorsen Shipping"),
                            None, None)
