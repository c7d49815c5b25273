"""Ruled tables: grids of cells with explicit spans → RawTables.

A grid comes from a PDF's ruling lines (the cell boxes extract/rulings.py finds), from the lines OpenCV finds
on a scan, or from the cells a Word or Excel file states; all give the same HeaderCell spans. A grid
may hold rows that are no table (a sheet's title and caption rows, the layout table that holds a
report's issuer block and motto) and more than one table: a table starts at its "STT" row (or at the
merged header cells over it) and has at least one body row; a grid without one whose first row is a
body row is a table going on from the page before (its header not repeated), and one whose first row
heads three or more columns over body rows is a table whose serial column is not headed "STT".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from phuluc.extract.page import Grid
from phuluc.extract.tables import ROMAN, SERIAL, TABLE_END, TOTAL, is_numbering, is_section, title_above
from phuluc.model import HeaderCell, RawRow, RawTable
from phuluc.settings import Settings
from phuluc.vi.numbers import is_number
from phuluc.vi.text import clean

_ANCHOR = re.compile(r"^(?:số\s*)?s?tt\.?$", re.IGNORECASE)  # the whole cell: "STT", "TT", "Số TT", "ST T"
_LETTER = re.compile(r"^[A-Za-zĐđ]$")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class GridRegion:
    """A grid and the text lines printed above it since the last table (where its title is)."""

    grid: Grid
    above: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    """Where a table lies in its grid: header top row, first body row, end row, left and right column."""

    top: int
    start: int
    end: int
    left: int
    right: int


def read(region: GridRegion, settings: Settings) -> list[RawTable]:
    """The tables of a grid, each titled from the text above it (in the grid or before it)."""
    grid, out = region.grid, []
    since = list(region.above)
    done = 0
    for seg in segments(grid):
        since += [line for r in range(done, seg.top) for line in row_lines(grid, r)]
        out.append(_table(grid, seg, title_above(reversed(since))))
        since, done = [], seg.end
    return out


def leftover(grid: Grid) -> list[int]:
    """The rows of a grid that belong to no table: body text."""
    inside = {r for seg in segments(grid) for r in range(seg.top, seg.end)}
    return [r for r in range(len(grid.texts)) if r not in inside]


def row_lines(grid: Grid, r: int) -> list[str]:
    """The text lines of a grid row: each cell's lines (a cell may hold line breaks)."""
    return [clean(line) for t in grid.texts[r] for line in t.split("\n") if clean(line)]


def row(grid: Grid, r: int, left: int = 0, right: int | None = None) -> list[str]:
    """Row `r` as cleaned cell strings of columns [left, right)."""
    return [clean(t) for t in grid.texts[r][left:right]]


def segments(grid: Grid) -> list[Segment]:
    """The tables of a grid: each from its "STT" row (or the merged cells over it) to its last body
    row; a grid without one may still hold a table (see _unanchored)."""
    anchors = [r for r in range(len(grid.texts)) if _is_anchor(row(grid, r))]
    if not anchors:
        return _unanchored(grid)
    tops = [_header_top(grid, a, anchors[k - 1] + 1 if k else 0) for k, a in enumerate(anchors)]
    out: list[Segment] = []
    for k, anchor in enumerate(anchors):
        stop = tops[k + 1] if k + 1 < len(anchors) else len(grid.texts)
        left = next(c for c, t in enumerate(row(grid, anchor)) if t)
        start = anchor + 1
        while start < stop and not body_row(row(grid, start, left)):
            start += 1
        end = _end(grid, start, stop, left)
        if start < end:
            out.append(Segment(tops[k], start, end, left, _right(grid, tops[k], end)))
    return out


def _unanchored(grid: Grid) -> list[Segment]:
    """A grid with no "STT" heading: a table going on from the page before (its first row a body
    row), or one whose first row heads its columns (down over the rows its cells span, a column
    numbering below) over body rows."""
    if not grid.texts:
        return []
    start = 0
    if not body_row(row(grid, 0)):
        first = [c for c, t in enumerate(row(grid, 0)) if t]
        if len(first) < 3:
            return []
        start = max(grid.span(0, c)[0] for c in first)
        while start < len(grid.texts) and _numbering(row(grid, start)):
            start += 1
        if start >= len(grid.texts) or not body_row(row(grid, start)):
            return []
    end = _end(grid, start, len(grid.texts), 0)
    return [Segment(0, start, end, 0, _right(grid, 0, end))]


def _end(grid: Grid, start: int, stop: int, left: int) -> int:
    end = start
    while end < stop and (body_row(row(grid, end, left)) or not _ends(grid, end)):
        end += 1
    return end


def _right(grid: Grid, top: int, end: int) -> int:
    return max(c + grid.span(r, c)[1] for r in range(top, end) for c, t in enumerate(grid.texts[r]) if clean(t))


def _header_top(grid: Grid, anchor: int, floor: int) -> int:
    """The first header row: the "STT" row, or a row above it whose merged cells reach down over it."""
    top = anchor
    while top > floor and any(r == top - 1 and r + rs > anchor for (r, _c), (rs, _cs) in grid.spans.items()):
        top -= 1
    return top


def _ends(grid: Grid, r: int) -> bool:
    """Whether a row that is no body row ends the table: a note, signature or caption, or any text
    after a blank row."""
    text = " ".join(t for t in row(grid, r) if t)
    return bool(TABLE_END.search(text)) or (r > 0 and not any(row(grid, r - 1)) and bool(text))


def _is_anchor(cells: Sequence[str]) -> bool:
    """The header row that opens a table: its first filled cell is "STT" (a narrow cell may wrap it to
    "ST T") and it heads other columns."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and bool(_ANCHOR.match(filled[0].replace(" ", "")))


def body_row(cells: Sequence[str]) -> bool:
    """A row of the body: a serial number ("1", "II") beside other cells, a section title ("I. CÁC
    CƠ QUAN …", "UBND CÁC XÃ"), a total row, or mostly figures; a column-numbering row "(1) (2)
    (3)=(2)/(1)" or "1 2 3 …" (beside "A", "B") is part of the header."""
    filled = [c for c in cells if c]
    if not filled or _numbering(filled):
        return False
    if (SERIAL.match(cells[0]) or ROMAN.match(cells[0])) and len(filled) > 1:
        return True
    if len(filled) <= 2 and (is_section(" ".join(filled)) or is_section(filled[-1])):  # "A", "B" or a misread "II"
        return True
    figures = sum(1 for c in filled if is_number(c))
    return bool(TOTAL.match(filled[0])) and figures > 0 or figures > len(filled) / 2


def _numbering(cells: Sequence[str]) -> bool:
    """A column-numbering row, its letter-numbered columns ("A", "B") aside."""
    return is_numbering([c for c in cells if c and not _LETTER.match(c)])


def _table(grid: Grid, seg: Segment, title: str | None) -> RawTable:
    header = tuple(HeaderCell(text=clean(t), row=r - seg.top, col=c - seg.left,
                              rowspan=min(grid.span(r, c)[0], seg.start - r), colspan=min(grid.span(r, c)[1],
                                                                                         seg.right - c))
                   for r in range(seg.top, seg.start) for c, t in enumerate(grid.texts[r])
                   if seg.left <= c < seg.right and clean(t))
    rows = tuple(RawRow(tuple(row(grid, r, seg.left, seg.right)), _at(grid.pages, r), True, _at(grid.lines, r),
                        tuple(grid.confidence[r][seg.left:seg.right]) if grid.confidence else (), _at(grid.boxes, r))
                 for r in range(seg.start, seg.end) if any(row(grid, r, seg.left, seg.right)))
    pages = tuple(sorted({p for r in range(seg.top, seg.end) if (p := _at(grid.pages, r)) is not None}))
    return RawTable(header=header, rows=rows, ncols=seg.right - seg.left, title=title, pages=pages, finder="ruled")


def _at(values: Sequence[_T | None], r: int) -> _T | None:
    return values[r] if r < len(values) else None
