"""Reading in packed batches: the launcher of a local run holds one value
per batch of files and a few per worker for the copies index, so these
tests check that batching changes nothing a user sees: every file read
once, duplicates stored once as the preferred copy, errors reported."""
from __future__ import annotations

import os

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tidings.inputs.listing import inputs_overlap
from tidings.inputs.record_files import Split
from tidings.transforms import reading, spreading


def _pipeline():
    return TestPipeline(options=PipelineOptions(["--runner=FnApiRunner"]))


@pytest.mark.parametrize("values, overlap", [
    (["news"], False),
    (["news/2024", "news/2025"], False),
    (["news", "news-old"], False),              # a shared prefix is not a folder inside
    (["news", "news/2024/a.txt"], True),
    (["news/2024", "news"], True),
    (["news", "news/"], True),
    (["news/*.txt", "news/2024"], True),       # the glob's folder holds the other
    (["news/2024/*.txt", "news/2025/*.txt"], False),
    (["gs://bucket/news", "gs://bucket/news/2024"], True),
    (["gs://bucket/news", "gs://bucket/newsroom"], False),
])
def test_inputs_overlap_when_one_can_name_a_file_of_the_other(
        tmp_path, monkeypatch, values, overlap):
    monkeypatch.chdir(tmp_path)
    assert inputs_overlap(values) is overlap


@pytest.mark.parametrize("files, expected", [
    (None, 1), (0, 1), (10, 1), (512 * 3, 3), (1_000_000, spreading.MAX_FILES_PER_BATCH)])
def test_files_per_batch_keeps_many_batches_and_bounds_each(files, expected):
    assert spreading.files_per_batch(files) == expected


def test_batches_pack_and_unpack_splits_unchanged():
    splits = [Split("a/b.txt", ".txt", None, 0, None, 1, size=10, mtime=1.5),
              Split("c.csv", ".csv", "gzip", 5, 90, 3, ("title", "text"), 100, 2.0)]
    assert spreading.unpack(spreading.pack(splits)) == splits


def test_copies_keep_the_preferred_copy_and_count_the_others():
    copies = spreading.Copies()
    one = copies.add_input(copies.create_accumulator(), ("id1", (1, "b.txt")))
    one = copies.add_input(one, ("id2", (0, "c.txt")))
    two = copies.add_input(copies.create_accumulator(), ("id1", (0, "z.txt")))
    two = copies.add_input(two, ("id1", (0, "a.txt")))
    merged = copies.merge_accumulators([spreading.PackedCoder().decode(
        spreading.PackedCoder().encode(one)), two])
    # fewest missing fields first, then the first place; id2 has one copy
    assert copies.extract_output(merged) == [("id1", "a.txt", 3)]


@pytest.mark.parametrize("batch_files", [1, 2, 256])
def test_batched_reads_keep_every_article_once_and_report_errors(tmp_path, batch_files):
    for n in range(7):
        (tmp_path / f"story_{n}.txt").write_text(f"Story number {n} was filed.", encoding="utf-8")
    for name in ("copy_a.txt", "copy_b.txt", "copy_c.txt"):     # one text, three files
        (tmp_path / name).write_text("The same story, filed three times.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with _pipeline() as p:
        read = p | reading.ReadArticles([str(tmp_path)], None, 1 << 20,
                                        batch_files=batch_files)
        assert_that(read["articles"] | beam.Map(lambda a: os.path.basename(a.source_path)),
                    equal_to([f"story_{n}.txt" for n in range(7)] + ["copy_a.txt"]),
                    label="articles")
        assert_that(read["errors"] | beam.Map(lambda e: (os.path.basename(e.input_path),
                                                         e.reason)),
                    equal_to([("empty.txt", "empty file")]), label="errors")
