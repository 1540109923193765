"""List the files that ``--input`` names, accounting for every entry.

Each ``--input`` value is a file, a folder (read recursively) or a glob.
Every entry found under it ends as a file to read (a ``FileMetadata``) or
as an ``Error`` saying why it is not read, so nothing the user named
vanishes silently:

- a dangling symbolic link, a link loop, a link back to a folder already
  listed;
- a FIFO, socket or device (never opened: a FIFO would block the run);
- a folder that cannot be listed, an empty folder;
- a file whose name is not valid UTF-8 (Parquet and Beam hold text as
  UTF-8; the name is shown with its odd bytes escaped).

Names starting with ``.`` inside a folder (``.git``, editors' swap files,
tidings' own ``.DIR.tidings`` work areas) are skipped and counted as
``hidden_skipped``; a hidden file named on the command line is read.
"""
from __future__ import annotations

import errno
import glob
import os
import stat
from typing import Callable, Iterable, Iterator, Optional

from apache_beam.io.filesystem import FileMetadata
from apache_beam.io.filesystems import FileSystems

from tidings.schemas import Error


GLOB_CHARS = frozenset("*?[")


def is_remote(path: str) -> bool:
    return "://" in path


def has_glob(value: str) -> bool:
    return any(char in GLOB_CHARS for char in value)


def input_root(value: str) -> str:
    """The file or folder an ``--input`` value reads from: the value
    itself, or for a glob the folder before its first wildcard."""
    if not has_glob(value):
        return value
    head = value[:min(value.index(char) for char in GLOB_CHARS if char in value)]
    return os.path.dirname(head) or "."


def inputs_overlap(values: Iterable[str]) -> bool:
    """Whether two ``--input`` values can name the same file: one's file or
    folder (a glob's folder before its first wildcard) is the other's, or
    lies inside it."""
    roots = []
    for value in values:
        root = input_root(value)
        root = root.rstrip("/") if is_remote(root) else os.path.realpath(root)
        roots.append(root)
    for i, one in enumerate(roots):
        for other in roots[i + 1:]:
            if one == other or _inside(one, other) or _inside(other, one):
                return True
    return False


def _inside(path: str, folder: str) -> bool:
    separator = "/" if is_remote(folder) else os.sep
    return path.startswith(folder.rstrip(separator) + separator)


def display_path(path: str) -> str:
    """A path as text UTF-8 can store: bytes of a non-UTF-8 name (which
    Python keeps as lone surrogates) are shown as ``\\xNN``."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


def _error(path: str, reason: str, detail: Optional[str] = None) -> Error:
    return Error(input_path=display_path(path), stage="read", reason=reason,
                 detail=detail, article_id=None, published_date=None)


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def list_input(value: str, on_hidden: Callable[[str], None] = lambda path: None
               ) -> Iterator[FileMetadata | Error]:
    """Every entry an ``--input`` value names, as a file to read or an
    Error. Folders are listed in name order; ``on_hidden`` is called with
    each hidden entry skipped inside a folder."""
    if is_remote(value):
        pattern = value if has_glob(value) else FileSystems.join(value.rstrip("/"), "**")
        matched = FileSystems.match([pattern])[0].metadata_list
        if not matched and not has_glob(value):
            matched = FileSystems.match([value])[0].metadata_list
        yield from matched
        return
    if has_glob(value):
        paths = sorted(glob.iglob(value, recursive=True))
    else:
        paths = [value] if os.path.lexists(value) else []
    visited: set[tuple[int, int]] = set()
    for path in paths:
        yield from _entry(path, visited, on_hidden)


def _entry(path: str, visited: set, on_hidden) -> Iterator[FileMetadata | Error]:
    try:
        yield from _classify(path, visited, on_hidden)
    except Exception as exc:   # one entry that cannot be listed, not the run
        yield _error(path, "unreadable file", f"{type(exc).__name__}: {exc}")


def _classify(path: str, visited: set, on_hidden) -> Iterator[FileMetadata | Error]:
    try:
        info = os.stat(path)
    except OSError as exc:
        yield _stat_error(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _folder(path, info, visited, on_hidden)
        return
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        yield _error(path, "not a regular file", f"{kind}; tidings reads only files")
        return
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        yield _error(path, "file name is not valid UTF-8",
                     "rename the file with a UTF-8 name to read it")
        return
    yield FileMetadata(path, info.st_size, info.st_mtime)


def _stat_error(path: str, exc: OSError) -> Error:
    try:
        target = os.readlink(path)
    except OSError:
        target = None
    if exc.errno == errno.ELOOP:
        return _error(path, "symbolic link loop", f"{target!r}: {exc.strerror}")
    if target is not None and exc.errno == errno.ENOENT:
        return _error(path, "dangling symbolic link",
                      f"points to {target!r}, which does not exist")
    if exc.errno == errno.ENOENT:
        return _error(path, "file vanished before it was read", str(exc))
    return _error(path, "unreadable file", f"{type(exc).__name__}: {exc}")


def _folder(path: str, info: os.stat_result, visited: set, on_hidden
            ) -> Iterator[FileMetadata | Error]:
    key = (info.st_dev, info.st_ino)
    if key in visited:
        yield _error(path, "symbolic link loop",
                     f"a link to a folder already read ({os.path.realpath(path)!r})")
        return
    visited.add(key)
    try:
        with os.scandir(path) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        yield _error(path, "unreadable folder", f"{type(exc).__name__}: {exc}")
        return
    shown = [name for name in names if not name.startswith(".")]
    for name in names:
        if name.startswith("."):
            on_hidden(os.path.join(path, name))
    if not names:
        yield _error(path, "empty folder", "a folder with nothing in it")
    for name in shown:
        yield from _entry(os.path.join(path, name), visited, on_hidden)


def count_inputs(values: Iterable[str]) -> int:
    """How many files the ``--input`` values name (for the progress
    estimate), holding no list of them.

    Raises:
        ValueError: a value names nothing at all (no file, folder or link).
    """
    total = 0
    for value in values:
        found = False
        for entry in list_input(value):
            found = True
            total += isinstance(entry, FileMetadata)
        if not found:
            raise ValueError(f"--input {value!r} matches no file")
    return total


