"""The same event across articles: reports of one meeting, under different
name forms and a day apart, share an ``event_cluster_id``, also when an
incremental run adds another report; a different meeting does not."""
from __future__ import annotations

import pytest

import tidings
from tidings.pipelines import ingest


pytestmark = pytest.mark.slow

ARTICLES = {
    "a.txt": ("2025-04-08", "Trade talks in Beijing\n\nDonald J. Trump met Xi Jinping in "
                            "Beijing on Monday to discuss tariffs.\n"),
    "b.txt": ("2025-04-09", "Leaders meet\n\nDonald Trump met President Xi Jinping in "
                            "Beijing on Tuesday, the second day of his visit.\n"),
    "c.txt": ("2025-04-08", "European partners\n\nEmmanuel Macron met Olaf Scholz in "
                            "Paris on Monday.\n"),
}
LATER = {"d.txt": ("2025-04-10", "Summit review\n\nMr. Donald Trump met Xi Jinping in "
                                 "Beijing on Monday, officials said.\n")}


def _write(folder, articles, metadata):
    folder.mkdir(exist_ok=True)
    for name, (day, text) in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    lines = ["file,published_date,source,title,url"] + [
        f"{name},{day},Wire,{name},https://example.org/{name}"
        for name, (day, _) in {**articles}.items()]
    existing = metadata.read_text(encoding="utf-8").splitlines()[1:] if metadata.exists() else []
    metadata.write_text("\n".join([lines[0], *existing, *lines[1:]]) + "\n", encoding="utf-8")


def _meetings(out):
    con = tidings.connect(str(out))
    return {article: cluster for article, cluster in con.execute(
        "SELECT a.source_path, e.event_cluster_id FROM events e JOIN articles a "
        "USING (article_id) WHERE e.trigger = 'met'").fetchall()}


def test_reports_of_one_meeting_share_a_cluster_across_articles_and_runs(tmp_path):
    folder, metadata, out = tmp_path / "in", tmp_path / "metadata.csv", tmp_path / "out"
    _write(folder, ARTICLES, metadata)
    args = ["--input", str(folder), "--metadata", str(metadata), "--output", str(out)]
    assert ingest.run(args) == 0
    clusters = {path.rsplit("/", 1)[-1]: cluster for path, cluster in _meetings(out).items()}
    assert set(clusters) == {"a.txt", "b.txt", "c.txt"}
    assert clusters["a.txt"] is not None and clusters["a.txt"] == clusters["b.txt"]
    assert clusters["c.txt"] is not None and clusters["c.txt"] != clusters["a.txt"]

    _write(folder, LATER, metadata)
    assert ingest.run(args) == 0                                 # incremental
    later = {path.rsplit("/", 1)[-1]: cluster for path, cluster in _meetings(out).items()}
    assert later["d.txt"] == later["a.txt"] == clusters["a.txt"]
    con = tidings.connect(str(out))
    row = con.execute(
        "SELECT event_type, articles, reports, first_date, last_date, first_report, "
        "last_report FROM event_clusters WHERE event_cluster_id = ?",
        [clusters["a.txt"]]).fetchone()
    assert row[:3] == ("MEET", 3, 3)
    assert (str(row[3]), str(row[4])) == ("2025-04-07", "2025-04-08")
    assert (row[5], row[6]) == ("2025-04-08", "2025-04-10")
    keys = {key for (key,) in con.execute("SELECT DISTINCT entity_key FROM entities").fetchall()}
    assert {"donald trump", "xi jinping", "emmanuel macron", "olaf scholz"} <= keys

    assert ingest.run([*args, "--full-refresh"]) == 0
    refreshed = {path.rsplit("/", 1)[-1]: c for path, c in _meetings(out).items()}
    assert refreshed == later


def test_events_with_targets_that_name_no_entity_cluster_only_with_the_same_target_word():
    """Moody's rating "the debt" of one company and "the convertibles" of
    another on one day are two events; "interest payments" and "indefinitely
    interest payments" suspended by Brazil are one."""
    import duckdb

    from tidings.schemas.clusters import create_cluster_views
    from tidings.schemas.people import create_people_view

    con = duckdb.connect()
    con.execute("CREATE TABLE known AS SELECT * FROM (VALUES ('m', 'a1', 'ORG', 'moody'), "
                "('b', 'a4', 'GPE', 'brazil')) AS t(entity_id, article_id, label, entity_key)")
    create_people_view(con, "known")
    con.execute(
        "CREATE TABLE stored AS SELECT * FROM (VALUES "
        "('r1', 'a1', 'OTHER', 'rate', 'm', 'the debt', NULL), "
        "('r2', 'a2', 'OTHER', 'rate', 'm', 'The convertibles', NULL), "
        "('r3', 'a3', 'OTHER', 'rate', 'm', 'the Debt', NULL), "
        "('r4', 'a4', 'OTHER', 'suspend', 'b', 'interest payments', NULL), "
        "('r5', 'a5', 'OTHER', 'suspend', 'b', 'indefinitely interest payments', NULL)) "
        "AS t(record_id, article_id, event_type, trigger_lemma, actor_entity_id, target, "
        "target_entity_id)")
    con.execute("CREATE TABLE raw AS SELECT *, 'Moody' AS actor, DATE '1987-03-02' AS date,"
                " 'day' AS date_precision,"
                " 'Monday' AS date_text, '1987-03-03' AS published_date, 'asserted' AS modality"
                " FROM stored")
    create_cluster_views(con, "raw")
    clusters = dict(con.execute("SELECT record_id, event_cluster_id FROM events").fetchall())
    assert None not in clusters.values()
    assert clusters["r1"] == clusters["r3"] != clusters["r2"]
    assert clusters["r4"] == clusters["r5"]
