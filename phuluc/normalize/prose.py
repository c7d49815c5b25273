"""Scores stated in sentences: a commune's report under 766/QĐ-TTg has no table.

"Điểm đánh giá nhóm chỉ số về công khai, minh bạch: 18/18 điểm", "… thanh toán trực tuyến: 7,2/10
điểm", "Tổng số điểm xã Mỹ Thanh đạt 82,1/100 điểm, xếp hạng 10/14 xã", "Tổng điểm: 82,1/100 điểm,
xếp loại Tốt." become a one-row table (`source: "prose"`): each group sentence is matched to the
framework criterion whose words it uses and whose maximum it prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from phuluc.model import Criterion, Number, Row, ScoreTable
from phuluc.vi import ratings
from phuluc.normalize.frameworks import Framework, FrameworkCriterion
from phuluc.vi.numbers import NotANumber, parse_number
from phuluc.vi.text import clean, fold
from phuluc.normalize.rows import ranking
from phuluc.normalize.units import Match, matched

_SCORE = r"(\d{1,3}(?:,\d+)?)\s*/\s*(\d{1,3})\s*điểm"
_GROUP = re.compile(r"điểm[^:\n]{0,40}?chỉ số\s+(?:về\s+)?([^:\n]{3,90}?)\s*:\s*" + _SCORE, re.IGNORECASE)
_TOTAL = re.compile(r"tổng\s+(?:số\s+)?điểm\s*(?:của\s+)?(.{0,60}?)\s*(?:đạt|là|:)\s*" + _SCORE, re.IGNORECASE)
_RANK = re.compile(r"xếp hạng\s*(?:thứ\s*)?(\d{1,4}\s*/\s*\d{1,4})", re.IGNORECASE)
_RATING = re.compile(r"xếp loại\s*:?\s*", re.IGNORECASE)
_MIN_GROUPS = 3


def read_prose(body: str, frameworks: Sequence[Framework], match: Callable[[str], Match],
               issuer_raw: str | None) -> ScoreTable | None:
    """The one-row score table a report states in sentences, or None when it states none."""
    for framework in frameworks:
        picked = _groups(body, framework)
        if len(picked) >= _MIN_GROUPS:
            return _table(body, framework, picked, match, issuer_raw)
    return None


def _groups(body: str, framework: Framework) -> list[tuple[FrameworkCriterion, Number]]:
    picked: list[tuple[FrameworkCriterion, Number]] = []
    for m in _GROUP.finditer(body):
        name, top = fold(m.group(1)), float(m.group(3))
        fits = [c for c in framework.criteria if abs(c.max - top) < 1e-9 and any(w in name for w in c.words)
                and c not in [p[0] for p in picked]]
        if not fits:
            continue
        best = max(fits, key=lambda c: max(len(w) for w in c.words if w in name))
        picked.append((best, _number(m.group(2))))
    return picked


def _number(text: str) -> Number:
    try:
        return parse_number(text)
    except NotANumber:
        return Number(None, text)


def _table(body: str, framework: Framework, picked: list[tuple[FrameworkCriterion, Number]],
           match: Callable[[str], Match], issuer_raw: str | None) -> ScoreTable:
    total_m = _TOTAL.search(body)
    total = _number(total_m.group(2)) if total_m else None
    unit_raw = clean(total_m.group(1)) if total_m and total_m.group(1).strip() else (issuer_raw or "")
    rank = _RANK.search(body)
    rating_raw = None
    for m in _RATING.finditer(body):
        found = ratings.pattern().match(fold(body[m.end():m.end() + 20]))
        if found:
            rating_raw = clean(body[m.end():m.end() + len(found.group(1))])
    m = match(unit_raw) if unit_raw else Match(None, 0.0, False, "")
    criteria = tuple(Criterion(label=c.label, group=c.group if len(
        [x for x in framework.criteria if x.group == c.group]) > 1 else None, max=c.max, key=c.key)
        for c, _ in picked)
    converted = total if framework.rating_on == "total" and framework.total_max == 100 else None
    row = matched(Row(unit_raw=unit_raw, values=tuple(n for _, n in picked), total=total,
                      total_max=framework.total_max, converted=converted, rating=ratings.canonical(rating_raw),
                      rating_raw=rating_raw, **ranking(rank.group(1).replace(" ", "") if rank else "")), m)
    return ScoreTable(kind="scores", source="prose", criteria=criteria, rows=(row,), framework=framework.code,
                      finder="prose")
