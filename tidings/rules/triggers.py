"""The words that name events: verb and noun triggers by event type, and
the objects, modifiers and targets that decide a trigger's type
(``tidings.rules.events`` applies them)."""
from __future__ import annotations


ACCORDS = {"deal", "agreement", "accord", "treaty", "pact", "ceasefire",
            "truce", "contract", "memorandum", "merger", "buyout", "takeover",
            "acquisition", "settlement"}
VERB_TRIGGERS = {
    "meet": "MEET", "attend": "MEET", "host": "MEET", "convene": "MEET",
    "negotiate": "MEET",
    "visit": "VISIT", "tour": "VISIT",
    "attack": "ATTACK", "strike": "ATTACK", "bomb": "ATTACK", "kill": "ATTACK",
    "shell": "ATTACK", "invade": "ATTACK", "target": "ATTACK", "shoot": "ATTACK",
    "blow": "ATTACK", "raid": "ATTACK", "retake": "ATTACK", "hack": "ATTACK",
    "threaten": "THREATEN",
    "accuse": "ACCUSE", "charge": "ACCUSE",
    "sanction": "SANCTION", "reimpose": "SANCTION", "impose": "SANCTION",
    "lift": "SANCTION",
    "agree": "COOPERATE", "cooperate": "COOPERATE", "seal": "COOPERATE",
    "reach": "COOPERATE", "clinch": "COOPERATE", "extract": "COOPERATE",
    "broker": "COOPERATE",
    "send": "AID", "supply": "AID", "donate": "AID", "deploy": "AID",
    "protest": "PROTEST", "demonstrate": "PROTEST", "march": "PROTEST",
    "rally": "PROTEST",
    "elect": "ELECT",
    "arrest": "ARREST", "detain": "ARREST", "jail": "ARREST",
    "sign": "SIGN", "ratify": "SIGN", "win": "COOPERATE", "award": "COOPERATE",
    "decertify": "OTHER", "de-certify": "OTHER", "withdraw": "OTHER",
    # conflict and coercion beyond the words above
    "clash": "ATTACK", "ambush": "ATTACK", "storm": "ATTACK", "assassinate": "ATTACK",
    "wound": "ATTACK", "massacre": "ATTACK", "kidnap": "ATTACK", "abduct": "ATTACK",
    "torch": "ATTACK", "seize": "ATTACK", "capture": "ATTACK", "exchange": "ATTACK",
    "open": "ATTACK", "fire": "ATTACK",
    "ban": "SANCTION", "embargo": "SANCTION", "expel": "SANCTION", "freeze": "SANCTION",
    "riot": "PROTEST", "picket": "PROTEST", "boycott": "PROTEST", "block": "PROTEST",
    "blockade": "PROTEST",
    "grant": "AID", "provide": "AID", "pledge": "AID", "lend": "AID", "give": "AID",
    "approve": "AID",
}
NOUN_TRIGGERS = {
    "meeting": "MEET", "talks": "MEET", "summit": "MEET", "conference": "MEET",
    "congress": "MEET", "negotiations": "MEET", "negotiation": "MEET",
    "visit": "VISIT", "trip": "VISIT", "tour": "VISIT",
    "attack": "ATTACK", "strike": "ATTACK", "airstrike": "ATTACK",
    "bombing": "ATTACK", "intervention": "ATTACK", "offensive": "ATTACK",
    "invasion": "ATTACK", "campaign": "ATTACK",
    "protest": "PROTEST", "demonstration": "PROTEST",
    "rally": "OTHER", "debate": "OTHER",
    "arrest": "ARREST", "signing": "SIGN",
}
# Nouns that name a happening only when the sentence pins it down: whose,
# of what or when ("the FBI's investigation of Thiokol", "Blunkett's
# resignation", "the walkout on Monday"); "an investigation would help" is
# not one.
SPECIFIC_NOUN_TRIGGERS = {
    "discussion": "MEET", "discussions": "MEET",
    "investigation": "OTHER", "inquiry": "OTHER", "probe": "OTHER",
    "resignation": "OTHER", "appointment": "OTHER", "ruling": "OTHER",
    "acquisition": "OTHER", "takeover": "OTHER", "merger": "OTHER",
    "auction": "OTHER", "closure": "OTHER", "closures": "OTHER",
    "approval": "OTHER", "collapse": "OTHER", "launch": "OTHER",
    "discovery": "OTHER", "flotation": "OTHER", "delivery": "OTHER", "deliveries": "OTHER",
    "walkout": "PROTEST", "raid": "ATTACK", "clash": "ATTACK", "clashes": "ATTACK",
    "shelling": "ATTACK", "killing": "ATTACK", "killings": "ATTACK",
    "embargo": "SANCTION", "tariffs": "SANCTION", "detention": "ARREST",
    "expulsion": "SANCTION", "election": "ELECT", "interview": "OTHER",
    "fighting": "ATTACK", "ambush": "ATTACK", "riot": "PROTEST", "riots": "PROTEST",
    "boycott": "PROTEST",
}
# Objects that make a generic verb an event of a type: "lifted sanctions".
NEEDS_OBJECT = {
    "lift": {"sanction", "these", "they", "embargo", "restriction"},
    "impose": {"sanction", "embargo", "tariff", "restriction"},
    "send": {"advisor", "adviser", "troop", "aid", "weapon", "force", "soldier",
             "jet", "ship", "arm"},
    "supply": {"weapon", "arm", "aid", "missile"},
    "donate": {"aid", "food", "medicine", "supply", "vaccine", "weapon"},
    "deploy": {"troop", "force", "soldier", "missile", "advisor", "adviser"},
    "agree": ACCORDS, "seal": ACCORDS, "reach": ACCORDS, "clinch": ACCORDS,
    "extract": ACCORDS, "broker": ACCORDS,
    "negotiate": ACCORDS,
    "target": {"militant", "rebel", "fighter", "position", "group", "base",
               "system", "network", "server"},
    "blow": {"airliner", "plane", "bridge", "building", "car", "bus"},
    "host": {"summit", "meeting", "talks", "conference"},
    "attend": {"summit", "meeting", "talks", "conference", "opening", "ceremony"},
    "strike": {"group", "target", "base", "position", "militant", "rebel"},
    "ratify": ACCORDS | {"convention", "protocol", "these", "it"},
    "win": {"contract", "deal", "order", "tender", "concession", "licence", "license"},
    "award": {"contract", "deal", "order", "tender", "concession", "licence", "license"},
    # seizing or capturing a place or a force is an attack; not "seized the moment"
    "seize": {"town", "city", "village", "territory", "area", "airport", "base", "control",
              "ship", "vessel", "tanker", "building", "crossing", "province", "port",
              "capital", "district", "region", "oilfield", "hill", "bridge", "station",
              "checkpoint", "barracks", "outpost", "post", "headquarters", "palace"},
    "capture": {"town", "city", "village", "territory", "area", "airport", "base", "soldier",
                "fighter", "rebel", "militant", "commander", "province", "capital", "port",
                "district", "region", "hill", "bridge"},
    "exchange": {"fire", "gunfire", "shot"}, "open": {"fire"},
    "fire": set(),      # an attack only at or on someone (events._event_type)
    "torch": {"car", "building", "house", "home", "office", "shop", "vehicle", "embassy"},
    "freeze": {"asset", "account", "fund", "holding"},
    "ban": {"import", "export", "flight", "sale", "trade", "party", "group", "entry",
            "shipment", "product", "travel", "visa", "investment"},
    "embargo": {"import", "export", "oil", "arm", "shipment", "trade"},
    "boycott": {"election", "vote", "talks", "meeting", "product", "summit", "good"},
    # blocking a way is a protest; blocking a takeover is an act of no type
    "block": {"road", "street", "highway", "entrance", "access", "bridge", "port", "railway",
              "rail", "border", "crossing", "traffic", "route", "junction", "gate"},
    "grant": {"aid", "loan", "credit", "assistance", "asylum", "grant", "relief"},
    "provide": {"aid", "assistance", "loan", "credit", "funding", "weapon", "arm", "relief",
                "troop", "equipment"},
    "pledge": {"aid", "assistance", "loan", "credit", "funding", "relief", "troop",
               "dollar", "euro"},
    "lend": {"dollar", "euro", "money", "fund", "billion", "million"},
    "give": {"aid", "assistance", "loan", "credit", "relief"},
    "approve": {"loan", "credit", "aid", "assistance", "grant", "bailout"},
    # expelling a diplomat is a sanction; a member expelled from a party is not
    "expel": {"ambassador", "diplomat", "envoy", "attache", "journalist", "staff",
              "official", "national", "citizen", "migrant", "refugee"},
}
# What stands before a happening or a deal not yet come: "the main stumbling
# block to a merger", "all regulatory hurdles to the merger".
OBSTACLES = frozenset({"block", "obstacle", "hurdle", "barrier", "impediment"})
# "charge" accuses only with a clause ("charges that ..."), not a price.
NEEDS_CLAUSE = {"charge"}
# Words that make an "attack" verbal, not physical: "attacks on Machado".
VERBAL_ATTACK_WORDS = {"media", "political", "personal", "verbal", "rhetorical", "ad",
           "twitter", "campaign"}
# What blows up of itself: "protests which have blown up", "the row blew up".
ERUPTING = frozenset({"protests", "protest", "row", "crisis", "scandal", "dispute", "storm",
                      "which", "that", "it"})
MILITARY_CAMPAIGN = {"air", "military", "bombing", "armed", "ground", "nato", "foreign"}
# "is scheduled to meet", "is due to visit": a happening with its date set.
SCHEDULED = {"scheduled", "due", "set", "slated", "poised"}
# Verbs whose subject is the actor of their object noun: "had talks with",
# "made a visit", "launched an attack".
LIGHT_VERBS = {"have", "hold", "make", "launch", "begin", "start", "conduct", "stage",
                "attend", "host", "open", "resume", "complete", "end", "pay", "carry"}
REPORTING_OBJECT_VERBS = {"describe", "call", "praise", "criticize",
                           "criticise", "welcome", "hail", "condemn"}
