"""Every format an office sends gives the same records: a generated report (scripts/make_corpus.py) written
as Word and Excel, and from those, by LibreOffice as an office would save them, as Word 97–2003, RTF,
OpenDocument, Excel 97–2003 and a web page, its Excel sheet printed to PDF (landscape, fitted to the
page width, in the Vietnamese locale, with borders and without) and exported as XML Spreadsheet 2003. `phuluc extract --json` of each gives the same tables, cell for cell, and the same
findings as the file it was made from. Files are read for what they are, whatever their name says; a
format that needs LibreOffice says so in one sentence when it is missing, and the batch goes on.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from html import escape
from pathlib import Path

import openpyxl
import pytest
from generator import corpus, same_view, scanned_pages
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from typer.testing import CliRunner

from phuluc.contract import to_json
from phuluc.errors import PhulucError
from phuluc.extract import libreoffice, read_document
from phuluc.pipeline import app, extract_file

# (seed, options) of the reports: a district's 459 appendix with numbered sections and planted findings, a
# province's 1187 table with the staff average, a 459 district report with its fees and digitisation tables
REPORTS = {
    "459": (11, corpus.Options(issuer="district", framework="459", appendix=True, sections="numbered",
                               plant=("SUM_MISMATCH", "RATING_MISMATCH"))),
    "1187": (23, corpus.Options(issuer="province", framework="1187", appendix=True, avg_staff=True)),
    "other": (7, corpus.Options(issuer="district", framework="459", appendix=True, other_tables=True,
                                sections="heading")),
}
# what LibreOffice makes of each original: (original, suffix, export filter)
CONVERSIONS = {
    "doc": ("docx", "doc", "MS Word 97"), "rtf": ("docx", "rtf", None), "odt": ("docx", "odt", None),
    "docx.html": ("docx", "html", "HTML (StarWriter)"),
    "xls": ("xlsx", "xls", "MS Excel 97"), "ods": ("xlsx", "ods", None),
    "xlsx.html": ("xlsx", "html", "HTML (StarCalc)"),
}

needs_libreoffice = pytest.mark.skipif(not libreoffice.available() and not os.environ.get("CI"),
                                       reason="LibreOffice is not installed (README: libreoffice-*-nogui)")


def printed(xlsx: Path, out: Path, borders: bool) -> Path:
    """The workbook as a Vietnamese office prints it to PDF: saved as .xls, landscape A4 fitted to the page
    width, text wrapped in its cell, rows as tall as their wrapped text (Excel sizes them as one types),
    thin borders round the table's cells or none at all, numbers shown in the Vietnamese locale ("5,00",
    "2.000")."""
    book = openpyxl.load_workbook(xlsx)
    thin = Side(style="thin")
    for sheet in book.worksheets:
        sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        top = next(r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value).strip() == "STT")
        for row in sheet.iter_rows():
            sheet.row_dimensions[row[0].row].height = 15 * max(_lines(sheet, cell) for cell in row)
            for cell in row:
                if isinstance(cell.value, str):  # a long name wraps in its cell rather than run out of it
                    kept = cell.alignment
                    cell.alignment = Alignment(horizontal=kept.horizontal, vertical=kept.vertical, wrap_text=True)
                if borders and row[0].row >= top and any(c.value is not None for c in row):
                    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                if isinstance(cell.value, (int, float)):
                    cell.number_format = "[$-42A]" + cell.number_format  # Vietnamese (LCID 0x42A)
    saved = out / ("printed.xlsx" if borders else "unruled.xlsx")
    book.save(saved)
    return libreoffice.convert(libreoffice.convert(saved, "xls", out, "MS Excel 97"), "pdf", out)


def spreadsheetml(xlsx: Path, out: Path) -> Path:
    """The workbook as an XML Spreadsheet 2003 named .xls, as portals export "Excel": cells with their
    types, number formats and merges (ss:MergeAcross, ss:MergeDown), empty cells skipped (ss:Index)."""
    book = openpyxl.load_workbook(xlsx)
    formats = sorted({c.number_format for ws in book.worksheets for row in ws.iter_rows() for c in row})
    styles = "".join(f'<Style ss:ID="f{k}"><NumberFormat ss:Format="{escape(f)}"/></Style>' for k, f in enumerate(formats))
    sheets = []
    for ws in book.worksheets:
        merges = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                if c.value is None and (c.row, c.column) not in merges:
                    continue
                m = merges.get((c.row, c.column))
                span = f' ss:MergeAcross="{m.max_col - m.min_col}" ss:MergeDown="{m.max_row - m.min_row}"' if m else ""
                kind = "Number" if isinstance(c.value, (int, float)) else "String"
                data = "" if c.value is None else f'<Data ss:Type="{kind}">{escape(str(c.value))}</Data>'
                cells.append(f'<Cell ss:Index="{c.column}" ss:StyleID="f{formats.index(c.number_format)}"{span}>{data}</Cell>')
            rows.append(f'<Row ss:Index="{row[0].row}">{"".join(cells)}</Row>')
        sheets.append(f'<Worksheet ss:Name="{escape(ws.title)}"><Table>{"".join(rows)}</Table></Worksheet>')
    path = out / "bao-cao-2003.xls"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                    f'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Styles>{styles}</Styles>'
                    f'{"".join(sheets)}</Workbook>', encoding="utf-8")
    return path


def _lines(sheet, cell) -> int:
    """How many lines of a row the cell's text takes, wrapped to the width of its (merged) cells."""
    if not isinstance(cell.value, str):
        return 1
    merged = next((m for m in sheet.merged_cells.ranges if cell.coordinate in m), None)
    first, last, rows = (merged.min_col, merged.max_col, merged.size["rows"]) if merged else (cell.column,) * 2 + (1,)
    width = sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first, last + 1))
    lines = sum(math.ceil(len(part) * 1.3 / width) or 1 for part in cell.value.split("\n"))
    return math.ceil(lines / rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(report, format) → the file; formats LibreOffice makes only where it is installed."""
    out: dict[tuple[str, str], Path] = {}
    for name, (seed, options) in REPORTS.items():
        folder = tmp_path_factory.mktemp(name)
        spec = corpus.draw_spec(seed, options)
        for fmt in ("docx", "xlsx", "pdf", "pdf-scanned"):
            out[name, fmt] = corpus.render(spec, fmt, folder)
        if libreoffice.available():
            for fmt, (original, suffix, export) in CONVERSIONS.items():
                made = folder / fmt
                made.mkdir()
                out[name, fmt] = libreoffice.convert(out[name, original], suffix, made, export)
            out[name, "printed.pdf"] = printed(out[name, "xlsx"], folder, borders=True)
            out[name, "unruled.pdf"] = printed(out[name, "xlsx"], folder, borders=False)
            out[name, "2003.xls"] = spreadsheetml(out[name, "xlsx"], folder)
    return out


def _view(path: Path) -> dict:
    return same_view(to_json(extract_file(path)))


@needs_libreoffice
@pytest.mark.parametrize("report", sorted(REPORTS))
@pytest.mark.parametrize("fmt,original", [(f, o) for f, (o, _, _) in CONVERSIONS.items()]
                         + [("printed.pdf", "xlsx"), ("2003.xls", "xlsx")])
def test_a_report_reads_the_same_in_every_format(files, report: str, fmt: str, original: str) -> None:
    assert _view(files[report, fmt]) == _view(files[report, original])


@needs_libreoffice
@pytest.mark.parametrize("report", sorted(REPORTS))
def test_a_sheet_printed_without_borders_reads_the_same(files, report: str) -> None:
    """Without borders the print shows no merged cell: figures set flush right against the next cell's
    text, "-" typed flush left, serials right-aligned, wrapped names set at the foot of their rows all
    read as in the workbook. Only a fees or digitisation table's headings over two columns ("Nộp trực
    tiếp") still run into the labels under them."""
    def without_other_labels(view: dict) -> dict:
        return {**view, "tables": [{**t, "criteria": None} if t["kind"] == "other" else t for t in view["tables"]]}
    assert without_other_labels(_view(files[report, "unruled.pdf"])) == without_other_labels(_view(files[report, "xlsx"]))


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_word_pdf_and_excel_give_the_same_tables(files, report: str) -> None:
    """The appendix is the same in the Word file, its PDF and the workbook (which holds the appendix only)."""
    tables = {fmt: _view(files[report, fmt])["tables"] for fmt in ("docx", "pdf", "xlsx")}
    assert tables["docx"] == tables["pdf"] == tables["xlsx"]


# ---------------------------------------------------------------- content, not names


@pytest.mark.parametrize("fmt,name", [("pdf", "bao-cao.doc"), ("docx", "bao-cao.xls"), ("xlsx", "bao-cao.doc"),
                                      ("pdf", "bao-cao.txt")])
def test_a_file_is_read_for_what_it_is(files, tmp_path: Path, fmt: str, name: str) -> None:
    renamed = tmp_path / name
    shutil.copy(files["459", fmt], renamed)
    assert _view(renamed) == _view(files["459", fmt])
    assert read_document(renamed).format == fmt


@needs_libreoffice
def test_a_portal_excel_export_that_is_a_web_page(files, tmp_path: Path) -> None:
    renamed = tmp_path / "ket-qua.xls"
    shutil.copy(files["459", "xlsx.html"], renamed)
    assert read_document(renamed).format == "html"
    assert _view(renamed) == _view(files["459", "xlsx"])


@pytest.mark.parametrize("content", [b"GIF89a\x01\x00\x01\x00", b"\x00\x01binary\xff" * 40, b"Rar!\x1a\x07\x00"])
def test_a_file_of_no_known_format_says_so(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bao-cao.doc"
    path.write_bytes(content)
    with pytest.raises(PhulucError) as err:
        read_document(path)
    assert err.value.key == "unknown_content" and err.value.params == {"file": str(path), "suffix": ".doc"}


def test_a_damaged_container_is_unreadable_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(600))
    with pytest.raises(PhulucError) as err:
        read_document(path)
    assert err.value.key == "unreadable" and err.value.params["reason"]


# ---------------------------------------------------------------- LibreOffice missing


@needs_libreoffice
def test_without_libreoffice_a_doc_fails_in_one_sentence_and_the_batch_goes_on(files, tmp_path: Path,
                                                                               monkeypatch) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for fmt in ("docx", "doc", "xls"):
        shutil.copy(files["459", fmt], batch / f"bao-cao.{fmt}")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no soffice on the path
    with pytest.raises(PhulucError) as err:
        read_document(batch / "bao-cao.doc")
    assert err.value.key == "needs_tool" and "libreoffice-writer-nogui" in err.value.params["packages"]
    result = CliRunner().invoke(app, ["ingest", str(batch), "--db", f"sqlite:///{tmp_path / 'p.db'}"])
    assert result.exit_code == 1
    assert "Cần cài LibreOffice để đọc tệp" in result.output and "apt-get install" in result.output
    assert re.search(r"Báo cáo đã nạp\s*│\s*2\b", result.output)  # the summary: the .docx and the .xls


# ---------------------------------------------------------------- one folder, every format


@needs_libreoffice
def test_a_folder_of_every_format_is_ingested(files, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    formats = ("docx", "doc", "rtf", "odt", "docx.html", "pdf", "printed.pdf", "xlsx", "xls", "ods")
    for fmt in formats:
        shutil.copy(files["459", fmt], batch / f"bao-cao-{fmt.replace('.', '-')}{files['459', fmt].suffix}")
    scan = scanned_pages(files["459", "pdf-scanned"])
    scan[0].save(batch / "trang-1.png")
    scan[0].save(batch / "bao-cao.tiff", save_all=True, append_images=scan[1:])
    result = CliRunner().invoke(app, ["ingest", str(batch), "--db", f"sqlite:///{tmp_path / 'p.db'}"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"Báo cáo đã nạp\s*│\s*{len(formats) + 2}\b", result.output), result.output
