"""Tesseract inside the process (extract/tesseract.py): it reads as the `tesseract` command of Debian's
tesseract-ocr does, word for word, whatever was read before with other settings, in this process and
in a forked worker. Needs tesseract-ocr and tesseract-ocr-vie (the test command installs them)."""

from __future__ import annotations

import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from phuluc.extract import tesseract

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian's fonts-dejavu-core
DPI = 300
FIGURES = "0123456789,./-%"
LINES = ["UBND xã Sín Thầu   8,75   55/70", "Tổng điểm đạt được   42,5/70", "UBND huyện Tam Đường   7,25"]


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    if not tesseract.installed("vie") or not tesseract.installed("eng"):
        pytest.fail("Tesseract with its Vietnamese and English models is missing: apt-get install -y "
                    "tesseract-ocr tesseract-ocr-vie", pytrace=False)
    image = Image.new("L", (1800, 120 * len(LINES) + 60), 255)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(LINES):
        draw.text((40, 40 + 120 * k), line, font=ImageFont.truetype(FONT, 50), fill=0)
    return np.asarray(image)


def _command(page: np.ndarray, folder: Path, *options: str) -> list[tesseract.Box]:
    """What the `tesseract` command reads in the page, as rows of its TSV (the header line left out)."""
    path = folder / "page.pgm"
    Image.fromarray(page).save(path)
    tsv = subprocess.run(["tesseract", str(path), "-", "--dpi", str(DPI), *options, "tsv"], check=True,
                         capture_output=True, text=True).stdout
    return [tesseract._box(line.split("\t")) for line in tsv.splitlines()[1:] if line]


@pytest.mark.parametrize(("lang", "layout", "chars"), [
    ("eng", tesseract.Layout.BLOCK, FIGURES),  # figures, no dictionary: read first, so the next reads follow it
    ("vie", tesseract.Layout.BLOCK, ""),
    ("vie", tesseract.Layout.BLOCK, FIGURES),
    ("vie", tesseract.Layout.COLUMN, ""),
])
def test_the_engine_reads_as_the_command(page: np.ndarray, tmp_path: Path, lang: str, layout: tesseract.Layout,
                                         chars: str) -> None:
    options = ["-l", lang, "--psm", str(int(layout))]
    if chars:
        options += ["-c", f"tessedit_char_whitelist={chars}", "-c", "load_system_dawg=0", "-c", "load_freq_dawg=0"]
    read = tesseract.read(page, lang, layout, DPI, chars)
    assert read == _command(page, tmp_path, *options)
    assert any(b.level == tesseract.Level.WORD and b.text for b in read)


def _read_in_worker(page: np.ndarray) -> list[tesseract.Box]:
    return tesseract.read(page, "vie", tesseract.Layout.BLOCK, DPI)


def test_a_forked_worker_reads_with_the_engine_its_parent_started(page: np.ndarray) -> None:
    here = tesseract.read(page, "vie", tesseract.Layout.BLOCK, DPI)
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(_read_in_worker, [page, page])) == [here, here]
    assert "Thầu" in [b.text for b in here]


def test_a_model_that_is_not_installed_starts_no_engine() -> None:
    assert not tesseract.installed("xx-not-a-model")
