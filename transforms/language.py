"""Helpers the claim, event and agreement finders share.

Plain functions over spaCy tokens and spans: phrase extraction, entity
labels, quotation spans, money amounts and dates resolved against an
article's publication date. No Beam here.
"""
from __future__ import annotations

import calendar
import datetime
import math
import re
from typing import Optional

from spacy.tokens import Doc, Span, Token

MODALS = frozenset({"could", "would", "might", "may", "can", "should", "must"})

# Words that make a noun phrase an outlet rather than a speaker of its own.
MEDIA_WORDS = frozenset({
    "tv", "television", "radio", "agency", "agencies", "media", "newspaper",
    "paper", "daily", "broadcaster", "channel", "outlet", "outlets", "press",
    "website", "network", "wire", "news", "times", "post", "journal",
})
KNOWN_MEDIA = frozenset({
    "irna", "isna", "tasnim", "fars", "mehr", "reuters", "ap", "afp", "tass",
    "interfax", "ria", "xinhua", "bbc", "cnn", "fox", "msnbc", "nbc", "cbs",
    "abc", "npr", "politico", "breitbart", "axios", "bloomberg",
    "al jazeera", "the associated press", "associated press", "ria novosti",
    "the new york times", "the washington post", "usa today", "kcna",
    "yonhap", "kyodo", "dpa", "sana", "anadolu",
})
# Nouns for unnamed sources: "an official", "sources", "a diplomat".
ANONYMOUS_NOUNS = frozenset({
    "official", "officials", "source", "sources", "diplomat", "diplomats",
    "aide", "aides", "insider", "insiders", "person", "people", "spokesman",
    "spokeswoman", "spokesperson", "analyst", "analysts", "observer",
    "observers", "witness", "witnesses", "resident", "residents",
    "expert", "experts", "lawmaker", "lawmakers", "adviser", "advisers",
    "advisor", "advisors",
})
# Nouns for bodies that speak as one: "the trade ministry said".
ORG_NOUNS = frozenset({
    "ministry", "government", "department", "office", "agency", "company",
    "party", "union", "council", "committee", "court", "parliament",
    "army", "military", "police", "campaign", "administration", "firm",
    "bank", "commission", "cabinet", "embassy", "group", "organization",
    "organisation", "regulator", "board", "senate", "house", "team",
})
# Role nouns that stand for one person: "Iran's supreme leader".
PERSON_ROLE_NOUNS = frozenset({
    "leader", "president", "minister", "king", "queen", "prince", "premier",
    "chancellor", "governor", "mayor", "senator", "secretary", "chief",
    "ambassador", "pope", "ayatollah", "general", "commander", "director",
    "chairman", "ceo", "candidate", "nominee", "speaker",
})

# How places and demonyms that stand for a state are written as the state.
PARTY_ALIASES = {
    "u.s.": "United States", "us": "United States", "u.s": "United States",
    "america": "United States", "washington": "United States",
    "the united states": "United States", "united states": "United States",
    "american": "United States", "americans": "United States",
    "u.k.": "United Kingdom", "uk": "United Kingdom", "britain": "United Kingdom",
    "london": "United Kingdom", "british": "United Kingdom",
    "tehran": "Iran", "iranian": "Iran", "moscow": "Russia", "russian": "Russia",
    "kremlin": "Russia", "beijing": "China", "chinese": "China",
    "paris": "France", "french": "France", "berlin": "Germany",
    "german": "Germany", "damascus": "Syria", "syrian": "Syria",
    "ankara": "Turkey", "turkish": "Turkey", "kiev": "Ukraine", "kyiv": "Ukraine",
    "ukrainian": "Ukraine", "tokyo": "Japan", "japanese": "Japan",
    "pyongyang": "North Korea", "seoul": "South Korea", "riyadh": "Saudi Arabia",
    "saudi": "Saudi Arabia", "israeli": "Israel", "jerusalem": "Israel",
    "baghdad": "Iraq", "iraqi": "Iraq", "kabul": "Afghanistan",
    "chilean": "Chile", "norwegian": "Norway", "oslo": "Norway",
    "santiago": "Chile", "yerevan": "Armenia", "armenian": "Armenia",
    "baku": "Azerbaijan", "azerbaijani": "Azerbaijan", "peruvian": "Peru",
    "egyptian": "Egypt", "cairo": "Egypt", "indian": "India",
    "new delhi": "India", "mexican": "Mexico", "brazilian": "Brazil",
    "canadian": "Canada", "ottawa": "Canada", "australian": "Australia",
    "canberra": "Australia", "italian": "Italy", "rome": "Italy",
    "spanish": "Spain", "madrid": "Spain", "polish": "Poland",
    "warsaw": "Poland",
    "brussels": "European Union", "eu": "European Union",
    "the european union": "European Union",
}

OPEN_QUOTES = "\"“„«‘'"
CLOSE_QUOTES = "\"”»’'"
# Double quotation marks, including the typewriter pairs `` and '' that
# some newspapers' text uses.
_QUOTE_RE = re.compile(r"``|''|[\"“”„«»]")
QUOTE_MARKS = _QUOTE_RE


_OPENING = "“„«"
_CLOSING = "”»"


def _mark_opens(text: str, i: int) -> bool:
    """Whether the quotation mark at i opens a quotation (else it closes one).

    Curly and angle marks say so themselves; a straight mark opens when it
    follows a space, an opening bracket or dash, or starts the text.
    """
    mark = text[i]
    if mark in _OPENING or text.startswith("``", i):
        return True
    if mark in _CLOSING:
        return False
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-"


def quote_scan(text: str) -> tuple[list[tuple[int, int]], bool, bool]:
    """Quotations in a text, by the direction of each mark.

    Returns (spans inside the marks, whether the text starts inside a
    quotation opened before it, whether it ends inside one left open).
    A closing mark with no opening one before it closes a quotation that
    began before the text; an opening mark never closed runs to the end.
    Never raises.
    """
    spans: list[tuple[int, int]] = []
    starts_inside = False
    start: Optional[int] = None
    for match in _QUOTE_RE.finditer(text):
        i = match.start()
        if _mark_opens(text, i):
            if start is None:
                start = match.end()
            else:                      # two openers: the first was a closer
                spans.append((start, i))
                start = None
        elif start is not None:
            if i > start:
                spans.append((start, i))
            start = None
        elif not spans:
            starts_inside = True
            if i > 0:
                spans.append((0, i))
    ends_inside = start is not None
    if ends_inside and len(text) > start:
        spans.append((start, len(text)))
    return spans, starts_inside, ends_inside


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the quotations in a text.

    Straight, curly and angle marks are read by direction (see
    ``quote_scan``): an unbalanced opening mark runs to the end of the
    text, an unbalanced closing mark back to its start. Never raises.
    """
    return quote_scan(text)[0]


def quoted_fraction(text: str) -> float:
    """Share of a text's non-space characters that lie inside quotation marks."""
    total = len(text.strip())
    if not total:
        return 0.0
    inside = sum(end - start for start, end in quoted_spans(text))
    return inside / total


def in_quotes(token: Token, spans: list[tuple[int, int]], offset: int) -> bool:
    """True when a token lies inside one of a sentence's quotation spans."""
    position = token.idx - offset
    return any(start <= position < end for start, end in spans)


def decertified(token: Token) -> bool:
    """True for 'certify' written as 'de-certify', which spaCy splits in three."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and \
        doc[token.i - 2].lower_ == "de"


def entity_at(token: Token) -> Optional[Span]:
    """The named entity a token belongs to, if any."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":     # read the IOB tags
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type)


def strip_determiner(span: Span) -> Span:
    """A span less a leading article: 'the National Iranian Oil Company'."""
    if len(span) > 1 and span[0].lower_ in ("the", "a", "an"):
        return span[1:]
    return span


def noun_phrase(head: Token) -> Span:
    """The noun phrase a token heads, less relative clauses and appositions.

    Keeps determiners, adjectives, compounds, possessives and numbers to the
    left, and of/to/for/from phrases to the right ('the leaders of
    Venezuela', 'an aide to the president').
    """
    doc = head.doc
    left = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod",
                          "quantmod", "advmod", "predet", "case"):
            left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ == "case":
            right = max(right, child.i)
        if child.dep_ == "prep" and child.lower_ in ("of", "to", "for", "from"):
            right = max(right, child.right_edge.i)
    span = doc[left:right + 1]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    while len(span) > 1 and span[0].is_punct:
        span = span[1:]
    return span


def conjoined(head: Token) -> list[Token]:
    """A token and the tokens conjoined to it: 'Russia and Iran'."""
    tokens = [head]
    for child in head.children:
        if child.dep_ == "conj":
            tokens.extend(conjoined(child))
    return tokens


def is_media(text: str) -> bool:
    """True for a phrase that names a news outlet: 'state TV', 'IRNA'."""
    lowered = text.lower()
    if lowered in KNOWN_MEDIA or lowered.removeprefix("the ") in KNOWN_MEDIA:
        return True
    words = re.findall(r"[a-z.]+", lowered)
    return bool(words) and (words[-1] in MEDIA_WORDS
                            or any(w in KNOWN_MEDIA for w in words))


def doc_person_names(doc: Doc) -> frozenset[str]:
    """Every word of the PERSON entities of a document, for consistency."""
    names = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            names.update(token.text for token in ent if token.is_alpha)
    return frozenset(names)


def canonical_party(text: str) -> str:
    """A party as the state or body it stands for, where that is known."""
    stripped = text.strip()
    alias = PARTY_ALIASES.get(stripped.lower())
    if alias:
        return alias
    if stripped.lower().startswith("the ") and stripped[4:5].isupper():
        return stripped[4:]
    return stripped


# ---------------------------------------------------------------- money

_CURRENCY_SYMBOLS = {
    "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "₽": "RUB", "c$": "CAD", "a$": "AUD",
}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR",
    "euros": "EUR", "eur": "EUR", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "gbp": "GBP", "yen": "JPY", "jpy": "JPY", "yuan": "CNY",
    "renminbi": "CNY", "cny": "CNY", "ruble": "RUB", "rubles": "RUB",
    "rouble": "RUB", "roubles": "RUB", "rub": "RUB", "rupee": "INR",
    "rupees": "INR", "inr": "INR", "rial": "IRR", "rials": "IRR",
    "francs": "CHF", "franc": "CHF", "chf": "CHF",
}
_MULTIPLIERS = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "mln": 10**6,
    "mn": 10**6, "m": 10**6, "billion": 10**9, "bln": 10**9, "bn": 10**9,
    "b": 10**9, "trillion": 10**12, "tn": 10**12, "trn": 10**12,
}
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_CURRENCY_SYMBOLS, key=len,
                                                    reverse=True))
_MONEY_RE = re.compile(
    rf"(?P<symbol>{_SYMBOL_RE})?\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*"
    rf"(?P<multiplier>thousand|million|billion|trillion|mln|bln|trn|mn|bn|tn|k|m|b)?"
    rf"\b\s*(?P<word>[a-z]+)?",
    re.IGNORECASE)


def find_money(text: str) -> Optional[tuple[str, Optional[int], str]]:
    """The first sum of money with a named currency in a text, as
    (text as written, amount, currency)."""
    for match in _MONEY_RE.finditer(text):
        parsed = parse_money(match.group(0))
        if parsed is not None:
            return match.group(0).strip(), parsed[0], parsed[1]
    return None


# The largest amount a Parquet int64 column holds; a sum beyond it (or
# beyond a float, "9" written 400 times) keeps its text and currency but
# has no amount.
MAX_AMOUNT = 2 ** 63 - 1


def parse_money(text: str) -> Optional[tuple[Optional[int], str]]:
    """An amount in whole currency units and its ISO code, from money text.

    '$30 billion' -> (30000000000, 'USD'); '€2.5bn' -> (2500000000, 'EUR');
    '400 million euros' -> (400000000, 'EUR'). None when no currency is
    named; the amount is None when it is larger than ``MAX_AMOUNT``.
    """
    for match in _MONEY_RE.finditer(text):
        symbol = (match.group("symbol") or "").lower()
        word = (match.group("word") or "").lower()
        multiplier = (match.group("multiplier") or "").lower()
        currency = _CURRENCY_SYMBOLS.get(symbol) or _CURRENCY_WORDS.get(word)
        if currency is None and word in _MULTIPLIERS and not multiplier:
            continue
        if currency is None:
            continue
        if not symbol and multiplier in ("m", "b", "k"):
            # "5 m dollars" is rare; a bare letter after a number is usually
            # something else ("5 m" as metres), so only trust it after a symbol.
            multiplier = multiplier if word in _CURRENCY_WORDS else ""
        number = float(match.group("number").replace(",", ""))
        amount = number * _MULTIPLIERS.get(multiplier, 1)
        if not math.isfinite(amount) or amount > MAX_AMOUNT:
            return None, currency
        return int(round(amount)), currency
    return None


# ---------------------------------------------------------------- dates

_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name)
           if name}
_MONTHS.update({name.lower(): index
                for index, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_MONTH_DAY_RE = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?\b")
_DAY_MONTH_RE = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?"
    r"(?:,?\s+(?P<year>\d{4}))?\b")
_MONTH_YEAR_RE = re.compile(r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})\b")
_YEAR_RE = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")


def speaks_of_future(token: Token) -> bool:
    """True when a trigger is put in the future: 'will meet', 'are due to
    continue', 'talks are due', 'scheduled for'."""
    for node in (token, token.head):
        for child in node.children:
            if child.dep_ == "aux" and child.lower_ in ("will", "shall", "'ll"):
                return True
            if child.lemma_.lower() in ("due", "scheduled", "set", "expected") and \
                    child.dep_ in ("acomp", "xcomp", "oprd", "advcl"):
                return True
        if node.lemma_.lower() in ("due", "scheduled"):
            return True
    return False


def is_duration(text: str) -> bool:
    """True for DATE phrases that measure time rather than place it:
    'ten years', 'decades', 'weekly', 'a month', 'three-day'."""
    lowered = text.lower()
    if re.search(r"\b(last|this|next|past|previous|coming|early|late|mid)\b", lowered):
        return False
    return bool(re.search(
        r"\b(\w+ly|days?|weeks?|months?|years?|decades?|centur(y|ies)|hours?)\b$",
        lowered)) and not _YEAR_RE.search(text)


def resolve_date(text: str, published: Optional[datetime.date],
                 future: bool = False
                 ) -> tuple[Optional[datetime.date], Optional[str], Optional[str]]:
    """Resolve a date expression against an article's publication date.

    Args:
        future: the sentence speaks of what is to come ("will meet on
            Thursday"), so a bare weekday is the next one, not the last.

    Returns (date, precision, reason): precision is 'day', 'week' (the
    Monday of that week), 'month' or 'year' (their first day); when the
    date cannot be resolved, date and precision are None and reason says
    why. A date that falls outside the calendar (counted back from a
    publication date in year 1, or forward from one in 9999) is not
    resolved.
    """
    try:
        return _resolve_date(text, published, future)
    except (OverflowError, ValueError):
        return None, None, f"outside the calendar: {text!r}"


def _resolve_date(text: str, published: Optional[datetime.date], future: bool
                  ) -> tuple[Optional[datetime.date], Optional[str], Optional[str]]:
    lowered = text.lower().strip()
    for regex in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        match = regex.search(text)
        if match and match.group("month").lower() in _MONTHS:
            month = _MONTHS[match.group("month").lower()]
            day = int(match.group("day"))
            year = int(match.group("year")) if match.group("year") else None
            if year is None:
                if published is None:
                    return None, None, "no publication date to give the year"
                year = published.year
                # "Dec. 30" in a January article is last year's.
                if month - published.month > 6:
                    year -= 1
                elif published.month - month > 6:
                    year += 1
            try:
                return datetime.date(year, month, day), "day", None
            except ValueError:
                return None, None, f"no such day: {text!r}"
    match = _MONTH_YEAR_RE.search(text)
    if match and match.group("month").lower() in _MONTHS:
        month = _MONTHS[match.group("month").lower()]
        return datetime.date(int(match.group("year")), month, 1), "month", None
    for name, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{name}\b", lowered):
            if published is None:
                return None, None, "weekday with no publication date"
            back = (published.weekday() - weekday) % 7
            if "next" in lowered or future:
                back = back - 7 if back else 0
            return published - datetime.timedelta(days=back), "day", None
    relative = _resolve_relative(lowered, published)
    if relative is not None:
        return relative
    match = _YEAR_RE.search(text)
    if match:
        return datetime.date(int(match.group("year")), 1, 1), "year", None
    for name, month in _MONTHS.items():
        if re.fullmatch(rf"(?:in |of |this |last |next )?{name}\.?", lowered):
            if published is None:
                return None, None, "month with no publication date"
            year = published.year - (1 if month > published.month else 0)
            return datetime.date(year, month, 1), "month", None
    return None, None, f"not a date this resolver knows: {text!r}"


def _resolve_relative(lowered: str, published: Optional[datetime.date]):
    offsets = {
        "today": ("day", 0), "tonight": ("day", 0), "yesterday": ("day", -1),
        "tomorrow": ("day", 1), "last month": ("month", -1),
        "this month": ("month", 0), "next month": ("month", 1),
        "last week": ("week", -1), "this week": ("week", 0),
        "next week": ("week", 1),
        "last year": ("year", -1), "this year": ("year", 0),
        "next year": ("year", 1),
    }
    for phrase, (unit, offset) in offsets.items():
        if re.search(rf"\b{phrase}\b", lowered):
            if published is None:
                return None, None, f"'{phrase}' with no publication date"
            if unit == "day":
                return published + datetime.timedelta(days=offset), "day", None
            if unit == "week":
                monday = published - datetime.timedelta(days=published.weekday())
                return monday + datetime.timedelta(weeks=offset), "week", None
            if unit == "month":
                month_index = published.year * 12 + published.month - 1 + offset
                return (datetime.date(month_index // 12, month_index % 12 + 1, 1),
                        "month", None)
            return datetime.date(published.year + offset, 1, 1), "year", None
    return None
