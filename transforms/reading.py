"""Read article files into ``Article`` records, joined with their metadata.

``ReadArticles`` lists the inputs (``transforms.listing``), reads each file (plain text,
or JSON Lines and CSV/TSV files of many articles, each optionally
compressed), decodes its text, joins the row of the ``--metadata`` file
that names it, and drops duplicate articles (same text). Whatever cannot be read becomes an ``Error``
record on the ``errors`` output, never an exception that stops the run.

The helpers are plain functions, tested without Beam.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime
import email.utils
import hashlib
import io
import logging
import os
import re
from typing import BinaryIO, Iterable, Mapping, Optional

import apache_beam as beam
import dateutil.parser
import ftfy
import trafilatura
import zstandard
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas import Article, Error
from transforms.listing import ListInputs
from transforms.nlp import find_dateline
from transforms.records import (DELIMITED, DecompressionLimit, RECORD_EXTENSIONS, Split, blank_to_none, decode,
                                open_decompressed, read_header, record_starts,
                                records_in, scrub_surrogates, split_stream)

logger = logging.getLogger(__name__)

# Extensions read as plain text; anything else is reported, not guessed at.
TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})
COMPRESSION_EXTENSIONS = frozenset({".gz", ".bz2", ".zst"})

# Saved web pages: the article body is extracted from the boilerplate.
HTML_EXTENSIONS = frozenset({".html", ".htm"})
# A page whose extracted body is shorter than this is navigation, not news.
MIN_HTML_WORDS = 8
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

# Metadata fields tidings understands, and the column each is read from by
# default. ``--metadata-columns`` maps them to a file's own column names.
METADATA_FIELDS = ("file", "published_date", "source", "title", "url")
DEFAULT_METADATA_COLUMNS = {field: field for field in METADATA_FIELDS}


class InputError(ValueError):
    """An input that names nothing, or a metadata file that cannot be used."""


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


def parse_date(value: Optional[str], day_first: bool = False) -> Optional[datetime.date]:
    """A publication date from text: ISO (``2017-11-01``, or a timestamp),
    RFC 2822 (``Sun, 31 Dec 2017 10:00:00 GMT``) or written out
    (``December 31, 2017``). Numeric dates like 01/02/2017 are read month
    first, or day first with ``day_first``.

    Returns None for an empty value.

    Raises:
        ValueError: the text is not a date.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        parsed = dateutil.parser.parse(text, default=datetime.datetime(1, 1, 1),
                                       dayfirst=day_first)
    except (ValueError, OverflowError):
        raise ValueError(f"date {value!r} is not a date tidings can read") from None
    if parsed.year == 1:
        raise ValueError(f"date {value!r} has no year")
    return parsed.date()


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


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning the text and the encoding used.

    UTF-8 (with or without a byte-order mark) first, then cp1252, which
    covers latin-1 text in practice; bytes cp1252 leaves undefined fall back
    to latin-1, which decodes anything. Line endings become ``\\n`` so that
    character offsets do not depend on the platform that wrote the file.
    """
    text, encoding = decode(data)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def wide_encoding(data: bytes) -> Optional[str]:
    """UTF-16 or UTF-32, from a byte-order mark or, without one, from where
    the zero bytes of mostly-ASCII text fall; None for other text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for width, name in ((4, "utf-32"), (2, "utf-16")):
        units = [sample[i:i + width] for i in range(0, len(sample) // width * width, width)]
        for order, text_at in (("le", 0), ("be", width - 1)):
            ascii_like = sum(1 for unit in units if unit[text_at] and not any(
                unit[j] for j in range(width) if j != text_at))
            if ascii_like >= 0.9 * len(units):
                return f"{name}-{order}"
    return None


def content_hash(text: str) -> str:
    """The sha256 of an article's text, in hex: the article's identity."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def looks_binary(data: bytes) -> bool:
    """True when bytes are clearly not text: NULs or many control bytes."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    return len(_BINARY_CONTROL.findall(sample)) > len(sample) // 100


def read_decompressed(handle: BinaryIO, compression: Optional[str], limit: int) -> bytes:
    """At most ``limit`` bytes of a file, decompressed by extension.

    Raises:
        EOFError, OSError, zstandard.ZstdError: corrupt or truncated data.
    """
    return open_decompressed(handle, compression).read(limit)


_FIXER = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True)
# Text of only these characters has nothing for ftfy to repair, and checking
# is about 100 times faster than ftfy. Mojibake is UTF-8 read in a one-byte
# code page: a lead byte's character followed by continuation bytes'. The
# set holds leads of MacRoman (curly quotes, dashes, the ellipsis, no-break
# space) but no continuation of any code page ftfy knows († and • are left
# out), and no lead of cp1252, latin-1 or cp1251 (letters). ASCII is already
# NFC; '&' (HTML entities) and control characters are left out.
_NOTHING_TO_REPAIR = re.compile(r"[\t\n\x20-\x25\x27-\x7e\xa0\u2010-\u201f\u2026]*")


def repair_text(text: str) -> tuple[str, Optional[str]]:
    """Text with mojibake and stray control characters repaired and
    Unicode normalised (NFC), and the names of the repairs made.

    Curly quotation marks are kept: the claim finder reads their direction.
    Records' offsets point into the repaired text, which is the text stored.
    """
    if _NOTHING_TO_REPAIR.fullmatch(text):
        return text, None
    fixed, explanation = ftfy.fix_and_explain(text, config=_FIXER)
    steps = [step for _, step in explanation or []]
    if fixed == text:
        return text, None
    return fixed, ",".join(dict.fromkeys(steps)) or "normalized"


def make_article(path: str, text: str, title: Optional[str] = None,
                 source: Optional[str] = None, url: Optional[str] = None,
                 published: Optional[datetime.date] = None) -> Article:
    """An Article from decoded text and the record's own metadata.

    Lone surrogates (JSON's ``"\\ud83d"``) become U+FFFD in every field.
    The text is repaired (``repair_text``); its dateline gives the
    location (and, later, the source when nothing else names one:
    ``with_dateline_source``).
    """
    path, title, source, url = (None if value is None else scrub_surrogates(value)
                                for value in (path, title, source, url))
    text, repairs = repair_text(scrub_surrogates(text))
    digest = content_hash(text)
    dateline = find_dateline(text)
    agency = dateline.agency if dateline else None
    return Article(article_id=digest[:20], source_path=path, title=title,
                   source=source, url=url, published_date=published,
                   text=text, content_hash=digest,
                   dateline_location=dateline.location if dateline else None,
                   dateline_source=agency, text_repairs=repairs)


def file_format(path: str) -> tuple[str, Optional[str]]:
    """A file's format extension and compression extension (or None), from
    its name: ``a.jsonl.gz`` gives (".jsonl", ".gz")."""
    stem, ext = os.path.splitext(os.path.basename(path).lower())
    if ext in COMPRESSION_EXTENSIONS:
        return os.path.splitext(stem)[1], ext
    return ext, None


def _read_error(path: str, reason: str, detail: str) -> Error:
    return Error(input_path=path, stage="read", reason=reason, detail=detail,
                 article_id=None, published_date=None)


def _date_error(path: str, article_id: str, detail: str) -> Error:
    return Error(input_path=path, stage="metadata", reason="unparseable date",
                 detail=detail, article_id=article_id, published_date=None)


def parse_file(path: str, data: bytes, max_bytes: int) -> Article | Error:
    """Turn one file's bytes into an Article, or an Error saying why not."""
    if len(data) > max_bytes:
        return _read_error(path, "file too large",
                           f"{len(data)} bytes > --max-file-bytes {max_bytes}")
    wide = wide_encoding(data)
    if wide is not None:
        try:
            text = data.decode(wide).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            return _read_error(path, "undecodable text", f"looks like {wide}: {exc}")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif looks_binary(data):
        return _read_error(path, "binary file", "control bytes found; not text")
    else:
        text, _ = decode_text(data)
    if not text.strip():
        return _read_error(path, "empty file", f"{len(data)} bytes, no text")
    if file_format(path)[0] in HTML_EXTENSIONS:
        return parse_html(path, text)
    return make_article(path, text)


def parse_html(path: str, html: str) -> Article | Error:
    """The article body of a saved web page, without its boilerplate
    (trafilatura), with the page's title, date, URL and site name."""
    body = trafilatura.extract(html, output_format="txt", include_comments=False,
                               include_tables=False, favor_precision=True)
    if not body or len(body.split()) < MIN_HTML_WORDS:
        return _read_error(path, "no article text in HTML",
                           f"trafilatura found {len((body or '').split())} words of "
                           f"main text (fewer than {MIN_HTML_WORDS})")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = datetime.date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    return make_article(path, body, title=meta.title if meta else None,
                        source=meta.sitename if meta else None,
                        url=meta.url if meta else None, published=published)


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
            errors.append(_date_error(article.source_path, article.article_id, str(exc)))
    title = article.title or row.get("title")
    if title is None:
        first_line = article.text.lstrip().split("\n", 1)[0].strip()
        title = first_line[:300] or None
    updated = dataclasses.replace(
        article, title=title, source=article.source or row.get("source"),
        url=article.url or row.get("url"), published_date=published)
    return updated, errors


def with_dateline_source(article: Article) -> Article:
    """The article with its dateline's agency as source, when neither the
    record nor the sidecar named one (the text is the least trusted)."""
    if article.source or not article.dateline_source:
        return article
    return dataclasses.replace(article, source=article.dateline_source)


class _PlanReads(beam.DoFn):
    """A matched file -> the parts it is read in (``Split``s).

    A file of one article, or a compressed one, is one part. An
    uncompressed JSON Lines or CSV file larger than ``split_bytes`` is
    scanned once for record boundaries and cut into parts of about that
    size, which later steps read on different workers. A file of a format
    tidings does not read is an Error (tagged).
    """

    ERRORS = "errors"

    def __init__(self, split_bytes: int, record_fields: Mapping[str, str],
                 max_bytes: int):
        self._split_bytes = split_bytes
        self._fields = dict(record_fields)
        self._max_bytes = max_bytes
        self._splits = Metrics.counter("tidings", "file_parts")

    def process(self, metadata):
        try:
            splits = list(self._plan(metadata))
        except Exception as exc:   # one file that cannot be planned, not the run
            yield beam.pvalue.TaggedOutput(self.ERRORS, _read_error(
                metadata.path, "unreadable file", f"{type(exc).__name__}: {exc}"))
            return
        for split in splits:
            if isinstance(split, Error):
                yield beam.pvalue.TaggedOutput(self.ERRORS, split)
            else:
                self._splits.inc()
                yield split

    def _plan(self, metadata):
        path, size = metadata.path, metadata.size_in_bytes
        mtime = metadata.last_updated_in_seconds
        kind, compression = file_format(path)
        if kind not in TEXT_EXTENSIONS | RECORD_EXTENSIONS | HTML_EXTENSIONS:
            known = sorted(e for e in TEXT_EXTENSIONS | RECORD_EXTENSIONS | HTML_EXTENSIONS if e)
            detail = (f"extension {kind!r}; tidings reads {', '.join(known)} or no "
                      f"extension, optionally .gz/.bz2/.zst")
            if kind in COMPRESSION_EXTENSIONS:
                detail = "compressed twice; tidings decompresses a file once"
            yield _read_error(path, "unsupported format", detail)
            return
        whole = Split(path, kind, compression, 0, None, 0 if kind in DELIMITED else 1,
                      size=size, mtime=mtime)
        if kind not in RECORD_EXTENSIONS or compression or size <= self._split_bytes:
            yield whole
            return
        try:
            with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                starts = record_starts(handle, kind, self._split_bytes)
                header = None
                if kind in DELIMITED:
                    handle.seek(0)
                    header = read_header(handle, kind, self._max_bytes)
        except OSError:
            starts, header = [], None       # the reader reports it
        if len(starts) < 2 or (kind in DELIMITED and (
                header is None or self._fields["text"] not in header)):
            yield whole
            return
        ends = [start for start, _ in starts[1:]] + [None]
        for (start, number), end in zip(starts, ends):
            yield Split(path, kind, compression, start, end, number,
                        tuple(header) if header is not None and start > 0 else None,
                        size=size, mtime=mtime)


class _ReadSplit(beam.DoFn):
    """A part of a file -> (place, Article) pairs, and Errors (tagged).

    The place names the article's occurrence uniquely (the file, and the
    line or row for records), so that one of several copies of an article
    can be chosen. The metadata row of the file (side input: file key ->
    row) is applied to single-article files.

    Args:
        emit_errors: False for the pass that only looks for duplicates.
    """

    ERRORS = "errors"

    def __init__(self, max_bytes: int, record_fields: Mapping[str, str],
                 day_first: bool, emit_errors: bool = True):
        self._max_bytes = max_bytes
        self._fields = dict(record_fields)
        self._day_first = day_first
        self._emit_errors = emit_errors
        self._counters = {name: Metrics.counter("tidings", name) for name in (
            "files_read", "files_failed", "records_read", "records_failed")}

    def process(self, split: Split, metadata: Mapping[str, dict]):
        try:
            for result in self._results(split, metadata):
                if isinstance(result, Error):
                    if self._emit_errors:
                        yield beam.pvalue.TaggedOutput(self.ERRORS, result)
                else:
                    yield result
        except Exception as exc:   # one file that cannot be read, not the run
            logger.exception("reading %s failed", split.path)
            self._count("files_failed")
            if self._emit_errors:
                yield beam.pvalue.TaggedOutput(self.ERRORS, _read_error(
                    split.path, "reading failed",
                    f"{type(exc).__name__}: {exc} (any records before it are kept)"))

    def _count(self, name: str) -> None:
        if self._emit_errors:                   # counted in one pass only
            self._counters[name].inc()

    def _results(self, split: Split, metadata: Mapping[str, dict]):
        path = split.path
        try:
            with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                if split.kind in RECORD_EXTENSIONS:
                    yield from self._records(split, handle)
                    return
                data = read_decompressed(handle, split.compression, self._max_bytes + 1)
        except DecompressionLimit as exc:
            self._count("files_failed")
            yield _read_error(path, "file too large", str(exc))
            return
        except FileNotFoundError as exc:
            self._count("files_failed")
            yield _read_error(path, "file vanished before it was read", str(exc))
            return
        except (OSError, EOFError, ValueError, zstandard.ZstdError) as exc:
            self._count("files_failed")
            yield _read_error(path, "unreadable file", f"{type(exc).__name__}: {exc}")
            return
        if split.compression and len(data) > self._max_bytes:
            self._count("files_failed")
            yield _read_error(path, "file too large",
                              f"decompresses to more than --max-file-bytes {self._max_bytes}")
            return
        changed = _changed(split)
        if changed:
            self._count("files_failed")
            yield _read_error(path, "file changed while it was read", changed)
            return
        result = parse_file(path, data, self._max_bytes)
        if isinstance(result, Error):
            self._count("files_failed")
            yield result
            return
        self._count("files_read")
        article, errors = apply_metadata(result, metadata.get(file_key(path)),
                                         self._day_first)
        yield from errors
        yield path, article

    def _records(self, split: Split, handle):
        stream = split_stream(handle, split, self._max_bytes)
        if split.start == 0:
            head = stream.peek(8192)[:8192]
            if looks_binary(head):
                self._count("files_failed")
                yield _read_error(split.path, "binary file", "control bytes found; not text")
                return
        found = False
        try:
            for record in records_in(split, stream, self._fields, self._max_bytes):
                found = True
                if isinstance(record, Error):
                    if record.stage == "read":
                        self._count("records_failed")
                    yield record
                    continue
                try:
                    made = list(self._article(record))
                except Exception as exc:   # one record, not the rest of the file
                    self._count("records_failed")
                    yield _read_error(record.place, "unusable record",
                                      f"{type(exc).__name__}: {exc}")
                    continue
                yield from made
        except DecompressionLimit as exc:
            self._count("files_failed")
            yield _read_error(split.path, "file too large",
                              f"{exc} (the records before it are kept)")
            return
        except (OSError, EOFError, ValueError, zstandard.ZstdError) as exc:
            self._count("files_failed")
            yield _read_error(split.path, "unreadable file",
                              f"{type(exc).__name__}: {exc} (the records before it are kept)")
            return
        changed = _changed(split)
        if changed:
            yield _read_error(split.path, "file changed while it was read",
                              f"{changed} (the records read are kept)")
        if split.start == 0:
            if not found:
                self._count("files_failed")
                yield _read_error(split.path, "empty file", "no records")
                return
            self._count("files_read")

    def _article(self, record):
        published, date_error = None, None
        try:
            published = parse_date(record.published_date, self._day_first)
        except ValueError as exc:
            date_error = str(exc)
        article = make_article(record.source_path, record.text, title=record.title,
                               source=record.source, url=record.url, published=published)
        if date_error:
            yield _date_error(record.source_path, article.article_id, date_error)
        self._count("records_read")
        yield record.place, article


def _changed(split: Split) -> Optional[str]:
    """How a local file differs from when it was listed, or None."""
    if split.size is None or "://" in split.path:
        return None
    try:
        info = os.stat(split.path)
    except OSError as exc:
        return f"gone after it was read: {exc}"
    if info.st_size != split.size or (split.mtime and abs(info.st_mtime - split.mtime) > 1e-6):
        return (f"size {split.size} -> {info.st_size} bytes, modified "
                f"{datetime.datetime.fromtimestamp(info.st_mtime).isoformat()}")
    return None


def _preference(place_article: tuple[str, Article]) -> tuple:
    """Which copy of an article to keep: the one with the most metadata,
    then the first by place."""
    place, article = place_article
    missing = sum(value is None for value in (
        article.published_date, article.source, article.title, article.url))
    return missing, place


class _ChooseCopies(beam.DoFn):
    """(article id, [(preference, place)]) -> (article id, place kept), for
    articles found more than once; the other copies are counted
    (``duplicate_articles``) and logged."""

    def __init__(self):
        self._duplicates = Metrics.counter("tidings", "duplicate_articles")

    def process(self, keyed):
        article_id, copies = keyed
        copies = sorted(copies)
        if len(copies) < 2:
            return
        kept = copies[0][1]
        for _, place in copies[1:]:
            self._duplicates.inc()
            logger.debug("%s has the same text as %s; stored once", place, kept)
        yield article_id, kept


def _is_kept(place_article: tuple[str, Article], kept: Mapping[str, str]) -> bool:
    place, article = place_article
    return kept.get(article.article_id, place) == place


def _metadata_errors(rows: list[dict]) -> tuple[dict[str, dict], list[Error]]:
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


def _unmatched_rows(rows: dict[str, dict], file_keys: set) -> list[Error]:
    return [Error(input_path=row.get("file") or key, stage="metadata",
                  reason="metadata row matches no input file", detail=repr(row),
                  article_id=None, published_date=None)
            for key, row in sorted(rows.items()) if key not in file_keys]


class SkipKnownArticles(beam.DoFn):
    """Drops articles whose id is in the side input (already in the output),
    counting them as ``articles_unchanged``."""

    def __init__(self):
        self._unchanged = Metrics.counter("tidings", "articles_unchanged")

    def process(self, article: Article, known: frozenset):
        if article.article_id in known:
            self._unchanged.inc()
            return
        yield article


class ReadArticles(beam.PTransform):
    """``--input`` values -> Articles (main output) and Errors (``errors``).

    No step holds the articles of the whole run at once, so memory does not
    grow with the input. Files are read twice: a first pass keeps only each
    article's id and place, to choose one copy of articles found more than
    once; the second streams the articles on, dropping the other copies.
    Reading costs little next to parsing.

    Args:
        inputs: the ``--input`` values: files, folders or globs
            (``transforms.listing``).
        metadata_rows: rows from ``read_metadata``, or None.
        max_bytes: larger single-article files, and larger records of JSON
            Lines and CSV files, are reported, not read.
        record_fields: where JSON Lines and CSV records keep each field.
        day_first: read numeric dates such as 01/02/2017 day first.
        split_bytes: JSON Lines and CSV files larger than this are read in
            parts of about this size, on different workers.
    """

    ERRORS = "errors"

    def __init__(self, inputs: list[str], metadata_rows: Optional[list[dict]],
                 max_bytes: int, record_fields: Optional[Mapping[str, str]] = None,
                 day_first: bool = False, split_bytes: int = DEFAULT_SPLIT_BYTES):
        super().__init__()
        self._record_fields = dict(record_fields or DEFAULT_RECORD_FIELDS)
        self._day_first = day_first
        self._inputs = list(inputs)
        self._metadata_rows = metadata_rows
        self._max_bytes = max_bytes
        self._split_bytes = split_bytes

    def expand(self, pbegin: beam.pvalue.PBegin) -> dict[str, beam.PCollection]:
        rows, row_errors = _metadata_errors(self._metadata_rows or [])
        listed = (
            pbegin
            | "Inputs" >> beam.Create(self._inputs)
            | "List" >> beam.ParDo(ListInputs()).with_outputs(ListInputs.ERRORS, main="files"))
        files = (
            listed.files
            | "KeyByPath" >> beam.Map(lambda meta: (meta.path, meta))
            | "OncePerPath" >> beam.CombinePerKey(_any)   # overlapping patterns
            | "Files" >> beam.Values())
        planned = files | "Plan" >> beam.ParDo(_PlanReads(
            self._split_bytes, self._record_fields, self._max_bytes)).with_outputs(
                _PlanReads.ERRORS, main="splits")
        metadata = beam.pvalue.AsDict(pbegin | "Metadata" >> beam.Create(sorted(rows.items())))

        def read(label: str, emit_errors: bool):
            return (planned.splits
                    | f"Spread{label}" >> beam.Reshuffle()
                    | f"Read{label}" >> beam.ParDo(
                        _ReadSplit(self._max_bytes, self._record_fields, self._day_first,
                                   emit_errors), metadata).with_outputs(
                        _ReadSplit.ERRORS, main="articles"))

        index = read("ForDuplicates", emit_errors=False)
        kept = beam.pvalue.AsDict(
            index.articles
            | "IdAndPlace" >> beam.Map(lambda pair: (pair[1].article_id, _preference(pair)))
            | "GroupCopies" >> beam.GroupByKey()
            | "ChooseCopies" >> beam.ParDo(_ChooseCopies()))
        streamed = read("", emit_errors=True)
        articles = (
            streamed.articles
            | "OneCopy" >> beam.Filter(_is_kept, kept)
            | "DropPlace" >> beam.Values()
            | "SourceFromDateline" >> beam.Map(with_dateline_source))
        errors = [listed[ListInputs.ERRORS], planned[_PlanReads.ERRORS],
                  streamed[_ReadSplit.ERRORS],
                  pbegin | "DuplicateRows" >> beam.Create(row_errors)]
        if rows:
            # Only keys the metadata names are gathered, so the set is no
            # larger than the metadata, however many files there are.
            described = beam.pvalue.AsSingleton(
                files
                | "FileKeys" >> beam.Map(lambda meta: file_key(meta.path))
                | "Described" >> beam.Filter(lambda key, rows: key in rows, metadata)
                | "KeySet" >> beam.combiners.ToSet())
            errors.append(
                pbegin
                | "MetadataRows" >> beam.Create([rows])
                | "UnmatchedRows" >> beam.FlatMap(_unmatched_rows, described))
        errors = tuple(errors) | "FlattenErrors" >> beam.Flatten()
        return {"articles": articles, self.ERRORS: errors}


def _any(values):
    return next(iter(values), None)
