"""Write records as hive-partitioned Parquet datasets, and publish them.

``WriteDatasets`` writes every record to a staging folder, one Parquet file
per dataset, partition and bundle (split at ``rows_per_file``), under a
temporary name. A final step, which sees only the files of bundles that
committed, renames those into place and deletes the leftovers of retried
bundles. Every dataset gets at least one file (an empty one if it has no
rows), so the documented queries work on any output.

``publish(staging, output)`` moves a finished staging folder's datasets
into the output folder, replacing the previous run's, after Beam reports
success; a failed run never touches the output.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import uuid
from collections import defaultdict

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from schemas import DATASETS, PARTITION_COLUMN, UNKNOWN_PARTITION, partition_value, spec_for, to_row

logger = logging.getLogger(__name__)

COMPRESSION = "zstd"
_TEMP_SUFFIX = ".parquet.inprogress"


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
    schema = DATASETS[dataset].file_schema()
    table = pa.Table.from_pylist(rows, schema=schema)
    with FileSystems.create(path) as handle:
        pq.write_table(table, handle, compression=COMPRESSION)


class _WriteShards(beam.DoFn):
    """Buffers records by dataset and partition; writes temporary files."""

    def __init__(self, staging: str, rows_per_file: int):
        self._staging = staging
        self._rows_per_file = rows_per_file
        self._files = Metrics.counter("tidings", "parquet_files_written")

    def start_bundle(self):
        self._buffers: dict[tuple[str, str], list[dict]] = defaultdict(list)

    def process(self, record):
        spec = spec_for(record)
        key = (spec.name, partition_value(record.published_date))
        buffer = self._buffers[key]
        buffer.append(to_row(record))
        if len(buffer) >= self._rows_per_file:
            yield self._flush(key)

    def finish_bundle(self):
        for key in list(self._buffers):
            if self._buffers[key]:
                yield WindowedValue(self._flush(key), GlobalWindow().max_timestamp(),
                                    [GlobalWindow()])

    def _flush(self, key: tuple[str, str]) -> WrittenFile:
        dataset, partition = key
        rows = self._buffers.pop(key)
        path = FileSystems.join(partition_dir(self._staging, dataset, partition),
                                f"part-{uuid.uuid4().hex}{_TEMP_SUFFIX}")
        write_parquet(path, dataset, rows)
        self._files.inc()
        return WrittenFile(dataset, partition, path, len(rows))


class _CommitFiles(beam.DoFn):
    """Renames the committed temporary files into place; drops the rest."""

    def __init__(self, staging: str):
        self._staging = staging

    def process(self, written: list[WrittenFile]):
        committed = {w.path for w in written}
        sources, targets = [], []
        for item in sorted(committed):
            sources.append(item)
            targets.append(item[:-len(_TEMP_SUFFIX)] + ".parquet")
        if sources:
            FileSystems.rename(sources, targets)
        leftovers = [m.path for m in FileSystems.match(
            [FileSystems.join(self._staging, "**" + _TEMP_SUFFIX)])[0].metadata_list
            if m.path not in committed]
        if leftovers:
            logger.info("deleting %d files of retried bundles", len(leftovers))
            FileSystems.delete(leftovers)
        present = {w.dataset for w in written}
        # An empty dataset gets one zero-row file, so queries over it work.
        # It goes in a partition the run used, so that DuckDB types the
        # partition column of every dataset alike (DATE unless a row of the
        # run has no date).
        dated = sorted(w.partition for w in written if w.partition != UNKNOWN_PARTITION)
        placeholder = dated[0] if dated else UNKNOWN_PARTITION
        for dataset in DATASETS:
            if dataset not in present:
                path = FileSystems.join(
                    partition_dir(self._staging, dataset, placeholder),
                    "part-empty.parquet")
                write_parquet(path, dataset, [])
        rows = defaultdict(int)
        for item in written:
            rows[item.dataset] += item.rows
        yield {dataset: rows.get(dataset, 0) for dataset in DATASETS}


class WriteDatasets(beam.PTransform):
    """Records of every dataset -> Parquet files under ``staging``.

    The output PCollection holds one dict: rows written per dataset.
    """

    def __init__(self, staging: str, rows_per_file: int = 100_000):
        super().__init__()
        self._staging = staging
        self._rows_per_file = rows_per_file

    def expand(self, datasets: dict[str, beam.PCollection]) -> beam.PCollection[dict]:
        return (
            [datasets[name] for name in DATASETS]
            | "AllRecords" >> beam.Flatten()
            | "WriteShards" >> beam.ParDo(_WriteShards(self._staging,
                                                       self._rows_per_file))
            | "CollectFiles" >> beam.combiners.ToList()
            | "CommitFiles" >> beam.ParDo(_CommitFiles(self._staging)))


def _is_local(path: str) -> bool:
    return "://" not in path


def publish(staging: str, output: str, trash: str) -> None:
    """Replace the output's datasets with the staged ones.

    Each dataset folder is swapped with one rename on a local filesystem
    (the staging folder lives inside the output folder for that reason);
    elsewhere the files are moved one by one.
    """
    for dataset in DATASETS:
        staged = FileSystems.join(staging, dataset)
        target = FileSystems.join(output, dataset)
        if _is_local(output):
            if os.path.exists(target):
                os.makedirs(trash, exist_ok=True)
                os.replace(target, os.path.join(trash, dataset))
            os.replace(staged, target)
        else:
            old = [m.path for m in FileSystems.match([target + "/**"])[0].metadata_list]
            if old:
                FileSystems.delete(old)
            files = [m.path for m in FileSystems.match([staged + "/**"])[0].metadata_list]
            FileSystems.rename(files, [target + f[len(staged):] for f in files])
    remove_tree(trash)
    remove_tree(staging)


def remove_tree(path: str) -> None:
    """Delete a folder and everything in it, if it exists."""
    if _is_local(path):
        shutil.rmtree(path, ignore_errors=True)
    elif FileSystems.exists(path):
        FileSystems.delete([path])
