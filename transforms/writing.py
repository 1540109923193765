"""Write records as hive-partitioned Parquet datasets, and publish them.

``WriteDatasets`` writes every record to a staging folder under temporary
names: a worker buffers rows by dataset and partition and writes them out
whenever the rows of all datasets together reach ``BUFFER_BYTES``, so
memory does not grow with the run. The parts of bundles that committed
are then finished partition by partition, in parallel: renamed into
place, or merged into files of up to ``rows_per_file`` rows where more
than ``MERGE_ABOVE`` piled up. A last step deletes the leftovers of
retried bundles. Every dataset gets at least one file (an empty one if
it has no rows), so the documented queries work on any output.

``publish(output, run_id)`` makes a finished run's snapshot the output, in
one atomic rename of the output link, after Beam reports success; a failed
run never touches the output. ``OutputLock`` keeps a second run off an
output while one is writing, and ``recover`` clears what killed runs left.
"""
from __future__ import annotations

import logging
import threading
import uuid
import weakref
from collections import defaultdict

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from tidings.nlp import memory
from tidings.output.parquet import (EMPTY_FILE, TEMP_SUFFIX, WrittenFile, merge_parts,
                                    partition_dir, row_bytes, storable_row, unstorable,
                                    write_parquet, write_table)
from tidings.schemas import DATASETS, UNKNOWN_PARTITION, partition_value, spec_for, to_row
from tidings.transforms import counters


logger = logging.getLogger(__name__)

# What the rows the writers of a bundle hold, all datasets together, take in
# Python's memory before they are written out (``row_bytes``); writing
# them makes an Arrow copy of a quarter (sentences, claims) to two thirds
# (articles) of that.
BUFFER_BYTES = 16 << 20


class _BufferBudget:
    """What the writers of one bundle hold, against one limit.

    Each dataset has its own writer. With a limit each, the small
    datasets' buffers (events, agreements) filled only in long runs, and
    a worker's memory grew with the corpus: over a 40 MB run, Python's
    live blocks between writes rose from 141 to 204 MB and the worker's
    peak from 523 MB in the first half to 551 MB in the second; with one
    limit they stayed at 123 to 150 MB, and 508 and 506 MB.

    With one limit for all, when their total reaches it every writer
    holding a sixteenth of it or more writes its rows out: the one that
    crossed it at once, the others at their next record. A writer holding
    less keeps it, so the total stays under 1.4 limits.
    """

    def __init__(self, limit: int):
        self._limit = limit
        self._held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._due: weakref.WeakSet = weakref.WeakSet()

    def hold(self, writer, size: int) -> bool:
        """Count ``size`` more bytes held by ``writer``; True when it should
        write its rows out now."""
        self._held[writer] = self._held.get(writer, 0) + size
        if writer not in self._due and sum(self._held.values()) >= self._limit:
            self._due.update(w for w, held in self._held.items()
                             if held >= self._limit // 16)
        return writer in self._due

    def release(self, writer) -> None:
        """``writer`` holds nothing now (it wrote its rows out, or starts a bundle)."""
        self._held[writer] = 0
        self._due.discard(writer)


# One budget per thread and staging folder: the writers of a bundle are
# fused and run one after another on the bundle's thread.
_BUDGETS = threading.local()


def _bundle_budget(staging: str, limit: int) -> _BufferBudget:
    budgets = _BUDGETS.__dict__.setdefault("by_staging", {})
    if staging not in budgets:
        budgets[staging] = _BufferBudget(limit)
    return budgets[staging]


class WriteShards(beam.DoFn):
    """Buffers records by partition; writes temporary files when the
    bundle's writers together hold ``buffer_bytes`` (``_BufferBudget``),
    and at the bundle's end."""

    UNSTORABLE = "unstorable"

    def __init__(self, staging: str, buffer_bytes: int = BUFFER_BYTES):
        self._staging = staging
        self._buffer_bytes = buffer_bytes
        self._files = counters.counter(counters.PARQUET_PARTS_WRITTEN)

    def start_bundle(self):
        self._buffers: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        self._budget = _bundle_budget(self._staging, self._buffer_bytes)
        self._budget.release(self)

    def process(self, record):
        try:
            spec = spec_for(record)
            row = storable_row(to_row(record), spec.schema)
            key = (spec.name, partition_value(record.published_date))
        except Exception as exc:   # one record that cannot be stored, not the run
            yield beam.pvalue.TaggedOutput(self.UNSTORABLE, unstorable(record, exc))
            return
        self._buffers[key].append((record, row))
        if self._budget.hold(self, row_bytes(row)):
            yield from self._flush()

    @property
    def held_bytes(self) -> int:
        """The bytes of the rows this writer holds, not yet written."""
        return sum(row_bytes(row) for rows in self._buffers.values() for _, row in rows)

    def finish_bundle(self):
        for written in self._flush():
            if isinstance(written, beam.pvalue.TaggedOutput):
                yield beam.pvalue.TaggedOutput(written.tag, WindowedValue(
                    written.value, GlobalWindow().max_timestamp(), [GlobalWindow()]))
            else:
                yield WindowedValue(written, GlobalWindow().max_timestamp(), [GlobalWindow()])

    def _flush(self):
        for dataset, partition in sorted(self._buffers):
            held = self._buffers.pop((dataset, partition))   # freed once written
            table, failed = _to_table(dataset, held)
            del held
            for record, exc in failed:
                yield beam.pvalue.TaggedOutput(self.UNSTORABLE, unstorable(record, exc))
            if not table.num_rows:
                continue
            path = FileSystems.join(partition_dir(self._staging, dataset, partition),
                                    f"part-{uuid.uuid4().hex}{TEMP_SUFFIX}")
            write_table(path, table)
            self._files.inc()
            yield WrittenFile(dataset, partition, path, table.num_rows)
        self._budget.release(self)
        memory.release_freed(arrow=True)


def _to_table(dataset: str, held: list[tuple]) -> tuple[pa.Table, list[tuple]]:
    """The Arrow table of the rows of ``held`` (record, row) pairs that
    Arrow takes, and the (record, exception) of those it refuses. All rows
    are converted together first; only when that fails is each row tried
    on its own."""
    schema = DATASETS[dataset].file_schema()
    try:
        return pa.Table.from_pylist([row for _, row in held], schema=schema), []
    except Exception:
        pass
    good, failed = [], []
    for record, row in held:
        try:
            pa.Table.from_pylist([row], schema=schema)
            good.append(row)
        except Exception as exc:
            failed.append((record, exc))
    return pa.Table.from_pylist(good, schema=schema), failed


# A partition with more parts than this is merged; fewer are renamed as they
# are (one part per worker and partition is the usual case).
MERGE_ABOVE = 4


class _FinishPartition(beam.DoFn):
    """One partition's parts -> its final files: merged when the workers'
    flushes left more than ``MERGE_ABOVE`` parts (or one over
    ``rows_per_file`` rows), else renamed into place."""

    def __init__(self, rows_per_file: int):
        self._rows_per_file = rows_per_file
        self._files = counters.counter(counters.PARQUET_FILES_WRITTEN)

    def process(self, keyed):
        (dataset, partition), parts = keyed
        parts = sorted(parts, key=lambda w: w.path)
        if len(parts) <= MERGE_ABOVE and all(p.rows <= self._rows_per_file for p in parts):
            finals = [p.path[:-len(TEMP_SUFFIX)] + ".parquet" for p in parts]
            FileSystems.rename([p.path for p in parts], finals)
        else:
            finals = merge_parts(parts, self._rows_per_file)
        self._files.inc(len(finals))
        yield WrittenFile(dataset, partition, finals[0], sum(p.rows for p in parts))


class _CommitFiles(beam.DoFn):
    """Deletes the leftovers of retried bundles, gives empty datasets a
    placeholder file, and counts the rows written."""

    def __init__(self, staging: str):
        self._staging = staging

    def process(self, written: list[WrittenFile]):
        # Every committed part is in place by now: what is left is retried
        # bundles' output.
        leftovers = [m.path for m in FileSystems.match(
            [FileSystems.join(self._staging, "**" + TEMP_SUFFIX)])[0].metadata_list]
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
                    partition_dir(self._staging, dataset, placeholder), EMPTY_FILE)
                write_parquet(path, dataset, [])
        rows = defaultdict(int)
        for item in written:
            rows[item.dataset] += item.rows
        yield {dataset: rows.get(dataset, 0) for dataset in DATASETS}


class WriteDatasets(beam.PTransform):
    """Records of every dataset -> Parquet files under ``staging``.

    The output PCollection holds one dict: rows written per dataset.
    """

    def __init__(self, staging: str, rows_per_file: int = 100_000,
                 buffer_bytes: int = BUFFER_BYTES):
        super().__init__()
        self._staging = staging
        self._rows_per_file = rows_per_file
        self._buffer_bytes = buffer_bytes

    def expand(self, datasets: dict[str, beam.PCollection]) -> beam.PCollection[dict]:
        # One writer per dataset, fused into the step that makes its
        # records: a Flatten of the records themselves would make the
        # in-process runner hold every record of the run in memory.
        writers = [datasets[name] | f"Write{name.title()}" >> beam.ParDo(
                       WriteShards(self._staging, self._buffer_bytes)).with_outputs(
                           WriteShards.UNSTORABLE, main="parts")
                   for name in DATASETS]
        # A record the writers could not store is an error row of its own.
        unstorable = ([writer[WriteShards.UNSTORABLE] for writer in writers]
                      | "Unstorable" >> beam.Flatten()
                      | "WriteUnstorable" >> beam.ParDo(
                          WriteShards(self._staging, self._buffer_bytes)).with_outputs(
                              WriteShards.UNSTORABLE, main="parts"))
        parts = [writer.parts for writer in writers] + [unstorable.parts]
        return (
            parts
            | "AllParts" >> beam.Flatten()
            | "KeyByPartition" >> beam.Map(lambda w: ((w.dataset, w.partition), w))
            | "GroupByPartition" >> beam.GroupByKey()
            | "FinishPartitions" >> beam.ParDo(_FinishPartition(self._rows_per_file))
            | "CollectPartitions" >> beam.combiners.ToList()
            | "CommitFiles" >> beam.ParDo(_CommitFiles(self._staging)))


