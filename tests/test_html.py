"""The web page reader (phuluc.extract.html): pages built here, generated reports rendered both as Word and as a
portal's page (scripts/make_corpus.py), and LibreOffice's own "save as web page" of a Word file and of a
workbook. A page must read into the same report as the Word file it shows, whatever is around the appendix."""

from __future__ import annotations

from pathlib import Path

import pytest

import test_layouts
from generator import corpus
from phuluc.contract import to_json
from phuluc.errors import PhulucError
from phuluc.extract import html, libreoffice
from phuluc.extract.page import Grid
from phuluc.extract.word import read_docx
from phuluc.load.checks import run_checks
from phuluc.model import Extraction, HeaderCell
from phuluc.normalize.report import build_report
from phuluc.pipeline import extract_file
from test_office import BODY, BODY_MERGES, HEADER, HEADER_MERGES, score_docx

Options = corpus.Options
FILE_FIELDS = ("source_file", "file_name", "sha256", "format")


def extract_html(path: Path) -> dict:
    """The JSON of `phuluc extract` for a page, the page read by this reader (as pipeline.extract_file does)."""
    report = build_report(html.read(path))
    return to_json(Extraction(report=report, findings=run_checks(report)))


def content(doc: dict) -> dict:
    """What a report says, without what names its file."""
    return {k: v for k, v in doc.items() if k not in FILE_FIELDS}


def page(tmp_path: Path, body: str, head: str = "", name: str = "p.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return path


def table_html(rows: list[list[str]], merges=(), attrs: str = 'border="1"') -> str:
    """A table with merged cells as rowspan/colspan (merges as test_office gives them: r0, c0, r1, c1)."""
    origin = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    out = []
    for r, row in enumerate(rows):
        cells = [f'<td rowspan="{origin.get((r, c), (1, 1))[0]}" colspan="{origin.get((r, c), (1, 1))[1]}">{t}</td>'
                 for c, t in enumerate(row) if (r, c) in origin or (r, c) not in covered]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table {attrs}>" + "".join(out) + "</table>"


# ---------------------------------------------------------------- generated reports: the page reads as the Word file

CASES = [  # (issuer options, seed): between them UTF-8 and windows-1258 pages, Excel cells, no document header
    (Options(issuer="district", framework="459", other_tables=True, sections="numbered", noise=True), 0),
    (Options(issuer="province", summary="list"), 1),
    (Options(issuer="province-2025"), 4),
    (Options(issuer="commune"), 1),
    (Options(issuer="district", framework="766", extras=("numbering",)), 3),
]


@pytest.mark.parametrize(("options", "seed"), CASES)
def test_generated_page_reads_as_the_word_file_and_the_truth(tmp_path: Path, options, seed: int) -> None:
    spec = corpus.draw_spec(seed, options)
    word = to_json(extract_file(corpus.render(spec, "docx", tmp_path)))
    path = corpus.render(spec, "html", tmp_path)
    got = extract_html(path)
    assert content(got) == content(word)
    truth = corpus.truth(spec, "html", path)
    assert got["report"] == truth["report"]
    assert not (problems := test_layouts.reading_problems(truth, got)), test_layouts.explain(spec, "html", problems)


def test_generated_pages_are_of_every_kind(tmp_path: Path) -> None:
    """The cases above cover what the renderer draws: windows-1258, Excel's cells, the heading in the title only."""
    pages = [corpus.render(corpus.draw_spec(seed, options), "html", tmp_path).read_bytes() for options, seed in CASES]
    legacy = [p for p in pages if b"charset=windows-1258" in p]
    assert legacy and all(b"\xec" in p or b"\xd2" in p for p in legacy)  # tone marks as combining characters
    assert any(b"x:num=" in p for p in pages)
    assert any("Số:".encode() not in p and b"<title>" in p for p in pages)


# ---------------------------------------------------------------- LibreOffice's "save as web page"


@pytest.mark.skipif(not libreoffice.available(), reason="needs LibreOffice")
@pytest.mark.parametrize(("fmt", "export"), [("docx", "HTML (StarWriter)"), ("xlsx", "HTML (StarCalc)")])
def test_libreoffice_web_page_reads_as_its_source(tmp_path: Path, fmt: str, export: str) -> None:
    """Seed 8's Word table comes out of LibreOffice with slivers of grid: colspans that overlap, the widths right."""
    source = corpus.render(corpus.draw_spec(8, Options(appendix=True)), fmt, tmp_path)
    converted = libreoffice.convert(source, "html", tmp_path / "out", export)
    assert content(extract_html(converted)) == content(to_json(extract_file(source)))


# ---------------------------------------------------------------- encodings


VIETNAMESE = "UBND xã Tả Lèng, huyện Tam Đường: Xuất sắc – Tốt – Khá"


@pytest.mark.parametrize(("declare", "encode"), [
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">', corpus.windows_1258),
    ("<meta charset='windows-1258'>", corpus.windows_1258),
    ("", corpus.windows_1258),  # undeclared, not UTF-8: Vietnamese Windows' code page
    ('<meta charset="utf-8">', lambda t: t.encode("utf-8")),
    ("", lambda t: t.encode("utf-8")),
    ("", lambda t: "\ufeff".encode("utf-16-le") + t.encode("utf-16-le")),
    ('<?xml version="1.0" encoding="windows-1258"?>', corpus.windows_1258),
])
def test_declared_encoding_is_honoured_and_text_is_nfc(tmp_path: Path, declare: str, encode) -> None:
    path = tmp_path / "p.html"
    path.write_bytes(encode(f"{declare}<html><head><title>{VIETNAMESE}</title></head><body><p>{VIETNAMESE}</p>"))
    assert [b.text for b in html.read(path).blocks] == [VIETNAMESE, VIETNAMESE]


def test_windows_1258_bytes_are_combining_marks(tmp_path: Path) -> None:
    """"ệ" is ê (0xEA) + the combining dot below (0xF2): read back as one precomposed letter."""
    assert corpus.windows_1258("ệ") == b"\xea\xf2"
    path = tmp_path / "p.html"
    path.write_bytes(b'<meta charset="windows-1258"><p>Vi\xea\xf2t</p>')
    assert [b.text for b in html.read(path).blocks] == ["Việt"]


# ---------------------------------------------------------------- the appendix among a portal's layout


PORTAL = """<table class="layout"><tr><td>
<table class="menu"><tr><td><a href="/">Trang chủ</a></td><td>Tin tức</td></tr></table></td></tr>
<tr><td><table><tr><td class="side"><ul><li>Văn bản mới</li><li>Lịch công tác</li></ul></td>
<td class="content"><h1>Kết quả   đánh giá <b>tháng</b> 7<br>năm 2024</h1>
<script>document.write("<table><tr><td>STT</td></tr></table>")</script>
<p>Phụ lục<br>KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI</p><style>td { color: red }</style><!-- a comment -->
<noscript>Hãy bật JavaScript</noscript><div style="display: none">Lượt xem</div><template><p>mẫu</p></template>
<svg><text>vẽ</text></svg>{table}<p>Lưu&nbsp;ý: XS - Xuất sắc.</p>
</td></tr></table></td></tr></table>"""


def test_appendix_is_found_among_menus_and_layout_tables(tmp_path: Path) -> None:
    doc = html.read(page(tmp_path, PORTAL.replace("{table}", table_html(HEADER + BODY, HEADER_MERGES + BODY_MERGES)),
                         "<title>Cổng thông tin</title><style>p{}</style><script>var a = '<p>x</p>';</script>"))
    assert [t.title for t in doc.tables] == ["Phụ lục KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI"]
    assert [r.cells[:2] for r in doc.tables[0].rows] == [("UBND CÁC XÃ", ""), ("1", "UBND xã Tả Lèng"),
                                                          ("2", "UBND xã Bản Hon"), ("Tổng cộng", "")]
    text = [b.text for b in doc.blocks]
    assert text[:5] == ["Cổng thông tin", "Trang chủ Tin tức", "Văn bản mới", "Lịch công tác",
                        "Kết quả đánh giá tháng 7 năm 2024"]  # a block's lines, joined
    assert "Lưu ý: XS - Xuất sắc." in text
    assert not {"var", "document.write", "color", "comment", "JavaScript", "Lượt xem", "mẫu", "vẽ"} & {
        w for t in text for w in t.replace("(", " ").split()}


def parts_of(path: Path, monkeypatch) -> list:
    """The parts the reader hands to parts.document: paragraphs and grids."""
    seen = []
    monkeypatch.setattr(html.parts, "document", lambda path, data, fmt, parts, settings: seen.extend(parts))
    html.read(path)
    return seen


def test_cell_paragraphs_and_breaks_are_lines(tmp_path: Path, monkeypatch) -> None:
    cells = "<td><p>UBND xã</p><p>Tả  <i>Lèng</i></p></td><td>a<br>b<div>c</div>d</td><td><pre>x\n  y</pre></td>"
    path = page(tmp_path, f"<p>one <b>line</b>,<br>two</p><table><tr>{cells}</tr></table>")
    grid = Grid((("UBND xã\nTả Lèng", "a\nb\nc\nd", "x\ny"),), lines=(None,))
    assert parts_of(path, monkeypatch) == ["one line,\ntwo", grid]


# ---------------------------------------------------------------- metadata and header spans


def test_metadata_from_the_title_alone(tmp_path: Path) -> None:
    title = "Kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp tháng 10/2024 của UBND huyện Mường Chà"
    rows = [["STT", "Tên đơn vị", "Tổng điểm", "Xếp loại"], ["1", "UBND xã Sá Tổng", "85,5", "Tốt"],
            ["2", "UBND xã Ma Thì Hồ", "70", "Khá"]]
    path = page(tmp_path, f"<table><tr><td>Trang chủ</td></tr></table>{table_html(rows)}",
                f"<title>{title}</title>")
    assert html.read(path).blocks[0].text == title
    meta = extract_html(path)["report"]
    assert (meta["issuer"], meta["province"], meta["period"]) == ("Huyện Mường Chà", "Điện Biên", "2024-10")


def test_rowspan_colspan_header_reads_as_the_word_table(tmp_path: Path) -> None:
    """test_office's three-row merged header as a Word file and as a page: the same HeaderCell spans, rows."""
    body = (table_html([["ỦY BAN NHÂN DÂN<br>HUYỆN TAM ĐƯỜNG<br><br>Số: 15/BC-UBND",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc<br><br>"
                         "Tam Đường, ngày 06 tháng 8 năm 2024"]], attrs="")
            + "<p>BÁO CÁO</p><p>Kết quả đánh giá chất lượng phục vụ   tháng 7 năm 2024</p>"
            + "<p>Phụ lục<br>KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 07 NĂM 2024</p>"
            + "<p>(Kèm theo Báo cáo số 15/BC-UBND ngày 06 tháng 8 năm 2024 của UBND huyện Tam Đường)</p>"
            + table_html(HEADER + BODY, HEADER_MERGES + BODY_MERGES) + "<p>Lưu ý: XS - Xuất sắc.</p>")
    got, word = html.read(page(tmp_path, body)), read_docx(score_docx(tmp_path / "r.docx"))
    assert HeaderCell("ĐIỂM CÁC CHỈ SỐ", 0, 2, 1, 5) in got.tables[0].header
    assert got.tables == word.tables
    assert [b.text for b in got.blocks] == [b.text for b in word.blocks]


# ---------------------------------------------------------------- hostile and damaged files


def test_hostile_spans_are_clipped_to_the_table(tmp_path: Path) -> None:
    huge = '<td colspan="99999999" rowspan="99999999">x</td>' * 200
    rows = (f'<tr><td>STT</td><td>Tên</td><td colspan="1000">Điểm</td></tr><tr>{huge}</tr>'
            '<tr><td rowspan="0">1</td><td colspan="-3">UBND xã A</td><td colspan="2x">5</td></tr>')
    doc = html.read(page(tmp_path, f"<table border=1>{rows * 20}</table>"))
    assert doc.tables and doc.tables[0].ncols < 300  # a column per cell that begins, not HTML's 200 × 1000


def test_a_table_too_large_to_hold_is_given_up(tmp_path: Path) -> None:
    wide = "<tr>" + "<td>1</td>" * 1001 + "</tr>"
    with pytest.raises(PhulucError) as err:
        html.read(page(tmp_path, f"<table>{wide}{'<tr><td>2</td></tr>' * 2000}</table>"))
    assert (err.value.key, err.value.params["budget"], err.value.params["cols"]) == ("gave_up", "cells", 1001)


def test_only_html_entities_are_expanded(tmp_path: Path) -> None:
    """An internal subset's entities (a "billion laughs") stay text; HTML's own are characters."""
    path = tmp_path / "p.html"
    path.write_text('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    '<html><body><p>&b; &amp; &eacute; &#x1EC7;</p></body></html>', encoding="utf-8")
    assert html.read(path).blocks[-1].text == "&b; & é ệ"


@pytest.mark.parametrize(("data", "key"), [(b"", "empty_file"), (b"\x00\x01\x02\xff garbage \x00", "binary_file"),
                                           (b"   \n\t ", "unreadable")])
def test_an_empty_or_binary_file_is_an_error(tmp_path: Path, data: bytes, key: str) -> None:
    path = tmp_path / "p.html"
    path.write_bytes(data)
    with pytest.raises(PhulucError) as err:
        html.read(path)
    assert err.value.key == key
