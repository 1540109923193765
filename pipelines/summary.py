"""The lines a finished run prints: what it added, what it found unchanged,
what it refused and why, and what the output now holds.

The first line says what the run did, so a rerun that added nothing says so
at once. Metadata rows for files that are not inputs of this run are not
refused inputs: they are counted apart, although the ``errors`` dataset
keeps them (stage ``metadata``) for anyone who wants the list.
"""
from __future__ import annotations

import collections
from typing import Optional

import pyarrow.dataset as ds
from apache_beam.io.filesystems import FileSystems

from tidings.inputs.metadata import UNMATCHED_ROW as UNMATCHED_METADATA
from tidings.pipelines.console import duration
from tidings.transforms import counters as names


RECORDS = ("sentences", "claims", "events", "agreements")


def error_reasons(output: str) -> collections.Counter:
    """(stage, reason) -> rows of the ``errors`` dataset of ``output``."""
    files = FileSystems.match([FileSystems.join(output, "errors", "**.parquet")])[0]
    paths = [meta.path for meta in files.metadata_list]
    if not paths:
        return collections.Counter()
    table = ds.dataset(paths, format="parquet").to_table(columns=["stage", "reason"])
    return collections.Counter(zip(table.column("stage").to_pylist(),
                                   table.column("reason").to_pylist()))


def summary_lines(run_id: str, output: str, seconds: float, before: Optional[dict[str, int]],
                  after: dict[str, int], counters: dict[str, int],
                  reasons: collections.Counter) -> list[str]:
    """The run's summary, a line each; ``before`` is None after a full refresh.

    Args:
        before, after: rows per dataset in the output before and after the run.
        counters: the run's Beam counters (empty where the runner reports none).
        reasons: (stage, reason) -> errors of this run.
    """
    added = {name: after[name] - (before or {}).get(name, 0)
             for name in ("articles", *RECORDS)}
    unchanged = counters.get(names.ARTICLES_UNCHANGED)
    took = f"in {duration(seconds)}" if seconds >= 60 else f"in {seconds:.1f} s"
    refresh = " (full refresh)" if before is None else ""
    if added["articles"]:
        records = ", ".join(f"{added[name]:,} {_plural(added[name], name[:-1])}"
                            for name in RECORDS)
        first = (f"tidings: run {run_id} added {added['articles']:,} "
                 f"{_plural(added['articles'], 'article')}{refresh} {took}: {records}")
    else:
        first = f"tidings: run {run_id} added nothing{refresh} {took}"
        if unchanged:
            first += f": all {unchanged:,} {_plural(unchanged, 'article')} were unchanged"
    lines = [first]
    if unchanged and added["articles"]:
        lines.append(f"tidings: unchanged: {unchanged:,} {_plural(unchanged, 'article')} "
                     f"already in the output, not parsed again")
    duplicates = counters.get(names.DUPLICATE_ARTICLES)
    if duplicates:
        lines.append(f"tidings: duplicates: {duplicates:,} inputs repeat another's text; "
                     f"stored once")
    refused = {key: count for key, count in reasons.items() if key[1] != UNMATCHED_METADATA}
    errors_dir = FileSystems.join(output, "errors")
    if refused:
        total = sum(refused.values())
        by_reason = ", ".join(f"{count:,} {reason} ({stage})" for (stage, reason), count
                              in sorted(refused.items(), key=lambda item: (-item[1], item[0])))
        lines.append(f"tidings: refused: {total:,} {_plural(total, 'input')} could not be "
                     f"used: {by_reason}; see {errors_dir}")
    unused = sum(count for key, count in reasons.items() if key[1] == UNMATCHED_METADATA)
    if unused:
        lines.append(f"tidings: metadata rows not used: {unused:,} (they name no input of "
                     f"this run; listed in {errors_dir} with stage 'metadata')")
    lines.append(f"tidings: {output} now holds " + ", ".join(
        f"{name} {count:,}" for name, count in after.items() if name != "errors"))
    return lines


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
