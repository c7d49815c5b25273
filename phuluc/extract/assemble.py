"""What every finder shares: where a table lies among the lines, its title, its continuation over
pages, and the body text around it.

A document reaches here as pages of lines and ruled grids (extract/page.py). Lines are cut into table
regions — a header over a body — and each region goes to the finder for its style: tab-separated
rows (finders/tabbed.py), words kept apart by runs of spaces (finders/positioned.py) or text whose
columns were lost (finders/stream.py). Grids go to finders/ruled.py. A table that goes on over the
next page, with or without its header repeated, is one table. Where a PDF page holds a ruled grid, the
words inside it are read a second time by position: normalize/ keeps the reading that explains the
table best, so a grid with a missing rule does not cost the table.

A region's header begins at the "STT" line (a serial-number column headed "STT", "TT", "Số TT" — or
"ST" over "T" where a narrow column wrapped it) or, where the body shows first, at the lines above
the first row; its body runs while rows, sections, wrapped fragments and totals follow.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from phuluc.extract import tables as conv
from phuluc.extract.finders import ruled
from phuluc.extract.finders import FINDERS
from phuluc.extract.finders.base import Region, Style
from phuluc.extract.page import Grid, Line, Page
from phuluc.model import RawDocument, RawTable, TextBlock
from phuluc.settings import Settings
from phuluc.vi.numbers import is_number
from phuluc.vi.text import clean, fold

_ANCHOR = re.compile(r"^(?:số\s*)?s?tt\b", re.IGNORECASE)
_SAME_HEADER = 95  # fuzz.ratio of two headers' texts at or above which they are one header repeated
_DIGITS = re.compile(r"\d+")
_COLUMN_GAP = re.compile(r"\S\s{2,}\S")  # runs of spaces between the columns of a positioned line
_HEADER_WORDS = re.compile(r"\(\d+\s*đ\)|^\s*\(\d+\)|tiêu chí|chỉ số", re.IGNORECASE)  # words only a header prints


def document(pages: Sequence[Page], *, source: str, sha256: str, fmt: str, settings: Settings) -> RawDocument:
    """The RawDocument of a reader's pages: tables (with a second reading where one is possible) and
    the body text outside them."""
    lines = [ln for page in pages for ln in page.lines]
    grids = [(page.number, g) for page in pages for g in page.grids]
    if not grids:
        tables, used = _line_tables(lines, settings)
        return _raw(source, sha256, fmt, tables, _blocks(lines, used))
    inside = {ln.no for ln in lines for number, g in grids if ln.page == number and _inside(ln, g)}
    tables, text_lines, used = _mixed_tables(pages, inside, settings)
    if inside:
        second, used_again = _line_tables(lines, settings)
        tables = _with_alternatives(tables, second, inside)
        used |= used_again
    return _raw(source, sha256, fmt, tables, _blocks(text_lines, used))


def _raw(source: str, sha256: str, fmt: str, tables: list[RawTable], blocks: list[TextBlock]) -> RawDocument:
    return RawDocument(source=source, sha256=sha256, format=fmt, blocks=tuple(blocks), tables=tuple(tables))


def _inside(line: Line, grid: Grid) -> bool:
    return grid.top <= line.top <= grid.bottom


# ---------------------------------------------------------------- lines and grids → tables


def _line_tables(lines: Sequence[Line], settings: Settings) -> tuple[list[RawTable], set[int]]:
    """Tables of lines only, joined over pages; and the lines they used."""
    pieces, used = [], set()
    for region, span in regions(lines):
        used.update(ln.no for ln in span)
        pieces += FINDERS[region.style].read(region, settings)
    return join(pieces), used


def _mixed_tables(pages: Sequence[Page], inside: set[int],
                  settings: Settings) -> tuple[list[RawTable], list[Line], set[int]]:
    """Tables of the grids and of the lines outside them, in reading order and joined over pages;
    the lines of body text (a grid's rows outside its tables among them); the lines tables used."""
    pieces: list[RawTable] = []
    text_lines: list[Line] = []
    used: set[int] = set()
    since: list[str] = []  # text since the last table: where a grid's title is looked for
    numbers = itertools.count(max((ln.no for p in pages for ln in p.lines), default=0) + 1)
    for page in pages:
        outside = [ln for ln in page.lines if ln.no not in inside]
        for item in _reading_order(outside, page.grids):
            if isinstance(item, Grid):
                found = ruled.read(ruled.GridRegion(item, tuple(since)), settings)
                pieces += found
                since = [] if found else since
                for r in ruled.leftover(item):
                    row = _grid_row_lines(item, r, page.number, numbers)
                    text_lines += row
                    since += [ln.text for ln in row if not ln.blank]
                continue
            text_lines += item
            for region, span in regions(item):
                used.update(ln.no for ln in span)
                pieces += FINDERS[region.style].read(region, settings)
            since += [ln.text for ln in item if not ln.blank and ln.no not in used]
    return join(pieces), text_lines, used


def _grid_row_lines(grid: Grid, r: int, page: int, numbers: Iterator[int]) -> list[Line]:
    """A grid row outside its tables as body text: one paragraph, each cell line a line of it."""
    top = grid.tops[r] if r < len(grid.tops) else grid.top
    lines = [Line(text, page, next(numbers), top=top) for text in ruled.row_lines(grid, r)]
    return lines + [Line("", page, next(numbers), top=top)] if lines else []


def _reading_order(lines: Sequence[Line], grids: Sequence[Grid]) -> Iterator[Grid | list[Line]]:
    """Runs of lines and the grids between them, top to bottom."""
    run: list[Line] = []
    for grid in sorted(grids, key=lambda g: g.top):
        while lines and lines[0].top < grid.top:
            run.append(lines[0])
            lines = lines[1:]
        if run:
            yield run
            run = []
        yield grid
    if lines:
        yield list(lines)


def regions(lines: Sequence[Line]) -> list[tuple[Region, list[Line]]]:
    """The table regions of a run of lines, each with the lines it spans (header through body)."""
    anchors = [i for i, ln in enumerate(lines) if _is_anchor(ln) or _wrapped_anchor(lines, i)]
    starts = [_header_start(lines, a, floor) for a, floor in zip(anchors, [0, *(a + 1 for a in anchors)])]
    out = []
    for k, a in enumerate(anchors):
        stop = starts[k + 1] if k + 1 < len(anchors) else len(lines)
        region, end = _region(lines, starts[k], a, stop)
        out.append((region, list(lines[starts[k]:end])))
    return out


def _is_anchor(line: Line) -> bool:
    first = line.text.split("\t")[0].strip() if "\t" in line.text else line.text.strip()
    return bool(_ANCHOR.match(first))


def _wrapped_anchor(lines: Sequence[Line], i: int) -> bool:
    """"STT" wrapped in a narrow column: "ST" on one line and "T" under it a line or two below."""
    words = lines[i].words
    if not words or words[0].text.casefold() != "st" or "\t" in lines[i].text:
        return False
    for below in lines[i + 1:i + 4]:
        first = below.words[0] if below.words else None
        if first is not None and first.text.casefold() == "t" and abs(first.x0 - words[0].x0) <= 2:
            return True
    return False


def _header_start(lines: Sequence[Line], anchor: int, floor: int) -> int:
    """Where the header above an "STT" line begins: positioned headers stack a few lines over it, up
    to the caption, the "Phụ lục"/"Biểu số" line, a title running across the page, the top of the
    page, or `floor`, the line after the "STT" line of the table before (so that a header repeated
    thousands of times is walked once)."""
    start = anchor
    if "\t" not in lines[anchor].text:
        page = lines[anchor].page
        while start > floor and (_heading(lines[start - 1], page) or lines[start - 1].blank and start > floor + 1
                                 and _heading(lines[start - 2], page) and _over_columns(lines[start - 2].text)):
            start -= 1
    return start


def _heading(line: Line, page: int | None) -> bool:
    """A line that can belong to a positioned header: printed, on the page, no caption, marker or title."""
    return not line.blank and line.page == page and not conv.CAPTION.match(line.text) \
        and not conv.MARKER.search(line.text) and not _running(line.text)


def _over_columns(text: str) -> bool:
    """A heading that goes on the header across a blank line (a tall header row of a printed
    spreadsheet): headings of several columns apart ("Tiếp nhận hồ sơ    Giải quyết hồ sơ"), or one in
    the header's own words ("ĐIỂM CÁC CHỈ SỐ"); a title is one phrase."""
    return bool(_COLUMN_GAP.search(text.strip()) or _HEADER_WORDS.search(text))


def _running(text: str) -> bool:
    """A line of running text (a title, a sentence): long, without the wide gaps between columns."""
    text = text.strip()
    return len(text) >= 30 and not _COLUMN_GAP.search(text)


def _region(lines: Sequence[Line], start: int, anchor: int, stop: int) -> tuple[Region, int]:
    """The header, body and title of the table whose "STT" line is `lines[anchor]`."""
    tab = "\t" in lines[anchor].text
    body_start = anchor + 1
    if tab:
        while body_start < stop and (lines[body_start].blank or _tab_header(lines[body_start])):
            body_start += 1
    else:
        stt = _stt_column(lines[anchor])
        positioned = _positional([lines[anchor]])
        while body_start < stop and not _body_start(lines, body_start, stt):
            if positioned and lines[body_start].blank and not _more_header(lines, body_start, stop):
                break
            body_start += 1
    end = body_start
    while end < stop:
        ln = lines[end]
        if tab and not ln.blank and "\t" not in ln.text and not conv.is_section(ln.text):
            break
        if not tab and conv.TABLE_END.search(ln.text):
            break
        end += 1
    body = [ln for ln in lines[body_start:end] if not ln.blank]
    header = [ln for ln in lines[start:body_start] if not ln.blank]
    style: Style
    if tab:
        body = [ln for ln in body if not _is_anchor(ln) and not _tab_header(ln)]
        style = "tabbed"
    else:
        style = "positioned" if _positional(body) else "stream"
    title = conv.title_above(lines[i].text for i in range(start - 1, -1, -1))
    return Region(style, tuple(header), tuple(body), title), end


def _tab_header(line: Line) -> bool:
    """A header row of a tab table: headings under merged cells, or the column numbering."""
    cells = line.text.split("\t")
    return len(cells) > 2 and (not cells[0].strip() and not cells[1].strip() and any(
        c.strip() and not is_number(c) for c in cells[2:]) or conv.is_numbering(cells))


def _stt_column(anchor: Line) -> tuple[float, float]:
    """Where the STT column begins, and where the heading after "STT" (the names') begins."""
    after = next((w.x0 for w in anchor.words[1:] if not w.joined), math.inf)
    return anchor.indent, after


def _in_stt_column(line: Line, stt: tuple[float, float]) -> bool:
    """Whether the line starts in the STT column: under "STT", or a serial set flush right in the column,
    as a spreadsheet sets numbers, ending before the next heading begins and followed by a name."""
    start, after = stt
    words = line.words
    if abs(line.indent - start) <= 4:
        return True
    return len(words) > 1 and start - 4 <= words[0].x0 and words[0].x1 <= after and words[1].text[:1].isalpha()


def _body_start(lines: Sequence[Line], i: int, stt: tuple[float, float]) -> bool:
    """Whether a non-tab line starts the body: a serial number then a name or figures, a section
    line, or a total line; a header numbering row "1 2 3 …" sits away from the STT column."""
    text = lines[i].text
    words = text.split()
    if not words or conv.is_numbering(words):
        return False
    if conv.SERIAL.match(words[0]) and _in_stt_column(lines[i], stt):
        rest = words[1] if len(words) > 1 else _next_text(lines, i)
        return bool(rest) and not rest.startswith("(")
    if conv.is_section(text):  # a section title opens the body when rows follow it
        after = [k for k in range(i + 1, min(i + 8, len(lines))) if not lines[k].blank][:3]
        return any(_body_start(lines, k, stt) for k in after)
    return bool(conv.TOTAL.match(text.strip()) and any(is_number(w) for w in words))


def _more_header(lines: Sequence[Line], i: int, stop: int) -> bool:
    """After a blank line inside a positioned header: does the header go on (maximum tokens, column
    numbering, upper-case headings), or do wrapped names of the first row begin?"""
    nxt = next((ln.text.strip() for ln in lines[i:stop] if not ln.blank), "")
    return bool(_HEADER_WORDS.search(nxt)
                or nxt.upper() == nxt and not conv.is_section(nxt) and not any(c.isdigit() for c in nxt))


def _next_text(lines: Sequence[Line], i: int) -> str:
    for ln in lines[i + 1:i + 4]:
        if not ln.blank:
            return ln.text.split()[0]
    return ""


def _positional(body: Sequence[Line]) -> bool:
    """Layout text keeps columns apart with runs of spaces; stream text does not."""
    wide = sum(1 for ln in body if len(re.findall(r"\S\s{2,}(?=\S)", ln.text.strip())) >= 3)
    return wide >= max(1, len(body) // 3)


# ---------------------------------------------------------------- pieces → tables


def join(pieces: Iterable[RawTable]) -> list[RawTable]:
    """Pieces of tables in reading order → tables: a piece that goes on the one before is added to it."""
    tables: list[RawTable] = []
    for piece in pieces:
        joined = _joined(tables[-1], piece) if tables else None
        if joined is not None:
            tables[-1] = joined
        else:
            tables.append(piece)
    return tables


def _joined(last: RawTable, piece: RawTable) -> RawTable | None:
    """The table with the piece added, where it goes on: each reading of the table (a finder may make
    several) with the first reading of the piece that continues it; None where none does."""
    combos = []
    for a in _readings(last):
        b = next((b for b in _readings(piece) if continues(a, b)), None)
        if b is not None:
            combos.append(replace(a, rows=a.rows + b.rows, pages=tuple(sorted(set(a.pages + b.pages)))))
    return replace(combos[0], alternatives=tuple(combos[1:])) if combos else None


def _readings(table: RawTable) -> list[RawTable]:
    """A table and its alternative readings, each on its own."""
    return [replace(table, alternatives=())] + [r for alt in table.alternatives for r in _readings(alt)]


def continues(last: RawTable, piece: RawTable) -> bool:
    """A piece goes on the table before it when it has no title of its own, was read the same way,
    has the same columns (where it kept them) and either no header, the same header (OCR reads a
    repeated header a little differently each time), or numbering that goes on from the table's."""
    if piece.title is not None or piece.finder != last.finder:
        return False
    if piece.finder != "stream" and piece.ncols != last.ncols:
        return False
    return (not piece.header or _same_header(piece, last)
            or conv.serial(last.rows, -1) + 1 == conv.serial(piece.rows, 0))


def _same_header(a: RawTable, b: RawTable) -> bool:
    """The same words (within a slip of a letter or a mark) and the same figures (maxima, numbering)."""
    sa, sb = _signature(a), _signature(b)
    return _DIGITS.findall(sa) == _DIGITS.findall(sb) and fuzz.ratio(sa, sb) >= _SAME_HEADER


def _signature(table: RawTable) -> str:
    return fold(" ".join(h.text for h in table.header)).replace(" ", "")


def _with_alternatives(primary: list[RawTable], second: list[RawTable], inside: set[int]) -> list[RawTable]:
    """Each table of the grids with what the positioned reading found among the same lines, as its
    alternative (pieces the second reading split are one alternative); a table of the second reading
    on lines no grid covers stays a table of its own. Rows inside a grid go with the grid's table on
    their page even where the two readings number a row by different lines (a wrapped last row)."""
    found: dict[int, list[RawTable]] = {}
    out = list(primary)
    ruled_tables = [k for k, t in enumerate(primary) if t.finder == "ruled"]
    for table in second:
        twin = next((k for k in ruled_tables if _overlap(primary[k], table)), None)
        if twin is None and _lines(table) <= inside:
            twin = next((k for k in ruled_tables if set(table.pages) <= set(primary[k].pages)), None)
        if twin is None:
            out.append(table)
        else:
            found.setdefault(twin, []).append(table)
    for k, pieces in found.items():
        alternative = replace(pieces[0], rows=tuple(r for p in pieces for r in p.rows),
                              pages=tuple(sorted({n for p in pieces for n in p.pages})))
        out[k] = replace(out[k], alternatives=out[k].alternatives + (alternative,))
    return sorted(out, key=lambda t: (t.pages[:1], min(_lines(t), default=0)))


def _lines(table: RawTable) -> set[int]:
    return {r.line for r in table.rows if r.line is not None}


def _overlap(a: RawTable, b: RawTable) -> bool:
    """Whether two tables' rows lie among the same lines (a grid row's line is the first printed in it,
    a positioned row's the line of its figures, so the spans are compared, not the lines)."""
    la, lb = _lines(a), _lines(b)
    return bool(la and lb) and min(la) <= max(lb) and min(lb) <= max(la)


# ---------------------------------------------------------------- body text


def _blocks(lines: Sequence[Line], used: set[int]) -> list[TextBlock]:
    """Paragraphs of the lines outside tables: runs of non-blank lines, joined with single spaces."""
    blocks, run = [], []
    for ln in [ln for ln in lines if ln.no not in used] + [Line("", 0, 0)]:
        if ln.blank:
            if run:
                blocks.append(TextBlock(clean(" ".join(x.text for x in run)), run[0].page))
            run = []
        else:
            run.append(ln)
    return blocks
