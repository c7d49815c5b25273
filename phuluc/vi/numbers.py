"""Printed numbers: table cells, header maxima and figures in running prose.

Reports print numbers the Vietnamese way (thousands dot, decimal comma) but tools and typists mix
in English style, so one cell is read by these rules, in order:

1. Strip whitespace and NFC; drop simple markup around the number (``<b>18</b>``, ``**18**``,
   ``*4*``) and a trailing unit word "điểm" / "đ" ("18 điểm", "5đ").
2. ``""``, ``"-"``, ``"–"``, ``"—"``, ``"--"`` → not applicable: ``Number(None, text)``.
3. ``a/b`` with numbers on both sides (spaces around "/" allowed) is a fraction: "68,75/70" →
   value 68.75, denominator 70.
4. A trailing "%" (with or without a space) marks a percentage.
5. A minus sign is allowed directly before the digits ("-0,5"). Then the digits:

   - ``d.ddd`` (one dot, exactly three digits after) is ambiguous: thousands ("1.527" → 1527)
     unless `limit` is given and only the decimal reading fits under it (a score ≤ 10: 1.527).
     A first group starting with 0 ("0.527") cannot be thousands, so it is a decimal.
   - thousands dots, optional decimal comma: "1.550.008" → 1550008, "1.550.008,5".
   - decimal comma: "8,75", "10,0"; "1,527" is a Vietnamese decimal too (1.527).
   - English thousands commas, two or more groups or followed by a decimal point: "1,234,567",
     "1,234.5".
   - English decimal point with 1–2 or 4+ decimals: "78.13", "3.14159".
   - plain integers, leading zeros allowed: "02" → 2.

6. Anything else raises `NotANumber`.

`value` is never rounded; `decimals` counts the printed decimals of the achieved part, which is
what the checks' rounding tolerance is built on. In a fraction `limit` applies to the achieved part.

`parse_change` reads a change against the previous period, signed by a plus or minus or by an arrow
("+2,5", "−1,25", "↑3", "▲ 2", "giảm 1 bậc"), as published rankings print it.

`find_numbers` reads prose with the same rules but skips digits that label rather than count:
heading numbering at a line start ("3.1."), document numbers ("128 /BC-UBND", "61/2018/NĐ-CP"),
slashed dates ("08/3/2024", "ngày 24/3", "tháng 05/2024", a week's days "từ 18/3 đến 24/3/2024"),
week numbers ("tuần 03/2024") and URLs.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, replace

from phuluc.model import Number
from phuluc.vi.text import clean, nfc

_NOT_APPLICABLE = frozenset({"", "-", "–", "—", "--"})
_TAG = re.compile(r"<([a-z]+)>(.*)</\1>", re.I | re.S)
_STARS = re.compile(r"(\*{1,2})(.+)\1", re.S)
_UNIT = re.compile(r"(?<=\S)\s*(?:điểm|đ)\Z", re.I)
_FRACTION = re.compile(r"(.+?)\s*/\s*(.+)", re.S)
_PERCENT = re.compile(r"(.+?)\s*%", re.S)

_AMBIGUOUS = re.compile(r"[0-9]{1,3}\.[0-9]{3}")
# (pattern, grouping separator, decimal separator), tried in order after the ambiguous case.
_FORMS = (
    (re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?"), ".", ","),
    (re.compile(r"[0-9]+,[0-9]+"), "", ","),
    (
        re.compile(r"[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]+)?|(?:,[0-9]{3})+\.[0-9]+)"),
        ",",
        ".",
    ),
    (re.compile(r"[0-9]+\.(?:[0-9]{1,2}|[0-9]{4,})"), "", "."),
    (re.compile(r"[0-9]+"), "", ""),
)

# a change: a rise ("+", an arrow up, "tăng") or a fall ("-", "−", an arrow down, "giảm") before the
# figure, a unit word after it; "=" or "không đổi" for none
RISES, FALLS = "+↑▲△⬆⇧", "-−–↓▼▽⬇⇩"  # the marks of a rise and of a fall: signs, then arrows
ARROWS = frozenset(RISES[1:] + FALLS[3:])  # printed before a change, sometimes a space apart ("▲ 2")
_CHANGE = re.compile(rf"(?:(?P<up>[{re.escape(RISES)}]|tăng)|(?P<down>[{re.escape(FALLS)}]|giảm))?\s*(?P<figure>[0-9].*?)"
                     r"(?:\s*(?:bậc|hạng|điểm|đ))?", re.I | re.S)
_UNCHANGED = frozenset({"=", "không đổi", "giữ nguyên", "↔", "→"})

_MAX = re.compile(r"\(\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:điểm|đ)\s*\)", re.I)

# Prose: a number not glued to a word, another number or a code such as "COVID-19"; a glued unit
# ("5đ") is allowed but stays outside the match.
_NUM = r"[0-9]+(?:[.,][0-9]+)*"
_CANDIDATE = re.compile(
    rf"(?<![\w.,/])(?<![^\W\d]-)-?{_NUM}(?:\s*/\s*{_NUM})?(?:\s*%)?(?=(?:điểm|đ)?(?![\w/]))"
)
# Spans whose digits are not figures: URLs, document numbers ("128 /BC-UBND", "61/2018/NĐ-CP"),
# dates ("08/3/2024", "ngày 24/3", month/year "05/2024"), a week's number and days ("tuần 12 (từ 18/3 …)").
_DAY = r"(?:[12]?[0-9]|3[01])\s*/\s*(?:0?[1-9]|1[0-2])(?![0-9])"  # a day and month, "18/3"
_EXCLUDED = (
    re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I),
    re.compile(r"[0-9]+\s*/\s*(?:[0-9]{4}\s*/\s*)?[A-ZĐ]"),
    re.compile(r"[0-9]{1,2}([/.-])[0-9]{1,2}\1[0-9]{2,4}"),
    re.compile(r"ngày\s+[0-9]{1,2}\s*/\s*[0-9]{1,2}", re.I),
    re.compile(rf"từ\s+(?:ngày\s+)?{_DAY}(?:\s*/\s*[0-9]{{4}})?\s*(?:đến|-|–)\s*(?:ngày\s+)?{_DAY}", re.I),
    re.compile(r"tuần\s+(?:thứ\s+)?[0-9]{1,2}(?:\s*/\s*[0-9]{4})?(?![0-9])", re.I),  # a week's number, "tuần 03/2024"
    re.compile(r"(?<![0-9/.,])(?:0?[1-9]|1[0-2])\s*[/-]\s*(?:19|20)[0-9]{2}(?![0-9/])"),
)
# Heading numbering at the start of a line: "1.", "3.1.", "2)", or "3.1" before a capital.
_HEADING = re.compile(
    r"^[ \t#*]*(?P<num>[0-9]{1,2}(?:\.[0-9]{1,2})*)(?![0-9])"
    r"(?:(?P<mark>[.)])(?![0-9])|[ \t]+(?P<next>\S))",
    re.M,
)


class NotANumber(ValueError):
    """A cell or token that the number rules do not read."""


@dataclass(frozen=True, slots=True)
class Found:
    """A number in prose with its character offsets into the searched text."""

    number: Number
    start: int
    end: int


def parse_number(text: str, *, limit: float | None = None) -> Number:
    """Read one printed number by the module's rules; `limit` settles "1.527"-style ambiguity."""
    read = _parse(text, limit)
    if isinstance(read, NotANumber):
        raise NotANumber(*read.args)
    return read


@functools.lru_cache(maxsize=8192)
def _parse(text: str, limit: float | None) -> Number | NotANumber:
    """`parse_number` remembered: a table's readings and checks read the same cells many times."""
    try:
        return _read(text, limit)
    except NotANumber as refused:
        return NotANumber(*refused.args)  # without the traceback that holds the frames


def _read(text: str, limit: float | None) -> Number:
    shown = _unmark(nfc(text).strip())
    core = _unmark(_UNIT.sub("", shown))
    if core in _NOT_APPLICABLE:
        return Number(None, shown)
    if m := _FRACTION.fullmatch(core):
        value, decimals = _signed(m[1], limit, text)
        denominator, _ = _unsigned(m[2], None, text)
        return Number(value, shown, decimals, denominator=denominator)
    if m := _PERCENT.fullmatch(core):
        value, decimals = _signed(m[1], limit, text)
        return Number(value, shown, decimals, percent=True)
    value, decimals = _signed(core, limit, text)
    return Number(value, shown, decimals)


def is_number(text: str) -> bool:
    """Whether `parse_number` reads `text` (a blank or "-" cell counts as a number)."""
    try:
        parse_number(text)
    except NotANumber:
        return False
    return True


def parse_change(text: str) -> Number | None:
    """A printed change against the previous period: its signed value ("↓2" → -2; value None for a
    blank or "-" cell), or None for a cell that prints no change."""
    shown = _unmark(clean(text))
    if shown.casefold() in _UNCHANGED:
        return Number(0.0, shown)
    if shown in _NOT_APPLICABLE:
        return Number(None, shown)
    m = _CHANGE.fullmatch(shown)
    read = _parse(m["figure"], None) if m else None
    if not isinstance(read, Number) or read.denominator or read.percent:
        return None
    return replace(read, value=-read.value if m["down"] else read.value, text=shown)


def is_figure(text: str) -> bool:
    """A table's figure: a number, or a ranking's signed change ("+2,5", "▲ 2"), which stands in a
    column of figures too (a blank or "-" cell counts, as for `is_number`)."""
    return is_number(text) or parse_change(text) is not None


def parse_max(label: str) -> float | None:
    """The maximum a header states, "Chỉ số 1 (5đ)" → 5; None when it states none."""
    found = _MAX.findall(nfc(label))
    return parse_number(found[-1]).value if found else None


def find_numbers(text: str) -> list[Found]:
    """Figures in prose, in order, skipping heading numbering, document numbers, dates and URLs.

    Offsets index `text` as given, so pass NFC text (every phuluc stage does).
    """
    skipped = _skipped_spans(text)
    found: list[Found] = []
    for m in _CANDIDATE.finditer(text):
        if any(start < m.end() and m.start() < end for start, end in skipped):
            continue
        try:
            number = parse_number(m[0])
        except NotANumber:  # "1.2.3" and other runs of digits that are no single number
            continue
        found.append(Found(number, m.start(), m.end()))
    return found


def format_vi(value: float, decimals: int) -> str:
    """Vietnamese print of a number: thousands dot, decimal comma ("1.550.008", "8,75")."""
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def _unmark(text: str) -> str:
    """Drop markup that wraps the whole text, layer by layer ("**<b>18</b>**" → "18")."""
    while m := _TAG.fullmatch(text) or _STARS.fullmatch(text):
        text = m[2].strip()
    return text


def _signed(text: str, limit: float | None, original: str) -> tuple[float, int]:
    """A minus directly before the digits; `limit` bounds the magnitude."""
    if text.startswith("-"):
        value, decimals = _unsigned(text[1:], limit, original)
        return -value, decimals
    return _unsigned(text, limit, original)


def _unsigned(text: str, limit: float | None, original: str) -> tuple[float, int]:
    """Value and printed decimals of bare digits; `original` only names the cell in errors."""
    if _AMBIGUOUS.fullmatch(text):
        thousands, decimal = float(text.replace(".", "")), float(text)
        if text.startswith("0") or (limit is not None and decimal <= limit < thousands):
            return decimal, 3
        return thousands, 0
    for pattern, group, point in _FORMS:
        if pattern.fullmatch(text):
            value, decimals = _convert(text, group, point)
            if math.isfinite(value):  # hundreds of digits overflow to inf: no printed figure
                return value, decimals
            break
    raise NotANumber(f"not a number: {original!r}")


def _convert(text: str, group: str, point: str) -> tuple[float, int]:
    """Value and printed decimals of digits with the given separators."""
    digits = text.replace(group, "") if group else text
    whole, _, fraction = digits.partition(point) if point else (digits, "", "")
    return float(f"{whole}.{fraction}" if fraction else whole), len(fraction)


def _skipped_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose digits are labels, not figures: codes, dates, URLs, heading numbering."""
    spans = [m.span() for pattern in _EXCLUDED for m in pattern.finditer(text)]
    for m in _HEADING.finditer(text):
        is_multilevel = "." in m["num"]
        if m["mark"] or (is_multilevel and m["next"].isupper()):
            spans.append((m.start("num"), m.end("mark") if m["mark"] else m.end("num")))
    return spans
