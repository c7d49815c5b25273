"""How fast `phuluc extract` reads text-layer PDFs, beside the bare table extractors it is measured
against, in one run on one machine.

    python bench/extract_speed.py ../shared/fixtures [--runs 5]

For every PDF with a text layer in the folder it times, per file (median of `--runs` runs):
- phuluc: the full extraction (tables, body, normalization, checks) of `phuluc.pipeline.extract_file`;
- pdfplumber: `page.extract_tables()` on every page, nothing else;
- camelot lattice: `camelot.read_pdf(file, pages="all", flavor="lattice")`, nothing else;
and prints documents/s, pages/s, the ratio of each to phuluc, and the peak memory (max RSS) of a
process running each over all the files. Start-up (imports, the unit register) is paid once per
process and is reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

TOOLS = {
    "phuluc": "from phuluc.pipeline import extract_file\nrun = lambda p: extract_file(p)",
    "pdfplumber": "import pdfplumber\n"
                  "def run(p):\n    with pdfplumber.open(p) as pdf:\n        return [pg.extract_tables() for pg in pdf.pages]",
    "camelot": "import camelot\nrun = lambda p: camelot.read_pdf(str(p), pages='all', flavor='lattice')",
}
# One process per tool: imports once, every file `runs` times, then its own peak RSS.
WORKER = """
import json, resource, statistics, sys, time
from pathlib import Path
{setup}
files, runs = [Path(f) for f in json.loads(sys.argv[1])], int(sys.argv[2])
started = time.perf_counter()
run(files[0])
warm = time.perf_counter() - started
times = {{}}
for f in files:
    laps = []
    for _ in range(runs):
        t = time.perf_counter(); run(f); laps.append(time.perf_counter() - t)
    times[str(f)] = statistics.median(laps)
print(json.dumps({{"warm": warm, "times": times,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def text_layer_pdfs(folder: Path) -> list[tuple[Path, int]]:
    """The PDFs of the folder that have a text layer, with their page counts."""
    import pdfplumber

    found = []
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            if any(page.chars for page in pdf.pages):
                found.append((path, len(pdf.pages)))
    return found


def measure(tool: str, files: list[Path], runs: int) -> dict:
    code = WORKER.format(setup=TOOLS[tool])
    out = subprocess.run([sys.executable, "-c", code, json.dumps([str(f) for f in files]), str(runs)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pdfs = text_layer_pdfs(args.folder)
    if not pdfs:
        sys.exit(f"no text-layer PDF in {args.folder}")
    files = [p for p, _ in pdfs]
    pages = sum(n for _, n in pdfs)
    results = {tool: measure(tool, files, args.runs) for tool in TOOLS}
    print(f"{len(files)} PDFs, {pages} pages, medians of {args.runs} runs, {os.cpu_count()} cores\n")
    print(f"{'tool':<11} {'s/doc':>7} {'docs/s':>7} {'pages/s':>8} {'phuluc ÷ tool':>14} {'peak MB':>8} {'start s':>8}")
    phuluc = sum(results["phuluc"]["times"].values())
    for tool, r in results.items():
        total = sum(r["times"].values())
        print(f"{tool:<11} {total / len(files):7.3f} {len(files) / total:7.2f} {pages / total:8.2f} "
              f"{phuluc / total:14.2f} {r['rss_mb']:8.0f} {r['warm']:8.2f}")
    print("\nper file (s):")
    for f in files:
        cells = "  ".join(f"{tool} {results[tool]['times'][str(f)]:.3f}" for tool in TOOLS)
        print(f"  {f.name:<34} {cells}")


if __name__ == "__main__":
    main()
