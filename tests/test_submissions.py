"""One figure per unit and period (issue 11): of the copies of a report loaded — sent again, as PDF and
as DOCX, or corrected — the export takes the latest submission unless told to take every copy."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phuluc.load.db import sequence
from phuluc.pipeline import app

runner = CliRunner()


@pytest.fixture(params=[("d05_muong-ang_2024-11", ("docx", "xlsx", "txt")), ("d04_sin-ho_2024-08", ("pdf", "txt"))],
                ids=["docx-xlsx-text", "pdf-text"])
def copies(request: pytest.FixtureRequest, shared: Path, tmp_path: Path) -> tuple[Path, str, int]:
    """The same report in several formats, and a correction of its text (its heading says so) loaded
    before them: the correction wins on what it says, not on when it came. The folder, the report's
    name and its count of units."""
    report, suffixes = request.param
    folder = tmp_path / "in"
    folder.mkdir()
    original = (shared / "fixtures" / f"{report}.txt").read_text(encoding="utf-8")
    corrected = original.replace("BÁO CÁO\n", "BÁO CÁO ĐIỀU CHỈNH\n", 1)
    assert corrected != original
    (folder / "0-dieu-chinh.txt").write_text(corrected, encoding="utf-8")
    for suffix in suffixes:
        (folder / f"{report}.{suffix}").write_bytes((shared / "fixtures" / f"{report}.{suffix}").read_bytes())
    truth = json.loads((shared / "fixtures" / f"{report}.txt.truth.json").read_text(encoding="utf-8"))
    units = {row["unit"] for table in truth["tables"] if table["kind"] == "scores" for row in table["rows"]
             if not row.get("is_total_row")}
    return folder, report, len(units)


def _export(db: str, tmp_path: Path, *options: str) -> list[dict[str, str]]:
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["export", "--db", db, "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_export_takes_the_correction_once_per_unit(copies: tuple[Path, str, int], tmp_path: Path) -> None:
    folder, report, units = copies
    db = f"sqlite:///{tmp_path / 'p.db'}"
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output
    rows = _export(db, tmp_path)
    assert len(rows) == len({r["unit"] for r in rows}) == units
    assert {Path(r["file_name"]).name for r in rows} == {"0-dieu-chinh.txt"}
    every = _export(db, tmp_path, "--all-submissions")
    assert len(every) > len(rows) and {Path(r["file_name"]).name for r in every} >= {"0-dieu-chinh.txt",
                                                                                     f"{report}.txt"}


def test_copies_in_several_formats_count_once(copies: tuple[Path, str, int], tmp_path: Path) -> None:
    folder, _, units = copies
    (folder / "0-dieu-chinh.txt").unlink()
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    rows = _export(db, tmp_path)
    assert len(rows) == len({r["unit"] for r in rows}) == units


@pytest.mark.parametrize(("number", "running"), [("524/BC-UBND", 524), ("07/BC-UBND", 7), (" /BC-UBND", None),
                                                 (None, None), ("BC-UBND", None)])
def test_the_running_number_of_a_report(number: str | None, running: int | None) -> None:
    assert sequence(number) == running
