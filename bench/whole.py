"""One command run as a user's shell runs it, measured whole: what every bench that starts processes
shares."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Collection

# an installed package's bytecode is compiled (a bench's untimed first run writes it)
AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def installed(script: str) -> str:
    """The console script installed beside this interpreter, as pip put it there (not a version
    manager's shim found first on PATH, which runs a shell and its own program before it)."""
    return shutil.which(script, path=os.path.dirname(sys.executable)) or sys.exit(f"{script} is not installed")


def measure(command: list[str], ok: Collection[int] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the process and the processes it waited for, peak RSS in MB of the
    largest of them; a command that exits other than `ok` stops the bench."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=AS_INSTALLED)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if (code := os.waitstatus_to_exitcode(status)) not in ok:
        raise SystemExit(f"{' '.join(map(str, command))} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
