"""Reporting periods as phuluc writes them: `2024` (year), `2024-H1` (half), `2024-Q3` (quarter),
`2024-07` (month), `2024-W03` (ISO week, as the provinces' weekly results count them).

One parser serves the command line's filters, the metadata read from a report, the order of a series
and the deadline of a period, so that all of them agree on what a period is and when it ends.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

PATTERN = re.compile(r"(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])|W(0[1-9]|[1-4]\d|5[0-3])))?")


class Kind(enum.StrEnum):
    """How long a period runs; a framework says which of them it is reported for."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


_MONTHS = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.HALF: 6, Kind.YEAR: 12}


@dataclass(frozen=True, slots=True)
class Period:
    """A period: its kind, year and number within the year (1 for a year)."""

    kind: Kind
    year: int
    n: int = 1

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period `text` writes; ValueError for anything else (a week 53 of a year that has none)."""
        m = PATTERN.fullmatch(text.strip())
        if m is None:
            raise ValueError(f"not a period: {text!r}")
        year, month, quarter, half, week = m.groups()
        if week is not None:
            dt.date.fromisocalendar(int(year), int(week), 1)  # raises for a week the year lacks
            return cls(Kind.WEEK, int(year), int(week))
        for kind, n in ((Kind.MONTH, month), (Kind.QUARTER, quarter), (Kind.HALF, half)):
            if n is not None:
                return cls(kind, int(year), int(n))
        return cls(Kind.YEAR, int(year))

    def __str__(self) -> str:
        return {Kind.YEAR: f"{self.year}", Kind.HALF: f"{self.year}-H{self.n}", Kind.QUARTER: f"{self.year}-Q{self.n}",
                Kind.MONTH: f"{self.year}-{self.n:02d}", Kind.WEEK: f"{self.year}-W{self.n:02d}"}[self.kind]

    @property
    def start(self) -> dt.date:
        if self.kind is Kind.WEEK:
            return dt.date.fromisocalendar(self.year, self.n, 1)
        return dt.date(self.year, (self.n - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> dt.date:
        """Its last day."""
        if self.kind is Kind.WEEK:
            return self.start + dt.timedelta(days=6)
        last = self.n * _MONTHS[self.kind]  # its last month
        return dt.date(self.year + last // 12, last % 12 + 1, 1) - dt.timedelta(days=1)

    @property
    def order(self) -> tuple[dt.date, dt.date]:
        """Where it stands among periods: by its first day, the shorter of two that start together first."""
        return self.start, self.end

    def previous(self) -> Period:
        """The period of the same kind before it (the one a "so với kỳ trước" change is against)."""
        if self.kind is Kind.WEEK:
            year, week, _ = (self.start - dt.timedelta(days=7)).isocalendar()
            return Period(Kind.WEEK, year, week)
        per_year = 12 // _MONTHS[self.kind]
        return Period(self.kind, self.year - 1, per_year) if self.n == 1 else Period(self.kind, self.year, self.n - 1)
