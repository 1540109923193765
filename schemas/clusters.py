"""The same event across articles: ``event_cluster_id`` on the ``events``
view, and the ``event_clusters`` view.

Events of one type (for OTHER, of one verb: "bought", "raised") whose
actors share a ``person_key`` (the ``entity_key``, a surname alone joined
to the full name that dominates it, ``people``) (and whose targets do, or which both have
none; a target that names no entity by its last word: "interest
payments", so Moody's rating "the debt" and "the convertibles" on one day
are two events), on days at most one day apart, are one
cluster; a gap of more than a day starts a new one. The day is the event's
resolved ``date`` when it is a day, or its article's publication date when
the event names no time at all; an event dated only by a week, a month or
a year ("in 1986") is in no cluster, since two of those need not be one.
An event with no actor entity, or no day at all, is in no cluster, nor is
a negated or hypothetical one.

Clusters are computed by DuckDB whenever the views are read, over every
event the output holds, so they cannot go stale: they are right after a
``--full-refresh``, and an incremental run that adds another report of an
old event joins it to that event's cluster. A cluster's id is a hash of its
type, actor and target keys and its first day, so it stays the same while
no earlier report joins it.
"""
from __future__ import annotations


EVENTS_WITH_CLUSTERS = r"""
CREATE OR REPLACE VIEW events AS
WITH keyed AS (
    SELECT e.*, CASE WHEN {happened} THEN a.person_key END AS _actor,
           CASE WHEN e.event_type = 'OTHER' THEN 'OTHER:' || e.trigger_lemma
                ELSE e.event_type END AS _kind,
           coalesce(t.person_key,
                    'word:' || lower(regexp_extract(e.target, '(\w+)\W*$', 1)), '') AS _target,
           CASE WHEN e.date IS NOT NULL AND coalesce(e.date_precision, 'day') = 'day'
                THEN e.date
                WHEN e.date IS NULL AND e.date_text IS NULL
                THEN try_cast(e.published_date AS DATE) END AS _day
    FROM ({events}) e
    LEFT JOIN entities a ON a.entity_id = e.actor_entity_id
    LEFT JOIN entities t ON t.entity_id = e.target_entity_id
), ordered AS (
    SELECT *, lag(_day) OVER (PARTITION BY _kind, _actor, _target
                              ORDER BY _day, record_id) AS _previous
    FROM keyed
), runs AS (
    SELECT *, sum(CASE WHEN _previous IS NULL OR _day - _previous > 1 THEN 1 ELSE 0 END)
                  OVER (PARTITION BY _kind, _actor, _target ORDER BY _day, record_id
                        ROWS UNBOUNDED PRECEDING) AS _run
    FROM ordered
), firsts AS (
    SELECT *, min(_day) OVER (PARTITION BY _kind, _actor, _target, _run) AS _first
    FROM runs
)
SELECT * EXCLUDE (_kind, _actor, _target, _day, _previous, _run, _first),
       CASE WHEN _actor IS NOT NULL AND _day IS NOT NULL
            THEN substr(sha256(concat_ws('|', 'cluster', _kind, _actor, _target,
                                         CAST(_first AS VARCHAR))), 1, 24) END
           AS event_cluster_id
FROM firsts
"""

EVENT_CLUSTERS = r"""
CREATE OR REPLACE VIEW event_clusters AS
SELECT event_cluster_id,
       any_value(event_type) AS event_type,
       min(coalesce(date, try_cast(published_date AS DATE))) AS first_date,
       max(coalesce(date, try_cast(published_date AS DATE))) AS last_date,
       list(DISTINCT actor ORDER BY actor) AS actors,
       list(DISTINCT target ORDER BY target) FILTER (WHERE target IS NOT NULL) AS targets,
       count(*) AS reports,
       count(DISTINCT article_id) AS articles,
       min(published_date) FILTER (WHERE published_date <> 'unknown') AS first_report,
       max(published_date) FILTER (WHERE published_date <> 'unknown') AS last_report
FROM events
WHERE event_cluster_id IS NOT NULL
GROUP BY event_cluster_id
"""


def create_cluster_views(con, events_sql: str) -> list[str]:
    """Replace the ``events`` view with one that has ``event_cluster_id``
    (``events_sql`` reads the stored events), and add ``event_clusters``.
    An output written before entities existed gets a NULL id."""
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {events_sql}").fetchall()}
    if "actor_entity_id" in columns:
        happened = ("coalesce(e.modality, 'asserted') IN ('asserted', 'planned')"
                    if "modality" in columns else "true")
        con.execute(EVENTS_WITH_CLUSTERS.format(events=f"SELECT * FROM {events_sql}",
                                                happened=happened))
    else:
        con.execute(f"CREATE OR REPLACE VIEW events AS SELECT *, NULL::VARCHAR AS "
                    f"event_cluster_id FROM {events_sql}")
    con.execute(EVENT_CLUSTERS)
    return ["event_clusters"]
