"""The options of a tidings run, as a Beam ``PipelineOptions`` subclass.

tidings' own flags are declared here; every other flag on the command line
is a Beam flag (``--runner``, ``--direct_num_workers``, ...) and reaches
Beam's ``PipelineOptions`` unchanged. A flag that neither tidings nor Beam
knows is an error, not silently dropped.
"""
from __future__ import annotations

import argparse

from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from tidings.inputs.metadata import METADATA_FIELDS
from tidings.inputs.record_files import DEFAULT_RECORD_FIELDS, DEFAULT_SPLIT_BYTES, RECORD_FIELDS
from tidings.nlp.model import DEFAULT_MODEL
from tidings.pipelines.flags import OneLineParser, suggest
from tidings.rules.scope import NER_SCOPES


DEFAULT_RUNNER = "FnApiRunner"


class TidingsOptions(PipelineOptions):
    """Where to read, where to write, and how to tag."""

    @classmethod
    def _add_argparse_args(cls, parser):
        _both(parser, "--input", nargs="+", default=None, metavar="PATH",
            help="Article files: a file, a folder (read recursively; names "
                 "starting with '.' are skipped) or a glob. Plain text (one "
                 "article a file), HTML pages (.html, .htm: the body is "
                 "extracted), JSON Lines (.jsonl, .ndjson: one a line) or "
                 "CSV/TSV (one a row), optionally .gz/.bz2/.zst compressed. "
                 "Required.")
        _both(parser, "--output", default=None, metavar="DIR",
            help="Where the datasets go (articles, sentences, claims, events, "
                 "agreements, errors, runs): a new or empty folder, or a tidings "
                 "output; tidings refuses a folder or file it did not write, and "
                 "one that overlaps an input. On a local disk DIR becomes a link "
                 "to a complete snapshot, switched atomically when a run "
                 "succeeds: a run adds its new articles' records and replaces "
                 "errors; a failed or killed run leaves everything as it was. "
                 "Required.")
        _both(parser, "--metadata", default=None, metavar="FILE",
            help="CSV (or .tsv, tab-separated) with one row per input file: "
                 "file name, publication date (YYYY-MM-DD), source, title, "
                 "URL. Default: none (dates unknown).")
        _both(parser, "--metadata-columns", dest="metadata_columns", default=None,
            metavar="FIELD=COLUMN,...",
            help="Which column holds each metadata field, for files with "
                 f"their own headers. Fields: {', '.join(METADATA_FIELDS)}. "
                 "Default: columns named as the fields. For PolNeAR: "
                 "file=filename,published_date=publication_date,"
                 "source=publisher.")
        _both(parser, "--record-fields", dest="record_fields", default=None,
            metavar="FIELD=NAME,...",
            help="Where JSON Lines keys or CSV/TSV columns hold each article "
                 f"field. Fields: {', '.join(RECORD_FIELDS)} (all but text "
                 "optional). Default: " + ",".join(
                     f"{k}={v}" for k, v in DEFAULT_RECORD_FIELDS.items()) + ".")
        _both(parser, "--day-first", dest="day_first", action="store_true", default=False,
            help="Read numeric dates such as 01/02/2017 day first (1 February). "
                 "Default: month first (2 January).")
        _both(parser, "--spacy-model", dest="spacy_model", default=DEFAULT_MODEL,
            metavar="NAME",
            help="Installed spaCy pipeline with parser, NER and lemmatizer. "
                 f"Default: {DEFAULT_MODEL} (en_core_web_sm 3.8.0).")
        _both(parser, "--ner-sentences", dest="ner_sentences", choices=NER_SCOPES,
            default="records",
            help="Where to run the entity recogniser, the costliest component: "
                 "'records', only in sentences where the rules find a claim, "
                 "event or agreement of their own, and in sentences naming a "
                 "speaker it labelled ORG, GPE or NORP (about half the "
                 "words of political news), or 'all'. Default: records.")
        _both(parser, "--batch-size", dest="batch_size", type=int, default=32,
            metavar="N",
            help="Most articles per batch. A batch is parsed in runs of at most "
                 "20,000 characters, and a longer article in pieces of at most "
                 "that size, which bounds the model's memory. Default: 32.")
        _both(parser, "--max-file-bytes", dest="max_file_bytes", type=int,
            default=20_000_000, metavar="N",
            help="Larger single-article files (text, HTML; for compressed ones, "
                 "their decompressed text), and larger records of JSON Lines and "
                 "CSV files, go to errors unread. JSON Lines and CSV files "
                 "themselves may be any size: they are streamed (a compressed one "
                 "stops at 100 times its size, or N if more). Default: 20000000.")
        _both(parser, "--split-bytes", dest="split_bytes", type=int,
            default=DEFAULT_SPLIT_BYTES, metavar="N",
            help="Uncompressed JSON Lines and CSV files larger than this are "
                 "read in parts of about N bytes, in parallel on different "
                 "workers (compressed ones are streamed by one worker). "
                 f"Default: {DEFAULT_SPLIT_BYTES}.")
        _both(parser, "--max-article-chars", dest="max_article_chars", type=int,
            default=1_000_000, metavar="N",
            help="Longer articles go to errors unparsed. Default: 1000000.")
        _both(parser, "--full-refresh", dest="full_refresh", action="store_true", default=False,
            help="Rebuild every dataset from this run's input alone. Default: "
                 "incremental; articles the output already holds (same text) "
                 "are skipped and new ones added.")
        _both(parser, "--dry-run", alias=False, dest="dry_run_tidings", action="store_true", default=False,
              help="List the inputs a run would read (format, size), the "
                   "metadata rows that match them and those that do not, and the "
                   "articles the output already holds; then exit, writing nothing.")
        _both(parser, "--report", default=None, nargs="?", const="", metavar="FILE",
              help="After a successful run, write the HTML report (as tidings "
                   "report): to FILE, or by default to DIR.report.html beside DIR.")
        _both(parser, "--verbose", action="store_true", default=False,
            help="Show every log line: Beam's and its workers', and the run's "
                 "counters. Default: tidings' own lines, warnings and errors.")
        _both(parser, "--log-level", dest="log_level", default=None, metavar="LEVEL",
            choices=("DEBUG", "INFO", "WARNING", "ERROR"), type=str.upper,
            help="Show log lines from LEVEL on (DEBUG, INFO, WARNING, ERROR), "
                 "from every library. Default: as without --verbose.")
        _both(parser, "--rows-per-file", dest="rows_per_file", type=int, default=100_000,
            metavar="N",
            help="Most rows in one Parquet file. Default: 100000.")


def _both(parser, flag: str, alias: bool = True, **kwargs) -> None:
    """Declare ``--full-refresh`` as ``--full_refresh`` too, Beam's spelling
    (not ``--dry-run``: Beam's test options own ``--dry_run``)."""
    names = [flag] + (["--" + flag[2:].replace("-", "_")] if alias and "-" in flag[2:] else [])
    parser.add_argument(*names, **kwargs)


class OptionsError(ValueError):
    """A flag with a value tidings cannot use; the message names both."""


def check_options(options: PipelineOptions) -> TidingsOptions:
    """Check tidings' flags before the pipeline is built; set the runner.

    Raises:
        OptionsError: a required flag is missing or a value is out of range.
    """
    tidings = options.view_as(TidingsOptions)
    if not tidings.input:
        raise OptionsError("--input is required: one or more files, folders or globs")
    if not tidings.output:
        raise OptionsError("--output is required: the folder for the datasets")
    for flag, value in (("--batch-size", tidings.batch_size),
                        ("--max-file-bytes", tidings.max_file_bytes),
                        ("--split-bytes", tidings.split_bytes),
                        ("--max-article-chars", tidings.max_article_chars),
                        ("--rows-per-file", tidings.rows_per_file)):
        if value is None or value < 1:
            raise OptionsError(f"{flag} must be a positive integer, not {value!r}")
    standard = options.view_as(StandardOptions)
    if standard.runner is None:
        # Beam's default runner downloads a Prism binary first; this one
        # runs offline, in-process or with --direct_num_workers processes.
        standard.runner = DEFAULT_RUNNER
    return tidings


def unknown_flags(argv: list[str]) -> list[str]:
    """Flags in argv that no PipelineOptions subclass declares, each with
    the closest declared flag when one is close (``--inptu (did you mean
    --input?)``)."""
    parser = _all_options()
    _, rest = parser.parse_known_args(argv)
    known = [name for action in parser._actions for name in action.option_strings
             if name.startswith("--")]
    return [arg.split("=", 1)[0] + suggest(arg, known) for arg in rest if arg.startswith("-")]


def _all_options() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="tidings run", add_help=False, allow_abbrev=False)
    seen = set()
    stack = [PipelineOptions]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                try:
                    sub._add_argparse_args(parser)
                except argparse.ArgumentError:
                    pass  # two option classes sharing a flag: declared once is enough
    return parser


def help_parser(prog: str) -> argparse.ArgumentParser:
    """The parser that prints ``--help``: tidings' flags, then Beam's."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Read news articles, split them into sentences, tag "
                    "claims, events and agreements, and write hive-partitioned "
                    "Parquet datasets.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Beam flags pass through to Beam, for example:\n"
            f"  --runner NAME              default {DEFAULT_RUNNER} (offline); also\n"
            "                             PortableRunner, FlinkRunner, SparkRunner,\n"
            "                             DataflowRunner\n"
            "  --direct_num_workers N     worker processes for FnApiRunner\n"
            "  --direct_running_mode MODE in_memory | multi_threading |\n"
            "                             multi_processing\n"
            "  --job_endpoint, --environment_type, --setup_file, --project,\n"
            "  --region, --temp_location  for portable and remote runners\n"
            "\nExit status: 0 on success (inputs that could not be used are in\n"
            "the errors dataset), 1 when the run failed (the output is left as\n"
            "it was), 2 for bad options, 3 when another run is writing to the\n"
            "same output."))
    group = parser.add_argument_group("tidings options")
    TidingsOptions._add_argparse_args(group)
    return parser
