"""``person_key``: a surname alone joins the full name that dominates it
across the output, and only that one."""
from __future__ import annotations

import duckdb

from tidings.schemas.people import create_people_view


def _keys(rows):
    con = duckdb.connect()
    con.execute("CREATE TABLE stored (entity_id VARCHAR, article_id VARCHAR, label VARCHAR, "
                "entity_key VARCHAR)")
    con.executemany("INSERT INTO stored VALUES (?, ?, ?, ?)", rows)
    create_people_view(con, "stored")
    return dict(con.execute("SELECT entity_id, person_key FROM entities").fetchall())


def test_a_surname_alone_takes_the_full_name_most_articles_use():
    rows = [(f"t{i}", f"a{i}", "PERSON", "donald trump") for i in range(4)]
    rows += [("iv", "a9", "PERSON", "ivanka trump"), ("s", "b1", "PERSON", "trump"),
             ("org", "b2", "ORG", "trump")]
    keys = _keys(rows)
    assert keys["s"] == "donald trump"               # 4 of 5 articles: Donald Trump
    assert keys["iv"] == "ivanka trump" and keys["t0"] == "donald trump"
    assert keys["org"] == "trump"                    # an organisation keeps its key


def test_a_surname_no_full_name_dominates_stays_its_own():
    rows = [("j", "a1", "PERSON", "john smith"), ("m", "a2", "PERSON", "mary smith"),
            ("s", "a3", "PERSON", "smith"), ("x", "a4", "PERSON", "mccrummen")]
    keys = _keys(rows)
    assert keys["s"] == "smith" and keys["x"] == "mccrummen"
    assert keys["j"] == "john smith" and keys["m"] == "mary smith"
