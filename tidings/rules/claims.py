"""Find claims: propositions the text attributes to a source.

``find_claims(sentences)`` reads a document's sentences (spaCy spans, with
parser, NER and lemmas) and returns, per sentence, the claims found: the
speaker as written, its label, the cue lemma, the content, whether it is a
direct quotation, the outlet it came through, and whether the speaker was
inherited from the sentences around it.

Rules, in order:
- a reporting verb with a subject ("X said", "said the official", "X told Y");
- "X was quoted as saying", "Y quoted X as saying";
- "according to X";
- a quotation (or first-person speech) standing alone takes the nearest
  attributed speaker in context; a pronoun speaker ("He added") takes the
  last named one.
An outlet that reports another speaker's claim ("..., state TV reported",
"according to Iranian media", "quoted ... by IRNA") becomes the channel.
"""
from __future__ import annotations

import collections
import dataclasses
import re
from typing import Optional, Sequence

from spacy.tokens import Span, Token

from tidings.rules import coreference, language, stances
from tidings.rules.speakers import (FIRST_PERSON, NEEDS_CLAUSE, NEEDS_COMPLEMENT, Speaker, agent_of,
                                    by_media, child_of, content_of, has_clause, has_complement,
                                    inverted_subject, is_direct, outlet_name, person_before,
                                    quoting_verb, speaker_from)
from tidings.schemas import ClaimFinding


REPORTING_VERBS = frozenset({
    "say", "tell", "state", "add", "claim", "insist", "deny", "warn", "accuse",
    "echo", "praise", "call", "describe", "criticize", "criticise", "report",
    "announce", "argue", "assert", "contend", "note", "explain", "stress",
    "emphasize", "emphasise", "suggest", "acknowledge", "admit", "declare",
    "reply", "respond", "write", "tweet", "quote", "predict", "confirm",
    "reiterate", "urge", "dismiss", "condemn", "blame", "allege", "complain",
    "concede", "remark", "observe", "recall", "testify", "maintain",
    "caution", "charge", "reveal", "disclose", "boast", "counter", "lament",
    "question", "slam", "blast", "decry", "hail", "welcome", "promise", "vow", "pledge", "continue", "post", "cite", "mention",
    "joke", "quip", "retort", "point", "proclaim",
    "denounce", "brand", "dub", "label", "deride", "mock", "scoff",
    "affirm", "rebut",
})
# Nouns that report a possessor's words when a that-clause follows:
# "Trump's claim that ...".
REPORTING_NOUNS = frozenset({
    "claim", "statement", "assertion", "allegation", "warning", "insistence",
    "argument", "charge", "accusation", "prediction", "promise", "pledge",
    "announcement", "contention", "suggestion", "remark", "denial",
})


def find_claims(sentences: Sequence[Span]) -> list[list[ClaimFinding]]:
    """The claims of each sentence of one document, speakers resolved."""
    person_names = language.doc_person_names(sentences[0].doc) if sentences else frozenset()
    found = [_claims_in_sentence(sent, person_names) for sent in sentences]
    return _resolve_context(sentences, found)


def _claims_in_sentence(sent: Span, person_names) -> list[ClaimFinding]:
    quotes = language.quoted_spans(sent.text)
    claims: list[tuple[Speaker, ClaimFinding]] = []
    seen_speakers: set[str] = set()

    for token in sent:
        if language.in_quotes(token, quotes, sent.start_char):
            continue
        found = None
        if token.lower_ == "according" and _according_to(token):
            found = _according_claim(token, sent, person_names)
        elif token.pos_ in ("VERB", "AUX") and (
                token.lemma_.lower() in REPORTING_VERBS or stances.agreeing_with_a_view(token)
                or stances.documents_finding(token)):
            found = _verb_claim(token, sent, person_names)
        elif token.lemma_.lower() in REPORTING_NOUNS and token.pos_ == "NOUN":
            found = _noun_claim(token, sent, person_names)
        if found is None:
            continue
        speaker, finding = found
        key = speaker.text.lower()
        if key in seen_speakers:
            continue
        seen_speakers.add(key)
        claims.append((speaker, finding))

    # An outlet that reports someone else's words is that claim's channel.
    named = [pair for pair in claims if pair[0].label != "MEDIA"]
    media = [pair for pair in claims if pair[0].label == "MEDIA"]
    outlet = None
    if named and media:
        outlet = media[0][0].outlet
        claims = named
    if not claims:
        colon = _colon_claim(sent, person_names)
        return [colon] if colon is not None else []
    return [dataclasses.replace(finding, channel=finding.channel or outlet,
                                speaker=speaker.text, speaker_label=speaker.label)
            for speaker, finding in claims]


def _noun_claim(cue: Token, sent: Span, person_names):
    """"Trump's claim that ...", "the ministry's statement that ..."."""
    owner = child_of(cue, "poss")
    content = next((c for c in cue.children if c.dep_ in ("acl", "ccomp")
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
                   None)
    if owner is None or content is None or owner.pos_ == "PRON":
        return None
    speaker = speaker_from(owner, person_names)
    text = sent.doc[content.left_edge.i:content.right_edge.i + 1].text
    finding = ClaimFinding(
        speaker=None, speaker_label=None, speaker_inherited=False,
        cue=cue.lemma_.lower(), content=text.strip(" ,") or None,
        is_direct=is_direct(sent), channel=None, confidence=0.7,
        evidence=f"noun_cue:{cue.lemma_.lower()}")
    return speaker, finding


def _according_to(token: Token) -> bool:
    return any(child.lower_ == "to" for child in token.children) or (
        token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to")


def _according_claim(token: Token, sent: Span, person_names):
    to = next((c for c in token.children if c.lower_ == "to"),
              token.doc[token.i + 1])
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    speaker = speaker_from(obj, person_names)
    content = sent.doc[sent.start:token.i].text.strip(" ,") or \
        sent.doc[obj.right_edge.i + 1:sent.end].text.strip(" ,.")
    finding = ClaimFinding(
        speaker=None, speaker_label=None, speaker_inherited=False,
        cue="according to", content=content or None,
        is_direct=is_direct(sent), channel=None, confidence=0.85,
        evidence="according_to")
    return speaker, finding


def _verb_claim(cue: Token, sent: Span, person_names):
    lemma = cue.lemma_.lower()
    subject = child_of(cue, "nsubj")
    passive_subject = child_of(cue, "nsubjpass")
    agent = agent_of(cue)
    channel = None
    evidence = f"cue:{lemma}"

    # "X was quoted as saying ...": the cue 'say' hangs under 'quoted'.
    quote_verb = quoting_verb(cue) if lemma == "say" else None
    if quote_verb is not None:
        subject = child_of(quote_verb, "nsubjpass") or child_of(quote_verb, "dobj")
        media_subject = child_of(quote_verb, "nsubj")
        agent = agent_of(quote_verb) or agent_of(cue)
        agent = agent or by_media(quote_verb) or by_media(cue)
        if media_subject is not None:
            channel = outlet_name(media_subject)
        if agent is not None:
            channel = outlet_name(agent)
        passive_subject = None
        evidence = "quoted_as_saying"
    elif lemma == "quote":
        # Handled through its 'as saying' child, or a plain "X was quoted".
        says = [c for c in cue.subtree if c.lemma_.lower() == "say" and c is not cue]
        if says:
            return None
        subject = passive_subject or child_of(cue, "dobj")
        if subject is None:
            return None
        passive_subject = None
        evidence = "quoted"

    if subject is None and passive_subject is not None:
        if lemma in ("accuse", "charge", "blame", "criticize", "criticise",
                     "quote", "report", "describe", "call") and agent is None:
            return None  # "X was accused of ..." attributes nothing to X
        subject = agent
    if subject is None and cue.dep_ in ("advcl", "xcomp", "conj", "pcomp") and \
            cue.head.pos_ in ("VERB", "AUX") and \
            cue.head.dep_ not in ("acl", "relcl", "amod"):
        # "..., saying that ..." and "echoed X, saying ...": the head's subject.
        subject = child_of(cue.head, "nsubj")
        evidence = f"cue:{lemma}:inherited_subject"
    if subject is None and passive_subject is None:
        # '"...," said Maher.': the parser may not call an inverted subject
        # nsubj; take the noun right after the cue.
        subject = inverted_subject(cue)
        if subject is not None:
            evidence = f"cue:{lemma}:inverted"
    if subject is None:
        return None
    if lemma in NEEDS_COMPLEMENT and not has_complement(cue):
        return None
    if lemma in NEEDS_CLAUSE and not has_clause(cue, sent):
        return None
    if lemma == "point" and not any(c.lower_ in ("out", "to") for c in cue.children):
        return None
    if subject.lower_ in ("this", "that", "which", "there", "what", "who") or \
            subject.dep_ == "expl":
        return None
    if subject.lower_ == "it" and not has_clause(cue, sent):
        return None  # "it remains to be said" and the like
    speaker = speaker_from(subject, person_names)
    content = content_of(cue, subject, sent)
    finding = ClaimFinding(
        speaker=None, speaker_label=None, speaker_inherited=False, cue=lemma,
        content=content, is_direct=is_direct(sent), channel=channel,
        confidence=0.9 if lemma in ("say", "tell") else 0.75,
        evidence=evidence)
    return speaker, finding


def _quotation_groups(sentences: Sequence[Span]) -> list[Optional[int]]:
    """For each sentence, the quotation running over several sentences that
    it belongs to (an id), or None.

    A sentence that ends inside an open quotation starts a group; the
    following sentences join it up to the one that closes it. A sentence
    with no marks and no closing punctuation ends an open quotation that
    was never closed (a typo), so one stray mark does not swallow an article.
    """
    groups: list[Optional[int]] = []
    current: Optional[int] = None
    for index, sent in enumerate(sentences):
        text = sent.text
        _, starts_inside, ends_inside = language.quote_scan(text)
        has_marks = bool(language.QUOTE_MARKS.search(text))
        if current is not None and not has_marks and text.rstrip()[-1:] not in ".?!…":
            current = None
        if current is None:
            groups.append(index if ends_inside else None)
            current = index if ends_inside else None
            continue
        groups.append(current)
        if has_marks and not ends_inside:
            current = None
        elif has_marks and ends_inside and not starts_inside:
            current = index        # closed one quotation and opened another
            groups[-1] = current
    sizes = collections.Counter(g for g in groups if g is not None)
    return [g if g is not None and sizes[g] > 1 else None for g in groups]


def _looks_like_speech(sent: Span, inside_quote: bool, quoteless: bool) -> bool:
    """A sentence with no cue that reads as someone's words, not narration.

    Args:
        inside_quote: the sentence is part of a quotation running over
            several sentences.
        quoteless: the article has no quotation marks at all (some wires
            strip them), so speech can only be told by its voice.
    """
    text = sent.text.strip()
    if not text:
        return False
    if inside_quote:
        return True
    if text[0] in language.OPEN_QUOTES and language.quoted_fraction(text) >= 0.5:
        return True
    if not quoteless:
        return False
    words = [t.lower_ for t in sent]
    if text.endswith("...") and len(words) > 3:
        return True
    return any(w in FIRST_PERSON for w in words)


_COLON_RE = re.compile(r"^[\"“'`]*\s*(?P<speaker>[A-Z][\w.'’\- ]{1,40}?):\s+\S")
_NOT_SPEAKERS = frozenset({
    "q", "a", "update", "updated", "note", "editor", "editors", "watch", "photo",
    "video", "read", "related", "breaking", "exclusive", "source", "sources",
    "correction", "disclosure", "warning", "live", "analysis", "opinion",
    "transcript", "audio", "listen", "see", "also", "more", "caption", "credit",
})


def _colon_claim(sent: Span, person_names) -> Optional[ClaimFinding]:
    """A headline-style attribution: "Cuban: A businessman can run this country"."""
    match = _COLON_RE.match(sent.text)
    if not match:
        return None
    span = sent.doc.char_span(sent.start_char + match.start("speaker"),
                              sent.start_char + match.end("speaker"),
                              alignment_mode="contract")
    if span is None or not 0 < len(span) <= 4 or len(span.text) < 3:
        return None
    words = [t for t in span if t.is_alpha]
    if not words or not all(t.text[:1].isupper() for t in words) or \
            any(t.lower_ in _NOT_SPEAKERS for t in words):
        return None
    if span.root.ent_type_ not in language.ACTOR_LABELS | {""}:
        return None
    label = span.root.ent_type_ or "PERSON"
    if language.is_media(span.text):
        label = "MEDIA"
    content = sent.text[match.end("speaker") + 1:].strip() or None
    return ClaimFinding(
        speaker=span.text, speaker_label=label, speaker_inherited=False,
        cue=":", content=content, is_direct=True, channel=None, confidence=0.6,
        evidence="colon_attribution")


def _person_named_before(sentences: Sequence[Span], index: int,
                         pronoun: str) -> Optional[str]:
    token = next((t for t in sentences[index] if t.lower_ == pronoun), None)
    return person_before(sentences, index, token) if token is not None else None


def _organisation_named_before(sent: Span) -> Optional[str]:
    """The organisation "it" stands for when no claim before names one:
    "Electronic Mail Corp of America has completed financing. It also
    announced ..." (``coreference.antecedent_entity``)."""
    token = next((t for t in sent if t.lower_ == "it" and t.dep_ == "nsubj"), None)
    entity = coreference.antecedent_entity(token, ("ORG",)) if token is not None else None
    return language.strip_determiner(entity).text if entity is not None else None


def _resolve_context(sentences: Sequence[Span],
                     found: list[list[ClaimFinding]]) -> list[list[ClaimFinding]]:
    """Give pronoun speakers and standalone quotations their speakers."""
    resolved: list[list[ClaimFinding]] = [list(claims) for claims in found]
    groups = _quotation_groups(sentences)
    last_person: Optional[ClaimFinding] = None
    last_other: Optional[ClaimFinding] = None
    for index, claims in enumerate(found):
        updated = []
        for claim in claims:
            if claim.speaker_label == "PRONOUN":
                pronoun = (claim.speaker or "").lower()
                antecedent = last_person if pronoun in ("he", "she", "i") else \
                    last_other if pronoun == "it" else (last_other or last_person)
                # Only a pronoun subject of a reporting verb ("he said") of
                # the writer's, not one inside a quotation running over
                # sentences: there "he" is whom the quoted person speaks of.
                named = _person_named_before(sentences, index, pronoun) \
                    if antecedent is None and pronoun in ("he", "she") and \
                    claim.evidence.startswith("cue:") and groups[index] is None else None
                if named is None and antecedent is None and pronoun == "it" and \
                        claim.evidence.startswith("cue:"):
                    named = _organisation_named_before(sentences[index])
                if named is not None:
                    claim = dataclasses.replace(
                        claim, speaker=named, speaker_inherited=True,
                        speaker_label="ORG" if pronoun == "it" else "PERSON",
                        evidence=claim.evidence + ":pronoun_resolved",
                        confidence=round(claim.confidence * 0.8, 3))
                elif antecedent is None:
                    claim = dataclasses.replace(
                        claim, speaker_label="PERSON" if pronoun in ("he", "she", "i")
                        else "ORG", confidence=round(claim.confidence * 0.7, 3),
                        evidence=claim.evidence + ":pronoun_unresolved")
                else:
                    claim = dataclasses.replace(
                        claim, speaker=antecedent.speaker,
                        speaker_label=antecedent.speaker_label,
                        speaker_inherited=True,
                        evidence=claim.evidence + ":pronoun_resolved",
                        confidence=round(claim.confidence * 0.85, 3))
            elif claim.speaker_label == "PERSON":
                last_person = claim
            else:
                last_other = claim
            if any(other.speaker == claim.speaker for other in updated):
                continue  # "X said ..., though she acknowledged ...": one speaker
            updated.append(claim)
        resolved[index] = updated

    quoteless = sentences and not language.quoted_spans(sentences[0].doc.text)
    members = collections.defaultdict(list)
    for index, group in enumerate(groups):
        if group is not None:
            members[group].append(index)
    for index, sent in enumerate(sentences):
        if resolved[index]:
            continue
        inside = groups[index] is not None
        if not _looks_like_speech(sent, inside, bool(quoteless)):
            continue
        if inside:
            # The quotation's speaker is named in one of its sentences, or
            # just before or after it.
            group = members[groups[index]]
            source = next((claim for other in group for claim in resolved[other]), None)
            if source is None:
                source = _nearest_speaker(resolved, group[0], after=False) or \
                    _nearest_speaker(resolved, group[-1], before=False)
        else:
            source = _nearest_speaker(resolved, index)
        if source is None:
            continue
        resolved[index] = [ClaimFinding(
            speaker=source.speaker, speaker_label=source.speaker_label,
            speaker_inherited=True, cue=None,
            content=sent.text.strip().strip("\"“”").strip() or None,
            is_direct=True, channel=None, confidence=0.6,
            evidence="running_quotation:speaker_from_context" if inside
            else "standalone_quotation:speaker_from_context")]
    return resolved


def _nearest_speaker(resolved: list[list[ClaimFinding]], index: int,
                     before: bool = True, after: bool = True) -> Optional[ClaimFinding]:
    """The attributed claim nearest a sentence: before it first, then after."""
    for distance in (1, 2):
        neighbours = ([index - distance] if before else []) + \
            ([index + distance] if after else [])
        for neighbour in neighbours:
            if 0 <= neighbour < len(resolved):
                for claim in resolved[neighbour]:
                    if not claim.speaker_inherited or distance == 1:
                        return claim
    return None
