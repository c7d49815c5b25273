"""How long OCR of scanned PDF pages takes on this machine, in seconds per page.

    python bench/ocr_speed.py ../shared/fixtures [--workers 2]

For every PDF in the folder with pages that have no text layer, it times `phuluc.extract.ocr` on those
pages: one page after another in this process (seconds per page, and the slowest page), then all the
scanned pages of all the files with `--workers` processes (wall seconds per page, the throughput a
batch sees); then each page again as a frame of a multi-page TIFF holding the scans' own images (the
image reader's path: the frame resampled by Pillow instead of rendered by pdfium). Rendering,
straightening, the grid and every Tesseract run are included; normalization and the checks are not
(bench/extract_speed.py measures those).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from phuluc.extract import image, ocr
from phuluc.settings import DEFAULT


def scanned_pages(path: Path) -> list[int]:
    """The 1-based pages of a PDF without a text layer."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [n + 1 for n in range(len(pdf)) if not pdf[n].get_textpage().get_text_range().strip()]
    finally:
        pdf.close()


def as_tiff(path: Path, pages: list[int], folder: Path) -> Path:
    """The scanned `pages` of a PDF as a multi-page TIFF: each frame the image the page holds, at the
    resolution it was scanned at."""
    pdf = pdfium.PdfDocument(path)
    try:
        frames = []
        for n in pages:
            bitmap = next(pdf[n - 1].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])).get_bitmap(render=False)
            frames.append(bitmap.to_pil().copy())
        dpi = frames[0].width / pdf[pages[0] - 1].get_width() * 72
    finally:
        pdf.close()
    out = folder / f"{path.stem}.tiff"
    frames[0].save(out, save_all=True, append_images=frames[1:], dpi=(dpi, dpi), compression="tiff_deflate")
    return out


def frame_laps(files: list[tuple[Path, list[int]]]) -> list[float]:
    """Seconds to read each scanned page as a TIFF frame, one after another."""
    laps = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, pages in files:
            tiff = as_tiff(path, pages, Path(tmp))
            for k in range(1, len(pages) + 1):
                started = time.perf_counter()
                ocr.ocr_pages(tiff, [k], DEFAULT, render=image.frame)
                laps.append(time.perf_counter() - started)
    return laps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if not ocr.available():
        raise SystemExit("Tesseract with its Vietnamese model is not installed (tesseract-ocr-vie)")
    files = [(p, pages) for p in sorted(args.folder.glob("*.pdf")) if (pages := scanned_pages(p))]
    if not files:
        raise SystemExit(f"no scanned PDF pages in {args.folder}")
    laps = []
    for path, pages in files:
        for n in pages:
            started = time.perf_counter()
            ocr.ocr_pages(path, [n], DEFAULT)
            laps.append(time.perf_counter() - started)
            print(f"  {path.name} p.{n}: {laps[-1]:.2f} s")
    started = time.perf_counter()
    for path, pages in files:
        ocr.ocr_pages(path, pages, DEFAULT.with_ocr_workers(args.workers))
    wall = time.perf_counter() - started
    print(f"one at a time: {sum(laps) / len(laps):.2f} s per page (slowest {max(laps):.2f} s), {len(laps)} pages")
    print(f"{args.workers} workers: {wall / len(laps):.2f} s per page of wall time ({wall:.1f} s in all)")
    frames = frame_laps(files)
    print(f"as TIFF frames, one at a time: {sum(frames) / len(frames):.2f} s per page (slowest {max(frames):.2f} s)")


if __name__ == "__main__":
    main()
