"""Reading article files: decoding, keys, metadata, bad input, and the
ReadArticles transform."""
from __future__ import annotations

import bz2
import datetime
import gzip
import random

import apache_beam as beam
import ftfy
import pytest
import zstandard
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tidings import inputs
from tidings.inputs import articles, dates, formats, listing, metadata
from tidings.schemas import Article, Error
from tidings.transforms import reading


TEXT = "LIMA (Tidings Wire) - Miners walked out on Friday.\nThe union said so.\n"


def _pipeline():
    return TestPipeline(options=PipelineOptions(["--runner=FnApiRunner"]))


@pytest.mark.parametrize("data, text, encoding", [
    ("Café “quoted”".encode("utf-8"), "Café “quoted”", "utf-8-sig"),
    ("\ufeffWith BOM".encode("utf-8"), "With BOM", "utf-8-sig"),
    ("Café “quoted”".encode("cp1252"), "Café “quoted”", "cp1252"),
    (b"Caf\xe9 \x81", "Café \x81", "latin-1"),
    (b"one\r\ntwo\rthree", "one\ntwo\nthree", "utf-8-sig"),
])
def test_decode_text(data, text, encoding):
    assert formats.decode_text(data) == (text, encoding)


@pytest.mark.parametrize("path, key", [
    ("/data/dev/text/abc.txt", "abc"),
    ("abc.txt.gz", "abc"),
    ("abc", "abc"),
    ("x/2017-11-01.story.txt", "2017-11-01.story"),
])
def test_file_key(path, key):
    assert metadata.file_key(path) == key


def test_parse_column_mapping_fills_defaults():
    mapping = metadata.parse_column_mapping("file=filename,published_date=publication_date")
    assert mapping == {"file": "filename", "published_date": "publication_date",
                       "source": "source", "title": "title", "url": "url"}


@pytest.mark.parametrize("spec, message", [
    ("file", "not FIELD=COLUMN"),
    ("author=byline", "'author' is not one of"),
])
def test_parse_column_mapping_rejects_bad_entries(spec, message):
    with pytest.raises(inputs.InputError, match=message):
        metadata.parse_column_mapping(spec)


def test_read_metadata_tsv_with_mapping(tmp_path):
    path = tmp_path / "meta.tsv"
    path.write_text("filename\tpublisher\tpublication_date\ttitle\n"
                    "a\tnytimes\t2016-09-12\tA title\n"
                    "b\tpolitico\t\tNone\n", encoding="utf-8")
    columns = metadata.parse_column_mapping(
        "file=filename,published_date=publication_date,source=publisher")
    rows = metadata.read_metadata(str(path), columns)
    assert rows == [
        {"file": "a", "published_date": "2016-09-12", "source": "nytimes",
         "title": "A title", "url": None},
        {"file": "b", "published_date": None, "source": "politico",
         "title": None, "url": None},
    ]


def test_read_metadata_without_key_column_names_the_flag(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("name,date\na,2016-01-01\n", encoding="utf-8")
    with pytest.raises(inputs.InputError, match="--metadata-columns file=COLUMN"):
        metadata.read_metadata(str(path), metadata.parse_column_mapping(None))


def test_parse_file_article_has_content_identity():
    article = formats.parse_file("a.txt", TEXT.encode(), 1000)
    assert isinstance(article, Article)
    assert article.text == TEXT
    assert article.content_hash == articles.content_hash(TEXT)
    assert article.article_id == article.content_hash[:20]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\t\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"x" * 1001, "file too large"),
])
def test_parse_file_bad_input_is_an_error(data, reason):
    error = formats.parse_file("bad.txt", data, 1000)
    assert isinstance(error, Error)
    assert (error.input_path, error.stage, error.reason) == ("bad.txt", "read", reason)


def test_apply_metadata_bad_date_keeps_article_and_reports():
    article = formats.parse_file("a.txt", TEXT.encode(), 1000)
    row = {"file": "a", "published_date": "last Tuesday", "source": "Wire",
           "title": None, "url": None}
    updated, errors = metadata.apply_metadata(article, row)
    assert updated.published_date is None and updated.source == "Wire"
    assert updated.title == "LIMA (Tidings Wire) - Miners walked out on Friday."
    assert [(e.stage, e.reason) for e in errors] == [("metadata", "unparseable date")]


def test_count_inputs_missing_path_names_it(tmp_path):
    with pytest.raises(ValueError, match="nothing-here"):
        listing.count_inputs([str(tmp_path / "nothing-here")])


def test_read_articles_joins_metadata_and_reports_bad_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    with gzip.open(folder / "zipped.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("A second article, compressed.\n")
    (folder / "bz.txt.bz2").write_bytes(bz2.compress(b"A third article.\n"))
    (folder / "copy.txt").write_text(TEXT, encoding="utf-8")       # duplicate text
    (folder / "empty.txt").write_bytes(b"")
    (folder / "truncated.txt.gz").write_bytes(gzip.compress(b"cut off here")[:12])
    (folder / "good.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(
        b"A fourth article, in zstd."))
    (folder / "truncated.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(
        b"A fifth article, cut short." * 20)[:20])
    (folder / "page.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".hidden.txt").write_text("skipped", encoding="utf-8")
    rows = [
        {"file": "good", "published_date": "2025-09-20", "source": "Tidings Wire",
         "title": "Miners strike", "url": "https://example.org/a"},
        {"file": "missing", "published_date": "2025-09-21", "source": None,
         "title": None, "url": None},
    ]
    with _pipeline() as p:
        read = p | reading.ReadArticles([str(folder)], rows, 10_000)
        articles = read["articles"] | beam.Map(
            lambda a: (a.source_path.rsplit("/", 1)[-1], a.published_date, a.title))
        errors = read["errors"] | beam.Map(
            lambda e: (e.input_path.rsplit("/", 1)[-1], e.stage, e.reason))
        assert_that(articles, equal_to([
            ("bz.txt.bz2", None, None),
            ("good.txt", datetime.date(2025, 9, 20), "Miners strike"),
            ("good.txt.zst", datetime.date(2025, 9, 20), "Miners strike"),
            ("zipped.txt.gz", None, None),
        ]), label="articles")
        assert_that(errors, equal_to([
            ("empty.txt", "read", "empty file"),
            ("truncated.txt.gz", "read", "unreadable file"),
            ("truncated.txt.zst", "read", "unreadable file"),
            ("page.pdf", "read", "unsupported format"),
            ("missing", "metadata", "metadata row matches no input file"),
        ]), label="errors")


def test_parse_file_dateline_gives_location_and_source():
    article = formats.parse_file("a.txt", TEXT.encode(), 1000)
    assert (article.dateline_location, article.dateline_source, article.source) == (
        "LIMA", "Tidings Wire", None)
    assert articles.with_dateline_source(article).source == "Tidings Wire"
    row = {"file": "a", "published_date": None, "source": "Metadata Wire",
           "title": None, "url": None}
    updated, _ = metadata.apply_metadata(article, row)
    assert updated.source == "Metadata Wire"      # the record's own metadata wins


@pytest.mark.parametrize("value, expected", [
    ("2017-12-31", datetime.date(2017, 12, 31)),
    ("2017-12-31T23:59:00Z", datetime.date(2017, 12, 31)),
    ("December 31, 2017 ", datetime.date(2017, 12, 31)),
    ("Sun, 31 Dec 2017 10:00:00 GMT", datetime.date(2017, 12, 31)),
    ("12/31/2017", datetime.date(2017, 12, 31)),
    ("", None),
])
def test_parse_date_common_forms(value, expected):
    assert dates.parse_date(value) == expected


@pytest.mark.parametrize("value", ["someday", "December 31"])
def test_parse_date_rejects_what_it_cannot_place(value):
    with pytest.raises(ValueError):
        dates.parse_date(value)


def test_repair_text_fixes_mojibake_control_characters_and_normalises():
    broken = "The minister\u00e2\u20ac\u2122s caf\u0065\u0301 \u201cdeal\u201d\x07 stands."
    fixed, repairs = articles.repair_text(broken)
    assert fixed == "The minister’s café “deal” stands."
    assert "remove_control_chars" in repairs and "NFC" in repairs


def test_repair_text_leaves_clean_text_alone():
    assert articles.repair_text("“Clean,” she said.\n") == ("“Clean,” she said.\n", None)


def test_repair_text_fast_path_only_skips_text_ftfy_would_leave_alone():
    # The characters the fast path accepts, in random and adversarial mixes.
    plain = "\t\n" + "".join(map(chr, range(0x20, 0x7f))).replace("&", "")
    special = "\xa0" + "".join(map(chr, range(0x2010, 0x2028)))
    rng = random.Random(7)
    samples = ["".join(rng.choice(special if rng.random() < 0.5 else plain)
                       for _ in range(rng.randint(1, 60)))
               for _ in range(20000)]
    samples += ["\u2018\u2019\u201c\u201d\u2026", "\xa0\u20ac", "a\u2028b", "\u2022\xa0x"]
    for text in samples:
        if articles._NOTHING_TO_REPAIR.fullmatch(text):
            assert ftfy.fix_text(text, config=articles._FIXER) == text, repr(text)
    assert not articles._NOTHING_TO_REPAIR.fullmatch("The Ã©lite")     # mojibake: repaired
    assert articles.repair_text("The Ã©lite")[0] == "The élite"


HTML = """<html><head><title>Norway and Chile sign shipping pact</title>
<meta name="date" content="2025-03-12"><meta property="og:site_name" content="Tidings Wire">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Norway and Chile sign shipping pact</h1>
<p>OSLO (Tidings Wire) - Norway and Chile signed a shipping agreement on Tuesday, the Norwegian trade ministry said.</p>
<p>"This route opens a door that has been closed for decades," Solberg told reporters after the signing.</p>
</article><footer>Copyright 2025. All rights reserved. Subscribe to our newsletter.</footer></body></html>"""


def test_parse_html_extracts_body_and_page_metadata():
    article = formats.parse_file("page.html", HTML.encode(), 1_000_000)
    assert "Norway and Chile signed a shipping agreement" in article.text
    assert "Solberg told reporters" in article.text
    assert "Copyright" not in article.text and "Home" not in article.text
    assert (article.title, article.published_date, article.source) == (
        "Norway and Chile sign shipping pact", datetime.date(2025, 3, 12), "Tidings Wire")
    assert article.dateline_location == "OSLO"


def test_parse_html_without_a_body_is_an_error():
    error = formats.parse_file("empty.html", b"<html><body><nav>Home</nav></body></html>", 10_000)
    assert (error.stage, error.reason) == ("read", "no article text in HTML")


def test_apply_metadata_own_fields_outrank_the_sidecar_row():
    article = formats.parse_file("page.html", HTML.encode(), 1_000_000)
    row = {"file": "page", "published_date": "2024-01-01", "source": "Sidecar",
           "title": "Sidecar title", "url": "https://example.org/page"}
    updated, errors = metadata.apply_metadata(article, row)
    assert (updated.title, updated.published_date, updated.source, updated.url) == (
        "Norway and Chile sign shipping pact", datetime.date(2025, 3, 12), "Tidings Wire",
        "https://example.org/page")
    assert errors == []


@pytest.mark.parametrize("value, day_first, expected", [
    ("01/02/2017", False, datetime.date(2017, 1, 2)),
    ("01/02/2017", True, datetime.date(2017, 2, 1)),
    ("31/12/2017", True, datetime.date(2017, 12, 31)),
    ("2017-01-02", True, datetime.date(2017, 1, 2)),          # ISO is never ambiguous
])
def test_parse_date_day_first_option(value, day_first, expected):
    assert dates.parse_date(value, day_first) == expected


def test_count_inputs_counts_files_of_folders_files_and_globs(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/one.txt", "a/two.txt", "a/.hidden.txt", "three.txt"):
        (tmp_path / name).write_text("text", encoding="utf-8")
    assert listing.count_inputs([str(tmp_path / "a"), str(tmp_path / "three.txt")]) == 3
    assert listing.count_inputs([str(tmp_path / "a" / "*.txt")]) == 2
