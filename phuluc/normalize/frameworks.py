"""Scoring frameworks as data: config/frameworks/*.yaml → typed records.

A framework names its groups and criteria with their maxima, the score its rating is read on
(`converted` = achieved ÷ applicable max × 100, or the `total` as printed) and its rating bands. A band
whose lower bound is not published is open (`min: null`): no rating in that region is judged. It also says
which kinds of period it is reported for and by when: a deadline in days after a period's last day (10:
the 10th of the month after a month, a quarter or a year), one for every kind or one per kind.
Adding a province's framework is a new YAML file, not a code change.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from collections.abc import Sequence
from dataclasses import dataclass

from phuluc import yamlfile
from phuluc.periods import Kind, Period
from phuluc.vi.text import clean, fold


@dataclass(frozen=True, slots=True)
class FrameworkCriterion:
    key: str
    label: str
    group: str | None
    max: float
    words: tuple[str, ...] = ()  # folded words that name the criterion (or its group) in prose

    @property
    def display(self) -> str:
        """The label as appendix headers print it: "Chỉ số 1 (5đ)"."""
        return f"{self.label} ({self.max:g}đ)" if self.group else self.label


@dataclass(frozen=True, slots=True)
class Band:
    rating: str
    min: float | None  # inclusive lower bound; None when not published


@dataclass(frozen=True, slots=True)
class Framework:
    code: str
    title: str
    names: tuple[str, ...]
    rating_on: str  # "converted" | "total"
    total_max: float
    criteria: tuple[FrameworkCriterion, ...]
    bands: tuple[Band, ...]
    deadlines: tuple[tuple[Kind, int], ...] = ()  # the kinds of period reported for, and days after one's end

    @property
    def periods(self) -> tuple[Kind, ...]:
        return tuple(kind for kind, _ in self.deadlines)

    def due(self, period: Period) -> dt.date | None:
        """The last day a report of `period` is on time; None for a kind of period it is not reported for."""
        days = dict(self.deadlines).get(period.kind)
        return None if days is None else period.end + dt.timedelta(days=days)

    @property
    def maxima(self) -> tuple[float, ...]:
        return tuple(c.max for c in self.criteria)

    def band_for(self, score: float) -> Band | None:
        """The band a score falls in, or None where the bands are not published."""
        for band in self.bands:
            if band.min is None:
                return None
            if score >= band.min - 1e-9:
                return band
        return None

    def known_ratings_above(self, score: float) -> tuple[str, ...]:
        """Ratings whose published range lies wholly above `score` (a score there cannot have them)."""
        above = []
        for band in self.bands:
            if band.min is None or score >= band.min - 1e-9:
                break
            above.append(band.rating)
        return tuple(above)

    def ratings(self) -> tuple[str, ...]:
        return tuple(b.rating for b in self.bands)


def _criterion(raw: dict, group: dict) -> FrameworkCriterion:
    words = raw.get("words") or group.get("words") or ()
    return FrameworkCriterion(
        key=raw["key"],
        label=clean(raw["label"]),
        group=clean(group["name"]) if group.get("name") else None,
        max=float(raw["max"]),
        words=tuple(fold(w) for w in words),
    )


def _deadlines(raw: dict) -> tuple[tuple[Kind, int], ...]:
    """`periods` with the `deadline` of each: one number for all of them, or a mapping by kind."""
    deadline = raw["deadline"]
    days = deadline if isinstance(deadline, dict) else dict.fromkeys(raw["periods"], deadline)
    return tuple((Kind(kind), int(days[kind])) for kind in raw["periods"])


def _framework(raw: dict) -> Framework:
    criteria = tuple(_criterion(c, g) for g in raw["groups"] for c in g["criteria"])
    bands = tuple(Band(clean(b["rating"]), None if b["min"] is None else float(b["min"]))
                  for b in raw["bands"])
    return Framework(code=clean(raw["code"]), title=clean(raw["title"]),
                     names=tuple(clean(n) for n in raw["names"]), rating_on=raw["rating_on"],
                     total_max=float(raw["total_max"]), criteria=criteria, bands=bands,
                     deadlines=_deadlines(raw))


@functools.cache
def frameworks() -> tuple[Framework, ...]:
    """Every framework shipped in config/frameworks, in file-name order."""
    folder = importlib.resources.files("phuluc.config") / "frameworks"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return tuple(_framework(yamlfile.load(f)) for f in files)


def by_code(code: str | None) -> Framework | None:
    return next((f for f in frameworks() if code and fold(f.code) == fold(code)), None)


def named_in(text: str) -> list[Framework]:
    """Frameworks whose decision number appears in the text, most mentioned first."""
    key = fold(text).replace(" ", "")
    counts = [(sum(key.count(fold(n).replace(" ", "")) for n in f.names), f) for f in frameworks()]
    return [f for n, f in sorted(counts, key=lambda x: -x[0]) if n]


def matching_shape(maxima: list[float | None]) -> list[Framework]:
    """Frameworks whose criteria maxima agree with a table's printed ones (unknown maxima match any)."""
    return [f for f in frameworks() if len(f.criteria) == len(maxima)
            and all(m is None or abs(m - c.max) < 1e-9 for m, c in zip(maxima, f.criteria))]


def choose(fits: Sequence[Framework], named: Sequence[Framework], printed: bool) -> Framework | None:
    """Of the frameworks a table's shape fits, one the text names, else the only one — by printed
    maxima, or by the count of criteria alone (`printed` False) only where the text names no other."""
    return next((f for f in named if f in fits), None) or (
        fits[0] if len(fits) == 1 and (printed or not named) else None)
