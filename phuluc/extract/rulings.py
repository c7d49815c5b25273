"""Ruled tables from a page's ruling lines, found as pdfplumber's "lines" strategy finds them.

pdfplumber's table finder is a handful of pure functions over edges, but importing it loads pdfminer
(0.12 s a process); this is the same algorithm with its default settings over plain tuples: edges a
point apart or more are snapped to a common line within 3 pt, joined along it over gaps of 3 pt, kept
when 3 pt long or more; their crossings (within 3 pt) are the corners of cells, the smallest cell at
each corner whose four sides are ruled, and cells that share corners are one table.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal, NamedTuple

from phuluc.extract.layer import Cell, clusters

_SNAP = 3.0
_JOIN = 3.0
_MIN_LENGTH = 3.0
_PREFILTER = 1.0  # edges shorter than this are dropped before they are merged
_CROSSING = 3.0

Orientation = Literal["h", "v"]
Point = tuple[float, float]


class Edge(NamedTuple):
    """A horizontal or vertical ruling line, in points from the page's top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    def length(self, orientation: Orientation) -> float:
        return self.x1 - self.x0 if orientation == "h" else self.bottom - self.top


def tables(horizontal: Iterable[Edge], vertical: Iterable[Edge]) -> list[list[Cell]]:
    """The cells of each ruled table, tables top to bottom (those of one cell are no table)."""
    h = _merge([e for e in horizontal if e.length("h") >= _PREFILTER], "h")
    v = _merge([e for e in vertical if e.length("v") >= _PREFILTER], "v")
    h = [e for e in h if e.length("h") >= _MIN_LENGTH]
    v = [e for e in v if e.length("v") >= _MIN_LENGTH]
    return _tables(_cells(_crossings(h, v)))


def _merge(edges: list[Edge], orientation: Orientation) -> list[Edge]:
    """Edges snapped to their common lines, then joined along each line."""
    at = (lambda e: e.top) if orientation == "h" else (lambda e: e.x0)
    snapped = sorted(_snap(edges, orientation), key=at)
    return [joined for _, line in itertools.groupby(snapped, key=at) for joined in _join(line, orientation)]


def _snap(edges: list[Edge], orientation: Orientation) -> list[Edge]:
    """Edges whose positions chain within _SNAP of each other moved to their mean position."""
    at = (lambda e: e.top) if orientation == "h" else (lambda e: e.x0)
    out: list[Edge] = []
    for cluster in clusters(edges, at, _SNAP):
        mean = sum(map(at, cluster)) / len(cluster)
        out += [_moved(e, mean - at(e), orientation) for e in cluster]
    return out


def _moved(edge: Edge, by: float, orientation: Orientation) -> Edge:
    if orientation == "h":
        return edge._replace(top=edge.top + by, bottom=edge.bottom + by)
    return edge._replace(x0=edge.x0 + by, x1=edge.x1 + by)


def _join(line: Iterable[Edge], orientation: Orientation) -> list[Edge]:
    """Edges along one line, those within _JOIN of the one before joined into it."""
    start, end = ("x0", "x1") if orientation == "h" else ("top", "bottom")
    joined: list[Edge] = []
    for e in sorted(line, key=lambda e: getattr(e, start)):
        if joined and getattr(e, start) <= getattr(joined[-1], end) + _JOIN:
            if getattr(e, end) > getattr(joined[-1], end):
                joined[-1] = joined[-1]._replace(**{end: getattr(e, end)})
        else:
            joined.append(e)
    return joined


Crossings = dict[Point, tuple[set[Edge], set[Edge]]]  # a corner → the horizontal and the vertical edges through it


def _crossings(horizontal: list[Edge], vertical: list[Edge]) -> Crossings:
    out: Crossings = {}
    for v in sorted(vertical, key=lambda e: (e.x0, e.top)):
        for h in sorted(horizontal, key=lambda e: (e.top, e.x0)):
            if (v.top <= h.top + _CROSSING and v.bottom >= h.top - _CROSSING
                    and h.x0 - _CROSSING <= v.x0 <= h.x1 + _CROSSING):
                through = out.setdefault((v.x0, h.top), (set(), set()))
                through[0].add(h)
                through[1].add(v)
    return out


def _cells(crossings: Crossings) -> list[Cell]:
    """At each corner, top-left first, the smallest cell whose four corners are joined by ruled sides."""
    def joined(a: Point, b: Point) -> bool:
        return bool((a[0] == b[0] and crossings[a][1] & crossings[b][1])
                    or (a[1] == b[1] and crossings[a][0] & crossings[b][0]))

    points = sorted(crossings)
    below: dict[float, list[Point]] = defaultdict(list)
    right: dict[float, list[Point]] = defaultdict(list)
    for p in points:
        below[p[0]].append(p)
        right[p[1]].append(p)
    cells = []
    for p in points:
        cell = next(((p[0], p[1], r[0], b[1]) for b in below[p[0]] if b[1] > p[1] and joined(p, b)
                     for r in right[p[1]] if r[0] > p[0] and joined(p, r)
                     if (r[0], b[1]) in crossings and joined((r[0], b[1]), r) and joined((r[0], b[1]), b)), None)
        if cell:
            cells.append(cell)
    return cells


def _tables(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped into tables by the corners they share, as pdfplumber's `cells_to_tables` does."""
    def corners(c: Cell) -> set[Point]:
        return {(c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3])}

    remaining, found = list(cells), []
    current: list[Cell] = []
    shared: set[Point] = set()
    while remaining:
        before = len(current)
        for cell in list(remaining):
            if not current or corners(cell) & shared:
                shared |= corners(cell)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            found.append(current)
            current, shared = [], set()
    if current:
        found.append(current)
    return [t for t in sorted(found, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]
