"""Matching printed unit and department names (DOMAIN.md §5), on real units of the register."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc.extract.tables import header_from_grid
from phuluc.load.checks import run_checks
from phuluc.model import RawDocument, RawRow, RawTable, Report, TextBlock
from phuluc.normalize.report import build_report
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
    m = matcher(register, "099").match(raw)
    assert (m.unit, m.score, m.claims) == (None, 0.0, claims) and m.via in ("", "office")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_commune_matches_itself_in_its_district(data: st.DataObject) -> None:
    register = Register.load()
    districts = [u for u in register.units() if u.era == "legacy" and u.level == "district"]
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
    ["Sở Nông nghiệp", "Sở Tài chính tỉnh Lai Châu", "Sở Quy hoạch - Kiến trúc", "Sở Y tế huyện",
     "Thanh tra tỉnh Lai Châu"],
)
def test_agency_near_misses(register: Register, raw: str) -> None:
    assert matcher(register, "11").match(raw) == Match(None, 0.0, True, "")


# --- offices of a district or town, which have no register entry ---------------------------------------------

OFFICES = ["Thanh tra", "Văn phòng UBND", "Văn phòng HĐND và UBND", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch",
           "Bộ phận Tiếp nhận và Trả kết quả", "Trung tâm Quản lý đất đai", "Phòng Tài nguyên và Môi trường"]


@pytest.mark.parametrize("office", OFFICES)
def test_a_district_office_claims_no_unit(register: Register, office: str) -> None:
    """Every office of every district kind, with and without the place name, under every issuer
    level: `unit` null and nothing claimed, so no UNKNOWN_UNIT."""
    province = register.get("11", "legacy")
    districts = register.children(province.code, "legacy")
    for issuer in (province, *districts):
        m = matcher(register, issuer.code)
        for district in districts:
            kind, name = split_name(district.name)
            for raw in (f"{office} {kind}", f"{office} {kind} {name}", f"{office} {kind.upper()} {name}"):
                assert m.match(raw) == Match(None, 0.0, False, "office"), (issuer.name, raw)


@pytest.mark.parametrize("raw", ["Thanh tra TX", "Văn phòng UBND TP. Điện Biên Phủ", "Phòng Nội vụ quận",
                                 "Thanh tra thành phố"])
def test_district_offices_by_abbreviation_or_another_kind(register: Register, raw: str) -> None:
    assert matcher(register, "094").match(raw) == Match(None, 0.0, False, "office")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Thanh tra tỉnh", "Thanh tra tỉnh"),
        ("Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh"),
        ("Ban Dân tộc", "Ban Dân tộc"),
        ("Sở Y tế thành phố", "Sở Y tế"),  # a Sở is a province's
        ("UBND huyện Mường Nhé", "Huyện Mường Nhé"),
        ("UBND thành phố Điện Biên Phủ", "Thành phố Điện Biên Phủ"),
    ],
)
def test_units_and_departments_still_claim_their_unit(register: Register, raw: str, name: str) -> None:
    m = matcher(register, "11").match(raw)
    assert (m.unit and m.unit.name, m.claims) == (name, True)


@pytest.mark.parametrize("raw", ["Thanh tra thành phố", "Thanh tra TP", "Sở Y tế thành phố Hà Nội",
                                 "Thanh tra thành phố Hà Nội"])
def test_in_a_city_province_its_own_offices_are_departments(register: Register, raw: str) -> None:
    m = matcher(register, "01")  # Thành phố Hà Nội
    assert m.match(raw).unit.level == "agency"
    assert m.match("Phòng Tư pháp thành phố Sơn Tây") == Match(None, 0.0, False, "office")  # a town of it


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Sổ Y tế", "Sở Y tế"),  # the agency word itself misread: "Sở" is no longer a prefix of the key
        ("Sờ Tư pháp", "Sở Tư pháp"),
        ("Bạn Dân tộc", "Ban Dân tộc"),
        ("Thanb tra tỉnh", "Thanh tra tỉnh"),
        ("Thanh tra tỉnk", "Thanh tra tỉnh"),  # the trailing "tỉnh" misread, so never stripped
        ("Sở Y tế tinh", "Sở Y tế"),
        ("Sở Ý tế", "Sở Y tế"),  # one letter in a short name, which fuzz.ratio scores below its bar
        ("Sở Ngoại vu", "Sở Ngoại vụ"),
    ],
)
def test_agencies_with_one_misread_letter(register: Register, raw: str, name: str) -> None:
    m = matcher(register, "11").match(raw)
    assert (m.unit.name, m.via, m.claims) == (name, "agency", True)
    assert m.score < 100.0


@pytest.mark.parametrize(
    ("raw", "claims"),
    [
        ("Sở KH", True),  # Sở KH&ĐT or Sở KH&CN: no guess
        ("Sở TG", True),  # one letter from Sở TC, two from Sở CT
        ("Sở Y", True),  # one letter from Sở YT, two from Sở XD
        ("Sổ KH", False),  # a misread agency word claims nothing unless the name matches
        ("Số liệu tổng hợp", False),
        ("Bản tổng hợp", False),
    ],
)
def test_agency_near_misses_with_misread_letters(register: Register, raw: str, claims: bool) -> None:
    assert matcher(register, "11").match(raw) == Match(None, 0.0, claims, "")


def test_every_department_survives_a_misread_agency_word(register: Register) -> None:
    from phuluc.normalize.units import _agencies

    m = matcher(register, "01")  # Hà Nội has every department of the file
    for agency in _agencies():
        head, rest = agency.name.split(" ", 1)
        misread = head.replace("ở", "ổ").replace("a", "ạ", 1)
        assert m.match(f"{misread} {rest}").unit.name == agency.name, agency.name


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
    ("016", "UBND xã Bắc Sơu", "Xã Bắc Sơn"),  # "u" for "n": two letters from neighbours without marks, three with
    ("002", "UBND phường Hàug Gai", "Phường Hàng Gai"),
])
def test_one_misread_letter_in_a_short_name(register: Register, district: str, raw: str, name: str | None) -> None:
    found = matcher(register, district).match(raw).unit
    assert (found.name if found else None) == name



def test_a_ranking_gives_the_lead_of_its_winner(register: Register) -> None:
    """The margin is how far the winner's score is ahead of the runner-up's: within the district no other
    commune comes close to "Huổi Léch", within the province "Huổi Lèng" (Mường Chà, 77.8) does; an exact
    name or one spelt without its marks was never ranked against another."""
    narrow, wide = (matcher(register, issuer).match("UBND xã Huổi Léch") for issuer in ("096", "11"))
    assert narrow.unit == wide.unit and narrow.score == wide.score == pytest.approx(88.89, abs=0.01)
    assert wide.margin == pytest.approx(88.89 - 77.78, abs=0.01) and narrow.margin > 30
    assert matcher(register, "106").match("UBND xã Kbun Há").margin == pytest.approx(28.57, abs=0.01)
    assert matcher(register, "096").match("UBND xã Sín Thầu").margin is None
    assert matcher(register, "099").match("Nà Tông").margin is None


@pytest.mark.parametrize(("issuer", "era", "raw", "code"), [
    ("660", "legacy", "UBND xã Đăk R’Moan", "24618"),  # the register prints "'", the report "’"
    ("660", "legacy", "UBND XÃ ĐĂK RʼMOAN", "24618"),
    ("68", "current", "UBND xã D'Ran", "24934"),  # the register prints "’", the report "'"
])
def test_every_apostrophe_names_the_same_unit(register: Register, issuer: str, era: str, raw: str,
                                              code: str) -> None:
    found = matcher(register, issuer, era).match(raw)
    assert found.unit is not None and (found.unit.code, found.via) == (code, "exact")


def test_letter_pairs_no_name_has_are_read_as_the_letter_they_resemble(register: Register) -> None:
    """"rn" for "m" and "cl" for "d": Vietnamese spells neither pair, so a printed one is a misread."""
    m = matcher(register, "096")
    assert resolved(m.match("UBND xã Nậrn Kè")) == ("Xã Nậm Kè", "03162", "ascii")
    assert resolved(m.match("UBND xã Nậrn Vì")) == ("Xã Nậm Vì", "03161", "ascii")


# --- a late report that still prints the former units -------------------------------------------------------


def former(register: Register, code: str) -> Matcher:
    """The matcher of a current province's report read within the legacy units it was formed from."""
    issuer = register.get(code, "current")
    return Matcher(register, issuer=issuer, era="legacy", scope=register.predecessors(issuer))


def test_former_units_match_as_legacy_units(register: Register) -> None:
    m = former(register, "19")  # Thái Nguyên ← Bắc Kạn + Thái Nguyên
    for province in register.predecessors(register.get("19", "current")):
        district = register.children(province.code, "legacy")[-1]
        ward = register.children(district.code, "legacy")[-1]
        assert m.match(f"UBND {ward.name}").unit == ward
        assert m.match(f"UBND {district.name}").unit == district
    assert resolved(m.match("UBND xã Mỹ Thanh")) == ("Xã Mỹ Thanh", "02011", "exact")  # not its successor
    assert m.match("UBND xã Sín Thầu").unit is None  # Điện Biên's
    assert m.match("Sở Y tế").unit.name == "Sở Y tế"


def test_scope_of_the_other_register_is_an_error(register: Register) -> None:
    issuer = register.get("19", "current")
    with pytest.raises(ValueError):
        Matcher(register, issuer=issuer, era="current", scope=register.predecessors(issuer))


def namesakes(register: Register, province: str) -> list[Unit]:
    """Wards of one name in two districts of a legacy province."""
    wards = [w for d in register.children(province, "legacy") for w in register.children(d.code, "legacy")]
    names = [w.name for w in wards]
    return next([w for w in wards if w.name == n] for n in names if names.count(n) == 2)


def test_a_district_heading_tells_namesakes_apart(register: Register) -> None:
    m = former(register, "19")
    pair = namesakes(register, "19")
    raw = f"UBND {pair[0].name}"
    assert m.match(raw).unit is None  # two of them in the province: no guess
    for ward in pair:
        district = register.get(ward.parent, "legacy")
        assert m.within(f"II. {district.name.upper()}").match(raw).unit == ward
        assert matcher(register, "19").within(f"{district.name}").match(raw).unit == ward  # before 2025 too


@pytest.mark.parametrize("section", [None, "", "UBND CÁC XÃ, PHƯỜNG", "I. CÁC SỞ, BAN, NGÀNH", "UBND PHƯỜNG PHÚ XÁ"])
def test_other_headings_keep_the_matcher(register: Register, section: str | None) -> None:
    m = former(register, "19")
    assert m.within(section) is m


def test_headings_never_narrow_a_current_report(register: Register) -> None:
    m = matcher(register, "19", "current")
    assert m.within("HUYỆN BA BỂ") is m  # no districts after July 2025


# --- the register a report is read in, decided by its table as a whole --------------------------------------

HEADER_766 = [["STT", "Tên đơn vị", "Công khai, minh bạch (18đ)", "Tiến độ giải quyết (20đ)",
               "Dịch vụ công trực tuyến (12đ)", "Thanh toán trực tuyến (10đ)", "Mức độ hài lòng (18đ)",
               "Số hóa hồ sơ (22đ)", "TỔNG ĐIỂM (100đ)"]]


def report_of(issuer: Unit, sections: dict[str, list[str]], year: int = 2025) -> Report:
    """The issuer's report of the fourth quarter of `year` whose table lists `sections` (heading →
    printed names)."""
    body = (f"ỦY BAN NHÂN DÂN\n{issuer.name.upper()}\nSố: /BC-UBND\nngày 20 tháng 12 năm {year}\n"
            f"BÁO CÁO\nKết quả đánh giá Quý IV năm {year}")
    rows = []
    for heading, names in sections.items():
        rows += [("", heading) + ("",) * 7] if heading else []
        rows += [(str(k), name, "18", "20", "12", "10", "18", "22", "100") for k, name in enumerate(names, 1)]
    table = RawTable(header_from_grid(HEADER_766), tuple(RawRow(r) for r in rows), len(HEADER_766[0]))
    return build_report(RawDocument("r", "0", "docx", (TextBlock(body),), (table,)))


def codes(report: Report) -> list[tuple[str | None, str | None]]:
    return [(r.unit, r.unit_code) for r in report.tables[0].rows]


def test_a_late_report_of_former_units_resolves_to_the_legacy_register(register: Register) -> None:
    current = register.get("19", "current")
    districts = [d for p in register.predecessors(current) for d in register.children(p.code, "legacy")]
    report = report_of(current, {d.name.upper(): [f"UBND {w.name}" for w in register.children(d.code, "legacy")]
                                 for d in districts})
    wards = [w for d in districts for w in register.children(d.code, "legacy")]
    assert (report.meta.issuer, report.meta.issuer_code) == ("Tỉnh Thái Nguyên", "19")
    assert codes(report) == [(w.name, w.code) for w in wards]  # namesakes told apart by their district
    assert {code for code, _ in report.issuer_children} == {w.code for w in wards}
    assert report.era == "legacy"  # what the rows' codes are, though the period is current


def test_a_current_table_stays_current(register: Register) -> None:
    current = register.get("19", "current")
    wards = register.children("19", "current")
    report = report_of(current, {"": [f"UBND {w.name}" for w in wards]})
    assert codes(report) == [(w.name, w.code) for w in wards]
    assert report.issuer_children == tuple((w.code, w.name) for w in wards)
    assert report.era == "current"


def test_one_old_name_in_a_current_table_goes_to_its_successor(register: Register) -> None:
    current = register.get("19", "current")
    wards = list(register.children("19", "current"))
    stray = next(w for w in register.predecessors(wards[0]) if w.name != wards[0].name)
    report = report_of(current, {"": [f"UBND {stray.name}"] + [f"UBND {w.name}" for w in wards[1:]]})
    assert codes(report) == [(w.name, w.code) for w in wards]


def test_office_rows_of_a_district_report_raise_no_finding(register: Register) -> None:
    district = register.get("096", "legacy")  # Huyện Mường Nhé
    wards = register.children(district.code, "legacy")
    offices = [f"{office} huyện" for office in OFFICES] + [f"{OFFICES[0]} {district.name}"]
    report = report_of(district, {"": offices + [f"UBND {w.name}" for w in wards]}, year=2024)
    assert (report.meta.issuer, report.era) == ("Huyện Mường Nhé", "legacy")
    assert codes(report) == [(None, None)] * len(offices) + [(w.name, w.code) for w in wards]
    assert run_checks(report) == ()


@pytest.mark.parametrize(("period", "date", "eras"), [
    ("2024-07", None, ("legacy",)), ("2025-Q3", None, ("current",)), ("2025", "2025-09-01", ("current",)),
    ("2025", None, ("legacy", "current")), (None, None, ("legacy", "current")), (None, "2025-03-02", ("legacy",)),
])
def test_a_report_the_reform_straddles_undated_is_read_in_both_registers(period, date, eras) -> None:
    from phuluc.normalize.units import eras_for

    assert eras_for(period, date) == eras
