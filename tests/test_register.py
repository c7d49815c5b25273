"""The generated register (data/register/) and the Register API over it."""

from __future__ import annotations

import unicodedata
from collections import Counter
from importlib.resources import files

import pytest

from phuluc.normalize.units import Register, Unit
from phuluc.vi.text import fold, strip_marks

KINDS = {"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu"}


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def names(units: tuple[Unit, ...]) -> set[str]:
    return {u.name for u in units}


def test_load_is_cached() -> None:
    Register.load.cache_clear()
    register = Register.load()
    assert Register.load() is register


@pytest.mark.parametrize(
    ("era", "level", "count"),
    [("legacy", "province", 63), ("legacy", "district", 696), ("legacy", "ward", 10_051),
     ("current", "province", 34), ("current", "ward", 3_321)],
)
def test_counts(register: Register, era: str, level: str, count: int) -> None:
    assert sum(u.era == era and u.level == level for u in register.units()) == count


def test_files_are_nfc_sorted_tsv() -> None:
    text = (files("phuluc.data") / "register" / "units.tsv").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    header, *rows = [line.split("\t") for line in text.splitlines()]
    assert header == ["era", "code", "level", "kind", "name", "parent"]
    assert {len(r) for r in rows} == {6}
    assert {r[3] for r in rows} == KINDS
    width = {"province": 2, "district": 3, "ward": 5}
    assert all(len(r[1]) == width[r[2]] and r[1].isdigit() for r in rows)
    legacy = [r[1] for r in rows if r[0] == "legacy" and r[2] == "ward"]
    assert legacy == sorted(legacy)


def test_kind_comes_from_the_name_not_the_package(register: Register) -> None:
    assert register.get("03253", "legacy") == Unit("03253", "Thị trấn Tuần Giáo", "thị trấn", "ward", "099", "legacy")
    assert register.get("058", "legacy").name == "Thành Phố Bắc Kạn"  # register spelling kept
    assert register.get("058", "legacy").kind == "thành phố"
    assert Counter(u.kind for u in register.units() if u.era == "current")["đặc khu"] == 13


def test_mường_nhé(register: Register) -> None:
    district = register.get("096", "legacy")
    assert district == Unit("096", "Huyện Mường Nhé", "huyện", "district", "11", "legacy")
    children = register.children("096", "legacy")
    assert len(children) == 11
    assert register.get("03177", "legacy") in children
    assert register.get("03177", "legacy").name == "Xã Huổi Lếnh"
    assert register.province_of(children[0]) == register.get("11", "legacy")


def test_children_counts(register: Register) -> None:
    assert len(register.children("099", "legacy")) == 19
    assert "Xã Tỏa Tình" in names(register.children("099", "legacy"))
    assert len(register.children("063", "legacy")) == 14
    assert len(register.children("11", "legacy")) == 10  # Điện Biên's districts
    assert len(register.children("11", "current")) == 45  # its wards after July 2025
    assert register.children("03177", "legacy") == ()


def test_codes_are_per_era(register: Register) -> None:
    # The current "Xã Sín Thầu" reuses the code of the old Leng Su Sìn: codes are never a mapping.
    assert register.get("03158", "legacy").name == "Xã Leng Su Sìn"
    assert register.get("03158", "current").name == "Xã Sín Thầu"
    assert register.get("096", "current") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [("02011", ["Xã Cẩm Giàng"]), ("03177", ["Xã Mường Toong"]), ("03154", ["Xã Sín Thầu"]),
     ("03155", ["Xã Sín Thầu"]), ("03263", ["Xã Tủa Chùa"])],
)
def test_successors_of_wards(register: Register, old: str, new: list[str]) -> None:
    assert [u.name for u in register.successors(register.get(old, "legacy"))] == new


def test_successors_of_provinces_and_districts(register: Register) -> None:
    assert register.successors(register.get("06", "legacy")) == (register.get("19", "current"),)  # Bắc Kạn
    assert names(register.successors(register.get("096", "legacy"))) == {
        "Xã Sín Thầu", "Xã Mường Nhé", "Xã Nậm Kè", "Xã Mường Toong", "Xã Quảng Lâm"}
    assert register.successors(register.get("11", "current")) == ()


def test_partly_merged_ward_keeps_the_listed_order(register: Register) -> None:
    # Phường Dương Nội (Hà Nội) was split over four wards; the package lists them out of code order.
    assert [u.code for u in register.successors(register.get("09886", "legacy"))] == [
        "00634", "00637", "09886", "09877"]


@pytest.mark.parametrize(
    ("kind", "name", "era", "code"),
    [("huyện", "Mường Nhé", "legacy", "096"), ("huyện", "Tuần Giáo", "legacy", "099"),
     ("tỉnh", "Điện Biên", "legacy", "11"), ("tỉnh", "Lai Châu", "legacy", "12"),
     ("thành phố", "Lai Châu", "legacy", "105"), ("TP", "Điện Biên Phủ", "legacy", "094"),
     (None, "Huyện Mường Nhé", "legacy", "096"), ("xã", "Mỹ Thanh", "legacy", "02011"),
     ("tỉnh", "Điện Biên", "current", "11"), ("xã", "Sín Thầu", "current", "03158"),
     ("xã", "Mường Toong", "current", "03163"), ("xã", "Muong Toong", "current", "03163")],
)
def test_locate(register: Register, kind: str | None, name: str, era: str, code: str) -> None:
    assert register.locate(kind, name, era=era) == register.get(code, era)


def test_locate_with_hints(register: Register) -> None:
    # "Xã Mỹ Thanh" is unique in the legacy register; the hints agree with it.
    assert register.locate("xã", "Mỹ Thanh", era="legacy", hints=["Bạch Thông", "Bắc Kạn"]).code == "02011"
    # Xã Tân Hưng exists in 13 districts, two of them in Bình Phước.
    assert register.locate("xã", "Tân Hưng", era="legacy") is None
    assert register.locate("xã", "Tân Hưng", era="legacy", hints=["Huyện Ba Tri", "Bến Tre"]).code == "29155"
    assert register.locate("xã", "Tân Hưng", era="legacy", hints=["Đồng Phú", "tỉnh Bình Phước"]).code == "25375"
    assert register.locate("xã", "Tân Hưng", era="legacy", hints=["Bình Phước"]) is None  # tie
    assert register.locate("xã", "Tân Hưng", era="legacy", hints=["Điện Biên"]) is None  # no hint fits


def test_locate_refuses_to_guess(register: Register) -> None:
    assert register.locate(None, "Điện Biên", era="legacy") is None  # the province and a district
    assert register.locate("xã", "Không Có Thật", era="legacy") is None
    assert register.locate("huyện", "Mường Nhé", era="current") is None  # no districts after July 2025
    assert register.locate("xã", "Tuần Giáo", era="legacy") is None  # it was a thị trấn


def test_predecessors_of_a_merged_province(register: Register) -> None:
    assert names(register.predecessors(register.get("19", "current"))) == {"Tỉnh Bắc Kạn", "Tỉnh Thái Nguyên"}
    assert names(register.predecessors(register.get("11", "current"))) == {"Tỉnh Điện Biên"}


def test_predecessors_of_a_ward(register: Register) -> None:
    assert names(register.predecessors(register.get("03163", "current"))) == {"Xã Mường Toong", "Xã Huổi Lếnh"}
    assert register.predecessors(register.get("02011", "legacy")) == ()  # a legacy unit has none


def test_predecessors_invert_successors(register: Register) -> None:
    wards = [u for u in register.units() if u.era == "legacy" and u.level == "ward"]
    assert all(w in register.predecessors(new) for w in wards for new in register.successors(w))


def test_no_register_name_holds_a_misread_letter_pair() -> None:
    """The matcher reads "rn" as "m" and "cl" as "d" in printed names: safe only while no name has them."""
    from phuluc.normalize.units import _ascii_key

    text = (files("phuluc.data") / "register" / "units.tsv").read_text(encoding="utf-8")
    assert all(_ascii_key(n) == strip_marks(n) for n in (fold(r.split("\t")[4]) for r in text.splitlines()[1:]))
