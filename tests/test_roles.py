"""Column roles from header words and arithmetic together (normalize/roles.py), and the reading that
explains a table best among the finders' (normalize/tables.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from phuluc.extract.tables import columns, header_from_grid
from phuluc.model import RawRow, RawTable
from phuluc.normalize import roles
from phuluc.normalize.frameworks import by_code
from phuluc.normalize.tables import read_table
from phuluc.normalize.units import Match
from phuluc.vi.text import fold

F766 = by_code("766/QĐ-TTg")
NO_MATCH = lambda raw: Match(None, 0.0, raw.startswith("UBND"), "")  # noqa: E731
GROUPS_766 = ["Công khai, minh bạch (18đ)", "Tiến độ, kết quả giải quyết (20đ)", "Dịch vụ công trực tuyến (12đ)",
              "Thanh toán trực tuyến (10đ)", "Mức độ hài lòng (18đ)", "Số hóa hồ sơ (22đ)"]


def raw(header: list[list[str]], body: list[list[str]]) -> RawTable:
    width = max(len(r) for r in header + body)
    return RawTable(header_from_grid(header), tuple(RawRow(tuple(r), 1, True, k) for k, r in enumerate(body)), width)


def read(header: list[list[str]], body: list[list[str]]) -> roles.Layout:
    table = raw(header, body)
    return roles.layout(columns(table.header, table.ncols), table.rows)


def rows_766(*scores: tuple[list[str], str]) -> list[list[str]]:
    return [[str(k), f"UBND xã Số {k}", *values, total, "Tốt"] for k, (values, total) in enumerate(scores, start=1)]


HEADER_766 = [["STT", "Tên đơn vị", "ĐIỂM CÁC NHÓM CHỈ SỐ", "", "", "", "", "", "TỔNG ĐIỂM (100đ)", "XẾP LOẠI"],
              ["", "", *GROUPS_766, "", ""]]
BODY_766 = rows_766((["18", "17,5", "10", "9,5", "18", "12"], "85"), (["12,1", "17,7", "4,9", "9,4", "18", "20,3"], "82,4"),
                    (["18", "20", "12", "10", "18", "22"], "100"))


def test_a_heading_naming_the_total_with_its_maximum_is_the_total() -> None:
    found = read(HEADER_766, BODY_766)
    assert found.criteria == [2, 3, 4, 5, 6, 7]
    assert found.roles["total"] == 8 and found.total_max == 100


def test_a_766_group_table_scores_out_of_100() -> None:
    table = read_table(raw(HEADER_766, BODY_766), frameworks=[F766], match=NO_MATCH)
    assert table.framework == "766/QĐ-TTg" and len(table.criteria) == 6
    first = table.rows[0]
    assert (first.total.value, first.total_max, first.converted.value) == (85, 100, 85)


def test_a_last_maximum_equal_to_the_sum_of_the_others_is_the_total_whatever_its_words() -> None:
    header = [HEADER_766[0][:8] + ["(100đ)", "XẾP LOẠI"], HEADER_766[1]]
    assert read(header, BODY_766).roles["total"] == 8


def test_a_criterion_whose_heading_borrows_total_words_stays_a_criterion() -> None:
    """A positioned header may interleave a neighbour's words ("ĐẠT ĐƯỢC" beside "Chỉ số 3 (5đ)")."""
    header = [["STT", "ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 ĐẠT ĐƯỢC (5đ)", "TỔNG ĐIỂM", "XẾP LOẠI"]]
    body = [["1", "UBND xã A", "5", "4", "3", "12", "Khá"], ["2", "UBND xã B", "5", "5", "5", "15", "Tốt"]]
    found = read(header, body)
    assert found.criteria == [2, 3, 4] and found.roles["total"] == 5


def test_without_a_total_heading_the_column_the_criteria_add_up_to_is_the_total() -> None:
    header = [["STT", "ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (10đ)", "", "XẾP LOẠI"]]
    body = [["1", "UBND xã A", "5", "4", "7,5", "16,5", "Khá"], ["2", "UBND xã B", "5", "5", "10", "20", "Tốt"],
            ["3", "UBND xã C", "2", "3", "1", "6", "Yếu"]]
    found = read(header, body)
    assert found.criteria == [2, 3, 4] and found.roles["total"] == 5 and not found.unlabeled


def test_without_a_converted_heading_the_column_equal_to_total_over_maximum_is_converted() -> None:
    header = [["STT", "ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "ĐIỂM ĐẠT", "", "XẾP LOẠI"]]
    body = [["1", "UBND xã A", "5", "4", "9", "90", "Xuất sắc"], ["2", "UBND xã B", "-", "4", "4", "80", "Tốt"],
            ["3", "UBND xã C", "2", "3", "5", "50", "Trung bình"]]
    found = read(header, body)
    assert found.roles["converted"] == 5 and not found.unlabeled


def test_a_labelled_column_the_sums_leave_out_is_no_criterion() -> None:
    """Every row's criteria add up to the total once one column, counted by the header, is left out."""
    header = [["STT", "ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (5đ)", "TỔNG ĐIỂM", "XẾP LOẠI"]]
    body = [["1", "UBND xã A", "5", "4", "5", "9", "Khá"], ["2", "UBND xã B", "3", "2", "5", "5", "Yếu"],
            ["3", "UBND xã C", "1", "4", "5", "5", "Yếu"]]
    found = read(header, body)
    assert found.criteria == [2, 3] and found.unlabeled == [4]


def test_sums_that_hold_on_most_rows_keep_the_words_reading() -> None:
    header = [["STT", "ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (5đ)", "TỔNG ĐIỂM", "XẾP LOẠI"]]
    body = [["1", "UBND xã A", "5", "4", "5", "14", "Khá"], ["2", "UBND xã B", "3", "2", "5", "10", "Yếu"],
            ["3", "UBND xã C", "1", "4", "5", "5", "Yếu"]]  # one mistyped total: a finding, not a new reading
    assert read(header, body).criteria == [2, 3, 4]


def test_the_reading_whose_figures_hold_is_kept() -> None:
    """A positioned reading that shifted every figure one column is an alternative the ruled one beats,
    whichever comes first."""
    good = raw(HEADER_766, BODY_766)
    shifted = replace(good, rows=tuple(replace(r, cells=r.cells[:2] + r.cells[3:] + ("",)) for r in good.rows),
                      finder="positioned")
    for first, second in ((good, shifted), (shifted, good)):
        table = read_table(replace(first, alternatives=(second,)), frameworks=[F766], match=NO_MATCH)
        assert table.finder == "ruled" and table.rows[0].total.value == 85


def test_a_heading_word_broken_over_lines_in_a_narrow_column_still_names_its_role() -> None:
    assert roles.role_of(fold("KẾT QUẢ XẾP LOẠ I")) == "rating"
    assert roles.role_of(fold("TỔNG ĐIỂ M")) == "total"
    assert roles.role_of(fold("XẾP LO")) is None  # a word cut short names nothing


def test_the_rating_is_the_column_of_rating_names_where_a_tight_header_gave_its_words_to_another() -> None:
    """"ĐTB XẾP" / "CCVC LOẠI" packed one space apart land over the average's column; the column of
    ratings beside it has no heading of its own."""
    header = [["STT", "Tên đơn vị", "Tiêu chí 1 (2đ)", "Tiêu chí 2 (2đ)", "TỔNG ĐIỂM", "ĐTB XẾP CCVC LOẠI", ""]]
    body = [["1", "Sở Nội vụ", "2", "2", "4", "9,87", "XS"], ["2", "Sở Y tế", "2", "1,5", "3,5", "9,92", "Tốt"]]
    found = read(header, body)
    assert (found.roles["rating"], found.roles["avg_staff"], found.roles["total"]) == (6, 5, 4)


# ---------------------------------------------------------------- a published ranking's columns

RANKED_HEADER = [HEADER_766[0] + ["XẾP HẠNG", "SO VỚI KỲ TRƯỚC", ""], HEADER_766[1] + ["", "Điểm", "Thứ hạng"]]
RANKED_BODY = [row + cells for row, cells in zip(BODY_766, (["02/63", "+2,5", "↑1"], ["03/63", "-1,25", "▼ 1"],
                                                          ["01/63", "+15", "▲ 2"]))]


def test_rank_and_changes_of_a_ranking_are_no_criteria() -> None:
    found = read(RANKED_HEADER, RANKED_BODY)
    assert found.criteria == [2, 3, 4, 5, 6, 7] and found.roles["total"] == 8
    assert (found.roles["rank"], found.roles["change"], found.roles["rank_change"]) == (10, 11, 12)


def test_a_ranking_row_carries_its_rank_of_n_and_changes_outside_its_values() -> None:
    table = read_table(raw(RANKED_HEADER, RANKED_BODY), frameworks=[F766], match=NO_MATCH)
    assert [len(r.values) for r in table.rows] == [6, 6, 6]
    assert [(r.rank, r.rank_of, r.change.value, r.rank_change) for r in table.rows] == [
        ("02/63", 63, 2.5, 1), ("03/63", 63, -1.25, -1), ("01/63", 63, 15, 2)]


@pytest.mark.parametrize(("heading", "role"), [
    ("Tăng/giảm điểm so với kỳ trước", "change"),
    ("Tăng (+)/giảm (-) thứ hạng", "rank_change"),
    ("So với tháng trước (bậc)", "rank_change"),
    ("Tổng điểm tăng, giảm so với quý trước", "change"),  # a change of the total is no total
    ("So với kỳ trước Xếp hạng", "rank_change"),  # a group heading over the rank's change
    ("Thứ hạng", "rank"),
    ("Tổng điểm", "total"),
])
def test_a_change_heading_says_points_or_places(heading: str, role: str) -> None:
    assert roles.role_of(fold(heading)) == role


@pytest.mark.parametrize(("after", "cells", "role"), [
    (["Tăng/giảm", "XẾP HẠNG"], ["3", "2"], "change"),  # after the total: points
    (["XẾP HẠNG", "Tăng/giảm"], ["2", "3"], "rank_change"),  # after the rank: places
    (["XẾP LOẠI", "Tăng/giảm"], ["Tốt", "+2,5"], "change"),  # decimals: points
    (["XẾP LOẠI", "Tăng/giảm"], ["Tốt", "↑2"], "rank_change"),  # whole numbers: places
])
def test_a_change_heading_naming_neither_is_read_from_its_neighbour_and_figures(
        after: list[str], cells: list[str], role: str) -> None:
    """Columns after "TỔNG ĐIỂM" whose change heading says only "Tăng/giảm"."""
    header = [["STT", "ĐƠN VỊ", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "TỔNG ĐIỂM", *after]]
    body = [["1", "UBND xã A", "5", "4", "9", *cells], ["2", "UBND xã B", "3", "2", "5", *cells]]
    found = read(header, body)
    assert found.roles[role] == 5 + after.index("Tăng/giảm") and found.criteria == [2, 3]


def test_the_names_column_is_no_criterion_whatever_words_a_close_header_gives_it() -> None:
    """Columns squeezed by a ranking's extra columns: the names' heading takes in "Chỉ số 1" beside it."""
    header = [["STT", "TÊN ĐƠN VỊ Chỉ số 1", "(5đ)", "Chỉ số 2 (5đ)", "TỔNG ĐIỂM", "XẾP LOẠI"]]
    body = [["1", "UBND xã A", "5", "4", "9", "Tốt"], ["2", "UBND xã B", "3", "2", "5", "Yếu"]]
    found = read(header, body)
    assert (found.unit, found.criteria, found.roles["total"]) == (1, [2, 3], 4)
