"""`phuluc export --layout series` (issue 14) on SQLite and PostgreSQL: a row per unit, a column per period
in time order (weeks, months, quarters mixed), one figure per unit and period from the submission that
counts; with `--merge-2025` a pre-merger commune's row names its successor from the register's merger
table and sits beside it, or continues on it. The reports are generated: Huyện Mường Nhé on its
communes in 2025-05 and 2025-06 (legacy register), Tỉnh Điện Biên on the communes they became in
2025-07 … 2025-10 (Sín Thầu, Sen Thượng and Leng Su Sìn merged into a new Xã Sín Thầu, which took Leng
Su Sìn's code 03158; Pá Mỳ and Nậm Kè into Xã Nậm Kè)."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from generator import corpus
from test_db import extraction, message, unit_row
from typer.testing import CliRunner

import phuluc
from phuluc.choices import Series, SeriesValue
from phuluc.load.db import Database
from phuluc.load.export import export_scores
from phuluc.normalize.units import Register
from phuluc.pipeline import app

runner = CliRunner()
OPTIONS = dict(framework="459", appendix=True, noise=False, plant=(), summary="none", other_tables=False,
               sections="none", extras=(), long=False, unlabeled=False)
BEFORE, AFTER = ("2025-05", "2025-06"), ("2025-07", "2025-08", "2025-09", "2025-10")
MUONG_NHE, DIEN_BIEN = "096", "11"  # the legacy district and the province, as the register codes them
SIN_THAU, SEN_THUONG, LENG_SU_SIN, PA_MY, NAM_KE = "03154", "03155", "03158", "03159", "03162"
SIN_THAU_NOW = "03158"  # the new Xã Sín Thầu, on Leng Su Sìn's code
HEAD = ["unit_code", "era", "unit", "province", "level", "framework"]
FRAMEWORK = "459/QĐ-UBND"


@pytest.fixture
def figures(db_url: str, tmp_path: Path) -> dict[tuple[str, str], dict[str, tuple[str, float, str]]]:
    """The six reports generated and ingested; what each prints for a unit: (era, code) → period →
    (name, converted score, rating)."""
    folder = tmp_path / "in"
    folder.mkdir()
    printed: dict[tuple[str, str], dict[str, tuple[str, float, str]]] = {}
    for k, (kind, unit, period) in enumerate([("district", MUONG_NHE, p) for p in BEFORE]
                                             + [("province-2025", DIEN_BIEN, p) for p in AFTER]):
        spec = corpus.draw_spec(700 + k, corpus.Options(issuer=kind, unit=unit, period=period, **OPTIONS))
        corpus.render(spec, "md", folder, name=f"{unit}-{period}")
        for row in spec.scores.score_rows:
            printed.setdefault((row.unit.era, row.unit.code), {})[period] = (
                row.unit.name, row.converted.value, row.rating)
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.output
    return printed


def series(db_url: str, tmp_path: Path, *options: str) -> list[dict[str, str]]:
    out = tmp_path / "series.csv"
    result = runner.invoke(app, ["export", "--db", db_url, "-o", str(out), "--layout", "series", *options])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def cells(row: dict[str, str], periods: tuple[str, ...] = (*BEFORE, *AFTER)) -> list[float | None]:
    return [float(row[p]) if row[p] else None for p in periods]


def expected(printed: dict[str, tuple[str, float, str]], periods: tuple[str, ...] = (*BEFORE, *AFTER)
             ) -> list[float | None]:
    return [printed[p][1] if p in printed else None for p in periods]


def test_the_merger_table_holds_the_communes_the_reports_are_about() -> None:
    register = Register.load()
    became = {code: [u.code for u in register.successors(register.get(code, "legacy"))]
              for code in (SIN_THAU, SEN_THUONG, LENG_SU_SIN, PA_MY, NAM_KE)}
    assert became == {SIN_THAU: [SIN_THAU_NOW], SEN_THUONG: [SIN_THAU_NOW], LENG_SU_SIN: [SIN_THAU_NOW], PA_MY: ["03162"],
                      NAM_KE: ["03162"]}
    assert register.get(SIN_THAU_NOW, "current").name == "Xã Sín Thầu"
    assert register.get(LENG_SU_SIN, "legacy").name == "Xã Leng Su Sìn"


def test_without_merging_old_and_new_units_stay_apart(figures, db_url: str, tmp_path: Path) -> None:
    rows = series(db_url, tmp_path)
    assert list(rows[0]) == [*HEAD, *BEFORE, *AFTER]
    by_unit = {(r["era"], r["unit_code"]): r for r in rows}
    assert len(by_unit) == len(rows) == len(figures)
    for key, printed in figures.items():
        row = by_unit[key]
        assert cells(row) == expected(printed), key
        assert (row["unit"], row["province"], row["level"], row["framework"]) == (
            printed[min(printed)][0], "Điện Biên", "ward", FRAMEWORK)
    # Leng Su Sìn's code is the new Sín Thầu's: two units, two rows, the figures of neither on the other's
    assert cells(by_unit["legacy", LENG_SU_SIN])[2:] == [None] * 4
    assert cells(by_unit["current", SIN_THAU_NOW])[:2] == [None] * 2
    assert by_unit["current", SIN_THAU_NOW]["unit"] == "Xã Sín Thầu"
    eras = [r["era"] for r in rows]
    assert eras == sorted(eras, key=("legacy", "current").index)  # every former unit before the new ones
    codes = [r["unit_code"] for r in rows if r["era"] == "legacy"]
    assert codes == sorted(codes)


def test_merging_puts_each_former_commune_beside_its_successor(figures, db_url: str, tmp_path: Path) -> None:
    rows = series(db_url, tmp_path, "--merge-2025")
    assert list(rows[0]) == [*HEAD, "successor_code", "successor", *BEFORE, *AFTER]
    order = [(r["era"], r["unit_code"]) for r in rows]
    for olds, new in (((SIN_THAU, SEN_THUONG, LENG_SU_SIN), SIN_THAU_NOW), ((PA_MY, NAM_KE), NAM_KE)):
        at = order.index(("legacy", olds[0]))
        assert order[at:at + len(olds) + 1] == [*(("legacy", old) for old in olds), ("current", new)]
        successor = figures["current", new]
        for row in rows[at:at + len(olds)]:
            assert (row["successor_code"], row["successor"]) == (new, successor[AFTER[0]][0])
            assert cells(row) == expected(figures["legacy", row["unit_code"]])
        own = rows[at + len(olds)]
        assert (own["successor_code"], own["successor"]) == ("", "")
        assert cells(own) == expected(successor) and cells(own)[:2] == [None, None]
    # every unit of the reports is there once, each with the figures it printed
    assert sorted(order) == sorted(figures)
    assert all(cells(r) == expected(figures[r["era"], r["unit_code"]]) for r in rows)
    assert all(r["successor_code"] for r in rows if r["era"] == "legacy")


def test_a_series_of_ratings(figures, db_url: str, tmp_path: Path) -> None:
    rows = series(db_url, tmp_path, "--value", "rating", "--merge-2025")
    row = next(r for r in rows if (r["era"], r["unit_code"]) == ("current", SIN_THAU_NOW))
    assert [row[p] or None for p in (*BEFORE, *AFTER)] == [
        figures["current", SIN_THAU_NOW][p][2] if p in AFTER else None for p in (*BEFORE, *AFTER)]


def test_a_period_filter_keeps_one_column(figures, db_url: str, tmp_path: Path) -> None:
    rows = series(db_url, tmp_path, "--period", "2025-06")
    assert list(rows[0]) == [*HEAD, "2025-06"]
    assert sorted((r["era"], r["unit_code"]) for r in rows) == sorted(k for k, v in figures.items() if "2025-06" in v)


@pytest.mark.parametrize(("options", "named"), [(["--merge-2025"], "--merge-2025"), (["--value", "total"], "--value"),
                                                (["--layout", "long", "--value", "rank"], "--value")])
def test_series_options_need_the_series_layout(options: list[str], named: str, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "p.db"), "-o", str(out), *options, "--lang", "en"])
    assert result.exit_code == 2
    assert f"{named} only goes with --layout series" in result.output
    assert not out.exists()


# ---------------------------------------------------------------- reports stored in code

NGOC_LONG, XUAN_TAO, THUAN_HOA = "00859", "00611", "00922"  # Hà Giang's communes, Tuyên Quang's since 2025-07


def store(db: Database, sha: str, period: str, rows, *, era: str = "legacy", issuer: tuple[str, str] =
          ("UBND huyện Vị Xuyên", "026"), date: str = "2025-08-05", corrects: bool = False) -> None:
    """A report of `issuer` (name, code) in Tuyên Quang on `rows`, read against `era`'s register."""
    made = extraction(sha, rows, period=period, era=era)
    meta = dataclasses.replace(made.report.meta, issuer=issuer[0], issuer_code=issuer[1], province="Tuyên Quang",
                               date=date, corrects=corrects)
    db.store(dataclasses.replace(made, report=dataclasses.replace(made.report, meta=meta)), file_name=f"{sha}.pdf",
             messages=message)


@pytest.fixture
def merger(db_url: str):
    """A commune that became one commune formed of it alone (Ngọc Long), a ward split in three (Xuân Tảo),
    a commune also in a late report of the former district in a month after the reform (Thuận Hoà), a
    district, and a row matched to no unit."""
    db = Database.open(db_url)
    store(db, "a", "2025-06", (unit_row("Xã Ngọc Long", NGOC_LONG, total="20"),
                               unit_row("Phường Xuân Tảo", XUAN_TAO, total="21"),
                               unit_row("Xã Thuận Hoà", THUAN_HOA, total="19"),
                               unit_row("Huyện Vị Xuyên", "026", total="15"),
                               unit_row(None, None, total="18")))
    store(db, "b", "2025-08", (unit_row("Xã Thuận Hoà", THUAN_HOA, total="17"),), issuer=("UBND huyện Vị Xuyên", "026"))
    store(db, "c", "2025-08", (unit_row("Xã Ngọc Long", NGOC_LONG, total="23"),
                               unit_row("Xã Thuận Hoà", THUAN_HOA, total="24")),
          era="current", issuer=("UBND tỉnh Tuyên Quang", "08"))
    yield db
    db.close()


def exported(db: Database, tmp_path: Path, suffix: str = ".csv", **options) -> list[dict[str, str]]:
    path = tmp_path / f"series{suffix}"
    count = export_scores(db, path, layout="series", **options)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert count == len(rows)
    return rows


def line(row: dict[str, str]) -> tuple[str | None, ...]:
    return tuple(v or None for k, v in row.items() if k not in ("province", "framework"))


def test_merging_continues_a_row_where_the_register_says_one_unit_became_one(merger, tmp_path: Path) -> None:
    rows = exported(merger, tmp_path, series=Series(SeriesValue.TOTAL, merge_2025=True))
    assert list(rows[0]) == [*HEAD, "successor_code", "successor", "2025-06", "2025-08"]
    assert [line(r) for r in rows] == [
        ("026", "legacy", "Huyện Vị Xuyên", "district", None, None, "15.0", None),  # districts became no commune
        (None, "legacy", "Tổ công tác", None, None, None, "18.0", None),  # no code: kept by name
        (XUAN_TAO, "legacy", "Phường Xuân Tảo", "ward", "00091 | 00160 | 00611",
         "Phường Phú Thượng | Phường Nghĩa Đô | Phường Xuân Đỉnh", "21.0", None),
        (NGOC_LONG, "legacy", "Xã Ngọc Long", "ward", NGOC_LONG, "Xã Ngọc Long", "20.0", "23.0"),
        # the late report's 2025-08 and the new commune's: two figures for one month, so two rows
        (THUAN_HOA, "legacy", "Xã Thuận Hoà", "ward", THUAN_HOA, "Xã Thuận Hoà", "19.0", "17.0"),
        (THUAN_HOA, "current", "Xã Thuận Hoà", "ward", None, None, None, "24.0"),
    ]


def test_without_merging_the_same_commune_is_two_units(merger, tmp_path: Path) -> None:
    rows = exported(merger, tmp_path, series=Series(SeriesValue.TOTAL))
    assert [(r["unit_code"], r["era"], r["2025-06"], r["2025-08"]) for r in rows] == [
        ("026", "legacy", "15.0", ""), (XUAN_TAO, "legacy", "21.0", ""), (NGOC_LONG, "legacy", "20.0", ""),
        (THUAN_HOA, "legacy", "19.0", "17.0"), ("", "legacy", "18.0", ""),
        (NGOC_LONG, "current", "", "23.0"), (THUAN_HOA, "current", "", "24.0")]


def test_a_workbook_and_parquet_hold_the_series(merger, tmp_path: Path) -> None:
    import openpyxl
    import pandas as pd

    options = {"series": Series(SeriesValue.RATING, merge_2025=True)}
    rows = exported(merger, tmp_path, **options)
    assert export_scores(merger, tmp_path / "s.xlsx", layout="series", **options) == len(rows)
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["cchc-xa", "findings"]
    sheet = [[c.value for c in r] for r in book["cchc-xa"].iter_rows()]
    assert sheet[0] == list(rows[0]) and [r[:3] for r in sheet[1:]] == [
        [r["unit_code"] or None, r["era"], r["unit"]] for r in rows]
    assert export_scores(merger, tmp_path / "s.parquet", layout="series", **options) == len(rows)
    frame = pd.read_parquet(tmp_path / "s.parquet")
    assert list(frame.columns) == list(rows[0])
    assert list(frame["2025-06"].fillna("")) == [r["2025-06"] for r in rows] and "Tốt" in set(frame["2025-06"])


def test_the_api_gives_a_series_as_a_data_frame(merger, db_url: str, tmp_path: Path) -> None:
    with phuluc.connect(db_url) as store:
        totals = store.scores(layout="series", series=Series(SeriesValue.TOTAL, merge_2025=True))
        ratings = store.scores(layout="series", series=Series(SeriesValue.RATING))
    rows = exported(merger, tmp_path, series=Series(SeriesValue.TOTAL, merge_2025=True))
    assert list(totals.columns) == list(rows[0])
    assert list(totals["2025-08"].astype(object).where(totals["2025-08"].notna(), None)) == [
        float(r["2025-08"]) if r["2025-08"] else None for r in rows]
    assert str(totals["unit_code"].dtype) == "string" and str(totals["2025-06"].dtype) == "Float64"
    assert str(ratings["2025-06"].dtype) == "string" and set(ratings["2025-06"].dropna()) == {"Tốt"}


def test_weeks_months_quarters_and_years_in_time_order_from_the_submission_that_counts(db_url, tmp_path) -> None:
    db = Database.open(db_url)
    sin_thau = ("Xã Sín Thầu", SIN_THAU)
    periods = {"2024-W05": "5", "2024": "9", "2024-Q1": "8", "2024-01": "7", "2024-W01": "1", "2023-W52": "0",
               "2024-W03": "3"}
    for k, (period, total) in enumerate(periods.items()):
        store(db, f"p{k}", period, (unit_row(*sin_thau, total=total),))
    # week 3 sent again: the correction stands, though the copy after it is dated later
    store(db, "w3c", "2024-W03", (unit_row(*sin_thau, total="13"),), date="2025-08-06", corrects=True)
    store(db, "w3d", "2024-W03", (unit_row(*sin_thau, total="23"),), date="2025-08-07")
    order = ["2023-W52", "2024-W01", "2024-01", "2024-Q1", "2024", "2024-W03", "2024-W05"]
    for every in (False, True):
        rows = exported(db, tmp_path, series=Series(SeriesValue.TOTAL), every=every)
        assert list(rows[0]) == [*HEAD, *order]
        assert [[r[p] for p in order] for r in rows] == [["0.0", "1.0", "7.0", "8.0", "9.0", "13.0", "5.0"]]
    db.close()
