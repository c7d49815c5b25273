"""The pdfium text-layer reader against pdfplumber's reading of the same pages: words, ruled cells
drawn as rectangles, as lines and inside a form XObject, a page turned by /Rotate, VNI tone marks of
no advance."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from phuluc.extract import pdfium, plumber
from phuluc.extract.layer import TextLayer

from conftest import SHARED
from test_pdf import FONT, build_report

VNI = SHARED / "fixtures/u03-1.pdf"  # a report set in VNI-Times
XS, YS = (72, 172, 272, 372), (700, 680, 660)  # a 3 × 2 grid, PDF user space


def _layers(path: Path) -> tuple[list[TextLayer], list[TextLayer]]:
    readings = []
    for reader in (pdfium.Document, plumber.Document):
        with reader(path) as document:
            readings.append([document.layer(k) for k in range(len(document))])
    return readings[0], readings[1]


def _same_words(new: TextLayer, old: TextLayer, tolerance: float = 1.0) -> None:
    """The same words, boxed alike within `tolerance` points (pdfium keeps a font's fractional widths,
    ReportLab's, as whole thousandths of the size, so a long line drifts a little); pdfium lists some
    runs in an order of its own, which the reader's lines and grids do not depend on."""
    def key(w: dict) -> tuple:
        return w["text"], round(w["top"]), w["x0"]

    for a, b in zip(sorted(new.words, key=key), sorted(old.words, key=key), strict=True):
        assert a["text"] == b["text"] and _close([a[k] for k in BOX], [b[k] for k in BOX], tolerance), (a, b)


BOX = ("x0", "x1", "top", "bottom", "size")


def _close(a, b, tolerance: float = 0.01) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def _same_cells(new: TextLayer, old: TextLayer) -> None:
    assert [len(t) for t in new.tables] == [len(t) for t in old.tables]
    for t, u in zip(new.tables, old.tables):
        assert all(_close(c, d) for c, d in zip(sorted(t), sorted(u), strict=True))


def test_a_report_reads_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    new, old = _layers(build_report(tmp_path / "r.pdf", wrap_first=True))
    assert len(new) == 3 and sum(len(layer.tables) for layer in new) == 2
    for a, b in zip(new, old):
        _same_words(a, b)
        _same_cells(a, b)
        assert a.drawn == b.drawn and _close(a.size, b.size)


def _grid(path: Path, draw: str, rotate: int = 0) -> Path:
    sheet = canvas.Canvas(str(path), pagesize=A4)
    sheet.setPageRotation(rotate)
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    sheet.setFont("DejaVu", 10)
    if draw == "form":
        sheet.beginForm("grid")
    for top, bottom in zip(YS, YS[1:]):
        for left, right in zip(XS, XS[1:]):
            if draw == "lines":
                sheet.line(left, top, right, top)
                sheet.line(left, bottom, right, bottom)
                sheet.line(left, top, left, bottom)
                sheet.line(right, top, right, bottom)
            else:
                sheet.rect(left, bottom, right - left, top - bottom)
    if draw == "form":
        sheet.endForm()
        sheet.doForm("grid")
    for k, (left, right) in enumerate(zip(XS, XS[1:])):
        sheet.drawString(left + 4, YS[1] + 6, f"Ô số {k + 1}")
        sheet.drawString(left + 4, YS[2] + 6, f"{k + 1},5")
    sheet.save()
    return path


@pytest.mark.parametrize("draw", ["rectangles", "lines", "form"])
def test_a_ruled_grid_is_found_from_its_paths(tmp_path: Path, draw: str) -> None:
    (new,), (old,) = _layers(_grid(tmp_path / "g.pdf", draw))
    (cells,) = new.tables
    height = A4[1]
    expected = {(left, height - top, right, height - bottom)
                for top, bottom in zip(YS, YS[1:]) for left, right in zip(XS, XS[1:])}
    assert all(_close(c, d) for c, d in zip(sorted(cells), sorted(expected), strict=True))
    _same_cells(new, old)
    _same_words(new, old)


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_rotated_page_is_measured_as_it_is_shown(tmp_path: Path, rotate: int) -> None:
    """ReportLab writes a turned page's MediaBox turned back; shown, the page is A4 upright, its text
    runs as the page turns it."""
    (new,), (old,) = _layers(_grid(tmp_path / "g.pdf", "rectangles", rotate))
    assert _close(new.size, A4) and _close(old.size, A4)
    assert len(new.tables) == 1 and len(new.tables[0]) == 6
    assert {w["upright"] for w in new.words} == {rotate == 180}  # pdfminer's test: upside down is upright
    _same_cells(new, old)
    _same_words(new, old)


def test_a_tone_mark_drawn_over_its_letter_steps_nothing(tmp_path: Path) -> None:
    """VNI fonts draw a tone mark as a glyph of no advance over the letter before it: the word ends
    where its last letter does, as the font's widths say, not where the mark's ink does."""
    new, old = _layers(VNI)
    words, reference = ({w["text"]: w for w in layers[0].words} for layers in (new, old))
    assert words["XAÕ"]["x1"] == pytest.approx(reference["XAÕ"]["x1"], abs=0.1)
    assert words["XAÕ"]["x1"] - words["XAÕ"]["x0"] == pytest.approx(17.3, abs=0.1)  # X and A, 12 pt
