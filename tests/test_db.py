"""The database layer on SQLite and PostgreSQL: migrations, one transaction per report, replace,
conflicts, streaming reads, and a server that is down or refuses the password."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pg
import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, create_engine, event, insert, inspect, select
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from phuluc.load import db as db_module
from phuluc.load.db import (
    CONFLICTING_SUBMISSION,
    MIGRATIONS,
    AlreadyLoaded,
    Base,
    Database,
    DbCriterion,
    DbReport,
    DbRow,
    DbStatement,
    DbTable,
    DbUnit,
    DbValue,
    alembic_config,
    upgrade,
)
from phuluc.model import (
    Criterion,
    Era,
    Extraction,
    Finding,
    Number,
    Report,
    ReportMeta,
    Row,
    ScoreTable,
    Statement,
)
from phuluc.pipeline import app

# ---------------------------------------------------------------- factory

CRITERIA = (
    Criterion("Chỉ số 1 (5đ)", group="Công khai, minh bạch", max=5, key="1.1"),
    Criterion("Chỉ số 2 (10đ)", group="Công khai, minh bạch", max=10, key="1.2"),
    Criterion("Mức độ hài lòng", max=10),
)


def num(text: str) -> Number:
    """A number as printed in a Vietnamese report ("8,75"), read as the normalizer would."""
    if text in ("", "-"):
        return Number(None, text)
    return Number(float(text.replace(",", ".")), text, len(text.partition(",")[2]))


def unit_row(
    name: str | None,
    code: str | None,
    values: tuple[str, ...] = ("4,5", "8,75", "9"),
    total: str = "22,25",
    *,
    rating: str | None = "Tốt",
    stt: str = "1",
    is_total_row: bool = False,
    unlabeled: tuple[str, ...] = (),
) -> Row:
    """A unit row; `name` is the canonical name (None: not matched to the register)."""
    return Row(
        unit_raw=name.upper() if name else "Tổ công tác",
        values=tuple(map(num, values)),
        stt=stt,
        section="I. Cấp xã",
        unit=name,
        unit_code=code,
        total=num(total),
        total_max=25.0,
        rating=rating,
        rating_raw=rating.upper() if rating else None,
        rank=stt,
        is_total_row=is_total_row,
        claims_unit=name is not None,
        page=3,
        unlabeled=tuple(map(num, unlabeled)),
    )


def extraction(
    sha: str,
    rows: tuple[Row, ...],
    *,
    period: str = "2024",
    era: Era = "legacy",
    framework: str = "cchc-xa",
    criteria: tuple[Criterion, ...] = CRITERIA,
    findings: tuple[Finding, ...] = (),
    extra_tables: tuple[ScoreTable, ...] = (),
) -> Extraction:
    """One report of the Mường Nhé district on its communes, with one scores table whose rows
    resolve to the `era` register."""
    table = ScoreTable(
        kind="scores",
        source="table",
        criteria=criteria,
        rows=rows,
        title="Kết quả chấm điểm chỉ số cải cách hành chính cấp xã",
        pages=(3, 4),
    )
    report = Report(
        source=f"{sha[:6]}.pdf",
        sha256=sha * 64 if len(sha) == 1 else sha,
        format="pdf",
        meta=ReportMeta(
            issuer="UBND huyện Mường Nhé",
            issuer_code="096",
            province="Điện Biên",
            number="125/BC-UBND",
            date="2025-01-15",
            period=period,
            framework=framework,
        ),
        tables=(table, *extra_tables),
        summary=(Statement("Tốt", 2, scope="xã", units=("Xã Sín Thầu", "Xã Chung Chải")),),
        era=era,
    )
    return Extraction(report, findings)


SIN_THAU = ("Xã Sín Thầu", "03154")
CHUNG_CHAI = ("Xã Chung Chải", "03157")


def message(finding: Finding) -> str:
    return f"{finding.rule}: {finding.unit}"


@pytest.fixture
def db(db_url):
    database = Database.open(db_url)
    yield database
    database.close()


def sha(char: str) -> str:
    return char * 64


# ---------------------------------------------------------------- schema and storing


def test_tables_are_created_on_first_use(db_url):
    database = Database(db_url)
    names = set(inspect(database.engine).get_table_names())
    assert names == {"reports", "units", "tables", "criteria", "rows", "values", "findings",
                     "statements", "unit_aliases", "unit_decisions", "alembic_version"}
    assert database.counts() == {"reports": 0, "rows": 0, "values": 0, "findings": 0}
    database.close()


HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_the_migrated_schema_is_the_models(db_url):
    assert upgrade(db_url) == HEAD
    engine = create_engine(db_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_a_database_at_the_first_revision_upgrades_cleanly(db_url):
    assert upgrade(db_url, "0001") == "0001"
    database = Database(db_url)
    database.store(extraction("a", (unit_row(*SIN_THAU),)), file_name="a.pdf", messages=message)
    database.close()
    assert upgrade(db_url) == HEAD


def test_a_database_made_before_migrations_is_adopted(db_url):
    upgrade(db_url, "0001")  # the schema `create_all` made before there were migrations …
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE alembic_version")  # … which had no version table
    engine.dispose()
    database = Database(db_url)
    database.store(extraction("a", (unit_row(*SIN_THAU),)), file_name="a.pdf", messages=message)
    assert database.counts()["reports"] == 1
    database.close()
    assert upgrade(db_url) == HEAD


def test_downgrade_to_base_leaves_only_the_version_table(db_url):
    upgrade(db_url)
    engine = create_engine(db_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()


def test_processes_starting_together_migrate_once(db_url):
    """Four first uses at once: one migrates, the others wait and find the schema at head."""
    starting = threading.Barrier(4)

    def start() -> Database:
        starting.wait()
        return Database(db_url)

    with ThreadPoolExecutor(starting.parties) as pool:
        futures = [pool.submit(start) for _ in range(starting.parties)]
        opened = [future.result() for future in futures]
    for database in opened:
        assert database.counts()["reports"] == 0
        database.close()


def test_store_keeps_every_figure(db):
    finding = Finding("TOTAL_MISMATCH", "error", unit="Xã Sín Thầu", expected=22.25, actual=23.0)
    other = ScoreTable("other", "table", (), (unit_row(None, None, ()),), title="Danh sách")
    rows = (
        unit_row(*SIN_THAU, unlabeled=("12",)),
        unit_row(*CHUNG_CHAI, ("4", "-", "9"), "13", stt="2"),
        unit_row("Tổng cộng", None, ("8,5", "8,75", "18"), "35,25", is_total_row=True, rating=None),
    )
    result = db.store(
        extraction("a", rows, findings=(finding,), extra_tables=(other,)),
        file_name="BC 125 Mường Nhé.pdf",
        messages=message,
    )

    assert (result.tables, result.rows, result.values, result.findings) == (2, 4, 10, 1)
    assert db.has_report(sha("a")) and not db.has_report(sha("b"))
    assert db.counts() == {"reports": 1, "rows": 4, "values": 10, "findings": 1}
    with db.session() as session:
        report = session.scalars(select(DbReport)).one()
        assert (report.file_name, report.period, report.date.isoformat()) == (
            "BC 125 Mường Nhé.pdf", "2024", "2025-01-15")
        sin_thau = session.scalars(select(DbRow).where(DbRow.unit_code == "03154")).one()
        assert (sin_thau.total, sin_thau.total_text, sin_thau.rating_raw) == (22.25, "22,25", "TỐT")
        values = session.execute(
            select(DbValue.position, DbValue.value, DbValue.text, DbValue.unlabeled)
            .where(DbValue.row_id == sin_thau.id)
            .order_by(DbValue.id)
        ).all()
        assert values == [(0, 4.5, "4,5", False), (1, 8.75, "8,75", False), (2, 9.0, "9", False),
                          (None, 12.0, "12", True)]
        na = session.scalar(
            select(DbValue.value).join(DbRow).where(DbRow.unit_code == "03157", DbValue.text == "-")
        )
        assert na is None
        table = session.scalars(select(DbTable).where(DbTable.kind == "scores")).one()
        assert (table.position, table.pages) == (0, "3,4")
        assert session.scalars(select(DbCriterion.label).order_by(DbCriterion.position)).all() == [
            c.label for c in CRITERIA
        ]
        assert session.scalars(select(DbStatement.units)).one() == "Xã Sín Thầu; Xã Chung Chải"
        units = session.execute(select(DbUnit.code, DbUnit.era, DbUnit.kind)).all()
    assert sorted(units) == [("03154", "legacy", "xã"), ("03157", "legacy", "xã")]
    stored = list(db.findings())
    assert [(f.rule, f.expected, f.actual, f.message) for f in stored] == [
        ("TOTAL_MISMATCH", "22.25", "23", "TOTAL_MISMATCH: Xã Sín Thầu")
    ]


def test_units_are_recorded_once_per_register_era(db):
    db.store(extraction("a", (unit_row(*SIN_THAU),)), file_name="a.pdf", messages=message)
    db.store(extraction("b", (unit_row(*SIN_THAU),), period="2024-Q4"), file_name="b.pdf",
             messages=message)
    db.store(extraction("c", (unit_row("Xã Sín Thầu", "03158"), unit_row("Xã Mới", "99999")),
                        period="2025-Q3", era="current"), file_name="c.pdf", messages=message)
    with db.session() as session:
        units = session.execute(
            select(DbUnit.era, DbUnit.code, DbUnit.name, DbUnit.kind, DbUnit.level, DbUnit.parent)
            .order_by(DbUnit.era, DbUnit.code)
        ).all()
    assert units == [
        ("current", "03158", "Xã Sín Thầu", "xã", "ward", "11"),
        ("current", "99999", "Xã Mới", None, None, None),
        ("legacy", "03154", "Xã Sín Thầu", "xã", "ward", "096"),
    ]


# 03158 is reused: Xã Leng Su Sìn of Mường Nhé before July 2025, Xã Sín Thầu of Điện Biên after.
LENG_SU_SIN = ("Xã Leng Su Sìn", "03158")
SIN_THAU_NOW = ("Xã Sín Thầu", "03158")


def test_a_late_report_of_former_units_records_them_in_the_legacy_register(db):
    """A 2025-Q4 report whose rows print the former communes: their codes are legacy codes, and
    the current unit that reuses one keeps its own name."""
    db.store(extraction("a", (unit_row(*SIN_THAU_NOW),), period="2025-Q4", era="current"),
             file_name="now.pdf", messages=message)
    db.store(extraction("b", (unit_row(*LENG_SU_SIN),), period="2025-Q4", era="legacy"),
             file_name="late.pdf", messages=message)
    with db.session() as session:
        units = session.execute(
            select(DbUnit.era, DbUnit.code, DbUnit.name, DbUnit.parent).order_by(DbUnit.era)
        ).all()
        eras = session.execute(select(DbReport.file_name, DbReport.era).order_by(DbReport.id)).all()
    assert units == [("current", "03158", "Xã Sín Thầu", "11"), ("legacy", "03158", "Xã Leng Su Sìn", "096")]
    assert eras == [("now.pdf", "current"), ("late.pdf", "legacy")]


def test_a_code_of_another_register_is_another_unit_in_conflicts(db):
    db.store(extraction("a", (unit_row(*SIN_THAU_NOW),), period="2025-Q4", era="current"),
             file_name="now.pdf", messages=message)
    db.store(extraction("b", (unit_row(*LENG_SU_SIN, total="20"),), period="2025-Q4", era="legacy"),
             file_name="late.pdf", messages=message)
    assert db.conflicts() == []  # one period, one code, two communes


def test_the_same_code_in_one_register_still_conflicts(db):
    store_pair(db, (unit_row(*LENG_SU_SIN),), (unit_row(*LENG_SU_SIN, total="20"),))
    [conflict] = db.conflicts()
    assert (conflict.finding.unit, conflict.finding.actual) == ("Xã Leng Su Sìn", 20.0)


def test_a_department_is_one_unit_in_either_register(db):
    department = unit_row("Sở Nội vụ", None)
    db.store(extraction("a", (department,), period="2025-Q4", era="current"), file_name="a.pdf",
             messages=message)
    db.store(extraction("b", (unit_row("Sở Nội vụ", None, total="20"),), period="2025-Q4", era="legacy"),
             file_name="b.pdf", messages=message)
    assert [c.finding.unit for c in db.conflicts()] == ["Sở Nội vụ"]


def test_upgrading_gives_stored_reports_the_era_of_their_period(db_url):
    """Reports loaded before `reports.era` existed had their units recorded in the register of their
    period (for 2025, of their date): the upgrade says so."""
    upgrade(db_url, "0001")
    engine = create_engine(db_url)
    reports = [("a", "2024-12", None), ("b", "2025-Q3", None), ("c", "2025", "2025-03-01"),
               ("d", "2025", "2025-09-30"), ("e", None, None)]
    with engine.begin() as connection:
        table = Table("reports", MetaData(), autoload_with=connection)
        connection.execute(insert(table), [
            {"file_name": f"{name}.pdf", "sha256": sha(name), "format": "pdf", "period": period,
             "date": dt.date.fromisoformat(date) if date else None, "ingested_at": dt.datetime.now(dt.UTC)}
            for name, period, date in reports
        ])
    engine.dispose()
    assert upgrade(db_url) == HEAD
    database = Database(db_url)
    with database.session() as session:
        eras = session.execute(select(DbReport.file_name, DbReport.era).order_by(DbReport.id)).all()
    database.close()
    assert eras == [("a.pdf", "legacy"), ("b.pdf", "current"), ("c.pdf", "legacy"), ("d.pdf", "current"),
                    ("e.pdf", "legacy")]


def test_storing_twice_without_replace_raises_and_changes_nothing(db):
    db.store(extraction("a", (unit_row(*SIN_THAU),)), file_name="a.pdf", messages=message)
    before = db.counts()
    with pytest.raises(AlreadyLoaded) as raised:
        db.store(extraction("a", (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI))),
                 file_name="a (copy).pdf", messages=message)
    assert (raised.value.file_name, raised.value.sha256) == ("a (copy).pdf", sha("a"))
    assert db.counts() == before


def test_a_report_another_writer_committed_meanwhile_is_already_loaded(db, db_url, monkeypatch):
    """Two processes ingesting one file: the second finds no report, then the first commits."""
    other = Database(db_url)
    insert_report = db_module._insert_report

    def after_the_other_writer(*args):
        monkeypatch.setattr(db_module, "_insert_report", insert_report)
        other.store(extraction("a", (unit_row(*SIN_THAU),)), file_name="first.pdf",
                    messages=message)
        return insert_report(*args)

    monkeypatch.setattr(db_module, "_insert_report", after_the_other_writer)
    with pytest.raises(AlreadyLoaded):
        db.store(extraction("a", (unit_row(*CHUNG_CHAI),)), file_name="second.pdf",
                 messages=message)
    other.close()
    assert db.counts() == {"reports": 1, "rows": 1, "values": 3, "findings": 0}
    with db.session() as session:
        assert session.scalars(select(DbRow.unit)).all() == ["Xã Sín Thầu"]


def test_replace_swaps_the_report_and_cascades(db):
    db.store(extraction("a", (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI))), file_name="a.pdf",
             messages=message)
    db.store(extraction("b", (unit_row(*CHUNG_CHAI),)), file_name="b.pdf", messages=message)
    new = extraction("a", (unit_row(*SIN_THAU, total="20"),),
                     findings=(Finding("SUM_MISMATCH", "warning"),))
    result = db.store(new, file_name="a v2.pdf", messages=message, replace=True)

    assert (result.rows, result.values, result.findings) == (1, 3, 1)
    assert db.counts() == {"reports": 2, "rows": 2, "values": 6, "findings": 1}
    with db.session() as session:
        names = session.execute(
            select(DbReport.file_name, DbRow.unit, DbRow.total)
            .join(DbTable, DbTable.report_id == DbReport.id)
            .join(DbRow, DbRow.table_id == DbTable.id)
            .order_by(DbReport.file_name)
        ).all()
        assert len(session.scalars(select(DbCriterion.id)).all()) == 2 * len(CRITERIA)
    assert names == [("a v2.pdf", "Xã Sín Thầu", 20.0), ("b.pdf", "Xã Chung Chải", 22.25)]


@pytest.mark.parametrize("replace", [False, True])
def test_a_failing_store_leaves_nothing_of_that_report(db, monkeypatch, replace):
    db.store(extraction("a", (unit_row(*SIN_THAU),)), file_name="a.pdf", messages=message)
    before = db.counts()

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(db_module, "insert_findings", fail)
    failing = "a" if replace else "b"
    with pytest.raises(RuntimeError, match="disk full"):
        db.store(extraction(failing, (unit_row(*CHUNG_CHAI), unit_row(*SIN_THAU, stt="2"))),
                 file_name="b.pdf", messages=message, replace=replace)

    assert db.counts() == before
    assert db.has_report(sha("a")) and not db.has_report(sha("b"))
    with db.session() as session:
        assert session.scalars(select(DbReport.file_name)).all() == ["a.pdf"]
        assert session.scalars(select(DbRow.unit)).all() == ["Xã Sín Thầu"]


# ---------------------------------------------------------------- conflicts


def store_pair(db, first: tuple[Row, ...], second: tuple[Row, ...], **second_meta) -> None:
    db.store(extraction("a", first), file_name="BC huyện.pdf", messages=message)
    db.store(extraction("b", second, **second_meta), file_name="BC xã.docx", messages=message)


def test_different_totals_are_one_conflict(db):
    store_pair(
        db,
        (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI)),
        (unit_row(*SIN_THAU, ("4,5", "9,75", "9"), "23,25"), unit_row(*CHUNG_CHAI)),
    )
    [conflict] = db.conflicts()
    f = conflict.finding
    assert (conflict.file_name, conflict.other_file, conflict.period) == (
        "BC xã.docx", "BC huyện.pdf", "2024")
    assert (f.rule, f.severity, f.unit, f.expected, f.actual) == (
        CONFLICTING_SUBMISSION, "error", "Xã Sín Thầu", 22.25, 23.25)
    assert f.params[0] == ("other_file", "BC huyện.pdf")
    assert (f.page, f.table) == (3, 0)


def test_a_conflict_frames_the_later_row_where_it_is_printed(db):
    """The row's box is stored with the row, so a conflict (made from stored rows) has it as an ingest's
    own findings do: the later report's row, not the first one's."""
    first, later = (0.05, 0.30, 0.95, 0.33), (0.06, 0.52, 0.94, 0.555)
    store_pair(db, (replace(unit_row(*SIN_THAU), bbox=first),),
               (replace(unit_row(*SIN_THAU, ("4,5", "9,75", "9"), "23,25"), bbox=later),))
    [conflict] = db.conflicts()
    assert conflict.finding.bbox == pytest.approx(later)
    [record] = db.findings(rule=CONFLICTING_SUBMISSION)
    assert record.bbox == pytest.approx(later)


def test_copies_are_grouped_by_their_figures_not_paired(db):
    """Thirty identical copies are no conflict among themselves, and a copy that differs is one
    conflict, with the first report loaded, not thirty."""
    for k in range(30):
        db.store(extraction(f"same{k}", (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI))), file_name=f"ban-{k:02d}.pdf",
                 messages=message)
    assert db.conflicts() == []
    db.store(extraction("other", (unit_row(*SIN_THAU, ("4,5", "9,75", "9"), "23,25"), unit_row(*CHUNG_CHAI))),
             file_name="khac.pdf", messages=message)
    [conflict] = db.conflicts()
    assert (conflict.file_name, conflict.other_file, conflict.finding.unit) == ("khac.pdf", "ban-00.pdf", "Xã Sín Thầu")


def store_copies(db, versions: str, rows: dict[str, tuple[Row, ...]]) -> None:
    """One report per letter of `versions`, in order, each holding the rows of its version."""
    for k, version in enumerate(versions):
        db.store(extraction(f"{version}{k}", rows[version]), file_name=f"{k:02d}-{version}.pdf", messages=message)


def test_each_copy_of_another_version_conflicts_with_the_first_report_alone(db):
    """Copies of two versions loaded in turns: every report of the second version is one conflict with the
    first report, however many copies of either there are; the copies of the first are none."""
    store_copies(db, "AAAAABABBB", {"A": (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI)),
                                    "B": (unit_row(*SIN_THAU, total="20"), unit_row(*CHUNG_CHAI))})
    found = [(c.file_name, c.other_file, c.finding.unit, c.finding.actual) for c in db.conflicts()]
    assert found == [(f"{k:02d}-B.pdf", "00-A.pdf", "Xã Sín Thầu", 20.0) for k in (5, 7, 8, 9)]


@pytest.mark.parametrize(("total", "conflicts"), [("22,2500004", 0), ("22,2500006", 0), ("22,250002", 1)])
def test_figures_within_the_tolerance_are_no_conflict_however_they_round(db, total, conflicts):
    """Copies closer than TOLERANCE agree though their hashes differ (22.2500004 and 22.2500006 round
    apart at six places) and are compared; 0.000002 apart, they disagree."""
    store_copies(db, "AAABBB", {"A": (unit_row(*SIN_THAU, total="22,2500004"),),
                                "B": (unit_row(*SIN_THAU, total=total),)})
    assert [c.file_name for c in db.conflicts()] == ["03-B.pdf", "04-B.pdf", "05-B.pdf"][:3 * conflicts]


def test_copies_differing_in_their_rating_alone_conflict_on_it(db):
    store_copies(db, "AAAB", {"A": (unit_row(*SIN_THAU),), "B": (unit_row(*SIN_THAU, rating="Khá"),)})
    [conflict] = db.conflicts()
    f = conflict.finding
    assert (conflict.file_name, f.about, f.expected, f.actual) == ("03-B.pdf", "rating", "Tốt", "Khá")


@pytest.mark.parametrize("meta", [{"period": None}, {"framework": None}])
def test_reports_of_unknown_period_or_framework_conflict_with_none(db, meta):
    db.store(extraction("a", (unit_row(*SIN_THAU),), **meta), file_name="a.pdf", messages=message)
    db.store(extraction("b", (unit_row(*SIN_THAU, total="20"),), **meta), file_name="b.pdf", messages=message)
    assert db.conflicts() == []


def test_identical_figures_printed_differently_are_no_conflict(db):
    reprinted = unit_row(*SIN_THAU, ("4,50", "8,75", "9,0"), "22,250")
    store_pair(db, (unit_row(*SIN_THAU),), (reprinted,))
    assert db.conflicts() == []


@pytest.mark.parametrize("meta", [{"period": "2024-H1"}, {"framework": "cchc-so"}])
def test_other_period_or_framework_is_no_conflict(db, meta):
    store_pair(db, (unit_row(*SIN_THAU),), (unit_row(*SIN_THAU, total="20"),), **meta)
    assert db.conflicts() == []


def test_a_differing_criterion_or_rating_is_reported(db):
    store_pair(
        db,
        (unit_row(*SIN_THAU), unit_row(*CHUNG_CHAI)),
        (unit_row(*SIN_THAU, ("4,5", "7,75", "10")), unit_row(*CHUNG_CHAI, rating="Khá")),
    )
    found = {c.finding.unit: c.finding for c in db.conflicts()}
    assert (found["Xã Sín Thầu"].expected, found["Xã Sín Thầu"].actual) == (8.75, 7.75)
    assert dict(found["Xã Sín Thầu"].params)["figure"] == "Chỉ số 2 (10đ)"
    assert (found["Xã Chung Chải"].expected, found["Xã Chung Chải"].actual) == ("Tốt", "Khá")


def test_units_match_by_name_without_code_and_skip_total_and_unknown_rows(db):
    store_pair(
        db,
        (unit_row("Xã Sín Thầu", None), unit_row("Tổng cộng", None, is_total_row=True),
         unit_row(None, None)),
        (unit_row("Xã Sín Thầu", None, total="20"), unit_row("Tổng cộng", None, total="1", is_total_row=True),
         unit_row(None, None, total="2")),
    )
    found = [(c.finding.unit, c.finding.expected) for c in db.conflicts()]
    assert found == [("Xã Sín Thầu", 22.25)]


def test_findings_filter_by_rule_and_period_and_include_conflicts(db):
    store_pair(db, (unit_row(*SIN_THAU),), (unit_row(*SIN_THAU, total="20"),))
    db.store(
        extraction("c", (unit_row(*SIN_THAU),), period="2023",
                   findings=(Finding("TOTAL_MISMATCH", "error", unit="Xã Sín Thầu"),)),
        file_name="BC 2023.pdf", messages=message,
    )

    assert [(f.file_name, f.rule) for f in db.findings()] == [
        ("BC 2023.pdf", "TOTAL_MISMATCH"), ("BC xã.docx", CONFLICTING_SUBMISSION)]
    assert [f.file_name for f in db.findings(period="2023")] == ["BC 2023.pdf"]
    assert list(db.findings(rule="TOTAL_MISMATCH", period="2024")) == []
    [conflict] = db.findings(rule=CONFLICTING_SUBMISSION, period="2024")
    assert (conflict.severity, conflict.expected, conflict.actual) == ("error", "22.25", "20")
    assert conflict.message == (
        "Đơn vị Xã Sín Thầu kỳ 2024: báo cáo BC huyện.pdf ghi tổng điểm 22.25, "
        "báo cáo BC xã.docx ghi 20."
    )
    assert unicodedata.is_normalized("NFC", conflict.message)
    [rendered] = db.findings(rule=CONFLICTING_SUBMISSION, messages=message)
    assert rendered.message == f"{CONFLICTING_SUBMISSION}: Xã Sín Thầu"


# ---------------------------------------------------------------- reading and connecting


def server_side_statements(database: Database) -> list[str]:
    """The statements that will run on a server-side (streaming) cursor, as they run."""
    statements: list[str] = []

    def record(_conn, cursor, statement, *_args) -> None:
        if isinstance(cursor, psycopg.ServerCursor):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    return statements


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_findings_stream_from_a_server_side_cursor(db):
    db.store(extraction("a", (unit_row(*SIN_THAU),), findings=(Finding("SUM_MISMATCH", "error"),)),
             file_name="a.pdf", messages=message)
    streamed = server_side_statements(db)
    assert [f.rule for f in db.findings()] == ["SUM_MISMATCH"]
    assert len(streamed) == 1 and "FROM findings" in streamed[0]


def refused(url: str) -> str:
    """The one sentence `phuluc audit` prints for a database it cannot use (exit status 2)."""
    result = CliRunner().invoke(app, ["audit", "--db", url, "--lang", "en"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    return line


def test_a_refused_password_is_one_sentence(postgres):
    url = postgres.url("postgres", pg.PASSWORD_ROLE, "wrong-password")
    with pytest.raises(OperationalError, match="password authentication failed"):
        Database(url)
    line = refused(url)
    assert line.startswith("Could not use the database") and "password authentication" in line
    assert "wrong-password" not in line
    create_engine(postgres.url("postgres", pg.PASSWORD_ROLE, pg.PASSWORD)).connect().close()


def test_a_server_that_is_down_fails_at_once():
    url = f"postgresql+psycopg://postgres@127.0.0.1:{pg.free_port()}/phuluc"
    with pytest.raises(OperationalError, match="refused"):
        Database(url)
    assert "refused" in refused(url)


def test_a_server_that_never_answers_times_out():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, says nothing
        url = f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/phuluc"
        with pytest.raises(OperationalError, match="timeout"):  # psycopg alone would wait for ever
            Database(url)


# ---------------------------------------------------------------- the command line


def walk_through(url: str, out: Path) -> list[str]:
    """README's walk-through on one database: ingest the samples twice (the second time skips
    every file), audit and export both layouts to CSV; the files' contents."""
    samples = Path(__file__).resolve().parents[1] / "data" / "samples"
    out.mkdir()
    commands = (["ingest", str(samples)], ["ingest", str(samples)],
                ["audit", "-o", str(out / "audit.csv"), "--fail-on", "never"], ["export", "-o", str(out / "wide.csv")],
                ["export", "--layout", "long", "-o", str(out / "long.csv")])
    for args in commands:
        result = CliRunner().invoke(app, [*args, "--db", url])
        assert result.exit_code == 0, result.output
    database = Database(url)
    assert database.counts() == {"reports": 5, "rows": 70, "values": 711, "findings": 2}
    database.close()
    return [(out / f"{name}.csv").read_text(encoding="utf-8-sig")
            for name in ("audit", "wide", "long")]


def test_every_command_gives_the_same_on_both_databases(postgres, tmp_path):
    name = postgres.create_database()
    on_sqlite = walk_through(f"sqlite:///{tmp_path / 'p.db'}", tmp_path / "sqlite")
    on_postgres = walk_through(postgres.url(name), tmp_path / "postgresql")
    postgres.drop_database(name)
    audit, wide, long = (text.splitlines() for text in on_sqlite)
    assert [line.split(",")[3] for line in audit[1:]] == [
        "SUM_MISMATCH", "RATING_MISMATCH", CONFLICTING_SUBMISSION]
    # of the 70 rows loaded, the 14 of the report its resubmission supersedes are not exported
    assert (len(wide), len(long)) == (1 + 56, 1 + 557)
    assert on_postgres == on_sqlite
