"""The ``tidings`` command.

    tidings run --input PATH [PATH ...] --output DIR [options] [Beam flags]
    tidings duckdb --output DIR --database FILE
    tidings evaluate --output DIR (--gold FILE.jsonl | --brat DIR)
    tidings export --output DIR --dataset NAME --format csv|jsonl|parquet --to FILE
    tidings report --output DIR [--html FILE]
    tidings --version

``tidings run --help`` lists the run's options.
"""
from __future__ import annotations

import os
import sys
from typing import Optional

import tidings
from tidings.pipelines import console
from tidings.pipelines.flags import OneLineParser


class UsageError(ValueError):
    """A path or option a command cannot use; one line, exit 2."""


def require_output(output: str) -> None:
    """Raises UsageError unless ``output`` is a tidings output folder."""
    if not os.path.exists(output):
        raise UsageError(f"--output {output!r} does not exist; run tidings first")
    if not os.path.isdir(os.path.join(output, "articles")):
        raise UsageError(f"--output {output!r} is not a tidings output (it has no "
                         f"articles dataset)")


def require_file(flag: str, path: str) -> None:
    """Raises UsageError unless ``path`` is a file this process can read."""
    if not os.path.exists(path):
        raise UsageError(f"{flag} {path!r} does not exist")
    if os.path.isdir(path):
        raise UsageError(f"{flag} {path!r} is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{flag} {path!r} cannot be read")


def _duckdb(argv: list[str]) -> int:
    import duckdb

    from tidings.schemas.catalog import create_database

    parser = OneLineParser(
        prog="tidings duckdb",
        description="Make a DuckDB database file with one view per dataset "
                    "of a tidings output folder. The views read the Parquet "
                    "files in place, so they follow later runs.")
    parser.add_argument("--output", required=True, metavar="DIR",
                        help="A tidings output folder.")
    parser.add_argument("--database", required=True, metavar="FILE",
                        help="The DuckDB database file to create or update.")
    args = parser.parse_args(argv)
    try:
        require_output(args.output)
        views = create_database(args.output, args.database)
    except UsageError as exc:
        print(f"tidings: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"tidings: --database {args.database!r} cannot be used: "
              f"{str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"tidings: {args.database} has views {', '.join(views)}")
    return 0


def main(argv: Optional[list[str]] = None) -> None:
    """The ``tidings`` command. Output piped to a reader that stops early
    ("tidings evaluate ... | head") ends quietly, with status 141."""
    try:
        try:
            _main(argv)
        finally:
            sys.stdout.flush()      # here, not at exit, where the error would print
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())   # nothing more to flush at exit
        sys.exit(141)


def _main(argv: Optional[list[str]]) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"run": "run the ingestion pipeline (tidings run --help)",
                "duckdb": "make a DuckDB database of views over an output",
                "evaluate": "score an output against gold labels",
                "export": "write one dataset to a CSV, JSON Lines or Parquet file",
                "report": "write an HTML report of an output"}
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: tidings {run,duckdb,evaluate,export,report} ... | tidings --version\n")
        for name, text in commands.items():
            print(f"  {name:9} {text}")
        sys.exit(0 if argv else 2)
    if argv[0] == "--version":
        print(f"tidings {tidings.package_version()}")
        sys.exit(0)
    command, rest = argv[0], argv[1:]
    console.configure(console.verbosity(rest))   # before Beam's import warns
    if command == "run":
        from tidings.pipelines import ingest

        sys.exit(ingest.run(rest))
    if command == "duckdb":
        sys.exit(_duckdb(rest))
    if command == "evaluate":
        from tidings.pipelines import evaluate

        sys.exit(evaluate.run(rest))
    if command == "export":
        from tidings.pipelines import export

        sys.exit(export.run(rest))
    if command == "report":
        from tidings.pipelines import report

        sys.exit(report.run(rest))
    print(f"tidings: unknown command {command!r}; commands: {', '.join(commands)}",
          file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
