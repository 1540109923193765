"""tidings never deletes, moves or overwrites what it did not write, and
every bad path or option is one line and exit 2, for every command."""
from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tidings.output.guard import work_dir
from tidings.output.lock import lock_path
from tidings.pipelines import evaluate, ingest
from tidings.schemas import DATASETS


ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _tree(path: pathlib.Path) -> dict:
    """Everything at and under ``path``: file bytes, link targets, folders."""
    def one(p):
        if p.is_symlink():
            return ("link", os.readlink(p))
        if p.is_dir():
            return ("dir", None)
        return ("file", p.read_bytes())
    found = {".": one(path)} if os.path.lexists(path) else {}
    if path.is_dir() and not path.is_symlink():
        for p in sorted(path.rglob("*")):
            found[str(p.relative_to(path))] = one(p)
    return found


def _articles(folder: pathlib.Path, examples_dir) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in (examples_dir / "articles").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _rows(output, name):
    return duckdb.connect().execute(
        f"SELECT * FROM read_parquet('{output}/{name}/**/*.parquet', hive_partitioning = true) "
        f"ORDER BY ALL").fetchall()


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in err
    return lines[0]


def _user_folder(root):
    folder = root / "notes"
    folder.mkdir()
    (folder / "draft.txt").write_text("my draft", encoding="utf-8")
    (folder / "metadata.csv").write_text("file,title\na,b\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", ["user folder", "user file", "foreign link",
                                  "dataset-named folder with a foreign file"])
def test_run_refuses_an_output_tidings_did_not_write_and_leaves_it_unchanged(
        case, examples_dir, tmp_path, capsys):
    articles = _articles(tmp_path / "in", examples_dir)
    if case == "user folder":
        out = _user_folder(tmp_path)
    elif case == "user file":
        out = tmp_path / "report.txt"
        out.write_text("keep me", encoding="utf-8")
    elif case == "foreign link":
        target = _user_folder(tmp_path)
        out = tmp_path / "link"
        out.symlink_to(target)
    else:
        out = tmp_path / "old"
        (out / "claims" / "published_date=unknown").mkdir(parents=True)
        (out / "claims" / "published_date=unknown" / "part-1.parquet").write_bytes(b"x")
        (out / "claims" / "README").write_text("mine", encoding="utf-8")
    before = {p.name: _tree(p) for p in tmp_path.iterdir()}
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(out) in line and "never replaces" in line
    assert {p.name: _tree(p) for p in tmp_path.iterdir()} == before    # nothing written


@pytest.mark.parametrize("where", ["equal", "inside", "containing", "glob's folder"])
def test_run_refuses_an_output_that_overlaps_an_input(where, examples_dir, tmp_path, capsys):
    articles = _articles(tmp_path / "news", examples_dir)
    inputs, out = {
        "equal": ([str(articles)], articles),
        "inside": ([str(articles)], articles / "out"),
        "containing": ([str(articles / "port-deal.txt")], articles),
        "glob's folder": ([str(articles / "*.txt")], articles / "sub" / "out"),
    }[where]
    before = _tree(tmp_path)
    assert ingest.run(["--input", *inputs, "--output", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "--input" in line and "apart from the inputs" in line
    assert _tree(tmp_path) == before


def test_run_reuses_a_tidings_output_and_migrates_an_older_plain_one(examples_dir, tmp_path):
    articles = _articles(tmp_path / "in", examples_dir)
    out = tmp_path / "out"
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 0
    expected = {name: _rows(out, name) for name in DATASETS}
    # An output tidings made is reused: the rerun adds nothing.
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 0
    assert {name: _rows(out, name) for name in DATASETS} == expected
    # An older tidings wrote a plain folder: copy the snapshot's datasets.
    old = tmp_path / "older"
    shutil.copytree(out.resolve(), old, ignore=shutil.ignore_patterns(".complete"))
    files = _tree(old)
    assert ingest.run(["--input", str(articles), "--output", str(old)]) == 0
    assert old.is_symlink()
    assert {name: _rows(old, name) for name in DATASETS} == expected
    snapshots = pathlib.Path(work_dir(str(old))) / "snapshots"
    legacy = [p for p in snapshots.iterdir() if p.name.startswith("legacy-")]
    assert len(legacy) == 1                 # the old files are kept until the next run
    kept = _tree(legacy[0])
    assert {k: v for k, v in kept.items() if k != ".complete"} == files
    assert ingest.run(["--input", str(articles), "--output", str(old)]) == 0
    assert not legacy[0].exists()
    assert {name: _rows(old, name) for name in DATASETS} == expected


def test_run_into_an_empty_folder_is_allowed(examples_dir, tmp_path):
    articles = _articles(tmp_path / "in", examples_dir)
    out = tmp_path / "empty"
    out.mkdir()
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 0
    assert len(_rows(out, "articles")) == 3


def _make_metadata_cases(tmp_path):
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    return {"missing": str(tmp_path / "nothing.csv"), "a folder": str(folder)}


@pytest.mark.parametrize("case", ["missing", "a folder"])
def test_run_unusable_metadata_is_one_line_and_exit_2(case, examples_dir, tmp_path, capsys):
    articles = _articles(tmp_path / "in", examples_dir)
    metadata = _make_metadata_cases(tmp_path)[case]
    assert ingest.run(["--input", str(articles), "--output", str(tmp_path / "out"),
                       "--metadata", metadata]) == 2
    assert "--metadata" in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


def test_run_metadata_in_cp1252_with_a_long_field_is_read(examples_dir, tmp_path):
    articles = _articles(tmp_path / "in", examples_dir)
    metadata = tmp_path / "meta.csv"
    long_title = "Déclaration " + "x" * 200_000
    metadata.write_bytes(("file,published_date,source,title,url\n"
                          f"port-deal.txt,2025-03-12,Agence Métro,\"{long_title}\",u\n")
                         .encode("cp1252"))
    out = tmp_path / "out"
    assert ingest.run(["--input", str(articles), "--output", str(out),
                       "--metadata", str(metadata)]) == 0
    titles = {row[0] for row in duckdb.connect().execute(
        f"SELECT title FROM read_parquet('{out}/articles/**/*.parquet') "
        f"WHERE source = 'Agence Métro'").fetchall()}
    assert titles == {long_title}


def test_run_output_on_a_read_only_place_is_one_line_and_exit_2(examples_dir, tmp_path, capsys):
    articles = _articles(tmp_path / "in", examples_dir)
    # /proc refuses every new entry, even to root: a read-only place that
    # a test can rely on.
    assert ingest.run(["--input", str(articles), "--output", "/proc/tidings-out"]) == 2
    assert "cannot write beside --output" in _one_line(capsys.readouterr().err)


def _cli(*argv):
    return subprocess.run([sys.executable, "-m", "tidings.pipelines.cli", *argv], cwd=ROOT,
                          capture_output=True, text=True)


@pytest.mark.parametrize("argv, names", [
    (["evaluate", "--output", "{missing}", "--gold", "{gold}"], "--output"),
    (["evaluate", "--output", "{out}", "--gold", "{missing}"], "--gold"),
    (["evaluate", "--output", "{out}", "--brat", "{missing}"], "--brat"),
    (["evaluate", "--output", "{out}", "--gold", "{other_gold}"], "none of the 1 gold files"),
    (["duckdb", "--output", "{missing}", "--database", "{db}"], "--output"),
    (["duckdb", "--output", "{out}", "--database", "{not_db}"], "--database"),
    (["run", "--input", "{missing}", "--output", "{db}"], "--input"),
    (["run", "--input", "{gold}", "--output", "{out}", "--metadata", "{missing}"],
     "--metadata"),
], ids=["evaluate output", "evaluate gold", "evaluate brat", "evaluate unmatched gold",
        "duckdb output", "duckdb database", "run input", "run metadata"])
def test_every_command_answers_a_bad_path_with_one_line_and_exit_2(
        argv, names, examples_dir, tmp_path):
    out = tmp_path / "out"
    assert ingest.run(["--input", str(_articles(tmp_path / "in", examples_dir)),
                       "--output", str(out)]) == 0
    other_gold = tmp_path / "other.jsonl"
    other_gold.write_text('{"file": "elsewhere.txt", "char_start": 0, "char_end": 5, '
                          '"sentence": "Hello", "records": []}\n', encoding="utf-8")
    not_db = tmp_path / "notes.duckdb"
    not_db.write_text("my notes, not a database", encoding="utf-8")
    values = {"missing": str(tmp_path / "no-such-thing"), "out": str(out),
              "gold": str(examples_dir / "gold.jsonl"), "other_gold": str(other_gold),
              "db": str(tmp_path / "t.duckdb"), "not_db": str(not_db)}
    done = _cli(*[arg.format(**values) for arg in argv])
    assert done.returncode == 2, done.stderr
    stderr = "\n".join(line for line in done.stderr.splitlines() if "apitools" not in line)
    assert names in _one_line(stderr)
    assert not_db.read_text(encoding="utf-8") == "my notes, not a database"


def test_evaluate_warns_when_only_some_gold_files_match(examples_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert ingest.run(["--input", str(_articles(tmp_path / "in", examples_dir)),
                       "--output", str(out)]) == 0
    gold = tmp_path / "gold.jsonl"
    gold.write_text((examples_dir / "gold.jsonl").read_text(encoding="utf-8") +
                    '{"file": "elsewhere.txt", "char_start": 0, "char_end": 5, '
                    '"sentence": "Hello", "records": []}\n', encoding="utf-8")
    assert evaluate.run(["--output", str(out), "--gold", str(gold)]) == 0
    assert "warning: 3 of 4 gold files match" in capsys.readouterr().err


def _many(folder, examples_dir, copies):
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted((examples_dir / "articles").iterdir())]
    for i in range(copies):
        (folder / f"a{i:04d}.txt").write_text(f"{texts[i % 3]}\nEditor's note: copy {i}.\n",
                                              encoding="utf-8")


@pytest.mark.parametrize("how", ["process", "group"])
def test_sigterm_mid_run_leaves_the_output_releases_the_lock_and_the_next_run_completes(
        how, examples_dir, tmp_path):
    articles = _articles(tmp_path / "in", examples_dir)
    out = tmp_path / "out"
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 0
    before = {name: _rows(out, name) for name in (*DATASETS, "runs")}
    big = tmp_path / "big"
    _many(big, examples_dir, 600)
    process = subprocess.Popen(
        [sys.executable, "-m", "tidings.pipelines.ingest", "--input", str(big), "--output", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    for line in process.stdout:
        if " on FnApiRunner" in line:
            break
    time.sleep(4)
    assert process.poll() is None, "the run finished before it could be stopped"
    if how == "group":
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.send_signal(signal.SIGTERM)
    rest = process.stdout.read()
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in rest and "Traceback" not in rest
    assert not pathlib.Path(lock_path(str(out))).exists()
    assert {name: _rows(out, name) for name in (*DATASETS, "runs")} == before
    snapshots = pathlib.Path(work_dir(str(out))) / "snapshots"
    assert [p.resolve() for p in snapshots.iterdir()] == [out.resolve()]
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 0


def test_a_lock_held_by_a_zombie_is_taken_over(examples_dir, tmp_path):
    articles = _articles(tmp_path / "in", examples_dir)
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from tidings.output.lock import OutputLock
OutputLock({str(out)!r}, "zombie-run").acquire()
print("locked", flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    time.sleep(0.5)                        # dead, and not reaped: a zombie
    with open(f"/proc/{holder.pid}/stat", encoding="ascii") as handle:
        assert handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    assert pathlib.Path(lock_path(str(out))).exists()
    assert ingest.run(["--input", str(articles), "--output", str(out)]) == 0
    holder.wait()
