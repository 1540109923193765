"""``tidings report`` and ``tidings run --report``: one self-contained page,
looked at in a real browser; never written over a file tidings did not
write."""
from __future__ import annotations

import pathlib
import re
import shutil

import pytest

from tidings.pipelines import ingest, report
from tests.pipelines.browser import Browser, find_chromium


pytestmark = pytest.mark.slow

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "build" / "report-screenshot.png"
SECTIONS = ("runs", "errors", "per-day", "event-types", "speakers", "agreements", "lowest")


@pytest.fixture(scope="module")
def reported(tmp_path_factory, examples_dir):
    """The examples run twice (the second adds nothing), with a report."""
    base = tmp_path_factory.mktemp("report")
    out = base / "out"
    args = ["--input", str(examples_dir / "articles"), "--metadata",
            str(examples_dir / "metadata.csv"), "--output", str(out)]
    assert ingest.run(args) == 0
    assert ingest.run([*args, "--report"]) == 0
    return out, pathlib.Path(report.default_path(str(out)))


def test_run_report_writes_a_page_with_every_section_and_nothing_to_fetch(reported):
    out, page = reported
    assert page == out.parent / "out.report.html"
    text = page.read_text(encoding="utf-8")
    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in text
    assert "<script" not in text
    assert not re.search(r'(src|href)="(?!#|https://example\.org/)', text)  # only record links
    assert text.count("<svg") == 3                   # per day, event types, speakers
    # both runs listed; each record quoted in its paragraph with its article
    assert text.count("<tr><td>20") == 2
    assert "<mark>The deal, worth up to $2.5 billion over ten years, was signed by" in text
    assert "<cite>Norway and Chile sign $2.5 billion shipping pact</cite>" in text
    assert 'href="https://example.org/tidings/port-deal"' in text


def test_report_escapes_article_text_and_links_only_web_urls(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        'Leaders meet\n\n"<script>alert(1)</script> is not a plan," the minister said '
        "on Monday.\n\nThe two leaders signed a trade agreement in Paris on Monday.\n",
        encoding="utf-8")
    metadata = tmp_path / "m.csv"
    metadata.write_text("file,published_date,source,title,url\n"
                        "a.txt,2025-04-07,Wire,<b>Leaders</b>,javascript:alert(2)\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    assert ingest.run(["--input", str(folder), "--metadata", str(metadata),
                       "--output", str(out)]) == 0
    text = pathlib.Path(report.write_report(str(out))).read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "<b>Leaders" not in text and "&lt;b&gt;Leaders" in text
    assert 'href="javascript' not in text


def test_report_replaces_its_own_page_but_no_other_file(reported, tmp_path, capsys):
    out, page = reported
    before = page.read_text(encoding="utf-8")
    assert report.run(["--output", str(out)]) == 0
    assert page.read_text(encoding="utf-8") != "" and page.stat().st_size > len(before) // 2
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my notes</p>", encoding="utf-8")
    assert report.run(["--output", str(out), "--html", str(mine)]) == 2
    assert mine.read_text(encoding="utf-8") == "<p>my notes</p>"
    assert "is not a tidings report" in capsys.readouterr().err
    assert report.run(["--output", str(tmp_path / "nothing")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.html"]


def test_the_report_draws_in_a_real_browser_without_errors(reported):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("LOUD: no Chromium here (scripts/setup.sh --dev installs Debian's "
                    "chromium where it runs as root with apt-get): the report was NOT "
                    "looked at in a browser")
    _, page = reported
    with Browser(chromium) as browser:
        browser.open(page.as_uri())
        plots = browser.evaluate("""
            Array.from(document.querySelectorAll('figure.plot svg')).map(svg => {
                const box = svg.getBoundingClientRect();
                return {width: box.width, height: box.height,
                        marks: svg.querySelectorAll('path, rect, use').length};
            })""")
        sections = browser.evaluate("document.querySelectorAll('main section').length")
        marked = browser.evaluate("document.querySelectorAll('blockquote mark').length")
        browser.screenshot(SCREENSHOT)
        errors = browser.errors()
    assert errors == []
    assert len(plots) == 3
    for plot in plots:
        assert plot["width"] > 300 and plot["height"] > 100 and plot["marks"] > 10, plot
    assert sections == len(SECTIONS) and marked > 5
    assert SCREENSHOT.stat().st_size > 20_000
    shutil.copy(SCREENSHOT, page.with_suffix(".png"))
