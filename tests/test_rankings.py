"""Weekly reports and the columns of published rankings, on reports generated in code
(scripts/make_corpus.py): a "tuần 03/2024" period, ranks printed "k/N" and the change against the
previous period in points and in places, read outside `values`, never summed and never a finding;
stored and exported on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from generator import corpus, same
from test_db import message

from phuluc.contract import to_json
from phuluc.load.db import Database
from phuluc.load.export import export_scores
from phuluc.periods import Period
from phuluc.pipeline import extract_file

RANKING = ("rank", "rank_of", "change", "rank_change")
COLUMNS = ("rank", "rank_of", "change", "rank_change")
CASES = [(7, "459"), (8, "766"), (11, "1187")]  # (seed, framework) of district reports


def ranked(seed: int, framework: str, **options):
    return corpus.draw_spec(seed, corpus.Options(issuer="district", framework=framework, extras=RANKING, weekly=True,
                                                 other_tables=False if framework == "459" else None,
                                                 **({"plant": (), "appendix": True, "sorted": True} | options)))


@pytest.fixture(scope="module", params=CASES, ids=[f"{fw}-{seed}" for seed, fw in CASES])
def spec(request):
    return ranked(*request.param)


@pytest.mark.parametrize("fmt", ["md", "text", "stream", "pdf", "docx", "xlsx", "html"])
def test_a_weekly_ranking_is_read_with_its_columns_outside_the_values(spec, fmt: str, tmp_path: Path) -> None:
    path = corpus.render(spec, fmt, tmp_path)
    got, truth = to_json(extract_file(path)), corpus.truth(spec, fmt, path)
    assert re.fullmatch(r"\d{4}-W\d{2}", truth["report"]["period"]) and "tuần" in spec.period_words.casefold()
    assert got["report"]["period"] == truth["report"]["period"]
    (table,), (expected,) = got["tables"], truth["tables"]
    assert len(table["criteria"]) == len(expected["criteria"])
    assert [r["unit_raw"] for r in table["rows"]] == [r["unit_raw"] for r in expected["rows"]]
    for row, want in zip(table["rows"], expected["rows"]):
        assert same(row["values"], want["values"]), row["unit_raw"]  # exactly the criteria
        assert same(row["total"], want["total"]), row["unit_raw"]
        assert same([row.get(k) for k in COLUMNS], [want[k] for k in COLUMNS]), row["unit_raw"]
        assert "/" in want["rank"] and want["rank_of"] == len(expected["rows"])
    assert got["findings"] == []


def test_the_change_columns_are_signed_and_vary(spec) -> None:
    """The generated ranking prints rises and falls, so that the signs above are put to the test."""
    rows = spec.scores.score_rows
    assert {r.change.value > 0 for r in rows if r.change.value} == {True, False}
    assert {r.rank_change > 0 for r in rows if r.rank_change} == {True, False}


@pytest.mark.parametrize("fmt", ["md", "xlsx"])
def test_a_ranked_table_out_of_order_is_one_order_mismatch(fmt: str, tmp_path: Path) -> None:
    """The rank and change columns raise nothing of their own; ORDER_MISMATCH still reads the scores."""
    spec = ranked(7, "459", plant=("ORDER_MISMATCH",))
    path = corpus.render(spec, fmt, tmp_path)
    got, truth = to_json(extract_file(path)), corpus.truth(spec, fmt, path)
    assert sorted((f["rule"], f["unit"]) for f in got["findings"]) == sorted(
        (f["rule"], f["unit"]) for f in truth["findings"]) == [("ORDER_MISMATCH", truth["findings"][0]["unit"])]


def test_the_ranking_columns_are_stored_and_exported(db_url: str, tmp_path: Path) -> None:
    spec = ranked(*CASES[0])
    path = corpus.render(spec, "docx", tmp_path)
    extraction = extract_file(path)
    db = Database.open(db_url)
    try:
        db.store(extraction, file_name=path.name, messages=message)
        out = tmp_path / "wide.csv"
        assert export_scores(db, out) == len(spec.scores.score_rows)
        assert export_scores(db, tmp_path / "week.csv", period=spec.period.code) == len(spec.scores.score_rows)
        assert export_scores(db, tmp_path / "other.csv", period=str(Period.parse(spec.period.code).previous())) == 0
        assert export_scores(db, tmp_path / "wide.xlsx") == len(spec.scores.score_rows)
    finally:
        db.close()
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype={"rank": str})
    assert list(frame.columns[-len(COLUMNS):]) == list(COLUMNS)
    assert set(frame["period"]) == {spec.period.code}
    (table,) = extraction.report.tables
    assert list(frame["rank"]) == [r.rank for r in table.rows]
    assert list(frame["rank_of"]) == [r.rank_of for r in table.rows] == [len(table.rows)] * len(table.rows)
    assert list(frame["change"]) == [r.change.value for r in table.rows]
    assert list(frame["rank_change"]) == [r.rank_change for r in table.rows]
    assert [r.rank_change for r in table.rows] == [r.rank_change for r in spec.scores.score_rows]
    book = pd.read_excel(tmp_path / "wide.xlsx", dtype={"rank": str})
    assert book[list(COLUMNS)].equals(frame[list(COLUMNS)])
