"""The OpenDocument reader: an .odt reads exactly as the .docx it was converted from, an .ods exactly as
its .xlsx (generated reports converted by LibreOffice, compared block for block, cell for cell and finding
for finding); small files written here pin what conversions rarely produce: repeats, covered cells,
hidden sheets, ODF's text markup, a million empty rows, damaged and hostile files."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from generator import corpus
from lxml import etree

from phuluc.contract import to_json
from phuluc.errors import PhulucError
from phuluc.extract import libreoffice, opendocument
from phuluc.extract.excel import read_xlsx
from phuluc.extract.opendocument import read_ods, read_odt
from phuluc.extract.parts import MAX_CELLS
from phuluc.extract.word import read_docx
from phuluc.load.checks import run_checks
from phuluc.model import Extraction, HeaderCell, RawDocument
from phuluc.normalize.report import build_report
from test_office import score_workbook

Options = corpus.Options

# (seed, options): what each report brings in
REPORTS = [
    # three tables (scores, fees, digitisation), a three-row header, numbered sections, fixed decimals ("5,00")
    (3, Options(issuer="district", framework="459", appendix=True, other_tables=True, sections="numbered",
                rounded=True)),
    # a long table whose header repeats on a new page; planted duplicate, missing and unknown units
    (3, Options(issuer="province", appendix=True, long=True, repeat_header=True)),
    # rank and note columns, totals before the criteria, a (1) (2) numbering row, a heading section row
    (3, Options(issuer="province-2025", appendix=True, extras=tuple(corpus.EXTRAS), sections="heading")),
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> list[tuple[Path, Path]]:
    """(original, OpenDocument copy) of each report as .docx and .xlsx, and of test_office's workbook
    (percent formats, a date, decimals shown beyond the value's, two sheets)."""
    folder = tmp_path_factory.mktemp("od")
    pairs = []
    for k, (seed, options) in enumerate(REPORTS):
        spec = corpus.draw_spec(seed, options)
        for fmt, odf in (("docx", "odt"), ("xlsx", "ods")):
            original = corpus.render(spec, fmt, folder, name=f"r{k}")
            pairs.append((original, libreoffice.convert(original, odf, folder)))
    workbook = score_workbook(folder / "scores.xlsx")
    pairs.append((workbook, libreoffice.convert(workbook, "ods", folder)))
    return pairs


READERS = {".docx": read_docx, ".xlsx": read_xlsx, ".odt": read_odt, ".ods": read_ods}


def extraction(doc: RawDocument) -> dict:
    """The JSON of `phuluc extract --json`, built as pipeline.extract_file builds it, less what names the file."""
    report = build_report(doc)
    out = to_json(Extraction(report=report, findings=run_checks(report)))
    return {k: v for k, v in out.items() if k not in ("source_file", "file_name", "sha256", "format")}


def test_opendocument_reads_as_the_office_original(converted: list[tuple[Path, Path]]) -> None:
    for original, copy in converted:
        a, b = READERS[original.suffix](original), READERS[copy.suffix](copy)
        assert b.format == copy.suffix[1:] and b.source == str(copy)
        assert [t.text for t in b.blocks] == [t.text for t in a.blocks], original.name
        assert b.tables == a.tables, original.name  # header cells with their spans, rows cell for cell
        assert extraction(b) == extraction(a), original.name


def test_the_reports_hold_what_they_are_chosen_for(converted: list[tuple[Path, Path]]) -> None:
    """The comparison above covers merged headers, several tables, sections and shown decimals."""
    docs = {copy.name: READERS[copy.suffix](copy) for _, copy in converted}
    assert len(docs["r0.odt"].tables) == len(docs["r0.ods"].tables) == 3
    cells = [c for t in docs["r0.ods"].tables for r in t.rows for c in r.cells]
    assert any(c.endswith(",00") for c in cells)  # 5 shown "5,00": the workbook's "0.00"
    assert max(h.rowspan for h in docs["r0.odt"].tables[0].header) == 3
    assert docs["r0.odt"].tables[0].rows[0].cells[:2] == ("I", "CẤP HUYỆN")  # a numbered section
    assert docs["r2.ods"].tables[0].rows[0].cells[0] == "UBND CÁC XÃ, PHƯỜNG"  # a heading section
    assert "78,13%" in [c for t in docs["scores.ods"].tables for r in t.rows for c in r.cells]


# ---------------------------------------------------------------- hand-made files

NS = " ".join(f'xmlns:{k}="urn:oasis:names:tc:opendocument:xmlns:{v}"' for k, v in {
    "office": "office:1.0", "style": "style:1.0", "text": "text:1.0", "table": "table:1.0", "draw": "drawing:1.0",
    "svg": "svg-compatible:1.0", "number": "datastyle:1.0"}.items()) + ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
MIME = {"text": "application/vnd.oasis.opendocument.text",
        "spreadsheet": "application/vnd.oasis.opendocument.spreadsheet"}


def odf(path: Path, kind: str, body: str, styles: str = "", prolog: str = "") -> Path:
    """A minimal OpenDocument package: mimetype first and stored, content.xml, the manifest."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS} office:version="1.3">'
               f"<office:automatic-styles>{styles}</office:automatic-styles>"
               f"<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIME[kind]}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIME[kind], zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def cell(text: str = "", *attrs: str) -> str:
    body = "".join(f"<text:p>{line}</text:p>" for line in text.split("\n")) if text else ""
    return f'<table:table-cell office:value-type="string" {" ".join(attrs)}>{body}</table:table-cell>'


def num(value: float, shown: str, *attrs: str, kind: str = "float") -> str:
    return (f'<table:table-cell office:value-type="{kind}" office:value="{value}" {" ".join(attrs)}>'
            f"<text:p>{shown}</text:p></table:table-cell>")


def row(*cells: str, repeat: int = 1) -> str:
    return f'<table:table-row table:number-rows-repeated="{repeat}">{"".join(cells)}</table:table-row>'


COVERED = "<table:covered-table-cell/>"
# LibreOffice keeps what a merge covered, unseen
HIDDEN = '<table:covered-table-cell office:value-type="string"><text:p>ẩn</text:p></table:covered-table-cell>'
EMPTY_CELLS = '<table:table-cell table:number-columns-repeated="16370"/>'  # as LibreOffice ends each row
EMPTY_ROWS = row('<table:table-cell table:number-columns-repeated="16384"/>', repeat=1048570)  # … and a sheet
HEADER = [  # STT, Đơn vị and Tổng điểm merged down two rows, "Điểm các chỉ số" across two criteria
    row(cell("STT", 'table:number-rows-spanned="2"'), cell("Đơn vị", 'table:number-rows-spanned="2"'),
        cell("Điểm các chỉ số", 'table:number-columns-spanned="2"'), COVERED,
        cell("Tổng điểm", 'table:number-rows-spanned="2"'), EMPTY_CELLS),
    row('<table:covered-table-cell table:number-columns-repeated="2"/>', cell("Chỉ số 1 (5đ)"),
        cell("Chỉ số 2 (5đ)"), COVERED, EMPTY_CELLS),
]
HEADER_CELLS = {HeaderCell("STT", 0, 0, 2, 1), HeaderCell("Đơn vị", 0, 1, 2, 1),
                HeaderCell("Điểm các chỉ số", 0, 2, 1, 2), HeaderCell("Tổng điểm", 0, 4, 2, 1),
                HeaderCell("Chỉ số 1 (5đ)", 1, 2), HeaderCell("Chỉ số 2 (5đ)", 1, 3)}


def sheet(name: str, rows: list[str], style: str = "ta1") -> str:
    return f'<table:table table:name="{name}" table:style-name="{style}">{"".join(rows)}</table:table>'


SHEET_STYLES = ('<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/>'
                '</style:style><style:style style:name="ta2" style:family="table">'
                '<style:table-properties table:display="false"/></style:style>')


def workbook(path: Path) -> Path:
    scores = sheet("Biểu 01", [
        row(cell("Biểu số 01", 'table:number-columns-spanned="5"'),
            '<table:covered-table-cell table:number-columns-repeated="4"/>', EMPTY_CELLS),
        row(cell("KẾT QUẢ ĐÁNH GIÁ,<text:s/>XẾP<text:s text:c=\"3\"/>LOẠI")),  # text:s: one space, three
        row('<table:table-cell table:number-columns-repeated="16384"/>'),  # a blank row between
        "<table:table-header-rows>", *HEADER, "</table:table-header-rows>",
        "<table:table-row-group>",
        row(num(1, "1"), cell("UBND xã\nTả Lèng"), num(5, "5.00"), num(4.5, "4,50"), num(9.5, "9.50"), EMPTY_CELLS),
        row(num(2, "2"), cell("UBND xã Bản Hon"), num(5, "5.00", 'table:number-columns-repeated="2"'),  # 5 twice
            num(10, "10.00"), EMPTY_CELLS, repeat=2),  # … and the row twice
        "</table:table-row-group>",
        row(cell("Tổng cộng", 'table:number-columns-spanned="2"'), HIDDEN, num(1.527, "1.53"), num(14.5, "14.5"),
            num(24.5, "24.50"), EMPTY_CELLS),
        EMPTY_ROWS,
    ])
    hidden = sheet("Ẩn", [row(cell("Biểu số 02")), row(cell("STT"), cell("Đơn vị")), row(num(1, "1"), cell("xã C"))],
                   style="ta2")
    other = sheet("Biểu 03", [
        row(cell("Biểu số 03")), row(cell("STT"), cell("Đơn vị"), cell("Phí"), cell("Tỷ lệ"), cell("Đạt"), cell("Ngày"),
                                     cell("Tổng")),
        row(num(1, "1"), cell("UBND xã A"), num(813000, "813.000 ₫", kind="currency"),
            num(0.7813, "78,13 %", kind="percentage"), '<table:table-cell office:value-type="boolean" '
            'office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>',
            '<table:table-cell office:value-type="date" office:date-value="2024-11-30"><text:p>30/11/2024</text:p>'
            "</table:table-cell>", num(3.5, "3.5", 'table:formula="of:=SUM([.C3:.D3])"')),
        row(num(2, "2"), cell("UBND xã B"), num(0.5, ".50"), num(0.5, "50.00%", kind="percentage"),
            num(1500, "1.5E+03"), num(0, "0.00"), num(-2.25, "(2.3)")),
    ])
    return odf(path, "spreadsheet", scores + hidden + other, SHEET_STYLES)


def test_ods_repeats_covered_cells_and_spans(tmp_path: Path) -> None:
    doc = read_ods(workbook(tmp_path / "w.ods"))
    table = doc.tables[0]
    assert table.title == "Biểu số 01 KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI" and table.ncols == 5
    assert set(table.header) == HEADER_CELLS
    assert [r.cells for r in table.rows] == [
        ("1", "UBND xã Tả Lèng", "5,00", "4,50", "9,50"),  # shown decimals, in either locale's print
        ("2", "UBND xã Bản Hon", "5,00", "5,00", "10,00"),
        ("2", "UBND xã Bản Hon", "5,00", "5,00", "10,00"),
        ("Tổng cộng", "", "1,527", "14,5", "24,50"),  # a value keeps the digits it needs
    ]
    assert [r.line for r in table.rows] == [6, 7, 8, 9]  # sheet rows, as in a workbook


def test_ods_hidden_sheet_and_value_types(tmp_path: Path) -> None:
    doc = read_ods(workbook(tmp_path / "w.ods"))
    assert len(doc.tables) == 2 and "Biểu số 02" not in [b.text for b in doc.blocks]
    assert [r.cells for r in doc.tables[1].rows] == [
        ("1", "UBND xã A", "813000", "78,13%", "TRUE", "", "3,5"),  # a date is no figure; a formula's cached value
        ("2", "UBND xã B", "0,50", "50,00%", "1500", "0,00", "-2,25"),
    ]


def test_a_million_empty_rows_are_counted_not_read(tmp_path: Path) -> None:
    path = odf(tmp_path / "long.ods", "spreadsheet", sheet("S", [*HEADER, row(num(1, "1"), cell("xã A")), EMPTY_ROWS,
                                                                  EMPTY_ROWS]))
    doc = read_ods(path)
    assert [r.cells for r in doc.tables[0].rows] == [("1", "xã A", "", "", "")]


def test_a_sheet_past_the_cell_limit_is_given_up(tmp_path: Path) -> None:
    path = odf(tmp_path / "huge.ods", "spreadsheet",
               sheet("S", [row(cell("x", f'table:number-columns-repeated="{MAX_CELLS // 1000 + 1}"'), repeat=1000)]))
    with pytest.raises(PhulucError) as err:
        read_ods(path)
    assert (err.value.key, err.value.params["budget"], err.value.params["limit"]) == ("gave_up", "cells", MAX_CELLS)


def test_ods_formula_without_a_cached_value_is_reported(tmp_path: Path) -> None:
    path = odf(tmp_path / "f.ods", "spreadsheet", sheet("Phụ lục", [
        row(cell("STT"), cell("Đơn vị"), cell("Tổng điểm")),
        row(num(1, "1"), cell("xã A"), '<table:table-cell table:number-columns-repeated="2"/>',
            '<table:table-cell table:formula="of:=SUM([.C2:.D2])"/>')]))
    with pytest.raises(PhulucError) as err:
        read_ods(path)
    assert err.value.key == "no_cached_values"
    assert err.value.params == {"file": str(path), "sheet": "Phụ lục", "cell": "E2"}


def text_document(path: Path) -> Path:
    table = "".join([
        '<table:table table:name="T1"><table:table-column table:number-columns-repeated="5"/>',
        "<table:table-header-rows>", *(h.replace(EMPTY_CELLS, "") for h in HEADER), "</table:table-header-rows>",
        "<text:soft-page-break/>",
        row(cell("1"), cell("UBND xã<text:line-break/>Tả Lèng"), cell("5"), cell("4,5"), cell("9,5")),
        row(cell("Tổng cộng", 'table:number-columns-spanned="2"'), COVERED, cell("5"), cell("4,5"),
            cell("9,5")),
        row('<table:table-cell table:number-columns-repeated="5"/>'),  # an empty row, kept as Word keeps it
        "</table:table>"])
    body = (
        "<text:sequence-decls/>"
        '<text:h text:outline-level="1">BÁO CÁO</text:h>'
        "<text:p>Kết quả<text:s text:c=\"3\"/>tháng 7<text:note><text:note-citation>1</text:note-citation>"
        "<text:note-body><text:p>Chú thích</text:p></text:note-body></text:note> năm\n    2024"
        "<office:annotation><dc:creator>A</dc:creator><text:p>nhận xét</text:p></office:annotation></text:p>"
        "<text:list><text:list-item><text:p>- mục một</text:p></text:list-item>"
        "<text:list-item><text:p>- mục<text:tab/>hai</text:p></text:list-item></text:list>"
        '<text:section text:name="S1"><text:p>Phụ lục<text:line-break/>KẾT QUẢ ĐÁNH GIÁ</text:p>'
        f"{table}</text:section>"
        '<text:p>Lưu ý: <draw:frame draw:name="F"><svg:title>Hình</svg:title><draw:text-box>'
        "<text:p>hộp chữ</text:p></draw:text-box></draw:frame></text:p>")
    return odt_file(path, body)


def odt_file(path: Path, body: str, prolog: str = "") -> Path:
    return odf(path, "text", body, prolog=prolog)


def test_odt_paragraphs_tables_and_sections_in_order(tmp_path: Path) -> None:
    doc = read_odt(text_document(tmp_path / "r.odt"))
    assert doc.format == "odt" and len(doc.tables) == 1
    table = doc.tables[0]
    assert table.title == "Phụ lục KẾT QUẢ ĐÁNH GIÁ" and set(table.header) == HEADER_CELLS
    assert [r.cells for r in table.rows] == [("1", "UBND xã Tả Lèng", "5", "4,5", "9,5"),
                                             ("Tổng cộng", "", "5", "4,5", "9,5")]
    assert [b.text for b in doc.blocks] == [
        "BÁO CÁO", "Kết quả tháng 7 năm 2024",  # footnote and comment dropped; XML line breaks are spaces
        "- mục một", "- mục hai", "Phụ lục KẾT QUẢ ĐÁNH GIÁ", "Lưu ý: hộp chữ"]  # a text box's text, not its title


def test_xml_whitespace_in_a_paragraph_is_one_space() -> None:
    """ODF collapses whitespace in text, so a pretty-printed file breaks no line: only text:line-break does."""
    p = etree.fromstring(f'<text:p {NS}>Phụ lục\n   01<text:line-break/>KẾT<text:s text:c="2"/>QUẢ</text:p>')
    assert opendocument._paragraph(p) == "Phụ lục 01\nKẾT  QUẢ"


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT")
    prolog = f'<!DOCTYPE office:document-content [<!ENTITY e "BOOM"><!ENTITY f SYSTEM "{secret.as_uri()}">]>'
    doc = read_odt(odt_file(tmp_path / "e.odt", "<text:p>a &e; &f; b</text:p>", prolog))
    assert [b.text for b in doc.blocks] == ["a b"]


@pytest.mark.parametrize("reader", [read_odt, read_ods])
def test_damaged_files_are_unreadable(tmp_path: Path, reader) -> None:
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    cases = {"noise": os.urandom(2048), "no-content": good.getvalue(), "cut": b"PK\x03\x04" + os.urandom(64)}
    for name, data in cases.items():
        path = tmp_path / f"{name}.od"
        path.write_bytes(data)
        with pytest.raises(PhulucError) as err:
            reader(path)
        assert err.value.key == "unreadable" and err.value.params["file"] == str(path), name
        assert err.value.params["reason"], name
    empty = tmp_path / "empty.od"
    empty.write_bytes(b"")
    with pytest.raises(PhulucError) as err:
        reader(empty)
    assert err.value.key == "empty_file"


def test_bad_xml_and_the_other_kind_are_unreadable(tmp_path: Path) -> None:
    broken = tmp_path / "broken.odt"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("content.xml", "<office:document-content><unclosed>")
    spreadsheet = workbook(tmp_path / "w.ods")
    for path, reader in ((broken, read_odt), (spreadsheet, read_odt), (text_document(tmp_path / "t.odt"), read_ods)):
        with pytest.raises(PhulucError) as err:
            reader(path)
        assert err.value.key == "unreadable", path.name


def test_a_repeat_that_is_no_number_is_unreadable(tmp_path: Path) -> None:
    bad = f'<table:table-row table:number-rows-repeated="many">{cell("x")}</table:table-row>'
    path = odf(tmp_path / "bad.ods", "spreadsheet", sheet("S", [bad]))
    with pytest.raises(PhulucError) as err:
        read_ods(path)
    assert err.value.key == "unreadable"

