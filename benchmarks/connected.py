"""How connected a tidings output's records are (issue 19's measures):

    python benchmarks/connected.py --output /tmp/dev
    python benchmarks/connected.py --output /tmp/reuters --clusters

prints the top speakers by claims with their ``person_key`` and how many
``entity_key`` forms each joins, the claims whose speaker is still a
pronoun, the claims an event is linked to (``reported_by_claim_id``), and
with ``--clusters`` every event cluster reported by more than one article,
with its reports' titles and sentences, to be judged by reading.
"""
from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", required=True, help="a tidings output folder")
    parser.add_argument("--top", type=int, default=20, help="how many top speakers")
    parser.add_argument("--clusters", action="store_true",
                        help="list the clusters reported by more than one article")
    args = parser.parse_args(argv)
    if not os.path.isdir(os.path.join(args.output, "claims")):
        print(f"connected: {args.output}: not a tidings output", file=sys.stderr)
        return 2
    import tidings
    from tidings.rules.speakers import PRONOUNS

    con = tidings.connect(args.output)
    top = con.execute(f"""
        WITH t AS (SELECT e.person_key, count(*) AS claims FROM claims c
                   JOIN entities e ON e.entity_id = c.speaker_entity_id
                   GROUP BY 1 ORDER BY claims DESC, 1 LIMIT {int(args.top)})
        SELECT t.person_key, t.claims, count(DISTINCT e.entity_key) FROM t
        JOIN entities e USING (person_key) GROUP BY 1, 2 ORDER BY 2 DESC, 1""").fetchall()
    print(f"top {len(top)} speakers by claims: {len(top)} person keys")
    for key, claims, forms in top:
        print(f"  {key:<30} {claims:>5} claims  {forms} entity_key form(s)")
    claims = con.execute("SELECT count(*) FROM claims").fetchall()[0][0]
    pronoun = con.execute(
        "SELECT count(*) FROM claims WHERE lower(speaker) IN ("
        + ", ".join(f"'{p}'" for p in sorted(PRONOUNS)) + ")").fetchall()[0][0]
    print(f"claims: {claims}; with a pronoun speaker ({', '.join(sorted(PRONOUNS))}): "
          f"{pronoun}")
    for label, where in (("any", "true"),
                         ("asserted or planned", "modality IN ('asserted', 'planned')")):
        linked = con.execute(
            "SELECT count(DISTINCT reported_by_claim_id) FROM events "
            f"WHERE reported_by_claim_id IS NOT NULL AND {where}").fetchall()[0][0]
        share = linked / claims if claims else 0.0
        print(f"claims with a linked event ({label}): {linked} ({share:.1%})")
    if args.clusters:
        rows = con.execute(
            "SELECT event_cluster_id, event_type, actors, first_date FROM event_clusters "
            "WHERE articles > 1 ORDER BY first_date, event_cluster_id").fetchall()
        print(f"clusters reported by more than one article: {len(rows)}")
        for cluster, event_type, actors, first in rows:
            print(f"- {first} {event_type} {actors}")
            for title, sentence in con.execute(
                    "SELECT a.title, e.sentence FROM events e JOIN articles a "
                    "USING (article_id) WHERE e.event_cluster_id = ? ORDER BY a.title",
                    [cluster]).fetchall():
                print(f"    [{title}] {' '.join(sentence.split())[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
