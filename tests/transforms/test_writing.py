"""WriteDatasets and publish: partition folders, declared schemas, empty
datasets, and the swap into the output folder."""
from __future__ import annotations

import datetime
import os

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import DATASETS, SCHEMA_VERSION_KEY, Error, Sentence
from transforms.writing import WriteDatasets, publish

DAY = datetime.date(2025, 3, 12)


def _sentence(index, published=DAY):
    return Sentence(article_id="a" * 20, sentence_index=index, char_start=index * 10,
                    char_end=index * 10 + 9, text=f"Sentence {index}.",
                    published_date=published)


def _write(staging, datasets, rows_per_file=100):
    with TestPipeline(options=PipelineOptions(["--runner=FnApiRunner"])) as p:
        pcolls = {name: p | f"Create{name}" >> beam.Create(datasets.get(name, []))
                  for name in DATASETS}
        written = pcolls | WriteDatasets(str(staging), rows_per_file)
        assert_that(written, equal_to([{
            name: len(datasets.get(name, [])) for name in DATASETS}]))


def _files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, files in os.walk(root) for f in files)


def test_write_datasets_partitions_by_date_and_splits_files(tmp_path):
    sentences = [_sentence(i) for i in range(5)] + [_sentence(9, published=None)]
    _write(tmp_path, {"sentences": sentences}, rows_per_file=2)
    files = [f for f in _files(tmp_path) if f.startswith("sentences/")]
    assert {os.path.dirname(f) for f in files} == {
        "sentences/published_date=2025-03-12", "sentences/published_date=unknown"}
    assert all(f.endswith(".parquet") for f in _files(tmp_path))
    table = pq.read_table(tmp_path / "sentences" / "published_date=2025-03-12")
    assert table.num_rows == 5
    assert len([f for f in files if "2025-03-12" in f]) == 3   # 2 + 2 + 1 rows


def test_write_datasets_uses_declared_schema_and_version(tmp_path):
    _write(tmp_path, {"sentences": [_sentence(0)]})
    (path,) = (tmp_path / "sentences" / "published_date=2025-03-12").iterdir()
    schema = pq.read_schema(path)
    assert schema.remove_metadata() == DATASETS["sentences"].schema.remove_metadata()
    assert schema.metadata[SCHEMA_VERSION_KEY] == b"1"
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_write_datasets_empty_dataset_gets_an_empty_file(tmp_path):
    _write(tmp_path, {"errors": [Error("x.txt", "read", "empty file", None, None, None)]})
    for name in DATASETS:
        table = pq.read_table(tmp_path / name)
        assert set(DATASETS[name].schema.names) <= set(table.schema.names)
    assert pq.read_table(tmp_path / "claims").num_rows == 0
    assert pq.read_table(tmp_path / "errors").num_rows == 1


def test_publish_replaces_datasets_and_clears_staging(tmp_path):
    output = tmp_path / "out"
    (output / "claims" / "published_date=unknown").mkdir(parents=True)
    (output / "claims" / "published_date=unknown" / "old.parquet").write_bytes(b"old")
    staging = output / ".tidings" / "staging" / "run1"
    _write(staging, {"sentences": [_sentence(0)]})
    publish(str(staging), str(output), str(output / ".tidings" / "trash" / "run1"))
    assert not (output / "claims" / "published_date=unknown" / "old.parquet").exists()
    assert pq.read_table(output / "sentences").num_rows == 1
    assert not staging.exists()
    assert not (output / ".tidings" / "trash" / "run1").exists()
