"""``tidings export`` round-trips rows through CSV and JSON Lines and never
writes over a file; the ``*_in_context`` views give each record the
paragraph that holds its sentence."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

import tidings
from tidings.pipelines import export, ingest


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def output(tmp_path_factory, examples_dir):
    out = tmp_path_factory.mktemp("export") / "out"
    assert ingest.run(["--input", str(examples_dir / "articles"), "--metadata",
                       str(examples_dir / "metadata.csv"), "--output", str(out)]) == 0
    return out


def _stored(output, dataset, columns):
    con = tidings.connect(str(output))
    return con.execute(f"SELECT {', '.join(columns)} FROM {dataset} "
                       f"ORDER BY record_id").fetchall()


def test_csv_export_round_trips_the_rows(output, tmp_path, capsys):
    to = tmp_path / "claims.csv"
    assert export.run(["--output", str(output), "--dataset", "claims", "--format", "csv",
                       "--to", str(to)]) == 0
    assert capsys.readouterr().out == f"tidings: wrote 16 rows of claims to {to} (csv)\n"
    columns = ["record_id", "char_start", "char_end", "sentence", "speaker", "confidence"]
    back = pd.read_csv(to, keep_default_na=False)
    assert sorted(back.columns) == sorted(tidings.read(str(output), "claims").columns)
    rows = sorted(back[columns].itertuples(index=False, name=None))
    stored = _stored(output, "claims", columns)
    assert [r[:5] for r in rows] == [tuple(s[:5]) for s in stored]
    assert [round(r[5], 4) for r in rows] == [round(s[5], 4) for s in stored]


def test_jsonl_export_with_a_condition_keeps_lists_and_only_matching_rows(output, tmp_path):
    to = tmp_path / "signed.jsonl"
    assert export.run(["--output", str(output), "--dataset", "agreements", "--format", "jsonl",
                       "--to", str(to), "--where", "status = 'signed'"]) == 0
    rows = [json.loads(line) for line in to.read_text(encoding="utf-8").splitlines()]
    expected = tidings.connect(str(output)).execute(
        "SELECT record_id, parties, value_amount FROM agreements WHERE status = 'signed' "
        "ORDER BY record_id").fetchall()
    assert sorted((r["record_id"], r["parties"], r["value_amount"]) for r in rows) == \
        [(a, list(b), c) for a, b, c in expected]
    assert len(rows) == 2 and all(r["status"] == "signed" for r in rows)


def test_export_never_writes_over_a_file_and_refuses_bad_conditions(output, tmp_path, capsys):
    mine = tmp_path / "mine.csv"
    mine.write_text("precious\n", encoding="utf-8")
    args = ["--output", str(output), "--dataset", "claims", "--format", "csv"]
    assert export.run([*args, "--to", str(mine)]) == 2
    assert mine.read_text(encoding="utf-8") == "precious\n"
    assert "exists; tidings does not overwrite" in capsys.readouterr().err
    assert export.run([*args, "--to", str(tmp_path / "x.csv"), "--where", "nope = 1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tidings: cannot export claims where 'nope = 1': ") and \
        err.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["mine.csv"]          # no partial file left


@pytest.mark.parametrize("dataset", ["claims", "events", "agreements"])
def test_in_context_views_give_the_paragraph_that_holds_each_sentence(output, dataset):
    con = tidings.connect(str(output))
    rows = con.execute(
        f"SELECT c.sentence, c.paragraph, c.paragraph_start, c.char_start, a.text, c.title, "
        f"c.url, c.source, c.published_date FROM {dataset}_in_context c "
        f"JOIN articles a USING (article_id)").fetchall()
    assert len(rows) == con.execute(f"SELECT count(*) FROM {dataset}").fetchone()[0]
    for sentence, paragraph, start, char_start, text, title, url, source, day in rows:
        assert text[start:start + len(paragraph)] == paragraph
        assert paragraph[char_start - start:].startswith(sentence)
        # the examples put a paragraph a line: whole lines, no more
        assert "\n" not in paragraph
        assert start == 0 or text[start - 1] == "\n"
        end = start + len(paragraph)
        assert end == len(text) or text[end] == "\n"
        assert title and url.startswith("https://") and source and day


def test_in_context_paragraphs_stop_at_blank_lines_in_articles_that_have_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Talks resume\n\nThe two ministers met in Vienna on Monday.\nThey said the "
        "talks were useful.\n\nA second paragraph says the ministers will meet again.\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert ingest.run(["--input", str(folder), "--output", str(out)]) == 0
    con = tidings.connect(str(out))
    paragraphs = {sentence: paragraph for sentence, paragraph in con.execute(
        "SELECT sentence, paragraph FROM events_in_context").fetchall()}
    met = next(p for s, p in paragraphs.items() if "met in Vienna" in s)
    assert met == "The two ministers met in Vienna on Monday.\nThey said the talks were useful."
