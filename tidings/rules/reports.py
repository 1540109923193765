"""Events and agreements that a claim reports: "X said the ministers met".

An event or agreement is ``reported`` by a claim of the same sentence when
the claim's content holds the words that found it (an event's trigger; an
agreement's noun or verb, or its value), and gets that claim's
``reported_by_claim_id``. Otherwise it is ``asserted``: the writer's own
"The ministers met". When two claims of a sentence hold the words, the one
with the shorter content (the inner report) is taken.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional


def _words_in(words: str, text: str) -> bool:
    return bool(words) and re.search(rf"(?<!\w){re.escape(words)}", text, re.I) is not None


def _cues(record) -> list[str]:
    """The words in the sentence that found the record."""
    if type(record).__name__ == "Event":
        return [record.trigger]
    cues = [record.value_text] if record.value_text else []
    if record.agreement_type != "other":
        cues.append(record.agreement_type)
    rule = record.evidence.split(":")
    if len(rule) > 1 and rule[0] == "verb":
        cues.append(rule[1][:-1] if rule[1].endswith("e") else rule[1])  # agree -> agree(d)
    return [cue for cue in cues if cue]


def reporting_claim(record, claims: list) -> Optional[str]:
    """The id of the claim of the record's sentence whose content holds it."""
    holding = [claim for claim in claims
               if claim.content and any(_words_in(cue, claim.content) for cue in _cues(record))]
    if not holding:
        return None
    return min(holding, key=lambda claim: len(claim.content)).record_id


def link_reports(records: list) -> list:
    """The records with ``reported_by_claim_id`` and ``attribution`` set."""
    claims: dict[tuple[str, int], list] = {}
    for record in records:
        if type(record).__name__ == "Claim":
            claims.setdefault((record.article_id, record.sentence_index), []).append(record)
    linked = []
    for record in records:
        if type(record).__name__ in ("Event", "Agreement"):
            claim = reporting_claim(
                record, claims.get((record.article_id, record.sentence_index), []))
            record = dataclasses.replace(
                record, reported_by_claim_id=claim,
                attribution="reported" if claim else "asserted")
        linked.append(record)
    return linked
