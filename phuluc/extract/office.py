"""Word (.docx) and Excel (.xlsx) reports → RawDocument: the same records the text reader makes.

Both formats state their merged cells, so each is first turned into parts in document order: body
paragraphs (strings) and `_Grid`s (cell texts with explicit spans). One piece of code then serves
both: a grid with an "STT" header row holds a table (header rows down to the first body row, body
rows until the table ends); every other row of a grid is body text, one block per row (the document
header "ỦY BAN NHÂN DÂN | CỘNG HÒA …", the signature block, a sheet's title and caption rows). A
table's title is read from the text since the previous table, as the text reader reads it, and a
table that goes on after a repeated header (or, untitled, straight after the last one with its
numbering) is one table.

Word keeps merges as `w:gridSpan` (across) and `w:vMerge` restart/continue (down); python-docx's
`row.cells` repeats merged cells, so the XML is read directly. Excel keeps merged ranges and numbers
as numbers: a numeric cell becomes the Vietnamese print of exactly its value ("1,527", "78,13%").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract.tables import ROMAN, SERIAL, TABLE_END, TOTAL, is_numbering, is_section, serial, title_above
from phuluc.model import HeaderCell, RawDocument, RawRow, RawTable, TextBlock
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.numbers import is_number
from phuluc.vi.text import clean, fold, nfc

_ANCHOR = re.compile(r"^(?:số\s*)?s?tt\.?$", re.IGNORECASE)  # the whole cell: "STT", "TT", "Số TT"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_LETTER = re.compile(r"^[A-Za-zĐđ]$")


@dataclass
class _Grid:
    """A table as stored: each merged cell's text at its top-left position, "" where it extends."""

    texts: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (row, col) → (rows, cols)
    lines: list[int | None] = field(default_factory=list)  # source row number of each row (xlsx)

    def row(self, r: int, left: int = 0, right: int | None = None) -> list[str]:
        """Row `r` as cleaned cell strings of columns [left, right)."""
        return [clean(t) for t in self.texts[r][left:right]]

    def span(self, r: int, c: int) -> tuple[int, int]:
        return self.spans.get((r, c), (1, 1))


Part = str | _Grid


# ---------------------------------------------------------------- readers


def read_docx(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .docx report: body paragraphs and tables in document order."""
    import docx  # python-docx; imported here so the text formats work without it

    data = _bytes(path)
    try:
        body = docx.Document(str(path)).element.body
    except Exception as e:  # zip, XML and package errors of a damaged file
        raise _unreadable(path, e) from None
    blocks, tables = _assemble(list(_docx_parts(body)))
    return RawDocument(source=str(path), sha256=hashlib.sha256(data).hexdigest(), format="docx",
                       blocks=tuple(blocks), tables=tuple(tables))


def read_xlsx(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .xlsx report: each visible sheet, in order, from the cached values of its cells."""
    import openpyxl

    data = _bytes(path)
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as e:  # zip, XML and workbook errors of a damaged file
        raise _unreadable(path, e) from None
    parts: list[Part] = []
    for ws in values.worksheets:
        if ws.sheet_state == "visible":
            _check_cached(path, ws, formulas[ws.title])
            parts.append(_xlsx_grid(ws))
    blocks, tables = _assemble(parts)
    return RawDocument(source=str(path), sha256=hashlib.sha256(data).hexdigest(), format="xlsx",
                       blocks=tuple(blocks), tables=tuple(tables))


def _bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _unreadable(path, e) from None
    if not data:
        raise PhulucError("empty_file", file=str(path))
    return data


def _unreadable(path: Path, e: Exception) -> PhulucError:
    reason = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
    return PhulucError("unreadable", file=str(path), reason=reason)


# ---------------------------------------------------------------- docx → parts


def _docx_parts(container) -> Iterator[Part]:
    """Paragraphs (line breaks kept) and tables of the body in order; content controls are looked into."""
    for el in container.iterchildren():
        if el.tag == _W + "p":
            yield _docx_text(el)
        elif el.tag == _W + "tbl":
            yield _docx_grid(el)
        elif el.tag == _W + "customXml":
            yield from _docx_parts(el)
        elif el.tag == _W + "sdt" and (content := el.find(_W + "sdtContent")) is not None:
            yield from _docx_parts(content)


def _docx_text(paragraph) -> str:
    """The text of a paragraph, a line break as a new line (a title may break after "Phụ lục")."""
    return nfc("".join(_pieces(paragraph)))


def _pieces(el) -> Iterator[str]:
    """Runs, tabs and breaks in order; the fallback copy of a drawing is skipped (Word stores a text
    box twice, once per rendering)."""
    for child in el:
        if child.tag == _FALLBACK:
            continue
        if child.tag == _W + "t":
            yield child.text or ""
        elif child.tag == _W + "tab":
            yield " "
        elif child.tag in (_W + "br", _W + "cr"):
            yield "\n"
        yield from _pieces(child)


def _docx_grid(tbl) -> _Grid:
    """A Word table on its grid: `gridSpan` widens a cell, `vMerge` continue lengthens the cell above."""
    rows: list[dict[int, str]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    running: dict[int, tuple[int, int]] = {}  # column → origin of the vertical merge running there
    for r, tr in enumerate(tbl.iterchildren(_W + "tr")):
        row: dict[int, str] = {}
        col = _val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        for tc in tr.iterchildren(_W + "tc"):
            width = max(1, _val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1))
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            state = None if vmerge is None else vmerge.get(_W + "val", "continue")
            if state == "continue" and col in running:
                origin = running[col]
                spans[origin] = (r - origin[0] + 1, spans[origin][1])
            else:
                row[col] = _cell_text(tc)
                spans[(r, col)] = (1, width)
                for c in range(col, col + width):
                    running.pop(c, None)
                if state == "restart":
                    running[col] = (r, col)
            col += width
        rows.append(row)
    width = max((c + spans[(r, c)][1] for r, row in enumerate(rows) for c in row), default=0)
    texts = [[row.get(c, "") for c in range(width)] for row in rows]
    return _Grid(texts, {k: v for k, v in spans.items() if v != (1, 1)}, [None] * len(texts))


def _cell_text(tc) -> str:
    """A cell's paragraphs, one per line; a table nested in the cell adds its cells' lines."""
    lines = []
    for child in tc.iterchildren(_W + "p", _W + "tbl"):
        if child.tag == _W + "p":
            lines.append(_docx_text(child))
        else:
            lines.extend(_cell_text(c) for c in child.iter(_W + "tc"))
    return "\n".join(lines)


def _val(el, default: int) -> int:
    try:
        return int(el.get(_W + "val")) if el is not None else default
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- xlsx → parts


def _xlsx_grid(ws) -> _Grid:
    """A sheet as one grid from A1 to its last filled cell; merged ranges become spans."""
    cells = [[_xlsx_text(c) for c in row] for row in ws.iter_rows()]
    height = max((r + 1 for r, row in enumerate(cells) if any(row)), default=0)
    width = max((c + 1 for row in cells for c, t in enumerate(row) if t), default=0)
    spans = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= height and rng.min_col <= width:
            spans[(rng.min_row - 1, rng.min_col - 1)] = (min(rng.max_row, height) - rng.min_row + 1,
                                                         min(rng.max_col, width) - rng.min_col + 1)
    texts = [row[:width] + [""] * (width - len(row)) for row in cells[:height]]
    return _Grid(texts, spans, list(range(1, height + 1)))


def _xlsx_text(cell) -> str:
    """A cell as printed text; numbers in the Vietnamese print that reads back to their value."""
    value = cell.value
    if value is None or isinstance(value, (datetime, date, time, timedelta)):
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        return number_text(value, cell.number_format or "General")
    return nfc(str(value))


_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')  # quoted text, escapes, [Red], padding


def number_text(value: float, number_format: str = "General") -> str:
    """The Vietnamese print of a numeric cell (decimal comma, no thousands separator, so "1,527" can
    only be read back as 1.527): at least the decimals its number format shows ("0.00" → "5,00"),
    more where the value needs them; a percent format shows the fraction × 100 with "%"."""
    section = _FORMAT_NOISE.sub("", number_format.split(";")[0])
    percent = "%" in section
    if percent:
        value *= 100
    exact = "" if isinstance(value, int) else f"{round(value, 10):.10f}".rstrip("0").partition(".")[2]
    shown = re.search(r"\.([0?]+)", section) if re.search(r"[0#?]", section) and "E" not in section.upper() \
        else None
    decimals = max(len(exact), len(shown.group(1)) if shown else 0)
    text = f"{value:.{decimals}f}".replace(".", ",")
    return text + "%" if percent else text


def _check_cached(path: Path, ws, formulas_ws) -> None:
    """A workbook saved by a program that computes nothing (openpyxl, scripts) stores formulas
    without their results: reading it as empty cells would silently lose figures, so say so."""
    filled = any(c.value is not None for row in ws.iter_rows() for c in row)
    for row in formulas_ws.iter_rows():
        for c in row:
            if c.data_type != "f":
                continue
            cached = ws[c.coordinate]
            if filled and cached.value is None and cached.data_type != "str":  # "str": an empty result
                raise PhulucError("no_cached_values", file=str(path), sheet=ws.title, cell=c.coordinate)


# ---------------------------------------------------------------- parts → blocks and tables (both formats)


def _assemble(parts: list[Part]) -> tuple[list[TextBlock], list[RawTable]]:
    """Body text and tables of the parts in order; a table's title is read from the text since the
    previous table."""
    blocks: list[TextBlock] = []
    tables: list[RawTable] = []
    signatures: list[str] = []
    since: list[str] = []  # text lines since the last table: where a title is looked for

    def text(cells: list[str]) -> None:
        """One block; its lines (paragraphs, line breaks, cells) are where titles are looked for."""
        if any(clean(t) for t in cells):
            blocks.append(TextBlock(clean(" ".join(cells))))
            since.extend(clean(line) for t in cells for line in t.split("\n") if clean(line))

    for part in parts:
        if isinstance(part, str):
            text([part])
            continue
        done = 0
        if tables and not since and _goes_on(part, tables[-1]):
            tables[-1] = _extend(tables[-1], _body(part, 0, len(part.texts), 0, len(part.texts[0])))
            continue
        for top, start, end, left, right in _segments(part):
            for r in range(done, top):
                text(part.texts[r])
            table = _table(part, top, start, end, left, right, title_above(since))
            signature = fold(" ".join(h.text for h in table.header))
            if tables and table.title is None and table.ncols == tables[-1].ncols and (
                    signature == signatures[-1] or serial(tables[-1].rows, -1) + 1 == serial(table.rows, 0)):
                tables[-1] = _extend(tables[-1], table.rows)
            else:
                tables.append(table)
                signatures.append(signature)
            since = []
            done = end
        for r in range(done, len(part.texts)):
            text(part.texts[r])
    return blocks, tables


def _segments(grid: _Grid) -> list[tuple[int, int, int, int, int]]:
    """The tables of a grid as (header top, first body row, end, left, right): each starts at an
    "STT" row (or at the merged header cells over it) and has at least one body row."""
    anchors = [r for r in range(len(grid.texts)) if _is_anchor(grid.row(r))]
    tops = [_header_top(grid, a, anchors[k - 1] + 1 if k else 0) for k, a in enumerate(anchors)]
    out: list[tuple[int, int, int, int, int]] = []
    for k, anchor in enumerate(anchors):
        stop = tops[k + 1] if k + 1 < len(anchors) else len(grid.texts)
        left = next(c for c, t in enumerate(grid.row(anchor)) if t)
        start = anchor + 1
        while start < stop and not _body_row(grid.row(start, left)):
            start += 1
        end = start
        while end < stop and (_body_row(grid.row(end, left)) or not _ends(grid, end)):
            end += 1
        if start < end:
            right = max(c + grid.span(r, c)[1] for r in range(tops[k], end) for c, t in enumerate(grid.texts[r])
                        if clean(t))
            out.append((tops[k], start, end, left, right))
    return out


def _header_top(grid: _Grid, anchor: int, floor: int) -> int:
    """The first header row: the "STT" row, or a row above it whose merged cells reach down over it."""
    top = anchor
    while top > floor and any(r == top - 1 and r + rs > anchor for (r, _c), (rs, _cs) in grid.spans.items()):
        top -= 1
    return top


def _ends(grid: _Grid, r: int) -> bool:
    """Whether a row that is no body row ends the table: a note, signature or caption, or any text
    after a blank row."""
    text = " ".join(t for t in grid.row(r) if t)
    return bool(TABLE_END.search(text)) or (r > 0 and not any(grid.row(r - 1)) and bool(text))


def _is_anchor(cells: list[str]) -> bool:
    """The header row that opens a table: its first filled cell is "STT" and it heads other columns."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and bool(_ANCHOR.match(filled[0]))


def _body_row(cells: list[str]) -> bool:
    """A row of the body: a serial number ("1", "II") beside other cells, a section title ("I. CÁC
    CƠ QUAN …", "UBND CÁC XÃ"), a total row, or mostly figures; a column-numbering row "(1) (2)
    (3)=(2)/(1)" or "1 2 3 …" (beside "A", "B") is part of the header."""
    filled = [c for c in cells if c]
    if not filled or is_numbering([c for c in filled if not _LETTER.match(c)]):
        return False
    if (SERIAL.match(cells[0]) or ROMAN.match(cells[0])) and len(filled) > 1:
        return True
    if len(filled) <= 2 and is_section(" ".join(filled)):
        return True
    figures = sum(1 for c in filled if is_number(c))
    return bool(TOTAL.match(filled[0])) and figures > 0 or figures > len(filled) / 2


def _table(grid: _Grid, top: int, start: int, end: int, left: int, right: int, title: str | None) -> RawTable:
    header = tuple(HeaderCell(text=clean(t), row=r - top, col=c - left, rowspan=min(grid.span(r, c)[0], start - r),
                              colspan=min(grid.span(r, c)[1], right - c))
                   for r in range(top, start) for c, t in enumerate(grid.texts[r]) if left <= c < right and clean(t))
    return RawTable(header=header, rows=_body(grid, start, end, left, right), ncols=right - left, title=title)


def _body(grid: _Grid, start: int, end: int, left: int, right: int) -> tuple[RawRow, ...]:
    """Body rows on the grid: a merged cell's text in its first column, "" in the columns it covers."""
    rows = (RawRow(tuple(grid.row(r, left, right)), None, True, grid.lines[r]) for r in range(start, end))
    return tuple(r for r in rows if any(r.cells))


def _goes_on(grid: _Grid, last: RawTable) -> bool:
    """An untitled grid without a header straight after a table, as wide, numbering on from it: the
    table split over two pages without repeating its header."""
    if not grid.texts or len(grid.texts[0]) != last.ncols or _segments(grid):
        return False
    rows = _body(grid, 0, len(grid.texts), 0, last.ncols)
    return bool(rows) and _body_row(list(rows[0].cells)) and serial(last.rows, -1) + 1 == serial(rows, 0)


def _extend(table: RawTable, rows: tuple[RawRow, ...]) -> RawTable:
    return RawTable(table.header, table.rows + rows, table.ncols, table.title, table.pages)
