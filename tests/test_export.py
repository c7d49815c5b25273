"""CSV export on SQLite and PostgreSQL: wide and long layouts read back with pandas, BOM, period
filter, rows streamed from the database."""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import unicodedata

import pandas as pd
import pytest
from test_db import (
    CHUNG_CHAI,
    CRITERIA,
    SIN_THAU,
    extraction,
    message,
    server_side_statements,
    unit_row,
)

from phuluc.load.db import Database
from phuluc.load.export import export_scores
from phuluc.model import Criterion, ScoreTable

SO_CRITERIA = (
    Criterion("Chỉ số 1 (5đ)", group="Công khai, minh bạch", max=5, key="1.1"),
    Criterion("Tỷ lệ hồ sơ đúng hạn", group="Giải quyết TTHC", max=20, key="2.1"),
)
CS1 = "Công khai, minh bạch / Chỉ số 1 (5đ)"
CS2 = "Công khai, minh bạch / Chỉ số 2 (10đ)"
DUNG_HAN = "Giải quyết TTHC / Tỷ lệ hồ sơ đúng hạn"
HAI_LONG = "Mức độ hài lòng"


@pytest.fixture
def loaded(db_url):
    """Two 2024 reports of different frameworks and one 2023 report, on each database."""
    db = Database.open(db_url)
    other = ScoreTable("other", "table", (), (unit_row(None, None, ()),), title="Danh sách")
    communes = (
        unit_row(*SIN_THAU, ("4,5", "8,75", "-"), "13,25"),
        unit_row(*CHUNG_CHAI, stt="2"),
        unit_row("Tổng cộng", None, ("8,5", "17,5", "9"), "35,5", is_total_row=True),
    )
    db.store(extraction("a", communes, extra_tables=(other,)), file_name="BC huyện Mường Nhé.pdf",
             messages=message)
    sở = unit_row("Sở Tư pháp", "000.00.11.H12", ("5", "18,5"), "23,5")
    db.store(extraction("b", (sở,), framework="cchc-so", criteria=SO_CRITERIA),
             file_name="BC tỉnh Điện Biên.docx", messages=message)
    db.store(extraction("c", (unit_row(*SIN_THAU),), period="2023"), file_name="BC 2023.pdf",
             messages=message)
    yield db
    db.close()


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"unit_code": str})


def test_wide_has_one_column_per_criterion_heading(loaded, tmp_path):
    path = tmp_path / "wide.csv"
    assert export_scores(loaded, path) == 4
    frame = read(path)

    assert list(frame.columns) == [
        "file_name", "issuer", "province", "period", "framework", "table", "stt", "section",
        "unit_raw", "unit", "unit_code", CS1, DUNG_HAN, CS2, HAI_LONG,
        "total", "total_max", "converted", "rating", "avg_staff", "rank", "rank_of", "change", "rank_change",
    ]
    assert all(unicodedata.is_normalized("NFC", c) for c in frame.columns)
    assert list(frame["unit"]) == ["Xã Sín Thầu", "Xã Chung Chải", "Sở Tư pháp", "Xã Sín Thầu"]
    assert list(frame["unit_code"]) == ["03154", "03157", "000.00.11.H12", "03154"]
    sin_thau, _, so, _ = frame.to_dict("records")
    assert (sin_thau[CS1], sin_thau[CS2], sin_thau["total"], sin_thau["period"]) == (
        4.5, 8.75, 13.25, 2024)
    assert math.isnan(sin_thau[HAI_LONG]) and math.isnan(sin_thau[DUNG_HAN])
    assert (so[CS1], so[DUNG_HAN], so["framework"]) == (5.0, 18.5, "cchc-so")
    assert math.isnan(so[CS2])
    assert sin_thau["table"] == "Kết quả chấm điểm chỉ số cải cách hành chính cấp xã"
    assert "8.75" in path.read_text(encoding="utf-8-sig") and "Tổng cộng" not in set(frame["unit"])


def test_long_has_one_row_per_criterion_value(loaded, tmp_path):
    path = tmp_path / "long.csv"
    assert export_scores(loaded, path, layout="long") == 2 * 3 + 2 + 3
    frame = read(path)

    assert list(frame.columns) == ["file_name", "issuer", "period", "framework", "unit_raw",
                                   "unit", "unit_code", "criterion", "group", "max", "value",
                                   "text"]
    sin_thau = frame[(frame["unit_code"] == "03154") & (frame["period"] == 2024)]
    assert list(sin_thau["criterion"]) == [c.label for c in CRITERIA]
    assert list(sin_thau["text"]) == ["4,5", "8,75", "-"]
    assert list(sin_thau["value"])[:2] == [4.5, 8.75] and math.isnan(list(sin_thau["value"])[2])
    assert list(sin_thau["max"]) == [5.0, 10.0, 10.0]
    assert list(sin_thau["group"])[:2] == ["Công khai, minh bạch"] * 2
    assert set(frame["file_name"]) == {"BC huyện Mường Nhé.pdf", "BC tỉnh Điện Biên.docx",
                                       "BC 2023.pdf"}


def test_bom_by_default_and_dropped_on_request(loaded, tmp_path):
    with_bom, without = tmp_path / "bom.csv", tmp_path / "plain.csv"
    export_scores(loaded, with_bom)
    export_scores(loaded, without, bom=False)
    assert with_bom.read_bytes().startswith(b"\xef\xbb\xbffile_name,")
    assert without.read_bytes().startswith(b"file_name,")
    assert list(pd.read_csv(without, encoding="utf-8")["unit"])[0] == "Xã Sín Thầu"


def test_period_filter_limits_rows_and_criterion_columns(loaded, tmp_path):
    path = tmp_path / "2023.csv"
    assert export_scores(loaded, path, period="2023") == 1
    frame = read(path)
    assert list(frame["file_name"]) == ["BC 2023.pdf"]
    assert DUNG_HAN not in frame.columns and list(frame[CS2]) == [8.75]


def test_writes_to_a_stream(loaded):
    stream = io.StringIO()
    assert export_scores(loaded, stream, layout="long", period="2024") == 8
    text = stream.getvalue()
    assert text.startswith("\ufefffile_name,") and text.count("\n") == 9


def test_unknown_layout_is_refused(loaded, tmp_path):
    with pytest.raises(ValueError, match="not a valid Layout"):
        export_scores(loaded, tmp_path / "x.csv", layout="tall")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("layout", ["wide", "long"])
def test_rows_stream_from_a_server_side_cursor(loaded, layout):
    streamed = server_side_statements(loaded)
    assert export_scores(loaded, io.StringIO(), layout=layout) > 0
    assert len(streamed) == 1 and "FROM rows JOIN tables" in streamed[0]


INJECTIONS = ('=HYPERLINK("http://example.invalid","Xem")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tUBND xã A")


def test_text_cells_never_become_formulas_and_numbers_stay_numbers(db_url, tmp_path):
    """Unit names a spreadsheet would run as formulas get a leading apostrophe; a score stays a number."""
    db = Database.open(db_url)
    rows = tuple(unit_row(name, None, stt=str(k)) for k, name in enumerate(INJECTIONS, 1))
    db.store(extraction("inj", rows), file_name="=cmd|' /C calc'!A0.pdf", messages=message)
    path = tmp_path / "wide.csv"
    export_scores(db, path)
    db.close()
    frame = read(path)
    assert list(frame["unit_raw"]) == ["'" + row.unit_raw for row in rows]
    assert set(frame["file_name"]) == {"'=cmd|' /C calc'!A0.pdf"}
    assert list(frame["total"]) == [22.25] * len(INJECTIONS) and list(frame["stt"]) == [1, 2, 3, 4, 5]


def test_a_lone_dash_and_signed_numbers_are_left_as_they_are(tmp_path):
    from phuluc.load.export import SafeWriter

    stream = io.StringIO()
    SafeWriter(stream).writerow(["-", "-5,5", "+3", "=1", 2.5])
    assert stream.getvalue().strip() == "-,\"-5,5\",+3,'=1,2.5"


def test_an_xlsx_export_stores_text_as_text_and_numbers_as_numbers(tmp_path):
    """The extension decides the format; a unit name "=HYPERLINK(…)" is a string cell, as printed (no
    apostrophe needed), a name with an escape character is kept readable, a score is a number."""
    import openpyxl

    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    rows = tuple(unit_row(name, None, stt=str(k)) for k, name in enumerate((*INJECTIONS, "UBND xã \x1b[31mPá Mỳ"), 1))
    db.store(extraction("inj", rows), file_name="a.pdf", messages=message)
    assert export_scores(db, tmp_path / "tong-hop.xlsx") == len(rows)
    db.close()
    sheet = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx").active
    header = [c.value for c in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))
    unit_raw, total = header.index("unit_raw"), header.index("total")
    assert [row[unit_raw].value for row in body] == [r.unit_raw.replace("\x1b", "\\x1b") for r in rows]
    assert "\\x1b[31" in body[-1][unit_raw].value and all(row[unit_raw].data_type == "s" for row in body)
    assert [row[total].value for row in body] == [22.25] * len(rows)


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice is missing")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_export_opens_in_libreoffice_with_no_formula(tmp_path, suffix):
    """LibreOffice reads the CSV (formulas evaluated on import, as it does by default) or the workbook
    and finds no formula; the scores are numbers."""
    import openpyxl

    from phuluc.extract import libreoffice

    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    db.store(extraction("inj", tuple(unit_row(name, None) for name in INJECTIONS)), file_name="a.pdf",
             messages=message)
    export_scores(db, tmp_path / f"tong-hop{suffix}", bom=False)
    db.close()
    # LibreOffice reads it and writes it again: a formula it found would be written as one
    converted = libreoffice.convert(tmp_path / f"tong-hop{suffix}", "ods" if suffix == ".xlsx" else "xlsx",
                                    tmp_path / "x")
    if suffix == ".xlsx":
        converted = libreoffice.convert(converted, "xlsx", tmp_path / "y")
    book = openpyxl.load_workbook(converted)
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, float) and c.value == 22.25 for c in cells)


def test_an_excel_vi_csv_quotes_text_and_writes_decimal_commas():
    from phuluc.load.export import SafeWriter
    from phuluc.choices import Dialect

    stream = io.StringIO()
    SafeWriter(stream, Dialect.EXCEL_VI).writerow(["03154", 8.75, 12, None, 'Xã "A"; B', "=1"])
    assert stream.getvalue() == '"03154";8,75;12;;"Xã ""A""; B";"\'=1"\r\n'


def _soffice_vi(csv_path, out_dir):
    """The CSV as LibreOffice opens it in a Vietnamese locale (semicolon, UTF-8, vi-VN, quoted fields as
    text), saved as a workbook."""
    command = [shutil.which("soffice"), f"-env:UserInstallation=file://{out_dir / 'profile'}", "--headless",
               "--infilter=CSV:59,34,76,1,,1066,true,true", "--convert-to", "xlsx", "--outdir", str(out_dir),
               str(csv_path)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return out_dir / f"{csv_path.stem}.xlsx"


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"), reason="LibreOffice is missing")
def test_numbers_are_numbers_and_codes_keep_their_zeros_in_xlsx_and_in_a_vietnamese_spreadsheet(loaded, tmp_path):
    import openpyxl

    from phuluc.choices import Dialect

    export_scores(loaded, tmp_path / "tong-hop.xlsx", period="2024")
    export_scores(loaded, tmp_path / "tong-hop.csv", period="2024", dialect=Dialect.EXCEL_VI)
    for book in (tmp_path / "tong-hop.xlsx", _soffice_vi(tmp_path / "tong-hop.csv", tmp_path / "lo")):
        body = {}  # unit code → (header, row), over the sheets of scores
        for sheet in openpyxl.load_workbook(book):
            header = [c.value for c in sheet[1]]
            if sheet.title != "findings":
                body.update((row[header.index("unit_code")].value, (header, row)) for row in sheet.iter_rows(min_row=2))
        assert {"03154", "03157", "000.00.11.H12"} <= set(body), book.name
        header, sin_thau = body["03154"]
        assert sin_thau[header.index("total")].value == 13.25 and sin_thau[header.index(CS2)].value == 8.75
        assert sin_thau[header.index("stt")].data_type == "s", "an STT is text"


def test_a_workbook_has_a_sheet_per_framework_and_one_of_the_findings(loaded, tmp_path):
    """Each sheet's header is frozen and filters its rows; a framework's criteria are its own columns."""
    import openpyxl

    assert export_scores(loaded, tmp_path / "tong-hop.xlsx", messages=message) == 4
    book = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")
    assert book.sheetnames == ["cchc-so", "cchc-xa", "findings"]
    so, xa = book["cchc-so"], book["cchc-xa"]
    assert [c.value for c in so[1]].count(DUNG_HAN) == 1 and DUNG_HAN not in [c.value for c in xa[1]]
    assert (so.max_row, xa.max_row) == (2, 4)
    assert all(sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:") for sheet in book)
    assert [c.value for c in book["findings"][1]][:4] == ["file_name", "period", "framework", "rule"]


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_a_parquet_export_keeps_codes_as_text_and_figures_as_numbers(loaded, tmp_path, layout):
    assert export_scores(loaded, tmp_path / "tong-hop.parquet", layout=layout) == export_scores(
        loaded, tmp_path / "tong-hop.csv", layout=layout)
    frame = pd.read_parquet(tmp_path / "tong-hop.parquet")
    assert len(frame) == len(read(tmp_path / "tong-hop.csv"))
    assert "03154" in set(frame["unit_code"]) and frame["unit_code"].map(type).eq(str).any()
    figure, printed = ("total", 13.25) if layout == "wide" else ("value", 8.75)  # Sín Thầu's
    assert str(frame[figure].dtype) == "float64" and printed in set(frame[figure])


def test_the_other_tables_are_exported_on_request(loaded, tmp_path):
    from phuluc.choices import TableKind

    assert export_scores(loaded, tmp_path / "khac.csv", tables=TableKind.OTHER) == 1
    assert list(read(tmp_path / "khac.csv")["table"]) == ["Danh sách"]
    assert export_scores(loaded, tmp_path / "diem.csv") == 4
    assert "Danh sách" not in set(read(tmp_path / "diem.csv")["table"])


def test_a_workbook_marks_the_cells_its_findings_are_about(tmp_path):
    """The total a SUM_MISMATCH is about is filled red and carries the finding's sentence; a warning on
    the unit (UNKNOWN_UNIT) marks its name yellow; a row without findings is left plain."""
    import openpyxl

    from phuluc.model import Finding

    db = Database.open(f"sqlite:///{tmp_path / 'x.db'}")
    findings = (Finding("SUM_MISMATCH", "error", unit=SIN_THAU[0], unit_raw=SIN_THAU[0].upper(), expected=22.25,
                        actual=23.0),
                Finding("UNKNOWN_UNIT", "warning", unit_raw=CHUNG_CHAI[0].upper()))
    db.store(extraction("m", (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI, stt="2"), unit_row("Xã Mường Toong", None,
                                                                                           stt="3")),
                        findings=findings), file_name="a.pdf", messages=message)
    export_scores(db, tmp_path / "tong-hop.xlsx", messages=message)
    db.close()
    sheet = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")["cchc-xa"]
    header = [c.value for c in sheet[1]]
    rows = {row[header.index("unit_raw")].value: row for row in sheet.iter_rows(min_row=2)}
    total = rows[SIN_THAU[0].upper()][header.index("total")]
    assert total.fill.fgColor.rgb.endswith("FFC7CE") and "SUM_MISMATCH" in total.comment.text
    name = rows[CHUNG_CHAI[0].upper()][header.index("unit_raw")]
    assert name.fill.fgColor.rgb.endswith("FFEB9C") and "UNKNOWN_UNIT" in name.comment.text
    assert not [c for c in rows["XÃ MƯỜNG TOONG"] if c.comment is not None]
