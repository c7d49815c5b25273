"""How long `phuluc extract` takes per format, the same reports in every format, side by side in one run.

    python bench/format_speed.py [--reports 4] [--runs 3]

Generates `--reports` reports (scripts/make_corpus.py, each with its appendix) as Word, Excel, PDF, a
scanned PDF and a web page, and from those, with LibreOffice as an office saves them, Word 97–2003,
RTF, OpenDocument text and sheet, and Excel 97–2003; the scan's pages also as a multi-page TIFF. Then
times the full extraction (`phuluc.pipeline.extract_file`: reading, normalization, checks) of every
file, `--runs` times, in this one process, and prints per format the median seconds per report and its
ratio to the .docx of the same reports. .doc and .rtf include LibreOffice's conversion (a process per
file); OCR runs in one process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_corpus  # noqa: E402  (the generator is a script, found beside this one)

from phuluc.extract import libreoffice  # noqa: E402
from phuluc.pipeline import extract_file  # noqa: E402

DRAWN = ("docx", "xlsx", "pdf", "pdf-scanned", "html")
CONVERTED = {"doc": ("docx", "doc", "MS Word 97"), "rtf": ("docx", "rtf", None), "odt": ("docx", "odt", None),
             "xls": ("xlsx", "xls", "MS Excel 97"), "ods": ("xlsx", "ods", None)}


def files(folder: Path, reports: int) -> dict[str, list[Path]]:
    """format → the files of the reports in it."""
    out: dict[str, list[Path]] = {fmt: [] for fmt in (*DRAWN, *CONVERTED, "tiff")}
    for seed in range(1, reports + 1):
        spec = make_corpus.draw_spec(seed, make_corpus.Options(appendix=True, long=False))
        made = {fmt: make_corpus.render(spec, fmt, folder / fmt) for fmt in DRAWN}
        for fmt, (original, suffix, export) in CONVERTED.items():
            made[fmt] = libreoffice.convert(made[original], suffix, folder / fmt, export)
        made["tiff"] = tiff(made["pdf-scanned"], folder / "tiff")
        for fmt, path in made.items():
            out[fmt].append(path)
    return out


def tiff(scan: Path, folder: Path) -> Path:
    """The scan's page images as one multi-page TIFF, at the scanner's resolution."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(scan))
    pages = [next(p.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])).get_bitmap(render=False).to_pil().copy()
             for p in document]
    document.close()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{scan.stem}.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(200, 200))
    return path


def seconds(paths: list[Path], runs: int) -> list[float]:
    """Per file, the median of `runs` extractions."""
    out = []
    for path in paths:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            extract_file(path)
            times.append(time.perf_counter() - start)
        out.append(statistics.median(times))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not libreoffice.available():
        sys.exit(f"LibreOffice is needed to make the .doc, .rtf, .odt, .xls and .ods files: "
                 f"apt-get install {libreoffice.PACKAGES}")
    with tempfile.TemporaryDirectory() as tmp:
        made = files(Path(tmp), args.reports)
        extract_file(made["docx"][0])  # imports and the register, paid once per process
        timed = {fmt: seconds(paths, args.runs) for fmt, paths in made.items()}
    word = statistics.median(timed["docx"])
    print(f"{args.reports} reports per format, median of {args.runs} runs per file")
    print(f"{'format':<12} {'s/report':>9} {'÷ docx':>7}")
    for fmt, times in sorted(timed.items(), key=lambda kv: statistics.median(kv[1])):
        print(f"{fmt:<12} {statistics.median(times):>9.3f} {statistics.median(times) / word:>7.2f}")


if __name__ == "__main__":
    main()
