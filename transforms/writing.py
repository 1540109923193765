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

import dataclasses
import json
import logging
import os
import shutil
import socket
import sys
import threading
import time
import uuid
import weakref
from collections import defaultdict
from typing import Optional

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from schemas import (DATASETS, PARTITION_COLUMN, RUNS, SCHEMA_VERSION_KEY, UNKNOWN_PARTITION,
                     Error, partition_value, spec_for, to_row)
from transforms import memory
from transforms.guard import (COMPLETE, OutputRefused, foreign_entry, is_own_link, snapshots_dir,
                              work_dir)
from transforms.records import scrub_surrogates

logger = logging.getLogger(__name__)

COMPRESSION = "zstd"
# What the rows the writers of a bundle hold, all datasets together, take in
# Python's memory before they are written out (``_row_bytes``); writing
# them makes an Arrow copy of a quarter (sentences, claims) to two thirds
# (articles) of that.
BUFFER_BYTES = 16 << 20
EMPTY_FILE = "part-empty.parquet"
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
    write_table(path, pa.Table.from_pylist(rows, schema=DATASETS[dataset].file_schema()))


def write_table(path: str, table: pa.Table) -> None:
    with FileSystems.create(path) as handle:
        pq.write_table(table, handle, compression=COMPRESSION)


def _row_bytes(row: dict) -> int:
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


class _WriteShards(beam.DoFn):
    """Buffers records by partition; writes temporary files when the
    bundle's writers together hold ``buffer_bytes`` (``_BufferBudget``),
    and at the bundle's end."""

    UNSTORABLE = "unstorable"

    def __init__(self, staging: str, buffer_bytes: int = BUFFER_BYTES):
        self._staging = staging
        self._buffer_bytes = buffer_bytes
        self._files = Metrics.counter("tidings", "parquet_parts_written")

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
        if self._budget.hold(self, _row_bytes(row)):
            yield from self._flush()

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
                                    f"part-{uuid.uuid4().hex}{_TEMP_SUFFIX}")
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


# A partition with more parts than this is merged; fewer are renamed as they
# are (one part per worker and partition is the usual case).
MERGE_ABOVE = 4


class _FinishPartition(beam.DoFn):
    """One partition's parts -> its final files: merged when the workers'
    flushes left more than ``MERGE_ABOVE`` parts (or one over
    ``rows_per_file`` rows), else renamed into place."""

    def __init__(self, rows_per_file: int):
        self._rows_per_file = rows_per_file
        self._files = Metrics.counter("tidings", "parquet_files_written")

    def process(self, keyed):
        (dataset, partition), parts = keyed
        parts = sorted(parts, key=lambda w: w.path)
        if len(parts) <= MERGE_ABOVE and all(p.rows <= self._rows_per_file for p in parts):
            finals = [p.path[:-len(_TEMP_SUFFIX)] + ".parquet" for p in parts]
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
            [FileSystems.join(self._staging, "**" + _TEMP_SUFFIX)])[0].metadata_list]
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
                       _WriteShards(self._staging, self._buffer_bytes)).with_outputs(
                           _WriteShards.UNSTORABLE, main="parts")
                   for name in DATASETS]
        # A record the writers could not store is an error row of its own.
        unstorable = ([writer[_WriteShards.UNSTORABLE] for writer in writers]
                      | "Unstorable" >> beam.Flatten()
                      | "WriteUnstorable" >> beam.ParDo(
                          _WriteShards(self._staging, self._buffer_bytes)).with_outputs(
                              _WriteShards.UNSTORABLE, main="parts"))
        parts = [writer.parts for writer in writers] + [unstorable.parts]
        return (
            parts
            | "AllParts" >> beam.Flatten()
            | "KeyByPartition" >> beam.Map(lambda w: ((w.dataset, w.partition), w))
            | "GroupByPartition" >> beam.GroupByKey()
            | "FinishPartitions" >> beam.ParDo(_FinishPartition(self._rows_per_file))
            | "CollectPartitions" >> beam.combiners.ToList()
            | "CommitFiles" >> beam.ParDo(_CommitFiles(self._staging)))


def _is_local(path: str) -> bool:
    return "://" not in path


# On a local filesystem the output folder is a symbolic link to a complete
# snapshot; tidings' work area (snapshots, the lock) sits beside it, hidden:
#   out -> .out.tidings/snapshots/<run id>
# A run builds its snapshot in full, its runs row included, then repoints
# the link with one atomic rename, so readers see the last good run or the
# new one, never a mix. Elsewhere (gs://, s3://) the work area is a hidden
# folder inside the output and files are moved one by one.
LEGACY_PREFIX = "legacy-"


def staging_dir(output: str, run_id: str) -> str:
    """Where a run writes its datasets: on a local filesystem, the snapshot
    that the output will point to once the run has succeeded."""
    if not _is_local(output):
        return FileSystems.join(work_dir(output), "staging", run_id)
    return os.path.join(snapshots_dir(output), run_id)


def lock_path(output: str) -> str:
    return os.path.join(work_dir(output), "lock")


def current_snapshot(output: str) -> Optional[str]:
    """The folder the output's datasets are in now, or None before the first run."""
    if os.path.islink(output):
        target = os.path.realpath(output)
        return target if os.path.isdir(target) else None
    return os.path.abspath(output) if os.path.isdir(output) else None


def prepare(output: str, run_id: str, keep: tuple[str, ...] = ()) -> str:
    """Complete a finished run's staged snapshot; returns its folder.

    Datasets named in ``keep``, and the runs dataset, keep their current
    files beside the new ones: they are hard-linked into the new snapshot
    (copied where links are not possible; rewritten where their schema is
    older). Nothing the output shows changes yet.
    """
    staging = staging_dir(output, run_id)
    if not _is_local(output):
        return staging
    current = current_snapshot(output)
    if current is not None:
        for dataset in (*keep, RUNS.name):
            _keep_current_files(os.path.join(current, dataset),
                                os.path.join(staging, dataset))
    _date_placeholders(staging)
    return staging


def commit(output: str, run_id: str, run=None) -> None:
    """Make a prepared snapshot, with ``run``'s row added to its runs
    dataset, the output's: one atomic rename of the output link. A kill
    at any moment leaves the output pointing at a complete snapshot, the
    old one or the new one, each with its own runs rows. Then the previous
    snapshot is removed (an older plain output migrated by this commit is
    kept until the next commit). On a remote filesystem the files are
    moved one by one instead, which is not atomic.
    """
    staging = staging_dir(output, run_id)
    if run is not None:
        _write_run_file(staging, run)
    if not _is_local(output):
        for dataset in (*DATASETS, RUNS.name):
            staged = FileSystems.join(staging, dataset)
            target = FileSystems.join(output, dataset)
            if dataset != RUNS.name:
                old = [m.path for m in FileSystems.match([target + "/**"])[0].metadata_list]
                if old:
                    FileSystems.delete(old)
            files = [m.path for m in FileSystems.match([staged + "/**"])[0].metadata_list]
            FileSystems.rename(files, [target + f[len(staged):] for f in files])
        remove_tree(staging)
        return
    earlier_legacy = _legacy_snapshots(output)
    current = current_snapshot(output)
    _write_atomically(os.path.join(staging, COMPLETE), run_id)
    migrated = _point(output, staging)
    if current is not None and migrated is None and \
            os.path.realpath(current) != os.path.realpath(staging):
        shutil.rmtree(current, ignore_errors=True)
    for legacy in earlier_legacy:
        shutil.rmtree(legacy, ignore_errors=True)


def publish(output: str, run_id: str, keep: tuple[str, ...] = (), run=None) -> None:
    """``prepare`` then ``commit``."""
    prepare(output, run_id, keep)
    commit(output, run_id, run)


def _legacy_snapshots(output: str) -> list[str]:
    snapshots = snapshots_dir(output)
    if not os.path.isdir(snapshots):
        return []
    return [os.path.join(snapshots, name) for name in sorted(os.listdir(snapshots))
            if name.startswith(LEGACY_PREFIX)]


def _point(output: str, snapshot: str) -> Optional[str]:
    """Repoint the output link at a snapshot with one atomic rename.

    The new link is made in the work area and renamed over the output. An
    output that is still a plain folder (written by an older tidings, or
    empty) is first moved into the snapshots, once ``guard.foreign_entry``
    finds nothing in it that tidings did not write; the next run's
    ``recover`` undoes the move if a kill falls between the two renames.

    Returns:
        Where such a plain folder was moved, or None.

    Raises:
        OutputRefused: the plain folder now holds something else.
    """
    legacy = None
    output = os.path.abspath(output).rstrip(os.sep)
    parent = os.path.dirname(output)
    temporary = os.path.join(work_dir(output), f"link-{os.getpid()}")
    if os.path.lexists(temporary):
        os.remove(temporary)
    os.symlink(os.path.relpath(snapshot, parent), temporary)
    if os.path.isdir(output) and not os.path.islink(output):
        foreign = foreign_entry(output)
        if foreign is not None:
            os.remove(temporary)
            raise OutputRefused(f"{output!r} now holds {foreign!r}, which tidings did not "
                                f"write; it was left as it is")
        legacy = os.path.join(snapshots_dir(output), f"{LEGACY_PREFIX}{time.time_ns()}")
        os.makedirs(os.path.dirname(legacy), exist_ok=True)
        _write_atomically(os.path.join(output, COMPLETE), "legacy")
        os.replace(output, legacy)
    os.replace(temporary, output)
    return legacy


def _keep_current_files(current: str, staged: str) -> None:
    """Link a dataset's current files into its staged folder.

    The staged placeholder of a dataset with no new rows is dropped when
    there are current files, so no partition is added for it.
    """
    if not os.path.isdir(current):
        return
    existing = [os.path.join(folder, name) for folder, _, names in os.walk(current)
                for name in names if name.endswith(".parquet")]
    if not existing:
        return
    for folder, _, names in os.walk(staged):
        if EMPTY_FILE in names:
            os.remove(os.path.join(folder, EMPTY_FILE))
    spec = {**DATASETS, RUNS.name: RUNS}[os.path.basename(staged)]
    for path in existing:
        target = os.path.join(staged, os.path.relpath(path, current))
        if os.path.exists(target):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if _schema_version(path) < spec.version:
            upgrade_file(path, target, spec.name)
            continue
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    for folder, subfolders, names in os.walk(staged, topdown=False):
        if not names and not subfolders:
            os.rmdir(folder)


def _schema_version(path: str) -> int:
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


def _date_placeholders(staging: str) -> None:
    """Move an empty dataset's placeholder from the unknown partition to a
    dated one that other datasets use, so that DuckDB types the partition
    column of every dataset alike (an incremental run that found nothing
    new writes its placeholders before it knows the output's dates)."""
    dated = sorted(
        name for dataset in DATASETS
        for name in (os.listdir(os.path.join(staging, dataset))
                     if os.path.isdir(os.path.join(staging, dataset)) else [])
        if name.startswith(f"{PARTITION_COLUMN}=") and not name.endswith(f"={UNKNOWN_PARTITION}"))
    if not dated:
        return
    for dataset in DATASETS:
        root = os.path.join(staging, dataset)
        unknown = os.path.join(root, f"{PARTITION_COLUMN}={UNKNOWN_PARTITION}")
        if os.listdir(root) == [os.path.basename(unknown)] and \
                os.listdir(unknown) == [EMPTY_FILE]:
            os.makedirs(os.path.join(root, dated[0]))
            os.replace(os.path.join(unknown, EMPTY_FILE),
                       os.path.join(root, dated[0], EMPTY_FILE))
            os.rmdir(unknown)


def _write_atomically(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def recover(output: str) -> Optional[str]:
    """Clean up after runs that were killed. Call with the lock held.

    Removes every snapshot the output does not point to (the unfinished
    work of killed runs), except an older plain output that was migrated
    into the snapshots, which the next successful run removes. If a kill
    fell while such a folder was being moved aside, the output points
    again at the newest complete snapshot.

    Returns:
        The snapshot the output was repointed to, or None.
    """
    if not _is_local(output):
        remove_tree(FileSystems.join(work_dir(output), "staging"))
        return None
    snapshots = snapshots_dir(output)
    repointed = None
    if not os.path.lexists(output) or (is_own_link(output) and current_snapshot(output) is None):
        complete = sorted(
            (os.path.getmtime(os.path.join(snapshots, name, COMPLETE)), name)
            for name in (os.listdir(snapshots) if os.path.isdir(snapshots) else [])
            if os.path.exists(os.path.join(snapshots, name, COMPLETE)))
        if complete:
            repointed = complete[-1][1]
            if os.path.lexists(output):
                os.remove(output)                  # our own dangling link
            _point(output, os.path.join(snapshots, repointed))
            logger.warning("pointed %s at snapshot %s after a killed run", output, repointed)
    current = current_snapshot(output)
    if os.path.isdir(snapshots):
        for name in os.listdir(snapshots):
            path = os.path.join(snapshots, name)
            if name.startswith(LEGACY_PREFIX) and os.path.exists(os.path.join(path, COMPLETE)):
                continue
            if current is None or os.path.realpath(path) != os.path.realpath(current):
                shutil.rmtree(path, ignore_errors=True)
    work = work_dir(output)
    for name in os.listdir(work) if os.path.isdir(work) else []:
        if name.startswith("link-") and os.path.islink(os.path.join(work, name)):
            os.remove(os.path.join(work, name))
    return repointed


def write_run(output: str, run) -> str:
    """Add a failed run's row to the output's current ``runs`` dataset in
    place (one new file, renamed into place); returns its path, or "" when
    the output has no datasets yet. A successful run's row is written into
    its snapshot by ``commit`` instead."""
    if _is_local(output):
        current = current_snapshot(output)
        if current is None:
            logger.warning("run %s not recorded: %s has no datasets yet", run.run_id, output)
            return ""
        return _write_run_file(current, run)
    return _write_run_file(output, run)


def _write_run_file(root: str, run) -> str:
    """One file of the runs dataset under ``root`` holding ``run``'s row,
    written under a temporary name and renamed, so a reader never sees
    half a row."""
    table = pa.Table.from_pylist([storable_row(to_row(run), RUNS.schema)],
                                 schema=RUNS.file_schema())
    path = FileSystems.join(root, RUNS.name, f"{RUNS.partition_column}={run.run_date.isoformat()}",
                            f"part-{run.run_id}.parquet")
    if _is_local(root):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = os.path.join(os.path.dirname(path), f".{run.run_id}.tmp")
        pq.write_table(table, temporary, compression=COMPRESSION)
        os.replace(temporary, path)
    else:
        with FileSystems.create(path) as handle:
            pq.write_table(table, handle, compression=COMPRESSION)
    return path


def remove_tree(path: str) -> None:
    """Delete a folder and everything in it, if it exists."""
    if _is_local(path):
        shutil.rmtree(path, ignore_errors=True)
    elif FileSystems.exists(path):
        FileSystems.delete([path])


class OutputLocked(RuntimeError):
    """Another live run holds the output folder."""


class OutputLock:
    """One writer at a time for an output folder: ``.tidings/lock``.

    The lock file holds the owner's host, process id, run id and start
    time. A lock left by a process that no longer runs on this host is
    stale and is taken over. Output on a remote filesystem is not locked.
    """

    def __init__(self, output: str, run_id: str):
        self.path = lock_path(output)
        self._run_id = run_id
        self._held = False

    def acquire(self) -> None:
        """Raises: OutputLocked, naming the run that holds the lock."""
        if not _is_local(self.path):
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        owner = {"host": socket.gethostname(), "pid": os.getpid(),
                 "process_start": _process_start(os.getpid()),
                 "run_id": self._run_id, "started": time.time()}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is not None and _alive(holder):
                    started = time.strftime("%Y-%m-%d %H:%M:%S",
                                            time.localtime(holder.get("started", 0)))
                    raise OutputLocked(
                        f"run {holder.get('run_id')} (pid {holder.get('pid')} on "
                        f"{holder.get('host')}, since {started}) is writing to this "
                        f"output; wait for it, or remove {self.path} if that run "
                        f"is gone") from None
                self._clear_stale(holder)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(owner, handle)
            self._held = True
            return
        raise OutputLocked(f"could not take {self.path}: another run took it first")

    def release(self) -> None:
        if self._held:
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass
            self._held = False

    def _holder(self) -> Optional[dict]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None     # half-written by a killed run: stale

    def _clear_stale(self, holder: Optional[dict]) -> None:
        logger.warning("clearing a stale lock %s left by %s", self.path, holder)
        # Rename first: of two runs clearing the same stale lock, only one
        # succeeds, and neither removes a lock the other has just taken.
        aside = f"{self.path}.stale.{os.getpid()}"
        try:
            os.replace(self.path, aside)
            os.remove(aside)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _process_start(pid: int) -> Optional[str]:
    """When a process started (clock ticks since boot, from /proc), or
    None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19] if len(fields) > 19 else None


def _process_state(pid: int) -> Optional[str]:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _alive(holder: dict) -> bool:
    """Whether the process that wrote a lock still runs (unknown: alive).

    A zombie (killed, not yet reaped) is dead, and so is a live process
    that reuses the pid but started at another time than the lock's owner.
    """
    if holder.get("host") != socket.gethostname():
        return True          # another machine's run: cannot tell, so wait
    try:
        pid = int(holder["pid"])
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, KeyError, ValueError, TypeError):
        return True
    if _process_state(pid) in ("Z", "X"):
        return False
    started = holder.get("process_start")
    return started is None or _process_start(pid) in (None, started)
