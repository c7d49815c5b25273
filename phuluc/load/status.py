"""Who has reported for a period: the issuers a province expects, from the register in force for the period
(its districts before 1/7/2025, its communes and wards after; its departments from config/agencies.yaml),
against the reports stored — received, missing, received more than once, on time or late.

Of the copies of one issuer's report (sent again, as PDF and as DOCX, corrected), the one that counts is the
one the export takes (db.latest_submissions). Lateness is judged on the first copy sent: an office that
reported on time and corrected its figures later did report on time. A report without a date is not judged.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from phuluc.choices import Level
from phuluc.errors import PhulucError
from phuluc.load.db import Database, DbReport, latest_submissions
from phuluc.normalize import frameworks
from phuluc.normalize.units import DEPARTMENT_MERGER, Register, Unit, agency_successor, departments
from phuluc.periods import Period

# the levels whose units report in each register: districts and departments, then communes and departments
LEVELS = {"legacy": (Level.DEPARTMENT, Level.DISTRICT), "current": (Level.DEPARTMENT, Level.COMMUNE)}


class Status(enum.StrEnum):
    RECEIVED = "received"
    DUPLICATE = "duplicate"  # received more than once: the latest submission counts
    MISSING = "missing"
    UNATTRIBUTED = "unattributed"  # a report of the period whose issuer was not read: it may be a "missing" one


class Timeliness(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    UNDATED = "undated"  # no date printed: not judged
    NO_DEADLINE = "no_deadline"  # a framework unknown, or not reported for this kind of period


@dataclass(frozen=True, slots=True)
class Issuer:
    """A unit whose report the province expects: a register unit (its code) or a department (its name)."""

    level: Level
    name: str
    code: str | None = None

    @property
    def key(self) -> str:
        return self.code or self.name


@dataclass(frozen=True, slots=True)
class Copy:
    """A stored report of the period."""

    id: int
    file_name: str
    issuer: str | None
    issuer_code: str | None
    framework: str | None
    date: dt.date | None
    counts: bool  # the latest submission of its issuer, period and framework


@dataclass(frozen=True, slots=True)
class Line:
    """An expected issuer's state for one framework (none when nothing was received), or a report no
    issuer is known for (`issuer` None)."""

    issuer: Issuer | None
    status: Status
    framework: str | None = None
    copies: tuple[Copy, ...] = ()  # in the order they were loaded
    due: dt.date | None = None
    timeliness: Timeliness | None = None  # None when missing

    @property
    def counted(self) -> Copy | None:
        return next((c for c in self.copies if c.counts), None)

    @property
    def sent(self) -> dt.date | None:
        return first_sent(self.copies)


@dataclass(frozen=True, slots=True)
class Overview:
    province: Unit
    period: Period
    levels: tuple[Level, ...]
    lines: tuple[Line, ...]

    def count(self, status: Status | Timeliness) -> int:
        """How many issuers (an issuer with reports on two frameworks once), or reports no issuer is known
        for, are in that state."""
        return len({line.issuer or line.copies[0].id for line in self.lines
                    if status in (line.status, line.timeliness)})

    @property
    def missing(self) -> bool:
        return any(line.status is Status.MISSING for line in self.lines)

    @property
    def issuers(self) -> int:
        """How many issuers are expected."""
        return len({line.issuer for line in self.lines if line.issuer})

    def of(self, level: Level | None) -> list[Line]:
        """The lines of a level's issuers, or (None) of the reports no issuer is known for."""
        return [line for line in self.lines if (line.issuer.level if line.issuer else None) is level]


def expected(register: Register, province: Unit, period: Period, level: Level) -> tuple[Issuer, ...]:
    """The issuers of one level the province expects a report of `period` from, in register order;
    PhulucError for districts after the reform, which abolished them."""
    if level is Level.DEPARTMENT:
        return tuple(Issuer(level, name) for name in departments(province.code, period.end))
    if province.era == "current" and level is Level.DISTRICT:
        raise PhulucError("no_districts", period=str(period))
    units = register.children(province.code, province.era)
    if province.era == "legacy" and level is Level.COMMUNE:
        units = tuple(w for d in units for w in register.children(d.code, "legacy"))
    return tuple(Issuer(level, u.name, u.code) for u in units)


def overview(database: Database, province: Unit, period: Period, *, levels: Sequence[Level] = (),
             framework: str | None = None) -> Overview:
    """Every issuer expected at `levels` (by default those of the era that sent anything for the period,
    else all of them) with what was received from it, of `framework` or any."""
    register = Register.load()
    copies = _copies(database, period, framework, DbReport.province_code == province.code)
    asked = tuple(levels) or LEVELS[province.era]
    issuers = {level: expected(register, province, period, level) for level in asked}
    by_issuer: dict[str, list[Copy]] = {}
    for c in copies:
        by_issuer.setdefault(_key(c, period), []).append(c)
    if not levels:
        sent = [level for level in asked if any(i.key in by_issuer for i in issuers[level])]
        asked = tuple(sent) or asked
    lines = [line for level in asked for issuer in issuers[level]
             for line in _lines(issuer, by_issuer.get(issuer.key, ()), period)]
    unread = _copies(database, period, framework, DbReport.issuer.is_(None))
    lines += [Line(None, Status.UNATTRIBUTED, c.framework, (c,)) for c in unread]
    return Overview(province, period, asked, tuple(lines))


def _copies(database: Database, period: Period, framework: str | None, whose: ColumnElement[bool]) -> list[Copy]:
    """The stored reports of the period (of `framework`, if given) `whose` selects, in the order loaded."""
    query = (select(DbReport.id, DbReport.file_name, DbReport.issuer, DbReport.issuer_code, DbReport.framework,
                    DbReport.date, DbReport.id.in_(latest_submissions()).label("counts"))
             .where(DbReport.period == str(period), whose)
             .order_by(DbReport.id))
    if framework is not None:
        query = query.where(DbReport.framework == framework)
    with database.session() as session:
        return [Copy(*line) for line in session.execute(query)]


def _key(c: Copy, period: Period) -> str:
    """The issuer a report stands for: its register code, or a department's name — for a period from
    the department merger on, the name of the department that took over."""
    if c.issuer_code or c.issuer is None:
        return c.issuer_code or ""
    return (agency_successor(c.issuer) or c.issuer) if period.end >= DEPARTMENT_MERGER else c.issuer


def _lines(issuer: Issuer, copies: Iterable[Copy], period: Period) -> list[Line]:
    """One line per framework the issuer reported under, or one saying it is missing."""
    per_framework: dict[str | None, list[Copy]] = {}
    for c in copies:
        per_framework.setdefault(c.framework, []).append(c)
    if not per_framework:
        return [Line(issuer, Status.MISSING)]
    lines = []
    for code, sent in per_framework.items():
        found = frameworks.by_code(code)
        due = found.due(period) if found else None
        status = Status.DUPLICATE if len(sent) > 1 else Status.RECEIVED
        lines.append(Line(issuer, status, code, tuple(sent), due, _timeliness(sent, due)))
    return lines


def first_sent(copies: Iterable[Copy]) -> dt.date | None:
    """The date of the first copy sent, the one lateness is judged on."""
    return min((c.date for c in copies if c.date), default=None)


def _timeliness(copies: Sequence[Copy], due: dt.date | None) -> Timeliness:
    """On time or late by the first copy's date."""
    sent = first_sent(copies)
    if due is None:
        return Timeliness.NO_DEADLINE
    return Timeliness.UNDATED if sent is None else Timeliness.LATE if sent > due else Timeliness.ON_TIME


COLUMNS = ("level", "code", "issuer", "status", "framework", "copies", "counted", "files", "date", "due",
           "timeliness")


def line_row(line: Line) -> list[object]:
    """A line as the CSV or workbook of `phuluc status -o` writes it (COLUMNS)."""
    counted, issuer = line.counted, line.issuer
    unit = [issuer.level.value, issuer.code, issuer.name] if issuer else [None, None, None]
    return [*unit, line.status.value, line.framework,
            len(line.copies), counted and counted.file_name, " | ".join(c.file_name for c in line.copies),
            line.sent and line.sent.isoformat(), line.due and line.due.isoformat(),
            line.timeliness and line.timeliness.value]
