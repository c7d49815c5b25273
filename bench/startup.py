"""What a command costs before and around the work it is asked for, whole process, as a user runs it.

    python bench/startup.py [--runs 7] [--report data/samples/05_khun-ha_2024-06.txt]

Runs each command `--runs` times (after one untimed run that fills the caches) and prints, side by side,
the median wall seconds and CPU seconds (user + system, the command with its worker processes) and
the peak memory: the interpreter alone, `phuluc --help`, and `phuluc extract` of a one-page text
report, with the ratio of each to the interpreter's own start.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# as a user's shell runs it: an installed package's bytecode is compiled (the untimed first run writes it)
_AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the process tree, peak RSS in MB of its largest process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_AS_INSTALLED)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--report", type=Path, default=ROOT / "data" / "samples" / "05_khun-ha_2024-06.txt")
    args = parser.parse_args()
    phuluc = shutil.which("phuluc") or sys.exit("phuluc is not installed")
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
