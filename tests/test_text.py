"""The text reader on the three styles a report reaches us in as text, built here line by line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import corpus
from test_legacy import tcvn3_rendering

from phuluc.contract import to_json
from phuluc.errors import PhulucError
from phuluc.extract.tables import columns, header_from_grid
from phuluc.extract.text import read
from phuluc.pipeline import extract_file

TAB_HEADER = [
    "STT\tTÊN ĐƠN VỊ\tĐIỂM CÁC CHỈ SỐ\t\t\t\tTỔNG ĐIỂM\tXẾP LOẠI",
    "\t\tNhóm A\t\tTiến độ (30đ)\t\t\t",
    "\t\tChỉ số 1 (5đ)\tChỉ số 2 (10đ)\t\t\t\t",
]


def write(tmp_path: Path, text: str, name: str = "r.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_merged_header_cells_are_inferred_from_a_grid() -> None:
    grid = [line.split("\t") for line in TAB_HEADER]
    cols = columns(header_from_grid(grid), 8)
    assert [c.label for c in cols] == ["STT", "TÊN ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)",
                                       "Tiến độ (30đ)", "", "TỔNG ĐIỂM", "XẾP LOẠI"]
    assert cols[2].group == cols[3].group == "Nhóm A"
    assert cols[5].group == "ĐIỂM CÁC CHỈ SỐ"  # a column with figures and no heading of its own


def test_tab_table_continues_after_a_repeated_header(tmp_path: Path) -> None:
    body = "\n".join(TAB_HEADER + ["<b>I</b>\t<b>CÁC XÃ</b>\t\t\t\t\t\t", "1\tUBND xã A\t5\t10\t30\t\t45\tXuất sắc",
                                   "", "", *TAB_HEADER, "2\tUBND xã B\t4\t8\t30\t\t42\tTốt"])
    doc = read(write(tmp_path, "## Phụ lục\n\n" + body + "\n", "r.md"))
    assert doc.format == "md" and len(doc.tables) == 1
    rows = doc.tables[0].rows
    assert [r.cells[1] for r in rows] == ["CÁC XÃ", "UBND xã A", "UBND xã B"]  # markup dropped
    assert rows[1].cells[2:5] == ("5", "10", "30")


LAYOUT = """\
                                        Phụ lục
                         KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 5 NĂM 2024
                                                           TỔNG
STT    ĐƠN VỊ              Chỉ số 1  Chỉ số 2  Chỉ số 3    ĐIỂM     XẾP LOẠI
                             (5đ)      (5đ)     (10đ)      ĐẠT

       UBND xã
 1                                      4,5      9,5       14       Tốt
       Sen Thượng
 2     UBND xã Nậm Kè                   5         10       15       Xuất sắc
       UBND xã Pá
 3                                      3         6,5      9,5      Khá
       Mỳ
"""


def test_layout_columns_wrapped_names_and_a_blank_column(tmp_path: Path) -> None:
    doc = read(write(tmp_path, LAYOUT))
    table = doc.tables[0]
    assert table.title.startswith("Phụ lục KẾT QUẢ")
    rows = [r.cells for r in table.rows]
    # the first criterion is blank in every row and still a column of its own (its heading says "(5đ)")
    assert rows[0] == ("1", "UBND xã Sen Thượng", "", "4,5", "9,5", "14", "Tốt")
    assert rows[1][1] == "UBND xã Nậm Kè" and rows[2][1] == "UBND xã Pá Mỳ"


def test_layout_table_over_two_pages_is_one_table(tmp_path: Path) -> None:
    head, rows = LAYOUT.split("\n\n", 1)
    second = "\n".join(line.replace(" 1 ", " 4 ").replace(" 2 ", " 5 ").replace(" 3 ", " 6 ")
                       for line in rows.splitlines())
    doc = read(write(tmp_path, head + "\n\n" + rows + "\f" + "\n".join(head.splitlines()[3:]) + "\n\n" + second))
    table = doc.tables[0]
    assert len(doc.tables) == 1 and table.pages == (1, 2)
    assert [r.cells[0] for r in table.rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r.page for r in table.rows] == [1, 1, 1, 2, 2, 2]


STREAM = """\
Biểu số 01
KẾT QUẢ ĐÁNH GIÁ
STT
TÊN ĐƠN VỊ
ĐIỂM ĐẠT ĐƯỢC
XẾP LOẠI
Chỉ số 1 (5đ)
Chỉ số 2 (10đ)

I CÁC CƠ QUAN
1
Bộ phận Tiếp nhận và
trả kết quả huyện
  4,5
9,5 14
Tốt
II UBND cấp xã
1 UBND xã Ta Ma   5
10 15
Xuất sắc
2 UBND thị trấn Tuần
Giáo 3 7
10 Trung bình
"""


def test_stream_rows_keep_their_tokens_in_order(tmp_path: Path) -> None:
    rows = [r.cells for r in read(write(tmp_path, STREAM)).tables[0].rows]
    assert rows == [("I", "CÁC CƠ QUAN"), ("1", "Bộ phận Tiếp nhận và trả kết quả huyện", "4,5", "9,5", "14", "Tốt"),
                    ("II", "UBND cấp xã"), ("1", "UBND xã Ta Ma", "5", "10", "15", "Xuất sắc"),
                    ("2", "UBND thị trấn Tuần Giáo", "3", "7", "10", "Trung bình")]
    table = read(write(tmp_path, STREAM)).tables[0]
    assert not table.rows[1].aligned and table.title.startswith("Biểu số 01")


def test_body_text_is_paragraphs_outside_the_tables(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "Số: 12/BC-UBND\n\nBÁO CÁO\nKết quả tháng 5\nnăm 2024\n\n" + LAYOUT))
    assert [b.text for b in doc.blocks][:3] == ["Số: 12/BC-UBND", "BÁO CÁO Kết quả tháng 5 năm 2024",
                                             "Phụ lục KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 5 NĂM 2024"]


@pytest.mark.parametrize(("data", "key"), [(b"", "empty_file"), (b"  \n\n", "empty_file"),
                                           (b"\x00\x01abc", "binary_file"), (b"\xff\xfe\xfa\xfb\x80", "not_utf8")])
def test_unreadable_text_is_a_clear_error(tmp_path: Path, data: bytes, key: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(PhulucError) as err:
        read(path)
    assert err.value.key == key and err.value.params["file"] == str(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_wide_encodings_are_decoded_where_a_bom_names_them(tmp_path: Path, encoding: str) -> None:
    """Notepad saves "Unicode" as UTF-16 with a BOM; UTF-32's little-endian BOM starts as UTF-16's."""
    text = "Số: 12/BC-UBND\n\n" + LAYOUT
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
    path = tmp_path / "x.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert read(path).blocks == read(write(tmp_path, text)).blocks


def test_footnote_marks_are_dropped_and_unclosed_ones_kept_in_one_pass(tmp_path: Path) -> None:
    """"<sup>1</sup>" goes; 20,000 unclosed "<sup>" on a line (a scan of the old pattern was quadratic:
    18 s here) stay as text, read in one pass."""
    page = read(write(tmp_path, "Số: 12/BC-UBND<sup><b>1</b></sup>\n" + "<sup>x " * 20_000 + "\n"))
    assert page.blocks[0].text.startswith("Số: 12/BC-UBND <sup>x <sup>x")  # the mark "1" is gone


def test_text_is_nfc_whatever_the_file_holds(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Số: 5/BC-UBND\n\nUBND xã Huổi Lếnh báo cáo\n")
    doc = read(write(tmp_path, nfd))
    assert doc.blocks[1].text == unicodedata.normalize("NFC", "UBND xã Huổi Lếnh báo cáo")


def test_a_table_running_on_without_its_header_keeps_its_columns(tmp_path: Path) -> None:
    """pdftotext lays out each page on its own: the figures of page 2 sit a few characters right."""
    head, rows = LAYOUT.split("\n\n", 1)
    moved = "\n".join(line[:40] + "   " + line[40:] if line[:3].strip() else line
                      for line in rows.replace(" 1 ", " 4 ").replace(" 2 ", " 5 ").replace(" 3 ", " 6 ").splitlines())
    table = read(write(tmp_path, head + "\n\n" + rows + "\f" + moved)).tables[0]
    cells = [r.cells for r in table.rows]
    assert [c[0] for c in cells] == ["1", "2", "3", "4", "5", "6"]
    assert cells[3] == ("4", "UBND xã Sen Thượng", "", "4,5", "9,5", "14", "Tốt")
    assert cells[4][1:] == ("UBND xã Nậm Kè", "", "5", "10", "15", "Xuất sắc")


# --- renderings of legacy-font PDFs: TCVN3/VNI mojibake, decoded before anything reads it -----------------------


def test_a_tcvn3_rendering_reads_as_its_unicode_text(tmp_path: Path) -> None:
    """The table of a TCVN3 rendering reads as the Unicode one: names and headings decoded, and the
    capitals of the "H" fonts restored. VNI: the fixtures below, and its columns in test_legacy.py."""
    unicode_, legacy = read(write(tmp_path, LAYOUT, "u.txt")), read(write(tmp_path, tcvn3_rendering(LAYOUT), "l.txt"))
    assert legacy.tables[0].title == unicode_.tables[0].title
    assert [r.cells for r in legacy.tables[0].rows] == [r.cells for r in unicode_.tables[0].rows]
    assert [h.text for h in legacy.tables[0].header] == [h.text for h in unicode_.tables[0].header]


def _legacy_font_pdfs() -> list[Path]:
    return [p for p in corpus("fixtures", ("pdf",))
            if json.loads(p.with_name(p.name + ".truth.json").read_text(encoding="utf-8"))["variant"] == "legacy-font"]


@pytest.mark.parametrize("pdf", _legacy_font_pdfs(), ids=lambda p: p.name)
def test_pdftotext_of_a_legacy_font_pdf_reads_as_the_pdf(pdf: Path, tmp_path: Path) -> None:
    """`pdftotext -layout` of a TCVN3 or VNI text layer: the issuer, the number and every printed name
    and unit come out as from the PDF itself (the truth)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = tmp_path / (pdf.stem + ".txt")
    subprocess.run(["pdftotext", "-layout", str(pdf), str(text)], check=True)
    truth = json.loads(pdf.with_name(pdf.name + ".truth.json").read_text(encoding="utf-8"))
    got = to_json(extract_file(text))
    assert got["report"] == truth["report"]
    assert [t["title"] for t in got["tables"]] == [t["title"] for t in truth["tables"]]
    names = [[(r["unit_raw"], r["unit"], r["unit_code"]) for r in t["rows"]] for t in got["tables"]]
    assert names == [[(r["unit_raw"], r["unit"], r["unit_code"]) for r in t["rows"]] for t in truth["tables"]]
