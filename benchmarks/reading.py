"""Reading throughput per input format, and memory as the input grows.

    python benchmarks/reading.py --corpus ../shared/corpus/polnear \
        --sizes-mb 20 200

For each size it writes the corpus's .txt articles (replicated to the size,
each copy made unique so that duplicate detection keeps it) as one large
file per record format (JSON Lines, CSV, TSV, and JSON Lines compressed
with gzip, bzip2 and zstd), and as a folder of .txt files. It then runs
tidings' reading step alone (``ReadArticles``: matching, splitting,
decoding, text repair, hashing, the duplicate check, metadata) into a
count, each in its own process, and prints MB/s of article text and of
the file on disk, articles per second and the peak resident memory.
"""
from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time

import zstandard


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from throughput import _measure  # noqa: E402  (a sibling script)


ROOT = pathlib.Path(__file__).resolve().parent.parent
FORMATS = ("jsonl", "csv", "tsv", "jsonl.gz", "jsonl.bz2", "jsonl.zst", "txt")


def articles(source: pathlib.Path, size_mb: float):
    """(name, text) of the source's .txt files, replicated to size_mb."""
    files = sorted(p for p in source.rglob("*.txt") if p.is_file())
    if not files:
        raise SystemExit(f"benchmark: no .txt files under {source}")
    texts = [(p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    limit, written, copy = int(size_mb * 1_000_000), 0, 0
    while True:
        for stem, text in texts:
            if copy:
                text += f"\n(Copy {copy} of this article.)\n"
            yield f"{stem}-{copy}", text
            written += len(text.encode("utf-8"))
            if written >= limit:
                return
        copy += 1


def write_input(fmt: str, source: pathlib.Path, size_mb: float, folder: pathlib.Path
                ) -> tuple[pathlib.Path, int, int, int]:
    """The input of one format; returns (path, articles, distinct texts,
    text bytes)."""
    count = text_bytes = 0
    distinct = len({hash(text) for _, text in articles(source, size_mb)})
    if fmt == "txt":
        path = folder / "txt"
        path.mkdir()
        for name, text in articles(source, size_mb):
            (path / f"{name}.txt").write_text(text, encoding="utf-8")
            count, text_bytes = count + 1, text_bytes + len(text.encode())
        return path, count, distinct, text_bytes
    path = folder / f"articles.{fmt}"
    kind, _, compression = fmt.partition(".")
    opener = {"": open, "gz": gzip.open, "bz2": bz2.open,
              "zst": zstandard.open}[compression]
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t" if kind == "tsv" else ",") \
            if kind in ("csv", "tsv") else None
        if writer:
            writer.writerow(["id", "title", "date", "text"])
        for name, text in articles(source, size_mb):
            if writer:
                writer.writerow([name, name, "2017-01-02", text])
            else:
                handle.write(json.dumps({"id": name, "title": name, "date": "2017-01-02",
                                         "text": text}) + "\n")
            count, text_bytes = count + 1, text_bytes + len(text.encode())
    return path, count, distinct, text_bytes


def read_stage(path: str, workers: int) -> None:
    """Run in its own process: ReadArticles into a count; print JSON."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from tidings.transforms.reading import ReadArticles

    flags = ["--runner=FnApiRunner"]
    if workers > 1:
        flags += [f"--direct_num_workers={workers}", "--direct_running_mode=multi_processing"]
    found = {}
    started = time.monotonic()
    with beam.Pipeline(options=PipelineOptions(flags)) as p:
        read = p | ReadArticles([path], None, 20_000_000)
        for name in ("articles", "errors"):
            _ = (read[name] | f"Count{name}" >> beam.combiners.Count.Globally()
                 | f"Print{name}" >> beam.Map(lambda n, name=name: print(
                     json.dumps({name: n}), flush=True)))
    found["seconds"] = time.monotonic() - started
    print(json.dumps(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "polnear"),
                        help="Folder of .txt articles, searched recursively "
                             "(default ../shared/corpus/polnear).")
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[20.0, 200.0],
                        help="Sizes of article text to test (default 20 200).")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--workers", type=int, default=1,
                        help="Worker processes (default 1: in-process).")
    parser.add_argument("--stage-read", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage_read:
        read_stage(args.stage_read, args.workers)
        return 0

    rows = []
    for size in args.sizes_mb:
        for fmt in args.formats:
            work = pathlib.Path(tempfile.mkdtemp(prefix="tidings-read-"))
            try:
                path, count, distinct, text_bytes = write_input(fmt, pathlib.Path(args.corpus), size, work)
                disk = sum(f.stat().st_size for f in path.rglob("*")) if path.is_dir() \
                    else path.stat().st_size
                wall, rss, _, out = _measure([sys.executable, __file__, "--stage-read", str(path),
                                           "--workers", str(args.workers)])
            finally:
                shutil.rmtree(work, ignore_errors=True)
            counts = {}
            for line in out.splitlines():
                if line.startswith("{"):
                    counts.update(json.loads(line))
            if counts.get("articles") != distinct or counts.get("errors"):
                raise SystemExit(f"benchmark: {fmt} read {counts}, expected {distinct} "
                                 f"distinct articles of {count} and no errors")
            rows.append((size, fmt, count, text_bytes / 1e6, disk / 1e6, wall, rss))
            print(f"{fmt} {size:g} MB: {text_bytes / 1e6 / wall:.2f} MB/s, {rss} MB", flush=True)
    print(f"\n{'size':>6} {'format':<10}{'articles':>9}{'text MB':>9}{'disk MB':>9}"
          f"{'seconds':>9}{'text MB/s':>10}{'disk MB/s':>10}{'articles/s':>11}{'peak RSS MB':>12}")
    for size, fmt, count, text_mb, disk_mb, wall, rss in rows:
        print(f"{size:>6g} {fmt:<10}{count:>9,}{text_mb:>9.1f}{disk_mb:>9.1f}{wall:>9.1f}"
              f"{text_mb / wall:>10.2f}{disk_mb / wall:>10.2f}{count / wall:>11,.0f}{rss:>12,}")
    print(f"\n{args.workers} worker(s), {os.cpu_count()} cores; seconds include Beam's start-up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
