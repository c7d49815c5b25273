"""The command line as a province office uses it: extract, ingest (twice), audit, export."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import seed_folder
from typer.testing import CliRunner

from phuluc.pipeline import app

runner = CliRunner()
SEEDS = ("000_99add50ca2e69907.txt", "001_3e1650f1a447788d.txt", "002_ab5d464e53ea1072.txt",
         "003_ed3ac0f57f1a658c.txt", "004_8a69adecc4e97c2a.txt")


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def seeds(shared: Path, tmp_path: Path) -> Path:
    """A folder holding the five seed reports."""
    return seed_folder(tmp_path / "seeds", SEEDS)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "rỗng"),
    (b"\x00\x01\x02PK\x03\x04" * 50, "không phải là văn bản"),
    ("Hôm nay trời đẹp. Chúng tôi đi chơi công viên.\n".encode(), "không chứa báo cáo"),
])
def test_extract_rejects_what_is_not_a_report(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("extract", str(path))
    assert result.exit_code == 1
    assert words in result.output and "bad.txt" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_extract_speaks_english_on_request(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "is empty" in run("extract", str(path), "--lang", "en").output


def test_extract_json_has_the_contract_shape(shared: Path) -> None:
    result = run("extract", str(shared / "seeds" / SEEDS[0]), "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert {"source_file", "sha256", "format", "report", "tables", "summary", "findings"} <= doc.keys()
    assert doc["report"]["issuer"] == "Huyện Mường Nhé" and doc["format"] == "text"
    assert [f["rule"] for f in doc["findings"]] == ["UNLABELED_COLUMN"]
    assert doc["findings"][0]["message"]


def test_extract_prints_a_readable_summary(shared: Path) -> None:
    result = run("extract", str(shared / "seeds" / SEEDS[3]))
    assert result.exit_code == 0
    assert "Xã Mỹ Thanh" in result.output and "SUM_MISMATCH" in result.output


def test_ingest_twice_loads_once_then_exports_every_score_row(seeds: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    first = run("ingest", str(seeds), "--db", db)
    assert first.exit_code == 0, first.output
    second = run("ingest", str(seeds), "--db", db)
    assert second.exit_code == 0
    assert second.output.count("sha256") == 5 and "Không có báo cáo mới" in second.output
    out = tmp_path / "out.csv"
    assert run("export", "--db", db, "--layout", "wide", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"unit_code": str})
    assert len(table) == 60 == 11 + 20 + 28 + 1
    assert "Xã Huổi Lếnh" in set(table["unit"]) and "03177" in set(table["unit_code"])


def test_force_reloads_a_report(seeds: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    run("ingest", str(seeds / SEEDS[0]), "--db", db)
    again = run("ingest", str(seeds / SEEDS[0]), "--db", db, "--force")
    assert again.exit_code == 0 and "sha256" not in again.output
    out = tmp_path / "long.csv"
    run("export", "--db", db, "--layout", "long", "-o", str(out), "--no-bom")
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(pd.read_csv(out)) == 11 * 11  # one row per (unit, criterion), loaded once


def test_a_folder_with_other_files_ingests_its_reports_and_lists_the_rest(seeds: Path, tmp_path: Path) -> None:
    (seeds / "notes.json").write_text("{}", encoding="utf-8")
    (seeds / "logo.gif").write_bytes(b"GIF89a")
    (seeds / "README.md").write_text("# Báo cáo tháng\nThư mục này chứa các báo cáo.\n", encoding="utf-8")
    result = run("ingest", str(seeds), "--db", f"sqlite:///{tmp_path / 'p.db'}")
    assert result.exit_code == 0, result.output
    for name in ("notes.json", "logo.gif", "README.md"):
        assert name in result.output
    assert "không chứa báo cáo" in result.output and "không phải tệp báo cáo" in result.output


def test_ingest_reports_a_bad_file_and_goes_on(seeds: Path, tmp_path: Path) -> None:
    (seeds / "broken.txt").write_bytes(b"\x00\x00binary")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    result = run("ingest", str(seeds), "--db", db)
    assert result.exit_code == 1 and "broken.txt" in result.output
    out = tmp_path / "out.csv"
    run("export", "--db", db, "-o", str(out))
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 60


def test_a_reader_failing_without_a_message_is_named_by_its_error(seeds: Path, tmp_path: Path, monkeypatch) -> None:
    """An exception with no words (IndexError()) still gives the file a reason, and the batch goes on."""
    from phuluc import extract

    text_reader = extract.READERS["text"]

    def reader(path: Path, settings):
        if path.name == SEEDS[0]:
            raise IndexError()
        return text_reader(path, settings)

    monkeypatch.setitem(extract.READERS, "text", reader)
    result = run("ingest", str(seeds), "--db", f"sqlite:///{tmp_path / 'p.db'}")
    assert result.exit_code == 1 and "IndexError" in result.output
    assert re.search(rf"Báo cáo đã nạp\s*│\s*{len(SEEDS) - 1}\b", result.output)


def test_a_worker_dying_on_a_file_fails_that_file_and_the_batch_goes_on(seeds: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    """A worker killed while reading (out of memory, a crash in a library) breaks its pool: that file
    fails, every other file of the batch is loaded."""
    import os
    import signal

    from phuluc import extract

    text_reader = extract.READERS["text"]

    def reader(path: Path, settings):
        if path.name == SEEDS[0]:
            os.kill(os.getpid(), signal.SIGKILL)
        return text_reader(path, settings)

    monkeypatch.setitem(extract.READERS, "text", reader)  # the workers are forked with it
    result = run("ingest", str(seeds), "--db", f"sqlite:///{tmp_path / 'p.db'}", "--workers", "2")
    flat = "".join(result.output.split())
    assert result.exit_code == 1 and SEEDS[0] in flat and "độtngột" in flat
    assert re.search(rf"Báo cáo đã nạp\s*│\s*{len(SEEDS) - 1}\b", result.output)


HOSTILE = """\
                                        Phụ lục
                         KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 5 NĂM 2024
STT    ĐƠN VỊ                      Chỉ số 1  Chỉ số 2    TỔNG ĐIỂM    XẾP LOẠI
                                     (5đ)      (5đ)
 1     UBND xã [/red]Nậm Kè          4,5       5,0         9,5          Tốt
 2     UBND xã \x1b[31mPá Mỳ\x07     5         5           10           Xuất sắc
"""


def test_names_from_documents_and_files_never_act_as_markup_or_escapes(tmp_path: Path) -> None:
    """A unit name holding "[/red]" or a terminal escape, a file "[bold]…[red].txt", an archive member
    "[/]notes.txt": printed as the text they are."""
    folder = tmp_path / "in"
    folder.mkdir()
    report = folder / "[bold]bao-cao[red].txt"
    report.write_text(HOSTILE, encoding="utf-8")
    with zipfile.ZipFile(folder / "batch.zip", "w") as archive:
        archive.writestr("[/]notes.txt", b"\x00\x00binary")
        archive.writestr(":warning: ghi\nchu.txt", b"\x00\x00binary")
        archive.writestr("ghi-chu\u202etxt.md", b"\x00\x00binary")  # would show as "ghi-chudm.txt"
    shown = run("extract", str(report))
    flat = "".join(shown.output.split())  # rich wraps long lines
    assert shown.exit_code == 0, shown.output
    assert "[/red]NậmKè" in flat and "\x1b" not in flat and "\\x1b[31mPá" in flat and "[bold]bao-cao[red].txt" in flat
    db = f"sqlite:///{tmp_path / 'p.db'}"
    loaded = run("ingest", str(folder), "--db", db)
    assert loaded.exit_code == 1 and "[/]notes.txt" in "".join(loaded.output.split()) and "\x1b" not in loaded.output
    assert "batch.zip::warning: ghi\\x0achu.txt: " in loaded.output  # on its line, no emoji, no line break
    assert "batch.zip:ghi-chu\\u202etxt.md: " in loaded.output and "\u202e" not in loaded.output
    audited = run("audit", "--db", db, "--fail-on", "never")
    assert audited.exit_code == 0 and "\x1b" not in audited.output


def test_audit_shows_a_conflicting_resubmission(seeds: Path, tmp_path: Path) -> None:
    original = (seeds / SEEDS[0]).read_text(encoding="utf-8")
    changed = original.replace("UBND xã Quảng Lâm\t-\t-\t-\t22,5", "UBND xã Quảng Lâm\t-\t-\t-\t25,5").replace(
        "52,5/70\t75\t", "55,5/70\t79,29\t")
    assert changed != original
    (seeds / "000_resubmitted.txt").write_text(changed, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'p.db'}"
    run("ingest", str(seeds / SEEDS[0]), str(seeds / "000_resubmitted.txt"), "--db", db)
    for out in (tmp_path / "audit.csv", tmp_path / "audit.xlsx"):  # the extension decides the format
        result = run("audit", "--db", db, "--rule", "CONFLICTING_SUBMISSION", "-o", str(out))
        assert result.exit_code == 1, "a conflict is an error"
        found = pd.read_excel(out) if out.suffix == ".xlsx" else pd.read_csv(out, encoding="utf-8-sig")
        assert list(found["rule"]) == ["CONFLICTING_SUBMISSION"] and list(found["unit"]) == ["Xã Quảng Lâm"]
    listing = run("audit", "--db", db, "--period", "2024-02")
    assert "CONFLICTING_SUBMISSION" in listing.output and "UNLABELED_COLUMN" in listing.output


def test_database_url_comes_from_the_environment(seeds: Path, tmp_path: Path) -> None:
    env = {"PHULUC_DB": f"sqlite:///{tmp_path / 'env.db'}"}
    assert run("ingest", str(seeds / SEEDS[3]), env=env).exit_code == 0
    assert (tmp_path / "env.db").exists()
