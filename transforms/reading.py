"""Read article files into ``Article`` records, joined with their metadata.

``ReadArticles`` matches the input patterns, reads each file (plain text,
or JSON Lines and CSV/TSV files of many articles, each optionally
compressed), decodes its text, joins the row of the ``--metadata`` file
that names it, and drops duplicate articles (same text). Whatever cannot be read becomes an ``Error``
record on the ``errors`` output, never an exception that stops the run.

The helpers are plain functions, tested without Beam.
"""
from __future__ import annotations

import bz2
import csv
import dataclasses
import datetime
import email.utils
import gzip
import hashlib
import io
import json
import logging
import os
import re
from typing import BinaryIO, Iterable, Mapping, Optional

import apache_beam as beam
import dateutil.parser
import ftfy
import trafilatura
import zstandard
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas import Article, Error
from transforms.nlp import find_dateline

logger = logging.getLogger(__name__)

# Extensions read as plain text; anything else is reported, not guessed at.
TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})
COMPRESSION_EXTENSIONS = frozenset({".gz", ".bz2", ".zst"})

# Saved web pages: the article body is extracted from the boilerplate.
HTML_EXTENSIONS = frozenset({".html", ".htm"})
# A page whose extracted body is shorter than this is navigation, not news.
MIN_HTML_WORDS = 8
# Files that hold many articles, one a line (JSON Lines) or a row (CSV/TSV).
RECORD_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".csv", ".tsv"})
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


def match_inputs(paths: Iterable[str]) -> tuple[list[str], int]:
    """File patterns for the ``--input`` values, and how many files they
    match (for the progress estimate). A value is a file, a folder (every
    file below it, at any depth) or a glob.

    Raises:
        InputError: a path matches no file.
    """
    patterns, files = [], 0
    for path in paths:
        pattern = os.path.join(path, "**") if os.path.isdir(path) else path
        matched = FileSystems.match([pattern])[0].metadata_list
        if not matched:
            raise InputError(f"--input {path!r} matches no file")
        patterns.append(pattern)
        files += len(matched)
    return patterns, files


def input_patterns(paths: Iterable[str]) -> list[str]:
    """The file patterns of ``match_inputs``."""
    return match_inputs(paths)[0]


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


def parse_records(path: str, text: str, kind: str, fields: Mapping[str, str],
                  day_first: bool = False) -> Iterable[Article | Error]:
    """The articles of a JSON Lines or CSV/TSV file's decoded text.

    Each record becomes an Article whose ``source_path`` is the file and
    the record's place in it (``file#line=3``, ``file#row=2``, or
    ``file#id=X`` when the record has an id). A record that cannot be used
    (malformed JSON, a CSV row of the wrong width, no text) is an Error
    naming its line or row; the file's other records are still read.
    """
    def error(where: str, reason: str, detail: Optional[str] = None) -> Error:
        return Error(input_path=f"{path}#{where}", stage="read", reason=reason,
                     detail=detail, article_id=None, published_date=None)

    if kind in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield error(f"line={number}", "malformed JSON line", str(exc))
                continue
            if not isinstance(record, dict):
                yield error(f"line={number}", "malformed JSON line",
                            f"a {type(record).__name__}, not an object")
                continue
            yield from _record_article(path, f"line={number}", record, fields, error,
                                       day_first)
        return
    delimiter = "\t" if kind == ".tsv" else ","
    # An article is often longer than csv's default field limit (128 KiB);
    # the file's size is bounded by --max-file-bytes already.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        yield error("row=0", "empty CSV file")
        return
    if fields["text"] not in header:
        yield error("row=0", "no text column",
                    f"columns {header}; map one with --record-fields text=COLUMN")
        return
    number = 0
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
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield error(f"row={number}", "malformed CSV row",
                        f"{len(values)} fields where the header has {len(header)}")
            continue
        yield from _record_article(path, f"row={number}", dict(zip(header, values)),
                                   fields, error, day_first)


def _record_article(path, where, record, fields, error, day_first=False):
    raw_text = record.get(fields["text"])
    if not isinstance(raw_text, str) or not raw_text.strip():
        yield error(where, "record has no text",
                    f"no text under {fields['text']!r}; keys {sorted(record)[:12]}")
        return
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")

    def value(field):
        found = record.get(fields[field])
        return _blank_to_none(str(found)) if found is not None else None

    record_id = value("id")
    source_path = f"{path}#id={record_id}" if record_id else f"{path}#{where}"
    published, date_error = None, None
    try:
        published = parse_date(value("published_date"), day_first)
    except ValueError as exc:
        date_error = str(exc)
    article = make_article(source_path, text, title=value("title"),
                           source=value("source"), url=value("url"),
                           published=published)
    if date_error:
        yield Error(input_path=source_path, stage="metadata", reason="unparseable date",
                    detail=date_error, article_id=article.article_id, published_date=None)
    yield article


def read_metadata(path: str, columns: Mapping[str, str]) -> list[dict]:
    """Rows of a CSV or TSV metadata file as dicts of tidings' field names.

    The delimiter is a tab for ``.tsv`` files and a comma otherwise. Values
    stay text; dates are parsed when joined, so a bad one is reported
    against its file rather than failing the run.

    Raises:
        InputError: the file lacks the key column named for ``file``.
    """
    delimiter = "\t" if path.lower().endswith(".tsv") else ","
    with FileSystems.open(path) as handle:
        text = handle.read().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    if columns["file"] not in header:
        raise InputError(
            f"--metadata {path!r} has no column {columns['file']!r} naming the"
            f" file (columns: {', '.join(header)}); map one with "
            f"--metadata-columns file=COLUMN")
    rows = []
    for row in reader:
        rows.append({
            field: _blank_to_none(row.get(column))
            for field, column in columns.items()
        })
    return rows


def _blank_to_none(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    value = value.strip()
    return value if value and value.lower() not in ("none", "null", "nan") else None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning the text and the encoding used.

    UTF-8 (with or without a byte-order mark) first, then cp1252, which
    covers latin-1 text in practice; bytes cp1252 leaves undefined fall back
    to latin-1, which decodes anything. Line endings become ``\\n`` so that
    character offsets do not depend on the platform that wrote the file.
    """
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise AssertionError("latin-1 decodes every byte string")


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
    """Read at most ``limit`` bytes of a file, decompressing by extension.

    Python's own decoders are used rather than Beam's, which return the
    readable part of a truncated gzip file without complaint: here a
    truncated or corrupt file raises, so it is reported, not half-read.

    Raises:
        EOFError, OSError, zstandard.ZstdError: corrupt or truncated data.
    """
    if compression == ".gz":
        stream = gzip.GzipFile(fileobj=handle)
    elif compression == ".bz2":
        stream = bz2.BZ2File(handle)
    elif compression == ".zst":
        stream = zstandard.ZstdDecompressor().stream_reader(handle, read_across_frames=True)
    else:
        return handle.read(limit)
    data = stream.read(limit)
    if len(data) < limit and compression == ".zst" and not _zstd_complete(handle):
        raise EOFError("zstd stream ended before its frame did")
    return data


def _zstd_complete(handle: BinaryIO) -> bool:
    handle.seek(0)
    try:
        zstandard.ZstdDecompressor().decompress(handle.read(), max_output_size=1 << 31)
    except zstandard.ZstdError:
        return False
    return True


_FIXER = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True)


def repair_text(text: str) -> tuple[str, Optional[str]]:
    """Text with mojibake and stray control characters repaired and
    Unicode normalised (NFC), and the names of the repairs made.

    Curly quotation marks are kept: the claim finder reads their direction.
    Records' offsets point into the repaired text, which is the text stored.
    """
    fixed, explanation = ftfy.fix_and_explain(text, config=_FIXER)
    steps = [step for _, step in explanation or []]
    if fixed == text:
        return text, None
    return fixed, ",".join(dict.fromkeys(steps)) or "normalized"


def make_article(path: str, text: str, title: Optional[str] = None,
                 source: Optional[str] = None, url: Optional[str] = None,
                 published: Optional[datetime.date] = None) -> Article:
    """An Article from decoded text and the record's own metadata.

    The text is repaired (``repair_text``); its dateline gives the
    location (and, later, the source when nothing else names one:
    ``with_dateline_source``).
    """
    text, repairs = repair_text(text)
    digest = content_hash(text)
    dateline = find_dateline(text)
    agency = dateline.agency if dateline else None
    return Article(article_id=digest[:20], source_path=path, title=title,
                   source=source, url=url, published_date=published,
                   text=text, content_hash=digest,
                   dateline_location=dateline.location if dateline else None,
                   dateline_source=agency, text_repairs=repairs)


def parse_file(path: str, data: bytes, max_bytes: int) -> Article | Error:
    """Turn one file's bytes into an Article, or an Error saying why not."""
    def error(reason: str, detail: Optional[str] = None) -> Error:
        return Error(input_path=path, stage="read", reason=reason,
                     detail=detail, article_id=None, published_date=None)

    if len(data) > max_bytes:
        return error("file too large",
                     f"{len(data)} bytes > --max-file-bytes {max_bytes}")
    if looks_binary(data):
        return error("binary file", "control bytes found; not text")
    text, _ = decode_text(data)
    if not text.strip():
        return error("empty file", f"{len(data)} bytes, no text")
    if os.path.splitext(path.lower().removesuffix(".gz").removesuffix(".bz2")
                        .removesuffix(".zst"))[1] in HTML_EXTENSIONS:
        return parse_html(path, text)
    return make_article(path, text)


def parse_html(path: str, html: str) -> Article | Error:
    """The article body of a saved web page, without its boilerplate
    (trafilatura), with the page's title, date, URL and site name."""
    body = trafilatura.extract(html, output_format="txt", include_comments=False,
                               include_tables=False, favor_precision=True)
    if not body or len(body.split()) < MIN_HTML_WORDS:
        return Error(input_path=path, stage="read", reason="no article text in HTML",
                     detail=f"trafilatura found {len((body or '').split())} words of "
                            f"main text (fewer than {MIN_HTML_WORDS})",
                     article_id=None, published_date=None)
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
            errors.append(Error(input_path=article.source_path, stage="metadata",
                                reason="unparseable date", detail=str(exc),
                                article_id=article.article_id,
                                published_date=None))
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


class _ReadFile(beam.DoFn):
    """Reads one matched file; yields an Article or, tagged, an Error."""

    ERRORS = "errors"

    def __init__(self, max_bytes: int, record_fields: Optional[Mapping[str, str]] = None,
                 day_first: bool = False):
        self._max_bytes = max_bytes
        self._day_first = day_first
        self._fields = dict(record_fields or DEFAULT_RECORD_FIELDS)
        self._read = Metrics.counter("tidings", "files_read")
        self._failed = Metrics.counter("tidings", "files_failed")
        self._records = Metrics.counter("tidings", "records_read")
        self._bad_records = Metrics.counter("tidings", "records_failed")

    def process(self, readable: fileio.ReadableFile):
        path = readable.metadata.path
        name = os.path.basename(path)
        stem, ext = os.path.splitext(name.lower())
        compression = ext if ext in COMPRESSION_EXTENSIONS else None
        if compression is not None:
            ext = os.path.splitext(stem)[1]
        if ext not in TEXT_EXTENSIONS | RECORD_EXTENSIONS | HTML_EXTENSIONS:
            self._failed.inc()
            known = sorted(e for e in TEXT_EXTENSIONS | RECORD_EXTENSIONS | HTML_EXTENSIONS if e)
            yield beam.pvalue.TaggedOutput(self.ERRORS, Error(
                input_path=path, stage="read", reason="unsupported format",
                detail=f"extension {ext!r}; tidings reads {', '.join(known)} or no "
                       f"extension, optionally .gz/.bz2/.zst",
                article_id=None, published_date=None))
            return
        try:
            with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                data = read_decompressed(handle, compression, self._max_bytes + 1)
        except (OSError, EOFError, ValueError, zstandard.ZstdError) as exc:
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(self.ERRORS, Error(
                input_path=path, stage="read", reason="unreadable file",
                detail=f"{type(exc).__name__}: {exc}", article_id=None,
                published_date=None))
            return
        if ext in RECORD_EXTENSIONS:
            yield from self._records_of(path, data, ext)
            return
        result = parse_file(path, data, self._max_bytes)
        if isinstance(result, Error):
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(self.ERRORS, result)
        else:
            self._read.inc()
            yield result


    def _records_of(self, path: str, data: bytes, ext: str):
        checked = parse_file(path, data, self._max_bytes)
        if isinstance(checked, Error):          # empty, binary or too large
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(self.ERRORS, checked)
            return
        self._read.inc()
        for result in parse_records(path, checked.text, ext, self._fields, self._day_first):
            if isinstance(result, Error):
                if result.stage == "read":
                    self._bad_records.inc()
                yield beam.pvalue.TaggedOutput(self.ERRORS, result)
            else:
                self._records.inc()
                yield result


class _JoinMetadata(beam.DoFn):
    """Joins one file key's articles with its metadata rows."""

    ERRORS = "errors"

    def __init__(self, day_first: bool = False):
        self._day_first = day_first

    def process(self, keyed):
        key, grouped = keyed
        articles, rows = list(grouped["articles"]), list(grouped["metadata"])
        if not articles:
            for row in rows:
                yield beam.pvalue.TaggedOutput(self.ERRORS, Error(
                    input_path=row.get("file") or key, stage="metadata",
                    reason="metadata row matches no input file",
                    detail=repr(row), article_id=None, published_date=None))
            return
        row = rows[0] if rows else None
        for extra in rows[1:]:
            yield beam.pvalue.TaggedOutput(self.ERRORS, Error(
                input_path=articles[0].source_path, stage="metadata",
                reason="duplicate metadata row; first one used",
                detail=repr(extra), article_id=None, published_date=None))
        for article in articles:
            joined, errors = apply_metadata(article, row, self._day_first)
            for error in errors:
                yield beam.pvalue.TaggedOutput(self.ERRORS, error)
            yield joined


def _key_by_file(article: Article) -> tuple[str, Article]:
    return file_key(article.source_path), article


def _key_metadata_row(row: dict) -> tuple[str, dict]:
    return file_key(row["file"] or ""), row


def _key_by_id(article: Article) -> tuple[str, Article]:
    return article.article_id, article


class _FirstOfDuplicates(beam.DoFn):
    """One article of a group with identical text: the one with the most
    metadata wins, then the smallest path.

    The others are counted (``duplicate_articles``) and logged, not stored:
    their records would be the same.
    """

    def __init__(self):
        self._duplicates = Metrics.counter("tidings", "duplicate_articles")

    def process(self, keyed):
        _, articles = keyed
        ordered = sorted(articles, key=_preference)
        for duplicate in ordered[1:]:
            self._duplicates.inc()
            logger.info("%s has the same text as %s; stored once",
                        duplicate.source_path, ordered[0].source_path)
        yield ordered[0]


def _preference(article: Article) -> tuple:
    missing = sum(value is None for value in (
        article.published_date, article.source, article.title, article.url))
    return missing, article.source_path


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
    """Input patterns -> Articles (main output) and Errors (``errors``).

    Args:
        patterns: file patterns, as made by ``input_patterns``.
        metadata_rows: rows from ``read_metadata``, or None.
        max_bytes: files larger than this are reported, not read.
        skip_under: a folder whose files are never read (the output).
        record_fields: where JSON Lines and CSV records keep each field.
        day_first: read numeric dates such as 01/02/2017 day first.
    """

    ERRORS = "errors"

    def __init__(self, patterns: list[str], metadata_rows: Optional[list[dict]],
                 max_bytes: int, skip_under: Optional[str] = None,
                 record_fields: Optional[Mapping[str, str]] = None,
                 day_first: bool = False):
        super().__init__()
        self._record_fields = record_fields
        self._day_first = day_first
        self._patterns = patterns
        self._metadata_rows = metadata_rows
        self._max_bytes = max_bytes
        self._skip_under = os.path.abspath(skip_under) if skip_under and \
            "://" not in skip_under else skip_under

    def expand(self, pbegin: beam.pvalue.PBegin) -> dict[str, beam.PCollection]:
        read = (
            pbegin
            | "Patterns" >> beam.Create(self._patterns)
            | "Match" >> fileio.MatchAll()
            | "SkipHidden" >> beam.Filter(_is_visible, self._skip_under)
            | "Open" >> fileio.ReadMatches()
            | "Read" >> beam.ParDo(_ReadFile(self._max_bytes, self._record_fields,
                                             self._day_first)).with_outputs(
                _ReadFile.ERRORS, main="articles"))
        articles, errors = read.articles, read[_ReadFile.ERRORS]
        error_parts = [errors]
        if self._metadata_rows is not None:
            metadata = (
                pbegin
                | "Metadata" >> beam.Create(self._metadata_rows)
                | "KeyMetadata" >> beam.Map(_key_metadata_row))
            joined = (
                {"articles": articles | "KeyByFile" >> beam.Map(_key_by_file),
                 "metadata": metadata}
                | "GroupByFile" >> beam.CoGroupByKey()
                | "JoinMetadata" >> beam.ParDo(_JoinMetadata(self._day_first)).with_outputs(
                    _JoinMetadata.ERRORS, main="articles"))
            articles = joined.articles
            error_parts.append(joined[_JoinMetadata.ERRORS])
        unique = (
            articles
            | "KeyById" >> beam.Map(_key_by_id)
            | "GroupDuplicates" >> beam.GroupByKey()
            | "FirstOfDuplicates" >> beam.ParDo(_FirstOfDuplicates())
            | "SourceFromDateline" >> beam.Map(with_dateline_source))
        all_errors = tuple(error_parts) | "FlattenErrors" >> beam.Flatten()
        return {"articles": unique, self.ERRORS: all_errors}


def _is_visible(metadata, skip_under: Optional[str] = None) -> bool:
    """Hidden files (a name starting with '.'), files in tidings' own work
    area, and files under ``skip_under`` (the run's output folder, when it
    lies inside an input folder) are not articles."""
    path = metadata.path
    if os.path.basename(path).startswith("."):
        return False
    parts = path.replace("\\", "/").split("/")
    if ".git" in parts or any(part.endswith(".tidings") for part in parts):
        return False
    if skip_under and os.path.abspath(path).startswith(skip_under.rstrip("/") + "/"):
        return False
    return True
