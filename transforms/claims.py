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

from transforms import language

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
# Verbs that only report when their object or complement is speech.
_NEEDS_COMPLEMENT = frozenset({"call", "describe", "question", "welcome",
                               "charge", "maintain", "observe", "note", "add",
                               "respond", "reply", "promise", "vow", "pledge",
                               "cite", "mention", "brand", "dub", "label"})
# Verbs that report only with a clause or a quotation: "he continued" after a
# quote, not "prices continued to rise"; "pointed out that", not "pointed".
_NEEDS_CLAUSE = frozenset({"continue", "point", "joke", "quip", "retort", "post"})
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
FIRST_PERSON = frozenset({"i", "we", "our", "us", "my", "me", "ours"})


@dataclasses.dataclass(frozen=True)
class ClaimFinding:
    """A claim found in one sentence, before it becomes a record.

    Offsets are document character offsets.
    """

    speaker: Optional[str]
    speaker_label: Optional[str]
    speaker_inherited: bool
    cue: Optional[str]
    content: Optional[str]
    is_direct: bool
    channel: Optional[str]
    confidence: float
    evidence: str


@dataclasses.dataclass
class _Speaker:
    text: str
    label: str
    outlet: Optional[str] = None


def find_claims(sentences: Sequence[Span]) -> list[list[ClaimFinding]]:
    """The claims of each sentence of one document, speakers resolved."""
    person_names = language.doc_person_names(sentences[0].doc) if sentences else frozenset()
    found = [_claims_in_sentence(sent, person_names) for sent in sentences]
    return _resolve_context(sentences, found)


def _claims_in_sentence(sent: Span, person_names) -> list[ClaimFinding]:
    quotes = language.quoted_spans(sent.text)
    claims: list[tuple[_Speaker, ClaimFinding]] = []
    seen_speakers: set[str] = set()

    for token in sent:
        if language.in_quotes(token, quotes, sent.start_char):
            continue
        found = None
        if token.lower_ == "according" and _according_to(token):
            found = _according_claim(token, sent, person_names)
        elif token.lemma_.lower() in REPORTING_VERBS and token.pos_ in ("VERB", "AUX"):
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
    owner = _child(cue, "poss")
    content = next((c for c in cue.children if c.dep_ in ("acl", "ccomp")
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
                   None)
    if owner is None or content is None or owner.pos_ == "PRON":
        return None
    speaker = _speaker_from(owner, person_names)
    text = sent.doc[content.left_edge.i:content.right_edge.i + 1].text
    finding = ClaimFinding(
        speaker=None, speaker_label=None, speaker_inherited=False,
        cue=cue.lemma_.lower(), content=text.strip(" ,") or None,
        is_direct=_is_direct(sent), channel=None, confidence=0.7,
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
    speaker = _speaker_from(obj, person_names)
    content = sent.doc[sent.start:token.i].text.strip(" ,") or \
        sent.doc[obj.right_edge.i + 1:sent.end].text.strip(" ,.")
    finding = ClaimFinding(
        speaker=None, speaker_label=None, speaker_inherited=False,
        cue="according to", content=content or None,
        is_direct=_is_direct(sent), channel=None, confidence=0.85,
        evidence="according_to")
    return speaker, finding


def _verb_claim(cue: Token, sent: Span, person_names):
    lemma = cue.lemma_.lower()
    subject = _child(cue, "nsubj")
    passive_subject = _child(cue, "nsubjpass")
    agent = _agent(cue)
    channel = None
    evidence = f"cue:{lemma}"

    # "X was quoted as saying ...": the cue 'say' hangs under 'quoted'.
    quote_verb = _quote_verb(cue) if lemma == "say" else None
    if quote_verb is not None:
        subject = _child(quote_verb, "nsubjpass") or _child(quote_verb, "dobj")
        media_subject = _child(quote_verb, "nsubj")
        agent = _agent(quote_verb) or _agent(cue)
        agent = agent or _by_media(quote_verb) or _by_media(cue)
        if media_subject is not None:
            channel = _outlet(media_subject)
        if agent is not None:
            channel = _outlet(agent)
        passive_subject = None
        evidence = "quoted_as_saying"
    elif lemma == "quote":
        # Handled through its 'as saying' child, or a plain "X was quoted".
        says = [c for c in cue.subtree if c.lemma_.lower() == "say" and c is not cue]
        if says:
            return None
        subject = passive_subject or _child(cue, "dobj")
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
        subject = _child(cue.head, "nsubj")
        evidence = f"cue:{lemma}:inherited_subject"
    if subject is None and passive_subject is None:
        # '"...," said Maher.': the parser may not call an inverted subject
        # nsubj; take the noun right after the cue.
        subject = _inverted_subject(cue)
        if subject is not None:
            evidence = f"cue:{lemma}:inverted"
    if subject is None:
        return None
    if lemma in _NEEDS_COMPLEMENT and not _has_complement(cue):
        return None
    if lemma in _NEEDS_CLAUSE and not _has_clause(cue, sent):
        return None
    if lemma == "point" and not any(c.lower_ in ("out", "to") for c in cue.children):
        return None
    if subject.lower_ in ("this", "that", "which", "there", "what", "who") or \
            subject.dep_ == "expl":
        return None
    if subject.lower_ == "it" and not _has_clause(cue, sent):
        return None  # "it remains to be said" and the like
    speaker = _speaker_from(subject, person_names)
    content = _content(cue, subject, sent)
    finding = ClaimFinding(
        speaker=None, speaker_label=None, speaker_inherited=False, cue=lemma,
        content=content, is_direct=_is_direct(sent), channel=channel,
        confidence=0.9 if lemma in ("say", "tell") else 0.75,
        evidence=evidence)
    return speaker, finding


def _quote_verb(say: Token) -> Optional[Token]:
    """The 'quoted' of "X was quoted as saying" / "Y quoted X as saying"."""
    head = say.head
    if head.lower_ == "as" and head.head.lemma_.lower() == "quote":
        return head.head
    if say.dep_ in ("advcl", "xcomp") and head.lemma_.lower() == "quote":
        return head
    return None


def _by_media(verb: Token) -> Optional[Token]:
    """The outlet of a "by Iranian media" phrase hanging on a verb."""
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.lower_ == "by":
            pobj = _child(child, "pobj")
            if pobj is not None and language.is_media(_phrase(pobj)):
                return pobj
    return None


def _outlet(token: Token) -> str:
    """An outlet as named: the proper name inside "Iran's news agency IRNA"."""
    phrase = language.noun_phrase(token)
    if phrase.ents and phrase.ents[-1].end == phrase.end and \
            phrase.ents[-1].label_ in ("ORG", "PERSON", "GPE"):
        return phrase.ents[-1].text
    return phrase.text


def _child(token: Token, dep: str) -> Optional[Token]:
    return next((c for c in token.children if c.dep_ == dep), None)


def _agent(token: Token) -> Optional[Token]:
    for child in token.children:
        if child.dep_ == "agent":
            return _child(child, "pobj")
    return None


def _inverted_subject(cue: Token) -> Optional[Token]:
    """The speaker of '"...," said the official.' when the parse misses it."""
    doc = cue.doc
    if cue.i + 1 >= len(doc) or cue.i == 0:
        return None
    previous = doc[cue.i - 1]
    if not (previous.is_punct or previous.is_quote):
        return None
    for token in doc[cue.i + 1:min(cue.i + 8, len(doc))]:
        if token.is_punct:
            break
        if token.pos_ in ("PROPN", "NOUN", "PRON") and token.head.i in (cue.i, token.i) \
                or (token.pos_ in ("PROPN", "NOUN") and token.head.head.i == cue.i):
            # the head of the phrase: last of a run of nouns
            head = token
            while head.head.i != head.i and head.head.i > head.i and \
                    head.head.pos_ in ("PROPN", "NOUN") and head.head.i < cue.i + 8:
                head = head.head
            return head
    return None


def _has_clause(cue: Token, sent: Span) -> bool:
    """A reported clause: a ccomp, or a quotation before or after the cue."""
    if any(c.dep_ == "ccomp" for c in cue.children):
        return True
    return bool(language.quoted_spans(sent.text))


def _has_complement(cue: Token) -> bool:
    return any(c.dep_ in ("ccomp", "dobj", "oprd", "xcomp", "prep", "dative")
               for c in cue.children) or cue.dep_ in ("ROOT",) and any(
        c.dep_ == "ccomp" for c in cue.children)


def _phrase(token: Token) -> str:
    return language.noun_phrase(token).text


def _speaker_from(token: Token, person_names) -> _Speaker:
    """The speaker a subject token names, with its label."""
    if token.lower_ in PRONOUNS and token.pos_ == "PRON":
        return _Speaker(token.text, "PRONOUN")
    entity = language.entity_at(token)
    heads = language.conjoined(token)
    if entity is not None and entity.label_ in ("PERSON", "ORG", "GPE", "NORP") \
            and any(t.text[:1].isupper() for t in entity):
        spans = [language.entity_at(h) or language.noun_phrase(h) for h in heads]
        start = min(span.start for span in spans)
        end = max(span.end for span in spans)
        span = language.strip_determiner(token.doc[start:end])
        text = span.text
        label = entity.label_
        if label != "PERSON" and all(w in person_names for w in text.split()):
            label = "PERSON"
        if language.is_media(text):
            return _Speaker(text, "MEDIA", outlet=text)
        if text.lower() in language.PARTY_ALIASES:
            label = "GPE"   # a capital speaking for its state: "Yerevan denied"
        return _Speaker(text, label)
    phrase = language.noun_phrase(token)
    if len(heads) > 1:
        phrase = token.doc[phrase.start:language.noun_phrase(heads[-1]).end]
    # Prefer a person named inside the phrase: "Kremlin spokesman Dmitry Peskov".
    for ent in phrase.ents:
        if ent.label_ == "PERSON" and ent.end == phrase.end:
            return _Speaker(ent.text, "PERSON")
    text = phrase.text
    head = token.lower_
    if language.is_media(text):
        return _Speaker(text, "MEDIA", outlet=_outlet(token))
    if head in language.ORG_NOUNS:
        return _Speaker(text, "ORG")
    if head in language.ANONYMOUS_NOUNS:
        return _Speaker(text, "ANONYMOUS")
    if head in language.PERSON_ROLE_NOUNS:
        return _Speaker(text, "PERSON")
    if token.text in person_names:
        return _Speaker(text, "PERSON")
    if token.pos_ == "PROPN":
        # A name the NER missed or mislabelled (WORK_OF_ART, PRODUCT...):
        # a named speaker is a person far more often than anything else.
        label = token.ent_type_ if token.ent_type_ in _SPEAKER_LABELS else "PERSON"
        return _Speaker(text, label)
    return _Speaker(text, "ANONYMOUS")


def _content(cue: Token, subject: Token, sent: Span) -> Optional[str]:
    """The claimed proposition: the cue's complement, or the rest around it."""
    if _is_direct(sent):
        spans = language.quoted_spans(sent.text)
        start, end = max(spans, key=lambda span: span[1] - span[0])
        return sent.text[start:end].strip(" ,") or None
    for dep in ("ccomp", "xcomp"):
        comp = _child(cue, dep)
        if comp is not None:
            return sent.doc[comp.left_edge.i:comp.right_edge.i + 1].text.strip(" ,\"“”")
    parts = [c for c in cue.rights if c.dep_ in ("dobj", "oprd", "prep", "advcl",
                                                   "dative", "pcomp")]
    if parts:
        start = min(p.left_edge.i for p in parts)
        end = max(p.right_edge.i for p in parts)
        return sent.doc[start:end + 1].text.strip(" ,\"“”")
    # "..., Putin said." with no parsed complement: what comes before.
    before = sent.doc[sent.start:min(subject.left_edge.i, cue.i)].text.strip(" ,\"“”")
    return before or None


def _is_direct(sent: Span) -> bool:
    """A direct quotation: the sentence opens with a quotation (or inside
    one carried over), or quotation marks hold most of it."""
    text = sent.text.strip()
    spans, starts_inside, _ = language.quote_scan(text)
    if spans:
        start, end = spans[0]
        opens = starts_inside or not text[:start].strip("\"“„«`' ")
        if opens and len(text[start:end].split()) >= 3:
            return True
    return language.quoted_fraction(text) >= 0.5


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
    if span.root.ent_type_ not in ("", "PERSON", "ORG", "GPE", "NORP"):
        return None
    label = span.root.ent_type_ or "PERSON"
    if language.is_media(span.text):
        label = "MEDIA"
    content = sent.text[match.end("speaker") + 1:].strip() or None
    return ClaimFinding(
        speaker=span.text, speaker_label=label, speaker_inherited=False,
        cue=":", content=content, is_direct=True, channel=None, confidence=0.6,
        evidence="colon_attribution")


def _resolve_context(sentences: Sequence[Span],
                     found: list[list[ClaimFinding]]) -> list[list[ClaimFinding]]:
    """Give pronoun speakers and standalone quotations their speakers."""
    resolved: list[list[ClaimFinding]] = [list(claims) for claims in found]
    last_person: Optional[ClaimFinding] = None
    last_other: Optional[ClaimFinding] = None
    for index, claims in enumerate(found):
        updated = []
        for claim in claims:
            if claim.speaker_label == "PRONOUN":
                pronoun = (claim.speaker or "").lower()
                antecedent = last_person if pronoun in ("he", "she", "i") else (
                    last_other or last_person)
                if antecedent is None:
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

    groups = _quotation_groups(sentences)
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
