"""Parquet files of the declared schemas: writing rows, making values
storable, merging parts, and rewriting files of an older schema version.
"""
from __future__ import annotations

import dataclasses
import sys
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from tidings.inputs.record_files import scrub_surrogates
from tidings.nlp import memory
from tidings.schemas import DATASETS, PARTITION_COLUMN, RUNS, SCHEMA_VERSION_KEY, Error


COMPRESSION = "zstd"


EMPTY_FILE = "part-empty.parquet"


TEMP_SUFFIX = ".parquet.inprogress"


@dataclasses.dataclass(frozen=True)
class WrittenFile:
    dataset: str
    partition: str
    path: str
    rows: int


def partition_dir(root: str, dataset: str, partition: str) -> str:
    return FileSystems.join(root, dataset, f"{PARTITION_COLUMN}={partition}")


def write_parquet(path: str, dataset: str, rows: list[dict]) -> None:
    """Write rows of one dataset to one Parquet file, with the declared schema."""
    write_table(path, pa.Table.from_pylist(rows, schema=DATASETS[dataset].file_schema()))


def write_table(path: str, table: pa.Table) -> None:
    with FileSystems.create(path) as handle:
        pq.write_table(table, handle, compression=COMPRESSION)


def row_bytes(row: dict) -> int:
    """What a row takes in memory: the dict and each value (and the items
    of list values); the column names are shared by all rows.

    Counting text alone (plus a fixed 200 bytes a row) missed most of it:
    a row takes 1.5 (articles) to 5 or 6 times (claims, events,
    agreements) its text, and a worker given many short articles held its
    whole share of them, 40 MB for 10,000 two-line articles, before its
    first write. Values shared between rows (None, small integers, dates)
    are counted for each row, which errs on the safe side.
    """
    size = sys.getsizeof(row)
    for value in row.values():
        size += sys.getsizeof(value)
        if isinstance(value, list):
            size += sum(map(sys.getsizeof, value))
    return size


_INT_RANGES = {pa.int32(): (-2 ** 31, 2 ** 31 - 1), pa.int64(): (-2 ** 63, 2 ** 63 - 1)}


def storable_row(row: dict, schema: pa.Schema) -> dict:
    """A row with the values Parquet cannot hold made storable: lone
    surrogates in text become U+FFFD, and an integer outside its column's
    range becomes null where the column allows it (else it raises)."""
    for field in schema:
        value = row.get(field.name)
        if isinstance(value, str):
            row[field.name] = scrub_surrogates(value)
        elif isinstance(value, list):
            row[field.name] = [scrub_surrogates(v) if isinstance(v, str) else v
                               for v in value]
        elif isinstance(value, int) and field.type in _INT_RANGES:
            low, high = _INT_RANGES[field.type]
            if not low <= value <= high:
                if not field.nullable:
                    raise OverflowError(f"{field.name} {value} is out of range")
                row[field.name] = None
    return row


def unstorable(record, exc: Exception) -> Error:
    """The Error that stands for a record the writer could not store."""
    source = getattr(record, "source_path", None) or getattr(record, "input_path", None)
    article_id = getattr(record, "article_id", None)
    return Error(
        input_path=scrub_surrogates(source or f"article {article_id}"), stage="write",
        reason="record could not be stored",
        detail=scrub_surrogates(f"{type(record).__name__}: {type(exc).__name__}: {exc}")[:2000],
        article_id=article_id if isinstance(article_id, str) else None,
        published_date=getattr(record, "published_date", None))


def merge_parts(parts: list[WrittenFile], rows_per_file: int) -> list[str]:
    """Merge one partition's temporary parts into final files of up to
    ``rows_per_file`` rows, reading one part at a time; the parts are
    deleted. Returns the final files' paths."""
    folder = parts[0].path.rsplit("/", 1)[0]
    schema = DATASETS[parts[0].dataset].file_schema()
    finals, writer, handle, in_file = [], None, None, 0
    try:
        for part in parts:
            with FileSystems.open(part.path) as source:
                table = pq.read_table(source, schema=schema)
            start = 0
            while start < table.num_rows:
                if writer is None:
                    finals.append(FileSystems.join(folder, f"part-{uuid.uuid4().hex}.parquet"))
                    handle = FileSystems.create(finals[-1])
                    writer = pq.ParquetWriter(handle, schema, compression=COMPRESSION)
                    in_file = 0
                take = min(table.num_rows - start, rows_per_file - in_file)
                writer.write_table(table.slice(start, take))
                start, in_file = start + take, in_file + take
                if in_file >= rows_per_file:
                    writer.close()
                    handle.close()
                    writer = None
    finally:
        if writer is not None:
            writer.close()
            handle.close()
    FileSystems.delete([part.path for part in parts])
    memory.release_freed(arrow=True)
    return finals


def schema_version(path: str) -> int:
    metadata = pq.read_schema(path).metadata or {}
    return int(metadata.get(SCHEMA_VERSION_KEY, b"0"))


def upgrade_file(source: str, target: str, dataset: str) -> None:
    """Rewrite a file of an older schema version in the current one.

    Schema changes are additive, so the new columns are added as nulls.
    Keeping every file of a dataset at one version matters: DuckDB and
    pyarrow take a dataset's columns from one of its files, and would
    silently leave out columns that only newer files have.
    """
    spec = {**DATASETS, RUNS.name: RUNS}[dataset]
    table = pq.read_table(source)
    columns = [table.column(field.name).cast(field.type) if field.name in table.column_names
               else pa.nulls(table.num_rows, field.type) for field in spec.schema]
    upgraded = pa.Table.from_arrays(columns, schema=spec.file_schema())
    pq.write_table(upgraded, target, compression=COMPRESSION)
