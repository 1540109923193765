"""Write records as hive-partitioned Parquet datasets, and publish them.

``WriteDatasets`` writes every record to a staging folder, one Parquet file
per dataset, partition and bundle (split at ``rows_per_file``), under a
temporary name. A final step, which sees only the files of bundles that
committed, renames those into place and deletes the leftovers of retried
bundles. Every dataset gets at least one file (an empty one if it has no
rows), so the documented queries work on any output.

``publish(output, run_id)`` moves a finished run's staged datasets into
the output folder, replacing the previous run's, after Beam reports
success; a failed run never touches the output. ``OutputLock`` keeps a
second run off an output folder while one is writing, and ``recover``
finishes the publish of a run killed part way through it.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import socket
import time
import uuid
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

logger = logging.getLogger(__name__)

COMPRESSION = "zstd"
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


# tidings' own work area inside an output folder: staging of the run in
# progress, the publish journal, the lock. Hidden, so dataset globs skip it.
WORK_DIR = ".tidings"


def staging_dir(output: str, run_id: str) -> str:
    return FileSystems.join(output, WORK_DIR, "staging", run_id)


def _trash_dir(output: str, run_id: str) -> str:
    return FileSystems.join(output, WORK_DIR, "trash", run_id)


def _journal_path(output: str) -> str:
    return os.path.join(output, WORK_DIR, "publish.json")


def publish(output: str, run_id: str, keep: tuple[str, ...] = ()) -> None:
    """Replace the output's datasets with those a finished run staged.

    Datasets named in ``keep`` keep their current files beside the new
    ones: they are hard-linked into the staging folder (copied where links
    are not possible) before the swap, so an incremental run still swaps
    each folder in one rename.

    On a local filesystem each dataset folder is swapped in with renames
    (the staging folder lives inside the output folder for that reason),
    after a journal naming the run is written; a run killed part way
    through leaves the journal, and the next run finishes the swap
    (``recover``). Elsewhere the files are moved one by one, which is not
    atomic.
    """
    staging = staging_dir(output, run_id)
    if _is_local(output):
        for dataset in keep:
            _keep_current_files(os.path.join(output, dataset),
                                os.path.join(staging, dataset))
        _date_placeholders(staging)
        journal = _journal_path(output)
        _write_atomically(journal, json.dumps({"run_id": run_id}))
        _swap_datasets(output, run_id)
        os.remove(journal)
    else:
        for dataset in DATASETS:
            staged = FileSystems.join(staging, dataset)
            target = FileSystems.join(output, dataset)
            old = [m.path for m in FileSystems.match([target + "/**"])[0].metadata_list]
            if old:
                FileSystems.delete(old)
            files = [m.path for m in FileSystems.match([staged + "/**"])[0].metadata_list]
            FileSystems.rename(files, [target + f[len(staged):] for f in files])
    remove_tree(_trash_dir(output, run_id))
    remove_tree(staging)


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
    spec = DATASETS[os.path.basename(staged)]
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
    spec = DATASETS[dataset]
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


def _swap_datasets(output: str, run_id: str) -> None:
    """Move each staged dataset into place; safe to repeat after a kill."""
    staging, trash = staging_dir(output, run_id), _trash_dir(output, run_id)
    for dataset in DATASETS:
        staged = os.path.join(staging, dataset)
        target = os.path.join(output, dataset)
        if not os.path.exists(staged):
            continue                      # swapped before the kill
        if os.path.exists(target):
            os.makedirs(trash, exist_ok=True)
            shutil.rmtree(os.path.join(trash, dataset), ignore_errors=True)
            os.replace(target, os.path.join(trash, dataset))
        os.replace(staged, target)


def _write_atomically(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def recover(output: str) -> Optional[str]:
    """Finish a publish that a killed run left half done, and clear the
    staging of runs that never got to publish. Call with the lock held.

    Returns:
        The id of the run whose publish was finished, or None.
    """
    if not _is_local(output):
        return None
    finished = None
    journal = _journal_path(output)
    if os.path.exists(journal):
        with open(journal, encoding="utf-8") as handle:
            finished = json.load(handle)["run_id"]
        _swap_datasets(output, finished)
        os.remove(journal)
        logger.warning("finished publishing run %s, which was killed while "
                       "publishing", finished)
    for area in ("staging", "trash"):
        remove_tree(os.path.join(output, WORK_DIR, area))
    return finished


def write_run(output: str, run) -> str:
    """Add a run's row to the output's ``runs`` dataset; returns its path.

    One file per run, written under a temporary name and renamed, so a
    reader never sees half a row.
    """
    row = {name: getattr(run, name) for name in RUNS.schema.names}
    table = pa.Table.from_pylist([row], schema=RUNS.file_schema())
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
        self.path = os.path.join(output, WORK_DIR, "lock")
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
