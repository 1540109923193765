"""Stream JSON Lines and CSV/TSV files of articles, in parts across workers.

A record file is never loaded whole: it is read a line at a time, so
memory does not grow with the file. An uncompressed file larger than the
split size is cut into parts that each begin at a record boundary
(``record_starts``, one sequential scan), and the parts are read by
different workers. Each part knows the line (JSON Lines) or row (CSV)
number of its first record, so errors and ``source_path`` name the same
place however the file was split. Compressed files cannot be read from the
middle and are streamed whole by one worker.

CSV records may hold newlines inside quoted fields: a newline ends a
record only when the quotation marks before it are balanced (RFC 4180,
where a quote inside a field is doubled).
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import BinaryIO, Iterator, Mapping, NamedTuple, Optional

from tidings.inputs import InputError
from tidings.inputs.compression import capped, open_decompressed
from tidings.schemas import Error


JSON_LINES = frozenset({".jsonl", ".ndjson"})
DELIMITED = {".csv": ",", ".tsv": "\t"}
RECORD_EXTENSIONS = JSON_LINES | frozenset(DELIMITED)

SCAN_BLOCK = 1 << 20


class Record(NamedTuple):
    """One article's fields as a record file gives them, text unrepaired
    and the date unparsed. ``source_path`` is the file and the record's
    id or place in it; ``place`` is always the place (``file#line=N``)."""
    source_path: str
    text: str
    title: Optional[str]
    source: Optional[str]
    url: Optional[str]
    published_date: Optional[str]
    place: str


class Split(NamedTuple):
    """Part of a record file: the bytes from ``start`` to ``end`` (None: the
    end of the file), whose first record is line or row ``first_number``.
    ``header`` is the CSV header, for parts that do not begin with it;
    ``size`` and ``mtime`` are the file's when it was listed."""
    path: str
    kind: str
    compression: Optional[str]
    start: int
    end: Optional[int]
    first_number: int
    header: Optional[tuple[str, ...]] = None
    size: Optional[int] = None
    mtime: Optional[float] = None


def record_starts(stream: BinaryIO, kind: str, every: int) -> list[tuple[int, int]]:
    """Where parts of about ``every`` bytes begin, in one pass over a file.

    Returns:
        (byte offset, number) of the file's start and of the first record
        beginning at or after each ``every`` bytes since the previous part;
        the number is the line (JSON Lines, from 1) or row (CSV, the
        header being row 0) of that record.
    """
    quoted = kind in DELIMITED
    starts = [(0, 0 if quoted else 1)]
    target, offset, ends, inside = every, 0, 0, False
    while block := stream.read(SCAN_BLOCK):
        pos, block_end = 0, offset + len(block)
        if not quoted:
            while target <= block_end:
                newline = block.find(b"\n", max(target - 1 - offset, pos))
                if newline < 0:
                    break
                ends += block.count(b"\n", pos, newline + 1)
                pos = newline + 1
                starts.append((offset + pos, ends + 1))
                target = offset + pos + every
            ends += block.count(b"\n", pos)
        else:
            while (newline := block.find(b"\n", pos)) >= 0:
                inside ^= bool(block.count(b'"', pos, newline) & 1)
                pos = newline + 1
                if not inside:
                    ends += 1
                    if offset + pos >= target:
                        starts.append((offset + pos, ends))
                        target = offset + pos + every
            inside ^= bool(block.count(b'"', pos) & 1)
        offset = block_end
    return [start for start in starts if start[0] < offset or start[0] == 0]


class _Bounded(io.RawIOBase):
    """At most ``size`` bytes of a stream."""

    def __init__(self, handle: BinaryIO, size: Optional[int]):
        self._handle, self._left = handle, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = len(buffer) if self._left is None else min(len(buffer), self._left)
        data = self._handle.read(want) if want else b""
        buffer[:len(data)] = data
        if self._left is not None:
            self._left -= len(data)
        return len(data)


def split_stream(handle: BinaryIO, split: Split, max_bytes: int = 1 << 62) -> BinaryIO:
    """The bytes of ``split`` from an open file, decompressed (and capped,
    ``capped``) when the file is compressed."""
    if split.compression is not None:
        return capped(open_decompressed(handle, split.compression), split.size or 0, max_bytes)
    handle.seek(split.start)
    size = None if split.end is None else split.end - split.start
    return io.BufferedReader(_Bounded(handle, size), SCAN_BLOCK)


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> str:
    """Text that UTF-8 can store: a surrogate pair that JSON escaped
    (``"\\ud83d\\ude00"``) becomes its character, and a lone surrogate
    U+FFFD. Valid text is returned as it is, and the length only changes
    where a pair is joined."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def decode(data: bytes, file_start: bool = True) -> tuple[str, str]:
    """Bytes as text, and the encoding used: UTF-8 (a byte-order mark
    dropped at a file's start), else cp1252, else latin-1, which decodes
    anything."""
    for encoding in ("utf-8-sig" if file_start else "utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


class Lines:
    """The decoded lines of a stream, each read with bounded memory.

    A line longer than ``limit`` bytes is skipped (its remaining bytes are
    read and dropped) and given as a bare newline, with ``too_long`` set
    until the next line, so the caller can report it in its place.
    """

    def __init__(self, stream: BinaryIO, limit: int, at_file_start: bool):
        self._stream, self._limit, self._first = stream, limit, at_file_start
        self.too_long = False

    def __iter__(self) -> Iterator[str]:
        while line := self._stream.readline(self._limit + 1):
            self.too_long = len(line) > self._limit and not line.endswith(b"\n")
            if self.too_long:
                while (rest := self._stream.readline(SCAN_BLOCK)) and not rest.endswith(b"\n"):
                    pass
                line = b"\n"
            yield decode(line, self._first)[0]
            self._first = False


def read_header(stream: BinaryIO, kind: str, limit: int) -> Optional[list[str]]:
    """The header row of a CSV/TSV stream, or None for an empty file."""
    csv.field_size_limit(max(csv.field_size_limit(), limit))
    reader = csv.reader(iter(Lines(stream, limit, True)), delimiter=DELIMITED[kind])
    try:
        return next(reader)
    except (StopIteration, csv.Error):
        return None


def records_in(split: Split, stream: BinaryIO, fields: Mapping[str, str],
               limit: int) -> Iterator[Record | Error]:
    """The records of one part of a JSON Lines or CSV/TSV file.

    Each record's ``source_path`` is the file and the record's place in it (``file#line=3``, ``file#row=2``, or
    ``file#id=X`` when the record has an id). A record that cannot be used
    (malformed JSON, a CSV row of the wrong width, no text, longer than
    ``limit`` bytes) is an Error naming its line or row; the other
    records are still read.
    """
    path = split.path

    def error(where: str, reason: str, detail: Optional[str] = None) -> Error:
        return Error(input_path=f"{path}#{where}", stage="read", reason=reason,
                     detail=detail, article_id=None, published_date=None)

    def too_long(where: str) -> Error:
        return error(where, "record too large", f"over --max-file-bytes {limit}")

    lines = Lines(stream, limit, at_file_start=split.start == 0)
    number = split.first_number - 1
    if split.kind in JSON_LINES:
        for line in lines:
            number += 1
            if lines.too_long:
                yield too_long(f"line={number}")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield error(f"line={number}", "malformed JSON line", str(exc))
                continue
            except RecursionError:
                yield error(f"line={number}", "malformed JSON line",
                            "nested too deeply for a news record")
                continue
            if not isinstance(record, dict):
                yield error(f"line={number}", "malformed JSON line",
                            f"a {type(record).__name__}, not an object")
                continue
            yield _safe_record(path, f"line={number}", record, fields, error)
        return
    # An article is often longer than csv's default field limit (128 KiB).
    csv.field_size_limit(max(csv.field_size_limit(), limit))
    reader = csv.reader(iter(lines), delimiter=DELIMITED[split.kind])
    header = list(split.header) if split.header is not None else None
    if header is None:
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            yield error("row=0", "empty CSV file")
            return
        number += 1
    if fields["text"] not in header:
        yield error("row=0", "no text column",
                    f"columns {header}; map one with --record-fields text=COLUMN")
        return
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            yield error(f"row={number}", "malformed CSV row", str(exc))
            continue
        number += 1
        if lines.too_long:
            yield too_long(f"row={number}")
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield error(f"row={number}", "malformed CSV row",
                        f"{len(values)} fields where the header has {len(header)}")
            continue
        yield _safe_record(path, f"row={number}", dict(zip(header, values)), fields, error)


def blank_to_none(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    value = value.strip()
    return value if value and value.lower() not in ("none", "null", "nan") else None


def _safe_record(path, where, record, fields, error) -> Record | Error:
    """``_record``, or an Error for that record alone if it raises."""
    try:
        return _record(path, where, record, fields, error)
    except Exception as exc:
        return error(where, "unusable record", f"{type(exc).__name__}: {exc}")


def _record(path, where, record, fields, error) -> Record | Error:
    raw_text = record.get(fields["text"])
    if not isinstance(raw_text, str) or not raw_text.strip():
        return error(where, "record has no text",
                     f"no text under {fields['text']!r}; keys {sorted(record)[:12]}")

    def value(field):
        found = record.get(fields[field])
        return blank_to_none(str(found)) if found is not None else None

    record_id = value("id")
    return Record(source_path=f"{path}#id={record_id}" if record_id else f"{path}#{where}",
                  text=raw_text.replace("\r\n", "\n").replace("\r", "\n"),
                  title=value("title"), source=value("source"), url=value("url"),
                  published_date=value("published_date"), place=f"{path}#{where}")


# JSON Lines and CSV files larger than this are read in parts, in parallel.
# A part's articles are parsed by the worker that reads it, so parts must
# be small enough to share the work out: a 1 MB part is about 30 s of
# parsing on one core. With 4 MB parts, 20,000 short articles in a 1.2 MB
# file took 74 s on one of two workers; in 256 KB parts 44 s on both.
DEFAULT_SPLIT_BYTES = 1 << 20


# Fields of such a record, and the key or column each is read from by
# default; ``--record-fields`` maps them to a file's own names.
RECORD_FIELDS = ("text", "title", "published_date", "source", "url", "id")


DEFAULT_RECORD_FIELDS = {"text": "text", "title": "title", "published_date": "date",
                         "source": "source", "url": "url", "id": "id"}


def parse_record_fields(spec: Optional[str]) -> dict[str, str]:
    """Parse ``field=name,...`` into a full record field -> key/column map.

    Raises:
        InputError: an unknown field, or an entry without ``=``.
    """
    mapping = dict(DEFAULT_RECORD_FIELDS)
    for entry in (spec or "").split(","):
        if not entry.strip():
            continue
        field, sep, name = (part.strip() for part in entry.partition("="))
        if not sep or not name:
            raise InputError(f"--record-fields entry {entry!r} is not FIELD=NAME")
        if field not in RECORD_FIELDS:
            raise InputError(f"--record-fields field {field!r} is not one of "
                             f"{', '.join(RECORD_FIELDS)}")
        mapping[field] = name
    return mapping
