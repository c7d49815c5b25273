"""Rating statements of the body text (phuluc.normalize.summary.read_statements), on sentences of real reports."""

from __future__ import annotations

import unicodedata

import pytest

from phuluc.model import Statement
from phuluc.normalize.summary import read_statements
from phuluc.normalize.units import Match, Matcher, Register, Unit


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


@pytest.fixture(scope="module")
def province() -> Matcher:
    """The scoped matcher of a provincial report of Điện Biên: its districts and its departments."""
    register = Register.load()
    return Matcher(register, issuer=register.get("11", "legacy"), era="legacy")


@pytest.fixture(scope="module")
def district() -> Matcher:
    """The scoped matcher of a report of Huyện Mường Nhé: its communes."""
    register = Register.load()
    return Matcher(register, issuer=register.get("096", "legacy"), era="legacy")


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


# ---------------------------------------------------------------- listings: names that hold commas and "và"


def test_department_names_with_commas_and_và(province: Matcher) -> None:
    (s,) = read_statements("- 03 đơn vị xếp loại Xuất sắc: Sở Văn hóa, Thể thao và Du lịch, Sở Kế hoạch và Đầu "
                           "tư, UBND huyện Mường Nhé.", province.match)
    assert s.units_raw == ("Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư", "UBND huyện Mường Nhé")
    assert s.units == ("Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư", "Huyện Mường Nhé")


def test_an_alias_of_three_pieces(province: Matcher) -> None:
    (s,) = read_statements("- 02 đơn vị xếp loại Tốt: Sở Lao động, TB và XH, Sở Giáo dục và Đào tạo.", province.match)
    assert s.units == ("Sở Lao động - Thương binh và Xã hội", "Sở Giáo dục và Đào tạo")
    assert s.units_raw[0] == "Sở Lao động, TB và XH"


def test_offices_with_và_are_one_name(district: Matcher) -> None:
    """An office of the district has no register entry: one name, kept as printed, beside the communes."""
    (s,) = read_statements("- 03 đơn vị xếp loại Khá: Bộ phận Tiếp nhận và Trả kết quả huyện, Văn phòng HĐND và "
                           "UBND huyện và UBND xã Sen Thượng.", district.match)
    assert s.units == ("Bộ phận Tiếp nhận và Trả kết quả huyện", "Văn phòng HĐND và UBND huyện", "Xã Sen Thượng")


def test_bare_names_after_a_kind_are_units_of_that_kind(district: Matcher) -> None:
    """Three communes, each matched as a commune: "Chung Chai" (marks lost) too, which a bare name is not."""
    (s,) = read_statements("- 03 đơn vị xếp loại Tốt: UBND xã Sen Thượng, Chung Chai và Sín Thầu.", district.match)
    assert s.units_raw == ("UBND xã Sen Thượng", "Chung Chai", "Sín Thầu")
    assert s.units == ("Xã Sen Thượng", "Xã Chung Chải", "Xã Sín Thầu")


def test_a_name_that_matches_nothing_stands_alone_as_printed(district: Matcher) -> None:
    (s,) = read_statements("- 02 đơn vị xếp loại Tốt: UBND xã Đâu Đó, UBND xã Sen Thượng.", district.match)
    assert s.units == ("UBND xã Đâu Đó", "Xã Sen Thượng")


def test_an_aside_after_a_name_is_no_part_of_it(district: Matcher) -> None:
    body = "- 02 đơn vị xếp loại Tốt: UBND xã Sen Thượng (đạt 92 điểm, xếp thứ 1), UBND xã Chung Chải (91,5 điểm)."
    (s,) = read_statements(body, district.match)
    assert s.units == ("Xã Sen Thượng", "Xã Chung Chải")


def test_the_dot_of_an_abbreviated_kind_does_not_end_the_listing(province: Matcher) -> None:
    (s,) = read_statements("- 02 đơn vị xếp loại Tốt: UBND TP. Điện Biên Phủ, UBND TX.\nMường Lay.", province.match)
    assert s.units == ("Thành phố Điện Biên Phủ", "Thị xã Mường Lay")


def test_decimal_comma_in_a_listing_is_not_a_separator() -> None:
    (s,) = read_statements("- 01 đơn vị xếp loại Yếu: UBND xã Nà Tòng (đạt 45,2 điểm).", no_match)
    assert (s.rating, s.count) == ("Yếu", 1)
    assert s.units_raw == ("UBND xã Nà Tòng",)


# ---------------------------------------------------------------- statements broken over lines


def test_a_statement_broken_over_blank_lines(district: Matcher) -> None:
    """Line-broken converter text: breaks, blank lines too, inside the count, the rating and a name."""
    body = ("- 05 đơn vị xếp loại\n\ntrung\nbình: UBND xã Sen Thượng, UBND xã\n\nChung Chải, UBND\nxã Sín Thầu.\n"
            "- 02 đơn vị xếp loại Khá: UBND xã Quảng Lâm.")
    found = read_statements(body, district.match)
    assert counts(found) == [("Trung bình", 5), ("Khá", 2)]
    assert found[0].units == ("Xã Sen Thượng", "Xã Chung Chải", "Xã Sín Thầu")
    assert found[1].units == ("Xã Quảng Lâm",)


def test_a_name_wrapped_before_its_dash_is_not_a_bullet(province: Matcher) -> None:
    body = "- 02 đơn vị xếp loại Tốt: Sở Y tế, Sở Lao động\n- Thương binh và Xã hội.\n- 01 đơn vị xếp loại Khá: Sở Tư pháp."
    found = read_statements(body, province.match)
    assert counts(found) == [("Tốt", 2), ("Khá", 1)]
    assert found[0].units == ("Sở Y tế", "Sở Lao động - Thương binh và Xã hội")


def test_bullets_run_on_in_one_line_end_where_the_next_begins() -> None:
    """Text that lost its line ends between bullets that have no closing period."""
    body = ("- 02 đơn vị xếp loại Khá: UBND xã Sen Thượng, UBND xã Chung Chải - 01 đơn vị xếp loại Yếu: UBND xã "
            "Sín Thầu - Không có đơn vị xếp loại Trung bình")
    found = read_statements(body, no_match)
    assert counts(found) == [("Khá", 2), ("Yếu", 1), ("Trung bình", 0)]
    assert [s.units_raw for s in found] == [("UBND xã Sen Thượng", "UBND xã Chung Chải"), ("UBND xã Sín Thầu",), ()]


def test_an_unclosed_listing_ends_at_the_next_heading() -> None:
    body = ("- 02 đơn vị xếp loại Khá: UBND xã Sen Thượng, UBND xã Chung Chải\n(Có Phụ lục kèm theo)\n"
            "2. Nhận xét, đánh giá\nCác đơn vị đã quan tâm công khai thủ tục hành chính.")
    (s,) = read_statements(body, no_match)
    assert s.units_raw == ("UBND xã Sen Thượng", "UBND xã Chung Chải")


def test_an_office_statement_under_a_heading_keeps_its_subject() -> None:
    """Seed 001's heading has no period: the office's line flows on from it, its name does not."""
    body = ("1. Kết quả đánh giá, xếp loại\nBộ phận Tiếp nhận và trả kết quả cấp huyện đạt 90,8\n"
            "điểm, xếp loại xuất sắc.")
    (s,) = read_statements(body, no_match)
    assert (s.rating, s.count, s.score, s.scope) == ("Xuất sắc", 1, 90.8, "Bộ phận Tiếp nhận và trả kết quả cấp huyện")


def test_bullets_without_a_closing_period() -> None:
    body = ("- 05 đơn vị xếp loại Xuất sắc: UBND xã Sen Thượng, UBND xã Chung Chải\n"
            "- 02 đơn vị xếp loại Khá: UBND xã Sín Thầu, UBND xã Quảng Lâm\n")
    found = read_statements(body, no_match)
    assert counts(found) == [("Xuất sắc", 5), ("Khá", 2)]
    assert found[0].units_raw == ("UBND xã Sen Thượng", "UBND xã Chung Chải")

