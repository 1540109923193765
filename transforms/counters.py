"""The names of tidings' Beam metrics, shared by the DoFns that emit them
and the launcher that reads them back into the ``runs`` dataset.

Renaming one here renames it on both sides; a name typed as a string
elsewhere would silently read back as zero.
"""
from apache_beam.metrics import Metrics

NAMESPACE = "tidings"

# reading
FILE_PARTS = "file_parts"
FILES_READ = "files_read"
FILES_FAILED = "files_failed"
RECORDS_READ = "records_read"
RECORDS_FAILED = "records_failed"
DUPLICATE_ARTICLES = "duplicate_articles"
ARTICLES_UNCHANGED = "articles_unchanged"
HIDDEN_SKIPPED = "hidden_skipped"

# tagging
ARTICLES_TAGGED = "articles_tagged"
ARTICLES_FAILED = "articles_failed"
WORDS_PARSED = "words_parsed"
NER_TOKENS = "ner_tokens"
WORDS_PER_ARTICLE = "words_per_article"
BATCH_PARSE_MS = "batch_parse_ms"


def found(dataset: str) -> str:
    """The counter of records found for a dataset: ``claims_found``."""
    return f"{dataset}_found"


# writing
PARQUET_PARTS_WRITTEN = "parquet_parts_written"
PARQUET_FILES_WRITTEN = "parquet_files_written"


def counter(name: str):
    return Metrics.counter(NAMESPACE, name)


def distribution(name: str):
    return Metrics.distribution(NAMESPACE, name)
