"""The database: typed ORM tables, one transaction per report, and cross-report conflicts.

SQLite (a file URL) is the embedded default; PostgreSQL works with the same code. The schema is
Alembic's (`migrations/`, SQLite in batch mode), brought to the head revision on first use and
by `upgrade`. Children hang off their report with ON DELETE CASCADE, so replacing a report is one
DELETE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Select,
    String,
    UniqueConstraint,
    and_,
    case,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    make_url,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    aliased,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.sql.expression import CTE, Subquery

from phuluc.model import Box, Extraction, Finding, Number, Report, Row, ScoreTable
from phuluc.normalize.units import Register

CONFLICTING_SUBMISSION = "CONFLICTING_SUBMISSION"
TOLERANCE = 1e-6  # two stored floats closer than this are the same printed figure
CONNECT_TIMEOUT = 5  # seconds: a server that is down fails the command instead of hanging it
STREAM = {"stream_results": True, "yield_per": 1000}  # server-side cursor, read in batches
MIGRATIONS = Path(__file__).with_name("migrations")
UNVERSIONED = "0001"  # the revision of a database `create_all` made before there were migrations
_MIGRATION_LOCK = 0x7068756C  # pg_advisory_xact_lock key ("phul"): one process migrates at a time


class Base(DeclarativeBase):
    # Named constraints, so that later migrations can drop or alter them (as SQLite's batch mode
    # needs).
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class DbReport(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str]
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    format: Mapped[str]
    issuer: Mapped[str | None]
    issuer_code: Mapped[str | None]
    province: Mapped[str | None]
    province_code: Mapped[str | None]  # the register code of the issuer's province, which scopes aliases
    number: Mapped[str | None]
    date: Mapped[dt.date | None]
    period: Mapped[str | None] = mapped_column(index=True)
    framework: Mapped[str | None]
    era: Mapped[str]  # the register the rows' unit codes belong to (Report.era)
    corrects: Mapped[bool] = mapped_column(default=False)  # a correction of a report sent before
    sequence: Mapped[int | None]  # the running number of `number` ("524/BC-UBND" → 524)
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
    rank_of: Mapped[int | None]  # the N of a "k/N" rank
    change: Mapped[float | None] = mapped_column(Float)  # points against the previous period
    change_text: Mapped[str | None]
    rank_change: Mapped[int | None]  # places against the previous period
    note: Mapped[str | None]
    is_total_row: Mapped[bool] = mapped_column(default=False)
    page: Mapped[int | None]
    figures: Mapped[str | None] = mapped_column(String(16))  # a hash of its figures, to group copies
    match_via: Mapped[str | None] = mapped_column(String(16))  # how `unit` was matched (Row.match_via)
    match_score: Mapped[float | None] = mapped_column(Float)
    match_margin: Mapped[float | None] = mapped_column(Float)
    bbox: Mapped[str | None]  # where it is printed on its page: JSON [x0, top, x1, bottom], fractions of the page


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
    message: Mapped[str]  # as rendered when loaded, for SQL; commands render the finding anew
    params: Mapped[str | None]  # JSON of the finding's other words (Finding.params), to render it again
    # its place (Finding): the row's position in the table, STT, the field, the criterion as printed,
    # the printed cells (JSON list) and the row's box on the page (JSON [x0, top, x1, bottom], 0–1)
    row_position: Mapped[int | None]
    stt: Mapped[str | None]
    about: Mapped[str | None]
    criterion: Mapped[str | None]
    cells: Mapped[str | None]
    bbox: Mapped[str | None]


class DbStatement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str | None]
    rating: Mapped[str]
    count: Mapped[int | None]
    units: Mapped[str]


class DbAlias(Base):
    """The ruling in force on a printed name (folded) in a province's reports of one register: the unit it
    stands for, or none (`unit_code` NULL: rejected). `phuluc units accept` and `reject` write it."""

    __tablename__ = "unit_aliases"
    __table_args__ = (UniqueConstraint("name", "province", "era"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    province: Mapped[str]
    era: Mapped[str]
    unit_code: Mapped[str | None]
    decided_by: Mapped[str]
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DbDecision(Base):
    """Every accept and reject ever made, kept when a later one overrules it: who ruled what, and when."""

    __tablename__ = "unit_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str]
    action: Mapped[str]  # decisions.Action
    printed: Mapped[str]  # the name as the person gave it
    name: Mapped[str]  # folded, as the alias keys it
    province: Mapped[str]
    era: Mapped[str]
    unit_code: Mapped[str | None]  # the unit accepted; NULL for a reject
    unit: Mapped[str | None]
    rows: Mapped[int]  # the stored rows it re-resolved


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
    report_id: int | None = None  # the later report's


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
    table: int | None = None  # the table's position in its report, its title, and the row's place
    table_title: str | None = None
    row: int | None = None
    stt: str | None = None
    about: str | None = None
    criterion: str | None = None
    cells: tuple[str, ...] = ()
    bbox: Box | None = None
    params: tuple[tuple[str, str], ...] = ()
    report_id: int | None = None  # the report it belongs to (file names repeat; the HTML report groups by it)


# ---------------------------------------------------------------- the database


class Database:
    """The database at a SQLAlchemy URL, migrated to the head revision when opened (a database
    already there costs one look at its version table)."""

    def __init__(self, url: str):
        self.engine: Engine = _engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
        with self.engine.connect() as connection:
            at_head = _current(connection) == _head()
        if not at_head:
            _migrate(self.engine)
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
            upsert_units(session, report)
            findings = insert_findings(session, report_id, extraction.findings, messages)
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
        """Every stored finding, streamed (a server-side cursor on PostgreSQL), then the
        cross-report conflicts; `messages` renders each one now, in the caller's language (without
        it, a stored finding keeps the sentence it was loaded with)."""
        query = (
            select(DbReport.file_name, DbReport.period, DbReport.framework, DbFinding.rule,
                   DbFinding.severity, DbFinding.unit, DbFinding.unit_raw, DbFinding.expected,
                   DbFinding.actual, DbFinding.page, DbFinding.message, DbFinding.table_position,
                   DbTable.title, DbFinding.row_position, DbFinding.stt, DbFinding.about, DbFinding.criterion,
                   DbFinding.cells, DbFinding.bbox, DbFinding.params, DbFinding.report_id)
            .join_from(DbFinding, DbReport)
            .outerjoin(DbTable, and_(DbTable.report_id == DbFinding.report_id,
                                     DbTable.position == DbFinding.table_position))
            .order_by(DbReport.id, DbFinding.id)
        )
        if period is not None:
            query = query.where(DbReport.period == period)
        if rule is not None:
            query = query.where(DbFinding.rule == rule)
        with self._sessions() as session:
            for line in session.execute(query, execution_options=STREAM):
                record = _finding_record(line)
                if messages is not None:
                    record = replace(record, message=messages(_stored_finding(record)))
                yield record
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


def _engine(url: str) -> Engine:
    """An engine that gives up on an unreachable server within seconds (unless the URL sets its
    own connect_timeout)."""
    parsed = make_url(url)
    connect_args = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    return create_engine(parsed, connect_args=connect_args)


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless each connection asks."""
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_connect(dbapi_connection: Any, record: Any) -> None:
    """Foreign keys on; a write-ahead log so readers never wait for a writer and a commit appends to
    the log instead of syncing the whole file (synchronous=NORMAL keeps every committed report through
    a killed process; only a power cut may lose the last ones, never half of one)."""
    _sqlite_foreign_keys(dbapi_connection, record)
    try:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:  # another process is switching the file to WAL, which then stays
        pass
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


# ---------------------------------------------------------------- migrations


def alembic_config(connection: Connection) -> Config:
    """The package's migrations, run on `connection`: built in code, so no alembic.ini is read."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate the database at `url` to `revision` (`phuluc db upgrade`); the revision it is at."""
    engine = _engine(url)
    try:
        return _migrate(engine, revision)
    finally:
        engine.dispose()


def _migrate(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to `revision` in one transaction; the revision now. A database made by
    `create_all` before there were migrations is first stamped with the revision it matches."""
    with engine.connect() as connection, _without_foreign_keys(connection), connection.begin():
        _lock(connection)
        config = alembic_config(connection)
        if _current(connection) is None and inspect(connection).has_table(DbReport.__tablename__):
            command.stamp(config, UNVERSIONED)
        command.upgrade(config, revision)
        return _current(connection)


@contextmanager
def _without_foreign_keys(connection: Connection) -> Iterator[None]:
    """SQLite's foreign keys off while migrating, as batch mode needs: rebuilding a table drops
    it, which would cascade into its children. The pragma only changes outside a transaction."""
    if connection.dialect.name != "sqlite":
        yield
        return
    sqlite_connection = connection.connection.dbapi_connection
    sqlite_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        _sqlite_foreign_keys(sqlite_connection, None)


def _lock(connection: Connection) -> None:
    """Let one of several processes starting together migrate; the others wait for it, then
    find the work done. Migrating is one transaction on either database."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
    elif connection.dialect.name == "sqlite":  # the write lock now, not at the first write
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@cache
def _head() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


# ---------------------------------------------------------------- storing

_UPSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}  # INSERT … ON CONFLICT


def _value(number: Number | None) -> float | None:
    return None if number is None else number.value


def _text(number: Number | None) -> str | None:
    return None if number is None else number.text


def _figure(value: float | str | None) -> str | None:
    """A finding's expected/actual as text: integers without ".0", other floats exactly."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None if value is None else str(value)


def sequence(number: str | None) -> int | None:
    """The running number of a report's number: offices number their reports in order through the
    year, so of two reports on one period the higher number was sent later."""
    head = (number or "").split("/", 1)[0].strip()
    return int(head) if head.isdigit() else None


def _insert_report(session: Session, report: Report, file_name: str) -> int:
    """Insert the report; AlreadyLoaded if another writer committed the same sha256 since the
    check in `store` (ON CONFLICT waits for that writer, then skips instead of failing)."""
    meta = report.meta
    stmt = _UPSERT[session.get_bind().dialect.name](DbReport).on_conflict_do_nothing(
        index_elements=[DbReport.sha256]
    )
    report_id = session.scalar(
        stmt.returning(DbReport.id),
        {
            "file_name": file_name,
            "sha256": report.sha256,
            "format": report.format,
            "issuer": meta.issuer,
            "issuer_code": meta.issuer_code,
            "province": meta.province,
            "province_code": meta.province_code,
            "number": meta.number,
            "date": dt.date.fromisoformat(meta.date) if meta.date else None,
            "period": meta.period,
            "framework": meta.framework,
            "era": report.era,
            "corrects": meta.corrects,
            "sequence": sequence(meta.number),
        },
    )
    if report_id is None:
        raise AlreadyLoaded(file_name, report.sha256)
    return report_id


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


def _row_dict(row: Row, table: ScoreTable, table_id: int, position: int) -> dict[str, Any]:
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
        "rank_of": row.rank_of,
        "change": _value(row.change),
        "change_text": _text(row.change),
        "rank_change": row.rank_change,
        "note": row.note,
        "is_total_row": row.is_total_row,
        "page": row.page,
        "figures": figures_hash(row, table),
        "match_via": row.match_via or None,
        "match_score": row.match_score,
        "match_margin": row.match_margin,
        "bbox": _json(row.bbox and list(row.bbox)),
    }


def figures_hash(row: Row, table: ScoreTable) -> str:
    """The row's figures as the conflict check compares them (total, converted score, rating, and each
    criterion by its framework key or position), rounded to TOLERANCE: equal for two copies of a row
    however they print their numbers ("8,5" and "8,50"). A hash only spares comparisons: rows of one
    hash agree (a six-place rounding step is no wider than TOLERANCE), rows of two hashes are compared
    figure by figure, so two values closer than TOLERANCE that round apart at a step's edge still agree."""
    keys = [c.key or f"p:{i}" for i, c in enumerate(table.criteria)]
    rounded = lambda number: None if number is None or number.value is None else round(number.value, 6)  # noqa: E731
    parts = [("total", rounded(row.total)), ("converted", rounded(row.converted)), ("rating", row.rating)]
    parts += [(key, rounded(number)) for key, number in zip(keys, row.values)]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


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
    """Bulk-insert every row of the report, then every value; (rows, values) inserted. PostgreSQL
    takes both by COPY, the rows' ids drawn first: 2-3 times faster than executemany or
    insertmanyvalues (500 synthetic reports: 1.2 s against 2.5 s and 3.2 s for these tables)."""
    rows = [(row, table, table_id, i) for table_id, table in zip(table_ids, tables)
            for i, row in enumerate(table.rows)]
    if not rows:
        return 0, 0
    dicts = [_row_dict(*row) for row in rows]
    if session.get_bind().dialect.name == "postgresql":
        row_ids = _next_ids(session, DbRow, len(dicts))
        _copy(session, DbRow, [{"id": i, **d} for i, d in zip(row_ids, dicts)])
        insert_values = _copy
    else:
        row_ids = session.scalars(
            insert(DbRow).returning(DbRow.id, sort_by_parameter_order=True), dicts
        ).all()
        insert_values = _bulk
    values = [v for (row, *_), row_id in zip(rows, row_ids) for v in _value_dicts(row, row_id)]
    return len(row_ids), insert_values(session, DbValue, values)


def _next_ids(session: Session, model: type[Base], count: int) -> Sequence[int]:
    """Draw `count` ids from the table's serial sequence, for rows COPY inserts with them."""
    sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
    return session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count))
    ).all()


def _copy(session: Session, model: type[Base], dicts: list[dict[str, Any]]) -> int:
    """COPY the dicts into the table on the session's own connection, inside its transaction;
    the count inserted."""
    if not dicts:
        return 0
    preparer = session.get_bind().dialect.identifier_preparer
    columns = ", ".join(preparer.quote(c) for c in dicts[0])
    statement = f"COPY {preparer.format_table(model.__table__)} ({columns}) FROM STDIN"
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for d in dicts:
            copy.write_row(tuple(d.values()))
    return len(dicts)


def insert_findings(
    session: Session,
    report_id: int,
    findings: Sequence[Finding],
    messages: Callable[[Finding], str],
) -> int:
    return _bulk(session, DbFinding, [
        {"report_id": report_id, "rule": f.rule, "severity": f.severity, "unit": f.unit,
         "unit_raw": f.unit_raw, "expected": _figure(f.expected), "actual": _figure(f.actual),
         "page": f.page, "table_position": f.table, "message": messages(f),
         "params": _json(dict(f.params)), "row_position": f.row, "stt": f.stt, "about": f.about,
         "criterion": f.criterion, "cells": _json(list(f.cells)), "bbox": _json(f.bbox and list(f.bbox))}
        for f in findings
    ])


def _insert_statements(session: Session, report_id: int, report: Report) -> None:
    _bulk(session, DbStatement, [
        {"report_id": report_id, "scope": s.scope, "rating": s.rating, "count": s.count,
         "units": "; ".join(s.units)}
        for s in report.summary
    ])


def _bulk(session: Session, model: type[Base], dicts: list[dict[str, Any]]) -> int:
    """One Core executemany, the driver's fastest: sqlite3's, or psycopg's pipelined one (forcing
    insertmanyvalues there was slower); the ORM's bulk path only adds per-row work. The count."""
    if dicts:
        session.execute(insert(model.__table__), dicts)
    return len(dicts)


# ---------------------------------------------------------------- units

def upsert_units(session: Session, report: Report) -> None:
    """Record the register units the report's rows name (kind, level, parent from the register its
    rows resolve to, `Report.era`, which a late report of former units does not share with its
    period; NULL for a code it lacks), never erasing what an earlier load knew."""
    register = Register.load()
    units = {}
    for table in report.tables:
        for row in table.rows:
            if row.unit_code:
                known = register.get(row.unit_code, report.era)
                units[row.unit_code] = {
                    "code": row.unit_code,
                    "era": report.era,
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


# ---------------------------------------------------------------- submissions


# of the copies of a report, the one that counts first: the correction ("điều chỉnh") over the original,
# then the later date, then the higher running number, then the one loaded last
SUBMISSION_ORDER = (DbReport.corrects.desc(), DbReport.date.desc().nulls_last(), DbReport.sequence.desc().nulls_last(),
                    DbReport.id.desc())


def latest_submissions() -> Select[Any]:
    """The ids of the reports that stand for their issuer, period and framework: of several copies
    (a report sent again, as PDF and as DOCX, or corrected), the first in SUBMISSION_ORDER. A report
    whose issuer or period is unknown stands alone."""
    issuer = func.coalesce(DbReport.issuer_code, DbReport.issuer)
    alone = or_(issuer.is_(None), DbReport.period.is_(None))
    key = case((alone, literal("#") + cast(DbReport.id, String)), else_=issuer)
    rank = func.row_number().over(partition_by=(key, DbReport.period, DbReport.framework), order_by=SUBMISSION_ORDER)
    ranked = select(DbReport.id, rank.label("rank")).subquery("ranked_submissions")
    return select(ranked.c.id).where(ranked.c.rank == 1)


# ---------------------------------------------------------------- conflicts


def _pairs(period: str | None) -> CTE:
    """Each unit row of a scores table whose figures differ from those of the first report loaded
    with that unit, period and framework ("this" the later row, "other" the first). A unit is its code
    in its report's register (codes are reused across registers), else its name; a report whose period
    or framework is unknown shares them with no other. Rows are grouped, never paired: the copies of a
    unit are told apart by the hash of their figures (`rows.figures`), a unit whose copies all hash
    alike is dropped before anything is sorted, and one window over the rest gives each row the first
    row of its unit, so identical copies cost nothing however many there are and each differing row is
    compared with one row only (3,100 reports: 0.5 s, where joining every copy to its first took 1.6)."""
    unit_key = case((DbRow.unit_code.is_not(None), DbRow.unit_code + literal("@") + DbReport.era), else_=DbRow.unit)
    figures = func.coalesce(DbRow.figures, literal("#") + cast(DbRow.id, String))  # unhashed: compare
    rows = (
        select(DbRow.id, DbRow.table_id, DbReport.id.label("report_id"), unit_key.label("unit_key"),
               DbReport.period, DbReport.framework, figures.label("figures"))
        .join_from(DbRow, DbTable, DbRow.table_id == DbTable.id)
        .join(DbReport, DbTable.report_id == DbReport.id)
        .where(DbTable.kind == "scores", DbRow.unit.is_not(None), ~DbRow.is_total_row,
               DbReport.period.is_not(None), DbReport.framework.is_not(None))
    )
    if period is not None:
        rows = rows.where(DbReport.period == period)
    rows = rows.cte("unit_rows")
    group = (rows.c.unit_key, rows.c.period, rows.c.framework)
    disputed = select(*group).group_by(*group).having(func.min(rows.c.figures) != func.max(rows.c.figures))
    # one window, spelled alike each time so that the database computes it once
    window = {"partition_by": group, "order_by": (rows.c.report_id, rows.c.id)}
    copies = (
        select(
            rows.c.id.label("this_id"), rows.c.table_id.label("this_table"), rows.c.report_id.label("this_report"),
            rows.c.unit_key, rows.c.figures,
            *(func.first_value(rows.c[column]).over(**window).label(name) for column, name in (
                ("id", "other_id"), ("table_id", "other_table"), ("report_id", "other_report"),
                ("figures", "other_figures"))),
        )
        .where(tuple_(*group).in_(disputed))
        .subquery("copies")
    )
    other = aliased(DbReport)
    query = (
        select(
            copies.c.this_id, copies.c.other_id, copies.c.this_table, copies.c.other_table,
            copies.c.this_report, copies.c.other_report, copies.c.unit_key, DbReport.file_name,
            other.file_name.label("other_file"), DbReport.period, DbReport.framework, DbRow.unit, DbRow.unit_raw,
            DbRow.page, DbTable.position.label("table_position"), DbRow.stt, DbRow.position.label("row_position"),
            DbRow.bbox,
        )
        .join_from(copies, DbRow, DbRow.id == copies.c.this_id)
        .join(DbTable, DbTable.id == copies.c.this_table)
        .join(DbReport, DbReport.id == copies.c.this_report)
        .join(other, other.id == copies.c.other_report)
        .where(copies.c.figures != copies.c.other_figures, copies.c.this_report != copies.c.other_report)
    )
    return query.cte("pairs")


def _figures(pairs: CTE, side: str) -> Subquery:
    """Every comparable figure of one side's rows of the pairs: (pair, ord, field, label, number,
    text). `field` matches figures across the sides: the row's total, converted score and
    rating, and each criterion by the framework's key when mapped, else by its position."""
    pair = (pairs.c.this_id, pairs.c.other_id)
    row_figures = [
        select(*pair, literal(i).label("ord"), literal(name).label("field"),
               literal(name).label("label"), cast(null(), Integer).label("position"),
               cast(number, Float).label("number"), text.label("text"))
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
               criterion.label("field"), DbCriterion.label, DbValue.position, DbValue.value, DbValue.text)
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
            pairs.c.unit, pairs.c.unit_raw, pairs.c.page, pairs.c.table_position, pairs.c.stt,
            pairs.c.row_position, pairs.c.bbox, pairs.c.this_report, mine.c.field, mine.c.label, mine.c.position,
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
            row=line.row_position, stt=line.stt,
            about=line.field if line.position is None else f"values[{line.position}]",
            criterion=None if line.position is None else line.label,
            cells=(line.actual_text,) if line.actual_text else (),
            bbox=box(line.bbox),
        ),
        report_id=line.this_report,
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


def _json(value: Any) -> str | None:
    """A finding's list or mapping as JSON, None when empty."""
    return json.dumps(value, ensure_ascii=False) if value else None


def box(stored: str | None) -> Box | None:
    """A stored box (JSON) as the tuple it was."""
    return tuple(json.loads(stored)) if stored else None


def _finding_record(line: Any) -> FindingRecord:
    """A stored finding as its columns hold it, the JSON ones read back."""
    *head, cells, bbox, params, report_id = line
    return FindingRecord(*head, cells=tuple(json.loads(cells)) if cells else (), bbox=box(bbox),
                         params=tuple(json.loads(params).items()) if params else (), report_id=report_id)


def _stored_finding(record: FindingRecord) -> Finding:
    """The finding a stored row was made from, to render it again: its figures as numbers where they
    are numbers (stored as text, "22.25")."""
    return Finding(rule=record.rule, severity=record.severity, unit=record.unit, unit_raw=record.unit_raw,
                   expected=number_or_text(record.expected), actual=number_or_text(record.actual),
                   page=record.page, table=record.table, params=record.params, row=record.row, stt=record.stt,
                   about=record.about, criterion=record.criterion, cells=record.cells, bbox=record.bbox)


def number_or_text(value: str | None) -> float | str | None:
    """A stored figure ("22.25", "Khá") as the number it is, or its text."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return value


def _conflict_record(
    conflict: Conflict, messages: Callable[[Finding], str] | None
) -> FindingRecord:
    f = conflict.finding
    message = messages(f) if messages else conflict_message(conflict)
    return FindingRecord(
        conflict.file_name, conflict.period, conflict.framework, f.rule, f.severity, f.unit,
        f.unit_raw, _figure(f.expected), _figure(f.actual), f.page, message, table=f.table,
        row=f.row, stt=f.stt, about=f.about, criterion=f.criterion, cells=f.cells, bbox=f.bbox, params=f.params,
        report_id=conflict.report_id,
    )
