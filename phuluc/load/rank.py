"""A province's consolidated table of a period, as its own appendix prints it: a section per level
(departments, districts, communes), each unit's criteria, total, converted score, rating and rank within its
level, best first, then the count of units per rating.

The figures are those of the latest submission of each report (db.latest_submissions). A unit scored in
two reports (a district's and the province's) takes the figures of the later one. Units are ranked on the
score their framework rates (the converted score, or the total): equal scores share a rank ("1, 2, 2, 4").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, select

from phuluc.choices import Level
from phuluc.errors import PhulucError
from phuluc.load.db import TOLERANCE, Database, DbCriterion, DbReport, DbRow, DbTable, DbValue, latest_submissions
from phuluc.load.export import heading
from phuluc.normalize import frameworks
from phuluc.normalize.frameworks import Framework
from phuluc.normalize.units import Register, Unit
from phuluc.periods import Period
from phuluc.vi.text import fold

_LEVELS = {"district": Level.DISTRICT, "ward": Level.COMMUNE}  # a register unit's level → its section


@dataclass(frozen=True, slots=True)
class Ranked:
    """A unit's line of the consolidated table."""

    level: Level
    stt: int  # its place in its section
    unit: str
    code: str | None
    values: tuple[float | None, ...]  # in the framework's order of criteria
    total: float | None
    total_max: float | None
    converted: float | None
    rating: str | None
    rank: int | None  # None for a unit with no score
    file_name: str  # the report its figures come from


@dataclass(frozen=True, slots=True)
class Consolidated:
    province: Unit
    period: Period
    framework: Framework
    lines: tuple[Ranked, ...]  # section by section, best first

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(level for level in Level if any(r.level is level for r in self.lines))

    def counts(self, level: Level) -> list[tuple[str, int]]:
        """The units of a section per rating: every rating of the framework's bands, then any other printed."""
        ratings = [r.rating for r in self.lines if r.level is level and r.rating]
        named = list(dict.fromkeys([*self.framework.ratings(), *ratings]))
        return [(rating, ratings.count(rating)) for rating in named]


def frameworks_of(database: Database, province: Unit, period: Period) -> list[str]:
    """The frameworks the province's score tables of the period are scored on."""
    query = (select(DbReport.framework).distinct().join_from(DbTable, DbReport, DbReport.id == DbTable.report_id)
             .where(DbTable.kind == "scores", DbReport.period == str(period),
                    DbReport.province_code == province.code, DbReport.framework.is_not(None)))
    with database.session() as session:
        return sorted(session.scalars(query))


def consolidated(database: Database, province: Unit, period: Period, framework: str | None = None) -> Consolidated:
    """The province's table of the period on `framework`, or on the one framework its reports are scored
    on; PhulucError when they are scored on several and none is chosen, or on none."""
    found = frameworks_of(database, province, period)
    code = framework or (found[0] if len(found) == 1 else None)
    chosen = frameworks.by_code(code) if code in found else None
    rows = _latest_rows(database, province, period, chosen) if chosen else []
    if not rows:  # nor any unit of a department, district or commune in the tables there are
        key = "choose_framework" if code is None and found else "no_scores_on" if framework else "no_scores"
        raise PhulucError(key, period=str(period), province=province.name, frameworks=", ".join(found),
                          framework=framework or "")
    return Consolidated(province, period, chosen, tuple(_ranked(rows, chosen)))


@dataclass(frozen=True, slots=True)
class _Row:
    level: Level
    unit: str
    code: str | None
    values: tuple[float | None, ...]
    total: float | None
    total_max: float | None
    converted: float | None
    rating: str | None
    file_name: str
    sent: tuple[dt.date, int]  # (date, report id): the later report's figures stand for a unit


def _latest_rows(database: Database, province: Unit, period: Period, framework: Framework) -> list[_Row]:
    """One row per unit of the province's score tables on the framework, from the latest submissions."""
    query = (
        select(DbRow.id, DbRow.unit, DbRow.unit_code, DbRow.total, DbRow.total_max, DbRow.converted, DbRow.rating,
               DbReport.id, DbReport.file_name, DbReport.era, DbReport.date, DbCriterion.key, DbValue.position,
               DbValue.value)
        .join(DbTable, DbTable.id == DbRow.table_id).join(DbReport, DbReport.id == DbTable.report_id)
        .outerjoin(DbValue, and_(DbValue.row_id == DbRow.id, ~DbValue.unlabeled))
        .outerjoin(DbCriterion, and_(DbCriterion.table_id == DbRow.table_id, DbCriterion.position == DbValue.position))
        .where(DbTable.kind == "scores", ~DbRow.is_total_row, DbRow.unit.is_not(None),
               DbReport.id.in_(latest_submissions()), DbReport.period == str(period),
               DbReport.province_code == province.code, DbReport.framework == framework.code)
        .order_by(DbRow.id, DbValue.position)
    )
    register, keys = Register.load(), [c.key for c in framework.criteria]
    lines: dict[int, list] = {}
    with database.session() as session:
        for line in session.execute(query):
            lines.setdefault(line[0], []).append(line)
    best: dict[tuple[str, str], _Row] = {}
    for found in lines.values():
        _, unit, code, total, total_max, converted, rating, report, file_name, era, date, *_ = found[0]
        level = _level(register, code, era)
        if level is None:
            continue
        # a value by its criterion's key, or by its position where the table's criteria are not mapped
        values = {key if key in keys else position: value
                  for *_, key, position, value in found if position is not None}
        row = _Row(level, unit, code, tuple(values.get(k, values.get(i)) for i, k in enumerate(keys)), total,
                   total_max, converted, rating, file_name, (date or dt.date.min, report))
        key = (code or unit, era)
        if key not in best or best[key].sent < row.sent:
            best[key] = row
    return list(best.values())


def _level(register: Register, code: str | None, era: str) -> Level | None:
    """The section of a row's unit: a department (no register code), a district, a commune; None for
    another (a province scored in a nation-wide table)."""
    if code is None:
        return Level.DEPARTMENT
    unit = register.get(code, era)
    return unit and _LEVELS.get(unit.level)


def _ranked(rows: list[_Row], framework: Framework) -> Iterator[Ranked]:
    """The rows section by section, best first (equal scores by name), ranked with ties sharing a rank."""
    score = (lambda r: r.converted) if framework.rating_on == "converted" else (lambda r: r.total)
    for level in Level:
        section = sorted((r for r in rows if r.level is level),
                         key=lambda r: (score(r) is None, -(score(r) or 0), fold(r.unit)))
        rank, previous = 0, None
        for stt, r in enumerate(section, 1):
            value = score(r)
            if value is not None and (previous is None or abs(value - previous) > TOLERANCE):
                rank, previous = stt, value
            band = framework.band_for(value) if value is not None and r.rating is None else None
            yield Ranked(level, stt, r.unit, r.code, r.values, r.total, r.total_max, r.converted,
                         r.rating or (band and band.rating), rank if value is not None else None, r.file_name)


HEAD = ("section", "stt", "unit", "unit_code")
TAIL = ("total", "total_max", "converted", "rating", "rank", "count")


def columns(table: Consolidated) -> tuple[str, ...]:
    """The header of `phuluc rank -o`: the unit, each criterion as the appendix heads it, its scores."""
    return (*HEAD, *(heading(c.group, c.display) for c in table.framework.criteria), *TAIL)


def rows(table: Consolidated, section: dict[Level, str]) -> Iterator[list[object]]:
    """The table's lines under `columns`, each section's counts per rating after its units (a count row
    names its rating and count only); `section` names the levels."""
    for level in table.levels:
        for r in (r for r in table.lines if r.level is level):
            yield [section[level], r.stt, r.unit, r.code, *r.values, r.total, r.total_max, r.converted, r.rating,
                   r.rank, None]
        for rating, count in table.counts(level):
            yield [section[level], None, None, None, *(None for _ in table.framework.criteria), None, None, None,
                   rating, None, count]
