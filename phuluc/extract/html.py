"""Web pages (.html, .htm) → RawDocument, through extract/parts.py.

Reports reach us as pages saved from a provincial portal (menus, navigation and the report inside
nested layout tables, scripts, styles), as Word's "save as web page" and as a portal's "Excel" export
(an HTML table whose cells keep their values in `x:num`, or Calc's `sdval`: a number is that value with
the decimals displayed, as the exporting machine's locale may print "2,000" for two thousand). A
page is read as a browser shows it: what a browser does not show (scripts, styles, the head but its
title, hidden elements) is dropped, block elements and `<br>` end lines, inline elements join text and
whitespace collapses. A table that holds tables only lays the page out: its own text becomes paragraphs
in document order and its tables are looked into; a table without tables becomes a grid with its
rowspan/colspan, so the ruled finder finds the appendix among the layout as in a Word file. The title
comes first, as the heading of a page whose body has no document header.

The page is decoded here, not by lxml's guess: a byte-order mark, else the charset a `<meta>` (or an
XML declaration) declares, else UTF-8, else windows-1258 — the code page of Vietnamese Windows, the only
legacy one Word and browsers save Vietnamese in (cp1252 reads its letters as Western ones). Windows-1258
writes tone marks as combining characters, so the text is NFC before anything reads it. The HTML parser
fetches nothing and expands only HTML's own entities.
"""

from __future__ import annotations

import codecs
import enum
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import parts, sniff
from phuluc.extract.page import Grid
from phuluc.extract.parts import Part, shown_number
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.text import clean, nfc

# not shown as text: the head (the title is read apart), code, drawings, embedded frames, a drop-down's options
_DROPPED = frozenset({"head", "title", "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                      "select"})
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
                     "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
                     "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
                     "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
                     "tr", "ul"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace; a non-breaking space is kept, as a browser keeps it
_DECLARED = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)"
                       rb"|<\?xml[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:-]+)", re.IGNORECASE)
_PRESCAN = 8192  # bytes looked at for a declaration; Word's pages declare it after a long <html> tag
_BROWSER_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "utf-16": "utf-8",
                    "utf-16-le": "utf-8", "utf-16-be": "utf-8"}  # as WHATWG's encoding labels map them
_COLSPAN_CAP, _ROWSPAN_CAP = 1000, 65534  # HTML's own limits
_STORED = frozenset({"x:num", "sdval"})  # a spreadsheet's exported cell keeps its value in one of these
_SHOWN_DIGIT = re.compile(r"\d")


class Break(enum.Enum):
    """Where the text flow ends a line: a `<br>`, or a block element's edge (a paragraph)."""

    LINE = "line"
    BLOCK = "block"


Token = str | Grid | Break


def read(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a web page: its title, then its paragraphs and leaf tables in document order."""
    import lxml.etree
    import lxml.html

    data = parts.read_bytes(path)
    settings.budget.check_text(len(data))
    text = _decode(data, path)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.LxmlError, ValueError) as e:  # a page without any content
        raise parts.unreadable(path, e) from None
    title = root.find(".//title")
    body = list(_paragraphs(_flow(root)))
    heading = [clean(title.text_content())] if title is not None else []
    return parts.document(path, data, "html", heading + body, settings)


# ---------------------------------------------------------------- bytes → text


def _decode(data: bytes, path: Path) -> str:
    """The page's text in NFC, decoded as declared (see the module's docstring)."""
    if marked := sniff.bom(data):
        codec, size = marked
        return nfc(data[size:].decode(codec, "replace"))
    if b"\x00" in data[:4096]:
        raise PhulucError("binary_file", file=str(path))
    declared = _declared(data[:_PRESCAN])
    if declared:
        return nfc(data.decode(declared, "replace"))
    try:
        return nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        return nfc(data.decode("cp1258", "replace"))


def _declared(head: bytes) -> str | None:
    """The codec of the charset the page declares; None where it declares none Python knows."""
    m = _DECLARED.search(head)
    if m is None:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _BROWSER_ALIASES.get(name, name)


# ---------------------------------------------------------------- elements → text flow


def _flow(el, pre: bool = False) -> Iterator[Token]:
    """An element as a browser lays it out: text pieces, line and paragraph breaks, a leaf table as a grid."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROPPED or not _visible(el):
        return
    if tag == "br":
        yield Break.LINE
        return
    if tag == "table" and el.find(".//table") is None:
        yield from _leaf_table(el)
        return
    pre = pre or tag == "pre"
    block = tag in _BLOCKS
    if block:
        yield Break.BLOCK
    yield from _inline(el.text, pre)
    for child in el:
        yield from _flow(child, pre)
        yield from _inline(child.tail, pre)
    if block:
        yield Break.BLOCK


def _inline(text: str | None, pre: bool) -> Iterator[Token]:
    """Text as shown: whitespace collapsed to one space, or in `<pre>` its line breaks kept."""
    if not text:
        return
    if not pre:
        yield _SPACE.sub(" ", text)
        return
    for k, line in enumerate(text.split("\n")):
        if k:
            yield Break.LINE
        yield line


def _paragraphs(tokens: Iterable[Token]) -> Iterator[Part]:
    """The flow as parts: each paragraph its non-empty lines joined by "\\n", each grid as it comes."""
    lines: list[str] = [""]
    for token in chain(tokens, [Break.BLOCK]):
        if isinstance(token, str):
            lines[-1] += token
        elif token is Break.LINE:
            lines.append("")
        else:
            if kept := [clean(t) for t in lines if clean(t)]:
                yield "\n".join(kept)
            lines = [""]
            if isinstance(token, Grid):
                yield token


def _text(el) -> str:
    """An element's text, a line per paragraph or `<br>` (a cell, a caption), as word.py's `_cell_text`."""
    return "\n".join(part for part in _paragraphs(_flow(el)) if isinstance(part, str))


# ---------------------------------------------------------------- leaf tables → grids


def _leaf_table(table) -> Iterator[Token]:
    """A table's caption as a paragraph, then the table as a grid."""
    caption = table.find("caption")
    if caption is not None:
        yield Break.BLOCK
        yield _text(caption)
    yield Break.BLOCK
    yield _grid(table)


def _grid(table) -> Grid:
    """The HTML table algorithm: each cell at the first column of its row that no cell from above covers,
    spans within HTML's caps and the table's extent (a rowspan ends with its row group, a colspan where
    the table's cells end). A table whose cells overlap breaks that model — LibreOffice writes such a
    table where its grid has slivers, a cell spanning a sliver and the real column beside it — and is laid
    out by its cells' widths instead, where every cell states one."""
    trs = [tr for tr in table.iter("tr") if _visible(tr)]
    rows = [[td for td in tr if td.tag in ("td", "th") and _visible(td)] for tr in trs]
    heights = _heights(trs, rows)
    colspans = [[_span(td, "colspan", _COLSPAN_CAP) or 1 for td in row] for row in rows]
    placed, overlap = _place(rows, heights, colspans)
    widths = _widths(table, rows) if overlap else None
    if widths is None:
        return _dense(len(rows), placed, 0)
    placed, _ = _place(rows, heights, widths)
    return _dense(len(rows), placed, min(w for row in widths for w in row) / 3)


def _cell_text(td) -> str:
    """A cell's text; a number a spreadsheet exported with its value (Excel's x:num, Calc's sdval) as
    that value with the decimals displayed, whatever the exporting machine's locale printed."""
    text = _text(td)
    stored = next((v for k, v in td.attrib.items() if k in _STORED), None)
    try:
        value = float(stored) if stored is not None else None
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or not _SHOWN_DIGIT.search(text):
        return text
    return shown_number(value, text, "%" in text)


def _visible(el) -> bool:
    return el.get("hidden") is None and not _HIDDEN.search(el.get("style", ""))


def _heights(trs: list, rows: list[list]) -> list[list[int]]:
    """Each cell's rowspan, ended with its row group (thead, tbody, tfoot or the table); rowspan="0" runs
    to the group's end."""
    ends = [len(trs)] * len(trs)
    for r in range(len(trs) - 2, -1, -1):
        ends[r] = ends[r + 1] if trs[r].getparent() is trs[r + 1].getparent() else r + 1
    return [[min(_span(td, "rowspan", _ROWSPAN_CAP) or _ROWSPAN_CAP, ends[r] - r) for td in row]
            for r, row in enumerate(rows)]


def _widths(table, rows: list[list]) -> list[list[int]] | None:
    """Each cell's extent across in pixels — its `width` and the padding and spacing around it, so that a
    cell over two columns is as wide as the two — or None where a cell has no width in pixels."""
    gap = 2 * _pixels(table.get("cellpadding"), 1) + _pixels(table.get("cellspacing"), 2)
    widths = [[_pixels(td.get("width"), -1) for td in row] for row in rows]
    if any(w < 0 for row in widths for w in row):
        return None
    return [[w + gap for w in row] for row in widths]


def _pixels(value: str | None, default: int) -> int:
    return int(value) if value and value.strip().isdigit() else default


def _place(rows: list[list], heights: list[list[int]], widths: list[list[float]]
           ) -> tuple[list[tuple[int, float, int, float, str]], bool]:
    """The cells (row, left, rows, extent, text), each at the first place of its row that no rowspan from
    above covers; and whether a cell overlaps one."""
    placed: list[tuple[int, float, int, float, str]] = []
    running: list[tuple[float, float, int]] = []  # (left, right, past row) of the rowspans from above
    overlap = False
    for r, row in enumerate(rows):
        running = [s for s in running if s[2] > r]
        lefts, crossed = _lefts(widths[r], sorted(s[:2] for s in running))
        overlap |= crossed
        for td, left, height, width in zip(row, lefts, heights[r], widths[r]):
            placed.append((r, left, height, width, _cell_text(td)))
            if height > 1:
                running.append((left, left + width, r + height))
    return placed, overlap


def _lefts(widths: list[float], covered: list[tuple[float, float]]) -> tuple[list[float], bool]:
    """Where each cell of a row begins: after the cell before it, past the rowspans from above that cover
    the place (`covered`: their (left, right), sorted; each passed once); and whether a cell runs into one."""
    out, x, i, crossed = [], 0.0, 0, False
    for width in widths:
        while i < len(covered) and covered[i][0] <= x:
            x, i = max(x, covered[i][1]), i + 1
        crossed |= i < len(covered) and covered[i][0] < x + width
        out.append(x)
        x += width
    return out, crossed


def _span(td, name: str, cap: int) -> int:
    """A cell's rowspan or colspan as HTML reads it: the digits it starts with, at most `cap`; 1 where it
    has none; 0 for rowspan="0", which runs to the end of the row group."""
    m = re.match(r"\s*(\d+)", td.get(name, "1"))
    return min(int(m.group(1)), cap) if m else 1


def _dense(height: int, placed: list[tuple[int, float, int, float, str]], tolerance: float) -> Grid:
    """The placed cells on the columns where a cell begins (starts closer than `tolerance` are one): a
    column only a span covers holds nothing, so a hostile colspan costs no memory; spans are counted in
    those columns. A table too large to hold gives up the file, not the machine's memory."""
    starts: list[float] = []
    for x in sorted({left for _, left, _, _, _ in placed}):
        if not starts or x - starts[-1] > tolerance:
            starts.append(x)
    parts.check_size(height, len(starts))
    texts = [[""] * len(starts) for _ in range(height)]
    spans = {}
    for r, left, rows, width, text in placed:
        at = bisect_right(starts, left + tolerance) - 1
        span = (rows, max(1, bisect_left(starts, left + width - tolerance) - at))
        texts[r][at] = text
        if span != (1, 1):
            spans[(r, at)] = span
    return Grid(tuple(map(tuple, texts)), spans, lines=(None,) * height)
