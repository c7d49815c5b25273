"""The full fuzz run (issue 10): every hostile input through its own `phuluc extract`, then all at once
through one `phuluc ingest`.

    python3 bench/fuzz.py [--count 1200] [--seed 0] [--timeout 120] [--workers 2]

Generates `--count` inputs (scripts/fuzz.py), runs `phuluc extract --json` on each, two at a time, each
under a budget of `--timeout` seconds (`--file-timeout` where phuluc has it), then one `phuluc ingest
--workers N` over all of them and a clean ingest of the good reports alone. Prints per class: inputs,
exit codes, tracebacks, timeouts (past the budget without a clean message), clean gave-ups, other
problems (a message over several lines, library output, a raw escape byte, a leak), median and max
seconds and max peak MB of the process tree; then the totals, the batch's integrity and every problem
with the way to make its input again. Exits 1 on any problem (a peak above 1536 MB is one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import fuzz  # noqa: E402  (the generator is a script, found beside the others)

COLUMNS = ("inputs", "exit 0", "exit 1", "other", "tracebacks", "timeouts", "gave up", "messy", "median s",
           "max s", "max MB")


def row(results: list[fuzz.FileResult]) -> tuple[object, ...]:
    """One line of the table for some results."""
    seconds = [r.run.seconds for r in results]
    codes = [r.run.exit_code for r in results]
    return (len(results), codes.count(0), codes.count(1), len(codes) - codes.count(0) - codes.count(1),
            sum(r.traceback for r in results), sum(r.timed_out for r in results), sum(r.gave_up for r in results),
            sum(bool(r.messy()) for r in results), f"{statistics.median(seconds):.1f}", f"{max(seconds):.1f}",
            f"{max(r.run.peak_mb for r in results):.0f}")


def table(results: list[fuzz.FileResult]) -> None:
    print(f"{'class':<12}" + "".join(f"{name:>11}" for name in COLUMNS))
    for hostile in fuzz.Hostile:
        chosen = [r for r in results if r.case.hostile is hostile]
        if chosen:
            print(f"{hostile.value:<12}" + "".join(f"{cell:>11}" for cell in row(chosen)))
    print(f"{'total':<12}" + "".join(f"{cell:>11}" for cell in row(results)))


def progress(total: int) -> Callable[[fuzz.FileResult], None]:
    """A callback that says every hundred inputs how far the run is."""
    start, done = time.monotonic(), Counter()

    def tick(result: fuzz.FileResult) -> None:
        done["files"] += 1
        if done["files"] % 100 == 0 or done["files"] == total:
            print(f"  {done['files']}/{total} extracted, {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)

    return tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-bench-") as tmp:
        start = time.monotonic()
        cases = fuzz.generate(Path(tmp) / "inputs", args.count, args.seed)
        print(f"{len(cases)} inputs (seed {args.seed}) made in {time.monotonic() - start:.1f} s; budget "
              f"{args.timeout:g} s per file", flush=True)
        results = fuzz.run_each(cases, args.timeout, on_result=progress(len(cases)))
        batch = fuzz.run_batch(cases, Path(tmp) / "fuzz.db", args.timeout, args.workers, seed=args.seed)
    table(results)
    print(f"batch of {len(cases)} inputs, {args.workers} workers: exit {batch.run.exit_code}, "
          f"{batch.run.seconds:.0f} s, peak {batch.run.peak_mb:.0f} MB, {batch.loaded} reports loaded: "
          + ("integrity kept" if batch.ok else f"{len(batch.problems)} integrity problems"))
    failed = [r for r in results if r.problems()]
    for r in failed:
        print(f"  {r.case.describe(args.seed)}: {'; '.join(r.problems())} ({r.run.seconds:.1f} s, "
              f"{r.run.peak_mb:.0f} MB)")
    for problem in batch.problems:
        print(f"  batch: {problem}")
    sys.exit(1 if failed or not batch.ok else 0)


if __name__ == "__main__":
    main()
