"""What tidings may write: the checks made on ``--output`` before a run
reads anything.

tidings never deletes, moves or overwrites anything it did not write. An
output path is used only when it is

- new (nothing there yet),
- a symbolic link into its own work area (``.DIR.tidings/snapshots``),
  which is what every run on a local disk leaves, or
- a plain folder that holds nothing but tidings' datasets laid out as
  tidings writes them (an output of an older tidings, or an empty folder):
  such a folder is moved into the snapshots and kept there until a later
  run succeeds.

Anything else (a folder with a single other file, a regular file, a link
elsewhere) is refused, and so is an output that is an input, lies inside
one, or holds one.
"""
from __future__ import annotations

import os
import re
from typing import Iterable, Optional

from apache_beam.io.filesystems import FileSystems

from tidings.inputs.listing import input_root, is_remote
from tidings.schemas import DATASETS, RUNS


WORK_DIR = ".tidings"
COMPLETE = ".complete"
SPECS = {**DATASETS, RUNS.name: RUNS}
_PART_FILE = re.compile(r"part-[\w.-]+\.parquet")


class OutputRefused(ValueError):
    """An ``--output`` tidings will not write to; the message says why and
    what to do instead."""


def work_dir(output: str) -> str:
    """Where tidings keeps an output's snapshots and lock: beside a local
    output, ``.DIR.tidings``; inside a remote one."""
    if is_remote(output):
        return FileSystems.join(output, WORK_DIR)
    parent, name = os.path.split(os.path.abspath(output).rstrip(os.sep))
    return os.path.join(parent, f".{name}{WORK_DIR}")


def snapshots_dir(output: str) -> str:
    return os.path.join(work_dir(output), "snapshots")


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _real_output(output: str) -> str:
    """The output's own path with its parent's links resolved, not the
    snapshot its link points to."""
    absolute = os.path.abspath(output).rstrip(os.sep)
    return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def foreign_entry(folder: str) -> Optional[str]:
    """The first entry of a plain folder that tidings would not have
    written there, or None when the folder holds only tidings' datasets
    (``DATASET/COLUMN=VALUE/part-*.parquet``) and snapshot markers."""
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name == COMPLETE and os.path.isfile(path) and not os.path.islink(path):
            continue
        spec = SPECS.get(name)
        if spec is None or os.path.islink(path) or not os.path.isdir(path):
            return path
        for partition in sorted(os.listdir(path)):
            inner = os.path.join(path, partition)
            if not partition.startswith(f"{spec.partition_column}=") or \
                    os.path.islink(inner) or not os.path.isdir(inner):
                return inner
            for part in sorted(os.listdir(inner)):
                file = os.path.join(inner, part)
                if not _PART_FILE.fullmatch(part) or os.path.islink(file) or \
                        not os.path.isfile(file):
                    return file
    return None


def is_own_link(output: str) -> bool:
    """Whether ``output`` is a symbolic link into its own snapshots."""
    if not os.path.islink(output):
        return False
    target = os.path.join(os.path.dirname(os.path.abspath(output)), os.readlink(output))
    return os.path.dirname(os.path.normpath(target)) == os.path.normpath(snapshots_dir(output))


def check_output(output: str, inputs: Iterable[str] = ()) -> None:
    """Refuse an output that tidings did not write, or that overlaps an input.

    Raises:
        OutputRefused: naming the path and what to do.
    """
    if is_remote(output):
        _check_remote(output)
        return
    work = work_dir(output)
    if os.path.lexists(work) and (os.path.islink(work) or not os.path.isdir(work)):
        raise OutputRefused(f"{work!r}, where tidings keeps the output's snapshots and "
                            f"lock, is not a folder tidings made; move it away first")
    real_output, real_work = _real_output(output), os.path.realpath(work)
    for value in inputs:
        if is_remote(value):
            continue
        root = os.path.realpath(input_root(value))
        if root == real_output:
            problem = "is the same path as"
        elif _within(real_output, root):
            problem = "lies inside"
        elif _within(root, real_output) or _within(root, real_work) or \
                (os.path.lexists(output) and _within(root, os.path.realpath(output))):
            problem = "holds"
        else:
            continue
        raise OutputRefused(f"--output {output!r} {problem} --input {value!r}; "
                            f"name an output folder apart from the inputs")
    if os.path.lexists(output):
        if os.path.islink(output):
            if not is_own_link(output):
                raise OutputRefused(
                    f"--output {output!r} is a symbolic link to {os.readlink(output)!r} that "
                    f"tidings did not make; tidings never replaces it: name a new folder")
        elif os.path.isdir(output):
            foreign = foreign_entry(output)
            if foreign is not None:
                raise OutputRefused(
                    f"--output {output!r} is a folder tidings did not write (it holds "
                    f"{os.path.relpath(foreign, output)!r}); tidings never replaces it: "
                    f"name a new or empty folder, or a tidings output")
        else:
            raise OutputRefused(
                f"--output {output!r} is a file, not a folder; tidings never replaces "
                f"it: name a new folder")


def _check_remote(output: str) -> None:
    """A remote output may hold only tidings' datasets and work area."""
    matched = FileSystems.match([FileSystems.join(output.rstrip("/"), "**")])[0].metadata_list
    prefix = output.rstrip("/") + "/"
    for meta in matched:
        first = meta.path[len(prefix):].split("/", 1)[0]
        if first not in SPECS and first != WORK_DIR:
            raise OutputRefused(
                f"--output {output!r} holds {meta.path!r}, which tidings did not write; "
                f"tidings never replaces it: name a new folder")
