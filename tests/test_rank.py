"""`phuluc rank` (issue 14): a province's consolidated table of a period — a month of Điện Biên's district
reports generated in code (tests/month.py), one district missing and one corrected — must be the table the
generated figures make, cell for cell: every commune of the reports that count, best first, ranks shared
by equal scores, then the count per rating."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from generator import corpus
from month import PERIOD, month, samples
from typer.testing import CliRunner

from phuluc.choices import Level
from phuluc.load.rank import _ranked, _Row
from phuluc.normalize.frameworks import by_code
from phuluc.pipeline import app
from phuluc.vi.text import fold

runner = CliRunner()
SECTION = "UBND cấp xã"
RATINGS = ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")


def _expected(m) -> list[list[object]]:
    """The consolidated table from the generated rows: communes by converted score (equal ones by name),
    each ranked with the first of its score, then the count of each rating."""
    rows = sorted((r for rows in m.rows.values() for r in rows), key=lambda r: (-r.converted, fold(r.unit)))
    table, rank = [], 0
    for stt, r in enumerate(rows, 1):
        rank = stt if stt == 1 or r.converted != rows[stt - 2].converted else rank
        table.append([SECTION, stt, r.unit, m.codes[r.unit], *r.values, r.total, r.maximum, r.converted, r.rating,
                      rank, None])
    blank = [None] * (len(samples.MAX_459) + 6)
    return table + [[SECTION, *blank, rating, None, sum(r.rating == rating for r in rows)] for rating in RATINGS]


def _cell(text: str) -> object:
    """A CSV cell as the value it writes: a number, text, or None for an empty cell."""
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _same(got: list[object], want: list[object]) -> bool:
    return len(got) == len(want) and all(
        abs(g - w) < 1e-9 if isinstance(w, (int, float)) and isinstance(g, (int, float)) else g == w
        for g, w in zip(got, want))


def test_rank_reproduces_the_consolidated_table(db_url: str, tmp_path: Path) -> None:
    m = month(tmp_path / "in")
    assert runner.invoke(app, ["ingest", str(m.folder), "--db", db_url]).exit_code == 0
    want = _expected(m)
    out = tmp_path / "rank.csv"
    result = runner.invoke(app, ["rank", "--period", PERIOD, "--db", db_url, "--province", "Điện Biên",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        header, *lines = list(csv.reader(fh))
    assert header[:4] == ["section", "stt", "unit", "unit_code"] and header[-6:] == [
        "total", "total_max", "converted", "rating", "rank", "count"]
    assert header[4] == "Nhóm công khai, minh bạch / Chỉ số 1 (5đ)" and len(header) == 4 + 11 + 6
    assert len(lines) == len(want)
    for got, expected in zip(lines, want):
        # codes stay text ("03241"); every other cell is the generated figure
        assert _same([got[3] or None, *map(_cell, got[:3]), *map(_cell, got[4:])],
                     [expected[3], *expected[:3], *expected[4:]]), (got, expected)

    book = tmp_path / "rank.xlsx"
    assert runner.invoke(app, ["rank", "--period", PERIOD, "--db", db_url, "-o", str(book)]).exit_code == 0
    from openpyxl import load_workbook

    (sheet,) = load_workbook(book, read_only=True).worksheets
    width = len(header)  # a read-only sheet leaves a row's empty cells at its end out
    cells = [[*row, *[None] * (width - len(row))] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(_same(got, expected) for got, expected in zip(cells, want)) and len(cells) == len(want)


def test_rank_prints_the_table_and_its_counts(tmp_path: Path) -> None:
    m = month(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert runner.invoke(app, ["ingest", str(m.folder), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["rank", "--period", PERIOD, "--db", db, "--lang", "en"])
    assert result.exit_code == 0, result.output
    want = _expected(m)
    counts = " · ".join(f"{row[-3]} {row[-1]}" for row in want if row[-1] is not None)
    assert f"Units per rating: {counts}" in result.output
    assert want[0][2] in result.output  # the best unit, its name whole
    for options in (["--period", "2024-04"], ["--period", PERIOD, "--framework", "766/QĐ-TTg"]):
        failed = runner.invoke(app, ["rank", "--db", db, "--province", "11", *options])
        assert failed.exit_code == 2 and "Traceback" not in failed.output, failed.output


def _read(path: Path) -> list[list[object]]:
    """The unit lines of `phuluc rank -o` CSV, the code kept as text and the other cells as values."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        _, *lines = list(csv.reader(fh))
    return [[_cell(c) if k != 3 else c or None for k, c in enumerate(line)] for line in lines if line[1]]


def test_rank_after_the_2025_reform(tmp_path: Path) -> None:
    """A province's own table of its current communes and wards (a report of the two-level register)."""
    spec = corpus.draw_spec(5, corpus.Options(issuer="province-2025", framework="459", appendix=True, plant=(),
                                              noise=False, other_tables=False, unlabeled=False, rounded=False))
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.render(spec, "md", folder)
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    out = tmp_path / "rank.csv"
    result = runner.invoke(app, ["rank", "--period", spec.period.code, "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = spec.scores
    rows = sorted((r for r in table.score_rows if r.unit is not None),
                  key=lambda r: (-r.converted.value, fold(r.unit.name)))
    assert {r.unit.era for r in rows} == {"current"}
    ranks = [next(k for k, o in enumerate(rows, 1) if o.converted.value == r.converted.value) for r in rows]
    want = [[SECTION, stt, r.unit.name, r.unit.code, *(None if v is None else corpus.value(v) for v in r.values),
             r.total.value, table.total_max(r), r.converted.value, r.rating, rank, None]
            for stt, (r, rank) in enumerate(zip(rows, ranks), 1)]
    got = _read(out)
    assert len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))


def _row(unit: str, converted: float | None, level: Level = Level.COMMUNE, rating: str | None = None) -> _Row:
    return _Row(level, unit, None, (), converted, 100, converted, rating, "a.md", (dt.date(2024, 4, 5), 1))


@pytest.mark.parametrize(("scores", "ranks"), [
    ((90.0, 80.0, 80.0, 70.0), (1, 2, 2, 4)),
    ((50.0, None, 50.0), (1, 1, None)),  # a unit without a score is listed last, unranked
])
def test_equal_scores_share_a_rank(scores: tuple[float | None, ...], ranks: tuple[int | None, ...]) -> None:
    rows = [_row(f"Xã {chr(ord('A') + k)}", s) for k, s in enumerate(scores)]
    ranked = list(_ranked(rows, by_code("459/QĐ-UBND")))
    assert tuple(r.rank for r in ranked) == ranks
    assert [r.stt for r in ranked] == list(range(1, len(rows) + 1))


def test_sections_follow_the_appendix_and_an_unprinted_rating_is_the_band() -> None:
    rows = [_row("Xã A", 75.0), _row("Huyện B", 95.0, Level.DISTRICT, "Xuất sắc"),
            _row("Sở Y tế", 60, Level.DEPARTMENT)]
    ranked = list(_ranked(rows, by_code("459/QĐ-UBND")))
    assert [(r.level, r.unit, r.rating, r.rank) for r in ranked] == [
        (Level.DEPARTMENT, "Sở Y tế", "Trung bình", 1), (Level.DISTRICT, "Huyện B", "Xuất sắc", 1),
        (Level.COMMUNE, "Xã A", "Khá", 1)]
