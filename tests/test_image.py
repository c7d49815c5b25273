"""Images as reports: the pages of a generated scan (scripts/make_corpus.py, "pdf-scanned": 200 dpi, skew,
blur, grain, the appendix page fed sideways) saved as a multi-page TIFF must read exactly as the scanned PDF
does; its appendix page alone as a PNG without a resolution and as a phone-like JPEG (72 dpi, EXIF-rotated)
must read its rows as printed. The loader's work (modes, resolution, EXIF, frames) is checked on pixels,
without Tesseract; damaged, oversized and empty files fail with a message naming them."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from generator import corpus, same, scanned_pages
from PIL import Image

from phuluc.contract import to_json
from phuluc.errors import PhulucError
from phuluc.extract import image, ocr, pdf
from phuluc.load.checks import run_checks
from phuluc.model import Extraction, RawDocument
from phuluc.normalize.report import build_report
from phuluc.settings import DEFAULT

SETTINGS = DEFAULT.with_ocr_workers(2)
DPI = SETTINGS.ocr.dpi
FIELDS = ("unit_raw", "values", "total", "total_max", "converted", "rating", "unit")
EXIF_ORIENTATION = 0x0112


def extraction(document: RawDocument) -> dict:
    """The JSON `phuluc extract --json` prints for a document (as pipeline.extract_file builds it)."""
    report = build_report(document, settings=SETTINGS)
    return to_json(Extraction(report=report, findings=run_checks(report)))


def score_rows(doc: dict) -> list[dict]:
    return [r for t in doc["tables"] if t["kind"] == "scores" for r in t["rows"]]


def misread(want: dict, got: dict) -> list[str]:
    """The score rows' fields read otherwise than printed."""
    rows, read = score_rows(want), score_rows(got)
    problems = [] if len(rows) == len(read) else [f"{len(read)} score rows read, {len(rows)} printed"]
    return problems + [f"row {i} {w['unit_raw']!r}: {f} read {g[f]!r}, printed {w[f]!r}"
                       for i, (w, g) in enumerate(zip(rows, read), 1) for f in FIELDS if not same(w[f], g[f])]


# ---------------------------------------------------------------- a generated scan and its pages


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """A clean district report with its appendix on one page, scanned with that page sideways."""
    spec = corpus.draw_spec(11, corpus.Options(issuer="district", framework="459", appendix=True, long=False,
                                               turn=True, plant=()))
    return spec, corpus.render(spec, "pdf-scanned", tmp_path_factory.mktemp("scan"))


@pytest.fixture(scope="module")
def pages(scan: tuple[object, Path]) -> list[Image.Image]:
    """The scan's page images as the scanner gave them (200 dpi greys), taken out of the PDF."""
    return scanned_pages(scan[1])


@pytest.fixture(scope="module")
def appendix(pages: list[Image.Image]) -> Image.Image:
    """The appendix page turned back upright (the generator fed it in a quarter turn anticlockwise)."""
    return pages[-1].transpose(Image.Transpose.ROTATE_270)


@pytest.fixture(scope="module")
def truth(scan: tuple[object, Path]) -> dict:
    return corpus.truth(scan[0], "pdf-scanned", scan[1])


@pytest.fixture(scope="module")
def from_pdf(scan: tuple[object, Path]) -> dict:
    if not ocr.available():
        pytest.fail("Tesseract with its Vietnamese model is missing: apt-get install -y tesseract-ocr "
                    "tesseract-ocr-vie", pytrace=False)
    return extraction(pdf.read(scan[1], SETTINGS))


# ---------------------------------------------------------------- read by OCR


def test_a_multipage_tiff_reads_as_the_scanned_pdf(tmp_path: Path, pages: list[Image.Image], from_pdf: dict,
                                                   truth: dict) -> None:
    """Every page a frame at the scan's 200 dpi, and a blank frame after them: the same metadata, summary,
    findings and tables as the PDF, cell for cell, and as printed (the blank page adds nothing). A
    section row's roman number may read otherwise ("I" as "l" or "|"): the frame is resampled to the
    OCR resolution by Pillow, the PDF page by pdfium, and their greys differ by a level or so."""
    path = tmp_path / "report.tiff"
    blank = Image.new("L", pages[0].size, 255)
    pages[0].save(path, save_all=True, append_images=[*pages[1:], blank], dpi=(200, 200),
                  compression="tiff_deflate")
    got = extraction(image.read(path, SETTINGS))
    assert got["format"] == "image"
    for key in ("report", "summary", "findings"):
        assert got[key] == from_pdf[key], key
    assert _cells(got) == _cells(from_pdf)
    assert not misread(truth, got), misread(truth, got)


def _cells(doc: dict) -> list[tuple]:
    """What a table says, but for its section rows' names: its title, kind, pages, criteria, and every
    row's number, unit, figures, rating and page."""
    return [(t["title"], t["kind"], t["pages"], t["criteria"],
             [{k: v for k, v in r.items() if k != "section"} for r in t["rows"]]) for t in doc["tables"]]


def test_a_frame_is_the_pdf_page_as_rendered(scan: tuple[object, Path], pages: list[Image.Image],
                                             tmp_path: Path) -> None:
    """The image path starts from the pixels the PDF's does: a 200-dpi frame resampled to the OCR
    resolution is the page pdfium renders, but for a few grey levels where the edges of strokes fall
    (the two resamplers round the page's size apart by a pixel)."""
    path = _saved(tmp_path, pages[0], "page.tif", dpi=(200, 200))
    frame, rendered = image.frame(path, 1, DPI), ocr.render(str(scan[1]), 1, DPI)
    rows, cols = min(frame.shape[0], rendered.shape[0]), min(frame.shape[1], rendered.shape[1])
    assert abs(frame.shape[0] - rendered.shape[0]) <= 1 and abs(frame.shape[1] - rendered.shape[1]) <= 1
    frame, rendered = frame[:rows, :cols], rendered[:rows, :cols]
    assert np.abs(frame.astype(int) - rendered).mean() < 5
    assert np.mean((frame < 128) != (rendered < 128)) < 0.02


def test_an_appendix_page_as_png_without_a_resolution(tmp_path: Path, appendix: Image.Image, truth: dict) -> None:
    """An RGBA PNG stating no resolution is taken as an A4 sheet: its rows read as printed."""
    path = tmp_path / "appendix.png"
    appendix.convert("RGBA").save(path)
    assert "dpi" not in Image.open(path).info
    got = extraction(image.read(path, SETTINGS))
    assert not misread(truth, got), misread(truth, got)


def test_an_appendix_page_photographed(tmp_path: Path, appendix: Image.Image, truth: dict) -> None:
    """A phone-like JPEG: stored sideways with an EXIF orientation saying so, a camera's 72 dpi that
    makes no sheet of paper, a red seal: its rows read as printed."""
    path = tmp_path / "photo.jpg"
    _red_seal(appendix).transpose(Image.Transpose.ROTATE_90).save(path, quality=90, dpi=(72, 72),
                                                                 exif=_exif(6))
    got = extraction(image.read(path, SETTINGS))
    assert not misread(truth, got), misread(truth, got)


def _red_seal(page: Image.Image) -> Image.Image:
    """The page in colour with a red ring over its table's right part."""
    rgb = np.asarray(page.convert("RGB")).copy()
    h, w = page.height, page.width
    yy, xx = np.ogrid[:h, :w]
    ring = np.abs(np.hypot(yy - h * 0.6, xx - w * 0.8) - h * 0.06) < h * 0.006
    rgb[ring] = np.minimum(rgb[ring], (215, 35, 40))
    return Image.fromarray(rgb)


def _exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    return exif


# ---------------------------------------------------------------- the loader, on pixels


def _saved(tmp_path: Path, picture: Image.Image, name: str, **options) -> str:
    path = tmp_path / name
    picture.save(path, **options)
    return str(path)


def _sheet(width: int = 1654, height: int = 2339) -> Image.Image:
    """A grey A4 sheet at 200 dpi with some print: a bar of 10 % grey."""
    sheet = Image.new("L", (width, height), 240)
    sheet.paste(25, (200, 300, 900, 360))
    return sheet


def test_a_page_is_resampled_to_the_ocr_resolution(tmp_path: Path) -> None:
    """Stated 200 dpi, or none (an A4 sheet), or a camera's 72 dpi on an A4 sheet's pixels: the page comes
    at the OCR resolution, A4 in size, so its words come back in PDF points."""
    a4 = (round(11.69 * DPI), round(8.27 * DPI))
    for name, options in (("stated.png", {"dpi": (200, 200)}), ("none.png", {}), ("camera.jpg", {"dpi": (72, 72)})):
        grey = image.frame(_saved(tmp_path, _sheet(), name, **options), 1, DPI)
        assert abs(grey.shape[0] - a4[0]) <= 2 and abs(grey.shape[1] - a4[1]) <= 2, name
    landscape = image.frame(_saved(tmp_path, _sheet(2339, 1654), "wide.png"), 1, DPI)
    assert abs(landscape.shape[1] - a4[0]) <= 2


def test_a_fax_resolution_is_kept_per_axis(tmp_path: Path) -> None:
    """204 × 98 dpi (a fax's "normal" mode) is a sheet of paper: each axis is resampled by its own."""
    grey = image.frame(_saved(tmp_path, _sheet(1728, 1145), "fax.tif", dpi=(204, 98)), 1, DPI)
    assert grey.shape == (round(1145 * DPI / 98), round(1728 * DPI / 204))


def test_exif_orientation_turns_a_photo_upright(tmp_path: Path) -> None:
    upright = image.frame(_saved(tmp_path, _sheet(), "upright.png"), 1, DPI)
    for orientation, turn in ((6, Image.Transpose.ROTATE_90), (8, Image.Transpose.ROTATE_270),
                              (3, Image.Transpose.ROTATE_180)):
        stored = _sheet().transpose(turn)
        assert np.array_equal(image.frame(_saved(tmp_path, stored, f"o{orientation}.png", exif=_exif(orientation)),
                                          1, DPI), upright), orientation


def _in_mode(mode: str) -> Image.Image:
    """An A4 sheet at 100 dpi in `mode`: a bar of print, a red seal's stroke; its paper transparent black
    where the mode has transparency (laid on white it is paper), white elsewhere."""
    sheet = Image.new("RGBA", (827, 1169), (0, 0, 0, 0))
    sheet.paste((20, 20, 20, 255), (100, 100, 400, 140))
    sheet.paste((220, 30, 35, 255), (100, 300, 400, 340))
    if mode in ("RGBA", "LA", "P"):
        return sheet.convert(mode)
    opaque = Image.alpha_composite(Image.new("RGBA", sheet.size, "white"), sheet)
    if mode == "I;16":
        return Image.fromarray(np.asarray(opaque.convert("L"), np.uint16) * 257)
    return opaque.convert(mode)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P", "CMYK", "LA", "1", "I;16"])
def test_every_mode_is_the_grey_of_its_print(tmp_path: Path, mode: str) -> None:
    """Print stays dark and paper light in every mode: transparency is white paper, a 16-bit grey is
    scaled, not clipped; in colour a red seal fades as on a rendered PDF page."""
    grey = image.frame(_saved(tmp_path, _in_mode(mode), "page.tif" if mode == "CMYK" else "page.png"), 1, 100)
    assert grey.dtype == np.uint8 and grey.shape == (1169, 827)
    assert grey[120, 250] < 60 and grey[600, 600] > 200, "print dark, paper white"
    if mode in ("RGB", "RGBA", "P", "CMYK"):
        assert grey[320, 250] > 200, "a red seal fades"


def test_tiff_frames_are_pages_other_formats_have_one(tmp_path: Path) -> None:
    """A TIFF's frames are its pages, read one at a time; an animated PNG's frames are not pages."""
    frames = [_sheet(), Image.new("L", (1654, 2339), 255), _sheet(2339, 1654)]
    tiff = _saved(tmp_path, frames[0], "three.tiff", save_all=True, append_images=frames[1:], dpi=(200, 200))
    assert image._page_count(Path(tiff)) == 3
    assert image.frame(tiff, 2, DPI).min() == 255 and image.frame(tiff, 3, DPI).shape[1] > 3000
    apng = _saved(tmp_path, frames[0], "moving.png", save_all=True, append_images=frames[1:2])
    assert image._page_count(Path(apng)) == 1


# ---------------------------------------------------------------- files that cannot be read


def _png_header(width: int, height: int) -> bytes:
    """A PNG's signature and header for an image of this size, with hardly any pixels behind it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [100_000, 10_000])  # over Pillow's error limit; over its warning limit
def test_a_decompression_bomb_is_refused(tmp_path: Path, side: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(side, side))
    with pytest.raises(PhulucError) as err:
        image.read(path, SETTINGS)
    assert err.value.key == "unreadable" and err.value.params["file"] == str(path)
    assert "decompression bomb" in err.value.params["reason"].lower()


def test_a_bomb_in_a_later_tiff_frame_is_refused_by_page(tmp_path: Path) -> None:
    """Pillow checks the size of the first frame only: a huge second frame is refused before decoding."""
    path = Path(_saved(tmp_path, _sheet(16, 16), "bomb.tiff", save_all=True, append_images=[_sheet(16, 16)]))
    data = bytearray(path.read_bytes())
    with Image.open(path) as opened:
        opened.seek(1)
        second = opened._frame_pos[1]  # where the second frame's directory starts
    for k in range(struct.unpack_from("<H", data, second)[0]):
        entry = second + 2 + 12 * k
        if struct.unpack_from("<H", data, entry)[0] in (256, 257):  # ImageWidth, ImageLength as one LONG
            struct.pack_into("<HII", data, entry + 2, 4, 1, 100_000)
    path.write_bytes(bytes(data))
    with pytest.raises(PhulucError) as err:
        image.read(path, SETTINGS)
    assert err.value.key == "unreadable_page" and err.value.params["page"] == 2
    assert err.value.params["reason"].startswith("100000×100000")


def test_a_truncated_png_is_unreadable(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    _sheet().save(buffer, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(PhulucError) as err:
        image.read(path, SETTINGS)
    assert err.value.key == "unreadable_page" and err.value.params["file"] == str(path)
    assert err.value.params["page"] == 1 and err.value.params["reason"]


def test_no_image_at_all_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "not.png"
    path.write_bytes(b"not an image at all")
    with pytest.raises(PhulucError) as err:
        image.read(path, SETTINGS)
    assert err.value.key == "unreadable" and err.value.params["file"] == str(path)


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()
    with pytest.raises(PhulucError) as err:
        image.read(path, SETTINGS)
    assert err.value.key == "empty_file" and err.value.params["file"] == str(path)


def test_without_tesseract_every_page_needs_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("phuluc.extract.ocr.available", lambda: False)
    path = Path(_saved(tmp_path, _sheet(), "two.tif", save_all=True, append_images=[_sheet()]))
    with pytest.raises(PhulucError) as err:
        image.read(path, SETTINGS)
    assert err.value.key == "needs_ocr" and err.value.params == {"file": str(path), "pages": "1, 2"}
