"""One header model for every format: merged header cells → columns (group, label).

Appendix tables print a three-level header: "ĐIỂM CÁC CHỈ SỐ" over the groups ("Nhóm công khai, minh
bạch"), each group over its criteria ("Chỉ số 1 (5đ)"), and cells such as "STT" or "TỔNG ĐIỂM QUY ĐỔI"
merged down through all levels. DOCX and XLSX state their merges; plain text prints a merged cell once
and leaves the cells it covers empty, so `header_from_grid` infers the spans. `columns` then reads,
for each column, the header texts over it from top to bottom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from phuluc.model import HeaderCell
from phuluc.normalize.text import clean


@dataclass(frozen=True, slots=True)
class Column:
    """The header over one column: `label` is its own heading ("" when it has none of its own)."""

    label: str
    group: str | None
    path: tuple[str, ...]  # every header text over the column, top to bottom


def header_from_grid(grid: Sequence[Sequence[str]]) -> tuple[HeaderCell, ...]:
    """Infer merged cells of a header printed as a grid of strings ("" where a merged cell extends).

    A cell extends right over empty cells while it has headings of its own below there, and never past
    the cell above it; a cell with nothing below it extends down to the last header row.
    """
    rows = [[clean(c) for c in r] for r in grid]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    cells: list[HeaderCell] = []
    limits = [width] * width  # per column: where the covering cell one row up ends
    for r, row in enumerate(rows):
        below = rows[r + 1] if r + 1 < len(rows) else None
        next_limits = list(limits)
        for c, text in enumerate(row):
            if not text:
                continue
            end = c + 1
            if below is not None:
                while end < limits[c] and not row[end]:
                    end += 1
                if not any(below[c:end]):
                    end = c + 1  # nothing headed below: a single column merged down
            down = r + 1
            while down < len(rows) and not any(rows[down][c:end]):
                down += 1
            cells.append(HeaderCell(text=text, row=r, col=c, rowspan=down - r, colspan=end - c))
            next_limits[c:end] = [end] * (end - c)
        limits = next_limits
    return tuple(cells)


def columns(header: Sequence[HeaderCell], ncols: int) -> tuple[Column, ...]:
    """The header path over each of `ncols` columns."""
    out = []
    for col in range(ncols):
        over = sorted((h for h in header if h.col <= col < h.col + h.colspan), key=lambda h: h.row)
        path = tuple(h.text for h in over if h.text)
        leaf = over[-1] if over else None
        if leaf is None:
            out.append(Column("", None, ()))
        elif leaf.colspan == 1:
            parent = next((h.text for h in reversed(over[:-1]) if h.colspan > 1), None)
            out.append(Column(leaf.text, parent, path))
        else:
            out.append(Column("", leaf.text, path))
    return tuple(out)
