"""OCR of scanned pages, on scans made here: a ruled table with merged header cells drawn with Pillow
(DejaVu Sans draws Vietnamese), then turned 1.5°, blurred, speckled with noise and stamped with a red
seal over part of the table, one cell smudged; a second page carries the table on without its header.
Harder scans are made the same way: the page in a shadow, turned a quarter, a grey seal over figures,
a blot in a cell, a column numbering row with formulas. The pure parts (skew, orientation, paper,
grid, cells → tables) run without Tesseract; the reading tests need Debian's tesseract-ocr and
tesseract-ocr-vie (the test command installs them) and fail without them."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from phuluc.extract import assemble, ocr, pdf
from phuluc.model import HeaderCell, RawTable
from phuluc.settings import DEFAULT

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core
SCALE = ocr.Scale(DEFAULT.ocr.dpi)
PX = SCALE.per_point  # pixels per point at the OCR resolution
WIDTHS = [30, 125, 55, 55, 62, 52]  # pt
HEADER = [  # text, row, col, rowspan, colspan
    ("STT", 0, 0, 2, 1), ("Tên đơn vị", 0, 1, 2, 1), ("Nhóm công khai", 0, 2, 1, 2), ("TỔNG\nĐIỂM", 0, 4, 2, 1),
    ("XẾP\nLOẠI", 0, 5, 2, 1), ("Chỉ số 1\n(5đ)", 1, 2, 1, 1), ("Chỉ số 2\n(10đ)", 1, 3, 1, 1),
]
BODY = [
    ("1", "UBND xã Sín Thầu", "5", "8,75", "55/70", "Tốt"),
    ("2", "UBND xã Sen Thượng", "-", "10", "42,5/70", "Khá"),
    ("3", "UBND xã Leng Su Sìn", "4,5", "7,25", "61/70", "Tốt"),
    ("4", "UBND xã Chung Chải", "3", "-", "38/70", "Yếu"),
]
MORE = [("5", "UBND xã Nậm Kè", "2,5", "9", "47/70", "Khá"), ("6", "UBND xã Pá Mỳ", "5", "6,5", "52/70", "Khá")]
SMUDGED = (2, 3)  # body row, column: "7,25" under a thumb


def _font(size_pt: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, round(size_pt * PX))


def _page(width_pt: float, height_pt: float) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (round(width_pt * PX), round(height_pt * PX)), "white")
    return image, ImageDraw.Draw(image)


def _table(draw: ImageDraw.ImageDraw, left: float, top: float, header: bool, rows: list[tuple[str, ...]]) -> None:
    """Ruled cells in points from (left, top): two header rows of 30 pt when `header`, body rows of 22 pt."""
    heights = ([30, 30] if header else []) + [22] * len(rows)
    first = 2 if header else 0
    cells = (list(HEADER) if header else []) + [(text, first + r, c, 1, 1) for r, row in enumerate(rows)
                                                for c, text in enumerate(row)]
    _draw_cells(draw, left, top, WIDTHS, heights, cells, first)


def _draw_cells(draw: ImageDraw.ImageDraw, left: float, top: float, widths: list[float], heights: list[float],
                cells: list[tuple[str, int, int, int, int]], first: int) -> None:
    """Ruled cells (text, row, col, rowspan, colspan) in points from (left, top); body names (column 1
    from row `first` on) flush left, the rest centred."""
    xs = [left + sum(widths[:k]) for k in range(len(widths) + 1)]
    ys = [top + sum(heights[:k]) for k in range(len(heights) + 1)]
    for text, r, c, rowspan, colspan in cells:
        box = [xs[c] * PX, ys[r] * PX, xs[c + colspan] * PX, ys[r + rowspan] * PX]
        draw.rectangle(box, outline="black", width=3)
        anchor, x = ("lm", box[0] + 4 * PX) if c == 1 and r >= first else ("mm", (box[0] + box[2]) / 2)
        draw.multiline_text((x, (box[1] + box[3]) / 2), text, fill="black", font=_font(9), anchor=anchor,
                            align="center", spacing=4)


def _stamp(image: Image.Image, centre: tuple[float, float], ink: tuple[int, int, int] = (215, 35, 40)) -> Image.Image:
    """A round seal (rings and lettering), red unless told, inked over the table: the print under it
    stays dark."""
    seal, draw = _page(image.width / PX, image.height / PX)
    x, y = centre[0] * PX, centre[1] * PX
    for radius, width in ((45 * PX, 9), (36 * PX, 4)):
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=ink, width=width)
    draw.text((x, y), "ỦY BAN NHÂN DÂN", fill=ink, font=_font(6), anchor="mm")
    return ImageChops.multiply(image, seal)


def _smudge(image: Image.Image, left: float, top: float) -> None:
    """A grey thumbprint over one body cell, its print smeared."""
    col, row = SMUDGED[1], SMUDGED[0]
    x0, y0 = (left + sum(WIDTHS[:col])) * PX + 6, (top + 60 + 22 * row) * PX + 6
    box = (round(x0), round(y0), round(x0 + WIDTHS[col] * PX - 12), round(y0 + 22 * PX - 12))
    image.paste(image.crop(box).filter(ImageFilter.GaussianBlur(7)), box[:2])
    ImageDraw.Draw(image, "RGBA").ellipse(box, fill=(90, 90, 90, 110))


def _scanned(image: Image.Image, angle: float, seed: int) -> Image.Image:
    """As a scanner returns it: turned, a little blurred, with grain."""
    turned = image.rotate(angle, resample=Image.BICUBIC, fillcolor="white").filter(ImageFilter.GaussianBlur(0.8))
    grain = np.random.default_rng(seed).normal(0, 10, (turned.height, turned.width, 1))
    return Image.fromarray(np.clip(np.asarray(turned, dtype=float) + grain, 0, 255).astype(np.uint8))


def _first_page() -> Image.Image:
    image, draw = _page(440, 280)
    draw.text((220 * PX, 40 * PX), "Phụ lục", fill="black", font=_font(12), anchor="mm")
    draw.text((220 * PX, 58 * PX), "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 02 NĂM 2024", fill="black", font=_font(10),
              anchor="mm")
    _table(draw, 40, 80, True, BODY)
    _smudge(image, 40, 80)
    return _scanned(_stamp(image, (365, 175)), 1.5, seed=1)


def _second_page() -> Image.Image:
    image, draw = _page(440, 120)
    _table(draw, 40, 40, False, MORE)
    return _scanned(image, -0.8, seed=2)


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    _first_page().save(path, save_all=True, append_images=[_second_page()], resolution=SCALE.dpi)
    return path


@pytest.fixture(scope="module")
def scans(scan: Path) -> dict[int, ocr.Scan]:
    if not ocr.available():
        pytest.fail("Tesseract with its Vietnamese model is missing: apt-get install -y tesseract-ocr "
                    "tesseract-ocr-vie (the README's test command does)", pytrace=False)
    return ocr.ocr_pages(scan, [1, 2], DEFAULT.with_ocr_workers(2))


@pytest.fixture(scope="module")
def read(scans: dict[int, ocr.Scan]) -> dict[int, list[dict]]:
    return {n: s.words for n, s in scans.items()}


# ---------------------------------------------------------------- without Tesseract


@pytest.mark.parametrize("angle", [1.5, -1.0, 0.0])
def test_skew_angle_of_text_lines(angle: float) -> None:
    image, draw = _page(400, 300)
    for k in range(12):
        draw.text((30 * PX, (30 + 20 * k) * PX), "Thực hiện Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND",
                  fill="black", font=_font(10))
    turned = image.convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    assert ocr.skew_angle(np.asarray(turned)) == pytest.approx(angle, abs=0.15)


def test_straighten_turns_the_page_back() -> None:
    image, draw = _page(400, 200)
    for k in range(6):
        draw.line([(20 * PX, (30 + 25 * k) * PX), (380 * PX, (30 + 25 * k) * PX)], fill="black", width=3)
    turned = np.asarray(image.convert("L").rotate(2.0, resample=Image.BICUBIC, fillcolor=255))
    assert abs(ocr.skew_angle(ocr.straighten(turned))) < 0.1


def test_grid_of_a_stamped_turned_table() -> None:
    """Rows × columns and merged header cells survive the turn, noise and a seal printed over the
    table in grey (a grey scan keeps no red to drop)."""
    image, draw = _page(440, 260)
    _table(draw, 40, 40, True, [tuple("" for _ in WIDTHS)] * 4)
    ImageDraw.Draw(image).ellipse([330 * PX, 100 * PX, 420 * PX, 190 * PX], outline=(110, 110, 110), width=9)
    gray = ocr.straighten(np.asarray(_scanned(image, 1.5, seed=3).convert("L")))
    ink = ocr.binarize(gray, SCALE)
    horizontal, vertical = ocr.ruling_lines(ink, SCALE)
    (grid,) = ocr.find_grids(horizontal, vertical, SCALE, ocr.stamps(ink & ~(horizontal | vertical), SCALE))
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (6, 6)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in grid.cells}
    assert spans[0, 0] == (2, 1) and spans[0, 2] == (1, 2) and spans[1, 3] == (1, 1) and spans[5, 5] == (1, 1)
    assert len(grid.cells) == 5 + 2 + 4 * 6


def _cell(text: str, row: int, col: int, rowspan: int = 1, colspan: int = 1, conf: float = 0.95,
          table: int = 0) -> dict:
    x0, top = 100 + 50 * col, 200 + 20 * row
    return {"text": text, "x0": x0, "x1": x0 + 50 * colspan, "top": top, "bottom": top + 20 * rowspan,
            "size": 20.0, "fontname": "ocr", "conf": conf, "cell": (table, row, col, rowspan, colspan)}


def _word(text: str, x0: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 8 * len(text), "top": top, "bottom": top + 14, "size": 14.0,
            "fontname": "ocr", "conf": 0.9}


def _tables(pages: dict[int, list[dict]], sizes: dict[int, tuple[float, float]] | None = None) -> list[RawTable]:
    """The tables of OCR'd pages as the PDF reader finds them: grids to the ruled finder, joined over
    pages; rows boxed where the pages' `sizes` are given."""
    numbers = itertools.count(1)
    built = [pdf.scanned_page(n, pages[n], numbers, (sizes or {}).get(n)) for n in sorted(pages)]
    return list(assemble.document(built, source="scan.pdf", sha256="0" * 64, fmt="pdf-scanned",
                                  settings=DEFAULT).tables)


def test_cells_become_raw_tables() -> None:
    """Header rows from the merged cells (OCR's tone slips in role words mended), body rows, the title
    above, and a table running on over the next page without its header."""
    first = [_word("Phụ", 200, 100), _word("lục", 230, 100), _word("KẾT", 150, 130), _word("QUẢ", 180, 130),
             _word("ĐÁNH", 215, 130), _word("GIÁ,", 260, 130), _word("XẾP", 300, 130), _word("LOẠI", 335, 130),
             _cell("STT", 0, 0, rowspan=2), _cell("Tên đơn vị", 0, 1, rowspan=2), _cell("Nhóm", 0, 2, colspan=2),
             _cell("TỔNG ĐIỂM QUY ĐỐI", 0, 4, rowspan=2), _cell("Chỉ số 1 (54)", 1, 2), _cell("Chỉ số 2 (5đ)", 1, 3),
             *[_cell(t, 2, c, conf=0.3 if c == 3 else 0.95) for c, t in enumerate(["1", "UBND huyên Mường Tè",
                                                                                   "5", "4,5", "95,5"])],
             _word("Lưu", 100, 300)]
    second = [_cell(t, 0, c) for c, t in enumerate(["2", "UBND xã Pa Ủ", "4", "-", "80"])]
    (table,) = _tables({1: first, 2: second})
    assert table.title == "Phụ lục KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI" and table.pages == (1, 2) and table.ncols == 5
    assert table.header == (HeaderCell("STT", 0, 0, 2, 1), HeaderCell("Tên đơn vị", 0, 1, 2, 1),
                            HeaderCell("Nhóm", 0, 2, 1, 2), HeaderCell("TỔNG ĐIỂM QUY ĐỔI", 0, 4, 2, 1),
                            HeaderCell("Chỉ số 1 (5đ)", 1, 2), HeaderCell("Chỉ số 2 (5đ)", 1, 3))
    assert [r.cells for r in table.rows] == [("1", "UBND huyện Mường Tè", "5", "4,5", "95,5"),
                                             ("2", "UBND xã Pa Ủ", "4", "-", "80")]
    assert [r.page for r in table.rows] == [1, 2]
    assert [w["text"] for w in ocr.grids(first, 1)[1]] == ["Phụ", "lục", "KẾT", "QUẢ", "ĐÁNH", "GIÁ,", "XẾP",
                                                             "LOẠI", "Lưu"]
    assert ocr.grids(second, 2)[1] == []
    assert table.rows[0].confidence == (0.95, 0.95, 0.95, 0.3, 0.95)


def test_a_header_repeated_with_a_slipped_mark_goes_on_and_a_misread_total_is_a_total() -> None:
    """OCR reads a header repeated on the next page a little differently ("ĐIẾM" for "ĐIỂM"); with the
    numbering starting again under a new section, the page still goes on the table. A total row's
    name cell has its marks mended like the unit words ("TỐNG SỐ")."""
    def page(heading: str, body: list[list[str]]) -> list[dict]:
        head = [_cell("STT", 0, 0), _cell("Tên đơn vị", 0, 1), _cell("Chỉ số 1 (5đ)", 0, 2),
                _cell(heading, 0, 3), _cell("XẾP LOẠI", 0, 4)]
        return head + [_cell(t, r, c) for r, cells in enumerate(body, start=1) for c, t in enumerate(cells)]

    first = page("TỔNG ĐIỂM", [["I", "UBND CÁC PHƯỜNG", "", "", ""], ["1", "UBND phường Tân An", "5", "5", "Tốt"]])
    second = page("TỔNG ĐIẾM", [["II", "UBND CÁC XÃ", "", "", ""], ["1", "UBND xã Pa Ủ", "4", "4", "Khá"],
                               ["TỐNG SỐ", "", "9", "9", ""]])
    (table,) = _tables({1: first, 2: second})
    assert table.pages == (1, 2)
    assert [r.cells[:2] for r in table.rows] == [("I", "UBND CÁC PHƯỜNG"), ("1", "UBND phường Tân An"),
                                                 ("II", "UBND CÁC XÃ"), ("1", "UBND xã Pa Ủ"), ("TỔNG SỐ", "")]
    different = page("TỔNG ĐIỂM (10đ)", [["1", "UBND xã Nậm Kè", "3", "3", "Yếu"]])
    assert len(_tables({1: first, 2: different})) == 2  # another maximum: another table


# ---------------------------------------------------------------- reading the scan


def _cells(words: list[dict]) -> dict[tuple[int, int], dict]:
    return {(w["cell"][1], w["cell"][2]): w for w in words if "cell" in w}


def test_every_cell_read(read: dict[int, list[dict]]) -> None:
    tables = _tables(read)
    (table,) = tables
    assert table.ncols == 6 and table.pages == (1, 2)
    rows = [r.cells for r in table.rows]
    assert len(rows) == len(BODY) + len(MORE)
    smudged = [k for k in range(len(rows)) if k != SMUDGED[0]]
    assert [rows[k] for k in smudged] == [(BODY + MORE)[k] for k in smudged]
    assert rows[SMUDGED[0]][:3] == BODY[SMUDGED[0]][:3] and rows[SMUDGED[0]][4:] == BODY[SMUDGED[0]][4:]


def test_header_cells_keep_their_spans(read: dict[int, list[dict]]) -> None:
    tables = _tables(read)
    spans = {(h.row, h.col, h.rowspan, h.colspan) for h in tables[0].header}
    assert spans == {(r, c, rs, cs) for _, r, c, rs, cs in HEADER}
    texts = {h.text for h in tables[0].header}
    assert {"STT", "Tên đơn vị", "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)"} <= texts


def test_smudged_cell_has_low_confidence(read: dict[int, list[dict]]) -> None:
    cells = _cells(read[1])
    smudged = cells[2 + SMUDGED[0], SMUDGED[1]]["conf"]
    figures = [w["conf"] for (r, c), w in cells.items() if r >= 2 and c >= 2 and (r - 2, c) != SMUDGED]
    assert smudged < 0.6
    assert sum(conf >= 0.6 for conf in figures) >= 0.8 * len(figures)  # two readings that disagree flag a few


def test_words_outside_the_table_in_points(read: dict[int, list[dict]]) -> None:
    """The title is body text: words in PDF points, each with its line's top, for pdf.py's layout."""
    words = [w for w in read[1] if "cell" not in w]
    assert [w["text"] for w in words[:2]] == ["Phụ", "lục"]
    assert all(w["fontname"] == "ocr" and 0 <= w["x0"] < w["x1"] <= 440 and w["top"] < w["bottom"] <= 280
               for w in words)
    assert words[0]["top"] == words[1]["top"] and 30 < words[0]["top"] < 40
    tables = _tables(read)
    assert tables[0].title.startswith("Phụ lục KẾT QUẢ ĐÁNH GIÁ")


def test_rows_are_boxed_on_the_scanned_page(scans: dict[int, ocr.Scan]) -> None:
    """Each body row's box is where the page prints it (within the scanner's slant), as fractions of
    the page: the report's crops of a scan rest on it."""
    (table,) = _tables({n: s.words for n, s in scans.items()}, {n: s.size for n, s in scans.items()})
    assert scans[1].size == pytest.approx((440, 280), abs=1)
    first = [r for r in table.rows if r.page == 1]
    for k, row in enumerate(first):  # body rows 22 pt high from 60 pt under the table's top (80 pt)
        x0, top, x1, bottom = row.bbox
        assert (x0 * 440, x1 * 440) == pytest.approx((40, 40 + sum(WIDTHS)), abs=4)
        assert (top * 280, bottom * 280) == pytest.approx((140 + 22 * k, 162 + 22 * k), abs=4)


def test_low_confidence_reaches_the_row(read: dict[int, list[dict]]) -> None:
    """The smudged cell's confidence rides on its RawRow and comes out as `Row.uncertain`, which
    OCR_LOW_CONFIDENCE reports."""
    from phuluc.load.checks import run_checks
    from phuluc.model import RawDocument
    from phuluc.normalize.report import build_report

    tables = _tables(read)
    report = build_report(RawDocument("scan.pdf", "0" * 64, "pdf-scanned", (), tuple(tables)))
    rows = {r.unit_raw: r for r in report.tables[0].rows}
    assert "values[1]" in rows["UBND xã Leng Su Sìn"].uncertain
    assert ("OCR_LOW_CONFIDENCE", "UBND xã Leng Su Sìn") in {(f.rule, f.unit_raw) for f in run_checks(report)}


# ---------------------------------------------------------------- harder scans

NUMBERED_WIDTHS = [30, 110, 70, 70, 80]  # pt
NUMBERED = [  # a digitisation table: headings, the column numbering row with a formula, figures
    ("STT", 0, 0, 2, 1), ("Đơn vị", 0, 1, 2, 1), ("Số hồ sơ", 0, 2, 1, 1), ("Đã số hóa", 0, 3, 1, 1),
    ("Tỷ lệ", 0, 4, 1, 1), ("(1)", 1, 2, 1, 1), ("(2)", 1, 3, 1, 1), ("(3)=(2)/(1)", 1, 4, 1, 1),
]
NUMBERED_BODY = [("1", "UBND xã Sín Thầu", "129", "52", "40,31"), ("2", "UBND xã Pa Ủ", "396", "313", "79,04"),
                 ("3", "UBND xã Mù Cả", "80", "", "")]
BLOT = (1, 4)  # body row, column: a cell inked over, nothing legible in it


def _shadow(image: Image.Image) -> Image.Image:
    """As a scanner lid left ajar returns it: the light falls from full on the left to a third on the
    right, print and paper alike."""
    light = np.linspace(1.0, 0.35, image.width)[None, :, None]
    return Image.fromarray((np.asarray(image, dtype=float) * light).astype(np.uint8))


def _shadowed_page() -> Image.Image:
    """The table of the first page under uneven light, a grey seal over its figures."""
    image, draw = _page(440, 240)
    _table(draw, 40, 40, True, BODY)
    return _scanned(_shadow(_stamp(image, (300, 150), ink=(150, 150, 150))), 0.6, seed=4)


def _sideways_page() -> Image.Image:
    """The same table scanned sideways: a landscape page fed turned a quarter, and a little skewed."""
    image, draw = _page(440, 240)
    _table(draw, 40, 40, True, BODY)
    return _scanned(image, 0.7, seed=5).rotate(90, expand=True)


def _numbered_page() -> Image.Image:
    """A table with a column numbering row whose heading is a formula, and one cell blotted out."""
    image, draw = _page(440, 220)
    cells = NUMBERED + [(text, 2 + r, c, 1, 1) for r, row in enumerate(NUMBERED_BODY) for c, text in enumerate(row)]
    _draw_cells(draw, 40, 40, NUMBERED_WIDTHS, [30, 22] + [22] * len(NUMBERED_BODY), cells, 2)
    x0 = (40 + sum(NUMBERED_WIDTHS[:BLOT[1]])) * PX + 25
    y0 = (40 + 52 + 22 * BLOT[0]) * PX + 18
    ImageDraw.Draw(image).ellipse([x0, y0, x0 + 90, y0 + 40], fill=(40, 40, 40))
    return _scanned(image, -0.5, seed=6)


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[dict]]:
    if not ocr.available():
        pytest.fail("Tesseract with its Vietnamese model is missing", pytrace=False)
    path = tmp_path_factory.mktemp("hard") / "hard.pdf"
    _shadowed_page().save(path, save_all=True, append_images=[_sideways_page(), _numbered_page()],
                          resolution=SCALE.dpi)
    return {n: s.words for n, s in ocr.ocr_pages(path, [1, 2, 3], DEFAULT.with_ocr_workers(2)).items()}


def _body(words: list[dict]) -> list[tuple[str, ...]]:
    (table,) = _tables({1: words})
    return [r.cells for r in table.rows]


@pytest.mark.parametrize(("readings", "verdict"), [
    ([("%2", 0.73), ("2", 0.05), (",", 0.0), (".2", 0.63)], "2"),  # specks read as marks: the figure wins
    ([("1⁄5", 0.39), ("1,5", 0.95), ("15", 0.68)], "1,5"),
    ([("ky)", 0.4), ("k)", 0.3)], "ky)"),  # no figure among them: the nearest reading, doubtful
])
def test_a_figure_no_two_readings_agree_on_is_the_central_figure(readings: list, verdict: str) -> None:
    text, conf = ocr._verdict(readings, DEFAULT.ocr.low_confidence)
    assert text == verdict and conf < DEFAULT.ocr.low_confidence


def test_paper_is_evened_out() -> None:
    """Under a shadow the paper turns white again and the print keeps its contrast to it."""
    image, draw = _page(400, 200)
    for k in range(6):
        draw.text((30 * PX, (30 + 25 * k) * PX), "UBND xã Sín Thầu 5,0 30,00", fill="black", font=_font(10))
    gray = np.asarray(_shadow(image).convert("L"))
    flat = ocr.flatten(gray, SCALE)
    paper = ocr.binarize(flat, SCALE) == 0
    assert np.percentile(gray[paper], 5) < 110 and np.percentile(flat[paper], 5) > 235
    assert np.percentile(flat[~paper], 50) < 128


@pytest.mark.parametrize("quarters", [0, 1, 2, 3])
def test_page_turned_by_quarters_is_turned_upright(quarters: int) -> None:
    image, draw = _page(420, 300)
    for k in range(10):
        draw.text((30 * PX, (30 + 22 * k) * PX), "Kết quả đánh giá xếp loại của UBND xã Thụy Lôi, tháng 8",
                  fill="black", font=_font(10))
    turned = np.ascontiguousarray(np.rot90(np.asarray(image.convert("L")), quarters))
    assert (quarters + ocr.quarter_turns(turned, SCALE)) % 4 == 0


def test_uneven_light_and_a_grey_seal_lose_no_cell(hard: dict[int, list[dict]]) -> None:
    """In the shade every cell is read; under the seal's lettering a cell may stay doubtful, but
    none is misread with confidence."""
    (table,) = _tables({1: hard[1]})
    cells = [(text, conf, want) for row, expected in zip(table.rows, BODY, strict=True)
             for text, conf, want in zip(row.cells, row.confidence, expected, strict=True)]
    assert all(text == want or conf < DEFAULT.ocr.low_confidence for text, conf, want in cells)
    assert sum(text == want for text, _, want in cells) >= len(cells) - 2


def test_a_page_scanned_sideways_is_read(hard: dict[int, list[dict]]) -> None:
    """The page keeps its number; its cells and words are placed on the page turned upright."""
    assert _body(hard[2]) == BODY
    assert all(w["x1"] <= 440 + 1 and w["bottom"] <= 240 + 1 for w in hard[2])


def test_column_numbers_and_formulas_are_read_as_headings(hard: dict[int, list[dict]]) -> None:
    """A numbering row in a column of figures is not read as figures: "(3)=(2)/(1)" keeps its marks,
    and the table's header runs down to it."""
    (table,) = _tables({3: hard[3]})
    assert {(h.row, h.col, h.text) for h in table.header} >= {(1, 2, "(1)"), (1, 3, "(2)"), (1, 4, "(3)=(2)/(1)")}
    assert [r.cells[:4] for r in table.rows] == [row[:4] for row in NUMBERED_BODY]


def test_a_cell_with_ink_and_no_reading_is_doubtful_not_blank(hard: dict[int, list[dict]]) -> None:
    """The blotted cell is doubtful, whatever was read in it; a truly blank cell is blank and sure."""
    cells = _cells(hard[3])
    blot = cells[2 + BLOT[0], BLOT[1]]
    blank = cells[2 + 2, 3]
    assert blot["conf"] < DEFAULT.ocr.low_confidence
    assert (blank["text"], blank["conf"]) == ("", 1.0)
    assert cells[2, 4]["text"] == "40,31" and cells[2, 4]["conf"] >= DEFAULT.ocr.low_confidence


def test_rendering_follows_the_resolution_setting(scan: Path) -> None:
    """Sizes are set in points: at 150 dpi the page is half as many pixels across, and the grid of the
    first page is found all the same."""
    low = ocr.Scale(150)
    gray = ocr.render(str(scan), 2, low.dpi)
    assert gray.shape[1] == pytest.approx(440 * low.per_point, abs=2)
    ink = ocr.binarize(gray, low)
    (grid,) = ocr.find_grids(*ocr.ruling_lines(ink, low), low)
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (len(MORE), len(WIDTHS))
