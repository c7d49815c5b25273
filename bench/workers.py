"""How much a second worker speeds up `phuluc ingest` of a mixed batch, on this machine.

    python bench/workers.py FOLDER [--runs 5] [--no-scans]

Ingests every file of FOLDER (e.g. ../shared/fixtures: PDFs, scans, Word, Excel, text) into a fresh SQLite
database with `--workers 1` and with `--workers 2`, in turns, so that a busy machine slows both alike, and
prints the median wall seconds of each, the median of the pairs' ratios (1 worker's seconds ÷ 2
workers'), the CPU seconds of the command with its workers, and the peak RSS of its largest process.
`--no-scans` leaves out the PDFs without a text layer (OCR dominates a batch that holds them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from ocr_speed import scanned_pages
from whole import measure


def batch(folder: Path, no_scans: bool, into: Path) -> int:
    """The files of `folder` (not its truth files, *.json) linked into `into`; how many."""
    count = 0
    for file in sorted(folder.iterdir()):
        if not file.is_file() or file.suffix == ".json":
            continue
        if no_scans and file.suffix.lower() == ".pdf" and scanned_pages(file):
            continue
        os.symlink(file.resolve(), into / file.name)
        count += 1
    return count


def ingest(files: Path, workers: int, work: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the command and its workers), peak MB of one ingest into a new database."""
    db = work / f"w{workers}.db"
    db.unlink(missing_ok=True)
    return measure([sys.executable, "-m", "phuluc.pipeline", "ingest", str(files), "--db", str(db),
                    "--workers", str(workers)], ok=(0, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-scans", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="phuluc-workers-"))
    try:
        files = work / "batch"
        files.mkdir()
        count = batch(args.folder, args.no_scans, files)
        ingest(files, 1, work)  # untimed: bytecode and the register's index are in place for every run
        measured: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
        for _ in range(args.runs):
            for workers in measured:
                measured[workers].append(ingest(files, workers, work))
        print(f"{count} files of {args.folder}, {os.cpu_count()} cores, medians of {args.runs} runs in turns\n")
        print(f"{'workers':>7} {'wall s':>8} {'CPU s':>8} {'files/s':>8} {'peak MB':>8}")
        for workers, runs in measured.items():
            wall, cpu = (statistics.median(r[k] for r in runs) for k in range(2))
            print(f"{workers:>7} {wall:8.2f} {cpu:8.2f} {count / wall:8.1f} {max(r[2] for r in runs):8.0f}")
        ratio = statistics.median(one[0] / two[0] for one, two in zip(measured[1], measured[2]))
        print(f"\n2 workers: {ratio:.2f}× as fast as 1 (median of the pairs' ratios)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
