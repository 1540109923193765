"""Sums of money in text: the amount in whole units and its ISO 4217
currency, and which sum of a sentence an accord is worth."""
from __future__ import annotations

import math
import re
from typing import Optional

from spacy.tokens import Span, Token


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
    # Reuters' wire spellings: "dlrs" are US dollars unless a country is named.
    "dlrs": "USD", "dlr": "USD", "stg": "GBP", "marks": "DEM", "lire": "ITL",
    "guilders": "NLG", "pesos": "ARS",
}


def is_money(token: Token) -> bool:
    """A sum: a word the recogniser labelled MONEY, or a currency ("10 billion euros")."""
    return token.ent_type_ == "MONEY" or token.lower_ in _CURRENCY_WORDS


# "31.5 mln Australian dlrs": the dollar of the country named before it.
_DOLLAR_COUNTRIES = {"australian": "AUD", "canadian": "CAD", "hong kong": "HKD",
                     "new zealand": "NZD", "singapore": "SGD", "taiwan": "TWD",
                     "u.s.": "USD", "us": "USD"}
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
    rf"\b\s*(?P<country>australian|canadian|hong kong|new zealand|singapore|taiwan|u\.s\.)?"
    rf"\s*(?P<word>[a-z]+)?",
    re.IGNORECASE)


def find_money(text: str) -> Optional[tuple[str, Optional[int], str]]:
    """The first sum of money with a named currency in a text, as
    (text as written, amount, currency)."""
    sums = find_all_money(text)
    return sums[0][2:] if sums else None


def find_all_money(text: str) -> list[tuple[int, int, str, Optional[int], str]]:
    """Every sum of money with a named currency in a text, as (start, end,
    text as written, amount, currency)."""
    found = []
    for match in _MONEY_RE.finditer(text):
        parsed = parse_money(match.group(0))
        if parsed is not None:
            # the text as written, less a following word that is no currency
            # ("$168m settlement")
            end = match.end("word") if (match.group("word") or "").lower() in \
                _CURRENCY_WORDS else max(match.end(g) for g in
                                         ("symbol", "number", "multiplier", "country")
                                         if match.group(g))
            start = match.start("symbol") if match.group("symbol") else match.start("number")
            found.append((start, end, text[start:end], parsed[0], parsed[1]))
    return found


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
        country = (match.group("country") or "").lower()
        if country and word in ("dlrs", "dlr", "dollars", "dollar"):
            currency = _DOLLAR_COUNTRIES[country]
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


# What a price is paid by, when it is a price per unit and not the deal's.
_PER_UNIT = {"share", "tonne", "ton", "barrel", "ounce", "unit", "head", "year"}


def deal_value(anchor: Token, sent: Span,
               verb: Optional[Token] = None) -> Optional[tuple[str, Optional[int], str]]:
    """The sum the accord is worth: one in the phrase of its noun or verb
    ``anchor`` ("a deal worth $30 billion", "a $2.5bn contract", "bought a
    stake for 90 mln dlrs", "agreed a $168m settlement deal"), not one that
    belongs to something else in the sentence ("cutting costs by $1bn",
    "44 dlrs a share")."""
    doc = sent.doc
    for start, end, text, amount, currency in _sums(sent):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not _belongs(span.root, anchor, verb):
            continue
        after = doc[span.end:span.end + 2]
        if len(after) == 2 and after[0].lower_ in ("a", "an", "per") and \
                after[1].lemma_.lower() in _PER_UNIT:
            continue
        return text, amount, currency
    return None


def _sums(sent: Span) -> list[tuple[int, int, str, Optional[int], str]]:
    """The sums of a sentence by character offsets: those the text gives
    with a currency ("$168m", "400 million euros", "90 mln dlrs"), then the
    recogniser's MONEY spans that none of them covers (with a symbol it
    left out one token back)."""
    sums = [(start + sent.start_char, end + sent.start_char, text, amount, currency)
            for start, end, text, amount, currency in find_all_money(sent.text)]
    covered = [(s, e) for s, e, *_ in sums]
    for ent in sent.ents:
        if ent.label_ != "MONEY" or any(s < ent.end_char and ent.start_char < e
                                        for s, e in covered):
            continue
        parsed = parse_money(ent.text)
        start = ent.start_char
        if parsed is None:
            previous = sent.doc[max(ent.start - 1, 0):ent.end]
            parsed, start = parse_money(previous.text), previous.start_char
        if parsed is not None:
            sums.append((start, ent.end_char, ent.text, parsed[0], parsed[1]))
    return sorted(sums)


# Words that make a sum a price: "worth", "valued at", "for".
_PRICE_WORDS = {"worth", "value", "valued", "for", "at", "price", "priced", "cost"}


def _belongs(root: Token, anchor: Token, verb: Optional[Token] = None) -> bool:
    """A sum's phrase is under the anchor, at most four steps down, or the
    anchor is in apposition under the sum ("a $168m settlement deal"), or
    the sum is a price on the verb that governs the anchor ("agreed an
    outline deal ... worth up to $30 billion")."""
    node, path = root, []
    for _ in range(5):
        if node.i == anchor.i:
            return True
        if verb is not None and node.i == verb.i:
            return any(t.lower_ in _PRICE_WORDS for t in path)
        if node.head.i == node.i:
            break
        path.append(node)
        node = node.head
    return anchor.head.i == root.i and anchor.dep_ == "appos"
