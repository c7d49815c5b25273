"""Report metadata from the body text: issuer, number, signing date, period, place names.

Follows the document conventions of Nghị định 30/2020/NĐ-CP: the issuer block "ỦY BAN NHÂN DÂN /
HUYỆN …" beside the national motto, "Số: 128/BC-UBND", "<place>, ngày 08 tháng 3 năm 2024", and a
title naming the period ("tháng 02 năm 2024", "Quý II năm 2021", "6 tháng đầu năm 2024", "năm 2022",
"tuần 03/2024": the ISO week as the provinces' weekly results number it).
Appendix captions repeat number, date and issuer: "(Kèm theo Báo cáo số 22/BC-UBND ngày … của UBND
huyện …)"; they are the fallback (and the only source for an appendix sent alone as a workbook). A
title that ends on its issuer ("… tháng 10/2024 của UBND huyện Mường Chà", a web page's <title>) names it
where nothing else does.
Blank fields ("Số:   /BC-UBND", "ngày    tháng 8") stay None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from phuluc.periods import Period
from phuluc.vi.text import clean

_KINDS = r"(?:thành phố|thị xã|thị trấn|huyện|tỉnh|xã|phường|quận|đặc khu)"
_BLANK = r"[\s.…_\-–—]*"  # a field left blank: spaces, or dots, dashes, underscores to write on
_NUMBER = re.compile(r"(?:^|\s)Số\s*:" + _BLANK + r"(\d*)" + _BLANK + r"/\s*([A-ZĐ][A-ZĐ0-9&\-]*[A-ZĐ0-9])")
_CAPTION = re.compile(r"kèm theo\s+báo cáo\s*số" + _BLANK + r"(\d*)" + _BLANK + r"/\s*([A-ZĐ][A-ZĐ0-9&\-]*[A-ZĐ0-9])"
                      r"(.*?)\)", re.IGNORECASE | re.DOTALL)
_DATE = re.compile(r"ngày" + _BLANK + r"(\d{1,2})?" + _BLANK + r"tháng" + _BLANK + r"(\d{1,2})?" + _BLANK
                   + r"năm\s*(\d{4})", re.IGNORECASE)
_SIGNED = re.compile(r",\s*" + _DATE.pattern, re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_SLASHED = r"(\d{1,2})\s*/\s*(\d{1,2})"  # a day and month "18/3", as a week's first and last days print
_DAYS = (r"\(\s*(?:từ\s*)?(?:ngày\s*)?" + _SLASHED + r"(?:\s*/\s*\d{4})?\s*(?:đến|-|–)\s*(?:ngày\s*)?" + _SLASHED
         + r"\s*/\s*(\d{4})\s*\)")
# a period's word at the end of a line, its number on the next ("… điện tử Tuần" / "39 năm 2024")
_BROKEN = re.compile(r"\b(tuần|tháng|quý)[^\S\n]*\n\s*(?=\d|(?:i{1,3}|iv)\b)", re.IGNORECASE)
_Form = Literal["week", "week of month", "quarter", "half", "month", "year"]  # how a title names its period
_PERIODS: tuple[tuple[_Form, re.Pattern[str]], ...] = (  # most specific first
    ("week", re.compile(r"(?<!\w)tuần\s*(?:thứ\s*)?(\d{1,2})(?:\s*(?:năm\s*|/\s*)(\d{4})|\s*" + _DAYS + ")",
                        re.IGNORECASE)),
    # a week of a month ("tuần 2 tháng 3/2024"): its days name its ISO week
    ("week of month", re.compile(r"(?<!\w)tuần\s*(?:thứ\s*)?\d\s*(?:của\s*)?tháng\s*\d{1,2}\s*(?:(?:năm\s*|/\s*)\d{4})?"
                                 r"\s*(?:" + _DAYS + ")?", re.IGNORECASE)),
    ("quarter", re.compile(r"quý\s*(i{1,3}|iv|[1-4])\s*(?:năm\s*|/\s*)(\d{4})", re.IGNORECASE)),
    ("half", re.compile(r"(6|sáu)\s*tháng\s*(đầu|cuối)\s*năm\s*(\d{4})", re.IGNORECASE)),
    ("month", re.compile(r"tháng\s*(\d{1,2})\s*(?:năm\s*|/\s*)(\d{4})", re.IGNORECASE)),
    ("year", re.compile(r"(?<!tháng )năm\s*(\d{4})", re.IGNORECASE)),
)
_ISSUER_BLOCK = re.compile(r"(?:ỦY|UỶ|UY)\s+BAN\s+NHÂN\s+DÂN\s+(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\s+)?"
                           r"(THÀNH PHỐ|THỊ XÃ|THỊ TRẤN|HUYỆN|TỈNH|XÃ|PHƯỜNG|QUẬN|ĐẶC KHU)\s+(\S+(?:\s+\S+){0,5})")
_UNIT = r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?i:" + _KINDS + r")\s+(\S+(?:\s+\S+){0,5})"
_ISSUER_PHRASES = [  # where the body names its own issuer, most telling first
    re.compile(r"(?i:kèm theo\s+báo cáo)[^()]*?của\s+" + _UNIT + r"\s*\)"),  # appendix caption
    re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?i:(" + _KINDS + r"))\s+([^\s,.;:()]+(?:[^\S\n]+[^\s,.;:()]+){0,5}?)"
               r"\s+(?:báo cáo|tổng hợp|thẩm định|thực hiện chấm|xin báo cáo)"),
    re.compile(r"của\s+" + _UNIT + r"\s*\./\."),  # closing sentence
    re.compile(r"trên địa bàn\s+(?i:(" + _KINDS + r"))\s+(\S+(?:\s+\S+){0,5})"),
    # a title or heading that ends on its issuer, all a web page's <title> may say of it
    re.compile(r"của\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?i:(" + _KINDS + r"))[^\S\n]+"
               r"([^\s,.;:()]+(?:[^\S\n]+[^\s,.;:()]+){0,5})[^\S\n]*$", re.MULTILINE),
]
_PLACE = re.compile(r"(?i:\b(" + _KINDS + r"))\s+(?=(\S+(?:\s+\S+){0,5}))")  # lookahead: names may overlap
_TABLE_WORD = r"(?:phụ lục|biểu(?!\s*(?:hiện|dương|quyết|tượng|diễn|mẫu|đạt|thị))(?:\s*số)?|bảng(?!\s*biểu))"
# a report that corrects or replaces one sent before: "BÁO CÁO ĐIỀU CHỈNH", "(Bản điều chỉnh)",
# "thay thế Báo cáo số 12/BC-UBND", "Đính chính báo cáo …"
_CORRECTION = re.compile(r"\b(?:báo cáo|bản)\s+(?:điều chỉnh|đính chính|thay thế)\b"
                         r"|\(\s*(?:bản\s+)?(?:điều chỉnh|đính chính|thay thế)\b"
                         r"|\b(?:điều chỉnh|đính chính|thay thế)\s+(?:cho\s+)?báo cáo\s+số\b", re.IGNORECASE)
_HEAD = 3000  # characters of the body that hold the heading: issuer, number, date, title
_REFERENCE = re.compile(r"(?:kèm theo|có|chi tiết tại|theo)\s*(?:\w+\s+){0,6}?" + _TABLE_WORD
                        + r"[^.;\n]{0,90}?kèm theo|(?:phụ lục|biểu số\s*\d+)\s*kèm theo", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Heading:
    """What the body text says about the report itself, before any lookup in the register."""

    number: str | None
    date: str | None
    period: str | None
    issuers: tuple[tuple[str, str], ...]  # (kind, name) candidates, most trusted first
    places: tuple[tuple[str, str], ...]  # (kind, name) of places mentioned: hints for same-named units
    refers_to_appendix: bool
    corrects: bool = False  # it corrects or replaces a report sent before


def read_heading(body: str, captions: str = "") -> Heading:
    """Metadata from the body text (paragraphs joined by newlines) and table titles/captions."""
    number = _number(body) or _caption_number(body + "\n" + captions)
    date = _signed_date(body) or _caption_date(body + "\n" + captions)
    period = _period(body) or _period(captions)
    return Heading(number=number, date=date, period=period, issuers=tuple(_issuers(body + "\n" + captions)),
                   places=tuple(_places(body + "\n" + captions)), refers_to_appendix=bool(_REFERENCE.search(body)),
                   corrects=bool(_CORRECTION.search(body[:_HEAD])))


def _number(text: str) -> str | None:
    m = _NUMBER.search(text[:2000])
    if m is None:
        return None
    return f"{m.group(1)}/{m.group(2)}" if m.group(1) else None


def _caption_number(text: str) -> str | None:
    m = _CAPTION.search(text)
    return f"{m.group(1)}/{m.group(2)}" if m and m.group(1) else None


def _iso(m: re.Match[str] | None) -> str | None:
    if m is None or not m.group(1) or not m.group(2):
        return None
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _signed_date(text: str) -> str | None:
    m = _SIGNED.search(text[:3000])
    return _iso(_DATE.search(m.group(0))) if m else None


def _caption_date(text: str) -> str | None:
    m = _CAPTION.search(text)
    return _iso(_DATE.search(m.group(3))) if m else None


def _period(text: str) -> str | None:
    """The first period named outside a date ("ngày … tháng 3 năm 2024" is when, not what); a period
    the calendar lacks ("tháng 13/2024", "tuần 53/2023") is none."""
    text = _BROKEN.sub(r"\1 ", _DATE.sub(" ", text))
    for line in text.split("\n"):
        found = [(m.start(), k, form, m) for k, (form, rx) in enumerate(_PERIODS) for m in rx.finditer(line)]
        if not found:
            continue
        _, _, kind, m = min(found, key=lambda f: f[:2])
        try:
            return str(Period.parse(_written(kind, m)))
        except ValueError:
            return None
    return None


def _written(form: _Form, m: re.Match[str]) -> str:
    """The period a match names, written as phuluc writes periods (periods.py), not yet checked. A
    numbered week without its year takes the ISO year of its printed days (a week 1 may start in
    December, a week 53 end in January); a week of a month is the ISO week of its days, and no
    period ("") where it prints none."""
    if form == "week":
        days = _iso_week(m, 3)
        return f"{m.group(2) or (days[0] if days else '')}-W{int(m.group(1)):02d}"
    if form == "week of month":
        days = _iso_week(m, 1)
        return f"{days[0]}-W{days[1]:02d}" if days else ""
    if form == "quarter":
        q = m.group(1).lower()
        return f"{m.group(2)}-Q{_ROMAN.get(q) or int(q)}"
    if form == "half":
        return f"{m.group(3)}-H{1 if m.group(2).lower() == 'đầu' else 2}"
    if form == "month":
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return m.group(1)


def _iso_week(m: re.Match[str], at: int) -> tuple[int, int] | None:
    """The ISO year and week of a week's printed days "(từ 18/3 đến 24/3/2024)" (groups from `at`),
    by its last day."""
    if m.group(at) is None:
        return None
    try:
        last = dt.date(int(m.group(at + 4)), int(m.group(at + 3)), int(m.group(at + 2)))
    except ValueError:
        return None
    return last.isocalendar().year, last.isocalendar().week


def _name_words(text: str, *, caps: bool) -> str:
    """The words of a unit name that open `text`: capitalised words ("Mường Nhé báo cáo" → "Mường
    Nhé"), or all-capital words in an issuer block ("SÌN HỒ Độc lập" → "SÌN HỒ"). What follows may
    still run on ("Tuần Giáo Thực hiện"); the register lookup tries shorter prefixes."""
    words: list[str] = []
    tokens = clean(text).split()
    for k, raw in enumerate(tokens):
        w = raw.strip(",.;:()")
        if w in "-–" and w and words and k + 1 < len(tokens) and tokens[k + 1][:1].isupper():
            words.append(w)  # "Bà Rịa - Vũng Tàu"
            continue
        numeral = w.isdigit() and len(w) <= 2  # "Quận 8", "Phường 10", "Đại An 1"
        letters = w.replace("-", "").replace("'", "").replace("’", "")
        if not numeral and (not w or not w[0].isupper() or (caps and not w.isupper()) or not letters.isalpha()):
            break
        words.append(w)
        if raw[-1] in ",.;:)":  # punctuation closes the name
            break
    return " ".join(words)


def _title_case(name: str) -> str:
    return " ".join(w[:1] + w[1:].lower() for w in name.split())


def _issuers(text: str) -> list[tuple[str, str]]:
    """Issuer candidates (kind, name): the issuer block, then the phrases where a report names itself."""
    out: list[tuple[str, str]] = []
    block = _ISSUER_BLOCK.search(text[:1500])
    if block:
        out.append((block.group(1).lower(), _title_case(_name_words(block.group(2), caps=True))))
    for rx in _ISSUER_PHRASES:
        for m in rx.finditer(text):
            kind, rest = (m.group(1), m.group(2)) if rx.groups == 2 else ("", m.group(1))
            if not kind:
                kind = re.search(r"(?i:" + _KINDS + r")(?=\s+" + re.escape(rest.split()[0]) + ")", m.group(0))
                kind = kind.group(0) if kind else ""
            name = _name_words(rest, caps=False)
            if kind and name and (kind.lower(), name) not in out:
                out.append((kind.lower(), name))
    return [c for c in out if c[1]]


def _places(text: str) -> list[tuple[str, str]]:
    """(kind, name) of every place the text names ("huyện Bạch Thông"): hints for same-named units."""
    seen: list[tuple[str, str]] = []
    for m in _PLACE.finditer(text):
        place = (m.group(1).lower(), _name_words(m.group(2), caps=m.group(2).isupper()))
        if place[1] and place not in seen:
            seen.append(place)
    return seen
