"""The runs dataset: one row per run of the pipeline over an output."""
from __future__ import annotations

import dataclasses
import datetime
from typing import Optional

import pyarrow as pa

from tidings.schemas.spec import DatasetSpec


@dataclasses.dataclass(frozen=True)
class Run:
    """One run of the pipeline over an output folder: what it read, what it
    added, and what produced it."""

    run_id: str
    run_date: datetime.date
    started_at: datetime.datetime
    ended_at: datetime.datetime
    status: str
    message: Optional[str]
    full_refresh: bool
    input_files: int
    articles_added: int
    articles_unchanged: int
    duplicate_articles: int
    sentences_added: int
    claims_added: int
    events_added: int
    agreements_added: int
    errors: int
    runner: str
    tidings_version: str
    spacy_model: str
    spacy_model_version: str
    schema_versions: str
    options_hash: str


# The runs dataset is written by the launcher, one file per run, and is
# partitioned by the day the run started rather than by publication date.
RUNS = DatasetSpec(
    name="runs",
    version=1,
    record_type=Run,
    partition_column="run_date",
    schema=pa.schema([
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("started_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("ended_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("message", pa.string()),
        pa.field("full_refresh", pa.bool_(), nullable=False),
        pa.field("input_files", pa.int64(), nullable=False),
        pa.field("articles_added", pa.int64(), nullable=False),
        pa.field("articles_unchanged", pa.int64(), nullable=False),
        pa.field("duplicate_articles", pa.int64(), nullable=False),
        pa.field("sentences_added", pa.int64(), nullable=False),
        pa.field("claims_added", pa.int64(), nullable=False),
        pa.field("events_added", pa.int64(), nullable=False),
        pa.field("agreements_added", pa.int64(), nullable=False),
        pa.field("errors", pa.int64(), nullable=False),
        pa.field("runner", pa.string(), nullable=False),
        pa.field("tidings_version", pa.string(), nullable=False),
        pa.field("spacy_model", pa.string(), nullable=False),
        pa.field("spacy_model_version", pa.string(), nullable=False),
        pa.field("schema_versions", pa.string(), nullable=False),
        pa.field("options_hash", pa.string(), nullable=False),
    ]),
)
