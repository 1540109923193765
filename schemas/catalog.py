"""Open tidings output from DuckDB with no glue: one view per dataset.

``create_database(output, database)`` writes a DuckDB database file whose
views (``articles``, ``sentences``, ``claims``, ``events``, ``agreements``,
``errors``, and ``runs`` once a run has been recorded) read the Parquet
datasets in place, so the views
see whatever the latest run published, and ``claims_in_context``,
``events_in_context`` and ``agreements_in_context``: each record with its
article's title and URL and the paragraph around its sentence. ``dataset_sql(output, name)`` is
the ``read_parquet`` expression behind each view.
"""
from __future__ import annotations

import os

from tidings.schemas.clusters import create_cluster_views
from tidings.schemas.datasets import DATASETS, PARTITION_COLUMN, RUNS
from tidings.schemas.people import create_people_view


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


# Each record with its article's title and URL and the paragraph around its
# sentence: the text between the blank lines before and after it (between
# line breaks, in an article with no blank line), at most CONTEXT_CHARS
# either side of the sentence. paragraph_start is the
# paragraph's offset in the article's text. DuckDB counts characters as
# Python does (code points), so offsets agree.
CONTEXT_CHARS = 1000
IN_CONTEXT = ("claims", "events", "agreements")
_IN_CONTEXT_SQL = r"""
CREATE OR REPLACE VIEW {name}_in_context AS
WITH around AS (
    SELECT r.*, a.title, a.url,
           substr(a.text, greatest(r.char_start - {chars}, 0) + 1,
                  r.char_start - greatest(r.char_start - {chars}, 0)) AS before,
           substr(a.text, r.char_end + 1, {chars}) AS after,
           regexp_matches(a.text, '\n[ \t]*\n') AS blank_lines
    FROM {name} r JOIN articles a USING (article_id)
), cut AS (
    SELECT * EXCLUDE (before, after, blank_lines),
           CASE WHEN blank_lines
                THEN substr(before, length(regexp_extract(before, '^[\s\S]*\n\s*\n', 0)) + 1)
                ELSE substr(before, length(regexp_extract(before, '^[\s\S]*\n', 0)) + 1)
           END AS lead,
           CASE WHEN blank_lines AND regexp_matches(after, '\n\s*\n')
                THEN regexp_extract(after, '^([\s\S]*?)\n\s*\n', 1)
                WHEN NOT blank_lines AND strpos(after, chr(10)) > 0
                THEN substr(after, 1, strpos(after, chr(10)) - 1)
                ELSE after END AS tail
    FROM around
)
SELECT * EXCLUDE (lead, tail),
       lead || sentence || tail AS paragraph,
       char_start - length(lead) AS paragraph_start
FROM cut
"""


def create_views(con, output: str) -> list[str]:
    """Create (or replace) one view per dataset of ``output`` on a DuckDB
    connection (``events`` with its ``event_cluster_id``, ``entities`` with
    its ``person_key``), ``event_clusters``,
    and ``claims_in_context``, ``events_in_context`` and
    ``agreements_in_context``; returns the names of the views made."""
    names = [name for name in VIEWS
             if name in DATASETS or os.path.isdir(os.path.join(output, name))]
    sources = {}
    for name in names:
        if os.path.isdir(os.path.join(output, name)) or name == RUNS.name:
            sources[name] = dataset_sql(output, name)
        else:
            sources[name] = f"({_empty(VIEWS[name])})"   # a dataset newer than the output
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {sources[name]}")
    create_people_view(con, sources["entities"])
    clusters = create_cluster_views(con, sources["events"])
    for name in IN_CONTEXT:
        con.execute(_IN_CONTEXT_SQL.format(name=name, chars=CONTEXT_CHARS))
    return [*names, *clusters, *(f"{name}_in_context" for name in IN_CONTEXT)]


_DUCKDB_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT",
                 "float": "FLOAT", "bool": "BOOLEAN", "date32[day]": "DATE",
                 "list<item: string>": "VARCHAR[]"}


def _empty(spec) -> str:
    columns = [f"NULL::{_DUCKDB_TYPES[str(field.type)]} AS {field.name}"
               for field in spec.schema]
    columns.append(f"NULL::VARCHAR AS {spec.partition_column}")
    return f"SELECT {', '.join(columns)} WHERE false"


def create_database(output: str, database: str) -> list[str]:
    """Create (or replace) the views of every dataset in a DuckDB file.

    Returns:
        The names of the views made.
    """
    import duckdb

    with duckdb.connect(database) as con:
        return create_views(con, output)
