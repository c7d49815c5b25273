"""One row typed, for every table reader: printed numbers, the unit matched, totals, maxima and
rating; and the column formulas a header declares."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from phuluc.extract.tables import TOTAL
from phuluc.model import Criterion, Formula, Number, RawRow, Row
from phuluc.normalize.frameworks import Framework
from phuluc.normalize.roles import Layout
from phuluc.normalize.units import Match, matched
from phuluc.vi import ratings
from phuluc.vi.numbers import NotANumber, is_number, parse_change, parse_number
from phuluc.vi.text import clean

_NUMBERING = re.compile(r"\((\d+)\)")
_FORMULA = re.compile(r"\((\d+)\)\s*=\s*\((\d+)\)\s*([+\-/:x×*])\s*\((\d+)\)((?:\s*[+\-]\s*\(\d+\))*)")


def number(text: str, limit: float | None = None) -> Number | None:
    try:
        return parse_number(text, limit=limit)
    except NotANumber:
        return None


def cell(row: RawRow, j: int | None) -> str:
    return row.cells[j] if j is not None and j < len(row.cells) else ""


def section_name(row: RawRow) -> str:
    return clean(" ".join(c for c in row.cells if c.strip()))


def on_hundred(framework: Framework | None) -> bool:
    """Whether a framework's total is already the score out of 100 (766): its converted score is the total."""
    return framework is not None and framework.rating_on == "total" and framework.total_max == 100


def typed_row(raw_row: RawRow, layout: Layout, values: tuple[Number, ...], criteria: Sequence[Criterion],
         section: str | None, limit: float | None, match: Callable[[str], Match],
         cells: dict[str, str] | None = None, on_hundred: bool = False) -> Row:
    """One typed row; `cells` gives the summary cells by role when the layout lost the columns;
    `on_hundred`: the total is the score out of 100, so it is the converted score where none is printed.
    The applicable maximum counts every criterion whose cell holds more than a blank or a dash, an
    unreadable one too (a misread score is still a score)."""
    get = (lambda role: cells.get(role, "")) if cells is not None else (
        lambda role: cell(raw_row, layout.roles.get(role)))
    unit_raw, stt = clean(cell(raw_row, layout.unit)), clean(cell(raw_row, layout.stt)).rstrip(".")
    if not unit_raw and stt and not is_number(stt):  # "Tổng cộng" printed across the STT and name cells
        unit_raw, stt = stt, ""
    total = number(get("total"), limit)
    converted = number(get("converted"), 100.0)
    if on_hundred and (converted is None or converted.value is None):
        converted = total
    applicable = [c.max for c, v in zip(criteria, values) if v.value is not None or not is_number(v.text)]
    total_max = total.denominator if total and total.denominator else (
        sum(applicable) if applicable and all(m is not None for m in applicable) else None)
    is_total = bool(TOTAL.match(unit_raw)) and not stt
    m = match(unit_raw) if unit_raw and not is_total else Match(None, 0.0, False, "")
    rating_raw = clean(get("rating")) or None
    row = Row(unit_raw=unit_raw, values=values, stt=stt or None, section=section,
              total=total if total and total.value is not None else None, total_max=total_max,
              converted=converted if converted and converted.value is not None else None,
              rating=ratings.canonical(rating_raw), rating_raw=rating_raw,
              avg_staff=number(get("avg_staff")), **ranking(get("rank"), get("change"), get("rank_change")),
              note=clean(get("note")) or None,
              unlabeled=tuple(n for j in layout.unlabeled if (n := number(cell(raw_row, j)))),
              is_total_row=is_total, page=raw_row.page, bbox=raw_row.bbox)
    return matched(row, m)


def ranking(rank: str, change: str = "", rank_change: str = "") -> dict[str, Any]:
    """The Row fields of a published ranking's cells, which are no scores: the rank as printed and the N
    of "06/63", the change in points, and the change in places (a whole number, else none)."""
    of, points, places = number(rank), parse_change(change), parse_change(rank_change)
    return {"rank": clean(rank) or None, "rank_of": _whole(of.denominator if of else None),
            "change": points if points and points.value is not None else None,
            "rank_change": _whole(places.value if places else None)}


def _whole(x: float | None) -> int | None:
    return int(x) if x is not None and x.is_integer() else None


def formulas(labels: Sequence[str]) -> tuple[Formula, ...]:
    """Column formulas declared in headings: "(3)=(2)/(1)", "(6)=(7)+(9)" (column numbers as printed)."""
    number_at: dict[str, int] = {}
    for k, label in enumerate(labels):
        for n in _NUMBERING.findall(label)[:1]:
            number_at.setdefault(n, k)
    out = []
    for k, label in enumerate(labels):
        m = _FORMULA.search(label)
        if not m:
            continue
        op = {":": "/", "x": "*", "×": "*"}.get(m.group(3), m.group(3))
        names = [m.group(2), m.group(4)] + re.findall(r"\((\d+)\)", m.group(5) or "")
        if op in "+-" and m.group(5):
            signs = [op] + re.findall(r"([+\-])\s*\(", m.group(5))
            op = "+" if all(s == "+" for s in signs) else op
        if m.group(1) in number_at and all(n in number_at for n in names):
            out.append(Formula(target=number_at[m.group(1)], op=op,
                               operands=tuple(number_at[n] for n in names), text=clean(m.group(0))))
    return tuple(out)


def ratios(rows: Sequence[Row], width: int) -> tuple[Formula, ...]:
    """Columns that are one column over another × 100 on every row that prints the three, the total
    row too: percentages whose headings the layout lost, read as a "(3)=(2)/(1)" heading would declare
    them, so that no total row adds them up. Holding on every row, they never raise a finding."""
    out = []
    for target in range(width):
        pair = next(((a, b) for a, b in itertools.permutations(set(range(width)) - {target}, 2)
                     if _ratio_holds(rows, target, a, b)), None)
        if pair is not None:
            text = f"({target + 1})=({pair[0] + 1})/({pair[1] + 1})"
            out.append(Formula(target=target, op="/", operands=pair, text=text))
    return tuple(out)


def _ratio_holds(rows: Sequence[Row], target: int, a: int, b: int) -> bool:
    """Whether column `target` is column `a` ÷ column `b` × 100 on every row printing the three
    (within half a unit of its printed digits, of an integer for a whole number), not 0 on three
    and a fraction on one (counts, whole numbers, are never the ratio: 75 = 69 ÷ 92 × 100 is not)."""
    judged, fraction = 0, False
    for row in rows:
        t, x, y = (row.values[k] if k < len(row.values) else Number(None, "") for k in (target, a, b))
        if t.value is None or x.value is None or not y.value:
            continue
        if abs(x.value / y.value * 100 - t.value) > (t.half_unit or 0.5) + 1e-9:
            return False
        judged += t.value != 0
        fraction = fraction or bool(t.decimals or t.percent)
    return judged >= 3 and fraction
