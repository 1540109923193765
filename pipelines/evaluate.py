"""Score a tidings output against gold labels.

    tidings evaluate --output DIR --gold FILE.jsonl
    tidings evaluate --output DIR --brat ATTRIBUTIONS_DIR

Run the pipeline on the gold files' articles first; ``--output`` is that
run's output folder. Prints precision, recall and F1 per record type and
the accuracy of the main fields; see ``tidings/evaluation/`` for how
records are matched and how PolNeAR's attributions map to claims.
"""
from __future__ import annotations

import os
import sys
from typing import Optional

from tidings.evaluation import brat, scoring
from tidings.nlp.model import DEFAULT_MODEL
from tidings.pipelines.flags import OneLineParser
from tidings.pipelines.cli import UsageError, require_file, require_output


def _parser() -> OneLineParser:
    parser = OneLineParser(
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


def _gold_files(args) -> set[str]:
    """The article files the gold labels are of.

    Raises:
        UsageError: the gold file or folder cannot be used.
    """
    if args.gold:
        require_file("--gold", args.gold)
        try:
            gold = scoring.read_gold_jsonl(args.gold)
            return {sentence["file"] for sentence in gold}
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"--gold {args.gold!r} is not gold JSON Lines "
                             f"(file, char_start, char_end, records): {exc}") from None
    if not os.path.isdir(args.brat):
        raise UsageError(f"--brat {args.brat!r} is not a folder")
    files = brat.brat_files(args.brat)
    if not files:
        raise UsageError(f"--brat {args.brat!r} holds no .ann files")
    return set(files)


def run(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        require_output(args.output)
        gold_files = _gold_files(args)
        predictions = scoring.load_predictions(args.output)
    except UsageError as exc:
        print(f"tidings: {exc}", file=sys.stderr)
        return 2
    matched = len(gold_files & set(predictions))
    if not matched:
        print(f"tidings: none of the {len(gold_files)} gold files matches an article of "
              f"{args.output!r}; run tidings on the gold articles first", file=sys.stderr)
        return 2
    if matched < len(gold_files):
        print(f"tidings: warning: {matched} of {len(gold_files)} gold files match "
              f"articles of {args.output!r}; the others count as missed", file=sys.stderr)
    if args.gold:
        report = scoring.score_jsonl(scoring.read_gold_jsonl(args.gold), predictions)
    else:
        import spacy

        nlp = spacy.load(args.spacy_model, exclude=["parser", "ner"])

        def lemmatize(text: str) -> list[str]:
            return [token.lemma_.lower() for token in nlp(text)]

        files = brat.brat_files(args.brat)
        attributions = {name: brat.read_brat(path) for name, path in files.items()}
        report = brat.score_brat(attributions, predictions, lemmatize)
    print(report.format())
    return 0


if __name__ == "__main__":
    sys.exit(run())
