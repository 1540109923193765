"""How files and the copies index travel between workers.

The local runner holds, in the launcher, everything that passes from one
step to another across a shuffle. So file parts pass in packed batches
(``BatchSplits``: pickled and compressed, one bytes value per batch), and
the index that finds articles read more than once passes as a combiner's
packed accumulators (``Copies``), one per key and bundle, keyed by the
id's first hex digit (``bucket``). ``tests/pipelines/test_plan.py`` reads
the runner's plan to keep it so.
"""
from __future__ import annotations

import logging
import pickle
import string
import zlib
from typing import Mapping, Optional

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from tidings.inputs.record_files import Split
from tidings.schemas import Article
from tidings.transforms import counters


logger = logging.getLogger(__name__)


# The most files per batch, and the most bytes: a batch is read and parsed
# on one worker, so that the runner holds one element per batch, not per
# file, between listing and reading. A run of under 131,072 files has about
# 512 batches, enough to keep hundreds of remote workers busy.
MAX_FILES_PER_BATCH = 256
BATCHES_PER_RUN = 512


def files_per_batch(input_files: Optional[int]) -> int:
    """Files per batch for a run over ``input_files`` files: enough batches
    (about ``BATCHES_PER_RUN``) to keep many workers busy, at most
    ``MAX_FILES_PER_BATCH`` files each."""
    if not input_files:
        return 1
    return max(1, min(MAX_FILES_PER_BATCH, input_files // BATCHES_PER_RUN))


def pack(splits: list[Split]) -> bytes:
    return PackedCoder().encode([tuple(split) for split in splits])


def unpack(batch: bytes) -> list[Split]:
    return [Split(*fields) for fields in PackedCoder().decode(batch)]


class BatchSplits(beam.DoFn):
    """Splits -> batches of at most ``files`` splits and about
    ``max_bytes`` bytes, packed (pickled, compressed) into one bytes
    value each: the runner of a local run holds everything that passes
    from one worker to another, so what passes is one compact value per
    batch."""

    def __init__(self, files: int, max_bytes: int):
        self._files = files
        self._max_bytes = max_bytes

    def start_bundle(self):
        self._batch, self._bytes = [], 0

    def process(self, split: Split):
        self._batch.append(split)
        self._bytes += split_bytes(split)
        if len(self._batch) >= self._files or self._bytes >= self._max_bytes:
            yield pack(self._batch)
            self._batch, self._bytes = [], 0

    def finish_bundle(self):
        if self._batch:
            yield WindowedValue(pack(self._batch), MIN_TIMESTAMP, [GlobalWindow()])
        self._batch, self._bytes = [], 0


def split_bytes(split: Split) -> int:
    end = split.size if split.end is None else split.end
    return max(0, (end or 0) - split.start)


class Copies(beam.CombineFn):
    """Over (article id, (preference, place)) -> [(article id, place kept,
    copies)] for the articles found more than once. The accumulator maps each id
    to its preferred copy and how many copies were seen; it is pickled
    and compressed between steps (``PackedCoder``)."""

    def create_accumulator(self):
        return {}

    def add_input(self, seen, found):
        article_id, preference = found
        best = seen.get(article_id)
        seen[article_id] = (preference, 1) if best is None else \
            (min(best[0], preference), best[1] + 1)
        return seen

    def merge_accumulators(self, accumulators):
        merged = {}
        for seen in accumulators:
            for article_id, (preference, count) in seen.items():
                best = merged.get(article_id)
                merged[article_id] = (preference, count) if best is None else \
                    (min(best[0], preference), best[1] + count)
        return merged

    def extract_output(self, seen):
        return [(article_id, preference[1], count) for article_id, (preference, count)
                in seen.items() if count > 1]

    def get_accumulator_coder(self):
        return PackedCoder()


class PackedCoder(beam.coders.Coder):
    """Any picklable value, pickled and compressed."""

    def encode(self, value) -> bytes:
        return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def decode(self, encoded: bytes):
        return pickle.loads(zlib.decompress(encoded))

    def is_deterministic(self) -> bool:
        return False


def bucket(article_id: str) -> int:
    """One of 16 keys: the copies index is combined per key, so the runner
    holds a few packed values, not one per article."""
    first = article_id[:1]
    return int(first, 16) if first and first in string.hexdigits else 0


def keyed_copy(place_article: tuple[str, Article]) -> tuple[int, tuple[str, tuple]]:
    """(place, article) -> (bucket, (article id, preference)): what the
    copies index is combined over."""
    article_id = place_article[1].article_id
    return bucket(article_id), (article_id, preference(place_article))


def preference(place_article: tuple[str, Article]) -> tuple:
    """Which copy of an article to keep: the one with the most metadata,
    then the first by place."""
    place, article = place_article
    missing = sum(value is None for value in (
        article.published_date, article.source, article.title, article.url))
    return missing, place


class ChooseCopies(beam.DoFn):
    """(bucket, [(article id, place kept, copies)]) -> (article id, place
    kept) for each article found more than once; the copies not kept are
    counted (``duplicate_articles``) and logged."""

    def __init__(self):
        self._duplicates = counters.counter(counters.DUPLICATE_ARTICLES)

    def process(self, keyed):
        _, found = keyed
        for article_id, place, copies in found:
            self._duplicates.inc(copies - 1)
            logger.debug("%d copies of one text; stored once, as %s", copies, place)
            yield article_id, place


def is_kept(place_article: tuple[str, Article], kept: Mapping[str, str]) -> bool:
    place, article = place_article
    return kept.get(article.article_id, place) == place
