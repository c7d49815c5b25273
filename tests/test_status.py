"""`phuluc status` (issue 14): the issuers a province expects for a period against the reports stored — a
month of Điện Biên's district reports generated in code (tests/month.py) with one district missing, one
sent twice (a correction), one late."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from generator import corpus
from month import PERIOD, PROVINCE, garbled, month
from typer.testing import CliRunner

from phuluc.choices import Level
from phuluc.errors import PhulucError
from phuluc.load.status import Copy, Status, Timeliness, _key, _timeliness, expected
from phuluc.normalize.frameworks import by_code
from phuluc.normalize.units import Register, departments
from phuluc.periods import Period
from phuluc.pipeline import app

runner = CliRunner()


def _ingest(folder: Path, db: str) -> None:
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output


def _status(db: str, tmp_path: Path, *options: str) -> tuple[int, list[dict[str, str]]]:
    out = tmp_path / "status.csv"
    result = runner.invoke(app, ["status", "--period", PERIOD, "--db", db, "-o", str(out), *options])
    assert result.exit_code in (0, 1), result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return result.exit_code, list(csv.DictReader(fh))


def test_status_names_the_missing_the_duplicate_and_the_late(db_url: str, tmp_path: Path) -> None:
    m = month(tmp_path / "in")
    unread = garbled(m.folder, m.missing)
    _ingest(m.folder, db_url)
    code, lines = _status(db_url, tmp_path)
    assert code == 1
    *lines, odd = lines
    assert [ln["code"] for ln in lines] == [d.code for d in m.districts]  # every district, in register order
    # the report whose issuer was not read is named, not counted as the district's
    assert (odd["status"], odd["code"], Path(odd["files"]).name) == ("unattributed", "", unread)
    assert {ln["level"] for ln in lines} == {"district"}  # no department sent anything: none is expected
    by_status = {s: {ln["code"] for ln in lines if ln["status"] == s} for s in Status}
    assert by_status[Status.MISSING] == {m.missing.code}
    assert by_status[Status.DUPLICATE] == {m.twice.code}
    assert {ln["code"] for ln in lines if ln["timeliness"] == Timeliness.LATE} == {m.late.code}
    twice = next(ln for ln in lines if ln["code"] == m.twice.code)
    # the correction counts; the original was on time, the correction after the deadline
    assert (twice["copies"], Path(twice["counted"]).name) == ("2", m.files[m.twice.code][-1])
    assert (twice["date"], twice["due"], twice["timeliness"]) == ("2024-04-05", "2024-04-10", "on_time")
    late = next(ln for ln in lines if ln["code"] == m.late.code)
    assert (late["date"], late["status"], late["framework"]) == ("2024-04-17", "received", "459/QĐ-UBND")

    shown = runner.invoke(app, ["status", "--period", PERIOD, "--db", db_url, "--province", "Điện Biên",
                                "--lang", "en"])
    assert shown.exit_code == 1
    assert f"{m.missing.code} {m.missing.name}: missing" in shown.output
    assert f"whose issuer was not read (it may be one of the missing): {m.folder / unread}" in shown.output
    assert "10 units due: 8 received, 1 received more than once, 1 missing; 1 late, 0 undated." in " ".join(
        shown.output.split())


def test_status_exits_0_when_every_district_reported(tmp_path: Path) -> None:
    m = month(tmp_path / "in", missing=None)
    db = f"sqlite:///{tmp_path / 'p.db'}"
    _ingest(m.folder, db)
    code, lines = _status(db, tmp_path, "--province", PROVINCE, "--level", "district")
    assert code == 0 and len(lines) == len(m.districts)
    assert not any(ln["status"] == Status.MISSING for ln in lines)
    # the departments, asked for, have sent nothing
    code, lines = _status(db, tmp_path, "--level", "department")
    assert code == 1 and {ln["status"] for ln in lines} == {"missing"}
    assert [ln["issuer"] for ln in lines] == list(departments(PROVINCE, dt.date(2024, 3, 31)))


def test_after_the_reform_the_communes_and_wards_are_expected(tmp_path: Path) -> None:
    """A period of the two-level register: the province's current communes and wards are due, and the
    province's own consolidated report stands for none of them."""
    spec = corpus.draw_spec(5, corpus.Options(issuer="province-2025", framework="459", appendix=True, plant=()))
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.render(spec, "md", folder)
    db = f"sqlite:///{tmp_path / 'p.db'}"
    _ingest(folder, db)
    out = tmp_path / "status.csv"
    result = runner.invoke(app, ["status", "--period", spec.period.code, "--db", db, "--level", "commune",
                                 "-o", str(out)])
    assert result.exit_code == 1, result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    wards = Register.load().children(spec.province.code, "current")
    assert [(ln["code"], ln["status"]) for ln in lines] == [(w.code, "missing") for w in wards]


def test_usage_errors_exit_2_with_a_sentence(tmp_path: Path) -> None:
    m = month(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    _ingest(m.folder, db)
    cases = [(["--period", "2024-13"], "2024-13"), (["--period", PERIOD, "--province", "Atlantis"], "Atlantis"),
             (["--period", "2025-08"], "2025-08"), (["--period", "2025-08", "--province", "11", "--level", "district"],
                                                    "--level commune"),
             (["--period", PERIOD, "--framework", "999/QĐ"], "999/QĐ")]
    for options, named in cases:
        result = runner.invoke(app, ["status", "--db", db, *options])
        assert result.exit_code == 2, (options, result.output)
        assert named in result.output and "Traceback" not in result.output


def test_the_issuers_expected_follow_the_register_in_force() -> None:
    register = Register.load()
    legacy = register.get(PROVINCE, "legacy")
    districts = expected(register, legacy, Period.parse(PERIOD), Level.DISTRICT)
    assert [i.code for i in districts] == [d.code for d in register.children(PROVINCE, "legacy")]
    communes = expected(register, legacy, Period.parse(PERIOD), Level.COMMUNE)
    assert len(communes) == sum(len(register.children(d.code, "legacy")) for d in districts)
    current = register.get(PROVINCE, "current")
    after = expected(register, current, Period.parse("2025-08"), Level.COMMUNE)
    assert [i.code for i in after] == [w.code for w in register.children(PROVINCE, "current")]
    with pytest.raises(PhulucError):
        expected(register, current, Period.parse("2025-08"), Level.DISTRICT)


def test_the_departments_expected_change_with_the_2025_merger() -> None:
    before, after = departments(PROVINCE, dt.date(2025, 2, 28)), departments(PROVINCE, dt.date(2025, 3, 31))
    assert "Sở Kế hoạch và Đầu tư" in before and "Sở Kế hoạch và Đầu tư" not in after
    assert "Sở Nông nghiệp và Môi trường" in after and "Sở Nông nghiệp và Môi trường" not in before
    assert "Sở Du lịch" not in before  # only some provinces have one
    assert "Sở Quy hoạch - Kiến trúc" in departments("01", dt.date(2024, 1, 1))
    # a report signed by an abolished department after the merger stands for its successor
    old = Copy(1, "a.pdf", "Sở Kế hoạch và Đầu tư", None, "766/QĐ-TTg", None, True)
    assert _key(old, Period.parse("2025-04")) == "Sở Tài chính"
    assert _key(old, Period.parse("2025-01")) == "Sở Kế hoạch và Đầu tư"


def test_deadlines_come_from_the_framework() -> None:
    f459, f1187 = by_code("459/QĐ-UBND"), by_code("1187/QĐ-UBND")
    assert f459.due(Period.parse("2024-03")) == dt.date(2024, 4, 10)
    assert f459.due(Period.parse("2024-Q4")) == dt.date(2025, 1, 10)
    assert f1187.due(Period.parse("2023")) == dt.date(2024, 1, 15)
    assert f1187.due(Period.parse("2023-05")) is None  # scored once a year
    due = dt.date(2024, 4, 10)
    copy = lambda date: Copy(1, "a.md", "x", "094", "459/QĐ-UBND", date, True)  # noqa: E731
    assert _timeliness([copy(dt.date(2024, 4, 10))], due) is Timeliness.ON_TIME
    assert _timeliness([copy(dt.date(2024, 4, 11))], due) is Timeliness.LATE
    assert _timeliness([copy(None)], due) is Timeliness.UNDATED  # not accused of lateness
    assert _timeliness([copy(dt.date(2024, 4, 11))], None) is Timeliness.NO_DEADLINE
