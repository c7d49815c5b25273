"""Text-layer PDF pages as pdfium reads them, measured as pdfplumber measures them.

pdfium (pypdfium2, loaded already for crops and scans) hands over every character with its origin,
matrix, font and size about fifteen times faster than pdfminer lays a page out. Each character is boxed
as pdfminer boxes it (from its origin along the advance, from the font's descent up one font size),
in pdfplumber's coordinates: points from the top-left corner of the MediaBox as the page's /Rotate
shows it. The characters become words as pdfplumber's `extract_words` makes them (extract/words.py);
the page's path objects, those inside form XObjects included, become the edges pdfplumber takes from
its lines, rectangles and curves, and those the ruled tables (extract/rulings.py).
"""

from __future__ import annotations

import ctypes
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from phuluc.extract import layer, rulings, words
from phuluc.extract.layer import TextLayer
from phuluc.extract.rulings import Edge, Orientation

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as PDF writes them
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SPACE = 0x20
_BREAK_HYPHEN = 0x02  # pdfium's code for a hyphen it takes to break a word over two lines: it is printed "-"
_DESCRIPTOR = re.compile(rb"<<[^<>]*/Type\s*/FontDescriptor[^<>]*>>")
_FONT_NAME = re.compile(rb"/FontName\s*/(?:[A-Z]{6}\+)?([^\s/\[\]<>()]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?\d+(?:\.\d*)?|-?\.\d+)")


class Encrypted(Exception):
    """The file needs a password."""


class Unsuited(Exception):
    """pdfium cannot open the file or one of its pages, or cannot read a page faithfully: glyphs of no
    width, all drawn at one place, which pdfium drops as copies of one another (pdfminer keeps them)."""


class Document(layer.Document):
    """A PDF open in pdfium, read page by page."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        """The file at `path`, or its bytes where the caller has read them already."""
        data = path.read_bytes() if data is None else data
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if e.err_code == raw.FPDF_ERR_PASSWORD:
                raise Encrypted from None
            raise Unsuited(str(e)) from None
        self._descents = _stated_descents(data)
        if len(self._pdf) and not _loads(self._pdf, len(self._pdf) - 1):  # a page tree whose /Count lies
            self._pdf.close()
            raise Unsuited("the page tree holds fewer pages than it counts")

    def __len__(self) -> int:
        return len(self._pdf)

    def close(self) -> None:
        self._pdf.close()

    def layer(self, index: int) -> TextLayer:
        try:
            page = self._pdf[index]
        except pdfium.PdfiumError as e:
            raise Unsuited(str(e)) from None
        try:
            frame = _Frame.of(page)
            textpage = page.get_textpage()
            try:
                chars = list(_chars(textpage.raw, frame, self._descents))
            finally:
                textpage.close()
            if 2 * sum(c["x0"] == c["x1"] for c in chars) > len(chars):
                raise Unsuited("most glyphs have no width")
            horizontal, vertical = _edges(page.raw, frame)
            return TextLayer(words.words(chars), rulings.tables(horizontal, vertical), raw.FPDFPage_CountObjects(page.raw) > 0,
                             (frame.width, frame.height))
        finally:
            page.close()


def _loads(pdf: pdfium.PdfDocument, index: int) -> bool:
    try:
        pdf[index].close()
    except pdfium.PdfiumError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class _Frame:
    """pdfminer's page matrix for the page's /Rotate (PDF user space → the page as shown, y up) and
    pdfplumber's flip of it to y down from the top of the rotated MediaBox."""

    ctm: Matrix
    x0: float
    y0: float
    width: float
    height: float

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> _Frame:
        left, bottom, right, top = page.get_mediabox(fallback_ok=False) or page.get_bbox()
        x0, x1 = sorted((left, right))
        y0, y1 = sorted((bottom, top))
        rotation = page.get_rotation()
        ctm = {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
               270: (0, 1, -1, 0, y1, -x0)}[rotation]
        if rotation in (90, 270):
            x0, y0, x1, y1 = y0, x0, y1, x1
        return cls(ctm, x0, y0, x1 - x0, y1 - y0)

    def point(self, x: float, y: float) -> Point:
        """A point of PDF user space as (x, top) on the page."""
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e + self.x0, self.height - (b * x + d * y + f) - self.y0

    def step(self, dx: float, dy: float) -> Point:
        """A step in PDF user space as a step in (x, top) on the page."""
        a, b, c, d = self.ctm[:4]
        return a * dx + c * dy, -(b * dx + d * dy)

    def upright(self, a: float, b: float, c: float, d: float) -> bool:
        """Whether text drawn with this matrix reads left to right as the page is shown (pdfminer's test)."""
        p, q, r, s = self.ctm[:4]
        a, b, c, d = p * a + r * b, q * a + s * b, p * c + r * d, q * c + s * d
        return a * d > 0 and b * c <= 0


def _chars(textpage: raw.FPDF_TEXTPAGE, frame: _Frame, descents: dict[str, float]) -> Iterator[dict]:
    """The characters the page draws (not the spaces and line ends pdfium adds between them), in the
    order it draws them; a glyph of no Unicode value is "(cid:N)", as pdfminer writes it."""
    count = raw.FPDFText_CountChars(textpage)
    codes = _codes(textpage, count)
    styles: dict[int, _Style] = {}
    fonts: dict[int, tuple[str, float]] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for i, code in enumerate(codes):
        if code <= _SPACE and raw.FPDFText_IsGenerated(textpage, i):  # pdfium adds spaces and line ends only
            continue
        obj = raw.FPDFText_GetTextObject(textpage, i)
        key = ctypes.addressof(obj.contents)
        style = styles.get(key) or styles.setdefault(key, _Style.of(textpage, i, obj, frame, fonts, descents))
        unmapped = raw.FPDFText_HasUnicodeMapError(textpage, i)
        advance = style.advance(code) if not unmapped else None
        if advance is None:
            advance = _loose_advance(textpage, i, style.matrix)
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        left, top = frame.point(x.value, y.value)
        (ux, ut), (lx, lt), (hx, ht) = style.along, style.low, style.high
        text = f"(cid:{code})" if unmapped else "-" if code == _BREAK_HYPHEN else chr(code)
        top, bottom = top + min(0.0, advance * ut) + min(lt, ht), top + max(0.0, advance * ut) + max(lt, ht)
        yield {"text": text, "x0": left + min(0.0, advance * ux) + min(lx, hx),
               "x1": left + max(0.0, advance * ux) + max(lx, hx), "top": top, "bottom": bottom,
               "fontname": style.fontname, "size": bottom - top, "upright": style.upright}


def _codes(textpage: raw.FPDF_TEXTPAGE, count: int) -> list[int]:
    """Each character's Unicode value, read in one call (one by one where a character needs two UTF-16
    units and the two no longer line up)."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = [int.from_bytes(buffer.raw[k:k + 2], "little") for k in range(0, max(written - 1, 0) * 2, 2)]
    if len(units) == count:
        return units
    return [raw.FPDFText_GetUnicode(textpage, i) for i in range(count)]


@dataclass(slots=True)
class _Style:
    """What the characters of one text object share: its font's name and widths, its matrix (a, b, c, d),
    and, on the page, the step one unit of advance takes and where the font's descent and one font size
    above it lie from a character's origin, each as (x, top)."""

    font: raw.FPDF_FONT
    fontname: str
    size: float
    matrix: tuple[float, float, float, float]
    upright: bool
    along: Point
    low: Point
    high: Point
    widths: dict[int, float | None]

    @classmethod
    def of(cls, textpage: raw.FPDF_TEXTPAGE, i: int, obj: raw.FPDF_PAGEOBJECT, frame: _Frame,
           fonts: dict[int, tuple[str, float]], descents: dict[str, float]) -> _Style:
        m = raw.FS_MATRIX()
        raw.FPDFText_GetMatrix(textpage, i, m)
        size = raw.FPDFText_GetFontSize(textpage, i)
        font = raw.FPDFTextObj_GetFont(obj)
        name, descent = _font(fonts, font, descents)
        return cls(font, name, size, (m.a, m.b, m.c, m.d), frame.upright(m.a, m.b, m.c, m.d),
                   frame.step(m.a, m.b), frame.step(m.c * descent * size, m.d * descent * size),
                   frame.step(m.c * (descent + 1) * size, m.d * (descent + 1) * size), {})

    def advance(self, code: int) -> float | None:
        """How far a character steps the text on, in text space, from the font's widths (pdfminer's
        advance; pdfium's loose box is widened to hold the glyph's ink: a VNI tone mark that steps
        nothing, an italic parenthesis); None where the widths do not name it."""
        if code not in self.widths:
            width = ctypes.c_float()
            known = raw.FPDFFont_GetGlyphWidth(self.font, code, ctypes.c_float(self.size), width)
            self.widths[code] = width.value if known else None
        return self.widths[code]


def _loose_advance(textpage: raw.FPDF_TEXTPAGE, i: int, m: tuple[float, float, float, float]) -> float:
    """The advance as the width of pdfium's loose box, for a glyph the font's widths do not name."""
    box = raw.FS_RECTF()
    raw.FPDFText_GetLooseCharBox(textpage, i, box)
    a, b = m[:2]
    return (box.right - box.left) / abs(a) if abs(a) >= abs(b) else (box.top - box.bottom) / abs(b)


def _font(fonts: dict[int, tuple[str, float]], font: raw.FPDF_FONT, descents: dict[str, float]) -> tuple[str, float]:
    """A font's name (TCVN3 and VNI fonts are known by it) and its descent at size 1, once per font: its
    descriptor's, as pdfminer takes it, where the file states it plainly, else the one pdfium knows."""
    key = ctypes.addressof(font.contents)
    if key not in fonts:
        length = raw.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(length)
        raw.FPDFFont_GetBaseFontName(font, buffer, length)
        name = buffer.value.decode("latin-1")
        if name not in descents:
            descent = ctypes.c_float()
            raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent)
            descents[name] = descent.value
        fonts[key] = name, descents[name]
    return fonts[key]


def _stated_descents(data: bytes) -> dict[str, float]:
    """The /Descent of each font descriptor written out plainly in the file, at size 1, by font name
    (without its subset tag, as pdfium names fonts; a name two descriptors state differently is left
    out). pdfium keeps descriptors to itself and puts its own metrics where one states 0, as LibreOffice's
    do; pdfminer boxes characters by the stated value, and so do the words here."""
    stated: dict[str, set[float]] = defaultdict(set)
    for found in _DESCRIPTOR.finditer(data):
        name, descent = _FONT_NAME.search(found[0]), _DESCENT.search(found[0])
        if name and descent:
            stated[name[1].decode("latin-1")].add(-abs(float(descent[1])) / 1000)
    return {name: values.pop() for name, values in stated.items() if len(values) == 1}


def _edges(page: raw.FPDF_PAGE, frame: _Frame) -> tuple[list[Edge], list[Edge]]:
    """The page's horizontal and vertical edges: each side of a rectangle, each line, each straight step
    of any other path."""
    found: dict[Orientation, list[Edge]] = {"h": [], "v": []}
    for path, matrix in _paths(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k),
                               _IDENTITY):
        for ops, points in _subpaths(path):
            placed = [frame.point(*_apply(matrix, p)) for p in points]
            for orientation, edge in _shape_edges(ops, placed):
                found[orientation].append(edge)
    return found["h"], found["v"]


def _paths(count: int, get, outer: Matrix) -> Iterator[tuple[raw.FPDF_PAGEOBJECT, Matrix]]:
    """The painted path objects among `count` objects, each with its matrix to user space; form
    XObjects are walked into."""
    m = raw.FS_MATRIX()
    for k in range(count):
        obj = get(k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            yield from _paths(raw.FPDFFormObj_CountObjects(obj), lambda j, form=obj: raw.FPDFFormObj_GetObject(form, j),
                              matrix)
        elif _painted(obj):
            yield obj, matrix


def _painted(path: raw.FPDF_PAGEOBJECT) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(path, fill, stroke)
    return bool(fill.value or stroke.value)


def _subpaths(path: raw.FPDF_PAGEOBJECT) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer sees it: its operators ("m", "l", "c", "h") and the point each ends at
    ("h" at the start)."""
    ops, points = "", []
    x, y = ctypes.c_float(), ctypes.c_float()
    curve_step = 0
    for k in range(raw.FPDFPath_CountSegments(path)):
        segment = raw.FPDFPath_GetPathSegment(path, k)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if ops:
                yield ops, points
            ops, points, curve_step = "m", [(x.value, y.value)], 0
        elif kind == raw.FPDF_SEGMENT_LINETO:
            ops += "l"
            points.append((x.value, y.value))
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            curve_step = (curve_step + 1) % 3  # two control points, then where the curve ends
            if curve_step == 0:
                ops += "c"
                points.append((x.value, y.value))
        if ops and raw.FPDFPathSegment_GetClose(segment):
            ops += "h"
            points.append(points[0])
    if ops:
        yield ops, points


def _shape_edges(ops: str, points: list[Point]) -> Iterator[tuple[Orientation, Edge]]:
    """A subpath's edges as pdfplumber takes them from pdfminer's line, rectangle or curve."""
    if len(ops) > 3 and ops.endswith("lh") and points[-2] == points[0]:
        ops, points = ops[:-2] + "h", points[:-1]
    if ops in ("ml", "mlh"):
        (x0, t0), (x1, t1) = points[:2]
        yield ("h" if t0 == t1 else "v"), Edge(min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1))
    elif ops in ("mlllh", "mllll") and points[0] == points[4] and _square(points):
        (x0, t0), (x1, t1) = points[0], points[2]
        left, right, top, bottom = min(x0, x1), max(x0, x1), min(t0, t1), max(t0, t1)
        yield from (("h", Edge(left, top, right, top)), ("h", Edge(left, bottom, right, bottom)),
                    ("v", Edge(left, top, left, bottom)), ("v", Edge(right, top, right, bottom)))
    else:
        for (x0, t0), (x1, t1) in zip(points, points[1:]):
            orientation = "v" if x0 == x1 else "h" if t0 == t1 else None
            if orientation:
                yield orientation, Edge(min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1))


def _square(points: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _apply(m: Matrix, p: Point) -> Point:
    a, b, c, d, e, f = m
    return a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer`, as one matrix."""
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u
