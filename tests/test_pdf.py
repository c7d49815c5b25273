"""PDFs with a text layer, built here with reportlab: a portrait report and its landscape appendix,
merged three-row headers, wrapped names, sections, a table over pages with and without its header
repeated, a second table with a total row, legacy TCVN3 fonts, and a page without text."""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                Table, TableStyle)

from phuluc.errors import PhulucError
from phuluc.extract import pdf, pdfium
from phuluc.extract.page import Page
from phuluc.pipeline import extract_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import fuzz  # noqa: E402  (the generator of malformed PDFs is a script, found beside the others)

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core draws Vietnamese

COMMUNES = ["Sín Thầu", "Sen Thượng", "Leng Su Sìn", "Mường Nhé", "Nậm Vì", "Huổi Lếnh", "Pá Mỳ", "Mường Toong",
            "Quảng Lâm", "Chung Chải", "Nậm Kè"]
MAXIMA = [5, 5, 10, 30, 10, 10, 5, 10, 5, 5, 5]
BODY = [
    "ỦY BAN NHÂN DÂN", "HUYỆN MƯỜNG NHÉ", "Số: 128/BC-UBND", "Mường Nhé, ngày 08 tháng 3 năm 2024", "BÁO CÁO",
    "Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp tháng 02 năm 2024",
    "Thực hiện Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh Điện Biên; UBND huyện Mường Nhé "
    "báo cáo kết quả như sau:",
    "- 11 đơn vị xếp loại Xuất sắc.", "(Chi tiết tại Phụ lục kèm theo)",
]


def _styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    return ParagraphStyle("body", fontName="DejaVu", fontSize=11, leading=14), \
        ParagraphStyle("cell", fontName="DejaVu", fontSize=8, leading=9.5)


def _values(k: int) -> list[str]:
    """Commune k's criteria: "-" for the three not applicable, full marks elsewhere but one."""
    return ["-", "-", "-", "30", "10", "-", "5", f"{9 - k % 3},5" if k % 2 else "10", "5", "5", "5"]


_RULES = {"grid": [("GRID", (0, 0), (-1, -1), 0.5, colors.black)],
          "horizontal": [("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)],
          "none": []}


def _score_table(cell: ParagraphStyle, *, repeat: bool, wrap_first: bool, rules: str = "grid") -> Table:
    groups = ["Nhóm công khai, minh bạch", "", "", "Tiến độ, KQ giải quyết (30đ)", "Cung cấp DVTT", "",
              "Số hóa hồ sơ", "", "Mức độ hài lòng", "", ""]
    labels = [f"Chỉ số {n} ({m}đ)" for n, m in zip([1, 2, 3, 0, 1, 2, 1, 2, 1, 2, 3], MAXIMA)]
    labels[3] = ""
    head = [["STT", "TÊN CƠ QUAN, ĐƠN VỊ", "ĐIỂM CÁC CHỈ SỐ"] + [""] * 10 + ["ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM QUY ĐỔI",
                                                                          "XẾP LOẠI"],
            ["", ""] + groups + ["", "", ""], ["", ""] + labels + ["", "", ""]]
    body = [["", "UBND CÁC XÃ"] + [""] * 14]
    for k, name in enumerate(COMMUNES, start=1):
        values = _values(k)
        total = sum(float(v.replace(",", ".")) for v in values if v != "-")
        printed = f"{total:g}".replace(".", ",")
        unit = f"UBND xã {name}" if not (wrap_first and k == 1) else "UBND xã Sín Thầu (đơn vị mới sáp nhập)"
        body.append([str(k), Paragraph(unit, cell)] + values + [f"{printed}/70", f"{total / 70 * 100:.2f}".replace(
            ".", ","), "Xuất sắc"])
    spans = [("SPAN", (0, 0), (0, 2)), ("SPAN", (1, 0), (1, 2)), ("SPAN", (2, 0), (12, 0)),
             ("SPAN", (2, 1), (4, 1)), ("SPAN", (5, 1), (5, 2)), ("SPAN", (6, 1), (7, 1)), ("SPAN", (8, 1), (9, 1)),
             ("SPAN", (10, 1), (12, 1)), ("SPAN", (13, 0), (13, 2)), ("SPAN", (14, 0), (14, 2)),
             ("SPAN", (15, 0), (15, 2)), ("SPAN", (1, 3), (15, 3))]
    table = Table([[Paragraph(c, cell) if isinstance(c, str) and len(c) > 12 else c for c in row] for row in head]
                  + body, colWidths=[26, 110] + [38] * 11 + [52, 50, 52], repeatRows=3 if repeat else 0)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 8), *_RULES[rules],
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 3), (-1, -1), "CENTER"),
                               *spans]))
    return table


def _fees_table(cell: ParagraphStyle) -> Table:
    rows = [["STT", "Tên cơ quan/đơn vị", "Số hồ sơ", "Phí, lệ phí", "Tỷ lệ %"],
            ["1", "UBND xã Nậm Kè", "12", "96.000", "41,7"], ["2", "UBND xã Pá Mỳ", "3", "-", "33,3"],
            ["Tổng cộng", "", "15", "96.000", "40,0"]]
    table = Table(rows, colWidths=[60, 150, 70, 80, 60])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 9), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (0, 3), (1, 3))]))
    return table


def build_report(path: Path, *, repeat: bool = True, wrap_first: bool = False, rows_per_page: float = 1.0,
                 rules: str = "grid") -> Path:
    body, cell = _styles()
    doc = BaseDocTemplate(str(path), pagesize=A4)
    portrait = Frame(50, 50, A4[0] - 100, A4[1] - 100)
    wide = landscape(A4)
    doc.addPageTemplates([PageTemplate("portrait", [portrait], pagesize=A4),
                          PageTemplate("landscape", [Frame(30, 30, wide[0] - 60, (wide[1] - 60) * rows_per_page)],
                                       pagesize=wide)])
    story = [Paragraph(line, body) for line in BODY]
    story += [NextPageTemplate("landscape"), PageBreak(), Paragraph("Phụ lục", body),
              Paragraph("KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 02 NĂM 2024", body),
              Paragraph("(Kèm theo Báo cáo số 128/BC-UBND ngày 08 tháng 3 năm 2024 của UBND huyện Mường Nhé)", body),
              _score_table(cell, repeat=repeat, wrap_first=wrap_first, rules=rules), PageBreak(),
              Paragraph("Biểu số 02", body), Paragraph("THỐNG KÊ PHÍ, LỆ PHÍ THỰC HIỆN TTHC", body), _fees_table(cell)]
    doc.build(story)
    return path


def _rows(path: Path) -> list[dict]:
    extraction = extract_file(path)
    return [r for t in extraction.report.score_tables for r in t.rows]


def test_a_report_and_its_landscape_appendix(tmp_path: Path) -> None:
    extraction = extract_file(build_report(tmp_path / "r.pdf"))
    meta = extraction.report.meta
    assert (meta.issuer, meta.number, meta.date, meta.period, meta.framework) == (
        "Huyện Mường Nhé", "128/BC-UBND", "2024-03-08", "2024-02", "459/QĐ-UBND")
    scores, fees = extraction.report.tables
    assert scores.kind == "scores" and [c.max for c in scores.criteria] == MAXIMA
    assert [r.unit for r in scores.rows] == [f"Xã {n}" for n in COMMUNES]
    assert {r.section for r in scores.rows} == {"UBND CÁC XÃ"}
    first = scores.rows[0]
    assert [v.text for v in first.values] == _values(1) and (first.total.value, first.total_max) == (68.5, 70)
    assert first.page == 2 and scores.pages[0] == 2
    assert fees.kind == "other" and [r.is_total_row for r in fees.rows] == [False, False, True]
    assert [r.rule for r in extraction.findings] == []


@pytest.mark.parametrize(("rules", "finder"), [("grid", "ruled"), ("horizontal", "positioned"), ("none", "positioned")])
def test_ruled_tables_are_read_by_their_cells_others_by_position(tmp_path: Path, rules: str, finder: str) -> None:
    report = extract_file(build_report(tmp_path / "r.pdf", rules=rules)).report
    scores = report.score_tables[0]
    assert scores.finder == finder and [c.max for c in scores.criteria] == MAXIMA
    assert [r.unit for r in scores.rows] == [f"Xã {n}" for n in COMMUNES]
    assert all([v.text for v in r.values] == _values(k) for k, r in enumerate(scores.rows, start=1))


def _printed_at(path: Path, page: int, text: str) -> list[tuple[float, float]]:
    """The centres of each place `text` is printed on a page (pdfium's search, not phuluc's reading), as
    fractions of the page from its top-left corner."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        found, (width, height) = document[page - 1].get_textpage(), document[page - 1].get_size()
        centres = []
        searcher = found.search(text, match_case=True)
        while (hit := searcher.get_next()) is not None:
            left, bottom, right, top = found.get_charbox(hit[0])
            centres.append(((left + right) / 2 / width, 1 - (top + bottom) / 2 / height))
        return centres
    finally:
        document.close()


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_each_row_is_boxed_where_it_is_printed(tmp_path: Path, rules: str) -> None:
    """A row's box (fractions of its page) holds its unit's name and its wrapped second line, and no
    other row's name: the report's crop around it shows that row."""
    path = build_report(tmp_path / "r.pdf", rules=rules, wrap_first=True)
    rows = _rows(path)
    names = ["Sín Thầu"] + [f"xã {n}" for n in COMMUNES[1:]]
    for k, (row, name) in enumerate(zip(rows, names)):
        x0, top, x1, bottom = row.bbox
        inside = [(x, y) for x, y in _printed_at(path, row.page, name) if x0 <= x <= x1 and top <= y <= bottom]
        assert len(inside) == 1, (rules, k, row.bbox)
        others = [c for n in names[:k] + names[k + 1:] for c in _printed_at(path, row.page, n)]
        assert not any(x0 <= x <= x1 and top < y < bottom for x, y in others), (rules, k)
    ((x, y),) = _printed_at(path, rows[0].page, "sáp nhập")
    assert rows[0].bbox[1] <= y <= rows[0].bbox[3]


def test_a_ruled_grid_keeps_its_merged_header_and_a_second_reading(tmp_path: Path) -> None:
    doc = pdf.read(build_report(tmp_path / "r.pdf"))
    scores = doc.tables[0]
    assert scores.finder == "ruled" and [t.finder for t in scores.alternatives] == ["positioned"]
    spans = {h.text: (h.rowspan, h.colspan) for h in scores.header}
    assert spans["STT"] == (3, 1) and spans["ĐIỂM CÁC CHỈ SỐ"] == (1, 11) and spans["Nhóm công khai, minh bạch"] == (1, 3)


def test_a_wrapped_name_is_one_name(tmp_path: Path) -> None:
    rows = _rows(build_report(tmp_path / "r.pdf", wrap_first=True))
    assert rows[0].unit_raw == "UBND xã Sín Thầu (đơn vị mới sáp nhập)" and len(rows) == len(COMMUNES)


@pytest.mark.parametrize("repeat", [True, False])
def test_a_table_over_two_pages_with_or_without_its_header(tmp_path: Path, repeat: bool) -> None:
    rows = _rows(build_report(tmp_path / "r.pdf", repeat=repeat, rows_per_page=0.55))
    assert [r.unit for r in rows] == [f"Xã {n}" for n in COMMUNES]
    assert len({r.page for r in rows}) == 2
    assert all([v.text for v in r.values] == _values(k) for k, r in enumerate(rows, start=1))


def _legacy_pdf(path: Path) -> Path:
    """A page drawn in a font named ".VnTime…": its text layer holds TCVN3 codes, as old PDFs do."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    page = canvas.Canvas(str(path))
    page.setFont("DejaVu", 12)
    page.drawString(72, 700, "UBND x· §µo X¸ b¸o c¸o")
    page.save()
    return path.write_bytes(path.read_bytes().replace(b"DejaVuSans", b".VnTimeABC")) and path


def _page(path: Path, index: int = 0) -> Page:
    """Page `index + 1` of a text-layer PDF as the reader lays it out."""
    with pdfium.Document(path) as document:
        return pdf._page(document.layer(index), index + 1, itertools.count(1))


def test_legacy_tcvn3_text_is_decoded_by_font_name(tmp_path: Path) -> None:
    """pdfium names the font without its subset tag; the name still tells TCVN3."""
    page = _page(_legacy_pdf(tmp_path / "legacy.pdf"))
    assert [w.text for line in page.lines for w in line.words] == ["UBND", "xã", "Đào", "Xá", "báo", "cáo"]


def _markless_page(path: Path) -> Path:
    page = canvas.Canvas(str(path))
    page.setFillColor(colors.grey)
    page.rect(72, 500, 400, 200, fill=1)  # an image-like page: marks, no characters
    page.save()
    return path


def test_a_page_without_a_text_layer_needs_ocr_when_tesseract_is_missing(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("phuluc.extract.ocr.available", lambda: False)
    with pytest.raises(PhulucError) as err:
        pdf.read(_markless_page(tmp_path / "scan.pdf"))
    assert err.value.key == "needs_ocr" and err.value.params["pages"] == "1"


def test_a_page_without_a_text_layer_is_read_by_ocr(tmp_path: Path) -> None:
    doc = pdf.read(_markless_page(tmp_path / "scan.pdf"))
    assert doc.format == "pdf-scanned" and doc.tables == ()


def test_glyphs_that_map_to_nothing_are_no_text_layer() -> None:
    assert not pdf._usable([{"text": "(cid:12)(cid:5)"}, {"text": "(cid:7)"}, {"text": "a"}])
    assert pdf._usable([{"text": "Báo"}, {"text": "cáo"}])


def test_a_password_protected_pdf_says_so(tmp_path: Path) -> None:
    path = tmp_path / "mat-khau.pdf"
    sheet = canvas.Canvas(str(path), encrypt="bimat")
    sheet.drawString(72, 720, "STT")
    sheet.save()
    with pytest.raises(PhulucError) as err:
        pdf.read(path)
    assert err.value.key == "encrypted_pdf" and err.value.params == {"file": str(path)}


def test_an_error_on_a_page_names_the_page(tmp_path: Path, monkeypatch) -> None:
    """An error while a damaged page is laid out (a box of no numbers, a glyph of no width) fails the
    file with the page's number and the reason, whatever the type of the error."""
    path = tmp_path / "r.pdf"
    sheet = canvas.Canvas(str(path))
    for text in ("Trang một", "Trang hai"):
        sheet.drawString(72, 720, text)
        sheet.showPage()
    sheet.save()
    layer = pdfium.Document.layer

    def damaged(document, index):
        if index == 1:
            raise ZeroDivisionError("float division by zero")
        return layer(document, index)

    monkeypatch.setattr(pdfium.Document, "layer", damaged)
    with pytest.raises(PhulucError) as err:
        pdf.read(path)
    assert err.value.key == "unreadable_page"
    assert err.value.params == {"file": str(path), "page": 2, "reason": "float division by zero"}


def test_a_damaged_pdf_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(PhulucError) as err:
        pdf.read(path)
    assert err.value.key == "unreadable" and err.value.params["file"] == str(path)


@pytest.mark.parametrize("variant", ["self-ref-pages", "self-ref-kids"])
def test_an_object_that_refers_to_itself_is_unreadable_at_once(tmp_path: Path, variant: str) -> None:
    """pdfium cannot open these; pdfminer, which reads them next, alone follows "6 0 obj 6 0 R" for ever."""
    path = tmp_path / f"{variant}.pdf"
    path.write_bytes(fuzz.PDF_STRUCTURES[variant](random.Random(0)))
    with pytest.raises(PhulucError) as err:
        pdf.read(path)
    assert err.value.key == "unreadable" and err.value.params["reason"] == "object 6 refers to itself"


@pytest.mark.parametrize("variant", ["self-ref-length", "page-tree-cycle", "count-lies", "broken-xref"])
def test_a_damaged_structure_one_library_can_walk_is_read(tmp_path: Path, variant: str) -> None:
    """A stream whose /Length refers to itself or a broken cross-reference table (pdfium reads past
    them), a page tree that holds itself or a /Count that lies (pdfium cannot load the pages it counts;
    pdfminer walks the tree): the report's table is read all the same."""
    path = tmp_path / f"{variant}.pdf"
    path.write_bytes(fuzz.PDF_STRUCTURES[variant](random.Random(0)))
    tables = pdf.read(path).tables
    assert len(tables) == 1 and len(tables[0].rows) == 17


def test_glyphs_of_no_width_are_read(tmp_path: Path) -> None:
    """A font whose widths are all 0 places every word at its start: the page is read, not a division
    by zero."""
    path = tmp_path / "zero-width.pdf"
    path.write_bytes(fuzz.PDF_STRUCTURES["zero-width-glyphs"](random.Random(0)))
    cells = [cell for table in pdf.read(path).tables for row in table.rows for cell in row.cells]
    assert sum("UBND" in cell for cell in cells) >= 5
