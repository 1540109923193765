"""Open tidings output from DuckDB with no glue: one view per dataset.

``create_database(output, database)`` writes a DuckDB database file whose
views (``articles``, ``sentences``, ``claims``, ``events``, ``agreements``,
``errors``, and ``runs`` once a run has been recorded) read the Parquet
datasets in place, so the views
see whatever the latest run published. ``dataset_sql(output, name)`` is
the ``read_parquet`` expression behind each view.
"""
from __future__ import annotations

import os

from tidings.schemas.datasets import DATASETS, PARTITION_COLUMN, RUNS


VIEWS = {**DATASETS, RUNS.name: RUNS}


def dataset_sql(output: str, name: str) -> str:
    """The DuckDB table expression that reads one dataset.

    ``published_date`` is read as text ('YYYY-MM-DD', or 'unknown'), the
    same on every output: left to itself DuckDB would make it a DATE only
    when no article lacks a date. The runs dataset's ``run_date`` is a DATE.
    """
    if name not in VIEWS:
        raise KeyError(f"no dataset {name!r}; datasets: {', '.join(VIEWS)}")
    glob = os.path.join(os.path.abspath(output), name, "**", "*.parquet")
    glob = glob.replace("'", "''")
    column = VIEWS[name].partition_column
    kind = "VARCHAR" if column == PARTITION_COLUMN else "DATE"
    return (f"read_parquet('{glob}', hive_partitioning = true, "
            f"union_by_name = true, hive_types = {{'{column}': {kind}}})")


def create_views(con, output: str) -> list[str]:
    """Create (or replace) one view per dataset of ``output`` on a DuckDB
    connection; returns the names of the views made."""
    names = [name for name in VIEWS
             if name in DATASETS or os.path.isdir(os.path.join(output, name))]
    for name in names:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM "
                    f"{dataset_sql(output, name)}")
    return names


def create_database(output: str, database: str) -> list[str]:
    """Create (or replace) the views of every dataset in a DuckDB file.

    Returns:
        The names of the views made.
    """
    import duckdb

    with duckdb.connect(database) as con:
        return create_views(con, output)
