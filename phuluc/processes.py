"""Worker processes that cannot outlive or outgrow what started them (Linux; elsewhere they are plain)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

_LINUX = sys.platform.startswith("linux")
_PR_SET_PDEATHSIG = 1  # prctl(2)
_M_ARENA_MAX = -8  # mallopt(3)


def die_with_parent(parent: int) -> None:
    """This process is killed with `parent`, the one that started it, even by kill -9 (Linux's
    parent-death signal), so no worker is left reading files for nobody. A parent that died before the
    signal was asked for is not told of again: then this process ends now."""
    if _LINUX:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def confine(parent: int, memory_mb: int) -> None:
    """Make this process a worker of its own: in a process group of its own, so that it is killed with
    everything it started (OCR pages, LibreOffice), dying with its parent, and unable to map more than
    `memory_mb` beyond what it inherited (an allocation past it is a MemoryError, not the machine's
    memory; a parent that loaded pandas and pyarrow, whose allocators reserve address space they never
    touch, leaves its file the same budget). glibc's per-thread heaps are kept to two, as each reserves
    64 MB of address space it never uses. numpy's OpenBLAS, which a worker never calls (numpy only scores
    column maps), starts one thread per core that spins as it loads: kept to the one thread it has."""
    os.setpgid(0, 0)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read when numpy loads OpenBLAS, after the fork
    die_with_parent(parent)
    if _LINUX:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 2)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _mapped() + (memory_mb << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _mapped() -> int:
    """The bytes of address space this process maps now (0 where /proc does not say)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def own_group(pid: int) -> None:
    """Put the just-started worker `pid` in a group of its own, from the parent's side too: whichever
    of the two runs first, the group exists before the parent may need to kill it."""
    try:
        os.setpgid(pid, pid)
    except OSError:  # the worker did it first, or has already exited
        pass


def kill_group(pid: int) -> None:
    """Kill the worker `pid` and everything in its group; a group that has already gone is no error."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def kill_tree(pid: int) -> None:
    """Kill `pid` and its descendants (a program that starts helpers of its own, as LibreOffice does),
    found through /proc while they still run; leaves first, so none is left without its parent to
    start it again."""
    for each in reversed(list(_tree(pid))):
        try:
            os.kill(each, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _tree(pid: int):
    yield pid
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except OSError:  # the task ended meanwhile
            continue
        for child in children:
            yield from _tree(int(child))


@contextlib.contextmanager
def interrupt_after() -> Iterator[None]:
    """Ctrl-C held back until the block is done, then raised: a report committed is counted as loaded
    (an interrupt between the two had the summary say one report fewer than the database holds), and a
    database driver is never interrupted mid-call. Only the main thread may take the signal."""
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
