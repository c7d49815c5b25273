"""Matching printed unit and department names (DOMAIN.md §5), on real units of the register."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc.normalize.units import Match, Matcher, Register, Unit, agency_successor, era_for, split_name


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def matcher(register: Register, issuer_code: str | None, era: str = "legacy") -> Matcher:
    issuer = register.get(issuer_code, era) if issuer_code else None
    return Matcher(register, issuer=issuer, era=era)


def resolved(m: Match) -> tuple[str | None, str | None, str]:
    return (m.unit.name, m.unit.code, m.via) if m.unit else (None, None, m.via)


# --- split_name, era_for ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("UBND xã Sín Thầu", ("xã", "Sín Thầu")),
        ("UBND thị trấn Tuần Giáo", ("thị trấn", "Tuần Giáo")),
        ("Xã Nậm Mạ", ("xã", "Nậm Mạ")),
        ("xã Sính Phình", ("xã", "Sính Phình")),
        ("UBND XÃ MƯỜNG MÍT", ("xã", "MƯỜNG MÍT")),
        ("TT Tuần Giáo", ("thị trấn", "Tuần Giáo")),
        ("TP Điện Biên Phủ", ("thành phố", "Điện Biên Phủ")),
        ("TP.Điện Biên Phủ", ("thành phố", "Điện Biên Phủ")),
        ("TX. Mường Lay", ("thị xã", "Mường Lay")),
        ("UBND thị xã Mường Lay", ("thị xã", "Mường Lay")),
        ("Ủy ban nhân dân huyện Tủa Chùa", ("huyện", "Tủa Chùa")),
        ("Uỷ ban nhân dân  phường\u00a0Mường Thanh", ("phường", "Mường Thanh")),
        ("Thành Phố Bắc Kạn", ("thành phố", "Bắc Kạn")),
        ("Đặc khu Phú Quốc", ("đặc khu", "Phú Quốc")),
        ("UBND Mỹ Thanh", (None, "Mỹ Thanh")),
        ("Mỹ Thanh", (None, "Mỹ Thanh")),
        ("Bộ phận Tiếp nhận và trả kết quả huyện", (None, "Bộ phận Tiếp nhận và trả kết quả huyện")),
        ("Xã", ("xã", "")),
    ],
)
def test_split_name(raw: str, expected: tuple[str | None, str]) -> None:
    assert split_name(raw) == expected


def test_split_name_is_nfc() -> None:
    assert split_name("UBND x\u0061\u0303 Pa\u0301 My\u0300") == ("xã", "Pá Mỳ")


@pytest.mark.parametrize(
    ("period", "date", "era"),
    [
        ("2024-02", None, "legacy"),
        ("2025-06", None, "legacy"),
        ("2025-Q2", "2025-07-15", "legacy"),  # a Q2 report written after the reform still scores the old units
        ("2025-H1", None, "legacy"),
        ("2023", None, "legacy"),
        ("2025-07", None, "current"),
        ("2025-Q3", None, "current"),
        ("2025-H2", None, "current"),
        ("2025-10", "2025-11-11", "current"),
        ("2026", None, "current"),
        ("2025", None, "legacy"),  # straddles the reform: legacy unless the report is dated after it
        ("2025", "2026-01-10", "current"),
        (None, None, "legacy"),
        (None, "2025-06-30", "legacy"),
        (None, "2025-07-01", "current"),
    ],
)
def test_era_for(period: str | None, date: str | None, era: str) -> None:
    assert era_for(period, date) == era


@pytest.mark.parametrize("period", ["2025-Q5", "2025/07", "07-2025", "2025-H3"])
def test_era_for_rejects_unknown_periods(period: str) -> None:
    with pytest.raises(ValueError):
        era_for(period)


# --- true matches -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "raw", "name", "code", "via"),
    [
        # Huyện Mường Nhé: the seed spells "Huổi Léch", the register "Huổi Lếnh" (ascii ratio 88.9)
        ("096", "UBND xã Huổi Léch", "Xã Huổi Lếnh", "03177", "fuzzy"),
        ("096", "UBND xã Huổi Lếch", "Xã Huổi Lếnh", "03177", "fuzzy"),  # the common spelling
        ("096", "UBND xã Sín Thầu", "Xã Sín Thầu", "03154", "exact"),
        ("096", "UBND huyện Mường Nhé", "Huyện Mường Nhé", "096", "exact"),
        # Huyện Tuần Giáo
        ("099", "Nà Tông", "Xã Nà Tòng", "03263", "ascii"),
        ("099", "UBND xã Toả Tình", "Xã Tỏa Tình", "03280", "exact"),
        ("099", "UBND xã Tỏa Tình", "Xã Tỏa Tình", "03280", "exact"),
        ("099", "UBND thị trấn Tuần Giáo", "Thị trấn Tuần Giáo", "03253", "exact"),
        ("099", "TT Tuần Giáo", "Thị trấn Tuần Giáo", "03253", "exact"),
        ("099", "UBND xã Mường Khong", "Xã Mường Khong", "03284", "exact"),
        ("099", "UBND xã Mường Khoong", "Xã Mường Khong", "03284", "fuzzy"),
        ("099", "Chieng Sinh", "Xã Chiềng Sinh", "03298", "ascii"),
        # Tỉnh Điện Biên (province report: districts, then their communes)
        ("11", "UBND huyện Tủa Chùa", "Huyện Tủa Chùa", "098", "exact"),
        ("11", "UBND thị xã Mường Lay", "Thị xã Mường Lay", "095", "exact"),
        ("11", "UBND thành phố Điện Biên Phủ", "Thành phố Điện Biên Phủ", "094", "exact"),
        ("11", "TP Điện Biên Phủ", "Thành phố Điện Biên Phủ", "094", "exact"),
        ("11", "UBND xã Huổi Lếnh", "Xã Huổi Lếnh", "03177", "exact"),
        ("11", "UBND xã Huổi Léch", "Xã Huổi Lếnh", "03177", "fuzzy"),  # Huổi Lèng (Mường Chà) 77.8
        # Lai Châu, Phú Thọ, Bắc Kạn
        ("110", "UBND XÃ MƯỜNG MÍT", "Xã Mường Mít", "03625", "exact"),
        ("106", "UBND xã Kbun Há", "Xã Khun Há", "03430", "fuzzy"),
        ("239", "UBND thị trấn Thanh Thuỷ", "Thị trấn Thanh Thủy", "08674", "exact"),
        ("239", "UBND xã Sơn Thứy", "Xã Sơn Thủy", "08677", "ascii"),
        ("02011", "Mỹ Thanh", "Xã Mỹ Thanh", "02011", "exact"),
        ("102", "UBND xã Ngối Cáỹ", "Xã Ngối Cáy", "03287", "ascii"),
    ],
)
def test_true_matches(register: Register, issuer: str, raw: str, name: str, code: str, via: str) -> None:
    m = matcher(register, issuer).match(raw)
    assert resolved(m) == (name, code, via)
    assert m.score == 100.0 if via == "exact" else 85.0 <= m.score < 100.0


def test_fuzzy_score_is_reported(register: Register) -> None:
    m = matcher(register, "096").match("UBND xã Huổi Léch")
    assert m.score == pytest.approx(88.89, abs=0.01)
    assert m.claims


# --- near misses --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "raw"),
    [
        ("099", "UBND xã Chiềng Sơn"),  # Chiềng Sinh 76.2: not a typo of it
        ("099", "UBND xã Mường Thanh"),  # a real phường (Điện Biên Phủ), 85.7 to Mường Thín
        ("099", "UBND xã Nậm Vì"),  # a commune of Mường Nhé
        ("099", "xã Tuần Giáo"),  # the kind disagrees with "Thị trấn Tuần Giáo"
        ("099", "UBND huyện Mường Nhé"),  # another district
        ("099", "Chiềng Sin"),  # a bare name is only taken exactly
        ("096", "UBND xã Huổi Lèng"),  # Mường Chà's commune, ascii 88.9 to Huổi Lếnh
        ("096", "UBND xã Nà Hỳ"),  # Nậm Pồ's commune
        ("096", "Mường Nhé"),  # both the district and its commune: no guess
        ("096", "UBND xã Mường Toong Nậm Kè"),
        ("102", "Tổng cộng"),
        ("106", "UBND xã Tam Đường"),  # it is a thị trấn
        ("110", "UBND thị trấn Mường Mít"),
        ("11", "UBND xã Tuần Giáo"),
        ("02011", "Cẩm Giàng"),  # the neighbouring commune, outside a commune's own scope
    ],
)
def test_near_misses_stay_unmatched(register: Register, issuer: str, raw: str) -> None:
    assert matcher(register, issuer).match(raw).unit is None


def test_cross_district_communes_never_match(register: Register) -> None:
    """Every commune of Điện Biên printed in another district's report: unmatched unless it is the same name."""
    for district in register.children("11", "legacy"):
        m = matcher(register, district.code)
        for other in register.children("11", "legacy"):
            if other is district:
                continue
            for ward in register.children(other.code, "legacy"):
                got = m.match(f"UBND {ward.name}").unit
                assert got is None or got.name == ward.name, (district.name, ward.name, got)


@pytest.mark.parametrize(
    ("raw", "claims"),
    [
        ("Bộ phận Tiếp nhận và trả kết quả huyện", False),
        ("Trung tâm Phục vụ hành chính công", False),
        ("TỔNG SỐ", False),
        ("Quài Nưa xã", False),
        ("UBND xã Không Có Thật", True),
        ("UBND huyện", True),
        ("Sở Không Có Thật", True),
        ("Ban Chỉ đạo cải cách hành chính", True),
    ],
)
def test_unmatched_claims(register: Register, raw: str, claims: bool) -> None:
    assert matcher(register, "099").match(raw) == Match(None, 0.0, claims, "")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_commune_matches_itself_in_its_district(data: st.DataObject) -> None:
    register = Register.load()
    districts = [u for u in register._units.values() if u.era == "legacy" and u.level == "district"]
    district = data.draw(st.sampled_from(districts))
    m = Matcher(register, issuer=district, era="legacy")
    wards = register.children(district.code, "legacy")
    names = [w.name for w in wards]
    for ward in wards:
        if names.count(ward.name) > 1:  # the register repeats a few names in one district (Xã Đông Khê,
            assert m.match(ward.name).unit is None  # Thành phố Thanh Hóa): never a guess
            continue
        kind, name = split_name(ward.name)
        assert m.match(f"UBND {kind} {name.upper()}").unit == ward


# --- after July 2025 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name", "code", "via"),
    [
        ("UBND phường Điện Biên Phủ", "Phường Điện Biên Phủ", "03127", "exact"),
        ("UBND xã Sín Thầu", "Xã Sín Thầu", "03158", "exact"),
        ("UBND XÃ TUẦN GIÁO", "Xã Tuần Giáo", "03253", "exact"),
        ("UBND xã Huổi Lếnh", "Xã Mường Toong", "03163", "merger"),  # an old name in a later report
        ("UBND xã Huổi Léch", "Xã Mường Toong", "03163", "merger"),
        ("UBND xã Leng Su Sìn", "Xã Sín Thầu", "03158", "merger"),
        ("UBND thị trấn Tuần Giáo", "Xã Tuần Giáo", "03253", "merger"),
        ("UBND xã Nà Tòng", "Xã Tủa Chùa", "03217", "merger"),
    ],
)
def test_current_province_report(register: Register, raw: str, name: str, code: str, via: str) -> None:
    m = matcher(register, "11", "current").match(raw)
    assert resolved(m) == (name, code, via)
    assert m.unit.era == "current"


def test_current_report_does_not_know_districts(register: Register) -> None:
    m = matcher(register, "11", "current")
    assert m.match("UBND huyện Tuần Giáo").unit is None
    assert m.match("UBND xã Mỹ Thanh").unit is None  # Bắc Kạn's, merged into Thái Nguyên


def test_current_commune_report(register: Register) -> None:
    m = matcher(register, "03163", "current")  # Xã Mường Toong ← Mường Toong + Huổi Lếnh
    assert resolved(m.match("UBND xã Mường Toong")) == ("Xã Mường Toong", "03163", "exact")
    assert resolved(m.match("UBND xã Huổi Lếnh")) == ("Xã Mường Toong", "03163", "merger")
    assert m.match("UBND xã Nậm Kè").unit is None


def test_partly_merged_ward_returns_first_successor_in_scope(register: Register) -> None:
    # Phường Dương Nội (Hà Nội) went to four wards; the first listed is Phường Tây Mỗ (00634).
    m = matcher(register, "01", "current")
    assert register.successors(register.get("09886", "legacy"))[0].code == "00634"
    assert m.match("UBND phường Dương Nội").unit.name == "Phường Dương Nội"  # the current namesake wins
    # Phường Kim Mã went to Ba Đình, Ngọc Hà and Giảng Võ; its name did not survive.
    assert [u.name for u in register.successors(register.get("00028", "legacy"))] == [
        "Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"]
    assert resolved(m.match("UBND phường Kim Mã")) == ("Phường Ba Đình", "00004", "merger")


def test_era_mismatch_is_an_error(register: Register) -> None:
    with pytest.raises(ValueError):
        Matcher(register, issuer=register.get("096", "legacy"), era="current")


# --- no issuer ----------------------------------------------------------------------------------------------


def test_without_issuer_only_unique_exact_names(register: Register) -> None:
    m = matcher(register, None)
    assert resolved(m.match("UBND xã Huổi Lếnh")) == ("Xã Huổi Lếnh", "03177", "exact")
    assert m.match("UBND xã Huổi Léch").unit is None  # no fuzzy across the country
    assert m.match("UBND xã Tân Hưng").unit is None  # 13 of them
    assert m.match("UBND tỉnh Điện Biên").unit is None  # provinces are not rows of a report


# --- agencies -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Sở Lao động, TB và XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở LĐ - TB & XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TTTT", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở KHĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở TNMT", "Sở Tài nguyên và Môi trường"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở GDĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở GTVT", "Sở Giao thông vận tải"),
        ("VPUB", "Văn phòng UBND tỉnh"),
        ("Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh"),
        ("Sở Ngoại vụ", "Sở Ngoại vụ"),
        ("Ban Dân tộc", "Ban Dân tộc"),
        ("Thanh tra tỉnh", "Thanh tra tỉnh"),
        ("SỞ Y TẾ", "Sở Y tế"),
        ("Sở Y tế tỉnh Điện Biên", "Sở Y tế"),
        ("Sở Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường"),
    ],
)
def test_agencies_exact(register: Register, raw: str, name: str) -> None:
    m = matcher(register, "11").match(raw)
    assert m == Match(Unit(None, name, "cơ quan", "agency", "11", "legacy"), 100.0, True, "agency")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Sở Lao động Thương binh Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Tài nguyên Môi trường", "Sở Tài nguyên và Môi trường"),
        ("Sở Kế hoạch Đầu tư", "Sở Kế hoạch và Đầu tư"),
        ("Sở Tài chánh", "Sở Tài chính"),
    ],
)
def test_agencies_fuzzy(register: Register, raw: str, name: str) -> None:
    m = matcher(register, "11").match(raw)
    assert (m.unit.name, m.via) == (name, "agency")
    assert 90.0 <= m.score < 100.0


@pytest.mark.parametrize(
    "raw",
    ["Sở Nông nghiệp", "Thanh tra huyện", "Sở Tài chính tỉnh Lai Châu", "Sở Quy hoạch - Kiến trúc"],
)
def test_agency_near_misses(register: Register, raw: str) -> None:
    assert matcher(register, "11").match(raw) == Match(None, 0.0, True, "")


def test_agency_of_one_province_only(register: Register) -> None:
    assert matcher(register, "01").match("Sở QH-KT").unit.name == "Sở Quy hoạch - Kiến trúc"  # Hà Nội


def test_current_report_keeps_old_department_names(register: Register) -> None:
    m = matcher(register, "11", "current").match("Sở LĐ-TB&XH")
    assert m.unit == Unit(None, "Sở Lao động - Thương binh và Xã hội", "cơ quan", "agency", "11", "current")


@pytest.mark.parametrize(
    ("name", "successor"),
    [
        ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
        ("Sở LĐTBXH", "Sở Nội vụ"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Môi trường"),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ("Ban Dân tộc", "Sở Dân tộc và Tôn giáo"),
        ("Sở Tư pháp", "Sở Tư pháp"),
        ("Thanh tra tỉnh", "Thanh tra tỉnh"),
        ("UBND xã Sín Thầu", None),
    ],
)
def test_agency_successor(name: str, successor: str | None) -> None:
    assert agency_successor(name) == successor


def test_agency_file_is_consistent() -> None:
    from phuluc.normalize.units import _agencies

    agencies = _agencies()
    canonical = {a.name for a in agencies}
    assert len(canonical) == len(agencies) == 24
    assert {a.successor for a in agencies} - {None} <= canonical
    assert all(agency_successor(alias) == (a.successor or a.name) for a in agencies for alias in a.names)


@pytest.mark.parametrize(("district", "raw", "name"), [
    ("783", "UBND xã Củ Chl", None),  # Huyện Củ Chi has no Xã Củ Chi: a misread of nothing in scope
    ("099", "UBND xã Pú Xl", "Xã Pú Xi"),  # one misread letter in a short name
    ("099", "UBND xã Nà Sảy", "Xã Nà Sáy"),
])
def test_one_misread_letter_in_a_short_name(register: Register, district: str, raw: str, name: str | None) -> None:
    found = matcher(register, district).match(raw).unit
    assert (found.name if found else None) == name
