"""The ``tidings`` command.

    tidings run --input PATH [PATH ...] --output DIR [options] [Beam flags]
    tidings duckdb --output DIR --database FILE
    tidings evaluate --output DIR (--gold FILE.jsonl | --brat DIR)
    tidings --version

``tidings run --help`` lists the run's options.
"""
from __future__ import annotations

import argparse
import sys
from importlib import metadata
from typing import Optional


def _version() -> str:
    try:
        return metadata.version("tidings")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _duckdb(argv: list[str]) -> int:
    from schemas.catalog import create_database

    parser = argparse.ArgumentParser(
        prog="tidings duckdb",
        description="Make a DuckDB database file with one view per dataset "
                    "of a tidings output folder. The views read the Parquet "
                    "files in place, so they follow later runs.")
    parser.add_argument("--output", required=True, metavar="DIR",
                        help="A tidings output folder.")
    parser.add_argument("--database", required=True, metavar="FILE",
                        help="The DuckDB database file to create or update.")
    args = parser.parse_args(argv)
    views = create_database(args.output, args.database)
    print(f"tidings: {args.database} has views {', '.join(views)}")
    return 0


def main(argv: Optional[list[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"run": "run the ingestion pipeline (tidings run --help)",
                "duckdb": "make a DuckDB database of views over an output",
                "evaluate": "score an output against gold labels"}
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: tidings {run,duckdb,evaluate} ... | tidings --version\n")
        for name, text in commands.items():
            print(f"  {name:8} {text}")
        sys.exit(0 if argv else 2)
    if argv[0] == "--version":
        print(f"tidings {_version()}")
        sys.exit(0)
    command, rest = argv[0], argv[1:]
    if command == "run":
        from pipelines import ingest

        ingest.configure_logging()
        sys.exit(ingest.run(rest))
    if command == "duckdb":
        sys.exit(_duckdb(rest))
    if command == "evaluate":
        from pipelines import evaluate

        sys.exit(evaluate.run(rest))
    print(f"tidings: unknown command {command!r}; commands: {', '.join(commands)}",
          file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
