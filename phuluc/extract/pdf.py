"""PDFs with a text layer → RawDocument.

pdfium gives the words of each page with their positions, as pdfplumber would (extract/pdfium.py; a
damaged file pdfium cannot open is read by pdfplumber, extract/plumber.py); legacy Vietnamese fonts
(TCVN3, VNI) are decoded to Unicode word by word from their font names before anything else reads them.
Each page then becomes lines of words at their exact positions (measured in character widths, as a text
file's columns are) with the line's text laid out as `pdftotext -layout` does, and the ruled tables its
ruling lines bound become grids of cells holding the words inside them. The finders
read both (extract/assemble.py). A page without a usable text layer (a scan, or glyphs that map to
nothing, "(cid:12)") is read by OCR (extract/ocr.py): its ruled tables come back as tables with a
confidence per cell, its other words join the lines; a document of mixed pages is read page by page
with the right method. Without Tesseract such pages are reported as needing OCR, never read as empty.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import statistics
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from phuluc.errors import PhulucError, reason
from phuluc.extract import assemble, pdfium
from phuluc.extract.layer import Document, TextLayer
from phuluc.extract.page import Grid, Line, Page, Word, box_of
from phuluc.model import Box, RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.legacy import decode_font_text

_UNMAPPED = "(cid:"
_LINE_TOLERANCE = 0.45  # words whose tops differ by less than this share of the text height share a line
_WORD_GAP = (0.2, 0.5)  # of the font size: a word space (a space glyph is 0.25–0.33 wide) lies between; a
# wider gap parts columns, and a narrower one, which no space glyph makes, is where one cell ends flush
# right and the next begins flush left (a spreadsheet printed without rules: "10" | "Xuất sắc")
_BLANK_GAP = 1.6  # a vertical gap over this many line heights is a blank line, as pdftotext prints it
_SNAP = 1.0  # pt: cell edges closer than this are one ruling line


def read(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    data = path.read_bytes()
    numbers = itertools.count(1)
    try:
        pages, missing = _read(pdfium.Document, path, data, numbers, settings)
    except pdfium.Encrypted:
        raise PhulucError("encrypted_pdf", file=str(path)) from None
    except pdfium.Unsuited:
        from phuluc.extract import plumber  # pdfminer reads some damaged files pdfium cannot

        numbers = itertools.count(1)
        pages, missing = _read(plumber.Document, path, data, numbers, settings)
    if missing:
        _ocr(path, missing, pages, numbers, settings)
    return assemble.document(pages, source=str(path), sha256=hashlib.sha256(data).hexdigest(),
                             fmt="pdf-scanned" if missing else "pdf", settings=settings)


def _read(reader: Callable[[Path, bytes], Document], path: Path, data: bytes, numbers: Iterator[int],
          settings: Settings) -> tuple[list[Page], list[int]]:
    """The pages of the text layer (of the file's bytes, read once), and the numbers of the pages
    without one that are left for OCR."""
    pages, missing = [], []
    with reader(path, data) as document:
        settings.budget.check_pages(len(document))
        for number in range(1, len(document) + 1):
            try:
                page = _page(document.layer(number - 1), number, numbers)
            except pdfium.Unsuited:
                raise
            except Exception as e:  # a damaged page (a bad box, a glyph of no width)
                raise PhulucError("unreadable_page", file=str(path), page=number, reason=reason(e)) from None
            if page is None:
                missing.append(number)
            pages.append(page or Page(number, ()))
    return pages, missing


def _page(layer: TextLayer, number: int, numbers: Iterator[int]) -> Page | None:
    """The page its text layer shows; None for a page without a usable one on which something is drawn
    (a scan: OCR reads it), and a blank page for one on which nothing is (no page to send to OCR,
    however many a file has)."""
    words = [{**w, "text": decode_font_text(w["text"], w["fontname"])} for w in layer.words]
    if not _usable(words):
        return None if layer.drawn else Page(number, ())
    page_lines = lines(words, number, numbers, layer.size)
    return Page(number, tuple(page_lines), tuple(_grids(layer, words, page_lines)))


def _ocr(path: Path, missing: list[int], pages: list[Page], numbers: Iterator[int], settings: Settings) -> None:
    """Pages without a text layer, by OCR, into their place in `pages`. Without Tesseract the pages
    are reported as needing OCR."""
    from phuluc.extract import ocr  # OpenCV and Tesseract load for scans only

    if not ocr.available():
        raise PhulucError("needs_ocr", file=str(path), pages=", ".join(map(str, missing)))
    for number, scan in ocr.ocr_pages(path, missing, settings).items():
        pages[number - 1] = scanned_page(number, scan.words, numbers, scan.size)


def scanned_page(number: int, words: Sequence[dict], numbers: Iterator[int],
                 size: tuple[float, float] | None = None) -> Page:
    """A page as OCR read it: its ruled grids cell by cell, its other words as lines (boxed on a page
    of `size` points, where known)."""
    from phuluc.extract import ocr

    found, rest = ocr.grids(words, number, size)
    return Page(number, tuple(lines(rest, number, numbers, size)), tuple(found))


def _usable(words: list[dict]) -> bool:
    """A text layer is usable when it has words and most of them map to characters."""
    if not words:
        return False
    unmapped = sum(1 for w in words if _UNMAPPED in w["text"])
    return unmapped < len(words) / 3


def lines(words: Sequence[dict], page: int, numbers: Iterator[int], size: tuple[float, float] | None = None) -> list[Line]:
    """The page's words as lines, top to bottom: each word at its position in character widths, the
    line's text laid out with each word at the column its position gives (as `pdftotext -layout`
    does), and a blank line where the print leaves a gap of more than a line and a half; each line
    boxed on a page of `size` points, where known."""
    if not words:
        return []
    height = statistics.median(w["bottom"] - w["top"] for w in words) or 1.0
    # a narrow character width: printed words then fit in the span they cover, so a line of tight
    # headings is not pushed right word after word; glyphs drawn without width (a damaged or odd font)
    # say nothing of it
    widths = [width for w in words if (width := (w["x1"] - w["x0"]) / max(len(w["text"]), 1)) > 0]
    char_width = statistics.quantiles(widths * 2, n=10)[1] if widths else height / 2
    out: list[Line] = []
    previous = None
    for group in _visual_lines(words, height):
        top = min(w["top"] for w in group)
        if previous is not None and top - previous > _BLANK_GAP * height:
            out.append(Line("", page, next(numbers), (), top - height))
        previous = top
        no = next(numbers)
        text, placed, last = "", [], None
        for w in sorted(group, key=lambda w: w["x0"]):
            joined = last is not None and _WORD_GAP[0] <= (w["x0"] - last["x1"]) / (w["size"] or height) < _WORD_GAP[1]
            if joined:
                text += " " + w["text"]  # the next word of the same phrase
            else:
                column = round(w["x0"] / char_width)
                text += " " * max(column - len(text), 2 if text else 0) + w["text"]
            placed.append(Word(w["text"], w["x0"] / char_width, w["x1"] / char_width, no, page, joined))
            last = w
        out.append(Line(text, page, no, tuple(placed), top, measured=True, box=box_of(group, size)))
    return out


def _visual_lines(words: Sequence[dict], height: float) -> list[list[dict]]:
    """Words whose tops lie within a fraction of the text height of each other share a line."""
    groups: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if groups and abs(w["top"] - groups[-1][0]["top"]) < _LINE_TOLERANCE * height:
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def _grids(layer: TextLayer, words: Sequence[dict], page_lines: Sequence[Line]) -> list[Grid]:
    """The ruled tables of the page (cells bounded by its ruling lines) as grids of the words inside."""
    return [grid for cells in layer.tables if (grid := _grid(cells, words, page_lines, layer.size))]


def _grid(cells: Sequence[tuple[float, float, float, float]], words: Sequence[dict],
          page_lines: Sequence[Line], size: tuple[float, float]) -> Grid | None:
    """Cell boxes → a grid: columns and rows at the distinct cell edges, a merged cell spanning those
    it covers, each cell's words line by line; each row knows the first line printed in it and its box
    between the grid's outer rules."""
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 3 or len(ys) < 3:
        return None
    texts = [[""] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    spans = {}
    by_middle = sorted(((w["top"] + w["bottom"]) / 2, (w["x0"] + w["x1"]) / 2, k) for k, w in enumerate(words))
    middles = [m for m, _, _ in by_middle]
    for x0, top, x1, bottom in cells:
        r, c = _index(ys, top), _index(xs, x0)
        rows, cols = _index(ys, bottom) - r, _index(xs, x1) - c
        band = by_middle[bisect.bisect_left(middles, top):bisect.bisect_right(middles, bottom)]
        inside = [words[k] for _, centre, k in sorted(band, key=lambda b: b[2]) if x0 <= centre <= x1]
        texts[r][c] = "\n".join(" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"]))
                                for line in _visual_lines(inside, _height(inside)))
        if (rows, cols) != (1, 1):
            spans[(r, c)] = (rows, cols)
    first = [next((ln.no for ln in page_lines if ys[r] <= ln.top < ys[r + 1]), None) for r in range(len(texts))]
    pages = tuple(ln.page for ln in page_lines[:1]) * len(texts)
    return Grid(tuple(map(tuple, texts)), spans, lines=tuple(first), pages=pages, tops=tuple(ys[:-1]),
                top=ys[0], bottom=ys[-1], boxes=tuple(_row_box(xs, ys, r, size) for r in range(len(texts))))


def _row_box(xs: Sequence[float], ys: Sequence[float], r: int, size: tuple[float, float]) -> Box:
    """Grid row `r` from the left rule to the right, as fractions of the page."""
    width, height = size
    return xs[0] / width, ys[r] / height, xs[-1] / width, ys[r + 1] / height


def _edges(values: list[float]) -> list[float]:
    """Distinct positions, those closer than _SNAP taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(edges: Sequence[float], value: float) -> int:
    """The nearest of the sorted `edges` to `value` (the first of two as near)."""
    k = bisect.bisect_left(edges, value)
    return min((j for j in (k - 1, k) if 0 <= j < len(edges)), key=lambda j: abs(edges[j] - value))


def _height(words: Sequence[dict]) -> float:
    return statistics.median(w["bottom"] - w["top"] for w in words) if words else 1.0
