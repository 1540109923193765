"""The run summary says what a run added, left unchanged and refused, and
counts metadata rows for other files apart; ``--dry-run`` writes nothing."""
from __future__ import annotations

import os
import pathlib
import shutil

import pytest

from tidings.pipelines import ingest


pytestmark = pytest.mark.slow


def _inputs(tmp_path, examples_dir) -> pathlib.Path:
    folder = tmp_path / "in"
    shutil.copytree(examples_dir / "articles", folder)
    return folder


def _metadata(tmp_path, examples_dir, extra_rows: int) -> pathlib.Path:
    path = tmp_path / "metadata.csv"
    lines = (examples_dir / "metadata.csv").read_text(encoding="utf-8").splitlines()
    extra = [f"other-{i}.txt,2025-01-0{1 + i % 9},Elsewhere,Other {i},"
             for i in range(extra_rows)]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


def test_first_run_then_unchanged_rerun(tmp_path, examples_dir, capsys):
    folder, out = _inputs(tmp_path, examples_dir), tmp_path / "out"
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first[0].startswith("tidings: run ")
    assert " added 3 articles in " in first[0]
    assert first[0].endswith(": 21 sentences, 16 claims, 16 events, 5 agreements")
    assert first[-1] == (f"tidings: {out} now holds articles 3, sentences 21, claims 16, "
                         f"events 16, agreements 5, entities 8")
    assert not any("refused" in line or "metadata" in line for line in first)

    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    again = capsys.readouterr().out.splitlines()
    assert " added nothing in " in again[0]
    assert again[0].endswith(": all 3 articles were unchanged")
    assert again[-1] == first[-1]


def test_new_and_refused_inputs_and_unused_metadata_rows(tmp_path, examples_dir, capsys):
    folder, out = _inputs(tmp_path, examples_dir), tmp_path / "out"
    metadata = _metadata(tmp_path, examples_dir, 12)
    assert ingest.run(["--input", str(folder / "port-deal.txt"), "--metadata", str(metadata),
                       "--output", str(out)]) == 0
    capsys.readouterr()
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    assert ingest.run(["--input", str(folder), "--metadata", str(metadata),
                       "--output", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert " added 2 articles in " in lines[0]
    assert "tidings: unchanged: 1 article already in the output, not parsed again" in lines
    refused = [line for line in lines if line.startswith("tidings: refused: ")]
    assert refused == [f"tidings: refused: 2 inputs could not be used: 1 empty file (read), "
                       f"1 unsupported format (read); see {out}/errors"]
    assert (f"tidings: metadata rows not used: 12 (they name no input of this run; "
            f"listed in {out}/errors with stage 'metadata')") in lines


def test_dry_run_lists_inputs_and_matches_and_writes_nothing(tmp_path, examples_dir, capsys):
    folder, out = _inputs(tmp_path, examples_dir), tmp_path / "out"
    metadata = _metadata(tmp_path, examples_dir, 4)
    args = ["--input", str(folder), "--metadata", str(metadata), "--output", str(out),
            "--dry-run"]
    assert ingest.run(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert not os.path.lexists(out) and sorted(os.listdir(tmp_path)) == ["in", "metadata.csv"]
    assert "inputs: 3 files, 2.3 KB" in lines
    assert any(line.strip().startswith(str(folder / "port-deal.txt")) and
               line.endswith("text  857 bytes") for line in lines)
    assert any(line.startswith("metadata: 7 rows; 3 match an input, 4 match none") for line in lines)
    assert lines[-1] == f"output: {out} holds no articles yet"

    assert ingest.run(["--input", str(folder / "port-deal.txt"), "--output", str(out)]) == 0
    capsys.readouterr()
    before = sorted(p.name for p in (out / "articles").rglob("*"))
    assert ingest.run(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == (f"output: {out} holds 1 articles; 1 of the 3 single-article inputs "
                         f"are among them and would be left unchanged")
    assert sorted(p.name for p in (out / "articles").rglob("*")) == before
