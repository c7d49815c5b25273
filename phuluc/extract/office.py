"""Word (.docx) and Excel (.xlsx) reports → RawDocument: the same records the text reader makes.

Both formats state their merged cells, so each is turned into parts in document order — body
paragraphs (strings) and grids (cell texts with explicit spans) — and read as one page: the ruled
finder finds the tables in the grids (a grid with an "STT" header row holds a table), every other row
of a grid is body text, one block per row (the document header "ỦY BAN NHÂN DÂN | CỘNG HÒA …", the
signature block, a sheet's title and caption rows), and extract/assemble.py titles the tables and
joins a table that goes on after a repeated header, as for every other format.

Word keeps merges as `w:gridSpan` (across) and `w:vMerge` restart/continue (down); python-docx's
`row.cells` repeats merged cells, so the XML is read directly. Excel keeps merged ranges and numbers
as numbers: a numeric cell becomes the Vietnamese print of exactly its value ("1,527", "78,13%").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import assemble
from phuluc.extract.page import Grid, Line, Page, text_line
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.text import clean, nfc

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

Part = str | Grid


# ---------------------------------------------------------------- readers


def read_docx(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .docx report: body paragraphs and tables in document order."""
    import docx  # python-docx; imported here so the text formats work without it

    data = _bytes(path)
    try:
        body = docx.Document(str(path)).element.body
    except Exception as e:  # zip, XML and package errors of a damaged file
        raise _unreadable(path, e) from None
    return _document(path, data, "docx", list(_docx_parts(body)), settings)


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
    return _document(path, data, "xlsx", parts, settings)


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


def _docx_grid(tbl) -> Grid:
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
    texts = tuple(tuple(row.get(c, "") for c in range(width)) for row in rows)
    return Grid(texts, {k: v for k, v in spans.items() if v != (1, 1)}, lines=(None,) * len(texts))


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


def _xlsx_grid(ws) -> Grid:
    """A sheet as one grid from A1 to its last filled cell; merged ranges become spans."""
    cells = [[_xlsx_text(c) for c in row] for row in ws.iter_rows()]
    height = max((r + 1 for r, row in enumerate(cells) if any(row)), default=0)
    width = max((c + 1 for row in cells for c, t in enumerate(row) if t), default=0)
    spans = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= height and rng.min_col <= width:
            spans[(rng.min_row - 1, rng.min_col - 1)] = (min(rng.max_row, height) - rng.min_row + 1,
                                                         min(rng.max_col, width) - rng.min_col + 1)
    texts = tuple(tuple(row[:width] + [""] * (width - len(row))) for row in cells[:height])
    return Grid(texts, spans, lines=tuple(range(1, height + 1)))


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


# ---------------------------------------------------------------- parts → one page


def _document(path: Path, data: bytes, fmt: str, parts: list[Part], settings: Settings) -> RawDocument:
    """Paragraphs and grids in document order as one page for extract/assemble.py: each paragraph a
    block of body text, each grid read by the ruled finder."""
    lines: list[Line] = []
    grids: list[Grid] = []
    for at, part in enumerate(parts):
        if isinstance(part, str):
            texts = [clean(t) for t in part.split("\n") if clean(t)]
            lines += [text_line(t, None, len(lines) + k + 1, float(at)) for k, t in enumerate(texts)]
            if texts:
                lines.append(text_line("", None, len(lines) + 1, float(at)))
        else:
            n = len(part.texts)
            grids.append(replace(part, pages=(None,) * n, tops=(float(at),) * n, top=float(at), bottom=float(at)))
    return assemble.document([Page(None, tuple(lines), tuple(grids))], source=str(path),
                             sha256=hashlib.sha256(data).hexdigest(), fmt=fmt, settings=settings)
