"""Whom a pronoun stands for: "he", "she", "it", "they" and the phrases
such as "the company" that the event, party and claim rules resolve.

A "he" or "she" is, in order: a person subject before it in its own
sentence; where its sentence names no person before it and it is not
inside a quotation, the subject of the sentence before, when that is a
person of the pronoun's sex or the same pronoun (which is resolved the same way, so
"Kinnock was sworn in. From there he went to Cardiff, where he met his
wife Glenys. He gained a reputation" keeps to Kinnock); else the nearest
fitting person before it. A person's sex is known only from a title or a
kinship word before the name anywhere in the article ("Mr Mubanga",
"Baroness Amos", "her husband, Edward Addison"); a name with none fits
either pronoun. An "it" or "the company" carries an organisation subject
the same way ("Data General said ... a product developed by Microsoft.
The company said it also introduced ...": Data General).
"""
from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Doc, Span, Token

from tidings.rules.language import in_quotes, quoted_spans, strip_determiner


# Pronouns and the entity labels they can stand for.
_ANTECEDENT_LABELS = {"he": ("PERSON",), "she": ("PERSON",), "him": ("PERSON",),
                      "her": ("PERSON",), "his": ("PERSON",), "it": ("ORG",), "its": ("ORG",),
                      "they": ("ORG", "NORP", "GPE"), "their": ("ORG", "NORP", "GPE")}
# The sex each personal pronoun names, as "he" or "she".
_PRONOUN_SEX = {"he": "he", "him": "he", "his": "he", "himself": "he",
                "she": "she", "her": "she", "hers": "she", "herself": "she"}

# Titles that name a person and say which pronoun stands for them.
TITLE_PRONOUNS = {
    "mr": "he", "mr.": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he",
    "baron": "he", "duke": "he", "mrs": "she", "mrs.": "she", "ms": "she", "ms.": "she",
    "miss": "she", "lady": "she", "baroness": "she", "dame": "she", "queen": "she",
    "princess": "she", "duchess": "she",
}
# Kinship words before a name: "his wife Glenys", "her husband, Edward Addison".
_KIN_PRONOUNS = {
    "wife": "she", "mother": "she", "daughter": "she", "sister": "she", "widow": "she",
    "grandmother": "she", "aunt": "she", "niece": "she", "girlfriend": "she",
    "husband": "he", "father": "he", "son": "he", "brother": "he", "widower": "he",
    "grandfather": "he", "uncle": "he", "nephew": "he", "boyfriend": "he",
}


def antecedent(pronoun: Token, window: int = 120) -> Optional[str]:
    """The name a personal pronoun most likely stands for (a person for
    "he" and "she", an organisation for "it"), at most ``window`` tokens
    back. None when there is none, or when the pronoun is "I", "we" or
    "you"."""
    entity = antecedent_entity(pronoun, _ANTECEDENT_LABELS.get(pronoun.lower_, ()), window)
    return strip_determiner(entity).text if entity is not None else None


def antecedent_entity(token: Token, labels: Sequence[str],
                      window: int = 120, depth: int = 3) -> Optional[Span]:
    """The entity of one of ``labels`` that a pronoun or a phrase such as
    "the company" stands for: a subject before it in its own sentence; for
    "he" and "she", the subject of the sentence before (``depth``: how many
    pronoun subjects in a row to follow back); else the nearest such entity
    before it, at most ``window`` tokens back. A person whose title or
    kinship word says the other sex is passed over."""
    if not labels:
        return None
    sex = _PRONOUN_SEX.get(token.lower_)

    def fits(ent: Span) -> bool:
        return ent.label_ in labels and (sex is None or ent.label_ != "PERSON"
                                         or person_sex(ent) in (None, sex))

    doc = token.doc
    for ent in token.sent.ents:     # the subject before it in its own sentence first
        if ent.end <= token.i and fits(ent) and ent.root.dep_ in ("nsubj", "nsubjpass"):
            return ent
    carries = sex is not None or tuple(labels) == ("ORG",)    # he, she; it, the company
    if carries and depth > 0 and not _quoted(token) and not any(
            fits(ent) and not _aside(ent, token) for ent in token.sent.ents
            if ent.end <= token.i):
        carried = _previous_subject(token, sex, labels, window, depth)
        if carried is not None:
            return carried
    titled = _titled_subject(token) if "PERSON" in labels else None
    for ent in reversed(doc.ents):
        if ent.end > token.i:
            continue
        if token.i - ent.end > window:
            break
        if titled is not None and ent.end <= titled.start:
            return titled   # "Mr Flight landed in trouble. He quit": no name between
        if fits(ent):
            return ent
    return titled


def _aside(ent: Span, token: Token) -> bool:
    """A name in a phrase on the clause that the token is outside of ("In a
    filing with the SEC, the group said it ..."): it does not keep "it" or
    "the group" from the subject of the sentence before."""
    node = ent.root
    while node.dep_ != "prep" or node.head.dep_ != "ROOT":
        if node.head.i == node.i or node.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return False
        node = node.head
    return token not in node.subtree


def _quoted(token: Token) -> bool:
    """Inside a quotation, where "he" is seldom the one quoted."""
    sent = token.sent
    return in_quotes(token, quoted_spans(sent.text), sent.start_char)


def _previous_subject(pronoun: Token, sex: Optional[str], labels: Sequence[str],
                      window: int, depth: int) -> Optional[Span]:
    """The main subject of the sentence before a "he" or "she" when it is a
    person of that sex, or the same pronoun again, resolved in turn; before
    an "it" or "the company", an organisation or another "it"."""
    sent = pronoun.sent
    if sent.start == 0:
        return None
    previous = sent.doc[sent.start - 1].sent
    subject = next((t for t in previous if t.dep_ in ("nsubj", "nsubjpass")
                    and t.head.i == previous.root.i), None)
    if subject is None or pronoun.i - subject.i > window:
        return None
    if (sex is not None and _PRONOUN_SEX.get(subject.lower_) == sex) or (
            sex is None and subject.lower_ in ("it", "company", "firm")):
        return antecedent_entity(subject, labels, window, depth - 1)
    entity = next((e for e in previous.ents if e.start <= subject.i < e.end), None)
    if entity is None or entity.label_ not in labels:
        return None
    return entity if sex is None or person_sex(entity) in (None, sex) else None


def person_sex(person: Span) -> Optional[str]:
    """"he" or "she" where a title or kinship word before the person's name,
    here or elsewhere in the article, says which; None where none does or
    they disagree."""
    doc = person.doc
    before = doc[person.start - 1].lower_ if person.start else ""
    said = TITLE_PRONOUNS.get(person[0].lower_) or TITLE_PRONOUNS.get(before) or \
        _KIN_PRONOUNS.get(before)
    return said or _article_sexes(doc).get(person[-1].text)


def _article_sexes(doc: Doc) -> dict[str, Optional[str]]:
    """The last word of each name a title or kinship word comes before in
    the document, and the pronoun it says ("Mr Mubanga": he; None where two
    disagree). Computed once per document."""
    cached = doc.user_data.get("tidings_sexes")
    if cached is not None:
        return cached
    sexes: dict[str, Optional[str]] = {}
    for token in doc:
        said = TITLE_PRONOUNS.get(token.lower_) or _KIN_PRONOUNS.get(token.lower_)
        if said is None:
            continue
        end = token.i + 1
        if end < len(doc) and doc[end].text == "," and token.lower_ in _KIN_PRONOUNS:
            end += 1            # "her husband, Edward Addison"
        last = None
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            last, end = doc[end].text, end + 1
        if last is not None:
            sexes[last] = said if sexes.get(last, said) == said else None
    doc.user_data["tidings_sexes"] = sexes
    return sexes


def _titled_subject(pronoun: Token) -> Optional[Span]:
    """The previous sentence's subject when it is a titled name the
    recogniser did not label and its title fits the pronoun ("Mr Flight
    landed in trouble. He quit", not "Mrs Flight ... He")."""
    sent = pronoun.sent
    if sent.start == 0:
        return None
    previous = sent.doc[sent.start - 1].sent
    subject = next((t for t in previous if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
    sex = _PRONOUN_SEX.get(pronoun.lower_)
    if subject is None or subject.pos_ != "PROPN" or subject.ent_type_ or not any(
            c.dep_ == "compound" and TITLE_PRONOUNS.get(c.lower_) == sex
            for c in subject.children):
        return None
    return Span(sent.doc, subject.i, subject.i + 1, label="PERSON")
