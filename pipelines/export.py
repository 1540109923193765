"""``tidings export``: one dataset (or a record view in context) of an output
to a CSV, JSON Lines or Parquet file, through DuckDB's own COPY.

    tidings export --output DIR --dataset NAME --format csv|jsonl|parquet
                   --to FILE [--where SQL]

The file is written under a temporary name beside FILE and linked into
place only when complete, and never over an existing file: tidings does not
overwrite what it did not write.
"""
from __future__ import annotations

import os
import sys
import uuid
from typing import Optional

from tidings.pipelines.cli import UsageError, require_output
from tidings.pipelines.flags import OneLineParser


FORMATS = {"csv": "(FORMAT csv, HEADER true)",
           "jsonl": "(FORMAT json)",
           "parquet": "(FORMAT parquet, COMPRESSION zstd)"}


def _parser() -> OneLineParser:
    from tidings.schemas.catalog import IN_CONTEXT, VIEWS

    names = [*VIEWS, *(f"{name}_in_context" for name in IN_CONTEXT)]
    parser = OneLineParser(
        prog="tidings export",
        description="Write one dataset of a tidings output to a file with "
                    "DuckDB's COPY. FILE must not exist yet.")
    parser.add_argument("--output", required=True, metavar="DIR",
                        help="A tidings output folder.")
    parser.add_argument("--dataset", required=True, choices=names, metavar="NAME",
                        help=f"One of: {', '.join(names)}.")
    parser.add_argument("--format", required=True, choices=sorted(FORMATS),
                        help="csv (with a header row; lists as [a, b]), jsonl (one "
                             "JSON object a line) or parquet.")
    parser.add_argument("--to", required=True, metavar="FILE",
                        help="The file to write; refused if it exists.")
    parser.add_argument("--where", default=None, metavar="SQL",
                        help="A DuckDB condition on the dataset's columns, for "
                             "example \"published_date >= '2025-03-01'\".")
    return parser


def export(output: str, dataset: str, fmt: str, to: str, where: Optional[str] = None) -> int:
    """Write the rows and return how many.

    Raises:
        UsageError: the output, the target or the condition cannot be used.
    """
    import duckdb

    import tidings

    require_output(output)
    if os.path.lexists(to):
        raise UsageError(f"--to {to!r} exists; tidings does not overwrite a file it did "
                         f"not write: choose a new name")
    folder = os.path.dirname(os.path.abspath(to))
    if not os.path.isdir(folder):
        raise UsageError(f"--to {to!r}: folder {folder!r} does not exist")
    partial = os.path.join(folder, f".{os.path.basename(to)}.{uuid.uuid4().hex[:8]}.partial")
    query = f"SELECT * FROM {dataset}" + (f" WHERE {where}" if where else "")
    con = tidings.connect(output)
    try:
        rows = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        con.execute(f"COPY ({query}) TO '{partial.replace(chr(39), chr(39) * 2)}' "
                    f"{FORMATS[fmt]}")
        os.link(partial, to)              # fails, rather than replaces, if `to` appeared
    except duckdb.Error as exc:
        raise UsageError(f"cannot export {dataset}"
                         + (f" where {where!r}" if where else "")
                         + f": {str(exc).splitlines()[0]}") from None
    except FileExistsError:
        raise UsageError(f"--to {to!r} appeared while exporting; it was left as it is") from None
    finally:
        con.close()
        if os.path.lexists(partial):
            os.remove(partial)            # our own temporary file
    return rows


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        rows = export(args.output, args.dataset, args.format, args.to, args.where)
    except UsageError as exc:
        print(f"tidings: {exc}", file=sys.stderr)
        return 2
    print(f"tidings: wrote {rows:,} rows of {args.dataset} to {args.to} ({args.format})")
    return 0
