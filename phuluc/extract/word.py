"""Word reports (.docx; .doc and RTF converted to .docx by LibreOffice) → RawDocument, through
extract/parts.py.

Word keeps merges as `w:gridSpan` (across) and `w:vMerge` restart/continue (down); python-docx's
`row.cells` repeats merged cells, so the XML is read directly.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Literal

from phuluc.errors import PhulucError
from phuluc.extract import libreoffice, parts
from phuluc.extract.page import Grid
from phuluc.extract.parts import Part
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.text import nfc

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .docx report: body paragraphs and tables in document order."""
    return parts.document(path, parts.read_bytes(path), "docx", _body_parts(str(path), path), settings)


def read_converted(path: Path, settings: Settings = DEFAULT, fmt: Literal["doc", "rtf"] = "doc") -> RawDocument:
    """Read a Word 97–2003 (.doc) or RTF report through LibreOffice's conversion to .docx; the records
    name the file as sent and its own sha256."""
    data = parts.read_bytes(path)
    converted = io.BytesIO(libreoffice.converted(path, "docx"))
    return parts.document(path, data, fmt, _body_parts(converted, path), settings)


def _body_parts(source: str | IO[bytes], path: Path) -> list[Part]:
    """The parts of the body of the Word file `source`; errors name `path`, the file as sent."""
    import docx  # python-docx; imported here so the text formats work without it

    try:
        body = docx.Document(source).element.body
        return [] if body is None else list(_docx_parts(body))  # a document of no body holds nothing
    except PhulucError:  # a table past parts.MAX_CELLS
        raise
    except Exception as e:  # zip, XML and package errors of a damaged file
        raise parts.unreadable(path, e) from None


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
    """A Word table on its grid: `gridSpan` widens a cell, `vMerge` continue lengthens the cell above.
    Columns are the table's distinct cell edges (`_edges`), so a sliver of the grid adds none."""
    edge = _edges(tbl)
    rows: list[dict[int, str]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    running: dict[int, tuple[int, int]] = {}  # column → origin of the vertical merge running there
    for r, tr in enumerate(tbl.iterchildren(_W + "tr")):
        row: dict[int, str] = {}
        at = _val(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        for tc in tr.iterchildren(_W + "tc"):
            end = at + max(1, _val(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1))
            col, width = edge(at), edge(end) - edge(at)
            at = end
            if width == 0:  # a cell inside a sliver of the grid
                continue
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            state = None if vmerge is None else vmerge.get(_W + "val", "continue")
            if state == "continue" and col in running:
                origin = running[col]
                spans[origin] = (r - origin[0] + 1, spans[origin][1])
            else:
                row[col] = _cell_text(tc)
                spans[(r, col)] = (1, width)
                for c in [c for c in running if col <= c < col + width]:
                    running.pop(c)
                if state == "restart":
                    running[col] = (r, col)
        rows.append(row)
    width = max((c + spans[(r, c)][1] for r, row in enumerate(rows) for c in row), default=0)
    parts.check_size(len(rows), width)  # a gridSpan of 10^8
    texts = tuple(tuple(row.get(c, "") for c in range(width)) for row in rows)
    return Grid(texts, {k: v for k, v in spans.items() if v != (1, 1)}, lines=(None,) * len(texts))


_SLIVER = 30  # twips (1.5 pt): no printed column is this narrow; a grid column so narrow is an artefact


def _edges(tbl) -> Callable[[int], int]:
    """The column at each edge of the table's grid: edges closer than `_SLIVER` are one. Word keeps a
    column per distinct cell edge, and a table edited or converted (LibreOffice rounds widths) gets
    grid columns a twip wide, over which a cell of one row spans two columns and its neighbour one.
    A grid without widths is taken as it is."""
    widths = [_val(g, -1, "w") for g in tbl.iterfind(f"{_W}tblGrid/{_W}gridCol")]
    if min(widths, default=-1) < 0 or not any(widths):
        return lambda k: k
    column, x, kept = [0], 0, 0
    for w in widths:
        x += w
        wide = x - kept >= _SLIVER
        column.append(column[-1] + wide)
        kept = x if wide else kept
    last = len(widths)
    return lambda k: column[k] if k <= last else column[last] + k - last


def _cell_text(tc) -> str:
    """A cell's paragraphs, one per line; a table nested in the cell adds its cells' lines."""
    lines = []
    for child in tc.iterchildren(_W + "p", _W + "tbl"):
        if child.tag == _W + "p":
            lines.append(_docx_text(child))
        else:
            lines.extend(_cell_text(c) for c in child.iter(_W + "tc"))
    return "\n".join(lines)


def _val(el, default: int, attribute: str = "val") -> int:
    try:
        return int(el.get(_W + attribute)) if el is not None else default
    except (TypeError, ValueError):
        return default
