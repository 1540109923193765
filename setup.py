"""Packaging for tidings; also Beam's --setup_file for remote workers.

A remote runner (Dataflow, Flink, Spark) installs this package on each
worker from --setup_file; the spaCy model is installed there too with
--requirements_file requirements/model.txt (see README).
"""
import setuptools

LIBRARY = ("inputs", "nlp", "rules", "output", "evaluation", "report")
FOLDERS = ("tidings.pipelines", "tidings.transforms", "tidings.schemas")

setuptools.setup(
    name="tidings",
    version="0.1.0",
    description="Turn news articles into claim, event and agreement records "
                "in hive-partitioned Parquet datasets.",
    python_requires=">=3.11",
    # One installed name, tidings: the library's own folder, and the design
    # card's top-level folders mapped inside it (docs/architecture.md).
    packages=["tidings", *(f"tidings.{name}" for name in LIBRARY), *FOLDERS],
    package_dir={"tidings": "tidings", **{f"tidings.{name}": name for name in
                                           ("pipelines", "transforms", "schemas")}},
    # Python runs it in Beam's worker processes of a quiet run (console.py).
    package_data={"tidings.pipelines": ["worker_site/sitecustomize.py"]},
    install_requires=[
        "apache-beam>=2.77,<2.78",
        "spacy>=3.8,<3.9",
        "pyarrow>=18,<26",
        "python-dateutil>=2.8",
        "ftfy>=6.1,<7",
        "trafilatura>=2.0,<3",
        "duckdb>=1.1",
        "pandas>=2.2",
        "matplotlib>=3.8",
        "tqdm>=4.60",
    ],
    extras_require={
        "query": [],
        "test": ["pytest>=8", "websocket-client>=1.6"],
    },
    entry_points={"console_scripts": ["tidings = tidings.pipelines.cli:main"]},
)
