"""Each file under its budget (phuluc/budget.py, phuluc/batch.py): a file that hangs, eats memory or
states absurd sizes is given up with a message naming the limit, what it started dies with it, and the
files around it are loaded."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
import sys
import time
from pathlib import Path

import pytest
from conftest import seed_folder
from procs import alive, children
from typer.testing import CliRunner

from phuluc import extract, scratch
from phuluc.errors import PhulucError
from phuluc.extract import ocr, pdf, text
from phuluc.pipeline import app

runner = CliRunner()
GOOD = ("000_99add50ca2e69907.txt", "003_ed3ac0f57f1a658c.txt")
HOSTILE = "001-hostile.txt"


@pytest.fixture
def batch(shared: Path, tmp_path: Path) -> Path:
    """Two seed reports and, between them in the batch's order, the file a test makes hostile."""
    folder = seed_folder(tmp_path / "batch", GOOD)
    (folder / HOSTILE).write_bytes((shared / "seeds" / GOOD[0]).read_bytes() + b"\n")  # a report of its own
    return folder


def _hostile(monkeypatch: pytest.MonkeyPatch, act) -> None:
    """The text reader does `act` on the hostile file (the workers are forked with the patch)."""
    reader = extract.READERS["text"]

    def read(path: Path, settings):
        if path.name == HOSTILE:
            act()
        return reader(path, settings)

    monkeypatch.setitem(extract.READERS, "text", read)


def _ingest(folder: Path, tmp_path: Path, *options: str):
    result = runner.invoke(app, ["ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'p.db'}", *options])
    return result, "".join(result.output.split())


def test_a_file_that_hangs_is_given_up_at_its_time_with_what_it_started(batch: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    started = tmp_path / "pid"

    def hang() -> None:  # a reader stuck in a child process of its own (a conversion that never ends)
        child = subprocess.Popen(["sleep", "600"])
        started.write_text(f"{child.pid} {scratch.folder('convert')}")
        time.sleep(600)

    _hostile(monkeypatch, hang)
    result, flat = _ingest(batch, tmp_path, "--file-timeout", "3", "--workers", "2")
    assert result.exit_code == 1 and f"Đãbỏdởtệp{batch / HOSTILE}:đọcquá3giây" in flat
    assert re.search(r"Báo cáo đã nạp\s*│\s*2\b", result.output)
    pid, folder = started.read_text().split(" ", 1)
    assert not alive(int(pid)), "the process the hanging reader started is killed with it"
    assert not Path(folder).exists(), "and its scratch folder is removed"


def test_a_file_past_its_memory_is_given_up_and_the_batch_goes_on(batch: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile(monkeypatch, lambda: bytearray(2 << 30))  # 2 GB at once, as a decompression bomb asks
    result, flat = _ingest(batch, tmp_path, "--file-memory", "512", "--lang", "en")
    assert result.exit_code == 1 and f"Gaveupon{batch / HOSTILE}:itneededmorethan512MBofmemory" in flat, result.output
    assert re.search(r"Reports loaded\s*│\s*2\b", result.output)


def test_any_error_inside_a_reader_fails_only_its_file(batch: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """RecursionError and an exception the parent could not rebuild (no one-argument constructor)
    arrive as one line naming the file."""
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"odd {a} {b}")

    def recurse(depth: int = 0) -> int:
        return recurse(depth + 1) + 1

    # a recursion too deep is Python's RecursionError, or, where the limit is met inside an extension
    # module loaded before the fork (pandas, in a test run), its SystemError "error return without
    # exception set": either way one line
    for act, words in ((recurse, r"(maximumrecursiondepthexceeded|errorreturnwithoutexceptionset)"),
                       (lambda: (_ for _ in ()).throw(Odd(1, 2)), "odd12")):
        _hostile(monkeypatch, act)
        result, flat = _ingest(batch, tmp_path, "--force")
        line = re.escape(f"Khôngđọcđượctệp{batch / HOSTILE}:tệpbịhỏnghoặccócấutrúcmàphuluckhônghiểu(")
        assert result.exit_code == 1 and re.search(line + words + r"\)\.", flat), result.output
        assert "Traceback" not in result.output


def test_extract_gives_up_a_slow_scan_at_its_time(shared: Path) -> None:
    scan = shared / "fixtures" / "d02_tam-duong_2024-07_scan.pdf"
    result = subprocess.run([sys.executable, "-m", "phuluc.pipeline", "extract", str(scan), "--file-timeout", "1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == f"Đã bỏ dở tệp {scan}: đọc quá 1 giây (--file-timeout)."


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 the catalog), with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _blank_pages(count: int, size: tuple[int, int] = (595, 842)) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + k) for k in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % size
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
                + [page] * count)


def test_a_pdf_of_thousands_of_pages_is_given_up_and_blank_pages_go_to_no_ocr(tmp_path: Path) -> None:
    many = tmp_path / "many.pdf"
    many.write_bytes(_blank_pages(3000))
    with pytest.raises(PhulucError) as err:
        pdf.read(many)
    assert err.value.key == "gave_up" and (err.value.params["count"], err.value.params["limit"]) == (3000, 500)
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(_blank_pages(200))
    read = pdf.read(blank)
    assert (read.format, read.tables, read.blocks) == ("pdf", (), ()), "no page was sent to OCR"


def test_a_page_larger_than_any_sheet_is_rendered_no_larger_than_a_large_sheet(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "huge.pdf"
    drawn = canvas.Canvas(str(path), pagesize=(14400, 14400))  # 200 × 200 in: 3.6·10^9 pixels at 300 dpi
    drawn.rect(100, 100, 5000, 5000, fill=1)
    drawn.save()
    page = ocr.render(str(path), 1, 300)
    assert page.size < 40_100_000 and page.shape[0] == page.shape[1] and page.min() == 0


def test_a_header_repeated_ten_thousand_times_is_read_in_linear_time(shared: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each table's title is sought in the few lines above it, and each header walked up only to the
    table before: both walked the whole text above once per table (55 s for 270 KB). Counted in the
    lines they look at, a few per line of the file; walking the text above each table would be
    thousands (bench/fuzz.py times the file among the quadratic inputs)."""
    from phuluc.extract import assemble, tables

    looked = Counter()
    for module, name in ((tables, "clean"), (assemble, "_heading")):
        monkeypatch.setattr(module, name, _counted(getattr(module, name), looked, name))
    for name in ("d01_tua-chua_2023-04.md", "d04_sin-ho_2024-08.txt"):
        lines = (shared / "fixtures" / name).read_text(encoding="utf-8").split("\n")
        header = next(k for k, line in enumerate(lines) if line.startswith("STT"))
        path = tmp_path / name
        path.write_text("\n".join(lines[:header + 1] + [lines[header]] * 10_000 + lines[header + 1:]), encoding="utf-8")
        looked.clear()
        assert text.read(path).tables, name
        assert looked["clean"] and max(looked.values()) < 20 * (len(lines) + 10_000), (name, looked)


def _counted(function, counter: Counter, name: str):
    def counting(*args, **kwargs):
        counter[name] += 1
        return function(*args, **kwargs)
    return counting


def test_kill_tree_kills_a_program_and_the_helpers_it_started() -> None:
    """As a LibreOffice conversion past its time: soffice, and the soffice.bin it started."""
    from phuluc import processes

    shell = subprocess.Popen(["sh", "-c", "sleep 600 & sleep 600 & wait"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(helpers := children(shell.pid)) < 2:
        time.sleep(0.05)
    processes.kill_tree(shell.pid)
    shell.wait()
    deadline = time.monotonic() + 10  # a killed process ends when it is next scheduled
    while time.monotonic() < deadline and any(map(alive, helpers)):
        time.sleep(0.05)
    assert len(helpers) == 2 and not [pid for pid in helpers if alive(pid)]



def test_tables_of_more_rows_than_the_country_has_communes_are_given_up(shared: Path) -> None:
    """Caught once read, before normalizing, checking and sending back a hundred thousand rows cost
    what no report needs."""
    from phuluc import messages
    from phuluc.settings import DEFAULT

    seed = shared / "seeds" / GOOD[0]
    assert extract.read_document(seed, DEFAULT).tables, "the seed is read under the default budget"
    with pytest.raises(PhulucError) as err:
        extract.read_document(seed, DEFAULT.with_budget(rows=3))
    assert err.value.key == "gave_up" and err.value.params["budget"] == "rows" and err.value.params["limit"] == 3
    assert messages.error(err.value.key, "en", **err.value.params).endswith("more than the limit of 3.")
