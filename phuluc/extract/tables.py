"""One header model for every format: merged header cells → columns (group, label).

Appendix tables print a three-level header: "ĐIỂM CÁC CHỈ SỐ" over the groups ("Nhóm công khai, minh
bạch"), each group over its criteria ("Chỉ số 1 (5đ)"), and cells such as "STT" or "TỔNG ĐIỂM QUY ĐỔI"
merged down through all levels. DOCX and XLSX state their merges; plain text prints a merged cell once
and leaves the cells it covers empty, so `header_from_grid` infers the spans. `columns` then reads,
for each column, the header texts over it from top to bottom.

The conventions every reader shares live here too: what a section row, a column-numbering row, a total
row and a serial number look like, where a table ends, and its title above it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from phuluc.model import HeaderCell, RawRow
from phuluc.vi.text import clean


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


# ---------------------------------------------------------------- rows and titles of appendix tables

ROMAN = re.compile(r"^[IVX]{1,5}\.?$")
SERIAL = re.compile(r"^\d{1,3}\.?$")
# A section heads a group of units: "CÁC CƠ QUAN …", "UBND CÁC XÃ", "Ủy ban nhân dân cấp xã", "KHỐI …",
# "SỞ, BAN, NGÀNH" — never one unit's name ("UBND PHƯỜNG PHƯỚC" wrapped over two lines).
_GROUP = re.compile(r"^(?:(?:UBND|[ỦU][ỶY] BAN NHÂN DÂN)\s+)?(?:CÁC|CẤP|KHỐI)\b|^(?:SỞ|BAN|CƠ QUAN),"
                    r"|^(?:(?:UBND|[ỦU][ỷy] ban nhân dân)\s+)?(?:[Cc]ác|[Cc]ấp|[Kk]hối)\b", re.IGNORECASE)
TOTAL_NAME = re.compile(r"^(?:tổng\s*(?:số|cộng)?|cộng)$", re.IGNORECASE)
TOTAL = re.compile(r"^(?:tổng\s*(?:số|cộng)?|cộng)\b", re.IGNORECASE)
TABLE_END = re.compile(r"^\s*(?:lưu ý|ghi chú\s*:|người lập|người tổng hợp|tm\.|kt\.|nơi nhận|\(kèm theo"
                       r"|biểu số|phụ lục|[ủu][ỷy] ban nhân dân\b)|\bbiểu số\s*\d", re.IGNORECASE)
CAPTION = re.compile(r"^\s*\(?\s*kèm theo", re.IGNORECASE)
MARKER = re.compile(r"(phụ lục(?:\s+[\dIVX]+)?|biểu số\s*\d+\w*)", re.IGNORECASE)
_ISSUER_BLOCK = re.compile(r"^(?:[ỦU][ỶY] BAN NHÂN DÂN|UBND|HUYỆN|TỈNH|XÃ|THỊ XÃ|THÀNH PHỐ|QUẬN|PHƯỜNG|THỊ TRẤN)"
                           r"\b.{0,30}$")


def is_numbering(cells: Sequence[str]) -> bool:
    """The row that numbers the columns: "(1) (2) (3)=(2)/(1) …" or "1 2 3 4 5 …"."""
    cells = [c.strip() for c in cells if c.strip()]
    if len(cells) < 4:
        return False
    if all(re.match(r"^\(\d+\)", c) for c in cells):
        return True
    return all(c.isdigit() for c in cells) and [int(c) for c in cells] == list(range(int(cells[0]),
                                                                                   int(cells[0]) + len(cells)))


def is_section(text: str) -> bool:
    """A section row: "I. CÁC CƠ QUAN…", "II UBND cấp xã", "UBND CÁC XÃ", "Các xã, thị trấn"; a roman
    number before a heading ("III HUYỆN CAM LÂM"), or a heading that names a group of units."""
    text = text.strip()
    if not text or any(c.isdigit() for c in text):
        return False
    words = text.split()
    if ROMAN.match(words[0]) and len(words) > 1:
        return True
    return bool(_GROUP.match(text))


def serial(rows: tuple[RawRow, ...], end: int) -> int:
    """The serial number of the first (end=0) or last (end=-1) numbered row; -2 when none."""
    numbered = [int(r.cells[0]) for r in rows if r.cells and r.cells[0].isdigit()]
    return numbered[end] if numbered else -2


def title_above(above: Iterable[str]) -> str | None:
    """"Phụ lục" / "Biểu số NN" and the upper-case title lines under it, from the lines above a table
    header, nearest first; the caption and the issuer block beside the marker are passed over. Only
    the nearest eight printed lines are read, however long the text above (a table repeated
    thousands of times stays linear)."""
    parts: list[str] = []
    for text in itertools.islice(filter(None, map(clean, above)), 8):
        marker = MARKER.search(text)
        if marker:
            return clean(" ".join([marker.group(1), *parts]))
        if CAPTION.match(text) or _ISSUER_BLOCK.match(text):
            continue
        if text.upper() != text or len(text) < 12:
            break
        parts.insert(0, text)
    return None
