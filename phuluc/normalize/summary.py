"""What the body text states about the ratings: counts per rating, and the units it names.

Reports state results as "05 đơn vị xếp loại Xuất sắc: UBND xã …, UBND xã …", "trong đó 03 đơn vị
xếp loại xuất sắc, 11 đơn vị xếp loại tốt", "17/18 đơn vị đạt loại Xuất sắc", "Không có đơn vị xếp
loại Trung bình, Yếu", or for one office "… đạt 90,8 điểm, xếp loại xuất sắc". Each becomes one
Statement; checks compare them with the tables.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from phuluc.model import Statement
from phuluc.vi import ratings
from phuluc.vi.numbers import NotANumber, parse_number
from phuluc.vi.text import clean, fold
from phuluc.normalize.units import Match

_SUBJECT = r"(?:đơn vị|cơ quan|ubnd|xã|phường|thị trấn|huyện|sở|địa phương)"
_VERB = r"(?:được\s+)?(?:xếp loại|đạt loại|đạt kết quả|đạt|loại)"


@functools.cache
def _count_rx() -> re.Pattern[str]:
    return re.compile(r"(?<![\d/.,])(\d{1,3})(?:\s*/\s*(\d{1,3}))?\s+" + _SUBJECT + r"(?:[^\d:;.,()]{0,40}?)\s"
                      + _VERB + r"\s+(?<!\w)(" + ratings.alternation() + r")(?!\w)(?:\s*:\s*((?:[^.;\n]|\.(?=\S))*))?")  # a dot inside a name ("N.T") does not end the list


@functools.cache
def _none_rx() -> re.Pattern[str]:
    one = r"(?:" + ratings.alternation() + r")"
    return re.compile(r"không có\s+" + _SUBJECT + r"[^\d:;.()]{0,30}?" + _VERB + r"\s+(" + one
                      + r"(?:\s*(?:,|và|hoặc)\s*" + one + r")*)")


_OFFICE = re.compile(r"([^.;:\n]{3,90}?)\s+đạt\s+(\d{1,3}(?:,\d+)?)\s*điểm\s*,?\s*xếp loại\s+", re.IGNORECASE)
_SCOPE = re.compile(r"(?:^|[.:\n])\s*[-+•]?\s*((?:UBND\s+)?(?:các|cấp)\s[^:\d\n]{2,60}?)(?=\s*(?::|thực hiện|được|,\s*trong))",
                    re.IGNORECASE)


def read_statements(body: str, match: Callable[[str], Match]) -> tuple[Statement, ...]:
    """Every rating statement of the body text, in order."""
    lines = [clean(line) for line in body.split("\n")]
    text = "\n".join(lines)  # line ends kept: a bullet ends at its line
    folded = "\n".join(fold(line) for line in lines)
    if len(folded) != len(text):  # folding is length-preserving for Vietnamese; be safe otherwise
        text = folded
    found: list[tuple[int, Statement]] = []
    for m in _count_rx().finditer(folded):
        rating = ratings.canonical(m.group(3))
        if rating is None or folded[m.end(3):m.end(3) + 10].lstrip().startswith("trở lên"):
            continue
        listed = _units(text[m.start(4):m.end(4)]) if m.group(4) else []
        found.append((m.start(), Statement(
            rating=rating, count=int(m.group(1)), of=int(m.group(2)) if m.group(2) else None,
            scope=_scope(text, m.start()), units=tuple(_canonical(u, match) for u in listed),
            units_raw=tuple(listed))))
    for m in _none_rx().finditer(folded):
        for name in ratings.pattern().findall(m.group(1)):
            found.append((m.start(), Statement(rating=ratings.canonical(name), count=0, scope=_scope(text, m.start()))))
    for m in _OFFICE.finditer(text):
        rest = folded[m.end():]
        rating = ratings.pattern().match(rest)
        subject = clean(m.group(1))
        if rating and not fold(subject).startswith(("tổng", "điểm")):
            found.append((m.start(), Statement(rating=ratings.canonical(rating.group(1)), count=1,
                                               scope=_subject(subject), score=_score(m.group(2)))))
    return tuple(s for _, s in sorted(found, key=lambda f: f[0]))


def _units(listing: str) -> list[str]:
    return [clean(u) for u in re.split(r",(?!\d)|;|\svà\s", listing) if clean(u)]


def _canonical(raw: str, match: Callable[[str], Match]) -> str:
    m = match(raw)
    return m.unit.name if m.unit else raw


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
