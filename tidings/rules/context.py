"""Parties from the article around a sentence: "the two sides", "both
companies" and a business deal named again ("the deal") take the parties
of the article's latest earlier agreement that names them
(``with_context``); "the two companies" with none before are the last
two organisations named (``recent_parties``).
"""
from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Token

from tidings.rules import accords, language
from tidings.schemas import AgreementFinding


# Phrases that stand for parties named before: "the two sides agreed".
_COLLECTIVE_HEADS = frozenset({"sides", "parties", "companies", "firms", "groups",
                               "countries", "nations", "governments", "partners", "both"})


def with_context(parties: list[str], earlier: Sequence[AgreementFinding],
                 agreement_type: str, anchor: Token,
                 heads: Optional[Sequence[Token]] = None,
                 named_again: bool = False) -> tuple[list[str], bool]:
    """The parties, and whether they come from before.

    Parties given only as "the two sides" or "both companies" (every head
    of an agreeing verb such a word, "both" among them, or every party's
    text ending in one), and, with ``named_again``, an accord the sentence
    names with no parties ("the deal"), take those of the latest earlier
    agreement that names two or more (``context_agreement``). Where there is
    none, "the two companies" are the two organisations, and "the two
    countries" the two states, named last before ``anchor``
    (``recent_parties``)."""
    collective = [h for h in heads or () if h.lower_ in _COLLECTIVE_HEADS or _bare_envoys(h)] or \
        [h for h in anchor.sent if (h.lower_ in _COLLECTIVE_HEADS or _bare_envoys(h))
         and h.i < anchor.i and parties and all(_collective_text(p) for p in parties)]
    given_as_collective = (bool(heads) and len(collective) == len(heads)) or \
        (bool(parties) and all(_collective_text(p) for p in parties))
    if given_as_collective or (named_again and not parties):
        before = context_agreement(earlier, agreement_type)
        context = before.parties if before is not None else ()
        if context and collective and _count(collective[-1]) not in (None, len(context)):
            context = ()    # "the seven nations" are not the six named before
        if context and not given_as_collective and not _business(before, anchor.doc):
            context = ()    # "the nuclear deal": an accord of states named as such
        if not context and given_as_collective and collective:
            # envoys only for a pair that acts just before ("The EC and Comecon
            # ended talks"), not any two names back ("returned to work in
            # Edmonton and Victoria")
            context = (_pair_before(collective[-1], ("ORG", "GPE")) or ()) \
                if collective[-1].lower_ in _ENVOYS else recent_parties(collective[-1])
        if context:
            return list(context), True
    # "X and Y agreed to merge the two companies": the phrase repeats them
    return [p for p in parties if not _collective_text(p)] or parties, False


# Those who talk for both sides, when nothing says whose they are.
_ENVOYS = frozenset({"negotiators", "delegates", "delegations", "mediators"})


def _bare_envoys(head: Token) -> bool:
    """ "Negotiators were trying to reach agreement": both sides' envoys, not
    "US negotiators" or "the EC's delegates"."""
    return head.lower_ in _ENVOYS and all(
        c.dep_ == "det" and c.lower_ == "the" for c in head.children if c.dep_ != "punct"
        and c.i < head.i)


# Modifiers that make an accord another one than those before: "talks on a
# separate fisheries accord".
_ANOTHER = frozenset({"separate", "another", "other", "different", "second", "similar",
                      "further", "future", "rival"})


def another_accord(noun: Token) -> bool:
    """Whether the accord a noun names is said to differ from those named
    before ("a separate accord", "a similar pact") or is one known by its
    own name ("the Anglo-Irish Agreement"): it takes none of their
    parties."""
    named = noun.text[:1].isupper() and not noun.is_sent_start and not noun.text.isupper()
    return named or any(c.lower_ in _ANOTHER for c in noun.children)


# Which names a collective phrase can stand for.
_COLLECTIVE_LABELS = {"companies": ("ORG",), "firms": ("ORG",), "groups": ("ORG",),
                      "countries": ("GPE",), "nations": ("GPE",), "governments": ("GPE",)}
# Prepositions of a place that only says where: "met in Geneva".
_WHERE = frozenset({"in", "at", "near", "to", "from", "outside", "inside", "across"})


def recent_parties(collective: Token, window: int = 400) -> tuple:
    """The names "the two companies" (or "both sides") most likely stands
    for: the last distinct organisations (states for "countries", either
    for "sides") before it in the article, as many as its number says (two
    when it says none), at most ``window`` tokens back; () when fewer are
    named, or when it says more than four ("the seven nations")."""
    labels = _COLLECTIVE_LABELS.get(collective.lower_, ("ORG", "GPE"))
    wanted = _count(collective) or 2
    if wanted > 4:
        return ()       # "the seven nations": a group named as such
    pair = _pair_before(collective, labels) if wanted == 2 else None
    if pair is not None:
        return pair
    found: list[str] = []
    for ent in reversed(collective.doc.ents):
        if ent.end > collective.i or collective.i - ent.end > window:
            continue
        first = ent.root
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head          # "in Atlantic Canada, parts of Quebec, Edmonton"
        where = first.dep_ == "pobj" and first.head.lower_ in _WHERE
        if ent.label_ in labels and not where:      # not "met in Geneva"
            name = language.canonical_party(language.strip_determiner(ent).text)
            if name not in found and not any(name in f or f in name for f in found):
                found.append(name)
            if len(found) == wanted:
                return tuple(reversed(found))
    return ()


def _count(collective: Token) -> Optional[int]:
    """How many "the seven nations" or "both sides" says, or None."""
    if collective.lower_ == "both":
        return 2
    for child in collective.children:
        if child.lower_ == "both":
            return 2
        if child.dep_ == "nummod":
            return _NUMBER_WORDS.get(child.lower_) or (
                int(child.text) if child.text.isdigit() else None)
    return None


_NUMBER_WORDS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def _pair_before(collective: Token, labels) -> Optional[tuple]:
    """Two names joined by "and" as a subject, or after "between", in the
    collective's sentence or the one before it ("the US and EU stepped
    back from a dispute over subsidies to Airbus and Boeing ... the two
    sides had agreed": the US and the EU), the nearest first."""
    doc = collective.doc
    start = doc[collective.sent.start - 1].sent.start if collective.sent.start > 0 else 0
    for ent in reversed([e for e in doc.ents if start <= e.start and e.end <= collective.i]):
        acting = ent.root.dep_ in ("nsubj", "nsubjpass") or (
            ent.root.dep_ == "pobj" and ent.root.head.lower_ == "between")
        if ent.label_ not in labels or not acting:
            continue
        for other in (language.entity_at(c) for c in ent.root.children if c.dep_ == "conj"):
            if other is not None and other.label_ in labels:
                return tuple(language.canonical_party(language.strip_determiner(e).text)
                             for e in (ent, other))
    return None


def _collective_text(party: str) -> bool:
    """A phrase that refers back to parties named before: "the two sides",
    "both companies", "both"; not "Eighteen investment firms"."""
    words = party.lower().split()
    if words and words[-1] in _ENVOYS and words[:-1] in ([], ["the"]):
        return True     # both sides' envoys (``_bare_envoys``)
    return bool(words) and words[-1] in _COLLECTIVE_HEADS and (
        words == ["both"] or words[0] in ("the", "both", "these", "those", "all", "each"))


def _companies(names: Sequence[str], doc) -> bool:
    """Whether every name is one the recogniser labelled an organisation in
    the article: the companies of a business deal, which a story about it
    keeps calling "the deal"; an accord of states or people ("the nuclear
    deal", "their agreement") is named as such, with no parties restated.
    A union or workforce bargaining with a company counts with it ("a
    union ... at US Airways agreed to a new contract")."""
    organisations = {language.canonical_party(language.strip_determiner(ent).text)
                     for ent in doc.ents if ent.label_ == "ORG"}
    company = [any(org in name for org in organisations) or company_name(name) for name in names]
    workforce = [(name.lower().split() or [""])[-1] in language.WORKFORCE for name in names]
    return any(company) and all(c or w for c, w in zip(company, workforce))


# How a company's name ends: "Anschutz Corp" (a name the recogniser may take for a person).
_COMPANY_ENDINGS = frozenset({"corp", "inc", "co", "ltd", "plc", "group", "bancorp", "ag",
                              "sa", "nv", "spa", "llc", "holdings", "company"})


def company_name(name: str) -> bool:
    words = name.lower().rstrip(".").split()
    return bool(words) and words[-1] in _COMPANY_ENDINGS


def context_agreement(earlier: Sequence[AgreementFinding],
                      agreement_type: str) -> Optional[AgreementFinding]:
    """The latest earlier agreement of the same type that names two or
    more parties of its own, or else of any type."""
    for same_type in (True, False):
        for agreement in reversed(earlier):
            if (agreement.agreement_type == agreement_type or not same_type) and \
                    len(agreement.parties) >= 2 and \
                    not any(_collective_text(p) for p in agreement.parties):
                return agreement
    return None


# The words that make an accord a business deal: "agreed to buy", "its
# proposed merger", "a joint venture"; "take" of "take over".
_BUSINESS_WORDS = frozenset({*accords.DEAL_VERBS, "agree", "take", "merger", "acquisition",
                             "takeover", "buyout", "venture"})


def _business(agreement: AgreementFinding, doc) -> bool:
    """A business deal: one told by a word of buying or merging ("agreed to
    buy Chalone", "its proposed merger into ..."), or one between companies
    (``_companies``)."""
    evidence = agreement.evidence     # "verb:agree": the status's verb, "agreed a deal"
    verb = evidence.partition(":")[2].split("+")[0] if evidence.startswith("verb:") else ""
    told_by_deal_word = evidence.startswith("in_deal") or "+verb:" in evidence or \
        verb in _BUSINESS_WORDS or agreement.trigger_lemma in _BUSINESS_WORDS
    return (agreement.agreement_type == "deal" and told_by_deal_word) or \
        _companies(agreement.parties, doc)
