"""Make sample reports: the fixed set in data/samples/ and any number of synthetic ones for benchmarks.

    python scripts/make_samples.py                      # the fixed set, into data/samples/
    python scripts/make_samples.py --count 500 --seed 7 --out /tmp/bench

Reports are written the way the real ones in shared/seeds and shared/fixtures are: Markdown with
tab-separated appendix tables (merged header cells printed once, then empty cells; `<b>` markup),
`pdftotext -layout` text (columns aligned by spaces, stacked header words, pages ended by form feeds),
or prose only. Units are real: communes and districts come from the register shipped with phuluc
(`Register.load()`, the pre-2025 "legacy" era), departments from config/agencies.yaml. Scores,
numbers, dates and signers are invented with a seeded `random.Random`, so the output is the same
bytes on every run.

The fixed set (file name → what it holds and what was planted on purpose):

1. ``01_dien-bien-dong_2024-03.md`` — Huyện Điện Biên Đông, tháng 3/2024, 459/QĐ-UBND, Markdown with
   a three-row tab header; every commune and the town. Planted: one SUM_MISMATCH (two digits of one
   unit's "Tiến độ" score swapped, so its row no longer adds up).
2. ``02_dien-bien-dong_2024-04.txt`` — the same district, tháng 4/2024, as `-layout` text; the
   appendix runs over two pages with the header repeated. Planted: one RATING_MISMATCH (a unit rated
   one band above its converted score; the body lists it under that printed rating, so the body
   agrees with the table).
3. ``03_dien-bien-dong-dieu-chinh_2024-03.md`` — a corrected resubmission of report 1 (new number
   and date): the mistyped score is fixed, everything else is the same. No finding of its own;
   loaded after report 1, `phuluc audit` shows one CONFLICTING_SUBMISSION for that unit.
4. ``04_lai-chau_2023.md`` — Tỉnh Lai Châu, năm 2023, 1187/QĐ-UBND: departments and districts in two
   sections, Tiêu chí 1–9, the ĐTB CCVC column, the table over two pages; the body's counts per
   rating agree with the table. No finding.
5. ``05_khun-ha_2024-06.txt`` — Xã Khun Há (Huyện Tam Đường, Lai Châu; drawn at random), tháng
   6/2024, 766/QĐ-TTg, prose only: group scores in sentences that add up to the stated total. No finding.

In Python: `samples()` gives the fixed set as (file name, text), `planted()` the (rule, unit) findings
each file must raise, and `generate(count, seed)` synthetic reports of those four kinds (459 Markdown,
459 layout text, 1187, 766 prose) for random units of the whole register, with consistent figures
and nothing planted.
"""

from __future__ import annotations

import argparse
import math
import random
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from phuluc.normalize.units import Register, Unit

OUT = Path(__file__).resolve().parents[1] / "data" / "samples"
LEGACY = "legacy"

# 459/QĐ-UBND: eleven criteria in five groups (DOMAIN.md §2); the printed labels follow the real headers.
MAX_459 = (5, 5, 10, 30, 10, 10, 5, 10, 5, 5, 5)
TIEN_DO = 3  # the single "Tiến độ, KQ giải quyết" criterion (30 points)
CAN_MISS = frozenset({4, 5, 6, 7})  # online services and digitisation: the criteria printed as 0
# Bands of 459 and 766 on the converted score (DOMAIN.md §1); 1187 publishes only "Xuất sắc from 15",
# and its reports print Tốt down to 12 and Đạt below.
BANDS = ((90, "Xuất sắc"), (80, "Tốt"), (70, "Khá"), (50, "Trung bình"), (0, "Yếu"))
BANDS_1187 = ((15, "Xuất sắc"), (12, "Tốt"), (0, "Đạt"))
# agencies.yaml does not say when a department existed or whether it is scored: the provincial office
# does the scoring, Sở Du lịch exists in a few provinces only, and NĐ 45/2025 created the last two.
NOT_SCORED = ("Văn phòng UBND tỉnh", "Sở Du lịch", "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo")

SURNAMES = ("Nguyễn", "Lò", "Quàng", "Vừ", "Giàng", "Lường", "Tòng", "Lê", "Phạm", "Sùng", "Hoàng", "Cà")
MIDDLE = ("Văn", "Thị", "A", "Xuân", "Đức", "Minh", "Seo", "Mạnh")
GIVEN = ("Thắng", "Dung", "Páo", "Hùng", "Sơn", "Chinh", "Lả", "Hương", "Dế", "Khánh", "Tuấn", "Mai")


@dataclass(frozen=True)
class Sample:
    """One report of the fixed set and what the reader must find in it."""

    name: str
    text: str
    planted: tuple[tuple[str, str], ...] = ()  # (rule, canonical unit) the reader must report


@dataclass(frozen=True)
class Row:
    """One unit's line of an appendix table, as printed."""

    printed: str
    unit: str  # canonical name, for the planted findings
    values: tuple[float | None, ...]
    total: float
    maximum: float
    rating: str
    avg_staff: float | None = None

    @property
    def converted(self) -> float:
        return round(self.total / self.maximum * 100, 2)


@dataclass(frozen=True)
class Doc:
    """What every report states about itself."""

    issuer: Unit
    province: Unit
    period: tuple[int, int | None]  # (year, month or None for a yearly report)
    number: int | None
    signed: tuple[int | None, int, int]  # day (None = left blank), month, year
    signer: str


# ---------------------------------------------------------------- small helpers


def num(x: float) -> str:
    """Vietnamese print of a score: decimal comma, no trailing zeros ("8,75", "30")."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def two(n: int) -> str:
    """Leading zero below 10, as dates and counts are printed ("ngày 08", "05 đơn vị")."""
    return f"{n:02d}"


def month(m: int) -> str:
    """NĐ 30/2020 writes months 1 and 2 with a leading zero, the others without."""
    return two(m) if m < 3 else str(m)


def bare(unit: Unit) -> str:
    """The name without its kind: "Huyện Điện Biên Đông" → "Điện Biên Đông"."""
    return unit.name[len(unit.kind) + 1:] if unit.name.lower().startswith(unit.kind + " ") else unit.name


def named(unit: Unit) -> str:
    """A unit as sentences name it: "tỉnh Điện Biên", "thành phố Hà Nội"."""
    return f"{unit.kind} {bare(unit)}"


def ubnd(unit: Unit) -> str:
    """How reports name a unit's People's Committee: "UBND thị trấn Điện Biên Đông"."""
    return f"UBND {named(unit)}"


def slug(unit: Unit) -> str:
    """ASCII file-name part: "dien-bien-dong"; a numbered unit keeps its kind ("quan-8")."""
    text = bare(unit) if not bare(unit).isdigit() else unit.name
    ascii_ = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_ = "".join(c for c in ascii_ if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_).split())


def rate(score: float, bands: Sequence[tuple[float, str]] = BANDS) -> str:
    return next(name for low, name in bands if score >= low)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def signer(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def period_words(doc: Doc) -> str:
    year, m = doc.period
    return f"tháng {month(m)} năm {year}" if m else f"năm {year}"


def date_words(doc: Doc) -> str:
    day, m, year = doc.signed
    return f"ngày {two(day) if day else '    '} tháng {month(m)} năm {year}"


def number_words(doc: Doc) -> str:
    return f"{doc.number if doc.number else '    '}/BC-UBND"


def caption(doc: Doc) -> str:
    return f"(Kèm theo Báo cáo số {number_words(doc)} {date_words(doc)} của {ubnd(doc.issuer)})"


def kinds_phrase(units: Sequence[Unit], order: Sequence[str]) -> str:
    """ "xã, thị trấn" for the kinds present, in the order reports name them."""
    present = {u.kind for u in units}
    return ", ".join(k for k in order if k in present)


def ward_kinds(units: Sequence[Unit]) -> str:
    return kinds_phrase(units, ("xã", "phường", "thị trấn"))


def district_kinds(units: Sequence[Unit]) -> str:
    return kinds_phrase(units, ("quận", "huyện", "thị xã", "thành phố"))


def next_month(year: int, m: int) -> tuple[int, int]:
    return (year + 1, 1) if m == 12 else (year, m + 1)


@cache
def departments(province: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical name, printed aliases) of the departments a province scores, from config/agencies.yaml;
    the shortest aliases ("Sở TC") are left out, reports spell at least the field out."""
    data = yaml.safe_load((files("phuluc.config") / "agencies.yaml").read_text(encoding="utf-8"))
    return tuple(
        (a["name"], tuple(alias for alias in a.get("aliases") or () if len(alias) >= 10))
        for a in data["agencies"]
        if a["name"] not in NOT_SCORED and province in a.get("provinces", [province])
    )


# ---------------------------------------------------------------- scores


def score(rng: random.Random, maximum: float, quality: float, can_miss: bool) -> float:
    """One criterion: full marks most often, else a partial mark; only online services and
    digitisation drop to nothing, as in the real tables."""
    draw = rng.random()
    if draw < quality:
        return maximum
    if can_miss and draw < quality + (1 - quality) / 3:
        return 0
    return round(maximum * rng.uniform(0.3, 0.97), rng.choice((0, 1, 1, 2)))


def rows_459(rng: random.Random, units: Sequence[Unit], absent: frozenset[int]) -> list[Row]:
    """Consistent rows, best first: totals add up, converted = total ÷ applicable max × 100."""
    rows = []
    for unit in units:
        quality = rng.uniform(0.55, 0.97)
        skip = absent | ({6} if rng.random() < 0.1 else set())  # a unit with no digitisation yet
        values = tuple(None if k in skip else score(rng, m, quality, k in CAN_MISS)
                       for k, m in enumerate(MAX_459))
        total = round(sum(v for v in values if v is not None), 2)
        maximum = sum(m for v, m in zip(values, MAX_459) if v is not None)
        rows.append(rated(Row(ubnd(unit), unit.name, values, total, maximum, "")))
    return best_first(rows)


def rated(row: Row) -> Row:
    return replace(row, rating=rate(row.converted))


def best_first(rows: Sequence[Row]) -> list[Row]:
    """Real tables are sorted by converted score; an unsorted one would raise ORDER_MISMATCH."""
    return sorted(rows, key=lambda r: -r.converted)


def mistype(rng: random.Random, row: Row) -> tuple[Row, Row]:
    """(as typed, as meant): the "Tiến độ" score with two digits swapped, 2a,b → 2b,a; the total keeps
    the meant value, so the typed row misses it by 0,9 × |a − b|."""
    a, b = rng.sample(range(1, 10), 2)
    meant = [*row.values]
    meant[TIEN_DO] = 20 + a + b / 10
    typed = [*meant]
    typed[TIEN_DO] = 20 + b + a / 10
    good = rated(replace(row, values=tuple(meant), total=round(sum(v for v in meant if v is not None), 2)))
    return replace(good, values=tuple(typed)), good


def misrate(row: Row) -> Row:
    """The rating one band above the one the converted score earns (the row must be below Xuất sắc)."""
    names = [name for _, name in BANDS]
    return replace(row, rating=names[names.index(row.rating) - 1])


def rows_1187(rng: random.Random, printed: Sequence[tuple[str, str]]) -> list[Row]:
    """Nine criteria of 2 points; criteria 1, 2 and often 5 share one data source (DOMAIN.md §3)."""
    rows = []
    for text, unit in printed:
        first = rng.choice((2, 2, round(rng.uniform(1.5, 1.99), 2)))
        fifth = first if rng.random() < 0.7 else rng.choice((2, round(rng.uniform(1.5, 1.99), 2)))
        values = (first, first, rng.choice((2, 2, 2, 1.98, 1.9)), rng.choice((2, 2, 2, 1.94)), fifth,
                  rng.choice((2, 2, 2, 1, 1.5)), rng.choice((2, 2, 1)), rng.choice((2, 2, 2, 1, 0)),
                  rng.choice((2, 1, 0, 0)))
        total = round(sum(values), 2)
        staff = rng.choice((10, 10, round(rng.uniform(9, 10), 2)))
        rows.append(Row(text, unit, values, total, 18, rate(total, BANDS_1187), staff))
    return sorted(rows, key=lambda r: -r.total)


# ---------------------------------------------------------------- 459/QĐ-UBND district reports


def body_459(doc: Doc, rows: Sequence[Row], units: Sequence[Unit], note: str = "") -> list[str]:
    """Paragraphs of a district's monthly report, after an optional `note`; "#" marks a heading."""
    district, province = ubnd(doc.issuer), named(doc.province)
    kinds = ward_kinds(units)
    lines = [note] if note else []
    lines += [
        f"Thực hiện Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh ban hành Bộ chỉ số đánh giá chất "
        f"lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời "
        f"gian thực trên môi trường điện tử {province};",
        f"Trên cơ sở số liệu thống kê từ Hệ thống quản trị của Cổng Dịch vụ công quốc gia, Hệ thống thông "
        f"tin giải quyết thủ tục hành chính của tỉnh; {district} báo cáo kết quả đánh giá chất lượng phục vụ "
        f"người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công trên môi trường điện tử "
        f"{period_words(doc)} như sau:",
        f"# 1. Kết quả đánh giá, xếp loại UBND các {kinds}",
        f"Thực hiện chấm điểm đánh giá {two(len(rows))}/{two(len(units))} đơn vị, trong đó:",
        *rating_lines(rows),
        "(Chi tiết tại Phụ lục kèm theo)",
        "# 2. Đánh giá chung",
        f"- Nhìn chung UBND các {kinds} đã quan tâm triển khai thực hiện các nhiệm vụ công tác kiểm soát "
        f"TTHC, đổi mới việc thực hiện cơ chế một cửa, một cửa liên thông và thực hiện thủ tục hành chính "
        f"trên môi trường điện tử nhằm nâng cao chất lượng phục vụ người dân, doanh nghiệp.",
        "- Chất lượng cung cấp dịch vụ công trực tuyến ngày càng được nâng cao.",
        "# 3. Tồn tại, hạn chế",
        "Vẫn còn tình trạng để hồ sơ quá hạn. Chức năng đánh giá mức độ hài lòng đối với công chức, viên chức "
        "trong giải quyết thủ tục hành chính đã được cấu hình trên Hệ thống thông tin giải quyết thủ tục hành "
        "chính của tỉnh, tuy nhiên các cá nhân, tổ chức chưa tích cực thực hiện.",
        f"Trên đây là Báo cáo kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ "
        f"tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử {period_words(doc)} của "
        f"{district}./.",
    ]
    return lines


def rating_lines(rows: Sequence[Row]) -> list[str]:
    """ "- 05 đơn vị xếp loại Xuất sắc: UBND xã …" per rating the table prints, then the empty ones."""
    names = [name for _, name in BANDS]
    lines = []
    for name in names:
        listed = [r.printed for r in rows if r.rating == name]
        if listed:
            lines.append(f"- {two(len(listed))} đơn vị xếp loại {name}: {', '.join(listed)}.")
    empty = [name for name in names if not any(r.rating == name for r in rows)]
    if empty:
        lines.append(f"- Không có đơn vị xếp loại {', '.join(empty)}.")
    return lines


def title_459(doc: Doc) -> str:
    return (f"Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, "
            f"dịch vụ công theo thời gian thực trên môi trường điện tử {named(doc.province)}, "
            f"{period_words(doc)}")


def appendix_title_459(doc: Doc) -> str:
    return ("KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TRONG GIẢI QUYẾT TTHC, DVC "
            f"THEO THỜI GIAN THỰC TRÊN MÔI TRƯỜNG ĐIỆN TỬ {named(doc.province).upper()} "
            f"{period_words(doc).upper()}")


RECIPIENTS_459 = ("Văn phòng UBND {province};", "TT HĐND {level};", "Lãnh đạo UBND {level};",
                  "Cổng thông tin điện tử {level};", "UBND các {kinds};", "Lưu: VT.")
NOTE_459 = ("Lưu ý: - Các chỉ số đánh giá bởi dấu (-) là nhiệm vụ các cơ quan, đơn vị, địa phương không phải "
            "thực hiện hoặc chưa đến thời điểm báo cáo;")


def recipients(doc: Doc, units: Sequence[Unit]) -> list[str]:
    return [r.format(province=named(doc.province), level=doc.issuer.kind, kinds=ward_kinds(units))
            for r in RECIPIENTS_459]


# ---------------------------------------------------------------- Markdown with tab tables


HEADER_459_TAB = (
    "STT\tTÊN CƠ QUAN, ĐƠN VỊ\tĐIỂM CÁC CHỈ SỐ" + "\t" * 11 + "TỔNG ĐIỂM ĐẠT ĐƯỢC\tTỔNG ĐIỂM QUY ĐỔI\tXẾP LOẠI",
    "\t\tNhóm công khai, minh bạch\t\t\tTiến độ, KQ giải quyết (30đ)\tCung cấp DVTT\t\tSố hóa hồ sơ\t\t"
    "Mức độ hài lòng" + "\t" * 5,
    "\t\t" + "\t".join(("Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (10đ)", "", "Chỉ số 1 (10đ)", "Chỉ số 2 (10đ)",
                        "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (5đ)"))
    + "\t" * 3,
)


def cell(v: float | None) -> str:
    return "-" if v is None else num(v)


def markdown_459(doc: Doc, rows: Sequence[Row], units: Sequence[Unit], note: str = "") -> str:
    """Like seed 000 and fixture d01: a Markdown body, then the appendix as a tab-separated table."""
    table = [*HEADER_459_TAB, f"<b>UBND CÁC {ward_kinds(units).upper()}</b>" + "\t" * 15]
    for i, r in enumerate(rows, 1):
        table.append("\t".join((str(i), r.printed, *map(cell, r.values), f"{num(r.total)}/{num(r.maximum)}",
                                num(r.converted), r.rating)))
    parts = [
        *issuer_block_md(doc),
        f"Số: {number_words(doc)}",
        f"{bare(doc.issuer)}, {date_words(doc)}",
        "## BÁO CÁO",
        f"### {title_459(doc)}",
        *map(markdown_paragraph, body_459(doc, rows, units, note)),
        "**Nơi nhận:**",
        "\n".join(f"- {r}" for r in recipients(doc, units)),
        "**TM. ỦY BAN NHÂN DÂN**",
        "**CHỦ TỊCH**",
        f"**{doc.signer}**",
        "## Phụ lục",
        f"**{appendix_title_459(doc)}**",
        caption(doc),
        "\n".join(table),
        NOTE_459,
    ]
    return "\n\n".join(parts) + "\n"


def issuer_block_md(doc: Doc) -> list[str]:
    return ["ỦY BAN NHÂN DÂN", f"**{named(doc.issuer).upper()}**",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "**Độc lập - Tự do - Hạnh phúc**"]


def markdown_paragraph(text: str) -> str:
    return f"#### {text[2:]}" if text.startswith("# ") else text


# ---------------------------------------------------------------- pdftotext -layout text

WIDTH = 86  # body text columns of a portrait page
PAGE_LINES = 46
ROWS_PER_PAGE = 10
NAME_AT, VALUES_AT = 6, 29  # where the unit name and the first criterion column start in fixture d04
# The appendix header of fixture d04 from its first criterion column on; the STT/ĐƠN VỊ words sit on line 4.
HEADER_459_LAYOUT = (
    "                                    ĐIỂM CÁC CHỈ SỐ",
    " Nhóm công khai, minh              Nhóm cung cấp                                                           TỔNG",
    "                          Tiến độ,                   Số hóa hồ sơ         Mức độ hài lòng         TỔNG",
    "        bạch                           DVTT                                                                ĐIỂM",
    "                           KQ giải                                                              ĐIỂM ĐẠT"
    "           XẾP LOẠI",
    "                                                                                                            QUY",
    "Chỉ số 1 Chỉ số 2 Chỉ số 3 quyết Chỉ số 1 Chỉ số 2 Chỉ số 1 Chỉ số 2 Chỉ số 1 Chỉ số 2 Chỉ số 3   ĐƯỢC",
    "                                                                                                            ĐỔI",
    " (5đ)     (5đ)     (10đ)    (30đ)  (10đ)   (10đ)    (5đ)     (10đ)    (5đ)     (5đ)     (5đ)",
)
# Centres of the printed values relative to VALUES_AT: eleven criteria, total, converted, rating.
CENTRES_459 = (3, 12, 21.5, 30.5, 37.5, 45.5, 54, 63.5, 72, 81, 90, 99, 110, 120)


def place(cells: Sequence[tuple[float, str]]) -> str:
    """One line with each text centred on its column, at least two spaces apart."""
    line = ""
    for centre, text in cells:
        start = max(math.floor(centre - len(text) / 2 + 0.5), len(line) + 2 if line else 0)
        line = line.ljust(start) + text
    return line


def wrap(text: str) -> list[str]:
    """A paragraph as pdftotext prints it: first line indented, the others flush left."""
    return textwrap.wrap(text, WIDTH, initial_indent=" " * 5)


def centre(text: str, width: int = WIDTH) -> list[str]:
    return [line.center(width).rstrip() for line in textwrap.wrap(text, width - 8)]


def pages(lines: Sequence[str], size: int = PAGE_LINES) -> list[list[str]]:
    return [list(lines[i:i + size]) for i in range(0, len(lines), size)]


def layout(page_list: Sequence[Sequence[str]]) -> str:
    """pdftotext output: each page's lines, then a form feed."""
    return "".join("\n".join(page) + "\n\f" for page in page_list)


def heading_layout(doc: Doc) -> list[str]:
    """Issuer block beside the national motto, then number and place/date, as pdftotext sets them."""
    issuer = named(doc.issuer).upper()
    return [
        place(((13, "ỦY BAN NHÂN DÂN"), (52, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))),
        place(((13, issuer), (52, "Độc lập - Tự do - Hạnh phúc"))),
        "",
        place(((14, f"Số: {number_words(doc)}"), (60, f"{bare(doc.issuer)}, {date_words(doc)}"))),
        "",
        "",
        "BÁO CÁO".center(WIDTH).rstrip(),
    ]


def signature_layout(doc: Doc, recipients_: Sequence[str]) -> list[str]:
    left = ["Nơi nhận:", *(f"- {r}" for r in recipients_)]
    right = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    lines = [place(((len(a) / 2, a), (60, b))) if b else a for a, b in zip(left, right + [""] * len(left))]
    return ["", "", *lines, place(((60, doc.signer),))]


def layout_459(doc: Doc, rows: Sequence[Row], units: Sequence[Unit]) -> str:
    """Like fixture d04: portrait body pages, then the appendix with its header repeated on every page."""
    body = heading_layout(doc) + centre(title_459(doc))
    for text in body_459(doc, rows, units):
        body += wrap(text[2:]) if text.startswith("# ") else wrap(text)
    body += signature_layout(doc, recipients(doc, units))
    width = NAME_AT + max(len(r.printed) for r in rows) + 2
    shift = max(width - VALUES_AT, 0)
    appendix = []
    for n, chunk in enumerate(pages(rows, ROWS_PER_PAGE)):
        lines = [" " * 71 + "Phụ lục", *centre(appendix_title_459(doc), 120), caption(doc).center(120).rstrip()] \
            if n == 0 else []
        lines += header_459_layout(shift)
        if n == 0:
            lines += ["", f"UBND CÁC {ward_kinds(units).upper()}"]
        for i, r in enumerate(chunk, n * ROWS_PER_PAGE + 1):
            cells = [*map(cell, r.values), f"{num(r.total)}/{num(r.maximum)}", num(r.converted), r.rating]
            lines += ["", place(((2 - len(str(i)) / 2, str(i)), (NAME_AT + len(r.printed) / 2, r.printed),
                                 *((VALUES_AT + shift + c, t) for c, t in zip(CENTRES_459, cells))))]
        appendix.append(lines)
    appendix[-1] += ["", NOTE_459]
    return layout([*pages(body), *appendix])


def header_459_layout(shift: int) -> list[str]:
    left = " " * (VALUES_AT + shift)
    stt = "STT            ĐƠN VỊ".ljust(VALUES_AT + shift)
    return [((stt if i == 4 else left) + line).rstrip() for i, line in enumerate(HEADER_459_LAYOUT)]


# ---------------------------------------------------------------- 1187/QĐ-UBND provincial report


HEADER_1187_TAB = (
    "STT\tTÊN CƠ QUAN, ĐƠN VỊ\tĐIỂM CÁC TIÊU CHÍ" + "\t" * 9 + "TỔNG ĐIỂM\tĐTB CCVC\tXẾP LOẠI",
    "\t\t" + "\t".join(f"Tiêu chí {k}" for k in range(1, 10)) + "\t" * 3,
)
PAGE_ROWS_1187 = 15


def row_1187(i: int, r: Row) -> str:
    return "\t".join((str(i), r.printed, *map(cell, r.values), f"<b>{num(r.total)}</b>",
                      f"<b>{num(r.avg_staff)}</b>", r.rating))


def count_sentence(scope: str, rows: Sequence[Row]) -> str:
    """ "+ 100% … từ Tốt trở lên, trong đó: 14/19 đơn vị đạt loại Xuất sắc, 05/19 …" (seed 002)."""
    n = len(rows)
    counts = [f"{two(k)}/{two(n)} đơn vị đạt loại {name}"
              for _, name in BANDS_1187 if (k := sum(r.rating == name for r in rows))]
    if all(r.rating != "Đạt" for r in rows):
        return f"+ 100% {scope} được đánh giá xếp loại từ Tốt trở lên, trong đó: {', '.join(counts)}."
    return f"+ {scope[0].upper()}{scope[1:]}: {', '.join(counts)}."


def markdown_1187(doc: Doc, sections: Sequence[tuple[str, str, str, Sequence[Row]]]) -> str:
    """Like seed 002: sections (roman, heading, body scope, rows); the table breaks after PAGE_ROWS_1187
    rows with its header repeated."""
    province = named(doc.province)
    year = doc.period[0]
    table, printed = [*HEADER_1187_TAB], 0
    for roman, heading, _, rows in sections:
        table.append(f"<b>{roman}</b>\t<b>{heading}</b>" + "\t" * 12)
        for i, r in enumerate(rows, 1):
            if printed == PAGE_ROWS_1187:
                table += ["", "", "", *HEADER_1187_TAB]
            table.append(row_1187(i, r))
            printed += 1
    parts = [
        *issuer_block_md(doc),
        f"Số: {number_words(doc)}",
        f"{bare(doc.province)}, {date_words(doc)}",
        "## BÁO CÁO",
        f"### **Kết quả chấm điểm đánh giá việc giải quyết thủ tục hành chính năm {year} trên địa bàn "
        f"{province}**",
        "Thực hiện đánh giá việc giải quyết thủ tục hành chính theo quy định tại Nghị định số 61/2018/NĐ-CP "
        "ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục "
        "hành chính; Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ "
        f"hướng dẫn thi hành một số quy định của Nghị định 61/2018/NĐ-CP; UBND {province} báo cáo tình hình, "
        f"kết quả chấm điểm đánh giá việc giải quyết thủ tục hành chính năm {year} trên địa bàn tỉnh như sau:",
        "#### **1. Tổ chức, triển khai thực hiện**",
        f"Năm {year}, UBND tỉnh tiếp tục chỉ đạo các cơ quan chuyên môn thuộc UBND tỉnh; "
        f"{sections[1][2]} thực hiện việc chấm điểm đánh giá việc giải quyết thủ tục hành chính theo quy định "
        "tại Quyết định số 1187/QĐ-UBND ngày 13/11/2019 ban hành nội dung, phương thức chấm điểm đánh giá việc "
        "giải quyết thủ tục hành chính.",
        "#### **2. Kết quả đánh giá, xếp loại**",
        "Trên cơ sở thống kê số liệu của các cơ quan, đơn vị và theo dõi của Văn phòng UBND tỉnh, kết quả đánh "
        "giá, xếp loại việc giải quyết TTHC theo quy định tại Quyết định số 1187/QĐ-UBND, cụ thể như sau:",
        *(count_sentence(scope, rows) for _, _, scope, rows in sections),
        "(có Phụ lục kèm theo)",
        "#### **3. Khó khăn, vướng mắc**",
        "Việc khảo sát sự hài lòng của cá nhân, tổ chức tại các cấp còn nhiều hạn chế; khảo sát bằng hình thức "
        "trực tuyến chưa thực sự hiệu quả.",
        f"Trên đây là Báo cáo kết quả thực hiện việc chấm điểm đánh giá giải quyết thủ tục hành chính năm {year} "
        f"trên địa bàn {province}, UBND tỉnh báo cáo Văn phòng Chính phủ theo quy định./.",
        "#### Nơi nhận:",
        "\n".join(("- Văn phòng Chính phủ (Cục KSTTHC);", "- Lãnh đạo UBND tỉnh;",
                   "- Các cơ quan chuyên môn thuộc UBND tỉnh;", f"- {sections[1][2]};",
                   "- Lưu: VT, KSTT.")),
        "TM. ỦY BAN NHÂN DÂN  \nCHỦ TỊCH",
        doc.signer,
        "**Phụ lục**  \n**KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI VIỆC GIẢI QUYẾT TTHC THEO CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN "
        "THÔNG**  \n**TẠI CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH, UBND CẤP HUYỆN NĂM "
        f"{year} TRÊN ĐỊA BÀN {province.upper()}**  \n {caption(doc)}",
        "\n".join(table),
    ]
    return "\n\n".join(parts) + "\n"


def province_1187(rng: random.Random, doc: Doc, *, aliases: int) -> str:
    """Departments then districts; `aliases` departments are printed under an abbreviation of agencies.yaml."""
    agencies = departments(doc.province.code)
    shortened = set(rng.sample([name for name, a in agencies if a], aliases))
    printed = [(rng.choice(a) if name in shortened else name, name) for name, a in agencies]
    districts = Register.load().children(doc.province.code, LEGACY)
    kinds = district_kinds(districts)
    return markdown_1187(doc, (
        ("I", "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH", "các cơ quan chuyên môn thuộc UBND tỉnh",
         rows_1187(rng, printed)),
        ("II", f"ỦY BAN NHÂN DÂN CÁC {kinds.upper()}", f"UBND các {kinds}",
         rows_1187(rng, [(ubnd(d), d.name) for d in districts])),
    ))


# ---------------------------------------------------------------- 766/QĐ-TTg commune report (prose)


GROUPS_766 = (  # (sentence head, maximum)
    ("1. Điểm đánh giá nhóm chỉ số về công khai, minh bạch", 18),
    ("2. Điểm đánh giá nhóm chỉ số về tiến độ giải quyết hồ sơ", 20),
    ("3.1. Điểm đánh giá chỉ số về dịch vụ công trực tuyến (DVCTT)", 12),
    ("3.2. Điểm đánh giá chỉ số về thanh toán trực tuyến", 10),
    ("4. Điểm đánh giá nhóm chỉ số về mức độ hài lòng", 18),
    ("5. Điểm đánh giá nhóm chỉ số về số hóa hồ sơ", 22),
)


def percent(part: int, whole: int) -> str:
    return num(round(part / whole * 100, 2))


def prose_766(rng: random.Random, doc: Doc) -> str:
    """Like seed 003, with the group scores adding up to the stated total."""
    commune, district = doc.issuer, Register.load().get(doc.issuer.parent, LEGACY)
    peers = Register.load().children(district.code, LEGACY)
    values = [rng.choice((18, 18, 17, 16)), rng.choice((20, 20, 19, 17.5, 15)), round(rng.uniform(6, 12), 1),
              round(rng.uniform(4, 10), 1), rng.choice((18, 18, 17.5, 16)), round(rng.uniform(12, 22), 1)]
    total = round(sum(values), 1)
    year, m = doc.period
    when, who = period_words(doc), ubnd(commune)
    on_time = rng.randint(70, 100)
    procedures, online = rng.randint(120, 180), rng.randint(2, 8)
    paid, payable = rng.randint(40, 90), rng.randint(100, 140)
    details = (
        ["- Số TTHC được công khai đầy đủ các nội dung quy định về các bộ phận cấu thành: 100%."],
        [f"- Tỷ lệ hồ sơ xử lý đúng hạn/trong hạn: {on_time} %.", f"- Tỷ lệ xử lý hồ sơ quá hạn: {100 - on_time} %."],
        [f"- Tỷ lệ TTHC cung cấp DVCTT toàn trình: {online} TTHC (đạt {percent(online, procedures)} %)."],
        [f"- Tỷ lệ TTHC có giao dịch thanh toán trực tuyến: {paid} TTHC (đạt {percent(paid, payable)}%)."],
        ["- Tỷ lệ hài lòng trong xử lý tiếp nhận, giải quyết TTHC: 100%."],
        ["- Tỷ lệ hồ sơ cấp kết quả điện tử: 100 %."],
    )
    lines = [
        *heading_layout(doc),
        "",
        *centre("Kết quả chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong "
                f"thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử {when}"),
        "",
        *wrap(f"Thực hiện Kế hoạch số {rng.randint(100, 900)}/KH-UBND ngày {rng.randint(1, 28)}/"
              f"{rng.randint(7, 12)}/2022 của UBND {named(doc.province)} về triển khai thực hiện Quyết định "
              "số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ phê duyệt Bộ chỉ số chỉ đạo, điều hành và "
              "đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ "
              "công theo thời gian thực trên môi trường điện tử."),
        *wrap("Căn cứ kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp của "
              f"{named(district)} công bố trên Cổng Dịch vụ công quốc gia, {who} báo cáo kết quả "
              "chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện "
              f"thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử {when} như sau:"),
        *wrap(f"I. Kết quả công bố điểm số, tiến độ giải quyết thủ tục hành chính (TTHC) theo thời gian thực "
              f"trên môi trường điện tử tháng {two(m)}/{year}"),
        *wrap(f"Tổng số điểm {named(commune)} đạt {num(total)}/100 điểm, xếp hạng "
              f"{rng.randint(1, len(peers))}/{len(peers)} {ward_kinds(peers)}. Điểm số các nhóm chỉ số theo "
              "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ cụ thể như sau:"),
    ]
    for k, ((head, top), value, more) in enumerate(zip(GROUPS_766, values, details)):
        if k == 2:
            lines += wrap("3. Điểm đánh giá nhóm chỉ số về dịch vụ trực tuyến")
        lines += wrap(f"{head}: {num(value)}/{top} điểm, trong đó:") + [f"     {t}" for t in more]
    lines += [
        *wrap("II. Kết quả đánh giá, xếp loại chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ "
              "tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử"),
        *wrap(f"Tổng điểm: {num(total)}/100 điểm, xếp loại {rate(total)}."),
        *wrap("III. Kiến nghị, đề xuất: Không có"),
        *wrap("Trên đây là kết quả chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh "
              f"nghiệp trong thực hiện TTHC, dịch vụ công theo thời gian thực trên môi trường điện tử {when} "
              f"của {who}./."),
        *signature_layout(doc, ("UBND huyện (B/cáo);", f"CT, PCT UBND {commune.kind};", "Lưu: VP.")),
    ]
    return layout(pages(lines))


# ---------------------------------------------------------------- reports


def new_doc(rng: random.Random, issuer: Unit, period: tuple[int, int | None]) -> Doc:
    """A report signed early in the month after its period (a yearly one in late December)."""
    year, m = period
    signed = (rng.randint(3, 12), *next_month(year, m)[::-1]) if m else (rng.randint(20, 29), 12, year)
    return Doc(issuer, Register.load().province_of(issuer), period, rng.randint(20, 260), signed, signer(rng))


# ---------------------------------------------------------------- the fixed set


def _build() -> list[Sample]:
    """The five reports of data/samples (see the module docstring)."""
    reg = Register.load()
    district = reg.get("101", LEGACY)  # Huyện Điện Biên Đông
    units = reg.children(district.code, LEGACY)

    rng = random.Random("samples/459-march")
    march = new_doc(rng, district, (2024, 3))
    rows = rows_459(rng, units, frozenset({0, 1, 2, 5}))
    k = rng.randrange(len(rows))
    typed, meant = mistype(rng, rows[k])
    rows = best_first([*rows[:k], meant, *rows[k + 1:]])
    first = [typed if r is meant else r for r in rows]
    day, m, year = march.signed
    resubmitted = replace(march, number=march.number + rng.randint(5, 30), signed=(day + 7, m, year))
    note = (f"Báo cáo này thay thế Báo cáo số {march.number}/BC-UBND ngày {day}/{m}/{year}, điều chỉnh số liệu "
            f"của {meant.printed}.")

    rng = random.Random("samples/459-april")
    april = replace(new_doc(rng, district, next_month(2024, 3)), number=None)
    rows_april = rows_459(rng, units, frozenset({5}))
    j = next(i for i, r in enumerate(rows_april) if r.rating != "Xuất sắc")
    rows_april[j] = misrate(rows_april[j])

    rng = random.Random("samples/1187-lai-chau")
    province = province_1187(rng, new_doc(rng, reg.get("12", LEGACY), (2023, None)), aliases=3)

    rng = random.Random("samples/766-commune")
    commune = rng.choice(reg.children("106", LEGACY))  # a commune of Huyện Tam Đường
    prose = prose_766(rng, new_doc(rng, commune, (2024, 6)))

    stem = slug(district)
    return [
        Sample(f"01_{stem}_2024-03.md", markdown_459(march, first, units), (("SUM_MISMATCH", meant.unit),)),
        Sample(f"02_{stem}_2024-04.txt", layout_459(april, rows_april, units),
               (("RATING_MISMATCH", rows_april[j].unit),)),
        Sample(f"03_{stem}-dieu-chinh_2024-03.md", markdown_459(resubmitted, rows, units, note),
               (("CONFLICTING_SUBMISSION", meant.unit),)),
        Sample("04_lai-chau_2023.md", province),
        Sample(f"05_{slug(commune)}_2024-06.txt", prose),
    ]


@cache
def _fixed() -> tuple[Sample, ...]:
    return tuple(replace(s, text=nfc(s.text)) for s in _build())


def samples() -> list[tuple[str, str]]:
    """The fixed set of data/samples: (file name, text)."""
    return [(s.name, s.text) for s in _fixed()]


def planted() -> dict[str, list[tuple[str, str]]]:
    """File name → the (rule, unit) findings planted in it; CONFLICTING_SUBMISSION shows only across reports."""
    return {s.name: list(s.planted) for s in _fixed()}


# ---------------------------------------------------------------- synthetic reports


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, at = [], first
    while at <= last:
        out.append(at)
        at = next_month(*at)
    return out


MONTHS_459 = _months((2023, 4), (2025, 6))  # 459 took effect 24/3/2023; the legacy register ends 30/6/2025
MONTHS_766 = _months((2022, 8), (2025, 6))
YEARS_1187 = range(2020, 2025)


@cache
def _provinces() -> tuple[Unit, ...]:
    """Provinces of the legacy register (two-digit GSO codes, with gaps)."""
    return tuple(u for n in range(1, 100) if (u := Register.load().get(two(n), LEGACY)))


def _district(rng: random.Random) -> Unit:
    """A district with at least three communes (island districts have none)."""
    reg = Register.load()
    while True:
        districts = [d for d in reg.children(rng.choice(_provinces()).code, LEGACY)
                     if len(reg.children(d.code, LEGACY)) >= 3]
        if districts:
            return rng.choice(districts)


def _month(doc: Doc) -> str:
    return f"{doc.period[0]}-{two(doc.period[1])}"


def _one(rng: random.Random) -> tuple[str, str]:
    """(file name without its number, text) of one random report of any kind."""
    kind = rng.choices(("459-md", "459-layout", "1187", "766"), weights=(4, 3, 1, 2))[0]
    if kind == "1187":
        province = rng.choice(_provinces())
        doc = new_doc(rng, province, (rng.choice(YEARS_1187), None))
        return f"{slug(province)}_{doc.period[0]}.md", province_1187(rng, doc, aliases=2)
    district = _district(rng)
    units = Register.load().children(district.code, LEGACY)
    if kind == "766":
        commune = rng.choice(units)
        doc = new_doc(rng, commune, rng.choice(MONTHS_766))
        return f"{slug(commune)}_{_month(doc)}.txt", prose_766(rng, doc)
    doc = new_doc(rng, district, rng.choice(MONTHS_459))
    if rng.random() < 0.2:  # number and day left blank, as in many signed copies
        doc = replace(doc, number=None, signed=(None, *doc.signed[1:]))
    rows = rows_459(rng, units, frozenset(rng.choice(((), (5,), (0, 1, 2, 5)))))
    if kind == "459-md":
        return f"{slug(district)}_{_month(doc)}.md", markdown_459(doc, rows, units)
    return f"{slug(district)}_{_month(doc)}.txt", layout_459(doc, rows, units)


def generate(count: int, seed: int) -> Iterator[tuple[str, str]]:
    """`count` synthetic reports (file name, text); report i depends only on (seed, i)."""
    width = max(2, len(str(count)))
    for i in range(count):
        name, text = _one(random.Random(f"{seed}:{i}"))
        yield f"{i + 1:0{width}d}_{name}", nfc(text)


# ---------------------------------------------------------------- command line


def write(reports: Iterable[tuple[str, str]], out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for name, text in reports:
        (out / name).write_bytes(text.encode("utf-8"))
        n += 1
    return n


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into (default: data/samples)")
    parser.add_argument("--count", type=int, help="write this many synthetic reports instead of the fixed set")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic reports")
    args = parser.parse_args(argv)
    reports = samples() if args.count is None else generate(args.count, args.seed)
    print(f"{write(reports, args.out)} reports written to {args.out}")


if __name__ == "__main__":
    main()
