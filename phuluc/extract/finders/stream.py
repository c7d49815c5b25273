"""Text whose columns were lost (plain PDF-to-text): each cell may sit on its own line, so rows are cut
where a serial number and a unit's name begin, and each row keeps what it prints in reading order: the
serial, the name, then every figure (a ranking's signed change too: "+2,5", "▲ 2") as a cell and every
run of words after the figures (a rating, a note) as one cell. normalize/stream.py places the cells
with the framework and the header.

A header broken word by word has lines that look like a row ("Tiêu chí" / "1" / "Tiêu chí 2"), and a
row's cells may put a figure at the start of a line before words ("10" / "Xuất sắc", a rank then a
note). A row therefore begins only where a serial is followed by a name — not a figure, a header label
or a rating — and the row prints a figure before the next one begins; the lines before the first row
(and the sections over it) are header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from phuluc.extract.finders.base import Region
from phuluc.extract.page import Line, union
from phuluc.extract.tables import ROMAN, SERIAL, TOTAL, TOTAL_NAME, is_section
from phuluc.model import HeaderCell, RawRow, RawTable
from phuluc.settings import Settings
from phuluc.vi import ratings
from phuluc.vi.numbers import ARROWS, is_figure, is_number
from phuluc.vi.text import clean

RowStart = Literal["row", "section", "total"]
_LABEL = re.compile(r"^(?:\(|(?:tiêu chí|chỉ số)(?!\w))", re.IGNORECASE)  # a header label's opening
_DASH = {"-", "–", "—"}
_LOOK = 3  # words (and lines) looked at below a serial printed alone


def read(region: Region, settings: Settings) -> list[RawTable]:
    """The region's table: its rows from the first that begins, the lines above them as header."""
    lines = [ln for ln in region.body if not ln.blank]
    first = _first_row(lines)
    rows = _rows(lines[first:])
    if not rows:
        return []
    header = tuple(HeaderCell(text=clean(ln.text), row=0, col=j)
                   for j, ln in enumerate([*region.header, *lines[:first]]))
    return [RawTable(header=header, rows=rows, ncols=max(len(r.cells) for r in rows), title=region.title,
                     pages=tuple(sorted({r.page for r in rows if r.page is not None})), finder="stream")]


def _first_row(lines: Sequence[Line]) -> int:
    """Where the body begins: at the first row, or at the sections right over it; a region may have
    taken a header label broken over lines for its first row."""
    first = next((i for i in range(len(lines)) if _start(lines, i, 1) == "row"), len(lines))
    while first > 0 and _start(lines, first - 1, 1) == "section":
        first -= 1
    return first


def _rows(lines: Sequence[Line]) -> tuple[RawRow, ...]:
    """The body's rows: each opening line and the lines up to the next opening one."""
    rows: list[list[Line]] = []  # each row's lines, its opening line first
    expected = 1
    for i, ln in enumerate(lines):
        starts = _start(lines, i, expected)
        if starts == "total" and rows and _unfigured(_words(rows[-1])):
            starts = None  # "Tổng" under "UBND xã Tà": the name above goes on
        if starts is not None or not rows:
            rows.append([])
        if starts == "row":
            expected = int(ln.text.split()[0].rstrip(".")) + 1
        elif starts == "section":
            expected = 1
        rows[-1].append(ln)
    return tuple(RawRow(cells, row[0].page, False, row[0].no, bbox=union(ln.box for ln in row))
                 for row in rows if (cells := _cells(_words(row))) is not None)


def _words(row: Sequence[Line]) -> list[str]:
    return [word for ln in row for word in ln.text.split()]


def _start(lines: Sequence[Line], i: int, expected: int) -> RowStart | None:
    """What `lines[i]` opens: a row (its serial is the next one, or 1), a section, a total row."""
    words = lines[i].text.split()
    head = words[0].rstrip(".")
    if SERIAL.match(words[0]) and (expected == 1 or int(head) in (expected, 1)) \
            and _named(_after(lines, i)) and _prints_figure(lines, i):
        return "row"
    line = " ".join(words)
    if is_section(line):
        return "section"
    total = TOTAL.match(line)
    if total and all(is_number(w) for w in line[total.end():].split()):
        return "total"
    return None


def _after(lines: Sequence[Line], i: int) -> str:
    """The words after the serial that opens `lines[i]`: the rest of its line, else the first words
    of the lines below (a label broken "1" / "Tiêu" / "chí 2")."""
    rest = lines[i].text.split()[1:]
    if rest:
        return " ".join(rest)
    below = [w for ln in lines[i + 1:i + 1 + _LOOK] for w in ln.text.split()]
    return " ".join(below[:_LOOK])


def _named(text: str) -> bool:
    """Whether the text after a serial opens a unit's name: not a figure, a header label ("Tiêu chí 2",
    "(5đ)") or a rating (a figure at the start of a line, then the rating of the row being read)."""
    words = text.split()
    return bool(words) and not is_number(words[0]) and not _LABEL.match(text) \
        and not any(ratings.canonical(" ".join(words[:k])) for k in range(1, len(words) + 1))


def _prints_figure(lines: Sequence[Line], i: int) -> bool:
    """Whether the row a serial opens at `lines[i]` prints a figure before a line opens another row: a
    serial with words and no figure after them is a cell of the row above (a rank, then a note)."""
    for k in range(i, len(lines)):
        words = lines[k].text.split()
        if k > i and SERIAL.match(words[0]) and _named(_after(lines, k)):
            return False
        if any(_figure(w) for w in words[1 if k == i else 0:]):
            return True
    return False


def _unfigured(words: Sequence[str]) -> bool:
    """A numbered row that has printed no figure yet: a line under it still goes on its name."""
    return bool(SERIAL.match(words[0])) and not any(_figure(w) for w in words[1:])


def _figure(word: str) -> bool:
    """A printed figure, not the dash of a blank cell (which a name may hold too)."""
    return is_number(word) and any(c.isdigit() for c in word)


def _cells(words: Sequence[str]) -> tuple[str, ...] | None:
    """A row's cells: serial, name, then its figures and runs of words; a section is (numeral, heading);
    None for words before the first row."""
    if not words:
        return None
    head = words[0].rstrip(".")
    if is_section(" ".join(words)):
        return (head, clean(" ".join(words[1:]))) if ROMAN.match(words[0]) else ("", clean(" ".join(words)))
    numbered = bool(SERIAL.match(words[0]))
    name, cells = _split(words[1:] if numbered else words)
    if not numbered and not TOTAL_NAME.match(name):
        return None
    return (head if numbered else "", name, *cells)


def _split(words: Sequence[str]) -> tuple[str, list[str]]:
    """The name (the words before the first figure; a dash between words is the name's, as in "Sở Lao
    động - Thương binh và Xã hội") and the cells after it."""
    k = 0
    while k < len(words) and not (is_number(words[k]) and not _dash_in_name(words, k)):
        k += 1
    cells: list[str] = []
    for word in words[k:]:
        if cells and cells[-1] in ARROWS and is_number(word):
            cells[-1] = f"{cells[-1]} {word}"  # "▲ 2": a ranking's change, one cell
        elif _own_cell(word) or not cells or _own_cell(cells[-1]):
            cells.append(word)
        else:
            cells[-1] = f"{cells[-1]} {word}"
    return clean(" ".join(words[:k])), cells


def _own_cell(word: str) -> bool:
    """A word that is a cell of its own, never the end of a run of words: a figure, a change, an arrow."""
    return is_figure(word) or word in ARROWS


def _dash_in_name(words: Sequence[str], k: int) -> bool:
    """Whether `words[k]` is a dash between two words of a name, not a first blank cell."""
    return words[k] in _DASH and 0 < k < len(words) - 1 and not is_number(words[k + 1])
