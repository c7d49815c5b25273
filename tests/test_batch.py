"""Batches as a province office sends them: folders and .zip archives, parallel extraction, an ingest
killed part-way and run again, two ingests at once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy
import sqlalchemy.exc
from procs import alive, children
from typer.testing import CliRunner

from phuluc import batch
from phuluc.extract import sources
from phuluc.load.db import Database
from phuluc.pipeline import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _samples(factory: pytest.TempPathFactory, count: int) -> Path:
    folder = factory.mktemp("reports")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_samples.py"), "--count", str(count), "--seed", "3",
                    "--out", str(folder)], check=True, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty synthetic reports of every kind the generator makes."""
    return _samples(tmp_path_factory, 40)


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough reports that an ingest is still going when it is interrupted, however fast it is."""
    return _samples(tmp_path_factory, 120)


def _ingest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "phuluc.pipeline", "ingest", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"})


def _loaded(url: str) -> dict[str, int]:
    return Database(url).counts()


def _reports_so_far(engine: sqlalchemy.Engine) -> int:
    """How many reports a running ingest has stored; 0 before it has made its tables."""
    try:
        with engine.connect() as connection:
            return connection.scalar(sqlalchemy.text("SELECT count(*) FROM reports"))
    except sqlalchemy.exc.DBAPIError:
        return 0


def test_an_archive_is_read_member_by_member_and_refuses_what_is_unsafe(shared: Path, tmp_path: Path) -> None:
    archive = tmp_path / "thang-02.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(shared / "seeds" / "000_99add50ca2e69907.txt", "huyen/000.txt")
        z.write(shared / "seeds" / "003_ed3ac0f57f1a658c.txt", "xa/003.txt")
        z.writestr("../../../escaped.txt", "Số: 1/BC-UBND")
        z.writestr("/etc/absolute.txt", "x")
        z.writestr("..\\..\\windows.txt", "x")  # a Windows zipper's separators
        z.writestr("inner.zip", b"PK\x03\x04")
        z.writestr("bomb.txt", b"0" * (8 * 1024 * 1024))
        z.writestr("__MACOSX/._000.txt", b"\x00")
    found = {s.name.split(":", 1)[1]: s.skip for s in sources.walk([archive])}
    assert found == {"huyen/000.txt": None, "xa/003.txt": None, "../../../escaped.txt": "unsafe_member",
                     "/etc/absolute.txt": "unsafe_member", "..\\..\\windows.txt": "unsafe_member",
                     "inner.zip": "nested_archive", "bomb.txt": "zip_bomb"}
    assert sources.count([archive]) == len(found)
    url = f"sqlite:///{tmp_path / 'p.db'}"
    result = runner.invoke(app, ["ingest", str(archive), "--db", url])
    assert result.exit_code == 0 and _loaded(url)["reports"] == 2
    assert not (tmp_path / "escaped.txt").exists() and not Path("/escaped.txt").exists()


def test_a_member_that_unpacks_past_its_declared_size_is_stopped(tmp_path: Path) -> None:
    """A zip bomb can lie in its header; unpacking stops at the declared size."""
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("report.txt", b"1" * 5000)
    data = archive.read_bytes()
    # the size in the central directory and the local header say 50 bytes; the stream holds 5000
    archive.write_bytes(data.replace((5000).to_bytes(4, "little"), (50).to_bytes(4, "little")))
    (source,) = sources.walk([archive])
    assert source.skip in ("zip_bomb", "bad_archive") and source.path is None


def test_a_member_with_an_overlong_extension_is_no_report_and_the_batch_goes_on(tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bao-cao." + "x" * 300, b"Phu luc")
        z.writestr("ghi-chu.txt", "Không có bảng nào.\n")
    result = runner.invoke(app, ["ingest", str(archive), "--db", f"sqlite:///{tmp_path / 'p.db'}"])
    flat = "".join(result.output.split())  # rich wraps long lines
    assert result.exit_code == 0, result.output
    assert "khôngphảitệpbáocáo" in flat and "ghi-chu.txt" in flat


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and the parent-death signal are Linux's")
def test_workers_die_with_an_ingest_killed_by_sigkill(reports: Path, tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "phuluc.pipeline", "ingest", str(reports), "--db",
                                f"sqlite:///{tmp_path / 'k.db'}", "--workers", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers := children(process.pid)) < 2:
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers started"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(alive, workers)):
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)]


def test_a_damaged_archive_is_reported(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"not a zip at all")
    assert [s.skip for s in sources.walk([archive])] == ["bad_archive"]


def test_workers_load_what_one_process_loads(reports: Path, db_url: str, tmp_path: Path) -> None:
    one = f"sqlite:///{tmp_path / 'one.db'}"
    assert _ingest(str(reports), "--db", one).returncode == 0
    assert _ingest(str(reports), "--db", db_url, "--workers", "2").returncode == 0
    assert _loaded(one) == _loaded(db_url) and _loaded(one)["reports"] == 40


def test_an_ingest_killed_part_way_then_run_again_loads_each_report_once(reports: Path, db_url: str,
                                                                         tmp_path: Path) -> None:
    url = db_url
    reference = f"sqlite:///{tmp_path / 'ref.db'}"
    assert _ingest(str(reports), "--db", reference).returncode == 0
    process = subprocess.Popen([sys.executable, "-m", "phuluc.pipeline", "ingest", str(reports), "--db", url],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    engine = sqlalchemy.create_engine(url)  # one connection polled: opening a Database each time lags the ingest
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _reports_so_far(engine) < 5:
        time.sleep(0.02)
    engine.dispose()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed = _loaded(url)["reports"]
    assert 5 <= killed < 40, "the kill landed part-way through the batch"
    assert _ingest(str(reports), "--db", url).returncode == 0
    assert _loaded(url) == _loaded(reference)  # every report once, none half-loaded


def test_ctrl_c_keeps_what_is_loaded_says_so_and_exits_130(many_reports: Path, db_url: str, tmp_path: Path) -> None:
    """SIGINT, as Ctrl-C sends it to the command (its workers are in groups of their own): a report being
    stored is stored and counted first, the summary is printed with what was loaded, and a second run loads the
    rest once."""
    url = db_url
    reference = f"sqlite:///{tmp_path / 'ref.db'}"
    assert _ingest(str(many_reports), "--db", reference).returncode == 0
    process = subprocess.Popen([sys.executable, "-m", "phuluc.pipeline", "ingest", str(many_reports), "--db", url,
                                "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "COLUMNS": "200"})
    engine = sqlalchemy.create_engine(url)  # one connection polled: opening a Database each time lags the ingest
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _reports_so_far(engine) < 5:
        time.sleep(0.02)
    engine.dispose()
    workers = children(process.pid)
    process.send_signal(signal.SIGINT)
    shown, _ = process.communicate(timeout=60)
    stopped = _loaded(url)["reports"]
    assert process.returncode == 130 and 5 <= stopped < 120, shown
    assert "Đã dừng theo yêu cầu (Ctrl-C)" in shown and re.search(rf"Báo cáo đã nạp\s*│\s*{stopped}\b", shown)
    assert not [pid for pid in workers if alive(pid)]
    assert _ingest(str(many_reports), "--db", url).returncode == 0
    assert _loaded(url) == _loaded(reference)  # every report once, none half-loaded


def test_two_ingests_at_once_load_each_report_once(reports: Path, db_url: str) -> None:
    url = db_url
    files = sorted(reports.iterdir())
    first = subprocess.Popen([sys.executable, "-m", "phuluc.pipeline", "ingest", *map(str, files[:30]), "--db", url],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    second = subprocess.Popen([sys.executable, "-m", "phuluc.pipeline", "ingest", *map(str, files[10:]), "--db", url],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert first.wait() == 0 and second.wait() == 0, (first.stdout.read(), second.stdout.read())
    assert _loaded(url)["reports"] == 40


def test_an_ingest_sweeps_the_scratch_folders_of_processes_that_are_gone(tmp_path: Path) -> None:
    """A member unpacked by an ingest killed with -9 (and a conversion's folder) stays in the temp
    folder until the next ingest."""
    import tempfile

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = Path(tempfile.gettempdir()) / f"phuluc-convert-{gone.pid}-test"
    (left / "0.pdf").parent.mkdir(exist_ok=True)
    (left / "0.pdf").write_bytes(b"%PDF-1.4")
    member = Path(tempfile.gettempdir()) / f"phuluc-zip-{gone.pid}-test.pdf"
    member.write_bytes(b"%PDF-1.4")
    mine = Path(tempfile.mkdtemp(prefix=f"phuluc-zip-{os.getpid()}-"))
    try:
        report = tmp_path / "r.txt"
        report.write_text("Không có bảng nào.\n", encoding="utf-8")
        runner.invoke(app, ["ingest", str(report), "--db", f"sqlite:///{tmp_path / 'p.db'}"])
        assert not left.exists() and not member.exists() and mine.is_dir()
    finally:
        mine.rmdir()


def test_a_scan_tells_how_far_its_ocr_is(shared: Path) -> None:
    """Each page the worker's OCR finishes reaches the command, so a long scan is no blank screen."""
    from phuluc.extract.sources import Source
    from phuluc.pipeline import extract_file
    from phuluc.settings import DEFAULT

    scan = shared / "fixtures" / "d02_tam-duong_2024-07_scan.pdf"
    heard = []
    [(_, outcome)] = batch.extracted(iter([Source(str(scan), scan)]), extract_file, 1, DEFAULT,
                                     lambda source, done, total: heard.append((source.name, done, total)))
    assert outcome.report.format == "pdf-scanned" and heard
    total = heard[-1][2]
    assert heard == [(str(scan), done, total) for done in range(1, total + 1)]


_THREADS = """
import os, sys
from pathlib import Path
from phuluc import batch
from phuluc.extract.sources import Source
from phuluc.settings import DEFAULT

def threads(path, settings):
    import numpy  # noqa: F401  OpenBLAS loads with it and starts its threads
    return len(os.listdir("/proc/self/task"))

[(_, count)] = batch.extracted(iter([Source("a.txt", Path("a.txt"))]), threads, 1, DEFAULT)
print(count, "numpy" in sys.modules)
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads through /proc")
def test_a_worker_keeps_numpy_to_one_thread() -> None:
    """OpenBLAS starts a thread per core that spins while numpy loads; a worker never calls it."""
    result = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True, check=True,
                            env={k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"})
    assert result.stdout.split() == ["1", "False"]  # the command itself never loaded numpy
