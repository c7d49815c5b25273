"""Raw tables → typed tables: column roles, the framework's criteria, rows whose columns were lost."""

from __future__ import annotations

from phuluc.extract.tables import header_from_grid
from phuluc.model import HeaderCell, RawRow, RawTable
from phuluc.normalize.frameworks import by_code
from phuluc.normalize.rows import formulas
from phuluc.normalize.tables import read_table
from phuluc.normalize.units import Match

F459, F1187 = by_code("459/QĐ-UBND"), by_code("1187/QĐ-UBND")
NO_MATCH = lambda raw: Match(None, 0.0, raw.startswith("UBND"), "")  # noqa: E731
HEADER_459 = [
    ["STT", "TÊN ĐƠN VỊ", "ĐIỂM CÁC CHỈ SỐ"] + [""] * 10 + ["ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM QUY ĐỔI", "XẾP LOẠI"],
    ["", "", "Nhóm công khai, minh bạch", "", "", "Tiến độ, KQ giải quyết (30đ)", "Cung cấp DVTT", "",
     "Số hóa hồ sơ", "", "Mức độ hài lòng", "", "", "", "", ""],
    ["", "", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (10đ)", "", "Chỉ số 1 (10đ)", "Chỉ số 2 (10đ)",
     "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (5đ)", "", "", ""],
]


def table(header: list[list[str]], rows: list[list[str]], *, aligned: bool = True) -> RawTable:
    cells = header_from_grid(header) if aligned else tuple(
        HeaderCell(text=t, row=0, col=j) for j, t in enumerate(header[0]))
    width = max(len(r) for r in header + rows)
    return RawTable(header=cells, rows=tuple(RawRow(tuple(r), 1, aligned) for r in rows), ncols=width)


def test_a_459_table_reads_with_fractions_blanks_and_abbreviated_ratings() -> None:
    row = ["1", "UBND xã Sín Thầu", "-", "-", "-", "30", "10", "-", "0", "0", "5", "5", "5", "55/70", "78,57", "Khá"]
    xs = ["2", "UBND xã Sen Thượng", "-", "-", "-", "30", "10", "-", "5", "10", "5", "5", "5", "70/70", "100", "XS"]
    t = read_table(table(HEADER_459, [row, xs]), frameworks=[F459], match=NO_MATCH)
    assert t.kind == "scores" and t.framework == "459/QĐ-UBND" and len(t.criteria) == 11
    assert [c.max for c in t.criteria] == [5, 5, 10, 30, 10, 10, 5, 10, 5, 5, 5]
    first, second = t.rows
    assert [v.value for v in first.values] == [None, None, None, 30, 10, None, 0, 0, 5, 5, 5]
    assert (first.total.value, first.total_max, first.converted.value, first.rating) == (55, 70, 78.57, "Khá")
    assert (second.rating, second.rating_raw) == ("Xuất sắc", "XS")
    assert first.claims_unit and first.unit is None


def test_an_unreadable_score_counts_in_the_applicable_maximum() -> None:
    """A cell that holds ink OCR could not read (".2" for "2") is a score all the same: its criterion
    applies; only a blank or a dash leaves it out."""
    row = ["1", "UBND xã A", "-", "-", "-", "30", "10", ".2", "0", "0", "5", "5", "5", "57", "", "Khá"]
    (r,) = read_table(table(HEADER_459, [row]), frameworks=[F459], match=NO_MATCH).rows
    assert r.values[5].value is None and r.total_max == 80


def test_totals_printed_before_the_criteria_and_extra_columns() -> None:
    header = [["STT", "TÊN CƠ QUAN, ĐƠN VỊ", "TỔNG ĐIỂM", "ĐIỂM CÁC TIÊU CHÍ"] + [""] * 8
              + ["ĐTB CCVC", "XẾP LOẠI", "XẾP HẠNG", "GHI CHÚ"],
              ["", "", ""] + [f"Tiêu chí {k}" for k in range(1, 10)] + ["", "", "", ""],
              [f"({k})" for k in range(1, 17)]]
    row = ["1", "Sở Tư pháp", "17,5", "2", "2", "2", "2", "2", "1,5", "2", "2", "2", "9,8", "Xuất sắc", "1", "mới"]
    t = read_table(table(header, [row]), frameworks=[F1187], match=NO_MATCH)
    (r,) = t.rows
    assert t.framework == "1187/QĐ-UBND" and [v.value for v in r.values] == [2, 2, 2, 2, 2, 1.5, 2, 2, 2]
    assert (r.total.value, r.total_max, r.avg_staff.value, r.rating, r.rank, r.note) == (
        17.5, 18, 9.8, "Xuất sắc", "1", "mới")


def test_an_unheaded_column_of_figures_is_kept_apart() -> None:
    header = [r[:13] + [""] + r[13:] for r in HEADER_459]
    header[0][2:14] = ["ĐIỂM CÁC CHỈ SỐ"] + [""] * 11
    row = ["1", "UBND xã A", "-", "-", "-", "30", "10", "-", "0", "0", "5", "5", "5", "5", "55/70", "78,57", "Khá"]
    t = read_table(table(header, [row]), frameworks=[F459], match=NO_MATCH)
    assert t.unlabeled_columns == 1 and [n.value for n in t.rows[0].unlabeled] == [5]
    assert t.rows[0].total.value == 55


def test_stream_rows_place_fewer_scores_by_the_applicable_maximum() -> None:
    """Nine scores printed for eleven criteria: 77,17 / 90,8 × 100 = 85, so a 5 and a 10 point criterion
    are blank; of the two ways that fit, the blanks go leftmost."""
    header = [["STT", "TÊN ĐƠN VỊ", "ĐIỂM CÁC CHỈ SỐ", "ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM QUY ĐỔI", "XẾP LOẠI",
               "Tiến độ (30đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (10đ)", "Chỉ số 1 (10đ)", "(10đ)",
               "(5đ)", "(10đ)", "(5đ)", "(5đ)", "(5đ)"]]
    row = ["1", "Bộ phận Tiếp nhận và trả kết quả huyện", "4,74", "29,9", "7,5", "6,58", "3,6", "9,9", "5", "5",
           "4,97", "77,17", "90,8", "Xuất sắc"]
    t = read_table(table(header, [row], aligned=False), frameworks=[F459], match=NO_MATCH)
    (r,) = t.rows
    assert [v.value for v in r.values] == [None, 4.74, None, 29.9, 7.5, 6.58, 3.6, 9.9, 5, 5, 4.97]
    assert (r.total.value, r.total_max, r.converted.value, r.rating) == (77.17, 85, 90.8, "Xuất sắc")


def test_a_total_row_printed_across_the_number_and_name_cells() -> None:
    header = [["STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Số hồ sơ có số hóa", "Tỷ lệ"],
              ["", "", "(1)", "(2)", "(3)=(2)/(1)"]]
    rows = [["1", "UBND xã A", "10", "5", "50"], ["2", "UBND xã B", "4", "4", "100"],
            ["TỔNG SỐ", "", "14", "9", "64,29"]]
    t = read_table(table(header, rows), frameworks=[], match=NO_MATCH)
    assert t.kind == "other" and [r.is_total_row for r in t.rows] == [False, False, True]
    assert t.rows[2].unit_raw == "TỔNG SỐ" and t.rows[2].stt is None
    (f,) = t.formulas
    assert (f.target, f.op, f.operands) == (2, "/", (1, 0))


def test_formulas_are_read_from_the_numbering_of_columns() -> None:
    (sum_,) = formulas(["(5)", "(6)=(7)+(9)", "(7)", "(9)"])
    assert (sum_.target, sum_.op, sum_.operands) == (1, "+", (2, 3))
    assert formulas(["Số hồ sơ", "Tỷ lệ %"]) == ()
