"""The declared, versioned schema of every dataset tidings writes.

Each dataset has a frozen dataclass (the element type inside the pipeline)
and one explicit ``pyarrow.schema`` (the columns inside its Parquet files).
Datasets are hive-partitioned by ``published_date``: the partition column
lives in the folder name (``published_date=2017-11-01``), not in the files,
and articles with no known date go to ``published_date=unknown``.

Schema changes are additive: a new column bumps the dataset's version, which
is written into every file's key-value metadata as ``tidings.schema_version``.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Optional

import pyarrow as pa

from tidings.schemas.runs import RUNS, Run  # noqa: F401 (re-exported)
from tidings.schemas.spec import (DATASET_NAME_KEY, PARTITION_COLUMN, SCHEMA_VERSION_KEY,  # noqa: F401
                                  UNKNOWN_PARTITION, DatasetSpec)




@dataclasses.dataclass(frozen=True)
class Article:
    """One article as read from its input, before any language processing."""

    article_id: str
    source_path: str
    title: Optional[str]
    source: Optional[str]
    url: Optional[str]
    published_date: Optional[datetime.date]
    text: str
    content_hash: str
    dateline_location: Optional[str] = None
    dateline_source: Optional[str] = None
    text_repairs: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Sentence:
    article_id: str
    sentence_index: int
    char_start: int
    char_end: int
    text: str
    published_date: Optional[datetime.date]


# A claim, event or agreement record is where it sits (``RecordPlace``)
# plus what the rules found there (the ``*Finding`` types, which the rules
# return). Each column is declared once: the record types are made from
# the two, never retyped.

@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordPlace:
    """Where a record sits: its id, article, sentence and offsets."""

    record_id: str
    article_id: str
    sentence_index: int
    char_start: int
    char_end: int
    sentence: str
    published_date: Optional[datetime.date]
    source: Optional[str]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ClaimFinding:
    """What the claim rules find in a sentence."""

    confidence: float
    evidence: str
    speaker: Optional[str]
    speaker_label: Optional[str]
    speaker_inherited: bool
    cue: Optional[str]
    content: Optional[str]
    is_direct: bool
    channel: Optional[str]
    speaker_entity_id: Optional[str] = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class EventFinding:
    """What the event rules find in a sentence."""

    confidence: float
    evidence: str
    trigger: str
    trigger_lemma: str
    event_type: str
    actor: Optional[str]
    target: Optional[str]
    location: Optional[str]
    date_text: Optional[str]
    date: Optional[datetime.date]
    date_precision: Optional[str]
    date_unresolved_reason: Optional[str] = None
    actor_entity_id: Optional[str] = None
    target_entity_id: Optional[str] = None
    reported_by_claim_id: Optional[str] = None
    attribution: str = "asserted"
    modality: str = "asserted"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AgreementFinding:
    """What the agreement rules find in a sentence."""

    confidence: float
    evidence: str
    agreement_type: str
    status: str
    parties: tuple[str, ...]
    value_text: Optional[str]
    value_amount: Optional[int]
    value_currency: Optional[str]
    date_text: Optional[str]
    date: Optional[datetime.date]
    party_entity_ids: tuple[str, ...] = ()
    reported_by_claim_id: Optional[str] = None
    attribution: str = "asserted"
    modality: str = "asserted"
    parties_inherited: bool = False
    trigger: str = ""
    trigger_lemma: str = ""


@dataclasses.dataclass(frozen=True)
class Entity:
    """A person, organisation, country or group that a record of an article
    names (``tidings.rules.entities``)."""

    entity_id: str
    article_id: str
    name: str
    label: Optional[str]
    aliases: tuple[str, ...]
    entity_key: str
    published_date: Optional[datetime.date]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Claim(RecordPlace, ClaimFinding):
    """A claims row."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event(RecordPlace, EventFinding):
    """An events row."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Agreement(RecordPlace, AgreementFinding):
    """An agreements row."""


_RECORD_OF_FINDING = {ClaimFinding: Claim, EventFinding: Event, AgreementFinding: Agreement}


def place_finding(finding, **place):
    """The record of a finding at a place (the ``RecordPlace`` fields)."""
    values = {field.name: getattr(finding, field.name)
              for field in dataclasses.fields(finding)}
    return _RECORD_OF_FINDING[type(finding)](**place, **values)


@dataclasses.dataclass(frozen=True)
class Error:
    """An input, or part of one, that could not be processed."""

    input_path: str
    stage: str
    reason: str
    detail: Optional[str]
    article_id: Optional[str]
    published_date: Optional[datetime.date]


_RECORD_COLUMNS = [
    pa.field("record_id", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sentence_index", pa.int32(), nullable=False),
    pa.field("char_start", pa.int32(), nullable=False),
    pa.field("char_end", pa.int32(), nullable=False),
    pa.field("sentence", pa.string(), nullable=False),
    pa.field("source", pa.string()),
    pa.field("confidence", pa.float32(), nullable=False),
    pa.field("evidence", pa.string(), nullable=False),
]


ARTICLES = DatasetSpec(
    name="articles",
    version=3,  # 2: dateline_location, dateline_source; 3: text_repairs
    record_type=Article,
    schema=pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("dateline_location", pa.string()),
        pa.field("dateline_source", pa.string()),
        pa.field("text_repairs", pa.string()),
    ]),
)

SENTENCES = DatasetSpec(
    name="sentences",
    version=1,
    record_type=Sentence,
    schema=pa.schema([
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_index", pa.int32(), nullable=False),
        pa.field("char_start", pa.int32(), nullable=False),
        pa.field("char_end", pa.int32(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
    ]),
)

CLAIMS = DatasetSpec(
    name="claims",
    version=2,  # 2: speaker_entity_id
    record_type=Claim,
    schema=pa.schema(_RECORD_COLUMNS + [
        pa.field("speaker", pa.string()),
        pa.field("speaker_label", pa.string()),
        pa.field("speaker_inherited", pa.bool_(), nullable=False),
        pa.field("cue", pa.string()),
        pa.field("content", pa.string()),
        pa.field("is_direct", pa.bool_(), nullable=False),
        pa.field("channel", pa.string()),
        pa.field("speaker_entity_id", pa.string()),
    ]),
)

EVENTS = DatasetSpec(
    name="events",
    version=3,  # 2: date_unresolved_reason; 3: entity ids, reported_by_claim_id,
    # attribution, modality
    record_type=Event,
    schema=pa.schema(_RECORD_COLUMNS + [
        pa.field("trigger", pa.string(), nullable=False),
        pa.field("trigger_lemma", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("actor", pa.string()),
        pa.field("target", pa.string()),
        pa.field("location", pa.string()),
        pa.field("date_text", pa.string()),
        pa.field("date", pa.date32()),
        pa.field("date_precision", pa.string()),
        pa.field("date_unresolved_reason", pa.string()),
        pa.field("actor_entity_id", pa.string()),
        pa.field("target_entity_id", pa.string()),
        pa.field("reported_by_claim_id", pa.string()),
        pa.field("attribution", pa.string()),
        pa.field("modality", pa.string()),
    ]),
)

AGREEMENTS = DatasetSpec(
    name="agreements",
    version=4,  # 2: party_entity_ids, reported_by_claim_id, attribution, modality;
    # 3: parties_inherited; 4: trigger, trigger_lemma
    record_type=Agreement,
    schema=pa.schema(_RECORD_COLUMNS + [
        pa.field("agreement_type", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("parties", pa.list_(pa.string()), nullable=False),
        pa.field("value_text", pa.string()),
        pa.field("value_amount", pa.int64()),
        pa.field("value_currency", pa.string()),
        pa.field("date_text", pa.string()),
        pa.field("date", pa.date32()),
        pa.field("party_entity_ids", pa.list_(pa.string())),
        pa.field("reported_by_claim_id", pa.string()),
        pa.field("attribution", pa.string()),
        pa.field("modality", pa.string()),
        pa.field("parties_inherited", pa.bool_()),
        pa.field("trigger", pa.string()),
        pa.field("trigger_lemma", pa.string()),
    ]),
)

ENTITIES = DatasetSpec(
    name="entities",
    version=1,
    record_type=Entity,
    schema=pa.schema([
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("label", pa.string()),
        pa.field("aliases", pa.list_(pa.string()), nullable=False),
        pa.field("entity_key", pa.string(), nullable=False),
    ]),
)

ERRORS = DatasetSpec(
    name="errors",
    version=1,
    record_type=Error,
    schema=pa.schema([
        pa.field("input_path", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("article_id", pa.string()),
    ]),
)

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (ARTICLES, SENTENCES, CLAIMS, EVENTS, AGREEMENTS, ENTITIES, ERRORS)
}

_SPEC_BY_TYPE = {spec.record_type: spec for spec in DATASETS.values()}


# Each dataset's column names (the runs dataset's too), made once:
# ``schema.names`` makes new strings on every call, and rows built from
# them held a copy of every name, about 900 of a claim row's 2,000 bytes.
_COLUMNS = {spec.record_type: tuple(spec.schema.names) for spec in (*DATASETS.values(), RUNS)}


def spec_for(record) -> DatasetSpec:
    """The dataset a record belongs to, from its type."""
    return _SPEC_BY_TYPE[type(record)]


def partition_value(published_date: Optional[datetime.date]) -> str:
    """The folder value of the partition column for a publication date."""
    if published_date is None:
        return UNKNOWN_PARTITION
    return published_date.isoformat()


def to_row(record) -> dict:
    """A record as a dict of the file schema's columns (no partition column)."""
    row = {name: getattr(record, name) for name in _COLUMNS[type(record)]}
    for name in ("parties", "party_entity_ids", "aliases"):
        if name in row:
            row[name] = list(row[name])
    return row
