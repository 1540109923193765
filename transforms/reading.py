"""Read article files into ``Article`` records, joined with their metadata.

``ReadArticles`` lists the inputs (``transforms.listing``), reads each file (plain text,
or JSON Lines and CSV/TSV files of many articles, each optionally
compressed), decodes its text, joins the row of the ``--metadata`` file
that names it, and drops duplicate articles (same text). Whatever cannot be read becomes an ``Error``
record on the ``errors`` output, never an exception that stops the run.

The helpers are plain functions, tested without Beam.
"""
from __future__ import annotations

import logging
from typing import Mapping, Optional

import apache_beam as beam
import zstandard
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from tidings.inputs.articles import make_article, with_dateline_source
from tidings.inputs.compression import DecompressionLimit
from tidings.inputs.dates import parse_date
from tidings.inputs.formats import (COMPRESSION_EXTENSIONS, HTML_EXTENSIONS, TEXT_EXTENSIONS,
                                    changed_since_listed, file_format, looks_binary, parse_file,
                                    read_decompressed, read_error)
from tidings.inputs.listing import inputs_overlap, list_input
from tidings.inputs.metadata import (apply_metadata, file_key, metadata_errors, unmatched_rows,
                                     unparseable_date_error)
from tidings.inputs.record_files import (DEFAULT_RECORD_FIELDS, DEFAULT_SPLIT_BYTES, DELIMITED,
                                         RECORD_EXTENSIONS, Split, read_header, record_starts,
                                         records_in, split_stream)
from tidings.schemas import Article, Error
from tidings.transforms import counters, spreading


logger = logging.getLogger(__name__)


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
        self._splits = counters.counter(counters.FILE_PARTS)

    def process(self, metadata):
        try:
            splits = list(self._plan(metadata))
        except Exception as exc:   # one file that cannot be planned, not the run
            yield beam.pvalue.TaggedOutput(self.ERRORS, read_error(
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
            yield read_error(path, "unsupported format", detail)
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
        self._counters = {name: counters.counter(name) for name in (
            counters.FILES_READ, counters.FILES_FAILED, counters.RECORDS_READ,
            counters.RECORDS_FAILED)}

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
            self._count(counters.FILES_FAILED)
            if self._emit_errors:
                yield beam.pvalue.TaggedOutput(self.ERRORS, read_error(
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
            self._count(counters.FILES_FAILED)
            yield read_error(path, "file too large", str(exc))
            return
        except FileNotFoundError as exc:
            self._count(counters.FILES_FAILED)
            yield read_error(path, "file vanished before it was read", str(exc))
            return
        except (OSError, EOFError, ValueError, zstandard.ZstdError) as exc:
            self._count(counters.FILES_FAILED)
            yield read_error(path, "unreadable file", f"{type(exc).__name__}: {exc}")
            return
        if split.compression and len(data) > self._max_bytes:
            self._count(counters.FILES_FAILED)
            yield read_error(path, "file too large",
                              f"decompresses to more than --max-file-bytes {self._max_bytes}")
            return
        changed = changed_since_listed(split)
        if changed:
            self._count(counters.FILES_FAILED)
            yield read_error(path, "file changed while it was read", changed)
            return
        result = parse_file(path, data, self._max_bytes)
        if isinstance(result, Error):
            self._count(counters.FILES_FAILED)
            yield result
            return
        self._count(counters.FILES_READ)
        article, errors = apply_metadata(result, metadata.get(file_key(path)),
                                         self._day_first)
        yield from errors
        yield path, article

    def _records(self, split: Split, handle):
        stream = split_stream(handle, split, self._max_bytes)
        if split.start == 0:
            head = stream.peek(8192)[:8192]
            if looks_binary(head):
                self._count(counters.FILES_FAILED)
                yield read_error(split.path, "binary file", "control bytes found; not text")
                return
        found = False
        try:
            for record in records_in(split, stream, self._fields, self._max_bytes):
                found = True
                if isinstance(record, Error):
                    if record.stage == "read":
                        self._count(counters.RECORDS_FAILED)
                    yield record
                    continue
                try:
                    made = list(self._article(record))
                except Exception as exc:   # one record, not the rest of the file
                    self._count(counters.RECORDS_FAILED)
                    yield read_error(record.place, "unusable record",
                                      f"{type(exc).__name__}: {exc}")
                    continue
                yield from made
        except DecompressionLimit as exc:
            self._count(counters.FILES_FAILED)
            yield read_error(split.path, "file too large",
                              f"{exc} (the records before it are kept)")
            return
        except (OSError, EOFError, ValueError, zstandard.ZstdError) as exc:
            self._count(counters.FILES_FAILED)
            yield read_error(split.path, "unreadable file",
                              f"{type(exc).__name__}: {exc} (the records before it are kept)")
            return
        changed = changed_since_listed(split)
        if changed:
            yield read_error(split.path, "file changed while it was read",
                              f"{changed} (the records read are kept)")
        if split.start == 0:
            if not found:
                self._count(counters.FILES_FAILED)
                yield read_error(split.path, "empty file", "no records")
                return
            self._count(counters.FILES_READ)

    def _article(self, record):
        published, problem = None, None
        try:
            published = parse_date(record.published_date, self._day_first)
        except ValueError as exc:
            problem = str(exc)
        article = make_article(record.source_path, record.text, title=record.title,
                               source=record.source, url=record.url, published=published)
        if problem:
            yield unparseable_date_error(record.source_path, article.article_id, problem)
        self._count(counters.RECORDS_READ)
        yield record.place, article


class SkipKnownArticles(beam.DoFn):
    """Drops articles whose id is in the side input (already in the output),
    counting them as ``articles_unchanged``."""

    def __init__(self):
        self._unchanged = counters.counter(counters.ARTICLES_UNCHANGED)

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

    The local runner holds, in the launcher, everything that passes from
    one worker to another. So files pass in packed batches (one bytes
    value per batch, shuffled once for each pass), the copies index passes
    as 16 packed values (one per first hex digit of the id) per bundle,
    and paths are deduplicated only
    when two inputs can name the same file: the launcher holds about 0.1 KB
    per file, not 3 (``benchmarks/many_files.py``).

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
        batch_files: files (or parts) read together on one worker
            (``files_per_batch``); a batch also ends at ``split_bytes``.
    """

    ERRORS = "errors"

    def __init__(self, inputs: list[str], metadata_rows: Optional[list[dict]],
                 max_bytes: int, record_fields: Optional[Mapping[str, str]] = None,
                 day_first: bool = False, split_bytes: int = DEFAULT_SPLIT_BYTES,
                 batch_files: int = 1):
        super().__init__()
        self._files_per_batch = batch_files
        self._record_fields = dict(record_fields or DEFAULT_RECORD_FIELDS)
        self._day_first = day_first
        self._inputs = list(inputs)
        self._metadata_rows = metadata_rows
        self._max_bytes = max_bytes
        self._split_bytes = split_bytes

    def expand(self, pbegin: beam.pvalue.PBegin) -> dict[str, beam.PCollection]:
        rows, row_errors = metadata_errors(self._metadata_rows or [])
        listed = (
            pbegin
            | "Inputs" >> beam.Create(self._inputs)
            | "List" >> beam.ParDo(ListInputs()).with_outputs(ListInputs.ERRORS, main="files"))
        files = listed.files
        if inputs_overlap(self._inputs):
            # Only inputs that can name the same file are deduplicated by
            # path; this step holds every path listed.
            files = (files
                     | "KeyByPath" >> beam.Map(lambda meta: (meta.path, meta))
                     | "OncePerPath" >> beam.CombinePerKey(_any)
                     | "Files" >> beam.Values())
        planned = files | "Plan" >> beam.ParDo(_PlanReads(
            self._split_bytes, self._record_fields, self._max_bytes)).with_outputs(
                _PlanReads.ERRORS, main="splits")
        metadata = beam.pvalue.AsDict(pbegin | "Metadata" >> beam.Create(sorted(rows.items())))
        batches = planned.splits | "Batch" >> beam.ParDo(
            spreading.BatchSplits(self._files_per_batch, self._split_bytes))

        def read(label: str, emit_errors: bool):
            # A shuffle for each pass: with one for both, Beam fuses the two
            # reads, and the copies index they feed then cuts the stream
            # between reading and parsing (tests/pipelines/test_plan.py).
            return (batches
                    | f"Spread{label}" >> beam.Reshuffle()
                    | f"Unpack{label}" >> beam.FlatMap(spreading.unpack)
                    | f"Read{label}" >> beam.ParDo(
                        _ReadSplit(self._max_bytes, self._record_fields, self._day_first,
                                   emit_errors), metadata).with_outputs(
                        _ReadSplit.ERRORS, main="articles"))

        index = read("ForDuplicates", emit_errors=False)
        kept = beam.pvalue.AsDict(
            index.articles
            | "IdAndPlace" >> beam.Map(spreading.keyed_copy)
            | "FindCopies" >> beam.CombinePerKey(spreading.Copies())
            | "ChooseCopies" >> beam.ParDo(spreading.ChooseCopies()))
        streamed = read("", emit_errors=True)
        articles = (
            streamed.articles
            | "OneCopy" >> beam.Filter(spreading.is_kept, kept)
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
                | "UnmatchedRows" >> beam.FlatMap(unmatched_rows, described))
        errors = tuple(errors) | "FlattenErrors" >> beam.Flatten()
        return {"articles": articles, self.ERRORS: errors}


def _any(values):
    return next(iter(values), None)


class ListInputs(beam.DoFn):
    """An ``--input`` value -> the files it names, and Errors (tagged) for
    the entries that are not read."""

    ERRORS = "errors"

    def __init__(self):
        self._hidden = counters.counter(counters.HIDDEN_SKIPPED)

    def process(self, value: str):
        for entry in list_input(value, on_hidden=lambda path: self._hidden.inc()):
            if isinstance(entry, Error):
                yield beam.pvalue.TaggedOutput(self.ERRORS, entry)
            else:
                yield entry
