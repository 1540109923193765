"""What every dataset declares: its name, version, file schema and
partition column; and the keys each Parquet file carries them under."""
from __future__ import annotations

import dataclasses

import pyarrow as pa


PARTITION_COLUMN = "published_date"
UNKNOWN_PARTITION = "unknown"

SCHEMA_VERSION_KEY = b"tidings.schema_version"
DATASET_NAME_KEY = b"tidings.dataset"


@dataclasses.dataclass(frozen=True)
class DatasetSpec:
    """A dataset's name, version, file schema and partitioning."""

    name: str
    version: int
    schema: pa.Schema
    record_type: type
    partition_column: str = PARTITION_COLUMN

    def file_schema(self) -> pa.Schema:
        """The schema of one Parquet file, with the version in its metadata."""
        return self.schema.with_metadata({
            SCHEMA_VERSION_KEY: str(self.version).encode(),
            DATASET_NAME_KEY: self.name.encode(),
        })
