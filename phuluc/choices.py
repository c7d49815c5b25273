"""What the command line's options choose from, and the library's functions behind them take: kept apart
from the records (phuluc/model.py), so that `phuluc --help` builds its options without them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Layout(enum.StrEnum):
    """The shapes of a consolidated export: a row per unit (a column per criterion), or per criterion,
    or a series (a row per unit, a column per period)."""

    WIDE = "wide"
    LONG = "long"
    SERIES = "series"


class SeriesValue(enum.StrEnum):
    """The figure a series shows for a unit in a period: a row's converted score, its total, its
    rating or its rank, as stored."""

    CONVERTED = "converted"
    TOTAL = "total"
    RATING = "rating"
    RANK = "rank"


@dataclass(frozen=True, slots=True)
class Series:
    """What a series shows: the figure in its cells, and whether a pre-merger unit's row names the units
    it became in 2025 and sits with them (phuluc/load/series.py)."""

    value: SeriesValue = SeriesValue.CONVERTED
    merge_2025: bool = False

    @property
    def textual(self) -> bool:
        """Whether its cells are text: a rating is a word, a rank may be printed "06/63"."""
        return self.value in (SeriesValue.RATING, SeriesValue.RANK)


class TableKind(enum.StrEnum):
    """What a table holds: unit scores, or other figures (fees, digitisation) reported beside them."""

    SCORES = "scores"
    OTHER = "other"


class FailOn(enum.StrEnum):
    """The findings that make `phuluc audit` exit 1: errors, warnings and errors, or none."""

    ERROR = "error"
    WARNING = "warning"
    NEVER = "never"


class Dialect(enum.StrEnum):
    """How a CSV writes its fields: for tools (comma, decimal point: pandas, csvkit, a database's
    import), or for a spreadsheet in a Vietnamese locale (semicolon, decimal comma, every text quoted,
    so that LibreOffice keeps "03241" as text and reads "8,75" as a number)."""

    TOOLS = "tools"
    EXCEL_VI = "excel-vi"


class Level(enum.StrEnum):
    """The issuers a province oversees (`phuluc status --level`) and the sections of its consolidated
    table (`phuluc rank`), in the order its appendix prints them: departments, districts, communes."""

    DEPARTMENT = "department"
    DISTRICT = "district"
    COMMUNE = "commune"
