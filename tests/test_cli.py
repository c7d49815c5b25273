"""The command line checks what it is told (issue 11): a wrong option, path, database or folder is one
sentence and a non-zero exit, never a traceback or a "fine" that is not."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import seed_folder
from typer.testing import CliRunner

from phuluc import __version__
from phuluc.load.checks import SEVERITY
from phuluc.pipeline import app

runner = CliRunner()
SEED = "000_99add50ca2e69907.txt"


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result, " ".join(result.output.split())  # rich wraps long lines


@pytest.fixture
def loaded(shared: Path, tmp_path: Path) -> Path:
    """A SQLite file holding one seed report, given to --db as a plain path."""
    db = tmp_path / "phuluc.db"
    result, _ = run("ingest", str(seed_folder(tmp_path / "in", (SEED,))), "--db", str(db))
    assert result.exit_code == 0 and db.is_file(), result.output
    return db


def test_a_plain_path_is_a_sqlite_database(loaded: Path, tmp_path: Path) -> None:
    result, _ = run("export", "-o", str(tmp_path / "out.csv"), "--db", str(loaded))
    assert result.exit_code == 0 and (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("\n") > 5


@pytest.mark.parametrize("command", [("audit",), ("export", "-o", "x.csv")])
def test_a_read_command_on_a_database_that_is_not_there_creates_none(tmp_path: Path, command) -> None:
    missing = tmp_path / "typo.db"
    result, shown = run(*command, "--db", f"sqlite:///{missing}")
    assert result.exit_code == 2 and f"Không có cơ sở dữ liệu sqlite:///{missing}" in shown
    assert not missing.exists()


@pytest.mark.parametrize("command", [("audit",), ("export", "-o", "x.csv")])
def test_a_malformed_period_is_refused(loaded: Path, command) -> None:
    result, shown = run(*command, "--db", str(loaded), "--period", "2024/07")
    assert result.exit_code == 2 and "Kỳ báo cáo không hợp lệ: 2024/07" in shown and "YYYY-Qn" in shown


@pytest.mark.parametrize("period", ["2024", "2024-07", "2024-Q3", "2024-H2", "2024-W03"])
def test_each_kind_of_period_is_taken(loaded: Path, period: str) -> None:
    assert run("audit", "--db", str(loaded), "--period", period)[0].exit_code == 0


def test_an_unknown_rule_is_refused_with_the_codes_there_are(loaded: Path) -> None:
    result, shown = run("audit", "--db", str(loaded), "--rule", "NOPE")
    assert result.exit_code == 2 and "Không có quy tắc NOPE" in shown
    assert all(code in shown for code in SEVERITY)


def test_an_unsupported_language_is_refused(loaded: Path) -> None:
    result, shown = run("audit", "--db", str(loaded), "--lang", "fr")
    assert result.exit_code == 2 and "'fr' is not one of 'vi', 'en'" in shown


@pytest.mark.parametrize("command", [("audit",), ("export",)])
def test_an_output_folder_that_is_not_there_is_one_sentence(loaded: Path, tmp_path: Path, command) -> None:
    target = tmp_path / "missing" / "out.csv"
    result, shown = run(*command, "--db", str(loaded), "-o", str(target), "--lang", "en")
    assert result.exit_code == 2 and shown == f"There is no folder {target.parent} to write out.csv in."


def test_a_path_that_is_not_there_and_a_damaged_archive_are_failed_files(shared: Path, tmp_path: Path) -> None:
    folder = seed_folder(tmp_path / "in", (SEED,))
    (folder / "thang-07.zip").write_bytes(b"PK\x03\x04 cut short")
    missing = tmp_path / "khong-co.pdf"
    result, shown = run("ingest", str(folder), str(missing), "--db", str(tmp_path / "p.db"))
    assert result.exit_code == 1
    assert f"Không tìm thấy tệp {missing}" in shown and "Tệp nén" in shown and "thang-07.zip bị hỏng" in shown
    assert "Tệp lỗi │ 2" in shown and "Báo cáo đã nạp │ 1" in shown


def test_notes_that_name_a_framework_and_a_month_are_not_a_report(shared: Path, tmp_path: Path) -> None:
    folder = seed_folder(tmp_path / "in", (SEED,))
    (folder / "README.md").write_text(
        "# Ghi chú\n\nThư mục này chứa báo cáo tháng 7 năm 2024 theo Bộ chỉ số 766/QĐ-TTg của UBND huyện "
        "Mường Chà.\nXem Phụ lục kèm theo từng báo cáo.\n", encoding="utf-8")
    result, shown = run("ingest", str(folder), "--db", str(tmp_path / "p.db"))
    assert result.exit_code == 0 and "Báo cáo đã nạp │ 1" in shown
    assert "README.md: Tệp" in shown and "không chứa báo cáo chấm điểm nào" in shown


def test_export_to_standard_output_writes_only_the_table(loaded: Path) -> None:
    result = runner.invoke(app, ["export", "-o", "-", "--db", str(loaded)])
    assert result.exit_code == 0 and not Path("-").exists()
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["file_name", "issuer", "province"] and len(rows) > 5
    assert not result.stdout.startswith("\ufeff") and "Đã xuất" in result.stderr


def test_version_and_flags_shown_as_flags() -> None:
    assert run("--version")[1] == f"phuluc {__version__}"
    result, shown = run("extract", "--help")
    assert result.exit_code == 0 and "--json" in shown and "<bool>" not in shown and "BOOLEAN" not in shown


def test_an_archive_of_a_good_report_still_loads(shared: Path, tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(shared / "seeds" / SEED, SEED)
    result, shown = run("ingest", str(archive), "--db", str(tmp_path / "p.db"))
    assert result.exit_code == 0 and "Báo cáo đã nạp │ 1" in shown


def test_export_in_the_dialect_of_a_vietnamese_spreadsheet(loaded: Path) -> None:
    result = runner.invoke(app, ["export", "-o", "-", "--db", str(loaded), "--dialect", "excel-vi"])
    header, first = result.stdout.splitlines()[:2]
    assert result.exit_code == 0 and header.startswith('"file_name";"issuer";') and ";" in first
    assert run("export", "-o", "-", "--db", str(loaded), "--dialect", "semicolon")[0].exit_code == 2


@pytest.mark.parametrize(("argv", "environ", "words"), [
    (["export", "--help"], {}, "Xuất bảng điểm tổng hợp"),
    (["export", "--lang", "en", "--help"], {}, "Export the consolidated scores"),
    (["export", "--lang=en", "--help"], {"PHULUC_LANG": "vi"}, "Export the consolidated scores"),
    (["--help"], {"PHULUC_LANG": "en"}, "Read, check and load"),
])
def test_help_is_in_the_language_asked_for(argv: list[str], environ: dict[str, str], words: str) -> None:
    """Click prints help before it reads --lang: the command line is looked at first."""
    env = {k: v for k, v in os.environ.items() if k != "PHULUC_LANG"} | environ
    result = subprocess.run([sys.executable, "-m", "phuluc.pipeline", *argv], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and words in " ".join(result.stdout.split())


SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture
def samples(tmp_path: Path) -> str:
    """The bundled samples loaded in Vietnamese: two errors in reports, one conflict between two."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert run("ingest", str(SAMPLES), "--db", db)[0].exit_code == 0
    return db


def test_audit_renders_stored_findings_in_the_language_asked_for(samples: str) -> None:
    english, shown = run("audit", "--db", samples, "--lang", "en", "--fail-on", "never")
    assert "SUM_MISMATCH error 01_dien-bien-dong_2024-03.md (2024-03)" in shown
    assert "The criteria of Xã Pú Hồng add up to 68.6, but the printed total is 66.8" in shown
    for vietnamese in ("Tổng các chỉ số", "phải là", "báo cáo này ghi", "lỗi", "trang"):
        assert vietnamese not in shown, vietnamese
    assert "3 findings (3 errors, 0 warnings): CONFLICTING_SUBMISSION 1, RATING_MISMATCH 1, SUM_MISMATCH 1." in shown
    vi = run("audit", "--db", samples, "--fail-on", "never")[1]
    assert "Tổng các chỉ số của Xã Pú Hồng là 68,6, khác tổng điểm ghi 66,8" in vi
    assert "3 phát hiện (3 lỗi, 0 cảnh báo)" in vi


def test_audit_names_each_findings_place(samples: str) -> None:
    """The row (STT), the field and its cell as printed, in the text view and in the CSV to stdout."""
    shown = run("audit", "--db", samples, "--fail-on", "never")[1]
    assert ('SUM_MISMATCH lỗi 01_dien-bien-dong_2024-03.md (2024-03), trang 1, dòng 6, tổng điểm "66,8/70": '
            in shown)
    assert 'rating "Xuất sắc"' in run("audit", "--db", samples, "--fail-on", "never", "--lang", "en")[1]
    result = runner.invoke(app, ["audit", "--db", samples, "--fail-on", "never", "-o", "-"])
    lines = {r["rule"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert not Path("-").exists()
    total = lines["SUM_MISMATCH"]
    assert (total["stt"], total["unit_raw"], total["about"], total["page"]) == ("6", "UBND xã Pú Hồng", "total", "1")
    assert total["cells"] == "66,8/70 | 28,6 | 10 | 5 | 10 | 5 | 5 | 5"
    assert total["table_title"].startswith("Phụ lục KẾT QUẢ ĐÁNH GIÁ")
    conflict = lines["CONFLICTING_SUBMISSION"]
    assert (conflict["criterion"], conflict["cells"], conflict["stt"]) == ("Tiến độ, KQ giải quyết (30đ)", "26,8", "6")


@pytest.mark.parametrize(("fail_on", "rule", "code"), [("error", None, 1), ("never", None, 0), ("warning", None, 1),
                                                       ("error", "UNKNOWN_UNIT", 0), ("warning", "UNKNOWN_UNIT", 0)])
def test_audit_gates_a_batch_on_its_findings(samples: str, fail_on: str, rule: str | None, code: int) -> None:
    """Exit 1 where findings of `--fail-on`'s severity or worse are listed (the samples have no warning)."""
    args = ("--rule", rule) if rule else ()
    assert run("audit", "--db", samples, "--fail-on", fail_on, *args)[0].exit_code == code
