"""Declared, versioned schemas of the datasets tidings writes."""
from tidings.schemas.datasets import (AGREEMENTS, ARTICLES, CLAIMS, DATASETS, ERRORS, EVENTS,
                                      PARTITION_COLUMN, RUNS, SCHEMA_VERSION_KEY, SENTENCES,
                                      UNKNOWN_PARTITION, Agreement, Article, Claim, DatasetSpec,
                                      Error, Event, Run, Sentence, partition_value, spec_for,
                                      to_row)
