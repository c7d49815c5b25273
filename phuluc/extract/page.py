"""What a reader hands to the table finders: pages of positioned lines and ruled grids.

Every format that can be seen as lines of words comes here the same way: a text file's lines (each
word at its character column), a PDF's text layer (each word at its exact position, measured in
character widths so that one set of tolerances serves both), the words OCR read outside the ruled
tables of a scan. Ruled tables arrive as grids of cells with their spans: cell boxes from a PDF's ruling
lines, from the lines OpenCV finds on a scan, or the cells a Word or Excel file states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from phuluc.model import Box


@dataclass(frozen=True, slots=True)
class Word:
    """A printed word; x in character widths from the left edge. `joined`: it goes on the phrase of
    the word before it on its line (a word space, not the wider gap between two columns)."""

    text: str
    x0: float
    x1: float
    line: int  # the number of its line in the document
    page: int | None = None
    joined: bool = False

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True, slots=True)
class Line:
    """One visual line: its text as printed (columns kept apart by runs of spaces) and its words.

    `top` orders lines on a page and tells which lines lie inside a ruled grid: PDF points for a PDF,
    the line number for a text file. `measured`: the words' positions were measured on the page (a
    PDF, a scan), so a heading stands over its own cell; in a text file's character columns
    (`pdftotext -layout`) headings are packed and drift off their columns."""

    text: str
    page: int | None
    no: int
    words: tuple[Word, ...] = ()
    top: float = 0.0
    measured: bool = False
    box: Box | None = None  # where it is printed on its page, where measured

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> float:
        """Where the line's first word starts."""
        return self.words[0].x0 if self.words else float(len(self.text) - len(self.text.lstrip()))


def text_line(text: str, page: int | None, no: int, top: float | None = None) -> Line:
    """A line of monospaced text: each word at its character column; one space joins two words into a
    phrase, two or more part columns."""
    words: list[Word] = []
    for m in re.finditer(r"\S+", text):
        joined = bool(words) and m.start() - words[-1].x1 < 2
        words.append(Word(m.group(), m.start(), m.end(), no, page, joined))
    return Line(text, page, no, tuple(words), float(no) if top is None else top)


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table as its cells: each merged cell's text at its top-left position, "" where it extends.

    `spans` gives (rows, cols) for merged cells; `confidence` a reading's confidence per cell (OCR);
    `lines` the source line or row of each grid row (an Excel row number), `pages` its page; `tops`
    where each row begins on its page and `top`/`bottom` where the grid lies (as `Line.top`); `boxes`
    each row's box on its page, where measured."""

    texts: tuple[tuple[str, ...], ...]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    confidence: tuple[tuple[float, ...], ...] = ()
    lines: tuple[int | None, ...] = ()
    pages: tuple[int | None, ...] = ()
    tops: tuple[float, ...] = ()
    top: float = 0.0
    bottom: float = 0.0
    boxes: tuple[Box | None, ...] = ()

    def span(self, r: int, c: int) -> tuple[int, int]:
        return self.spans.get((r, c), (1, 1))


def box_of(words: Iterable[Mapping[str, float]], size: tuple[float, float] | None) -> Box | None:
    """The box around positioned words (dicts with x0, x1, top, bottom in points) as fractions of a page
    of `size` (width, height in points); None without a size or words."""
    words = list(words)
    if size is None or not words:
        return None
    width, height = size
    return (min(w["x0"] for w in words) / width, min(w["top"] for w in words) / height,
            max(w["x1"] for w in words) / width, max(w["bottom"] for w in words) / height)


def union(boxes: Iterable[Box | None]) -> Box | None:
    """The box around boxes (a row printed over several lines); None where none is known."""
    known = [b for b in boxes if b is not None]
    if not known:
        return None
    return (min(b[0] for b in known), min(b[1] for b in known), max(b[2] for b in known), max(b[3] for b in known))


@dataclass(frozen=True, slots=True)
class Page:
    """One page as the finders see it: its lines (top to bottom) and its ruled grids; a Word or Excel
    file is one page without a number."""

    number: int | None
    lines: tuple[Line, ...]
    grids: tuple[Grid, ...] = ()
