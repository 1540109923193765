"""``tidings run --dry-run``: what a run would read, and what it would skip,
without writing anything.

It lists the inputs (format and size), the metadata rows that match an
input and those that do not, and what the output already holds: the
single-article files (text, HTML) whose text an article of the output
already has are the ones a run would leave unchanged. JSON Lines and CSV
files are listed but not read, so their articles are not checked.
"""
from __future__ import annotations

import collections
from typing import Optional, TextIO

from apache_beam.io.filesystem import FileMetadata
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from tidings.inputs.formats import (COMPRESSION_EXTENSIONS, HTML_EXTENSIONS, TEXT_EXTENSIONS,
                                    file_format, parse_file, read_decompressed)
from tidings.inputs.listing import display_path, list_input
from tidings.inputs.metadata import file_key
from tidings.inputs.record_files import RECORD_EXTENSIONS
from tidings.pipelines.options import TidingsOptions


SHOWN_FILES = 20


def dry_run(tidings: TidingsOptions, metadata: Optional[list[dict]], known: frozenset[str],
            stream: TextIO) -> None:
    """Print what a run with these options would read; write nothing.

    Args:
        metadata: the ``--metadata`` rows, or None.
        known: ids of the articles the output holds (empty for a new output
            or ``--full-refresh``).
    """
    def say(line: str = "") -> None:
        print(line, file=stream)

    files: list[FileMetadata] = []
    refused = collections.Counter()
    for value in tidings.input:
        for entry in list_input(value):
            if isinstance(entry, FileMetadata):
                files.append(entry)
            else:
                refused[entry.reason] += 1
    formats = collections.Counter()
    sizes = collections.Counter()
    say(f"tidings: dry run; nothing is read into {tidings.output} or written")
    say(f"inputs: {len(files):,} files, {_size(sum(f.size_in_bytes for f in files))}")
    for meta in files[:SHOWN_FILES]:
        say(f"  {display_path(meta.path)}  {_kind(meta.path)}  {_size(meta.size_in_bytes)}")
    if len(files) > SHOWN_FILES:
        say(f"  ... and {len(files) - SHOWN_FILES:,} more")
    for meta in files:
        formats[_kind(meta.path)] += 1
        sizes[_kind(meta.path)] += meta.size_in_bytes
    for kind, count in formats.most_common():
        say(f"  {kind}: {count:,} files, {_size(sizes[kind])}")
    for reason, count in refused.most_common():
        say(f"  not read: {count:,} {reason}")
    if metadata is not None:
        keys = collections.Counter(file_key(meta.path) for meta in files)
        rows = {file_key(row["file"] or ""): row for row in metadata}
        matched = sum(1 for key in rows if key in keys)
        say(f"metadata: {len(metadata):,} rows; {matched:,} match an input, "
            f"{len(rows) - matched:,} match none (counted apart, as 'metadata rows not used'); "
            f"{sum(n for key, n in keys.items() if key not in rows):,} inputs have no row")
    if not known:
        say(f"output: {tidings.output} holds no articles yet"
            + (" (or --full-refresh rebuilds it)" if tidings.full_refresh else ""))
        return
    unchanged = checked = 0
    for meta in files:
        kind, _ = file_format(meta.path)
        if kind in RECORD_EXTENSIONS or meta.size_in_bytes > tidings.max_file_bytes:
            continue
        checked += 1
        article = _article(meta, tidings.max_file_bytes)
        unchanged += article is not None and article.article_id in known
    say(f"output: {tidings.output} holds {len(known):,} articles; {unchanged:,} of the "
        f"{checked:,} single-article inputs are among them and would be left unchanged")
    records = sum(1 for meta in files if file_format(meta.path)[0] in RECORD_EXTENSIONS)
    if records:
        say(f"  {records:,} JSON Lines or CSV files are not read in a dry run")


def _article(meta: FileMetadata, max_bytes: int):
    _, compression = file_format(meta.path)
    try:
        with FileSystems.open(meta.path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            data = read_decompressed(handle, compression, max_bytes + 1)
    except Exception:  # noqa: BLE001 - a file the run itself would report as an error
        return None
    article = parse_file(meta.path, data, max_bytes)
    return article if hasattr(article, "article_id") else None


def _kind(path: str) -> str:
    kind, compression = file_format(path)
    if kind in TEXT_EXTENSIONS:
        name = "text"
    elif kind in HTML_EXTENSIONS:
        name = "html"
    elif kind in RECORD_EXTENSIONS:
        name = kind.lstrip(".")
    elif kind in COMPRESSION_EXTENSIONS:
        name = "unsupported"
    else:
        name = f"unsupported ({kind})"
    return name + (f", {compression.lstrip('.')}" if compression else "")


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


