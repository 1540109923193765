"""JSON Lines and CSV files: streamed a line at a time, cut into parts at
record boundaries, and read the same however they are cut."""
from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import tracemalloc

import apache_beam as beam
import pytest
import zstandard
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tidings.inputs import record_files
from tidings.inputs import record_files as records
from tidings.schemas import Error
from tidings.transforms import reading


FIELDS = record_files.parse_record_fields(None)


def _csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()


def _all_records(data: bytes, kind: str, every: int, limit: int = 1 << 20) -> list:
    """Every record and error of a file read in parts of about ``every`` bytes."""
    starts = records.record_starts(io.BytesIO(data), kind, every)
    header = (records.read_header(io.BytesIO(data), kind, limit)
              if kind in records.DELIMITED else None)
    ends = [start for start, _ in starts[1:]] + [None]
    found = []
    for (start, number), end in zip(starts, ends):
        split = records.Split("f" + kind, kind, None, start, end, number,
                              tuple(header) if header and start else None)
        stream = records.split_stream(io.BytesIO(data), split)
        found.extend(records.records_in(split, stream, FIELDS, limit))
    return found


def _jsonl() -> bytes:
    lines = []
    for n in range(1, 301):
        if n % 37 == 0:
            lines.append("{broken")
        elif n % 41 == 0:
            lines.append("")
        else:
            lines.append(json.dumps({"text": f"Article {n} said the minister.\nSecond line.",
                                     "title": f"T{n}", "date": "2017-12-31"}))
    return ("\n".join(lines) + "\n").encode()


def _quoted_csv() -> bytes:
    rows = [["title", "text", "date"]]
    for n in range(1, 201):
        # quoted newlines, doubled quotes and commas inside fields
        rows.append([f"T{n}", f'Line one of {n}, "quoted".\nLine two.\n\nLine four.',
                     "December 31, 2017 "])
    return _csv(rows)


@pytest.mark.parametrize("every", [1, 7, 100, 999, 4096, 1 << 30])
def test_jsonl_parts_give_the_same_records_as_the_whole_file(every):
    data = _jsonl()
    whole = _all_records(data, ".jsonl", 1 << 30)
    assert len(whole) == 300 - 7                         # 7 blank lines
    assert sum(isinstance(r, Error) for r in whole) == 8  # 37, 74, ... 296
    assert _all_records(data, ".jsonl", every) == whole
    places = [r.place for r in whole if not isinstance(r, Error)]
    assert places[:2] == ["f.jsonl#line=1", "f.jsonl#line=2"]
    assert "f.jsonl#line=37" in {r.input_path for r in whole if isinstance(r, Error)}


@pytest.mark.parametrize("every", [1, 50, 333, 4096, 1 << 30])
def test_csv_parts_respect_quoted_newlines_and_keep_row_numbers(every):
    data = _quoted_csv()
    whole = _all_records(data, ".csv", 1 << 30)
    assert [r.place for r in whole] == [f"f.csv#row={n}" for n in range(1, 201)]
    assert whole[4].text == 'Line one of 5, "quoted".\nLine two.\n\nLine four.'
    parts = records.record_starts(io.BytesIO(data), ".csv", every)
    if every < len(data) // 2:
        assert len(parts) > 2
    assert _all_records(data, ".csv", every) == whole


def test_record_starts_land_on_record_boundaries():
    data = _quoted_csv()
    for offset, number in records.record_starts(io.BytesIO(data), ".csv", 500)[1:]:
        assert data[offset - 1:offset] == b"\n"
        assert data[offset:].startswith(f"T{number},".encode())


def test_a_record_over_the_limit_is_reported_and_the_next_one_read():
    lines = [json.dumps({"text": "short one"}), json.dumps({"text": "x" * 5000}),
             json.dumps({"text": "after it"})]
    data = "\n".join(lines).encode()
    found = _all_records(data, ".jsonl", 1 << 30, limit=1000)
    assert [getattr(r, "text", None) for r in found] == ["short one", None, "after it"]
    assert (found[1].input_path, found[1].reason) == ("f.jsonl#line=2", "record too large")


def test_lines_decode_bom_and_cp1252_line_by_line():
    data = ("\ufeff" + json.dumps({"text": "Café"}, ensure_ascii=False) + "\n").encode() + \
        json.dumps({"text": "déclaré"}, ensure_ascii=False).encode("cp1252")
    found = _all_records(data, ".jsonl", 1 << 30)
    assert [r.text for r in found] == ["Café", "déclaré"]


def test_zstd_reader_reads_every_frame_and_rejects_a_truncated_one():
    frames = zstandard.ZstdCompressor().compress(b"one\n") + \
        zstandard.ZstdCompressor().compress(b"two\n")
    assert records.open_decompressed(io.BytesIO(frames), ".zst").read() == b"one\ntwo\n"
    cut = zstandard.ZstdCompressor().compress(b"three\n" * 1000)[:20]
    with pytest.raises(EOFError):
        records.open_decompressed(io.BytesIO(cut), ".zst").read()


def test_reading_memory_does_not_grow_with_the_file():
    def peak(count: int) -> int:
        line = (json.dumps({"text": "The minister said the talks went well. " * 50}) + "\n").encode()
        split = records.Split("f.jsonl", ".jsonl", ".gz", 0, None, 1)
        data = gzip.compress(line * count)
        tracemalloc.start()
        try:
            stream = records.split_stream(io.BytesIO(data), split)
            found = sum(1 for _ in records.records_in(split, stream, FIELDS, 1 << 20))
            return found, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small_count, small = peak(1_000)
    large_count, large = peak(10_000)       # about 20 MB of text
    assert (small_count, large_count) == (1_000, 10_000)
    assert large < small * 1.5 + 256 * 1024


def _pipeline():
    return TestPipeline(options=PipelineOptions(["--runner=FnApiRunner"]))




@pytest.mark.parametrize("split_bytes", [64, 1 << 30])
def test_isot_layout_csv_read_with_dates_whole_or_in_parts(tmp_path, split_bytes):
    long_text = "WASHINGTON (Reuters) - The senator said the bill would pass. " * 4000
    (tmp_path / "isot.csv").write_bytes(_csv([
        ["title", "text", "subject", "date"],
        ["Senate vote", long_text, "politicsNews", "December 31, 2017 "],
        ["Second", "Officials met on Monday.\nThey agreed.", "worldnews", "Dec 30, 2017"],
        ["Third", "The court ruled on Friday.", "worldnews", "Dec 29, 2017"],
    ]))
    with _pipeline() as p:
        read = p | reading.ReadArticles([str(tmp_path)], None,
                                        1 << 20, split_bytes=split_bytes)
        assert_that(read["articles"] | beam.Map(lambda a: (
            a.source_path.rsplit("/", 1)[-1], a.published_date, a.title,
            a.dateline_location, len(a.text) > 128 * 1024)), equal_to([
                ("isot.csv#row=1", datetime.date(2017, 12, 31), "Senate vote", "WASHINGTON", True),
                ("isot.csv#row=2", datetime.date(2017, 12, 30), "Second", None, False),
                ("isot.csv#row=3", datetime.date(2017, 12, 29), "Third", None, False),
            ]), label="articles")
        assert_that(read["errors"], equal_to([]), label="errors")


def test_day_first_reaches_record_dates(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"text": "The ministers met on Monday.", "date": "01/02/2017"}\n', encoding="utf-8")
    with _pipeline() as p:
        read = p | reading.ReadArticles([str(tmp_path)], None,
                                        1 << 20, day_first=True)
        assert_that(read["articles"] | beam.Map(lambda a: a.published_date),
                    equal_to([datetime.date(2017, 2, 1)]))


def test_truncated_compressed_records_keep_what_came_before(tmp_path):
    lines = "".join(json.dumps({"text": f"Record number {n} was read."}) + "\n"
                    for n in range(2000)).encode()
    data = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[:len(data) // 2])
    with _pipeline() as p:
        read = p | reading.ReadArticles([str(tmp_path)], None, 1 << 20)
        assert_that(read["articles"] | beam.combiners.Count.Globally()
                    | beam.Map(lambda n: 0 < n < 2000), equal_to([True]), label="some kept")
        assert_that(read["errors"] | beam.Map(lambda e: (e.input_path.rsplit("/", 1)[-1],
                                                         e.reason)),
                    equal_to([("cut.jsonl.gz", "unreadable file")]), label="errors")


def test_duplicates_within_a_file_and_across_overlapping_inputs_are_kept_once(tmp_path):
    same = json.dumps({"text": "The same article twice.", "id": "r1"})
    (tmp_path / "a.jsonl").write_text(f"{same}\n{same}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("A plain article.", encoding="utf-8")
    patterns = [str(tmp_path), str(tmp_path / "b.txt")]
    with _pipeline() as p:
        read = p | reading.ReadArticles(patterns, None, 1 << 20)
        assert_that(read["articles"] | beam.Map(lambda a: a.source_path.rsplit("/", 1)[-1]),
                    equal_to(["a.jsonl#id=r1", "b.txt"]))
