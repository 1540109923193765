"""Snapshots and publishing: a run's datasets are built in a snapshot of
their own, then made the output with one atomic rename of the output link;
``recover`` clears what killed runs left.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from typing import Optional

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from tidings.output.guard import (COMPLETE, OutputRefused, foreign_entry, is_own_link,
                                  snapshots_dir, work_dir)
from tidings.output.parquet import (COMPRESSION, EMPTY_FILE, schema_version, storable_row,
                                    upgrade_file)
from tidings.schemas import DATASETS, PARTITION_COLUMN, RUNS, UNKNOWN_PARTITION, to_row


logger = logging.getLogger(__name__)


def is_local(path: str) -> bool:
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
    if not is_local(output):
        return FileSystems.join(work_dir(output), "staging", run_id)
    return os.path.join(snapshots_dir(output), run_id)


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
    if not is_local(output):
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
    if not is_local(output):
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
        if schema_version(path) < spec.version:
            upgrade_file(path, target, spec.name)
            continue
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    for folder, subfolders, names in os.walk(staged, topdown=False):
        if not names and not subfolders:
            os.rmdir(folder)


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
    if not is_local(output):
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
            logger.info("pointed %s at snapshot %s after a killed run", output, repointed)
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
    if is_local(output):
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
    if is_local(root):
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
    if is_local(path):
        shutil.rmtree(path, ignore_errors=True)
    elif FileSystems.exists(path):
        FileSystems.delete([path])
