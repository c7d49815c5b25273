"""A series: a row per unit, a column per period, one figure in each cell, and how the 2025 merger
carries a former unit's row on to the unit it became (`merged`).

A series is a pivot: its cells (one per unit and period, not the criteria) are gathered before the
first row is written, so that the columns are every period in scope and a merger's rows sit together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from phuluc.model import Era
from phuluc.normalize.units import ERAS, Register, Unit
from phuluc.periods import Period

SEPARATOR = " | "  # between the units a split unit became, as the findings join cells
_HEAD = ("unit_code", "era", "unit", "province", "level", "framework")
_SUCCESSORS = ("successor_code", "successor")
_LEVELS = ("province", "district", "ward")  # the register's, in the order reports list them; others after


@dataclass(slots=True)
class Line:
    """A unit's row: who it is (a register code in its era, else a name in its province), the units it
    became (with `merge_2025`), and its figure per period."""

    framework: str | None
    era: Era
    code: str | None
    name: str
    province: str | None
    level: str | None
    cells: dict[str, object] = field(default_factory=dict)
    successors: tuple[Unit, ...] = ()


def gather(lines: Iterable[tuple]) -> list[Line]:
    """The units of `lines` (framework, era, code, name, province, level, period, figure), each keeping
    the first figure of each period: lines come in the order the submissions count (db.SUBMISSION_ORDER),
    a line without the figure after those with it."""
    units: dict[tuple, Line] = {}
    for framework, era, code, name, province, level, period, figure in lines:
        key = (framework, era, code) if code else (framework, era, None, province, name)
        if key not in units:
            units[key] = Line(framework, era, code, name, province, level)
        units[key].cells.setdefault(period, figure)
    return list(units.values())


def merged(lines: list[Line], register: Register) -> list[Line]:
    """The lines with each pre-merger unit's successors of its own level named (a district's communes
    carry on no district's figures). A unit that became one unit formed of it alone continues on its
    row, where their periods do not overlap; the others keep their rows, beside their successor's."""
    current = {(line.framework, line.code): line for line in lines if line.era == "current" and line.code}
    gone: set[int] = set()
    for line in lines:
        unit = register.get(line.code, "legacy") if line.era == "legacy" and line.code else None
        if unit is None:
            continue
        line.successors = tuple(s for s in register.successors(unit) if s.level == unit.level)
        if (after := _continued(line, unit, current, register)) is not None:
            line.cells.update(after.cells)
            gone.add(id(after))
    return [line for line in lines if id(line) not in gone]


def _continued(line: Line, unit: Unit, current: dict[tuple, Line], register: Register) -> Line | None:
    """The line of the one unit `unit` became, if that unit was formed of it alone and reports in none
    of `line`'s periods: the row it continues."""
    if len(line.successors) != 1:
        return None
    successor = line.successors[0]
    after = current.get((line.framework, successor.code))
    if after is None or [u.code for u in register.predecessors(successor)] != [unit.code]:
        return None
    return None if line.cells.keys() & after.cells.keys() else after


def pivot(lines: list[Line], *, successors: bool) -> list[tuple]:
    """The header, then a row per line in `_place` order: a column per period in time order, after the
    units each became if `successors`."""
    periods = sorted({p for line in lines for p in line.cells}, key=lambda p: Period.parse(p).order)
    return [(*_HEAD, *(_SUCCESSORS if successors else ()), *periods),
            *((line.code, line.era, line.name, line.province, line.level, line.framework,
               *(_became(line) if successors else ()), *(line.cells.get(p) for p in periods))
              for line in sorted(lines, key=_place))]


def _became(line: Line) -> tuple[str | None, str | None]:
    """The codes and names of the units a line's unit became, all of them where it was split."""
    return (SEPARATOR.join(u.code for u in line.successors) or None,
            SEPARATOR.join(u.name for u in line.successors) or None)


def _place(line: Line) -> tuple:
    """Where a row goes: by framework, then register, level and code (a pre-merger unit's by the first
    unit it became, before that unit's own row), then name; units without a code after those with one."""
    head = line.successors[0] if line.successors else line
    level = _LEVELS.index(head.level) if head.level in _LEVELS else len(_LEVELS)
    return (line.framework is None, line.framework or "", ERAS.index(head.era), head.code is None, level,
            head.code or "", not line.successors, line.code or "", line.province or "", line.name)
