"""tidings evaluate, end to end on the project's examples and their gold
labels (examples/gold.jsonl, labelled by hand to docs/records.md)."""
from __future__ import annotations

import re

import pytest

from tidings.pipelines import evaluate, ingest


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def output(tmp_path_factory, examples_dir):
    out = tmp_path_factory.mktemp("evaluate") / "out"
    assert ingest.run(["--input", str(examples_dir / "articles"),
                       "--metadata", str(examples_dir / "metadata.csv"),
                       "--output", str(out)]) == 0
    return out


def _scores(text: str) -> dict[str, float]:
    return {match[0]: float(match[1]) for match in re.findall(
        r"^(claim|event|agreement|claim sentence)\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)$",
        text, re.M)}


def test_evaluate_gold_jsonl_on_examples(output, examples_dir, capsys):
    assert evaluate.run(["--output", str(output),
                         "--gold", str(examples_dir / "gold.jsonl")]) == 0
    text = capsys.readouterr().out
    scores = _scores(text)
    # A regression guard on text the tagger was written against: a rule
    # change that breaks the examples shows here first.
    assert scores["claim"] >= 0.9
    assert scores["event"] >= 0.8
    assert scores["agreement"] >= 0.8
    assert "claim.speaker" in text and "agreement.status" in text


def test_evaluate_brat_on_examples(output, examples_dir, tmp_path, capsys):
    text = (examples_dir / "articles" / "port-deal.txt").read_text(encoding="utf-8")
    start = text.index("Araya said")
    cue = text.index("said", start)
    folder = tmp_path / "attributions"
    folder.mkdir()
    (folder / "port-deal_ab12.ann").write_text(
        f"T1\tSource {start} {start + 5}\tAraya\n"
        f"T2\tCue {cue} {cue + 4}\tsaid\n"
        f"T3\tAttribution {cue} {cue + 4}\tsaid\n"
        "E1\tAttribution:T3 Cue:T2 Source:T1\n", encoding="utf-8")
    assert evaluate.run(["--output", str(output), "--brat", str(folder)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^claim sentence\s+1\s+\d+\s+1\s", out, re.M)
    assert re.search(r"speaker matches Source\s+1\s+1\s+1\.000", out)
