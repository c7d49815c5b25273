"""Tables from positioned words: columns found from where the body's cells sit.

Used where a table reaches us as lines of words with horizontal positions and no cell borders: text
from `pdftotext -layout` (positions in characters) and PDF pages without ruling lines (positions in
character widths). A body line is a row when it prints figures; a line of words only is a section
title, or a piece of a cell wrapped over lines (a long name, "Trung / bình"), which joins the row and
column it belongs to. The serial number and the name open each row; the other cells are clustered
into columns by where their centres sit, so a long name touching the first score or a serial one
space before its name never merges two columns. The header's anchors — the maxima "(5đ)", the column
numbering "(1) (2) …" — are aligned with the body's columns all at once (a monotone assignment under a
fitted drift: `pdftotext` places header and body lines independently, so headings sit several
characters off their columns and drift across the page); an anchor over a column with no figure at
all is a column of its own. The other header words then go to the column they sit over, drift undone.
Header cells arrive as one text per column; normalize/ reads groups from the framework.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from phuluc.extract.finders.align import SCALES, Map, apply, assign, elastic, fit_affine, near_counts, piecewise
from phuluc.extract.finders.base import Region
from phuluc.extract.page import Line, Word, union
from phuluc.extract.tables import ROMAN, SERIAL, TOTAL, is_section
from phuluc.model import Box, HeaderCell, RawRow, RawTable
from phuluc.settings import Settings
from phuluc.vi import ratings
from phuluc.vi.numbers import ARROWS, NotANumber, is_figure, is_number, parse_number
from phuluc.vi.text import clean, fold

_MAXIMUM = re.compile(r"^\(?\d+(?:[.,]\d+)?\s*đ\)?$")
_NUMBERING = re.compile(r"^\(\d{1,2}\)(?:=\(\d{1,2}\)(?:[+\-/:x×*]\(\d{1,2}\))+)?$")  # "(3)", "(3)=(2)/(1)"
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?$", re.IGNORECASE)
_UNIT_WORDS = {"phường", "quận", "xã", "huyện", "khu", "tổ", "bản", "thôn", "số"}
_DASHES = {"-", "–", "—"}
_NUMERAL = re.compile(r"^\d{1,2}$")
_NAME_START = re.compile(r"^(?:UBND|Ủy|Uỷ|ỦY|UỶ|Xã|XÃ|Phường|PHƯỜNG|Thị|THỊ|Huyện|HUYỆN|Thành|THÀNH|Quận|QUẬN|Sở|SỞ|Ban|"
                         r"BAN|Văn|VĂN|Thanh|THANH|Trung|TRUNG|Bộ|BỘ|Phòng|PHÒNG|Chi|CHI|Đặc|ĐẶC)\b")
_SPLIT = 2.5  # character widths between the centres of neighbouring cells that part two columns
_NEARS = (3.0, 4.5, 6.0)  # an anchor pairs with a body column no further than this, once the drift is
# undone: one reading per tolerance, of which normalize/ keeps the one whose figures hold
_PLACE_NEAR = 4.5  # a row's cell goes to its column by the assignment within this, else to the nearest
_BEND_PRIOR = 0.05  # per character of drift, against an elastic pairing that slides a whole column off
_REACH = 8.0  # character widths a header line may sit further off its columns than the other lines
_PRIORS = (0.0, 0.25)  # readings whose header may drift freely, and one that keeps it over its columns
_MERGES = (3.5, 6.0)  # two clusters of cells of different rows this close are one column: one reading each
_FLUSH = 0.3  # character widths by which one end of a column's figures lines up better than the other
Kind = Literal["row", "text", "section", "skip"]
Flush = Literal["left", "right", "centre", "marks"]
_Item = tuple[float, float, float, int, bool]  # a cell in clustering: centre, x0, x1, its row, a dash


@dataclass
class _Cell:
    """A cell of a line; `joined`: one word space after the cell before it, not a column's gap."""

    text: str
    x0: float
    x1: float
    joined: bool = False

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def figure(self) -> bool:
        return is_figure(self.text)


@dataclass
class _Parsed:
    """A body line cut into its serial, its name and the cells that go to columns."""

    line: Line
    kind: Kind
    serial: str = ""
    name: str = ""
    cells: list[_Cell] = field(default_factory=list)
    numeral: _Cell | None = None  # a number one space after the name: its end ("Phú Hòa 2") or a score
    name_end: float = 0.0  # where the name printed on this line ends


def read(region: Region, settings: Settings) -> list[RawTable]:
    if not region.body:
        return []
    stt_x, name_x = _left_columns(region)
    parsed = _onto_first_page([_parse(ln, stt_x, name_x) for ln in region.body])
    rows = [p for p in parsed if p.kind == "row"]
    if not rows:
        return []
    parsed = _settle_numerals(parsed, _columns(rows, _MERGES[0]))
    rows = [p for p in parsed if p.kind == "row"]
    names_end = min(_columns(rows, _MERGES[0])[0][0], max(p.name_end for p in rows) + 1)
    header, parsed = _first_name_apart(region.header, parsed, stt_x, name_x, names_end)
    region = replace(region, header=header)
    readings: list[RawTable] = []
    for merge in _MERGES:
        columns = _columns(rows, merge)
        anchors = _anchors(region.header, names_end)
        fitting = _fitting(anchors, columns, rows)
        flush = _flush(parsed, columns)
        # where a column of marks sits says little of where its cell is: anchors are aligned with the
        # columns of figures, and `_completed` gives them the rest in order
        figures = [[fits and flush[c] != "marks" for fits, c in zip(row, columns)] for row in fitting]
        pairings = [_align(tuple(anchors), tuple(columns), tuple(map(tuple, figures)), near, prior)
                    for near in _NEARS for prior in _PRIORS]
        pairings = [_completed(paired, fitting) for paired in pairings + [_bend(anchors, columns, figures)]]
        for paired in dict.fromkeys(map(tuple, pairings)):
            reading = _reading(region, parsed, columns, anchors, paired, flush, name_x, names_end)
            if all((reading.header, reading.rows) != (r.header, r.rows) for r in readings):
                readings.append(reading)
    return [replace(readings[0], alternatives=tuple(readings[1:]))]


def _reading(region: Region, parsed: Sequence[_Parsed], columns: Sequence[tuple[float, float]],
             anchors: Sequence[Word], paired: Sequence[int | tuple[float, float]],
             flush: dict[tuple[float, float], Flush], name_x: float, names_end: float) -> RawTable:
    """The table under one pairing of the header's anchors with the body's columns."""
    final = sorted(columns + [v for v in paired if isinstance(v, tuple)])
    heads = [final.index(columns[v] if isinstance(v, int) else v) for v in paired]
    header = _header_texts(region.header, anchors, heads, final, [flush.get(c, "centre") for c in final], name_x,
                           names_end)
    table = _rows(parsed, columns, final)
    cells = tuple(HeaderCell(text=clean(t), row=0, col=j) for j, t in enumerate(header) if t)
    pages = tuple(sorted({r.page for r in table if r.page is not None}))
    return RawTable(header=cells, rows=tuple(table), ncols=len(header), title=region.title, pages=pages,
                    finder="positioned")


# ---------------------------------------------------------------- lines → serial, name, cells


def _left_columns(region: Region) -> tuple[float, float]:
    """Where the serial-number column starts and where the names start: the header's leftmost word,
    and the first word of the body's rows after their serial (the median, names wrap)."""
    stt_x = min((ln.indent for ln in region.header if ln.words), default=0.0)
    starts = []
    for ln in region.body:
        words = ln.words
        if len(words) > 1 and SERIAL.match(words[0].text) and not is_number(words[1].text):
            starts.append(words[1].x0)
    name_x = statistics.median(starts) if starts else stt_x + 3
    return stt_x, name_x


def _cells(words: Sequence[Word]) -> list[_Cell]:
    """The cells of a line: the words of one phrase form one cell; every figure (and "-") is a cell
    of its own, but for a number that is part of a name ("Phường 1", "Khu số 3"), a dash between
    two words of one phrase ("Phòng Tài chính - Kế hoạch") and a change's arrow ("▲ 2")."""
    cells: list[_Cell] = []
    for k, w in enumerate(words):
        prev = cells[-1] if cells else None
        nxt = words[k + 1] if k + 1 < len(words) else None
        figure = is_figure(w.text)
        inner_dash = w.text in _DASHES and nxt is not None and nxt.joined and not is_number(nxt.text)
        joins = prev is not None and w.joined and not prev.figure and (
            not figure or inner_dash or fold(prev.text.split()[-1]) in _UNIT_WORDS or prev.text in ARROWS)
        if joins:
            cells[-1] = _Cell(f"{prev.text} {w.text}", prev.x0, w.x1, prev.joined)
        else:
            cells.append(_Cell(w.text, w.x0, w.x1, w.joined))
    return cells


def _parse(line: Line, stt_x: float, name_x: float) -> _Parsed:
    cells = _cells(line.words)
    if not cells:
        return _Parsed(line, "skip")
    text = " ".join(c.text for c in cells)
    if len(cells) == 1 and cells[0].x0 > name_x + 4 and _PAGE_NUMBER.match(text):
        return _Parsed(line, "skip")  # a page number between two parts of the table
    serial = ""
    first = cells[0]
    if (SERIAL.match(first.text) or ROMAN.match(first.text)) and first.x1 <= name_x + 1 and len(cells) > 1:
        serial, cells = first.text.rstrip("."), cells[1:]
    name, numeral, name_end = "", None, 0.0
    if cells and not cells[0].figure and cells[0].x0 < name_x + 12:
        name, name_end, cells = cells[0].text, cells[0].x1, cells[1:]
        if cells and cells[0].joined and _NUMERAL.match(cells[0].text):
            numeral, cells = cells[0], cells[1:]
    cells = [part for c in cells for part in _rating_apart(c)]
    figures = sum(c.figure for c in cells)
    if figures >= 2 or figures and (serial or TOTAL.match(name)):
        return _Parsed(line, "row", serial, name, cells, numeral, name_end)
    if serial and ROMAN.match(serial) and name:
        return _Parsed(line, "section", serial, name)
    return _Parsed(line, "text", serial, name, cells, name_end=name_end)


def _first_name_apart(header: Sequence[Line], parsed: Sequence[_Parsed], stt_x: float, name_x: float,
                      names_end: float) -> tuple[tuple[Line, ...], list[_Parsed]]:
    """The header without the lines of the first row's wrapped name, which sit above its number line
    and so were taken for header: the first row prints no name of its own, or the end of one (a
    spreadsheet sets a wrapped cell at the foot of its row), and the lines just over it lie within the
    names and open one ("UBND xã" over "Sen Thượng")."""
    first = next((p for p in parsed if p.kind == "row"), None)
    lines, moved = list(header), []
    while first is not None and not _NAME_START.match(first.name) and lines \
            and _name_piece(lines[-1], name_x, names_end):
        moved.insert(0, lines.pop())
    if not moved or not _NAME_START.match(moved[0].text.strip()):
        return tuple(header), list(parsed)
    return tuple(lines), [_parse(ln, stt_x, name_x) for ln in moved] + list(parsed)


def _name_piece(line: Line, name_x: float, names_end: float) -> bool:
    return bool(line.words) and all(name_x - 1 <= w.x0 and w.x1 <= names_end + 1 for w in line.words) and not any(
        _MAXIMUM.match(w.text) or _NUMBERING.match(w.text) for w in line.words)


def _settle_numerals(parsed: Sequence[_Parsed], columns: Sequence[tuple[float, float]]) -> list[_Parsed]:
    """A number printed one space after a name is the name's end ("Phú Hòa 2") unless it stands in a
    column the other rows' figures make: a long name that touches the first score."""
    def settled(p: _Parsed) -> _Parsed:
        n = p.numeral
        if n is None:
            return p
        if any(x0 - 1 <= n.centre <= x1 + 1 for x0, x1 in columns):
            return replace(p, cells=[n, *p.cells], numeral=None)
        return replace(p, name=f"{p.name} {n.text}", numeral=None)
    return [settled(p) for p in parsed]


def _rating_apart(cell: _Cell) -> list[_Cell]:
    """A rating printed one space before the next column's words ("Xuất sắc Chưa số hóa") is a cell
    of its own."""
    if cell.figure:
        return [cell]
    m = ratings.leading(cell.text)
    if m is None or m >= len(cell.text):
        return [cell]
    width = (cell.x1 - cell.x0) / max(len(cell.text), 1)
    cut = cell.x0 + m * width
    return [_Cell(cell.text[:m].strip(), cell.x0, cut, cell.joined), _Cell(cell.text[m:].strip(), cut + width, cell.x1)]


# ---------------------------------------------------------------- columns


def _columns(rows: Sequence[_Parsed], merge: float = _MERGES[0]) -> list[tuple[float, float]]:
    """The columns of the cells after the names, clustered by their centres."""
    return _cluster([c for p in rows for c in p.cells], _row_keys(rows), merge)


def _row_keys(rows: Sequence[_Parsed]) -> list[int]:
    """Each cell's row, in the order of the rows' cells (two cells of one row are never one column)."""
    return [k for k, p in enumerate(rows) for _ in p.cells]


def _cluster(cells: Sequence[_Cell], keys: Sequence[int], merge: float = _MERGES[0]) -> list[tuple[float, float]]:
    """Column spans of cells clustered by their centres (`keys`: each cell's row; `merge`: see _merged)."""
    spans = sorted((c.centre, c.x0, c.x1, k, c.text in _DASHES) for c, k in zip(cells, keys))
    clusters: list[list[_Item]] = []
    for item in spans:
        if clusters and item[0] - clusters[-1][-1][0] <= _SPLIT:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    parts = _dashes_joined([part for cluster in _merged(clusters, merge) for part in _split(cluster)])
    return [(min(i[1] for i in part), max(i[2] for i in part)) for part in parts]


def _dashes_joined(parts: list[list[_Item]]) -> list[list[_Item]]:
    """A column of nothing but "-" is the not-applicable mark of a column beside it, typed as text and so
    set flush left while the figures stand flush right (a spreadsheet): it joins the neighbour — the
    right one first — that no row fills beside it."""
    out = list(parts)
    k = 0
    while k < len(out):
        rows = {i[3] for i in out[k]}
        beside = [j for j in (k + 1, k - 1) if 0 <= j < len(out) and not rows & {i[3] for i in out[j]}]
        if all(i[4] for i in out[k]) and beside:
            j = beside[0]
            out[j] = sorted(out[j] + out[k])
            del out[k]
            k = max(0, min(j, k) - 1)
        else:
            k += 1
    return out


def _merged(clusters: list[list[_Item]], merge: float) -> list[list[_Item]]:
    """Neighbouring clusters no row has cells in both of, whose centres lie within `merge`, are one
    column: `pdftotext` shifts a line without a name by a character or two, and a figure of another
    width by a few."""
    out: list[list[_Item]] = []
    for cluster in clusters:
        if out and _centre(cluster) - _centre(out[-1]) <= merge and not (
                {i[3] for i in cluster} & {i[3] for i in out[-1]}):
            out[-1] = out[-1] + cluster
        else:
            out.append(cluster)
    return out


def _centre(cluster: Sequence[_Item]) -> float:
    return statistics.median(i[0] for i in cluster)


def _split(cluster: list[_Item]) -> list[list[_Item]]:
    """A cluster in which one row has several cells is several columns: cut where the centres part most."""
    per_row = max(sum(1 for i in cluster if i[3] == k) for k in {i[3] for i in cluster})
    if per_row == 1:
        return [cluster]
    gaps = sorted(range(1, len(cluster)), key=lambda g: cluster[g][0] - cluster[g - 1][0], reverse=True)
    cuts = sorted(gaps[:per_row - 1])
    return [cluster[a:b] for a, b in zip([0, *cuts], [*cuts, len(cluster)])]


def _onto_first_page(parsed: Sequence[_Parsed]) -> list[_Parsed]:
    """The lines with the cells of later pages moved onto the first page's columns: `pdftotext
    -layout` lays out every page on its own, shifted, stretched, packed unevenly. A page's columns of
    figures are paired with the first page's in order (an elastic assignment), and its cells move by
    the drift of the pairs around them."""
    rows = [p for p in parsed if p.kind == "row"]
    pages = sorted({p.line.page for p in rows}, key=lambda n: (n is None, n))
    if len(pages) < 2:
        return list(parsed)
    reference = _figure_columns([p for p in rows if p.line.page == pages[0]])
    moves: dict[int | None, Callable[[float], float]] = {}
    for page in pages[1:]:
        own = _figure_columns([p for p in rows if p.line.page == page])
        moves[page] = piecewise([(own[i], reference[j] - own[i]) for i, j in elastic(own, reference)])
    return [replace(p, cells=[_Cell(c.text, c.x0 + (d := move(c.centre)), c.x1 + d) for c in p.cells])
            if (move := moves.get(p.line.page)) else p for p in parsed]


def _figure_columns(rows: Sequence[_Parsed]) -> list[float]:
    """The centres of the columns of figures of some rows (the words of a rating column sit where
    their length puts them, so they do not tell where a page lies)."""
    cells = [(c, k) for k, p in enumerate(rows) for c in p.cells if c.figure]
    return [(x0 + x1) / 2 for x0, x1 in _cluster([c for c, _ in cells], [k for _, k in cells])]


# ---------------------------------------------------------------- the header's anchors


def _anchors(header: Sequence[Line], names_end: float) -> list[Word]:
    """The tokens of the header that stand over one column each: the column numbering where the
    header prints one ("(1) (2) (3)=(2)/(1) …"; a "(1)" and "(2)" over the names, ending before they
    end, number the serial and the name), else every printed maximum ("(5đ)")."""
    words = [w for ln in header for w in ln.words]
    numbering = sorted((w for w in words if _NUMBERING.match(w.text)), key=lambda w: w.x0)
    if len(numbering) >= 4:
        return [w for w in numbering if w.text not in ("(1)", "(2)") or w.x1 > names_end - 1]
    return sorted((w for w in words if _MAXIMUM.match(w.text)), key=lambda w: w.x0)


def _fitting(anchors: Sequence[Word], columns: Sequence[tuple[float, float]],
             rows: Sequence[_Parsed]) -> list[list[bool]]:
    """Whether each anchor may head each column: a maximum heads no column of words (ratings, notes)
    and none whose figures exceed it (a score of 8,1 is not under "(5đ)") but for a stray cell or two
    (a figure over its maximum is a finding, not a column); numbering heads any."""
    values: list[list[float]] = [[] for _ in columns]
    words = [0] * len(columns)
    for p in rows:
        for cell, j in _place(p.cells, columns):
            if (n := _value(cell.text)) is not None:
                values[j].append(n)
            elif not cell.figure:
                words[j] += 1
    out = []
    for w in anchors:
        top = _value(w.text.strip("()")) if _MAXIMUM.match(w.text) else None
        out.append([top is None or words[j] <= len(vs) and sum(v > top + 1e-9 for v in vs) <= max(1, len(vs) // 4)
                    for j, vs in enumerate(values)])
    return out


def _value(text: str) -> float | None:
    try:
        return parse_number(text).value
    except NotANumber:
        return None


@functools.lru_cache(maxsize=64)  # the wider merge often finds the same columns: one alignment for both
def _align(anchors: tuple[Word, ...], columns: tuple[tuple[float, float], ...], fitting: tuple[tuple[bool, ...], ...],
           near: float, prior: float) -> list[int | tuple[float, float]]:
    """Pair the anchors with the body's columns all at once, in order, never an anchor with a column
    its figures do not fit. The drift is a map per header line (each line is laid out on its own):
    first one map for all, the affine one that pairs the most (tried from every anchor–column pair at
    a few scales; `prior` per character of drift at the anchors' middle counts against a map, for
    the header is printed over its columns), then each line's own, fitted to its pairs. Returns for
    each anchor its column's index, or the span of the column it heads alone (a criterion with no
    figure in any row)."""
    if not anchors or not columns:
        return []
    a = [w.centre for w in anchors]
    b = [(x0 + x1) / 2 for x0, x1 in columns]
    middle = statistics.fmean(a)
    candidates, counts = _scored(tuple(a), tuple(b), fitting, near)
    start = max(zip(candidates, counts), key=lambda mc: (mc[1] - prior * abs(apply(mc[0], middle) - middle),
                                                         -abs(mc[0][0] - 1)))[0]
    maps = {w.line: start for w in anchors}
    pairs = assign(a, b, lambda i: apply(maps[anchors[i].line], a[i]), near, fitting)
    for _ in range(2):
        maps = {line: _fit_line(line, anchors, pairs, a, b, fitting, maps[line], near) for line in maps}
        pairs = assign(a, b, lambda i: apply(maps[anchors[i].line], a[i]), near, fitting)
    paired = dict(pairs)
    out: list[int | tuple[float, float]] = []
    for k, w in enumerate(anchors):
        shift = apply(maps[w.line], a[k]) - a[k]
        out.append(paired[k] if k in paired else (w.x0 + shift, w.x1 + shift))
    return out


@functools.lru_cache(maxsize=16)  # the same for every `prior`
def _scored(a: tuple[float, ...], b: tuple[float, ...], fitting: tuple[tuple[bool, ...], ...],
            near: float) -> tuple[list[Map], list[float]]:
    """Every map from an anchor–column pair at each scale, and how well it puts the anchors on the
    columns (`near_counts`)."""
    candidates = [(s, y - s * x) for s in SCALES for x in a for y in b]
    return candidates, list(near_counts(a, b, candidates, fitting, near))


def _completed(paired: Sequence[int | tuple[float, float]],
               fitting: Sequence[Sequence[bool]]) -> list[int | tuple[float, float]]:
    """Anchors left without a column where, between the columns of the paired anchors around them, as
    many columns they may head are left without an anchor: they pair in order. A column of marks (all
    "-", not applicable) is not aligned by distance (`_flush`)."""
    out = list(paired)
    taken = {v for v in paired if isinstance(v, int)}
    k = 0
    while k < len(out):
        if isinstance(out[k], int):
            k += 1
            continue
        end = next((e for e in range(k, len(out)) if isinstance(out[e], int)), len(out))
        low = max((v for v in out[:k] if isinstance(v, int)), default=-1)
        high = out[end] if end < len(out) else len(fitting[0]) if fitting else 0
        free = [j for j in range(low + 1, high) if j not in taken and any(fitting[i][j] for i in range(k, end))]
        if len(free) == end - k and all(fitting[i][j] for i, j in zip(range(k, end), free)):
            out[k:end] = free
        k = end
    return out


def _bend(anchors: Sequence[Word], columns: Sequence[tuple[float, float]],
          fitting: Sequence[Sequence[bool]]) -> list[int | tuple[float, float]]:
    """The pairing of the anchors with the body's columns under a drift that bends (an elastic
    assignment): `pdftotext` packs a run of headings one space apart, so the drift grows along the
    run and drops after it. An anchor that pairs with none heads a column of its own, placed by the
    drift of the pairs around it."""
    if not anchors or not columns:
        return []
    a = [w.centre for w in anchors]
    b = [(x0 + x1) / 2 for x0, x1 in columns]
    pairs = dict(elastic(a, b, fitting, _BEND_PRIOR))
    drift = piecewise([(a[i], b[j] - a[i]) for i, j in sorted(pairs.items())])
    return [pairs[k] if k in pairs else (w.x0 + drift(a[k]), w.x1 + drift(a[k])) for k, w in enumerate(anchors)]


def _fit_line(line: int, anchors: Sequence[Word], pairs: Sequence[tuple[int, int]], a: Sequence[float],
              b: Sequence[float], fitting: Sequence[Sequence[bool]], current: tuple[float, float],
              near: float) -> tuple[float, float]:
    """A header line's own map. From its pairs: affine from three or more, a shift from fewer. A line
    with no pair yet takes the shift (within _REACH of the others') that puts its anchors best on the
    columns no other line took, the smallest such shift: an anchor with none near heads a column of
    its own."""
    own = [(a[i], b[j]) for i, j in pairs if anchors[i].line == line]
    if len(own) >= 3:
        return fit_affine([x for x, _ in own], [y for _, y in own])
    scale = current[0]
    if own:
        return scale, statistics.fmean(y - scale * x for x, y in own)
    mine = [i for i, w in enumerate(anchors) if w.line == line]
    taken = {j for _, j in pairs}
    free = [[fitting[i][j] and j not in taken for j in range(len(b))] for i in mine]
    xs = [a[i] for i in mine]
    shifts = [current] + [(scale, y - scale * x) for x in xs for y in b if abs(y - scale * x - current[1]) <= _REACH]
    counts = near_counts(xs, b, shifts, free, near)
    return max(zip(shifts, counts), key=lambda mc: (mc[1], -abs(mc[0][1] - current[1])))[0]


def _header_texts(header: Sequence[Line], anchors: Sequence[Word], heads: Sequence[int],
                  columns: Sequence[tuple[float, float]], flush: Sequence[Flush], name_x: float,
                  names_end: float) -> list[str]:
    """One text per column (STT, name, then `columns`). On a line of anchors, a word heads the column
    of the anchor it opens ("1" of "1 (5đ)", and the words of the first anchor's phrase); elsewhere,
    over the names (`names_end`: where they end), to the STT or the name, with the rest of its phrase;
    on a page whose positions were measured to the column it stands over (`_heading_column`); in a
    text file's columns, its drift undone (interpolated between the anchors; none right of them, where
    totals and ratings are headed), to the nearest."""
    texts = [""] * (len(columns) + 2)
    points = sorted((w.centre, (columns[h][0] + columns[h][1]) / 2 - w.centre) for w, h in zip(anchors, heads)
                    if flush[h] != "marks")  # a column of marks sits anywhere in its cell
    drift = piecewise(points, max((w.x1 for w in anchors), default=0.0))
    for line in header:
        own = [k for k, w in enumerate(anchors) if w.line == line.no]
        opening = _opening(line, anchors[own[0]]) if own else ()
        k = -1
        for w in line.words:
            if w.joined and k in (0, 1) and w.centre < columns[0][0]:
                pass  # the name's heading goes on past where the names end ("Tên cơ quan, đơn vị")
            elif any(w is o for o in opening):
                k = 2 + heads[own[0]]
            elif own and anchors[own[0]].x0 - 1 <= w.centre <= anchors[own[-1]].x1 + 1:
                after = [k for k in own if anchors[k].x1 >= w.x1] or own
                k = 2 + heads[min(after, key=lambda i: abs(anchors[i].centre - w.centre))]
            elif w.centre < names_end:
                k = 0 if w.centre < name_x - 0.5 else 1
            elif line.measured:  # a printed page sets each heading over its own cell: no drift to undo
                k = k if w.joined and k >= 2 else 2 + _heading_column(columns, flush, *_phrase_at(line, w))
            else:
                d = drift(w.centre)
                k = 2 + _nearest(columns, w.x0 + d, w.x1 + d)
            texts[k] = f"{texts[k]} {w.text}".strip()
    return texts


def _phrase_at(line: Line, first: Word) -> tuple[float, float]:
    """Where the phrase `first` opens on the line spans (its words joined by word spaces)."""
    words = line.words[line.words.index(first):]
    end = next((k for k, w in enumerate(words[1:], 1) if not w.joined), len(words))
    return first.x0, words[end - 1].x1


def _opening(line: Line, anchor: Word) -> tuple[Word, ...]:
    """The words of the line's phrase before its first anchor ("Chỉ số 1" of "Chỉ số 1 (5đ)"), which head
    its column wherever the drift would put them."""
    phrase: list[Word] = []
    for w in line.words:
        if w is anchor:
            return tuple(phrase)
        phrase = [*phrase, w] if w.joined and phrase else [w]
    return ()


def _flush(parsed: Sequence[_Parsed], columns: Sequence[tuple[float, float]]) -> dict[tuple[float, float], Flush]:
    """How each column's figures are set: flush right where their right ends line up and their left
    ends do not (a spreadsheet, most tables), flush left the other way, else centred; a column of
    nothing but "-" is of marks (typed as text, a spreadsheet sets them flush left under a centred
    heading)."""
    ends: dict[int, list[_Cell]] = {}
    for p in parsed:
        if p.kind == "row":
            for cell, j in _place(p.cells, columns):
                ends.setdefault(j, []).append(cell)
    out: dict[tuple[float, float], Flush] = {c: "centre" for c in columns}
    for j, cells in ends.items():
        left, right = (statistics.pstdev(c.x0 for c in cells), statistics.pstdev(c.x1 for c in cells))
        out[columns[j]] = "marks" if all(c.text in _DASHES for c in cells) else \
            "right" if left - right > _FLUSH else "left" if right - left > _FLUSH else "centre"
    return out


def _heading_column(cols: Sequence[tuple[float, float]], flush: Sequence[Flush], x0: float, x1: float) -> int:
    """The column a heading's word heads: the one it overlaps most; a word in the gap between two
    columns of figures set flush right heads the right one (its cell begins where the left one's
    figures end), between two set flush left the left one, else the nearer."""
    k = _nearest(cols, x0, x1)
    if min(x1, cols[k][1]) > max(x0, cols[k][0]):
        return k
    right = next((j for j, (c0, _) in enumerate(cols) if c0 >= x1), None)
    if right is None or right == 0:
        return k
    if flush[right - 1] == flush[right] == "right":
        return right
    if flush[right - 1] == flush[right] == "left":
        return right - 1
    return k


def _nearest(cols: Sequence[tuple[float, float]], x0: float, x1: float) -> int:
    """The column a span belongs to: the one it overlaps most, else the closest (right on a tie)."""
    def score(i: int) -> tuple[float, float]:
        c0, c1 = cols[i]
        overlap = min(x1, c1) - max(x0, c0)
        distance = max(c0 - x1, x0 - c1, 0.0)
        return (overlap if overlap > 0 else 0.0, -distance + i * 1e-6)
    return max(range(len(cols)), key=score)


# ---------------------------------------------------------------- rows


def _rows(parsed: Sequence[_Parsed], columns: Sequence[tuple[float, float]],
          final: Sequence[tuple[float, float]]) -> list[RawRow]:
    """Rows of cells (STT, name, then the `final` columns: the body's `columns` and those the header
    alone gives); section lines as rows of their title; the cells of wrapped lines added to the row
    and column they belong to."""
    index = [final.index(c) for c in columns]
    table = _Table(parsed, final)
    for p in parsed:
        if p.kind == "row":
            table.add(p, [(2 + index[j], cell.text) for cell, j in _place(p.cells, columns)])
    for k, p in enumerate(parsed):
        if p.kind == "text" and not _is_section_line(p):
            table.attach(k)
    sections = [_section_row(p, len(final) + 2) for p in parsed
                if p.kind == "section" or p.kind == "text" and _is_section_line(p)]
    return sorted(table.raw_rows() + sections, key=lambda r: r.line)


def _place(cells: Sequence[_Cell], columns: Sequence[tuple[float, float]]) -> list[tuple[_Cell, int]]:
    """Each cell of a row in its own column, in order: the monotone assignment closest to the columns."""
    centres = [(x0 + x1) / 2 for x0, x1 in columns]
    xs = [c.centre for c in cells]
    pairs = assign(xs, centres, xs.__getitem__, _PLACE_NEAR) if len(cells) > 1 else []
    placed = {i: j for i, j in pairs}
    return [(c, placed[i] if i in placed else _nearest(columns, c.x0, c.x1)) for i, c in enumerate(cells)]


def _is_section_line(p: _Parsed) -> bool:
    """A line of words only is a section title when it reads as one (a roman number before it, or it
    names a group of units)."""
    return is_section(" ".join([p.serial, p.name] + [c.text for c in p.cells]).strip())


def _section_row(p: _Parsed, width: int) -> RawRow:
    text = " ".join([p.name] + [c.text for c in p.cells]).strip()
    cells = ([p.serial, text] if p.serial else ["", text]) + [""] * (width - 2)
    return RawRow(tuple(clean(c) for c in cells), p.line.page, True, p.line.no, bbox=p.line.box)


class _Table:
    """The rows being filled: each row's cells by column, and which columns its own line prints."""

    def __init__(self, parsed: Sequence[_Parsed], columns: Sequence[tuple[float, float]]) -> None:
        self.parsed, self.columns = parsed, columns
        self.cells: dict[int, list[str]] = {}  # line number of a row → its cells
        self.lines: dict[int, Line] = {}
        self.printed: dict[int, set[int]] = {}
        self.boxes: dict[int, list[Box | None]] = {}  # of its own line and the wrapped lines it took

    def add(self, p: _Parsed, placed: Sequence[tuple[int, str]]) -> None:
        cells = [p.serial, p.name] + [""] * len(self.columns)
        for k, text in placed:
            cells[k] = f"{cells[k]} {text}".strip()
        self.cells[p.line.no], self.lines[p.line.no], self.boxes[p.line.no] = cells, p.line, [p.line.box]
        self.printed[p.line.no] = {k for k, _ in placed} | ({0} if p.serial else set()) | ({1} if p.name else set())

    def raw_rows(self) -> list[RawRow]:
        return [RawRow(tuple(clean(c) for c in cells), self.lines[no].page, True, no, bbox=union(self.boxes[no]))
                for no, cells in self.cells.items()]

    def attach(self, k: int) -> None:
        """Add a wrapped line's words to the rows they belong to, column by column."""
        p = self.parsed[k]
        pieces = ([(1, p.serial)] if p.serial else []) + ([(1, p.name)] if p.name else [])
        pieces += [(2 + j, c.text) for c, j in _place(p.cells, self.columns)]
        above = self._row(k, -1)
        below = self._row(k, 1)
        for col, text in pieces:
            target = self._target(k, col, text, above, below)
            if target is not None:
                row, before = target
                cur = self.cells[row.line.no][col]
                self.cells[row.line.no][col] = f"{text} {cur}".strip() if before else f"{cur} {text}".strip()
                self.boxes[row.line.no].append(p.line.box)

    def _row(self, k: int, step: int) -> _Parsed | None:
        """The nearest row above (step -1) or below a line, on its page."""
        i = k + step
        while 0 <= i < len(self.parsed) and self.parsed[i].kind != "row":
            i += step
        inside = 0 <= i < len(self.parsed) and self.parsed[i].line.page == self.parsed[k].line.page
        return self.parsed[i] if inside else None

    def _target(self, k: int, col: int, text: str, above: _Parsed | None,
                below: _Parsed | None) -> tuple[_Parsed, bool] | None:
        """The row a piece of a wrapped cell joins, and whether it goes before the row's own text. A row
        with the cell empty on its own line takes the pieces next to it: of two such rows, the one the
        piece touches (no other piece of the column between), then the one the wrapped cell surrounds
        (a piece on its other side too), then the nearer; a row that prints the cell takes what follows
        it, unless the piece opens a new name."""
        def open_(row: _Parsed | None, step: int) -> bool:
            return row is not None and col not in self.printed[row.line.no] and self._touches(k, row, col, step)
        if open_(above, -1) and open_(below, 1):
            if self._piece_beyond(below, col, 1):
                return below, True
            if self._piece_beyond(above, col, -1):
                return above, False
            no = self.parsed[k].line.no
            return (above, False) if no - above.line.no <= below.line.no - no else (below, True)
        if open_(below, 1):
            return below, True
        if open_(above, -1):
            return above, False
        if below is not None and col == 1 and _NAME_START.match(text):
            return below, True
        if above is not None:
            return above, False
        return (below, True) if below is not None else None

    def _columns_of(self, q: _Parsed) -> set[int]:
        """The columns a wrapped line prints in."""
        return ({1} if q.name or q.serial else set()) | {2 + j for _, j in _place(q.cells, self.columns)}

    def _touches(self, k: int, row: _Parsed, col: int, step: int) -> bool:
        """Whether no other wrapped piece of the column lies between line `k` and `row` (step -1: the
        row is above)."""
        at = self.parsed.index(row)
        return not any(self.parsed[i].kind == "text" and col in self._columns_of(self.parsed[i])
                       for i in range(k + step, at, step))

    def _piece_beyond(self, row: _Parsed, col: int, step: int) -> bool:
        """Whether the line just past `row` (below it for step 1, above for -1) is a wrapped piece in
        the same column: the row sits in the middle of its wrapped cell."""
        beyond = self.parsed.index(row) + step
        return (0 <= beyond < len(self.parsed) and self.parsed[beyond].kind == "text"
                and col in self._columns_of(self.parsed[beyond]))
