"""Rating statements of the body text (phuluc.normalize.summary.read_statements), on sentences of real reports."""

from __future__ import annotations

import unicodedata

import pytest

from phuluc.model import Statement
from phuluc.normalize.summary import read_statements
from phuluc.normalize.units import Match, Unit


def no_match(raw: str) -> Match:
    return Match(None, 0.0, False, "")


class FakeMatcher:
    """Resolves the printed names it knows (as the scoped matcher would) and nothing else."""

    UNITS = {
        "UBND xã Sen Thượng": ("03155", "Xã Sen Thượng"),
        "UBND xã Chung Chải": ("03157", "Xã Chung Chải"),
        "UBND xã Huổi Léch": ("03177", "Xã Huổi Lếnh"),
        "UBND xã Sín Thầu": ("03154", "Xã Sín Thầu"),
        "UBND xã Quảng Lâm": ("03164", "Xã Quảng Lâm"),
    }

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, raw: str) -> Match:
        self.asked.append(raw)
        if raw not in self.UNITS:
            return Match(None, 0.0, True, "")
        code, name = self.UNITS[raw]
        return Match(Unit(code, name, "xã", "ward", "096", "legacy"), 100.0, True, "exact")


def counts(statements: tuple[Statement, ...]) -> list[tuple[str, int | None]]:
    return [(s.rating, s.count) for s in statements]


# ---------------------------------------------------------------- statements that count


def test_count_with_listed_units() -> None:
    (s,) = read_statements("- 05 đơn vị xếp loại Xuất sắc: UBND xã A, UBND xã B.", no_match)
    assert (s.rating, s.count, s.of, s.score) == ("Xuất sắc", 5, None, None)
    assert s.units_raw == ("UBND xã A", "UBND xã B")
    assert s.units == ("UBND xã A", "UBND xã B")  # unmatched names are kept as printed


def test_listed_units_are_canonical_where_matched() -> None:
    match = FakeMatcher()
    body = ("Thực hiện chấm điểm đánh giá 11/11 đơn vị, trong đó:\n"
            "- 05 đơn vị xếp loại Xuất sắc: UBND xã Sen Thượng, UBND xã Chung Chải, UBND xã Mường Nhé, "
            "UBND xã Mường Toong, UBND xã Nậm Vì.\n"
            "- 04 đơn vị xếp loại Tốt: UBND xã Huổi Léch, UBND xã Leng Su Sìn, UBND xã Pá Mỳ, UBND xã Nậm Kè.\n"
            "- 02 đơn vị xếp loại Khá: UBND xã Sín Thầu, UBND xã Quảng Lâm.\n"
            "- Không có đơn vị xếp loại Trung bình, Yếu.")
    found = read_statements(body, match)
    assert counts(found) == [("Xuất sắc", 5), ("Tốt", 4), ("Khá", 2), ("Trung bình", 0), ("Yếu", 0)]
    assert found[0].units == ("Xã Sen Thượng", "Xã Chung Chải", "UBND xã Mường Nhé", "UBND xã Mường Toong",
                              "UBND xã Nậm Vì")
    assert found[1].units[0] == "Xã Huổi Lếnh" and found[1].units_raw[0] == "UBND xã Huổi Léch"
    assert found[2].units == ("Xã Sín Thầu", "Xã Quảng Lâm")
    assert [len(s.units) for s in found] == [5, 4, 2, 0, 0]
    assert "UBND xã Nậm Kè" in match.asked


def test_four_counts_in_one_sentence() -> None:
    body = ("UBND các xã, thị trấn thực hiện chấm điểm đánh giá 19/19 đơn vị, trong đó 03 đơn vị xếp loại "
            "xuất sắc, 11 đơn vị xếp loại tốt, 03 đơn vị xếp loại khá, 02 đơn vị xếp loại trung bình.")
    found = read_statements(body, no_match)
    assert counts(found) == [("Xuất sắc", 3), ("Tốt", 11), ("Khá", 3), ("Trung bình", 2)]
    assert {s.scope for s in found} == {"UBND các xã, thị trấn"}
    assert all(s.units == () and s.of is None for s in found)


def test_four_counts_broken_over_lines() -> None:
    """Seed 001 as PDF-to-text gives it: the sentence wraps mid-phrase ("02 \\n\\nđơn vị")."""
    body = ("UBND các xã, thị trấn thực hiện chấm điểm đánh giá 19/19 đơn vị, trong \n\n"
            "đó 03 đơn vị xếp loại xuất sắc, 11 đơn vị xếp loại tốt, 03 đơn vị xếp loại khá, 02 \n\n"
            "đơn vị xếp loại trung bình. ")
    assert counts(read_statements(body, no_match)) == [("Xuất sắc", 3), ("Tốt", 11), ("Khá", 3), ("Trung bình", 2)]


def test_count_out_of_a_total() -> None:
    found = read_statements("17/18 đơn vị đạt loại Xuất sắc, 01/18 đơn vị đạt loại Tốt", no_match)
    assert [(s.rating, s.count, s.of) for s in found] == [("Xuất sắc", 17, 18), ("Tốt", 1, 18)]


def test_counts_per_scope() -> None:
    """Seed 004: two scopes; "04 đơn vị không phát sinh TTHC" is not a rating."""
    body = ("Các cơ quan, đơn vị: 09 đơn vị đạt xuất sắc, 04 đơn vị không phát sinh TTHC.\n"
            "Các xã, thị trấn: 11 Đơn vị đạt xuất sắc, 08 đơn vị đạt kết quả tốt.")
    found = read_statements(body, no_match)
    assert [(s.scope, s.rating, s.count) for s in found] == [
        ("Các cơ quan, đơn vị", "Xuất sắc", 9), ("Các xã, thị trấn", "Xuất sắc", 11), ("Các xã, thị trấn", "Tốt", 8)]


def test_none_of_two_ratings() -> None:
    found = read_statements("Không có đơn vị xếp loại Trung bình, Yếu.", no_match)
    assert [(s.rating, s.count, s.units) for s in found] == [("Trung bình", 0, ()), ("Yếu", 0, ())]


def test_one_office_with_its_score() -> None:
    (s,) = read_statements("Bộ phận Tiếp nhận và trả kết quả cấp huyện đạt 90,8 điểm, xếp loại xuất sắc.", no_match)
    assert (s.rating, s.count, s.score, s.scope) == ("Xuất sắc", 1, 90.8, "Bộ phận Tiếp nhận và trả kết quả cấp huyện")


def test_percentages_in_parentheses_do_not_break_the_counts() -> None:
    body = "trong đó: 05 đơn vị đạt loại Xuất sắc (chiếm 45,45%), 04 đơn vị đạt loại Tốt (chiếm 36,36%)."
    assert counts(read_statements(body, no_match)) == [("Xuất sắc", 5), ("Tốt", 4)]


def test_decomposed_text_reads_the_same() -> None:
    body = "trong đó 03 đơn vị xếp loại xuất sắc, 11 đơn vị xếp loại tốt."
    nfd = unicodedata.normalize("NFD", body)
    assert nfd != body
    assert counts(read_statements(nfd, no_match)) == [("Xuất sắc", 3), ("Tốt", 11)]


def test_statements_come_in_text_order() -> None:
    body = ("Bộ phận Tiếp nhận và trả kết quả cấp huyện đạt 90,8 điểm, xếp loại xuất sắc.\n"
            "UBND các xã, thị trấn: 03 đơn vị xếp loại xuất sắc, 02 đơn vị xếp loại trung bình.\n"
            "Không có đơn vị xếp loại Yếu.")
    assert counts(read_statements(body, no_match)) == [("Xuất sắc", 1), ("Xuất sắc", 3), ("Trung bình", 2),
                                                      ("Yếu", 0)]


# ---------------------------------------------------------------- sentences that state no count


@pytest.mark.parametrize("text", [
    "100% các cơ quan chuyên môn thuộc UBND tỉnh được đánh giá xếp loại từ Tốt trở lên",
    "18/18 đơn vị xếp loại Tốt trở lên.",
    "Còn 10/20 đơn vị có tỷ lệ thanh toán trực tuyến chưa đạt chỉ tiêu kế hoạch",
    "Còn 02 đơn vị có tỷ lệ thanh toán trực tuyến không đạt chỉ tiêu.",
    "04 đơn vị không phát sinh TTHC",
    "Tổng điểm: 82,1/100 điểm, xếp loại Tốt.",
    "Tổng số điểm xã Mỹ Thanh đạt 82,1/100 điểm, xếp hạng 10/14 xã, thị trấn.",
    "Tổng điểm đạt 82,1 điểm, xếp loại Tốt.",
    "Thực hiện chấm điểm đánh giá 11/11 đơn vị, trong đó:",
    "Nhìn chung các UBND các xã đã quan tâm triển khai thực hiện các nhiệm vụ công tác kiểm soát TTHC.",
])
def test_no_statement(text: str) -> None:
    assert read_statements(text, no_match) == ()


# ---------------------------------------------------------------- known defects


def test_bullets_without_a_closing_period() -> None:
    body = ("- 05 đơn vị xếp loại Xuất sắc: UBND xã Sen Thượng, UBND xã Chung Chải\n"
            "- 02 đơn vị xếp loại Khá: UBND xã Sín Thầu, UBND xã Quảng Lâm\n")
    found = read_statements(body, no_match)
    assert counts(found) == [("Xuất sắc", 5), ("Khá", 2)]
    assert found[0].units_raw == ("UBND xã Sen Thượng", "UBND xã Chung Chải")


def test_decimal_comma_in_a_listing_is_not_a_separator() -> None:
    (s,) = read_statements("- 01 đơn vị xếp loại Yếu: UBND xã Nà Tòng (đạt 45,2 điểm).", no_match)
    assert (s.rating, s.count) == ("Yếu", 1)
    assert len(s.units_raw) == 1 and s.units_raw[0].startswith("UBND xã Nà Tòng")
