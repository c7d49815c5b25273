"""Text whose columns were lost (plain PDF-to-text): each cell may sit on its own line, so rows are cut
where a serial number and a name begin and their tokens are kept in reading order. normalize/ places
the figures with the framework: the scores fill the criteria in order, the summary columns come last.
"""

from __future__ import annotations

from typing import Literal

from phuluc.extract.finders.base import Region
from phuluc.extract.tables import ROMAN, SERIAL, TOTAL, TOTAL_NAME, is_section
from phuluc.model import HeaderCell, RawRow, RawTable
from phuluc.settings import Settings
from phuluc.vi import ratings
from phuluc.vi.numbers import is_number
from phuluc.vi.text import clean

RowStart = Literal["row", "section", "total"]


def read(region: Region, settings: Settings) -> list[RawTable]:
    if not region.body:
        return []
    rows: list[list[str]] = []
    meta: list[tuple[int, int]] = []
    expected = 1
    body = region.body
    for i, ln in enumerate(body):
        words = ln.text.split()
        starts = _start(words, body[i + 1].text.split() if i + 1 < len(body) else [], expected)
        if starts == "row":
            rows.append([words[0].rstrip("."), ""])
            meta.append((ln.page, ln.no))
            expected = int(words[0].rstrip(".")) + 1
            words = words[1:]
        elif starts == "section":
            rows.append([words[0], " ".join(words[1:])] if ROMAN.match(words[0]) else ["", " ".join(words)])
            meta.append((ln.page, ln.no))
            expected = 1
            continue
        elif starts == "total" or not rows:
            rows.append(["", ""])
            meta.append((ln.page, ln.no))
        for w in words:
            _token(rows[-1], w)
    header = tuple(HeaderCell(text=clean(ln.text), row=0, col=j) for j, ln in enumerate(region.header))
    out = tuple(RawRow(tuple(clean(c) for c in r), page, False, no) for r, (page, no) in zip(rows, meta)
                if r[0] or TOTAL_NAME.match(r[1]) or len(r) == 2)
    return [RawTable(header=header, rows=out, ncols=max((len(r.cells) for r in out), default=0), title=region.title,
                     pages=tuple(sorted({r.page for r in out if r.page is not None})), finder="stream")]


def _start(words: list[str], following: list[str], expected: int) -> RowStart | None:
    if not words:
        return None
    head = words[0].rstrip(".")
    if SERIAL.match(words[0]) and (expected == 1 or int(head) in (expected, 1)):
        nxt = words[1] if len(words) > 1 else (following[0] if following else "")
        if nxt and not is_number(nxt) and not nxt.startswith("("):
            return "row"
    line = " ".join(words)
    if is_section(line):
        return "section"
    total = TOTAL.match(line)
    if total and all(is_number(w) for w in line[total.end():].split()):
        return "total"
    return None


def _token(row: list[str], token: str) -> None:
    """Add one printed token to a stream row: name words until the first figure, then figures, then
    the rating words (kept together as the last cell); the row is complete once rated."""
    figures = len(row) > 2
    rated = figures and not is_number(row[-1])
    if is_number(token) and not rated:
        row.append(token)
    elif not figures:
        row[1] = f"{row[1]} {token}".strip()
    elif ratings.all_rating_words(token) and (not rated or ratings.all_rating_words(f"{row[-1]} {token}")):
        if rated:
            row[-1] = f"{row[-1]} {token}"
        else:
            row.append(token)
    # anything else after the figures is a heading repeated on a new page: not part of the row
