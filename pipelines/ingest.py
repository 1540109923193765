"""The tidings ingestion pipeline: article files in, Parquet datasets out.

Run it as ``tidings run --input PATH [PATH ...] --output DIR`` or
``python -m tidings.pipelines.ingest --input ... --output ...``; ``--help`` lists
every option. ``build_pipeline`` constructs the pipeline and ``run`` parses
options, runs it and publishes the result.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import sys
import time
import uuid
from typing import Optional

import apache_beam as beam
import pyarrow.parquet as pq
import spacy
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineState

from tidings import package_version
from tidings.inputs.listing import count_inputs
from tidings.inputs.metadata import InputError, parse_column_mapping, read_metadata
from tidings.inputs.record_files import parse_record_fields
from tidings.nlp import memory
from tidings.output.guard import OutputRefused, check_output
from tidings.output.lock import OutputLock, OutputLocked
from tidings.output.snapshots import (commit, current_snapshot, prepare, recover, remove_tree,
                                      staging_dir, write_run)
from tidings.pipelines import console
from tidings.pipelines.dry_run import dry_run
from tidings.pipelines.interrupts import (Interrupted, committing, interruptible,
                                          reraise_if_interrupted)
from tidings.pipelines.options import (OptionsError, TidingsOptions, check_options, help_parser,
                                       unknown_flags)
from tidings.pipelines.summary import error_reasons, summary_lines
from tidings.schemas import DATASETS, RUNS, Run
from tidings.transforms import counters as names
from tidings.transforms.reading import ReadArticles, SkipKnownArticles
from tidings.transforms.spreading import files_per_batch
from tidings.transforms.tagging import TagArticles
from tidings.transforms.writing import WriteDatasets


# Datasets a run adds to; errors describe the latest run's inputs and are
# replaced by each run.
APPENDED = ("articles", "sentences", "claims", "events", "agreements", "entities")

logger = logging.getLogger(__name__)

def build_pipeline(p: beam.Pipeline, options: PipelineOptions, run_id: str,
                   known_articles: frozenset[str] = frozenset(),
                   metadata_rows: Optional[list[dict]] = None,
                   input_files: Optional[int] = None) -> dict[str, beam.PCollection]:
    """Add the whole ingestion to ``p``.

    Args:
        known_articles: ids of articles the output already holds; they are
            read and counted but not processed again.
        metadata_rows: the ``--metadata`` file's rows, when the caller has
            read them already (``load_metadata``).
        input_files: how many files the inputs name, when the caller has
            counted them (checking that each names something).

    Returns:
        A PCollection per dataset (articles, sentences, claims, events,
        agreements, errors), and ``written``: one dict of rows written per
        dataset, produced once every file is in the staging folder.

    Raises:
        InputError: an input path matches nothing, or the metadata file
            cannot be used.
    """
    tidings = options.view_as(TidingsOptions)
    if input_files is None:
        input_files = check_inputs(tidings.input)
    metadata = metadata_rows
    if metadata is None and tidings.metadata:
        metadata = load_metadata(tidings)
    read = p | "ReadArticles" >> ReadArticles(
        tidings.input, metadata, tidings.max_file_bytes,
        record_fields=parse_record_fields(tidings.record_fields),
        day_first=tidings.day_first, split_bytes=tidings.split_bytes,
        batch_files=files_per_batch(input_files))
    articles = read["articles"]
    if known_articles:
        known = beam.pvalue.AsSingleton(
            p | "KnownArticles" >> beam.Create([known_articles]))
        articles = articles | "SkipKnown" >> beam.ParDo(SkipKnownArticles(), known)
    annotated = articles | "TagArticles" >> TagArticles(
        tidings.spacy_model, tidings.batch_size, tidings.max_article_chars,
        ner_scope=tidings.ner_sentences)
    errors = ((read["errors"], annotated["errors"])
              | "AllErrors" >> beam.Flatten())
    datasets = {
        "articles": annotated["articles"],
        "sentences": annotated["sentences"],
        "claims": annotated["claims"],
        "events": annotated["events"],
        "agreements": annotated["agreements"],
        "entities": annotated["entities"],
        "errors": errors,
    }
    written = datasets | "WriteDatasets" >> WriteDatasets(
        staging_dir(tidings.output, run_id), tidings.rows_per_file)
    return {**datasets, "written": written}


def check_inputs(values: list[str]) -> int:
    """How many files the ``--input`` values name.

    Raises:
        InputError: a value names nothing.
    """
    try:
        return count_inputs(values)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def load_metadata(tidings: TidingsOptions) -> list[dict]:
    """The ``--metadata`` file's rows.

    Raises:
        InputError: the file or its column mapping cannot be used.
    """
    return read_metadata(tidings.metadata, parse_column_mapping(tidings.metadata_columns))


def count_rows(output: str) -> dict[str, int]:
    """Rows per dataset in an output folder, from the Parquet footers."""
    counts = {}
    for name in DATASETS:
        files = FileSystems.match([FileSystems.join(output, name, "**.parquet")])[0]
        total = 0
        for meta in files.metadata_list:
            with FileSystems.open(meta.path) as handle:
                total += pq.ParquetFile(handle).metadata.num_rows
        counts[name] = total
    return counts


def run_metrics(result) -> tuple[dict[str, int], dict[str, str]]:
    """tidings' Beam counters and distributions of a finished run.

    Returns:
        counters by name, and each distribution as "mean (min-max, n)".
    """
    try:
        query = result.metrics().query(MetricsFilter().with_namespace(names.NAMESPACE))
    except (NotImplementedError, AttributeError):
        return {}, {}  # a runner that does not report metrics back
    counters: dict[str, int] = {}
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        counters[counter.key.metric.name] = counters.get(counter.key.metric.name, 0) + (value or 0)
    distributions: dict[str, str] = {}
    for distribution in query["distributions"]:
        value = distribution.committed or distribution.attempted
        if value is not None and value.count:
            distributions[distribution.key.metric.name] = (
                f"{value.sum / value.count:.0f} ({value.min}-{value.max}, n={value.count})")
    return counters, distributions


def run_row(run_id: str, started_at: datetime.datetime, status: str,
             message: Optional[str], options: PipelineOptions,
             counters: dict[str, int], errors: int) -> Run:
    """The runs dataset's row for this run, with its lineage."""
    tidings = options.view_as(TidingsOptions)
    settings = {name: getattr(tidings, name) for name in (
        "input", "metadata", "metadata_columns", "record_fields", "day_first",
        "spacy_model", "ner_sentences", "batch_size",
        "max_file_bytes", "max_article_chars", "rows_per_file", "full_refresh")}
    return Run(
        run_id=run_id, run_date=started_at.date(), started_at=started_at,
        ended_at=datetime.datetime.now(datetime.timezone.utc), status=status,
        message=message, full_refresh=bool(tidings.full_refresh),
        input_files=counters.get(names.FILES_READ, 0) + counters.get(names.FILES_FAILED, 0),
        articles_added=counters.get(names.ARTICLES_TAGGED, 0),
        articles_unchanged=counters.get(names.ARTICLES_UNCHANGED, 0),
        duplicate_articles=counters.get(names.DUPLICATE_ARTICLES, 0),
        sentences_added=counters.get(names.found("sentences"), 0),
        claims_added=counters.get(names.found("claims"), 0),
        events_added=counters.get(names.found("events"), 0),
        agreements_added=counters.get(names.found("agreements"), 0),
        errors=errors, runner=str(options.view_as(StandardOptions).runner),
        tidings_version=package_version(), spacy_model=tidings.spacy_model,
        spacy_model_version=_model_version(tidings.spacy_model),
        schema_versions=json.dumps({spec.name: spec.version
                                    for spec in (*DATASETS.values(), RUNS)}),
        options_hash=hashlib.sha256(json.dumps(settings, sort_keys=True, default=str)
                                    .encode()).hexdigest()[:16])


def _model_version(name: str) -> str:
    try:
        return spacy.util.get_package_version(name) or \
            spacy.util.load_meta(os.path.join(name, "meta.json"))["version"]
    except (OSError, ValueError, KeyError):
        return "unknown"


def _check_model(name: str) -> None:
    if not (spacy.util.is_package(name) or os.path.isdir(name)):
        raise OptionsError(
            f"--spacy-model {name!r} is not an installed spaCy pipeline; "
            f"install it, or name one that is (scripts/setup.sh installs "
            f"the default)")


def run(argv: Optional[list[str]] = None) -> int:
    """Parse options, run the pipeline, publish the datasets.

    Returns:
        0 on success, 1 when the run failed, 2 for unusable options, 3 when
        another run is writing to the same output, 128 + N when stopped by
        signal N.
    """
    return run_for_summary(argv)["exit_code"]


# The status a summary gives for each exit code (``tidings.run``).
STATUSES = {0: "succeeded", 1: "failed", 2: "refused", 3: "busy"}


def run_for_summary(argv: Optional[list[str]] = None) -> dict:
    """``run``, returning the run's summary: exit_code, status, run_id
    (None when no run started) and, after a successful run, rows per
    dataset of the output."""
    summary: dict = {"run_id": None, "rows": None}
    code = _run(argv, summary)
    summary.update(exit_code=code, status=STATUSES.get(code, "stopped"))
    return summary


def _run(argv: Optional[list[str]], summary: dict) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "-h" in argv or "--help" in argv:
        help_parser("tidings run").print_help()
        return 0
    unknown = unknown_flags(argv)
    if unknown:
        print(f"tidings: unknown {'flag' if len(unknown) == 1 else 'flags'} "
              f"{', '.join(unknown)}; neither tidings nor Beam declares "
              f"{'it' if len(unknown) == 1 else 'them'} (see --help)", file=sys.stderr)
        return 2
    options = PipelineOptions(argv)
    try:
        tidings = check_options(options)
        _check_model(tidings.spacy_model)
        parse_record_fields(tidings.record_fields)
        # Every path is checked before the lock is taken or anything written.
        input_files = check_inputs(tidings.input)
        metadata = load_metadata(tidings) if tidings.metadata else None
        check_output(tidings.output, tidings.input)
    except (OptionsError, InputError, OutputRefused) as exc:
        print(f"tidings: {exc}", file=sys.stderr)
        return 2
    if tidings.dry_run_tidings:
        known = frozenset() if tidings.full_refresh or not os.path.isdir(tidings.output) \
            else known_article_ids(tidings.output)
        dry_run(tidings, metadata, known, sys.stdout)
        return 0
    run_id = (datetime.datetime.now(datetime.timezone.utc)
              .strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8])
    summary["run_id"] = run_id
    lock = OutputLock(tidings.output, run_id)
    try:
        lock.acquire()
    except OutputLocked as exc:
        print(f"tidings: {tidings.output} is busy: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"tidings: cannot write beside --output {tidings.output!r}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        with interruptible():
            repointed = recover(tidings.output)
            if repointed:
                print(f"tidings: {tidings.output} pointed again at snapshot {repointed} "
                      f"after a run was killed while publishing", file=sys.stderr)
            known = frozenset() if tidings.full_refresh else known_article_ids(tidings.output)
            memory.for_reading()
            try:
                pipeline = beam.Pipeline(options=options)
                build_pipeline(pipeline, options, run_id, known, metadata, input_files)
            except (OptionsError, InputError) as exc:
                print(f"tidings: {exc}", file=sys.stderr)
                return 2
            return _run_locked(pipeline, options, tidings, run_id, bool(known),
                               max(input_files - len(known), 0), summary)
    except Interrupted as exc:
        staging = staging_dir(tidings.output, run_id)
        current = current_snapshot(tidings.output)
        if current is not None and os.path.realpath(current) == os.path.realpath(staging):
            print(f"tidings: run {run_id} was committed, then stopped by {exc.name}",
                  file=sys.stderr)
        else:
            remove_tree(staging)
            print(f"tidings: run {run_id} stopped by {exc.name}; {tidings.output} is "
                  f"unchanged", file=sys.stderr)
        return 128 + exc.signum
    finally:
        lock.release()


def known_article_ids(output: str) -> frozenset[str]:
    """Ids of the articles an output folder already holds."""
    files = FileSystems.match([FileSystems.join(output, "articles", "**.parquet")])[0]
    ids: set[str] = set()
    for meta in files.metadata_list:
        with FileSystems.open(meta.path) as handle:
            ids.update(pq.read_table(handle, columns=["article_id"])
                       .column("article_id").to_pylist())
    return frozenset(ids)


def _run_locked(pipeline: beam.Pipeline, options: PipelineOptions,
                tidings: TidingsOptions, run_id: str, incremental: bool,
                expected: int, summary: dict) -> int:
    """Run, publish and report, holding the output's lock."""
    staging = staging_dir(tidings.output, run_id)
    runner = options.view_as(StandardOptions).runner
    print(f"tidings: run {run_id} on {runner}, output {tidings.output}",
          file=sys.stderr)
    started_at = datetime.datetime.now(datetime.timezone.utc)
    started = time.monotonic()
    before = None if tidings.full_refresh else count_rows(tidings.output)
    try:
        console.watch_progress(expected)
        try:
            result = pipeline.run()
            state = result.wait_until_finish()
        finally:
            console.stop_progress()
        if state not in (PipelineState.DONE, None):
            raise RuntimeError(f"pipeline ended in state {state}")
    except Exception as exc:
        reraise_if_interrupted()
        logger.exception("run %s failed; the output was left as it was", run_id)
        print(f"tidings: run {run_id} FAILED; {tidings.output} is unchanged",
              file=sys.stderr)
        remove_tree(staging)
        write_run(tidings.output, run_row(
            run_id, started_at, "failed", f"{type(exc).__name__}: {exc}"[:2000],
            options, {}, 0))
        return 1
    # The output switches to the new snapshot, its runs row included, in one
    # rename; a kill before it leaves the old one, and the next run clears
    # the unused snapshot.
    counters, distributions = run_metrics(result)
    staged = prepare(tidings.output, run_id, keep=APPENDED if incremental else ())
    counts = count_rows(staged)
    reasons = error_reasons(staged)
    with committing():
        commit(tidings.output, run_id, run_row(run_id, started_at, "succeeded", None,
                                                options, counters, counts["errors"]))
    summary["rows"] = dict(counts)
    for line in summary_lines(run_id, tidings.output, time.monotonic() - started,
                              before, counts, counters, reasons):
        print(line)
    if console.verbose():
        print("tidings: counters: " + ", ".join(
            f"{name} {value}" for name, value in sorted(counters.items())))
        print("tidings: distributions: " + ", ".join(
            f"{name} {value}" for name, value in sorted(distributions.items())))
    if tidings.report is not None:
        _write_report(tidings.output, tidings.report or None)
    return 0


def _write_report(output: str, path: Optional[str]) -> None:
    """``--report``: the run has succeeded whatever happens here."""
    from tidings.pipelines.cli import UsageError
    from tidings.pipelines.report import write_report

    try:
        print(f"tidings: report {write_report(output, path)}")
    except (UsageError, OSError) as exc:
        print(f"tidings: the run succeeded but its report was not written: {exc}",
              file=sys.stderr)


def main() -> None:
    console.configure(console.verbosity(sys.argv[1:]))
    sys.exit(run())


if __name__ == "__main__":
    main()
