"""Score a tidings output against gold labels.

    tidings evaluate --output DIR --gold FILE.jsonl
    tidings evaluate --output DIR --brat ATTRIBUTIONS_DIR

Run the pipeline on the gold files' articles first; ``--output`` is that
run's output folder. Prints precision, recall and F1 per record type and
the accuracy of the main fields; see ``transforms/scoring.py`` for how
records are matched and how PolNeAR's attributions map to claims.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional

from transforms import scoring
from transforms.nlp import DEFAULT_MODEL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tidings evaluate",
        description="Score a tidings output folder against gold labels: "
                    "precision, recall and F1 per record type, and field "
                    "accuracy (speaker, event type, agreement status).")
    parser.add_argument("--output", required=True, metavar="DIR",
                        help="Output folder of a tidings run over the gold articles.")
    gold = parser.add_mutually_exclusive_group(required=True)
    gold.add_argument("--gold", metavar="FILE",
                      help="Gold sentences, JSON Lines (file, char_start, char_end, "
                           "sentence, records).")
    gold.add_argument("--brat", metavar="DIR",
                      help="A folder of PolNeAR BRAT attribution files (*.ann); "
                           "scores claims per sentence and speakers against Source.")
    parser.add_argument("--spacy-model", default=DEFAULT_MODEL, metavar="NAME",
                        help=f"Pipeline used to lemmatize PolNeAR cues (default {DEFAULT_MODEL}).")
    return parser


def run(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    predictions = scoring.load_predictions(args.output)
    if args.gold:
        report = scoring.score_jsonl(scoring.read_gold_jsonl(args.gold), predictions)
    else:
        import spacy

        nlp = spacy.load(args.spacy_model, exclude=["parser", "ner"])

        def lemmatize(text: str) -> list[str]:
            return [token.lemma_.lower() for token in nlp(text)]

        files = scoring.brat_files(args.brat)
        attributions = {name: scoring.read_brat(path) for name, path in files.items()}
        report = scoring.score_brat(attributions, predictions, lemmatize)
    print(report.format())
    return 0


if __name__ == "__main__":
    sys.exit(run())
