"""tidings: news articles in, claim, event and agreement records out.

The Python API is three calls; everything else is the command line
(``tidings run --help``) or the library below them.

    import tidings
    summary = tidings.run(["--input", "articles/", "--output", "out/"])
    claims = tidings.read("out/", "claims")        # a pandas DataFrame
    con = tidings.connect("out/")                  # DuckDB, a view per dataset
    con.execute("SELECT speaker, count(*) FROM claims GROUP BY 1").fetchall()

Layers (``docs/architecture.md``): ``tidings.pipelines`` (entry points)
uses ``tidings.transforms`` (Beam PTransforms and DoFns), which adapt the
plain-Python library ``tidings.inputs``, ``tidings.nlp``,
``tidings.rules``, ``tidings.output`` and ``tidings.evaluation``; all of
them use ``tidings.schemas``.
"""
from __future__ import annotations

import os as _os

# In a checkout the design card's folders (pipelines/, transforms/,
# schemas/) sit beside this package rather than inside it; an installed
# tidings has them inside (setup.py's package_dir). Either way they import
# as tidings.pipelines, tidings.transforms and tidings.schemas.
_checkout = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if _os.path.isfile(_os.path.join(_checkout, "setup.py")) and \
        _os.path.isdir(_os.path.join(_checkout, "pipelines")):
    __path__.append(_checkout)  # noqa: F821 (a package's own __path__)


def package_version(package: str = "tidings") -> str:
    """An installed package's version, or ``unknown`` when not installed."""
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def run(argv: list[str]) -> dict:
    """Run the pipeline as ``tidings run ARGV`` does.

    Returns:
        The run's summary: ``status`` (succeeded, failed, refused, busy,
        stopped), ``exit_code`` (as the command's), ``run_id`` and, after a
        successful run, ``rows`` (rows per dataset in the output).
    """
    from tidings.pipelines import ingest

    return ingest.run_for_summary(list(argv))


def read(output: str, dataset: str):
    """One dataset of an output as a pandas DataFrame, with its partition
    column (``published_date``, or ``run_date`` for runs) typed as
    datetime64: the day where known, NaT for the ``unknown`` partition."""
    import pandas as pd

    frame = connect(output).execute(f"SELECT * FROM {_dataset(dataset)}").df()
    from tidings.schemas import RUNS

    column = RUNS.partition_column if dataset == RUNS.name else "published_date"
    frame[column] = pd.to_datetime(frame[column].astype("string").replace("unknown", None),
                                   errors="coerce")
    return frame


def connect(output: str):
    """An in-memory DuckDB connection with one view per dataset of an
    output (as ``tidings duckdb`` makes in a file)."""
    import duckdb

    from tidings.schemas.catalog import create_views

    con = duckdb.connect()
    create_views(con, output)
    return con


def _dataset(name: str) -> str:
    from tidings.schemas.catalog import VIEWS

    if name not in VIEWS:
        raise KeyError(f"no dataset {name!r}; datasets: {', '.join(VIEWS)}")
    return name
