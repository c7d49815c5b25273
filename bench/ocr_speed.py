"""How long OCR of scanned PDF pages takes on this machine, beside one plain Tesseract pass over each page.

    python bench/ocr_speed.py ../shared/fixtures [--runs 5] [--workers 2]

For every PDF in the folder with pages that have no text layer, each of those pages is rendered as
phuluc renders it (at `settings.ocr.dpi`) and read, `--runs` times each, turn about, by
`phuluc.extract.ocr.read_page` in this process and by one `tesseract PAGE.png - -l vie` command:
the CPU seconds of each (this process's and its children's, so Tesseract counts wherever it runs),
their medians per page, the ratio of the two medians page by page, and the median and worst of those
ratios; then the peak memory of this process. Both run Tesseract single-threaded (OMP_THREAD_LIMIT=1);
the engines phuluc keeps per process start before the first page and are timed apart.

Then the throughput figures: all the scanned pages of all the files with `--workers` processes (wall
seconds per page, what a batch sees), and each page again as a frame of a multi-page TIFF holding the
scans' own images (the image reader's path: the frame resampled by Pillow instead of rendered by
pdfium). Rendering, straightening, the grid and every Tesseract run are included; normalization and
the checks are not (bench/extract_speed.py measures those).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from phuluc.extract import image, ocr
from phuluc.settings import DEFAULT


def scanned_pages(path: Path) -> list[int]:
    """The 1-based pages of a PDF without a text layer."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [n + 1 for n in range(len(pdf)) if not pdf[n].get_textpage().get_text_range().strip()]
    finally:
        pdf.close()


def cpu() -> float:
    """CPU seconds used so far by this process and the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cpu_of(run) -> float:
    """The CPU seconds `run()` takes, children included."""
    started = cpu()
    run()
    return cpu() - started


def tesseract_pass(png: Path) -> None:
    """One plain Tesseract command over a page image, as a person would run it."""
    subprocess.run(["tesseract", str(png), "-", "-l", ocr.LANG], check=True, capture_output=True,
                   env={**os.environ, "OMP_THREAD_LIMIT": "1"})


def side_by_side(files: list[tuple[Path, list[int]]], runs: int, folder: Path) -> list[float]:
    """Each page's median CPU seconds by phuluc and by one Tesseract pass, printed with their ratio;
    returns the ratios."""
    ratios = []
    for path, pages in files:
        for n in pages:
            png = folder / f"{path.stem}-{n}.png"
            Image.fromarray(ocr.render(str(path), n, DEFAULT.ocr.dpi)).save(png)
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(cpu_of(lambda: ocr.read_page(str(path), n, DEFAULT.ocr)))
                theirs.append(cpu_of(lambda: tesseract_pass(png)))
            ratios.append(statistics.median(ours) / statistics.median(theirs))
            print(f"  {path.name} p.{n}: phuluc {statistics.median(ours):.2f} s, tesseract "
                  f"{statistics.median(theirs):.2f} s, ×{ratios[-1]:.2f}", flush=True)
    return ratios


def frame_laps(files: list[tuple[Path, list[int]]], folder: Path) -> list[float]:
    """Seconds to read each scanned page as a TIFF frame, one after another."""
    laps = []
    for path, pages in files:
        tiff = as_tiff(path, pages, folder)
        for k in range(1, len(pages) + 1):
            started = time.perf_counter()
            ocr.ocr_pages(tiff, [k], DEFAULT, render=image.frame)
            laps.append(time.perf_counter() - started)
    return laps


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    started = cpu()
    if not ocr.available():
        raise SystemExit("Tesseract with its Vietnamese model is not installed (tesseract-ocr-vie)")
    print(f"engines started in {cpu() - started:.2f} s of CPU, once per process")
    files = [(p, pages) for p in sorted(args.folder.glob("*.pdf")) if (pages := scanned_pages(p))]
    if not files:
        raise SystemExit(f"no scanned PDF pages in {args.folder}")
    with tempfile.TemporaryDirectory() as tmp:
        ratios = side_by_side(files, args.runs, Path(tmp))
        print(f"phuluc / one tesseract pass, CPU, medians of {args.runs} runs, {len(ratios)} pages: "
              f"median ×{statistics.median(ratios):.2f}, worst ×{max(ratios):.2f}")
        # a command's own peak is not told apart: the fork it is started from counts this process's pages
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        started = time.perf_counter()
        for path, pages in files:
            ocr.ocr_pages(path, pages, DEFAULT.with_ocr_workers(args.workers))
        wall = time.perf_counter() - started
        print(f"{args.workers} workers: {wall / len(ratios):.2f} s per page of wall time ({wall:.1f} s in all)")
        frames = frame_laps(files, Path(tmp))
    print(f"as TIFF frames, one at a time: {sum(frames) / len(frames):.2f} s per page (slowest {max(frames):.2f} s)")


if __name__ == "__main__":
    main()
