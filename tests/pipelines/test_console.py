"""What a run prints: progress summed over workers, quiet logs, one-line
flag errors with the closest flag, and both spellings of tidings' flags."""
from __future__ import annotations

import io
import json
import logging
import pathlib
import subprocess
import sys

import pytest

from tidings.pipelines import console
from tidings.pipelines.flags import OneLineParser, suggest
from tidings.pipelines.options import unknown_flags


ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_progress_line_sums_the_latest_report_of_each_worker():
    now = [0.0]
    stream = io.StringIO()
    board = console.ProgressBoard(924, stream, bar=False, interval=30, clock=lambda: now[0])
    now[0] = 10
    assert board.report(json.dumps({"worker": "a", "articles": 100, "words": 30_000})) is None
    now[0] = 35
    board.report(json.dumps({"worker": "b", "articles": 150, "words": 61_000}))
    now[0] = 70
    line = board.report(json.dumps({"worker": "a", "articles": 262, "words": 366_000}))
    # 262 + 150 done in 70 s: 512 left at 412/70 a second is 87 s
    assert line == "tidings: 412/924 articles, 6,100 words/s, about 1 min 27 s left"
    assert stream.getvalue().splitlines() == [
        "tidings: 250/924 articles, 2,600 words/s, about 1 min 34 s left", line]


def test_progress_without_a_known_total_has_no_time_left():
    now = [0.0]
    board = console.ProgressBoard(0, io.StringIO(), bar=False, clock=lambda: now[0])
    now[0] = 10
    board.report(json.dumps({"worker": 1, "articles": 5, "words": 100}))
    assert board.line() == "tidings: 5 articles, 10 words/s"


def test_worker_reports_reach_the_board_in_process_and_forwarded():
    from tidings.transforms.tagging import Progress

    handler = console.ConsoleHandler(None, io.StringIO())
    handler.board = console.ProgressBoard(10, io.StringIO(), bar=False, interval=0)
    logger = logging.getLogger("tidings.transforms.tagging")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)       # as console.configure sets it
    try:
        now = [0.0]
        progress = Progress(interval=5, clock=lambda: now[0])
        now[0] = 6
        progress.update(3, 450)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert handler.board.articles == 3 and handler.board.words == 450
    # the same report from a worker process, as Beam's job service logs it
    payload = json.dumps({"worker": "w2", "articles": 4, "words": 50}).replace('"', '\\"')
    handler.emit(logging.LogRecord(
        "apache_beam.runners.portability.local_job_service", logging.INFO, "", 0,
        'Worker: severity: INFO message: "progress %s" log_location: "x.py:1"' % payload,
        None, None))
    assert handler.board.articles == 7 and handler.board.words == 500


@pytest.mark.parametrize("name, level, shown", [
    ("apache_beam.runners.worker.sdk_worker", logging.INFO, False),
    ("root", logging.WARNING, False),                  # "apitools not found"
    ("apache_beam.io.filesystem", logging.ERROR, True),
    ("tidings.output.lock", logging.WARNING, True),
    ("tidings.output.lock", logging.INFO, False),
])
def test_quiet_by_default_shows_only_tidings_warnings_and_errors(name, level, shown):
    stream = io.StringIO()
    handler = console.ConsoleHandler(None, stream)
    handler.emit(logging.LogRecord(name, level, "", 0, "message text", None, None))
    assert ("message text" in stream.getvalue()) is shown


def test_verbose_shows_everything_from_its_level():
    stream = io.StringIO()
    handler = console.ConsoleHandler(console.verbosity(["--verbose"]), stream)
    handler.emit(logging.LogRecord("apache_beam.x", logging.INFO, "", 0, "chatter", None, None))
    assert "INFO apache_beam.x: chatter" in stream.getvalue()
    assert console.verbosity(["--log-level", "debug"]) == logging.DEBUG
    assert console.verbosity(["--input", "x"]) is None


@pytest.mark.parametrize("given, closest", [
    ("--inptu", "--input"), ("--ouput", "--output"), ("--full-refersh", "--full-refresh"),
    ("--metadata-colums", "--metadata-columns"), ("--direct-num-workers", "--direct_num_workers"),
])
def test_a_misspelled_run_flag_gets_the_closest_one(given, closest):
    assert unknown_flags(["--input", "a", given]) == [f"{given} (did you mean {closest}?)"]


def test_a_flag_like_no_other_gets_no_suggestion():
    assert unknown_flags(["--zzzzqqq"]) == ["--zzzzqqq"]
    assert suggest("--zzzzqqq", ["--input"]) == ""


def test_tidings_flags_take_beam_style_underscores_too():
    assert unknown_flags(["--input", "a", "--full_refresh", "--rows_per_file", "5",
                          "--metadata_columns", "file=f", "--full-refresh"]) == []


def test_other_commands_print_one_line_with_the_closest_flag(capsys):
    parser = OneLineParser(prog="tidings duckdb")
    parser.add_argument("--output", required=True)
    parser.add_argument("--database", required=True)
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(["--output", "o", "--databse", "x"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err == "tidings duckdb: unknown flag --databse (did you mean --database?)\n"


@pytest.mark.slow
def test_help_and_a_two_worker_run_print_no_third_party_lines(tmp_path, examples_dir):
    tidings = [sys.executable, "-m", "tidings.pipelines.cli"]
    help_text = subprocess.run([*tidings, "run", "--help"], capture_output=True, text=True,
                               cwd=ROOT)
    assert help_text.returncode == 0 and help_text.stderr == ""
    done = subprocess.run(
        [*tidings, "run", "--input", str(examples_dir / "articles"), "--output",
         str(tmp_path / "out"), "--direct_num_workers", "2",
         "--direct_running_mode", "multi_processing"],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert all(line.startswith("tidings: ") for line in lines), lines
    assert len(lines) <= 4, lines


def test_on_a_terminal_progress_is_a_bar_not_lines():
    stream = io.StringIO()
    board = console.ProgressBoard(10, stream, bar=True, interval=0)
    assert board.report(json.dumps({"worker": "a", "articles": 4, "words": 900})) is None
    board.close()
    drawn = stream.getvalue()
    assert "4/10" in drawn and "articles" in drawn and "tidings: " not in drawn


def test_output_to_a_reader_that_stopped_ends_quietly(monkeypatch, capsys):
    """"tidings --help | head -1": the reader is gone before tidings writes;
    no traceback, status 141."""
    import os

    from tidings.pipelines import cli

    read_end, write_end = os.pipe()
    os.close(read_end)
    stdout = os.fdopen(write_end, "w")
    monkeypatch.setattr(sys, "stdout", stdout)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--help"])
    assert stopped.value.code == 141
    assert "Traceback" not in capsys.readouterr().err
