"""The declared schemas agree with the record dataclasses."""
from __future__ import annotations

import dataclasses
import datetime

import pyarrow as pa
import pytest

from tidings.schemas import DATASETS, PARTITION_COLUMN, Claim, partition_value, to_row


@pytest.mark.parametrize("name", list(DATASETS))
def test_dataset_schema_matches_record_fields(name):
    spec = DATASETS[name]
    fields = [f.name for f in dataclasses.fields(spec.record_type)]
    assert PARTITION_COLUMN in fields
    assert PARTITION_COLUMN not in spec.schema.names       # it lives in the path
    assert set(spec.schema.names) | {PARTITION_COLUMN} == set(fields)


def test_file_schema_carries_name_and_version():
    schema = DATASETS["claims"].file_schema()
    assert schema.metadata[b"tidings.dataset"] == b"claims"
    assert int(schema.metadata[b"tidings.schema_version"]) >= 1


def test_partition_value():
    assert partition_value(datetime.date(2017, 11, 1)) == "2017-11-01"
    assert partition_value(None) == "unknown"


def test_to_row_fits_schema():
    claim = Claim(record_id="r", article_id="a", sentence_index=0, char_start=0,
                  char_end=5, sentence="Hello", published_date=None, source=None,
                  confidence=0.9, evidence="cue:say", speaker="X",
                  speaker_label="PERSON", speaker_inherited=False, cue="say",
                  content="Hello", is_direct=False, channel=None)
    table = pa.Table.from_pylist([to_row(claim)], schema=DATASETS["claims"].schema)
    assert table.num_rows == 1


def test_runs_schema_matches_record_fields():
    from tidings.schemas import RUNS

    fields = [f.name for f in dataclasses.fields(RUNS.record_type)]
    assert set(RUNS.schema.names) | {RUNS.partition_column} == set(fields)
    assert RUNS.partition_column not in RUNS.schema.names
