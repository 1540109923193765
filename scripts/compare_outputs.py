"""Whether two tidings outputs hold the same rows, dataset by dataset.

    .venv/bin/python scripts/compare_outputs.py OUTPUT_A OUTPUT_B

Compares every dataset but ``runs`` (which records when and how each run
went) with DuckDB's ``EXCEPT ALL`` both ways, over every column, and
prints the rows each side has that the other lacks. Exit 0 when every
dataset is the same, 1 when one differs, 2 for a path that is not an
output.
"""
from __future__ import annotations

import os
import sys

import duckdb

from tidings.schemas import DATASETS
from tidings.schemas.catalog import dataset_sql


def differences(first: str, second: str) -> dict[str, tuple[int, int]]:
    """Per dataset: rows only in ``first``, rows only in ``second``."""
    con = duckdb.connect()
    found = {}
    for name in DATASETS:
        a, b = dataset_sql(first, name), dataset_sql(second, name)
        only_a = con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL "
                             f"SELECT * FROM {b})").fetchall()[0][0]
        only_b = con.execute(f"SELECT count(*) FROM (SELECT * FROM {b} EXCEPT ALL "
                             f"SELECT * FROM {a})").fetchall()[0][0]
        total = con.execute(f"SELECT count(*) FROM {a}").fetchall()[0][0]
        found[name] = (only_a, only_b, total)
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for path in argv:
        if not os.path.isdir(os.path.join(path, "articles")):
            print(f"compare_outputs: {path!r} is not a tidings output", file=sys.stderr)
            return 2
    same = True
    for name, (only_a, only_b, total) in differences(*argv).items():
        same &= not (only_a or only_b)
        print(f"{name:11} {total:7} rows; only in the first {only_a}, only in the second {only_b}")
    print("same rows" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
