"""Images as reports (PNG, JPEG, TIFF): a scan or a photo of pages, read by OCR as a scanned PDF page is.

The image stands in for the rendered page of extract/ocr.py, so one pipeline reads both. A TIFF's frames
are its pages (a scanner's multi-page file); any other image is one page (an animated PNG's or a phone
JPEG's extra frames are no pages). Pillow reads them, one frame at a time when its page is read, so a
long TIFF is never held whole. A photo is turned as its EXIF orientation says, transparency lies on white
paper, and the grey is the brightest of R, G and B, as for a rendered PDF page (a red seal fades). The
page is resampled to `settings.ocr.dpi`, so that the sizes of print the OCR sets in points hold and its
words come back in PDF points: from the resolution the file states where that makes a sheet of paper,
else as if the image were an A4 sheet (a camera states 72 dpi whatever its size). An image larger than
Pillow's decompression-bomb limit is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence

from phuluc.errors import PhulucError, reason
from phuluc.extract import assemble, pdf
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings

_A4_LONG = 11.69  # in; the long side of an A4 sheet, portrait or landscape
_SHEET = (5.8, 16.6)  # in; the long side of a sheet from A6 to A3: a stated resolution making another is nonsense
_MAX_PIXELS = Image.MAX_IMAGE_PIXELS  # Pillow's decompression-bomb limit, 89 Mpx: an A4 page at 960 dpi
_PAGED = {"TIFF"}  # formats whose frames are pages
_DEEP = 65535 / 255  # a 16-bit grey ("I;16", "I") to 8 bits


def read(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """The pages of an image file, read by OCR; without Tesseract they are reported as needing it."""
    if path.stat().st_size == 0:
        raise PhulucError("empty_file", file=str(path))
    numbers = list(range(1, _page_count(path) + 1))
    settings.budget.check_pages(len(numbers))
    from phuluc.extract import ocr  # OpenCV and Tesseract load when an image is read

    if not ocr.available():
        raise PhulucError("needs_ocr", file=str(path), pages=", ".join(map(str, numbers)))
    scans = ocr.ocr_pages(path, numbers, settings, render=frame)
    lines = itertools.count(1)  # line numbers run on over the pages
    pages = [pdf.scanned_page(n, scans[n].words, lines, scans[n].size) for n in numbers]
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return assemble.document(pages, source=str(path), sha256=digest, fmt="image", settings=settings)


def frame(path: str, number: int, dpi: int) -> np.ndarray:
    """Page `number` (the 1-based frame) at `dpi` as one grey channel, as ocr.render gives a PDF page;
    for ocr.read_page, in a worker process."""
    with _readable(path, number), Image.open(path) as image:
        image.seek(number - 1)
        _check_size(image, path, number)
        page = ImageOps.exif_transpose(image)
        x, y = _resolution(page)
        grey = _grey(page)
        size = (max(1, round(grey.width * dpi / x)), max(1, round(grey.height * dpi / y)))
        # bilinear, as pdfium resamples a scan's image when it renders the page
        return np.asarray(grey if size == grey.size else grey.resize(size, Image.Resampling.BILINEAR))


def _page_count(path: Path) -> int:
    """How many pages the file holds, each frame's size checked (its header is read, not its pixels)."""
    with _readable(str(path)), Image.open(path) as image:
        frames = ImageSequence.Iterator(image) if image.format in _PAGED else [image]
        for number, each in enumerate(frames, start=1):
            _check_size(each, str(path), number)
    return number


@contextlib.contextmanager
def _readable(path: str, number: int | None = None) -> Iterator[None]:
    """Pillow's failures on a damaged, truncated or oversized image (of several unrelated types; its
    decompression-bomb warning counts as one) as one error naming the file, and the page if known."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except PhulucError:
        raise
    except Exception as e:
        raise _unreadable(path, number, reason(e)) from None


def _check_size(image: Image.Image, path: str, number: int) -> None:
    """Refuse a frame whose pixels would not fit in memory before they are decoded: Pillow checks only
    the first frame, when the file is opened."""
    width, height = image.size
    if width * height > _MAX_PIXELS:
        raise _unreadable(path, number, f"{width}×{height} pixels, more than an A4 page scanned at 960 dpi has "
                                        f"({_MAX_PIXELS}): a decompression bomb")


def _unreadable(path: str, number: int | None, why: str) -> PhulucError:
    """The file, or its page `number` where it is known, cannot be read for `why`."""
    if number:
        return PhulucError("unreadable_page", file=path, page=number, reason=why)
    return PhulucError("unreadable", file=path, reason=why)


def _resolution(image: Image.Image) -> tuple[float, float]:
    """Pixels per inch across and down: as the file states them where they make a sheet of paper (A6 to
    A3; a fax is finer across than down), else those of an A4 sheet."""
    stated = image.info.get("dpi")
    if stated and all(float(v) > 0 for v in stated):
        x, y = map(float, stated)
        if _SHEET[0] <= max(image.width / x, image.height / y) <= _SHEET[1]:
            return x, y
    a4 = max(image.size) / _A4_LONG
    return a4, a4


def _grey(image: Image.Image) -> Image.Image:
    """One 8-bit grey channel: transparency laid on white paper, then the brightest of R, G and B (as
    ocr.render: black print stays black, a red seal fades); a 16-bit grey scaled, not clipped as Pillow's
    conversion does."""
    if image.mode.startswith("I"):
        return Image.fromarray(np.round(np.asarray(image, dtype=np.float64) / _DEEP).clip(0, 255).astype(np.uint8))
    if image.has_transparency_data:
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    if image.mode in ("1", "L"):
        return image.convert("L")
    return Image.fromarray(np.asarray(image.convert("RGB")).max(axis=2))
