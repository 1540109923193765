"""A folder of more than 40 kinds of bad and unusual input beside good
articles: the run exits 0 with bounded memory, every input the folder
holds ends as an article or an errors row with its reason, and the good
articles' records are all there. Then a failure injected into each step
of the pipeline loses only the input it struck, to errors."""
from __future__ import annotations

import os
import pathlib
import resource
import subprocess
import sys
import time

import duckdb
import pytest

from tests.pipelines import hostile
from tidings.inputs import formats, listing
from tidings.inputs import record_files as records
from tidings.pipelines import ingest
from tidings.transforms import reading, tagging, writing


ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _query(sql):
    return duckdb.connect().execute(sql).fetchall()


def _relative(path: str, folder: pathlib.Path) -> str:
    prefix = f"{folder}/"
    return path[len(prefix):] if path.startswith(prefix) else path


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, examples_dir):
    root = tmp_path_factory.mktemp("hostile")
    folder, metadata = hostile.write_hostile_folder(root, examples_dir)
    out = root / "out"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "tidings.pipelines.ingest", "--input", str(folder),
         "--metadata", str(metadata), "--output", str(out),
         "--max-file-bytes", str(hostile.MAX_FILE_BYTES),
         "--max-article-chars", str(hostile.MAX_ARTICLE_CHARS)],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - started
    # The largest waited-for child's peak: the run, in-process runner and all.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"hostile run: {seconds:.1f} s, peak RSS {peak_mb:.0f} MB")
    errors = {(_relative(row[0], folder), row[1], row[2]) for row in _query(
        f"SELECT input_path, stage, reason FROM read_parquet('{out}/errors/**/*.parquet')")}
    articles = {_relative(row[0], folder): row[1:] for row in _query(
        f"SELECT source_path, title, published_date, text, article_id FROM "
        f"read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true)")}
    return done, peak_mb, folder, out, errors, articles


def _outcome(name, errors, articles):
    if name in articles:
        return hostile.ARTICLE
    found = [(stage, reason) for path, stage, reason in errors if path == name]
    return found[0] if len(found) == 1 else found


def test_hostile_folder_run_exits_0_without_a_traceback_in_bounded_memory(hostile_run):
    done, peak_mb, *_ = hostile_run
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert peak_mb < 2048
    kinds = hostile.kinds(pathlib.Path("."))
    assert len(kinds) + len(hostile.RECORD_OUTCOMES) >= 60        # kinds of input


@pytest.mark.parametrize("name", list(hostile.kinds(pathlib.Path("."))))
def test_each_hostile_file_ends_as_expected(name, hostile_run):
    _, _, _, _, errors, articles = hostile_run
    expected = hostile.kinds(pathlib.Path("."))[name][1]
    shown = listing.display_path(name)
    if expected is None:                            # a record file: see below
        return
    assert _outcome(shown, errors, articles) == (
        expected if expected == hostile.ARTICLE else tuple(expected)), shown


@pytest.mark.parametrize("place", list(hostile.RECORD_OUTCOMES))
def test_each_record_ends_as_expected(place, hostile_run):
    _, _, _, _, errors, articles = hostile_run
    expected = hostile.RECORD_OUTCOMES[place]
    if expected == hostile.ARTICLE:
        assert place in articles
    else:
        assert (place, *expected) in errors


def test_metadata_problems_are_errors_of_their_own(hostile_run):
    _, _, _, _, errors, articles = hostile_run
    for path, (stage, reason) in hostile.METADATA_OUTCOMES.items():
        assert (path, stage, reason) in errors, path
    assert articles["formula.txt"][0] == hostile.FORMULA_TITLE     # stored as text


def test_every_entry_of_the_folder_is_accounted_for(hostile_run):
    _, _, folder, _, errors, articles = hostile_run
    named = {path.split("#")[0] for path in articles} | {
        path.split("#")[0] for path, stage, _ in errors if stage != "metadata"}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + [d for d in dirnames if not os.listdir(os.path.join(dirpath, d))]:
            relative = os.path.relpath(os.path.join(dirpath, name), folder)
            assert listing.display_path(relative) in named, relative


def test_good_articles_keep_their_records(hostile_run):
    _, _, _, out, _, articles = hostile_run
    speakers = {row[0] for row in _query(
        f"SELECT speaker FROM read_parquet('{out}/claims/**/*.parquet')")}
    assert {"Solberg", "Quispe", "Lena Hartmann", "the police chief"} <= speakers
    assert "déclaré" in articles["latin1.txt"][2]
    for name in ("utf16-bom.txt", "utf16-nobom.txt", "utf32.txt"):
        assert articles[name][2].startswith("The mayor said on Monday"), name
    assert articles["records.jsonl#id=\ufffdx"][0] == "\ufffd bad"
    assert str(articles["records.jsonl#id=year1"][1]) == "0001-01-01"
    assert str(articles["records.jsonl#id=year9999"][1]) == "9999-12-31"
    by_id = {values[3]: name for name, values in articles.items()}
    claims = {by_id[row[0]] for row in _query(
        f"SELECT article_id FROM read_parquet('{out}/claims/**/*.parquet')")}
    assert {"digits.txt", "records.jsonl#id=year1", "records.jsonl#id=year9999",
            "utf32.txt", "folder.txt/inner.txt", "new\nline.txt"} <= claims
    value = _query(f"SELECT value_text, value_amount FROM "
                   f"read_parquet('{out}/agreements/**/*.parquet') "
                   f"WHERE value_text LIKE '%30,000,000%'")
    assert value and all(amount is None for _, amount in value)   # beyond int64


# ------------------------------------------------------------ failure injection

POISON = "POISONED"


def _poisoned_folder(tmp_path, examples_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (examples_dir / "articles").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    text = f"The mayor said on Monday that the {POISON} bridge would reopen.\n"
    (folder / "poisoned.txt").write_text(text, encoding="utf-8")
    (folder / "records.jsonl").write_text(
        '{"text": "The governor said on Friday that schools would reopen.", "id": "fine"}\n'
        f'{{"text": "The minister said the {POISON} budget passed.", "id": "bad"}}\n'
        '{"text": "The chief said on Sunday that the road was closed.", "id": "after"}\n',
        encoding="utf-8")
    return folder


def _raise_if(predicate, real):
    def call(*args, **kwargs):
        if predicate(*args, **kwargs):
            raise RuntimeError("injected failure")
        return real(*args, **kwargs)
    return call


def _poisoned(value) -> bool:
    return POISON in repr(value) or POISON.encode() in (value if isinstance(value, bytes) else b"")


# step: (module(s) calling it, attribute, which calls fail, stage of the error,
#        articles lost, the paths their errors name)
FILE, RECORD = "poisoned.txt", "records.jsonl#id=bad"
STEPS = {
    "list": (listing, "_classify", lambda path, *a: "poisoned" in path, "read",
             {FILE}, {FILE}),
    "plan": (reading._PlanReads, "_plan", lambda self, meta: "poisoned" in meta.path, "read",
             {FILE}, {FILE}),
    "read": (reading, "read_decompressed", lambda handle, *a: "poisoned" in str(handle.name),
             "read", {FILE}, {FILE}),
    "decode": (formats, "decode_text", lambda data: _poisoned(data), "read", {FILE}, {FILE}),
    "json record": (records, "_record", lambda path, where, record, *a: _poisoned(record),
                    "read", {RECORD}, {"records.jsonl#line=2"}),
    "metadata": (reading, "apply_metadata", lambda article, *a: _poisoned(article.text), "read",
                 {FILE}, {FILE}),
    "make article": ((reading, formats), "make_article", lambda path, text, **k: _poisoned(text), "read",
                     {FILE, RECORD}, {FILE, "records.jsonl#line=2"}),
    "parse": (tagging.TagBatch, "_docs", lambda self, texts: any(map(_poisoned, texts)),
              "tag", {FILE, RECORD}, {FILE, RECORD}),
    "tag": (tagging, "tag_article", lambda doc, article: _poisoned(article.text), "tag",
            {FILE, RECORD}, {FILE, RECORD}),
    "write": (writing, "to_row", lambda record: _poisoned(getattr(record, "text", "")) and
              hasattr(record, "source_path"), "write", {FILE, RECORD}, {FILE, RECORD}),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_failure_in_any_step_loses_only_the_input_it_struck(step, examples_dir, tmp_path,
                                                             monkeypatch):
    owners, name, predicate, stage, lost, reported = STEPS[step]
    for owner in owners if isinstance(owners, tuple) else (owners,):   # where it is called
        monkeypatch.setattr(owner, name, _raise_if(predicate, getattr(owner, name)))
    folder = _poisoned_folder(tmp_path, examples_dir)
    out = tmp_path / "out"
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    kept = {_relative(row[0], folder) for row in _query(
        f"SELECT source_path FROM read_parquet('{out}/articles/**/*.parquet')")}
    assert kept == {"port-deal.txt", "border-talks.txt", "mining-strike.txt",
                    "records.jsonl#id=fine", "records.jsonl#id=after", FILE, RECORD} - lost
    errors = _query(f"SELECT input_path, stage, detail FROM "
                    f"read_parquet('{out}/errors/**/*.parquet')")
    struck = {_relative(path, folder) for path, s, detail in errors
              if s == stage and "injected failure" in detail}
    assert struck == reported
