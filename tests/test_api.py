"""phuluc from Python (phuluc/api.py): the records of one file, and a database's tables as DataFrames
with codes as strings and figures as floats, the same rows the command line exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import phuluc
from phuluc.errors import PhulucError
from phuluc.pipeline import app

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("api")
    url = f"sqlite:///{folder / 'p.db'}"
    assert CliRunner().invoke(app, ["ingest", str(SAMPLES), "--db", url]).exit_code == 0
    return url


def test_read_gives_the_records_of_one_file() -> None:
    extraction = phuluc.read(SAMPLES / "01_dien-bien-dong_2024-03.md")
    assert extraction.report.meta.period == "2024-03" and extraction.report.score_tables
    with pytest.raises(PhulucError) as err:
        phuluc.read(SAMPLES / "nope.pdf")
    assert err.value.key == "not_found"


def test_scores_are_the_exported_rows_with_codes_as_text(db: str, tmp_path: Path) -> None:
    out = tmp_path / "wide.csv"
    assert CliRunner().invoke(app, ["export", "--db", db, "-o", str(out)]).exit_code == 0
    exported = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    with phuluc.connect(db) as store:
        wide, long = store.scores(), store.scores(layout="long")
        every = store.scores(every=True)
    assert len(wide) == len(exported) and list(wide.columns) == list(exported.columns)
    assert wide["unit_code"].dtype == "string" and wide["stt"].dtype == "string"
    assert list(wide["unit_code"].fillna("")) == list(exported["unit_code"].fillna(""))
    assert wide["unit_code"].str.startswith("0").any(), "register codes keep their zeros"
    assert wide["total"].dtype == "Float64" and wide["total"].notna().any()
    assert len(every) > len(wide) and set(long["unit"].dropna()) == set(wide["unit"].dropna())


def test_findings_and_reports(db: str) -> None:
    with phuluc.connect(db) as store:
        findings, reports = store.findings(), store.reports()
        only = store.findings(rule="SUM_MISMATCH", lang="en")
    assert "CONFLICTING_SUBMISSION" in set(findings["rule"]) and set(only["rule"]) == {"SUM_MISMATCH"}
    assert len(reports) == 5 and reports["corrects"].dtype == "boolean"
    assert list(reports.loc[reports["corrects"], "file_name"].map(lambda n: Path(n).name)) == [
        "03_dien-bien-dong-dieu-chinh_2024-03.md"]
    assert str(reports["date"].dtype).startswith("datetime64")


def test_import_phuluc_does_not_load_pandas() -> None:
    code = "import sys, phuluc; phuluc.__version__; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
