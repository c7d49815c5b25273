"""The one interface every table finder has, and the registry of the line finders by style.

A finder turns one region of a page into a RawTable of cell strings, the way camelot's parsers each
turn a page into tables: `tabbed` reads tab-separated rows, `positioned` words kept apart by runs of
space, `stream` text whose columns were lost (cells in reading order), `ruled` grids of cells from
ruling lines or from a document's own table cells. What they share — where a region starts and ends,
its title, its continuation over pages — lives in extract/assemble.py, not in the finders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from phuluc.extract.page import Line
from phuluc.model import RawTable
from phuluc.settings import Settings

Style = Literal["tabbed", "positioned", "stream"]
R_contra = TypeVar("R_contra", contravariant=True)


@dataclass(frozen=True, slots=True)
class Region:
    """The lines of one table: its header (from the "STT" line, or the lines over the first row) and
    its body, with the title read above it; `style` says which finder reads it."""

    style: Style
    header: tuple[Line, ...]
    body: tuple[Line, ...]
    title: str | None


class Finder(Protocol[R_contra]):
    """Reads one region (a Region of lines, or a ruled grid) into the tables it holds."""

    def read(self, region: R_contra, settings: Settings) -> list[RawTable]: ...
