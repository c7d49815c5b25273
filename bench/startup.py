"""What a command costs before and around the work it is asked for, whole process, as a user runs it.

    python bench/startup.py [--runs 7] [--report data/samples/05_khun-ha_2024-06.txt]

Runs each command `--runs` times (after one untimed run that fills the caches) and prints, side by side,
the median wall seconds and CPU seconds (user + system, the command with its worker processes) and
the peak memory: the interpreter alone, `phuluc --help`, and `phuluc extract` of a one-page text
report, with the ratio of each to the interpreter's own start.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from whole import installed, measure

ROOT = Path(__file__).resolve().parents[1]
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--report", type=Path, default=ROOT / "data" / "samples" / "05_khun-ha_2024-06.txt")
    args = parser.parse_args()
    phuluc = installed("phuluc")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "phuluc --help": [phuluc, "--help"],
        f"phuluc extract {args.report.name}": [phuluc, "extract", str(args.report)],
    }
    print(f"{'command':44} {'wall s':>8} {'CPU s':>8} {'× python':>9} {'MB':>6}   (medians of {args.runs})")
    floor = None
    for name, command in commands.items():
        measure(command)
        runs = [measure(command) for _ in range(args.runs)]
        wall, cpu, mb = (statistics.median(r[k] for r in runs) for k in range(3))
        floor = floor or cpu
        print(f"{name:44} {wall:8.3f} {cpu:8.3f} {cpu / floor:9.1f} {mb:6.0f}")


if __name__ == "__main__":
    main()
