"""The overview's charts, drawn offline by matplotlib (Agg) as SVG text.

Text stays text in the SVG (svg.fonttype "none"): a tenth of the size of glyphs drawn as paths, and
searchable; the browser draws it in DejaVu Sans or its own sans-serif. matplotlib is imported here
only, when a report is written, so that no other command pays for it.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Sequence

BAR = 0.28  # inches per issuer's bar
WIDTH = 7.5  # inches
# a colour per rating, best first (ratings.yaml's order), then the one of a row with no rating
COLOURS = ("#1a7f37", "#4caf50", "#c0ca33", "#f9a825", "#e65100", "#b71c1c", "#0277bd", "#6d4c41")
UNRATED = "#9e9e9e"
LINE, MEDIAN = "#5470c6", "#1b1f24"  # a unit's line, and the issuer's median
_STYLE = {"svg.fonttype": "none", "svg.hashsalt": "phuluc", "font.family": "DejaVu Sans", "font.size": 8}


def ratings(issuers: Sequence[str], bands: Sequence[str], counts: dict[tuple[str, str], int], axis: str) -> str:
    """A horizontal bar per issuer, stacked by rating in the order of `bands` (the legend's names)."""
    plt = _pyplot()
    with plt.rc_context(_STYLE):
        figure, ax = plt.subplots(figsize=(WIDTH, 1.2 + BAR * len(issuers)))
        left = [0] * len(issuers)
        for k, band in enumerate(bands):
            widths = [counts.get((issuer, band), 0) for issuer in issuers]
            if any(widths):
                ax.barh(range(len(issuers)), widths, left=left, label=band,
                        color=COLOURS[k] if k < len(COLOURS) else UNRATED)
                left = [a + b for a, b in zip(left, widths)]
        ax.set_yticks(range(len(issuers)), issuers)
        ax.set_ylim(len(issuers) - 0.5, -0.5)  # the first issuer on top, no empty band
        ax.set_xlabel(axis)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=min(len(bands), 5), frameon=False)
        return _svg(figure)


def spread(by_period: dict[str, list[float]], axis: str) -> str:
    """The spread of the units' scores in each period (a box: quartiles, whiskers to 1.5 IQR)."""
    plt = _pyplot()
    periods = sorted(by_period)
    with plt.rc_context(_STYLE):
        figure, ax = plt.subplots(figsize=(WIDTH, 3.2))
        ax.boxplot([by_period[p] for p in periods], widths=0.6, flierprops={"markersize": 2})
        ax.set_xticks(range(1, len(periods) + 1), periods, rotation=90 if len(periods) > 8 else 0)
        ax.set_ylabel(axis)
        ax.grid(axis="y", linewidth=0.3)
        return _svg(figure)


def scores(units: dict[str, dict[str, float]], periods: Sequence[str], axis: str, median: str) -> str:
    """Each unit's score over `periods`, a thin line apiece (the units are named in the table beside the
    chart: a legend of a district's hundred communes would be the chart), and their median, bold."""
    from matplotlib.collections import LineCollection

    plt = _pyplot()
    with plt.rc_context(_STYLE):
        figure, ax = plt.subplots(figsize=(WIDTH, 2.8))
        lines = [[(periods.index(p), by_period[p]) for p in periods if p in by_period] for by_period in units.values()]
        ax.add_collection(LineCollection(lines, linewidths=0.6, colors=LINE, alpha=0.5))
        middle = [statistics.median(u[p] for u in units.values() if p in u) for p in periods]
        ax.plot(range(len(periods)), middle, color=MEDIAN, linewidth=2, marker="o", markersize=3, label=median)
        ax.set_xticks(range(len(periods)), periods, rotation=90 if len(periods) > 8 else 0)
        ax.set_xlim(-0.3, len(periods) - 0.7)
        ax.autoscale(axis="y")
        ax.set_ylabel(axis)
        ax.grid(axis="y", linewidth=0.3)
        ax.legend(loc="lower left", frameon=False)
        return _svg(figure)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _svg(figure) -> str:
    """The figure as SVG text, without the date that would make two runs differ; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()
