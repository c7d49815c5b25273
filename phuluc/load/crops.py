"""Pictures of where a finding is on its source page, for an HTML file that needs no network.

A page of a PDF or a scan is rendered once with pdfium (an image file is read as it is), cropped
around the finding's row with a margin, the row framed in red and, where the text layer shows it, the
cell the finding is about framed more thickly; the crop is a base64 JPEG. Where the reader recorded no
box for the row, a text layer still finds it by the unit's printed name, or by its printed figures all
on one line (digits read alike in the legacy TCVN3 and VNI fonts, whose names pdfium cannot search);
what was found is framed. A scan without a box shows its whole page, unmarked. A crop says which of
these it is (`Placement`).

Boxes are fractions of the page, (x0, top, x1, bottom) from its top-left corner, as findings store them.
"""

from __future__ import annotations

import base64
import enum
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from phuluc.model import Box

Pixels = tuple[int, int, int, int]

LONG_SIDE = 1200  # pixels along a rendered page's longer side: an 8-point table's digits stay legible
PAGE_WIDTH = 1000  # a whole page shown unmarked, in greys
MARGIN = (0.015, 0.05)  # around a row: fractions of the page's width and height
RED = (214, 24, 24)
_QUALITY = 72
_MIN_WORDS = 2  # a name cut short to be found (wrapped over lines) keeps at least these words


class Placement(enum.StrEnum):
    """How a crop knows where the row is."""

    BBOX = "placed_bbox"  # the reader recorded the row's box
    TEXT = "placed_text"  # the unit's printed name or figures, found in the page's text layer
    PAGE = "placed_page"  # not known: the whole page


@dataclass(frozen=True, slots=True)
class Crop:
    uri: str  # data:image/jpeg;base64,…
    width: int
    height: int
    placement: Placement


def pixel_box(box: Box, size: tuple[int, int], margin: tuple[float, float] = (0.0, 0.0)) -> Pixels:
    """`box` as pixels of an image of `size`, grown by `margin` (fractions of the page) on every side
    and clamped to the image; a box given inside out is put right, one of no area keeps a pixel."""
    width, height = size
    x0, x1 = sorted((box[0], box[2]))
    top, bottom = sorted((box[1], box[3]))
    left = _clamp(round((x0 - margin[0]) * width), 0, width - 1)
    upper = _clamp(round((top - margin[1]) * height), 0, height - 1)
    right = _clamp(round((x1 + margin[0]) * width), left + 1, width)
    lower = _clamp(round((bottom + margin[1]) * height), upper + 1, height)
    return left, upper, right, lower


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


class Pages:
    """The pages of one source (a PDF, or an image file), each rendered once however many findings
    it holds; close it when its report is done."""

    def __init__(self, data: bytes, *, image: bool = False) -> None:
        self._pdf = None if image else pdfium.PdfDocument(data)
        self._image = Image.open(io.BytesIO(data)) if image else None
        self._rendered: dict[int, Image.Image] = {}

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
        self._rendered.clear()

    def count(self) -> int:
        return len(self._pdf) if self._pdf is not None else getattr(self._image, "n_frames", 1)

    def crop(self, page: int, bbox: Box | None, name: str | None, cell: str | None,
             figures: tuple[str, ...] = ()) -> Crop | None:
        """The crop of 1-based `page` around the row `bbox`, else around the printed `name` or the row's
        printed `figures`, else the whole page; `cell` is the text of the cell to frame inside the row.
        None past the last page."""
        if not 1 <= page <= self.count():
            return None
        rendered = self._render(page)
        if bbox is not None:
            return _framed(rendered, bbox, [bbox, *self._cell(page, cell, bbox)], Placement.BBOX)
        if (found := self._name(page, name) or self._figures(page, figures)) is not None:
            return _framed(rendered, (0.0, found[1], 1.0, found[3]), [found], Placement.TEXT)
        return _encoded(_scaled(rendered, PAGE_WIDTH).convert("L"), Placement.PAGE)

    def _render(self, page: int) -> Image.Image:
        if page not in self._rendered:
            self._rendered[page] = self._pdf_page(page) if self._pdf is not None else self._image_page(page)
        return self._rendered[page]

    def _pdf_page(self, page: int) -> Image.Image:
        pdf_page = self._pdf[page - 1]
        scale = LONG_SIDE / max(pdf_page.get_size())
        return pdf_page.render(scale=scale).to_pil().convert("RGB")

    def _image_page(self, page: int) -> Image.Image:
        self._image.seek(page - 1)
        image = self._image.convert("RGB")
        return _scaled(image, round(image.width * LONG_SIDE / max(image.size)))

    def _found(self, page: int, text: str | None) -> list[Box]:
        """Where `text` is printed on a page of the text layer, each hit as a box (none on a scan, an
        image, or a turned page, whose text coordinates are not those rendered)."""
        if self._pdf is None or not text:
            return []
        pdf_page = self._pdf[page - 1]
        if pdf_page.get_rotation():
            return []
        left, bottom, right, top = pdf_page.get_bbox()
        textpage = pdf_page.get_textpage()
        searcher = textpage.search(text, match_whole_word=True)
        hits = []
        while (hit := searcher.get_next()) is not None:
            rects = [textpage.get_rect(k) for k in range(textpage.count_rects(*hit))]
            if rects:
                hits.append(((min(r[0] for r in rects) - left) / (right - left),
                             (top - max(r[3] for r in rects)) / (top - bottom),
                             (max(r[2] for r in rects) - left) / (right - left),
                             (top - min(r[1] for r in rects)) / (top - bottom)))
        return hits

    def _name(self, page: int, name: str | None) -> Box | None:
        """The printed name on the page: its first hit, else the longest start of it (a name wrapped
        over lines) printed there once."""
        if hits := self._found(page, name):
            return hits[0]
        words = (name or "").split()
        for n in range(len(words) - 1, _MIN_WORDS - 1, -1):
            if len(hits := self._found(page, " ".join(words[:n]))) == 1:
                return hits[0]
        return None

    def _figures(self, page: int, figures: tuple[str, ...]) -> Box | None:
        """The one line of the page that prints every figure, spanning them, if one line does."""
        lines = []
        for first in self._found(page, figures[0] if figures else None):
            boxes = [first, *(next((b for b in self._found(page, f) if _same_line(b, first)), None)
                              for f in figures[1:])]
            if all(boxes):
                lines.append((min(b[0] for b in boxes), first[1], max(b[2] for b in boxes), first[3]))
        return lines[0] if len(lines) == 1 else None

    def _cell(self, page: int, cell: str | None, row: Box) -> list[Box]:
        """The cell's text inside the row, if it is printed there once (a figure printed twice in a
        row leaves its cell unknown)."""
        inside = [b for b in self._found(page, cell) if _centre_in(b, row)]
        return inside if len(inside) == 1 else []


def _same_line(box: Box, line: Box) -> bool:
    return line[1] <= (box[1] + box[3]) / 2 <= line[3]


def _centre_in(box: Box, row: Box) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return row[0] <= x <= row[2] and row[1] <= y <= row[3]


def _framed(page: Image.Image, around: Box, marks: list[Box], placement: Placement) -> Crop:
    """The page cropped to `around` with MARGIN, each box of `marks` framed, the last most thickly."""
    left, upper, right, lower = pixel_box(around, page.size, MARGIN)
    crop = page.crop((left, upper, right, lower))
    draw = ImageDraw.Draw(crop)
    for k, mark in enumerate(marks):
        x0, y0, x1, y1 = pixel_box(mark, page.size)
        thick = 2 if k < len(marks) - 1 or len(marks) == 1 else 4
        draw.rectangle((x0 - left - thick, y0 - upper - thick, x1 - left + thick, y1 - upper + thick),
                       outline=RED, width=thick)
    return _encoded(crop, placement)


def _scaled(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)


def _encoded(image: Image.Image, placement: Placement) -> Crop:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=_QUALITY, optimize=True)
    uri = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return Crop(uri, image.width, image.height, placement)
