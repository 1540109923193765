"""The ``--metadata`` file: reading it (decoded like an article), matching
its rows to input files by name, and applying a row to an article.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import os
from typing import Mapping, Optional

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from tidings.inputs import InputError
from tidings.inputs.dates import parse_date
from tidings.inputs.formats import COMPRESSION_EXTENSIONS, TEXT_EXTENSIONS, looks_binary
from tidings.inputs.record_files import blank_to_none, decode
from tidings.schemas import Article, Error


# Metadata fields tidings understands, and the column each is read from by
# default. ``--metadata-columns`` maps them to a file's own column names.
METADATA_FIELDS = ("file", "published_date", "source", "title", "url")


DEFAULT_METADATA_COLUMNS = {field: field for field in METADATA_FIELDS}


def file_key(path: str) -> str:
    """The name metadata rows use for a file: its base name less extensions.

    ``dev/text/a.txt.gz`` and ``a.txt`` and ``a`` all give ``a``.
    """
    name = os.path.basename(path)
    stem, ext = os.path.splitext(name)
    if ext.lower() in COMPRESSION_EXTENSIONS:
        name, (stem, ext) = stem, os.path.splitext(stem)
    if ext.lower() in TEXT_EXTENSIONS - {""}:
        return stem
    return name


def parse_column_mapping(spec: Optional[str]) -> dict[str, str]:
    """Parse ``field=column,field=column`` into a full field -> column map.

    Raises:
        InputError: an unknown field name, or an entry without ``=``.
    """
    mapping = dict(DEFAULT_METADATA_COLUMNS)
    if not spec:
        return mapping
    for entry in spec.split(","):
        field, sep, column = entry.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not column:
            raise InputError(
                f"--metadata-columns entry {entry!r} is not FIELD=COLUMN")
        if field not in METADATA_FIELDS:
            raise InputError(
                f"--metadata-columns field {field!r} is not one of "
                f"{', '.join(METADATA_FIELDS)}")
        mapping[field] = column
    return mapping


def read_metadata(path: str, columns: Mapping[str, str]) -> list[dict]:
    """Rows of a CSV or TSV metadata file as dicts of tidings' field names.

    The delimiter is a tab for ``.tsv`` files and a comma otherwise. The
    file is decoded like an article (UTF-8, else cp1252), and a field may
    be of any length. Values stay text; dates are parsed when joined, so a
    bad one is reported against its file rather than failing the run.

    Raises:
        InputError: the file cannot be read or parsed, or lacks the key
            column named for ``file``.
    """
    delimiter = "\t" if path.lower().endswith(".tsv") else ","
    if "://" not in path and os.path.isdir(path):
        raise InputError(f"--metadata {path!r} is a folder, not a CSV or TSV file")
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            data = handle.read()
    except Exception as exc:   # Beam wraps OSErrors in its own types
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise InputError(f"--metadata {path!r} cannot be read: {reason}") from None
    if looks_binary(data):
        raise InputError(f"--metadata {path!r} is not a text file")
    text, _ = decode(data)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = reader.fieldnames or []
        if columns["file"] not in header:
            raise InputError(
                f"--metadata {path!r} has no column {columns['file']!r} naming the"
                f" file (columns: {', '.join(header)}); map one with "
                f"--metadata-columns file=COLUMN")
        return [{field: blank_to_none(row.get(column)) for field, column in columns.items()}
                for row in reader]
    except csv.Error as exc:
        raise InputError(f"--metadata {path!r} is not a CSV/TSV file tidings can "
                         f"read: {exc}") from None


def apply_metadata(article: Article, row: Optional[dict],
                   day_first: bool = False) -> tuple[Article, list[Error]]:
    """The article with its metadata row applied, and any problems found.

    Trust runs: the record's own fields (HTML meta tags, JSON Lines and CSV
    columns), then the sidecar row, then the text itself (the dateline's
    agency as source, the first line as title).
    """
    if row is None:
        return article, []
    errors = []
    published = article.published_date
    if published is None:
        try:
            published = parse_date(row.get("published_date"), day_first)
        except ValueError as exc:
            errors.append(unparseable_date_error(article.source_path, article.article_id, str(exc)))
    title = article.title or row.get("title")
    if title is None:
        first_line = article.text.lstrip().split("\n", 1)[0].strip()
        title = first_line[:300] or None
    updated = dataclasses.replace(
        article, title=title, source=article.source or row.get("source"),
        url=article.url or row.get("url"), published_date=published)
    return updated, errors


def unparseable_date_error(path: str, article_id: str, detail: str) -> Error:
    return Error(input_path=path, stage="metadata", reason="unparseable date",
                 detail=detail, article_id=article_id, published_date=None)


def metadata_errors(rows: list[dict]) -> tuple[dict[str, dict], list[Error]]:
    """The first metadata row of each file key, and an Error for each
    further row of the same key."""
    first, errors = {}, []
    for row in rows:
        key = file_key(row["file"] or "")
        if key in first:
            errors.append(Error(
                input_path=row["file"] or key, stage="metadata",
                reason="duplicate metadata row; first one used", detail=repr(row),
                article_id=None, published_date=None))
        else:
            first[key] = row
    return first, errors


# The reason of a metadata row for a file that is no input of the run: not
# an unusable input, so summaries and the report count these apart.
UNMATCHED_ROW = "metadata row matches no input file"


def unmatched_rows(rows: dict[str, dict], file_keys: set) -> list[Error]:
    return [Error(input_path=row.get("file") or key, stage="metadata",
                  reason=UNMATCHED_ROW, detail=repr(row),
                  article_id=None, published_date=None)
            for key, row in sorted(rows.items()) if key not in file_keys]
