"""Tables whose columns were lost (plain PDF-to-text), built here line by line: where a row begins and
what it holds (extract/finders/stream.py), and how its cells are placed (normalize/stream.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from phuluc.extract.text import read
from phuluc.model import HeaderCell, RawRow, RawTable
from phuluc.normalize.frameworks import by_code
from phuluc.normalize.tables import read_table
from phuluc.normalize.units import Match

F459, F1187 = by_code("459/QĐ-UBND"), by_code("1187/QĐ-UBND")
# A header broken word by word, as converters print it: "Tiêu" / "chí" / "1" looks like a row's start.
HEADER_1187 = ["Phụ lục", "", "STT", "", "Tên đơn vị", "", "ĐIỂM", "", "CÁC TIÊU CHÍ", "", "TỔNG ĐIỂM", "",
               "ĐTB CCVC", "", "XẾP LOẠI", "", "Tiêu", "", "chí", "", "1", "", "Tiêu chí 2", "", "Tiêu chí", "",
               "3", "", "Tiêu chí 4", "", "Tiêu", "", "chí 5", "", "Tiêu chí 6", "", "Tiêu chí", "", "7", "",
               "Tiêu chí 8", "", "Tiêu", "", "chí", "", "9", ""]
HEAD_1187 = ["STT", "ĐƠN VỊ", "ĐIỂM CÁC TIÊU CHÍ", "TỔNG ĐIỂM", "XẾP LOẠI", *(f"Tiêu chí {k}" for k in range(1, 10))]
LABELS_459 = ["Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (10đ)", "Tiến độ (30đ)", "Chỉ số 1 (10đ)",
              "Chỉ số 2 (10đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (5đ)"]


def no_match(raw: str) -> Match:
    return Match(None, 0.0, False, "")


def rows_of(tmp_path: Path, body: list[str]) -> list[tuple[str, ...]]:
    """The raw rows the stream finder cuts from a 1187 table with the broken header above `body`."""
    path = tmp_path / "r.txt"
    path.write_text("\n".join(HEADER_1187 + [line for b in body for line in (b, "")]) + "\n", encoding="utf-8")
    (table,) = read(path).tables
    assert table.finder == "stream"
    return [r.cells for r in table.rows]


def stream_table(header: list[str], rows: list[list[str]]) -> RawTable:
    cells = tuple(HeaderCell(text=t, row=0, col=j) for j, t in enumerate(header))
    return RawTable(header=cells, rows=tuple(RawRow(tuple(r), 1, False) for r in rows), ncols=20, finder="stream")


# ---------------------------------------------------------------- where rows begin


def test_a_header_label_broken_over_lines_is_no_row(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, ["I CÁC XÃ", "1 UBND xã An Phú", "2 2 2 2", "2 2 2 2 2 18", "9,5", "Xuất sắc"])
    assert rows == [("I", "CÁC XÃ"), ("1", "UBND xã An Phú", *["2"] * 9, "18", "9,5", "Xuất sắc")]


def test_a_figure_opening_a_line_before_the_rating_is_no_row(tmp_path: Path) -> None:
    """Row 1 ends "10" / "Xuất sắc": 10 is its ĐTB CCVC, not the serial of the next row."""
    rows = rows_of(tmp_path, ["1 UBND xã An Phú", "2 2 2 2 2 2 2 2 2 18", "2", "Xuất sắc",
                              "2 UBND xã Bình Lợi", "2 2 2 2 2 2 2 2 1 17", "10", "Xuất sắc"])
    assert [r[:2] for r in rows] == [("1", "UBND xã An Phú"), ("2", "UBND xã Bình Lợi")]
    rows = rows_of(tmp_path, ["9 UBND xã An Phú", "2 2 2 2 2 2 2 2 2 18", "10", "Xuất sắc",
                              "10 UBND xã Bình Lợi", "2 2 2 2 2 2 2 2 1 17 9 Tốt"])
    assert [r[:2] for r in rows] == [("9", "UBND xã An Phú"), ("10", "UBND xã Bình Lợi")]
    assert rows[0][-2:] == ("10", "Xuất sắc")


def test_a_serial_and_words_without_a_figure_are_cells_of_the_row_above(tmp_path: Path) -> None:
    """A rank and a note ("3" / "Mới sáp nhập") under a row, then row 3."""
    rows = rows_of(tmp_path, ["2 UBND xã An Phú", "2 2 2 2 2 2 2 2 2 18 10 Tốt", "3 Mới sáp nhập",
                              "3 UBND xã Bình Lợi", "2 2 2 2 2 2 2 2 1 17 10 Tốt"])
    assert [r[:2] for r in rows] == [("2", "UBND xã An Phú"), ("3", "UBND xã Bình Lợi")]
    assert rows[0][-3:] == ("Tốt", "3", "Mới sáp nhập")


def test_a_name_keeps_its_dash_and_its_wrapped_total_word(tmp_path: Path) -> None:
    """"-" between words is the name's; "Tổng" under a name with no figure yet goes on that name."""
    rows = rows_of(tmp_path, ["1 Sở Văn hóa - Thể thao", "- 2 2 2 2 2 2 2 2 16 10 Tốt",
                              "2 UBND xã Tà", "Tổng", "2 2 2 2 2 2 2 2 2 18 10 Xuất sắc",
                              "Tổng cộng", "4 4 4 4 4 4 4 4 4 34"])
    assert [r[:3] for r in rows] == [("1", "Sở Văn hóa - Thể thao", "-"), ("2", "UBND xã Tà Tổng", "2"),
                                     ("", "Tổng cộng", "4")]


def test_rating_words_over_lines_are_one_cell(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, ["1 UBND xã An Phú", "2 2 2 1 1 1 1 1 1 12 8 Trung", "bình"])
    assert rows[0][-3:] == ("12", "8", "Trung bình")


# ---------------------------------------------------------------- how cells are placed


def test_summary_columns_printed_before_the_criteria() -> None:
    header = ["STT", "Tên đơn vị", "ĐIỂM ĐẠT", "ĐƯỢC", "TỔNG ĐIỂM QUY", "ĐỔI", "XẾP LOẠI", "ĐIỂM CÁC", "CHỈ SỐ",
              *LABELS_459]
    row = ["1", "UBND xã An Phú", "75/85", "88,24", "Tốt", "-", "5", "-", "30", "10", "10", "5", "5", "0", "5", "5"]
    (r,) = read_table(stream_table(header, [row]), frameworks=[F459], match=no_match).rows
    assert [v.value for v in r.values] == [None, 5, None, 30, 10, 10, 5, 5, 0, 5, 5]
    assert (r.total.value, r.total_max, r.converted.value, r.rating) == (75, 85, 88.24, "Tốt")


def test_fewer_scores_than_criteria_leave_blank_those_the_maximum_says() -> None:
    """Nine scores for eleven criteria, blanks lost: 85 ÷ 94,44 × 100 = 90 applies, so two 5-point
    criteria are blank, the leftmost that let every score sit within its maximum."""
    header = ["STT", "Tên đơn vị", "ĐIỂM CÁC CHỈ SỐ", "ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM QUY ĐỔI", "XẾP LOẠI", *LABELS_459]
    row = ["1", "UBND xã An Phú", "10", "30", "10", "10", "5", "10", "5", "5", "0", "85", "94,44", "Xuất sắc"]
    t = read_table(stream_table(header, [row]), frameworks=[F459], match=no_match)
    (r,) = t.rows
    assert [v.value for v in r.values] == [None, None, 10, 30, 10, 10, 5, 10, 5, 5, 0]
    assert (r.total_max, t.unlabeled_columns) == (90, 0)


def test_the_totals_own_maximum_is_no_criterion() -> None:
    """766: "TỔNG ĐIỂM (100đ)" heads the total; the six group maxima pick the framework; the converted
    score is the total."""
    header = ["STT", "ĐƠN VỊ", "ĐIỂM CÁC NHÓM CHỈ SỐ", "TỔNG ĐIỂM", "(100đ)", "XẾP LOẠI", "Công khai (18đ)",
              "Tiến độ (20đ)", "Dịch vụ công", "trực tuyến (12đ)", "Thanh toán (10đ)", "Hài lòng (18đ)",
              "Số hóa (22đ)"]
    row = ["1", "UBND xã An Phú", "18", "20", "12", "9,5", "18", "21", "98,5", "Xuất sắc"]
    t = read_table(stream_table(header, [row]), frameworks=[], match=no_match)
    (r,) = t.rows
    assert t.framework == "766/QĐ-TTg" and len(r.values) == 6
    assert (r.total.value, r.converted.value, r.total_max) == (98.5, 98.5, 100)


def test_criterion_labels_without_maxima_pick_the_framework_by_their_count() -> None:
    row = ["1", "UBND xã An Phú", *["2"] * 8, "1,5", "17,5", "Xuất sắc"]
    t = read_table(stream_table(HEAD_1187, [row]), frameworks=[], match=no_match)
    assert t.framework == "1187/QĐ-UBND" and t.rows[0].values[-1].value == 1.5 and t.rows[0].total.value == 17.5


def test_summaries_named_before_the_labels_stand_where_the_sums_hold() -> None:
    """No common heading over the criteria: their labels come on the header line after the summary
    headings, yet the figures add up with the total last (and first where the totals come first)."""
    header = ["STT", "ĐƠN VỊ", "TỔNG ĐIỂM", "XẾP LOẠI", *(f"Tiêu chí {k}" for k in range(1, 10))]
    rows = [["1", "UBND xã An Phú", *["2"] * 8, "1,5", "17,5", "Xuất sắc"],
            ["2", "UBND xã Bình Lợi", "1", *["2"] * 8, "17", "Xuất sắc"]]
    t = read_table(stream_table(header, rows), frameworks=[F1187], match=no_match)
    assert [r.total.value for r in t.rows] == [17.5, 17] and t.rows[1].values[0].value == 1
    first = [[r[0], r[1], r[-2], *r[2:-2], r[-1]] for r in rows]
    t = read_table(stream_table(header, first), frameworks=[F1187], match=no_match)
    assert [r.total.value for r in t.rows] == [17.5, 17] and t.rows[1].values[0].value == 1


def test_a_name_ending_in_a_number_takes_it_back() -> None:
    """"UBND phường 7" with its figures on the next line: one figure more than the columns, a whole number."""
    rows = [["1", "UBND phường", "7", *["2"] * 9, "18", "Xuất sắc"], ["2", "UBND xã An Phú", *["2"] * 9, "18", "Tốt"]]
    t = read_table(stream_table(HEAD_1187, rows), frameworks=[F1187], match=no_match)
    assert [r.unit_raw for r in t.rows] == ["UBND phường 7", "UBND xã An Phú"]
    assert t.unlabeled_columns == 0 and all(v.value == 2 for v in t.rows[0].values)


def test_a_column_every_row_prints_past_the_criteria_is_unlabeled_where_the_sums_leave_it_out() -> None:
    rows = [["1", "UBND xã An Phú", *["2"] * 9, "4", "18", "Xuất sắc"],
            ["2", "UBND xã Bình Lợi", *["2"] * 8, "1", "3", "17", "Xuất sắc"]]
    t = read_table(stream_table(HEAD_1187, rows), frameworks=[F1187], match=no_match)
    assert t.unlabeled_columns == 1 and [[n.value for n in r.unlabeled] for r in t.rows] == [[4], [3]]
    numbered = [["1", "UBND phường", "3", *["2"] * 9, "18", "Tốt"], ["2", "UBND phường", "4", *["2"] * 9, "18", "Tốt"]]
    t = read_table(stream_table(HEAD_1187, numbered), frameworks=[F1187], match=no_match)
    assert t.unlabeled_columns == 0 and [r.unit_raw for r in t.rows] == ["UBND phường 3", "UBND phường 4"]


def test_a_figure_after_the_rating_that_closes_the_row_is_no_cell() -> None:
    """A page's number caught under the last row, where the header puts no figure column after the rating."""
    rows = [["1", "UBND xã An Phú", *["2"] * 9, "18", "Xuất sắc", "3"]]
    (r,) = read_table(stream_table(HEAD_1187, rows), frameworks=[F1187], match=no_match).rows
    assert (r.total.value, r.rating) == (18, "Xuất sắc") and all(v.value == 2 for v in r.values)


def test_the_rating_and_the_note_are_told_apart() -> None:
    header = [*HEAD_1187[:5], "GHI CHÚ", *HEAD_1187[5:]]
    rows = [["1", "UBND xã An Phú", *["2"] * 9, "18", "XS Mới sáp nhập"], ["2", "UBND xã Bình Lợi", *["2"] * 9, "18",
                                                                          "Chưa phát sinh hồ sơ"]]
    first, second = read_table(stream_table(header, rows), frameworks=[F1187], match=no_match).rows
    assert (first.rating, first.note) == ("Xuất sắc", "Mới sáp nhập")
    assert (second.rating, second.note) == (None, "Chưa phát sinh hồ sơ")


def test_a_percentage_column_whose_heading_was_lost_is_read_as_a_ratio() -> None:
    """Counts and a percentage under a header broken beyond repair: the percentage is online ÷ received
    × 100 on every row, so the total row does not add it up; a count is never the ratio."""
    header = ["STT", "Tên đơn vị", "Tổng số hồ", "sơ", "Trực tuyến", "Tỷ lệ", "(%)"]
    rows = [["1", "UBND xã An Phú", "80", "20", "25"], ["2", "UBND xã Bình Lợi", "60", "45", "75"],
            ["3", "UBND xã Cát Lái", "90", "30", "33,3"], ["", "Tổng cộng", "230", "95", "41,3"]]
    t = read_table(stream_table(header, rows), frameworks=[], match=no_match)
    assert t.kind == "other" and [(f.target, f.op, f.operands) for f in t.formulas] == [(2, "/", (1, 0))]


# ---------------------------------------------------------------- a published ranking's columns


def test_a_change_and_its_arrow_apart_are_cells_of_their_own(tmp_path: Path) -> None:
    """"+2,5" is no word of the rating, and "▲" / "2" printed apart is one change."""
    rows = rows_of(tmp_path, ["1 UBND xã An Phú", "2 2 2 2 2 2 2 2 2 18 10 Xuất sắc 01/12 +2,5 ▲", "2"])
    assert rows[0][-5:] == ("10", "Xuất sắc", "01/12", "+2,5", "▲ 2")


@pytest.mark.parametrize("heading", [["SO VỚI KỲ TRƯỚC", *LABELS_459, "Điểm", "Thứ hạng"],
                                     ["Tăng/giảm điểm", "Tăng (+)/giảm (-) thứ hạng", *LABELS_459]])
def test_a_rankings_changes_stand_where_the_header_names_them(heading: list[str]) -> None:
    """A group heading's "Điểm", "Thứ hạng" print after the criteria labels in reading order."""
    header = ["STT", "Tên đơn vị", "ĐIỂM CÁC CHỈ SỐ", "ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM QUY ĐỔI", "XẾP LOẠI", "XẾP HẠNG",
              *heading]
    rows = [["1", "UBND xã An Phú", "-", "5", "-", "30", "10", "10", "5", "5", "0", "5", "5", "75", "88,24", "Tốt",
             "02/12", "-1,25", "▼ 1"],
            ["2", "UBND xã Bình Lợi", "5", "5", "10", "30", "10", "10", "5", "5", "5", "5", "5", "95", "95", "Xuất sắc",
             "01/12", "+3", "0"]]
    table = read_table(stream_table(header, rows), frameworks=[F459], match=no_match)
    assert [(len(r.values), r.total.value, r.rank, r.rank_of, r.change.value, r.rank_change) for r in table.rows] == [
        (11, 75, "02/12", 12, -1.25, -1), (11, 95, "01/12", 12, 3, 0)]
