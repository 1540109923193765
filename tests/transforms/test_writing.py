"""WriteDatasets and publish: partition folders, declared schemas, empty
datasets, and the swap into the output folder."""
from __future__ import annotations

import datetime
import json
import os
import pathlib
import socket
import subprocess
import sys
import tracemalloc

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tidings.output.guard import OutputRefused
from tidings.output.lock import OutputLock, OutputLocked, lock_path
from tidings.output.parquet import row_bytes
from tidings.output.snapshots import publish, recover, staging_dir
from tidings.schemas import DATASETS, SCHEMA_VERSION_KEY, Claim, Error, Sentence, to_row
from tidings.transforms.writing import MERGE_ABOVE, WriteDatasets, WriteShards


DAY = datetime.date(2025, 3, 12)


def _sentence(index, published=DAY):
    return Sentence(article_id="a" * 20, sentence_index=index, char_start=index * 10,
                    char_end=index * 10 + 9, text=f"Sentence {index}.",
                    published_date=published)


def _write(staging, datasets, rows_per_file=100, **kwargs):
    with TestPipeline(options=PipelineOptions(["--runner=FnApiRunner"])) as p:
        pcolls = {name: p | f"Create{name}" >> beam.Create(datasets.get(name, []))
                  for name in DATASETS}
        written = pcolls | WriteDatasets(str(staging), rows_per_file, **kwargs)
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


def test_write_datasets_bounded_buffer_parts_are_merged_per_partition(tmp_path):
    # A one-byte buffer writes a part per row; the commit merges a
    # partition's parts into files of at most rows_per_file rows when there
    # are more than MERGE_ABOVE of them, and renames them otherwise.
    sentences = [_sentence(i) for i in range(50)] + [_sentence(60 + i, published=None)
                                                    for i in range(3)]
    _write(tmp_path, {"sentences": sentences}, rows_per_file=20, buffer_bytes=1)
    dated = sorted((tmp_path / "sentences" / "published_date=2025-03-12").iterdir())
    assert [pq.ParquetFile(f).metadata.num_rows for f in dated] in (
        [20, 20, 10], [10, 20, 20], [20, 10, 20])
    assert all(pq.read_schema(f).metadata[SCHEMA_VERSION_KEY] == b"1" for f in dated)
    merged = pq.read_table(tmp_path / "sentences" / "published_date=2025-03-12")
    assert sorted(merged.column("sentence_index").to_pylist()) == list(range(50))
    assert MERGE_ABOVE >= 3
    assert len(list((tmp_path / "sentences" / "published_date=unknown").iterdir())) == 3
    assert all(f.endswith(".parquet") for f in _files(tmp_path))


def test_writers_of_a_bundle_share_one_buffer_limit(tmp_path):
    # Two datasets' writers, each receiving 0.9 of the limit in rows: with
    # a limit each neither would write before the bundle's end, and
    # together they would hold 1.8 limits. With one limit for both, what
    # they hold stays under 1.4 limits, and every row is written once.
    limit = 20_000
    writers = {name: WriteShards(str(tmp_path), limit) for name in ("sentences", "errors")}
    for writer in writers.values():
        writer.start_bundle()
    sentences = [_sentence(i) for i in range(int(0.9 * limit / row_bytes(
        to_row(_sentence(0)))))]
    errors = [Error(f"file{i}.txt", "read", "empty file", "x" * 100, None, None)
              for i in range(int(0.9 * limit / row_bytes(to_row(
                  Error("file0.txt", "read", "empty file", "x" * 100, None, None)))))]
    written, most = [], 0
    for sentence, error in zip(sentences, errors):
        written += writers["sentences"].process(sentence)
        written += writers["errors"].process(error)
        most = max(most, sum(writer.held_bytes for writer in writers.values()))
    for writer in writers.values():
        written += [value.value for value in writer.finish_bundle()]
    assert most < 1.4 * limit
    assert {w.dataset for w in written[:-2]} == {"sentences", "errors"}  # before the end
    assert sum(pq.read_table(w.path).num_rows for w in written if w.dataset == "sentences") \
        == min(len(sentences), len(errors))
    indexes = [i for w in written if w.dataset == "sentences"
               for i in pq.read_table(w.path).column("sentence_index").to_pylist()]
    assert sorted(indexes) == list(range(min(len(sentences), len(errors))))


def test_row_bytes_is_what_rows_take_in_memory():
    # The buffer limit is only as good as this count: a Claim's row, built
    # as the writer builds it, must be counted at what Python allocates
    # for it. Counting its text alone missed three fifths of it, and rows
    # that each held their own copy of the column names took twice what
    # they need.
    def claim(i):
        sentence = (f"Senator {i} said that the bill number {i} would pass "
                    f"this week, aides reported.")
        return Claim(record_id=f"{i:032x}", article_id=f"{i:020d}", sentence_index=i,
                     char_start=i, char_end=i + len(sentence), sentence=sentence,
                     published_date=DAY, source=f"Source {i}", confidence=0.5 + i / 1e6,
                     evidence=f"cue said {i}", speaker=f"Senator {i}",
                     speaker_label="PERSON", speaker_inherited=False, cue="said",
                     content=f"the bill number {i} would pass this week",
                     is_direct=False, channel=None)

    # What a buffered row keeps alive: the dict and the record's values,
    # once the record itself is gone.
    tracemalloc.start()
    try:
        rows = []
        for i in range(2000):
            rows.append(to_row(claim(i)))
        taken = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    counted = sum(row_bytes(row) for row in rows)
    assert 0.8 * taken <= counted <= 1.5 * taken


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


def test_publish_points_the_output_at_the_new_snapshot(tmp_path):
    output = tmp_path / "out"
    first = pathlib.Path(staging_dir(str(output), "run1"))
    _write(first, {"sentences": [_sentence(0)]})
    publish(str(output), "run1")
    assert output.is_symlink() and output.resolve() == first.resolve()
    second = pathlib.Path(staging_dir(str(output), "run2"))
    _write(second, {"sentences": [_sentence(i) for i in range(3)]})
    publish(str(output), "run2")
    assert output.resolve() == second.resolve()
    assert pq.read_table(output / "sentences").num_rows == 3
    assert not first.exists()                       # the old snapshot is gone
    assert not os.path.isabs(os.readlink(output))   # the folder can move


def test_publish_keeps_current_files_of_appended_datasets(tmp_path):
    output = tmp_path / "out"
    _write(pathlib.Path(staging_dir(str(output), "run1")), {"sentences": [_sentence(0)]})
    publish(str(output), "run1")
    _write(pathlib.Path(staging_dir(str(output), "run2")), {"sentences": [_sentence(1)]})
    publish(str(output), "run2", keep=("sentences",))
    assert sorted(pq.read_table(output / "sentences").column("sentence_index").to_pylist()) == [0, 1]
    assert not list((output / "sentences").glob("**/part-empty.parquet"))


def test_publish_moves_an_old_plain_output_folder_aside_until_the_next_commit(tmp_path):
    output = tmp_path / "out"
    (output / "claims" / "published_date=unknown").mkdir(parents=True)
    (output / "claims" / "published_date=unknown" / "part-old.parquet").write_bytes(b"old")
    _write(pathlib.Path(staging_dir(str(output), "run1")), {"sentences": [_sentence(0)]})
    publish(str(output), "run1")
    assert output.is_symlink()
    assert not (output / "claims" / "published_date=unknown" / "part-old.parquet").exists()
    assert pq.read_table(output / "sentences").num_rows == 1
    snapshots = tmp_path / ".out.tidings" / "snapshots"
    legacy = [p for p in snapshots.iterdir() if p.name != "run1"]
    assert [p.name.startswith("legacy-") for p in legacy] == [True]    # kept
    assert (legacy[0] / "claims" / "published_date=unknown" / "part-old.parquet").read_bytes() \
        == b"old"
    assert recover(str(output)) is None and legacy[0].exists()
    _write(pathlib.Path(staging_dir(str(output), "run2")), {"sentences": [_sentence(1)]})
    publish(str(output), "run2")
    assert [p.name for p in snapshots.iterdir()] == ["run2"]


def test_publish_refuses_a_plain_folder_that_gained_a_foreign_file(tmp_path):
    output = tmp_path / "out"
    (output / "claims").mkdir(parents=True)
    _write(pathlib.Path(staging_dir(str(output), "run1")), {"sentences": [_sentence(0)]})
    (output / "notes.txt").write_text("mine")
    with pytest.raises(OutputRefused, match="notes.txt"):
        publish(str(output), "run1")
    assert (output / "notes.txt").read_text() == "mine" and not output.is_symlink()


def test_recover_removes_unfinished_snapshots(tmp_path):
    output = tmp_path / "out"
    _write(pathlib.Path(staging_dir(str(output), "good")), {"sentences": [_sentence(0)]})
    publish(str(output), "good")
    dead = pathlib.Path(staging_dir(str(output), "dead"))
    _write(dead, {"sentences": [_sentence(1)]})          # killed before publishing
    assert recover(str(output)) is None
    assert not dead.exists()
    assert output.resolve().name == "good"


def test_recover_repoints_an_output_lost_between_two_renames(tmp_path):
    output = tmp_path / "out"
    (output / "sentences").mkdir(parents=True)            # an older, plain output
    _write(pathlib.Path(staging_dir(str(output), "new")), {"sentences": [_sentence(0)]})
    (pathlib.Path(staging_dir(str(output), "new")) / ".complete").write_text("new")
    os.replace(output, tmp_path / ".out.tidings" / "snapshots" / "legacy-1")
    (tmp_path / ".out.tidings" / "snapshots" / "legacy-1" / ".complete").write_text("legacy")
    os.utime(tmp_path / ".out.tidings" / "snapshots" / "new" / ".complete", (2e9, 2e9))
    assert not output.exists()                           # the kill fell here
    assert recover(str(output)) == "new"
    assert output.resolve().name == "new"
    # the old output is kept beside it until a later run commits
    assert sorted(p.name for p in (tmp_path / ".out.tidings" / "snapshots").iterdir()) == [
        "legacy-1", "new"]


def test_output_lock_one_writer_at_a_time(tmp_path):
    first = OutputLock(str(tmp_path), "run-a")
    first.acquire()
    with pytest.raises(OutputLocked, match="run-a"):
        OutputLock(str(tmp_path), "run-b").acquire()
    first.release()
    with OutputLock(str(tmp_path), "run-b"):
        assert json.loads(pathlib.Path(lock_path(str(tmp_path))).read_text())["run_id"] == "run-b"
    assert not pathlib.Path(lock_path(str(tmp_path))).exists()


def test_output_lock_takes_over_a_stale_lock(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    lock = pathlib.Path(lock_path(str(tmp_path)))
    lock.parent.mkdir()
    lock.write_text(json.dumps({"host": socket.gethostname(), "pid": int(finished.stdout),
                                "run_id": "killed", "started": 0}))
    with OutputLock(str(tmp_path), "run-c"):
        assert json.loads(lock.read_text())["run_id"] == "run-c"


def test_output_lock_half_written_lock_is_stale(tmp_path):
    lock = pathlib.Path(lock_path(str(tmp_path)))
    lock.parent.mkdir()
    lock.write_text('{"host": ')
    with OutputLock(str(tmp_path), "run-d"):
        assert json.loads(lock.read_text())["run_id"] == "run-d"


def test_publish_incremental_upgrades_files_of_an_older_schema(tmp_path):
    output = tmp_path / "out"
    _write(pathlib.Path(staging_dir(str(output), "run1")), {"sentences": [_sentence(0)]})
    publish(str(output), "run1")
    old_schema = DATASETS["events"].schema.remove(
        DATASETS["events"].schema.get_field_index("date_unresolved_reason"))
    folder = output / "events" / "published_date=2025-03-12"
    folder.mkdir(parents=True, exist_ok=True)
    row = {name: None for name in old_schema.names}
    row.update(record_id="r1", article_id="a", sentence_index=0, char_start=0, char_end=3,
               sentence="Met", confidence=0.5, evidence="verb_trigger:meet",
               trigger="Met", trigger_lemma="meet", event_type="MEET")
    pq.write_table(pa.Table.from_pylist([row], schema=old_schema.with_metadata(
        {SCHEMA_VERSION_KEY: b"1"})), folder / "part-old.parquet")
    _write(pathlib.Path(staging_dir(str(output), "run2")), {"sentences": [_sentence(1)]})
    publish(str(output), "run2", keep=("events", "sentences"))
    (path,) = (output / "events").glob("*/part-old.parquet")
    schema = pq.read_schema(path)
    assert schema.metadata[SCHEMA_VERSION_KEY] == str(DATASETS["events"].version).encode()
    assert schema.remove_metadata() == DATASETS["events"].schema
    table = pq.read_table(path)
    assert table.column("record_id").to_pylist() == ["r1"]
    assert table.column("date_unresolved_reason").to_pylist() == [None]
