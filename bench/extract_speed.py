"""How fast `phuluc extract` reads text-layer PDFs, beside the bare table extractors it is measured
against: whole processes, side by side, in one run on one machine.

    python bench/extract_speed.py ../shared/fixtures [--runs 5]

For every text-layer PDF of 3 to 5 pages in the folder it starts, `--runs` times each, round by round:
- phuluc: `phuluc extract FILE --json` (tables, body, normalization, checks, JSON);
- pdfplumber: a script of `page.extract_tables()` on every page, nothing else;
- camelot lattice: a script of `camelot.read_pdf(FILE, pages="all", flavor="lattice")`, nothing else;
and prints each process's median wall time per file, the ratios phuluc ÷ tool file by file and their
median, and the peak memory (max RSS) of each kind of process. Each process pays its own start-up
(interpreter, imports), as a user's command does.

Then the PDF reader's own cost in one process, imports paid before the clock starts: the pages' text
layers (words, ruled cells) as pdfium gives them (extract/pdfium.py) and as pdfplumber does
(extract/plumber.py, the reader before), median of `--runs` runs per file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from whole import installed, measure

PLUMBER = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_tables() for p in pdf.pages]"
CAMELOT = "import sys, camelot\ncamelot.read_pdf(sys.argv[1], pages='all', flavor='lattice')"
PAGES = range(3, 6)


def commands(file: Path) -> dict[str, list[str]]:
    phuluc = installed("phuluc")
    return {"phuluc": [phuluc, "extract", str(file), "--json"],
            "pdfplumber": [sys.executable, "-c", PLUMBER, str(file)],
            "camelot": [sys.executable, "-c", CAMELOT, str(file)]}


def text_layer_pdfs(folder: Path) -> list[Path]:
    """The PDFs of the folder with a text layer and 3 to 5 pages."""
    import pypdfium2 as pdfium

    found = []
    for path in sorted(folder.glob("*.pdf")):
        pdf = pdfium.PdfDocument(path)
        try:
            if len(pdf) in PAGES and any(page.get_textpage().count_chars() for page in pdf):
                found.append(path)
        finally:
            pdf.close()
    return found


def run(argv: list[str]) -> tuple[float, float]:
    """One process: its wall time (s) and peak memory (MB); phuluc exits 1 where its checks find errors."""
    wall, _, mb = measure(argv, ok=(0, 1))
    return wall, mb


def processes(files: list[Path], runs: int) -> dict[str, dict[Path, tuple[float, float]]]:
    """Per tool and file: the median wall time and the peak memory over `runs` rounds."""
    laps: dict[str, dict[Path, list[tuple[float, float]]]] = {}
    for _ in range(runs):
        for file in files:
            for tool, argv in commands(file).items():
                laps.setdefault(tool, {}).setdefault(file, []).append(run(argv))
    return {tool: {file: (statistics.median(t for t, _ in got), max(mb for _, mb in got)) for file, got in by_file.items()}
            for tool, by_file in laps.items()}


def reader_times(files: list[Path], runs: int) -> dict[str, dict[Path, float]]:
    """Per reader and file: the median time to read every page's text layer, in this process."""
    from phuluc.extract import pdfium, plumber

    out: dict[str, dict[Path, float]] = {}
    for name, reader in (("pdfium", pdfium.Document), ("pdfplumber", plumber.Document)):
        for file in files:
            laps = []
            for _ in range(runs):
                started = time.perf_counter()
                with reader(file) as document:
                    for index in range(len(document)):
                        document.layer(index)
                laps.append(time.perf_counter() - started)
            out.setdefault(name, {})[file] = statistics.median(laps)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = text_layer_pdfs(args.folder)
    if not files:
        sys.exit(f"no text-layer PDF of {PAGES.start}–{PAGES.stop - 1} pages in {args.folder}")
    measured = processes(files, args.runs)
    print(f"{len(files)} text-layer PDFs of {PAGES.start}–{PAGES.stop - 1} pages, one process per file and tool, "
          f"medians of {args.runs} runs, {os.cpu_count()} cores\n")
    tools = list(measured)
    print(f"{'file':<30}" + "".join(f"{tool + ' s':>14}" for tool in tools)
          + "".join(f"{'phuluc÷' + tool:>20}" for tool in tools[1:]))
    ratios: dict[str, list[float]] = {tool: [] for tool in tools[1:]}
    for file in files:
        phuluc = measured["phuluc"][file][0]
        for tool in tools[1:]:
            ratios[tool].append(phuluc / measured[tool][file][0])
        print(f"{file.name:<30}" + "".join(f"{measured[tool][file][0]:14.3f}" for tool in tools)
              + "".join(f"{ratios[tool][-1]:20.2f}" for tool in tools[1:]))
    print(f"{'median':<30}" + "".join(f"{statistics.median(t for t, _ in measured[tool].values()):14.3f}" for tool in tools)
          + "".join(f"{statistics.median(ratios[tool]):20.2f}" for tool in tools[1:]))
    print(f"{'peak MB (max)':<30}" + "".join(f"{max(mb for _, mb in measured[tool].values()):14.0f}" for tool in tools))
    readers = reader_times(files, args.runs)
    print("\nthe reader alone, in process (every page's words and ruled cells), s per file:")
    print(f"{'file':<30}{'pdfium':>12}{'pdfplumber':>12}{'ratio':>8}")
    for file in files:
        new, old = readers["pdfium"][file], readers["pdfplumber"][file]
        print(f"{file.name:<30}{new:12.3f}{old:12.3f}{new / old:8.2f}")
    print(f"{'median':<30}{statistics.median(readers['pdfium'].values()):12.3f}"
          f"{statistics.median(readers['pdfplumber'].values()):12.3f}"
          f"{statistics.median(readers['pdfium'][f] / readers['pdfplumber'][f] for f in files):8.2f}")


if __name__ == "__main__":
    main()
