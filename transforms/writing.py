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
                     partition_value, spec_for, to_row)
from transforms import memory

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
    schema = DATASETS[dataset].file_schema()
    table = pa.Table.from_pylist(rows, schema=schema)
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

    def __init__(self, staging: str, buffer_bytes: int = BUFFER_BYTES):
        self._staging = staging
        self._buffer_bytes = buffer_bytes
        self._files = Metrics.counter("tidings", "parquet_parts_written")

    def start_bundle(self):
        self._buffers: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self._budget = _bundle_budget(self._staging, self._buffer_bytes)
        self._budget.release(self)

    def process(self, record):
        spec = spec_for(record)
        row = to_row(record)
        self._buffers[(spec.name, partition_value(record.published_date))].append(row)
        if self._budget.hold(self, _row_bytes(row)):
            yield from self._flush()

    def finish_bundle(self):
        for written in self._flush():
            yield WindowedValue(written, GlobalWindow().max_timestamp(), [GlobalWindow()])

    def _flush(self):
        for dataset, partition in sorted(self._buffers):
            rows = self._buffers.pop((dataset, partition))   # freed once written
            path = FileSystems.join(partition_dir(self._staging, dataset, partition),
                                    f"part-{uuid.uuid4().hex}{_TEMP_SUFFIX}")
            write_parquet(path, dataset, rows)
            self._files.inc()
            yield WrittenFile(dataset, partition, path, len(rows))
        self._budget.release(self)
        memory.release_freed(arrow=True)


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
        parts = [datasets[name] | f"Write{name.title()}" >> beam.ParDo(
                     _WriteShards(self._staging, self._buffer_bytes))
                 for name in DATASETS]
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
# A run builds its snapshot in full, then repoints the link with one atomic
# rename, so readers see the last good run or the new one, never a mix.
# Elsewhere (gs://, s3://) the work area is a hidden folder inside the
# output and files are moved one by one.
WORK_DIR = ".tidings"
COMPLETE = ".complete"


def work_dir(output: str) -> str:
    """Where tidings keeps an output's snapshots and lock."""
    if not _is_local(output):
        return FileSystems.join(output, WORK_DIR)
    parent, name = os.path.split(os.path.abspath(output).rstrip(os.sep))
    return os.path.join(parent, f".{name}{WORK_DIR}")


def staging_dir(output: str, run_id: str) -> str:
    """Where a run writes its datasets: on a local filesystem, the snapshot
    that the output will point to once the run has succeeded."""
    if not _is_local(output):
        return FileSystems.join(work_dir(output), "staging", run_id)
    return os.path.join(work_dir(output), "snapshots", run_id)


def lock_path(output: str) -> str:
    return os.path.join(work_dir(output), "lock")


def current_snapshot(output: str) -> Optional[str]:
    """The folder the output's datasets are in now, or None before the first run."""
    if os.path.islink(output):
        target = os.path.realpath(output)
        return target if os.path.isdir(target) else None
    return os.path.abspath(output) if os.path.isdir(output) else None


def publish(output: str, run_id: str, keep: tuple[str, ...] = ()) -> None:
    """Make a finished run's datasets the output's.

    Datasets named in ``keep`` keep their current files beside the new
    ones: they are hard-linked into the new snapshot (copied where links
    are not possible). Then the output link is repointed in one rename and
    the previous snapshot removed. A run killed at any moment leaves the
    output pointing at a complete snapshot, the old one or the new one.
    On a remote filesystem the files are moved one by one instead, which is
    not atomic.
    """
    staging = staging_dir(output, run_id)
    if not _is_local(output):
        for dataset in DATASETS:
            staged = FileSystems.join(staging, dataset)
            target = FileSystems.join(output, dataset)
            old = [m.path for m in FileSystems.match([target + "/**"])[0].metadata_list]
            if old:
                FileSystems.delete(old)
            files = [m.path for m in FileSystems.match([staged + "/**"])[0].metadata_list]
            FileSystems.rename(files, [target + f[len(staged):] for f in files])
        remove_tree(staging)
        return
    current = current_snapshot(output)
    if current is not None:
        for dataset in (*keep, RUNS.name):
            _keep_current_files(os.path.join(current, dataset),
                                os.path.join(staging, dataset))
    _date_placeholders(staging)
    _write_atomically(os.path.join(staging, COMPLETE), run_id)
    previous = _point(output, staging) or current
    if previous is not None and os.path.realpath(previous) != os.path.realpath(staging):
        shutil.rmtree(previous, ignore_errors=True)


def _point(output: str, snapshot: str) -> Optional[str]:
    """Repoint the output link at a snapshot with one atomic rename.

    An output that is still a plain folder (written by an older tidings)
    is first moved into the snapshots, which the next run's ``recover``
    undoes if a kill falls between the two renames.

    Returns:
        Where such a plain folder was moved, or None.
    """
    legacy = None
    output = os.path.abspath(output).rstrip(os.sep)
    parent = os.path.dirname(output)
    temporary = os.path.join(parent, f".{os.path.basename(output)}.link-{os.getpid()}")
    if os.path.lexists(temporary):
        os.remove(temporary)
    os.symlink(os.path.relpath(snapshot, parent), temporary)
    if os.path.isdir(output) and not os.path.islink(output):
        legacy = os.path.join(work_dir(output), "snapshots", f"legacy-{time.time_ns()}")
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
    work of killed runs). If a kill fell while an old plain output folder
    was being moved aside, the output points again at the newest complete
    snapshot.

    Returns:
        The snapshot the output was repointed to, or None.
    """
    if not _is_local(output):
        remove_tree(FileSystems.join(work_dir(output), "staging"))
        return None
    snapshots = os.path.join(work_dir(output), "snapshots")
    repointed = None
    if not os.path.lexists(output) or current_snapshot(output) is None:
        complete = sorted(
            (os.path.getmtime(os.path.join(snapshots, name, COMPLETE)), name)
            for name in (os.listdir(snapshots) if os.path.isdir(snapshots) else [])
            if os.path.exists(os.path.join(snapshots, name, COMPLETE)))
        if complete:
            repointed = complete[-1][1]
            if os.path.lexists(output):
                os.remove(output)                  # a dangling link
            _point(output, os.path.join(snapshots, repointed))
            logger.warning("pointed %s at snapshot %s after a killed run", output, repointed)
    current = current_snapshot(output)
    if os.path.isdir(snapshots):
        for name in os.listdir(snapshots):
            path = os.path.join(snapshots, name)
            if current is None or os.path.realpath(path) != os.path.realpath(current):
                shutil.rmtree(path, ignore_errors=True)
    parent, base = os.path.split(os.path.abspath(output).rstrip(os.sep))
    for name in os.listdir(parent):
        if name.startswith(f".{base}.link-"):
            os.remove(os.path.join(parent, name))
    return repointed


def write_run(output: str, run) -> str:
    """Add a run's row to the output's ``runs`` dataset; returns its path.

    One file per run, written under a temporary name and renamed, so a
    reader never sees half a row.
    """
    if _is_local(output) and current_snapshot(output) is None:
        logger.warning("run %s not recorded: %s has no datasets yet", run.run_id, output)
        return ""
    table = pa.Table.from_pylist([to_row(run)], schema=RUNS.file_schema())
    path = FileSystems.join(output, RUNS.name, f"{RUNS.partition_column}={run.run_date.isoformat()}",
                            f"part-{run.run_id}.parquet")
    if _is_local(output):
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


def _alive(holder: dict) -> bool:
    """Whether the process that wrote a lock still runs (unknown: alive)."""
    if holder.get("host") != socket.gethostname():
        return True          # another machine's run: cannot tell, so wait
    try:
        os.kill(int(holder["pid"]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, KeyError, ValueError, TypeError):
        return True
    return True
