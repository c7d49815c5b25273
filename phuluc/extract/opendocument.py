"""OpenDocument reports (.odt, .ods) → RawDocument, through extract/parts.py.

An .odt reads like the .docx of the same report (paragraphs and tables in body order, merges as explicit
spans), an .ods like its .xlsx (each visible sheet one grid from A1 to its last filled cell, numbers
printed with the decimals the sheet shows). `content.xml` is read directly with lxml: ODF states merges
as spans on the first cell and covered cells after it, and compresses runs of equal rows and cells into
one element with a repeat count — a sheet ends in a million empty rows stated once, so repeats of
nothing are counted, never expanded.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from lxml import etree

from phuluc.errors import PhulucError
from phuluc.extract import parts
from phuluc.extract.page import Grid
from phuluc.extract.parts import Part, shown_number
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.text import nfc

_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_S = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"

_PARAGRAPHS = (_X + "p", _X + "h")
# block containers looked into: sections, lists, and the bodies (not the templates) of indexes
_CONTAINERS = frozenset(_X + name for name in (
    "section", "list", "list-item", "list-header", "index-body", "table-of-content", "illustration-index",
    "table-index", "object-index", "user-index", "alphabetical-index", "bibliography"))
# not printed in the text: footnotes (Word keeps them apart too), comments, a drawing's alternative text
_DROPPED = frozenset((_X + "note", _O + "annotation", _SVG + "title", _SVG + "desc"))
_ROW_GROUPS = frozenset(_T + name for name in ("table-header-rows", "table-row-group", "table-rows"))
_NUMBERS = frozenset(("float", "percentage", "currency"))
_UNSHOWN = frozenset(("date", "time"))  # no figure, as excel.py reads them
_SPACE = re.compile(r"[ \t\r\n]+")  # ODF collapses whitespace in text; spaces are stated as text:s

MAX_XML = 256 << 20  # bytes of content.xml, unpacked


def read_odt(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read an .odt report: body paragraphs and tables in document order."""
    data, body = _body(path, "text")
    try:
        found = list(_parts(body))
    except ValueError as e:  # a bad count
        raise parts.unreadable(path, e) from None
    return parts.document(path, data, "odt", found, settings)


def read_ods(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read an .ods report: each visible sheet, in order, from the values LibreOffice cached."""
    data, body = _body(path, "spreadsheet")
    hidden = _hidden_tables(body.getroottree().getroot())
    sheets: list[Part] = []
    try:
        for sheet in body.iterchildren(_T + "table"):
            if sheet.get(_T + "style-name") not in hidden:
                _check_cached(path, sheet)
                sheets.append(_ods_grid(sheet))
    except ValueError as e:  # a bad count or value
        raise parts.unreadable(path, e) from None
    return parts.document(path, data, "ods", sheets, settings)


# ---------------------------------------------------------------- the package


def _body(path: Path, kind: Literal["text", "spreadsheet"]) -> tuple[bytes, etree._Element]:
    """The file's bytes and its office:body/office:<kind>; a damaged file, another kind of document or a
    content.xml past MAX_XML is unreadable. Entities are not expanded and nothing is fetched."""
    data = parts.read_bytes(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("content.xml")
            if info.file_size > MAX_XML:
                raise ValueError(f"content.xml larger than {MAX_XML >> 20} MB")
            root = etree.fromstring(package.read(info), parser)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as e:
        raise parts.unreadable(path, e) from None
    body = root.find(f"{_O}body/{_O}{kind}")
    if body is None:
        raise parts.unreadable(path, ValueError(f"no office:{kind} in content.xml"))
    return data, body


def _hidden_tables(root) -> set[str]:
    """Names of the table styles that hide a sheet (`table:display="false"`)."""
    return {style.get(_S + "name") for style in root.iterfind(f"{_O}automatic-styles/{_S}style")
            if any(p.get(_T + "display") == "false" for p in style.iterchildren(_S + "table-properties"))}


# ---------------------------------------------------------------- text


def _parts(container) -> Iterator[Part]:
    """Paragraphs and tables in order, looking into sections, lists and index bodies."""
    for el in container.iterchildren():
        if el.tag in _PARAGRAPHS:
            yield _paragraph(el)
        elif el.tag == _T + "table":
            yield _odt_grid(el)
        elif el.tag in _CONTAINERS:
            yield from _parts(el)


def _paragraph(el) -> str:
    """A paragraph's text; a line break is a new line (a title may break after "Phụ lục")."""
    return nfc("".join(_pieces(el)))


def _pieces(el) -> Iterator[str]:
    """Text, spaces, tabs and breaks in order; a paragraph of a text box anchored here on a line of its own."""
    if el.text:
        yield _SPACE.sub(" ", el.text)
    for child in el.iterchildren():
        if child.tag == _X + "s":
            yield " " * _count(child, _X + "c")
        elif child.tag == _X + "tab":
            yield " "
        elif child.tag == _X + "line-break":
            yield "\n"
        elif child.tag in _PARAGRAPHS:
            yield "\n"
            yield from _pieces(child)
        elif child.tag not in _DROPPED and isinstance(child.tag, str):  # not a comment or an unexpanded entity
            yield from _pieces(child)
        if child.tail:
            yield _SPACE.sub(" ", child.tail)


def _cell_text(cell) -> str:
    """A cell's paragraphs, one per line; a table nested in the cell adds its cells' lines (as word.py)."""
    lines: list[str] = []
    for part in _parts(cell):
        lines += [part] if isinstance(part, str) else [t for row in part.texts for t in row if t]
    return "\n".join(lines)


def _ods_text(cell) -> str:
    """A sheet cell as printed text: a number in the Vietnamese print with the decimals the sheet shows, a
    boolean as Excel names it, a date or time as nothing (all as excel.py); else its paragraphs."""
    kind = cell.get(_O + "value-type")
    if kind in _NUMBERS:
        return shown_number(float(cell.get(_O + "value", "")), _cell_text(cell), kind == "percentage")
    if kind == "boolean":
        return cell.get(_O + "boolean-value", "").upper()
    return "" if kind in _UNSHOWN else _cell_text(cell)


# ---------------------------------------------------------------- tables


def _odt_grid(table) -> Grid:
    """A text table on its grid, every row and column its cells take (as word.py reads a Word table); a
    merge down past the last row ends there."""
    cells, spans = _table(table, _cell_text, trim=False)
    height = len(cells)
    spans = {(r, c): (min(rows, height - r), cols) for (r, c), (rows, cols) in spans.items()}
    return Grid(tuple(map(tuple, cells)), spans, lines=(None,) * height)


def _ods_grid(sheet) -> Grid:
    """A sheet as excel.py reads one: from A1 to its last filled cell, merges cut at its edge."""
    cells, spans = _table(sheet, _ods_text, trim=True)
    return parts.sheet_grid(cells, [(r, c, r + rows - 1, c + cols - 1) for (r, c), (rows, cols) in spans.items()])


def _table(table, text: Callable[[etree._Element], str],
           trim: bool) -> tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]]]:
    """The cell texts of a table, row by row, and the (rows, columns) of its merged cells by their first
    cell. `trim`: up to the last filled row and column; else as far as any cell goes. Only cells with
    text or a merge are repeated out."""
    filled: dict[tuple[int, int], str] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    height = width = 0
    for r, c, cell, down, across in _cells(table):
        value = text(cell)
        span = (_count(cell, _T + "number-rows-spanned"), _count(cell, _T + "number-columns-spanned"))
        if value or not trim:
            height = max(height, r + down)
            width = max(width, c + across + (0 if trim else span[1] - 1))
        if not value and span == (1, 1):
            continue
        parts.check_size(r + down, c + across)
        for at in ((r + i, c + j) for i in range(down) for j in range(across)):
            filled[at] = value
            if span != (1, 1):
                spans[at] = span
    parts.check_size(height, width)
    cells = [[filled.get((r, c), "") for c in range(width)] for r in range(height)]
    return cells, {at: span for at, span in spans.items() if at[0] < height and at[1] < width}


def _cells(table) -> Iterator[tuple[int, int, etree._Element, int, int]]:
    """Each cell of a table (not the covered cells of a merge, which only move the column on) with its first
    row and column and how many times it repeats down and across."""
    r = 0
    for row in _rows(table):
        down, c = _count(row, _T + "number-rows-repeated"), 0
        for cell in row.iterchildren(_T + "table-cell", _T + "covered-table-cell"):
            across = _count(cell, _T + "number-columns-repeated")
            if cell.tag == _T + "table-cell":
                yield r, c, cell, down, across
            c += across
        r += down


def _rows(el) -> Iterator[etree._Element]:
    """A table's rows, through the header-rows and row-group wrappers."""
    for child in el.iterchildren():
        if child.tag == _T + "table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _count(el, attribute: str) -> int:
    """A repeat or span count; absent is 1, a count that is no number raises ValueError."""
    return max(1, int(el.get(attribute, "1")))


def _check_cached(path: Path, sheet) -> None:
    """A sheet saved by a program that computes nothing stores formulas without their results: reading
    them as empty cells would silently lose figures, so say so (as excel.py)."""
    for r, c, cell, _, _ in _cells(sheet):
        if cell.get(_T + "formula") and cell.get(_O + "value-type") is None:
            raise PhulucError("no_cached_values", file=str(path), sheet=sheet.get(_T + "name", ""),
                              cell=_a1(r, c))


def _a1(r: int, c: int) -> str:
    """A cell's name as a spreadsheet prints it: (5, 4) → "E6"."""
    letters = ""
    c += 1
    while c:
        c, rest = divmod(c - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{r + 1}"
