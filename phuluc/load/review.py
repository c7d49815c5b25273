"""The review queue for unit names: the stored rows whose printed name matched a unit with doubt,
or none, and the rulings a person makes on them (`phuluc units review`, `accept`, `reject`, `decisions`).

A ruling is scoped as the matcher is: to the province of the report's issuer and the register its rows were
read in. It re-resolves the rows already stored and is handed to every later ingest (`decisions`), so a name
is decided once. `accept` and `reject` are one transaction each: the ruling, its line in the log, the rows
and their UNKNOWN_UNIT findings change together or not at all. The log keeps every ruling with who made it
and when, so an auditor can tell the units matched by hand from those the matcher found.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from phuluc import messages
from phuluc.errors import PhulucError
from phuluc.load.checks import unknown_unit
from phuluc.load.db import (
    Database,
    DbAlias,
    DbDecision,
    DbFinding,
    DbReport,
    DbRow,
    DbTable,
    box,
    insert_findings,
    upsert_units,
)
from phuluc.model import Era, Finding, Report, ReportMeta, Row, ScoreTable, Via
from phuluc.normalize.decisions import Action, Decision, Decisions
from phuluc.normalize.units import Register, Unit
from phuluc.vi.text import fold

_EXACT = 100.0
_CORE = {"synchronize_session": False}  # no ORM objects of these rows are loaded while a ruling is made
UNKNOWN_UNIT, MISSING_UNIT = "UNKNOWN_UNIT", "MISSING_UNIT"
REVIEW_COLUMNS = ("printed", "province", "rows", "reports", "unit", "unit_code", "via", "score", "margin",
                  "decision", "decided_by", "decided_at")
RULING_COLUMNS = ("decided_at", "decided_by", "action", "printed", "province", "era", "unit", "unit_code", "rows")


@dataclass(frozen=True, slots=True)
class Ruling:
    """One accept or reject as the log keeps it."""

    decided_at: dt.datetime
    decided_by: str
    action: Action
    printed: str
    province: str  # the province's code
    era: Era
    unit: str | None  # the unit accepted; None for a reject
    unit_code: str | None
    rows: int  # the stored rows it matched again


@dataclass(frozen=True, slots=True)
class Entry:
    """A line of the queue: a printed name (its commonest spelling) in one province's reports, how many rows
    and reports print it, the match most of them have, and the ruling in force on it."""

    printed: str
    province: str | None  # the province's name as the reports give it
    rows: int
    reports: int
    unit: str | None
    unit_code: str | None
    via: Via | None  # None for rows loaded before matches were recorded
    score: float | None
    margin: float | None
    ruling: Ruling | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a ruling did: the units it named (one per register the rows were read in), the rows and reports
    it matched again."""

    printed: str
    province: str
    units: tuple[Unit, ...]
    rows: int
    reports: int


@dataclass(frozen=True, slots=True)
class _Printed:
    """The stored spellings of one printed name in one province's reports, and the registers they were read in."""

    key: str  # folded
    province: str  # code
    province_name: str
    spellings: tuple[str, ...]
    eras: tuple[Era, ...]


# ---------------------------------------------------------------- reading


def decisions(database: Database) -> Decisions:
    """The rulings in force, for an ingest to hand its matcher."""
    with database.session() as session:
        return Decisions(tuple(Decision(a.name, a.province, a.era, a.unit_code)
                               for a in session.scalars(select(DbAlias).order_by(DbAlias.id))))


def review(database: Database) -> list[Entry]:
    """The names to look at, most rows first: those matched under a score of 100 (on a fuzzy or diacritic-free
    step, a misspelt department, every ranked match: their margins show how close the race was), and those
    matched to nothing (a district's office, which has no register entry, aside); exact names and accepted
    aliases are not listed."""
    doubtful = or_(DbRow.unit.is_(None), DbRow.match_score < _EXACT)
    query = (_rows().add_columns(DbReport.id, DbReport.province_code, DbReport.province, DbRow.unit, DbRow.unit_code,
                                 DbRow.match_via, DbRow.match_score, DbRow.match_margin)
             .where(doubtful, DbRow.unit_raw != "", or_(DbRow.match_via.is_(None), DbRow.match_via != "office")))
    with database.session() as session:
        groups: defaultdict[tuple[str, str | None], list] = defaultdict(list)
        for line in session.execute(query):
            groups[fold(line.unit_raw), line.province_code].append(line)
        rulings = _latest_rulings(session)
    entries = [_entry(lines, rulings.get(key)) for key, lines in groups.items()]
    return sorted(entries, key=lambda e: (-e.rows, -e.reports, fold(e.printed)))


def rulings(database: Database) -> list[Ruling]:
    """Every ruling made, the oldest first."""
    with database.session() as session:
        return [_ruling(d) for d in _log(session)]


def _rows() -> Select:
    """The unit rows (not total rows) with their report."""
    return (select(DbRow.unit_raw).join(DbTable, DbTable.id == DbRow.table_id)
            .join(DbReport, DbReport.id == DbTable.report_id).where(~DbRow.is_total_row))


def _entry(lines: Sequence, ruling: Ruling | None) -> Entry:
    """A name's line of the queue from its rows: the match most of them have (they agree unless read in
    different scopes)."""
    first = lines[0]
    match = Counter((ln.unit, ln.unit_code, ln.match_via, ln.match_score, ln.match_margin) for ln in lines)
    unit, code, via, score, margin = match.most_common(1)[0][0]
    return Entry(printed=Counter(ln.unit_raw for ln in lines).most_common(1)[0][0], province=first.province,
                 rows=len(lines), reports=len({ln.id for ln in lines}), unit=unit, unit_code=code, via=via,
                 score=score, margin=margin, ruling=ruling)


def _latest_rulings(session: Session) -> dict[tuple[str, str | None], Ruling]:
    """The last ruling on each printed name (folded) in each province."""
    return {(d.name, d.province): _ruling(d) for d in _log(session)}


def _log(session: Session) -> Iterable[DbDecision]:
    return session.scalars(select(DbDecision).order_by(DbDecision.id))


def _ruling(d: DbDecision) -> Ruling:
    at = d.decided_at if d.decided_at.tzinfo else d.decided_at.replace(tzinfo=dt.UTC)  # SQLite keeps no zone
    return Ruling(at, d.decided_by, Action(d.action), d.printed, d.province, d.era,
                  d.unit, d.unit_code, d.rows)


# ---------------------------------------------------------------- ruling


def accept(database: Database, printed: str, target: str, *, by: str, province: str | None = None,
           messages: Callable[[Finding], str]) -> Outcome:
    """Record that `printed` stands for `target` (a register code, or a unit's name) in its province: the
    stored rows that print it are matched to that unit, their UNKNOWN_UNIT findings go, and so does the
    report's MISSING_UNIT for that unit. The unit is looked for in the register each report was read in."""
    register = Register.load()
    with database.session() as session, session.begin():
        found = _printed(session, printed, province)
        units = {era: _target(register, target, era, found) for era in found.eras}
        return _rule(session, found, printed, units, by, messages)


def reject(database: Database, printed: str, *, by: str, province: str | None = None,
           messages: Callable[[Finding], str]) -> Outcome:
    """Record that `printed` stands for no unit in its province: the stored rows that print it lose any unit
    they were matched to and are given UNKNOWN_UNIT, as later ingests will."""
    with database.session() as session, session.begin():
        found = _printed(session, printed, province)
        return _rule(session, found, printed, dict.fromkeys(found.eras), by, messages)


def _printed(session: Session, printed: str, province: str | None) -> _Printed:
    """The stored spellings of a printed name, in the one province whose reports print it (or `province`,
    a code or a name, where several do)."""
    key = fold(printed)
    query = (_rows().add_columns(DbReport.province_code, DbReport.province, DbReport.era).distinct()
             .where(DbReport.province_code.is_not(None)))
    lines = [ln for ln in session.execute(query)
             if fold(ln.unit_raw) == key and _asked(province, ln.province_code, ln.province)]
    provinces = {ln.province_code: ln.province for ln in lines}
    if not provinces:
        raise PhulucError("unit_not_printed", printed=printed)
    if len(provinces) > 1:
        raise PhulucError("unit_provinces", printed=printed,
                          provinces=", ".join(f"{name} ({code})" for code, name in sorted(provinces.items())))
    (code, name), = provinces.items()
    return _Printed(key, code, name or code, tuple(sorted({ln.unit_raw for ln in lines})),
                    tuple(sorted({ln.era for ln in lines})))


def _asked(province: str | None, code: str, name: str | None) -> bool:
    """Whether a report's province is the one asked for, by its code or its name, or none was asked for."""
    return province is None or province == code or fold(province) == fold(name or "")


def _target(register: Register, target: str, era: Era, found: _Printed) -> Unit:
    """The unit a person names, by its code or its name, among the province's units in one register."""
    if target.isdigit():
        unit = register.get(target, era)
        province = unit and register.province_of(unit)
        units: tuple[Unit, ...] = (unit,) if unit and province and province.code == found.province else ()
    else:
        units = register.named(target, era=era, province=found.province)
    if not units:
        raise PhulucError("unit_unknown", target=target, province=found.province_name, era=era)
    if len(units) > 1:
        raise PhulucError("unit_ambiguous", target=target, province=found.province_name,
                          candidates=", ".join(f"{u.name} ({u.code})" for u in units))
    return units[0]


def _rule(session: Session, found: _Printed, printed: str, units: dict[Era, Unit | None], by: str,
          messages: Callable[[Finding], str]) -> Outcome:
    """Write the ruling for each register, log it, and match the stored rows again."""
    now = dt.datetime.now(dt.UTC)
    rows, reports = 0, set()
    for era, unit in units.items():
        matched, touched = _resolve(session, found, era, unit, messages)
        session.execute(delete(DbAlias).where(DbAlias.name == found.key, DbAlias.province == found.province,
                                              DbAlias.era == era))
        ruled = {"name": found.key, "province": found.province, "era": era, "unit_code": unit and unit.code,
                 "decided_by": by, "decided_at": now}
        session.add(DbAlias(**ruled))
        session.add(DbDecision(**ruled, action=Action.ACCEPT if unit else Action.REJECT, printed=printed,
                               unit=unit and unit.name, rows=matched))
        rows, reports = rows + matched, reports | touched
    return Outcome(printed, found.province_name, tuple(u for u in units.values() if u), rows, len(reports))


def _resolve(session: Session, found: _Printed, era: Era, unit: Unit | None,
             messages: Callable[[Finding], str]) -> tuple[int, set[int]]:
    """Give the rows of one register that print the name the ruled unit (or none), and their reports the
    UNKNOWN_UNIT findings that follow, placed as the checks place them; (rows, report ids)."""
    ids = (_rows().with_only_columns(DbRow.id)
           .where(DbRow.unit_raw.in_(found.spellings), DbReport.province_code == found.province, DbReport.era == era))
    reports = set(session.scalars(_rows().with_only_columns(DbTable.report_id).distinct()
                                  .where(DbRow.id.in_(ids))))
    matched = session.execute(update(DbRow).where(DbRow.id.in_(ids)).values(
        unit=unit and unit.name, unit_code=unit and unit.code, match_via="alias" if unit else "rejected",
        match_score=_EXACT if unit else 0.0, match_margin=None), execution_options=_CORE).rowcount
    stale = [DbFinding.rule == UNKNOWN_UNIT, DbFinding.unit_raw.in_(found.spellings)]
    if unit is not None:
        stale = [or_(and_(*stale), and_(DbFinding.rule == MISSING_UNIT, DbFinding.unit == unit.name))]
    session.execute(delete(DbFinding).where(DbFinding.report_id.in_(sorted(reports)), *stale),
                    execution_options=_CORE)
    for report_id in sorted(reports):
        skeleton = _skeleton(session, report_id, found.spellings)
        insert_findings(session, report_id, tuple(unknown_unit(skeleton)), messages)
        upsert_units(session, skeleton)
    return matched, reports


def _skeleton(session: Session, report_id: int, spellings: Iterable[str]) -> Report:
    """A stored report as the unit checks read it: its tables in order, each with its rows' names, units and
    places (no figures); only the rows of `spellings` left without a unit claim one, so the checks speak of
    them alone."""
    report = session.get_one(DbReport, report_id)
    tables = session.scalars(select(DbTable).where(DbTable.report_id == report_id).order_by(DbTable.position)).all()
    rows: defaultdict[int, list[Row]] = defaultdict(list)
    names = set(spellings)
    for r in session.scalars(select(DbRow).where(DbRow.table_id.in_([t.id for t in tables]))
                             .order_by(DbRow.table_id, DbRow.position)):
        rows[r.table_id].append(Row(unit_raw=r.unit_raw, values=(), stt=r.stt, section=r.section, unit=r.unit,
                                    unit_code=r.unit_code, is_total_row=r.is_total_row, page=r.page, bbox=box(r.bbox),
                                    claims_unit=r.unit is None and r.unit_raw in names))
    return Report(source=report.file_name, sha256=report.sha256, format=report.format,
                  meta=ReportMeta(), era=report.era,
                  tables=tuple(ScoreTable(kind=t.kind, source=t.source, criteria=(), rows=tuple(rows[t.id]),
                                          title=t.title) for t in tables))


# ---------------------------------------------------------------- lines


def entry_line(entry: Entry, lang: str) -> str:
    """An entry as the terminal shows it, in `lang`."""
    match = (messages.text("cli", "review_match", lang, unit=entry.unit, code=entry.unit_code or "—",
                           via=_via(entry.via, lang), score=_figure(entry.score), margin=_figure(entry.margin))
             if entry.unit else messages.text("cli", "review_unmatched", lang))
    line = messages.text("cli", "review_line", lang, rows=entry.rows, reports=entry.reports, printed=entry.printed,
                         province=entry.province or "—", match=match)
    return f"{line} [{_ruled_line(entry.ruling, lang)}]" if entry.ruling else line


def _ruled_line(ruling: Ruling, lang: str) -> str:
    """Who ruled, what and when, in `lang`."""
    return messages.text("cli", "review_ruled", lang, action=messages.text("actions", ruling.action, lang),
                         by=ruling.decided_by, at=_at(ruling.decided_at))


def ruling_line(ruling: Ruling, lang: str) -> str:
    """A line of the log as the terminal shows it, in `lang`."""
    target = f"{ruling.unit} ({ruling.unit_code})" if ruling.unit else "—"
    return messages.text("cli", "ruling_line", lang, at=_at(ruling.decided_at), by=ruling.decided_by,
                         action=messages.text("actions", ruling.action, lang), printed=ruling.printed,
                         province=ruling.province, era=ruling.era, unit=target, rows=ruling.rows)


def entry_row(entry: Entry) -> list[object]:
    """An entry's REVIEW_COLUMNS, for a CSV or a workbook."""
    ruling = entry.ruling
    return [entry.printed, entry.province, entry.rows, entry.reports, entry.unit, entry.unit_code, entry.via,
            entry.score, entry.margin, ruling and ruling.action.value, ruling and ruling.decided_by,
            ruling and _at(ruling.decided_at)]


def ruling_row(ruling: Ruling) -> list[object]:
    """A ruling's RULING_COLUMNS, for a CSV or a workbook."""
    return [_at(ruling.decided_at), ruling.decided_by, ruling.action.value, ruling.printed, ruling.province,
            ruling.era, ruling.unit, ruling.unit_code, ruling.rows]


def _via(via: Via | None, lang: str) -> str:
    return messages.text("via", via or "unrecorded", lang)


def _figure(value: float | None) -> float | str:
    return "—" if value is None else round(value, 1)


def _at(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="seconds")
