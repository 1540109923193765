"""Declared, versioned schemas of the datasets tidings writes."""
from schemas.datasets import (  # noqa: F401
    AGREEMENTS, ARTICLES, CLAIMS, DATASETS, ERRORS, EVENTS, PARTITION_COLUMN,
    SCHEMA_VERSION_KEY, SENTENCES, UNKNOWN_PARTITION, Agreement, Article,
    Claim, DatasetSpec, Error, Event, Sentence, partition_value, spec_for,
    to_row)
