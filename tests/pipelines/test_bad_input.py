"""A folder of many kinds of bad input: the run finishes, every bad input is
in the errors dataset with its reason, and every good article is kept."""
from __future__ import annotations

import bz2
import gzip
import json
import pathlib

import duckdb
import pytest
import zstandard

from pipelines import ingest

pytestmark = pytest.mark.slow

GOOD = ("The mayor said on Monday that the bridge would reopen in May.\n"
        "Workers signed a new contract with the city on Tuesday.\n")


def _bad_folder(root: pathlib.Path, examples_dir: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    folder = root / "in"
    folder.mkdir()
    for path in (examples_dir / "articles").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t \n",
        "nul.txt": b"text\x00with\x00nuls" * 10,
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20,
        "huge.txt": b"word " * 20_000,
        "long.txt": ("A long sentence about nothing in particular. " * 200).encode(),
        "page.pdf": b"%PDF-1.4 not an article",
        "truncated.txt.gz": gzip.compress(GOOD.encode())[:15],
        "notgzip.txt.gz": GOOD.encode(),
        "truncated.txt.zst": zstandard.ZstdCompressor().compress(GOOD.encode() * 5)[:20],
        "corrupt.txt.bz2": bz2.compress(GOOD.encode())[:-10] + b"garbage!!",
        "latin1.txt": ("Le ministre a déclaré que l'accord était signé, "
                       "the minister said on Friday.\n").encode("cp1252"),
        "records.jsonl": "\n".join([
            json.dumps({"text": GOOD, "title": "Bridge", "date": "March 3, 2025", "id": "r1"}),
            "{not json at all",
            json.dumps([1, 2, 3]),
            json.dumps({"title": "No text here"}),
            json.dumps({"text": "Officials said the deal was signed.", "date": "someday",
                        "id": "r5"}),
        ]).encode(),
        "rows.csv": ('text,title,date\n'
                     '"Police arrested two men on Sunday, the police chief said.",Arrests,2025-04-06\n'
                     'only one field\n').encode(),
        "nocolumn.csv": b"body,title\nSomething happened.,Title\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    metadata = root / "metadata.csv"
    metadata.write_text(
        "file,published_date,source,title,url\n"
        "port-deal.txt,2025-03-12,Tidings Wire,Deal,https://example.org/1\n"
        "border-talks.txt,the day after,Tidings Wire,Talks,https://example.org/2\n"
        "mining-strike.txt,2025-09-20,Tidings Wire,Strike,https://example.org/3\n"
        "mining-strike.txt,2025-09-21,Other Wire,Strike again,https://example.org/4\n"
        "ghost.txt,2025-01-01,Tidings Wire,Missing,https://example.org/5\n",
        encoding="utf-8")
    return folder, metadata


EXPECTED_ERRORS = [
    ("blank.txt", "read", "empty file"),
    ("border-talks.txt", "metadata", "unparseable date"),
    ("corrupt.txt.bz2", "read", "unreadable file"),
    ("empty.txt", "read", "empty file"),
    ("ghost.txt", "metadata", "metadata row matches no input file"),
    ("huge.txt", "read", "file too large"),
    ("image.txt", "read", "binary file"),
    ("long.txt", "tag", "article too long"),
    ("mining-strike.txt", "metadata", "duplicate metadata row; first one used"),
    ("nocolumn.csv#row=0", "read", "no text column"),
    ("notgzip.txt.gz", "read", "unreadable file"),
    ("nul.txt", "read", "binary file"),
    ("page.pdf", "read", "unsupported format"),
    ("records.jsonl#id=r5", "metadata", "unparseable date"),
    ("records.jsonl#line=2", "read", "malformed JSON line"),
    ("records.jsonl#line=3", "read", "malformed JSON line"),
    ("records.jsonl#line=4", "read", "record has no text"),
    ("rows.csv#row=2", "read", "malformed CSV row"),
    ("truncated.txt.gz", "read", "unreadable file"),
    ("truncated.txt.zst", "read", "unreadable file"),
]


def test_run_bad_input_folder_loses_nothing(examples_dir, tmp_path):
    folder, metadata = _bad_folder(tmp_path, examples_dir)
    out = tmp_path / "out"
    assert ingest.run(["--input", str(folder), "--metadata", str(metadata),
                       "--output", str(out), "--max-file-bytes", "50000",
                       "--max-article-chars", "5000"]) == 0
    con = duckdb.connect()
    errors = con.execute(
        f"SELECT input_path, stage, reason FROM read_parquet('{out}/errors/**/*.parquet') "
        f"ORDER BY 1, 2, 3").fetchall()
    found = sorted((pathlib.Path(path).name, stage, reason) for path, stage, reason in errors)
    assert found == sorted(EXPECTED_ERRORS)
    assert len({name for name, _, _ in found}) >= 15          # kinds of bad input
    articles = {pathlib.Path(path).name: (date, title) for path, date, title in con.execute(
        f"SELECT source_path, published_date, title FROM "
        f"read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true)").fetchall()}
    assert set(articles) == {"port-deal.txt", "border-talks.txt", "mining-strike.txt",
                             "latin1.txt", "records.jsonl#id=r1", "records.jsonl#id=r5",
                             "rows.csv#row=1"}
    assert str(articles["records.jsonl#id=r1"][0]) == "2025-03-03"
    assert articles["mining-strike.txt"][1] == "Strike"          # the first row wins
    text = con.execute(f"SELECT text FROM read_parquet('{out}/articles/**/*.parquet') "
                       f"WHERE source_path LIKE '%latin1.txt'").fetchone()[0]
    assert "déclaré" in text
    speakers = {row[0] for row in con.execute(
        f"SELECT speaker FROM read_parquet('{out}/claims/**/*.parquet')").fetchall()}
    assert {"Solberg", "Quispe", "Lena Hartmann", "the police chief"} <= speakers
