"""Number rules: table cells, header maxima, prose figures and the Vietnamese print."""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phuluc.model import Number
from phuluc.vi.numbers import (
    NotANumber,
    find_numbers,
    format_vi,
    is_number,
    parse_change,
    parse_max,
    parse_number,
)

# ---------------------------------------------------------------- parse_number: examples


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        # decimal comma, including the real cells
        ("8,75", 8.75, 2),
        ("10,0", 10.0, 1),
        ("29,82", 29.82, 2),
        ("0,5", 0.5, 1),
        ("1,527", 1.527, 3),
        # thousands dot, optional decimal comma
        ("1.527", 1527, 0),
        ("921.747", 921747, 0),
        ("8.000", 8000, 0),
        ("813.000", 813000, 0),
        ("1.550.008", 1550008, 0),
        ("7.588.000", 7588000, 0),
        ("1.550.008,5", 1550008.5, 1),
        # English style
        ("1,234,567", 1234567, 0),
        ("1,234.5", 1234.5, 1),
        ("78.13", 78.13, 2),
        ("0.5", 0.5, 1),
        ("3.14159", 3.14159, 5),
        ("0.527", 0.527, 3),
        # integers and signs
        ("02", 2, 0),
        ("0", 0, 0),
        ("18", 18, 0),
        ("-5", -5, 0),
        ("-0,5", -0.5, 1),
        # markup, units, whitespace
        ("<b>17,84</b>", 17.84, 2),
        ("<b>18</b>", 18, 0),
        ("**18**", 18, 0),
        ("*4*", 4, 0),
        ("18 điểm", 18, 0),
        ("5đ", 5, 0),
        ("**18** điểm", 18, 0),
        ("  12,5 \n", 12.5, 1),
    ],
)
def test_parse_plain(text: str, value: float, decimals: int) -> None:
    number = parse_number(text)
    assert number.value == pytest.approx(value, rel=1e-12)
    assert number.decimals == decimals
    assert number.denominator is None
    assert number.percent is False


@pytest.mark.parametrize(
    ("text", "value", "decimals", "denominator"),
    [
        ("55/70", 55, 0, 70),
        ("68,75/70", 68.75, 2, 70),
        ("82,1/100", 82.1, 1, 100),
        ("18 /18", 18, 0, 18),
        ("18 / 18 điểm", 18, 0, 18),
    ],
)
def test_parse_fraction(text: str, value: float, decimals: int, denominator: float) -> None:
    number = parse_number(text)
    assert (number.value, number.decimals, number.denominator) == (value, decimals, denominator)


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [("75 %", 75, 0), ("95,73%", 95.73, 2), ("78.13%", 78.13, 2), ("100%", 100, 0)],
)
def test_parse_percent(text: str, value: float, decimals: int) -> None:
    number = parse_number(text)
    assert (number.value, number.decimals, number.percent) == (value, decimals, True)


@pytest.mark.parametrize("text", ["", "   ", "-", "–", "—", "--", "<b>-</b>"])
def test_not_applicable(text: str) -> None:
    number = parse_number(text)
    assert number.value is None
    assert number.half_unit == 0


def test_text_is_stripped_nfc_without_markup() -> None:
    assert parse_number(" <b>17,84</b> ").text == "17,84"
    nfd = unicodedata.normalize("NFD", "18 điểm")
    assert parse_number(nfd).text == "18 điểm"


@pytest.mark.parametrize(
    ("text", "limit", "value", "decimals"),
    [
        ("1.527", 10, 1.527, 3),  # a score ≤ 10
        ("8.500", 10, 8.5, 3),
        ("92.500%", 100, 92.5, 3),  # a percentage ≤ 100
        ("1.527", 10_000, 1527, 0),  # the thousands reading fits: it stays
        ("12.345", 10, 12345, 0),  # neither reading fits: thousands by default
        ("1.527", None, 1527, 0),
    ],
)
def test_ambiguous_dot_uses_limit(
    text: str, limit: float | None, value: float, decimals: int
) -> None:
    number = parse_number(text, limit=limit)
    assert (number.value, number.decimals) == (value, decimals)


@pytest.mark.parametrize(
    "text",
    [
        *("Xuất sắc", "(5đ)", "1.2.3.4", "12/BC-UBND", "abc", "đ"),
        *("--5", "- 5", "1234.567", "5/", "%", "9" * 400),
    ],
)
def test_not_a_number(text: str) -> None:
    with pytest.raises(NotANumber, match="not a number"):
        parse_number(text)
    assert is_number(text) is False


@pytest.mark.parametrize("text", ["8,75", "-", "", "55/70", "95,73%"])
def test_is_number(text: str) -> None:
    assert is_number(text) is True


def test_half_unit_follows_printed_decimals() -> None:
    assert parse_number("8,75").half_unit == pytest.approx(0.005)
    assert parse_number("1.527").half_unit == 0


# ---------------------------------------------------------------- parse_max


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Chỉ số 1 (5đ)", 5),
        ("Tiến độ, KQ giải quyết (30đ)", 30),
        ("Chỉ số 3 (10đ)", 10),
        ("(10 đ)", 10),
        ("(5 điểm)", 5),
        ("(2,5đ)", 2.5),
        ("Tiêu chí 1", None),
        ("TỔNG ĐIỂM", None),
        ("Số đơn vị (5 đơn vị)", None),
    ],
)
def test_parse_max(label: str, expected: float | None) -> None:
    assert parse_max(label) == expected


# ---------------------------------------------------------------- find_numbers


def _found(text: str) -> list[tuple[str, float | None, float | None, bool]]:
    return [
        (text[f.start : f.end], f.number.value, f.number.denominator, f.number.percent)
        for f in find_numbers(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("đạt 18/18 điểm", [("18/18", 18, 18, False)]),
        ("đạt 82,1/100 điểm", [("82,1/100", 82.1, 100, False)]),
        ("đạt 7,5/12 điểm", [("7,5/12", 7.5, 12, False)]),
        ("15/20 chỉ tiêu", [("15/20", 15, 20, False)]),
        ("10/14 xã", [("10/14", 10, 14, False)]),
        ("11/11 đơn vị", [("11/11", 11, 11, False)]),
        ("có 03 đơn vị", [("03", 3, None, False)]),
        ("tỷ lệ 95,73% hồ sơ", [("95,73%", 95.73, None, True)]),
        ("tiếp nhận 921.747 hồ sơ", [("921.747", 921747, None, False)]),
        ("đạt 1/1.", [("1/1", 1, 1, False)]),
        ("167(39,39%)", [("167", 167, None, False), ("39,39%", 39.39, None, True)]),
        ("đạt 5đ.", [("5", 5, None, False)]),
        ("từ 5-7 ngày", [("5", 5, None, False), ("7", 7, None, False)]),
        ("giảm -5 điểm", [("-5", -5, None, False)]),
    ],
)
def test_find_numbers_returns_figures(text: str, expected: list[tuple]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.1. Điểm đánh giá đạt 8,75 điểm", [8.75]),
        ("2.1. Kết quả: 10/14 xã", [10]),
        ("1. Kết quả 03 đơn vị", [3]),
        ("II. Kết quả 03 đơn vị", [3]),
        ("Mở đầu\n3.1 Điểm 12", [12]),
        ("## 2.1. Kết quả 5", [5]),
        ("1.527 hồ sơ", [1527]),  # a figure at the start of a line is no heading
    ],
)
def test_find_numbers_skips_heading_numbering(text: str, expected: list[float]) -> None:
    assert [f.number.value for f in find_numbers(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Báo cáo 128 /BC-UBND",
        "Số: 22/BC-UBND",
        "291/NPUB-KSTT",
        "572/KH-UBND",
        "459/QĐ-UBND",
        "766/QĐ-TTg",
        "61/2018/NĐ-CP",
        "01/2018/TT-VPCP",
        "1510/UBND-VP",
        "ngày 08/3/2024",
        "24/3/2023",
        "23/6/2022",
        "ngày 08-3-2024",
        "tháng 05/2024",
        "ngày 24/3",
        "tuần 03/2024",
        "Tuần 12 (từ 18/3 đến 24/3/2024)",
        "xem https://dichvucong.gov.vn/p/home?id=12345&v=2",
        "COVID-19",
    ],
)
def test_find_numbers_skips_codes_dates_urls(text: str) -> None:
    assert find_numbers(text) == []


def test_find_numbers_keeps_figures_around_skipped_spans() -> None:
    text = "Theo Kế hoạch 572/KH-UBND ngày 08/3/2024, có 10/14 xã đạt 95,73%."
    assert _found(text) == [("10/14", 10, 14, False), ("95,73%", 95.73, None, True)]
    assert _found("Kết quả tuần 34/2024 có 5 đơn vị đạt xuất sắc") == [("5", 5, None, False)]
    assert _found("tăng từ 10/14 lên 12/14 xã") == [("10/14", 10, 14, False), ("12/14", 12, 14, False)]


# ---------------------------------------------------------------- format_vi


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1550008, 0, "1.550.008"),
        (8.75, 2, "8,75"),
        (78.57, 2, "78,57"),
        (1527, 0, "1.527"),
        (0.5, 1, "0,5"),
        (-1234.5, 1, "-1.234,5"),
    ],
)
def test_format_vi(value: float, decimals: int, expected: str) -> None:
    assert format_vi(value, decimals) == expected


# ---------------------------------------------------------------- properties

_DECIMALS = st.integers(min_value=0, max_value=4)


@st.composite
def _printed(draw: st.DrawFn, max_value: int = 10**9) -> tuple[float, int]:
    """A value exactly representable at its printed decimals: n / 10**d."""
    decimals = draw(_DECIMALS)
    scaled = draw(st.integers(min_value=0, max_value=max_value * 10**decimals))
    return scaled / 10**decimals, decimals


@given(_printed())
def test_format_vi_round_trip(printed: tuple[float, int]) -> None:
    value, decimals = printed
    number = parse_number(format_vi(value, decimals))
    assert math.isclose(number.value, value, rel_tol=1e-9, abs_tol=1e-12)
    assert number.decimals == decimals


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=2), st.data())
def test_english_decimal_parses(whole: int, decimals: int, data: st.DataObject) -> None:
    fraction = data.draw(st.integers(min_value=0, max_value=10**decimals - 1))
    text = f"{whole}.{fraction:0{decimals}d}"
    number = parse_number(text)
    assert math.isclose(number.value, float(text), rel_tol=1e-12)
    assert number.decimals == decimals


@given(_printed(max_value=10**6), _printed(max_value=10**6))
def test_fraction_parses(achieved: tuple[float, int], maximum: tuple[float, int]) -> None:
    text = f"{format_vi(*achieved)}/{format_vi(*maximum)}"
    number = parse_number(text)
    assert math.isclose(number.value, achieved[0], rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(number.denominator, maximum[0], rel_tol=1e-9, abs_tol=1e-12)
    assert number.decimals == achieved[1]


@given(st.text())
def test_parse_number_raises_only_not_a_number(text: str) -> None:
    try:
        number = parse_number(text)
    except NotANumber:
        return
    assert isinstance(number, Number)
    assert number.value is None or math.isfinite(number.value)


@given(st.text(alphabet=st.sampled_from("0123456789.,/%- \nđiểmABC()Đ:htps")) | st.text())
def test_find_numbers_offsets(text: str) -> None:
    previous_end = 0
    for found in find_numbers(text):
        assert previous_end <= found.start < found.end <= len(text)
        assert text[found.start : found.end] == found.number.text
        assert found.number.value is not None
        previous_end = found.end


# ---------------------------------------------------------------- parse_change: a ranking's change column


@pytest.mark.parametrize(("text", "value", "decimals"), [
    ("+2,5", 2.5, 1), ("-1,25", -1.25, 2), ("−1,25", -1.25, 2), ("–0,5", -0.5, 1), ("↑3", 3, 0), ("▲ 2", 2, 0),
    ("↓ 1", -1, 0), ("▼2", -2, 0), ("tăng 2 bậc", 2, 0), ("Giảm 1 hạng", -1, 0), ("+0,75 điểm", 0.75, 2),
    ("3", 3, 0), ("0", 0, 0), ("=", 0, 0), ("không đổi", 0, 0), ("<b>+1,5</b>", 1.5, 1),
])
def test_parse_change(text: str, value: float, decimals: int) -> None:
    change = parse_change(text)
    assert (change.value, change.decimals) == (value, decimals)


@pytest.mark.parametrize("text", ["", "-", "–", "—"])
def test_a_blank_change_does_not_apply(text: str) -> None:
    assert parse_change(text).value is None


@pytest.mark.parametrize("text", ["+", "↑", "tăng", "Xã A", "06/63", "5%", "2,5 lần"])
def test_no_change(text: str) -> None:
    assert parse_change(text) is None
