"""Monotone assignments between two rows of positions, and the drift maps they fit.

A header's anchors and a body's columns, or the columns of two pages of one table, are two rows of
positions that should pair in order; what differs from one document to the next is how far, and how
unevenly, one sits off the other. `assign` pairs them under a given map (dynamic programming over both
rows), `elastic` under a drift that may bend from one pair to the next, `fit_affine` fits a map to
pairs, `piecewise` turns pairs into a drift along the line.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Map = tuple[float, float]  # scale, offset: x ↦ scale · x + offset
Allowed = Sequence[Sequence[bool]]  # allowed[i][j]: a[i] may pair with b[j]
SCALES = (0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25)  # a layout stretches, it does not fold
BEND = 3.0  # character widths of change of drift that cost a pair of an elastic assignment


def apply(m: Map, x: float) -> float:
    return m[0] * x + m[1]


def fit_affine(xs: Sequence[float], ys: Sequence[float]) -> Map:
    """Least-squares y = scale · x + offset, the scale within SCALES."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    scale = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else 1.0
    scale = min(max(scale, SCALES[0]), SCALES[-1])
    return scale, my - scale * mx


def near_counts(a: Sequence[float], b: Sequence[float], maps: Sequence[Map], allowed: Allowed,
                near: float) -> np.ndarray:
    """How well each map puts `a` on `b`: in order, each position takes the closest allowed partner
    within `near` right of the one before took, counting one, and a little more the closer it lands
    (as `assign` counts a pair); a cheap stand-in for `assign` when many maps are tried, all maps at
    once."""
    import numpy as np  # here: a report of tabs or sentences never scores maps, nor loads numpy

    scale, offset = np.asarray(maps, dtype=float).reshape(-1, 2).T
    targets = np.asarray(b, dtype=float)
    later = np.arange(len(b))
    total = np.zeros(len(scale))
    after = np.full(len(scale), -1)
    for i, x in enumerate(a):
        d = np.abs((scale * x + offset)[:, None] - targets)
        ok = (d <= near) & np.asarray(allowed[i], dtype=bool) & (later > after[:, None])
        d = np.where(ok, d, np.inf)
        j = d.argmin(axis=1)
        hit = ok.any(axis=1)
        total += np.where(hit, 1 + (near - d[np.arange(len(j)), j]) / near, 0.0)
        after = np.where(hit, j, after)
    return total


def assign(a: Sequence[float], b: Sequence[float], f: Callable[[int], float], near: float,
           allowed: Allowed | None = None) -> list[tuple[int, int]]:
    """The monotone pairing of `a` with `b` that pairs the most, closest; `f(i)` is where `a[i]` lands
    in `b`'s coordinates. A pair further than `near` apart, or not allowed, is no pair."""
    n, m = len(a), len(b)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0: skip a[i], 1: skip b[j], 2: pair them
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [(best[i - 1][j], 0), (best[i][j - 1], 1)]
            d = abs(f(i - 1) - b[j - 1])
            if d <= near and (allowed is None or allowed[i - 1][j - 1]):
                options.append((best[i - 1][j - 1] + 1 + (near - d) / near, 2))
            best[i][j], move[i][j] = max(options)
    pairs, i, j = [], n, m
    while i and j:
        if move[i][j] == 2:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move[i][j] == 0:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def elastic(a: Sequence[float], b: Sequence[float], allowed: Allowed | None = None,
            prior: float = 0.0) -> list[tuple[int, int]]:
    """The monotone pairing of `a` with `b` that pairs the most under a drift (b − a) that changes
    little from one pair to the next: each pair counts one, less its change of drift over BEND (and
    `prior` per character of drift, where the two should be printed in one place). Unlike one map
    for all, the drift may bend where a layout packs or spreads its columns unevenly. Of two chains
    that count the same, the one of more pairs wins."""
    score: dict[tuple[int, int], tuple[float, int]] = {}  # (value, pairs) of the best chain ending here
    back: dict[tuple[int, int], tuple[int, int] | None] = {}
    for i in range(len(a)):
        for j in range(len(b)):
            if allowed is not None and not allowed[i][j]:
                continue
            d = b[j] - a[i]
            best, prev = (1.0 - prior * abs(d), 1), None
            for (pi, pj), (s, n) in score.items():
                value = (round(s + 1.0 - abs(d - (b[pj] - a[pi])) / BEND - prior * abs(d), 9), n + 1)
                if pi < i and pj < j and value > best:
                    best, prev = value, (pi, pj)
            score[i, j], back[i, j] = best, prev
    if not score:
        return []
    end: tuple[int, int] | None = max(score, key=score.__getitem__)
    pairs = []
    while end is not None:
        pairs.append(end)
        end = back[end]
    return pairs[::-1]


def _none(x: float) -> float:
    return 0.0


def piecewise(points: Sequence[tuple[float, float]], end: float | None = None) -> Callable[[float], float]:
    """The drift at `x`, interpolated between (x, drift) points, level beyond them; none right of
    `end` where one is given."""
    if not points:
        return _none

    def at(x: float) -> float:
        if end is not None and x > end:
            return 0.0
        if x <= points[0][0]:
            return points[0][1]
        for (x0, d0), (x1, d1) in zip(points, points[1:]):
            if x <= x1:
                return d0 + (d1 - d0) * (x - x0) / (x1 - x0) if x1 > x0 else d1
        return points[-1][1]
    return at
