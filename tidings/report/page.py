"""The HTML report of a tidings output: one self-contained page, no script
and nothing fetched when it is read.

``build_report(output)`` returns the page. It shows the latest runs and what
each added, the latest run's errors by reason, records per publication day,
event types over time, the top speakers, the agreements, and the records
the rules were least sure of; each listed record is shown inside its
paragraph, with the article's title, source, date and URL.
"""
from __future__ import annotations

import collections
import datetime
import html
import os
from typing import Iterable, Optional

from tidings.inputs.metadata import UNMATCHED_ROW as UNMATCHED_METADATA
from tidings.report import plots


MAX_DAYS = 120            # more days than this are plotted by week
LISTED = 25               # agreements listed
LOWEST = 12               # lowest-confidence records listed
GENERATOR = "tidings report"


def build_report(output: str, version: str = "") -> str:
    """The report page of ``output``, a tidings output folder."""
    import duckdb

    from tidings.schemas.catalog import create_views

    con = duckdb.connect()
    try:
        views = create_views(con, output)
        sections = [
            _runs(con) if "runs" in views else "<p>No run has been recorded yet.</p>",
            _errors(con),
            _per_day(con),
            _event_types(con),
            _speakers(con),
            _agreements(con),
            _lowest(con),
        ]
        totals = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                  for name in ("articles", "claims", "events", "agreements")}
    finally:
        con.close()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    held = ", ".join(f"{count:,} {name}" for name, count in totals.items())
    return _PAGE.format(
        generator=GENERATOR, title=_e(f"tidings: {os.path.basename(os.path.abspath(output))}"),
        output=_e(os.path.abspath(output)), now=now, version=_e(version), held=held,
        sections="\n".join(sections))


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: Iterable[str], rows: Iterable[Iterable], numeric: set = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{_e(c)}</td>' if i in numeric else f"<td>{_e(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>\n{body}\n</section>'


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="plot">{svg}<figcaption>{_e(caption)}</figcaption></figure>'


def _runs(con) -> str:
    rows = _rows(con, "SELECT * FROM runs ORDER BY started_at DESC LIMIT 10")
    body = _table(
        ["started (UTC)", "status", "articles added", "unchanged", "claims", "events",
         "agreements", "errors", "took", "message"],
        [(r["started_at"].strftime("%Y-%m-%d %H:%M:%S") if r["started_at"] else "",
          r["status"], f"{r['articles_added']:,}", f"{r['articles_unchanged']:,}",
          f"{r['claims_added']:,}", f"{r['events_added']:,}", f"{r['agreements_added']:,}",
          f"{r['errors']:,}", _took(r), r["message"] or "") for r in rows],
        numeric={2, 3, 4, 5, 6, 7, 8})
    return _section("runs", "Latest runs", body)


def _took(run: dict) -> str:
    if not run["started_at"] or not run["ended_at"]:
        return ""
    return f"{(run['ended_at'] - run['started_at']).total_seconds():.1f} s"


def _errors(con) -> str:
    rows = _rows(con, "SELECT stage, reason, count(*) AS n FROM errors "
                      "GROUP BY ALL ORDER BY n DESC, reason")
    refused = [r for r in rows if r["reason"] != UNMATCHED_METADATA]
    unused = sum(r["n"] for r in rows if r["reason"] == UNMATCHED_METADATA)
    body = (_table(["stage", "reason", "inputs"],
                   [(r["stage"], r["reason"], f"{r['n']:,}") for r in refused], numeric={2})
            if refused else "<p>The latest run could use every input.</p>")
    if unused:
        body += (f"<p>Metadata rows not used: {unused:,}. They name files that were not "
                 f"inputs of the latest run; they are not errors of its inputs.</p>")
    return _section("errors", "Inputs the latest run could not use", body)


def _buckets(days: list[datetime.date]) -> tuple[str, callable]:
    if not days or (max(days) - min(days)).days <= MAX_DAYS:
        return "day", lambda d: d
    if (max(days) - min(days)).days <= 3 * 366:
        return "week", lambda d: d - datetime.timedelta(days=d.weekday())
    return "month", lambda d: d.replace(day=1)


def _series(rows: list[dict], key: str) -> tuple[str, list, dict[str, list[int]], int]:
    """Counts per (bucketed) publication day and per ``key``, and how many
    rows have no publication date."""
    dated = [r for r in rows if r["day"] != "unknown"]
    undated = sum(r["n"] for r in rows if r["day"] == "unknown")
    parsed = [(datetime.date.fromisoformat(r["day"]), r[key], r["n"]) for r in dated]
    unit, bucket = _buckets([day for day, _, _ in parsed])
    counts: dict = collections.defaultdict(collections.Counter)
    for day, name, n in parsed:
        counts[name][bucket(day)] += n
    days = sorted({bucket(day) for day, _, _ in parsed})
    names = sorted(counts, key=lambda name: -sum(counts[name].values()))
    return unit, days, {name: [counts[name][d] for d in days] for name in names}, undated


def _per_day(con) -> str:
    rows = _rows(con, """
        SELECT published_date AS day, kind, count(*) AS n FROM (
            SELECT published_date, 'claims' AS kind FROM claims
            UNION ALL SELECT published_date, 'events' FROM events
            UNION ALL SELECT published_date, 'agreements' FROM agreements)
        GROUP BY ALL""")
    unit, days, series, undated = _series(rows, "kind")
    if not days:
        return _section("per-day", "Records per publication day",
                        "<p>No record has a publication date.</p>")
    svg = plots.stacked_bars("Records per publication " + unit, days, series, "records", unit)
    note = f" {undated:,} records of articles with no date are not shown." if undated else ""
    return _section("per-day", f"Records per publication {unit}",
                    _figure(svg, f"Claims, events and agreements by the publication {unit} "
                                 f"of their article.{note}"))


def _event_types(con) -> str:
    rows = _rows(con, "SELECT published_date AS day, event_type, count(*) AS n FROM events "
                      "WHERE coalesce(modality, 'asserted') IN ('asserted', 'planned') "
                      "GROUP BY ALL")
    unit, days, series, undated = _series(rows, "event_type")
    if not days:
        return _section("event-types", "Event types over time", "<p>No dated events.</p>")
    if len(series) > len(plots.COLOURS):
        kept = dict(list(series.items())[:len(plots.COLOURS) - 1])
        rest = [sum(values) for values in zip(*list(series.values())[len(kept):])]
        series = {**kept, "others": rest}
    svg = plots.stacked_bars("Event types over time", days, series, "events", unit)
    note = f" {undated:,} events of undated articles are not shown." if undated else ""
    return _section("event-types", "Event types over time",
                    _figure(svg, f"Events per publication {unit}, by type; negated and "
                                 f"hypothetical ones left out.{note}"))


def _speakers(con) -> str:
    # By person: the forms of one name ("Trump", "Donald J. Trump") count together.
    rows = _rows(con, """
        SELECT coalesce(arg_max(e.name, length(e.name)), any_value(c.speaker)) AS speaker,
               coalesce(any_value(e.label), any_value(c.speaker_label)) AS label,
               count(*) AS n, count(DISTINCT c.speaker) AS forms
        FROM claims c LEFT JOIN entities e ON e.entity_id = c.speaker_entity_id
        WHERE c.speaker IS NOT NULL
        GROUP BY coalesce(e.person_key, c.speaker)
        ORDER BY n DESC, speaker LIMIT 15""")
    if not rows:
        return _section("speakers", "Top speakers", "<p>No claims.</p>")
    svg = plots.horizontal_bars("Top speakers by claims", [r["speaker"] for r in rows],
                                [r["n"] for r in rows], "claims")
    return _section("speakers", "Top speakers",
                    _figure(svg, "Speakers by number of claims; the forms of one name "
                                 "(same person_key) are counted together.")
                    + _table(["speaker", "label", "claims", "forms"],
                             [(r["speaker"], r["label"], f"{r['n']:,}", r["forms"]) for r in rows],
                             numeric={2, 3}))


_CONTEXT_COLUMNS = ("sentence, paragraph, paragraph_start, char_start, title, url, source, "
                    "published_date, confidence, evidence")


def _agreements(con) -> str:
    rows = _rows(con, f"SELECT agreement_type, status, parties, value_amount, value_currency, "
                      f"value_text, {_CONTEXT_COLUMNS} FROM agreements_in_context "
                      f"ORDER BY value_amount DESC NULLS LAST, published_date DESC, record_id "
                      f"LIMIT {LISTED}")
    if not rows:
        return _section("agreements", "Agreements", "<p>No agreements.</p>")
    items = []
    for r in rows:
        value = (f"{r['value_amount']:,} {r['value_currency'] or ''}".strip()
                 if r["value_amount"] is not None else "no value")
        parties = ", ".join(r["parties"] or []) or "parties not named"
        items.append(_record(f"{r['agreement_type']} · {r['status']} · {value}",
                             f"Parties: {parties}", r))
    total = con.execute("SELECT count(*) FROM agreements").fetchone()[0]
    shown = f"The {len(rows)} of {total:,} with the largest values." if total > len(rows) else ""
    return _section("agreements", "Agreements", f"<p>{shown}</p>" + "".join(items))


def _lowest(con) -> str:
    rows = _rows(con, f"""
        SELECT * FROM (
            SELECT 'claim' AS kind, coalesce(speaker, '?') || ' ' || cue AS what,
                   {_CONTEXT_COLUMNS} FROM claims_in_context
            UNION ALL
            SELECT 'event', event_type || ' (' || trigger || ')' ||
                   coalesce(', actor ' || actor, ''), {_CONTEXT_COLUMNS} FROM events_in_context
            UNION ALL
            SELECT 'agreement', agreement_type || ', ' || status, {_CONTEXT_COLUMNS}
            FROM agreements_in_context)
        ORDER BY confidence, kind, sentence LIMIT {LOWEST}""")
    if not rows:
        return _section("lowest", "Lowest-confidence records", "<p>No records.</p>")
    items = [_record(f"{r['kind']}: {r['what']}",
                     f"confidence {r['confidence']:.2f} · {why(r['evidence'])} "
                     f"(rule {r['evidence']})", r) for r in rows]
    return _section("lowest", "Lowest-confidence records",
                    "<p>The records the rules were least sure of: check these first.</p>"
                    + "".join(items))


_RULES = {
    "cue": "reporting verb '{}'",
    "noun_trigger": "event noun '{}'",
    "verb_trigger": "event verb '{}'",
    "verb": "agreement verb '{}'",
    "according_to": "'according to'",
    "colon_attribution": "a speaker and a colon before the quotation",
    "running_quotation": "a quotation running on from an earlier paragraph",
    "standalone_quotation": "a quotation standing alone",
    "noun_only": "an agreement noun, with no verb saying more",
    "modal": "an agreement under a modal verb",
    "pronoun_resolved": "the pronoun speaker named from an earlier sentence",
    "speaker_from_context": "the speaker from the sentences around it",
    "inherited_subject": "the speaker is the subject of the clause it depends on",
}


def why(evidence: str) -> str:
    """A rule name as words: ``cue:say:pronoun_resolved`` is "reporting
    verb 'say'; the pronoun speaker named from an earlier sentence"."""
    parts = (evidence or "").split(":")
    words = []
    while parts:
        part = parts.pop(0)
        rule = _RULES.get(part)
        if rule and "{}" in rule and parts:
            words.append(rule.format(parts.pop(0)))
        elif rule and "{}" not in rule:
            words.append(rule)
        else:
            words.append(part.replace("_", " "))
    return "; ".join(words)


def _record(heading: str, detail: str, r: dict) -> str:
    """A record's sentence highlighted in its paragraph, under the article."""
    paragraph = r["paragraph"] or r["sentence"]
    start = (r["char_start"] - r["paragraph_start"]) if r["paragraph"] else 0
    end = start + len(r["sentence"])
    text = (f"{_e(paragraph[:start])}<mark>{_e(paragraph[start:end])}</mark>"
            f"{_e(paragraph[end:])}")
    return (f'<article class="record"><h3>{_e(heading)}</h3>'
            f'<p class="detail">{_e(detail)}</p><blockquote>{text}</blockquote>'
            f'<p class="source">{_source(r)}</p></article>')


def _source(r: dict) -> str:
    parts = [f"<cite>{_e(r['title'] or 'untitled article')}</cite>"]
    if r.get("source"):
        parts.append(_e(r["source"]))
    if r.get("published_date") and r["published_date"] != "unknown":
        parts.append(_e(r["published_date"]))
    url: Optional[str] = r.get("url")
    if url and url.lower().startswith(("http://", "https://")):
        parts.append(f'<a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>')
    elif url:
        parts.append(_e(url))
    return " · ".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="{generator}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
       max-width: 62rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: 0; }}
h2 {{ font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; }}
h3 {{ font-size: 1rem; margin: 0; }}
nav a {{ margin-right: 1rem; }}
.meta, .detail, .source, figcaption {{ color: #555; font-size: .85rem; }}
table {{ border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }}
th, td {{ text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #eee; vertical-align: top; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure.plot {{ margin: 1rem 0; }}
.record {{ margin: 1.2rem 0; }}
blockquote {{ margin: .3rem 0; padding: .3rem .8rem; border-left: 3px solid #0072B2; background: #f7f9fb; }}
mark {{ background: #ffe58a; padding: 0 .1rem; }}
</style>
</head>
<body>
<header>
<h1>tidings report</h1>
<p class="meta">{output} · {held} · made {now} by tidings {version}</p>
<nav><a href="#runs">Runs</a><a href="#errors">Errors</a><a href="#per-day">Records per day</a><a href="#event-types">Event types</a><a href="#speakers">Speakers</a><a href="#agreements">Agreements</a><a href="#lowest">Lowest confidence</a></nav>
</header>
<main>
{sections}
</main>
</body>
</html>
"""
