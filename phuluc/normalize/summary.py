"""What the body text states about the ratings: counts per rating, and the units it names.

Reports state results as "05 đơn vị xếp loại Xuất sắc: UBND xã …, UBND xã …", "trong đó 03 đơn vị
xếp loại xuất sắc, 11 đơn vị xếp loại tốt", "17/18 đơn vị đạt loại Xuất sắc", "Không có đơn vị xếp
loại Trung bình, Yếu", or for one office "… đạt 90,8 điểm, xếp loại xuất sắc". Each becomes one
Statement; checks compare them with the tables.

The body arrives as paragraphs joined by line ends, and converter text breaks lines, blank ones too, inside
a sentence ("05 đơn vị xếp loại" ⏎ ⏎ "trung bình"). A line end is read as a space unless a sentence ends
before it or an item ("- 02 đơn vị …", "2. Nhận xét") opens after it, so a statement reads whole while
bullets stay apart.

A listing is cut at commas and "và", which the names themselves contain ("Sở Văn hóa, Thể thao và Du
lịch", "Bộ phận Tiếp nhận và Trả kết quả huyện"): its pieces are read by what they name (the report's
matcher), a piece that names nothing joined with the pieces after it up to the first run that names a unit,
a department or an office, and bare names after a kind ("UBND xã A, B và C") read with that kind.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

from phuluc.model import Statement
from phuluc.normalize.units import Match, split_name
from phuluc.vi import ratings
from phuluc.vi.numbers import NotANumber, parse_number
from phuluc.vi.text import clean, fold

_SUBJECT = r"(?:đơn vị|cơ quan|ubnd|xã|phường|thị trấn|huyện|sở|địa phương)"
_VERB = r"(?:được\s+)?(?:xếp loại|đạt loại|đạt kết quả|đạt|loại)"


@functools.cache
def _count_rx() -> re.Pattern[str]:
    return re.compile(r"(?<![\d/.,])(\d{1,3})(?:\s*/\s*(\d{1,3}))?\s+" + _SUBJECT + r"(?:[^\d:;.,()]{0,40}?)\s"
                      + _VERB + r"\s+(?<!\w)(" + ratings.alternation() + r")(?!\w)")


@functools.cache
def _none_rx() -> re.Pattern[str]:
    one = r"(?:" + ratings.alternation() + r")"
    return re.compile(r"không có\s+" + _SUBJECT + r"[^\d:;.()]{0,30}?" + _VERB + r"\s+(" + one
                      + r"(?:\s*(?:,|và|hoặc)\s*" + one + r")*)")


_OFFICE = re.compile(r"([^.;:\n]{3,90}?)\s+đạt\s+(\d{1,3}(?:,\d+)?)\s*điểm\s*,?\s*xếp loại\s+", re.IGNORECASE)
_SCOPE = re.compile(r"(?:^|[.:\n])\s*[-+•]?\s*((?:UBND\s+)?(?:các|cấp)\s[^:\d\n]{2,60}?)(?=\s*(?::|thực hiện|được|,\s*trong))",
                    re.IGNORECASE)
_ABBREVIATED = r"\b(?:TP|TX|TT)\."  # the dot of "UBND TP. Điện Biên Phủ" ends nothing
# A dot inside a name ("N.T") or after an abbreviated kind does not end the list.
_LISTING = re.compile(r"\s*:\s*((?:" + _ABBREVIATED + r"|[^.;\n]|\.(?=\S))*)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?]$")
_ABBREVIATED_END = re.compile(_ABBREVIATED + "$", re.IGNORECASE)
_ITEM = re.compile(r"[-+•–]|(?:\d{1,2}(?:\.\d{1,2})*|[IVXL]+|[a-zđ])[.)]\s")  # "- ", "2. ", "2.1. ", "II. ", "a) "
_SEPARATORS = r",(?!\d)|\svà\s"  # "45,2 điểm" holds no separator
_SEPARATOR = re.compile(f"({_SEPARATORS})")  # kept by split: a joined name is printed with them
_ASIDE = re.compile(r"\s*\([^()]*(?:\)|$)")  # "(đạt 45,2 điểm)", "(Có Phụ lục kèm theo)"
_MARKS = " -+•–"  # bullet marks left at the ends of a listing read from run-on text
_MAX_PIECES = 4  # "Sở Lao động, TB và XH" is three
_NOTHING = Match(None, 0.0, False, "")


class _Found(NamedTuple):
    """A statement and where it is printed in the body."""

    start: int
    end: int  # where a listing after the statement (": …") would begin
    statement: Statement


def read_statements(body: str, match: Callable[[str], Match]) -> tuple[Statement, ...]:
    """Every rating statement of the body text, in order."""
    lines = [line for line in map(clean, body.split("\n")) if line]  # a blank line says nothing
    text = "\n".join(lines)  # every line end kept: a scope or an office opens its line
    breaks = [_break(before, after, match) for before, after in itertools.pairwise(lines)]
    flowed, folded = _joined(lines, breaks), _joined([fold(line) for line in lines], breaks)
    if len(folded) != len(flowed):  # folding is length-preserving for Vietnamese; be safe otherwise
        text = flowed = folded
    found = sorted([*_counts(folded, text), *_nones(folded, text), *_offices(flowed, folded, text)],
                   key=lambda f: f.start)
    return tuple(_with_units(f, _next_start(found, f, len(folded)), flowed, folded, match) for f in found)


def _joined(lines: Sequence[str], breaks: Sequence[str]) -> str:
    return lines[0] + "".join(b + line for b, line in zip(breaks, lines[1:])) if lines else ""


def _break(before: str, after: str, match: Callable[[str], Match]) -> str:
    """What a line end stands for: a new line where a sentence ends or an item opens after it, unless the
    line before ends in a name that the item's dash only continues ("Sở Lao động" ⏎ "- Thương binh và Xã
    hội"); a space otherwise."""
    sentence = _SENTENCE_END.search(before) and not _ABBREVIATED_END.search(before)
    ends = sentence or (_ITEM.match(after) and not _wraps_name(before, after, match))
    return "\n" if ends else " "


def _wraps_name(before: str, after: str, match: Callable[[str], Match]) -> bool:
    """Whether the last piece of `before` names nothing alone but a name with the start of `after`."""
    tail = clean(re.split(f"[:;]|{_SEPARATORS}", before)[-1])
    if not tail or _names_something(match(tail)):
        return False
    printed, m = _names(f"{tail} {after}", match)[0]
    return len(printed) > len(tail) and _names_something(m)


def _counts(folded: str, text: str) -> list[_Found]:
    found = []
    for m in _count_rx().finditer(folded):
        rating = ratings.canonical(m.group(3))
        if rating is None or folded[m.end(3):m.end(3) + 10].lstrip().startswith("trở lên"):
            continue
        found.append(_Found(m.start(), m.end(), Statement(
            rating=rating, count=int(m.group(1)), of=int(m.group(2)) if m.group(2) else None,
            scope=_scope(text, m.start()))))
    return found


def _nones(folded: str, text: str) -> list[_Found]:
    return [_Found(m.start(), m.end(), Statement(rating=ratings.canonical(name), count=0,
                                                 scope=_scope(text, m.start())))
            for m in _none_rx().finditer(folded) for name in ratings.pattern().findall(m.group(1))]


def _offices(flowed: str, folded: str, text: str) -> list[_Found]:
    """One office's score and rating. Its name is the words after the last break of its printed line
    (`text`): a heading without a period ("1. Kết quả …, xếp loại"), which the line flows on from, is no
    part of it."""
    found = []
    for m in _OFFICE.finditer(flowed):
        rating = ratings.pattern().match(folded, m.end())
        subject = _subject(text[m.start(1):m.end(1)])
        if rating and not fold(subject).startswith(("tổng", "điểm")):
            found.append(_Found(m.start(), rating.end(), Statement(
                rating=ratings.canonical(rating.group(1)), count=1, scope=subject, score=_score(m.group(2)))))
    return found


def _next_start(found: Sequence[_Found], here: _Found, end: int) -> int:
    """Where the next statement begins (else the text ends): a listing never runs into it, closed by a
    period or not."""
    return next((f.start for f in found if f.start > here.start), end)


def _with_units(found: _Found, stop: int, flowed: str, folded: str, match: Callable[[str], Match]) -> Statement:
    """The statement with the units listed after its colon, if it lists any: canonical names where matched,
    else as printed."""
    listing = _LISTING.match(folded, found.end, stop)
    if listing is None:
        return found.statement
    names = _names(_ASIDE.sub("", flowed[listing.start(1):listing.end(1)]).strip(_MARKS), match)
    return replace(found.statement, units=tuple(m.unit.name if m.unit else printed for printed, m in names),
                   units_raw=tuple(printed for printed, _ in names))


def _names(listing: str, match: Callable[[str], Match]) -> list[tuple[str, Match]]:
    """The names a listing prints, each with what it names, in order."""
    parts = _SEPARATOR.split(listing)  # piece, separator, piece, …
    names: list[tuple[str, Match]] = []
    kind, i = "", 0
    while i < len(parts):
        printed, m, i = _name_at(parts, i, kind, match)
        if printed:
            names.append((printed, m))
            kind = _kind_words(printed) or kind
    return names


def _name_at(parts: Sequence[str], i: int, kind: str, match: Callable[[str], Match]) -> tuple[str, Match, int]:
    """The name that starts at piece `i`, what it names and the index after it: the piece alone if it names
    something, else the shortest run of pieces from it that does, else the piece as printed."""
    first = clean(parts[i]).strip(_MARKS)
    if not first:  # ", và" or a mark between two separators
        return first, _NOTHING, i + 2
    alone = _read(first, kind, match)
    if not _names_something(alone):
        for j in range(i + 2, min(len(parts), i + 2 * _MAX_PIECES - 1), 2):
            joined = clean("".join(parts[i:j + 1])).strip(_MARKS)
            if _names_something(m := _read(joined, kind, match)):
                return joined, m, j + 2
    return first, alone, i + 2


def _read(printed: str, kind: str, match: Callable[[str], Match]) -> Match:
    """What a printed name names; a bare name ("B" in "UBND xã A, B") is read with the kind before it."""
    m = match(printed)
    if not kind or m.claims or _names_something(m):
        return m
    inherited = match(f"{kind} {printed}")
    return inherited if inherited.unit else m


def _names_something(m: Match) -> bool:
    """Whether a text is a whole name: of a unit, a department, or an office with no register entry."""
    return m.unit is not None or m.via == "office"


def _kind_words(printed: str) -> str:
    """The words before the place name ("UBND xã" of "UBND xã Sín Thầu"); "" when no kind is printed."""
    kind, name = split_name(printed)
    return printed[:len(printed) - len(name)].strip() if kind and name and printed.endswith(name) else ""


def _scope(text: str, at: int) -> str | None:
    before = text[max(0, at - 200):at]
    scopes = list(_SCOPE.finditer(before))
    return clean(scopes[-1].group(1)) if scopes else None


def _subject(text: str) -> str:
    """The office a one-unit statement is about: the words after the last sentence break."""
    return clean(re.split(r"[.:;\n]", text)[-1])


def _score(text: str) -> float | None:
    try:
        return parse_number(text).value
    except NotANumber:
        return None
