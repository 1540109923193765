"""The same article in every input format gives the same records."""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import json

import duckdb
import pytest
import zstandard

from tidings.pipelines import ingest


pytestmark = pytest.mark.slow

RECORDS = {
    "claims": "sentence_index, char_start, char_end, speaker, speaker_label, cue, "
              "content, is_direct, channel, speaker_inherited",
    "events": "sentence_index, char_start, char_end, event_type, trigger, actor, "
              "target, location, date_text",
    "agreements": "sentence_index, char_start, char_end, agreement_type, status, "
                  "parties, value_amount, value_currency",
}


def _formats(text: str) -> dict[str, bytes]:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.strip().split("\n"))
    csv_text = io.StringIO()
    csv.writer(csv_text).writerows([["title", "text", "subject", "date"],
                                    ["Shipping pact", text, "worldnews", ""]])
    return {
        "article.txt": text.encode(),
        "article.txt.gz": gzip.compress(text.encode()),
        "article.txt.bz2": bz2.compress(text.encode()),
        "article.txt.zst": zstandard.ZstdCompressor().compress(text.encode()),
        "articles.jsonl": (json.dumps({"title": "Shipping pact", "text": text}) + "\n").encode(),
        "articles.csv": csv_text.getvalue().encode(),
        "page.html": (f"<html><head><title>Shipping pact</title></head><body>"
                      f"<nav>Home | World | Sport</nav><article>{paragraphs}</article>"
                      f"<footer>All rights reserved.</footer></body></html>").encode(),
    }


def test_every_format_gives_the_same_records(examples_dir, tmp_path):
    text = (examples_dir / "articles" / "port-deal.txt").read_text(encoding="utf-8").strip()
    results = {}
    for name, data in _formats(text).items():
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        (folder / name).write_bytes(data)
        out = tmp_path / f"out_{name.replace('.', '_')}"
        assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0, name
        con = duckdb.connect()
        results[name] = {
            dataset: con.execute(f"SELECT {columns} FROM read_parquet('{out}/{dataset}/**/*.parquet') "
                                 f"ORDER BY ALL").fetchall()
            for dataset, columns in RECORDS.items()}
        assert con.execute(f"SELECT count(*) FROM read_parquet('{out}/errors/**/*.parquet')"
                           ).fetchone() == (0,), name
    reference = results["article.txt"]
    assert reference["claims"] and reference["events"] and reference["agreements"]
    for name, found in results.items():
        assert found == reference, name
