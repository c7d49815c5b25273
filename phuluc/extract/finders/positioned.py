"""Tables from positioned words: columns found from where the body's cells sit.

Used where a table reaches us as lines of words with horizontal positions and no cell borders: text
from `pdftotext -layout` (positions in characters) and PDF pages without ruling lines (positions in
character widths). Body cells are clustered into columns by horizontal overlap; a header token that
states a maximum ("(5đ)") is a column of its own even where every body cell under it is blank; header
words then go to the column they overlap. Header cells arrive as one text per column: the group rows
above the criteria are split between columns, and normalize/ reads groups from the framework instead.
A line holding only part of a wrapped name joins the row it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from phuluc.extract.finders.base import Region
from phuluc.extract.page import Line, Word
from phuluc.extract.tables import TOTAL, is_section
from phuluc.model import HeaderCell, RawRow, RawTable
from phuluc.settings import Settings
from phuluc.vi import ratings
from phuluc.vi.numbers import is_number
from phuluc.vi.text import clean

_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?$", re.IGNORECASE)


def read(region: Region, settings: Settings) -> list[RawTable]:
    if not region.body:
        return []
    header, rows, ncols = _table(region)
    pages = tuple(sorted({r.page for r in rows if r.page is not None}))
    return [RawTable(header=header, rows=tuple(rows), ncols=ncols, title=region.title, pages=pages,
                     finder="positioned")]


def _table(region: Region) -> tuple[tuple[HeaderCell, ...], list[RawRow], int]:
    header = [list(ln.words) for ln in region.header]
    stt_x = _stt_x(region.header)
    data, fragments = [], []
    for ln in region.body:
        words = list(ln.words)
        if len(words) == 1 and words[0].x0 > stt_x + 4 and _PAGE_NUMBER.match(ln.text.strip()):
            continue  # a page number between two parts of the table
        (fragments if _fragment(ln, stt_x) else data).append(words)
    g = grid(header, data, gap=2)
    name_col = _name_column(g.rows)
    rows = [list(r) for r in g.rows]
    named = [bool(r[name_col]) for r in rows]
    page_of = {ln.no: ln.page for ln in region.body}
    name_end = g.spans[name_col + 1][0] if name_col + 1 < len(g.spans) else float("inf")
    for frag in fragments:  # a wrapped name starts in the name column, on the page of its row
        if frag[0].x0 < name_end:
            same_page = [k for k, no in enumerate(g.lines) if page_of[no] == frag[0].page]
            _attach(rows, named, g.lines, frag, name_col, same_page)
    raw = [RawRow(tuple(clean(c) for c in r), page_of[no], True, no) for r, no in zip(rows, g.lines)]
    cells = tuple(HeaderCell(text=clean(t), row=0, col=j) for j, t in enumerate(g.header) if t)
    return cells, raw, len(g.header)


def _stt_x(header: Sequence[Line]) -> float:
    """Where the serial-number column starts: the header's leftmost word."""
    return min((ln.indent for ln in header if ln.words), default=0.0)


def _fragment(line: Line, stt_x: float) -> bool:
    """A line holding only part of a wrapped name: text, no figures, away from the STT column."""
    text = line.text.strip()
    x = line.indent
    return (not any(is_number(w) for w in text.split()) and x > stt_x + 2
            and not is_section(text) and not TOTAL.match(text))


def _name_column(rows: tuple[tuple[str, ...], ...]) -> int:
    """The leftmost column that holds words in most rows: the unit names."""
    counts = [sum(1 for r in rows if r[j] and not is_number(r[j]) and not ratings.all_rating_words(r[j]))
              for j in range(len(rows[0]))] if rows else [0]
    best = max(counts)
    return next(j for j, n in enumerate(counts) if n >= best * 0.5) if best else 1


def _attach(rows: list[list[str]], named: list[bool], lines: tuple[int, ...], frag: list[Word],
            col: int, candidates: list[int]) -> None:
    """Give a wrapped-name fragment to the row it belongs to.

    Rows whose number line carries its name take the fragments below them (text wrapped down); rows
    printed with an empty name (number line centred on a wrapped name) take the fragments around them.
    """
    no = frag[0].line
    text = " ".join(w.text for w in frag)
    above = max((i for i in candidates if lines[i] < no), default=None)
    below = min((i for i in candidates if lines[i] > no), default=None)
    if below is not None and (above is None or named[above] and not named[below]):
        target, before = below, True
    elif above is not None and below is not None and not named[above] and not named[below]:
        target = above if no <= (lines[above] + lines[below]) / 2 else below
        before = target == below
    elif above is not None:
        target, before = above, False
    else:
        return
    cur = rows[target][col]
    rows[target][col] = f"{text} {cur}".strip() if before else f"{cur} {text}".strip()



_MAX_TOKEN = re.compile(r"^\(?\d+(?:[.,]\d+)?\s*đ\)?$")
_UNIT_WORDS = {"phường", "quận", "xã", "huyện", "khu", "tổ", "bản", "thôn"}


@dataclass(frozen=True, slots=True)
class Grid:
    """A positioned table turned into strings: one header text per column, body rows of cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]  # the visual line of each body row
    spans: tuple[tuple[float, float], ...]  # where each column lies


def _numeric(text: str) -> bool:
    return text != "" and is_number(text)


def body_cells(words: Sequence[Word], gap: float) -> list[Word]:
    """Join the words of one body line into cells: text words closer than `gap` form one cell;
    every number (and "-") is a cell of its own, except a number naming a unit ("Phường 1")."""
    cells: list[Word] = []
    for w in words:
        prev = cells[-1] if cells else None
        joins = (prev is not None and w.joined
                 and (not _numeric(w.text) or prev.text.split()[-1].casefold() in _UNIT_WORDS)
                 and not _numeric(prev.text))
        if joins:
            cells[-1] = Word(f"{prev.text} {w.text}", prev.x0, w.x1, w.line, w.page)
        else:
            cells.append(w)
    return cells


def _clusters(spans: list[tuple[float, float]], slack: float) -> list[list[float]]:
    """Merge overlapping spans (closer than `slack`) into column extents [x0, x1]."""
    out: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1] + slack:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return out


def _nearest(cols: Sequence[Sequence[float]], x0: float, x1: float) -> int:
    """The column a span belongs to: the one it overlaps most, else the closest (right on a tie)."""
    def score(i: int) -> tuple[float, float]:
        c0, c1 = cols[i]
        overlap = min(x1, c1) - max(x0, c0)
        distance = max(c0 - x1, x0 - c1, 0.0)
        return (overlap if overlap > 0 else 0.0, -distance + i * 1e-6)
    return max(range(len(cols)), key=score)


def _align(anchors: Sequence[Word], cols: Sequence[Sequence[float]], gap: float) -> dict[int, int]:
    """Pair header maximum tokens with body columns, left to right, following the drift.

    `pdftotext -layout` places a header line and the body lines independently, so across a wide table
    the header may drift several characters off its columns; from one column to the next the offset
    changes little. Each token is paired with the next unused column near where the previous pair's
    offset predicts it; a token with none there heads a column whose body is all blank."""
    pairs: dict[int, int] = {}
    drift, after = 0.0, -1
    for i, a in enumerate(anchors):
        centre = (a.x0 + a.x1) / 2 + drift
        near = [(abs((c0 + c1) / 2 - centre), j) for j, (c0, c1) in enumerate(cols) if j > after]
        dist, j = min(near, default=(float("inf"), -1))
        if dist <= 1.5 * gap:
            pairs[i] = j
            drift = (cols[j][0] + cols[j][1] - a.x0 - a.x1) / 2
            after = j
    return pairs


def _shaping(rows: list[list[Word]]) -> list[list[Word]]:
    """The rows that shape the columns: those with figures (a section title across the table would
    join every column)."""
    return [row for row in rows if sum(_numeric(c.text) for c in row) >= 2] or rows


def _align_pages(rows: list[list[Word]], gap: float) -> list[list[Word]]:
    """Move the rows of later pages onto the columns of the first.

    Each page of `pdftotext -layout` is laid out on its own, so a table running on without its header
    may sit a few characters off, and not by the same amount in every column. Where a page has as many
    columns as the first, column k moves onto column k; otherwise the figures move by the one shift
    that puts most of them inside the first page's columns."""
    pages = sorted({r[0].page for r in rows if r}, key=lambda p: (p is None, p))
    if len(pages) < 2:
        return rows
    by_page = {p: [r for r in rows if r and r[0].page == p] for p in pages}
    ref = _clusters([(c.x0, c.x1) for r in _shaping(by_page[pages[0]]) for c in r], slack=0.0)
    moves: dict[int | None, Callable[[Word], float]] = {pages[0]: lambda w: 0.0}
    for page in pages[1:]:
        cols = _clusters([(c.x0, c.x1) for r in _shaping(by_page[page]) for c in r], slack=0.0)
        if len(cols) == len(ref):
            moves[page] = lambda w, cols=cols: ref[_nearest(cols, w.x0, w.x1)][0] - cols[_nearest(cols, w.x0, w.x1)][0]
            continue

        def fit(dx: float, page_rows: list[list[Word]] = by_page[page]) -> int:
            return sum(1 for r in page_rows for c in r if _numeric(c.text)
                       and any(c0 - gap / 2 <= (c.x0 + c.x1) / 2 + dx <= c1 + gap / 2 for c0, c1 in ref))
        dx = max((k * gap / 2 for k in range(-16, 17)), key=lambda d: (fit(d), -abs(d)))
        moves[page] = lambda w, dx=dx: dx if _numeric(w.text) else 0.0
    return [[Word(w.text, w.x0 + (d := moves[w.page](w)), w.x1 + d, w.line, w.page) for w in r] for r in rows]


def _no_drift(x: float) -> float:
    return 0.0


def _drift(points: list[tuple[float, float]], end: float) -> Callable[[float], float]:
    """How far the criteria headings sit off the body at `x`: interpolated between the paired tokens;
    the headings right of the last token (totals, rating) are placed on their own and do not drift."""
    if not points:
        return _no_drift

    def at(x: float) -> float:
        if x > end:
            return 0.0
        if x <= points[0][0]:
            return points[0][1]
        for (x0, d0), (x1, d1) in zip(points, points[1:]):
            if x <= x1:
                return d0 + (d1 - d0) * (x - x0) / (x1 - x0) if x1 > x0 else d1
        return points[-1][1]
    return at


def grid(header: Sequence[Sequence[Word]], body: Sequence[Sequence[Word]], *, gap: float) -> Grid:
    """Columns from the body's cells and the header's maximum tokens; cells and header words placed."""
    rows = _align_pages([body_cells(line, gap) for line in body if line], gap)
    cols = _clusters([(c.x0, c.x1) for row in _shaping(rows) for c in row], slack=0.0)
    anchors = sorted((w for line in header for w in line if _MAX_TOKEN.match(w.text)), key=lambda w: w.x0)
    shift = _no_drift
    if anchors:
        pairs = _align(anchors, cols, gap)
        shift = _drift([((a.x0 + a.x1) / 2, (cols[j][0] + cols[j][1] - a.x0 - a.x1) / 2)
                        for i, a in enumerate(anchors) if (j := pairs.get(i)) is not None], anchors[-1].x1)
        cols += [[a.x0 + shift(a.x0), a.x1 + shift(a.x0)] for i, a in enumerate(anchors) if i not in pairs]
        cols.sort()
    body_rows = []
    for row in rows:
        cells = [""] * len(cols)
        for c in row:
            i = _nearest(cols, c.x0, c.x1)
            cells[i] = f"{cells[i]} {c.text}".strip()
        body_rows.append(tuple(cells))
    head = [""] * len(cols)
    for line in header:
        for w in line:
            d = shift((w.x0 + w.x1) / 2)
            i = _nearest(cols, w.x0 + d, w.x1 + d)
            head[i] = f"{head[i]} {w.text}".strip()
    return Grid(tuple(head), tuple(body_rows), tuple(row[0].line for row in rows),
                tuple((c0, c1) for c0, c1 in cols))
