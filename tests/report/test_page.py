"""The report's parts: rule names in words, and plots as inline SVG."""
from __future__ import annotations

import datetime

import pytest

from tidings.report import plots
from tidings.report.page import why


@pytest.mark.parametrize("evidence, words", [
    ("cue:say", "reporting verb 'say'"),
    ("cue:say:pronoun_resolved",
     "reporting verb 'say'; the pronoun speaker named from an earlier sentence"),
    ("noun_trigger:debate", "event noun 'debate'"),
    ("verb:sign", "agreement verb 'sign'"),
    ("noun_only", "an agreement noun, with no verb saying more"),
    ("some_new_rule:x", "some new rule; x"),
])
def test_rule_names_read_as_words(evidence, words):
    assert why(evidence) == words


def test_plots_are_inline_svg_with_marks_and_no_prologue():
    days = [datetime.date(2025, 3, 1), datetime.date(2025, 3, 2), datetime.date(2025, 3, 4)]
    svg = plots.stacked_bars("Records", days, {"claims": [3, 0, 2], "events": [1, 4, 0]},
                             "records")
    assert svg.startswith("<svg") and 'aria-label="Records"' in svg
    assert svg.count("<path") > 10 and "<script" not in svg
    bars = plots.horizontal_bars("Speakers", ["Solberg", "Araya"], [3, 1], "claims")
    assert bars.startswith("<svg") and 'style="max-width: 100%; height: auto"' in bars
