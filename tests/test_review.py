"""The review queue for unit names (issue 12): reports generated with a misspelt commune the fuzzy step
matches and a name nothing matches, listed by `phuluc units review`, then accepted or rejected by hand on
SQLite and PostgreSQL: the stored rows follow, their UNKNOWN_UNIT findings too, later ingests use the
ruling, and the log says who decided what and when."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from generator import corpus
from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, create_engine, insert, select
from typer.testing import CliRunner

from phuluc.load.db import Database, DbFinding, DbReport, DbRow, DbTable, upgrade
from phuluc.normalize.decisions import Decision, Decisions
from phuluc.normalize.units import Matcher, Register
from phuluc.pipeline import app

runner = CliRunner()
UNKNOWN = "UBND xã Khuổi Vài"  # no commune of the district, nor of any other, is called so
OPTIONS = corpus.Options(issuer="district", framework="459", appendix=True, noise=False, plant=(), summary="none",
                         other_tables=False, sections="none", extras=(), long=False, unlabeled=False)
SPEC = corpus.draw_spec(3, OPTIONS)
ROWS = SPEC.scores.rows
TRUE, LOST = ROWS[8], ROWS[7]  # the commune printed misspelt, and the one printed as UNKNOWN
MISSPELT = TRUE.printed[:-1] + "q"  # "UBND xã Bằng Lanq"
REPORTS_0005 = Table(  # the reports table as revision 0005 has it, without province_code
    "reports", MetaData(), Column("id", Integer, primary_key=True), Column("file_name", String),
    Column("sha256", String), Column("format", String), Column("issuer", String), Column("issuer_code", String),
    Column("province", String), Column("era", String), Column("corrects", Boolean),
    Column("ingested_at", DateTime(timezone=True)))


def report(folder: Path, number: int, names: dict[str, str]) -> Path:
    """The district's report numbered `number` (so that each is another file), its rows printed as
    `names` says (printed → printed instead)."""
    table = SPEC.scores
    rows = tuple(dataclasses.replace(r, printed=names.get(r.printed, r.printed)) for r in table.rows)
    spec = dataclasses.replace(SPEC, number=number,
                               tables=tuple(dataclasses.replace(t, rows=rows) if t is table else t
                                            for t in SPEC.tables))
    return corpus.render(spec, "md", folder, name=f"r{number}")


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def listed(db: str, tmp_path: Path, command: str) -> list[dict[str, str]]:
    out = tmp_path / f"{command}.csv"
    run("units", command, "--db", db, "-o", str(out))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def stored(db: str, printed: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(file, unit code, how matched, UNKNOWN_UNIT's STT) of each stored row that prints `printed`."""
    database = Database(db)
    with database.session() as session:
        rows = session.execute(select(DbReport.file_name, DbRow.unit_code, DbRow.match_via, DbRow.stt)
                               .join_from(DbRow, DbTable).join(DbReport)
                               .where(DbRow.unit_raw == printed).order_by(DbReport.id)).all()
        unknown = {(f, stt) for f, stt in session.execute(
            select(DbReport.file_name, DbFinding.stt).join_from(DbFinding, DbReport)
            .where(DbFinding.rule == "UNKNOWN_UNIT", DbFinding.unit_raw == printed))}
    database.close()
    return [(Path(f).name, code, via, stt if (f, stt) in unknown else None) for f, code, via, stt in rows]


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    """Two reports ingested: the first prints both names, the second only the unknown one."""
    run("ingest", str(report(tmp_path, 501, {TRUE.printed: MISSPELT, LOST.printed: UNKNOWN})), "--db", db_url)
    run("ingest", str(report(tmp_path, 502, {LOST.printed: UNKNOWN})), "--db", db_url)
    return db_url


def test_review_lists_the_unmatched_and_the_fuzzy_names_most_frequent_first(loaded: str, tmp_path: Path) -> None:
    lines = listed(loaded, tmp_path, "review")
    assert [(ln["printed"], ln["rows"], ln["reports"], ln["unit_code"], ln["via"]) for ln in lines] == [
        (UNKNOWN, "2", "2", "", ""), (MISSPELT, "1", "1", TRUE.unit.code, "fuzzy")]
    assert {ln["province"] for ln in lines} == {"Hà Giang"} and 0 < float(lines[1]["margin"]) <= 100
    shown = run("units", "review", "--db", loaded, "--lang", "en")
    assert shown.index(UNKNOWN) < shown.index(MISSPELT) and "matched no unit" in shown
    assert "2 unit names to review." in shown


def test_accept_matches_the_stored_rows_and_later_ingests(loaded: str, tmp_path: Path) -> None:
    assert [stt for *_, stt in stored(loaded, UNKNOWN)] == [LOST.stt, LOST.stt]  # UNKNOWN_UNIT in both
    said = run("units", "accept", UNKNOWN, bare(LOST), "--db", loaded, "--by", "kiem-tra", "--lang", "en")
    assert f"is now {LOST.unit.name} ({LOST.unit.code}): 2 rows of 2 reports matched again" in " ".join(said.split())
    assert stored(loaded, UNKNOWN) == [("r501.md", LOST.unit.code, "alias", None),
                                       ("r502.md", LOST.unit.code, "alias", None)]
    assert not missing(loaded, LOST.unit.name)  # the unit has its row now
    run("ingest", str(report(tmp_path, 503, {LOST.printed: UNKNOWN})), "--db", loaded)
    assert stored(loaded, UNKNOWN)[-1] == ("r503.md", LOST.unit.code, "alias", None)
    assert UNKNOWN not in {ln["printed"] for ln in listed(loaded, tmp_path, "review")}


def test_reject_leaves_the_name_unmatched_with_unknown_unit(loaded: str, tmp_path: Path) -> None:
    assert stored(loaded, MISSPELT) == [("r501.md", TRUE.unit.code, "fuzzy", None)]
    run("units", "reject", MISSPELT, "--db", loaded, "--by", "kiem-tra")
    assert stored(loaded, MISSPELT) == [("r501.md", None, "rejected", TRUE.stt)]
    run("ingest", str(report(tmp_path, 503, {TRUE.printed: MISSPELT})), "--db", loaded)
    assert stored(loaded, MISSPELT)[-1] == ("r503.md", None, "rejected", TRUE.stt)
    line = next(ln for ln in listed(loaded, tmp_path, "review") if ln["printed"] == MISSPELT)
    assert (line["rows"], line["unit"], line["decision"], line["decided_by"]) == ("2", "", "reject", "kiem-tra")


def test_a_rejected_bare_name_is_unknown_unit_too(loaded: str, tmp_path: Path) -> None:
    """A name printed without its kind claims no unit, so matching nothing it raises nothing; rejected, it
    is a name a person says is no unit of the register: UNKNOWN_UNIT, now and at later ingests."""
    bare_unknown = UNKNOWN.removeprefix("UBND xã ")
    run("ingest", str(report(tmp_path, 504, {LOST.printed: bare_unknown})), "--db", loaded)
    assert stored(loaded, bare_unknown) == [("r504.md", None, None, None)]
    run("units", "reject", bare_unknown, "--db", loaded)
    assert stored(loaded, bare_unknown) == [("r504.md", None, "rejected", LOST.stt)]
    run("ingest", str(report(tmp_path, 505, {LOST.printed: bare_unknown})), "--db", loaded)
    assert stored(loaded, bare_unknown)[-1] == ("r505.md", None, "rejected", LOST.stt)


def test_every_ruling_is_kept_with_who_and_when(loaded: str, tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    run("units", "accept", UNKNOWN, LOST.unit.code, "--db", loaded, "--by", "an")
    run("units", "reject", UNKNOWN, "--db", loaded, "--by", "binh")  # overruled: both are kept
    log = listed(loaded, tmp_path, "decisions")
    assert [(ln["action"], ln["decided_by"], ln["printed"], ln["unit_code"], ln["rows"], ln["era"]) for ln in log] == [
        ("accept", "an", UNKNOWN, LOST.unit.code, "2", "legacy"), ("reject", "binh", UNKNOWN, "", "2", "legacy")]
    assert all(before <= dt.datetime.fromisoformat(ln["decided_at"]) <= dt.datetime.now(dt.UTC) for ln in log)
    assert stored(loaded, UNKNOWN)[0][1:] == (None, "rejected", LOST.stt)
    shown = run("units", "decisions", "--db", loaded)
    assert "an: chấp nhận" in shown and "binh: bác bỏ" in shown


@pytest.mark.parametrize(("args", "says"), [
    ((UNKNOWN, "Xã Không Có"), 'There is no unit "Xã Không Có" of Hà Giang'),
    ((UNKNOWN, "99999"), 'There is no unit "99999" of Hà Giang'),
    (("UBND xã Chưa Nạp", "01243"), 'No stored row of a report whose province is known prints "UBND xã Chưa Nạp"'),
])
def test_a_ruling_that_cannot_be_made_says_why(loaded: str, args: tuple[str, str], says: str) -> None:
    result = runner.invoke(app, ["units", "accept", *args, "--db", loaded, "--lang", "en"])
    assert result.exit_code == 2 and says in " ".join(result.output.split())
    assert listed_nothing(loaded)


def test_a_name_several_units_bear_asks_for_the_code(loaded: str) -> None:
    name = namesake(Register.load(), SPEC.province.code)
    result = runner.invoke(app, ["units", "accept", UNKNOWN, name, "--db", loaded, "--lang", "en"])
    assert result.exit_code == 2 and f'"{name}" names several units of Hà Giang' in " ".join(result.output.split())
    assert stored(loaded, UNKNOWN)[0][1] is None


def test_the_matcher_follows_the_rulings_of_its_province_and_register() -> None:
    register = Register.load()
    issuer = register.get(SPEC.issuer.code, "legacy")
    rulings = Decisions((Decision("ubnd xã khuổi vài", SPEC.province.code, "legacy", LOST.unit.code),
                         Decision(MISSPELT.casefold(), SPEC.province.code, "legacy", None),
                         Decision("ubnd xã khuổi vài", SPEC.province.code, "current", None),
                         Decision("xã khuổi vài", "01", "legacy", LOST.unit.code)))
    m = Matcher(register, issuer=issuer, era="legacy", decisions=rulings)
    alias, rejected = m.match(UNKNOWN), m.match(MISSPELT)
    assert (alias.unit.code, alias.via, alias.score, alias.claims) == (LOST.unit.code, "alias", 100.0, True)
    assert (rejected.unit, rejected.via, rejected.claims) == (None, "rejected", True)
    assert m.match("Xã Khuổi Vài").unit is None  # another province's ruling
    assert Matcher(register, issuer=issuer, era="legacy").match(MISSPELT).via == "fuzzy"


def test_upgrading_finds_each_stored_report_s_province_code(db_url: str) -> None:
    upgrade(db_url, "0005")
    engine = create_engine(db_url)
    # the code 00691 is Phường Trần Phú of Hà Giang (02) before the reform, Phường Hà Giang 2 of Tuyên Quang after
    reports = [("Huyện Mường Nhé", "096", "Điện Biên", "legacy"), ("Phường Hà Giang 2", "00691", "Tuyên Quang", "current"),
               ("Phường Trần Phú", "00691", "Hà Giang", "legacy"), (None, None, None, "legacy")]
    with engine.begin() as connection:
        connection.execute(insert(REPORTS_0005), [
            {"file_name": f"{k}.pdf", "sha256": str(k) * 64, "format": "pdf", "issuer": issuer, "issuer_code": code,
             "province": province, "era": era, "corrects": False, "ingested_at": dt.datetime.now(dt.UTC)}
            for k, (issuer, code, province, era) in enumerate(reports)])
    engine.dispose()
    upgrade(db_url)
    database = Database(db_url)
    with database.session() as session:
        assert session.scalars(select(DbReport.province_code).order_by(DbReport.id)).all() == ["11", "08", "02", None]
    database.close()


# ---------------------------------------------------------------- helpers


def bare(row: corpus.Row) -> str:
    """A commune's register name without its kind ("Tân Bắc"), as a person may type it."""
    return row.unit.name.split(" ", 1)[1]


def missing(db: str, unit: str) -> int:
    database = Database(db)
    with database.session() as session:
        count = len(session.scalars(select(DbFinding.id).where(DbFinding.rule == "MISSING_UNIT",
                                                               DbFinding.unit == unit)).all())
    database.close()
    return count


def listed_nothing(db: str) -> bool:
    """Whether no ruling was recorded."""
    return "Chưa có quyết định nào" in run("units", "decisions", "--db", db)


def namesake(register: Register, province: str) -> str:
    """A name two units of the province bear (a district and a commune of it, say)."""
    names = Counter(u.name.split(" ", len(u.kind.split()))[-1] for u in _descendants(register, province))
    return next(name for name, count in names.most_common() if count > 1)


def _descendants(register: Register, code: str):
    for child in register.children(code, "legacy"):
        yield child
        yield from _descendants(register, child.code)

