"""Time and peak memory of tidings on hostile inputs, one at a time.

    .venv/bin/python benchmarks/hostile.py [--work DIR] [NAME ...]

Writes the hostile folder of the tests (``tests/pipelines/hostile.py``)
under DIR (default: a temporary folder), then runs ``tidings run`` on each
named input alone (default: the decompression bombs and the other inputs
built to exhaust memory or time) and on the whole folder, and prints each
run's wall time, peak RSS (the run's process, in-process runner and all)
and what the input became.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import duckdb


ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pipelines import hostile  # noqa: E402


HEAVY = ("bomb.txt.gz", "bomb.txt.bz2", "bomb.txt.zst", "bomb.jsonl.zst",
         "bomb-lines.jsonl.gz", "laughs.html", "nested.html", "five-mb-line.txt",
         "tiny-sentences.txt", "no-breaks.txt", "wide.csv", "long-field.csv", "pipe.txt")


def _run(inputs: list[pathlib.Path], out: pathlib.Path, metadata=None) -> tuple[float, float, str]:
    argv = [sys.executable, "-m", "tidings.pipelines.ingest", "--input", *map(str, inputs),
            "--output", str(out), "--max-file-bytes", str(hostile.MAX_FILE_BYTES),
            "--max-article-chars", str(hostile.MAX_ARTICLE_CHARS)]
    if metadata:
        argv += ["--metadata", str(metadata)]
    started = time.monotonic()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)    # this run's own peak
    seconds = time.monotonic() - started
    returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss
    con = duckdb.connect()
    articles = con.execute(f"SELECT count(*) FROM read_parquet('{out}/articles/**/*.parquet')"
                           ).fetchall()[0][0]
    reasons = con.execute(f"SELECT reason, count(*) FROM read_parquet('{out}/errors/**/*.parquet')"
                          f" GROUP BY 1 ORDER BY 1").fetchall()
    outcome = f"exit {returncode}; articles {articles}; errors " + (
        ", ".join(f"{reason} ({count})" for reason, count in reasons) or "none")
    return seconds, peak / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=pathlib.Path, default=None)
    parser.add_argument("names", nargs="*", default=list(HEAVY))
    args = parser.parse_args()
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="tidings-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    for old in work.iterdir():     # this benchmark's own earlier folders
        if old.name == "in" or old.name.startswith(("out-", ".out-")):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    folder, metadata = hostile.write_hostile_folder(work, ROOT / "examples")
    print(f"{'input':24} {'seconds':>8} {'peak MB':>8}  outcome")
    seconds, peak, outcome = _run([folder], work / "out-all", metadata)
    print(f"{'(whole folder)':24} {seconds:8.1f} {peak:8.0f}  {outcome}")
    for index, name in enumerate(args.names):
        seconds, peak, outcome = _run([folder / name], work / f"out-{index}")
        print(f"{name:24} {seconds:8.1f} {peak:8.0f}  {outcome}")


if __name__ == "__main__":
    main()
