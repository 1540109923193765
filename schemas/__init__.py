"""Declared, versioned schemas of the datasets tidings writes."""
from tidings.schemas.datasets import (AGREEMENTS, ARTICLES, CLAIMS, DATASETS, ENTITIES, ERRORS,
                                      EVENTS, Entity,
                                      PARTITION_COLUMN, RUNS, SCHEMA_VERSION_KEY, SENTENCES,
                                      UNKNOWN_PARTITION, Agreement, AgreementFinding, Article,
                                      Claim, ClaimFinding, DatasetSpec, Error, Event,
                                      EventFinding, RecordPlace, Run, Sentence, partition_value,
                                      place_finding, spec_for, to_row)
