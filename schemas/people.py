"""One key for a person across articles: ``person_key`` on the
``entities`` view.

``entity_key`` folds titles, initials and possessives, so "Donald J.
Trump" and "Donald Trump" share one; an article that only ever says
"Trump" has an entity keyed "trump", which no rule inside that article can
join to anyone. ``person_key`` does, over every entity the output holds: a
one-word key of a person (or of an unlabelled name) becomes the full-name
person key ending in that word that at least three quarters of the
articles naming such a full name use ("trump" -> "donald trump" where
Donald Trump is named in 25 articles and Ivana and Ivanka Trump in one
each); where no full name is that dominant ("smith" among several
Smiths), or none ends in the word, the key stays its own. Like the
clusters, it is computed whenever the view is read, so it follows every
run. It can be wrong for a surname two people share when one dominates
the output: an article about Bill Clinton that only says "Clinton" gets
"hillary clinton" in a store of 2016 campaign news.
"""
from __future__ import annotations


ENTITIES_WITH_PEOPLE = r"""
CREATE OR REPLACE VIEW entities AS
WITH base AS (SELECT * FROM {entities}),
full_names AS (
    SELECT entity_key, regexp_extract(entity_key, '(\S+)$', 1) AS surname,
           count(DISTINCT article_id) AS articles
    FROM base
    WHERE label = 'PERSON' AND strpos(entity_key, ' ') > 0
    GROUP BY entity_key
), dominant AS (
    SELECT surname, arg_max(entity_key, articles) AS entity_key,
           max(articles) AS top, sum(articles) AS total
    FROM full_names GROUP BY surname
)
SELECT b.*,
       CASE WHEN coalesce(b.label, 'PERSON') = 'PERSON' AND strpos(b.entity_key, ' ') = 0
                 AND d.top * 4 >= d.total * 3
            THEN d.entity_key ELSE b.entity_key END AS person_key
FROM base b LEFT JOIN dominant d ON d.surname = b.entity_key
"""


def create_people_view(con, entities_sql: str) -> None:
    """Replace the ``entities`` view with one that has ``person_key``
    (``entities_sql`` reads the stored entities)."""
    con.execute(ENTITIES_WITH_PEOPLE.format(entities=entities_sql))
