"""How long OCR of scanned PDF pages takes on this machine, in seconds per page.

    python bench/ocr_speed.py ../shared/fixtures [--workers 2]

For every PDF in the folder with pages that have no text layer, it times `phuluc.extract.ocr` on those
pages: one page after another in this process (seconds per page, and the slowest page), then all the
scanned pages of all the files with `--workers` processes (wall seconds per page, the throughput a
batch sees). Rendering, straightening, the grid and every Tesseract run are included;
normalization and the checks are not (bench/extract_speed.py measures those).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pypdfium2 as pdfium

from phuluc.extract import ocr
from phuluc.settings import DEFAULT


def scanned_pages(path: Path) -> list[int]:
    """The 1-based pages of a PDF without a text layer."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [n + 1 for n in range(len(pdf)) if not pdf[n].get_textpage().get_text_range().strip()]
    finally:
        pdf.close()


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


if __name__ == "__main__":
    main()
