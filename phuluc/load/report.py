"""What the HTML audit report shows, read from the database into typed records.

Every report in scope is listed with its findings (every copy loaded: an audit looks at each file);
the overview's ratings and scores count each issuer's latest submission only (db.latest_submissions),
so that a report sent as PDF and as DOCX is not counted twice. Tables are read one report at a time,
when its section is written, so that a province's year is never held in memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from phuluc.load.db import (
    Database,
    DbCriterion,
    DbReport,
    DbRow,
    DbTable,
    DbValue,
    FindingRecord,
    latest_submissions,
)
from phuluc.choices import TableKind
from phuluc.model import Finding
from phuluc.vi.text import fold

FIGURES = 3  # the figures of a row that find its line


@dataclass(frozen=True, slots=True)
class Scope:
    """The reports a report covers: of one period, of one issuer (its name in any case, or its code)."""

    period: str | None = None
    issuer: str | None = None


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A loaded report's metadata."""

    id: int
    file_name: str
    sha256: str
    format: str
    issuer: str | None
    issuer_code: str | None
    province: str | None
    number: str | None
    date: dt.date | None
    period: str | None
    framework: str | None
    corrects: bool


@dataclass(frozen=True, slots=True)
class Column:
    """A criterion of a table, as its heading was printed."""

    label: str
    group: str | None
    max: float | None


@dataclass(frozen=True, slots=True)
class PrintedRow:
    """A row of a table as it was printed: its cells' text, as read."""

    position: int
    stt: str | None
    section: str | None
    unit_raw: str
    unit: str | None
    values: tuple[str, ...]  # one per column of its table ("" where nothing was printed)
    total: str | None
    converted: str | None
    rating: str | None
    page: int | None
    is_total_row: bool

    def texts(self) -> tuple[str, ...]:
        """Every cell printed in the row."""
        return tuple(t for t in (self.stt, *self.values, self.total, self.converted, self.rating) if t)

    def figures(self) -> tuple[str, ...]:
        """The row's telling figures, to find its line by: its total and converted score, else its
        values, those of three characters or more ("76,01"; a "10" is printed on every line)."""
        return tuple(t for t in (self.total, self.converted, *self.values) if t and len(t) >= 3)[:FIGURES]

    def cell(self, about: str | None) -> str | None:
        """The printed text of the field a finding is `about` ("values[3]", "total", "unit_raw" …)."""
        if about is None:
            return None
        if about.startswith("values["):
            k = int(about[7:-1])
            return self.values[k] if k < len(self.values) else None
        return {"total": self.total, "converted": self.converted, "rating": self.rating,
                "unit_raw": self.unit_raw, "stt": self.stt}.get(about)


@dataclass(frozen=True, slots=True)
class TableRecord:
    position: int
    kind: TableKind
    title: str | None
    pages: str | None
    columns: tuple[Column, ...]
    rows: tuple[PrintedRow, ...]

    def row(self, position: int | None) -> PrintedRow | None:
        return self.rows[position] if position is not None and 0 <= position < len(self.rows) else None


@dataclass(frozen=True, slots=True)
class Overview:
    """The batch at a glance: findings per (issuer, rule); rows per (issuer, rating) and each unit's
    score per period, of the latest submissions."""

    findings: dict[tuple[str | None, str], int]
    ratings: dict[tuple[str | None, str | None], int]
    scores: dict[str | None, dict[str, dict[str, float]]]  # issuer → unit → period → score


def stored_reports(db: Database, scope: Scope) -> list[StoredReport]:
    """The reports in `scope`, by issuer, period and file name."""
    with db.session() as session:
        reports = [StoredReport(*line) for line in session.execute(_in_scope(select(
            DbReport.id, DbReport.file_name, DbReport.sha256, DbReport.format, DbReport.issuer,
            DbReport.issuer_code, DbReport.province, DbReport.number, DbReport.date, DbReport.period,
            DbReport.framework, DbReport.corrects), session, scope))]
    return sorted(reports, key=lambda r: (r.issuer is None, r.issuer or "", r.period or "", r.file_name, r.id))


def findings(db: Database, scope: Scope, reports: list[StoredReport], messages: Callable[[Finding], str]
             ) -> dict[int, list[FindingRecord]]:
    """The findings of `reports` (those in `scope`), the conflicts between reports among them, by report
    id, each sentence rendered by `messages`."""
    by_report: dict[int, list[FindingRecord]] = {r.id: [] for r in reports}
    for record in db.findings(period=scope.period, messages=messages):
        if record.report_id in by_report:
            by_report[record.report_id].append(record)
    return by_report


def tables(db: Database, report_id: int) -> tuple[TableRecord, ...]:
    """A report's tables as read: their columns and every row's printed cells."""
    with db.session() as session:
        return tuple(_table(session, *line) for line in session.execute(
            select(DbTable.id, DbTable.position, DbTable.kind, DbTable.title, DbTable.pages)
            .where(DbTable.report_id == report_id).order_by(DbTable.position)))


def overview(db: Database, scope: Scope, reports: list[StoredReport],
             by_report: dict[int, list[FindingRecord]]) -> Overview:
    issuers = {r.id: r.issuer for r in reports}
    counted: dict[tuple[str | None, str], int] = {}
    for report_id, records in by_report.items():
        for record in records:
            key = (issuers[report_id], record.rule)
            counted[key] = counted.get(key, 0) + 1
    with db.session() as session:
        return Overview(counted, _ratings(session, scope), _scores(session, scope))


def _in_scope(query: Select, session: Session, scope: Scope) -> Select:
    """Restrict a query of reports to `scope`; an issuer is matched as its name folds or its code."""
    if scope.period is not None:
        query = query.where(DbReport.period == scope.period)
    if scope.issuer is not None:
        wanted = fold(scope.issuer)
        known = session.execute(select(DbReport.issuer, DbReport.issuer_code).distinct()).all()
        names = [name for name, code in known if (name and fold(name) == wanted) or code == scope.issuer]
        query = query.where(DbReport.issuer.in_(names))
    return query


def _latest_scores(query: Select, session: Session, scope: Scope) -> Select:
    """A query of unit rows restricted to the score tables of the latest submissions in scope."""
    query = (query.join_from(DbRow, DbTable, DbTable.id == DbRow.table_id)
             .join(DbReport, DbReport.id == DbTable.report_id)
             .where(DbTable.kind == TableKind.SCORES.value, ~DbRow.is_total_row,
                    DbReport.id.in_(latest_submissions())))
    return _in_scope(query, session, scope)


def _ratings(session: Session, scope: Scope) -> dict[tuple[str | None, str | None], int]:
    query = _latest_scores(select(DbReport.issuer, DbRow.rating, func.count()), session, scope)
    return {(issuer, rating): n for issuer, rating, n in
            session.execute(query.group_by(DbReport.issuer, DbRow.rating))}


def _scores(session: Session, scope: Scope) -> dict[str | None, dict[str, dict[str, float]]]:
    """Each unit's converted score (its total where it has none) per period, by issuer."""
    query = _latest_scores(select(DbReport.issuer, func.coalesce(DbRow.unit, DbRow.unit_raw), DbReport.period,
                                  func.coalesce(DbRow.converted, DbRow.total)), session, scope)
    scores: dict[str | None, dict[str, dict[str, float]]] = {}
    for issuer, unit, period, score in session.execute(query.where(DbReport.period.is_not(None))):
        if score is not None:
            scores.setdefault(issuer, {}).setdefault(unit, {})[period] = score
    return scores


def _table(session: Session, table_id: int, position: int, kind: str, title: str | None,
           pages: str | None) -> TableRecord:
    columns = tuple(Column(*line) for line in session.execute(
        select(DbCriterion.label, DbCriterion.group_name, DbCriterion.max)
        .where(DbCriterion.table_id == table_id).order_by(DbCriterion.position)))
    lines = session.execute(
        select(DbRow.id, DbRow.position, DbRow.stt, DbRow.section, DbRow.unit_raw, DbRow.unit, DbRow.total_text,
               DbRow.converted_text, DbRow.rating_raw, DbRow.page, DbRow.is_total_row, DbValue.position,
               DbValue.text)
        .outerjoin(DbValue, and_(DbValue.row_id == DbRow.id, ~DbValue.unlabeled))
        .where(DbRow.table_id == table_id).order_by(DbRow.position, DbValue.position))
    rows = tuple(_printed(list(group), len(columns)) for _, group in groupby(lines, key=lambda line: line[0]))
    return TableRecord(position, TableKind(kind), title, pages, columns, rows)


def _printed(lines: list, width: int) -> PrintedRow:
    """A row from its lines joined with its values (one line per value)."""
    texts = [""] * width
    for *_, k, text in lines:
        if k is not None and k < width:
            texts[k] = text
    _, position, stt, section, unit_raw, unit, total, converted, rating, page, is_total, *_ = lines[0]
    return PrintedRow(position, stt, section, unit_raw, unit, tuple(texts), total, converted, rating, page,
                      bool(is_total))
