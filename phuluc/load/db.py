"""The database: typed ORM tables, one transaction per report, and cross-report conflicts.

SQLite (a file URL) is the embedded default; PostgreSQL works with the same code. Tables are
created on first use; Alembic migrations come later, so table and column names stay plain.
Children hang off their report with ON DELETE CASCADE, so replacing a report is one DELETE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Select,
    String,
    UniqueConstraint,
    and_,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import CTE, Subquery
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, aliased, mapped_column, sessionmaker

from phuluc.model import Extraction, Finding, Number, Report, Row, ScoreTable
from phuluc.normalize.units import Register, era_for

CONFLICTING_SUBMISSION = "CONFLICTING_SUBMISSION"
TOLERANCE = 1e-6  # two stored floats closer than this are the same printed figure


class Base(DeclarativeBase):
    pass


class DbReport(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str]
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    format: Mapped[str]
    issuer: Mapped[str | None]
    issuer_code: Mapped[str | None]
    province: Mapped[str | None]
    number: Mapped[str | None]
    date: Mapped[dt.date | None]
    period: Mapped[str | None] = mapped_column(index=True)
    framework: Mapped[str | None]
    ingested_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC)
    )


class DbUnit(Base):
    """A register unit some loaded row refers to; codes are reused across register eras."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("code", "era"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str]
    era: Mapped[str]
    name: Mapped[str]
    kind: Mapped[str | None]
    level: Mapped[str | None]
    parent: Mapped[str | None]


class DbTable(Base):
    __tablename__ = "tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str]
    source: Mapped[str]
    title: Mapped[str | None]
    pages: Mapped[str | None]


class DbCriterion(Base):
    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str]
    group_name: Mapped[str | None]
    max: Mapped[float | None] = mapped_column(Float)
    key: Mapped[str | None]


class DbRow(Base):
    __tablename__ = "rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    stt: Mapped[str | None]
    section: Mapped[str | None]
    unit_raw: Mapped[str]
    unit: Mapped[str | None] = mapped_column(index=True)
    unit_code: Mapped[str | None] = mapped_column(index=True)
    total: Mapped[float | None] = mapped_column(Float)
    total_text: Mapped[str | None]
    total_max: Mapped[float | None] = mapped_column(Float)
    converted: Mapped[float | None] = mapped_column(Float)
    converted_text: Mapped[str | None]
    rating: Mapped[str | None]
    rating_raw: Mapped[str | None]
    avg_staff: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[str | None]
    note: Mapped[str | None]
    is_total_row: Mapped[bool] = mapped_column(default=False)
    page: Mapped[int | None]


class DbValue(Base):
    """A printed number of a row: a criterion's value, or (position NULL) an unlabeled number."""

    __tablename__ = "values"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("rows.id", ondelete="CASCADE"), index=True)
    position: Mapped[int | None]
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str]
    unlabeled: Mapped[bool] = mapped_column(default=False)


class DbFinding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(index=True)
    severity: Mapped[str]
    unit: Mapped[str | None]
    unit_raw: Mapped[str | None]
    expected: Mapped[str | None]
    actual: Mapped[str | None]
    page: Mapped[int | None]
    table_position: Mapped[int | None]
    message: Mapped[str]


class DbStatement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str | None]
    rating: Mapped[str]
    count: Mapped[int | None]
    units: Mapped[str]


# ---------------------------------------------------------------- results


class AlreadyLoaded(Exception):
    """A report with this content (sha256) is in the database and replacing it was not asked for."""

    def __init__(self, file_name: str, sha256: str):
        super().__init__(f"{file_name} is already loaded (sha256 {sha256})")
        self.file_name = file_name
        self.sha256 = sha256


@dataclass(frozen=True, slots=True)
class StoreResult:
    report_id: int
    tables: int
    rows: int
    values: int
    findings: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two loaded reports disagree on a unit: `finding` belongs to `file_name`, the later one."""

    file_name: str
    other_file: str
    period: str
    framework: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class FindingRecord:
    file_name: str
    period: str | None
    framework: str | None
    rule: str
    severity: str
    unit: str | None
    unit_raw: str | None
    expected: str | None
    actual: str | None
    page: int | None
    message: str


# ---------------------------------------------------------------- the database


class Database:
    def __init__(self, url: str):
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_foreign_keys)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Database:
        return cls(url)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        """A session for reading (export, reports); use it as a context manager."""
        return self._sessions()

    def has_report(self, sha256: str) -> bool:
        with self._sessions() as session:
            return session.scalar(select(DbReport.id).where(DbReport.sha256 == sha256)) is not None

    def store(
        self,
        extraction: Extraction,
        *,
        file_name: str,
        messages: Callable[[Finding], str],
        replace: bool = False,
    ) -> StoreResult:
        """Store one report with its findings in one transaction: all of it or nothing."""
        report = extraction.report
        with self._sessions.begin() as session:
            old = session.scalar(select(DbReport.id).where(DbReport.sha256 == report.sha256))
            if old is not None:
                if not replace:
                    raise AlreadyLoaded(file_name, report.sha256)
                session.execute(delete(DbReport).where(DbReport.id == old))
            report_id = _insert_report(session, report, file_name)
            table_ids = _insert_tables(session, report_id, report.tables)
            rows, values = _insert_rows(session, table_ids, report.tables)
            _upsert_units(session, report)
            findings = _insert_findings(session, report_id, extraction.findings, messages)
            _insert_statements(session, report_id, report)
        return StoreResult(report_id, len(table_ids), rows, values, findings)

    def conflicts(self, *, period: str | None = None) -> list[Conflict]:
        """CONFLICTING_SUBMISSION: two reports giving one unit different figures for one period."""
        with self._sessions() as session:
            return [_conflict(line) for line in session.execute(_conflict_query(period))]

    def findings(
        self,
        *,
        period: str | None = None,
        rule: str | None = None,
        messages: Callable[[Finding], str] | None = None,
    ) -> Iterator[FindingRecord]:
        """Every stored finding, then the cross-report conflicts; `messages` renders a conflict."""
        query = select(DbFinding, DbReport).join(DbReport).order_by(DbReport.id, DbFinding.id)
        if period is not None:
            query = query.where(DbReport.period == period)
        if rule is not None:
            query = query.where(DbFinding.rule == rule)
        with self._sessions() as session:
            for found, report in session.execute(query, execution_options={"yield_per": 1000}):
                yield FindingRecord(
                    report.file_name, report.period, report.framework, found.rule, found.severity,
                    found.unit, found.unit_raw, found.expected, found.actual, found.page,
                    found.message,
                )
        if rule in (None, CONFLICTING_SUBMISSION):
            for conflict in self.conflicts(period=period):
                yield _conflict_record(conflict, messages)

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            return {
                name: session.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (
                    ("reports", DbReport),
                    ("rows", DbRow),
                    ("values", DbValue),
                    ("findings", DbFinding),
                )
            }


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless each connection asks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# ---------------------------------------------------------------- storing


def _value(number: Number | None) -> float | None:
    return None if number is None else number.value


def _text(number: Number | None) -> str | None:
    return None if number is None else number.text


def _figure(value: float | str | None) -> str | None:
    """A finding's expected/actual as text: integers without ".0", other floats exactly."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None if value is None else str(value)


def _insert_report(session: Session, report: Report, file_name: str) -> int:
    meta = report.meta
    return session.scalar(
        insert(DbReport).returning(DbReport.id),
        {
            "file_name": file_name,
            "sha256": report.sha256,
            "format": report.format,
            "issuer": meta.issuer,
            "issuer_code": meta.issuer_code,
            "province": meta.province,
            "number": meta.number,
            "date": dt.date.fromisoformat(meta.date) if meta.date else None,
            "period": meta.period,
            "framework": meta.framework,
        },
    )


def _insert_tables(session: Session, report_id: int, tables: Sequence[ScoreTable]) -> list[int]:
    """Insert the tables and their criteria; the table ids, in report order."""
    table_ids = []
    for position, table in enumerate(tables):
        table_id = session.scalar(
            insert(DbTable).returning(DbTable.id),
            {
                "report_id": report_id,
                "position": position,
                "kind": table.kind,
                "source": table.source,
                "title": table.title,
                "pages": ",".join(map(str, table.pages)) or None,
            },
        )
        table_ids.append(table_id)
        _bulk(session, DbCriterion, [
            {"table_id": table_id, "position": i, "label": c.label, "group_name": c.group,
             "max": c.max, "key": c.key}
            for i, c in enumerate(table.criteria)
        ])
    return table_ids


def _row_dict(row: Row, table_id: int, position: int) -> dict[str, Any]:
    return {
        "table_id": table_id,
        "position": position,
        "stt": row.stt,
        "section": row.section,
        "unit_raw": row.unit_raw,
        "unit": row.unit,
        "unit_code": row.unit_code,
        "total": _value(row.total),
        "total_text": _text(row.total),
        "total_max": row.total_max,
        "converted": _value(row.converted),
        "converted_text": _text(row.converted),
        "rating": row.rating,
        "rating_raw": row.rating_raw,
        "avg_staff": _value(row.avg_staff),
        "rank": row.rank,
        "note": row.note,
        "is_total_row": row.is_total_row,
        "page": row.page,
    }


def _value_dicts(row: Row, row_id: int) -> Iterator[dict[str, Any]]:
    for position, number in enumerate(row.values):
        yield {"row_id": row_id, "position": position, "value": number.value,
               "text": number.text, "unlabeled": False}
    for number in row.unlabeled:
        yield {"row_id": row_id, "position": None, "value": number.value,
               "text": number.text, "unlabeled": True}


def _insert_rows(
    session: Session, table_ids: Sequence[int], tables: Sequence[ScoreTable]
) -> tuple[int, int]:
    """Bulk-insert every row of the report, then every value; (rows, values) inserted."""
    rows = [(row, table_id, i) for table_id, table in zip(table_ids, tables)
            for i, row in enumerate(table.rows)]
    if not rows:
        return 0, 0
    row_ids = session.scalars(
        insert(DbRow).returning(DbRow.id, sort_by_parameter_order=True),
        [_row_dict(*row) for row in rows],
    ).all()
    values = [v for (row, _, _), row_id in zip(rows, row_ids) for v in _value_dicts(row, row_id)]
    return len(row_ids), _bulk(session, DbValue, values)


def _insert_findings(
    session: Session,
    report_id: int,
    findings: Sequence[Finding],
    messages: Callable[[Finding], str],
) -> int:
    return _bulk(session, DbFinding, [
        {"report_id": report_id, "rule": f.rule, "severity": f.severity, "unit": f.unit,
         "unit_raw": f.unit_raw, "expected": _figure(f.expected), "actual": _figure(f.actual),
         "page": f.page, "table_position": f.table, "message": messages(f)}
        for f in findings
    ])


def _insert_statements(session: Session, report_id: int, report: Report) -> None:
    _bulk(session, DbStatement, [
        {"report_id": report_id, "scope": s.scope, "rating": s.rating, "count": s.count,
         "units": "; ".join(s.units)}
        for s in report.summary
    ])


def _bulk(session: Session, model: type[Base], dicts: list[dict[str, Any]]) -> int:
    """One executemany (batched into multi-row INSERTs by insertmanyvalues); the count inserted."""
    if dicts:
        session.execute(insert(model), dicts)
    return len(dicts)


# ---------------------------------------------------------------- units

_UPSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _upsert_units(session: Session, report: Report) -> None:
    """Record the register units the report's rows name (kind, level, parent from the register of
    the report's era; NULL for a code it lacks), never erasing what an earlier load knew."""
    era = era_for(report.meta.period, report.meta.date)
    register = Register.load()
    units = {}
    for table in report.tables:
        for row in table.rows:
            if row.unit_code:
                known = register.get(row.unit_code, era)
                units[row.unit_code] = {
                    "code": row.unit_code,
                    "era": era,
                    "name": row.unit or row.unit_raw,
                    "kind": known and known.kind,
                    "level": known and known.level,
                    "parent": known and known.parent,
                }
    if not units:
        return
    stmt = _UPSERT[session.get_bind().dialect.name](DbUnit)
    table = DbUnit.__table__.c
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.code, table.era],
        set_={
            "name": stmt.excluded.name,
            **{c: func.coalesce(stmt.excluded[c], table[c]) for c in ("kind", "level", "parent")},
        },
    )
    session.execute(stmt, list(units.values()))


# ---------------------------------------------------------------- conflicts


def _pairs(period: str | None) -> CTE:
    """Rows for one unit in scores tables of two reports of one period and framework; "this"
    is the report loaded later. A unit is its code when both rows have one, else its name."""
    this, other = aliased(DbRow), aliased(DbRow)
    this_table, other_table = aliased(DbTable), aliased(DbTable)
    this_report, other_report = aliased(DbReport), aliased(DbReport)
    both_coded = and_(this.unit_code.is_not(None), other.unit_code.is_not(None))
    same_unit = or_(
        and_(both_coded, this.unit_code == other.unit_code),
        and_(~both_coded, this.unit == other.unit),
    )
    query = (
        select(
            this.id.label("this_id"), other.id.label("other_id"),
            this.table_id.label("this_table"), other.table_id.label("other_table"),
            this_report.id.label("this_report"), other_report.id.label("other_report"),
            func.coalesce(this.unit_code, this.unit).label("unit_key"),
            this_report.file_name, other_report.file_name.label("other_file"),
            this_report.period, this_report.framework, this.unit, this.unit_raw, this.page,
            this_table.position.label("table_position"),
        )
        .join_from(this, this_table, this.table_id == this_table.id)
        .join(this_report, this_table.report_id == this_report.id)
        .join(other_report, and_(other_report.id < this_report.id,
                                 other_report.period == this_report.period,
                                 other_report.framework == this_report.framework))
        .join(other_table, other_table.report_id == other_report.id)
        .join(other, and_(other.table_id == other_table.id, same_unit))
        .where(
            this_table.kind == "scores", other_table.kind == "scores",
            this.unit.is_not(None), other.unit.is_not(None),
            ~this.is_total_row, ~other.is_total_row,
        )
    )
    if period is not None:
        query = query.where(this_report.period == period)
    return query.cte("pairs")


def _figures(pairs: CTE, side: str) -> Subquery:
    """Every comparable figure of one side's rows of the pairs: (pair, ord, field, label, number,
    text). `field` matches figures across the sides: the row's total, converted score and
    rating, and each criterion by the framework's key when mapped, else by its position."""
    pair = (pairs.c.this_id, pairs.c.other_id)
    row_figures = [
        select(*pair, literal(i).label("ord"), literal(name).label("field"),
               literal(name).label("label"), cast(number, Float).label("number"),
               text.label("text"))
        .join_from(pairs, DbRow, DbRow.id == pairs.c[f"{side}_id"])
        for i, (name, number, text) in enumerate((
            ("total", DbRow.total, DbRow.total_text),
            ("converted", DbRow.converted, DbRow.converted_text),
            ("rating", null(), DbRow.rating),
        ))
    ]
    criterion = func.coalesce(
        literal("k:") + DbCriterion.key, literal("p:") + cast(DbCriterion.position, String)
    )
    value_figures = (
        select(*pair, (len(row_figures) + DbValue.position).label("ord"),
               criterion.label("field"), DbCriterion.label, DbValue.value, DbValue.text)
        .join_from(pairs, DbValue, DbValue.row_id == pairs.c[f"{side}_id"])
        .join(DbCriterion, and_(DbCriterion.table_id == pairs.c[f"{side}_table"],
                                DbCriterion.position == DbValue.position))
    )
    return union_all(*row_figures, value_figures).subquery(f"{side}_figures")


def _conflict_query(period: str | None) -> Select[Any]:
    """The first differing figure of each (unit, pair of reports), all in SQL."""
    pairs = _pairs(period)
    mine, theirs = _figures(pairs, "this"), _figures(pairs, "other")
    differs = or_(
        func.abs(mine.c.number - theirs.c.number) > TOLERANCE,
        and_(mine.c.field == "rating", mine.c.text != theirs.c.text),
    )
    ranked = (
        select(
            pairs.c.file_name, pairs.c.other_file, pairs.c.period, pairs.c.framework,
            pairs.c.unit, pairs.c.unit_raw, pairs.c.page, pairs.c.table_position,
            mine.c.field, mine.c.label,
            mine.c.number.label("actual"), mine.c.text.label("actual_text"),
            theirs.c.number.label("expected"), theirs.c.text.label("expected_text"),
            func.row_number().over(
                partition_by=(pairs.c.this_report, pairs.c.other_report, pairs.c.unit_key),
                order_by=(mine.c.ord, pairs.c.this_id, pairs.c.other_id),
            ).label("n"),
        )
        .join_from(pairs, mine, and_(mine.c.this_id == pairs.c.this_id,
                                     mine.c.other_id == pairs.c.other_id))
        .join(theirs, and_(theirs.c.this_id == pairs.c.this_id,
                           theirs.c.other_id == pairs.c.other_id,
                           theirs.c.field == mine.c.field))
        .where(differs)
    ).subquery()
    return (
        select(ranked)
        .where(ranked.c.n == 1)
        .order_by(ranked.c.period, ranked.c.file_name, ranked.c.other_file, ranked.c.unit)
    )


def _conflict(line: Any) -> Conflict:
    numeric = line.field != "rating"
    return Conflict(
        file_name=line.file_name,
        other_file=line.other_file,
        period=line.period,
        framework=line.framework,
        finding=Finding(
            rule=CONFLICTING_SUBMISSION,
            severity="error",
            unit=line.unit,
            unit_raw=line.unit_raw,
            expected=line.expected if numeric else line.expected_text,
            actual=line.actual if numeric else line.actual_text,
            page=line.page,
            table=line.table_position,
            params=(("other_file", Path(line.other_file).name), ("figure", line.label),
                    ("period", line.period or "")),
        ),
    )


_FIGURE_NAMES = {"total": "tổng điểm", "converted": "điểm quy đổi", "rating": "xếp loại"}


def conflict_message(conflict: Conflict) -> str:
    """The default Vietnamese sentence for a conflict, when the caller has no renderer."""
    f = conflict.finding
    figure = dict(f.params)["figure"]
    return (
        f"Đơn vị {f.unit} kỳ {conflict.period}: báo cáo {conflict.other_file} ghi "
        f"{_FIGURE_NAMES.get(figure, figure)} {_figure(f.expected)}, "
        f"báo cáo {conflict.file_name} ghi {_figure(f.actual)}."
    )


def _conflict_record(
    conflict: Conflict, messages: Callable[[Finding], str] | None
) -> FindingRecord:
    f = conflict.finding
    message = messages(f) if messages else conflict_message(conflict)
    return FindingRecord(
        conflict.file_name, conflict.period, conflict.framework, f.rule, f.severity, f.unit,
        f.unit_raw, _figure(f.expected), _figure(f.actual), f.page, message,
    )
