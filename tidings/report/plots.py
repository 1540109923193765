"""The report's plots: matplotlib figures saved as inline SVG.

matplotlib's SVG needs no JavaScript and no network when the page is read,
prints as drawn, and keeps each plot a few kilobytes; text is drawn as
paths, so it looks the same on machines without the fonts. ``Figure`` is
used directly rather than pyplot, so no GUI backend or global state is
involved.
"""
from __future__ import annotations

import datetime
import io
import re
from typing import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
           "#F0E442", "#000000")


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight",
                   metadata={"Date": None, "Title": title})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]                      # no XML prologue inline
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
                  lambda m: f'<svg{m.group(1)} role="img" aria-label="{title}" '
                            f'style="max-width: 100%; height: auto"', svg, count=1)


def _figure() -> Figure:
    figure = Figure(figsize=(8, 3.2), dpi=96)
    figure.patch.set_alpha(0)
    return figure


BUCKET_DAYS = {"day": 1, "week": 7, "month": 30}


def stacked_bars(title: str, days: Sequence[datetime.date],
                 series: dict[str, Sequence[int]], ylabel: str, unit: str = "day") -> str:
    """Bars per day (or week, or month: ``unit``), one colour per series,
    stacked; an SVG string."""
    figure = _figure()
    axes = figure.add_subplot()
    bottom = [0] * len(days)
    width = 0.8 * BUCKET_DAYS[unit]
    for (name, values), colour in zip(series.items(), COLOURS):
        axes.bar(days, values, bottom=bottom, width=width, label=name, color=colour)
        bottom = [b + v for b, v in zip(bottom, values)]
    _style(axes, ylabel)
    if series:
        axes.legend(frameon=False, fontsize=8, ncols=min(len(series), 5), loc="lower left",
                    bbox_to_anchor=(0, 1.0))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.autofmt_xdate()
    return _svg(figure, title)


def horizontal_bars(title: str, labels: Sequence[str], values: Sequence[int],
                    xlabel: str) -> str:
    """One bar per label, largest at the top; an SVG string."""
    figure = Figure(figsize=(8, 0.8 + 0.28 * max(len(labels), 1)), dpi=96)
    figure.patch.set_alpha(0)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=COLOURS[0])
    axes.set_yticks(positions, [label[:40] for label in labels], fontsize=8)
    _style(axes, None)
    axes.set_xlabel(xlabel, fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    return _svg(figure, title)


def _style(axes, ylabel) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8)
    axes.grid(axis="y", linewidth=0.4, alpha=0.5)
    axes.set_axisbelow(True)
    if ylabel:
        axes.set_ylabel(ylabel, fontsize=9)
