"""The Word and Excel readers, on documents built here with python-docx and openpyxl (the office fixtures
of ../shared are checked against their truth in test_e2e.py)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from phuluc.errors import PhulucError
from phuluc.extract.excel import read_xlsx
from phuluc.extract.parts import number_text
from phuluc.extract.word import read_docx
from phuluc.extract.tables import columns
from phuluc.model import HeaderCell
from phuluc.vi.numbers import parse_number
from phuluc.normalize.report import build_report

# A three-row header: "ĐIỂM CÁC CHỈ SỐ" over two groups over their criteria; STT, the name, the total
# and the rating merged down through all three rows.
HEADER = [
    ["STT", "TÊN CƠ QUAN, ĐƠN VỊ", "ĐIỂM CÁC CHỈ SỐ", "", "", "", "", "TỔNG ĐIỂM", "XẾP LOẠI"],
    ["", "", "Nhóm công khai", "", "Tiến độ, KQ giải quyết (30đ)", "Nhóm số hoá", "", "", ""],
    ["", "", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "", "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)", "", ""],
]
HEADER_MERGES = [(0, 0, 2, 0), (0, 1, 2, 1), (0, 2, 0, 6), (0, 7, 2, 7), (0, 8, 2, 8), (1, 2, 1, 3), (1, 4, 2, 4),
                 (1, 5, 1, 6)]
BODY = [
    ["UBND CÁC XÃ", "", "", "", "", "", "", "", ""],
    ["1", "UBND xã Tả Lèng", "", "5", "30", "4,5", "5", "44,5", "Tốt"],
    ["2", "UBND xã Bản Hon", "4,5", "5", "", "5", "5", "19,5", "Khá"],
    ["Tổng cộng", "", "4,5", "10", "30", "9,5", "10", "64", ""],
]
BODY_MERGES = [(3, 0, 3, 8), (6, 0, 6, 1)]  # the section row across the table, "Tổng cộng" across STT + name


def add_table(document, rows: list[list[str]], merges=()):
    """A Word table with merged cells (python-docx writes gridSpan across and vMerge down)."""
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    return table


def save(document, path: Path) -> Path:
    document.save(path)
    return path


def add_document_header(document) -> None:
    """The layout table at the top of a report: issuer and number | motto and date (no STT)."""
    add_table(document, [["ỦY BAN NHÂN DÂN\nHUYỆN TAM ĐƯỜNG\n\nSố: 15/BC-UBND",
                          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
                          "Tam Đường, ngày 06 tháng 8 năm 2024"]])


def score_docx(path: Path) -> Path:
    document = docx.Document()
    add_document_header(document)
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả đánh giá chất lượng phục vụ   tháng 7 năm 2024")
    document.add_paragraph("Phụ lục\nKẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 07 NĂM 2024")  # one paragraph, a line break
    document.add_paragraph("(Kèm theo Báo cáo số 15/BC-UBND ngày 06 tháng 8 năm 2024 của UBND huyện Tam Đường)")
    add_table(document, HEADER + BODY, HEADER_MERGES + BODY_MERGES)
    document.add_paragraph("Lưu ý: XS - Xuất sắc.")
    return save(document, path)


# ---------------------------------------------------------------- docx


def test_docx_merged_header_becomes_explicit_spans(tmp_path: Path) -> None:
    doc = read_docx(score_docx(tmp_path / "r.docx"))
    assert doc.format == "docx" and len(doc.tables) == 1
    table = doc.tables[0]
    assert table.ncols == 9 and table.pages == ()
    assert set(table.header) == {
        HeaderCell("STT", 0, 0, 3, 1), HeaderCell("TÊN CƠ QUAN, ĐƠN VỊ", 0, 1, 3, 1),
        HeaderCell("ĐIỂM CÁC CHỈ SỐ", 0, 2, 1, 5), HeaderCell("TỔNG ĐIỂM", 0, 7, 3, 1),
        HeaderCell("XẾP LOẠI", 0, 8, 3, 1), HeaderCell("Nhóm công khai", 1, 2, 1, 2),
        HeaderCell("Tiến độ, KQ giải quyết (30đ)", 1, 4, 2, 1), HeaderCell("Nhóm số hoá", 1, 5, 1, 2),
        HeaderCell("Chỉ số 1 (5đ)", 2, 2, 1, 1), HeaderCell("Chỉ số 2 (5đ)", 2, 3, 1, 1),
        HeaderCell("Chỉ số 1 (5đ)", 2, 5, 1, 1), HeaderCell("Chỉ số 2 (10đ)", 2, 6, 1, 1)}
    cols = columns(table.header, table.ncols)
    assert [c.label for c in cols] == ["STT", "TÊN CƠ QUAN, ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)",
                                       "Tiến độ, KQ giải quyết (30đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)",
                                       "TỔNG ĐIỂM", "XẾP LOẠI"]
    assert [c.group for c in cols][2:7] == ["Nhóm công khai", "Nhóm công khai", "ĐIỂM CÁC CHỈ SỐ", "Nhóm số hoá",
                                            "Nhóm số hoá"]


def test_docx_body_rows_sit_on_the_grid(tmp_path: Path) -> None:
    rows = read_docx(score_docx(tmp_path / "r.docx")).tables[0].rows
    assert [r.cells for r in rows] == [
        ("UBND CÁC XÃ",) + ("",) * 8,  # a section row merged across the table
        ("1", "UBND xã Tả Lèng", "", "5", "30", "4,5", "5", "44,5", "Tốt"),  # a blank cell is ""
        ("2", "UBND xã Bản Hon", "4,5", "5", "", "5", "5", "19,5", "Khá"),
        ("Tổng cộng", "", "4,5", "10", "30", "9,5", "10", "64", ""),  # merged STT + name: first column only
    ]
    assert all(r.aligned and r.page is None for r in rows)


def test_docx_layout_table_and_paragraphs_are_body_text(tmp_path: Path) -> None:
    doc = read_docx(score_docx(tmp_path / "r.docx"))
    texts = [b.text for b in doc.blocks]
    assert texts[0] == ("ỦY BAN NHÂN DÂN HUYỆN TAM ĐƯỜNG Số: 15/BC-UBND CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
                        "Độc lập - Tự do - Hạnh phúc Tam Đường, ngày 06 tháng 8 năm 2024")
    assert "Kết quả đánh giá chất lượng phục vụ tháng 7 năm 2024" in texts  # whitespace collapsed
    assert texts[-1] == "Lưu ý: XS - Xuất sắc."
    assert not any("STT" in t or "UBND xã Tả Lèng" in t for t in texts)
    assert doc.tables[0].title == "Phụ lục KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 07 NĂM 2024"  # caption passed over


def test_docx_reads_into_the_same_report_as_text(tmp_path: Path) -> None:
    report = build_report(read_docx(score_docx(tmp_path / "r.docx")))
    assert (report.meta.issuer, report.meta.number, report.meta.date, report.meta.period) == (
        "Huyện Tam Đường", "15/BC-UBND", "2024-08-06", "2024-07")
    table = report.tables[0]
    assert table.kind == "scores" and [c.max for c in table.criteria] == [5, 5, 30, 5, 10]
    first, second, total = table.rows
    assert first.section == "UBND CÁC XÃ" and first.values[0].value is None and first.total.value == 44.5
    assert second.values[2].value is None and second.rating == "Khá"
    assert total.is_total_row and total.unit_raw == "Tổng cộng"


def test_docx_two_tables_with_their_own_titles(tmp_path: Path) -> None:
    document = docx.Document()
    add_document_header(document)
    for k, title in ((1, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI"), (2, "THỐNG KÊ PHÍ, LỆ PHÍ THỰC HIỆN TTHC")):
        add_table(document, [["ỦY BAN NHÂN DÂN\nHUYỆN TAM ĐƯỜNG", f"Biểu số 0{k}"]])  # marker beside the issuer
        document.add_paragraph(title)
        document.add_paragraph("(Kèm theo Báo cáo số 15/BC-UBND ngày 06 tháng 8 năm 2024)")
        add_table(document, [["STT", "Đơn vị", "Số hồ sơ", "Phí, lệ phí"], ["1", "UBND xã A", "10", "37.000"],
                             ["2", "UBND xã B", "5", "2.000"]])
    doc = read_docx(save(document, tmp_path / "two.docx"))
    assert [t.title for t in doc.tables] == ["Biểu số 01 KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI",
                                             "Biểu số 02 THỐNG KÊ PHÍ, LỆ PHÍ THỰC HIỆN TTHC"]
    assert [len(t.rows) for t in doc.tables] == [2, 2]
    assert "ỦY BAN NHÂN DÂN HUYỆN TAM ĐƯỜNG Biểu số 02" in [b.text for b in doc.blocks]


def test_docx_table_goes_on_after_a_repeated_header(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Phụ lục")
    head = [["STT", "Đơn vị", "Chỉ số 1 (5đ)", "Tổng điểm"]]
    add_table(document, head + [["1", "UBND xã A", "5", "5"], ["2", "UBND xã B", "4", "4"]])
    document.add_paragraph("")
    add_table(document, head + [["3", "UBND xã C", "3", "3"]])  # a new page repeats the header
    add_table(document, [["4", "UBND xã D", "2", "2"]])  # … or does not
    doc = read_docx(save(document, tmp_path / "long.docx"))
    assert len(doc.tables) == 1 and [r.cells[0] for r in doc.tables[0].rows] == ["1", "2", "3", "4"]


def test_docx_numbering_row_belongs_to_the_header(tmp_path: Path) -> None:
    document = docx.Document()
    add_table(document, [["STT", "Đơn vị", "Tiếp nhận", "Số hóa", "Tỷ lệ"], ["", "", "(1)", "(2)", "(3)=(2)/(1)"],
                         ["1", "UBND xã A", "24", "22", "91,67"], ["TỔNG SỐ", "", "24", "22", "91.67%"]],
              [(0, 0, 1, 0), (0, 1, 1, 1), (3, 0, 3, 1)])
    table = read_docx(save(document, tmp_path / "n.docx")).tables[0]
    assert HeaderCell("(3)=(2)/(1)", 1, 4, 1, 1) in table.header
    assert [r.cells[0] for r in table.rows] == ["1", "TỔNG SỐ"]


@pytest.mark.parametrize("reader,name", [(read_docx, "bad.docx"), (read_xlsx, "bad.xlsx")])
def test_a_corrupt_file_is_unreadable(tmp_path: Path, reader, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(os.urandom(2048))
    with pytest.raises(PhulucError) as err:
        reader(path)
    assert err.value.key == "unreadable" and err.value.params["file"] == str(path) and err.value.params["reason"]


# ---------------------------------------------------------------- xlsx


def appendix_sheet(ws, marker: str, title: str, header: list[list[object]], merges: list[str],
                   body: list[list[object]]) -> None:
    """An appendix as sent in a workbook: marker, title and caption rows over the table."""
    width = len(header[0])
    last = openpyxl.utils.get_column_letter(width)
    for r, text in enumerate((marker, title, "(Kèm theo Báo cáo số 22/BC-UBND ngày 05 tháng 12 năm 2024 "
                                             "của UBND huyện Mường Ảng)"), start=1):
        ws.cell(r, 1, text)
        ws.merge_cells(f"A{r}:{last}{r}")
    for r, row in enumerate(header + body, start=5):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in merges:
        ws.merge_cells(rng)


def score_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    header = [[cell or None for cell in row] for row in HEADER]
    body = [["I", "UBND CÁC XÃ"] + [None] * 7,
            [1, "UBND xã\nTả Lèng", None, 5, 30, 1.527, 5, 41.527, "Khá"],
            [2, "UBND xã Bản Hon", 4.5, 5, None, 5, 5, 19.5, "Yếu"],
            ["Tổng cộng", None, 4.5, 10, 30, 6.527, 10, 61.027, None]]
    appendix_sheet(ws, "Biểu số 01", "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2024", header,
                   ["A5:A7", "B5:B7", "C5:G5", "H5:H7", "I5:I7", "C6:D6", "E6:E7", "F6:G6", "B8:I8", "A11:B11"], body)
    ws["H10"].number_format = "0.00"  # 19.5 shown as 19,50
    ws["F9"].number_format = "0.00"  # 1.527 keeps the digits it needs
    ws["D10"] = date(2024, 11, 30)  # a date is no figure
    other = wb.create_sheet("Biểu 02")
    appendix_sheet(other, "Biểu số 02", "THỐNG KÊ PHÍ, LỆ PHÍ THỰC HIỆN TTHC",
                   [["STT", "Tên cơ quan/đơn vị", "Phí, lệ phí", "Tỷ lệ"]], [],
                   [[1, "UBND xã A", 813000, 0.7813], [2, "UBND xã B", 17.93, 0.5]])
    other["D6"].number_format = other["D7"].number_format = "0.00%"
    wb.save(path)
    return path


def test_xlsx_title_rows_merged_header_and_body(tmp_path: Path) -> None:
    doc = read_xlsx(score_workbook(tmp_path / "r.xlsx"))
    assert doc.format == "xlsx" and len(doc.tables) == 2
    table = doc.tables[0]
    assert table.title == "Biểu số 01 KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2024"
    assert HeaderCell("ĐIỂM CÁC CHỈ SỐ", 0, 2, 1, 5) in table.header
    assert HeaderCell("STT", 0, 0, 3, 1) in table.header and HeaderCell("Nhóm công khai", 1, 2, 1, 2) in table.header
    assert [r.cells for r in table.rows] == [
        ("I", "UBND CÁC XÃ", "", "", "", "", "", "", ""),
        ("1", "UBND xã Tả Lèng", "", "5", "30", "1,527", "5", "41,527", "Khá"),  # a line break in a name
        ("2", "UBND xã Bản Hon", "4,5", "", "", "5", "5", "19,50", "Yếu"),
        ("Tổng cộng", "", "4,5", "10", "30", "6,527", "10", "61,027", ""),
    ]
    assert [r.line for r in table.rows] == [8, 9, 10, 11]  # sheet rows
    texts = [b.text for b in doc.blocks]
    assert texts[:3] == ["Biểu số 01", "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2024",
                         "(Kèm theo Báo cáo số 22/BC-UBND ngày 05 tháng 12 năm 2024 của UBND huyện Mường Ảng)"]


def test_xlsx_numbers_are_read_back_exactly(tmp_path: Path) -> None:
    doc = read_xlsx(score_workbook(tmp_path / "r.xlsx"))
    cell = doc.tables[0].rows[1].cells[5]
    assert parse_number(cell).value == 1.527  # never the thousands reading 1527
    assert [r.cells[2:] for r in doc.tables[1].rows] == [("813000", "78,13%"), ("17,93", "50,00%")]
    report = build_report(doc)
    assert report.tables[0].rows[0].values[3].value == 1.527 and report.tables[0].rows[0].total.value == 41.527
    assert [r.values[0].value for r in report.tables[1].rows] == [813000, 17.93]


def test_xlsx_two_sheets_are_two_tables(tmp_path: Path) -> None:
    doc = read_xlsx(score_workbook(tmp_path / "r.xlsx"))
    assert [t.title for t in doc.tables] == ["Biểu số 01 KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2024",
                                             "Biểu số 02 THỐNG KÊ PHÍ, LỆ PHÍ THỰC HIỆN TTHC"]
    assert [c.text for c in doc.tables[1].header] == ["STT", "Tên cơ quan/đơn vị", "Phí, lệ phí", "Tỷ lệ"]
    assert "Biểu số 02" in [b.text for b in doc.blocks]


@pytest.mark.parametrize("value,fmt,text", [
    (1.527, "General", "1,527"), (17.93, "General", "17,93"), (2.0, "General", "2"), (813000, "General", "813000"),
    (813000.0, "#,##0", "813000"), (5, "0.00", "5,00"), (5.0, "0.00", "5,00"), (13.3, "0.0", "13,3"),
    (1.527, "0.00", "1,527"), (0.7813, "0.00%", "78,13%"), (0.5, "0%", "50%"), (-0.5, "General", "-0,5"),
    (0.1 + 0.2, "General", "0,3"), (2.5, '#,##0.00" đ"', "2,50"),
])
def test_number_text(value: float, fmt: str, text: str) -> None:
    assert number_text(value, fmt) == text
    assert parse_number(text).value == pytest.approx(value * (100 if "%" in fmt else 1))


def _with_cached_value(src: Path, dst: Path, cell: str, value: str) -> Path:
    """openpyxl writes formulas without results; give one formula the value Excel would have cached."""
    def cached(data: bytes) -> bytes:
        start = data.index(f'<c r="{cell}"'.encode())
        end = data.index(b"</c>", start)
        return data[:start] + data[start:end].replace(b"<v></v>", b"").replace(
            b"<v />", b"") + f"<v>{value}</v>".encode() + data[end:]

    return _rewrite(src, dst, "xl/worksheets/sheet1.xml", cached)


def _rewrite(src: Path, dst: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """The zip `src` written to `dst` with one member's bytes changed."""
    with zipfile.ZipFile(src) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, change(data) if info.filename == member else data)
    return dst


def formula_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    appendix_sheet(ws, "Phụ lục", "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI NĂM 2020",
                   [["STT", "Đơn vị", "Tiêu chí 1", "Tiêu chí 2", "Tổng điểm"]], [],
                   [[1, "UBND huyện Sìn Hồ", 1.5, 2, "=SUM(C6:D6)"]])
    wb.save(path)
    return path


def test_xlsx_formula_cell_reads_its_cached_value(tmp_path: Path) -> None:
    path = _with_cached_value(formula_workbook(tmp_path / "raw.xlsx"), tmp_path / "f.xlsx", "E6", "3.5")
    assert read_xlsx(path).tables[0].rows[0].cells == ("1", "UBND huyện Sìn Hồ", "1,5", "2", "3,5")


def test_xlsx_saved_without_cached_values_is_reported(tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "raw.xlsx")
    with pytest.raises(PhulucError) as err:
        read_xlsx(path)
    assert err.value.key == "no_cached_values"
    assert err.value.params == {"file": str(path), "sheet": "Phụ lục", "cell": "E6"}


def test_a_hostile_span_a_far_cell_or_a_whole_sheet_merge_gives_up_before_its_cells_are_made(tmp_path: Path) -> None:
    """A gridSpan of 10^8 (2.4 GB of cells), a value at XFD1048576 and a merge A1:XFD1048576 (17 billion
    cells; openpyxl makes each while it loads the sheet) give the file up, in a second."""
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "STT"
    properties = table.cell(0, 1)._tc.get_or_add_tcPr()
    properties.append(properties.makeelement(qn("w:gridSpan"), {qn("w:val"): "100000000"}))
    book = openpyxl.Workbook()
    book.active["A1"], book.active["XFD1048576"] = "STT", 1
    book.save(far := tmp_path / "far.xlsx")
    book = openpyxl.Workbook()
    book.active["A1"] = "STT"
    book.save(merged := tmp_path / "merged.xlsx")
    _rewrite(merged, merged, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'))
    for path, reader in ((save(document, tmp_path / "span.docx"), read_docx), (far, read_xlsx), (merged, read_xlsx)):
        with pytest.raises(PhulucError) as err:
            reader(path)
        assert err.value.key == "gave_up" and err.value.params["budget"] == "cells", path.name
        assert err.value.params["rows"] * err.value.params["cols"] > err.value.params["limit"]
    assert (err.value.params["rows"], err.value.params["cols"]) == (1048576, 16384)

