"""Consolidated export of every loaded unit score: wide (a column per criterion), long, or a series (a
column per period, phuluc/load/series.py), as CSV, XLSX or Parquet.

The output's extension decides the format (`writing`): `.xlsx` is a workbook whose text cells are stored
as text, so none can act as a formula, and whose numbers are numbers; anything else is CSV, UTF-8 with a
BOM by default so that Excel shows Vietnamese, where a text cell that a spreadsheet would run as a
formula (a unit name "=HYPERLINK(…)") starts with an apostrophe. Rows are joined in SQL and streamed
from the database (a server-side cursor on PostgreSQL) and written one by one (openpyxl's write-only
workbook for XLSX), so an export never holds the whole table in memory; a series holds its cells alone,
one per unit and period.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any, TextIO

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from phuluc.load.db import (
    STREAM,
    SUBMISSION_ORDER,
    Database,
    DbCriterion,
    DbReport,
    DbRow,
    DbTable,
    DbUnit,
    DbValue,
    FindingRecord,
    latest_submissions,
)
from phuluc.choices import Dialect, Layout, Series, TableKind
from phuluc.load.series import gather, merged, pivot
from phuluc.model import Finding
from phuluc.normalize.units import Register

_BATCH = 5000  # rows fetched and written at a time
_BUFFER = 1 << 20
_ROW_HEAD = ("file_name", "issuer", "province", "period", "framework", "table", "stt", "section",
             "unit_raw", "unit", "unit_code")
_ROW_TAIL = ("total", "total_max", "converted", "rating", "avg_staff", "rank", "rank_of", "change", "rank_change")
_LONG = ("file_name", "issuer", "period", "framework", "unit_raw", "unit", "unit_code",
         "criterion", "group", "max", "value", "text")

# a text cell a spreadsheet would take for a formula (OWASP CSV injection): "=HYPERLINK(…)", "+cmd|…",
# "@SUM(…)", "-2+3"; a lone dash (not applicable) and a signed number are no formulas
_FORMULA_START = tuple("=+-@\t\r")
_PLAIN = re.compile(r"[-–—]|[+-]?\d[\d.,]*%?")


class SafeWriter:
    """The writer of every CSV phuluc writes (export, audit -o), in its `dialect`, whose text cells
    cannot act as formulas in Excel or LibreOffice: such a cell gets a leading apostrophe; numbers stay
    numbers."""

    def __init__(self, stream: TextIO, dialect: Dialect = Dialect.TOOLS) -> None:
        self._stream = stream
        self._writer = csv.writer(stream) if dialect is Dialect.TOOLS else None

    def writerow(self, row) -> None:
        if self._writer is not None:
            self._writer.writerow([_inert(v) for v in row])
        else:
            self._stream.write(";".join(map(_vi_field, row)) + "\r\n")

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def _vi_field(value: object) -> str:
    """A field of the excel-vi dialect: a number bare, with a decimal comma; text always quoted."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value).replace(".", ",") if isinstance(value, float) else str(value)
    return '"' + str(_inert(str(value))).replace('"', '""') + '"'


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN.fullmatch(value):
        return "'" + value
    return value


class XlsxWriter:
    """Rows into a sheet of a write-only workbook, the first a header frozen above the others and
    filtering them: a text cell is stored as text whatever it starts with (openpyxl would take "=…"
    for a formula), characters XML cannot hold written out as "\\x1b"; numbers stay numbers."""

    def __init__(self, book, title: str) -> None:
        self._sheet = book.create_sheet(_sheet_title(title, book.sheetnames))
        self._sheet.freeze_panes = "A2"
        self._rows = self._width = 0

    def writerow(self, row, marks: dict[int, list[tuple[str, str]]] | None = None) -> None:
        """Append `row`; `marks` colours the cells at those positions by the worst severity of their
        findings and notes the findings' sentences on them."""
        marks = marks or {}
        cells = [self._cell(v, marks.get(k)) for k, v in enumerate(row)]
        self._sheet.append(cells)
        self._rows, self._width = self._rows + 1, max(self._width, len(cells))

    def close(self) -> None:
        """The header's filter over every row written (a write-only sheet takes it at the end)."""
        from openpyxl.utils import get_column_letter

        if self._width:
            self._sheet.auto_filter.ref = f"A1:{get_column_letter(self._width)}{self._rows}"

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

    def _cell(self, value: object, findings: list[tuple[str, str]] | None = None):
        if not isinstance(value, str) and not findings:
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, _xml_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
        if findings:
            from openpyxl.comments import Comment
            from openpyxl.styles import PatternFill

            worst = "error" if any(severity == "error" for severity, _ in findings) else "warning"
            cell.fill = PatternFill("solid", start_color=_MARK[worst])
            cell.comment = Comment(_xml_text("\n".join(message for _, message in findings)), "phuluc")
        return cell


_MARK = {"error": "FFC7CE", "warning": "FFEB9C"}  # Excel's own fills for bad and neutral cells
# the cell of a wide row a finding is about; the others mark the unit's name
_MARKED = {"SUM_MISMATCH": "total", "MAX_MISMATCH": "total_max", "CONVERTED_MISMATCH": "converted",
           "FORMULA_MISMATCH": "converted", "RATING_MISMATCH": "rating"}


def _xml_text(text: str) -> str:
    """Text as XML can hold it: the characters it cannot written out ("\\x1b")."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@contextmanager
def writing(out: str | os.PathLike[str] | TextIO, *, bom: bool = True, title: str = "phuluc",
            dialect: Dialect = Dialect.TOOLS) -> Iterator[Any]:
    """A row writer into `out`: an XLSX workbook (one sheet, `title`) for a path ending in .xlsx, CSV
    in `dialect` for any other path or a stream (`bom`: UTF-8 with a byte-order mark)."""
    if isinstance(out, (str, os.PathLike)) and os.fspath(out).lower().endswith(".xlsx"):
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        writer = XlsxWriter(book, title)
        yield writer
        writer.close()
        book.save(out)
        return
    with _opened(out, bom) as stream:
        yield SafeWriter(stream, Dialect(dialect))


class ParquetRows:
    """Rows into a Parquet file, for analysts, a batch at a time: text columns as strings ("03154"
    keeps its zero), the others as doubles, unless `text_only` (a series of ratings or ranks)."""

    def __init__(self, path: str | os.PathLike[str], *, text_only: bool = False) -> None:
        self._path, self._batch, self._writer, self._schema = path, [], None, None
        self._text_only = text_only

    def writerow(self, row) -> None:
        if self._schema is None:
            import pyarrow as pa

            self._schema = pa.schema([(str(name), pa.string() if self._text_only or name in TEXT_COLUMNS
                                       else pa.float64()) for name in row])
            return
        self._batch.append(row)
        if len(self._batch) >= _BATCH:
            self._flush()

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = list(zip(*self._batch)) if self._batch else [()] * len(self._schema)
        table = pa.Table.from_arrays([pa.array(values, type=field.type) for values, field in zip(columns, self._schema)],
                                     schema=self._schema)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._path, self._schema)
        self._writer.write_table(table)
        self._batch = []


_SHEET_CHARACTERS = re.compile(r"[\\/*?:\[\]]")  # not allowed in a sheet's name


def _sheet_title(title: str, taken: list[str]) -> str:
    """A sheet name Excel accepts (31 characters at most, none of \\ / * ? : [ ]), unique in the book."""
    base = _SHEET_CHARACTERS.sub("-", title)[:31] or "-"
    name, k = base, 1
    while name.lower() in map(str.lower, taken):
        k += 1
        name = f"{base[:28]}~{k}"
    return name


def heading(group: str | None, label: str) -> str:
    """A criterion's wide column: "group / label", or the label alone."""
    return f"{group} / {label}" if group else label


@dataclass(frozen=True, slots=True)
class Scope:
    """The reports an export reads: of one period or all, and for each issuer, period and framework the
    latest submission (db.latest_submissions) or `every` copy loaded."""

    period: str | None = None
    every: bool = False
    frameworks: tuple[str | None, ...] | None = None  # these alone (None: a report naming none), or all
    tables: TableKind = TableKind.SCORES


# the columns that are text whatever they hold (a code, an STT, a period); the others are figures, or
# the criteria of the wide layout
TEXT_COLUMNS = frozenset(("file_name", "issuer", "issuer_code", "province", "number", "period", "framework",
                          "table", "stt", "section", "unit_raw", "unit", "unit_code", "rating", "rank",
                          "criterion", "group", "text", "format", "era", "rule", "severity", "expected",
                          "actual", "message", "sha256", "table_title", "about", "cells", "level",
                          "successor_code", "successor"))

# the columns of the findings, in `phuluc audit -o` and in a workbook's findings sheet
FINDING_COLUMNS = ("file_name", "period", "framework", "rule", "severity", "page", "table_title", "stt",
                   "unit_raw", "unit", "about", "criterion", "cells", "expected", "actual", "message")


def finding_line(record: FindingRecord) -> list[object]:
    """A finding's FINDING_COLUMNS, its printed cells joined ("8,75 | 66,8")."""
    return [" | ".join(record.cells) if c == "cells" else getattr(record, c) for c in FINDING_COLUMNS]


def export_scores(
    db: Database,
    out: str | os.PathLike[str] | TextIO,
    *,
    layout: Layout = Layout.WIDE,
    period: str | None = None,
    every: bool = False,
    tables: TableKind = TableKind.SCORES,
    bom: bool = True,
    dialect: Dialect = Dialect.TOOLS,
    messages: Callable[[Finding], str] | None = None,
    series: Series = Series(),
) -> int:
    """Write the unit rows (never total rows) of the score tables, or of the `tables` of other figures,
    each from the latest submission of its report unless `every`, as CSV (`writing`) or as a workbook: a sheet per framework and one of the
    findings (a conflict's sentence by `messages`); the data rows written. The series layout shows
    what `series` says."""
    scope = Scope(period, every, tables=TableKind(tables))
    suffix = os.path.splitext(os.fspath(out))[1].lower() if isinstance(out, (str, os.PathLike)) else ""
    if suffix == ".xlsx":
        return _workbook(db, out, Layout(layout), scope, messages, series)
    if suffix == ".parquet":
        writer = ParquetRows(out, text_only=text_only(layout, series))
        written = write_scores(db, writer, layout=layout, scope=scope, series=series)
        writer.close()
        return written
    with writing(out, bom=bom, title=layout, dialect=dialect) as writer:
        return write_scores(db, writer, layout=layout, scope=scope, series=series)


def text_only(layout: Layout | str, series: Series) -> bool:
    """Whether every figure column of an export is text: a series of ratings or of ranks ("06/63")."""
    return Layout(layout) is Layout.SERIES and series.textual


def _workbook(db: Database, path: str | os.PathLike[str], layout: Layout, scope: Scope,
              messages: Callable[[Finding], str] | None, series: Series) -> int:
    from openpyxl import Workbook

    book, written = Workbook(write_only=True), 0
    with db.session() as session:
        frameworks = sorted(session.scalars(_scores(select(DbReport.framework).distinct().join_from(
            DbTable, DbReport, DbReport.id == DbTable.report_id), scope)), key=lambda f: (f is None, f or ""))
    findings = list(db.findings(period=scope.period, messages=messages))
    for framework in frameworks or [None]:
        sheet = XlsxWriter(book, framework or "-")
        writer = sheet if layout is Layout.SERIES else _Marking(sheet, findings)  # a series has no report's rows
        written += write_scores(db, writer, layout=layout, scope=replace(scope, frameworks=(framework,)),
                                series=series)
        writer.close()
    writer = XlsxWriter(book, "findings")
    writer.writerow(FINDING_COLUMNS)
    for record in findings:
        writer.writerow(finding_line(record))
    writer.close()
    book.save(path)
    return written


class _Marking:
    """A sheet's writer that marks, on each row, the cells its report's findings on its unit are about."""

    def __init__(self, sheet: XlsxWriter, findings: list[FindingRecord]) -> None:
        self.sheet, self.columns = sheet, {}
        self.findings: dict[tuple[str, str | None], list[FindingRecord]] = {}
        for f in findings:
            self.findings.setdefault((f.file_name, f.unit_raw), []).append(f)

    def writerow(self, row) -> None:
        if not self.columns:
            self.columns = {name: k for k, name in enumerate(row)}
            self.sheet.writerow(row)
            return
        marks: dict[int, list[tuple[str, str]]] = {}
        for f in self.findings.get((row[self.columns["file_name"]], row[self.columns["unit_raw"]]), ()):
            column = self.columns.get(_MARKED.get(f.rule, "unit_raw"), self.columns["unit_raw"])
            marks.setdefault(column, []).append((f.severity, f"{f.rule}: {f.message}"))
        self.sheet.writerow(row, marks)

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)

    def close(self) -> None:
        self.sheet.close()


def write_scores(db: Database, writer: Any, *, layout: Layout = Layout.WIDE, scope: Scope = Scope(),
                 series: Series = Series()) -> int:
    """The header, then the unit rows in `scope` (a series as `series` says), into anything with
    `writerow` and `writerows`; the data rows written."""
    with db.session() as session:
        if Layout(layout) is Layout.SERIES:
            return _write_series(session, writer, scope, series)
        return _LAYOUTS[Layout(layout)](session, writer, scope)


@contextmanager
def _opened(out: str | os.PathLike[str] | TextIO, bom: bool) -> Iterator[TextIO]:
    """A path is opened (and closed) here, with a large buffer: a million short rows otherwise cost a
    million encoder calls; a stream given by the caller is only written to."""
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8-sig" if bom else "utf-8", newline="", buffering=_BUFFER) as stream:
            yield stream
    else:
        if bom:
            out.write("\ufeff")
        yield out


def _scores(query: Select[Any], scope: Scope) -> Select[Any]:
    """Restrict a query joining tables and reports to the tables of the kind and reports in `scope`."""
    query = query.where(DbTable.kind == scope.tables.value)
    if not scope.every:
        query = query.where(DbReport.id.in_(latest_submissions()))
    if scope.frameworks is not None:
        named = [f for f in scope.frameworks if f is not None]
        query = query.where(or_(DbReport.framework.in_(named), DbReport.framework.is_(None) if None in
                                scope.frameworks else false()))
    return query if scope.period is None else query.where(DbReport.period == scope.period)


def _headings(session: Session, scope: Scope) -> list[str]:
    """The wide criterion columns: frameworks by name, criteria by position, first seen first."""
    query = _scores(
        select(DbCriterion.group_name, DbCriterion.label)
        .join(DbTable, DbTable.id == DbCriterion.table_id)
        .join(DbReport, DbReport.id == DbTable.report_id)
        .order_by(DbReport.framework.is_(None), DbReport.framework, DbCriterion.position,
                  DbReport.id, DbTable.position),
        scope,
    )
    return list(dict.fromkeys(heading(group, label) for group, label in session.execute(query)))


def _lines(session: Session, columns: tuple[Any, ...], scope: Scope, *, values_only: bool) -> Any:
    """Unit rows joined with their criterion values, streamed in print order, as plain tuples."""
    join = (lambda q, *a: q.join(*a)) if values_only else (lambda q, *a: q.outerjoin(*a))
    query = select(*columns).join(DbTable, DbTable.id == DbRow.table_id).join(DbReport, DbReport.id == DbTable.report_id)
    query = join(query, DbValue, and_(DbValue.row_id == DbRow.id, ~DbValue.unlabeled))
    query = join(query, DbCriterion, and_(DbCriterion.table_id == DbRow.table_id,
                                          DbCriterion.position == DbValue.position))
    query = _scores(query.where(~DbRow.is_total_row), scope)
    # rows are numbered as they are stored: report, table, row order, without a sort over the reports
    query = query.order_by(DbRow.id, DbValue.position)
    return session.connection().execute(query, execution_options=STREAM)  # Core rows, no ORM loading


_WIDE = (DbRow.id, DbReport.file_name, DbReport.issuer, DbReport.province, DbReport.period, DbReport.framework,
         DbTable.title, DbRow.stt, DbRow.section, DbRow.unit_raw, DbRow.unit, DbRow.unit_code, DbRow.total,
         DbRow.total_max, DbRow.converted, DbRow.rating, DbRow.avg_staff, DbRow.rank, DbRow.rank_of, DbRow.change,
         DbRow.rank_change, DbCriterion.group_name, DbCriterion.label, DbValue.value)
_HEAD, _TAIL = slice(1, 1 + len(_ROW_HEAD)), slice(1 + len(_ROW_HEAD), 1 + len(_ROW_HEAD) + len(_ROW_TAIL))
_CRITERION = _TAIL.stop  # positions in a _WIDE line
_LONG_COLUMNS = (DbReport.file_name, DbReport.issuer, DbReport.period, DbReport.framework, DbRow.unit_raw,
                 DbRow.unit, DbRow.unit_code, DbCriterion.label, DbCriterion.group_name, DbCriterion.max,
                 DbValue.value, DbValue.text)


def _write_wide(session: Session, writer: Any, scope: Scope) -> int:
    headings = _headings(session, scope)
    writer.writerow((*_ROW_HEAD, *headings, *_ROW_TAIL))
    written = 0
    for _, lines in groupby(_lines(session, _WIDE, scope, values_only=False), key=lambda line: line[0]):
        lines = list(lines)
        scores = {heading(group, label): value for group, label, value in
                  (line[_CRITERION:] for line in lines) if label is not None}
        writer.writerow((*lines[0][_HEAD], *(scores.get(h) for h in headings), *lines[0][_TAIL]))
        written += 1
    return written


def _write_long(session: Session, writer: Any, scope: Scope) -> int:
    writer.writerow(_LONG)
    written = 0
    for lines in _lines(session, _LONG_COLUMNS, scope, values_only=True).partitions(_BATCH):
        writer.writerows(lines)
        written += len(lines)
    return written


def _write_series(session: Session, writer: Any, scope: Scope, series: Series) -> int:
    """A row per unit, a column per period: each unit's figure from the report that counts first."""
    figure = getattr(DbRow, series.value)
    query = (
        select(DbReport.framework, DbReport.era, DbRow.unit_code, func.coalesce(DbRow.unit, DbRow.unit_raw),
               DbReport.province, DbUnit.level, DbReport.period, figure)
        .join_from(DbRow, DbTable, DbTable.id == DbRow.table_id).join(DbReport, DbReport.id == DbTable.report_id)
        .outerjoin(DbUnit, and_(DbUnit.code == DbRow.unit_code, DbUnit.era == DbReport.era))
        .where(~DbRow.is_total_row, DbReport.period.is_not(None))
        .order_by(figure.is_(None), *SUBMISSION_ORDER, DbRow.id)
    )
    lines = gather(session.connection().execute(_scores(query, scope), execution_options=STREAM))
    if series.merge_2025:
        lines = merged(lines, Register.load())
    header, *rows = pivot(lines, successors=series.merge_2025)
    writer.writerow(header)
    writer.writerows(rows)
    return len(rows)


_LAYOUTS: dict[Layout, Callable[[Session, Any, Scope], int]] = {
    Layout.WIDE: _write_wide,
    Layout.LONG: _write_long,
}
