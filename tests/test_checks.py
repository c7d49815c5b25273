"""Every within-report rule of phuluc.load.checks, on records built directly from real report rows.

Each rule has at least one case that fires (rule, unit, expected, actual asserted) and at least one
realistic near-case that must stay silent. Figures are written as the reports print them ("29,82",
"55/70") so the rounding tolerance is the one the print allows (shared/fixtures/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc import messages
from phuluc.load.checks import CHECKS, SEVERITY, run_checks
from phuluc.load.checks import printed as printed_field
from phuluc.model import (
    Criterion,
    Finding,
    Formula,
    Number,
    Report,
    ReportMeta,
    Row,
    ScoreTable,
    Statement,
)

F459, F1187, F766 = "459/QĐ-UBND", "1187/QĐ-UBND", "766/QĐ-TTg"

# ---------------------------------------------------------------- factory


def num(text: str) -> Number:
    """A printed figure: "29,82" → 29.82 with 2 decimals, "55/70" → 55 over 70, "-"/"" → not applicable."""
    t = text.strip()
    if t in ("", "-"):
        return Number(None, text)
    percent = t.endswith("%")
    t = t.rstrip("%").strip()
    denominator = None
    if "/" in t:
        t, below = (p.strip() for p in t.split("/"))
        denominator = float(below.replace(",", "."))
    t = t.replace(",", ".")
    decimals = len(t.split(".")[1]) if "." in t else 0
    return Number(float(t), text, decimals, denominator, percent)


def _n(value: str | Number | None) -> Number | None:
    return num(value) if isinstance(value, str) else value


def row(unit_raw: str, values: Sequence[str] = (), total: str | Number | None = None, *,
        unit: str | None = "same", converted: str | None = None, **kw: object) -> Row:
    """A unit row; `unit` defaults to the printed name (a matched unit)."""
    return Row(unit_raw=unit_raw, unit=unit_raw if unit == "same" else unit,
               values=tuple(num(v) for v in values), total=_n(total), converted=_n(converted), **kw)


def total_row(label: str, values: Sequence[str]) -> Row:
    return Row(unit_raw=label, unit=None, values=tuple(num(v) for v in values), is_total_row=True)


def table(rows: Sequence[Row], criteria: Sequence[Criterion] | None = None, *, kind: str = "scores",
          source: str = "table", **kw: object) -> ScoreTable:
    if criteria is None:
        width = max((len(r.values) for r in rows), default=0)
        criteria = tuple(Criterion(f"Cột {k + 1}") for k in range(width))
    return ScoreTable(kind=kind, source=source, criteria=tuple(criteria), rows=tuple(rows), **kw)


def report(*tables: ScoreTable, framework: str | None = F459, **kw: object) -> Report:
    return Report(source="bao-cao.txt", sha256="0" * 64, format="text", meta=ReportMeta(framework=framework),
                  tables=tables, **kw)


def run(rule: str, rep: Report) -> list[Finding]:
    found = list(CHECKS[rule](rep))
    assert all(f.rule == rule and f.severity == SEVERITY[rule] for f in found)
    return found


def brief(found: Sequence[Finding]) -> list[tuple[str, str | None, object, object]]:
    return [(f.rule, f.unit, f.expected, f.actual) for f in found]


# The eleven criteria of a 459/QĐ-UBND appendix (seed 000, Mường Nhé), printed left to right.
C459 = (
    Criterion("Chỉ số 1 (5đ)", "Nhóm công khai, minh bạch", 5),
    Criterion("Chỉ số 2 (5đ)", "Nhóm công khai, minh bạch", 5),
    Criterion("Chỉ số 3 (10đ)", "Nhóm công khai, minh bạch", 10),
    Criterion("Tiến độ, KQ giải quyết (30đ)", "Tiến độ, KQ giải quyết", 30),
    Criterion("Chỉ số 1 (10đ)", "Cung cấp DVTT", 10),
    Criterion("Chỉ số 2 (10đ)", "Cung cấp DVTT", 10),
    Criterion("Chỉ số 1 (5đ)", "Số hóa hồ sơ", 5),
    Criterion("Chỉ số 2 (10đ)", "Số hóa hồ sơ", 10),
    Criterion("Chỉ số 1 (5đ)", "Mức độ hài lòng", 5),
    Criterion("Chỉ số 2 (5đ)", "Mức độ hài lòng", 5),
    Criterion("Chỉ số 3 (5đ)", "Mức độ hài lòng", 5),
)

# Seed 000 (Mường Nhé, tháng 02/2024): every row reconciles; "-" = not applicable (max 70).
MUONG_NHE = [  # (printed name, code, canonical, values, total, converted, rating)
    ("UBND xã Sín Thầu", "03154", "Xã Sín Thầu", "- - - 30 10 - 0 0 5 5 5", "55/70", "78,57", "Khá"),
    ("UBND xã Sen Thượng", "03155", "Xã Sen Thượng", "- - - 30 10 - 5 10 5 5 5", "70/70", "100", "Xuất sắc"),
    ("UBND xã Leng Su Sìn", "03158", "Xã Leng Su Sìn", "- - - 30 10 - 5 0 5 5 5", "60/70", "85,71", "Tốt"),
    ("UBND xã Mường Nhé", "03160", "Xã Mường Nhé", "- - - 30 10 - 5 8,75 5 5 5", "68,75/70", "98,21", "Xuất sắc"),
    ("UBND xã Nậm Vì", "03161", "Xã Nậm Vì", "- - - 30 10 - 5 6,7 5 5 5", "66,7/70", "95,29", "Xuất sắc"),
    ("UBND xã Huổi Léch", "03177", "Xã Huổi Lếnh", "- - - 30 10 - 5 0,5 5 5 5", "60,5/70", "86,43", "Tốt"),
    ("UBND xã Pá Mỳ", "03159", "Xã Pá Mỳ", "- - - 30 10 - 5 0 5 5 5", "60/70", "85,71", "Tốt"),
    ("UBND xã Mường Toong", "03163", "Xã Mường Toong", "- - - 30 9,4 - 4,7 9,4 5 5 5", "68,5/70", "97,86", "Xuất sắc"),
    ("UBND xã Quảng Lâm", "03164", "Xã Quảng Lâm", "- - - 22,5 10 - 5 0 5 5 5", "52,5/70", "75", "Khá"),
    ("UBND xã Chung Chải", "03157", "Xã Chung Chải", "- - - 30 10 - 5 9,2 5 5 5", "69,2/70", "98,86", "Xuất sắc"),
    ("UBND xã Nậm Kè", "03162", "Xã Nậm Kè", "- - - 30 10 - 5 0 5 5 5", "60/70", "85,71", "Tốt"),
]
MUONG_NHE_CHILDREN = tuple(sorted((code, name) for _, code, name, *_ in MUONG_NHE))


def muong_nhe_rows(skip: str | None = None) -> list[Row]:
    return [row(raw, values.split(), total, unit=name, unit_code=code, converted=converted, total_max=70,
                rating=rating, claims_unit=True, section="UBND CÁC XÃ")
            for raw, code, name, values, total, converted, rating in MUONG_NHE if name != skip]


def muong_nhe(**kw: object) -> Report:
    return report(table(muong_nhe_rows(), C459, **kw))


def test_every_rule_of_the_contract_has_a_check() -> None:
    expected = set(SEVERITY) - {"CONFLICTING_SUBMISSION"}  # across reports: load/db.py
    assert set(CHECKS) == expected
    assert len(CHECKS) == 16


def test_a_clean_real_table_raises_only_its_unlabeled_column() -> None:
    """Seed 000 as read: every sum, conversion, rating and maximum holds; the 12th column has no label."""
    found = run_checks(muong_nhe(unlabeled_columns=1))
    assert [(f.rule, f.unit, f.params) for f in found] == [("UNLABELED_COLUMN", None, (("detail", "12"),))]


# ---------------------------------------------------------------- SUM_MISMATCH


def test_sum_within_the_rounding_of_the_printed_digits_is_not_a_finding() -> None:
    """Mường Thín (seed 001): the printed components add to 58,52 against a printed 58,42; the half-units of
    29,82, 3,3, 1,9, 0,3, 3,2 and 58,42 allow 0,21."""
    r = row("UBND xã Mường Thín", ["29,82", "3,3", "1,9", "0,3", "3,2", "5", "5", "5", "5"], "58,42",
            unit="Xã Mường Thín")
    assert run("SUM_MISMATCH", report(table([r]))) == []


def test_sum_mismatch_on_the_groups_of_a_766_prose_report() -> None:
    """Mỹ Thanh (seed 003): 18 + 15 + 7,5 + 7,2 + 18 + 18 = 83,7, the stated total is 82,1."""
    r = row("xã Mỹ Thanh", ["18", "15", "7,5", "7,2", "18", "18"], "82,1", unit="Xã Mỹ Thanh", total_max=100,
            converted="82,1", rating="Tốt")
    found = run("SUM_MISMATCH", report(table([r], source="prose"), framework=F766))
    assert brief(found) == [("SUM_MISMATCH", "Xã Mỹ Thanh", 83.7, 82.1)]
    assert found[0].unit_raw == "xã Mỹ Thanh" and found[0].table == 0


def test_integer_total_equal_to_the_sum_is_not_a_finding() -> None:
    r = row("UBND xã Pú Nhung", ["30,25", "10", "8,75", "5", "20"], "74", unit="Xã Pú Nhung")
    assert run("SUM_MISMATCH", report(table([r]))) == []


def test_integer_figures_count_as_exact() -> None:
    """Printed without decimals, 30 + 10 + 9 + 5 + 20 = 74 cannot be printed 75."""
    r = row("UBND xã Pú Nhung", ["30", "10", "9", "5", "20"], "75", unit="Xã Pú Nhung")
    assert brief(run("SUM_MISMATCH", report(table([r])))) == [("SUM_MISMATCH", "Xã Pú Nhung", 74.0, 75.0)]


def test_sum_ignores_not_applicable_cells_and_total_rows() -> None:
    rows = muong_nhe_rows() + [total_row("Tổng cộng", ["-", "-", "-", "1", "1", "1", "1", "1", "1", "1", "1"])]
    assert run("SUM_MISMATCH", report(table(rows, C459))) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 2)), min_size=1, max_size=11),
       st.integers(1, 2))
def test_a_total_rounded_from_the_printed_components_never_fires(parts: list[tuple[int, int]],
                                                                   total_decimals: int) -> None:
    """Any total that is the exact sum rounded to 1–2 printed decimals is within the tolerance."""
    texts = [f"{k / 10 ** d:.{d}f}".replace(".", ",") for k, d in parts]
    exact = sum(k / 10 ** d for k, d in parts)
    printed = f"{exact:.{total_decimals}f}".replace(".", ",")
    r = row("UBND xã Ta Ma", texts, printed, unit="Xã Ta Ma")
    assert run("SUM_MISMATCH", report(table([r]))) == []


# ---------------------------------------------------------------- CONVERTED_MISMATCH


def test_converted_score_of_a_real_row_holds() -> None:
    r = row("UBND xã Sín Thầu", total="55/70", total_max=70, converted="78,57", unit="Xã Sín Thầu")
    assert run("CONVERTED_MISMATCH", report(table([r]))) == []


def test_converted_mismatch() -> None:
    """63,28 / 70 × 100 = 90,4, printed 91,6."""
    r = row("UBND xã Mường Mùn", total="63,28/70", total_max=70, converted="91,6", unit="Xã Mường Mùn")
    found = run("CONVERTED_MISMATCH", report(table([r])))
    assert brief(found) == [("CONVERTED_MISMATCH", "Xã Mường Mùn", 90.4, 91.6)]
    assert found[0].expected == pytest.approx(63.28 / 70 * 100, abs=0.005)


def test_converted_to_one_decimal_over_an_applicable_maximum_of_85() -> None:
    """Bộ phận một cửa huyện (seed 001): 77,17 / 85 × 100 = 90,788…, printed 90,8."""
    r = row("Bộ phận Tiếp nhận và trả kết quả huyện", total="77,17", total_max=85, converted="90,8", unit=None)
    assert run("CONVERTED_MISMATCH", report(table([r]))) == []


def test_converted_one_digit_off_at_one_decimal_fires() -> None:
    r = row("Bộ phận Tiếp nhận và trả kết quả huyện", total="77,17", total_max=85, converted="90,9", unit=None)
    found = run("CONVERTED_MISMATCH", report(table([r])))
    assert brief(found) == [("CONVERTED_MISMATCH", None, 90.79, 90.9)]
    assert found[0].unit_raw == "Bộ phận Tiếp nhận và trả kết quả huyện"


def test_converted_is_not_judged_for_prose_tables() -> None:
    r = row("xã Mỹ Thanh", total="82,1", total_max=100, converted="83,7", unit="Xã Mỹ Thanh")
    assert run("CONVERTED_MISMATCH", report(table([r], source="prose"), framework=F766)) == []


# ---------------------------------------------------------------- RATING_MISMATCH


def rated(score: str, rating: str, framework: str) -> Report:
    if framework == F1187:
        r = row("UBND huyện Điện Biên Đông", total=score, total_max=18, rating=rating, unit="Huyện Điện Biên Đông")
    else:
        r = row("UBND xã Nà Sáy", total="50", total_max=70, converted=score, rating=rating, unit="Xã Nà Sáy")
    return report(table([r]), framework=framework)


@pytest.mark.parametrize(("score", "rating", "framework"), [
    ("89,6", "Tốt", F459),
    ("90,1", "Xuất sắc", F459),
    ("90", "Xuất sắc", F459),
    ("70", "Khá", F459),
    ("15,00", "Xuất sắc", F1187),
    ("14,84", "Tốt", F1187),
    ("13,93", "Tốt", F1187),
    ("13,2", "Đạt", F1187),  # below 15 the 1187 bands are not published
    ("9,5", "Yếu", F1187),
])
def test_rating_in_its_band_is_not_a_finding(score: str, rating: str, framework: str) -> None:
    assert run("RATING_MISMATCH", rated(score, rating, framework)) == []


@pytest.mark.parametrize(("score", "rating", "framework", "expected"), [
    ("55,7", "Yếu", F459, "Trung bình"),
    ("89,99", "Xuất sắc", F459, "Tốt"),
    ("90", "Tốt", F459, "Xuất sắc"),
    ("49,9", "Trung bình", F459, "Yếu"),
    ("14,84", "Xuất sắc", F1187, "Tốt"),
    ("16", "Tốt", F1187, "Xuất sắc"),
    ("15", "Đạt", F1187, "Xuất sắc"),
])
def test_rating_mismatch(score: str, rating: str, framework: str, expected: str) -> None:
    unit = "Huyện Điện Biên Đông" if framework == F1187 else "Xã Nà Sáy"
    assert brief(run("RATING_MISMATCH", rated(score, rating, framework))) == [
        ("RATING_MISMATCH", unit, expected, rating)]


def test_rating_is_read_on_the_computed_conversion_when_none_is_printed() -> None:
    """459 rates the converted score: 55/70 = 78,57 is Khá even though 55 alone would be Trung bình."""
    ok = row("UBND xã Sín Thầu", total="55/70", total_max=70, rating="Khá", unit="Xã Sín Thầu")
    bad = row("UBND xã Sín Thầu", total="55/70", total_max=70, rating="Trung bình", unit="Xã Sín Thầu")
    assert run("RATING_MISMATCH", report(table([ok]))) == []
    assert brief(run("RATING_MISMATCH", report(table([bad])))) == [
        ("RATING_MISMATCH", "Xã Sín Thầu", "Khá", "Trung bình")]


def test_rating_is_not_judged_without_a_framework() -> None:
    r = row("UBND xã Nà Sáy", total="50", total_max=70, converted="55,7", rating="Yếu", unit="Xã Nà Sáy")
    assert run("RATING_MISMATCH", report(table([r]), framework=None)) == []


def test_table_framework_overrides_the_report_framework() -> None:
    """A 1187 table (total of 18) in a report whose text names 459: 16 is Xuất sắc (as 16/18 = 88,9 it
    would be Tốt under 459)."""
    r = row("Sở Tư pháp", total="16", total_max=18, rating="Xuất sắc")
    assert run("RATING_MISMATCH", report(table([r], framework=F1187), framework=F459)) == []


# ---------------------------------------------------------------- OVER_MAX / MAX_MISMATCH


def test_over_max_a_value_above_its_criterion() -> None:
    r = row("UBND xã Nậm Vì", "- - - 30 10 - 6 6,7 5 5 5".split(), "67,7/70", unit="Xã Nậm Vì", total_max=70)
    found = run("OVER_MAX", report(table([r], C459)))
    assert brief(found) == [("OVER_MAX", "Xã Nậm Vì", 5, 6.0)]
    f = found[0]
    assert (f.about, f.criterion, f.cells) == ("values[6]", "Chỉ số 1 (5đ)", ("6",))
    assert messages.finding(f, "vi") == "Xã Nậm Vì: Chỉ số 1 (5đ) ghi 6, vượt điểm tối đa 5"
    assert messages.finding(f, "en") == "Xã Nậm Vì: Chỉ số 1 (5đ) is 6, above its maximum 5"


def test_over_max_a_total_above_its_maximum() -> None:
    r = row("UBND xã Nậm Vì", total="72/70", total_max=70, unit="Xã Nậm Vì")
    found = run("OVER_MAX", report(table([r], C459)))
    assert brief(found) == [("OVER_MAX", "Xã Nậm Vì", 70, 72.0)]
    assert (found[0].about, found[0].criterion, found[0].cells) == ("total", None, ("72/70",))
    assert messages.finding(found[0], "en") == "Xã Nậm Vì: total is 72, above its maximum 70"
    assert messages.criterion(found[0].criterion, found[0].about, "vi") == "tổng điểm"


def test_full_marks_are_not_over_max() -> None:
    r = row("UBND xã Sen Thượng", "- - - 30 10 - 5 10 5 5 5".split(), "70/70", unit="Xã Sen Thượng",
            total_max=70)
    assert run("OVER_MAX", report(table([r], C459))) == []


def test_max_mismatch_printed_maximum_differs_from_applicable_maxima() -> None:
    """"55/75" where the applicable criteria (the non-"-" cells) have maxima adding to 70."""
    r = row("UBND xã Sín Thầu", "- - - 30 10 - 0 0 5 5 5".split(), "55/75", unit="Xã Sín Thầu", total_max=75)
    assert brief(run("MAX_MISMATCH", report(table([r], C459)))) == [("MAX_MISMATCH", "Xã Sín Thầu", 70, 75.0)]


def test_max_matching_the_applicable_criteria_or_not_printed_is_not_a_finding() -> None:
    printed = row("UBND xã Sín Thầu", "- - - 30 10 - 0 0 5 5 5".split(), "55/70", unit="Xã Sín Thầu", total_max=70)
    bare = row("UBND xã Sín Thầu", "- - - 30 10 - 0 0 5 5 5".split(), "55", unit="Xã Sín Thầu", total_max=70)
    assert run("MAX_MISMATCH", report(table([printed], C459))) == []
    assert run("MAX_MISMATCH", report(table([bare], C459))) == []


# ---------------------------------------------------------------- DUPLICATE_UNIT


def test_duplicate_unit_printed_two_ways() -> None:
    rows = muong_nhe_rows() + [row("UBND xã Huổi Lếnh", "- - - 30 10 - 5 0,5 5 5 5".split(), "60,5/70",
                                   unit="Xã Huổi Lếnh", unit_code="03177", page=6)]
    found = run("DUPLICATE_UNIT", report(table(rows, C459)))
    assert [(f.rule, f.unit, f.unit_raw, f.page) for f in found] == [
        ("DUPLICATE_UNIT", "Xã Huổi Lếnh", "UBND xã Huổi Lếnh", 6)]


def test_same_unit_in_two_tables_or_total_rows_are_not_duplicates() -> None:
    first = table(muong_nhe_rows() + [total_row("Tổng cộng", ["1"])], C459)
    second = table(muong_nhe_rows() + [total_row("Tổng cộng", ["1"])], C459)
    assert run("DUPLICATE_UNIT", report(first, second)) == []


# ---------------------------------------------------------------- ORDER_MISMATCH

# Seed 001 (Tuần Giáo, tháng 7/2023), the 19 communes sorted by converted score; Pú Xi (85,9) follows
# Tỏa Tình (85,7).
TUAN_GIAO = [
    ("Xã Chiềng Đông", "95"), ("Xã Ta Ma", "93,9"), ("Thị trấn Tuần Giáo", "90,1"), ("Xã Nà Sáy", "89,6"),
    ("Xã Quài Nưa", "88,4"), ("Xã Mường Mùn", "87,9"), ("Xã Quài Cang", "87,5"), ("Xã Tênh Phông", "87,1"),
    ("Xã Quài Tở", "85,9"), ("Xã Tỏa Tình", "85,7"), ("Xã Pú Xi", "85,9"), ("Xã Pú Nhung", "85,0"),
    ("Xã Phình Sáng", "84,5"), ("Xã Mường Khong", "82,4"), ("Xã Mùn Chung", "79,8"), ("Xã Nà Tòng", "75,1"),
    ("Xã Rạng Đông", "72,7"), ("Xã Mường Thín", "68,7"), ("Xã Chiềng Sinh", "64,8"),
]


def tuan_giao_rows(order: Sequence[tuple[str, str]] = TUAN_GIAO, section: str | None = "UBND CÁC XÃ, THỊ TRẤN"
                   ) -> list[Row]:
    return [row("UBND " + name.lower(), unit=name, converted=score, section=section) for name, score in order]


def test_one_row_out_of_score_order() -> None:
    rows = tuan_giao_rows()
    assert len(rows) == 19
    found = run("ORDER_MISMATCH", report(table(rows)))
    assert [(f.rule, f.unit, f.unit_raw) for f in found] == [("ORDER_MISMATCH", "Xã Pú Xi", "UBND xã pú xi")]
    assert (found[0].expected, found[0].actual) == (None, None)



def test_one_row_out_of_order_in_a_short_table() -> None:
    """Eight rows (seven pairs, one rising): still a sorted table with one row out; four rows with
    one rising pair are as likely a table in another order, and are not judged."""
    rows = tuan_giao_rows(TUAN_GIAO[6:14])
    assert [f.unit for f in run("ORDER_MISMATCH", report(table(rows)))] == ["Xã Pú Xi"]
    assert run("ORDER_MISMATCH", report(table(tuan_giao_rows(TUAN_GIAO[8:12])))) == []

def test_sorted_table_is_not_a_finding() -> None:
    in_order = sorted(TUAN_GIAO, key=lambda u: -num(u[1]).value)
    assert run("ORDER_MISMATCH", report(table(tuan_giao_rows(in_order)))) == []


def test_unsorted_table_is_not_judged() -> None:
    """A table in register order (many inversions) is not a table sorted by score."""
    by_name = sorted(TUAN_GIAO)
    rows = tuan_giao_rows(by_name)
    scores = [r.converted.value for r in rows]
    assert sum(b > a for a, b in zip(scores, scores[1:])) > 3
    assert run("ORDER_MISMATCH", report(table(rows))) == []


def test_sections_are_judged_separately() -> None:
    """The district office (90,8) heads its own section; the communes start again at 95."""
    office = row("Bộ phận Tiếp nhận và trả kết quả huyện", unit=None, converted="90,8", section="CẤP HUYỆN")
    rows = [office] + tuan_giao_rows()
    found = run("ORDER_MISMATCH", report(table(rows)))
    assert [f.unit for f in found] == ["Xã Pú Xi"]
    in_order = [office] + tuan_giao_rows(sorted(TUAN_GIAO, key=lambda u: -num(u[1]).value))
    assert run("ORDER_MISMATCH", report(table(in_order))) == []


def test_order_uses_the_total_when_no_converted_score_is_printed() -> None:
    """A 1187 table (seed 002): totals of 18, one department out of order."""
    totals = ["18", "18", "17,84", "17,7", "17,4", "17,32", "17", "17", "16,98", "17,5", "16", "15,98", "15,8"]
    rows = [row(f"Sở {k}", total=t, total_max=18) for k, t in enumerate(totals)]
    assert [f.unit for f in run("ORDER_MISMATCH", report(table(rows), framework=F1187))] == ["Sở 9"]


# ---------------------------------------------------------------- UNLABELED_COLUMN


def test_unlabeled_column_named_by_its_position() -> None:
    found = run("UNLABELED_COLUMN", muong_nhe(unlabeled_columns=1))
    assert [(f.rule, f.unit, f.expected, f.actual, f.table, dict(f.params)["detail"]) for f in found] == [
        ("UNLABELED_COLUMN", None, None, None, 0, "12")]


def test_labelled_columns_only_are_not_a_finding() -> None:
    assert run("UNLABELED_COLUMN", muong_nhe()) == []


# ---------------------------------------------------------------- FORMULA_MISMATCH / TOTAL_ROW_MISMATCH

# Biểu số 03 of seed 001: digitisation, with columns declared as formulas in the header.
C_DIGITISED = (
    Criterion("(1) Số hồ sơ tiếp nhận"), Criterion("(2) Số hồ sơ có số hóa thành phần HS"),
    Criterion("(3)=(2)/(1) Tỷ lệ"), Criterion("(5) Số hồ sơ chưa số hóa TPHS"),
    Criterion("(6)=(7)+(9) Số hồ sơ đã giải quyết"), Criterion("(7) Số hồ sơ có số hóa kết quả"),
    Criterion("(8)=(7)/(6) Tỷ lệ số hóa kết quả"), Criterion("(9) Số hồ sơ chưa số hóa kết quả"),
)
FORMULAS = (Formula(2, "/", (1, 0), "(3)=(2)/(1)"), Formula(4, "+", (5, 7), "(6)=(7)+(9)"),
            Formula(6, "/", (5, 4), "(8)=(7)/(6)"))
DIGITISED = [
    ("UBND xã Phình Sáng", "48 48 100 0 33 33 100 0"),
    ("UBND xã Tênh Phông", "8 8 100 0 8 8 100 0"),
    ("UBND xã Chiềng Đông", "46 46 100 0 46 45 97,83 1"),
    ("UBND xã Mùn Chung", "153 152 99,35 1 153 149 97,39 4"),
    ("UBND xã Mường Khong", "12 7 58,33 5 12 0 0 12"),
]
DIGITISED_TOTAL = "267 261 97,75 6 252 235 93,25 17"


def digitised(total: str = DIGITISED_TOTAL, extra: Sequence[Row] = ()) -> Report:
    rows = [row(name, values.split(), unit=None) for name, values in DIGITISED] + list(extra)
    rows.append(total_row("TỔNG SỐ", total.split()))
    return report(table(rows, C_DIGITISED, kind="other", formulas=FORMULAS))


def test_a_reconciled_digitisation_table_raises_nothing() -> None:
    rep = digitised()
    assert run("FORMULA_MISMATCH", rep) == []
    assert run("TOTAL_ROW_MISMATCH", rep) == []


def test_total_row_off_by_ten() -> None:
    found = run("TOTAL_ROW_MISMATCH", digitised("277 261 97,75 6 252 235 93,25 17"))
    assert brief(found) == [("TOTAL_ROW_MISMATCH", None, 267.0, 277.0)]
    assert dict(found[0].params)["detail"] == "(1) Số hồ sơ tiếp nhận"
    assert found[0].unit_raw == "TỔNG SỐ"


def test_percentage_column_of_the_total_row_is_not_summed() -> None:
    """Biểu số 02 (fees): "Tỷ lệ %" has no declared formula; its total is an overall ratio, not a sum."""
    criteria = (Criterion("Tổng số hồ sơ"), Criterion("Trực tuyến: Số hồ sơ"), Criterion("Tỷ lệ %"))
    rows = [row("UBND huyện Tuần Giáo", ["242", "215", "88,8"], unit=None),
            row("UBND xã Ta Ma", ["74", "57", "77"], unit=None),
            row("UBND xã Chiềng Đông", ["29", "19", "65,5"], unit=None),
            total_row("Tổng cộng", ["345", "291", "84,3"])]
    assert run("TOTAL_ROW_MISMATCH", report(table(rows, criteria, kind="other"))) == []
    rows[-1] = total_row("Tổng cộng", ["345", "281", "84,3"])
    assert brief(run("TOTAL_ROW_MISMATCH", report(table(rows, criteria, kind="other")))) == [
        ("TOTAL_ROW_MISMATCH", None, 291.0, 281.0)]



def test_a_total_under_a_column_no_row_fills_is_no_sum() -> None:
    """Figures of a total row that the reading put beside the body's columns: unsure, no finding."""
    criteria = (Criterion("Số hồ sơ"), Criterion("Số"))
    rows = [row("UBND xã Ta Ma", ["74", "-"], unit=None), row("UBND xã Chiềng Đông", ["29", ""], unit=None),
            total_row("TỔNG SỐ", ["103", "1915"])]
    assert run("TOTAL_ROW_MISMATCH", report(table(rows, criteria, kind="other"))) == []
    rows[1] = row("UBND xã Chiềng Đông", ["29", "5"], unit=None)
    assert brief(run("TOTAL_ROW_MISMATCH", report(table(rows, criteria, kind="other")))) == [
        ("TOTAL_ROW_MISMATCH", None, 5.0, 1915.0)]

def test_total_row_expected_is_rounded_like_the_other_rules() -> None:
    criteria = (Criterion("Phí, lệ phí (triệu đồng)"),)
    rows = [row("UBND xã Ta Ma", ["10,1"], unit=None), row("UBND xã Chiềng Đông", ["20,2"], unit=None),
            total_row("TỔNG SỐ", ["40,3"])]
    found = run("TOTAL_ROW_MISMATCH", report(table(rows, criteria, kind="other")))
    assert brief(found) == [("TOTAL_ROW_MISMATCH", None, 30.3, 40.3)]


def test_formula_ratio_mismatch() -> None:
    """"(3)=(2)/(1)": 52 / 129 = 40,31 %, printed 27,81."""
    bad = row("UBND xã Quài Nưa", "129 52 27,81 77 129 52 40,31 77".split(), unit="Xã Quài Nưa")
    found = run("FORMULA_MISMATCH", digitised("396 313 79,04 83 381 287 75,33 94", [bad]))
    assert brief(found) == [("FORMULA_MISMATCH", "Xã Quài Nưa", 40.31, 27.81)]
    assert found[0].expected == pytest.approx(52 / 129 * 100, abs=0.005)
    assert dict(found[0].params)["detail"] == "(3)=(2)/(1)"


def test_formula_ratio_within_half_a_unit_of_the_printed_value() -> None:
    """29 / 32 = 90,625 %: printed 90,63 (or 90,6 or 91) is right."""
    for printed in ("90,63", "90,6", "91"):
        ok = row("UBND xã Mường Thín", f"32 29 {printed} 3 32 29 {printed} 3".split(), unit="Xã Mường Thín")
        assert run("FORMULA_MISMATCH", digitised("299 290 96,99 9 284 264 92,96 20", [ok])) == []


def test_formula_sum_mismatch() -> None:
    bad = row("UBND xã Quài Cang", "20 20 100 0 21 18 85,71 2".split(), unit="Xã Quài Cang")
    found = run("FORMULA_MISMATCH", digitised("287 281 97,91 6 273 253 92,67 19", [bad]))
    # the row, and the total row that adds its 21 in
    assert brief(found) == [("FORMULA_MISMATCH", "Xã Quài Cang", 20.0, 21.0), ("FORMULA_MISMATCH", None, 272.0, 273.0)]
    assert [dict(f.params)["detail"] for f in found] == ["(6)=(7)+(9)"] * 2
    assert found[1].unit_raw == "TỔNG SỐ"


# ---------------------------------------------------------------- MISSING_UNIT / UNKNOWN_UNIT


def test_missing_unit_of_the_issuer() -> None:
    rep = report(table(muong_nhe_rows(skip="Xã Nậm Kè"), C459), issuer_children=MUONG_NHE_CHILDREN)
    found = run("MISSING_UNIT", rep)
    assert brief(found) == [("MISSING_UNIT", "Xã Nậm Kè", None, None)]


def test_no_missing_unit_when_every_child_has_a_row() -> None:
    assert run("MISSING_UNIT", report(table(muong_nhe_rows(), C459), issuer_children=MUONG_NHE_CHILDREN)) == []


def test_no_missing_unit_for_a_table_about_other_units() -> None:
    """A district report whose only table rates its departments: no row is one of its communes."""
    rows = [row("Phòng Tư pháp", total="17", total_max=18, rating="Xuất sắc", unit=None),
            row("Văn phòng HĐND và UBND", total="18", total_max=18, rating="Xuất sắc", unit=None)]
    assert run("MISSING_UNIT", report(table(rows), issuer_children=MUONG_NHE_CHILDREN, framework=F1187)) == []
    assert run("MISSING_UNIT", report(issuer_children=MUONG_NHE_CHILDREN)) == []


def test_unknown_unit_claiming_a_registered_unit() -> None:
    r = row("UBND xã Nậm Tông", total="60/70", total_max=70, unit=None, claims_unit=True, page=5)
    found = run("UNKNOWN_UNIT", report(table([r])))
    assert [(f.rule, f.unit, f.unit_raw, f.expected, f.actual, f.page) for f in found] == [
        ("UNKNOWN_UNIT", None, "UBND xã Nậm Tông", None, None, 5)]


def test_office_without_a_register_is_not_unknown() -> None:
    office = row("Bộ phận Tiếp nhận và trả kết quả huyện", total="77,17", total_max=85, converted="90,8",
                 unit=None, claims_unit=False)
    matched = row("UBND xã Nà Sáy", total="60/70", total_max=70, unit="Xã Nà Sáy", claims_unit=True)
    total = Row(unit_raw="Tổng cộng", values=(), unit=None, is_total_row=True, claims_unit=True)
    assert run("UNKNOWN_UNIT", report(table([office, matched, total]))) == []


# ---------------------------------------------------------------- MISSING_APPENDIX


def test_missing_appendix() -> None:
    found = run("MISSING_APPENDIX", report(refers_to_appendix=True, framework=F1187))
    assert brief(found) == [("MISSING_APPENDIX", None, None, None)]


def test_appendix_present_or_not_referred_to() -> None:
    assert run("MISSING_APPENDIX", report(table(muong_nhe_rows(), C459), refers_to_appendix=True)) == []
    assert run("MISSING_APPENDIX", report(refers_to_appendix=False)) == []


def test_a_table_read_from_prose_is_not_the_attached_appendix() -> None:
    prose = row("xã Mỹ Thanh", ["18", "15", "7,5", "7,2", "18", "17"], "82,1", unit="Xã Mỹ Thanh",
                total_max=100, converted="82,1", rating="Tốt")
    rep = report(table([prose], source="prose"), framework=F766, refers_to_appendix=True)
    assert brief(run("MISSING_APPENDIX", rep)) == [("MISSING_APPENDIX", None, None, None)]


# ---------------------------------------------------------------- SUMMARY_COUNT_MISMATCH


def summary_rows(*ratings: str) -> list[Row]:
    return [row(f"UBND xã {k}", total="60/70", total_max=70, unit=f"Xã {k}", rating=r)
            for k, r in enumerate(ratings)]


def test_summary_count_mismatch() -> None:
    """The body says 2 units are Đạt; the table has 1."""
    rep = report(table(summary_rows("Xuất sắc", "Đạt", "Tốt")),
                 summary=(Statement("Xuất sắc", 1), Statement("Đạt", 2), Statement("Tốt", 1)))
    found = run("SUMMARY_COUNT_MISMATCH", rep)
    assert brief(found) == [("SUMMARY_COUNT_MISMATCH", None, 1, 2)]
    assert dict(found[0].params)["rating"] == "Đạt"


def test_summary_count_mismatch_once_per_report() -> None:
    rep = report(table(summary_rows("Xuất sắc", "Đạt", "Tốt")),
                 summary=(Statement("Xuất sắc", 2), Statement("Đạt", 2), Statement("Tốt", 1)))
    found = run("SUMMARY_COUNT_MISMATCH", rep)
    assert len(found) == 1
    assert (found[0].unit, dict(found[0].params)["rating"], found[0].expected, found[0].actual) == (
        None, "Xuất sắc", 1, 2)


def test_ratings_the_body_leaves_out_count_as_zero() -> None:
    rep = report(table(summary_rows("Xuất sắc", "Đạt", "Tốt")),
                 summary=(Statement("Xuất sắc", 1), Statement("Đạt", 1)))
    found = run("SUMMARY_COUNT_MISMATCH", rep)
    assert brief(found) == [("SUMMARY_COUNT_MISMATCH", None, 1, 0)]
    assert dict(found[0].params)["rating"] == "Tốt"


def test_summary_counts_that_agree_are_not_a_finding() -> None:
    """Seed 000: 05 Xuất sắc, 04 Tốt, 02 Khá, "Không có đơn vị xếp loại Trung bình, Yếu"."""
    summary = (Statement("Xuất sắc", 5), Statement("Tốt", 4), Statement("Khá", 2), Statement("Trung bình", 0),
               Statement("Yếu", 0))
    assert run("SUMMARY_COUNT_MISMATCH", report(table(muong_nhe_rows(), C459), summary=summary)) == []


def test_summary_counts_over_scopes_add_up() -> None:
    """Seed 001: the district office (1 Xuất sắc) and the communes (3 Xuất sắc) against one table."""
    rows = summary_rows("Xuất sắc", "Xuất sắc", "Xuất sắc", "Xuất sắc", "Tốt")
    summary = (Statement("Xuất sắc", 1, scope="Bộ phận Tiếp nhận và trả kết quả cấp huyện"),
               Statement("Xuất sắc", 3, scope="UBND các xã, thị trấn"), Statement("Tốt", 1))
    assert run("SUMMARY_COUNT_MISMATCH", report(table(rows), summary=summary)) == []


def test_no_summary_count_mismatch_without_a_table() -> None:
    rep = report(summary=(Statement("Xuất sắc", 9), Statement("Tốt", 8)), refers_to_appendix=True,
                 framework=F1187)
    assert run("SUMMARY_COUNT_MISMATCH", rep) == []


# ---------------------------------------------------------------- SUMMARY_UNIT_MISMATCH


def test_summary_unit_listed_under_another_rating() -> None:
    rows = muong_nhe_rows()
    summary = (Statement("Tốt", 4, units=("Xã Huổi Lếnh", "Xã Leng Su Sìn", "Xã Pá Mỳ", "Xã Sín Thầu"),
                         units_raw=("UBND xã Huổi Léch", "UBND xã Leng Su Sìn", "UBND xã Pá Mỳ",
                                    "UBND xã Sín Thầu"), page=1),)
    found = run("SUMMARY_UNIT_MISMATCH", report(table(rows, C459), summary=summary))
    assert brief(found) == [("SUMMARY_UNIT_MISMATCH", "Xã Sín Thầu", "Khá", "Tốt")]
    assert (found[0].unit_raw, found[0].page) == ("UBND xã Sín Thầu", 1)


def test_summary_units_with_their_table_rating_are_not_a_finding() -> None:
    summary = (Statement("Khá", 2, units=("Xã Sín Thầu", "Xã Quảng Lâm"),
                         units_raw=("UBND xã Sín Thầu", "UBND xã Quảng Lâm")),
               Statement("Tốt", 4, units=("Xã Huổi Lếnh", "Xã Leng Su Sìn", "Xã Pá Mỳ", "Xã Nậm Kè"),
                         units_raw=("UBND xã Huổi Léch", "UBND xã Leng Su Sìn", "UBND xã Pá Mỳ",
                                    "UBND xã Nậm Kè")))
    assert run("SUMMARY_UNIT_MISMATCH", report(table(muong_nhe_rows(), C459), summary=summary)) == []


def test_summary_unit_without_a_row() -> None:
    summary = (Statement("Xuất sắc", 1, units=("Xã Chà Cang",), units_raw=("UBND xã Chà Cang",)),)
    found = run("SUMMARY_UNIT_MISMATCH", report(table(muong_nhe_rows(), C459), summary=summary))
    assert brief(found) == [("SUMMARY_UNIT_MISMATCH", "Xã Chà Cang", None, "Xuất sắc")]


# ---------------------------------------------------------------- OCR_LOW_CONFIDENCE


def test_ocr_low_confidence_cell() -> None:
    r = row("UBND xã Mường So", ["18", "17,7", "7,5", "9,1", "18", "22"], "96,8", unit="Xã Mường So",
            uncertain=("total",))
    found = run("OCR_LOW_CONFIDENCE", report(table([r]), framework=F766))
    assert [(f.rule, f.unit, f.expected, f.actual, f.about, f.cells) for f in found] == [
        ("OCR_LOW_CONFIDENCE", "Xã Mường So", None, None, "total", ("96,8",))]
    assert 'Ô "tổng điểm"' in messages.finding(found[0], "vi") and '"total"' in messages.finding(found[0], "en")
    # the sum misses the total by 4.5, but the total may be misread: no accusation
    assert run("SUM_MISMATCH", report(table([r]), framework=F766)) == []


def doubting(rep: Report, *fields: str) -> Report:
    """The report with `fields` of every row read by OCR with low confidence."""
    return replace(rep, tables=tuple(replace(t, rows=tuple(replace(r, uncertain=fields) for r in t.rows))
                                     for t in rep.tables))


DIGITISED_VALUES = tuple(f"values[{k}]" for k in range(8))


@pytest.mark.parametrize(("rule", "fields"), [
    ("SUM_MISMATCH", ("values[2]",)), ("SUM_MISMATCH", ("total",)),
    ("CONVERTED_MISMATCH", ("converted",)), ("CONVERTED_MISMATCH", ("total",)),
    ("RATING_MISMATCH", ("rating",)), ("RATING_MISMATCH", ("converted",)),
    ("OVER_MAX", ("values[6]",)), ("MAX_MISMATCH", ("total",)), ("MAX_MISMATCH", ("values[4]",)),
    ("FORMULA_MISMATCH", ("values[2]",)), ("FORMULA_MISMATCH", ("values[0]",)),
    ("TOTAL_ROW_MISMATCH", DIGITISED_VALUES), ("ORDER_MISMATCH", ("converted",)),
])
def test_arithmetic_on_a_doubtful_cell_abstains(rule: str, fields: tuple[str, ...]) -> None:
    """A finding that rests on a cell OCR could not read with confidence is not raised: the
    misread may be ours, and OCR_LOW_CONFIDENCE already names the cell."""
    rep = _firing()[rule]()
    assert run(rule, rep)
    assert run(rule, doubting(rep, *fields)) == []
    assert run("OCR_LOW_CONFIDENCE", doubting(rep, *fields)) or rule == "TOTAL_ROW_MISMATCH"


@pytest.mark.parametrize(("rule", "fields"), [
    ("SUM_MISMATCH", ("unit_raw",)), ("CONVERTED_MISMATCH", ("rating",)), ("RATING_MISMATCH", ("stt",)),
    ("OVER_MAX", ("values[7]",)), ("FORMULA_MISMATCH", ("values[6]",)),
])
def test_a_doubtful_cell_the_finding_does_not_rest_on_changes_nothing(rule: str, fields: tuple[str, ...]) -> None:
    rep = _firing()[rule]()
    assert brief(run(rule, doubting(rep, *fields))) == brief(run(rule, rep))


def test_message_of_a_finding_read_with_confidence_claims_no_misread() -> None:
    f = run("SUM_MISMATCH", doubting(_firing()["SUM_MISMATCH"](), "unit_raw"))[0]
    assert "misread" not in messages.finding(f, "en")


def test_cells_read_with_confidence_are_not_a_finding() -> None:
    r = row("UBND xã Mường So", ["18", "17,7"], "35,7", unit="Xã Mường So")
    total = Row(unit_raw="Tổng", values=(), unit=None, is_total_row=True, uncertain=("total",))
    assert run("OCR_LOW_CONFIDENCE", report(table([r, total]))) == []


# ---------------------------------------------------------------- messages


def _firing() -> dict[str, Callable[[], Report]]:
    mt = row("xã Mỹ Thanh", ["18", "15", "7,5", "7,2", "18", "18"], "82,1", unit="Xã Mỹ Thanh")
    return {
        "SUM_MISMATCH": lambda: report(table([mt], source="prose"), framework=F766),
        "CONVERTED_MISMATCH": lambda: report(table([row("UBND xã Mường Mùn", total="63,28/70", total_max=70,
                                                        converted="91,6", unit="Xã Mường Mùn")])),
        "RATING_MISMATCH": lambda: rated("55,7", "Yếu", F459),
        "OVER_MAX": lambda: report(table([row("UBND xã Nậm Vì", "- - - 30 10 - 6 6,7 5 5 5".split(), "67,7/70",
                                              unit="Xã Nậm Vì", total_max=70)], C459)),
        "MAX_MISMATCH": lambda: report(table([row("UBND xã Sín Thầu", "- - - 30 10 - 0 0 5 5 5".split(), "55/75",
                                                  unit="Xã Sín Thầu", total_max=75)], C459)),
        "DUPLICATE_UNIT": lambda: report(table(muong_nhe_rows() + muong_nhe_rows()[:1], C459)),
        "ORDER_MISMATCH": lambda: report(table(tuan_giao_rows())),
        "UNLABELED_COLUMN": lambda: muong_nhe(unlabeled_columns=1),
        "FORMULA_MISMATCH": lambda: digitised("396 313 79,04 83 381 287 75,33 94", [
            row("UBND xã Quài Nưa", "129 52 27,81 77 129 52 40,31 77".split(), unit="Xã Quài Nưa")]),
        "TOTAL_ROW_MISMATCH": lambda: digitised("277 261 97,75 6 252 235 93,25 17"),
        "MISSING_UNIT": lambda: report(table(muong_nhe_rows(skip="Xã Nậm Kè"), C459),
                                       issuer_children=MUONG_NHE_CHILDREN),
        "UNKNOWN_UNIT": lambda: report(table([row("UBND xã Nậm Tông", unit=None, claims_unit=True)])),
        "MISSING_APPENDIX": lambda: report(refers_to_appendix=True),
        "SUMMARY_COUNT_MISMATCH": lambda: report(table(summary_rows("Xuất sắc", "Đạt")),
                                                 summary=(Statement("Xuất sắc", 1), Statement("Đạt", 2))),
        "SUMMARY_UNIT_MISMATCH": lambda: report(table(muong_nhe_rows(), C459), summary=(
            Statement("Tốt", 1, units=("Xã Sín Thầu",), units_raw=("UBND xã Sín Thầu",)),)),
        "OCR_LOW_CONFIDENCE": lambda: report(table([row("UBND xã Mường So", total="96,8", unit="Xã Mường So",
                                                        uncertain=("total",))])),
    }


def test_every_rule_has_a_firing_example() -> None:
    assert set(_firing()) == set(CHECKS)


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_messages_render_in_both_languages(rule: str) -> None:
    found = run(rule, _firing()[rule]())
    assert found, rule
    f = found[0]
    vi, en = messages.finding(f, "vi"), messages.finding(f, "en")
    assert vi.strip() and en.strip()
    assert vi != en
    assert "{" not in vi + en and "}" not in vi + en
    name = f.unit or f.unit_raw
    if rule == "UNKNOWN_UNIT":
        name = f.unit_raw
    if rule in ("TOTAL_ROW_MISMATCH", "UNLABELED_COLUMN", "MISSING_APPENDIX", "SUMMARY_COUNT_MISMATCH"):
        assert f.unit is None  # a document- or table-level finding names no unit
    else:
        assert name and name in vi and name in en
    if rule in ("FORMULA_MISMATCH", "TOTAL_ROW_MISMATCH", "UNLABELED_COLUMN"):
        detail = dict(f.params)["detail"]
        assert detail in vi and detail in en
    if rule in ("OVER_MAX", "OCR_LOW_CONFIDENCE"):  # the field is named, a role in each language
        assert messages.figure(dict(f.params)["figure"], "vi") in vi
        assert messages.figure(dict(f.params)["figure"], "en") in en
    if rule == "SUMMARY_COUNT_MISMATCH":
        assert "Đạt" in vi and "Đạt" in en


def test_message_figures_follow_the_language() -> None:
    f = run("SUM_MISMATCH", _firing()["SUM_MISMATCH"]())[0]
    assert "83,7" in messages.finding(f, "vi") and "82,1" in messages.finding(f, "vi")
    assert "83.7" in messages.finding(f, "en") and "82.1" in messages.finding(f, "en")


def test_run_checks_keeps_rule_table_order() -> None:
    rep = report(table(muong_nhe_rows(skip="Xã Nậm Kè") + [row("UBND xã Nậm Tông", unit=None, claims_unit=True)],
                       C459, unlabeled_columns=1), issuer_children=MUONG_NHE_CHILDREN)
    assert [f.rule for f in run_checks(rep)] == ["UNLABELED_COLUMN", "MISSING_UNIT", "UNKNOWN_UNIT"]


def test_json_rows_name_their_doubtful_cells() -> None:
    """The JSON of a row carries the fields OCR read with low confidence, and only when there are any."""
    from phuluc.contract import to_json
    from phuluc.model import Extraction

    rep = report(table([row("UBND xã Mường So", ["18", "17,7"], "35,7", uncertain=("values[1]", "total")),
                        row("UBND xã Nà Sáy", ["18", "17,7"], "35,7")]))
    rows = to_json(Extraction(rep, run_checks(rep)))["tables"][0]["rows"]
    assert rows[0]["doubtful"] == ["values[1]", "total"] and "doubtful" not in rows[1]


_NO_ROW = {"MISSING_UNIT", "MISSING_APPENDIX", "SUMMARY_COUNT_MISMATCH", "UNLABELED_COLUMN"}


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_findings_name_their_place(rule: str) -> None:
    """A finding about a row says which (its index and STT), the field it is about, and that field's
    cells as printed, so that an auditor finds it without hunting; one about the document has none."""
    rep = _firing()[rule]()
    f = run(rule, rep)[0]
    if rule in _NO_ROW:
        assert (f.row, f.about, f.cells) == (None, None, ())
        return
    row = rep.tables[f.table].rows[f.row]
    assert row.unit_raw == f.unit_raw or rule == "SUMMARY_UNIT_MISMATCH"
    assert f.stt == row.stt and f.about
    assert f.cells and f.cells[0] == printed_field(row, f.about)
    assert messages.criterion(f.criterion, f.about, "vi") and messages.criterion(f.criterion, f.about, "en")
