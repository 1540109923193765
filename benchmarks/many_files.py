"""The launcher's memory against the number of input files.

    python benchmarks/many_files.py --files 20000 200000 --workers 2

For each count it writes a folder of that many one-paragraph files (each
unique, so that duplicate detection keeps them all), runs tidings over it
with ``--workers`` processes, and prints the launcher's peak resident set
(sampled every second: with the local runner the launcher is also the
runner, which holds what passes between stages) and the largest worker's,
with the run's wall time. The paragraphs hold no claim, event or
agreement cue, so the run measures the pipeline around the model, not the
entity recogniser. The last line gives the launcher's growth from the
smallest count to the largest.
"""
from __future__ import annotations

import argparse
import pathlib
import shutil
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from throughput import _measure  # noqa: E402


PARAGRAPH = ("On day {n} the skies over the valley stayed clear, "
             "and the river kept to its banks.\n")


def make_files(folder: pathlib.Path, count: int, per_folder: int = 10_000) -> None:
    """``count`` files under ``folder``, at most ``per_folder`` a subfolder."""
    for n in range(count):
        sub = folder / f"{n // per_folder:04d}"
        if n % per_folder == 0:
            sub.mkdir(parents=True)
        (sub / f"note_{n:07d}.txt").write_text(PARAGRAPH.format(n=n), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args(argv)
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="tidings-files-"))
    results = []
    for count in args.files:
        corpus, output = work / f"files_{count}", work / f"out_{count}"
        if not corpus.exists():
            make_files(corpus, count)
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(work / f".out_{count}.tidings", ignore_errors=True)
        wall, _, sampled, out = _measure(
            [sys.executable, "-m", "tidings.pipelines.ingest", "--input", str(corpus),
             "--output", str(output), "--direct_num_workers", str(args.workers),
             "--direct_running_mode", "multi_processing"])
        added = next((line for line in out.splitlines() if " added " in line), "").strip()
        results.append((count, sampled["runner"], max(sampled["first"], sampled["second"]), wall))
        print(f"{count:>9,} files: launcher peak {sampled['runner']:,} MB, largest worker "
              f"{results[-1][2]:,} MB, {wall:.0f} s; {added}", flush=True)
    if len(results) > 1:
        (small, low, _, _), (large, high, _, _) = results[0], results[-1]
        print(f"launcher: {low:,} MB at {small:,} files, {high:,} MB at {large:,} files "
              f"({(high - low) / low:+.1%}; {(high - low) * 1024 / max(large - small, 1):.2f} KB "
              f"per extra file)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
